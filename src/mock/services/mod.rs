//! The AWS service APIs the gateway answers besides the demo API (STS, IAM Identity Center's
//! OIDC and portal; API Gateway, API Gateway v2 and Lambda for `sigscope import aws`), so that the CLI, the workbench, the tests and the AWS CLI reach them
//! through the standard endpoint overrides (`AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL_SSO_OIDC`,
//! `AWS_ENDPOINT_URL_SSO`) pointed at the gateway.
//!
//! Each service is one file with a `matches` test on the incoming request and its handler;
//! adding one is a new file and one line each in `addressed` and `answer`. `sessions` holds what they issue.

mod apigateway;
mod apigatewayv2;
pub mod lambda;
pub mod sessions;
mod sso_oidc;
mod sso_portal;
mod sts;

pub use sso_oidc::SsoState;

use super::verify::Incoming;
use super::MockConfig;
use bytes::Bytes;
use http_body_util::Full;

/// Whether a service API may answer the request, from its method and path alone: the
/// gateway reads these bodies before any check (STS's form body names its action).
pub fn addressed(req: &Incoming) -> bool {
    (req.method == "POST" && req.path == "/")
        || sso_oidc::matches(req)
        || sso_portal::matches(req)
        || apigateway::matches(req)
        || apigatewayv2::matches(req)
        || lambda::matches(req)
}

/// The answer of the first service API the request is addressed to, if any.
pub fn answer(cfg: &MockConfig, req: &Incoming) -> Option<hyper::Response<Full<Bytes>>> {
    if req.method == "POST" && req.path == "/" {
        match sts::action(req.body) {
            Some("GetCallerIdentity") => return Some(sts::caller_identity(cfg, req)),
            Some("AssumeRole") => return Some(sts::assume_role(cfg, req)),
            _ => {}
        }
    }
    if sso_oidc::matches(req) {
        return Some(sso_oidc::answer(&cfg.sso, req));
    }
    if sso_portal::matches(req) {
        return Some(sso_portal::answer(cfg, &cfg.sso, req));
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
