//! Collection files changed outside the workbench (a `git pull`, another editor): the loop
//! watches the open files (`Command::Watch`, a stat a second per file, no message while
//! nothing changes); a change is read off the loop and compared with what the workbench
//! holds. Our own save is no change. A collection without unsaved edits is reloaded at
//! once; one with edits asks: reload (drop them) or keep them (a save then asks before
//! overwriting the file).

use super::State;
use crate::model::Loaded;
use crate::tui::keymap::Action;
use crate::tui::messages::{Command, Confirm, Level, Message, Task};
use crate::tui::overlays::confirm::Confirmation;
use crate::tui::workbench::WORKBENCH;
use std::path::PathBuf;

/// A changed file, read again.
pub struct OnDisk {
    pub path: PathBuf,
    pub result: Result<Loaded, String>,
}

impl State {
    /// The files to watch, when they differ from those watched.
    pub(crate) fn watch_command(&mut self) -> Option<Command> {
        let paths: Vec<PathBuf> = (self.ws.docs.iter())
            .filter(|d| d.persistent)
            .map(|d| d.loaded.path.clone())
            .collect();
        if paths == self.watched {
            return None;
        }
        self.watched = paths.clone();
        Some(Command::Watch(paths))
    }

    /// The loop saw a file change: read it off the loop.
    pub fn file_changed(&mut self, path: PathBuf) {
        self.run(Command::Task(Task::new(async move {
            let p = path.clone();
            let result = crate::tui::tasks::blocking(move || {
                crate::model::store::load(&p).map_err(|e| e.to_string())
            })
            .await?;
            Some(Message::Reply(Box::new(OnDisk { path, result })))
        })));
    }

    /// The file as it is on disk now, against what the workbench holds.
    pub fn on_disk(&mut self, disk: OnDisk) {
        let Some(doc) =
            (self.ws.docs.iter()).position(|d| d.persistent && d.loaded.path == disk.path)
        else {
            return;
        };
        let name = disk.path.display().to_string();
        let loaded = match disk.result {
            Ok(l) => l,
            // Half-written by another program, or broken: say so, keep what we have.
            Err(e) => {
                return self.notify(
                    Level::Warning,
                    format!(
                    "{name} changed on disk and does not load ({e}); the workbench keeps its copy"
                ),
                )
            }
        };
        let d = &self.ws.docs[doc];
        if loaded.fingerprint == d.loaded.fingerprint
            || self.own_writes.contains(&loaded.fingerprint)
        {
            return; // our own save (maybe still landing), or a touch
        }
        if !d.dirty {
            self.reloaded(doc, Ok(loaded));
            return self.notify(
                Level::Info,
                format!(
                    "{} changed on disk: reloaded",
                    crate::text::visible_line(&name)
                ),
            );
        }
        self.open(
            Confirmation::new(
                WORKBENCH,
                Confirm::ChangedOnDisk(doc),
                format!("{name} changed on disk, and it has unsaved edits here."),
            )
            .answer(Action::Reload, "reload it (drop your edits)")
            .answer(Action::Keep, "keep your edits"),
        );
    }
}
