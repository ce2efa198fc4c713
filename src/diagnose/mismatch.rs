//! A signature mismatch explained: our canonical request and string-to-sign against the
//! server's (when its message has them), else the usual causes in order.

use super::{diff, Advice, Evidence};
use crate::sign::{SigningTrace, WireRequest};

/// The summary; the steps and the canonical diff are written into `next_steps` and `out_diff`.
pub(super) fn signature_mismatch(
    ev: &Evidence,
    trace: Option<&SigningTrace>,
    request: Option<&WireRequest>,
    advice: &Advice,
    next_steps: &mut Vec<String>,
    out_diff: &mut Option<diff::CanonicalDiff>,
) -> String {
    match (trace, &ev.server_canonical_request) {
        (Some(trace), Some(server)) => {
            let d = diff::compare(&trace.canonical_request, server);
            let summary = if d.equal {
                let ours_scope = trace.string_to_sign.lines().nth(2).unwrap_or_default();
                let server_scope = ev
                    .server_string_to_sign
                    .as_deref()
                    .and_then(|s| s.lines().nth(2))
                    .unwrap_or(ours_scope);
                if ours_scope != server_scope {
                    next_steps.push(format!("The server derived its key for scope '{server_scope}', we signed for '{ours_scope}': fix the date, region or service."));
                    "the canonical requests agree; the key derivation scope differs".to_string()
                } else {
                    next_steps.push(format!("The canonical requests and scopes agree, so the secret key is wrong for this access key id: check the aws_secret_access_key of {} (a copy-paste with a stray character is common).", advice.whose_key()));
                    "the canonical requests agree: the secret key does not match the access key"
                        .to_string()
                }
            } else {
                next_steps.push(d.explanation.clone());
                if d.explanation.starts_with("the path differs") {
                    next_steps.push(match advice.workbench() {
                        true => "Auth tab → Normalize path: 'no (S3 style)' signs the path as written (S3); 'yes' removes dot segments and duplicate slashes.".into(),
                        false => "S3 signs the path as written, other services normalize it: set normalizePath in the request's auth.".into(),
                    });
                }
                format!(
                    "the server canonicalized the request differently: {}",
                    d.explanation
                )
            };
            *out_diff = Some(d);
            summary
        }
        _ => {
            // No canonical string from the server: rank the likely causes by what we sent.
            let mut causes: Vec<String> = Vec::new();
            if let Some(req) = request {
                let target = req.target();
                let lambda = trace.is_some_and(|t| t.service == "lambda");
                if lambda && !req.body.is_empty() && req.header("x-amz-content-sha256").is_none() {
                    causes.push(match advice.workbench() {
                        true => "a body without x-amz-content-sha256: behind CloudFront (Lambda function URLs with OAC) the payload hash must be sent as that header (Auth tab → Payload: signed + x-amz-content-sha256)".into(),
                        false => "a body without x-amz-content-sha256: behind CloudFront (Lambda function URLs with OAC) the payload hash must be sent as that header (--sign-body)".into(),
                    });
                }
                // A presigned URL's own parameters are always percent-encoded (the credential's
                // slashes): only the user's path and parameters are evidence.
                let presigned = trace.is_some_and(|t| t.presigned_query.is_some())
                    || target.contains("X-Amz-Signature=");
                let user_target: String = if presigned {
                    let query: Vec<&str> = req
                        .query
                        .as_deref()
                        .unwrap_or_default()
                        .split('&')
                        .filter(|p| !p.starts_with("X-Amz-"))
                        .collect();
                    format!("{}?{}", req.path, query.join("&"))
                } else {
                    target.clone()
                };
                if user_target.contains('+') || user_target.contains('%') {
                    causes.push("'+' or '%' in the path or query: clients disagree on encoding them; sigscope sends '+' as %2B and encodes the path as AWS does".into());
                }
                if matches!(
                    crate::aws::endpoint::infer(&req.authority, &req.path),
                    Err(crate::aws::endpoint::InferError::CustomDomain(_))
                ) {
                    causes.push("a custom domain: sign with the API's region and service explicitly, and the Host the server sees must be the one signed".into());
                }
            }
            if let Some(t) = trace {
                if t.access_key_id.starts_with("AKIA") && t.session_token.is_some() {
                    causes.push("a session token sent with long-term (AKIA) keys".into());
                }
            }
            causes.push(format!(
                "the secret key does not belong to the access key id: check the aws_secret_access_key of {}",
                advice.whose_key()
            ));
            next_steps.extend(
                causes
                    .iter()
                    .enumerate()
                    .map(|(i, c)| format!("{}. {c}", i + 1)),
            );
            "the signature does not match and the server did not say how it canonicalized the request".into()
        }
    }
}
