//! Running a plan: each iteration (a `--data` row, or one of `--iterations`) sends the plan's
//! steps with its own captured variables; up to `jobs` steps are in flight at once, a step
//! starting when the steps it waits for are done. Each response is checked as it arrives and
//! handed to the caller as a `StepResult`; nothing here prints.
//!
//! ```text
//!  (iteration, step) ──prepare(vars)──▶ sign (credentials resolved once per profile) ──send──▶ Exchange
//!        ▲                                                                                  │
//!        └──── captured variables of the iteration ◀── captures::apply ── assertions::evaluate
//! ```

use super::assertions::{self, Outcome};
use super::captures::{self, Captured};
use super::observed::Observed;
use super::plan::{path_name, Plan};
use crate::aws::credentials::{resolve, Credentials};
use crate::diagnose::transport;
use crate::http::{self, prepare, Exchange};
use crate::model::checks::CaptureScope;
use crate::model::{Collection, Environment, Located};
use futures_util::stream::{FuturesUnordered, StreamExt};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

/// What is run: a collection, its selected environment and the plan.
pub struct Flow {
    pub collection: Collection,
    pub env_name: Option<String>,
    pub env: Option<Environment>,
    pub plan: Plan,
}

/// How it is run.
#[derive(Debug, Clone)]
pub struct Options {
    pub jobs: usize,
    pub iterations: usize,
    /// One row of variables per iteration (repeated when there are more iterations).
    pub data: Vec<BTreeMap<String, String>>,
    pub bail: bool,
    /// Each request's total timeout unless its network settings set one.
    pub timeout: Duration,
    /// Where exchanges are recorded, if they are.
    pub history: Option<PathBuf>,
    /// The command line's network flags over each request's own settings (`None`: the
    /// request's settings, with `timeout`).
    pub network: Option<super::network::NetworkOverlay>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            jobs: 1,
            iterations: 1,
            data: Vec::new(),
            bail: false,
            timeout: Duration::from_secs(30),
            history: None,
            network: None,
        }
    }
}

/// Why a request got no response to check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Failure {
    /// It could not be built (an undefined variable, a bad URL): nothing was sent.
    NotSent,
    /// No credentials to sign with.
    Credentials,
    /// Sent, but no response: refused, DNS, TLS, timeout, reset.
    Transport,
}

/// The signature diagnosis of an AWS auth failure, short.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Brief {
    pub kind: String,
    pub summary: String,
    /// The first thing to try (a transport failure's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_step: Option<String>,
}

/// One request of one iteration, sent and checked (or not).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StepResult {
    pub iteration: usize,
    pub step: usize,
    pub name: String,
    /// `folder/name`.
    pub path: String,
    pub method: String,
    /// The URL before signing (a presigned URL's signature and token are not in it).
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pulled: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure: Option<Failure>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub assertions: Vec<Outcome>,
    pub captures: Vec<Captured>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diagnosis: Option<Brief>,
}

impl StepResult {
    pub fn passed(&self) -> bool {
        self.failure.is_none()
            && self.assertions.iter().all(|a| a.passed)
            && self.captures.iter().all(|c| c.error.is_none())
    }

    /// Seconds, for JUnit.
    pub fn seconds(&self) -> f64 {
        self.time_ms.unwrap_or(0) as f64 / 1000.0
    }
}

/// Counts over a run.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub iterations: usize,
    pub requests: usize,
    pub failed: usize,
    pub assertions: usize,
    pub assertions_failed: usize,
    pub captures_failed: usize,
    pub not_sent: usize,
    pub transport_errors: usize,
    /// Steps left unrun after a failure with `--bail`.
    pub skipped: usize,
    pub duration_ms: u64,
}

/// A finished run.
#[derive(Debug, Clone)]
pub struct Report {
    /// In iteration, then plan order.
    pub results: Vec<StepResult>,
    pub summary: Summary,
    /// Values captured with `scope: environment`, the last of each (to write with `--save-env`).
    pub environment_captures: BTreeMap<String, String>,
    pub started: SystemTime,
    /// What went wrong beside the requests (the history could not be written).
    pub warnings: Vec<String>,
}

/// What the runner tells as it goes.
pub enum Event<'a> {
    Step(&'a StepResult),
    /// `--bail`: a step failed; what is in flight finishes, nothing more starts.
    Bailing,
}

struct Iteration {
    vars: BTreeMap<String, String>,
    started: Vec<bool>,
    done: Vec<bool>,
}

/// Credentials resolved once per profile for the whole run.
type CredentialCache = HashMap<String, Result<Credentials, String>>;

/// A step's result, its exchange for the history, and the variables it captured.
struct Sent {
    iteration: usize,
    step: usize,
    result: StepResult,
    exchange: Option<Exchange>,
    vars: Vec<(String, String, CaptureScope)>,
}

/// Runs a flow to the end (or the first failure with `bail`), calling `on` for each step as
/// it finishes.
pub async fn run(flow: &Flow, options: &Options, on: &mut dyn FnMut(Event)) -> Report {
    let started = SystemTime::now();
    let clock = Instant::now();
    let walk = flow.collection.walk();
    let history = options.history.clone().map(HistoryWriter::start);
    let jobs = options.jobs.max(1);
    let steps = &flow.plan.steps;
    let mut creds = CredentialCache::new();
    // Which requests' assertions expect `{{variables}}` (resolved per send).
    let with_variables: Vec<bool> = walk
        .iter()
        .map(|l| (l.request.assertions.iter()).any(|a| a.enabled && a.to_string().contains("{{")))
        .collect();
    let mut iterations: BTreeMap<usize, Iteration> = BTreeMap::new();
    let mut ready: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut next_iteration = 0;
    let mut in_flight = FuturesUnordered::new();
    let mut results = Vec::new();
    let mut env_captured: BTreeMap<String, String> = BTreeMap::new();
    let mut stopping = false;
    let mut summary = Summary {
        iterations: options.iterations,
        ..Summary::default()
    };
    loop {
        while !stopping && ready.len() < jobs && next_iteration < options.iterations {
            let mut vars = env_captured.clone();
            if !options.data.is_empty() {
                vars.extend(options.data[next_iteration % options.data.len()].clone());
            }
            iterations.insert(
                next_iteration,
                Iteration {
                    vars,
                    started: vec![false; steps.len()],
                    done: vec![false; steps.len()],
                },
            );
            for (s, step) in steps.iter().enumerate() {
                if step.after.is_empty() {
                    ready.insert((next_iteration, s));
                }
            }
            if steps.is_empty() {
                iterations.remove(&next_iteration);
            }
            next_iteration += 1;
        }
        while !stopping && in_flight.len() < jobs {
            let Some((i, s)) = ready.pop_first() else {
                break;
            };
            let it = iterations.get_mut(&i).expect("open iteration");
            it.started[s] = true;
            let vars = it.vars.clone();
            // Credentials are resolved here, between sends, so each profile is read once.
            let located = &walk[steps[s].request];
            let (prepared, scope) =
                prepared_for(flow, located, &vars, with_variables[steps[s].request]);
            let signing = match &prepared {
                Ok(p) => match &p.signing {
                    Some(plan) => Some(credentials(&mut creds, plan).await),
                    None => None,
                },
                Err(_) => None,
            };
            let connection =
                (prepared.as_ref().ok()).map(|p| super::network::connection(options, p));
            in_flight.push(send_step(
                connection,
                Job {
                    iteration: i,
                    step: s,
                    pulled: steps[s].pulled.clone(),
                    located,
                    prepared,
                    signing,
                    scope,
                },
            ));
        }
        let Some(sent) = in_flight.next().await else {
            break;
        };
        let Sent {
            iteration,
            step,
            result,
            exchange,
            vars,
        } = sent;
        if let (Some(h), Some(x)) = (&history, exchange) {
            let located = &walk[steps[step].request];
            // A file without ids: the id the workbench derives (and saves) for it, so both
            // show the same history.
            let id = located.request.id.clone().unwrap_or_else(|| {
                crate::model::collection::derived_request_id(&flow.collection.name, &result.path)
            });
            h.record(x, result.path.clone(), id);
        }
        if let Some(it) = iterations.get_mut(&iteration) {
            for (k, v, scope) in vars {
                if scope == CaptureScope::Environment && flow.env.is_some() {
                    env_captured.insert(k.clone(), v.clone());
                }
                it.vars.insert(k, v);
            }
            it.done[step] = true;
            for (s, st) in steps.iter().enumerate() {
                if !it.started[s]
                    && !ready.contains(&(iteration, s))
                    && st.after.iter().all(|&a| it.done[a])
                {
                    ready.insert((iteration, s));
                }
            }
            if it.done.iter().all(|d| *d) {
                iterations.remove(&iteration);
            }
        }
        count(&mut summary, &result);
        on(Event::Step(&result));
        if options.bail && !result.passed() && !stopping {
            stopping = true;
            on(Event::Bailing);
        }
        results.push(result);
    }
    if stopping {
        let total = options.iterations * steps.len();
        summary.skipped = total.saturating_sub(results.len());
    }
    results.sort_by_key(|r| (r.iteration, r.step));
    let mut warnings = Vec::new();
    if let Some(e) = history.and_then(HistoryWriter::finish) {
        warnings.push(format!("could not write history in {e}"));
    }
    summary.duration_ms = clock.elapsed().as_millis() as u64;
    Report {
        results,
        summary,
        environment_captures: env_captured,
        started,
        warnings,
    }
}

fn count(summary: &mut Summary, r: &StepResult) {
    summary.requests += 1;
    if !r.passed() {
        summary.failed += 1;
    }
    summary.assertions += r.assertions.len();
    summary.assertions_failed += r.assertions.iter().filter(|a| !a.passed).count();
    summary.captures_failed += r.captures.iter().filter(|c| c.error.is_some()).count();
    match r.failure {
        Some(Failure::NotSent | Failure::Credentials) => summary.not_sent += 1,
        Some(Failure::Transport) => summary.transport_errors += 1,
        None => {}
    }
}

/// The environment with the iteration's variables on top: they win over the environment's
/// and the collection's, and lose to the folders' and the request's, as this run's overrides
/// do in `model::variables::levels`.
fn environment_with(flow: &Flow, vars: &BTreeMap<String, String>) -> Option<Environment> {
    if vars.is_empty() {
        return flow.env.clone();
    }
    let mut e = flow.env.clone().unwrap_or_default();
    e.variables
        .extend(vars.iter().map(|(k, v)| (k.clone(), v.clone())));
    Some(e)
}

/// The request built with the iteration's variables; and the variables its assertions see,
/// when one of them uses any.
fn prepared_for(
    flow: &Flow,
    located: &Located,
    vars: &BTreeMap<String, String>,
    assertions_use_variables: bool,
) -> (Result<prepare::Prepared, String>, BTreeMap<String, String>) {
    let env = environment_with(flow, vars);
    let prepared = prepare::prepare(&flow.collection, env.as_ref(), located)
        .map_err(|e| explain_missing(flow, located, vars, e));
    let scope = if assertions_use_variables {
        crate::model::scope(&flow.collection, env.as_ref(), located)
    } else {
        BTreeMap::new()
    };
    (prepared, scope)
}

/// An undefined variable that some request captures: say which, so the reader looks there.
fn explain_missing(
    flow: &Flow,
    located: &Located,
    vars: &BTreeMap<String, String>,
    error: String,
) -> String {
    let scope = crate::model::scope(&flow.collection, flow.env.as_ref(), located);
    let missing: Vec<String> = super::plan::uses(&flow.collection, located)
        .into_iter()
        .filter(|v| !scope.contains_key(v) && !vars.contains_key(v))
        .collect();
    let walk = flow.collection.walk();
    for var in missing {
        let by: Vec<String> = walk
            .iter()
            .filter(|l| {
                l.request
                    .captures
                    .iter()
                    .any(|c| c.enabled && c.variable == var)
            })
            .map(path_name)
            .collect();
        if !by.is_empty() {
            return format!(
                "{error}; it is captured by {}, which did not set it before this request",
                by.iter()
                    .map(|n| format!("'{n}'"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
    error
}

async fn credentials(
    cache: &mut CredentialCache,
    plan: &prepare::SigningPlan,
) -> Result<Credentials, String> {
    let key = format!("{:?}", plan.credentials);
    if let Some(c) = cache.get(&key) {
        return c.clone();
    }
    let resolved = resolve(&plan.credentials).await.map_err(|e| e.to_string());
    if let Ok(c) = &resolved {
        crate::model::redact::remember(c);
    }
    cache.insert(key, resolved.clone());
    resolved
}

/// One step of one iteration, ready to send.
struct Job<'a> {
    iteration: usize,
    step: usize,
    pulled: Option<String>,
    located: &'a Located<'a>,
    prepared: Result<prepare::Prepared, String>,
    /// The credentials to sign with, when the request is signed.
    signing: Option<Result<Credentials, String>>,
    /// The variables its assertions may use.
    scope: BTreeMap<String, String>,
}

async fn send_step(connection: Option<super::network::Connection>, job: Job<'_>) -> Sent {
    let Job {
        iteration,
        step,
        pulled,
        located,
        prepared,
        signing,
        scope,
    } = job;
    let spec = located.request;
    let mut result = StepResult {
        iteration,
        step,
        name: spec.name.clone(),
        path: path_name(located),
        method: spec.method.clone(),
        url: spec.url.clone(),
        pulled,
        status: None,
        time_ms: None,
        failure: None,
        error: None,
        assertions: Vec::new(),
        captures: Vec::new(),
        diagnosis: None,
    };
    let fail = |mut result: StepResult, failure, error: String| {
        result.failure = Some(failure);
        result.error = Some(error);
        Sent {
            iteration,
            step,
            result,
            exchange: None,
            vars: Vec::new(),
        }
    };
    let prepared = match prepared {
        Ok(p) => p,
        Err(e) => return fail(result, Failure::NotSent, e),
    };
    result.url = prepared.request.url();
    let (wire, trace) = match (&prepared.signing, signing) {
        (Some(plan), Some(Ok(creds))) => {
            match prepare::sign_prepared(&prepared.request, plan, &creds, SystemTime::now()) {
                Ok(s) => (s.request, Some(s.trace)),
                Err(e) => return fail(result, Failure::NotSent, e.to_string()),
            }
        }
        (Some(_), Some(Err(e))) => return fail(result, Failure::Credentials, e),
        _ => (prepared.request, None),
    };
    let (settings, client) = match connection {
        Some(Ok(c)) => c,
        Some(Err(e)) => return fail(result, Failure::NotSent, e),
        None => return fail(result, Failure::NotSent, "not prepared".into()),
    };
    let exchange = match http::send(&client, wire, trace).await {
        Ok(x) => x,
        Err(e) => {
            // Classified with the settings that applied (proxy, timeouts, CA files).
            let url = result.url.clone();
            let d = transport::diagnose(&e.with_settings(&settings, &url), &url);
            result.diagnosis = Some(Brief {
                kind: d.kind.as_str().to_string(),
                summary: d.summary.clone(),
                next_step: d.next_steps.first().cloned(),
            });
            return fail(result, Failure::Transport, d.summary);
        }
    };
    let vars = check(&mut result, &exchange, spec, &scope);
    Sent {
        iteration,
        step,
        result,
        exchange: Some(exchange),
        vars,
    }
}

/// Checks a response against the request's assertions and takes its captures; returns the
/// variables set. Synchronous: the parsed body (jaq values) never lives across an await.
fn check(
    result: &mut StepResult,
    exchange: &Exchange,
    spec: &crate::model::RequestSpec,
    vars: &BTreeMap<String, String>,
) -> Vec<(String, String, CaptureScope)> {
    let seen = Observed::new(exchange);
    result.status = Some(exchange.response.status);
    result.time_ms = Some(exchange.timing.total.as_millis() as u64);
    result.assertions = assertions::evaluate_with(&spec.assertions, &seen, vars);
    result.captures = captures::apply(&spec.captures, &seen);
    result.diagnosis = seen.diagnosis().map(|d| Brief {
        kind: d.kind.as_str().to_string(),
        summary: d.summary.clone(),
        next_step: None,
    });
    result
        .captures
        .iter()
        .filter_map(|c| Some((c.variable.clone(), c.value.clone()?, c.scope)))
        .collect()
}

/// Records exchanges off the sending path, on a thread of its own.
struct HistoryWriter {
    tx: std::sync::mpsc::Sender<(Exchange, String, String)>,
    thread: std::thread::JoinHandle<Option<String>>,
}

impl HistoryWriter {
    fn start(dir: PathBuf) -> HistoryWriter {
        let (tx, rx) = std::sync::mpsc::channel::<(Exchange, String, String)>();
        let thread = std::thread::spawn(move || {
            let mut first_error = None;
            for (x, name, id) in rx {
                let request = crate::model::history::RequestRef {
                    name: Some(&name),
                    id: Some(&id),
                    whole_body_bytes: None,
                };
                if let Err(e) = crate::model::history::record_for(&dir, &x, request) {
                    first_error.get_or_insert_with(|| format!("{}: {e}", dir.display()));
                }
            }
            first_error
        });
        HistoryWriter { tx, thread }
    }

    fn record(&self, x: Exchange, name: String, id: String) {
        let _ = self.tx.send((x, name, id));
    }

    /// Waits for the last entries; returns the first failure to write (never fatal).
    fn finish(self) -> Option<String> {
        drop(self.tx);
        self.thread.join().ok().flatten()
    }
}
