//! The panes and the chrome around them, one file each: a pane owns its view state, handles
//! the actions of its keymap context, draws itself and records where for the mouse. The
//! root lists the panes (`app::panes`); each says its slot on the screen.

pub mod footer;
pub mod history;
pub mod inspector;
pub mod request;
pub mod response;
pub mod settings;
pub mod status;
pub mod tree;
pub mod welcome;
