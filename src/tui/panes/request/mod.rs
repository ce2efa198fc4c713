//! The request editor: a tab line, the method and URL (always in view, with what stops the
//! request from being prepared), and the current tab — one file each (`url`, `table` for
//! query and headers, `body`, `auth` with a form per auth kind, `vars`). A new tab is a file
//! and a line in `TABS`. Typing into a field is in `field`, drawing rows in `form`.

pub(crate) mod auth;
mod body;
mod checks;
mod field;
mod form;
mod table;
mod tabline;
mod url;
mod vars;

pub use form::{Cell, Cursor, RowKind, Tab};
pub use tabline::tab_titles;

use crate::model::Body;
use crate::text::visible_line;
use crate::tui::component::{Component, Draw, Event, Flow, Hint, Input, PaneId, Slot};
use crate::tui::hits::Target;
use crate::tui::keymap::{Action, Context};
use crate::tui::messages::{Answer, Command, Level, Message};
use crate::tui::state::State;
use crate::tui::theme::Role;
use field::Editing;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use ratatui::Frame;

pub const ID: PaneId = PaneId("request");

/// The tabs, in order. A new tab (checks, settings) is one more line.
pub const TABS: &[&dyn Tab] = &[
    &url::UrlTab,
    &table::QUERY,
    &table::HEADERS,
    &body::BodyTab,
    &auth::AuthTab,
    &vars::VarsTab,
    &checks::ChecksTab,
];
const BODY_TAB: usize = 3;

#[derive(Default)]
pub struct RequestPane {
    cur: Cursor,
    editing: Option<Editing>,
}

impl RequestPane {
    /// The tab shown (its plain title), the row and the column.
    pub fn cursor(&self) -> (&'static str, usize, usize) {
        (TABS[self.cur.tab].title(), self.cur.row, self.cur.col)
    }

    /// The value being typed into a field, and its error, if a field is open.
    pub fn editing(&self) -> Option<(String, Option<&str>)> {
        (self.editing.as_ref()).map(|e| (e.value(), e.error.as_deref()))
    }

    fn tab(&self) -> &'static dyn Tab {
        TABS[self.cur.tab % TABS.len()]
    }

    fn switch_tab(&mut self, tab: usize) {
        self.cur = Cursor {
            tab: tab % TABS.len(),
            row: 0,
            col: 0,
        };
    }

    /// Keeps the row on the tab after rows went away.
    fn clamp_row(&mut self, st: &State) {
        let count = st.spec().map_or(0, |s| self.tab().rows(s, st).len());
        self.cur.row = self.cur.row.min(count.saturating_sub(1));
    }

    fn action(&mut self, action: Action, st: &mut State) -> Flow {
        let Some(r) = st.selected_request().cloned() else {
            return Flow::Ignored;
        };
        let tab = self.tab();
        if let Some(flow) = tab.action(&mut self.cur, action, st) {
            return flow;
        }
        let Some(spec) = st.ws.request(&r) else {
            return Flow::Ignored;
        };
        let rows = tab.rows(spec, st);
        let row = rows.get(self.cur.row).copied();
        let table = tab.pairs(spec).is_some();
        let n = TABS.len();
        match action {
            Action::Up => self.cur.row = self.cur.row.saturating_sub(1),
            Action::Down => self.cur.row = (self.cur.row + 1).min(rows.len().saturating_sub(1)),
            Action::NextTab => self.switch_tab(self.cur.tab + 1),
            Action::PrevTab => self.switch_tab(self.cur.tab + n - 1),
            // On a pair, ←/→ move between name and value; past either edge (and on other
            // rows) they change tabs.
            Action::Left | Action::Right
                if matches!(row, Some(RowKind::Pair(_)))
                    && (self.cur.col == 1) == (action == Action::Left) =>
            {
                self.cur.col = usize::from(action == Action::Right)
            }
            Action::Left => self.switch_tab(self.cur.tab + n - 1),
            Action::Right => self.switch_tab(self.cur.tab + 1),
            Action::Toggle => {
                if let (Some(row), Some(spec)) = (row, st.ws.request_mut(&r)) {
                    tab.cycle(spec, row);
                    self.clamp_row(st);
                    st.changed(r.doc, true);
                    // The tree shows the method.
                    st.ws.rebuild();
                }
            }
            Action::Enter => match row {
                Some(RowKind::Choice(_)) => return self.action(Action::Toggle, st),
                Some(row) => self.start_edit(
                    st,
                    Cell {
                        row,
                        col: self.cur.col,
                    },
                ),
                None if table => return self.action(Action::AddRow, st),
                None => {}
            },
            Action::AddRow if table => self.action_add_row(st),
            Action::DeleteRow if table => {
                if let (Some(RowKind::Pair(i)), Some(spec)) = (row, st.ws.request_mut(&r)) {
                    if let Some(items) = tab.pairs_mut(spec) {
                        items.remove(i);
                    }
                    self.clamp_row(st);
                    st.changed(r.doc, true);
                }
            }
            Action::EditExternal => self.edit_externally(st),
            _ => return Flow::Ignored,
        }
        Flow::Consumed
    }

    /// A new row at the end of the tab's table, typed into at once.
    pub(super) fn action_add_row(&mut self, st: &mut State) {
        let Some(r) = st.selected_request().cloned() else {
            return;
        };
        let tab = self.tab();
        let Some(items) = st.ws.request_mut(&r).and_then(|s| tab.pairs_mut(s)) else {
            return;
        };
        items.push(crate::model::NameValue {
            name: String::new(),
            value: String::new(),
            enabled: true,
        });
        let new = RowKind::Pair(items.len() - 1);
        // The new row's place among the tab's rows (the Body tab has its type first).
        let rows = st.spec().map(|s| tab.rows(s, st)).unwrap_or_default();
        self.cur.row = rows.iter().position(|k| *k == new).unwrap_or(0);
        self.cur.col = 0;
        st.changed(r.doc, false);
        self.start_edit(st, Cell { row: new, col: 0 });
    }

    fn edit_externally(&self, st: &mut State) {
        let Some(spec) = st.spec() else {
            return;
        };
        let extension = match spec.body {
            Body::Json { .. } => "json",
            Body::Text { .. } => "txt",
            _ => {
                let key = st.key(Action::Toggle).to_string();
                return st.notify(
                    Level::Warning,
                    format!("set the body type to json or text first (Body tab, {key})"),
                );
            }
        };
        let text = TABS[BODY_TAB].get(spec, body::BODY);
        st.run(Command::EditExternally { text, extension });
    }
}

impl Component for RequestPane {
    fn id(&self) -> PaneId {
        ID
    }

    fn context(&self) -> Context {
        match self.editing {
            Some(_) => Context::Field,
            None => Context::Request,
        }
    }

    fn slot(&self) -> Option<Slot> {
        Some(Slot::Editor)
    }

    /// Not while a collection or folder is selected (its settings take the place), nor
    /// before there is a collection (the welcome does).
    fn shown(&self, st: &State) -> bool {
        use crate::model::workspace::Node;
        !st.ws.docs.is_empty()
            && !matches!(
                st.selected_node(),
                Some(Node::Collection(_) | Node::Folder(..))
            )
    }

    fn mode(&self) -> &'static str {
        if self.editing.is_some() {
            "EDIT"
        } else {
            "NORMAL"
        }
    }

    fn hints(&self, st: &State) -> Vec<Hint> {
        if self.editing.is_none() {
            let footer = st.keymap.footer(Context::Request);
            return footer.into_iter().map(Hint::of).collect();
        }
        vec![
            Hint::new(Action::Done, "done"),
            Hint::of(Action::NextCell),
            Hint::new(Action::ClearField, "clear"),
            Hint::new(Action::Undo, "undo"),
            Hint::new(Action::Save, "save"),
            Hint::new(Action::Send, "send"),
        ]
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
                self.cur.row = i;
                Flow::Consumed
            }
            Input::Wheel { down } => {
                for _ in 0..3 {
                    self.action(if down { Action::Down } else { Action::Up }, st);
                }
                Flow::Consumed
            }
            Input::Click(_) => Flow::Consumed,
            _ => Flow::Ignored,
        }
    }

    fn event(&mut self, event: &Event, st: &mut State) {
        match event {
            Event::SelectionChanged => {
                self.editing = None;
                self.cur.row = 0;
            }
            Event::EditUrl => {
                self.cur = Cursor {
                    tab: 0,
                    row: 1,
                    col: 0,
                };
                self.start_edit(st, url::URL);
                // The placeholder `https://` starts selected: typing a URL replaces it.
                if let Some(e) = self.editing.as_mut() {
                    e.field = crate::tui::text_field::TextField::new(&e.value(), false, true);
                }
            }
            _ => {}
        }
    }

    fn reply(&mut self, msg: Message, st: &mut State) -> Option<Message> {
        match msg {
            Message::Edited(result) => self.edited(st, result),
            other => return Some(other),
        }
        None
    }

    fn answer(&mut self, answer: Answer, st: &mut State) {
        for tab in TABS {
            tab.answer(&mut self.cur, &answer, st);
        }
    }

    fn render(&self, f: &mut Frame, area: Rect, d: &mut Draw) {
        let st = d.st;
        let t = &st.theme;
        let Some(spec) = st.spec() else {
            let hint = format!(
                "Select a request in the tree ({} adds one).",
                st.key(Action::NewRequest)
            );
            return f.render_widget(Paragraph::new(hint).block(d.block("Request")), area);
        };
        let dirty = (st.selected_node()).is_some_and(|n| st.ws.docs[n.doc()].dirty);
        let title = Line::from(vec![
            Span::raw(format!("Request: {}", visible_line(&spec.name))),
            Span::styled(if dirty { " ● unsaved" } else { "" }, t.fg(Role::Dirty)),
        ]);
        let outer = d.block(title);
        let inner = outer.inner(area);
        f.render_widget(outer, area);
        let [tabs_area, url_area, body_area] = {
            use crate::tui::layout::{rows, Part::*};
            rows(inner, [Fixed(1), Fixed(1), Rest(1)])
        };
        tabline::draw(spec, self.cur.tab, f, tabs_area, d);
        // The method and URL stay in view on every tab; what stops them is shown inline.
        let mut url_line = vec![
            Span::styled(
                format!("{} ", visible_line(&spec.method)),
                t.method(&spec.method)
                    .add_modifier(ratatui::style::Modifier::BOLD),
            ),
            Span::raw(visible_line(&spec.url).into_owned()),
        ];
        if let Some(e) = &st.prepare_error {
            url_line.push(Span::styled(
                format!("  ✗ {}", visible_line(e)),
                t.fg(Role::Error),
            ));
        }
        f.render_widget(Paragraph::new(Line::from(url_line)), url_area);
        let editing = self.editing.as_ref();
        if let Some(e) = editing.filter(|e| e.multiline) {
            let title = match &e.error {
                Some(err) => Line::styled(format!("✗ {}", visible_line(err)), t.fg(Role::Error)),
                None => Line::styled(
                    format!(
                        "Body (valid) — {} done, {} save",
                        st.key(Action::Done),
                        st.key(Action::Save)
                    ),
                    t.fg(Role::Ok),
                ),
            };
            let b = Block::bordered()
                .title(title)
                .border_style(t.fg(Role::Focus));
            let inner = b.inner(body_area);
            f.render_widget(b, body_area);
            return f.render_widget(&e.field.area, inner);
        }
        let tab = self.tab();
        if tab.draw(&self.cur, f, body_area, d) {
            return;
        }
        let (bottom, field) = form::draw_rows(tab, spec, &self.cur, editing, f, body_area, d);
        let mut lines = tab.after(spec, st, body_area.height as usize);
        if let Some(err) = editing.and_then(|e| e.error.as_ref()) {
            lines.push(Line::styled(
                format!("✗ {}", visible_line(err)),
                t.fg(Role::Error),
            ));
        }
        let rest = Rect::new(
            body_area.x,
            bottom,
            body_area.width,
            body_area.bottom() - bottom,
        );
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), rest);
        // The field being typed into is drawn over its row.
        if let (Some(e), Some(rect)) = (editing, field) {
            f.render_widget(&e.field.area, rect);
        }
    }
}
