//! Credentials as teams have them, through the binary against the local gateway: the SSO
//! device-flow login approved by opening the gateway's URL, the token cache the AWS CLI
//! reads, MFA roles with cached credentials, refresh, expiry and logout. HOME and the AWS
//! files point at temporary folders; every endpoint at the gateway.

mod common;

use common::{sigscope, start_mock, text};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

const CONFIG: &str = "\
[profile sso]
sso_session = demo
sso_account_id = 123456789012
sso_role_name = DemoReadOnly
region = us-east-1

[sso-session demo]
sso_start_url = https://sigscope-demo.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile legacy]
sso_start_url = https://legacy-demo.awsapps.com/start
sso_region = us-east-1
sso_account_id = 123456789012
sso_role_name = DemoAdmin
region = us-east-1

[profile keys]
region = us-east-1

[profile mfa]
role_arn = arn:aws:iam::123456789012:role/demo-mfa
source_profile = keys
mfa_serial = arn:aws:iam::123456789012:mfa/demo
region = us-east-1

[profile chained-long]
role_arn = arn:aws:iam::123456789012:role/demo-readonly
source_profile = mfa
duration_seconds = 7200
region = us-east-1

[profile partner]
role_arn = arn:aws:iam::123456789012:role/demo-partner
source_profile = keys
external_id = sigscope-demo
region = us-east-1

[profile partner-no-id]
role_arn = arn:aws:iam::123456789012:role/demo-partner
source_profile = keys
region = us-east-1

[profile on-sso]
role_arn = arn:aws:iam::123456789012:role/demo-readonly
source_profile = sso
region = us-east-1
";

const CREDENTIALS: &str = "[keys]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n";

/// A gateway and a home with the config above; the gateway stops when dropped.
struct World {
    mock: Child,
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
    fn new() -> Self {
        let (mock, url) = start_mock(&[]);
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("home")).unwrap();
        std::fs::write(dir.path().join("config"), CONFIG).unwrap();
        std::fs::write(dir.path().join("credentials"), CREDENTIALS).unwrap();
        Self { mock, url, dir }
    }

    fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    fn cmd(&self) -> Command {
        let mut cmd = sigscope();
        cmd.env("HOME", self.home())
            .env("AWS_CONFIG_FILE", self.dir.path().join("config"))
            .env(
                "AWS_SHARED_CREDENTIALS_FILE",
                self.dir.path().join("credentials"),
            )
            .env("AWS_ENDPOINT_URL_SSO_OIDC", &self.url)
            .env("AWS_ENDPOINT_URL_SSO", &self.url)
            .env("AWS_ENDPOINT_URL_STS", &self.url)
            .env("SIGSCOPE_NO_BROWSER", "1")
            .env("SIGSCOPE_DATA_DIR", self.dir.path().join("data"))
            .stdin(Stdio::null());
        cmd
    }

    /// `sigscope send --profile P GET /test/pets`.
    fn send(&self, profile: &str, extra: &[&str]) -> std::process::Output {
        self.cmd()
            .args(["send", "--profile", profile, "--region", "us-east-1"])
            .args(["--service", "execute-api"])
            .args(extra)
            .arg(format!("{}/test/pets", self.url))
            .output()
            .unwrap()
    }

    /// Runs `sigscope login` and opens the gateway's approval (or denial) URL for the code it
    /// prints, as a person would in the browser.
    fn login(&self, profile: &str, approve: bool) -> (std::process::Output, String) {
        let mut child = self
            .cmd()
            .args(["login", "--profile", profile, "--no-browser"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut seen = String::new();
        let url = loop {
            let mut line = String::new();
            assert!(
                stderr.read_line(&mut line).unwrap() > 0,
                "login ended before printing a URL:\n{seen}"
            );
            seen.push_str(&line);
            if let Some(u) = line.split_whitespace().find(|w| w.contains("user_code=")) {
                break u.to_string();
            }
        };
        let decision = if approve { "approve" } else { "deny" };
        let page = http_get(&url.replace("/sso/device?", &format!("/sso/device/{decision}?")));
        assert!(
            page.contains(if approve { "Approved" } else { "Denied" }),
            "{page}"
        );
        let mut rest = String::new();
        stderr.read_to_string(&mut rest).unwrap();
        seen.push_str(&rest);
        let mut stdout = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut stdout)
            .unwrap();
        let status = child.wait().unwrap();
        (
            std::process::Output {
                status,
                stdout: stdout.into_bytes(),
                stderr: seen.clone().into_bytes(),
            },
            url,
        )
    }
}

/// A plain HTTP/1.1 GET to the loopback gateway: the approval page.
fn http_get(url: &str) -> String {
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_once('/').unwrap();
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    write!(
        stream,
        "GET /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    stream.read_to_string(&mut out).unwrap();
    out
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn sha1_file(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("{}.json", sigscope::aws::pyjson::sha1_hex(id)))
}

#[test]
fn sso_login_writes_the_aws_cli_token_cache_and_send_uses_it() {
    let w = World::new();
    let out = w.send("sso", &[]);
    assert!(!out.status.success());
    assert!(
        text(&out).1.contains("run `sigscope login --profile sso`"),
        "{}",
        text(&out).1
    );

    let (out, url) = w.login("sso", true);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(
        url.starts_with(&format!("{}/sso/device?user_code=", w.url)),
        "{url}"
    );
    assert!(stderr.contains('█'), "a QR code is drawn:\n{stderr}");
    assert!(stdout.contains("logged in to sso-session demo"), "{stdout}");
    assert!(
        stdout.contains("account 123456789012 (sigscope demo): DemoReadOnly, DemoAdmin"),
        "ListAccounts and ListAccountRoles:\n{stdout}"
    );
    assert!(stdout.contains("profile sso is ready until"), "{stdout}");

    // Where and how the AWS CLI writes it: sha1 of the session name, its fields, 0600.
    let token_file = sha1_file(&w.home().join(".aws/sso/cache"), "demo");
    let token = json(&token_file);
    assert_eq!(token["startUrl"], "https://sigscope-demo.awsapps.com/start");
    assert_eq!(token["region"], "us-east-1");
    for key in ["accessToken", "clientId", "clientSecret", "refreshToken"] {
        assert!(
            token[key].as_str().is_some_and(|v| !v.is_empty()),
            "{key}: {token}"
        );
    }
    for key in ["expiresAt", "registrationExpiresAt"] {
        let t = token[key].as_str().unwrap();
        assert!(
            t.len() == 20 && t.ends_with('Z') && t.as_bytes()[10] == b'T',
            "{key} in %Y-%m-%dT%H:%M:%SZ: {t}"
        );
    }
    let keys: Vec<&str> = token
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "startUrl",
            "region",
            "accessToken",
            "expiresAt",
            "clientId",
            "clientSecret",
            "registrationExpiresAt",
            "refreshToken"
        ]
    );
    #[cfg(unix)]
    assert_eq!(mode(&token_file), 0o600);

    let out = w.send("sso", &[]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("\"type\":\"dog\""), "{stdout}");
    // A role on top of the SSO profile works too (AssumeRole with the SSO role's credentials).
    let out = w.send("on-sso", &[]);
    assert!(out.status.success(), "{}", text(&out).1);

    let out = w.cmd().args(["profiles", "--json"]).output().unwrap();
    let profiles: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let sso = profiles
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "sso")
        .unwrap();
    assert_eq!(sso["status"]["state"], "ready");
    assert_eq!(sso["status"]["until"], token["expiresAt"]);

    // Logout invalidates the token at the portal and removes the file.
    let out = w
        .cmd()
        .args(["logout", "--profile", "sso"])
        .output()
        .unwrap();
    assert!(
        text(&out).0.contains("removed SSO token"),
        "{}",
        text(&out).0
    );
    assert!(!token_file.exists());
    let out = w.send("sso", &[]);
    assert!(
        text(&out).1.contains("sigscope login --profile sso"),
        "{}",
        text(&out).1
    );
}

#[test]
fn a_denied_login_fails_and_legacy_profiles_log_in_by_start_url() {
    let w = World::new();
    let (out, _) = w.login("legacy", false);
    assert!(!out.status.success());
    assert!(text(&out).1.contains("denied"), "{}", text(&out).1);

    let (out, _) = w.login("legacy", true);
    assert!(out.status.success(), "{}", text(&out).1);
    let token_file = sha1_file(
        &w.home().join(".aws/sso/cache"),
        "https://legacy-demo.awsapps.com/start",
    );
    let token = json(&token_file);
    assert!(
        token.get("refreshToken").is_none(),
        "no scopes, no refresh: {token}"
    );
    let out = w.send("legacy", &[]);
    assert!(out.status.success(), "{}", text(&out).1);
    let out = w
        .cmd()
        .args(["whoami", "--profile", "legacy"])
        .output()
        .unwrap();
    assert!(
        text(&out)
            .0
            .contains("assumed-role/AWSReservedSSO_DemoAdmin_"),
        "{}",
        text(&out).0
    );

    // `sigscope logout` as `aws sso logout`: every token, and the credentials the AWS CLI
    // got with them (ProviderType sso), but not assumed-role credentials.
    let cli_cache = w.home().join(".aws/cli/cache");
    std::fs::create_dir_all(&cli_cache).unwrap();
    std::fs::write(
        cli_cache.join("sso.json"),
        r#"{"ProviderType": "sso", "Credentials": {}}"#,
    )
    .unwrap();
    std::fs::write(cli_cache.join("role.json"), r#"{"Credentials": {}}"#).unwrap();
    let out = w.cmd().arg("logout").output().unwrap();
    assert!(out.status.success(), "{}", text(&out).1);
    assert!(
        text(&out).0.contains("removed SSO token"),
        "{}",
        text(&out).0
    );
    assert!(!token_file.exists());
    assert!(!cli_cache.join("sso.json").exists());
    assert!(cli_cache.join("role.json").exists());
    assert!(!w.send("legacy", &[]).status.success());
}

#[test]
fn expired_tokens_need_a_login_and_refreshable_ones_refresh() {
    let w = World::new();
    let (out, _) = w.login("sso", true);
    assert!(out.status.success(), "{}", text(&out).1);
    let token_file = sha1_file(&w.home().join(".aws/sso/cache"), "demo");
    let mut token = json(&token_file);
    let first_access = token["accessToken"].clone();

    // Inside botocore's 15-minute window with a refresh token: the next use refreshes it.
    let soon = time::OffsetDateTime::now_utc() + time::Duration::minutes(5);
    token["expiresAt"] = serde_json::json!(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        soon.year(),
        u8::from(soon.month()),
        soon.day(),
        soon.hour(),
        soon.minute(),
        soon.second()
    ));
    std::fs::write(&token_file, token.to_string()).unwrap();
    let out = w.send("sso", &[]);
    assert!(out.status.success(), "{}", text(&out).1);
    let refreshed = json(&token_file);
    assert_ne!(
        refreshed["accessToken"], first_access,
        "a new access token was written"
    );
    assert_ne!(refreshed["expiresAt"], token["expiresAt"]);

    // Expired and no refresh token: a login is needed, and the CLI says which.
    let mut expired = refreshed.clone();
    expired["expiresAt"] = serde_json::json!("2020-01-01T00:00:00Z");
    expired.as_object_mut().unwrap().remove("refreshToken");
    std::fs::write(&token_file, expired.to_string()).unwrap();
    let out = w.send("sso", &[]);
    assert!(!out.status.success());
    let stderr = text(&out).1;
    assert!(
        stderr.contains("expired at 2020-01-01T00:00:00Z"),
        "{stderr}"
    );
    assert!(
        stderr.contains("run `sigscope login --profile sso`"),
        "{stderr}"
    );
    let out = w.cmd().arg("profiles").output().unwrap();
    assert!(
        text(&out).0.lines().any(|l| l.starts_with("sso ")
            && l.contains("needs login")
            && l.contains("sigscope login --profile sso")),
        "{}",
        text(&out).0
    );
}

#[test]
fn an_mfa_role_takes_a_code_once_then_its_cached_credentials() {
    let w = World::new();
    // No code and no terminal: the message says what to run.
    let out = w.send("mfa", &[]);
    assert!(!out.status.success());
    let stderr = text(&out).1;
    assert!(
        stderr.contains("sigscope login --profile mfa") && stderr.contains("--mfa-code"),
        "{stderr}"
    );
    let out = w.send("mfa", &["--mfa-code", "000000"]);
    assert!(!out.status.success());
    assert!(
        text(&out).1.contains("MultiFactorAuthentication failed"),
        "{}",
        text(&out).1
    );

    let out = w.send("mfa", &["--mfa-code", "123456"]);
    assert!(out.status.success(), "{}", text(&out).1);
    // Cached under botocore's key for the role, 0600.
    let plan = sigscope::aws::config::AwsConfig::parse(CONFIG, CREDENTIALS)
        .plan("mfa")
        .unwrap();
    let cache = sigscope::aws::role_cache::cache_path(&w.home(), &plan.roles[0]);
    let cached = json(&cache);
    assert!(cached["Credentials"]["AccessKeyId"]
        .as_str()
        .unwrap()
        .starts_with("ASIA"));
    #[cfg(unix)]
    assert_eq!(mode(&cache), 0o600);

    // The second run asks nothing and uses the cached credentials.
    let out = w.send("mfa", &[]);
    assert!(out.status.success(), "{}", text(&out).1);
    let out = w
        .cmd()
        .args(["whoami", "--profile", "mfa"])
        .output()
        .unwrap();
    let stdout = text(&out).0;
    assert!(
        stdout.contains("assumed-role/demo-mfa/sigscope-session-"),
        "{stdout}"
    );
    let cached_key = cached["Credentials"]["AccessKeyId"].as_str().unwrap();
    assert!(
        stdout.contains(&sigscope::aws::credentials::mask_access_key(cached_key)),
        "the cached key is the one used: {stdout}"
    );
    assert!(stdout.contains("cached"), "{stdout}");

    // Chaining from the MFA role: the cache spares the code, STS caps the chained session.
    let out = w.send("chained-long", &[]);
    assert!(!out.status.success());
    assert!(
        text(&out)
            .1
            .contains("1 hour session limit for roles assumed by role chaining"),
        "{}",
        text(&out).1
    );
}

#[test]
fn external_ids_and_login_for_mfa_profiles() {
    let w = World::new();
    let out = w.send("partner-no-id", &[]);
    assert!(!out.status.success());
    assert!(
        text(&out)
            .1
            .contains("is not authorized to perform: sts:AssumeRole"),
        "{}",
        text(&out).1
    );
    assert!(w.send("partner", &[]).status.success());

    // `sigscope login` gets an MFA profile ready too; `profiles` says until when.
    let out = w
        .cmd()
        .args(["login", "--profile", "mfa", "--mfa-code", "123456"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out).1);
    assert!(
        text(&out).0.contains("profile mfa is ready until"),
        "{}",
        text(&out).0
    );
    let out = w.cmd().arg("profiles").output().unwrap();
    assert!(
        text(&out)
            .0
            .lines()
            .any(|l| l.starts_with("mfa ") && l.contains("ready until")),
        "{}",
        text(&out).0
    );
    // Logging out of the profile forgets its cached role credentials.
    let out = w
        .cmd()
        .args(["logout", "--profile", "mfa"])
        .output()
        .unwrap();
    assert!(
        text(&out).0.contains("removed cached credentials"),
        "{}",
        text(&out).0
    );
    assert!(!w.send("mfa", &[]).status.success());
}

#[test]
fn the_demo_logs_in_and_gives_the_mfa_code_in_its_own_aws_files_then_reuses_them() {
    let dir = tempfile::tempdir().unwrap();
    let (home, demo_home) = (dir.path().join("home"), dir.path().join("demo"));
    std::fs::create_dir_all(&home).unwrap();
    let demo = || {
        sigscope()
            .env("HOME", &home)
            .env("SIGSCOPE_DEMO_HOME", &demo_home)
            .args(["demo", "--headless"])
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    let out = demo();
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    let logins = stdout.split("── Logins").nth(1).expect("a login section");
    for expected in [
        "demo-sso  needs login",
        "demo-mfa  needs MFA",
        "sigscope login: open http://127.0.0.1:",
        "logged in until",
        "takes the code 123456",
        "(assume-role, cached)",
    ] {
        assert!(logins.contains(expected), "no '{expected}' in:\n{logins}");
    }
    assert_eq!(logins.matches("→ 200 OK").count(), 3, "{logins}");
    assert!(demo_home.join(".aws/config").exists());
    assert!(
        std::fs::read_dir(&home).unwrap().next().is_none(),
        "the user's home is untouched"
    );

    // The next run finds the login and the MFA session in the demo's caches.
    let out = demo();
    let logins = text(&out).0.split("── Logins").nth(1).unwrap().to_string();
    assert!(logins.contains("demo-sso  ready until"), "{logins}");
    assert!(logins.contains("demo-mfa  ready until"), "{logins}");
    assert!(!logins.contains("sigscope login: open"), "{logins}");
    assert!(logins.contains("no code asked"), "{logins}");
    assert_eq!(logins.matches("→ 200 OK").count(), 2, "{logins}");
}
