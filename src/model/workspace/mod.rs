//! The open collections as the workbench holds them: one `Doc` per file (with its unsaved
//! mark and environment), the rows of the tree (filtered, folded) and lookups. Requests are
//! addressed by position, so names may repeat or contain '/'. Tree edits are in `edit`, the
//! variables a request sees in `vars`; nothing here knows about a screen.

mod edit;
mod settings;
mod vars;

pub use settings::{Inherited, Subject};
pub use vars::{VarLevel, VarRow};

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
    /// Requests counted but not parsed yet: a first screen drawn from the head of a big file
    /// (`model::head`) counts them in the title. Zero once the whole file is loaded.
    pub unloaded: usize,
}

pub(super) fn folder_at<'a>(c: &'a Collection, path: &[usize]) -> Option<&'a Folder> {
    let (first, rest) = path.split_first()?;
    let mut f = c.folders.get(*first)?;
    for i in rest {
        f = f.folders.get(*i)?;
    }
    Some(f)
}

/// The requests and sub-folders of a container (the root when `path` is empty).
pub(super) fn container_mut<'a>(
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

impl Workspace {
    pub fn new(mut docs: Vec<Doc>) -> Self {
        // Every request has an id from here on (history is filed under it).
        for d in &mut docs {
            d.loaded.collection.assign_ids();
        }
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

    /// Whether `path_name(r)` is `name`, without spelling it (asked of every row to find one).
    pub fn path_is(&self, r: &ReqRef, name: &str) -> bool {
        let Some((_, l)) = self.located(r) else {
            return false;
        };
        let mut rest = name;
        for f in &l.folders {
            match rest
                .strip_prefix(f.name.as_str())
                .and_then(|r| r.strip_prefix('/'))
            {
                Some(r) => rest = r,
                None => return false,
            }
        }
        rest == l.request.name
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

    /// Every request of every open collection, folded or filtered out or not.
    pub fn request_count(&self) -> usize {
        fn count(f: &Folder) -> usize {
            f.requests.len() + f.folders.iter().map(count).sum::<usize>()
        }
        (self.docs.iter())
            .map(|d| {
                let c = &d.loaded.collection;
                c.requests.len() + c.folders.iter().map(count).sum::<usize>()
            })
            .sum::<usize>()
            + self.unloaded
    }

    /// The first row that requests left out of a head would take, given each container
    /// (collection index, folder index path) that lacks some: its requests come right after
    /// its own row, before its folders. `None` when no such row is in the tree (folded).
    pub fn first_unloaded_row(&self, lacking: &[(usize, Vec<usize>)]) -> Option<usize> {
        (lacking.iter())
            .filter_map(|(doc, path)| {
                let c = &self.docs.get(*doc)?.loaded.collection;
                let (node, kept) = match path.is_empty() {
                    true => (Node::Collection(*doc), c.requests.len()),
                    false => (
                        Node::Folder(*doc, path.clone()),
                        folder_at(c, path)?.requests.len(),
                    ),
                };
                if self.collapsed.contains(&node) {
                    return None;
                }
                Some(self.row_of(&node)? + 1 + kept)
            })
            .min()
    }

    pub fn row_of(&self, node: &Node) -> Option<usize> {
        self.rows.iter().position(|r| &r.node == node)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_is_agrees_with_path_name_even_with_slashes_in_names() {
        let text = r#"{"version": 1, "name": "c", "requests": [{"name": "a/b/c", "method": "GET", "url": "https://x/"}],
            "folders": [{"name": "a", "requests": [{"name": "b/c", "method": "GET", "url": "https://x/"}],
                "folders": [{"name": "b", "requests": [{"name": "c", "method": "GET", "url": "https://x/"}]}]},
              {"name": "a/b", "requests": [{"name": "c", "method": "GET", "url": "https://x/"}]}]}"#;
        let collection = crate::model::store::parse("c.json", text).unwrap();
        let loaded = Loaded {
            path: "c.json".into(),
            collection,
            fingerprint: [0; 32],
        };
        let ws = Workspace::new(vec![Doc {
            loaded,
            persistent: false,
            dirty: false,
            env: None,
        }]);
        let requests: Vec<&ReqRef> = (ws.rows.iter())
            .filter_map(|r| match &r.node {
                Node::Request(q) => Some(q),
                _ => None,
            })
            .collect();
        assert_eq!(requests.len(), 4);
        for r in &requests {
            for name in ["a/b/c", "a/b", "c", "b/c", "a/b/c/", "", "a//b/c"] {
                let spelled = ws.path_name(r).unwrap();
                assert_eq!(ws.path_is(r, name), spelled == name, "{spelled} vs {name}");
            }
        }
    }
}
