//! STS, as far as the gateway answers it: GetCallerIdentity for its keys.

use crate::mock::verify::Incoming;
use crate::mock::MockConfig;
use bytes::Bytes;
use http_body_util::Full;
use std::time::SystemTime;

pub(super) fn is_get_caller_identity(body: &[u8]) -> bool {
    body.split(|b| *b == b'&')
        .any(|pair| pair == b"Action=GetCallerIdentity")
}

/// STS GetCallerIdentity for the gateway's keys (signed for `sts`), so that `whoami` and the
/// workbench's identity work against the local gateway (`AWS_ENDPOINT_URL_STS`). Errors are
/// STS's XML.
pub(super) fn caller_identity(cfg: &MockConfig, req: &Incoming) -> hyper::Response<Full<Bytes>> {
    let xml = |status: u16, body: String| {
        hyper::Response::builder()
            .status(status)
            .header("content-type", "text/xml")
            .header("x-amzn-requestid", uuid::Uuid::new_v4().to_string())
            .body(Full::new(Bytes::from(body)))
            .expect("static response parts are valid")
    };
    match crate::mock::verify::verify_for(cfg, req, SystemTime::now(), "sts") {
        Ok(v) => {
            let key = cfg
                .keys
                .iter()
                .find(|k| k.principal == v.principal)
                .map(|k| k.access_key_id.as_str())
                .unwrap_or("");
            xml(
                200,
                format!(
                    "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
                     <GetCallerIdentityResult><Arn>{}</Arn><UserId>AIDA{}</UserId><Account>{}</Account>\
                     </GetCallerIdentityResult></GetCallerIdentityResponse>",
                    v.principal,
                    key.trim_start_matches("AKIA"),
                    cfg.account
                ),
            )
        }
        Err(f) => {
            let code = match f.error_type {
                Some("UnrecognizedClientException") => "InvalidClientTokenId",
                Some("InvalidSignatureException") => "SignatureDoesNotMatch",
                Some("MissingAuthenticationTokenException") => "MissingAuthenticationToken",
                Some("IncompleteSignatureException") => "IncompleteSignature",
                _ => "AccessDenied",
            };
            let message = serde_json::from_str::<serde_json::Value>(&f.body)
                .ok()
                .and_then(|v| {
                    v.get("message")
                        .or_else(|| v.get("Message"))
                        .and_then(|m| m.as_str().map(str::to_string))
                })
                .unwrap_or(f.body);
            let escaped = message
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            xml(
                f.status,
                format!(
                    "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>\
                     <Type>Sender</Type><Code>{code}</Code><Message>{escaped}</Message></Error>\
                     </ErrorResponse>"
                ),
            )
        }
    }
}
