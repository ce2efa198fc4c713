//! A workbench to live in (issue 14), whole-app through the harness: one test per defect the
//! issue names (each asserts the behaviour the defect contradicted: spaces typed by Tab, a
//! search appended to the last, `..items`, a doctor panel that stays, "Collections (9)", no
//! new environment, a doctor that signs without the clock offset, advice naming CLI flags),
//! and the flows that start from nothing — a collection created, an environment made,
//! settings with their inheritance, the Vars tab. What the workbench keeps and shows is in
//! `tui_workbench_data.rs`.

#![recursion_limit = "256"]
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use sigscope::mock::{self, MockConfig};
use sigscope::tui::app::{Action, App, RequestState};
use sigscope::tui::harness::Harness;
use sigscope::tui::panes::request::RequestPane;
use sigscope::tui::panes::response::ResponsePane;
use sigscope::tui::panes::{response, settings, welcome};

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
