//! `sigscope collections` and `sigscope run`: collections headless.

use super::exit;
use crate::aws::credentials::resolve;
use crate::diagnose::{diagnose, is_auth_failure};
use crate::http::{self, prepare};
use crate::model::{self, store, Collection, Located};
use anyhow::{bail, Context, Result};
use clap::Args;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

#[derive(Debug, Args)]
pub struct CollectionsArgs {
    /// The collections folder (default: ./collections, else the user data directory).
    #[arg(long)]
    pub collections: Option<PathBuf>,
    /// Rewrite every valid collection in canonical form (atomic saves).
    #[arg(long)]
    pub format: bool,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// A collection file, or a collection's name in the collections folder.
    pub collection: String,
    /// Only this request (name or folder/name) or folder.
    pub only: Option<String>,
    /// Environment to use.
    #[arg(long)]
    pub env: Option<String>,
    #[arg(long)]
    pub collections: Option<PathBuf>,
    #[arg(long, default_value_t = 30.0)]
    pub timeout: f64,
}

/// Finds a collection by path or by name (file stem or `name`) in the folder.
pub fn find_collection(arg: &str, dir: Option<&Path>) -> Result<model::Loaded> {
    let path = Path::new(arg);
    if path.is_file() {
        return Ok(model::load(path)?);
    }
    let dir = store::collections_dir(dir);
    let (loaded, errors) = store::load_all(&dir);
    for e in &errors {
        eprintln!("warning: {e}");
    }
    loaded
        .into_iter()
        .find(|l| l.collection.name == arg || l.path.file_stem().is_some_and(|s| s == arg))
        .with_context(|| format!("no collection '{arg}' in {}", dir.display()))
}

pub fn run_collections(args: CollectionsArgs) -> Result<i32> {
    let dir = store::collections_dir(args.collections.as_deref());
    let (mut loaded, errors) = store::load_all(&dir);
    println!("collections in {}", dir.display());
    for l in &mut loaded {
        let n = l.collection.walk().len();
        println!(
            "  {:<28} {:>3} requests  {}",
            l.collection.name,
            n,
            l.path.display()
        );
        if args.format {
            store::save(l, false)?;
        }
    }
    for e in &errors {
        println!("  error: {e}");
    }
    Ok(if errors.is_empty() {
        exit::OK
    } else {
        exit::USAGE
    })
}

pub(super) fn selected<'a>(c: &'a Collection, only: Option<&str>) -> Result<Vec<Located<'a>>> {
    let all = c.walk();
    let Some(only) = only else { return Ok(all) };
    let picked: Vec<Located<'a>> = all
        .into_iter()
        .filter(|l| {
            let folders: Vec<&str> = l.folders.iter().map(|f| f.name.as_str()).collect();
            let folder_path = folders.join("/");
            let full = if folder_path.is_empty() {
                l.request.name.clone()
            } else {
                format!("{folder_path}/{}", l.request.name)
            };
            l.request.name == only
                || full == only
                || folders.contains(&only)
                || folder_path == only
                || folder_path.starts_with(&format!("{only}/"))
        })
        .collect();
    if picked.is_empty() {
        bail!("no request or folder '{only}' in collection '{}'", c.name);
    }
    Ok(picked)
}

pub(super) fn environment<'a>(
    c: &'a Collection,
    name: Option<&str>,
) -> Result<Option<&'a model::Environment>> {
    match name {
        None => Ok(None),
        Some(n) => c.environments.get(n).map(Some).with_context(|| {
            format!(
                "no environment '{n}'; this collection has: {}",
                c.environments
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }),
    }
}

pub fn run_run(args: RunArgs) -> Result<i32> {
    let loaded = find_collection(&args.collection, args.collections.as_deref())?;
    let c = &loaded.collection;
    let env = environment(c, args.env.as_deref())?;
    let requests = selected(c, args.only.as_deref())?;
    let rt = super::runtime();
    let client = http::client(Duration::from_secs_f64(args.timeout.max(0.001)));
    let mut failures = 0;
    for located in &requests {
        let name = located.request.name.as_str();
        let prepared = match prepare::prepare(c, env, located) {
            Ok(p) => p,
            Err(e) => {
                failures += 1;
                println!("ERR  {:>7}  {name}: not sent: {e}", "-");
                continue;
            }
        };
        let outcome = rt.block_on(async {
            let (wire, trace) = match &prepared.signing {
                None => (prepared.request.clone(), None),
                Some(plan) => {
                    let creds = resolve(&plan.credentials).await?;
                    let s =
                        prepare::sign_prepared(&prepared.request, plan, &creds, SystemTime::now())?;
                    (s.request, Some(s.trace))
                }
            };
            anyhow::Ok(http::send(&client, wire, trace).await)
        });
        match outcome {
            Err(e) => {
                failures += 1;
                println!("ERR  {:>7}  {name}: {e:#}", "-");
            }
            Ok(Err(e)) => {
                failures += 1;
                println!("ERR  {:>7}  {name}: {:?}: {e}", "-", e.kind);
            }
            Ok(Ok(x)) => {
                super::history::record(&x, Some(name));
                let r = &x.response;
                let ms = format!("{}ms", x.timing.total.as_millis());
                let mut line = format!("{:<4} {ms:>7}  {name}", r.status);
                if r.status >= 400 {
                    failures += 1;
                    if is_auth_failure(r) {
                        let d = diagnose(r, x.trace.as_ref(), Some(&x.request));
                        line.push_str(&format!("  ({}: {})", d.kind.as_str(), d.summary));
                    }
                }
                println!("{line}");
            }
        }
    }
    println!("{} requests, {} failed", requests.len(), failures);
    Ok(if failures > 0 {
        exit::HTTP_ERROR
    } else {
        exit::OK
    })
}
