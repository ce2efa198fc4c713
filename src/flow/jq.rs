//! jq expressions for captures and assertions, by jaq: compiled once per thread and kept (a
//! run evaluates the same few expressions on every response), outputs as `serde_json` values.

use jaq_core::load::{Arena, File, Loader};
use jaq_core::{data, unwrap_valr, Compiler, Ctx, Vars};
use jaq_json::Val;
use serde_json::Value;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

type Filter = jaq_core::Filter<data::JustLut<Val>>;

thread_local! {
    /// Compiled filters by expression; a filter that does not compile is kept as its error.
    static FILTERS: RefCell<HashMap<String, Result<Rc<Filter>, String>>> =
        RefCell::new(HashMap::new());
}

/// More compiled expressions than this per thread and the cache starts afresh (an editor
/// typing expressions one key at a time must not grow it forever).
const MAX_CACHED: usize = 512;

fn compile(expression: &str) -> Result<Rc<Filter>, String> {
    let program = File {
        code: expression,
        path: (),
    };
    let defs = jaq_core::defs()
        .chain(jaq_std::defs())
        .chain(jaq_json::defs());
    let funs = jaq_core::funs()
        .chain(jaq_std::funs())
        .chain(jaq_json::funs());
    let loader = Loader::new(defs);
    let arena = Arena::default();
    let modules = loader.load(&arena, program).map_err(|errs| {
        format!(
            "the jq expression '{expression}' does not parse: {}",
            errs.iter()
                .map(|(_, e)| format!("{e:?}"))
                .collect::<Vec<_>>()
                .join("; ")
        )
    })?;
    let filter = Compiler::default()
        .with_funs(funs)
        .compile(modules)
        .map_err(|errs| {
            format!(
                "the jq expression '{expression}' does not compile: {}",
                errs.iter()
                    .flat_map(|(_, es)| es.iter().map(|(name, _)| format!("unknown {name}")))
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        })?;
    Ok(Rc::new(filter))
}

fn filter(expression: &str) -> Result<Rc<Filter>, String> {
    FILTERS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(f) = cache.get(expression) {
            return f.clone();
        }
        if cache.len() >= MAX_CACHED {
            cache.clear();
        }
        let compiled = compile(expression);
        cache.insert(expression.to_string(), compiled.clone());
        compiled
    })
}

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
