//! The field being typed into: its text field (`text_field`: undo, Ctrl-U, the old value
//! selected), the request as it was before (a discarded edit restores it), and the value's
//! error. Each keystroke applies the value to the request, so the inspector previews what
//! will be signed; a paste is inserted and applied once, however long it is. Leaving the
//! field keeps the value (a table's name trimmed), unless it is invalid: then the first
//! `done` says why and the second drops the edit. Tab and Shift-Tab leave it for the next or
//! previous cell: name → value → the next row's name, as in Postman.

use super::form::{Cell, RowKind, Tab};
use super::{RequestPane, TABS};
use crate::model::RequestSpec;
use crate::tui::component::{Flow, Input};
use crate::tui::keymap::Action;
use crate::tui::messages::Level;
use crate::tui::state::State;
use crate::tui::text_field::{Edited, TextField};

pub struct Editing {
    pub cell: Cell,
    pub field: TextField,
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
        Editing {
            cell,
            field: TextField::new(&value, multiline, false),
            original: spec.clone(),
            error: None,
            discard_armed: false,
            multiline,
        }
    }

    pub fn value(&self) -> String {
        self.field.value()
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
                editing.field.area.insert_newline();
                self.typed(st);
            }
            // A body is indented with two spaces; elsewhere Tab goes to the next cell.
            Input::Action(Action::NextCell) if editing.multiline => {
                editing.field.area.insert_str("  ");
                self.typed(st);
            }
            Input::Action(a @ (Action::NextCell | Action::PrevCell)) => {
                let cell = editing.cell;
                if self.leave(st, false) {
                    self.next_cell(st, cell, a == Action::NextCell);
                }
            }
            Input::Action(Action::Enter | Action::Done) => {
                self.leave(st, input_is_done(&input));
            }
            other => {
                editing.discard_armed = false;
                if editing.field.input(&other) == Edited::Changed {
                    self.typed(st);
                }
            }
        }
        Flow::Consumed
    }

    /// After Tab (or Shift-Tab) left `cell`: the next cell to type into. On a table, the
    /// value after the name and the next row's name after the value (a new row after the
    /// last named one); elsewhere the next text field of the tab. Past the ends, the field
    /// is left.
    fn next_cell(&mut self, st: &mut State, cell: Cell, forward: bool) {
        let Some(r) = st.selected_request().cloned() else {
            return;
        };
        let tab = TABS[self.cur.tab];
        let Some(spec) = st.ws.request(&r) else {
            return;
        };
        let rows = tab.rows(spec, st);
        let Some(at) = rows.iter().position(|k| *k == cell.row) else {
            return;
        };
        let next = match (cell.row, cell.col, forward) {
            (RowKind::Pair(_), 0, true) => Some((at, 1)),
            (RowKind::Pair(_), _, false) if cell.col == 1 => Some((at, 0)),
            (RowKind::Pair(i), _, true) => match rows.get(at + 1) {
                Some(RowKind::Pair(_)) => Some((at + 1, 0)),
                _ => {
                    // Past the last row: a new one, unless this one is still empty.
                    let named = tab
                        .pairs(spec)
                        .and_then(|p| p.get(i))
                        .is_some_and(|p| !p.name.is_empty());
                    if named {
                        self.cur.row = at;
                        self.action_add_row(st);
                    }
                    return;
                }
            },
            (RowKind::Pair(_), _, false) => match at.checked_sub(1).map(|p| rows[p]) {
                Some(RowKind::Pair(_)) => Some((at - 1, 1)),
                _ => None,
            },
            (_, _, true) => (at + 1..rows.len())
                .find(|&k| matches!(rows[k], RowKind::Field(_)))
                .map(|k| (k, 0)),
            (_, _, false) => (0..at)
                .rev()
                .find(|&k| matches!(rows[k], RowKind::Field(_)))
                .map(|k| (k, 0)),
        };
        let Some((row, col)) = next else {
            return;
        };
        self.cur.row = row;
        self.cur.col = col;
        let kind = rows[row];
        self.start_edit(st, Cell { row: kind, col });
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
        // A table's names are trimmed when the cell is left (a stray space is never sent).
        if let (RowKind::Pair(_), 0, None) = (editing.cell.row, editing.cell.col, &editing.error) {
            let value = editing.value();
            if value.trim() != value {
                let tab = TABS[self.cur.tab];
                if let Some(spec) = st.ws.request_mut(&r) {
                    let _ = tab.set(spec, editing.cell, value.trim());
                }
            }
        }
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
        // A row left with neither name nor value is dropped (as Postman's empty last row).
        if let RowKind::Pair(i) = editing.cell.row {
            let tab = TABS[self.cur.tab];
            let items = st.ws.request_mut(&r).and_then(|s| tab.pairs_mut(s));
            if let Some(items) = items {
                if items
                    .get(i)
                    .is_some_and(|p| p.name.trim().is_empty() && p.value.is_empty())
                {
                    items.remove(i);
                    let n = st.spec().map_or(0, |s| tab.rows(s, st).len());
                    self.cur.row = self.cur.row.min(n.saturating_sub(1));
                    self.cur.col = 0;
                }
            }
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
                editing.field = TextField::new(text, true, false);
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
