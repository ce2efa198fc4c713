//! The secret refusal: a collection that holds a literal AWS secret key, session token, or a
//! literal bearer/basic credential is not loaded.

use super::store::LoadError;
use serde_json::Value;

const SECRET_NAMES: [&str; 7] = [
    "secretaccesskey",
    "awssecretaccesskey",
    "secretkey",
    "sessiontoken",
    "awssessiontoken",
    "securitytoken",
    "xamzsecuritytoken",
];

/// Compares a key with a lowercase alphanumeric name, ignoring case and punctuation
/// (`X-Amz-Security-Token` is `xamzsecuritytoken`), without allocating.
fn normalized_is(key: &str, name: &str) -> bool {
    key.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .eq(name.chars())
}

fn is_secret_name(key: &str) -> bool {
    SECRET_NAMES.iter().any(|n| normalized_is(key, n))
}

/// `{{name}}` references only (whitespace allowed around them).
pub fn is_variable_reference(s: &str) -> bool {
    let t = s.trim();
    t.starts_with("{{") && t.ends_with("}}") && t[2..t.len() - 2].find("{{").is_none()
}

fn looks_like_secret_key(s: &str) -> bool {
    s.len() == 40
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '/' || c == '+')
        && s.chars().any(|c| c.is_ascii_uppercase())
        && s.chars().any(|c| c.is_ascii_lowercase())
        && s.chars().any(|c| c == '/' || c == '+')
}

fn looks_like_session_token(s: &str) -> bool {
    s.len() > 100
        && ["FwoGZXIvYXdz", "IQoJb3JpZ2lu", "AQoDYXdz", "AQoEXAMPLE"]
            .iter()
            .any(|p| s.starts_with(p))
}

/// One step of a JSON path; the path is only spelled out when something is refused.
#[derive(Clone, Copy)]
enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

fn spell(path: &[Seg]) -> String {
    let mut out = String::from("$");
    for s in path {
        match s {
            Seg::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// What was found, where (relative to the node), and the fix.
type Finding = (Option<&'static str>, String, &'static str);

const USE_PROFILE: &str = "Use an aws-sigv4 auth with a \"profile\" (keys stay in ~/.aws), or a reference such as {{$env.AWS_SECRET_ACCESS_KEY}}.";
const USE_ENV: &str = "Use a variable reference such as {{$env.API_TOKEN}}.";

/// Checks one node (an object member `key` or an array item) for a literal credential.
fn check(key: Option<&str>, value: &Value) -> Option<Finding> {
    // A header or variable row: its "name" is the key that matters.
    if let (Some(name), Some(text)) = (
        value.get("name").and_then(Value::as_str),
        value.get("value").and_then(Value::as_str),
    ) {
        let literal = !text.trim().is_empty() && !is_variable_reference(text);
        let lower = text.trim_start().to_ascii_lowercase();
        if literal && is_secret_name(name) {
            return Some((
                Some("value"),
                format!("the '{name}' header holds a literal credential"),
                USE_PROFILE,
            ));
        }
        if literal
            && normalized_is(name, "authorization")
            && (lower.starts_with("bearer ") || lower.starts_with("basic "))
            && !text.contains("{{")
        {
            return Some((
                Some("value"),
                "a literal Authorization credential".into(),
                USE_ENV,
            ));
        }
    }
    // bearer/basic auth: the secret part must be a reference.
    if key == Some("auth") {
        let field = match value.get("type").and_then(Value::as_str) {
            Some("bearer") => Some("token"),
            Some("basic") => Some("password"),
            _ => None,
        };
        if let Some(field) = field {
            if let Some(s) = value.get(field).and_then(Value::as_str) {
                if !is_variable_reference(s) {
                    return Some((Some(field), format!("a literal {field}"), USE_ENV));
                }
            }
        }
    }
    let text = value.as_str()?;
    if let Some(k) = key {
        if is_secret_name(k) && !text.is_empty() && !is_variable_reference(text) {
            return Some((
                None,
                format!("'{k}' holds a literal credential"),
                USE_PROFILE,
            ));
        }
    }
    if looks_like_secret_key(text) {
        return Some((
            None,
            "this value looks like an AWS secret access key".into(),
            USE_PROFILE,
        ));
    }
    if looks_like_session_token(text) {
        return Some((
            None,
            "this value looks like an AWS session token".into(),
            USE_PROFILE,
        ));
    }
    None
}

pub fn refuse_secrets(file: &str, root: &Value) -> Result<(), LoadError> {
    fn walk<'a>(v: &'a Value, path: &mut Vec<Seg<'a>>) -> Option<(String, String, &'static str)> {
        let found = |path: &mut Vec<Seg<'a>>, key: Option<&'a str>, child: &'a Value| {
            check(key, child).map(|(sub, what, fix)| {
                let mut p = path.clone();
                if let Some(s) = sub {
                    p.push(Seg::Key(s));
                }
                (spell(&p), what, fix)
            })
        };
        match v {
            Value::Object(map) => {
                for (k, child) in map {
                    path.push(Seg::Key(k));
                    let r = found(path, Some(k), child).or_else(|| walk(child, path));
                    path.pop();
                    if r.is_some() {
                        return r;
                    }
                }
                None
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    path.push(Seg::Index(i));
                    let r = found(path, None, child).or_else(|| walk(child, path));
                    path.pop();
                    if r.is_some() {
                        return r;
                    }
                }
                None
            }
            _ => None,
        }
    }
    match walk(root, &mut Vec::new()) {
        None => Ok(()),
        Some((path, what, fix)) => Err(LoadError::Secret {
            file: file.to_string(),
            path,
            what,
            fix: fix.to_string(),
        }),
    }
}

#[cfg(test)]
mod header_tests {
    use super::*;

    #[test]
    fn literal_credentials_in_header_rows_are_refused_with_their_path() {
        let c = serde_json::json!({"requests": [{"headers": [
            {"name": "Accept", "value": "application/json"},
            {"name": "X-Amz-Security-Token", "value": "IQoJb3JpZ2luEXAMPLE"}
        ]}]});
        match refuse_secrets("c.json", &c) {
            Err(LoadError::Secret { path, what, .. }) => {
                assert_eq!(path, "$.requests[0].headers[1].value");
                assert!(what.contains("X-Amz-Security-Token"), "{what}");
            }
            other => panic!("{other:?}"),
        }
        let bearer =
            serde_json::json!({"headers": [{"name": "Authorization", "value": "Bearer abc.def"}]});
        assert!(refuse_secrets("c.json", &bearer).is_err());
        let reference = serde_json::json!({"headers": [
            {"name": "Authorization", "value": "Bearer {{$env.TOKEN}}"},
            {"name": "x-amz-security-token", "value": "{{$env.AWS_SESSION_TOKEN}}"}
        ]});
        assert!(refuse_secrets("c.json", &reference).is_ok());
    }
}
