//! `sigscope send`: sign and send, curl-like, with a diagnosis after any AWS auth failure.

use super::args::{RequestArgs, SigningArgs};
use super::exit;
use super::out;
use crate::diagnose::{clock_warning, diagnose, is_auth_failure};
use crate::http;
use crate::model::redact::{Found, Redactor};
use crate::sign;
use crate::text::{visible_line, visible_text};
use anyhow::{Context, Result};
use clap::Args;
use std::io::{IsTerminal, Write};
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
    /// Seconds before giving up (the whole exchange, body included).
    #[arg(long, default_value = "30", value_parser = super::args::parse_timeout)]
    pub timeout: super::args::Timeout,
    /// Send without signing.
    #[arg(long)]
    pub no_sign: bool,
}

/// Where the body goes: a file, or standard output (escaped when it is a terminal); the
/// last byte written tells whether the output ends its line.
struct BodySink {
    inner: Box<dyn Write + Send>,
    last: Option<u8>,
}

impl BodySink {
    fn open(args: &SendArgs) -> Result<Self> {
        let inner: Box<dyn Write + Send> = match &args.output {
            Some(path) => Box::new(std::io::BufWriter::with_capacity(
                1 << 16,
                std::fs::File::create(path)
                    .with_context(|| format!("writing {}", path.display()))?,
            )),
            None => Box::new(out::Stdout::new(std::io::stdout().is_terminal())),
        };
        Ok(Self { inner, last: None })
    }
}

impl Write for BodySink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        if n > 0 {
            self.last = Some(buf[n - 1]);
        }
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
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
        crate::model::redact::remember(&credentials);
        let mut signed = sign::sign(&request, &credentials, &settings, time)?;
        signed.trace.notes.splice(0..0, target_note);
        signer = Some((credentials, settings.region.clone()));
        (signed.request, Some(signed.trace), settings.service)
    };
    // What -v logs goes through the same redaction as the history.
    let mut redactor = Redactor::known();
    for (n, v) in &wire.headers {
        redactor.add_header(n, v);
    }
    if args.verbose {
        if let Some(t) = &trace {
            let mut found = Found::default();
            err!(
                "{}",
                visible_text(&super::sign::render_trace(&redactor.trace(t, &mut found)))
            );
        }
    }
    let client = http::client(args.timeout.0);
    let sent_at = std::time::SystemTime::now();
    let mut sink = BodySink::open(&args)?;
    // The body streams to its destination; the exchange keeps its first MiB (history,
    // diagnosis). Status and headers go out first, when asked for.
    let keep = http::STREAM_KEEP.max(crate::model::history::body_cap() + 4096);
    let head_to = match (args.include, args.verbose) {
        (true, _) => Some(true),
        (false, true) => Some(false),
        _ => None,
    };
    let mut on_head = |r: &http::Response| -> std::io::Result<()> {
        let Some(to_stdout) = head_to else {
            return Ok(());
        };
        let mut head = format!("HTTP/1.1 {} {}\n", r.status, visible_line(&r.reason));
        let mut found = Found::default();
        for (n, v) in &r.headers {
            // -i shows what the server sent; -v is a log, redacted like the history.
            let v = if to_stdout {
                v.clone()
            } else {
                redactor.scrub(v, &mut found)
            };
            head.push_str(&format!("{}: {}\n", visible_line(n), visible_line(&v)));
        }
        if to_stdout {
            outln!("{head}");
        } else {
            err!("{head}");
        }
        Ok(())
    };
    let streamed = rt.block_on(http::send_to(
        &client,
        wire,
        trace,
        &mut on_head,
        &mut sink,
        keep,
    ));
    let streamed = match streamed {
        Ok(s) => s,
        Err(http::SendToError::Transport(e)) => {
            errln!("error: {:?}: {}", e.kind, visible_text(&e.to_string()));
            return Ok(exit::TRANSPORT);
        }
        Err(http::SendToError::Write(e)) => {
            let to = args
                .output
                .as_ref()
                .map_or("standard output".to_string(), |p| p.display().to_string());
            anyhow::bail!("writing the body to {to}: {e}");
        }
    };
    let exchange = streamed.exchange;
    let r = &exchange.response;
    sink.flush().context("writing the body")?;
    if args.output.is_none() && sink.last.is_some_and(|b| b != b'\n') {
        outln!();
    }
    drop(sink);
    super::history::record(&exchange, None);
    let window = if service == "execute-api" { 300 } else { 900 };
    if let Some(w) = clock_warning(r, sent_at, window) {
        errln!("warning: {}", visible_line(&w));
    }
    if is_auth_failure(r) && !args.no_sign || r.status == 403 {
        let mut d = diagnose(r, exchange.trace.as_ref(), Some(&exchange.request));
        if let Some((credentials, region)) = &signer {
            fill_masked_account(&rt, &mut d, credentials, region);
        }
        err!("{}", visible_text(&super::diagnose::render(&d)));
    }
    errln!(
        "{} {} ({} ms)",
        r.status,
        visible_line(&r.reason),
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
