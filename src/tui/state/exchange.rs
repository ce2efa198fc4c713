//! A send, start to end: prepared from the selected request, handed to the loop as a command,
//! and its reply shown — an exchange (diagnosed when AWS refused it), the doctor's steps, or a
//! typed failure (a transport one diagnosed too).

use super::preview::fingerprint;
use super::State;
use crate::diagnose::{transport, Advice, Place};
use crate::http::Exchange;
use crate::tui::component::Event;
use crate::tui::messages::{Command, Level, RequestState, SendError};
use crate::tui::panes::response::Shown;
use std::time::Instant;

/// A body file indexed in the background.
pub struct Indexed {
    id: u64,
    lines: Result<crate::body::file::FileLines, String>,
}

/// A comparison computed in the background.
pub struct Compared {
    id: u64,
    old: String,
    new: String,
    diff: crate::http::compare::ExchangeDiff,
}

impl State {
    /// Starts a send (or the doctor's step-by-step check) of the selected request.
    pub fn send(&mut self, doctor: bool) {
        let prepared = match self.prepare_selected() {
            Err(e) => {
                self.exchange = RequestState::Failed {
                    error: SendError::Prepare(e),
                    diagnosis: None,
                };
                return;
            }
            Ok(p) => p,
        };
        let mut prepared = prepared;
        self.fill_passphrase(&mut prepared);
        self.forget_body_hash();
        // One send at a time: a send parked under another request is ended by this one.
        self.cancel_parked_sends();
        self.shown_fingerprint = Some(fingerprint(&prepared));
        self.edited_since_shown = false;
        self.next_id += 1;
        let id = self.next_id;
        let credentials = self.credentials_for(&prepared);
        let before = std::mem::replace(
            &mut self.exchange,
            RequestState::Sending {
                id,
                started: Instant::now(),
            },
        );
        // The doctor's steps are a panel over the response: Esc shows the response again.
        self.covered = match (doctor, before) {
            (true, RequestState::Checked(_) | RequestState::Compared { .. }) => self.covered.take(),
            (true, before @ RequestState::Done { .. }) => Some(before),
            _ => None,
        };
        let prepared = Box::new(prepared);
        self.run(if doctor {
            Command::Doctor {
                id,
                prepared,
                credentials,
                advice: Box::new(self.advice()),
            }
        } else {
            Command::Send {
                id,
                prepared,
                credentials,
                record: self.record(),
            }
        });
    }

    /// A client key's passphrase typed this session, given to a request that needs it.
    pub(crate) fn fill_passphrase(&self, p: &mut crate::http::prepare::Prepared) {
        if let Some((_, key, phrase @ None)) = &mut p.network.client_cert {
            *phrase = self.passphrases.get(key.as_str()).cloned();
        }
    }

    /// The passphrase dialog's answer: kept for the session (in memory), and the request
    /// goes out again.
    pub(crate) fn passphrase_given(&mut self, key: String, phrase: String) {
        self.passphrases.insert(key, phrase);
        self.send(false);
    }

    /// Where the selected request's sends are recorded.
    pub(crate) fn record(&self) -> Option<crate::tui::messages::Record> {
        let r = self.selected_request()?;
        Some(crate::tui::messages::Record {
            dir: self.history_dir.clone()?,
            name: self.ws.path_name(r)?,
            id: self.ws.request(r)?.id.clone(),
        })
    }

    fn awaiting(&self, id: u64) -> bool {
        matches!(self.exchange, RequestState::Sending { id: current, .. } if current == id)
    }

    /// A send's reply (a stale one, for a send since replaced or cancelled, is dropped).
    pub fn sent(&mut self, id: u64, result: Result<Box<Exchange>, SendError>) {
        if !self.awaiting(id) {
            // Another request is selected now: the reply is kept for when this one is.
            self.finished_elsewhere(id, result);
            return;
        }
        match result {
            Ok(exchange) => self.show_exchange(id, exchange, None),
            Err(error) => {
                if let SendError::CredentialsNeeded(failure) = &error {
                    self.credentials_needed(failure);
                }
                if let SendError::Passphrase { key, message } = &error {
                    // A wrong one is forgotten: the dialog asks again, saying why.
                    self.passphrases.remove(key);
                    self.open(crate::tui::overlays::passphrase::PassphraseDialog::new(
                        key.clone(),
                        message.clone(),
                    ));
                }
                self.exchange = Self::failed(error);
            }
        }
    }

    /// A response too large for memory: its first part shown at once, the file indexed off
    /// the loop, then read in windows as it is scrolled.
    pub fn sent_to_file(
        &mut self,
        id: u64,
        exchange: Box<Exchange>,
        file: std::sync::Arc<crate::body::file::BodyFile>,
    ) {
        if !self.awaiting(id) {
            return; // another request is selected: the file goes with the message
        }
        let shown = Shown::from_file(
            exchange.response.header("content-type"),
            exchange.response.body.clone(),
            file.clone(),
        );
        let advice = self.advice();
        self.exchange = Self::done(exchange, None, &advice);
        if let RequestState::Done { body, .. } = &mut self.exchange {
            **body = shown;
        }
        self.emit(Event::ExchangeShown { sent: true });
        self.run(Command::Task(crate::tui::messages::Task::new(async move {
            let lines =
                crate::tui::tasks::blocking(move || crate::body::file::FileLines::index(file))
                    .await?;
            Some(crate::tui::messages::Message::Reply(Box::new(Indexed {
                id,
                lines: lines.map_err(|e| e.to_string()),
            })))
        })));
    }

    /// A body file is indexed: the view reads it from disk from now on.
    pub fn indexed(&mut self, done: Indexed) {
        let RequestState::Done { body, .. } = &mut self.exchange else {
            return;
        };
        let same = body.file.as_ref().is_some_and(|f| match &done.lines {
            Ok(l) => std::sync::Arc::ptr_eq(f, &l.file),
            Err(_) => true,
        });
        if !same {
            return;
        }
        match done.lines {
            Ok(lines) => {
                body.file_lines = Some(lines);
                body.head = None;
            }
            Err(e) => self.notify(Level::Error, format!("the body's file: {e}")),
        }
        let _ = done.id;
    }

    /// A send that got no exchange, with the diagnosis of a transport failure.
    pub(super) fn failed(error: SendError) -> RequestState {
        let diagnosis = match &error {
            SendError::Transport { url, error } => Some(Box::new(transport::diagnose(error, url))),
            _ => None,
        };
        RequestState::Failed { error, diagnosis }
    }

    /// An exchange as shown: diagnosed when AWS refused it, its body ready to show (small
    /// bodies formatted now; `needs_format` says when a large one waits for a task).
    pub(super) fn done(
        exchange: Box<Exchange>,
        from_history: Option<String>,
        advice: &Advice,
    ) -> RequestState {
        // An AWS refusal, a CORS preflight's verdict, a proxy's 407.
        let diagnosis = crate::diagnose::of_exchange_for(&exchange, advice).map(Box::new);
        let shown = Shown::new(
            exchange.response.header("content-type"),
            exchange.response.body.clone(),
        );
        RequestState::Done {
            exchange,
            diagnosis,
            body: Box::new(shown),
            from_history,
        }
    }

    pub fn checked(&mut self, id: u64, steps: Vec<crate::diagnose::doctor::Step>) {
        if self.awaiting(id) {
            self.exchange = RequestState::Checked(steps);
        }
    }

    /// Shows an exchange (just sent, or reopened from history): its diagnosis when AWS
    /// refused it, and its body, formatted here when small, in the background when large.
    pub fn show_exchange(
        &mut self,
        id: u64,
        exchange: Box<Exchange>,
        from_history: Option<String>,
    ) {
        let sent = from_history.is_none();
        if sent {
            self.check_exchange(&exchange);
        }
        if !sent {
            // A later edit shows the preview instead of what was signed back then.
            self.shown_fingerprint = self.prepare_selected().ok().map(|p| fingerprint(&p));
            self.edited_since_shown = false;
        }
        let advice = self.advice();
        self.why_pending = None;
        self.exchange = Self::done(exchange, from_history, &advice);
        self.offer_why();
        if let RequestState::Done { body, .. } = &self.exchange {
            if body.needs_format() {
                let shown = body.clone();
                self.run(Command::Format { id, shown });
            }
        }
        self.emit(Event::ExchangeShown { sent });
    }

    /// Esc: stops a send in flight, else closes the doctor's steps, else drops a jq filter.
    pub fn cancel(&mut self) {
        if matches!(self.exchange, RequestState::Sending { .. }) {
            // A doctor run stopped gives the response it covered back.
            self.exchange = self.covered.take().unwrap_or(RequestState::Cancelled);
            return self.run(Command::CancelSend);
        }
        if matches!(
            self.exchange,
            RequestState::Checked(_) | RequestState::Compared { .. }
        ) {
            self.exchange = self.covered.take().unwrap_or(RequestState::Idle);
            return;
        }
        let dropped = match &mut self.exchange {
            RequestState::Done { body, .. } => body.jq.take(),
            _ => None,
        };
        if dropped.is_some() {
            self.emit(Event::JqCleared);
        }
    }

    /// What the advice for the selected request can name: the workbench's fields, the
    /// profile it signs with (and the environment that chose it), its clock offset.
    pub(crate) fn advice(&self) -> Advice {
        let mut advice = Advice {
            place: Place::Workbench,
            ..Advice::default()
        };
        let Ok(p) = self.prepare_selected() else {
            return advice;
        };
        let Some(plan) = &p.signing else {
            return advice;
        };
        advice.clock_offset_secs = plan.clock_offset_secs;
        if let crate::aws::credentials::CredentialSpec::Chain { profile } = &plan.credentials {
            advice.profile = profile.clone();
            let doc = self.selected_doc();
            let env = self.ws.docs.get(doc).and_then(|d| d.env.clone());
            let env_profile = env
                .as_ref()
                .and_then(|e| self.ws.environment(doc, e))
                .and_then(|e| e.profile.clone());
            if env_profile.is_some() && env_profile == advice.profile {
                advice.environment = env;
            }
        }
        advice
    }

    /// Compares two recorded exchanges of the selected request (older first), off the loop;
    /// the comparison covers the response until Esc.
    pub fn compare(
        &mut self,
        old: &crate::model::history::Entry,
        new: &crate::model::history::Entry,
    ) {
        use crate::model::history::to_exchange_in;
        let label =
            |e: &crate::model::history::Entry| format!("{} {} ({})", e.status, e.time, e.id);
        let dir = self.history_dir.clone().unwrap_or_default();
        let (a, b) = (old.clone(), new.clone());
        let (old, new) = (label(old), label(new));
        self.next_id += 1;
        let id = self.next_id;
        self.run(Command::Task(crate::tui::messages::Task::new(async move {
            // Whole bodies, from the entries' body files when they have them.
            let diff = crate::tui::tasks::blocking(move || {
                let (a, b) = (to_exchange_in(&dir, &a), to_exchange_in(&dir, &b));
                crate::http::compare::compare(&a, &b)
            })
            .await?;
            Some(crate::tui::messages::Message::Reply(Box::new(Compared {
                id,
                old,
                new,
                diff,
            })))
        })));
    }

    /// A comparison is ready (unless something else was shown since it was asked for).
    pub fn compared(&mut self, c: Compared) {
        if c.id != self.next_id {
            return;
        }
        let shown = std::mem::replace(
            &mut self.exchange,
            RequestState::Compared {
                old: c.old,
                new: c.new,
                diff: Box::new(c.diff),
            },
        );
        if matches!(shown, RequestState::Done { .. }) {
            self.covered = Some(shown);
        }
        self.emit(Event::ExchangeRestored);
    }

    /// Copies the selected request as a curl command (no secret in it).
    pub fn copy_curl(&mut self) {
        match self.prepare_selected() {
            Err(e) => self.notify(Level::Error, format!("nothing copied: {e}")),
            Ok(p) => {
                let (command, notes) = crate::export::curl(&p);
                let mut text = format!(
                    "copied as curl ({} characters, OSC 52); it signs with $AWS_ACCESS_KEY_ID / $AWS_SECRET_ACCESS_KEY",
                    command.len()
                );
                for n in notes {
                    text.push_str("; ");
                    text.push_str(&n);
                }
                self.notify(Level::Info, text);
                self.run(Command::Copy(command));
            }
        }
    }
}
