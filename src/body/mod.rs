//! Response bodies for display: kind detection, pretty-printing without building a tree
//! (so a 50 MB JSON body costs one pass and one copy), a line index for showing only the
//! visible lines, hex lines, search, and a jq filter (jaq).
//!
//! Nothing here knows the screen: `highlight` returns token kinds that a view colours.

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

/// Text with the offset of every line start: rendering picks the visible lines by index.
#[derive(Debug, Clone)]
pub struct Lines {
    pub text: Bytes,
    starts: Vec<u32>,
}

impl Lines {
    pub fn new(text: Bytes) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 40 + 1);
        starts.push(0u32);
        // Bodies above 4 GiB cannot be held by the client anyway; offsets saturate.
        starts.extend(
            memchr::memchr_iter(b'\n', &text).map(|i| (i + 1).min(u32::MAX as usize) as u32),
        );
        if starts.len() > 1 && *starts.last().unwrap() as usize == text.len() {
            starts.pop();
        }
        Lines { text, starts }
    }

    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Line `i` without its newline (bytes, possibly not UTF-8).
    pub fn line(&self, i: usize) -> &[u8] {
        let start = self.starts[i] as usize;
        let end = self
            .starts
            .get(i + 1)
            .map(|s| *s as usize - 1)
            .unwrap_or(self.text.len());
        let line = &self.text[start..end.max(start)];
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        line.strip_suffix(b"\r").unwrap_or(line)
    }

    /// The line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&(offset as u32)) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// The next match of `needle` (ASCII case-insensitive when it has no capitals) starting at
    /// line `from`, wrapping around; the line index.
    pub fn find(&self, needle: &str, from: usize, backwards: bool) -> Option<usize> {
        if needle.is_empty() || self.is_empty() {
            return None;
        }
        let fold = !needle.bytes().any(|b| b.is_ascii_uppercase());
        let matches_line = |i: usize| line_matches(self.line(i), needle.as_bytes(), fold);
        let n = self.len();
        if !fold && !backwards {
            // The fast path for a case-sensitive search forward: one memmem over the text.
            let start = self.starts[from.min(n - 1)] as usize;
            let finder = memchr::memmem::Finder::new(needle.as_bytes());
            return finder
                .find(&self.text[start..])
                .map(|at| self.line_of(start + at))
                .or_else(|| finder.find(&self.text[..start]).map(|at| self.line_of(at)));
        }
        (1..=n)
            .map(|k| {
                if backwards {
                    (from + n - k % n) % n
                } else {
                    (from + k - 1) % n
                }
            })
            .find(|&i| matches_line(i))
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

fn line_matches(line: &[u8], needle: &[u8], fold: bool) -> bool {
    if fold {
        line.windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
    } else {
        memchr::memmem::find(line, needle).is_some()
    }
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
    }

    #[test]
    fn hex_lines_show_offset_bytes_and_text() {
        let line = hex_line(b"AB\x00", 0);
        assert!(line.starts_with("00000000  41 42 00 "), "{line}");
        assert!(line.ends_with("AB."), "{line}");
        assert_eq!(hex_lines(&[0; 33]), 3);
    }
}
