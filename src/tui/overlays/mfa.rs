//! The MFA code prompt, offered when a role in a profile's chain needs a code and nothing is
//! cached for it: the code typed is handed to the resolver once (AssumeRole with
//! `SerialNumber` and `TokenCode`, the credentials cached where the AWS CLI keeps them) and
//! cleared from the field; it is never kept, drawn elsewhere or logged. A refused code keeps
//! the prompt open for the next one.

use crate::aws::chain::ResolveOptions;
use crate::aws::credentials::{resolve_with, CredentialSpec};
use crate::aws::files::utc_z;
use crate::aws::mfa::{FixedCode, MfaChallenge};
use crate::text::visible_line;
use crate::tui::component::{centered, Component, Draw, Flow, Hint, Input, PaneId};
use crate::tui::hits::Target;
use crate::tui::keymap::{Action, Context};
use crate::tui::messages::{Command, Message, Task};
use crate::tui::state::State;
use crate::tui::theme::Role;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use ratatui::Frame;
use std::sync::Arc;
use std::time::SystemTime;
use tui_textarea::TextArea;

pub const MFA: PaneId = PaneId("mfa");

enum Phase {
    Typing,
    /// The code is with STS.
    Checking,
    /// Why the last code did not work.
    Refused(String),
}

pub struct MfaDialog {
    id: u64,
    challenge: MfaChallenge,
    field: TextArea<'static>,
    phase: Phase,
}

/// What the resolver said to a code: until when the role's credentials last, or why not.
struct MfaReply {
    id: u64,
    result: Result<Option<SystemTime>, String>,
}

impl MfaDialog {
    pub fn new(id: u64, challenge: MfaChallenge) -> MfaDialog {
        MfaDialog {
            id,
            challenge,
            field: TextArea::default(),
            phase: Phase::Typing,
        }
    }

    /// Hands the code to the resolver and clears the field.
    fn check(&mut self, st: &mut State) {
        let code: String = self.field.lines().join("").trim().to_string();
        self.field = TextArea::default();
        if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
            self.phase = Phase::Refused("an MFA code is the 6 digits the device shows".into());
            return;
        }
        self.phase = Phase::Checking;
        let (id, profile) = (self.id, self.challenge.profile.clone());
        st.run(Command::Task(Task::new(async move {
            let options = ResolveOptions::with_mfa(Arc::new(FixedCode(code)));
            let spec = CredentialSpec::Chain {
                profile: Some(profile),
            };
            let result = (resolve_with(&spec, &options).await)
                .map(|c| c.expiry)
                .map_err(|e| e.to_string());
            Some(Message::Reply(Box::new(MfaReply { id, result })))
        })));
    }
}

/// A key that types or edits a code.
fn code_key(key: &crossterm::event::KeyEvent) -> bool {
    use crossterm::event::KeyCode;
    match key.code {
        KeyCode::Char(c) => c.is_ascii_digit(),
        KeyCode::Backspace | KeyCode::Delete | KeyCode::Left | KeyCode::Right => true,
        KeyCode::Home | KeyCode::End => true,
        _ => false,
    }
}

impl Component for MfaDialog {
    fn id(&self) -> PaneId {
        MFA
    }

    fn context(&self) -> Context {
        Context::Prompt
    }

    fn mode(&self) -> &'static str {
        "INPUT"
    }

    fn input(&mut self, input: Input, st: &mut State) -> Flow {
        match input {
            Input::Action(Action::Cancel) => {
                st.close();
                st.dialog_closed(&self.challenge.profile, None);
            }
            Input::Action(Action::Enter) if !matches!(self.phase, Phase::Checking) => {
                self.check(st)
            }
            // Digits and editing keys only: a letter meant for the tree is not a code.
            Input::Text(key) if !matches!(self.phase, Phase::Checking) && code_key(&key) => {
                self.field.input(key);
            }
            Input::Paste(text) if !matches!(self.phase, Phase::Checking) => {
                self.field.insert_str(
                    text.chars()
                        .filter(char::is_ascii_digit)
                        .collect::<String>(),
                );
            }
            _ => {}
        }
        Flow::Consumed
    }

    fn reply(&mut self, msg: Message, st: &mut State) -> Option<Message> {
        let Message::Reply(any) = msg else {
            return Some(msg);
        };
        let r = match any.downcast::<MfaReply>() {
            Ok(r) if r.id == self.id => r,
            Ok(r) => return Some(Message::Reply(r)),
            Err(any) => return Some(Message::Reply(any)),
        };
        match r.result {
            Ok(expiry) => {
                let until = expiry
                    .map(|e| format!(" until {}", utc_z(e)))
                    .unwrap_or_default();
                st.close();
                st.dialog_closed(
                    &self.challenge.profile,
                    Some(format!(
                        "MFA accepted: {}{until}, cached where the AWS CLI reuses it",
                        self.challenge.role_arn
                    )),
                );
            }
            Err(e) => self.phase = Phase::Refused(e),
        }
        None
    }

    fn hints(&self, _st: &State) -> Vec<Hint> {
        vec![
            Hint::new(Action::Enter, "check the code"),
            Hint::new(Action::Cancel, "cancel"),
        ]
    }

    fn render(&self, f: &mut Frame, area: Rect, d: &mut Draw) {
        let st = d.st;
        let t = &st.theme;
        let c = &self.challenge;
        let mut lines = vec![Line::raw(format!(
            "Profile {} assumes {}, which needs a code from the MFA device {}.",
            visible_line(&c.profile),
            visible_line(&c.role_arn),
            visible_line(&c.mfa_serial)
        ))];
        if c.mfa_serial == crate::mock::services::sessions::DEMO_MFA_SERIAL {
            lines.push(Line::styled(
                format!(
                    "(the local gateway's demo device: its code is {})",
                    crate::mock::services::sessions::DEMO_MFA_CODE
                ),
                t.fg(Role::Muted),
            ));
        }
        lines.push(Line::raw(""));
        let field_row = lines.len();
        lines.push(Line::raw("Code: "));
        lines.push(Line::raw(""));
        lines.push(match &self.phase {
            Phase::Typing => Line::styled(
                format!(
                    "{}: check the code · {}: cancel",
                    st.key(Action::Enter),
                    st.key(Action::Cancel)
                ),
                t.fg(Role::Muted),
            ),
            Phase::Checking => Line::styled("Checking the code with STS…", t.fg(Role::Muted)),
            Phase::Refused(e) => Line::styled(visible_line(e).into_owned(), t.fg(Role::Error)),
        });
        let width = area.width.saturating_sub(4).min(84);
        let inner = width.saturating_sub(2);
        // The field sits after "Code: " on its row, below however the lines above wrap.
        let above = Paragraph::new(lines[..field_row].to_vec())
            .wrap(Wrap { trim: false })
            .line_count(inner) as u16;
        let p = Paragraph::new(lines).wrap(Wrap { trim: false });
        let height = (p.line_count(inner) as u16 + 2).min(area.height);
        let rect = centered(area, width, height);
        d.hit(rect, Target::Area);
        f.render_widget(Clear, rect);
        let block = Block::bordered()
            .title(format!("MFA code: profile {}", visible_line(&c.profile)))
            .border_style(t.fg(Role::Focus));
        let body = block.inner(rect);
        f.render_widget(p.block(block), rect);
        let y = body.y + above;
        if y < body.bottom() && body.width > 8 && !matches!(self.phase, Phase::Checking) {
            let field = Rect::new(body.x + 6, y, body.width.saturating_sub(6).min(12), 1);
            f.render_widget(&self.field, field);
        }
    }
}
