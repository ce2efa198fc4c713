//! The field being typed into: its text area, the request as it was before (a discarded edit
//! restores it), and the value's error. Each keystroke applies the value to the request, so
//! the inspector previews what will be signed; a paste is inserted and applied once, however
//! long it is. Leaving the field keeps the value, unless it is invalid: then the first `done`
//! says why and the second drops the edit.

use super::form::{Cell, Tab};
use super::{RequestPane, TABS};
use crate::model::RequestSpec;
use crate::tui::component::{Flow, Input};
use crate::tui::keymap::Action;
use crate::tui::messages::Level;
use crate::tui::state::State;
use tui_textarea::{CursorMove, TextArea};

pub struct Editing {
    pub cell: Cell,
    pub area: TextArea<'static>,
    /// The request before the edit: a discarded edit puts it back.
    pub original: RequestSpec,
    pub error: Option<String>,
    /// A `done` with an invalid value arms the next one to discard.
    pub discard_armed: bool,
    pub multiline: bool,
}

impl Editing {
    pub fn new(tab: &dyn Tab, spec: &RequestSpec, cell: Cell) -> Editing {
        let value = tab.get(spec, cell);
        let multiline = tab.multiline(cell.row);
        let lines: Vec<String> = if multiline {
            value.lines().map(str::to_string).collect()
        } else {
            vec![value]
        };
        let mut area = TextArea::new(if lines.is_empty() {
            vec![String::new()]
        } else {
            lines
        });
        area.move_cursor(CursorMove::Bottom);
        area.move_cursor(CursorMove::End);
        Editing {
            cell,
            area,
            original: spec.clone(),
            error: None,
            discard_armed: false,
            multiline,
        }
    }

    pub fn value(&self) -> String {
        self.area.lines().join("\n")
    }
}

impl RequestPane {
    /// Opens a field of the current tab for typing.
    pub(super) fn start_edit(&mut self, st: &mut State, cell: Cell) {
        let tab = TABS[self.cur.tab];
        if let Some(spec) = st.spec() {
            self.editing = Some(Editing::new(tab, spec, cell));
            st.typing_path = tab.is_path(cell.row);
        }
    }

    /// Input while a field has the keyboard.
    pub(super) fn field_input(&mut self, input: Input, st: &mut State) -> Flow {
        // Keep the value, then let the workbench send or save it.
        if let Input::Action(Action::Send | Action::Save) = input {
            return match self.leave(st, false) {
                true => Flow::Ignored,
                false => Flow::Consumed,
            };
        }
        let Some(editing) = self.editing.as_mut() else {
            return Flow::Ignored;
        };
        match input {
            Input::Action(Action::Enter) if editing.multiline => {
                editing.area.insert_newline();
                self.typed(st);
            }
            Input::Action(Action::Enter | Action::Done) => {
                self.leave(st, input_is_done(&input));
            }
            Input::Text(key) => {
                editing.discard_armed = false;
                editing.area.input(key);
                self.typed(st);
            }
            Input::Paste(text) => {
                editing.discard_armed = false;
                let text = text.replace("\r\n", "\n").replace('\r', "\n");
                // A one-line field takes a pasted line break as nothing, as a browser does.
                let text = match editing.multiline {
                    true => text,
                    false => text.replace('\n', ""),
                };
                editing.area.insert_str(text);
                self.typed(st);
            }
            _ => {}
        }
        Flow::Consumed
    }

    /// Applies the text as typed: the request changes (and is previewed) while it is valid.
    fn typed(&mut self, st: &mut State) {
        let (Some(editing), Some(r)) = (self.editing.as_mut(), st.selected_request().cloned())
        else {
            return;
        };
        let value = editing.value();
        let tab = TABS[self.cur.tab];
        let result = match st.ws.request_mut(&r) {
            Some(spec) => tab.set(spec, editing.cell, &value),
            None => Ok(()),
        };
        editing.error = result.err();
        if st.ws.request(&r) != Some(&editing.original) {
            st.typed(r.doc);
        }
        st.refresh_preview();
    }

    /// Leaves the field; returns whether it closed (an invalid value keeps it open, and a
    /// second `done` drops the edit).
    fn leave(&mut self, st: &mut State, done: bool) -> bool {
        let (Some(mut editing), Some(r)) = (self.editing.take(), st.selected_request().cloned())
        else {
            return true;
        };
        st.typing_path = false;
        if let Some(e) = editing.error.clone() {
            if done && editing.discard_armed {
                if let Some(spec) = st.ws.request_mut(&r) {
                    *spec = editing.original;
                }
                st.notify(Level::Info, "edit discarded");
                st.refresh_preview();
                return true;
            }
            editing.discard_armed = done;
            let key = st.key(Action::Done).to_string();
            st.notify(
                Level::Error,
                format!("{e} — fix it, or {key} again to discard the edit"),
            );
            st.typing_path = TABS[self.cur.tab].is_path(editing.cell.row);
            self.editing = Some(editing);
            return false;
        }
        if st.ws.request(&r) != Some(&editing.original) {
            let renamed = st.spec().map(|s| &s.name) != Some(&editing.original.name);
            st.changed(r.doc, true);
            if renamed {
                st.ws.rebuild();
            }
        }
        true
    }

    /// The external editor's text for the body: applied, or (invalid) opened inline with
    /// its error so nothing is lost.
    pub(super) fn edited(&mut self, st: &mut State, result: Result<String, String>) {
        let text = match result {
            Ok(t) => t,
            Err(e) => return st.notify(Level::Error, e),
        };
        let Some(r) = st.selected_request().cloned() else {
            return;
        };
        let (tab, cell) = (TABS[super::BODY_TAB], super::body::BODY);
        let Some(spec) = st.ws.request_mut(&r) else {
            return;
        };
        let text = text.trim_end_matches('\n');
        let original = spec.clone();
        match tab.set(spec, cell, text) {
            Ok(()) if *spec == original => {}
            Ok(()) => st.changed(r.doc, true),
            Err(e) => {
                let mut editing = Editing::new(tab, &original, cell);
                editing.area = TextArea::new(text.lines().map(str::to_string).collect());
                editing.error = Some(e.clone());
                self.cur.tab = super::BODY_TAB;
                self.editing = Some(editing);
                let key = st.key(Action::Done).to_string();
                st.notify(
                    Level::Error,
                    format!("{e} — fix it here, or {key} twice to drop it"),
                );
            }
        }
    }
}

fn input_is_done(input: &Input) -> bool {
    matches!(input, Input::Action(Action::Done))
}
