//! The workbench's Checks tab, whole-app through the harness: a request's captures and
//! assertions edited as tables, sent to the gateway, each assertion shown passed or failed with
//! its actual value, what each capture set used by the next request, and the Vars tab naming
//! where a captured value came from.
#![recursion_limit = "256"]

use crossterm::event::KeyCode;
use sigscope::mock::{self, policy::Policy, MockConfig};
use sigscope::model::checks::CaptureScope;
use sigscope::tui::app::{Action, App};
use sigscope::tui::harness::Harness;
use sigscope::tui::panes::request::{self, RequestPane};

fn flow(base: &str) -> sigscope::model::Collection {
    serde_json::from_value(serde_json::json!({
        "version": 1, "name": "pets",
        "variables": {"base": base},
        "auth": {"type": "aws-sigv4", "region": "us-east-1", "service": "execute-api"},
        "requests": [
            {"name": "create", "method": "POST", "url": "{{base}}/test/pets",
             "body": {"type": "json", "content": {"type": "dog", "price": 249.99}},
             "captures": [{"variable": "petId", "from": {"json": ".pet.id"}}],
             "assertions": [{"status": 201}, {"json": ".pet.type", "equals": "cat"}]},
            {"name": "get", "method": "GET", "url": "{{base}}/test/pets/{{petId}}"}
        ]
    }))
    .unwrap()
}

fn tab(app: &Harness) -> &'static str {
    app.pane::<RequestPane>().unwrap().cursor().0
}

async fn open_checks(app: &mut Harness) {
    app.focus_on(request::ID).await;
    for _ in 0..10 {
        if tab(app) == "Checks" {
            return;
        }
        app.act(Action::NextTab).await;
    }
    panic!("no Checks tab");
}

#[tokio::test]
async fn checks_run_on_send_captures_feed_the_next_request_and_rows_are_edited() {
    let config = MockConfig {
        policy: serde_json::from_str::<Policy>(
            r#"{"Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*"}]}"#,
        )
        .unwrap(),
        ..MockConfig::default()
    };
    let server = mock::start(config, 0).await.unwrap();
    let mut app = Harness::new(App::new(flow(&server.base_url())));
    app.app_mut()
        .set_fixed_credentials(sigscope::mock::demo_credentials);
    // Before the create, `get` cannot be built: {{petId}} is nobody's yet.
    app.select("get").await;
    assert!(app.screen().contains("petId"), "{}", app.screen());
    app.select("create").await;
    open_checks(&mut app).await;
    let s = app.screen();
    assert!(
        s.contains("Captures") && s.contains("[x] petId") && s.contains("json .pet.id"),
        "{s}"
    );
    assert!(
        s.contains("[x] json .pet.type") && s.contains("== \"cat\""),
        "{s}"
    );
    app.act(Action::Send).await;
    let s = app.screen();
    assert!(
        s.contains("Last send") && s.contains("1 assertions passed, 1 failed"),
        "{s}"
    );
    assert!(s.contains("✓ status 201   actual 201"), "{s}");
    assert!(
        s.contains("✗ json .pet.type == \"cat\"   actual \"dog\""),
        "{s}"
    );
    assert!(s.contains("✓ {{petId}} = 4   set for this run"), "{s}");
    assert!(
        s.contains("1 check(s) failed of 2"),
        "the status line says so: {s}"
    );
    // The captured id is what `get` sends now, and the Vars tab says where it came from.
    app.select("get").await;
    app.focus_on(request::ID).await;
    for _ in 0..10 {
        if tab(&app) == "Vars" {
            break;
        }
        app.act(Action::NextTab).await;
    }
    let s = app.screen();
    assert!(
        s.contains("petId") && s.contains("captured by 'create' at"),
        "{s}"
    );
    app.act(Action::Send).await;
    match app.request_state() {
        sigscope::tui::app::RequestState::Done { exchange, .. } => {
            assert_eq!(exchange.response.status, 200);
            assert!(exchange.request.url().ends_with("/test/pets/4"));
        }
        other => panic!("{other:?}"),
    }
    // Editing: an assertion added to `get`, typed as a user types it, then sent.
    open_checks(&mut app).await;
    app.act(Action::Down).await; // the Assertions heading (no captures above it)
    app.act(Action::AddRow).await;
    app.act(Action::Enter).await; // edit the subject of the new `status 200` row
    for _ in 0.."status".len() {
        app.key(KeyCode::Backspace).await;
    }
    app.keys("json .price").await;
    app.key(KeyCode::Enter).await;
    app.act(Action::Right).await;
    app.act(Action::Enter).await;
    for _ in 0..10 {
        app.key(KeyCode::Backspace).await;
    }
    app.keys("< 100").await;
    app.key(KeyCode::Enter).await;
    let spec = app.spec().unwrap();
    let checks: Vec<String> = spec.assertions.iter().map(|a| a.to_string()).collect();
    assert_eq!(checks, ["json .price < 100"]);
    // A capture into the environment, added from the Captures heading.
    for _ in 0..4 {
        app.act(Action::Up).await; // to the Captures heading
    }
    app.act(Action::AddRow).await;
    app.act(Action::Enter).await;
    for _ in 0.."id".len() {
        app.key(KeyCode::Backspace).await;
    }
    app.keys("env:price").await;
    app.key(KeyCode::Enter).await;
    let spec = app.spec().unwrap();
    assert_eq!(spec.captures.len(), 1);
    assert_eq!(spec.captures[0].variable, "price");
    assert_eq!(spec.captures[0].scope, CaptureScope::Environment);
    app.act(Action::Send).await;
    let s = app.screen();
    assert!(s.contains("✗ json .price < 100   actual 249.99"), "{s}");
    // No environment is selected: the value is kept for this run, and said so.
    assert!(
        s.contains("{{price}} not set") || s.contains("set for this run"),
        "{s}"
    );
    assert!(
        app.app().workspace().docs[0].dirty,
        "the edits are unsaved changes"
    );
}
