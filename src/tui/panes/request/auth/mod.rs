//! The Auth tab: the kind of auth, cycled with the toggle key, then the form of that kind.
//! Each kind is a file with its fields (`sigv4`, `bearer`, `basic`); a new kind (SigV4a) is a
//! file and a line in `KINDS`.

mod basic;
mod bearer;
mod sigv4;

use super::form::{Cell, RowKind, Tab};
use crate::model::{Auth, RequestSpec};
use crate::tui::state::State;

/// The kind's row: the first of the tab. The kinds number their own rows from 1.
pub(crate) const KIND: RowKind = RowKind::Choice(0);

/// One kind of auth and its form.
pub trait AuthKind: Sync {
    /// How the kind reads in the tab.
    fn name(&self) -> &'static str;

    fn is(&self, auth: &Auth) -> bool;

    /// The auth a request gets when the kind is chosen.
    fn fresh(&self) -> Auth;

    fn rows(&self) -> Vec<RowKind> {
        Vec::new()
    }

    fn label(&self, _row: RowKind) -> &'static str {
        ""
    }

    fn get(&self, _auth: &Auth, _row: RowKind) -> String {
        String::new()
    }

    fn set(&self, _auth: &mut Auth, _row: RowKind, _value: &str) -> Result<(), String> {
        Ok(())
    }

    fn cycle(&self, _auth: &mut Auth, _row: RowKind) {}

    fn choice_text(&self, _auth: &Auth, _row: RowKind) -> String {
        String::new()
    }

    /// What an empty field means (a default taken from elsewhere), shown muted.
    fn hint(&self, _row: RowKind, _st: &State) -> Option<String> {
        None
    }
}

struct Inherit;

impl AuthKind for Inherit {
    fn name(&self) -> &'static str {
        "inherit (from folder / collection)"
    }
    fn is(&self, auth: &Auth) -> bool {
        matches!(auth, Auth::Inherit)
    }
    fn fresh(&self) -> Auth {
        Auth::Inherit
    }
}

struct NoAuth;

impl AuthKind for NoAuth {
    fn name(&self) -> &'static str {
        "none"
    }
    fn is(&self, auth: &Auth) -> bool {
        matches!(auth, Auth::None)
    }
    fn fresh(&self) -> Auth {
        Auth::None
    }
}

/// The kinds, in the order the toggle key goes through them.
pub(crate) const KINDS: &[&dyn AuthKind] = &[
    &Inherit,
    &NoAuth,
    &sigv4::Sigv4,
    &bearer::Bearer,
    &basic::Basic,
];

pub(crate) fn kind_of(auth: &Auth) -> (usize, &'static dyn AuthKind) {
    let i = KINDS.iter().position(|k| k.is(auth)).unwrap_or(0);
    (i, KINDS[i])
}

pub struct AuthTab;

impl Tab for AuthTab {
    fn title(&self) -> &'static str {
        "Auth"
    }

    fn rows(&self, spec: &RequestSpec, _st: &State) -> Vec<RowKind> {
        let mut rows = vec![KIND];
        rows.extend(kind_of(&spec.auth).1.rows());
        rows
    }

    fn label(&self, spec: &RequestSpec, row: RowKind) -> &'static str {
        match row {
            KIND => "Auth",
            _ => kind_of(&spec.auth).1.label(row),
        }
    }

    fn get(&self, spec: &RequestSpec, cell: Cell) -> String {
        kind_of(&spec.auth).1.get(&spec.auth, cell.row)
    }

    fn set(&self, spec: &mut RequestSpec, cell: Cell, value: &str) -> Result<(), String> {
        kind_of(&spec.auth).1.set(&mut spec.auth, cell.row, value)
    }

    fn cycle(&self, spec: &mut RequestSpec, row: RowKind) {
        let (i, kind) = kind_of(&spec.auth);
        match row {
            KIND => spec.auth = KINDS[(i + 1) % KINDS.len()].fresh(),
            _ => kind.cycle(&mut spec.auth, row),
        }
    }

    fn choice_text(&self, spec: &RequestSpec, row: RowKind) -> String {
        let kind = kind_of(&spec.auth).1;
        match row {
            KIND => kind.name().to_string(),
            _ => kind.choice_text(&spec.auth, row),
        }
    }

    fn display(&self, spec: &RequestSpec, row: RowKind, st: &State) -> (String, bool) {
        let kind = kind_of(&spec.auth).1;
        let value = kind.get(&spec.auth, row);
        match kind.hint(row, st) {
            Some(hint) if value.is_empty() => (hint, true),
            _ => (value, false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kind_cycles_through_every_form() {
        let mut s: RequestSpec =
            serde_json::from_value(serde_json::json!({"name": "r", "method": "GET", "url": "x"}))
                .unwrap();
        let st = State::new(Vec::new());
        let mut seen = Vec::new();
        for _ in 0..KINDS.len() {
            seen.push((AuthTab.choice_text(&s, KIND), AuthTab.rows(&s, &st).len()));
            AuthTab.cycle(&mut s, KIND);
        }
        assert_eq!(
            seen,
            [
                ("inherit (from folder / collection)".into(), 1),
                ("none".into(), 1),
                ("aws-sigv4".into(), 10),
                ("bearer".into(), 2),
                ("basic".into(), 3),
            ]
        );
        assert!(matches!(s.auth, Auth::Inherit), "back to the start");
    }
}
