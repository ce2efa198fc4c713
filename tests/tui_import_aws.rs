//! Importing from an AWS account in the workbench, whole: the key (or `aws` typed into the
//! import prompt) opens the dialog, the profiles come from the AWS files, the APIs from the
//! local gateway answering API Gateway, API Gateway v2 and Lambda (through the same
//! `import::aws` functions as `sigscope import aws`), the picked ones become collection files
//! whose requests sign and get 200 from the gateway.
//!
//! The endpoints are process-wide environment variables, as the AWS SDKs read them: this file
//! holds a single test so that nothing else in its process reads them meanwhile.
#![recursion_limit = "256"]

use crossterm::event::KeyCode;
use sigscope::mock::{self, MockConfig, Style};
use sigscope::model::Auth;
use sigscope::tui::app::{Action, App, RequestState};
use sigscope::tui::harness::Harness;
use sigscope::tui::overlays::account_import::ACCOUNT_IMPORT;

fn region_service(auth: &Auth) -> (Option<String>, Option<String>) {
    match auth {
        Auth::AwsSigv4 {
            region, service, ..
        } => (region.clone(), service.clone()),
        other => panic!("not SigV4: {other:?}"),
    }
}

/// The dialog's box, cut out of the screen.
fn dialog(screen: &str) -> String {
    let rows: Vec<Vec<char>> = screen.lines().map(|l| l.chars().collect()).collect();
    let top = (rows.iter())
        .position(|r| {
            r.iter()
                .collect::<String>()
                .contains("┌Import from an AWS account")
        })
        .expect("the dialog is drawn");
    let left = rows[top].iter().position(|c| *c == '┌').unwrap();
    let right = left + rows[top][left..].iter().position(|c| *c == '┐').unwrap();
    let mut out = Vec::new();
    for r in &rows[top..] {
        let line: String = r
            .get(left..=right.min(r.len() - 1))
            .unwrap_or_default()
            .iter()
            .collect();
        let end = line.starts_with('└');
        out.push(line.trim_end().to_string());
        if end {
            break;
        }
    }
    out.join("\n")
}

/// Moves the dialog's cursor to the row whose text holds `needle`.
async fn to_row(app: &mut Harness, needle: &str) {
    app.act(Action::Top).await;
    for _ in 0..20 {
        let screen = app.screen();
        if screen
            .lines()
            .any(|l| l.contains("›") && l.contains(needle))
        {
            return;
        }
        app.act(Action::Down).await;
    }
    panic!("no row '{needle}':\n{}", app.screen());
}

#[tokio::test]
async fn the_workbench_lists_an_accounts_apis_and_imports_the_picked_ones() {
    let rest = mock::start(MockConfig::default(), 0).await.unwrap();
    let lambda = mock::start(
        MockConfig {
            style: Style::LambdaUrl,
            ..MockConfig::default()
        },
        0,
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("aws-config");
    std::fs::write(
        &config,
        "[profile demo]\nregion = us-east-1\n\n[profile demo-unknown-key]\nregion = eu-west-1\n",
    )
    .unwrap();
    // Only this test runs in this process (see the top of the file).
    for (k, v) in [
        ("AWS_CONFIG_FILE", config.display().to_string()),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            dir.path().join("none").display().to_string(),
        ),
        ("AWS_EC2_METADATA_DISABLED", "true".into()),
        ("AWS_ENDPOINT_URL_APIGATEWAY", rest.base_url()),
        ("AWS_ENDPOINT_URL_APIGATEWAYV2", rest.base_url()),
        ("AWS_ENDPOINT_URL_LAMBDA", lambda.base_url()),
    ] {
        std::env::set_var(k, v);
    }
    for k in [
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_PROFILE",
        "AWS_ENDPOINT_URL",
    ] {
        std::env::remove_var(k);
    }
    let collections = dir.path().join("collections");
    std::fs::create_dir(&collections).unwrap();
    let mut app = App::with_docs(Vec::new());
    app.set_collections_dir(collections.clone());
    // The demo profiles sign with the gateway's keys (its unknown key too); nothing else does.
    app.set_fixed_credentials(mock::demo_credentials);
    let mut app = Harness::new(app);

    // The welcome pane offers it, with its key from the keymap.
    let screen = app.screen();
    assert!(
        screen.contains(" O ") && screen.contains("import from an AWS account"),
        "{screen}"
    );
    app.key(KeyCode::Char('O')).await;
    assert_eq!(app.overlay(), Some(ACCOUNT_IMPORT));
    let screen = app.screen();
    assert!(
        screen.contains("demo  (us-east-1)") && screen.contains("demo-unknown-key  (eu-west-1)"),
        "the profiles with their regions:\n{screen}"
    );

    // A key the gateway does not know: each listing call is refused, and said.
    to_row(&mut app, "demo-unknown-key").await;
    app.key(KeyCode::Enter).await;
    assert_eq!(app.overlay_text().as_deref(), Some("eu-west-1"));
    app.key(KeyCode::Enter).await;
    let screen = app.screen();
    assert!(
        screen.contains("could not list: API Gateway GetRestApis: HTTP 403")
            && screen.contains("no API Gateway API or Lambda function URL in eu-west-1"),
        "{screen}"
    );
    // Enter with nothing listed imports nothing; Esc closes.
    app.key(KeyCode::Enter).await;
    app.key(KeyCode::Esc).await;
    assert_eq!(app.overlay(), None);
    assert!(app.workspace().docs.is_empty());

    // Through the import prompt this time: `aws` is the account.
    app.key(KeyCode::Char('o')).await;
    let screen = app.screen();
    assert!(screen.contains("or `aws` for an AWS account"), "{screen}");
    app.keys("aws").await;
    app.key(KeyCode::Enter).await;
    assert_eq!(app.overlay(), Some(ACCOUNT_IMPORT));
    to_row(&mut app, "demo  (us-east-1)").await;
    app.key(KeyCode::Enter).await;
    // The region is typed over (the profile's was selected); Tab to the methods the ANY
    // routes become, which must be methods.
    app.keys("us-east-1").await;
    app.key(KeyCode::Tab).await;
    // The dialog alone (what is behind it shows temporary paths), its port made stable.
    let stable =
        |screen: String| dialog(&screen).replace(&lambda.base_url(), "http://127.0.0.1:PORT");
    insta::assert_snapshot!("account_import_region", stable(app.screen()));
    assert_eq!(app.overlay_text().as_deref(), Some("GET"));
    app.keys("get, fetch").await;
    app.key(KeyCode::Enter).await;
    let screen = app.screen();
    assert!(screen.contains("'FETCH' is not a method"), "{screen}");
    app.ctrl('u').await;
    app.keys("get,post").await;
    app.key(KeyCode::Enter).await;
    let screen = app.screen();
    assert!(
        screen.contains("APIs in us-east-1 (AKIAIOSF")
            && screen.contains("[ ] REST API")
            && screen.contains("demoapi")
            && screen.contains("stage test")
            && screen.contains("[ ] function URL")
            && screen.contains("sigscope-demo")
            && screen.contains("auth AWS_IAM"),
        "{screen}"
    );
    insta::assert_snapshot!("account_import_apis", stable(app.screen()));
    // Both picked, then imported: two collection files.
    to_row(&mut app, "REST API").await;
    app.key(KeyCode::Char(' ')).await;
    to_row(&mut app, "function URL").await;
    app.key(KeyCode::Char(' ')).await;
    assert!(app.screen().contains("[x] REST API"));
    app.key(KeyCode::Enter).await;
    assert_eq!(app.overlay(), None);
    let notice = app.notice().unwrap_or_default().to_string();
    assert!(
        notice.contains("imported from us-east-1: sigscope demo (test): 6 requests")
            && notice.contains("sigscope-demo: 1 requests"),
        "{notice}"
    );
    let rest_file = collections.join("sigscope-demo-test.json");
    let loaded = sigscope::model::load(&rest_file).unwrap().collection;
    assert_eq!(
        loaded.variables["baseUrl"],
        format!("{}/test", rest.base_url())
    );
    assert_eq!(loaded.walk().len(), 6, "GET and POST for the ANY route");
    assert!(
        loaded
            .walk()
            .iter()
            .any(|l| l.request.method == "POST" && l.request.url.contains("/echo/")),
        "{:?}",
        loaded
            .walk()
            .iter()
            .map(|l| &l.request.name)
            .collect::<Vec<_>>()
    );
    for l in loaded.walk() {
        assert_eq!(
            region_service(&l.request.auth),
            (Some("us-east-1".into()), Some("execute-api".into())),
            "{}",
            l.request.name
        );
    }
    for l in loaded.walk() {
        assert!(
            matches!(&l.request.auth, Auth::AwsSigv4 { profile: Some(p), .. } if p == "demo"),
            "signed with the profile the APIs were listed with: {:?}",
            l.request.auth
        );
    }
    let function = sigscope::model::load(&collections.join("sigscope-demo.json"))
        .unwrap()
        .collection;
    assert_eq!(
        region_service(&function.walk()[0].request.auth)
            .1
            .as_deref(),
        Some("lambda")
    );
    for file in [&rest_file, &collections.join("sigscope-demo.json")] {
        let text = std::fs::read_to_string(file).unwrap();
        assert!(
            !text.contains(mock::DEMO_SECRET_ACCESS_KEY)
                && !text.contains(mock::DEMO_ACCESS_KEY_ID),
            "no credential in {}",
            file.display()
        );
    }

    // An imported request, sent from the workbench: signed right, 200 from the gateway.
    let get = loaded
        .walk()
        .iter()
        .find(|l| {
            l.request.method == "GET" && !l.request.url.replace("{{baseUrl}}", "").contains('{')
        })
        .map(|l| {
            let mut path: Vec<&str> = l.folders.iter().map(|f| f.name.as_str()).collect();
            path.push(&l.request.name);
            path.join("/")
        })
        .expect("a GET without path parameters");
    app.select(&get).await;
    app.act(Action::Send).await;
    match app.request_state() {
        RequestState::Done { exchange, .. } => assert_eq!(
            exchange.response.status,
            200,
            "{}",
            String::from_utf8_lossy(&exchange.response.body)
        ),
        other => panic!("{get}: {other:?}"),
    }
}
