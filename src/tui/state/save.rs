//! Keeping edits: drafts while typing (so a crash loses at most a pause), saves (asking where
//! for a collection without a file, asking again when the file changed on disk), and the ways
//! out — quit, quit after saving, discard, and a signal that keeps every edit as a draft.

use super::State;
use crate::model::store::collections_dir;
use crate::model::workspace::Node;
use crate::model::Loaded;
use crate::tui::keymap::Action;
use crate::tui::messages::{Command, Confirm, Level, SaveFailure, Signal, TextPurpose};
use crate::tui::overlays::confirm::Confirmation;
use crate::tui::overlays::prompt::TextPrompt;
use crate::tui::workbench::WORKBENCH;
use std::time::{Duration, Instant};

/// How long typing pauses before its draft is written.
const DRAFT_PAUSE: Duration = Duration::from_millis(400);

impl State {
    pub(crate) fn draft_command(&self, doc: usize) -> Option<Command> {
        let d = self.ws.docs.get(doc)?;
        let dir = self.drafts_dir.clone()?;
        (d.persistent && d.dirty).then(|| Command::WriteDraft {
            dir,
            loaded: Box::new(d.loaded.clone()),
        })
    }

    /// A keystroke changed a collection: its draft waits for a pause.
    pub fn typed(&mut self, doc: usize) {
        if let Some(d) = self.ws.docs.get_mut(doc) {
            d.dirty = true;
        }
        self.typing = Some((doc, Instant::now()));
    }

    /// True while something wants the clock: a send in flight, a draft waiting for a pause,
    /// credentials counting down.
    pub fn wants_ticks(&self) -> bool {
        self.typing.is_some()
            || self.counting_down()
            || matches!(
                self.exchange,
                crate::tui::messages::RequestState::Sending { .. }
            )
    }

    pub fn tick(&mut self) {
        self.refresh_credentials();
        if let Some((doc, at)) = self.typing {
            if at.elapsed() >= DRAFT_PAUSE {
                self.typing = None;
                if let Some(c) = self.draft_command(doc) {
                    self.run(c);
                }
            }
        }
    }

    /// Saves a collection; one without a file (the built-in demo) asks where first.
    pub fn save(&mut self, doc: usize, overwrite: bool) {
        let Some(d) = self.ws.docs.get(doc) else {
            return;
        };
        if d.persistent {
            // What this save writes: the watcher seeing it is no change from elsewhere.
            let text = crate::model::store::to_text(&d.loaded.collection);
            self.own_writes
                .push(crate::model::store::fingerprint(text.as_bytes()));
            if self.own_writes.len() > 16 {
                self.own_writes.remove(0);
            }
            self.run(Command::Save {
                doc,
                seq: self.seqs[doc],
                loaded: Box::new(d.loaded.clone()),
                overwrite,
            });
            return;
        }
        // Beside the other collections, named after this one.
        let slug: String = d
            .loaded
            .collection
            .name
            .to_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        let path = collections_dir(None).join(format!(
            "{}.json",
            if slug.is_empty() { "collection" } else { &slug }
        ));
        let prompt = TextPrompt::new(
            WORKBENCH,
            TextPurpose::SaveAs,
            "Save as: this collection has no file yet",
            &path.display().to_string(),
        )
        .node(Node::Collection(doc))
        .labels("saves", "cancels");
        self.open(prompt);
    }

    /// A save's outcome: the collection clean (unless edited meanwhile), its draft gone.
    pub fn saved(&mut self, doc: usize, seq: u64, result: Result<[u8; 32], SaveFailure>) {
        match result {
            Ok(fingerprint) => {
                let Some(d) = self.ws.docs.get_mut(doc) else {
                    return;
                };
                d.loaded.fingerprint = fingerprint;
                // Edits made while the save ran stay unsaved.
                d.dirty = self.seqs[doc] != seq;
                let (dirty, path) = (d.dirty, d.loaded.path.clone());
                if let (false, Some(dir)) = (dirty, self.drafts_dir.clone()) {
                    self.run(Command::RemoveDraft {
                        dir,
                        path: path.clone(),
                    });
                }
                // What the same action said (an import's summary, what it did not carry
                // over) stays: the save is added to it.
                let said = format!("saved {}", path.display());
                match self.notice.take() {
                    Some((level, text)) => self.notify(level, format!("{text}; {said}")),
                    None => self.notify(Level::Info, said),
                }
                if self.quit_after_save && !self.any_dirty() {
                    self.quit_now();
                }
            }
            Err(SaveFailure::Conflict) => {
                self.quit_after_save = false;
                let name = self.ws.docs[doc].loaded.path.display().to_string();
                self.open(
                    Confirmation::new(
                        WORKBENCH,
                        Confirm::Conflict(doc),
                        format!("{name} changed on disk since it was loaded."),
                    )
                    .answer(Action::Overwrite, "overwrite it with yours")
                    .answer(Action::Reload, "reload it (drop your edits)")
                    .answer(Action::Cancel, "keep editing"),
                );
            }
            Err(SaveFailure::Other(e)) => {
                self.quit_after_save = false;
                self.notify(Level::Error, e);
            }
        }
    }

    /// The file as it is on disk replaces the edits.
    pub fn reloaded(&mut self, doc: usize, result: Result<Loaded, String>) {
        match result {
            Ok(mut loaded) => {
                // Its requests keep the ids their history is filed under.
                loaded.collection.assign_ids();
                if let Some(d) = self.ws.docs.get_mut(doc) {
                    d.loaded = loaded;
                    d.dirty = false;
                }
                self.ws.rebuild();
                self.selected = self.selected.min(self.ws.rows.len().saturating_sub(1));
                self.notify(Level::Info, "reloaded from disk; your edits were dropped");
                self.selection_changed();
                if let (Some(dir), Some(d)) = (self.drafts_dir.clone(), self.ws.docs.get(doc)) {
                    let path = d.loaded.path.clone();
                    self.run(Command::RemoveDraft { dir, path });
                }
            }
            Err(e) => self.notify(Level::Error, format!("reload failed: {e}")),
        }
    }

    /// Quit: at once when everything is saved, else asks.
    pub fn quit(&mut self) {
        if !self.any_dirty() {
            return self.quit_now();
        }
        let names: Vec<String> = (self.ws.docs.iter())
            .filter(|d| d.dirty)
            .map(|d| crate::text::visible_line(&d.loaded.collection.name).into_owned())
            .collect();
        self.open(
            Confirmation::new(
                WORKBENCH,
                Confirm::QuitUnsaved,
                format!("Unsaved changes in {}.", names.join(", ")),
            )
            .answer(Action::SaveAnswer, "save and quit")
            .answer(Action::Discard, "discard and quit")
            .answer(Action::Cancel, "stay"),
        );
    }

    pub(crate) fn quit_now(&mut self) {
        self.quitting = true;
        self.run(Command::Quit);
    }

    /// Saves every changed collection, then quits once the last save lands.
    pub fn save_all_then_quit(&mut self) {
        self.quit_after_save = true;
        let before = self.fx.commands.len();
        let dirty: Vec<usize> = (0..self.ws.docs.len())
            .filter(|&d| self.ws.docs[d].dirty)
            .collect();
        for doc in dirty {
            self.save(doc, false);
        }
        // A collection without a file asks where first (Save as): the quit waits for it.
        if self.fx.commands.len() == before && self.fx.open.is_empty() {
            self.quit_after_save = false;
        }
    }

    /// Quits without saving: the drafts of the dropped edits go too.
    pub fn discard_and_quit(&mut self) {
        if let Some(dir) = self.drafts_dir.clone() {
            let paths: Vec<_> = (self.ws.docs.iter())
                .filter(|d| d.dirty && d.persistent)
                .map(|d| d.loaded.path.clone())
                .collect();
            for path in paths {
                self.run(Command::RemoveDraft {
                    dir: dir.clone(),
                    path,
                });
            }
        }
        self.quit_now();
    }

    /// A signal: no question asked; unsaved edits are kept as drafts (offered next time),
    /// then the workbench ends with the signal's exit code.
    pub fn signalled(&mut self, signal: Signal) {
        for doc in 0..self.ws.docs.len() {
            if let Some(c) = self.draft_command(doc) {
                self.run(c);
            }
        }
        self.quitting = true;
        self.run(Command::Exit(signal.exit_code()));
    }
}
