//! Unsaved edits, kept beside the data directory so they survive a crash: one file per
//! collection, written atomically (0600) after each change, removed on save or discard.
//! The same secret refusal as a save applies, and the current secret key and session token
//! (`redact::Redactor::known`) are replaced by markers: a draft never holds a key or token.

use super::store::{refuse_secrets_in, write_atomic, Loaded, SaveError};
use super::Collection;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

#[derive(Debug, Serialize, Deserialize)]
pub struct Draft {
    /// The collection file the draft belongs to.
    pub collection_path: PathBuf,
    /// The fingerprint of the file the edits started from (hex).
    pub base: String,
    pub collection: Collection,
    /// What was replaced by a marker: the current secret key or session token typed into
    /// the collection (text the secret check cannot tell from any other).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub redacted: Vec<String>,
}

pub fn drafts_dir() -> PathBuf {
    super::history::data_dir().join("drafts")
}

/// The file in `dir` kept for the collection file at `collection_path` (its draft here, its
/// head in `head_cache`): named by a hash of the real path, links resolved.
pub(crate) fn file_for(dir: &Path, collection_path: &Path) -> PathBuf {
    let abs = std::fs::canonicalize(collection_path).unwrap_or_else(|_| collection_path.into());
    let h = hex::encode(Sha256::digest(abs.to_string_lossy().as_bytes()));
    dir.join(format!("{}.json", &h[..16]))
}

/// Writes the draft of `loaded` (its in-memory collection).
pub fn write(dir: &Path, loaded: &Loaded) -> Result<(), SaveError> {
    let file = loaded.path.display().to_string();
    refuse_secrets_in(&file, &loaded.collection)?;
    let mut draft = Draft {
        collection_path: loaded.path.clone(),
        base: hex::encode(loaded.fingerprint),
        collection: loaded.collection.clone(),
        redacted: Vec::new(),
    };
    let io = |source| SaveError::Io {
        file: dir.display().to_string(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    let redactor = super::redact::Redactor::known();
    let mut found = super::redact::Found::default();
    let mut text = redactor
        .scrub_bytes(
            &serde_json::to_vec_pretty(&draft).expect("a draft always serializes"),
            &mut found,
        )
        .into_owned();
    if !found.is_empty() {
        draft.redacted = found.descriptions();
        text = redactor
            .scrub_bytes(
                &serde_json::to_vec_pretty(&draft).expect("a draft always serializes"),
                &mut found,
            )
            .into_owned();
    }
    let path = file_for(dir, &loaded.path);
    write_atomic(&path, &text).map_err(io)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600));
    }
    Ok(())
}

/// The draft for a collection file, if one was left; `Err` says why it cannot apply.
pub fn read(dir: &Path, loaded: &Loaded) -> Option<Result<Draft, String>> {
    let path = file_for(dir, &loaded.path);
    let text = match super::store::read_regular(&path, 256 * 1024 * 1024) {
        Ok(t) => t,
        Err(super::store::ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            return None
        }
        Err(e) => return Some(Err(format!("{}: unreadable draft ({e})", path.display()))),
    };
    Some(match serde_json::from_slice::<Draft>(&text) {
        Err(e) => Err(format!("{}: unreadable draft ({e})", path.display())),
        Ok(d) if d.base != hex::encode(loaded.fingerprint) => Err(format!(
            "{} changed on disk after the unsaved edits in {} were made; the draft was not applied",
            loaded.path.display(),
            path.display()
        )),
        Ok(d) => Ok(d),
    })
}

/// Whether a draft was left for a collection file (without reading it).
pub fn exists(dir: &Path, collection_path: &Path) -> bool {
    file_for(dir, collection_path).exists()
}

pub fn remove(dir: &Path, collection_path: &Path) {
    let _ = std::fs::remove_file(file_for(dir, collection_path));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loaded(dir: &Path) -> Loaded {
        let path = dir.join("c.json");
        std::fs::write(&path, "{\"version\":1,\"name\":\"c\"}").unwrap();
        super::super::load(&path).unwrap()
    }

    #[test]
    fn a_draft_round_trips_and_is_refused_once_the_file_changes() {
        let tmp = std::env::temp_dir().join(format!("sigscope-drafts-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&tmp).unwrap();
        let drafts = tmp.join("drafts");
        let mut l = loaded(&tmp);
        assert!(read(&drafts, &l).is_none());
        l.collection.name = "edited".into();
        write(&drafts, &l).unwrap();
        let d = read(&drafts, &l).unwrap().unwrap();
        assert_eq!(d.collection.name, "edited");
        // The file changes under us: the draft no longer applies, and says so.
        std::fs::write(&l.path, "{\"version\":1,\"name\":\"other\"}").unwrap();
        let fresh = super::super::load(&l.path).unwrap();
        assert!(read(&drafts, &fresh)
            .unwrap()
            .unwrap_err()
            .contains("changed on disk"));
        // A secret typed in never reaches the draft.
        l.collection.variables.insert(
            "secret".into(),
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into(),
        );
        assert!(matches!(write(&drafts, &l), Err(SaveError::Secret(_))));
        // The current secret key, in a shape the check cannot tell from other text, is
        // replaced in the draft and the draft says so.
        l.collection.variables.clear();
        crate::model::redact::remember(&crate::aws::credentials::Credentials::new(
            "AKIAEXAMPLEDRAFT0001",
            "draft-secret-without-a-key-shape-42",
            None,
            "test",
        ));
        l.collection.description = Some("note draft-secret-without-a-key-shape-42".into());
        write(&drafts, &l).unwrap();
        let raw = std::fs::read_to_string(file_for(&drafts, &l.path)).unwrap();
        assert!(!raw.contains("draft-secret-without"), "{raw}");
        let d = read(&drafts, &l).unwrap().unwrap();
        assert_eq!(d.redacted, vec!["secret access key"]);
        remove(&drafts, &l.path);
        assert!(read(&drafts, &l).is_none());
        std::fs::remove_dir_all(&tmp).unwrap();
    }
}
