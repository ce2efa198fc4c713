//! The Vars tab: every variable the request sees, where it is defined and which definition
//! wins (the core's `variables::levels`, listed by the workspace), and those it uses that
//! nobody defines (marked undefined). Enter sets a value where it is defined (saying where
//! that is and how many requests it changes) or defines an undefined one in the environment
//! (else the collection); the add key adds `name=value` there, the delete key removes one
//! after asking. This run's overrides are shown, never saved.

use super::form::{Cursor, RowKind, Tab};
use crate::model::workspace::VarLevel;
use crate::model::RequestSpec;
use crate::text::visible_line;
use crate::tui::component::{Draw, Flow};
use crate::tui::hits::Target;
use crate::tui::keymap::Action;
use crate::tui::messages::{Answer, Confirm, Level, Phase, TextPurpose};
use crate::tui::overlays::{confirm::Confirmation, prompt::TextPrompt};
use crate::tui::state::State;
use crate::tui::theme::Role;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

pub struct VarsTab;

fn add_prompt(st: &mut State) {
    let p = TextPrompt::new(
        super::ID,
        TextPurpose::VarAdd,
        "New variable: name=value",
        "",
    );
    st.open(p.labels("adds it", "cancels"));
}

/// A value entered for the selected row, or a new `name=value`.
fn entered(cur: &mut Cursor, st: &mut State, purpose: TextPurpose, text: &str) {
    let Some(r) = st.selected_request().cloned() else {
        return;
    };
    let (level, name, value) = if purpose == TextPurpose::VarValue {
        let Some(v) = st.var_rows().into_iter().nth(cur.row) else {
            return;
        };
        let level = match v.level {
            VarLevel::Undefined => st.new_variable_level(),
            other => other,
        };
        (level, v.name, text.to_string())
    } else {
        let Some((name, value)) = text.split_once('=') else {
            return st.notify(Level::Error, "not added: write it as name=value");
        };
        let (level, name) = (st.new_variable_level(), name.trim().to_string());
        let rows = st.var_rows();
        if rows.iter().any(|v| v.level == level && v.name == name) {
            let key = st.key(Action::Enter).to_string();
            let name = visible_line(&name);
            return st.notify(
                Level::Error,
                format!("{{{{{name}}}}} is already defined there: {key} on its row edits it"),
            );
        }
        (level, name, value.to_string())
    };
    match st.ws.set_variable(&r, &level, &name, Some(&value)) {
        Ok(()) => {
            let rows = st.var_rows();
            if let Some(i) = rows.iter().position(|v| v.level == level && v.name == name) {
                cur.row = i;
            }
            st.changed(r.doc, true);
            let (place, n) = reach(st, &r, &level, &name);
            let shown = visible_line(&name);
            st.notify(Level::Info, format!("{{{{{shown}}}}} set in {place}: {n}"));
        }
        Err(e) => st.notify(Level::Error, format!("not set: {e}")),
    }
}

/// Where a value set at `level` lands, for people, and which requests it changes.
fn reach(
    st: &State,
    r: &crate::model::workspace::ReqRef,
    level: &VarLevel,
    name: &str,
) -> (String, String) {
    let users = |folder: Option<&[usize]>| st.ws.users_of(r.doc, folder, name);
    let every = |n: usize| match n {
        0 | 1 => "only this request uses it".to_string(),
        n => format!("it changes for every request that uses it ({n})"),
    };
    match level {
        VarLevel::Request => ("this request".into(), "only this request".into()),
        VarLevel::Folder(path) => {
            let name = st
                .ws
                .name_of(&crate::model::workspace::Node::Folder(r.doc, path.clone()));
            (
                format!("folder {}", visible_line(&name.unwrap_or_default())),
                every(users(Some(path))),
            )
        }
        VarLevel::Environment(e) => (format!("env {}", visible_line(e)), every(users(None))),
        VarLevel::Collection => ("the collection".into(), every(users(None))),
        VarLevel::Override | VarLevel::Undefined => ("this run".into(), String::new()),
    }
}

fn remove(cur: &mut Cursor, st: &mut State) {
    let (Some(r), Some(v)) = (
        st.selected_request().cloned(),
        st.var_rows().into_iter().nth(cur.row),
    ) else {
        return;
    };
    match st.ws.set_variable(&r, &v.level, &v.name, None) {
        Ok(()) => {
            let name = visible_line(&v.name);
            st.notify(
                Level::Info,
                format!("removed {{{{{name}}}}} ({})", v.source),
            );
            cur.row = cur.row.min(st.var_rows().len().saturating_sub(1));
            st.changed(r.doc, true);
        }
        Err(e) => st.notify(Level::Error, e),
    }
}

/// `captured by 'flow/create' at 12:03:04` for a value a request's capture set: this run's,
/// or the environment's (`env dev, captured by …`).
fn captured_source(st: &State, level: &VarLevel, name: &str) -> Option<String> {
    use crate::model::checks::CaptureScope;
    let c = st.captured_from(name)?;
    let by = format!(
        "captured by '{}' at {}",
        visible_line(&c.request),
        super::checks::clock(c.at)
    );
    match level {
        VarLevel::Override if c.scope == CaptureScope::Run => Some(by),
        VarLevel::Environment(env) if c.scope == CaptureScope::Environment => {
            Some(format!("env {}, {by}", visible_line(env)))
        }
        _ => None,
    }
}

impl Tab for VarsTab {
    fn title(&self) -> &'static str {
        "Vars"
    }

    fn rows(&self, _spec: &RequestSpec, st: &State) -> Vec<RowKind> {
        vec![RowKind::Field(0); st.var_rows().len()]
    }

    fn action(&self, cur: &mut Cursor, action: Action, st: &mut State) -> Option<Flow> {
        let row = st.var_rows().into_iter().nth(cur.row);
        match action {
            Action::Enter => match row {
                Some(v) if v.level == VarLevel::Override => {
                    let name = visible_line(&v.name);
                    st.notify(
                        Level::Warning,
                        format!("{{{{{name}}}}} is set for this run only (not saved)"),
                    )
                }
                Some(v) => {
                    let r = st.selected_request().cloned()?;
                    let level = match &v.level {
                        VarLevel::Undefined => st.new_variable_level(),
                        other => other.clone(),
                    };
                    let (place, n) = reach(st, &r, &level, &v.name);
                    let name = visible_line(&v.name);
                    let title = match v.level {
                        VarLevel::Undefined => format!("Define {{{{{name}}}}} in {place} ({n})"),
                        _ => format!("Value of {{{{{name}}}}} in {place}: {n}"),
                    };
                    let p = TextPrompt::new(super::ID, TextPurpose::VarValue, &title, &v.value);
                    st.open(p.labels("sets it", "cancels"));
                }
                None => add_prompt(st),
            },
            Action::AddRow => add_prompt(st),
            Action::DeleteRow => {
                if let Some(v) = row {
                    let question = format!(
                        "Remove {{{{{}}}}} from the {}?",
                        visible_line(&v.name),
                        v.source
                    );
                    st.open(
                        Confirmation::new(super::ID, Confirm::DeleteVariable, question)
                            .answer(Action::Yes, "remove")
                            .answer(Action::No, "keep"),
                    );
                }
            }
            Action::Toggle | Action::EditExternal => {}
            _ => return None,
        }
        Some(Flow::Consumed)
    }

    fn answer(&self, cur: &mut Cursor, answer: &Answer, st: &mut State) {
        match answer {
            Answer::Text {
                purpose: purpose @ (TextPurpose::VarValue | TextPurpose::VarAdd),
                text,
                phase: Phase::Accepted,
                ..
            } => entered(cur, st, *purpose, text),
            Answer::Confirmed {
                what: Confirm::DeleteVariable,
                choice: Action::Yes,
            } => remove(cur, st),
            _ => {}
        }
    }

    fn draw(&self, cur: &Cursor, f: &mut Frame, area: Rect, d: &mut Draw) -> bool {
        let st = d.st;
        let t = &st.theme;
        let rows = st.var_rows();
        let name_w = (rows.iter().map(|v| v.name.chars().count()).max())
            .unwrap_or(0)
            .clamp(8, 24);
        let mut y = area.y;
        for (i, v) in rows.iter().enumerate() {
            let mut style = t.fg(Role::Text);
            if v.shadowed {
                style = style.add_modifier(Modifier::DIM | Modifier::CROSSED_OUT);
            }
            let undefined = v.level == VarLevel::Undefined;
            if undefined {
                style = t.fg(Role::Error);
            }
            let line = Line::from(vec![
                Span::styled(
                    format!("{:<name_w$} ", visible_line(&v.name)),
                    style.patch(t.fg(Role::Accent)),
                ),
                Span::styled(
                    match undefined {
                        true => "(undefined: the send fails until it is defined)".into(),
                        false => visible_line(&v.value).into_owned(),
                    },
                    style,
                ),
                Span::styled(
                    match undefined {
                        true => format!("  {} defines it", st.key(Action::Enter)),
                        false => format!(
                            "  ← {}{}",
                            captured_source(st, &v.level, &v.name)
                                .unwrap_or_else(|| visible_line(&v.source).into_owned()),
                            if v.shadowed { ", overridden" } else { "" }
                        ),
                    },
                    t.fg(Role::Muted),
                ),
            ]);
            let line = if d.focused && i == cur.row {
                line.style(t.selected())
            } else {
                line
            };
            let p = Paragraph::new(line).wrap(Wrap { trim: false });
            let height = (p.line_count(area.width) as u16).min(area.bottom().saturating_sub(y));
            let rect = Rect::new(area.x, y, area.width, height);
            f.render_widget(p, rect);
            d.hit(rect, Target::Row(i));
            y += height;
        }
        let mut lines = Vec::new();
        if rows.is_empty() {
            lines.push(Line::styled("No variables yet.", t.fg(Role::Muted)));
        }
        let target = match st.new_variable_level() {
            VarLevel::Environment(e) => format!("env {}", visible_line(&e)),
            _ => "the collection".into(),
        };
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!(
                "{} edits a value where it is defined · {} adds name=value to {target} · {} removes. \
                 First wins: request, folders, this run, environment, collection.",
                st.key(Action::Enter),
                st.key(Action::AddRow),
                st.key(Action::DeleteRow)
            ),
            t.fg(Role::Muted),
        ));
        let rest = Rect::new(area.x, y, area.width, area.bottom().saturating_sub(y));
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), rest);
        true
    }
}
