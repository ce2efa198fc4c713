//! The response pane: status, timing, clock check, diagnosis, headers, and the body. Only
//! the lines in view are read from the body and highlighted.

use super::{block, clip};
use crate::body::highlight::{self, Token};
use crate::body::{self, BodyKind};
use crate::tui::app::{App, Pane, RequestState};
use crate::tui::response::{Shown, ViewMode};
use crate::tui::theme::{Role, Theme};
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let mut head: Vec<Line> = Vec::new();
    let mut title = "Response".to_string();
    match &app.state {
        RequestState::Idle => head.push(Line::styled(
            format!(
                "{} sends the selected request.",
                app.keymap
                    .keys(crate::tui::app::Action::Send)
                    .first()
                    .copied()
                    .unwrap_or("ctrl-r")
            ),
            t.fg(Role::Muted),
        )),
        RequestState::Sending { started, .. } => {
            const SPIN: [&str; 4] = ["⠋", "⠙", "⠸", "⠴"];
            let ms = started.elapsed().as_millis();
            head.push(Line::raw(format!(
                "{} sending… {ms} ms (Esc cancels)",
                SPIN[(ms / 120) as usize % 4]
            )));
        }
        RequestState::Checked(steps) => {
            title = "Doctor".into();
            for (i, step) in steps.iter().enumerate() {
                let (mark, role) = match step.status {
                    crate::diagnose::doctor::Status::Ok => ("ok  ", Role::Ok),
                    crate::diagnose::doctor::Status::Skipped => ("skip", Role::Muted),
                    crate::diagnose::doctor::Status::Failed => ("FAIL", Role::Error),
                };
                let mut detail = step.detail.lines();
                head.push(Line::from(vec![
                    Span::styled(format!("{}. {mark} ", i + 1), t.fg(role)),
                    Span::styled(
                        format!("{}: ", step.name),
                        Style::default().add_modifier(Modifier::BOLD),
                    ),
                    Span::raw(detail.next().unwrap_or_default().to_string()),
                ]));
                head.extend(detail.map(|d| Line::raw(format!("        {d}"))));
            }
        }
        RequestState::Failed(e) => head.push(Line::styled(e.clone(), t.fg(Role::Error))),
        RequestState::Done {
            exchange,
            diagnosis,
            body,
            from_history,
        } => {
            let r = &exchange.response;
            if let Some(h) = from_history {
                title = format!("Response — from history {h}");
            }
            head.push(Line::from(vec![
                Span::styled(format!("{} {}", r.status, r.reason), t.status(r.status)),
                Span::raw(format!(
                    "  {} ms  {}  {}",
                    exchange.timing.total.as_millis(),
                    body::human_size(r.body.len()),
                    body.kind.as_str()
                )),
                Span::styled(
                    format!(
                        "  [{}{}{}]",
                        app.response.mode.as_str(),
                        if app.response.wrap { ", wrap" } else { "" },
                        body.jq
                            .as_ref()
                            .map(|j| format!(", jq {}", j.filter))
                            .unwrap_or_default()
                    ),
                    t.fg(Role::Muted),
                ),
            ]));
            // Checked on every exchange, not only on failure.
            let window = match exchange.trace.as_ref() {
                Some(tr) if tr.service == "execute-api" => 300,
                _ => 900,
            };
            if let Some(w) = crate::diagnose::clock_warning(r, exchange.timing.started, window) {
                head.push(Line::styled(format!("⚠ {w}"), t.fg(Role::Warning)));
            }
            if let Some(d) = diagnosis {
                head.push(Line::styled(
                    format!("diagnosis: {}", d.kind.as_str()),
                    t.fg(Role::Warning).add_modifier(Modifier::BOLD),
                ));
                // The account AWS masks is filled in from the resolved identity.
                let account = match &app.identity {
                    Some(Ok(id)) => id.account.as_deref(),
                    _ => None,
                };
                let fill = |s: &str| match account {
                    Some(a) => crate::diagnose::fill_account(s, a),
                    None => s.to_string(),
                };
                head.push(Line::raw(fill(&d.summary)));
                for s in d.next_steps.iter().map(|s| fill(s)) {
                    for (i, part) in s.lines().enumerate() {
                        head.push(Line::raw(format!(
                            "{} {part}",
                            if i == 0 { "→" } else { " " }
                        )));
                    }
                }
            }
            if app.response.show_headers {
                for (n, v) in &r.headers {
                    head.push(Line::from(vec![
                        Span::styled(format!("{n}: "), t.fg(Role::Accent)),
                        Span::raw(v.clone()),
                    ]));
                }
            } else {
                head.push(Line::styled(
                    format!("{} headers (H shows them)", r.headers.len()),
                    t.fg(Role::Muted),
                ));
            }
        }
    }
    let outer = block(app, title, Pane::Response);
    let inner = outer.inner(area);
    f.render_widget(outer, area);
    let RequestState::Done { body: shown, .. } = &app.state else {
        f.render_widget(Paragraph::new(head).wrap(Wrap { trim: false }), inner);
        return;
    };
    // The head takes what it needs (at most half); the body gets the rest.
    // A diagnosis may take two thirds: its next steps are the point.
    let diagnosed = matches!(
        &app.state,
        RequestState::Done {
            diagnosis: Some(_),
            ..
        }
    );
    let share = if diagnosed {
        inner.height.saturating_sub(3)
    } else {
        inner.height / 2
    };
    let w = inner.width.max(1) as usize;
    let wrapped: usize = head.iter().map(|l| l.width().div_ceil(w).max(1)).sum();
    let head_h = (wrapped as u16).min(share).max(1);
    let head_rect = Rect::new(inner.x, inner.y, inner.width, head_h);
    let body_rect = Rect::new(
        inner.x,
        inner.y + head_h,
        inner.width,
        inner.height - head_h,
    );
    f.render_widget(Paragraph::new(head).wrap(Wrap { trim: false }), head_rect);
    let lines = body_lines(
        app,
        shown,
        body_rect.width as usize,
        body_rect.height as usize,
    );
    let mut p = Paragraph::new(lines);
    if app.response.wrap {
        p = p.wrap(Wrap { trim: false });
    }
    f.render_widget(p, body_rect);
}

/// The visible body lines, highlighted, with search matches marked.
fn body_lines(app: &App, shown: &Shown, width: usize, height: usize) -> Vec<Line<'static>> {
    let t = &app.theme;
    let v = &app.response;
    if let Some(crate::tui::response::JqView { result: Err(e), .. }) = &shown.jq {
        return vec![Line::styled(e.clone(), t.fg(Role::Error))];
    }
    let gutter = |i: usize| Span::styled(format!("{:>6} ", i + 1), t.fg(Role::Muted));
    if v.mode == ViewMode::Hex && shown.jq.is_none() {
        let n = body::hex_lines(&shown.raw);
        return (v.scroll..n.min(v.scroll + height))
            .map(|i| Line::from(vec![Span::raw(body::hex_line(&shown.raw, i))]))
            .collect();
    }
    let Some(lines) = shown.lines(v.mode) else {
        return vec![Line::styled(
            format!("formatting {}…", body::human_size(shown.raw.len())),
            t.fg(Role::Muted),
        )];
    };
    if lines.is_empty() {
        return vec![Line::styled("(empty body)", t.fg(Role::Muted))];
    }
    let kind = if shown.jq.is_some() {
        BodyKind::Json
    } else {
        shown.kind
    };
    // A wrapped line can fill the view alone: never read more than a screenful of it.
    let (skip, max_bytes) = if v.wrap {
        (0, width * height * 4)
    } else {
        (v.hscroll, (v.hscroll + width) * 4)
    };
    let mut out = Vec::with_capacity(height);
    for i in v.scroll..lines.len().min(v.scroll + height) {
        let raw = lines.line(i);
        let text = String::from_utf8_lossy(clip_bytes(raw, max_bytes));
        let text = clip(&text, max_bytes);
        // Scrolled right: drop the first `skip` characters (only of what was read).
        let text = match text.char_indices().nth(skip) {
            _ if skip == 0 => text.to_string(),
            Some((at, _)) => text[at..].to_string(),
            None => String::new(),
        };
        let mut spans = vec![gutter(i)];
        spans.extend(highlighted(t, kind, &text, &v.search));
        out.push(Line::from(spans));
    }
    out
}

fn clip_bytes(b: &[u8], n: usize) -> &[u8] {
    &b[..b.len().min(n)]
}

pub(super) fn token_style(t: &Theme, tok: Token) -> Style {
    token_role(tok).map(|r| t.fg(r)).unwrap_or_default()
}

fn token_role(tok: Token) -> Option<Role> {
    Some(match tok {
        Token::Plain => return None,
        Token::Key => Role::JsonKey,
        Token::String => Role::JsonString,
        Token::Number => Role::JsonNumber,
        Token::Literal => Role::JsonLiteral,
        Token::Punctuation => Role::Punctuation,
        Token::Tag => Role::XmlTag,
        Token::Attribute => Role::XmlAttribute,
    })
}

fn highlighted(t: &Theme, kind: BodyKind, text: &str, search: &str) -> Vec<Span<'static>> {
    let matches = body::match_ranges(text.as_bytes(), search);
    let mut out = Vec::new();
    for (tok, range) in highlight::spans(kind, text) {
        let style = token_style(t, tok);
        // Split the token where a search match starts or ends.
        let mut cuts = vec![range.start, range.end];
        for m in &matches {
            for c in [m.start, m.end] {
                if c > range.start && c < range.end && text.is_char_boundary(c) {
                    cuts.push(c);
                }
            }
        }
        cuts.sort_unstable();
        cuts.dedup();
        for w in cuts.windows(2) {
            let (a, b) = (w[0], w[1]);
            let hit = matches.iter().any(|m| m.start <= a && b <= m.end);
            let s = if hit { style.patch(t.matched()) } else { style };
            out.push(Span::styled(text[a..b].to_string(), s));
        }
    }
    out
}
