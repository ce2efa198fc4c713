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
//!
//! The heads are read on a thread of their own (`Behind`) while the main thread sets up the
//! terminal.

use crate::model::head_cache::{self, Stamp};
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
/// might differ from the one the full load gives. What it read is left in `left`, for the
/// full load (`load_behind`).
pub fn build(
    dir: &Path,
    theme: Option<&str>,
    remembered: &Session,
    rows: usize,
    left: &mut Leftover,
) -> Option<App> {
    let heads = read_heads(dir, rows);
    *left = heads.left;
    screen(heads.files?, dir, theme, remembered, rows)
}

/// What the first screen read, for the full load: the big files read whole (not those whose
/// head was kept from an earlier start, `model::head_cache`), and the stamps of those that
/// can be kept once the full load has taken them.
#[derive(Default)]
pub struct Leftover {
    pub read: Vec<(PathBuf, Vec<u8>)>,
    stamps: Vec<(PathBuf, Stamp)>,
    budget: usize,
}

/// What the first screen is drawn from: the files of a folder, the big ones as heads. Plain
/// data, so it can be read on another thread while the terminal is set up.
struct Heads {
    /// `None` when some file rules a first screen out (a draft to restore, an error, a
    /// warning).
    files: Option<Files>,
    /// What was read, for the full load, whatever became of the heads.
    left: Leftover,
}

struct Files {
    loaded: Vec<crate::model::Loaded>,
    /// (index in `loaded`, folder path) of every container with requests past its head.
    lacking: Vec<(usize, Vec<usize>)>,
    /// Requests past the heads, in all.
    unloaded: usize,
    /// The files read as heads, as the session names them.
    heads: Vec<String>,
}

/// The heads of `dir`'s collection files, enough of them for a screen `rows` high wherever
/// the remembered selection puts it.
fn read_heads(dir: &Path, rows: usize) -> Heads {
    // Enough requests for the screen, wherever the remembered selection puts it.
    let budget = (rows * 4).max(200);
    let mut left = Leftover {
        budget,
        ..Default::default()
    };
    let files = read_files(dir, budget, &mut left);
    Heads { files, left }
}

fn read_files(dir: &Path, budget: usize, left: &mut Leftover) -> Option<Files> {
    let drafts_dir = drafts::drafts_dir();
    let heads_dir = head_cache::heads_dir();
    let mut f = Files {
        loaded: Vec::new(),
        lacking: Vec::new(),
        unloaded: 0,
        heads: Vec::new(),
    };
    for path in store::collection_files(dir) {
        if drafts::exists(&drafts_dir, &path) {
            return None;
        }
        let big = std::fs::metadata(&path).ok()?.len() > BIG_FILE;
        if big {
            let h = match head_cache::get(&heads_dir, &path, budget) {
                Some(h) => h,
                None => {
                    let (bytes, stamp) =
                        head_cache::read_stamped(&path, || store::read_collection(&path));
                    let bytes = bytes.ok()?;
                    let h = head::from_bytes(&path, &bytes, budget);
                    left.read.push((path.clone(), bytes));
                    if let (Some(stamp), Some(_)) = (stamp, &h) {
                        left.stamps.push((path.clone(), stamp));
                    }
                    h?
                }
            };
            f.heads.push(path.display().to_string());
            f.unloaded += h.skipped_total();
            let at = f.loaded.len();
            f.lacking
                .extend(h.skipped.into_iter().map(|(path, _)| (at, path)));
            f.loaded.push(h.loaded);
        } else {
            match store::load_checked(&path) {
                Ok((l, warnings)) if warnings.is_empty() => f.loaded.push(l),
                _ => return None,
            }
        }
    }
    Some(f)
}

/// The app over heads read by `read_heads`, where the last run left off; `None` unless its
/// screen is the one the whole would give.
fn screen(
    f: Files,
    dir: &Path,
    theme: Option<&str>,
    remembered: &Session,
    rows: usize,
) -> Option<App> {
    let mut app = super::open_workbench(f.loaded, theme);
    app.set_collections_dir(dir.to_path_buf());
    session::restore(&mut app, remembered);
    // A request remembered in a big file may be past its head: then the whole must find it.
    // (One in another folder's file, or in a file read whole, is found or not as by the
    // full load.)
    let in_head = (remembered.selected.as_ref()).is_some_and(|s| f.heads.contains(&s.file));
    if in_head && session::capture(&app).selected != remembered.selected {
        return None;
    }
    if let Some(row) = app.ws.first_unloaded_row(&f.lacking) {
        if row < app.selected + rows {
            return None;
        }
    }
    app.ws.unloaded = f.unloaded;
    Some(app)
}

/// `read_heads` on a thread of its own, started before the terminal is set up, and the
/// screen built from them once the terminal is ready (`Behind::screen`).
pub struct Behind {
    thread: std::thread::JoinHandle<Heads>,
    rows: usize,
}

impl Behind {
    pub fn start(dir: &Path, rows: usize) -> Behind {
        let dir = dir.to_path_buf();
        let thread = std::thread::spawn(move || read_heads(&dir, rows));
        step_aside();
        Behind { thread, rows }
    }

    /// The first screen (as `build`), and what was read for the full load.
    pub fn screen(
        self,
        dir: &Path,
        theme: Option<&str>,
        remembered: &Session,
    ) -> (Option<App>, Leftover) {
        let heads = (self.thread.join()).unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let app = (heads.files).and_then(|f| screen(f, dir, theme, remembered, self.rows));
        (app, heads.left)
    }
}

/// Lets a thread just spawned start at once. Linux queues a new thread on its parent's CPU,
/// and a small virtual machine's idle CPU takes it only at the next load balancing, often
/// after the parent has done the work the thread was to do beside it (2 ms, measured on
/// 2 cores): the parent moves to another CPU it may use, then takes back its own mask, and
/// the thread runs where the parent was (within 0.2 ms). The move costs about 0.1 ms.
fn step_aside() {
    #[cfg(target_os = "linux")]
    {
        use rustix::thread::{sched_getaffinity, sched_getcpu, sched_setaffinity, CpuSet};
        let Ok(mask) = sched_getaffinity(None) else {
            return;
        };
        let here = sched_getcpu();
        let Some(other) = (0..CpuSet::MAX_CPU).find(|&c| c != here && mask.is_set(c)) else {
            return;
        };
        let mut there = CpuSet::new();
        there.set(other);
        if sched_setaffinity(None, &there).is_ok() {
            let _ = sched_setaffinity(None, &mask);
        }
    }
}

/// The full load of `dir` on a thread of its own, at a lower priority, started once the first
/// screen is written: the terminal needs a core to show it (on a 2-core machine the load
/// otherwise delays it by the load's own 10–20 ms). Files the first screen read are reused.
/// Once the whole folder has loaded without an error or a warning, the heads of the big files
/// read are kept for the next start (`model::head_cache`).
pub fn load_behind(dir: &Path, left: Leftover) -> std::thread::JoinHandle<store::Report> {
    let dir = dir.to_path_buf();
    std::thread::spawn(move || {
        // This thread only: Linux applies a thread id's nice value to the thread alone.
        #[cfg(target_os = "linux")]
        let _ = rustix::process::setpriority_process(Some(rustix::thread::gettid()), 10);
        let Leftover {
            read,
            stamps,
            budget,
        } = left;
        // Parsed again here, on this thread, rather than copied on the way to the first
        // screen; only for files that may be kept.
        let heads: Vec<_> = (stamps.into_iter())
            .filter(|(_, stamp)| stamp.keepable())
            .filter_map(|(path, stamp)| {
                let (_, bytes) = read.iter().find(|(p, _)| *p == path)?;
                Some((stamp, head::from_bytes(&path, bytes, budget)?))
            })
            .collect();
        let report = store::load_all_checked_reusing(&dir, read);
        if report.errors.is_empty() && report.warnings.is_empty() {
            let heads_dir = head_cache::heads_dir();
            for (stamp, h) in &heads {
                // A head not kept is parsed again next time, nothing more.
                let _ = head_cache::put(&heads_dir, stamp, h, budget);
            }
        }
        report
    })
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    /// The move leaves the process with the CPUs it had: a pinned workbench would keep its
    /// requests and full load on one core.
    #[test]
    fn stepping_aside_gives_back_the_cpu_mask() {
        use rustix::thread::sched_getaffinity;
        let before = sched_getaffinity(None).unwrap();
        super::step_aside();
        assert_eq!(sched_getaffinity(None).unwrap(), before);
    }
}
