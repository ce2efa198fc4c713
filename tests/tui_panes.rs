//! The panes, whole-app (through the harness, as the loop drives them): the tree's edits, the
//! response's search, jq, hex and large bodies, history, environments, the mouse, themes, the
//! help, the doctor and the identity. Keys go through the keymap; state is read through
//! accessors.

use crossterm::event::{KeyCode, KeyEvent};
use sigscope::mock::{self, MockConfig};
use sigscope::tui::app::{Action, App, Command, Message, RequestState};
use sigscope::tui::harness::Harness;
use sigscope::tui::hits::Target;
use sigscope::tui::overlays::help::HELP;
use sigscope::tui::panes::history::{self, HistoryPane};
use sigscope::tui::panes::request::{self, RequestPane};
use sigscope::tui::panes::response::{self, ResponsePane};
use sigscope::tui::panes::tree;
use std::time::Duration;

fn status_of(app: &Harness) -> u16 {
    match app.request_state() {
        RequestState::Done { exchange, .. } => exchange.response.status,
        other => panic!("no response: {other:?}"),
    }
}

fn response_view(app: &Harness) -> &sigscope::tui::panes::response::ResponseView {
    app.pane::<ResponsePane>().unwrap().view()
}

#[tokio::test]
async fn the_tree_filters_and_creates_renames_duplicates_moves_and_deletes() {
    let mut app = Harness::demo("http://127.0.0.1:9");
    app.act(Action::Filter).await;
    app.keys("wrong").await;
    let visible: Vec<String> = app
        .workspace()
        .rows
        .iter()
        .skip(1)
        .map(|r| r.label.clone())
        .collect();
    assert_eq!(visible, ["Wrong secret key", "Wrong region"]);
    assert_eq!(app.selected_path().as_deref(), Some("Wrong secret key"));
    app.key(KeyCode::Esc).await;
    assert_eq!(app.workspace().rows.len(), 15, "Esc clears the filter");
    // A folder, named as it is created.
    app.act(Action::NewFolder).await;
    for _ in 0.."New folder".len() {
        app.key(KeyCode::Backspace).await;
    }
    app.keys("Admin").await;
    app.key(KeyCode::Enter).await;
    assert_eq!(
        app.workspace().docs[0].loaded.collection.folders[0].name,
        "Admin"
    );
    // Duplicate a request, rename the copy, move it into the folder.
    app.select("List pets").await;
    app.act(Action::Duplicate).await;
    assert_eq!(app.selected_path().as_deref(), Some("List pets copy"));
    // The old name starts selected: End keeps it, then the typing adds to it.
    app.act(Action::Rename).await;
    app.key(KeyCode::End).await;
    app.keys(" 2").await;
    app.key(KeyCode::Enter).await;
    assert_eq!(app.selected_path().as_deref(), Some("List pets copy 2"));
    app.act(Action::Move).await;
    app.key(KeyCode::Down).await;
    app.key(KeyCode::Enter).await;
    assert_eq!(
        app.selected_path().as_deref(),
        Some("Admin/List pets copy 2")
    );
    let s = app.screen();
    assert!(
        s.contains("▾ Admin") && s.contains("List pets copy 2"),
        "{s}"
    );
    // Folders fold: Enter on the folder hides its requests, → shows them again.
    app.act(Action::Up).await;
    app.act(Action::Enter).await;
    assert!(app.screen().contains("▸ Admin"));
    assert!(!app
        .workspace()
        .rows
        .iter()
        .any(|r| r.label == "List pets copy 2"));
    app.act(Action::Right).await;
    assert!(app
        .workspace()
        .rows
        .iter()
        .any(|r| r.label == "List pets copy 2"));
    app.act(Action::Down).await;
    assert_eq!(
        app.selected_path().as_deref(),
        Some("Admin/List pets copy 2")
    );
    // Delete asks first.
    app.act(Action::Delete).await;
    app.key(KeyCode::Char('n')).await;
    assert_eq!(
        app.workspace().docs[0].loaded.collection.folders[0]
            .requests
            .len(),
        1
    );
    app.act(Action::Delete).await;
    app.key(KeyCode::Char('y')).await;
    assert!(app.workspace().docs[0].loaded.collection.folders[0]
        .requests
        .is_empty());
}

#[tokio::test]
async fn the_response_pane_searches_wraps_filters_with_jq_and_shows_hex() {
    let server = mock::start(MockConfig::default(), 0).await.unwrap();
    let mut app = Harness::demo(&server.base_url());
    app.act(Action::Send).await;
    app.focus_on(response::ID).await;
    app.act(Action::Search).await;
    app.keys("cat").await;
    app.key(KeyCode::Enter).await;
    let at = response_view(&app).scroll;
    assert!(at > 0, "search moved to the match");
    let s = app.screen();
    assert!(s.contains("\"cat\""), "{s}");
    app.act(Action::JqFilter).await;
    for _ in 0..1 {
        app.key(KeyCode::Backspace).await;
    }
    app.keys("[.[] | .name]").await;
    app.key(KeyCode::Enter).await;
    let RequestState::Done { body, .. } = app.request_state() else {
        panic!()
    };
    let jq = body.jq.as_ref().expect("jq ran");
    let out = jq.result.as_ref().unwrap();
    assert_eq!(out.line(0), b"[");
    let s = app.screen();
    assert!(s.contains("jq [.[] | .name]"), "{s}");
    // A bad filter says why.
    app.act(Action::JqFilter).await;
    app.keys("[[[").await;
    app.key(KeyCode::Enter).await;
    assert!(app.screen().contains("does not parse"));
    app.act(Action::Cancel).await;
    app.act(Action::ViewMode).await; // raw
    app.act(Action::ViewMode).await; // hex
    let s = app.screen();
    assert!(s.contains("00000000  5b"), "hex view of '[': {s}");
    app.act(Action::Wrap).await;
    assert!(response_view(&app).wrap);
}

#[tokio::test]
async fn a_large_body_is_formatted_in_the_background_and_pages() {
    let mut app = Harness::demo("http://127.0.0.1:9");
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
    // Its first screens at once, formatted from the start of the body, while it runs.
    let s = app.screen();
    assert!(
        s.contains("formatting the rest") && s.contains("\"name\": \"pet-0\""),
        "the head while it runs: {s}"
    );
    app.drive(cmds).await;
    let s = app.screen();
    assert!(s.contains("\"name\": \"pet-0\""), "{s}");
    app.focus_on(response::ID).await;
    app.act(Action::Bottom).await;
    let s = app.screen();
    assert!(s.contains("pet-119999"), "{s}");
    // A body this size is searched off the loop; the answer moves the view.
    app.act(Action::Search).await;
    app.keys("pet-60000\"").await;
    let cmds = app.update(Message::Key(KeyEvent::from(KeyCode::Enter)));
    assert!(
        matches!(cmds.as_slice(), [Command::Search { .. }]),
        "{cmds:?}"
    );
    app.drive(cmds).await;
    let s = app.screen();
    assert!(s.contains("\"name\": \"pet-60000\""), "{s}");
    app.act(Action::Top).await;
    // Raw: the body as received is one 5.5 MB line; → scrolls it sideways.
    app.act(Action::ViewMode).await;
    assert!(app.screen().contains("[{\"id\":0,\"name\":\"pet-0\""));
    app.act(Action::Right).await;
    let s = app.screen();
    assert!(
        !s.contains("[{\"id\":0,") && s.contains("\"tags\":[\"a\",\"b\"]},{\"id\":1"),
        "{s}"
    );
}

#[tokio::test]
async fn history_records_each_send_and_reopens_an_exchange() {
    let dir = tempfile::tempdir().unwrap();
    let server = mock::start(MockConfig::default(), 0).await.unwrap();
    let mut app = Harness::demo(&server.base_url());
    app.app_mut().set_history_dir(dir.path().to_path_buf());
    app.act(Action::Send).await;
    // The record is written after the response is shown: wait for it, then reload the list.
    for _ in 0..50 {
        if std::fs::read_dir(dir.path()).unwrap().count() > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    app.select("Wrong secret key").await;
    app.select("List pets").await;
    let entries = app.pane::<HistoryPane>().unwrap().entries().len();
    assert_eq!(entries, 1, "one exchange for this request");
    let s = app.screen();
    assert!(s.contains("History (1)"), "{s}");
    app.focus_on(history::ID).await;
    app.act(Action::Enter).await;
    let RequestState::Done {
        from_history: Some(_),
        ..
    } = app.request_state()
    else {
        panic!("{:?}", app.request_state())
    };
    assert_eq!(status_of(&app), 200);
    assert!(app.screen().contains("from history"));
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
    let mut app = Harness::new(app);
    app.act(Action::Environment).await;
    assert!(app.screen().contains("(no environment)"));
    app.key(KeyCode::Down).await;
    app.key(KeyCode::Down).await;
    app.key(KeyCode::Enter).await;
    assert_eq!(app.workspace().docs[0].env.as_deref(), Some("two"));
    assert!(app.screen().contains("env: two"));
    let out = app.act(Action::CopyCurl).await;
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
    let mut app = Harness::demo(&server.base_url());
    app.act(Action::Send).await;
    // The fourth row of the tree ("Echo with a tricky query": root, List, Create, Echo), where
    // the last frame drew it.
    let row = app.find(tree::ID, Target::Row(3)).unwrap();
    app.click(row.x + 3, row.y).await;
    assert_eq!(
        app.selected_path().as_deref(),
        Some("Echo with a tricky query")
    );
    app.select("List pets").await;
    app.act(Action::Send).await;
    let r = app.find(response::ID, Target::Area).unwrap();
    app.click(r.x + 2, r.y + 2).await;
    assert_eq!(app.focus(), response::ID);
    // A click on the "Headers" tab of the request editor picks it: where it is drawn on the
    // tab line, as a user sees it.
    let q = app.find(request::ID, Target::Area).unwrap();
    let drawn = app.screen();
    let tab_line: Vec<char> = drawn
        .lines()
        .nth(q.y as usize + 1)
        .unwrap()
        .chars()
        .collect();
    let at = |word: &str| {
        let word: Vec<char> = word.chars().collect();
        (0..tab_line.len())
            .find(|&i| tab_line[i..].starts_with(&word))
            .unwrap() as u16
    };
    app.click(at("Headers") + 2, q.y + 1).await;
    assert_eq!(app.focus(), request::ID);
    assert_eq!(app.pane::<RequestPane>().unwrap().cursor().0, "Headers");
    assert!(app.screen().contains("No rows: a adds one"));
    app.click(at("Vars") + 1, q.y + 1).await;
    assert_eq!(app.pane::<RequestPane>().unwrap().cursor().0, "Vars");
    app.click(r.x + 2, r.y + 2).await;
    app.wheel(r.x + 2, r.y + 5, true).await;
    assert_eq!(response_view(&app).scroll, 3);
}

#[tokio::test]
async fn no_color_leaves_every_cell_uncoloured_and_themes_change_colours() {
    use ratatui::style::Color;
    let server = mock::start(MockConfig::default(), 0).await.unwrap();
    let mut app = Harness::demo(&server.base_url());
    app.act(Action::Send).await;
    let colours = |app: &mut Harness| {
        app.screen();
        (app.buffer().content().iter())
            .filter(|c| c.fg != Color::Reset || c.bg != Color::Reset)
            .count()
    };
    assert!(colours(&mut app) > 50, "the dark theme colours things");
    let dark_accent = app.theme().color(sigscope::tui::theme::Role::Accent);
    let light =
        sigscope::tui::theme::Theme::load(Some("light"), std::path::Path::new("/nonexistent"))
            .unwrap();
    app.app_mut().set_theme(light);
    assert_ne!(
        app.theme().color(sigscope::tui::theme::Role::Accent),
        dark_accent
    );
    let mono = app.theme().clone().no_color();
    app.app_mut().set_theme(mono);
    assert_eq!(colours(&mut app), 0, "NO_COLOR: no colour anywhere");
}

/// Every page of the help, from the top to the bottom, as a user pages through it.
fn help_pages(app: &mut Harness) -> String {
    app.update(Message::Action(Action::Top));
    let mut all = app.screen();
    for _ in 0..40 {
        app.update(Message::Action(Action::PageDown));
        let page = app.screen();
        if all.ends_with(&page) {
            break;
        }
        all.push('\n');
        all.push_str(&page);
    }
    all
}

#[test]
fn help_overlay_lists_every_action_scrolls_and_quit_quits() {
    let mut app = Harness::demo("http://127.0.0.1:9");
    app.update(Message::Action(Action::Help));
    let s = app.screen();
    assert!(s.contains("Keys (up/down scroll, esc closes"), "{s}");
    // Complete, grouped by pane and mode, and never a description cut: at 80x24 (one
    // column), paging through shows every action's whole description under its section.
    for (w, h) in [(160, 45), (80, 24)] {
        app.resize(w, h);
        let all = help_pages(&mut app);
        if w == 80 {
            // A long description wraps at a space: its words follow each other.
            let flat = all.split_whitespace().collect::<Vec<_>>().join(" ");
            for d in sigscope::tui::keymap::DEFS {
                assert!(
                    flat.contains(d.desc),
                    "{w}x{h}: '{}' missing or cut:\n{all}",
                    d.desc
                );
            }
        }
        for section in [
            "Collections",
            "Request editor",
            "Collection, folder and environment settings",
            "Typing into a field",
            "Questions",
        ] {
            assert!(all.contains(section), "{w}x{h}: {section}");
        }
    }
    app.resize(160, 45);
    // A key that means nothing here closes it.
    app.update(Message::Key(KeyEvent::from(KeyCode::Char('x'))));
    assert_eq!(app.overlay(), None);
    // On a small screen it scrolls to what does not fit.
    app.resize(80, 24);
    app.update(Message::Action(Action::Help));
    let first = app.screen();
    assert!(!first.contains("reload the file"), "{first}");
    app.update(Message::Action(Action::Bottom));
    let last = app.screen();
    assert!(
        last.contains("Mouse:") && !last.contains("send the request"),
        "{last}"
    );
    assert_eq!(app.overlay(), Some(HELP), "scrolling keeps it open");
    assert!(matches!(
        app.update(Message::Action(Action::Quit)).as_slice(),
        [Command::Quit]
    ));
}

#[tokio::test]
async fn the_doctor_panel_stops_at_the_failing_step() {
    let server = mock::start(MockConfig::default(), 0).await.unwrap();
    let mut app = Harness::demo(&server.base_url());
    app.select("Denied resource").await;
    app.act(Action::Doctor).await;
    let s = app.screen();
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
    let mut app = Harness::demo(&server.base_url());
    app.act(Action::Send).await;
    let s = app.screen();
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
    app.set_override("baseUrl", "http://127.0.0.1:9");
    let mut app = Harness::new(app);
    assert!(
        app.preview().is_none(),
        "no credentials in hand: no preview, and no blocking"
    );
    // What `P` gets back from the background listing of ~/.aws.
    app.update(Message::Profiles(vec!["dev".into(), "prod".into()]));
    assert!(app.screen().contains("AWS profile"));
    app.update(Message::Key(KeyEvent::from(KeyCode::Down)));
    let cmds = app.update(Message::Key(KeyEvent::from(KeyCode::Enter)));
    assert!(
        matches!(cmds.as_slice(), [Command::Identity { profile: Some(p) }] if p == "dev"),
        "{cmds:?}"
    );
    let s = app.screen();
    assert!(
        s.contains("profile dev (session override: P changes or clears) · resolving identity"),
        "{s}"
    );
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
    let s = app.screen();
    assert!(
        s.contains("arn:aws:iam::123456789012:user/dev") && s.contains("expires in 49m"),
        "{s}"
    );
    assert!(
        app.preview().is_some(),
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

#[tokio::test]
async fn an_explicit_deny_names_the_resource_with_the_account_aws_masked_and_offers_no_allow() {
    let server = mock::start(MockConfig::default(), 0).await.unwrap();
    let mut app = Harness::demo(&server.base_url());
    // Who the credentials belong to, as the identity check reports it (the request's profile).
    app.update(Message::Identity {
        profile: Some("demo".into()),
        result: Ok(sigscope::tui::app::Identity {
            arn: Some("arn:aws:iam::123456789012:user/demo".into()),
            account: Some("123456789012".into()),
            key: "AKIAIOSF…MPLE".into(),
            expiry: None,
            source: "test".into(),
            region: None,
            note: None,
            credentials: None,
        }),
    });
    app.resize(200, 60);
    app.select("Denied resource").await;
    app.act(Action::Send).await;
    assert_eq!(status_of(&app), 403);
    let s = app.screen();
    assert!(s.contains("diagnosis: access-denied"), "{s}");
    // An explicit deny: no Allow can lift it, so none is offered (issue 14).
    assert!(s.contains("An explicit Deny matched"), "{s}");
    assert!(!s.contains("\"Effect\": \"Allow\""), "{s}");
    assert!(!s.contains("would allow it"), "{s}");
    assert!(
        s.contains("arn:aws:execute-api:us-east-1:123456789012:demoapi/test/DELETE/pets/1"),
        "the masked account is filled in: {s}"
    );
    assert!(!s.contains("********9012"), "{s}");
}
