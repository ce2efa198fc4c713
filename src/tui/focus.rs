//! Focus between panes: Tab and Shift-Tab through the panes on screen, a click's pane, the
//! inspector key opening the drawer (or, on a small screen, swapping it with the editor).

use super::app::App;
use super::component::Slot;

impl App {
    /// The pane shown in pane `i`'s place: itself, or the one that shares its slot and
    /// shows now (the settings or the welcome in the editor's place).
    pub(super) fn in_place_of(&self, i: usize) -> usize {
        let p = &self.panes[i];
        if p.shown(&self.state) {
            return i;
        }
        let slot = p.slot();
        Self::index_in(&self.panes, |q| q.slot() == slot && q.shown(&self.state)).unwrap_or(i)
    }

    /// Keeps the focus on a pane that is on the screen (the editor's place changes hands
    /// when the selection moves between a request and a collection).
    pub(super) fn keep_focus_shown(&mut self) {
        self.focus = self.in_place_of(self.focus);
        self.main = self.in_place_of(self.main);
    }

    pub(super) fn focus_on(&mut self, i: usize) {
        self.focus = i;
        if self.panes[i].slot() != Some(Slot::Sidebar) {
            self.main = i;
        }
    }

    /// Tab and Shift-Tab: every pane on screen (all of them, one at a time, when small).
    pub(super) fn cycle(&mut self, forward: bool) {
        let compact = self.state.compact();
        let visible: Vec<usize> = (0..self.panes.len())
            .filter(|&i| {
                let p = &self.panes[i];
                p.shown(&self.state) && (compact || self.drawer || p.slot() != Some(Slot::Drawer))
            })
            .collect();
        let at = visible.iter().position(|&i| i == self.focus).unwrap_or(0);
        let n = visible.len();
        self.focus_on(
            visible[if forward {
                (at + 1) % n
            } else {
                (at + n - 1) % n
            }],
        );
    }

    /// The inspector key: opens and closes the drawer; on a small screen it takes the place
    /// of the editor (and back).
    pub(super) fn toggle_drawer(&mut self) {
        let find = |slot| Self::index_in(&self.panes, |p| p.slot() == Some(slot));
        let (Some(drawer), Some(editor)) = (find(Slot::Drawer), find(Slot::Editor)) else {
            return;
        };
        let editor = self.in_place_of(editor);
        if self.state.compact() {
            self.main = if self.main == drawer { editor } else { drawer };
            self.focus = self.main;
        } else {
            self.drawer = !self.drawer;
            if !self.drawer && self.focus == drawer {
                self.focus = find(Slot::Viewer).unwrap_or(0);
            }
        }
    }
}
