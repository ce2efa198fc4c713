//! The workbench's credentials in a real terminal (tmux), the binary against `sigscope mock`
//! with HOME and the AWS files in a temporary folder and every AWS endpoint at the gateway:
//! an SSO login met by a send (the test opens the approval URL the dialog shows), an MFA
//! code asked once and not in the next run, the status line naming the environment's
//! profile and the `P` override (and not after clearing it, nor in the next run), and a
//! Connection header sent, not signed, until the Auth tab signs it.

mod common;

use common::start_mock;
use common::tmux::Session;
use std::path::{Path, PathBuf};

const CONFIG: &str = "\
[profile term-sso]
sso_session = term
sso_account_id = 123456789012
sso_role_name = DemoReadOnly
region = us-east-1

[sso-session term]
sso_start_url = https://tui-terminal.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile keys]
region = us-east-1

[profile term-mfa]
role_arn = arn:aws:iam::123456789012:role/demo-mfa
source_profile = keys
mfa_serial = arn:aws:iam::123456789012:mfa/demo
region = us-east-1
";

fn request(name: &str, profile: Option<&str>, headers: serde_json::Value) -> serde_json::Value {
    let mut auth = serde_json::json!({"type": "aws-sigv4", "region": "us-east-1",
                                      "service": "execute-api"});
    if let Some(p) = profile {
        auth["profile"] = p.into();
    }
    serde_json::json!({"name": name, "method": "GET", "url": "{{baseUrl}}/test/pets",
                       "headers": headers, "auth": auth})
}

/// A gateway, a home with the AWS files above, and a collection of requests signed with
/// them; the gateway stops when dropped.
struct World {
    mock: std::process::Child,
    url: String,
    dir: tempfile::TempDir,
}

impl Drop for World {
    fn drop(&mut self) {
        let _ = self.mock.kill();
        let _ = self.mock.wait();
    }
}

impl World {
    fn new() -> World {
        let (mock, url) = start_mock(&[]);
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        std::fs::create_dir_all(p.join("home")).unwrap();
        std::fs::create_dir_all(p.join("collections")).unwrap();
        std::fs::write(p.join("config"), CONFIG).unwrap();
        std::fs::write(
            p.join("credentials"),
            "[keys]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n\
             aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
        )
        .unwrap();
        let none = serde_json::json!([]);
        let collection = serde_json::json!({
            "version": 1,
            "name": "terminal",
            "variables": {"baseUrl": url},
            "environments": {"dev": {"profile": "keys"}},
            "requests": [
                request("SSO pets", Some("term-sso"), none.clone()),
                request("MFA pets", Some("term-mfa"), none.clone()),
                request("Env pets", None, none),
                request("Conn pets", Some("keys"),
                        serde_json::json!([{"name": "Connection", "value": "keep-alive"}])),
            ]
        });
        std::fs::write(
            p.join("collections/terminal.json"),
            serde_json::to_string_pretty(&collection).unwrap(),
        )
        .unwrap();
        World { mock, url, dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The workbench on the collection, in a 150×45 terminal.
    fn start(&self) -> Session {
        let p = |n: &str| self.path(n).display().to_string();
        let (home, config, credentials, data) =
            (p("home"), p("config"), p("credentials"), p("data"));
        let env = [
            ("HOME", home.as_str()),
            ("AWS_CONFIG_FILE", config.as_str()),
            ("AWS_SHARED_CREDENTIALS_FILE", credentials.as_str()),
            ("AWS_PROFILE", ""),
            ("AWS_ACCESS_KEY_ID", ""),
            ("AWS_SECRET_ACCESS_KEY", ""),
            ("AWS_SESSION_TOKEN", ""),
            ("AWS_REGION", ""),
            ("AWS_DEFAULT_REGION", ""),
            ("AWS_EC2_METADATA_DISABLED", "true"),
            ("AWS_ENDPOINT_URL_SSO_OIDC", self.url.as_str()),
            ("AWS_ENDPOINT_URL_SSO", self.url.as_str()),
            ("AWS_ENDPOINT_URL_STS", self.url.as_str()),
            ("SIGSCOPE_NO_BROWSER", "1"),
            ("SIGSCOPE_DATA_DIR", data.as_str()),
            ("SIGSCOPE_CONFIG_DIR", data.as_str()),
        ];
        let cmd = format!(
            "{} --collections {}",
            env!("CARGO_BIN_EXE_sigscope"),
            self.path("collections").display()
        );
        Session::start(&cmd, &env, 150, 45)
    }
}

/// The status line.
fn status(screen: &str) -> &str {
    screen.lines().next().unwrap_or_default()
}

/// Opens the approval page the dialog shows and follows its Allow link, as a person would.
fn approve(screen: &str) {
    let at = screen.find("http://127.0.0.1:").expect("a sign-in URL");
    let url: String = screen[at..]
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '│')
        .collect();
    assert!(url.contains("/sso/device?user_code="), "{url}");
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let client = reqwest::Client::new();
        let page = client.get(&url).send().await.unwrap().text().await.unwrap();
        let start = page
            .find("href=\"/sso/device/approve")
            .expect("an Allow link")
            + 6;
        let href = &page[start..start + page[start..].find('"').unwrap()];
        let base = &url[..url.find("/sso/").unwrap()];
        let done = client.get(format!("{base}{href}")).send().await.unwrap();
        assert!(done.status().is_success());
    });
}

fn files_in(dir: &Path) -> usize {
    std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0)
}

#[test]
fn sso_login_and_mfa_code_from_the_workbench_then_the_next_run_asks_nothing() {
    let w = World::new();
    let s = w.start();
    s.wait_for("Request: SSO pets");
    // A send meets the missing login: the dialog offers it, Enter starts it.
    s.send(&["C-r"]);
    s.wait_for("Sign in: profile term-sso");
    s.send(&["Enter"]);
    let screen = s.wait_for("user_code=");
    assert!(screen.contains("Code: "), "{screen}");
    assert!(screen.contains("No browser opened here"), "{screen}");
    approve(&screen);
    // The polling sees the approval; the request goes out again, signed.
    let screen = s.wait_for("200 OK");
    assert!(!screen.contains("Sign in:"), "{screen}");
    let line = status(&screen);
    assert!(
        line.contains("profile term-sso (request's auth) · expires in 59m")
            && line.contains("AWSReservedSSO_DemoReadOnly"),
        "{line}"
    );
    assert_eq!(
        files_in(&w.path("home/.aws/sso/cache")),
        2,
        "token + registration"
    );

    // The MFA role: the code prompt, then the request.
    s.send(&["Down"]);
    s.wait_for("Request: MFA pets");
    s.send(&["C-r"]);
    s.wait_for("MFA code: profile term-mfa");
    s.send(&["1", "2", "3", "4", "5", "6"]);
    s.wait_for("Code: 123456");
    s.send(&["Enter"]);
    let screen = s.wait_until("the MFA request's 200", |s| {
        s.contains("200 OK") && s.contains("assumed-role/demo-mfa")
    });
    assert!(!screen.contains("MFA code:"), "{screen}");
    assert!(screen.contains("MFA accepted"), "{screen}");
    assert_eq!(files_in(&w.path("home/.aws/cli/cache")), 1);
    s.send(&["q"]);
    s.wait_for("SIGSCOPE-EXITED 0");

    // The next run (on the request it left off at): both from the caches, no prompt, no
    // dialog.
    let s = w.start();
    s.wait_for("Request: MFA pets");
    let screen = s.wait_for("assumed-role/demo-mfa");
    assert!(status(&screen).contains("profile term-mfa (request's auth) · expires in"));
    s.send(&["C-r"]);
    let screen = s.wait_for("200 OK");
    assert!(!screen.contains("MFA code:"), "{screen}");
    s.send(&["Up"]);
    s.wait_for("Request: SSO pets");
    let screen = s.wait_for("AWSReservedSSO_DemoReadOnly");
    assert!(status(&screen).contains("expires in"), "{screen}");
    s.send(&["C-r"]);
    let screen = s.wait_until("the SSO request's 200", |s| {
        s.contains("Request: SSO pets") && s.contains("200 OK")
    });
    assert!(!screen.contains("Sign in:"), "{screen}");
}

#[test]
fn the_status_line_names_the_environments_profile_and_the_override_and_the_inspector_the_unsigned_header(
) {
    let w = World::new();
    let s = w.start();
    s.wait_for("Request: SSO pets");
    s.send(&["Down", "Down"]);
    s.wait_for("Request: Env pets");
    assert!(status(&s.capture()).contains("default profile (AWS CLI chain)"));
    // The environment's profile, with who it is (STS at the gateway).
    s.send(&["E"]);
    s.wait_for("Environment of 'terminal'");
    s.send(&["Down", "Enter"]);
    let screen = s.wait_for("arn:aws:iam::123456789012:user/demo");
    assert!(
        status(&screen).contains("env: dev · profile keys (environment 'dev')"),
        "{}",
        status(&screen)
    );
    // `P`: a session override, shown as one; the list says each profile's state.
    s.send(&["P"]);
    let screen = s.wait_for("AWS profile override");
    assert!(
        screen.contains("keys      ready (static keys)")
            && screen.contains("term-sso  needs login: no token for sso-session term")
            && screen.contains("term-mfa  needs MFA"),
        "{screen}"
    );
    s.send(&["Down"]);
    s.wait_for("› keys");
    s.send(&["Enter"]);
    let screen = s.wait_for("session override");
    assert!(
        status(&screen).contains("profile keys (session override: P changes or clears)"),
        "{}",
        status(&screen)
    );
    // Cleared: the environment's again.
    s.send(&["P"]);
    s.wait_for("AWS profile override");
    s.send(&["g", "Enter"]);
    let screen = s.wait_until("no override", |s| !status(s).contains("override"));
    assert!(status(&screen).contains("profile keys (environment 'dev')"));
    // Set again, then quit: the next run does not keep it, the environment stays.
    s.send(&["P"]);
    s.wait_for("AWS profile override");
    s.send(&["Down", "Enter"]);
    s.wait_for("session override");

    // The inspector: Connection is sent, not signed...
    s.send(&["Down"]);
    let screen = s.wait_for("Request: Conn pets");
    let screen = if screen.contains("Sent, not signed") {
        screen
    } else {
        s.wait_for("Sent, not signed")
    };
    assert!(screen.contains("│connection: keep-alive"), "{screen}");
    // ...until the Auth tab's Sign headers names it.
    s.send(&["Enter", "]", "]", "]", "]"]);
    s.wait_for("none (unsigned: connection)");
    for _ in 0..9 {
        s.send(&["j"]);
    }
    s.send(&["Enter"]);
    s.send(&["connection"]);
    s.send(&["Enter"]);
    let screen = s.wait_for("connection:keep-alive");
    assert!(!screen.contains("Sent, not signed"), "{screen}");
    assert!(
        screen.contains("│connection;host;x-amz-date"),
        "the canonical request's signed headers: {screen}"
    );
    s.send(&["C-r"]);
    s.wait_for("200 OK");
    s.send(&["C-s"]);
    // The file written and the app told (it marks itself saved after the write): a quit
    // before that would ask about unsaved changes.
    s.wait_until("saved", |screen| {
        screen.contains("saved ")
            && std::fs::read_to_string(w.path("collections/terminal.json"))
                .is_ok_and(|t| t.contains("\"signHeaders\""))
    });
    s.send(&["q"]);
    s.wait_for("SIGSCOPE-EXITED 0");

    let s = w.start();
    s.wait_for("Request: Conn pets");
    s.send(&["Up"]);
    let screen = s.wait_for("Request: Env pets");
    let screen = if status(&screen).contains("environment 'dev'") {
        screen
    } else {
        s.wait_for("environment 'dev'")
    };
    assert!(!status(&screen).contains("override"), "{}", status(&screen));
}
