//! The Body tab: the body type (none, json, text, form, file) cycled with the toggle key; a
//! JSON or text body typed inline (a JSON body applies only while it parses) or in $EDITOR,
//! shown highlighted under the rows; form fields as a table; a file by its path (read when
//! sent, hashed off the loop for the preview).

use super::form::{pair_get, pair_set, pair_toggle, Cell, RowKind, Tab};
use crate::body::BodyKind;
use crate::model::{Body, NameValue, RequestSpec};
use crate::text::visible_line;
use crate::tui::keymap::Action;
use crate::tui::panes::response::token_style;
use crate::tui::state::State;
use crate::tui::theme::Role;
use ratatui::text::{Line, Span};

const TYPE: u8 = 0;
const CONTENT: u8 = 0;
const FILE: u8 = 1;

/// The body text field (the external editor writes into it).
pub const BODY: Cell = Cell {
    row: RowKind::Field(CONTENT),
    col: 0,
};

pub struct BodyTab;

/// `a=1&b=x%20y` as form fields (decoded); anything else as no fields.
fn form_fields(text: &str) -> Vec<NameValue> {
    let text = text.trim();
    if text.is_empty() || text.contains(['\n', '{', '<']) {
        return Vec::new();
    }
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(&s.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    (text.split('&').filter(|p| !p.is_empty()))
        .map(|p| {
            let (n, v) = p.split_once('=').unwrap_or((p, ""));
            NameValue {
                name: decode(n),
                value: decode(v),
                enabled: true,
            }
        })
        .collect()
}

impl Tab for BodyTab {
    fn title(&self) -> &'static str {
        "Body"
    }

    fn titled(&self, spec: &RequestSpec, long: bool) -> String {
        match (&spec.body, long) {
            (_, false) | (Body::None, _) => "Body".into(),
            (Body::Json { .. }, _) => "Body (json)".into(),
            (Body::Text { .. }, _) => "Body (text)".into(),
            (Body::FormUrlencoded { fields }, _) => format!("Body (form {})", fields.len()),
            (Body::File { .. }, _) => "Body (file)".into(),
        }
    }

    fn rows(&self, spec: &RequestSpec, _st: &State) -> Vec<RowKind> {
        let mut rows = vec![RowKind::Choice(TYPE)];
        match &spec.body {
            Body::Json { .. } | Body::Text { .. } => rows.push(RowKind::Field(CONTENT)),
            Body::FormUrlencoded { fields } => rows.extend((0..fields.len()).map(RowKind::Pair)),
            Body::File { .. } => rows.push(RowKind::Field(FILE)),
            Body::None => {}
        }
        rows
    }

    fn label(&self, _spec: &RequestSpec, row: RowKind) -> &'static str {
        match row {
            RowKind::Choice(_) => "Body type",
            RowKind::Field(FILE) => "File",
            _ => "Body",
        }
    }

    fn pairs<'a>(&self, spec: &'a RequestSpec) -> Option<&'a Vec<NameValue>> {
        match &spec.body {
            Body::FormUrlencoded { fields } => Some(fields),
            _ => None,
        }
    }

    fn pairs_mut<'a>(&self, spec: &'a mut RequestSpec) -> Option<&'a mut Vec<NameValue>> {
        match &mut spec.body {
            Body::FormUrlencoded { fields } => Some(fields),
            _ => None,
        }
    }

    fn get(&self, spec: &RequestSpec, cell: Cell) -> String {
        match (cell.row, &spec.body) {
            (RowKind::Pair(_), _) => pair_get(self.pairs(spec), cell),
            (RowKind::Field(FILE), Body::File { path }) => path.clone(),
            (_, Body::Json { content }) => {
                serde_json::to_string_pretty(content).unwrap_or_default()
            }
            (_, Body::Text { content }) => content.clone(),
            _ => String::new(),
        }
    }

    fn set(&self, spec: &mut RequestSpec, cell: Cell, value: &str) -> Result<(), String> {
        if let RowKind::Pair(_) = cell.row {
            pair_set(self.pairs_mut(spec), cell, value);
            return Ok(());
        }
        match &mut spec.body {
            Body::File { path } => *path = value.trim().to_string(),
            Body::Json { content } => {
                *content = serde_json::from_str(value).map_err(|e| {
                    format!(
                        "invalid JSON at line {}, column {}: {e}",
                        e.line(),
                        e.column()
                    )
                })?
            }
            Body::Text { content } => *content = value.to_string(),
            _ => {}
        }
        Ok(())
    }

    /// The type: none → json → text → form → file → none; the text carries over from json
    /// to text, and a text of `a=1&b=2` becomes form fields.
    fn cycle(&self, spec: &mut RequestSpec, row: RowKind) {
        if let RowKind::Pair(_) = row {
            return pair_toggle(self.pairs_mut(spec), row);
        }
        let current = self.get(spec, BODY);
        spec.body = match &spec.body {
            Body::None => Body::Json {
                content: serde_json::json!({}),
            },
            Body::Json { .. } => Body::Text { content: current },
            Body::Text { content } => Body::FormUrlencoded {
                fields: form_fields(content),
            },
            Body::FormUrlencoded { .. } => Body::File {
                path: String::new(),
            },
            Body::File { .. } => Body::None,
        };
    }

    fn choice_text(&self, spec: &RequestSpec, _row: RowKind) -> String {
        match &spec.body {
            Body::None => "none",
            Body::Json { .. } => "json",
            Body::Text { .. } => "text",
            Body::FormUrlencoded { .. } => "form (x-www-form-urlencoded)",
            Body::File { .. } => "file (read when sent)",
        }
        .into()
    }

    fn multiline(&self, row: RowKind) -> bool {
        row == RowKind::Field(CONTENT)
    }

    fn is_path(&self, row: RowKind) -> bool {
        row == RowKind::Field(FILE)
    }

    fn display(&self, spec: &RequestSpec, row: RowKind, st: &State) -> (String, bool) {
        if row == RowKind::Field(FILE) {
            return (self.get(spec, Cell { row, col: 0 }), false);
        }
        // The content itself is shown under the rows.
        let lines = self.get(spec, BODY).lines().count();
        let text = format!(
            "{lines} lines — {} edits here, {} opens $EDITOR",
            st.key(Action::Enter),
            st.key(Action::EditExternal)
        );
        (text, false)
    }

    fn after(&self, spec: &RequestSpec, st: &State, height: usize) -> Vec<Line<'static>> {
        let t = &st.theme;
        let mut lines = Vec::new();
        let kind = match &spec.body {
            Body::Json { .. } => Some(BodyKind::Json),
            Body::Text { .. } => Some(BodyKind::Text),
            _ => None,
        };
        if let Some(kind) = kind {
            lines.push(Line::raw(""));
            let body = self.get(spec, BODY);
            for (i, l) in body.lines().take(height).enumerate() {
                let l = visible_line(l);
                let mut spans = vec![Span::styled(format!("{:>3} ", i + 1), t.fg(Role::Muted))];
                for (tok, r) in crate::body::highlight::spans(kind, &l) {
                    spans.push(Span::styled(l[r].to_string(), token_style(t, tok)));
                }
                lines.push(Line::from(spans));
            }
        }
        let hint = match &spec.body {
            Body::FormUrlencoded { fields } if fields.is_empty() => format!(
                "No fields: {} adds one ({} turns a field on/off, {} deletes).",
                st.key(Action::AddRow),
                st.key(Action::Toggle),
                st.key(Action::DeleteRow)
            ),
            Body::File { path } if path.is_empty() => format!(
                "{} on File types its path (relative to where sigscope runs; {{{{variables}}}} work).",
                st.key(Action::Enter)
            ),
            _ => return lines,
        };
        lines.push(Line::styled(hint, t.fg(Role::Muted)));
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> RequestSpec {
        serde_json::from_value(serde_json::json!({
            "name": "r", "method": "GET", "url": "https://x",
            "body": {"type": "json", "content": {"a": 1}}
        }))
        .unwrap()
    }

    #[test]
    fn json_bodies_apply_only_when_they_parse() {
        let mut s = spec();
        let e = BodyTab.set(&mut s, BODY, "{\"a\": ").unwrap_err();
        assert!(e.starts_with("invalid JSON at line 1"), "{e}");
        assert_eq!(BodyTab.get(&s, BODY), "{\n  \"a\": 1\n}", "unchanged");
        BodyTab.set(&mut s, BODY, "{\"b\": [true]}").unwrap();
        assert!(matches!(&s.body, Body::Json { content } if content["b"][0] == true));
    }

    #[test]
    fn the_type_cycles_and_text_becomes_form_fields() {
        let mut s = spec();
        BodyTab.cycle(&mut s, RowKind::Choice(TYPE)); // json → text
        BodyTab.set(&mut s, BODY, "name=rex%20%26+co&off").unwrap();
        BodyTab.cycle(&mut s, RowKind::Choice(TYPE)); // text → form
        let fields = BodyTab.pairs(&s).unwrap();
        assert_eq!(
            (fields[0].name.as_str(), fields[0].value.as_str()),
            ("name", "rex & co")
        );
        assert_eq!(fields[1].value, "");
        assert_eq!(BodyTab.titled(&s, true), "Body (form 2)");
        BodyTab.cycle(&mut s, RowKind::Choice(TYPE)); // form → file
        assert!(BodyTab.is_path(BodyTab.rows(&s, &State::new(Vec::new()))[1]));
    }
}
