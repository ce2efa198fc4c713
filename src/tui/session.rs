//! What the workbench remembers between runs: the selected request, folded collections and
//! folders, each collection's environment. Not the `P` profile override: it is for the run
//! it was chosen in, so the next start signs as the requests and environments say. Kept by
//! name (file, folder and request names), so an edit to a collection file elsewhere does not
//! point it at the wrong request; what no longer exists is ignored. Written atomically on quit to
//! `<data dir>/session.json`; a missing or unreadable file starts fresh.

use super::app::App;
use super::state::State;
use crate::model::workspace::{Node, ReqRef};
use crate::model::{Collection, Folder};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// Per collection file (its path as opened).
    #[serde(default)]
    pub collections: BTreeMap<String, CollectionState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected: Option<Selected>,
}

#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct CollectionState {
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub folded: bool,
    /// Folded folders as `outer/inner` name paths.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub folded_folders: BTreeSet<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Selected {
    pub file: String,
    /// `folder/sub/name`, as history names requests.
    pub request: String,
}

pub fn path() -> PathBuf {
    crate::model::history::data_dir().join("session.json")
}

/// The session in `path`; nothing remembered when it is missing or unreadable.
pub fn load(path: &Path) -> Session {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

pub fn save(path: &Path, session: &Session) -> std::io::Result<()> {
    let text = serde_json::to_string_pretty(session).expect("a session always serializes");
    // Unchanged: no write (and no fsync) on the way out.
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    crate::model::store::write_atomic(path, text.as_bytes())
}

/// Every folder of a collection: its index path and its name path.
fn folders(c: &Collection) -> Vec<(Vec<usize>, String)> {
    fn walk(out: &mut Vec<(Vec<usize>, String)>, fs: &[Folder], at: &[usize], name: &str) {
        for (i, f) in fs.iter().enumerate() {
            let mut p = at.to_vec();
            p.push(i);
            let n = if name.is_empty() {
                f.name.clone()
            } else {
                format!("{name}/{}", f.name)
            };
            walk(out, &f.folders, &p, &n);
            out.push((p, n));
        }
    }
    let mut out = Vec::new();
    walk(&mut out, &c.folders, &[], "");
    out
}

/// What the app shows now, for collections that have a file (not the built-in demo).
pub fn capture(app: &App) -> Session {
    let app: &State = app;
    let mut s = Session::default();
    for (d, doc) in app.ws.docs.iter().enumerate() {
        if !doc.persistent {
            continue;
        }
        let state = CollectionState {
            folded: app.ws.collapsed.contains(&Node::Collection(d)),
            folded_folders: folders(&doc.loaded.collection)
                .into_iter()
                .filter(|(p, _)| app.ws.collapsed.contains(&Node::Folder(d, p.clone())))
                .map(|(_, n)| n)
                .collect(),
            environment: doc.env.clone(),
        };
        if state != CollectionState::default() {
            s.collections
                .insert(doc.loaded.path.display().to_string(), state);
        }
    }
    s.selected = app.selected_request().and_then(|r: &ReqRef| {
        let doc = app.ws.docs.get(r.doc).filter(|d| d.persistent)?;
        Some(Selected {
            file: doc.loaded.path.display().to_string(),
            request: app.ws.path_name(r)?,
        })
    });
    s
}

/// Applies a remembered session: call before `App::init`, so that the identity is resolved
/// for the remembered request.
pub fn restore(app: &mut App, s: &Session) {
    let app: &mut State = app;
    let before = app.ws.rows.get(app.selected).map(|r| r.node.clone());
    let folded = app.ws.collapsed.len();
    for (d, doc) in app.ws.docs.iter_mut().enumerate() {
        let Some(state) = s.collections.get(&doc.loaded.path.display().to_string()) else {
            continue;
        };
        let c = &doc.loaded.collection;
        if let Some(env) = &state.environment {
            if c.environments.contains_key(env) {
                doc.env = Some(env.clone());
            }
        }
        if state.folded {
            app.ws.collapsed.insert(Node::Collection(d));
        }
        for (p, n) in folders(c) {
            if state.folded_folders.contains(&n) {
                app.ws.collapsed.insert(Node::Folder(d, p));
            }
        }
    }
    // The rows change only if something was folded (5,000 of them are not rebuilt for nothing).
    if app.ws.collapsed.len() != folded {
        app.ws.rebuild();
    }
    let ws = &app.ws;
    let remembered = s.selected.as_ref().and_then(|sel| {
        let doc = ws
            .docs
            .iter()
            .position(|d| d.loaded.path.display().to_string() == sel.file)?;
        ws.rows.iter().position(|row| match &row.node {
            Node::Request(r) => r.doc == doc && ws.path_is(r, &sel.request),
            _ => false,
        })
    });
    // Else the request selected before, or the first one still in view.
    app.selected = remembered
        .or_else(|| before.and_then(|n| ws.row_of(&n)))
        .or_else(|| {
            ws.rows
                .iter()
                .position(|r| matches!(r.node, Node::Request(_)))
        })
        .unwrap_or(0);
    app.refresh_preview();
}
