//! A response as captures and assertions read it: the body parsed as JSON at most once, the
//! diagnosis computed at most once, whatever number of expressions ask for them.

use super::jq;
use crate::diagnose::{diagnose, is_auth_failure, Diagnosis};
use crate::http::{Exchange, Response};
use crate::sign::{SigningTrace, WireRequest};
use std::cell::OnceCell;
use std::time::Duration;

pub struct Observed<'a> {
    pub response: &'a Response,
    pub elapsed: Duration,
    trace: Option<&'a SigningTrace>,
    request: Option<&'a WireRequest>,
    exchange: Option<&'a Exchange>,
    body: OnceCell<jq::Body>,
    diagnosis: OnceCell<Option<Diagnosis>>,
}

impl<'a> Observed<'a> {
    pub fn new(exchange: &'a Exchange) -> Self {
        Observed {
            response: &exchange.response,
            elapsed: exchange.timing.total,
            trace: exchange.trace.as_ref(),
            request: Some(&exchange.request),
            exchange: Some(exchange),
            body: OnceCell::new(),
            diagnosis: OnceCell::new(),
        }
    }

    /// A bare response (tests, a response read from a file).
    pub fn response(response: &'a Response, elapsed: Duration) -> Self {
        Observed {
            response,
            elapsed,
            trace: None,
            request: None,
            exchange: None,
            body: OnceCell::new(),
            diagnosis: OnceCell::new(),
        }
    }

    /// The outputs of a jq expression over the JSON body.
    pub fn jq(&self, expression: &str) -> Result<Vec<serde_json::Value>, String> {
        self.body
            .get_or_init(|| jq::Body::parse(&self.response.body))
            .run(expression)
    }

    /// The diagnosis, when the response is an AWS auth failure (or, for an exchange, a
    /// preflight's verdict, a proxy's 407, S3's redirect: `diagnose::of_exchange`).
    pub fn diagnosis(&self) -> Option<&Diagnosis> {
        self.diagnosis
            .get_or_init(|| match self.exchange {
                Some(x) => crate::diagnose::of_exchange(x),
                None => is_auth_failure(self.response)
                    .then(|| diagnose(self.response, self.trace, self.request)),
            })
            .as_ref()
    }

    /// The browser's verdict, when the request was a CORS preflight.
    pub fn preflight(&self) -> Option<&crate::diagnose::cors::CorsVerdict> {
        self.diagnosis()?.cors.as_ref()
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.response.body)
    }
}
