//! A workbench to live in (issue 14), whole-app through the harness, continued: what it
//! keeps and shows — files changed elsewhere, responses kept per request and from history,
//! history by request id (shared with `sigscope run`), exchanges compared, search and jq in
//! the response, and a body too large for memory read from disk.

#![recursion_limit = "256"]

mod common;

use crossterm::event::KeyCode;
use sigscope::mock::{self, MockConfig};
use sigscope::tui::app::{Action, App, Message, RequestState};
use sigscope::tui::harness::Harness;
use sigscope::tui::overlays::confirm::CONFIRM;
use sigscope::tui::panes::response::ResponsePane;
use sigscope::tui::panes::{history, response};

fn open_files(paths: &[&std::path::Path]) -> Harness {
    let docs = paths
        .iter()
        .map(|p| sigscope::model::workspace::Doc {
            loaded: sigscope::model::load(p).unwrap(),
            persistent: true,
            dirty: false,
            env: None,
        })
        .collect();
    Harness::new(App::with_docs(docs))
}

fn status_of(app: &Harness) -> Option<u16> {
    match app.request_state() {
        RequestState::Done { exchange, .. } => Some(exchange.response.status),
        _ => None,
    }
}

/// Edits made to a collection file elsewhere: reloaded when nothing is unsaved; with
/// unsaved edits, a question (reload, or keep them).
#[tokio::test]
async fn a_file_changed_elsewhere_is_reloaded_or_asked_about() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.json");
    let v1 = r#"{"version": 1, "name": "C", "requests": [{"name": "one", "method": "GET", "url": "https://x/1"}]}"#;
    std::fs::write(&path, v1).unwrap();
    let mut app = open_files(&[&path]);
    std::fs::write(&path, v1.replace("one", "uno")).unwrap();
    app.send(Message::FileChanged(path.clone())).await;
    assert_eq!(app.workspace().rows[1].label, "uno", "reloaded");
    assert!(app.notice().unwrap().contains("changed on disk: reloaded"));
    // With an unsaved edit: asked.
    app.act(Action::Rename).await;
    app.keys("mine").await;
    app.key(KeyCode::Enter).await;
    std::fs::write(&path, v1.replace("one", "theirs")).unwrap();
    app.send(Message::FileChanged(path.clone())).await;
    assert_eq!(app.overlay(), Some(CONFIRM));
    assert!(app
        .screen()
        .contains("changed on disk, and it has unsaved edits"));
    app.key(KeyCode::Char('k')).await; // keep
    assert_eq!(app.workspace().rows[1].label, "mine");
    std::fs::write(&path, v1.replace("one", "again")).unwrap();
    app.send(Message::FileChanged(path.clone())).await;
    app.key(KeyCode::Char('r')).await; // reload
    assert_eq!(app.workspace().rows[1].label, "again");
    // Our own save is no change.
    app.act(Action::Rename).await;
    app.keys("saved").await;
    app.key(KeyCode::Enter).await;
    app.act(Action::Save).await;
    app.send(Message::FileChanged(path.clone())).await;
    assert_eq!(app.overlay(), None);
}

/// Each request keeps its last response while the app runs; with nothing kept, the latest
/// exchange from history is shown (what a restart shows).
#[tokio::test]
async fn each_request_keeps_its_response_and_shows_its_latest_history() {
    let server = mock::start(MockConfig::default(), 0).await.unwrap();
    let history = tempfile::tempdir().unwrap();
    let mut app = Harness::demo(&server.base_url());
    app.app_mut().set_history_dir(history.path().to_path_buf());
    app.act(Action::Send).await;
    assert_eq!(status_of(&app), Some(200));
    app.select("Wrong secret key").await;
    app.act(Action::Send).await;
    assert_eq!(status_of(&app), Some(403));
    app.select("List pets").await;
    assert_eq!(status_of(&app), Some(200), "kept while the app runs");
    // A new app over the same history: the latest exchange is shown.
    for _ in 0..50 {
        if std::fs::read_dir(history.path()).unwrap().count() >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let mut again = Harness::demo(&server.base_url());
    again
        .app_mut()
        .set_history_dir(history.path().to_path_buf());
    let cmds = again.update(Message::Action(Action::Top));
    again.drive(cmds).await;
    let init = again.app_mut().init();
    again.drive(init).await;
    again.select("Wrong secret key").await;
    let RequestState::Done {
        from_history,
        exchange,
        ..
    } = again.request_state()
    else {
        panic!("{:?}", again.request_state())
    };
    assert!(from_history.is_some());
    assert_eq!(exchange.response.status, 403);
}

/// Two exchanges of a request compared: status, headers and body as a diff.
#[tokio::test]
async fn two_exchanges_are_compared_as_a_diff() {
    let server = mock::start(MockConfig::default(), 0).await.unwrap();
    let history = tempfile::tempdir().unwrap();
    let mut app = Harness::demo(&server.base_url());
    app.app_mut().set_history_dir(history.path().to_path_buf());
    app.select("Echo with a tricky query").await;
    app.act(Action::Send).await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    app.act(Action::Send).await;
    for _ in 0..50 {
        if std::fs::read_dir(history.path()).unwrap().count() >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    app.select("List pets").await;
    app.select("Echo with a tricky query").await;
    app.focus_on(history::ID).await;
    app.key(KeyCode::Char('c')).await;
    let RequestState::Compared { diff, .. } = app.request_state() else {
        panic!("{:?}", app.request_state())
    };
    assert_eq!(diff.status, (200, 200));
    assert!(
        diff.headers.iter().any(|l| l.text.starts_with("date:")),
        "{:?}",
        diff.headers
    );
    let s = app.screen();
    assert!(
        s.contains("Compare two exchanges") && s.contains("status: 200 (the same)"),
        "{s}"
    );
    app.key(KeyCode::Esc).await;
    assert!(matches!(app.request_state(), RequestState::Done { .. }));
}

/// Search says "k of n", keeps lines of context above the match; clearing a jq filter
/// goes back to where the body was.
#[tokio::test]
async fn search_counts_matches_and_clearing_jq_keeps_the_place() {
    let server = mock::start(MockConfig::default(), 0).await.unwrap();
    let mut app = Harness::demo(&server.base_url());
    app.act(Action::Send).await;
    app.focus_on(response::ID).await;
    app.act(Action::Search).await;
    app.keys("\"type\"").await;
    app.key(KeyCode::Enter).await;
    let view = app.pane::<ResponsePane>().unwrap().view().clone();
    assert!(view.matches.len() >= 2, "{:?}", view.matches);
    assert_eq!(view.current, Some(0));
    assert!(app
        .notice()
        .unwrap()
        .contains(&format!("1 of {}", view.matches.len())));
    app.key(KeyCode::Char('n')).await;
    let view = app.pane::<ResponsePane>().unwrap().view().clone();
    assert_eq!(view.current, Some(1));
    assert_eq!(
        view.scroll,
        view.matches[1].saturating_sub(3),
        "context above"
    );
    assert!(app
        .screen()
        .contains(&format!("2 of {}", view.matches.len())));
    let before = view.scroll;
    app.act(Action::JqFilter).await;
    app.keys(".[0]").await;
    app.key(KeyCode::Enter).await;
    app.act(Action::JqFilter).await;
    app.ctrl('u').await;
    app.key(KeyCode::Enter).await;
    assert_eq!(app.pane::<ResponsePane>().unwrap().view().scroll, before);
}

/// History is filed under the request's id: a rename and a move keep it, and `sigscope run`
/// (the CLI, another process) and the workbench show the same history.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_follows_the_request_id_across_renames_moves_and_the_cli() {
    let server = mock::start(MockConfig::default(), 0).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let path = dir.path().join("c.json");
    let c = serde_json::json!({"version": 1, "name": "C",
        "variables": {"baseUrl": server.base_url()},
        "folders": [{"name": "Other"}],
        "requests": [{"name": "List pets", "method": "GET", "url": "{{baseUrl}}/test/pets",
            "auth": {"type": "aws-sigv4", "region": "us-east-1", "service": "execute-api"}}]});
    std::fs::write(&path, serde_json::to_string_pretty(&c).unwrap()).unwrap();
    // The CLI runs the collection (a file without ids: the id is derived, as the workbench's).
    let out = common::demo_env(&mut common::sigscope())
        .env("SIGSCOPE_DATA_DIR", &data)
        .args(["run"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{:?}", common::text(&out));
    let mut app = open_files(&[&path]);
    app.app_mut().set_history_dir(data.join("history"));
    app.app_mut()
        .set_fixed_credentials(|_| sigscope::mock::demo_credentials(Some("demo")));
    app.select("List pets").await;
    let history = app.pane::<history::HistoryPane>().unwrap();
    assert_eq!(
        history.entries().len(),
        1,
        "the CLI's run, in the workbench"
    );
    // Renamed and moved: the same history.
    app.act(Action::Rename).await;
    app.keys("All pets").await;
    app.key(KeyCode::Enter).await;
    app.act(Action::Move).await;
    app.key(KeyCode::Down).await;
    app.key(KeyCode::Enter).await;
    assert_eq!(app.selected_path().as_deref(), Some("Other/All pets"));
    app.select("Other/All pets").await;
    assert_eq!(
        app.pane::<history::HistoryPane>().unwrap().entries().len(),
        1
    );
    // Saved, the id is in the file; a send from the workbench joins the same history.
    app.act(Action::Save).await;
    let saved = sigscope::model::load(&path).unwrap();
    let id = saved.collection.folders[0].requests[0].id.clone().unwrap();
    app.act(Action::Send).await;
    for _ in 0..50 {
        let n = sigscope::model::history::for_request(&data.join("history"), Some(&id), "").len();
        if n == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let all = sigscope::model::history::for_request(&data.join("history"), Some(&id), "");
    assert_eq!(all.len(), 2);
}

/// A response too large for memory is written to a file as it arrives and read from it in
/// windows: shown, searched past what memory holds, viewed in hex; the file is private (and
/// removed with the last holder: `body::file`'s unit test). (The 1 GB figure is in the benchmark; here the limit is lowered.)
#[tokio::test]
async fn a_body_too_large_for_memory_is_read_from_disk_in_windows() {
    sigscope::http::spill::set_in_memory_limit(100_000);
    let server = mock::start(MockConfig::default(), 0).await.unwrap();
    let mut app = Harness::demo(&server.base_url());
    app.select("Create a pet").await;
    app.act(Action::Enter).await;
    for _ in 0..3 {
        app.act(Action::NextTab).await; // Body
    }
    app.act(Action::Down).await;
    app.act(Action::Enter).await;
    app.ctrl('u').await;
    let tags: Vec<String> = (0..20_000).map(|i| format!("\"tag-{i:05}\"")).collect();
    app.paste(&format!(
        "{{\"type\": \"dog\", \"tags\": [{}]}}",
        tags.join(",\n")
    ))
    .await;
    app.key(KeyCode::Esc).await;
    app.act(Action::Send).await;
    let RequestState::Done { body, exchange, .. } = app.request_state() else {
        panic!("{:?}", app.request_state())
    };
    assert_eq!(exchange.response.status, 201);
    let file = body.file.clone().expect("kept in a file");
    assert!(file.len > 200_000, "{}", file.len);
    assert!(body.file_lines.is_some(), "indexed");
    assert!(
        (exchange.response.body.len() as u64) < file.len,
        "only its start in memory"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file.path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let s = app.screen();
    assert!(s.contains("as received, read from"), "{s}");
    app.focus_on(response::ID).await;
    // The echo is one line of 234 KB: its end is past what memory holds, found in the file.
    app.act(Action::Search).await;
    app.keys("tag-19999").await;
    app.key(KeyCode::Enter).await;
    assert!(
        app.notice().unwrap_or_default().contains("1 of 1 (line 1)"),
        "{:?}",
        app.notice()
    );
    app.act(Action::ViewMode).await;
    app.act(Action::ViewMode).await; // hex
    assert!(app.screen().contains("00000000  7b"), "{}", app.screen());
    sigscope::http::spill::set_in_memory_limit(0);
}
