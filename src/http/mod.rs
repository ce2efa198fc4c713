//! The engine: a signed `WireRequest` goes out through reqwest and comes back as an
//! `Exchange`, or as a classified `TransportError`.
//!
//! ```text
//! WireRequest ──sign::sign──▶ Signed { request, trace } ──send──▶ Exchange { request, trace, response, timing }
//!                                                            └──▶ TransportError { kind: refused|dns|tls|timeout|reset|other }
//! ```
//!
//! Redirects are never followed: a signed request must not carry its `Authorization` or
//! `X-Amz-Security-Token` to another host, and a redirect invalidates the signature anyway.
//! The 3xx is returned with its `Location` for the user to decide.

pub mod compare;
pub mod prepare;

use crate::sign::{SigningTrace, WireRequest};
use bytes::Bytes;
use std::time::{Duration, Instant, SystemTime};

/// A response as received.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub reason: String,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Parses a raw HTTP response (status line, headers, blank line, body).
    pub fn parse_raw(text: &[u8]) -> Result<Self, String> {
        let split = text
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .map(|i| (i, i + 4))
            .or_else(|| {
                text.windows(2)
                    .position(|w| w == b"\n\n")
                    .map(|i| (i, i + 2))
            });
        let (head, body) = match split {
            Some((end, start)) => (&text[..end], &text[start..]),
            None => (text, &b""[..]),
        };
        let head = String::from_utf8_lossy(head);
        let mut lines = head.lines();
        let status_line = lines.next().ok_or("empty response")?;
        let mut parts = status_line.splitn(3, ' ');
        let version = parts.next().unwrap_or_default();
        if !version.starts_with("HTTP/") {
            return Err(format!(
                "line 1: expected a status line such as 'HTTP/1.1 403 Forbidden', found '{status_line}'"
            ));
        }
        let status: u16 = parts
            .next()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("line 1: no status code in '{status_line}'"))?;
        let reason = parts.next().unwrap_or_default().to_string();
        let mut headers = Vec::new();
        for (i, line) in lines.enumerate() {
            let Some((n, v)) = line.split_once(':') else {
                return Err(format!(
                    "line {}: expected 'Name: value', found '{line}'",
                    i + 2
                ));
            };
            headers.push((n.trim().to_string(), v.trim().to_string()));
        }
        Ok(Self {
            status,
            reason,
            headers,
            body: Bytes::copy_from_slice(body),
        })
    }
}

/// How long things took.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    pub started: SystemTime,
    pub total: Duration,
}

/// One request sent and its response.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub request: WireRequest,
    pub trace: Option<SigningTrace>,
    pub response: Response,
    pub timing: Timing,
}

/// The class of a failure to get any response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TransportKind {
    Refused,
    Dns,
    Tls,
    Timeout,
    Reset,
    Other,
}

#[derive(Debug, Clone, thiserror::Error)]
#[error("{explanation} ({detail})")]
pub struct TransportError {
    pub kind: TransportKind,
    pub explanation: String,
    pub detail: String,
}

impl TransportError {
    fn classify(url: &str, e: &reqwest::Error) -> Self {
        let detail = crate::aws::credentials::error_chain(e);
        let lower = detail.to_ascii_lowercase();
        let host = url::Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_default();
        let (kind, explanation) = if e.is_timeout() || lower.contains("timed out") {
            (
                TransportKind::Timeout,
                "timed out waiting for the server".to_string(),
            )
        } else if lower.contains("dns error")
            || lower.contains("failed to lookup address")
            || lower.contains("name or service not known")
        {
            (
                TransportKind::Dns,
                format!("could not resolve host '{host}': check the URL"),
            )
        } else if lower.contains("connection refused") {
            (
                TransportKind::Refused,
                format!("connection refused by {host}: nothing is listening on that port"),
            )
        } else if lower.contains("certificate")
            || lower.contains("tls")
            || lower.contains("handshake")
            || lower.contains("invalidcontenttype")
        {
            (TransportKind::Tls, format!("TLS failed with {host}"))
        } else if lower.contains("reset")
            || lower.contains("connection closed")
            || lower.contains("broken pipe")
            || lower.contains("incompletemessage")
        {
            (
                TransportKind::Reset,
                "the connection was reset or closed by the server".to_string(),
            )
        } else {
            (
                TransportKind::Other,
                "the request failed before any response".to_string(),
            )
        };
        Self {
            kind,
            explanation,
            detail,
        }
    }
}

/// A reused HTTP client: no redirects, a timeout per request.
pub fn client(timeout: Duration) -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(10)))
        .user_agent(concat!("sigscope/", env!("CARGO_PKG_VERSION")))
        .build()
        .expect("the HTTP client configuration is static and valid")
}

/// Sends a (signed) request exactly as given.
pub async fn send(
    client: &reqwest::Client,
    request: WireRequest,
    trace: Option<SigningTrace>,
) -> Result<Exchange, TransportError> {
    let url = request.url();
    let method =
        reqwest::Method::from_bytes(request.method.as_bytes()).map_err(|e| TransportError {
            kind: TransportKind::Other,
            explanation: format!("invalid method '{}'", request.method),
            detail: e.to_string(),
        })?;
    let mut builder = client.request(method, &url);
    for (name, value) in &request.headers {
        if name.eq_ignore_ascii_case("host") {
            continue;
        }
        builder = builder.header(name.as_str(), value.trim());
    }
    let started = SystemTime::now();
    let clock = Instant::now();
    let response = builder
        .body(request.body.clone())
        .send()
        .await
        .map_err(|e| TransportError::classify(&url, &e))?;
    let status = response.status();
    let headers = response
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = response
        .bytes()
        .await
        .map_err(|e| TransportError::classify(&url, &e))?;
    Ok(Exchange {
        request,
        trace,
        response: Response {
            status: status.as_u16(),
            reason: status.canonical_reason().unwrap_or_default().to_string(),
            headers,
            body,
        },
        timing: Timing {
            started,
            total: clock.elapsed(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_responses_parse() {
        let r = Response::parse_raw(
            b"HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\n\r\n{\"message\":\"x\"}",
        )
        .unwrap();
        assert_eq!(r.status, 403);
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert_eq!(&r.body[..], b"{\"message\":\"x\"}");
        assert!(Response::parse_raw(b"garbage").is_err());
    }

    #[tokio::test]
    async fn a_dead_port_is_classified_as_refused() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let req = WireRequest::from_url("GET", &format!("http://127.0.0.1:{port}/")).unwrap();
        let err = send(&client(Duration::from_secs(5)), req, None)
            .await
            .unwrap_err();
        assert_eq!(err.kind, TransportKind::Refused, "{err}");
    }

    #[tokio::test]
    async fn a_silent_server_is_a_timeout() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let _keep = tokio::spawn(async move {
            let (_sock, _) = listener.accept().await.unwrap();
            tokio::time::sleep(Duration::from_secs(5)).await;
        });
        let req = WireRequest::from_url("GET", &format!("http://127.0.0.1:{port}/")).unwrap();
        let err = send(&client(Duration::from_millis(300)), req, None)
            .await
            .unwrap_err();
        assert_eq!(err.kind, TransportKind::Timeout, "{err}");
    }
}
