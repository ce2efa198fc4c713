//! Loading and saving collection files: located errors, the secret refusal, atomic saves
//! (temporary file, fsync, rename) and a refusal to overwrite a file changed on disk.

use super::collection::Collection;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{file}: {source}")]
    Io {
        file: String,
        source: std::io::Error,
    },
    #[error("{file}:{line}:{column}: {message}")]
    Syntax {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{file}: at {path}: {message}")]
    Schema {
        file: String,
        path: String,
        message: String,
    },
    /// Not a regular file (a FIFO, a device, a folder), or larger than the limit: not read.
    #[error("{file}: skipped: {reason}")]
    Skipped { file: String, reason: String },
    /// Bytes that are not UTF-8 (or a UTF-16 file): refused rather than replaced and
    /// written back as U+FFFD.
    #[error("{file}:{line}:{column}: not UTF-8 (byte offset {offset}){hint}")]
    Encoding {
        file: String,
        line: usize,
        column: usize,
        offset: usize,
        hint: String,
    },
    #[error("{file}: at {path}: {what} — a collection must never hold a secret. {fix}")]
    Secret {
        file: String,
        path: String,
        what: String,
        fix: String,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("{0}: changed on disk since it was loaded; reload it or save with overwrite")]
    Conflict(String),
    /// A secret typed into the collection: nothing is written.
    #[error("not saved: {0}")]
    Secret(Box<LoadError>),
    #[error("{file}: {source}")]
    Io {
        file: String,
        source: std::io::Error,
    },
}

/// A loaded collection and the fingerprint of the bytes it came from.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub path: PathBuf,
    pub collection: Collection,
    pub fingerprint: [u8; 32],
}

/// The same refusal as on load, before anything reaches disk.
pub fn refuse_secrets_in(file: &str, collection: &Collection) -> Result<(), SaveError> {
    let value = serde_json::to_value(collection).expect("a collection always serializes");
    super::secrets::refuse_secrets(file, &value).map_err(|e| SaveError::Secret(Box::new(e)))
}

pub fn fingerprint(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// The collection format version this program reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// Collection files larger than this are not read (override:
/// `SIGSCOPE_MAX_COLLECTION_BYTES`): a link to `/dev/zero` must not fill the memory.
pub const MAX_COLLECTION_BYTES: u64 = 64 * 1024 * 1024;

pub(crate) fn max_collection_bytes() -> u64 {
    std::env::var("SIGSCOPE_MAX_COLLECTION_BYTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(MAX_COLLECTION_BYTES)
}

/// Why `read_regular` did not read a file.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Skipped(String),
}

fn file_kind(ft: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if ft.is_char_device() || ft.is_block_device() {
            return "a device";
        }
        if ft.is_socket() {
            return "a socket";
        }
    }
    if ft.is_dir() {
        "a folder"
    } else {
        "not a regular file"
    }
}

/// Reads a regular file of at most `cap` bytes. The file is opened without blocking (a
/// FIFO with no writer would otherwise wait forever) and checked once open, so a file
/// swapped for a FIFO or a device between a check and the read is refused too; the read
/// itself stops at `cap` + 1 bytes whatever the size says (`/proc` files say 0).
pub fn read_regular(path: &Path, cap: u64) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(ReadError::Skipped(format!(
            "{} cannot be a collection: only regular files are read",
            file_kind(&meta.file_type())
        )));
    }
    let too_big = |n: u64| {
        ReadError::Skipped(format!(
            "{n} bytes or more, over the {cap}-byte limit for a collection (SIGSCOPE_MAX_COLLECTION_BYTES)"
        ))
    };
    if meta.len() > cap {
        return Err(too_big(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(cap.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}

/// The UTF-8 text of a file's bytes, a leading byte-order mark dropped (RFC 8259 lets a
/// parser ignore it); anything else that is not UTF-8 is an error at its line, column and
/// byte offset.
pub fn decode(file: &str, bytes: &[u8]) -> Result<String, LoadError> {
    decode_str(file, bytes).map(str::to_string)
}

/// `decode` without the copy.
pub fn decode_str<'a>(file: &str, bytes: &'a [u8]) -> Result<&'a str, LoadError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(t) => Ok(t),
        Err(e) => {
            let offset = e.valid_up_to();
            let before = &bytes[..offset];
            let line = before.iter().filter(|b| **b == b'\n').count() + 1;
            let line_start = before
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&before[line_start..])
                .chars()
                .count()
                + 1;
            let hint = if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
                ": the file is UTF-16; save it as UTF-8"
            } else {
                ": save the file as UTF-8 (nothing was changed)"
            };
            Err(LoadError::Encoding {
                file: file.to_string(),
                line,
                column,
                offset,
                hint: hint.to_string(),
            })
        }
    }
}

/// Parses collection text; `file` names it in errors.
pub fn parse(file: &str, text: &str) -> Result<Collection, LoadError> {
    parse_checked(file, text).map(|(c, _)| c)
}

/// `parse`, with the warnings: keys given twice in one object (the last one is used).
pub fn parse_checked(file: &str, text: &str) -> Result<(Collection, Vec<String>), LoadError> {
    match parse_clean(text) {
        Some(collection) => Ok((collection, Vec::new())),
        None => parse_tree(file, text),
    }
}

/// The common case, without building a tree: a file that deserializes as it is, in this
/// version's format, with no key given twice and nothing the secret refusal finds (`scan`).
/// Such a file passes every check of `parse_tree` (the type admits no other tool's format),
/// so the result is the same; anything else goes the long way, which says what and where.
fn parse_clean(text: &str) -> Option<Collection> {
    let collection: Collection = serde_json::from_str(text).ok()?;
    let clean = collection.version == FORMAT_VERSION
        && check_numbers(&collection).is_ok()
        && super::scan::is_clean(text);
    clean.then_some(collection)
}

/// Every check in order, on the parsed tree: the located errors and the warnings. What
/// `parse_checked` does for any file but a clean one (the fuzz tests hold the two equal).
pub fn parse_tree(file: &str, text: &str) -> Result<(Collection, Vec<String>), LoadError> {
    if text.trim().is_empty() {
        return Err(LoadError::Syntax {
            file: file.to_string(),
            line: 1,
            column: 1,
            message: "the file is empty: a collection is a JSON object such as {\"version\": 1, \"name\": \"pets\"}".into(),
        });
    }
    let (value, duplicates) =
        super::json::parse_noting_duplicates(text).map_err(|e| LoadError::Syntax {
            file: file.to_string(),
            line: e.line(),
            // serde_json says column 0 for an error at the end of a line (a file cut short).
            column: e.column().max(1),
            message: e
                .to_string()
                .split(" at line")
                .next()
                .unwrap_or_default()
                .to_string(),
        })?;
    crate::import::detect::refuse_foreign(file, &value)?;
    super::secrets::refuse_secrets(file, &value)?;
    // The first thing a hand-written file misses: say what to add, not only what is wrong.
    if value.is_object() && value.get("version").is_none() {
        return Err(LoadError::Schema {
            file: file.to_string(),
            path: "$".into(),
            message: format!(
                "missing field `version`: add \"version\": {FORMAT_VERSION} at the top of the object (the collection format this sigscope reads), e.g. {{\"version\": {FORMAT_VERSION}, \"name\": \"{}\"}}",
                value.get("name").and_then(serde_json::Value::as_str).unwrap_or("pets")
            ),
        });
    }
    if let Some(v) = value.get("version").and_then(serde_json::Value::as_u64) {
        if v != u64::from(FORMAT_VERSION) {
            return Err(LoadError::Schema {
                file: file.to_string(),
                path: "$.version".into(),
                message: format!(
                    "version {v} is not a collection format this sigscope reads (it reads version {FORMAT_VERSION}){}",
                    if v > u64::from(FORMAT_VERSION) { ": the file was written by a newer sigscope; upgrade" } else { "" }
                ),
            });
        }
    }
    // From the parsed value: the text is tokenized once.
    let collection = serde_path_to_error::deserialize(value).map_err(|e| LoadError::Schema {
        file: file.to_string(),
        path: format!("$.{}", e.path()),
        message: e
            .inner()
            .to_string()
            .split(" at line")
            .next()
            .unwrap_or_default()
            .to_string(),
    })?;
    check_numbers(&collection).map_err(|(path, message)| LoadError::Schema {
        file: file.to_string(),
        path,
        message,
    })?;
    let warnings = duplicates
        .into_iter()
        .map(|d| format!("{file}: {d}"))
        .collect();
    Ok((collection, warnings))
}

/// The largest `clockOffsetSeconds`: ten years either way (the gateway's `--clock-skew` has
/// the same bound). Signing at `now + i64::MAX` seconds overflows the clock and panics.
pub const MAX_CLOCK_OFFSET_SECS: i64 = 10 * 365 * 24 * 3600;

/// Numbers the schema's types allow but the program cannot use: (JSON path, message).
fn check_numbers(c: &Collection) -> Result<(), (String, String)> {
    /// `at` spells the path, asked only for an error (a request's would cost a string each).
    fn auth(a: &super::Auth, at: impl FnOnce() -> String) -> Result<(), (String, String)> {
        if let super::Auth::AwsSigv4 {
            clock_offset_seconds: Some(s),
            ..
        } = a
        {
            if !(-MAX_CLOCK_OFFSET_SECS..=MAX_CLOCK_OFFSET_SECS).contains(s) {
                return Err((
                    format!("{}.auth.clockOffsetSeconds", at()),
                    format!("{s} is out of range: a clock offset is at most {MAX_CLOCK_OFFSET_SECS} seconds (ten years) either way"),
                ));
            }
        }
        Ok(())
    }
    fn requests(rs: &[super::RequestSpec], at: &str) -> Result<(), (String, String)> {
        for (i, r) in rs.iter().enumerate() {
            auth(&r.auth, || format!("{at}.requests[{i}]"))?;
        }
        Ok(())
    }
    fn folders(fs: &[super::Folder], at: &str) -> Result<(), (String, String)> {
        for (i, f) in fs.iter().enumerate() {
            let here = format!("{at}.folders[{i}]");
            auth(&f.auth, || here.clone())?;
            requests(&f.requests, &here)?;
            folders(&f.folders, &here)?;
        }
        Ok(())
    }
    auth(&c.auth, || "$".into())?;
    requests(&c.requests, "$")?;
    folders(&c.folders, "$")
}

pub fn load(path: &Path) -> Result<Loaded, LoadError> {
    load_checked(path).map(|(l, _)| l)
}

/// `load`, with the file's warnings.
pub fn load_checked(path: &Path) -> Result<(Loaded, Vec<String>), LoadError> {
    let file = path.display().to_string();
    let bytes = read_regular(path, max_collection_bytes()).map_err(|e| match e {
        ReadError::Io(source) => LoadError::Io {
            file: file.clone(),
            source,
        },
        ReadError::Skipped(reason) => LoadError::Skipped {
            file: file.clone(),
            reason,
        },
    })?;
    let text = decode_str(&file, &bytes)?;
    let (collection, warnings) = parse_checked(&file, text)?;
    Ok((
        Loaded {
            path: path.to_path_buf(),
            collection,
            fingerprint: fingerprint(&bytes),
        },
        warnings,
    ))
}

/// Every collection of a folder: those that loaded, those that did not, and warnings.
#[derive(Debug, Default)]
pub struct Report {
    pub loaded: Vec<Loaded>,
    pub errors: Vec<LoadError>,
    pub warnings: Vec<String>,
}

/// Every `*.json` collection in `dir` (sorted by name), and the errors of those that failed:
/// one bad file leaves the others usable.
pub fn load_all(dir: &Path) -> (Vec<Loaded>, Vec<LoadError>) {
    let r = load_all_checked(dir);
    (r.loaded, r.errors)
}

/// `load_all`, with the warnings.
pub fn load_all_checked(dir: &Path) -> Report {
    let paths = collection_files(dir);
    let mut report = Report::default();
    for p in paths {
        match load_checked(&p) {
            Ok((l, w)) => {
                report.loaded.push(l);
                report.warnings.extend(w);
            }
            Err(e) => report.errors.push(e),
        }
    }
    report
}

/// The collection files of `dir`, sorted by name: `*.json` but not `*.schema.json`.
pub fn collection_files(dir: &Path) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.extension().is_some_and(|e| e == "json")
                        && !p
                            .file_name()
                            .is_some_and(|n| n.to_string_lossy().ends_with(".schema.json"))
                })
                .collect()
        })
        .unwrap_or_default();
    paths.sort();
    paths
}

/// The file text: 2-space pretty JSON, fields in a fixed order, trailing newline.
pub fn to_text(collection: &Collection) -> String {
    let mut text =
        serde_json::to_string_pretty(collection).expect("a collection always serializes");
    text.push('\n');
    text
}

/// Writes `bytes` atomically: a temporary file in the same folder, fsync, rename, fsync
/// of the folder. A crash leaves the old file or the new one, never a torn one. A symbolic
/// link is written through to its target (the link stays a link), and an existing file
/// keeps its permissions (a 0600 file stays 0600).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, bytes, &mut |_| Ok(()))
}

/// The file a save really writes: links followed (chains too, relative targets taken from
/// the link's folder), a dangling link's target created.
pub fn save_target(path: &Path) -> std::io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = std::fs::read_link(&p)?;
                p = if target.is_absolute() {
                    target
                } else {
                    p.parent().unwrap_or(Path::new(".")).join(target)
                };
            }
            _ => return Ok(p),
        }
    }
    Err(std::io::Error::other(format!(
        "{}: too many levels of symbolic links",
        path.display()
    )))
}

/// The steps of an atomic save, for tests that interrupt it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveStep {
    Created,
    Written,
    Synced,
    Renamed,
}

/// `write_atomic`, calling `interrupt` after each step; an error there aborts the save.
pub fn write_atomic_with(
    path: &Path,
    bytes: &[u8],
    interrupt: &mut dyn FnMut(SaveStep) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let target = save_target(path)?;
    let path = target.as_path();
    if let Ok(meta) = std::fs::metadata(path) {
        if !meta.is_file() {
            return write_in_place(path, &meta, bytes);
        }
    }
    let permissions = std::fs::metadata(path).ok().map(|m| m.permissions());
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        if let Some(p) = &permissions {
            f.set_permissions(p.clone())?;
        }
        interrupt(SaveStep::Created)?;
        f.write_all(bytes)?;
        interrupt(SaveStep::Written)?;
        f.sync_all()?;
        interrupt(SaveStep::Synced)?;
        drop(f);
        std::fs::rename(&tmp, path)?;
        interrupt(SaveStep::Renamed)?;
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A target that is not a regular file (`/dev/null`, `/dev/stdout`, a named pipe) is written
/// where it is: renaming a temporary file over it would replace the device with a file.
fn write_in_place(path: &Path, meta: &std::fs::Metadata, bytes: &[u8]) -> std::io::Result<()> {
    if meta.is_dir() {
        return Err(std::io::Error::other(format!(
            "{} is a folder, not a file",
            path.display()
        )));
    }
    let mut f = std::fs::OpenOptions::new().write(true).open(path)?;
    f.write_all(bytes)?;
    f.flush()
}

/// Saves a loaded collection unless the file changed on disk since it was loaded.
pub fn save(loaded: &mut Loaded, overwrite: bool) -> Result<(), SaveError> {
    let file = loaded.path.display().to_string();
    if !overwrite {
        if let Ok(current) = std::fs::read(&loaded.path) {
            if fingerprint(&current) != loaded.fingerprint {
                return Err(SaveError::Conflict(file));
            }
        }
    }
    refuse_secrets_in(&file, &loaded.collection)?;
    let text = to_text(&loaded.collection);
    if let Some(dir) = loaded.path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| SaveError::Io {
            file: file.clone(),
            source,
        })?;
    }
    write_atomic(&loaded.path, text.as_bytes()).map_err(|source| SaveError::Io { file, source })?;
    loaded.fingerprint = fingerprint(text.as_bytes());
    Ok(())
}

/// `--collections DIR`, else `./collections` when it exists, else the user's data directory.
pub fn collections_dir(overridden: Option<&Path>) -> PathBuf {
    if let Some(d) = overridden {
        return d.to_path_buf();
    }
    let local = PathBuf::from("collections");
    if local.is_dir() {
        return local;
    }
    super::history::data_dir().join("collections")
}
