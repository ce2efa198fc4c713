//! `sigscope doctor URL`: the stepper (`diagnose::doctor`), printed as it goes.

use super::args::{RequestArgs, SigningArgs};
use super::exit;
use crate::diagnose::doctor::{self, Status, STEPS};
use anyhow::Result;
use clap::Args;
use std::time::Duration;

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

pub fn run(args: DoctorArgs) -> Result<i32> {
    let (request, target_note) = args.request.build_for_send()?;
    if let Some(note) = target_note {
        println!("note: {note}");
    }
    let rt = super::runtime();
    let client = crate::http::client(Duration::from_secs(15));
    let settings = args.signing.settings(&request).map_err(|e| e.to_string());
    let steps = rt.block_on(async {
        let creds = args.signing.resolve().await.map_err(|e| e.to_string());
        let mut n = 0;
        doctor::run(
            &client,
            &request,
            creds,
            settings,
            args.skip_identity,
            &mut |step| {
                n += 1;
                let mark = match step.status {
                    Status::Ok => "ok  ",
                    Status::Skipped => "skip",
                    Status::Failed => "FAIL",
                };
                println!(
                    "[{n}/{STEPS}] {mark} {}: {}",
                    step.name,
                    step.detail.replace('\n', "\n           ")
                );
            },
        )
        .await
    });
    let failed = steps.iter().any(|s| s.status == Status::Failed);
    Ok(if failed { exit::HTTP_ERROR } else { exit::OK })
}
