//! `sigscope collections` and `sigscope run`: collections headless.

use super::exit;
use crate::aws::credentials::resolve;
use crate::diagnose::{diagnose, is_auth_failure};
use crate::http::{self, prepare};
use crate::model::{self, store, Collection, Located};
use crate::text::{visible_line, visible_text};
use anyhow::{bail, Context, Result};
use clap::Args;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

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
    /// Seconds before giving up on each request (default: the collection's timeoutSeconds,
    /// else 30).
    #[arg(long, visible_alias = "max-time", value_parser = super::args::parse_timeout)]
    pub timeout: Option<super::args::Timeout>,
    #[command(flatten)]
    pub network: super::network::NetworkArgs,
}

fn warn_all(warnings: &[String]) {
    for w in warnings {
        errln!("warning: {}", visible_text(w));
    }
}

/// Finds a collection by path or by name (file stem or `name`) in the folder. Two
/// collections answering to the name is an error naming both: picking one would be a guess.
pub fn find_collection(arg: &str, dir: Option<&Path>) -> Result<model::Loaded> {
    let path = Path::new(arg);
    if path.is_file() {
        let (loaded, warnings) = store::load_checked(path)?;
        warn_all(&warnings);
        return Ok(loaded);
    }
    let dir = store::collections_dir(dir);
    let report = store::load_all_checked(&dir);
    for e in &report.errors {
        errln!("warning: {}", visible_text(&e.to_string()));
    }
    let mut matches: Vec<model::Loaded> = report
        .loaded
        .into_iter()
        .filter(|l| l.collection.name == arg || l.path.file_stem().is_some_and(|s| s == arg))
        .collect();
    if matches.len() > 1 {
        // A file named after the argument wins over another file's `name`.
        let by_stem: Vec<usize> = (0..matches.len())
            .filter(|&i| matches[i].path.file_stem().is_some_and(|s| s == arg))
            .collect();
        if by_stem.len() == 1 {
            let l = matches.swap_remove(by_stem[0]);
            warn_loaded(&report.warnings, &l);
            return Ok(l);
        }
        bail!(
            "{} collections are named '{}': {}; give the file's path instead",
            matches.len(),
            visible_line(arg),
            matches
                .iter()
                .map(|l| visible_line(&l.path.display().to_string()).into_owned())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let l = matches.pop().with_context(|| {
        format!(
            "no collection '{}' in {}",
            visible_line(arg),
            visible_line(&dir.display().to_string())
        )
    })?;
    warn_loaded(&report.warnings, &l);
    Ok(l)
}

/// The warnings that concern the one collection used.
fn warn_loaded(warnings: &[String], l: &model::Loaded) {
    let prefix = format!("{}: ", l.path.display());
    let mine: Vec<String> = warnings
        .iter()
        .filter(|w| w.starts_with(&prefix))
        .cloned()
        .collect();
    warn_all(&mine);
}

pub fn run_collections(args: CollectionsArgs) -> Result<i32> {
    let dir = store::collections_dir(args.collections.as_deref());
    let report = store::load_all_checked(&dir);
    let mut loaded = report.loaded;
    outln!(
        "collections in {}",
        visible_line(&dir.display().to_string())
    );
    for l in &mut loaded {
        let n = l.collection.walk().len();
        outln!(
            "  {:<28} {:>3} requests  {}",
            visible_line(&l.collection.name),
            n,
            visible_line(&l.path.display().to_string())
        );
        if args.format {
            store::save(l, false)?;
        }
    }
    let mut names: Vec<&str> = loaded.iter().map(|l| l.collection.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    for name in names {
        let files: Vec<String> = loaded
            .iter()
            .filter(|l| l.collection.name == name)
            .map(|l| l.path.display().to_string())
            .collect();
        if files.len() > 1 {
            outln!(
                "  warning: {} collections are named '{}' ({}): `run` needs a path for them",
                files.len(),
                visible_line(name),
                visible_line(&files.join(", "))
            );
        }
    }
    for w in &report.warnings {
        outln!("  warning: {}", visible_text(w));
    }
    for e in &report.errors {
        outln!("  error: {}", visible_text(&e.to_string()));
    }
    Ok(if report.errors.is_empty() {
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
    let mut failures = 0;
    for located in &requests {
        let name = visible_line(&located.request.name);
        let prepared = match prepare::prepare(c, env, located) {
            Ok(p) => p,
            Err(e) => {
                failures += 1;
                outln!("ERR  {:>7}  {name}: not sent: {}", "-", visible_line(&e));
                continue;
            }
        };
        let url = prepared.request.url();
        let mut network =
            match super::network::settings_for_run(&args.network, args.timeout, &prepared, &url) {
                Ok(n) => n,
                Err(e) => {
                    failures += 1;
                    outln!(
                        "ERR  {:>7}  {name}: not sent: {}",
                        "-",
                        visible_line(&format!("{e:#}"))
                    );
                    continue;
                }
            };
        let client = match super::network::client(&mut network) {
            Ok(c) => c,
            Err(e) => {
                failures += 1;
                outln!(
                    "ERR  {:>7}  {name}: not sent: {}",
                    "-",
                    visible_line(&format!("{e:#}"))
                );
                continue;
            }
        };
        let outcome = rt.block_on(async {
            let (wire, trace) = match &prepared.signing {
                None => (prepared.request.clone(), None),
                Some(plan) => {
                    let creds = resolve(&plan.credentials).await?;
                    crate::model::redact::remember(&creds);
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
                outln!(
                    "ERR  {:>7}  {name}: {}",
                    "-",
                    visible_line(&format!("{e:#}"))
                );
            }
            Ok(Err(e)) => {
                failures += 1;
                let e = e.with_settings(&network, &url);
                let d = crate::diagnose::transport::diagnose(&e, &url);
                outln!(
                    "ERR  {:>7}  {name}: {}: {}",
                    "-",
                    d.kind.as_str(),
                    visible_line(&d.summary)
                );
                if let Some(step) = d.next_steps.first() {
                    outln!("     {:>7}  next: {}", "", visible_line(step));
                }
            }
            Ok(Ok(x)) => {
                let mut path: Vec<&str> = located.folders.iter().map(|f| f.name.as_str()).collect();
                path.push(&located.request.name);
                let path = path.join("/");
                // A file without ids: the id the workbench derives (and saves) for it.
                let derived = crate::model::collection::derived_request_id(&c.name, &path);
                super::history::record_for(
                    &x,
                    crate::model::history::RequestRef {
                        name: Some(&path),
                        id: Some(located.request.id.as_deref().unwrap_or(&derived)),
                        whole_body_bytes: None,
                    },
                );
                let r = &x.response;
                let ms = format!("{}ms", x.timing.total.as_millis());
                let mut line = format!("{:<4} {ms:>7}  {name}", r.status);
                // A preflight passes or fails by its verdict, not its status.
                let verdict = prepared
                    .preflight
                    .as_ref()
                    .map(|ask| crate::diagnose::cors::evaluate(ask, r));
                let failed = match &verdict {
                    Some(v) => !v.allowed,
                    None => r.status >= 400,
                };
                if failed {
                    failures += 1;
                }
                if let Some(v) = &verdict {
                    line.push_str(&format!(
                        "  (preflight {}: {})",
                        if v.allowed { "allowed" } else { "refused" },
                        visible_line(&v.summary)
                    ));
                } else if r.status >= 400 && is_auth_failure(r) {
                    let d = diagnose(r, x.trace.as_ref(), Some(&x.request));
                    line.push_str(&format!(
                        "  ({}: {})",
                        d.kind.as_str(),
                        visible_line(&d.summary)
                    ));
                }
                outln!("{line}");
            }
        }
    }
    outln!("{} requests, {} failed", requests.len(), failures);
    Ok(if failures > 0 {
        exit::HTTP_ERROR
    } else {
        exit::OK
    })
}
