//! `SigningTrace`: the record of one signing, exactly as signed.

use super::canonical::CanonicalRequest;
use serde::{Deserialize, Serialize};

/// Shown in place of a session token wherever a trace leaves the process.
pub const REDACTED_TOKEN: &str = "<redacted-session-token>";

/// Everything that went into a signature. Serialized (for `sign --json`, history, exports)
/// only through `redacted()`, so the session token never reaches disk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SigningTrace {
    pub canonical_request: String,
    /// The same canonical request, line by line, for labelled display.
    pub canonical: CanonicalRequest,
    pub string_to_sign: String,
    pub credential_scope: String,
    pub signed_headers: Vec<String>,
    /// Lowercase names of the request's headers that are sent but not signed (the unsignable
    /// list, `--unsigned-header`), so that a view can say "sent, not signed".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unsigned_headers: Vec<String>,
    pub payload_hash: String,
    pub signature: String,
    /// The Authorization header; absent when presigned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization: Option<String>,
    /// The presigning query parameters (decoded), in the order they were appended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub presigned_query: Option<Vec<(String, String)>>,
    /// `YYYYMMDDTHHMMSSZ`.
    pub signing_time: String,
    pub region: String,
    pub service: String,
    /// Masked (`AKIAIOSF…MPLE`).
    pub access_key_id: String,
    pub url: String,
    /// The whole signed request as HTTP/1.1 text.
    pub signed_request: String,
    /// What signing changed or decided that the user should know about.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    #[serde(skip)]
    pub session_token: Option<String>,
}

impl SigningTrace {
    /// A copy with the session token (raw and URL-encoded) replaced by a marker.
    pub fn redacted(&self) -> SigningTrace {
        let mut out = self.clone();
        if let Some(token) = &self.session_token {
            let encoded = super::canonical::encode_component(token);
            let scrub = |s: &mut String| {
                if !token.is_empty() {
                    *s = s.replace(token.as_str(), REDACTED_TOKEN);
                    *s = s.replace(encoded.as_str(), REDACTED_TOKEN);
                }
            };
            scrub(&mut out.canonical_request);
            scrub(&mut out.canonical.query);
            for (_, v) in &mut out.canonical.headers {
                scrub(v);
            }
            scrub(&mut out.url);
            scrub(&mut out.signed_request);
            if let Some(q) = &mut out.presigned_query {
                for (_, v) in q.iter_mut() {
                    scrub(v);
                }
            }
        }
        out.session_token = None;
        out
    }

    /// The canonical request's lines with what each one is.
    pub fn labelled_canonical_lines(&self) -> Vec<(String, String)> {
        let c = &self.canonical;
        let mut out = vec![
            ("method".to_string(), c.method.clone()),
            ("path".to_string(), c.path.clone()),
            ("query".to_string(), c.query.clone()),
        ];
        for (name, value) in &c.headers {
            out.push((format!("header {name}"), format!("{name}:{value}")));
        }
        out.push(("end of headers".into(), String::new()));
        out.push(("signed headers".into(), c.signed_headers.join(";")));
        out.push(("payload hash".into(), c.payload_hash.clone()));
        out
    }
}
