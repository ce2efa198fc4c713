//! The variables a request sees, listed from `model::variables::levels` (the one statement
//! of precedence) with where each is defined, and setting one where it is defined.

use super::{container_mut, ReqRef, Workspace};
use crate::model::variables::{self, Source};
use crate::model::{Collection, Folder};
use std::collections::{BTreeMap, HashSet};

/// Where a variable is defined, with the folder's index path (to set it there).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VarLevel {
    Request,
    /// The folder at this index path.
    Folder(Vec<usize>),
    /// Set for this run only (the demo's gateway address): shown, never saved or edited.
    Override,
    Environment(String),
    Collection,
    /// Used by the request but defined nowhere: sending it fails until it is.
    Undefined,
}

/// One variable visible to a request.
#[derive(Debug, Clone)]
pub struct VarRow {
    pub level: VarLevel,
    /// Where it comes from, for people: "request", "folder Api", "env dev", ...
    pub source: String,
    pub name: String,
    pub value: String,
    /// A definition above this one wins.
    pub shadowed: bool,
}

fn folder_mut<'a>(c: &'a mut Collection, path: &[usize]) -> Option<&'a mut Folder> {
    let (first, rest) = path.split_first()?;
    let mut f = c.folders.get_mut(*first)?;
    for i in rest {
        f = f.folders.get_mut(*i)?;
    }
    Some(f)
}

impl Workspace {
    /// The variables a request sees, highest precedence first, shadowed ones marked.
    pub fn variables(
        &self,
        r: &ReqRef,
        env: Option<&str>,
        overrides: &BTreeMap<String, String>,
    ) -> Vec<VarRow> {
        let Some((c, located)) = self.located(r) else {
            return Vec::new();
        };
        let env = env.and_then(|n| c.environments.get_key_value(n));
        let env = env.map(|(name, e)| (name.as_str(), e));
        let mut seen = HashSet::new();
        let mut rows = Vec::new();
        for level in variables::levels(c, env, &located, overrides) {
            let (place, source) = match level.source {
                Source::Request => (VarLevel::Request, "request".to_string()),
                Source::Folder { depth, name } => (
                    VarLevel::Folder(r.folders[..=depth].to_vec()),
                    format!("folder {name}"),
                ),
                Source::Override => (VarLevel::Override, "this run (not saved)".into()),
                Source::Environment(name) => {
                    (VarLevel::Environment(name.into()), format!("env {name}"))
                }
                Source::Collection => (VarLevel::Collection, "collection".into()),
            };
            for (name, value) in level.vars {
                rows.push(VarRow {
                    level: place.clone(),
                    source: source.clone(),
                    name: name.clone(),
                    value: value.clone(),
                    shadowed: !seen.insert(name.clone()),
                });
            }
        }
        for name in variables::used_by(c, &located) {
            if !seen.contains(&name) {
                rows.push(VarRow {
                    level: VarLevel::Undefined,
                    source: "undefined".into(),
                    name,
                    value: String::new(),
                    shadowed: false,
                });
            }
        }
        rows
    }

    /// How many requests of a collection use `{{name}}` (all of them see a value set in
    /// the collection or an environment; a folder's, only those below it).
    pub fn users_of(&self, doc: usize, folder: Option<&[usize]>, name: &str) -> usize {
        let Some(d) = self.docs.get(doc) else {
            return 0;
        };
        let c = &d.loaded.collection;
        let below = |l: &crate::model::Located| match folder {
            None => true,
            Some(path) => {
                let names: Vec<&str> = l.folders.iter().map(|f| f.name.as_str()).collect();
                let want: Vec<&str> = (1..=path.len())
                    .filter_map(|n| super::folder_at(c, &path[..n]).map(|f| f.name.as_str()))
                    .collect();
                names.starts_with(&want)
            }
        };
        (c.walk().iter())
            .filter(|l| below(l) && variables::used_by(c, l).contains(name))
            .count()
    }

    /// Sets (or with `None` removes) a variable where it is defined. Errors say why not.
    pub fn set_variable(
        &mut self,
        r: &ReqRef,
        level: &VarLevel,
        name: &str,
        value: Option<&str>,
    ) -> Result<(), String> {
        let c = &mut self
            .docs
            .get_mut(r.doc)
            .ok_or("the collection is gone")?
            .loaded
            .collection;
        let vars = match level {
            VarLevel::Undefined => {
                return Err(format!(
                    "{{{{{name}}}}} is defined nowhere yet: add it first"
                ))
            }
            VarLevel::Override => {
                return Err(format!(
                    "{{{{{name}}}}} is set by sigscope for this run only; it is never saved"
                ))
            }
            VarLevel::Collection => &mut c.variables,
            VarLevel::Environment(e) => {
                &mut c
                    .environments
                    .get_mut(e)
                    .ok_or_else(|| format!("no environment '{e}'"))?
                    .variables
            }
            VarLevel::Folder(path) => {
                &mut folder_mut(c, path).ok_or("the folder is gone")?.variables
            }
            VarLevel::Request => {
                let (requests, _) = container_mut(c, &r.folders).ok_or("the request is gone")?;
                &mut requests
                    .get_mut(r.index)
                    .ok_or("the request is gone")?
                    .variables
            }
        };
        match value {
            Some(v) => {
                if !variables::valid_name(name) {
                    return Err(format!(
                        "'{name}' is not a variable name (letters, digits, _ - . only)"
                    ));
                }
                vars.insert(name.to_string(), v.to_string());
            }
            None => {
                vars.remove(name);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::Doc;
    use super::*;
    use crate::model::Loaded;

    #[test]
    fn the_listing_agrees_with_what_a_send_resolves() {
        let c: Collection =
            serde_json::from_str(include_str!("../../../collections/petstore-iam.json")).unwrap();
        let ws = Workspace::new(vec![Doc {
            loaded: Loaded {
                path: Default::default(),
                collection: c.clone(),
                fingerprint: [0; 32],
            },
            persistent: false,
            dirty: false,
            env: Some("dev".into()),
        }]);
        let overrides = BTreeMap::from([("restUrl".to_string(), "http://override".to_string())]);
        for row in ws.rows.iter() {
            let super::super::Node::Request(r) = &row.node else {
                continue;
            };
            let listed = ws.variables(r, Some("dev"), &overrides);
            let (_, located) = ws.located(r).unwrap();
            let mut env = c.environments["dev"].clone();
            env.variables.extend(overrides.clone());
            let sent = crate::model::scope(&c, Some(&env), &located);
            for (name, value) in &sent {
                let winner = listed.iter().find(|v| &v.name == name && !v.shadowed);
                assert_eq!(winner.map(|v| &v.value), Some(value), "{name}");
            }
            assert_eq!(listed.iter().filter(|v| !v.shadowed).count(), sent.len());
        }
    }
}
