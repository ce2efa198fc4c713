//! The one-line text form of captures and assertions: two columns, as the workbench's tables
//! edit them and the reports print them. `parse(format(x)) == x` for every value.
//!
//! ```text
//! capture:    petId        json .pet.id          env:etag     header ETag
//! assertion:  status       201 | 2xx | 200, 204
//!             header Content-Type   exists | absent | == application/json | ~ json
//!             json .pet.type        == "dog" | != 0 | ~ ^d | exists | type string | length >= 1 | < 300
//!             body         contains success       time   < 500 ms     diagnosis   access-denied
//! ```

use super::{
    check_from, check_regex, Assertion, Capture, CaptureFrom, CaptureScope, Check, Compare,
    JsonTest, Op, StatusExpect, TextTest, DIAGNOSIS_KINDS, JSON_TYPES,
};
use serde_json::Value;

/// The prefix of a capture's variable written to the environment.
pub const ENV_PREFIX: &str = "env:";

impl Capture {
    /// The variable column: `petId`, or `env:petId` when it is written to the environment.
    pub fn target_text(&self) -> String {
        match self.scope {
            CaptureScope::Run => self.variable.clone(),
            CaptureScope::Environment => format!("{ENV_PREFIX}{}", self.variable),
        }
    }

    /// The source column: `json .pet.id`, `header ETag`, `status`, `regex id=(\d+)`.
    pub fn source_text(&self) -> String {
        match &self.from {
            CaptureFrom::Status => "status".into(),
            CaptureFrom::Json(e) => format!("json {e}"),
            CaptureFrom::Header(h) => format!("header {h}"),
            CaptureFrom::Regex(r) => format!("regex {r}"),
        }
    }

    /// Reads the variable column.
    pub fn parse_target(text: &str) -> Result<(String, CaptureScope), String> {
        let t = text.trim();
        let (name, scope) = match t.strip_prefix(ENV_PREFIX) {
            Some(rest) => (rest.trim(), CaptureScope::Environment),
            None => (t, CaptureScope::Run),
        };
        if !crate::model::variables::valid_name(name) {
            return Err(format!(
                "'{name}' is not a variable name (letters, digits, '_', '-', '.'); prefix it with {ENV_PREFIX} to write it to the environment"
            ));
        }
        Ok((name.to_string(), scope))
    }

    /// Reads the source column.
    pub fn parse_source(text: &str) -> Result<CaptureFrom, String> {
        let t = text.trim();
        let (word, rest) = split_word(t);
        let from = match word {
            "status" if rest.is_empty() => CaptureFrom::Status,
            "json" | "jq" => CaptureFrom::Json(rest.to_string()),
            "header" => CaptureFrom::Header(rest.to_string()),
            "regex" => CaptureFrom::Regex(rest.to_string()),
            _ => {
                return Err(format!(
                    "'{t}' is not a source: write json EXPR, header NAME, status or regex PATTERN"
                ))
            }
        };
        check_from(&from)?;
        Ok(from)
    }
}

fn split_word(t: &str) -> (&str, &str) {
    match t.split_once(char::is_whitespace) {
        Some((w, rest)) => (w, rest.trim()),
        None => (t, ""),
    }
}

/// A JSON literal, or the text as a string when it is not one (`dog` is `"dog"`).
fn literal(text: &str) -> Value {
    serde_json::from_str(text.trim()).unwrap_or_else(|_| Value::String(text.trim().to_string()))
}

/// The kind of subject an assertion's first column names, for templates.
fn subject_kind(check: &Check) -> &'static str {
    match check {
        Check::Status(_) => "status",
        Check::Header { .. } => "header",
        Check::Json { .. } => "json",
        Check::BodyContains(_) => "body",
        Check::TimeBelowMs(_) => "time",
        Check::Diagnosis(_) => "diagnosis",
    }
}

impl Assertion {
    /// The subject column: `status`, `header Content-Type`, `json .pet.type`, `body`, `time`,
    /// `diagnosis`.
    pub fn subject(&self) -> String {
        match &self.check {
            Check::Header { name, .. } => format!("header {name}"),
            Check::Json { expression, .. } => format!("json {expression}"),
            other => subject_kind(other).to_string(),
        }
    }

    /// The expectation column.
    pub fn expectation(&self) -> String {
        match &self.check {
            Check::Status(s) => s.to_string(),
            Check::Header { test, .. } => match test {
                TextTest::Exists(true) => "exists".into(),
                TextTest::Exists(false) => "absent".into(),
                TextTest::Equals(s) => format!("== {s}"),
                TextTest::Matches(m) => format!("~ {m}"),
            },
            Check::Json { test, .. } => match test {
                JsonTest::Equals(v) => format!("== {v}"),
                JsonTest::NotEquals(v) => format!("!= {v}"),
                JsonTest::Matches(m) => format!("~ {m}"),
                JsonTest::Exists(true) => "exists".into(),
                JsonTest::Exists(false) => "absent".into(),
                JsonTest::Type(t) => format!("type {t}"),
                JsonTest::Length(c) => format!("length {c}"),
                JsonTest::Compare(c) => c.to_string(),
            },
            Check::BodyContains(s) => format!("contains {s}"),
            Check::TimeBelowMs(ms) => format!("< {ms} ms"),
            Check::Diagnosis(d) => d.clone(),
        }
    }

    /// Reads both columns.
    pub fn parse(subject: &str, expectation: &str) -> Result<Check, String> {
        let s = subject.trim();
        let e = expectation.trim();
        let (word, rest) = split_word(s);
        match word {
            "status" if rest.is_empty() => StatusExpect::parse(e).map(Check::Status),
            "header" if !rest.is_empty() => Ok(Check::Header {
                name: rest.to_string(),
                test: header_test(e)?,
            }),
            "json" | "jq" if !rest.is_empty() => Ok(Check::Json {
                expression: rest.to_string(),
                test: json_test(e)?,
            }),
            "body" if rest.is_empty() => {
                let text = e.strip_prefix("contains").map(str::trim).unwrap_or(e);
                if text.is_empty() {
                    return Err("write the text the body contains: contains success".into());
                }
                Ok(Check::BodyContains(text.to_string()))
            }
            "time" if rest.is_empty() => {
                let n = e.trim_start_matches('<').trim_end_matches("ms").trim();
                n.parse::<u64>().map(Check::TimeBelowMs).map_err(|_| {
                    format!("'{e}' is not a time limit: write < 500 ms")
                })
            }
            "diagnosis" if rest.is_empty() => {
                if DIAGNOSIS_KINDS.contains(&e) {
                    Ok(Check::Diagnosis(e.to_string()))
                } else {
                    Err(format!(
                        "'{e}' is not a diagnosis; one of: {}",
                        DIAGNOSIS_KINDS.join(", ")
                    ))
                }
            }
            _ => Err(format!(
                "'{s}' is not a subject: write status, header NAME, json EXPR, body, time or diagnosis"
            )),
        }
    }

    /// A new subject with an expectation that fits it: the current one when it still parses,
    /// else the subject's template (`status` → `200`, `json …` → `exists`).
    pub fn with_subject(&self, subject: &str) -> Result<Check, String> {
        Assertion::parse(subject, &self.expectation()).or_else(|first| {
            let (word, _) = split_word(subject.trim());
            let template = match word {
                "status" => "200",
                "header" | "json" | "jq" => "exists",
                "body" => "contains ok",
                "time" => "< 1000 ms",
                "diagnosis" => "none",
                _ => return Err(first),
            };
            Assertion::parse(subject, template)
        })
    }
}

fn header_test(e: &str) -> Result<TextTest, String> {
    Ok(match e {
        "exists" => TextTest::Exists(true),
        "absent" => TextTest::Exists(false),
        _ => {
            if let Some(m) = e.strip_prefix('~').or_else(|| e.strip_prefix("matches ")) {
                check_regex(m.trim())?;
                TextTest::Matches(m.trim().to_string())
            } else {
                TextTest::Equals(e.strip_prefix("==").unwrap_or(e).trim().to_string())
            }
        }
    })
}

fn json_test(e: &str) -> Result<JsonTest, String> {
    if e.is_empty() {
        return Err(
            "write what the value should be: == \"dog\", exists, type string, length >= 1, < 300"
                .into(),
        );
    }
    Ok(match e {
        "exists" => JsonTest::Exists(true),
        "absent" => JsonTest::Exists(false),
        _ => {
            let (word, rest) = split_word(e);
            if let Some(v) = e.strip_prefix("==") {
                JsonTest::Equals(literal(v))
            } else if let Some(v) = e.strip_prefix("!=") {
                JsonTest::NotEquals(literal(v))
            } else if let Some(m) = e.strip_prefix('~').or_else(|| e.strip_prefix("matches ")) {
                check_regex(m.trim())?;
                JsonTest::Matches(m.trim().to_string())
            } else if word == "type" {
                if !JSON_TYPES.contains(&rest) {
                    return Err(format!(
                        "'{rest}' is not a JSON type; one of: {}",
                        JSON_TYPES.join(", ")
                    ));
                }
                JsonTest::Type(rest.to_string())
            } else if word == "length" {
                JsonTest::Length(Compare::parse(rest)?)
            } else if e.starts_with(['<', '>']) {
                let c = Compare::parse(e)?;
                debug_assert!(!matches!(c.op, Op::Eq | Op::Ne));
                JsonTest::Compare(c)
            } else {
                JsonTest::Equals(literal(e))
            }
        }
    })
}

impl std::fmt::Display for Assertion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.subject(), self.expectation())
    }
}

impl std::fmt::Display for Capture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ← {}", self.target_text(), self.source_text())
    }
}
