//! Settings in the editor's place: when a collection or a folder is selected in the tree,
//! its name, description, auth, headers and variables, each with what it inherits and from
//! where; a collection also lists its environments (create, rename, duplicate, delete, pick,
//! and open one to edit its profile, region and variables). Rows are in `rows`, drawing in
//! `draw`. A field is typed into as in the request editor (undo, Ctrl-U, Tab to the next
//! cell) and applied when it is left.

mod draw;
pub(crate) mod rows;

use crate::model::workspace::{Node, Subject};
use crate::text::visible_line;
use crate::tui::component::{Component, Draw, Flow, Hint, Input, PaneId, Slot};
use crate::tui::hits::Target;
use crate::tui::keymap::{Action, Context};
use crate::tui::messages::{Answer, Confirm, Level, Phase, TextPurpose};
use crate::tui::overlays::{confirm::Confirmation, prompt::TextPrompt};
use crate::tui::state::State;
use crate::tui::text_field::{Edited, TextField};
use ratatui::layout::Rect;
use ratatui::Frame;
use rows::{Row, Tab};

pub const ID: PaneId = PaneId("settings");

/// The cell being typed into.
pub struct Editing {
    pub row: Row,
    pub col: usize,
    pub field: TextField,
    pub error: Option<String>,
    /// A `done` with an invalid value arms the next one to drop the edit.
    armed: bool,
}

#[derive(Default)]
pub struct SettingsPane {
    tab: usize,
    row: usize,
    col: usize,
    /// An environment of the selected collection, opened from its list.
    env: Option<String>,
    /// A variable row being named (not in the map until it has a name).
    pending: bool,
    /// The environment a rename prompt is for.
    renaming: Option<String>,
    editing: Option<Editing>,
}

/// What the selection makes the settings editor show, if anything.
fn selected_subject(st: &State) -> Option<Subject> {
    match st.selected_node()? {
        Node::Collection(d) => Some(Subject::Collection(*d)),
        Node::Folder(d, p) => Some(Subject::Folder(*d, p.clone())),
        Node::Request(_) => None,
    }
}

impl SettingsPane {
    /// What is being edited: the selected collection or folder, or an environment opened
    /// from the collection's list.
    pub fn subject(&self, st: &State) -> Option<Subject> {
        let s = selected_subject(st)?;
        match (&s, &self.env) {
            (Subject::Collection(d), Some(env)) if st.ws.environment(*d, env).is_some() => {
                Some(Subject::Environment(*d, env.clone()))
            }
            _ => Some(s),
        }
    }

    /// The tab shown (its title), the row and the column.
    pub fn cursor(&self, st: &State) -> Option<(&'static str, usize, usize)> {
        let s = self.subject(st)?;
        let tabs = rows::tabs(&s);
        Some((tabs[self.tab % tabs.len()].title(), self.row, self.col))
    }

    /// The value being typed, and its error, if a field is open.
    pub fn editing(&self) -> Option<(String, Option<&str>)> {
        (self.editing.as_ref()).map(|e| (e.field.value(), e.error.as_deref()))
    }

    fn current_tab(&self, s: &Subject) -> Tab {
        let tabs = rows::tabs(s);
        tabs[self.tab % tabs.len()]
    }

    fn rows(&self, st: &State, s: &Subject) -> Vec<Row> {
        rows::rows(st, s, self.current_tab(s), self.pending)
    }

    fn switch_tab(&mut self, n: usize) {
        self.tab = n;
        self.row = 0;
        self.col = 0;
        self.pending = false;
    }

    fn clamp(&mut self, st: &State, s: &Subject) {
        let n = self.rows(st, s).len();
        self.row = self.row.min(n.saturating_sub(1));
    }

    /// Opens a cell for typing.
    fn edit(&mut self, st: &State, s: &Subject, row: Row, col: usize) {
        let text = rows::get(st, s, &row, col);
        let multiline = false;
        self.editing = Some(Editing {
            row,
            col,
            field: TextField::new(&text, multiline, false),
            error: None,
            armed: false,
        });
    }

    fn changed(&self, st: &mut State, s: &Subject) {
        st.changed(s.doc(), true);
    }

    /// Leaves the field: the value applied, or (invalid) the field kept open with why; a
    /// second `done` drops the edit. Returns whether it closed.
    fn leave(&mut self, st: &mut State, done: bool) -> bool {
        let (Some(mut e), Some(s)) = (self.editing.take(), self.subject(st)) else {
            return true;
        };
        let value = e.field.value();
        let before = rows::get(st, &s, &e.row, e.col);
        // A header row left with neither name nor value is dropped.
        if let Row::Header(_) = e.row {
            let other = rows::get(st, &s, &e.row, 1 - e.col.min(1));
            if value.trim().is_empty() && other.is_empty() {
                if rows::remove(st, &s, &e.row) {
                    self.clamp(st, &s);
                    self.changed(st, &s);
                }
                return true;
            }
        }
        if value == before && e.row != Row::Var(None) {
            return true;
        }
        match rows::set(st, &s, &e.row, e.col, &value) {
            Ok(row) => {
                if row == Row::Var(None) {
                    // The new variable was left unnamed: nothing is added.
                    self.pending = false;
                    self.clamp(st, &s);
                    return true;
                }
                if e.row == Row::Var(None) {
                    self.pending = false;
                }
                if let (Subject::Environment(..), Row::Name) = (&s, &e.row) {
                    self.env = Some(value.trim().to_string());
                }
                let s = self.subject(st).unwrap_or(s);
                if let Some(i) = self.rows(st, &s).iter().position(|r| *r == row) {
                    self.row = i;
                }
                self.changed(st, &s);
                if matches!(e.row, Row::Name) {
                    st.ws.rebuild();
                }
                true
            }
            Err(err) if done && e.armed => {
                if e.row == Row::Var(None) {
                    self.pending = false;
                }
                st.notify(Level::Info, format!("edit dropped ({err})"));
                true
            }
            Err(err) => {
                let key = st.key(Action::Done).to_string();
                st.notify(
                    Level::Error,
                    format!("{err} — fix it, or {key} again to drop the edit"),
                );
                e.error = Some(err);
                e.armed = done;
                self.editing = Some(e);
                false
            }
        }
    }

    fn field_input(&mut self, input: Input, st: &mut State) -> Flow {
        if let Input::Action(Action::Send | Action::Save) = input {
            return match self.leave(st, false) {
                true => Flow::Ignored,
                false => Flow::Consumed,
            };
        }
        let Some(e) = self.editing.as_mut() else {
            return Flow::Ignored;
        };
        match input {
            Input::Action(a @ (Action::NextCell | Action::PrevCell)) => {
                let (row, col) = (e.row.clone(), e.col);
                if self.leave(st, false) {
                    self.next_cell(st, row, col, a == Action::NextCell);
                }
            }
            Input::Action(Action::Enter) => {
                self.leave(st, false);
            }
            Input::Action(Action::Done) => {
                self.leave(st, true);
            }
            other => {
                e.armed = false;
                if e.field.input(&other) == Edited::Changed {
                    e.error = None;
                }
            }
        }
        Flow::Consumed
    }

    /// Tab after a cell: name → value → the next row's name (a new row after the last
    /// named one); elsewhere the next text row. Shift-Tab goes back.
    fn next_cell(&mut self, st: &mut State, row: Row, col: usize, forward: bool) {
        let Some(s) = self.subject(st) else {
            return;
        };
        // The row may have been renamed (a variable): find it by where the cursor is.
        let rows = self.rows(st, &s);
        let at = self.row.min(rows.len().saturating_sub(1));
        let next = match (row.is_pair(), col, forward) {
            (true, 0, true) => Some((at, 1)),
            (true, 1, false) => Some((at, 0)),
            (true, _, true) => match rows.get(at + 1) {
                Some(r) if r.is_pair() => Some((at + 1, 0)),
                _ => return self.add_row(st, &s),
            },
            (true, _, false) => at
                .checked_sub(1)
                .filter(|&k| rows[k].is_pair())
                .map(|k| (k, 1)),
            (false, _, true) => (at + 1..rows.len())
                .find(|&k| rows[k].is_text())
                .map(|k| (k, 0)),
            (false, _, false) => (0..at).rev().find(|&k| rows[k].is_text()).map(|k| (k, 0)),
        };
        if let Some((r, c)) = next {
            self.row = r;
            self.col = c;
            self.edit(st, &s, rows[r].clone(), c);
        }
    }

    /// A new row on a table tab (typed into at once), or a new environment (named first).
    fn add_row(&mut self, st: &mut State, s: &Subject) {
        match self.current_tab(s) {
            Tab::Headers => {
                if let Some(row) = rows::add_header(st, s) {
                    self.row = self.rows(st, s).len().saturating_sub(1);
                    self.col = 0;
                    st.changed(s.doc(), false);
                    self.edit(st, s, row, 0);
                }
            }
            Tab::Vars => {
                self.pending = true;
                self.row = self.rows(st, s).len() - 1;
                self.col = 0;
                self.edit(st, s, Row::Var(None), 0);
            }
            Tab::Environments => env_prompt(st, TextPurpose::NewEnvironment, "", false),
            _ => {}
        }
    }

    fn action(&mut self, action: Action, st: &mut State) -> Flow {
        let Some(s) = self.subject(st) else {
            return Flow::Ignored;
        };
        let rows = self.rows(st, &s);
        let row = rows.get(self.row).cloned();
        let n = rows::tabs(&s).len();
        match action {
            Action::Up => self.row = self.row.saturating_sub(1),
            Action::Down => self.row = (self.row + 1).min(rows.len().saturating_sub(1)),
            Action::NextTab => self.switch_tab((self.tab + 1) % n),
            Action::PrevTab => self.switch_tab((self.tab + n - 1) % n),
            Action::Left | Action::Right
                if row.as_ref().is_some_and(Row::is_pair)
                    && (self.col == 1) == (action == Action::Left) =>
            {
                self.col = usize::from(action == Action::Right)
            }
            Action::Left => self.switch_tab((self.tab + n - 1) % n),
            Action::Right => self.switch_tab((self.tab + 1) % n),
            Action::Toggle => match row {
                Some(Row::Env(name)) => pick_environment(st, s.doc(), &name),
                Some(r) if rows::cycle(st, &s, &r) => {
                    self.clamp(st, &s);
                    self.changed(st, &s);
                }
                _ => {}
            },
            Action::Enter => match row {
                Some(Row::Env(name)) => {
                    self.env = Some(name);
                    self.switch_tab(0);
                }
                Some(r) if r.is_text() => {
                    let col = if r.is_pair() { self.col } else { 0 };
                    self.edit(st, &s, r, col)
                }
                Some(_) => return self.action(Action::Toggle, st),
                None => self.add_row(st, &s),
            },
            Action::AddRow => self.add_row(st, &s),
            Action::DeleteRow | Action::Delete => match row {
                Some(Row::Env(name)) => {
                    let question = format!(
                        "Delete the environment '{}' (and its variables)?",
                        visible_line(&name)
                    );
                    st.open(
                        Confirmation::new(ID, Confirm::DeleteEnvironment(s.doc(), name), question)
                            .answer(Action::Yes, "delete")
                            .answer(Action::No, "keep"),
                    );
                }
                Some(r) if rows::remove(st, &s, &r) => {
                    self.clamp(st, &s);
                    self.changed(st, &s);
                }
                _ => {}
            },
            Action::Rename => match row {
                Some(Row::Env(name)) => {
                    env_prompt(st, TextPurpose::RenameEnvironment, &name, true);
                    self.renaming = Some(name);
                }
                _ => return Flow::Ignored,
            },
            Action::Duplicate => match row {
                Some(Row::Env(name)) => match st.ws.duplicate_environment(s.doc(), &name) {
                    Ok(copy) => {
                        self.changed(st, &s);
                        if let Some(i) = self
                            .rows(st, &s)
                            .iter()
                            .position(|r| *r == Row::Env(copy.clone()))
                        {
                            self.row = i;
                        }
                    }
                    Err(e) => st.notify(Level::Error, e),
                },
                _ => return Flow::Ignored,
            },
            // An environment goes back to its collection's list.
            Action::Cancel if self.env.is_some() => {
                self.env = None;
                self.tab = rows::tabs(&Subject::Collection(s.doc()))
                    .iter()
                    .position(|t| *t == Tab::Environments)
                    .unwrap_or(0);
                self.row = 0;
            }
            _ => return Flow::Ignored,
        }
        Flow::Consumed
    }

    /// Opens an environment of a collection in the editor (the E list's "edit").
    pub fn open_environment(&mut self, name: String) {
        self.env = Some(name);
        self.switch_tab(0);
    }
}

/// A prompt for an environment's name (new, or a rename of `initial`).
fn env_prompt(st: &mut State, purpose: TextPurpose, initial: &str, rename: bool) {
    let title = match rename {
        true => format!("Rename the environment '{}'", visible_line(initial)),
        false => "New environment: its name".to_string(),
    };
    st.open(TextPrompt::new(ID, purpose, &title, initial).labels("saves", "cancels"));
}

/// Makes an environment the collection's selected one.
fn pick_environment(st: &mut State, doc: usize, name: &str) {
    if let Some(d) = st.ws.docs.get_mut(doc) {
        d.env = Some(name.to_string());
    }
    st.notify(Level::Info, format!("environment: {}", visible_line(name)));
    st.refresh_preview();
}

impl Component for SettingsPane {
    fn id(&self) -> PaneId {
        ID
    }

    fn context(&self) -> Context {
        match self.editing {
            Some(_) => Context::Field,
            None => Context::Settings,
        }
    }

    fn slot(&self) -> Option<Slot> {
        Some(Slot::Editor)
    }

    fn shown(&self, st: &State) -> bool {
        selected_subject(st).is_some()
    }

    fn mode(&self) -> &'static str {
        if self.editing.is_some() {
            "EDIT"
        } else {
            "NORMAL"
        }
    }

    fn hints(&self, st: &State) -> Vec<Hint> {
        if self.editing.is_some() {
            return vec![
                Hint::new(Action::Enter, "apply"),
                Hint::new(Action::Done, "done"),
                Hint::of(Action::NextCell),
                Hint::new(Action::ClearField, "clear"),
                Hint::new(Action::Undo, "undo"),
            ];
        }
        let mut out: Vec<Hint> = st
            .keymap
            .footer(Context::Settings)
            .into_iter()
            .map(Hint::of)
            .collect();
        if self.env.is_some() {
            out.insert(0, Hint::new(Action::Cancel, "back to the environments"));
        }
        out
    }

    fn input(&mut self, input: Input, st: &mut State) -> Flow {
        if self.editing.is_some() {
            return self.field_input(input, st);
        }
        match input {
            Input::Action(a) => self.action(a, st),
            Input::Click(Target::Tab(i)) => {
                self.switch_tab(i);
                Flow::Consumed
            }
            Input::Click(Target::Row(i)) => {
                self.row = i;
                Flow::Consumed
            }
            Input::Wheel { down } => {
                let a = if down { Action::Down } else { Action::Up };
                self.action(a, st)
            }
            Input::Click(_) => Flow::Consumed,
            _ => Flow::Ignored,
        }
    }

    fn event(&mut self, event: &crate::tui::component::Event, _st: &mut State) {
        use crate::tui::component::Event;
        match event {
            Event::SelectionChanged => {
                self.editing = None;
                self.pending = false;
                self.env = None;
                self.row = 0;
                self.col = 0;
            }
            Event::EditEnvironment(name) => self.open_environment(name.clone()),
            Event::EditEnvironments => {
                let tabs = rows::tabs(&Subject::Collection(0));
                self.switch_tab(
                    tabs.iter()
                        .position(|t| *t == Tab::Environments)
                        .unwrap_or(0),
                );
            }
            _ => {}
        }
    }

    fn answer(&mut self, answer: Answer, st: &mut State) {
        let Some(s) = self.subject(st) else {
            return;
        };
        let doc = s.doc();
        match answer {
            Answer::Text {
                purpose: TextPurpose::NewEnvironment,
                text,
                phase: Phase::Accepted,
                ..
            } => match st.ws.add_environment(doc, &text) {
                Ok(()) => {
                    st.changed(doc, true);
                    self.env = Some(text.trim().to_string());
                    self.switch_tab(0);
                    st.notify(
                        Level::Info,
                        format!(
                            "environment '{}' added: set its profile, region and variables here",
                            visible_line(text.trim())
                        ),
                    );
                }
                Err(e) => st.notify(Level::Error, e),
            },
            Answer::Text {
                purpose: TextPurpose::RenameEnvironment,
                text,
                phase,
                ..
            } => match self.renaming.take().filter(|_| phase == Phase::Accepted) {
                None => {}
                Some(old) => match st.ws.rename_environment(doc, &old, &text) {
                    Ok(()) => {
                        st.changed(doc, true);
                        let new = Row::Env(text.trim().to_string());
                        if let Some(i) = self.rows(st, &s).iter().position(|r| *r == new) {
                            self.row = i;
                        }
                    }
                    Err(e) => st.notify(Level::Error, e),
                },
            },
            Answer::Confirmed {
                what: Confirm::DeleteEnvironment(d, name),
                choice: Action::Yes,
            } => match st.ws.delete_environment(d, &name) {
                Ok(()) => {
                    st.changed(d, true);
                    self.clamp(st, &s);
                    st.refresh_preview();
                }
                Err(e) => st.notify(Level::Error, e),
            },
            _ => {}
        }
    }

    fn render(&self, f: &mut Frame, area: Rect, d: &mut Draw) {
        draw::render(self, f, area, d);
    }
}
