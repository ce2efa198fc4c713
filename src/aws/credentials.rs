//! AWS credentials, found the way the AWS CLI finds them (through aws-config), with errors
//! that say what to do. Secrets live in `Secret`, which never prints.

use super::chain::{resolve_profile, ResolveOptions};
use super::config::AwsConfig;
use super::mfa::MfaChallenge;
use super::plan::ProfileProblem;
use super::profiles::{list_profiles, static_keys, AwsFiles, ProfileKind};
use aws_credential_types::provider::ProvideCredentials;
use aws_smithy_runtime_api::client::identity::Identity;
use std::time::SystemTime;

/// A secret string: `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Self(s.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(**redacted**)")
    }
}

/// Resolved credentials.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub access_key_id: String,
    pub secret_access_key: Secret,
    pub session_token: Option<Secret>,
    pub expiry: Option<SystemTime>,
    /// Where they came from, in words (`environment`, `profile dev (sso)`...).
    pub source: String,
}

impl Credentials {
    pub fn new(access_key_id: &str, secret: &str, token: Option<&str>, source: &str) -> Self {
        Self {
            access_key_id: access_key_id.to_string(),
            secret_access_key: Secret::new(secret),
            session_token: token.map(Secret::new),
            expiry: None,
            source: source.to_string(),
        }
    }

    pub(crate) fn to_identity(&self) -> Identity {
        aws_credential_types::Credentials::new(
            &self.access_key_id,
            self.secret_access_key.expose(),
            self.session_token.as_ref().map(|t| t.expose().to_string()),
            self.expiry,
            "sigscope",
        )
        .into()
    }

    /// The access key id as shown to users.
    pub fn masked_access_key(&self) -> String {
        mask_access_key(&self.access_key_id)
    }
}

/// `AKIAIOSFODNN7EXAMPLE` → `AKIAIOSF…MPLE`: the kind (`AKIA`, `ASIA`) and enough of the
/// rest to tell two keys apart (two keys ending alike, as AWS's example keys do, show as
/// different ids), never the whole id.
pub fn mask_access_key(id: &str) -> String {
    if id.len() <= 8 || !id.is_ascii() {
        return "…".repeat(usize::from(!id.is_empty()));
    }
    // A real id has 20 characters: 12 stay hidden. A short test id shows less.
    let head = if id.len() >= 16 { 8 } else { 4 };
    [&id[..head], "…", &id[id.len() - 4..]].concat()
}

/// Where credentials come from.
#[derive(Debug, Clone)]
pub enum CredentialSpec {
    /// The AWS CLI chain, optionally for a named profile.
    Chain { profile: Option<String> },
    /// Given directly (the demo, tests): `~/.aws` is not read.
    Fixed(Credentials),
}

/// Why no credentials could be had, each with what to do.
#[derive(Debug, thiserror::Error)]
pub enum CredentialError {
    #[error(
        "profile '{name}' does not exist in {config} or {credentials}. Profiles found: {available}"
    )]
    UnknownProfile {
        name: String,
        config: String,
        credentials: String,
        available: String,
    },
    #[error("the SSO login for profile '{profile}' is missing or expired ({detail}): run `sigscope login --profile {profile}` and try again")]
    SsoLogin { profile: String, detail: String },
    #[error("profile '{}' assumes {} with MFA ({}) and has no cached credentials: run `sigscope login --profile {}` (it asks for the code) or pass --mfa-code CODE", .0.profile, .0.role_arn, .0.mfa_serial, .0.profile)]
    NeedsMfa(MfaChallenge),
    #[error("the MFA code for profile '{profile}' was refused ({detail}): codes are single-use and change every 30 seconds, try the next one")]
    MfaRejected { profile: String, detail: String },
    #[error("profile '{profile}' could not assume {role_arn}: {detail}")]
    AssumeRole {
        profile: String,
        role_arn: String,
        detail: String,
    },
    #[error("{0}")]
    Broken(ProfileProblem),
    #[error("credential_process for profile '{profile}' failed: {detail}")]
    Process { profile: String, detail: String },
    #[error("no AWS credentials found. Looked in: the environment (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY), \
             {credentials}, {config} (profile '{profile}'), web identity, ECS and EC2 instance metadata. \
             Set AWS_PROFILE, pass --profile, or export keys ({detail})")]
    NotFound {
        profile: String,
        config: String,
        credentials: String,
        detail: String,
    },
    #[error("credentials for profile '{profile}' could not be loaded: {detail}")]
    Provider { profile: String, detail: String },
}

impl CredentialError {
    /// What gets the profile working again, when a command does: an SSO login, or an MFA
    /// code (`sigscope login` asks for it). The workbench opens its dialog from this.
    pub fn remedy(&self) -> Option<Remedy> {
        match self {
            CredentialError::SsoLogin { profile, .. } => Some(Remedy::Login {
                profile: profile.clone(),
            }),
            CredentialError::NeedsMfa(challenge) => Some(Remedy::MfaCode(challenge.clone())),
            CredentialError::MfaRejected { profile, .. } => Some(Remedy::Login {
                profile: profile.clone(),
            }),
            _ => None,
        }
    }
}

/// What to do about credentials a profile can't produce yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Remedy {
    /// Log in (device flow) for the profile's SSO session.
    Login { profile: String },
    /// An MFA code for this role, then resolve again.
    MfaCode(MfaChallenge),
}

impl Remedy {
    /// The command that does it from a shell.
    pub fn command(&self) -> String {
        let profile = match self {
            Remedy::Login { profile } => profile,
            Remedy::MfaCode(c) => &c.profile,
        };
        format!("sigscope login --profile {profile}")
    }
}

/// Resolves credentials for a spec. Roles behind MFA succeed only from cached credentials;
/// `resolve_with` can ask for a code.
pub async fn resolve(spec: &CredentialSpec) -> Result<Credentials, CredentialError> {
    resolve_with(spec, &ResolveOptions::default()).await
}

/// Resolves credentials for a spec, asking `options.mfa` for MFA codes.
pub async fn resolve_with(
    spec: &CredentialSpec,
    options: &ResolveOptions,
) -> Result<Credentials, CredentialError> {
    match spec {
        CredentialSpec::Fixed(c) => Ok(c.clone()),
        CredentialSpec::Chain { profile } => resolve_chain(profile.as_deref(), options).await,
    }
}

fn env_nonempty(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

async fn resolve_chain(
    profile: Option<&str>,
    options: &ResolveOptions,
) -> Result<Credentials, CredentialError> {
    let explicit_profile = profile
        .map(str::to_string)
        .or_else(|| env_nonempty("AWS_PROFILE"));
    // The chain's first link, read directly so a command that has keys in the environment
    // does no provider set-up at all.
    if profile.is_none() {
        if let (Some(id), Some(secret)) = (
            env_nonempty("AWS_ACCESS_KEY_ID"),
            env_nonempty("AWS_SECRET_ACCESS_KEY"),
        ) {
            let token = env_nonempty("AWS_SESSION_TOKEN");
            return Ok(Credentials::new(
                &id,
                &secret,
                token.as_deref(),
                "environment",
            ));
        }
    }
    let files = AwsFiles::from_env();
    let name = explicit_profile.clone().unwrap_or_else(|| "default".into());
    let profiles = list_profiles(&files);
    let kind = profiles.iter().find(|p| p.name == name).map(|p| p.kind);
    if explicit_profile.is_some() && kind.is_none() {
        let available: Vec<&str> = profiles.iter().map(|p| p.name.as_str()).collect();
        return Err(CredentialError::UnknownProfile {
            name,
            config: files.config.display().to_string(),
            credentials: files.credentials.display().to_string(),
            available: if available.is_empty() {
                "none".into()
            } else {
                available.join(", ")
            },
        });
    }
    if kind == Some(ProfileKind::Static) {
        if let Some((id, secret, token)) = static_keys(&files, &name) {
            return Ok(Credentials::new(
                &id,
                &secret,
                token.as_deref(),
                &format!("profile {name} (static keys)"),
            ));
        }
    }
    // A profile with credentials of its own goes through our chain (MFA, the AWS CLI's
    // caches); one with settings only leaves the rest of the default chain to aws-config.
    if kind.is_some_and(|k| k != ProfileKind::ConfigOnly) {
        return resolve_profile(&AwsConfig::load(&files), &name, options).await;
    }

    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest());
    if let Some(p) = &explicit_profile {
        loader = loader.profile_name(p);
    }
    let config = loader.load().await;
    let Some(provider) = config.credentials_provider() else {
        return Err(not_found(&files, &name, "no provider".into()));
    };
    match provider.provide_credentials().await {
        Ok(c) => Ok(Credentials {
            access_key_id: c.access_key_id().to_string(),
            secret_access_key: Secret::new(c.secret_access_key()),
            session_token: c.session_token().map(Secret::new),
            expiry: c.expiry(),
            source: match kind {
                Some(k) => format!("profile {name} ({k})"),
                None => "default chain".into(),
            },
        }),
        Err(e) => {
            let detail = error_chain(&e);
            Err(match kind {
                Some(ProfileKind::Sso) => CredentialError::SsoLogin {
                    profile: name,
                    detail,
                },
                Some(ProfileKind::Process) => CredentialError::Process {
                    profile: name,
                    detail,
                },
                // Nothing named and nothing configured: the chain ran dry (IMDS answers last).
                _ if kind.is_none()
                    || matches!(
                        e,
                        aws_credential_types::provider::error::CredentialsError::CredentialsNotLoaded(
                            _
                        )
                    ) =>
                {
                    not_found(&files, &name, detail)
                }
                _ => CredentialError::Provider {
                    profile: name,
                    detail,
                },
            })
        }
    }
}

fn not_found(files: &AwsFiles, profile: &str, detail: String) -> CredentialError {
    CredentialError::NotFound {
        profile: profile.to_string(),
        config: files.config.display().to_string(),
        credentials: files.credentials.display().to_string(),
        detail,
    }
}

/// The region from the chain: AWS_REGION, AWS_DEFAULT_REGION, then the profile's `region`.
pub fn chain_region(profile: Option<&str>) -> Option<String> {
    if let Some(r) = env_nonempty("AWS_REGION").or_else(|| env_nonempty("AWS_DEFAULT_REGION")) {
        return Some(r);
    }
    let name = profile
        .map(str::to_string)
        .or_else(|| env_nonempty("AWS_PROFILE"))
        .unwrap_or_else(|| "default".into());
    list_profiles(&AwsFiles::from_env())
        .into_iter()
        .find(|p| p.name == name)
        .and_then(|p| p.region)
}

/// An AWS SDK call's failure in AWS's words (`AccessDenied: MultiFactorAuthentication
/// failed...`) when the service answered, else the error and its sources.
pub fn sdk_error<E, R>(e: &aws_smithy_runtime_api::client::result::SdkError<E, R>) -> String
where
    E: aws_sdk_sts::error::ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    match (
        e.as_service_error().and_then(|s| s.code()),
        e.as_service_error().and_then(|s| s.message()),
    ) {
        (Some(code), Some(message)) => format!("{code}: {}", message.trim()),
        (Some(code), None) => code.to_string(),
        _ => error_chain(e),
    }
}

/// An error and its sources on one line.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_keys_are_masked() {
        assert_eq!(mask_access_key("AKIAIOSFODNN7EXAMPLE"), "AKIAIOSF…MPLE");
        // The demo's unknown key ends as the valid one does: still told apart.
        assert_ne!(
            mask_access_key("AKIAI44QH8DHBEXAMPLE"),
            mask_access_key("AKIAIOSFODNN7EXAMPLE")
        );
        assert_eq!(mask_access_key("short"), "…");
        assert_eq!(mask_access_key(""), "");
    }

    #[test]
    fn secrets_never_print() {
        let c = Credentials::new(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG",
            Some("tok"),
            "t",
        );
        let shown = format!("{c:?}");
        assert!(!shown.contains("wJalr"));
        assert!(!shown.contains("tok\""));
    }
}
