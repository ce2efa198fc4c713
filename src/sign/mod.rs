//! Signing: a `WireRequest` plus credentials and settings in, a signed request and the
//! `SigningTrace` of exactly what was signed out.
//!
//! The signature comes from `aws-sigv4`. Because aws-sigv4 keeps its canonical request
//! private, the trace is built by our own canonicalization (`canonical`), and every signing
//! checks that HMAC(our string-to-sign) under the derived key equals aws-sigv4's signature.
//! If they ever differ, `sign` fails with both values rather than show a trace that was not
//! what got signed.

pub mod canonical;
mod date;
pub mod request;
mod sdk;
pub mod trace;

pub use date::amz_date;
pub use request::{RequestError, WireRequest};
pub use trace::SigningTrace;

use crate::aws::credentials::Credentials;
use canonical::{
    canonical_headers, canonical_path, canonical_query, canonical_query_of, credential_scope,
    encode_component, encoded_query_params, sha256_hex, string_to_sign, CanonicalRequest,
    QueryParam, ALGORITHM, UNSIGNED_PAYLOAD,
};
use sdk::{sdk_sign, signature_of};
use serde::{Deserialize, Serialize};
use std::time::SystemTime;

/// What goes in the payload-hash line of the canonical request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PayloadMode {
    /// SHA-256 of the body.
    #[default]
    Signed,
    /// `UNSIGNED-PAYLOAD`.
    Unsigned,
    /// The body hash, also sent (and signed) as `x-amz-content-sha256` (S3, CloudFront + Lambda URLs).
    SignedHeader,
}

/// Where the signature goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "type")]
pub enum Location {
    Headers,
    /// A presigned URL valid for `expires_secs`.
    Query {
        expires_secs: u64,
    },
}

/// How a session token is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SessionTokenMode {
    /// Part of the canonical request (what almost every service expects).
    #[default]
    Signed,
    /// Added after signing, not signed (a few services, e.g. IoT, want this).
    AppendedAfterSigning,
}

/// Per-request signing settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SigningSettings {
    pub region: String,
    pub service: String,
    pub payload: PayloadMode,
    pub location: Location,
    pub normalize_path: bool,
    /// URI-encode the wire path once more (every service but S3).
    pub double_encode_path: bool,
    pub session_token: SessionTokenMode,
    /// Lowercase names of headers sent but not signed, beyond the defaults.
    pub excluded_headers: Vec<String>,
    /// Lowercase names of headers signed although they are on the unsignable list (a request
    /// that knows no proxy will touch them opts them back in).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub included_headers: Vec<String>,
}

/// Headers never signed unless a request opts them back in: computed by signing, or changed by
/// proxies and HTTP clients on the way (hop-by-hop and caching headers). This is the AWS JS
/// SDK's list (`ALWAYS_UNSIGNABLE_HEADERS` in `@smithy/signature-v4`), plus its two patterns,
/// `proxy-*` and `sec-*` (`is_unsignable`). aws-sigv4 by default excludes only the first four.
pub const DEFAULT_EXCLUDED_HEADERS: [&str; 15] = [
    "authorization",
    "user-agent",
    "x-amzn-trace-id",
    "transfer-encoding",
    "cache-control",
    "connection",
    "expect",
    "from",
    "keep-alive",
    "max-forwards",
    "pragma",
    "referer",
    "te",
    "trailer",
    "upgrade",
];

/// Whether a header name (in any case) is on the unsignable list or matches its patterns.
pub fn is_unsignable(name: &str) -> bool {
    let starts = |prefix: &str| {
        name.get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
    };
    DEFAULT_EXCLUDED_HEADERS
        .iter()
        .any(|h| h.eq_ignore_ascii_case(name))
        || starts("proxy-")
        || starts("sec-")
}

/// At most this many headers in a request: far above what any AWS front end accepts (API
/// Gateway takes 10 KB of headers in all), far below what makes an HTTP header map overflow.
pub const MAX_HEADERS: usize = 500;
/// At most this many bytes of header names and values in all.
pub const MAX_HEADER_BYTES: usize = 256 * 1024;

/// The longest validity AWS accepts for a presigned URL.
pub const MAX_PRESIGN_SECS: u64 = 7 * 24 * 3600;

impl SigningSettings {
    /// Defaults for a service: S3 signs the wire path as it is, without normalization, and
    /// wants `x-amz-content-sha256`; every other service double-encodes and normalizes.
    pub fn for_service(region: &str, service: &str) -> Self {
        let s3 = service == "s3";
        Self {
            region: region.to_string(),
            service: service.to_string(),
            payload: if s3 {
                PayloadMode::SignedHeader
            } else {
                PayloadMode::Signed
            },
            location: Location::Headers,
            normalize_path: !s3,
            double_encode_path: !s3,
            session_token: SessionTokenMode::Signed,
            excluded_headers: Vec::new(),
            included_headers: Vec::new(),
        }
    }

    /// Whether a request header with this name is signed under these settings.
    pub fn signs_header(&self, name: &str, presigned: bool) -> bool {
        // Compared without a lowercase copy: this runs for every header of every signing.
        let is = |other: &str| name.eq_ignore_ascii_case(other);
        if self.excluded_headers.iter().any(|e| is(e))
            || (presigned && (is("x-amz-user-agent") || is("x-amz-checksum-mode")))
            || is("authorization")
        {
            return false;
        }
        !is_unsignable(name) || self.included_headers.iter().any(|h| is(h))
    }
}

/// A signed request and the record of how it was signed.
#[derive(Debug, Clone)]
pub struct Signed {
    pub request: WireRequest,
    pub trace: SigningTrace,
}

/// Why a request could not be signed.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error("aws-sigv4 refused the request: {0}")]
    Sdk(String),
    #[error(
        "signature cross-check failed: the trace does not describe what aws-sigv4 signed.\n  \
         aws-sigv4 signature: {aws_sigv4}\n  trace signature:     {ours}\n\
         canonical request (ours):\n{canonical_request}"
    )]
    CrossCheck {
        ours: String,
        aws_sigv4: String,
        canonical_request: String,
    },
    #[error("presigned URL expiry must be between 1 and {MAX_PRESIGN_SECS} seconds, not {0}")]
    BadExpiry(u64),
    #[error(
        "region and service are required for signing (region '{region}', service '{service}')"
    )]
    MissingScope { region: String, service: String },
    #[error("header '{0}' has a value that is not visible ASCII; SigV4 headers must be ASCII")]
    NonAsciiHeader(String),
    #[error("a clock offset of {0} s is out of range: sign with an offset of at most ten years")]
    ClockOffset(i64),
    #[error("the request has {count} headers; at most {MAX_HEADERS} can be signed and sent")]
    TooManyHeaders { count: usize },
    #[error("the request's headers take {bytes} bytes; at most {MAX_HEADER_BYTES} can be signed and sent")]
    HeadersTooLarge { bytes: usize },
}

/// Signs `request` at `time`. The payload is hashed once, here.
pub fn sign(
    request: &WireRequest,
    credentials: &Credentials,
    settings: &SigningSettings,
    time: SystemTime,
) -> Result<Signed, SignError> {
    let payload_hash = match effective_payload(settings) {
        PayloadMode::Unsigned => UNSIGNED_PAYLOAD.to_string(),
        _ if request.body.is_empty() => canonical::EMPTY_SHA256.to_string(),
        _ => sha256_hex(&request.body),
    };
    sign_with_payload_hash(request, credentials, settings, time, payload_hash)
}

/// The payload mode actually used: an S3 presigned URL always signs `UNSIGNED-PAYLOAD` (the
/// URL is used by whoever holds it, with a body nobody knows yet; S3 computes that line so,
/// and boto3 and the AWS JS SDK's presigner sign it so).
pub fn effective_payload(settings: &SigningSettings) -> PayloadMode {
    match settings.location {
        Location::Query { .. } if settings.service == "s3" => PayloadMode::Unsigned,
        _ => settings.payload,
    }
}

/// As `sign`, with the payload hash already computed (or `UNSIGNED-PAYLOAD`).
pub fn sign_with_payload_hash(
    request: &WireRequest,
    credentials: &Credentials,
    settings: &SigningSettings,
    time: SystemTime,
    payload_hash: String,
) -> Result<Signed, SignError> {
    if settings.region.is_empty() || settings.service.is_empty() {
        return Err(SignError::MissingScope {
            region: settings.region.clone(),
            service: settings.service.clone(),
        });
    }
    check_header_limits(&request.headers)?;
    let mut notes = Vec::new();
    let payload = effective_payload(settings);
    let payload_hash = if payload == PayloadMode::Unsigned {
        if settings.payload == PayloadMode::Signed {
            notes.push(
                "an S3 presigned URL signs UNSIGNED-PAYLOAD, whatever the payload setting".into(),
            );
        }
        UNSIGNED_PAYLOAD.to_string()
    } else {
        payload_hash
    };
    let mut req = request.clone();
    // Room for the headers signing adds (date, token, payload hash, Authorization).
    req.headers.reserve(4);
    notes.extend(crate::aws::private_api::note(&req));
    for name in ["authorization", "x-amz-date", "x-amz-security-token"] {
        if req.header(name).is_some() {
            notes.push(format!(
                "removed the request's own '{name}' header before signing"
            ));
            req.remove_header(name);
        }
    }
    if payload != PayloadMode::Signed {
        req.remove_header("x-amz-content-sha256");
    }
    let presigned = matches!(settings.location, Location::Query { .. });
    if presigned && payload == PayloadMode::Unsigned && settings.service != "s3" {
        // A presigned URL has no headers to say the payload is unsigned: the marker goes in
        // the query, signed, as the AWS JS SDK's presigner hoists x-amz-* headers (S3 needs
        // none: its presigned URLs are always UNSIGNED-PAYLOAD).
        let marker = "X-Amz-Content-Sha256=UNSIGNED-PAYLOAD";
        let has_marker = req
            .query
            .as_deref()
            .is_some_and(|q| q.split('&').any(|p| p.eq_ignore_ascii_case(marker)));
        if !has_marker {
            req.query = Some(match req.query.take().filter(|q| !q.is_empty()) {
                Some(q) => format!("{q}&{marker}"),
                None => marker.to_string(),
            });
            notes.push(
                "the presigned URL carries X-Amz-Content-Sha256=UNSIGNED-PAYLOAD, so the \
                 server does not hash the body"
                    .into(),
            );
        }
    }
    if !settings.double_encode_path {
        if let std::borrow::Cow::Owned(encoded) = canonical::s3_path(&req.path) {
            notes.push(format!(
                "the path is sent as '{encoded}', the form S3 signs (it decodes the path and \
                 encodes the key once)"
            ));
            req.path = encoded;
        }
    }
    if let Some(query) = &req.query {
        if query.contains('+') {
            // aws-sigv4 reads '+' in a query as a space; AWS reads it as a plus. Sending it as
            // %2B makes the wire, our canonical request and aws-sigv4 agree with AWS.
            req.query = Some(query.replace('+', "%2B"));
            notes.push("a literal '+' in the query is sent as %2B (AWS reads it as a plus)".into());
        }
    }

    let amz_date = amz_date(time);
    let date = &amz_date[..8];
    let scope = credential_scope(date, &settings.region, &settings.service);
    let token = credentials
        .session_token
        .as_ref()
        .map(|t| t.expose().to_string());
    let token_signed = token.is_some() && settings.session_token == SessionTokenMode::Signed;
    let presign_expiry = match settings.location {
        Location::Query { expires_secs } => {
            if expires_secs == 0 || expires_secs > MAX_PRESIGN_SECS {
                return Err(SignError::BadExpiry(expires_secs));
            }
            Some(expires_secs)
        }
        Location::Headers => None,
    };
    let header_mode = presign_expiry.is_none();

    // Which of the request's headers are signed. A value with a tab is sent as it is signed:
    // folded (aws-sigv4 would keep the tab; AWS folds it).
    let mut unsigned_headers = Vec::new();
    let mut signs = Vec::with_capacity(req.headers.len());
    for (name, value) in req.headers.iter_mut() {
        let signed = settings.signs_header(name, !header_mode);
        signs.push(signed);
        if !signed {
            unsigned_headers.push(name.to_ascii_lowercase());
        } else if value.contains('\t') {
            *value = canonical::trim_header_value(value).into_owned();
            notes.push(format!(
                "'{name}': tabs and runs of whitespace folded to one space, as AWS \
                 canonicalizes them; sent folded"
            ));
        }
    }
    let host = req.host_header_value();
    let mut signable: Vec<(&str, &str)> = Vec::with_capacity(req.headers.len() + 4);
    signable.extend(
        req.headers
            .iter()
            .zip(&signs)
            .filter(|(_, signed)| **signed)
            .map(|((n, v), _)| (n.as_str(), v.as_str())),
    );
    if let Some((name, _)) = signable.iter().find(|(_, v)| !v.is_ascii()) {
        return Err(SignError::NonAsciiHeader(name.to_string()));
    }

    let sdk_signable = signable.len();
    if !signable.iter().any(|(n, _)| n.eq_ignore_ascii_case("host")) {
        signable.push(("host", host));
    }
    if header_mode {
        signable.push(("x-amz-date", &amz_date));
        if let (true, Some(token)) = (token_signed, &token) {
            signable.push(("x-amz-security-token", token));
        }
        if payload != PayloadMode::Signed {
            signable.push(("x-amz-content-sha256", &payload_hash));
        }
    } else if settings.payload == PayloadMode::SignedHeader && settings.service != "s3" {
        notes.push("x-amz-content-sha256 is not added to presigned URLs".into());
    }
    let headers = canonical_headers(&signable);
    let signed_headers: Vec<String> = headers.iter().map(|(n, _)| n.clone()).collect();

    // The canonical query of the request's own parameters (aws-sigv4 adds the presigning ones
    // itself when it is handed the target in canonical form).
    let user_query = canonical_query_of(req.query.as_deref().unwrap_or_default());
    let mut presign_params: Vec<(&'static str, String)> = Vec::new();
    if let Some(expires) = presign_expiry {
        let credential = format!("{}/{scope}", credentials.access_key_id);
        presign_params.push(("X-Amz-Algorithm", ALGORITHM.to_string()));
        presign_params.push(("X-Amz-Credential", credential));
        presign_params.push(("X-Amz-Date", amz_date.clone()));
        presign_params.push(("X-Amz-SignedHeaders", signed_headers.join(";")));
        presign_params.push(("X-Amz-Expires", expires.to_string()));
        if let Some(token) = &token {
            if token_signed {
                presign_params.push(("X-Amz-Security-Token", token.clone()));
            }
        }
    }
    let (query, presign_user_query) = if presign_params.is_empty() {
        (user_query, None)
    } else {
        let mut params = encoded_query_params(req.query.as_deref().unwrap_or_default());
        params.extend(presign_params.iter().map(|(k, v)| QueryParam {
            key: encode_component(k),
            value: encode_component(v),
        }));
        (canonical_query(&params), Some(user_query))
    };

    let canonical = CanonicalRequest {
        method: req.method.clone(),
        path: canonical_path(
            &req.path,
            settings.normalize_path,
            settings.double_encode_path,
        ),
        query,
        headers,
        signed_headers,
        payload_hash: payload_hash.clone(),
    };
    let canonical_text = canonical.to_text();
    let sts = string_to_sign(&amz_date, &scope, &canonical_text);

    let sdk = sdk_sign(
        &req,
        credentials,
        settings,
        payload,
        time,
        &signable[..sdk_signable],
        &payload_hash,
        &canonical.path,
        presign_user_query.as_deref().unwrap_or(&canonical.query),
    )?;
    let ours = signature_of(
        &sts,
        credentials.secret_access_key.expose(),
        date,
        time,
        settings,
    );
    if ours[..] != *sdk.signature.as_bytes() {
        return Err(SignError::CrossCheck {
            ours: String::from_utf8_lossy(&ours).into_owned(),
            aws_sigv4: sdk.signature,
            canonical_request: canonical_text,
        });
    }
    let signature = sdk.signature;

    // Apply the signature. Added headers go in the order of the SigV4 suite's signed requests.
    let mut signed = req;
    let mut authorization = None;
    let mut presigned_query = None;
    match presign_expiry {
        None => {
            if let Some(token) = &token {
                signed
                    .headers
                    .push(("X-Amz-Security-Token".into(), token.clone()));
            }
            signed.headers.push(("X-Amz-Date".into(), amz_date.clone()));
            if payload != PayloadMode::Signed {
                signed
                    .headers
                    .push(("x-amz-content-sha256".into(), payload_hash.clone()));
            }
            let auth = sdk.authorization.unwrap_or_default();
            signed.headers.push(("Authorization".into(), auth.clone()));
            authorization = Some(auth);
        }
        Some(_) => {
            let mut added: Vec<(String, String)> = presign_params
                .into_iter()
                .filter(|(k, _)| *k != "X-Amz-Security-Token")
                .map(|(k, v)| (k.to_string(), v))
                .collect();
            if let Some(token) = &token {
                added.push(("X-Amz-Security-Token".into(), token.clone()));
            }
            added.push(("X-Amz-Signature".into(), signature.clone()));
            let mut query = signed.query.take().unwrap_or_default();
            for (k, v) in &added {
                if !query.is_empty() {
                    query.push('&');
                }
                query.push_str(&encode_component(k));
                query.push('=');
                query.push_str(&encode_component(v));
            }
            signed.query = Some(query);
            presigned_query = Some(added);
        }
    }

    let signed_headers = canonical.signed_headers.clone();
    // Signing into headers leaves the URL as it was handed to aws-sigv4.
    let url = match (presign_expiry, sdk.url) {
        (None, Some(url)) => url,
        _ => signed.url(),
    };
    debug_assert_eq!(url, signed.url());
    let trace = SigningTrace {
        canonical_request: canonical_text,
        canonical,
        string_to_sign: sts,
        credential_scope: scope,
        signed_headers,
        unsigned_headers,
        payload_hash,
        signature,
        authorization,
        presigned_query,
        signing_time: amz_date,
        region: settings.region.clone(),
        service: settings.service.clone(),
        access_key_id: crate::aws::credentials::mask_access_key(&credentials.access_key_id),
        url,
        signed_request: signed.to_text(),
        notes,
        session_token: token,
    };
    Ok(Signed {
        request: signed,
        trace,
    })
}

/// Refuses requests no HTTP stack would carry (and that would overflow a header map).
pub fn check_header_limits(headers: &[(String, String)]) -> Result<(), SignError> {
    if headers.len() > MAX_HEADERS {
        return Err(SignError::TooManyHeaders {
            count: headers.len(),
        });
    }
    let bytes: usize = headers.iter().map(|(n, v)| n.len() + v.len()).sum();
    if bytes > MAX_HEADER_BYTES {
        return Err(SignError::HeadersTooLarge { bytes });
    }
    Ok(())
}

/// Signs a raw HTTP/1.1 request text (`sigscope sign --raw`, the SigV4 suite's `request.txt`).
pub fn sign_raw(
    raw: &[u8],
    credentials: &Credentials,
    settings: &SigningSettings,
    time: SystemTime,
) -> Result<Signed, SignRawError> {
    let request = WireRequest::parse_raw(raw, "https")?;
    Ok(sign(&request, credentials, settings, time)?)
}

/// `sign_raw` fails either reading the request or signing it.
#[derive(Debug, thiserror::Error)]
pub enum SignRawError {
    #[error(transparent)]
    Request(#[from] RequestError),
    #[error(transparent)]
    Sign(#[from] SignError),
}
