//! The collection tree: collections, folders (folded and unfolded) and requests, filtered as
//! the filter is typed; creating, renaming, duplicating, moving and deleting (the operations
//! themselves are the core's `Workspace`). The selection is the shared state's: every pane
//! follows it.

use crate::model::workspace::Node;
use crate::text::visible_line;
use crate::tui::component::{list_offset, Component, Draw, Event, Flow, Input, PaneId, Slot};
use crate::tui::hits::Target;
use crate::tui::keymap::{Action, Context};
use crate::tui::messages::{Answer, Confirm, Level, Phase, Pick, TextPurpose};
use crate::tui::overlays::{confirm::Confirmation, picker::Picker, prompt::TextPrompt};
use crate::tui::state::State;
use crate::tui::theme::Role;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

pub const ID: PaneId = PaneId("requests");

pub struct Tree;

fn rename_prompt(st: &mut State, node: Node) {
    let name = st.ws.name_of(&node).unwrap_or_default();
    let prompt = TextPrompt::new(ID, TextPurpose::Rename, "Rename", &name)
        .node(node)
        .labels("saves the name", "cancels");
    st.open(prompt);
}

impl Tree {
    /// Enter, → and ←: a request opens in the editor; a folder folds (Enter), unfolds (→)
    /// or folds (←).
    fn open(&self, action: Action, st: &mut State) {
        let Some(node) = st.selected_node().cloned() else {
            return;
        };
        if matches!(node, Node::Request(_)) {
            if action != Action::Left {
                st.focus(super::request::ID);
            }
            return;
        }
        let open = match action {
            Action::Right => Some(true),
            Action::Left => Some(false),
            _ => None,
        };
        st.ws.fold(&node, open);
        if let Some(i) = st.ws.row_of(&node) {
            st.selected = i;
        }
    }

    fn delete(&self, st: &mut State) {
        let Some(node) = st.selected_node().cloned() else {
            return;
        };
        let name = visible_line(&st.ws.name_of(&node).unwrap_or_default()).into_owned();
        let (what, question) = match &node {
            Node::Collection(d) => {
                let doc = &st.ws.docs[*d];
                let file = match doc.persistent {
                    true => format!(
                        " Its file {} goes to the trash folder.",
                        visible_line(&doc.loaded.path.display().to_string())
                    ),
                    false => " It has no file: it is closed.".into(),
                };
                (
                    Confirm::DeleteCollection(*d),
                    format!("Delete the collection '{name}'?{file}"),
                )
            }
            Node::Folder(..) => (
                Confirm::Delete(node.clone()),
                format!("Delete the folder (and everything in it) '{name}'?"),
            ),
            Node::Request(_) => (
                Confirm::Delete(node.clone()),
                format!("Delete the request '{name}'?"),
            ),
        };
        st.open(
            Confirmation::new(ID, what, question)
                .answer(Action::Yes, "delete")
                .answer(Action::No, "keep")
                .answer(Action::Cancel, "keep"),
        );
    }

    /// The live filter: the selection stays on its node when it still shows, else moves to
    /// the first request shown.
    fn filter(&self, st: &mut State, text: String, phase: Phase) {
        let keep = st.selected_node().cloned();
        st.ws.filter = if phase == Phase::Cancelled {
            String::new()
        } else {
            text
        };
        st.ws.rebuild();
        match keep.and_then(|n| st.ws.row_of(&n)) {
            Some(i) => st.selected = i,
            None => {
                let first = (st.ws.rows.iter()).position(|r| matches!(r.node, Node::Request(_)));
                match first {
                    Some(i) => {
                        st.selected = i;
                        st.selection_changed();
                    }
                    None => st.selected = 0,
                }
            }
        }
    }
}

impl Component for Tree {
    fn id(&self) -> PaneId {
        ID
    }

    fn context(&self) -> Context {
        Context::Tree
    }

    fn slot(&self) -> Option<Slot> {
        Some(Slot::Sidebar)
    }

    fn input(&mut self, input: Input, st: &mut State) -> Flow {
        let (n, at, page) = (st.ws.rows.len(), st.selected, st.page());
        let last = n.saturating_sub(1);
        let action = match input {
            Input::Action(a) => a,
            Input::Click(Target::Row(i)) => {
                st.select_row(i);
                return Flow::Consumed;
            }
            Input::Wheel { down } => {
                st.select_row(if down {
                    (at + 1).min(last)
                } else {
                    at.saturating_sub(1)
                });
                return Flow::Consumed;
            }
            _ => return Flow::Ignored,
        };
        match action {
            Action::Up => st.select_row(at.saturating_sub(1)),
            Action::Down => st.select_row((at + 1).min(last)),
            Action::PageUp => st.select_row(at.saturating_sub(page)),
            Action::PageDown => st.select_row((at + page).min(last)),
            Action::Top => st.select_row(0),
            Action::Bottom => st.select_row(last),
            Action::Enter | Action::Right | Action::Left => self.open(action, st),
            Action::Filter => {
                let prompt =
                    TextPrompt::new(ID, TextPurpose::Filter, "Filter requests", &st.ws.filter)
                        .labels("keeps", "clears");
                st.open(prompt);
            }
            Action::NewRequest => {
                let at = st.selected_node().cloned().unwrap_or(Node::Collection(0));
                if let Some(r) = st.ws.add_request(&at) {
                    st.changed(r.doc, true);
                    st.select_node(&Node::Request(r));
                    // Straight into the URL.
                    st.focus(super::request::ID);
                    st.emit(Event::EditUrl);
                } else {
                    let key = st.key(Action::NewCollection).to_string();
                    st.notify(Level::Warning, format!("create a collection first ({key})"));
                }
            }
            Action::NewFolder => {
                let at = st.selected_node().cloned().unwrap_or(Node::Collection(0));
                if let Some(node) = st.ws.add_folder(&at) {
                    st.changed(node.doc(), true);
                    st.select_node(&node);
                    rename_prompt(st, node);
                }
            }
            Action::Rename => {
                if let Some(node) = st.selected_node().cloned() {
                    rename_prompt(st, node);
                }
            }
            Action::Duplicate => match st.selected_request().cloned() {
                None => st.notify(Level::Warning, "select a request to duplicate"),
                Some(r) => {
                    if let Some(copy) = st.ws.duplicate(&r) {
                        st.changed(r.doc, true);
                        st.select_node(&Node::Request(copy));
                    }
                }
            },
            Action::Delete => self.delete(st),
            Action::Move => match st.selected_request().cloned() {
                None => st.notify(Level::Warning, "select a request to move"),
                Some(r) => {
                    let dest = st.ws.destinations();
                    let items = dest.iter().map(|(_, _, l)| l.clone()).collect();
                    let places = dest.into_iter().map(|(d, p, _)| (d, p)).collect();
                    let what = Pick::Move(r, places);
                    st.open(Picker::new(ID, what, "Move to".into(), items, 0));
                }
            },
            _ => return Flow::Ignored,
        }
        Flow::Consumed
    }

    fn answer(&mut self, answer: Answer, st: &mut State) {
        match answer {
            Answer::Text {
                purpose: TextPurpose::Filter,
                text,
                phase,
                ..
            } => self.filter(st, text, phase),
            Answer::Text {
                purpose: TextPurpose::Rename,
                text,
                node: Some(node),
                phase: Phase::Accepted,
            } => match st.ws.rename(&node, &text) {
                Ok(()) => {
                    // A renamed item keeps its place; the row label changes.
                    st.changed(node.doc(), true);
                    if let Some(i) = st.ws.row_of(&node) {
                        st.selected = i;
                    }
                    st.selection_changed();
                }
                Err(e) => st.notify(Level::Error, e),
            },
            Answer::Confirmed {
                what: Confirm::Delete(node),
                choice: Action::Yes,
            } => match st.ws.delete(&node) {
                Ok(()) => {
                    st.selected = st.selected.min(st.ws.rows.len().saturating_sub(1));
                    st.changed(node.doc(), true);
                    st.selection_changed();
                }
                Err(e) => st.notify(Level::Error, e),
            },
            Answer::Confirmed {
                what: Confirm::DeleteCollection(doc),
                choice: Action::Yes,
            } => st.delete_collection(doc),
            Answer::Picked {
                what: Pick::Move(r, places),
                index,
                ..
            } => {
                let Some((doc, folders)) = places.get(index).cloned() else {
                    return;
                };
                match st.ws.move_request(&r, doc, &folders) {
                    Some(new) => {
                        st.changed(r.doc, true);
                        if doc != r.doc {
                            st.changed(doc, true);
                        }
                        st.select_node(&Node::Request(new));
                    }
                    None => st.notify(Level::Error, "that folder is gone; nothing moved"),
                }
            }
            _ => {}
        }
    }

    fn render(&self, f: &mut Frame, area: Rect, d: &mut Draw) {
        let st = d.st;
        let t = &st.theme;
        let height = area.height.saturating_sub(2) as usize;
        let offset = list_offset(st.selected, height);
        let mut lines = Vec::new();
        for (row, (i, r)) in st
            .ws
            .rows
            .iter()
            .enumerate()
            .skip(offset)
            .take(height)
            .enumerate()
        {
            let mut spans = vec![Span::raw("  ".repeat(r.depth))];
            let label = visible_line(&r.label).into_owned();
            let folded = st.ws.is_folded(&r.node);
            match (&r.node, &r.method) {
                (Node::Request(_), Some(m)) => {
                    spans.push(Span::styled(
                        format!("{:<6} ", visible_line(m)),
                        t.method(m),
                    ));
                    spans.push(Span::raw(label));
                }
                (Node::Collection(doc), _) => {
                    let mark = if folded { "▸ " } else { "" };
                    spans.push(Span::styled(
                        format!("{mark}{label}"),
                        t.fg(Role::Text).add_modifier(Modifier::BOLD),
                    ));
                    if st.ws.docs[*doc].dirty {
                        spans.push(Span::styled(" ●", t.fg(Role::Dirty)));
                    }
                }
                _ => {
                    let mark = if folded { "▸" } else { "▾" };
                    spans.push(Span::styled(format!("{mark} {label}"), t.fg(Role::Accent)))
                }
            }
            let line = Line::from(spans);
            lines.push(if i == st.selected {
                line.style(t.selected())
            } else {
                line
            });
            let y = area.y + 1 + row as u16;
            d.hit(
                Rect::new(area.x + 1, y, area.width.saturating_sub(2), 1),
                Target::Row(i),
            );
        }
        if st.ws.docs.is_empty() {
            lines.push(Line::styled("No collection yet:", t.fg(Role::Muted)));
            for a in [
                Action::NewCollection,
                Action::Import,
                Action::ImportAws,
                Action::OpenDemo,
            ] {
                lines.push(Line::styled(
                    format!(" {} {}", st.key(a), crate::tui::keymap::def(a).desc),
                    t.fg(Role::Muted),
                ));
            }
        }
        let (collections, requests) = (st.ws.docs.len(), st.ws.request_count());
        let plural = |n: usize, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
        let title = if st.ws.filter.is_empty() && area.width < 30 {
            format!("Collections {collections} · {requests} req.")
        } else if st.ws.filter.is_empty() {
            format!(
                "Collections ({collections}, {})",
                plural(requests, "request")
            )
        } else {
            let shown = (st.ws.rows.iter())
                .filter(|r| matches!(r.node, Node::Request(_)))
                .count();
            format!(
                "Collections ({collections}) — filter: {}, {shown} of {}",
                visible_line(&st.ws.filter),
                plural(requests, "request")
            )
        };
        f.render_widget(Paragraph::new(lines).block(d.block(title)), area);
    }
}
