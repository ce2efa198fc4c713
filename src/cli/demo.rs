//! `sigscope demo`: the local gateway in-process, and the bundled demo collection run against
//! it with the demo credentials (`~/.aws` is neither read nor touched); headless, then the
//! logins (`demo_logins`: an SSO profile and an MFA role in the demo's own AWS files). The
//! workbench gets the same files: its login requests open the sign-in dialog and the MFA
//! prompt.

use super::exit;
use crate::aws::credentials::CredentialSpec;
use crate::diagnose::{diagnose, is_auth_failure};
use crate::http::{self, prepare};
use crate::mock::{self, MockConfig};
use crate::model::{self, Collection};
use crate::text::{visible_line, visible_text};
use anyhow::{Context, Result};
use clap::Args;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

const BUNDLED_DEMO: &str = include_str!("../../collections/demo.json");

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Port for the gateway (default: a free one).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// The demo collection (default: collections/demo.json, else the copy built into sigscope).
    #[arg(long)]
    pub collection: Option<PathBuf>,
    /// Run the requests and print each exchange instead of opening the workbench (the default
    /// when standard output is not a terminal).
    #[arg(long)]
    pub headless: bool,
}

/// The demo collection: a file (editable and saved like any other), else the built-in copy.
fn load_collection(path: Option<&PathBuf>) -> Result<(Collection, Option<model::Loaded>)> {
    let default = PathBuf::from("collections/demo.json");
    let file = match path {
        Some(p) => Some(model::load(p)?),
        None if default.exists() => Some(model::load(&default)?),
        None => None,
    };
    match file {
        Some(l) => Ok((l.collection.clone(), Some(l))),
        None => Ok((
            serde_json::from_str(BUNDLED_DEMO).context("the built-in demo collection")?,
            None,
        )),
    }
}

pub fn run(args: DemoArgs, theme: Option<&str>) -> Result<i32> {
    let (mut collection, file) = load_collection(args.collection.as_ref())?;
    let rt = super::runtime();
    let interactive = std::io::IsTerminal::is_terminal(&std::io::stdout()) && !args.headless;
    rt.block_on(async {
        let config = MockConfig::default();
        let sso = config.sso.clone();
        let server = mock::start(config, args.port)
            .await
            .context("starting the local gateway")?;
        // The login profiles (`demo-sso`, `demo-mfa`) in the demo's own AWS files, and every
        // AWS endpoint pointed at the gateway: for the workbench and the headless run alike.
        let demo_aws = super::demo_logins::use_demo_aws(&server.base_url());
        if interactive {
            if let Err(e) = &demo_aws {
                errln!("warning: the demo's AWS files could not be written ({e}): its login requests will fail");
            }
            let mut app = match file {
                Some(l) => super::open_workbench(vec![l], theme),
                None => {
                    let mut app = crate::tui::app::App::new(collection);
                    crate::tui::config::apply(&mut app, theme);
                    app.history_dir = Some(crate::model::history::history_dir());
                    app
                }
            };
            // The gateway's address wins over the file's and is never saved into it.
            app.overrides.insert("baseUrl".into(), server.base_url());
            // The demo keys sign the profiles they are named for; the login profiles go
            // through the chain with the demo's files (a login dialog, an MFA prompt).
            app.set_fixed_credentials(mock::demo_credentials);
            // Who the demo keys belong to, as the gateway knows them (what whoami would say).
            let config = MockConfig::default();
            if let Some(key) = config.keys.first() {
                let identity = crate::tui::app::Identity {
                    arn: Some(key.principal.clone()),
                    account: Some(config.account.clone()),
                    key: crate::aws::credentials::mask_access_key(&key.access_key_id),
                    expiry: None,
                    source: "the local gateway's demo keys".into(),
                    region: Some(config.region.clone()),
                    note: None,
                    credentials: mock::demo_credentials(Some("demo")),
                };
                app.know_identity(Some("demo".into()), identity.clone());
                app.know_identity(None, identity);
            }
            crate::tui::run(app).await?;
            drop(server);
            return anyhow::Ok(());
        }
        collection
            .variables
            .insert("baseUrl".into(), server.base_url());
        outln!(
            "sigscope demo: local IAM-protected gateway on {} (stage 'test', region us-east-1)",
            server.base_url()
        );
        outln!(
            "collection '{}': {} requests\n",
            visible_line(&collection.name),
            collection.requests.len()
        );
        let client = http::client(Duration::from_secs(10));
        for located in collection.walk() {
            let spec = located.request;
            outln!("── {} ──", visible_line(&spec.name));
            if let Some(d) = &spec.description {
                outln!("   {}", visible_text(d).replace('\n', "\n   "));
            }
            let prepared = match prepare::prepare(&collection, None, &located) {
                Ok(p) => p,
                Err(e) => {
                    outln!("   not sent: {}\n", visible_line(&e));
                    continue;
                }
            };
            let (wire, trace) = match &prepared.signing {
                None => (prepared.request.clone(), None),
                Some(plan) => {
                    let profile = match &plan.credentials {
                        CredentialSpec::Chain { profile } => profile.as_deref(),
                        CredentialSpec::Fixed(_) => None,
                    };
                    let Some(creds) = mock::demo_credentials(profile) else {
                        // The login profiles sign in first: the section after this one.
                        outln!(
                            "   signed as profile '{}': sent in the Logins section below\n",
                            visible_line(profile.unwrap_or_default())
                        );
                        continue;
                    };
                    let signed =
                        prepare::sign_prepared(&prepared.request, plan, &creds, SystemTime::now())?;
                    (signed.request, Some(signed.trace))
                }
            };
            outln!("   {} {}", wire.method, visible_line(&wire.target()));
            if let Some(t) = &trace {
                outln!(
                    "   signed headers: {}   scope: {}",
                    t.signed_headers.join(";"),
                    t.credential_scope
                );
            }
            match http::send(&client, wire, trace).await {
                Err(e) => outln!(
                    "   transport failure ({:?}): {}\n",
                    e.kind,
                    visible_line(&e.to_string())
                ),
                Ok(x) => {
                    let r = &x.response;
                    let body = String::from_utf8_lossy(&r.body);
                    let short: String = body.chars().take(160).collect();
                    outln!(
                        "   → {} {} ({} ms) {}",
                        r.status,
                        r.reason,
                        x.timing.total.as_millis(),
                        visible_line(&short.replace('\n', "\\n"))
                    );
                    if is_auth_failure(r) {
                        let d = diagnose(r, x.trace.as_ref(), Some(&x.request));
                        outln!("   diagnosis: {}", d.kind.as_str());
                        outln!("   {}", visible_line(&d.summary));
                        if let Some(step) = d.next_steps.first() {
                            outln!(
                                "   next: {}",
                                visible_text(step).replace('\n', "\n         ")
                            );
                        }
                    }
                    outln!();
                }
            }
        }
        match demo_aws {
            Ok(files) => super::demo_logins::walk(&server.base_url(), &files, &sso, &client).await,
            Err(e) => {
                outln!("── Logins ──\n   skipped: the demo's AWS files could not be written: {e}")
            }
        }
        drop(server);
        anyhow::Ok(())
    })?;
    Ok(exit::OK)
}
