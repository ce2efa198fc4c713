//! The stepper: a guided sequence that finds where a signed call goes wrong, stopping at the
//! first failing step with its explanation. Shared by `sigscope doctor` and the workbench,
//! and signing exactly as a send does: the same settings (payload mode, normalization,
//! presigning) and the same clock offset (`http::prepare::sign_prepared`'s time).

use crate::aws::credentials::Credentials;
use crate::aws::{endpoint, sts};
use crate::diagnose::{diagnose_for, is_auth_failure, transport, Advice};
use crate::http::client::ClientSettings;
use crate::http::{self, Exchange};
use crate::sign::{self, SigningSettings, WireRequest};
use std::time::SystemTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    Skipped,
    Failed,
}

#[derive(Debug, Clone)]
pub struct Step {
    pub name: &'static str,
    pub status: Status,
    pub detail: String,
}

pub const STEPS: usize = 7;

fn is_local(req: &WireRequest) -> bool {
    matches!(
        endpoint::infer(&req.authority, &req.path),
        Err(endpoint::InferError::Local(_))
    )
}

/// The time a request is signed at: now, moved by the request's clock offset (as a send).
fn signing_time(offset_secs: i64) -> SystemTime {
    let d = std::time::Duration::from_secs(offset_secs.unsigned_abs());
    if offset_secs < 0 {
        SystemTime::now() - d
    } else {
        SystemTime::now() + d
    }
}

async fn signed_send(
    client: &reqwest::Client,
    network: &ClientSettings,
    req: &WireRequest,
    creds: &Credentials,
    settings: &SigningSettings,
    offset_secs: i64,
) -> Result<Exchange, String> {
    let signed =
        sign::sign(req, creds, settings, signing_time(offset_secs)).map_err(|e| e.to_string())?;
    let url = signed.request.url();
    http::send(client, signed.request, Some(signed.trace))
        .await
        .map_err(|e| no_response(e, network, &url))
}

/// A transport failure as a step's detail: its kind, summary and first steps.
fn no_response(e: http::TransportError, network: &ClientSettings, url: &str) -> String {
    let d = transport::diagnose(&e.with_settings(network, url), url);
    let mut text = format!("no response ({}): {}", d.kind.as_str(), d.summary);
    for s in d.next_steps.iter().take(2) {
        text.push_str(&format!("\n- {s}"));
    }
    text
}

fn outcome(x: &Exchange, advice: &Advice) -> (Status, String) {
    let r = &x.response;
    if is_auth_failure(r) {
        let d = diagnose_for(r, x.trace.as_ref(), Some(&x.request), advice);
        let mut text = format!(
            "{} {} — diagnosis: {}: {}",
            r.status,
            r.reason,
            d.kind.as_str(),
            d.summary
        );
        for s in d.next_steps.iter().take(3) {
            text.push_str(&format!("\n- {s}"));
        }
        (Status::Failed, text)
    } else {
        (
            Status::Ok,
            format!(
                "{} {} in {} ms",
                r.status,
                r.reason,
                x.timing.total.as_millis()
            ),
        )
    }
}

/// Runs the steps in order, calling `report` as each one ends; stops at the first failure.
/// Signs with the system clock and advises for the CLI.
pub async fn run(
    client: &reqwest::Client,
    request: &WireRequest,
    credentials: Result<Credentials, String>,
    settings: Result<SigningSettings, String>,
    skip_identity: bool,
    report: &mut (dyn FnMut(&Step) + Send),
) -> Vec<Step> {
    let network = ClientSettings::default();
    let advice = Advice::default();
    run_with(
        client,
        &network,
        request,
        credentials,
        settings,
        skip_identity,
        &advice,
        report,
    )
    .await
}

/// As `run`, with the network settings `client` was built from (a failure to connect is
/// then read with its proxy and timeouts), signing as the request's plan does (its clock
/// offset is `advice`'s) and advising for where the reader is.
#[allow(clippy::too_many_arguments)]
pub async fn run_with(
    client: &reqwest::Client,
    network: &ClientSettings,
    request: &WireRequest,
    credentials: Result<Credentials, String>,
    settings: Result<SigningSettings, String>,
    skip_identity: bool,
    advice: &Advice,
    report: &mut (dyn FnMut(&Step) + Send),
) -> Vec<Step> {
    let offset = advice.clock_offset_secs;
    let mut steps: Vec<Step> = Vec::new();
    let mut push = |name: &'static str, status: Status, detail: String, steps: &mut Vec<Step>| {
        let step = Step {
            name,
            status,
            detail,
        };
        report(&step);
        steps.push(step);
        status != Status::Failed
    };

    // 1. credentials
    let creds = match credentials {
        Ok(c) => c,
        Err(e) => {
            push("credentials resolve", Status::Failed, e, &mut steps);
            return steps;
        }
    };
    let expiry = creds
        .expiry
        .map(|e| format!(", expires {}", httpdate::fmt_http_date(e)))
        .unwrap_or_default();
    push(
        "credentials resolve",
        Status::Ok,
        format!(
            "{} from {}{expiry}",
            creds.masked_access_key(),
            creds.source
        ),
        &mut steps,
    );

    let settings = match settings {
        Ok(s) => s,
        Err(e) => {
            push(
                "identity via STS",
                Status::Skipped,
                "needs the region first".into(),
                &mut steps,
            );
            push(
                "our clock vs the server's",
                Status::Skipped,
                "needs the region first".into(),
                &mut steps,
            );
            push(
                "region and service vs the host",
                Status::Failed,
                e,
                &mut steps,
            );
            return steps;
        }
    };

    // 2. identity
    let (status, detail) = if skip_identity || is_local(request) {
        (
            Status::Skipped,
            "local endpoint or --skip-identity".to_string(),
        )
    } else {
        let sts_url = sts::endpoint(&settings.region);
        match sts::caller_identity(client, &creds, &sts_url, &settings.region).await {
            Ok(id) => (Status::Ok, format!("{} (account {})", id.arn, id.account)),
            Err(sts::StsError::Rejected(x)) => outcome(&x, advice),
            Err(e) => (
                Status::Failed,
                format!("{e} (pass --skip-identity if STS is unreachable from here)"),
            ),
        }
    };
    if !push("identity via STS", status, detail, &mut steps) {
        return steps;
    }

    // 3. clock
    let probe = WireRequest {
        headers: Vec::new(),
        body: Default::default(),
        method: "GET".into(),
        ..request.clone()
    };
    let probe_url = probe.url();
    let (status, detail) = match http::send(client, probe, None).await {
        Err(e) => (Status::Failed, no_response(e, network, &probe_url)),
        Ok(x) => match x
            .response
            .header("date")
            .and_then(|d| httpdate::parse_http_date(d).ok())
        {
            None => (
                Status::Skipped,
                "the server sent no Date header".to_string(),
            ),
            Some(date) => {
                // The time the request is signed at, offset included, against the server's.
                let drift = match signing_time(offset).duration_since(date) {
                    Ok(d) => d.as_secs() as i64,
                    Err(e) => -(e.duration().as_secs() as i64),
                };
                let window = if settings.service == "execute-api" {
                    300
                } else {
                    900
                };
                if drift.unsigned_abs() >= window && offset != 0 {
                    let fix = match advice.place {
                        super::Place::Workbench => {
                            format!("Auth tab → Clock offset is {offset} s: clear it")
                        }
                        super::Place::Cli => {
                            format!("the request sets clockOffsetSeconds: {offset}: remove it")
                        }
                    };
                    (Status::Failed, format!("the request is signed {drift}s off the server's Date (the window is {} minutes): {fix}", window / 60))
                } else if drift.unsigned_abs() >= window {
                    (Status::Failed, format!("your clock is {drift}s off the server's Date; the window is {} minutes: sync your clock (NTP)", window / 60))
                } else {
                    (
                        Status::Ok,
                        format!(
                            "{drift:+}s from the server's Date (window ±{} min)",
                            window / 60
                        ),
                    )
                }
            }
        },
    };
    if !push("our clock vs the server's", status, detail, &mut steps) {
        return steps;
    }

    // 4. region and service
    let (status, detail) = match endpoint::infer(&request.authority, &request.path) {
        Ok(e) if e.region != settings.region || e.service != settings.service => (
            Status::Failed,
            format!(
                "the host says {}/{}, but we sign for {}/{}: {}",
                e.region,
                e.service,
                settings.region,
                settings.service,
                match advice.place {
                    super::Place::Workbench =>
                        "Auth tab → Region and Service: empty infers them from the host",
                    super::Place::Cli => "drop --region/--service or fix them",
                }
            ),
        ),
        Ok(e) => (
            Status::Ok,
            format!("{} / {} ({:?})", e.region, e.service, e.kind),
        ),
        Err(_) => (
            Status::Ok,
            format!(
                "{} / {} as given (the host can't say)",
                settings.region, settings.service
            ),
        ),
    };
    if !push("region and service vs the host", status, detail, &mut steps) {
        return steps;
    }

    // 5. signing round trip
    let now = signing_time(offset);
    let (status, detail) = match (
        sign::sign(request, &creds, &settings, now),
        sign::sign(request, &creds, &settings, now),
    ) {
        (Ok(a), Ok(b)) if a.trace.signature == b.trace.signature => (
            Status::Ok,
            format!(
                "trace and aws-sigv4 agree; signed headers {}",
                a.trace.signed_headers.join(";")
            ),
        ),
        (Err(e), _) | (_, Err(e)) => (Status::Failed, e.to_string()),
        _ => (
            Status::Failed,
            "two signings of the same request differ".to_string(),
        ),
    };
    if !push("signing round trip", status, detail, &mut steps) {
        return steps;
    }

    // 6. a GET without a body first
    let (status, detail) = if request.method == "GET" && request.body.is_empty() {
        (
            Status::Skipped,
            "the request already is a GET without a body".to_string(),
        )
    } else {
        let mut get = request.clone();
        get.method = "GET".into();
        get.body = Default::default();
        get.headers
            .retain(|(n, _)| !n.eq_ignore_ascii_case("content-type"));
        match signed_send(client, network, &get, &creds, &settings, offset).await {
            Ok(x) => outcome(&x, advice),
            Err(e) => (Status::Failed, e),
        }
    };
    if !push("a signed GET without a body", status, detail, &mut steps) {
        return steps;
    }

    // 7. the real request
    let (status, detail) =
        match signed_send(client, network, request, &creds, &settings, offset).await {
            Ok(x) => outcome(&x, advice),
            Err(e) => (Status::Failed, e),
        };
    push("the request itself", status, detail, &mut steps);
    steps
}
