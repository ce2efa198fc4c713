//! Requests out: a curl command that signs at run time with curl's own `--aws-sigv4` and the
//! keys from the environment, so the command itself never holds a secret.

use crate::http::prepare::Prepared;
use crate::sign::canonical::{canonical_query, encoded_query_params};
use crate::sign::{Location, PayloadMode};

fn sh(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// The curl command, and notes on what it cannot carry over.
pub fn curl(p: &Prepared) -> (String, Vec<String>) {
    let mut notes = Vec::new();
    let mut req = p.request.clone();
    // curl does not sort the query: send it in canonical order, already encoded.
    if let Some(q) = &req.query {
        req.query = Some(canonical_query(&encoded_query_params(q)));
    }
    let mut parts = vec![
        "curl".to_string(),
        "-X".into(),
        req.method.clone(),
        sh(&req.url()),
    ];
    if let Some(plan) = &p.signing {
        if let Location::Query { .. } = plan.settings.location {
            notes.push(
                "curl signs into headers; the presigned-query setting is not carried over".into(),
            );
        }
        parts.push("--aws-sigv4".into());
        parts.push(sh(&format!(
            "aws:amz:{}:{}",
            plan.settings.region, plan.settings.service
        )));
        parts.push("--user".into());
        parts.push("\"$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY\"".into());
        parts.push("${AWS_SESSION_TOKEN:+-H \"x-amz-security-token: $AWS_SESSION_TOKEN\"}".into());
        match plan.settings.payload {
            PayloadMode::SignedHeader => {
                parts.push("-H".into());
                parts.push(match &p.body_file {
                    // A body file not read yet (the TUI defers it): hashed when curl runs.
                    Some(path) if req.body.is_empty() => format!(
                        "\"x-amz-content-sha256: $(openssl dgst -sha256 -r {} | cut -d' ' -f1)\"",
                        sh(path)
                    ),
                    _ => sh(&format!(
                        "x-amz-content-sha256: {}",
                        crate::sign::canonical::sha256_hex(&req.body)
                    )),
                });
            }
            PayloadMode::Unsigned => {
                parts.push("-H".into());
                parts.push(sh("x-amz-content-sha256: UNSIGNED-PAYLOAD"));
            }
            PayloadMode::Signed => {}
        }
    }
    for (n, v) in &req.headers {
        parts.push("-H".into());
        parts.push(sh(&format!("{n}: {v}")));
    }
    if let Some(path) = &p.body_file {
        // curl reads the file itself: a binary body survives, and the command stays short.
        parts.push("--data-binary".into());
        parts.push(format!("@{}", sh(path)));
    } else if !req.body.is_empty() {
        parts.push("--data-binary".into());
        parts.push(sh(&String::from_utf8_lossy(&req.body)));
    }
    (parts.join(" "), notes)
}
