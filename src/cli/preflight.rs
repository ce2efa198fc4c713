//! `sigscope preflight URL --origin O`: the CORS preflight a browser sends before the
//! request described (curl-like: `-X`, `-H`, `-d`), sent unsigned as browsers send it, and
//! whether the page could go on (`diagnose::cors`). Exit 0 when allowed, 3 when refused.

use super::args::RequestArgs;
use super::exit;
use crate::diagnose::cors::{evaluate, PreflightAsk};
use crate::http;
use crate::text::{visible_line, visible_text};
use anyhow::Result;
use clap::Args;

#[derive(Debug, Args)]
pub struct PreflightArgs {
    #[command(flatten)]
    pub request: RequestArgs,
    /// The page's origin, e.g. https://app.example.com.
    #[arg(long)]
    pub origin: String,
    /// The request headers the page sends, comma-separated (default: the request's headers
    /// that need permission, plus the SigV4 headers unless --no-sign).
    #[arg(long, value_name = "LIST")]
    pub request_headers: Option<String>,
    /// The page's request is not signed (no Authorization, X-Amz-Date, X-Amz-Security-Token).
    #[arg(long)]
    pub no_sign: bool,
    /// The page signs the body's hash as x-amz-content-sha256 (S3, Lambda behind CloudFront).
    #[arg(long)]
    pub sign_body: bool,
    #[command(flatten)]
    pub network: super::network::NetworkArgs,
    /// Seconds before giving up.
    #[arg(long, visible_alias = "max-time", default_value = "30", value_parser = super::args::parse_timeout)]
    pub timeout: super::args::Timeout,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: PreflightArgs) -> Result<i32> {
    let (request, _) = args.request.build_for_send()?;
    let mut ask = PreflightAsk::for_request(&args.origin, &request, !args.no_sign, args.sign_body);
    if let Some(list) = &args.request_headers {
        let mut headers: Vec<String> = list
            .split(',')
            .map(|h| h.trim().to_ascii_lowercase())
            .filter(|h| !h.is_empty())
            .collect();
        headers.sort();
        headers.dedup();
        ask.headers = headers;
    }
    let options = ask.request(&request);
    let url = options.url();
    let mut network = args
        .network
        .apply(super::network::with_timeout(
            crate::http::client::ClientSettings::default(),
            args.timeout.0,
            "--timeout",
        ))?
        .for_url(&url);
    let client = super::network::client(&mut network)?;
    super::network::announce(&network, &url, false);
    let rt = super::runtime();
    let exchange = match rt.block_on(http::send(&client, options, None)) {
        Ok(x) => x,
        Err(e) => {
            let e = e.with_settings(&network, &url);
            errln!(
                "error: no response ({}): {}",
                e.kind.as_str(),
                visible_line(&e.explanation)
            );
            let d = crate::diagnose::transport::diagnose(&e, &url);
            err!("{}", visible_text(&super::diagnose::render_transport(&d)));
            return Ok(exit::TRANSPORT);
        }
    };
    let verdict = evaluate(&ask, &exchange.response);
    if args.json {
        outln!("{}", visible_text(&serde_json::to_string_pretty(&verdict)?));
    } else {
        outln!(
            "OPTIONS {} (Origin: {}, Access-Control-Request-Method: {}{})",
            visible_line(&url),
            visible_line(&ask.origin),
            visible_line(&ask.method),
            if ask.headers.is_empty() {
                String::new()
            } else {
                format!(
                    ", Access-Control-Request-Headers: {}",
                    visible_line(&ask.headers.join(","))
                )
            }
        );
        outln!(
            "{} {}",
            exchange.response.status,
            visible_line(&exchange.response.reason)
        );
        outln!(
            "{}: {}",
            if verdict.allowed {
                "allowed"
            } else {
                "REFUSED"
            },
            visible_line(&verdict.summary)
        );
        for c in &verdict.checks {
            outln!(
                "  {} {}",
                if c.ok { "ok" } else { "NO" },
                visible_line(&c.text)
            );
        }
        if !verdict.next_steps.is_empty() {
            outln!("next steps:");
            for s in &verdict.next_steps {
                outln!("  - {}", visible_line(s));
            }
        }
    }
    Ok(if verdict.allowed {
        exit::OK
    } else {
        exit::HTTP_ERROR
    })
}
