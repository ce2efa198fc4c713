//! What will be signed, computed while browsing and editing: the selected request prepared
//! (variables, headers, body), credentials when they are in hand, and the trace the
//! inspector shows. Nothing here blocks: credentials that need resolving, and file bodies
//! that need reading, come from tasks.

use super::State;
use crate::aws::credentials::{CredentialSpec, Credentials};
use crate::http::prepare::{self, FileBodies, Prepared};
use crate::sign::SigningTrace;
use crate::tui::messages::{Command, RequestState};

/// A digest of what a prepared request would send and how it would be signed.
pub(super) fn fingerprint(p: &Prepared) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    let r = &p.request;
    (
        &r.method,
        &r.scheme,
        &r.authority,
        &r.path,
        &r.query,
        &r.headers,
    )
        .hash(&mut h);
    r.body.hash(&mut h);
    p.body_file.hash(&mut h);
    if let Some(plan) = &p.signing {
        format!("{:?}", plan.settings).hash(&mut h);
        plan.clock_offset_secs.hash(&mut h);
        match &plan.credentials {
            CredentialSpec::Chain { profile } => profile.hash(&mut h),
            CredentialSpec::Fixed(c) => c.access_key_id.hash(&mut h),
        }
    }
    h.finish()
}

impl State {
    /// The selected request as it would be sent (a `file` body not read yet).
    pub fn prepare_selected(&self) -> Result<Prepared, String> {
        let r = self.selected_request().ok_or("select a request")?;
        let (c, located) = self.ws.located(r).ok_or("the request is gone")?;
        let env = self.environment(r.doc);
        let mut p = prepare::prepare_with(c, env.as_ref(), &located, FileBodies::Defer)?;
        if let (Some(profile), Some(plan)) = (&self.profile, p.signing.as_mut()) {
            if let CredentialSpec::Chain { profile: p } = &mut plan.credentials {
                *p = Some(profile.clone());
            }
        }
        Ok(p)
    }

    /// Credentials already in hand for a prepared request (see `creds`).
    pub(crate) fn credentials_for(&self, prepared: &Prepared) -> Option<Credentials> {
        self.credentials_in_hand(prepared)
    }

    /// Prepares and signs the selected request again (only with credentials in hand:
    /// resolving them may prompt or hit the network, which the UI never waits on).
    pub fn refresh_preview(&mut self) {
        self.preview = None;
        self.scope = None;
        self.prepare_error = None;
        if self.selected_request().is_none() {
            return;
        }
        let p = match self.prepare_selected() {
            Err(e) => {
                self.prepare_error = Some(e);
                return;
            }
            Ok(p) => p,
        };
        self.want_identity(&p);
        self.edited_since_shown = self.shown_fingerprint.is_some_and(|f| f != fingerprint(&p));
        if let Some(plan) = &p.signing {
            self.scope = Some((plan.settings.region.clone(), plan.settings.service.clone()));
        }
        let (Some(plan), Some(creds)) = (&p.signing, self.credentials_for(&p)) else {
            return;
        };
        let signed = match &p.body_file {
            None => prepare::sign_prepared(&p.request, plan, &creds, self.now()),
            // A file body is hashed off the loop; the preview waits for it.
            Some(path) => match &self.body_hash {
                Some((hashed, result)) if hashed == path => match result {
                    Ok(hash) => {
                        prepare::sign_prepared_hashed(&p.request, plan, &creds, self.now(), hash)
                    }
                    Err(e) => {
                        self.prepare_error = Some(e.clone());
                        return;
                    }
                },
                // Not while the path is being typed: once it is entered.
                _ if self.typing_path => return,
                _ => {
                    self.hash_wanted = Some(path.clone());
                    return;
                }
            },
        };
        self.preview = signed.ok().map(|s| s.trace);
    }

    /// The hash a preview waits for, unless it is already being computed.
    pub(crate) fn hash_command(&mut self) -> Option<Command> {
        let path = self.hash_wanted.take()?;
        if self.hashing.as_ref() == Some(&path) {
            return None;
        }
        self.hashing = Some(path.clone());
        Some(Command::HashFile { path })
    }

    /// A file body's hash came back.
    pub(crate) fn file_hashed(&mut self, path: String, result: Result<String, String>) {
        if self.hashing.as_ref() == Some(&path) {
            self.hashing = None;
        }
        self.body_hash = Some((path, result));
        self.refresh_preview();
    }

    /// A send reads the body file again: hash it again for the next preview.
    pub(super) fn forget_body_hash(&mut self) {
        self.body_hash = None;
    }

    /// The shown trace: what was signed after a send (until the request is edited), else
    /// the preview.
    pub fn trace(&self) -> Option<&SigningTrace> {
        match &self.exchange {
            RequestState::Done { exchange, .. } if !self.edited_since_shown => {
                exchange.trace.as_ref().or(self.preview.as_ref())
            }
            _ => self.preview.as_ref(),
        }
    }

    /// Whether the inspector shows what was sent (else what would be).
    pub fn trace_is_sent(&self) -> bool {
        matches!(&self.exchange, RequestState::Done { exchange, .. }
            if exchange.trace.is_some() && !self.edited_since_shown)
    }
}
