//! When no response came back: a transport failure read the way a 403 is, as a kind, the
//! evidence it rests on, and the next step to try. `http::send` classifies the failure
//! (`TransportKind`); this says what that means for the request that was going out.
//!
//! One function per kind, each free to look at the target (a loopback address, an API
//! Gateway host, a scheme that looks wrong): a new case (a proxy, a private CA) is a new
//! check in the function of its kind, or a new kind.

use crate::http::{TransportError, TransportKind};
use serde::Serialize;

/// Why there was no response, and what to do about it.
#[derive(Debug, Clone, Serialize)]
pub struct TransportDiagnosis {
    pub kind: TransportKind,
    pub summary: String,
    /// What the diagnosis rests on, as (what, value).
    pub evidence: Vec<(String, String)>,
    pub next_steps: Vec<String>,
}

/// Where the request was going, read from its URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub url: String,
    pub scheme: String,
    pub host: String,
    pub port: u16,
}

impl Target {
    pub fn from_url(url: &str) -> Target {
        let parsed = url::Url::parse(url).ok();
        let scheme = parsed.as_ref().map(|u| u.scheme().to_string());
        Target {
            url: url.to_string(),
            host: parsed
                .as_ref()
                .and_then(|u| u.host_str().map(str::to_string))
                .unwrap_or_default(),
            port: parsed
                .as_ref()
                .and_then(|u| u.port_or_known_default())
                .unwrap_or(0),
            scheme: scheme.unwrap_or_default(),
        }
    }

    /// This machine: a server that should be running here is the first suspect.
    pub fn is_loopback(&self) -> bool {
        let host = self.host.trim_start_matches('[').trim_end_matches(']');
        host == "localhost"
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    }

    /// `{api-id}.execute-api.{region}.amazonaws.com`: the API id and region are in the name.
    fn api_gateway(&self) -> Option<(&str, &str)> {
        let mut parts = self.host.split('.');
        let (id, service, region) = (parts.next()?, parts.next()?, parts.next()?);
        (service == "execute-api").then_some((id, region))
    }

    fn address(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }
}

/// Reads a transport failure for the request that was going to `url`.
pub fn diagnose(error: &TransportError, url: &str) -> TransportDiagnosis {
    let target = Target::from_url(url);
    let (summary, next_steps) = match error.kind {
        TransportKind::Refused => refused(&target),
        TransportKind::Dns => dns(&target),
        TransportKind::Timeout => timeout(&target),
        TransportKind::Tls => tls(&target),
        TransportKind::Reset => reset(&target),
        TransportKind::Other => (
            "the request failed before any response".to_string(),
            vec!["read the detail below: it is the network library's own words".into()],
        ),
    };
    TransportDiagnosis {
        kind: error.kind,
        summary,
        evidence: vec![
            ("url".into(), target.url.clone()),
            ("address".into(), target.address()),
            ("detail".into(), error.detail.clone()),
        ],
        next_steps,
    }
}

fn refused(t: &Target) -> (String, Vec<String>) {
    let summary = format!(
        "nothing accepted the connection on {}: the request never reached a server",
        t.address()
    );
    let steps = if t.is_loopback() {
        vec![
            format!(
                "start the server that should listen on port {} (this machine), or correct the port",
                t.port
            ),
            format!(
                "a local IAM-protected gateway: `sigscope mock --port {}` (or `sigscope demo`)",
                t.port
            ),
            "if the URL comes from a variable ({{baseUrl}}), check its value in the Vars tab"
                .into(),
        ]
    } else {
        vec![
            format!(
                "{} answered but refuses port {}: check the port in the URL",
                t.host, t.port
            ),
            "a firewall or security group may reject the connection".into(),
        ]
    };
    (summary, steps)
}

fn dns(t: &Target) -> (String, Vec<String>) {
    let summary = format!("the host name '{}' does not resolve", t.host);
    let mut steps = vec![format!("check '{}' for a typo", t.host)];
    if let Some((id, region)) = t.api_gateway() {
        steps.push(format!(
            "an API Gateway host is <api-id>.execute-api.<region>.amazonaws.com: is '{id}' an API in {region}?"
        ));
        steps.push("a private API resolves only inside its VPC (VPN, VPC endpoint)".into());
    } else {
        steps.push("a host only on a VPN or a private DNS zone resolves only there".into());
    }
    (summary, steps)
}

fn timeout(t: &Target) -> (String, Vec<String>) {
    (
        format!("{} did not answer in time", t.address()),
        vec![
            "check the server is up and reachable from here (VPN, security group, proxy)".into(),
            "a slow call: the workbench waits 30 s for an answer".into(),
        ],
    )
}

fn tls(t: &Target) -> (String, Vec<String>) {
    let mut steps = Vec::new();
    if t.is_loopback() && t.scheme == "https" {
        steps.push(format!(
            "a local server often speaks plain HTTP: try http://{}",
            t.address()
        ));
    }
    steps.push(format!(
        "check the certificate {} presents (expired, self-signed, wrong name)",
        t.host
    ));
    (format!("the TLS handshake with {} failed", t.host), steps)
}

fn reset(t: &Target) -> (String, Vec<String>) {
    let mut steps =
        vec!["the server closed the connection without answering: check its logs".into()];
    if t.scheme == "http" && t.port == 443 {
        steps.push("port 443 expects TLS: use https://".into());
    } else {
        steps.push(format!(
            "a scheme that does not match the port ({}:// to {}) closes connections like this",
            t.scheme, t.port
        ));
    }
    (
        format!("{} closed the connection before answering", t.address()),
        steps,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(kind: TransportKind) -> TransportError {
        TransportError {
            kind,
            explanation: "x".into(),
            detail: "the library's words".into(),
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
    }

    #[test]
    fn every_kind_has_a_summary_and_a_next_step() {
        for kind in [
            TransportKind::Refused,
            TransportKind::Dns,
            TransportKind::Tls,
            TransportKind::Timeout,
            TransportKind::Reset,
            TransportKind::Other,
        ] {
            let d = diagnose(&error(kind), "https://localhost/x");
            assert!(
                !d.summary.is_empty() && !d.next_steps.is_empty(),
                "{kind:?}"
            );
        }
        let tls = diagnose(&error(TransportKind::Tls), "https://localhost:4566/x");
        assert!(tls.next_steps[0].contains("http://localhost:4566"));
        assert!(Target::from_url("http://[::1]:80/").is_loopback());
    }
}
