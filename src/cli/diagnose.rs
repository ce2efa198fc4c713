//! `sigscope diagnose`: name the cause of a saved AWS error response.

use super::exit;
use crate::diagnose::{diagnose, Diagnosis};
use crate::http::Response;
use crate::sign::SigningTrace;
use crate::text::visible_text;
use anyhow::{Context, Result};
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct DiagnoseArgs {
    /// A raw HTTP response: status line, headers, blank line, body.
    #[arg(long)]
    pub response: PathBuf,
    /// The `sigscope sign --json` output for the request that was sent (enables the diff).
    #[arg(long)]
    pub trace: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: DiagnoseArgs) -> Result<i32> {
    let raw = std::fs::read(&args.response)
        .with_context(|| format!("reading {}", args.response.display()))?;
    let response = Response::parse_raw(&raw)
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.response.display()))?;
    let trace: Option<SigningTrace> =
        match &args.trace {
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .with_context(|| format!("reading {}", p.display()))?;
                Some(serde_json::from_str(&text).with_context(|| {
                    format!("{} is not `sigscope sign --json` output", p.display())
                })?)
            }
            None => None,
        };
    let d = diagnose(&response, trace.as_ref(), None);
    if args.json {
        outln!("{}", visible_text(&serde_json::to_string_pretty(&d)?));
    } else {
        out!("{}", visible_text(&render(&d)));
    }
    Ok(exit::OK)
}

/// A diagnosis as text: the kind on a line of its own, then summary, evidence, diff, steps.
pub fn render(d: &Diagnosis) -> String {
    let mut out = format!("diagnosis: {}\n{}\n", d.kind.as_str(), d.summary);
    let e = &d.evidence;
    for (label, value) in [
        ("error", &e.error_code),
        ("principal", &e.principal),
        ("action", &e.action),
        ("resource", &e.resource),
        ("request time", &e.request_time),
        ("server time", &e.server_time),
        ("region wanted", &e.wanted_region),
        ("service wanted", &e.wanted_service),
    ] {
        if let Some(v) = value {
            out.push_str(&format!("  {label}: {v}\n"));
        }
    }
    if let Some(diff) = &d.diff {
        out.push_str("canonical request, ours (-) vs the server's (+):\n");
        for (i, line) in diff.lines.iter().enumerate() {
            let mark = match line.side {
                crate::diagnose::diff::Side::Both => ' ',
                crate::diagnose::diff::Side::Ours => '-',
                crate::diagnose::diff::Side::Server => '+',
            };
            let first = if Some(i) == diff.first_difference {
                "  <-- first difference"
            } else {
                ""
            };
            out.push_str(&format!("  {mark} {}{first}\n", line.text));
        }
    }
    if !d.next_steps.is_empty() {
        out.push_str("next steps:\n");
        for s in &d.next_steps {
            out.push_str(&format!("  - {}\n", s.replace('\n', "\n    ")));
        }
    }
    out
}
