//! `sigscope import curl|postman|openapi`: into a new collection file, saying what could not
//! be carried over.

use super::exit;
use crate::import::{self, Imported};
use crate::model::store;
use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub kind: ImportKind,
    /// The collection file to write (default: the collections folder, named after the collection).
    #[arg(short = 'o', long, global = true)]
    pub output: Option<PathBuf>,
    /// Replace an existing file.
    #[arg(long, global = true)]
    pub force: bool,
    #[arg(long, global = true)]
    pub collections: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ImportKind {
    /// One or more curl command lines (each as one argument).
    Curl {
        #[arg(required = true)]
        commands: Vec<String>,
        #[arg(long, default_value = "Imported from curl")]
        name: String,
    },
    /// A Postman Collection v2.1 export.
    Postman { file: PathBuf },
    /// An OpenAPI 3 or Swagger 2 JSON export (API Gateway's included).
    Openapi { file: PathBuf },
}

fn slug(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let s = s
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if s.is_empty() {
        "imported".into()
    } else {
        s
    }
}

pub fn run(args: ImportArgs) -> Result<i32> {
    let read = |p: &PathBuf| {
        std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))
    };
    let imported: Imported = match &args.kind {
        ImportKind::Curl { commands, name } => import::curl::import(commands, name),
        ImportKind::Postman { file } => import::postman::import(&read(file)?),
        ImportKind::Openapi { file } => import::openapi::import(&read(file)?),
    }
    .map_err(anyhow::Error::msg)?;
    let path = args.output.clone().unwrap_or_else(|| {
        store::collections_dir(args.collections.as_deref())
            .join(format!("{}.json", slug(&imported.collection.name)))
    });
    if path.exists() && !args.force {
        bail!(
            "{} exists: pass --force to replace it, or -o FILE",
            path.display()
        );
    }
    // What we write must load again, secrets refusal included.
    let text = store::to_text(&imported.collection);
    store::parse(&path.display().to_string(), &text)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    store::write_atomic(&path, text.as_bytes())?;
    let n = imported.collection.walk().len();
    outln!(
        "imported {n} requests into {}",
        crate::text::visible_line(&path.display().to_string())
    );
    if !imported.warnings.is_empty() {
        outln!("not carried over:");
        for w in &imported.warnings {
            outln!("  - {}", crate::text::visible_line(w));
        }
    }
    Ok(exit::OK)
}
