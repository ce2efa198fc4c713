//! Heads kept between starts (`heads/` in the data folder): the head of a big collection file
//! as an earlier start parsed it (`model::head`), used while the file is that same file: same
//! inode, size, and modification and change times to the nanosecond. So a start over a big
//! file that has not changed reads a few dozen kilobytes, not the whole file, before its
//! first screen.
//!
//! A file changed less than a second before it was read is never kept: a change made within
//! the same tick of the file system's clock could leave every time as it was (git's "racy"
//! index entries). The change time cannot be set back by `touch` or an editor. A head is
//! kept only once the whole file has loaded without an error or a warning, so it holds
//! nothing the loader refuses (a secret in a collection is an error). It is written
//! atomically, with the version of sigscope that wrote it: any other version ignores it.

use super::collection::Collection;
use super::head::{Head, Skipped};
use super::store::Loaded;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// What identifies the contents of a file without reading it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    inode: u64,
    len: u64,
    modified_ns: i128,
    changed_ns: i128,
}

impl Stamp {
    /// `None` where the file system gives no change time (not on Unix).
    pub fn of(path: &Path) -> Option<Stamp> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let m = std::fs::metadata(path).ok()?;
            let ns = |s: i64, n: i64| i128::from(s) * 1_000_000_000 + i128::from(n);
            Some(Stamp {
                inode: m.ino(),
                len: m.len(),
                modified_ns: ns(m.mtime(), m.mtime_nsec()),
                changed_ns: ns(m.ctime(), m.ctime_nsec()),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = path;
            None
        }
    }

    /// Whether the file was last changed at least a second before `now_ns`.
    fn settled(&self, now_ns: i128) -> bool {
        self.changed_ns <= now_ns - 1_000_000_000
    }

    /// Whether a head read with this stamp may be kept (`put` writes it): the file was last
    /// changed at least a second ago.
    pub fn keepable(&self) -> bool {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as i128);
        self.settled(now)
    }
}

/// The stamp of the bytes of `path` that `read` reads: `None` if the file changed meanwhile.
pub fn read_stamped<T>(path: &Path, read: impl FnOnce() -> T) -> (T, Option<Stamp>) {
    let before = Stamp::of(path);
    let value = read();
    let stamp = before.filter(|b| Stamp::of(path).as_ref() == Some(b));
    (value, stamp)
}

#[derive(Serialize, Deserialize)]
struct Kept {
    version: String,
    stamp: Stamp,
    budget: usize,
    collection: Collection,
    skipped: Skipped,
}

/// The heads folder in the data folder.
pub fn heads_dir() -> PathBuf {
    super::history::data_dir().join("heads")
}

/// The head of `path` kept by an earlier start with this `budget`, if the file is still the
/// one it was read from.
pub fn get(dir: &Path, path: &Path, budget: usize) -> Option<Head> {
    let stamp = Stamp::of(path)?;
    let bytes = std::fs::read(crate::model::drafts::file_for(dir, path)).ok()?;
    let kept: Kept = serde_json::from_slice(&bytes).ok()?;
    let same =
        kept.version == env!("CARGO_PKG_VERSION") && kept.stamp == stamp && kept.budget == budget;
    same.then(|| Head {
        loaded: Loaded {
            path: path.to_path_buf(),
            collection: kept.collection,
            fingerprint: [0; 32],
        },
        skipped: kept.skipped,
    })
}

/// Keeps `head`, read with `budget` from the bytes `stamp` identifies, unless the file had
/// changed less than a second before (then nothing is written).
pub fn put(dir: &Path, stamp: &Stamp, head: &Head, budget: usize) -> std::io::Result<()> {
    if !stamp.keepable() {
        return Ok(());
    }
    #[derive(Serialize)]
    struct KeptRef<'a> {
        version: &'a str,
        stamp: &'a Stamp,
        budget: usize,
        collection: &'a Collection,
        skipped: &'a Skipped,
    }
    let text = serde_json::to_vec(&KeptRef {
        version: env!("CARGO_PKG_VERSION"),
        stamp,
        budget,
        collection: &head.loaded.collection,
        skipped: &head.skipped,
    })
    .map_err(std::io::Error::other)?;
    std::fs::create_dir_all(dir)?;
    super::store::write_atomic(
        &crate::model::drafts::file_for(dir, &head.loaded.path),
        &text,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_head_is_the_head_while_the_file_is_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let heads = dir.path().join("heads");
        let path = dir.path().join("c.json");
        let text = r#"{"version": 1, "name": "c", "requests": [
            {"name": "a", "method": "GET", "url": "http://x/a"},
            {"name": "b", "method": "GET", "url": "http://x/b"}]}"#;
        std::fs::write(&path, text).unwrap();
        let (bytes, stamp) = read_stamped(&path, || std::fs::read(&path).unwrap());
        let head = super::super::head::from_bytes(&path, &bytes, 1).unwrap();
        // Just written: not kept.
        put(&heads, stamp.as_ref().unwrap(), &head, 1).unwrap();
        assert!(get(&heads, &path, 1).is_none());
        // As if written two seconds earlier.
        let mut old = stamp.clone().unwrap();
        old.changed_ns -= 2_000_000_000;
        let now = Stamp::of(&path).unwrap();
        assert!(!now.settled(now.changed_ns) && old.settled(now.changed_ns));
        let kept = Kept {
            version: env!("CARGO_PKG_VERSION").into(),
            stamp: now.clone(),
            budget: 1,
            collection: head.loaded.collection.clone(),
            skipped: head.skipped.clone(),
        };
        std::fs::create_dir_all(&heads).unwrap();
        let file = crate::model::drafts::file_for(&heads, &path);
        std::fs::write(&file, serde_json::to_vec(&kept).unwrap()).unwrap();
        let got = get(&heads, &path, 1).expect("the kept head");
        assert_eq!(got.loaded.collection, head.loaded.collection);
        assert_eq!(got.skipped, vec![(vec![], 1)]);
        // Another budget, another version, or a changed file: not that head.
        assert!(get(&heads, &path, 2).is_none());
        let other = Kept {
            version: "0.0.0-other".into(),
            ..kept
        };
        std::fs::write(&file, serde_json::to_vec(&other).unwrap()).unwrap();
        assert!(get(&heads, &path, 1).is_none());
        let back = Kept {
            version: env!("CARGO_PKG_VERSION").into(),
            ..other
        };
        std::fs::write(&file, serde_json::to_vec(&back).unwrap()).unwrap();
        assert!(get(&heads, &path, 1).is_some());
        std::fs::write(&path, text.replace("\"b\"", "\"bb\"")).unwrap();
        assert!(get(&heads, &path, 1).is_none());
    }
}
