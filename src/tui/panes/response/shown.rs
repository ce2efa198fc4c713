//! The response body as shown: its kind, the pretty form (built in the background for large
//! bodies), the raw form, a jq result, and the view settings (mode, wrap, scroll, search).
//! Only the visible lines are ever turned into text for the screen.

use crate::body::{self, BodyKind, Lines};
use bytes::Bytes;

/// Bodies above this are formatted off the UI loop.
pub const FORMAT_IN_BACKGROUND: usize = 512 * 1024;

/// How much of a large JSON body is formatted at once for its first screens (a few ms).
const HEAD_BYTES: usize = 64 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ViewMode {
    #[default]
    Pretty,
    Raw,
    Hex,
}

impl ViewMode {
    pub fn as_str(self) -> &'static str {
        match self {
            ViewMode::Pretty => "pretty",
            ViewMode::Raw => "raw",
            ViewMode::Hex => "hex",
        }
    }
}

#[derive(Debug, Clone)]
pub struct JqView {
    pub filter: String,
    pub result: Result<Lines, String>,
}

/// A body and its display forms.
#[derive(Debug, Clone)]
pub struct Shown {
    pub kind: BodyKind,
    pub raw: Bytes,
    /// `None` while the background formatting runs.
    pub pretty: Option<Lines>,
    /// Meanwhile, the first screens of it (formatted from the start of the body at once).
    pub head: Option<Lines>,
    /// A body too large for memory: its file (`raw` is then its first part), and once
    /// indexed, its lines read from disk in windows. Shown as received, never formatted.
    pub file: Option<std::sync::Arc<body::file::BodyFile>>,
    pub file_lines: Option<body::file::FileLines>,
    raw_lines: Option<Lines>,
    pub jq: Option<JqView>,
}

impl Shown {
    /// Formats at once when small; `needs_format` tells the caller to format in the background.
    pub fn new(content_type: Option<&str>, raw: Bytes) -> Shown {
        let kind = body::detect(content_type, &raw);
        let pretty = (raw.len() <= FORMAT_IN_BACKGROUND || kind == BodyKind::Binary)
            .then(|| body::display(kind, &raw));
        // A large JSON body: its first screens now, the rest when the task has formatted it.
        let head = match (&pretty, kind) {
            (None, BodyKind::Json) => body::pretty::json_head(&raw, HEAD_BYTES)
                .filter(|h| !h.is_empty())
                .map(|h| Lines::new(Bytes::from(h))),
            _ => None,
        };
        Shown {
            kind,
            raw,
            pretty,
            head,
            file: None,
            file_lines: None,
            raw_lines: None,
            jq: None,
        }
    }

    pub fn needs_format(&self) -> bool {
        self.pretty.is_none() && self.file.is_none()
    }

    /// A body kept in a file: its first part (`raw`) shown at once, formatted when it is
    /// JSON, until the file is indexed.
    pub fn from_file(
        content_type: Option<&str>,
        first: Bytes,
        file: std::sync::Arc<body::file::BodyFile>,
    ) -> Shown {
        let kind = body::detect(content_type, &first);
        let head = match kind {
            BodyKind::Json => body::pretty::json_head(&first, first.len().min(HEAD_BYTES)),
            _ => None,
        }
        .map(|h| Lines::new(Bytes::from(h)));
        Shown {
            kind,
            pretty: None,
            head: head.or_else(|| Some(Lines::new(first.clone()))),
            raw: first,
            raw_lines: None,
            jq: None,
            file: Some(file),
            file_lines: None,
        }
    }

    /// The whole body's size.
    pub fn size(&self) -> u64 {
        self.file.as_ref().map_or(self.raw.len() as u64, |f| f.len)
    }

    /// The lines to draw: a file's once indexed, else the mode's.
    pub fn source(&self, mode: ViewMode) -> Option<&dyn body::file::LineSource> {
        if self.jq.is_none() {
            if let Some(f) = &self.file_lines {
                return Some(f);
            }
        }
        self.lines(mode).map(|l| l as &dyn body::file::LineSource)
    }

    /// The lines of a mode; `None` for hex (computed per line) or while formatting.
    pub fn lines(&self, mode: ViewMode) -> Option<&Lines> {
        if let Some(JqView { result: Ok(l), .. }) = &self.jq {
            return Some(l);
        }
        match mode {
            ViewMode::Pretty => self.pretty.as_ref().or(self.head.as_ref()),
            ViewMode::Raw => self.raw_lines.as_ref().or(self.pretty.as_ref()),
            ViewMode::Hex => None,
        }
    }

    /// Switching to raw indexes the body as received (a pass over it, no copy).
    pub fn ensure_raw(&mut self) {
        if self.raw_lines.is_none() {
            self.raw_lines = Some(Lines::new(self.raw.clone()));
        }
    }

    pub fn line_count(&self, mode: ViewMode) -> usize {
        if let (Some(f), None) = (&self.file_lines, &self.jq) {
            return match mode {
                ViewMode::Hex => (f.file.len as usize).div_ceil(16).max(1),
                _ => f.len(),
            };
        }
        match (mode, self.lines(mode)) {
            (_, Some(l)) if self.jq.is_some() || mode != ViewMode::Hex => l.len(),
            (ViewMode::Hex, _) => body::hex_lines(&self.raw),
            _ => 0,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ResponseView {
    pub mode: ViewMode,
    pub wrap: bool,
    /// The first body line shown.
    pub scroll: usize,
    pub search: String,
    /// The line of each match of `search`, in order, and the one the view is on.
    pub matches: Vec<usize>,
    pub current: Option<usize>,
    /// Where the view was before a jq filter: clearing the filter goes back there.
    pub before_jq: Option<usize>,
    pub show_headers: bool,
    /// Columns skipped on the left when lines are not wrapped.
    pub hscroll: usize,
}
