//! The signing inspector: the canonical request (labelled lines), the string-to-sign tied
//! to its hash, and the signed headers as sent; after a signature mismatch, ours against the
//! server's as a line diff with the first difference marked. Columns stack when narrow.

use super::block;
use crate::tui::app::{App, Pane, RequestState};
use crate::tui::theme::Role;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let t_ = &app.theme;
    let Some(t) = app.trace() else {
        let why = match (&app.prepare_error, app.scope.is_some()) {
            (Some(e), _) => format!("Not signed: {e}"),
            (None, false) => "The request is not signed (auth none).".into(),
            (None, true) => "Credentials resolve in the background (see the status line); the preview appears when they are in hand, and after a send.".into(),
        };
        f.render_widget(
            Paragraph::new(why).wrap(Wrap { trim: false }).block(block(
                app,
                "Signing inspector",
                Pane::Inspector,
            )),
            area,
        );
        return;
    };
    // The server's side only beside what was sent, not beside a later edit.
    let server = match &app.state {
        RequestState::Done {
            diagnosis: Some(d), ..
        } if app.trace_is_sent() => d.diff.as_ref(),
        _ => None,
    };
    let canonical: Vec<Line> = match server {
        Some(diff) => diff
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let (mark, color) = match l.side {
                    crate::diagnose::diff::Side::Both => (' ', t_.fg(Role::Text)),
                    crate::diagnose::diff::Side::Ours => ('-', t_.fg(Role::DiffOurs)),
                    crate::diagnose::diff::Side::Server => ('+', t_.fg(Role::DiffServer)),
                };
                let mut style = color;
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
                    Span::styled(format!("{:>2} ", i + 1), t_.fg(Role::Muted)),
                    Span::styled(format!("{label:<22.22} "), t_.fg(Role::Accent)),
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
                Span::styled(format!("{label}: "), t_.fg(Role::Accent)),
                Span::raw(l.to_string()),
            ])
        })
        .chain(std::iter::once(Line::styled(
            format!(
                "↑ hash of the canonical request ({}…)",
                &hash[..hash.len().min(12)]
            ),
            t_.fg(Role::Muted),
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
    } else if app.trace_is_sent() {
        "Canonical request (as sent)"
    } else if app.edited_since_shown {
        "Canonical request (preview: edited since the send)"
    } else {
        "Canonical request (preview)"
    };
    // Three columns when wide; the canonical request beside the other two when medium;
    // stacked when narrow (or short and narrow).
    let columns: Vec<Rect> = if area.width >= 110 {
        Layout::horizontal([
            Constraint::Percentage(46),
            Constraint::Percentage(27),
            Constraint::Percentage(27),
        ])
        .split(area)
        .to_vec()
    } else if area.width >= 70 {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
                .areas(area);
        let [top, bottom] =
            Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(right);
        vec![left, top, bottom]
    } else {
        Layout::vertical([
            Constraint::Percentage(50),
            Constraint::Percentage(25),
            Constraint::Percentage(25),
        ])
        .split(area)
        .to_vec()
    };
    f.render_widget(
        Paragraph::new(canonical)
            .block(block(app, title, Pane::Inspector))
            .wrap(Wrap { trim: false }),
        columns[0],
    );
    f.render_widget(
        Paragraph::new(sts)
            .block(block(app, "String to sign", Pane::Inspector))
            .wrap(Wrap { trim: false }),
        columns[1],
    );
    f.render_widget(
        Paragraph::new(sent)
            .block(block(
                app,
                if app.trace_is_sent() {
                    "Signed headers sent"
                } else {
                    "Signed headers to send"
                },
                Pane::Inspector,
            ))
            .wrap(Wrap { trim: false }),
        columns[2],
    );
}
