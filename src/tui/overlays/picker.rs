//! A list to choose from (an environment, a profile, a folder to move to): moved through
//! with the list keys or the wheel, chosen with its key or a click, and the choice handed
//! back to the component that asked.

use crate::text::visible_line;
use crate::tui::component::{centered, list_offset, Component, Draw, Flow, Hint, Input, PaneId};
use crate::tui::hits::Target;
use crate::tui::keymap::{Action, Context};
use crate::tui::messages::{Answer, Message, Pick};
use crate::tui::state::State;
use crate::tui::theme::Role;
use crate::tui::workbench::WORKBENCH;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;

pub const PICKER: PaneId = PaneId("picker");

pub struct Picker {
    owner: PaneId,
    what: Pick,
    title: String,
    items: Vec<String>,
    /// A muted note after each item (a profile's state), when there are any.
    notes: Vec<String>,
    selected: usize,
}

impl Picker {
    pub fn new(
        owner: PaneId,
        what: Pick,
        title: String,
        items: Vec<String>,
        selected: usize,
    ) -> Picker {
        Picker {
            owner,
            what,
            title,
            items,
            notes: Vec::new(),
            selected,
        }
    }

    /// A note shown after each item (same order); the answer is still the item.
    pub fn notes(mut self, notes: Vec<String>) -> Picker {
        self.notes = notes;
        self
    }

    fn choose(&self, st: &mut State) {
        if let Some(item) = self.items.get(self.selected) {
            let (what, index, item) = (self.what.clone(), self.selected, item.clone());
            st.answer(self.owner, Answer::Picked { what, index, item });
        }
        st.close();
    }

    fn move_to(&mut self, i: usize) {
        self.selected = i.min(self.items.len().saturating_sub(1));
    }
}

/// The AWS profiles, once the listing of ~/.aws comes back (an overlay opened by a task's
/// reply: see `app::openers`), with each one's state when the listing has them.
pub fn profiles(msg: &Message, st: &State) -> Option<Box<dyn Component>> {
    let (names, states): (Vec<String>, Vec<String>) = match msg {
        Message::Profiles(names) => (names.clone(), Vec::new()),
        Message::ProfileStatuses(listed) => listed.iter().cloned().unzip(),
        _ => return None,
    };
    let mut items = vec!["(no override: each request's own)".to_string()];
    items.extend(names);
    let selected = (st.profile.as_ref())
        .and_then(|p| items.iter().position(|i| i == p))
        .unwrap_or(0);
    let title = "AWS profile override (this session)".to_string();
    let mut notes = Vec::new();
    if !states.is_empty() {
        notes.push(String::new());
        notes.extend(states);
    }
    Some(Box::new(
        Picker::new(WORKBENCH, Pick::Profile, title, items, selected).notes(notes),
    ))
}

impl Component for Picker {
    fn id(&self) -> PaneId {
        PICKER
    }

    fn context(&self) -> Context {
        Context::Picker
    }

    fn mode(&self) -> &'static str {
        "INPUT"
    }

    fn input(&mut self, input: Input, st: &mut State) -> Flow {
        let page = st.page();
        let at = self.selected;
        match input {
            Input::Action(Action::Up) | Input::Wheel { down: false } => {
                self.move_to(at.saturating_sub(1))
            }
            Input::Action(Action::Down) | Input::Wheel { down: true } => self.move_to(at + 1),
            Input::Action(Action::PageUp) => self.move_to(at.saturating_sub(page)),
            Input::Action(Action::PageDown) => self.move_to(at + page),
            Input::Action(Action::Top) => self.move_to(0),
            Input::Action(Action::Bottom) => self.move_to(usize::MAX),
            Input::Action(Action::Enter) => self.choose(st),
            Input::Click(Target::Row(i)) => {
                self.move_to(i);
                self.choose(st);
            }
            Input::Action(Action::Cancel) => st.close(),
            _ => {}
        }
        Flow::Consumed
    }

    fn hints(&self, _st: &State) -> Vec<Hint> {
        vec![
            Hint::new(Action::Up, "up"),
            Hint::new(Action::Down, "down"),
            Hint::new(Action::Enter, "choose"),
            Hint::new(Action::Cancel, "close"),
        ]
    }

    fn render(&self, f: &mut Frame, area: Rect, d: &mut Draw) {
        let st = d.st;
        let h = (self.items.len() as u16 + 2)
            .min(area.height.saturating_sub(4))
            .max(3);
        // Room for the notes when there are some; names padded to one column.
        let name = match self.notes.is_empty() {
            true => 0,
            false => (self.items.iter().skip(1))
                .map(|i| i.chars().count())
                .max()
                .unwrap_or(0),
        };
        let rect = centered(area, if self.notes.is_empty() { 60 } else { 110 }, h);
        d.hit(rect, Target::Area);
        let visible = h.saturating_sub(2) as usize;
        let offset = list_offset(self.selected, visible);
        let mut lines = Vec::new();
        for (row, (i, item)) in self
            .items
            .iter()
            .enumerate()
            .skip(offset)
            .take(visible)
            .enumerate()
        {
            let item = visible_line(item);
            let mut line = if i == self.selected {
                Line::styled(format!("› {item:<name$}"), st.theme.selected())
            } else {
                Line::raw(format!("  {item:<name$}"))
            };
            if let Some(note) = self.notes.get(i).filter(|n| !n.is_empty()) {
                line.push_span(Span::styled(
                    format!("  {}", visible_line(note)),
                    st.theme.fg(Role::Muted),
                ));
            }
            lines.push(line);
            let y = rect.y + 1 + row as u16;
            d.hit(
                Rect::new(rect.x + 1, y, rect.width.saturating_sub(2), 1),
                Target::Row(i),
            );
        }
        let title = format!(
            "{} ({}/{}, {} chooses, {} closes)",
            visible_line(&self.title),
            st.key(Action::Up),
            st.key(Action::Down),
            st.key(Action::Enter),
            st.key(Action::Cancel)
        );
        f.render_widget(Clear, rect);
        f.render_widget(
            Paragraph::new(lines).block(
                Block::bordered()
                    .title(title)
                    .border_style(st.theme.fg(Role::Focus)),
            ),
            rect,
        );
    }
}
