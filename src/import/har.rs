//! HAR (a browser's DevTools "Save all as HAR"): each entry a request, in order. AWS auth in
//! it (a SigV4 `Authorization` header, `X-Amz-*` signing headers, a presigned URL's
//! `X-Amz-*` query) is recognised and replaced by aws-sigv4 auth, never stored; cookies and
//! the headers a client computes (Host, Content-Length, HTTP/2 pseudo-headers) are left out.

use super::{body_from_text, empty_collection, empty_request, sigv4, Imported};
use crate::model::{Body, NameValue};
use serde_json::Value;

/// Headers a client computes for each send, or that hold a credential the sanitizer cannot
/// convert (cookies).
fn skipped(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.starts_with(':')
        || matches!(
            n.as_str(),
            "host"
                | "content-length"
                | "connection"
                | "accept-encoding"
                | "cookie"
                | "x-amz-user-agent"
        )
}

fn presign_param(name: &str) -> bool {
    matches!(
        name,
        "X-Amz-Algorithm"
            | "X-Amz-Credential"
            | "X-Amz-Date"
            | "X-Amz-Expires"
            | "X-Amz-SignedHeaders"
            | "X-Amz-Signature"
            | "X-Amz-Security-Token"
    )
}

pub fn import(text: &str) -> Result<Imported, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| {
        format!(
            "not valid JSON at line {}, column {}: {e}",
            e.line(),
            e.column()
        )
    })?;
    let entries = v["log"]["entries"]
        .as_array()
        .ok_or("not a HAR file: no log.entries")?;
    let mut warnings = Vec::new();
    let mut c = empty_collection(
        v["log"]["pages"][0]["title"]
            .as_str()
            .filter(|t| !t.is_empty())
            .unwrap_or("Imported from HAR"),
    );
    let mut cookies = 0;
    for (i, e) in entries.iter().enumerate() {
        let r = &e["request"];
        let method = r["method"].as_str().unwrap_or("GET");
        let full = r["url"].as_str().unwrap_or_default();
        let (base, query_text) = full.split_once('?').unwrap_or((full, ""));
        let path_name = base.rsplit('/').find(|s| !s.is_empty()).unwrap_or("/");
        let name = format!("{} {method} {path_name}", i + 1);
        let mut request = empty_request(&name, method, base);
        let mut presigned = None;
        for pair in query_text.split('&').filter(|p| !p.is_empty()) {
            let (k, val) = pair.split_once('=').unwrap_or((pair, ""));
            let decoded = percent_encoding::percent_decode_str(k).decode_utf8_lossy();
            if presign_param(&decoded) {
                if decoded == "X-Amz-Credential" {
                    let cred = percent_encoding::percent_decode_str(val).decode_utf8_lossy();
                    let parts: Vec<&str> = cred.split('/').collect();
                    if parts.len() >= 5 {
                        presigned = Some((parts[2].to_string(), parts[3].to_string()));
                    }
                }
                continue;
            }
            request.query.push(NameValue {
                name: k.to_string(),
                value: val.to_string(),
                enabled: true,
            });
        }
        if let Some((region, service)) = presigned {
            warnings.push(format!("{name}: a presigned URL became aws-sigv4 auth (signature in the query) for {service} in {region}; its recorded signature is not kept"));
            request.auth = sigv4(Some(region), Some(service));
            if let crate::model::Auth::AwsSigv4 { location, .. } = &mut request.auth {
                *location = Some(crate::model::collection::SignatureIn::Query);
            }
        }
        for h in r["headers"].as_array().into_iter().flatten() {
            let hn = h["name"].as_str().unwrap_or_default();
            if hn.eq_ignore_ascii_case("cookie") {
                cookies += 1;
            }
            if hn.is_empty() || skipped(hn) {
                continue;
            }
            request.headers.push(NameValue {
                name: hn.to_string(),
                value: h["value"].as_str().unwrap_or_default().to_string(),
                enabled: true,
            });
        }
        let post = &r["postData"];
        let mime = post["mimeType"].as_str().unwrap_or_default();
        if let Some(params) = post["params"].as_array().filter(|p| !p.is_empty()) {
            request.body = Body::FormUrlencoded {
                fields: params
                    .iter()
                    .map(|p| NameValue {
                        name: p["name"].as_str().unwrap_or_default().to_string(),
                        value: p["value"].as_str().unwrap_or_default().to_string(),
                        enabled: true,
                    })
                    .collect(),
            };
            if mime.contains("multipart") {
                warnings.push(format!("{name}: the multipart body is sent as a urlencoded form (sigscope has no multipart body yet)"));
            }
        } else if let Some(text) = post["text"].as_str() {
            if post["encoding"].as_str() == Some("base64") {
                warnings.push(format!("{name}: a base64 (binary) body is not carried over: save it to a file and use a file body"));
            } else {
                request.body = match body_from_text(text) {
                    Body::Json { .. } if !mime.contains("json") && !mime.is_empty() => Body::Text {
                        content: text.to_string(),
                    },
                    b => b,
                };
            }
        }
        c.requests.push(request);
    }
    if cookies > 0 {
        warnings.push(format!(
            "{cookies} request(s) carried cookies: not imported (session credentials)"
        ));
    }
    Ok(Imported {
        collection: c,
        warnings,
    })
}
