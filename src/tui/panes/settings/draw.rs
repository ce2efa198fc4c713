//! Drawing the settings: the title (what is edited, unsaved or not), the tab line, the rows
//! of the tab (the field being typed drawn over its row), then what the subject inherits and
//! from where, or how the environments are used.

use super::rows::{self, Row, Tab};
use super::SettingsPane;
use crate::model::workspace::Subject;
use crate::model::Auth;
use crate::text::visible_line;
use crate::tui::component::Draw;
use crate::tui::hits::Target;
use crate::tui::keymap::Action;
use crate::tui::panes::request::auth::kind_of;
use crate::tui::state::State;
use crate::tui::theme::Role;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

const LABEL: usize = 17;
const NAME: usize = 20;

/// One line about an auth: its kind and what matters of it.
pub fn auth_summary(a: &Auth) -> String {
    match a {
        Auth::AwsSigv4 {
            profile,
            region,
            service,
            ..
        } => {
            let mut parts = vec!["aws-sigv4".to_string()];
            if let Some(p) = profile {
                parts.push(format!("profile {p}"));
            }
            if let Some(r) = region {
                parts.push(format!("region {r}"));
            }
            if let Some(s) = service {
                parts.push(format!("service {s}"));
            }
            parts.join(", ")
        }
        other => kind_of(other).1.name().to_string(),
    }
}

fn title(st: &State, s: &Subject) -> String {
    let dirty = st.ws.docs.get(s.doc()).is_some_and(|d| d.dirty);
    let name = rows::get(st, s, &Row::Name, 0);
    let what = match s {
        Subject::Collection(_) => format!("Collection settings: {}", visible_line(&name)),
        Subject::Folder(..) => format!("Folder settings: {}", visible_line(&name)),
        Subject::Environment(d, _) => {
            let c = rows::get(st, &Subject::Collection(*d), &Row::Name, 0);
            format!(
                "Environment: {} (of '{}')",
                visible_line(&name),
                visible_line(&c)
            )
        }
    };
    format!("{what}{}", if dirty { " ● unsaved" } else { "" })
}

pub fn render(pane: &SettingsPane, f: &mut Frame, area: Rect, d: &mut Draw) {
    let st = d.st;
    let t = &st.theme;
    let Some(s) = pane.subject(st) else {
        return;
    };
    let outer = d.block(title(st, &s));
    let inner = outer.inner(area);
    f.render_widget(outer, area);
    let [tabs_area, body] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
    // The tab line.
    let tabs = rows::tabs(&s);
    let current = pane.tab % tabs.len();
    let mut spans = Vec::new();
    let mut x = tabs_area.x;
    for (i, tab) in tabs.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw("│"));
            x += 1;
        }
        let title = tab.title();
        let w = title.chars().count() as u16 + 2;
        d.hit(
            Rect::new(
                x,
                tabs_area.y,
                w.min(tabs_area.right().saturating_sub(x)),
                1,
            ),
            Target::Tab(i),
        );
        x += w;
        let style = if i == current {
            t.fg(Role::Accent)
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        } else {
            t.fg(Role::Text)
        };
        spans.push(Span::styled(format!(" {title} "), style));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), tabs_area);
    // The rows.
    let tab = tabs[current];
    let rows = rows::rows(st, &s, tab, pane.pending);
    let editing = pane.editing.as_ref();
    let mut y = body.y;
    let mut field_at = None;
    for (i, row) in rows.iter().enumerate() {
        if y >= body.bottom() {
            break;
        }
        let selected = d.focused && i == pane.row;
        let is_edit = |col| editing.is_some_and(|e| e.row == *row && e.col == col);
        let (line, edit_x) = row_line(st, &s, row, if selected { pane.col } else { 9 }, &is_edit);
        let line = if selected {
            line.style(t.selected())
        } else {
            line
        };
        let rect = Rect::new(body.x, y, body.width, 1);
        f.render_widget(Paragraph::new(line), rect);
        d.hit(rect, Target::Row(i));
        if let Some(x) = edit_x {
            field_at = Some(Rect::new(body.x + x, y, body.width.saturating_sub(x), 1));
        }
        y += 1;
    }
    let mut lines = after(st, &s, tab, rows.is_empty());
    if let Some(err) = editing.and_then(|e| e.error.as_ref()) {
        lines.insert(
            0,
            Line::styled(format!("✗ {}", visible_line(err)), t.fg(Role::Error)),
        );
    }
    let rest = Rect::new(body.x, y, body.width, body.bottom().saturating_sub(y));
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), rest);
    if let (Some(e), Some(rect)) = (editing, field_at) {
        f.render_widget(&e.field.area, rect);
    }
}

/// A row as drawn, and where its edited cell starts (for the text field drawn over it).
fn row_line(
    st: &State,
    s: &Subject,
    row: &Row,
    col: usize,
    is_edit: &dyn Fn(usize) -> bool,
) -> (Line<'static>, Option<u16>) {
    let t = &st.theme;
    match row {
        Row::Header(i) => {
            let h = st.ws.headers_of(s).and_then(|h| h.get(*i));
            let enabled = h.is_none_or(|h| h.enabled);
            pair_line(
                st,
                enabled,
                &rows::get(st, s, row, 0),
                &rows::get(st, s, row, 1),
                col,
                is_edit,
            )
        }
        Row::Var(_) => pair_line(
            st,
            true,
            &rows::get(st, s, row, 0),
            &rows::get(st, s, row, 1),
            col,
            is_edit,
        ),
        Row::Env(name) => {
            let e = st.ws.environment(s.doc(), name);
            let active = st.ws.docs.get(s.doc()).and_then(|d| d.env.as_deref()) == Some(name);
            let detail = e.map(|e| {
                let mut parts = Vec::new();
                if let Some(p) = &e.profile {
                    parts.push(format!("profile {}", visible_line(p)));
                }
                if let Some(r) = &e.region {
                    parts.push(format!("region {}", visible_line(r)));
                }
                parts.push(format!("{} variables", e.variables.len()));
                parts.join(" · ")
            });
            (
                Line::from(vec![
                    Span::raw(if active { "● " } else { "  " }),
                    Span::styled(
                        format!("{:<NAME$} ", visible_line(name)),
                        t.fg(Role::Accent),
                    ),
                    Span::styled(detail.unwrap_or_default(), t.fg(Role::Muted)),
                ]),
                None,
            )
        }
        Row::Auth(k) if !row.is_text() => {
            let _ = k;
            (
                Line::from(vec![
                    Span::styled(format!("{:<LABEL$}", row.label(st, s)), t.fg(Role::Accent)),
                    Span::raw(format!("‹ {} ›", rows::choice_text(st, s, row))),
                ]),
                None,
            )
        }
        _ => {
            let label = Span::styled(format!("{:<LABEL$}", row.label(st, s)), t.fg(Role::Accent));
            if is_edit(0) {
                return (Line::from(vec![label]), Some(LABEL as u16));
            }
            let value = rows::get(st, s, row, 0);
            let value = if value.is_empty() {
                Span::styled(empty_hint(s, row), t.fg(Role::Muted))
            } else {
                Span::raw(visible_line(&value).into_owned())
            };
            (Line::from(vec![label, value]), None)
        }
    }
}

/// What an empty field means.
fn empty_hint(s: &Subject, row: &Row) -> String {
    match (s, row) {
        (_, Row::Profile) => "none → each request's own, else the AWS CLI chain".into(),
        (_, Row::Region) => "none → each request's own, else inferred from the host".into(),
        (_, Row::Auth(crate::tui::panes::request::RowKind::Field(1))) => {
            "the environment's, else the AWS CLI chain".into()
        }
        (_, Row::Auth(_)) => "auto (per request, from the host)".into(),
        _ => String::new(),
    }
}

fn pair_line(
    st: &State,
    enabled: bool,
    name: &str,
    value: &str,
    col: usize,
    is_edit: &dyn Fn(usize) -> bool,
) -> (Line<'static>, Option<u16>) {
    let t = &st.theme;
    let cell = |text: String, c: usize| {
        let mut style = if col == c {
            t.fg(Role::Accent).add_modifier(Modifier::UNDERLINED)
        } else {
            t.fg(Role::Text)
        };
        if !enabled {
            style = style.add_modifier(Modifier::DIM | Modifier::CROSSED_OUT);
        }
        Span::styled(if is_edit(c) { String::new() } else { text }, style)
    };
    let mark = if enabled { "[x]" } else { "[ ]" };
    let line = Line::from(vec![
        Span::raw(format!("{mark} ")),
        cell(format!("{:<NAME$}", visible_line(name)), 0),
        Span::raw(" "),
        cell(visible_line(value).into_owned(), 1),
    ]);
    let x = (is_edit(0).then_some(4)).or(is_edit(1).then_some(4 + NAME as u16 + 1));
    (line, x)
}

/// Under the rows: what is inherited and from where, or what the keys do.
fn after(st: &State, s: &Subject, tab: Tab, empty: bool) -> Vec<Line<'static>> {
    let t = &st.theme;
    let muted = t.fg(Role::Muted);
    let mut out = Vec::new();
    let keys = |what: &str| {
        format!(
            "{}: {} adds one ({} turns it on/off, {} deletes).",
            what,
            st.key(Action::AddRow),
            st.key(Action::Toggle),
            st.key(Action::DeleteRow)
        )
    };
    match tab {
        Tab::General => {
            if let Some(d) = st.ws.docs.get(s.doc()) {
                let file = match d.persistent {
                    true => d.loaded.path.display().to_string(),
                    false => "none yet (saving asks where)".into(),
                };
                out.push(Line::raw(""));
                out.push(Line::styled(
                    format!("File: {}", visible_line(&file)),
                    muted,
                ));
            }
            if matches!(s, Subject::Environment(..)) {
                out.push(Line::styled(
                    format!(
                        "{} goes back to the collection's environments.",
                        st.key(Action::Cancel)
                    ),
                    muted,
                ));
            }
        }
        Tab::Auth => {
            let own = st.ws.auth_of(s);
            out.push(Line::raw(""));
            match (own, st.ws.inherited_auth(s)) {
                (Some(Auth::Inherit), Some(up)) => out.push(Line::styled(
                    format!(
                        "→ inherits {} from {}",
                        visible_line(&auth_summary(&up.value)),
                        visible_line(&up.from)
                    ),
                    t.fg(Role::Ok),
                )),
                (Some(Auth::Inherit), None) => out.push(Line::styled(
                    "→ none: requests that inherit are sent unsigned",
                    muted,
                )),
                _ => {}
            }
            out.push(Line::styled(
                format!(
                    "Every request below whose auth is 'inherit' uses this ({} cycles the kind).",
                    st.key(Action::Toggle)
                ),
                muted,
            ));
        }
        Tab::Headers => {
            if empty {
                out.push(Line::styled(keys("No headers"), muted));
            }
            let inherited = st.ws.inherited_headers(s);
            if !inherited.is_empty() {
                out.push(Line::raw(""));
                out.push(Line::styled("inherited:", muted));
            }
            for h in inherited.into_iter().filter(|h| h.value.enabled) {
                out.push(Line::styled(
                    format!(
                        "    {}: {}  ← {}",
                        visible_line(&h.value.name),
                        visible_line(&h.value.value),
                        visible_line(&h.from)
                    ),
                    muted,
                ));
            }
        }
        Tab::Vars => {
            if empty {
                out.push(Line::styled(
                    format!(
                        "No variables: {} adds one ({} deletes).",
                        st.key(Action::AddRow),
                        st.key(Action::DeleteRow)
                    ),
                    muted,
                ));
            }
            let env = st.ws.docs.get(s.doc()).and_then(|d| d.env.clone());
            let inherited = st.ws.inherited_variables(s, env.as_deref(), &st.overrides);
            let own = st.ws.variables_of(s).cloned().unwrap_or_default();
            if !inherited.is_empty() {
                out.push(Line::raw(""));
                out.push(Line::styled(
                    match s {
                        Subject::Collection(_) => "seen by requests, winning over these:",
                        _ => "inherited (these win over what is below them):",
                    },
                    muted,
                ));
            }
            let mut seen = std::collections::HashSet::new();
            let collection = matches!(s, Subject::Collection(_));
            for v in inherited {
                let (name, value) = &v.value;
                // Below a folder its own definitions win; for a collection the environment's.
                let shadowed =
                    (!collection && own.contains_key(name)) || !seen.insert(name.clone());
                let note = match (shadowed, collection && own.contains_key(name)) {
                    (true, _) => ", overridden",
                    (false, true) => ", wins over the collection's",
                    _ => "",
                };
                let mut style = muted;
                if shadowed {
                    style = style.add_modifier(Modifier::CROSSED_OUT);
                }
                out.push(Line::styled(
                    format!(
                        "    {} = {}  ← {}{note}",
                        visible_line(name),
                        visible_line(value),
                        visible_line(&v.from)
                    ),
                    style,
                ));
            }
        }
        Tab::Environments => {
            if empty {
                out.push(Line::styled("No environment yet.", muted));
            }
            out.push(Line::raw(""));
            out.push(Line::styled(
                format!(
                    "{} opens one · {} makes it the one in use (●) · {} new · {} rename · {} duplicate · {} delete",
                    st.key(Action::Enter),
                    st.key(Action::Toggle),
                    st.key(Action::AddRow),
                    st.key(Action::Rename),
                    st.key(Action::Duplicate),
                    st.key(Action::DeleteRow)
                ),
                muted,
            ));
        }
    }
    out
}
