//! History: every sent exchange as one JSON file (0600) in the user's data directory, with
//! every credential redacted (`redact`), total size capped. Entries are filed under the
//! request's id (kept in the collection file), so a rename or a move keeps a request's
//! history, and `sigscope run` and the workbench share it. A body above the cap is never
//! cut silently: the entry keeps its first part and the whole of it (redacted the same way)
//! goes to a file beside the entry, `<id>.body` (0600), which the entry names.

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
    /// The request's id in its collection: what the history of a request is looked up by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
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
    /// The whole response body, when it was above the cap: a file beside the entry (its
    /// name), and its size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_body_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_body_bytes: Option<u64>,
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
        request_id: None,
        method: x.request.method.clone(),
        url,
        request_headers,
        request_body,
        trace,
        status: x.response.status,
        response_headers,
        response_body,
        response_body_truncated,
        response_body_file: None,
        response_body_bytes: None,
        elapsed_ms: x.timing.total.as_millis() as u64,
        redacted: found.descriptions(),
    }
}

/// Which request an exchange was sent for: its `folder/name` (for people) and its id.
#[derive(Debug, Clone, Copy, Default)]
pub struct RequestRef<'a> {
    pub name: Option<&'a str>,
    pub id: Option<&'a str>,
    /// The whole body's size when the exchange holds only its first part (a response too
    /// large for memory, kept in a file): the entry says how much of it it keeps.
    pub whole_body_bytes: Option<u64>,
}

/// Records an exchange; returns the entry id.
pub fn record(dir: &Path, x: &Exchange, request_name: Option<&str>) -> std::io::Result<String> {
    record_for(
        dir,
        x,
        RequestRef {
            name: request_name,
            ..Default::default()
        },
    )
}

/// Writes `bytes` to a new file readable by its owner only.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut f = options.open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// The companion file of an entry holding its whole response body.
fn body_file(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("{id}.body"))
}

/// Records an exchange of a request (filed under its id); returns the entry id. A response
/// body above the cap is written whole, redacted, to `<id>.body` beside the entry.
pub fn record_for(dir: &Path, x: &Exchange, request: RequestRef) -> std::io::Result<String> {
    std::fs::create_dir_all(dir)?;
    let mut entry = entry_for(x, request.name);
    entry.request_id = request.id.map(str::to_string);
    if let Some(whole) = request
        .whole_body_bytes
        .filter(|w| *w > x.response.body.len() as u64)
    {
        // Only the first part reached memory: the entry keeps what it can and says so.
        entry.response_body_truncated = true;
        entry.response_body_bytes = Some(whole);
    } else if entry.response_body_truncated {
        let redactor = Redactor::for_exchange(x);
        let mut found = Found::default();
        let whole = redactor.scrub_bytes(&x.response.body, &mut found);
        let file = body_file(dir, &entry.id);
        write_private(&file, &whole)?;
        entry.response_body_file = file.file_name().map(|n| n.to_string_lossy().into_owned());
        entry.response_body_bytes = Some(x.response.body.len() as u64);
    }
    let text = serde_json::to_string_pretty(&entry).map_err(std::io::Error::other)?;
    let path = dir.join(format!("{}.json", entry.id));
    write_private(&path, text.as_bytes())?;
    prune(
        dir,
        env_number("SIGSCOPE_HISTORY_MAX_BYTES").unwrap_or(DEFAULT_MAX_BYTES),
    )?;
    Ok(entry.id)
}

/// Entry files, oldest first (ids start with the time), with their size and that of their
/// body file, if they have one.
fn entry_files(dir: &Path) -> Vec<(PathBuf, u64)> {
    let mut files: Vec<(PathBuf, u64)> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
                .map(|e| {
                    let body = e.path().with_extension("body");
                    let size = e.metadata().map(|m| m.len()).unwrap_or(0)
                        + std::fs::metadata(body).map(|m| m.len()).unwrap_or(0);
                    (e.path(), size)
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Drops the oldest entries (with their body files) until the folder holds at most
/// `max_bytes`.
pub fn prune(dir: &Path, max_bytes: u64) -> std::io::Result<()> {
    let files = entry_files(dir);
    let mut total: u64 = files.iter().map(|(_, s)| s).sum();
    for (path, size) in files {
        if total <= max_bytes {
            break;
        }
        std::fs::remove_file(&path)?;
        let _ = std::fs::remove_file(path.with_extension("body"));
        total -= size;
    }
    Ok(())
}

/// The entries of one request, oldest first: those filed under its id, and (recorded before
/// requests had ids) those under its name without an id.
pub fn for_request(dir: &Path, id: Option<&str>, name: &str) -> Vec<Entry> {
    list(dir)
        .into_iter()
        .filter(|e| match (&e.request_id, id) {
            (Some(have), Some(want)) => have == want,
            _ => e.request_id.is_none() && e.request_name.as_deref() == Some(name),
        })
        .collect()
}

/// The whole response body of an entry: from its body file when the entry keeps only the
/// first part; `Err` says plainly what was kept when that file is gone.
pub fn response_body(dir: &Path, e: &Entry) -> Result<bytes::Bytes, String> {
    match &e.response_body_file {
        None if e.response_body_truncated && e.response_body_bytes.is_some() => Err(format!(
            "history kept the first {} of {}: a body this large is not kept whole",
            crate::body::human_size(e.response_body.len()),
            crate::body::human_size(e.response_body_bytes.unwrap_or(0) as usize)
        )),
        None if e.response_body_truncated => Err(format!(
            "history kept the first {} of this body (recorded before whole bodies were kept)",
            crate::body::human_size(e.response_body.len())
        )),
        None => Ok(bytes::Bytes::from(e.response_body.clone())),
        Some(file) => std::fs::read(dir.join(file))
            .map(bytes::Bytes::from)
            .map_err(|err| {
                format!(
                    "history kept the first {} of {}: the whole body's file {file} is gone ({err})",
                    crate::body::human_size(e.response_body.len()),
                    crate::body::human_size(e.response_body_bytes.unwrap_or(0) as usize)
                )
            }),
    }
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

/// A recorded exchange with its whole response body (from its body file, read here: call
/// it off a UI loop); when only the first part was kept, the reason says so.
pub fn to_exchange_in(dir: &Path, e: &Entry) -> Exchange {
    let mut x = to_exchange(e);
    match response_body(dir, e) {
        Ok(body) => x.response.body = body,
        Err(note) => x.response.reason = format!("({note})"),
    }
    x
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::{Response, Timing};

    fn exchange(body: Vec<u8>, token: &str) -> Exchange {
        let mut request = crate::sign::WireRequest::from_url("GET", "http://x/big").unwrap();
        request
            .headers
            .push(("X-Amz-Security-Token".into(), token.into()));
        Exchange {
            request,
            trace: None,
            response: Response {
                status: 200,
                reason: "OK".into(),
                headers: Vec::new(),
                body: bytes::Bytes::from(body),
            },
            timing: Timing {
                started: std::time::SystemTime::now(),
                total: std::time::Duration::ZERO,
            },
        }
    }

    #[test]
    fn a_body_above_the_cap_is_kept_whole_beside_the_entry_redacted_and_private() {
        let dir = tempfile::tempdir().unwrap();
        let token = "IQoJb3JpZ2luX2VjEXAMPLETOKENEXAMPLETOKENEXAMPLETOKEN";
        // The echoed token sits past the cap: only the whole copy could leak it.
        let mut body = vec![b'x'; DEFAULT_BODY_CAP + 1000];
        body.extend_from_slice(format!("echo {token} end").as_bytes());
        let x = exchange(body.clone(), token);
        let request = RequestRef {
            name: Some("Big/get"),
            id: Some("0123456789abcdef"),
            whole_body_bytes: None,
        };
        let id = record_for(dir.path(), &x, request).unwrap();
        let e = show(dir.path(), &id).unwrap();
        assert_eq!(e.request_id.as_deref(), Some("0123456789abcdef"));
        assert!(e.response_body_truncated);
        assert_eq!(e.response_body_bytes, Some(body.len() as u64));
        let file = dir.path().join(e.response_body_file.as_deref().unwrap());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let whole = to_exchange_in(dir.path(), &e);
        let marker = crate::sign::trace::REDACTED_TOKEN;
        assert_eq!(
            whole.response.body.len(),
            body.len() - token.len() + marker.len()
        );
        let text = String::from_utf8_lossy(&whole.response.body);
        assert!(
            !text.contains(token) && text.ends_with(" end"),
            "redacted as the entry is"
        );
        // By id, and by name for an entry recorded before ids.
        record(
            dir.path(),
            &exchange(b"old".to_vec(), token),
            Some("Big/get"),
        )
        .unwrap();
        assert_eq!(
            for_request(dir.path(), Some("0123456789abcdef"), "Big/get").len(),
            2
        );
        assert_eq!(
            for_request(dir.path(), Some("fedcba9876543210"), "Renamed").len(),
            0
        );
        // The whole body's file gone (pruned): said plainly.
        std::fs::remove_file(&file).unwrap();
        let kept = to_exchange_in(dir.path(), &e);
        assert!(
            kept.response.reason.contains("history kept the first"),
            "{}",
            kept.response.reason
        );
        // Pruning takes body files with their entries.
        let id = record_for(dir.path(), &x, request).unwrap();
        prune(dir.path(), 0).unwrap();
        assert!(!body_file(dir.path(), &id).exists());
    }
}
