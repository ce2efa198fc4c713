//! The response pane: what came back (status, timing, the diagnosis of a refusal or of a
//! failure to connect, headers, the body in pretty, raw or hex), scrolled, searched, wrapped
//! and filtered with jq. The body model is in `shown`, searching in `search`, drawing in
//! `render`.

mod render;
mod search;
mod shown;

pub use render::token_style;
pub use shown::{JqView, ResponseView, Shown, ViewMode};

use crate::body::BodyKind;
use crate::tui::component::{Component, Draw, Event, Flow, Input, PaneId, Slot};
use crate::tui::keymap::{Action, Context};
use crate::tui::messages::{Answer, Command, Level, Message, Phase, RequestState, TextPurpose};
use crate::tui::overlays::prompt::TextPrompt;
use crate::tui::state::State;
use ratatui::layout::Rect;
use ratatui::Frame;

pub const ID: PaneId = PaneId("response");

#[derive(Default)]
pub struct ResponsePane {
    view: ResponseView,
}

impl ResponsePane {
    pub fn view(&self) -> &ResponseView {
        &self.view
    }

    fn scroll_by(&mut self, st: &State, down: bool, n: usize) {
        let count = match &st.exchange {
            RequestState::Done { body, .. } => body.line_count(self.view.mode),
            // A panel drawn whole: as long as the last frame said.
            RequestState::Compared { .. } => st.hits.extent(ID).map_or(0, |e| e.content),
            _ => 0,
        };
        let v = &mut self.view;
        v.scroll = if down {
            (v.scroll + n).min(count.saturating_sub(1))
        } else {
            v.scroll.saturating_sub(n)
        };
    }

    fn action(&mut self, action: Action, st: &mut State) -> Flow {
        let page = st.page();
        let v = &mut self.view;
        match action {
            Action::Up | Action::Down => self.scroll_by(st, action == Action::Down, 1),
            Action::PageUp | Action::PageDown => {
                self.scroll_by(st, action == Action::PageDown, page)
            }
            Action::Top => v.scroll = 0,
            Action::Bottom => {
                if let RequestState::Done { body, .. } = &st.exchange {
                    v.scroll = body.line_count(v.mode).saturating_sub(page);
                }
            }
            Action::Wrap => {
                v.wrap = !v.wrap;
                v.hscroll = 0;
            }
            Action::Right if !v.wrap => v.hscroll += 16,
            Action::Left => v.hscroll = v.hscroll.saturating_sub(16),
            Action::Headers => v.show_headers = !v.show_headers,
            Action::ViewMode => {
                v.mode = match v.mode {
                    ViewMode::Pretty => ViewMode::Raw,
                    ViewMode::Raw => ViewMode::Hex,
                    ViewMode::Hex => ViewMode::Pretty,
                };
                v.scroll = 0;
                if let RequestState::Done { body, .. } = &mut st.exchange {
                    if v.mode == ViewMode::Raw {
                        body.ensure_raw();
                    }
                }
                // The lines differ from one view to the other: list the matches again.
                search::start(v, st);
            }
            Action::Search => {
                let note = format!(
                    "then {} / {}",
                    st.key(Action::NextMatch),
                    st.key(Action::PrevMatch)
                );
                let prompt = TextPrompt::new(ID, TextPurpose::Search, "Search the body", &v.search)
                    .labels("searches", "cancels")
                    .note(note);
                st.open(prompt);
            }
            Action::JqFilter => {
                let current = match &st.exchange {
                    RequestState::Done { body, .. } => body.jq.as_ref().map(|j| j.filter.clone()),
                    _ => None,
                };
                // The filter in effect, selected (typing replaces it), else nothing.
                let prompt = TextPrompt::new(
                    ID,
                    TextPurpose::Jq,
                    "jq filter",
                    current.as_deref().unwrap_or(""),
                )
                .labels("runs", "cancels")
                .note("empty clears".into());
                st.open(prompt);
            }
            Action::NextMatch | Action::PrevMatch => {
                search::step(v, st, action == Action::PrevMatch)
            }
            _ => return Flow::Ignored,
        }
        Flow::Consumed
    }

    fn jq(&mut self, st: &mut State, text: String) {
        let RequestState::Done { body, .. } = &mut st.exchange else {
            return;
        };
        if text.trim().is_empty() {
            if body.jq.take().is_some() {
                self.jq_cleared(st);
            }
            return;
        }
        if body.file.is_some() {
            let size = crate::body::human_size(body.size() as usize);
            return st.notify(
                Level::Warning,
                format!("jq reads a whole body into memory: this one ({size}) is kept on disk"),
            );
        }
        let raw = body.raw.clone();
        let shown = crate::text::visible_line(&text).into_owned();
        st.notify(Level::Info, format!("jq {shown} …"));
        let id = st.next_id;
        st.run(Command::Jq {
            id,
            filter: text,
            body: raw,
        });
    }
}

impl ResponsePane {
    /// The filter is gone: back to where the body was, its matches listed again.
    fn jq_cleared(&mut self, st: &mut State) {
        if let Some(scroll) = self.view.before_jq.take() {
            self.view.scroll = scroll;
        }
        search::start(&mut self.view, st);
    }
}

impl Component for ResponsePane {
    fn id(&self) -> PaneId {
        ID
    }

    fn context(&self) -> Context {
        Context::Response
    }

    fn slot(&self) -> Option<Slot> {
        Some(Slot::Viewer)
    }

    fn input(&mut self, input: Input, st: &mut State) -> Flow {
        match input {
            Input::Action(a) => self.action(a, st),
            Input::Wheel { down } => {
                self.scroll_by(st, down, 3);
                Flow::Consumed
            }
            Input::Click(_) => Flow::Consumed,
            _ => Flow::Ignored,
        }
    }

    fn event(&mut self, event: &Event, st: &mut State) {
        match event {
            Event::SelectionChanged => {
                self.view.scroll = 0;
                self.view.matches.clear();
                self.view.current = None;
                self.view.before_jq = None;
            }
            Event::JqCleared => self.jq_cleared(st),
            Event::ExchangeRestored => {
                self.view.scroll = 0;
                self.view.matches.clear();
                self.view.current = None;
                self.view.before_jq = None;
            }
            Event::ExchangeShown { .. } => {
                self.view.scroll = 0;
                self.view.matches.clear();
                self.view.current = None;
                self.view.before_jq = None;
                if let RequestState::Done { body, .. } = &st.exchange {
                    self.view.mode = if body.kind == BodyKind::Binary {
                        ViewMode::Hex
                    } else {
                        ViewMode::Pretty
                    };
                }
                st.reveal(ID);
            }
            _ => {}
        }
    }

    fn reply(&mut self, msg: Message, st: &mut State) -> Option<Message> {
        let current = st.next_id;
        match msg {
            Message::Formatted { id, lines } => {
                if let (true, RequestState::Done { body, .. }) = (id == current, &mut st.exchange) {
                    body.pretty = Some(lines);
                    body.head = None;
                }
            }
            Message::JqDone { id, filter, result } => {
                if let (true, RequestState::Done { body, .. }) = (id == current, &mut st.exchange) {
                    if let Err(e) = &result {
                        st.notice = Some((Level::Error, e.clone()));
                    }
                    body.jq = Some(JqView { filter, result });
                    if self.view.before_jq.is_none() {
                        self.view.before_jq = Some(self.view.scroll);
                    }
                    self.view.scroll = 0;
                    search::start(&mut self.view, st);
                }
            }
            Message::Found { id, needle, lines } => {
                if id == current && needle == self.view.search {
                    search::found(&mut self.view, st, &needle, lines);
                }
            }
            other => return Some(other),
        }
        None
    }

    fn answer(&mut self, answer: Answer, st: &mut State) {
        let Answer::Text {
            purpose,
            text,
            phase: Phase::Accepted,
            ..
        } = answer
        else {
            return;
        };
        match purpose {
            TextPurpose::Search => {
                self.view.search = text;
                search::start(&mut self.view, st);
            }
            TextPurpose::Jq => self.jq(st, text),
            _ => {}
        }
    }

    fn render(&self, f: &mut Frame, area: Rect, d: &mut Draw) {
        render::render(&self.view, f, area, d);
    }
}
