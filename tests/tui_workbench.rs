//! A workbench to live in (issue 14), whole-app through the harness: one test per defect the
//! issue names (each fails on the code before its fix), and the flows that start from
//! nothing — a collection created, an environment made, settings with their inheritance,
//! files changed elsewhere, responses kept per request, exchanges compared.

#![recursion_limit = "256"]

mod common;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use sigscope::mock::{self, MockConfig};
use sigscope::tui::app::{Action, App, Message, RequestState};
use sigscope::tui::harness::Harness;
use sigscope::tui::overlays::confirm::CONFIRM;
use sigscope::tui::panes::request::RequestPane;
use sigscope::tui::panes::response::ResponsePane;
use sigscope::tui::panes::{history, response, settings, welcome};

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

fn query(app: &Harness) -> Vec<(String, String)> {
    (app.spec().unwrap().query.iter())
        .map(|q| (q.name.clone(), q.value.clone()))
        .collect()
}

fn status_of(app: &Harness) -> Option<u16> {
    match app.request_state() {
        RequestState::Done { exchange, .. } => Some(exchange.response.status),
        _ => None,
    }
}

/// Defect: Tab in a table cell inserted spaces (`"limit   "`, sent as `limit%20%20%20=10`).
/// Now Tab goes name → value → the next row, Shift-Tab back, and names are trimmed.
#[tokio::test]
async fn tab_moves_between_table_cells_and_never_types_spaces() {
    let server = mock::start(MockConfig::default(), 0).await.unwrap();
    let mut app = Harness::demo(&server.base_url());
    app.select("List pets").await;
    app.act(Action::Enter).await; // into the editor
    app.act(Action::NextTab).await; // Query
    assert_eq!(app.pane::<RequestPane>().unwrap().cursor().0, "Query");
    app.key(KeyCode::Char('a')).await; // a new row, typed into
    app.keys(" limit").await;
    app.key(KeyCode::Tab).await;
    app.keys("10").await;
    app.key(KeyCode::Tab).await; // the next row: a new one
    app.keys("page").await;
    app.press(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT))
        .await; // back to the first row's value
    assert_eq!(
        app.pane::<RequestPane>().unwrap().editing().map(|e| e.0),
        Some("10".to_string())
    );
    app.key(KeyCode::Tab).await;
    app.key(KeyCode::Tab).await;
    app.keys("2").await;
    app.key(KeyCode::Tab).await; // past the last: a new row…
    app.key(KeyCode::Esc).await; // …left empty: dropped
    assert_eq!(
        query(&app),
        [("limit".into(), "10".into()), ("page".into(), "2".into())]
    );
    app.act(Action::Send).await;
    let RequestState::Done { exchange, .. } = app.request_state() else {
        panic!("{:?}", app.request_state())
    };
    assert_eq!(exchange.request.query.as_deref(), Some("limit=10&page=2"));
}

/// Defect: a second search appended to the first; the jq prompt started with `.` so that
/// `.items` became `..items`. Prompts start with the old text selected, or empty.
#[tokio::test]
async fn prompts_start_empty_or_with_the_old_text_selected() {
    let server = mock::start(MockConfig::default(), 0).await.unwrap();
    let mut app = Harness::demo(&server.base_url());
    app.act(Action::Send).await;
    app.focus_on(response::ID).await;
    app.act(Action::Search).await;
    app.keys("dog").await;
    app.key(KeyCode::Enter).await;
    app.act(Action::Search).await;
    assert_eq!(app.overlay_text().as_deref(), Some("dog"));
    app.keys("cat").await; // replaces the selected old text
    assert_eq!(app.overlay_text().as_deref(), Some("cat"));
    app.key(KeyCode::Enter).await;
    let view = app.pane::<ResponsePane>().unwrap().view();
    assert_eq!(view.search, "cat");
    app.act(Action::JqFilter).await;
    assert_eq!(app.overlay_text().as_deref(), Some(""), "jq starts empty");
    app.keys(".[0].type").await;
    app.key(KeyCode::Enter).await;
    let RequestState::Done { body, .. } = app.request_state() else {
        panic!()
    };
    let jq = body.jq.as_ref().unwrap();
    assert_eq!(jq.filter, ".[0].type");
    assert!(jq.result.is_ok(), "{:?}", jq.result);
    // The prompt again: the filter in effect, selected; Ctrl-U clears, undo brings it back.
    app.act(Action::JqFilter).await;
    assert_eq!(app.overlay_text().as_deref(), Some(".[0].type"));
    app.ctrl('u').await;
    assert_eq!(app.overlay_text().as_deref(), Some(""));
    app.ctrl('z').await;
    assert_eq!(app.overlay_text().as_deref(), Some(".[0].type"));
    app.key(KeyCode::Esc).await;
}

/// Ctrl-U clears a field of the request editor and undo/redo work there too.
#[tokio::test]
async fn ctrl_u_undo_and_redo_in_an_editor_field() {
    let mut app = Harness::demo("http://127.0.0.1:9");
    app.act(Action::Enter).await;
    app.act(Action::Down).await; // URL
    app.act(Action::Enter).await;
    app.ctrl('u').await;
    assert_eq!(app.spec().unwrap().url, "");
    app.keys("http://x/y").await;
    app.ctrl('z').await;
    app.ctrl('z').await;
    app.ctrl('z').await;
    assert_eq!(app.spec().unwrap().url, "http://");
    app.ctrl('y').await;
    assert_eq!(app.spec().unwrap().url, "http://x");
}

/// Defect: the doctor panel could not be closed. Esc closes it and shows the response again.
#[tokio::test]
async fn esc_closes_the_doctor_panel() {
    let server = mock::start(MockConfig::default(), 0).await.unwrap();
    let mut app = Harness::demo(&server.base_url());
    app.act(Action::Send).await;
    app.act(Action::Doctor).await;
    assert!(matches!(app.request_state(), RequestState::Checked(_)));
    app.key(KeyCode::Esc).await;
    assert_eq!(status_of(&app), Some(200), "the response is back");
    app.act(Action::Doctor).await;
    app.focus_on(response::ID).await;
    app.key(KeyCode::Esc).await;
    assert!(!matches!(app.request_state(), RequestState::Checked(_)));
}

/// Defect: "Collections (9)" for one collection of nine requests.
#[test]
fn the_tree_title_counts_collections_and_requests() {
    let mut app = Harness::demo("http://127.0.0.1:9");
    let n = app.workspace().docs[0].loaded.collection.walk().len();
    assert!(n > 1);
    let s = app.screen();
    assert!(s.contains(&format!("Collections (1, {n} requests)")), "{s}");
}

/// From nothing: the welcome pane, then a collection created in the app — a valid file
/// written at once (it loads again), with a request in it.
#[tokio::test]
async fn an_empty_workbench_welcomes_and_creates_a_collection_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = Harness::new(App::with_docs(Vec::new()));
    app.app_mut().set_collections_dir(dir.path().to_path_buf());
    let s = app.screen();
    assert!(
        s.contains("Start here") && s.contains("new collection") && s.contains("open the demo"),
        "{s}"
    );
    assert!(app.pane::<welcome::Welcome>().is_some());
    app.key(KeyCode::Char('n')).await;
    app.keys("Pets & Co").await;
    app.key(KeyCode::Enter).await;
    let path = dir.path().join("pets-co.json");
    let loaded = sigscope::model::load(&path).expect("a valid collection file");
    assert_eq!(loaded.collection.name, "Pets & Co");
    assert_eq!(loaded.collection.version, 1);
    assert!(!app.workspace().docs[0].dirty, "saved");
    // The collection's settings are in the editor's place; a request goes in.
    assert!(app.screen().contains("Collection settings: Pets & Co"));
    app.act(Action::NewRequest).await;
    app.keys("example.com/pets").await;
    app.key(KeyCode::Enter).await;
    app.act(Action::Save).await;
    let saved = sigscope::model::load(&path).unwrap();
    assert_eq!(saved.collection.requests.len(), 1);
    assert!(
        saved.collection.requests[0].id.is_some(),
        "a request id is kept"
    );
}

/// Defect: `E` offered nothing when a collection had no environment. Now it offers a new
/// one, which is selected and opened in the settings (profile, region, variables).
#[tokio::test]
async fn environments_are_made_and_edited_in_the_app() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.json");
    std::fs::write(
        &path,
        r#"{"version": 1, "name": "C", "requests": [{"name": "r", "method": "GET", "url": "https://{{host}}/x"}]}"#,
    )
    .unwrap();
    let mut app = open_files(&[&path]);
    app.act(Action::Environment).await;
    let s = app.screen();
    assert!(s.contains("+ new environment"), "{s}");
    app.key(KeyCode::Down).await;
    app.key(KeyCode::Enter).await;
    app.keys("dev").await;
    app.key(KeyCode::Enter).await;
    assert_eq!(app.workspace().docs[0].env.as_deref(), Some("dev"));
    assert_eq!(app.focus(), settings::ID);
    let s = app.screen();
    assert!(s.contains("Environment: dev"), "{s}");
    // Profile and region on the General tab; a variable on the Vars tab.
    app.act(Action::Down).await; // Profile
    app.act(Action::Enter).await;
    app.keys("demo").await;
    app.key(KeyCode::Tab).await; // Region
    app.keys("eu-west-1").await;
    app.key(KeyCode::Enter).await;
    app.act(Action::NextTab).await; // Vars
    app.key(KeyCode::Char('a')).await;
    app.keys("host").await;
    app.key(KeyCode::Tab).await;
    app.keys("api.example.com").await;
    app.key(KeyCode::Enter).await;
    let env = &app.workspace().docs[0].loaded.collection.environments["dev"];
    assert_eq!(env.profile.as_deref(), Some("demo"));
    assert_eq!(env.region.as_deref(), Some("eu-west-1"));
    assert_eq!(env.variables["host"], "api.example.com");
    // The request sees it.
    app.select("r").await;
    assert_eq!(app.prepare_error(), None);
    // Back on the collection: rename, duplicate and delete environments.
    app.act(Action::Top).await;
    app.act(Action::Environment).await;
    app.key(KeyCode::End).await; // "edit the environments"
    app.key(KeyCode::Enter).await;
    assert_eq!(
        app.pane::<settings::SettingsPane>()
            .and_then(|p| p.cursor(&app))
            .map(|c| c.0),
        Some("Environments")
    );
    app.key(KeyCode::Char('c')).await; // duplicate
    app.key(KeyCode::Down).await;
    app.key(KeyCode::Char('r')).await;
    app.keys("prod").await;
    app.key(KeyCode::Enter).await;
    let envs: Vec<&String> = (app.workspace().docs[0]
        .loaded
        .collection
        .environments
        .keys())
    .collect();
    assert_eq!(envs, ["dev", "prod"]);
    app.key(KeyCode::Char('x')).await;
    app.key(KeyCode::Char('y')).await;
    assert_eq!(
        app.workspace().docs[0].loaded.collection.environments.len(),
        1
    );
}

/// A folder's settings show what it inherits and from where.
#[tokio::test]
async fn folder_settings_show_inherited_values_and_their_source() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.json");
    std::fs::write(
        &path,
        r#"{"version": 1, "name": "Pets", "variables": {"base": "https://x"},
            "auth": {"type": "aws-sigv4", "profile": "demo"},
            "headers": [{"name": "x-team", "value": "pets"}],
            "folders": [{"name": "Admin", "requests": [{"name": "r", "method": "GET", "url": "{{base}}"}]}]}"#,
    )
    .unwrap();
    let mut app = open_files(&[&path]);
    app.act(Action::Top).await;
    app.act(Action::Down).await; // the folder
    let s = app.screen();
    assert!(s.contains("Folder settings: Admin"), "{s}");
    app.focus_on(settings::ID).await;
    app.act(Action::NextTab).await; // Auth
    let s = app.screen();
    assert!(
        s.contains("inherits aws-sigv4, profile demo from collection"),
        "{s}"
    );
    app.act(Action::NextTab).await; // Headers
    let s = app.screen();
    assert!(s.contains("x-team: pets  ← collection 'Pets'"), "{s}");
    app.act(Action::NextTab).await; // Vars
    let s = app.screen();
    assert!(s.contains("base = https://x  ← collection 'Pets'"), "{s}");
    // A header of the folder's own, as a table row.
    app.act(Action::PrevTab).await;
    app.key(KeyCode::Char('a')).await;
    app.keys("x-admin").await;
    app.key(KeyCode::Tab).await;
    app.keys("1").await;
    app.key(KeyCode::Enter).await;
    let f = &app.workspace().docs[0].loaded.collection.folders[0];
    assert_eq!(
        (f.headers[0].name.as_str(), f.headers[0].value.as_str()),
        ("x-admin", "1")
    );
}

/// The Vars tab lists what the request uses and nobody defines; a value set in an
/// environment says where it lands and what else it changes.
#[tokio::test]
async fn the_vars_tab_lists_undefined_variables_and_where_an_edit_lands() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.json");
    std::fs::write(
        &path,
        r#"{"version": 1, "name": "C", "environments": {"dev": {"variables": {"host": "a"}}},
            "requests": [{"name": "one", "method": "GET", "url": "https://{{host}}/{{missing}}"},
                         {"name": "two", "method": "GET", "url": "https://{{host}}/"}]}"#,
    )
    .unwrap();
    let mut app = open_files(&[&path]);
    app.act(Action::Environment).await;
    app.key(KeyCode::Down).await;
    app.key(KeyCode::Enter).await;
    app.select("one").await;
    app.act(Action::Enter).await;
    for _ in 0..5 {
        app.act(Action::NextTab).await; // Vars
    }
    let s = app.screen();
    assert!(s.contains("missing") && s.contains("(undefined"), "{s}");
    // Edit host: the prompt says it is the environment's and changes both requests.
    app.act(Action::Top).await;
    app.act(Action::Enter).await;
    let s = app.screen();
    assert!(
        s.contains("Value of {{host}} in env dev: it changes for every request that uses it (2)"),
        "{s}"
    );
    app.keys("b").await;
    app.key(KeyCode::Enter).await;
    assert_eq!(
        app.workspace().docs[0].loaded.collection.environments["dev"].variables["host"],
        "b"
    );
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

/// The diagnosis (and its next steps) of a demo request, after a send.
fn next_steps(app: &Harness) -> Vec<String> {
    match app.request_state() {
        RequestState::Done {
            diagnosis: Some(d), ..
        } => d.next_steps.clone(),
        other => panic!("no diagnosis: {other:?}"),
    }
}

/// Defect: the doctor said "the request itself: 200 OK" for a request whose clock offset
/// makes Ctrl-R fail. It signs as the send does, and both name the field to change.
#[tokio::test]
async fn the_doctor_signs_as_a_send_does_and_advice_names_the_field() {
    let server = mock::start(MockConfig::default(), 0).await.unwrap();
    let mut app = Harness::demo(&server.base_url());
    app.select("Skewed clock").await;
    app.act(Action::Send).await;
    assert_eq!(status_of(&app), Some(403));
    let steps = next_steps(&app);
    assert!(
        steps[0].starts_with("Auth tab → Clock offset is -900 s"),
        "{steps:?}"
    );
    assert!(
        !steps.iter().any(|s| s.contains("--at")),
        "no CLI flag: {steps:?}"
    );
    app.act(Action::Doctor).await;
    let RequestState::Checked(checked) = app.request_state() else {
        panic!("{:?}", app.request_state())
    };
    let failed = checked
        .iter()
        .find(|s| s.status == sigscope::diagnose::doctor::Status::Failed)
        .expect("a step fails");
    assert_eq!(failed.name, "our clock vs the server's", "{checked:?}");
    assert!(
        failed.detail.contains("Auth tab → Clock offset is -900 s"),
        "{}",
        failed.detail
    );
    assert!(!checked
        .iter()
        .any(|s| s.name == "the request itself"
            && s.status == sigscope::diagnose::doctor::Status::Ok));
}

/// Defect: the wrong-secret advice did not say whose key; the unknown key was shown as the
/// same masked id as the valid one.
#[tokio::test]
async fn advice_names_the_profile_and_tells_keys_apart() {
    let server = mock::start(MockConfig::default(), 0).await.unwrap();
    let mut app = Harness::demo(&server.base_url());
    app.select("Wrong secret key").await;
    app.act(Action::Send).await;
    let steps = next_steps(&app).join("\n");
    assert!(steps.contains("profile 'demo-wrong-secret'"), "{steps}");
    app.select("Unknown access key").await;
    app.act(Action::Send).await;
    let steps = next_steps(&app).join("\n");
    let unknown = sigscope::aws::credentials::mask_access_key("AKIAI44QH8DHBEXAMPLE");
    let valid = sigscope::aws::credentials::mask_access_key(mock::DEMO_ACCESS_KEY_ID);
    assert_ne!(unknown, valid);
    assert!(
        steps.contains(&unknown) && steps.contains("profile 'demo-unknown-key'"),
        "{steps}"
    );
    assert!(app.screen().contains(&unknown));
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
