//! `sigscope history [list|show ID]`.

use super::exit;
use crate::model::history::{self, history_dir};
use crate::text::{visible_line, visible_text};
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
            let (entries, problems) = history::list_checked(&dir);
            for p in &problems {
                errln!("warning: skipped {}", visible_text(p));
            }
            if entries.is_empty() {
                outln!(
                    "no history yet in {}",
                    visible_line(&dir.display().to_string())
                );
            }
            for e in entries {
                outln!(
                    "{}  {}  {:<4} {:>6}ms  {} {}{}",
                    visible_line(&e.id),
                    visible_line(&e.time),
                    e.status,
                    e.elapsed_ms,
                    visible_line(&e.method),
                    visible_line(&e.url),
                    e.request_name
                        .map(|n| format!("  ({})", visible_line(&n)))
                        .unwrap_or_default()
                );
            }
        }
        HistoryCommand::Show { id } => {
            let (entries, problems) = history::list_checked(&dir);
            for p in &problems {
                errln!("warning: skipped {}", visible_text(p));
            }
            let e = entries
                .into_iter()
                .find(|e| e.id == id || e.id.ends_with(&id))
                .with_context(|| {
                    format!(
                        "no history entry '{}' in {}",
                        visible_line(&id),
                        dir.display()
                    )
                })?;
            // serde_json leaves DEL and the C1 controls as they are: escape them too.
            outln!("{}", visible_text(&serde_json::to_string_pretty(&e)?));
        }
    }
    Ok(exit::OK)
}

/// Records an exchange, warning (never failing) when the history can't be written.
pub fn record(x: &crate::http::Exchange, name: Option<&str>) {
    record_for(
        x,
        history::RequestRef {
            name,
            ..Default::default()
        },
    );
}

/// Records an exchange of a collection's request, filed under its id (as the workbench
/// files it: both show the same history).
pub fn record_for(x: &crate::http::Exchange, request: history::RequestRef) {
    if let Err(e) = history::record_for(&history_dir(), x, request) {
        errln!(
            "warning: could not write history in {}: {e}",
            history_dir().display()
        );
    }
}
