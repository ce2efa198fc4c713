//! The two signatures of every signing: aws-sigv4's (`sdk_sign`, the one sent) and ours over
//! our own string-to-sign (`signature_of`, the cross-check that the trace is what got signed),
//! each with the per-thread cache that keeps its cost down (the derived key as a keyed HMAC,
//! the aws-sigv4 identity per credentials).

use super::canonical::{self, canonical_query, CanonicalRequest, QueryParam, UNSIGNED_PAYLOAD};
use super::{Location, PayloadMode, SessionTokenMode, SignError, SigningSettings, WireRequest};
use crate::aws::credentials::Credentials;
use aws_sigv4::http_request::{
    PayloadChecksumKind, PercentEncodingMode, SessionTokenMode as SdkTokenMode, SignableBody,
    SignableRequest, SignatureLocation, SigningParams, SigningSettings as SdkSettings,
    UriPathNormalizationMode,
};
use aws_sigv4::sign::v4;
use std::borrow::Cow;
use std::time::{Duration, SystemTime};

/// The derived signing key of the last (secret, day, region, service), kept as an HMAC whose
/// key pads are already hashed: only the string-to-sign is hashed per signature.
struct CachedKey {
    secret: String,
    date: String,
    region: String,
    service: String,
    mac: hmac::Hmac<sha2::Sha256>,
}

thread_local! {
    static SIGNING_KEY: std::cell::RefCell<Option<CachedKey>> =
        const { std::cell::RefCell::new(None) };
}

/// HMAC-SHA256 of the string-to-sign under the SigV4 signing key (derived by aws-sigv4's
/// `generate_signing_key` once per secret, day, region and service), in hex.
pub(super) fn signature_of(
    string_to_sign: &str,
    secret: &str,
    date: &str,
    time: SystemTime,
    settings: &SigningSettings,
) -> String {
    use hmac::Mac;
    SIGNING_KEY.with(|cell| {
        let mut cache = cell.borrow_mut();
        let hit = cache.as_ref().is_some_and(|c| {
            c.secret == secret
                && c.date == date
                && c.region == settings.region
                && c.service == settings.service
        });
        if !hit {
            let key = v4::generate_signing_key(secret, time, &settings.region, &settings.service);
            *cache = Some(CachedKey {
                secret: secret.to_string(),
                date: date.to_string(),
                region: settings.region.clone(),
                service: settings.service.clone(),
                mac: hmac::Hmac::new_from_slice(key.as_ref())
                    .expect("HMAC takes a key of any length"),
            });
        }
        let mut mac = cache.as_ref().expect("filled above").mac.clone();
        mac.update(string_to_sign.as_bytes());
        canonical::lower_hex(&mac.finalize().into_bytes())
    })
}

thread_local! {
    /// The aws-sigv4 identity of the last credentials signed with (an `Arc` inside: a clone
    /// is a reference count, building one is five allocations).
    static IDENTITY: std::cell::RefCell<Option<(Credentials, aws_smithy_runtime_api::client::identity::Identity)>> =
        const { std::cell::RefCell::new(None) };
}

fn identity_of(credentials: &Credentials) -> aws_smithy_runtime_api::client::identity::Identity {
    IDENTITY.with(|cell| {
        let mut cache = cell.borrow_mut();
        if let Some((cached, identity)) = cache.as_ref() {
            let same = cached.access_key_id == credentials.access_key_id
                && cached.secret_access_key.expose() == credentials.secret_access_key.expose()
                && cached.session_token.as_ref().map(|t| t.expose())
                    == credentials.session_token.as_ref().map(|t| t.expose())
                && cached.expiry == credentials.expiry;
            if same {
                return identity.clone();
            }
        }
        let identity = credentials.to_identity();
        *cache = Some((credentials.clone(), identity.clone()));
        identity
    })
}

pub(super) struct SdkOutput {
    pub(super) signature: String,
    /// The Authorization header, when signed into headers.
    pub(super) authorization: Option<String>,
}

/// Asks aws-sigv4 for the signature of the same request.
#[allow(clippy::too_many_arguments)]
pub(super) fn sdk_sign(
    req: &WireRequest,
    credentials: &Credentials,
    settings: &SigningSettings,
    payload: PayloadMode,
    time: SystemTime,
    signable: &[(&str, &str)],
    payload_hash: &str,
    canonical: &CanonicalRequest,
    user_params: &[QueryParam],
) -> Result<SdkOutput, SignError> {
    let identity = identity_of(credentials);
    let mut sdk_settings = SdkSettings::default();
    // Only signable headers are handed over (the caller filtered them), so aws-sigv4 need not
    // exclude any; `authorization` stays excluded as a guard.
    sdk_settings.excluded_headers = Some(vec![Cow::Borrowed("authorization")]);
    sdk_settings.payload_checksum_kind = if payload != PayloadMode::Signed {
        PayloadChecksumKind::XAmzSha256
    } else {
        PayloadChecksumKind::NoHeader
    };
    sdk_settings.session_token_mode = match settings.session_token {
        SessionTokenMode::Signed => SdkTokenMode::Include,
        SessionTokenMode::AppendedAfterSigning => SdkTokenMode::Exclude,
    };
    if let Location::Query { expires_secs } = settings.location {
        sdk_settings.signature_location = SignatureLocation::QueryParams;
        sdk_settings.expires_in = Some(Duration::from_secs(expires_secs));
    }

    // aws-sigv4 parses the target as an `http::Uri`, which refuses raw spaces and non-ASCII.
    // Such a target (only possible from a raw request file) is handed over already in
    // canonical form, with aws-sigv4's own encoding and normalization turned off.
    let raw_target_ok = req
        .path
        .bytes()
        .all(|b| b.is_ascii_graphic() && !b"\"#<>?`{}\\^|".contains(&b))
        && req
            .query
            .as_deref()
            .unwrap_or_default()
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'#');
    let (path, query, encoding, normalization) = if raw_target_ok {
        (
            Cow::Borrowed(req.path.as_str()),
            req.query.clone().unwrap_or_default(),
            if settings.double_encode_path {
                PercentEncodingMode::Double
            } else {
                PercentEncodingMode::Single
            },
            UriPathNormalizationMode::from(settings.normalize_path),
        )
    } else {
        (
            Cow::Owned(canonical.path.clone()),
            canonical_query(user_params),
            PercentEncodingMode::Single,
            UriPathNormalizationMode::Disabled,
        )
    };
    sdk_settings.percent_encoding_mode = encoding;
    sdk_settings.uri_path_normalization_mode = normalization;
    let mut uri = [req.scheme.as_str(), "://", &req.authority, &path].concat();
    if !query.is_empty() {
        uri.push('?');
        uri.push_str(&query);
    }
    let body = if payload_hash == UNSIGNED_PAYLOAD {
        SignableBody::UnsignedPayload
    } else {
        SignableBody::Precomputed(payload_hash.to_string())
    };
    let signable_request = SignableRequest::new(&req.method, uri, signable.iter().copied(), body)
        .map_err(|e| SignError::Sdk(crate::aws::credentials::error_chain(&e)))?;
    let params: SigningParams = v4::SigningParams::builder()
        .identity(&identity)
        .region(&settings.region)
        .name(&settings.service)
        .time(time)
        .settings(sdk_settings)
        .build()
        .map_err(|e| SignError::Sdk(e.to_string()))?
        .into();
    let output = aws_sigv4::http_request::sign(signable_request, &params)
        .map_err(|e| SignError::Sdk(crate::aws::credentials::error_chain(&e)))?;
    let (instructions, signature) = output.into_parts();
    let authorization = instructions
        .headers()
        .find(|(n, _)| *n == "authorization")
        .map(|(_, v)| v.to_string());
    Ok(SdkOutput {
        signature,
        authorization,
    })
}
