//! The work behind commands, off the UI loop: network in async tasks, disk and CPU-heavy
//! formatting on the blocking pool. Each answers with one message. The loop spawns these;
//! whole-app tests await them directly.

use super::messages::{Command, Identity, Message, NoCredentials, SaveFailure, SendError};
use crate::aws::credentials::{resolve, CredentialSpec, Credentials};
use crate::http::prepare::{self, Prepared};
use crate::http::Exchange;
use crate::model::{drafts, history, store};

/// Where the tasks get the environment's HTTP client: a client, or one built on first use.
pub trait ClientSource: Sync {
    fn client(&self) -> &reqwest::Client;
}

impl ClientSource for reqwest::Client {
    fn client(&self) -> &reqwest::Client {
        self
    }
}

/// The environment's HTTP client, built when a task first needs it: building it reads the
/// system's root certificates (a few MB resident), which a workbench that sends nothing, or
/// has not sent yet, does not need.
#[derive(Clone, Default)]
pub struct LazyClient(std::sync::Arc<std::sync::OnceLock<reqwest::Client>>);

impl ClientSource for LazyClient {
    fn client(&self) -> &reqwest::Client {
        self.0
            .get_or_init(|| crate::http::client(std::time::Duration::from_secs(30)))
    }
}

/// Runs a command that needs no terminal; `None` for those that do (copy, editor, quit).
pub async fn perform<C: ClientSource + ?Sized>(cmd: Command, client: &C) -> Option<Message> {
    Some(match cmd {
        Command::Send {
            id,
            prepared,
            credentials,
            record,
        } => {
            let result = send(client.client(), *prepared, credentials).await;
            if let (Ok((x, file)), Some(r)) = (&result, record) {
                let x = x.clone();
                let whole = file.as_ref().map(|f| f.len);
                // The exchange is shown first; the history file is written after.
                tokio::task::spawn_blocking(move || {
                    let request = history::RequestRef {
                        name: Some(&r.name),
                        id: r.id.as_deref(),
                        whole_body_bytes: whole,
                    };
                    let _ = history::record_for(&r.dir, &x, request);
                });
            }
            match result {
                Ok((exchange, Some(file))) => Message::SentToFile { id, exchange, file },
                Ok((exchange, None)) => Message::Sent {
                    id,
                    result: Ok(exchange),
                },
                Err(e) => Message::Sent { id, result: Err(e) },
            }
        }
        Command::Doctor {
            id,
            prepared,
            credentials,
            advice,
        } => Message::Checked {
            id,
            steps: doctor(client.client(), *prepared, credentials, &advice).await,
        },
        Command::Why {
            id,
            ask,
            credentials,
            spec,
            endpoint,
        } => {
            use crate::diagnose::simulate;
            let lines = match credentials {
                Some(c) => Ok(c),
                None => resolve(&spec).await.map_err(|e| e.to_string()),
            };
            let lines = match lines {
                Ok(creds) => {
                    let answer = simulate::ask(client.client(), &creds, &endpoint, &ask).await;
                    simulate::explain(&ask, &answer)
                }
                Err(e) => vec![format!("the simulator was not asked: no credentials: {e}")],
            };
            Message::WhyAnswered { id, lines }
        }
        Command::Format { id, shown } => {
            let lines = blocking(move || crate::body::display(shown.kind, &shown.raw)).await?;
            Message::Formatted { id, lines }
        }
        Command::Jq { id, filter, body } => {
            let f = filter.clone();
            let result = blocking(move || {
                crate::body::jq::run(&f, &body).map(|s| crate::body::Lines::new(s.into()))
            })
            .await?;
            Message::JqDone { id, filter, result }
        }
        Command::Search { id, lines, needle } => {
            let n = needle.clone();
            let lines = blocking(move || lines.find_all(&n)).await?;
            Message::Found { id, needle, lines }
        }
        Command::Save {
            doc,
            seq,
            mut loaded,
            overwrite,
        } => {
            let result = blocking(move || match store::save(&mut loaded, overwrite) {
                Ok(()) => Ok(loaded.fingerprint),
                Err(store::SaveError::Conflict(_)) => Err(SaveFailure::Conflict),
                Err(e) => Err(SaveFailure::Other(e.to_string())),
            })
            .await?;
            Message::Saved { doc, seq, result }
        }
        Command::Reload { doc, path } => Message::Reloaded {
            doc,
            result: blocking(move || store::load(&path).map_err(|e| e.to_string())).await?,
        },
        Command::WriteDraft { dir, loaded } => {
            match blocking(move || drafts::write(&dir, &loaded)).await? {
                Ok(()) => return None,
                Err(e) => Message::DraftFailed(e.to_string()),
            }
        }
        Command::RemoveDraft { dir, path } => {
            blocking(move || drafts::remove(&dir, &path)).await?;
            return None;
        }
        Command::LoadHistory { dir, name, id } => {
            let n = name.clone();
            let entries = blocking(move || history::for_request(&dir, id.as_deref(), &n)).await?;
            Message::History { name, entries }
        }
        Command::Identity { profile } => Message::Identity {
            result: identity(client, profile.clone()).await,
            profile,
        },
        Command::Task(task) => return task.0.await,
        Command::HashFile { path } => {
            let p = path.clone();
            Message::FileHashed {
                result: blocking(move || hash_file(&p)).await?,
                path,
            }
        }
        Command::EditExternally { .. }
        | Command::Watch(_)
        | Command::Copy(_)
        | Command::CancelSend
        | Command::Quit
        | Command::Exit(_) => return None,
    })
}

/// Runs `f` on the blocking pool (disk, CPU-heavy work); `None` if it was cancelled.
pub async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    tokio::task::spawn_blocking(f).await.ok()
}

/// Reads a deferred `file` body on the blocking pool.
async fn load_body(mut prepared: Prepared) -> Result<Prepared, String> {
    if prepared.body_file.is_none() {
        return Ok(prepared);
    }
    blocking(move || prepared.load_body().map(|()| prepared))
        .await
        .unwrap_or_else(|| Err("reading the body file was cancelled".into()))
}

/// The SHA-256 (hex) of a body file, read in chunks.
fn hash_file(path: &str) -> Result<String, String> {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let err = |e: std::io::Error| format!("body file '{path}': {e}");
    let mut file = std::fs::File::open(path).map_err(err)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        match file.read(&mut buf).map_err(err)? {
            0 => break,
            n => hasher.update(&buf[..n]),
        }
    }
    Ok(hex::encode(hasher.finalize()))
}

/// Reads a deferred body, resolves credentials (when not given), signs, sends; a failure
/// says which step stopped it.
/// `Some` body file when the response was too large for memory (the exchange then holds its
/// first part).
type Sent = (
    Box<Exchange>,
    Option<std::sync::Arc<crate::body::file::BodyFile>>,
);

pub async fn send(
    client: &reqwest::Client,
    prepared: Prepared,
    credentials: Option<Credentials>,
) -> Result<Sent, SendError> {
    let prepared = load_body(prepared).await.map_err(SendError::Prepare)?;
    let (wire, trace) = match &prepared.signing {
        None => (prepared.request.clone(), None),
        Some(plan) => {
            let creds = match credentials {
                Some(c) => c,
                None => resolve(&plan.credentials)
                    .await
                    .map_err(|e| match e.remedy() {
                        Some(_) => SendError::CredentialsNeeded(NoCredentials::from(&e)),
                        None => SendError::Credentials(e.to_string()),
                    })?,
            };
            // What these credentials hold is scrubbed from history like the CLI's.
            crate::model::redact::remember(&creds);
            let signed = prepare::sign_prepared(
                &prepared.request,
                plan,
                &creds,
                std::time::SystemTime::now(),
            )
            .map_err(|e| SendError::Sign(e.to_string()))?;
            (signed.request, Some(signed.trace))
        }
    };
    let url = wire.url();
    // The request's own network settings (CA files, proxy, client certificate...); the
    // files are read off the loop, once per distinct settings.
    let settings = prepared.network.clone();
    let own = {
        let settings = settings.clone();
        blocking(move || crate::http::client::cached(&settings))
            .await
            .unwrap_or_else(|| Ok(client.clone()))
            .map_err(|e| match e.key_to_unlock() {
                Some(key) => SendError::Passphrase {
                    key: key.to_string(),
                    message: e.to_string(),
                },
                None => SendError::Prepare(e.to_string()),
            })?
    };
    crate::http::spill::send_spilling(&own, wire, trace, crate::http::spill::in_memory_limit())
        .await
        .map(|(x, file)| (Box::new(x), file))
        .map_err(|error| SendError::Transport {
            error: error.with_settings(&settings, &url),
            url,
        })
}

/// The doctor, signing as the send does: the plan's settings and clock offset (one
/// preparation path: the prepared request and its plan, as `send` gets them).
async fn doctor(
    client: &reqwest::Client,
    prepared: Prepared,
    credentials: Option<Credentials>,
    advice: &crate::diagnose::Advice,
) -> Vec<crate::diagnose::doctor::Step> {
    let failed = |name, detail| {
        vec![crate::diagnose::doctor::Step {
            name,
            status: crate::diagnose::doctor::Status::Failed,
            detail,
        }]
    };
    let Some(plan) = prepared.signing.clone() else {
        return failed(
            "signing",
            "the request is not signed (auth none): nothing to check".into(),
        );
    };
    let prepared = match load_body(prepared).await {
        Ok(p) => p,
        Err(e) => return failed("body", e),
    };
    let creds = match credentials {
        Some(c) => Ok(c),
        None => resolve(&plan.credentials).await.map_err(|e| e.to_string()),
    };
    let network = prepared.network.clone();
    let own = {
        let settings = network.clone();
        match blocking(move || crate::http::client::cached(&settings)).await {
            Some(Ok(c)) => c,
            Some(Err(e)) => return failed("network settings", e.to_string()),
            None => client.clone(),
        }
    };
    let advice = crate::diagnose::Advice {
        clock_offset_secs: plan.clock_offset_secs,
        ..advice.clone()
    };
    crate::diagnose::doctor::run_with(
        &own,
        &network,
        &prepared.request,
        creds,
        Ok(plan.settings),
        false,
        &advice,
        &mut |_| {},
    )
    .await
}

/// Resolves the profile's credentials and asks STS who they belong to.
async fn identity<C: ClientSource + ?Sized>(
    client: &C,
    profile: Option<String>,
) -> Result<Identity, NoCredentials> {
    let creds = resolve(&CredentialSpec::Chain {
        profile: profile.clone(),
    })
    .await
    .map_err(|e| NoCredentials::from(&e))?;
    let profile_region = crate::aws::credentials::chain_region(profile.as_deref());
    let region = profile_region.clone().unwrap_or_else(|| "us-east-1".into());
    let who = crate::aws::sts::caller_identity(
        client.client(),
        &creds,
        &crate::aws::sts::endpoint(&region),
        &region,
    )
    .await;
    let (arn, account, note) = match who {
        Ok(w) => (Some(w.arn), Some(w.account), None),
        // Credentials without a reachable STS are still usable: say so, keep them.
        Err(e) => (
            None,
            None,
            Some(format!("STS GetCallerIdentity failed: {e}")),
        ),
    };
    Ok(Identity {
        arn,
        account,
        key: creds.masked_access_key(),
        expiry: creds.expiry,
        source: creds.source.clone(),
        region: profile_region,
        note,
        credentials: Some(creds),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::messages::Task;

    #[tokio::test]
    async fn a_components_own_task_answers_with_its_own_reply() {
        let client = crate::http::client(std::time::Duration::from_secs(1));
        let task = Task::new(async {
            let n = blocking(|| 6 * 7).await?;
            Some(Message::Reply(Box::new(n)))
        });
        let Some(Message::Reply(reply)) = perform(Command::Task(task), &client).await else {
            panic!("no reply")
        };
        assert_eq!(reply.downcast_ref::<i32>(), Some(&42));
    }
}
