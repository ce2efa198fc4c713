//! When no (whole) response came back: a transport failure read the way a 403 is, as a kind,
//! the evidence it rests on, and the next step to try. `http::failure` classifies the
//! failure and gathers its facts (the certificate shown, the proxy used, the timeout that
//! ran out); this says what that means for the request that was going out.
//!
//! One function per kind, each free to look at the target (a loopback address, an API
//! Gateway host, a private API's VPC endpoint) and the facts.

use crate::http::{Facts, Response, TransportError, TransportKind};
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

    /// A private API's VPC endpoint name (`vpce-…execute-api.{region}.vpce.amazonaws.com`).
    fn is_vpc_endpoint(&self) -> bool {
        self.host.contains(".vpce.amazonaws.com") || self.host.starts_with("vpce-")
    }

    fn address(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }
}

/// What a diagnosis function returns: summary, next steps, kind-specific evidence.
type Reading = (String, Vec<String>, Vec<(String, String)>);

/// Reads a transport failure for the request that was going to `url`.
pub fn diagnose(error: &TransportError, url: &str) -> TransportDiagnosis {
    let t = Target::from_url(url);
    let f = &error.facts;
    let (summary, next_steps, specific) = match error.kind {
        TransportKind::Refused => refused(&t),
        TransportKind::Dns => dns(&t, f),
        TransportKind::ConnectTimeout => connect_timeout(&t, f),
        TransportKind::ReadTimeout => read_timeout(&t, f),
        TransportKind::TlsUnknownCa => unknown_ca(&t, f),
        TransportKind::TlsHostname => hostname(&t, f),
        TransportKind::TlsExpired => expired(&t, f),
        TransportKind::Tls => tls(&t, f),
        TransportKind::MtlsRequired => mtls(&t, f),
        TransportKind::ProxyRefused => proxy_refused(f),
        TransportKind::ProxyAuth => proxy_auth(f, 407),
        TransportKind::Proxy => proxy_failed(&t, f),
        TransportKind::Reset => reset(&t),
        TransportKind::BodyCutShort => cut_short(&t, f),
        TransportKind::Other => (
            "the request failed before any response".to_string(),
            vec!["read the detail below: it is the network library's own words".into()],
            Vec::new(),
        ),
    };
    let mut evidence = vec![
        ("url".to_string(), t.url.clone()),
        ("address".to_string(), t.address()),
    ];
    if let Some(p) = &f.proxy {
        evidence.push(("proxy".into(), format!("{} (from {})", p.url, p.from)));
    }
    if let Some(r) = &f.resolved_to {
        evidence.push(("resolved".into(), r.clone()));
    }
    evidence.extend(specific);
    evidence.push(("detail".into(), error.detail.clone()));
    TransportDiagnosis {
        kind: error.kind,
        summary,
        evidence,
        next_steps,
    }
}

/// A `407 Proxy Authentication Required` answered to a plain-HTTP request through a proxy
/// (for https the tunnel fails instead, as `ProxyAuth`).
pub fn proxy_response(response: &Response, url: &str) -> Option<TransportDiagnosis> {
    if response.status != 407 {
        return None;
    }
    let t = Target::from_url(url);
    let (summary, next_steps, mut evidence) = proxy_auth(&Facts::default(), 407);
    if let Some(scheme) = response.header("proxy-authenticate") {
        evidence.push(("proxy asks for".into(), scheme.to_string()));
    }
    evidence.insert(0, ("url".into(), t.url.clone()));
    Some(TransportDiagnosis {
        kind: TransportKind::ProxyAuth,
        summary,
        evidence,
        next_steps,
    })
}

fn refused(t: &Target) -> Reading {
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
    (summary, steps, Vec::new())
}

fn dns(t: &Target, f: &Facts) -> Reading {
    let summary = format!("the host name '{}' does not resolve", t.host);
    let mut evidence = vec![("name".to_string(), t.host.clone())];
    let answer = f.resolver_answer.clone().unwrap_or_default();
    if !answer.is_empty() {
        evidence.push(("resolver answer".into(), answer.clone()));
    }
    let mut steps = Vec::new();
    if answer.to_ascii_lowercase().contains("temporary failure") {
        steps.push(
            "the resolver itself could not be reached: check the network (offline? VPN down?)"
                .into(),
        );
    }
    steps.push(format!("check '{}' for a typo", t.host));
    if t.is_vpc_endpoint() {
        steps.push("a VPC endpoint's name resolves only inside its VPC: connect the VPN, or send it to the endpoint's private address with --resolve HOST:443:ADDRESS (resolve in the network settings)".into());
    } else if let Some((id, region)) = t.api_gateway() {
        steps.push(format!(
            "an API Gateway host is <api-id>.execute-api.<region>.amazonaws.com: is '{id}' an API in {region}?"
        ));
        steps.push("a private API resolves only inside its VPC (VPN, VPC endpoint): call its VPC endpoint with the x-apigw-api-id header".into());
    } else {
        steps.push(
            "a host only on a VPN or a private DNS zone resolves only there (or give its address with --resolve)"
                .into(),
        );
    }
    (summary, steps, evidence)
}

fn timeout_setting(f: &Facts) -> Option<(String, String)> {
    f.timeout.as_ref().map(|(d, from)| {
        (
            "timeout".to_string(),
            format!("{} s ({from})", trim_secs(d.as_secs_f64())),
        )
    })
}

fn trim_secs(s: f64) -> String {
    let text = format!("{s:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn connect_timeout(t: &Target, f: &Facts) -> Reading {
    let within = f
        .timeout
        .as_ref()
        .map(|(d, _)| format!(" within {} s", trim_secs(d.as_secs_f64())))
        .unwrap_or_default();
    let through = f
        .proxy
        .as_ref()
        .map(|p| format!(" (through the proxy {})", p.address))
        .unwrap_or_default();
    let summary = format!(
        "no connection to {}{through}{within}: packets go unanswered (a refusal would have been quick)",
        t.address()
    );
    let mut steps = vec![
        "a firewall or security group dropping the connection, or a host only reachable on a VPN"
            .into(),
    ];
    if f.proxy.is_none() && !t.is_loopback() {
        steps.push("a company network often lets traffic out only through its proxy: set HTTPS_PROXY (or the collection's proxy)".into());
    }
    if t.scheme == "https" {
        steps.push(
            "a server that accepts but never completes the TLS handshake ends the same way".into(),
        );
    }
    steps.push(
        "a slow network: raise the connect timeout (--connect-timeout, connectTimeoutSeconds)"
            .into(),
    );
    (summary, steps, timeout_setting(f).into_iter().collect())
}

fn read_timeout(t: &Target, f: &Facts) -> Reading {
    let within = f
        .timeout
        .as_ref()
        .map(|(d, _)| format!(" within {} s", trim_secs(d.as_secs_f64())))
        .unwrap_or_default();
    let summary = match f.status {
        Some(status) => format!(
            "{} answered {status}, but the body did not arrive{within}",
            t.address()
        ),
        None => format!("connected to {}, but no answer came{within}", t.address()),
    };
    let mut steps = vec![
        "the server is slow or stuck: check its logs (for API Gateway, the integration's; its own limit is 29 s)".into(),
        "a long call: raise the timeout (--timeout, timeoutSeconds)".into(),
    ];
    if t.is_loopback() {
        steps.push("a local server stopped in a debugger answers nothing".into());
    }
    (summary, steps, timeout_setting(f).into_iter().collect())
}

fn certificate_evidence(f: &Facts) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(c) = &f.certificate {
        out.push(("certificate subject".into(), c.subject.clone()));
        out.push(("issuer".into(), c.issuer.clone()));
        if !c.names.is_empty() {
            out.push(("names".into(), c.names.join(", ")));
        }
        out.push((
            "valid".into(),
            format!("{} to {}", c.not_before, c.not_after),
        ));
    }
    if let Some(e) = &f.tls_error {
        out.push(("tls".into(), e.clone()));
    }
    out
}

fn unknown_ca(t: &Target, f: &Facts) -> Reading {
    let issuer = f
        .certificate
        .as_ref()
        .map(|c| c.issuer.clone())
        .filter(|i| !i.is_empty());
    let self_signed = f.certificate.as_ref().is_some_and(|c| c.self_signed);
    let summary = match (&issuer, self_signed) {
        (Some(i), true) => format!(
            "the certificate of {} is self-signed ({i}): nothing this machine trusts vouches for it",
            t.host
        ),
        (Some(i), false) => format!(
            "the certificate of {} is issued by '{i}', a CA this machine does not trust",
            t.host
        ),
        (None, _) => format!(
            "the certificate of {} is issued by a CA this machine does not trust",
            t.host
        ),
    };
    let mut steps = vec!["your network re-signs TLS (a company proxy or TLS inspection): set AWS_CA_BUNDLE or the collection's CA file (caFile) to its CA certificate (PEM); the system trust store is read too".to_string()];
    steps.push("for one call: --cacert FILE with the CA's certificate (PEM)".into());
    if self_signed || t.is_loopback() {
        steps.push("a private or self-signed server: trust its CA with --cacert / caFile".into());
    }
    steps.push("--insecure shows whether the certificate is the only problem; never keep it for real credentials".into());
    (summary, steps, certificate_evidence(f))
}

fn hostname(t: &Target, f: &Facts) -> Reading {
    let names = f
        .certificate
        .as_ref()
        .map(|c| c.names.join(", "))
        .filter(|n| !n.is_empty());
    let summary = match &names {
        Some(n) => format!("the certificate is for {n}, not for {}", t.host),
        None => format!("the certificate does not name {}", t.host),
    };
    let mut steps = vec![format!(
        "call the server by a name its certificate has{}",
        names
            .as_ref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default()
    )];
    if f.resolved_to.is_some() {
        steps.push("--resolve sends this name to another server: that server's certificate names other hosts".into());
    }
    if t.is_vpc_endpoint() {
        steps.push("a private API through its VPC endpoint: call the endpoint's own name and name the API with x-apigw-api-id (or a Host header), not the API's name".into());
    } else {
        steps.push("a custom domain: its certificate (ACM) must include this name".into());
    }
    (summary, steps, certificate_evidence(f))
}

fn expired(t: &Target, f: &Facts) -> Reading {
    let not_yet = f
        .tls_error
        .as_deref()
        .is_some_and(|e| e.contains("not valid yet") || e.contains("NotValidYet"));
    let summary = match (&f.certificate, not_yet) {
        (Some(c), false) => format!(
            "the certificate of {} expired on {} (valid from {})",
            t.host, c.not_after, c.not_before
        ),
        (Some(c), true) => format!(
            "the certificate of {} is not valid before {}",
            t.host, c.not_before
        ),
        (None, _) => format!("the certificate of {} is expired or not yet valid", t.host),
    };
    let now = crate::aws::files::utc_z(std::time::SystemTime::now());
    let steps = vec![
        "the server's owner must renew the certificate".into(),
        format!("if its dates look right, check this machine's clock (it says {now})"),
    ];
    let mut evidence = certificate_evidence(f);
    evidence.push(("now".into(), now));
    (summary, steps, evidence)
}

fn tls(t: &Target, f: &Facts) -> Reading {
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
    (
        format!("the TLS handshake with {} failed", t.host),
        steps,
        certificate_evidence(f),
    )
}

fn mtls(t: &Target, f: &Facts) -> Reading {
    let sent = f.client_cert_sent.unwrap_or(false);
    let summary = if sent {
        format!("{} refused the client certificate that was sent", t.host)
    } else {
        format!(
            "{} asked for a client certificate (mutual TLS) and none was sent",
            t.host
        )
    };
    let mut evidence = Vec::new();
    if let Some(cas) = &f.client_cert_asked {
        evidence.push((
            "server accepts certificates from".into(),
            if cas.is_empty() {
                "(any CA: the server did not say)".into()
            } else {
                cas.join("; ")
            },
        ));
    }
    if let Some(e) = &f.tls_error {
        evidence.push(("tls".into(), e.clone()));
    }
    let mut steps = Vec::new();
    if sent {
        steps.push("the certificate must chain to a CA the server trusts (for an API Gateway custom domain, the truststore in S3), and must not be expired".into());
    } else {
        steps.push("give the client certificate and its key: --cert FILE --key FILE, or clientCert / clientKey in the network settings (PEM)".into());
    }
    steps.push("API Gateway custom domains with mutual TLS refuse the handshake itself: the signature is never checked".into());
    (summary, steps, evidence)
}

fn proxy_refused(f: &Facts) -> Reading {
    let (address, from) = f
        .proxy
        .as_ref()
        .map(|p| (p.address.clone(), p.from.clone()))
        .unwrap_or_default();
    (
        format!("the proxy {address} (from {from}) refused the connection: the request never left this network"),
        vec![
            format!("check the proxy address and port in {from}"),
            "if this host should be reached directly, add it to NO_PROXY (or set the proxy to none for this collection)".into(),
        ],
        Vec::new(),
    )
}

fn proxy_auth(f: &Facts, status: u16) -> Reading {
    let proxy = f
        .proxy
        .as_ref()
        .map(|p| format!("the proxy {} (from {})", p.address, p.from))
        .unwrap_or_else(|| "the proxy".into());
    let had = f.proxy.as_ref().is_some_and(|p| p.authenticated);
    let summary = if had {
        format!("{proxy} refused the credentials given ({status} Proxy Authentication Required)")
    } else {
        format!("{proxy} wants credentials ({status} Proxy Authentication Required)")
    };
    (
        summary,
        vec![
            "give the proxy's credentials: proxyUsername and proxyPassword ({{$env.PROXY_PASSWORD}}) in the network settings, --proxy-user USER:PASSWORD, or http://USER:PASSWORD@HOST:PORT in HTTPS_PROXY".into(),
            "a proxy that only speaks NTLM or Kerberos needs a local helper (cntlm, px) in front of it".into(),
        ],
        Vec::new(),
    )
}

fn proxy_failed(t: &Target, f: &Facts) -> Reading {
    let proxy = f
        .proxy
        .as_ref()
        .map(|p| format!("the proxy {} (from {})", p.address, p.from))
        .unwrap_or_else(|| "the proxy".into());
    if f.while_connecting && f.resolver_answer.is_some() {
        return (
            format!("{proxy}: its name does not resolve"),
            vec!["check the proxy's host name".into()],
            Vec::new(),
        );
    }
    (
        format!(
            "{proxy} would not open a tunnel (CONNECT) to {}",
            t.address()
        ),
        vec![
            format!(
                "the proxy may not allow {} or port {}: ask its administrators",
                t.host, t.port
            ),
            "if this host should be reached directly, add it to NO_PROXY".into(),
        ],
        Vec::new(),
    )
}

fn reset(t: &Target) -> Reading {
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
    if t.scheme == "https" {
        steps.push("a server that wants a client certificate (mutual TLS) may close the connection like this: --cert / --key".into());
    }
    (
        format!("{} closed the connection before answering", t.address()),
        steps,
        Vec::new(),
    )
}

fn cut_short(t: &Target, f: &Facts) -> Reading {
    let received = f.received.unwrap_or(0);
    let of = f
        .content_length
        .map(|n| format!(" of the {n} its Content-Length announced"))
        .unwrap_or_default();
    let status = f.status.map(|s| s.to_string()).unwrap_or_default();
    let mut evidence = vec![("received".to_string(), format!("{received} bytes{of}"))];
    if let Some(s) = f.status {
        evidence.push(("status".into(), s.to_string()));
    }
    (
        format!(
            "{} answered {status}, then closed the connection after {received} bytes{of}: the body is incomplete",
            t.address()
        ),
        vec![
            "the server (or a proxy or load balancer on the way) stopped mid-response: check its logs, then send again".into(),
            "an idle timeout on the way cuts long downloads: compare the time it took with the proxy's or load balancer's limit".into(),
        ],
        evidence,
    )
}

#[cfg(test)]
#[path = "transport_tests.rs"]
mod tests;
