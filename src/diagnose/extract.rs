//! Reading AWS error responses in every shape they come in: API Gateway REST and HTTP APIs,
//! Lambda function URLs (JSON `message`/`Message`, `x-amzn-ErrorType`), JSON-protocol
//! `__type`, S3 XML (with `CanonicalRequest`/`StringToSign` and their `*Bytes` hex forms) and
//! query-protocol XML (STS, IAM).

use crate::aws::sts::xml_texts;
use crate::http::Response;
use serde::Serialize;

/// What the error response says, before any interpretation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ErrorBody {
    /// `x-amzn-ErrorType`, `__type` or `<Code>`, without namespace.
    pub code: Option<String>,
    pub message: Option<String>,
    pub server_canonical_request: Option<String>,
    pub server_string_to_sign: Option<String>,
}

fn strip_namespace(code: &str) -> String {
    let code = code.split(':').next().unwrap_or(code);
    code.rsplit('#').next().unwrap_or(code).trim().to_string()
}

fn hex_bytes(s: &str) -> Option<String> {
    let bytes: Option<Vec<u8>> = s
        .split_whitespace()
        .map(|h| u8::from_str_radix(h, 16).ok())
        .collect();
    bytes.and_then(|b| String::from_utf8(b).ok())
}

/// Reads code, message and the server's canonical strings.
pub fn read_error(response: &Response) -> ErrorBody {
    let body = String::from_utf8_lossy(&response.body);
    let mut out = ErrorBody {
        code: response.header("x-amzn-ErrorType").map(strip_namespace),
        ..ErrorBody::default()
    };
    let trimmed = body.trim_start();
    if trimmed.starts_with('{') {
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(trimmed) {
            for key in ["message", "Message", "errorMessage"] {
                if let Some(m) = v.get(key).and_then(|m| m.as_str()) {
                    out.message = Some(m.to_string());
                    break;
                }
            }
            if out.code.is_none() {
                for key in ["__type", "code", "Code"] {
                    if let Some(c) = v.get(key).and_then(|m| m.as_str()) {
                        out.code = Some(strip_namespace(c));
                        break;
                    }
                }
            }
        }
    } else if trimmed.starts_with('<') {
        let [code, message, canonical, canonical_hex, sts, sts_hex] = xml_texts(
            trimmed,
            [
                "Code",
                "Message",
                "CanonicalRequest",
                "CanonicalRequestBytes",
                "StringToSign",
                "StringToSignBytes",
            ],
        );
        out.code = out.code.or(code);
        out.message = message;
        out.server_canonical_request =
            canonical.or_else(|| canonical_hex.and_then(|h| hex_bytes(&h)));
        out.server_string_to_sign = sts.or_else(|| sts_hex.and_then(|h| hex_bytes(&h)));
        if out.code.is_none() && out.message.is_none() {
            // Not XML after all (an HTML error page, a cut body): show its text.
            out.message = Some(trimmed.chars().take(2000).collect());
        }
    } else if !trimmed.is_empty() {
        out.message = Some(trimmed.chars().take(2000).collect());
    }
    if let Some(message) = &out.message {
        const CANONICAL: &str = "The Canonical String for this request should have been\n'";
        const STS: &str = "'\n\nThe String-to-Sign should have been\n'";
        if let Some(start) = message.find(CANONICAL) {
            let rest = &message[start + CANONICAL.len()..];
            if let Some(end) = rest.find(STS) {
                out.server_canonical_request = Some(rest[..end].to_string());
                let sts = &rest[end + STS.len()..];
                let sts = sts.strip_suffix('\n').unwrap_or(sts);
                out.server_string_to_sign = Some(sts.strip_suffix('\'').unwrap_or(sts).to_string());
            }
        }
    }
    out
}

/// `Signature expired: A is now earlier than B (C - 5 min.)` and
/// `Signature not yet current: A is still later than B (C + 5 min.)` → (A, C, window minutes).
pub fn clock_times(message: &str) -> Option<(String, String, i64)> {
    for (prefix, middle) in [
        ("Signature expired: ", " is now earlier than "),
        ("Signature not yet current: ", " is still later than "),
    ] {
        if let Some(start) = message.find(prefix) {
            let rest = &message[start + prefix.len()..];
            let request = rest.split(middle).next()?.trim().to_string();
            let open = rest.find('(')?;
            let inner = &rest[open + 1..rest[open..].find(')')? + open];
            let server = inner.split_whitespace().next()?.to_string();
            let window = inner
                .split_whitespace()
                .nth(2)
                .and_then(|m| m.parse().ok())
                .unwrap_or(5);
            return Some((request, server, window));
        }
    }
    None
}

/// `User: P is not authorized to perform: A [on resource: R] [with an explicit deny] [because ...]`.
pub fn access_denied(message: &str) -> Option<(String, String, Option<String>, bool)> {
    let start = message.find("User: ")? + "User: ".len();
    let rest = &message[start..];
    let (principal, rest) = rest.split_once(" is not authorized to perform: ")?;
    let explicit = rest.contains("with an explicit deny");
    let (action, resource) = match rest.split_once(" on resource: ") {
        Some((action, res)) => {
            let res = res.split(" with an explicit deny").next().unwrap_or(res);
            let res = res.split(" because ").next().unwrap_or(res);
            (action.to_string(), Some(res.trim().to_string()))
        }
        None => {
            let action = rest.split(" with an explicit deny").next().unwrap_or(rest);
            let action = action.split(" because ").next().unwrap_or(action);
            (action.trim().to_string(), None)
        }
    };
    Some((principal.trim().to_string(), action, resource, explicit))
}

/// `Credential should be scoped to a valid region, not 'X'.` / `... correct service: 'Y'.`
pub fn scope_complaints(message: &str) -> (Option<String>, Option<String>) {
    let quoted_after = |marker: &str| {
        let start = message.find(marker)? + marker.len();
        let rest = &message[start..];
        let rest = rest.strip_prefix('\'')?;
        Some(rest[..rest.find('\'')?].to_string())
    };
    (
        quoted_after("Credential should be scoped to a valid region, not "),
        quoted_after("Credential should be scoped to correct service: "),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_messages() {
        let m = "Signature expired: 20201027T123008Z is now earlier than 20201027T125507Z (20201027T130007Z - 5 min.)";
        assert_eq!(
            clock_times(m),
            Some(("20201027T123008Z".into(), "20201027T130007Z".into(), 5))
        );
        let m = "Signature not yet current: 20201027T140008Z is still later than 20201027T135007Z (20201027T134507Z + 5 min.)";
        assert_eq!(clock_times(m).unwrap().1, "20201027T134507Z");
    }

    #[test]
    fn scope_messages() {
        let m = "Credential should be scoped to a valid region, not 'us-east-1'. Credential should be scoped to correct service: 'execute-api'. ";
        assert_eq!(
            scope_complaints(m),
            (Some("us-east-1".into()), Some("execute-api".into()))
        );
    }
}
