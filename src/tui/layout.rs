//! Where the slots are on a screen of a given size: every slot from 120×30; below that the
//! sidebar and one pane (the main one). A pure function of the size and two switches, used
//! only while rendering.
//!
//! The splits here and in the panes drawn on every frame are computed directly (`rows`,
//! `columns`), not by ratatui's `Layout`: its constraint solver costs about 0.1 ms a split
//! until its cache is warm, which on the first frame is most of a millisecond. The results
//! are ratatui's own, checked against `Layout` for every size up to 400 cells.

use super::component::Slot;
use ratatui::layout::Rect;

/// A part of a split: `Fixed(n)` is `Constraint::Length(n)`, `Rest(n)` is `Constraint::Min(n)`
/// (one per split, taking what the fixed parts leave), `Percent(p)` is
/// `Constraint::Percentage(p)` (the percentages of a split add up to 100).
#[derive(Clone, Copy, Debug)]
pub enum Part {
    Fixed(u16),
    Rest(u16),
    Percent(u16),
}

/// The sizes of `parts` along `total` cells, as ratatui's `Layout` (legacy flex) gives them:
/// the `Rest` part gets its minimum first, the fixed parts what is left in order, and the
/// `Rest` part the remainder; percentages end where their running total, rounded, puts them.
fn sizes<const N: usize>(total: u16, parts: [Part; N]) -> [u16; N] {
    let mut out = [0; N];
    if parts.iter().all(|p| matches!(p, Part::Percent(_))) {
        let (mut start, mut sum) = (0u16, 0u32);
        for (size, part) in out.iter_mut().zip(parts) {
            let Part::Percent(p) = part else {
                unreachable!()
            };
            sum += u32::from(p);
            let end = (f64::from(total) * f64::from(sum) / 100.0).round() as u16;
            let end = end.min(total);
            *size = end - start;
            start = end;
        }
        out[N - 1] += total - start;
        return out;
    }
    let rest = parts.iter().position(|p| matches!(p, Part::Rest(_)));
    let rest = rest.expect("a split of fixed parts has one Rest part");
    let Part::Rest(min) = parts[rest] else {
        unreachable!()
    };
    let mut left = total - min.min(total);
    for (size, part) in out.iter_mut().zip(parts) {
        match part {
            Part::Fixed(n) => {
                *size = n.min(left);
                left -= *size;
            }
            Part::Rest(_) => {}
            Part::Percent(_) => panic!("percentages split a whole on their own"),
        }
    }
    out[rest] = total - out.iter().sum::<u16>();
    out
}

/// `area` split top to bottom (`Layout::vertical(parts).areas(area)`).
pub fn rows<const N: usize>(area: Rect, parts: [Part; N]) -> [Rect; N] {
    let mut y = area.y;
    sizes(area.height, parts).map(|height| {
        let r = Rect { y, height, ..area };
        y += height;
        r
    })
}

/// `area` split left to right (`Layout::horizontal(parts).areas(area)`).
pub fn columns<const N: usize>(area: Rect, parts: [Part; N]) -> [Rect; N] {
    let mut x = area.x;
    sizes(area.width, parts).map(|width| {
        let r = Rect { x, width, ..area };
        x += width;
        r
    })
}

pub struct Screen {
    pub status: Rect,
    pub footer: Rect,
    /// The slots with room on this screen.
    pub slots: Vec<(Slot, Rect)>,
    /// On a small screen, the one place for whichever pane is the main one.
    pub main: Option<Rect>,
}

pub fn screen(area: Rect, compact: bool, drawer: bool) -> Screen {
    use Part::*;
    let [status, main, footer] = rows(area, [Fixed(1), Rest(3), Fixed(1)]);
    if compact {
        let tree_w = if area.width < 60 { area.width / 3 } else { 28 };
        let [left, right] = columns(main, [Fixed(tree_w), Rest(10)]);
        return Screen {
            status,
            footer,
            slots: vec![(Slot::Sidebar, left)],
            main: Some(right),
        };
    }
    let [left, right] = columns(main, [Fixed(34), Rest(40)]);
    let [tree, history] = rows(left, [Percent(70), Percent(30)]);
    let mut slots = vec![(Slot::Sidebar, tree), (Slot::SidebarBottom, history)];
    let top = if drawer {
        let [top, bottom] = rows(right, [Percent(55), Percent(45)]);
        slots.push((Slot::Drawer, bottom));
        top
    } else {
        right
    };
    let [editor, viewer] = columns(top, [Percent(42), Percent(58)]);
    slots.push((Slot::Editor, editor));
    slots.push((Slot::Viewer, viewer));
    Screen {
        status,
        footer,
        slots,
        main: None,
    }
}

#[cfg(test)]
mod tests {
    use super::Part::{self, *};
    use super::*;
    use ratatui::layout::{Constraint, Layout};

    fn constraint(p: Part) -> Constraint {
        match p {
            Fixed(n) => Constraint::Length(n),
            Rest(n) => Constraint::Min(n),
            Percent(p) => Constraint::Percentage(p),
        }
    }

    /// Every split the workbench computes by hand, against ratatui's `Layout`, at every size
    /// up to 400 cells and away from the origin.
    #[test]
    fn the_hand_splits_are_ratatuis() {
        fn check<const N: usize>(parts: [Part; N]) {
            for n in 0..=400 {
                let area = Rect::new(3, 5, n, n);
                let c = parts.map(constraint);
                assert_eq!(
                    rows(area, parts),
                    Layout::vertical(c).areas(area),
                    "{parts:?} {n}"
                );
                let got = columns(area, parts);
                assert_eq!(got, Layout::horizontal(c).areas(area), "{parts:?} {n}");
            }
        }
        check([Fixed(1), Rest(3), Fixed(1)]);
        check([Fixed(1), Fixed(1), Rest(1)]);
        check([Fixed(34), Rest(40)]);
        check([Fixed(28), Rest(10)]);
        check([Fixed(0), Rest(10)]);
        for p in [70, 55, 50, 42, 30, 1] {
            check([Percent(p), Percent(100 - p)]);
        }
        check([Percent(46), Percent(27), Percent(27)]);
        check([Percent(50), Percent(25), Percent(25)]);
    }
}
