//! The shared config and credentials files read as botocore reads them: profiles from both
//! files (the credentials file winning key by key), `[sso-session NAME]` sections, and what a
//! profile says about SSO and roles. Values include secrets, in memory only: `Debug` lists
//! names, never values.

use super::profiles::AwsFiles;
use std::collections::BTreeMap;

/// One section: key (lower-cased, as configparser does) → value.
pub type Section = BTreeMap<String, String>;

/// Sections of an INI file in order; indented lines (nested `s3 =` blocks) are skipped.
pub(crate) fn parse_ini(text: &str) -> Vec<(String, Section)> {
    let mut out: Vec<(String, Section)> = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if trimmed.starts_with('[') && trimmed.ends_with(']') {
            out.push((
                trimmed[1..trimmed.len() - 1].trim().to_string(),
                Section::new(),
            ));
            continue;
        }
        if line.starts_with(' ') || line.starts_with('\t') {
            continue;
        }
        if let (Some((_, section)), Some((k, v))) = (out.last_mut(), trimmed.split_once('=')) {
            section.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    out
}

/// Both files, merged.
#[derive(Clone, Default)]
pub struct AwsConfig {
    pub files: Option<AwsFiles>,
    profiles: BTreeMap<String, Section>,
    sso_sessions: BTreeMap<String, Section>,
}

impl std::fmt::Debug for AwsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AwsConfig")
            .field("profiles", &self.profiles.keys().collect::<Vec<_>>())
            .field(
                "sso_sessions",
                &self.sso_sessions.keys().collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl AwsConfig {
    /// The files named by `AWS_CONFIG_FILE` / `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/`.
    pub fn from_env() -> Self {
        Self::load(&AwsFiles::from_env())
    }

    /// Missing files are empty, as for the AWS CLI.
    pub fn load(files: &AwsFiles) -> Self {
        let config = std::fs::read_to_string(&files.config).unwrap_or_default();
        let credentials = std::fs::read_to_string(&files.credentials).unwrap_or_default();
        let mut parsed = Self::parse(&config, &credentials);
        parsed.files = Some(files.clone());
        parsed
    }

    /// From the two files' texts.
    pub fn parse(config: &str, credentials: &str) -> Self {
        let mut out = Self::default();
        for (section, values) in parse_ini(config) {
            let mut words = section.split_whitespace();
            let (first, rest) = (words.next().unwrap_or_default(), words.next());
            match (first, rest) {
                ("default", None) => out.merge_profile("default", values),
                ("profile", Some(name)) => out.merge_profile(name, values),
                ("sso-session", Some(name)) => {
                    out.sso_sessions
                        .entry(name.to_string())
                        .or_default()
                        .extend(values);
                }
                _ => {}
            }
        }
        for (section, values) in parse_ini(credentials) {
            out.merge_profile(&section, values);
        }
        out
    }

    fn merge_profile(&mut self, name: &str, values: Section) {
        self.profiles
            .entry(name.to_string())
            .or_default()
            .extend(values);
    }

    pub fn profile(&self, name: &str) -> Option<&Section> {
        self.profiles.get(name)
    }

    pub fn profile_names(&self) -> impl Iterator<Item = &str> {
        self.profiles.keys().map(String::as_str)
    }

    pub fn sso_session(&self, name: &str) -> Option<&Section> {
        self.sso_sessions.get(name)
    }

    /// Where the profiles come from, for messages.
    pub fn config_path(&self) -> String {
        self.files
            .as_ref()
            .map(|f| f.config.display().to_string())
            .unwrap_or_else(|| "the AWS config file".into())
    }
}

/// Whether a section holds keys (botocore: either key present).
pub fn has_static_keys(s: &Section) -> bool {
    s.contains_key("aws_access_key_id") || s.contains_key("aws_secret_access_key")
}

/// Whether a section assumes a role (not with a web identity token, which aws-config does).
pub fn assumes_role(s: &Section) -> bool {
    s.contains_key("role_arn") && !s.contains_key("web_identity_token_file")
}

/// Whether a section signs in through IAM Identity Center.
pub fn uses_sso(s: &Section) -> bool {
    s.contains_key("sso_session") || s.contains_key("sso_start_url")
}

/// An IAM Identity Center set-up: an `sso_session` section, or the legacy per-profile keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoConfig {
    /// `sso_session = NAME`; `None` for the legacy shape.
    pub session_name: Option<String>,
    pub start_url: String,
    pub region: String,
    /// `sso_registration_scopes`, split on commas (only sessions have them).
    pub scopes: Option<Vec<String>>,
    pub account_id: Option<String>,
    pub role_name: Option<String>,
}

impl SsoConfig {
    /// What the token cache file is named after: the session name, else the start URL.
    pub fn cache_id(&self) -> &str {
        self.session_name.as_deref().unwrap_or(&self.start_url)
    }

    /// `sso-session corp (https://corp.awsapps.com/start)`, for messages.
    pub fn describe(&self) -> String {
        match &self.session_name {
            Some(name) => format!("sso-session {name} ({})", self.start_url),
            None => self.start_url.clone(),
        }
    }
}

/// `sso_registration_scopes = a, b,` → `[a, b]`, as the AWS CLI parses it.
pub fn parse_scopes(raw: &str) -> Vec<String> {
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Where a role's source credentials come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoleSource {
    Profile(String),
    Environment,
    Ec2InstanceMetadata,
    EcsContainer,
}

/// One `role_arn` link of a chain, with what AssumeRole is called with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleLink {
    /// The profile this link is written in.
    pub profile: String,
    pub role_arn: String,
    pub source: RoleSource,
    pub mfa_serial: Option<String>,
    pub external_id: Option<String>,
    pub role_session_name: Option<String>,
    /// `duration_seconds`, when it is an integer (botocore ignores it otherwise).
    pub duration_seconds: Option<i64>,
}
