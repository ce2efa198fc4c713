//! The Checks tab: the request's captures and assertions as two tables like the headers (each
//! row on or off, two columns typed in their one-line form), and under them what the last
//! send said: what each capture set, each assertion passed or failed with the actual value.
//!
//! ```text
//! Captures          a adds one: NAME (env:NAME) ← json EXPR | header NAME | status | regex P
//! [x] petId         json .pet.id
//! Assertions        a adds one: status 201 · json EXPR == v · header NAME ~ re · …
//! [x] status        201
//! [x] json .type    == "dog"
//! ```
//!
//! The add key adds a row to the table the cursor is in (a valid one, to edit with Enter); a
//! subject that no longer fits the expected value gets its kind's template.

use super::form::{Cell, Cursor, RowKind, Tab};
use super::table::counted;
use crate::model::checks::{Assertion, Capture, CaptureFrom, CaptureScope, Check, StatusExpect};
use crate::model::{NameValue, RequestSpec};
use crate::text::visible_line;
use crate::tui::component::Flow;
use crate::tui::keymap::Action;
use crate::tui::state::State;
use crate::tui::theme::Role;
use ratatui::text::{Line, Span};

pub struct ChecksTab;

/// The heading rows of the two tables.
const CAPTURES: RowKind = RowKind::Field(0);
const ASSERTIONS: RowKind = RowKind::Field(1);

/// Which table a row belongs to, and its index there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    Capture(usize),
    Assertion(usize),
}

fn item(spec: &RequestSpec, row: RowKind) -> Option<Item> {
    let n = spec.captures.len();
    match row {
        RowKind::Pair(i) if i < n => Some(Item::Capture(i)),
        RowKind::Pair(i) => Some(Item::Assertion(i - n)),
        _ => None,
    }
}

fn new_capture() -> Capture {
    Capture {
        variable: "id".into(),
        from: CaptureFrom::Json(".id".into()),
        scope: CaptureScope::Run,
        enabled: true,
    }
}

fn new_assertion() -> Assertion {
    Assertion {
        check: Check::Status(StatusExpect::Exact(200)),
        enabled: true,
    }
}

/// `12:03:04` (UTC) of a time.
pub fn clock(at: std::time::SystemTime) -> String {
    time::OffsetDateTime::from(at)
        .format(&time::macros::format_description!(
            "[hour]:[minute]:[second]"
        ))
        .unwrap_or_default()
}

impl ChecksTab {
    /// Adds a row to the table the cursor is in (the assertions when there is no row).
    fn add(&self, cur: &mut Cursor, st: &mut State) -> Option<Flow> {
        let r = st.selected_request()?.clone();
        let spec = st.ws.request(&r)?;
        let row = self.rows(spec, st).get(cur.row).copied();
        let captures = matches!(row, Some(CAPTURES))
            || matches!(row.and_then(|k| item(spec, k)), Some(Item::Capture(_)));
        let spec = st.ws.request_mut(&r)?;
        let (n, a) = (spec.captures.len(), spec.assertions.len());
        // Rows: heading, captures, heading, assertions.
        cur.row = if captures {
            spec.captures.push(new_capture());
            n + 1
        } else {
            spec.assertions.push(new_assertion());
            n + 2 + a
        };
        cur.col = 0;
        st.changed(r.doc, true);
        Some(Flow::Consumed)
    }

    fn delete(&self, cur: &mut Cursor, st: &mut State) -> Option<Flow> {
        let r = st.selected_request()?.clone();
        let spec = st.ws.request(&r)?;
        let row = *self.rows(spec, st).get(cur.row)?;
        let which = item(spec, row)?;
        let spec = st.ws.request_mut(&r)?;
        match which {
            Item::Capture(i) => {
                spec.captures.remove(i);
            }
            Item::Assertion(i) => {
                spec.assertions.remove(i);
            }
        }
        let rows = spec.captures.len() + spec.assertions.len() + 2;
        cur.row = cur.row.min(rows - 1);
        st.changed(r.doc, true);
        Some(Flow::Consumed)
    }

    fn results(&self, st: &State) -> Vec<Line<'static>> {
        let t = &st.theme;
        let Some(last) = st.last_checks() else {
            return Vec::new();
        };
        let failed = last.outcomes.iter().filter(|o| !o.passed).count()
            + last.captures.iter().filter(|c| c.error.is_some()).count();
        let mut lines = vec![
            Line::raw(""),
            Line::styled(
                format!(
                    "Last send {}: {} assertions passed, {failed} failed",
                    clock(last.at),
                    last.outcomes.iter().filter(|o| o.passed).count()
                ),
                t.fg(if failed > 0 { Role::Error } else { Role::Ok }),
            ),
        ];
        let mark = |ok: bool| {
            if ok {
                Span::styled("  ✓ ", t.fg(Role::Ok))
            } else {
                Span::styled("  ✗ ", t.fg(Role::Error))
            }
        };
        for c in &last.captures {
            let (text, note) = match (&c.value, &c.error) {
                (Some(v), _) => (
                    format!("{{{{{}}}}} = {}", c.variable, visible_line(v)),
                    match c.scope {
                        CaptureScope::Run => "   set for this run".to_string(),
                        CaptureScope::Environment => "   set in the environment".to_string(),
                    },
                ),
                (None, e) => (
                    format!("{{{{{}}}}} not set", c.variable),
                    format!("   {}", visible_line(e.as_deref().unwrap_or_default())),
                ),
            };
            let ok = c.value.is_some();
            lines.push(Line::from(vec![
                mark(ok),
                Span::raw(text),
                Span::styled(note, t.fg(if ok { Role::Muted } else { Role::Error })),
            ]));
        }
        for o in &last.outcomes {
            lines.push(Line::from(vec![
                mark(o.passed),
                Span::raw(visible_line(&o.check).into_owned()),
                Span::styled(
                    format!("   actual {}", visible_line(&o.actual)),
                    t.fg(if o.passed { Role::Muted } else { Role::Error }),
                ),
            ]));
        }
        lines
    }
}

impl Tab for ChecksTab {
    fn title(&self) -> &'static str {
        "Checks"
    }

    fn titled(&self, spec: &RequestSpec, long: bool) -> String {
        counted("Checks", spec.captures.len() + spec.assertions.len(), long)
    }

    fn rows(&self, spec: &RequestSpec, _st: &State) -> Vec<RowKind> {
        let (n, a) = (spec.captures.len(), spec.assertions.len());
        std::iter::once(CAPTURES)
            .chain((0..n).map(RowKind::Pair))
            .chain(std::iter::once(ASSERTIONS))
            .chain((n..n + a).map(RowKind::Pair))
            .collect()
    }

    fn label(&self, _spec: &RequestSpec, row: RowKind) -> &'static str {
        match row {
            CAPTURES => "Captures",
            _ => "Assertions",
        }
    }

    fn display(&self, _spec: &RequestSpec, _row: RowKind, st: &State) -> (String, bool) {
        (format!("({} adds one)", st.key(Action::AddRow)), true)
    }

    fn pair_row(&self, spec: &RequestSpec, i: usize) -> Option<NameValue> {
        let (name, value, enabled) = match item(spec, RowKind::Pair(i))? {
            Item::Capture(i) => {
                let c = spec.captures.get(i)?;
                (c.target_text(), c.source_text(), c.enabled)
            }
            Item::Assertion(i) => {
                let a = spec.assertions.get(i)?;
                (a.subject(), a.expectation(), a.enabled)
            }
        };
        Some(NameValue {
            name,
            value,
            enabled,
        })
    }

    fn get(&self, spec: &RequestSpec, cell: Cell) -> String {
        let RowKind::Pair(i) = cell.row else {
            return String::new();
        };
        self.pair_row(spec, i)
            .map(|p| if cell.col == 0 { p.name } else { p.value })
            .unwrap_or_default()
    }

    fn set(&self, spec: &mut RequestSpec, cell: Cell, value: &str) -> Result<(), String> {
        match item(spec, cell.row) {
            Some(Item::Capture(i)) => {
                let c = &mut spec.captures[i];
                if cell.col == 0 {
                    (c.variable, c.scope) = Capture::parse_target(value)?;
                } else {
                    c.from = Capture::parse_source(value)?;
                }
            }
            Some(Item::Assertion(i)) => {
                let a = &mut spec.assertions[i];
                a.check = if cell.col == 0 {
                    a.with_subject(value)?
                } else {
                    Assertion::parse(&a.subject(), value)?
                };
            }
            None => {}
        }
        Ok(())
    }

    fn cycle(&self, spec: &mut RequestSpec, row: RowKind) {
        match item(spec, row) {
            Some(Item::Capture(i)) => spec.captures[i].enabled ^= true,
            Some(Item::Assertion(i)) => spec.assertions[i].enabled ^= true,
            None => {}
        }
    }

    fn action(&self, cur: &mut Cursor, action: Action, st: &mut State) -> Option<Flow> {
        let on_heading = st
            .spec()
            .and_then(|s| self.rows(s, st).get(cur.row).copied())
            .is_some_and(|r| matches!(r, RowKind::Field(_)));
        match action {
            Action::AddRow => self.add(cur, st),
            Action::Enter if on_heading => self.add(cur, st),
            Action::DeleteRow => self.delete(cur, st).or(Some(Flow::Consumed)),
            Action::EditExternal => Some(Flow::Consumed),
            _ => None,
        }
    }

    fn after(&self, spec: &RequestSpec, st: &State, _height: usize) -> Vec<Line<'static>> {
        let t = &st.theme;
        let mut lines = Vec::new();
        if spec.assertions.is_empty() {
            lines.push(Line::styled(
                "No assertions: a 4xx or 5xx answer fails the request.",
                t.fg(Role::Muted),
            ));
        }
        lines.push(Line::styled(
            format!(
                "Enter edits a cell · {} turns a row on/off · {} deletes it. Captures: NAME (env:NAME \
                 writes to the environment) ← json EXPR | header NAME | status | regex P. \
                 Assertions: status 201|2xx · header NAME exists|== v|~ re · json EXPR == v|exists|\
                 type T|length >= 1|< 9 · body contains t · time < 500 ms · diagnosis access-denied",
                st.key(Action::Toggle),
                st.key(Action::DeleteRow)
            ),
            t.fg(Role::Muted),
        ));
        lines.extend(self.results(st));
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> RequestSpec {
        serde_json::from_value(serde_json::json!({
            "name": "r", "method": "GET", "url": "https://x",
            "captures": [{"variable": "petId", "from": {"json": ".pet.id"}}],
            "assertions": [{"status": 201}, {"json": ".type", "equals": "dog"}]
        }))
        .unwrap()
    }

    fn cell(row: usize, col: usize) -> Cell {
        Cell {
            row: RowKind::Pair(row),
            col,
        }
    }

    #[test]
    fn cells_read_and_write_captures_and_assertions_in_their_text_form() {
        let mut s = spec();
        assert_eq!(ChecksTab.get(&s, cell(0, 0)), "petId");
        assert_eq!(ChecksTab.get(&s, cell(0, 1)), "json .pet.id");
        assert_eq!(ChecksTab.get(&s, cell(2, 0)), "json .type");
        assert_eq!(ChecksTab.get(&s, cell(2, 1)), "== \"dog\"");
        ChecksTab.set(&mut s, cell(0, 0), "env:lastPet").unwrap();
        assert_eq!(s.captures[0].scope, CaptureScope::Environment);
        ChecksTab.set(&mut s, cell(0, 1), "header ETag").unwrap();
        assert_eq!(s.captures[0].from, CaptureFrom::Header("ETag".into()));
        let e = ChecksTab.set(&mut s, cell(1, 1), "ok").unwrap_err();
        assert!(e.contains("not a status"), "{e}");
        assert_eq!(s.assertions[0].expectation(), "201", "unchanged");
        ChecksTab.set(&mut s, cell(1, 1), "2xx").unwrap();
        // A new subject keeps what still fits, else takes its template.
        ChecksTab.set(&mut s, cell(2, 0), "diagnosis").unwrap();
        assert_eq!(s.assertions[1].to_string(), "diagnosis none");
        ChecksTab.cycle(&mut s, RowKind::Pair(2));
        assert!(!s.assertions[1].enabled);
        assert_eq!(ChecksTab.titled(&s, true), "Checks (3)");
        let rows: Vec<RowKind> = ChecksTab.rows(&s, &State::new(Vec::new()));
        assert_eq!(
            rows,
            [
                CAPTURES,
                RowKind::Pair(0),
                ASSERTIONS,
                RowKind::Pair(1),
                RowKind::Pair(2)
            ]
        );
    }
}
