//! The state as seen from outside the workbench: what tests, benchmarks and the CLI read
//! (the harness queries through these, never through fields), and the settings they give
//! before the loop starts.

use super::State;
use crate::model::workspace::Workspace;
use crate::sign::SigningTrace;
use crate::tui::hits::HitMap;
use crate::tui::keymap::KeyMap;
use crate::tui::messages::{CredentialResolver, RequestState};
use crate::tui::theme::Theme;
use std::path::PathBuf;
use std::time::SystemTime;

impl State {
    pub fn workspace(&self) -> &Workspace {
        &self.ws
    }

    /// Where the selected request's send is: idle, sending, shown, failed.
    pub fn request_state(&self) -> &RequestState {
        &self.exchange
    }

    /// What would be signed now, when credentials are in hand.
    pub fn preview(&self) -> Option<&SigningTrace> {
        self.preview.as_ref()
    }

    /// Why the selected request cannot be prepared (shown beside its URL).
    pub fn prepare_error(&self) -> Option<&str> {
        self.prepare_error.as_deref()
    }

    /// The footer's notice, until the next key.
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_ref().map(|(_, text)| text.as_str())
    }

    pub fn edited_since_shown(&self) -> bool {
        self.edited_since_shown
    }

    /// True once a quit was decided (the loop ends when its commands have run).
    pub fn quitting(&self) -> bool {
        self.quitting
    }

    pub fn profile(&self) -> Option<&str> {
        self.profile.as_deref()
    }

    /// The last frame's hit map.
    pub fn hits(&self) -> &HitMap {
        &self.hits
    }

    pub fn theme(&self) -> &Theme {
        &self.theme
    }

    pub fn set_theme(&mut self, theme: Theme) {
        self.theme = theme;
    }

    pub fn set_keymap(&mut self, keymap: KeyMap) {
        self.keymap = keymap;
    }

    /// A fixed clock (snapshots).
    pub fn set_clock(&mut self, now: SystemTime) {
        self.clock = Some(now);
        self.refresh_preview();
    }

    /// A variable for this run only, above the environment, never saved (the demo's base URL).
    pub fn set_override(&mut self, name: &str, value: &str) {
        self.overrides.insert(name.into(), value.into());
        self.refresh_preview();
    }

    pub fn set_history_dir(&mut self, dir: PathBuf) {
        self.history_dir = Some(dir);
    }

    pub fn set_drafts_dir(&mut self, dir: PathBuf) {
        self.drafts_dir = Some(dir);
    }

    /// Credentials given up front (the demo, tests): the inspector previews with them at once.
    pub fn set_fixed_credentials(&mut self, resolver: CredentialResolver) {
        self.fixed_credentials = Some(resolver);
        self.refresh_preview();
    }
}
