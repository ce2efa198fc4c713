//! Keys to actions, once, at the edge. The footer and the `?` overlay are generated from it.

use super::app::Action;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub struct Binding {
    pub keys: &'static str,
    pub desc: &'static str,
    pub action: Action,
    pub footer: bool,
}

pub const KEYMAP: &[Binding] = &[
    Binding {
        keys: "Ctrl-R",
        desc: "send",
        action: Action::Send,
        footer: true,
    },
    Binding {
        keys: "Esc",
        desc: "cancel",
        action: Action::Cancel,
        footer: false,
    },
    Binding {
        keys: "↑/k ↓/j",
        desc: "select / scroll",
        action: Action::Down,
        footer: true,
    },
    Binding {
        keys: "PgUp PgDn",
        desc: "scroll response",
        action: Action::ScrollDown,
        footer: false,
    },
    Binding {
        keys: "Tab",
        desc: "next pane",
        action: Action::NextPane,
        footer: true,
    },
    Binding {
        keys: "i",
        desc: "inspector",
        action: Action::ToggleInspector,
        footer: true,
    },
    Binding {
        keys: "?",
        desc: "help",
        action: Action::Help,
        footer: true,
    },
    Binding {
        keys: "q",
        desc: "quit",
        action: Action::Quit,
        footer: true,
    },
];

pub fn action_for(key: KeyEvent) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    Some(match key.code {
        KeyCode::Char('r') if ctrl => Action::Send,
        KeyCode::Char('c') if ctrl => Action::Quit,
        KeyCode::Char('q') => Action::Quit,
        KeyCode::Esc => Action::Cancel,
        KeyCode::Up | KeyCode::Char('k') => Action::Up,
        KeyCode::Down | KeyCode::Char('j') => Action::Down,
        KeyCode::PageDown => Action::ScrollDown,
        KeyCode::PageUp => Action::ScrollUp,
        KeyCode::Tab => Action::NextPane,
        KeyCode::BackTab => Action::PrevPane,
        KeyCode::Char('i') => Action::ToggleInspector,
        KeyCode::Char('?') => Action::Help,
        KeyCode::Char('d') => Action::Doctor,
        _ => return None,
    })
}
