//! `sigscope history [list|show ID]`.

use super::exit;
use crate::model::history::{self, history_dir};
use anyhow::{Context, Result};
use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum HistoryCommand {
    /// One line per exchange, oldest first.
    List,
    /// One exchange in full (JSON).
    Show { id: String },
}

pub fn run(cmd: Option<HistoryCommand>) -> Result<i32> {
    let dir = history_dir();
    match cmd.unwrap_or(HistoryCommand::List) {
        HistoryCommand::List => {
            let entries = history::list(&dir);
            if entries.is_empty() {
                println!("no history yet in {}", dir.display());
            }
            for e in entries {
                println!(
                    "{}  {}  {:<4} {:>6}ms  {} {}{}",
                    e.id,
                    e.time,
                    e.status,
                    e.elapsed_ms,
                    e.method,
                    e.url,
                    e.request_name
                        .map(|n| format!("  ({n})"))
                        .unwrap_or_default()
                );
            }
        }
        HistoryCommand::Show { id } => {
            let e = history::show(&dir, &id)
                .with_context(|| format!("no history entry '{id}' in {}", dir.display()))?;
            println!("{}", serde_json::to_string_pretty(&e)?);
        }
    }
    Ok(exit::OK)
}

/// Records an exchange, warning (never failing) when the history can't be written.
pub fn record(x: &crate::http::Exchange, name: Option<&str>) {
    if let Err(e) = history::record(&history_dir(), x, name) {
        eprintln!(
            "warning: could not write history in {}: {e}",
            history_dir().display()
        );
    }
}
