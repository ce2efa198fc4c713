//! The workbench's first screen over big collection files, drawn before they are parsed
//! whole (the full load runs while the terminal shows it): the big files are read as heads
//! (`model::head`: every key, the first requests, the others counted), the small ones whole,
//! and the app built from them as from the full load, session and all. It is shown only when
//! it is the screen the whole would give: the same selection, and every row a head lacks
//! below the bottom of the screen. The title counts the requests not parsed yet, so it is
//! right too. Anything it cannot vouch for (a draft to restore, a file with an error or a
//! warning, a selection deep in a file) gives no first screen, and the workbench starts as
//! it always did, after the full load. A request past a head is checked for JSON syntax
//! only: if the full load then refuses the file, the next frame (milliseconds later) shows
//! its error in place of the collection.

use crate::model::{drafts, head, store};
use crate::tui::app::App;
use crate::tui::session::{self, Session};
use std::path::{Path, PathBuf};

/// Files above this size are read as heads.
const BIG_FILE: u64 = 256 * 1024;

/// Whether `dir` holds a file big enough for a first screen to be worth drawing (a stat each).
pub fn worth_it(dir: &Path) -> bool {
    store::collection_files(dir)
        .iter()
        .any(|p| std::fs::metadata(p).is_ok_and(|m| m.len() > BIG_FILE))
}

/// The first screen of the workbench over `dir`, for a terminal `rows` high; `None` when it
/// might differ from the one the full load gives. The big files it reads are left in `read`,
/// for the full load (`store::load_all_checked_reusing`).
pub fn build(
    dir: &Path,
    theme: Option<&str>,
    remembered: &Session,
    rows: usize,
    read: &mut Vec<(PathBuf, Vec<u8>)>,
) -> Option<App> {
    let drafts_dir = drafts::drafts_dir();
    // Enough requests for the screen, wherever the remembered selection puts it.
    let budget = (rows * 4).max(200);
    let mut loaded = Vec::new();
    let mut lacking = Vec::new();
    let mut unloaded = 0;
    // The files read as heads.
    let mut heads = Vec::new();
    for path in store::collection_files(dir) {
        if drafts::exists(&drafts_dir, &path) {
            return None;
        }
        let big = std::fs::metadata(&path).ok()?.len() > BIG_FILE;
        if big {
            let bytes = store::read_collection(&path).ok()?;
            let h = head::from_bytes(&path, &bytes, budget);
            read.push((path.clone(), bytes));
            let h = h?;
            heads.push(path.display().to_string());
            unloaded += h.skipped_total();
            lacking.extend(h.skipped.into_iter().map(|(at, _)| (loaded.len(), at)));
            loaded.push(h.loaded);
        } else {
            match store::load_checked(&path) {
                Ok((l, warnings)) if warnings.is_empty() => loaded.push(l),
                _ => return None,
            }
        }
    }
    let mut app = super::open_workbench(loaded, theme);
    app.set_collections_dir(dir.to_path_buf());
    session::restore(&mut app, remembered);
    // A request remembered in a big file may be past its head: then the whole must find it.
    // (One in another folder's file, or in a file read whole, is found or not as by the
    // full load.)
    let in_head = (remembered.selected.as_ref()).is_some_and(|s| heads.contains(&s.file));
    if in_head && session::capture(&app).selected != remembered.selected {
        return None;
    }
    if let Some(row) = app.ws.first_unloaded_row(&lacking) {
        if row < app.selected + rows {
            return None;
        }
    }
    app.ws.unloaded = unloaded;
    Some(app)
}

/// The full load of `dir` on a thread of its own, at a lower priority, started once the first
/// screen is written: the terminal needs a core to show it (on a 2-core machine the load
/// otherwise delays it by the load's own 10–20 ms). Files the first screen read are reused.
pub fn load_behind(
    dir: &Path,
    read: Vec<(PathBuf, Vec<u8>)>,
) -> std::thread::JoinHandle<store::Report> {
    let dir = dir.to_path_buf();
    std::thread::spawn(move || {
        // This thread only: Linux applies a thread id's nice value to the thread alone.
        #[cfg(target_os = "linux")]
        let _ = rustix::process::setpriority_process(Some(rustix::thread::gettid()), 10);
        store::load_all_checked_reusing(&dir, read)
    })
}
