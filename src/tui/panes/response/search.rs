//! Searching the shown body: every match is listed once (at once in a small body, by a task
//! in a large one), then the next and previous keys step through them, "k of n", with a few
//! lines of context kept above the match.

use super::shown::ResponseView;
use crate::tui::messages::{Command, Level, RequestState};
use crate::tui::state::State;

/// Bodies above this are searched off the UI loop (a 100 MB scan takes ~0.1 s).
const SEARCH_IN_BACKGROUND: usize = 4 << 20;

/// Lines shown above a match, so that it is seen in its place.
pub const CONTEXT: usize = 3;

/// Lists the matches of the search text (a new search, or the same one in a new view).
pub fn start(view: &mut ResponseView, st: &mut State) {
    view.matches.clear();
    view.current = None;
    let needle = view.search.clone();
    if needle.is_empty() {
        return;
    }
    let RequestState::Done { body, .. } = &st.exchange else {
        return;
    };
    // A body read from disk is searched by streaming its file, off the loop.
    if let (Some(file), None) = (&body.file_lines, &body.jq) {
        let (file, id) = (file.clone(), st.next_id);
        st.notify(
            Level::Info,
            format!("searching for '{}'…", crate::text::visible_line(&needle)),
        );
        st.run(Command::Task(crate::tui::messages::Task::new(async move {
            let n = needle.clone();
            let lines = crate::tui::tasks::blocking(move || file.find_all(&n)).await?;
            Some(crate::tui::messages::Message::Found { id, needle, lines })
        })));
        return;
    }
    if body.file.is_some() && body.jq.is_none() {
        return st.notify(
            Level::Info,
            "the body is still being read: search again in a moment",
        );
    }
    if body.needs_format() && view.mode == crate::tui::panes::response::ViewMode::Pretty {
        return st.notify(
            Level::Info,
            "the body is still being formatted: search again in a moment",
        );
    }
    let Some(lines) = body.lines(view.mode) else {
        return st.notify(Level::Warning, "search works in the pretty and raw views");
    };
    if lines.text.len() > SEARCH_IN_BACKGROUND {
        let lines = Box::new(lines.clone());
        st.notify(
            Level::Info,
            format!("searching for '{}'…", crate::text::visible_line(&needle)),
        );
        let id = st.next_id;
        st.run(Command::Search { id, lines, needle });
        return;
    }
    let matches = lines.find_all(&needle);
    found(view, st, &needle, matches);
}

/// The matches came back: the view moves to the first one at or below where it is.
pub fn found(view: &mut ResponseView, st: &mut State, needle: &str, matches: Vec<usize>) {
    let shown = crate::text::visible_line(needle).into_owned();
    view.matches = matches;
    let first = view
        .matches
        .iter()
        .position(|&l| l >= view.scroll)
        .unwrap_or(0);
    if view.matches.is_empty() {
        view.current = None;
        return st.notify(Level::Warning, format!("'{shown}' not found"));
    }
    go(view, st, first);
}

/// The next (or previous) match, wrapping around.
pub fn step(view: &mut ResponseView, st: &mut State, backwards: bool) {
    let n = view.matches.len();
    if n == 0 {
        if !view.search.is_empty() {
            start(view, st);
        }
        return;
    }
    let at = match (view.current, backwards) {
        (None, _) => 0,
        (Some(k), false) => (k + 1) % n,
        (Some(k), true) => (k + n - 1) % n,
    };
    go(view, st, at);
}

fn go(view: &mut ResponseView, st: &mut State, k: usize) {
    let line = view.matches[k];
    view.current = Some(k);
    view.scroll = line.saturating_sub(CONTEXT);
    let more = if view.matches.len() == crate::body::MAX_MATCHES {
        "+"
    } else {
        ""
    };
    st.notify(
        Level::Info,
        format!(
            "'{}': {} of {}{more} (line {})",
            crate::text::visible_line(&view.search),
            k + 1,
            view.matches.len(),
            line + 1
        ),
    );
}

/// "3 of 17" for the pane's head while a search is active.
pub fn position(view: &ResponseView) -> Option<String> {
    let k = view.current?;
    Some(format!("{} of {}", k + 1, view.matches.len()))
}
