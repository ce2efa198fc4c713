//! A text field as every prompt and editor field behaves: typed into, pasted into in one
//! step, Ctrl-U clears it, undo and redo, and an old value that starts selected so that
//! typing replaces it (an arrow key keeps it and moves the cursor instead). A one-line field
//! never takes a tab or a line break: Tab is the keymap's (next cell), and a pasted line
//! break is dropped. Built on tui-textarea, which keeps the edit history.

use super::component::Input;
use super::keymap::Action;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::{Modifier, Style};
use tui_textarea::{CursorMove, TextArea};

/// What a keystroke did to the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edited {
    /// The text changed.
    Changed,
    /// The cursor or selection moved; the text is the same.
    Moved,
    /// Not a field's input (the caller handles it).
    Ignored,
}

#[derive(Debug, Clone)]
pub struct TextField {
    pub area: TextArea<'static>,
    pub multiline: bool,
}

impl TextField {
    /// A field holding `text`, the cursor at its end; with `select`, the whole text selected
    /// (typing replaces it).
    pub fn new(text: &str, multiline: bool, select: bool) -> TextField {
        let lines: Vec<String> = if multiline {
            text.lines().map(str::to_string).collect()
        } else {
            vec![text.replace(['\r', '\n'], "")]
        };
        let mut area = TextArea::new(if lines.is_empty() {
            vec![String::new()]
        } else {
            lines
        });
        area.set_selection_style(Style::default().add_modifier(Modifier::REVERSED));
        if select && !text.is_empty() {
            area.select_all();
        } else {
            area.move_cursor(CursorMove::Bottom);
            area.move_cursor(CursorMove::End);
        }
        TextField { area, multiline }
    }

    /// The text, lines joined with `\n`.
    pub fn value(&self) -> String {
        self.area.lines().join("\n")
    }

    pub fn is_selecting(&self) -> bool {
        self.area.is_selecting()
    }

    /// Applies an input meant for a text field.
    pub fn input(&mut self, input: &Input) -> Edited {
        let before = self.area.lines().len() == 1 && self.area.lines()[0].is_empty();
        let changed = match input {
            Input::Action(Action::Undo) => self.area.undo(),
            Input::Action(Action::Redo) => self.area.redo(),
            Input::Action(Action::ClearField) => {
                if before {
                    false
                } else {
                    self.area.select_all();
                    self.area.cut()
                }
            }
            Input::Paste(text) => {
                let text = text.replace("\r\n", "\n").replace('\r', "\n");
                // A one-line field takes a pasted line break as nothing, as a browser does.
                let text = match self.multiline {
                    true => text,
                    false => text.replace('\n', ""),
                };
                self.area.insert_str(text)
            }
            Input::Text(key) => return self.key(*key),
            _ => return Edited::Ignored,
        };
        if changed {
            Edited::Changed
        } else {
            Edited::Moved
        }
    }

    fn key(&mut self, key: KeyEvent) -> Edited {
        let plain = !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        match key.code {
            // Never a tab in a field (Tab moves between cells); a line break only where lines are.
            KeyCode::Tab | KeyCode::BackTab => return Edited::Ignored,
            KeyCode::Enter if !self.multiline => return Edited::Ignored,
            KeyCode::Char('m' | 'j') if !plain && !self.multiline => return Edited::Ignored,
            // The selected old value stays when an arrow moves the cursor (it is not replaced).
            KeyCode::Left
            | KeyCode::Right
            | KeyCode::Up
            | KeyCode::Down
            | KeyCode::Home
            | KeyCode::End
                if self.area.is_selecting() && !key.modifiers.contains(KeyModifiers::SHIFT) =>
            {
                self.area.cancel_selection();
            }
            _ => {}
        }
        if self.area.input(key) {
            Edited::Changed
        } else {
            Edited::Moved
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(c: char) -> Input {
        Input::Text(KeyEvent::from(KeyCode::Char(c)))
    }

    #[test]
    fn a_selected_old_value_is_replaced_by_typing_and_kept_by_an_arrow() {
        let mut f = TextField::new(".items", false, true);
        assert_eq!(f.input(&text('.')), Edited::Changed);
        assert_eq!(f.value(), ".", "typing replaced the selection");
        let mut f = TextField::new("old", false, true);
        f.input(&Input::Text(KeyEvent::from(KeyCode::End)));
        f.input(&text('!'));
        assert_eq!(f.value(), "old!");
    }

    #[test]
    fn tab_never_lands_in_a_one_line_field_and_ctrl_u_undo_redo_work() {
        let mut f = TextField::new("limit", false, false);
        assert_eq!(
            f.input(&Input::Text(KeyEvent::from(KeyCode::Tab))),
            Edited::Ignored
        );
        assert_eq!(f.value(), "limit");
        f.input(&Input::Action(Action::ClearField));
        assert_eq!(f.value(), "");
        f.input(&Input::Action(Action::Undo));
        assert_eq!(f.value(), "limit");
        f.input(&Input::Action(Action::Redo));
        assert_eq!(f.value(), "");
        f.input(&Input::Paste("a\nb".into()));
        assert_eq!(f.value(), "ab");
        let mut body = TextField::new("{}", true, false);
        body.input(&Input::Paste("\n1".into()));
        assert_eq!(body.value(), "{}\n1");
    }
}
