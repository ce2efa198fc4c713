//! `sigscope mock`: run the local IAM-protected gateway in the foreground.

use super::exit;
use crate::mock::{self, MockConfig, MockKey, Route, Style};
use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::time::Duration;

/// `--style`: the gateway's `Style`, spelled for the command line (clap stays in the CLI).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StyleArg {
    /// REST API: detailed AWS error messages.
    RestApi,
    /// HTTP API: every IAM failure is {"message":"Forbidden"}.
    HttpApi,
    /// Lambda function URL: service `lambda`.
    LambdaUrl,
}

impl From<StyleArg> for Style {
    fn from(s: StyleArg) -> Style {
        match s {
            StyleArg::RestApi => Style::RestApi,
            StyleArg::HttpApi => Style::HttpApi,
            StyleArg::LambdaUrl => Style::LambdaUrl,
        }
    }
}

#[derive(Debug, Args)]
pub struct MockArgs {
    /// Port on 127.0.0.1 (default: a free one, printed at start).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Which AWS front end to behave like.
    #[arg(long, value_enum, default_value = "rest-api")]
    pub style: StyleArg,
    /// Extra keys: a JSON list of {access_key_id, secret_access_key, principal, session_token?}.
    #[arg(long)]
    pub keys: Option<PathBuf>,
    /// An IAM policy JSON ({"Statement":[{"Effect","Action","Resource"}]}) replacing the demo policy.
    #[arg(long)]
    pub policy: Option<PathBuf>,
    /// Routes replacing the demo API: a JSON list of {method, path, response?}, or a collection
    /// (each request's method and path).
    #[arg(long)]
    pub routes: Option<PathBuf>,
    /// Seconds the server's clock is ahead (negative: behind), at most ten years either way.
    #[arg(long, default_value_t = 0, allow_hyphen_values = true,
          value_parser = clap::value_parser!(i64).range(-MAX_SKEW_SECS..=MAX_SKEW_SECS))]
    pub clock_skew: i64,
    /// Delay before every answer, in milliseconds (at most an hour).
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u64).range(0..=3_600_000))]
    pub latency: u64,
    /// Probability (0 to 1) of answering 503.
    #[arg(long, default_value_t = 0.0, value_parser = parse_probability)]
    pub fail_rate: f64,
    /// Largest request body accepted, in bytes (default: API Gateway's 10 MB); more is 413.
    #[arg(long, default_value_t = mock::DEFAULT_MAX_BODY_BYTES as u64,
          value_parser = clap::value_parser!(u64).range(0..=1 << 32))]
    pub max_body: u64,
    /// Seconds a connection may stay without sending a request before it is closed.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub idle_timeout: u64,
    /// Signing region the gateway expects.
    #[arg(long, default_value = mock::DEMO_REGION)]
    pub region: String,
}

/// Ten years: any clock skew beyond is a typo, and `SystemTime` arithmetic overflows long
/// before `i64::MAX` seconds.
const MAX_SKEW_SECS: i64 = 10 * 365 * 24 * 3600;

fn parse_probability(s: &str) -> std::result::Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(p) if (0.0..=1.0).contains(&p) => Ok(p),
        _ => Err(format!(
            "'{s}' is not a probability: give a number from 0 to 1, e.g. 0.1"
        )),
    }
}

fn read_json<T: serde::de::DeserializeOwned>(path: &PathBuf) -> Result<T> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} is not valid", path.display()))
}

/// Routes from a JSON list of `{method, path, response?}`, or from a collection: each
/// request's method and URL path (after its `{{base}}` variable), `{{name}}` as a parameter.
fn routes_from_file(path: &PathBuf) -> Result<Vec<Route>> {
    let value: serde_json::Value = read_json(path)?;
    if value.is_array() {
        return serde_json::from_value(value)
            .with_context(|| format!("{}: expected [{{method, path}}]", path.display()));
    }
    let loaded = crate::model::load(path)?;
    let routes: Vec<Route> = loaded
        .collection
        .walk()
        .iter()
        .map(|l| {
            let url = &l.request.url;
            // Drop a leading {{base}} variable or scheme://host.
            let rest = if let Some(after) = url.strip_prefix("{{").and_then(|u| u.split_once("}}"))
            {
                after.1.to_string()
            } else {
                url.split_once("://")
                    .map(|(_, r)| r.find('/').map(|i| r[i..].to_string()).unwrap_or_default())
                    .unwrap_or_else(|| url.clone())
            };
            let path = rest
                .split('?')
                .next()
                .unwrap_or_default()
                .replace("{{", "{")
                .replace("}}", "}");
            Route {
                method: l.request.method.clone(),
                path,
                response: None,
            }
        })
        .collect();
    if routes.is_empty() {
        anyhow::bail!(
            "{}: the collection has no requests to serve",
            path.display()
        );
    }
    Ok(routes)
}

pub fn config(args: &MockArgs) -> Result<MockConfig> {
    let mut cfg = MockConfig {
        style: args.style.into(),
        region: args.region.clone(),
        clock_skew_secs: args.clock_skew,
        latency: Duration::from_millis(args.latency),
        fail_rate: args.fail_rate,
        max_body_bytes: usize::try_from(args.max_body).unwrap_or(usize::MAX),
        idle_timeout: Duration::from_secs(args.idle_timeout),
        ..MockConfig::default()
    };
    if let Some(p) = &args.keys {
        let keys: Vec<MockKey> = read_json(p)?;
        cfg.keys.extend(keys);
    }
    if let Some(p) = &args.policy {
        cfg.policy = read_json(p)?;
    }
    if let Some(p) = &args.routes {
        cfg.routes = routes_from_file(p)?;
    }
    Ok(cfg)
}

pub fn run(args: MockArgs) -> Result<i32> {
    let cfg = config(&args)?;
    let rt = super::runtime();
    rt.block_on(async {
        let server = mock::start(cfg, args.port).await.context("starting the gateway")?;
        // One write, errors ignored: a reader that only wants the address may hang up.
        let banner = format!(
            "sigscope mock gateway ({:?}) listening on {}\n  stage test: GET/POST /test/pets, GET/DELETE /test/pets/{{petId}}, ANY /test/echo/{{proxy+}}\n  sign with --region {} --service {}, key {} (the AWS documentation example)\n",
            args.style,
            server.base_url(),
            args.region,
            if args.style == StyleArg::LambdaUrl { "lambda" } else { "execute-api" },
            crate::aws::credentials::mask_access_key(mock::DEMO_ACCESS_KEY_ID)
        );
        let mut out = std::io::stdout();
        let _ = std::io::Write::write_all(&mut out, banner.as_bytes());
        let _ = std::io::Write::flush(&mut out);
        tokio::signal::ctrl_c().await.ok();
        drop(server);
        anyhow::Ok(())
    })?;
    Ok(exit::OK)
}
