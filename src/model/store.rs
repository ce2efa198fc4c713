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

/// Parses collection text; `file` names it in errors.
pub fn parse(file: &str, text: &str) -> Result<Collection, LoadError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| LoadError::Syntax {
        file: file.to_string(),
        line: e.line(),
        column: e.column(),
        message: e
            .to_string()
            .split(" at line")
            .next()
            .unwrap_or_default()
            .to_string(),
    })?;
    crate::import::detect::refuse_foreign(file, &value)?;
    super::secrets::refuse_secrets(file, &value)?;
    // From the parsed value: the text is tokenized once.
    serde_path_to_error::deserialize(value).map_err(|e| LoadError::Schema {
        file: file.to_string(),
        path: format!("$.{}", e.path()),
        message: e
            .inner()
            .to_string()
            .split(" at line")
            .next()
            .unwrap_or_default()
            .to_string(),
    })
}

pub fn load(path: &Path) -> Result<Loaded, LoadError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| LoadError::Io {
        file: file.clone(),
        source,
    })?;
    let text = String::from_utf8_lossy(&bytes);
    Ok(Loaded {
        path: path.to_path_buf(),
        collection: parse(&file, &text)?,
        fingerprint: fingerprint(&bytes),
    })
}

/// Every `*.json` collection in `dir` (sorted by name), and the errors of those that failed:
/// one bad file leaves the others usable.
pub fn load_all(dir: &Path) -> (Vec<Loaded>, Vec<LoadError>) {
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
    let (mut ok, mut errors) = (Vec::new(), Vec::new());
    for p in paths {
        match load(&p) {
            Ok(l) => ok.push(l),
            Err(e) => errors.push(e),
        }
    }
    (ok, errors)
}

/// The file text: 2-space pretty JSON, fields in a fixed order, trailing newline.
pub fn to_text(collection: &Collection) -> String {
    let mut text =
        serde_json::to_string_pretty(collection).expect("a collection always serializes");
    text.push('\n');
    text
}

/// Writes `bytes` atomically: a temporary file in the same folder, fsync, rename, fsync
/// of the folder. A crash leaves the old file or the new one, never a torn one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, bytes, &mut |_| Ok(()))
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
