//! The workbench's credentials, whole-app (through the harness, as the loop drives it),
//! against the local gateway: a send that meets a missing SSO login opens the sign-in
//! dialog, the test opens the approval URL it shows, and the request goes out; an MFA role
//! asks for its code once and reuses the cached credentials in the next run; the status line
//! names the credentials a request really uses and where they come from; the inspector shows
//! headers sent but not signed, and the Auth tab signs one.
//!
//! HOME and the AWS files are temporary and every AWS endpoint points at the gateway: one
//! set-up for the whole process (the environment is process-wide), each test with profiles
//! of its own.

use crossterm::event::{KeyCode, KeyEvent};
use sigscope::mock::{self, MockConfig};
use sigscope::tui::app::{Action, App, Command, Message, RequestState};
use sigscope::tui::harness::Harness;
use sigscope::tui::overlays::{login::LOGIN, mfa::MFA};
use std::path::PathBuf;
use std::sync::OnceLock;

struct World {
    url: String,
    home: PathBuf,
}

const CONFIG: &str = "\
[profile sso-send]
sso_session = send
sso_account_id = 123456789012
sso_role_name = DemoReadOnly
region = us-east-1

[sso-session send]
sso_start_url = https://tui-send.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile sso-cancel]
sso_session = cancel
sso_account_id = 123456789012
sso_role_name = DemoReadOnly
region = us-east-1

[sso-session cancel]
sso_start_url = https://tui-cancel.awsapps.com/start
sso_region = us-east-1

[profile sso-passive]
sso_session = passive
sso_account_id = 123456789012
sso_role_name = DemoReadOnly
region = us-east-1

[sso-session passive]
sso_start_url = https://tui-passive.awsapps.com/start
sso_region = us-east-1

[profile keys]
region = us-east-1

[profile mfa-send]
role_arn = arn:aws:iam::123456789012:role/demo-mfa
source_profile = keys
mfa_serial = arn:aws:iam::123456789012:mfa/demo
region = us-east-1
";

/// The gateway (on a thread of its own, for every test's runtime) and the environment.
fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep();
        let home = dir.join("home");
        std::fs::create_dir_all(&home).unwrap();
        std::fs::write(dir.join("config"), CONFIG).unwrap();
        std::fs::write(
            dir.join("credentials"),
            format!(
                "[keys]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
                mock::DEMO_ACCESS_KEY_ID,
                mock::DEMO_SECRET_ACCESS_KEY
            ),
        )
        .unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Runtime::new().unwrap();
            rt.block_on(async {
                let server = mock::start(MockConfig::default(), 0).await.unwrap();
                tx.send(server.base_url()).unwrap();
                std::future::pending::<()>().await;
            });
        });
        let url = rx.recv().unwrap();
        for name in [
            "AWS_PROFILE",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "AWS_REGION",
            "AWS_DEFAULT_REGION",
        ] {
            std::env::remove_var(name);
        }
        std::env::set_var("HOME", &home);
        std::env::set_var("AWS_CONFIG_FILE", dir.join("config"));
        std::env::set_var("AWS_SHARED_CREDENTIALS_FILE", dir.join("credentials"));
        std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
        std::env::set_var("SIGSCOPE_NO_BROWSER", "1");
        for service in ["SSO_OIDC", "SSO", "STS"] {
            std::env::set_var(format!("AWS_ENDPOINT_URL_{service}"), &url);
        }
        World { url, home }
    })
}

/// A collection of one GET /test/pets signed with `profile`.
fn signed_as(profile: &str, extra: serde_json::Value) -> Harness {
    let w = world();
    let mut request = serde_json::json!({
        "name": format!("pets as {profile}"),
        "method": "GET",
        "url": "{{baseUrl}}/test/pets",
        "auth": {"type": "aws-sigv4", "profile": profile, "region": "us-east-1",
                 "service": "execute-api"}
    });
    if let (Some(r), Some(e)) = (request.as_object_mut(), extra.as_object()) {
        r.extend(e.clone());
    }
    let c = serde_json::json!({"version": 1, "name": "logins", "requests": [request]});
    let mut app = App::new(serde_json::from_value(c).unwrap());
    app.set_override("baseUrl", &w.url);
    Harness::new(app)
}

fn status_of(app: &Harness) -> Option<u16> {
    match app.request_state() {
        RequestState::Done { exchange, .. } => Some(exchange.response.status),
        _ => None,
    }
}

/// Opens the approval page at `url` and follows its Allow link, as a person would.
async fn approve(url: &str) {
    let client = reqwest::Client::new();
    let page = client.get(url).send().await.unwrap().text().await.unwrap();
    let start = page
        .find("href=\"/sso/device/approve")
        .expect("an Allow link")
        + 6;
    let href = &page[start..start + page[start..].find('"').unwrap()];
    let base = &url[..url.find("/sso/").unwrap()];
    let done = client.get(format!("{base}{href}")).send().await.unwrap();
    assert!(done.status().is_success());
}

/// The sign-in URL on the screen.
fn url_on(screen: &str) -> Option<String> {
    let at = screen.find("http://127.0.0.1:")?;
    let rest = &screen[at..];
    let end = rest
        .find(|c: char| c.is_whitespace() || c == '│')
        .unwrap_or(rest.len());
    Some(rest[..end].to_string()).filter(|u| u.contains("user_code="))
}

#[tokio::test]
async fn a_send_that_meets_a_missing_sso_login_logs_in_and_is_sent() {
    let w = world();
    let mut app = signed_as("sso-send", serde_json::json!({}));
    let s = app.screen();
    assert!(
        s.contains("profile sso-send (request's auth)"),
        "the status line names the request's profile: {s}"
    );
    let cmds = app.update(Message::Action(Action::Send));
    let cmds = app.step(cmds).await;
    assert!(cmds.is_empty(), "{cmds:?}");
    assert_eq!(app.overlay(), Some(LOGIN), "the send offers the login");
    let s = app.screen();
    assert!(
        s.contains("Sign in: profile sso-send") && s.contains("enter: log in now"),
        "{s}"
    );
    assert!(s.contains("no login for sso-session send"), "{s}");

    // Enter starts the device flow; it shows the URL, the code and a QR code.
    let mut cmds = app.update(Message::Key(KeyEvent::from(KeyCode::Enter)));
    let mut url = None;
    for _ in 0..20 {
        cmds = app.step(cmds).await;
        if let Some(u) = url_on(&app.screen()) {
            url = Some(u);
            break;
        }
    }
    let url = url.expect("the dialog shows the URL");
    let s = app.screen();
    let code = url.split("user_code=").nth(1).unwrap();
    assert!(s.contains(&format!("Code: {code}")), "{s}");
    assert!(s.contains("No browser opened here"), "{s}");
    assert!(s.contains(&"█".repeat(24)), "a QR code's quiet zone: {s}");
    assert!(s.contains("Waiting for approval"), "{s}");

    // The test opens the page and allows it; the polling in the background sees it, the
    // dialog closes and the request goes out again, signed.
    approve(&url).await;
    app.drive(cmds).await;
    assert_eq!(app.overlay(), None, "{}", app.screen());
    assert_eq!(status_of(&app), Some(200), "{}", app.screen());
    let s = app.screen();
    assert!(
        s.contains("assumed-role/AWSReservedSSO_DemoReadOnly"),
        "who: {s}"
    );
    assert!(s.contains("expires in"), "the countdown: {s}");
    let cache = std::fs::read_dir(w.home.join(".aws/sso/cache"))
        .unwrap()
        .count();
    assert!(cache >= 1, "the token is cached where the AWS CLI reads it");
}

#[tokio::test]
async fn cancelling_the_login_closes_the_dialog_and_it_is_not_offered_again_unasked() {
    world();
    let mut app = signed_as("sso-cancel", serde_json::json!({}));
    let cmds = app.update(Message::Action(Action::Send));
    app.step(cmds).await;
    assert_eq!(app.overlay(), Some(LOGIN));
    let mut cmds = app.update(Message::Key(KeyEvent::from(KeyCode::Enter)));
    for _ in 0..20 {
        cmds = app.step(cmds).await;
        if url_on(&app.screen()).is_some() {
            break;
        }
    }
    // The keymap's cancel key: the flow stops, the dialog closes.
    let more = app.update(Message::Key(KeyEvent::from(KeyCode::Esc)));
    cmds.extend(more);
    app.drive(cmds).await;
    assert_eq!(app.overlay(), None);
    assert_eq!(status_of(&app), None, "nothing was sent");
    let s = app.screen();
    assert!(s.contains("needs an SSO login"), "{s}");
    // Turned down: the identity line does not offer it again by itself...
    let cmds = app.app_mut().init();
    app.drive(cmds).await;
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
    app.app_mut().set_clock(later);
    app.update(Message::Tick);
    assert_eq!(app.overlay(), None, "{}", app.screen());
    // ...a send does.
    let cmds = app.update(Message::Action(Action::Send));
    app.step(cmds).await;
    assert_eq!(app.overlay(), Some(LOGIN));
}

#[tokio::test]
async fn an_mfa_role_asks_for_the_code_once_and_the_next_run_reuses_the_cached_credentials() {
    let w = world();
    let mut app = signed_as("mfa-send", serde_json::json!({}));
    let cmds = app.update(Message::Action(Action::Send));
    app.step(cmds).await;
    assert_eq!(app.overlay(), Some(MFA), "{}", app.screen());
    let s = app.screen();
    assert!(
        s.contains("MFA code: profile mfa-send")
            && s.contains("arn:aws:iam::123456789012:mfa/demo")
            && s.contains("its code is 123456"),
        "{s}"
    );
    // A wrong code is refused by STS; the prompt stays for the next one.
    app.keys("111111").await;
    assert!(app.screen().contains("Code: 111111"), "{}", app.screen());
    let cmds = app.update(Message::Key(KeyEvent::from(KeyCode::Enter)));
    assert!(
        !app.screen().contains("111111"),
        "the field is cleared once sent"
    );
    app.drive(cmds).await;
    assert_eq!(app.overlay(), Some(MFA));
    let s = app.screen();
    assert!(s.contains("was refused"), "{s}");
    // The right one: the role is assumed, cached, and the request resent.
    app.keys("123456").await;
    let cmds = app.update(Message::Key(KeyEvent::from(KeyCode::Enter)));
    app.drive(cmds).await;
    assert_eq!(app.overlay(), None, "{}", app.screen());
    assert_eq!(status_of(&app), Some(200), "{}", app.screen());
    let s = app.screen();
    assert!(s.contains("assumed-role/demo-mfa"), "{s}");
    let cached = std::fs::read_dir(w.home.join(".aws/cli/cache")).unwrap();
    let texts: Vec<String> = cached
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(texts.iter().any(|t| t.contains("demo-mfa")), "{texts:?}");
    assert!(
        texts.iter().all(|t| !t.contains("123456\"")),
        "the code is never written"
    );

    // The next run: the identity line resolves from the cache, the send asks nothing.
    let mut next = signed_as("mfa-send", serde_json::json!({}));
    let cmds = next.app_mut().init();
    next.drive(cmds).await;
    let s = next.screen();
    assert!(
        s.contains("assumed-role/demo-mfa") && s.contains("expires in"),
        "{s}"
    );
    next.act(Action::Send).await;
    assert_eq!(next.overlay(), None);
    assert_eq!(status_of(&next), Some(200), "{}", next.screen());
}

#[tokio::test]
async fn the_status_line_names_the_profile_a_request_really_uses_and_where_it_comes_from() {
    world();
    let c = serde_json::json!({
        "version": 1, "name": "where",
        "auth": {"type": "aws-sigv4", "region": "us-east-1", "service": "execute-api"},
        "environments": {"dev": {"profile": "env-profile"}},
        "folders": [{
            "name": "Team",
            "auth": {"type": "aws-sigv4", "profile": "team-profile", "region": "us-east-1",
                     "service": "execute-api"},
            "requests": [{"name": "in team", "method": "GET", "url": "http://127.0.0.1:9/a"}]
        }],
        "requests": [
            {"name": "plain", "method": "GET", "url": "http://127.0.0.1:9/a"},
            {"name": "own", "method": "GET", "url": "http://127.0.0.1:9/a",
             "auth": {"type": "aws-sigv4", "profile": "own-profile", "region": "us-east-1",
                      "service": "execute-api"}}
        ]
    });
    let mut app = Harness::new(App::new(serde_json::from_value(c).unwrap()));
    let status = |app: &mut Harness| app.screen().lines().next().unwrap().to_string();
    app.select("plain").await;
    assert!(
        status(&mut app).contains("default profile (AWS CLI chain)"),
        "{}",
        status(&mut app)
    );
    // The environment's profile, once the environment is chosen.
    app.act(Action::Environment).await;
    app.key(KeyCode::Down).await;
    app.key(KeyCode::Enter).await;
    let s = status(&mut app);
    assert!(
        s.contains("env: dev") && s.contains("profile env-profile (environment 'dev')"),
        "{s}"
    );
    // A folder's auth and a request's own win over the environment.
    app.select("Team/in team").await;
    assert!(
        status(&mut app).contains("profile team-profile (folder 'Team')"),
        "{}",
        status(&mut app)
    );
    app.select("own").await;
    assert!(status(&mut app).contains("profile own-profile (request's auth)"));
    // `P` sets a session override, shown as one, over all of them...
    app.update(Message::Profiles(vec!["picked".into()]));
    app.update(Message::Key(KeyEvent::from(KeyCode::Down)));
    let cmds = app.update(Message::Key(KeyEvent::from(KeyCode::Enter)));
    assert!(
        matches!(cmds.as_slice(), [Command::Identity { profile: Some(p) }] if p == "picked"),
        "{cmds:?}"
    );
    let s = status(&mut app);
    assert!(
        s.contains("profile picked (session override: P changes or clears)"),
        "{s}"
    );
    app.select("plain").await;
    assert!(status(&mut app).contains("profile picked (session override"));
    let signed = app.prepare_selected().unwrap().signing.unwrap();
    assert!(
        matches!(&signed.credentials, sigscope::aws::credentials::CredentialSpec::Chain { profile: Some(p) } if p == "picked")
    );
    // ...and is not kept for the next start.
    let session = sigscope::tui::session::capture(app.app());
    assert!(!serde_json::to_string(&session).unwrap().contains("picked"));
    // Cleared: the environment's again.
    app.update(Message::Profiles(vec!["picked".into()]));
    app.update(Message::Key(KeyEvent::from(KeyCode::Home)));
    app.update(Message::Key(KeyEvent::from(KeyCode::Enter)));
    let s = status(&mut app);
    assert!(
        s.contains("profile env-profile (environment 'dev')") && !s.contains("override"),
        "{s}"
    );
    assert_eq!(app.profile(), None);
}

#[tokio::test]
async fn the_inspector_shows_a_connection_header_sent_not_signed_until_the_auth_tab_signs_it() {
    let w = world();
    let server = mock::start(MockConfig::default(), 0).await.unwrap();
    let mut app = signed_as(
        "demo",
        serde_json::json!({"headers": [{"name": "Connection", "value": "keep-alive"}]}),
    );
    app.app_mut().set_override("baseUrl", &server.base_url());
    app.app_mut()
        .set_fixed_credentials(sigscope::mock::demo_credentials);
    let _ = w;
    let s = app.screen();
    assert!(
        s.contains("│Sent, not signed:") && s.contains("│connection: keep-alive"),
        "{s}"
    );
    let trace = app.preview().unwrap();
    assert_eq!(trace.unsigned_headers, ["connection"]);
    assert!(!trace.signed_headers.contains(&"connection".to_string()));

    // Auth tab → Sign headers: typed as a user would.
    app.act(Action::Enter).await;
    for _ in 0..4 {
        app.act(Action::NextTab).await;
    }
    let s = app.screen();
    assert!(s.contains("none (unsigned: connection)"), "{s}");
    for _ in 0..9 {
        app.act(Action::Down).await;
    }
    app.act(Action::Enter).await;
    app.keys("Connection").await;
    app.key(KeyCode::Enter).await;
    let trace = app.preview().unwrap();
    assert!(
        trace.signed_headers.contains(&"connection".to_string()),
        "{:?}",
        trace.signed_headers
    );
    assert!(trace.unsigned_headers.is_empty());
    let s = app.screen();
    assert!(!s.contains("Sent, not signed"), "{s}");
    assert!(s.contains("connection:keep-alive"), "signed: {s}");
    let saved = &app.workspace().docs[0].loaded.collection.requests[0].auth;
    assert!(format!("{saved:?}").contains("\"connection\""), "{saved:?}");
    // Sent as signed, and the gateway checks it.
    app.act(Action::Send).await;
    assert_eq!(status_of(&app), Some(200), "{}", app.screen());
    assert!(app.screen().contains("Signed headers sent"));
}

#[tokio::test]
async fn the_identity_line_offers_the_login_once_the_selection_rests_and_the_picker_at_once() {
    world();
    let mut app = signed_as("sso-passive", serde_json::json!({}));
    let t0 = std::time::SystemTime::now();
    app.app_mut().set_clock(t0);
    let cmds = app.app_mut().init();
    assert!(
        matches!(cmds.as_slice(), [Command::Identity { profile: Some(p) }] if p == "sso-passive"),
        "{cmds:?}"
    );
    app.drive(cmds).await;
    assert_eq!(
        app.overlay(),
        None,
        "not while the selection may still be moving"
    );
    assert!(app.wants_ticks());
    assert!(app.screen().contains("needs an SSO login"));
    app.app_mut()
        .set_clock(t0 + std::time::Duration::from_secs(2));
    app.update(Message::Tick);
    assert_eq!(app.overlay(), Some(LOGIN), "{}", app.screen());
    app.update(Message::Key(KeyEvent::from(KeyCode::Esc)));
    assert_eq!(app.overlay(), None);

    // Picking the profile with `P` offers it at once, though it was turned down.
    app.update(Message::Profiles(vec!["sso-passive".into()]));
    app.update(Message::Key(KeyEvent::from(KeyCode::Down)));
    let cmds = app.update(Message::Key(KeyEvent::from(KeyCode::Enter)));
    app.drive(cmds).await;
    assert_eq!(app.overlay(), Some(LOGIN), "{}", app.screen());
    assert!(app.screen().contains("Sign in: profile sso-passive"));
}

#[tokio::test]
async fn credentials_about_to_expire_are_resolved_again_once_and_kept_if_that_fails() {
    world();
    let mut app = signed_as("refreshing", serde_json::json!({}));
    let now = std::time::SystemTime::now();
    app.app_mut().set_clock(now);
    let identity = |minutes: u64| sigscope::tui::app::Identity {
        arn: Some("arn:aws:sts::123456789012:assumed-role/r/s".into()),
        account: Some("123456789012".into()),
        key: "ASIA…TEST".into(),
        expiry: Some(now + std::time::Duration::from_secs(minutes * 60)),
        source: "test".into(),
        region: None,
        note: None,
        credentials: Some(sigscope::aws::credentials::Credentials {
            expiry: Some(now + std::time::Duration::from_secs(minutes * 60)),
            ..mock::demo_credentials(None).unwrap()
        }),
    };
    let profile = Some("refreshing".to_string());
    app.update(Message::Identity {
        profile: profile.clone(),
        result: Ok(identity(30)),
    });
    assert!(
        app.screen().contains("expires in 30m 00s"),
        "{}",
        app.screen()
    );
    assert!(
        app.update(Message::Tick).is_empty(),
        "30 minutes left: no refresh"
    );
    // Within the window the caches use (5 minutes): resolved again, once.
    app.update(Message::Identity {
        profile: profile.clone(),
        result: Ok(identity(4)),
    });
    let cmds = app.update(Message::Tick);
    assert!(
        matches!(cmds.as_slice(), [Command::Identity { profile: Some(p) }] if p == "refreshing"),
        "{cmds:?}"
    );
    assert!(
        app.update(Message::Tick).is_empty(),
        "one refresh at a time"
    );
    app.update(Message::Identity {
        profile: profile.clone(),
        result: Ok(identity(60)),
    });
    assert!(
        app.screen().contains("expires in 1h 00m"),
        "{}",
        app.screen()
    );
    // A refresh that needs the user (a role behind MFA) keeps what still works, says why,
    // and is not tried again for the same credentials.
    app.update(Message::Identity {
        profile: profile.clone(),
        result: Ok(identity(3)),
    });
    let cmds = app.update(Message::Tick);
    assert_eq!(cmds.len(), 1);
    let challenge = sigscope::aws::mfa::MfaChallenge {
        profile: "refreshing".into(),
        role_profile: "refreshing".into(),
        role_arn: "arn:aws:iam::123456789012:role/r".into(),
        mfa_serial: "arn:aws:iam::123456789012:mfa/me".into(),
    };
    app.update(Message::Identity {
        profile: profile.clone(),
        result: Err(sigscope::tui::app::NoCredentials {
            message: "needs MFA".into(),
            remedy: Some(sigscope::aws::credentials::Remedy::MfaCode(challenge)),
        }),
    });
    let s = app.screen();
    assert!(
        s.contains("expires in 3m 00s") && s.contains("no refresh: needs an MFA code"),
        "{s}"
    );
    assert!(
        app.preview().is_some(),
        "the credentials in hand still sign"
    );
    assert_eq!(app.overlay(), None, "no prompt while they last");
    assert!(app.update(Message::Tick).is_empty());
    // Once they have run out, the line says so.
    app.app_mut()
        .set_clock(now + std::time::Duration::from_secs(200));
    assert!(app.screen().contains("EXPIRED"), "{}", app.screen());
}
