//! The TUI state and its `update`: messages in, state changed, commands out. No I/O here;
//! commands are run by the loop in `tui::run` (or by tests, through `tasks::perform`) and
//! answer with messages. Raw keys for text fields and prompts are handled in `input`.

use super::editor::{self, Editing, Editor, RowKind};
pub use super::keymap::Action;
use super::keymap::{Context, KeyMap};
use super::response::{JqView, ResponseView, Shown, ViewMode};
use super::theme::Theme;
use super::workspace::{Doc, Node, ReqRef, Workspace};
use crate::aws::credentials::{CredentialSpec, Credentials};
use crate::diagnose::{diagnose, is_auth_failure};
use crate::http::prepare::{self, FileBodies, Prepared};
use crate::http::Exchange;
use crate::model::history::Entry;
use crate::model::{Collection, Environment, Loaded};
use crate::sign::SigningTrace;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Instant, SystemTime};
use tui_textarea::TextArea;

/// Which pane has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Requests,
    Request,
    Response,
    Inspector,
    History,
}

pub const PANES: [Pane; 5] = [
    Pane::Requests,
    Pane::Request,
    Pane::Response,
    Pane::Inspector,
    Pane::History,
];

impl Pane {
    pub fn context(self) -> Context {
        match self {
            Pane::Requests => Context::Tree,
            Pane::Request => Context::Request,
            Pane::Response => Context::Response,
            Pane::Inspector => Context::Global,
            Pane::History => Context::History,
        }
    }
}

pub use super::messages::*;

pub struct App {
    pub ws: Workspace,
    /// The selected tree row.
    pub selected: usize,
    pub focus: Pane,
    /// The right-hand pane shown when the screen is too small for all of them.
    pub main: Pane,
    pub show_inspector: bool,
    pub show_help: bool,
    pub editor: Editor,
    pub state: RequestState,
    pub response: ResponseView,
    pub prompt: Option<Prompt>,
    pub notice: Option<(Level, String)>,
    pub keymap: KeyMap,
    pub theme: Theme,
    /// Terminal size, for layout-dependent input (mouse, page size).
    pub size: (u16, u16),
    /// Credentials given up front (the demo); otherwise the AWS CLI chain.
    pub fixed_credentials: Option<CredentialResolver>,
    /// The profile chosen in the switcher; overrides the request's.
    pub profile: Option<String>,
    pub identity: Option<Result<Identity, String>>,
    /// Variables that win over every scope and are never saved (the demo's base URL).
    pub overrides: BTreeMap<String, String>,
    pub drafts_dir: Option<PathBuf>,
    pub history_dir: Option<PathBuf>,
    /// Where the session (selection, folds, environments, profile) is kept on quit.
    pub session_file: Option<PathBuf>,
    pub history: Vec<Entry>,
    pub history_selected: usize,
    /// A fixed clock (snapshot tests); otherwise the system's.
    pub clock: Option<SystemTime>,
    pub should_quit: bool,
    pub(super) quit_after_save: bool,
    pub(super) next_id: u64,
    /// What will be signed for the selected request, and why not when it cannot be.
    pub preview: Option<SigningTrace>,
    pub prepare_error: Option<String>,
    /// Region and service the selected request signs for (inferred or set).
    pub scope: Option<(String, String)>,
    /// Edits per collection since start, to tell whether a finished save covers them all.
    seqs: Vec<u64>,
    /// Collections typed into since their last draft, and when the typing was: the draft is
    /// written once the typing pauses, so a crash mid-field loses at most that pause.
    pub(super) typing: Option<(usize, Instant)>,
    /// The last `file` body hashed for the preview: its path and SHA-256 (or why not).
    body_hash: Option<(String, Result<String, String>)>,
    /// A `file` body the preview waits for, hashed once the current message is handled.
    hash_wanted: Option<String>,
    hashing: Option<String>,
    /// What the shown exchange was prepared from (`fingerprint`), and whether the request
    /// has changed since: then the inspector shows the preview, not what was sent.
    shown_fingerprint: Option<u64>,
    pub edited_since_shown: bool,
}

/// A digest of what a prepared request would send and how it would be signed.
fn fingerprint(p: &Prepared) -> u64 {
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

impl App {
    /// One in-memory collection (the demo, tests): it cannot be saved.
    pub fn new(collection: Collection) -> Self {
        let loaded = Loaded {
            path: PathBuf::new(),
            collection,
            fingerprint: [0; 32],
        };
        App::with_docs(vec![Doc {
            loaded,
            persistent: false,
            dirty: false,
            env: None,
        }])
    }

    pub fn with_docs(docs: Vec<Doc>) -> Self {
        let n = docs.len();
        let ws = Workspace::new(docs);
        let selected = ws
            .rows
            .iter()
            .position(|r| matches!(r.node, Node::Request(_)))
            .unwrap_or(0);
        let mut app = App {
            ws,
            selected,
            focus: Pane::Requests,
            main: Pane::Request,
            show_inspector: true,
            show_help: false,
            editor: Editor::default(),
            state: RequestState::Idle,
            response: ResponseView::default(),
            prompt: None,
            notice: None,
            keymap: KeyMap::default(),
            theme: Theme::default(),
            size: (160, 45),
            fixed_credentials: None,
            profile: None,
            identity: None,
            overrides: BTreeMap::new(),
            drafts_dir: None,
            history_dir: None,
            session_file: None,
            history: Vec::new(),
            history_selected: 0,
            clock: None,
            should_quit: false,
            quit_after_save: false,
            next_id: 0,
            preview: None,
            prepare_error: None,
            scope: None,
            seqs: vec![0; n],
            typing: None,
            body_hash: None,
            hash_wanted: None,
            hashing: None,
            shown_fingerprint: None,
            edited_since_shown: false,
        };
        app.refresh_preview();
        app
    }

    /// Credentials given up front (the demo): the inspector previews with them at once.
    pub fn set_fixed_credentials(&mut self, resolver: CredentialResolver) {
        self.fixed_credentials = Some(resolver);
        self.refresh_preview();
    }

    /// The commands to run once the loop starts: who am I, the selected request's history.
    pub fn init(&mut self) -> Vec<Command> {
        let mut out = Vec::new();
        match self.fixed_credentials {
            Some(_) if self.identity.is_some() => {}
            Some(resolve) => {
                self.identity = resolve(self.profile.as_deref()).map(|c| {
                    Ok(Identity {
                        arn: None,
                        account: None,
                        key: c.masked_access_key(),
                        expiry: c.expiry,
                        source: c.source.clone(),
                        region: None,
                        note: None,
                        credentials: None,
                    })
                })
            }
            None => out.push(Command::Identity {
                profile: self.profile.clone(),
            }),
        }
        out.extend(self.history_command());
        out.extend(self.hash_command());
        out
    }

    /// The hash a preview waits for, unless it is already being computed.
    fn hash_command(&mut self) -> Option<Command> {
        let path = self.hash_wanted.take()?;
        if self.hashing.as_ref() == Some(&path) {
            return None;
        }
        self.hashing = Some(path.clone());
        Some(Command::HashFile { path })
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

    /// `folder/name` of the selected request.
    pub fn selected_path(&self) -> Option<String> {
        self.ws.path_name(self.selected_request()?)
    }

    pub fn spec(&self) -> Option<&crate::model::RequestSpec> {
        self.ws.request(self.selected_request()?)
    }

    pub fn context(&self) -> Context {
        self.focus.context()
    }

    /// True when keys go to a text field or a prompt rather than the keymap.
    pub fn wants_keys(&self) -> bool {
        self.prompt.is_some() || self.editor.editing.is_some()
    }

    /// True while something wants the clock: a send in flight, a draft waiting for a pause.
    pub fn wants_ticks(&self) -> bool {
        self.typing.is_some() || matches!(self.state, RequestState::Sending { .. })
    }

    pub fn any_dirty(&self) -> bool {
        self.ws.docs.iter().any(|d| d.dirty)
    }

    pub fn notify(&mut self, level: Level, text: impl Into<String>) {
        self.notice = Some((level, text.into()));
    }

    fn environment(&self, doc: usize) -> Option<Environment> {
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

    pub(super) fn prepare_selected(&self) -> Result<Prepared, String> {
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

    fn credentials_for(&self, prepared: &Prepared) -> Option<Credentials> {
        let plan = prepared.signing.as_ref()?;
        let profile = match &plan.credentials {
            CredentialSpec::Chain { profile } => profile.clone(),
            CredentialSpec::Fixed(c) => return Some(c.clone()),
        };
        if let Some(resolve) = self.fixed_credentials {
            return resolve(profile.as_deref());
        }
        // Credentials the identity check resolved, while they last and for the same profile.
        match &self.identity {
            Some(Ok(Identity {
                credentials: Some(c),
                ..
            })) if profile == self.profile && c.expiry.is_none_or(|e| e > self.now()) => {
                Some(c.clone())
            }
            _ => None,
        }
    }

    /// What will be signed, computed while browsing and editing (only with credentials in
    /// hand: resolving them may prompt or hit the network, which the UI never blocks on).
    pub(super) fn refresh_preview(&mut self) {
        self.preview = None;
        self.scope = None;
        self.prepare_error = None;
        if self.selected_request().is_none() {
            return;
        }
        match self.prepare_selected() {
            Err(e) => self.prepare_error = Some(e),
            Ok(p) => {
                self.edited_since_shown =
                    self.shown_fingerprint.is_some_and(|f| f != fingerprint(&p));
                if let Some(plan) = &p.signing {
                    self.scope =
                        Some((plan.settings.region.clone(), plan.settings.service.clone()));
                }
                let (Some(plan), Some(creds)) = (&p.signing, self.credentials_for(&p)) else {
                    return;
                };
                let signed = match &p.body_file {
                    None => prepare::sign_prepared(&p.request, plan, &creds, self.now()),
                    // A file body is hashed off the loop; the preview waits for it.
                    Some(path) => match &self.body_hash {
                        Some((hashed, result)) if hashed == path => match result {
                            Ok(hash) => prepare::sign_prepared_hashed(
                                &p.request,
                                plan,
                                &creds,
                                self.now(),
                                hash,
                            ),
                            Err(e) => {
                                self.prepare_error = Some(e.clone());
                                return;
                            }
                        },
                        // Not while the path is being typed: once it is entered.
                        _ if self.editing_field() == Some(editor::Field::BodyFile) => return,
                        _ => {
                            self.hash_wanted = Some(path.clone());
                            return;
                        }
                    },
                };
                self.preview = signed.ok().map(|s| s.trace);
            }
        }
    }

    /// The request field being typed into, if any.
    pub fn editing_field(&self) -> Option<editor::Field> {
        self.editor.editing.as_ref().map(|e| e.field)
    }

    /// The shown trace: what was signed after a send (until the request is edited), else the
    /// preview.
    pub fn trace(&self) -> Option<&SigningTrace> {
        match &self.state {
            RequestState::Done { exchange, .. } if !self.edited_since_shown => {
                exchange.trace.as_ref().or(self.preview.as_ref())
            }
            _ => self.preview.as_ref(),
        }
    }

    /// Whether the inspector shows what was sent (else what would be).
    pub fn trace_is_sent(&self) -> bool {
        matches!(&self.state, RequestState::Done { exchange, .. }
            if exchange.trace.is_some() && !self.edited_since_shown)
    }

    fn history_command(&mut self) -> Option<Command> {
        self.history.clear();
        self.history_selected = 0;
        let dir = self.history_dir.clone()?;
        let name = self.selected_path()?;
        Some(Command::LoadHistory { dir, name })
    }

    /// After the selection moves: a fresh editor, preview and history.
    pub(super) fn selection_changed(&mut self) -> Vec<Command> {
        self.editor.editing = None;
        self.editor.row = 0;
        self.state = RequestState::Idle;
        self.shown_fingerprint = None;
        self.response.scroll = 0;
        self.refresh_preview();
        self.history_command().into_iter().collect()
    }

    pub(super) fn select_node(&mut self, node: &Node) -> Vec<Command> {
        if let Some(i) = self.ws.row_of(node) {
            self.selected = i;
        }
        self.selection_changed()
    }

    /// After a change to a collection: mark it, preview again, and (when asked) keep a draft.
    pub(super) fn changed(&mut self, doc: usize, draft: bool) -> Vec<Command> {
        if let Some(d) = self.ws.docs.get_mut(doc) {
            d.dirty = true;
        }
        if let Some(s) = self.seqs.get_mut(doc) {
            *s += 1;
        }
        self.refresh_preview();
        if draft {
            self.draft_command(doc).into_iter().collect()
        } else {
            Vec::new()
        }
    }

    pub(super) fn draft_command(&self, doc: usize) -> Option<Command> {
        let d = self.ws.docs.get(doc)?;
        let dir = self.drafts_dir.clone()?;
        (d.persistent && d.dirty).then(|| Command::WriteDraft {
            dir,
            loaded: Box::new(d.loaded.clone()),
        })
    }

    pub(super) fn save_command(&mut self, doc: usize, overwrite: bool) -> Option<Command> {
        let d = self.ws.docs.get(doc)?;
        if !d.persistent {
            // The built-in demo: ask where to keep it, beside the other collections.
            let slug: String = d
                .loaded
                .collection
                .name
                .to_lowercase()
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join("-");
            let path = crate::model::store::collections_dir(None).join(format!(
                "{}.json",
                if slug.is_empty() { "collection" } else { &slug }
            ));
            self.open_text(
                TextPurpose::SaveAs,
                &path.display().to_string(),
                Some(Node::Collection(doc)),
            );
            return None;
        }
        Some(Command::Save {
            doc,
            seq: self.seqs[doc],
            loaded: Box::new(d.loaded.clone()),
            overwrite,
        })
    }

    pub(super) fn page(&self) -> usize {
        (self.size.1 as usize / 2).max(3)
    }

    pub fn update(&mut self, msg: Message) -> Vec<Command> {
        let mut out = self.handle(msg);
        out.extend(self.hash_command());
        out
    }

    fn handle(&mut self, msg: Message) -> Vec<Command> {
        match msg {
            Message::Resize(w, h) => {
                self.size = (w, h);
                Vec::new()
            }
            Message::Tick => match self.typing {
                Some((doc, at)) if at.elapsed() >= std::time::Duration::from_millis(400) => {
                    self.typing = None;
                    self.draft_command(doc).into_iter().collect()
                }
                _ => Vec::new(),
            },
            Message::Key(k) => super::input::key(self, k),
            Message::Mouse(m) => super::input::mouse(self, m),
            Message::Action(action) => {
                if self.notice.is_some() && action != Action::Send {
                    self.notice = None;
                }
                self.act(action)
            }
            Message::Sent { id, result } => self.sent(id, result),
            Message::Checked { id, steps } => {
                if matches!(self.state, RequestState::Sending { id: current, .. } if current == id)
                {
                    self.state = RequestState::Checked(steps);
                }
                Vec::new()
            }
            Message::Formatted { id, lines } => {
                if id == self.next_id {
                    if let RequestState::Done { body, .. } = &mut self.state {
                        body.pretty = Some(lines);
                    }
                }
                Vec::new()
            }
            Message::JqDone { id, filter, result } => {
                if id == self.next_id {
                    if let RequestState::Done { body, .. } = &mut self.state {
                        if let Err(e) = &result {
                            self.notice = Some((Level::Error, e.clone()));
                        }
                        body.jq = Some(JqView { filter, result });
                        self.response.scroll = 0;
                    }
                }
                Vec::new()
            }
            Message::Found { id, needle, line } => {
                if id == self.next_id && needle == self.response.search {
                    self.found(&needle, line);
                }
                Vec::new()
            }
            Message::Saved { doc, seq, result } => self.saved(doc, seq, result),
            Message::Reloaded { doc, result } => {
                match result {
                    Ok(loaded) => {
                        if let Some(d) = self.ws.docs.get_mut(doc) {
                            d.loaded = loaded;
                            d.dirty = false;
                        }
                        self.ws.rebuild();
                        self.selected = self.selected.min(self.ws.rows.len().saturating_sub(1));
                        self.notify(Level::Info, "reloaded from disk; your edits were dropped");
                        let mut out = self.selection_changed();
                        if let (Some(dir), Some(d)) =
                            (self.drafts_dir.clone(), self.ws.docs.get(doc))
                        {
                            out.push(Command::RemoveDraft {
                                dir,
                                path: d.loaded.path.clone(),
                            });
                        }
                        return out;
                    }
                    Err(e) => self.notify(Level::Error, format!("reload failed: {e}")),
                }
                Vec::new()
            }
            Message::DraftFailed(e) => {
                self.notify(Level::Warning, format!("no draft kept: {e}"));
                Vec::new()
            }
            Message::History { name, entries } => {
                if self.selected_path().as_deref() == Some(name.as_str()) {
                    self.history = entries;
                    self.history.reverse();
                    self.history_selected = 0;
                }
                Vec::new()
            }
            Message::Identity { profile, result } => {
                if profile == self.profile {
                    self.identity = Some(result);
                    self.refresh_preview();
                }
                Vec::new()
            }
            Message::Profiles(names) => {
                let mut items = vec!["(default chain)".to_string()];
                items.extend(names);
                let selected = self
                    .profile
                    .as_ref()
                    .and_then(|p| items.iter().position(|i| i == p))
                    .unwrap_or(0);
                self.prompt = Some(Prompt::Pick {
                    what: Pick::Profile,
                    title: "AWS profile".into(),
                    items,
                    selected,
                });
                Vec::new()
            }
            Message::Edited(result) => self.edited(result),
            Message::FileHashed { path, result } => {
                if self.hashing.as_ref() == Some(&path) {
                    self.hashing = None;
                }
                self.body_hash = Some((path, result));
                self.refresh_preview();
                Vec::new()
            }
        }
    }

    fn sent(&mut self, id: u64, result: Result<Box<Exchange>, String>) -> Vec<Command> {
        if !matches!(self.state, RequestState::Sending { id: current, .. } if current == id) {
            return Vec::new();
        }
        match result {
            Ok(exchange) => {
                if self.focus == Pane::Request || self.focus == Pane::Requests {
                    self.main = Pane::Response;
                }
                let mut out = self.show_exchange(id, exchange, None);
                out.extend(self.history_command());
                out
            }
            Err(e) => {
                self.state = RequestState::Failed(e);
                Vec::new()
            }
        }
    }

    /// Shows an exchange (just sent, or reopened from history): its diagnosis when AWS
    /// refused it, and its body, formatted here when small, in the background when large.
    pub(super) fn show_exchange(
        &mut self,
        id: u64,
        exchange: Box<Exchange>,
        from_history: Option<String>,
    ) -> Vec<Command> {
        if from_history.is_some() {
            // A later edit shows the preview instead of what was signed back then.
            self.shown_fingerprint = self.prepare_selected().ok().map(|p| fingerprint(&p));
            self.edited_since_shown = false;
        }
        let diagnosis = is_auth_failure(&exchange.response).then(|| {
            Box::new(diagnose(
                &exchange.response,
                exchange.trace.as_ref(),
                Some(&exchange.request),
            ))
        });
        let shown = Shown::new(
            exchange.response.header("content-type"),
            exchange.response.body.clone(),
        );
        self.response.scroll = 0;
        self.response.mode = if shown.kind == crate::body::BodyKind::Binary {
            ViewMode::Hex
        } else {
            ViewMode::Pretty
        };
        let out = if shown.needs_format() {
            vec![Command::Format {
                id,
                shown: Box::new(shown.clone()),
            }]
        } else {
            Vec::new()
        };
        self.state = RequestState::Done {
            exchange,
            diagnosis,
            body: Box::new(shown),
            from_history,
        };
        out
    }

    fn saved(
        &mut self,
        doc: usize,
        seq: u64,
        result: Result<[u8; 32], SaveFailure>,
    ) -> Vec<Command> {
        let mut out = Vec::new();
        match result {
            Ok(fingerprint) => {
                let Some(d) = self.ws.docs.get_mut(doc) else {
                    return out;
                };
                d.loaded.fingerprint = fingerprint;
                // Edits made while the save ran stay unsaved.
                d.dirty = self.seqs[doc] != seq;
                let name = d.loaded.path.display().to_string();
                if let Some(dir) = self.drafts_dir.clone() {
                    if !d.dirty {
                        out.push(Command::RemoveDraft {
                            dir,
                            path: d.loaded.path.clone(),
                        });
                    }
                }
                self.notify(Level::Info, format!("saved {name}"));
                if self.quit_after_save && !self.any_dirty() {
                    self.should_quit = true;
                    out.push(Command::Quit);
                }
            }
            Err(SaveFailure::Conflict) => {
                self.quit_after_save = false;
                let name = self.ws.docs[doc].loaded.path.display().to_string();
                self.prompt = Some(Prompt::Confirm {
                    what: Confirm::Conflict(doc),
                    question: format!(
                        "{name} changed on disk since it was loaded. o: overwrite it with yours · r: reload it (drop your edits) · Esc: keep editing"
                    ),
                });
            }
            Err(SaveFailure::Other(e)) => {
                self.quit_after_save = false;
                self.notify(Level::Error, e);
            }
        }
        out
    }

    fn edited(&mut self, result: Result<String, String>) -> Vec<Command> {
        let text = match result {
            Ok(t) => t,
            Err(e) => {
                self.notify(Level::Error, e);
                return Vec::new();
            }
        };
        let Some(r) = self.selected_request().cloned() else {
            return Vec::new();
        };
        let Some(spec) = self.ws.request_mut(&r) else {
            return Vec::new();
        };
        let text = text.trim_end_matches('\n');
        let original = spec.clone();
        match editor::apply(spec, editor::Field::Body, text) {
            Ok(()) => {
                if *spec == original {
                    return Vec::new();
                }
                self.changed(r.doc, true)
            }
            Err(e) => {
                // Nothing is lost: the text opens in the inline editor with the error.
                let mut editing = Editing::new(&original, editor::Field::Body);
                editing.area = TextArea::new(text.lines().map(str::to_string).collect());
                editing.error = Some(e.clone());
                self.editor.editing = Some(editing);
                self.notify(
                    Level::Error,
                    format!("{e} — fix it here, or Esc twice to drop it"),
                );
                Vec::new()
            }
        }
    }

    fn act(&mut self, action: Action) -> Vec<Command> {
        if self.show_help {
            self.show_help = false;
            if action != Action::Quit {
                return Vec::new();
            }
        }
        match action {
            Action::Quit => {
                if self.any_dirty() {
                    let names: Vec<String> = self
                        .ws
                        .docs
                        .iter()
                        .filter(|d| d.dirty)
                        .map(|d| d.loaded.collection.name.clone())
                        .collect();
                    self.prompt = Some(Prompt::Confirm {
                        what: Confirm::QuitUnsaved,
                        question: format!(
                            "Unsaved changes in {}. s: save and quit · d: discard and quit · Esc: stay",
                            names.join(", ")
                        ),
                    });
                    return Vec::new();
                }
                self.should_quit = true;
                return vec![Command::Quit];
            }
            Action::Help => self.show_help = true,
            Action::ToggleInspector => {
                if self.compact() {
                    self.main = if self.main == Pane::Inspector {
                        Pane::Request
                    } else {
                        Pane::Inspector
                    };
                    self.focus = self.main;
                } else {
                    self.show_inspector = !self.show_inspector;
                    if !self.show_inspector && self.focus == Pane::Inspector {
                        self.focus = Pane::Response;
                    }
                }
            }
            Action::NextPane | Action::PrevPane => {
                let visible: Vec<Pane> = PANES
                    .into_iter()
                    .filter(|p| *p != Pane::Inspector || self.show_inspector || self.compact())
                    .collect();
                let i = visible.iter().position(|p| *p == self.focus).unwrap_or(0);
                let n = visible.len();
                self.focus = visible[if action == Action::NextPane {
                    (i + 1) % n
                } else {
                    (i + n - 1) % n
                }];
                if self.focus != Pane::Requests {
                    self.main = self.focus;
                }
            }
            Action::Cancel => {
                if matches!(self.state, RequestState::Sending { .. }) {
                    self.state = RequestState::Failed("cancelled".into());
                } else if let RequestState::Done { body, .. } = &mut self.state {
                    if body.jq.take().is_some() {
                        self.response.scroll = 0;
                    }
                }
            }
            Action::Send | Action::Doctor => return self.send(action == Action::Doctor),
            Action::Save => {
                let doc = self.selected_node().map(Node::doc).unwrap_or(0);
                return self.save_command(doc, false).into_iter().collect();
            }
            Action::CopyCurl => match self.prepare_selected() {
                Err(e) => self.notify(Level::Error, format!("nothing copied: {e}")),
                Ok(p) => {
                    let (command, notes) = crate::export::curl(&p);
                    let mut text = format!(
                        "copied as curl ({} characters, OSC 52); it signs with $AWS_ACCESS_KEY_ID / $AWS_SECRET_ACCESS_KEY",
                        command.len()
                    );
                    for n in notes {
                        text.push_str("; ");
                        text.push_str(&n);
                    }
                    self.notify(Level::Info, text);
                    return vec![Command::Copy(command)];
                }
            },
            Action::Environment => {
                let doc = self.selected_node().map(Node::doc).unwrap_or(0);
                if let Some(d) = self.ws.docs.get(doc) {
                    let mut items = vec!["(no environment)".to_string()];
                    items.extend(d.loaded.collection.environments.keys().cloned());
                    let selected = d
                        .env
                        .as_ref()
                        .and_then(|e| items.iter().position(|i| i == e))
                        .unwrap_or(0);
                    self.prompt = Some(Prompt::Pick {
                        what: Pick::Environment(doc),
                        title: format!("Environment of '{}'", d.loaded.collection.name),
                        items,
                        selected,
                    });
                }
            }
            Action::Profile => {
                if self.fixed_credentials.is_some() {
                    self.notify(Level::Info, "the demo signs with the local gateway's demo keys; profiles apply outside the demo");
                } else {
                    return vec![Command::ListProfiles];
                }
            }
            _ => return self.pane_action(action),
        }
        Vec::new()
    }

    pub fn compact(&self) -> bool {
        self.size.0 < 120 || self.size.1 < 30
    }

    fn send(&mut self, doctor: bool) -> Vec<Command> {
        if let Some(e) = self.editor.editing.as_ref().and_then(|e| e.error.clone()) {
            self.notify(Level::Error, format!("not sent: {e}"));
            return Vec::new();
        }
        match self.prepare_selected() {
            Err(e) => {
                self.state = RequestState::Failed(format!("not sent: {e}"));
                Vec::new()
            }
            Ok(prepared) => {
                // The body file is read again by the send: hash it again for the preview.
                self.body_hash = None;
                self.shown_fingerprint = Some(fingerprint(&prepared));
                self.edited_since_shown = false;
                self.next_id += 1;
                let id = self.next_id;
                let credentials = self.credentials_for(&prepared);
                self.state = RequestState::Sending {
                    id,
                    started: Instant::now(),
                };
                let prepared = Box::new(prepared);
                vec![if doctor {
                    Command::Doctor {
                        id,
                        prepared,
                        credentials,
                    }
                } else {
                    let record = self.history_dir.clone().zip(self.selected_path());
                    Command::Send {
                        id,
                        prepared,
                        credentials,
                        record,
                    }
                }]
            }
        }
    }

    /// Actions whose meaning depends on the focused pane.
    fn pane_action(&mut self, action: Action) -> Vec<Command> {
        match self.focus {
            Pane::Requests => super::input::tree_action(self, action),
            Pane::Request => super::input::editor_action(self, action),
            Pane::Response | Pane::Inspector => self.response_action(action),
            Pane::History => self.history_action(action),
        }
    }

    pub(super) fn open_text(&mut self, purpose: TextPurpose, initial: &str, node: Option<Node>) {
        let mut area = TextArea::new(vec![initial.to_string()]);
        area.move_cursor(tui_textarea::CursorMove::End);
        self.prompt = Some(Prompt::Text {
            purpose,
            area: Box::new(area),
            node,
        });
    }

    /// The editor's current tab rows for the selected request.
    pub fn editor_rows(&self) -> Vec<RowKind> {
        if self.editor.tab() == editor::Tab::Vars {
            return (0..self.var_rows().len()).map(RowKind::Pair).collect();
        }
        self.spec()
            .map(|s| editor::rows(s, self.editor.tab()))
            .unwrap_or_default()
    }

    /// The variables the selected request sees (with this run's overrides), highest first.
    pub fn var_rows(&self) -> Vec<super::workspace::VarRow> {
        let Some(r) = self.selected_request() else {
            return Vec::new();
        };
        let env = self.ws.docs.get(r.doc).and_then(|d| d.env.as_deref());
        self.ws.variables(r, env, &self.overrides)
    }

    /// Where a new variable goes: the selected environment, else the collection.
    pub fn new_variable_level(&self) -> super::workspace::VarLevel {
        use super::workspace::VarLevel;
        self.selected_request()
            .and_then(|r| self.ws.docs.get(r.doc)?.env.clone())
            .map(VarLevel::Environment)
            .unwrap_or(VarLevel::Collection)
    }

    /// Marks the start of quitting once every save has landed.
    pub(super) fn save_all_then_quit(&mut self) -> Vec<Command> {
        self.quit_after_save = true;
        let dirty: Vec<usize> = (0..self.ws.docs.len())
            .filter(|&d| self.ws.docs[d].dirty)
            .collect();
        let out: Vec<Command> = dirty
            .into_iter()
            .filter_map(|d| self.save_command(d, false))
            .collect();
        // A collection without a file asks where to save first (Save as): the quit waits.
        if out.is_empty() && self.prompt.is_none() {
            self.quit_after_save = false;
        }
        out
    }

    pub(super) fn current_id(&self) -> u64 {
        self.next_id
    }
}
