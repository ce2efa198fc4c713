//! The SSO token cache shared with the AWS CLI and the SDKs: `~/.aws/sso/cache/<sha1>.json`,
//! named by the SHA-1 of the session name (or the start URL for the legacy shape), with the
//! AWS CLI's field names and `%Y-%m-%dT%H:%M:%SZ` times, written 0600; and the client
//! registration cached beside it the way the AWS CLI's device flow caches its own.

use crate::aws::config::SsoConfig;
use crate::aws::credentials::Secret;
use crate::aws::files::{parse_time, sso_cache_dir, utc_z, write_private};
use crate::aws::pyjson::{dumps, sha1_hex};
use serde_json::{json, Map, Value};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// botocore refreshes a token, and the AWS CLI logs in again, when less than this is left.
pub const REFRESH_WINDOW: Duration = Duration::from_secs(15 * 60);

/// A cached token as the AWS CLI writes it.
#[derive(Debug, Clone)]
pub struct SsoToken {
    pub start_url: Option<String>,
    pub region: Option<String>,
    pub access_token: Secret,
    pub expires_at: SystemTime,
    pub client_id: Option<String>,
    pub client_secret: Option<Secret>,
    /// Kept as written: botocore copies it from file to file without reparsing.
    pub registration_expires_at: Option<String>,
    pub refresh_token: Option<Secret>,
}

impl SsoToken {
    /// The registration can still mint a new token from the refresh token at `now`.
    pub fn refreshable(&self, now: SystemTime) -> bool {
        self.client_id.is_some()
            && self.client_secret.is_some()
            && self.refresh_token.is_some()
            && self
                .registration_expires_at
                .as_deref()
                .and_then(parse_time)
                .is_some_and(|t| t > now)
    }

    /// The JSON the AWS CLI writes (its keys, its order, Python's separators).
    pub fn to_json(&self) -> String {
        let mut m = Map::new();
        if let Some(u) = &self.start_url {
            m.insert("startUrl".into(), json!(u));
        }
        if let Some(r) = &self.region {
            m.insert("region".into(), json!(r));
        }
        m.insert("accessToken".into(), json!(self.access_token.expose()));
        m.insert("expiresAt".into(), json!(utc_z(self.expires_at)));
        if let Some(id) = &self.client_id {
            m.insert("clientId".into(), json!(id));
        }
        if let Some(s) = &self.client_secret {
            m.insert("clientSecret".into(), json!(s.expose()));
        }
        if let Some(t) = &self.registration_expires_at {
            m.insert("registrationExpiresAt".into(), json!(t));
        }
        if let Some(t) = &self.refresh_token {
            m.insert("refreshToken".into(), json!(t.expose()));
        }
        dumps(&Value::Object(m), false)
    }

    fn from_json(v: &Value) -> Result<Self, String> {
        let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        let access_token = text("accessToken").ok_or("it has no accessToken")?;
        let expires = text("expiresAt").ok_or("it has no expiresAt")?;
        let expires_at =
            parse_time(&expires).ok_or_else(|| format!("expiresAt '{expires}' is not a time"))?;
        Ok(Self {
            start_url: text("startUrl"),
            region: text("region"),
            access_token: Secret::new(access_token),
            expires_at,
            client_id: text("clientId"),
            client_secret: text("clientSecret").map(Secret::new),
            registration_expires_at: text("registrationExpiresAt"),
            refresh_token: text("refreshToken").map(Secret::new),
        })
    }
}

/// `~/.aws/sso/cache/<sha1(session name or start URL)>.json`.
pub fn token_path(home: &Path, sso: &SsoConfig) -> PathBuf {
    sso_cache_dir(home).join(format!("{}.json", sha1_hex(sso.cache_id())))
}

/// The token, if the file exists; an error names the file and what is wrong with it.
pub fn read_token(path: &Path) -> Result<Option<SsoToken>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let value: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: not JSON ({e})", path.display()))?;
    SsoToken::from_json(&value)
        .map(Some)
        .map_err(|e| format!("{}: {e}", path.display()))
}

pub fn write_token(path: &Path, token: &SsoToken) -> std::io::Result<()> {
    write_private(path, &token.to_json())
}

/// Where a session's token stands, without the network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenState {
    Missing,
    Valid {
        until: SystemTime,
    },
    /// Expired (or about to): usable after a refresh when `refreshable`.
    Expiring {
        at: SystemTime,
        refreshable: bool,
    },
    Unreadable(String),
}

pub fn token_state(home: &Path, sso: &SsoConfig, now: SystemTime) -> TokenState {
    match read_token(&token_path(home, sso)) {
        Err(e) => TokenState::Unreadable(e),
        Ok(None) => TokenState::Missing,
        Ok(Some(t)) if t.expires_at > now + REFRESH_WINDOW => TokenState::Valid {
            until: t.expires_at,
        },
        // Legacy tokens (no refresh) stay usable to the end, as in botocore.
        Ok(Some(t)) if t.expires_at > now && !t.refreshable(now) => TokenState::Valid {
            until: t.expires_at,
        },
        Ok(Some(t)) => TokenState::Expiring {
            at: t.expires_at,
            refreshable: t.refreshable(now),
        },
    }
}

/// A client registration (RegisterClient's answer), cached for reuse.
#[derive(Debug, Clone)]
pub struct Registration {
    pub client_id: String,
    pub client_secret: Secret,
    pub expires_at: SystemTime,
    pub scopes: Option<Vec<String>>,
}

/// The AWS CLI's registration key with our own tool name: our registrations (named
/// `sigscope-client-...`) are ours, while the token file they produce is shared.
pub fn registration_path(home: &Path, sso: &SsoConfig) -> PathBuf {
    let args = json!({
        "tool": "sigscope",
        "startUrl": sso.start_url,
        "region": sso.region,
        "scopes": sso.scopes,
        "session_name": sso.session_name,
    });
    sso_cache_dir(home).join(format!("{}.json", sha1_hex(&dumps(&args, true))))
}

/// A cached registration with more than the refresh window to live.
pub fn read_registration(path: &Path, now: SystemTime) -> Option<Registration> {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    let expires_at = parse_time(v.get("expiresAt")?.as_str()?)?;
    if expires_at < now + REFRESH_WINDOW {
        return None;
    }
    Some(Registration {
        client_id: v.get("clientId")?.as_str()?.to_string(),
        client_secret: Secret::new(v.get("clientSecret")?.as_str()?),
        expires_at,
        scopes: v
            .get("scopes")
            .and_then(|s| serde_json::from_value(s.clone()).ok()),
    })
}

pub fn write_registration(path: &Path, r: &Registration) -> std::io::Result<()> {
    let mut m = Map::new();
    m.insert("clientId".into(), json!(r.client_id));
    m.insert("clientSecret".into(), json!(r.client_secret.expose()));
    m.insert("expiresAt".into(), json!(utc_z(r.expires_at)));
    if let Some(s) = &r.scopes {
        m.insert("scopes".into(), json!(s));
    }
    write_private(path, &dumps(&Value::Object(m), false))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sso(session: Option<&str>) -> SsoConfig {
        SsoConfig {
            session_name: session.map(str::to_string),
            start_url: "https://demo.awsapps.com/start".into(),
            region: "us-east-1".into(),
            scopes: session.map(|_| vec!["sso:account:access".into()]),
            account_id: Some("123456789012".into()),
            role_name: Some("DemoReadOnly".into()),
        }
    }

    #[test]
    fn file_names_follow_the_session_or_the_start_url() {
        let home = Path::new("/h");
        assert_eq!(
            token_path(home, &sso(Some("corp"))),
            Path::new("/h/.aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json")
        );
        assert_eq!(
            token_path(home, &sso(None)),
            sso_cache_dir(home).join(format!(
                "{}.json",
                sha1_hex("https://demo.awsapps.com/start")
            ))
        );
        // json.dumps({...'tool': 'sigscope'...}, sort_keys=True), hashed by CPython.
        assert_eq!(
            registration_path(home, &sso(Some("corp"))),
            Path::new("/h/.aws/sso/cache/bd91ef274f3675eb70a4e18cf04f704499191ce4.json")
        );
    }

    #[test]
    fn tokens_round_trip_in_the_aws_cli_shape_and_expire_by_state() {
        let dir = tempfile::tempdir().unwrap();
        let s = sso(Some("corp"));
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_000_000);
        assert_eq!(token_state(dir.path(), &s, now), TokenState::Missing);
        let token = SsoToken {
            start_url: Some(s.start_url.clone()),
            region: Some("us-east-1".into()),
            access_token: Secret::new("aoa-token"),
            expires_at: now + Duration::from_secs(3600),
            client_id: Some("cid".into()),
            client_secret: Some(Secret::new("csecret")),
            registration_expires_at: Some("2027-02-27T08:26:40Z".into()),
            refresh_token: Some(Secret::new("aor-refresh")),
        };
        write_token(&token_path(dir.path(), &s), &token).unwrap();
        let text = std::fs::read_to_string(token_path(dir.path(), &s)).unwrap();
        assert_eq!(
            text,
            r#"{"startUrl": "https://demo.awsapps.com/start", "region": "us-east-1", "accessToken": "aoa-token", "expiresAt": "2026-11-18T12:06:40Z", "clientId": "cid", "clientSecret": "csecret", "registrationExpiresAt": "2027-02-27T08:26:40Z", "refreshToken": "aor-refresh"}"#
        );
        assert_eq!(
            token_state(dir.path(), &s, now),
            TokenState::Valid {
                until: now + Duration::from_secs(3600)
            }
        );
        let later = now + Duration::from_secs(3000);
        assert_eq!(
            token_state(dir.path(), &s, later),
            TokenState::Expiring {
                at: now + Duration::from_secs(3600),
                refreshable: true
            }
        );
        std::fs::write(token_path(dir.path(), &s), "{\"accessToken\": 1}").unwrap();
        assert!(matches!(
            token_state(dir.path(), &s, now),
            TokenState::Unreadable(e) if e.contains("no accessToken")
        ));
    }
}
