//! The hit map (Slumber's `ComponentMap`): while a frame is drawn, each component records
//! the rectangles it drew things in (its area, its rows, its tabs) and how much of its content
//! is in view. Mouse input is tested against the last frame's map, so update never recomputes
//! a layout or guesses where a widget put its text.

use super::component::PaneId;
use ratatui::layout::{Position, Rect};

/// What was drawn at a place, in the drawing component's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The component's whole area.
    Area,
    /// A row of a list or a form (the component's own numbering).
    Row(usize),
    /// A tab title.
    Tab(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub rect: Rect,
    pub owner: PaneId,
    pub target: Target,
}

/// Content and viewport heights, in lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Extent {
    pub content: usize,
    pub viewport: usize,
}

impl Extent {
    /// The largest scroll offset that still fills the view.
    pub fn max_scroll(self) -> usize {
        self.content.saturating_sub(self.viewport)
    }
}

#[derive(Debug, Clone, Default)]
pub struct HitMap {
    hits: Vec<Hit>,
    extents: Vec<(PaneId, Extent)>,
}

impl HitMap {
    pub fn record(&mut self, rect: Rect, owner: PaneId, target: Target) {
        if rect.width > 0 && rect.height > 0 {
            self.hits.push(Hit {
                rect,
                owner,
                target,
            });
        }
    }

    pub fn set_extent(&mut self, owner: PaneId, content: usize, viewport: usize) {
        self.extents.retain(|(o, _)| *o != owner);
        self.extents.push((owner, Extent { content, viewport }));
    }

    /// What is under the pointer: the last thing drawn there (overlays and rows are drawn
    /// after the areas they sit on).
    pub fn at(&self, x: u16, y: u16) -> Option<Hit> {
        let p = Position::new(x, y);
        self.hits.iter().rev().find(|h| h.rect.contains(p)).copied()
    }

    /// Where a target was drawn, if it was.
    pub fn find(&self, owner: PaneId, target: Target) -> Option<Rect> {
        self.hits
            .iter()
            .find(|h| h.owner == owner && h.target == target)
            .map(|h| h.rect)
    }

    pub fn extent(&self, owner: PaneId) -> Option<Extent> {
        self.extents
            .iter()
            .find(|(o, _)| *o == owner)
            .map(|(_, e)| *e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_topmost_hit_wins() {
        let (pane, overlay) = (PaneId("pane"), PaneId("overlay"));
        let mut map = HitMap::default();
        map.record(Rect::new(0, 0, 10, 10), pane, Target::Area);
        map.record(Rect::new(1, 2, 8, 1), pane, Target::Row(0));
        map.record(Rect::new(5, 0, 5, 5), overlay, Target::Area);
        map.record(Rect::new(0, 9, 0, 1), pane, Target::Row(9)); // empty: not recorded
        assert_eq!(map.at(2, 2).map(|h| h.target), Some(Target::Row(0)));
        assert_eq!(map.at(6, 2).map(|h| h.owner), Some(overlay));
        assert_eq!(map.at(0, 9).map(|h| h.target), Some(Target::Area));
        assert_eq!(map.at(20, 20), None);
        assert_eq!(map.find(pane, Target::Row(0)), Some(Rect::new(1, 2, 8, 1)));
        map.set_extent(pane, 100, 30);
        assert_eq!(map.extent(pane).map(Extent::max_scroll), Some(70));
    }
}
