//! The footer: the mode, then either the notice (until the next key) or the key hints of
//! whatever has the keyboard, each key as the keymap has it.

use crate::text::visible_line;
use crate::tui::component::{Component, Draw, Hint, PaneId};
use crate::tui::keymap::Context;
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
        for hint in &self.hints {
            let key = visible_line(st.key(hint.action)).into_owned();
            spans.push(Span::styled(format!(" {key} "), key_style));
            spans.push(Span::raw(format!(" {}  ", hint.label)));
        }
        f.render_widget(Paragraph::new(Line::from(spans)), area);
    }
}
