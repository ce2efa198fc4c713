//! What the component shape guarantees, whole-app through the harness: every mode's keys and
//! hints come from the keymap, clicks land where things were drawn, the inspector scrolls on
//! its own, a failure to connect is diagnosed, secrets and terminal escapes never reach the
//! screen raw, and a paste is one step.

use crossterm::event::KeyCode;
use sigscope::aws::credentials::Credentials;
use sigscope::mock::{self, MockConfig};
use sigscope::tui::app::{Action, App, Command, Message, RequestState};
use sigscope::tui::harness::Harness;
use sigscope::tui::hits::Target;
use sigscope::tui::keymap::KeyMap;
use sigscope::tui::panes::inspector::{self, Inspector};
use sigscope::tui::panes::request::{self, RequestPane};
use sigscope::tui::panes::response::ResponsePane;
use std::time::Duration;

fn status_of(app: &Harness) -> Option<u16> {
    match app.request_state() {
        RequestState::Done { exchange, .. } => Some(exchange.response.status),
        _ => None,
    }
}

fn cursor(app: &Harness) -> (&'static str, usize, usize) {
    app.pane::<RequestPane>().unwrap().cursor()
}

/// The footer line of the screen as it is now.
fn footer(app: &mut Harness) -> String {
    app.screen().lines().last().unwrap_or_default().to_string()
}

#[tokio::test]
async fn rebinding_send_to_f5_sends_from_a_field_and_every_hint_says_f5() {
    let server = mock::start(MockConfig::default(), 0).await.unwrap();
    let mut app = Harness::demo(&server.base_url());
    let (map, warnings) = KeyMap::with_overrides(r#"{"send": "f5"}"#);
    assert!(warnings.is_empty(), "{warnings:?}");
    app.app_mut().set_keymap(map);
    // Every screen a user meets on the way: the tree, the response's invitation, the editor,
    // a field being typed into, the help.
    let s = app.screen();
    assert!(s.contains("f5 sends the selected request."), "{s}");
    assert!(footer(&mut app).contains(" f5  send "), "{s}");
    app.update(Message::Action(Action::Help));
    let help = app.screen();
    assert!(help.contains("f5           send the request"), "{help}");
    app.update(Message::Action(Action::Cancel));
    app.act(Action::Enter).await;
    assert!(footer(&mut app).contains(" f5  send "));
    app.act(Action::Down).await; // the URL row
    app.act(Action::Enter).await;
    assert!(app.wants_keys());
    let editing = footer(&mut app);
    assert!(
        editing.contains("EDIT") && editing.contains(" f5  send") && editing.contains(" esc  done"),
        "{editing}"
    );
    for screen in [&s, &editing, &help] {
        assert!(
            !screen.contains("ctrl-r"),
            "a hint still says ctrl-r:\n{screen}"
        );
    }
    // The old key is text now; F5 sends, from the field, with what was typed in it.
    app.ctrl('r').await;
    assert!(
        app.wants_keys() && status_of(&app).is_none(),
        "ctrl-r does not send"
    );
    app.keys("/1").await;
    app.key(KeyCode::F(5)).await;
    assert!(!app.wants_keys(), "the field is left with its value");
    assert_eq!(status_of(&app), Some(200), "{:?}", app.request_state());
    let RequestState::Done { exchange, .. } = app.request_state() else {
        unreachable!()
    };
    assert!(
        exchange.request.path.ends_with("/test/pets/1"),
        "{:?}",
        exchange.request.path
    );
}

#[tokio::test]
async fn a_click_on_each_editor_row_lands_on_that_row_whatever_wraps_above_it() {
    let mut app = Harness::demo("http://127.0.0.1:9");
    app.select("Create a pet").await;
    app.act(Action::Enter).await;
    app.act(Action::NextTab).await;
    app.act(Action::NextTab).await;
    assert_eq!(cursor(&app).0, "Headers");
    // Add a header whose value wraps onto a second line, then one after it.
    let long = "v".repeat(60);
    for (name, value) in [("X-Long", long.as_str()), ("X-After", "1")] {
        app.act(Action::AddRow).await;
        app.keys(name).await;
        app.key(KeyCode::Enter).await;
        app.act(Action::Right).await;
        app.act(Action::Enter).await;
        app.keys(value).await;
        app.key(KeyCode::Enter).await;
    }
    let screen = app.screen();
    let names = ["Content-Type", "X-Long", "X-After"];
    for (row, name) in names.iter().enumerate() {
        let rect = app.find(request::ID, Target::Row(row)).unwrap();
        // The row is drawn where it was recorded.
        let line = screen.lines().nth(rect.y as usize).unwrap();
        assert!(line.contains(name), "row {row} at y={}: {line}", rect.y);
        app.act(Action::Up).await;
        app.click(rect.x + 1, rect.y).await;
        assert_eq!(cursor(&app).1, row, "a click on {name}");
    }
    // The wrapped row's second line is still that row; the next row is below it.
    let long_row = app.find(request::ID, Target::Row(1)).unwrap();
    assert!(long_row.height > 1, "the long value wraps");
    app.click(long_row.x + 5, long_row.y + long_row.height - 1)
        .await;
    assert_eq!(cursor(&app).1, 1);
    let after = app.find(request::ID, Target::Row(2)).unwrap();
    assert_eq!(after.y, long_row.y + long_row.height);
    // On the URL tab the description wraps over several lines: the rows still line up.
    app.select("List pets").await;
    app.act(Action::Enter).await;
    app.act(Action::PrevTab).await;
    app.act(Action::PrevTab).await;
    for row in (0..4).rev() {
        let rect = app.find(request::ID, Target::Row(row)).unwrap();
        app.click(rect.x + 1, rect.y + rect.height - 1).await;
        assert_eq!(cursor(&app), ("URL", row, 0));
    }
}

/// A request with many headers: its canonical request is longer than the inspector.
fn many_headers() -> App {
    let headers: Vec<serde_json::Value> = (0..30)
        .map(|i| serde_json::json!({"name": format!("x-h{i:02}"), "value": format!("value {i}")}))
        .collect();
    let c = serde_json::from_value(serde_json::json!({
        "version": 1, "name": "many",
        "requests": [{"name": "many headers", "method": "GET",
            "url": "https://abc123.execute-api.us-east-1.amazonaws.com/prod/items",
            "headers": headers, "auth": {"type": "aws-sigv4"}}]
    }))
    .unwrap();
    let mut app = App::new(c);
    app.set_fixed_credentials(mock::demo_credentials);
    app
}

#[tokio::test]
async fn the_inspector_scrolls_on_its_own() {
    let mut app = Harness::new(many_headers());
    let first = app.screen();
    assert!(
        first.contains(" 1 method") && !first.contains("payload hash"),
        "{first}"
    );
    app.focus_on(inspector::ID).await;
    for _ in 0..3 {
        app.act(Action::Down).await;
    }
    assert_eq!(app.pane::<Inspector>().unwrap().scroll(), 3);
    let scrolled = app.screen();
    assert!(
        !scrolled.contains(" 1 method") && scrolled.contains(" 4 header"),
        "{scrolled}"
    );
    let response = app.pane::<ResponsePane>().unwrap().view().scroll;
    assert_eq!(response, 0, "the arrows no longer scroll the response");
    app.act(Action::Bottom).await;
    let bottom = app.screen();
    assert!(bottom.contains("payload hash"), "{bottom}");
    // Not past the end: one more line down changes nothing.
    let at = app.pane::<Inspector>().unwrap().scroll();
    app.act(Action::Down).await;
    assert_eq!(app.pane::<Inspector>().unwrap().scroll(), at);
    app.act(Action::Top).await;
    assert!(app.screen().contains(" 1 method"));
    // The wheel scrolls it where the pointer is.
    let area = app.find(inspector::ID, Target::Area).unwrap();
    app.wheel(area.x + 5, area.y + 3, true).await;
    assert_eq!(app.pane::<Inspector>().unwrap().scroll(), 3);
}

#[tokio::test]
async fn a_refused_connection_is_diagnosed_in_the_response_pane() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let mut app = Harness::demo(&format!("http://127.0.0.1:{port}"));
    app.act(Action::Send).await;
    let RequestState::Failed {
        error,
        diagnosis: Some(d),
    } = app.request_state()
    else {
        panic!("{:?}", app.request_state())
    };
    assert!(
        matches!(error, sigscope::tui::app::SendError::Transport { .. }),
        "{error:?}"
    );
    assert_eq!(d.kind, sigscope::http::TransportKind::Refused);
    let s = app.screen();
    for expected in [
        "no response: connection refused".to_string(),
        "diagnosis: refused".to_string(),
        format!("nothing accepted the connection on 127.0.0.1:{port}"),
        format!("→ start the server that should listen on port {port}"),
        format!("sigscope mock --port {port}"),
    ] {
        assert!(s.contains(&expected), "{expected}:\n{s}");
    }
}

fn with_session_token(_: Option<&str>) -> Option<Credentials> {
    Some(Credentials::new(
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        Some("IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN/abc+def="),
        "test",
    ))
}

#[tokio::test]
async fn the_session_token_is_masked_in_the_inspector_until_revealed() {
    let c = serde_json::from_str(include_str!("../collections/demo.json")).unwrap();
    let mut app = App::new(c);
    app.set_override("baseUrl", "http://127.0.0.1:9");
    app.set_fixed_credentials(with_session_token);
    let mut app = Harness::new(app);
    let token = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN";
    let trace = app.preview().unwrap();
    assert!(trace.canonical_request.contains(token), "it is signed");
    let s = app.screen();
    assert!(!s.contains(token), "shown in full:\n{s}");
    assert!(s.contains("x-amz-security-token:••••••"), "{s}");
    assert!(s.contains("X-Amz-Security-Token: ••••••"), "{s}");
    // The reveal key, in the inspector.
    app.focus_on(inspector::ID).await;
    app.key(KeyCode::Char('t')).await;
    app.resize(220, 45);
    assert!(app.screen().contains(token));
    app.key(KeyCode::Char('t')).await;
    assert!(!app.screen().contains(token));
}

/// No cell of the frame holds a control character.
fn clean(app: &Harness) -> bool {
    app.buffer()
        .content()
        .iter()
        .all(|c| !c.symbol().chars().any(char::is_control))
}

#[tokio::test]
async fn escapes_from_files_and_the_network_are_shown_never_obeyed() {
    let hostile = "pets\u{1b}]0;title\u{7}\u{1b}[2J";
    let c = serde_json::from_value(serde_json::json!({
        "version": 1, "name": hostile,
        "requests": [
            {"name": format!("get {hostile}"), "method": "GET", "url": "http://127.0.0.1:9/x",
                "auth": {"type": "none"}},
            {"name": "headers", "method": "GET", "url": "http://127.0.0.1:9/y",
                "headers": [{"name": "x-a", "value": hostile}], "auth": {"type": "none"}}
        ]
    }))
    .unwrap();
    let mut app = Harness::new(App::new(c));
    let s = app.screen();
    assert!(
        s.contains("pets^[]0;title^G^[[2J"),
        "the name as escapes:\n{s}"
    );
    assert!(clean(&app), "a control character reached the frame");
    // A header value from the file, in the headers tab and the inspector.
    app.select("headers").await;
    app.act(Action::Enter).await;
    app.act(Action::NextTab).await;
    app.act(Action::NextTab).await;
    let s = app.screen();
    assert!(s.contains("x-a"), "{s}");
    assert!(s.contains("^[]0;title^G^[[2J"), "{s}");
    assert!(clean(&app));
    // A response with escapes in its status line, headers and body.
    app.select(&format!("get {hostile}")).await;
    let cmds = app.update(Message::Action(Action::Send));
    let Some(Command::Send { id, .. }) = cmds.first() else {
        panic!("{cmds:?}")
    };
    let exchange = sigscope::http::Exchange {
        request: sigscope::sign::WireRequest::from_url("GET", "http://127.0.0.1:9/x").unwrap(),
        trace: None,
        response: sigscope::http::Response {
            status: 200,
            reason: "OK\u{1b}[2J".into(),
            headers: vec![("x-evil".into(), "\u{1b}]0;owned\u{7}".into())],
            body: bytes::Bytes::from_static(b"red \x1b[31mtext\x1b[0m\r\nbell \x07 done\n"),
        },
        timing: sigscope::http::Timing {
            started: std::time::SystemTime::now(),
            total: Duration::from_millis(1),
        },
    };
    app.update(Message::Sent {
        id: *id,
        result: Ok(Box::new(exchange)),
    });
    app.focus_on(sigscope::tui::panes::response::ID).await;
    app.update(Message::Action(Action::Headers));
    let s = app.screen();
    assert!(s.contains("red ^[[31mtext^[[0m"), "{s}");
    assert!(s.contains("bell ^G done"), "{s}");
    assert!(
        s.contains("200 OK^[[2J") && s.contains("x-evil: ^[]0;owned^G"),
        "{s}"
    );
    assert!(clean(&app), "a control character reached the frame");
}

#[tokio::test]
async fn a_paste_is_inserted_and_applied_in_one_step() {
    let mut app = Harness::demo("http://127.0.0.1:9");
    app.select("Create a pet").await;
    app.act(Action::Enter).await;
    for _ in 0..3 {
        app.act(Action::NextTab).await;
    }
    app.act(Action::Toggle).await; // json → text
    app.act(Action::Down).await;
    app.act(Action::Enter).await;
    let text: String = (0..42_000)
        .map(|i| format!("line {i:05} of the paste\r\n"))
        .collect();
    assert!(text.len() > 1 << 20);
    // One message; the field and the request have all of it (CRLF as LF), and the preview
    // hashed it.
    let cmds = app.update(Message::Paste(text.clone()));
    assert!(cmds.is_empty(), "{cmds:?}");
    let (value, error) = app.pane::<RequestPane>().unwrap().editing().unwrap();
    assert!(error.is_none());
    assert!(
        value.ends_with("line 41999 of the paste\n"),
        "{}",
        &value[value.len() - 40..]
    );
    let sigscope::model::Body::Text { content } = &app.spec().unwrap().body else {
        panic!("a text body")
    };
    assert_eq!(content.len(), value.len());
    assert!(!content.contains('\r'));
    // A one-line field takes a paste without its line breaks.
    app.key(KeyCode::Esc).await;
    app.act(Action::PrevTab).await;
    app.act(Action::PrevTab).await;
    app.act(Action::PrevTab).await;
    app.act(Action::Down).await;
    app.act(Action::Enter).await;
    app.paste("/9\n").await;
    app.key(KeyCode::Enter).await;
    assert!(
        app.spec().unwrap().url.ends_with("/test/pets/9"),
        "{}",
        app.spec().unwrap().url
    );
}
