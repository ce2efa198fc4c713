//! What opens over the panes and has the keyboard until it closes: a text prompt, a
//! question, a list to pick from, the help, the sign-in dialog, the MFA code prompt, a client
//! key's passphrase, the copy menu and the import from an AWS account. Each
//! is a component in its own file; a new one is a new file whose opener calls `State::open`
//! (the sign-in and code dialogs are opened by `state::creds` when credentials need them).

pub mod account_import;
pub mod confirm;
pub mod copy_menu;
pub mod help;
pub mod login;
pub mod mfa;
pub mod passphrase;
pub mod picker;
pub mod prompt;
