//! Lambda, as far as `sigscope import aws` asks it: ListFunctions and GetFunctionUrlConfig,
//! signed for `lambda`. When the gateway runs as a Lambda function URL, it lists one function
//! whose URL (IAM auth) is the gateway itself.

use crate::mock::verify::{verify_for, Incoming};
use crate::mock::{respond, MockConfig, Style};
use bytes::Bytes;
use http_body_util::Full;
use serde_json::{json, Value};
use std::time::SystemTime;

pub const DEMO_FUNCTION: &str = "sigscope-demo";

pub(super) fn matches(req: &Incoming) -> bool {
    req.method == "GET"
        && (req.path.starts_with("/2015-03-31/functions")
            || req.path.starts_with("/2021-10-31/functions/"))
}

pub(super) fn answer(cfg: &MockConfig, req: &Incoming) -> hyper::Response<Full<Bytes>> {
    if let Err(f) = verify_for(cfg, req, SystemTime::now(), "lambda") {
        return respond(f.status, f.error_type, f.body);
    }
    let listed = cfg.style == Style::LambdaUrl;
    let arn = format!(
        "arn:aws:lambda:{}:{}:function:{DEMO_FUNCTION}",
        cfg.region, cfg.account
    );
    let segments: Vec<&str> = req
        .path
        .trim_start_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    match segments.as_slice() {
        ["2015-03-31", "functions"] => {
            let functions: Vec<Value> = if listed {
                vec![json!({"FunctionName": DEMO_FUNCTION, "FunctionArn": arn, "Runtime": "provided.al2023"})]
            } else {
                Vec::new()
            };
            respond(200, None, json!({"Functions": functions}).to_string())
        }
        ["2021-10-31", "functions", name, "url"] if listed && (*name == DEMO_FUNCTION || *name == arn) => respond(
            200,
            None,
            json!({"FunctionUrl": format!("http://{}/", super::apigateway::host(req)), "FunctionArn": arn, "AuthType": "AWS_IAM"}).to_string(),
        ),
        _ => respond(404, Some("ResourceNotFoundException"), json!({"Message": "The resource you requested does not exist.", "Type": "User"}).to_string()),
    }
}
