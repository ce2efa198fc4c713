//! Collections as files, from inside the workbench: a new one (a valid minimal collection,
//! written at once), one imported from a file (whatever the importers read), the demo (the
//! local gateway started in-process), and deleting one (its file moved to the data folder's
//! trash, never just lost).

use super::State;
use crate::model::store::{self, collections_dir};
use crate::model::workspace::{Doc, Node};
use crate::model::{Collection, Loaded};
use crate::tui::messages::{Command, Level, Message, Task, TextPurpose};
use crate::tui::overlays::prompt::TextPrompt;
use crate::tui::workbench::WORKBENCH;
use std::path::{Path, PathBuf};

/// An import finished in the background: the collection and what was not carried over.
pub struct Imported {
    pub from: PathBuf,
    pub result: Result<(Collection, Vec<String>), String>,
}

/// The demo's gateway is up.
pub struct DemoStarted {
    pub server: crate::mock::MockServer,
}

/// `Pets & Co` → `pets-co`.
pub fn slug(name: &str) -> String {
    let s: String = name
        .to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if s.is_empty() {
        "collection".into()
    } else {
        s
    }
}

/// A file name in `dir` not used yet: `pets.json`, `pets-2.json`...
fn free_path(dir: &Path, name: &str, taken: &[PathBuf]) -> PathBuf {
    let base = slug(name);
    (1..)
        .map(|n| match n {
            1 => dir.join(format!("{base}.json")),
            n => dir.join(format!("{base}-{n}.json")),
        })
        .find(|p| !p.exists() && !taken.contains(p))
        .expect("some name is free")
}

/// The demo's own profiles only: other collections keep their credentials.
fn demo_profiles(profile: Option<&str>) -> Option<crate::aws::credentials::Credentials> {
    match profile {
        Some(p) if p.starts_with("demo") => crate::mock::demo_credentials(Some(p)),
        _ => None,
    }
}

impl State {
    /// Where new collections go: the folder the workbench opened, else the usual one.
    pub fn collections_folder(&self) -> PathBuf {
        self.collections_dir
            .clone()
            .unwrap_or_else(|| collections_dir(None))
    }

    pub fn set_collections_dir(&mut self, dir: PathBuf) {
        self.collections_dir = Some(dir);
    }

    /// Asks for a new collection's name.
    pub fn new_collection_prompt(&mut self) {
        let dir = self.collections_folder();
        let p = TextPrompt::new(
            WORKBENCH,
            TextPurpose::NewCollection,
            "New collection: its name",
            "",
        )
        .labels("creates it", "cancels")
        .note(format!(
            "a file in {}",
            crate::text::visible_line(&dir.display().to_string())
        ));
        self.open(p);
    }

    /// Asks for a file to import (whatever the importers recognise), or `aws`: the APIs of
    /// an AWS account, as `sigscope import aws`.
    pub fn import_prompt(&mut self) {
        let p = TextPrompt::new(
            WORKBENCH,
            TextPurpose::Import,
            "Import: a file's path, or `aws` for an AWS account",
            "",
        )
        .labels("imports", "cancels")
        .note("Postman, Insomnia, OpenAPI, HAR, .http, Bruno, curl".into());
        self.open(p);
    }

    /// Opens a collection as a new file beside the others (written at once) and selects it.
    pub fn add_collection(&mut self, collection: Collection) {
        let dir = self.collections_folder();
        let taken: Vec<PathBuf> = self.ws.docs.iter().map(|d| d.loaded.path.clone()).collect();
        let path = free_path(&dir, &collection.name, &taken);
        let doc = self.ws.add_doc(Doc {
            loaded: Loaded {
                path,
                collection,
                fingerprint: [0; 32],
            },
            persistent: true,
            dirty: true,
            env: None,
        });
        self.seqs.push(1);
        self.select_node(&Node::Collection(doc));
        self.save(doc, false);
    }

    /// A new collection named `name`.
    pub fn create_collection(&mut self, name: &str) {
        let name = name.trim();
        if name.is_empty() {
            return self.notify(Level::Error, "not created: a collection needs a name");
        }
        self.add_collection(Collection::empty(name));
    }

    /// Imports a file in the background; the reply adds the collection.
    pub fn import_file(&mut self, path: &str) {
        let path = path.trim();
        if path.is_empty() {
            return self.notify(Level::Error, "nothing imported: the path is empty");
        }
        let from = PathBuf::from(expand_home(path));
        self.notify(
            Level::Info,
            format!("importing {}…", crate::text::visible_line(path)),
        );
        self.run(Command::Task(Task::new(async move {
            let f = from.clone();
            let result = crate::tui::tasks::blocking(move || import(&f)).await?;
            Some(Message::Reply(Box::new(Imported { from, result })))
        })));
    }

    pub fn imported(&mut self, done: Imported) {
        let from = done.from.display().to_string();
        match done.result {
            Err(e) => self.notify(Level::Error, format!("not imported: {e}")),
            Ok((collection, warnings)) => {
                let n = collection.walk().len();
                self.add_collection(collection);
                let mut text = format!(
                    "imported {n} requests from {}",
                    crate::text::visible_line(&from)
                );
                if !warnings.is_empty() {
                    text.push_str(&format!(
                        "; not carried over: {}",
                        crate::text::visible_line(&warnings.join("; "))
                    ));
                }
                let level = match warnings.is_empty() {
                    true => Level::Info,
                    false => Level::Warning,
                };
                self.notify(level, text);
            }
        }
    }

    /// Starts the local gateway and opens the demo collection against it (its requests sign
    /// with the gateway's demo keys; nothing else does).
    pub fn open_demo(&mut self) {
        self.notify(Level::Info, "starting the local gateway…");
        self.run(Command::Task(Task::new(async {
            let server = crate::mock::start(crate::mock::MockConfig::default(), 0).await;
            Some(match server {
                Ok(server) => Message::Reply(Box::new(DemoStarted { server })),
                Err(e) => Message::Reply(Box::new(format!("the local gateway did not start: {e}"))),
            })
        })));
    }

    pub fn demo_started(&mut self, started: DemoStarted) {
        let collection: Collection =
            serde_json::from_str(include_str!("../../../collections/demo.json"))
                .expect("the demo collection parses");
        self.overrides
            .insert("baseUrl".into(), started.server.base_url());
        self.keep_alive.push(Box::new(started.server));
        if self.fixed_credentials.is_none() {
            self.fixed_credentials = Some(demo_profiles);
        }
        let doc = self.ws.add_doc(Doc {
            loaded: Loaded {
                path: PathBuf::new(),
                collection,
                fingerprint: [0; 32],
            },
            persistent: false,
            dirty: false,
            env: None,
        });
        self.seqs.push(0);
        let first = (self.ws.rows.iter())
            .position(|r| matches!(r.node, Node::Request(ref q) if q.doc == doc));
        if let Some(i) = first {
            self.selected = i;
        }
        self.selection_changed();
        let key = self.key(crate::tui::keymap::Action::Send).to_string();
        self.notify(
            Level::Info,
            format!("the demo runs against the local gateway: {key} sends the selected request"),
        );
    }

    /// Closes a collection; its file (if it has one) goes to the trash folder.
    pub fn delete_collection(&mut self, doc: usize) {
        let Some(d) = self.ws.remove_doc(doc) else {
            return;
        };
        if doc < self.seqs.len() {
            self.seqs.remove(doc);
        }
        self.selected = self.selected.min(self.ws.rows.len().saturating_sub(1));
        self.selection_changed();
        let name = crate::text::visible_line(&d.loaded.collection.name).into_owned();
        if !d.persistent {
            return self.notify(Level::Info, format!("closed '{name}'"));
        }
        let trash = self
            .drafts_dir
            .as_ref()
            .and_then(|p| p.parent())
            .map(|data| data.join("trash"))
            .unwrap_or_else(|| crate::model::history::data_dir().join("trash"));
        if let Some(dir) = self.drafts_dir.clone() {
            self.run(Command::RemoveDraft {
                dir,
                path: d.loaded.path.clone(),
            });
        }
        let path = d.loaded.path.clone();
        self.run(Command::Task(Task::new(async move {
            let result = crate::tui::tasks::blocking(move || to_trash(&path, &trash)).await?;
            Some(Message::Reply(Box::new(match result {
                Ok(kept) => format!("deleted '{name}'; its file is kept in {}", kept.display()),
                Err(e) => format!("'{name}' was closed but its file was not moved: {e}"),
            })))
        })));
    }
}

/// `~/x` → `$HOME/x`.
fn expand_home(path: &str) -> String {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => Path::new(&home).join(rest).display().to_string(),
        _ => path.to_string(),
    }
}

/// Moves a deleted collection's file into `trash`, stamped; returns where it went.
fn to_trash(path: &Path, trash: &Path) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(trash)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "collection.json".into());
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default();
    let kept = trash.join(format!("{stamp}-{name}"));
    if std::fs::rename(path, &kept).is_err() {
        // Another file system: copy, then remove.
        std::fs::copy(path, &kept)?;
        std::fs::remove_file(path)?;
    }
    Ok(kept)
}

/// Reads a file to import: a sigscope collection as it is (loaded, so checked), else
/// whatever the importers recognise (`import::import_any`: Postman, Insomnia, OpenAPI and
/// Swagger, HAR, .http files, a Bruno folder, curl commands).
fn import(path: &Path) -> Result<(Collection, Vec<String>), String> {
    match crate::import::detect(path) {
        Ok(crate::import::Kind::Sigscope) => {
            let loaded = store::load(path).map_err(|e| e.to_string())?;
            Ok((loaded.collection, Vec::new()))
        }
        _ => crate::import::import_any(path)
            .map(|i| (i.collection, i.warnings))
            .map_err(|e| e.to_string()),
    }
}
