//! The `?` overlay: every binding of the keymap (as the user has it), one section per pane
//! and mode, in two columns when there is room, scrolled with the list keys; a description
//! too long for its column wraps under itself, never cut (80×24 shows everything by
//! scrolling). Quit quits; any other key closes it.

use crate::tui::component::{centered, Component, Draw, Flow, Hint, Input, PaneId};
use crate::tui::hits::Target;
use crate::tui::keymap::{Action, Context, DEFS};
use crate::tui::state::State;
use crate::tui::theme::Role;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;

pub const HELP: PaneId = PaneId("help");

/// Columns this wide and more sit side by side.
const COLUMN: u16 = 60;

#[derive(Default)]
pub struct Help {
    scroll: usize,
}

/// The keys column's width.
const KEYS: usize = 14;

/// `text` in pieces of at most `width` characters, broken at spaces where it can be.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(8);
    let mut out = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let (have, add) = (line.chars().count(), word.chars().count());
        if have > 0 && have + 1 + add > width {
            out.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
        while line.chars().count() > width {
            let head: String = line.chars().take(width).collect();
            line = line.chars().skip(width).collect();
            out.push(head);
        }
    }
    out.push(line);
    out
}

/// The lines of the overlay for columns `width` wide: a heading per context, then
/// `keys  what it does`.
fn lines(st: &State, width: usize) -> Vec<Line<'static>> {
    let t = &st.theme;
    let mut out = Vec::new();
    // This help's own keys are in its title.
    for ctx in Context::ALL.into_iter().filter(|c| *c != Context::Help) {
        let defs: Vec<_> = DEFS.iter().filter(|d| d.contexts.contains(&ctx)).collect();
        if defs.is_empty() {
            continue;
        }
        out.push(Line::styled(
            ctx.title(),
            t.fg(Role::Accent).add_modifier(Modifier::BOLD),
        ));
        for d in defs {
            let keys = st.keymap.keys(d.action).join(" ");
            let keys = crate::text::visible_line(&keys).into_owned();
            let desc = wrap(d.desc, width.saturating_sub(KEYS + 1));
            for (i, part) in desc.into_iter().enumerate() {
                let k = if i == 0 { keys.as_str() } else { "" };
                out.push(Line::from(vec![
                    Span::styled(format!("  {k:<w$} ", w = KEYS - 2), t.fg(Role::Accent)),
                    Span::raw(part),
                ]));
            }
        }
    }
    for part in wrap(
        "Mouse: a click focuses and selects, the wheel scrolls. Rebind any key in keymap.json (the config folder).",
        width,
    ) {
        out.push(Line::styled(part, t.fg(Role::Muted)));
    }
    out
}

impl Component for Help {
    fn id(&self) -> PaneId {
        HELP
    }

    fn context(&self) -> Context {
        Context::Help
    }

    fn input(&mut self, input: Input, st: &mut State) -> Flow {
        let max = st.hits.extent(HELP).map(|e| e.max_scroll()).unwrap_or(0);
        let page = st
            .hits
            .extent(HELP)
            .map(|e| e.viewport)
            .unwrap_or(10)
            .max(1);
        let s = self.scroll;
        self.scroll = match input {
            Input::Action(Action::Up) | Input::Wheel { down: false } => s.saturating_sub(1),
            Input::Action(Action::Down) | Input::Wheel { down: true } => (s + 1).min(max),
            Input::Action(Action::PageUp) => s.saturating_sub(page),
            Input::Action(Action::PageDown) => (s + page).min(max),
            Input::Action(Action::Top) => 0,
            Input::Action(Action::Bottom) => max,
            Input::Action(Action::Quit) => {
                st.close();
                st.quit();
                return Flow::Consumed;
            }
            _ => {
                st.close();
                return Flow::Consumed;
            }
        };
        Flow::Consumed
    }

    fn hints(&self, _st: &State) -> Vec<Hint> {
        vec![
            Hint::new(Action::PageDown, "page down"),
            Hint::new(Action::Up, "scroll up"),
            Hint::new(Action::Down, "scroll down"),
            Hint::new(Action::Cancel, "close"),
            Hint::of(Action::Quit),
        ]
    }

    fn render(&self, f: &mut Frame, area: Rect, d: &mut Draw) {
        let st = d.st;
        let rect = centered(area, 2 * COLUMN + 2, area.height);
        d.hit(rect, Target::Area);
        f.render_widget(Clear, rect);
        let title = format!(
            "Keys ({}/{} scroll, {} closes, any other key too)",
            st.key(Action::Up),
            st.key(Action::Down),
            st.key(Action::Cancel)
        );
        let block = Block::bordered().title(title);
        let inner = block.inner(rect);
        f.render_widget(block, rect);
        let rows = inner.height as usize;
        let columns: Vec<Rect> = if inner.width >= 2 * COLUMN {
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .split(inner)
                .to_vec()
        } else {
            vec![inner]
        };
        let all = lines(st, columns[0].width as usize);
        d.extent(all.len(), rows * columns.len());
        let mut rest = all.into_iter().skip(self.scroll);
        for column in columns {
            let part: Vec<Line> = rest.by_ref().take(rows).collect();
            f.render_widget(Paragraph::new(part), column);
        }
    }
}
