//! The demo's profiles that need a login: `demo-sso` (IAM Identity Center through the local
//! gateway) and `demo-mfa` (a role behind MFA, code 123456), written to an AWS config of the
//! demo's own (never the user's `~/.aws`), and the headless demo's walk through both logins.

use crate::aws::chain::{resolve_profile, ResolveOptions};
use crate::aws::config::AwsConfig;
use crate::aws::credentials::CredentialError;
use crate::aws::files::{home_dir, utc_z};
use crate::aws::mfa::{FixedCode, MfaPrompt};
use crate::aws::profiles::AwsFiles;
use crate::aws::sso::login::{self as device, LoginEvent, LoginOptions};
use crate::aws::status::profile_status;
use crate::mock::services::sessions::{DEMO_MFA_CODE, DEMO_MFA_SERIAL};
use crate::mock::services::SsoState;
use crate::sign::{SigningSettings, WireRequest};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::SystemTime;

/// The demo's home: `SIGSCOPE_DEMO_HOME`, else a folder of its own in the temp dir, kept
/// between runs so a login (and an MFA session) outlives one demo run, as it would for real.
pub fn demo_home() -> PathBuf {
    std::env::var_os("SIGSCOPE_DEMO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let user = std::env::var("USER").unwrap_or_else(|_| "user".into());
            std::env::temp_dir().join(format!("sigscope-demo-{user}"))
        })
}

fn config_text() -> String {
    format!(
        "# Written by `sigscope demo` for its local gateway; not your ~/.aws.\n\
         [profile demo-sso]\nsso_session = sigscope-demo\nsso_account_id = {account}\n\
         sso_role_name = DemoReadOnly\nregion = us-east-1\n\n\
         [sso-session sigscope-demo]\nsso_start_url = https://sigscope-demo.awsapps.com/start\n\
         sso_region = us-east-1\nsso_registration_scopes = sso:account:access\n\n\
         [profile demo-keys]\nregion = us-east-1\n\n\
         [profile demo-mfa]\nrole_arn = arn:aws:iam::{account}:role/demo-mfa\n\
         source_profile = demo-keys\nmfa_serial = {DEMO_MFA_SERIAL}\nregion = us-east-1\n",
        account = crate::mock::DEMO_ACCOUNT
    )
}

/// Writes the demo's AWS files under its home and points this process at them and at the
/// gateway: HOME (where the SSO and role caches go, for us and for aws-config alike), the
/// two files, the SSO OIDC, SSO and STS endpoints. The data and config folders are pinned
/// first so history and settings stay the user's.
///
/// Environment changes are process-wide: this runs on the demo's single-threaded runtime
/// before any other thread reads the environment.
pub fn use_demo_aws(base_url: &str) -> std::io::Result<AwsFiles> {
    let home = demo_home();
    let aws = home.join(".aws");
    std::fs::create_dir_all(&aws)?;
    let files = AwsFiles {
        config: aws.join("config"),
        credentials: aws.join("credentials"),
    };
    crate::aws::files::write_private(&files.config, &config_text())?;
    crate::aws::files::write_private(
        &files.credentials,
        &format!(
            "[demo-keys]\n# The AWS documentation's example keys, known to the local gateway.\n\
             aws_access_key_id = {}\naws_secret_access_key = {}\n",
            crate::mock::DEMO_ACCESS_KEY_ID,
            crate::mock::DEMO_SECRET_ACCESS_KEY
        ),
    )?;
    let pinned = [
        ("SIGSCOPE_DATA_DIR", crate::model::history::data_dir()),
        ("SIGSCOPE_CONFIG_DIR", crate::tui::config::config_dir()),
    ];
    for (name, value) in pinned {
        if std::env::var_os(name).is_none() {
            std::env::set_var(name, value);
        }
    }
    std::env::set_var("HOME", &home);
    std::env::set_var("AWS_CONFIG_FILE", &files.config);
    std::env::set_var("AWS_SHARED_CREDENTIALS_FILE", &files.credentials);
    std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
    std::env::remove_var("AWS_PROFILE");
    for service in ["SSO_OIDC", "SSO", "STS"] {
        std::env::set_var(format!("AWS_ENDPOINT_URL_{service}"), base_url);
    }
    Ok(files)
}

/// The headless demo's login section: each profile's status, then a request with each,
/// logging in (device flow) and giving the MFA code where needed, then once more from the
/// caches. Without a terminal the demo approves its own login (what Allow on the gateway's
/// page does); with one, it waits for the person to open the URL.
pub async fn walk(base_url: &str, files: &AwsFiles, sso: &SsoState, client: &reqwest::Client) {
    let cfg = AwsConfig::load(files);
    let home = home_dir();
    outln!("── Logins: IAM Identity Center and MFA ──");
    outln!("   profiles in {} (the demo's own)", files.config.display());
    for profile in ["demo-sso", "demo-mfa"] {
        let status = profile_status(&cfg, profile, &home, SystemTime::now());
        outln!("   {profile:<9} {}", status.summary());
    }
    outln!();

    outln!("── List pets as demo-sso (IAM Identity Center) ──");
    let options = ResolveOptions::default();
    let first = resolve_profile(&cfg, "demo-sso", &options).await;
    if let Err(e @ CredentialError::SsoLogin { .. }) = &first {
        outln!("   not signed: {e}");
        if let Err(e) = login(&cfg, sso, &home).await {
            outln!("   login failed: {e}\n");
            return;
        }
    }
    send_as(&cfg, "demo-sso", &options, base_url, client).await;

    outln!("── List pets as demo-mfa (a role behind MFA) ──");
    outln!("   the demo's MFA device ({DEMO_MFA_SERIAL}) takes the code {DEMO_MFA_CODE}");
    match resolve_profile(&cfg, "demo-mfa", &options).await {
        Err(e) => {
            outln!("   not signed: {e}");
            let prompt: Arc<dyn MfaPrompt> = if std::io::stdin().is_terminal() {
                Arc::new(super::login::TtyPrompt)
            } else {
                outln!("   (no terminal to ask on: giving {DEMO_MFA_CODE}, as --mfa-code would)");
                Arc::new(FixedCode(DEMO_MFA_CODE.into()))
            };
            send_as(
                &cfg,
                "demo-mfa",
                &ResolveOptions::with_mfa(prompt),
                base_url,
                client,
            )
            .await;
            outln!("   again, without a code:");
        }
        Ok(_) => outln!(
            "   credentials cached by an earlier run (where the AWS CLI keeps them): no code asked"
        ),
    }
    send_as(&cfg, "demo-mfa", &options, base_url, client).await;
}

async fn login(cfg: &AwsConfig, sso: &SsoState, home: &std::path::Path) -> Result<(), String> {
    let plan = cfg.plan("demo-sso").map_err(|e| e.to_string())?;
    let target = plan.sso().cloned().ok_or("demo-sso has no SSO session")?;
    let interactive = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let task = device::start(
        target,
        LoginOptions {
            home: home.to_path_buf(),
            open_browser: interactive,
        },
        move |e| {
            let _ = tx.send(e);
        },
    );
    while let Some(event) = rx.recv().await {
        match event {
            LoginEvent::Approve(code) => {
                outln!(
                    "   sigscope login: open {}\n   and check the code {}",
                    code.verification_uri_complete,
                    code.user_code
                );
                for line in code.qr.lines() {
                    outln!("   {line}");
                }
                if interactive {
                    outln!("   waiting for you to allow it in the browser...");
                } else {
                    outln!("   (no terminal: the demo allows it itself, as the page's Allow link does)");
                    sso.decide(&code.user_code, true);
                }
            }
            LoginEvent::LoggedIn(done) => {
                outln!("   logged in until {}", utc_z(done.expires_at));
            }
            _ => {}
        }
    }
    match task.done.await {
        Ok(result) => result.map(|_| ()).map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    }
}

/// Resolves `profile` and sends GET /test/pets signed with it.
async fn send_as(
    cfg: &AwsConfig,
    profile: &str,
    options: &ResolveOptions,
    base_url: &str,
    client: &reqwest::Client,
) {
    let creds = match resolve_profile(cfg, profile, options).await {
        Ok(c) => c,
        Err(e) => {
            outln!("   not signed: {e}\n");
            return;
        }
    };
    let until = creds
        .expiry
        .map(|t| format!(", until {}", utc_z(t)))
        .unwrap_or_default();
    outln!(
        "   credentials: {} ({}{until})",
        creds.masked_access_key(),
        creds.source
    );
    let Ok(req) = WireRequest::from_url("GET", &format!("{base_url}/test/pets")) else {
        return;
    };
    let settings = SigningSettings::for_service(crate::mock::DEMO_REGION, "execute-api");
    let signed = match crate::sign::sign(&req, &creds, &settings, SystemTime::now()) {
        Ok(s) => s,
        Err(e) => {
            outln!("   not signed: {e}\n");
            return;
        }
    };
    match crate::http::send(client, signed.request, Some(signed.trace)).await {
        Ok(x) => outln!(
            "   → {} {} ({} ms)\n",
            x.response.status,
            x.response.reason,
            x.timing.total.as_millis()
        ),
        Err(e) => outln!("   transport failure ({:?}): {e}\n", e.kind),
    }
}
