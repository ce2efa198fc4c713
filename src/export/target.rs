//! What every format renders: the prepared request with its query in canonical order, its
//! body as text, bytes or a file path, credential headers turned into environment variable
//! names, and the signing settings the target's signer needs.

use crate::http::prepare::Prepared;
use crate::sign::canonical::{canonical_query, encoded_query_params};
use crate::sign::{Location, PayloadMode};

/// The body, as the target should send it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    None,
    /// A literal body (JSON, text, a form): sent as is, never read from a file.
    Text(String),
    /// A literal body that is not UTF-8.
    Bytes(Vec<u8>),
    /// A `file` body: read by the target at run time.
    File(String),
}

/// SigV4 as the target signs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signing {
    pub region: String,
    pub service: String,
    pub payload: PayloadMode,
    /// Every service but S3 encodes the path once more in the canonical request.
    pub double_encode_path: bool,
}

/// A header whose value is a credential: exported as a reference to this environment
/// variable, never as its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretHeader {
    pub name: String,
    pub env: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub method: String,
    /// The URL with the query already SigV4-encoded and sorted: what every signer
    /// canonicalizes is then what goes on the wire.
    pub url: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub secret_headers: Vec<SecretHeader>,
    pub body: Body,
    pub signing: Option<Signing>,
}

/// Header names whose values are credentials, with the variable an export reads them from.
fn credential_env(name: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    match lower.as_str() {
        "x-amz-security-token" => Some("AWS_SESSION_TOKEN".into()),
        "authorization" | "proxy-authorization" | "x-api-key" | "cookie" | "x-auth-token" => {
            Some(lower.replace('-', "_").to_ascii_uppercase())
        }
        _ => None,
    }
}

impl Target {
    pub fn from_prepared(p: &Prepared) -> (Target, Vec<String>) {
        let mut notes = Vec::new();
        let req = &p.request;
        let query = req
            .query
            .as_deref()
            .map(|q| canonical_query(&encoded_query_params(q)))
            .filter(|q| !q.is_empty());
        let url = match &query {
            Some(q) => format!("{}://{}{}?{q}", req.scheme, req.authority, req.path),
            None => format!("{}://{}{}", req.scheme, req.authority, req.path),
        };
        let mut headers = Vec::new();
        let mut secret_headers = Vec::new();
        for (name, value) in &req.headers {
            match credential_env(name) {
                Some(env) => {
                    if p.signing.is_some() && env == "AWS_SESSION_TOKEN" {
                        // The target's signer adds the session token from its credentials.
                        continue;
                    }
                    if p.signing.is_some() && env == "AUTHORIZATION" {
                        notes.push(format!(
                            "the {name} header is replaced by the SigV4 signature"
                        ));
                        continue;
                    }
                    notes.push(format!(
                        "the {name} header is a credential: the export reads it from ${env}"
                    ));
                    secret_headers.push(SecretHeader {
                        name: name.clone(),
                        env,
                    });
                }
                None => headers.push((name.clone(), value.clone())),
            }
        }
        let body = match &p.body_file {
            Some(path) => Body::File(path.clone()),
            None if req.body.is_empty() => Body::None,
            None => match std::str::from_utf8(&req.body) {
                Ok(s) => Body::Text(s.to_string()),
                Err(_) => Body::Bytes(req.body.to_vec()),
            },
        };
        let signing = p.signing.as_ref().map(|plan| {
            if let Location::Query { .. } = plan.settings.location {
                notes.push(
                    "signed into headers: the presigned-query setting is not carried over".into(),
                );
            }
            if plan.clock_offset_secs != 0 {
                notes.push(
                    "the clock offset is not carried over: it signs with the real time".into(),
                );
            }
            Signing {
                region: plan.settings.region.clone(),
                service: plan.settings.service.clone(),
                payload: plan.settings.payload,
                double_encode_path: plan.settings.double_encode_path,
            }
        });
        (
            Target {
                method: req.method.clone(),
                url,
                path: req.path.clone(),
                headers,
                secret_headers,
                body,
                signing,
            },
            notes,
        )
    }

    /// A header by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether a plain signer may canonicalize this path differently from AWS: an escape in
    /// it (double encoding), or dot segments and empty segments (normalization).
    pub fn path_is_delicate(&self) -> bool {
        self.path.contains('%')
            || self.path.contains("//")
            || self.path.split('/').any(|s| s == "." || s == "..")
    }

    /// A one-line description for the comment at the top of a snippet.
    pub fn summary(&self) -> String {
        match &self.signing {
            Some(s) => format!(
                "{} {} (SigV4: service {}, region {})",
                self.method, self.url, s.service, s.region
            ),
            None => format!("{} {}", self.method, self.url),
        }
    }
}
