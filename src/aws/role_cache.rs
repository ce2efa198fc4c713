//! Assumed-role credentials cached the way the AWS CLI caches them: one file per AssumeRole
//! request in `~/.aws/cli/cache`, named by botocore's `AssumeRoleCredentialFetcher` cache key
//! and holding the AssumeRole response as botocore serializes it, so a role assumed (and an
//! MFA code typed) in either tool is reused by the other until it expires.

use super::config::RoleLink;
use super::credentials::{Credentials, Secret};
use super::files::{cli_cache_dir, parse_time, utc_z, write_private};
use super::pyjson::{dumps, sha1_hex};
use serde_json::{json, Map, Value};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// How long before their expiry cached credentials stop being used. botocore uses 15 minutes
/// (then prompts again for MFA); we use 5, the buffer aws-config refreshes SSO tokens with,
/// so a one-hour MFA session lasts 55 minutes here and 45 in the AWS CLI.
pub const EXPIRY_WINDOW: Duration = Duration::from_secs(5 * 60);

/// botocore's `_create_cache_key`: SHA-1 of `json.dumps(assume_kwargs, sort_keys=True)`, where
/// the kwargs are what the profile sets (RoleArn, RoleSessionName when the user named the
/// session, ExternalId, SerialNumber, DurationSeconds as a number) and never the MFA code.
pub fn cache_key(link: &RoleLink) -> String {
    let mut args = Map::new();
    if let Some(name) = &link.role_session_name {
        args.insert("RoleSessionName".into(), json!(name));
    }
    if let Some(id) = &link.external_id {
        args.insert("ExternalId".into(), json!(id));
    }
    if let Some(serial) = &link.mfa_serial {
        args.insert("SerialNumber".into(), json!(serial));
    }
    if let Some(d) = link.duration_seconds {
        args.insert("DurationSeconds".into(), json!(d));
    }
    args.insert("RoleArn".into(), json!(link.role_arn));
    // `_make_file_safe` replaces ':' and '/', which a hex digest never has.
    sha1_hex(&dumps(&Value::Object(args), true))
}

pub fn cache_path(home: &Path, link: &RoleLink) -> PathBuf {
    cli_cache_dir(home).join(format!("{}.json", cache_key(link)))
}

/// Credentials from a cache file, whoever wrote it, if it is readable and still has more
/// than `EXPIRY_WINDOW` to live at `now`.
pub fn read(path: &Path, now: SystemTime, source: &str) -> Option<Credentials> {
    let text = std::fs::read_to_string(path).ok()?;
    let value: Value = serde_json::from_str(&text).ok()?;
    let c = value.get("Credentials")?;
    let expiry = parse_time(c.get("Expiration")?.as_str()?)?;
    if expiry < now + EXPIRY_WINDOW {
        return None;
    }
    Some(Credentials {
        access_key_id: c.get("AccessKeyId")?.as_str()?.to_string(),
        secret_access_key: Secret::new(c.get("SecretAccessKey")?.as_str()?),
        session_token: c
            .get("SessionToken")
            .and_then(Value::as_str)
            .map(Secret::new),
        expiry: Some(expiry),
        source: source.to_string(),
    })
}

/// What AssumeRole answered, as much as the cache keeps.
pub struct Assumed<'a> {
    pub credentials: &'a Credentials,
    pub expiration: SystemTime,
    pub assumed_role_id: &'a str,
    pub arn: &'a str,
}

/// Writes the response the way the AWS CLI does: `{"Credentials": {..., "Expiration",
/// "AccountId"}, "AssumedRoleUser": {...}}`, members in the API's order. The AWS CLI leaves
/// timestamps as STS sent them (`2026-11-29T19:05:17Z`), so that is the form written here;
/// botocore used as a library writes `...UTC` instead, and both read either. Its
/// `ResponseMetadata` (request id, HTTP headers) is left out: no reader uses it.
pub fn write(path: &Path, assumed: &Assumed) -> std::io::Result<()> {
    let c = assumed.credentials;
    let mut credentials = Map::new();
    credentials.insert("AccessKeyId".into(), json!(c.access_key_id));
    credentials.insert(
        "SecretAccessKey".into(),
        json!(c.secret_access_key.expose()),
    );
    if let Some(t) = &c.session_token {
        credentials.insert("SessionToken".into(), json!(t.expose()));
    }
    credentials.insert("Expiration".into(), json!(utc_z(assumed.expiration)));
    // botocore adds the account from the assumed-role ARN.
    if let Some(account) = assumed.arn.split(':').nth(4).filter(|a| !a.is_empty()) {
        credentials.insert("AccountId".into(), json!(account));
    }
    let mut user = Map::new();
    user.insert("AssumedRoleId".into(), json!(assumed.assumed_role_id));
    user.insert("Arn".into(), json!(assumed.arn));
    let mut root = Map::new();
    root.insert("Credentials".into(), Value::Object(credentials));
    root.insert("AssumedRoleUser".into(), Value::Object(user));
    write_private(path, &dumps(&Value::Object(root), false))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::config::RoleSource;

    fn link() -> RoleLink {
        RoleLink {
            profile: "admin".into(),
            role_arn: "arn:aws:iam::123456789012:role/demo-mfa".into(),
            source: RoleSource::Profile("base".into()),
            mfa_serial: None,
            external_id: None,
            role_session_name: None,
            duration_seconds: None,
        }
    }

    /// The keys botocore 1.44's AssumeRoleCredentialFetcher computes for the same settings.
    #[test]
    fn keys_match_botocore() {
        assert_eq!(
            cache_key(&link()),
            "a1bcb870b88beca95bf00f507683a2bd8b0ba525"
        );
        let full = RoleLink {
            mfa_serial: Some("arn:aws:iam::123456789012:mfa/demo".into()),
            duration_seconds: Some(3600),
            external_id: Some("ext-é\"\\/".into()),
            role_session_name: Some("me".into()),
            ..link()
        };
        assert_eq!(cache_key(&full), "dacf120c7b576354336da689bf1e8c4414813ede");
    }

    #[test]
    fn written_files_read_back_until_the_window() {
        let dir = tempfile::tempdir().unwrap();
        let path = cache_path(dir.path(), &link());
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_000_000);
        let creds = Credentials::new("ASIAEXAMPLE123456789", "secret", Some("token"), "t");
        let assumed = Assumed {
            credentials: &creds,
            expiration: now + Duration::from_secs(3600),
            assumed_role_id: "AROAEXAMPLE:s",
            arn: "arn:aws:sts::123456789012:assumed-role/demo-mfa/s",
        };
        write(&path, &assumed).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with(r#"{"Credentials": {"AccessKeyId": "ASIAEXAMPLE123456789", "SecretAccessKey": "secret", "SessionToken": "token", "Expiration": "2026-11-18T12:06:40Z", "AccountId": "123456789012"}"#),
            "{text}"
        );
        let back = read(&path, now, "cache").unwrap();
        assert_eq!(back.access_key_id, "ASIAEXAMPLE123456789");
        assert_eq!(back.session_token.unwrap().expose(), "token");
        assert_eq!(back.expiry, Some(now + Duration::from_secs(3600)));
        // Inside the last five minutes the cache is not used.
        assert!(read(&path, now + Duration::from_secs(3301), "cache").is_none());
        assert!(read(&path, now + Duration::from_secs(3299), "cache").is_some());
    }
}
