//! `sigscope run`: a collection as a CI test. File order with the sources of captured
//! variables pulled in, `--jobs` side by side, `--iterations` / `--data` rows, `--bail`;
//! reporters human (stdout by default), JSON and JUnit, each to stdout or a file; a progress
//! bar on a terminal. The exit code is non-zero on any failed check or transport error.

use super::collections::{environment, find_collection, selected};
use super::exit;
use crate::flow::report::{self, human, Context, Scrub};
use crate::flow::{self, data, runner::Event};
use crate::model::store;
use crate::text::{visible_line, visible_text};
use anyhow::{bail, Context as _, Result};
use clap::Args;
use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct RunArgs {
    /// A collection file, or a collection's name in the collections folder.
    pub collection: String,
    /// Only this request (name or folder/name) or folder; the requests that capture what it
    /// needs still run first.
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
    /// Requests in flight at once: independent requests (those touching no captured variable
    /// in common) and iterations run side by side.
    #[arg(long, short = 'j', default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: u16,
    /// Runs of the whole flow (default: 1, or one per --data row).
    #[arg(long, short = 'n', value_parser = clap::value_parser!(u32).range(1..))]
    pub iterations: Option<u32>,
    /// A CSV (header row) or JSON (array of objects) file: one iteration per row, its columns
    /// as variables.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// A variable for this run, NAME=VALUE (repeatable): it wins over the environment and the
    /// collection (a --data column wins over it).
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// Stop at the first failed request (those in flight finish).
    #[arg(long)]
    pub bail: bool,
    /// A reporter, optionally to a file: human, json, junit, json=FILE, junit=FILE.
    /// Repeatable; default: human on standard output.
    #[arg(long = "reporter", short = 'r', value_name = "KIND[=FILE]")]
    pub reporters: Vec<String>,
    /// Write the values captured with `"scope": "environment"` into the environment (--env) in
    /// the collection file (atomic save; refused if it holds a secret).
    #[arg(long, requires = "env")]
    pub save_env: bool,
    /// Do not record the exchanges in the history.
    #[arg(long)]
    pub no_history: bool,
    #[command(flatten)]
    pub network: super::network::NetworkArgs,
}

/// The flags over each request's network settings; an encrypted client key's passphrase is
/// asked once on a terminal and kept for the run (in memory only).
fn network_overlay(args: &RunArgs) -> flow::network::NetworkOverlay {
    let flags = args.network.clone();
    let timeout = args.timeout;
    let phrases = std::sync::Mutex::new(std::collections::BTreeMap::<String, String>::new());
    flow::network::NetworkOverlay(std::sync::Arc::new(move |prepared, url| {
        let mut s = super::network::settings_for_run(&flags, timeout, prepared, url)
            .map_err(|e| format!("{e:#}"))?;
        let mut phrases = phrases.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, key, p @ None)) = &mut s.client_cert {
            *p = phrases.get(key.as_str()).cloned();
        }
        super::network::client(&mut s).map_err(|e| format!("{e:#}"))?;
        if let Some((_, key, Some(p))) = &s.client_cert {
            phrases.insert(key.clone(), p.clone());
        }
        Ok(s)
    }))
}

/// `--var NAME=VALUE` pairs.
fn run_vars(specs: &[String]) -> Result<data::Row> {
    let mut out = data::Row::new();
    for spec in specs {
        let Some((name, value)) = spec.split_once('=') else {
            bail!("--var '{}': write it as NAME=VALUE", visible_line(spec));
        };
        let name = name.trim();
        if !crate::model::variables::valid_name(name) {
            bail!(
                "--var '{}': '{}' is not a variable name (letters, digits, '_', '-', '.')",
                visible_line(spec),
                visible_line(name)
            );
        }
        out.insert(name.to_string(), value.to_string());
    }
    Ok(out)
}

/// A reporter and where its text goes.
#[derive(Debug)]
struct Target {
    kind: report::Kind,
    file: Option<PathBuf>,
}

fn targets(specs: &[String]) -> Result<Vec<Target>> {
    if specs.is_empty() {
        return Ok(vec![Target {
            kind: report::Kind::Human,
            file: None,
        }]);
    }
    let mut out = Vec::new();
    for spec in specs {
        for part in spec.split(',').filter(|p| !p.is_empty()) {
            let (kind, file) = match part.split_once('=') {
                Some((k, f)) => (k, Some(PathBuf::from(f))),
                None => (part, None),
            };
            let kind: report::Kind = kind.parse().map_err(anyhow::Error::msg)?;
            out.push(Target { kind, file });
        }
    }
    let to_stdout = out.iter().filter(|t| t.file.is_none()).count();
    if to_stdout > 1 {
        bail!("{to_stdout} reporters write to standard output: give all but one a file, e.g. --reporter junit=report.xml");
    }
    Ok(out)
}

pub fn run(args: RunArgs) -> Result<i32> {
    let targets = targets(&args.reporters)?;
    let loaded = find_collection(&args.collection, args.collections.as_deref())?;
    let c = &loaded.collection;
    let env = environment(c, args.env.as_deref())?.cloned();
    let mut rows = match &args.data {
        Some(path) => data::read(path).map_err(anyhow::Error::msg)?,
        None => Vec::new(),
    };
    let vars = run_vars(&args.vars)?;
    if !vars.is_empty() {
        if rows.is_empty() {
            rows.push(vars.clone());
        } else {
            for row in &mut rows {
                for (k, v) in &vars {
                    row.entry(k.clone()).or_insert_with(|| v.clone());
                }
            }
        }
    }
    let iterations = args
        .iterations
        .map(|n| n as usize)
        .unwrap_or(match args.data {
            Some(_) => rows.len(),
            None => 1,
        });
    // Columns every row has count as defined for planning.
    let given: BTreeSet<String> = match rows.first() {
        Some(first) => (first.keys())
            .filter(|k| {
                rows.iter()
                    .all(|r| r.get(*k).is_some_and(|v| !v.is_empty()))
            })
            .cloned()
            .collect(),
        None => BTreeSet::new(),
    };
    let picked = selected(c, args.only.as_deref())?;
    let walk = c.walk();
    let indices: Vec<usize> = picked
        .iter()
        .filter_map(|p| walk.iter().position(|l| std::ptr::eq(l.request, p.request)))
        .collect();
    let plan = flow::plan(c, env.as_ref(), &indices, &given)
        .with_context(|| format!("{}: not run", loaded.path.display()))?;
    let flow = flow::Flow {
        collection: c.clone(),
        env_name: args.env.clone(),
        env,
        plan,
    };
    let options = flow::Options {
        jobs: args.jobs.into(),
        iterations,
        data: rows,
        bail: args.bail,
        timeout: args
            .timeout
            .map_or(std::time::Duration::from_secs(30), |t| t.0),
        history: (!args.no_history).then(crate::model::history::history_dir),
        network: Some(network_overlay(&args)),
    };
    let human_live = targets
        .iter()
        .any(|t| t.kind == report::Kind::Human && t.file.is_none());
    let total = (iterations * flow.plan.steps.len()) as u64;
    let bar = progress(total);
    let mut scrub: Option<Scrub> = None;
    let mut failed = 0usize;
    let mut human_lines = Vec::new();
    let keep_human = targets
        .iter()
        .any(|t| t.kind == report::Kind::Human && t.file.is_some());
    let mut on = |event: Event| match event {
        Event::Step(r) => {
            bar.inc(1);
            if !r.passed() {
                failed += 1;
                bar.set_message(format!("{failed} failed"));
            }
            if human_live || keep_human {
                let s = scrub.get_or_insert_with(Scrub::known);
                let line = human::step(&s.result(r), iterations);
                if human_live {
                    bar.suspend(|| outln!("{line}"));
                }
                if keep_human {
                    human_lines.push(line);
                }
            }
        }
        Event::Bailing => {
            if human_live {
                bar.suspend(|| errln!("--bail: a request failed; stopping"));
            }
        }
    };
    let report = super::runtime().block_on(flow::run(&flow, &options, &mut on));
    bar.finish_and_clear();
    let report = Scrub::known().report(&report);
    let cx = Context {
        collection: &c.name,
        environment: args.env.as_deref(),
    };
    let summary_line = human::summary(&report.summary);
    for t in &targets {
        let text = match t.kind {
            report::Kind::Human if t.file.is_none() => {
                outln!("{summary_line}");
                continue;
            }
            report::Kind::Human => format!("{}\n{summary_line}\n", human_lines.join("\n")),
            report::Kind::Json => report::json::render(&report, &cx),
            report::Kind::Junit => report::junit::render(&report, &cx),
        };
        match &t.file {
            None => out!("{}", visible_text(&text)),
            Some(path) => store::write_atomic(path, text.as_bytes())
                .with_context(|| format!("writing the report {}", path.display()))?,
        }
    }
    if !human_live {
        // The closing line always reaches a person: on standard error when stdout is a report.
        errln!("{summary_line}");
    }
    for w in &report.warnings {
        errln!("warning: {}", visible_line(w));
    }
    save_environment(&args, loaded, &report)?;
    let s = &report.summary;
    Ok(if s.transport_errors > 0 {
        exit::TRANSPORT
    } else if s.failed > 0 {
        exit::HTTP_ERROR
    } else {
        exit::OK
    })
}

/// A bar with counts on a terminal; nothing otherwise (CI logs stay clean).
fn progress(total: u64) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() || total < 2 {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} requests {msg} {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

/// `--save-env`: the environment captures written into the collection file.
fn save_environment(
    args: &RunArgs,
    mut loaded: store::Loaded,
    report: &flow::Report,
) -> Result<()> {
    let captured = &report.environment_captures;
    let Some(name) = args.env.as_deref() else {
        return Ok(());
    };
    if captured.is_empty() {
        return Ok(());
    }
    if !args.save_env {
        errln!(
            "note: {} value(s) captured for environment '{}' ({}) were used for this run only; --save-env writes them to {}",
            captured.len(),
            visible_line(name),
            visible_line(&captured.keys().cloned().collect::<Vec<_>>().join(", ")),
            visible_line(&loaded.path.display().to_string())
        );
        return Ok(());
    }
    let env = loaded
        .collection
        .environments
        .get_mut(name)
        .context("the environment went away")?;
    env.variables
        .extend(captured.iter().map(|(k, v)| (k.clone(), v.clone())));
    store::save(&mut loaded, false)
        .with_context(|| format!("--save-env: environment '{name}' not written"))?;
    errln!(
        "wrote {} captured value(s) to environment '{}' in {}",
        captured.len(),
        visible_line(name),
        visible_line(&loaded.path.display().to_string())
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reporters_go_to_one_stdout_and_files() {
        let t = targets(&["junit=out.xml".into(), "json".into()]).unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].kind, report::Kind::Junit);
        assert_eq!(t[0].file.as_deref(), Some(std::path::Path::new("out.xml")));
        assert!(t[1].file.is_none());
        let e = targets(&["json".into(), "junit".into()]).unwrap_err();
        assert!(e
            .to_string()
            .contains("2 reporters write to standard output"));
        assert!(targets(&["tap".into()]).is_err());
        assert_eq!(targets(&[]).unwrap()[0].kind, report::Kind::Human);
    }
}
