//! The status line: environment, profile, who the credentials belong to (and when they
//! expire), and the region and service the selected request signs for.

use crate::text::visible_line;
use crate::tui::component::{Component, Draw, PaneId};
use crate::tui::keymap::Context;
use crate::tui::theme::Role;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

pub const STATUS: PaneId = PaneId("status");

/// Cuts a line to at most `max` characters.
fn clip(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

pub struct Status;

impl Component for Status {
    fn id(&self) -> PaneId {
        STATUS
    }

    fn context(&self) -> Context {
        Context::Global
    }

    fn render(&self, f: &mut Frame, area: Rect, d: &mut Draw) {
        let st = d.st;
        let t = &st.theme;
        let mut spans = vec![Span::styled(
            " sigscope ",
            t.fg(Role::Accent).add_modifier(Modifier::BOLD),
        )];
        if let Some(doc) = st.selected_node().and_then(|n| st.ws.docs.get(n.doc())) {
            let env = doc.env.as_deref().unwrap_or("none");
            spans.push(Span::raw(format!("env: {} ", visible_line(env))));
        }
        let profile = st.profile.as_deref().unwrap_or("default");
        spans.push(Span::raw(format!("· profile: {} ", visible_line(profile))));
        match &st.identity {
            None if st.fixed_credentials.is_none() => {
                spans.push(Span::styled("· resolving identity… ", t.fg(Role::Muted)))
            }
            None => {}
            Some(Err(e)) => spans.push(Span::styled(
                format!(
                    "· no credentials: {} ",
                    clip(&visible_line(e.lines().next().unwrap_or_default()), 70)
                ),
                t.fg(Role::Error),
            )),
            Some(Ok(id)) => {
                let who = (id.arn.clone()).unwrap_or_else(|| format!("{} ({})", id.key, id.source));
                spans.push(Span::styled(
                    format!("· {} ", visible_line(&who)),
                    t.fg(Role::Ok),
                ));
                if let Some(r) = &id.region {
                    spans.push(Span::raw(format!("· profile region {} ", visible_line(r))));
                }
                if let Some(n) = &id.note {
                    spans.push(Span::styled(
                        format!("· {} ", clip(&visible_line(n), 60)),
                        t.fg(Role::Warning),
                    ));
                }
                if let Some(exp) = id.expiry {
                    let left = (exp.duration_since(st.now()))
                        .map(|d| format!("expires in {}m", d.as_secs() / 60))
                        .unwrap_or_else(|_| "EXPIRED".into());
                    spans.push(Span::styled(format!("· {left} "), t.fg(Role::Warning)));
                }
            }
        }
        if let Some((region, service)) = &st.scope {
            spans.push(Span::styled(
                format!("· {}/{} ", visible_line(region), visible_line(service)),
                t.fg(Role::Muted),
            ));
        }
        f.render_widget(Paragraph::new(Line::from(spans)), area);
    }
}
