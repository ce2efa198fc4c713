//! Private APIs behind a VPC endpoint, as API Gateway answers them: a request to the
//! endpoint's own name must say which API it is for.

use super::{respond, MockConfig};
use bytes::Bytes;
use http_body_util::Full;

/// A request to a VPC endpoint's name (`vpce-….vpce.amazonaws.com`) must name this API, by
/// `x-apigw-api-id` or by a Host header that is the API's own name; API Gateway answers a
/// bare `Forbidden` otherwise.
pub(super) fn refusal(
    cfg: &MockConfig,
    headers: &[(String, String)],
) -> Option<hyper::Response<Full<Bytes>>> {
    let header = |n: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(n))
            .map(|(_, v)| v.trim().to_ascii_lowercase())
    };
    let host = header("host")?;
    let host = crate::sign::request::host_of(&host);
    let api_by_host = host
        .strip_suffix(".amazonaws.com")
        .and_then(|h| h.split_once(".execute-api."))
        .map(|(api, _)| api.to_string());
    let named = match api_by_host {
        Some(api) if !api.starts_with("vpce-") => Some(api),
        // The endpoint's own name: the API is in x-apigw-api-id.
        Some(_) => header("x-apigw-api-id"),
        None => return None,
    };
    (named.as_deref() != Some(&cfg.api_id.to_ascii_lowercase()))
        .then(|| respond(403, None, r#"{"message":"Forbidden"}"#.into()))
}
