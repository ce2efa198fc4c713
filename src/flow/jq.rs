//! jq expressions for captures and assertions, by jaq (compiled once per thread and kept by
//! `body::jq`: a run evaluates the same few expressions on every response), outputs as
//! `serde_json` values.

use crate::body::jq::filter;
use jaq_core::{data, unwrap_valr, Ctx, Vars};
use jaq_json::Val;
use serde_json::Value;

/// Whether an expression compiles (an error names it and says why).
pub fn check(expression: &str) -> Result<(), String> {
    filter(expression).map(|_| ())
}

/// A response body read once as JSON, for every expression run on it.
pub struct Body {
    parsed: Result<Val, String>,
}

impl Body {
    pub fn parse(bytes: &[u8]) -> Body {
        Body {
            parsed: jaq_json::read::parse_single(bytes)
                .map_err(|e| format!("the body is not JSON: {e}")),
        }
    }

    /// The expression's outputs (an error from the expression, the body or the run).
    pub fn run(&self, expression: &str) -> Result<Vec<Value>, String> {
        let filter = filter(expression)?;
        let input = self.parsed.clone()?;
        let ctx = Ctx::<data::JustLut<Val>>::new(&filter.lut, Vars::new([]));
        let mut out = Vec::new();
        for v in filter.id.run((ctx, input)).map(unwrap_valr) {
            let v = v.map_err(|e| format!("jq '{expression}': {e}"))?;
            out.push(to_value(&v)?);
        }
        Ok(out)
    }
}

fn to_value(v: &Val) -> Result<Value, String> {
    let mut buf = Vec::new();
    jaq_json::write::write(&mut buf, &jaq_json::write::Pp::default(), 0, v)
        .map_err(|e| e.to_string())?;
    // jaq writes NaN and infinities as null and byte strings as strings: JSON throughout.
    serde_json::from_slice(&buf).map_err(|e| format!("jq output is not JSON: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn expressions_run_on_one_parsed_body() {
        let body = Body::parse(br#"{"pet":{"id":4,"type":"dog"},"tags":["a","b"]}"#);
        assert_eq!(body.run(".pet.id").unwrap(), vec![json!(4)]);
        assert_eq!(body.run(".tags[]").unwrap(), vec![json!("a"), json!("b")]);
        assert_eq!(body.run(".tags | length").unwrap(), vec![json!(2)]);
        assert_eq!(body.run(".missing").unwrap(), vec![Value::Null]);
        assert!(body.run(".pet[").unwrap_err().contains("does not parse"));
        assert!(body.run("nosuch").unwrap_err().contains("does not compile"));
        assert!(body.run(".pet.type | tonumber").unwrap_err().contains("jq"));
        assert!(Body::parse(b"<html>")
            .run(".")
            .unwrap_err()
            .contains("not JSON"));
        assert!(check(".a.b").is_ok() && check(".a[").is_err());
    }
}
