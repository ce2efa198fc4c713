//! The workbench: panes on a fixed-size TestBackend, whole-app runs through `update` against
//! the local gateway, and the real binary in tmux.

mod common;

use ratatui::backend::TestBackend;
use ratatui::Terminal;
use sigscope::mock::{self, MockConfig};
use sigscope::tui::app::{execute_send, Action, App, Command, Message, RequestState};
use sigscope::tui::view;
use std::time::Duration;

fn demo_app(base: &str) -> App {
    let mut c: sigscope::model::Collection =
        serde_json::from_str(include_str!("../collections/demo.json")).unwrap();
    c.variables.insert("baseUrl".into(), base.to_string());
    let mut app = App::new(c);
    app.set_fixed_credentials(mock::demo_credentials);
    app
}

fn screen(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| view::render(app, f)).unwrap();
    let buf = t.backend().buffer().clone();
    (0..h)
        .map(|y| {
            (0..w)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

async fn send(app: &mut App) {
    let Some(Command::Send {
        id,
        prepared,
        credentials,
    }) = app.update(Message::Action(Action::Send))
    else {
        panic!("Ctrl-R did not produce a send");
    };
    assert!(matches!(app.state, RequestState::Sending { .. }));
    let result = execute_send(
        &sigscope::http::client(Duration::from_secs(5)),
        *prepared,
        credentials,
    )
    .await;
    app.update(Message::Sent { id, result });
}

#[tokio::test]
async fn the_first_screen_has_the_first_request_selected_and_the_inspector_previews_it() {
    let app = demo_app("http://127.0.0.1:9");
    assert_eq!(app.selected_path(), Some("List pets"));
    let s = screen(&app, 160, 45);
    assert!(
        s.contains("Collections") && s.contains("GET    List pets"),
        "{s}"
    );
    assert!(
        s.contains("Canonical request")
            && s.contains("String to sign")
            && s.contains("Signed headers sent"),
        "{s}"
    );
    assert!(s.contains("signed headers   host;x-amz-date"), "{s}");
    assert!(
        s.contains("Credential=AKIA…MPLE/"),
        "the key id must be masked:\n{s}"
    );
    assert!(!s.contains("AKIAIOSFODNN7EXAMPLE"), "{s}");
    assert!(
        s.contains("Ctrl-R") && s.contains("quit"),
        "footer hints: {s}"
    );
    // 80x24 still shows the tree, the response and the inspector.
    let small = screen(&app, 80, 24);
    assert!(
        small.contains("Collections") && small.contains("Canonical request"),
        "{small}"
    );
}

#[tokio::test]
async fn send_a_request_then_a_broken_one_and_see_the_diff() {
    let server = mock::start(MockConfig::default(), 0).await.unwrap();
    let mut app = demo_app(&server.base_url());
    send(&mut app).await;
    match &app.state {
        RequestState::Done {
            exchange,
            diagnosis,
            ..
        } => {
            assert_eq!(exchange.response.status, 200);
            assert!(diagnosis.is_none());
        }
        other => panic!("{other:?}"),
    }
    let s = screen(&app, 160, 45);
    assert!(s.contains("200 OK"), "{s}");
    assert!(
        s.contains("\"type\": \"dog\""),
        "the JSON body is pretty-printed: {s}"
    );
    for _ in 0..3 {
        app.update(Message::Action(Action::Down));
    }
    assert_eq!(app.selected_path(), Some("Wrong secret key"));
    send(&mut app).await;
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
}

#[test]
fn help_overlay_and_quit() {
    let mut app = demo_app("http://127.0.0.1:9");
    app.update(Message::Action(Action::Help));
    assert!(screen(&app, 120, 30).contains("Keys (any key closes)"));
    app.update(Message::Action(Action::Down));
    assert!(!app.show_help);
    assert!(matches!(
        app.update(Message::Action(Action::Quit)),
        Some(Command::Quit)
    ));
}

/// The real binary in a real terminal (tmux): open, send, read the screen, quit, and check
/// the terminal came back.
#[test]
fn the_demo_in_a_real_terminal() {
    let session = format!("sigscope-test-{}", std::process::id());
    let bin = env!("CARGO_BIN_EXE_sigscope");
    let tmux = |args: &[&str]| {
        std::process::Command::new("tmux")
            .args(args)
            .output()
            .expect("tmux is required (.ci/run installs it)")
    };
    let started = tmux(&[
        "new-session",
        "-d",
        "-s",
        &session,
        "-x",
        "140",
        "-y",
        "40",
        &format!("{bin} demo; echo SIGSCOPE-EXITED; sleep 20"),
    ]);
    assert!(
        started.status.success(),
        "{}",
        String::from_utf8_lossy(&started.stderr)
    );
    let capture = || {
        String::from_utf8_lossy(&tmux(&["capture-pane", "-t", &session, "-p"]).stdout).into_owned()
    };
    let wait_for = |needle: &str| {
        for _ in 0..100 {
            let s = capture();
            if s.contains(needle) {
                return s;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let s = capture();
        tmux(&["kill-session", "-t", &session]);
        panic!("'{needle}' never appeared:\n{s}");
    };
    wait_for("List pets");
    tmux(&["send-keys", "-t", &session, "C-r"]);
    wait_for("200 OK");
    tmux(&["send-keys", "-t", &session, "q"]);
    let after = wait_for("SIGSCOPE-EXITED");
    assert!(
        !after.contains("Collections"),
        "the alternate screen was not left:\n{after}"
    );
    tmux(&["kill-session", "-t", &session]);
}

#[tokio::test]
async fn the_doctor_panel_stops_at_the_failing_step() {
    let server = mock::start(MockConfig::default(), 0).await.unwrap();
    let mut app = demo_app(&server.base_url());
    for _ in 0..6 {
        app.update(Message::Action(Action::Down));
    }
    assert_eq!(app.selected_path(), Some("Denied resource"));
    let Some(Command::Doctor {
        id,
        prepared,
        credentials,
    }) = app.update(Message::Action(Action::Doctor))
    else {
        panic!("d did not start the doctor");
    };
    let steps = sigscope::tui::app::execute_doctor(
        &sigscope::http::client(Duration::from_secs(5)),
        *prepared,
        credentials,
    )
    .await;
    app.update(Message::Checked { id, steps });
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
    send(&mut app).await;
    let s = screen(&app, 160, 45);
    assert!(s.contains("200 OK"), "{s}");
    assert!(
        s.contains("your clock is 3m00s behind the server's")
            || s.contains("your clock is 2m59s behind"),
        "{s}"
    );
}
