//! Pane snapshots on a fixed-size TestBackend (insta), with a fixed clock so that nothing
//! moves between runs. `cargo insta review` (or INSTA_UPDATE=always) after an intended change.

use sigscope::aws::credentials::Credentials;
use sigscope::tui::app::{Action, App, Message, RequestState};
use sigscope::tui::harness::Harness;
use sigscope::tui::panes::{history, request, response};
use std::time::{Duration, SystemTime};

/// 2015-08-30T12:36:00Z, the SigV4 suite's signing time.
fn suite_time() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_440_938_160)
}

fn suite_credentials(_: Option<&str>) -> Option<Credentials> {
    Some(Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        None,
        "the SigV4 test suite",
    ))
}

fn suite_app() -> Harness {
    let c: sigscope::model::Collection = serde_json::from_value(serde_json::json!({
        "version": 1,
        "name": "SigV4 suite",
        "requests": [{
            "name": "get-vanilla",
            "method": "GET",
            "url": "https://example.amazonaws.com/",
            "auth": {"type": "aws-sigv4", "region": "us-east-1", "service": "service"}
        }]
    }))
    .unwrap();
    let mut app = App::new(c);
    app.set_clock(suite_time());
    app.set_fixed_credentials(suite_credentials);
    Harness::new(app)
}

fn demo_app() -> Harness {
    let mut h = Harness::demo("http://127.0.0.1:4566");
    h.app_mut().set_clock(suite_time());
    h
}

/// Tab until `pane` has the focus (as a user would).
fn focus(h: &mut Harness, pane: sigscope::tui::component::PaneId) {
    while h.app().focus() != pane {
        h.update(Message::Action(Action::NextPane));
    }
}

#[test]
fn inspector_for_the_suite_get_vanilla_request() {
    let mut h = suite_app();
    let trace = h.app().preview().expect("a preview").clone();
    // The same bytes as the suite's expected files, before any snapshot.
    assert_eq!(
        trace.canonical_request,
        include_str!("fixtures/sigv4-suite/get-vanilla/header-canonical-request.txt")
    );
    assert_eq!(
        trace.signature,
        include_str!("fixtures/sigv4-suite/get-vanilla/header-signature.txt").trim()
    );
    insta::assert_snapshot!("inspector_get_vanilla", h.screen());
}

#[test]
fn inspector_columns_stack_when_narrow() {
    let mut h = suite_app();
    h.resize(90, 40);
    h.update(Message::Action(Action::ToggleInspector));
    insta::assert_snapshot!("inspector_narrow", h.screen());
}

#[test]
fn request_editor_tabs() {
    let mut h = demo_app();
    h.update(Message::Action(Action::Down)); // Create a pet
    h.update(Message::Action(Action::Enter));
    assert_eq!(h.app().focus(), request::ID);
    for tab in ["url", "query", "headers", "body", "auth", "vars", "checks"] {
        insta::assert_snapshot!(format!("editor_{tab}"), h.screen());
        h.update(Message::Action(Action::NextTab));
    }
}

#[test]
fn response_pane_with_headers_and_highlighted_json() {
    let mut h = demo_app();
    let cmds = h.update(Message::Action(Action::Send));
    let id = match &cmds[0] {
        sigscope::tui::app::Command::Send { id, .. } => *id,
        other => panic!("{other:?}"),
    };
    let exchange = sigscope::http::Exchange {
        request: sigscope::sign::WireRequest::from_url("GET", "http://127.0.0.1:4566/test/pets")
            .unwrap(),
        trace: h.app().preview().cloned(),
        response: sigscope::http::Response {
            status: 200,
            reason: "OK".into(),
            headers: vec![
                ("content-type".into(), "application/json".into()),
                (
                    "x-amzn-requestid".into(),
                    "c0ffee00-0000-4000-8000-000000000000".into(),
                ),
            ],
            body: bytes::Bytes::from_static(
                br#"[{"id":1,"type":"dog","price":249.99,"ok":true,"tag":null}]"#,
            ),
        },
        timing: sigscope::http::Timing {
            started: suite_time(),
            total: Duration::from_millis(7),
        },
    };
    h.update(Message::Sent {
        id,
        result: Ok(Box::new(exchange)),
    });
    assert!(matches!(h.app().request_state(), RequestState::Done { .. }));
    focus(&mut h, response::ID);
    h.update(Message::Action(Action::Headers));
    insta::assert_snapshot!("response_json", h.screen());
}

#[test]
fn help_overlay() {
    let mut h = demo_app();
    h.update(Message::Action(Action::Help));
    insta::assert_snapshot!("help", h.screen());
}

#[test]
fn compact_layout_at_80_by_24() {
    let mut h = demo_app();
    h.resize(80, 24);
    insta::assert_snapshot!("compact_80x24", h.screen());
}

#[test]
fn history_pane_with_exchanges() {
    let mut h = demo_app();
    let entry = |id: &str, time: &str, status: u16, ms: u64| sigscope::model::history::Entry {
        id: id.into(),
        time: time.into(),
        request_name: Some("List pets".into()),
        request_id: None,
        method: "GET".into(),
        url: "http://127.0.0.1:4566/test/pets".into(),
        request_headers: Vec::new(),
        request_body: String::new(),
        trace: None,
        status,
        response_headers: Vec::new(),
        response_body: "[]".into(),
        response_body_truncated: false,
        response_body_file: None,
        response_body_bytes: None,
        elapsed_ms: ms,
        redacted: Vec::new(),
    };
    h.update(Message::History {
        name: "List pets".into(),
        entries: vec![
            entry("a", "2015-08-30T12:30:00Z", 200, 12),
            entry("b", "2015-08-30T12:33:00Z", 403, 9),
            entry("c", "2015-08-30T12:35:59Z", 502, 30_001),
        ],
    });
    focus(&mut h, history::ID);
    h.update(Message::Action(Action::Down));
    let s = h.screen();
    assert!(s.contains("History (3)"), "{s}");
    insta::assert_snapshot!("history", s);
}

#[test]
fn tree_with_folders_folded_and_filtered() {
    let petstore: sigscope::model::Collection =
        serde_json::from_str(include_str!("../collections/petstore-iam.json")).unwrap();
    let demo: sigscope::model::Collection =
        serde_json::from_str(include_str!("../collections/demo.json")).unwrap();
    let docs = [demo, petstore]
        .into_iter()
        .map(|c| sigscope::model::workspace::Doc {
            loaded: sigscope::model::Loaded {
                path: std::path::PathBuf::new(),
                collection: c,
                fingerprint: [0; 32],
            },
            persistent: false,
            dirty: false,
            env: None,
        })
        .collect();
    let mut app = App::with_docs(docs);
    app.set_clock(suite_time());
    app.set_fixed_credentials(sigscope::mock::demo_credentials);
    let mut h = Harness::new(app);
    // Fold the demo collection (its row is the first).
    h.update(Message::Action(Action::Top));
    h.update(Message::Action(Action::Enter));
    insta::assert_snapshot!("tree_folded", h.screen());
    // A filter shows every match, folded or not.
    h.update(Message::Action(Action::Filter));
    for c in "pet".chars() {
        h.update(Message::Key(crossterm::event::KeyEvent::from(
            crossterm::event::KeyCode::Char(c),
        )));
    }
    insta::assert_snapshot!("tree_filtered", h.screen());
}

/// The copy menu on the demo's POST (its Python previewed), and on the small screen.
#[test]
fn copy_menu_with_every_export_format() {
    let mut h = demo_app();
    focus(&mut h, sigscope::tui::panes::tree::ID);
    h.update(Message::Action(Action::Down));
    h.update(Message::Action(Action::CopyAs));
    h.update(Message::Action(Action::Down));
    insta::assert_snapshot!("copy_menu", h.screen());
    h.resize(80, 24);
    h.update(Message::Action(Action::WriteFile));
    insta::assert_snapshot!("copy_menu_80x24_writing", h.screen());
}
