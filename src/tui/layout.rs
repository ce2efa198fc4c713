//! Where the slots are on a screen of a given size: every slot from 120×30; below that the
//! sidebar and one pane (the main one). A pure function of the size and two switches, used
//! only while rendering.

use super::component::Slot;
use ratatui::layout::{Constraint, Layout, Rect};

pub struct Screen {
    pub status: Rect,
    pub footer: Rect,
    /// The slots with room on this screen.
    pub slots: Vec<(Slot, Rect)>,
    /// On a small screen, the one place for whichever pane is the main one.
    pub main: Option<Rect>,
}

pub fn screen(area: Rect, compact: bool, drawer: bool) -> Screen {
    let [status, main, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(area);
    if compact {
        let tree_w = if area.width < 60 { area.width / 3 } else { 28 };
        let [left, right] =
            Layout::horizontal([Constraint::Length(tree_w), Constraint::Min(10)]).areas(main);
        return Screen {
            status,
            footer,
            slots: vec![(Slot::Sidebar, left)],
            main: Some(right),
        };
    }
    let [left, right] =
        Layout::horizontal([Constraint::Length(34), Constraint::Min(40)]).areas(main);
    let [tree, history] =
        Layout::vertical([Constraint::Percentage(70), Constraint::Percentage(30)]).areas(left);
    let mut slots = vec![(Slot::Sidebar, tree), (Slot::SidebarBottom, history)];
    let top = if drawer {
        let [top, bottom] =
            Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(right);
        slots.push((Slot::Drawer, bottom));
        top
    } else {
        right
    };
    let [editor, viewer] =
        Layout::horizontal([Constraint::Percentage(42), Constraint::Percentage(58)]).areas(top);
    slots.push((Slot::Editor, editor));
    slots.push((Slot::Viewer, viewer));
    Screen {
        status,
        footer,
        slots,
        main: None,
    }
}
