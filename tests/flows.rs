//! `sigscope run` as a user runs it, against the local gateway: a create → get → delete flow
//! chained by captures and checked by assertions, the same with a wrong expectation, JUnit
//! and JSON reports, dependencies and cycles, data rows, --bail, --jobs, a dead server, a
//! negative IAM test, --save-env, and a Postman collection with test scripts imported and run.

mod common;

use common::{demo_env, sigscope, start_mock, text};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::Output;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/flows")
        .join(name)
}

/// The gateway with a policy that allows DELETE (the demo's denies it).
fn gateway() -> (std::process::Child, String) {
    let policy = fixture("allow-all.policy.json");
    start_mock(&["--policy", policy.to_str().unwrap()])
}

/// The create → get → delete flow; `pet_type` is what `get` expects back.
fn pet_flow(base: &str, pet_type: &str) -> serde_json::Value {
    json!({
        "version": 1, "name": "pets",
        "variables": {"base": base},
        "auth": {"type": "aws-sigv4", "region": "us-east-1", "service": "execute-api"},
        "folders": [{"name": "flow", "requests": [
            {"name": "create", "method": "POST", "url": "{{base}}/test/pets",
             "body": {"type": "json", "content": {"type": "dog", "price": 249.99}},
             "captures": [{"variable": "petId", "from": {"json": ".pet.id"}},
                          {"variable": "requestId", "from": {"header": "x-amzn-RequestId"}}],
             "assertions": [{"status": 201}, {"json": ".pet.type", "equals": "dog"},
                            {"header": "content-type", "matches": "json"}, {"timeBelowMs": 5000}]},
            {"name": "get", "method": "GET", "url": "{{base}}/test/pets/{{petId}}",
             "assertions": [{"status": "2xx"}, {"json": ".id", "equals": "{{petId}}"},
                            {"json": ".type", "equals": pet_type}, {"json": ".price", "compare": "< 300"}]},
            {"name": "delete", "method": "DELETE", "url": "{{base}}/test/pets/{{petId}}",
             "assertions": [{"status": [200, 204]}]},
            {"name": "gone", "method": "GET", "url": "{{base}}/test/pets/{{petId}}",
             "assertions": [{"status": 404}, {"bodyContains": "not found"}]}
        ]}]
    })
}

fn write(dir: &Path, name: &str, v: &serde_json::Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(v).unwrap()).unwrap();
    path
}

fn run(path: &Path, args: &[&str]) -> Output {
    demo_env(&mut sigscope())
        .arg("run")
        .arg(path)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn a_create_get_delete_flow_passes_with_captures_and_assertions() {
    let (mut mock, base) = gateway();
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "pets.json", &pet_flow(&base, "dog"));
    let report = dir.path().join("report.json");
    let out = run(
        &path,
        &[
            "--reporter",
            "human",
            "--reporter",
            &format!("json={}", report.display()),
        ],
    );
    mock.kill().ok();
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains("4 requests, 0 failed · 11 assertions, 0 failed"),
        "{stdout}"
    );
    // Not a terminal: no progress bar, nothing on standard error.
    assert!(stderr.is_empty(), "{stderr}");
    let r: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(r["passed"], true);
    let results = r["results"].as_array().unwrap();
    let names: Vec<&str> = results
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["create", "get", "delete", "gone"]);
    // The id the gateway gave is the one `get` and `delete` used.
    let id = results[0]["captures"][0]["value"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(id.parse::<u64>().unwrap() >= 4, "{id}");
    for r in &results[1..] {
        assert!(
            r["url"]
                .as_str()
                .unwrap()
                .ends_with(&format!("/test/pets/{id}")),
            "{r}"
        );
    }
    assert_eq!(
        results[1]["assertions"][1]["expected"],
        format!("== \"{id}\"")
    );
    assert_eq!(results[3]["status"], 404);
    assert!(results[0]["captures"][1]["value"].as_str().unwrap().len() >= 32);
}

#[test]
fn a_wrong_expected_value_fails_with_a_readable_report() {
    let (mut mock, base) = gateway();
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "pets.json", &pet_flow(&base, "cat"));
    let out = run(&path, &[]);
    let junit = dir.path().join("junit.xml");
    let again = run(&path, &["-r", &format!("junit={}", junit.display())]);
    mock.kill().ok();
    let (stdout, _) = text(&out);
    assert_eq!(out.status.code(), Some(3), "{stdout}");
    // The failing request, the assertion as written, expected against actual.
    assert!(stdout.contains("✗ 200 "), "{stdout}");
    assert!(
        stdout.contains(
            "      ✗ json .type == \"cat\"\n          expected  == \"cat\"\n          actual    \"dog\""
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("4 requests, 1 failed · 11 assertions, 1 failed"),
        "{stdout}"
    );
    // The flow went on: delete and gone passed with the captured id.
    assert!(stdout.contains("  404 "), "{stdout}");
    // The JUnit report says the same: parsed back with an XML parser.
    assert_eq!(again.status.code(), Some(3));
    let xml = std::fs::read_to_string(&junit).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    assert_eq!(root.attribute("tests"), Some("4"));
    assert_eq!(root.attribute("failures"), Some("1"));
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 4);
    let failed = cases
        .iter()
        .find(|c| c.children().any(|n| n.has_tag_name("failure")))
        .unwrap();
    assert_eq!(failed.attribute("name"), Some("GET flow/get"));
    assert_eq!(failed.attribute("classname"), Some("pets.flow"));
    let failure = failed
        .children()
        .find(|n| n.has_tag_name("failure"))
        .unwrap();
    assert_eq!(
        failure.attribute("message"),
        Some("json .type == \"cat\": actual \"dog\"")
    );
    assert!(failure.text().unwrap().contains("expected  == \"cat\""));
}

#[test]
fn a_postman_collection_with_test_scripts_is_imported_and_run() {
    let (mut mock, base) = gateway();
    let dir = tempfile::tempdir().unwrap();
    let imported = dir.path().join("imported.json");
    let out = sigscope()
        .arg("import")
        .arg(fixture("pets.postman_collection.json"))
        .arg("-o")
        .arg(&imported)
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}{stderr}");
    // Every script was one of the common shapes: nothing left as text.
    assert!(!stderr.contains("script"), "{stderr}");
    let c: serde_json::Value = serde_json::from_slice(&std::fs::read(&imported).unwrap()).unwrap();
    assert_eq!(
        c["requests"][0]["captures"],
        json!([{"variable": "petId", "from": {"json": ".pet.id"}}])
    );
    assert_eq!(c["requests"][1]["captures"][0]["scope"], "environment");
    let out = run(&imported, &["--var", &format!("baseUrl={base}")]);
    // The same with a gateway that denies DELETE: the flow fails there and says why.
    let (mut demo, demo_base) = start_mock(&[]);
    let denied = run(&imported, &["--var", &format!("baseUrl={demo_base}")]);
    mock.kill().ok();
    demo.kill().ok();
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains("4 requests, 0 failed · 8 assertions, 0 failed"),
        "{stdout}"
    );
    let (stdout, _) = text(&denied);
    assert_eq!(denied.status.code(), Some(3), "{stdout}");
    assert!(
        stdout.contains("✗ 403 ") && stdout.contains("delete pet  (access-denied"),
        "{stdout}"
    );
}

#[test]
fn sources_of_captured_variables_run_first_and_cycles_are_refused() {
    let (mut mock, base) = gateway();
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "pets.json", &pet_flow(&base, "dog"));
    let only_get = run(&path, &["flow/get"]);
    let cycle = json!({"version": 1, "name": "loop", "requests": [
        {"name": "a", "method": "GET", "url": format!("{base}/test/echo/{{{{b}}}}"),
         "captures": [{"variable": "a", "from": "status"}]},
        {"name": "b", "method": "GET", "url": format!("{base}/test/echo/{{{{a}}}}"),
         "captures": [{"variable": "b", "from": "status"}]}
    ]});
    let cycle = run(&write(dir.path(), "loop.json", &cycle), &[]);
    mock.kill().ok();
    let (stdout, stderr) = text(&only_get);
    assert_eq!(only_get.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains(
            "note: runs 'flow/create' first: it captures {{petId}}, which 'flow/get' uses"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("2 requests, 0 failed"), "{stdout}");
    let (stdout, stderr) = text(&cycle);
    assert_eq!(cycle.status.code(), Some(1), "{stdout}{stderr}");
    assert!(
        stderr.contains("'a' needs {{b}} from 'b', 'b' needs {{a}} from 'a'"),
        "{stderr}"
    );
    assert!(stdout.is_empty(), "nothing was sent: {stdout}");
}

#[test]
fn data_rows_iterate_and_jobs_run_iterations_side_by_side() {
    let (mut mock, base) = gateway();
    let dir = tempfile::tempdir().unwrap();
    let c = json!({
        "version": 1, "name": "typed",
        "auth": {"type": "aws-sigv4", "region": "us-east-1", "service": "execute-api"},
        "requests": [
            {"name": "create", "method": "POST", "url": format!("{base}/test/pets"),
             "body": {"type": "json", "content": {"type": "{{type}}", "price": "{{price}}"}},
             "captures": [{"variable": "petId", "from": {"json": ".pet.id"}}],
             "assertions": [{"status": 201}, {"json": ".pet.type", "equals": "{{type}}"}]},
            {"name": "get", "method": "GET", "url": format!("{base}/test/pets/{{{{petId}}}}"),
             "assertions": [{"json": ".type", "equals": "{{type}}"}]},
            {"name": "delete", "method": "DELETE", "url": format!("{base}/test/pets/{{{{petId}}}}"),
             "assertions": [{"status": 200}]}
        ]
    });
    let path = write(dir.path(), "typed.json", &c);
    let csv = dir.path().join("pets.csv");
    std::fs::write(&csv, "type,price\ndog,1\ncat,2\n\"fish, gold\",3\n").unwrap();
    let data = run(&path, &["--data", csv.to_str().unwrap(), "-r", "json"]);
    let parallel = run(
        &path,
        &[
            "--data",
            csv.to_str().unwrap(),
            "-n",
            "30",
            "-j",
            "8",
            "-r",
            "json",
        ],
    );
    let bad = run(
        &path,
        &["--data", dir.path().join("none.csv").to_str().unwrap()],
    );
    mock.kill().ok();
    let (stdout, stderr) = text(&data);
    assert_eq!(data.status.code(), Some(0), "{stdout}{stderr}");
    let r: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(r["summary"]["iterations"], 3);
    assert_eq!(r["summary"]["requests"], 9);
    let types: Vec<&str> = r["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["name"] == "create")
        .map(|x| x["assertions"][1]["expected"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["== \"dog\"", "== \"cat\"", "== \"fish, gold\""]);
    // 30 iterations, 8 in flight: every chain still gets its own id.
    let (stdout, stderr) = text(&parallel);
    assert_eq!(parallel.status.code(), Some(0), "{stderr}");
    let r: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(r["summary"]["requests"], 90);
    assert_eq!(r["summary"]["failed"], 0);
    let results = r["results"].as_array().unwrap();
    let mut ids: Vec<&str> = results
        .iter()
        .filter(|x| x["name"] == "create")
        .map(|x| x["captures"][0]["value"].as_str().unwrap())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 30, "each iteration created its own pet");
    let (_, stderr) = text(&bad);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr.contains("none.csv"), "{stderr}");
}

#[test]
fn bail_stops_at_the_first_failure_and_a_dead_server_is_a_transport_error() {
    let (mut mock, base) = gateway();
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "pets.json", &pet_flow(&base, "cat"));
    let bailed = run(&path, &["--bail"]);
    mock.kill().ok();
    let (stdout, stderr) = text(&bailed);
    assert_eq!(bailed.status.code(), Some(3), "{stdout}");
    assert!(stdout.contains("2 requests, 1 failed"), "{stdout}");
    assert!(stdout.contains("2 not run (--bail)"), "{stdout}");
    assert!(stderr.contains("--bail"), "{stderr}");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let path = write(dir.path(), "dead.json", &pet_flow(&dead, "dog"));
    let out = run(&path, &["flow/create"]);
    let (stdout, _) = text(&out);
    assert_eq!(out.status.code(), Some(4), "{stdout}");
    // The transport diagnosis: its kind, the address, what to do next.
    assert!(
        stdout.contains(
            "flow/create: no response (refused): nothing accepted the connection on 127.0.0.1:"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("\n      next: start the server"),
        "{stdout}"
    );
    assert!(stdout.contains("1 transport errors"), "{stdout}");
}

#[test]
fn an_iam_denial_can_be_the_expected_result() {
    // The demo policy denies DELETE on pets: a negative test asserts exactly that.
    let (mut mock, base) = start_mock(&[]);
    let dir = tempfile::tempdir().unwrap();
    let c = json!({"version": 1, "name": "iam",
    "auth": {"type": "aws-sigv4", "region": "us-east-1", "service": "execute-api"},
    "requests": [
        {"name": "delete is denied", "method": "DELETE", "url": format!("{base}/test/pets/1"),
         "assertions": [{"status": 403}, {"diagnosis": "access-denied"}]},
        {"name": "wrong expectation", "method": "DELETE", "url": format!("{base}/test/pets/2"),
         "assertions": [{"diagnosis": "signature-mismatch"}]}
    ]});
    let out = run(&write(dir.path(), "iam.json", &c), &[]);
    mock.kill().ok();
    let (stdout, _) = text(&out);
    assert_eq!(out.status.code(), Some(3), "{stdout}");
    assert!(stdout.contains("2 requests, 1 failed"), "{stdout}");
    assert!(
        stdout.contains("✗ diagnosis signature-mismatch\n          expected  signature-mismatch\n          actual    access-denied (403 "),
        "{stdout}"
    );
}

#[test]
fn environment_captures_are_written_only_with_save_env() {
    let (mut mock, base) = gateway();
    let dir = tempfile::tempdir().unwrap();
    let c = json!({"version": 1, "name": "env",
        "environments": {"dev": {"variables": {"base": base}}},
        "auth": {"type": "aws-sigv4", "region": "us-east-1", "service": "execute-api"},
        "requests": [{"name": "create", "method": "POST", "url": "{{base}}/test/pets",
            "body": {"type": "json", "content": {"type": "dog"}},
            "captures": [{"variable": "lastPet", "from": {"json": ".pet.id"}, "scope": "environment"}]}]});
    let path = write(dir.path(), "env.json", &c);
    let without = run(&path, &["--env", "dev"]);
    let before = std::fs::read_to_string(&path).unwrap();
    let with = run(&path, &["--env", "dev", "--save-env"]);
    mock.kill().ok();
    let (_, stderr) = text(&without);
    assert_eq!(without.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("--save-env writes them"), "{stderr}");
    assert!(!before.contains("lastPet\":"), "{before}");
    let (_, stderr) = text(&with);
    assert_eq!(with.status.code(), Some(0), "{stderr}");
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let id = saved["environments"]["dev"]["variables"]["lastPet"]
        .as_str()
        .unwrap();
    assert!(id.parse::<u64>().is_ok(), "{saved}");
}

#[test]
fn a_terminal_shows_a_progress_bar_while_the_run_goes() {
    let (mut mock, base) = start_mock(&[
        "--latency",
        "60",
        "--policy",
        fixture("allow-all.policy.json").to_str().unwrap(),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "pets.json", &pet_flow(&base, "dog"));
    let report = dir.path().join("r.json");
    let cmd = format!(
        "{} run {} -n 8 --no-history -r json={}",
        env!("CARGO_BIN_EXE_sigscope"),
        path.display(),
        report.display()
    );
    let data = dir.path().join("data");
    let term = common::tmux::Session::start(
        &cmd,
        &[
            ("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"),
            (
                "AWS_SECRET_ACCESS_KEY",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            ),
            ("AWS_CONFIG_FILE", "/nonexistent/config"),
            ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
            ("SIGSCOPE_DATA_DIR", data.to_str().unwrap()),
        ],
        100,
        10,
    );
    let during = term.wait_for("/32 requests");
    let done = term.wait_for("SIGSCOPE-EXITED 0");
    mock.kill().ok();
    assert!(during.contains("/32 requests"), "{during}");
    // Cleared at the end: the closing line stays, the bar does not.
    assert!(done.contains("32 requests, 0 failed"), "{done}");
    assert!(!done.contains("/32 requests"), "{done}");
}
