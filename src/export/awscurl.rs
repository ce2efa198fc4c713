//! An `awscurl` command: awscurl signs (credentials from the environment or `AWS_PROFILE`
//! when it runs). awscurl reads a file for any `-d` value starting with `@`, so a literal body
//! is piped in with `printf '%s'` and `-d @-`: nothing in the request can make it read a file.

use super::shell::{join_lines, quote};
use super::target::Body;
use super::{ExportError, Target};
use crate::sign::PayloadMode;

pub(super) fn render(t: &Target) -> Result<(String, Vec<String>), ExportError> {
    let mut notes = Vec::new();
    let Some(s) = &t.signing else {
        return Err(ExportError::Unsupported {
            format: "awscurl",
            reason: "the request is not signed with SigV4: use the curl export".into(),
        });
    };
    let mut words: Vec<String> = Vec::new();
    match &t.body {
        Body::Text(text) => {
            words.extend(["printf".into(), "'%s'".into(), quote(text)?, "|".into()]);
        }
        Body::Bytes(_) => {
            return Err(ExportError::Unsupported {
                format: "awscurl",
                reason: "the body is not UTF-8 text; save it to a file and use a file body".into(),
            })
        }
        _ => {}
    }
    words.extend(["awscurl".into(), "--fail-with-body".into()]);
    words.extend(["--service".into(), quote(&s.service)?]);
    words.extend(["--region".into(), quote(&s.region)?]);
    words.extend(["-X".into(), quote(&t.method)?]);
    if s.payload == PayloadMode::Unsigned {
        notes.push("awscurl always signs the payload: UNSIGNED-PAYLOAD is not carried over".into());
    }
    if !s.double_encode_path && t.path.contains('%') {
        notes.push("awscurl encodes the path once more, as every service but S3 expects: this S3 path's signature will not match".into());
    }
    if t.header("content-type").is_none() {
        notes.push("awscurl sends Content-Type: application/json when none is given".into());
    }
    for (n, v) in &t.headers {
        words.push("-H".into());
        words.push(quote(&format!("{n}: {v}"))?);
    }
    for h in &t.secret_headers {
        words.push("-H".into());
        words.push(format!("\"{}: ${}\"", h.name, h.env));
    }
    match &t.body {
        Body::Text(_) => words.extend(["-d".into(), "@-".into()]),
        Body::File(path) => {
            words.push("--data-binary".into());
            words.push("-d".into());
            words.push(format!("@{}", quote(path)?));
        }
        _ => {}
    }
    words.push(quote(&awscurl_url(t, &mut notes))?);
    Ok((join_lines(&words), notes))
}

/// awscurl encodes the query it is given once more before signing, so it must be given the
/// query decoded. That is only possible when no decoded name or value holds a character that
/// would change how the query splits (`&`, `=`, `#`, `%`) or a space's neighbour (`+`).
fn awscurl_url(t: &Target, notes: &mut Vec<String>) -> String {
    let Some((base, query)) = t.url.split_once('?') else {
        return t.url.clone();
    };
    let mut decoded = Vec::new();
    for pair in query.split('&') {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let d = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8()
                .map(|c| c.into_owned())
        };
        match (d(k), d(v)) {
            (Ok(k), Ok(v))
                if !(k.clone() + &v).contains(['&', '=', '#', '%', '\n', '\r'])
                    && !k.is_empty() =>
            {
                decoded.push(if v.is_empty() { k } else { format!("{k}={v}") })
            }
            _ => {
                notes.push(
                    "awscurl encodes the query once more and splits it on & and = after \
                     decoding: this query's signature will not match; use the python export"
                        .into(),
                );
                return t.url.clone();
            }
        }
    }
    format!("{base}?{}", decoded.join("&"))
}
