#![recursion_limit = "256"]
//! Network settings as a collection, an environment and a request save them, used by `run`
//! and the workbench: a collection CA file, a request's own CA (refused, diagnosed), a
//! `resolve` entry, an environment's proxy with its password from `{{$env.X}}`, a preflight
//! request; the secret check on a literal proxy password; the status line's warnings.

mod common;
#[path = "common/servers.rs"]
mod servers;

use common::{sigscope, text};
use servers::Ca;
use sigscope::tui::harness::Harness;
use std::path::Path;

fn collection(dir: &Path, tls_port: u16, gateway: &str, ca: &Path, other_ca: &Path) -> String {
    let json = serde_json::json!({
        "version": 1,
        "name": "corp",
        "variables": {"tls": format!("https://localhost:{tls_port}"), "gateway": gateway},
        "network": {"caFile": ca.display().to_string(), "timeoutSeconds": 5},
        "requests": [
            {"name": "trusted by the collection CA", "method": "GET", "url": "{{tls}}/a"},
            {"name": "private name by resolve", "method": "GET",
             "url": format!("https://api.internal.example:{tls_port}/b"),
             "network": {"resolve": [format!("api.internal.example:{tls_port}:127.0.0.1")]}},
            {"name": "another CA", "method": "GET", "url": "{{tls}}/c",
             "network": {"caFile": other_ca.display().to_string()}},
            {"name": "preflight", "method": "GET", "url": "{{gateway}}/test/pets",
             "auth": {"type": "aws-sigv4", "profile": "demo", "region": "us-east-1", "service": "execute-api"},
             "preflight": {"origin": "https://app.example.com"}},
            {"name": "preflight refused", "method": "PUT", "url": "{{gateway}}/test/echo/x",
             "auth": {"type": "aws-sigv4", "profile": "demo", "region": "us-east-1", "service": "execute-api"},
             "preflight": {"origin": "https://app.example.com"}}
        ]
    });
    let path = dir.join("corp.json");
    std::fs::write(&path, serde_json::to_string_pretty(&json).unwrap()).unwrap();
    path.display().to_string()
}

#[tokio::test]
async fn run_uses_each_levels_settings_and_diagnoses_what_fails() {
    let ca = Ca::new("Corp Root CA");
    let other = Ca::new("Staging CA");
    let server = servers::https(
        &ca.server(&["localhost", "api.internal.example"], -1, 30),
        &[],
        None,
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let (ca_file, other_file) = (ca.write(dir.path()), other.write(dir.path()));
    let (mut gateway, gateway_url) = common::start_mock(&[]);
    let file = collection(dir.path(), server.port, &gateway_url, &ca_file, &other_file);

    let data = dir.path().join("data");
    let plain = tokio::task::spawn_blocking(move || {
        sigscope()
            .env("SIGSCOPE_DATA_DIR", &data)
            .args(["run", &file])
            .output()
            .unwrap()
    })
    .await
    .unwrap();

    let _ = (gateway.kill(), gateway.wait());
    let (out, err) = text(&plain);
    assert_eq!(
        plain.status.code(),
        Some(4),
        "a transport error: {out}{err}"
    );
    let line = |name: &str| {
        out.lines()
            .find(|l| {
                l.ends_with(name)
                    || l.contains(&format!("{name}:"))
                    || l.contains(&format!("{name}  ("))
            })
            .unwrap_or_default()
            .to_string()
    };
    assert!(
        line("trusted by the collection CA")
            .trim_start()
            .starts_with("200"),
        "{out}"
    );
    assert!(
        line("private name by resolve")
            .trim_start()
            .starts_with("200"),
        "{out}"
    );
    let refused = line("another CA");
    assert!(
        refused.starts_with("✗ ERR")
            && refused.contains("no response (tls-unknown-ca)")
            && refused.contains("Corp Root CA"),
        "the request's own CA file replaces the collection's: {out}"
    );
    assert!(
        out.contains("\n      next: your network re-signs TLS"),
        "{out}"
    );
    assert!(
        line("preflight").trim_start().starts_with("200"),
        "the preflight is allowed, unsigned: {out}"
    );
    let cors = line("preflight refused");
    assert!(
        cors.starts_with("✗ 403") && cors.contains("(cors-refused:"),
        "a 403 preflight fails by the browser's verdict: {out}"
    );
    assert!(
        out.contains("✗ the browser would allow the call (a preflight)"),
        "{out}"
    );
    assert!(out.contains("5 requests, 2 failed"), "{out}");
}

#[tokio::test]
async fn an_environments_proxy_takes_its_password_from_the_environment() {
    let ca = Ca::new("Proxy Env CA");
    let server = servers::https(&ca.server(&["localhost"], -1, 30), &[], None).await;
    let proxy = servers::proxy("alice", "pw-from-env").await;
    let dir = tempfile::tempdir().unwrap();
    let ca_file = ca.write(dir.path());
    let json = serde_json::json!({
        "version": 1,
        "name": "office",
        "variables": {"proxyUrl": format!("http://127.0.0.1:{}", proxy.port)},
        "network": {"caFile": ca_file.display().to_string()},
        "environments": {
            "office": {"network": {
                "proxy": "{{proxyUrl}}",
                "proxyUsername": "alice",
                "proxyPassword": "{{$env.SIGSCOPE_TEST_PROXY_PASSWORD}}"
            }}
        },
        "requests": [{"name": "through the office proxy", "method": "GET",
                      "url": format!("https://localhost:{}/x", server.port)}]
    });
    let file = dir.path().join("office.json");
    std::fs::write(&file, serde_json::to_string_pretty(&json).unwrap()).unwrap();
    let data = dir.path().join("data");
    let run = move |env: Option<&str>, password: Option<&str>| {
        let mut cmd = sigscope();
        cmd.env("SIGSCOPE_DATA_DIR", &data).arg("run").arg(&file);
        if let Some(e) = env {
            cmd.args(["--env", e]);
        }
        if let Some(p) = password {
            cmd.env("SIGSCOPE_TEST_PROXY_PASSWORD", p);
        }
        cmd.output().unwrap()
    };
    // One at a time: the proxy counts the connections each run makes.
    let run = std::sync::Arc::new(run);
    let once = |env: Option<&'static str>, password: Option<&'static str>| {
        let run = run.clone();
        async move {
            tokio::task::spawn_blocking(move || run(env, password))
                .await
                .unwrap()
        }
    };
    let direct = once(None, None).await;
    assert_eq!(direct.status.code(), Some(0), "{:?}", text(&direct));
    assert_eq!(proxy.count(), 0, "no proxy without the environment");
    let proxied = once(Some("office"), Some("pw-from-env")).await;
    assert_eq!(proxied.status.code(), Some(0), "{:?}", text(&proxied));
    assert_eq!(proxy.count(), 1, "through the environment's proxy");
    let unset = once(Some("office"), None).await;
    assert_eq!(proxy.count(), 1, "nothing sent without the password");
    let wrong = once(Some("office"), Some("nope")).await;
    let (out, _) = text(&unset);
    assert!(
        out.contains("not sent") && out.contains("SIGSCOPE_TEST_PROXY_PASSWORD"),
        "an unset password is named, nothing is sent: {out}"
    );
    let (out, _) = text(&wrong);
    assert!(
        out.contains("proxy-auth") && out.contains("refused the credentials"),
        "{out}"
    );
}

#[test]
fn a_literal_proxy_password_is_refused_by_the_secret_check() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("leaky.json");
    std::fs::write(
        &file,
        r#"{"version":1,"name":"leaky","network":{"proxy":"http://p:3128","proxyUsername":"a","proxyPassword":"hunter2"},"requests":[{"name":"r","method":"GET","url":"https://example.com/"}]}"#,
    )
    .unwrap();
    let err = sigscope::model::load(&file).unwrap_err().to_string();
    assert!(err.contains("proxyPassword"), "{err}");
}

#[tokio::test]
async fn the_status_line_keeps_insecure_and_the_proxy_in_sight() {
    let c: sigscope::model::Collection = serde_json::from_value(serde_json::json!({
        "version": 1,
        "name": "corp",
        "requests": [
            {"name": "insecure", "method": "GET", "url": "https://self-signed.internal/x",
             "network": {"insecure": true}},
            {"name": "proxied", "method": "GET", "url": "https://api.example.com/x",
             "network": {"proxy": "http://proxy.corp.example:3128"}},
            {"name": "plain", "method": "GET", "url": "https://api.example.com/y",
             "network": {"proxy": "none"}}
        ]
    }))
    .unwrap();
    let mut h = Harness::sized(sigscope::tui::app::App::new(c), 200, 40);
    h.select("insecure").await;
    let s = h.screen();
    assert!(
        s.contains("⚠ TLS NOT VERIFIED (insecure in the request)"),
        "{s}"
    );
    h.select("proxied").await;
    let s = h.screen();
    assert!(
        s.contains("via proxy http://proxy.corp.example:3128 (proxy in the request)"),
        "{s}"
    );
    assert!(!s.contains("TLS NOT VERIFIED"));
    h.select("plain").await;
    let s = h.screen();
    assert!(
        !s.contains("via proxy") && !s.contains("TLS NOT VERIFIED"),
        "{s}"
    );
}
