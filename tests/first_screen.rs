//! The workbench's first screen over a big collection file, drawn from its head before the
//! whole is parsed (`cli::first_screen`): cell for cell the screen of the full load, or none.

mod common;

use sigscope::cli::first_screen::{build, load_behind, worth_it, Leftover};
use sigscope::model::{drafts, store};
use sigscope::tui::app::App;
use sigscope::tui::harness::Harness;
use sigscope::tui::session::{self, CollectionState, Selected, Session};
use std::path::{Path, PathBuf};

/// Drafts, history and the config in a folder of the test's own (once per process).
fn isolated() {
    static DATA: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    let data = DATA.get_or_init(|| tempfile::tempdir().unwrap());
    std::env::set_var("SIGSCOPE_DATA_DIR", data.path().join("data"));
    std::env::set_var("SIGSCOPE_CONFIG_DIR", data.path().join("config"));
}

/// 50 folders of 100 requests (about 1.4 MB), a variable written after the folders.
fn big(dir: &Path) -> PathBuf {
    let folders: Vec<_> = (0..50)
        .map(|f| {
            serde_json::json!({"name": format!("folder-{f:02}"), "requests": (0..100).map(|r| {
                let n = f * 100 + r;
                serde_json::json!({"name": format!("req-{n:05}"), "method": "GET",
                    "url": format!("http://127.0.0.1:9/items/{n}"),
                    "headers": [{"name": "Accept", "value": "application/json"}]})
            }).collect::<Vec<_>>()})
        })
        .collect();
    let c = serde_json::json!({"version": 1, "name": "Big", "folders": folders,
        "variables": {"late": "after the folders"}});
    let path = dir.join("big.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&c).unwrap()).unwrap();
    path
}

/// The first frame an app draws at 160×45 (initialized, as the event loop does).
fn frame(mut app: App) -> (String, ratatui::buffer::Buffer) {
    drop(app.init());
    let mut h = Harness::new(app);
    let text = h.screen();
    (text, h.buffer().clone())
}

fn full(dir: &Path, remembered: &Session) -> App {
    let mut app = sigscope::cli::open_workbench(store::load_all(dir).0, None);
    app.set_collections_dir(dir.to_path_buf());
    session::restore(&mut app, remembered);
    app
}

/// Both frames, asserting they are the same cells (text, colours and styles).
fn same(first: App, dir: &Path, remembered: &Session) -> String {
    let (text, cells) = frame(first);
    let (whole_text, whole_cells) = frame(full(dir, remembered));
    assert_eq!(text, whole_text);
    assert!(cells == whole_cells, "same text, other styles");
    text
}

/// The first screen of `dir` at 45 rows.
fn first_at(dir: &Path, remembered: &Session) -> Option<App> {
    build(dir, None, remembered, 45, &mut Leftover::default())
}

fn selected(path: &Path, request: &str) -> Session {
    Session {
        selected: Some(Selected {
            file: path.display().to_string(),
            request: request.into(),
        }),
        ..Default::default()
    }
}

#[test]
fn the_first_screen_of_a_big_file_is_the_screen_of_the_whole() {
    isolated();
    let dir = tempfile::tempdir().unwrap();
    big(dir.path());
    std::fs::write(
        dir.path().join("a-small.json"),
        r#"{"version": 1, "name": "Small", "requests": [{"name": "one", "method": "GET", "url": "http://x/"}]}"#,
    )
    .unwrap();
    assert!(worth_it(dir.path()));
    let none = Session::default();
    // Most of the file is counted, not parsed: 200 requests kept for a screen 45 rows high.
    let path = dir.path().join("big.json");
    let bytes = std::fs::read(&path).unwrap();
    let head = sigscope::model::head::from_bytes(&path, &bytes, 200).unwrap();
    assert_eq!(head.skipped_total(), 4800);
    let first = first_at(dir.path(), &none).expect("a first screen");
    let text = same(first, dir.path(), &none);
    assert!(text.contains("Collections (2, 5001 requests)"), "{text}");
    // The big file read for it is loaded from the same bytes, not read again.
    let mut left = Leftover::default();
    build(dir.path(), None, &none, 45, &mut left).unwrap();
    assert_eq!(left.read.len(), 1);
    let (again, reread) = (
        store::load_all_checked_reusing(dir.path(), left.read),
        store::load_all_checked(dir.path()),
    );
    let parts = |r: &store::Report| {
        (r.loaded.iter())
            .map(|l| (l.path.clone(), l.collection.clone(), l.fingerprint))
            .collect::<Vec<_>>()
    };
    assert_eq!(parts(&again), parts(&reread));
    assert_eq!(again.loaded.len(), 2);
    assert!(text.contains("req-00000"), "{text}");
}

/// A start over a big file that has not changed since the last start reads the head kept
/// then, not the file, and draws the same screen; a changed file is read again.
#[test]
fn an_unchanged_big_file_is_not_read_before_the_first_screen() {
    isolated();
    let dir = tempfile::tempdir().unwrap();
    let path = big(dir.path());
    let none = Session::default();
    let start = |dir: &Path| {
        let mut left = Leftover::default();
        let first = build(dir, None, &none, 45, &mut left).expect("a first screen");
        let read = left.read.len();
        let report = load_behind(dir, left).join().unwrap();
        assert!(report.errors.is_empty());
        (first, read)
    };
    // Written just now: read, and not kept (its times could still match a change to come).
    let (_, read) = start(dir.path());
    assert_eq!(read, 1);
    assert_eq!(start(dir.path()).1, 1);
    // A second later it is kept by the next start's full load (if not by the last one's), and
    // the start after reads no big file before its first screen, which is still the whole's.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    start(dir.path());
    let (first, read) = start(dir.path());
    assert_eq!(read, 0, "the kept head");
    let text = same(first, dir.path(), &none);
    assert!(text.contains("Collections (1, 5000 requests)"), "{text}");
    // Changed: read again, and the screen is the new file's.
    let mut c: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    c["folders"][0]["requests"][0]["name"] = "renamed".into();
    std::fs::write(&path, serde_json::to_vec_pretty(&c).unwrap()).unwrap();
    let (first, read) = start(dir.path());
    assert_eq!(read, 1);
    let text = same(first, dir.path(), &none);
    assert!(text.contains("renamed"), "{text}");
}

#[test]
fn a_small_folder_is_not_worth_a_first_screen() {
    isolated();
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy("collections/demo.json", dir.path().join("demo.json")).unwrap();
    assert!(!worth_it(dir.path()));
}

#[test]
fn a_selection_remembered_deep_in_the_file_waits_for_the_whole() {
    isolated();
    let dir = tempfile::tempdir().unwrap();
    let path = big(dir.path());
    assert!(first_at(dir.path(), &selected(&path, "folder-40/req-04000")).is_none());
    // Near the top, the screen is the whole's, selection included.
    let near = selected(&path, "folder-00/req-00030");
    let first = first_at(dir.path(), &near).expect("a first screen");
    let text = same(first, dir.path(), &near);
    assert!(text.contains("req-00030"), "{text}");
    // A remembered request that no longer exists: only the whole can tell.
    assert!(first_at(dir.path(), &selected(&path, "folder-00/gone")).is_none());
}

#[test]
fn folded_folders_show_the_rows_that_come_up() {
    isolated();
    let dir = tempfile::tempdir().unwrap();
    let path = big(dir.path());
    // Every folder folded: fifty rows, all there (a head keeps every folder).
    let mut folded = Session::default();
    folded.collections.insert(
        path.display().to_string(),
        CollectionState {
            folded_folders: (0..50).map(|f| format!("folder-{f:02}")).collect(),
            ..Default::default()
        },
    );
    let first = first_at(dir.path(), &folded).expect("a first screen");
    let text = same(first, dir.path(), &folded);
    assert!(text.contains("folder-20"), "{text}");
    // The first one folded: the next two folders' 200 requests fill the screen.
    let first_folded = |n: usize| {
        let mut s = folded.clone();
        s.collections.values_mut().next().unwrap().folded_folders =
            (0..n).map(|f| format!("folder-{f:02}")).collect();
        s
    };
    let first = first_at(dir.path(), &first_folded(1)).expect("a first screen");
    same(first, dir.path(), &first_folded(1));
    // The first three folded: the fourth's requests would come up, and the head has none of
    // them (it kept the first 200 in the file): the whole is waited for.
    assert!(first_at(dir.path(), &first_folded(3)).is_none());
}

#[test]
fn a_draft_or_a_bad_file_gives_no_first_screen() {
    isolated();
    let dir = tempfile::tempdir().unwrap();
    let path = big(dir.path());
    // A broken small file beside it: the full load's error is what the screen shows.
    std::fs::write(dir.path().join("broken.json"), "{").unwrap();
    assert!(first_at(dir.path(), &Session::default()).is_none());
    std::fs::remove_file(dir.path().join("broken.json")).unwrap();
    assert!(first_at(dir.path(), &Session::default()).is_some());
    // A big file the full load refuses (an unknown key): no head, no first screen.
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replacen("\"name\": \"Big\"", "\"name\": \"Big\", \"x\": 1", 1),
    )
    .unwrap();
    assert!(first_at(dir.path(), &Session::default()).is_none());
    std::fs::write(&path, &text).unwrap();
    // A draft to restore: only the full load knows what it applies to.
    let loaded = store::load(&path).unwrap();
    drafts::write(&drafts::drafts_dir(), &loaded).unwrap();
    assert!(first_at(dir.path(), &Session::default()).is_none());
    drafts::remove(&drafts::drafts_dir(), &path);
}

#[test]
fn a_selection_remembered_in_another_folder_is_ignored_as_by_the_whole() {
    isolated();
    let dir = tempfile::tempdir().unwrap();
    big(dir.path());
    let elsewhere = selected(Path::new("/somewhere/else.json"), "folder-00/req-00001");
    let first = first_at(dir.path(), &elsewhere).expect("a first screen");
    same(first, dir.path(), &elsewhere);
}

/// The real binary in a terminal: the first screen, then the whole file under it (a request
/// past the head is found), and the next start, remembering that request, waits for the
/// whole and opens on it.
#[test]
fn in_a_real_terminal_the_whole_file_is_there_after_the_first_screen() {
    let dir = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    big(dir.path());
    let cmd = format!(
        "{} --collections {}",
        env!("CARGO_BIN_EXE_sigscope"),
        dir.path().display()
    );
    let d = data.path().to_str().unwrap();
    let env = [
        ("SIGSCOPE_DATA_DIR", d),
        ("SIGSCOPE_CONFIG_DIR", d),
        ("AWS_EC2_METADATA_DISABLED", "true"),
        ("AWS_CONFIG_FILE", "/nonexistent"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent"),
    ];
    let term = common::tmux::Session::start(&cmd, &env, 160, 45);
    term.wait_for("Collections (1, 5000 requests)");
    term.wait_for("req-00000");
    term.send(&["/", "req-04999", "Enter"]);
    let screen = term.wait_for("Request: req-04999");
    assert!(screen.contains("GET    req-04999"), "{screen}");
    term.send(&["q"]);
    term.wait_for("SIGSCOPE-EXITED 0");
    drop(term);
    let session = std::fs::read_to_string(data.path().join("session.json")).unwrap();
    assert!(session.contains("folder-49/req-04999"), "{session}");
    let term = common::tmux::Session::start(&cmd, &env, 160, 45);
    let screen = term.wait_for("Request: req-04999");
    assert!(
        screen.contains("Collections (1, 5000 requests)"),
        "{screen}"
    );
    term.send(&["q"]);
    term.wait_for("SIGSCOPE-EXITED 0");
}
