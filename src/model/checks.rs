//! Captures and assertions, as data in the collection file (no script): what a request takes
//! from its response into variables, and what it expects of the response. Each has one text
//! form, `subject` + `expectation`, used by the workbench's tables and by the reports.
//!
//! ```json
//! "captures":   [{"variable": "petId", "from": {"json": ".pet.id"}},
//!                {"variable": "etag", "from": {"header": "ETag"}, "scope": "environment"}],
//! "assertions": [{"status": 201}, {"json": ".pet.type", "equals": "dog"},
//!                {"header": "content-type", "matches": "json"}, {"diagnosis": "access-denied"}]
//! ```

mod text;

pub use text::ENV_PREFIX;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

fn yes() -> bool {
    true
}
fn is_true(b: &bool) -> bool {
    *b
}

/// Where a captured value is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CaptureScope {
    /// For the rest of this run only (never saved).
    #[default]
    Run,
    /// Written to the selected environment (the workbench marks the collection changed; `run`
    /// writes it with `--save-env`).
    Environment,
}

impl CaptureScope {
    fn is_run(&self) -> bool {
        *self == CaptureScope::Run
    }
}

/// What part of the response a capture reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CaptureFrom {
    /// The status code.
    Status,
    /// A jq expression over the JSON body (its first output; a string is taken unquoted).
    Json(String),
    /// A response header, by name (any case).
    Header(String),
    /// A regular expression over the body as text: its first group, else the whole match.
    Regex(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawCapture", into = "RawCapture")]
pub struct Capture {
    pub variable: String,
    pub from: CaptureFrom,
    pub scope: CaptureScope,
    pub enabled: bool,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCapture {
    variable: String,
    from: CaptureFrom,
    #[serde(default, skip_serializing_if = "CaptureScope::is_run")]
    scope: CaptureScope,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    enabled: bool,
}

impl TryFrom<RawCapture> for Capture {
    type Error = String;
    fn try_from(r: RawCapture) -> Result<Self, String> {
        if !super::variables::valid_name(&r.variable) {
            return Err(format!(
                "'{}' is not a variable name (letters, digits, '_', '-', '.')",
                r.variable
            ));
        }
        check_from(&r.from)?;
        Ok(Capture {
            variable: r.variable,
            from: r.from,
            scope: r.scope,
            enabled: r.enabled,
        })
    }
}

impl From<Capture> for RawCapture {
    fn from(c: Capture) -> Self {
        RawCapture {
            variable: c.variable,
            from: c.from,
            scope: c.scope,
            enabled: c.enabled,
        }
    }
}

fn check_from(from: &CaptureFrom) -> Result<(), String> {
    match from {
        CaptureFrom::Regex(p) => check_regex(p),
        CaptureFrom::Header(h) if h.trim().is_empty() => Err("the header has no name".into()),
        CaptureFrom::Json(e) if e.trim().is_empty() => {
            Err("the jq expression is empty (`.` is the whole body)".into())
        }
        _ => Ok(()),
    }
}

fn check_regex(pattern: &str) -> Result<(), String> {
    regex_lite::Regex::new(pattern)
        .map(|_| ())
        .map_err(|e| format!("the regular expression '{pattern}' does not compile: {e}"))
}

/// How a number compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "==",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
        }
    }

    pub fn holds(self, actual: f64, expected: f64) -> bool {
        match self {
            Op::Eq => actual == expected,
            Op::Ne => actual != expected,
            Op::Lt => actual < expected,
            Op::Le => actual <= expected,
            Op::Gt => actual > expected,
            Op::Ge => actual >= expected,
        }
    }
}

/// A number comparison: `3` (equal), or `">= 1"`, `"< 10"`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Compare {
    pub op: Op,
    pub value: f64,
}

impl Compare {
    /// `>= 1`, `< 10`, `3` (equal).
    pub fn parse(text: &str) -> Result<Compare, String> {
        let t = text.trim();
        let (op, rest) = [
            (">=", Op::Ge),
            ("<=", Op::Le),
            ("==", Op::Eq),
            ("!=", Op::Ne),
            (">", Op::Gt),
            ("<", Op::Lt),
            ("=", Op::Eq),
        ]
        .into_iter()
        .find_map(|(s, op)| t.strip_prefix(s).map(|rest| (op, rest)))
        .unwrap_or((Op::Eq, t));
        let value: f64 = rest
            .trim()
            .parse()
            .map_err(|_| format!("'{text}' is not a comparison such as '>= 1', '< 10' or '3'"))?;
        Ok(Compare { op, value })
    }

    fn to_value(self) -> Value {
        match self.op {
            Op::Eq => number(self.value),
            _ => Value::String(self.to_string()),
        }
    }

    fn from_value(v: &Value, what: &str) -> Result<Compare, String> {
        match v {
            Value::Number(n) => Ok(Compare {
                op: Op::Eq,
                value: n.as_f64().unwrap_or_default(),
            }),
            Value::String(s) => Compare::parse(s),
            _ => Err(format!(
                "`{what}` is a number or a comparison such as \">= 1\""
            )),
        }
    }
}

fn number(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 9e15 {
        Value::from(x as i64)
    } else {
        serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
    }
}

impl std::fmt::Display for Compare {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.op.as_str(), number(self.value))
    }
}

/// The JSON types jq's `type` names.
pub const JSON_TYPES: &[&str] = &["null", "boolean", "number", "string", "array", "object"];

/// What a status assertion accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusExpect {
    Exact(u16),
    /// `2xx`: the hundreds digit.
    Class(u8),
    OneOf(Vec<u16>),
}

impl StatusExpect {
    pub fn accepts(&self, status: u16) -> bool {
        match self {
            StatusExpect::Exact(s) => *s == status,
            StatusExpect::Class(c) => status / 100 == u16::from(*c),
            StatusExpect::OneOf(list) => list.contains(&status),
        }
    }

    /// `201`, `2xx`, `200, 204`.
    pub fn parse(text: &str) -> Result<StatusExpect, String> {
        let t = text.trim();
        let t = t.strip_prefix("==").map_or(t, str::trim);
        let bad = || format!("'{text}' is not a status: write 201, 2xx or 200, 204");
        if let Some(c) = t.strip_suffix("xx").or_else(|| t.strip_suffix("XX")) {
            return match c.parse::<u8>() {
                Ok(c @ 1..=5) => Ok(StatusExpect::Class(c)),
                _ => Err(bad()),
            };
        }
        let list: Vec<u16> = t
            .split([',', '|'])
            .map(|s| {
                s.trim()
                    .parse::<u16>()
                    .ok()
                    .filter(|s| (100..=599).contains(s))
            })
            .collect::<Option<_>>()
            .ok_or_else(bad)?;
        match list.as_slice() {
            [one] => Ok(StatusExpect::Exact(*one)),
            _ => Ok(StatusExpect::OneOf(list)),
        }
    }

    fn to_value(&self) -> Value {
        match self {
            StatusExpect::Exact(s) => Value::from(*s),
            StatusExpect::Class(c) => Value::String(format!("{c}xx")),
            StatusExpect::OneOf(l) => Value::from(l.clone()),
        }
    }

    fn from_value(v: &Value) -> Result<StatusExpect, String> {
        let code = |v: &Value| {
            v.as_u64()
                .filter(|s| (100..=599).contains(s))
                .map(|s| s as u16)
        };
        match v {
            Value::Number(_) => code(v)
                .map(StatusExpect::Exact)
                .ok_or_else(|| format!("{v} is not an HTTP status (100-599)")),
            Value::String(s) => StatusExpect::parse(s),
            Value::Array(items) if !items.is_empty() => items
                .iter()
                .map(code)
                .collect::<Option<Vec<u16>>>()
                .map(StatusExpect::OneOf)
                .ok_or_else(|| "a status list holds HTTP statuses (100-599)".to_string()),
            _ => Err("`status` is a status (201), a class (\"2xx\") or a list ([200, 204])".into()),
        }
    }
}

impl std::fmt::Display for StatusExpect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StatusExpect::Exact(s) => write!(f, "{s}"),
            StatusExpect::Class(c) => write!(f, "{c}xx"),
            StatusExpect::OneOf(l) => write!(
                f,
                "{}",
                l.iter().map(u16::to_string).collect::<Vec<_>>().join(", ")
            ),
        }
    }
}

/// A test on a header's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextTest {
    Exists(bool),
    Equals(String),
    Matches(String),
}

/// A test on a jq expression's first output.
#[derive(Debug, Clone, PartialEq)]
pub enum JsonTest {
    Equals(Value),
    NotEquals(Value),
    Matches(String),
    /// The expression yields a value other than `null` (true), or nothing / `null` (false).
    Exists(bool),
    Type(String),
    Length(Compare),
    Compare(Compare),
}

/// What an assertion checks.
#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    Status(StatusExpect),
    Header {
        name: String,
        test: TextTest,
    },
    Json {
        expression: String,
        test: JsonTest,
    },
    BodyContains(String),
    TimeBelowMs(u64),
    /// The signature diagnosis's kind (`access-denied`...), or `none` for a response that is
    /// not an AWS auth failure: negative tests of IAM policies.
    Diagnosis(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawAssertion", into = "RawAssertion")]
pub struct Assertion {
    pub check: Check,
    pub enabled: bool,
}

/// The diagnosis kinds an assertion may expect (`crate::diagnose::Kind`), and `none`.
pub const DIAGNOSIS_KINDS: &[&str] = &[
    "none",
    "missing-authentication-token",
    "signature-mismatch",
    "clock-skew",
    "invalid-credentials",
    "expired-credentials",
    "credential-scope",
    "incomplete-signature",
    "access-denied",
    "forbidden",
    "wrong-endpoint",
    "proxy-auth-required",
    "cors-allowed",
    "cors-refused",
    "unknown",
];

fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// The file form: one subject key, then (for `header` and `json`) one test key.
#[derive(Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RawAssertion {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    header: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    json: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    body_contains: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    time_below_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    diagnosis: Option<String>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    equals: Option<Value>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    not_equals: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    matches: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    exists: Option<bool>,
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    type_: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    length: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    compare: Option<Value>,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    enabled: bool,
}

impl RawAssertion {
    fn tests(&self) -> Vec<&'static str> {
        [
            ("equals", self.equals.is_some()),
            ("notEquals", self.not_equals.is_some()),
            ("matches", self.matches.is_some()),
            ("exists", self.exists.is_some()),
            ("type", self.type_.is_some()),
            ("length", self.length.is_some()),
            ("compare", self.compare.is_some()),
        ]
        .into_iter()
        .filter_map(|(n, set)| set.then_some(n))
        .collect()
    }
}

impl TryFrom<RawAssertion> for Assertion {
    type Error = String;
    fn try_from(r: RawAssertion) -> Result<Self, String> {
        let subjects: Vec<&str> = [
            ("status", r.status.is_some()),
            ("header", r.header.is_some()),
            ("json", r.json.is_some()),
            ("bodyContains", r.body_contains.is_some()),
            ("timeBelowMs", r.time_below_ms.is_some()),
            ("diagnosis", r.diagnosis.is_some()),
        ]
        .into_iter()
        .filter_map(|(n, set)| set.then_some(n))
        .collect();
        let [subject] = subjects.as_slice() else {
            return Err(format!(
                "an assertion names one subject: status, header, json, bodyContains, timeBelowMs or diagnosis{}",
                if subjects.is_empty() { String::new() } else { format!(" (this one names {})", subjects.join(", ")) }
            ));
        };
        let tests = r.tests();
        let takes_test = matches!(*subject, "header" | "json");
        if !takes_test && !tests.is_empty() {
            return Err(format!(
                "`{}` does not apply to `{subject}` (it takes its expected value directly, e.g. {})",
                tests.join("`, `"),
                match *subject {
                    "status" => "{\"status\": 201}",
                    "diagnosis" => "{\"diagnosis\": \"access-denied\"}",
                    "timeBelowMs" => "{\"timeBelowMs\": 500}",
                    _ => "{\"bodyContains\": \"success\"}",
                }
            ));
        }
        if takes_test && tests.len() != 1 {
            let allowed = if *subject == "header" {
                "exists, equals or matches"
            } else {
                "equals, notEquals, matches, exists, type, length or compare"
            };
            return Err(format!(
                "a `{subject}` assertion has one test: {allowed}{}",
                if tests.is_empty() {
                    String::new()
                } else {
                    format!(" (this one has {})", tests.join(", "))
                }
            ));
        }
        let check = match *subject {
            "status" => Check::Status(StatusExpect::from_value(r.status.as_ref().expect("set"))?),
            "bodyContains" => Check::BodyContains(r.body_contains.expect("set")),
            "timeBelowMs" => Check::TimeBelowMs(r.time_below_ms.expect("set")),
            "diagnosis" => {
                let d = r.diagnosis.expect("set");
                if !DIAGNOSIS_KINDS.contains(&d.as_str()) {
                    return Err(format!(
                        "'{d}' is not a diagnosis; one of: {}",
                        DIAGNOSIS_KINDS.join(", ")
                    ));
                }
                Check::Diagnosis(d)
            }
            "header" => {
                let name = r.header.expect("set");
                if name.trim().is_empty() {
                    return Err("the header has no name".into());
                }
                let test = match (r.exists, r.equals, r.matches) {
                    (Some(e), _, _) => TextTest::Exists(e),
                    (_, Some(Value::String(s)), _) => TextTest::Equals(s),
                    (_, Some(_), _) => return Err("a header `equals` a string".into()),
                    (_, _, Some(m)) => {
                        check_regex(&m)?;
                        TextTest::Matches(m)
                    }
                    _ => {
                        return Err(
                            "a header assertion has one test: exists, equals or matches".into()
                        )
                    }
                };
                Check::Header { name, test }
            }
            _ => {
                let expression = r.json.expect("set");
                if expression.trim().is_empty() {
                    return Err("the jq expression is empty (`.` is the whole body)".into());
                }
                let test = if let Some(v) = r.equals {
                    JsonTest::Equals(v)
                } else if let Some(v) = r.not_equals {
                    JsonTest::NotEquals(v)
                } else if let Some(m) = r.matches {
                    check_regex(&m)?;
                    JsonTest::Matches(m)
                } else if let Some(e) = r.exists {
                    JsonTest::Exists(e)
                } else if let Some(t) = r.type_ {
                    if !JSON_TYPES.contains(&t.as_str()) {
                        return Err(format!(
                            "'{t}' is not a JSON type; one of: {}",
                            JSON_TYPES.join(", ")
                        ));
                    }
                    JsonTest::Type(t)
                } else if let Some(l) = r.length {
                    JsonTest::Length(Compare::from_value(&l, "length")?)
                } else {
                    JsonTest::Compare(Compare::from_value(
                        r.compare.as_ref().expect("one test"),
                        "compare",
                    )?)
                };
                Check::Json { expression, test }
            }
        };
        Ok(Assertion {
            check,
            enabled: r.enabled,
        })
    }
}

impl From<Assertion> for RawAssertion {
    fn from(a: Assertion) -> Self {
        let mut r = RawAssertion {
            enabled: a.enabled,
            ..RawAssertion::default()
        };
        match a.check {
            Check::Status(s) => r.status = Some(s.to_value()),
            Check::BodyContains(s) => r.body_contains = Some(s),
            Check::TimeBelowMs(ms) => r.time_below_ms = Some(ms),
            Check::Diagnosis(d) => r.diagnosis = Some(d),
            Check::Header { name, test } => {
                r.header = Some(name);
                match test {
                    TextTest::Exists(e) => r.exists = Some(e),
                    TextTest::Equals(s) => r.equals = Some(Value::String(s)),
                    TextTest::Matches(m) => r.matches = Some(m),
                }
            }
            Check::Json { expression, test } => {
                r.json = Some(expression);
                match test {
                    JsonTest::Equals(v) => r.equals = Some(v),
                    JsonTest::NotEquals(v) => r.not_equals = Some(v),
                    JsonTest::Matches(m) => r.matches = Some(m),
                    JsonTest::Exists(e) => r.exists = Some(e),
                    JsonTest::Type(t) => r.type_ = Some(t),
                    JsonTest::Length(c) => r.length = Some(c.to_value()),
                    JsonTest::Compare(c) => r.compare = Some(c.to_value()),
                }
            }
        }
        r
    }
}

#[cfg(test)]
mod tests;
