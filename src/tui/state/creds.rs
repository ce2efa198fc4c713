//! Which credentials the selected request will really use, and who they belong to: the
//! profile it signs with and where that choice comes from (request → folder → collection →
//! environment, or the session override `P` sets), each profile's identity resolved in the
//! background (once per profile, and again before credentials that can be refreshed expire),
//! and the login or MFA dialog offered when a profile needs one, with the send that met it
//! resent afterwards.

use super::State;
use crate::aws::credentials::{CredentialSpec, Credentials, Remedy};
use crate::aws::role_cache::EXPIRY_WINDOW;
use crate::http::prepare::Prepared;
use crate::model::workspace::ReqRef;
use crate::model::Auth;
use crate::tui::messages::{Command, Identity, Level, NoCredentials};
use crate::tui::overlays::{login::LoginDialog, mfa::MfaDialog};
use std::collections::{HashMap, HashSet};
use std::time::{Duration, SystemTime};

/// How long the selection rests on a request before the identity line's failure is offered.
const SETTLE: Duration = Duration::from_millis(800);

/// Where the profile a request signs with was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProfileFrom {
    Request,
    /// The nearest folder (by name) whose auth the request inherits.
    Folder(String),
    Collection,
    /// The selected environment (by name).
    Environment(String),
    /// The session override (`P`).
    Override,
    /// Nobody named one: the AWS CLI chain (AWS_PROFILE, else `default`).
    Chain,
}

impl ProfileFrom {
    /// How the status line says it.
    pub fn describe(&self) -> String {
        match self {
            ProfileFrom::Request => "request's auth".into(),
            ProfileFrom::Folder(name) => format!("folder '{name}'"),
            ProfileFrom::Collection => "collection's auth".into(),
            ProfileFrom::Environment(name) => format!("environment '{name}'"),
            ProfileFrom::Override => "session override".into(),
            ProfileFrom::Chain => "AWS CLI chain".into(),
        }
    }
}

/// The credentials a request signs with: the profile (`None`: the chain's default) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialChoice {
    pub profile: Option<String>,
    pub from: ProfileFrom,
}

/// What the workbench knows of each profile's credentials.
#[derive(Default)]
pub struct Creds {
    /// Each profile's identity, or why it has none (key: the profile, `None` the chain's).
    known: HashMap<Option<String>, Result<Identity, NoCredentials>>,
    resolving: HashSet<Option<String>>,
    /// The expiry a refresh was tried for: one that gives the same credentials back (or
    /// fails) is not tried again for them.
    refresh_tried: HashMap<Option<String>, SystemTime>,
    /// Why a refresh failed while the credentials in hand still last.
    refresh_failed: HashMap<Option<String>, NoCredentials>,
    /// Profiles whose login or code was turned down in this run: not offered again unasked.
    declined: HashSet<String>,
    /// The profile whose next failure is offered even if declined (the user just chose it).
    asked: Option<Option<String>>,
    /// A failure the identity line met, offered once the selection has rested on its request
    /// for `SETTLE` (so that browsing past it does not stop at a dialog).
    settling: Option<(Option<String>, SystemTime)>,
    /// The profile a dialog is open for.
    dialog: Option<String>,
    /// The request whose send met the dialog: sent again when it succeeds.
    resend: Option<ReqRef>,
    /// Identities are resolved once the loop runs (`init`), not while the app is set up.
    live: bool,
    dialogs: u64,
}

impl State {
    /// The selected request's credentials: which profile and where that came from; `None`
    /// when it is not signed (or cannot be prepared).
    pub fn credential_choice(&self) -> Option<CredentialChoice> {
        self.choice_of(&self.prepare_selected().ok()?)
    }

    fn choice_of(&self, p: &Prepared) -> Option<CredentialChoice> {
        let CredentialSpec::Chain { profile } = &p.signing.as_ref()?.credentials else {
            return None;
        };
        let from = match &self.profile {
            Some(_) => ProfileFrom::Override,
            None => self.profile_origin(),
        };
        Some(CredentialChoice {
            profile: profile.clone(),
            from,
        })
    }

    /// Where the selected request's profile is set, as `prepare` finds it: the nearest auth
    /// that is not `inherit` (request, folders innermost first, collection) when it names
    /// one, else the environment's.
    fn profile_origin(&self) -> ProfileFrom {
        let Some((c, located)) = self.selected_request().and_then(|r| self.ws.located(r)) else {
            return ProfileFrom::Chain;
        };
        let levels = std::iter::once((ProfileFrom::Request, &located.request.auth))
            .chain(
                (located.folders.iter().rev())
                    .map(|f| (ProfileFrom::Folder(f.name.clone()), &f.auth)),
            )
            .chain(std::iter::once((ProfileFrom::Collection, &c.auth)));
        for (from, auth) in levels {
            match auth {
                Auth::Inherit => continue,
                Auth::AwsSigv4 {
                    profile: Some(p), ..
                } if !p.trim().is_empty() && p.trim() != "auto" => return from,
                _ => break,
            }
        }
        let doc = self.selected_request().map(|r| r.doc).unwrap_or_default();
        let env = self.ws.docs.get(doc).and_then(|d| {
            let name = d.env.as_ref()?;
            let e = d.loaded.collection.environments.get(name)?;
            e.profile.is_some().then(|| name.clone())
        });
        env.map(ProfileFrom::Environment)
            .unwrap_or(ProfileFrom::Chain)
    }

    /// What is known of a profile's credentials: resolved (an identity) or why not.
    pub fn known_identity(
        &self,
        profile: &Option<String>,
    ) -> Option<&Result<Identity, NoCredentials>> {
        self.creds.known.get(profile)
    }

    /// Who the selected request's credentials belong to, when that is known.
    pub fn selected_identity(&self) -> Option<&Identity> {
        match self.creds.known.get(&self.credential_choice()?.profile) {
            Some(Ok(identity)) => Some(identity),
            _ => None,
        }
    }

    /// Why the last refresh of a profile's credentials failed, while they still last.
    pub fn refresh_failure(&self, profile: &Option<String>) -> Option<&NoCredentials> {
        self.creds.refresh_failed.get(profile)
    }

    pub fn resolving_identity(&self, profile: &Option<String>) -> bool {
        self.creds.resolving.contains(profile)
    }

    /// Who a profile's credentials belong to, when known (the demo: its keys' principal).
    pub fn know_identity(&mut self, profile: Option<String>, identity: Identity) {
        self.creds.known.insert(profile, Ok(identity));
        self.refresh_preview();
    }

    /// Credentials given up front for a profile (the demo's keys).
    pub(crate) fn fixed_for(&self, profile: Option<&str>) -> Option<Credentials> {
        self.fixed_credentials.and_then(|resolve| resolve(profile))
    }

    /// Credentials already in hand for a prepared request: fixed ones, the demo's, or those
    /// the identity check resolved for its profile (while they last).
    pub(crate) fn credentials_in_hand(&self, prepared: &Prepared) -> Option<Credentials> {
        let profile = match &prepared.signing.as_ref()?.credentials {
            CredentialSpec::Chain { profile } => profile,
            CredentialSpec::Fixed(c) => return Some(c.clone()),
        };
        if let Some(c) = self.fixed_for(profile.as_deref()) {
            return Some(c);
        }
        match self.creds.known.get(profile) {
            Some(Ok(Identity {
                credentials: Some(c),
                ..
            })) if c.expiry.is_none_or(|e| e > self.now()) => Some(c.clone()),
            _ => None,
        }
    }

    /// The loop runs: from now on the selected request's identity is resolved as it changes.
    pub(crate) fn start_identities(&mut self) {
        self.creds.live = true;
        if let Ok(p) = self.prepare_selected() {
            self.want_identity(&p);
        }
    }

    /// Resolves the identity of the prepared request's profile in the background, unless it
    /// is known, given, or on its way.
    pub(crate) fn want_identity(&mut self, p: &Prepared) {
        if !self.creds.live {
            return;
        }
        let Some(choice) = self.choice_of(p) else {
            return;
        };
        // Back on a request whose profile is known to need something: offered again once
        // the selection rests (unless turned down).
        let waiting = matches!(&self.creds.settling, Some((p, _)) if *p == choice.profile);
        if let Some(Err(f)) = self.creds.known.get(&choice.profile) {
            if f.remedy.is_some() && !waiting && self.creds.dialog.is_none() {
                self.creds.settling = Some((choice.profile.clone(), self.now() + SETTLE));
            }
        }
        self.resolve_identity(choice.profile, false);
    }

    fn resolve_identity(&mut self, profile: Option<String>, again: bool) {
        let known = !again && self.creds.known.contains_key(&profile);
        if known
            || self.creds.resolving.contains(&profile)
            || self.fixed_for(profile.as_deref()).is_some()
        {
            return;
        }
        self.creds.resolving.insert(profile.clone());
        self.run(Command::Identity { profile });
    }

    /// An identity check came back. A failed refresh keeps credentials that still last; a
    /// failure that a login or a code would mend is offered for the selected request.
    pub(crate) fn identity_resolved(
        &mut self,
        profile: Option<String>,
        result: Result<Identity, NoCredentials>,
    ) {
        self.creds.resolving.remove(&profile);
        let asked = self.creds.asked.as_ref() == Some(&profile);
        if asked {
            self.creds.asked = None;
        }
        match result {
            Ok(identity) => {
                self.creds.refresh_failed.remove(&profile);
                self.creds.known.insert(profile.clone(), Ok(identity));
            }
            Err(failure) => {
                let still_good = matches!(self.creds.known.get(&profile),
                    Some(Ok(i)) if i.expiry.is_some_and(|e| e > self.now()));
                if still_good {
                    self.creds.refresh_failed.insert(profile.clone(), failure);
                } else {
                    if asked {
                        self.offer(&failure, true, None);
                    } else if failure.remedy.is_some() {
                        self.creds.settling = Some((profile.clone(), self.now() + SETTLE));
                    }
                    self.creds.known.insert(profile.clone(), Err(failure));
                }
            }
        }
        self.refresh_preview();
    }

    /// `P`: the session override (`None` clears it). The profile is resolved again (the user
    /// may have logged in elsewhere), and a login or code it needs is offered even if turned
    /// down before.
    pub(crate) fn choose_profile(&mut self, profile: Option<String>) {
        self.profile = profile;
        let Some(choice) = self.credential_choice() else {
            return self.refresh_preview();
        };
        if let Some(name) = &choice.profile {
            self.creds.declined.remove(name);
        }
        self.creds.asked = Some(choice.profile.clone());
        if self.fixed_for(choice.profile.as_deref()).is_none() {
            self.creds.known.remove(&choice.profile);
        }
        self.resolve_identity(choice.profile, true);
        self.refresh_preview();
    }

    /// A send met a profile that needs a login or a code: offer it, then send again.
    pub(crate) fn credentials_needed(&mut self, failure: &NoCredentials) {
        if let Some(choice) = self.credential_choice() {
            self.creds
                .known
                .insert(choice.profile, Err(failure.clone()));
        }
        let resend = self.selected_request().cloned();
        self.offer(failure, true, resend);
    }

    /// Opens the login dialog or the code prompt that mends `failure`, unless one is open
    /// (then only the resend is noted) or, unasked, the user turned it down before.
    fn offer(&mut self, failure: &NoCredentials, asked: bool, resend: Option<ReqRef>) {
        let Some(remedy) = &failure.remedy else {
            return;
        };
        let name = match remedy {
            Remedy::Login { profile } => profile,
            Remedy::MfaCode(c) => &c.profile,
        };
        if self.creds.dialog.is_some() {
            if resend.is_some() {
                self.creds.resend = resend;
            }
            return;
        }
        if !asked && self.creds.declined.contains(name) {
            return;
        }
        self.creds.declined.remove(name);
        self.creds.settling = None;
        self.creds.dialog = Some(name.clone());
        self.creds.resend = resend;
        self.creds.dialogs += 1;
        let id = self.creds.dialogs;
        match remedy {
            Remedy::Login { profile } => self.open(LoginDialog::new(
                id,
                profile.clone(),
                failure.message.clone(),
            )),
            Remedy::MfaCode(challenge) => self.open(MfaDialog::new(id, challenge.clone())),
        }
    }

    /// A login or code dialog closed. On success every profile that needed something is
    /// resolved again and the send that met the dialog goes out again; otherwise the profile
    /// is not offered again unasked.
    pub(crate) fn dialog_closed(&mut self, profile: &str, done: Option<String>) {
        self.creds.dialog = None;
        let resend = self.creds.resend.take();
        let Some(what) = done else {
            self.creds.declined.insert(profile.to_string());
            return;
        };
        self.notify(Level::Info, what);
        self.creds
            .known
            .retain(|_, r| !matches!(r, Err(f) if f.remedy.is_some()));
        self.creds.refresh_failed.clear();
        if let Some(choice) = self.credential_choice() {
            self.creds.asked = Some(choice.profile.clone());
            self.resolve_identity(choice.profile, true);
        }
        if resend.is_some() && resend.as_ref() == self.selected_request() {
            self.send(false);
        }
        self.refresh_preview();
    }

    /// On the clock: the identity line's failure is offered once the selection has rested
    /// on its request (and only while it does).
    fn offer_settled(&mut self) {
        let Some((profile, due)) = self.creds.settling.clone() else {
            return;
        };
        let selected = self.credential_choice().map(|c| c.profile);
        if selected.as_ref() != Some(&profile) {
            self.creds.settling = None;
            return;
        }
        if self.now() < due {
            return;
        }
        self.creds.settling = None;
        if let Some(Err(failure)) = self.creds.known.get(&profile).cloned() {
            self.offer(&failure, false, None);
        }
    }

    /// On the clock: credentials in hand that will run out within the window the caches use
    /// are resolved again (an SSO role, a role without MFA: fresh ones come back); a refresh
    /// that can't happen without the user is noted and not retried for the same credentials.
    pub(crate) fn refresh_credentials(&mut self) {
        self.offer_settled();
        let Some(choice) = self.credential_choice() else {
            return;
        };
        let profile = choice.profile;
        let Some(Ok(Identity {
            expiry: Some(expiry),
            ..
        })) = self.creds.known.get(&profile)
        else {
            return;
        };
        let expiry = *expiry;
        if expiry > self.now() + EXPIRY_WINDOW
            || self.creds.refresh_tried.get(&profile) == Some(&expiry)
            || self.creds.resolving.contains(&profile)
        {
            return;
        }
        self.creds.refresh_tried.insert(profile.clone(), expiry);
        self.creds.resolving.insert(profile.clone());
        self.run(Command::Identity { profile });
    }

    /// Whether the clock matters: credentials with an expiry are shown counting down, or a
    /// failure waits to be offered.
    pub(crate) fn counting_down(&self) -> bool {
        self.creds.settling.is_some()
            || (self.creds.known.values()).any(|r| matches!(r, Ok(i) if i.expiry.is_some()))
    }
}

/// `12m 05s`, `3h 07m`, `2d 4h`: how long until `until`, or `None` once it has passed.
pub fn time_left(now: SystemTime, until: SystemTime) -> Option<String> {
    let s = until.duration_since(now).ok()?.as_secs();
    Some(match s {
        0..=3599 => format!("{}m {:02}s", s / 60, s % 60),
        3600..=86_399 => format!("{}h {:02}m", s / 3600, s % 3600 / 60),
        _ => format!("{}d {}h", s / 86_400, s % 86_400 / 3600),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn time_left_counts_down_in_the_units_that_matter() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let at = |s| now + Duration::from_secs(s);
        assert_eq!(time_left(now, at(725)).as_deref(), Some("12m 05s"));
        assert_eq!(
            time_left(now, at(3 * 3600 + 7 * 60 + 59)).as_deref(),
            Some("3h 07m")
        );
        assert_eq!(
            time_left(now, at(2 * 86_400 + 4 * 3600)).as_deref(),
            Some("2d 4h")
        );
        assert_eq!(time_left(now, at(0)).as_deref(), Some("0m 00s"));
        assert_eq!(time_left(at(1), now), None);
    }
}
