//! The Query and Headers tabs: name/value rows, each on or off. Headers are checked as they
//! are typed (a name has no spaces or colons, a value is one line), and the headers a folder
//! or the collection adds are listed under the request's own.

use super::form::{pair_get, pair_set, pair_toggle, Cell, RowKind, Tab};
use crate::model::{NameValue, RequestSpec};
use crate::text::visible_line;
use crate::tui::keymap::Action;
use crate::tui::state::State;
use crate::tui::theme::Role;
use ratatui::text::Line;

pub struct Table {
    title: &'static str,
    headers: bool,
}

pub const QUERY: Table = Table {
    title: "Query",
    headers: false,
};

pub const HEADERS: Table = Table {
    title: "Headers",
    headers: true,
};

/// `Headers 2` when short, `Headers (2)` with room, nothing for none when short.
pub fn counted(title: &str, n: usize, long: bool) -> String {
    match (n, long) {
        (0, false) => title.to_string(),
        (n, false) => format!("{title} {n}"),
        (n, true) => format!("{title} ({n})"),
    }
}

impl Tab for Table {
    fn title(&self) -> &'static str {
        self.title
    }

    fn titled(&self, spec: &RequestSpec, long: bool) -> String {
        let n = self.pairs(spec).map_or(0, Vec::len);
        counted(self.title, n, long)
    }

    fn rows(&self, spec: &RequestSpec, _st: &State) -> Vec<RowKind> {
        let n = self.pairs(spec).map_or(0, Vec::len);
        (0..n).map(RowKind::Pair).collect()
    }

    fn pairs<'a>(&self, spec: &'a RequestSpec) -> Option<&'a Vec<NameValue>> {
        Some(if self.headers {
            &spec.headers
        } else {
            &spec.query
        })
    }

    fn pairs_mut<'a>(&self, spec: &'a mut RequestSpec) -> Option<&'a mut Vec<NameValue>> {
        Some(if self.headers {
            &mut spec.headers
        } else {
            &mut spec.query
        })
    }

    fn get(&self, spec: &RequestSpec, cell: Cell) -> String {
        pair_get(self.pairs(spec), cell)
    }

    fn set(&self, spec: &mut RequestSpec, cell: Cell, value: &str) -> Result<(), String> {
        if self.headers {
            let name = cell.col == 0;
            if name && value.bytes().any(|b| b <= b' ' || b == b':' || b >= 0x7f) {
                return Err("a header name has no spaces, colons or control characters".into());
            }
            if !name && value.bytes().any(|b| b == b'\r' || b == b'\n') {
                return Err("a header value is one line".into());
            }
        }
        pair_set(self.pairs_mut(spec), cell, value);
        Ok(())
    }

    fn cycle(&self, spec: &mut RequestSpec, row: RowKind) {
        pair_toggle(self.pairs_mut(spec), row);
    }

    fn after(&self, spec: &RequestSpec, st: &State, _height: usize) -> Vec<Line<'static>> {
        let t = &st.theme;
        let mut lines = Vec::new();
        if self.pairs(spec).is_none_or(Vec::is_empty) {
            lines.push(Line::styled(
                format!(
                    "No rows: {} adds one ({} turns a row on/off, {} deletes).",
                    st.key(Action::AddRow),
                    st.key(Action::Toggle),
                    st.key(Action::DeleteRow)
                ),
                t.fg(Role::Muted),
            ));
        }
        if !self.headers {
            return lines;
        }
        // Inherited headers, so that what is sent is never a surprise.
        let Some((c, located)) = st.selected_request().and_then(|r| st.ws.located(r)) else {
            return lines;
        };
        let inherited: Vec<String> = (c.headers.iter())
            .chain(located.folders.iter().flat_map(|f| f.headers.iter()))
            .filter(|h| h.enabled)
            .map(|h| format!("{}: {}", visible_line(&h.name), visible_line(&h.value)))
            .collect();
        if !inherited.is_empty() {
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                "inherited from the folder / collection:",
                t.fg(Role::Muted),
            ));
            lines.extend(
                (inherited.into_iter())
                    .map(|h| Line::styled(format!("    {h}"), t.fg(Role::Muted))),
            );
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_names_and_values_are_checked() {
        let mut s: RequestSpec = serde_json::from_value(serde_json::json!({
            "name": "r", "method": "GET", "url": "x",
            "headers": [{"name": "a", "value": "b"}]
        }))
        .unwrap();
        let cell = |col| Cell {
            row: RowKind::Pair(0),
            col,
        };
        assert!(HEADERS.set(&mut s, cell(0), "bad name").is_err());
        assert!(HEADERS.set(&mut s, cell(1), "two\nlines").is_err());
        HEADERS.set(&mut s, cell(1), "ok").unwrap();
        assert_eq!(HEADERS.get(&s, cell(1)), "ok");
        assert!(QUERY.pairs(&s).unwrap().is_empty());
        HEADERS.cycle(&mut s, RowKind::Pair(0));
        assert!(!s.headers[0].enabled);
        assert_eq!(HEADERS.titled(&s, true), "Headers (1)");
        assert_eq!(QUERY.titled(&s, false), "Query");
    }
}
