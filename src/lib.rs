//! sigscope: a workbench for calling AWS IAM-protected APIs.
//!
//! The request lifecycle, the same for the CLI, the TUI and the tests:
//!
//! ```text
//!  model::RequestSpec ──resolve variables──▶ http::Prepared ──sign::sign──▶ sign::Signed
//!        (collection)                        (WireRequest +            (request + SigningTrace)
//!                                             SigningSettings)               │
//!                                                                         http::send
//!                                                                            ▼
//!                              diagnose::diagnose ◀── http::Exchange | http::TransportError
//! ```
//!
//! - `sign`: canonicalization and `SigningTrace`; the signature is aws-sigv4's, cross-checked
//!   against the trace on every signing.
//! - `aws`: credentials and profiles through aws-config, endpoint inference, STS identity;
//!   IAM Identity Center logins, MFA and role chains, with the caches shared with the AWS CLI.
//! - `http`: building, sending (reqwest), timing and classifying transport failures; a body
//!   too large for memory streamed to a file (`http::spill`); two exchanges compared
//!   (`http::compare`).
//! - `diagnose`: reading AWS error bodies, naming the cause of a 403, diffing canonical requests,
//!   and reading a failure to connect (`diagnose::transport`).
//! - `mock`: a local API Gateway with `AWS_IAM` authorization (the demo, and a test target).
//! - `model`: collections, environments, variables (one precedence, `model::variables`),
//!   the open workspace and its tree operations, history, drafts; atomic saves.
//! - `body`: response bodies for display: one-pass pretty-printing, line index, search, hex,
//!   a body file read in windows (`body::file`),
//!   highlight tokens, jq (jaq).
//! - `flow`: a collection run as a test: the plan (file order, captured variables' sources
//!   pulled in, cycles refused), captures and assertions checked on each response, the runner
//!   (`--jobs`, iterations, data rows) and its reporters (human, JSON, JUnit).
//! - `import` / `export`: Postman, Insomnia, Bruno, HAR, `.http`, OpenAPI, curl and the account's
//!   APIs in; curl, python, javascript, go, httpie, awscurl, Postman and `.http` out.
//! - `text`: control characters from files and the network shown as visible escapes before
//!   anything is printed or drawn.
//! - `timestamp`: times as RFC 3339 or SigV4's basic format, for the core and the CLI.
//! - `cli`: one file per subcommand (the only module that knows clap). `tui`: the only module
//!   that knows ratatui or crossterm: a root (`tui::app`) routing keys, replies and clicks to
//!   components, one file per pane (`tui::panes`) and overlay (`tui::overlays`), shared state
//!   in `tui::state`, work in `tui::tasks`, what is remembered between runs in `tui::session`.

pub mod aws;
pub mod body;
pub mod cli;
pub mod diagnose;
pub mod export;
pub mod flow;
pub mod http;
pub mod import;
pub mod mock;
pub mod model;
pub mod sign;
pub mod text;
pub mod timestamp;
pub mod tui;
