//! Flows: a collection's requests run as a test, in order, each response checked against the
//! request's assertions and its captures feeding the requests after it. The engine under
//! `sigscope run` and the workbench's Checks tab; it knows nothing of the screen or of clap.
//!
//! ```text
//!  Collection + filter ──plan::plan──▶ Plan { steps in order, sources pulled in, waits }
//!                                         │   (a cycle of captured variables: PlanError)
//!  Options { jobs, iterations, data rows, bail } ──runner::run──▶ Event::Step(StepResult) …
//!                                         │
//!            each step: prepare ─ sign ─ send ─▶ Observed ─┬─ assertions::evaluate ─▶ Outcome
//!                                                          └─ captures::apply ──────▶ Captured ─▶ variables
//!                                         ▼
//!                                      Report ──report::{human, json, junit}──▶ text
//! ```
//!
//! Each step goes out through a client for its own network settings (`network`: CA files,
//! proxy, client certificate, timeouts), so a transport failure is diagnosed with them.

pub mod assertions;
pub mod captures;
pub mod data;
pub mod jq;
pub mod network;
pub mod observed;
pub mod plan;
pub mod report;
pub mod runner;

pub use observed::Observed;
pub use plan::{plan, Plan, PlanError};
pub use runner::{run, Event, Flow, Options, Report, StepResult, Summary};
