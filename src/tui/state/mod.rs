//! What every component reads and the core operations on it: the open collections and the
//! selection, the request's state (sending, shown, failed), the preview of what will be
//! signed, credentials and identity, and settings. Components change it through these
//! methods and talk to each other through its outbox (`Effects`): commands for the loop,
//! events for every component, overlays to open, answers, focus.
//!
//! The preview is in `preview`, which credentials a request uses and who they belong to
//! (logins and codes offered) in `creds`, sending and showing exchanges in
//! `exchange`, saving, drafts and quitting in `save`; what tests and the CLI read and set
//! from outside in `access`.

mod access;
pub mod checks;
pub mod collections;
pub mod creds;
mod exchange;
mod preview;
mod responses;
mod save;
pub mod watch;

pub use exchange::{Compared, Indexed};
pub use responses::Opened;

use super::component::{Component, Event, PaneId};
use super::hits::HitMap;
use super::keymap::{Action, KeyMap};
use super::messages::{Answer, Command, CredentialResolver, Level, RequestState};
use super::theme::Theme;
use crate::model::workspace::{Doc, Node, ReqRef, VarLevel, VarRow, Workspace};
use crate::model::{Environment, RequestSpec};
use crate::sign::SigningTrace;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Instant, SystemTime};

/// What components ask of each other and of the loop during one update; the root applies it.
#[derive(Default)]
pub struct Effects {
    pub(crate) commands: Vec<Command>,
    pub(crate) events: Vec<Event>,
    pub(crate) open: Vec<Box<dyn Component>>,
    pub(crate) answers: Vec<(PaneId, Answer)>,
    pub(crate) focus: Option<PaneId>,
    pub(crate) reveal: Option<PaneId>,
    pub(crate) close: bool,
}

pub struct State {
    pub(crate) ws: Workspace,
    /// The selected tree row.
    pub(crate) selected: usize,
    pub(crate) exchange: RequestState,
    pub(crate) notice: Option<(Level, String)>,
    pub(crate) keymap: KeyMap,
    pub(crate) theme: Theme,
    /// Terminal size, for page sizes.
    pub(crate) size: (u16, u16),
    /// Credentials given up front (the demo); otherwise the AWS CLI chain.
    pub(crate) fixed_credentials: Option<CredentialResolver>,
    /// The profile chosen with `P` for this run: it overrides the request's, the folder's,
    /// the collection's and the environment's until cleared, and is not kept for the next.
    pub(crate) profile: Option<String>,
    /// Each profile's identity, logins and codes offered (`creds`).
    pub(crate) creds: creds::Creds,
    /// Variables that win over the environment and are never saved (the demo's base URL).
    pub(crate) overrides: BTreeMap<String, String>,
    pub(crate) drafts_dir: Option<PathBuf>,
    pub(crate) history_dir: Option<PathBuf>,
    /// Where the session (selection, folds, environments, profile) is kept on quit.
    pub(crate) session_file: Option<PathBuf>,
    /// A fixed clock (snapshot tests); otherwise the system's.
    pub(crate) clock: Option<SystemTime>,
    /// What will be signed for the selected request, and why not when it cannot be.
    pub(crate) preview: Option<SigningTrace>,
    pub(crate) prepare_error: Option<String>,
    /// Region and service the selected request signs for (inferred or set).
    pub(crate) scope: Option<(String, String)>,
    /// A `file` body's path is being typed: it is not read until it is entered.
    pub(crate) typing_path: bool,
    /// The last frame's hit map (the mouse is tested against it).
    pub(crate) hits: HitMap,
    pub(crate) next_id: u64,
    pub(crate) quit_after_save: bool,
    pub(crate) quitting: bool,
    /// Edits per collection since start, to tell whether a finished save covers them all.
    seqs: Vec<u64>,
    /// The collection typed into since its last draft, and when: the draft is written once
    /// the typing pauses, so a crash mid-field loses at most that pause.
    pub(crate) typing: Option<(usize, Instant)>,
    /// The last `file` body hashed for the preview: its path and SHA-256 (or why not).
    body_hash: Option<(String, Result<String, String>)>,
    /// A `file` body the preview waits for, hashed once the current message is handled.
    hash_wanted: Option<String>,
    hashing: Option<String>,
    /// What the shown exchange was prepared from, and whether the request has changed
    /// since: then the inspector shows the preview, not what was sent.
    shown_fingerprint: Option<u64>,
    pub(crate) edited_since_shown: bool,
    /// What a panel over the response covers (the doctor's steps, a comparison): Esc closes
    /// the panel and shows it again.
    pub(crate) covered: Option<RequestState>,
    /// What each request's response pane showed, kept while another one is selected
    /// (`responses`), and the request the shown one belongs to.
    pub(crate) responses: std::collections::HashMap<String, responses::Parked>,
    pub(crate) shown_for: Option<String>,
    /// The collection files the loop watches for changes made elsewhere (`watch`).
    pub(crate) watched: Vec<PathBuf>,
    /// The fingerprints of the last files this workbench wrote (the watcher ignores them).
    pub(crate) own_writes: Vec<[u8; 32]>,
    /// Where new collections are written (the folder the workbench opened).
    pub(crate) collections_dir: Option<PathBuf>,
    /// What must live as long as the workbench (the demo's gateway, once opened).
    pub(crate) keep_alive: Vec<Box<dyn std::any::Any + Send>>,
    /// Each request's last checks, and where captured variables came from (`checks`).
    pub(crate) checks: checks::Checks,
    pub(crate) fx: Effects,
}

impl State {
    pub fn new(docs: Vec<Doc>) -> State {
        let n = docs.len();
        let ws = Workspace::new(docs);
        let selected = ws
            .rows
            .iter()
            .position(|r| matches!(r.node, Node::Request(_)))
            .unwrap_or(0);
        let mut st = State {
            ws,
            selected,
            exchange: RequestState::Idle,
            notice: None,
            keymap: KeyMap::default(),
            theme: Theme::default(),
            size: (160, 45),
            fixed_credentials: None,
            profile: None,
            creds: creds::Creds::default(),
            overrides: BTreeMap::new(),
            drafts_dir: None,
            history_dir: None,
            session_file: None,
            clock: None,
            preview: None,
            prepare_error: None,
            scope: None,
            typing_path: false,
            hits: HitMap::default(),
            next_id: 0,
            quit_after_save: false,
            quitting: false,
            seqs: vec![0; n],
            typing: None,
            body_hash: None,
            hash_wanted: None,
            hashing: None,
            shown_fingerprint: None,
            edited_since_shown: false,
            covered: None,
            collections_dir: None,
            keep_alive: Vec::new(),
            responses: std::collections::HashMap::new(),
            shown_for: None,
            watched: Vec::new(),
            own_writes: Vec::new(),
            checks: checks::Checks::default(),
            fx: Effects::default(),
        };
        st.refresh_preview();
        st
    }

    pub fn now(&self) -> SystemTime {
        self.clock.unwrap_or_else(SystemTime::now)
    }

    pub fn selected_node(&self) -> Option<&Node> {
        self.ws.rows.get(self.selected).map(|r| &r.node)
    }

    pub fn selected_request(&self) -> Option<&ReqRef> {
        match self.selected_node()? {
            Node::Request(r) => Some(r),
            _ => None,
        }
    }

    /// `folder/name` of the selected request, as history names it.
    pub fn selected_path(&self) -> Option<String> {
        self.ws.path_name(self.selected_request()?)
    }

    pub fn spec(&self) -> Option<&RequestSpec> {
        self.ws.request(self.selected_request()?)
    }

    /// The collection a new item or an environment switch applies to.
    pub fn selected_doc(&self) -> usize {
        self.selected_node().map(Node::doc).unwrap_or(0)
    }

    pub fn any_dirty(&self) -> bool {
        self.ws.docs.iter().any(|d| d.dirty)
    }

    pub fn notify(&mut self, level: Level, text: impl Into<String>) {
        self.notice = Some((level, text.into()));
    }

    /// The first key of an action, for hints written into sentences.
    pub fn key(&self, action: Action) -> &str {
        self.keymap.key(action)
    }

    /// Half a screen: how far page keys move.
    pub fn page(&self) -> usize {
        (self.size.1 as usize / 2).max(3)
    }

    /// True when the terminal is too small for every pane at once.
    pub fn compact(&self) -> bool {
        self.size.0 < 120 || self.size.1 < 30
    }

    /// The selected environment of a collection with this run's overrides on top.
    pub(crate) fn environment(&self, doc: usize) -> Option<Environment> {
        let d = self.ws.docs.get(doc)?;
        let mut env = d
            .env
            .as_ref()
            .and_then(|name| d.loaded.collection.environments.get(name).cloned());
        if !self.overrides.is_empty() {
            let e = env.get_or_insert_with(Environment::default);
            e.variables.extend(self.overrides.clone());
        }
        env
    }

    /// The variables the selected request sees (with this run's overrides), highest first.
    pub fn var_rows(&self) -> Vec<VarRow> {
        let Some(r) = self.selected_request() else {
            return Vec::new();
        };
        let env = self.ws.docs.get(r.doc).and_then(|d| d.env.as_deref());
        self.ws.variables(r, env, &self.overrides)
    }

    /// Where a new variable goes: the selected environment, else the collection.
    pub fn new_variable_level(&self) -> VarLevel {
        self.selected_request()
            .and_then(|r| self.ws.docs.get(r.doc)?.env.clone())
            .map(VarLevel::Environment)
            .unwrap_or(VarLevel::Collection)
    }

    /// Selects a tree row; a different row starts afresh (editor, response, history).
    pub fn select_row(&mut self, row: usize) {
        if row < self.ws.rows.len() && row != self.selected {
            self.selected = row;
            self.selection_changed();
        }
    }

    pub fn select_node(&mut self, node: &Node) {
        if let Some(i) = self.ws.row_of(node) {
            self.selected = i;
        }
        self.selection_changed();
    }

    /// After the selection moves: what was shown is kept for its request and the new one's
    /// comes back (`responses`), a fresh preview, and every component told.
    pub fn selection_changed(&mut self) {
        let restored = self.park_and_restore();
        self.typing_path = false;
        self.refresh_preview();
        self.emit(Event::SelectionChanged);
        if restored {
            self.emit(Event::ExchangeRestored);
        }
    }

    /// After a change to a collection: mark it, preview again, and (when asked) keep a draft.
    pub fn changed(&mut self, doc: usize, draft: bool) {
        if let Some(d) = self.ws.docs.get_mut(doc) {
            d.dirty = true;
        }
        if let Some(s) = self.seqs.get_mut(doc) {
            *s += 1;
        }
        self.refresh_preview();
        if draft {
            if let Some(c) = self.draft_command(doc) {
                self.run(c);
            }
        }
    }

    pub fn run(&mut self, command: Command) {
        self.fx.commands.push(command);
    }

    pub fn emit(&mut self, event: Event) {
        self.fx.events.push(event);
    }

    /// Opens an overlay on top of everything; it has the keyboard until it closes.
    pub fn open(&mut self, overlay: impl Component + 'static) {
        self.fx.open.push(Box::new(overlay));
    }

    /// Hands an overlay's answer to the component that asked.
    pub fn answer(&mut self, owner: PaneId, answer: Answer) {
        self.fx.answers.push((owner, answer));
    }

    /// Closes the overlay being handled.
    pub fn close(&mut self) {
        self.fx.close = true;
    }

    pub fn focus(&mut self, pane: PaneId) {
        self.fx.focus = Some(pane);
    }

    /// Shows a pane in the single right-hand slot of a small screen (unless the user is
    /// looking at another right-hand pane).
    pub fn reveal(&mut self, pane: PaneId) {
        self.fx.reveal = Some(pane);
    }
}
