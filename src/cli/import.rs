//! `sigscope import FILE` (the format recognised by content), `sigscope import curl|postman|…`
//! to name it, and `sigscope import aws` (the APIs the credentials can see): into a new
//! collection file, saying what could not be carried over.

use super::exit;
use crate::aws::credentials::{chain_region, resolve, CredentialSpec};
use crate::import::{self, aws, ImportError, Imported, Options};
use crate::model::store;
use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub kind: Option<ImportKind>,
    /// A file (or Bruno folder) of any format sigscope reads: Postman, Insomnia, Bruno, HAR,
    /// OpenAPI/Swagger, .http, curl commands. Recognised by its content.
    pub file: Option<PathBuf>,
    /// The collection file to write (default: the collections folder, named after the collection).
    #[arg(short = 'o', long, global = true)]
    pub output: Option<PathBuf>,
    /// Replace an existing file.
    #[arg(long, global = true)]
    pub force: bool,
    #[arg(long, global = true)]
    pub collections: Option<PathBuf>,
    /// OpenAPI: the methods to make one request each for an `x-amazon-apigateway-any-method`
    /// (comma-separated).
    #[arg(long, global = true, value_delimiter = ',', default_value = "GET")]
    pub any_method: Vec<String>,
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
    /// A Postman Collection v2.0/v2.1 export.
    Postman { file: PathBuf },
    /// An OpenAPI 3 or Swagger 2 export, JSON or YAML (API Gateway's included).
    Openapi { file: PathBuf },
    /// An Insomnia v4 (JSON) or v5 (YAML) export.
    Insomnia { file: PathBuf },
    /// A Bruno collection folder.
    Bruno { folder: PathBuf },
    /// A HAR file (DevTools "Save all as HAR").
    Har { file: PathBuf },
    /// A .http / .rest file (REST Client, JetBrains HTTP Client, httpYac).
    Http { file: PathBuf },
    /// The APIs your AWS credentials can see: lists them, or imports one with --api.
    Aws(AwsArgs),
}

#[derive(Debug, Args)]
pub struct AwsArgs {
    #[arg(long)]
    pub profile: Option<String>,
    /// Region (default: the profile's, else us-east-1).
    #[arg(long)]
    pub region: Option<String>,
    /// The API id or function name to import (without it: list what the account holds).
    #[arg(long)]
    pub api: Option<String>,
    /// The stage (default: the API's first).
    #[arg(long)]
    pub stage: Option<String>,
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

/// The JSON schema beside the written collection, so its `$schema` reference resolves.
const SCHEMA: &str = include_str!("../../collections/sigscope.schema.json");

fn from_file(kind: import::Kind, path: &Path, options: &Options) -> Result<Imported, ImportError> {
    let file = path.display().to_string();
    let invalid = |message: String| ImportError::Invalid {
        file: file.clone(),
        message,
    };
    if kind == import::Kind::Bruno {
        return import::import_any_with(path, options);
    }
    let text = import::read_text(path)?;
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let imported = match kind {
        import::Kind::Postman => import::postman::import(&text),
        import::Kind::Openapi => import::openapi::import_with(&text, options),
        import::Kind::Insomnia => import::insomnia::import(&text),
        import::Kind::Har => import::har::import(&text),
        import::Kind::Http => import::http_file::import(&text, &name),
        _ => return import::import_any_with(path, options),
    }
    .map_err(invalid)?;
    Ok(import::finish(imported))
}

pub fn run(args: ImportArgs) -> Result<i32> {
    let options = Options {
        any_methods: args
            .any_method
            .iter()
            .map(|m| m.trim().to_ascii_uppercase())
            .filter(|m| !m.is_empty())
            .collect(),
        name: None,
    };
    let imported: Imported = match (&args.kind, &args.file) {
        (Some(ImportKind::Curl { commands, name }), _) => {
            import::finish_curl(import::curl::import(commands, name).map_err(anyhow::Error::msg)?)
        }
        (Some(ImportKind::Postman { file }), _) => from_file(import::Kind::Postman, file, &options)?,
        (Some(ImportKind::Openapi { file }), _) => from_file(import::Kind::Openapi, file, &options)?,
        (Some(ImportKind::Insomnia { file }), _) => from_file(import::Kind::Insomnia, file, &options)?,
        (Some(ImportKind::Bruno { folder }), _) => from_file(import::Kind::Bruno, folder, &options)?,
        (Some(ImportKind::Har { file }), _) => from_file(import::Kind::Har, file, &options)?,
        (Some(ImportKind::Http { file }), _) => from_file(import::Kind::Http, file, &options)?,
        (Some(ImportKind::Aws(a)), _) => match from_account(a, &options)? {
            Some(imported) => imported,
            None => return Ok(exit::OK),
        },
        (None, Some(file)) => {
            let kind = import::detect(file)?;
            eprintln!("{}: {}", file.display(), kind.name());
            import::import_any_with(file, &options)?
        }
        (None, None) => bail!("name a file to import (sigscope import FILE), or a kind: sigscope import curl|postman|openapi|insomnia|bruno|har|http|aws"),
    };
    write(&args, imported)
}

fn write(args: &ImportArgs, mut imported: Imported) -> Result<i32> {
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
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    imported.collection.schema = Some(crate::model::collection::SCHEMA_REF.into());
    // What we write must load again, secrets refusal included.
    let text = store::to_text(&imported.collection);
    store::parse(&path.display().to_string(), &text)?;
    std::fs::create_dir_all(dir)?;
    let schema = dir.join("sigscope.schema.json");
    if !schema.exists() {
        store::write_atomic(&schema, SCHEMA.as_bytes())
            .with_context(|| format!("writing {}", schema.display()))?;
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

/// `sigscope import aws`: `None` when it only listed.
fn from_account(a: &AwsArgs, options: &Options) -> Result<Option<Imported>> {
    let rt = super::runtime();
    let creds = rt.block_on(resolve(&CredentialSpec::Chain {
        profile: a.profile.clone(),
    }))?;
    let region = a
        .region
        .clone()
        .or_else(|| chain_region(a.profile.as_deref()))
        .unwrap_or_else(|| "us-east-1".into());
    let client = crate::http::client(Duration::from_secs(30));
    let found = rt.block_on(aws::discover(&client, &creds, &region));
    for p in &found.problems {
        eprintln!("warning: {}", crate::text::visible_line(p));
    }
    if found.apis.is_empty() && found.problems.len() >= 3 {
        bail!("nothing listed in {region}: API Gateway, API Gateway v2 and Lambda all failed (see the warnings above)");
    }
    let Some(wanted) = &a.api else {
        println!("APIs in {region} ({}):", creds.masked_access_key());
        if found.apis.is_empty() {
            println!("  (none)");
        }
        for api in &found.apis {
            let detail = match api.kind {
                aws::ApiKind::FunctionUrl => format!(
                    "{} auth {}",
                    api.url.as_deref().unwrap_or("-"),
                    if api.iam { "AWS_IAM" } else { "NONE" }
                ),
                _ => format!(
                    "stages: {}",
                    if api.stages.is_empty() {
                        "(none)".into()
                    } else {
                        api.stages.join(", ")
                    }
                ),
            };
            println!(
                "  {:<13} {:<20} {:<28} {detail}",
                api.kind.name(),
                api.id,
                crate::text::visible_line(&api.name)
            );
        }
        if let Some(first) = found.apis.first() {
            println!(
                "import one with: sigscope import aws --region {region} --api {}",
                first.id
            );
        }
        return Ok(None);
    };
    let api = found
        .apis
        .iter()
        .find(|x| &x.id == wanted || &x.name == wanted)
        .with_context(|| format!("no API or function '{wanted}' in {region} (run `sigscope import aws --region {region}` to list them)"))?;
    if let Some(stage) = &a.stage {
        if !api.stages.is_empty() && !api.stages.contains(stage) {
            bail!(
                "{} has no stage '{stage}'; its stages: {}",
                api.id,
                api.stages.join(", ")
            );
        }
    }
    match rt.block_on(aws::import_api(
        &client,
        &creds,
        &region,
        api,
        a.stage.as_deref(),
        options,
    )) {
        Ok(imported) => Ok(Some(imported)),
        Err(aws::AwsImportError::Rejected { exchange, .. }) => {
            let d = crate::diagnose::diagnose(
                &exchange.response,
                exchange.trace.as_ref(),
                Some(&exchange.request),
            );
            eprint!("{}", super::diagnose::render(&d));
            bail!("the export was refused")
        }
        Err(e) => Err(e.into()),
    }
}
