//! Insomnia exports: v4 (JSON, a flat list of resources linked by `parentId`) and v5 (YAML,
//! a tree): the workspace, folders with their variables, headers and auth, requests, the base
//! environment as collection variables and its sub-environments as environments. `iam` auth
//! becomes aws-sigv4 keeping region and service; literal keys are never imported. Insomnia's
//! `{{ _.name }}` becomes `{{name}}`; template tags (`{% … %}`) are kept as text, with a warning.

use super::{append_description, body_from_text, empty_collection, sigv4, Imported};
use crate::model::{Auth, Body, Environment, Folder, NameValue, RequestSpec};
use serde_json::Value;
use std::collections::BTreeMap;

/// `{{ _.name }}` and `{{ name }}` into `{{name}}`.
fn vars(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let Some(len) = rest[start..].find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let inner = rest[start + 2..start + len].trim();
        let inner = inner.strip_prefix("_.").unwrap_or(inner);
        out.push_str("{{");
        out.push_str(inner);
        out.push_str("}}");
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    out
}

fn s(v: &Value, key: &str) -> String {
    match v.get(key) {
        Some(Value::String(x)) => vars(x),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

fn rows(v: Option<&Value>) -> Vec<NameValue> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|r| !(s(r, "name").is_empty() && s(r, "value").is_empty()))
        .map(|r| NameValue {
            name: s(r, "name"),
            value: s(r, "value"),
            enabled: !r.get("disabled").and_then(Value::as_bool).unwrap_or(false),
        })
        .collect()
}

fn variables(data: Option<&Value>) -> BTreeMap<String, String> {
    data.and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| {
            let value = match v {
                Value::String(x) => vars(x),
                other => other.to_string(),
            };
            (k.clone(), value)
        })
        .collect()
}

fn auth(a: Option<&Value>, context: &str, warnings: &mut Vec<String>) -> Auth {
    let Some(a) = a.filter(|a| a.as_object().is_some_and(|o| !o.is_empty())) else {
        return Auth::Inherit;
    };
    if a.get("disabled").and_then(Value::as_bool).unwrap_or(false) {
        return Auth::None;
    }
    let literal = |v: &str| !v.is_empty() && !crate::model::secrets::is_variable_reference(v);
    match a.get("type").and_then(Value::as_str) {
        Some("iam") => {
            for key in ["accessKeyId", "secretAccessKey", "sessionToken"] {
                if literal(&s(a, key)) {
                    warnings.push(format!("{context}: iam {key} is a literal credential: not imported; the request uses your AWS profile"));
                }
            }
            let opt = |k: &str| Some(s(a, k)).filter(|v| !v.is_empty());
            sigv4(opt("region"), opt("service"))
        }
        Some("bearer") => {
            let token = s(a, "token");
            Auth::Bearer {
                token: if literal(&token) {
                    warnings.push(format!(
                        "{context}: bearer token not imported: set $API_TOKEN"
                    ));
                    "{{$env.API_TOKEN}}".into()
                } else {
                    token
                },
            }
        }
        Some("basic") => {
            let password = s(a, "password");
            Auth::Basic {
                username: s(a, "username"),
                password: if literal(&password) {
                    warnings.push(format!(
                        "{context}: basic password not imported: set $BASIC_PASSWORD"
                    ));
                    "{{$env.BASIC_PASSWORD}}".into()
                } else {
                    password
                },
            }
        }
        Some("none") => Auth::None,
        Some("inherit") | None => Auth::Inherit,
        Some(other) => {
            warnings.push(format!("{context}: auth type '{other}' is not supported"));
            Auth::Inherit
        }
    }
}

fn body(
    b: Option<&Value>,
    context: &str,
    description: &mut Option<String>,
    warnings: &mut Vec<String>,
) -> Body {
    let Some(b) = b.filter(|b| b.as_object().is_some_and(|o| !o.is_empty())) else {
        return Body::None;
    };
    let mime = b
        .get("mimeType")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if let Some(file) = b.get("fileName").and_then(Value::as_str) {
        return Body::File {
            path: file.to_string(),
        };
    }
    if let Some(params) = b.get("params").and_then(Value::as_array) {
        let mut fields = Vec::new();
        let mut files = Vec::new();
        for p in params {
            if p.get("type").and_then(Value::as_str) == Some("file") {
                files.push(format!("{} = file {}", s(p, "name"), s(p, "fileName")));
            } else {
                fields.push(NameValue {
                    name: s(p, "name"),
                    value: s(p, "value"),
                    enabled: !p.get("disabled").and_then(Value::as_bool).unwrap_or(false),
                });
            }
        }
        if mime.contains("multipart") {
            warnings.push(format!("{context}: the multipart form body is sent as a urlencoded form (sigscope has no multipart body yet)"));
        }
        if !files.is_empty() {
            warnings.push(format!(
                "{context}: form file parts kept in the description: {}",
                files.join(", ")
            ));
            append_description(
                description,
                &format!("Form file parts (not sent):\n{}", files.join("\n")),
            );
        }
        return Body::FormUrlencoded { fields };
    }
    body_from_text(&s(b, "text"))
}

fn scripts(
    node: &Value,
    context: &str,
    description: &mut Option<String>,
    warnings: &mut Vec<String>,
) {
    let found = [
        (
            "pre-request",
            node.get("preRequestScript")
                .or(node.pointer("/scripts/preRequest")),
        ),
        (
            "after-response",
            node.get("afterResponseScript")
                .or(node.pointer("/scripts/afterResponse")),
        ),
    ];
    for (when, script) in found {
        if let Some(code) = script
            .and_then(Value::as_str)
            .filter(|c| !c.trim().is_empty())
        {
            append_description(
                description,
                &format!("Insomnia {when} script (not run by sigscope):\n```js\n{code}\n```"),
            );
            warnings.push(format!("{context}: the Insomnia {when} script is kept in the description, not run (captures and assertions are not supported yet)"));
        }
    }
}

fn description(node: &Value) -> Option<String> {
    node.get("description")
        .or(node.pointer("/meta/description"))
        .and_then(Value::as_str)
        .filter(|d| !d.is_empty())
        .map(str::to_string)
}

fn request(node: &Value, context: &str, warnings: &mut Vec<String>) -> RequestSpec {
    let mut desc = description(node);
    let body = body(node.get("body"), context, &mut desc, warnings);
    scripts(node, context, &mut desc, warnings);
    let url = s(node, "url");
    let mut all = url.clone();
    for r in rows(node.get("headers"))
        .iter()
        .chain(&rows(node.get("parameters")))
    {
        all.push_str(&r.value);
    }
    if all.contains("{%") {
        warnings.push(format!("{context}: Insomnia template tags ({{% … %}}) are kept as text: replace them with values or {{{{variables}}}}"));
    }
    RequestSpec {
        id: None,
        name: node["name"].as_str().unwrap_or("unnamed").to_string(),
        description: desc,
        method: node["method"].as_str().unwrap_or("GET").to_string(),
        url,
        query: rows(node.get("parameters")),
        headers: rows(node.get("headers")),
        body,
        auth: auth(node.get("authentication"), context, warnings),
        variables: Default::default(),
        network: Default::default(),
        preflight: None,
        captures: Vec::new(),
        assertions: Vec::new(),
    }
}

fn folder(node: &Value, context: &str, warnings: &mut Vec<String>) -> Folder {
    let mut desc = description(node);
    scripts(node, context, &mut desc, warnings);
    Folder {
        name: node["name"].as_str().unwrap_or("folder").to_string(),
        description: desc,
        auth: auth(node.get("authentication"), context, warnings),
        headers: rows(node.get("headers")),
        variables: variables(node.get("environment")),
        folders: Vec::new(),
        requests: Vec::new(),
    }
}

fn is_request(node: &Value) -> bool {
    node.get("url").is_some() || node.get("_type").and_then(Value::as_str) == Some("request")
}

/// v5: `collection` is a tree; a node with `children` is a folder.
fn tree(
    nodes: &Value,
    path: &str,
    folders: &mut Vec<Folder>,
    requests: &mut Vec<RequestSpec>,
    warnings: &mut Vec<String>,
) {
    for node in nodes.as_array().into_iter().flatten() {
        let name = node["name"].as_str().unwrap_or("unnamed");
        let here = if path.is_empty() {
            name.to_string()
        } else {
            format!("{path}/{name}")
        };
        if let Some(children) = node.get("children") {
            let mut f = folder(node, &here, warnings);
            tree(children, &here, &mut f.folders, &mut f.requests, warnings);
            folders.push(f);
        } else if is_request(node) {
            requests.push(request(node, &here, warnings));
        } else {
            warnings.push(format!("{here}: not an HTTP request (gRPC, WebSocket or GraphQL subscription): not imported"));
        }
    }
}

/// v4: resources linked by `parentId`, turned into the same tree.
fn v4_children(all: &[Value], parent: &str) -> Vec<Value> {
    all.iter()
        .filter(|r| r.get("parentId").and_then(Value::as_str) == Some(parent))
        .filter(|r| {
            matches!(
                r["_type"].as_str(),
                Some("request" | "request_group" | "grpc_request" | "websocket_request")
            )
        })
        .map(|r| {
            let mut node = r.clone();
            if r["_type"] == "request_group" {
                node["children"] =
                    Value::Array(v4_children(all, r["_id"].as_str().unwrap_or_default()));
            }
            node
        })
        .collect()
}

fn environments(base: Option<&Value>, subs: Vec<&Value>, c: &mut crate::model::Collection) {
    if let Some(base) = base {
        c.variables = variables(base.get("data"));
    }
    for sub in subs {
        let name = sub["name"].as_str().unwrap_or("environment").to_string();
        c.environments.insert(
            name,
            Environment {
                profile: None,
                region: None,
                variables: variables(sub.get("data")),
                network: Default::default(),
            },
        );
    }
}

pub fn import(text: &str) -> Result<Imported, String> {
    let v = super::json_or_yaml(text)?;
    let mut warnings = Vec::new();
    let (mut folders, mut requests) = (Vec::new(), Vec::new());
    let mut c;
    if let Some(resources) = v.get("resources").and_then(Value::as_array) {
        let format = v["__export_format"].as_u64().unwrap_or(0);
        if format != 4 {
            return Err(format!("an Insomnia v{format} export: sigscope reads v4 (JSON) and v5 (YAML); re-export from Insomnia"));
        }
        let workspaces: Vec<&Value> = resources
            .iter()
            .filter(|r| r["_type"] == "workspace")
            .collect();
        let Some(ws) = workspaces.first() else {
            return Err("an Insomnia export without a workspace".into());
        };
        if workspaces.len() > 1 {
            warnings.push(format!(
                "{} workspaces in the file: only the first, '{}', is imported",
                workspaces.len(),
                ws["name"].as_str().unwrap_or_default()
            ));
        }
        let id = ws["_id"].as_str().unwrap_or_default();
        c = empty_collection(ws["name"].as_str().unwrap_or("Imported from Insomnia"));
        c.description = description(ws);
        let base = resources
            .iter()
            .find(|r| r["_type"] == "environment" && r["parentId"] == id);
        let base_id = base.and_then(|b| b["_id"].as_str()).unwrap_or("\u{0}");
        let subs = resources
            .iter()
            .filter(|r| r["_type"] == "environment" && r["parentId"] == base_id)
            .collect();
        environments(base, subs, &mut c);
        tree(
            &Value::Array(v4_children(resources, id)),
            "",
            &mut folders,
            &mut requests,
            &mut warnings,
        );
    } else {
        let kind = v["type"].as_str().unwrap_or_default();
        if !kind.contains("insomnia.rest/5") {
            return Err(format!("not an Insomnia v5 export (type is '{kind}')"));
        }
        c = empty_collection(v["name"].as_str().unwrap_or("Imported from Insomnia"));
        c.description = description(&v);
        let env = v.get("environments");
        let subs = env
            .and_then(|e| e.get("subEnvironments"))
            .and_then(Value::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        environments(env, subs, &mut c);
        tree(
            &v["collection"],
            "",
            &mut folders,
            &mut requests,
            &mut warnings,
        );
    }
    c.folders = folders;
    c.requests = requests;
    Ok(Imported {
        collection: c,
        warnings,
    })
}
