//! Tree edits: add, rename, duplicate, delete and move requests and folders. Each marks its
//! collection changed and rebuilds the rows.

use super::{container_mut, folder_at, Node, ReqRef, Workspace};
use crate::model::{Folder, RequestSpec};

/// A name not used among `taken`: `name`, `name 2`, `name 3`...
pub(super) fn unique(name: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(name) {
        return name.to_string();
    }
    (2..)
        .map(|n| format!("{name} {n}"))
        .find(|c| !taken(c))
        .expect("some suffix is free")
}

impl Workspace {
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
            id: Some(crate::model::collection::new_request_id()),
            name,
            description: None,
            method: "GET".into(),
            url: "https://".into(),
            query: Vec::new(),
            headers: Vec::new(),
            body: Default::default(),
            auth: Default::default(),
            variables: Default::default(),
            network: Default::default(),
            preflight: None,
            captures: Vec::new(),
            assertions: Vec::new(),
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
        folders.push(Folder::empty(&name));
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
        // A copy is another request: its own history.
        copy.id = Some(crate::model::collection::new_request_id());
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

    /// Opens another collection; returns its index.
    pub fn add_doc(&mut self, mut doc: super::Doc) -> usize {
        doc.loaded.collection.assign_ids();
        self.docs.push(doc);
        self.rebuild();
        self.docs.len() - 1
    }

    /// Closes a collection: the ones after it move up (their folds follow them).
    pub fn remove_doc(&mut self, doc: usize) -> Option<super::Doc> {
        if doc >= self.docs.len() {
            return None;
        }
        let removed = self.docs.remove(doc);
        let shift = |d: usize| if d > doc { d - 1 } else { d };
        self.collapsed = std::mem::take(&mut self.collapsed)
            .into_iter()
            .filter(|n| n.doc() != doc)
            .map(|n| match n {
                Node::Collection(d) => Node::Collection(shift(d)),
                Node::Folder(d, p) => Node::Folder(shift(d), p),
                Node::Request(r) => Node::Request(ReqRef {
                    doc: shift(r.doc),
                    ..r
                }),
            })
            .collect();
        self.rebuild();
        Some(removed)
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
