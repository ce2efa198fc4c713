//! Captures taken from a response: each sets a variable, or says why it could not (no such
//! header, a jq expression that yields nothing, a pattern that does not match).

use super::observed::Observed;
use crate::model::checks::{Capture, CaptureFrom, CaptureScope};
use serde::Serialize;
use serde_json::Value;

/// One capture taken (or not).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Captured {
    pub variable: String,
    pub scope: CaptureScope,
    /// Where it was read: `json .pet.id`.
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The text a JSON value becomes in a variable: a string as it is, anything else as JSON.
pub fn variable_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn take(from: &CaptureFrom, seen: &Observed) -> Result<String, String> {
    let r = seen.response;
    match from {
        CaptureFrom::Status => Ok(r.status.to_string()),
        CaptureFrom::Header(name) => r
            .header(name)
            .map(str::to_string)
            .ok_or_else(|| format!("the response has no '{name}' header")),
        CaptureFrom::Json(expression) => match seen.jq(expression)?.into_iter().next() {
            None | Some(Value::Null) => {
                Err(format!("'{expression}' gives nothing (null) for this body"))
            }
            Some(v) => Ok(variable_text(&v)),
        },
        CaptureFrom::Regex(pattern) => {
            let re = regex_lite::Regex::new(pattern).map_err(|e| e.to_string())?;
            let text = seen.text();
            let caps = re
                .captures(&text)
                .ok_or_else(|| format!("/{pattern}/ does not match the body"))?;
            Ok(caps
                .get(1)
                .or_else(|| caps.get(0))
                .map_or(String::new(), |m| m.as_str().to_string()))
        }
    }
}

/// Takes every enabled capture, in order.
pub fn apply(captures: &[Capture], seen: &Observed) -> Vec<Captured> {
    captures
        .iter()
        .filter(|c| c.enabled)
        .map(|c| {
            let (value, error) = match take(&c.from, seen) {
                Ok(v) => (Some(v), None),
                Err(e) => (None, Some(e)),
            };
            Captured {
                variable: c.variable.clone(),
                scope: c.scope,
                source: c.source_text(),
                value,
                error,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::Response;
    use std::time::Duration;

    #[test]
    fn each_source_sets_a_variable_or_says_why_not() {
        let r = Response {
            status: 201,
            reason: String::new(),
            headers: vec![("ETag".into(), "\"v1\"".into())],
            body: br#"{"pet":{"id":4,"tags":["a"]},"note":"token=abc123;"}"#
                .to_vec()
                .into(),
        };
        let captures: Vec<Capture> = serde_json::from_value(serde_json::json!([
            {"variable": "id", "from": {"json": ".pet.id"}},
            {"variable": "tags", "from": {"json": ".pet.tags"}},
            {"variable": "token", "from": {"regex": "token=(\\w+)"}},
            {"variable": "etag", "from": {"header": "etag"}, "scope": "environment"},
            {"variable": "code", "from": "status"},
            {"variable": "missing", "from": {"json": ".pet.owner"}},
            {"variable": "nohead", "from": {"header": "Location"}},
            {"variable": "nomatch", "from": {"regex": "secret=(\\d+)"}},
            {"variable": "off", "from": "status", "enabled": false}
        ]))
        .unwrap();
        let got = apply(&captures, &Observed::response(&r, Duration::ZERO));
        let values: Vec<(&str, Option<&str>)> = got
            .iter()
            .map(|c| (c.variable.as_str(), c.value.as_deref()))
            .collect();
        assert_eq!(
            values,
            [
                ("id", Some("4")),
                ("tags", Some("[\"a\"]")),
                ("token", Some("abc123")),
                ("etag", Some("\"v1\"")),
                ("code", Some("201")),
                ("missing", None),
                ("nohead", None),
                ("nomatch", None),
            ]
        );
        assert_eq!(got[3].scope, CaptureScope::Environment);
        assert!(got[5].error.as_deref().unwrap().contains("gives nothing"));
        assert!(got[6]
            .error
            .as_deref()
            .unwrap()
            .contains("no 'Location' header"));
        assert!(got[7].error.as_deref().unwrap().contains("does not match"));
    }
}
