//! The root: turns keys into actions for whoever has the keyboard, hands task replies and
//! mouse clicks to the component they belong to, applies what components ask of each other
//! (overlays to open, answers, events, focus), and keeps the focus and the overlay stack
//! (moving focus is in `focus`, drawing in `view`). It knows no pane by name: adding one is a
//! line in `panes()`.

pub use super::keymap::Action;
pub use super::messages::*;

use super::component::{Component, Flow, Input, PaneId, Slot};
use super::keymap::Context;
use super::overlays;
use super::panes::{history, inspector, request, response, settings, tree, welcome};
use super::state::State;
use super::workbench::Workbench;
use crate::model::workspace::Doc;
use crate::model::{Collection, Loaded};
use crossterm::event::{KeyEvent, MouseButton, MouseEvent, MouseEventKind};
use std::path::PathBuf;

/// Every pane, in the order Tab visits them; the first takes the focus. A new pane is one
/// more line here (its file says where it sits and when it shows).
fn panes() -> Vec<Box<dyn Component>> {
    vec![
        Box::new(tree::Tree),
        Box::new(welcome::Welcome),
        Box::new(settings::SettingsPane::default()),
        Box::new(request::RequestPane::default()),
        Box::new(response::ResponsePane::default()),
        Box::new(inspector::Inspector::default()),
        Box::new(history::HistoryPane::default()),
    ]
}

/// Overlays that open on a task's reply (the profile list when ~/.aws has been read): one
/// line each. The sign-in and MFA dialogs are opened by `state::creds`, which decides when a
/// profile's failure is offered (once per dialog, and not again unasked once turned down).
type Opener = fn(&Message, &State) -> Option<Box<dyn Component>>;
const OPENERS: &[Opener] = &[overlays::picker::profiles];

pub struct App {
    pub(super) state: State,
    pub(super) panes: Vec<Box<dyn Component>>,
    /// Workbench-wide actions and replies (send, save, quit, profiles): no pane of its own.
    workbench: Workbench,
    /// Prompts, questions, lists, help: the top one has the keyboard.
    pub(super) overlays: Vec<Box<dyn Component>>,
    pub(super) focus: usize,
    /// The right-hand pane of a small screen.
    pub(super) main: usize,
    /// Whether the drawer slot (the inspector) is open on a large screen.
    pub(super) drawer: bool,
}

/// The CLI sets up the shared state (data folders, overrides, identity) before the loop.
impl std::ops::Deref for App {
    type Target = State;
    fn deref(&self) -> &State {
        &self.state
    }
}

impl std::ops::DerefMut for App {
    fn deref_mut(&mut self) -> &mut State {
        &mut self.state
    }
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
        let panes = panes();
        let main = Self::index_in(&panes, |p| p.slot() == Some(Slot::Editor)).unwrap_or(0);
        App {
            state: State::new(docs),
            panes,
            workbench: Workbench,
            overlays: Vec::new(),
            focus: 0,
            main,
            drawer: true,
        }
    }

    /// The commands to run once the loop starts (who am I, the selected request's history).
    pub fn init(&mut self) -> Vec<Command> {
        self.workbench.init(&mut self.state);
        for p in &mut self.panes {
            p.init(&mut self.state);
        }
        self.settle()
    }

    pub fn update(&mut self, msg: Message) -> Vec<Command> {
        match msg {
            Message::Key(k) => self.key(k),
            Message::Action(a) => self.input(Input::Action(a)),
            Message::Paste(text) => self.input(Input::Paste(text)),
            Message::Mouse(m) => self.mouse(m),
            Message::Resize(w, h) => self.state.size = (w, h),
            reply => self.reply(reply),
        }
        self.settle()
    }

    fn key(&mut self, k: KeyEvent) {
        match self.state.keymap.action(k, self.context()) {
            Some(action) => self.input(Input::Action(action)),
            None => self.input(Input::Text(k)),
        }
    }

    /// The top overlay has the keyboard, else the focused pane; what a pane leaves is the
    /// root's (focus) or the workbench's.
    fn input(&mut self, input: Input) {
        if let Input::Action(a) = &input {
            // A notice stays until the next action (a send keeps it: it may be about the send).
            if *a != Action::Send {
                self.state.notice = None;
            }
        }
        if let Some(top) = self.overlays.last_mut() {
            top.input(input, &mut self.state);
            return self.close_if_asked(self.overlays.len() - 1);
        }
        if self.panes[self.focus].input(input.clone(), &mut self.state) == Flow::Consumed {
            return;
        }
        match input {
            Input::Action(a @ (Action::NextPane | Action::PrevPane)) => {
                self.cycle(a == Action::NextPane)
            }
            Input::Action(Action::ToggleInspector) => self.toggle_drawer(),
            Input::Action(_) => {
                self.workbench.input(input, &mut self.state);
            }
            _ => {}
        }
    }

    /// A click or the wheel, on what the last frame drew there.
    fn mouse(&mut self, m: MouseEvent) {
        let Some(hit) = self.state.hits.at(m.column, m.row) else {
            return;
        };
        let input = match m.kind {
            MouseEventKind::Down(MouseButton::Left) => Input::Click(hit.target),
            MouseEventKind::ScrollDown => Input::Wheel { down: true },
            MouseEventKind::ScrollUp => Input::Wheel { down: false },
            _ => return,
        };
        if let Some(top) = self.overlays.last_mut() {
            // Modal: only the overlay itself answers the mouse.
            if top.id() == hit.owner {
                top.input(input, &mut self.state);
                self.close_if_asked(self.overlays.len() - 1);
            }
            return;
        }
        let Some(i) = self.panes.iter().position(|p| p.id() == hit.owner) else {
            return;
        };
        if matches!(input, Input::Click(_)) {
            self.focus_on(i);
        }
        self.panes[i].input(input, &mut self.state);
    }

    /// A task's reply: it may open an overlay; then to the overlays (top first), the panes
    /// and the workbench, until one takes it.
    fn reply(&mut self, msg: Message) {
        let opened: Vec<_> = (OPENERS.iter())
            .filter_map(|open| open(&msg, &self.state))
            .collect();
        self.state.fx.open.extend(opened);
        let mut msg = Some(msg);
        for i in (0..self.overlays.len()).rev() {
            msg = self.overlays[i].reply(msg.take().expect("kept"), &mut self.state);
            self.close_if_asked(i);
            if msg.is_none() {
                return;
            }
        }
        for p in &mut self.panes {
            msg = p.reply(msg.take().expect("kept"), &mut self.state);
            if msg.is_none() {
                return;
            }
        }
        if let Some(m) = msg {
            self.workbench.reply(m, &mut self.state);
        }
    }

    fn close_if_asked(&mut self, i: usize) {
        if std::mem::take(&mut self.state.fx.close) && i < self.overlays.len() {
            self.overlays.remove(i);
        }
    }

    /// Applies what components asked for, until nothing more is asked; returns the commands.
    fn settle(&mut self) -> Vec<Command> {
        // Events may cause events; a bound keeps a mistake from looping forever.
        for _ in 0..16 {
            let fx = &mut self.state.fx;
            let (open, answers, events) = (
                std::mem::take(&mut fx.open),
                std::mem::take(&mut fx.answers),
                std::mem::take(&mut fx.events),
            );
            let (focus, reveal) = (fx.focus.take(), fx.reveal.take());
            fx.close = false;
            if open.is_empty() && answers.is_empty() && events.is_empty() {
                if let Some(i) = focus.and_then(|id| self.index(id)) {
                    self.focus_on(i);
                }
                if let Some(i) = reveal.and_then(|id| self.index(id)) {
                    let slot = self.panes[self.focus].slot();
                    if matches!(
                        slot,
                        Some(Slot::Sidebar | Slot::SidebarBottom | Slot::Editor)
                    ) {
                        self.main = i;
                    }
                }
                break;
            }
            self.overlays.extend(open);
            (self.state.fx.focus, self.state.fx.reveal) = (focus, reveal);
            for (owner, answer) in answers {
                match self.panes.iter_mut().find(|p| p.id() == owner) {
                    Some(p) => p.answer(answer, &mut self.state),
                    None => self.workbench.answer(answer, &mut self.state),
                }
            }
            for event in &events {
                for p in &mut self.panes {
                    p.event(event, &mut self.state);
                }
            }
        }
        self.keep_focus_shown();
        let mut out = std::mem::take(&mut self.state.fx.commands);
        out.extend(self.state.hash_command());
        out.extend(self.state.watch_command());
        out
    }

    fn index(&self, id: PaneId) -> Option<usize> {
        self.panes.iter().position(|p| p.id() == id)
    }

    pub(super) fn index_in(
        panes: &[Box<dyn Component>],
        f: impl Fn(&dyn Component) -> bool,
    ) -> Option<usize> {
        panes.iter().position(|p| f(p.as_ref()))
    }

    /// The keymap layer for the next key: the top overlay's, else the focused pane's.
    pub fn context(&self) -> Context {
        match self.overlays.last() {
            Some(o) => o.context(),
            None => self.panes[self.focus].context(),
        }
    }

    /// True when keys go to a text field or a prompt.
    pub fn wants_keys(&self) -> bool {
        matches!(self.context(), Context::Field | Context::Prompt)
    }

    pub fn focus(&self) -> PaneId {
        self.panes[self.focus].id()
    }

    /// The overlay on top, if one is open.
    pub fn overlay(&self) -> Option<PaneId> {
        self.overlays.last().map(|o| o.id())
    }

    /// The text typed into the overlay on top (a prompt), if it takes text.
    pub fn overlay_text(&self) -> Option<String> {
        self.overlays.last().and_then(|o| o.text())
    }

    /// The overlay on top by its type, to read its view state.
    pub fn overlay_as<T: 'static>(&self) -> Option<&T> {
        (self.overlays.last()).and_then(|o| o.as_ref().as_any().downcast_ref::<T>())
    }

    /// A pane by its type, to read its view state.
    pub fn pane<T: 'static>(&self) -> Option<&T> {
        self.panes
            .iter()
            .find_map(|p| p.as_ref().as_any().downcast_ref::<T>())
    }
}
