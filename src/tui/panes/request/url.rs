//! The URL tab: method (typed, or cycled through the common ones), URL, name, description.

use super::form::{Cell, RowKind, Tab};
use crate::model::RequestSpec;
use crate::tui::state::State;

const METHOD: u8 = 0;
const URL_FIELD: u8 = 1;
const NAME: u8 = 2;
const DESCRIPTION: u8 = 3;

/// The URL field (a new request opens straight into it).
pub const URL: Cell = Cell {
    row: RowKind::Field(URL_FIELD),
    col: 0,
};

const METHODS: [&str; 7] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

pub struct UrlTab;

impl Tab for UrlTab {
    fn title(&self) -> &'static str {
        "URL"
    }

    fn rows(&self, _spec: &RequestSpec, _st: &State) -> Vec<RowKind> {
        [METHOD, URL_FIELD, NAME, DESCRIPTION]
            .map(RowKind::Field)
            .to_vec()
    }

    fn label(&self, _spec: &RequestSpec, row: RowKind) -> &'static str {
        match row {
            RowKind::Field(METHOD) => "Method",
            RowKind::Field(URL_FIELD) => "URL",
            RowKind::Field(NAME) => "Name",
            _ => "Description",
        }
    }

    fn get(&self, spec: &RequestSpec, cell: Cell) -> String {
        match cell.row {
            RowKind::Field(METHOD) => spec.method.clone(),
            RowKind::Field(URL_FIELD) => spec.url.clone(),
            RowKind::Field(NAME) => spec.name.clone(),
            _ => spec.description.clone().unwrap_or_default(),
        }
    }

    fn set(&self, spec: &mut RequestSpec, cell: Cell, value: &str) -> Result<(), String> {
        let value = value.trim();
        match cell.row {
            RowKind::Field(METHOD) => {
                let m = value.to_ascii_uppercase();
                if m.is_empty() || !m.bytes().all(|b| b.is_ascii_alphabetic()) {
                    return Err("a method is letters only (GET, POST, ...)".into());
                }
                spec.method = m;
            }
            RowKind::Field(URL_FIELD) => spec.url = value.to_string(),
            RowKind::Field(NAME) => {
                if value.is_empty() {
                    return Err("a name cannot be empty".into());
                }
                spec.name = value.to_string()
            }
            _ => spec.description = (!value.is_empty()).then(|| value.to_string()),
        }
        Ok(())
    }

    /// The toggle key on the method: the next common one.
    fn cycle(&self, spec: &mut RequestSpec, row: RowKind) {
        if row == RowKind::Field(METHOD) {
            let at = METHODS.iter().position(|m| *m == spec.method);
            spec.method = METHODS[at.map(|i| i + 1).unwrap_or(0) % METHODS.len()].to_string();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_method_is_checked_and_cycles() {
        let mut s: RequestSpec =
            serde_json::from_value(serde_json::json!({"name": "r", "method": "GET", "url": "x"}))
                .unwrap();
        let method = Cell {
            row: RowKind::Field(METHOD),
            col: 0,
        };
        assert!(UrlTab.set(&mut s, method, "G3T").is_err());
        UrlTab.set(&mut s, method, " patch ").unwrap();
        assert_eq!(s.method, "PATCH");
        UrlTab.cycle(&mut s, RowKind::Field(METHOD));
        assert_eq!(s.method, "DELETE");
        let name = Cell {
            row: RowKind::Field(NAME),
            col: 0,
        };
        assert!(UrlTab.set(&mut s, name, "  ").is_err());
        assert_eq!(s.name, "r");
    }
}
