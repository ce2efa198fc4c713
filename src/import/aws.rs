//! Straight from the account: the APIs the credentials can see (API Gateway REST APIs and
//! their stages, HTTP APIs, Lambda function URLs), each call signed by sigscope's own engine,
//! and a collection built from API Gateway's export (OpenAPI with the `x-amazon-apigateway`
//! extensions) with the real invoke URL, region and auth.
//!
//! Endpoints follow the AWS SDKs' overrides: `AWS_ENDPOINT_URL_APIGATEWAY`,
//! `AWS_ENDPOINT_URL_APIGATEWAYV2`, `AWS_ENDPOINT_URL_LAMBDA`, then `AWS_ENDPOINT_URL`.

use super::{empty_collection, empty_request, sigv4, Imported, Options};
use crate::aws::credentials::Credentials;
use crate::http::{self, Exchange, TransportError};
use crate::model::Auth;
use crate::sign::{self, SigningSettings, WireRequest};
use serde_json::Value;
use std::time::SystemTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKind {
    /// API Gateway REST API (v1).
    Rest,
    /// API Gateway HTTP API (v2).
    Http,
    /// A Lambda function URL.
    FunctionUrl,
}

impl ApiKind {
    pub fn name(self) -> &'static str {
        match self {
            ApiKind::Rest => "REST API",
            ApiKind::Http => "HTTP API",
            ApiKind::FunctionUrl => "function URL",
        }
    }
}

/// One API the account holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountApi {
    pub kind: ApiKind,
    /// The API id, or the function name.
    pub id: String,
    pub name: String,
    /// Stages (REST and HTTP APIs).
    pub stages: Vec<String>,
    /// The function URL, or an HTTP API's endpoint.
    pub url: Option<String>,
    /// Whether the function URL wants IAM auth.
    pub iam: bool,
}

/// What `discover` found, and the services it could not list (each said, none fatal).
#[derive(Debug, Default)]
pub struct Discovery {
    pub apis: Vec<AccountApi>,
    pub problems: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum AwsImportError {
    #[error(transparent)]
    Transport(#[from] TransportError),
    #[error(transparent)]
    Sign(#[from] sign::SignError),
    #[error(transparent)]
    Request(#[from] sign::RequestError),
    #[error("{service} answered {}", .exchange.response.status)]
    Rejected {
        service: &'static str,
        exchange: Box<Exchange>,
    },
    #[error("{0}")]
    Unreadable(String),
}

/// A service's endpoint: its override, the global override, else the regional endpoint.
pub fn endpoint(service_env: &str, host_prefix: &str, region: &str) -> String {
    std::env::var(format!("AWS_ENDPOINT_URL_{service_env}"))
        .or_else(|_| std::env::var("AWS_ENDPOINT_URL"))
        .ok()
        .filter(|s| !s.is_empty())
        .map(|s| s.trim_end_matches('/').to_string())
        .unwrap_or_else(|| {
            let suffix = if region.starts_with("cn-") {
                "amazonaws.com.cn"
            } else {
                "amazonaws.com"
            };
            format!("https://{host_prefix}.{region}.{suffix}")
        })
}

/// A signed GET through our own engine; the JSON body of a 200.
async fn get_json(
    client: &reqwest::Client,
    credentials: &Credentials,
    region: &str,
    service: &'static str,
    url: &str,
) -> Result<Value, AwsImportError> {
    let mut req = WireRequest::from_url("GET", url)?;
    req.headers
        .push(("Accept".into(), "application/json".into()));
    let settings = SigningSettings::for_service(region, service);
    let signed = sign::sign(&req, credentials, &settings, SystemTime::now())?;
    let exchange = http::send(client, signed.request, Some(signed.trace)).await?;
    if exchange.response.status != 200 {
        return Err(AwsImportError::Rejected {
            service,
            exchange: Box::new(exchange),
        });
    }
    serde_json::from_slice(&exchange.response.body).map_err(|e| {
        AwsImportError::Unreadable(format!(
            "{service} answered 200 with a body that is not JSON: {e}"
        ))
    })
}

fn enc(s: &str) -> String {
    crate::sign::canonical::encode_component(s)
}

/// The pages of a list call, following its continuation field (at most 50 pages).
async fn pages(
    client: &reqwest::Client,
    credentials: &Credentials,
    region: &str,
    service: &'static str,
    url: &str,
    (items_key, next_key, next_param): (&str, &str, &str),
) -> Result<Vec<Value>, AwsImportError> {
    let mut out = Vec::new();
    let mut next: Option<String> = None;
    for _ in 0..50 {
        let page_url = match &next {
            None => url.to_string(),
            Some(token) => format!(
                "{url}{}{next_param}={}",
                if url.contains('?') { '&' } else { '?' },
                enc(token)
            ),
        };
        let page = get_json(client, credentials, region, service, &page_url).await?;
        out.extend(page[items_key].as_array().cloned().unwrap_or_default());
        next = page[next_key]
            .as_str()
            .filter(|t| !t.is_empty())
            .map(str::to_string);
        if next.is_none() {
            break;
        }
    }
    Ok(out)
}

/// The stage names an API Gateway `GetStages` lists under `key` (`item` for REST APIs,
/// `items` for v2); a failure is recorded in `problems` as `what` and gives none.
async fn stage_names(
    (client, credentials, region): (&reqwest::Client, &Credentials, &str),
    url: &str,
    key: &str,
    what: &str,
    problems: &mut Vec<String>,
) -> Vec<String> {
    match get_json(client, credentials, region, "apigateway", url).await {
        Ok(s) => s[key]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|st| st["stageName"].as_str().map(str::to_string))
            .collect(),
        Err(e) => {
            problems.push(problem(what, &e));
            Vec::new()
        }
    }
}

fn problem(what: &str, e: &AwsImportError) -> String {
    match e {
        AwsImportError::Rejected { exchange, .. } => format!(
            "{what}: HTTP {} {}",
            exchange.response.status,
            String::from_utf8_lossy(&exchange.response.body)
                .chars()
                .take(200)
                .collect::<String>()
        ),
        other => format!("{what}: {other}"),
    }
}

/// Lists the APIs the credentials can see in `region`.
pub async fn discover(
    client: &reqwest::Client,
    credentials: &Credentials,
    region: &str,
) -> Discovery {
    let mut d = Discovery::default();
    let apigw = endpoint("APIGATEWAY", "apigateway", region);
    match pages(
        client,
        credentials,
        region,
        "apigateway",
        &format!("{apigw}/restapis?limit=500"),
        ("item", "position", "position"),
    )
    .await
    {
        Ok(items) => {
            for api in items {
                let id = api["id"].as_str().unwrap_or_default().to_string();
                let stages = stage_names(
                    (client, credentials, region),
                    &format!("{apigw}/restapis/{}/stages", enc(&id)),
                    "item",
                    &format!("API Gateway GetStages for {id}"),
                    &mut d.problems,
                )
                .await;
                d.apis.push(AccountApi {
                    kind: ApiKind::Rest,
                    name: api["name"].as_str().unwrap_or(&id).to_string(),
                    id,
                    stages,
                    url: None,
                    iam: true,
                });
            }
        }
        Err(e) => d.problems.push(problem("API Gateway GetRestApis", &e)),
    }
    let v2 = endpoint("APIGATEWAYV2", "apigateway", region);
    match pages(
        client,
        credentials,
        region,
        "apigateway",
        &format!("{v2}/v2/apis"),
        ("items", "nextToken", "nextToken"),
    )
    .await
    {
        Ok(items) => {
            for api in items.iter().filter(|a| a["protocolType"] == "HTTP") {
                let id = api["apiId"].as_str().unwrap_or_default().to_string();
                let stages = stage_names(
                    (client, credentials, region),
                    &format!("{v2}/v2/apis/{}/stages", enc(&id)),
                    "items",
                    &format!("API Gateway v2 GetStages for {id}"),
                    &mut d.problems,
                )
                .await;
                d.apis.push(AccountApi {
                    kind: ApiKind::Http,
                    name: api["name"].as_str().unwrap_or(&id).to_string(),
                    id,
                    stages,
                    url: api["apiEndpoint"].as_str().map(str::to_string),
                    iam: true,
                });
            }
        }
        Err(e) => d.problems.push(problem("API Gateway v2 GetApis", &e)),
    }
    let lambda = endpoint("LAMBDA", "lambda", region);
    match pages(
        client,
        credentials,
        region,
        "lambda",
        &format!("{lambda}/2015-03-31/functions/?MaxItems=50"),
        ("Functions", "NextMarker", "Marker"),
    )
    .await
    {
        Ok(functions) => {
            for f in functions {
                let name = f["FunctionName"].as_str().unwrap_or_default().to_string();
                match get_json(
                    client,
                    credentials,
                    region,
                    "lambda",
                    &format!("{lambda}/2021-10-31/functions/{}/url", enc(&name)),
                )
                .await
                {
                    Ok(cfg) => d.apis.push(AccountApi {
                        kind: ApiKind::FunctionUrl,
                        id: name.clone(),
                        name,
                        stages: Vec::new(),
                        url: cfg["FunctionUrl"].as_str().map(str::to_string),
                        iam: cfg["AuthType"] == "AWS_IAM",
                    }),
                    // No URL configured: not an HTTP endpoint.
                    Err(AwsImportError::Rejected { exchange, .. })
                        if exchange.response.status == 404 => {}
                    Err(e) => d.problems.push(problem(
                        &format!("Lambda GetFunctionUrlConfig for {name}"),
                        &e,
                    )),
                }
            }
        }
        Err(e) => d.problems.push(problem("Lambda ListFunctions", &e)),
    }
    d
}

/// A collection for one API (and stage): from the export for REST and HTTP APIs, one request
/// for a function URL. Every IAM request is signed for `region`.
pub async fn import_api(
    client: &reqwest::Client,
    credentials: &Credentials,
    region: &str,
    api: &AccountApi,
    stage: Option<&str>,
    options: &Options,
) -> Result<Imported, AwsImportError> {
    let stage = stage
        .map(str::to_string)
        .or_else(|| api.stages.first().cloned());
    let mut imported = match api.kind {
        ApiKind::Rest | ApiKind::Http => {
            let Some(stage) = stage.clone() else {
                return Err(AwsImportError::Unreadable(format!(
                    "{} '{}' has no stage: deploy it first",
                    api.kind.name(),
                    api.id
                )));
            };
            let url = if api.kind == ApiKind::Rest {
                format!(
                    "{}/restapis/{}/stages/{}/exports/oas30?extensions=apigateway",
                    endpoint("APIGATEWAY", "apigateway", region),
                    enc(&api.id),
                    enc(&stage)
                )
            } else {
                format!("{}/v2/apis/{}/exports/OAS30?outputType=JSON&includeExtensions=true&stageName={}", endpoint("APIGATEWAYV2", "apigateway", region), enc(&api.id), enc(&stage))
            };
            let doc = get_json(client, credentials, region, "apigateway", &url).await?;
            let mut imported = super::openapi::import_with(&doc.to_string(), options)
                .map_err(AwsImportError::Unreadable)?;
            imported.collection.name = format!("{} ({stage})", api.name);
            imported
        }
        ApiKind::FunctionUrl => {
            let url = api.url.clone().ok_or_else(|| {
                AwsImportError::Unreadable(format!("function {} has no URL", api.id))
            })?;
            let mut c = empty_collection(&api.name);
            let mut r = empty_request(&format!("GET {}", api.name), "GET", &url);
            r.auth = if api.iam {
                sigv4(Some(region.into()), Some("lambda".into()))
            } else {
                Auth::None
            };
            c.requests.push(r);
            Imported {
                collection: c,
                warnings: Vec::new(),
            }
        }
    };
    // The region is the account's: a custom domain or the local gateway cannot tell it.
    fn set_region(auth: &mut Auth, region: &str) {
        if let Auth::AwsSigv4 { region: r, .. } = auth {
            if r.as_deref().is_none_or(|r| r == "auto") {
                *r = Some(region.to_string());
            }
        }
    }
    let c = &mut imported.collection;
    set_region(&mut c.auth, region);
    fn walk(folders: &mut [crate::model::Folder], region: &str) {
        for f in folders {
            set_region(&mut f.auth, region);
            for r in &mut f.requests {
                set_region(&mut r.auth, region);
            }
            walk(&mut f.folders, region);
        }
    }
    for r in &mut c.requests {
        set_region(&mut r.auth, region);
    }
    walk(&mut c.folders, region);
    c.description = Some(format!(
        "Imported from the account: {} '{}' ({}) in {region}.",
        api.kind.name(),
        api.name,
        api.id
    ));
    Ok(super::finish(imported))
}

/// Every SigV4 auth in the collection (its own, its folders', its requests').
fn each_sigv4(c: &mut crate::model::Collection, f: &mut dyn FnMut(&mut Option<String>)) {
    fn one(auth: &mut Auth, f: &mut dyn FnMut(&mut Option<String>)) {
        if let Auth::AwsSigv4 { profile, .. } = auth {
            f(profile);
        }
    }
    fn walk(folders: &mut [crate::model::Folder], f: &mut dyn FnMut(&mut Option<String>)) {
        for folder in folders {
            one(&mut folder.auth, f);
            for r in &mut folder.requests {
                one(&mut r.auth, f);
            }
            walk(&mut folder.folders, f);
        }
    }
    one(&mut c.auth, f);
    for r in &mut c.requests {
        one(&mut r.auth, f);
    }
    walk(&mut c.folders, f);
}

/// The profile the APIs were listed with, for every SigV4 request that names none: what
/// could see the API can call it (the workbench's import, where a profile was picked).
pub fn sign_with_profile(c: &mut crate::model::Collection, profile: &str) {
    each_sigv4(c, &mut |p| {
        if p.is_none() {
            *p = Some(profile.to_string());
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_listing_profile_goes_where_no_profile_is_named() {
        let mut c = empty_collection("c");
        let mut own = empty_request("own", "GET", "https://x.example/a");
        own.auth = sigv4(None, None);
        if let Auth::AwsSigv4 { profile, .. } = &mut own.auth {
            *profile = Some("mine".into());
        }
        let mut plain = empty_request("plain", "GET", "https://x.example/b");
        plain.auth = sigv4(Some("us-east-1".into()), None);
        let none = empty_request("none", "GET", "https://x.example/c");
        c.requests = vec![own, plain, none];
        sign_with_profile(&mut c, "prod");
        let profiles: Vec<Option<String>> = (c.requests.iter())
            .map(|r| match &r.auth {
                Auth::AwsSigv4 { profile, .. } => profile.clone(),
                _ => None,
            })
            .collect();
        assert_eq!(
            profiles,
            vec![Some("mine".into()), Some("prod".into()), None],
            "kept, filled, and no auth given to a request without SigV4"
        );
    }
}
