//! Our canonical request against the server's, line by line, with the first difference
//! explained in words.

use crate::sign::canonical::SIGV4_PATH_ENCODE;
use crate::sign::trace::REDACTED_TOKEN;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Side {
    Both,
    Ours,
    Server,
}

#[derive(Debug, Clone, Serialize)]
pub struct DiffLine {
    pub side: Side,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CanonicalDiff {
    pub equal: bool,
    pub lines: Vec<DiffLine>,
    /// Index in `lines` of the first line that differs.
    pub first_difference: Option<usize>,
    pub explanation: String,
}

/// Lines of a canonical request, with a redacted session token accepted as equal to any.
fn comparable(ours: &str, server: &str) -> String {
    if !ours.contains(REDACTED_TOKEN) {
        return ours.to_string();
    }
    let token = server
        .lines()
        .find_map(|l| l.strip_prefix("x-amz-security-token:"))
        .unwrap_or(REDACTED_TOKEN);
    ours.replace(REDACTED_TOKEN, token)
}

pub fn compare(ours: &str, server: &str) -> CanonicalDiff {
    let ours = comparable(ours, server);
    let diff = similar::TextDiff::from_lines(ours.as_str(), server);
    let mut lines = Vec::new();
    for change in diff.iter_all_changes() {
        let side = match change.tag() {
            similar::ChangeTag::Equal => Side::Both,
            similar::ChangeTag::Delete => Side::Ours,
            similar::ChangeTag::Insert => Side::Server,
        };
        lines.push(DiffLine {
            side,
            text: change.value().trim_end_matches('\n').to_string(),
        });
    }
    let first_difference = lines.iter().position(|l| l.side != Side::Both);
    let equal = first_difference.is_none();
    let explanation = if equal {
        "the canonical requests are identical".to_string()
    } else {
        explain(&ours, server)
    };
    CanonicalDiff {
        equal,
        lines,
        first_difference,
        explanation,
    }
}

struct Parts<'a> {
    method: &'a str,
    path: &'a str,
    query: &'a str,
    headers: Vec<(&'a str, &'a str)>,
    signed: &'a str,
    payload: &'a str,
}

fn parts(text: &str) -> Parts<'_> {
    let lines: Vec<&str> = text.split('\n').collect();
    let get = |i: usize| lines.get(i).copied().unwrap_or_default();
    let mut headers = Vec::new();
    let mut i = 3;
    while i < lines.len() && !lines[i].is_empty() {
        let (n, v) = lines[i].split_once(':').unwrap_or((lines[i], ""));
        headers.push((n, v));
        i += 1;
    }
    Parts {
        method: get(0),
        path: get(1),
        query: get(2),
        headers,
        signed: get(i + 1),
        payload: get(i + 2),
    }
}

fn explain(ours: &str, server: &str) -> String {
    let (a, b) = (parts(ours), parts(server));
    if a.method != b.method {
        return format!(
            "the method differs: we signed {}, the server received {}",
            a.method, b.method
        );
    }
    if a.path != b.path {
        let encoded =
            |p: &str| percent_encoding::utf8_percent_encode(p, SIGV4_PATH_ENCODE).to_string();
        return if encoded(a.path) == b.path {
            format!("the path was encoded once more by the server ('{}' vs '{}'): the server double-encodes; sign the path as it goes on the wire and let the signer encode it again (do not pre-encode for the signature only)", a.path, b.path)
        } else if encoded(b.path) == a.path {
            format!("the path was encoded twice by us ('{}' vs '{}'): this service (S3) signs the path as sent, without a second encoding", a.path, b.path)
        } else {
            format!("the path differs ('{}' vs '{}'): a proxy or the client rewrote it after signing, or dot segments/duplicate slashes were normalized differently", a.path, b.path)
        };
    }
    if a.query != b.query {
        return format!("the query string differs ('{}' vs '{}'): parameter order or encoding ('+', spaces, reserved characters) changed between signing and sending", a.query, b.query);
    }
    for (name, value) in &a.headers {
        match b.headers.iter().find(|(n, _)| n == name) {
            Some((_, v)) if v != value => {
                return if *name == "host" {
                    format!("the host differs: we signed '{value}', the server saw '{v}' (a custom domain, a proxy or a port): sign for the host the server receives")
                } else {
                    format!("header '{name}' differs: we signed '{value}', the server saw '{v}': it was changed by a proxy or the client after signing")
                };
            }
            None if b.signed.split(';').any(|s| s == *name) => {
                return format!("the server did not receive header '{name}' that we signed: something dropped it on the way")
            }
            _ => {}
        }
    }
    for (name, value) in &b.headers {
        if !a.headers.iter().any(|(n, _)| n == name) {
            return format!("the server saw header '{name}: {value}' that we did not sign: it was added after signing");
        }
    }
    if a.signed != b.signed {
        return format!(
            "the signed header lists differ ('{}' vs '{}')",
            a.signed, b.signed
        );
    }
    if a.payload != b.payload {
        return if a.payload == "UNSIGNED-PAYLOAD" || b.payload == "UNSIGNED-PAYLOAD" {
            format!("the payload hash differs ('{}' vs '{}'): one side used UNSIGNED-PAYLOAD; match the service's expectation (S3 accepts it, most services don't)", a.payload, b.payload)
        } else {
            "the payload hash differs: the body the server received is not the body we signed (changed after signing, re-encoded, or compressed)".to_string()
        };
    }
    "the canonical requests differ in layout".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "GET\n/test/pets\n\nhost:abc.execute-api.us-east-1.amazonaws.com\nx-amz-date:20261122T101500Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    #[test]
    fn identical_requests_are_equal() {
        let d = compare(BASE, BASE);
        assert!(d.equal);
        assert_eq!(d.first_difference, None);
    }

    #[test]
    fn double_encoding_is_named() {
        let ours = BASE.replace("/test/pets", "/test/a%3Db");
        let server = BASE.replace("/test/pets", "/test/a%253Db");
        let d = compare(&ours, &server);
        assert!(!d.equal);
        assert_eq!(d.first_difference, Some(1));
        assert!(
            d.explanation.contains("encoded once more"),
            "{}",
            d.explanation
        );
    }

    #[test]
    fn a_changed_header_and_a_changed_body_are_named() {
        let server = BASE.replace("host:abc", "host:xyz");
        assert!(compare(BASE, &server).explanation.contains("host differs"));
        let server = BASE.replace("e3b0c442", "ffffffff");
        assert!(compare(BASE, &server).explanation.contains("payload hash"));
    }
}
