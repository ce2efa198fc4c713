//! The TUI state and its `update`: messages in, state changed, commands out. No I/O here;
//! commands are run by the loop in `tui::run` (or by tests) and answer with messages.

use crate::aws::credentials::{CredentialSpec, Credentials};
use crate::diagnose::{diagnose, is_auth_failure, Diagnosis};
use crate::http::prepare::{self, Prepared};
use crate::http::{Exchange, TransportError};
use crate::model::Collection;
use crate::sign::SigningTrace;
use std::time::Instant;

/// Which pane has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Requests,
    Response,
}

/// Keys become actions once, at the edge (`keymap`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Up,
    Down,
    Send,
    Cancel,
    NextPane,
    PrevPane,
    ToggleInspector,
    Help,
    Quit,
    ScrollDown,
    ScrollUp,
    Doctor,
}

#[derive(Debug)]
pub enum Message {
    Action(Action),
    /// A send finished.
    Sent {
        id: u64,
        result: Result<Box<Exchange>, String>,
    },
    /// The stepper finished.
    Checked {
        id: u64,
        steps: Vec<crate::diagnose::doctor::Step>,
    },
    Resize,
}

/// Work for the loop to do.
#[derive(Debug)]
pub enum Command {
    Send {
        id: u64,
        prepared: Box<Prepared>,
        credentials: Option<Credentials>,
    },
    Doctor {
        id: u64,
        prepared: Box<Prepared>,
        credentials: Option<Credentials>,
    },
    Quit,
}

#[derive(Debug)]
pub enum RequestState {
    Idle,
    Sending {
        id: u64,
        started: Instant,
    },
    Done {
        exchange: Box<Exchange>,
        diagnosis: Option<Box<Diagnosis>>,
        /// The body as shown (JSON pretty-printed), formatted once when it arrives,
        /// never on the render path.
        body_text: String,
    },
    Failed(String),
    /// The stepper's results, shown in place of a response.
    Checked(Vec<crate::diagnose::doctor::Step>),
}

/// Profile name → credentials, for the demo and tests (`~/.aws` is not read).
pub type CredentialResolver = fn(Option<&str>) -> Option<Credentials>;

/// One row of the request tree.
#[derive(Debug, Clone)]
pub struct Row {
    pub depth: usize,
    pub label: String,
    pub method: Option<String>,
    /// `folder/…/name` for requests.
    pub path: Option<String>,
}

pub struct App {
    pub collection: Collection,
    pub rows: Vec<Row>,
    pub selected: usize,
    pub focus: Pane,
    pub show_inspector: bool,
    pub show_help: bool,
    pub state: RequestState,
    pub scroll: u16,
    /// Credentials given up front (the demo); otherwise the AWS CLI chain.
    pub fixed_credentials: Option<CredentialResolver>,
    pub should_quit: bool,
    next_id: u64,
    /// The preview of what will be signed for the selected request.
    pub preview: Option<SigningTrace>,
}

fn rows_of(c: &Collection) -> Vec<Row> {
    fn folder(out: &mut Vec<Row>, f: &crate::model::Folder, depth: usize, prefix: &str) {
        let path = if prefix.is_empty() {
            f.name.clone()
        } else {
            format!("{prefix}/{}", f.name)
        };
        out.push(Row {
            depth,
            label: format!("▾ {}", f.name),
            method: None,
            path: None,
        });
        for r in &f.requests {
            out.push(Row {
                depth: depth + 1,
                label: r.name.clone(),
                method: Some(r.method.clone()),
                path: Some(format!("{path}/{}", r.name)),
            });
        }
        for sub in &f.folders {
            folder(out, sub, depth + 1, &path);
        }
    }
    let mut out = vec![Row {
        depth: 0,
        label: c.name.clone(),
        method: None,
        path: None,
    }];
    for r in &c.requests {
        out.push(Row {
            depth: 1,
            label: r.name.clone(),
            method: Some(r.method.clone()),
            path: Some(r.name.clone()),
        });
    }
    for f in &c.folders {
        folder(&mut out, f, 1, "");
    }
    out
}

impl App {
    pub fn new(collection: Collection) -> Self {
        let rows = rows_of(&collection);
        let selected = rows.iter().position(|r| r.path.is_some()).unwrap_or(0);
        let mut app = App {
            collection,
            rows,
            selected,
            focus: Pane::Requests,
            show_inspector: true,
            show_help: false,
            state: RequestState::Idle,
            scroll: 0,
            fixed_credentials: None,
            should_quit: false,
            next_id: 0,
            preview: None,
        };
        app.refresh_preview();
        app
    }

    /// Credentials given up front (the demo): the inspector previews with them at once.
    pub fn set_fixed_credentials(&mut self, resolver: CredentialResolver) {
        self.fixed_credentials = Some(resolver);
        self.refresh_preview();
    }

    pub fn selected_path(&self) -> Option<&str> {
        self.rows.get(self.selected).and_then(|r| r.path.as_deref())
    }

    fn prepare_selected(&self) -> Result<Prepared, String> {
        let path = self.selected_path().ok_or("select a request")?;
        let located = self.collection.find(path).ok_or("the request is gone")?;
        prepare::prepare(&self.collection, None, &located)
    }

    fn credentials_for(&self, prepared: &Prepared) -> Option<Credentials> {
        let plan = prepared.signing.as_ref()?;
        let resolver = self.fixed_credentials?;
        match &plan.credentials {
            CredentialSpec::Chain { profile } => resolver(profile.as_deref()),
            CredentialSpec::Fixed(c) => Some(c.clone()),
        }
    }

    /// What will be signed, computed while browsing (with demo credentials only: resolving
    /// real ones may prompt or hit the network, which the UI never blocks on).
    fn refresh_preview(&mut self) {
        self.preview = self.prepare_selected().ok().and_then(|p| {
            let creds = self.credentials_for(&p)?;
            let plan = p.signing.as_ref()?;
            prepare::sign_prepared(&p.request, plan, &creds, std::time::SystemTime::now())
                .ok()
                .map(|s| s.trace)
        });
    }

    /// The shown trace: what was signed after a send, else the preview.
    pub fn trace(&self) -> Option<&SigningTrace> {
        match &self.state {
            RequestState::Done { exchange, .. } => {
                exchange.trace.as_ref().or(self.preview.as_ref())
            }
            _ => self.preview.as_ref(),
        }
    }

    pub fn update(&mut self, msg: Message) -> Option<Command> {
        match msg {
            Message::Resize => None,
            Message::Sent { id, result } => {
                if matches!(self.state, RequestState::Sending { id: current, .. } if current == id)
                {
                    self.state = match result {
                        Ok(exchange) => {
                            let diagnosis = is_auth_failure(&exchange.response).then(|| {
                                Box::new(diagnose(
                                    &exchange.response,
                                    exchange.trace.as_ref(),
                                    Some(&exchange.request),
                                ))
                            });
                            let body_text = display_body(&exchange.response.body);
                            RequestState::Done {
                                exchange,
                                diagnosis,
                                body_text,
                            }
                        }
                        Err(e) => RequestState::Failed(e),
                    };
                    self.scroll = 0;
                }
                None
            }
            Message::Checked { id, steps } => {
                if matches!(self.state, RequestState::Sending { id: current, .. } if current == id)
                {
                    self.state = RequestState::Checked(steps);
                }
                None
            }
            Message::Action(action) => self.act(action),
        }
    }

    fn act(&mut self, action: Action) -> Option<Command> {
        if self.show_help && action != Action::Quit {
            self.show_help = false;
            return None;
        }
        match action {
            Action::Quit => {
                self.should_quit = true;
                return Some(Command::Quit);
            }
            Action::Help => self.show_help = true,
            Action::ToggleInspector => self.show_inspector = !self.show_inspector,
            Action::NextPane | Action::PrevPane => {
                self.focus = match self.focus {
                    Pane::Requests => Pane::Response,
                    Pane::Response => Pane::Requests,
                }
            }
            Action::Up | Action::Down if self.focus == Pane::Requests => {
                let step = |i: usize| {
                    if action == Action::Up {
                        i.checked_sub(1)
                    } else {
                        (i + 1 < self.rows.len()).then_some(i + 1)
                    }
                };
                let mut i = self.selected;
                while let Some(next) = step(i) {
                    i = next;
                    if self.rows[i].path.is_some() {
                        self.selected = i;
                        break;
                    }
                }
                self.state = RequestState::Idle;
                self.refresh_preview();
            }
            Action::Up | Action::ScrollUp => {
                self.scroll = self
                    .scroll
                    .saturating_sub(if action == Action::Up { 1 } else { 10 })
            }
            Action::Down | Action::ScrollDown => {
                self.scroll =
                    self.scroll
                        .saturating_add(if action == Action::Down { 1 } else { 10 })
            }
            Action::Cancel => {
                if matches!(self.state, RequestState::Sending { .. }) {
                    self.state = RequestState::Failed("cancelled".into());
                }
            }
            Action::Send | Action::Doctor => {
                return match self.prepare_selected() {
                    Err(e) => {
                        self.state = RequestState::Failed(format!("not sent: {e}"));
                        None
                    }
                    Ok(prepared) => {
                        self.next_id += 1;
                        let id = self.next_id;
                        let credentials = self.credentials_for(&prepared);
                        self.state = RequestState::Sending {
                            id,
                            started: Instant::now(),
                        };
                        let prepared = Box::new(prepared);
                        Some(if action == Action::Doctor {
                            Command::Doctor {
                                id,
                                prepared,
                                credentials,
                            }
                        } else {
                            Command::Send {
                                id,
                                prepared,
                                credentials,
                            }
                        })
                    }
                };
            }
        }
        None
    }
}

/// A response body for display: pretty JSON when it parses, else the text as received.
pub fn display_body(body: &[u8]) -> String {
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| String::from_utf8_lossy(body).into_owned())
}

/// Runs a send command: resolve credentials when not given, sign, send.
pub async fn execute_send(
    client: &reqwest::Client,
    prepared: Prepared,
    credentials: Option<Credentials>,
) -> Result<Box<Exchange>, String> {
    let (wire, trace) = match &prepared.signing {
        None => (prepared.request.clone(), None),
        Some(plan) => {
            let creds = match credentials {
                Some(c) => c,
                None => crate::aws::credentials::resolve(&plan.credentials)
                    .await
                    .map_err(|e| e.to_string())?,
            };
            let signed = prepare::sign_prepared(
                &prepared.request,
                plan,
                &creds,
                std::time::SystemTime::now(),
            )
            .map_err(|e| e.to_string())?;
            (signed.request, Some(signed.trace))
        }
    };
    crate::http::send(client, wire, trace)
        .await
        .map(Box::new)
        .map_err(|e: TransportError| format!("{:?}: {e}", e.kind))
}

/// Runs the stepper on a prepared request.
pub async fn execute_doctor(
    client: &reqwest::Client,
    prepared: Prepared,
    credentials: Option<Credentials>,
) -> Vec<crate::diagnose::doctor::Step> {
    let Some(plan) = prepared.signing.clone() else {
        return vec![crate::diagnose::doctor::Step {
            name: "signing",
            status: crate::diagnose::doctor::Status::Failed,
            detail: "the request is not signed (auth none): nothing to check".into(),
        }];
    };
    let creds = match credentials {
        Some(c) => Ok(c),
        None => crate::aws::credentials::resolve(&plan.credentials)
            .await
            .map_err(|e| e.to_string()),
    };
    crate::diagnose::doctor::run(
        client,
        &prepared.request,
        creds,
        Ok(plan.settings),
        false,
        &mut |_| {},
    )
    .await
}
