//! A Postman Collection v2.1: one item per request, `awsv4` auth whose keys are the
//! collection variables `{{AWS_ACCESS_KEY_ID}}`, `{{AWS_SECRET_ACCESS_KEY}}` and
//! `{{AWS_SESSION_TOKEN}}` (empty in the file; newman's `--env-var` or a Postman environment
//! fills them), credential headers as `{{VARIABLES}}` too.

use super::target::Body;
use super::{ExportError, Target};
use crate::sign::PayloadMode;
use serde_json::{json, Value};

pub const SCHEMA: &str = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json";

fn item(
    name: &str,
    t: &Target,
    variables: &mut Vec<String>,
    notes: &mut Vec<String>,
) -> Result<Value, ExportError> {
    let mut header: Vec<Value> = t
        .headers
        .iter()
        .map(|(k, v)| json!({"key": k, "value": v}))
        .collect();
    for h in &t.secret_headers {
        header.push(json!({"key": h.name, "value": format!("{{{{{}}}}}", h.env)}));
        if !variables.contains(&h.env) {
            variables.push(h.env.clone());
        }
    }
    let mut request = json!({
        "method": t.method,
        "header": header,
        "url": t.url,
    });
    match &t.body {
        Body::None => {}
        Body::Text(text) => {
            let mut body = json!({"mode": "raw", "raw": text});
            if t.header("content-type").is_some_and(|c| c.contains("json")) {
                body["options"] = json!({"raw": {"language": "json"}});
            }
            request["body"] = body;
        }
        Body::File(path) => request["body"] = json!({"mode": "file", "file": {"src": path}}),
        Body::Bytes(_) => {
            return Err(ExportError::Unsupported {
                format: "postman",
                reason: format!("{name}: the body is not UTF-8 text; use a file body"),
            })
        }
    }
    request["auth"] = match &t.signing {
        None => json!({"type": "noauth"}),
        Some(s) => {
            if s.payload == PayloadMode::Unsigned {
                notes.push(format!("{name}: Postman always signs the payload: UNSIGNED-PAYLOAD is not carried over"));
            }
            for v in [
                "AWS_ACCESS_KEY_ID",
                "AWS_SECRET_ACCESS_KEY",
                "AWS_SESSION_TOKEN",
            ] {
                if !variables.iter().any(|x| x == v) {
                    variables.push(v.to_string());
                }
            }
            json!({"type": "awsv4", "awsv4": [
                {"key": "accessKey", "value": "{{AWS_ACCESS_KEY_ID}}", "type": "string"},
                {"key": "secretKey", "value": "{{AWS_SECRET_ACCESS_KEY}}", "type": "string"},
                {"key": "sessionToken", "value": "{{AWS_SESSION_TOKEN}}", "type": "string"},
                {"key": "region", "value": s.region, "type": "string"},
                {"key": "service", "value": s.service, "type": "string"},
            ]})
        }
    };
    Ok(json!({"name": name, "request": request}))
}

pub(super) fn render(
    name: &str,
    targets: &[(String, Target)],
) -> Result<(String, Vec<String>), ExportError> {
    let mut notes = Vec::new();
    let mut variables = Vec::new();
    let items = targets
        .iter()
        .map(|(n, t)| item(n, t, &mut variables, &mut notes))
        .collect::<Result<Vec<_>, _>>()?;
    let collection = json!({
        "info": {
            "_postman_id": uuid::Uuid::new_v4().to_string(),
            "name": name,
            "description": "Exported by sigscope. The credentials are variables left empty here: \
                            set them in a Postman environment, or run \
                            newman run FILE --env-var AWS_ACCESS_KEY_ID=... --env-var AWS_SECRET_ACCESS_KEY=...",
            "schema": SCHEMA,
        },
        "item": items,
        "variable": variables
            .iter()
            .map(|v| json!({"key": v, "value": "", "type": "string"}))
            .collect::<Vec<_>>(),
    });
    let mut text = serde_json::to_string_pretty(&collection).expect("JSON values serialize");
    text.push('\n');
    Ok((text, notes))
}
