//! API Gateway's CORS configuration, in both of its shapes, so that a browser's preflight
//! gets the answer it would get from AWS:
//!
//! - REST APIs: "Enable CORS" adds, per resource, an `OPTIONS` method with a MOCK
//!   integration and authorization NONE that answers fixed `Access-Control-Allow-*` headers
//!   whoever asks. A resource without it has no `OPTIONS` method: the unsigned preflight is
//!   answered 403 `MissingAuthenticationToken`, like any unsigned call.
//! - HTTP APIs: a `corsConfiguration` on the API; API Gateway answers every preflight itself,
//!   before any authorization, and leaves the `Access-Control-Allow-*` headers out when the
//!   origin (or method, or a header) is not allowed.

use super::route_matches;
use bytes::Bytes;
use http_body_util::Full;
use serde::Deserialize;

/// A CORS configuration, REST or HTTP API shaped.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "shape", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Cors {
    /// The headers an OPTIONS method's MOCK integration returns, on the resources (route
    /// paths, `{param}` allowed) where CORS was enabled.
    #[serde(rename_all = "camelCase")]
    Rest {
        resources: Vec<String>,
        allow_origin: String,
        allow_methods: String,
        allow_headers: String,
    },
    /// An HTTP API's `corsConfiguration`.
    #[serde(rename_all = "camelCase")]
    Http {
        allow_origins: Vec<String>,
        allow_methods: Vec<String>,
        allow_headers: Vec<String>,
        #[serde(default)]
        expose_headers: Vec<String>,
        #[serde(default)]
        max_age: Option<u64>,
        #[serde(default)]
        allow_credentials: bool,
    },
}

/// The origin the demo's page is served from.
pub const DEMO_ORIGIN: &str = "https://app.example.com";

impl Cors {
    /// What the API Gateway console's "Enable CORS" writes for the demo's pets resources
    /// (its default header list has no `X-Amz-Content-Sha256`); `/test/echo` has none.
    pub fn demo_rest() -> Cors {
        Cors::Rest {
            resources: vec!["/test/pets".into(), "/test/pets/{petId}".into()],
            allow_origin: "*".into(),
            allow_methods: "DELETE,GET,OPTIONS,POST".into(),
            allow_headers: "Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token"
                .into(),
        }
    }

    /// An HTTP API's configuration for the demo's page.
    pub fn demo_http() -> Cors {
        Cors::Http {
            allow_origins: vec![DEMO_ORIGIN.into()],
            allow_methods: vec!["GET".into(), "POST".into(), "DELETE".into()],
            allow_headers: vec![
                "authorization".into(),
                "content-type".into(),
                "x-amz-date".into(),
                "x-amz-security-token".into(),
            ],
            expose_headers: Vec::new(),
            max_age: Some(300),
            allow_credentials: false,
        }
    }

    fn origin_allowed(&self, origin: &str) -> Option<String> {
        match self {
            Cors::Rest { allow_origin, .. } => Some(allow_origin.clone()),
            Cors::Http { allow_origins, .. } => allow_origins
                .iter()
                .any(|o| o == "*" || o.eq_ignore_ascii_case(origin))
                .then(|| {
                    if allow_origins.iter().any(|o| o == "*") {
                        "*".to_string()
                    } else {
                        origin.to_string()
                    }
                }),
        }
    }

    /// The answer to a preflight for `path`, or `None` when the API has no CORS answer for
    /// it (the request then goes on as any request).
    pub fn preflight(
        &self,
        path: &str,
        header: impl Fn(&str) -> Option<String>,
    ) -> Option<hyper::Response<Full<Bytes>>> {
        let origin = header("origin")?;
        header("access-control-request-method")?;
        let mut builder = hyper::Response::builder()
            .header(
                "date",
                httpdate::fmt_http_date(std::time::SystemTime::now()),
            )
            .header("x-amzn-requestid", uuid::Uuid::new_v4().to_string());
        match self {
            Cors::Rest {
                resources,
                allow_origin,
                allow_methods,
                allow_headers,
            } => {
                if !resources.iter().any(|r| route_matches(r, path)) {
                    return None;
                }
                builder = builder
                    .status(200)
                    .header("content-type", "application/json")
                    .header("access-control-allow-origin", allow_origin)
                    .header("access-control-allow-methods", allow_methods)
                    .header("access-control-allow-headers", allow_headers);
            }
            Cors::Http {
                allow_methods,
                allow_headers,
                max_age,
                allow_credentials,
                ..
            } => {
                builder = builder.status(204);
                if let Some(allowed) = self.origin_allowed(&origin) {
                    builder = builder
                        .header("access-control-allow-origin", allowed)
                        .header("access-control-allow-methods", allow_methods.join(","))
                        .header("access-control-allow-headers", allow_headers.join(","));
                    if let Some(age) = max_age {
                        builder = builder.header("access-control-max-age", age.to_string());
                    }
                    if *allow_credentials {
                        builder = builder.header("access-control-allow-credentials", "true");
                    }
                }
            }
        }
        builder.body(Full::new(Bytes::new())).ok()
    }

    /// The `Access-Control-Allow-Origin` an actual response to `origin` for `path` carries
    /// (REST: what the demo's integration adds on CORS resources; HTTP: API Gateway's own).
    pub fn response_origin(&self, path: &str, origin: &str) -> Option<String> {
        match self {
            Cors::Rest { resources, .. } if !resources.iter().any(|r| route_matches(r, path)) => {
                None
            }
            _ => self.origin_allowed(origin),
        }
    }
}
