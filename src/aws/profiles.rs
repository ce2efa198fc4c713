//! The profiles in `~/.aws/config` and `~/.aws/credentials`, listed the way the AWS CLI reads
//! them (honouring `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE`).

use super::config::AwsConfig;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// How a profile gets its credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProfileKind {
    Static,
    Sso,
    AssumeRole,
    Process,
    WebIdentity,
    /// Settings only (region, output...), no credentials of its own.
    ConfigOnly,
}

impl std::fmt::Display for ProfileKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ProfileKind::Static => "static",
            ProfileKind::Sso => "sso",
            ProfileKind::AssumeRole => "assume-role",
            ProfileKind::Process => "process",
            ProfileKind::WebIdentity => "web-identity",
            ProfileKind::ConfigOnly => "config-only",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Profile {
    pub name: String,
    pub kind: ProfileKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Settings without secret values (keys and tokens are never kept here).
    #[serde(skip)]
    pub settings: BTreeMap<String, String>,
}

/// Where the two files are.
#[derive(Debug, Clone)]
pub struct AwsFiles {
    pub config: PathBuf,
    pub credentials: PathBuf,
}

impl AwsFiles {
    pub fn from_env() -> Self {
        let home = std::env::var_os("HOME")
            .map(PathBuf::from)
            .or_else(|| directories::BaseDirs::new().map(|b| b.home_dir().to_path_buf()))
            .unwrap_or_default();
        let config = std::env::var_os("AWS_CONFIG_FILE")
            .map(PathBuf::from)
            .unwrap_or_else(|| home.join(".aws").join("config"));
        let credentials = std::env::var_os("AWS_SHARED_CREDENTIALS_FILE")
            .map(PathBuf::from)
            .unwrap_or_else(|| home.join(".aws").join("credentials"));
        Self {
            config,
            credentials,
        }
    }
}

const SECRET_KEYS: [&str; 2] = ["aws_secret_access_key", "aws_session_token"];

/// All profiles, merged from both files, sorted by name.
pub fn list_profiles(files: &AwsFiles) -> Vec<Profile> {
    let config = AwsConfig::load(files);
    config
        .profile_names()
        .map(|name| {
            let mut settings = config.profile(name).cloned().unwrap_or_default();
            let kind = kind_of(&settings);
            for key in SECRET_KEYS {
                if settings.contains_key(key) {
                    settings.insert(key.to_string(), "<set>".into());
                }
            }
            Profile {
                name: name.to_string(),
                kind,
                region: settings.get("region").cloned(),
                settings,
            }
        })
        .collect()
}

fn kind_of(s: &BTreeMap<String, String>) -> ProfileKind {
    if s.contains_key("sso_session") || s.contains_key("sso_start_url") {
        ProfileKind::Sso
    } else if s.contains_key("role_arn") && s.contains_key("web_identity_token_file") {
        ProfileKind::WebIdentity
    } else if s.contains_key("role_arn") {
        ProfileKind::AssumeRole
    } else if s.contains_key("credential_process") {
        ProfileKind::Process
    } else if s.contains_key("aws_access_key_id") {
        ProfileKind::Static
    } else {
        ProfileKind::ConfigOnly
    }
}

/// The static keys of a profile, read directly (no provider chain) when the profile has
/// nothing but keys: the fast path that keeps `sigscope send --profile X` lean.
pub fn static_keys(files: &AwsFiles, name: &str) -> Option<(String, String, Option<String>)> {
    let config = AwsConfig::load(files);
    let values = config.profile(name)?;
    if kind_of(values) != ProfileKind::Static {
        return None;
    }
    Some((
        values.get("aws_access_key_id")?.clone(),
        values.get("aws_secret_access_key")?.clone(),
        values.get("aws_session_token").cloned(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(config: &str, credentials: &str) -> (tempfile::TempDir, AwsFiles) {
        let dir = tempfile::tempdir().unwrap();
        let files = AwsFiles {
            config: dir.path().join("config"),
            credentials: dir.path().join("credentials"),
        };
        std::fs::write(&files.config, config).unwrap();
        std::fs::write(&files.credentials, credentials).unwrap();
        (dir, files)
    }

    #[test]
    fn kinds_and_regions_from_both_files() {
        let (_dir, files) = files(
            "[default]\nregion = eu-west-1\n\n[profile dev]\nsso_session = corp\nsso_account_id = 1\n\
             [sso-session corp]\nsso_start_url = https://x\n[profile admin]\nrole_arn = arn:aws:iam::1:role/a\n\
             source_profile = default\nregion=us-west-2\n[profile proc]\ncredential_process = /bin/echo\n\
             [profile ci]\nrole_arn = arn:aws:iam::1:role/ci\nweb_identity_token_file = /t\n\
             [profile nested]\ns3 =\n  max_concurrent_requests = 2\n",
            "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = x\n",
        );
        let profiles = list_profiles(&files);
        let get = |n: &str| profiles.iter().find(|p| p.name == n).unwrap();
        assert_eq!(get("default").kind, ProfileKind::Static);
        assert_eq!(get("default").region.as_deref(), Some("eu-west-1"));
        assert_eq!(get("dev").kind, ProfileKind::Sso);
        assert_eq!(get("admin").kind, ProfileKind::AssumeRole);
        assert_eq!(get("admin").region.as_deref(), Some("us-west-2"));
        assert_eq!(get("proc").kind, ProfileKind::Process);
        assert_eq!(get("ci").kind, ProfileKind::WebIdentity);
        assert_eq!(get("nested").kind, ProfileKind::ConfigOnly);
        assert!(!profiles.iter().any(|p| p.name.contains("corp")));
        assert_eq!(get("default").settings["aws_secret_access_key"], "<set>");
        assert_eq!(
            static_keys(&files, "default").map(|k| k.0),
            Some("AKIAIOSFODNN7EXAMPLE".to_string())
        );
        assert_eq!(static_keys(&files, "admin"), None);
    }
}
