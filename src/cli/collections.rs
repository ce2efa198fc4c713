//! `sigscope collections`, and finding a collection, its requests and an environment for
//! the commands that use one (`run`, `export`).

use super::exit;
use crate::model::{self, store, Collection, Located};
use crate::text::{visible_line, visible_text};
use anyhow::{bail, Context, Result};
use clap::Args;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct CollectionsArgs {
    /// The collections folder (default: ./collections, else the user data directory).
    #[arg(long)]
    pub collections: Option<PathBuf>,
    /// Rewrite every valid collection in canonical form (atomic saves).
    #[arg(long)]
    pub format: bool,
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
