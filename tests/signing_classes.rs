//! One minimal case for each class of signature that an outside verifier once rejected
//! (moto, an S3 implementation, botocore, the AWS JS SDK). Expected signatures were computed
//! by botocore's `SigV4Auth` / `S3SigV4QueryAuth` at the same fixed time and keys; the
//! whole-program cases are verified by the local gateway over real HTTP. The random
//! cross-checks against botocore, `@smithy/signature-v4`, s3s-fs and moto run in `.ci/check.d`.

mod common;

use common::{demo_env, sigscope, text};
use sigscope::aws::credentials::Credentials;
use sigscope::sign::{self, Location, PayloadMode, SigningSettings, WireRequest};
use std::time::{Duration, SystemTime};

/// 2015-08-30T12:36:00Z, the SigV4 suite's time.
fn at() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_440_938_160)
}

fn demo_keys() -> Credentials {
    Credentials::new(
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        None,
        "test",
    )
}

fn get(url: &str, headers: &[(&str, &str)]) -> WireRequest {
    let mut req = WireRequest::from_url("GET", url).unwrap();
    for (n, v) in headers {
        req.headers.push((n.to_string(), v.to_string()));
    }
    req
}

#[test]
fn a_tab_in_a_header_value_folds_to_a_space_and_is_sent_folded() {
    let req = get(
        "https://abc123.execute-api.us-east-1.amazonaws.com/",
        &[("X-A", "a\tb")],
    );
    let settings = SigningSettings::for_service("us-east-1", "execute-api");
    let signed = sign::sign(&req, &demo_keys(), &settings, at()).unwrap();
    assert!(signed.trace.canonical_request.contains("\nx-a:a b\n"));
    // botocore SigV4Auth, same request, time and keys.
    assert_eq!(
        signed.trace.signature,
        "8ef651787631e2425ead2fa5d035b786ffd219342071d5376b162a3b9a768348"
    );
    assert_eq!(signed.request.header("x-a"), Some("a b"));
}

#[test]
fn a_raw_value_that_starts_with_a_tab_signs() {
    let raw = b"GET / HTTP/1.1\nHost:example.amazonaws.com\nX-Lead:\tv\n";
    let settings = SigningSettings::for_service("us-east-1", "service");
    let signed = sign::sign_raw(raw, &demo_keys(), &settings, at()).expect("cross-check passes");
    assert!(signed.trace.canonical_request.contains("\nx-lead:v\n"));
}

#[test]
fn an_unsigned_payload_sends_and_signs_its_header() {
    let req = get("https://bucket.s3.us-east-1.amazonaws.com/k", &[]);
    let mut settings = SigningSettings::for_service("us-east-1", "s3");
    settings.payload = PayloadMode::Unsigned;
    let signed = sign::sign(&req, &demo_keys(), &settings, at()).unwrap();
    assert_eq!(
        signed.trace.signed_headers,
        ["host", "x-amz-content-sha256", "x-amz-date"]
    );
    assert_eq!(
        signed.request.header("x-amz-content-sha256"),
        Some("UNSIGNED-PAYLOAD")
    );
    // botocore SigV4Auth with payload signing disabled.
    assert_eq!(
        signed.trace.signature,
        "6914939af9db4dc08949baf46a0d762fec26ae0a3da07bf4b1fd269cd2652886"
    );
}

#[test]
fn an_s3_presigned_url_signs_unsigned_payload() {
    let req = get("https://bucket.s3.us-east-1.amazonaws.com/k", &[]);
    let mut settings = SigningSettings::for_service("us-east-1", "s3");
    settings.location = Location::Query { expires_secs: 300 };
    let signed = sign::sign(&req, &demo_keys(), &settings, at()).unwrap();
    assert!(signed
        .trace
        .canonical_request
        .ends_with("\nhost\nUNSIGNED-PAYLOAD"));
    // botocore S3SigV4QueryAuth(expires=300): the same URL, signature included.
    assert_eq!(
        signed.trace.url,
        "https://bucket.s3.us-east-1.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&\
         X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20150830%2Fus-east-1%2Fs3%2Faws4_request&\
         X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Expires=300&\
         X-Amz-Signature=a52bf35fc9bf9c8937101969f2e52730a3619c7ee69ca63767255bb07a8b5480"
    );
}

#[test]
fn an_s3_key_is_sent_in_the_form_s3_signs() {
    let req = get("https://bucket.s3.us-east-1.amazonaws.com/k(1)!'*", &[]);
    let settings = SigningSettings::for_service("us-east-1", "s3");
    let signed = sign::sign(&req, &demo_keys(), &settings, at()).unwrap();
    assert_eq!(signed.request.path, "/k%281%29%21%27%2A");
    assert_eq!(signed.trace.canonical.path, "/k%281%29%21%27%2A");
    // botocore's S3 signing of that wire path (S3SigV4Auth signs the path as sent).
    assert_eq!(
        signed.trace.signature,
        "8c715e7ce7e63f2baea020bd97afca0d7368a05293b5c642b80acde753085ca2"
    );
}

#[test]
fn a_presigned_unsigned_payload_carries_its_marker_and_verifies() {
    // Found by tests/fuzz_signing.rs: without a marker the server hashes the body.
    let mut req = WireRequest::from_url(
        "POST",
        "https://abc123.execute-api.us-east-1.amazonaws.com/test/echo/x?a=1",
    )
    .unwrap();
    req.body = "a body the URL's user will send".into();
    let mut settings = SigningSettings::for_service("us-east-1", "execute-api");
    settings.payload = PayloadMode::Unsigned;
    settings.location = Location::Query { expires_secs: 300 };
    let now = SystemTime::now();
    let signed = sign::sign(&req, &demo_keys(), &settings, now).unwrap();
    assert!(signed
        .trace
        .url
        .contains("?a=1&X-Amz-Content-Sha256=UNSIGNED-PAYLOAD&X-Amz-Algorithm"));
    let headers = vec![(
        "host".to_string(),
        signed.request.host_header_value().to_string(),
    )];
    let incoming = sigscope::mock::verify::Incoming {
        method: "POST",
        path: &signed.request.path,
        query: signed.request.query.as_deref(),
        headers: &headers,
        body: &signed.request.body,
    };
    let cfg = sigscope::mock::MockConfig::default();
    assert!(sigscope::mock::verify::verify_for(&cfg, &incoming, now, "execute-api").is_ok());
}

#[test]
fn a_failed_presigned_request_is_not_blamed_on_its_own_encoded_parameters() {
    let req = get(
        "https://abc123.execute-api.us-east-1.amazonaws.com/prod/pets",
        &[],
    );
    let mut settings = SigningSettings::for_service("us-east-1", "execute-api");
    settings.location = Location::Query { expires_secs: 300 };
    let signed = sign::sign(&req, &demo_keys(), &settings, at()).unwrap();
    let response = sigscope::http::Response::parse_raw(
        b"HTTP/1.1 403 Forbidden\r\nx-amzn-ErrorType: InvalidSignatureException\r\n\r\n\
          {\"message\":\"The request signature we calculated does not match the signature you provided.\"}",
    )
    .unwrap();
    let d = sigscope::diagnose::diagnose(&response, Some(&signed.trace), Some(&signed.request));
    let advice = d.next_steps.join("\n");
    assert!(!advice.contains("'+' or '%'"), "{advice}");
    // With a '%' in the user's own path, the cause is still offered.
    let req = get(
        "https://abc123.execute-api.us-east-1.amazonaws.com/prod/a%2Fb",
        &[],
    );
    let signed = sign::sign(&req, &demo_keys(), &settings, at()).unwrap();
    let d = sigscope::diagnose::diagnose(&response, Some(&signed.trace), Some(&signed.request));
    assert!(d.next_steps.join("\n").contains("'+' or '%'"));
}

#[test]
fn hop_by_hop_headers_are_sent_not_signed_unless_opted_in() {
    let hop = [
        ("Connection", "keep-alive"),
        ("X-B", "1"),
        ("TE", "trailers"),
        ("Expect", "100-continue"),
        ("Proxy-Authorization", "Basic eA=="),
        ("Upgrade", "h2c"),
        ("Keep-Alive", "timeout=5"),
        ("Cache-Control", "no-cache"),
    ];
    let req = get("https://abc123.execute-api.us-east-1.amazonaws.com/", &hop);
    let mut settings = SigningSettings::for_service("us-east-1", "execute-api");
    let signed = sign::sign(&req, &demo_keys(), &settings, at()).unwrap();
    assert_eq!(signed.trace.signed_headers, ["host", "x-amz-date", "x-b"]);
    assert_eq!(
        signed.trace.unsigned_headers,
        [
            "connection",
            "te",
            "expect",
            "proxy-authorization",
            "upgrade",
            "keep-alive",
            "cache-control"
        ]
    );
    // botocore SigV4Auth on Connection + X-B (it leaves Connection out too).
    let only = get(
        "https://abc123.execute-api.us-east-1.amazonaws.com/",
        &hop[..2],
    );
    let signed_only = sign::sign(&only, &demo_keys(), &settings, at()).unwrap();
    assert_eq!(
        signed_only.trace.signature,
        "bd132b94f773c9a4bd0e5ac5d045825107924e3d6dc288a35ff86c3d33174b1e"
    );
    assert_eq!(signed_only.request.header("connection"), Some("keep-alive"));
    settings.included_headers = vec!["connection".into()];
    let opted = sign::sign(&only, &demo_keys(), &settings, at()).unwrap();
    assert_eq!(
        opted.trace.signed_headers,
        ["connection", "host", "x-amz-date", "x-b"]
    );
}

#[test]
fn too_many_headers_are_an_error_not_a_panic() {
    let mut req = get("https://abc123.execute-api.us-east-1.amazonaws.com/", &[]);
    for i in 0..25_000 {
        req.headers.push((format!("X-{i}"), "v".into()));
    }
    let settings = SigningSettings::for_service("us-east-1", "execute-api");
    let err = sign::sign(&req, &demo_keys(), &settings, at()).unwrap_err();
    assert!(err.to_string().contains("25000 headers"), "{err}");
}

/// The local gateway, stopped even when an assertion fails first.
struct Gateway(std::process::Child);

impl Drop for Gateway {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_mock() -> (Gateway, String) {
    let (child, base) = common::start_mock(&[]);
    (Gateway(child), base)
}

fn write_collection(dir: &std::path::Path, base: &str) -> std::path::PathBuf {
    let path = dir.join("vars.json");
    let collection = serde_json::json!({
        "version": 1,
        "name": "vars in auth",
        "variables": {"baseUrl": base, "awsRegion": "us-east-1", "svc": "execute-api", "who": "demo"},
        "requests": [{
            "name": "pets",
            "method": "GET",
            "url": "{{baseUrl}}/test/pets",
            "auth": {"type": "aws-sigv4", "profile": "{{who}}", "region": "{{awsRegion}}", "service": "{{svc}}"}
        }]
    });
    std::fs::write(&path, serde_json::to_string_pretty(&collection).unwrap()).unwrap();
    path
}

#[test]
fn variables_in_auth_fields_resolve_in_run_and_exports() {
    let (_gateway, base) = start_mock();
    let dir = tempfile::tempdir().unwrap();
    let path = write_collection(dir.path(), &base);
    // The profile named by {{who}} holds the demo keys.
    let credentials = dir.path().join("credentials");
    std::fs::write(
        &credentials,
        "[demo]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n\
         aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
    )
    .unwrap();
    let loaded = sigscope::model::load(&path).unwrap();
    let located = loaded.collection.find("pets").unwrap();
    let prepared = sigscope::http::prepare::prepare(&loaded.collection, None, &located).unwrap();
    let plan = prepared.signing.unwrap();
    assert_eq!(plan.settings.region, "us-east-1");
    assert_eq!(plan.settings.service, "execute-api");

    let out = sigscope()
        .env("AWS_SHARED_CREDENTIALS_FILE", &credentials)
        .args(["run", path.to_str().unwrap()])
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("200"), "{stdout}");

    let out = sigscope()
        .args(["export", "curl", path.to_str().unwrap(), "pets"])
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert!(
        stdout.contains("aws:amz:us-east-1:execute-api"),
        "{stdout}{stderr}"
    );
    assert!(!stdout.contains("{{"), "{stdout}");
}

/// `send` against the local gateway with the demo keys.
fn send(args: &[&str]) -> (bool, String) {
    let mut cmd = sigscope();
    let out = demo_env(&mut cmd)
        .args(["send", "--region", "us-east-1", "--service", "execute-api"])
        .args(args)
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    (out.status.success(), format!("{stdout}{stderr}"))
}

#[test]
fn the_gateway_accepts_unsigned_payloads_raw_spaces_and_trailing_dots() {
    let (_gateway, base) = start_mock();
    let (ok, out) = send(&[
        "--unsigned-payload",
        "-d",
        "x=1",
        &format!("{base}/test/echo/u"),
    ]);
    assert!(ok, "unsigned payload refused:\n{out}");

    let dir = tempfile::tempdir().unwrap();
    let host = base.trim_start_matches("http://");
    for (name, target, wire) in [
        ("space", "/test/echo/sp ace", "/test/echo/sp%20ace"),
        ("utf8", "/test/echo/caf\u{e9}", "/test/echo/caf%C3%A9"),
        ("dot", "/test/echo/a/.", "/test/echo/a/"),
    ] {
        let raw = dir.path().join(name);
        std::fs::write(&raw, format!("GET {target} HTTP/1.1\nHost: {host}\n\n")).unwrap();
        let (ok, out) = send(&["-v", "--raw", raw.to_str().unwrap(), "--scheme", "http"]);
        assert!(ok, "{name} refused:\n{out}");
        assert!(
            out.contains(&format!("\"path\":\"{wire}\"")),
            "{name}:\n{out}"
        );
        assert!(out.contains("is sent (and signed) as"), "{name}:\n{out}");
    }
}

#[test]
fn raw_errors_name_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let raw = dir.path().join("two-hosts.txt");
    std::fs::write(&raw, "GET / HTTP/1.1\nHost: a\nX-A: 1\nHost: b\n\n").unwrap();
    let mut cmd = sigscope();
    let out = demo_env(&mut cmd)
        .args(["sign", "--region", "us-east-1", "--service", "execute-api"])
        .args(["--raw", raw.to_str().unwrap()])
        .output()
        .unwrap();
    let (_, stderr) = text(&out);
    assert!(!out.status.success());
    assert!(stderr.contains("line 4"), "{stderr}");
}
