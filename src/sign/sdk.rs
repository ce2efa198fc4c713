//! The two signatures of every signing: aws-sigv4's (`sdk_sign`, the one sent) and ours over
//! our own string-to-sign (`signature_of`, the cross-check that the trace is what got signed),
//! each with the per-thread cache that keeps its cost down (the derived key as a keyed HMAC,
//! the aws-sigv4 identity per credentials).

use super::canonical::UNSIGNED_PAYLOAD;
use super::{Location, PayloadMode, SessionTokenMode, SignError, SigningSettings, WireRequest};
use crate::aws::credentials::Credentials;
use aws_sigv4::http_request::{
    PayloadChecksumKind, PercentEncodingMode, SessionTokenMode as SdkTokenMode, SignableBody,
    SignableRequest, SignatureLocation, SigningParams, SigningSettings as SdkSettings,
    UriPathNormalizationMode,
};
use aws_sigv4::sign::v4;
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
/// `generate_signing_key` once per secret, day, region and service), in lowercase hex, on the
/// stack: it is compared with aws-sigv4's and only becomes a `String` when they differ.
pub(super) fn signature_of(
    string_to_sign: &str,
    secret: &str,
    date: &str,
    time: SystemTime,
    settings: &SigningSettings,
) -> [u8; 64] {
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
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut hex = [0u8; 64];
        for (i, b) in mac.finalize().into_bytes().iter().enumerate() {
            hex[2 * i] = DIGITS[usize::from(b >> 4)];
            hex[2 * i + 1] = DIGITS[usize::from(b & 0xf)];
        }
        hex
    })
}

thread_local! {
    /// The aws-sigv4 identity of the last credentials signed with (an `Arc` inside: a clone
    /// is a reference count, building one is five allocations).
    static IDENTITY: std::cell::RefCell<Option<(Credentials, aws_smithy_runtime_api::client::identity::Identity)>> =
        const { std::cell::RefCell::new(None) };
}

/// Runs `f` with the aws-sigv4 identity of `credentials`, lent from the cache (not even a
/// reference count is taken).
fn with_identity<R>(
    credentials: &Credentials,
    f: impl FnOnce(&aws_smithy_runtime_api::client::identity::Identity) -> R,
) -> R {
    IDENTITY.with(|cell| {
        let mut cache = cell.borrow_mut();
        let same = cache.as_ref().is_some_and(|(cached, _)| {
            cached.access_key_id == credentials.access_key_id
                && cached.secret_access_key.expose() == credentials.secret_access_key.expose()
                && cached.session_token.as_ref().map(|t| t.expose())
                    == credentials.session_token.as_ref().map(|t| t.expose())
                && cached.expiry == credentials.expiry
        });
        if !same {
            *cache = Some((credentials.clone(), credentials.to_identity()));
        }
        f(&cache.as_ref().expect("filled above").1)
    })
}

pub(super) struct SdkOutput {
    pub(super) signature: String,
    /// The Authorization header, when signed into headers.
    pub(super) authorization: Option<String>,
    /// The URL handed to aws-sigv4 when it is the request's own (`WireRequest::url`), so that
    /// the trace need not write it again.
    pub(super) url: Option<String>,
}

/// Asks aws-sigv4 for the signature of the same request. `canonical_path` and `user_query`
/// (the canonical query of the request's own parameters) are handed over in place of a
/// target that `http::Uri` refuses.
#[allow(clippy::too_many_arguments)]
pub(super) fn sdk_sign(
    req: &WireRequest,
    credentials: &Credentials,
    settings: &SigningSettings,
    payload: PayloadMode,
    time: SystemTime,
    signable: &[(&str, &str)],
    payload_hash: &str,
    canonical_path: &str,
    user_query: &str,
) -> Result<SdkOutput, SignError> {
    let mut sdk_settings = SdkSettings::default();
    // Only signable headers are handed over (the caller filtered them), so aws-sigv4 need not
    // exclude any; `authorization` stays excluded as a guard (kept from the default list,
    // in place: no new list per signing).
    if let Some(excluded) = sdk_settings.excluded_headers.as_mut() {
        excluded.retain(|h| h == "authorization");
    }
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
    let raw_target_ok = req.path.bytes().all(|b| {
        b.is_ascii_graphic()
            && !matches!(
                b,
                b'"' | b'#' | b'<' | b'>' | b'?' | b'`' | b'{' | b'}' | b'\\' | b'^' | b'|'
            )
    }) && req
        .query
        .as_deref()
        .unwrap_or_default()
        .bytes()
        .all(|b| b.is_ascii_graphic() && b != b'#');
    let (path, query, encoding, normalization) = if raw_target_ok {
        (
            req.path.as_str(),
            req.query.as_deref().unwrap_or_default(),
            if settings.double_encode_path {
                PercentEncodingMode::Double
            } else {
                PercentEncodingMode::Single
            },
            UriPathNormalizationMode::from(settings.normalize_path),
        )
    } else {
        (
            canonical_path,
            user_query,
            PercentEncodingMode::Single,
            UriPathNormalizationMode::Disabled,
        )
    };
    sdk_settings.percent_encoding_mode = encoding;
    sdk_settings.uri_path_normalization_mode = normalization;
    let mut uri = String::with_capacity(
        req.scheme.len() + req.authority.len() + path.len() + query.len() + 4,
    );
    for part in [req.scheme.as_str(), "://", &req.authority, path] {
        uri.push_str(part);
    }
    if !query.is_empty() {
        uri.push('?');
        uri.push_str(query);
    }
    let body = if payload_hash == UNSIGNED_PAYLOAD {
        SignableBody::UnsignedPayload
    } else {
        SignableBody::Precomputed(payload_hash.to_string())
    };
    let signable_request =
        SignableRequest::new(&req.method, uri.as_str(), signable.iter().copied(), body)
            .map_err(|e| SignError::Sdk(crate::aws::credentials::error_chain(&e)))?;
    let output = with_identity(credentials, |identity| {
        let params: SigningParams = v4::SigningParams::builder()
            .identity(identity)
            .region(&settings.region)
            .name(&settings.service)
            .time(time)
            .settings(sdk_settings)
            .build()
            .map_err(|e| SignError::Sdk(e.to_string()))?
            .into();
        aws_sigv4::http_request::sign(signable_request, &params)
            .map_err(|e| SignError::Sdk(crate::aws::credentials::error_chain(&e)))
    })?;
    let (instructions, signature) = output.into_parts();
    let authorization = instructions
        .headers()
        .find(|(n, _)| *n == "authorization")
        .map(|(_, v)| v.to_string());
    // `url()` writes `?` for an empty query too; the URL handed over does not.
    let url = (raw_target_ok && req.query.as_deref() != Some("")).then_some(uri);
    Ok(SdkOutput {
        signature,
        authorization,
        url,
    })
}
