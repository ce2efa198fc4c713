//! The collection format: one JSON file, diff-friendly (fields in a fixed order, maps sorted),
//! unable to carry a secret. `collections/sigscope.schema.json` describes it for editors.

pub use super::network::{Network, Preflight};
use crate::sign::PayloadMode;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const SCHEMA_REF: &str = "./sigscope.schema.json";

fn is_empty_map(m: &BTreeMap<String, String>) -> bool {
    m.is_empty()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Collection {
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    pub version: u32,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub variables: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub environments: BTreeMap<String, Environment>,
    #[serde(default, skip_serializing_if = "Auth::is_inherit")]
    pub auth: Auth,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<NameValue>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub folders: Vec<Folder>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requests: Vec<RequestSpec>,
    /// Certificates, proxy, timeouts for every request (`model::network`); boxed, as
    /// most collections have none.
    #[serde(default, skip_serializing_if = "Network::is_empty")]
    pub network: Box<Network>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Environment {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub variables: BTreeMap<String, String>,
    /// Overrides the collection's network settings (a VPN's proxy, a staging CA).
    #[serde(default, skip_serializing_if = "Network::is_empty")]
    pub network: Box<Network>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Folder {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Auth::is_inherit")]
    pub auth: Auth,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<NameValue>,
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub variables: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub folders: Vec<Folder>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requests: Vec<RequestSpec>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NameValue {
    pub name: String,
    pub value: String,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}
fn is_true(b: &bool) -> bool {
    *b
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestSpec {
    /// Stable across renames and moves: history is filed under it. Assigned when missing
    /// (`Collection::assign_ids`) and written with the next save.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub method: String,
    pub url: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub query: Vec<NameValue>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<NameValue>,
    #[serde(default, skip_serializing_if = "Body::is_none")]
    pub body: Body,
    #[serde(default, skip_serializing_if = "Auth::is_inherit")]
    pub auth: Auth,
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub variables: BTreeMap<String, String>,
    /// Overrides the environment's and collection's network settings.
    #[serde(default, skip_serializing_if = "Network::is_empty")]
    pub network: Box<Network>,
    /// Sent as a browser's CORS preflight of this request instead (OPTIONS, never signed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preflight: Option<Preflight>,
    /// Values taken from the response into variables (`checks`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub captures: Vec<super::checks::Capture>,
    /// What the response must be for the request to pass (`checks`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assertions: Vec<super::checks::Assertion>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Body {
    #[default]
    None,
    Json {
        content: serde_json::Value,
    },
    Text {
        content: String,
    },
    FormUrlencoded {
        fields: Vec<NameValue>,
    },
    /// A file read at send time, relative to the collection file.
    File {
        path: String,
    },
}

impl Body {
    fn is_none(&self) -> bool {
        matches!(self, Body::None)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignatureIn {
    #[default]
    Headers,
    Query,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Auth {
    #[default]
    Inherit,
    None,
    #[serde(rename_all = "camelCase")]
    AwsSigv4 {
        /// Profile in ~/.aws; default: the environment's profile, then the AWS CLI chain.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        profile: Option<String>,
        /// A region, or absent / "auto" to infer from the host.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        region: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        service: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        payload: Option<PayloadMode>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        location: Option<SignatureIn>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        expires_seconds: Option<u64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        normalize_path: Option<bool>,
        /// Sign as if the clock were this many seconds off (to show clock skew).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        clock_offset_seconds: Option<i64>,
        /// Headers on the unsignable list (`Connection`, `Cache-Control`, `proxy-*`...) that
        /// this request signs all the same.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        sign_headers: Vec<String>,
    },
    /// The token must be a variable reference such as `{{$env.API_TOKEN}}`.
    Bearer {
        token: String,
    },
    /// The password must be a variable reference.
    Basic {
        username: String,
        password: String,
    },
}

impl Auth {
    pub fn is_inherit(&self) -> bool {
        matches!(self, Auth::Inherit)
    }
}

impl Folder {
    /// A folder with a name and nothing else (auth inherited).
    pub fn empty(name: &str) -> Folder {
        Folder {
            name: name.into(),
            description: None,
            auth: Auth::default(),
            headers: Vec::new(),
            variables: BTreeMap::new(),
            folders: Vec::new(),
            requests: Vec::new(),
        }
    }
}

impl Collection {
    /// The smallest valid collection: a name, the format version, the schema reference (what
    /// a new collection file holds).
    pub fn empty(name: &str) -> Collection {
        Collection {
            schema: Some(SCHEMA_REF.into()),
            version: 1,
            name: name.to_string(),
            description: None,
            variables: BTreeMap::new(),
            environments: BTreeMap::new(),
            auth: Auth::Inherit,
            headers: Vec::new(),
            folders: Vec::new(),
            requests: Vec::new(),
            network: Default::default(),
        }
    }
}

/// A new request id: 16 hex digits, random.
pub fn new_request_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..16].to_string()
}

/// The id a request without one gets: derived from its collection's name and its path, so
/// that every program reading the same file (the workbench, `sigscope run`) files its
/// history under the same id until the workbench saves it (a file is read as it is: only the
/// workbench writes ids, with a save).
pub fn derived_request_id(collection: &str, path: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new()
        .chain_update(collection)
        .chain_update("\n")
        .chain_update(path)
        .finalize();
    // 16 hex digits: the first 8 bytes.
    hex::encode(&digest[..8])
}

impl Collection {
    /// Gives every request an id: a missing one derived from where it is, a repeated one (a
    /// request copied by hand) a new one. Returns whether any changed.
    pub fn assign_ids(&mut self) -> bool {
        /// `path` is the folder path so far (`a/b`); each name is pushed on and cut off again,
        /// so the walk allocates for the ids alone.
        fn walk(
            reqs: &mut [RequestSpec],
            folders: &mut [Folder],
            path: &mut String,
            collection: &str,
            seen: &mut std::collections::HashSet<String>,
            changed: &mut bool,
        ) {
            let len = path.len();
            let enter = |path: &mut String, name: &str| {
                if len > 0 {
                    path.push('/');
                }
                path.push_str(name);
            };
            for r in reqs.iter_mut() {
                let kept = r.id.as_deref().filter(|id| !id.trim().is_empty());
                let id = match kept {
                    Some(id) if !seen.contains(id) => {
                        seen.insert(id.to_string());
                        continue;
                    }
                    Some(_) => new_request_id(),
                    None => {
                        enter(path, &r.name);
                        let id = derived_request_id(collection, path);
                        path.truncate(len);
                        if seen.contains(&id) {
                            new_request_id()
                        } else {
                            id
                        }
                    }
                };
                if r.id.as_ref() != Some(&id) {
                    r.id = Some(id.clone());
                    *changed = true;
                }
                seen.insert(id);
            }
            for f in folders.iter_mut() {
                enter(path, &f.name);
                walk(
                    &mut f.requests,
                    &mut f.folders,
                    path,
                    collection,
                    seen,
                    changed,
                );
                path.truncate(len);
            }
        }
        let mut seen = std::collections::HashSet::new();
        let mut changed = false;
        let name = self.name.clone();
        walk(
            &mut self.requests,
            &mut self.folders,
            &mut String::new(),
            &name,
            &mut seen,
            &mut changed,
        );
        changed
    }
}

/// Where a request sits: the folders above it, outermost first.
pub struct Located<'a> {
    pub folders: Vec<&'a Folder>,
    pub request: &'a RequestSpec,
}

impl Collection {
    /// Every request with its folder path, in file order.
    pub fn walk(&self) -> Vec<Located<'_>> {
        fn go<'a>(folders: &[&'a Folder], f: &'a Folder, out: &mut Vec<Located<'a>>) {
            let mut path = folders.to_vec();
            path.push(f);
            for r in &f.requests {
                out.push(Located {
                    folders: path.clone(),
                    request: r,
                });
            }
            for sub in &f.folders {
                go(&path, sub, out);
            }
        }
        let mut out: Vec<Located<'_>> = self
            .requests
            .iter()
            .map(|r| Located {
                folders: Vec::new(),
                request: r,
            })
            .collect();
        for f in &self.folders {
            go(&[], f, &mut out);
        }
        out
    }

    /// A request by name, or `folder/name`.
    pub fn find(&self, name: &str) -> Option<Located<'_>> {
        self.walk().into_iter().find(|l| {
            l.request.name == name || {
                let mut p: Vec<&str> = l.folders.iter().map(|f| f.name.as_str()).collect();
                p.push(&l.request.name);
                p.join("/") == name
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(name: &str, id: Option<&str>) -> RequestSpec {
        RequestSpec {
            id: id.map(str::to_string),
            name: name.into(),
            description: None,
            method: "GET".into(),
            url: "https://x/".into(),
            query: Vec::new(),
            headers: Vec::new(),
            body: Body::None,
            auth: Auth::Inherit,
            variables: BTreeMap::new(),
            captures: Vec::new(),
            assertions: Vec::new(),
            network: Default::default(),
            preflight: None,
        }
    }

    fn folder(name: &str, requests: Vec<RequestSpec>, folders: Vec<Folder>) -> Folder {
        Folder {
            name: name.into(),
            description: None,
            auth: Auth::Inherit,
            headers: Vec::new(),
            variables: BTreeMap::new(),
            folders,
            requests,
        }
    }

    #[test]
    fn a_derived_id_is_the_sha256_of_collection_and_path() {
        // `printf 'c\nf/sub/r' | sha256sum`: the ids files already carry stay valid.
        assert_eq!(derived_request_id("c", "f/sub/r"), "3f66accbb2aa6329");
    }

    #[test]
    fn ids_are_derived_from_the_path_kept_or_renewed_when_repeated() {
        let mut c = Collection::empty("c");
        c.requests = vec![request("top", None), request("kept", Some("k1"))];
        c.folders = vec![folder(
            "f",
            vec![request("copy", Some("k1")), request("blank", Some(" "))],
            vec![folder("sub", vec![request("r", None)], Vec::new())],
        )];
        assert!(c.assign_ids());
        let id = |r: &RequestSpec| r.id.clone().unwrap();
        assert_eq!(id(&c.requests[0]), derived_request_id("c", "top"));
        assert_eq!(id(&c.requests[1]), "k1");
        let f = &c.folders[0];
        let copy = id(&f.requests[0]);
        assert!(copy != "k1" && copy.len() == 16, "{copy}");
        assert_eq!(id(&f.requests[1]), derived_request_id("c", "f/blank"));
        assert_eq!(id(&f.folders[0].requests[0]), "3f66accbb2aa6329");
        // Every id in place: nothing changes the second time.
        let before = c.clone();
        assert!(!c.assign_ids());
        assert_eq!(c, before);
    }
}
