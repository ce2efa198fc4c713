//! Credentials for the preview, by the profile a request really signs with (request, folder,
//! collection, environment, the chosen one): resolved once in the background, kept while they
//! last, so that the inspector previews the signature as soon as they are in hand, whatever
//! their source, not only for the profile the identity check ran for. Resolving never asks
//! for anything (an MFA role without cached credentials just has none yet).

use super::State;
use crate::aws::credentials::{resolve, CredentialSpec, Credentials};
use crate::tui::messages::{Command, Message, Task};

/// The resolution of one profile (`None`: the default chain).
#[derive(Debug, Clone)]
pub enum Resolved {
    Resolving,
    Ready(Credentials),
    Failed(String),
}

/// A background resolution came back.
pub struct CredentialsResolved {
    pub profile: Option<String>,
    pub result: Result<Credentials, String>,
}

impl State {
    /// Credentials resolved earlier for `profile`, while they last.
    pub(crate) fn resolved_credentials(&self, profile: &Option<String>) -> Option<Credentials> {
        match self.resolved.get(profile) {
            Some(Resolved::Ready(c)) if c.expiry.is_none_or(|e| e > self.now()) => Some(c.clone()),
            _ => None,
        }
    }

    /// Asks for `profile`'s credentials in the background, once (again after they expire).
    pub(crate) fn want_credentials(&mut self, profile: Option<String>) {
        if self.fixed_credentials.is_some() {
            return;
        }
        match self.resolved.get(&profile) {
            Some(Resolved::Resolving | Resolved::Failed(_)) => return,
            Some(Resolved::Ready(_)) if self.resolved_credentials(&profile).is_some() => return,
            _ => {}
        }
        self.resolved.insert(profile.clone(), Resolved::Resolving);
        self.run(Command::Task(Task::new(async move {
            let spec = CredentialSpec::Chain {
                profile: profile.clone(),
            };
            let result = resolve(&spec).await.map_err(|e| e.to_string());
            Some(Message::Reply(Box::new(CredentialsResolved {
                profile,
                result,
            })))
        })));
    }

    pub fn credentials_resolved(&mut self, r: CredentialsResolved) {
        let state = match r.result {
            Ok(c) => Resolved::Ready(c),
            Err(e) => Resolved::Failed(e),
        };
        self.resolved.insert(r.profile, state);
        self.refresh_preview();
    }

    /// Forgets every resolution (a login, a new profile file): the next preview asks again.
    pub fn forget_credentials(&mut self) {
        self.resolved.clear();
    }

    /// Why the preview has no credentials for `profile`, once that is known.
    pub fn credentials_problem(&self, profile: &Option<String>) -> Option<&str> {
        match self.resolved.get(profile) {
            Some(Resolved::Failed(e)) => Some(e),
            _ => None,
        }
    }
}
