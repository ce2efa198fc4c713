//! A client key's passphrase, asked when a request's mutual-TLS key is encrypted and no
//! passphrase is known for it (`clientKeyPassphrase` unset). What is typed is masked, kept
//! in memory for the session by key file (never saved, drawn or logged), and the request
//! goes out again; a wrong one brings the dialog back saying so.

use crate::text::visible_line;
use crate::tui::component::{centered, Component, Draw, Flow, Hint, Input, PaneId};
use crate::tui::hits::Target;
use crate::tui::keymap::{Action, Context};
use crate::tui::state::State;
use crate::tui::theme::Role;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use ratatui::Frame;
use tui_textarea::TextArea;

pub const PASSPHRASE: PaneId = PaneId("passphrase");

pub struct PassphraseDialog {
    key: String,
    /// Why it is asked: the key is encrypted, or the last passphrase did not decrypt it.
    why: String,
    field: TextArea<'static>,
}

impl PassphraseDialog {
    pub fn new(key: String, why: String) -> PassphraseDialog {
        let mut field = TextArea::default();
        field.set_mask_char('•');
        PassphraseDialog { key, why, field }
    }
}

impl Component for PassphraseDialog {
    fn id(&self) -> PaneId {
        PASSPHRASE
    }

    fn context(&self) -> Context {
        Context::Prompt
    }

    fn mode(&self) -> &'static str {
        "INPUT"
    }

    fn input(&mut self, input: Input, st: &mut State) -> Flow {
        match input {
            Input::Action(Action::Cancel) => st.close(),
            Input::Action(Action::Enter) => {
                let phrase = self.field.lines().join("");
                self.field = TextArea::default();
                st.close();
                st.passphrase_given(self.key.clone(), phrase);
            }
            Input::Text(key) => {
                self.field.input(key);
            }
            Input::Paste(text) => {
                self.field.insert_str(text.replace(['\r', '\n'], ""));
            }
            _ => {}
        }
        Flow::Consumed
    }

    fn hints(&self, _st: &State) -> Vec<Hint> {
        vec![
            Hint::new(Action::Enter, "unlock the key and send"),
            Hint::new(Action::Cancel, "cancel"),
        ]
    }

    fn render(&self, f: &mut Frame, area: Rect, d: &mut Draw) {
        let st = d.st;
        let t = &st.theme;
        let mut lines = vec![
            Line::styled(visible_line(&self.why).into_owned(), t.fg(Role::Warning)),
            Line::raw(""),
        ];
        let field_row = lines.len();
        lines.push(Line::raw("Passphrase: "));
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!(
                "{}: unlock and send · {}: cancel · kept in memory for this session only",
                st.key(Action::Enter),
                st.key(Action::Cancel)
            ),
            t.fg(Role::Muted),
        ));
        let width = area.width.saturating_sub(4).min(84);
        let inner = width.saturating_sub(2);
        let above = Paragraph::new(lines[..field_row].to_vec())
            .wrap(Wrap { trim: false })
            .line_count(inner) as u16;
        let p = Paragraph::new(lines).wrap(Wrap { trim: false });
        let height = (p.line_count(inner) as u16 + 2).min(area.height);
        let rect = centered(area, width, height);
        d.hit(rect, Target::Area);
        f.render_widget(Clear, rect);
        let block = Block::bordered()
            .title(format!(
                "Client key passphrase: {}",
                visible_line(&self.key)
            ))
            .border_style(t.fg(Role::Focus));
        let body = block.inner(rect);
        f.render_widget(p.block(block), rect);
        let y = body.y + above;
        if y < body.bottom() && body.width > 14 {
            let field = Rect::new(body.x + 12, y, body.width.saturating_sub(12), 1);
            f.render_widget(&self.field, field);
        }
    }
}
