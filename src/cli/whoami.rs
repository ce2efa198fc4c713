//! `sigscope whoami` and `sigscope profiles` (each profile with its status: ready until when,
//! needs login, needs MFA, broken and why).

use super::exit;
use crate::aws::config::AwsConfig;
use crate::aws::credentials::{chain_region, resolve, CredentialSpec};
use crate::aws::files::home_dir;
use crate::aws::profiles::{list_profiles, AwsFiles};
use crate::aws::status::{profile_status, ProfileStatus, StatusView};
use crate::aws::sts;
use crate::text::{visible_line, visible_text};
use anyhow::Result;
use clap::Args;
use std::time::{Duration, SystemTime};

#[derive(Debug, Args)]
pub struct WhoamiArgs {
    #[arg(long)]
    pub profile: Option<String>,
    /// Region of the STS endpoint to call (default: the chain's, else us-east-1).
    #[arg(long)]
    pub region: Option<String>,
    /// STS endpoint (default: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, or the regional endpoint).
    #[arg(long)]
    pub endpoint_url: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ProfilesArgs {
    #[arg(long)]
    pub json: bool,
}

pub fn run_whoami(args: WhoamiArgs) -> Result<i32> {
    let rt = super::runtime();
    let creds = rt.block_on(resolve(&CredentialSpec::Chain {
        profile: args.profile.clone(),
    }))?;
    let region = args
        .region
        .clone()
        .or_else(|| chain_region(args.profile.as_deref()))
        .unwrap_or_else(|| "us-east-1".into());
    let endpoint = args
        .endpoint_url
        .clone()
        .unwrap_or_else(|| sts::endpoint(&region));
    let client = crate::http::client(Duration::from_secs(15));
    match rt.block_on(sts::caller_identity(&client, &creds, &endpoint, &region)) {
        Ok(id) => {
            let expiry = creds.expiry.map(httpdate::fmt_http_date);
            if args.json {
                let json = serde_json::json!({
                    "account": id.account, "arn": id.arn, "user_id": id.user_id,
                    "access_key_id": creds.masked_access_key(), "source": creds.source,
                    "expires": expiry,
                });
                // serde_json leaves DEL and the C1 controls as they are.
                outln!("{}", visible_text(&json.to_string()));
            } else {
                outln!("account:    {}\narn:        {}\nuser id:    {}\naccess key: {}\nsource:     {}",
                    visible_line(&id.account), visible_line(&id.arn), visible_line(&id.user_id),
                    creds.masked_access_key(), visible_line(&creds.source));
                outln!(
                    "expires:    {}",
                    expiry.unwrap_or_else(|| "never (long-term keys)".into())
                );
            }
            Ok(exit::OK)
        }
        Err(sts::StsError::Rejected(x)) => {
            let d = crate::diagnose::diagnose(&x.response, x.trace.as_ref(), Some(&x.request));
            err!("{}", visible_text(&super::diagnose::render(&d)));
            Ok(exit::HTTP_ERROR)
        }
        Err(sts::StsError::Transport(e)) => {
            errln!("error: {:?}: {}", e.kind, visible_text(&e.to_string()));
            Ok(exit::TRANSPORT)
        }
        Err(e) => Err(e.into()),
    }
}

pub fn run_profiles(args: ProfilesArgs) -> Result<i32> {
    let files = AwsFiles::from_env();
    let profiles = list_profiles(&files);
    let config = AwsConfig::load(&files);
    let (home, now) = (home_dir(), SystemTime::now());
    let statuses: Vec<ProfileStatus> = profiles
        .iter()
        .map(|p| profile_status(&config, &p.name, &home, now))
        .collect();
    if args.json {
        let out: Vec<serde_json::Value> = profiles
            .iter()
            .zip(&statuses)
            .map(|(p, s)| {
                let mut v = serde_json::to_value(p).unwrap_or_default();
                v["status"] = serde_json::to_value(StatusView::new(&p.name, s)).unwrap_or_default();
                v
            })
            .collect();
        // serde_json leaves DEL and the C1 controls as they are.
        outln!("{}", visible_text(&serde_json::to_string_pretty(&out)?));
        return Ok(exit::OK);
    }
    if profiles.is_empty() {
        outln!(
            "no profiles in {} or {}",
            files.config.display(),
            files.credentials.display()
        );
        return Ok(exit::OK);
    }
    outln!("{:<24} {:<13} {:<14} STATUS", "PROFILE", "KIND", "REGION");
    for (p, status) in profiles.into_iter().zip(statuses) {
        let next = status
            .command(&p.name)
            .map(|c| format!(" → run `{}`", visible_line(&c)))
            .unwrap_or_default();
        outln!(
            "{:<24} {:<13} {:<14} {}{next}",
            visible_line(&p.name),
            p.kind.to_string(),
            visible_line(&p.region.unwrap_or_else(|| "-".into())),
            visible_line(&status.summary()),
        );
    }
    Ok(exit::OK)
}
