//! The collection tree, the request editor and the history list.

use super::{block, tree_offset};
use crate::tui::app::{App, Pane};
use crate::tui::editor::{self, RowKind, Tab, TABS};
use crate::tui::theme::Role;
use crate::tui::workspace::Node;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Tabs, Wrap};
use ratatui::Frame;

pub fn tree(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let height = area.height.saturating_sub(2) as usize;
    let offset = tree_offset(app.selected, height);
    let lines: Vec<Line> = app
        .ws
        .rows
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, r)| {
            let mut spans = vec![Span::raw("  ".repeat(r.depth))];
            match (&r.node, &r.method) {
                (Node::Request(_), Some(m)) => {
                    spans.push(Span::styled(format!("{m:<6} "), t.method(m)));
                    spans.push(Span::raw(r.label.clone()));
                }
                (Node::Collection(d), _) => {
                    let mark = if app.ws.is_folded(&r.node) {
                        "▸ "
                    } else {
                        ""
                    };
                    spans.push(Span::styled(
                        format!("{mark}{}", r.label),
                        t.fg(Role::Text).add_modifier(Modifier::BOLD),
                    ));
                    if app.ws.docs[*d].dirty {
                        spans.push(Span::styled(" ●", t.fg(Role::Dirty)));
                    }
                }
                _ => {
                    let mark = if app.ws.is_folded(&r.node) {
                        "▸"
                    } else {
                        "▾"
                    };
                    spans.push(Span::styled(
                        format!("{mark} {}", r.label),
                        t.fg(Role::Accent),
                    ))
                }
            }
            let line = Line::from(spans);
            if i == app.selected {
                line.style(t.selected())
            } else {
                line
            }
        })
        .collect();
    let mut title = format!(
        "Collections ({})",
        app.ws
            .rows
            .iter()
            .filter(|r| matches!(r.node, Node::Request(_)))
            .count()
    );
    if !app.ws.filter.is_empty() {
        title = format!("Collections — filter: {}", app.ws.filter);
    }
    f.render_widget(
        Paragraph::new(lines).block(block(app, title, Pane::Requests)),
        area,
    );
}

pub fn history(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let lines: Vec<Line> = if app.history.is_empty() {
        vec![Line::styled(
            "No exchanges recorded for this request yet.",
            t.fg(Role::Muted),
        )]
    } else {
        let height = area.height.saturating_sub(2) as usize;
        app.history
            .iter()
            .enumerate()
            .skip(tree_offset(app.history_selected, height))
            .take(height)
            .map(|(i, e)| {
                let time = e.time.get(11..19).unwrap_or(&e.time);
                let line = Line::from(vec![
                    Span::styled(format!("{} ", e.status), t.status(e.status)),
                    Span::raw(format!("{time} {:>5} ms", e.elapsed_ms)),
                ]);
                if i == app.history_selected && app.focus == Pane::History {
                    line.style(t.selected())
                } else {
                    line
                }
            })
            .collect()
    };
    f.render_widget(
        Paragraph::new(lines).block(block(
            app,
            format!("History ({})", app.history.len()),
            Pane::History,
        )),
        area,
    );
}

/// The Vars tab: every variable the request sees, where it is defined, and which win.
fn variables(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let rows = app.var_rows();
    let focused = app.focus == Pane::Request;
    let name_w = rows
        .iter()
        .map(|v| v.name.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(8, 24);
    let mut lines: Vec<Line> = rows
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let mut style = t.fg(Role::Text);
            if v.shadowed {
                style = style.add_modifier(Modifier::DIM | Modifier::CROSSED_OUT);
            }
            let line = Line::from(vec![
                Span::styled(
                    format!("{:<name_w$} ", v.name),
                    style.patch(t.fg(Role::Accent)),
                ),
                Span::styled(v.value.clone(), style),
                Span::styled(
                    format!(
                        "  ← {}{}",
                        v.source,
                        if v.shadowed { ", overridden" } else { "" }
                    ),
                    t.fg(Role::Muted),
                ),
            ]);
            if focused && i == app.editor.row {
                line.style(t.selected())
            } else {
                line
            }
        })
        .collect();
    if rows.is_empty() {
        lines.push(Line::styled("No variables yet.", t.fg(Role::Muted)));
    }
    let target = match app.new_variable_level() {
        crate::tui::workspace::VarLevel::Environment(e) => format!("env {e}"),
        _ => "the collection".into(),
    };
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!(
            "Enter edits a value where it is defined · a adds name=value to {target} · x removes. \
             First wins: request, folders, this run, environment, collection."
        ),
        t.fg(Role::Muted),
    ));
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

/// The editor's tab titles for a tab line `width` wide, shared with mouse hit-testing: with
/// row counts and the body type when they fit, shorter when they do not, and at the
/// narrowest one letter for each tab but the `selected` one.
pub fn tab_titles(spec: &crate::model::RequestSpec, width: u16, selected: usize) -> Vec<String> {
    use crate::model::Body;
    let count = |n: usize, long: bool| match (n, long) {
        (0, false) => String::new(),
        (n, false) => format!(" {n}"),
        (n, true) => format!(" ({n})"),
    };
    let fits = |titles: &[String]| {
        titles.iter().map(|t| t.chars().count() + 3).sum::<usize>() <= width as usize + 1
    };
    let titles = |long: bool| -> Vec<String> {
        TABS.iter()
            .map(|tab| match tab {
                Tab::Query => format!("{}{}", tab.title(), count(spec.query.len(), long)),
                Tab::Headers => format!("{}{}", tab.title(), count(spec.headers.len(), long)),
                Tab::Body if long => match &spec.body {
                    Body::None => tab.title().to_string(),
                    Body::Json { .. } => "Body (json)".into(),
                    Body::Text { .. } => "Body (text)".into(),
                    Body::FormUrlencoded { fields } => format!("Body (form {})", fields.len()),
                    Body::File { .. } => "Body (file)".into(),
                },
                _ => tab.title().to_string(),
            })
            .collect()
    };
    let long = titles(true);
    if fits(&long) {
        return long;
    }
    let short = titles(false);
    if fits(&short) {
        return short;
    }
    short
        .into_iter()
        .enumerate()
        .map(|(i, t)| {
            if i == selected {
                return t;
            }
            let mut letter: String = t.chars().take(1).collect();
            letter.extend(t.chars().skip_while(|c| !c.is_ascii_digit()));
            letter
        })
        .collect()
}

/// The tab under column `x` of the tab line starting at `left` (ratatui's `Tabs`: one
/// space either side of each title, `│` between them).
pub fn tab_at(
    spec: &crate::model::RequestSpec,
    left: u16,
    width: u16,
    selected: usize,
    x: u16,
) -> Option<usize> {
    let mut start = left;
    for (i, t) in tab_titles(spec, width, selected).iter().enumerate() {
        let end = start + t.chars().count() as u16 + 2;
        if (start..end).contains(&x) {
            return Some(i);
        }
        start = end + 1;
    }
    None
}

pub fn request(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let Some(spec) = app.spec() else {
        f.render_widget(
            Paragraph::new("Select a request in the tree (a adds one).").block(block(
                app,
                "Request",
                Pane::Request,
            )),
            area,
        );
        return;
    };
    let dirty = app
        .selected_node()
        .map(|n| app.ws.docs[n.doc()].dirty)
        .unwrap_or(false);
    let title = Line::from(vec![
        Span::raw(format!("Request: {}", spec.name)),
        Span::styled(if dirty { " ● unsaved" } else { "" }, t.fg(Role::Dirty)),
    ]);
    let outer = block(app, title, Pane::Request);
    let inner = outer.inner(area);
    f.render_widget(outer, area);
    let [tabs_area, url_area, body_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
    ])
    .areas(inner);
    let titles: Vec<Line> = tab_titles(spec, tabs_area.width, app.editor.tab_index)
        .into_iter()
        .map(Line::raw)
        .collect();
    f.render_widget(
        Tabs::new(titles)
            .select(app.editor.tab_index)
            .highlight_style(
                t.fg(Role::Accent)
                    .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            ),
        tabs_area,
    );
    // The method and URL stay in view on every tab; an error in them is shown here, inline.
    let mut url_line = vec![
        Span::styled(
            format!("{} ", spec.method),
            t.method(&spec.method).add_modifier(Modifier::BOLD),
        ),
        Span::raw(spec.url.clone()),
    ];
    if let Some(e) = &app.prepare_error {
        url_line.push(Span::styled(format!("  ✗ {e}"), t.fg(Role::Error)));
    }
    f.render_widget(Paragraph::new(Line::from(url_line)), url_area);

    let editing = app.editor.editing.as_ref();
    if let Some(e) = editing.filter(|e| e.multiline()) {
        let title = match &e.error {
            Some(err) => Line::styled(format!("✗ {err}"), t.fg(Role::Error)),
            None => Line::styled("Body (valid) — Esc done, Ctrl-S save", t.fg(Role::Ok)),
        };
        let b = Block::bordered()
            .title(title)
            .border_style(t.fg(Role::Focus));
        let inner = b.inner(body_area);
        f.render_widget(b, body_area);
        f.render_widget(&e.area, inner);
        return;
    }
    let tab = app.editor.tab();
    if tab == Tab::Vars {
        variables(app, f, body_area);
        return;
    }
    let rows = editor::rows(spec, tab);
    let mut lines: Vec<Line> = Vec::new();
    let focused = app.focus == Pane::Request;
    let mut cursor_line = None;
    for (i, row) in rows.iter().enumerate() {
        let selected = focused && i == app.editor.row;
        let edited_field = editing.map(|e| e.field);
        let line = match *row {
            RowKind::Field(field) => {
                let label =
                    Span::styled(format!("{:<17}", editor::label(field)), t.fg(Role::Accent));
                if edited_field == Some(field) {
                    cursor_line = Some((lines.len(), 17u16));
                    Line::from(vec![label])
                } else {
                    let mut value = editor::text(spec, field);
                    let mut spans = vec![label];
                    if field == editor::Field::Body {
                        // The content itself is shown under the rows.
                        value = format!(
                            "{} lines — Enter edits here, e opens $EDITOR",
                            value.lines().count()
                        );
                    }
                    let hint = match field {
                        editor::Field::Region | editor::Field::Service if value.is_empty() => {
                            app.scope.as_ref().map(|(r, s)| {
                                format!(
                                    "auto → {}",
                                    if field == editor::Field::Region { r } else { s }
                                )
                            })
                        }
                        editor::Field::Profile if value.is_empty() => Some(format!(
                            "default → {}",
                            app.profile
                                .as_deref()
                                .unwrap_or("the environment's, else the AWS CLI chain")
                        )),
                        _ => None,
                    };
                    match hint {
                        Some(h) => spans.push(Span::styled(h, t.fg(Role::Muted))),
                        None => spans.push(Span::raw(value)),
                    }
                    Line::from(spans)
                }
            }
            RowKind::Choice(c) => Line::from(vec![
                Span::styled(
                    format!("{:<17}", editor::choice_label(c)),
                    t.fg(Role::Accent),
                ),
                Span::raw(format!("‹ {} ›", editor::choice_text(spec, c))),
            ]),
            RowKind::Pair(p) => {
                let Some(item) = editor::pairs(spec, tab).and_then(|items| items.get(p)) else {
                    continue;
                };
                let mark = if item.enabled { "[x]" } else { "[ ]" };
                let col = if selected { app.editor.col } else { 9 };
                let name_w = 20usize;
                let is_edit = |c: usize| {
                    edited_field.is_some_and(|f| editor::field_of(tab, *row, c) == Some(f))
                };
                if is_edit(0) {
                    cursor_line = Some((lines.len(), 4));
                } else if is_edit(1) {
                    cursor_line = Some((lines.len(), 4 + name_w as u16 + 1));
                }
                let cell = |text: &str, c: usize| {
                    let s = if is_edit(c) {
                        String::new()
                    } else {
                        text.to_string()
                    };
                    let style = if col == c {
                        t.fg(Role::Accent).add_modifier(Modifier::UNDERLINED)
                    } else {
                        t.fg(Role::Text)
                    };
                    let style = if item.enabled {
                        style
                    } else {
                        style.add_modifier(Modifier::DIM | Modifier::CROSSED_OUT)
                    };
                    Span::styled(s, style)
                };
                Line::from(vec![
                    Span::raw(format!("{mark} ")),
                    cell(&format!("{:<name_w$}", item.name), 0),
                    Span::raw(" "),
                    cell(&item.value, 1),
                ])
            }
        };
        lines.push(if selected {
            line.style(t.selected())
        } else {
            line
        });
    }
    let inline_body = matches!(
        spec.body,
        crate::model::Body::Json { .. } | crate::model::Body::Text { .. }
    );
    if tab == Tab::Body && inline_body {
        lines.push(Line::raw(""));
        let body = editor::text(spec, editor::Field::Body);
        let kind = if matches!(spec.body, crate::model::Body::Json { .. }) {
            crate::body::BodyKind::Json
        } else {
            crate::body::BodyKind::Text
        };
        for (i, l) in body.lines().take(body_area.height as usize).enumerate() {
            let mut spans = vec![Span::styled(format!("{:>3} ", i + 1), t.fg(Role::Muted))];
            for (tok, r) in crate::body::highlight::spans(kind, l) {
                spans.push(Span::styled(
                    l[r].to_string(),
                    super::response::token_style(t, tok),
                ));
            }
            lines.push(Line::from(spans));
        }
    }
    let hint = match (tab, &spec.body) {
        (Tab::Query | Tab::Headers, _) if rows.is_empty() => {
            "No rows: a adds one (Space turns a row on/off, x deletes)."
        }
        (Tab::Body, crate::model::Body::FormUrlencoded { fields }) if fields.is_empty() => {
            "No fields: a adds one (Space turns a field on/off, x deletes)."
        }
        (Tab::Body, crate::model::Body::File { path }) if path.is_empty() => {
            "Enter the file's path (relative to where sigscope runs; {{variables}} work)."
        }
        _ => "",
    };
    if !hint.is_empty() {
        lines.push(Line::styled(hint, t.fg(Role::Muted)));
    }
    // Inherited headers and auth, so that what is sent is never a surprise.
    if tab == Tab::Headers || tab == Tab::Auth {
        if let Some(r) = app.selected_request() {
            if let Some((c, located)) = app.ws.located(r) {
                let inherited: Vec<String> = c
                    .headers
                    .iter()
                    .chain(located.folders.iter().flat_map(|f| f.headers.iter()))
                    .filter(|h| h.enabled)
                    .map(|h| format!("{}: {}", h.name, h.value))
                    .collect();
                if tab == Tab::Headers && !inherited.is_empty() {
                    lines.push(Line::raw(""));
                    lines.push(Line::styled(
                        "inherited from the folder / collection:",
                        t.fg(Role::Muted),
                    ));
                    lines.extend(
                        inherited
                            .into_iter()
                            .map(|h| Line::styled(format!("    {h}"), t.fg(Role::Muted))),
                    );
                }
            }
        }
    }
    if let Some(err) = editing.and_then(|e| e.error.as_ref()) {
        lines.push(Line::styled(format!("✗ {err}"), t.fg(Role::Error)));
    }
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), body_area);
    // The field being edited is drawn over its row.
    if let (Some(e), Some((row, x))) = (editing, cursor_line) {
        let y = body_area.y + row as u16;
        if y < body_area.bottom() {
            let rect = Rect::new(body_area.x + x, y, body_area.width.saturating_sub(x), 1);
            f.render_widget(&e.area, rect);
        }
    }
}
