//! Collections of saved requests: the JSON format, loading with located errors, the secret
//! refusal, atomic saves, variables.

pub mod checks;
pub mod collection;
pub mod drafts;
pub mod head;
pub mod head_cache;
pub mod history;
pub mod json;
pub mod network;
pub mod redact;
pub mod scan;
pub mod secrets;
pub mod store;
pub mod variables;
pub mod workspace;

pub use collection::{
    Auth, Body, Collection, Environment, Folder, Located, NameValue, RequestSpec,
};
pub use store::{load, load_all, save, LoadError, Loaded};

use std::collections::BTreeMap;

/// The variables visible to a request, merged by `variables::levels` (request > folder,
/// innermost first > environment > collection); `{{$env.NAME}}` and built-ins are resolved
/// in `substitute`.
pub fn scope(
    collection: &Collection,
    env: Option<&Environment>,
    located: &Located,
) -> BTreeMap<String, String> {
    let none = BTreeMap::new();
    variables::merged(&variables::levels(
        collection,
        env.map(|e| ("", e)),
        located,
        &none,
    ))
}

/// Replaces `{{name}}` from `vars`, `{{$env.NAME}}` from the environment, and the built-ins
/// `{{$uuid}}` (and Postman's and Bruno's names for it, `{{$guid}}`, `{{$randomUUID}}`),
/// `{{$timestamp}}` (seconds), `{{$isoTimestamp}}`, `{{$randomInt}}` (0-999),
/// `{{$randomBoolean}}` and `{{$randomAlphaNumeric}}` (one character). An unresolved variable
/// is an error: it is never sent literally.
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
                "$uuid" | "$guid" | "$randomUUID" => Some(uuid::Uuid::new_v4().to_string()),
                "$randomBoolean" => Some(rand::random::<bool>().to_string()),
                "$randomAlphaNumeric" => {
                    const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
                    let i = rand::random::<usize>() % CHARS.len();
                    Some(char::from(CHARS[i]).to_string())
                }
                "$timestamp" => Some(
                    std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map(|d| d.as_secs().to_string())
                        .unwrap_or_default(),
                ),
                "$isoTimestamp" => time::OffsetDateTime::now_utc()
                    .format(&time::format_description::well_known::Rfc3339)
                    .ok(),
                "$randomInt" => Some((rand::random::<u16>() % 1000).to_string()),
                _ => vars.get(name).cloned(),
            }
        };
        let value = value.ok_or_else(|| {
            if let Some(var) = name.strip_prefix("$env.") {
                format!("environment variable '{var}' is not set (used as {{{{{name}}}}})")
            } else {
                format!("variable '{{{{{name}}}}}' is not defined in the request, its folders, the environment or the collection")
            }
        })?;
        out.push_str(&value);
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
        assert!(substitute("{{$env.SIGSCOPE_SURELY_UNSET}}", &vars)
            .unwrap_err()
            .contains("not set"));
        assert!(substitute("{{$isoTimestamp}}", &vars)
            .unwrap()
            .contains('T'));
        for uuid in ["{{$uuid}}", "{{$guid}}", "{{$randomUUID}}"] {
            let v = substitute(uuid, &vars).unwrap();
            assert!(uuid::Uuid::parse_str(&v).is_ok(), "{uuid}: {v}");
        }
        let b = substitute("{{$randomBoolean}}", &vars).unwrap();
        assert!(b == "true" || b == "false");
        let c = substitute("{{$randomAlphaNumeric}}", &vars).unwrap();
        assert!(c.len() == 1 && c.chars().all(|c| c.is_ascii_alphanumeric()));
    }
}
