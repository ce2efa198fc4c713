//! Issue 12, "nothing leaks": credentials never reach the history or the logs (bodies
//! included), and text from files or the network never drives the terminal.

mod common;

use common::{sigscope, start_mock, text};
use std::path::Path;

const KEY_ID: &str = "ASIAQEXAMPLETEMPKEY1";
const SECRET: &str = "tmpSecretKeyNoSlashOrPlus0123456789ABCDE";
const TOKEN: &str =
    "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKENx9/y8+z7w6v5u4t3s2r1q0p9o8n7m6l5k4j3i2h1g0f";

/// A gateway that knows a temporary key (with its session token) and echoes what it gets.
fn temporary_key_gateway(dir: &Path) -> (std::process::Child, String) {
    let keys = dir.join("keys.json");
    std::fs::write(
        &keys,
        serde_json::json!([{
            "access_key_id": KEY_ID,
            "secret_access_key": SECRET,
            "principal": "arn:aws:sts::123456789012:assumed-role/demo/session",
            "session_token": TOKEN,
        }])
        .to_string(),
    )
    .unwrap();
    start_mock(&["--keys", keys.to_str().unwrap()])
}

fn history_text(data: &Path) -> Vec<(String, serde_json::Value)> {
    std::fs::read_dir(data.join("history"))
        .unwrap()
        .map(|e| {
            let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
            let v = serde_json::from_str(&text).unwrap();
            (text, v)
        })
        .collect()
}

/// Item 1: `AWS_SESSION_TOKEN=… sigscope send …/test/echo/x` put the token in the entry's
/// `response_body` (the gateway echoes the headers); a body holding the secret key came
/// back the same way; a bearer token came back inside the gateway's error message.
#[test]
fn echoed_tokens_keys_and_bearer_credentials_are_redacted_and_the_entry_says_so() {
    let data = tempfile::tempdir().unwrap();
    let (mut mock, url) = temporary_key_gateway(data.path());
    let send = |extra: &[&str]| {
        sigscope()
            .env("SIGSCOPE_DATA_DIR", data.path())
            .env("AWS_ACCESS_KEY_ID", KEY_ID)
            .env("AWS_SECRET_ACCESS_KEY", SECRET)
            .env("AWS_SESSION_TOKEN", TOKEN)
            .args([
                "send",
                "-v",
                "--region",
                "us-east-1",
                "--service",
                "execute-api",
            ])
            .args(extra)
            .output()
            .unwrap()
    };
    let echoed = send(&[&format!("{url}/test/echo/x")]);
    let (stdout, stderr) = text(&echoed);
    assert_eq!(echoed.status.code(), Some(0), "{stderr}");
    assert!(
        stdout.contains(TOKEN),
        "the gateway echoes the token: {stdout}"
    );
    assert!(
        !stderr.contains(TOKEN),
        "the -v log holds the token: {stderr}"
    );
    let body = send(&[
        "-d",
        &format!("{{\"note\":\"{SECRET}\"}}"),
        &format!("{url}/test/echo/body"),
    ]);
    assert_eq!(body.status.code(), Some(0), "{}", text(&body).1);
    let bearer = sigscope()
        .env("SIGSCOPE_DATA_DIR", data.path())
        .args([
            "send",
            "--no-sign",
            "-H",
            "Authorization: Bearer opaque-bearer-value-42",
        ])
        .arg(format!("{url}/test/echo/bearer"))
        .output()
        .unwrap();
    assert!(
        text(&bearer).0.contains("opaque-bearer-value-42"),
        "the gateway's error quotes the header: {}",
        text(&bearer).0
    );
    mock.kill().ok();

    let entries = history_text(data.path());
    assert_eq!(entries.len(), 3);
    for (raw, entry) in &entries {
        for secret in [
            TOKEN,
            SECRET,
            "opaque-bearer-value-42",
            "IQoJb3JpZ2luX2VjEXAMPLE",
        ] {
            assert!(!raw.contains(secret), "{secret} in history: {raw}");
        }
        assert!(
            entry["redacted"].as_array().is_some_and(|a| !a.is_empty()),
            "the entry does not say what was redacted: {raw}"
        );
    }
    let said: Vec<String> = entries
        .iter()
        .flat_map(|(_, e)| e["redacted"].as_array().unwrap().clone())
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    for what in [
        "session token",
        "secret access key",
        "bearer/basic credential",
    ] {
        assert!(said.iter().any(|s| s == what), "{what} not named: {said:?}");
    }
    let (raw, _) = entries
        .iter()
        .find(|(raw, _)| raw.contains("/test/echo/x"))
        .unwrap();
    assert!(raw.contains("<redacted-session-token>"), "{raw}");

    // `history show` prints what was recorded: no token either.
    let list = sigscope()
        .env("SIGSCOPE_DATA_DIR", data.path())
        .args(["history", "list"])
        .output()
        .unwrap();
    for line in text(&list).0.lines() {
        let id = line.split_whitespace().next().unwrap();
        let show = sigscope()
            .env("SIGSCOPE_DATA_DIR", data.path())
            .args(["history", "show", id])
            .output()
            .unwrap();
        let (out, _) = text(&show);
        assert!(out.contains("\"redacted\""), "{out}");
        assert!(!out.contains(TOKEN) && !out.contains(SECRET), "{out}");
    }
}

/// Item 1, the workbench's way: the TUI records through `history::record` too; a trace's
/// token, a token pasted into a header of a request body, and one cut in two by the body
/// cap are all replaced.
#[test]
fn the_core_history_writer_redacts_what_the_workbench_hands_it() {
    use sigscope::http::{Exchange, Response, Timing};
    use sigscope::sign::WireRequest;
    let dir = tempfile::tempdir().unwrap();
    let mut request = WireRequest::from_url("POST", "http://127.0.0.1:9/test/echo/w").unwrap();
    request
        .headers
        .push(("X-Amz-Security-Token".into(), TOKEN.into()));
    request.body = format!("{{\"t\":\"{TOKEN}\"}}").into_bytes().into();
    let echoed = format!(
        "{{\"headers\":{{\"x-amz-security-token\":\"{}\"}},\"body\":\"{{\\\"t\\\":\\\"{}\\\"}}\"}}",
        TOKEN,
        TOKEN.replace('/', "\\/")
    );
    let x = Exchange {
        request,
        trace: None,
        response: Response {
            status: 200,
            reason: "OK".into(),
            headers: vec![("x-echo-token".into(), TOKEN.into())],
            body: echoed.into_bytes().into(),
        },
        timing: Timing {
            started: std::time::SystemTime::now(),
            total: std::time::Duration::from_millis(3),
        },
    };
    sigscope::model::history::record(dir.path(), &x, Some("from the workbench")).unwrap();
    let file = std::fs::read_dir(dir.path())
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    let raw = std::fs::read_to_string(file.path()).unwrap();
    assert!(!raw.contains("IQoJb3JpZ2lu"), "{raw}");
    assert!(raw.contains("\"session token\""), "{raw}");
}

/// Item 6, CLI part: a collection named with terminal sequences, and a server whose answer
/// holds them, print as visible escapes.
#[test]
fn terminal_sequences_from_files_and_the_network_print_as_visible_escapes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("evil.json"),
        r#"{"version": 1, "name": "pets\u001b]0;owned\u0007\u001b[2J",
            "requests": [{"name": "r\u001b[31m", "method": "GET", "url": "http://127.0.0.1:9/"}]}"#,
    )
    .unwrap();
    let out = sigscope()
        .args(["collections", "--collections"])
        .arg(dir.path())
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert!(
        !stdout.contains('\u{1b}') && !stdout.contains('\u{7}'),
        "{stdout:?}"
    );
    assert!(stdout.contains("pets^[]0;owned^G^[[2J"), "{stdout}");
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");

    // A server whose error message and headers hold terminal sequences: the diagnosis,
    // the -v head and the status line print them escaped.
    let server = hostile_server(
        "HTTP/1.1 403 Forbidden\r\nx-amzn-ErrorType: AccessDeniedException\r\n\
         x-evil: \u{9b}31mred\r\nContent-Type: application/json\r\nContent-Length: {len}\r\n\r\n{body}",
        "{\"Message\":\"User: arn:x\\u001b]0;pwned\\u0007\\u001b[2J is not authorized to perform: execute-api:Invoke on resource: arn:r\"}",
    );
    let out = sigscope()
        .args(["send", "-v", "--no-sign"])
        .arg(format!("http://{server}/test/pets"))
        .output()
        .unwrap();
    let (_, stderr) = text(&out);
    assert!(stderr.contains("diagnosis:"), "{stderr}");
    assert!(stderr.contains("^[]0;pwned^G"), "{stderr}");
    assert!(stderr.contains("x-evil: <U+009B>31mred"), "{stderr}");
    for c in ['\u{1b}', '\u{7}', '\u{9b}'] {
        assert!(!stderr.contains(c), "{stderr:?}");
    }

    // `run` prints request names from the file.
    let out = sigscope()
        .args([
            "run",
            dir.path().join("evil.json").to_str().unwrap(),
            "--timeout",
            "2",
        ])
        .output()
        .unwrap();
    let (stdout, _) = text(&out);
    assert!(
        stdout.contains("r^[[31m") && !stdout.contains('\u{1b}'),
        "{stdout:?}"
    );
}

/// Answers one connection with `template` (`{len}` and `{body}` filled in); returns its
/// address.
fn hostile_server(template: &'static str, body: &'static str) -> std::net::SocketAddr {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        if let Ok((mut s, _)) = listener.accept() {
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            let reply = template
                .replace("{len}", &body.len().to_string())
                .replace("{body}", body);
            let _ = s.write_all(reply.as_bytes());
        }
    });
    addr
}
