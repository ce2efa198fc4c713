//! Where a request's variables come from and which definition wins. `levels` is the one
//! statement of precedence: `model::scope` merges it for sending, and the workbench's Vars
//! tab lists it (with the run's overrides) to show where each value comes from.

use super::{Collection, Environment, Located};
use std::collections::BTreeMap;

/// A place variables are defined, as `levels` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source<'a> {
    Request,
    /// A folder above the request: 0 is the outermost.
    Folder {
        depth: usize,
        name: &'a str,
    },
    /// Set for this run only (the demo's gateway address): shown, never saved.
    Override,
    Environment(&'a str),
    Collection,
}

/// One level of definitions.
#[derive(Debug, Clone, Copy)]
pub struct Level<'a> {
    pub source: Source<'a>,
    pub vars: &'a BTreeMap<String, String>,
}

/// Every level a request sees, the winning one first: the request, its folders from the
/// innermost out, this run's overrides, the environment, the collection.
pub fn levels<'a>(
    collection: &'a Collection,
    env: Option<(&'a str, &'a Environment)>,
    located: &Located<'a>,
    overrides: &'a BTreeMap<String, String>,
) -> Vec<Level<'a>> {
    let mut out = vec![Level {
        source: Source::Request,
        vars: &located.request.variables,
    }];
    for (depth, f) in located.folders.iter().enumerate().rev() {
        out.push(Level {
            source: Source::Folder {
                depth,
                name: &f.name,
            },
            vars: &f.variables,
        });
    }
    out.push(Level {
        source: Source::Override,
        vars: overrides,
    });
    if let Some((name, e)) = env {
        out.push(Level {
            source: Source::Environment(name),
            vars: &e.variables,
        });
    }
    out.push(Level {
        source: Source::Collection,
        vars: &collection.variables,
    });
    out
}

/// The value each name resolves to: every level applied from the lowest up.
pub fn merged(levels: &[Level<'_>]) -> BTreeMap<String, String> {
    let mut vars = BTreeMap::new();
    for level in levels.iter().rev() {
        vars.extend(level.vars.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    vars
}

/// The `{{names}}` in `text`, without the built-ins (`$uuid`, `$env.X`).
pub fn names_in(text: &str, out: &mut std::collections::BTreeSet<String>) {
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            return;
        };
        let name = after[..end].trim();
        if !name.is_empty() && !name.starts_with('$') {
            out.insert(name.to_string());
        }
        rest = &after[end + 2..];
    }
}

/// Every variable a request uses: in its URL, query, headers, body and auth, and in the
/// headers and auth it inherits (what `http::prepare` will resolve).
pub fn used_by(collection: &Collection, located: &Located) -> std::collections::BTreeSet<String> {
    use super::{Auth, Body};
    let mut out = std::collections::BTreeSet::new();
    let r = located.request;
    let mut text = |t: &str| names_in(t, &mut out);
    text(&r.url);
    let inherited =
        (collection.headers.iter()).chain(located.folders.iter().flat_map(|f| f.headers.iter()));
    for p in r.query.iter().chain(r.headers.iter()).chain(inherited) {
        if p.enabled {
            text(&p.name);
            text(&p.value);
        }
    }
    match &r.body {
        Body::Json { content } => text(&content.to_string()),
        Body::Text { content } => text(content),
        Body::FormUrlencoded { fields } => {
            for f in fields.iter().filter(|f| f.enabled) {
                text(&f.name);
                text(&f.value);
            }
        }
        Body::File { path } => text(path),
        Body::None => {}
    }
    let auth = std::iter::once(&r.auth)
        .chain(located.folders.iter().rev().map(|f| &f.auth))
        .chain(std::iter::once(&collection.auth))
        .find(|a| !a.is_inherit());
    match auth {
        Some(Auth::AwsSigv4 {
            profile,
            region,
            service,
            ..
        }) => {
            for f in [profile, region, service].into_iter().flatten() {
                text(f);
            }
        }
        Some(Auth::Bearer { token }) => text(token),
        Some(Auth::Basic { username, password }) => {
            text(username);
            text(password);
        }
        _ => {}
    }
    out
}

/// `{{name}}` may hold letters, digits, `_`, `-` and `.` (no `$`: that starts a built-in).
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collection() -> Collection {
        serde_json::from_value(serde_json::json!({
            "version": 1, "name": "c",
            "variables": {"a": "collection", "b": "collection", "c": "collection", "d": "collection"},
            "environments": {"dev": {"variables": {"b": "env", "c": "env", "d": "env"}}},
            "folders": [{"name": "outer", "variables": {"c": "outer", "e": "outer"},
                "folders": [{"name": "inner", "variables": {"e": "inner"},
                    "requests": [{"name": "r", "method": "GET", "url": "x", "variables": {"f": "request"}}]}]}]
        }))
        .unwrap()
    }

    #[test]
    fn the_winner_is_the_first_level_that_defines_a_name() {
        let c = collection();
        let located = c.find("outer/inner/r").unwrap();
        let env = ("dev", &c.environments["dev"]);
        let overrides = BTreeMap::from([("d".to_string(), "override".to_string())]);
        let all = levels(&c, Some(env), &located, &overrides);
        let order: Vec<String> = all.iter().map(|l| format!("{:?}", l.source)).collect();
        assert_eq!(
            order,
            [
                "Request",
                "Folder { depth: 1, name: \"inner\" }",
                "Folder { depth: 0, name: \"outer\" }",
                "Override",
                "Environment(\"dev\")",
                "Collection"
            ]
        );
        let vars = merged(&all);
        for (name, want) in [
            ("a", "collection"),
            ("b", "env"),
            ("c", "outer"),
            ("d", "override"),
            ("e", "inner"),
            ("f", "request"),
        ] {
            assert_eq!(vars[name], want, "{name}");
            // The listing agrees: the first level holding the name gives the same value.
            let first = all.iter().find_map(|l| l.vars.get(name)).unwrap();
            assert_eq!(first, want, "{name}");
        }
    }

    #[test]
    fn the_variables_a_request_uses_are_found_where_prepare_resolves_them() {
        let c: Collection = serde_json::from_value(serde_json::json!({
            "version": 1, "name": "c",
            "headers": [{"name": "x-team", "value": "{{team}}"}],
            "auth": {"type": "aws-sigv4", "region": "{{region}}"},
            "requests": [{"name": "r", "method": "POST", "url": "{{base}}/x/{{ id }}",
                "query": [{"name": "q", "value": "{{off}}", "enabled": false}],
                "body": {"type": "json", "content": {"a": "{{pet}}", "t": "{{$timestamp}}"}}}]
        }))
        .unwrap();
        let used = used_by(&c, &c.find("r").unwrap());
        let names: Vec<&str> = used.iter().map(String::as_str).collect();
        assert_eq!(names, ["base", "id", "pet", "region", "team"]);
    }

    #[test]
    fn variable_names_are_checked() {
        assert!(valid_name("petId") && valid_name("a.b-c_1"));
        assert!(!valid_name("pet id") && !valid_name("$env") && !valid_name(""));
    }
}
