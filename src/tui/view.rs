//! Drawing the workbench: the status line, the panes in their slots, the footer with the
//! hints of whatever has the keyboard, the overlays on top. Drawing only reads the app; the
//! hit map it records is kept by `draw` for the mouse (`render` drops it: reading the screen,
//! snapshots). Every frame is scrubbed of control characters before it reaches the terminal.

use super::app::App;
use super::component::{Component, Draw};
use super::hits::{HitMap, Target};
use super::layout;
use super::panes::{footer::Footer, status::Status};
use ratatui::layout::Rect;
use ratatui::Frame;

/// Draws the app onto any frame without keeping the hit map.
pub fn render(app: &App, f: &mut Frame) {
    app.render(f);
}

impl App {
    /// Where each pane is on this screen: the slots' first shown pane, or on a small screen
    /// the sidebar's and the main one.
    fn placed(&self, screen: &layout::Screen) -> Vec<(usize, Rect)> {
        let st = &self.state;
        let in_slot = |slot| Self::index_in(&self.panes, |p| p.slot() == Some(slot) && p.shown(st));
        let mut out: Vec<_> = (screen.slots.iter())
            .filter_map(|(slot, rect)| Some((in_slot(*slot)?, *rect)))
            .collect();
        if let Some(rect) = screen.main {
            out.push((self.main, rect));
        }
        out
    }

    /// Draws the workbench; the hit map it records is what the mouse is tested against.
    pub fn draw(&mut self, f: &mut Frame) {
        self.state.hits = self.paint(f);
    }

    /// Draws without keeping the hit map (reading the screen, snapshots).
    pub fn render(&self, f: &mut Frame) {
        self.paint(f);
    }

    fn paint(&self, f: &mut Frame) -> HitMap {
        let st = &self.state;
        let mut hits = HitMap::default();
        let area = f.area();
        let screen = layout::screen(area, st.compact(), self.drawer);
        let mut draw = |c: &dyn Component, area, focused, f: &mut Frame| {
            let mut d = Draw {
                st,
                id: c.id(),
                focused,
                hits: &mut hits,
            };
            d.hit(area, Target::Area);
            c.render(f, area, &mut d);
        };
        draw(&Status, screen.status, false, f);
        for (i, rect) in self.placed(&screen) {
            draw(self.panes[i].as_ref(), rect, i == self.focus, f);
        }
        let active: &dyn Component = match self.overlays.last() {
            Some(o) => o.as_ref(),
            None => self.panes[self.focus].as_ref(),
        };
        let footer = Footer::new(active.mode(), active.hints(st));
        draw(&footer, screen.footer, false, f);
        for o in &self.overlays {
            draw(o.as_ref(), area, true, f);
        }
        super::safe::scrub(f.buffer_mut());
        hits
    }
}
