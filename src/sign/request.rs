//! The HTTP request as it goes on the wire: what gets canonicalized, signed and sent.
//!
//! A `WireRequest` keeps the request target exactly as written (path and query are not
//! re-encoded or normalized here) so that the canonical request is computed from the same
//! bytes the server will see. Two ways in: a URL (through the `url` crate, which produces the
//! encoded form that reqwest will send) or a raw HTTP/1.1 request text (`--raw`, the format of
//! the AWS SigV4 suite's `request.txt`), which is kept byte for byte.

use bytes::Bytes;
use std::fmt::Write as _;

/// Bodies longer than this are summarized in `to_text` (a trace must stay small).
pub const MAX_TEXT_BODY: usize = 64 * 1024;

/// An HTTP request in wire form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireRequest {
    pub method: String,
    /// `http` or `https`.
    pub scheme: String,
    /// `host` or `host:port`, as in the URL.
    pub authority: String,
    /// The path as it appears in the request line (starts with `/`).
    pub path: String,
    /// The query without its `?`; `None` when the target has no `?`.
    pub query: Option<String>,
    /// Headers in order, names and values as given (values are not trimmed).
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

/// Why a request could not be built from the user's input.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RequestError {
    #[error("invalid URL '{url}': {reason}")]
    InvalidUrl { url: String, reason: String },
    #[error("invalid header '{line}': {reason}")]
    InvalidHeader { line: String, reason: String },
    #[error("invalid method '{0}': use a token such as GET, POST, PUT, DELETE")]
    InvalidMethod(String),
    #[error("raw request, line {line}: {reason}")]
    InvalidRaw { line: usize, reason: String },
}

impl WireRequest {
    /// Builds a request from a URL, in the encoded form the HTTP client will put on the wire.
    pub fn from_url(method: &str, url: &str) -> Result<Self, RequestError> {
        validate_method(method)?;
        let parsed = parse_url(url)?;
        let host = parsed.host_str().unwrap_or_default();
        let authority = match parsed.port() {
            Some(port) => format!("{}:{port}", bracket_ipv6(host)),
            None => bracket_ipv6(host),
        };
        Ok(Self {
            method: method.to_ascii_uppercase(),
            scheme: parsed.scheme().to_string(),
            authority,
            path: parsed.path().to_string(),
            query: parsed.query().map(str::to_string),
            headers: Vec::new(),
            body: Bytes::new(),
        })
    }

    /// Parses a raw HTTP/1.1 request: request line, `Name:value` headers (folded continuation
    /// lines allowed), a blank line, then the body. LF or CRLF line endings. The `Host` header
    /// gives the authority; `scheme` is what to assume (`https` for AWS endpoints).
    ///
    /// The target is kept byte for byte, raw spaces included, as the AWS SigV4 suite's
    /// `request.txt` files need (`sendable` makes it fit for the wire). What would be signed one
    /// way and sent another is refused with its line: a second `Host`, a `#fragment`, a
    /// `Content-Length` that is not the body's, `Transfer-Encoding` (the client frames the
    /// body), an `X-Amz-Security-Token` (it comes from the credentials), a version other than
    /// HTTP/1.0, 1.1 or 2. `httparse` is not used: it refuses the raw spaces and folded lines
    /// that the suite's requests hold.
    pub fn parse_raw(text: &[u8], scheme: &str) -> Result<Self, RequestError> {
        let (head, body) = split_head_body(text);
        let head = std::str::from_utf8(head).map_err(|e| RequestError::InvalidRaw {
            line: 1 + head[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count(),
            reason: "the request line and headers must be UTF-8".into(),
        })?;
        let err = |line: usize, reason: String| RequestError::InvalidRaw { line, reason };
        let mut lines = head.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
        let request_line = lines.next().unwrap_or_default();
        let (method, target) = parse_request_line(request_line)?;
        let mut headers: Vec<(String, String)> = Vec::new();
        let mut host_line = None;
        let mut content_length = None;
        for (index, line) in lines.enumerate() {
            let line_no = index + 2;
            if line.is_empty() {
                continue;
            }
            if line.starts_with(' ') || line.starts_with('\t') {
                // obs-fold: a continuation of the previous header's value.
                let Some(last) = headers.last_mut() else {
                    return Err(err(line_no, "a continuation line before any header".into()));
                };
                last.1.push(' ');
                last.1.push_str(line.trim());
                continue;
            }
            let Some((name, value)) = line.split_once(':') else {
                return Err(err(
                    line_no,
                    format!("expected 'Name: value', found '{line}'"),
                ));
            };
            if !is_token(name) {
                return Err(err(line_no, format!("'{name}' is not a valid header name")));
            }
            if value.bytes().any(|b| (b < 0x20 && b != b'\t') || b == 0x7f) {
                return Err(err(
                    line_no,
                    format!("the value of '{name}' contains a control character"),
                ));
            }
            if headers.len() == crate::sign::MAX_HEADERS {
                return Err(err(
                    line_no,
                    format!(
                        "more than {} headers: no HTTP server accepts that many",
                        crate::sign::MAX_HEADERS
                    ),
                ));
            }
            match name.to_ascii_lowercase().as_str() {
                "host" => {
                    if let Some(first) = host_line {
                        return Err(err(
                            line_no,
                            format!("a second Host header (the first is on line {first}): a request has one host"),
                        ));
                    }
                    host_line = Some(line_no);
                }
                "content-length" => {
                    let Ok(n) = value.trim().parse::<usize>() else {
                        return Err(err(
                            line_no,
                            format!("Content-Length '{}' is not a number", value.trim()),
                        ));
                    };
                    content_length = Some((line_no, n));
                }
                "transfer-encoding" => {
                    return Err(err(
                        line_no,
                        "remove Transfer-Encoding: the body after the blank line is sent as it is, with its Content-Length".into(),
                    ));
                }
                "x-amz-security-token" => {
                    return Err(err(
                        line_no,
                        "remove X-Amz-Security-Token: the session token is added from the credentials sigscope signs with (AWS_SESSION_TOKEN or the profile)".into(),
                    ));
                }
                _ => {}
            }
            headers.push((name.to_string(), value.to_string()));
        }
        if let Some((line, n)) = content_length {
            if n != body.len() {
                return Err(err(
                    line,
                    format!(
                        "Content-Length says {n} bytes but the body after the blank line has {}: fix it or remove the line (it is then computed)",
                        body.len()
                    ),
                ));
            }
        }
        let authority = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("host"))
            .map(|(_, v)| v.trim().to_string())
            .ok_or(RequestError::InvalidRaw {
                line: 1,
                reason: "no Host header: the raw request must name its host".into(),
            })?;
        if authority.is_empty()
            || authority
                .bytes()
                .any(|b| b.is_ascii_whitespace() || b"/?#@".contains(&b))
        {
            return Err(err(
                host_line.unwrap_or(1),
                format!("'{authority}' is not a host (host or host:port)"),
            ));
        }
        let (path, query) = match target.split_once('?') {
            Some((p, q)) => (p.to_string(), Some(q.to_string())),
            None => (target.to_string(), None),
        };
        Ok(Self {
            method: method.to_string(),
            scheme: scheme.to_string(),
            authority,
            path,
            query,
            headers,
            body: Bytes::copy_from_slice(body),
        })
    }

    /// The request as it will really go on the wire: the target as the HTTP client writes it
    /// (the `url` crate, as reqwest uses it: raw spaces and non-ASCII percent-encoded, dot
    /// segments resolved). Signing this form, rather than the raw text, is what makes the
    /// canonical request describe what the server receives (a raw space signed as `%20` and
    /// sent as `%20` is canonicalized by the server as `%2520`). The note says what changed.
    pub fn sendable(&self) -> Result<(Self, Option<String>), RequestError> {
        let url = format!("{}://{}{}", self.scheme, self.authority, self.target());
        let parsed = parse_url(&url)?;
        let mut out = self.clone();
        out.path = parsed.path().to_string();
        out.query = parsed.query().map(str::to_string);
        if out.path == self.path && out.query == self.query {
            return Ok((out, None));
        }
        let note = format!(
            "the target '{}' is sent (and signed) as '{}', as an HTTP client writes it",
            self.target(),
            out.target()
        );
        Ok((out, Some(note)))
    }

    /// The host without port.
    pub fn host(&self) -> &str {
        host_of(&self.authority)
    }

    /// The authority as it goes in the `Host` header: the port is dropped when it is the
    /// scheme's default, as HTTP clients do.
    pub fn host_header_value(&self) -> &str {
        let default_port = if self.scheme == "http" { "80" } else { "443" };
        if let Some((host, port)) = self.authority.rsplit_once(':') {
            if port == default_port && (host.ends_with(']') || !host.contains(':')) {
                return host;
            }
        }
        &self.authority
    }

    /// The request target: path plus `?query` when there is one.
    pub fn target(&self) -> String {
        let mut out =
            String::with_capacity(self.path.len() + self.query.as_ref().map_or(0, |q| q.len() + 1));
        self.push_target(&mut out);
        out
    }

    fn push_target(&self, out: &mut String) {
        out.push_str(&self.path);
        if let Some(q) = &self.query {
            out.push('?');
            out.push_str(q);
        }
    }

    /// The full URL.
    pub fn url(&self) -> String {
        let mut out = String::with_capacity(
            self.scheme.len()
                + 3
                + self.authority.len()
                + self.path.len()
                + self.query.as_ref().map_or(0, |q| q.len() + 1),
        );
        out.push_str(&self.scheme);
        out.push_str("://");
        out.push_str(&self.authority);
        self.push_target(&mut out);
        out
    }

    /// Adds a header from a `Name: value` line (curl's `-H` form).
    pub fn add_header_line(&mut self, line: &str) -> Result<(), RequestError> {
        let Some((name, value)) = line.split_once(':') else {
            return Err(RequestError::InvalidHeader {
                line: line.to_string(),
                reason: "expected 'Name: value'".into(),
            });
        };
        let name = name.trim();
        if !is_token(name) {
            return Err(RequestError::InvalidHeader {
                line: line.to_string(),
                reason: format!("'{name}' is not a valid header name"),
            });
        }
        let value = value.trim();
        if self.headers.len() >= crate::sign::MAX_HEADERS {
            return Err(RequestError::InvalidHeader {
                line: line.to_string(),
                reason: format!(
                    "more than {} headers: no HTTP server accepts that many",
                    crate::sign::MAX_HEADERS
                ),
            });
        }
        if value.bytes().any(|b| (b < 0x20 && b != b'\t') || b == 0x7f) {
            return Err(RequestError::InvalidHeader {
                line: line.to_string(),
                reason: "the value contains a control character".into(),
            });
        }
        self.headers.push((name.to_string(), value.to_string()));
        Ok(())
    }

    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Removes every header with this name.
    pub fn remove_header(&mut self, name: &str) {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
    }

    /// The request as HTTP/1.1 text, in the layout of the SigV4 suite's `*-signed-request.txt`:
    /// `Name:value` headers as given, a blank line, then the body.
    pub fn to_text(&self) -> String {
        // Built with push_str into a buffer sized for the whole text (the query included): this
        // runs on every signing, and `format!` or growing the buffer cost more than the rest.
        let head: usize = self
            .headers
            .iter()
            .map(|(n, v)| n.len() + v.len() + 2)
            .sum();
        let query = self.query.as_ref().map_or(0, |q| q.len() + 1);
        let body = self.body.len().min(MAX_TEXT_BODY);
        let mut out = String::with_capacity(
            self.method.len() + self.path.len() + query + 12 + head + body + 32,
        );
        out.push_str(&self.method);
        out.push(' ');
        self.push_target(&mut out);
        out.push_str(" HTTP/1.1\n");
        for (name, value) in &self.headers {
            out.push_str(name);
            out.push(':');
            out.push_str(value);
            out.push('\n');
        }
        out.push('\n');
        if self.body.len() <= MAX_TEXT_BODY {
            out.push_str(&String::from_utf8_lossy(&self.body));
        } else {
            let _ = write!(out, "[{} bytes of body]", self.body.len());
        }
        out
    }
}

/// The host part of an authority (`host`, `host:port`, `[v6]:port`).
pub fn host_of(authority: &str) -> &str {
    if authority.starts_with('[') {
        return authority
            .split_once(']')
            .map(|(h, _)| &h[1..])
            .unwrap_or(authority);
    }
    authority.split(':').next().unwrap_or(authority)
}

fn bracket_ipv6(host: &str) -> String {
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host.to_string()
    }
}

/// Parses a URL as the HTTP client will, with a message a user can act on.
pub fn parse_url(url: &str) -> Result<url::Url, RequestError> {
    let trimmed = url.trim();
    let invalid = |reason: String| RequestError::InvalidUrl {
        url: url.to_string(),
        reason,
    };
    if trimmed.is_empty() {
        return Err(invalid("the URL is empty".into()));
    }
    if !trimmed.contains("://") {
        return Err(invalid(
            "it has no scheme: start it with https:// (or http:// for a local server)".into(),
        ));
    }
    let parsed = url::Url::parse(trimmed).map_err(|e| invalid(e.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(invalid(format!(
            "scheme '{}' is not supported: use https:// or http://",
            parsed.scheme()
        )));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(invalid("it has no host".into()));
    }
    if trimmed.contains("{{") {
        return Err(invalid("it still holds an unresolved {{variable}}".into()));
    }
    Ok(parsed)
}

fn validate_method(method: &str) -> Result<(), RequestError> {
    if method.is_empty() || !is_token(method) {
        return Err(RequestError::InvalidMethod(method.to_string()));
    }
    Ok(())
}

/// RFC 9110 token characters (header names and methods).
pub fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn parse_request_line(line: &str) -> Result<(&str, &str), RequestError> {
    let err = |reason: String| RequestError::InvalidRaw { line: 1, reason };
    let (method, rest) = line
        .split_once(' ')
        .ok_or_else(|| err("expected 'METHOD /path HTTP/1.1'".into()))?;
    // The target may contain raw spaces (the suite's get-space-normalized does), so the
    // version is taken from the end.
    let (target, version) = rest
        .rsplit_once(' ')
        .filter(|(_, v)| v.starts_with("HTTP/"))
        .ok_or_else(|| {
            err(format!(
                "'{line}' has no HTTP version: end the request line with HTTP/1.1"
            ))
        })?;
    if !matches!(version, "HTTP/1.1" | "HTTP/1.0" | "HTTP/2" | "HTTP/2.0") {
        return Err(err(format!(
            "'{version}' is not an HTTP version sigscope sends: use HTTP/1.1"
        )));
    }
    if !is_token(method) {
        return Err(err("the method is not a valid token".into()));
    }
    if !target.starts_with('/') {
        return Err(err("the request target must start with '/'".into()));
    }
    if let Some(at) = target.find('#') {
        return Err(err(format!(
            "'{}' is a fragment, which is never sent to the server: remove it",
            &target[at..]
        )));
    }
    Ok((method, target))
}

fn split_head_body(text: &[u8]) -> (&[u8], &[u8]) {
    for (i, w) in text.windows(2).enumerate() {
        if w == b"\n\n" {
            return (&text[..i], &text[i + 2..]);
        }
        if w == b"\n\r" && text.get(i + 2) == Some(&b'\n') {
            return (&text[..i], &text[i + 3..]);
        }
    }
    let head = text.strip_suffix(b"\n").unwrap_or(text);
    (head, &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_request_keeps_target_and_header_values_verbatim() {
        let raw = b"GET /example space/?a=b HTTP/1.1\r\nHost:example.amazonaws.com\r\nMy-Header2: \"a   b\"\r\n\r\nbody";
        let req = WireRequest::parse_raw(raw, "https").unwrap();
        assert_eq!(req.path, "/example space/");
        assert_eq!(req.query.as_deref(), Some("a=b"));
        assert_eq!(req.headers[1], ("My-Header2".into(), " \"a   b\"".into()));
        assert_eq!(&req.body[..], b"body");
        assert_eq!(req.authority, "example.amazonaws.com");
    }

    #[test]
    fn raw_request_folds_continuation_lines() {
        let raw = b"GET / HTTP/1.1\nHost:h\nMy-Header1:value1\n  value2\n";
        let req = WireRequest::parse_raw(raw, "https").unwrap();
        assert_eq!(req.headers[1].1, "value1 value2");
    }

    #[test]
    fn raw_request_without_host_is_an_error() {
        let err = WireRequest::parse_raw(b"GET / HTTP/1.1\nX:y\n", "https").unwrap_err();
        assert!(err.to_string().contains("Host"));
    }

    fn raw_error(raw: &[u8]) -> (usize, String) {
        match WireRequest::parse_raw(raw, "https").unwrap_err() {
            RequestError::InvalidRaw { line, reason } => (line, reason),
            other => panic!("{other}"),
        }
    }

    #[test]
    fn what_would_be_signed_one_way_and_sent_another_is_refused_with_its_line() {
        let (line, why) = raw_error(b"GET / HTTP/1.1\nHost:a\nX:1\nHost:b\n");
        assert_eq!(line, 4, "{why}");
        assert!(why.contains("line 2"), "{why}");
        let (line, why) = raw_error(b"GET /x#frag HTTP/1.1\nHost:a\n");
        assert_eq!(line, 1);
        assert!(why.contains("#frag"), "{why}");
        let (line, why) = raw_error(b"POST / HTTP/1.1\nHost:a\nContent-Length: 10\n\nabcd");
        assert_eq!(line, 3);
        assert!(why.contains("10") && why.contains('4'), "{why}");
        let (line, _) = raw_error(
            b"POST / HTTP/1.1\nHost:a\nTransfer-Encoding: chunked\n\n4\r\nabcd\r\n0\r\n\r\n",
        );
        assert_eq!(line, 3);
        let (line, why) = raw_error(b"GET / HTTP/1.1\nHost:a\nX-Amz-Security-Token: IQo\n");
        assert_eq!(line, 3);
        assert!(why.contains("credentials"), "{why}");
        let (line, why) = raw_error(b"GET / HTTP/9.9\nHost:a\n");
        assert_eq!(line, 1);
        assert!(why.contains("HTTP/9.9"), "{why}");
        let (line, why) = raw_error(b"GET /\nHost:a\n");
        assert_eq!(line, 1);
        assert!(why.contains("no HTTP version"), "{why}");
        let (line, _) = raw_error(b"GET / HTTP/1.1\nHost:a\nX-Bin: \xff\xfe\n");
        assert_eq!(line, 3);
        let (line, _) = raw_error(b"GET / HTTP/1.1\nHost:a\nX-Esc: a\x1bb\n");
        assert_eq!(line, 3);
    }

    #[test]
    fn a_matching_content_length_is_kept() {
        let req = WireRequest::parse_raw(
            b"POST / HTTP/1.1\nHost:a\nContent-Length:4\n\nabcd",
            "https",
        )
        .unwrap();
        assert_eq!(req.header("content-length"), Some("4"));
    }

    #[test]
    fn too_many_headers_are_refused_not_a_panic() {
        let mut raw = b"GET / HTTP/1.1\nHost:a\n".to_vec();
        for i in 0..30_000 {
            raw.extend_from_slice(format!("X-{i}: v\n").as_bytes());
        }
        let (line, why) = raw_error(&raw);
        assert_eq!(line, 2 + crate::sign::MAX_HEADERS, "{why}");
        let mut req = WireRequest::from_url("GET", "https://example.com/").unwrap();
        let refused = (0..30_000).find(|i| req.add_header_line(&format!("X-{i}: v")).is_err());
        assert_eq!(refused, Some(crate::sign::MAX_HEADERS));
    }

    #[test]
    fn the_sendable_form_is_the_target_an_http_client_writes() {
        let req = WireRequest::parse_raw(b"GET /sp ace/\xc3\xa9/a/. HTTP/1.1\nHost:h\n", "https")
            .unwrap();
        let (sendable, note) = req.sendable().unwrap();
        assert_eq!(sendable.path, "/sp%20ace/%C3%A9/a/");
        assert!(note.unwrap().contains("/sp%20ace/%C3%A9/a/"));
        let plain = WireRequest::from_url("GET", "https://h/a%20b?x=1").unwrap();
        assert_eq!(plain.sendable().unwrap(), (plain.clone(), None));
    }

    #[test]
    fn url_without_scheme_is_explained() {
        let err = WireRequest::from_url("GET", "example.com/x").unwrap_err();
        assert!(err.to_string().contains("https://"), "{err}");
    }

    #[test]
    fn default_port_is_dropped_from_host_header() {
        let mut req = WireRequest::from_url("GET", "http://127.0.0.1:8080/x").unwrap();
        assert_eq!(req.host_header_value(), "127.0.0.1:8080");
        req.authority = "example.com:443".into();
        req.scheme = "https".into();
        assert_eq!(req.host_header_value(), "example.com");
    }

    #[test]
    fn bad_header_lines_are_refused() {
        let mut req = WireRequest::from_url("GET", "https://example.com/").unwrap();
        assert!(req.add_header_line("NoColon").is_err());
        assert!(req.add_header_line("Bad Name: x").is_err());
        assert!(req.add_header_line("X-Ok:  v ").is_ok());
        assert_eq!(req.header("x-ok"), Some("v"));
    }
}
