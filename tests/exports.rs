//! Exports: shell safety of the command-line formats (run by a real shell), literal bodies
//! sent literally, no secret in any format, and the formats that hold a collection read back
//! by our own importers. Every format is also run against the local gateway by its own
//! runtime in `.ci/check.d/40-exports.sh` (python, node, httpie, awscurl, newman).

mod common;

use common::{demo_env, sigscope, start_mock, text};
use sigscope::export::{self, Format, FORMATS};
use sigscope::http::prepare;
use sigscope::model::{store, Collection};
use std::path::Path;
use std::process::Command;

fn collection(base: &str) -> Collection {
    store::parse(
        "exports",
        &serde_json::json!({
            "version": 1, "name": "exports",
            "variables": {"base": base},
            "auth": {"type": "aws-sigv4", "region": "us-east-1", "service": "execute-api"},
            "requests": [
                {"name": "list", "method": "GET", "url": "{{base}}/test/pets",
                 "query": [{"name": "z", "value": "1"}, {"name": "a", "value": "x+y z"}]},
                {"name": "create", "method": "POST", "url": "{{base}}/test/pets",
                 "body": {"type": "json", "content": {"type": "dog", "price": 1.5}}},
                {"name": "hostile", "method": "X'", "url": format!("{base}/test/echo/$(touch$IFS$HOME/pwned)"),
                 "headers": [{"name": "X-Quote", "value": "'"}, {"name": "X-Sub", "value": "`id` $HOME \"\\"}],
                 "body": {"type": "text", "content": "@~/.aws/credentials\n$(id) 'q'"}},
                {"name": "bearer", "method": "GET", "url": "{{base}}/open",
                 "auth": {"type": "bearer", "token": "{{$env.SIGSCOPE_TEST_TOKEN}}"}}
            ]
        })
        .to_string(),
    )
    .unwrap()
}

fn prepared(c: &Collection, name: &str) -> prepare::Prepared {
    prepare::prepare(c, None, &c.find(name).unwrap()).unwrap()
}

/// Runs `command` in bash with `curl` replaced by a function that writes each argument it
/// gets, NUL-terminated, to `args`; returns them.
fn argv_seen_by_curl(command: &str, home: &Path) -> Vec<String> {
    let args = home.join("args");
    let script = format!(
        "curl() {{ for a in \"$@\"; do printf '%s\\0' \"$a\"; done > {}; }}\n{command}\n",
        shlex::try_quote(&args.display().to_string()).unwrap()
    );
    let out = Command::new("bash")
        .arg("-c")
        .arg(script)
        .env("HOME", home)
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .env_remove("AWS_SESSION_TOKEN")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out).1);
    std::fs::read(&args)
        .unwrap()
        .split(|b| *b == 0)
        .filter(|a| !a.is_empty())
        .map(|a| String::from_utf8(a.to_vec()).unwrap())
        .collect()
}

#[test]
fn hostile_method_url_and_header_stay_arguments_in_a_real_shell() {
    let c = collection("http://127.0.0.1:9");
    let snippet = export::export(Format::Curl, &prepared(&c, "hostile")).unwrap();
    let home = tempfile::tempdir().unwrap();
    let argv = argv_seen_by_curl(&snippet.text, home.path());
    assert!(
        !home.path().join("pwned").exists(),
        "the URL ran as shell code:\n{}",
        snippet.text
    );
    let at = |flag: &str| {
        argv.iter()
            .position(|a| a == flag)
            .map(|i| argv[i + 1].clone())
    };
    assert_eq!(at("-X").as_deref(), Some("X'"));
    assert!(
        argv.contains(&"http://127.0.0.1:9/test/echo/$(touch$IFS$HOME/pwned)".to_string()),
        "{argv:?}"
    );
    assert!(argv.contains(&"X-Quote: '".to_string()), "{argv:?}");
    assert!(
        argv.contains(&"X-Sub: `id` $HOME \"\\".to_string()),
        "{argv:?}"
    );
    // A literal body is sent literally: --data-raw, never an @file curl would read.
    assert_eq!(
        at("--data-raw").as_deref(),
        Some("@~/.aws/credentials\n$(id) 'q'")
    );
    assert!(
        !argv.iter().any(|a| a == "--data-binary" || a == "-d"),
        "{argv:?}"
    );
    // The keys come from the environment when the command runs.
    assert_eq!(at("--user").as_deref(), Some("AKIDEXAMPLE:secret"));
    assert!(!snippet.text.contains("AKIDEXAMPLE"));
}

#[test]
fn every_format_holds_no_credential_and_reads_credential_headers_from_the_environment() {
    std::env::set_var("SIGSCOPE_TEST_TOKEN", "tok-SECRET-123");
    let c = collection("http://127.0.0.1:9");
    for format in FORMATS {
        for name in ["list", "create", "bearer"] {
            let result = export::export(format, &prepared(&c, name));
            if format == Format::Awscurl && name == "bearer" {
                // awscurl always signs with SigV4: a bearer request is refused, and said why.
                let e = result.unwrap_err().to_string();
                assert!(e.contains("not signed with SigV4"), "{e}");
                continue;
            }
            let s = result.unwrap_or_else(|e| panic!("{format:?} {name}: {e}"));
            assert!(
                !s.text.contains("tok-SECRET-123"),
                "{format:?} {name}:\n{}",
                s.text
            );
            if name == "bearer" && format != Format::Postman {
                assert!(s.text.contains("AUTHORIZATION"), "{format:?}:\n{}", s.text);
                assert!(
                    s.notes.iter().any(|n| n.contains("credential")),
                    "{:?}",
                    s.notes
                );
            }
            if name == "list" {
                assert!(
                    s.text.contains("execute-api") && s.text.contains("us-east-1"),
                    "{format:?} lost the signing settings:\n{}",
                    s.text
                );
            }
        }
    }
}

#[test]
fn curl_notes_a_path_its_signer_gets_wrong_in_the_snippet() {
    let c = collection("http://127.0.0.1:9");
    let mut c2 = c.clone();
    c2.requests[0].url = "{{base}}/test/echo/a b".into();
    let s = export::export(Format::Curl, &prepared(&c2, "list")).unwrap();
    assert!(
        s.notes.iter().any(|n| n.contains("python or javascript")),
        "{:?}",
        s.notes
    );
    assert!(
        s.text.starts_with("# note: curl's --aws-sigv4"),
        "{}",
        s.text
    );
    let plain = export::export(Format::Curl, &prepared(&c, "list")).unwrap();
    assert!(plain.notes.is_empty(), "{:?}", plain.notes);
}

#[test]
fn http_and_postman_exports_import_back_to_the_same_requests() {
    let c = collection("http://127.0.0.1:9");
    let requests: Vec<(String, prepare::Prepared)> = ["list", "create"]
        .iter()
        .map(|n| (n.to_string(), prepared(&c, n)))
        .collect();
    let http = export::export_collection(Format::Http, "exports", &requests).unwrap();
    let back = sigscope::import::http_file::import(&http.text, "exports").unwrap();
    let postman = export::export_collection(Format::Postman, "exports", &requests).unwrap();
    let back2 = sigscope::import::postman::import(&postman.text).unwrap();
    for imported in [back, back2] {
        let c = &imported.collection;
        let list = c.find("list").unwrap().request;
        assert!(
            list.url.starts_with("http://127.0.0.1:9/test/pets"),
            "{}",
            list.url
        );
        let create = c.find("create").unwrap().request;
        assert_eq!(create.method, "POST");
        assert!(
            matches!(&create.body, sigscope::model::Body::Json { content } if content["type"] == "dog"),
            "{:?}",
            create.body
        );
        let auth = match &create.auth {
            sigscope::model::Auth::AwsSigv4 {
                region, service, ..
            } => (region.clone(), service.clone()),
            other => panic!("{other:?}"),
        };
        assert_eq!(auth, (Some("us-east-1".into()), Some("execute-api".into())));
        store::parse("back", &store::to_text(c)).unwrap();
    }
}

#[test]
fn exported_curl_runs_against_the_gateway_with_its_body_intact() {
    let (mut mock, base) = start_mock(&[]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.json");
    let mut c = collection(&base);
    c.requests[2].method = "PUT".into();
    c.requests[2].url = "{{base}}/test/echo/plain".into();
    std::fs::write(&file, store::to_text(&c)).unwrap();
    let out = sigscope()
        .args(["export", "curl"])
        .arg(&file)
        .arg("hostile")
        .output()
        .unwrap();
    let (command, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    let run = demo_env(&mut Command::new("bash"))
        .arg("-c")
        .arg(format!("{} -s", command.trim()))
        .env("HOME", dir.path())
        .output()
        .unwrap();
    mock.kill().ok();
    let (body, _) = text(&run);
    let echoed: serde_json::Value =
        serde_json::from_str(&body).unwrap_or_else(|_| panic!("{body}"));
    assert_eq!(echoed["method"], "PUT", "{body}");
    assert_eq!(echoed["body"], "@~/.aws/credentials\n$(id) 'q'", "{body}");
    assert_eq!(echoed["headers"]["x-sub"], "`id` $HOME \"\\", "{body}");
}

/// The generated programs parse in their language, where its runtime is on this machine;
/// they are run against the gateway in `.ci/check.d/40-exports.sh`.
#[test]
fn generated_programs_are_valid_python_and_javascript() {
    let c = collection("http://127.0.0.1:9");
    let dir = tempfile::tempdir().unwrap();
    for (format, file, check) in [
        (Format::Python, "p.py", ["python3", "-m", "py_compile"]),
        (Format::Javascript, "j.mjs", ["node", "--check", ""]),
    ] {
        if Command::new(check[0]).arg("--version").output().is_err() {
            eprintln!(
                "NOT CHECKED: {} is not installed, so the {format:?} export was not parsed",
                check[0]
            );
            continue;
        }
        for name in ["list", "create", "hostile"] {
            let s = export::export(format, &prepared(&c, name)).unwrap();
            let path = dir.path().join(format!("{name}-{file}"));
            std::fs::write(&path, &s.text).unwrap();
            let out = Command::new(check[0])
                .args(check[1..].iter().filter(|a| !a.is_empty()))
                .arg(&path)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{format:?} {name}: {}\n{}",
                text(&out).1,
                s.text
            );
        }
    }
}

#[test]
fn export_cli_writes_each_format_and_refuses_a_missing_request_name() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.json");
    std::fs::write(&file, store::to_text(&collection("http://127.0.0.1:9"))).unwrap();
    for format in FORMATS {
        let mut cmd = sigscope();
        cmd.args(["export", format.name()]).arg(&file);
        if !format.holds_many() {
            cmd.arg("create");
        }
        let out = cmd.output().unwrap();
        let (stdout, stderr) = text(&out);
        assert!(out.status.success(), "{format:?}: {stderr}");
        assert!(stdout.contains("/test/pets"), "{format:?}: {stdout}");
    }
    let out = sigscope()
        .args(["export", "python"])
        .arg(&file)
        .output()
        .unwrap();
    let (_, stderr) = text(&out);
    assert!(
        !out.status.success() && stderr.contains("name it"),
        "{stderr}"
    );
}
