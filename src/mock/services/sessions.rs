//! What the gateway issues and later checks: temporary credentials (STS AssumeRole, the SSO
//! portal), SSO access and refresh tokens, OIDC client registrations, and its demo
//! identities (roles, the MFA device, the SSO user and what it may sign in to).
//!
//! Nothing issued is remembered: each value carries its claims and a MAC under a fixed key,
//! so the gateway checks it statelessly, and what one demo run cached still works in the
//! next. The key is public (this is a local mock, not a security boundary).

use crate::mock::MockKey;
use base64::Engine;
use serde_json::{json, Value};
use std::time::{Duration, SystemTime};

const MAC_KEY: &str = "sigscope local gateway: not a secret";

/// The demo's virtual MFA device and the one code it accepts.
pub const DEMO_MFA_SERIAL: &str = "arn:aws:iam::123456789012:mfa/demo";
pub const DEMO_MFA_CODE: &str = "123456";
/// The external id `demo-partner` requires.
pub const DEMO_EXTERNAL_ID: &str = "sigscope-demo";
/// The IAM Identity Center user every approved device login signs in as.
pub const DEMO_SSO_USER: &str = "demo-user";
/// The permission sets the demo user has in the demo account.
pub const DEMO_SSO_ROLES: [&str; 2] = ["DemoReadOnly", "DemoAdmin"];

/// A role the demo account has, with what its trust policy requires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoRole {
    pub name: &'static str,
    pub requires_mfa: bool,
    pub external_id: Option<&'static str>,
    /// MaxSessionDuration, seconds.
    pub max_duration: i64,
}

/// The roles `arn:aws:iam::<account>:role/<name>` the gateway lets its identities assume.
pub fn demo_role(name: &str) -> Option<DemoRole> {
    let role = |name, requires_mfa, external_id, max_duration| DemoRole {
        name,
        requires_mfa,
        external_id,
        max_duration,
    };
    match name {
        "demo-readonly" => Some(role("demo-readonly", false, None, 3600)),
        "demo-mfa" => Some(role("demo-mfa", true, None, 43200)),
        "demo-partner" => Some(role("demo-partner", false, Some(DEMO_EXTERNAL_ID), 3600)),
        _ => None,
    }
}

fn mac(data: &str) -> String {
    crate::sign::canonical::sha256_hex(format!("{MAC_KEY}\n{data}").as_bytes())
}

fn b64(s: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s)
}

fn unix(t: SystemTime) -> u64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs()
}

/// `prefix` + base64url(claims) + "." + MAC.
pub fn seal(prefix: &str, claims: &Value) -> String {
    let body = b64(&claims.to_string());
    format!("{prefix}{body}.{}", mac(&format!("{prefix}{body}")))
}

/// The claims of a sealed value with this prefix, if its MAC holds.
pub fn open(prefix: &str, sealed: &str) -> Option<Value> {
    let rest = sealed.strip_prefix(prefix)?;
    let (body, tag) = rest.rsplit_once('.')?;
    if mac(&format!("{prefix}{body}")) != tag {
        return None;
    }
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(body)
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Whether sealed claims are past their `exp` (unix seconds) at `now`.
pub fn expired(claims: &Value, now: SystemTime) -> bool {
    claims["exp"].as_u64().is_none_or(|e| e <= unix(now))
}

/// Temporary credentials for `principal`, valid until `expires`.
pub fn issue_session(principal: &str, expires: SystemTime) -> MockKey {
    let id: String = uuid::Uuid::new_v4()
        .simple()
        .to_string()
        .to_ascii_uppercase()
        .chars()
        .take(16)
        .collect();
    let access_key_id = format!("ASIA{id}");
    let token = seal(
        "sgs1.",
        &json!({"key": access_key_id, "principal": principal, "exp": unix(expires)}),
    );
    MockKey {
        secret_access_key: session_secret(&access_key_id),
        access_key_id,
        principal: principal.to_string(),
        session_token: Some(token),
    }
}

fn session_secret(access_key_id: &str) -> String {
    let digest = mac(&format!("secret {access_key_id}"));
    base64::engine::general_purpose::STANDARD
        .encode(hex::decode(digest).unwrap_or_default())
        .chars()
        .take(40)
        .collect()
}

/// What a (key id, session token) pair is to the gateway.
#[derive(Debug, Clone)]
pub enum SessionLookup {
    /// Not a session it issued (or a token that doesn't belong to the key).
    Unknown,
    Expired,
    Valid(MockKey),
}

pub fn lookup(access_key_id: &str, token: Option<&str>, now: SystemTime) -> SessionLookup {
    let Some(claims) = token.and_then(|t| open("sgs1.", t)) else {
        return SessionLookup::Unknown;
    };
    if claims["key"].as_str() != Some(access_key_id) {
        return SessionLookup::Unknown;
    }
    if expired(&claims, now) {
        return SessionLookup::Expired;
    }
    SessionLookup::Valid(MockKey {
        access_key_id: access_key_id.to_string(),
        secret_access_key: session_secret(access_key_id),
        principal: claims["principal"].as_str().unwrap_or_default().to_string(),
        session_token: token.map(str::to_string),
    })
}

/// How long what the gateway issues lasts.
pub const ACCESS_TOKEN_LIFETIME: Duration = Duration::from_secs(8 * 3600);
pub const REFRESH_TOKEN_LIFETIME: Duration = Duration::from_secs(90 * 24 * 3600);
pub const REGISTRATION_LIFETIME: Duration = Duration::from_secs(90 * 24 * 3600);
pub const ROLE_CREDENTIALS_LIFETIME: Duration = Duration::from_secs(3600);

pub fn claims_exp(now: SystemTime, lifetime: Duration) -> u64 {
    unix(now + lifetime)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_check_without_state_and_expire() {
        let now = SystemTime::now();
        let key = issue_session(
            "arn:aws:sts::123456789012:assumed-role/r/s",
            now + Duration::from_secs(60),
        );
        assert!(key.access_key_id.starts_with("ASIA") && key.access_key_id.len() == 20);
        assert_eq!(key.secret_access_key.len(), 40);
        let token = key.session_token.as_deref();
        assert!(matches!(
            lookup(&key.access_key_id, token, now),
            SessionLookup::Valid(k) if k.secret_access_key == key.secret_access_key
                && k.principal == key.principal
        ));
        assert!(matches!(
            lookup(&key.access_key_id, token, now + Duration::from_secs(61)),
            SessionLookup::Expired
        ));
        let unknown =
            |id: &str, t: Option<&str>| matches!(lookup(id, t, now), SessionLookup::Unknown);
        assert!(unknown("ASIAOTHEREXAMPLE0000", token));
        let forged = token.unwrap().replace("sgs1.", "sgs1.x");
        assert!(unknown(&key.access_key_id, Some(&forged)));
        assert!(unknown(&key.access_key_id, None));
    }
}
