//! Each request keeps what its response pane showed while the workbench runs: selecting
//! another request parks it (a send still in flight included, finished in the background),
//! selecting it again brings it back. A request with nothing kept shows its latest exchange
//! from history (the history pane hands it over once loaded), so a restart opens where the
//! last run left off.

use super::preview::fingerprint;
use super::State;
use crate::http::Exchange;
use crate::model::history::Entry;
use crate::model::workspace::ReqRef;
use crate::tui::component::Event;
use crate::tui::messages::{Command, RequestState, SendError};

/// A recorded exchange read back (`open_entry`).
pub struct Opened {
    key: Option<String>,
    exchange: Box<Exchange>,
    label: String,
    latest: bool,
}

/// What a request's response pane showed, set aside.
pub(crate) struct Parked {
    state: RequestState,
    covered: Option<RequestState>,
    fingerprint: Option<u64>,
}

impl State {
    /// What a request's kept response is filed under: its id in the collection file.
    pub(crate) fn request_key(&self, r: &ReqRef) -> Option<String> {
        let doc = self.ws.docs.get(r.doc)?;
        let spec = self.ws.request(r)?;
        Some(match &spec.id {
            Some(id) => id.clone(),
            None => format!("{}#{}", doc.loaded.path.display(), self.ws.path_name(r)?),
        })
    }

    /// The selection moved: what was shown goes aside under its request, and the new
    /// request's comes back (true when there was one).
    pub(super) fn park_and_restore(&mut self) -> bool {
        let state = std::mem::replace(&mut self.exchange, RequestState::Idle);
        let covered = self.covered.take();
        if let Some(key) = self.shown_for.take() {
            if !matches!(state, RequestState::Idle | RequestState::Cancelled) {
                let fingerprint = self.shown_fingerprint;
                self.responses.insert(
                    key,
                    Parked {
                        state,
                        covered,
                        fingerprint,
                    },
                );
            }
        }
        self.shown_fingerprint = None;
        let key = self.selected_request().and_then(|r| self.request_key(r));
        self.shown_for = key.clone();
        let Some(p) = key.and_then(|k| self.responses.remove(&k)) else {
            return false;
        };
        self.exchange = p.state;
        self.covered = p.covered;
        self.shown_fingerprint = p.fingerprint;
        if let RequestState::Done { body, .. } = &self.exchange {
            if body.needs_format() {
                let shown = body.clone();
                self.run(Command::Format {
                    id: self.next_id,
                    shown,
                });
            }
        }
        true
    }

    /// A send's reply for a request no longer selected: kept for when it is.
    pub(super) fn finished_elsewhere(
        &mut self,
        id: u64,
        result: Result<Box<Exchange>, SendError>,
    ) -> bool {
        let Some(p) = (self.responses.values_mut())
            .find(|p| matches!(p.state, RequestState::Sending { id: i, .. } if i == id))
        else {
            return false;
        };
        p.state = match result {
            Ok(exchange) => Self::done(
                exchange,
                None,
                &crate::diagnose::Advice {
                    place: crate::diagnose::Place::Workbench,
                    ..Default::default()
                },
            ),
            Err(error) => Self::failed(error),
        };
        true
    }

    /// A new send ends the one in flight (one at a time): a parked one says so.
    pub(super) fn cancel_parked_sends(&mut self) {
        for p in self.responses.values_mut() {
            if matches!(p.state, RequestState::Sending { .. }) {
                p.state = RequestState::Cancelled;
            }
        }
    }

    /// Reopens a recorded exchange, its whole body read off the loop (from the entry's body
    /// file when it has one): shown in front (`latest` false), or, for the latest one of a
    /// request with nothing shown yet, where it is.
    pub fn open_entry(&mut self, entry: &Entry, latest: bool) {
        let Some(dir) = self.history_dir.clone() else {
            return;
        };
        let (entry, key) = (entry.clone(), self.shown_for.clone());
        self.run(Command::Task(crate::tui::messages::Task::new(async move {
            let label = format!("{} ({})", entry.time, entry.id);
            let exchange = crate::tui::tasks::blocking(move || {
                crate::model::history::to_exchange_in(&dir, &entry)
            })
            .await?;
            Some(crate::tui::messages::Message::Reply(Box::new(Opened {
                key,
                exchange: Box::new(exchange),
                label,
                latest,
            })))
        })));
    }

    /// A recorded exchange is read: shown, unless the selection has moved on since.
    pub fn opened(&mut self, o: Opened) {
        if o.key != self.shown_for {
            return;
        }
        if !o.latest {
            self.next_id += 1;
            return self.show_exchange(self.next_id, o.exchange, Some(o.label));
        }
        self.show_latest(o.exchange, o.label);
    }

    /// The latest exchange of a request with nothing else to show: shown where it is,
    /// without taking the screen.
    fn show_latest(&mut self, exchange: Box<Exchange>, label: String) {
        if !matches!(self.exchange, RequestState::Idle) {
            return;
        }
        self.next_id += 1;
        self.shown_fingerprint = self.prepare_selected().ok().map(|p| fingerprint(&p));
        self.edited_since_shown = false;
        let advice = self.advice();
        self.exchange = Self::done(exchange, Some(label), &advice);
        if let RequestState::Done { body, .. } = &self.exchange {
            if body.needs_format() {
                let shown = body.clone();
                self.run(Command::Format {
                    id: self.next_id,
                    shown,
                });
            }
        }
        self.emit(Event::ExchangeRestored);
    }

    /// Forgets what every request kept (the collections were reloaded from disk).
    pub fn forget_responses(&mut self) {
        self.responses.clear();
    }
}
