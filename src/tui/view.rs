//! Rendering: reads the `App`, never mutates it, never does I/O.

use super::app::{App, Pane, RequestState};
use super::keymap::KEYMAP;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, List, ListItem, ListState, Paragraph, Wrap};
use ratatui::Frame;

fn method_color(m: &str) -> Color {
    match m {
        "GET" => Color::Green,
        "POST" => Color::Yellow,
        "PUT" | "PATCH" => Color::Blue,
        "DELETE" => Color::Red,
        _ => Color::Magenta,
    }
}

fn status_color(s: u16) -> Color {
    match s {
        200..=299 => Color::Green,
        300..=399 => Color::Cyan,
        400..=499 => Color::Yellow,
        _ => Color::Red,
    }
}

fn block(title: &str, focused: bool) -> Block<'_> {
    let b = Block::bordered().title(title);
    if focused {
        b.border_style(Style::default().fg(Color::Cyan))
    } else {
        b
    }
}

pub fn render(app: &App, f: &mut Frame) {
    let area = f.area();
    let [main, footer] = Layout::vertical([Constraint::Min(3), Constraint::Length(1)]).areas(area);
    let narrow = area.width < 100;
    let [left, right] = if narrow {
        Layout::horizontal([Constraint::Length(28), Constraint::Min(20)]).areas(main)
    } else {
        Layout::horizontal([Constraint::Length(34), Constraint::Min(40)]).areas(main)
    };
    render_tree(app, f, left);
    if app.show_inspector {
        let [resp, insp] =
            Layout::vertical([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(right);
        render_response(app, f, resp);
        render_inspector(app, f, insp, narrow);
    } else {
        render_response(app, f, right);
    }
    let hints: Vec<Span> = KEYMAP
        .iter()
        .filter(|k| k.footer)
        .flat_map(|k| {
            [
                Span::styled(
                    format!(" {} ", k.keys),
                    Style::default().add_modifier(Modifier::REVERSED),
                ),
                Span::raw(format!(" {}  ", k.desc)),
            ]
        })
        .collect();
    f.render_widget(Paragraph::new(Line::from(hints)), footer);
    if app.show_help {
        render_help(f, area);
    }
}

fn render_tree(app: &App, f: &mut Frame, area: Rect) {
    let items: Vec<ListItem> = app
        .rows
        .iter()
        .map(|r| {
            let indent = "  ".repeat(r.depth);
            let mut spans = vec![Span::raw(indent)];
            if let Some(m) = &r.method {
                spans.push(Span::styled(
                    format!("{m:<6} "),
                    Style::default().fg(method_color(m)),
                ));
                spans.push(Span::raw(r.label.clone()));
            } else {
                spans.push(Span::styled(
                    r.label.clone(),
                    Style::default().add_modifier(Modifier::BOLD),
                ));
            }
            ListItem::new(Line::from(spans))
        })
        .collect();
    let list = List::new(items)
        .block(block("Collections", app.focus == Pane::Requests))
        .highlight_style(Style::default().add_modifier(Modifier::REVERSED));
    let mut state = ListState::default().with_selected(Some(app.selected));
    f.render_stateful_widget(list, area, &mut state);
}

fn render_response(app: &App, f: &mut Frame, area: Rect) {
    let mut lines: Vec<Line> = Vec::new();
    if let Some(path) = app.selected_path() {
        if let Some(l) = app.collection.find(path) {
            lines.push(Line::from(vec![
                Span::styled(
                    format!("{} ", l.request.method),
                    Style::default()
                        .fg(method_color(&l.request.method))
                        .add_modifier(Modifier::BOLD),
                ),
                Span::raw(l.request.url.clone()),
            ]));
            if let Some(d) = &l.request.description {
                lines.push(Line::styled(
                    d.clone(),
                    Style::default().fg(Color::DarkGray),
                ));
            }
            lines.push(Line::raw(""));
        }
    }
    match &app.state {
        RequestState::Idle => lines.push(Line::raw("Ctrl-R sends the selected request.")),
        RequestState::Sending { started, .. } => {
            const SPIN: [&str; 4] = ["⠋", "⠙", "⠸", "⠴"];
            let ms = started.elapsed().as_millis();
            lines.push(Line::raw(format!(
                "{} sending… {ms} ms (Esc cancels)",
                SPIN[(ms / 120) as usize % 4]
            )));
        }
        RequestState::Checked(steps) => {
            lines.push(Line::styled(
                "Doctor",
                Style::default().add_modifier(Modifier::BOLD),
            ));
            for (i, step) in steps.iter().enumerate() {
                let (mark, color) = match step.status {
                    crate::diagnose::doctor::Status::Ok => ("ok  ", Color::Green),
                    crate::diagnose::doctor::Status::Skipped => ("skip", Color::DarkGray),
                    crate::diagnose::doctor::Status::Failed => ("FAIL", Color::Red),
                };
                let mut detail = step.detail.lines();
                lines.push(Line::from(vec![
                    Span::styled(format!("{}. {mark} ", i + 1), Style::default().fg(color)),
                    Span::styled(
                        format!("{}: ", step.name),
                        Style::default().add_modifier(Modifier::BOLD),
                    ),
                    Span::raw(detail.next().unwrap_or_default().to_string()),
                ]));
                lines.extend(detail.map(|d| Line::raw(format!("        {d}"))));
            }
        }
        RequestState::Failed(e) => {
            lines.push(Line::styled(e.clone(), Style::default().fg(Color::Red)))
        }
        RequestState::Done {
            exchange,
            diagnosis,
            body_text,
        } => {
            let r = &exchange.response;
            lines.push(Line::from(vec![
                Span::styled(
                    format!("{} {}", r.status, r.reason),
                    Style::default()
                        .fg(status_color(r.status))
                        .add_modifier(Modifier::BOLD),
                ),
                Span::raw(format!(
                    "  {} ms  {} bytes",
                    exchange.timing.total.as_millis(),
                    r.body.len()
                )),
            ]));
            // Checked on every exchange, not only on failure.
            let window = match exchange.trace.as_ref() {
                Some(t) if t.service == "execute-api" => 300,
                _ => 900,
            };
            if let Some(w) = crate::diagnose::clock_warning(r, exchange.timing.started, window) {
                lines.push(Line::styled(
                    format!("⚠ {w}"),
                    Style::default().fg(Color::Yellow),
                ));
            }
            if let Some(d) = diagnosis {
                lines.push(Line::styled(
                    format!("diagnosis: {}", d.kind.as_str()),
                    Style::default()
                        .fg(Color::Yellow)
                        .add_modifier(Modifier::BOLD),
                ));
                lines.push(Line::raw(d.summary.clone()));
                for s in d.next_steps.iter().take(2) {
                    for (i, part) in s.lines().enumerate() {
                        lines.push(Line::raw(format!(
                            "{} {part}",
                            if i == 0 { "→" } else { " " }
                        )));
                    }
                }
            }
            lines.push(Line::raw(""));
            lines.extend(body_text.lines().map(Line::raw));
        }
    }
    let p = Paragraph::new(lines)
        .block(block("Request / Response", app.focus == Pane::Response))
        .wrap(Wrap { trim: false })
        .scroll((app.scroll, 0));
    f.render_widget(p, area);
}

fn render_inspector(app: &App, f: &mut Frame, area: Rect, narrow: bool) {
    let Some(t) = app.trace() else {
        f.render_widget(Paragraph::new("No signature: the request is unsigned, or its credentials resolve when it is sent.").block(block("Signing inspector", false)), area);
        return;
    };
    let server = match &app.state {
        RequestState::Done {
            diagnosis: Some(d), ..
        } => d.diff.as_ref(),
        _ => None,
    };
    let canonical: Vec<Line> = match server {
        Some(diff) => diff
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let (mark, color) = match l.side {
                    crate::diagnose::diff::Side::Both => (' ', Color::Reset),
                    crate::diagnose::diff::Side::Ours => ('-', Color::Red),
                    crate::diagnose::diff::Side::Server => ('+', Color::Green),
                };
                let mut style = Style::default().fg(color);
                if Some(i) == diff.first_difference {
                    style = style.add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
                }
                Line::styled(format!("{mark} {}", l.text), style)
            })
            .collect(),
        None => t
            .labelled_canonical_lines()
            .into_iter()
            .enumerate()
            .map(|(i, (label, text))| {
                Line::from(vec![
                    Span::styled(
                        format!("{:>2} ", i + 1),
                        Style::default().fg(Color::DarkGray),
                    ),
                    Span::styled(format!("{label:<16.16} "), Style::default().fg(Color::Cyan)),
                    Span::raw(text),
                ])
            })
            .collect(),
    };
    let hash = t
        .string_to_sign
        .lines()
        .nth(3)
        .unwrap_or_default()
        .to_string();
    let sts: Vec<Line> = t
        .string_to_sign
        .lines()
        .zip(["algorithm", "date", "scope", "sha256(canonical request)"])
        .map(|(l, label)| {
            Line::from(vec![
                Span::styled(format!("{label}: "), Style::default().fg(Color::Cyan)),
                Span::raw(l.to_string()),
            ])
        })
        .chain(std::iter::once(Line::styled(
            format!(
                "↑ hash of the canonical request ({}…)",
                &hash[..hash.len().min(12)]
            ),
            Style::default().fg(Color::DarkGray),
        )))
        .collect();
    let mut sent: Vec<Line> = vec![Line::raw(format!("X-Amz-Date: {}", t.signing_time))];
    if let Some(a) = &t.authorization {
        for part in a.trim_start_matches("AWS4-HMAC-SHA256 ").split(", ") {
            // The access key id is shown masked, as everywhere.
            let part = match part
                .strip_prefix("Credential=")
                .and_then(|c| c.split_once('/'))
            {
                Some((key, scope)) => format!(
                    "Credential={}/{scope}",
                    crate::aws::credentials::mask_access_key(key)
                ),
                None => part.to_string(),
            };
            sent.push(Line::raw(part));
        }
    }
    if t.session_token.is_some() {
        sent.push(Line::raw("X-Amz-Security-Token: ••••••"));
    }
    sent.push(Line::raw(format!("key: {}", t.access_key_id)));
    let title = if server.is_some() {
        "Canonical request: ours (-) vs server (+)"
    } else {
        "Canonical request"
    };
    let columns = if narrow {
        Layout::vertical([
            Constraint::Percentage(50),
            Constraint::Percentage(25),
            Constraint::Percentage(25),
        ])
        .split(area)
    } else {
        Layout::horizontal([
            Constraint::Percentage(46),
            Constraint::Percentage(27),
            Constraint::Percentage(27),
        ])
        .split(area)
    };
    f.render_widget(
        Paragraph::new(canonical)
            .block(block(title, false))
            .wrap(Wrap { trim: false }),
        columns[0],
    );
    f.render_widget(
        Paragraph::new(sts)
            .block(block("String to sign", false))
            .wrap(Wrap { trim: false }),
        columns[1],
    );
    f.render_widget(
        Paragraph::new(sent)
            .block(block("Signed headers sent", false))
            .wrap(Wrap { trim: false }),
        columns[2],
    );
}

fn render_help(f: &mut Frame, area: Rect) {
    let w = 50.min(area.width);
    let h = (KEYMAP.len() as u16 + 2).min(area.height);
    let rect = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    );
    let lines: Vec<Line> = KEYMAP
        .iter()
        .map(|k| Line::raw(format!(" {:<14} {}", k.keys, k.desc)))
        .collect();
    f.render_widget(Clear, rect);
    f.render_widget(
        Paragraph::new(lines).block(Block::bordered().title("Keys (any key closes)")),
        rect,
    );
}
