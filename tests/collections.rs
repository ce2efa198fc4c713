//! Collections: round trips, located errors, the secret refusal, variable precedence,
//! atomic saves, `run` and `export curl`.

mod common;

use common::{demo_env, sigscope, start_mock, text};
use sigscope::model::store::{self, SaveStep};
use sigscope::model::{self, scope, substitute};
use std::path::{Path, PathBuf};

fn fixtures(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/collections")
        .join(kind)
}

#[test]
fn shipped_collections_round_trip_to_identical_bytes() {
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("collections");
    for dir in [shipped, fixtures("good")] {
        let (loaded, errors) = store::load_all(&dir);
        assert!(errors.is_empty(), "{errors:?}");
        assert!(loaded.len() >= 2);
        for l in loaded {
            let original = std::fs::read_to_string(&l.path).unwrap();
            assert_eq!(
                store::to_text(&l.collection),
                original,
                "{} is not in canonical form",
                l.path.display()
            );
            assert_eq!(
                l.collection.schema.as_deref(),
                Some("./sigscope.schema.json")
            );
        }
    }
}

#[test]
fn bad_files_are_named_with_line_column_or_path_and_the_rest_still_load() {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(fixtures("bad")).unwrap() {
        let p = entry.unwrap().path();
        std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
    }
    std::fs::copy(
        fixtures("good").join("demo.json"),
        dir.path().join("demo.json"),
    )
    .unwrap();
    let (loaded, errors) = store::load_all(dir.path());
    assert_eq!(loaded.len(), 1, "the good file still loads");
    let messages: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    let find = |name: &str| {
        messages
            .iter()
            .find(|m| m.contains(name))
            .unwrap_or_else(|| panic!("no error for {name}: {messages:?}"))
            .clone()
    };
    assert!(
        find("syntax-error.json").contains("syntax-error.json:5:"),
        "{}",
        find("syntax-error.json")
    );
    let schema = find("schema-error.json");
    assert!(
        schema.contains("$.requests[0].headers[0]") && schema.contains("valu"),
        "{schema}"
    );
    let assertion = find("bad-assertion.json");
    assert!(
        assertion.contains("at $.requests[0].assertions[1]")
            && assertion.contains("has one test")
            && assertion.contains("this one has equals, type"),
        "{assertion}"
    );
    for (file, path) in [
        ("literal-secret-key.json", "$.variables.awsSecret"),
        (
            "literal-session-token.json",
            "$.requests[0].headers[0].value",
        ),
        ("literal-bearer.json", "$.folders[0].auth.token"),
        ("literal-basic-password.json", "$.auth.password"),
    ] {
        let m = find(file);
        assert!(m.contains(path) && m.contains("never hold a secret"), "{m}");
        assert!(m.contains("profile") || m.contains("{{$env."), "{m}");
    }
}

#[test]
fn variable_precedence_is_request_folder_environment_collection() {
    let c: model::Collection = serde_json::from_str(
        r#"{
        "version": 1, "name": "p",
        "variables": {"a": "collection", "b": "collection", "c": "collection", "d": "collection"},
        "environments": {"dev": {"variables": {"a": "env", "b": "env", "c": "env"}}},
        "folders": [{"name": "f", "variables": {"a": "folder", "b": "folder"},
            "requests": [{"name": "r", "method": "GET", "url": "https://x/{{a}}/{{b}}/{{c}}/{{d}}",
                          "variables": {"a": "request"}}]}]
    }"#,
    )
    .unwrap();
    let located = c.find("f/r").unwrap();
    let vars = scope(&c, c.environments.get("dev"), &located);
    assert_eq!(
        substitute(&located.request.url, &vars).unwrap(),
        "https://x/request/folder/env/collection"
    );
    let without_env = scope(&c, None, &located);
    assert_eq!(substitute("{{c}}", &without_env).unwrap(), "collection");
    assert!(substitute("{{nope}}", &vars).is_err());
}

#[test]
fn an_interrupted_save_leaves_the_old_or_the_new_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.json");
    for step in [
        SaveStep::Created,
        SaveStep::Written,
        SaveStep::Synced,
        SaveStep::Renamed,
    ] {
        std::fs::write(&path, "old").unwrap();
        let result = store::write_atomic_with(&path, b"new", &mut |s| {
            if s == step {
                Err(std::io::Error::other("killed"))
            } else {
                Ok(())
            }
        });
        assert!(result.is_err());
        let now = std::fs::read_to_string(&path).unwrap();
        assert!(
            now == "old" || now == "new",
            "torn file after {step:?}: {now}"
        );
        assert_eq!(now == "new", step == SaveStep::Renamed, "{step:?}");
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "temporary file left after {step:?}");
    }
}

/// `export -o /dev/null` once replaced the machine's /dev/null with a regular file (a
/// temporary file renamed over the device, as root). A named pipe stands in for the device.
#[cfg(unix)]
#[test]
fn a_save_to_a_device_or_pipe_writes_into_it_and_leaves_it_one() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).unwrap())
    };
    store::write_atomic(&fifo, b"through the pipe").unwrap();
    let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(kind.is_fifo(), "the pipe was replaced: {kind:?}");
    assert_eq!(reader.join().unwrap(), b"through the pipe");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    let folder = store::write_atomic(dir.path(), b"x").unwrap_err();
    assert!(folder.to_string().contains("is a folder"), "{folder}");
}

#[test]
fn a_file_changed_on_disk_is_not_overwritten_silently() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.json");
    std::fs::copy(fixtures("good").join("demo.json"), &path).unwrap();
    let mut loaded = model::load(&path).unwrap();
    std::fs::write(
        &path,
        std::fs::read_to_string(&path)
            .unwrap()
            .replace("List pets", "List all pets"),
    )
    .unwrap();
    loaded.collection.name = "renamed".into();
    assert!(matches!(
        model::save(&mut loaded, false),
        Err(store::SaveError::Conflict(_))
    ));
    assert!(std::fs::read_to_string(&path)
        .unwrap()
        .contains("List all pets"));
    model::save(&mut loaded, true).unwrap();
    assert!(std::fs::read_to_string(&path)
        .unwrap()
        .contains("\"renamed\""));
}

fn local_collection(dir: &Path, base: &str) -> PathBuf {
    let c = format!(
        r#"{{
  "version": 1, "name": "local",
  "variables": {{"base": "{base}"}},
  "auth": {{"type": "aws-sigv4", "region": "us-east-1", "service": "execute-api"}},
  "folders": [
    {{"name": "ok", "requests": [
      {{"name": "list", "method": "GET", "url": "{{{{base}}}}/test/pets", "query": [{{"name": "z", "value": "1"}}, {{"name": "a", "value": "x+y z"}}]}},
      {{"name": "create", "method": "POST", "url": "{{{{base}}}}/test/pets", "body": {{"type": "json", "content": {{"type": "cat"}}}}}}
    ]}},
    {{"name": "bad", "requests": [
      {{"name": "denied", "method": "DELETE", "url": "{{{{base}}}}/test/pets/1"}}
    ]}}
  ]
}}"#
    );
    let path = dir.join("local.json");
    std::fs::write(&path, c).unwrap();
    path
}

#[test]
fn run_sends_a_folder_and_exits_non_zero_when_one_fails() {
    let (mut mock, base) = start_mock(&[]);
    let dir = tempfile::tempdir().unwrap();
    let path = local_collection(dir.path(), &base);
    let ok = demo_env(&mut sigscope())
        .arg("run")
        .arg(&path)
        .arg("ok")
        .output()
        .unwrap();
    let all = demo_env(&mut sigscope())
        .arg("run")
        .arg(&path)
        .output()
        .unwrap();
    mock.kill().ok();
    let (stdout, stderr) = text(&ok);
    assert_eq!(ok.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains("200 ")
            && stdout.contains("201 ")
            && stdout.contains("2 requests, 0 failed"),
        "{stdout}"
    );
    let (stdout, _) = text(&all);
    assert_eq!(all.status.code(), Some(3), "{stdout}");
    assert!(
        stdout.contains("403")
            && stdout.contains("access-denied")
            && stdout.contains("3 requests, 1 failed"),
        "{stdout}"
    );
}

#[test]
fn exported_curl_commands_sign_at_run_time_and_pass_the_gateway() {
    let (mut mock, base) = start_mock(&[]);
    let dir = tempfile::tempdir().unwrap();
    let path = local_collection(dir.path(), &base);
    let mut results = Vec::new();
    for request in ["ok/list", "ok/create"] {
        let out = sigscope()
            .args(["export", "curl"])
            .arg(&path)
            .arg(request)
            .output()
            .unwrap();
        let (command, stderr) = text(&out);
        assert!(out.status.success(), "{stderr}");
        assert!(
            command.contains("--aws-sigv4 'aws:amz:us-east-1:execute-api'"),
            "{command}"
        );
        assert!(
            !command.contains("wJalr") && !command.contains("Authorization"),
            "{command}"
        );
        if request == "ok/list" {
            assert!(
                command.contains("/test/pets?a=x%2By%20z&z=1"),
                "query not pre-sorted: {command}"
            );
        }
        let run = demo_env(&mut std::process::Command::new("bash"))
            .arg("-c")
            .arg(format!(
                "{} -s -o /dev/null -w '%{{http_code}}'",
                command.trim()
            ))
            .output()
            .unwrap();
        results.push(text(&run).0);
    }
    // A binary file body: curl reads the file itself (`@path`), so no byte is lost on the way
    // through a shell string, and the gateway checks its hash.
    let payload = dir.path().join("it's binary.bin");
    std::fs::write(&payload, [0u8, 255, 0, 10, 13, b'\'', b'"', 0x80, 0xC3]).unwrap();
    let files = dir.path().join("files.json");
    std::fs::write(
        &files,
        serde_json::json!({
            "version": 1, "name": "files",
            "requests": [{"name": "upload", "method": "PUT", "url": format!("{base}/test/echo/up"),
              "body": {"type": "file", "path": payload.display().to_string()},
              "auth": {"type": "aws-sigv4", "region": "us-east-1", "service": "execute-api"}}]
        })
        .to_string(),
    )
    .unwrap();
    let out = sigscope()
        .args(["export", "curl"])
        .arg(&files)
        .arg("upload")
        .output()
        .unwrap();
    let (command, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    let quoted = shlex::try_quote(&payload.display().to_string())
        .unwrap()
        .into_owned();
    assert!(
        command.contains(&format!("--data-binary @{quoted}")),
        "{command}"
    );
    let run = demo_env(&mut std::process::Command::new("bash"))
        .arg("-c")
        .arg(format!("{} -s -w ' %{{http_code}}'", command.trim()))
        .output()
        .unwrap();
    results.push(text(&run).0.rsplit(' ').next().unwrap().to_string());
    mock.kill().ok();
    assert_eq!(
        results,
        vec!["200".to_string(), "201".to_string(), "200".to_string()]
    );
}
