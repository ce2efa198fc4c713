//! Searching the shown body: the next (or previous) line holding the text, found at once in
//! a small body and by a task in a large one; the view moves to it.

use super::shown::ResponseView;
use crate::tui::messages::{Command, Level, RequestState};
use crate::tui::state::State;

/// Bodies above this are searched off the UI loop (a 100 MB scan takes ~0.1 s).
const SEARCH_IN_BACKGROUND: usize = 4 << 20;

/// Moves the view to the next (or previous) line holding the search text.
pub fn find(view: &mut ResponseView, st: &mut State, backwards: bool, from_current: bool) {
    let needle = view.search.clone();
    if needle.is_empty() {
        return;
    }
    let RequestState::Done { body, .. } = &st.exchange else {
        return;
    };
    let Some(lines) = body.lines(view.mode) else {
        return st.notify(Level::Warning, "search works in the pretty and raw views");
    };
    let from = if from_current || backwards {
        view.scroll
    } else {
        view.scroll + 1
    };
    let from = from.min(lines.len().saturating_sub(1));
    if lines.text.len() > SEARCH_IN_BACKGROUND {
        let lines = Box::new(lines.clone());
        st.notify(
            Level::Info,
            format!("searching for '{}'…", crate::text::visible_line(&needle)),
        );
        let id = st.next_id;
        st.run(Command::Search {
            id,
            lines,
            needle,
            from,
            backwards,
        });
        return;
    }
    let line = lines.find(&needle, from, backwards);
    found(view, st, &needle, line);
}

/// A search's answer: the view moves to the line, or says there is none.
pub fn found(view: &mut ResponseView, st: &mut State, needle: &str, line: Option<usize>) {
    let needle = crate::text::visible_line(needle);
    match line {
        Some(i) => {
            view.scroll = i;
            st.notify(Level::Info, format!("'{needle}': line {}", i + 1));
        }
        None => st.notify(Level::Warning, format!("'{needle}' not found")),
    }
}
