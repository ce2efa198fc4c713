//! Assertions checked against a response: each gives pass or fail with the expected and the
//! actual value, in the text form people read in reports and the workbench.

use super::observed::Observed;
use crate::model::checks::{Assertion, Check, Compare, JsonTest, StatusExpect, TextTest};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// One assertion checked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// The assertion as written: `json .pet.type == "dog"`.
    pub check: String,
    pub passed: bool,
    pub expected: String,
    pub actual: String,
}

/// The longest actual value kept in an outcome (a body can be megabytes).
const MAX_ACTUAL: usize = 300;

fn shorten(mut s: String) -> String {
    if s.len() > MAX_ACTUAL {
        let mut cut = MAX_ACTUAL;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
        s.push('…');
    }
    s
}

/// The implicit check of a request that has no status or diagnosis assertion of its own: a
/// 4xx or 5xx answer fails it, as `run` has always done.
pub const DEFAULT_CHECK: &str = "status < 400 (no status assertion)";

/// The implicit check of a CORS preflight without a status or diagnosis assertion.
pub const PREFLIGHT_CHECK: &str = "the browser would allow the call (a preflight)";

/// Whether a request's own assertions speak for its status.
pub fn has_status_assertion(assertions: &[Assertion]) -> bool {
    assertions
        .iter()
        .any(|a| a.enabled && matches!(a.check, Check::Status(_) | Check::Diagnosis(_)))
}

/// Checks every enabled assertion (and the default status check when none speaks for the
/// status).
pub fn evaluate(assertions: &[Assertion], seen: &Observed) -> Vec<Outcome> {
    evaluate_with(assertions, seen, &BTreeMap::new())
}

/// `evaluate`, with `{{variables}}` in the expected values (and jq expressions) replaced
/// from `vars` first: `{"json": ".id", "equals": "{{petId}}"}` checks against what an earlier
/// request captured.
pub fn evaluate_with(
    assertions: &[Assertion],
    seen: &Observed,
    vars: &BTreeMap<String, String>,
) -> Vec<Outcome> {
    let mut out: Vec<Outcome> = assertions
        .iter()
        .filter(|a| a.enabled)
        .map(|a| match with_variables(a, vars) {
            Ok(Some(resolved)) => {
                let mut o = check(&resolved, seen);
                o.check = a.to_string();
                o.expected = crate::model::substitute(&a.expectation(), vars)
                    .unwrap_or_else(|_| a.expectation());
                o
            }
            Ok(None) => check(a, seen),
            Err(e) => Outcome {
                check: a.to_string(),
                passed: false,
                expected: a.expectation(),
                actual: format!("error: {e}"),
            },
        })
        .collect();
    if !has_status_assertion(assertions) {
        let status = seen.response.status;
        // A preflight passes when the browser would let the call go, not by its status.
        let implicit = match seen.preflight() {
            Some(v) => Outcome {
                check: PREFLIGHT_CHECK.into(),
                passed: v.allowed,
                expected: "allowed".into(),
                actual: format!("{status}: {}", v.summary),
            },
            None => Outcome {
                check: DEFAULT_CHECK.into(),
                passed: status < 400,
                expected: "< 400".into(),
                actual: status.to_string(),
            },
        };
        out.insert(0, implicit);
    }
    out
}

/// The assertion with its `{{variables}}` replaced, or `None` when it has none. An `equals`
/// whose value came from variables compares text: `{{petId}}` = `4` matches `4` and `"4"`.
fn with_variables(
    a: &Assertion,
    vars: &BTreeMap<String, String>,
) -> Result<Option<Assertion>, String> {
    if !a.to_string().contains("{{") {
        return Ok(None);
    }
    let sub = |s: &str| crate::model::substitute(s, vars);
    let check = match &a.check {
        Check::Header { name, test } => Check::Header {
            name: sub(name)?,
            test: match test {
                TextTest::Equals(s) => TextTest::Equals(sub(s)?),
                TextTest::Matches(s) => TextTest::Matches(sub(s)?),
                other => other.clone(),
            },
        },
        Check::Json { expression, test } => Check::Json {
            expression: sub(expression)?,
            test: match test {
                // The captured text against the value's text: `4` and `"4"` both match "4".
                JsonTest::Equals(Value::String(s)) => {
                    JsonTest::Matches(format!("^{}$", regex_lite::escape(&sub(s)?)))
                }
                JsonTest::Matches(s) => JsonTest::Matches(sub(s)?),
                other => other.clone(),
            },
        },
        Check::BodyContains(s) => Check::BodyContains(sub(s)?),
        other => other.clone(),
    };
    Ok(Some(Assertion {
        check,
        enabled: a.enabled,
    }))
}

fn outcome(a: &Assertion, passed: bool, actual: String) -> Outcome {
    Outcome {
        check: a.to_string(),
        passed,
        expected: a.expectation(),
        actual: shorten(actual),
    }
}

fn type_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Strings as they are, other values as JSON text (what `matches` is tried on).
fn as_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn length(v: &Value) -> Option<f64> {
    Some(match v {
        Value::String(s) => s.chars().count() as f64,
        Value::Array(a) => a.len() as f64,
        Value::Object(o) => o.len() as f64,
        Value::Null => 0.0,
        _ => return None,
    })
}

/// Numbers equal whatever their spelling (`1` and `1.0`); other values as JSON.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

fn compare(c: &Compare, actual: Option<f64>) -> bool {
    actual.is_some_and(|x| c.op.holds(x, c.value))
}

pub fn check(a: &Assertion, seen: &Observed) -> Outcome {
    let r = seen.response;
    match &a.check {
        Check::Status(expect) => outcome(a, expect.accepts(r.status), r.status.to_string()),
        Check::TimeBelowMs(ms) => {
            let took = seen.elapsed.as_millis();
            outcome(a, took < u128::from(*ms), format!("{took} ms"))
        }
        Check::BodyContains(text) => {
            let body = seen.text();
            let found = body.contains(text.as_str());
            let actual = if found {
                format!("contains {text}")
            } else {
                format!("{} bytes without it: {}", r.body.len(), body)
            };
            outcome(a, found, actual)
        }
        Check::Diagnosis(want) => {
            let actual = seen
                .diagnosis()
                .map_or("none", |d| d.kind.as_str())
                .to_string();
            let detail = match seen.diagnosis() {
                Some(d) => format!("{actual} ({} {})", r.status, d.summary),
                None => format!("none ({} is not an AWS auth failure)", r.status),
            };
            outcome(a, actual == *want, detail)
        }
        Check::Header { name, test } => {
            let value = r.header(name);
            let (passed, actual) = match (test, value) {
                (TextTest::Exists(want), v) => (
                    v.is_some() == *want,
                    v.map_or("absent".into(), |v| format!("present: {v}")),
                ),
                (_, None) => (false, "absent".into()),
                (TextTest::Equals(want), Some(v)) => (v == want, v.to_string()),
                (TextTest::Matches(re), Some(v)) => (matches(re, v), v.to_string()),
            };
            outcome(a, passed, actual)
        }
        Check::Json { expression, test } => {
            let first = match seen.jq(expression) {
                Err(e) => return outcome(a, false, format!("error: {e}")),
                Ok(outputs) => outputs.into_iter().next(),
            };
            let shown = first
                .as_ref()
                .map_or("nothing".to_string(), Value::to_string);
            let v = first.clone().unwrap_or(Value::Null);
            let passed = match test {
                JsonTest::Exists(want) => v.is_null() != *want,
                JsonTest::Equals(want) => first.is_some() && same(&v, want),
                JsonTest::NotEquals(want) => !same(&v, want),
                JsonTest::Matches(re) => first.is_some() && matches(re, &as_text(&v)),
                JsonTest::Type(t) => first.is_some() && type_of(&v) == t,
                JsonTest::Length(c) => compare(c, length(&v)),
                JsonTest::Compare(c) => compare(c, v.as_f64()),
            };
            let actual = match test {
                JsonTest::Type(_) => format!("{} ({shown})", type_of(&v)),
                JsonTest::Length(_) => match length(&v) {
                    Some(n) => format!("length {n}"),
                    None => format!("{shown} has no length"),
                },
                _ => shown,
            };
            outcome(a, passed, actual)
        }
    }
}

fn matches(pattern: &str, text: &str) -> bool {
    // Patterns are checked when the collection loads; one that fails here matches nothing.
    regex_lite::Regex::new(pattern).is_ok_and(|re| re.is_match(text))
}

/// `status 201` and the like, for a check written in code (the importers' defaults).
pub fn status(code: u16) -> Assertion {
    Assertion {
        check: Check::Status(StatusExpect::Exact(code)),
        enabled: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::Response;
    use std::time::Duration;

    fn response(status: u16, body: &str) -> Response {
        Response {
            status,
            reason: String::new(),
            headers: vec![
                ("content-type".into(), "application/json".into()),
                ("x-amzn-ErrorType".into(), "AccessDeniedException".into()),
            ],
            body: body.to_string().into_bytes().into(),
        }
    }

    fn run(v: Value, r: &Response) -> Outcome {
        let a: Assertion = serde_json::from_value(v).unwrap();
        check(&a, &Observed::response(r, Duration::from_millis(42)))
    }

    #[test]
    fn each_kind_passes_and_fails_with_the_actual_value() {
        let ok = response(
            201,
            r#"{"pet":{"id":4,"type":"dog","price":249.99},"tags":["a"]}"#,
        );
        for (v, passed, actual) in [
            (serde_json::json!({"status": 201}), true, "201"),
            (serde_json::json!({"status": "4xx"}), false, "201"),
            (serde_json::json!({"status": [200, 201]}), true, "201"),
            (
                serde_json::json!({"header": "Content-Type", "matches": "json$"}),
                true,
                "application/json",
            ),
            (
                serde_json::json!({"header": "etag", "exists": true}),
                false,
                "absent",
            ),
            (
                serde_json::json!({"header": "content-type", "equals": "text/plain"}),
                false,
                "application/json",
            ),
            (
                serde_json::json!({"json": ".pet.type", "equals": "cat"}),
                false,
                "\"dog\"",
            ),
            (
                serde_json::json!({"json": ".pet.id", "equals": 4.0}),
                true,
                "4",
            ),
            (
                serde_json::json!({"json": ".pet.id", "notEquals": 4}),
                false,
                "4",
            ),
            (
                serde_json::json!({"json": ".pet.type", "matches": "^d"}),
                true,
                "\"dog\"",
            ),
            (
                serde_json::json!({"json": ".pet.owner", "exists": true}),
                false,
                "null",
            ),
            (
                serde_json::json!({"json": ".pet.owner", "exists": false}),
                true,
                "null",
            ),
            (
                serde_json::json!({"json": ".tags", "type": "array"}),
                true,
                "array ([\"a\"])",
            ),
            (
                serde_json::json!({"json": ".tags", "length": ">= 2"}),
                false,
                "length 1",
            ),
            (
                serde_json::json!({"json": ".pet.price", "compare": "< 300"}),
                true,
                "249.99",
            ),
            (
                serde_json::json!({"json": ".pet | tonumber", "equals": 1}),
                false,
                "error: jq",
            ),
            (
                serde_json::json!({"bodyContains": "dog"}),
                true,
                "contains dog",
            ),
            (serde_json::json!({"timeBelowMs": 10}), false, "42 ms"),
            (serde_json::json!({"diagnosis": "none"}), true, "none (201"),
        ] {
            let o = run(v.clone(), &ok);
            assert_eq!(o.passed, passed, "{v}: {o:?}");
            assert!(o.actual.starts_with(actual), "{v}: {o:?}");
        }
        let denied = response(
            403,
            r#"{"Message":"User: arn:aws:iam::123456789012:user/demo is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********9012:demoapi/test/DELETE/pets/1"}"#,
        );
        let o = run(serde_json::json!({"diagnosis": "access-denied"}), &denied);
        assert!(o.passed, "{o:?}");
        let o = run(
            serde_json::json!({"diagnosis": "signature-mismatch"}),
            &denied,
        );
        assert!(
            !o.passed && o.actual.starts_with("access-denied (403"),
            "{o:?}"
        );
    }

    #[test]
    fn a_request_without_a_status_assertion_fails_on_4xx_and_5xx() {
        let seen_403 = response(403, "{}");
        let seen_200 = response(200, "{}");
        let body_only: Vec<Assertion> =
            vec![serde_json::from_value(serde_json::json!({"bodyContains": "{"})).unwrap()];
        let o = evaluate(&body_only, &Observed::response(&seen_403, Duration::ZERO));
        assert_eq!(o.len(), 2);
        assert!(!o[0].passed && o[0].check == DEFAULT_CHECK && o[1].passed);
        let o = evaluate(&body_only, &Observed::response(&seen_200, Duration::ZERO));
        assert!(o.iter().all(|o| o.passed));
        // A negative test names what it expects: no default then.
        let denied: Vec<Assertion> =
            vec![serde_json::from_value(serde_json::json!({"status": 403})).unwrap()];
        let o = evaluate(&denied, &Observed::response(&seen_403, Duration::ZERO));
        assert_eq!(o.len(), 1);
        assert!(o[0].passed);
    }

    #[test]
    fn expected_values_take_variables() {
        let r = response(200, r#"{"id":4,"name":"Rex","tag":"4"}"#);
        let seen = Observed::response(&r, Duration::ZERO);
        let vars = BTreeMap::from([("petId".to_string(), "4".to_string())]);
        let list: Vec<Assertion> = serde_json::from_value(serde_json::json!([
            {"json": ".id", "equals": "{{petId}}"},
            {"json": ".tag", "equals": "{{petId}}"},
            {"json": ".name", "equals": "{{petId}}"},
            {"bodyContains": "\"id\":{{petId}}"},
            {"json": ".id", "equals": "{{nobody}}"}
        ]))
        .unwrap();
        let o = evaluate_with(&list, &seen, &vars);
        let passed: Vec<bool> = o.iter().skip(1).map(|o| o.passed).collect();
        assert_eq!(passed, [true, true, false, true, false], "{o:?}");
        assert_eq!(o[1].expected, "== \"4\"");
        assert_eq!(o[1].check, "json .id == \"{{petId}}\"");
        assert!(o[5].actual.contains("nobody"), "{:?}", o[5]);
    }
}
