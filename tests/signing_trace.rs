//! The trace is what got signed, after the work that made signing cheaper: texts written from
//! the signed data in one pass, the canonical query taken from the raw query when it is
//! already canonical, and the URL reused from the aws-sigv4 call. Each trace text is checked
//! against an independent recomputation (the request's own `url()`/`to_text()`, SigV4's key
//! derivation written out here, and signatures computed by botocore at the same time and keys).

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use sigscope::aws::credentials::Credentials;
use sigscope::sign::{self, Location, PayloadMode, Signed, SigningSettings, WireRequest};
use std::time::{Duration, SystemTime};

/// 2015-08-30T12:36:00Z, the SigV4 suite's time.
fn at() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_440_938_160)
}

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

fn keys(token: Option<&str>) -> Credentials {
    Credentials::new("AKIAIOSFODNN7EXAMPLE", SECRET, token, "test")
}

fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Every text of the trace, recomputed from the signed request and the trace's own parts.
fn assert_trace_is_what_was_signed(signed: &Signed, settings: &SigningSettings) {
    let t = &signed.trace;
    assert_eq!(t.url, signed.request.url());
    assert_eq!(t.signed_request, signed.request.to_text());
    assert_eq!(t.canonical_request, t.canonical.to_text());
    assert_eq!(t.signed_headers, t.canonical.signed_headers);
    let names: Vec<&str> = t
        .canonical
        .headers
        .iter()
        .map(|(n, _)| n.as_str())
        .collect();
    assert_eq!(t.signed_headers, names);
    let date = &t.signing_time[..8];
    assert_eq!(
        t.credential_scope,
        format!(
            "{date}/{}/{}/aws4_request",
            settings.region, settings.service
        )
    );
    let sts = format!(
        "AWS4-HMAC-SHA256\n{}\n{}\n{}",
        t.signing_time,
        t.credential_scope,
        hex(&Sha256::digest(t.canonical_request.as_bytes()))
    );
    assert_eq!(t.string_to_sign, sts);
    let key = [date, &settings.region, &settings.service, "aws4_request"]
        .iter()
        .fold(format!("AWS4{SECRET}").into_bytes(), |k, part| {
            hmac(&k, part)
        });
    assert_eq!(t.signature, hex(&hmac(&key, &sts)));
}

fn sign_url(method: &str, url: &str, settings: &SigningSettings) -> Signed {
    let req = WireRequest::from_url(method, url).unwrap();
    let signed = sign::sign(&req, &keys(None), settings, at()).unwrap();
    assert_trace_is_what_was_signed(&signed, settings);
    signed
}

#[test]
fn an_already_canonical_query_and_a_sorted_one_sign_as_botocore_does() {
    let api = SigningSettings::for_service("us-east-1", "execute-api");
    // botocore SigV4Auth at the same time and keys; the first query is already canonical
    // (taken as it is), the second is sorted, the third re-encoded.
    for (url, query, signature) in [
        (
            "https://abc123.execute-api.us-east-1.amazonaws.com/prod/pets?limit=10&type=dog",
            "limit=10&type=dog",
            "1c699466c557a8e8644061eca727f0a4dbab6062cb16660d81d27c23170e6702",
        ),
        (
            "https://abc123.execute-api.us-east-1.amazonaws.com/prod/pets?type=dog&limit=10",
            "limit=10&type=dog",
            "1c699466c557a8e8644061eca727f0a4dbab6062cb16660d81d27c23170e6702",
        ),
        (
            "https://abc123.execute-api.us-east-1.amazonaws.com/prod/pets?d=&c&b=%2f&a=x+y",
            "a=x%2By&b=%2F&c=&d=",
            "af85fecff9ca28a27ff84ca64ffc10030c80942a9c944eb39988152a94e4671f",
        ),
    ] {
        let signed = sign_url("GET", url, &api);
        assert_eq!(signed.trace.canonical.query, query, "{url}");
        assert_eq!(signed.trace.signature, signature, "{url}");
    }
}

#[test]
fn the_url_in_the_trace_is_the_signed_requests_in_every_form() {
    let api = SigningSettings::for_service("us-east-1", "execute-api");
    // No query, an empty query (`url()` keeps its `?`), a port, plain HTTP.
    for url in [
        "https://abc123.execute-api.us-east-1.amazonaws.com/prod",
        "https://abc123.execute-api.us-east-1.amazonaws.com/prod?",
        "https://abc123.execute-api.us-east-1.amazonaws.com:8443/prod?b=2&a=1",
        "http://127.0.0.1:8080/prod/a%2Fb?x=%7e",
    ] {
        let signed = sign_url("GET", url, &api);
        assert!(signed.trace.url.starts_with(url), "{url}");
    }
    // A raw target `http::Uri` refuses: aws-sigv4 is handed the canonical form instead, and
    // the trace's URL is still the one sent.
    let raw =
        b"GET /sp%20ace/x?b=1&a=2 HTTP/1.1\nHost: abc123.execute-api.us-east-1.amazonaws.com\n\n";
    let req = WireRequest::parse_raw(raw, "https").unwrap();
    let signed = sign::sign(&req, &keys(None), &api, at()).unwrap();
    assert_trace_is_what_was_signed(&signed, &api);
    // Presigned: the URL carries the signature; with a session token and a signed-header
    // payload as well.
    let mut presigned = SigningSettings::for_service("us-east-1", "s3");
    presigned.location = Location::Query { expires_secs: 300 };
    let signed = sign_url(
        "GET",
        "https://b.s3.us-east-1.amazonaws.com/k?v=1",
        &presigned,
    );
    assert!(signed.trace.url.contains("&X-Amz-Signature="));
    let mut s3 = SigningSettings::for_service("us-east-1", "s3");
    s3.payload = PayloadMode::SignedHeader;
    let req = WireRequest::from_url("PUT", "https://b.s3.us-east-1.amazonaws.com/a b").unwrap();
    let signed = sign::sign(&req, &keys(Some("tok+en/=")), &s3, at()).unwrap();
    assert_trace_is_what_was_signed(&signed, &s3);
}

#[test]
fn headers_in_any_case_are_signed_or_left_unsigned_as_before() {
    let api = SigningSettings::for_service("us-east-1", "execute-api");
    let mut req =
        WireRequest::from_url("GET", "https://abc123.execute-api.us-east-1.amazonaws.com/")
            .unwrap();
    for (n, v) in [
        ("CONNECTION", "close"),
        ("Proxy-Authorization", "x"),
        ("SEC-Fetch-Mode", "cors"),
        ("X-B", " b  c "),
        ("x-b", "\td"),
        ("Content-Type", "text/plain"),
    ] {
        req.headers.push((n.to_string(), v.to_string()));
    }
    let signed = sign::sign(&req, &keys(None), &api, at()).unwrap();
    assert_trace_is_what_was_signed(&signed, &api);
    assert_eq!(
        signed.trace.signed_headers,
        ["content-type", "host", "x-amz-date", "x-b"]
    );
    assert_eq!(
        signed.trace.unsigned_headers,
        ["connection", "proxy-authorization", "sec-fetch-mode"]
    );
    assert!(signed.trace.canonical_request.contains("\nx-b:b c,d\n"));
    // Opted back in, in another case than the list's.
    let mut opted = api.clone();
    opted.included_headers = vec!["connection".into()];
    let signed = sign::sign(&req, &keys(None), &opted, at()).unwrap();
    assert!(signed
        .trace
        .signed_headers
        .contains(&"connection".to_string()));
}
