//! Private API Gateway APIs reached through an interface VPC endpoint: the request goes to
//! the endpoint's name (`vpce-….execute-api.{region}.vpce.amazonaws.com`) and names the API
//! either with the `x-apigw-api-id` header or with a `Host` header that is the API's own
//! name. The signature covers the Host the server sees, so each way signs a different host;
//! `note` says which, for the signing inspector.

use crate::sign::WireRequest;

/// The VPC endpoint's id in a `vpce-…` host.
fn vpce_id(host: &str) -> Option<&str> {
    let first = host.split('.').next()?;
    (first.starts_with("vpce-") && host.contains(".execute-api.")).then_some(first)
}

/// `{api}.execute-api.{region}.amazonaws.com` → the API id.
fn api_of_host(host: &str) -> Option<&str> {
    let mut labels = host.split('.');
    let api = labels.next()?;
    (labels.next() == Some("execute-api") && host.ends_with(".amazonaws.com")).then_some(api)
}

/// How a request to a private API is addressed and signed, for the inspector; `None` when
/// it does not go to a VPC endpoint's name.
pub fn note(req: &WireRequest) -> Option<String> {
    // Runs on every signing: most hosts are ruled out before a lowercase copy is made.
    if !req.host().get(..5)?.eq_ignore_ascii_case("vpce-") {
        return None;
    }
    let url_host = req.host().to_ascii_lowercase();
    let vpce = vpce_id(&url_host)?;
    let host_header = req
        .header("host")
        .map(|h| crate::sign::request::host_of(h.trim()).to_ascii_lowercase())
        .filter(|h| *h != url_host);
    let api_header = req.header("x-apigw-api-id").map(str::trim);
    Some(match (host_header.as_deref(), api_header) {
        (Some(h), _) => match api_of_host(h) {
            Some(api) => format!(
                "private API '{api}' through VPC endpoint {vpce}: sent to {url_host} with Host {h}, so the signature covers Host {h} (the name API Gateway sees); TLS still checks the endpoint's certificate"
            ),
            None => format!(
                "sent to VPC endpoint {vpce} with Host {h}: the signature covers Host {h}; for a private API it must be <api-id>.execute-api.<region>.amazonaws.com"
            ),
        },
        (None, Some(api)) => format!(
            "private API '{api}' through VPC endpoint {vpce}: named by x-apigw-api-id, so the signature covers Host {url_host} (the endpoint's name, which API Gateway sees)"
        ),
        (None, None) => format!(
            "VPC endpoint {vpce} without an API named: add the header x-apigw-api-id: <api-id> (or a Host header <api-id>.execute-api.<region>.amazonaws.com); API Gateway answers 403 Forbidden otherwise"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const VPCE: &str =
        "https://vpce-0abc123-de45f6.execute-api.us-east-1.vpce.amazonaws.com/test/pets";

    #[test]
    fn each_way_of_naming_the_api_says_which_host_is_signed() {
        let mut by_header = WireRequest::from_url("GET", VPCE).unwrap();
        by_header.add_header_line("x-apigw-api-id: a1b2c3").unwrap();
        let n = note(&by_header).unwrap();
        assert!(
            n.contains("'a1b2c3'") && n.contains("covers Host vpce-0abc123-de45f6.execute-api"),
            "{n}"
        );

        let mut by_host = WireRequest::from_url("GET", VPCE).unwrap();
        by_host
            .add_header_line("Host: a1b2c3.execute-api.us-east-1.amazonaws.com")
            .unwrap();
        let n = note(&by_host).unwrap();
        assert!(
            n.contains("covers Host a1b2c3.execute-api.us-east-1.amazonaws.com"),
            "{n}"
        );

        let bare = WireRequest::from_url("GET", VPCE).unwrap();
        assert!(note(&bare).unwrap().contains("403 Forbidden"));
        let public = WireRequest::from_url(
            "GET",
            "https://a1b2c3.execute-api.us-east-1.amazonaws.com/x",
        )
        .unwrap();
        assert_eq!(note(&public), None);
    }
}
