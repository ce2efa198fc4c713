//! Rendering: reads the `App`, never mutates it, never does I/O. `layout` is a pure function
//! of the app and the screen, shared with mouse hit-testing.

mod inspector;
pub mod panes;
mod response;

use super::app::{App, Level, Pane, Prompt};
use super::keymap::DEFS;
use super::theme::Role;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};
use ratatui::Frame;

/// Where each pane is drawn; `None` when the screen is too small to show it now.
#[derive(Debug, Clone, Default)]
pub struct Areas {
    pub status: Rect,
    pub footer: Rect,
    pub tree: Rect,
    pub history: Option<Rect>,
    pub request: Option<Rect>,
    pub response: Option<Rect>,
    pub inspector: Option<Rect>,
}

impl Areas {
    pub fn panes(&self) -> Vec<(Pane, Rect)> {
        let mut v = vec![(Pane::Requests, self.tree)];
        for (p, r) in [
            (Pane::History, self.history),
            (Pane::Request, self.request),
            (Pane::Response, self.response),
            (Pane::Inspector, self.inspector),
        ] {
            if let Some(r) = r {
                v.push((p, r));
            }
        }
        v
    }
}

/// All panes from 120×30; below that the tree and one pane (the focused one).
pub fn layout(app: &App, area: Rect) -> Areas {
    let [status, main, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(area);
    let mut a = Areas {
        status,
        footer,
        ..Default::default()
    };
    if app.compact() {
        let tree_w = if area.width < 60 { area.width / 3 } else { 28 };
        let [left, right] =
            Layout::horizontal([Constraint::Length(tree_w), Constraint::Min(10)]).areas(main);
        a.tree = left;
        match app.main {
            Pane::Response => a.response = Some(right),
            Pane::Inspector => a.inspector = Some(right),
            Pane::History => a.history = Some(right),
            _ => a.request = Some(right),
        }
        return a;
    }
    let [left, right] =
        Layout::horizontal([Constraint::Length(34), Constraint::Min(40)]).areas(main);
    let [tree, history] =
        Layout::vertical([Constraint::Percentage(70), Constraint::Percentage(30)]).areas(left);
    a.tree = tree;
    a.history = Some(history);
    let top = if app.show_inspector {
        let [top, insp] =
            Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(right);
        a.inspector = Some(insp);
        top
    } else {
        right
    };
    let [req, resp] =
        Layout::horizontal([Constraint::Percentage(42), Constraint::Percentage(58)]).areas(top);
    a.request = Some(req);
    a.response = Some(resp);
    a
}

pub(super) fn block<'a>(app: &App, title: impl Into<Line<'a>>, pane: Pane) -> Block<'a> {
    let b = Block::bordered().title(title);
    if app.focus == pane {
        b.border_type(BorderType::Thick)
            .border_style(app.theme.fg(Role::Focus).add_modifier(Modifier::BOLD))
    } else {
        b.border_style(app.theme.fg(Role::Muted))
    }
}

/// The first row shown in a list of `height` rows so that `selected` is visible.
pub fn tree_offset(selected: usize, height: usize) -> usize {
    if height == 0 {
        return selected;
    }
    (selected + 1).saturating_sub(height)
}

pub fn render(app: &App, f: &mut Frame) {
    let area = f.area();
    let a = layout(app, area);
    render_status(app, f, a.status);
    panes::tree(app, f, a.tree);
    if let Some(r) = a.history {
        panes::history(app, f, r);
    }
    if let Some(r) = a.request {
        panes::request(app, f, r);
    }
    if let Some(r) = a.response {
        response::render(app, f, r);
    }
    if let Some(r) = a.inspector {
        inspector::render(app, f, r);
    }
    render_footer(app, f, a.footer);
    if let Some(p) = &app.prompt {
        render_prompt(app, p, f, area);
    }
    if app.show_help {
        render_help(app, f, area);
    }
}

fn render_status(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let mut spans = vec![Span::styled(
        " sigscope ",
        t.fg(Role::Accent).add_modifier(Modifier::BOLD),
    )];
    if let Some(node) = app.selected_node() {
        if let Some(d) = app.ws.docs.get(node.doc()) {
            spans.push(Span::raw(format!(
                "env: {} ",
                d.env.as_deref().unwrap_or("none")
            )));
        }
    }
    spans.push(Span::raw(format!(
        "· profile: {} ",
        app.profile.as_deref().unwrap_or("default")
    )));
    match &app.identity {
        None if app.fixed_credentials.is_none() => {
            spans.push(Span::styled("· resolving identity… ", t.fg(Role::Muted)))
        }
        None => {}
        Some(Err(e)) => spans.push(Span::styled(
            format!(
                "· no credentials: {} ",
                clip(e.lines().next().unwrap_or_default(), 70)
            ),
            t.fg(Role::Error),
        )),
        Some(Ok(id)) => {
            let who = id
                .arn
                .clone()
                .unwrap_or_else(|| format!("{} ({})", id.key, id.source));
            spans.push(Span::styled(format!("· {who} "), t.fg(Role::Ok)));
            if let Some(r) = &id.region {
                spans.push(Span::raw(format!("· profile region {r} ")));
            }
            if let Some(n) = &id.note {
                spans.push(Span::styled(
                    format!("· {} ", clip(n, 60)),
                    t.fg(Role::Warning),
                ));
            }
            if let Some(exp) = id.expiry {
                let left = exp
                    .duration_since(app.now())
                    .map(|d| format!("expires in {}m", d.as_secs() / 60))
                    .unwrap_or_else(|_| "EXPIRED".into());
                spans.push(Span::styled(format!("· {left} "), t.fg(Role::Warning)));
            }
        }
    }
    if let Some((region, service)) = &app.scope {
        spans.push(Span::styled(
            format!("· {region}/{service} "),
            t.fg(Role::Muted),
        ));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn render_footer(app: &App, f: &mut Frame, area: Rect) {
    let mode = if app.editor.editing.is_some() {
        "EDIT"
    } else if app.prompt.is_some() {
        "INPUT"
    } else {
        "NORMAL"
    };
    let key_style = Style::default().add_modifier(Modifier::REVERSED);
    let mut spans = vec![Span::styled(
        format!(" {mode} "),
        app.theme.fg(Role::Accent).add_modifier(Modifier::BOLD),
    )];
    // A notice takes the footer until the next key.
    if let Some((level, text)) = &app.notice {
        let role = match level {
            Level::Info => Role::Accent,
            Level::Warning => Role::Warning,
            Level::Error => Role::Error,
        };
        spans.push(Span::styled(
            format!(" {text}"),
            app.theme.fg(role).add_modifier(Modifier::BOLD),
        ));
        f.render_widget(
            Paragraph::new(Line::from(spans)).wrap(Wrap { trim: true }),
            area,
        );
        return;
    }
    if app.editor.editing.is_some() {
        for (k, d) in [("Esc", "done"), ("Ctrl-S", "save"), ("Ctrl-R", "send")] {
            spans.push(Span::styled(format!(" {k} "), key_style));
            spans.push(Span::raw(format!(" {d}  ")));
        }
    } else {
        for (k, d) in app.keymap.hints(app.context()) {
            spans.push(Span::styled(format!(" {k} "), key_style));
            spans.push(Span::raw(format!(" {d}  ")));
        }
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

fn render_prompt(app: &App, p: &Prompt, f: &mut Frame, area: Rect) {
    match p {
        Prompt::Text {
            purpose,
            area: text,
            ..
        } => {
            let title = match purpose {
                super::app::TextPurpose::Filter => "Filter requests (Enter keeps, Esc clears)",
                super::app::TextPurpose::Search => "Search the body (Enter; then n / N)",
                super::app::TextPurpose::Jq => "jq filter (Enter runs; empty clears)",
                super::app::TextPurpose::Rename => "Rename (Enter saves the name, Esc cancels)",
                super::app::TextPurpose::SaveAs => {
                    "Save as: this collection has no file yet (Enter saves, Esc cancels)"
                }
                super::app::TextPurpose::VarValue => "Value (Enter sets it where it is defined)",
                super::app::TextPurpose::VarAdd => "New variable: name=value (Enter adds it)",
            };
            let rect = Rect::new(area.x, area.height.saturating_sub(4), area.width.min(90), 3);
            f.render_widget(Clear, rect);
            let block = Block::bordered()
                .title(title)
                .border_style(app.theme.fg(Role::Focus));
            let inner = block.inner(rect);
            f.render_widget(block, rect);
            f.render_widget(&**text, inner);
        }
        Prompt::Confirm { question, .. } => {
            let rect = centered(area, 70, 6);
            f.render_widget(Clear, rect);
            f.render_widget(
                Paragraph::new(question.clone())
                    .wrap(Wrap { trim: true })
                    .block(
                        Block::bordered()
                            .title("Confirm")
                            .border_style(app.theme.fg(Role::Warning)),
                    ),
                rect,
            );
        }
        Prompt::Pick {
            title,
            items,
            selected,
            ..
        } => {
            let h = (items.len() as u16 + 2)
                .min(area.height.saturating_sub(4))
                .max(3);
            let rect = centered(area, 60, h);
            let visible = h.saturating_sub(2) as usize;
            let offset = tree_offset(*selected, visible);
            let lines: Vec<Line> = items
                .iter()
                .enumerate()
                .skip(offset)
                .take(visible)
                .map(|(i, it)| {
                    if i == *selected {
                        Line::styled(format!("› {it}"), app.theme.selected())
                    } else {
                        Line::raw(format!("  {it}"))
                    }
                })
                .collect();
            f.render_widget(Clear, rect);
            f.render_widget(
                Paragraph::new(lines).block(
                    Block::bordered()
                        .title(format!("{title} (↑↓ Enter, Esc)"))
                        .border_style(app.theme.fg(Role::Focus)),
                ),
                rect,
            );
        }
    }
}

fn render_help(app: &App, f: &mut Frame, area: Rect) {
    // One line per action, its pane in the first column (so the list fits 80×24 in two
    // columns).
    let mut lines: Vec<Line> = DEFS
        .iter()
        .map(|d| {
            let pane = match d.context {
                super::keymap::Context::Global => "",
                super::keymap::Context::Tree => "tree",
                super::keymap::Context::Request => "edit",
                super::keymap::Context::Response => "resp",
                super::keymap::Context::History => "hist",
            };
            let keys = app.keymap.keys(d.action).join(" ");
            Line::from(vec![
                Span::styled(format!("{pane:<5}"), app.theme.fg(Role::Muted)),
                Span::styled(format!("{keys:<11} "), app.theme.fg(Role::Accent)),
                Span::raw(d.desc),
            ])
        })
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "Mouse: click focuses, wheel scrolls. Rebind: keymap.json",
        app.theme.fg(Role::Muted),
    ));
    let h = (lines.len() as u16 + 2).min(area.height);
    // Two columns when the screen is short.
    let rect = centered(area, 100, h);
    f.render_widget(Clear, rect);
    let block = Block::bordered().title("Keys (any key closes)");
    let inner = block.inner(rect);
    f.render_widget(block, rect);
    let rows = inner.height as usize;
    let [c1, c2] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(inner);
    if lines.len() > rows {
        let second = lines.split_off(rows.min(lines.len()));
        f.render_widget(Paragraph::new(lines), c1);
        f.render_widget(Paragraph::new(second), c2);
    } else {
        f.render_widget(Paragraph::new(lines), inner);
    }
}

/// Clips a line to `width` display columns from column `skip`, for very long lines
/// (a minified 50 MB body is one line): only what fits is ever turned into spans.
pub(super) fn clip(s: &str, max_bytes: usize) -> &str {
    if s.len() <= max_bytes {
        return s;
    }
    let mut end = max_bytes;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}
