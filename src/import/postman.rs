//! Postman Collection v2.0 and v2.1 (and the Postman API's `{"collection": …}` wrapper):
//! folders, variables (disabled ones kept aside), headers, query and path variables, bodies
//! (raw, urlencoded, form-data, file), and `awsv4` auth kept as aws-sigv4 in either the list
//! or the object form. Literal keys are never imported: the request uses the AWS profile,
//! with a warning naming it. Test scripts in the common shapes become captures and
//! assertions; the rest (and pre-request scripts) are kept in the description.

use super::{append_description, body_from_text, empty_collection, sigv4, Imported};
use crate::model::{Auth, Body, Folder, NameValue, RequestSpec};
use serde_json::Value;

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        Value::Bool(_) | Value::Number(_) => Some(v.to_string()),
        // v2.1 descriptions may be {content, type}.
        Value::Object(o) => o.get("content").and_then(Value::as_str).map(str::to_string),
        Value::Array(_) => None,
    }
}

/// Rows `[{key, value, disabled}]`; empty rows (no key, no value) are skipped.
fn kv(list: Option<&Value>) -> Vec<NameValue> {
    list.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|h| {
            let name = h.get("key").and_then(text).unwrap_or_default();
            let value = h.get("value").and_then(text).unwrap_or_default();
            if name.is_empty() && value.is_empty() {
                return None;
            }
            Some(NameValue {
                name,
                value,
                enabled: !h.get("disabled").and_then(Value::as_bool).unwrap_or(false),
            })
        })
        .collect()
}

/// Auth parameters: the v2.1 list `[{key, value}]` or the v2.0 object `{key: value}`.
fn params(v: Option<&Value>) -> Vec<(String, String)> {
    match v {
        Some(Value::Array(_)) => kv(v).into_iter().map(|p| (p.name, p.value)).collect(),
        Some(Value::Object(o)) => o
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), text(v)?)))
            .collect(),
        _ => Vec::new(),
    }
}

fn auth(v: Option<&Value>, context: &str, warnings: &mut Vec<String>) -> Auth {
    let Some(a) = v.filter(|a| !a.is_null()) else {
        return Auth::Inherit;
    };
    let kind = a.get("type").and_then(Value::as_str);
    let p = params(kind.and_then(|k| a.get(k)));
    let get = |k: &str| {
        p.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .filter(|v| !v.is_empty())
    };
    match kind {
        Some("awsv4") => {
            for secret in ["accessKey", "secretKey", "sessionToken"] {
                if let Some(v) = get(secret) {
                    if !crate::model::secrets::is_variable_reference(&v) {
                        warnings.push(format!("{context}: awsv4 {secret} is a literal credential: not imported; the request uses your AWS profile (set one per environment)"));
                    }
                }
            }
            sigv4(get("region"), get("service"))
        }
        Some("noauth") => Auth::None,
        Some("bearer") => {
            let token = get("token").unwrap_or_default();
            if crate::model::secrets::is_variable_reference(&token) {
                Auth::Bearer { token }
            } else {
                warnings.push(format!(
                    "{context}: bearer token not imported: set $API_TOKEN"
                ));
                Auth::Bearer {
                    token: "{{$env.API_TOKEN}}".into(),
                }
            }
        }
        Some("basic") => {
            let password = get("password").unwrap_or_default();
            let password = if crate::model::secrets::is_variable_reference(&password) {
                password
            } else {
                warnings.push(format!(
                    "{context}: basic password not imported: set $BASIC_PASSWORD"
                ));
                "{{$env.BASIC_PASSWORD}}".into()
            };
            Auth::Basic {
                username: get("username").unwrap_or_default(),
                password,
            }
        }
        Some("inherit") | None => Auth::Inherit,
        Some(other) => {
            warnings.push(format!("{context}: auth type '{other}' is not supported"));
            Auth::Inherit
        }
    }
}

/// The URL without its query, from `raw`, or built from `protocol`/`host`/`port`/`path` when
/// `raw` is empty; `:name` path segments become `{{name}}`.
fn url_and_query(u: &Value) -> (String, Vec<NameValue>, Vec<(String, String)>) {
    if let Value::String(s) = u {
        let (base, query) = s.split_once('?').unwrap_or((s, ""));
        return (path_variables(base), query_pairs(query), Vec::new());
    }
    let raw = u.get("raw").and_then(Value::as_str).unwrap_or_default();
    let join = |v: Option<&Value>, sep: &str| match v {
        Some(Value::Array(parts)) => parts
            .iter()
            .filter_map(|p| text(p).or_else(|| p.get("value").and_then(text)))
            .collect::<Vec<_>>()
            .join(sep),
        Some(v) => text(v).unwrap_or_default(),
        None => String::new(),
    };
    let base = if raw.trim().is_empty() {
        let mut s = String::new();
        if let Some(p) = u.get("protocol").and_then(Value::as_str) {
            s.push_str(p);
            s.push_str("://");
        }
        s.push_str(&join(u.get("host"), "."));
        if let Some(port) = u.get("port").and_then(text) {
            s.push(':');
            s.push_str(&port);
        }
        let path = join(u.get("path"), "/");
        if !path.is_empty() {
            s.push('/');
            s.push_str(path.trim_start_matches('/'));
        }
        s
    } else {
        raw.split('?').next().unwrap_or(raw).to_string()
    };
    let query = if u.get("query").is_some() {
        kv(u.get("query"))
    } else {
        query_pairs(raw.split_once('?').map(|(_, q)| q).unwrap_or(""))
    };
    let variables = u
        .get("variable")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| {
            Some((
                v.get("key").and_then(text)?,
                v.get("value").and_then(text).unwrap_or_default(),
            ))
        })
        .collect();
    (path_variables(&base), query, variables)
}

fn query_pairs(query: &str) -> Vec<NameValue> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (n, v) = p.split_once('=').unwrap_or((p, ""));
            NameValue {
                name: n.into(),
                value: v.into(),
                enabled: true,
            }
        })
        .collect()
}

/// `/users/:id` into `/users/{{id}}` (after the host; a port's `:` is left alone).
fn path_variables(url: &str) -> String {
    let (head, path) = match url.find("://") {
        Some(i) => {
            let after = &url[i + 3..];
            let slash = after.find('/').map(|j| i + 3 + j).unwrap_or(url.len());
            url.split_at(slash)
        }
        None => match url.find('/') {
            Some(j) => url.split_at(j),
            None => (url, ""),
        },
    };
    let path: Vec<String> = path
        .split('/')
        .map(|seg| match seg.strip_prefix(':') {
            Some(name) if !name.is_empty() => format!("{{{{{name}}}}}"),
            _ => seg.to_string(),
        })
        .collect();
    format!("{head}{}", path.join("/"))
}

fn body(
    b: &Value,
    name: &str,
    description: &mut Option<String>,
    warnings: &mut Vec<String>,
) -> Body {
    match b.get("mode").and_then(Value::as_str) {
        Some("raw") => body_from_text(b.get("raw").and_then(Value::as_str).unwrap_or_default()),
        Some("urlencoded") => Body::FormUrlencoded {
            fields: kv(b.get("urlencoded")),
        },
        Some("formdata") => {
            let mut fields = Vec::new();
            let mut files = Vec::new();
            for part in b
                .get("formdata")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let key = part.get("key").and_then(text).unwrap_or_default();
                if part.get("type").and_then(Value::as_str) == Some("file") {
                    let src = match part.get("src") {
                        Some(Value::Array(a)) => {
                            a.iter().filter_map(text).collect::<Vec<_>>().join(", ")
                        }
                        Some(v) => text(v).unwrap_or_default(),
                        None => String::new(),
                    };
                    files.push(format!("{key} = file {src}"));
                } else {
                    fields.push(NameValue {
                        name: key,
                        value: part.get("value").and_then(text).unwrap_or_default(),
                        enabled: !part
                            .get("disabled")
                            .and_then(Value::as_bool)
                            .unwrap_or(false),
                    });
                }
            }
            warnings.push(format!(
                "{name}: the multipart form-data body is sent as a urlencoded form (sigscope has no multipart body yet){}",
                if files.is_empty() { String::new() } else { format!("; file parts kept in the description: {}", files.join(", ")) }
            ));
            if !files.is_empty() {
                append_description(
                    description,
                    &format!("Form-data file parts (not sent):\n{}", files.join("\n")),
                );
            }
            Body::FormUrlencoded { fields }
        }
        Some("file") => Body::File {
            path: b["file"]["src"].as_str().unwrap_or_default().to_string(),
        },
        Some("graphql") => {
            let query = b["graphql"]["query"].as_str().unwrap_or_default();
            let variables = b["graphql"]["variables"]
                .as_str()
                .and_then(|v| serde_json::from_str::<Value>(v).ok())
                .unwrap_or(Value::Null);
            Body::Json {
                content: serde_json::json!({"query": query, "variables": variables}),
            }
        }
        Some(other) => {
            warnings.push(format!("{name}: body mode '{other}' is not supported"));
            Body::None
        }
        None => Body::None,
    }
}

/// Test and pre-request scripts. A request's test script in the common shapes becomes its
/// captures and assertions (`super::scripts`); a script with anything else is kept whole in
/// the description, with a warning naming the request and what was not understood.
/// Pre-request scripts, and scripts on folders and the collection, are kept as they are.
fn scripts(
    events: Option<&Value>,
    name: &str,
    description: &mut Option<String>,
    warnings: &mut Vec<String>,
    checks: Option<&mut super::scripts::Converted>,
) {
    let mut checks = checks;
    for e in events.and_then(Value::as_array).into_iter().flatten() {
        let exec = match &e["script"]["exec"] {
            Value::Array(lines) => lines
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join("\n"),
            Value::String(s) => s.clone(),
            _ => String::new(),
        };
        if exec.trim().is_empty() {
            continue;
        }
        let listen = e["listen"].as_str().unwrap_or("script");
        if let (Some(into), "test") = (checks.as_deref_mut(), listen) {
            let mut c = super::scripts::postman_tests(&exec);
            into.captures.append(&mut c.captures);
            into.assertions.append(&mut c.assertions);
            if c.not_understood.is_empty() {
                continue;
            }
            append_description(
                description,
                &format!("Postman test script (partly converted to captures and assertions; the rest is not run by sigscope):\n```js\n{exec}\n```"),
            );
            warnings.push(format!(
                "{name}: the Postman test script is kept in the description: {} statement(s) not understood (first: `{}`); the common shapes were converted",
                c.not_understood.len(),
                c.not_understood[0].lines().next().unwrap_or_default()
            ));
            continue;
        }
        append_description(
            description,
            &format!("Postman {listen} script (not run by sigscope):\n```js\n{exec}\n```"),
        );
        warnings.push(format!("{name}: the Postman {listen} script is kept in the description, not run (sigscope runs no scripts: captures and assertions are data)"));
    }
}

fn request(item: &Value, path: &str, name: &str, warnings: &mut Vec<String>) -> RequestSpec {
    let r = &item["request"];
    // A request may be only its URL.
    let r = if r.is_string() { &Value::Null } else { r };
    let (url, query, path_vars) = match (&item["request"], &r["url"]) {
        (Value::String(s), _) => url_and_query(&Value::String(s.clone())),
        (_, u) => url_and_query(u),
    };
    let mut description = r.get("description").and_then(text);
    let body = body(&r["body"], path, &mut description, warnings);
    let mut checks = super::scripts::Converted::default();
    scripts(
        item.get("event"),
        path,
        &mut description,
        warnings,
        Some(&mut checks),
    );
    RequestSpec {
        id: None,
        name: name.to_string(),
        description,
        method: r["method"].as_str().unwrap_or("GET").to_string(),
        url,
        query,
        headers: match r.get("header") {
            Some(Value::String(s)) => s
                .lines()
                .filter_map(|l| l.split_once(':'))
                .map(|(n, v)| NameValue {
                    name: n.trim().into(),
                    value: v.trim().into(),
                    enabled: true,
                })
                .collect(),
            h => kv(h),
        },
        body,
        auth: auth(r.get("auth"), path, warnings),
        variables: path_vars.into_iter().collect(),
        network: Default::default(),
        preflight: None,
        captures: checks.captures,
        assertions: checks.assertions,
    }
}

fn items(
    list: &Value,
    path: &str,
    folders: &mut Vec<Folder>,
    requests: &mut Vec<RequestSpec>,
    warnings: &mut Vec<String>,
) {
    for item in list.as_array().into_iter().flatten() {
        let name = item["name"].as_str().unwrap_or("unnamed").to_string();
        let here = if path.is_empty() {
            name.clone()
        } else {
            format!("{path}/{name}")
        };
        if let Some(children) = item.get("item") {
            let mut description = item.get("description").and_then(text);
            scripts(item.get("event"), &here, &mut description, warnings, None);
            let mut folder = Folder {
                description,
                auth: auth(item.get("auth"), &here, warnings),
                ..Folder::empty(&name)
            };
            items(
                children,
                &here,
                &mut folder.folders,
                &mut folder.requests,
                warnings,
            );
            folders.push(folder);
        } else {
            requests.push(request(item, &here, &name, warnings));
        }
    }
}

pub fn import(text_in: &str) -> Result<Imported, String> {
    let v: Value = serde_json::from_str(text_in).map_err(|e| {
        format!(
            "not valid JSON at line {}, column {}: {e}",
            e.line(),
            e.column()
        )
    })?;
    // The Postman API wraps the collection: {"collection": {...}}.
    let v = match v.get("collection") {
        Some(inner) if inner.get("info").is_some() => inner.clone(),
        _ => v,
    };
    let schema = v["info"]["schema"].as_str().unwrap_or_default();
    if v.get("info").is_none()
        || (!schema.is_empty() && !schema.contains("v2.1") && !schema.contains("v2.0"))
    {
        return Err(format!(
            "not a Postman v2.0/v2.1 collection (info.schema is '{schema}'); Postman v1 exports are not read: re-export as v2.1"
        ));
    }
    let mut warnings = Vec::new();
    let mut c = empty_collection(
        v["info"]["name"]
            .as_str()
            .unwrap_or("Imported from Postman"),
    );
    c.description = v["info"].get("description").and_then(text);
    let mut disabled = Vec::new();
    for var in v["variable"].as_array().into_iter().flatten() {
        let (Some(k), Some(val)) = (var.get("key").and_then(text), var.get("value")) else {
            continue;
        };
        let value = text(val).unwrap_or_default();
        if var
            .get("disabled")
            .and_then(Value::as_bool)
            .unwrap_or(false)
        {
            disabled.push(format!("{k} = {value}"));
        } else {
            c.variables.insert(k, value);
        }
    }
    if !disabled.is_empty() {
        warnings.push(format!(
            "collection: {} disabled variable(s) not made active, kept in the description: {}",
            disabled.len(),
            disabled
                .iter()
                .map(|d| d.split(" = ").next().unwrap_or_default())
                .collect::<Vec<_>>()
                .join(", ")
        ));
        append_description(
            &mut c.description,
            &format!("Disabled Postman variables:\n{}", disabled.join("\n")),
        );
    }
    c.auth = auth(v.get("auth"), "collection", &mut warnings);
    scripts(
        v.get("event"),
        "collection",
        &mut c.description,
        &mut warnings,
        None,
    );
    let (mut folders, mut requests) = (Vec::new(), Vec::new());
    items(&v["item"], "", &mut folders, &mut requests, &mut warnings);
    c.folders = folders;
    c.requests = requests;
    Ok(Imported {
        collection: c,
        warnings,
    })
}
