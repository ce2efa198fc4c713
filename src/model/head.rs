//! The head of a big collection file: everything in it but the requests past a budget, which
//! are counted and skipped (checked for JSON syntax, not parsed into requests). The workbench
//! draws its first screen from a head while the whole file is parsed on another thread
//! (`cli::first_screen`); a head is never saved, checked for secrets or used to send.
//!
//! Requests are kept in file order until the budget runs out; each container (the collection
//! or a folder) says how many of its requests were skipped, so the caller knows which tree
//! rows a head lacks. Anything unexpected (a syntax error, an unknown key, another format
//! version) gives no head at all: the full load says what is wrong, the head stays silent.

use super::collection::{Collection, Folder, RequestSpec};
#[cfg(test)]
use super::store;
use super::store::{Loaded, FORMAT_VERSION};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;
use std::path::Path;

/// A collection with some requests left out (`skipped`).
#[derive(Debug)]
pub struct Head {
    /// Its fingerprint is zero: a head is never saved.
    pub loaded: Loaded,
    /// Per container (folder index path, empty for the collection's own requests): how many
    /// of its requests, after those kept, were skipped.
    pub skipped: Skipped,
}

/// (folder index path, requests skipped there), in the order the file lists them.
pub type Skipped = Vec<(Vec<usize>, usize)>;

impl Head {
    pub fn skipped_total(&self) -> usize {
        self.skipped.iter().map(|(_, n)| n).sum()
    }
}

/// The head of the collection file at `path`, read as `bytes`, keeping at most `budget`
/// requests.
pub fn from_bytes(path: &Path, bytes: &[u8], budget: usize) -> Option<Head> {
    let (collection, skipped) = parse(bytes, budget)?;
    Some(Head {
        loaded: Loaded {
            path: path.to_path_buf(),
            collection,
            fingerprint: [0; 32],
        },
        skipped,
    })
}

/// The head of collection text: `None` for anything the full parse would not take as it is.
/// The strings it keeps are checked for UTF-8; those it skips are left to the full load.
pub fn parse(text: &[u8], budget: usize) -> Option<(Collection, Skipped)> {
    let mut walk = Walk {
        budget,
        at: Vec::new(),
        skipped: Vec::new(),
    };
    let mut de = serde_json::Deserializer::from_slice(text);
    let collection = (&mut de)
        .deserialize_map(CollectionVisitor(&mut walk))
        .ok()?;
    de.end().ok()?;
    (collection.version == FORMAT_VERSION).then_some((collection, walk.skipped))
}

/// Where the parse is: the requests it may still keep, the folder it is in.
struct Walk {
    budget: usize,
    at: Vec<usize>,
    skipped: Skipped,
}

/// A key this parse does not know: no head (the full load names it).
fn unknown<E: de::Error>(key: &str) -> E {
    E::custom(format_args!("unknown field `{key}`"))
}

struct CollectionVisitor<'w>(&'w mut Walk);

impl<'de> Visitor<'de> for CollectionVisitor<'_> {
    type Value = Collection;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a collection object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Collection, A::Error> {
        let walk = self.0;
        let (mut schema, mut version, mut name, mut description) = (None, None, None, None);
        // Every field set from the file below; the rest stay as a missing key leaves them.
        let mut c = Collection::empty("");
        while let Some(key) = map.next_key::<std::borrow::Cow<str>>()? {
            match key.as_ref() {
                "$schema" => schema = map.next_value()?,
                "version" => version = Some(map.next_value()?),
                "name" => name = Some(map.next_value()?),
                "description" => description = map.next_value()?,
                "variables" => c.variables = map.next_value()?,
                "environments" => c.environments = map.next_value()?,
                "auth" => c.auth = map.next_value()?,
                "headers" => c.headers = map.next_value()?,
                "network" => c.network = map.next_value()?,
                "folders" => c.folders = map.next_value_seed(Folders(walk))?,
                "requests" => c.requests = map.next_value_seed(Requests(walk))?,
                other => return Err(unknown(other)),
            }
        }
        c.schema = schema;
        c.version = version.ok_or_else(|| de::Error::missing_field("version"))?;
        c.name = name.ok_or_else(|| de::Error::missing_field("name"))?;
        c.description = description;
        Ok(c)
    }
}

struct FolderVisitor<'w>(&'w mut Walk);

impl<'de> Visitor<'de> for FolderVisitor<'_> {
    type Value = Folder;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a folder object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Folder, A::Error> {
        let walk = self.0;
        let mut name = None;
        // Every field set from the file below; the rest stay as a missing key leaves them.
        let mut f = Folder::empty("");
        while let Some(key) = map.next_key::<std::borrow::Cow<str>>()? {
            match key.as_ref() {
                "name" => name = Some(map.next_value()?),
                "description" => f.description = map.next_value()?,
                "auth" => f.auth = map.next_value()?,
                "headers" => f.headers = map.next_value()?,
                "variables" => f.variables = map.next_value()?,
                "folders" => f.folders = map.next_value_seed(Folders(walk))?,
                "requests" => f.requests = map.next_value_seed(Requests(walk))?,
                other => return Err(unknown(other)),
            }
        }
        f.name = name.ok_or_else(|| de::Error::missing_field("name"))?;
        Ok(f)
    }
}

/// A `folders` array: each folder parsed with its index on the walk's path.
struct Folders<'w>(&'w mut Walk);

impl<'de> DeserializeSeed<'de> for Folders<'_> {
    type Value = Vec<Folder>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<Folder>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Folders<'_> {
    type Value = Vec<Folder>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of folders")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Folder>, A::Error> {
        let walk = self.0;
        let mut out = Vec::new();
        loop {
            walk.at.push(out.len());
            let next = seq.next_element_seed(Folder1(walk));
            walk.at.pop();
            match next? {
                Some(f) => out.push(f),
                None => return Ok(out),
            }
        }
    }
}

struct Folder1<'w>(&'w mut Walk);

impl<'de> DeserializeSeed<'de> for Folder1<'_> {
    type Value = Folder;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Folder, D::Error> {
        d.deserialize_map(FolderVisitor(self.0))
    }
}

/// A `requests` array: parsed while the budget lasts, then counted.
struct Requests<'w>(&'w mut Walk);

impl<'de> DeserializeSeed<'de> for Requests<'_> {
    type Value = Vec<RequestSpec>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<RequestSpec>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Requests<'_> {
    type Value = Vec<RequestSpec>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of requests")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<RequestSpec>, A::Error> {
        let walk = self.0;
        let mut kept = Vec::new();
        while walk.budget > 0 {
            match seq.next_element::<RequestSpec>()? {
                Some(r) => kept.push(r),
                None => return Ok(kept),
            }
            walk.budget -= 1;
        }
        let mut skipped = 0;
        while seq.next_element::<IgnoredAny>()?.is_some() {
            skipped += 1;
        }
        if skipped > 0 {
            walk.skipped.push((walk.at.clone(), skipped));
        }
        Ok(kept)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collection() -> String {
        serde_json::json!({
            "version": 1,
            "name": "Big",
            "variables": {"v": "1"},
            "folders": [
                {"name": "a", "requests": [
                    {"name": "a0", "method": "GET", "url": "http://x/a0"},
                    {"name": "a1", "method": "GET", "url": "http://x/a1"}
                ], "folders": [
                    {"name": "inner", "requests": [
                        {"name": "i0", "method": "PUT", "url": "http://x/i0"}
                    ]}
                ]},
                {"name": "b", "requests": [
                    {"name": "b0", "method": "GET", "url": "http://x/b0"},
                    {"name": "b1", "method": "GET", "url": "http://x/b1"}
                ]}
            ],
            "requests": [{"name": "top", "method": "GET", "url": "http://x/top"}],
            "auth": {"type": "aws-sigv4", "service": "execute-api", "region": "eu-west-1"}
        })
        .to_string()
    }

    #[test]
    fn a_budget_that_covers_everything_gives_the_full_parse() {
        let text = collection();
        let (head, skipped) = parse(text.as_bytes(), 100).unwrap();
        assert_eq!(head, store::parse("t", &text).unwrap());
        assert!(skipped.is_empty());
    }

    #[test]
    fn past_the_budget_requests_are_counted_per_folder_and_every_other_key_is_kept() {
        let text = collection();
        let (head, skipped) = parse(text.as_bytes(), 2).unwrap();
        let full = store::parse("t", &text).unwrap();
        // Kept in file order: a0, a1; then inner's i0, b's two and the root's one skipped.
        let names = |f: &Folder| {
            f.requests
                .iter()
                .map(|r| r.name.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&head.folders[0]), ["a0", "a1"]);
        assert!(head.folders[0].folders[0].requests.is_empty());
        assert!(head.folders[1].requests.is_empty());
        assert!(head.requests.is_empty());
        assert_eq!(skipped, vec![(vec![0, 0], 1), (vec![1], 2), (vec![], 1)]);
        // The folders, names and the keys after the requests are all there.
        assert_eq!(head.folders[0].folders[0].name, "inner");
        assert_eq!(head.auth, full.auth);
        assert_eq!(head.variables, full.variables);
    }

    #[test]
    fn what_the_full_load_would_refuse_gives_no_head() {
        for bad in [
            r#"{"version": 1, "name": "x", "extra": 1}"#,
            r#"{"version": 2, "name": "x"}"#,
            r#"{"name": "x"}"#,
            r#"{"version": 1, "name": "x", "folders": [{"name": "f", "requests": [1, ]}]}"#,
            r#"{"version": 1, "name": "x"} trailing"#,
            r#"{"version": 1, "name": "x", "requests": [{"name": "r"}]}"#,
        ] {
            assert!(parse(bad.as_bytes(), 10).is_none(), "{bad}");
        }
        // Text the head keeps must be UTF-8, as for the full load.
        assert!(parse(b"{\"version\": 1, \"name\": \"\xff\"}", 10).is_none());
        // A request past the budget is only checked for syntax: the full load judges it.
        let loose = r#"{"version": 1, "name": "x", "requests": [{"odd": true}]}"#;
        assert_eq!(parse(loose.as_bytes(), 0).unwrap().1, vec![(vec![], 1)]);
    }
}
