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

fn normalize(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase()
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

pub fn refuse_secrets(file: &str, root: &Value) -> Result<(), LoadError> {
    let fail = |path: &str, what: &str, fix: &str| LoadError::Secret {
        file: file.to_string(),
        path: path.to_string(),
        what: what.to_string(),
        fix: fix.to_string(),
    };
    let use_profile = "Use an aws-sigv4 auth with a \"profile\" (keys stay in ~/.aws), or a reference such as {{$env.AWS_SECRET_ACCESS_KEY}}.";
    let use_env = "Use a variable reference such as {{$env.API_TOKEN}}.";
    fn walk(
        v: &Value,
        path: String,
        f: &mut dyn FnMut(&str, &Value, &str) -> Result<(), LoadError>,
    ) -> Result<(), LoadError> {
        match v {
            Value::Object(map) => {
                for (k, child) in map {
                    let p = format!("{path}.{k}");
                    f(k, child, &p)?;
                    walk(child, p, f)?;
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    let p = format!("{path}[{i}]");
                    f("", child, &p)?;
                    walk(child, p, f)?;
                }
            }
            _ => {}
        }
        Ok(())
    }
    walk(root, "$".to_string(), &mut |key, value, path| {
        // A header or variable row: its "name" is the key that matters.
        if let (Some(name), Some(text)) = (
            value.get("name").and_then(Value::as_str),
            value.get("value").and_then(Value::as_str),
        ) {
            let literal = !text.trim().is_empty() && !is_variable_reference(text);
            let lower = text.trim_start().to_ascii_lowercase();
            if literal && SECRET_NAMES.contains(&normalize(name).as_str()) {
                return Err(fail(
                    &format!("{path}.value"),
                    &format!("the '{name}' header holds a literal credential"),
                    use_profile,
                ));
            }
            if literal
                && normalize(name) == "authorization"
                && (lower.starts_with("bearer ") || lower.starts_with("basic "))
                && !text.contains("{{")
            {
                return Err(fail(
                    &format!("{path}.value"),
                    "a literal Authorization credential",
                    use_env,
                ));
            }
        }
        let text = value.as_str().unwrap_or_default();
        if SECRET_NAMES.contains(&normalize(key).as_str())
            && !text.is_empty()
            && !is_variable_reference(text)
        {
            return Err(fail(
                path,
                &format!("'{key}' holds a literal credential"),
                use_profile,
            ));
        }
        if looks_like_secret_key(text) {
            return Err(fail(
                path,
                "this value looks like an AWS secret access key",
                use_profile,
            ));
        }
        if looks_like_session_token(text) {
            return Err(fail(
                path,
                "this value looks like an AWS session token",
                use_profile,
            ));
        }
        Ok(())
    })?;
    // bearer/basic: the secret part must be a reference.
    fn auths(v: &Value, path: String, out: &mut Vec<(String, Value)>) {
        if let Value::Object(map) = v {
            for (k, child) in map {
                let p = format!("{path}.{k}");
                if k == "auth" {
                    out.push((p.clone(), child.clone()));
                }
                auths(child, p, out);
            }
        } else if let Value::Array(items) = v {
            for (i, child) in items.iter().enumerate() {
                auths(child, format!("{path}[{i}]"), out);
            }
        }
    }
    let mut found = Vec::new();
    auths(root, "$".into(), &mut found);
    for (path, auth) in found {
        let field = match auth.get("type").and_then(Value::as_str) {
            Some("bearer") => "token",
            Some("basic") => "password",
            _ => continue,
        };
        if let Some(s) = auth.get(field).and_then(Value::as_str) {
            if !is_variable_reference(s) {
                return Err(fail(
                    &format!("{path}.{field}"),
                    &format!("a literal {field}"),
                    use_env,
                ));
            }
        }
    }
    Ok(())
}
