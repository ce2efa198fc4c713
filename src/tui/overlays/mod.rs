//! What opens over the panes and has the keyboard until it closes: a text prompt, a
//! question, a list to pick from, the help. Each is a component in its own file; a new one
//! (a login dialog, a code prompt) is a new file whose opener calls `State::open`.

pub mod confirm;
pub mod help;
pub mod picker;
pub mod prompt;
