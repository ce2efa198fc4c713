//! The order a run sends requests in: the selected requests in file order, each preceded by
//! the requests that capture a variable it uses when nothing else defines it yet (a note says
//! so), cycles refused with their path; and for `--jobs`, which earlier steps each one waits
//! for (those touching the same captured variables: the rest run side by side).

use crate::model::{Collection, Environment, Located};
use std::collections::{BTreeMap, BTreeSet};

/// Every `{{name}}` in a text (built-ins, `{{$...}}`, left out).
pub fn references(text: &str, out: &mut BTreeSet<String>) {
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { return };
        let name = after[..end].trim();
        if !name.is_empty() && !name.starts_with('$') {
            out.insert(name.to_string());
        }
        rest = &after[end + 2..];
    }
}

/// The variables a request needs: its URL, query, headers (its own and inherited), body,
/// auth (its own or inherited) and the expected values of its assertions.
pub fn uses(collection: &Collection, located: &Located) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let r = located.request;
    let mut texts: Vec<&str> = vec![&r.url];
    let rows = r
        .query
        .iter()
        .chain(&r.headers)
        .chain(&collection.headers)
        .chain(located.folders.iter().flat_map(|f| f.headers.iter()))
        .filter(|h| h.enabled);
    for h in rows {
        texts.push(&h.name);
        texts.push(&h.value);
    }
    for t in texts {
        references(t, &mut out);
    }
    match &r.body {
        crate::model::Body::Json { content } => references(&content.to_string(), &mut out),
        crate::model::Body::Text { content } => references(content, &mut out),
        crate::model::Body::File { path } => references(path, &mut out),
        crate::model::Body::FormUrlencoded { fields } => {
            for f in fields.iter().filter(|f| f.enabled) {
                references(&f.name, &mut out);
                references(&f.value, &mut out);
            }
        }
        crate::model::Body::None => {}
    }
    let auth = std::iter::once(&r.auth)
        .chain(located.folders.iter().rev().map(|f| &f.auth))
        .chain(std::iter::once(&collection.auth))
        .find(|a| !a.is_inherit());
    if let Some(a) = auth {
        references(&serde_json::to_string(a).unwrap_or_default(), &mut out);
    }
    // Expected values may name a variable too (`"equals": "{{petId}}"`).
    for a in r.assertions.iter().filter(|a| a.enabled) {
        references(&a.to_string(), &mut out);
    }
    out
}

/// One request to send, in plan order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The request's place in `Collection::walk`.
    pub request: usize,
    /// Why it runs though it was not selected, or before its place in the file.
    pub pulled: Option<String>,
    /// Steps (positions in the plan) that must finish before this one starts.
    pub after: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// Each request of the cycle and the variable it needs from the next.
    #[error("a cycle of captured variables: {}; define one of them (collection, environment or --data) to break it", describe(.0))]
    Cycle(Vec<(String, String)>),
}

fn describe(path: &[(String, String)]) -> String {
    let mut parts = Vec::new();
    for (i, (name, var)) in path.iter().enumerate() {
        let next = &path[(i + 1) % path.len()].0;
        parts.push(format!("'{name}' needs {{{{{var}}}}} from '{next}'"));
    }
    parts.join(", ")
}

/// `folder/name` of a request.
pub fn path_name(located: &Located) -> String {
    let mut p: Vec<&str> = located.folders.iter().map(|f| f.name.as_str()).collect();
    p.push(&located.request.name);
    p.join("/")
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    New,
    Visiting,
    Done,
}

struct Planner<'a> {
    collection: &'a Collection,
    env: Option<&'a Environment>,
    walk: Vec<Located<'a>>,
    uses: Vec<BTreeSet<String>>,
    captures: Vec<BTreeSet<String>>,
    captured_by: BTreeMap<String, Vec<usize>>,
    given: &'a BTreeSet<String>,
    marks: Vec<Mark>,
    /// The requests being visited, each with the variable that led to the next.
    stack: Vec<(usize, String)>,
    steps: Vec<Step>,
}

impl Planner<'_> {
    /// Whether a variable has a value for request `i` before anything is captured.
    fn defined(&self, i: usize, var: &str) -> bool {
        if self.given.contains(var) {
            return true;
        }
        let vars = crate::model::scope(self.collection, self.env, &self.walk[i]);
        vars.get(var).is_some_and(|v| !v.is_empty())
    }

    /// The request that should capture `var` for `i`: the nearest one above it in the file,
    /// else the first below.
    fn source(&self, i: usize, var: &str) -> Option<usize> {
        let candidates: Vec<usize> = self
            .captured_by
            .get(var)?
            .iter()
            .copied()
            .filter(|&c| c != i)
            .collect();
        candidates
            .iter()
            .rev()
            .find(|&&c| c < i)
            .or(candidates.first())
            .copied()
    }

    fn visit(&mut self, i: usize, pulled: Option<String>) -> Result<(), PlanError> {
        match self.marks[i] {
            Mark::Done => return Ok(()),
            Mark::Visiting => {
                let from = self.stack.iter().position(|(r, _)| *r == i).unwrap_or(0);
                let path = self.stack[from..]
                    .iter()
                    .map(|(r, var)| (path_name(&self.walk[*r]), var.clone()))
                    .collect();
                return Err(PlanError::Cycle(path));
            }
            Mark::New => {}
        }
        self.marks[i] = Mark::Visiting;
        let needs: Vec<String> = self.uses[i].iter().cloned().collect();
        for var in needs {
            let done_elsewhere = self
                .captured_by
                .get(&var)
                .is_some_and(|by| by.iter().any(|&c| c != i && self.marks[c] == Mark::Done));
            if done_elsewhere || self.defined(i, &var) {
                continue;
            }
            let Some(src) = self.source(i, &var) else {
                continue;
            };
            let note = format!(
                "runs '{}' first: it captures {{{{{var}}}}}, which '{}' uses",
                path_name(&self.walk[src]),
                path_name(&self.walk[i])
            );
            self.stack.push((i, var));
            let r = self.visit(src, Some(note));
            self.stack.pop();
            r?;
        }
        self.marks[i] = Mark::Done;
        self.steps.push(Step {
            request: i,
            pulled,
            after: Vec::new(),
        });
        Ok(())
    }

    /// For each step, the last earlier step touching each captured variable it touches.
    fn order(&mut self) {
        let all_captured: BTreeSet<&String> = self.captured_by.keys().collect();
        let mut last: BTreeMap<String, usize> = BTreeMap::new();
        for p in 0..self.steps.len() {
            let r = self.steps[p].request;
            let touched: BTreeSet<String> = self.uses[r]
                .iter()
                .filter(|v| all_captured.contains(v))
                .chain(self.captures[r].iter())
                .cloned()
                .collect();
            let mut after: BTreeSet<usize> = BTreeSet::new();
            for v in &touched {
                if let Some(&q) = last.get(v) {
                    after.insert(q);
                }
                last.insert(v.clone(), p);
            }
            self.steps[p].after = after.into_iter().collect();
        }
    }
}

/// Plans a run of `selected` (indices into `collection.walk()`, in file order). `given` are
/// the names defined for every iteration from outside (`--data` columns).
pub fn plan(
    collection: &Collection,
    env: Option<&Environment>,
    selected: &[usize],
    given: &BTreeSet<String>,
) -> Result<Plan, PlanError> {
    let walk = collection.walk();
    let uses: Vec<BTreeSet<String>> = walk.iter().map(|l| uses(collection, l)).collect();
    let captures: Vec<BTreeSet<String>> = walk
        .iter()
        .map(|l| {
            (l.request.captures.iter())
                .filter(|c| c.enabled)
                .map(|c| c.variable.clone())
                .collect()
        })
        .collect();
    let mut captured_by: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, vars) in captures.iter().enumerate() {
        for v in vars {
            captured_by.entry(v.clone()).or_default().push(i);
        }
    }
    let n = walk.len();
    let mut planner = Planner {
        collection,
        env,
        walk,
        uses,
        captures,
        captured_by,
        given,
        marks: vec![Mark::New; n],
        stack: Vec::new(),
        steps: Vec::new(),
    };
    for &i in selected {
        if i < n {
            planner.visit(i, None)?;
        }
    }
    planner.order();
    Ok(Plan {
        steps: planner.steps,
    })
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
