//! Requests out, as something a colleague can run: a curl or awscurl command, an HTTPie
//! command, a Python, JavaScript or Go program, a Postman v2.1 collection, a `.http` file.
//!
//! Every format starts from an `http::Prepared` (variables resolved, auth fields included),
//! and every signed one signs at run time with the target's own signer and credentials from
//! the environment or a profile: an export never holds a key, a token or a password.
//!
//! ```text
//!  http::prepare ──▶ Prepared ──Target::from──▶ Target ──format──▶ Snippet { text, notes }
//! ```
//!
//! The workbench's copy menu and `sigscope export` call the same `export` (one request) or
//! `export_collection` (Postman and `.http`, which hold many).

mod awscurl;
mod curl;
mod go;
mod http_file;
mod httpie;
mod javascript;
mod postman;
mod python;
pub mod shell;
mod target;

pub use target::{Body, Signing, Target};

use crate::http::prepare::Prepared;

/// The formats, in the order menus list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Format {
    /// A curl command signing with curl's own `--aws-sigv4`.
    Curl,
    /// Python: botocore's `SigV4Auth` and `requests`.
    Python,
    /// JavaScript (Node 18+, ES module): `@smithy/signature-v4` and `fetch`.
    Javascript,
    /// Go: aws-sdk-go-v2's v4 signer and `net/http`.
    Go,
    /// An HTTPie command with the `httpie-aws-authv4` plugin.
    Httpie,
    /// An `awscurl` command.
    Awscurl,
    /// A Postman Collection v2.1 with awsv4 auth whose keys are `{{variables}}`.
    Postman,
    /// A `.http` file (VS Code REST Client, JetBrains HTTP Client, httpYac).
    Http,
}

pub const FORMATS: [Format; 8] = [
    Format::Curl,
    Format::Python,
    Format::Javascript,
    Format::Go,
    Format::Httpie,
    Format::Awscurl,
    Format::Postman,
    Format::Http,
];

impl Format {
    /// The name on the command line and in menus.
    pub fn name(self) -> &'static str {
        match self {
            Format::Curl => "curl",
            Format::Python => "python",
            Format::Javascript => "javascript",
            Format::Go => "go",
            Format::Httpie => "httpie",
            Format::Awscurl => "awscurl",
            Format::Postman => "postman",
            Format::Http => "http",
        }
    }

    /// A file name for the snippet when it is saved.
    pub fn file_name(self) -> &'static str {
        match self {
            Format::Curl => "request.sh",
            Format::Python => "request.py",
            Format::Javascript => "request.mjs",
            Format::Go => "main.go",
            Format::Httpie => "request-httpie.sh",
            Format::Awscurl => "request-awscurl.sh",
            Format::Postman => "collection.postman_collection.json",
            Format::Http => "requests.http",
        }
    }

    /// What the reader needs installed to run it.
    pub fn needs(self) -> &'static str {
        match self {
            Format::Curl => "curl 7.75 or later",
            Format::Python => "python3 with requests and botocore",
            Format::Javascript => "node 18+ with @smithy/signature-v4",
            Format::Go => "go with github.com/aws/aws-sdk-go-v2/config",
            Format::Httpie => "httpie with httpie-aws-authv4",
            Format::Awscurl => "awscurl",
            Format::Postman => "Postman or newman",
            Format::Http => "VS Code REST Client, JetBrains HTTP Client or httpYac",
        }
    }

    pub fn parse(name: &str) -> Option<Format> {
        FORMATS
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }

    /// Formats that hold a whole collection, not one request.
    pub fn holds_many(self) -> bool {
        matches!(self, Format::Postman | Format::Http)
    }
}

/// An export: the text, and what it could not carry over or where its signer may differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub format: Format,
    pub text: String,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    #[error("{format} cannot carry this request: {reason}")]
    Unsupported {
        format: &'static str,
        reason: String,
    },
}

/// One request in `format`.
pub fn export(format: Format, prepared: &Prepared) -> Result<Snippet, ExportError> {
    let (target, mut notes) = Target::from_prepared(prepared);
    let (text, more) = match format {
        Format::Curl => curl::render(&target)?,
        Format::Python => python::render(&target)?,
        Format::Javascript => javascript::render(&target)?,
        Format::Go => go::render(&target)?,
        Format::Httpie => httpie::render(&target)?,
        Format::Awscurl => awscurl::render(&target)?,
        Format::Postman => postman::render("sigscope export", &[("request".to_string(), target)])?,
        Format::Http => http_file::render(&[("request".to_string(), target)])?,
    };
    notes.extend(more);
    Ok(Snippet {
        format,
        text: with_notes(format, text, &notes),
        notes,
    })
}

/// The notes as comments at the top of the snippet (after a `#!` line), so they travel with
/// it; JSON has no comments: Postman's notes stay beside it.
fn with_notes(format: Format, text: String, notes: &[String]) -> String {
    let prefix = match format {
        Format::Postman => return text,
        Format::Javascript | Format::Go => "// note: ",
        _ => "# note: ",
    };
    if notes.is_empty() {
        return text;
    }
    let comments: String = notes
        .iter()
        .map(|n| format!("{prefix}{}\n", n.replace(['\n', '\r'], " ")))
        .collect();
    match text
        .strip_prefix("#!")
        .and_then(|rest| rest.split_once('\n'))
    {
        Some((shebang, rest)) => format!("#!{shebang}\n{comments}{rest}"),
        None => format!("{comments}{text}"),
    }
}

/// Many named requests in a format that holds a collection (Postman, `.http`); the others
/// join one snippet per request.
pub fn export_collection(
    format: Format,
    name: &str,
    requests: &[(String, Prepared)],
) -> Result<Snippet, ExportError> {
    let mut notes = Vec::new();
    let targets: Vec<(String, Target)> = requests
        .iter()
        .map(|(n, p)| {
            let (t, more) = Target::from_prepared(p);
            notes.extend(more.into_iter().map(|m| format!("{n}: {m}")));
            (n.clone(), t)
        })
        .collect();
    let (text, more) = match format {
        Format::Postman => postman::render(name, &targets)?,
        Format::Http => http_file::render(&targets)?,
        _ => {
            return Err(ExportError::Unsupported {
                format: format.name(),
                reason: "one request at a time: name the request".into(),
            })
        }
    };
    notes.extend(more);
    Ok(Snippet {
        format,
        text: with_notes(format, text, &notes),
        notes,
    })
}

/// The curl command and its notes: the workbench's copy-as-curl.
pub fn curl(prepared: &Prepared) -> (String, Vec<String>) {
    match export(Format::Curl, prepared) {
        Ok(s) => (s.text, s.notes),
        Err(e) => (String::new(), vec![e.to_string()]),
    }
}

/// A string literal for Python and JavaScript: JSON's escapes are valid in both.
pub(crate) fn string_literal(s: &str) -> String {
    serde_json::to_string(s).expect("a string always serializes")
}
