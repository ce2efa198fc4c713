//! What a profile needs to produce credentials, worked out from the config alone (no network):
//! where the chain starts (keys, an SSO role, a process...) and the roles assumed on top of it,
//! or why the profile is broken, in the words botocore uses for the same checks.

use super::config::{
    assumes_role, has_static_keys, parse_scopes, uses_sso, AwsConfig, RoleLink, RoleSource,
    Section, SsoConfig,
};

/// Why a profile can't produce credentials, whatever is logged in or cached.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProfileProblem {
    #[error("profile '{profile}' does not exist in {config}")]
    UnknownProfile { profile: String, config: String },
    #[error("profile '{profile}' names source_profile '{source_profile}', which does not exist in {config}")]
    UnknownSourceProfile {
        profile: String,
        source_profile: String,
        config: String,
    },
    #[error("profile '{profile}': its source_profile chain loops ({}): break the loop", chain.join(" → "))]
    Cycle { profile: String, chain: Vec<String> },
    #[error("profile '{profile}' is missing {key}: {hint}")]
    MissingKey {
        profile: String,
        key: String,
        hint: String,
    },
    #[error("profile '{profile}' names sso_session '{session}', but {config} has no [sso-session {session}] section")]
    UnknownSsoSession {
        profile: String,
        session: String,
        config: String,
    },
    #[error("profile '{profile}' has both source_profile and credential_source: keep one")]
    SourceAndCredentialSource { profile: String },
    #[error("profile '{profile}' has role_arn but neither source_profile nor credential_source: add one")]
    NoRoleSource { profile: String },
    #[error("profile '{profile}': credential_source '{value}' is not Environment, Ec2InstanceMetadata or EcsContainer")]
    InvalidCredentialSource { profile: String, value: String },
    #[error("profile '{profile}': {key} is '{in_profile}' in the profile but '{in_session}' in [sso-session {session}]")]
    Inconsistent {
        profile: String,
        key: String,
        session: String,
        in_profile: String,
        in_session: String,
    },
    #[error("profile '{profile}' has no credentials: no keys, role_arn, SSO settings, credential_process or web identity token")]
    NoCredentials { profile: String },
}

/// Where a chain starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Leaf {
    /// Keys in the files.
    Static { profile: String },
    /// A role through IAM Identity Center (or a token-only SSO profile, then `role_name` is None).
    Sso { profile: String, sso: SsoConfig },
    /// `credential_process`, web identity: aws-config runs them.
    Delegated { profile: String, what: &'static str },
    /// `credential_source` of the first role.
    Source(RoleSource),
}

/// The leaf, then the roles to assume in order (the first with the leaf's credentials).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub profile: String,
    pub leaf: Leaf,
    pub roles: Vec<RoleLink>,
}

impl Plan {
    /// The SSO set-up this chain starts from, if any (what `sigscope login` logs in to).
    pub fn sso(&self) -> Option<&SsoConfig> {
        match &self.leaf {
            Leaf::Sso { sso, .. } => Some(sso),
            _ => None,
        }
    }
}

fn missing(profile: &str, key: &str, hint: &str) -> ProfileProblem {
    ProfileProblem::MissingKey {
        profile: profile.to_string(),
        key: key.to_string(),
        hint: hint.to_string(),
    }
}

impl AwsConfig {
    /// The chain for `profile`, checked the way botocore's AssumeRoleProvider checks it.
    pub fn plan(&self, profile: &str) -> Result<Plan, ProfileProblem> {
        let Some(mut section) = self.profile(profile) else {
            return Err(ProfileProblem::UnknownProfile {
                profile: profile.to_string(),
                config: self.config_path(),
            });
        };
        let mut name = profile.to_string();
        let mut visited = vec![name.clone()];
        let mut roles = Vec::new();
        let leaf = loop {
            // A source profile with keys gives its keys, even with a role_arn of its own.
            let is_source = !roles.is_empty();
            if !assumes_role(section) || (is_source && has_static_keys(section)) {
                break self.leaf(&name, section)?;
            }
            let link = role_link(&name, section)?;
            let next = match &link.source {
                RoleSource::Profile(next) => next.clone(),
                other => {
                    let source = other.clone();
                    roles.push(link);
                    break Leaf::Source(source);
                }
            };
            roles.push(link);
            let Some(next_section) = self.profile(&next) else {
                return Err(ProfileProblem::UnknownSourceProfile {
                    profile: name,
                    source_profile: next,
                    config: self.config_path(),
                });
            };
            if next == name {
                // A profile may name itself to take its own keys (botocore allows only that).
                if has_static_keys(section) {
                    break self.leaf(&name, section)?;
                }
                visited.push(next);
                return Err(ProfileProblem::Cycle {
                    profile: profile.to_string(),
                    chain: visited,
                });
            }
            if visited.contains(&next) {
                visited.push(next);
                return Err(ProfileProblem::Cycle {
                    profile: profile.to_string(),
                    chain: visited,
                });
            }
            visited.push(next.clone());
            name = next;
            section = next_section;
        };
        roles.reverse();
        Ok(Plan {
            profile: profile.to_string(),
            leaf,
            roles,
        })
    }

    fn leaf(&self, name: &str, s: &Section) -> Result<Leaf, ProfileProblem> {
        if has_static_keys(s) {
            if !s.contains_key("aws_access_key_id") {
                return Err(missing(
                    name,
                    "aws_access_key_id",
                    "it has aws_secret_access_key without the key id it belongs to",
                ));
            }
            if !s.contains_key("aws_secret_access_key") {
                return Err(missing(
                    name,
                    "aws_secret_access_key",
                    "it has aws_access_key_id without its secret",
                ));
            }
            return Ok(Leaf::Static {
                profile: name.to_string(),
            });
        }
        if uses_sso(s) {
            return Ok(Leaf::Sso {
                profile: name.to_string(),
                sso: self.sso_config(name, s)?,
            });
        }
        if s.contains_key("credential_process") {
            return Ok(Leaf::Delegated {
                profile: name.to_string(),
                what: "credential_process",
            });
        }
        if s.contains_key("web_identity_token_file") && s.contains_key("role_arn") {
            return Ok(Leaf::Delegated {
                profile: name.to_string(),
                what: "web identity",
            });
        }
        Err(ProfileProblem::NoCredentials {
            profile: name.to_string(),
        })
    }

    /// The SSO set-up of a profile, with botocore's checks (SSOProvider, the CLI's login).
    pub fn sso_config(&self, profile: &str, s: &Section) -> Result<SsoConfig, ProfileProblem> {
        let mut merged = s.clone();
        let session_name = s.get("sso_session").cloned();
        let mut scopes = None;
        if let Some(session) = &session_name {
            let Some(values) = self.sso_session(session) else {
                return Err(ProfileProblem::UnknownSsoSession {
                    profile: profile.to_string(),
                    session: session.clone(),
                    config: self.config_path(),
                });
            };
            for (k, v) in values {
                if let Some(mine) = s.get(k).filter(|mine| *mine != v) {
                    return Err(ProfileProblem::Inconsistent {
                        profile: profile.to_string(),
                        key: k.clone(),
                        session: session.clone(),
                        in_profile: mine.clone(),
                        in_session: v.clone(),
                    });
                }
                merged.insert(k.clone(), v.clone());
            }
            scopes = values
                .get("sso_registration_scopes")
                .map(|r| parse_scopes(r));
            for key in ["sso_start_url", "sso_region"] {
                if !values.contains_key(key) {
                    return Err(missing(
                        profile,
                        key,
                        &format!("add it to [sso-session {session}]"),
                    ));
                }
            }
        } else {
            // The legacy shape needs everything in the profile.
            for key in [
                "sso_start_url",
                "sso_region",
                "sso_account_id",
                "sso_role_name",
            ] {
                if !s.contains_key(key) {
                    return Err(missing(
                        profile,
                        key,
                        "a profile with sso_start_url (no sso_session) needs sso_start_url, \
                         sso_region, sso_account_id and sso_role_name",
                    ));
                }
            }
        }
        let account_id = merged.get("sso_account_id").cloned();
        let role_name = merged.get("sso_role_name").cloned();
        match (&account_id, &role_name) {
            (Some(_), None) => {
                return Err(missing(
                    profile,
                    "sso_role_name",
                    "it names an account (sso_account_id) but no role in it",
                ))
            }
            (None, Some(_)) => {
                return Err(missing(
                    profile,
                    "sso_account_id",
                    "it names a role (sso_role_name) but not its account",
                ))
            }
            _ => {}
        }
        Ok(SsoConfig {
            session_name,
            start_url: merged["sso_start_url"].clone(),
            region: merged["sso_region"].clone(),
            scopes,
            account_id,
            role_name,
        })
    }
}

fn role_link(profile: &str, s: &Section) -> Result<RoleLink, ProfileProblem> {
    let source = match (s.get("source_profile"), s.get("credential_source")) {
        (Some(_), Some(_)) => {
            return Err(ProfileProblem::SourceAndCredentialSource {
                profile: profile.to_string(),
            })
        }
        (None, None) => {
            return Err(ProfileProblem::NoRoleSource {
                profile: profile.to_string(),
            })
        }
        (Some(p), None) => RoleSource::Profile(p.clone()),
        (None, Some(c)) => match c.as_str() {
            "Environment" => RoleSource::Environment,
            "Ec2InstanceMetadata" => RoleSource::Ec2InstanceMetadata,
            "EcsContainer" => RoleSource::EcsContainer,
            other => {
                return Err(ProfileProblem::InvalidCredentialSource {
                    profile: profile.to_string(),
                    value: other.to_string(),
                })
            }
        },
    };
    Ok(RoleLink {
        profile: profile.to_string(),
        role_arn: s["role_arn"].clone(),
        source,
        mfa_serial: s.get("mfa_serial").cloned(),
        external_id: s.get("external_id").cloned(),
        role_session_name: s.get("role_session_name").cloned(),
        duration_seconds: s
            .get("duration_seconds")
            .and_then(|d| d.trim().parse().ok()),
    })
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
