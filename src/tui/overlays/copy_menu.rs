//! The copy menu: the selected request in every format `export` writes (curl, Python,
//! JavaScript, Go, HTTPie, awscurl, Postman, `.http`), each previewed beside the list, copied
//! to the clipboard (OSC 52, as copy-as-curl) or written to a file; on a collection or a
//! folder, all its requests as one Postman collection or `.http` file. The snippets come from
//! `export::export`, the same function `sigscope export` calls, so they sign at run time with
//! credentials from the environment or a profile and never hold a key or a token.

use crate::export::{self, Format, Snippet, FORMATS};
use crate::http::prepare::{self, FileBodies};
use crate::model::workspace::Node;
use crate::text::visible_line;
use crate::tui::component::{centered, list_offset, Component, Draw, Flow, Hint, Input, PaneId};
use crate::tui::hits::Target;
use crate::tui::keymap::{Action, Context};
use crate::tui::messages::{Command, Level, Message, Task};
use crate::tui::state::State;
use crate::tui::text_field::TextField;
use crate::tui::theme::Role;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;
use std::path::PathBuf;

pub const COPY_MENU: PaneId = PaneId("copy menu");

pub struct CopyMenu {
    /// The request's `folder/name`, for the title.
    request: String,
    /// One per format, in menu order: the snippet, or why the format cannot carry it.
    entries: Vec<(Format, Result<Snippet, String>)>,
    selected: usize,
    /// Whether the request is signed (its snippets sign when they run).
    signed: bool,
    /// The file the selected snippet is written to, being typed.
    file: Option<TextField>,
    /// The last write's problem (the file exists: Enter again replaces it).
    problem: Option<String>,
    /// A path the user agreed to replace.
    replace: Option<PathBuf>,
    /// A write is in flight.
    writing: bool,
}

/// A write finished: where, and how it went.
pub struct Written {
    path: PathBuf,
    result: Result<(), WriteError>,
}

enum WriteError {
    Exists,
    Io(String),
}

/// Opens the menu for the selected request (its variables resolved as a send would), or,
/// on a collection or a folder, for every request in it (Postman and `.http` hold many).
pub fn open(st: &mut State) {
    match st.selected_node().cloned() {
        Some(Node::Collection(doc)) => return open_many(st, doc, &[]),
        Some(Node::Folder(doc, path)) => return open_many(st, doc, &path),
        _ => {}
    }
    let prepared = match st.prepare_selected() {
        Ok(p) => p,
        Err(e) => return st.notify(Level::Error, format!("nothing to copy: {e}")),
    };
    // Postman and `.http` hold a collection: the request goes in under its own name, in a
    // collection named after its own, as `sigscope export postman -r NAME` writes it.
    let names = st.selected_request().and_then(|r| {
        let (c, l) = st.ws.located(r)?;
        Some((c.name.clone(), l.request.name.clone()))
    });
    let entries = FORMATS
        .iter()
        .map(|&f| {
            let snippet = match (&names, f.holds_many()) {
                (Some((collection, request)), true) => {
                    export::export_collection(f, collection, &[(request.clone(), prepared.clone())])
                }
                _ => export::export(f, &prepared),
            };
            (f, snippet.map_err(|e| e.to_string()))
        })
        .collect();
    let menu = CopyMenu::new(
        st.selected_path().unwrap_or_default(),
        entries,
        prepared.signing.is_some(),
    );
    st.open(menu);
}

/// The menu for every request of a collection, or of the folder at `path` in it.
fn open_many(st: &mut State, doc: usize, path: &[usize]) {
    let Some(d) = st.ws.docs.get(doc) else { return };
    let c = &d.loaded.collection;
    let mut folder = None;
    let mut label = c.name.clone();
    let mut folders = &c.folders;
    for &i in path {
        let Some(f) = folders.get(i) else { return };
        label = format!("{label}/{}", f.name);
        (folder, folders) = (Some(f), &f.folders);
    }
    let env = st.environment(doc);
    let mut requests = Vec::new();
    for l in c.walk() {
        if folder.is_some_and(|f| !l.folders.iter().any(|x| std::ptr::eq(*x, f))) {
            continue;
        }
        match prepare::prepare_with(c, env.as_ref(), &l, FileBodies::Defer) {
            Ok(p) => requests.push((l.request.name.clone(), p)),
            Err(e) => {
                let name = visible_line(&l.request.name).into_owned();
                return st.notify(Level::Error, format!("nothing to copy: {name}: {e}"));
            }
        }
    }
    if requests.is_empty() {
        return st.notify(Level::Error, "nothing to copy: no request in it");
    }
    let signed = requests.iter().any(|(_, p)| p.signing.is_some());
    let entries: Vec<_> = FORMATS
        .iter()
        .map(|&f| {
            let snippet = match f.holds_many() {
                true => export::export_collection(f, &c.name, &requests).map_err(|e| e.to_string()),
                false => Err(format!(
                    "{} holds one request: select a request in the tree",
                    f.name()
                )),
            };
            (f, snippet)
        })
        .collect();
    let mut menu = CopyMenu::new(label, entries, signed);
    menu.selected = (menu.entries.iter())
        .position(|(_, r)| r.is_ok())
        .unwrap_or(0);
    st.open(menu);
}

impl CopyMenu {
    fn new(request: String, entries: Vec<(Format, Result<Snippet, String>)>, signed: bool) -> Self {
        CopyMenu {
            request,
            entries,
            selected: 0,
            signed,
            file: None,
            problem: None,
            replace: None,
            writing: false,
        }
    }

    /// The snippets, for tests that read what each format holds.
    pub fn snippets(&self) -> impl Iterator<Item = (Format, Option<&Snippet>)> {
        self.entries.iter().map(|(f, r)| (*f, r.as_ref().ok()))
    }

    fn current(&self) -> Result<&Snippet, String> {
        let (_, r) = &self.entries[self.selected];
        r.as_ref().map_err(Clone::clone)
    }

    /// What the status line says after a copy or a write: which format, its size, what it
    /// needs to run, and where its credentials come from.
    fn said(&self, s: &Snippet, to: &str) -> String {
        let mut text = format!(
            "{} {} ({} lines) {to}; it needs {}",
            s.format.name(),
            if s.format.holds_many() {
                "collection"
            } else {
                "snippet"
            },
            s.text.lines().count(),
            s.format.needs()
        );
        if self.signed {
            text.push_str(
                "; it signs with credentials from the environment or a profile when it runs",
            );
        }
        for n in &s.notes {
            text.push_str("; ");
            text.push_str(n);
        }
        text
    }

    fn copy(&mut self, st: &mut State) {
        match self.current() {
            Err(e) => st.notify(Level::Error, format!("nothing copied: {e}")),
            Ok(s) => {
                let text = self.said(s, "copied to the clipboard (OSC 52)");
                st.run(Command::Copy(s.text.clone()));
                st.notify(Level::Info, text);
                st.close();
            }
        }
    }

    fn write(&mut self, st: &mut State) {
        let Some(field) = &self.file else { return };
        let typed = field.value();
        let typed = typed.trim();
        if typed.is_empty() {
            self.problem = Some("the file name is empty".into());
            return;
        }
        let Ok(snippet) = self.current() else { return };
        // Said in full: a relative name is the workbench's folder, which the user may not know.
        let path = PathBuf::from(expand_home(typed));
        let path = std::path::absolute(&path).unwrap_or(path);
        let replace = self.replace.as_ref() == Some(&path);
        let text = snippet.text.clone();
        self.writing = true;
        st.run(Command::Task(Task::new(async move {
            let p = path.clone();
            let result =
                crate::tui::tasks::blocking(move || write_file(&p, &text, replace)).await?;
            Some(Message::Reply(Box::new(Written { path, result })))
        })));
    }

    fn written(&mut self, w: Written, st: &mut State) {
        self.writing = false;
        match w.result {
            Ok(()) => {
                let shown = visible_line(&w.path.display().to_string()).into_owned();
                if let Ok(s) = self.current() {
                    let text = self.said(s, &format!("written to {shown}"));
                    st.notify(Level::Info, text);
                }
                st.close();
            }
            Err(WriteError::Exists) => {
                self.problem = Some(format!(
                    "{} exists: {} again replaces it",
                    visible_line(&w.path.display().to_string()),
                    st.key(Action::Enter)
                ));
                self.replace = Some(w.path);
            }
            Err(WriteError::Io(e)) => self.problem = Some(format!("not written: {e}")),
        }
    }

    fn move_to(&mut self, i: usize) {
        self.selected = i.min(self.entries.len().saturating_sub(1));
    }
}

/// Writes the snippet atomically; an existing file only when the user said so.
fn write_file(path: &std::path::Path, text: &str, replace: bool) -> Result<(), WriteError> {
    if !replace && path.exists() {
        return Err(WriteError::Exists);
    }
    crate::model::store::write_atomic(path, text.as_bytes())
        .map_err(|e| WriteError::Io(e.to_string()))
}

/// `~/x` → `$HOME/x`.
fn expand_home(path: &str) -> String {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => std::path::Path::new(&home).join(rest).display().to_string(),
        _ => path.to_string(),
    }
}

impl Component for CopyMenu {
    fn id(&self) -> PaneId {
        COPY_MENU
    }

    /// A file name being typed takes letters; the list takes its keys.
    fn context(&self) -> Context {
        match self.file {
            Some(_) => Context::Prompt,
            None => Context::Export,
        }
    }

    fn mode(&self) -> &'static str {
        "INPUT"
    }

    fn input(&mut self, input: Input, st: &mut State) -> Flow {
        if self.writing {
            return Flow::Consumed;
        }
        if let Some(field) = &mut self.file {
            match input {
                Input::Action(Action::Enter) => self.write(st),
                Input::Action(Action::Cancel) => {
                    (self.file, self.problem, self.replace) = (None, None, None);
                }
                other => {
                    if field.input(&other) == crate::tui::text_field::Edited::Changed {
                        (self.problem, self.replace) = (None, None);
                    }
                }
            }
            return Flow::Consumed;
        }
        let (page, at) = (st.page(), self.selected);
        match input {
            Input::Action(Action::Up) | Input::Wheel { down: false } => {
                self.move_to(at.saturating_sub(1))
            }
            Input::Action(Action::Down) | Input::Wheel { down: true } => self.move_to(at + 1),
            Input::Action(Action::PageUp) => self.move_to(at.saturating_sub(page)),
            Input::Action(Action::PageDown) => self.move_to(at + page),
            Input::Action(Action::Top) => self.move_to(0),
            Input::Action(Action::Bottom) => self.move_to(usize::MAX),
            Input::Action(Action::Enter) => self.copy(st),
            Input::Click(Target::Row(i)) if i == at => self.copy(st),
            Input::Click(Target::Row(i)) => self.move_to(i),
            Input::Action(Action::WriteFile) => match self.current() {
                Ok(s) => self.file = Some(TextField::new(s.format.file_name(), false, true)),
                Err(e) => st.notify(Level::Error, format!("nothing to write: {e}")),
            },
            Input::Action(Action::Cancel) => st.close(),
            _ => {}
        }
        Flow::Consumed
    }

    fn reply(&mut self, msg: Message, st: &mut State) -> Option<Message> {
        match msg {
            Message::Reply(r) => match r.downcast::<Written>() {
                Ok(w) => {
                    self.written(*w, st);
                    None
                }
                Err(other) => Some(Message::Reply(other)),
            },
            other => Some(other),
        }
    }

    fn hints(&self, _st: &State) -> Vec<Hint> {
        match self.file {
            Some(_) => vec![
                Hint::new(Action::Enter, "write"),
                Hint::new(Action::Cancel, "back to the list"),
                Hint::of(Action::ClearField),
            ],
            None => vec![
                Hint::new(Action::Up, "previous"),
                Hint::new(Action::Down, "next"),
                Hint::new(Action::Enter, "copy"),
                Hint::new(Action::WriteFile, "write to a file"),
                Hint::new(Action::Cancel, "close"),
            ],
        }
    }

    /// The file name typed so far, while one is.
    fn text(&self) -> Option<String> {
        self.file.as_ref().map(TextField::value)
    }

    fn render(&self, f: &mut Frame, area: Rect, d: &mut Draw) {
        let st = d.st;
        let t = &st.theme;
        let rect = centered(
            area,
            area.width.saturating_sub(4).min(140),
            area.height.saturating_sub(4).min(40),
        );
        d.hit(rect, Target::Area);
        f.render_widget(Clear, rect);
        let title = format!(
            "Copy '{}' as… ({} copies, {} writes a file, {} closes)",
            visible_line(&self.request),
            st.key(Action::Enter),
            st.key(Action::WriteFile),
            st.key(Action::Cancel)
        );
        let block = Block::bordered()
            .title(title)
            .border_style(t.fg(Role::Focus));
        let inner = block.inner(rect);
        f.render_widget(block, rect);
        let [body, bottom] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(3)]).areas(inner);
        let [list, preview] =
            Layout::horizontal([Constraint::Length(14), Constraint::Min(1)]).areas(body);
        let visible = list.height as usize;
        let offset = list_offset(self.selected, visible);
        let mut lines = Vec::new();
        for (row, (i, (format, result))) in (self.entries.iter().enumerate())
            .skip(offset)
            .take(visible)
            .enumerate()
        {
            let name = format!(
                "{} {:<11}",
                if i == self.selected { "›" } else { " " },
                format.name()
            );
            lines.push(match (i == self.selected, result.is_ok()) {
                (true, _) => Line::styled(name, t.selected()),
                (false, true) => Line::raw(name),
                (false, false) => Line::styled(name, t.fg(Role::Muted)),
            });
            d.hit(
                Rect::new(list.x, list.y + row as u16, list.width, 1),
                Target::Row(i),
            );
        }
        f.render_widget(Paragraph::new(lines), list);
        let (format, result) = &self.entries[self.selected];
        let mut text: Vec<Line> = Vec::new();
        match result {
            Ok(s) => {
                text.push(Line::styled(
                    format!("{} · needs {}", format.file_name(), format.needs()),
                    t.fg(Role::Muted),
                ));
                for n in &s.notes {
                    text.push(Line::styled(
                        format!("note: {}", visible_line(n)),
                        t.fg(Role::Warning),
                    ));
                }
                text.push(Line::raw(""));
                let room = (preview.height as usize).saturating_sub(text.len());
                let total = s.text.lines().count();
                for l in s.text.lines().take(room) {
                    text.push(Line::raw(visible_line(l).into_owned()));
                }
                if total > room {
                    if let Some(last) = text.last_mut() {
                        *last = Line::styled(
                            format!("… {} more lines", total - room + 1),
                            t.fg(Role::Muted),
                        );
                    }
                }
            }
            Err(e) => text.push(Line::styled(
                visible_line(e).into_owned(),
                t.fg(Role::Error),
            )),
        }
        f.render_widget(
            Paragraph::new(text).block(
                Block::new()
                    .borders(ratatui::widgets::Borders::LEFT)
                    .border_style(t.fg(Role::Muted)),
            ),
            preview,
        );
        match &self.file {
            None => f.render_widget(
                Paragraph::new(Line::styled(
                    "Signed formats sign when they run, with the reader's own credentials: no key or token is in them.",
                    t.fg(Role::Muted),
                ))
                .block(Block::new().borders(ratatui::widgets::Borders::TOP).border_style(t.fg(Role::Muted))),
                bottom,
            ),
            Some(field) => {
                let label = match (&self.problem, self.writing) {
                    (_, true) => "writing…".to_string(),
                    (Some(p), _) => visible_line(p).into_owned(),
                    (None, _) => format!(
                        "Write the {} snippet to ({} writes, {} back to the list)",
                        format.name(),
                        st.key(Action::Enter),
                        st.key(Action::Cancel)
                    ),
                };
                let style = match self.problem {
                    Some(_) => t.fg(Role::Warning),
                    None => t.fg(Role::Focus),
                };
                let b = Block::bordered().title(label).border_style(style);
                let field_area = b.inner(bottom);
                f.render_widget(b, bottom);
                f.render_widget(&field.area, field_area);
            }
        }
    }
}
