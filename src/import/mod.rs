//! Importers: curl commands, Postman v2.1 collections, OpenAPI 3 / Swagger 2 (as API Gateway
//! exports them). Each returns the collection and what it could not carry over.

pub mod curl;
pub mod openapi;
pub mod postman;

use crate::model::Collection;

#[derive(Debug)]
pub struct Imported {
    pub collection: Collection,
    /// What could not be carried over, in words.
    pub warnings: Vec<String>,
}

pub(crate) fn empty_collection(name: &str) -> Collection {
    Collection {
        schema: Some(crate::model::collection::SCHEMA_REF.into()),
        version: 1,
        name: name.to_string(),
        description: None,
        variables: Default::default(),
        environments: Default::default(),
        auth: Default::default(),
        headers: Vec::new(),
        folders: Vec::new(),
        requests: Vec::new(),
    }
}

pub(crate) fn sigv4(region: Option<String>, service: Option<String>) -> crate::model::Auth {
    crate::model::Auth::AwsSigv4 {
        profile: None,
        region,
        service,
        payload: None,
        location: None,
        expires_seconds: None,
        normalize_path: None,
        clock_offset_seconds: None,
        sign_headers: Vec::new(),
    }
}
