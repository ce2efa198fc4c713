//! What the keys mean in the response and history panes (the tree's and the editor's are
//! in `input`).

use super::app::{Action, App, Command, Level, Pane, RequestState, TextPurpose};
use super::response::ViewMode;

/// Bodies above this are searched off the UI loop (a 100 MB scan takes ~0.1 s).
const SEARCH_IN_BACKGROUND: usize = 4 << 20;

impl App {
    pub(super) fn response_action(&mut self, action: Action) -> Vec<Command> {
        let page = self.page();
        let count = match &self.state {
            RequestState::Done { body, .. } => body.line_count(self.response.mode),
            _ => 0,
        };
        let v = &mut self.response;
        match action {
            Action::Up => v.scroll = v.scroll.saturating_sub(1),
            Action::Down => v.scroll = (v.scroll + 1).min(count.saturating_sub(1)),
            Action::PageUp => v.scroll = v.scroll.saturating_sub(page),
            Action::PageDown => v.scroll = (v.scroll + page).min(count.saturating_sub(1)),
            Action::Top => v.scroll = 0,
            Action::Bottom => v.scroll = count.saturating_sub(page),
            Action::Wrap => {
                v.wrap = !v.wrap;
                v.hscroll = 0;
            }
            Action::Right if !v.wrap => v.hscroll += 16,
            Action::Left => v.hscroll = v.hscroll.saturating_sub(16),
            Action::Headers => v.show_headers = !v.show_headers,
            Action::ViewMode => {
                v.mode = match v.mode {
                    ViewMode::Pretty => ViewMode::Raw,
                    ViewMode::Raw => ViewMode::Hex,
                    ViewMode::Hex => ViewMode::Pretty,
                };
                v.scroll = 0;
                if let RequestState::Done { body, .. } = &mut self.state {
                    if v.mode == ViewMode::Raw {
                        body.ensure_raw();
                    }
                }
            }
            Action::Search => {
                self.open_text(TextPurpose::Search, &self.response.search.clone(), None)
            }
            Action::JqFilter => {
                let current = match &self.state {
                    RequestState::Done { body, .. } => body.jq.as_ref().map(|j| j.filter.clone()),
                    _ => None,
                };
                self.open_text(TextPurpose::Jq, current.as_deref().unwrap_or("."), None)
            }
            Action::NextMatch | Action::PrevMatch => {
                return self.find(action == Action::PrevMatch, false);
            }
            _ => {}
        }
        Vec::new()
    }

    /// Moves the view to the next (or previous) line holding the search text.
    /// Moves the view to the next (or previous) line holding the search text. Large bodies
    /// are searched off the loop.
    pub(super) fn find(&mut self, backwards: bool, from_current: bool) -> Vec<Command> {
        let needle = self.response.search.clone();
        if needle.is_empty() {
            return Vec::new();
        }
        let RequestState::Done { body, .. } = &self.state else {
            return Vec::new();
        };
        let Some(lines) = body.lines(self.response.mode) else {
            self.notify(Level::Warning, "search works in the pretty and raw views");
            return Vec::new();
        };
        let from = if from_current || backwards {
            self.response.scroll
        } else {
            self.response.scroll + 1
        };
        let from = from.min(lines.len().saturating_sub(1));
        if lines.text.len() > SEARCH_IN_BACKGROUND {
            let lines = Box::new(lines.clone());
            self.notify(Level::Info, format!("searching for '{needle}'…"));
            return vec![Command::Search {
                id: self.next_id,
                lines,
                needle,
                from,
                backwards,
            }];
        }
        let found = lines.find(&needle, from, backwards);
        self.found(&needle, found);
        Vec::new()
    }

    /// A search's answer: the view moves to the line, or says there is none.
    pub(super) fn found(&mut self, needle: &str, line: Option<usize>) {
        match line {
            Some(i) => {
                self.response.scroll = i;
                self.notice = Some((Level::Info, format!("'{needle}': line {}", i + 1)));
            }
            None => self.notify(Level::Warning, format!("'{needle}' not found")),
        }
    }

    pub(super) fn history_action(&mut self, action: Action) -> Vec<Command> {
        match action {
            Action::Up => self.history_selected = self.history_selected.saturating_sub(1),
            Action::Down => {
                self.history_selected =
                    (self.history_selected + 1).min(self.history.len().saturating_sub(1))
            }
            Action::Enter => {
                if let Some(e) = self.history.get(self.history_selected) {
                    let exchange = Box::new(crate::model::history::to_exchange(e));
                    let label = format!("{} ({})", e.time, e.id);
                    self.next_id += 1;
                    self.main = Pane::Response;
                    return self.show_exchange(self.next_id, exchange, Some(label));
                }
            }
            _ => {}
        }
        Vec::new()
    }
}
