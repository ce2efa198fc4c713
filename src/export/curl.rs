//! A curl command that signs at run time with curl's own `--aws-sigv4` and the keys from the
//! environment, so the command itself never holds a secret. Every argument from the request
//! is shell-quoted; a literal body goes with `--data-raw` (curl never reads a file for it);
//! only a `file` body becomes `--data-binary @path`.

use super::shell::{join_lines, quote};
use super::{Body, ExportError, Target};
use crate::sign::PayloadMode;

pub(super) fn render(t: &Target) -> Result<(String, Vec<String>), ExportError> {
    let mut notes = Vec::new();
    let mut words: Vec<String> = vec!["curl".into(), "-X".into(), quote(&t.method)?];
    words.push(quote(&t.url)?);
    if let Some(s) = &t.signing {
        if s.double_encode_path && t.path_is_delicate() {
            notes.push(format!(
                "curl's --aws-sigv4 signs the path as sent, without {}; AWS will reject this \
                 path's signature: use the python or javascript export",
                if t.path.contains('%') {
                    "encoding it once more"
                } else {
                    "removing empty and dot segments"
                }
            ));
        }
        words.push("--aws-sigv4".into());
        words.push(quote(&format!("aws:amz:{}:{}", s.region, s.service))?);
        words.push("--user".into());
        words.push("\"$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY\"".into());
        words.push("${AWS_SESSION_TOKEN:+-H \"x-amz-security-token: $AWS_SESSION_TOKEN\"}".into());
        match s.payload {
            PayloadMode::SignedHeader => {
                words.push("-H".into());
                words.push(match &t.body {
                    // The file is hashed when the command runs.
                    Body::File(path) => format!(
                        "\"x-amz-content-sha256: $(openssl dgst -sha256 -r {} | cut -d' ' -f1)\"",
                        quote(path)?
                    ),
                    Body::Text(text) => quote(&format!(
                        "x-amz-content-sha256: {}",
                        crate::sign::canonical::sha256_hex(text.as_bytes())
                    ))?,
                    Body::Bytes(b) => quote(&format!(
                        "x-amz-content-sha256: {}",
                        crate::sign::canonical::sha256_hex(b)
                    ))?,
                    Body::None => quote(&format!(
                        "x-amz-content-sha256: {}",
                        crate::sign::canonical::sha256_hex(b"")
                    ))?,
                });
            }
            PayloadMode::Unsigned => {
                words.push("-H".into());
                words.push(quote("x-amz-content-sha256: UNSIGNED-PAYLOAD")?);
            }
            PayloadMode::Signed => {}
        }
    }
    for (n, v) in &t.headers {
        words.push("-H".into());
        // curl drops a header given as `Name:` with nothing after it; `Name;` sends it empty.
        words.push(if v.is_empty() {
            quote(&format!("{n};"))?
        } else {
            quote(&format!("{n}: {v}"))?
        });
    }
    for h in &t.secret_headers {
        words.push("-H".into());
        // The name is one of a fixed list of letters and dashes (`target::credential_env`).
        words.push(format!("\"{}: ${}\"", h.name, h.env));
    }
    match &t.body {
        Body::None => {}
        // curl reads the file itself: a binary body survives, and the command stays short.
        Body::File(path) => {
            words.push("--data-binary".into());
            words.push(format!("@{}", quote(path)?));
        }
        // --data-raw: no `@file` reading, no stripping of newlines.
        Body::Text(text) => {
            words.push("--data-raw".into());
            words.push(quote(text)?);
        }
        Body::Bytes(_) => {
            return Err(ExportError::Unsupported {
                format: "curl",
                reason: "the body is not UTF-8 text; save it to a file and use a file body".into(),
            })
        }
    }
    Ok((join_lines(&words), notes))
}
