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
    #[command(flatten)]
    pub network: super::network::NetworkArgs,
}

pub fn run(args: DoctorArgs) -> Result<i32> {
    let (request, target_note) = args.request.build_for_send()?;
    if let Some(note) = target_note {
        outln!("note: {note}");
    }
    let rt = super::runtime();
    let url = request.url();
    let mut network = args.network.apply(super::network::with_timeout(
        crate::http::client::ClientSettings::default(),
        Duration::from_secs(15),
        "the doctor's 15 s",
    ))?;
    network.aws_profile = Some(args.signing.profile.clone());
    let mut network = network.for_url(&url);
    let client = super::network::client(&mut network)?;
    super::network::announce(&network, &url, true);
    let settings = args.signing.settings(&request).map_err(|e| e.to_string());
    let steps = rt.block_on(async {
        let creds = args.signing.resolve().await.map_err(|e| e.to_string());
        let mut n = 0;
        doctor::run_with(
            &client,
            &network,
            &request,
            creds,
            settings,
            args.skip_identity,
            &crate::diagnose::Advice::default(),
            &mut |step| {
                n += 1;
                let mark = match step.status {
                    Status::Ok => "ok  ",
                    Status::Skipped => "skip",
                    Status::Failed => "FAIL",
                };
                outln!(
                    "[{n}/{STEPS}] {mark} {}: {}",
                    step.name,
                    crate::text::visible_text(&step.detail).replace('\n', "\n           ")
                );
            },
        )
        .await
    });
    Ok(exit_code(&steps))
}

/// The steps that send something over the network.
const NETWORK_STEPS: [&str; 4] = [
    "identity via STS",
    "our clock vs the server's",
    "a signed GET without a body",
    "the request itself",
];

/// 0 when every step passed; for the failed one: 4 when a network step got no response at
/// all (its detail does not start with an HTTP status, as answered steps' do), 1 for a
/// local problem (credentials, region, signing), 3 otherwise (the server said no).
fn exit_code(steps: &[doctor::Step]) -> i32 {
    let Some(failed) = steps.iter().find(|s| s.status == Status::Failed) else {
        return exit::OK;
    };
    let answered = failed.detail.starts_with("STS answered")
        || failed.detail.len() >= 4
            && failed.detail.as_bytes()[..3].iter().all(u8::is_ascii_digit)
            && failed.detail.as_bytes()[3] == b' ';
    match failed.name {
        "credentials resolve" | "region and service vs the host" | "signing round trip" => {
            exit::USAGE
        }
        "our clock vs the server's" if failed.detail.starts_with("your clock is") => {
            exit::HTTP_ERROR
        }
        name if NETWORK_STEPS.contains(&name) && !answered => exit::TRANSPORT,
        _ => exit::HTTP_ERROR,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::doctor::Step;

    fn failed(name: &'static str, detail: &str) -> Vec<Step> {
        vec![
            Step {
                name: "credentials resolve",
                status: Status::Ok,
                detail: String::new(),
            },
            Step {
                name,
                status: Status::Failed,
                detail: detail.into(),
            },
        ]
    }

    #[test]
    fn no_response_is_a_transport_exit_and_an_answer_is_an_http_one() {
        let dead = "the server did not answer: connection refused by 127.0.0.1 (…)";
        assert_eq!(exit_code(&failed("our clock vs the server's", dead)), 4);
        assert_eq!(
            exit_code(&failed(
                "the request itself",
                "Reset: the connection was reset"
            )),
            4
        );
        assert_eq!(
            exit_code(&failed(
                "the request itself",
                "403 Forbidden — diagnosis: access-denied: …"
            )),
            3
        );
        assert_eq!(
            exit_code(&failed(
                "our clock vs the server's",
                "your clock is 900s off"
            )),
            3
        );
        assert_eq!(
            exit_code(&failed("credentials resolve", "no AWS credentials")),
            1
        );
        assert_eq!(
            exit_code(&failed(
                "identity via STS",
                "timed out (pass --skip-identity …)"
            )),
            4
        );
    }
}
