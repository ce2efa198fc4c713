//! Resolving a profile's chain as the AWS CLI does, with what aws-config can't do: an MFA
//! code asked for when a role needs one, and assumed-role credentials shared with the AWS CLI
//! through `~/.aws/cli/cache`.
//!
//! ```text
//!  plan (config only) ─▶ the outermost role with live cached credentials? ─▶ start there
//!        │ none
//!        ▼
//!  leaf: keys | SSO (our token check and refresh, then aws-config: GetRoleCredentials)
//!        | credential_process, web identity (aws-config) | credential_source (aws-config)
//!        ▼
//!  each role: MFA code if mfa_serial ─▶ STS AssumeRole (aws-sdk-sts) ─▶ written to the cache
//! ```

use super::config::{AwsConfig, RoleLink, RoleSource};
use super::credentials::{error_chain, CredentialError, Credentials, Secret};
use super::mfa::{MfaChallenge, MfaPrompt, NoPrompt};
use super::plan::{Leaf, Plan, ProfileProblem};
use super::role_cache;
use super::sso::cache::{read_token, token_path, token_state, TokenState};
use aws_credential_types::provider::ProvideCredentials;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::SystemTime;

/// How to resolve: who answers MFA questions, and where `~/.aws` is.
#[derive(Clone)]
pub struct ResolveOptions {
    pub mfa: Arc<dyn MfaPrompt>,
    pub home: PathBuf,
}

impl Default for ResolveOptions {
    /// No MFA prompt (a role behind MFA needs cached credentials), the real home.
    fn default() -> Self {
        Self {
            mfa: Arc::new(NoPrompt),
            home: super::files::home_dir(),
        }
    }
}

impl ResolveOptions {
    pub fn with_mfa(mfa: Arc<dyn MfaPrompt>) -> Self {
        Self {
            mfa,
            ..Self::default()
        }
    }
}

/// The region STS is called in: the environment's, else the profile's, else us-east-1.
fn sts_region(cfg: &AwsConfig, profile: &str) -> String {
    ["AWS_REGION", "AWS_DEFAULT_REGION"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|r| !r.is_empty()))
        .or_else(|| cfg.profile(profile).and_then(|p| p.get("region").cloned()))
        .unwrap_or_else(|| "us-east-1".into())
}

/// Credentials for `profile`, asking for MFA codes through `options.mfa` when needed.
pub async fn resolve_profile(
    cfg: &AwsConfig,
    profile: &str,
    options: &ResolveOptions,
) -> Result<Credentials, CredentialError> {
    let plan = cfg.plan(profile).map_err(|problem| broken(cfg, problem))?;
    let now = SystemTime::now();
    // The outermost role whose credentials are cached (by us or the AWS CLI) spares every
    // call below it, MFA included.
    let mut start = 0;
    let mut credentials = None;
    for (i, link) in plan.roles.iter().enumerate().rev() {
        let label = format!("profile {profile} (assume-role, cached)");
        if let Some(c) = role_cache::read(&role_cache::cache_path(&options.home, link), now, &label)
        {
            start = i + 1;
            credentials = Some(c);
            break;
        }
    }
    let mut credentials = match credentials {
        Some(c) => c,
        None => leaf(cfg, &plan, options).await?,
    };
    for link in &plan.roles[start..] {
        credentials = assume(cfg, &plan, link, &credentials, options).await?;
    }
    Ok(credentials)
}

fn broken(cfg: &AwsConfig, problem: ProfileProblem) -> CredentialError {
    match problem {
        ProfileProblem::UnknownProfile { profile, .. } => {
            let available: Vec<&str> = cfg.profile_names().collect();
            CredentialError::UnknownProfile {
                name: profile,
                config: cfg.config_path(),
                credentials: cfg
                    .files
                    .as_ref()
                    .map(|f| f.credentials.display().to_string())
                    .unwrap_or_default(),
                available: if available.is_empty() {
                    "none".into()
                } else {
                    available.join(", ")
                },
            }
        }
        problem => CredentialError::Broken(problem),
    }
}

async fn leaf(
    cfg: &AwsConfig,
    plan: &Plan,
    options: &ResolveOptions,
) -> Result<Credentials, CredentialError> {
    let top = &plan.profile;
    match &plan.leaf {
        Leaf::Static { profile } => {
            let s = cfg.profile(profile).cloned().unwrap_or_default();
            let kind = if profile == top {
                "static keys".to_string()
            } else {
                format!("keys of profile {profile}")
            };
            Ok(Credentials::new(
                &s["aws_access_key_id"],
                &s["aws_secret_access_key"],
                s.get("aws_session_token").map(String::as_str),
                &format!("profile {top} ({kind})"),
            ))
        }
        Leaf::Sso { profile, sso } => {
            if sso.role_name.is_none() {
                return Err(CredentialError::Broken(ProfileProblem::MissingKey {
                    profile: profile.clone(),
                    key: "sso_account_id and sso_role_name".into(),
                    hint: "the SSO session gives a token, but signing needs an account and a role in it".into(),
                }));
            }
            let needs_login = |detail: String| CredentialError::SsoLogin {
                profile: top.clone(),
                detail,
            };
            match token_state(&options.home, sso, SystemTime::now()) {
                TokenState::Missing => {
                    return Err(needs_login(format!("no login for {} yet", sso.describe())))
                }
                TokenState::Unreadable(e) => return Err(needs_login(e)),
                TokenState::Valid { .. } => {}
                TokenState::Expiring { at, refreshable } => {
                    let expired = at <= SystemTime::now();
                    let token = read_token(&token_path(&options.home, sso)).ok().flatten();
                    let refreshed = match (refreshable, token) {
                        (true, Some(t)) => super::sso::refresh(&options.home, sso, &t).await,
                        _ => Err("the login has no refresh token".into()),
                    };
                    if let (Err(e), true) = (refreshed, expired) {
                        return Err(needs_login(format!(
                            "the token for {} expired at {}; {e}",
                            sso.describe(),
                            super::files::utc_z(at)
                        )));
                    }
                }
            }
            let what = format!(
                "sso: {} in {}",
                sso.role_name.as_deref().unwrap_or_default(),
                sso.account_id.as_deref().unwrap_or_default()
            );
            delegated(profile, top, &what).await.map_err(|e| match e {
                CredentialError::Provider { detail, .. } if detail.contains("nauthorized") => {
                    needs_login(detail)
                }
                other => other,
            })
        }
        Leaf::Delegated { profile, what } => delegated(profile, top, what).await,
        Leaf::Source(source) => {
            let provided = match source {
                RoleSource::Environment => {
                    aws_config::environment::EnvironmentVariableCredentialsProvider::new()
                        .provide_credentials()
                        .await
                }
                RoleSource::Ec2InstanceMetadata => {
                    aws_config::imds::credentials::ImdsCredentialsProvider::builder()
                        .build()
                        .provide_credentials()
                        .await
                }
                RoleSource::EcsContainer => {
                    aws_config::ecs::EcsCredentialsProvider::builder()
                        .build()
                        .provide_credentials()
                        .await
                }
                RoleSource::Profile(_) => unreachable!("a profile source is never a leaf"),
            };
            provided
                .map(|c| from_sdk(&c, top, &format!("credential_source {source:?}")))
                .map_err(|e| CredentialError::Provider {
                    profile: top.clone(),
                    detail: format!("credential_source {source:?}: {}", error_chain(&e)),
                })
        }
    }
}

/// A profile aws-config resolves on its own (SSO, credential_process, web identity).
async fn delegated(profile: &str, top: &str, what: &str) -> Result<Credentials, CredentialError> {
    let provider = aws_config::profile::ProfileFileCredentialsProvider::builder()
        .profile_name(profile)
        .build();
    match provider.provide_credentials().await {
        Ok(c) => Ok(from_sdk(&c, top, what)),
        Err(e) if what == "credential_process" => Err(CredentialError::Process {
            profile: profile.to_string(),
            detail: error_chain(&e),
        }),
        Err(e) => Err(CredentialError::Provider {
            profile: profile.to_string(),
            detail: error_chain(&e),
        }),
    }
}

fn from_sdk(c: &aws_credential_types::Credentials, top: &str, what: &str) -> Credentials {
    Credentials {
        access_key_id: c.access_key_id().to_string(),
        secret_access_key: Secret::new(c.secret_access_key()),
        session_token: c.session_token().map(Secret::new),
        expiry: c.expiry(),
        source: format!("profile {top} ({what})"),
    }
}

/// AssumeRole for one link with the credentials below it; the answer is cached.
async fn assume(
    cfg: &AwsConfig,
    plan: &Plan,
    link: &RoleLink,
    source: &Credentials,
    options: &ResolveOptions,
) -> Result<Credentials, CredentialError> {
    let top = &plan.profile;
    let token_code = match &link.mfa_serial {
        None => None,
        Some(serial) => {
            let challenge = MfaChallenge {
                profile: top.clone(),
                role_profile: link.profile.clone(),
                role_arn: link.role_arn.clone(),
                mfa_serial: serial.clone(),
            };
            match options.mfa.code(&challenge).await.filter(|c| !c.is_empty()) {
                Some(code) => Some(code),
                None => return Err(CredentialError::NeedsMfa(challenge)),
            }
        }
    };
    let sdk_credentials = aws_credential_types::Credentials::new(
        &source.access_key_id,
        source.secret_access_key.expose(),
        source
            .session_token
            .as_ref()
            .map(|t| t.expose().to_string()),
        source.expiry,
        "sigscope",
    );
    let config = super::sso::sdk_config(&sts_region(cfg, top), Some(sdk_credentials)).await;
    let session_name = link.role_session_name.clone().unwrap_or_else(|| {
        let secs = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs();
        format!("sigscope-session-{secs}")
    });
    let out = aws_sdk_sts::Client::new(&config)
        .assume_role()
        .role_arn(&link.role_arn)
        .role_session_name(session_name)
        .set_external_id(link.external_id.clone())
        .set_serial_number(token_code.as_ref().and(link.mfa_serial.clone()))
        .set_token_code(token_code.clone())
        .set_duration_seconds(link.duration_seconds.map(|d| d as i32))
        .send()
        .await
        .map_err(|e| {
            let detail = super::credentials::sdk_error(&e);
            if token_code.is_some() && detail.contains("MultiFactorAuthentication") {
                CredentialError::MfaRejected {
                    profile: top.clone(),
                    detail,
                }
            } else {
                CredentialError::AssumeRole {
                    profile: link.profile.clone(),
                    role_arn: link.role_arn.clone(),
                    detail,
                }
            }
        })?;
    let (Some(c), Some(user)) = (out.credentials, out.assumed_role_user) else {
        return Err(CredentialError::AssumeRole {
            profile: link.profile.clone(),
            role_arn: link.role_arn.clone(),
            detail: "STS answered without credentials".into(),
        });
    };
    let expiration = SystemTime::try_from(c.expiration).unwrap_or_else(|_| SystemTime::now());
    let mut credentials = Credentials {
        access_key_id: c.access_key_id,
        secret_access_key: Secret::new(c.secret_access_key),
        session_token: Some(Secret::new(c.session_token)),
        expiry: Some(expiration),
        source: format!("profile {top} (assume-role {})", link.role_arn),
    };
    let path = role_cache::cache_path(&options.home, link);
    // The credentials work without the cache; a cache that can't be written costs a re-prompt.
    if let Err(e) = role_cache::write(
        &path,
        &role_cache::Assumed {
            credentials: &credentials,
            expiration,
            assumed_role_id: &user.assumed_role_id,
            arn: &user.arn,
        },
    ) {
        credentials.source.push_str(&format!(
            "; not cached, {} could not be written: {e}",
            path.display()
        ));
    }
    Ok(credentials)
}
