//! Endpoint inference: region, service (and API id and stage) from a URL's host and path.
//!
//! A custom domain can't be inferred; we say so rather than fall back to us-east-1, the
//! default that sends so many users to a 403 ("Credential should be scoped to a valid region").

use serde::Serialize;

/// What the host says about where the request goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Endpoint {
    pub kind: EndpointKind,
    pub region: String,
    pub service: String,
    /// API Gateway REST/HTTP API id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_id: Option<String>,
    /// API Gateway stage (first path segment of an execute-api URL).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bucket: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EndpointKind {
    ApiGateway,
    ApiGatewayPrivate,
    LambdaUrl,
    S3VirtualHosted,
    S3PathStyle,
    GlobalService,
    RegionalService,
}

/// Why nothing could be inferred.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InferError {
    #[error(
        "can't infer region and service from '{0}': it is not an AWS endpoint name (a custom \
         domain or a proxy). Pass --region and --service (for API Gateway: --service execute-api)"
    )]
    CustomDomain(String),
    #[error(
        "'{0}' is a local address: pass --region and --service (sigscope's mock gateway uses \
         --region us-east-1 --service execute-api)"
    )]
    Local(String),
}

/// Signing names that differ from the endpoint prefix.
const SIGNING_NAMES: [(&str, &str); 8] = [
    ("email", "ses"),
    ("appsync-api", "appsync"),
    ("runtime.sagemaker", "sagemaker"),
    ("runtime-v2-lex", "lex"),
    ("data.iot", "iotdata"),
    ("data-ats.iot", "iotdata"),
    ("monitoring", "monitoring"),
    ("aoss", "aoss"),
];

/// Global endpoints (no region label) and the region they sign for.
const GLOBAL: [(&str, &str, &str); 8] = [
    ("sts.amazonaws.com", "sts", "us-east-1"),
    ("iam.amazonaws.com", "iam", "us-east-1"),
    ("s3.amazonaws.com", "s3", "us-east-1"),
    ("cloudfront.amazonaws.com", "cloudfront", "us-east-1"),
    ("route53.amazonaws.com", "route53", "us-east-1"),
    ("iam.us-gov.amazonaws.com", "iam", "us-gov-west-1"),
    ("iam.amazonaws.com.cn", "iam", "cn-north-1"),
    ("sts.us-gov.amazonaws.com", "sts", "us-gov-west-1"),
];

/// Whether `s` looks like an AWS region (`us-east-1`, `us-gov-west-1`, `cn-north-1`, `eu-central-2`).
pub fn is_region(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    if parts.len() < 3 || parts.len() > 4 {
        return false;
    }
    let (Some(first), Some(last)) = (parts.first(), parts.last()) else {
        return false;
    };
    first.len() == 2
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && !last.is_empty()
        && last.bytes().all(|b| b.is_ascii_digit())
        && parts[1..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
}

/// Infers the endpoint from a host (port allowed) and the URL path.
pub fn infer(host: &str, path: &str) -> Result<Endpoint, InferError> {
    let host = crate::sign::request::host_of(host).to_ascii_lowercase();
    let host = host.trim_end_matches('.');
    if host == "localhost" || host.starts_with("127.") || host == "::1" || host == "0.0.0.0" {
        return Err(InferError::Local(host.to_string()));
    }
    let custom = || InferError::CustomDomain(host.to_string());
    let first_segment = path
        .trim_start_matches('/')
        .split('/')
        .next()
        .filter(|s| !s.is_empty())
        .map(str::to_string);

    for (name, service, region) in GLOBAL {
        if host == name {
            return Ok(Endpoint {
                kind: if service == "s3" {
                    EndpointKind::S3PathStyle
                } else {
                    EndpointKind::GlobalService
                },
                region: region.into(),
                service: service.into(),
                api_id: None,
                stage: None,
                bucket: if service == "s3" { first_segment } else { None },
            });
        }
    }

    let labels: Vec<&str> = if let Some(rest) = host.strip_suffix(".on.aws") {
        // Lambda function URL: {url-id}.lambda-url.{region}.on.aws
        let labels: Vec<&str> = rest.split('.').collect();
        if let [_id, "lambda-url", region] = labels.as_slice() {
            if is_region(region) {
                return Ok(simple(EndpointKind::LambdaUrl, region, "lambda"));
            }
        }
        return Err(custom());
    } else if let Some(rest) = host
        .strip_suffix(".amazonaws.com.cn")
        .or_else(|| host.strip_suffix(".amazonaws.com"))
    {
        rest.split('.').collect()
    } else {
        return Err(custom());
    };

    // API Gateway, public: {api}.execute-api.{region}
    // and private: {vpce-dns}.execute-api.{region}.vpce or {api}-{vpce-id}.execute-api.{region}
    if let Some(pos) = labels.iter().position(|l| *l == "execute-api") {
        let region = labels.get(pos + 1).copied().unwrap_or_default();
        if is_region(region) && pos >= 1 {
            let first = labels[0];
            let private = labels.get(pos + 2) == Some(&"vpce") || first.contains("-vpce-");
            let api_id = if first.starts_with("vpce-") {
                None
            } else {
                Some(first.split("-vpce-").next().unwrap_or(first).to_string())
            };
            return Ok(Endpoint {
                kind: if private {
                    EndpointKind::ApiGatewayPrivate
                } else {
                    EndpointKind::ApiGateway
                },
                region: region.into(),
                service: "execute-api".into(),
                api_id,
                stage: first_segment,
                bucket: None,
            });
        }
    }

    // S3: {bucket}.s3.{region}, s3.{region}, s3-{region}, s3.dualstack.{region}, {bucket}.s3
    if let Some(pos) = labels
        .iter()
        .position(|l| *l == "s3" || l.starts_with("s3-") || *l == "s3-fips")
    {
        let label = labels[pos];
        let mut region = labels[pos + 1..]
            .iter()
            .copied()
            .find(|l| is_region(l))
            .map(str::to_string);
        if region.is_none() {
            if let Some(r) = label.strip_prefix("s3-").filter(|r| is_region(r)) {
                region = Some(r.to_string());
            }
        }
        let region = region.unwrap_or_else(|| "us-east-1".to_string());
        let bucket = (pos > 0).then(|| labels[..pos].join("."));
        return Ok(Endpoint {
            kind: if bucket.is_some() {
                EndpointKind::S3VirtualHosted
            } else {
                EndpointKind::S3PathStyle
            },
            region,
            service: "s3".into(),
            api_id: None,
            bucket: bucket.or(first_segment),
            stage: None,
        });
    }

    // {prefix...}.{region} or {prefix...}.{region}.{service} (OpenSearch: {domain}.{region}.es)
    if let Some(pos) = labels.iter().position(|l| is_region(l)) {
        let region = labels[pos];
        if pos + 1 < labels.len() {
            let service = labels[pos + 1];
            return Ok(simple(EndpointKind::RegionalService, region, service));
        }
        if pos >= 1 {
            let prefix = labels[..pos].join(".");
            let prefix = prefix.strip_suffix("-fips").unwrap_or(&prefix);
            let service = SIGNING_NAMES
                .iter()
                .find(|(p, _)| prefix == *p || prefix.ends_with(&format!(".{p}")))
                .map(|(_, s)| s.to_string())
                .unwrap_or_else(|| labels[pos - 1].trim_end_matches("-fips").to_string());
            return Ok(simple(EndpointKind::RegionalService, region, &service));
        }
    }
    // {service}.amazonaws.com without a region: a global endpoint we don't list.
    if labels.len() == 1 && !labels[0].is_empty() {
        return Ok(simple(EndpointKind::GlobalService, "us-east-1", labels[0]));
    }
    Err(custom())
}

fn simple(kind: EndpointKind, region: &str, service: &str) -> Endpoint {
    Endpoint {
        kind,
        region: region.into(),
        service: service.into(),
        api_id: None,
        stage: None,
        bucket: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rs(host: &str, path: &str) -> (String, String) {
        let e = infer(host, path).unwrap();
        (e.region, e.service)
    }

    #[test]
    fn api_gateway_gives_region_service_api_and_stage() {
        let e = infer("abc123.execute-api.eu-west-1.amazonaws.com", "/prod/pets").unwrap();
        assert_eq!(e.kind, EndpointKind::ApiGateway);
        assert_eq!(
            (e.region.as_str(), e.service.as_str()),
            ("eu-west-1", "execute-api")
        );
        assert_eq!(e.api_id.as_deref(), Some("abc123"));
        assert_eq!(e.stage.as_deref(), Some("prod"));
    }

    #[test]
    fn private_api_gateway_endpoints() {
        let e = infer(
            "vpce-0123456789abcdef-abcd1234.execute-api.us-east-2.vpce.amazonaws.com",
            "/test/x",
        )
        .unwrap();
        assert_eq!(e.kind, EndpointKind::ApiGatewayPrivate);
        assert_eq!(e.region, "us-east-2");
        assert_eq!(e.api_id, None);
        let e = infer(
            "a1b2c3-vpce-0123456789abcdef.execute-api.us-east-1.amazonaws.com",
            "/dev",
        )
        .unwrap();
        assert_eq!(e.kind, EndpointKind::ApiGatewayPrivate);
        assert_eq!(e.api_id.as_deref(), Some("a1b2c3"));
    }

    #[test]
    fn lambda_function_urls_sign_for_lambda() {
        let e = infer("abcdefghijklmnop.lambda-url.ap-southeast-2.on.aws", "/").unwrap();
        assert_eq!(e.kind, EndpointKind::LambdaUrl);
        assert_eq!(
            (e.region.as_str(), e.service.as_str()),
            ("ap-southeast-2", "lambda")
        );
    }

    #[test]
    fn regional_services() {
        assert_eq!(
            rs("dynamodb.us-west-2.amazonaws.com", "/"),
            ("us-west-2".into(), "dynamodb".into())
        );
        assert_eq!(
            rs("sqs.eu-central-1.amazonaws.com:443", "/"),
            ("eu-central-1".into(), "sqs".into())
        );
        assert_eq!(
            rs("email.us-east-1.amazonaws.com", "/"),
            ("us-east-1".into(), "ses".into())
        );
        assert_eq!(
            rs("runtime.sagemaker.us-east-1.amazonaws.com", "/"),
            ("us-east-1".into(), "sagemaker".into())
        );
        assert_eq!(
            rs("search-logs-x.eu-west-1.es.amazonaws.com", "/"),
            ("eu-west-1".into(), "es".into())
        );
        assert_eq!(
            rs("lambda-fips.us-east-1.amazonaws.com", "/"),
            ("us-east-1".into(), "lambda".into())
        );
    }

    #[test]
    fn s3_virtual_hosted_and_path_style() {
        let e = infer("my.bucket.s3.eu-west-1.amazonaws.com", "/key").unwrap();
        assert_eq!(e.kind, EndpointKind::S3VirtualHosted);
        assert_eq!(e.bucket.as_deref(), Some("my.bucket"));
        assert_eq!(e.region, "eu-west-1");
        let e = infer("s3.us-west-2.amazonaws.com", "/bucket/key").unwrap();
        assert_eq!(e.kind, EndpointKind::S3PathStyle);
        assert_eq!(e.bucket.as_deref(), Some("bucket"));
        let e = infer("s3.amazonaws.com", "/bucket/key").unwrap();
        assert_eq!((e.region.as_str(), e.service.as_str()), ("us-east-1", "s3"));
        let e = infer("bucket.s3-us-west-1.amazonaws.com", "/k").unwrap();
        assert_eq!(e.region, "us-west-1");
        let e = infer("bucket.s3.dualstack.ap-south-1.amazonaws.com", "/k").unwrap();
        assert_eq!(e.region, "ap-south-1");
        let e = infer("bucket.s3.amazonaws.com", "/k").unwrap();
        assert_eq!(e.region, "us-east-1");
    }

    #[test]
    fn global_endpoints_sign_for_their_home_region() {
        assert_eq!(
            rs("sts.amazonaws.com", "/"),
            ("us-east-1".into(), "sts".into())
        );
        assert_eq!(
            rs("iam.amazonaws.com", "/"),
            ("us-east-1".into(), "iam".into())
        );
        assert_eq!(
            rs("iam.us-gov.amazonaws.com", "/"),
            ("us-gov-west-1".into(), "iam".into())
        );
    }

    #[test]
    fn china_and_govcloud() {
        assert_eq!(
            rs("sts.cn-north-1.amazonaws.com.cn", "/"),
            ("cn-north-1".into(), "sts".into())
        );
        let e = infer("x1.execute-api.cn-northwest-1.amazonaws.com.cn", "/prod").unwrap();
        assert_eq!(e.region, "cn-northwest-1");
        assert_eq!(
            rs("dynamodb.us-gov-west-1.amazonaws.com", "/"),
            ("us-gov-west-1".into(), "dynamodb".into())
        );
    }

    #[test]
    fn custom_domains_are_not_guessed() {
        let err = infer("api.example.com", "/v1/pets").unwrap_err();
        assert!(matches!(err, InferError::CustomDomain(_)));
        assert!(err.to_string().contains("--region"));
        assert!(matches!(
            infer("127.0.0.1:8080", "/").unwrap_err(),
            InferError::Local(_)
        ));
    }

    #[test]
    fn region_shapes() {
        assert!(is_region("us-east-1"));
        assert!(is_region("us-gov-west-1"));
        assert!(!is_region("execute-api"));
        assert!(!is_region("amazonaws"));
    }
}
