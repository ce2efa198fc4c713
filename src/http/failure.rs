//! A failure to get a (whole) response, classified from the error itself: the rustls error
//! in its chain (unknown CA, wrong name, expired, a fatal alert), the proxy tunnel's words,
//! the OS's (refused, reset, name not known), and the phase (connecting or waiting). What
//! the failure rests on is kept as `Facts` for `diagnose::transport` to quote; the settings
//! that applied (proxy, timeouts, `--resolve`) are added by `with_settings`.

use super::client::{self, ClientSettings, ProxyEnv, ProxyInUse};
use super::tls::CertificateSeen;
use serde::Serialize;
use std::time::Duration;

/// The class of a failure to get a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TransportKind {
    /// The name does not resolve.
    Dns,
    /// Nothing listens at host:port.
    Refused,
    /// No connection (TCP, and TLS over it) within the connect timeout.
    ConnectTimeout,
    /// Connected, but the answer did not come within the timeout.
    ReadTimeout,
    /// The server's certificate is signed by a CA we do not trust.
    TlsUnknownCa,
    /// The certificate does not name the host.
    TlsHostname,
    /// The certificate is expired (or not valid yet).
    TlsExpired,
    /// Another TLS failure (a plain-HTTP server on an https URL, no common version...).
    Tls,
    /// The server wants a client certificate (mutual TLS), or refused ours.
    MtlsRequired,
    /// The proxy does not accept connections.
    ProxyRefused,
    /// The proxy wants credentials (407), or refused ours.
    ProxyAuth,
    /// The proxy would not open a tunnel, or answered with an error.
    Proxy,
    /// The connection was closed or reset before any answer.
    Reset,
    /// The status line came, then the body stopped before its end.
    BodyCutShort,
    Other,
}

impl TransportKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            TransportKind::Dns => "dns",
            TransportKind::Refused => "refused",
            TransportKind::ConnectTimeout => "connect-timeout",
            TransportKind::ReadTimeout => "read-timeout",
            TransportKind::TlsUnknownCa => "tls-unknown-ca",
            TransportKind::TlsHostname => "tls-hostname",
            TransportKind::TlsExpired => "tls-expired",
            TransportKind::Tls => "tls",
            TransportKind::MtlsRequired => "mtls-required",
            TransportKind::ProxyRefused => "proxy-refused",
            TransportKind::ProxyAuth => "proxy-auth",
            TransportKind::Proxy => "proxy",
            TransportKind::Reset => "reset",
            TransportKind::BodyCutShort => "body-cut-short",
            TransportKind::Other => "other",
        }
    }

    /// Every kind, for tests and documentation.
    pub const ALL: [TransportKind; 15] = [
        TransportKind::Dns,
        TransportKind::Refused,
        TransportKind::ConnectTimeout,
        TransportKind::ReadTimeout,
        TransportKind::TlsUnknownCa,
        TransportKind::TlsHostname,
        TransportKind::TlsExpired,
        TransportKind::Tls,
        TransportKind::MtlsRequired,
        TransportKind::ProxyRefused,
        TransportKind::ProxyAuth,
        TransportKind::Proxy,
        TransportKind::Reset,
        TransportKind::BodyCutShort,
        TransportKind::Other,
    ];
}

/// What a failure rests on, gathered when it happened.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facts {
    /// The certificate the server presented, when it was refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate: Option<CertificateSeen>,
    /// rustls's own words for a TLS failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_error: Option<String>,
    /// The fatal alert the server sent, by rustls's name (`UnknownCA`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alert: Option<String>,
    /// The server asked for a client certificate (the CAs it named).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_cert_asked: Option<Vec<String>>,
    /// We had one to give.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_cert_sent: Option<bool>,
    /// The failure happened while connecting (TCP, proxy tunnel, TLS), not after.
    pub while_connecting: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proxy: Option<ProxyInUse>,
    /// `--resolve` sent the host to this address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved_to: Option<String>,
    /// The timeout that ran out, and where it was set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<(Duration, String)>,
    /// For a body cut short: the status, the bytes received, the length announced.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub received: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_length: Option<u64>,
    /// The resolver's answer for a name that did not resolve.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolver_answer: Option<String>,
}

#[derive(Debug, Clone, thiserror::Error)]
#[error("{explanation} ({detail})")]
pub struct TransportError {
    pub kind: TransportKind,
    pub explanation: String,
    pub detail: String,
    /// Boxed: a `Result` carrying this error stays small.
    pub facts: Box<Facts>,
}

/// The first error of type `T` in the chain, looking inside `io::Error`s too (rustls's
/// errors travel wrapped in one).
fn find<'a, T: std::error::Error + 'static>(
    e: &'a (dyn std::error::Error + 'static),
) -> Option<&'a T> {
    let mut current = Some(e);
    while let Some(err) = current {
        if let Some(t) = err.downcast_ref::<T>() {
            return Some(t);
        }
        if let Some(inner) = err
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            if let Some(t) = inner.downcast_ref::<T>() {
                return Some(t);
            }
            if let Some(t) = find::<T>(inner) {
                return Some(t);
            }
        }
        current = err.source();
    }
    None
}

fn io_kind(e: &(dyn std::error::Error + 'static)) -> Option<std::io::ErrorKind> {
    find::<std::io::Error>(e).map(|io| io.kind())
}

/// The TLS kind of a rustls error.
fn tls_kind(e: &rustls::Error) -> TransportKind {
    use rustls::{AlertDescription as A, CertificateError as C, Error as E};
    match e {
        E::InvalidCertificate(C::UnknownIssuer | C::BadSignature) => TransportKind::TlsUnknownCa,
        E::InvalidCertificate(C::NotValidForName | C::NotValidForNameContext { .. }) => {
            TransportKind::TlsHostname
        }
        E::InvalidCertificate(
            C::Expired | C::ExpiredContext { .. } | C::NotValidYet | C::NotValidYetContext { .. },
        ) => TransportKind::TlsExpired,
        E::AlertReceived(A::CertificateRequired) => TransportKind::MtlsRequired,
        _ => TransportKind::Tls,
    }
}

/// The fatal alerts a server sends when it dislikes the client certificate (or its absence).
const CLIENT_CERT_ALERTS: [&str; 7] = [
    "CertificateRequired",
    "HandshakeFailure",
    "BadCertificate",
    "UnknownCA",
    "CertificateUnknown",
    "AccessDenied",
    "DecryptError",
];

/// `received fatal alert: UnknownCA` → `UnknownCA`.
fn alert_in(detail: &str) -> Option<String> {
    let rest = &detail[detail.find("received fatal alert: ")? + "received fatal alert: ".len()..];
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    (!name.is_empty()).then_some(name)
}

impl TransportError {
    /// A failure that is not the network's (an invalid method).
    pub fn other(explanation: String, detail: String) -> Self {
        TransportError {
            kind: TransportKind::Other,
            explanation,
            detail,
            facts: Box::default(),
        }
    }

    pub fn classify(url: &str, e: &reqwest::Error) -> Self {
        let detail = crate::aws::credentials::error_chain(e);
        let lower = detail.to_ascii_lowercase();
        let host = url::Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_default();
        let mut facts = Facts {
            while_connecting: e.is_connect(),
            ..Facts::default()
        };
        let kind = if let Some(r) = find::<rustls::Error>(e) {
            facts.tls_error = Some(r.to_string());
            if let rustls::Error::AlertReceived(a) = r {
                facts.alert = Some(format!("{a:?}"));
            }
            tls_kind(r)
        } else if let Some(alert) = alert_in(&detail) {
            // After the handshake, rustls reports an alert as text in an io::Error.
            facts.tls_error = Some(format!("received fatal alert: {alert}"));
            let kind = if alert == "CertificateRequired" {
                TransportKind::MtlsRequired
            } else {
                TransportKind::Tls
            };
            facts.alert = Some(alert);
            kind
        } else if e.is_timeout() || io_kind(e) == Some(std::io::ErrorKind::TimedOut) {
            if e.is_connect() {
                TransportKind::ConnectTimeout
            } else {
                TransportKind::ReadTimeout
            }
        } else if lower.contains("proxy authorization required") {
            TransportKind::ProxyAuth
        } else if lower.contains("dns error")
            || lower.contains("failed to lookup address")
            || lower.contains("name or service not known")
        {
            facts.resolver_answer = Some(last_words(&detail));
            TransportKind::Dns
        } else if io_kind(e) == Some(std::io::ErrorKind::ConnectionRefused)
            || lower.contains("connection refused")
        {
            TransportKind::Refused
        } else if lower.contains("tunnel error") {
            TransportKind::Proxy
        } else if lower.contains("invalidcontenttype")
            || lower.contains("corrupt message")
            || lower.contains("tls")
            || lower.contains("handshake")
            || lower.contains("certificate")
        {
            TransportKind::Tls
        } else if matches!(
            io_kind(e),
            Some(
                std::io::ErrorKind::ConnectionReset
                    | std::io::ErrorKind::ConnectionAborted
                    | std::io::ErrorKind::BrokenPipe
                    | std::io::ErrorKind::UnexpectedEof
            )
        ) || lower.contains("reset")
            || lower.contains("connection closed")
            || lower.contains("broken pipe")
            || lower.contains("incompletemessage")
        {
            TransportKind::Reset
        } else {
            TransportKind::Other
        };
        TransportError {
            kind,
            explanation: explanation(kind, &host),
            detail,
            facts: Box::new(facts),
        }
    }

    /// The status line and headers arrived, the body did not: not a failure "before any
    /// response", and not a response to show as complete either.
    pub fn cut_short(
        url: &str,
        e: &reqwest::Error,
        status: u16,
        received: u64,
        content_length: Option<u64>,
    ) -> Self {
        let classified = Self::classify(url, e);
        let timed_out = matches!(
            classified.kind,
            TransportKind::ReadTimeout | TransportKind::ConnectTimeout
        );
        let why = if timed_out {
            "the time ran out"
        } else {
            "the connection closed"
        };
        let of = content_length
            .map(|n| format!(" of the {n} announced"))
            .unwrap_or_default();
        TransportError {
            kind: if timed_out {
                TransportKind::ReadTimeout
            } else {
                TransportKind::BodyCutShort
            },
            explanation: format!(
                "the response was cut short: the server answered {status}, then {why} after {received} bytes of the body{of}"
            ),
            detail: classified.detail,
            facts: Box::new(Facts {
                status: Some(status),
                received: Some(received),
                content_length,
                ..*classified.facts
            }),
        }
    }

    /// Adds what the settings say about this failure: the proxy in use (a refusal or an
    /// unknown name is then the proxy's), the `--resolve` address, the timeout that ran out.
    pub fn with_settings(mut self, settings: &ClientSettings, url: &str) -> Self {
        let host = url::Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_default();
        // What the client's handshakes showed: the certificate refused, a request for ours.
        if let Some(notes) = client::notes_for(settings) {
            if matches!(
                self.kind,
                TransportKind::TlsUnknownCa
                    | TransportKind::TlsHostname
                    | TransportKind::TlsExpired
                    | TransportKind::Tls
            ) {
                self.facts.certificate = notes.take_seen(&host);
            }
            if let Some(asked) = notes.take_asked() {
                let alert = self.facts.alert.as_deref().unwrap_or_default();
                let refused_ours = CLIENT_CERT_ALERTS.contains(&alert);
                // A server that closes the connection right after asking for a certificate
                // we did not have (TLS 1.3 servers refuse after the client's Finished).
                let closed_without = !asked.had_one
                    && matches!(self.kind, TransportKind::Reset | TransportKind::Tls);
                if self.kind == TransportKind::MtlsRequired || refused_ours || closed_without {
                    self.kind = TransportKind::MtlsRequired;
                    self.explanation = explanation(self.kind, &host);
                    self.facts.client_cert_asked = Some(asked.acceptable_cas);
                    self.facts.client_cert_sent = Some(asked.had_one);
                }
            }
        }
        let proxy = settings.proxy_for(url, &ProxyEnv::from_process());
        if let Ok(u) = url::Url::parse(url) {
            if let (Some(host), Some(port)) = (u.host_str(), u.port_or_known_default()) {
                if proxy.is_none() {
                    self.facts.resolved_to = settings
                        .resolved(host, port)
                        .map(|r| format!("{}:{port} → {} (--resolve)", r.host, r.addr));
                }
            }
        }
        match self.kind {
            TransportKind::ConnectTimeout => {
                self.facts.timeout = Some((
                    settings.connect_timeout,
                    settings.connect_timeout_from.clone(),
                ))
            }
            TransportKind::ReadTimeout => {
                self.facts.timeout = Some((settings.timeout, settings.timeout_from.clone()))
            }
            _ => {}
        }
        if let Some(p) = &proxy {
            let by_proxy = match self.kind {
                TransportKind::Refused => Some(TransportKind::ProxyRefused),
                // Through a proxy, only the proxy's own name is resolved here.
                TransportKind::Dns if self.facts.while_connecting => Some(TransportKind::Proxy),
                _ => None,
            };
            if let Some(kind) = by_proxy {
                self.kind = kind;
                self.explanation = format!("the proxy {} could not be reached", p.address);
            }
        }
        self.facts.proxy = proxy;
        self
    }
}

/// The innermost words of an error chain (`a: b: c` → `c`).
fn last_words(chain: &str) -> String {
    chain
        .rsplit(": ")
        .next()
        .unwrap_or(chain)
        .trim()
        .to_string()
}

fn explanation(kind: TransportKind, host: &str) -> String {
    match kind {
        TransportKind::Dns => format!("could not resolve host '{host}'"),
        TransportKind::Refused => format!("connection refused by {host}"),
        TransportKind::ConnectTimeout => format!("no connection to {host} in time"),
        TransportKind::ReadTimeout => "timed out waiting for the server".into(),
        TransportKind::TlsUnknownCa => {
            format!("the certificate of {host} is signed by a CA that is not trusted")
        }
        TransportKind::TlsHostname => format!("the certificate does not name {host}"),
        TransportKind::TlsExpired => format!("the certificate of {host} is expired"),
        TransportKind::Tls => format!("TLS failed with {host}"),
        TransportKind::MtlsRequired => format!("{host} wants a client certificate"),
        TransportKind::ProxyRefused => "the proxy refused the connection".into(),
        TransportKind::ProxyAuth => "the proxy wants credentials".into(),
        TransportKind::Proxy => "the proxy failed".into(),
        TransportKind::Reset => "the connection was reset or closed by the server".into(),
        TransportKind::BodyCutShort => "the response body was cut short".into(),
        TransportKind::Other => "the request failed before any response".into(),
    }
}
