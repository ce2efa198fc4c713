//! Which format a file is, from its content (the extension only breaks ties): `sigscope
//! import FILE`, the workbench's import prompt, and the collections folder's message for a
//! raw Postman or Insomnia file all ask here.

use super::ImportError;
use serde_json::Value;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Postman,
    Openapi,
    /// Insomnia v4 (JSON) or v5 (YAML).
    Insomnia,
    /// A folder of `.bru` files.
    Bruno,
    Har,
    /// A `.http` / `.rest` file.
    Http,
    /// One or more curl command lines.
    Curl,
    /// Already a sigscope collection.
    Sigscope,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Postman => "Postman collection",
            Kind::Openapi => "OpenAPI / Swagger document",
            Kind::Insomnia => "Insomnia export",
            Kind::Bruno => "Bruno collection",
            Kind::Har => "HAR (browser network log)",
            Kind::Http => ".http file",
            Kind::Curl => "curl commands",
            Kind::Sigscope => "sigscope collection",
        }
    }
}

/// The format of a parsed JSON or YAML document, if it is one we read.
pub fn kind_of_document(v: &Value) -> Option<Kind> {
    let v = v
        .get("collection")
        .filter(|c| c.get("info").is_some())
        .unwrap_or(v);
    let obj = v.as_object()?;
    if obj.get("info").is_some_and(|i| {
        i.get("_postman_id").is_some()
            || i.get("schema")
                .and_then(Value::as_str)
                .is_some_and(|s| s.contains("getpostman.com") || s.contains("collection/v2"))
    }) || (obj.contains_key("item") && obj.contains_key("info"))
    {
        return Some(Kind::Postman);
    }
    if obj.get("_type").and_then(Value::as_str) == Some("export") && obj.contains_key("resources") {
        return Some(Kind::Insomnia);
    }
    if obj
        .get("type")
        .and_then(Value::as_str)
        .is_some_and(|t| t.contains("insomnia.rest/"))
    {
        return Some(Kind::Insomnia);
    }
    if obj.get("log").and_then(|l| l.get("entries")).is_some() {
        return Some(Kind::Har);
    }
    if obj.contains_key("openapi") || obj.contains_key("swagger") {
        return Some(Kind::Openapi);
    }
    if obj.contains_key("version") && obj.contains_key("name") && !obj.contains_key("info") {
        return Some(Kind::Sigscope);
    }
    None
}

/// The message for a file in the collections folder that is an export of another tool,
/// called from the collection loader's error path.
pub fn foreign_collection_hint(file: &str, v: &Value) -> Option<String> {
    let kind = kind_of_document(v)?;
    (kind != Kind::Sigscope).then(|| {
        format!(
            "another tool's file ({}), not a sigscope collection: import it with \
             `sigscope import {file}` (it writes a sigscope collection beside the others; move \
             the original out of the folder)",
            kind.name()
        )
    })
}

/// The collection loader's check: another tool's export is named, with the command that
/// reads it, instead of a schema error such as "unknown field `info`".
pub fn refuse_foreign(file: &str, v: &Value) -> Result<(), crate::model::LoadError> {
    match foreign_collection_hint(file, v) {
        None => Ok(()),
        Some(message) => Err(crate::model::LoadError::Schema {
            file: file.to_string(),
            path: "$".into(),
            message,
        }),
    }
}

/// Recognises a file's format. A folder is a Bruno collection when it holds `bruno.json` or
/// `.bru` files.
pub fn detect(path: &Path) -> Result<Kind, ImportError> {
    let file = path.display().to_string();
    let unrecognized = |why: String| ImportError::Unrecognized {
        file: file.clone(),
        why,
    };
    if path.is_dir() {
        let is_bruno = path.join("bruno.json").is_file()
            || std::fs::read_dir(path)
                .map(|rd| {
                    rd.filter_map(Result::ok)
                        .any(|e| e.path().extension().is_some_and(|x| x == "bru"))
                })
                .unwrap_or(false);
        return if is_bruno {
            Ok(Kind::Bruno)
        } else {
            Err(unrecognized(
                "a folder without bruno.json or .bru files: nothing to import".into(),
            ))
        };
    }
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if path.file_name().is_some_and(|n| n == "bruno.json") {
        return Ok(Kind::Bruno);
    }
    if ext == "bru" {
        return Err(unrecognized(
            "one .bru file: import its Bruno collection folder (the one with bruno.json)".into(),
        ));
    }
    let text = super::read_text(path)?;
    kind_of_text(&text, &ext).ok_or_else(|| {
        unrecognized(
            "not a format sigscope reads (Postman, Insomnia, Bruno, HAR, OpenAPI/Swagger, \
             .http, curl)"
                .into(),
        )
    })
}

/// The format of a text, by content; `ext` (lowercase, no dot) breaks ties.
pub fn kind_of_text(text: &str, ext: &str) -> Option<Kind> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        if let Ok(v) = serde_json::from_str::<Value>(trimmed) {
            return kind_of_document(&v);
        }
        if ext == "json" || ext == "har" {
            // Broken JSON: let the importer the extension names report where.
            return Some(if ext == "har" {
                Kind::Har
            } else {
                Kind::Postman
            });
        }
    }
    let first_command = trimmed
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .unwrap_or("");
    let first_command = first_command.strip_prefix("$ ").unwrap_or(first_command);
    if first_command.starts_with("curl ") || first_command == "curl" {
        return Some(Kind::Curl);
    }
    if matches!(ext, "http" | "rest") || looks_like_http_file(trimmed) {
        return Some(Kind::Http);
    }
    if matches!(ext, "yaml" | "yml") || trimmed.contains(":\n") || trimmed.contains(": ") {
        if let Ok(v) = serde_norway::from_str::<Value>(trimmed) {
            return kind_of_document(&v);
        }
    }
    None
}

fn looks_like_http_file(text: &str) -> bool {
    const METHODS: [&str; 9] = [
        "GET ", "POST ", "PUT ", "DELETE ", "PATCH ", "HEAD ", "OPTIONS ", "TRACE ", "CONNECT ",
    ];
    text.lines().any(|l| l.starts_with("###"))
        || text
            .lines()
            .map(str::trim)
            .find(|l| {
                !l.is_empty() && !l.starts_with('#') && !l.starts_with("//") && !l.starts_with('@')
            })
            .is_some_and(|l| METHODS.iter().any(|m| l.starts_with(m)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_apart_by_content() {
        let cases = [
            (
                r#"{"info":{"schema":"https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},"item":[]}"#,
                "json",
                Kind::Postman,
            ),
            (
                r#"{"collection":{"info":{"name":"x","schema":"v2.1"},"item":[]}}"#,
                "json",
                Kind::Postman,
            ),
            (
                r#"{"_type":"export","__export_format":4,"resources":[]}"#,
                "json",
                Kind::Insomnia,
            ),
            (
                "type: collection.insomnia.rest/5.0\nname: x\n",
                "yaml",
                Kind::Insomnia,
            ),
            (
                r#"{"log":{"version":"1.2","entries":[]}}"#,
                "har",
                Kind::Har,
            ),
            ("openapi: 3.0.1\ninfo:\n  title: x\n", "yaml", Kind::Openapi),
            (r#"{"swagger":"2.0"}"#, "json", Kind::Openapi),
            ("curl https://x\n", "txt", Kind::Curl),
            ("$ curl -X POST https://x\n", "", Kind::Curl),
            ("@host = x\n\nGET https://x\n", "", Kind::Http),
            ("### one\nGET https://x\n", "txt", Kind::Http),
            (r#"{"version":1,"name":"mine"}"#, "json", Kind::Sigscope),
        ];
        for (text, ext, kind) in cases {
            assert_eq!(kind_of_text(text, ext), Some(kind), "{text}");
        }
        assert_eq!(kind_of_text("hello world", "txt"), None);
    }
}
