//! OpenAPI 3 and Swagger 2 (JSON) as API Gateway exports them: server URL with stage, paths
//! and methods, `x-amazon-apigateway-auth: {type: AWS_IAM}` or a security scheme with
//! `x-amazon-apigateway-authtype: awsSigv4` → aws-sigv4 auth, example bodies from schemas.

use super::{empty_collection, sigv4, Imported};
use crate::model::{Auth, Body, Folder, NameValue, RequestSpec};
use serde_json::{json, Value};

const METHODS: [&str; 7] = ["get", "put", "post", "delete", "patch", "head", "options"];

fn resolve<'a>(root: &'a Value, v: &'a Value) -> &'a Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => r
            .trim_start_matches("#/")
            .split('/')
            .fold(root, |node, key| &node[key]),
        None => v,
    }
}

/// An example value for a schema: its example, else one made from its type.
fn example(root: &Value, schema: &Value, depth: usize) -> Value {
    let s = resolve(root, schema);
    if let Some(e) = s.get("example") {
        return e.clone();
    }
    if depth > 6 {
        return Value::Null;
    }
    match s.get("type").and_then(Value::as_str) {
        Some("object") | None if s.get("properties").is_some() => {
            let mut out = serde_json::Map::new();
            for (k, p) in s["properties"].as_object().into_iter().flatten() {
                out.insert(k.clone(), example(root, p, depth + 1));
            }
            Value::Object(out)
        }
        Some("array") => json!([example(root, &s["items"], depth + 1)]),
        Some("integer") => json!(0),
        Some("number") => json!(0.0),
        Some("boolean") => json!(false),
        Some("string") => s
            .get("enum")
            .and_then(|e| e.get(0))
            .cloned()
            .unwrap_or(json!("string")),
        _ => Value::Null,
    }
}

fn is_iam(root: &Value, op: &Value, schemes: &Value) -> bool {
    if op["x-amazon-apigateway-auth"]["type"]
        .as_str()
        .is_some_and(|t| t.eq_ignore_ascii_case("AWS_IAM"))
    {
        return true;
    }
    let security = op.get("security").or_else(|| root.get("security"));
    security
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|req| {
            req.as_object().into_iter().flatten().any(|(name, _)| {
                schemes[name]["x-amazon-apigateway-authtype"]
                    .as_str()
                    .is_some_and(|t| t.eq_ignore_ascii_case("awsSigv4"))
            })
        })
}

pub fn import(text: &str) -> Result<Imported, String> {
    // JSON first (the exact error when it looks like JSON), else YAML, API Gateway's other
    // export format.
    let root: Value = if text.trim_start().starts_with('{') {
        serde_json::from_str(text).map_err(|e| {
            format!(
                "not valid JSON at line {}, column {}: {e}",
                e.line(),
                e.column()
            )
        })?
    } else {
        serde_norway::from_str(text).map_err(|e| match e.location() {
            Some(l) => format!(
                "not valid YAML at line {}, column {}: {e}",
                l.line(),
                l.column()
            ),
            None => format!("not valid YAML: {e}"),
        })?
    };
    let mut warnings = Vec::new();
    let swagger2 = root.get("swagger").is_some();
    if !swagger2 && root.get("openapi").is_none() {
        return Err("neither 'openapi' nor 'swagger' at the top: not an OpenAPI document".into());
    }
    let title = root["info"]["title"].as_str().unwrap_or("Imported API");
    let mut c = empty_collection(title);
    c.description = root["info"]
        .get("description")
        .and_then(Value::as_str)
        .map(str::to_string);
    let base = if swagger2 {
        let scheme = root["schemes"]
            .get(0)
            .and_then(Value::as_str)
            .unwrap_or("https");
        format!(
            "{scheme}://{}{}",
            root["host"].as_str().unwrap_or("example.com"),
            root["basePath"].as_str().unwrap_or("")
        )
    } else {
        let server = &root["servers"][0];
        let mut url = server["url"]
            .as_str()
            .unwrap_or("https://example.com")
            .to_string();
        for (name, var) in server["variables"].as_object().into_iter().flatten() {
            let default = var["default"].as_str().unwrap_or_default();
            url = url.replace(&format!("{{{name}}}"), default.trim_start_matches('/'));
            if name == "basePath" && !default.is_empty() {
                // API Gateway writes "/{basePath}" with basePath "/stage".
                url = url.replace("//", "/").replace(":/", "://");
            }
        }
        url
    };
    c.variables
        .insert("baseUrl".into(), base.trim_end_matches('/').to_string());
    let schemes = if swagger2 {
        root["securityDefinitions"].clone()
    } else {
        root["components"]["securitySchemes"].clone()
    };
    let mut folders: Vec<Folder> = Vec::new();
    for (path, item) in root["paths"].as_object().into_iter().flatten() {
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let mut url = format!("{{{{baseUrl}}}}{path}");
            let mut variables = std::collections::BTreeMap::new();
            let mut query = Vec::new();
            let mut headers = Vec::new();
            let mut body = Body::None;
            let params = item["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .chain(op["parameters"].as_array().into_iter().flatten());
            for p in params {
                let p = resolve(&root, p);
                let name = p["name"].as_str().unwrap_or_default();
                let sample = p
                    .get("example")
                    .or_else(|| p["schema"].get("example"))
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                match p["in"].as_str() {
                    Some("path") => {
                        url = url.replace(&format!("{{{name}}}"), &format!("{{{{{name}}}}}"));
                        variables.insert(
                            name.to_string(),
                            if sample.is_empty() {
                                "1".into()
                            } else {
                                sample
                            },
                        );
                    }
                    Some("query") => query.push(NameValue {
                        name: name.into(),
                        value: sample,
                        enabled: p["required"].as_bool().unwrap_or(false),
                    }),
                    Some("header") => headers.push(NameValue {
                        name: name.into(),
                        value: sample,
                        enabled: true,
                    }),
                    Some("body") => {
                        body = Body::Json {
                            content: example(&root, &p["schema"], 0),
                        }
                    }
                    _ => {}
                }
            }
            if let Some(content) = op["requestBody"]
                .get("content")
                .or_else(|| resolve(&root, &op["requestBody"]).get("content"))
            {
                if let Some(media) = content.get("application/json") {
                    body = Body::Json {
                        content: example(&root, &media["schema"], 0),
                    };
                } else if let Some((ct, _)) = content.as_object().and_then(|m| m.iter().next()) {
                    warnings.push(format!(
                        "{} {path}: request body '{ct}' is not carried over",
                        method.to_uppercase()
                    ));
                }
            }
            if matches!(body, Body::Json { .. }) {
                headers.push(NameValue {
                    name: "Content-Type".into(),
                    value: "application/json".into(),
                    enabled: true,
                });
            }
            let auth = if is_iam(&root, op, &schemes) {
                sigv4(Some("auto".into()), Some("execute-api".into()))
            } else {
                Auth::None
            };
            let name = op["operationId"]
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| format!("{} {path}", method.to_uppercase()));
            let request = RequestSpec {
                id: None,
                name,
                description: op
                    .get("summary")
                    .or(op.get("description"))
                    .and_then(Value::as_str)
                    .map(str::to_string),
                method: method.to_uppercase(),
                url,
                query,
                headers,
                body,
                auth,
                variables,
            };
            let folder_name = op["tags"]
                .get(0)
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| {
                    path.trim_start_matches('/')
                        .split('/')
                        .next()
                        .filter(|s| !s.is_empty())
                        .unwrap_or("root")
                        .to_string()
                });
            match folders.iter_mut().find(|f| f.name == folder_name) {
                Some(f) => f.requests.push(request),
                None => folders.push(Folder {
                    name: folder_name,
                    description: None,
                    auth: Auth::Inherit,
                    headers: Vec::new(),
                    variables: Default::default(),
                    folders: Vec::new(),
                    requests: vec![request],
                }),
            }
        }
    }
    c.folders = folders;
    Ok(Imported {
        collection: c,
        warnings,
    })
}
