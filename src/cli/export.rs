//! `sigscope export FORMAT COLLECTION [REQUEST]`: a request (or, for Postman and `.http`, a
//! whole collection or folder) as something another tool runs, signing at run time with
//! credentials from the environment or a profile.

use super::collections::{environment, find_collection, selected};
use super::exit;
use crate::export::{self, Format};
use crate::http::prepare;
use anyhow::{bail, Context, Result};
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// curl, python, javascript, go, httpie, awscurl, postman or http.
    #[arg(value_enum)]
    pub format: Format,
    /// A collection file, or a collection's name in the collections folder.
    pub collection: String,
    /// The request (name or folder/name). Postman and http: a request or folder, else all.
    pub request: Option<String>,
    /// Environment to resolve variables with.
    #[arg(long)]
    pub env: Option<String>,
    #[arg(long)]
    pub collections: Option<PathBuf>,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
}

pub fn run(args: ExportArgs) -> Result<i32> {
    let loaded = find_collection(&args.collection, args.collections.as_deref())?;
    let c = &loaded.collection;
    let env = environment(c, args.env.as_deref())?;
    let snippet = if args.format.holds_many() {
        let located = selected(c, args.request.as_deref())?;
        let prepared = located
            .iter()
            .map(|l| {
                let p = prepare::prepare(c, env, l)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", l.request.name))?;
                Ok((l.request.name.clone(), p))
            })
            .collect::<Result<Vec<_>>>()?;
        export::export_collection(args.format, &c.name, &prepared)?
    } else {
        let Some(request) = &args.request else {
            bail!(
                "{} exports one request: name it (sigscope export {} {} REQUEST)",
                args.format.name(),
                args.format.name(),
                args.collection
            );
        };
        let located = c
            .find(request)
            .with_context(|| format!("no request '{request}' in '{}'", c.name))?;
        let p = prepare::prepare(c, env, &located).map_err(anyhow::Error::msg)?;
        export::export(args.format, &p)?
    };
    for n in &snippet.notes {
        eprintln!("note: {n}");
    }
    match &args.output {
        Some(path) => {
            crate::model::store::write_atomic(path, snippet.text.as_bytes())
                .with_context(|| format!("writing {}", path.display()))?;
            eprintln!(
                "wrote {} ({}; needs {})",
                path.display(),
                snippet.format.name(),
                snippet.format.needs()
            );
        }
        None => {
            print!("{}", snippet.text);
            if !snippet.text.ends_with('\n') {
                println!();
            }
        }
    }
    Ok(exit::OK)
}
