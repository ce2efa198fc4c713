//! The workbench: whole-app runs through `update` (commands performed by the same task code
//! the loop uses) against the local gateway, and the real binary in tmux. Pane snapshots are
//! in `tui_snapshots.rs`.

mod common;
use common::screen;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use sigscope::mock::{self, MockConfig};
use sigscope::tui::app::{Action, App, Command, Message, Pane, Prompt, RequestState};
use sigscope::tui::view;
use std::time::Duration;

fn demo_app(base: &str) -> App {
    let c: sigscope::model::Collection =
        serde_json::from_str(include_str!("../collections/demo.json")).unwrap();
    let mut app = App::new(c);
    app.overrides.insert("baseUrl".into(), base.to_string());
    app.set_fixed_credentials(mock::demo_credentials);
    app
}

/// Runs commands the way the loop does, feeding answers back, until none are left; returns
/// the ones that need a terminal (copy, editor, quit).
async fn drive(app: &mut App, mut pending: Vec<Command>) -> Vec<Command> {
    let client = sigscope::http::client(Duration::from_secs(5));
    let mut terminal_only = Vec::new();
    while let Some(cmd) = pending.pop() {
        if matches!(
            cmd,
            Command::Copy(_) | Command::EditExternally { .. } | Command::Quit
        ) {
            terminal_only.push(cmd);
            continue;
        }
        if let Some(m) = sigscope::tui::tasks::perform(cmd, &client).await {
            pending.extend(app.update(m));
        }
    }
    terminal_only
}

async fn act(app: &mut App, a: Action) -> Vec<Command> {
    let cmds = app.update(Message::Action(a));
    drive(app, cmds).await
}

async fn keys(app: &mut App, text: &str) {
    for c in text.chars() {
        let cmds = app.update(Message::Key(KeyEvent::from(KeyCode::Char(c))));
        drive(app, cmds).await;
    }
}

async fn key(app: &mut App, code: KeyCode) -> Vec<Command> {
    let cmds = app.update(Message::Key(KeyEvent::from(code)));
    drive(app, cmds).await
}

async fn select(app: &mut App, name: &str) {
    app.focus = Pane::Requests;
    act(app, Action::Top).await;
    for _ in 0..app.ws.rows.len() {
        if app.selected_path().as_deref() == Some(name) {
            return;
        }
        act(app, Action::Down).await;
    }
    panic!("no request '{name}'");
}

fn status_of(app: &App) -> u16 {
    match &app.state {
        RequestState::Done { exchange, .. } => exchange.response.status,
        other => panic!("no response: {other:?}"),
    }
}

#[tokio::test]
async fn the_first_screen_has_the_first_request_selected_and_the_inspector_previews_it() {
    let mut app = demo_app("http://127.0.0.1:9");
    assert_eq!(app.selected_path().as_deref(), Some("List pets"));
    let s = screen(&app, 160, 45);
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
        s.contains("Credential=AKIA…MPLE/"),
        "the key id must be masked:\n{s}"
    );
    assert!(!s.contains("AKIAIOSFODNN7EXAMPLE"), "{s}");
    assert!(
        s.contains("ctrl-r") && s.contains("quit"),
        "footer hints: {s}"
    );
    // 80x24 shows the tree and one pane; `i` brings the inspector.
    app.update(Message::Resize(80, 24));
    let small = screen(&app, 80, 24);
    assert!(
        small.contains("Collections") && small.contains("Request: List pets"),
        "{small}"
    );
    assert!(!small.contains("String to sign"), "{small}");
    act(&mut app, Action::ToggleInspector).await;
    let small = screen(&app, 80, 24);
    assert!(
        small.contains("Canonical request") && small.contains("String to sign"),
        "{small}"
    );
}

#[tokio::test]
async fn send_a_request_then_a_broken_one_and_see_the_diff() {
    let server = mock::start(MockConfig::default(), 0).await.unwrap();
    let mut app = demo_app(&server.base_url());
    act(&mut app, Action::Send).await;
    assert_eq!(status_of(&app), 200);
    let s = screen(&app, 160, 45);
    assert!(s.contains("200 OK"), "{s}");
    assert!(
        s.contains("\"type\": \"dog\""),
        "the JSON body is pretty-printed: {s}"
    );
    select(&mut app, "Wrong secret key").await;
    act(&mut app, Action::Send).await;
    let RequestState::Done {
        diagnosis: Some(d), ..
    } = &app.state
    else {
        panic!("{:?}", app.state)
    };
    assert_eq!(d.kind.as_str(), "signature-mismatch");
    let s = screen(&app, 160, 45);
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
    act(&mut app, Action::Enter).await;
    act(&mut app, Action::Down).await; // the URL row
    act(&mut app, Action::Enter).await;
    keys(&mut app, "9").await;
    key(&mut app, KeyCode::Enter).await;
    assert!(app.edited_since_shown);
    let now = app.trace().unwrap().canonical_request.clone();
    assert!(
        now.contains("/test/pets/19") && !sent.contains("/test/pets/19"),
        "{now}"
    );
    let s = screen(&app, 160, 45);
    assert!(
        s.contains("preview: edited since the send") && !s.contains("vs server (+)"),
        "{s}"
    );
    assert!(s.contains("403 Forbidden"), "the response stays: {s}");
    // Undoing the edit brings back what was sent, with the diff.
    act(&mut app, Action::Enter).await;
    key(&mut app, KeyCode::Backspace).await;
    key(&mut app, KeyCode::Enter).await;
    assert!(!app.edited_since_shown);
    assert!(screen(&app, 160, 45).contains("ours (-) vs server (+)"));
}

#[tokio::test]
async fn editing_the_url_and_query_changes_the_preview_and_marks_the_collection() {
    let mut app = demo_app("http://127.0.0.1:9");
    act(&mut app, Action::Enter).await;
    assert_eq!(app.focus, Pane::Request);
    act(&mut app, Action::Down).await; // the URL row
    act(&mut app, Action::Enter).await;
    assert!(app.wants_keys());
    keys(&mut app, "/7").await;
    // Live: the preview follows the typing.
    let canonical = app.preview.as_ref().unwrap().canonical_request.clone();
    assert!(canonical.contains("/test/pets/7"), "{canonical}");
    key(&mut app, KeyCode::Esc).await;
    assert!(!app.wants_keys());
    assert!(app.ws.docs[0].dirty);
    assert!(screen(&app, 160, 45).contains("● unsaved"));
    // Query tab: add a row, fill it, then switch it off.
    act(&mut app, Action::NextTab).await;
    act(&mut app, Action::AddRow).await;
    keys(&mut app, "limit").await;
    key(&mut app, KeyCode::Enter).await;
    act(&mut app, Action::Right).await;
    act(&mut app, Action::Enter).await;
    keys(&mut app, "5").await;
    key(&mut app, KeyCode::Enter).await;
    let canonical = app.preview.as_ref().unwrap().canonical_request.clone();
    assert_eq!(canonical.lines().nth(2), Some("limit=5"), "{canonical}");
    act(&mut app, Action::Toggle).await;
    let canonical = app.preview.as_ref().unwrap().canonical_request.clone();
    assert_eq!(
        canonical.lines().nth(2),
        Some(""),
        "a row switched off is not sent: {canonical}"
    );
    assert!(screen(&app, 160, 45).contains("[ ] limit"));
    // ←/→ move between name and value, and past the edge to the next tab.
    use sigscope::tui::editor::Tab;
    act(&mut app, Action::Right).await;
    assert_eq!(app.editor.tab(), Tab::Headers);
    act(&mut app, Action::Left).await;
    assert_eq!((app.editor.tab(), app.editor.col), (Tab::Query, 0));
    act(&mut app, Action::Right).await;
    assert_eq!((app.editor.tab(), app.editor.col), (Tab::Query, 1));
    act(&mut app, Action::Left).await;
    act(&mut app, Action::Left).await;
    assert_eq!(app.editor.tab(), Tab::Url);
}

#[tokio::test]
async fn an_invalid_url_is_shown_inline_and_not_sent() {
    let mut app = demo_app("http://127.0.0.1:9");
    act(&mut app, Action::Enter).await;
    act(&mut app, Action::Down).await;
    act(&mut app, Action::Enter).await;
    for _ in 0..40 {
        key(&mut app, KeyCode::Backspace).await;
    }
    keys(&mut app, "ht!tp://nope").await;
    key(&mut app, KeyCode::Enter).await;
    assert!(app.prepare_error.is_some());
    let s = screen(&app, 160, 45);
    assert!(s.contains("✗"), "the error is inline: {s}");
    let cmds = app.update(Message::Action(Action::Send));
    assert!(cmds.is_empty(), "nothing is sent");
    assert!(matches!(&app.state, RequestState::Failed(e) if e.starts_with("not sent")));
}

#[tokio::test]
async fn a_json_body_is_validated_and_a_bad_edit_loses_nothing_until_discarded() {
    let mut app = demo_app("http://127.0.0.1:9");
    select(&mut app, "Create a pet").await;
    let before = app.spec().unwrap().body.clone();
    act(&mut app, Action::Enter).await;
    for _ in 0..3 {
        act(&mut app, Action::NextTab).await;
    }
    act(&mut app, Action::Down).await;
    act(&mut app, Action::Enter).await;
    keys(&mut app, ",").await;
    let s = screen(&app, 160, 45);
    assert!(s.contains("invalid JSON at line"), "{s}");
    assert_eq!(
        app.spec().unwrap().body,
        before,
        "an invalid body is not applied"
    );
    key(&mut app, KeyCode::Esc).await;
    assert!(app.wants_keys(), "the first Esc keeps the text");
    assert!(app.notice.as_ref().unwrap().1.contains("Esc again"));
    key(&mut app, KeyCode::Esc).await;
    assert!(!app.wants_keys());
    assert_eq!(app.spec().unwrap().body, before);
    // A valid edit applies, and Ctrl-R sends straight from the editor.
    act(&mut app, Action::Enter).await;
    for _ in 0..3 {
        key(&mut app, KeyCode::Backspace).await;
    }
    keys(&mut app, "}").await;
    assert!(
        app.editor.editing.as_ref().unwrap().error.is_none(),
        "{:?}",
        app.editor.editing.as_ref().unwrap().value()
    );
}

/// The JSON the echo route answers with: what the gateway received.
fn echoed(app: &App) -> serde_json::Value {
    match &app.state {
        RequestState::Done { exchange, .. } => {
            serde_json::from_slice(&exchange.response.body).expect("echo JSON")
        }
        other => panic!("no response: {other:?}"),
    }
}

fn last_canonical_line(app: &App) -> String {
    let trace = app.preview.as_ref().expect("a preview");
    trace.canonical_request.lines().last().unwrap().to_string()
}

#[tokio::test]
async fn form_and_file_bodies_are_edited_in_the_body_tab_and_sent_signed() {
    use sha2::{Digest, Sha256};
    let server = mock::start(MockConfig::default(), 0).await.unwrap();
    let mut app = demo_app(&server.base_url());
    select(&mut app, "Echo with a tricky query").await;
    act(&mut app, Action::Enter).await;
    for _ in 0..3 {
        act(&mut app, Action::NextTab).await;
    }
    // none → json → text → form
    for _ in 0..3 {
        act(&mut app, Action::Toggle).await;
    }
    assert!(screen(&app, 160, 45).contains("No fields: a adds one"));
    act(&mut app, Action::AddRow).await;
    keys(&mut app, "name").await;
    key(&mut app, KeyCode::Enter).await;
    act(&mut app, Action::Right).await;
    act(&mut app, Action::Enter).await;
    keys(&mut app, "rex & co").await;
    key(&mut app, KeyCode::Enter).await;
    act(&mut app, Action::AddRow).await;
    keys(&mut app, "off").await;
    key(&mut app, KeyCode::Enter).await;
    act(&mut app, Action::Toggle).await; // the second field is not sent
    let s = screen(&app, 160, 45);
    assert!(s.contains("[x] name") && s.contains("[ ] off"), "{s}");
    let titles = sigscope::tui::view::panes::tab_titles(app.spec().unwrap(), 200, 3);
    assert_eq!(
        titles[3], "Body (form 2)",
        "with room, the tab says the body type"
    );
    let narrow = sigscope::tui::view::panes::tab_titles(app.spec().unwrap(), 30, 3);
    assert_eq!(
        narrow,
        ["U", "Q", "H", "Body", "A", "V"],
        "the selected tab stays readable"
    );
    let form = "name=rex%20%26%20co";
    assert_eq!(
        last_canonical_line(&app),
        hex::encode(Sha256::digest(form)),
        "the preview hashes the encoded form"
    );
    act(&mut app, Action::Send).await;
    assert_eq!(status_of(&app), 200, "{:?}", app.state);
    let echo = echoed(&app);
    assert_eq!(echo["body"], form, "{echo}");

    // form → file: hashed off the loop for the preview, read by the send.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("payload.bin");
    let bytes: Vec<u8> = (0u8..=255).cycle().take(70_000).collect();
    std::fs::write(&file, &bytes).unwrap();
    app.focus = Pane::Request;
    app.editor.row = 0;
    act(&mut app, Action::Toggle).await;
    assert!(screen(&app, 160, 45).contains("Enter the file's path"));
    act(&mut app, Action::Down).await;
    act(&mut app, Action::Enter).await;
    let path = file.display().to_string();
    for c in path.chars() {
        let cmds = app.update(Message::Key(KeyEvent::from(KeyCode::Char(c))));
        assert!(
            cmds.iter().all(|c| !matches!(c, Command::HashFile { .. })),
            "nothing is read while the path is typed: {cmds:?}"
        );
        drive(&mut app, cmds).await;
    }
    let cmds = app.update(Message::Key(KeyEvent::from(KeyCode::Enter)));
    assert!(
        cmds.iter()
            .any(|c| matches!(c, Command::HashFile { path: p } if *p == path)),
        "the loop does not read the file; a task hashes it: {cmds:?}"
    );
    assert!(app.preview.is_none(), "no preview until the hash is in");
    drive(&mut app, cmds).await;
    assert_eq!(
        last_canonical_line(&app),
        hex::encode(Sha256::digest(&bytes))
    );
    let out = act(&mut app, Action::CopyCurl).await;
    let Some(Command::Copy(curl)) = out.first() else {
        panic!("{out:?}")
    };
    assert!(
        curl.contains(&format!("--data-binary @'{}'", file.display())),
        "curl reads the file itself: {curl}"
    );
    act(&mut app, Action::Send).await;
    assert_eq!(status_of(&app), 200, "{:?}", app.state);
    let RequestState::Done { exchange, .. } = &app.state else {
        unreachable!()
    };
    assert_eq!(
        exchange.request.body.len(),
        bytes.len(),
        "the file was sent whole"
    );

    // A missing file: said inline, and the send says why.
    std::fs::remove_file(&file).unwrap();
    app.focus = Pane::Request;
    act(&mut app, Action::Enter).await;
    keys(&mut app, "-gone").await;
    key(&mut app, KeyCode::Enter).await;
    let e = app
        .prepare_error
        .clone()
        .expect("the missing file is reported");
    assert!(
        e.contains("payload.bin-gone") && e.contains("No such file"),
        "{e}"
    );
    act(&mut app, Action::Send).await;
    assert!(
        matches!(&app.state, RequestState::Failed(e) if e.contains("payload.bin-gone")),
        "{:?}",
        app.state
    );
}

fn open_files(paths: &[&std::path::Path]) -> App {
    let docs = paths
        .iter()
        .map(|p| sigscope::tui::workspace::Doc {
            loaded: sigscope::model::load(p).unwrap(),
            persistent: true,
            dirty: false,
            env: None,
        })
        .collect();
    App::with_docs(docs)
}

#[tokio::test]
async fn the_next_run_opens_where_this_one_left_off() {
    use sigscope::tui::session;
    let dir = tempfile::tempdir().unwrap();
    let (demo, petstore) = (
        dir.path().join("demo.json"),
        dir.path().join("petstore.json"),
    );
    std::fs::copy("collections/demo.json", &demo).unwrap();
    std::fs::copy("collections/petstore-iam.json", &petstore).unwrap();
    let mut app = open_files(&[&demo, &petstore]);
    // Fold the demo collection and the "HTTP API" folder, pick "REST API (AWS_IAM)/Get a pet", and
    // the prod environment.
    act(&mut app, Action::Top).await;
    act(&mut app, Action::Enter).await;
    select(&mut app, "HTTP API/Echo JSON").await;
    act(&mut app, Action::Up).await;
    act(&mut app, Action::Enter).await;
    select(&mut app, "REST API (AWS_IAM)/Get a pet").await;
    act(&mut app, Action::Environment).await;
    let picked = screen(&app, 160, 45);
    assert!(picked.contains("prod"), "{picked}");
    key(&mut app, KeyCode::Down).await;
    key(&mut app, KeyCode::Down).await;
    key(&mut app, KeyCode::Enter).await;
    assert_eq!(app.ws.docs[1].env.as_deref(), Some("prod"));
    app.profile = Some("staging".into());
    let before = screen(&app, 160, 45);
    assert!(
        !before.contains("Wrong secret key") && before.contains("▸ HTTP API"),
        "the demo and HTTP API are folded: {before}"
    );

    let file = dir.path().join("data/session.json");
    session::save(&file, &session::capture(&app)).unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("REST API (AWS_IAM)/Get a pet") && text.contains("HTTP API"),
        "{text}"
    );
    // Nothing changed: the file is left alone (an atomic write would be a new inode).
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let inode = std::fs::metadata(&file).unwrap().ino();
        session::save(&file, &session::capture(&app)).unwrap();
        assert_eq!(std::fs::metadata(&file).unwrap().ino(), inode);
    }

    let mut next = open_files(&[&demo, &petstore]);
    assert_ne!(next.selected_path(), app.selected_path());
    session::restore(&mut next, &session::load(&file));
    assert_eq!(
        next.selected_path().as_deref(),
        Some("REST API (AWS_IAM)/Get a pet")
    );
    assert_eq!(next.ws.docs[1].env.as_deref(), Some("prod"));
    assert_eq!(next.profile.as_deref(), Some("staging"));
    assert_eq!(next.ws.collapsed, app.ws.collapsed);
    // The same screen, but for the footer's notice about the environment switch.
    let body = |s: &str| s.lines().take(44).collect::<Vec<_>>().join("\n");
    assert_eq!(body(&screen(&next, 160, 45)), body(&before));

    // What no longer exists is ignored: a renamed request, a removed environment.
    let mut c: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&petstore).unwrap()).unwrap();
    c["folders"][0]["requests"][1]["name"] = "Fetch a pet".into();
    c["environments"].as_object_mut().unwrap().remove("prod");
    std::fs::write(&petstore, c.to_string()).unwrap();
    let mut changed = open_files(&[&demo, &petstore]);
    session::restore(&mut changed, &session::load(&file));
    assert_eq!(
        changed.selected_path().as_deref(),
        Some("REST API (AWS_IAM)/List pets"),
        "the first request still in view (the demo is folded)"
    );
    assert_eq!(changed.ws.docs[1].env, None);
    // An unreadable session starts fresh.
    std::fs::write(&file, "{ not json").unwrap();
    assert_eq!(session::load(&file), session::Session::default());
    // The built-in demo (no file) is not remembered.
    let demo_app = demo_app("http://127.0.0.1:9");
    assert_eq!(session::capture(&demo_app).selected, None);
}

#[tokio::test]
async fn the_vars_tab_shows_where_each_variable_comes_from_and_edits_it_there() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("petstore.json");
    std::fs::copy("collections/petstore-iam.json", &file).unwrap();
    let mut app = open_files(&[&file]);
    select(&mut app, "REST API (AWS_IAM)/Get a pet").await;
    act(&mut app, Action::Environment).await;
    key(&mut app, KeyCode::Down).await;
    key(&mut app, KeyCode::Enter).await;
    assert_eq!(app.ws.docs[0].env.as_deref(), Some("dev"));
    act(&mut app, Action::Enter).await;
    for _ in 0..5 {
        act(&mut app, Action::NextTab).await;
    }
    let s = screen(&app, 160, 45);
    assert!(s.contains("Vars"), "{s}");
    assert!(
        s.contains("restUrl") && s.contains("← env dev") && s.contains("← collection"),
        "{s}"
    );
    let row_of = |app: &App, name: &str, source: &str| {
        app.var_rows()
            .iter()
            .position(|v| v.name == name && v.source == source)
    };
    let url = |app: &App| {
        let c = &app.ws.docs[0].loaded.collection;
        let r = app.selected_request().unwrap();
        let (_, located) = app.ws.located(r).unwrap();
        let env = c.environments.get("dev");
        sigscope::http::prepare::prepare(c, env, &located)
            .unwrap()
            .request
            .url()
    };
    assert!(url(&app).ends_with("/test/pets/1"), "{}", url(&app));

    // Enter edits the value where it is defined (here the collection).
    app.editor.row = row_of(&app, "petId", "collection").unwrap();
    act(&mut app, Action::Enter).await;
    key(&mut app, KeyCode::Backspace).await;
    keys(&mut app, "42").await;
    key(&mut app, KeyCode::Enter).await;
    assert_eq!(app.ws.docs[0].loaded.collection.variables["petId"], "42");
    assert!(url(&app).ends_with("/test/pets/42"), "{}", url(&app));
    assert!(app.ws.docs[0].dirty);

    // `a` adds name=value to the selected environment, where it wins over the collection's.
    act(&mut app, Action::AddRow).await;
    keys(&mut app, "petId=7").await;
    key(&mut app, KeyCode::Enter).await;
    assert_eq!(
        app.ws.docs[0].loaded.collection.environments["dev"].variables["petId"],
        "7"
    );
    assert!(url(&app).ends_with("/test/pets/7"), "{}", url(&app));
    let shadowed = &app.var_rows()[row_of(&app, "petId", "collection").unwrap()];
    assert!(shadowed.shadowed);
    assert!(screen(&app, 160, 45).contains("← collection, overridden"));
    // The same name again at the same level, and a name that is not one, are refused.
    act(&mut app, Action::AddRow).await;
    keys(&mut app, "petId=8").await;
    key(&mut app, KeyCode::Enter).await;
    assert!(app.notice.as_ref().unwrap().1.contains("already defined"));
    act(&mut app, Action::AddRow).await;
    keys(&mut app, "pet id=8").await;
    key(&mut app, KeyCode::Enter).await;
    assert!(app
        .notice
        .as_ref()
        .unwrap()
        .1
        .contains("not a variable name"));

    // Saved with the collection.
    act(&mut app, Action::Save).await;
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(saved["environments"]["dev"]["variables"]["petId"], "7");
    assert_eq!(saved["variables"]["petId"], "42");

    // `x` removes it (asking first); the collection's value is visible again.
    app.editor.row = row_of(&app, "petId", "env dev").unwrap();
    act(&mut app, Action::DeleteRow).await;
    assert!(screen(&app, 160, 45).contains("Remove {{petId}} from the env dev?"));
    keys(&mut app, "y").await;
    assert!(row_of(&app, "petId", "env dev").is_none());
    assert!(url(&app).ends_with("/test/pets/42"), "{}", url(&app));

    // The demo's gateway address is set for the run: shown, not editable, never saved.
    let mut demo = demo_app("http://127.0.0.1:9");
    act(&mut demo, Action::Enter).await;
    for _ in 0..5 {
        act(&mut demo, Action::NextTab).await;
    }
    let s = screen(&demo, 160, 45);
    assert!(
        s.contains("http://127.0.0.1:9") && s.contains("← this run (not saved)"),
        "{s}"
    );
    demo.editor.row = 0;
    act(&mut demo, Action::Enter).await;
    assert!(demo.prompt.is_none());
    assert!(demo
        .notice
        .as_ref()
        .unwrap()
        .1
        .contains("for this run only"));
}

#[tokio::test]
async fn saving_writes_the_file_refuses_secrets_and_asks_on_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.json");
    std::fs::copy("collections/demo.json", &path).unwrap();
    let loaded = sigscope::model::load(&path).unwrap();
    let mut app = App::with_docs(vec![sigscope::tui::workspace::Doc {
        loaded,
        persistent: true,
        dirty: false,
        env: None,
    }]);
    app.drafts_dir = Some(dir.path().join("drafts"));
    app.set_fixed_credentials(mock::demo_credentials);
    act(&mut app, Action::Enter).await;
    act(&mut app, Action::Enter).await; // Method
    key(&mut app, KeyCode::Backspace).await;
    key(&mut app, KeyCode::Backspace).await;
    key(&mut app, KeyCode::Backspace).await;
    keys(&mut app, "HEAD").await;
    key(&mut app, KeyCode::Enter).await;
    // The edit is kept as a draft until saved.
    let draft = sigscope::model::drafts::read(&dir.path().join("drafts"), &app.ws.docs[0].loaded)
        .expect("a draft")
        .unwrap();
    assert_eq!(draft.collection.requests[0].method, "HEAD");
    act(&mut app, Action::Save).await;
    assert!(!app.ws.docs[0].dirty);
    let on_disk = sigscope::model::load(&path).unwrap();
    assert_eq!(on_disk.collection.requests[0].method, "HEAD");
    assert!(
        sigscope::model::drafts::read(&dir.path().join("drafts"), &app.ws.docs[0].loaded).is_none(),
        "the draft is gone once saved"
    );
    // A secret typed into a header is refused, file untouched.
    for _ in 0..2 {
        act(&mut app, Action::NextTab).await;
    }
    act(&mut app, Action::AddRow).await;
    keys(&mut app, "X-Amz-Security-Token").await;
    key(&mut app, KeyCode::Enter).await;
    act(&mut app, Action::Right).await;
    act(&mut app, Action::Enter).await;
    keys(
        &mut app,
        "FwoGZXIvYXdzEJr//////////wEaDEXAMPLETOKENVALUEFORTESTSxyz0123456789abcdef",
    )
    .await;
    key(&mut app, KeyCode::Enter).await;
    act(&mut app, Action::Save).await;
    let notice = app.notice.clone().unwrap().1;
    assert!(notice.contains("not saved"), "{notice}");
    assert!(app.ws.docs[0].dirty);
    assert!(!std::fs::read_to_string(&path)
        .unwrap()
        .contains("EXAMPLETOKEN"));
    act(&mut app, Action::DeleteRow).await;
    // Someone else changes the file: Ctrl-S asks, o overwrites.
    std::fs::write(
        &path,
        std::fs::read_to_string(&path)
            .unwrap()
            .replace("List pets", "Listed elsewhere"),
    )
    .unwrap();
    act(&mut app, Action::Save).await;
    assert!(
        matches!(app.prompt, Some(Prompt::Confirm { .. })),
        "conflict prompt"
    );
    assert!(screen(&app, 160, 45).contains("changed on disk"));
    key(&mut app, KeyCode::Char('o')).await;
    assert!(!app.ws.docs[0].dirty);
    assert!(std::fs::read_to_string(&path)
        .unwrap()
        .contains("List pets"));
}

#[tokio::test]
async fn the_built_in_demo_is_saved_where_the_user_says() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = demo_app("http://127.0.0.1:9");
    act(&mut app, Action::Enter).await;
    act(&mut app, Action::Down).await; // the URL row
    act(&mut app, Action::Enter).await;
    keys(&mut app, "/7").await;
    key(&mut app, KeyCode::Enter).await;
    let out = act(&mut app, Action::Save).await;
    assert!(out.is_empty());
    let s = screen(&app, 160, 45);
    assert!(
        s.contains("Save as") && s.contains("sigscope-demo.json"),
        "{s}"
    );
    // Replace the suggested path with one in the temporary folder (a folder made for it).
    for _ in 0..200 {
        key(&mut app, KeyCode::Backspace).await;
    }
    let path = dir.path().join("mine/demo copy.json");
    keys(&mut app, &path.display().to_string()).await;
    key(&mut app, KeyCode::Enter).await;
    let saved = std::fs::read_to_string(&path).expect("saved");
    assert!(saved.contains("{{baseUrl}}/test/pets/7"), "{saved}");
    assert!(
        !saved.contains("127.0.0.1:9"),
        "the demo's address override is never saved: {saved}"
    );
    assert!(app.ws.docs[0].persistent && !app.ws.docs[0].dirty);
    // From now on it is a file like any other: the next save goes straight to it.
    act(&mut app, Action::Enter).await;
    keys(&mut app, "7").await;
    key(&mut app, KeyCode::Enter).await;
    act(&mut app, Action::Save).await;
    assert!(app.prompt.is_none());
    assert!(std::fs::read_to_string(&path)
        .unwrap()
        .contains("/test/pets/77"));

    // Quitting with unsaved edits: "save" asks where, then saves and quits; Esc there stays.
    for save_it in [false, true] {
        let mut app = demo_app("http://127.0.0.1:9");
        act(&mut app, Action::Enter).await;
        act(&mut app, Action::Down).await;
        act(&mut app, Action::Enter).await;
        keys(&mut app, "/8").await;
        key(&mut app, KeyCode::Enter).await;
        act(&mut app, Action::Quit).await;
        keys(&mut app, "s").await;
        assert!(screen(&app, 160, 45).contains("Save as"));
        if !save_it {
            key(&mut app, KeyCode::Esc).await;
            assert!(!app.should_quit);
            continue;
        }
        for _ in 0..200 {
            key(&mut app, KeyCode::Backspace).await;
        }
        let other = dir.path().join("on-quit.json");
        keys(&mut app, &other.display().to_string()).await;
        let out = key(&mut app, KeyCode::Enter).await;
        assert!(std::fs::read_to_string(&other)
            .unwrap()
            .contains("/test/pets/8"));
        assert!(
            app.should_quit && matches!(out.as_slice(), [Command::Quit]),
            "{out:?}"
        );
    }
}

#[tokio::test]
async fn quitting_with_unsaved_changes_asks() {
    let mut app = demo_app("http://127.0.0.1:9");
    act(&mut app, Action::NewRequest).await;
    key(&mut app, KeyCode::Esc).await;
    assert!(app.ws.docs[0].dirty);
    let out = act(&mut app, Action::Quit).await;
    assert!(out.is_empty() && !app.should_quit);
    assert!(screen(&app, 160, 45).contains("Unsaved changes in"));
    key(&mut app, KeyCode::Esc).await;
    assert!(app.prompt.is_none() && !app.should_quit, "Esc stays");
    act(&mut app, Action::Quit).await;
    let out = key(&mut app, KeyCode::Char('d')).await;
    assert!(app.should_quit && matches!(out.last(), Some(Command::Quit)));
}

#[tokio::test]
async fn the_tree_filters_and_creates_renames_duplicates_moves_and_deletes() {
    let mut app = demo_app("http://127.0.0.1:9");
    act(&mut app, Action::Filter).await;
    keys(&mut app, "wrong").await;
    let visible: Vec<String> = app
        .ws
        .rows
        .iter()
        .skip(1)
        .map(|r| r.label.clone())
        .collect();
    assert_eq!(visible, ["Wrong secret key", "Wrong region"]);
    assert_eq!(app.selected_path().as_deref(), Some("Wrong secret key"));
    key(&mut app, KeyCode::Esc).await;
    assert_eq!(app.ws.rows.len(), 10, "Esc clears the filter");
    // A folder, named as it is created.
    act(&mut app, Action::NewFolder).await;
    for _ in 0.."New folder".len() {
        key(&mut app, KeyCode::Backspace).await;
    }
    keys(&mut app, "Admin").await;
    key(&mut app, KeyCode::Enter).await;
    assert_eq!(app.ws.docs[0].loaded.collection.folders[0].name, "Admin");
    // Duplicate a request, rename the copy, move it into the folder.
    select(&mut app, "List pets").await;
    act(&mut app, Action::Duplicate).await;
    assert_eq!(app.selected_path().as_deref(), Some("List pets copy"));
    act(&mut app, Action::Rename).await;
    keys(&mut app, " 2").await;
    key(&mut app, KeyCode::Enter).await;
    assert_eq!(app.selected_path().as_deref(), Some("List pets copy 2"));
    act(&mut app, Action::Move).await;
    key(&mut app, KeyCode::Down).await;
    key(&mut app, KeyCode::Enter).await;
    assert_eq!(
        app.selected_path().as_deref(),
        Some("Admin/List pets copy 2")
    );
    let s = screen(&app, 160, 45);
    assert!(
        s.contains("▾ Admin") && s.contains("List pets copy 2"),
        "{s}"
    );
    // Folders fold: Enter on the folder hides its requests, → shows them again.
    act(&mut app, Action::Up).await;
    act(&mut app, Action::Enter).await;
    assert!(screen(&app, 160, 45).contains("▸ Admin"));
    assert!(!app.ws.rows.iter().any(|r| r.label == "List pets copy 2"));
    act(&mut app, Action::Right).await;
    assert!(app.ws.rows.iter().any(|r| r.label == "List pets copy 2"));
    act(&mut app, Action::Down).await;
    assert_eq!(
        app.selected_path().as_deref(),
        Some("Admin/List pets copy 2")
    );
    // Delete asks first.
    act(&mut app, Action::Delete).await;
    key(&mut app, KeyCode::Char('n')).await;
    assert_eq!(
        app.ws.docs[0].loaded.collection.folders[0].requests.len(),
        1
    );
    act(&mut app, Action::Delete).await;
    key(&mut app, KeyCode::Char('y')).await;
    assert!(app.ws.docs[0].loaded.collection.folders[0]
        .requests
        .is_empty());
}

#[tokio::test]
async fn the_response_pane_searches_wraps_filters_with_jq_and_shows_hex() {
    let server = mock::start(MockConfig::default(), 0).await.unwrap();
    let mut app = demo_app(&server.base_url());
    act(&mut app, Action::Send).await;
    app.focus = Pane::Response;
    act(&mut app, Action::Search).await;
    keys(&mut app, "cat").await;
    key(&mut app, KeyCode::Enter).await;
    let at = app.response.scroll;
    assert!(at > 0, "search moved to the match");
    let s = screen(&app, 160, 45);
    assert!(s.contains("\"cat\""), "{s}");
    act(&mut app, Action::JqFilter).await;
    for _ in 0..1 {
        key(&mut app, KeyCode::Backspace).await;
    }
    keys(&mut app, "[.[] | .name]").await;
    key(&mut app, KeyCode::Enter).await;
    let RequestState::Done { body, .. } = &app.state else {
        panic!()
    };
    let jq = body.jq.as_ref().expect("jq ran");
    let out = jq.result.as_ref().unwrap();
    assert_eq!(out.line(0), b"[");
    let s = screen(&app, 160, 45);
    assert!(s.contains("jq [.[] | .name]"), "{s}");
    // A bad filter says why.
    act(&mut app, Action::JqFilter).await;
    keys(&mut app, "[[[").await;
    key(&mut app, KeyCode::Enter).await;
    assert!(screen(&app, 160, 45).contains("does not parse"));
    act(&mut app, Action::Cancel).await;
    act(&mut app, Action::ViewMode).await; // raw
    act(&mut app, Action::ViewMode).await; // hex
    let s = screen(&app, 160, 45);
    assert!(s.contains("00000000  5b"), "hex view of '[': {s}");
    act(&mut app, Action::Wrap).await;
    assert!(app.response.wrap);
}

#[tokio::test]
async fn a_large_body_is_formatted_in_the_background_and_pages() {
    let mut app = demo_app("http://127.0.0.1:9");
    // 5.5 MB of minified JSON: above the in-loop threshold.
    let items: Vec<String> = (0..120_000)
        .map(|i| format!("{{\"id\":{i},\"name\":\"pet-{i}\",\"tags\":[\"a\",\"b\"]}}"))
        .collect();
    let body = format!("[{}]", items.join(","));
    let cmds = app.update(Message::Action(Action::Send));
    let id = match &cmds[0] {
        Command::Send { id, .. } => *id,
        other => panic!("{other:?}"),
    };
    let exchange = sigscope::http::Exchange {
        request: sigscope::sign::WireRequest::from_url("GET", "http://127.0.0.1:9/big").unwrap(),
        trace: None,
        response: sigscope::http::Response {
            status: 200,
            reason: "OK".into(),
            headers: vec![("content-type".into(), "application/json".into())],
            body: bytes::Bytes::from(body),
        },
        timing: sigscope::http::Timing {
            started: std::time::SystemTime::now(),
            total: Duration::from_millis(12),
        },
    };
    let cmds = app.update(Message::Sent {
        id,
        result: Ok(Box::new(exchange)),
    });
    assert!(
        matches!(cmds.first(), Some(Command::Format { .. })),
        "formatting goes to the background"
    );
    let s = screen(&app, 160, 45);
    assert!(
        s.contains("formatting 5."),
        "a placeholder while it runs: {s}"
    );
    drive(&mut app, cmds).await;
    let s = screen(&app, 160, 45);
    assert!(s.contains("\"name\": \"pet-0\""), "{s}");
    app.focus = Pane::Response;
    act(&mut app, Action::Bottom).await;
    let s = screen(&app, 160, 45);
    assert!(s.contains("pet-119999"), "{s}");
    // A body this size is searched off the loop; the answer moves the view.
    act(&mut app, Action::Search).await;
    keys(&mut app, "pet-60000\"").await;
    let cmds = app.update(Message::Key(KeyEvent::from(KeyCode::Enter)));
    assert!(
        matches!(cmds.as_slice(), [Command::Search { .. }]),
        "{cmds:?}"
    );
    drive(&mut app, cmds).await;
    let s = screen(&app, 160, 45);
    assert!(s.contains("\"name\": \"pet-60000\""), "{s}");
    act(&mut app, Action::Top).await;
    // Raw: the body as received is one 5.5 MB line; → scrolls it sideways.
    act(&mut app, Action::ViewMode).await;
    assert!(screen(&app, 160, 45).contains("[{\"id\":0,\"name\":\"pet-0\""));
    act(&mut app, Action::Right).await;
    let s = screen(&app, 160, 45);
    assert!(
        !s.contains("[{\"id\":0,") && s.contains("\"tags\":[\"a\",\"b\"]},{\"id\":1"),
        "{s}"
    );
}

#[tokio::test]
async fn history_records_each_send_and_reopens_an_exchange() {
    let dir = tempfile::tempdir().unwrap();
    let server = mock::start(MockConfig::default(), 0).await.unwrap();
    let mut app = demo_app(&server.base_url());
    app.history_dir = Some(dir.path().to_path_buf());
    act(&mut app, Action::Send).await;
    // The record is written after the response is shown: wait for it, then reload the list.
    for _ in 0..50 {
        if std::fs::read_dir(dir.path()).unwrap().count() > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    select(&mut app, "Wrong secret key").await;
    select(&mut app, "List pets").await;
    assert_eq!(app.history.len(), 1, "one exchange for this request");
    let s = screen(&app, 160, 45);
    assert!(s.contains("History (1)"), "{s}");
    app.focus = Pane::History;
    act(&mut app, Action::Enter).await;
    let RequestState::Done {
        from_history: Some(_),
        ..
    } = &app.state
    else {
        panic!("{:?}", app.state)
    };
    assert_eq!(status_of(&app), 200);
    assert!(screen(&app, 160, 45).contains("from history"));
}

#[tokio::test]
async fn environments_switch_and_the_curl_copy_carries_no_secret() {
    let mut c: sigscope::model::Collection =
        serde_json::from_str(include_str!("../collections/demo.json")).unwrap();
    for (name, port) in [("one", 1111), ("two", 2222)] {
        let mut env = sigscope::model::Environment::default();
        env.variables
            .insert("baseUrl".into(), format!("http://127.0.0.1:{port}"));
        c.environments.insert(name.into(), env);
    }
    let mut app = App::new(c);
    app.set_fixed_credentials(mock::demo_credentials);
    act(&mut app, Action::Environment).await;
    assert!(screen(&app, 160, 45).contains("(no environment)"));
    key(&mut app, KeyCode::Down).await;
    key(&mut app, KeyCode::Down).await;
    key(&mut app, KeyCode::Enter).await;
    assert_eq!(app.ws.docs[0].env.as_deref(), Some("two"));
    assert!(screen(&app, 160, 45).contains("env: two"));
    let out = act(&mut app, Action::CopyCurl).await;
    let Some(Command::Copy(curl)) = out.first() else {
        panic!("{out:?}")
    };
    assert!(
        curl.contains("http://127.0.0.1:2222/test/pets")
            && curl.contains("--aws-sigv4 'aws:amz:us-east-1:execute-api'"),
        "{curl}"
    );
    assert!(
        !curl.contains("wJalrXUtnFEMI") && !curl.contains("AKIAIOSFODNN7EXAMPLE"),
        "{curl}"
    );
    let osc = sigscope::tui::osc52("hi");
    assert_eq!(osc, "\x1b]52;c;aGk=\x07");
}

#[tokio::test]
async fn the_mouse_focuses_and_selects_and_the_wheel_scrolls() {
    let server = mock::start(MockConfig::default(), 0).await.unwrap();
    let mut app = demo_app(&server.base_url());
    act(&mut app, Action::Send).await;
    let areas = view::layout(&app, ratatui::layout::Rect::new(0, 0, 160, 45));
    let click = |x, y| MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: x,
        row: y,
        modifiers: KeyModifiers::NONE,
    };
    // The third row of the tree ("Echo with a tricky query": root, List, Create, Echo).
    app.update(Message::Mouse(click(
        areas.tree.x + 3,
        areas.tree.y + 1 + 3,
    )));
    assert_eq!(
        app.selected_path().as_deref(),
        Some("Echo with a tricky query")
    );
    act(&mut app, Action::Top).await;
    select(&mut app, "List pets").await;
    act(&mut app, Action::Send).await;
    let r = areas.response.unwrap();
    app.update(Message::Mouse(click(r.x + 2, r.y + 2)));
    assert_eq!(app.focus, Pane::Response);
    // A click on the "Headers" tab of the request editor picks it.
    let q = areas.request.unwrap();
    // Where "Headers" is drawn on the tab line, as a user sees it.
    let drawn = screen(&app, 160, 45);
    let tab_line: Vec<char> = drawn
        .lines()
        .nth(q.y as usize + 1)
        .unwrap()
        .chars()
        .collect();
    let x = (0..tab_line.len())
        .find(|&i| tab_line[i..].starts_with(&['H', 'e', 'a', 'd', 'e', 'r', 's']))
        .unwrap() as u16
        + 2;
    app.update(Message::Mouse(click(x, q.y + 1)));
    assert_eq!(app.focus, Pane::Request);
    assert_eq!(app.editor.tab_index, 2);
    assert!(screen(&app, 160, 45).contains("No rows: a adds one"));
    let vars = (0..tab_line.len())
        .find(|&i| tab_line[i..].starts_with(&['V', 'a', 'r', 's']))
        .unwrap() as u16;
    app.update(Message::Mouse(click(vars + 1, q.y + 1)));
    assert_eq!(app.editor.tab(), sigscope::tui::editor::Tab::Vars);
    app.update(Message::Mouse(click(r.x + 2, r.y + 2)));
    let wheel = MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: r.x + 2,
        row: r.y + 5,
        modifiers: KeyModifiers::NONE,
    };
    app.update(Message::Mouse(wheel));
    assert_eq!(app.response.scroll, 3);
}

#[tokio::test]
async fn no_color_leaves_every_cell_uncoloured_and_themes_change_colours() {
    use ratatui::style::Color;
    let server = mock::start(MockConfig::default(), 0).await.unwrap();
    let mut app = demo_app(&server.base_url());
    act(&mut app, Action::Send).await;
    let colours = |app: &App| {
        let mut t = Terminal::new(TestBackend::new(160, 45)).unwrap();
        t.draw(|f| view::render(app, f)).unwrap();
        let buf = t.backend().buffer().clone();
        buf.content()
            .iter()
            .filter(|c| c.fg != Color::Reset || c.bg != Color::Reset)
            .count()
    };
    assert!(colours(&app) > 50, "the dark theme colours things");
    let dark_accent = app.theme.color(sigscope::tui::theme::Role::Accent);
    app.theme =
        sigscope::tui::theme::Theme::load(Some("light"), std::path::Path::new("/nonexistent"))
            .unwrap();
    assert_ne!(
        app.theme.color(sigscope::tui::theme::Role::Accent),
        dark_accent
    );
    app.theme = app.theme.clone().no_color();
    assert_eq!(colours(&app), 0, "NO_COLOR: no colour anywhere");
}

#[test]
fn help_overlay_lists_every_action_and_quit_quits() {
    let mut app = demo_app("http://127.0.0.1:9");
    app.update(Message::Action(Action::Help));
    let s = screen(&app, 160, 45);
    assert!(s.contains("Keys (any key closes)"), "{s}");
    for desc in [
        "copy as curl (OSC 52)",
        "jq filter",
        "filter requests",
        "edit the body in $EDITOR",
        "switch AWS profile",
    ] {
        assert!(s.contains(desc), "{desc}: {s}");
    }
    app.update(Message::Action(Action::Down));
    assert!(!app.show_help);
    assert!(matches!(
        app.update(Message::Action(Action::Quit)).as_slice(),
        [Command::Quit]
    ));
}

#[test]
fn a_user_keymap_rebinds_send() {
    let mut app = demo_app("http://127.0.0.1:9");
    let (map, warnings) = sigscope::tui::keymap::KeyMap::with_overrides(r#"{"send": "f5"}"#);
    assert!(warnings.is_empty());
    app.keymap = map;
    let f5 = KeyEvent::from(KeyCode::F(5));
    assert_eq!(app.keymap.action(f5, app.context()), Some(Action::Send));
    assert!(
        screen(&app, 160, 45).contains(" f5 "),
        "the footer follows the keymap"
    );
}

fn tmux(args: &[&str]) -> std::process::Output {
    std::process::Command::new("tmux")
        .args(args)
        .output()
        .expect("tmux is required (.ci/run installs it)")
}

struct Session(String);

impl Session {
    fn start(cmd: &str, env: &[(&str, &str)]) -> Session {
        let name = format!(
            "sigscope-test-{}-{}",
            std::process::id(),
            uuid::Uuid::new_v4().simple()
        );
        let mut args = vec![
            "new-session".to_string(),
            "-d".into(),
            "-s".into(),
            name.clone(),
            "-x".into(),
            "140".into(),
            "-y".into(),
            "40".into(),
        ];
        for (k, v) in env {
            args.push("-e".into());
            args.push(format!("{k}={v}"));
        }
        args.push(format!("{cmd}; echo SIGSCOPE-EXITED; sleep 20"));
        let started = tmux(&args.iter().map(String::as_str).collect::<Vec<_>>());
        assert!(
            started.status.success(),
            "{}",
            String::from_utf8_lossy(&started.stderr)
        );
        Session(name)
    }
    fn capture(&self) -> String {
        String::from_utf8_lossy(&tmux(&["capture-pane", "-t", &self.0, "-p"]).stdout).into_owned()
    }
    fn send(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &self.0];
        args.extend(keys);
        tmux(&args);
    }
    fn wait_for(&self, needle: &str) -> String {
        for _ in 0..150 {
            let s = self.capture();
            if s.contains(needle) {
                return s;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("'{needle}' never appeared:\n{}", self.capture());
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        tmux(&["kill-session", "-t", &self.0]);
    }
}

/// The real binary over a copy of the demo collection, with data and settings of its own.
struct Workbench {
    dir: tempfile::TempDir,
}

impl Workbench {
    fn new() -> Workbench {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("collections")).unwrap();
        std::fs::copy(
            "collections/demo.json",
            dir.path().join("collections/demo.json"),
        )
        .unwrap();
        Workbench { dir }
    }
    fn collection(&self) -> std::path::PathBuf {
        self.dir.path().join("collections/demo.json")
    }
    fn data(&self) -> std::path::PathBuf {
        self.dir.path().join("data")
    }
    /// Starts it, with `env` added to the data and settings folders.
    fn start(&self, env: &[(&str, &str)]) -> Session {
        let data = self.data();
        let mut all = vec![
            ("SIGSCOPE_DATA_DIR", data.to_str().unwrap()),
            ("SIGSCOPE_CONFIG_DIR", data.to_str().unwrap()),
        ];
        all.extend_from_slice(env);
        let cmd = format!(
            "{} --collections {}",
            env!("CARGO_BIN_EXE_sigscope"),
            self.dir.path().join("collections").display()
        );
        Session::start(&cmd, &all)
    }
}

/// The real binary in a real terminal (tmux): open, send, read the screen, quit, and check
/// the terminal came back.
#[test]
fn the_demo_in_a_real_terminal() {
    let data = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_sigscope");
    let s = Session::start(
        &format!("{bin} demo"),
        &[
            ("SIGSCOPE_DATA_DIR", data.path().to_str().unwrap()),
            ("SIGSCOPE_CONFIG_DIR", data.path().to_str().unwrap()),
        ],
    );
    s.wait_for("List pets");
    s.send(&["C-r"]);
    s.wait_for("200 OK");
    s.send(&["q"]);
    let after = s.wait_for("SIGSCOPE-EXITED");
    assert!(
        !after.contains("Collections"),
        "the alternate screen was not left:\n{after}"
    );
}

/// Edits survive a crash: the workbench is killed with unsaved edits, and the next start
/// restores them from the draft and says so.
#[test]
fn a_killed_workbench_leaves_a_draft_that_the_next_start_restores() {
    let w = Workbench::new();
    let s = w.start(&[]);
    s.wait_for("List pets");
    // Tree → `r` rename → type → Enter: a committed edit, drafted at once.
    s.send(&["r"]);
    s.wait_for("Rename");
    s.send(&[" NOW"]);
    s.send(&["Enter"]);
    s.wait_for("List pets NOW");
    std::thread::sleep(Duration::from_millis(300));
    drop(s); // kill the session: no save, no prompt
    assert!(!std::fs::read_to_string(w.collection())
        .unwrap()
        .contains("NOW"));
    let s = w.start(&[]);
    let screen = s.wait_for("restored unsaved edits");
    assert!(
        screen.contains("List pets NOW") && screen.contains("●"),
        "{screen}"
    );
}

/// The real binary keeps its session on quit: the next start selects the same request.
#[test]
fn quitting_keeps_the_selection_for_the_next_start() {
    let w = Workbench::new();
    let s = w.start(&[]);
    s.wait_for("Request: List pets");
    s.send(&["Down", "Down"]);
    s.wait_for("Request: Echo with a tricky query");
    s.send(&["q"]);
    s.wait_for("SIGSCOPE-EXITED");
    let kept = std::fs::read_to_string(w.data().join("session.json")).unwrap();
    assert!(kept.contains("Echo with a tricky query"), "{kept}");
    let s = w.start(&[]);
    s.wait_for("Request: Echo with a tricky query");
}

#[tokio::test]
async fn the_doctor_panel_stops_at_the_failing_step() {
    let server = mock::start(MockConfig::default(), 0).await.unwrap();
    let mut app = demo_app(&server.base_url());
    select(&mut app, "Denied resource").await;
    act(&mut app, Action::Doctor).await;
    let s = screen(&app, 160, 45);
    assert!(
        s.contains("Doctor") && s.contains("ok   credentials resolve"),
        "{s}"
    );
    assert!(
        s.contains("FAIL the request itself") && s.contains("access-denied"),
        "{s}"
    );
}

#[tokio::test]
async fn a_drifting_server_clock_is_shown_even_when_the_request_succeeds() {
    let server = mock::start(
        MockConfig {
            clock_skew_secs: 180,
            ..MockConfig::default()
        },
        0,
    )
    .await
    .unwrap();
    let mut app = demo_app(&server.base_url());
    act(&mut app, Action::Send).await;
    let s = screen(&app, 160, 45);
    assert!(s.contains("200 OK"), "{s}");
    assert!(
        s.contains("your clock is 3m00s behind the server's")
            || s.contains("your clock is 2m59s behind"),
        "{s}"
    );
}

#[tokio::test]
async fn the_profile_switcher_resolves_identity_in_the_background_and_previews_with_it() {
    let c: sigscope::model::Collection =
        serde_json::from_str(include_str!("../collections/demo.json")).unwrap();
    let mut app = App::new(c);
    app.overrides
        .insert("baseUrl".into(), "http://127.0.0.1:9".into());
    assert!(
        app.preview.is_none(),
        "no credentials in hand: no preview, and no blocking"
    );
    // What `P` gets back from the background listing of ~/.aws.
    app.update(Message::Profiles(vec!["dev".into(), "prod".into()]));
    assert!(screen(&app, 160, 45).contains("AWS profile"));
    app.update(Message::Key(KeyEvent::from(KeyCode::Down)));
    let cmds = app.update(Message::Key(KeyEvent::from(KeyCode::Enter)));
    assert!(
        matches!(cmds.as_slice(), [Command::Identity { profile: Some(p) }] if p == "dev"),
        "{cmds:?}"
    );
    assert!(screen(&app, 160, 45).contains("profile: dev · resolving identity"));
    let creds = sigscope::aws::credentials::Credentials {
        expiry: Some(std::time::SystemTime::now() + Duration::from_secs(3000)),
        ..mock::demo_credentials(None).unwrap()
    };
    app.update(Message::Identity {
        profile: Some("dev".into()),
        result: Ok(sigscope::tui::app::Identity {
            arn: Some("arn:aws:iam::123456789012:user/dev".into()),
            account: Some("123456789012".into()),
            key: creds.masked_access_key(),
            expiry: creds.expiry,
            source: "profile dev".into(),
            region: Some("eu-west-1".into()),
            note: None,
            credentials: Some(creds),
        }),
    });
    let s = screen(&app, 160, 45);
    assert!(
        s.contains("arn:aws:iam::123456789012:user/dev") && s.contains("expires in 49m"),
        "{s}"
    );
    assert!(
        app.preview.is_some(),
        "the resolved credentials preview the signature"
    );
    // A send uses them too: no second resolution.
    let cmds = app.update(Message::Action(Action::Send));
    assert!(matches!(
        &cmds[0],
        Command::Send {
            credentials: Some(_),
            ..
        }
    ));
}

/// `e` hands the terminal to `$EDITOR` and takes the body back (here an "editor" script that
/// rewrites the file), then the workbench redraws.
#[test]
fn the_external_editor_edits_the_body() {
    let w = Workbench::new();
    let editor = w.dir.path().join("editor.sh");
    std::fs::write(
        &editor,
        "#!/bin/sh\nprintf '{\"name\": \"edited-by-editor\"}\\n' > \"$1\"\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let s = w.start(&[("EDITOR", editor.to_str().unwrap()), ("VISUAL", "")]);
    s.wait_for("List pets");
    s.send(&["j", "Enter", "]", "]", "]"]);
    s.wait_for("Body type");
    s.send(&["e"]);
    let screen = s.wait_for("edited-by-editor");
    assert!(screen.contains("● unsaved"), "{screen}");
    s.send(&["C-s"]);
    let mut saved = String::new();
    for _ in 0..50 {
        saved = std::fs::read_to_string(w.collection()).unwrap();
        if saved.contains("edited-by-editor") {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(saved.contains("edited-by-editor"), "{saved}");
    assert!(!s.capture().contains("● unsaved"), "{}", s.capture());
}

#[tokio::test]
async fn an_access_denied_shows_the_statement_with_the_account_aws_masked() {
    let server = mock::start(MockConfig::default(), 0).await.unwrap();
    let mut app = demo_app(&server.base_url());
    app.identity = Some(Ok(sigscope::tui::app::Identity {
        arn: Some("arn:aws:iam::123456789012:user/demo".into()),
        account: Some("123456789012".into()),
        key: "AKIA…MPLE".into(),
        expiry: None,
        source: "test".into(),
        region: None,
        note: None,
        credentials: None,
    }));
    select(&mut app, "Denied resource").await;
    act(&mut app, Action::Send).await;
    assert_eq!(status_of(&app), 403);
    let s = screen(&app, 200, 60);
    assert!(s.contains("diagnosis: access-denied"), "{s}");
    assert!(s.contains("\"Effect\": \"Allow\""), "{s}");
    assert!(
        s.contains("arn:aws:execute-api:us-east-1:123456789012:demoapi/test/DELETE/pets/1"),
        "the masked account is filled in: {s}"
    );
    assert!(!s.contains("********9012"), "{s}");
}

#[tokio::test]
async fn typing_pauses_leave_a_draft_without_leaving_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.json");
    std::fs::copy("collections/demo.json", &path).unwrap();
    let mut app = App::with_docs(vec![sigscope::tui::workspace::Doc {
        loaded: sigscope::model::load(&path).unwrap(),
        persistent: true,
        dirty: false,
        env: None,
    }]);
    app.drafts_dir = Some(dir.path().join("drafts"));
    act(&mut app, Action::Enter).await;
    act(&mut app, Action::Down).await;
    act(&mut app, Action::Enter).await;
    keys(&mut app, "/draft-me").await;
    assert!(app.wants_keys(), "still in the field");
    assert!(app.wants_ticks());
    assert!(app.update(Message::Tick).is_empty(), "not while typing");
    tokio::time::sleep(Duration::from_millis(450)).await;
    let cmds = app.update(Message::Tick);
    assert!(
        matches!(cmds.as_slice(), [Command::WriteDraft { .. }]),
        "{cmds:?}"
    );
    drive(&mut app, cmds).await;
    let draft = sigscope::model::drafts::read(&dir.path().join("drafts"), &app.ws.docs[0].loaded)
        .unwrap()
        .unwrap();
    assert!(draft.collection.requests[0].url.ends_with("/draft-me"));
    assert!(!app.wants_ticks(), "no clock once the draft is written");
}
