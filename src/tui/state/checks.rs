//! The workbench's side of flows: when a request is sent, its assertions are checked and its
//! captures taken (the core's `flow::assertions` and `flow::captures`, as `sigscope run` does);
//! what they set is kept for the requests after it (this run's variables, or the selected
//! environment when the capture says so), with where and when it was captured; and each
//! request's last results are kept for the Checks and Captures tabs.

use super::State;
use crate::flow::assertions::{self, Outcome};
use crate::flow::captures::{self, Captured};
use crate::flow::Observed;
use crate::http::Exchange;
use crate::model::checks::CaptureScope;
use crate::model::workspace::{ReqRef, VarLevel};
use crate::tui::messages::Level;
use std::collections::{BTreeMap, HashMap};
use std::time::SystemTime;

/// A request's last checked response.
#[derive(Debug, Clone)]
pub struct LastChecks {
    pub at: SystemTime,
    pub outcomes: Vec<Outcome>,
    pub captures: Vec<Captured>,
}

/// Where a captured variable's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapturedFrom {
    /// `folder/name` of the request that captured it.
    pub request: String,
    pub at: SystemTime,
    pub scope: CaptureScope,
}

#[derive(Debug, Default)]
pub struct Checks {
    pub(crate) last: HashMap<ReqRef, LastChecks>,
    pub(crate) captured: BTreeMap<String, CapturedFrom>,
}

impl State {
    /// The selected request's last check, if it has been sent with checks since start.
    pub fn last_checks(&self) -> Option<&LastChecks> {
        self.checks.last.get(self.selected_request()?)
    }

    /// Where a variable's value was captured, if it was.
    pub fn captured_from(&self, name: &str) -> Option<&CapturedFrom> {
        self.checks.captured.get(name)
    }

    /// Checks a response just received for the selected request and takes its captures.
    pub(crate) fn check_exchange(&mut self, exchange: &Exchange) {
        let Some(r) = self.selected_request().cloned() else {
            return;
        };
        let Some(spec) = self.ws.request(&r) else {
            return;
        };
        if spec.assertions.is_empty() && spec.captures.is_empty() {
            self.checks.last.remove(&r);
            return;
        }
        let (asserted, taking) = (spec.assertions.clone(), spec.captures.clone());
        let vars: BTreeMap<String, String> = (self.var_rows().into_iter())
            .filter(|v| !v.shadowed)
            .map(|v| (v.name, v.value))
            .collect();
        let (outcomes, captures) = {
            let seen = Observed::new(exchange);
            (
                assertions::evaluate_with(&asserted, &seen, &vars),
                captures::apply(&taking, &seen),
            )
        };
        let at = self.now();
        let source = self.selected_path().unwrap_or_default();
        let env = self.ws.docs.get(r.doc).and_then(|d| d.env.clone());
        let mut set = Vec::new();
        let mut env_changed = false;
        let mut captures = captures;
        for c in &mut captures {
            let Some(value) = &c.value else { continue };
            let into_env = match (c.scope, &env) {
                (CaptureScope::Environment, Some(name)) => {
                    let level = VarLevel::Environment(name.clone());
                    self.ws
                        .set_variable(&r, &level, &c.variable, Some(value))
                        .is_ok()
                }
                _ => false,
            };
            if into_env {
                env_changed = true;
                // An older run value would hide the environment's.
                self.overrides.remove(&c.variable);
            } else {
                // No environment selected: kept for this run, and shown as such.
                c.scope = CaptureScope::Run;
                self.overrides.insert(c.variable.clone(), value.clone());
            }
            self.checks.captured.insert(
                c.variable.clone(),
                CapturedFrom {
                    request: source.clone(),
                    at,
                    scope: c.scope,
                },
            );
            set.push(c.variable.clone());
        }
        let failed = outcomes.iter().filter(|o| !o.passed).count()
            + captures.iter().filter(|c| c.error.is_some()).count();
        let checked = outcomes.len();
        self.checks.last.insert(
            r.clone(),
            LastChecks {
                at,
                outcomes,
                captures,
            },
        );
        let captured = if set.is_empty() {
            String::new()
        } else {
            format!(
                " · set {}",
                set.iter()
                    .map(|v| format!("{{{{{v}}}}}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        if failed > 0 {
            self.notify(
                Level::Error,
                format!("✗ {failed} check(s) failed of {checked} (Checks tab){captured}"),
            );
        } else {
            self.notify(
                Level::Info,
                format!("✓ {checked} check(s) passed{captured}"),
            );
        }
        if env_changed {
            self.changed(r.doc, true);
        } else if !set.is_empty() {
            self.refresh_preview();
        }
    }
}
