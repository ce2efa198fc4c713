//! A tab of the request editor as a form: rows of text fields, choices cycled with a key, and
//! name/value pairs; how each tab reads and writes the request is its own file (a `Tab`).
//! Drawing the rows is shared here: each row is laid out at its wrapped height and recorded in
//! the hit map, so a click lands on the row drawn there whatever wraps above it.

use super::field::Editing;
use crate::model::{NameValue, RequestSpec};
use crate::text::visible_line;
use crate::tui::component::{Draw, Flow};
use crate::tui::hits::Target;
use crate::tui::keymap::Action;
use crate::tui::messages::Answer;
use crate::tui::state::State;
use crate::tui::theme::Role;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

/// A row of a tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// A text field, by the tab's own numbering.
    Field(u8),
    /// A value cycled with the toggle key (or Enter), by the tab's own numbering.
    Choice(u8),
    /// A name/value row of a table (query, headers, form fields): on/off, two columns.
    Pair(usize),
}

/// Where the editor is: the tab, the row, and (on a pair) the column (0 name, 1 value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cursor {
    pub tab: usize,
    pub row: usize,
    pub col: usize,
}

/// A field of a tab: its row and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    pub row: RowKind,
    pub col: usize,
}

/// The width of a field's label column.
pub const LABEL: u16 = 17;
/// The width of a pair's name column.
const NAME: usize = 20;

/// One tab of the request editor. Defaults make a tab with nothing to edit; a tab overrides
/// what it has.
pub trait Tab: Sync {
    fn title(&self) -> &'static str;

    /// The title with what the tab holds: `Headers 2`, or with room `Headers (2)`.
    fn titled(&self, _spec: &RequestSpec, _long: bool) -> String {
        self.title().to_string()
    }

    fn rows(&self, spec: &RequestSpec, st: &State) -> Vec<RowKind>;

    fn label(&self, _spec: &RequestSpec, _row: RowKind) -> &'static str {
        ""
    }

    /// The text a field holds now.
    fn get(&self, _spec: &RequestSpec, _cell: Cell) -> String {
        String::new()
    }

    /// Writes a field; `Err` says why the value is not applied (it stays in the editor).
    fn set(&self, _spec: &mut RequestSpec, _cell: Cell, _value: &str) -> Result<(), String> {
        Ok(())
    }

    /// The toggle key on a row: a pair on/off, a choice to its next value.
    fn cycle(&self, _spec: &mut RequestSpec, _row: RowKind) {}

    fn choice_text(&self, _spec: &RequestSpec, _row: RowKind) -> String {
        String::new()
    }

    /// The name/value rows it edits as a table, if it has them now.
    fn pairs<'a>(&self, _spec: &'a RequestSpec) -> Option<&'a Vec<NameValue>> {
        None
    }

    fn pairs_mut<'a>(&self, _spec: &'a mut RequestSpec) -> Option<&'a mut Vec<NameValue>> {
        None
    }

    /// A two-column row as drawn (on/off, first and second column): a tab whose rows are not
    /// `NameValue`s (captures, assertions) shows them through this.
    fn pair_row(&self, spec: &RequestSpec, i: usize) -> Option<NameValue> {
        self.pairs(spec).and_then(|items| items.get(i)).cloned()
    }

    /// A field typed on several lines (a body).
    fn multiline(&self, _row: RowKind) -> bool {
        false
    }

    /// A field naming a file: it is not read while it is typed.
    fn is_path(&self, _row: RowKind) -> bool {
        false
    }

    /// What a field shows when it is not being edited, and whether that is a muted hint.
    fn display(&self, spec: &RequestSpec, row: RowKind, _st: &State) -> (String, bool) {
        (self.get(spec, Cell { row, col: 0 }), false)
    }

    /// Lines under the rows: hints, the body, inherited headers.
    fn after(&self, _spec: &RequestSpec, _st: &State, _height: usize) -> Vec<Line<'static>> {
        Vec::new()
    }

    /// An action the tab handles itself, before the form's own handling.
    fn action(&self, _cur: &mut Cursor, _action: Action, _st: &mut State) -> Option<Flow> {
        None
    }

    /// Draws the tab's rows itself (returns false to let the form draw them).
    fn draw(&self, _cur: &Cursor, _f: &mut Frame, _area: Rect, _d: &mut Draw) -> bool {
        false
    }

    /// The answer to a question the tab asked.
    fn answer(&self, _cur: &mut Cursor, _answer: &Answer, _st: &mut State) {}
}

/// The pair cell's text.
pub fn pair_get(items: Option<&Vec<NameValue>>, cell: Cell) -> String {
    let RowKind::Pair(i) = cell.row else {
        return String::new();
    };
    (items.and_then(|items| items.get(i)))
        .map(|p| if cell.col == 0 { &p.name } else { &p.value })
        .cloned()
        .unwrap_or_default()
}

pub fn pair_set(items: Option<&mut Vec<NameValue>>, cell: Cell, value: &str) {
    if let (RowKind::Pair(i), Some(items)) = (cell.row, items) {
        if let Some(p) = items.get_mut(i) {
            let target = if cell.col == 0 {
                &mut p.name
            } else {
                &mut p.value
            };
            *target = value.to_string();
        }
    }
}

pub fn pair_toggle(items: Option<&mut Vec<NameValue>>, row: RowKind) {
    if let (RowKind::Pair(i), Some(items)) = (row, items) {
        if let Some(p) = items.get_mut(i) {
            p.enabled = !p.enabled;
        }
    }
}

/// Draws the rows of a form tab, each at its wrapped height; returns where the edited cell
/// is, for the text field drawn over it.
pub fn draw_rows(
    tab: &dyn Tab,
    spec: &RequestSpec,
    cur: &Cursor,
    editing: Option<&Editing>,
    f: &mut Frame,
    area: Rect,
    d: &mut Draw,
) -> (u16, Option<Rect>) {
    let st = d.st;
    let t = &st.theme;
    let mut y = area.y;
    let mut field_at = None;
    let edited = editing.map(|e| e.cell);
    for (i, row) in tab.rows(spec, st).into_iter().enumerate() {
        let selected = d.focused && i == cur.row;
        let is_edit = |col| edited == Some(Cell { row, col });
        let (line, edit_x) = match row {
            RowKind::Field(_) => {
                let label = Span::styled(
                    format!("{:<w$}", tab.label(spec, row), w = LABEL as usize),
                    t.fg(Role::Accent),
                );
                if is_edit(0) {
                    (Line::from(vec![label]), Some(LABEL))
                } else {
                    let (text, hint) = tab.display(spec, row, st);
                    let text = visible_line(&text).into_owned();
                    let value = match hint {
                        true => Span::styled(text, t.fg(Role::Muted)),
                        false => Span::raw(text),
                    };
                    (Line::from(vec![label, value]), None)
                }
            }
            RowKind::Choice(_) => (
                Line::from(vec![
                    Span::styled(
                        format!("{:<w$}", tab.label(spec, row), w = LABEL as usize),
                        t.fg(Role::Accent),
                    ),
                    Span::raw(format!("‹ {} ›", tab.choice_text(spec, row))),
                ]),
                None,
            ),
            RowKind::Pair(p) => {
                let Some(item) = tab.pair_row(spec, p) else {
                    continue;
                };
                let col = if selected { cur.col } else { 9 };
                let cell = |text: String, c: usize| {
                    let mut style = if col == c {
                        t.fg(Role::Accent).add_modifier(Modifier::UNDERLINED)
                    } else {
                        t.fg(Role::Text)
                    };
                    if !item.enabled {
                        style = style.add_modifier(Modifier::DIM | Modifier::CROSSED_OUT);
                    }
                    Span::styled(if is_edit(c) { String::new() } else { text }, style)
                };
                let mark = if item.enabled { "[x]" } else { "[ ]" };
                let name = format!("{:<NAME$}", visible_line(&item.name));
                let line = Line::from(vec![
                    Span::raw(format!("{mark} ")),
                    cell(name, 0),
                    Span::raw(" "),
                    cell(visible_line(&item.value).into_owned(), 1),
                ]);
                let x = (is_edit(0).then_some(4)).or(is_edit(1).then_some(4 + NAME as u16 + 1));
                (line, x)
            }
        };
        let line = if selected {
            line.style(t.selected())
        } else {
            line
        };
        let p = Paragraph::new(line).wrap(Wrap { trim: false });
        let height = (p.line_count(area.width) as u16).min(area.bottom().saturating_sub(y));
        let rect = Rect::new(area.x, y, area.width, height);
        f.render_widget(p, rect);
        d.hit(rect, Target::Row(i));
        if let (Some(x), true) = (edit_x, height > 0) {
            field_at = Some(Rect::new(area.x + x, y, area.width.saturating_sub(x), 1));
        }
        y += height;
    }
    (y, field_at)
}
