//! The sign-in dialog, offered when a profile's IAM Identity Center login is missing or
//! expired (met by the identity line, the profile picker or a send): once accepted, the
//! device flow runs in the background (`aws::sso::login`) and the dialog shows what the user
//! has to do — the URL, the code to check, a QR code of the URL for another device, whether
//! a browser was opened — and how the polling goes, until the login is approved, fails, or
//! is cancelled with the cancel key.
//!
//! The flow's events come back one task at a time: each reply carries the event and the
//! channel the next one arrives on, so nothing is polled and nothing is shared with the view.

use crate::aws::config::AwsConfig;
use crate::aws::files::{home_dir, utc_z};
use crate::aws::sso::login::{self, CancelLogin, DeviceCode, LoginEvent, LoginOptions};
use crate::text::visible_line;
use crate::tui::component::{centered, Component, Draw, Flow, Hint, Input, PaneId};
use crate::tui::hits::Target;
use crate::tui::keymap::{Action, Context};
use crate::tui::messages::{Command, Level, Message, Task};
use crate::tui::state::creds::time_left;
use crate::tui::state::State;
use crate::tui::tasks::blocking;
use crate::tui::theme::Role;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use ratatui::Frame;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver};

pub const LOGIN: PaneId = PaneId("login");

enum Phase {
    /// Asking whether to log in now.
    Offer,
    /// Registering the client and asking for a code.
    Starting {
        registering: bool,
    },
    /// Waiting for the user to approve in a browser.
    Approve {
        code: DeviceCode,
        polls: u32,
    },
    Failed(String),
}

pub struct LoginDialog {
    id: u64,
    profile: String,
    /// Why it is needed (the resolver's words).
    why: String,
    phase: Phase,
    cancel: Option<CancelLogin>,
    /// Set when the dialog is closed: the flow still running is cancelled by its task.
    abandoned: Arc<AtomicBool>,
}

/// What the flow's task reports: the next event (`None`: the flow ended without one), the
/// channel of those after it, and the handle that cancels it.
struct LoginReply {
    id: u64,
    event: Result<Option<LoginEvent>, String>,
    events: Option<UnboundedReceiver<LoginEvent>>,
    cancel: Option<CancelLogin>,
}

/// Whether the browser opened when asked again.
struct BrowserReply {
    id: u64,
    opened: bool,
}

impl LoginDialog {
    pub fn new(id: u64, profile: String, why: String) -> LoginDialog {
        LoginDialog {
            id,
            profile,
            why,
            phase: Phase::Offer,
            cancel: None,
            abandoned: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Starts the device flow for the profile's SSO session (the files are read off the loop).
    fn start(&mut self, st: &mut State) {
        self.phase = Phase::Starting { registering: false };
        let (id, profile, abandoned) = (self.id, self.profile.clone(), self.abandoned.clone());
        st.run(Command::Task(Task::new(async move {
            let sso = blocking(move || {
                let plan = AwsConfig::from_env()
                    .plan(&profile)
                    .map_err(|e| e.to_string())?;
                (plan.sso().cloned()).ok_or_else(|| {
                    format!("profile '{profile}' has no IAM Identity Center session")
                })
            })
            .await?;
            let sso = match sso {
                Ok(sso) => sso,
                Err(e) => return Some(reply(id, Err(e), None, None)),
            };
            let (tx, rx) = unbounded_channel();
            let options = LoginOptions {
                home: home_dir(),
                open_browser: true,
            };
            let task = login::start(sso, options, move |e| {
                let _ = tx.send(e);
            });
            next(id, rx, Some(task.cancel), abandoned).await
        })));
    }

    fn close(&mut self, st: &mut State, done: Option<String>) {
        self.abandoned.store(true, Ordering::SeqCst);
        if let Some(c) = &self.cancel {
            c.cancel();
        }
        st.close();
        st.dialog_closed(&self.profile, done);
    }

    fn url(&self) -> Option<&str> {
        match &self.phase {
            Phase::Approve { code, .. } => Some(&code.verification_uri_complete),
            _ => None,
        }
    }

    fn event(&mut self, event: LoginEvent, st: &mut State) -> bool {
        match event {
            LoginEvent::Registering => self.phase = Phase::Starting { registering: true },
            LoginEvent::Approve(code) => self.phase = Phase::Approve { code, polls: 0 },
            LoginEvent::Waiting { attempt, .. } => {
                if let Phase::Approve { polls, .. } = &mut self.phase {
                    *polls = attempt;
                }
            }
            LoginEvent::LoggedIn(done) => {
                let what = format!(
                    "logged in: {} until {}{}",
                    done.session,
                    utc_z(done.expires_at),
                    if done.refreshable {
                        " (refreshed as it runs out)"
                    } else {
                        ""
                    }
                );
                self.close(st, Some(what));
                return false;
            }
            LoginEvent::Failed(e) => {
                self.phase = Phase::Failed(e);
                self.cancel = None;
                return false;
            }
            LoginEvent::Cancelled => {
                self.phase = Phase::Failed("the login was cancelled".into());
                self.cancel = None;
                return false;
            }
        }
        true
    }
}

fn reply(
    id: u64,
    event: Result<Option<LoginEvent>, String>,
    events: Option<UnboundedReceiver<LoginEvent>>,
    cancel: Option<CancelLogin>,
) -> Message {
    Message::Reply(Box::new(LoginReply {
        id,
        event,
        events,
        cancel,
    }))
}

/// The flow's next event; once the dialog is gone, the flow is cancelled and drained quietly.
async fn next(
    id: u64,
    mut events: UnboundedReceiver<LoginEvent>,
    cancel: Option<CancelLogin>,
    abandoned: Arc<AtomicBool>,
) -> Option<Message> {
    loop {
        let event = events.recv().await;
        if !abandoned.load(Ordering::SeqCst) {
            return Some(reply(id, Ok(event), Some(events), cancel));
        }
        if let Some(c) = &cancel {
            c.cancel();
        }
        event.as_ref()?;
    }
}

impl Component for LoginDialog {
    fn id(&self) -> PaneId {
        LOGIN
    }

    fn context(&self) -> Context {
        Context::Login
    }

    fn mode(&self) -> &'static str {
        "SIGN-IN"
    }

    fn input(&mut self, input: Input, st: &mut State) -> Flow {
        let Input::Action(action) = input else {
            return Flow::Consumed;
        };
        match (&self.phase, action) {
            (_, Action::Cancel) => self.close(st, None),
            (Phase::Offer | Phase::Failed(_), Action::Enter) => self.start(st),
            (Phase::Approve { .. }, Action::CopyUrl) => {
                if let Some(url) = self.url() {
                    st.run(Command::Copy(url.to_string()));
                    st.notify(Level::Info, "the sign-in URL is on the clipboard (OSC 52)");
                }
            }
            (Phase::Approve { .. }, Action::OpenBrowser) => {
                if let Some(url) = self.url().map(str::to_string) {
                    let id = self.id;
                    st.run(Command::Task(Task::new(async move {
                        let opened = blocking(move || login::open_browser(&url)).await?;
                        Some(Message::Reply(Box::new(BrowserReply { id, opened })))
                    })));
                }
            }
            _ => {}
        }
        Flow::Consumed
    }

    fn reply(&mut self, msg: Message, st: &mut State) -> Option<Message> {
        let Message::Reply(any) = msg else {
            return Some(msg);
        };
        let any = match any.downcast::<BrowserReply>() {
            Ok(b) if b.id == self.id => {
                if let Phase::Approve { code, .. } = &mut self.phase {
                    code.browser_opened |= b.opened;
                }
                if !b.opened {
                    st.notify(Level::Warning, "no browser could be opened here: open the URL on any device, or scan the QR code");
                }
                return None;
            }
            Ok(b) => return Some(Message::Reply(b)),
            Err(any) => any,
        };
        let r = match any.downcast::<LoginReply>() {
            Ok(r) if r.id == self.id => r,
            Ok(r) => return Some(Message::Reply(r)),
            Err(any) => return Some(Message::Reply(any)),
        };
        let LoginReply {
            event,
            events,
            cancel,
            ..
        } = *r;
        if cancel.is_some() {
            self.cancel = cancel.clone();
        }
        let more = match event {
            Err(e) => {
                self.phase = Phase::Failed(e);
                false
            }
            Ok(None) => {
                self.phase = Phase::Failed("the login stopped without an answer".into());
                false
            }
            Ok(Some(event)) => self.event(event, st),
        };
        if let (true, Some(events)) = (more, events) {
            let abandoned = self.abandoned.clone();
            let id = self.id;
            st.run(Command::Task(Task::new(next(
                id, events, cancel, abandoned,
            ))));
        }
        None
    }

    fn hints(&self, _st: &State) -> Vec<Hint> {
        match self.phase {
            Phase::Offer => vec![
                Hint::new(Action::Enter, "log in"),
                Hint::new(Action::Cancel, "not now"),
            ],
            Phase::Failed(_) => vec![
                Hint::new(Action::Enter, "try again"),
                Hint::new(Action::Cancel, "close"),
            ],
            Phase::Approve { .. } => vec![
                Hint::new(Action::CopyUrl, "copy the URL"),
                Hint::new(Action::OpenBrowser, "open the browser"),
                Hint::new(Action::Cancel, "cancel the login"),
            ],
            Phase::Starting { .. } => vec![Hint::new(Action::Cancel, "cancel the login")],
        }
    }

    fn render(&self, f: &mut Frame, area: Rect, d: &mut Draw) {
        let st = d.st;
        let t = &st.theme;
        let key = |a| st.key(a).to_string();
        let bold = t.fg(Role::Accent).add_modifier(Modifier::BOLD);
        let mut lines: Vec<Line> = Vec::new();
        let mut qr: Vec<Line> = Vec::new();
        match &self.phase {
            Phase::Offer => {
                lines.push(Line::raw(visible_line(&self.why).into_owned()));
                lines.push(Line::raw(""));
                lines.push(Line::raw(format!(
                    "{}: log in now (a browser opens where one can; the URL, a code and a QR code show here) · {}: not now",
                    key(Action::Enter),
                    key(Action::Cancel)
                )));
            }
            Phase::Starting { registering } => lines.push(Line::styled(
                if *registering {
                    "Registering sigscope with IAM Identity Center…"
                } else {
                    "Asking IAM Identity Center for a sign-in code…"
                },
                t.fg(Role::Muted),
            )),
            Phase::Approve { code, polls } => {
                lines.push(Line::raw(
                    "Open this URL and check that the page shows the same code:",
                ));
                lines.push(Line::styled(
                    visible_line(&code.verification_uri_complete).into_owned(),
                    t.fg(Role::Accent).add_modifier(Modifier::UNDERLINED),
                ));
                lines.push(Line::from(vec![
                    Span::raw("Code: "),
                    Span::styled(visible_line(&code.user_code).into_owned(), bold),
                ]));
                lines.push(if code.browser_opened {
                    Line::styled("A browser was opened on the URL.", t.fg(Role::Ok))
                } else {
                    Line::styled(
                        format!(
                            "No browser opened here: open the URL on any device, scan the code below, or {} to copy the URL.",
                            key(Action::CopyUrl)
                        ),
                        t.fg(Role::Warning),
                    )
                });
                let left = time_left(st.now(), code.expires_at)
                    .map(|l| format!("the code expires in {l}"))
                    .unwrap_or_else(|| "the code has expired".into());
                let checked = match polls {
                    0 => "not checked yet".to_string(),
                    1 => "checked once".to_string(),
                    n => format!("checked {n} times"),
                };
                lines.push(Line::styled(
                    format!(
                        "Waiting for approval ({checked}; {left}) · {}: cancel",
                        key(Action::Cancel)
                    ),
                    t.fg(Role::Muted),
                ));
                qr = code.qr.lines().map(|l| Line::raw(l.to_string())).collect();
            }
            Phase::Failed(e) => {
                lines.push(Line::styled(
                    format!("Login failed: {}", visible_line(e)),
                    t.fg(Role::Error),
                ));
                lines.push(Line::raw(""));
                lines.push(Line::raw(format!(
                    "{}: try again · {}: close",
                    key(Action::Enter),
                    key(Action::Cancel)
                )));
            }
        }
        let width = area.width.saturating_sub(4).min(100);
        let inner = width.saturating_sub(2);
        let text_height = Paragraph::new(lines.clone())
            .wrap(Wrap { trim: false })
            .line_count(inner) as u16;
        // The QR code only when it fits whole (a cut one does not scan).
        let qr_width = qr.first().map(|l| l.width() as u16).unwrap_or(0);
        let room = area.height.saturating_sub(4);
        let show_qr =
            !qr.is_empty() && qr_width <= inner && text_height + qr.len() as u16 + 3 <= room;
        if show_qr {
            lines.push(Line::raw(""));
            lines.extend(qr);
        } else if !qr.is_empty() {
            lines.push(Line::styled(
                "(a larger terminal shows a QR code of the URL)",
                t.fg(Role::Muted),
            ));
        }
        let height = (Paragraph::new(lines.clone())
            .wrap(Wrap { trim: false })
            .line_count(inner) as u16
            + 2)
        .min(area.height);
        let rect = centered(area, width, height);
        d.hit(rect, Target::Area);
        f.render_widget(Clear, rect);
        let title = format!(
            "Sign in: profile {} (IAM Identity Center)",
            visible_line(&self.profile)
        );
        f.render_widget(
            Paragraph::new(lines).wrap(Wrap { trim: false }).block(
                Block::bordered()
                    .title(title)
                    .border_style(t.fg(Role::Focus)),
            ),
            rect,
        );
    }
}
