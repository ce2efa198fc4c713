//! Importers: the files people already have, into a sigscope collection, each returning the
//! collection and what it could not carry over (every warning names the request).
//!
//! ```text
//!  path ──detect──▶ Kind ──import_any──▶ Imported { collection, warnings }
//!                   (by content: Postman, Insomnia v4/v5, Bruno folder, HAR, .http,
//!                    OpenAPI/Swagger, curl)               │
//!                                                   sanitize: literal credentials dropped
//!                                                   or turned into references, with a warning
//! ```
//!
//! `sigscope import FILE` and the workbench's import prompt both call `import_any`; `aws`
//! builds a collection from the APIs an account can see.

pub mod aws;
pub mod bruno;
pub mod curl;
pub mod detect;
#[cfg(test)]
mod fuzz;
pub mod har;
pub mod http_file;
pub mod insomnia;
pub mod openapi;
pub mod postman;
mod sanitize;
pub mod scripts;

pub use detect::{detect, Kind};

use crate::model::{Collection, RequestSpec};
use std::path::Path;

#[derive(Debug)]
pub struct Imported {
    pub collection: Collection,
    /// What could not be carried over, in words.
    pub warnings: Vec<String>,
}

/// Why an import failed. The file is always named.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{file}: {error}")]
    Io { file: String, error: std::io::Error },
    #[error("{file}: {why}")]
    Unrecognized { file: String, why: String },
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
}

/// Choices an importer cannot make alone.
#[derive(Debug, Clone)]
pub struct Options {
    /// The methods one request each is made for, for API Gateway's
    /// `x-amazon-apigateway-any-method` (default: GET).
    pub any_methods: Vec<String>,
    /// The collection's name, where the file has none (curl commands).
    pub name: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            any_methods: vec!["GET".into()],
            name: None,
        }
    }
}

/// Imports a file or a Bruno folder, whatever its format, recognised by its content.
pub fn import_any(path: &Path) -> Result<Imported, ImportError> {
    import_any_with(path, &Options::default())
}

pub fn import_any_with(path: &Path, options: &Options) -> Result<Imported, ImportError> {
    let file = path.display().to_string();
    let kind = detect(path)?;
    let invalid = |message: String| ImportError::Invalid {
        file: file.clone(),
        message,
    };
    if kind == Kind::Bruno {
        // `bruno.json` names its folder.
        let dir = if path.is_file() {
            path.parent().unwrap_or(Path::new("."))
        } else {
            path
        };
        return bruno::import_dir(dir).map_err(invalid).map(finish);
    }
    let text = read_text(path)?;
    let imported = match kind {
        Kind::Postman => postman::import(&text),
        Kind::Openapi => openapi::import_with(&text, options),
        Kind::Insomnia => insomnia::import(&text),
        Kind::Har => har::import(&text),
        Kind::Http => http_file::import(&text, &stem(path)),
        Kind::Curl => curl::import_text(&text, options.name.as_deref().unwrap_or(&stem(path))),
        Kind::Bruno => unreachable!("handled above"),
        Kind::Sigscope => {
            return Err(ImportError::Unrecognized {
                file,
                why: "already a sigscope collection: copy it into the collections folder".into(),
            })
        }
    }
    .map_err(invalid)?;
    Ok(if kind == Kind::Curl {
        finish_curl(imported)
    } else {
        finish(imported)
    })
}

/// Reads a file as UTF-8, refusing what is not (with the byte offset) and files too large to
/// be an export (a device or a FIFO is never read).
pub fn read_text(path: &Path) -> Result<String, ImportError> {
    const MAX: u64 = 256 * 1024 * 1024;
    let file = path.display().to_string();
    let io = |error| ImportError::Io {
        file: file.clone(),
        error,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(ImportError::Unrecognized {
            file,
            why: "not a regular file".into(),
        });
    }
    if meta.len() > MAX {
        return Err(ImportError::Unrecognized {
            file,
            why: format!(
                "{} bytes: larger than any export ({MAX} at most)",
                meta.len()
            ),
        });
    }
    let bytes = std::fs::read(path).map_err(io)?;
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&bytes)
        .to_vec();
    String::from_utf8(bytes).map_err(|e| ImportError::Invalid {
        file: file.clone(),
        message: format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ),
    })
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "Imported".into())
}

/// Every importer's last step: literal credentials out, with a warning naming the request.
pub fn finish(mut imported: Imported) -> Imported {
    let rules = sanitize::Rules { shell_vars: true };
    sanitize::sanitize(&mut imported.collection, &mut imported.warnings, rules);
    imported
}

/// `finish` for curl commands, whose `$VAR`s the curl importer already expanded (or kept, in
/// single quotes).
pub fn finish_curl(mut imported: Imported) -> Imported {
    let rules = sanitize::Rules { shell_vars: false };
    sanitize::sanitize(&mut imported.collection, &mut imported.warnings, rules);
    imported
}

pub(crate) fn empty_collection(name: &str) -> Collection {
    Collection::empty(name)
}

pub(crate) fn empty_request(name: &str, method: &str, url: &str) -> RequestSpec {
    RequestSpec {
        id: None,
        name: name.to_string(),
        description: None,
        method: method.to_string(),
        url: url.to_string(),
        query: Vec::new(),
        headers: Vec::new(),
        body: Default::default(),
        auth: Default::default(),
        variables: Default::default(),
        network: Default::default(),
        preflight: None,
        captures: Vec::new(),
        assertions: Vec::new(),
    }
}

pub(crate) fn sigv4(region: Option<String>, service: Option<String>) -> crate::model::Auth {
    crate::model::Auth::AwsSigv4 {
        profile: None,
        region,
        service,
        payload: None,
        location: None,
        expires_seconds: None,
        normalize_path: None,
        clock_offset_seconds: None,
        sign_headers: Vec::new(),
    }
}

/// Appends a block to a description (captures, assertions, scripts, file parts kept for
/// later), separated by a blank line.
pub(crate) fn append_description(description: &mut Option<String>, block: &str) {
    match description {
        Some(d) if !d.is_empty() => {
            d.push_str("\n\n");
            d.push_str(block);
        }
        _ => *description = Some(block.to_string()),
    }
}

/// A body from text and its content type: JSON when it parses as an object or array.
pub(crate) fn body_from_text(text: &str) -> crate::model::Body {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(v) if v.is_object() || v.is_array() => crate::model::Body::Json { content: v },
        _ if text.is_empty() => crate::model::Body::None,
        _ => crate::model::Body::Text {
            content: text.to_string(),
        },
    }
}

/// A JSON or YAML document (JSON when it starts with `{`, for JSON's exact error), with the
/// line and column of what does not parse.
pub(crate) fn json_or_yaml(text: &str) -> Result<serde_json::Value, String> {
    if text.trim_start().starts_with('{') {
        serde_json::from_str(text).map_err(|e| {
            format!(
                "not valid JSON at line {}, column {}: {e}",
                e.line(),
                e.column()
            )
        })
    } else {
        serde_norway::from_str(text).map_err(|e| match e.location() {
            Some(l) => format!(
                "not valid YAML at line {}, column {}: {e}",
                l.line(),
                l.column()
            ),
            None => format!("not valid YAML: {e}"),
        })
    }
}
