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

/// The text of the first element named each of `tags` (any namespace; entities, character
/// references and CDATA resolved, nested text joined), read with `roxmltree` in one parse.
/// All `None` when the body is not well-formed XML: a string search found `<Code>` in a
/// comment, stopped at the first `</Code>` of a nested element, and left `&#x41;`
/// undecoded.
pub fn xml_texts<const N: usize>(body: &str, tags: [&str; N]) -> [Option<String>; N] {
    let Ok(doc) = roxmltree::Document::parse(body.trim_start_matches('\u{feff}').trim()) else {
        return [const { None }; N];
    };
    tags.map(|tag| {
        doc.descendants()
            .find(|n| n.is_element() && n.tag_name().name() == tag)
            .map(|n| {
                n.descendants()
                    .filter(|d| d.is_text())
                    .filter_map(|d| d.text())
                    .collect()
            })
    })
}

/// The text of the first element named `tag` (see `xml_texts`).
pub fn xml_text(body: &str, tag: &str) -> Option<String> {
    let [text] = xml_texts(body, [tag]);
    text
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
    match xml_texts(&body, ["Arn", "Account", "UserId"]) {
        [Some(arn), Some(account), Some(user_id)] => Ok(CallerIdentity {
            account,
            arn,
            user_id,
        }),
        _ => Err(StsError::Unreadable(body.chars().take(300).collect())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_fields_are_read_by_a_parser_not_a_string_search() {
        let body = r#"<?xml version="1.0"?>
<!-- <Code>NotThis</Code> -->
<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>Signature&#x44;oesNotMatch</Code>
  <Message><![CDATA[a < b & c]]> &amp; d</Message></Error>
</ErrorResponse>"#;
        assert_eq!(
            xml_texts(body, ["Code", "Message", "Missing"]),
            [
                Some("SignatureDoesNotMatch".to_string()),
                Some("a < b & c & d".to_string()),
                None
            ]
        );
        assert_eq!(xml_text("<a><Code>x</a>", "Code"), None, "not well-formed");
        assert_eq!(xml_text("<Arn></Arn>", "Arn").as_deref(), Some(""));
    }
}
