//! An HTTPie command signed by the `httpie-aws-authv4` plugin (`--auth-type aws4`), which
//! finds credentials as boto3 does (environment, `AWS_PROFILE`) when the command runs.
//! Request items are escaped for HTTPie (a `\` before each of its separator characters) and
//! then shell-quoted; a literal body goes with `--raw`, a file body on standard input.

use super::shell::{join_lines, quote};
use super::target::Body;
use super::{ExportError, Target};
use crate::sign::PayloadMode;

/// HTTPie reads `\` followed by one of its separator characters as that character.
fn item_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | ':' | '=' | '@' | ';') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

pub(super) fn render(t: &Target) -> Result<(String, Vec<String>), ExportError> {
    let mut notes = Vec::new();
    if !t.method.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err(ExportError::Unsupported {
            format: "httpie",
            reason: format!("HTTPie takes only letters as a method, not '{}'", t.method),
        });
    }
    let mut words: Vec<String> = vec!["http".into()];
    if !matches!(t.body, Body::File(_)) {
        words.push("--ignore-stdin".into());
    }
    // The response status decides the exit code, as curl's --fail-with-body does.
    words.push("--check-status".into());
    if let Some(s) = &t.signing {
        if s.payload == PayloadMode::Unsigned {
            notes.push(
                "httpie-aws-authv4 always signs the payload: UNSIGNED-PAYLOAD is not carried over"
                    .into(),
            );
        }
        if !s.double_encode_path && t.path.contains('%') {
            notes.push("httpie-aws-authv4 encodes the path once more, as every service but S3 expects: this S3 path's signature will not match".into());
        }
        words.push("--auth-type".into());
        words.push("aws4".into());
        words.push("--auth".into());
        words.push(quote(&format!("s={},r={}", s.service, s.region))?);
    }
    if let Body::Text(text) = &t.body {
        words.push("--raw".into());
        words.push(quote(text)?);
    }
    words.push(quote(&t.method)?);
    words.push(quote(&t.url)?);
    for (n, v) in &t.headers {
        words.push(quote(&if v.is_empty() {
            format!("{};", item_escape(n))
        } else {
            format!("{}:{}", item_escape(n), item_escape(v))
        })?);
    }
    for h in &t.secret_headers {
        words.push(format!("\"{}:${}\"", h.name, h.env));
    }
    match &t.body {
        // httpie streams standard input, and the plugin's signer (aws-requests-auth) can only
        // hash a body it holds in memory: it fails with "object supporting the buffer API
        // required". Said here rather than handed over broken.
        Body::File(_) if t.signing.is_some() => {
            return Err(ExportError::Unsupported {
                format: "httpie",
                reason: "httpie-aws-authv4 cannot sign a body streamed from a file: use the \
                         python, javascript or awscurl export"
                    .into(),
            })
        }
        Body::File(path) => {
            words.push("<".into());
            words.push(quote(path)?);
        }
        Body::Bytes(_) => {
            return Err(ExportError::Unsupported {
                format: "httpie",
                reason: "the body is not UTF-8 text; save it to a file and use a file body".into(),
            })
        }
        _ => {}
    }
    Ok((join_lines(&words), notes))
}
