//! What a pane or an overlay is (Slumber's `Component` + `Draw`, gitui's popups): one value
//! that owns its view state, turns inputs and task replies into changes of itself and of the
//! shared `State`, draws from `&self`, and lists its key hints. The root (`app`) only routes
//! focus, layout and the overlay stack between them.
//!
//! Components never call each other. What one does for another goes through the `State`
//! outbox: commands for the loop, events every component sees, overlays to open, answers for
//! the component that asked a question.

use super::hits::{HitMap, Target};
use super::keymap::{short, Action, Context};
use super::messages::{Answer, Message};
use super::state::State;
use super::theme::Role;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType};
use ratatui::Frame;
use std::any::Any;

/// A component's name: focus, hit targets and answers are addressed by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PaneId(pub &'static str);

/// Where a pane sits. Two panes may share a slot; the first that is `shown` takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// The collection tree, left.
    Sidebar,
    /// Under the tree.
    SidebarBottom,
    /// Top middle: the request editor.
    Editor,
    /// Top right: the response.
    Viewer,
    /// Across the bottom right, toggled: the inspector.
    Drawer,
}

/// What reaches a component.
#[derive(Debug, Clone)]
pub enum Input {
    Action(Action),
    /// A key no binding of the context claims: text for a field or a prompt.
    Text(KeyEvent),
    /// A bracketed paste, whole.
    Paste(String),
    /// A left click on something this component drew.
    Click(Target),
    Wheel {
        down: bool,
    },
}

/// Whether an input was used; an unused action goes on to the global handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Consumed,
    Ignored,
}

/// Something one component's change means for the others, seen by every component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Another request (or none) is selected.
    SelectionChanged,
    /// A response is shown: just sent, or reopened from history.
    ExchangeShown { sent: bool },
    /// The jq filter was dropped.
    JqCleared,
    /// A new request: straight into its URL.
    EditUrl,
    /// Open an environment of the selected collection in the settings editor.
    EditEnvironment(String),
    /// Show the selected collection's environments in the settings editor.
    EditEnvironments,
    /// A response shown again without a send (kept from earlier, or the latest in history):
    /// shown where it is, without taking the screen.
    ExchangeRestored,
}

/// A key hint: an action (its key comes from the keymap) and what it does here.
#[derive(Debug, Clone, Copy)]
pub struct Hint {
    pub action: Action,
    pub label: &'static str,
}

impl Hint {
    /// The action's own description (its short form, for the footer).
    pub fn of(action: Action) -> Hint {
        Hint {
            action,
            label: short(action),
        }
    }

    pub fn new(action: Action, label: &'static str) -> Hint {
        Hint { action, label }
    }
}

pub trait AsAny {
    fn as_any(&self) -> &dyn Any;
}

impl<T: Any> AsAny for T {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

pub trait Component: AsAny {
    fn id(&self) -> PaneId;

    /// The keymap layer while this component has the keyboard.
    fn context(&self) -> Context;

    /// A pane's place on the screen; overlays have none.
    fn slot(&self) -> Option<Slot> {
        None
    }

    /// Whether a pane takes its slot now.
    fn shown(&self, _st: &State) -> bool {
        true
    }

    /// Once, before the first frame.
    fn init(&mut self, _st: &mut State) {}

    fn input(&mut self, _input: Input, _st: &mut State) -> Flow {
        Flow::Ignored
    }

    /// A task's reply: take it, or hand it back for the next component.
    fn reply(&mut self, msg: Message, _st: &mut State) -> Option<Message> {
        Some(msg)
    }

    fn event(&mut self, _event: &Event, _st: &mut State) {}

    /// The answer to a question this component asked (a prompt, a confirm, a pick).
    fn answer(&mut self, _answer: Answer, _st: &mut State) {}

    fn render(&self, f: &mut Frame, area: Rect, d: &mut Draw);

    /// The footer's hints while this component has the keyboard.
    fn hints(&self, st: &State) -> Vec<Hint> {
        st.keymap
            .footer(self.context())
            .into_iter()
            .map(Hint::of)
            .collect()
    }

    /// The footer's mode badge.
    fn mode(&self) -> &'static str {
        "NORMAL"
    }

    /// The text typed so far, for a prompt (tests read it through `App::overlay_text`).
    fn text(&self) -> Option<String> {
        None
    }
}

/// What a component draws with: the state (read only), whether it has the focus, and the
/// hit map clicks are tested against.
pub struct Draw<'a> {
    pub st: &'a State,
    pub id: PaneId,
    pub focused: bool,
    pub hits: &'a mut HitMap,
}

impl Draw<'_> {
    /// Records `rect` as `target` of this component, for the mouse.
    pub fn hit(&mut self, rect: Rect, target: Target) {
        self.hits.record(rect, self.id, target);
    }

    /// Records how many lines the content has and how many are in view (for scrolling).
    pub fn extent(&mut self, content: usize, viewport: usize) {
        self.hits.set_extent(self.id, content, viewport);
    }

    /// A pane's border: thick and coloured when focused.
    pub fn block<'b>(&self, title: impl Into<Line<'b>>) -> Block<'b> {
        let b = Block::bordered().title(title);
        let t = &self.st.theme;
        if self.focused {
            b.border_type(BorderType::Thick)
                .border_style(t.fg(Role::Focus).add_modifier(Modifier::BOLD))
        } else {
            b.border_style(t.fg(Role::Muted))
        }
    }
}

/// The first row shown in a list of `height` rows so that `selected` is visible.
pub fn list_offset(selected: usize, height: usize) -> usize {
    if height == 0 {
        return selected;
    }
    (selected + 1).saturating_sub(height)
}

/// Centres a `w`×`h` box in `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}
