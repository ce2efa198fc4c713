//! OpenAPI 3 and Swagger 2 (JSON or YAML) as API Gateway exports them: server URL with stage,
//! paths and methods (`x-amazon-apigateway-any-method` as one request per method chosen),
//! `x-amazon-apigateway-auth: {type: AWS_IAM}` or a security scheme with
//! `x-amazon-apigateway-authtype: awsSigv4` → aws-sigv4 auth (service from `x-aws-signingName`,
//! else execute-api), example bodies from schemas. Server variables without a default and a
//! missing server become `{{variables}}` reported as to be set.

use super::{empty_collection, sigv4, Imported, Options};
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

/// An example value for a schema: its example, else one made from its type. `budget` bounds
/// the work: a schema whose properties refer back to itself, `w` wide, would otherwise make
/// `w^depth` values (a 50-wide self-reference is 50^7 nodes).
fn example(root: &Value, schema: &Value, depth: usize, budget: &mut usize) -> Value {
    if *budget == 0 {
        return Value::Null;
    }
    *budget -= 1;
    let s = resolve(root, schema);
    if let Some(e) = s.get("example") {
        // A large example costs in proportion to its size.
        let cost = e.to_string().len() / 64;
        if cost > *budget {
            *budget = 0;
            return Value::Null;
        }
        *budget -= cost;
        return e.clone();
    }
    if depth > 6 {
        return Value::Null;
    }
    match s.get("type").and_then(Value::as_str) {
        Some("object") | None if s.get("properties").is_some() => {
            let mut out = serde_json::Map::new();
            for (k, p) in s["properties"].as_object().into_iter().flatten() {
                out.insert(k.clone(), example(root, p, depth + 1, budget));
            }
            Value::Object(out)
        }
        Some("array") => json!([example(root, &s["items"], depth + 1, budget)]),
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

/// The nodes one example body may take.
const EXAMPLE_BUDGET: usize = 5_000;

fn example_body(root: &Value, schema: &Value) -> Value {
    let mut budget = EXAMPLE_BUDGET;
    example(root, schema, 0, &mut budget)
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
    import_with(text, &Options::default())
}

/// The service an IAM-protected operation is signed for: `x-aws-signingName` on the
/// operation, its security scheme, or the document; else execute-api.
fn signing_name(root: &Value, op: &Value, schemes: &Value) -> String {
    let from_schemes = op
        .get("security")
        .or_else(|| root.get("security"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .flat_map(|req| req.as_object().into_iter().flatten())
        .find_map(|(name, _)| schemes[name]["x-aws-signingName"].as_str());
    op["x-aws-signingName"]
        .as_str()
        .or(from_schemes)
        .or(root["x-aws-signingName"].as_str())
        .unwrap_or("execute-api")
        .to_string()
}

/// `{name}` placeholders left in a URL into `{{name}}`, each named in `unset`.
fn placeholders_to_variables(url: &str, unset: &mut Vec<String>) -> String {
    let mut out = String::new();
    let mut rest = url;
    while let Some(start) = rest.find('{') {
        if rest[start..].starts_with("{{") {
            let end = rest[start..]
                .find("}}")
                .map(|e| start + e + 2)
                .unwrap_or(rest.len());
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        let name = &rest[start + 1..start + len];
        out.push_str(&rest[..start]);
        out.push_str(&format!("{{{{{name}}}}}"));
        if !unset.iter().any(|u| u == name) {
            unset.push(name.to_string());
        }
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    out
}

/// A path template's literal `#` and `?` are part of the path, not a fragment or a query.
fn escape_path(path: &str) -> String {
    path.replace('#', "%23").replace('?', "%3F")
}

pub fn import_with(text: &str, options: &Options) -> Result<Imported, String> {
    // JSON or YAML: API Gateway exports both.
    let root = super::json_or_yaml(text)?;
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
        root["host"].as_str().map(|host| {
            format!(
                "{scheme}://{host}{}",
                root["basePath"].as_str().unwrap_or("")
            )
        })
    } else {
        let server = &root["servers"][0];
        server["url"].as_str().map(|url| {
            let mut url = url.to_string();
            for (name, var) in server["variables"].as_object().into_iter().flatten() {
                let Some(default) = var["default"].as_str().filter(|d| !d.is_empty()) else {
                    continue;
                };
                url = url.replace(&format!("{{{name}}}"), default.trim_start_matches('/'));
                if name == "basePath" {
                    // API Gateway writes "/{basePath}" with basePath "/stage".
                    url = url.replace("//", "/").replace(":/", "://");
                }
            }
            url
        })
    };
    let mut unset = Vec::new();
    match base {
        Some(base) => {
            let base = placeholders_to_variables(base.trim_end_matches('/'), &mut unset);
            c.variables.insert("baseUrl".into(), base);
            for name in &unset {
                c.variables.entry(name.clone()).or_default();
            }
        }
        None => unset.push("baseUrl".into()),
    }
    if !unset.is_empty() {
        warnings.push(format!(
            "collection: set {} (the document gives {} no value)",
            unset
                .iter()
                .map(|u| format!("{{{{{u}}}}}"))
                .collect::<Vec<_>>()
                .join(", "),
            if unset.len() == 1 { "it" } else { "them" }
        ));
    }
    let schemes = if swagger2 {
        root["securityDefinitions"].clone()
    } else {
        root["components"]["securitySchemes"].clone()
    };
    let mut folders: Vec<Folder> = Vec::new();
    for (path, item) in root["paths"].as_object().into_iter().flatten() {
        let any = item.get("x-amazon-apigateway-any-method");
        let mut ops: Vec<(String, &Value)> = METHODS
            .iter()
            .filter_map(|m| item.get(*m).map(|op| (m.to_string(), op)))
            .collect();
        if let Some(any) = any {
            for m in &options.any_methods {
                let m = m.to_ascii_lowercase();
                if !ops.iter().any(|(have, _)| *have == m) {
                    ops.push((m, any));
                }
            }
            warnings.push(format!(
                "{path}: x-amazon-apigateway-any-method (any method) imported as {}",
                options.any_methods.join(", ")
            ));
        }
        for (method, op) in ops {
            let method = method.as_str();
            let mut url = format!("{{{{baseUrl}}}}{}", escape_path(path));
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
                    // An optional header is there to fill in, not to send empty.
                    Some("header") => headers.push(NameValue {
                        name: name.into(),
                        value: sample,
                        enabled: p["required"].as_bool().unwrap_or(false),
                    }),
                    Some("body") => {
                        body = Body::Json {
                            content: example_body(&root, &p["schema"]),
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
                        content: example_body(&root, &media["schema"]),
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
                sigv4(Some("auto".into()), Some(signing_name(&root, op, &schemes)))
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
                network: Default::default(),
                preflight: None,
                captures: Vec::new(),
                assertions: Vec::new(),
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
                    requests: vec![request],
                    ..Folder::empty(&folder_name)
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
