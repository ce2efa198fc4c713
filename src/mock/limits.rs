//! The gateway's limits on what a client sends: a body is read only after the head passed
//! the checks that need no body, within a size cap and a time limit; a malformed chunked
//! body is a 400; what is not read is thrown away as it comes, never kept.

use super::verify::Failure;
use super::{respond, MockConfig};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming as Body;

/// Why a body was not read whole.
pub(super) enum BodyRefusal {
    TooLarge,
    Malformed(String),
    TooSlow,
}

impl BodyRefusal {
    pub(super) fn response(&self, cfg: &MockConfig) -> hyper::Response<Full<Bytes>> {
        match self {
            BodyRefusal::TooLarge => respond(
                413,
                None,
                serde_json::json!({
                    "message": format!("Request Entity Too Large: the body exceeds {} bytes", cfg.max_body_bytes)
                })
                .to_string(),
            ),
            BodyRefusal::Malformed(why) => respond(
                400,
                None,
                serde_json::json!({ "message": format!("malformed request body: {why}") })
                    .to_string(),
            ),
            BodyRefusal::TooSlow => respond(
                408,
                None,
                r#"{"message":"Request Timeout: the body did not arrive in time"}"#.into(),
            ),
        }
    }
}

/// Reads a body of at most `max_body_bytes` within `body_timeout`. A malformed chunked
/// encoding is an error (it used to read as an empty body).
pub(super) async fn read_body(cfg: &MockConfig, body: &mut Body) -> Result<Bytes, BodyRefusal> {
    let read = async {
        let mut out = bytes::BytesMut::new();
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|e| BodyRefusal::Malformed(e.to_string()))?;
            if let Ok(data) = frame.into_data() {
                if out.len() + data.len() > cfg.max_body_bytes {
                    return Err(BodyRefusal::TooLarge);
                }
                out.extend_from_slice(&data);
            }
        }
        Ok(out.freeze())
    };
    tokio::time::timeout(cfg.body_timeout, read)
        .await
        .unwrap_or(Err(BodyRefusal::TooSlow))
}

/// After an early answer, the rest of the body is read and thrown away (never kept), for at
/// most `body_timeout`: closing with unread data would reset the connection, and the client
/// could lose the answer.
pub(super) fn drain(cfg: &MockConfig, mut body: Body) {
    let limit = cfg.body_timeout;
    tokio::spawn(async move {
        let _ = tokio::time::timeout(limit, async {
            while let Some(Ok(_)) = body.frame().await {}
        })
        .await;
    });
}

/// A refusal that reading the body could change: the signature did not match the empty
/// body, and the payload is signed and there is one.
pub(super) fn may_depend_on_body(f: &Failure, parts: &http::request::Parts) -> bool {
    let unsigned = parts
        .headers
        .get("x-amz-content-sha256")
        .is_some_and(|v| v.as_bytes() == crate::sign::canonical::UNSIGNED_PAYLOAD.as_bytes());
    let has_body = parts.headers.contains_key(hyper::header::TRANSFER_ENCODING)
        || parts
            .headers
            .get(hyper::header::CONTENT_LENGTH)
            .is_some_and(|v| v.as_bytes() != b"0");
    f.error_type == Some("InvalidSignatureException")
        && f.body.contains("signature we calculated does not match")
        && !unsigned
        && has_body
}

pub(super) fn declared_length(parts: &http::request::Parts) -> Option<u64> {
    parts
        .headers
        .get(hyper::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
}
