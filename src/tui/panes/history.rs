//! The exchanges recorded for the selected request, newest first: loaded off the loop when
//! the selection changes and after each send; Enter reopens one in the response pane; the
//! mark key marks one and the compare key shows it against the selected one as a diff
//! (without a mark: the selected one against the one before it, so at the top, the last
//! two sends).

use crate::model::history::Entry;
use crate::text::visible_line;
use crate::tui::component::{list_offset, Component, Draw, Event, Flow, Input, PaneId, Slot};
use crate::tui::hits::Target;
use crate::tui::keymap::{Action, Context};
use crate::tui::messages::{Command, Message};
use crate::tui::state::State;
use crate::tui::theme::Role;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

pub const ID: PaneId = PaneId("history");

#[derive(Default)]
pub struct HistoryPane {
    entries: Vec<Entry>,
    selected: usize,
    /// The entry marked for a comparison (its id).
    marked: Option<String>,
}

impl HistoryPane {
    /// The exchanges shown, newest first.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn selected(&self) -> usize {
        self.selected
    }

    /// Forgets the list and asks for the selected request's.
    fn load(&mut self, st: &mut State) {
        self.entries.clear();
        self.selected = 0;
        self.marked = None;
        if let Some(r) = st.record() {
            st.run(Command::LoadHistory {
                dir: r.dir,
                name: r.name,
                id: r.id,
            });
        }
    }

    fn select(&mut self, i: usize) {
        self.selected = i.min(self.entries.len().saturating_sub(1));
    }

    /// The marked entry (else the one before the selected) against the selected one, the
    /// older first.
    fn compare(&mut self, st: &mut State) {
        let Some(selected) = self.entries.get(self.selected) else {
            return;
        };
        let other = match &self.marked {
            Some(id) => self.entries.iter().position(|e| &e.id == id),
            None => (self.selected + 1 < self.entries.len()).then_some(self.selected + 1),
        };
        let Some(other) = other.filter(|&o| o != self.selected) else {
            let key = st.key(Action::Mark).to_string();
            return st.notify(
                crate::tui::messages::Level::Warning,
                format!("two exchanges to compare: {key} marks one, then select another"),
            );
        };
        // Newest first in the list: the larger index is the older exchange.
        let (old, new) = if other > self.selected {
            (&self.entries[other], selected)
        } else {
            (selected, &self.entries[other])
        };
        st.compare(old, new);
        st.reveal(super::response::ID);
    }
}

impl Component for HistoryPane {
    fn id(&self) -> PaneId {
        ID
    }

    fn context(&self) -> Context {
        Context::History
    }

    fn slot(&self) -> Option<Slot> {
        Some(Slot::SidebarBottom)
    }

    fn init(&mut self, st: &mut State) {
        self.load(st);
    }

    fn event(&mut self, event: &Event, st: &mut State) {
        match event {
            Event::SelectionChanged | Event::ExchangeShown { sent: true } => self.load(st),
            _ => {}
        }
    }

    fn reply(&mut self, msg: Message, st: &mut State) -> Option<Message> {
        match msg {
            Message::History { name, entries } => {
                if st.selected_path().as_deref() == Some(name.as_str()) {
                    self.entries = entries;
                    self.entries.reverse();
                    self.selected = 0;
                    // Nothing shown for this request yet: its latest exchange.
                    if let Some(latest) = self.entries.first() {
                        st.open_entry(latest, true);
                    }
                }
                None
            }
            other => Some(other),
        }
    }

    fn input(&mut self, input: Input, st: &mut State) -> Flow {
        match input {
            Input::Action(Action::Up) => self.select(self.selected.saturating_sub(1)),
            Input::Action(Action::Down) => self.select(self.selected + 1),
            Input::Wheel { down } => {
                let s = self.selected;
                self.select(if down { s + 3 } else { s.saturating_sub(3) })
            }
            Input::Click(Target::Row(i)) => self.select(i),
            Input::Action(Action::Mark) => {
                let id = self.entries.get(self.selected).map(|e| e.id.clone());
                self.marked = if self.marked == id { None } else { id };
            }
            Input::Action(Action::Compare) => self.compare(st),
            Input::Action(Action::Enter) => {
                if let Some(e) = self.entries.get(self.selected) {
                    st.open_entry(e, false);
                }
            }
            _ => return Flow::Ignored,
        }
        Flow::Consumed
    }

    fn render(&self, f: &mut Frame, area: Rect, d: &mut Draw) {
        let st = d.st;
        let t = &st.theme;
        let mut lines = Vec::new();
        if self.entries.is_empty() {
            lines.push(Line::styled(
                "No exchanges recorded for this request yet.",
                t.fg(Role::Muted),
            ));
        }
        let height = area.height.saturating_sub(2) as usize;
        let offset = list_offset(self.selected, height);
        for (row, (i, e)) in self
            .entries
            .iter()
            .enumerate()
            .skip(offset)
            .take(height)
            .enumerate()
        {
            let time = e.time.get(11..19).unwrap_or(&e.time);
            let mark = if self.marked.as_ref() == Some(&e.id) {
                "◆ "
            } else {
                ""
            };
            let line = Line::from(vec![
                Span::raw(mark),
                Span::styled(format!("{} ", e.status), t.status(e.status)),
                Span::raw(format!("{} {:>5} ms", visible_line(time), e.elapsed_ms)),
            ]);
            lines.push(if i == self.selected && d.focused {
                line.style(t.selected())
            } else {
                line
            });
            let y = area.y + 1 + row as u16;
            d.hit(
                Rect::new(area.x + 1, y, area.width.saturating_sub(2), 1),
                Target::Row(i),
            );
        }
        let title = format!("History ({})", self.entries.len());
        f.render_widget(Paragraph::new(lines).block(d.block(title)), area);
    }
}
