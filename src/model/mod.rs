//! Collections of saved requests: the JSON format, loading with located errors, variables.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Collection {
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    pub version: u32,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default)]
    pub variables: BTreeMap<String, String>,
    #[serde(default)]
    pub requests: Vec<RequestSpec>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NameValue {
    pub name: String,
    pub value: String,
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestSpec {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub method: String,
    pub url: String,
    #[serde(default)]
    pub headers: Vec<NameValue>,
    #[serde(default)]
    pub body: Body,
    #[serde(default)]
    pub auth: Auth,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Body {
    #[default]
    None,
    Json {
        content: serde_json::Value,
    },
    Text {
        content: String,
    },
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Auth {
    #[default]
    Inherit,
    None,
    #[serde(rename_all = "camelCase")]
    AwsSigv4 {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        profile: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        region: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        service: Option<String>,
        /// Sign as if the clock were this many seconds off (to show clock skew).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        clock_offset_seconds: Option<i64>,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{file}: {source}")]
    Io {
        file: String,
        source: std::io::Error,
    },
    #[error("{file}:{line}:{column}: {message}")]
    Syntax {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
}

/// Loads a collection; errors name the file, line and column.
pub fn load(path: &Path) -> Result<Collection, LoadError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| LoadError::Io {
        file: file.clone(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|e| LoadError::Syntax {
        file,
        line: e.line(),
        column: e.column(),
        message: e
            .to_string()
            .split(" at line")
            .next()
            .unwrap_or_default()
            .to_string(),
    })
}

/// Replaces `{{name}}` from `vars` and `{{$env.NAME}}` from the environment. An unresolved
/// variable is an error: it is never sent literally.
pub fn substitute(text: &str, vars: &BTreeMap<String, String>) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            return Err(format!("unclosed '{{{{' in '{text}'"));
        };
        let name = after[..end].trim();
        let value = if let Some(env) = name.strip_prefix("$env.") {
            std::env::var(env).ok()
        } else {
            match name {
                "$uuid" => Some(uuid::Uuid::new_v4().to_string()),
                "$timestamp" => Some(
                    std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map(|d| d.as_secs().to_string())
                        .unwrap_or_default(),
                ),
                "$randomInt" => Some(rand::random::<u16>().to_string()),
                _ => vars.get(name).cloned(),
            }
        };
        out.push_str(&value.ok_or_else(|| format!("variable '{{{{{name}}}}}' is not defined"))?);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_resolve_or_fail() {
        let vars = BTreeMap::from([("base".to_string(), "http://x".to_string())]);
        assert_eq!(substitute("{{base}}/a", &vars).unwrap(), "http://x/a");
        assert!(substitute("{{missing}}/a", &vars)
            .unwrap_err()
            .contains("missing"));
    }

    #[test]
    fn syntax_errors_name_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("bad.json");
        std::fs::write(&p, "{\n  \"version\": 1,\n  \"name\": oops\n}").unwrap();
        let err = load(&p).unwrap_err().to_string();
        assert!(err.contains("bad.json:3:"), "{err}");
    }
}
