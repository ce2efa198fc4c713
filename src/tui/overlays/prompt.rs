//! A one-line text prompt (filter, search, jq, rename, save as, a variable): typed into,
//! accepted or cancelled, its text handed back to the component that opened it. A live
//! prompt (the filter) hands back every keystroke too. It starts with the old text selected
//! (typing replaces it, an arrow keeps it), or empty; Ctrl-U, undo and redo work as in every
//! field (`text_field`). Its title says the keys from the keymap.

use crate::model::workspace::Node;
use crate::tui::component::{Component, Draw, Flow, Hint, Input, PaneId};
use crate::tui::keymap::{Action, Context};
use crate::tui::messages::{Answer, Phase, TextPurpose};
use crate::tui::state::State;
use crate::tui::text_field::{Edited, TextField};
use crate::tui::theme::Role;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Clear};
use ratatui::Frame;

pub const PROMPT: PaneId = PaneId("prompt");

pub struct TextPrompt {
    owner: PaneId,
    purpose: TextPurpose,
    title: String,
    accept: &'static str,
    cancel: &'static str,
    /// After the keys in the title ("then n / N").
    note: Option<String>,
    node: Option<Node>,
    field: TextField,
}

impl TextPrompt {
    pub fn new(owner: PaneId, purpose: TextPurpose, title: &str, initial: &str) -> TextPrompt {
        TextPrompt {
            owner,
            purpose,
            title: title.to_string(),
            accept: "accepts",
            cancel: "cancels",
            note: None,
            node: None,
            field: TextField::new(initial, false, true),
        }
    }

    /// The tree item the prompt is about (a rename, a save-as).
    pub fn node(mut self, node: Node) -> TextPrompt {
        self.node = Some(node);
        self
    }

    /// What accepting and cancelling do, in the title and the footer.
    pub fn labels(mut self, accept: &'static str, cancel: &'static str) -> TextPrompt {
        (self.accept, self.cancel) = (accept, cancel);
        self
    }

    pub fn note(mut self, note: String) -> TextPrompt {
        self.note = Some(note);
        self
    }

    fn hand_back(&self, st: &mut State, phase: Phase) {
        st.answer(
            self.owner,
            Answer::Text {
                purpose: self.purpose,
                text: self.field.value(),
                node: self.node.clone(),
                phase,
            },
        );
    }
}

impl Component for TextPrompt {
    fn id(&self) -> PaneId {
        PROMPT
    }

    fn context(&self) -> Context {
        Context::Prompt
    }

    fn mode(&self) -> &'static str {
        "INPUT"
    }

    fn input(&mut self, input: Input, st: &mut State) -> Flow {
        match input {
            Input::Action(Action::Enter) => {
                self.hand_back(st, Phase::Accepted);
                st.close();
            }
            Input::Action(Action::Cancel) => {
                self.hand_back(st, Phase::Cancelled);
                st.close();
            }
            other => {
                if self.field.input(&other) == Edited::Changed
                    && self.purpose == TextPurpose::Filter
                {
                    self.hand_back(st, Phase::Typing);
                }
            }
        }
        Flow::Consumed
    }

    fn hints(&self, _st: &State) -> Vec<Hint> {
        vec![
            Hint::new(Action::Enter, self.accept),
            Hint::new(Action::Cancel, self.cancel),
            Hint::of(Action::ClearField),
            Hint::new(Action::Undo, "undo"),
        ]
    }

    /// The text as typed so far.
    fn text(&self) -> Option<String> {
        Some(self.field.value())
    }

    fn render(&self, f: &mut Frame, area: Rect, d: &mut Draw) {
        let st = d.st;
        let note = self
            .note
            .as_deref()
            .map(|n| format!("; {n}"))
            .unwrap_or_default();
        let title = format!(
            "{} ({} {}, {} {}{note})",
            self.title,
            st.key(Action::Enter),
            self.accept,
            st.key(Action::Cancel),
            self.cancel
        );
        let rect = Rect::new(area.x, area.height.saturating_sub(4), area.width.min(90), 3);
        d.hit(rect, crate::tui::hits::Target::Area);
        f.render_widget(Clear, rect);
        let block = Block::bordered()
            .title(title)
            .border_style(st.theme.fg(Role::Focus));
        let inner = block.inner(rect);
        f.render_widget(block, rect);
        f.render_widget(&self.field.area, inner);
    }
}
