//! `sigscope sign`: sign offline and print the trace.

use super::args::{RequestArgs, SigningArgs};
use super::exit;
use crate::sign::{self, SigningTrace};
use anyhow::Result;
use clap::Args;

#[derive(Debug, Args)]
pub struct SignArgs {
    #[command(flatten)]
    pub request: RequestArgs,
    #[command(flatten)]
    pub signing: SigningArgs,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: SignArgs) -> Result<i32> {
    let request = args.request.build()?;
    let settings = args.signing.settings(&request)?;
    let time = args.signing.time()?;
    let credentials = super::runtime().block_on(args.signing.resolve())?;
    let signed = sign::sign(&request, &credentials, &settings, time)?;
    let trace = if args.signing.show_token {
        signed.trace
    } else {
        signed.trace.redacted()
    };
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&trace)?);
    } else {
        out!("{}", render_trace(&trace));
    }
    Ok(exit::OK)
}

/// The trace as text under clear headings (also `send -v`).
pub fn render_trace(t: &SigningTrace) -> String {
    let mut out = String::new();
    let mut section = |title: &str, body: &str| {
        out.push_str(&format!("== {title} ==\n{body}\n\n"));
    };
    section("Canonical request", &t.canonical_request);
    section("String to sign", &t.string_to_sign);
    section("Signed headers", &t.signed_headers.join(";"));
    if !t.unsigned_headers.is_empty() {
        section(
            "Sent, not signed (proxies may change them; --sign-header NAME signs one)",
            &t.unsigned_headers.join(";"),
        );
    }
    section("Credential scope", &t.credential_scope);
    section("Signature", &t.signature);
    match (&t.authorization, &t.presigned_query) {
        (Some(a), _) => section("Authorization", a),
        (None, Some(_)) => section("Presigned URL", &t.url),
        _ => {}
    }
    section("Signed request", t.signed_request.trim_end());
    if !t.notes.is_empty() {
        section("Notes", &t.notes.join("\n"));
    }
    out
}
