//! Every transport failure, provoked against a real local server and diagnosed: a CONNECT
//! proxy that wants credentials (refused without, through with them, upper- and lower-case
//! proxy variables), a proxy that is not there, a body cut short, connect and read timeouts
//! with the setting that applied, a reset, a refused port, a name that does not resolve.

mod common;
#[path = "common/servers.rs"]
mod servers;

use servers::{get, settings, Ca};
use sigscope::diagnose::transport::diagnose;
use sigscope::http::client::{ClientSettings, ProxySetting};
use sigscope::http::{self, TransportKind};
use sigscope::sign::WireRequest;
use std::time::Duration;

fn with_proxy(mut s: ClientSettings, port: u16, user: Option<(&str, &str)>) -> ClientSettings {
    s.proxy = ProxySetting::Explicit {
        url: format!("http://127.0.0.1:{port}"),
        username: user.map(|u| u.0.to_string()),
        password: user.map(|u| u.1.to_string()),
        from: "proxy in the collection".into(),
    };
    s
}

#[tokio::test]
async fn a_connect_proxy_wants_credentials_and_tunnels_with_them() {
    let ca = Ca::new("Proxy Test CA");
    let target = servers::https(&ca.server(&["localhost"], -1, 30), &[], None).await;
    let proxy = servers::proxy("alice", "s3cret").await;
    let dir = tempfile::tempdir().unwrap();
    let mut s = settings();
    s.ca_files = vec![(
        ca.write(dir.path()).display().to_string(),
        "--cacert".into(),
    )];
    let url = format!("https://localhost:{}/test/pets", target.port);

    let (e, d) = get(&with_proxy(s.clone(), proxy.port, None), &url)
        .await
        .unwrap_err();
    assert_eq!(e.kind, TransportKind::ProxyAuth, "{e}");
    assert!(
        d.summary.contains(&format!("127.0.0.1:{}", proxy.port))
            && d.summary.contains("wants credentials"),
        "{}",
        d.summary
    );
    assert!(
        d.next_steps[0].contains("proxyPassword"),
        "{:?}",
        d.next_steps
    );
    assert_eq!(target.count(), 0, "nothing reached the server");

    let (e, d) = get(
        &with_proxy(s.clone(), proxy.port, Some(("alice", "wrong"))),
        &url,
    )
    .await
    .unwrap_err();
    assert_eq!(e.kind, TransportKind::ProxyAuth);
    assert!(
        d.summary.contains("refused the credentials"),
        "{}",
        d.summary
    );

    let x = get(
        &with_proxy(s.clone(), proxy.port, Some(("alice", "s3cret"))),
        &url,
    )
    .await
    .expect("through the tunnel");
    assert_eq!(x.response.status, 200);
    assert_eq!(target.count(), 1, "one connection, through the proxy");

    // Plain HTTP through the same proxy: the 407 is an answer, and diagnosed as one.
    let plain = format!("http://127.0.0.1:{}/x", servers::dead_port());
    let x = get(&with_proxy(s, proxy.port, None), &plain).await.unwrap();
    assert_eq!(x.response.status, 407);
    let d = sigscope::diagnose::transport::proxy_response(&x.response, &plain).unwrap();
    assert_eq!(d.kind, TransportKind::ProxyAuth);
    let d = sigscope::diagnose::of_exchange(&x).unwrap();
    assert_eq!(d.kind.as_str(), "proxy-auth-required");
}

#[tokio::test]
async fn proxy_variables_in_either_case_are_honoured_by_send() {
    let ca = Ca::new("Env Proxy CA");
    let target = servers::https(&ca.server(&["localhost"], -1, 30), &[], None).await;
    let proxy = servers::proxy("bob", "pw").await;
    let dir = tempfile::tempdir().unwrap();
    let ca_file = ca.write(dir.path());
    let url = format!("https://localhost:{}/x", target.port);
    let data = dir.path().join("data");
    let port = proxy.port;
    let run = move |var: &str, value: String| {
        common::sigscope()
            .args(["send", "--no-sign", "-v", "--cacert"])
            .arg(&ca_file)
            .arg(&url)
            .env("SIGSCOPE_DATA_DIR", &data)
            .env_remove("NO_PROXY")
            .env_remove("no_proxy")
            .env(var, value)
            .output()
            .unwrap()
    };
    let outs = tokio::task::spawn_blocking(move || {
        [
            run("HTTPS_PROXY", format!("http://bob:pw@127.0.0.1:{port}")),
            run("https_proxy", format!("http://bob:pw@127.0.0.1:{port}")),
            run("https_proxy", format!("http://127.0.0.1:{port}")),
        ]
    })
    .await
    .unwrap();
    for (i, var) in ["HTTPS_PROXY", "https_proxy"].iter().enumerate() {
        let err = String::from_utf8_lossy(&outs[i].stderr);
        assert_eq!(outs[i].status.code(), Some(0), "{var}: {err}");
        assert!(
            err.contains(&format!("via proxy http://127.0.0.1:{port} (from {var})")),
            "the proxy in effect is shown: {err}"
        );
        assert!(!err.contains("bob:pw"), "credentials are not shown: {err}");
    }
    let err = String::from_utf8_lossy(&outs[2].stderr);
    assert_eq!(outs[2].status.code(), Some(4), "{err}");
    assert!(
        err.contains("proxy-auth") && err.contains("(from https_proxy)"),
        "{err}"
    );
    assert_eq!(proxy.count(), 3);
}

#[tokio::test]
async fn a_proxy_that_is_not_there_is_named() {
    let s = with_proxy(settings(), servers::dead_port(), None);
    let url = "https://api.example.com/test/pets";
    let (e, d) = get(&s, url).await.unwrap_err();
    assert_eq!(e.kind, TransportKind::ProxyRefused, "{e}");
    assert!(
        d.summary.contains("(from proxy in the collection)"),
        "{}",
        d.summary
    );
    assert!(d.next_steps.iter().any(|s| s.contains("NO_PROXY")));
}

#[tokio::test]
async fn a_body_cut_short_says_how_much_came() {
    let server = servers::cut_short(1000, 120).await;
    let url = format!("http://127.0.0.1:{}/big", server.port);
    let (e, d) = get(&settings(), &url).await.unwrap_err();
    assert_eq!(e.kind, TransportKind::BodyCutShort, "{e}");
    assert_eq!(
        (e.facts.status, e.facts.received, e.facts.content_length),
        (Some(200), Some(120), Some(1000))
    );
    assert!(
        d.summary
            .contains("120 bytes of the 1000 its Content-Length announced"),
        "{}",
        d.summary
    );
}

#[tokio::test]
async fn a_connect_timeout_names_the_setting_that_applied() {
    // TLS over a connection that is accepted but never answered: the connect phase.
    let server = servers::silent().await;
    let mut s = settings();
    s.connect_timeout = Duration::from_millis(400);
    s.connect_timeout_from = "--connect-timeout".into();
    let url = format!("https://127.0.0.1:{}/", server.port);
    let (e, d) = get(&s, &url).await.unwrap_err();
    assert_eq!(e.kind, TransportKind::ConnectTimeout, "{e}");
    assert!(d.summary.contains("within 0.4 s"), "{}", d.summary);
    assert!(
        d.evidence
            .contains(&("timeout".into(), "0.4 s (--connect-timeout)".into())),
        "{:?}",
        d.evidence
    );
}

#[tokio::test]
async fn a_read_timeout_is_told_apart_from_a_connect_timeout() {
    let server = servers::silent().await;
    let mut s = settings();
    s.timeout = Duration::from_millis(500);
    s.timeout_from = "timeoutSeconds in the request".into();
    let url = format!("http://127.0.0.1:{}/slow", server.port);
    let (e, d) = get(&s, &url).await.unwrap_err();
    assert_eq!(e.kind, TransportKind::ReadTimeout, "{e}");
    assert!(d.summary.starts_with("connected to"), "{}", d.summary);
    assert!(
        d.evidence.contains(&(
            "timeout".into(),
            "0.5 s (timeoutSeconds in the request)".into()
        )),
        "{:?}",
        d.evidence
    );
}

#[tokio::test]
async fn a_reset_and_a_refused_port_are_told_apart() {
    let server = servers::resetting().await;
    let url = format!("http://127.0.0.1:{}/", server.port);
    let (e, _) = get(&settings(), &url).await.unwrap_err();
    assert_eq!(e.kind, TransportKind::Reset, "{e}");

    let url = format!("http://127.0.0.1:{}/", servers::dead_port());
    let (e, d) = get(&settings(), &url).await.unwrap_err();
    assert_eq!(e.kind, TransportKind::Refused, "{e}");
    assert!(d.next_steps[1].contains("sigscope mock --port"));
}

/// A resolver that knows no name, as a DNS server answering NXDOMAIN (no query leaves
/// this machine).
struct NoSuchName;

impl reqwest::dns::Resolve for NoSuchName {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            Err(Box::new(std::io::Error::other(format!(
                "failed to lookup address information: Name or service not known ({host})"
            ))) as Box<dyn std::error::Error + Send + Sync>)
        })
    }
}

#[tokio::test]
async fn a_name_that_does_not_resolve_is_dns_with_the_resolver_answer() {
    let client = reqwest::Client::builder()
        .dns_resolver(std::sync::Arc::new(NoSuchName))
        .no_proxy()
        .build()
        .unwrap();
    let url =
        "https://vpce-0abc123def456-ab12cd34.execute-api.us-east-1.vpce.amazonaws.com/test/pets";
    let req = WireRequest::from_url("GET", url).unwrap();
    let e = http::send(&client, req, None).await.unwrap_err();
    assert_eq!(e.kind, TransportKind::Dns, "{e}");
    let d = diagnose(&e, url);
    assert!(
        d.evidence
            .iter()
            .any(|(k, v)| k == "resolver answer" && v.contains("Name or service not known")),
        "{:?}",
        d.evidence
    );
    assert!(
        d.next_steps.iter().any(|s| s.contains("--resolve")),
        "a VPC endpoint name: {:?}",
        d.next_steps
    );
}

#[test]
fn every_transport_kind_is_provoked_or_named_here() {
    // The kinds the tests above and tests/network_tls.rs provoke against real servers;
    // `Tls` (another TLS failure) and `Proxy` (a tunnel refused) and `Other` are covered by
    // unit tests of their wording.
    let provoked = [
        "dns",
        "refused",
        "connect-timeout",
        "read-timeout",
        "tls-unknown-ca",
        "tls-hostname",
        "tls-expired",
        "mtls-required",
        "proxy-refused",
        "proxy-auth",
        "reset",
        "body-cut-short",
    ];
    for kind in TransportKind::ALL {
        let name = kind.as_str();
        assert!(
            provoked.contains(&name) || ["tls", "proxy", "other"].contains(&name),
            "{name} is neither provoked nor accounted for"
        );
    }
}
