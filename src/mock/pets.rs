//! The pets a demo API's `POST /pets` created, so that a flow can create a pet, read it by
//! the id it was given and delete it. The three seeded pets (1-3) answer as they always have
//! (and are never deleted); created pets get ids from 4 up, and the oldest are forgotten past
//! `MAX_PETS` so a long benchmark cannot grow the gateway without bound.

use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Mutex;

/// Created pets kept at once.
pub const MAX_PETS: usize = 10_000;

/// The first id a created pet gets (the seeded pets are 1-3).
const FIRST_ID: u64 = 4;

#[derive(Debug, Default)]
pub struct PetStore {
    inner: Mutex<Store>,
}

#[derive(Debug, Default)]
struct Store {
    next: u64,
    pets: BTreeMap<u64, Value>,
}

impl PetStore {
    /// Keeps a new pet; returns it with its id.
    pub fn create(&self, mut pet: Value) -> Value {
        let mut s = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let id = s.next.max(FIRST_ID);
        s.next = id + 1;
        pet["id"] = Value::from(id);
        s.pets.insert(id, pet.clone());
        while s.pets.len() > MAX_PETS {
            s.pets.pop_first();
        }
        pet
    }

    pub fn get(&self, id: &str) -> Option<Value> {
        let id: u64 = id.parse().ok()?;
        let s = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        s.pets.get(&id).cloned()
    }

    /// Removes a created pet; returns it.
    pub fn delete(&self, id: &str) -> Option<Value> {
        let id: u64 = id.parse().ok()?;
        let mut s = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        s.pets.remove(&id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_pets_can_be_read_and_deleted_once() {
        let store = PetStore::default();
        let a = store.create(serde_json::json!({"type": "dog"}));
        let b = store.create(serde_json::json!({"type": "cat"}));
        assert_eq!((a["id"].as_u64(), b["id"].as_u64()), (Some(4), Some(5)));
        assert_eq!(store.get("5").unwrap()["type"], "cat");
        assert_eq!(store.delete("4").unwrap()["type"], "dog");
        assert!(store.get("4").is_none() && store.delete("4").is_none());
        assert!(store.get("x").is_none());
        for _ in 0..MAX_PETS + 5 {
            store.create(serde_json::json!({}));
        }
        assert!(store.get("5").is_none(), "the oldest are forgotten");
    }
}
