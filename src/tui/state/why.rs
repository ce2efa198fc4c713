//! "Why was I denied?" in the workbench: after an access-denied with a known principal, the
//! diagnosis offers to ask IAM's policy simulator (`iam:SimulatePrincipalPolicy`, signed by
//! our engine with the request's credentials); the answer joins the diagnosis' next steps:
//! the statement that decides, or that the simulator itself is not allowed.

use super::State;
use crate::diagnose::simulate::{self, SimulationAsk};
use crate::diagnose::{Diagnosis, Kind};
use crate::tui::keymap::Action;
use crate::tui::messages::{Command, Level, RequestState};

/// The first line of an answer still to come.
const ASKING: &str = "why: asking IAM's policy simulator…";

impl State {
    /// The diagnosis shown, when it is an access-denied the simulator can be asked about.
    fn denied(&mut self) -> Option<(&mut Diagnosis, SimulationAsk)> {
        let RequestState::Done {
            diagnosis: Some(d), ..
        } = &mut self.exchange
        else {
            return None;
        };
        if d.kind != Kind::AccessDenied {
            return None;
        }
        let ask = SimulationAsk::from_diagnosis(d, None)?;
        Some((d, ask))
    }

    /// Adds the offer to the access-denied just shown (its key from the keymap).
    pub(super) fn offer_why(&mut self) {
        let key = self.key(Action::Why).to_string();
        if let Some((d, ask)) = self.denied() {
            d.next_steps.push(format!(
                "Why? {key} asks IAM's policy simulator which statement decides {} on {} for {}.",
                ask.action, ask.resource, ask.principal
            ));
        }
    }

    /// `W`: asks the simulator about the access-denied shown.
    pub fn why(&mut self) {
        let prepared = match self.prepare_selected() {
            Ok(p) => p,
            Err(e) => return self.notify(Level::Warning, format!("why: {e}")),
        };
        let Some(plan) = prepared.signing.clone() else {
            return self.notify(Level::Info, "why: the request is not signed");
        };
        let credentials = self.credentials_for(&prepared);
        let endpoint = endpoint(&prepared.request.url());
        let Some((d, ask)) = self.denied() else {
            return self.notify(
                Level::Info,
                "why: only an access-denied that names its principal can be asked about",
            );
        };
        d.next_steps.retain(|s| !s.starts_with("why: "));
        d.next_steps.push(ASKING.into());
        self.next_id += 1;
        let id = self.next_id;
        self.why_pending = Some(id);
        self.run(Command::Why {
            id,
            ask: Box::new(ask),
            credentials,
            spec: plan.credentials,
            endpoint,
        });
    }

    /// The simulator's answer, added under the diagnosis it was asked about.
    pub fn why_answered(&mut self, id: u64, lines: Vec<String>) {
        if self.why_pending != Some(id) {
            return;
        }
        self.why_pending = None;
        if let RequestState::Done {
            diagnosis: Some(d), ..
        } = &mut self.exchange
        {
            d.next_steps.retain(|s| s != ASKING);
            d.next_steps
                .extend(lines.iter().map(|l| format!("why: {}", l.trim_start())));
        }
    }
}

/// IAM's endpoint: `AWS_ENDPOINT_URL_IAM` / `AWS_ENDPOINT_URL` when set; a request to this
/// machine is to the local gateway (`sigscope mock`), which answers the simulator for its
/// policy; else IAM's global endpoint.
fn endpoint(request_url: &str) -> String {
    let configured = ["AWS_ENDPOINT_URL_IAM", "AWS_ENDPOINT_URL"]
        .iter()
        .any(|v| std::env::var(v).is_ok_and(|s| !s.trim().is_empty()));
    if !configured {
        if let Ok(u) = url::Url::parse(request_url) {
            let local = match u.host() {
                Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
                Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
                Some(url::Host::Domain(d)) => d == "localhost",
                None => false,
            };
            if local {
                return format!("{}/", u.origin().ascii_serialization());
            }
        }
    }
    simulate::endpoint()
}
