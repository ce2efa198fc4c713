//! The binary as a user runs it.

mod common;

use common::{demo_env, sigscope, start_mock, text};

#[test]
fn demo_runs_every_request_and_diagnoses_each_failure() {
    let out = sigscope().arg("demo").output().unwrap();
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    // The collection's part (the logins that follow have their own test in credentials.rs).
    let stdout = stdout.split("── Logins").next().unwrap();
    // Two signed calls, and two preflights answered 200 (one of them refused by its headers).
    assert_eq!(stdout.matches("→ 200 OK").count(), 4, "{stdout}");
    assert!(stdout.contains("→ 201 Created"), "{stdout}");
    for kind in [
        "signature-mismatch",
        "credential-scope",
        "clock-skew",
        "access-denied",
        "missing-authentication-token",
        "invalid-credentials",
        "cors-allowed",
        "cors-refused",
    ] {
        assert!(
            stdout.contains(&format!("diagnosis: {kind}")),
            "no {kind} in:\n{stdout}"
        );
    }
    // The denied DELETE is explained by the gateway's policy simulator.
    assert!(
        stdout.contains("why: explicitDeny: a Deny statement decides")
            && stdout.contains("why:   deciding: sigscope-mock-policy (IAM Policy)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("x-amz-content-sha256 missing from Access-Control-Allow-Headers"),
        "{stdout}"
    );
}

#[test]
fn sign_json_has_the_documented_fields_and_no_session_token() {
    let out = demo_env(&mut sigscope())
        .env("AWS_SESSION_TOKEN", "FQoGZXIvYXdzEXAMPLETOKENVALUE")
        .args(["sign", "--json", "--at", "20150830T123600Z"])
        .arg("https://abc123.execute-api.eu-west-1.amazonaws.com/prod/pets?b=2&a=1")
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    for field in [
        "canonical_request",
        "string_to_sign",
        "signature",
        "signed_headers",
        "credential_scope",
        "authorization",
        "url",
        "signed_request",
    ] {
        assert!(!v[field].is_null(), "missing {field}");
    }
    assert_eq!(
        v["credential_scope"],
        "20150830/eu-west-1/execute-api/aws4_request"
    );
    assert!(v["canonical_request"]
        .as_str()
        .unwrap()
        .starts_with("GET\n/prod/pets\na=1&b=2\n"));
    assert!(
        !stdout.contains("EXAMPLETOKENVALUE"),
        "session token leaked"
    );
    assert!(
        !stdout.contains("AKIAIOSFODNN7EXAMPLE\""),
        "unmasked key id"
    );
}

#[test]
fn custom_domains_ask_for_region_and_service() {
    let out = demo_env(&mut sigscope())
        .args(["sign", "https://api.example.com/v1/pets"])
        .output()
        .unwrap();
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains("--region") && stderr.contains("--service"),
        "{stderr}"
    );
}

#[test]
fn invalid_urls_and_headers_are_refused_before_sending() {
    let out = demo_env(&mut sigscope())
        .args(["send", "not a url"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).1.contains("invalid URL"));
    let out = demo_env(&mut sigscope())
        .args([
            "send",
            "-H",
            "NoColonHere",
            "--region",
            "us-east-1",
            "--service",
            "execute-api",
            "http://127.0.0.1:9/",
        ])
        .output()
        .unwrap();
    assert!(text(&out).1.contains("invalid header"), "{}", text(&out).1);
}

#[test]
fn a_dead_server_is_a_transport_failure_with_its_own_exit_code() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = demo_env(&mut sigscope())
        .args(["send", "--region", "us-east-1", "--service", "execute-api"])
        .arg(format!("http://127.0.0.1:{port}/test/pets"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let err = text(&out).1;
    assert!(err.contains("error: no response (refused)"), "{err}");
    assert!(
        err.contains("diagnosis: refused") && err.contains("next steps:"),
        "{err}"
    );
}

#[test]
fn unknown_profiles_name_the_ones_that_exist() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::write(
        &config,
        "[profile dev]\nregion = eu-west-1\n[profile prod]\nregion=us-east-1\n",
    )
    .unwrap();
    let out = sigscope()
        .env("AWS_CONFIG_FILE", &config)
        .args(["sign", "--profile", "nope", "https://sts.amazonaws.com/"])
        .output()
        .unwrap();
    let (_, stderr) = text(&out);
    assert!(
        stderr.contains("'nope' does not exist") && stderr.contains("dev, prod"),
        "{stderr}"
    );
}

#[test]
fn credential_process_profiles_sign_and_failures_show_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.sh");
    std::fs::write(&good, "#!/bin/sh\necho '{\"Version\":1,\"AccessKeyId\":\"AKIAIOSFODNN7EXAMPLE\",\"SecretAccessKey\":\"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"}'\n").unwrap();
    let bad = dir.path().join("bad.sh");
    std::fs::write(
        &bad,
        "#!/bin/sh\necho 'token refresh failed: corp VPN down' >&2\nexit 3\n",
    )
    .unwrap();
    for f in [&good, &bad] {
        std::process::Command::new("chmod")
            .arg("+x")
            .arg(f)
            .status()
            .unwrap();
    }
    let config = dir.path().join("config");
    std::fs::write(&config, format!("[profile proc]\ncredential_process = {}\n[profile broken]\ncredential_process = {}\n[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\nregion = us-east-1\n[sso-session corp]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n", good.display(), bad.display())).unwrap();
    let run = |profile: &str| {
        sigscope()
            .env("AWS_CONFIG_FILE", &config)
            .env("HOME", dir.path())
            .args([
                "sign",
                "--profile",
                profile,
                "--at",
                "20261122T101500Z",
                "https://sts.amazonaws.com/",
            ])
            .output()
            .unwrap()
    };
    let out = run("proc");
    assert!(out.status.success(), "{}", text(&out).1);
    assert!(text(&out)
        .0
        .contains("Credential=AKIAIOSFODNN7EXAMPLE/20261122/us-east-1/sts/aws4_request"));
    let out = run("broken");
    assert!(!out.status.success());
    assert!(
        text(&out).1.contains("credential_process"),
        "{}",
        text(&out).1
    );
    let out = run("sso");
    assert!(!out.status.success());
    assert!(
        text(&out).1.contains("sigscope login --profile sso"),
        "{}",
        text(&out).1
    );
}

#[test]
fn profiles_lists_kinds_and_regions() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::write(&config, "[default]\nregion = eu-west-1\n[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = default\n").unwrap();
    let creds = dir.path().join("credentials");
    std::fs::write(&creds, "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n").unwrap();
    let out = sigscope()
        .env("AWS_CONFIG_FILE", &config)
        .env("AWS_SHARED_CREDENTIALS_FILE", &creds)
        .arg("profiles")
        .output()
        .unwrap();
    let (stdout, _) = text(&out);
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("admin") && l.contains("assume-role")),
        "{stdout}"
    );
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("default") && l.contains("static") && l.contains("eu-west-1")),
        "{stdout}"
    );
    assert!(!stdout.contains("wJalr"));
}

#[test]
fn diagnose_reads_a_raw_response_and_diffs_against_a_trace() {
    let dir = tempfile::tempdir().unwrap();
    // Our trace for GET /test/pets signed at the fixture's time...
    let out = demo_env(&mut sigscope())
        .args([
            "sign",
            "--json",
            "--at",
            "20261122T101500Z",
            "https://abc123.execute-api.us-east-1.amazonaws.com/test/pets?x=1",
        ])
        .output()
        .unwrap();
    let trace = dir.path().join("trace.json");
    std::fs::write(&trace, &out.stdout).unwrap();
    // ...and the server's answer from the signature-mismatch fixture (it saw no query).
    let fixture: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/aws-errors/rest-signature-mismatch.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let response = dir.path().join("response.txt");
    std::fs::write(&response, format!("HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nx-amzn-ErrorType: InvalidSignatureException\r\n\r\n{}", fixture["body"].as_str().unwrap())).unwrap();
    let out = sigscope()
        .args(["diagnose", "--json", "--response"])
        .arg(&response)
        .arg("--trace")
        .arg(&trace)
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["kind"], "signature-mismatch");
    assert_eq!(
        v["server_canonical_request"],
        fixture["expect"]["server_canonical_request"]
    );
    assert!(
        v["diff"]["explanation"].as_str().unwrap().contains("query"),
        "{}",
        v["diff"]
    );
    // The same in text: the server's canonical request and string-to-sign, then the diff
    // with its first difference marked (the query the server did not see).
    let out = sigscope()
        .args(["diagnose", "--response"])
        .arg(&response)
        .arg("--trace")
        .arg(&trace)
        .output()
        .unwrap();
    let (stdout, _) = text(&out);
    assert!(stdout.lines().next().unwrap() == "diagnosis: signature-mismatch");
    let server_canonical = fixture["expect"]["server_canonical_request"]
        .as_str()
        .unwrap();
    let quoted: String = server_canonical
        .split('\n')
        .map(|l| format!("  | {l}\n"))
        .collect();
    assert!(
        stdout.contains(&format!("the server's canonical request:\n{quoted}")),
        "{stdout}"
    );
    assert!(
        stdout.contains("the server's string-to-sign:\n  | AWS4-HMAC-SHA256\n"),
        "{stdout}"
    );
    let first = stdout
        .lines()
        .find(|l| l.ends_with("<-- first difference"))
        .unwrap_or_else(|| panic!("no difference marked: {stdout}"));
    assert!(first.trim_start().starts_with("- x=1"), "{first}");
    let out = sigscope()
        .args(["diagnose", "--response"])
        .arg(&response)
        .output()
        .unwrap();
    assert!(text(&out).0.lines().next().unwrap() == "diagnosis: signature-mismatch");
}

#[test]
fn doctor_stops_at_the_clock_when_the_server_clock_is_off() {
    let (mut mock, url) = start_mock(&["--clock-skew", "900"]);
    let out = demo_env(&mut sigscope())
        .args([
            "doctor",
            "--region",
            "us-east-1",
            "--service",
            "execute-api",
        ])
        .arg(format!("{url}/test/pets"))
        .output()
        .unwrap();
    mock.kill().ok();
    let (stdout, _) = text(&out);
    assert_eq!(out.status.code(), Some(3), "{stdout}");
    assert!(
        stdout.contains("FAIL our clock vs the server's"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("the request itself"),
        "must stop at the first failure:\n{stdout}"
    );
}

#[test]
fn send_prints_the_kind_of_an_auth_failure_on_its_own_line() {
    let (mut mock, url) = start_mock(&[]);
    let out = demo_env(&mut sigscope())
        .args(["send", "--region", "eu-west-1", "--service", "execute-api"])
        .arg(format!("{url}/test/pets"))
        .output()
        .unwrap();
    let ok = demo_env(&mut sigscope())
        .args([
            "send",
            "--region",
            "us-east-1",
            "--service",
            "execute-api",
            "-d",
            "{\"type\":\"cat\"}",
            "-H",
            "Content-Type: application/json",
        ])
        .arg(format!("{url}/test/pets"))
        .output()
        .unwrap();
    mock.kill().ok();
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.lines().any(|l| l == "diagnosis: credential-scope"),
        "{stderr}"
    );
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok).1);
    assert!(text(&ok).0.contains("\"type\":\"cat\""));
}

#[test]
fn whoami_and_an_access_denied_use_sts_for_the_account_aws_masks() {
    let (mut mock, url) = start_mock(&[]);
    let whoami = demo_env(&mut sigscope())
        .env("AWS_ENDPOINT_URL_STS", &url)
        .env("AWS_REGION", "us-east-1")
        .arg("whoami")
        .output()
        .unwrap();
    let denied = |sts: &str| {
        demo_env(&mut sigscope())
            .env("AWS_ENDPOINT_URL_STS", sts)
            .args([
                "send",
                "-X",
                "DELETE",
                "--region",
                "us-east-1",
                "--service",
                "execute-api",
            ])
            .arg(format!("{url}/test/pets/1"))
            .output()
            .unwrap()
    };
    let filled = denied(&url);
    // No STS to ask: the diagnosis stays as AWS wrote it, and says how to find out.
    let unfilled = denied("http://127.0.0.1:9");
    mock.kill().ok();
    let (out, err) = text(&whoami);
    assert!(whoami.status.success(), "{out}{err}");
    assert!(
        out.contains("arn:aws:iam::123456789012:user/demo") && out.contains("123456789012"),
        "{out}"
    );
    let (_, err) = text(&filled);
    assert_eq!(filled.status.code(), Some(3), "{err}");
    assert!(
        err.lines().any(|l| l == "diagnosis: access-denied"),
        "{err}"
    );
    // An explicit deny: the denied resource with the real account, and no Allow offered.
    let statement = "arn:aws:execute-api:us-east-1:123456789012:demoapi/test/DELETE/pets/1";
    assert!(
        err.contains(statement) && err.contains("masks is yours: 123456789012"),
        "the denied resource names the real account: {err}"
    );
    assert!(!err.contains("would allow it"), "{err}");
    let (_, err) = text(&unfilled);
    // The simulator's offer that follows fills the account from the principal's ARN (its
    // last four digits match the mask); the diagnosis itself stays as AWS wrote it.
    let (diagnosis, offer) = err.split_once("why?").unwrap_or((&err, ""));
    assert!(
        !diagnosis.contains(statement) && diagnosis.contains("`sigscope whoami` shows yours"),
        "{err}"
    );
    assert!(offer.contains(&format!("--resource {statement}")), "{err}");
}

#[test]
fn history_records_exchanges_without_secrets_with_0600_files_and_a_size_cap() {
    let data = tempfile::tempdir().unwrap();
    let (mut mock, url) = start_mock(&[]);
    for i in 0..3 {
        let out = demo_env(&mut sigscope())
            .env("SIGSCOPE_DATA_DIR", data.path())
            .env("AWS_SESSION_TOKEN", "FQoGZXIvYXdzHISTORYTOKENVALUE")
            .args([
                "send",
                "--omit-session-token",
                "--region",
                "us-east-1",
                "--service",
                "execute-api",
            ])
            .arg(format!("{url}/test/echo/{i}"))
            .output()
            .unwrap();
        assert!(out.status.code().is_some(), "{}", text(&out).1);
    }
    mock.kill().ok();
    let dir = data.path().join("history");
    let files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 3);
    for f in &files {
        let body = std::fs::read_to_string(f).unwrap();
        assert!(
            !body.contains("HISTORYTOKENVALUE"),
            "session token in history: {}",
            f.display()
        );
        assert!(!body.contains("wJalrXUtnFEMI"), "secret in history");
        assert!(body.contains("Signature="), "the signature itself may stay");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(f).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
    }
    let list = sigscope()
        .env("SIGSCOPE_DATA_DIR", data.path())
        .args(["history", "list"])
        .output()
        .unwrap();
    let (stdout, _) = text(&list);
    assert_eq!(stdout.lines().count(), 3, "{stdout}");
    let id = stdout
        .lines()
        .next()
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap();
    let show = sigscope()
        .env("SIGSCOPE_DATA_DIR", data.path())
        .args(["history", "show", id])
        .output()
        .unwrap();
    assert!(text(&show).0.contains("/test/echo/0"));
    // A cap the size of one entry keeps only the newest.
    let newest = files.iter().max().unwrap().clone();
    let cap = std::fs::metadata(&newest).unwrap().len();
    sigscope::model::history::prune(&dir, cap).unwrap();
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(left, vec![newest]);
}

#[test]
fn the_gateway_serves_routes_taken_from_a_collection() {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("c.json");
    std::fs::write(
        &c,
        r#"{"version": 1, "name": "r", "requests": [
        {"name": "item", "method": "GET", "url": "{{base}}/test/items/{{id}}"}]}"#,
    )
    .unwrap();
    let (mut mock, url) = start_mock(&["--routes", c.to_str().unwrap()]);
    let send = |path: &str| {
        demo_env(&mut sigscope())
            .args(["send", "--region", "us-east-1", "--service", "execute-api"])
            .arg(format!("{url}{path}"))
            .output()
            .unwrap()
    };
    let served = send("/test/items/42");
    let missing = send("/test/pets");
    mock.kill().ok();
    assert_eq!(served.status.code(), Some(0), "{}", text(&served).1);
    assert!(text(&served).0.contains("\"path\":\"/test/items/42\""));
    assert!(
        text(&missing).1.contains("missing-authentication-token"),
        "{}",
        text(&missing).1
    );
}

#[test]
fn no_credentials_at_all_says_where_sigscope_looked() {
    let out = sigscope()
        .args([
            "sign",
            "--at",
            "20261122T101500Z",
            "https://sts.amazonaws.com/",
        ])
        .output()
        .unwrap();
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains("no AWS credentials found")
            && stderr.contains("AWS_ACCESS_KEY_ID")
            && stderr.contains("/nonexistent/sigscope-test/config"),
        "{stderr}"
    );
}
