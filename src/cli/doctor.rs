//! `sigscope doctor URL`: the guided sequence that finds where a signed call goes wrong,
//! stopping at the first failing step with its explanation.

use super::args::{RequestArgs, SigningArgs};
use super::exit;
use crate::aws::credentials::{resolve, Credentials};
use crate::aws::{endpoint, sts};
use crate::diagnose::{diagnose, is_auth_failure};
use crate::http::{self, Exchange};
use crate::sign::{self, SigningSettings, WireRequest};
use anyhow::Result;
use clap::Args;
use std::time::{Duration, SystemTime};

#[derive(Debug, Args)]
pub struct DoctorArgs {
    #[command(flatten)]
    pub request: RequestArgs,
    #[command(flatten)]
    pub signing: SigningArgs,
    /// Skip the STS identity step (offline or STS not reachable).
    #[arg(long)]
    pub skip_identity: bool,
}

/// One step's outcome.
enum Step {
    Ok(String),
    Skipped(String),
    Failed(String),
}

struct Doctor {
    n: usize,
    total: usize,
}

impl Doctor {
    /// Prints the step; false when the sequence must stop.
    fn report(&mut self, name: &str, step: Step) -> bool {
        self.n += 1;
        let (mark, text, go_on) = match step {
            Step::Ok(t) => ("ok  ", t, true),
            Step::Skipped(t) => ("skip", t, true),
            Step::Failed(t) => ("FAIL", t, false),
        };
        println!(
            "[{}/{}] {mark} {name}: {}",
            self.n,
            self.total,
            text.replace('\n', "\n           ")
        );
        go_on
    }
}

fn is_local(req: &WireRequest) -> bool {
    matches!(
        endpoint::infer(&req.authority, &req.path),
        Err(endpoint::InferError::Local(_))
    )
}

async fn signed_send(
    client: &reqwest::Client,
    req: &WireRequest,
    creds: &Credentials,
    settings: &SigningSettings,
) -> Result<Exchange> {
    let signed = sign::sign(req, creds, settings, SystemTime::now())?;
    Ok(http::send(client, signed.request, Some(signed.trace)).await?)
}

fn outcome(x: &Exchange) -> Step {
    let r = &x.response;
    if is_auth_failure(r) {
        let d = diagnose(r, x.trace.as_ref(), Some(&x.request));
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
        Step::Failed(text)
    } else {
        Step::Ok(format!(
            "{} {} in {} ms",
            r.status,
            r.reason,
            x.timing.total.as_millis()
        ))
    }
}

pub fn run(args: DoctorArgs) -> Result<i32> {
    let request = args.request.build()?;
    let rt = super::runtime();
    let client = http::client(Duration::from_secs(15));
    let mut doc = Doctor { n: 0, total: 7 };
    let ok = rt.block_on(async {
        // 1. credentials
        let creds = match resolve(&args.signing.credential_spec()).await {
            Ok(c) => c,
            Err(e) => return Ok::<bool, anyhow::Error>(doc.report("credentials resolve", Step::Failed(e.to_string()))),
        };
        let expiry = creds.expiry.map(|e| format!(", expires {}", httpdate::fmt_http_date(e))).unwrap_or_default();
        doc.report("credentials resolve", Step::Ok(format!("{} from {}{expiry}", creds.masked_access_key(), creds.source)));

        // 2. identity
        let settings = match args.signing.settings(&request) {
            Ok(s) => s,
            Err(e) => {
                doc.report("identity via STS", Step::Skipped("needs the region first".into()));
                doc.report("our clock vs the server's", Step::Skipped("needs the region first".into()));
                return Ok(doc.report("region and service vs the host", Step::Failed(e.to_string())));
            }
        };
        let step = if args.skip_identity || is_local(&request) {
            Step::Skipped("local endpoint or --skip-identity".into())
        } else {
            let sts_url = sts::endpoint(&settings.region);
            match sts::caller_identity(&client, &creds, &sts_url, &settings.region).await {
                Ok(id) => Step::Ok(format!("{} (account {})", id.arn, id.account)),
                Err(sts::StsError::Rejected(x)) => outcome(&x),
                Err(e) => Step::Failed(format!("{e} (pass --skip-identity if STS is unreachable from here)")),
            }
        };
        if !doc.report("identity via STS", step) {
            return Ok(false);
        }

        // 3. clock
        let probe = WireRequest { headers: Vec::new(), body: Default::default(), method: "GET".into(), ..request.clone() };
        let step = match http::send(&client, probe, None).await {
            Err(e) => Step::Failed(format!("the server did not answer: {e}")),
            Ok(x) => match x.response.header("date").and_then(|d| httpdate::parse_http_date(d).ok()) {
                None => Step::Skipped("the server sent no Date header".into()),
                Some(date) => {
                    let drift = match SystemTime::now().duration_since(date) {
                        Ok(d) => d.as_secs() as i64,
                        Err(e) => -(e.duration().as_secs() as i64),
                    };
                    let window = if settings.service == "execute-api" { 300 } else { 900 };
                    if drift.unsigned_abs() >= window {
                        Step::Failed(format!("your clock is {drift}s off the server's Date; the window is {} minutes: sync your clock (NTP)", window / 60))
                    } else {
                        Step::Ok(format!("{drift:+}s from the server's Date (window ±{} min)", window / 60))
                    }
                }
            },
        };
        if !doc.report("our clock vs the server's", step) {
            return Ok(false);
        }

        // 4. region and service
        let step = match endpoint::infer(&request.authority, &request.path) {
            Ok(e) if e.region != settings.region || e.service != settings.service => Step::Failed(format!(
                "the host says {}/{}, but we sign for {}/{}: drop --region/--service or fix them",
                e.region, e.service, settings.region, settings.service
            )),
            Ok(e) => Step::Ok(format!("{} / {} ({:?})", e.region, e.service, e.kind)),
            Err(_) => Step::Ok(format!("{} / {} as given (the host can't say)", settings.region, settings.service)),
        };
        if !doc.report("region and service vs the host", step) {
            return Ok(false);
        }

        // 5. signing round trip
        let now = SystemTime::now();
        let step = match (sign::sign(&request, &creds, &settings, now), sign::sign(&request, &creds, &settings, now)) {
            (Ok(a), Ok(b)) if a.trace.signature == b.trace.signature => Step::Ok(format!(
                "trace and aws-sigv4 agree; signed headers {}",
                a.trace.signed_headers.join(";")
            )),
            (Err(e), _) | (_, Err(e)) => Step::Failed(e.to_string()),
            _ => Step::Failed("two signings of the same request differ".into()),
        };
        if !doc.report("signing round trip", step) {
            return Ok(false);
        }

        // 6. a GET without a body first
        let step = if request.method == "GET" && request.body.is_empty() {
            Step::Skipped("the request already is a GET without a body".into())
        } else {
            let mut get = request.clone();
            get.method = "GET".into();
            get.body = Default::default();
            get.headers.retain(|(n, _)| !n.eq_ignore_ascii_case("content-type"));
            match signed_send(&client, &get, &creds, &settings).await {
                Ok(x) => outcome(&x),
                Err(e) => Step::Failed(e.to_string()),
            }
        };
        if !doc.report("a signed GET without a body", step) {
            return Ok(false);
        }

        // 7. the real request
        let step = match signed_send(&client, &request, &creds, &settings).await {
            Ok(x) => outcome(&x),
            Err(e) => Step::Failed(e.to_string()),
        };
        Ok(doc.report("the request itself", step))
    })?;
    Ok(if ok { exit::OK } else { exit::HTTP_ERROR })
}
