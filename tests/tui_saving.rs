//! Keeping edits, whole-app through the harness: saves (asking where for the built-in demo,
//! asking again when the file changed, refusing secrets), drafts while typing, quitting with
//! unsaved edits, and the session the next run opens with.

use crossterm::event::{KeyCode, KeyEvent};
use sigscope::mock;
use sigscope::tui::app::{Action, App, Command, Message};
use sigscope::tui::harness::Harness;
use sigscope::tui::overlays::confirm::CONFIRM;
use std::time::Duration;

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
    app.act(Action::Top).await;
    app.act(Action::Enter).await;
    app.select("HTTP API/Echo JSON").await;
    app.act(Action::Up).await;
    app.act(Action::Enter).await;
    app.select("REST API (AWS_IAM)/Get a pet").await;
    app.act(Action::Environment).await;
    let picked = app.screen();
    assert!(picked.contains("prod"), "{picked}");
    app.key(KeyCode::Down).await;
    app.key(KeyCode::Down).await;
    app.key(KeyCode::Enter).await;
    assert_eq!(app.workspace().docs[1].env.as_deref(), Some("prod"));
    // The profile switcher (the listing of ~/.aws is the task's: here, its answer); the
    // identity check it asks for is not run (it would read the real AWS set-up).
    app.update(Message::Profiles(vec!["staging".into()]));
    app.update(Message::Key(KeyEvent::from(KeyCode::Down)));
    let cmds = app.update(Message::Key(KeyEvent::from(KeyCode::Enter)));
    assert!(
        matches!(cmds.as_slice(), [Command::Identity { .. }]),
        "{cmds:?}"
    );
    let before = app.screen();
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
    session::restore(next.app_mut(), &session::load(&file));
    assert_eq!(
        next.selected_path().as_deref(),
        Some("REST API (AWS_IAM)/Get a pet")
    );
    assert_eq!(next.workspace().docs[1].env.as_deref(), Some("prod"));
    // The `P` override was for that run: the next signs as the requests and environments say.
    assert_eq!(next.profile(), None);
    let status = |s: &str| s.lines().next().unwrap_or_default().to_string();
    assert!(status(&before).contains("profile staging (session override"));
    assert!(
        status(&next.screen()).contains("profile prod (environment 'prod')"),
        "{}",
        status(&next.screen())
    );
    assert_eq!(next.workspace().collapsed, app.workspace().collapsed);
    // The same screen, but for the status line's override and the footer's notice about the
    // environment switch.
    let body = |s: &str| s.lines().skip(1).take(43).collect::<Vec<_>>().join("\n");
    assert_eq!(body(&next.screen()), body(&before));

    // What no longer exists is ignored: a renamed request, a removed environment.
    let mut c: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&petstore).unwrap()).unwrap();
    c["folders"][0]["requests"][1]["name"] = "Fetch a pet".into();
    c["environments"].as_object_mut().unwrap().remove("prod");
    std::fs::write(&petstore, c.to_string()).unwrap();
    let mut changed = open_files(&[&demo, &petstore]);
    session::restore(changed.app_mut(), &session::load(&file));
    assert_eq!(
        changed.selected_path().as_deref(),
        Some("REST API (AWS_IAM)/List pets"),
        "the first request still in view (the demo is folded)"
    );
    assert_eq!(changed.workspace().docs[1].env, None);
    // An unreadable session starts fresh.
    std::fs::write(&file, "{ not json").unwrap();
    assert_eq!(session::load(&file), session::Session::default());
    // The built-in demo (no file) is not remembered.
    let demo_app = Harness::demo("http://127.0.0.1:9");
    assert_eq!(session::capture(&demo_app).selected, None);
}

#[tokio::test]
async fn saving_writes_the_file_refuses_secrets_and_asks_on_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.json");
    std::fs::copy("collections/demo.json", &path).unwrap();
    let loaded = sigscope::model::load(&path).unwrap();
    let mut app = App::with_docs(vec![sigscope::model::workspace::Doc {
        loaded,
        persistent: true,
        dirty: false,
        env: None,
    }]);
    app.set_drafts_dir(dir.path().join("drafts"));
    app.set_fixed_credentials(mock::demo_credentials);
    let mut app = Harness::new(app);
    app.act(Action::Enter).await;
    app.act(Action::Enter).await; // Method
    app.key(KeyCode::Backspace).await;
    app.key(KeyCode::Backspace).await;
    app.key(KeyCode::Backspace).await;
    app.keys("HEAD").await;
    app.key(KeyCode::Enter).await;
    // The edit is kept as a draft until saved.
    let draft =
        sigscope::model::drafts::read(&dir.path().join("drafts"), &app.workspace().docs[0].loaded)
            .expect("a draft")
            .unwrap();
    assert_eq!(draft.collection.requests[0].method, "HEAD");
    app.act(Action::Save).await;
    assert!(!app.workspace().docs[0].dirty);
    let on_disk = sigscope::model::load(&path).unwrap();
    assert_eq!(on_disk.collection.requests[0].method, "HEAD");
    assert!(
        sigscope::model::drafts::read(&dir.path().join("drafts"), &app.workspace().docs[0].loaded)
            .is_none(),
        "the draft is gone once saved"
    );
    // A secret typed into a header is refused, file untouched.
    for _ in 0..2 {
        app.act(Action::NextTab).await;
    }
    app.act(Action::AddRow).await;
    app.keys("X-Amz-Security-Token").await;
    app.key(KeyCode::Enter).await;
    app.act(Action::Right).await;
    app.act(Action::Enter).await;
    app.keys("FwoGZXIvYXdzEJr//////////wEaDEXAMPLETOKENVALUEFORTESTSxyz0123456789abcdef")
        .await;
    app.key(KeyCode::Enter).await;
    app.act(Action::Save).await;
    let notice = app.notice().unwrap().to_string();
    assert!(notice.contains("not saved"), "{notice}");
    assert!(app.workspace().docs[0].dirty);
    assert!(!std::fs::read_to_string(&path)
        .unwrap()
        .contains("EXAMPLETOKEN"));
    app.act(Action::DeleteRow).await;
    // Someone else changes the file: Ctrl-S asks, o overwrites.
    std::fs::write(
        &path,
        std::fs::read_to_string(&path)
            .unwrap()
            .replace("List pets", "Listed elsewhere"),
    )
    .unwrap();
    app.act(Action::Save).await;
    assert_eq!(app.overlay(), Some(CONFIRM), "conflict question");
    assert!(app.screen().contains("changed on disk"));
    app.key(KeyCode::Char('o')).await;
    assert!(!app.workspace().docs[0].dirty);
    assert!(std::fs::read_to_string(&path)
        .unwrap()
        .contains("List pets"));
}

#[tokio::test]
async fn the_built_in_demo_is_saved_where_the_user_says() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = Harness::demo("http://127.0.0.1:9");
    app.act(Action::Enter).await;
    app.act(Action::Down).await; // the URL row
    app.act(Action::Enter).await;
    app.keys("/7").await;
    app.key(KeyCode::Enter).await;
    let out = app.act(Action::Save).await;
    assert!(out.is_empty());
    let s = app.screen();
    assert!(
        s.contains("Save as") && s.contains("sigscope-demo.json"),
        "{s}"
    );
    // Replace the suggested path with one in the temporary folder (a folder made for it).
    for _ in 0..200 {
        app.key(KeyCode::Backspace).await;
    }
    let path = dir.path().join("mine/demo copy.json");
    app.keys(&path.display().to_string()).await;
    app.key(KeyCode::Enter).await;
    let saved = std::fs::read_to_string(&path).expect("saved");
    assert!(saved.contains("{{baseUrl}}/test/pets/7"), "{saved}");
    assert!(
        !saved.contains("127.0.0.1:9"),
        "the demo's address override is never saved: {saved}"
    );
    assert!(app.workspace().docs[0].persistent && !app.workspace().docs[0].dirty);
    // From now on it is a file like any other: the next save goes straight to it.
    app.act(Action::Enter).await;
    app.keys("7").await;
    app.key(KeyCode::Enter).await;
    app.act(Action::Save).await;
    assert!(app.overlay().is_none());
    assert!(std::fs::read_to_string(&path)
        .unwrap()
        .contains("/test/pets/77"));

    // Quitting with unsaved edits: "save" asks where, then saves and quits; Esc there stays.
    for save_it in [false, true] {
        let mut app = Harness::demo("http://127.0.0.1:9");
        app.act(Action::Enter).await;
        app.act(Action::Down).await;
        app.act(Action::Enter).await;
        app.keys("/8").await;
        app.key(KeyCode::Enter).await;
        app.act(Action::Quit).await;
        app.keys("s").await;
        assert!(app.screen().contains("Save as"));
        if !save_it {
            app.key(KeyCode::Esc).await;
            assert!(!app.quitting());
            continue;
        }
        for _ in 0..200 {
            app.key(KeyCode::Backspace).await;
        }
        let other = dir.path().join("on-quit.json");
        app.keys(&other.display().to_string()).await;
        let out = app.key(KeyCode::Enter).await;
        assert!(std::fs::read_to_string(&other)
            .unwrap()
            .contains("/test/pets/8"));
        // The new file is watched for changes made elsewhere (a command for the loop).
        let out: Vec<_> = (out.into_iter())
            .filter(|c| !matches!(c, Command::Watch(_)))
            .collect();
        assert!(
            app.quitting() && matches!(out.as_slice(), [Command::Quit]),
            "{out:?}"
        );
    }
}

#[tokio::test]
async fn quitting_with_unsaved_changes_asks() {
    let mut app = Harness::demo("http://127.0.0.1:9");
    app.act(Action::NewRequest).await;
    app.key(KeyCode::Esc).await;
    assert!(app.workspace().docs[0].dirty);
    let out = app.act(Action::Quit).await;
    assert!(out.is_empty() && !app.quitting());
    assert!(app.screen().contains("Unsaved changes in"));
    app.key(KeyCode::Esc).await;
    assert!(app.overlay().is_none() && !app.quitting(), "Esc stays");
    app.act(Action::Quit).await;
    let out = app.key(KeyCode::Char('d')).await;
    assert!(app.quitting() && matches!(out.last(), Some(Command::Quit)));
}

#[tokio::test]
async fn typing_pauses_leave_a_draft_without_leaving_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.json");
    std::fs::copy("collections/demo.json", &path).unwrap();
    let mut app = App::with_docs(vec![sigscope::model::workspace::Doc {
        loaded: sigscope::model::load(&path).unwrap(),
        persistent: true,
        dirty: false,
        env: None,
    }]);
    app.set_drafts_dir(dir.path().join("drafts"));
    let mut app = Harness::new(app);
    app.act(Action::Enter).await;
    app.act(Action::Down).await;
    app.act(Action::Enter).await;
    app.keys("/draft-me").await;
    assert!(app.wants_keys(), "still in the field");
    assert!(app.wants_ticks());
    assert!(app.update(Message::Tick).is_empty(), "not while typing");
    tokio::time::sleep(Duration::from_millis(450)).await;
    let cmds = app.update(Message::Tick);
    assert!(
        matches!(cmds.as_slice(), [Command::WriteDraft { .. }]),
        "{cmds:?}"
    );
    app.drive(cmds).await;
    let draft =
        sigscope::model::drafts::read(&dir.path().join("drafts"), &app.workspace().docs[0].loaded)
            .unwrap()
            .unwrap();
    assert!(draft.collection.requests[0].url.ends_with("/draft-me"));
    assert!(!app.wants_ticks(), "no clock once the draft is written");
}
