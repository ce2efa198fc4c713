//! Drawing the response pane: status, timing, clock check, the diagnosis (of a refusal or of
//! a failure to connect), headers, then the body. Only the lines in view are read from the
//! body, escaped and highlighted.

use super::shown::{JqView, ResponseView, Shown, ViewMode};
use crate::body::highlight::{self, Token};
use crate::body::{self, BodyKind};
use crate::diagnose::doctor::{Status as StepStatus, Step};
use crate::diagnose::transport::TransportDiagnosis;
use crate::http::Exchange;
use crate::text::{visible_line, visible_text};
use crate::tui::component::Draw;
use crate::tui::keymap::Action;
use crate::tui::messages::RequestState;
use crate::tui::state::State;
use crate::tui::theme::{Role, Theme};
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

/// Multi-line text from the network, one `Line` per line, control characters escaped.
fn text_lines(s: &str, style: Style) -> Vec<Line<'static>> {
    (visible_text(s).lines())
        .map(|l| Line::styled(l.replace('\t', "    "), style))
        .collect()
}

pub fn render(view: &ResponseView, f: &mut Frame, area: Rect, d: &mut Draw) {
    let st = d.st;
    let t = &st.theme;
    let mut head: Vec<Line> = Vec::new();
    let mut title = "Response".to_string();
    match &st.exchange {
        RequestState::Idle if st.selected_request().is_none() => head.push(Line::styled(
            "Select a request: its response shows here.",
            t.fg(Role::Muted),
        )),
        RequestState::Idle => head.push(Line::styled(
            format!("{} sends the selected request.", st.key(Action::Send)),
            t.fg(Role::Muted),
        )),
        RequestState::Sending { started, .. } => {
            const SPIN: [&str; 4] = ["⠋", "⠙", "⠸", "⠴"];
            let ms = started.elapsed().as_millis();
            head.push(Line::raw(format!(
                "{} sending… {ms} ms ({} cancels)",
                SPIN[(ms / 120) as usize % 4],
                st.key(Action::Cancel)
            )));
        }
        RequestState::Checked(steps) => {
            title = "Doctor".into();
            doctor(&mut head, st, steps);
        }
        RequestState::Compared { old, new, diff } => {
            title = "Compare two exchanges".into();
            compared(&mut head, st, old, new, diff);
            let outer = d.block(title);
            let inner = outer.inner(area);
            f.render_widget(outer, area);
            d.extent(head.len(), inner.height as usize);
            let scroll = view.scroll.min(head.len().saturating_sub(1)) as u16;
            let p = Paragraph::new(head).scroll((scroll, 0));
            return f.render_widget(p, inner);
        }
        RequestState::Cancelled => head.push(Line::styled("cancelled", t.fg(Role::Error))),
        RequestState::Failed { error, diagnosis } => {
            head.extend(text_lines(&error.to_string(), t.fg(Role::Error)));
            if let Some(diagnosis) = diagnosis {
                unreachable_server(&mut head, t, diagnosis);
            }
        }
        RequestState::Done {
            exchange,
            from_history,
            ..
        } => {
            if let Some(h) = from_history {
                title = format!("Response — from history {}", visible_line(h));
            }
            exchange_head(&mut head, st, view, exchange);
        }
    }
    let outer = d.block(title);
    let inner = outer.inner(area);
    f.render_widget(outer, area);
    let RequestState::Done {
        body: shown,
        diagnosis,
        ..
    } = &st.exchange
    else {
        return f.render_widget(Paragraph::new(head).wrap(Wrap { trim: false }), inner);
    };
    // The head takes what it needs (at most half); the body gets the rest.
    // A diagnosis may take all but three lines: its next steps are the point.
    let share = if diagnosis.is_some() {
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
        t,
        view,
        shown,
        body_rect.width as usize,
        body_rect.height as usize,
    );
    let mut p = Paragraph::new(lines);
    if view.wrap {
        p = p.wrap(Wrap { trim: false });
    }
    f.render_widget(p, body_rect);
}

/// Two exchanges as a diff: status, headers, then the body's changed lines in context.
fn compared(
    head: &mut Vec<Line<'static>>,
    st: &State,
    old: &str,
    new: &str,
    diff: &crate::http::compare::ExchangeDiff,
) {
    use crate::http::compare::Side;
    let t = &st.theme;
    let line = |side: Side, text: &str| {
        let (mark, role) = match side {
            Side::Same => (' ', Role::Text),
            Side::Old => ('-', Role::DiffOurs),
            Side::New => ('+', Role::DiffServer),
            Side::Folded => (' ', Role::Muted),
        };
        Line::styled(format!("{mark} {}", visible_line(text)), t.fg(role))
    };
    head.push(line(Side::Old, &format!("older: {old}")));
    head.push(line(Side::New, &format!("newer: {new}")));
    head.push(Line::raw(""));
    let (a, b) = diff.status;
    head.push(match a == b {
        true => Line::raw(format!("status: {a} (the same)")),
        false => Line::styled(format!("status: {a} → {b}"), t.fg(Role::Warning)),
    });
    head.push(Line::styled("headers:", t.fg(Role::Accent)));
    if diff.headers.is_empty() {
        head.push(Line::styled("  the same", t.fg(Role::Muted)));
    }
    head.extend(diff.headers.iter().map(|l| line(l.side, &l.text)));
    head.push(Line::styled("body:", t.fg(Role::Accent)));
    if diff.same_body {
        head.push(Line::styled("  the same, byte for byte", t.fg(Role::Muted)));
    }
    head.extend(diff.body.iter().map(|l| line(l.side, &l.text)));
    head.push(Line::styled(
        format!("{} closes the comparison", st.key(Action::Cancel)),
        t.fg(Role::Muted),
    ));
}

fn doctor(head: &mut Vec<Line<'static>>, st: &State, steps: &[Step]) {
    let t = &st.theme;
    for (i, step) in steps.iter().enumerate() {
        let (mark, role) = match step.status {
            StepStatus::Ok => ("ok  ", Role::Ok),
            StepStatus::Skipped => ("skip", Role::Muted),
            StepStatus::Failed => ("FAIL", Role::Error),
        };
        let detail = visible_text(&step.detail).into_owned();
        let mut detail = detail.lines();
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
    head.push(Line::styled(
        format!("{} closes the steps", st.key(Action::Cancel)),
        t.fg(Role::Muted),
    ));
}

/// Why no response came: the kind, what to do, and what it rests on.
fn unreachable_server(head: &mut Vec<Line<'static>>, t: &Theme, d: &TransportDiagnosis) {
    let kind = d.kind.as_str();
    head.push(Line::styled(
        format!("diagnosis: {kind}"),
        t.fg(Role::Warning).add_modifier(Modifier::BOLD),
    ));
    head.push(Line::raw(visible_line(&d.summary).into_owned()));
    for step in &d.next_steps {
        head.push(Line::raw(format!("→ {}", visible_line(step))));
    }
    for (what, value) in &d.evidence {
        head.push(Line::styled(
            format!("  {what}: {}", visible_line(value)),
            t.fg(Role::Muted),
        ));
    }
}

fn exchange_head(head: &mut Vec<Line<'static>>, st: &State, view: &ResponseView, x: &Exchange) {
    let t = &st.theme;
    let RequestState::Done {
        diagnosis, body, ..
    } = &st.exchange
    else {
        return;
    };
    let r = &x.response;
    head.push(Line::from(vec![
        Span::styled(
            format!("{} {}", r.status, visible_line(&r.reason)),
            t.status(r.status),
        ),
        Span::raw(format!(
            "  {} ms  {}  {}",
            x.timing.total.as_millis(),
            body::human_size(body.size() as usize),
            body.kind.as_str()
        )),
        Span::styled(
            format!(
                "  [{}{}{}{}]",
                view.mode.as_str(),
                if view.wrap { ", wrap" } else { "" },
                (body.jq.as_ref())
                    .map(|j| format!(", jq {}", visible_line(&j.filter)))
                    .unwrap_or_default()
                    + if body.needs_format() && body.kind != BodyKind::Binary {
                        ", formatting the rest…"
                    } else if body.file.is_some() && body.file_lines.is_none() {
                        ", reading it from disk…"
                    } else if body.file.is_some() {
                        ", as received, read from disk"
                    } else {
                        ""
                    },
                super::search::position(view)
                    .map(|p| format!(", '{}' {p}", visible_line(&view.search)))
                    .unwrap_or_default()
            ),
            t.fg(Role::Muted),
        ),
    ]));
    // Checked on every exchange, not only on failure.
    let window = match x.trace.as_ref() {
        Some(tr) if tr.service == "execute-api" => 300,
        _ => 900,
    };
    if let Some(w) = crate::diagnose::clock_warning(r, x.timing.started, window) {
        head.push(Line::styled(format!("⚠ {w}"), t.fg(Role::Warning)));
    }
    if let Some(d) = diagnosis {
        head.push(Line::styled(
            format!("diagnosis: {}", d.kind.as_str()),
            t.fg(Role::Warning).add_modifier(Modifier::BOLD),
        ));
        // The account AWS masks is filled in from the resolved identity.
        let account = st.selected_identity().and_then(|id| id.account.as_deref());
        let fill = |s: &str| match account {
            Some(a) => crate::diagnose::fill_account(s, a),
            None => s.to_string(),
        };
        head.extend(text_lines(&fill(&d.summary), Style::default()));
        for s in d.next_steps.iter().map(|s| fill(s)) {
            for (i, part) in visible_text(&s).lines().enumerate() {
                let mark = if i == 0 { "→" } else { " " };
                head.push(Line::raw(format!("{mark} {part}")));
            }
        }
    }
    if view.show_headers {
        for (n, v) in &r.headers {
            head.push(Line::from(vec![
                Span::styled(format!("{}: ", visible_line(n)), t.fg(Role::Accent)),
                Span::raw(visible_line(v).into_owned()),
            ]));
        }
    } else {
        head.push(Line::styled(
            format!(
                "{} headers ({} shows them)",
                r.headers.len(),
                st.key(Action::Headers)
            ),
            t.fg(Role::Muted),
        ));
    }
}

/// The visible body lines, escaped, highlighted, with search matches marked.
fn body_lines(
    t: &Theme,
    v: &ResponseView,
    shown: &Shown,
    width: usize,
    height: usize,
) -> Vec<Line<'static>> {
    if let Some(JqView { result: Err(e), .. }) = &shown.jq {
        return text_lines(e, t.fg(Role::Error));
    }
    let gutter = |i: usize| Span::styled(format!("{:>6} ", i + 1), t.fg(Role::Muted));
    if v.mode == ViewMode::Hex && shown.jq.is_none() {
        // A file's bytes are read for the rows in view only.
        if let Some(f) = &shown.file_lines {
            let n = (f.file.len as usize).div_ceil(16).max(1);
            return (v.scroll..n.min(v.scroll + height))
                .map(|i| {
                    let chunk = f.bytes_at(i as u64 * 16, 16);
                    let line = body::hex_line(&chunk, 0);
                    Line::raw(format!("{:08x}{}", i * 16, &line[8..]))
                })
                .collect();
        }
        let n = body::hex_lines(&shown.raw);
        return (v.scroll..n.min(v.scroll + height))
            .map(|i| Line::from(vec![Span::raw(body::hex_line(&shown.raw, i))]))
            .collect();
    }
    let Some(lines) = shown.source(v.mode) else {
        return vec![Line::styled(
            format!("formatting {}…", body::human_size(shown.raw.len())),
            t.fg(Role::Muted),
        )];
    };
    let empty = match &shown.jq {
        Some(JqView { result: Ok(l), .. }) => l.is_empty(),
        _ => shown.size() == 0,
    };
    if empty {
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
    for i in v.scroll..lines.count().min(v.scroll + height) {
        let raw = lines.line_prefix(i, max_bytes);
        let raw = &raw[..];
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let text = String::from_utf8_lossy(raw);
        // Tabs as spaces, every other control character as a visible escape.
        let text = visible_line(&text.replace('\t', "    ")).into_owned();
        // Scrolled right: drop the first `skip` characters (only of what was read).
        let text = match text.char_indices().nth(skip) {
            _ if skip == 0 => text,
            Some((at, _)) => text[at..].to_string(),
            None => String::new(),
        };
        let mut spans = vec![gutter(i)];
        spans.extend(highlighted(t, kind, &text, &v.search));
        out.push(Line::from(spans));
    }
    out
}

pub fn token_style(t: &Theme, tok: Token) -> Style {
    let role = match tok {
        Token::Plain => return Style::default(),
        Token::Key => Role::JsonKey,
        Token::String => Role::JsonString,
        Token::Number => Role::JsonNumber,
        Token::Literal => Role::JsonLiteral,
        Token::Punctuation => Role::Punctuation,
        Token::Tag => Role::XmlTag,
        Token::Attribute => Role::XmlAttribute,
    };
    t.fg(role)
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
