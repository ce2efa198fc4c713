//! Postman Collection v2.1: folders, variables, headers, bodies, and `awsv4` auth kept as
//! aws-sigv4 (region, service, session-token use). Literal keys are never imported: they
//! become a profile reference, with a warning naming the request.

use super::{empty_collection, sigv4, Imported};
use crate::model::{Auth, Body, Folder, NameValue, RequestSpec};
use serde_json::Value;

fn kv(list: Option<&Value>) -> Vec<NameValue> {
    list.and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|h| {
                    Some(NameValue {
                        name: h.get("key")?.as_str()?.to_string(),
                        value: h
                            .get("value")
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_string(),
                        enabled: !h.get("disabled").and_then(Value::as_bool).unwrap_or(false),
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

fn auth(v: Option<&Value>, context: &str, warnings: &mut Vec<String>) -> Auth {
    let Some(a) = v else { return Auth::Inherit };
    match a.get("type").and_then(Value::as_str) {
        Some("awsv4") => {
            let params: Vec<NameValue> = kv(a.get("awsv4"));
            let get = |k: &str| {
                params
                    .iter()
                    .find(|p| p.name == k)
                    .map(|p| p.value.clone())
                    .filter(|v| !v.is_empty())
            };
            for secret in ["accessKey", "secretKey", "sessionToken"] {
                if let Some(v) = get(secret) {
                    if !(v.starts_with("{{") && v.ends_with("}}")) {
                        warnings.push(format!("{context}: awsv4 {secret} is a literal credential: not imported; the request uses your AWS profile (set one per environment)"));
                    }
                }
            }
            let region = get("region");
            let service = get("service");
            sigv4(region, service)
        }
        Some("noauth") => Auth::None,
        Some("bearer") => {
            warnings.push(format!(
                "{context}: bearer token not imported: set $API_TOKEN"
            ));
            Auth::Bearer {
                token: "{{$env.API_TOKEN}}".into(),
            }
        }
        Some("basic") => {
            let p = kv(a.get("basic"));
            let user = p
                .iter()
                .find(|x| x.name == "username")
                .map(|x| x.value.clone())
                .unwrap_or_default();
            warnings.push(format!(
                "{context}: basic password not imported: set $BASIC_PASSWORD"
            ));
            Auth::Basic {
                username: user,
                password: "{{$env.BASIC_PASSWORD}}".into(),
            }
        }
        Some("inherit") | None => Auth::Inherit,
        Some(other) => {
            warnings.push(format!("{context}: auth type '{other}' is not supported"));
            Auth::Inherit
        }
    }
}

fn request(item: &Value, name: &str, warnings: &mut Vec<String>) -> RequestSpec {
    let r = &item["request"];
    let (url, query) = match &r["url"] {
        Value::String(s) => (s.clone(), Vec::new()),
        u => {
            let raw = u.get("raw").and_then(Value::as_str).unwrap_or_default();
            (
                raw.split('?').next().unwrap_or(raw).to_string(),
                kv(u.get("query")),
            )
        }
    };
    let body = match r["body"].get("mode").and_then(Value::as_str) {
        Some("raw") => {
            let raw = r["body"]["raw"].as_str().unwrap_or_default().to_string();
            match serde_json::from_str::<Value>(&raw) {
                Ok(v) if v.is_object() || v.is_array() => Body::Json { content: v },
                _ => Body::Text { content: raw },
            }
        }
        Some("urlencoded") => Body::FormUrlencoded {
            fields: kv(r["body"].get("urlencoded")),
        },
        Some("file") => Body::File {
            path: r["body"]["file"]["src"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        },
        Some(other) => {
            warnings.push(format!("{name}: body mode '{other}' is not supported"));
            Body::None
        }
        None => Body::None,
    };
    RequestSpec {
        id: None,
        name: name.to_string(),
        description: r
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_string),
        method: r["method"].as_str().unwrap_or("GET").to_string(),
        url,
        query,
        headers: kv(r.get("header")),
        body,
        auth: auth(r.get("auth"), name, warnings),
        variables: Default::default(),
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
            let mut folder = Folder {
                name,
                description: item
                    .get("description")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                auth: auth(item.get("auth"), &here, warnings),
                headers: Vec::new(),
                variables: Default::default(),
                folders: Vec::new(),
                requests: Vec::new(),
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
            requests.push(request(item, &here, warnings));
            if let Some(last) = requests.last_mut() {
                last.name = name;
            }
        }
    }
}

pub fn import(text: &str) -> Result<Imported, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let schema = v["info"]["schema"].as_str().unwrap_or_default();
    if !schema.contains("v2.1") && !schema.contains("v2.0") {
        return Err(format!(
            "not a Postman v2.1 collection (info.schema is '{schema}')"
        ));
    }
    let mut warnings = Vec::new();
    let mut c = empty_collection(
        v["info"]["name"]
            .as_str()
            .unwrap_or("Imported from Postman"),
    );
    c.description = v["info"]
        .get("description")
        .and_then(Value::as_str)
        .map(str::to_string);
    for var in v["variable"].as_array().into_iter().flatten() {
        if let (Some(k), Some(val)) = (var["key"].as_str(), var.get("value")) {
            let value = val
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| val.to_string());
            c.variables.insert(k.to_string(), value);
        }
    }
    c.auth = auth(v.get("auth"), "collection", &mut warnings);
    let (mut folders, mut requests) = (Vec::new(), Vec::new());
    items(&v["item"], "", &mut folders, &mut requests, &mut warnings);
    c.folders = folders;
    c.requests = requests;
    if v.get("event").is_some() {
        warnings.push("pre-request and test scripts are not carried over".into());
    }
    Ok(Imported {
        collection: c,
        warnings,
    })
}
