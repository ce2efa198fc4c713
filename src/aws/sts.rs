//! STS GetCallerIdentity, sent through our own engine (signed by `sign`, sent by `http`).

use crate::aws::credentials::Credentials;
use crate::http::{self, Exchange, TransportError};
use crate::sign::{self, SigningSettings, WireRequest};
use serde::Serialize;
use std::time::SystemTime;

#[derive(Debug, Clone, Serialize)]
pub struct CallerIdentity {
    pub account: String,
    pub arn: String,
    pub user_id: String,
}

#[derive(Debug, thiserror::Error)]
pub enum StsError {
    #[error(transparent)]
    Transport(#[from] TransportError),
    #[error(transparent)]
    Sign(#[from] sign::SignError),
    #[error(transparent)]
    Request(#[from] sign::RequestError),
    #[error("STS answered {}", .0.response.status)]
    Rejected(Box<Exchange>),
    #[error("STS answered 200 but the body has no <Arn>: {0}")]
    Unreadable(String),
}

/// The STS endpoint: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, else the regional endpoint.
pub fn endpoint(region: &str) -> String {
    std::env::var("AWS_ENDPOINT_URL_STS")
        .or_else(|_| std::env::var("AWS_ENDPOINT_URL"))
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| {
            let suffix = if region.starts_with("cn-") {
                "amazonaws.com.cn"
            } else {
                "amazonaws.com"
            };
            format!("https://sts.{region}.{suffix}")
        })
}

/// The text of the first `<tag>` element.
pub fn xml_text(body: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let start = body.find(&open)? + open.len();
    let end = body[start..].find(&close)? + start;
    Some(xml_unescape(&body[start..end]))
}

pub fn xml_unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#xA;", "\n")
        .replace("&#10;", "\n")
        .replace("&amp;", "&")
}

/// Calls GetCallerIdentity at `endpoint_url`, signing for `region`.
pub async fn caller_identity(
    client: &reqwest::Client,
    credentials: &Credentials,
    endpoint_url: &str,
    region: &str,
) -> Result<CallerIdentity, StsError> {
    let mut req = WireRequest::from_url("POST", endpoint_url)?;
    req.headers.push((
        "Content-Type".into(),
        "application/x-www-form-urlencoded; charset=utf-8".into(),
    ));
    req.body = bytes::Bytes::from_static(b"Action=GetCallerIdentity&Version=2011-06-15");
    let settings = SigningSettings::for_service(region, "sts");
    let signed = sign::sign(&req, credentials, &settings, SystemTime::now())?;
    let exchange = http::send(client, signed.request, Some(signed.trace)).await?;
    if exchange.response.status != 200 {
        return Err(StsError::Rejected(Box::new(exchange)));
    }
    let body = String::from_utf8_lossy(&exchange.response.body).into_owned();
    match (
        xml_text(&body, "Arn"),
        xml_text(&body, "Account"),
        xml_text(&body, "UserId"),
    ) {
        (Some(arn), Some(account), Some(user_id)) => Ok(CallerIdentity {
            account,
            arn,
            user_id,
        }),
        _ => Err(StsError::Unreadable(body.chars().take(300).collect())),
    }
}
