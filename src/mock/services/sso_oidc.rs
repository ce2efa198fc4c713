//! IAM Identity Center OIDC, as the gateway answers it: RegisterClient, StartDeviceAuthorization
//! and CreateToken (device code and refresh token grants), with AWS's error codes; and the
//! approval page a person (or a test) opens: `/sso/device?user_code=...`, whose Allow link is
//! `/sso/device/approve?user_code=...` (Deny: `/sso/device/deny`).

use super::sessions::{
    claims_exp, expired, open, seal, ACCESS_TOKEN_LIFETIME, DEMO_SSO_USER, REFRESH_TOKEN_LIFETIME,
    REGISTRATION_LIFETIME,
};
use crate::mock::respond;
use crate::mock::verify::Incoming;
use bytes::Bytes;
use http_body_util::Full;
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

type Response = hyper::Response<Full<Bytes>>;

/// How long a user code waits for approval, and the polling interval the gateway asks for.
const DEVICE_CODE_LIFETIME: Duration = Duration::from_secs(600);
const POLL_INTERVAL_SECS: u64 = 1;

/// What the gateway remembers of SSO: device logins waiting for approval, and the access
/// tokens Logout revoked. One per gateway, shared by its connections.
#[derive(Debug, Clone, Default)]
pub struct SsoState(Arc<Mutex<Inner>>);

#[derive(Debug, Default)]
struct Inner {
    /// user code → pending login.
    pending: HashMap<String, Pending>,
    revoked: HashSet<String>,
}

#[derive(Debug)]
struct Pending {
    device_code: String,
    client_id: String,
    refreshable: bool,
    expires: SystemTime,
    approved: Option<bool>,
    last_poll: Option<Instant>,
}

impl SsoState {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Logout: the token stops working at once.
    pub fn revoke(&self, access_token: &str) {
        self.lock().revoked.insert(access_token.to_string());
    }

    pub fn is_revoked(&self, access_token: &str) -> bool {
        self.lock().revoked.contains(access_token)
    }

    /// Approves (or denies) the login waiting with `user_code`; false when there is none.
    pub fn decide(&self, user_code: &str, approve: bool) -> bool {
        match self.lock().pending.get_mut(&user_code.to_ascii_uppercase()) {
            Some(p) if p.expires > SystemTime::now() => {
                p.approved = Some(approve);
                true
            }
            _ => false,
        }
    }
}

/// Whether the request is for this service.
pub(super) fn matches(req: &Incoming) -> bool {
    matches!(
        (req.method, req.path),
        (
            "POST",
            "/client/register" | "/device_authorization" | "/token"
        ) | (
            "GET",
            "/sso/device" | "/sso/device/approve" | "/sso/device/deny"
        )
    )
}

pub(super) fn answer(state: &SsoState, req: &Incoming) -> Response {
    let body: Value = serde_json::from_slice(req.body).unwrap_or(Value::Null);
    let text = |k: &str| body.get(k).and_then(Value::as_str).unwrap_or_default();
    match req.path {
        "/client/register" => register(text("clientName"), &body),
        "/device_authorization" => start(state, req, text("clientId"), text("clientSecret")),
        "/token" => token(state, &body),
        "/sso/device" => page(&query(req, "user_code"), None),
        path => {
            let code = query(req, "user_code");
            let approve = path.ends_with("approve");
            let decided = state.decide(&code, approve);
            page(&code, Some((approve, decided)))
        }
    }
}

/// An OIDC error: 400 (401 for bad clients), the exception name in `x-amzn-ErrorType`.
fn oidc_error(status: u16, exception: &str, error: &str, description: &str) -> Response {
    respond(
        status,
        Some(exception),
        json!({"error": error, "error_description": description}).to_string(),
    )
}

fn register(name: &str, body: &Value) -> Response {
    if name.is_empty() {
        return oidc_error(
            400,
            "InvalidRequestException",
            "invalid_request",
            "clientName is required",
        );
    }
    let scopes: Vec<String> = body
        .get("scopes")
        .and_then(|s| serde_json::from_value(s.clone()).ok())
        .unwrap_or_default();
    let now = SystemTime::now();
    let exp = claims_exp(now, REGISTRATION_LIFETIME);
    // The client id carries the registration: its name, scopes and expiry.
    let client_id = seal("cid.", &json!({"name": name, "scopes": scopes, "exp": exp}));
    let issued = claims_exp(now, Duration::ZERO);
    respond(
        200,
        None,
        json!({
            "clientId": client_id,
            "clientSecret": client_secret(&client_id),
            "clientIdIssuedAt": issued,
            "clientSecretExpiresAt": exp,
        })
        .to_string(),
    )
}

fn client_secret(client_id: &str) -> String {
    seal("csec.", &json!({"client": client_id}))
}

/// The registration behind a client id and secret, if both are the gateway's and current.
fn client(client_id: &str, secret: &str) -> Option<Value> {
    let claims = open("cid.", client_id)?;
    (secret == client_secret(client_id) && !expired(&claims, SystemTime::now())).then_some(claims)
}

fn start(state: &SsoState, req: &Incoming, client_id: &str, secret: &str) -> Response {
    let Some(registration) = client(client_id, secret) else {
        return oidc_error(
            401,
            "InvalidClientException",
            "invalid_client",
            "Invalid client id or secret",
        );
    };
    let refreshable = registration["scopes"]
        .as_array()
        .is_some_and(|s| s.iter().any(|x| x == "sso:account:access"));
    let id = uuid::Uuid::new_v4()
        .simple()
        .to_string()
        .to_ascii_uppercase();
    let user_code = format!("{}-{}", &id[..4], &id[4..8]);
    let device_code = uuid::Uuid::new_v4().to_string();
    state.lock().pending.insert(
        user_code.clone(),
        Pending {
            device_code: device_code.clone(),
            client_id: client_id.to_string(),
            refreshable,
            expires: SystemTime::now() + DEVICE_CODE_LIFETIME,
            approved: None,
            last_poll: None,
        },
    );
    let host = req
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("host"))
        .map(|(_, v)| v.as_str())
        .unwrap_or("127.0.0.1");
    let uri = format!("http://{host}/sso/device");
    respond(
        200,
        None,
        json!({
            "deviceCode": device_code,
            "userCode": user_code,
            "verificationUri": uri,
            "verificationUriComplete": format!("{uri}?user_code={user_code}"),
            "expiresIn": DEVICE_CODE_LIFETIME.as_secs(),
            "interval": POLL_INTERVAL_SECS,
        })
        .to_string(),
    )
}

fn token(state: &SsoState, body: &Value) -> Response {
    let text = |k: &str| body.get(k).and_then(Value::as_str).unwrap_or_default();
    let (client_id, secret) = (text("clientId"), text("clientSecret"));
    if client(client_id, secret).is_none() {
        return oidc_error(
            401,
            "InvalidClientException",
            "invalid_client",
            "Invalid client id or secret",
        );
    }
    let now = SystemTime::now();
    match text("grantType") {
        "urn:ietf:params:oauth:grant-type:device_code" => {
            let mut inner = state.lock();
            let Some((user_code, pending)) = inner
                .pending
                .iter_mut()
                .find(|(_, p)| p.device_code == text("deviceCode") && p.client_id == client_id)
            else {
                return oidc_error(
                    400,
                    "InvalidGrantException",
                    "invalid_grant",
                    "Invalid device code provided",
                );
            };
            if pending.expires <= now {
                let code = user_code.clone();
                inner.pending.remove(&code);
                return oidc_error(
                    400,
                    "ExpiredTokenException",
                    "expired_token",
                    "Device code has expired",
                );
            }
            // RFC 8628 answers polls faster than the interval with slow_down; the gateway only
            // catches clients that don't wait at all (two polls within 100 ms).
            let too_fast = pending
                .last_poll
                .is_some_and(|t| t.elapsed() < Duration::from_millis(100));
            pending.last_poll = Some(Instant::now());
            match pending.approved {
                _ if too_fast => oidc_error(
                    400,
                    "SlowDownException",
                    "slow_down",
                    "Client is polling too fast",
                ),
                None => oidc_error(
                    400,
                    "AuthorizationPendingException",
                    "authorization_pending",
                    "Authorization is still pending",
                ),
                Some(false) => {
                    let code = user_code.clone();
                    inner.pending.remove(&code);
                    oidc_error(
                        400,
                        "AccessDeniedException",
                        "access_denied",
                        "The user denied the authorization request",
                    )
                }
                Some(true) => {
                    let (code, refreshable) = (user_code.clone(), pending.refreshable);
                    inner.pending.remove(&code);
                    tokens(client_id, refreshable, now)
                }
            }
        }
        "refresh_token" => match open("aor.", text("refreshToken")) {
            Some(c) if c["client"] == client_id && !expired(&c, now) => {
                tokens(client_id, true, now)
            }
            _ => oidc_error(
                400,
                "InvalidGrantException",
                "invalid_grant",
                "Invalid refresh token provided",
            ),
        },
        other => oidc_error(
            400,
            "UnsupportedGrantTypeException",
            "unsupported_grant_type",
            &format!("Unsupported grant type: {other}"),
        ),
    }
}

/// A new access token (and refresh token when the registration has the scope).
fn tokens(client_id: &str, refreshable: bool, now: SystemTime) -> Response {
    let sid = uuid::Uuid::new_v4().simple().to_string();
    let access = seal(
        "aoa.",
        &json!({"user": DEMO_SSO_USER, "sid": sid, "exp": claims_exp(now, ACCESS_TOKEN_LIFETIME)}),
    );
    let mut out = json!({
        "accessToken": access,
        "tokenType": "Bearer",
        "expiresIn": ACCESS_TOKEN_LIFETIME.as_secs(),
    });
    if refreshable {
        out["refreshToken"] = json!(seal(
            "aor.",
            &json!({"client": client_id, "sid": sid, "exp": claims_exp(now, REFRESH_TOKEN_LIFETIME)})
        ));
    }
    respond(200, None, out.to_string())
}

/// The user behind a bearer token, if the gateway issued it and it is live.
pub(super) fn user_of(state: &SsoState, access_token: &str) -> Option<String> {
    let claims = open("aoa.", access_token)?;
    if expired(&claims, SystemTime::now()) || state.is_revoked(access_token) {
        return None;
    }
    claims["user"].as_str().map(str::to_string)
}

fn query(req: &Incoming, key: &str) -> String {
    req.query
        .unwrap_or_default()
        .split('&')
        .find_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            (k == key).then(|| {
                percent_encoding::percent_decode_str(v)
                    .decode_utf8_lossy()
                    .into_owned()
            })
        })
        .unwrap_or_default()
}

/// The page a person sees: the code and Allow / Deny links, or the outcome.
fn page(user_code: &str, decided: Option<(bool, bool)>) -> Response {
    let code: String = user_code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    let (status, body) = match decided {
        None => (200, format!(
            "<h1>sigscope local gateway: sign in</h1><p>A device asks to sign in as <b>{DEMO_SSO_USER}</b> with the code <b>{code}</b>.</p>\
             <p><a href=\"/sso/device/approve?user_code={code}\">Allow</a> · <a href=\"/sso/device/deny?user_code={code}\">Deny</a></p>"
        )),
        Some((true, true)) => (200, format!("<h1>Approved</h1><p>Code {code}: return to sigscope.</p>")),
        Some((false, true)) => (200, format!("<h1>Denied</h1><p>Code {code} was denied.</p>")),
        Some((_, false)) => (404, format!("<h1>Unknown code</h1><p>No sign-in waits for the code {code} (expired, or already used).</p>")),
    };
    hyper::Response::builder()
        .status(status)
        .header("content-type", "text/html; charset=utf-8")
        .body(Full::new(Bytes::from(format!(
            "<!doctype html><html><body>{body}</body></html>"
        ))))
        .expect("static response parts are valid")
}
