//! SigV4 verification in the order API Gateway checks, each failure with AWS's own status,
//! `x-amzn-ErrorType` and message.

use super::{MockConfig, Style};
use crate::sign::amz_date;
use crate::sign::canonical::{
    canonical_headers, canonical_path, canonical_query, credential_scope, encoded_query_params,
    sha256_hex, string_to_sign, CanonicalRequest, QueryParam, UNSIGNED_PAYLOAD,
};
use std::time::{Duration, SystemTime};

/// The request as the gateway received it.
pub struct Incoming<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

impl Incoming<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    fn all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// A refusal: status, `x-amzn-ErrorType`, JSON body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub status: u16,
    pub error_type: Option<&'static str>,
    pub body: String,
}

fn json_message(key: &str, message: &str) -> String {
    serde_json::json!({ key: message }).to_string()
}

fn failure(error_type: &'static str, message: &str) -> Failure {
    Failure {
        status: 403,
        error_type: Some(error_type),
        body: json_message("message", message),
    }
}

pub fn missing_token() -> Failure {
    failure(
        "MissingAuthenticationTokenException",
        "Missing Authentication Token",
    )
}

/// What a verified request is.
pub struct Verified {
    pub principal: String,
}

struct SigParts {
    credential: Option<String>,
    signed_headers: Option<String>,
    signature: Option<String>,
    presigned: bool,
}

fn parse_authorization(value: &str) -> SigParts {
    let mut parts = SigParts {
        credential: None,
        signed_headers: None,
        signature: None,
        presigned: false,
    };
    let Some(rest) = value.strip_prefix("AWS4-HMAC-SHA256") else {
        return parts;
    };
    for item in rest.split(',') {
        let item = item.trim();
        if let Some(v) = item.strip_prefix("Credential=") {
            parts.credential = Some(v.to_string());
        } else if let Some(v) = item.strip_prefix("SignedHeaders=") {
            parts.signed_headers = Some(v.to_string());
        } else if let Some(v) = item.strip_prefix("Signature=") {
            parts.signature = Some(v.to_string());
        }
    }
    parts
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

fn query_value(query: &str, key: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (decode(k) == key).then(|| decode(v))
    })
}

/// Verifies the signature of `req` as API Gateway (or a Lambda function URL) would.
pub fn verify(cfg: &MockConfig, req: &Incoming, now: SystemTime) -> Result<Verified, Failure> {
    let service = match cfg.style {
        Style::LambdaUrl => "lambda",
        _ => "execute-api",
    };
    verify_for(cfg, req, now, service)
}

/// `verify`, for requests signed for `expected_service` (`sts` for GetCallerIdentity).
pub fn verify_for(
    cfg: &MockConfig,
    req: &Incoming,
    now: SystemTime,
    expected_service: &str,
) -> Result<Verified, Failure> {
    let query = req.query.unwrap_or_default();
    let presigned = query_value(query, "X-Amz-Signature").is_some()
        || query_value(query, "X-Amz-Credential").is_some();
    let (parts, date) = if presigned {
        (
            SigParts {
                credential: query_value(query, "X-Amz-Credential"),
                signed_headers: query_value(query, "X-Amz-SignedHeaders"),
                signature: query_value(query, "X-Amz-Signature"),
                presigned: true,
            },
            query_value(query, "X-Amz-Date"),
        )
    } else {
        let Some(auth) = req.header("authorization") else {
            return Err(missing_token());
        };
        let parts = parse_authorization(auth);
        let date = req
            .header("x-amz-date")
            .or(req.header("date"))
            .map(str::to_string);
        let mut missing = String::new();
        if parts.credential.is_none() {
            missing.push_str("Authorization header requires 'Credential' parameter. ");
        }
        if parts.signature.is_none() {
            missing.push_str("Authorization header requires 'Signature' parameter. ");
        }
        if parts.signed_headers.is_none() {
            missing.push_str("Authorization header requires 'SignedHeaders' parameter. ");
        }
        if date.is_none() {
            missing.push_str(
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ",
            );
        }
        if !missing.is_empty() {
            missing.push_str(&format!("Authorization={auth}"));
            return Err(failure("IncompleteSignatureException", &missing));
        }
        (parts, date)
    };
    let (Some(credential), Some(signed_headers), Some(signature), Some(date)) = (
        parts.credential,
        parts.signed_headers,
        parts.signature,
        date,
    ) else {
        return Err(failure(
            "IncompleteSignatureException",
            "AWS query-string parameters must include 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date'. Re-examine the query-string parameters.",
        ));
    };

    // The key and its token.
    let fields: Vec<&str> = credential.split('/').collect();
    let key = cfg
        .keys
        .iter()
        .find(|k| Some(&k.access_key_id.as_str()) == fields.first());
    let token = if parts.presigned {
        query_value(query, "X-Amz-Security-Token")
    } else {
        req.header("x-amz-security-token").map(str::to_string)
    };
    // Otherwise a session the gateway issued (STS AssumeRole, the SSO portal).
    let session = match key {
        Some(_) => None,
        None => match super::services::sessions::lookup(
            fields.first().copied().unwrap_or_default(),
            token.as_deref(),
            now,
        ) {
            super::services::sessions::SessionLookup::Valid(k) => Some(k),
            super::services::sessions::SessionLookup::Expired => {
                return Err(failure(
                    "ExpiredTokenException",
                    "The security token included in the request is expired",
                ))
            }
            super::services::sessions::SessionLookup::Unknown => None,
        },
    };
    let key = key.or(session.as_ref());
    let Some(key) = key.filter(|k| k.session_token == token) else {
        return Err(Failure {
            status: 403,
            error_type: Some("UnrecognizedClientException"),
            body: json_message(
                "message",
                "The security token included in the request is invalid.",
            ),
        });
    };
    if fields.len() != 5 || fields[4] != "aws4_request" {
        return Err(failure(
            "IncompleteSignatureException",
            &format!("Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '{credential}'"),
        ));
    }
    let (scope_date, region, service) = (fields[1], fields[2], fields[3]);

    let mut scope_errors = String::new();
    if region != cfg.region {
        scope_errors.push_str(&format!(
            "Credential should be scoped to a valid region, not '{region}'. "
        ));
    }
    if service != expected_service {
        scope_errors.push_str(&format!(
            "Credential should be scoped to correct service: '{expected_service}'. "
        ));
    }
    if !scope_errors.is_empty() {
        return Err(failure("InvalidSignatureException", &scope_errors));
    }

    // The clock, with the server's simulated skew.
    let server_now = shift(now, cfg.clock_skew_secs);
    let window = Duration::from_secs(300);
    let Ok(request_time) = crate::timestamp::parse_time(&date) else {
        return Err(failure("IncompleteSignatureException", &format!("Date must be in ISO-8601 'basic format'. Got '{date}'. See http://en.wikipedia.org/wiki/ISO_8601")));
    };
    let server = amz_date(server_now);
    if request_time + window < server_now {
        return Err(failure(
            "InvalidSignatureException",
            &format!(
                "Signature expired: {date} is now earlier than {} ({server} - 5 min.)",
                amz_date(server_now - window)
            ),
        ));
    }
    if request_time > server_now + window {
        return Err(failure(
            "InvalidSignatureException",
            &format!(
                "Signature not yet current: {date} is still later than {} ({server} + 5 min.)",
                amz_date(server_now + window)
            ),
        ));
    }
    if parts.presigned {
        let expires: u64 = query_value(query, "X-Amz-Expires")
            .and_then(|e| e.parse().ok())
            .unwrap_or(0);
        // Checked: an X-Amz-Expires past what SystemTime holds must not panic the gateway.
        if request_time
            .checked_add(Duration::from_secs(expires))
            .is_some_and(|end| end < server_now)
        {
            return Err(failure(
                "AccessDeniedException",
                &format!("Signature expired: {date} is now earlier than {server}"),
            ));
        }
    }

    // The canonical request as we received it.
    let names: Vec<&str> = signed_headers.split(';').collect();
    let mut headers = Vec::new();
    for name in &names {
        for value in req.all(name) {
            headers.push((name.to_string(), value.to_string()));
        }
    }
    let mut headers = canonical_headers(&headers);
    for name in &names {
        if !headers.iter().any(|(n, _)| n == name) {
            headers.push((name.to_string(), String::new()));
        }
    }
    headers.sort();
    let params: Vec<QueryParam> = encoded_query_params(query)
        .into_iter()
        .filter(|p| !(parts.presigned && p.key == "X-Amz-Signature"))
        .collect();
    let unsigned_marker = if parts.presigned {
        query_value(query, "X-Amz-Content-Sha256")
    } else {
        req.header("x-amz-content-sha256").map(str::to_string)
    };
    let payload_hash = if unsigned_marker.as_deref() == Some(UNSIGNED_PAYLOAD) {
        UNSIGNED_PAYLOAD.to_string()
    } else {
        sha256_hex(req.body)
    };
    let canonical = CanonicalRequest {
        method: req.method.to_string(),
        path: canonical_path(req.path, true, true),
        query: canonical_query(&params),
        headers,
        signed_headers: names.iter().map(|s| s.to_string()).collect(),
        payload_hash,
    }
    .to_text();
    let scope = credential_scope(scope_date, region, service);
    let sts = string_to_sign(&date, &scope, &canonical);
    if scope_date != &date[..8.min(date.len())] {
        return Err(failure(
            "InvalidSignatureException",
            &format!("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scope_date}' != '{}', from '{date}'.", &date[..8.min(date.len())]),
        ));
    }
    let signing_key = aws_sigv4::sign::v4::generate_signing_key(
        &key.secret_access_key,
        request_time,
        region,
        service,
    );
    let expected = aws_sigv4::sign::v4::calculate_signature(signing_key, sts.as_bytes());
    if expected != signature {
        let head = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
        let message = match cfg.style {
            Style::LambdaUrl => head.to_string(),
            _ => format!(
                "{head}\n\nThe Canonical String for this request should have been\n'{canonical}'\n\nThe String-to-Sign should have been\n'{sts}'\n"
            ),
        };
        return Err(failure("InvalidSignatureException", &message));
    }
    Ok(Verified {
        principal: key.principal.clone(),
    })
}

/// `t` moved by the server's simulated skew, at most a hundred years ahead and never before
/// 1970: further and the dates the gateway prints (`Date`, `X-Amz-Date` in messages) leave
/// the calendar `time` and `httpdate` can write, and they panic. The CLI refuses more than
/// ten years either way.
pub(crate) fn shift(t: SystemTime, secs: i64) -> SystemTime {
    const CENTURY: i64 = 100 * 365 * 24 * 3600;
    let secs = secs.clamp(-CENTURY, CENTURY);
    let d = Duration::from_secs(secs.unsigned_abs());
    let shifted = if secs >= 0 {
        t.checked_add(d)
    } else {
        t.checked_sub(d)
    };
    shifted.unwrap_or(t).max(SystemTime::UNIX_EPOCH)
}
