//! JSON read into a `serde_json::Value` noting what serde_json lets pass silently: a key
//! given twice in one object (serde_json keeps the last one). The collection loader turns
//! those notes into warnings that name the JSON path.

use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::cell::RefCell;
use std::fmt;

enum Seg {
    Key(String),
    Index(usize),
}

#[derive(Default)]
struct Notes {
    path: RefCell<Vec<Seg>>,
    duplicates: RefCell<Vec<String>>,
}

impl Notes {
    fn spell(&self) -> String {
        let mut out = String::from("$");
        for s in self.path.borrow().iter() {
            match s {
                Seg::Key(k) => {
                    out.push('.');
                    out.push_str(k);
                }
                Seg::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }
}

#[derive(Clone, Copy)]
struct Seed<'a>(&'a Notes);

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            self.0.path.borrow_mut().push(Seg::Index(items.len()));
            let next = seq.next_element_seed(self);
            self.0.path.borrow_mut().pop();
            match next? {
                Some(v) => items.push(v),
                None => break,
            }
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            self.0.path.borrow_mut().push(Seg::Key(key.clone()));
            let value = access.next_value_seed(self);
            self.0.path.borrow_mut().pop();
            let value = value?;
            if map.contains_key(&key) {
                let at = self.0.spell();
                self.0.duplicates.borrow_mut().push(format!(
                    "at {at}: the key \"{key}\" is given twice; the last one is used"
                ));
            }
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }
}

/// Parses JSON text; returns the value and one note per duplicated key.
pub fn parse_noting_duplicates(text: &str) -> Result<(Value, Vec<String>), serde_json::Error> {
    let notes = Notes::default();
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Seed(&notes).deserialize(&mut de)?;
    de.end()?;
    Ok((value, notes.duplicates.into_inner()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_keys_are_noted_with_their_path() {
        let (v, notes) = parse_noting_duplicates(
            r#"{"name":"a","requests":[{"url":"x","url":"y"}],"name":"b"}"#,
        )
        .unwrap();
        assert_eq!(v["name"], "b");
        assert_eq!(v["requests"][0]["url"], "y");
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(notes[0].contains("$.requests[0]") && notes[0].contains("\"url\""));
        assert!(notes[1].starts_with("at $:") && notes[1].contains("\"name\""));
    }

    #[test]
    fn the_same_values_as_serde_json_and_its_errors() {
        let text = r#"{"a":[1,-2,3.5,true,null,"s"],"b":{"c":{}}}"#;
        let (v, notes) = parse_noting_duplicates(text).unwrap();
        assert!(notes.is_empty());
        assert_eq!(v, serde_json::from_str::<Value>(text).unwrap());
        let e = parse_noting_duplicates("{\"a\":1} x").unwrap_err();
        assert_eq!((e.line(), e.column()), (1, 9));
        let deep = "[".repeat(10_000);
        assert!(parse_noting_duplicates(&deep).is_err());
    }
}
