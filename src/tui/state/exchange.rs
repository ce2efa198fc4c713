//! A send, start to end: prepared from the selected request, handed to the loop as a command,
//! and its reply shown — an exchange (diagnosed when AWS refused it), the doctor's steps, or a
//! typed failure (a transport one diagnosed too).

use super::preview::fingerprint;
use super::State;
use crate::diagnose::{diagnose, is_auth_failure, transport};
use crate::http::Exchange;
use crate::tui::component::Event;
use crate::tui::messages::{Command, Level, RequestState, SendError};
use crate::tui::panes::response::Shown;
use std::time::Instant;

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
        self.forget_body_hash();
        self.shown_fingerprint = Some(fingerprint(&prepared));
        self.edited_since_shown = false;
        self.next_id += 1;
        let id = self.next_id;
        let credentials = self.credentials_for(&prepared);
        self.exchange = RequestState::Sending {
            id,
            started: Instant::now(),
        };
        let prepared = Box::new(prepared);
        self.run(if doctor {
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
                record: self.history_dir.clone().zip(self.selected_path()),
            }
        });
    }

    fn awaiting(&self, id: u64) -> bool {
        matches!(self.exchange, RequestState::Sending { id: current, .. } if current == id)
    }

    /// A send's reply (a stale one, for a send since replaced or cancelled, is dropped).
    pub fn sent(&mut self, id: u64, result: Result<Box<Exchange>, SendError>) {
        if !self.awaiting(id) {
            return;
        }
        match result {
            Ok(exchange) => self.show_exchange(id, exchange, None),
            Err(error) => {
                if let SendError::CredentialsNeeded(failure) = &error {
                    self.credentials_needed(failure);
                }
                let diagnosis = match &error {
                    SendError::Transport { url, error } => {
                        Some(Box::new(transport::diagnose(error, url)))
                    }
                    _ => None,
                };
                self.exchange = RequestState::Failed { error, diagnosis };
            }
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
        let diagnosis = is_auth_failure(&exchange.response).then(|| {
            Box::new(diagnose(
                &exchange.response,
                exchange.trace.as_ref(),
                Some(&exchange.request),
            ))
        });
        let shown = Shown::new(
            exchange.response.header("content-type"),
            exchange.response.body.clone(),
        );
        if shown.needs_format() {
            self.run(Command::Format {
                id,
                shown: Box::new(shown.clone()),
            });
        }
        self.exchange = RequestState::Done {
            exchange,
            diagnosis,
            body: Box::new(shown),
            from_history,
        };
        self.emit(Event::ExchangeShown { sent });
    }

    /// Esc: stops a send in flight, else drops a jq filter.
    pub fn cancel(&mut self) {
        if matches!(self.exchange, RequestState::Sending { .. }) {
            self.exchange = RequestState::Cancelled;
            return self.run(Command::CancelSend);
        }
        let dropped = match &mut self.exchange {
            RequestState::Done { body, .. } => body.jq.take(),
            _ => None,
        };
        if dropped.is_some() {
            self.emit(Event::JqCleared);
        }
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
