//! `sigscope why`: asks IAM's policy simulator which statement decides an action on a
//! resource for a principal (`diagnose::simulate`), and the offer `send` makes after an
//! access-denied (`send --why` asks at once).

use super::exit;
use crate::aws::credentials::{resolve, CredentialSpec, Credentials};
use crate::diagnose::simulate::{self, Simulation, SimulationAsk};
use crate::diagnose::{Diagnosis, Kind};
use crate::text::visible_line;
use anyhow::{bail, Result};
use clap::Args;
use std::time::Duration;

#[derive(Debug, Args)]
pub struct WhyArgs {
    /// The principal denied: a user or role ARN, or an assumed-role session's ARN.
    #[arg(long)]
    pub principal: String,
    /// The action, e.g. execute-api:Invoke.
    #[arg(long)]
    pub action: String,
    /// The resource ARN (default: *).
    #[arg(long, default_value = "*")]
    pub resource: String,
    /// The profile that asks the simulator (it needs iam:SimulatePrincipalPolicy).
    #[arg(long)]
    pub profile: Option<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: WhyArgs) -> Result<i32> {
    let Some(source) = simulate::policy_source(&args.principal) else {
        bail!(
            "'{}' is not a user, role or assumed-role ARN: the simulator takes those (root and anonymous callers have no policies to simulate)",
            args.principal
        );
    };
    let question = SimulationAsk {
        policy_source_arn: source,
        principal: args.principal.clone(),
        action: args.action.clone(),
        resource: args.resource.clone(),
    };
    let rt = super::runtime();
    let creds = rt.block_on(resolve(&CredentialSpec::Chain {
        profile: args.profile.clone(),
    }))?;
    let answer = rt.block_on(ask(&creds, &question));
    if args.json {
        outln!(
            "{}",
            crate::text::visible_text(&serde_json::to_string_pretty(&answer)?)
        );
    } else {
        for line in simulate::explain(&question, &answer) {
            outln!("{}", visible_line(&line));
        }
    }
    Ok(match answer {
        Simulation::Decided { .. } => exit::OK,
        Simulation::SimulatorDenied { .. } => exit::HTTP_ERROR,
        Simulation::Failed { .. } => exit::TRANSPORT,
    })
}

async fn ask(creds: &Credentials, q: &SimulationAsk) -> Simulation {
    let client = crate::http::client(Duration::from_secs(15));
    simulate::ask(&client, creds, &simulate::endpoint(), q).await
}

/// The offer after an access-denied that names its principal.
pub fn offer(d: &Diagnosis) -> Option<String> {
    if d.kind != Kind::AccessDenied {
        return None;
    }
    let q = SimulationAsk::from_diagnosis(d, None)?;
    Some(format!(
        "why? IAM's policy simulator can say which statement decides: add --why, or run\n  sigscope why --principal {} --action {} --resource {}",
        q.principal, q.action, q.resource
    ))
}

/// `send --why`: the simulator's answer for this denial, with the caller's credentials.
pub fn answer(
    rt: &tokio::runtime::Runtime,
    d: &Diagnosis,
    creds: &Credentials,
    account: Option<&str>,
) -> Option<Vec<String>> {
    let q = SimulationAsk::from_diagnosis(d, account)?;
    let s = rt.block_on(ask(creds, &q));
    Some(simulate::explain(&q, &s))
}
