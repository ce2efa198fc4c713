//! The settings of what sits above requests: a collection, a folder, an environment. Read
//! and written through one `Subject`, with what each one inherits and from where (the auth,
//! headers and variables a folder gets from the folders above it and the collection), and the
//! environment operations (create, rename, duplicate, delete).

use super::{container_mut, folder_at, Workspace};
use crate::model::variables::valid_name;
use crate::model::{Auth, Environment, Folder, NameValue};
use std::collections::BTreeMap;

/// What the settings editor edits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Subject {
    Collection(usize),
    Folder(usize, Vec<usize>),
    Environment(usize, String),
}

impl Subject {
    pub fn doc(&self) -> usize {
        match self {
            Subject::Collection(d) | Subject::Folder(d, _) | Subject::Environment(d, _) => *d,
        }
    }

    /// How the subject is named for people: "collection 'Pets'", "folder 'Admin'".
    pub fn kind(&self) -> &'static str {
        match self {
            Subject::Collection(_) => "collection",
            Subject::Folder(..) => "folder",
            Subject::Environment(..) => "environment",
        }
    }
}

/// A value a subject gets from above it, and where from ("collection 'Pets'").
#[derive(Debug, Clone, PartialEq)]
pub struct Inherited<T> {
    pub value: T,
    pub from: String,
}

fn folder_mut<'a>(c: &'a mut crate::model::Collection, path: &[usize]) -> Option<&'a mut Folder> {
    let (parent, last) = path.split_at(path.len().checked_sub(1)?);
    container_mut(c, parent)?.1.get_mut(last[0])
}

impl Workspace {
    fn folder(&self, doc: usize, path: &[usize]) -> Option<&Folder> {
        folder_at(&self.docs.get(doc)?.loaded.collection, path)
    }

    pub fn environment(&self, doc: usize, name: &str) -> Option<&Environment> {
        self.docs.get(doc)?.loaded.collection.environments.get(name)
    }

    pub fn environment_mut(&mut self, doc: usize, name: &str) -> Option<&mut Environment> {
        (self.docs.get_mut(doc)?.loaded.collection.environments).get_mut(name)
    }

    /// Whether the subject still exists (a folder deleted, an environment renamed).
    pub fn exists(&self, s: &Subject) -> bool {
        match s {
            Subject::Collection(d) => *d < self.docs.len(),
            Subject::Folder(d, p) => self.folder(*d, p).is_some(),
            Subject::Environment(d, n) => self.environment(*d, n).is_some(),
        }
    }

    pub fn description(&self, s: &Subject) -> Option<String> {
        match s {
            Subject::Collection(d) => self.docs.get(*d)?.loaded.collection.description.clone(),
            Subject::Folder(d, p) => self.folder(*d, p)?.description.clone(),
            Subject::Environment(..) => None,
        }
    }

    pub fn set_description(&mut self, s: &Subject, text: &str) {
        let text = (!text.trim().is_empty()).then(|| text.trim().to_string());
        match s {
            Subject::Collection(d) => {
                if let Some(doc) = self.docs.get_mut(*d) {
                    doc.loaded.collection.description = text;
                }
            }
            Subject::Folder(d, p) => {
                if let Some(f) = (self.docs.get_mut(*d))
                    .and_then(|doc| folder_mut(&mut doc.loaded.collection, p))
                {
                    f.description = text;
                }
            }
            Subject::Environment(..) => {}
        }
    }

    pub fn auth_of(&self, s: &Subject) -> Option<&Auth> {
        match s {
            Subject::Collection(d) => Some(&self.docs.get(*d)?.loaded.collection.auth),
            Subject::Folder(d, p) => Some(&self.folder(*d, p)?.auth),
            Subject::Environment(..) => None,
        }
    }

    pub fn auth_of_mut(&mut self, s: &Subject) -> Option<&mut Auth> {
        let c = &mut self.docs.get_mut(s.doc())?.loaded.collection;
        match s {
            Subject::Collection(_) => Some(&mut c.auth),
            Subject::Folder(_, p) => Some(&mut folder_mut(c, p)?.auth),
            Subject::Environment(..) => None,
        }
    }

    pub fn headers_of(&self, s: &Subject) -> Option<&Vec<NameValue>> {
        match s {
            Subject::Collection(d) => Some(&self.docs.get(*d)?.loaded.collection.headers),
            Subject::Folder(d, p) => Some(&self.folder(*d, p)?.headers),
            Subject::Environment(..) => None,
        }
    }

    pub fn headers_of_mut(&mut self, s: &Subject) -> Option<&mut Vec<NameValue>> {
        let c = &mut self.docs.get_mut(s.doc())?.loaded.collection;
        match s {
            Subject::Collection(_) => Some(&mut c.headers),
            Subject::Folder(_, p) => Some(&mut folder_mut(c, p)?.headers),
            Subject::Environment(..) => None,
        }
    }

    pub fn variables_of(&self, s: &Subject) -> Option<&BTreeMap<String, String>> {
        match s {
            Subject::Collection(d) => Some(&self.docs.get(*d)?.loaded.collection.variables),
            Subject::Folder(d, p) => Some(&self.folder(*d, p)?.variables),
            Subject::Environment(d, n) => Some(&self.environment(*d, n)?.variables),
        }
    }

    pub fn variables_of_mut(&mut self, s: &Subject) -> Option<&mut BTreeMap<String, String>> {
        let c = &mut self.docs.get_mut(s.doc())?.loaded.collection;
        match s {
            Subject::Collection(_) => Some(&mut c.variables),
            Subject::Folder(_, p) => Some(&mut folder_mut(c, p)?.variables),
            Subject::Environment(_, n) => Some(&mut c.environments.get_mut(n)?.variables),
        }
    }

    /// Renames a variable of the subject (its value kept); a name in use or not a variable
    /// name is refused.
    pub fn rename_variable(&mut self, s: &Subject, from: &str, to: &str) -> Result<(), String> {
        let to = to.trim();
        if from == to {
            return Ok(());
        }
        if !valid_name(to) {
            return Err(format!(
                "'{to}' is not a variable name (letters, digits, _ - . only)"
            ));
        }
        let vars = self.variables_of_mut(s).ok_or("it is gone")?;
        if vars.contains_key(to) {
            return Err(format!("{{{{{to}}}}} is already defined here"));
        }
        let value = vars.remove(from).unwrap_or_default();
        vars.insert(to.to_string(), value);
        Ok(())
    }

    /// The folders above a folder (outermost first), with their names.
    fn parents(&self, doc: usize, path: &[usize]) -> Vec<&Folder> {
        (1..path.len())
            .filter_map(|n| self.folder(doc, &path[..n]))
            .collect()
    }

    /// The auth the subject gets when its own is `inherit`: the nearest folder above that
    /// sets one, else the collection's (none for the collection itself).
    pub fn inherited_auth(&self, s: &Subject) -> Option<Inherited<Auth>> {
        let Subject::Folder(d, p) = s else {
            return None;
        };
        let c = &self.docs.get(*d)?.loaded.collection;
        let parents = self.parents(*d, p);
        if let Some(f) = parents.iter().rev().find(|f| !f.auth.is_inherit()) {
            return Some(Inherited {
                value: f.auth.clone(),
                from: format!("folder '{}'", f.name),
            });
        }
        Some(Inherited {
            value: if c.auth.is_inherit() {
                Auth::None
            } else {
                c.auth.clone()
            },
            from: format!("collection '{}'", c.name),
        })
    }

    /// The headers added above the subject (the collection's, then each folder's down to it).
    pub fn inherited_headers(&self, s: &Subject) -> Vec<Inherited<NameValue>> {
        let Subject::Folder(d, p) = s else {
            return Vec::new();
        };
        let Some(doc) = self.docs.get(*d) else {
            return Vec::new();
        };
        let c = &doc.loaded.collection;
        let from_c = format!("collection '{}'", c.name);
        let mut out: Vec<Inherited<NameValue>> = (c.headers.iter())
            .map(|h| Inherited {
                value: h.clone(),
                from: from_c.clone(),
            })
            .collect();
        for f in self.parents(*d, p) {
            out.extend(f.headers.iter().map(|h| Inherited {
                value: h.clone(),
                from: format!("folder '{}'", f.name),
            }));
        }
        out
    }

    /// The variables seen from above the subject, highest precedence first, each with its
    /// source: for a folder, the folders above it, this run's values, the environment, the
    /// collection; for a collection, the environment (which wins over it).
    pub fn inherited_variables(
        &self,
        s: &Subject,
        env: Option<&str>,
        overrides: &BTreeMap<String, String>,
    ) -> Vec<Inherited<(String, String)>> {
        let Some(doc) = self.docs.get(s.doc()) else {
            return Vec::new();
        };
        let c = &doc.loaded.collection;
        let mut out = Vec::new();
        let mut push = |vars: &BTreeMap<String, String>, from: String| {
            out.extend(vars.iter().map(|(k, v)| Inherited {
                value: (k.clone(), v.clone()),
                from: from.clone(),
            }))
        };
        if let Subject::Folder(d, p) = s {
            for f in self.parents(*d, p).into_iter().rev() {
                push(&f.variables, format!("folder '{}'", f.name));
            }
        }
        if matches!(s, Subject::Environment(..)) {
            push(&c.variables, format!("collection '{}'", c.name));
            return out;
        }
        push(overrides, "this run (not saved)".into());
        if let Some((name, e)) = env.and_then(|n| c.environments.get_key_value(n)) {
            push(&e.variables, format!("env {name}"));
        }
        if matches!(s, Subject::Folder(..)) {
            push(&c.variables, format!("collection '{}'", c.name));
        }
        out
    }

    /// A new, empty environment; a name in use is refused.
    pub fn add_environment(&mut self, doc: usize, name: &str) -> Result<(), String> {
        let name = checked_env_name(name)?;
        let envs = &mut self
            .docs
            .get_mut(doc)
            .ok_or("gone")?
            .loaded
            .collection
            .environments;
        if envs.contains_key(&name) {
            return Err(format!("an environment named '{name}' is already there"));
        }
        envs.insert(name, Environment::default());
        Ok(())
    }

    /// Renames an environment; the collection's selection follows it.
    pub fn rename_environment(&mut self, doc: usize, from: &str, to: &str) -> Result<(), String> {
        let to = checked_env_name(to)?;
        let d = self.docs.get_mut(doc).ok_or("gone")?;
        let envs = &mut d.loaded.collection.environments;
        if from == to {
            return Ok(());
        }
        if envs.contains_key(&to) {
            return Err(format!("an environment named '{to}' is already there"));
        }
        let e = envs.remove(from).ok_or("that environment is gone")?;
        envs.insert(to.clone(), e);
        if d.env.as_deref() == Some(from) {
            d.env = Some(to);
        }
        Ok(())
    }

    /// A copy named `name copy` (or `name copy 2`...); returns its name.
    pub fn duplicate_environment(&mut self, doc: usize, name: &str) -> Result<String, String> {
        let envs = &mut self
            .docs
            .get_mut(doc)
            .ok_or("gone")?
            .loaded
            .collection
            .environments;
        let e = envs.get(name).ok_or("that environment is gone")?.clone();
        let copy = super::edit::unique(&format!("{name} copy"), |n| envs.contains_key(n));
        envs.insert(copy.clone(), e);
        Ok(copy)
    }

    /// Deletes an environment; a collection using it falls back to none.
    pub fn delete_environment(&mut self, doc: usize, name: &str) -> Result<(), String> {
        let d = self.docs.get_mut(doc).ok_or("gone")?;
        d.loaded
            .collection
            .environments
            .remove(name)
            .ok_or("that environment is gone")?;
        if d.env.as_deref() == Some(name) {
            d.env = None;
        }
        Ok(())
    }
}

fn checked_env_name(name: &str) -> Result<String, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("an environment needs a name".into());
    }
    if name.chars().any(char::is_control) {
        return Err("a name has no control characters".into());
    }
    Ok(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::super::{Doc, Workspace};
    use super::*;
    use crate::model::{Collection, Loaded};

    fn ws() -> Workspace {
        let c: Collection = serde_json::from_value(serde_json::json!({
            "version": 1, "name": "Pets",
            "variables": {"base": "c", "shared": "c"},
            "auth": {"type": "aws-sigv4", "profile": "dev"},
            "headers": [{"name": "x-team", "value": "pets"}],
            "environments": {"dev": {"variables": {"shared": "env"}}},
            "folders": [{"name": "outer", "variables": {"o": "1"},
                "headers": [{"name": "x-outer", "value": "1"}],
                "auth": {"type": "none"},
                "folders": [{"name": "inner"}]}]
        }))
        .unwrap();
        Workspace::new(vec![Doc {
            loaded: Loaded {
                path: Default::default(),
                collection: c,
                fingerprint: [0; 32],
            },
            persistent: false,
            dirty: false,
            env: Some("dev".into()),
        }])
    }

    #[test]
    fn a_folder_sees_what_it_inherits_and_from_where() {
        let ws = ws();
        let inner = Subject::Folder(0, vec![0, 0]);
        let auth = ws.inherited_auth(&inner).unwrap();
        assert_eq!(
            (auth.value, auth.from.as_str()),
            (Auth::None, "folder 'outer'")
        );
        let outer = ws.inherited_auth(&Subject::Folder(0, vec![0])).unwrap();
        assert!(matches!(outer.value, Auth::AwsSigv4 { .. }));
        assert_eq!(outer.from, "collection 'Pets'");
        let headers: Vec<(String, String)> = (ws.inherited_headers(&inner).into_iter())
            .map(|h| (h.value.name, h.from))
            .collect();
        assert_eq!(
            headers,
            [
                ("x-team".to_string(), "collection 'Pets'".to_string()),
                ("x-outer".to_string(), "folder 'outer'".to_string())
            ]
        );
        let none = BTreeMap::new();
        let vars: Vec<String> = (ws
            .inherited_variables(&inner, Some("dev"), &none)
            .into_iter())
        .map(|v| format!("{}={} ← {}", v.value.0, v.value.1, v.from))
        .collect();
        assert_eq!(
            vars,
            [
                "o=1 ← folder 'outer'",
                "shared=env ← env dev",
                "base=c ← collection 'Pets'",
                "shared=c ← collection 'Pets'"
            ]
        );
    }

    #[test]
    fn environments_are_created_renamed_duplicated_and_deleted() {
        let mut ws = ws();
        assert!(ws.add_environment(0, "dev").is_err());
        assert!(ws.add_environment(0, "  ").is_err());
        ws.add_environment(0, "prod").unwrap();
        ws.rename_environment(0, "dev", "development").unwrap();
        assert_eq!(
            ws.docs[0].env.as_deref(),
            Some("development"),
            "the selection follows"
        );
        let copy = ws.duplicate_environment(0, "development").unwrap();
        assert_eq!(copy, "development copy");
        assert_eq!(ws.environment(0, &copy).unwrap().variables["shared"], "env");
        ws.delete_environment(0, "development").unwrap();
        assert_eq!(ws.docs[0].env, None);
        let s = Subject::Environment(0, "prod".into());
        ws.variables_of_mut(&s)
            .unwrap()
            .insert("a".into(), "1".into());
        ws.rename_variable(&s, "a", "b").unwrap();
        assert!(ws.rename_variable(&s, "b", "no spaces").is_err());
        assert_eq!(ws.variables_of(&s).unwrap()["b"], "1");
    }
}
