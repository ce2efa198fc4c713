//! The open collections as the workbench holds them: one `Doc` per file (with its unsaved
//! mark), the rows of the tree (filtered), and the tree operations. Requests are addressed by
//! position, so names may repeat or contain '/'.

use crate::model::{Collection, Folder, Loaded, Located, RequestSpec};

#[derive(Debug, Clone)]
pub struct Doc {
    pub loaded: Loaded,
    /// False for a collection that has no file (the built-in demo): it cannot be saved.
    pub persistent: bool,
    pub dirty: bool,
    /// The selected environment.
    pub env: Option<String>,
}

/// A request's place: its collection, the folder indices down to it, its index there.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReqRef {
    pub doc: usize,
    pub folders: Vec<usize>,
    pub index: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Node {
    Collection(usize),
    Folder(usize, Vec<usize>),
    Request(ReqRef),
}

impl Node {
    pub fn doc(&self) -> usize {
        match self {
            Node::Collection(d) | Node::Folder(d, _) => *d,
            Node::Request(r) => r.doc,
        }
    }

    /// The folder new items go into: the folder itself, a request's folder, or the root.
    pub fn container(&self) -> (usize, Vec<usize>) {
        match self {
            Node::Collection(d) => (*d, Vec::new()),
            Node::Folder(d, f) => (*d, f.clone()),
            Node::Request(r) => (r.doc, r.folders.clone()),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Row {
    pub depth: usize,
    pub node: Node,
    pub label: String,
    pub method: Option<String>,
}

#[derive(Debug, Default)]
pub struct Workspace {
    pub docs: Vec<Doc>,
    pub rows: Vec<Row>,
    /// Case-insensitive; matches request names, methods and URLs.
    pub filter: String,
    /// Folded collections and folders (a filter shows everything that matches regardless).
    pub collapsed: std::collections::HashSet<Node>,
}

fn folder_at<'a>(c: &'a Collection, path: &[usize]) -> Option<&'a Folder> {
    let (first, rest) = path.split_first()?;
    let mut f = c.folders.get(*first)?;
    for i in rest {
        f = f.folders.get(*i)?;
    }
    Some(f)
}

/// The requests and sub-folders of a container (the root when `path` is empty).
fn container_mut<'a>(
    c: &'a mut Collection,
    path: &[usize],
) -> Option<(&'a mut Vec<RequestSpec>, &'a mut Vec<Folder>)> {
    let Some((first, rest)) = path.split_first() else {
        return Some((&mut c.requests, &mut c.folders));
    };
    let mut f = c.folders.get_mut(*first)?;
    for i in rest {
        f = f.folders.get_mut(*i)?;
    }
    Some((&mut f.requests, &mut f.folders))
}

/// A name not used among `taken`: `name`, `name 2`, `name 3`...
fn unique(name: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(name) {
        return name.to_string();
    }
    (2..)
        .map(|n| format!("{name} {n}"))
        .find(|c| !taken(c))
        .expect("some suffix is free")
}

impl Workspace {
    pub fn new(docs: Vec<Doc>) -> Self {
        let mut ws = Workspace {
            docs,
            ..Default::default()
        };
        ws.rebuild();
        ws
    }

    /// Recomputes the tree rows (after a change or a new filter).
    pub fn rebuild(&mut self) {
        let needle = self.filter.to_lowercase();
        let matches = |r: &RequestSpec| {
            needle.is_empty()
                || r.name.to_lowercase().contains(&needle)
                || r.url.to_lowercase().contains(&needle)
                || r.method.to_lowercase() == needle
        };
        #[allow(clippy::too_many_arguments)]
        fn folder(
            out: &mut Vec<Row>,
            f: &Folder,
            doc: usize,
            path: Vec<usize>,
            depth: usize,
            matches: &dyn Fn(&RequestSpec) -> bool,
            filtering: bool,
            collapsed: &std::collections::HashSet<Node>,
        ) {
            let at = out.len();
            let node = Node::Folder(doc, path.clone());
            let folded = !filtering && collapsed.contains(&node);
            out.push(Row {
                depth,
                node,
                label: f.name.clone(),
                method: None,
            });
            if folded {
                return;
            }
            let before = out.len();
            for (i, r) in f.requests.iter().enumerate() {
                if matches(r) {
                    out.push(request_row(r, doc, path.clone(), i, depth + 1));
                }
            }
            for (i, sub) in f.folders.iter().enumerate() {
                let mut p = path.clone();
                p.push(i);
                folder(out, sub, doc, p, depth + 1, matches, filtering, collapsed);
            }
            if filtering && out.len() == before {
                out.truncate(at);
            }
        }
        fn request_row(
            r: &RequestSpec,
            doc: usize,
            folders: Vec<usize>,
            index: usize,
            depth: usize,
        ) -> Row {
            Row {
                depth,
                node: Node::Request(ReqRef {
                    doc,
                    folders,
                    index,
                }),
                label: r.name.clone(),
                method: Some(r.method.clone()),
            }
        }
        let mut rows = Vec::new();
        for (d, doc) in self.docs.iter().enumerate() {
            let c = &doc.loaded.collection;
            rows.push(Row {
                depth: 0,
                node: Node::Collection(d),
                label: c.name.clone(),
                method: None,
            });
            if self.is_folded(&Node::Collection(d)) {
                continue;
            }
            for (i, r) in c.requests.iter().enumerate() {
                if matches(r) {
                    rows.push(request_row(r, d, Vec::new(), i, 1));
                }
            }
            for (i, f) in c.folders.iter().enumerate() {
                folder(
                    &mut rows,
                    f,
                    d,
                    vec![i],
                    1,
                    &matches,
                    !needle.is_empty(),
                    &self.collapsed,
                );
            }
        }
        self.rows = rows;
    }

    pub fn request(&self, r: &ReqRef) -> Option<&RequestSpec> {
        let c = &self.docs.get(r.doc)?.loaded.collection;
        match r.folders.is_empty() {
            true => c.requests.get(r.index),
            false => folder_at(c, &r.folders)?.requests.get(r.index),
        }
    }

    pub fn request_mut(&mut self, r: &ReqRef) -> Option<&mut RequestSpec> {
        let c = &mut self.docs.get_mut(r.doc)?.loaded.collection;
        container_mut(c, &r.folders)?.0.get_mut(r.index)
    }

    /// The collection and the request with the folders above it, as `prepare` wants them.
    pub fn located(&self, r: &ReqRef) -> Option<(&Collection, Located<'_>)> {
        let c = &self.docs.get(r.doc)?.loaded.collection;
        let mut folders = Vec::new();
        let mut level = &c.folders;
        for i in &r.folders {
            let f = level.get(*i)?;
            folders.push(f);
            level = &f.folders;
        }
        let request = match folders.last() {
            Some(f) => f.requests.get(r.index)?,
            None => c.requests.get(r.index)?,
        };
        Some((c, Located { folders, request }))
    }

    /// `folder/sub/name`: how history names a request.
    pub fn path_name(&self, r: &ReqRef) -> Option<String> {
        let (_, l) = self.located(r)?;
        let mut parts: Vec<&str> = l.folders.iter().map(|f| f.name.as_str()).collect();
        parts.push(&l.request.name);
        Some(parts.join("/"))
    }

    /// Whether the node's children are hidden (a filter shows every match, folded or not).
    pub fn is_folded(&self, node: &Node) -> bool {
        self.filter.is_empty() && self.collapsed.contains(node)
    }

    /// Folds or unfolds a collection or folder; `open` forces a side.
    pub fn fold(&mut self, node: &Node, open: Option<bool>) {
        if matches!(node, Node::Request(_)) {
            return;
        }
        let folded = self.collapsed.contains(node);
        match open.unwrap_or(folded) {
            true => self.collapsed.remove(node),
            false => self.collapsed.insert(node.clone()),
        };
        self.rebuild();
    }

    pub fn row_of(&self, node: &Node) -> Option<usize> {
        self.rows.iter().position(|r| &r.node == node)
    }

    fn touch(&mut self, doc: usize) {
        if let Some(d) = self.docs.get_mut(doc) {
            d.dirty = true;
        }
    }

    /// Adds a request in the node's folder; returns where it went.
    pub fn add_request(&mut self, at: &Node) -> Option<ReqRef> {
        let (doc, folders) = at.container();
        let (requests, _) =
            container_mut(&mut self.docs.get_mut(doc)?.loaded.collection, &folders)?;
        let name = unique("New request", |n| requests.iter().any(|r| r.name == n));
        requests.push(RequestSpec {
            name,
            description: None,
            method: "GET".into(),
            url: "https://".into(),
            query: Vec::new(),
            headers: Vec::new(),
            body: Default::default(),
            auth: Default::default(),
            variables: Default::default(),
        });
        let index = requests.len() - 1;
        self.touch(doc);
        self.rebuild();
        Some(ReqRef {
            doc,
            folders,
            index,
        })
    }

    pub fn add_folder(&mut self, at: &Node) -> Option<Node> {
        let (doc, path) = at.container();
        let (_, folders) = container_mut(&mut self.docs.get_mut(doc)?.loaded.collection, &path)?;
        let name = unique("New folder", |n| folders.iter().any(|f| f.name == n));
        folders.push(Folder {
            name,
            description: None,
            auth: Default::default(),
            headers: Vec::new(),
            variables: Default::default(),
            folders: Vec::new(),
            requests: Vec::new(),
        });
        let mut p = path;
        p.push(folders.len() - 1);
        self.touch(doc);
        self.rebuild();
        Some(Node::Folder(doc, p))
    }

    pub fn name_of(&self, node: &Node) -> Option<String> {
        Some(match node {
            Node::Collection(d) => self.docs.get(*d)?.loaded.collection.name.clone(),
            Node::Folder(d, p) => folder_at(&self.docs.get(*d)?.loaded.collection, p)?
                .name
                .clone(),
            Node::Request(r) => self.request(r)?.name.clone(),
        })
    }

    pub fn rename(&mut self, node: &Node, name: &str) -> Result<(), String> {
        let name = name.trim();
        if name.is_empty() {
            return Err("a name cannot be empty".into());
        }
        let doc = node.doc();
        let c = &mut self.docs.get_mut(doc).ok_or("gone")?.loaded.collection;
        match node {
            Node::Collection(_) => c.name = name.to_string(),
            Node::Folder(_, p) => {
                let (parent, last) = p.split_at(p.len() - 1);
                let (_, folders) = container_mut(c, parent).ok_or("gone")?;
                if folders
                    .iter()
                    .enumerate()
                    .any(|(i, f)| f.name == name && i != last[0])
                {
                    return Err(format!("a folder named '{name}' is already there"));
                }
                folders[last[0]].name = name.to_string();
            }
            Node::Request(r) => {
                let (requests, _) = container_mut(c, &r.folders).ok_or("gone")?;
                if requests
                    .iter()
                    .enumerate()
                    .any(|(i, q)| q.name == name && i != r.index)
                {
                    return Err(format!("a request named '{name}' is already there"));
                }
                requests.get_mut(r.index).ok_or("gone")?.name = name.to_string();
            }
        }
        self.touch(doc);
        self.rebuild();
        Ok(())
    }

    pub fn duplicate(&mut self, r: &ReqRef) -> Option<ReqRef> {
        let (requests, _) =
            container_mut(&mut self.docs.get_mut(r.doc)?.loaded.collection, &r.folders)?;
        let mut copy = requests.get(r.index)?.clone();
        copy.name = unique(&format!("{} copy", copy.name), |n| {
            requests.iter().any(|q| q.name == n)
        });
        requests.insert(r.index + 1, copy);
        self.touch(r.doc);
        self.rebuild();
        Some(ReqRef {
            index: r.index + 1,
            ..r.clone()
        })
    }

    /// Deletes a request or a folder (with its contents). Collections are files: not here.
    pub fn delete(&mut self, node: &Node) -> Result<(), String> {
        let doc = node.doc();
        let c = &mut self.docs.get_mut(doc).ok_or("gone")?.loaded.collection;
        match node {
            Node::Collection(_) => {
                return Err("a collection is a file: delete it from the collections folder".into())
            }
            Node::Folder(_, p) => {
                let (parent, last) = p.split_at(p.len() - 1);
                let (_, folders) = container_mut(c, parent).ok_or("gone")?;
                folders.remove(last[0]);
            }
            Node::Request(r) => {
                let (requests, _) = container_mut(c, &r.folders).ok_or("gone")?;
                requests.remove(r.index);
            }
        }
        self.touch(doc);
        self.rebuild();
        Ok(())
    }

    /// Every folder a request could move to: (doc, path, label).
    pub fn destinations(&self) -> Vec<(usize, Vec<usize>, String)> {
        fn walk(
            out: &mut Vec<(usize, Vec<usize>, String)>,
            d: usize,
            fs: &[Folder],
            path: Vec<usize>,
            prefix: &str,
        ) {
            for (i, f) in fs.iter().enumerate() {
                let mut p = path.clone();
                p.push(i);
                let label = format!("{prefix}/{}", f.name);
                out.push((d, p.clone(), label.clone()));
                walk(out, d, &f.folders, p, &label);
            }
        }
        let mut out = Vec::new();
        for (d, doc) in self.docs.iter().enumerate() {
            let name = &doc.loaded.collection.name;
            out.push((d, Vec::new(), name.clone()));
            walk(
                &mut out,
                d,
                &doc.loaded.collection.folders,
                Vec::new(),
                name,
            );
        }
        out
    }

    /// Moves a request to the end of another folder (or collection).
    pub fn move_request(&mut self, r: &ReqRef, doc: usize, folders: &[usize]) -> Option<ReqRef> {
        if doc == r.doc && folders == r.folders.as_slice() {
            return Some(r.clone());
        }
        let (requests, _) =
            container_mut(&mut self.docs.get_mut(r.doc)?.loaded.collection, &r.folders)?;
        let spec = requests.remove(r.index);
        let Some((target, _)) = self
            .docs
            .get_mut(doc)
            .and_then(|d| container_mut(&mut d.loaded.collection, folders))
        else {
            // Put it back: nothing is lost on a bad destination.
            let (requests, _) =
                container_mut(&mut self.docs.get_mut(r.doc)?.loaded.collection, &r.folders)?;
            requests.insert(r.index, spec);
            return None;
        };
        let mut spec = spec;
        spec.name = unique(&spec.name, |n| target.iter().any(|q| q.name == n));
        target.push(spec);
        let index = target.len() - 1;
        self.touch(r.doc);
        self.touch(doc);
        self.rebuild();
        Some(ReqRef {
            doc,
            folders: folders.to_vec(),
            index,
        })
    }
}

/// Where a variable is defined; `Workspace::variables` lists them from the highest
/// precedence down (as `model::scope` applies them, with the run's overrides above the
/// environment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VarLevel {
    Request,
    /// The folder at this index path.
    Folder(Vec<usize>),
    /// Set for this run only (the demo's gateway address): shown, never saved or edited.
    Override,
    Environment(String),
    Collection,
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

/// `{{name}}` may hold letters, digits, `_`, `-` and `.` (no `$`: that starts a built-in).
pub fn valid_variable_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

impl Workspace {
    /// The variables a request sees, highest precedence first, shadowed ones marked.
    pub fn variables(
        &self,
        r: &ReqRef,
        env: Option<&str>,
        overrides: &std::collections::BTreeMap<String, String>,
    ) -> Vec<VarRow> {
        let Some((c, located)) = self.located(r) else {
            return Vec::new();
        };
        let mut levels: Vec<(
            VarLevel,
            String,
            &std::collections::BTreeMap<String, String>,
        )> = vec![(
            VarLevel::Request,
            "request".into(),
            &located.request.variables,
        )];
        for (depth, f) in located.folders.iter().enumerate().rev() {
            levels.push((
                VarLevel::Folder(r.folders[..=depth].to_vec()),
                format!("folder {}", f.name),
                &f.variables,
            ));
        }
        levels.push((VarLevel::Override, "this run (not saved)".into(), overrides));
        if let Some((name, e)) = env.and_then(|n| c.environments.get_key_value(n)) {
            levels.push((
                VarLevel::Environment(name.clone()),
                format!("env {name}"),
                &e.variables,
            ));
        }
        levels.push((VarLevel::Collection, "collection".into(), &c.variables));
        let mut seen = std::collections::HashSet::new();
        let mut rows = Vec::new();
        for (level, source, vars) in levels {
            for (name, value) in vars {
                rows.push(VarRow {
                    level: level.clone(),
                    source: source.clone(),
                    name: name.clone(),
                    value: value.clone(),
                    shadowed: !seen.insert(name.clone()),
                });
            }
        }
        rows
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
                if !valid_variable_name(name) {
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
