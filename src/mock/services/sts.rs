//! STS, as far as the gateway answers it: GetCallerIdentity for its keys and sessions, and
//! AssumeRole into its demo roles with their trust conditions (MFA, external id), session
//! durations and role-chaining limit, answering with STS's XML and error codes.

use super::sessions::{demo_role, issue_session, DEMO_MFA_CODE, DEMO_MFA_SERIAL};
use crate::mock::verify::{Failure, Incoming};
use crate::mock::MockConfig;
use bytes::Bytes;
use http_body_util::Full;
use std::time::{Duration, SystemTime};

type Response = hyper::Response<Full<Bytes>>;

/// The form parameters of an STS query-protocol body.
pub(super) fn form(body: &[u8]) -> Vec<(String, String)> {
    let decode = |s: &[u8]| {
        let plus: Vec<u8> = s
            .iter()
            .map(|b| if *b == b'+' { b' ' } else { *b })
            .collect();
        percent_encoding::percent_decode(&plus)
            .decode_utf8_lossy()
            .into_owned()
    };
    body.split(|b| *b == b'&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let mut it = pair.splitn(2, |b| *b == b'=');
            (
                decode(it.next().unwrap_or_default()),
                decode(it.next().unwrap_or_default()),
            )
        })
        .collect()
}

pub(super) fn param<'a>(form: &'a [(String, String)], key: &str) -> Option<&'a str> {
    form.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// Which STS action a POST to `/` is, if it is one the gateway answers.
pub(super) fn action(body: &[u8]) -> Option<&'static str> {
    match param(&form(body), "Action") {
        Some("GetCallerIdentity") => Some("GetCallerIdentity"),
        Some("AssumeRole") => Some("AssumeRole"),
        _ => None,
    }
}

pub(super) fn xml(status: u16, body: String) -> Response {
    hyper::Response::builder()
        .status(status)
        .header("content-type", "text/xml")
        .header("x-amzn-requestid", uuid::Uuid::new_v4().to_string())
        .body(Full::new(Bytes::from(body)))
        .expect("static response parts are valid")
}

pub(super) fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn error(status: u16, code: &str, message: &str) -> Response {
    xml(
        status,
        format!(
            "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>\
             <Type>Sender</Type><Code>{code}</Code><Message>{}</Message></Error>\
             <RequestId>{}</RequestId></ErrorResponse>",
            escape(message),
            uuid::Uuid::new_v4()
        ),
    )
}

/// A signature failure in STS's words (IAM's are the same).
pub(super) fn refused(f: Failure) -> Response {
    let code = match f.error_type {
        Some("UnrecognizedClientException") => "InvalidClientTokenId",
        Some("InvalidSignatureException") => "SignatureDoesNotMatch",
        Some("MissingAuthenticationTokenException") => "MissingAuthenticationToken",
        Some("IncompleteSignatureException") => "IncompleteSignature",
        Some("ExpiredTokenException") => "ExpiredToken",
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
    error(f.status, code, &message)
}

/// STS GetCallerIdentity for the gateway's keys and the sessions it issued (signed for `sts`),
/// so `whoami` and the workbench's identity work against the local gateway.
pub(super) fn caller_identity(cfg: &MockConfig, req: &Incoming) -> Response {
    match crate::mock::verify::verify_for(cfg, req, SystemTime::now(), "sts") {
        Ok(v) => {
            let key = access_key_of(req);
            let user_id = match key.strip_prefix("ASIA") {
                Some(id) => format!("AROA{id}:{}", v.principal.rsplit('/').next().unwrap_or("")),
                None => format!("AIDA{}", key.trim_start_matches("AKIA")),
            };
            xml(
                200,
                format!(
                    "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
                     <GetCallerIdentityResult><Arn>{}</Arn><UserId>{}</UserId><Account>{}</Account>\
                     </GetCallerIdentityResult></GetCallerIdentityResponse>",
                    escape(&v.principal),
                    escape(&user_id),
                    cfg.account
                ),
            )
        }
        Err(f) => refused(f),
    }
}

/// The access key id of the request's `Authorization` header.
fn access_key_of(req: &Incoming) -> String {
    req.headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("authorization"))
        .and_then(|(_, v)| v.split("Credential=").nth(1))
        .and_then(|c| c.split('/').next())
        .unwrap_or_default()
        .to_string()
}

/// STS AssumeRole into the demo roles: the caller must be one of the gateway's identities in
/// its account, and meet the role's trust conditions.
pub(super) fn assume_role(cfg: &MockConfig, req: &Incoming) -> Response {
    let caller = match crate::mock::verify::verify_for(cfg, req, SystemTime::now(), "sts") {
        Ok(v) => v.principal,
        Err(f) => return refused(f),
    };
    let form = form(req.body);
    let role_arn = param(&form, "RoleArn").unwrap_or_default();
    let session = param(&form, "RoleSessionName").unwrap_or_default();
    let not_authorized = || {
        error(
            403,
            "AccessDenied",
            &format!("User: {caller} is not authorized to perform: sts:AssumeRole on resource: {role_arn}"),
        )
    };
    let valid_session = (2..=64).contains(&session.len())
        && session
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c));
    if !valid_session {
        return error(
            400,
            "ValidationError",
            &format!("1 validation error detected: Value '{session}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*"),
        );
    }
    let prefix = format!("arn:aws:iam::{}:role/", cfg.account);
    let Some(role) = role_arn.strip_prefix(&prefix).and_then(demo_role) else {
        return not_authorized();
    };
    if role.external_id.is_some() && param(&form, "ExternalId") != role.external_id {
        return not_authorized();
    }
    if role.requires_mfa {
        match (param(&form, "SerialNumber"), param(&form, "TokenCode")) {
            (Some(DEMO_MFA_SERIAL), Some(DEMO_MFA_CODE)) => {}
            (Some(_), Some(_)) => {
                return error(
                    403,
                    "AccessDenied",
                    "MultiFactorAuthentication failed with invalid MFA one time pass code. ",
                )
            }
            // The trust policy's aws:MultiFactorAuthPresent condition fails.
            _ => return not_authorized(),
        }
    }
    let duration: i64 = match param(&form, "DurationSeconds") {
        None => 3600,
        Some(d) => match d.parse() {
            Ok(d) if d >= 900 => d,
            _ => {
                return error(
                    400,
                    "ValidationError",
                    &format!("1 validation error detected: Value '{d}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"),
                )
            }
        },
    };
    let chained = caller.contains(":assumed-role/");
    if chained && duration > 3600 {
        return error(
            400,
            "ValidationError",
            "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
        );
    }
    if duration > role.max_duration {
        return error(
            400,
            "ValidationError",
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
        );
    }
    let expires = SystemTime::now() + Duration::from_secs(duration as u64);
    let principal = format!(
        "arn:aws:sts::{}:assumed-role/{}/{session}",
        cfg.account, role.name
    );
    let key = issue_session(&principal, expires);
    let role_id = format!(
        "AROA{}",
        &crate::sign::canonical::sha256_hex(role_arn.as_bytes())[..16].to_ascii_uppercase()
    );
    xml(
        200,
        format!(
            "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult>\
             <AssumedRoleUser><AssumedRoleId>{role_id}:{session}</AssumedRoleId><Arn>{}</Arn></AssumedRoleUser>\
             <Credentials><AccessKeyId>{}</AccessKeyId><SecretAccessKey>{}</SecretAccessKey>\
             <SessionToken>{}</SessionToken><Expiration>{}</Expiration></Credentials>\
             </AssumeRoleResult><ResponseMetadata><RequestId>{}</RequestId></ResponseMetadata>\
             </AssumeRoleResponse>",
            escape(&principal),
            key.access_key_id,
            escape(&key.secret_access_key),
            escape(key.session_token.as_deref().unwrap_or_default()),
            crate::aws::files::utc_z(expires),
            uuid::Uuid::new_v4()
        ),
    )
}
