//! One pass over a collection file's text that builds no tree: is any key given twice, and
//! would the secret refusal find anything? The loader's fast path (`store::parse_checked`)
//! deserializes a clean file straight into a `Collection`; any other file goes the long way
//! (a tree, then the checks), which says exactly what is wrong and where.

use super::secrets::{self, Node};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

/// True when the text is JSON with no key given twice in an object and nothing that
/// `secrets::refuse_secrets` refuses. False for anything else, invalid JSON included.
pub fn is_clean(text: &str) -> bool {
    let mut de = serde_json::Deserializer::from_str(text);
    Scan.deserialize(&mut de).is_ok() && de.end().is_ok()
}

/// What a node leaves for its parent's check: a string's text, or the object members that
/// `secrets::check` reads.
enum Summary<'de> {
    Text(Cow<'de, str>),
    Object(Members<'de>),
    Other,
}

#[derive(Default)]
struct Members<'de> {
    name: Option<Cow<'de, str>>,
    value: Option<Cow<'de, str>>,
    kind: Option<Cow<'de, str>>,
    token: Option<Cow<'de, str>>,
    password: Option<Cow<'de, str>>,
}

impl Node for Summary<'_> {
    fn text(&self) -> Option<&str> {
        match self {
            Summary::Text(t) => Some(t),
            _ => None,
        }
    }

    fn field(&self, name: &str) -> Option<&str> {
        let Summary::Object(m) = self else {
            return None;
        };
        match name {
            "name" => m.name.as_deref(),
            "value" => m.value.as_deref(),
            "type" => m.kind.as_deref(),
            "token" => m.token.as_deref(),
            "password" => m.password.as_deref(),
            _ => None,
        }
    }
}

/// Why the scan stopped: the text is not clean (the long way says how).
fn stop<E: de::Error>(why: &str) -> E {
    E::custom(why)
}

#[derive(Clone, Copy)]
struct Scan;

impl<'de> DeserializeSeed<'de> for Scan {
    type Value = Summary<'de>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Summary<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Scan {
    type Value = Summary<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Summary<'de>, E> {
        Ok(Summary::Other)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Summary<'de>, E> {
        Ok(Summary::Other)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Summary<'de>, E> {
        Ok(Summary::Other)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Summary<'de>, E> {
        Ok(Summary::Other)
    }
    fn visit_unit<E>(self) -> Result<Summary<'de>, E> {
        Ok(Summary::Other)
    }
    fn visit_none<E>(self) -> Result<Summary<'de>, E> {
        Ok(Summary::Other)
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Summary<'de>, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Summary<'de>, E> {
        Ok(Summary::Text(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Summary<'de>, E> {
        Ok(Summary::Text(Cow::Owned(v.to_string())))
    }
    fn visit_string<E>(self, v: String) -> Result<Summary<'de>, E> {
        Ok(Summary::Text(Cow::Owned(v)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Summary<'de>, A::Error> {
        while let Some(item) = seq.next_element_seed(Scan)? {
            if secrets::check(None, &item).is_some() {
                return Err(stop("a secret"));
            }
        }
        Ok(Summary::Other)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Summary<'de>, A::Error> {
        let mut members = Members::default();
        let mut keys = Keys::default();
        while let Some(key) = access.next_key_seed(Key)? {
            let child = access.next_value_seed(Scan)?;
            if secrets::check(Some(key.as_ref()), &child).is_some() {
                return Err(stop("a secret"));
            }
            if let Summary::Text(text) = child {
                let slot = match key.as_ref() {
                    "name" => Some(&mut members.name),
                    "value" => Some(&mut members.value),
                    "type" => Some(&mut members.kind),
                    "token" => Some(&mut members.token),
                    "password" => Some(&mut members.password),
                    _ => None,
                };
                if let Some(slot) = slot {
                    *slot = Some(text);
                }
            }
            if !keys.insert(key) {
                return Err(stop("a key given twice"));
            }
        }
        Ok(Summary::Object(members))
    }
}

/// The keys of one object so far: a few in place (most objects have a handful, and there
/// are thousands of objects), a set past that, so a body with thousands of keys stays linear.
#[derive(Default)]
struct Keys<'de> {
    few: [Cow<'de, str>; FEW],
    len: usize,
    many: HashSet<Cow<'de, str>>,
}

const FEW: usize = 12;

impl<'de> Keys<'de> {
    /// False when the key was there already.
    fn insert(&mut self, key: Cow<'de, str>) -> bool {
        if self.len <= FEW {
            if self.few[..self.len].contains(&key) {
                return false;
            }
            if self.len < FEW {
                self.few[self.len] = key;
                self.len += 1;
                return true;
            }
            self.many.extend(self.few.iter_mut().map(std::mem::take));
            self.len += 1;
        }
        self.many.insert(key)
    }
}

/// An object key, borrowed from the text unless it holds escapes.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Cow<'de, str>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object key")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_given_twice_anywhere_is_not_clean() {
        assert!(is_clean(r#"{"a":1,"b":{"c":[{"d":1,"e":2}]}}"#));
        assert!(!is_clean(r#"{"a":1,"a":2}"#));
        assert!(!is_clean(r#"{"b":{"c":[{"d":1,"d":2}]}}"#));
        // The same key once escaped: the same key.
        assert!(!is_clean(r#"{"name":1,"n\u0061me":2}"#));
        // A full short list, then a set.
        for n in [11, 12, 13] {
            let mut keys: Vec<String> = (0..n).map(|i| format!("\"k{i}\":{i}")).collect();
            assert!(is_clean(&format!("{{{}}}", keys.join(","))));
            keys.push("\"k0\":0".into());
            assert!(!is_clean(&format!("{{{}}}", keys.join(","))), "{n}");
        }
        let mut wide: Vec<String> = (0..100).map(|i| format!("\"k{i}\":{i}")).collect();
        assert!(is_clean(&format!("{{{}}}", wide.join(","))));
        wide.push("\"k7\":0".into());
        assert!(!is_clean(&format!("{{{}}}", wide.join(","))));
    }

    #[test]
    fn what_is_not_json_is_not_clean() {
        for bad in ["", "{", "{} x", "[1,]", "\"\\ud800\"", &"[".repeat(10_000)] {
            assert!(!is_clean(bad), "{bad}");
        }
    }
}
