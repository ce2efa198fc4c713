//! History: every sent exchange as one JSON file (0600) in the user's data directory, with
//! every credential redacted (`redact`), bodies capped, total size capped.

use super::redact::{Found, Redactor};
use crate::http::Exchange;
use crate::sign::trace::SigningTrace;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Bodies longer than this are cut in history (override: SIGSCOPE_HISTORY_BODY_CAP bytes).
pub const DEFAULT_BODY_CAP: usize = 256 * 1024;
/// The history folder is kept under this size, oldest entries first out
/// (override: SIGSCOPE_HISTORY_MAX_BYTES).
pub const DEFAULT_MAX_BYTES: u64 = 50 * 1024 * 1024;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    pub id: String,
    /// RFC 3339.
    pub time: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_name: Option<String>,
    pub method: String,
    pub url: String,
    pub request_headers: Vec<(String, String)>,
    pub request_body: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<SigningTrace>,
    pub status: u16,
    pub response_headers: Vec<(String, String)>,
    pub response_body: String,
    pub response_body_truncated: bool,
    pub elapsed_ms: u64,
    /// What was replaced by a marker before the entry was written (`session token`, `secret
    /// access key`, `bearer/basic credential`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub redacted: Vec<String>,
}

fn env_number<T: std::str::FromStr>(name: &str) -> Option<T> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

/// `SIGSCOPE_DATA_DIR`, else the platform data directory.
pub fn data_dir() -> PathBuf {
    std::env::var_os("SIGSCOPE_DATA_DIR")
        .map(PathBuf::from)
        .or_else(|| {
            directories::ProjectDirs::from("", "", "sigscope").map(|d| d.data_dir().to_path_buf())
        })
        .unwrap_or_else(|| PathBuf::from(".sigscope"))
}

pub fn history_dir() -> PathBuf {
    data_dir().join("history")
}

/// The cap on each body in an entry (`SIGSCOPE_HISTORY_BODY_CAP`, else `DEFAULT_BODY_CAP`).
pub fn body_cap() -> usize {
    env_number("SIGSCOPE_HISTORY_BODY_CAP").unwrap_or(DEFAULT_BODY_CAP)
}

/// The exchange with every credential but the signature replaced by a marker (see
/// `redact`), bodies capped; `redacted` names what was replaced.
pub fn entry_for(x: &Exchange, request_name: Option<&str>) -> Entry {
    let redactor = Redactor::for_exchange(x);
    let mut found = Found::default();
    let request_headers = x
        .request
        .headers
        .iter()
        .map(|(n, v)| (n.clone(), redactor.header_value(n, v, &mut found)))
        .collect();
    let response_headers = x
        .response
        .headers
        .iter()
        .map(|(n, v)| (n.clone(), redactor.scrub(v, &mut found)))
        .collect();
    let limit = body_cap();
    let (response_body, response_body_truncated) =
        redactor.scrub_capped(&x.response.body, limit, &mut found);
    let (request_body, _) = redactor.scrub_capped(&x.request.body, limit, &mut found);
    let url = redactor.scrub(&x.request.url(), &mut found);
    let trace = x.trace.as_ref().map(|t| redactor.trace(t, &mut found));
    let started = time::OffsetDateTime::from(x.timing.started);
    Entry {
        id: format!(
            "{}-{}",
            started.unix_timestamp_nanos() / 1_000_000,
            &uuid::Uuid::new_v4().simple().to_string()[..8]
        ),
        time: started
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
        request_name: request_name.map(str::to_string),
        method: x.request.method.clone(),
        url,
        request_headers,
        request_body,
        trace,
        status: x.response.status,
        response_headers,
        response_body,
        response_body_truncated,
        elapsed_ms: x.timing.total.as_millis() as u64,
        redacted: found.descriptions(),
    }
}

/// Records an exchange; returns the entry id.
pub fn record(dir: &Path, x: &Exchange, request_name: Option<&str>) -> std::io::Result<String> {
    std::fs::create_dir_all(dir)?;
    let entry = entry_for(x, request_name);
    let text = serde_json::to_string_pretty(&entry).map_err(std::io::Error::other)?;
    let path = dir.join(format!("{}.json", entry.id));
    {
        use std::io::Write;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut f = options.open(&path)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
    }
    prune(
        dir,
        env_number("SIGSCOPE_HISTORY_MAX_BYTES").unwrap_or(DEFAULT_MAX_BYTES),
    )?;
    Ok(entry.id)
}

/// Entry files, oldest first (ids start with the time).
fn entry_files(dir: &Path) -> Vec<(PathBuf, u64)> {
    let mut files: Vec<(PathBuf, u64)> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
                .map(|e| (e.path(), e.metadata().map(|m| m.len()).unwrap_or(0)))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Drops the oldest entries until the folder holds at most `max_bytes`.
pub fn prune(dir: &Path, max_bytes: u64) -> std::io::Result<()> {
    let files = entry_files(dir);
    let mut total: u64 = files.iter().map(|(_, s)| s).sum();
    for (path, size) in files {
        if total <= max_bytes {
            break;
        }
        std::fs::remove_file(&path)?;
        total -= size;
    }
    Ok(())
}

/// History files larger than this are not read (an entry's bodies are capped far below).
const MAX_ENTRY_BYTES: u64 = 64 * 1024 * 1024;

/// All entries, oldest first.
pub fn list(dir: &Path) -> Vec<Entry> {
    list_checked(dir).0
}

/// All entries, oldest first, and one line for each file that could not be read.
pub fn list_checked(dir: &Path) -> (Vec<Entry>, Vec<String>) {
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    for (path, _) in entry_files(dir) {
        let read = super::store::read_regular(&path, MAX_ENTRY_BYTES)
            .map_err(|e| e.to_string())
            .and_then(|b| serde_json::from_slice::<Entry>(&b).map_err(|e| e.to_string()));
        match read {
            Ok(e) => entries.push(e),
            Err(e) => problems.push(format!("{}: not a history entry ({e})", path.display())),
        }
    }
    (entries, problems)
}

pub fn show(dir: &Path, id: &str) -> Option<Entry> {
    list(dir)
        .into_iter()
        .find(|e| e.id == id || e.id.ends_with(id))
}

/// A recorded exchange, rebuilt for showing again (the body as capped when recorded).
pub fn to_exchange(e: &Entry) -> Exchange {
    let mut request = crate::sign::WireRequest::from_url(&e.method, &e.url).unwrap_or_else(|_| {
        crate::sign::WireRequest::from_url(&e.method, "http://invalid/")
            .expect("a fixed URL parses")
    });
    request.headers = e.request_headers.clone();
    request.body = bytes::Bytes::from(e.request_body.clone());
    let started =
        time::OffsetDateTime::parse(&e.time, &time::format_description::well_known::Rfc3339)
            .map(std::time::SystemTime::from)
            .unwrap_or(std::time::UNIX_EPOCH);
    Exchange {
        request,
        trace: e.trace.clone(),
        response: crate::http::Response {
            status: e.status,
            reason: String::new(),
            headers: e.response_headers.clone(),
            body: bytes::Bytes::from(e.response_body.clone()),
        },
        timing: crate::http::Timing {
            started,
            total: std::time::Duration::from_millis(e.elapsed_ms),
        },
    }
}
