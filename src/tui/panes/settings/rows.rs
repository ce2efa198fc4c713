//! The rows of each settings tab and how each reads and writes its subject (through the
//! core's `Workspace` settings): names, descriptions, an environment's profile and region,
//! the auth form (the request editor's auth kinds), headers and variables as tables, and the
//! collection's environments as a list.

use crate::model::workspace::Subject;
use crate::model::NameValue;
use crate::tui::panes::request::auth::{kind_of, KIND};
use crate::tui::panes::request::RowKind;
use crate::tui::state::State;

/// A settings tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    General,
    Auth,
    Headers,
    Vars,
    Environments,
}

impl Tab {
    pub fn title(self) -> &'static str {
        match self {
            Tab::General => "General",
            Tab::Auth => "Auth",
            Tab::Headers => "Headers",
            Tab::Vars => "Vars",
            Tab::Environments => "Environments",
        }
    }
}

/// The tabs a subject has.
pub fn tabs(s: &Subject) -> &'static [Tab] {
    match s {
        Subject::Collection(_) => &[
            Tab::General,
            Tab::Auth,
            Tab::Headers,
            Tab::Vars,
            Tab::Environments,
        ],
        Subject::Folder(..) => &[Tab::General, Tab::Auth, Tab::Headers, Tab::Vars],
        Subject::Environment(..) => &[Tab::General, Tab::Vars],
    }
}

/// A row of a settings tab.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    Name,
    Description,
    Profile,
    Region,
    /// The auth kind (cycled), or a field or choice of the kind's form.
    Auth(RowKind),
    Header(usize),
    /// A variable by name; `None` is the new row being named.
    Var(Option<String>),
    Env(String),
}

impl Row {
    /// A table row: name and value columns.
    pub fn is_pair(&self) -> bool {
        matches!(self, Row::Header(_) | Row::Var(_))
    }

    /// Typed into (else cycled, or opened).
    pub fn is_text(&self) -> bool {
        match self {
            Row::Auth(k) => matches!(k, RowKind::Field(_)),
            Row::Env(_) => false,
            _ => true,
        }
    }

    pub fn label(&self, st: &State, s: &Subject) -> &'static str {
        match self {
            Row::Name => "Name",
            Row::Description => "Description",
            Row::Profile => "Profile",
            Row::Region => "Region",
            Row::Auth(k) if *k == KIND => "Auth",
            Row::Auth(k) => match st.ws.auth_of(s) {
                Some(a) => kind_of(a).1.label(*k),
                None => "",
            },
            _ => "",
        }
    }
}

/// The rows of a tab, in order; `pending` adds the variable row being named.
pub fn rows(st: &State, s: &Subject, tab: Tab, pending: bool) -> Vec<Row> {
    let ws = &st.ws;
    match tab {
        Tab::General => match s {
            Subject::Environment(..) => vec![Row::Name, Row::Profile, Row::Region],
            _ => vec![Row::Name, Row::Description],
        },
        Tab::Auth => {
            let mut out = vec![Row::Auth(KIND)];
            if let Some(a) = ws.auth_of(s) {
                out.extend(kind_of(a).1.rows().into_iter().map(Row::Auth));
            }
            out
        }
        Tab::Headers => (0..ws.headers_of(s).map_or(0, Vec::len))
            .map(Row::Header)
            .collect(),
        Tab::Vars => {
            let mut out: Vec<Row> = (ws.variables_of(s).into_iter())
                .flat_map(|m| m.keys())
                .map(|k| Row::Var(Some(k.clone())))
                .collect();
            if pending {
                out.push(Row::Var(None));
            }
            out
        }
        Tab::Environments => (ws.docs.get(s.doc()).into_iter())
            .flat_map(|d| d.loaded.collection.environments.keys())
            .map(|k| Row::Env(k.clone()))
            .collect(),
    }
}

/// The text of a cell.
pub fn get(st: &State, s: &Subject, row: &Row, col: usize) -> String {
    let ws = &st.ws;
    match row {
        Row::Name => match s {
            Subject::Environment(_, n) => Some(n.clone()),
            Subject::Collection(d) => ws.name_of(&crate::model::workspace::Node::Collection(*d)),
            Subject::Folder(d, p) => {
                ws.name_of(&crate::model::workspace::Node::Folder(*d, p.clone()))
            }
        }
        .unwrap_or_default(),
        Row::Description => ws.description(s).unwrap_or_default(),
        Row::Profile | Row::Region => {
            let Subject::Environment(d, n) = s else {
                return String::new();
            };
            let e = ws.environment(*d, n);
            let v = e.and_then(|e| match row {
                Row::Profile => e.profile.clone(),
                _ => e.region.clone(),
            });
            v.unwrap_or_default()
        }
        Row::Auth(k) => match ws.auth_of(s) {
            Some(a) => kind_of(a).1.get(a, *k),
            None => String::new(),
        },
        Row::Header(i) => (ws.headers_of(s).and_then(|h| h.get(*i)))
            .map(|h| if col == 0 { &h.name } else { &h.value })
            .cloned()
            .unwrap_or_default(),
        Row::Var(Some(name)) => match col {
            0 => name.clone(),
            _ => (ws.variables_of(s).and_then(|m| m.get(name)))
                .cloned()
                .unwrap_or_default(),
        },
        Row::Var(None) => String::new(),
        Row::Env(name) => name.clone(),
    }
}

/// Writes a cell; `Err` says why it is not applied. Returns the row as it is now (a
/// variable renamed, the new row named).
pub fn set(st: &mut State, s: &Subject, row: &Row, col: usize, text: &str) -> Result<Row, String> {
    let ws = &mut st.ws;
    let gone = || "it is gone (changed elsewhere)".to_string();
    match row {
        Row::Name => {
            let text = text.trim();
            match s {
                Subject::Environment(d, n) => {
                    ws.rename_environment(*d, n, text)?;
                }
                Subject::Collection(d) => {
                    ws.rename(&crate::model::workspace::Node::Collection(*d), text)?
                }
                Subject::Folder(d, p) => {
                    ws.rename(&crate::model::workspace::Node::Folder(*d, p.clone()), text)?
                }
            }
        }
        Row::Description => ws.set_description(s, text),
        Row::Profile | Row::Region => {
            let Subject::Environment(d, n) = s else {
                return Err(gone());
            };
            let e = ws.environment_mut(*d, n).ok_or_else(gone)?;
            let value = (!text.trim().is_empty()).then(|| text.trim().to_string());
            match row {
                Row::Profile => e.profile = value,
                _ => e.region = value,
            }
        }
        Row::Auth(k) => {
            let a = ws.auth_of_mut(s).ok_or_else(gone)?;
            kind_of(a).1.set(a, *k, text)?;
        }
        Row::Header(i) => {
            let text = if col == 0 { text.trim() } else { text };
            if col == 0 && text.bytes().any(|b| b <= b' ' || b == b':' || b >= 0x7f) {
                return Err("a header name has no spaces, colons or control characters".into());
            }
            if col == 1 && text.contains(['\r', '\n']) {
                return Err("a header value is one line".into());
            }
            let h = (ws.headers_of_mut(s).and_then(|h| h.get_mut(*i))).ok_or_else(gone)?;
            *(if col == 0 { &mut h.name } else { &mut h.value }) = text.to_string();
        }
        Row::Var(name) => {
            let vars = ws.variables_of_mut(s).ok_or_else(gone)?;
            match (name, col) {
                (None, _) => {
                    let new = text.trim();
                    if new.is_empty() {
                        return Ok(Row::Var(None));
                    }
                    if !crate::model::variables::valid_name(new) {
                        return Err(format!(
                            "'{new}' is not a variable name (letters, digits, _ - . only)"
                        ));
                    }
                    if vars.contains_key(new) {
                        return Err(format!("{{{{{new}}}}} is already defined here"));
                    }
                    vars.insert(new.to_string(), String::new());
                    return Ok(Row::Var(Some(new.to_string())));
                }
                (Some(old), 0) => {
                    ws.rename_variable(s, old, text)?;
                    return Ok(Row::Var(Some(text.trim().to_string())));
                }
                (Some(n), _) => {
                    vars.insert(n.clone(), text.to_string());
                }
            }
        }
        Row::Env(_) => {}
    }
    Ok(row.clone())
}

/// The toggle key: a choice to its next value, a header on or off.
pub fn cycle(st: &mut State, s: &Subject, row: &Row) -> bool {
    let ws = &mut st.ws;
    match row {
        Row::Auth(k) => {
            let Some(a) = ws.auth_of_mut(s) else {
                return false;
            };
            let (i, kind) = kind_of(a);
            let kinds = crate::tui::panes::request::auth::KINDS;
            if *k == KIND {
                *a = kinds[(i + 1) % kinds.len()].fresh();
            } else {
                kind.cycle(a, *k);
            }
            true
        }
        Row::Header(i) => match ws.headers_of_mut(s).and_then(|h| h.get_mut(*i)) {
            Some(h) => {
                h.enabled = !h.enabled;
                true
            }
            None => false,
        },
        _ => false,
    }
}

/// The text a choice shows.
pub fn choice_text(st: &State, s: &Subject, row: &Row) -> String {
    let Row::Auth(k) = row else {
        return String::new();
    };
    let Some(a) = st.ws.auth_of(s) else {
        return String::new();
    };
    let kind = kind_of(a).1;
    if *k == KIND {
        kind.name().to_string()
    } else {
        kind.choice_text(a, *k)
    }
}

/// A new header row at the end; returns its row.
pub fn add_header(st: &mut State, s: &Subject) -> Option<Row> {
    let h = st.ws.headers_of_mut(s)?;
    h.push(NameValue {
        name: String::new(),
        value: String::new(),
        enabled: true,
    });
    Some(Row::Header(h.len() - 1))
}

/// Removes a header or a variable row.
pub fn remove(st: &mut State, s: &Subject, row: &Row) -> bool {
    match row {
        Row::Header(i) => match st.ws.headers_of_mut(s) {
            Some(h) if *i < h.len() => {
                h.remove(*i);
                true
            }
            _ => false,
        },
        Row::Var(Some(name)) => {
            (st.ws.variables_of_mut(s)).is_some_and(|m| m.remove(name).is_some())
        }
        _ => false,
    }
}
