//! A jq filter over a JSON body, by jaq (the jq language in Rust, no C library), compiled once
//! per thread and kept (the workbench's filter prompt, a flow's captures and assertions).

use jaq_core::load::{Arena, File, Loader};
use jaq_core::{data, unwrap_valr, Compiler, Ctx, Vars};
use jaq_json::Val;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

pub type Filter = jaq_core::Filter<data::JustLut<Val>>;

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

/// The compiled filter for an expression (from this thread's cache).
pub fn filter(expression: &str) -> Result<Rc<Filter>, String> {
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

/// Runs `filter` on `body`; each output is pretty-printed on its own lines, as the pretty
/// view prints a body (`pretty::json`: two spaces, a space after each colon). Errors say
/// whether the filter, the body or the run failed.
pub fn run(expression: &str, body: &[u8]) -> Result<String, String> {
    let input =
        jaq_json::read::parse_single(body).map_err(|e| format!("the body is not JSON: {e}"))?;
    let filter = filter(expression)?;
    let ctx = Ctx::<data::JustLut<Val>>::new(&filter.lut, Vars::new([]));
    // Written compact, then indented by the same code as the pretty view.
    let pp = jaq_json::write::Pp::<String>::default();
    let mut out = String::new();
    for v in filter.id.run((ctx, input)).map(unwrap_valr) {
        let v = v.map_err(|e| format!("jq: {e}"))?;
        let mut buf = Vec::new();
        jaq_json::write::write(&mut buf, &pp, 0, &v).map_err(|e| e.to_string())?;
        let pretty = super::pretty::json(&buf).unwrap_or(buf);
        out.push_str(&String::from_utf8_lossy(&pretty));
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn filters_select_and_pretty_print() {
        let body = br#"{"pets":[{"id":1,"name":"Rex"},{"id":2,"name":"Tom"}]}"#;
        assert_eq!(
            super::run(".pets[].name", body).unwrap(),
            "\"Rex\"\n\"Tom\"\n"
        );
        assert_eq!(
            super::run(".pets | map(.id)", body).unwrap(),
            "[\n  1,\n  2\n]\n"
        );
        assert_eq!(
            super::run("[.pets[] | select(.id > 1)] | length", body).unwrap(),
            "1\n"
        );
        // Formatted as the pretty view formats the body itself.
        let whole = super::run(".", body).unwrap();
        let pretty = super::super::pretty::json(body).unwrap();
        assert_eq!(
            whole.trim_end(),
            String::from_utf8(pretty).unwrap().trim_end()
        );
        assert!(whole.contains("\"name\": \"Rex\""), "{whole}");
        assert!(super::run(".pets[", body)
            .unwrap_err()
            .contains("does not parse"));
        assert!(super::run("nosuchfn", body)
            .unwrap_err()
            .contains("does not compile"));
        assert!(super::run(".", b"not json")
            .unwrap_err()
            .contains("not JSON"));
    }
}
