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
pub mod spill;

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

impl TransportError {
    /// The status line and headers arrived, the body did not: not a failure "before any
    /// response", and not a response to show as complete either.
    fn cut_short(url: &str, e: &reqwest::Error, status: u16, received: u64) -> Self {
        let classified = Self::classify(url, e);
        let kind = match classified.kind {
            TransportKind::Timeout => TransportKind::Timeout,
            _ => TransportKind::Reset,
        };
        let why = if kind == TransportKind::Timeout {
            "the time ran out"
        } else {
            "the connection closed"
        };
        Self {
            kind,
            explanation: format!(
                "the response was cut short: the server answered {status}, then {why} after {received} bytes of the body"
            ),
            detail: classified.detail,
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

/// How much of a streamed body `send_to` keeps in its `Exchange`: enough for the history
/// entry (256 KiB by default) and for reading an AWS error body.
pub const STREAM_KEEP: usize = 1 << 20;

/// Why `send_to` stopped.
#[derive(Debug, thiserror::Error)]
pub enum SendToError {
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The body could not be written where it was going (disk full, closed pipe).
    #[error("writing the body: {0}")]
    Write(#[source] std::io::Error),
}

/// A streamed exchange: its response holds the first `keep` bytes of the body.
#[derive(Debug)]
pub struct Streamed {
    pub exchange: Exchange,
    /// The whole body's length.
    pub body_bytes: u64,
}

fn builder(
    client: &reqwest::Client,
    request: &WireRequest,
) -> Result<reqwest::RequestBuilder, TransportError> {
    let method =
        reqwest::Method::from_bytes(request.method.as_bytes()).map_err(|e| TransportError {
            kind: TransportKind::Other,
            explanation: format!("invalid method '{}'", request.method),
            detail: e.to_string(),
        })?;
    let mut builder = client.request(method, request.url());
    for (name, value) in &request.headers {
        if name.eq_ignore_ascii_case("host") {
            continue;
        }
        builder = builder.header(name.as_str(), value.trim());
    }
    Ok(builder.body(request.body.clone()))
}

fn response_head(response: &reqwest::Response) -> (u16, String, Vec<(String, String)>) {
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
    (
        status.as_u16(),
        status.canonical_reason().unwrap_or_default().to_string(),
        headers,
    )
}

/// Sends a (signed) request exactly as given and reads the whole body.
pub async fn send(
    client: &reqwest::Client,
    request: WireRequest,
    trace: Option<SigningTrace>,
) -> Result<Exchange, TransportError> {
    // The whole body is kept in the exchange; the sink discards its copy.
    match send_to(
        client,
        request,
        trace,
        &mut |_| Ok(()),
        &mut std::io::sink(),
        usize::MAX,
    )
    .await
    {
        Ok(s) => Ok(s.exchange),
        Err(SendToError::Transport(e)) => Err(e),
        // io::sink never fails; kept for completeness rather than a panic.
        Err(SendToError::Write(e)) => Err(TransportError {
            kind: TransportKind::Other,
            explanation: "the body could not be read".into(),
            detail: e.to_string(),
        }),
    }
}

/// Sends a (signed) request, hands the status line and headers to `on_head` (a response
/// with an empty body) and writes the body into `sink` as it arrives, keeping only its first
/// `keep` bytes in the returned exchange: a 2 GB download to a file holds one chunk in memory
/// at a time.
pub async fn send_to(
    client: &reqwest::Client,
    request: WireRequest,
    trace: Option<SigningTrace>,
    on_head: &mut (dyn FnMut(&Response) -> std::io::Result<()> + Send),
    sink: &mut (dyn std::io::Write + Send),
    keep: usize,
) -> Result<Streamed, SendToError> {
    let url = request.url();
    let builder = builder(client, &request)?;
    let started = SystemTime::now();
    let clock = Instant::now();
    let mut response = builder
        .send()
        .await
        .map_err(|e| TransportError::classify(&url, &e))?;
    let (status, reason, headers) = response_head(&response);
    let mut head = Response {
        status,
        reason,
        headers,
        body: Bytes::new(),
    };
    on_head(&head).map_err(SendToError::Write)?;
    let mut kept = Vec::new();
    let mut body_bytes: u64 = 0;
    loop {
        let chunk = match response.chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            Err(e) => return Err(TransportError::cut_short(&url, &e, status, body_bytes).into()),
        };
        body_bytes += chunk.len() as u64;
        if kept.len() < keep {
            let room = keep - kept.len();
            kept.extend_from_slice(&chunk[..chunk.len().min(room)]);
        }
        sink.write_all(&chunk).map_err(SendToError::Write)?;
    }
    Ok(Streamed {
        exchange: Exchange {
            request,
            trace,
            response: {
                head.body = Bytes::from(kept);
                head
            },
            timing: Timing {
                started,
                total: clock.elapsed(),
            },
        },
        body_bytes,
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
