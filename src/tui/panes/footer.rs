//! The footer: the mode, then either the notice (until the next key) or the key hints of
//! whatever has the keyboard, each key as the keymap has it.

use crate::text::visible_line;
use crate::tui::component::{Component, Draw, Hint, PaneId};
use crate::tui::keymap::{short, Action, Context};
use crate::tui::messages::Level;
use crate::tui::theme::Role;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

pub const FOOTER: PaneId = PaneId("footer");

pub struct Footer {
    mode: &'static str,
    hints: Vec<Hint>,
}

impl Footer {
    /// The footer for the component that has the keyboard.
    pub fn new(mode: &'static str, hints: Vec<Hint>) -> Footer {
        Footer { mode, hints }
    }
}

impl Component for Footer {
    fn id(&self) -> PaneId {
        FOOTER
    }

    fn context(&self) -> Context {
        Context::Global
    }

    fn render(&self, f: &mut Frame, area: Rect, d: &mut Draw) {
        let st = d.st;
        let t = &st.theme;
        let mut spans = vec![Span::styled(
            format!(" {} ", self.mode),
            t.fg(Role::Accent).add_modifier(Modifier::BOLD),
        )];
        if let Some((level, text)) = &st.notice {
            let role = match level {
                Level::Info => Role::Accent,
                Level::Warning => Role::Warning,
                Level::Error => Role::Error,
            };
            spans.push(Span::styled(
                format!(" {}", visible_line(&text.replace('\n', " "))),
                t.fg(role).add_modifier(Modifier::BOLD),
            ));
            let p = Paragraph::new(Line::from(spans)).wrap(Wrap { trim: true });
            return f.render_widget(p, area);
        }
        let key_style = Style::default().add_modifier(Modifier::REVERSED);
        let shown: Vec<(String, &str)> = (self.hints.iter())
            .map(|h| (visible_line(st.key(h.action)).into_owned(), h.label))
            .collect();
        let width = |(k, l): &(String, &str)| k.chars().count() + l.chars().count() + 5;
        // What fits, in order; the help key always shows (it lists the rest).
        let mut room = (area.width as usize).saturating_sub(8);
        let help = (self.hints.iter())
            .position(|h| h.action == Action::Help)
            .map(|i| shown[i].clone())
            .or_else(|| {
                let in_pane = self.mode == "NORMAL";
                in_pane.then(|| {
                    (
                        visible_line(st.key(Action::Help)).into_owned(),
                        short(Action::Help),
                    )
                })
            });
        if let Some(h) = &help {
            room = room.saturating_sub(width(h));
        }
        let mut fitted: Vec<&(String, &str)> = Vec::new();
        for s in shown.iter().filter(|s| Some(*s) != help.as_ref()) {
            if width(s) > room {
                break;
            }
            room -= width(s);
            fitted.push(s);
        }
        fitted.extend(help.as_ref());
        for (key, label) in fitted {
            spans.push(Span::styled(format!(" {key} "), key_style));
            spans.push(Span::raw(format!(" {label}  ")));
        }
        f.render_widget(Paragraph::new(Line::from(spans)), area);
    }
}
