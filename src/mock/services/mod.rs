//! The AWS service APIs the gateway answers besides the demo API (STS today), so that the
//! CLI, the workbench and the tests reach them through the standard endpoint overrides
//! (`AWS_ENDPOINT_URL_STS` and friends) pointed at the gateway.
//!
//! Each service is one file with a `matches` test on the incoming request and its handler;
//! adding one is a new file and one line in `answer`.

mod apigateway;
mod apigatewayv2;
pub mod lambda;
mod sts;

use super::verify::Incoming;
use super::MockConfig;
use bytes::Bytes;
use http_body_util::Full;

/// The answer of the first service API the request is addressed to, if any.
pub fn answer(cfg: &MockConfig, req: &Incoming) -> Option<hyper::Response<Full<Bytes>>> {
    if req.method == "POST" && req.path == "/" && sts::is_get_caller_identity(req.body) {
        return Some(sts::caller_identity(cfg, req));
    }
    if apigateway::matches(req) {
        return Some(apigateway::answer(cfg, req));
    }
    if apigatewayv2::matches(req) {
        return Some(apigatewayv2::answer(cfg, req));
    }
    if lambda::matches(req) {
        return Some(lambda::answer(cfg, req));
    }
    None
}
