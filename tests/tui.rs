//! The workbench, whole: every test drives the app through the harness as the loop does
//! (keys through the keymap, commands performed by the same task code, replies fed back)
//! against the local gateway, and reads the screen and the state through accessors. These
//! are the editing flows; saving, drafts and the session are in `tui_saving.rs`, the panes'
//! own in `tui_panes.rs`, what the component shape guarantees in `tui_components.rs`, the
//! real binary in a terminal in `tui_terminal.rs`, snapshots in `tui_snapshots.rs`.

use crossterm::event::{KeyCode, KeyEvent};
use sigscope::mock::{self, MockConfig};
use sigscope::tui::app::{Action, App, Command, Message, RequestState};
use sigscope::tui::harness::Harness;
use sigscope::tui::panes::request::{self, RequestPane};

fn status_of(app: &Harness) -> u16 {
    match app.request_state() {
        RequestState::Done { exchange, .. } => exchange.response.status,
        other => panic!("no response: {other:?}"),
    }
}

/// The editor's tab, row and column.
fn cursor(app: &Harness) -> (&'static str, usize, usize) {
    app.pane::<RequestPane>().unwrap().cursor()
}

/// Moves the editor to a row, as a user would (up to the top, then down).
async fn to_row(app: &mut Harness, row: usize) {
    for _ in 0..40 {
        app.act(Action::Up).await;
    }
    for _ in 0..row {
        app.act(Action::Down).await;
    }
}

/// The workbench over collection files (saved in place).
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

/// The failure a send ended with, as shown.
fn failure(app: &Harness) -> String {
    match app.request_state() {
        RequestState::Failed { error, .. } => error.to_string(),
        other => panic!("no failure: {other:?}"),
    }
}

#[tokio::test]
async fn the_first_screen_has_the_first_request_selected_and_the_inspector_previews_it() {
    let mut app = Harness::demo("http://127.0.0.1:9");
    assert_eq!(app.selected_path().as_deref(), Some("List pets"));
    let s = app.screen();
    for pane in [
        "Collections",
        "History",
        "Request: List pets",
        "Response",
        "Canonical request (preview)",
        "String to sign",
        "Signed headers to send",
    ] {
        assert!(s.contains(pane), "{pane} missing:\n{s}");
    }
    assert!(s.contains("GET    List pets"), "{s}");
    assert!(s.contains("signed headers         host;x-amz-date"), "{s}");
    assert!(
        s.contains("Credential=AKIAIOSF…MPLE/"),
        "the key id must be masked:\n{s}"
    );
    assert!(!s.contains("AKIAIOSFODNN7EXAMPLE"), "{s}");
    assert!(
        s.contains("ctrl-r") && s.contains("quit"),
        "footer hints: {s}"
    );
    // 80x24 shows the tree and one pane; `i` brings the inspector.
    app.resize(80, 24);
    let small = app.screen();
    assert!(
        small.contains("Collections") && small.contains("Request: List pets"),
        "{small}"
    );
    assert!(!small.contains("String to sign"), "{small}");
    app.act(Action::ToggleInspector).await;
    let small = app.screen();
    assert!(
        small.contains("Canonical request") && small.contains("String to sign"),
        "{small}"
    );
}

#[tokio::test]
async fn send_a_request_then_a_broken_one_and_see_the_diff() {
    let server = mock::start(MockConfig::default(), 0).await.unwrap();
    let mut app = Harness::demo(&server.base_url());
    app.act(Action::Send).await;
    assert_eq!(status_of(&app), 200);
    let s = app.screen();
    assert!(s.contains("200 OK"), "{s}");
    assert!(
        s.contains("\"type\": \"dog\""),
        "the JSON body is pretty-printed: {s}"
    );
    app.select("Wrong secret key").await;
    app.act(Action::Send).await;
    let RequestState::Done {
        diagnosis: Some(d), ..
    } = app.request_state()
    else {
        panic!("{:?}", app.request_state())
    };
    assert_eq!(d.kind.as_str(), "signature-mismatch");
    let s = app.screen();
    assert!(
        s.contains("403 Forbidden") && s.contains("diagnosis: signature-mismatch"),
        "{s}"
    );
    assert!(
        s.contains("ours (-) vs server (+)"),
        "the inspector shows the diff: {s}"
    );
    // An edit after the send: the inspector previews the new request, and the server's
    // canonical request (which answered the old one) is no longer set against it.
    let sent = app.trace().unwrap().canonical_request.clone();
    app.act(Action::Enter).await;
    app.act(Action::Down).await; // the URL row
    app.act(Action::Enter).await;
    app.keys("9").await;
    app.key(KeyCode::Enter).await;
    assert!(app.edited_since_shown());
    let now = app.trace().unwrap().canonical_request.clone();
    assert!(
        now.contains("/test/pets/19") && !sent.contains("/test/pets/19"),
        "{now}"
    );
    let s = app.screen();
    assert!(
        s.contains("preview: edited since the send") && !s.contains("vs server (+)"),
        "{s}"
    );
    assert!(s.contains("403 Forbidden"), "the response stays: {s}");
    // Undoing the edit brings back what was sent, with the diff.
    app.act(Action::Enter).await;
    app.key(KeyCode::Backspace).await;
    app.key(KeyCode::Enter).await;
    assert!(!app.edited_since_shown());
    assert!(app.screen().contains("ours (-) vs server (+)"));
}

#[tokio::test]
async fn editing_the_url_and_query_changes_the_preview_and_marks_the_collection() {
    let mut app = Harness::demo("http://127.0.0.1:9");
    app.act(Action::Enter).await;
    assert_eq!(app.focus(), request::ID);
    app.act(Action::Down).await; // the URL row
    app.act(Action::Enter).await;
    assert!(app.wants_keys());
    app.keys("/7").await;
    // Live: the preview follows the typing.
    let canonical = app.preview().unwrap().canonical_request.clone();
    assert!(canonical.contains("/test/pets/7"), "{canonical}");
    app.key(KeyCode::Esc).await;
    assert!(!app.wants_keys());
    assert!(app.workspace().docs[0].dirty);
    assert!(app.screen().contains("● unsaved"));
    // Query tab: add a row, fill it, then switch it off.
    app.act(Action::NextTab).await;
    app.act(Action::AddRow).await;
    app.keys("limit").await;
    app.key(KeyCode::Enter).await;
    app.act(Action::Right).await;
    app.act(Action::Enter).await;
    app.keys("5").await;
    app.key(KeyCode::Enter).await;
    let canonical = app.preview().unwrap().canonical_request.clone();
    assert_eq!(canonical.lines().nth(2), Some("limit=5"), "{canonical}");
    app.act(Action::Toggle).await;
    let canonical = app.preview().unwrap().canonical_request.clone();
    assert_eq!(
        canonical.lines().nth(2),
        Some(""),
        "a row switched off is not sent: {canonical}"
    );
    assert!(app.screen().contains("[ ] limit"));
    // ←/→ move between name and value, and past the edge to the next tab.
    app.act(Action::Right).await;
    assert_eq!(cursor(&app).0, "Headers");
    app.act(Action::Left).await;
    assert_eq!((cursor(&app).0, cursor(&app).2), ("Query", 0));
    app.act(Action::Right).await;
    assert_eq!((cursor(&app).0, cursor(&app).2), ("Query", 1));
    app.act(Action::Left).await;
    app.act(Action::Left).await;
    assert_eq!(cursor(&app).0, "URL");
}

#[tokio::test]
async fn an_invalid_url_is_shown_inline_and_not_sent() {
    let mut app = Harness::demo("http://127.0.0.1:9");
    app.act(Action::Enter).await;
    app.act(Action::Down).await;
    app.act(Action::Enter).await;
    for _ in 0..40 {
        app.key(KeyCode::Backspace).await;
    }
    app.keys("ht!tp://nope").await;
    app.key(KeyCode::Enter).await;
    assert!(app.prepare_error().is_some());
    let s = app.screen();
    assert!(s.contains("✗"), "the error is inline: {s}");
    let cmds = app.update(Message::Action(Action::Send));
    assert!(cmds.is_empty(), "nothing is sent");
    assert!(failure(&app).starts_with("not sent"), "{}", failure(&app));
}

#[tokio::test]
async fn a_json_body_is_validated_and_a_bad_edit_loses_nothing_until_discarded() {
    let mut app = Harness::demo("http://127.0.0.1:9");
    app.select("Create a pet").await;
    let before = app.spec().unwrap().body.clone();
    app.act(Action::Enter).await;
    for _ in 0..3 {
        app.act(Action::NextTab).await;
    }
    app.act(Action::Down).await;
    app.act(Action::Enter).await;
    app.keys(",").await;
    let s = app.screen();
    assert!(s.contains("invalid JSON at line"), "{s}");
    assert_eq!(
        app.spec().unwrap().body,
        before,
        "an invalid body is not applied"
    );
    app.key(KeyCode::Esc).await;
    assert!(app.wants_keys(), "the first Esc keeps the text");
    assert!(
        app.notice().unwrap().contains("esc again"),
        "the key as the keymap has it"
    );
    app.key(KeyCode::Esc).await;
    assert!(!app.wants_keys());
    assert_eq!(app.spec().unwrap().body, before);
    // A valid edit applies, and Ctrl-R sends straight from the editor.
    app.act(Action::Enter).await;
    for _ in 0..3 {
        app.key(KeyCode::Backspace).await;
    }
    app.keys("}").await;
    let (value, error) = app.pane::<RequestPane>().unwrap().editing().unwrap();
    assert!(error.is_none(), "{value:?}");
}

/// The JSON the echo route answers with: what the gateway received.
fn echoed(app: &Harness) -> serde_json::Value {
    match app.request_state() {
        RequestState::Done { exchange, .. } => {
            serde_json::from_slice(&exchange.response.body).expect("echo JSON")
        }
        other => panic!("no response: {other:?}"),
    }
}

fn last_canonical_line(app: &Harness) -> String {
    let trace = app.preview().expect("a preview");
    trace.canonical_request.lines().last().unwrap().to_string()
}

#[tokio::test]
async fn form_and_file_bodies_are_edited_in_the_body_tab_and_sent_signed() {
    use sha2::{Digest, Sha256};
    let server = mock::start(MockConfig::default(), 0).await.unwrap();
    let mut app = Harness::demo(&server.base_url());
    app.select("Echo with a tricky query").await;
    app.act(Action::Enter).await;
    for _ in 0..3 {
        app.act(Action::NextTab).await;
    }
    // none → json → text → form
    for _ in 0..3 {
        app.act(Action::Toggle).await;
    }
    assert!(app.screen().contains("No fields: a adds one"));
    app.act(Action::AddRow).await;
    app.keys("name").await;
    app.key(KeyCode::Enter).await;
    app.act(Action::Right).await;
    app.act(Action::Enter).await;
    app.keys("rex & co").await;
    app.key(KeyCode::Enter).await;
    app.act(Action::AddRow).await;
    app.keys("off").await;
    app.key(KeyCode::Enter).await;
    app.act(Action::Toggle).await; // the second field is not sent
    let s = app.screen();
    assert!(s.contains("[x] name") && s.contains("[ ] off"), "{s}");
    let titles = request::tab_titles(app.spec().unwrap(), 200, 3);
    assert_eq!(
        titles[3], "Body (form 2)",
        "with room, the tab says the body type"
    );
    let narrow = request::tab_titles(app.spec().unwrap(), 30, 3);
    assert_eq!(
        narrow,
        ["U", "Q", "H", "Body", "A", "V", "C"],
        "the selected tab stays readable"
    );
    let form = "name=rex%20%26%20co";
    assert_eq!(
        last_canonical_line(&app),
        hex::encode(Sha256::digest(form)),
        "the preview hashes the encoded form"
    );
    app.act(Action::Send).await;
    assert_eq!(status_of(&app), 200, "{:?}", app.request_state());
    let echo = echoed(&app);
    assert_eq!(echo["body"], form, "{echo}");

    // form → file: hashed off the loop for the preview, read by the send.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("payload.bin");
    let bytes: Vec<u8> = (0u8..=255).cycle().take(70_000).collect();
    std::fs::write(&file, &bytes).unwrap();
    assert_eq!(app.focus(), request::ID);
    to_row(&mut app, 0).await;
    app.act(Action::Toggle).await;
    assert!(app.screen().contains("enter on File types its path"));
    app.act(Action::Down).await;
    app.act(Action::Enter).await;
    let path = file.display().to_string();
    for c in path.chars() {
        let cmds = app.update(Message::Key(KeyEvent::from(KeyCode::Char(c))));
        assert!(
            cmds.iter().all(|c| !matches!(c, Command::HashFile { .. })),
            "nothing is read while the path is typed: {cmds:?}"
        );
        app.drive(cmds).await;
    }
    let cmds = app.update(Message::Key(KeyEvent::from(KeyCode::Enter)));
    assert!(
        cmds.iter()
            .any(|c| matches!(c, Command::HashFile { path: p } if *p == path)),
        "the loop does not read the file; a task hashes it: {cmds:?}"
    );
    assert!(app.preview().is_none(), "no preview until the hash is in");
    app.drive(cmds).await;
    assert_eq!(
        last_canonical_line(&app),
        hex::encode(Sha256::digest(&bytes))
    );
    let out = app.act(Action::CopyCurl).await;
    let Some(Command::Copy(curl)) = out.first() else {
        panic!("{out:?}")
    };
    assert!(
        curl.contains(&format!("--data-binary @'{}'", file.display())),
        "curl reads the file itself: {curl}"
    );
    app.act(Action::Send).await;
    assert_eq!(status_of(&app), 200, "{:?}", app.request_state());
    let RequestState::Done { exchange, .. } = app.request_state() else {
        unreachable!()
    };
    assert_eq!(
        exchange.request.body.len(),
        bytes.len(),
        "the file was sent whole"
    );

    // A missing file: said inline, and the send says why.
    std::fs::remove_file(&file).unwrap();
    assert_eq!(app.focus(), request::ID);
    app.act(Action::Enter).await;
    app.keys("-gone").await;
    app.key(KeyCode::Enter).await;
    let e = app
        .prepare_error()
        .expect("the missing file is reported")
        .to_string();
    assert!(
        e.contains("payload.bin-gone") && e.contains("No such file"),
        "{e}"
    );
    app.act(Action::Send).await;
    assert!(
        failure(&app).contains("payload.bin-gone"),
        "{}",
        failure(&app)
    );
}

#[tokio::test]
async fn the_vars_tab_shows_where_each_variable_comes_from_and_edits_it_there() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("petstore.json");
    std::fs::copy("collections/petstore-iam.json", &file).unwrap();
    let mut app = open_files(&[&file]);
    app.select("REST API (AWS_IAM)/Get a pet").await;
    app.act(Action::Environment).await;
    app.key(KeyCode::Down).await;
    app.key(KeyCode::Enter).await;
    assert_eq!(app.workspace().docs[0].env.as_deref(), Some("dev"));
    app.act(Action::Enter).await;
    for _ in 0..5 {
        app.act(Action::NextTab).await;
    }
    let s = app.screen();
    assert!(s.contains("Vars"), "{s}");
    assert!(
        s.contains("restUrl") && s.contains("← env dev") && s.contains("← collection"),
        "{s}"
    );
    let row_of = |app: &Harness, name: &str, source: &str| {
        app.var_rows()
            .iter()
            .position(|v| v.name == name && v.source == source)
    };
    let url = |app: &Harness| {
        let c = &app.workspace().docs[0].loaded.collection;
        let r = app.selected_request().unwrap();
        let (_, located) = app.workspace().located(r).unwrap();
        let env = c.environments.get("dev");
        sigscope::http::prepare::prepare(c, env, &located)
            .unwrap()
            .request
            .url()
    };
    assert!(url(&app).ends_with("/test/pets/1"), "{}", url(&app));

    // Enter edits the value where it is defined (here the collection).
    let row = row_of(&app, "petId", "collection").unwrap();
    to_row(&mut app, row).await;
    app.act(Action::Enter).await;
    app.key(KeyCode::Backspace).await;
    app.keys("42").await;
    app.key(KeyCode::Enter).await;
    assert_eq!(
        app.workspace().docs[0].loaded.collection.variables["petId"],
        "42"
    );
    assert!(url(&app).ends_with("/test/pets/42"), "{}", url(&app));
    assert!(app.workspace().docs[0].dirty);

    // `a` adds name=value to the selected environment, where it wins over the collection's.
    app.act(Action::AddRow).await;
    app.keys("petId=7").await;
    app.key(KeyCode::Enter).await;
    assert_eq!(
        app.workspace().docs[0].loaded.collection.environments["dev"].variables["petId"],
        "7"
    );
    assert!(url(&app).ends_with("/test/pets/7"), "{}", url(&app));
    let shadowed = &app.var_rows()[row_of(&app, "petId", "collection").unwrap()];
    assert!(shadowed.shadowed);
    assert!(app.screen().contains("← collection, overridden"));
    // The same name again at the same level, and a name that is not one, are refused.
    app.act(Action::AddRow).await;
    app.keys("petId=8").await;
    app.key(KeyCode::Enter).await;
    assert!(app.notice().unwrap().contains("already defined"));
    app.act(Action::AddRow).await;
    app.keys("pet id=8").await;
    app.key(KeyCode::Enter).await;
    assert!(app.notice().unwrap().contains("not a variable name"));

    // Saved with the collection.
    app.act(Action::Save).await;
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(saved["environments"]["dev"]["variables"]["petId"], "7");
    assert_eq!(saved["variables"]["petId"], "42");

    // `x` removes it (asking first); the collection's value is visible again.
    let row = row_of(&app, "petId", "env dev").unwrap();
    to_row(&mut app, row).await;
    app.act(Action::DeleteRow).await;
    assert!(app.screen().contains("Remove {{petId}} from the env dev?"));
    app.keys("y").await;
    assert!(row_of(&app, "petId", "env dev").is_none());
    assert!(url(&app).ends_with("/test/pets/42"), "{}", url(&app));

    // The demo's gateway address is set for the run: shown, not editable, never saved.
    let mut demo = Harness::demo("http://127.0.0.1:9");
    demo.act(Action::Enter).await;
    for _ in 0..5 {
        demo.act(Action::NextTab).await;
    }
    let s = demo.screen();
    assert!(
        s.contains("http://127.0.0.1:9") && s.contains("← this run (not saved)"),
        "{s}"
    );
    to_row(&mut demo, 0).await;
    demo.act(Action::Enter).await;
    assert!(demo.overlay().is_none());
    assert!(demo.notice().unwrap().contains("for this run only"));
}
