//! The engine: a signed `WireRequest` goes out through reqwest and comes back as an
//! `Exchange`, or as a classified `TransportError`.
//!
//! ```text
//! WireRequest ──sign::sign──▶ Signed { request, trace } ──send──▶ Exchange { request, trace, response, timing }
//!                                                            └──▶ TransportError { kind, facts } (failure)
//! ```
//!
//! The reqwest client comes from `client` (`client::ClientSettings`: trust, a client
//! certificate, the proxy, `--resolve`, the HTTP version, the timeouts); `tls` keeps what a
//! refused handshake showed for the diagnosis.
//!
//! Redirects are never followed: a signed request must not carry its `Authorization` or
//! `X-Amz-Security-Token` to another host, and a redirect invalidates the signature anyway.
//! The 3xx is returned with its `Location` for the user to decide.

pub mod client;
pub mod compare;
pub mod failure;
pub mod prepare;
pub mod proxy;
pub mod spill;
pub mod tls;

use crate::sign::{SigningTrace, WireRequest};
use bytes::Bytes;
pub use failure::{Facts, TransportError, TransportKind};
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

/// A reused HTTP client for the environment's settings (system trust store, `AWS_CA_BUNDLE`,
/// proxy variables): no redirects, `timeout` for the whole exchange. A request with its own
/// network settings gets its client from `client::cached`.
pub fn client(timeout: Duration) -> reqwest::Client {
    let settings = client::ClientSettings::with_timeout(timeout);
    client::cached(&settings).unwrap_or_else(|e| {
        // AWS_CA_BUNDLE unreadable, a proxy variable that is not a URL: the commands that
        // build their client with `try_client` report it; the others go on without it.
        remember_setup_problem(e.to_string());
        client::build(&client::ClientSettings {
            aws_ca_bundle: false,
            proxy: client::ProxySetting::Direct,
            ..settings
        })
        .expect("a client without files or proxy builds")
    })
}

/// As `client`, saying what in the environment is wrong instead of going on without it.
pub fn try_client(timeout: Duration) -> Result<reqwest::Client, client::ClientError> {
    client::cached(&client::ClientSettings::with_timeout(timeout))
}

fn setup_problem() -> &'static std::sync::Mutex<Option<String>> {
    static PROBLEM: std::sync::OnceLock<std::sync::Mutex<Option<String>>> =
        std::sync::OnceLock::new();
    PROBLEM.get_or_init(Default::default)
}

fn remember_setup_problem(problem: String) {
    if let Ok(mut p) = setup_problem().lock() {
        *p = Some(problem);
    }
}

/// Why `client` went without part of the environment's settings, if it did.
pub fn client_setup_problem() -> Option<String> {
    setup_problem().lock().ok()?.clone()
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
    let method = reqwest::Method::from_bytes(request.method.as_bytes()).map_err(|e| {
        TransportError::other(
            format!("invalid method '{}'", request.method),
            e.to_string(),
        )
    })?;
    let mut builder = client.request(method, request.url());
    for (name, value) in &request.headers {
        // A Host naming another server than the URL's (a private API through its VPC
        // endpoint) is sent as signed; the URL's own is written by the client.
        if name.eq_ignore_ascii_case("host")
            && value
                .trim()
                .eq_ignore_ascii_case(request.host_header_value())
        {
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
        Err(SendToError::Write(e)) => Err(TransportError::other(
            "the body could not be read".into(),
            e.to_string(),
        )),
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
            Err(e) => {
                let announced = head.header("content-length").and_then(|n| n.parse().ok());
                return Err(
                    TransportError::cut_short(&url, &e, status, body_bytes, announced).into(),
                );
            }
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
        assert_eq!(err.kind, TransportKind::ReadTimeout, "{err}");
    }
}
