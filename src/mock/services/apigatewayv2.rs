//! API Gateway v2 (HTTP APIs), as far as `sigscope import aws` asks it: GetApis, GetStages and
//! ExportApi for the demo API, signed for `apigateway`. Listed when the gateway runs in HTTP
//! API style.

use super::apigateway::{openapi, stages};
use crate::mock::verify::{verify_for, Incoming};
use crate::mock::{respond, MockConfig, Style};
use bytes::Bytes;
use http_body_util::Full;
use serde_json::{json, Value};
use std::time::SystemTime;

pub(super) fn matches(req: &Incoming) -> bool {
    req.method == "GET" && (req.path == "/v2/apis" || req.path.starts_with("/v2/apis/"))
}

fn query_value<'a>(req: &'a Incoming, key: &str) -> Option<&'a str> {
    req.query?
        .split('&')
        .find_map(|p| p.strip_prefix(key)?.strip_prefix('='))
}

pub(super) fn answer(cfg: &MockConfig, req: &Incoming) -> hyper::Response<Full<Bytes>> {
    if let Err(f) = verify_for(cfg, req, SystemTime::now(), "apigateway") {
        return respond(f.status, f.error_type, f.body);
    }
    let listed = cfg.style == Style::HttpApi;
    let not_found = || {
        respond(
            404,
            Some("NotFoundException"),
            json!({"message": "Invalid API identifier specified"}).to_string(),
        )
    };
    let segments: Vec<&str> = req.path.trim_start_matches('/').split('/').collect();
    match segments.as_slice() {
        ["v2", "apis"] => {
            let items: Vec<Value> = if listed {
                vec![
                    json!({"apiId": cfg.api_id, "name": "sigscope demo (HTTP API)", "protocolType": "HTTP",
                            "apiEndpoint": format!("http://{}", super::apigateway::host(req))}),
                ]
            } else {
                Vec::new()
            };
            respond(200, None, json!({"items": items}).to_string())
        }
        ["v2", "apis", id, "stages"] if listed && *id == cfg.api_id => {
            let items: Vec<Value> = stages(cfg)
                .into_iter()
                .map(|s| json!({"stageName": s}))
                .collect();
            respond(200, None, json!({"items": items}).to_string())
        }
        ["v2", "apis", id, "exports", "OAS30"] if listed && *id == cfg.api_id => {
            let all = stages(cfg);
            let stage = query_value(req, "stageName")
                .map(str::to_string)
                .or_else(|| all.first().cloned())
                .unwrap_or_default();
            if !all.contains(&stage) {
                return not_found();
            }
            respond(200, None, openapi(cfg, req, &stage).to_string())
        }
        _ => not_found(),
    }
}
