//! The local gateway against sigscope's signer, against curl's independent signer, and
//! against tampering with each signed part.

mod common;

use sigscope::aws::credentials::Credentials;
use sigscope::diagnose::{diagnose, Kind};
use sigscope::http::{self, Exchange};
use sigscope::mock::{self, MockConfig, Style, DEMO_ACCESS_KEY_ID, DEMO_SECRET_ACCESS_KEY};
use sigscope::sign::{sign, Location, SigningSettings, WireRequest};
use std::time::{Duration, SystemTime};

fn demo_creds() -> Credentials {
    Credentials::new(DEMO_ACCESS_KEY_ID, DEMO_SECRET_ACCESS_KEY, None, "test")
}

fn settings() -> SigningSettings {
    SigningSettings::for_service("us-east-1", "execute-api")
}

async fn send_signed(
    base: &str,
    method: &str,
    path: &str,
    body: &str,
    tamper: impl FnOnce(&mut WireRequest),
) -> Exchange {
    let mut req = WireRequest::from_url(method, &format!("{base}{path}")).unwrap();
    if !body.is_empty() {
        req.headers
            .push(("Content-Type".into(), "application/json".into()));
        req.body = body.to_string().into();
    }
    let mut signed = sign(&req, &demo_creds(), &settings(), SystemTime::now()).unwrap();
    tamper(&mut signed.request);
    http::send(
        &http::client(Duration::from_secs(5)),
        signed.request,
        Some(signed.trace),
    )
    .await
    .unwrap()
}

fn set_header(req: &mut WireRequest, name: &str, value: &str) {
    req.remove_header(name);
    req.headers.push((name.into(), value.into()));
}

#[tokio::test]
async fn signed_requests_succeed_and_unsigned_headers_do_not_break_them() {
    let server = mock::start(MockConfig::default(), 0).await.unwrap();
    let base = server.base_url();
    let x = send_signed(&base, "GET", "/test/pets", "", |_| {}).await;
    assert_eq!(x.response.status, 200, "{:?}", x.response.body);
    let x = send_signed(&base, "POST", "/test/pets", r#"{"type":"cat"}"#, |_| {}).await;
    assert_eq!(x.response.status, 201);
    let x = send_signed(&base, "GET", "/test/echo/a%3Db/c?q=a+b&z=", "", |r| {
        r.headers
            .push(("X-Unsigned-Extra".into(), "added after signing".into()));
    })
    .await;
    assert_eq!(
        x.response.status,
        200,
        "{}",
        String::from_utf8_lossy(&x.response.body)
    );
}

#[tokio::test]
async fn tampering_with_each_signed_part_is_caught_and_diagnosed() {
    let server = mock::start(MockConfig::default(), 0).await.unwrap();
    let base = server.base_url();
    type Tamper = Box<dyn FnOnce(&mut WireRequest)>;
    let cases: Vec<(&str, Tamper, Kind, &str)> = vec![
        (
            "method",
            Box::new(|r: &mut WireRequest| r.method = "POST".into()),
            Kind::SignatureMismatch,
            "method",
        ),
        (
            "path",
            Box::new(|r: &mut WireRequest| r.path = "/test/echo/other".into()),
            Kind::SignatureMismatch,
            "path",
        ),
        (
            "query",
            Box::new(|r: &mut WireRequest| r.query = Some("x=2".into())),
            Kind::SignatureMismatch,
            "query",
        ),
        (
            "header",
            Box::new(|r: &mut WireRequest| set_header(r, "Content-Type", "text/plain")),
            Kind::SignatureMismatch,
            "content-type",
        ),
        (
            "body",
            Box::new(|r: &mut WireRequest| r.body = "{\"type\":\"dog\"}".into()),
            Kind::SignatureMismatch,
            "payload hash",
        ),
        (
            "date",
            Box::new(|r: &mut WireRequest| {
                let d = sigscope::sign::amz_date(SystemTime::now() - Duration::from_secs(60));
                set_header(r, "X-Amz-Date", &d)
            }),
            Kind::SignatureMismatch,
            "x-amz-date",
        ),
        (
            "scope",
            Box::new(|r: &mut WireRequest| {
                let a = r
                    .header("authorization")
                    .unwrap()
                    .replace("/us-east-1/", "/eu-west-1/");
                set_header(r, "Authorization", &a)
            }),
            Kind::CredentialScope,
            "eu-west-1",
        ),
        (
            "key",
            Box::new(|r: &mut WireRequest| {
                let a = r
                    .header("authorization")
                    .unwrap()
                    .replace(DEMO_ACCESS_KEY_ID, "AKIAI44QH8DHBEXAMPLE");
                set_header(r, "Authorization", &a)
            }),
            Kind::InvalidCredentials,
            "not valid",
        ),
    ];
    for (what, tamper, kind, mention) in cases {
        let x = send_signed(
            &base,
            "PUT",
            "/test/echo/item?x=1",
            r#"{"type":"cat"}"#,
            tamper,
        )
        .await;
        assert_eq!(
            x.response.status,
            403,
            "{what}: {}",
            String::from_utf8_lossy(&x.response.body)
        );
        let d = diagnose(&x.response, x.trace.as_ref(), Some(&x.request));
        assert_eq!(d.kind, kind, "{what}: {}", d.summary);
        let said = format!("{} {}", d.summary, d.next_steps.join(" "));
        assert!(
            said.contains(mention),
            "{what}: diagnosis does not mention '{mention}': {said}"
        );
        if kind == Kind::SignatureMismatch {
            let diff = d.diff.expect("the gateway returns its canonical request");
            assert!(!diff.equal && diff.first_difference.is_some(), "{what}");
        }
    }
}

#[tokio::test]
async fn mismatch_message_has_api_gateway_layout() {
    let server = mock::start(MockConfig::default(), 0).await.unwrap();
    let x = send_signed(&server.base_url(), "GET", "/test/pets", "", |r| {
        r.path = "/test/pets/1".into()
    })
    .await;
    let body: serde_json::Value = serde_json::from_slice(&x.response.body).unwrap();
    let m = body["message"].as_str().unwrap();
    assert!(m.starts_with(
        "The request signature we calculated does not match the signature you provided."
    ));
    assert!(m.contains(
        "\n\nThe Canonical String for this request should have been\n'GET\n/test/pets/1\n"
    ));
    assert!(m.contains("'\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n"));
    assert!(m.ends_with("'\n"));
    assert_eq!(
        x.response.header("x-amzn-ErrorType"),
        Some("InvalidSignatureException")
    );
}

#[tokio::test]
async fn presigned_urls_are_accepted() {
    let server = mock::start(MockConfig::default(), 0).await.unwrap();
    let req =
        WireRequest::from_url("GET", &format!("{}/test/pets?limit=2", server.base_url())).unwrap();
    let mut s = settings();
    s.location = Location::Query { expires_secs: 300 };
    let signed = sign(&req, &demo_creds(), &s, SystemTime::now()).unwrap();
    assert!(signed.request.header("authorization").is_none());
    let x = http::send(&http::client(Duration::from_secs(5)), signed.request, None)
        .await
        .unwrap();
    assert_eq!(
        x.response.status,
        200,
        "{}",
        String::from_utf8_lossy(&x.response.body)
    );
}

#[tokio::test]
async fn clock_skew_and_missing_routes_and_styles() {
    let server = mock::start(
        MockConfig {
            clock_skew_secs: 600,
            ..MockConfig::default()
        },
        0,
    )
    .await
    .unwrap();
    let x = send_signed(&server.base_url(), "GET", "/test/pets", "", |_| {}).await;
    let d = diagnose(&x.response, None, None);
    assert_eq!(d.kind, Kind::ClockSkew);
    assert!(
        d.evidence.skew_seconds.unwrap() <= -590,
        "{:?}",
        d.evidence.skew_seconds
    );

    let server = mock::start(MockConfig::default(), 0).await.unwrap();
    let x = send_signed(&server.base_url(), "GET", "/prod/pets", "", |_| {}).await;
    let d = diagnose(&x.response, x.trace.as_ref(), Some(&x.request));
    assert_eq!(d.kind, Kind::MissingAuthenticationToken);
    assert!(d.summary.contains("no such stage"), "{}", d.summary);

    let server = mock::start(
        MockConfig {
            style: Style::HttpApi,
            ..MockConfig::default()
        },
        0,
    )
    .await
    .unwrap();
    let x = send_signed(&server.base_url(), "GET", "/test/pets", "", |r| {
        r.path = "/test/pets/1".into()
    })
    .await;
    assert_eq!(&x.response.body[..], br#"{"message":"Forbidden"}"#);
    assert_eq!(diagnose(&x.response, None, None).kind, Kind::Forbidden);

    let server = mock::start(
        MockConfig {
            style: Style::LambdaUrl,
            ..MockConfig::default()
        },
        0,
    )
    .await
    .unwrap();
    let x = send_signed(&server.base_url(), "GET", "/anything", "", |_| {}).await;
    assert_eq!(
        x.response.status, 403,
        "execute-api scope must be refused by a function URL"
    );
    let req = WireRequest::from_url("GET", &format!("{}/anything", server.base_url())).unwrap();
    let signed = sign(
        &req,
        &demo_creds(),
        &SigningSettings::for_service("us-east-1", "lambda"),
        SystemTime::now(),
    )
    .unwrap();
    let x = http::send(&http::client(Duration::from_secs(5)), signed.request, None)
        .await
        .unwrap();
    assert_eq!(x.response.status, 200);
}

/// curl's own SigV4 signer (`--aws-sigv4`) is an independent implementation.
#[test]
fn curl_signed_requests_pass_verification() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(mock::start(MockConfig::default(), 0)).unwrap();
    let url = format!("{}/test/pets", server.base_url());
    // Body, then the status code on a line of its own.
    let curl = |secret: &str, extra: &[&str]| {
        let out = std::process::Command::new("curl")
            .args([
                "-s",
                "-w",
                "\n%{http_code}",
                "--aws-sigv4",
                "aws:amz:us-east-1:execute-api",
            ])
            .args(["--user", &format!("{DEMO_ACCESS_KEY_ID}:{secret}")])
            .args(extra)
            .arg(&url)
            .output()
            .expect("curl is required for this test (.ci/run installs it)");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let get = curl(DEMO_SECRET_ACCESS_KEY, &[]);
    assert!(get.ends_with("\n200"), "curl GET: {get}");
    let post = curl(
        DEMO_SECRET_ACCESS_KEY,
        &[
            "-H",
            "Content-Type: application/json",
            "-d",
            r#"{"type":"bird"}"#,
        ],
    );
    assert!(post.ends_with("\n201"), "curl POST: {post}");
    let bad = curl("wrong", &[]);
    assert!(
        bad.ends_with("\n403") && bad.contains("Canonical String"),
        "curl wrong key: {bad}"
    );
}

#[tokio::test]
async fn sts_get_caller_identity_answers_for_the_gateway_keys() {
    use sigscope::aws::sts::{caller_identity, StsError};
    let server = mock::start(MockConfig::default(), 0).await.unwrap();
    let client = http::client(Duration::from_secs(5));
    let base = server.base_url();
    let who = caller_identity(&client, &demo_creds(), &base, "us-east-1")
        .await
        .unwrap();
    assert_eq!(who.account, mock::DEMO_ACCOUNT);
    assert_eq!(who.arn, mock::DEMO_PRINCIPAL);
    // A wrong secret gets STS's own error, in STS's XML.
    let wrong = Credentials::new(DEMO_ACCESS_KEY_ID, &"x".repeat(40), None, "test");
    match caller_identity(&client, &wrong, &base, "us-east-1").await {
        Err(StsError::Rejected(x)) => {
            let body = String::from_utf8_lossy(&x.response.body);
            assert_eq!(x.response.status, 403);
            assert!(
                body.contains("<Code>SignatureDoesNotMatch</Code>"),
                "{body}"
            );
        }
        other => panic!("{other:?}"),
    }
}
