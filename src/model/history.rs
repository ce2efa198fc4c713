//! History: every sent exchange as one JSON file (0600) in the user's data directory, with
//! the session token and bearer/basic credentials redacted, bodies capped, total size capped.

use crate::http::Exchange;
use crate::sign::trace::{SigningTrace, REDACTED_TOKEN};
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

fn cap(bytes: &[u8], limit: usize) -> (String, bool) {
    let cut = bytes.len() > limit;
    (
        String::from_utf8_lossy(&bytes[..bytes.len().min(limit)]).into_owned(),
        cut,
    )
}

/// The exchange with every credential but the signature replaced by a marker.
pub fn entry_for(x: &Exchange, request_name: Option<&str>) -> Entry {
    let token = x.trace.as_ref().and_then(|t| t.session_token.clone());
    let scrub = |s: &str| -> String {
        match &token {
            Some(t) if !t.is_empty() => s
                .replace(t.as_str(), REDACTED_TOKEN)
                .replace(&crate::sign::canonical::encode_component(t), REDACTED_TOKEN),
            _ => s.to_string(),
        }
    };
    let request_headers = x
        .request
        .headers
        .iter()
        .map(|(n, v)| {
            let lower = n.to_ascii_lowercase();
            let value = if lower == "x-amz-security-token" {
                REDACTED_TOKEN.to_string()
            } else if lower == "authorization" && !v.starts_with("AWS4-") {
                let scheme = v.split_whitespace().next().unwrap_or_default();
                format!("{scheme} <redacted>")
            } else {
                scrub(v)
            };
            (n.clone(), value)
        })
        .collect();
    let limit = env_number("SIGSCOPE_HISTORY_BODY_CAP").unwrap_or(DEFAULT_BODY_CAP);
    let (response_body, response_body_truncated) = cap(&x.response.body, limit);
    let (request_body, _) = cap(&x.request.body, limit);
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
        url: scrub(&x.request.url()),
        request_headers,
        request_body,
        trace: x.trace.as_ref().map(SigningTrace::redacted),
        status: x.response.status,
        response_headers: x.response.headers.clone(),
        response_body,
        response_body_truncated,
        elapsed_ms: x.timing.total.as_millis() as u64,
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

/// All entries, oldest first.
pub fn list(dir: &Path) -> Vec<Entry> {
    entry_files(dir)
        .into_iter()
        .filter_map(|(p, _)| serde_json::from_str(&std::fs::read_to_string(p).ok()?).ok())
        .collect()
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
