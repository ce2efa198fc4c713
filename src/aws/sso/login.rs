//! `sigscope login`: the OAuth device authorization flow of IAM Identity Center
//! (RegisterClient → StartDeviceAuthorization → CreateToken polled until the user approves),
//! ending with the token written where the AWS CLI writes it.
//!
//! It runs as a task that reports what happens as `LoginEvent` values (the code and URL to
//! show, each poll, the outcome) and stops when its `CancelLogin` handle is used, so the
//! CLI prints the events and the workbench turns them into messages for its dialog.

use super::cache::{
    read_registration, registration_path, token_path, write_registration, write_token,
    Registration, SsoToken,
};
use super::sdk_config;
use crate::aws::config::SsoConfig;
use crate::aws::credentials::{sdk_error, Secret};
use crate::aws::files::utc_z;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};
use tokio::sync::watch;

/// What the user has to do: open the URL (or scan the QR code) and check the code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceCode {
    pub verification_uri: String,
    /// The URL with the code filled in: what the browser is opened on and the QR code holds.
    pub verification_uri_complete: String,
    pub user_code: String,
    pub expires_at: SystemTime,
    /// The complete URL as a QR code in text (two rows per line of half blocks).
    pub qr: String,
    pub browser_opened: bool,
}

/// A finished login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedIn {
    /// `sso-session corp (https://...)` or the start URL.
    pub session: String,
    pub expires_at: SystemTime,
    /// Whether the registration gave a refresh token (with `sso_registration_scopes`).
    pub refreshable: bool,
    pub cache_file: PathBuf,
}

/// What the login reports while it runs, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginEvent {
    /// Registering the client (skipped when a cached registration is still good).
    Registering,
    /// Show this to the user; polling starts.
    Approve(DeviceCode),
    /// Not approved yet after `attempt` polls; the next in `next_in`.
    Waiting {
        attempt: u32,
        next_in: Duration,
    },
    LoggedIn(LoggedIn),
    Failed(String),
    Cancelled,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoginError {
    #[error("registering with IAM Identity Center ({region}) failed: {detail}")]
    Register { region: String, detail: String },
    #[error("starting the device authorization for {start_url} failed: {detail}")]
    Start { start_url: String, detail: String },
    #[error("the sign-in was denied in the browser")]
    Denied,
    #[error("the code expired before it was approved: run the login again")]
    Expired,
    #[error("the login was cancelled")]
    Cancelled,
    #[error("getting the token failed: {0}")]
    Token(String),
    #[error("writing the token cache {path}: {detail}")]
    Cache { path: String, detail: String },
}

#[derive(Debug, Clone)]
pub struct LoginOptions {
    /// Where `~/.aws` is.
    pub home: PathBuf,
    /// Open the verification URL in a browser where one can be opened.
    pub open_browser: bool,
}

/// Stops a running login at its next wait.
#[derive(Clone, Debug)]
pub struct CancelLogin(Arc<watch::Sender<bool>>);

impl CancelLogin {
    pub fn cancel(&self) {
        let _ = self.0.send(true);
    }
}

/// A login running in the background.
pub struct LoginTask {
    pub cancel: CancelLogin,
    pub done: tokio::task::JoinHandle<Result<LoggedIn, LoginError>>,
}

/// Starts the login on the runtime; `on_event` gets every event, the last one being
/// `LoggedIn`, `Failed` or `Cancelled`.
pub fn start(
    sso: SsoConfig,
    options: LoginOptions,
    mut on_event: impl FnMut(LoginEvent) + Send + 'static,
) -> LoginTask {
    let (tx, rx) = watch::channel(false);
    let done = tokio::spawn(async move {
        let result = login(&sso, &options, &mut on_event, rx).await;
        on_event(match &result {
            Ok(done) => LoginEvent::LoggedIn(done.clone()),
            Err(LoginError::Cancelled) => LoginEvent::Cancelled,
            Err(e) => LoginEvent::Failed(e.to_string()),
        });
        result
    });
    LoginTask {
        cancel: CancelLogin(Arc::new(tx)),
        done,
    }
}

/// The flow itself (`start` runs it in a task). Events before the outcome go to `on_event`.
pub async fn login(
    sso: &SsoConfig,
    options: &LoginOptions,
    on_event: &mut (dyn FnMut(LoginEvent) + Send),
    mut cancelled: watch::Receiver<bool>,
) -> Result<LoggedIn, LoginError> {
    let client = aws_sdk_ssooidc::Client::new(&sdk_config(&sso.region, None).await);
    let registration = registration(&client, sso, &options.home, on_event).await?;
    let auth = client
        .start_device_authorization()
        .client_id(&registration.client_id)
        .client_secret(registration.client_secret.expose())
        .start_url(&sso.start_url)
        .send()
        .await
        .map_err(|e| LoginError::Start {
            start_url: sso.start_url.clone(),
            detail: sdk_error(&e),
        })?;
    let (Some(device_code), Some(user_code), Some(uri)) = (
        auth.device_code.clone(),
        auth.user_code.clone(),
        auth.verification_uri.clone(),
    ) else {
        return Err(LoginError::Start {
            start_url: sso.start_url.clone(),
            detail: "the answer has no device code, user code or verification URI".into(),
        });
    };
    let complete = auth
        .verification_uri_complete
        .clone()
        .unwrap_or_else(|| uri.clone());
    let expires_at = SystemTime::now() + Duration::from_secs(auth.expires_in.max(0) as u64);
    let browser_opened = options.open_browser && open_browser(&complete);
    on_event(LoginEvent::Approve(DeviceCode {
        verification_uri: uri,
        qr: qr_text(&complete),
        verification_uri_complete: complete,
        user_code,
        expires_at,
        browser_opened,
    }));

    // RFC 8628: 5 seconds unless told otherwise, 5 more after each slow_down.
    let mut interval = Duration::from_secs(if auth.interval > 0 {
        auth.interval as u64
    } else {
        5
    });
    let mut attempt = 0;
    loop {
        tokio::select! {
            _ = tokio::time::sleep(interval) => {}
            _ = cancelled_signal(&mut cancelled) => return Err(LoginError::Cancelled),
        }
        if SystemTime::now() > expires_at {
            return Err(LoginError::Expired);
        }
        attempt += 1;
        let polled = client
            .create_token()
            .grant_type("urn:ietf:params:oauth:grant-type:device_code")
            .client_id(&registration.client_id)
            .client_secret(registration.client_secret.expose())
            .device_code(&device_code)
            .send()
            .await;
        let out = match polled {
            Ok(out) => out,
            Err(e) => {
                let detail = sdk_error(&e);
                match e.into_service_error() {
                    s if s.is_authorization_pending_exception() => {}
                    s if s.is_slow_down_exception() => interval += Duration::from_secs(5),
                    s if s.is_expired_token_exception() => return Err(LoginError::Expired),
                    s if s.is_access_denied_exception() => return Err(LoginError::Denied),
                    _ => return Err(LoginError::Token(detail)),
                }
                on_event(LoginEvent::Waiting {
                    attempt,
                    next_in: interval,
                });
                continue;
            }
        };
        let access_token = out
            .access_token
            .ok_or_else(|| LoginError::Token("CreateToken answered without a token".into()))?;
        let token = SsoToken {
            start_url: Some(sso.start_url.clone()),
            region: Some(sso.region.clone()),
            access_token: Secret::new(access_token),
            expires_at: SystemTime::now() + Duration::from_secs(out.expires_in.max(0) as u64),
            client_id: Some(registration.client_id.clone()),
            client_secret: Some(registration.client_secret.clone()),
            registration_expires_at: Some(utc_z(registration.expires_at)),
            refresh_token: out.refresh_token.map(Secret::new),
        };
        let path = token_path(&options.home, sso);
        write_token(&path, &token).map_err(|e| LoginError::Cache {
            path: path.display().to_string(),
            detail: e.to_string(),
        })?;
        return Ok(LoggedIn {
            session: sso.describe(),
            expires_at: token.expires_at,
            refreshable: token.refresh_token.is_some(),
            cache_file: path,
        });
    }
}

/// Resolves when the login is cancelled; never when the handle is merely dropped.
async fn cancelled_signal(cancelled: &mut watch::Receiver<bool>) {
    if cancelled.wait_for(|c| *c).await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// The cached registration for this start URL, region and scopes, else a new one (cached).
async fn registration(
    client: &aws_sdk_ssooidc::Client,
    sso: &SsoConfig,
    home: &Path,
    on_event: &mut (dyn FnMut(LoginEvent) + Send),
) -> Result<Registration, LoginError> {
    let path = registration_path(home, sso);
    if let Some(r) = read_registration(&path, SystemTime::now()) {
        return Ok(r);
    }
    on_event(LoginEvent::Registering);
    let name = match &sso.session_name {
        Some(s) => format!("sigscope-client-{s}"),
        None => format!(
            "sigscope-client-{}",
            SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap_or_default()
                .as_secs()
        ),
    };
    let mut request = client
        .register_client()
        .client_name(name)
        .client_type("public");
    for scope in sso.scopes.iter().flatten() {
        request = request.scopes(scope);
    }
    let out = request.send().await.map_err(|e| LoginError::Register {
        region: sso.region.clone(),
        detail: sdk_error(&e),
    })?;
    let (Some(client_id), Some(client_secret)) = (out.client_id, out.client_secret) else {
        return Err(LoginError::Register {
            region: sso.region.clone(),
            detail: "the answer has no client id or secret".into(),
        });
    };
    let registration = Registration {
        client_id,
        client_secret: Secret::new(client_secret),
        expires_at: SystemTime::UNIX_EPOCH
            + Duration::from_secs(out.client_secret_expires_at.max(0) as u64),
        scopes: sso.scopes.clone().filter(|s| !s.is_empty()),
    };
    // A registration that can't be cached is still good for this login.
    let _ = write_registration(&path, &registration);
    Ok(registration)
}

/// Opens `url` in a browser when one can be shown: a desktop (macOS, Windows, a Linux
/// display) or an explicit `BROWSER`; never a text browser taking over the terminal.
pub fn open_browser(url: &str) -> bool {
    let has = |v: &str| std::env::var_os(v).is_some_and(|x| !x.is_empty());
    let graphical = cfg!(any(target_os = "macos", target_os = "windows"))
        || has("DISPLAY")
        || has("WAYLAND_DISPLAY")
        || has("BROWSER");
    if !graphical || has("SIGSCOPE_NO_BROWSER") {
        return false;
    }
    webbrowser::open_browser_with_options(
        webbrowser::Browser::Default,
        url,
        webbrowser::BrowserOptions::new().with_suppress_output(true),
    )
    .is_ok()
}

/// `text` as a QR code drawn with half blocks (`▀▄█`), two modules per character row, with
/// the quiet zone a scanner needs; dark modules are spaces on a light background so it reads
/// on dark terminals too.
pub fn qr_text(text: &str) -> String {
    let Ok(code) = qrcode::QrCode::new(text.as_bytes()) else {
        return String::new();
    };
    let width = code.width();
    let quiet = 2;
    let dark = |x: i64, y: i64| -> bool {
        x >= 0
            && y >= 0
            && (x as usize) < width
            && (y as usize) < width
            && code[(x as usize, y as usize)] == qrcode::Color::Dark
    };
    let mut out = String::new();
    let span = width as i64 + quiet;
    let mut y = -quiet;
    while y < span {
        for x in -quiet..span {
            // Light modules are drawn (foreground), dark ones left blank.
            out.push(match (!dark(x, y), !dark(x, y + 1)) {
                (true, true) => '█',
                (true, false) => '▀',
                (false, true) => '▄',
                (false, false) => ' ',
            });
        }
        out.push('\n');
        y += 2;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_codes_are_square_blocks_with_a_quiet_zone() {
        let qr = qr_text("http://127.0.0.1:4566/sso/device?user_code=ABCD-EFGH");
        let lines: Vec<&str> = qr.lines().collect();
        let width = lines[0].chars().count();
        assert!(width >= 25 + 4, "{qr}");
        assert!(lines.iter().all(|l| l.chars().count() == width));
        assert_eq!(lines.len(), width.div_ceil(2));
        // The quiet zone is light: full blocks all round the first line.
        assert!(lines[0].chars().all(|c| c == '█'), "{}", lines[0]);
        // A finder pattern's dark ring shows as blank cells near the top-left corner.
        assert!(lines[1].chars().skip(2).take(7).any(|c| c != '█'));
    }
}
