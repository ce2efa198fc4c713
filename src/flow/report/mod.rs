//! Reporters for a finished (or running) flow: `human` (one line per request, failures with
//! expected against actual and the diagnosis), `json`, and `junit` (the XML CI systems read).
//! Each returns text; the CLI decides where it goes. Every text from a file or the network is
//! made visible (`crate::text`) and every known secret is replaced (`model::redact`) first.

pub mod human;
pub mod json;
pub mod junit;

use super::runner::{Report, StepResult};
use crate::model::redact::{Found, Redactor};

/// Which reporter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Human,
    Json,
    Junit,
}

impl std::str::FromStr for Kind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "human" | "cli" => Ok(Kind::Human),
            "json" => Ok(Kind::Json),
            "junit" | "xml" => Ok(Kind::Junit),
            other => Err(format!("'{other}' is not a reporter: human, json or junit")),
        }
    }
}

/// What the reports say about the run beside its results.
pub struct Context<'a> {
    pub collection: &'a str,
    pub environment: Option<&'a str>,
}

/// Replaces known secrets in report texts.
pub struct Scrub {
    redactor: Redactor,
}

impl Scrub {
    /// The credentials this process knows (those it signed with included).
    pub fn known() -> Scrub {
        Scrub {
            redactor: Redactor::known(),
        }
    }

    pub fn text(&self, s: &str) -> String {
        self.redactor.scrub(s, &mut Found::default())
    }

    /// A result with every value it shows scrubbed.
    pub fn result(&self, r: &StepResult) -> StepResult {
        let mut r = r.clone();
        r.url = self.text(&r.url);
        if let Some(e) = &mut r.error {
            *e = self.text(e);
        }
        for a in &mut r.assertions {
            a.actual = self.text(&a.actual);
            a.expected = self.text(&a.expected);
            a.check = self.text(&a.check);
        }
        for c in &mut r.captures {
            if let Some(v) = &mut c.value {
                *v = self.text(v);
            }
        }
        r
    }

    pub fn report(&self, report: &Report) -> Report {
        let mut out = report.clone();
        out.results = report.results.iter().map(|r| self.result(r)).collect();
        out.environment_captures = (report.environment_captures.iter())
            .map(|(k, v)| (k.clone(), self.text(v)))
            .collect();
        out
    }
}
