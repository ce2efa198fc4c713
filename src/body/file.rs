//! A body too large to hold in memory, read from its file in windows: a sparse index of line
//! starts built by one streaming pass, then each line (or its first bytes) read by offset
//! when it is drawn, and searches done by streaming the file. A 1 GB response costs its index
//! (eight bytes every 64 lines) and the screenful being drawn, not a gigabyte.

use std::borrow::Cow;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One checkpoint every this many lines (as `Lines`).
const EVERY: usize = 64;
/// What one read of the file takes.
const CHUNK: usize = 1 << 20;

/// A body's file, removed when the last holder lets it go.
#[derive(Debug)]
pub struct BodyFile {
    pub path: PathBuf,
    pub len: u64,
}

impl Drop for BodyFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// A line source: the in-memory `Lines` or a file read in windows.
pub trait LineSource {
    fn count(&self) -> usize;
    /// Line `i` without its line break, at most `max` bytes of it.
    fn line_prefix(&self, i: usize, max: usize) -> Cow<'_, [u8]>;
}

impl LineSource for super::Lines {
    fn count(&self) -> usize {
        self.len()
    }
    fn line_prefix(&self, i: usize, max: usize) -> Cow<'_, [u8]> {
        let l = self.line(i);
        Cow::Borrowed(&l[..l.len().min(max)])
    }
}

#[derive(Debug, Clone)]
pub struct FileLines {
    pub file: Arc<BodyFile>,
    handle: Arc<std::fs::File>,
    /// The offset of lines 0, EVERY, 2·EVERY, ...
    checkpoints: Vec<u64>,
    count: usize,
}

#[cfg(unix)]
fn read_at(f: &std::fs::File, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(f, buf, offset)
}

#[cfg(not(unix))]
fn read_at(f: &std::fs::File, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(f, buf, offset)
}

impl FileLines {
    /// Indexes a body file in one streaming pass.
    pub fn index(file: Arc<BodyFile>) -> std::io::Result<FileLines> {
        let handle = std::fs::File::open(&file.path)?;
        let mut reader = std::io::BufReader::with_capacity(CHUNK, &handle);
        let mut buf = vec![0u8; CHUNK];
        let (mut checkpoints, mut count, mut at) = (vec![0u64], 1usize, 0u64);
        let mut last = None;
        loop {
            let n = reader.read(&mut buf)?;
            if n == 0 {
                break;
            }
            for i in memchr::memchr_iter(b'\n', &buf[..n]) {
                let next = at + i as u64 + 1;
                if count % EVERY == 0 {
                    checkpoints.push(next);
                }
                count += 1;
                last = Some(next);
            }
            at += n as u64;
        }
        // A final line break does not start a line.
        if last == Some(at) && count > 1 {
            count -= 1;
            if (count % EVERY == 0) && checkpoints.last() == Some(&at) {
                checkpoints.pop();
            }
        }
        Ok(FileLines {
            file,
            handle: Arc::new(handle),
            checkpoints,
            count,
        })
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.file.len == 0
    }

    pub fn path(&self) -> &Path {
        &self.file.path
    }

    /// The offset of line `i`: from its checkpoint, newlines counted in chunks.
    fn start(&self, i: usize) -> u64 {
        let mut at = self.checkpoints[(i / EVERY).min(self.checkpoints.len() - 1)];
        let mut skip = i % EVERY;
        let mut buf = vec![0u8; 64 * 1024];
        while skip > 0 && at < self.file.len {
            let Ok(n) = read_at(&self.handle, &mut buf, at) else {
                return self.file.len;
            };
            if n == 0 {
                break;
            }
            let mut consumed = n;
            for k in memchr::memchr_iter(b'\n', &buf[..n]) {
                skip -= 1;
                if skip == 0 {
                    consumed = k + 1;
                    break;
                }
            }
            at += consumed as u64;
        }
        at
    }

    /// `len` bytes at `offset` (fewer at the end).
    pub fn bytes_at(&self, offset: u64, len: usize) -> Vec<u8> {
        let mut buf = vec![0u8; len];
        let mut got = 0;
        while got < len {
            match read_at(&self.handle, &mut buf[got..], offset + got as u64) {
                Ok(0) | Err(_) => break,
                Ok(n) => got += n,
            }
        }
        buf.truncate(got);
        buf
    }

    /// Every match of `needle` (folded as `Lines::find_all`), by line, at most
    /// `MAX_MATCHES`; the file is streamed, chunks overlapping by the needle's length.
    pub fn find_all(&self, needle: &str) -> Vec<usize> {
        self.find_all_chunked(needle, CHUNK)
    }

    fn find_all_chunked(&self, needle: &str, chunk: usize) -> Vec<usize> {
        let n = needle.as_bytes();
        if n.is_empty() || self.is_empty() {
            return Vec::new();
        }
        let fold = !n.iter().any(u8::is_ascii_uppercase);
        let lower: Vec<u8> = n.to_ascii_lowercase();
        let mut out = Vec::new();
        let (mut offset, mut line) = (0u64, 0usize);
        let mut carry: Vec<u8> = Vec::new();
        let mut buf = vec![0u8; chunk];
        while let Ok(got) = read_at(&self.handle, &mut buf, offset) {
            if got == 0 {
                break;
            }
            // The window: the last bytes of the previous chunk, then this one.
            let mut window = std::mem::take(&mut carry);
            let carried = window.len();
            window.extend_from_slice(&buf[..got]);
            let hay: Cow<[u8]> = if fold {
                Cow::Owned(window.to_ascii_lowercase())
            } else {
                Cow::Borrowed(&window)
            };
            let needle: &[u8] = if fold { &lower } else { n };
            let mut counted = 0;
            for at in memchr::memmem::find_iter(&hay, needle) {
                // Matches wholly inside the carried part were found last time.
                if at + needle.len() <= carried {
                    continue;
                }
                line += memchr::memchr_iter(b'\n', &window[counted..at]).count();
                counted = at;
                out.push(line);
                if out.len() == super::MAX_MATCHES {
                    return out;
                }
            }
            let keep = n.len().saturating_sub(1).min(window.len());
            let cut = window.len() - keep;
            line += memchr::memchr_iter(b'\n', &window[counted.min(cut)..cut]).count();
            carry = window[cut..].to_vec();
            offset += got as u64;
        }
        out
    }
}

impl LineSource for FileLines {
    fn count(&self) -> usize {
        self.count
    }

    fn line_prefix(&self, i: usize, max: usize) -> Cow<'_, [u8]> {
        let start = self.start(i);
        let mut line = self.bytes_at(start, max.min(CHUNK));
        if let Some(end) = memchr::memchr(b'\n', &line) {
            line.truncate(end);
        }
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        Cow::Owned(line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_of(text: &[u8]) -> (tempfile::TempDir, Arc<BodyFile>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("body");
        std::fs::write(&path, text).unwrap();
        let len = text.len() as u64;
        (dir, Arc::new(BodyFile { path, len }))
    }

    #[test]
    fn a_file_reads_as_the_same_lines_as_memory() {
        let text: String = (0..3000).map(|i| format!("line {i} Needle\n")).collect();
        let (_dir, f) = file_of(text.as_bytes());
        let file = FileLines::index(f).unwrap();
        let mem = super::super::Lines::new(bytes::Bytes::from(text.clone()));
        assert_eq!(file.len(), mem.len());
        for i in [0, 1, 63, 64, 65, 1000, 2999] {
            assert_eq!(
                file.line_prefix(i, 1000),
                mem.line_prefix(i, 1000),
                "line {i}"
            );
        }
        assert_eq!(&file.line_prefix(10, 4)[..], b"line");
        assert_eq!(file.find_all("needle"), mem.find_all("needle"));
        assert_eq!(file.find_all("line 2999"), vec![2999]);
        assert_eq!(file.find_all("Needle").len(), 3000);
        // Matches across chunk boundaries are found once, on their line.
        for chunk in [3, 7, 64, 1000] {
            let across = file.find_all_chunked("needle\nline 1", chunk);
            assert_eq!(across, mem.find_all("needle\nline 1"), "{chunk}");
            assert_eq!(
                file.find_all_chunked("line 2999", chunk),
                vec![2999],
                "{chunk}"
            );
            assert_eq!(
                file.find_all_chunked("e", chunk),
                mem.find_all("e"),
                "{chunk}"
            );
        }
        let one = file_of(b"no newline");
        let path = one.1.path.clone();
        assert_eq!(FileLines::index(one.1).unwrap().len(), 1);
        assert!(!path.exists(), "removed with its last holder");
    }
}
