//! The full-screen workbench: the only module that knows ratatui or crossterm.
//!
//! Elm-shaped, with components (Slumber's `Component` + `Draw`, gitui's popups): the root
//! (`app`) turns keys into actions through the `keymap`, routes them, task replies and clicks
//! (tested against the `hits` recorded while drawing) to a pane (`panes`, one file each) or an
//! overlay (`overlays`); focus moves in `focus`, drawing is `view` (slots from `layout`);
//! shared state and its operations are in `state`, the workbench-wide actions in `workbench`.
//! The `event_loop` only moves messages and runs the commands `update` returns; work runs in
//! `tasks`. `harness` drives the whole app in tests and benchmarks.
//!
//! ```text
//! ┌ status ───────────────────────────────────────────────────────────┐
//! │ Sidebar: tree      │ Editor: request      │ Viewer: response      │
//! │                    ├──────────────────────┴───────────────────────┤
//! │ SidebarBottom:     │ Drawer: inspector                             │
//! │ history            │                                               │
//! └ footer: mode, notice or hints ────────────────────────────────────┘
//!   overlays on top: prompt · confirm · picker · help · sign-in · MFA code
//! ```

pub mod app;
pub mod component;
pub mod config;
mod event_loop;
mod focus;
pub mod harness;
pub mod hits;
pub mod keymap;
mod layout;
pub mod messages;
pub mod overlays;
pub mod panes;
mod safe;
pub mod session;
pub mod state;
pub mod tasks;
mod terminal;
pub mod text_field;
pub mod theme;
pub mod view;
pub mod workbench;

/// The workspace moved to the core; the workbench's name for it stays.
pub use crate::model::workspace;
pub use event_loop::{run, run_after};
pub use terminal::osc52;
pub use terminal::rows as terminal_rows;
