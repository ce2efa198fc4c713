//! API Gateway's control plane (REST APIs), as far as `sigscope import aws` asks it: GetRestApis,
//! GetStages and GetExport (OpenAPI 3 with the `x-amazon-apigateway` extensions) for the demo
//! API, signed for `apigateway`. Answered when the gateway runs in REST API style; the export's
//! server is the gateway itself, so the imported collection runs against it.

use crate::mock::verify::{verify_for, Incoming};
use crate::mock::{respond, MockConfig, Style};
use bytes::Bytes;
use http_body_util::Full;
use serde_json::{json, Value};
use std::time::SystemTime;

pub(super) fn matches(req: &Incoming) -> bool {
    req.method == "GET" && (req.path == "/restapis" || req.path.starts_with("/restapis/"))
}

/// The stages the demo routes live under (each route's first path segment).
pub(super) fn stages(cfg: &MockConfig) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in &cfg.routes {
        if let Some(stage) = r.path.trim_start_matches('/').split('/').next() {
            if !stage.is_empty() && !out.iter().any(|s| s == stage) {
                out.push(stage.to_string());
            }
        }
    }
    out
}

/// The `Host` the client used: the export's server URL points back at this gateway.
pub(super) fn host(req: &Incoming) -> String {
    req.headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("host"))
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| "127.0.0.1".into())
}

/// The demo API of `stage` as API Gateway exports it: IAM auth on every method through an
/// `awsSigv4` security scheme, `ANY` routes as `x-amazon-apigateway-any-method`.
pub(super) fn openapi(cfg: &MockConfig, req: &Incoming, stage: &str) -> Value {
    let mut paths = serde_json::Map::new();
    let prefix = format!("/{stage}");
    for r in cfg
        .routes
        .iter()
        .filter(|r| r.path.starts_with(&format!("{prefix}/")))
    {
        let path = &r.path[prefix.len()..];
        let mut op = json!({
            "security": [{"sigv4": []}],
            "responses": {"200": {"description": "200 response"}},
        });
        let params: Vec<Value> = path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{')?.strip_suffix('}'))
            .map(|name| json!({"name": name.trim_end_matches('+'), "in": "path", "required": true, "schema": {"type": "string"}, "example": "1"}))
            .collect();
        if !params.is_empty() {
            op["parameters"] = Value::Array(params);
        }
        if r.method == "POST" {
            op["requestBody"] = json!({"content": {"application/json": {"schema": {
                "type": "object", "example": {"type": "dog", "price": 249.99}}}}});
        }
        let key = if r.method == "ANY" {
            "x-amazon-apigateway-any-method".to_string()
        } else {
            r.method.to_ascii_lowercase()
        };
        let entry = paths
            .entry(path.replace("+}", "}"))
            .or_insert_with(|| json!({}));
        entry[key] = op;
    }
    json!({
        "openapi": "3.0.1",
        "info": {"title": "sigscope demo", "version": "1"},
        "servers": [{
            "url": format!("http://{}/{{basePath}}", host(req)),
            "variables": {"basePath": {"default": format!("/{stage}")}},
        }],
        "paths": paths,
        "components": {"securitySchemes": {"sigv4": {
            "type": "apiKey", "name": "Authorization", "in": "header",
            "x-amazon-apigateway-authtype": "awsSigv4",
        }}},
    })
}

fn not_found(what: &str) -> hyper::Response<Full<Bytes>> {
    respond(
        404,
        Some("NotFoundException"),
        json!({"message": format!("Invalid {what} identifier specified")}).to_string(),
    )
}

pub(super) fn answer(cfg: &MockConfig, req: &Incoming) -> hyper::Response<Full<Bytes>> {
    if let Err(f) = verify_for(cfg, req, SystemTime::now(), "apigateway") {
        return respond(f.status, f.error_type, f.body);
    }
    let listed = cfg.style == Style::RestApi;
    let segments: Vec<&str> = req.path.trim_start_matches('/').split('/').collect();
    match segments.as_slice() {
        ["restapis"] => {
            let items: Vec<Value> = if listed {
                vec![
                    json!({"id": cfg.api_id, "name": "sigscope demo", "description": "The local gateway's demo API",
                            "endpointConfiguration": {"types": ["REGIONAL"]}}),
                ]
            } else {
                Vec::new()
            };
            respond(200, None, json!({"item": items}).to_string())
        }
        ["restapis", id, "stages"] if listed && *id == cfg.api_id => {
            let items: Vec<Value> = stages(cfg)
                .into_iter()
                .map(|s| json!({"stageName": s, "deploymentId": "demo"}))
                .collect();
            respond(200, None, json!({"item": items}).to_string())
        }
        ["restapis", id, "stages", stage, "exports", "oas30"] if listed && *id == cfg.api_id => {
            if !stages(cfg).iter().any(|s| s == stage) {
                return not_found("stage");
            }
            respond(200, None, openapi(cfg, req, stage).to_string())
        }
        ["restapis", ..] => not_found("REST API"),
        _ => not_found("resource"),
    }
}
