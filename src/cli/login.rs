//! `sigscope login` and `sigscope logout`: get a profile ready (the IAM Identity Center device
//! flow for its SSO session, an MFA code for its roles) with the caches shared with the AWS
//! CLI, and forget those logins.

use super::exit;
use crate::aws::chain::{resolve_profile, ResolveOptions};
use crate::aws::config::{AwsConfig, SsoConfig};
use crate::aws::files::{home_dir, utc_z};
use crate::aws::mfa::{FixedCode, MfaChallenge, MfaPrompt, NoPrompt};
use crate::aws::role_cache;
use crate::aws::sso::cache::{read_token, token_path, token_state, TokenState};
use crate::aws::sso::login::{self as device, LoginEvent, LoginOptions};
use crate::aws::sso::portal;
use anyhow::{bail, Result};
use clap::Args;
use futures_util::future::BoxFuture;
use std::io::IsTerminal;
use std::sync::Arc;

#[derive(Debug, Args)]
pub struct LoginArgs {
    /// The profile to get ready (default: AWS_PROFILE, else default).
    #[arg(long)]
    pub profile: Option<String>,
    /// The MFA code for a role behind MFA (asked on the terminal when not given).
    #[arg(long, value_name = "CODE")]
    pub mfa_code: Option<String>,
    /// Don't open a browser; only print the URL, the code and a QR code.
    #[arg(long)]
    pub no_browser: bool,
    /// Log in again even if the SSO token is still good.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// Only this profile's SSO session and cached role credentials (default: every SSO token
    /// and the credentials got with them, as `aws sso logout` does).
    #[arg(long)]
    pub profile: Option<String>,
}

/// Asks for MFA codes on the terminal (stderr for the prompt, a line from stdin).
pub struct TtyPrompt;

impl MfaPrompt for TtyPrompt {
    fn code<'a>(&'a self, challenge: &'a MfaChallenge) -> BoxFuture<'a, Option<String>> {
        let prompt = challenge.prompt();
        Box::pin(async move {
            tokio::task::spawn_blocking(move || {
                err!("{prompt}");
                let mut line = String::new();
                std::io::stdin().read_line(&mut line).ok()?;
                Some(line.trim().to_string()).filter(|c| !c.is_empty())
            })
            .await
            .ok()
            .flatten()
        })
    }
}

/// How a command gets MFA codes: `--mfa-code`, else the terminal when there is one.
pub fn resolve_options(mfa_code: Option<&str>) -> ResolveOptions {
    let mfa: Arc<dyn MfaPrompt> = match mfa_code {
        Some(code) => Arc::new(FixedCode(code.to_string())),
        None if std::io::stdin().is_terminal() => Arc::new(TtyPrompt),
        None => Arc::new(NoPrompt),
    };
    ResolveOptions::with_mfa(mfa)
}

fn profile_name(profile: Option<&str>) -> String {
    profile
        .map(str::to_string)
        .or_else(|| std::env::var("AWS_PROFILE").ok().filter(|p| !p.is_empty()))
        .unwrap_or_else(|| "default".into())
}

pub fn run_login(args: LoginArgs) -> Result<i32> {
    let cfg = AwsConfig::from_env();
    let name = profile_name(args.profile.as_deref());
    let plan = cfg
        .plan(&name)
        .map_err(|problem| anyhow::anyhow!("{problem}"))?;
    let home = home_dir();
    let rt = super::runtime();
    rt.block_on(async {
        if let Some(sso) = plan.sso() {
            sso_login(sso, &home, &args).await?;
        }
        let options = ResolveOptions {
            home: home.clone(),
            ..resolve_options(args.mfa_code.as_deref())
        };
        let creds = resolve_profile(&cfg, &name, &options).await?;
        let until = creds
            .expiry
            .map(|t| format!(" until {}", utc_z(t)))
            .unwrap_or_default();
        outln!(
            "profile {name} is ready{until}: {} ({})",
            creds.masked_access_key(),
            creds.source
        );
        anyhow::Ok(())
    })?;
    Ok(exit::OK)
}

/// The device flow unless the token is still good (or refreshes), with its progress on
/// stderr; what the login gives (accounts and roles) is listed after it.
async fn sso_login(sso: &SsoConfig, home: &std::path::Path, args: &LoginArgs) -> Result<()> {
    let now = std::time::SystemTime::now();
    match token_state(home, sso, now) {
        TokenState::Valid { until } if !args.force => {
            errln!(
                "already logged in to {} until {} (--force logs in again)",
                sso.describe(),
                utc_z(until)
            );
            return Ok(());
        }
        TokenState::Expiring {
            refreshable: true, ..
        } if !args.force => {
            if let Ok(Some(token)) = read_token(&token_path(home, sso)) {
                match crate::aws::sso::refresh(home, sso, &token).await {
                    Ok(t) => {
                        errln!(
                            "refreshed the token for {} (valid until {})",
                            sso.describe(),
                            utc_z(t.expires_at)
                        );
                        return Ok(());
                    }
                    Err(e) => errln!("{e}; logging in again"),
                }
            }
        }
        _ => {}
    }
    let options = LoginOptions {
        home: home.to_path_buf(),
        open_browser: !args.no_browser,
    };
    let task = device::start(sso.clone(), options, print_event);
    let cancel = task.cancel.clone();
    let mut done = task.done;
    let result = tokio::select! {
        r = &mut done => r,
        _ = tokio::signal::ctrl_c() => {
            cancel.cancel();
            done.await
        }
    };
    let logged_in = match result {
        Ok(Ok(l)) => l,
        Ok(Err(e)) => bail!("{e}"),
        Err(e) => bail!("the login task failed: {e}"),
    };
    outln!(
        "logged in to {} until {}{}",
        logged_in.session,
        utc_z(logged_in.expires_at),
        if logged_in.refreshable {
            " (refreshed automatically after that)"
        } else {
            ""
        }
    );
    if let Ok(Some(token)) = read_token(&logged_in.cache_file) {
        match portal::accounts_and_roles(&sso.region, token.access_token.expose()).await {
            Ok(accounts) => {
                for a in accounts {
                    outln!(
                        "  account {}{}: {}",
                        a.account_id,
                        a.account_name
                            .map(|n| format!(" ({n})"))
                            .unwrap_or_default(),
                        a.roles.join(", ")
                    );
                }
            }
            Err(e) => errln!("(the accounts this login gives could not be listed: {e})"),
        }
    }
    Ok(())
}

fn print_event(event: LoginEvent) {
    match event {
        LoginEvent::Registering => errln!("registering sigscope with IAM Identity Center..."),
        LoginEvent::Approve(code) => {
            if code.browser_opened {
                errln!("A browser was opened. If it did not, or to approve on another device,");
            }
            errln!(
                "open this URL:\n\n  {}\n\nand check that it shows the code:\n\n  {}\n",
                code.verification_uri_complete,
                code.user_code
            );
            errln!("or scan:\n{}", code.qr);
            errln!("waiting for approval (Ctrl-C cancels)...");
        }
        LoginEvent::Waiting { .. } => {}
        LoginEvent::LoggedIn(_) | LoginEvent::Failed(_) | LoginEvent::Cancelled => {}
    }
}

pub fn run_logout(args: LogoutArgs) -> Result<i32> {
    let home = home_dir();
    let rt = super::runtime();
    let out = rt.block_on(async {
        let Some(profile) = args.profile.as_deref() else {
            return Ok(portal::logout_all(&home).await);
        };
        let cfg = AwsConfig::from_env();
        let plan = cfg
            .plan(profile)
            .map_err(|problem| anyhow::anyhow!("{problem}"))?;
        let mut out = match plan.sso() {
            Some(sso) => portal::logout_session(&home, sso).await,
            None => portal::LoggedOut::default(),
        };
        for link in &plan.roles {
            let path = role_cache::cache_path(&home, link);
            if std::fs::remove_file(&path).is_ok() {
                out.credentials.push(path);
            }
        }
        anyhow::Ok(out)
    })?;
    for w in &out.warnings {
        errln!("warning: {w}");
    }
    if out.tokens.is_empty() && out.credentials.is_empty() {
        outln!("nothing to log out of");
    }
    for p in &out.tokens {
        outln!("removed SSO token {}", p.display());
    }
    for p in &out.credentials {
        outln!("removed cached credentials {}", p.display());
    }
    Ok(exit::OK)
}
