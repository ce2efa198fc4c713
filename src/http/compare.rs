//! Two exchanges side by side, as a diff: the status, the response headers added, removed and
//! changed, and the bodies line by line (formatted as the pretty view formats them, so a
//! re-ordered whitespace is not a difference), unchanged runs folded to a few lines of
//! context. The line diff is `similar`'s (Myers, with a deadline for large bodies).

use super::Exchange;
use similar::{ChangeTag, TextDiff};
use std::time::Duration;

/// Lines kept around each change in the body.
const CONTEXT: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// In both.
    Same,
    /// Only in the first (older) exchange.
    Old,
    /// Only in the second.
    New,
    /// Unchanged lines folded away (the line says how many).
    Folded,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffLine {
    pub side: Side,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExchangeDiff {
    pub status: (u16, u16),
    /// Response headers, by name (case-insensitive): `Old` removed, `New` added or changed.
    pub headers: Vec<DiffLine>,
    pub body: Vec<DiffLine>,
    /// Whether the bodies are the same, byte for byte.
    pub same_body: bool,
}

fn pretty(x: &Exchange) -> String {
    let kind = crate::body::detect(x.response.header("content-type"), &x.response.body);
    let lines = crate::body::display(kind, &x.response.body);
    String::from_utf8_lossy(&lines.text).into_owned()
}

/// The differences from `old` to `new`.
pub fn compare(old: &Exchange, new: &Exchange) -> ExchangeDiff {
    let (a, b) = (&old.response, &new.response);
    let mut headers = Vec::new();
    let find = |hs: &[(String, String)], n: &str| {
        hs.iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(n))
            .map(|(_, v)| v.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut names: Vec<String> = (a.headers.iter().chain(b.headers.iter()))
        .map(|(n, _)| n.to_ascii_lowercase())
        .collect();
    names.sort();
    names.dedup();
    for n in names {
        let (va, vb) = (find(&a.headers, &n), find(&b.headers, &n));
        let (in_a, in_b) = (a.header(&n).is_some(), b.header(&n).is_some());
        if in_a && (!in_b || va != vb) {
            headers.push(DiffLine {
                side: Side::Old,
                text: format!("{n}: {va}"),
            });
        }
        if in_b && (!in_a || va != vb) {
            headers.push(DiffLine {
                side: Side::New,
                text: format!("{n}: {vb}"),
            });
        }
    }
    let same_body = a.body == b.body;
    let body = if same_body {
        Vec::new()
    } else {
        body_diff(&pretty(old), &pretty(new))
    };
    ExchangeDiff {
        status: (a.status, b.status),
        headers,
        body,
        same_body,
    }
}

fn body_diff(old: &str, new: &str) -> Vec<DiffLine> {
    let diff = TextDiff::configure()
        .deadline(std::time::Instant::now() + Duration::from_secs(2))
        .diff_lines(old, new);
    let mut out = Vec::new();
    for (i, group) in diff.grouped_ops(CONTEXT).iter().enumerate() {
        if i > 0 {
            out.push(DiffLine {
                side: Side::Folded,
                text: "…".into(),
            });
        }
        for op in group {
            for change in diff.iter_changes(op) {
                let side = match change.tag() {
                    ChangeTag::Equal => Side::Same,
                    ChangeTag::Delete => Side::Old,
                    ChangeTag::Insert => Side::New,
                };
                out.push(DiffLine {
                    side,
                    text: change.value().trim_end_matches(['\n', '\r']).to_string(),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::{Response, Timing};

    fn exchange(status: u16, headers: &[(&str, &str)], body: &str) -> Exchange {
        Exchange {
            request: crate::sign::WireRequest::from_url("GET", "http://x/").unwrap(),
            trace: None,
            response: Response {
                status,
                reason: String::new(),
                headers: headers
                    .iter()
                    .map(|(n, v)| (n.to_string(), v.to_string()))
                    .collect(),
                body: bytes::Bytes::from(body.to_string()),
            },
            timing: Timing {
                started: std::time::SystemTime::UNIX_EPOCH,
                total: Duration::ZERO,
            },
        }
    }

    #[test]
    fn status_headers_and_body_lines_that_differ_are_listed() {
        let items: Vec<String> = (0..20).map(|i| format!("{{\"id\":{i}}}")).collect();
        let mut changed = items.clone();
        changed[10] = "{\"id\":99}".into();
        let a = exchange(
            200,
            &[
                ("content-type", "application/json"),
                ("x-a", "1"),
                ("Date", "x"),
            ],
            &format!("[{}]", items.join(",")),
        );
        let b = exchange(
            403,
            &[
                ("content-type", "application/json"),
                ("X-B", "2"),
                ("date", "y"),
            ],
            &format!("[{}]", changed.join(",")),
        );
        let d = compare(&a, &b);
        assert_eq!(d.status, (200, 403));
        let h: Vec<String> = (d.headers.iter())
            .map(|l| format!("{:?} {}", l.side, l.text))
            .collect();
        assert_eq!(
            h,
            ["Old date: x", "New date: y", "Old x-a: 1", "New x-b: 2"]
        );
        let changes: Vec<&DiffLine> = d.body.iter().filter(|l| l.side != Side::Same).collect();
        assert_eq!(changes.len(), 2, "{changes:?}");
        assert!(d
            .body
            .iter()
            .any(|l| l.side == Side::Old && l.text.contains("\"id\": 10")));
        assert!(d
            .body
            .iter()
            .any(|l| l.side == Side::New && l.text.contains("\"id\": 99")));
        // Context around the change, not the whole body.
        assert!(d.body.len() < 12, "{:?}", d.body);
        let same = compare(&a, &a);
        assert!(same.same_body && same.body.is_empty() && same.headers.is_empty());
    }
}
