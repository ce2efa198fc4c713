//! Each profile's state, from the files alone (no network): ready (until when), needs an
//! SSO login, needs an MFA code, or broken and why. `sigscope profiles` prints it; the
//! workbench's profile picker and identity line can show it the same way.

use super::config::AwsConfig;
use super::files::utc_z;
use super::mfa::MfaChallenge;
use super::plan::{Leaf, ProfileProblem};
use super::role_cache;
use super::sso::cache::{token_state, TokenState};
use serde::Serialize;
use std::path::Path;
use std::time::SystemTime;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProfileStatus {
    /// Usable now; `until` is when what it rests on runs out (cached role credentials, the SSO
    /// token), `None` for keys and for chains resolved on use.
    Ready {
        until: Option<SystemTime>,
        what: String,
    },
    /// The SSO session has no token, or an expired one that can't be refreshed.
    NeedsLogin {
        session: String,
        expired_at: Option<SystemTime>,
    },
    /// A role in the chain needs an MFA code (nothing cached for it).
    NeedsMfa(MfaChallenge),
    Broken(ProfileProblem),
}

impl ProfileStatus {
    /// The command that makes the profile ready, if one does.
    pub fn command(&self, profile: &str) -> Option<String> {
        matches!(self, Self::NeedsLogin { .. } | Self::NeedsMfa(_))
            .then(|| format!("sigscope login --profile {profile}"))
    }

    /// One line for people: `ready until 2026-11-29T18:53:02Z (SSO token)`.
    pub fn summary(&self) -> String {
        match self {
            Self::Ready {
                until: Some(t),
                what,
            } => format!("ready until {} ({what})", utc_z(*t)),
            Self::Ready { until: None, what } => format!("ready ({what})"),
            Self::NeedsLogin {
                session,
                expired_at: Some(t),
            } => format!("needs login: {session} expired at {}", utc_z(*t)),
            Self::NeedsLogin {
                session,
                expired_at: None,
            } => format!("needs login: no token for {session}"),
            Self::NeedsMfa(c) => format!("needs MFA: {} for {}", c.mfa_serial, c.role_arn),
            Self::Broken(problem) => format!("broken: {problem}"),
        }
    }

    /// A one-word state for scripts: ready, needs-login, needs-mfa, broken.
    pub fn state(&self) -> &'static str {
        match self {
            Self::Ready { .. } => "ready",
            Self::NeedsLogin { .. } => "needs-login",
            Self::NeedsMfa(_) => "needs-mfa",
            Self::Broken(_) => "broken",
        }
    }
}

/// What `profiles --json` prints for each profile's status.
#[derive(Debug, Clone, Serialize)]
pub struct StatusView {
    pub state: &'static str,
    pub summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
}

impl StatusView {
    pub fn new(profile: &str, status: &ProfileStatus) -> Self {
        Self {
            state: status.state(),
            summary: status.summary(),
            until: match status {
                ProfileStatus::Ready { until, .. } => until.map(utc_z),
                _ => None,
            },
            command: status.command(profile),
        }
    }
}

/// The state of `profile` at `now`, with `home` holding `~/.aws`.
pub fn profile_status(
    cfg: &AwsConfig,
    profile: &str,
    home: &Path,
    now: SystemTime,
) -> ProfileStatus {
    let plan = match cfg.plan(profile) {
        Ok(p) => p,
        Err(problem) => return ProfileStatus::Broken(problem),
    };
    // From the outermost role inwards: the first with live cached credentials decides.
    let mut uncached = plan.roles.len();
    for (i, link) in plan.roles.iter().enumerate().rev() {
        let path = role_cache::cache_path(home, link);
        if let Some(c) = role_cache::read(&path, now, "") {
            if i + 1 == plan.roles.len() {
                return ProfileStatus::Ready {
                    until: c.expiry,
                    what: format!("cached credentials for {}", link.role_arn),
                };
            }
            uncached = plan.roles.len() - (i + 1);
            break;
        }
    }
    let to_assume = &plan.roles[plan.roles.len() - uncached..];
    let leaf_cached = uncached < plan.roles.len();
    let mut until = None;
    let mut what = match &plan.leaf {
        _ if leaf_cached => "from cached role credentials".to_string(),
        Leaf::Static { .. } => "static keys".to_string(),
        Leaf::Delegated { what, .. } => format!("{what}, run when used"),
        Leaf::Source(s) => format!("credential_source {s:?}"),
        Leaf::Sso { sso, .. } => match token_state(home, sso, now) {
            TokenState::Valid { until: t } => {
                until = Some(t);
                format!("SSO token for {}", sso.describe())
            }
            TokenState::Expiring {
                refreshable: true, ..
            } => format!("SSO token for {} refreshed when used", sso.describe()),
            TokenState::Expiring { at, .. } => {
                return ProfileStatus::NeedsLogin {
                    session: sso.describe(),
                    expired_at: Some(at),
                }
            }
            TokenState::Missing | TokenState::Unreadable(_) => {
                return ProfileStatus::NeedsLogin {
                    session: sso.describe(),
                    expired_at: None,
                }
            }
        },
    };
    if let Some(link) = to_assume.iter().find(|l| l.mfa_serial.is_some()) {
        return ProfileStatus::NeedsMfa(MfaChallenge {
            profile: profile.to_string(),
            role_profile: link.profile.clone(),
            role_arn: link.role_arn.clone(),
            mfa_serial: link.mfa_serial.clone().unwrap_or_default(),
        });
    }
    if let Some(last) = to_assume.last() {
        what = format!("assumes {} when used, {what}", last.role_arn);
    }
    ProfileStatus::Ready { until, what }
}

#[cfg(test)]
#[path = "status_tests.rs"]
mod tests;
