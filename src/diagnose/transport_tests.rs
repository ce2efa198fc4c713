//! Tests of `transport`: each kind read from its facts, the proxy's 407.

use super::*;
use crate::http::tls::CertificateSeen;

fn error(kind: TransportKind) -> TransportError {
    TransportError {
        kind,
        explanation: "x".into(),
        detail: "the library's words".into(),
        facts: Box::default(),
    }
}

#[test]
fn a_refused_local_port_points_at_the_server_and_the_port() {
    let d = diagnose(
        &error(TransportKind::Refused),
        "http://127.0.0.1:9/test/pets",
    );
    assert_eq!(d.kind, TransportKind::Refused);
    assert!(d.summary.contains("127.0.0.1:9"), "{}", d.summary);
    assert!(d.next_steps[0].contains("port 9"), "{:?}", d.next_steps);
    assert!(d.next_steps[1].contains("sigscope mock --port 9"));
    assert!(d
        .evidence
        .contains(&("detail".into(), "the library's words".into())));
    let remote = diagnose(
        &error(TransportKind::Refused),
        "https://api.example.com:8443/",
    );
    assert!(remote.next_steps[0].contains("refuses port 8443"));
}

#[test]
fn an_unknown_api_gateway_host_names_the_api_id_and_region() {
    let d = diagnose(
        &error(TransportKind::Dns),
        "https://abc123.execute-api.eu-west-1.amazonaws.com/prod/items",
    );
    assert!(d.summary.contains("does not resolve"));
    assert!(
        d.next_steps
            .iter()
            .any(|s| s.contains("'abc123'") && s.contains("eu-west-1")),
        "{:?}",
        d.next_steps
    );
    let vpce = diagnose(
        &error(TransportKind::Dns),
        "https://vpce-0abc-12345678.execute-api.us-east-1.vpce.amazonaws.com/test/pets",
    );
    assert!(
        vpce.next_steps.iter().any(|s| s.contains("--resolve")),
        "{:?}",
        vpce.next_steps
    );
}

#[test]
fn every_kind_has_a_summary_and_a_next_step() {
    for kind in TransportKind::ALL {
        let d = diagnose(&error(kind), "https://localhost/x");
        assert!(
            !d.summary.is_empty() && !d.next_steps.is_empty(),
            "{kind:?}"
        );
        assert_eq!(
            serde_json::to_value(kind).unwrap(),
            serde_json::json!(kind.as_str())
        );
    }
    let tls = diagnose(&error(TransportKind::Tls), "https://localhost:4566/x");
    assert!(tls.next_steps[0].contains("http://localhost:4566"));
    assert!(Target::from_url("http://[::1]:80/").is_loopback());
}

#[test]
fn an_unknown_ca_names_the_issuer_and_the_company_ca_settings() {
    let mut e = error(TransportKind::TlsUnknownCa);
    e.facts.certificate = Some(CertificateSeen {
        subject: "CN=api.example.com".into(),
        issuer: "CN=Example Corp Inspection CA".into(),
        names: vec!["api.example.com".into()],
        not_before: "2026-01-01T00:00:00Z".into(),
        not_after: "2027-01-01T00:00:00Z".into(),
        self_signed: false,
        chain_len: 0,
    });
    let d = diagnose(&e, "https://api.example.com/x");
    assert!(
        d.summary.contains("'CN=Example Corp Inspection CA'"),
        "{}",
        d.summary
    );
    assert!(d.next_steps[0].contains("your network re-signs TLS"));
    assert!(d.next_steps[0].contains("AWS_CA_BUNDLE"));
    assert!(d
        .evidence
        .contains(&("issuer".into(), "CN=Example Corp Inspection CA".into())));
}

#[test]
fn a_407_answer_is_a_proxy_diagnosis() {
    let r = Response::parse_raw(
        b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"corp\"\r\n\r\n",
    )
    .unwrap();
    let d = proxy_response(&r, "http://api.example.com/x").unwrap();
    assert_eq!(d.kind, TransportKind::ProxyAuth);
    assert!(d
        .evidence
        .iter()
        .any(|(k, v)| k == "proxy asks for" && v.contains("Basic")));
    let ok = Response::parse_raw(b"HTTP/1.1 200 OK\r\n\r\n").unwrap();
    assert!(proxy_response(&ok, "http://x/").is_none());
}
