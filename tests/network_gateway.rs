//! The local gateway as a company's private, browser-called API: CORS preflights answered by
//! its emulation of API Gateway's CORS configuration (REST and HTTP API shapes), passing and
//! failing; "why was I denied?" answered by its IAM policy simulator; a private API reached
//! through a VPC endpoint's name, by `x-apigw-api-id` or a Host override, each signed with
//! the host the gateway sees.

mod common;

use common::{demo_env, sigscope, text};
use sigscope::diagnose::cors::{evaluate, PreflightAsk};
use sigscope::diagnose::simulate::{self, Simulation, SimulationAsk};
use sigscope::diagnose::Kind;
use sigscope::http;
use sigscope::mock::{self, cors::Cors, policy::Policy, MockConfig, Style};
use sigscope::sign::{self, SigningSettings, WireRequest};
use std::time::{Duration, SystemTime};

fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

async fn preflight(
    base: &str,
    path: &str,
    method: &str,
    headers: &[&str],
) -> (http::Exchange, sigscope::diagnose::cors::CorsVerdict) {
    let mut req = WireRequest::from_url(method, &format!("{base}{path}")).unwrap();
    for h in headers {
        req.add_header_line(h).unwrap();
    }
    let sign_body = headers
        .iter()
        .any(|h| h.starts_with("X-Amz-Content-Sha256"));
    let ask = PreflightAsk::for_request(mock::cors::DEMO_ORIGIN, &req, true, sign_body);
    let x = http::send(&client(), ask.request(&req), None)
        .await
        .unwrap();
    let v = evaluate(&ask, &x.response);
    (x, v)
}

#[tokio::test]
async fn rest_api_cors_passes_a_signed_get_and_names_the_header_it_lacks() {
    let server = mock::start(MockConfig::default(), 0).await.unwrap();
    let base = server.base_url();

    let (x, v) = preflight(&base, "/test/pets", "GET", &[]).await;
    assert_eq!(x.response.status, 200);
    assert!(v.allowed, "{v:?}");
    let d = sigscope::diagnose::of_exchange(&x).unwrap();
    assert_eq!(d.kind, Kind::CorsAllowed);

    // A signed body hash: the console's default header list has no x-amz-content-sha256.
    let (_, v) = preflight(
        &base,
        "/test/pets",
        "POST",
        &["Content-Type: application/json", "X-Amz-Content-Sha256: x"],
    )
    .await;
    assert!(!v.allowed);
    assert_eq!(v.missing_headers, ["x-amz-content-sha256"]);
    assert!(
        v.summary
            .contains("x-amz-content-sha256 missing from Access-Control-Allow-Headers"),
        "{}",
        v.summary
    );

    // No CORS on /test/echo: the unsigned preflight is refused as any unsigned call.
    let (x, v) = preflight(&base, "/test/echo/anything", "PUT", &[]).await;
    assert_eq!(x.response.status, 403);
    assert!(!v.allowed);
    assert!(
        v.next_steps[0].contains("not the signature"),
        "{:?}",
        v.next_steps
    );
    let d = sigscope::diagnose::of_exchange(&x).unwrap();
    assert_eq!(d.kind, Kind::CorsRefused);

    // The real call carries Access-Control-Allow-Origin on a CORS resource.
    let creds = mock::demo_credentials(None).unwrap();
    let mut get = WireRequest::from_url("GET", &format!("{base}/test/pets")).unwrap();
    get.add_header_line(&format!("Origin: {}", mock::cors::DEMO_ORIGIN))
        .unwrap();
    let signed = sign::sign(
        &get,
        &creds,
        &SigningSettings::for_service("us-east-1", "execute-api"),
        SystemTime::now(),
    )
    .unwrap();
    let x = http::send(&client(), signed.request, None).await.unwrap();
    assert_eq!(x.response.status, 200);
    assert_eq!(x.response.header("access-control-allow-origin"), Some("*"));
}

#[tokio::test]
async fn http_api_cors_answers_its_origins_and_leaves_others_out() {
    let config = MockConfig {
        style: Style::HttpApi,
        cors: Some(Cors::demo_http()),
        ..MockConfig::default()
    };
    let server = mock::start(config, 0).await.unwrap();
    let base = server.base_url();
    let (x, v) = preflight(
        &base,
        "/test/pets",
        "POST",
        &["Content-Type: application/json"],
    )
    .await;
    assert_eq!(x.response.status, 204);
    assert!(v.allowed, "{v:?}");
    assert_eq!(
        x.response.header("access-control-allow-origin"),
        Some(mock::cors::DEMO_ORIGIN)
    );

    let mut req = WireRequest::from_url("GET", &format!("{base}/test/pets")).unwrap();
    req.headers.clear();
    let ask = PreflightAsk::for_request("https://evil.example", &req, true, false);
    let x = http::send(&client(), ask.request(&req), None)
        .await
        .unwrap();
    let v = evaluate(&ask, &x.response);
    assert_eq!(x.response.status, 204);
    assert!(!v.allowed);
    assert!(
        v.summary
            .contains("https://evil.example is not an allowed origin"),
        "{}",
        v.summary
    );
}

#[test]
fn the_preflight_command_passes_and_fails_against_the_demo_gateway() {
    let (mut child, url) = common::start_mock(&[]);
    let ok = sigscope()
        .args([
            "preflight",
            &format!("{url}/test/pets"),
            "--origin",
            "https://app.example.com",
        ])
        .output()
        .unwrap();
    let (out, err) = text(&ok);
    assert_eq!(ok.status.code(), Some(0), "{out}{err}");
    assert!(
        out.contains("allowed: a page at https://app.example.com may send GET"),
        "{out}"
    );
    assert!(
        out.contains(
            "Access-Control-Request-Headers: authorization,x-amz-date,x-amz-security-token"
        ),
        "{out}"
    );

    let refused = sigscope()
        .args([
            "preflight",
            &format!("{url}/test/pets"),
            "--origin",
            "https://app.example.com",
            "-X",
            "POST",
            "-H",
            "Content-Type: application/json",
            "--sign-body",
        ])
        .output()
        .unwrap();
    let (out, _) = text(&refused);
    assert_eq!(refused.status.code(), Some(3), "{out}");
    assert!(
        out.contains("REFUSED") && out.contains("lacks x-amz-content-sha256"),
        "{out}"
    );

    let no_cors = sigscope()
        .args([
            "preflight",
            &format!("{url}/test/echo/x"),
            "--origin",
            "https://app.example.com",
        ])
        .output()
        .unwrap();
    let (out, _) = text(&no_cors);
    assert_eq!(no_cors.status.code(), Some(3));
    assert!(
        out.contains("403 on OPTIONS means the API has no CORS configuration"),
        "{out}"
    );
    let _ = child.kill();
    let _ = child.wait();
}

fn denied_delete() -> SimulationAsk {
    SimulationAsk {
        policy_source_arn: mock::DEMO_PRINCIPAL.into(),
        principal: mock::DEMO_PRINCIPAL.into(),
        action: "execute-api:Invoke".into(),
        resource: format!(
            "arn:aws:execute-api:us-east-1:{}:{}/test/DELETE/pets/1",
            mock::DEMO_ACCOUNT,
            mock::DEMO_API_ID
        ),
    }
}

#[tokio::test]
async fn the_simulator_names_the_deciding_statement_or_says_it_is_not_allowed() {
    let server = mock::start(MockConfig::default(), 0).await.unwrap();
    let endpoint = format!("{}/", server.base_url());
    let creds = mock::demo_credentials(None).unwrap();
    let answer = simulate::ask(&client(), &creds, &endpoint, &denied_delete()).await;
    let Simulation::Decided {
        decision,
        statements,
        ..
    } = &answer
    else {
        panic!("{answer:?}")
    };
    assert_eq!(decision, "explicitDeny");
    // The Deny is the second statement of the demo policy as the gateway shows it.
    let (document, spans) = Policy::demo(mock::DEMO_ACCOUNT, mock::DEMO_API_ID).document();
    let ((line, column), _) = spans[1];
    assert_eq!(statements[0].start, Some((line as u32, column as u32)));
    assert!(document
        .lines()
        .nth(line)
        .unwrap()
        .contains("NeverDeletePets"));
    let text = simulate::explain(&denied_delete(), &answer).join("\n");
    assert!(text.contains("a Deny statement decides"), "{text}");

    let allowed = SimulationAsk {
        resource: format!(
            "arn:aws:execute-api:us-east-1:{}:{}/test/GET/pets",
            mock::DEMO_ACCOUNT,
            mock::DEMO_API_ID
        ),
        ..denied_delete()
    };
    let answer = simulate::ask(&client(), &creds, &endpoint, &allowed).await;
    assert!(
        matches!(&answer, Simulation::Decided { decision, .. } if decision == "allowed"),
        "{answer:?}"
    );

    // A policy that does not let the caller use the simulator.
    let strict: Policy = serde_json::from_value(serde_json::json!({"Statement": [
        {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "*"}
    ]}))
    .unwrap();
    let server = mock::start(
        MockConfig {
            policy: strict,
            ..MockConfig::default()
        },
        0,
    )
    .await
    .unwrap();
    let answer = simulate::ask(
        &client(),
        &creds,
        &format!("{}/", server.base_url()),
        &denied_delete(),
    )
    .await;
    let Simulation::SimulatorDenied { message } = &answer else {
        panic!("{answer:?}")
    };
    assert!(message.contains("iam:SimulatePrincipalPolicy"), "{message}");
    assert!(simulate::explain(&denied_delete(), &answer)
        .join("\n")
        .contains("the simulator itself is not allowed"));
}

#[test]
fn send_offers_the_simulator_and_why_asks_it() {
    let (mut child, url) = common::start_mock(&[]);
    let mut cmd = sigscope();
    demo_env(&mut cmd)
        .env("AWS_ENDPOINT_URL_IAM", format!("{url}/"))
        .env("AWS_ENDPOINT_URL_STS", format!("{url}/"))
        .args([
            "send",
            "-X",
            "DELETE",
            &format!("{url}/test/pets/1"),
            "--region",
            "us-east-1",
            "--service",
            "execute-api",
        ]);
    let (_, err) = text(&cmd.output().unwrap());
    assert!(err.contains("diagnosis: access-denied"), "{err}");
    assert!(err.contains("add --why"), "{err}");

    let mut cmd = sigscope();
    demo_env(&mut cmd)
        .env("AWS_ENDPOINT_URL_IAM", format!("{url}/"))
        .env("AWS_ENDPOINT_URL_STS", format!("{url}/"))
        .args([
            "send",
            "-X",
            "DELETE",
            &format!("{url}/test/pets/1"),
            "--region",
            "us-east-1",
            "--service",
            "execute-api",
            "--why",
        ]);
    let (_, err) = text(&cmd.output().unwrap());
    assert!(err.contains("IAM's policy simulator"), "{err}");
    assert!(
        err.contains("deciding: sigscope-mock-policy (IAM Policy), statement at line"),
        "{err}"
    );
    let _ = child.kill();
    let _ = child.wait();
}

/// A gateway and a request to it by a VPC endpoint's name, sent to 127.0.0.1 by --resolve.
async fn through_vpc_endpoint(extra: &[&str]) -> (http::Exchange, sigscope::sign::SigningTrace) {
    let server = mock::start(MockConfig::default(), 0).await.unwrap();
    let port = server.addr.port();
    let host = "vpce-0abc123def-4567890a.execute-api.us-east-1.vpce.amazonaws.com";
    let url = format!("http://{host}:{port}/test/echo/private");
    let mut req = WireRequest::from_url("GET", &url).unwrap();
    for h in extra {
        req.add_header_line(h).unwrap();
    }
    let settings = sigscope::http::client::ClientSettings {
        aws_ca_bundle: false,
        proxy: sigscope::http::client::ProxySetting::Direct,
        resolve: vec![format!("{host}:{port}:127.0.0.1").parse().unwrap()],
        ..sigscope::http::client::ClientSettings::with_timeout(Duration::from_secs(10))
    };
    let client = sigscope::http::client::build(&settings.for_url(&url)).unwrap();
    // Region and service come from the endpoint's name.
    let inferred = sigscope::aws::endpoint::infer(&req.authority, &req.path).unwrap();
    let signed = sign::sign(
        &req,
        &mock::demo_credentials(None).unwrap(),
        &SigningSettings::for_service(&inferred.region, &inferred.service),
        SystemTime::now(),
    )
    .unwrap();
    let trace = signed.trace.clone();
    let x = http::send(&client, signed.request, Some(signed.trace))
        .await
        .unwrap();
    drop(server);
    (x, trace)
}

#[tokio::test]
async fn a_private_api_through_its_vpc_endpoint_is_signed_with_the_host_the_gateway_sees() {
    let (x, trace) = through_vpc_endpoint(&["x-apigw-api-id: demoapi"]).await;
    assert_eq!(
        x.response.status,
        200,
        "{}",
        String::from_utf8_lossy(&x.response.body)
    );
    assert!(trace
        .canonical_request
        .contains("host:vpce-0abc123def-4567890a.execute-api.us-east-1.vpce.amazonaws.com:"));
    assert!(
        trace
            .notes
            .iter()
            .any(|n| n.contains("named by x-apigw-api-id")),
        "{:?}",
        trace.notes
    );

    let (x, trace) =
        through_vpc_endpoint(&["Host: demoapi.execute-api.us-east-1.amazonaws.com"]).await;
    assert_eq!(
        x.response.status,
        200,
        "{}",
        String::from_utf8_lossy(&x.response.body)
    );
    let echoed: serde_json::Value = serde_json::from_slice(&x.response.body).unwrap();
    assert_eq!(
        echoed["headers"]["host"], "demoapi.execute-api.us-east-1.amazonaws.com",
        "the Host override is what the gateway received"
    );
    assert!(trace
        .canonical_request
        .contains("host:demoapi.execute-api.us-east-1.amazonaws.com\n"));
    assert!(
        trace
            .notes
            .iter()
            .any(|n| n.contains("covers Host demoapi.execute-api.us-east-1.amazonaws.com")),
        "{:?}",
        trace.notes
    );

    let (x, trace) = through_vpc_endpoint(&[]).await;
    assert_eq!(x.response.status, 403);
    assert!(trace
        .notes
        .iter()
        .any(|n| n.contains("without an API named")));
    let d = sigscope::diagnose::of_exchange(&x).unwrap();
    assert_eq!(d.kind, Kind::Forbidden);
}
