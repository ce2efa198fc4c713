//! Tests of `client`: proxy decisions, NO_PROXY, settings from the model, build errors.

use super::*;

fn env(pairs: &[(&str, &str)]) -> ProxyEnv {
    let pairs: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    ProxyEnv::read(|n| pairs.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone()))
}

#[test]
fn proxy_variables_in_either_case_pick_by_scheme_and_honour_no_proxy() {
    let e = env(&[
        ("https_proxy", "http://user:secret@proxy.corp:3128"),
        ("HTTP_PROXY", "proxy.corp:8080"),
        ("no_proxy", "localhost,.internal.corp,10.0.0.0/8"),
    ]);
    let s = ClientSettings::default();
    let p = s.proxy_for("https://api.example.com/x", &e).unwrap();
    assert_eq!(p.url, "http://proxy.corp:3128");
    assert_eq!(p.from, "https_proxy");
    assert_eq!(p.address, "proxy.corp:3128");
    assert!(p.authenticated, "credentials in the URL");
    let p = s.proxy_for("http://api.example.com/x", &e).unwrap();
    assert_eq!(
        (p.from.as_str(), p.address.as_str()),
        ("HTTP_PROXY", "proxy.corp:8080")
    );
    for direct in [
        "https://localhost:4566/",
        "https://svc.internal.corp/",
        "https://internal.corp/",
        "http://10.1.2.3/",
    ] {
        assert_eq!(s.proxy_for(direct, &e), None, "{direct}");
    }
    assert!(s.proxy_for("https://notinternal.corp/", &e).is_some());
}

#[test]
fn an_explicit_proxy_wins_and_none_goes_direct() {
    let e = env(&[("HTTPS_PROXY", "http://env-proxy:3128")]);
    let n = Network {
        proxy: Some("http://collection-proxy:8888".into()),
        proxy_username: Some("me".into()),
        proxy_password: Some("pw".into()),
        ..Network::default()
    };
    let s = ClientSettings::from_network(&n, "the collection").unwrap();
    let p = s.proxy_for("https://x.example/", &e).unwrap();
    assert_eq!(p.address, "collection-proxy:8888");
    assert_eq!(p.from, "proxy in the collection");
    assert!(p.authenticated);
    let direct = ClientSettings::from_network(
        &Network {
            proxy: Some("none".into()),
            ..Network::default()
        },
        "the request",
    )
    .unwrap();
    assert_eq!(direct.proxy_for("https://x.example/", &e), None);
}

#[test]
fn bad_settings_are_named() {
    let bad = |n: Network| ClientSettings::from_network(&n, "the collection").unwrap_err();
    assert!(bad(Network {
        timeout_seconds: Some(f64::INFINITY),
        ..Network::default()
    })
    .to_string()
    .contains("timeoutSeconds"));
    assert!(bad(Network {
        resolve: vec!["nohost".into()],
        ..Network::default()
    })
    .to_string()
    .contains("host:port:address"));
    let missing = build(&ClientSettings {
        ca_files: vec![("/nonexistent/ca.pem".into(), "--cacert".into())],
        aws_ca_bundle: false,
        ..ClientSettings::default()
    })
    .unwrap_err();
    assert!(
        missing.to_string().contains("/nonexistent/ca.pem")
            && missing.to_string().contains("--cacert"),
        "{missing}"
    );
    let proxy = build(&ClientSettings {
        proxy: ProxySetting::Explicit {
            url: "socks9://p:1".into(),
            username: None,
            password: None,
            from: "--proxy".into(),
        },
        aws_ca_bundle: false,
        ..ClientSettings::default()
    })
    .unwrap_err();
    assert!(proxy.to_string().contains("socks9"), "{proxy}");
}

#[test]
fn no_proxy_matches_as_curl_does() {
    assert!(bypasses("*", "anything"));
    assert!(bypasses("example.com", "a.example.com"));
    assert!(bypasses(".example.com", "example.com"));
    assert!(!bypasses("example.com", "badexample.com"));
    assert!(bypasses("localhost:4566", "localhost"));
    assert!(bypasses("127.0.0.0/8", "127.0.0.1"));
    assert!(bypasses("::1", "[::1]"));
    assert!(!bypasses("10.0.0.0/8", "11.0.0.1"));
}
