//! `sigscope send`: sign and send, curl-like, with a diagnosis after any AWS auth failure.

use super::args::{RequestArgs, SigningArgs};
use super::exit;
use crate::diagnose::{clock_warning, diagnose, is_auth_failure};
use crate::http;
use crate::sign;
use anyhow::{Context, Result};
use clap::Args;
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Args)]
pub struct SendArgs {
    #[command(flatten)]
    pub request: RequestArgs,
    #[command(flatten)]
    pub signing: SigningArgs,
    /// Include the response status line and headers in the output.
    #[arg(short = 'i', long)]
    pub include: bool,
    /// Print the signing trace and the exchange to stderr.
    #[arg(short = 'v', long)]
    pub verbose: bool,
    /// Write the body to FILE instead of stdout.
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
    /// Seconds before giving up.
    #[arg(long, default_value_t = 30.0)]
    pub timeout: f64,
    /// Send without signing.
    #[arg(long)]
    pub no_sign: bool,
}

pub fn run(args: SendArgs) -> Result<i32> {
    let (request, target_note) = args.request.build_for_send()?;
    let rt = super::runtime();
    let mut signer = None;
    let (wire, trace, service) = if args.no_sign {
        (request, None, String::new())
    } else {
        let settings = args.signing.settings(&request)?;
        let time = args.signing.time()?;
        let credentials = rt.block_on(args.signing.resolve())?;
        let mut signed = sign::sign(&request, &credentials, &settings, time)?;
        signed.trace.notes.splice(0..0, target_note);
        signer = Some((credentials, settings.region.clone()));
        (signed.request, Some(signed.trace), settings.service)
    };
    if args.verbose {
        if let Some(t) = &trace {
            eprint!("{}", super::sign::render_trace(&t.redacted()));
        }
    }
    let client = http::client(Duration::from_secs_f64(args.timeout.max(0.001)));
    let sent_at = std::time::SystemTime::now();
    let exchange = match rt.block_on(http::send(&client, wire, trace)) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("error: {:?}: {e}", e.kind);
            return Ok(exit::TRANSPORT);
        }
    };
    super::history::record(&exchange, None);
    let r = &exchange.response;
    let mut stdout = std::io::stdout().lock();
    if args.include || args.verbose {
        let mut head = format!("HTTP/1.1 {} {}\n", r.status, r.reason);
        for (n, v) in &r.headers {
            head.push_str(&format!("{n}: {v}\n"));
        }
        if args.include {
            writeln!(stdout, "{head}")?;
        } else {
            eprint!("{head}");
        }
    }
    match &args.output {
        Some(path) => {
            std::fs::write(path, &r.body).with_context(|| format!("writing {}", path.display()))?
        }
        None => {
            stdout.write_all(&r.body)?;
            if !r.body.ends_with(b"\n") && !r.body.is_empty() {
                writeln!(stdout)?;
            }
        }
    }
    let window = if service == "execute-api" { 300 } else { 900 };
    if let Some(w) = clock_warning(r, sent_at, window) {
        eprintln!("warning: {w}");
    }
    if is_auth_failure(r) && !args.no_sign || r.status == 403 {
        let mut d = diagnose(r, exchange.trace.as_ref(), Some(&exchange.request));
        if let Some((credentials, region)) = &signer {
            fill_masked_account(&rt, &mut d, credentials, region);
        }
        eprint!("{}", super::diagnose::render(&d));
    }
    eprintln!(
        "{} {} ({} ms)",
        r.status,
        r.reason,
        exchange.timing.total.as_millis()
    );
    Ok(if r.status >= 400 {
        exit::HTTP_ERROR
    } else {
        exit::OK
    })
}

/// AWS masks the account in access-denied messages; the caller's own account (STS
/// GetCallerIdentity, a few seconds at most) fills it in, so the suggested policy statement
/// is ready to paste. Without an answer the diagnosis is left as it is.
fn fill_masked_account(
    rt: &tokio::runtime::Runtime,
    d: &mut crate::diagnose::Diagnosis,
    credentials: &crate::aws::credentials::Credentials,
    region: &str,
) {
    let masked = |s: &String| s.contains("********");
    if !(masked(&d.summary) || d.next_steps.iter().any(masked)) {
        return;
    }
    let client = http::client(Duration::from_secs(5));
    let endpoint = crate::aws::sts::endpoint(region);
    let Ok(who) = rt.block_on(crate::aws::sts::caller_identity(
        &client,
        credentials,
        &endpoint,
        region,
    )) else {
        return;
    };
    let fill = |s: &str| crate::diagnose::fill_account(s, &who.account);
    d.summary = fill(&d.summary);
    for s in &mut d.next_steps {
        *s = fill(s);
    }
}
