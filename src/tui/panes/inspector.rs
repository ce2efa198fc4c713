//! The signing inspector: the canonical request (labelled lines), the string-to-sign tied to
//! its hash, and the signed headers, all read from the `SigningTrace`; after a signature
//! mismatch, ours against the server's as a line diff with the first difference marked.
//! Headers sent but left out of the signature (those a proxy may change) are listed as
//! "sent, not signed". It scrolls on its own; the session token is masked unless revealed.
//! Columns stack when
//! narrow.

use crate::diagnose::diff::Side;
use crate::sign::SigningTrace;
use crate::text::visible_line;
use crate::tui::component::{Component, Draw, Event, Flow, Input, PaneId, Slot};
use crate::tui::keymap::{Action, Context};
use crate::tui::messages::RequestState;
use crate::tui::safe::{mask_token, MASK};
use crate::tui::state::State;
use crate::tui::theme::Role;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

pub const ID: PaneId = PaneId("inspector");

#[derive(Default)]
pub struct Inspector {
    /// The first line shown in each column.
    scroll: usize,
    /// The session token shown in full.
    reveal: bool,
}

impl Inspector {
    pub fn scroll(&self) -> usize {
        self.scroll
    }
}

impl Component for Inspector {
    fn id(&self) -> PaneId {
        ID
    }

    fn context(&self) -> Context {
        Context::Inspector
    }

    fn slot(&self) -> Option<Slot> {
        Some(Slot::Drawer)
    }

    fn event(&mut self, event: &Event, _st: &mut State) {
        if matches!(event, Event::SelectionChanged | Event::ExchangeShown { .. }) {
            self.scroll = 0;
        }
    }

    fn input(&mut self, input: Input, st: &mut State) -> Flow {
        // How far it can scroll is what the last frame drew.
        let extent = st.hits.extent(ID).unwrap_or_default();
        let (max, page) = (extent.max_scroll(), extent.viewport.max(1));
        let s = self.scroll;
        self.scroll = match input {
            Input::Action(Action::Up) => s.saturating_sub(1),
            Input::Action(Action::Down) => (s + 1).min(max),
            Input::Action(Action::PageUp) => s.saturating_sub(page),
            Input::Action(Action::PageDown) => (s + page).min(max),
            Input::Action(Action::Top) => 0,
            Input::Action(Action::Bottom) => max,
            Input::Wheel { down: true } => (s + 3).min(max),
            Input::Wheel { down: false } => s.saturating_sub(3),
            Input::Action(Action::Reveal) => {
                self.reveal = !self.reveal;
                s
            }
            Input::Click(_) => s,
            _ => return Flow::Ignored,
        };
        Flow::Consumed
    }

    fn render(&self, f: &mut Frame, area: Rect, d: &mut Draw) {
        let st = d.st;
        let Some(trace) = st.trace() else {
            let why = match (&st.prepare_error, st.scope.is_some()) {
                _ if st.selected_request().is_none() => {
                    "Select a request: what it would sign shows here.".into()
                }
                (Some(e), _) => format!("Not signed: {}", visible_line(e)),
                (None, false) => "The request is not signed (auth none).".into(),
                (None, true) => "Credentials resolve in the background (see the status line); the preview appears when they are in hand, and after a send.".into(),
            };
            let p = Paragraph::new(why).wrap(Wrap { trim: false });
            return f.render_widget(p.block(d.block("Signing inspector")), area);
        };
        let token = trace.session_token.as_deref();
        let show = |s: &str| visible_line(&mask_token(s, token, self.reveal)).into_owned();
        let (title, canonical) = canonical(st, trace, &show);
        let sts = string_to_sign(st, trace);
        let mut sent = signed_headers(trace, &show, self.reveal);
        sent.extend(unsigned_headers(st, trace, &show));
        sent.extend(notes(st, trace));
        let columns = columns(area);
        let blocks = [
            (title, canonical),
            ("String to sign".to_string(), sts),
            (
                if st.trace_is_sent() {
                    "Signed headers sent"
                } else {
                    "Signed headers to send"
                }
                .to_string(),
                sent,
            ),
        ];
        let mut longest = 0;
        for ((title, lines), rect) in blocks.into_iter().zip(columns) {
            let p = Paragraph::new(lines).wrap(Wrap { trim: false });
            let height = rect.height.saturating_sub(2) as usize;
            let count = p.line_count(rect.width.saturating_sub(2));
            if count > longest {
                longest = count;
                d.extent(count, height);
            }
            let scroll = self.scroll.min(count.saturating_sub(height)) as u16;
            f.render_widget(p.block(d.block(title)).scroll((scroll, 0)), rect);
        }
    }
}

/// The canonical request (or, beside what was sent after a mismatch, the diff against the
/// server's) and its column title.
fn canonical(
    st: &State,
    trace: &SigningTrace,
    show: &dyn Fn(&str) -> String,
) -> (String, Vec<Line<'static>>) {
    let t = &st.theme;
    // The server's side only beside what was sent, not beside a later edit.
    let server = match &st.exchange {
        RequestState::Done {
            diagnosis: Some(d), ..
        } if st.trace_is_sent() => d.diff.as_ref(),
        _ => None,
    };
    if let Some(diff) = server {
        let lines = (diff.lines.iter().enumerate())
            .map(|(i, l)| {
                let (mark, color) = match l.side {
                    Side::Both => (' ', t.fg(Role::Text)),
                    Side::Ours => ('-', t.fg(Role::DiffOurs)),
                    Side::Server => ('+', t.fg(Role::DiffServer)),
                };
                let mut style = color;
                if Some(i) == diff.first_difference {
                    style = style.add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
                }
                Line::styled(format!("{mark} {}", show(&l.text)), style)
            })
            .collect();
        return ("Canonical request: ours (-) vs server (+)".into(), lines);
    }
    let lines = (trace.labelled_canonical_lines().into_iter().enumerate())
        .map(|(i, (label, text))| {
            Line::from(vec![
                Span::styled(format!("{:>2} ", i + 1), t.fg(Role::Muted)),
                Span::styled(format!("{:<22.22} ", show(&label)), t.fg(Role::Accent)),
                Span::raw(show(&text)),
            ])
        })
        .collect();
    let title = if st.trace_is_sent() {
        "Canonical request (as sent)"
    } else if st.edited_since_shown {
        "Canonical request (preview: edited since the send)"
    } else {
        "Canonical request (preview)"
    };
    (title.into(), lines)
}

fn string_to_sign(st: &State, trace: &SigningTrace) -> Vec<Line<'static>> {
    let t = &st.theme;
    let hash = trace.string_to_sign.lines().nth(3).unwrap_or_default();
    let mut lines: Vec<Line> = (trace.string_to_sign.lines())
        .zip(["algorithm", "date", "scope", "sha256(canonical request)"])
        .map(|(l, label)| {
            Line::from(vec![
                Span::styled(format!("{label}: "), t.fg(Role::Accent)),
                Span::raw(visible_line(l).into_owned()),
            ])
        })
        .collect();
    lines.push(Line::styled(
        format!(
            "↑ hash of the canonical request ({}…)",
            &hash[..hash.len().min(12)]
        ),
        t.fg(Role::Muted),
    ));
    lines
}

/// What signing adds to the request, from the trace's fields (the key id masked).
fn signed_headers(
    trace: &SigningTrace,
    show: &dyn Fn(&str) -> String,
    reveal: bool,
) -> Vec<Line<'static>> {
    let mut lines = vec![Line::raw(format!("X-Amz-Date: {}", trace.signing_time))];
    if trace.authorization.is_some() {
        // The trace keeps the key id masked, as it is shown everywhere.
        let (key, scope) = (&trace.access_key_id, &trace.credential_scope);
        lines.push(Line::raw(format!("Credential={key}/{}", show(scope))));
        lines.push(Line::raw(format!(
            "SignedHeaders={}",
            show(&trace.signed_headers.join(";"))
        )));
        lines.push(Line::raw(format!("Signature={}", trace.signature)));
    }
    if let Some(token) = &trace.session_token {
        let value = if reveal {
            visible_line(token).into_owned()
        } else {
            MASK.into()
        };
        lines.push(Line::raw(format!("X-Amz-Security-Token: {value}")));
    }
    lines.push(Line::raw(format!("key: {}", trace.access_key_id)));
    lines
}

/// The headers sent outside the signature, with their values as sent (a proxy
/// credential masked), and how to sign one.
fn unsigned_headers(
    st: &State,
    trace: &SigningTrace,
    show: &dyn Fn(&str) -> String,
) -> Vec<Line<'static>> {
    let t = &st.theme;
    if trace.unsigned_headers.is_empty() {
        return Vec::new();
    }
    let mut lines = vec![
        Line::raw(""),
        Line::styled("Sent, not signed:", t.fg(Role::Warning)),
    ];
    for name in &trace.unsigned_headers {
        let value = match name.as_str() {
            "proxy-authorization" => MASK.to_string(),
            _ => sent_value(trace, name).map(show).unwrap_or_default(),
        };
        lines.push(Line::raw(format!("{}: {value}", show(name))));
    }
    lines.push(Line::styled(
        "(a proxy may change them; Auth tab → Sign headers signs one)",
        t.fg(Role::Muted),
    ));
    lines
}

/// What the signing changed or chose and why (a private API's Host, a path re-encoded).
fn notes(st: &State, trace: &SigningTrace) -> Vec<Line<'static>> {
    if trace.notes.is_empty() {
        return Vec::new();
    }
    let mut lines = vec![
        Line::raw(""),
        Line::styled("Notes:", st.theme.fg(Role::Accent)),
    ];
    lines.extend((trace.notes.iter()).map(|n| Line::raw(format!("• {}", visible_line(n)))));
    lines
}

/// A header's value in the request as signed and sent (`name:value` lines after the first).
fn sent_value<'a>(trace: &'a SigningTrace, name: &str) -> Option<&'a str> {
    (trace.signed_request.lines().skip(1))
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
}

/// Three columns when wide; the canonical request beside the other two when medium; stacked
/// when narrow.
fn columns(area: Rect) -> Vec<Rect> {
    use crate::tui::layout::{self as split, Part::Percent};
    if area.width >= 110 {
        return split::columns(area, [Percent(46), Percent(27), Percent(27)]).to_vec();
    }
    if area.width >= 70 {
        let [left, right] = split::columns(area, [Percent(55), Percent(45)]);
        let [top, bottom] = split::rows(right, [Percent(50), Percent(50)]);
        return vec![left, top, bottom];
    }
    split::rows(area, [Percent(50), Percent(25), Percent(25)]).to_vec()
}
