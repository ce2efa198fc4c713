//! Response bodies for display: kind detection, pretty-printing without building a tree
//! (so a 50 MB JSON body costs one pass and one copy), a line index for showing only the
//! visible lines, hex lines, search, and a jq filter (jaq).
//!
//! Nothing here knows the screen: `highlight` returns token kinds that a view colours.

pub mod file;
pub mod highlight;
pub mod jq;
pub mod pretty;

use bytes::Bytes;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    Json,
    Xml,
    Text,
    Binary,
}

impl BodyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BodyKind::Json => "json",
            BodyKind::Xml => "xml",
            BodyKind::Text => "text",
            BodyKind::Binary => "binary",
        }
    }
}

/// Guesses the kind from the content type, then from the first bytes.
pub fn detect(content_type: Option<&str>, body: &[u8]) -> BodyKind {
    let head = &body[..body.len().min(8192)];
    let ct = content_type.unwrap_or_default().to_ascii_lowercase();
    if head.contains(&0) || (std::str::from_utf8(head).is_err() && !utf8_cut_at_end(head)) {
        return BodyKind::Binary;
    }
    if ct.contains("json") {
        return BodyKind::Json;
    }
    if ct.contains("xml") {
        return BodyKind::Xml;
    }
    match head.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') | Some(b'[') => BodyKind::Json,
        Some(b'<') => BodyKind::Xml,
        _ => BodyKind::Text,
    }
}

/// True when the only invalid UTF-8 is a character cut by the 8 KiB window.
fn utf8_cut_at_end(head: &[u8]) -> bool {
    match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    }
}

/// One checkpoint every this many lines: a 50 MB body pretty-printed has millions of lines,
/// and an offset per line would cost more memory than the text's own newlines are worth.
const EVERY: usize = 64;

/// Text with a sparse index of line starts: rendering reads the visible lines by number,
/// scanning at most `EVERY` lines from the nearest checkpoint.
#[derive(Debug, Clone)]
pub struct Lines {
    pub text: Bytes,
    /// The offset of lines 0, EVERY, 2·EVERY, ...
    checkpoints: Vec<u32>,
    count: usize,
}

impl Lines {
    pub fn new(text: Bytes) -> Self {
        let mut checkpoints = vec![0u32];
        let mut count = 1;
        for i in memchr::memchr_iter(b'\n', &text) {
            if i + 1 == text.len() {
                break; // a final newline does not start a line
            }
            if count % EVERY == 0 {
                // Bodies above 4 GiB cannot be held by the client anyway; offsets saturate.
                checkpoints.push((i + 1).min(u32::MAX as usize) as u32);
            }
            count += 1;
        }
        Lines {
            text,
            checkpoints,
            count,
        }
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    fn start(&self, i: usize) -> usize {
        let mut at = self.checkpoints[i / EVERY] as usize;
        for _ in 0..i % EVERY {
            at += memchr::memchr(b'\n', &self.text[at..]).map_or(self.text.len() - at, |k| k + 1);
        }
        at
    }

    /// Line `i` without its newline (bytes, possibly not UTF-8).
    pub fn line(&self, i: usize) -> &[u8] {
        let start = self.start(i).min(self.text.len());
        let rest = &self.text[start..];
        let line = &rest[..memchr::memchr(b'\n', rest).unwrap_or(rest.len())];
        line.strip_suffix(b"\r").unwrap_or(line)
    }

    /// The line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        let c = match self.checkpoints.binary_search(&(offset as u32)) {
            Ok(c) => c,
            Err(c) => c.saturating_sub(1),
        };
        let from = self.checkpoints[c] as usize;
        c * EVERY
            + memchr::memchr_iter(b'\n', &self.text[from..offset.min(self.text.len())]).count()
    }

    /// The next match of `needle` (ASCII case-insensitive when it has no capitals) from line
    /// `from` (that line included), or before it when `backwards`, wrapping around; the line.
    pub fn find(&self, needle: &str, from: usize, backwards: bool) -> Option<usize> {
        if needle.is_empty() || self.is_empty() {
            return None;
        }
        let fold = !needle.bytes().any(|b| b.is_ascii_uppercase());
        let n = needle.as_bytes();
        let start = self.start(from.min(self.count - 1));
        let (head, tail) = self.text.split_at(start);
        // One pass over the bytes, never line by line.
        let fwd = |hay: &[u8]| -> Option<usize> {
            if fold {
                hay.windows(n.len()).position(|w| w.eq_ignore_ascii_case(n))
            } else {
                memchr::memmem::find(hay, n)
            }
        };
        let back = |hay: &[u8]| -> Option<usize> {
            if fold {
                hay.windows(n.len())
                    .rposition(|w| w.eq_ignore_ascii_case(n))
            } else {
                memchr::memmem::rfind(hay, n)
            }
        };
        let at = if backwards {
            back(head).or_else(|| back(tail).map(|k| start + k))
        } else {
            fwd(tail).map(|k| start + k).or_else(|| fwd(head))
        };
        at.map(|k| self.line_of(k))
    }
}

/// At most this many matches are listed by `find_all` (searching for "e" in 50 MB).
pub const MAX_MATCHES: usize = 1_000_000;

impl Lines {
    /// The line of every match of `needle` (ASCII case-insensitive when it has no capitals),
    /// in order, a line once per match; at most `MAX_MATCHES`. One pass over the bytes.
    pub fn find_all(&self, needle: &str) -> Vec<usize> {
        if needle.is_empty() || self.is_empty() {
            return Vec::new();
        }
        let fold = !needle.bytes().any(|b| b.is_ascii_uppercase());
        let n = needle.as_bytes();
        let mut offsets = Vec::new();
        if fold {
            // The first byte in either case, then the rest compared folded.
            let (lo, up) = (n[0].to_ascii_lowercase(), n[0].to_ascii_uppercase());
            for i in memchr::memchr2_iter(lo, up, &self.text) {
                if self.text.len() - i >= n.len()
                    && self.text[i..i + n.len()].eq_ignore_ascii_case(n)
                {
                    if offsets
                        .last()
                        .is_some_and(|&last: &usize| i < last + n.len())
                    {
                        continue;
                    }
                    offsets.push(i);
                    if offsets.len() == MAX_MATCHES {
                        break;
                    }
                }
            }
        } else {
            offsets.extend(memchr::memmem::find_iter(&self.text, n).take(MAX_MATCHES));
        }
        // Offsets ascend: count newlines between them rather than look each one up.
        let mut out = Vec::with_capacity(offsets.len());
        let (mut line, mut at) = (0, 0);
        for o in offsets {
            line += memchr::memchr_iter(b'\n', &self.text[at..o]).count();
            at = o;
            out.push(line);
        }
        out
    }
}

/// Where `needle` occurs in `line` (byte ranges), for highlighting.
pub fn match_ranges(line: &[u8], needle: &str) -> Vec<std::ops::Range<usize>> {
    if needle.is_empty() {
        return Vec::new();
    }
    let fold = !needle.bytes().any(|b| b.is_ascii_uppercase());
    let n = needle.len();
    let mut out = Vec::new();
    let mut i = 0;
    while i + n <= line.len() {
        let window = &line[i..i + n];
        let hit = if fold {
            window.eq_ignore_ascii_case(needle.as_bytes())
        } else {
            window == needle.as_bytes()
        };
        if hit {
            out.push(i..i + n);
            i += n;
        } else {
            i += 1;
        }
    }
    out
}

/// The display form of a body: pretty JSON or XML when it parses as such, else the bytes as
/// they came. Shares the body's buffer when nothing needs reformatting.
pub fn display(kind: BodyKind, body: &Bytes) -> Lines {
    let text = match kind {
        BodyKind::Json => pretty::json(body).map(Bytes::from),
        BodyKind::Xml => pretty::xml(body).map(Bytes::from),
        _ => None,
    };
    Lines::new(text.unwrap_or_else(|| body.clone()))
}

/// Line `i` of a hex dump of `body`: offset, 16 bytes, printable characters.
pub fn hex_line(body: &[u8], i: usize) -> String {
    let start = i * 16;
    let chunk = &body[start.min(body.len())..(start + 16).min(body.len())];
    let mut out = format!("{start:08x}  ");
    for k in 0..16 {
        match chunk.get(k) {
            Some(b) => out.push_str(&format!("{b:02x} ")),
            None => out.push_str("   "),
        }
        if k == 7 {
            out.push(' ');
        }
    }
    out.push(' ');
    out.extend(chunk.iter().map(|&b| {
        if b.is_ascii_graphic() || b == b' ' {
            b as char
        } else {
            '.'
        }
    }));
    out
}

pub fn hex_lines(body: &[u8]) -> usize {
    body.len().div_ceil(16).max(1)
}

/// Human size: 512 B, 12.3 KB, 50.0 MB.
pub fn human_size(n: usize) -> String {
    match n {
        0..=1023 => format!("{n} B"),
        1024..=1_048_575 => format!("{:.1} KB", n as f64 / 1024.0),
        _ => format!("{:.1} MB", n as f64 / 1_048_576.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_come_from_the_content_type_then_the_first_byte() {
        assert_eq!(detect(Some("application/json"), b"{}"), BodyKind::Json);
        assert_eq!(detect(None, b"  [1]"), BodyKind::Json);
        assert_eq!(detect(Some("text/xml"), b"<a/>"), BodyKind::Xml);
        assert_eq!(detect(None, b"hello"), BodyKind::Text);
        assert_eq!(
            detect(Some("application/json"), b"\x00\x01"),
            BodyKind::Binary
        );
        assert_eq!(detect(None, &[0xff, 0xfe, 0x41]), BodyKind::Binary);
    }

    #[test]
    fn lines_index_and_search() {
        let l = Lines::new(Bytes::from_static(b"alpha\nBeta\r\ngamma\n"));
        assert_eq!(l.len(), 3);
        assert_eq!(l.line(1), b"Beta");
        assert_eq!(l.line(2), b"gamma");
        assert_eq!(l.find("beta", 0, false), Some(1));
        assert_eq!(l.find("Beta", 2, false), Some(1), "wraps around");
        assert_eq!(
            l.find("a", 0, true),
            Some(2),
            "backwards from 0 wraps to the end"
        );
        assert_eq!(l.find("zeta", 0, false), None);
        assert_eq!(match_ranges(b"abcABC", "bc"), vec![1..3, 4..6]);
        let one = Lines::new(Bytes::from_static(b"no newline"));
        assert_eq!((one.len(), one.line(0)), (1, &b"no newline"[..]));
        // Across checkpoints: every line by number and by offset.
        let text: String = (0..1000).map(|i| format!("line {i}\n")).collect();
        let many = Lines::new(Bytes::from(text.clone()));
        assert_eq!(many.len(), 1000);
        let mut offset = 0;
        for i in 0..1000 {
            assert_eq!(many.line(i), format!("line {i}").as_bytes());
            assert_eq!(many.line_of(offset), i);
            offset += format!("line {i}\n").len();
        }
        assert_eq!(many.find("line 777", 0, false), Some(777));
        assert_eq!(many.find("LINE 5", 900, false), None);
        assert_eq!(
            many.find("line 5", 900, true),
            Some(599),
            "backwards: the last one before"
        );
        assert_eq!(many.find("line 99", 500, true), Some(99));
        // Every match, a line once per match, in order; folded when the needle is lower case.
        let all = many.find_all("line 99");
        assert_eq!(
            all,
            vec![99, 990, 991, 992, 993, 994, 995, 996, 997, 998, 999]
        );
        let l = Lines::new(Bytes::from_static(b"aXa\nxx\nAXA"));
        assert_eq!(l.find_all("xa"), vec![0, 2]);
        assert_eq!(l.find_all("XA"), vec![2], "capitals: exact case");
        assert_eq!(l.find_all("x"), vec![0, 1, 1, 2]);
    }

    #[test]
    fn hex_lines_show_offset_bytes_and_text() {
        let line = hex_line(b"AB\x00", 0);
        assert!(line.starts_with("00000000  41 42 00 "), "{line}");
        assert!(line.ends_with("AB."), "{line}");
        assert_eq!(hex_lines(&[0; 33]), 3);
    }
}
