//! The local IAM-protected gateway: API Gateway with `AWS_IAM` authorization (REST style by
//! default, HTTP API and Lambda function URL styles too), bound to 127.0.0.1 only.
//!
//! It serves the demo API (stage `test`: pets and an echo route), verifies SigV4 in the order
//! API Gateway does (`verify`), evaluates a small IAM policy (`policy`), and answers each
//! failure with AWS's status, `x-amzn-ErrorType` and message.

pub mod cors;
mod limits;
pub mod pets;
pub mod policy;
mod private_api;
pub mod services;
pub mod verify;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming as Body;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use limits::{declared_length, drain, may_depend_on_body, read_body, BodyRefusal};
use policy::{Decision, Policy};
use serde::Deserialize;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime};
use tokio::net::TcpListener;
use verify::{verify, Failure, Incoming};

pub const DEMO_ACCESS_KEY_ID: &str = "AKIAIOSFODNN7EXAMPLE";
pub const DEMO_SECRET_ACCESS_KEY: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
pub const DEMO_PRINCIPAL: &str = "arn:aws:iam::123456789012:user/demo";
pub const DEMO_ACCOUNT: &str = "123456789012";
pub const DEMO_API_ID: &str = "demoapi";
pub const DEMO_REGION: &str = "us-east-1";
pub const DEMO_STAGE: &str = "test";

/// The demo's named credentials. The secrets are the AWS documentation's example keys.
pub fn demo_credentials(profile: Option<&str>) -> Option<crate::aws::credentials::Credentials> {
    match profile.unwrap_or("demo") {
        "demo" => Some(crate::aws::credentials::Credentials::new(
            DEMO_ACCESS_KEY_ID,
            DEMO_SECRET_ACCESS_KEY,
            None,
            "demo",
        )),
        "demo-wrong-secret" => Some(crate::aws::credentials::Credentials::new(
            DEMO_ACCESS_KEY_ID,
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGKEY",
            None,
            "demo (wrong secret)",
        )),
        "demo-unknown-key" => Some(crate::aws::credentials::Credentials::new(
            "AKIAI44QH8DHBEXAMPLE",
            "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
            None,
            "demo (unknown key)",
        )),
        _ => None,
    }
}

/// Which AWS front end the gateway behaves like (the CLI maps `--style` onto it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// REST API: detailed AWS error messages.
    RestApi,
    /// HTTP API: every IAM failure is {"message":"Forbidden"}.
    HttpApi,
    /// Lambda function URL: service `lambda`.
    LambdaUrl,
}

/// A key the gateway knows.
#[derive(Debug, Clone, Deserialize)]
pub struct MockKey {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub principal: String,
    #[serde(default)]
    pub session_token: Option<String>,
}

/// A route: method (`ANY` matches all) and a path pattern with `{param}` and `{proxy+}`.
#[derive(Debug, Clone, Deserialize)]
pub struct Route {
    pub method: String,
    pub path: String,
    /// A fixed JSON response; without it the route answers as the demo API does.
    #[serde(default)]
    pub response: Option<serde_json::Value>,
}

#[derive(Debug, Clone)]
pub struct MockConfig {
    pub style: Style,
    pub region: String,
    pub account: String,
    pub api_id: String,
    pub keys: Vec<MockKey>,
    pub policy: Policy,
    pub routes: Vec<Route>,
    pub clock_skew_secs: i64,
    pub latency: Duration,
    pub fail_rate: f64,
    /// Bodies larger than this are answered 413 (API Gateway's limit is 10 MB).
    pub max_body_bytes: usize,
    /// A connection that sends no request head for this long is closed (idle keep-alive
    /// connections, and slowloris clients that trickle a head).
    pub idle_timeout: Duration,
    /// The time a request's body may take to arrive.
    pub body_timeout: Duration,
    /// Device logins waiting for approval and revoked SSO tokens (`services`).
    pub sso: services::SsoState,
    /// How preflights are answered (`cors`); `None`: no CORS configuration at all.
    pub cors: Option<cors::Cors>,
    /// The pets `POST /pets` created (`pets`).
    pub pets: Arc<pets::PetStore>,
}

/// API Gateway's payload limit.
pub const DEFAULT_MAX_BODY_BYTES: usize = 10 * 1024 * 1024;
/// How long to wait before accepting again after `accept` failed (out of file descriptors:
/// retrying at once would spin on the same error).
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

impl Default for MockConfig {
    fn default() -> Self {
        Self {
            style: Style::RestApi,
            region: DEMO_REGION.into(),
            account: DEMO_ACCOUNT.into(),
            api_id: DEMO_API_ID.into(),
            keys: vec![MockKey {
                access_key_id: DEMO_ACCESS_KEY_ID.into(),
                secret_access_key: DEMO_SECRET_ACCESS_KEY.into(),
                principal: DEMO_PRINCIPAL.into(),
                session_token: None,
            }],
            policy: Policy::demo(DEMO_ACCOUNT, DEMO_API_ID),
            routes: demo_routes(),
            clock_skew_secs: 0,
            latency: Duration::ZERO,
            fail_rate: 0.0,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            idle_timeout: Duration::from_secs(20),
            body_timeout: Duration::from_secs(30),
            sso: services::SsoState::default(),
            cors: Some(cors::Cors::demo_rest()),
            pets: Arc::default(),
        }
    }
}

fn demo_routes() -> Vec<Route> {
    [
        ("GET", "/test/pets"),
        ("POST", "/test/pets"),
        ("GET", "/test/pets/{petId}"),
        ("DELETE", "/test/pets/{petId}"),
        ("ANY", "/test/echo/{proxy+}"),
    ]
    .into_iter()
    .map(|(m, p)| Route {
        method: m.into(),
        path: p.into(),
        response: None,
    })
    .collect()
}

pub(crate) fn route_matches(pattern: &str, path: &str) -> bool {
    let pat: Vec<&str> = pattern.trim_start_matches('/').split('/').collect();
    let segs: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    for (i, p) in pat.iter().enumerate() {
        if p.ends_with("+}") {
            return segs.len() > i && !segs[i].is_empty();
        }
        let Some(s) = segs.get(i) else { return false };
        if p.starts_with('{') {
            if s.is_empty() {
                return false;
            }
        } else if p != s {
            return false;
        }
    }
    pat.len() == segs.len()
}

/// A running gateway.
pub struct MockServer {
    pub addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl MockServer {
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts the gateway on 127.0.0.1:`port` (0 for a free port).
pub async fn start(config: MockConfig, port: u16) -> std::io::Result<MockServer> {
    let listener = TcpListener::bind(("127.0.0.1", port)).await?;
    let addr = listener.local_addr()?;
    let config = Arc::new(config);
    let task = tokio::spawn(async move {
        loop {
            let stream = match listener.accept().await {
                Ok((stream, _)) => stream,
                Err(_) => {
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            };
            let config = config.clone();
            tokio::spawn(async move {
                let idle = config.idle_timeout;
                let service = service_fn(move |req| {
                    let config = config.clone();
                    async move { Ok::<_, std::convert::Infallible>(handle(&config, req).await) }
                });
                // A client may shut its side after the request (half-close) and still wait
                // for the answer; hyper's default drops the connection at that EOF.
                let _ = hyper::server::conn::http1::Builder::new()
                    .timer(hyper_util::rt::TokioTimer::new())
                    .header_read_timeout(idle)
                    .half_close(true)
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    Ok(MockServer { addr, task })
}

pub(crate) fn respond(
    status: u16,
    error_type: Option<&str>,
    body: String,
) -> hyper::Response<Full<Bytes>> {
    let mut builder = hyper::Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .header("date", httpdate::fmt_http_date(SystemTime::now()))
        .header("x-amzn-requestid", uuid::Uuid::new_v4().to_string());
    if let Some(t) = error_type {
        builder = builder.header("x-amzn-ErrorType", t);
    }
    builder
        .body(Full::new(Bytes::from(body)))
        .expect("static response parts are valid")
}

fn forbidden_for_style(style: Style, f: Failure) -> hyper::Response<Full<Bytes>> {
    match style {
        Style::RestApi => respond(f.status, f.error_type, f.body),
        Style::HttpApi => respond(403, None, r#"{"message":"Forbidden"}"#.into()),
        Style::LambdaUrl
            if f.error_type == Some("InvalidSignatureException")
                && f.body.contains("does not match") =>
        {
            respond(403, f.error_type, f.body)
        }
        Style::LambdaUrl => respond(
            403,
            Some("AccessDeniedException"),
            r#"{"Message":"Forbidden"}"#.into(),
        ),
    }
}

/// Answers one request; the `Date` header shows the server's (possibly skewed) clock.
async fn handle(cfg: &MockConfig, req: hyper::Request<Body>) -> hyper::Response<Full<Bytes>> {
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let origin = header("origin");
    let path = req.uri().path().to_string();
    // A preflight is answered by the CORS configuration, before any authorization.
    let preflight = match &cfg.cors {
        Some(c) if req.method() == hyper::Method::OPTIONS => c.preflight(&path, header),
        _ => None,
    };
    let mut response = match preflight {
        Some(r) => r,
        None => handle_request(cfg, req).await,
    };
    if let (Some(c), Some(o)) = (&cfg.cors, &origin) {
        if !response
            .headers()
            .contains_key("access-control-allow-origin")
        {
            if let Some(v) = c
                .response_origin(&path, o)
                .and_then(|v| hyper::header::HeaderValue::from_str(&v).ok())
            {
                response
                    .headers_mut()
                    .insert("access-control-allow-origin", v);
            }
        }
    }
    let server_now = verify::shift(SystemTime::now(), cfg.clock_skew_secs);
    if let Ok(v) = hyper::header::HeaderValue::from_str(&httpdate::fmt_http_date(server_now)) {
        response.headers_mut().insert(hyper::header::DATE, v);
    }
    response
}

async fn handle_request(
    cfg: &MockConfig,
    req: hyper::Request<Body>,
) -> hyper::Response<Full<Bytes>> {
    let (parts, mut body) = req.into_parts();
    if !cfg.latency.is_zero() {
        tokio::time::sleep(cfg.latency).await;
    }
    if cfg.fail_rate > 0.0 && rand::random::<f64>() < cfg.fail_rate {
        drain(cfg, body);
        return respond(503, None, r#"{"message":"Service Unavailable"}"#.into());
    }
    let method = parts.method.as_str();
    let path = parts.uri.path();
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(n, v)| {
            (
                n.to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    // The route and the signature are checked from the head: a request that will be
    // refused is answered before its body is read (a service API's request, STS's form body
    // naming its action, is read first, within the same limits).
    let head_only = Incoming {
        method,
        path,
        query: parts.uri.query(),
        headers: &headers,
        body: &[],
    };
    if !services::addressed(&head_only) {
        if let Some(refusal) = private_api::refusal(cfg, &headers) {
            drain(cfg, body);
            return refusal;
        }
        if find_route(cfg, method, path).is_none() {
            drain(cfg, body);
            return no_route(cfg.style);
        }
        if let Err(f) = verify(cfg, &head_only, SystemTime::now()) {
            if !may_depend_on_body(&f, &parts) {
                drain(cfg, body);
                return forbidden_for_style(cfg.style, f);
            }
        }
    }
    if declared_length(&parts).is_some_and(|n| n > cfg.max_body_bytes as u64) {
        drain(cfg, body);
        return BodyRefusal::TooLarge.response(cfg);
    }
    let body = match read_body(cfg, &mut body).await {
        Ok(b) => b,
        Err(refusal) => {
            drain(cfg, body);
            return refusal.response(cfg);
        }
    };
    let incoming = Incoming {
        method,
        path,
        query: parts.uri.query(),
        headers: &headers,
        body: &body,
    };
    if let Some(response) = services::answer(cfg, &incoming) {
        return response;
    }
    let Some(route) = find_route(cfg, method, path) else {
        return no_route(cfg.style);
    };
    let verified = match verify(cfg, &incoming, SystemTime::now()) {
        Ok(v) => v,
        Err(f) => return forbidden_for_style(cfg.style, f),
    };
    if cfg.style != Style::LambdaUrl {
        let resource = format!(
            "arn:aws:execute-api:{}:{}:{}/{}/{}",
            cfg.region,
            cfg.account,
            cfg.api_id,
            path.trim_start_matches('/')
                .split_once('/')
                .map(|(s, _)| s)
                .unwrap_or(path.trim_start_matches('/')),
            format_args!(
                "{method}/{}",
                path.trim_start_matches('/')
                    .split_once('/')
                    .map(|(_, r)| r)
                    .unwrap_or("")
            ),
        );
        let decision = cfg.policy.evaluate("execute-api:Invoke", &resource);
        if decision != Decision::Allow {
            if cfg.style == Style::HttpApi {
                return respond(403, None, r#"{"message":"Forbidden"}"#.into());
            }
            let masked = mask_account(&resource, &cfg.account);
            let explicit = if decision == Decision::ExplicitDeny {
                " with an explicit deny"
            } else {
                ""
            };
            let message = format!(
                "User: {} is not authorized to perform: execute-api:Invoke on resource: {masked}{explicit}",
                verified.principal
            );
            return respond(
                403,
                Some("AccessDeniedException"),
                serde_json::json!({ "Message": message }).to_string(),
            );
        }
    }
    answer(
        &route,
        &cfg.pets,
        method,
        path,
        parts.uri.query(),
        &headers,
        &body,
    )
}

fn find_route(cfg: &MockConfig, method: &str, path: &str) -> Option<Route> {
    match cfg.style {
        Style::LambdaUrl => Some(Route {
            method: "ANY".into(),
            path: "/{proxy+}".into(),
            response: None,
        }),
        _ => cfg
            .routes
            .iter()
            .find(|r| (r.method == "ANY" || r.method == method) && route_matches(&r.path, path))
            .cloned(),
    }
}

fn no_route(style: Style) -> hyper::Response<Full<Bytes>> {
    match style {
        Style::HttpApi => respond(404, None, r#"{"message":"Not Found"}"#.into()),
        _ => {
            let f = verify::missing_token();
            respond(f.status, f.error_type, f.body)
        }
    }
}

fn mask_account(arn: &str, account: &str) -> String {
    if account.len() < 4 {
        return arn.to_string();
    }
    arn.replace(
        account,
        &format!(
            "{}{}",
            "*".repeat(account.len() - 4),
            &account[account.len() - 4..]
        ),
    )
}

fn pets() -> serde_json::Value {
    serde_json::json!([
        {"id": 1, "type": "dog", "price": 249.99},
        {"id": 2, "type": "cat", "price": 124.99},
        {"id": 3, "type": "fish", "price": 0.99}
    ])
}

fn answer(
    route: &Route,
    created: &pets::PetStore,
    method: &str,
    path: &str,
    query: Option<&str>,
    headers: &[(String, String)],
    body: &[u8],
) -> hyper::Response<Full<Bytes>> {
    if let Some(fixed) = &route.response {
        return respond(200, None, fixed.to_string());
    }
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let json = match (method, segments.as_slice()) {
        ("GET", [_, "pets"]) => pets(),
        ("GET", [_, "pets", id]) | ("DELETE", [_, "pets", id]) => {
            let seeded = pets().as_array().and_then(|a| {
                a.iter()
                    .find(|p| p["id"].as_u64().map(|n| n.to_string()).as_deref() == Some(*id))
                    .cloned()
            });
            let found = match method {
                "DELETE" => seeded.or_else(|| created.delete(id)),
                _ => seeded.or_else(|| created.get(id)),
            };
            match found {
                Some(p) => p,
                None => {
                    return respond(
                        404,
                        None,
                        serde_json::json!({"message": format!("pet {id} not found")}).to_string(),
                    )
                }
            }
        }
        ("POST", [_, "pets"]) => {
            let pet = match serde_json::from_slice::<serde_json::Value>(body) {
                Ok(serde_json::Value::Null) => serde_json::json!({}),
                Ok(pet) if pet.is_object() => pet,
                _ => return respond(400, None, r#"{"message":"the body must be a JSON pet, e.g. {\"type\":\"dog\",\"price\":249.99}"}"#.into()),
            };
            let pet = created.create(pet);
            return respond(
                201,
                None,
                serde_json::json!({"pet": pet, "message": "success"}).to_string(),
            );
        }
        _ => {
            let query: serde_json::Map<String, serde_json::Value> = query
                .unwrap_or_default()
                .split('&')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (k, v) = p.split_once('=').unwrap_or((p, ""));
                    let d = |s: &str| {
                        percent_encoding::percent_decode_str(s)
                            .decode_utf8_lossy()
                            .into_owned()
                    };
                    (d(k), serde_json::Value::String(d(v)))
                })
                .collect();
            let headers: serde_json::Map<String, serde_json::Value> = headers
                .iter()
                .map(|(n, v)| (n.clone(), serde_json::Value::String(v.clone())))
                .collect();
            serde_json::json!({
                "method": method,
                "path": path,
                "query": query,
                "headers": headers,
                "body": String::from_utf8_lossy(body),
            })
        }
    };
    respond(200, None, json.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_match_params_and_greedy_proxies() {
        assert!(route_matches("/test/pets/{petId}", "/test/pets/7"));
        assert!(!route_matches("/test/pets/{petId}", "/test/pets"));
        assert!(route_matches("/test/echo/{proxy+}", "/test/echo/a/b/c"));
        assert!(!route_matches("/test/echo/{proxy+}", "/test/echo"));
        assert!(!route_matches("/test/pets", "/prod/pets"));
    }

    #[test]
    fn account_ids_are_masked_like_aws() {
        assert_eq!(
            mask_account(
                "arn:aws:execute-api:us-east-1:123456789012:a/test/GET/pets",
                "123456789012"
            ),
            "arn:aws:execute-api:us-east-1:********9012:a/test/GET/pets"
        );
    }
}
