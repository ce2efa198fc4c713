//! Fuzzing the gateway's request handling (conventions: `tests/common/fuzz.rs`): raw bytes,
//! generated HTTP/1.1 requests (hostile paths, queries, headers, SigV4 headers assembled
//! from broken pieces, chunked and sized bodies) and correctly signed requests with one part
//! mutated go to an in-process gateway over TCP. The gateway must answer or close every
//! connection within the time limit, never with a 5xx, never panic in its tasks, never
//! hold more than the memory limit, and stay up; a signed request nobody touched is never
//! refused for its signature.

#[path = "common/fuzz.rs"]
mod fuzz;

use proptest::prelude::*;
use sigscope::aws::credentials::Credentials;
use sigscope::mock::{self, MockConfig, MockServer, DEMO_ACCESS_KEY_ID, DEMO_SECRET_ACCESS_KEY};
use sigscope::sign::{sign, PayloadMode, SigningSettings, WireRequest};
use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

const LIMIT: Duration = Duration::from_secs(10);
const REGRESSIONS: &str = "tests/fuzz_gateway.regressions";

/// One gateway for the whole binary, on its own runtime (kept for the process's life).
fn gateway() -> &'static str {
    static GATEWAY: OnceLock<(tokio::runtime::Runtime, MockServer, String)> = OnceLock::new();
    &GATEWAY
        .get_or_init(|| {
            fuzz::count_panics("fuzz-gateway");
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .thread_name("fuzz-gateway")
                .enable_all()
                .build()
                .unwrap();
            let server = rt
                .block_on(mock::start(
                    MockConfig {
                        max_body_bytes: 64 * 1024,
                        idle_timeout: Duration::from_secs(2),
                        body_timeout: Duration::from_secs(2),
                        ..MockConfig::default()
                    },
                    0,
                ))
                .unwrap();
            let addr = server.addr.to_string();
            (rt, server, addr)
        })
        .2
}

/// Sends `bytes`, half-closes, and reads everything back. `None`: neither an answer nor a
/// close within the limit (a hang).
fn exchange(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut s = TcpStream::connect(gateway()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(5))).unwrap();
    // The gateway may answer and close before all is written (an early 403): not an error.
    let _ = s.write_all(bytes);
    let _ = s.shutdown(Shutdown::Write);
    let mut got = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return Some(got),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return Some(got),
            Err(_) => return None,
        }
    }
}

/// The status of each response in `got`.
fn statuses(got: &[u8]) -> Vec<u16> {
    let text = String::from_utf8_lossy(got);
    text.match_indices("HTTP/1.1 ")
        .filter_map(|(i, _)| text.get(i + 9..i + 12)?.parse().ok())
        .collect()
}

fn check_answer(got: Option<Vec<u8>>) -> Result<Vec<u16>, TestCaseError> {
    let got = got.ok_or_else(|| TestCaseError::fail("no answer and no close: a hang"))?;
    let codes = statuses(&got);
    prop_assert!(
        codes.iter().all(|c| *c < 500),
        "a 5xx: {}",
        String::from_utf8_lossy(&got)
    );
    prop_assert_eq!(fuzz::panics(), 0, "a gateway task panicked");
    Ok(codes)
}

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("GET".to_string()),
        Just("POST".to_string()),
        Just("DELETE".to_string()),
        "[A-Z]{1,8}",
        "[!#$%&'*+.^_`|~0-9a-z-]{1,8}",
    ]
}

fn path_segment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("test".to_string()),
        Just("pets".to_string()),
        Just("echo".to_string()),
        Just("..".to_string()),
        Just(".".to_string()),
        Just(String::new()),
        "[0-9]{1,3}",
        "[A-Za-z0-9_.~!$&'()*+,;=:@-]{1,10}",
        "(%[0-9A-Fa-f]{2}){1,4}",
        Just("%".to_string()),
        Just("%zz".to_string()),
    ]
}

fn path() -> impl Strategy<Value = String> {
    prop::collection::vec(path_segment(), 0..6).prop_map(|s| format!("/{}", s.join("/")))
}

fn query() -> impl Strategy<Value = Option<String>> {
    prop::option::of(
        prop::collection::vec(
            (
                prop_oneof![
                    "[A-Za-z0-9_.~%+=-]{0,8}",
                    Just("X-Amz-Signature".to_string()),
                    Just("X-Amz-Credential".to_string()),
                    Just("X-Amz-Date".to_string()),
                    Just("X-Amz-Expires".to_string()),
                    Just("X-Amz-SignedHeaders".to_string()),
                    Just("X-Amz-Security-Token".to_string()),
                    Just("Action".to_string()),
                ],
                prop_oneof![
                    "[A-Za-z0-9_.~%+/=;-]{0,20}",
                    Just("18446744073709551615".to_string()),
                    Just("99999999999999999999999".to_string()),
                    Just(
                        "AKIAIOSFODNN7EXAMPLE%2F20300101%2Fus-east-1%2Fexecute-api%2Faws4_request"
                            .to_string()
                    ),
                    Just("20301231T235959Z".to_string()),
                    Just("GetCallerIdentity".to_string()),
                ],
            ),
            0..5,
        )
        .prop_map(|pairs| {
            pairs
                .into_iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("&")
        }),
    )
}

/// An Authorization header from the pieces API Gateway reads, in any order and state.
fn authorization() -> impl Strategy<Value = String> {
    let part = prop_oneof![
        Just(
            "Credential=AKIAIOSFODNN7EXAMPLE/20300101/us-east-1/execute-api/aws4_request"
                .to_string()
        ),
        "Credential=[A-Za-z0-9/_-]{0,40}",
        "SignedHeaders=[a-z;-]{0,30}",
        Just("SignedHeaders=host;x-amz-date".to_string()),
        "Signature=[0-9a-f]{0,64}",
        "\\PC{0,10}",
    ];
    (
        prop_oneof![
            Just("AWS4-HMAC-SHA256 "),
            Just("AWS4-HMAC-SHA256"),
            Just("Bearer "),
            Just("")
        ],
        prop::collection::vec(part, 0..5),
    )
        .prop_map(|(scheme, parts)| format!("{scheme}{}", parts.join(", ")))
}

fn header() -> impl Strategy<Value = (String, String)> {
    prop_oneof![
        authorization().prop_map(|v| ("Authorization".to_string(), v)),
        prop_oneof![
            Just("20300101T000000Z".to_string()),
            Just("99991231T235959Z".to_string()),
            Just("00000101T000000Z".to_string()),
            "[0-9TZ:+-]{0,20}",
        ]
        .prop_map(|v| ("X-Amz-Date".to_string(), v)),
        prop_oneof![Just("UNSIGNED-PAYLOAD".to_string()), "[0-9a-f]{0,64}"]
            .prop_map(|v| ("X-Amz-Content-Sha256".to_string(), v)),
        "[ -~]{0,30}".prop_map(|v| ("X-Amz-Security-Token".to_string(), v)),
        ("[A-Za-z0-9-]{1,12}", "[ -~]{0,30}"),
        Just(("Expect".to_string(), "100-continue".to_string())),
    ]
}

#[derive(Debug, Clone)]
enum Framing {
    Length,
    WrongLength(u64),
    Chunked,
    BadChunked(String),
    None,
}

fn framing() -> impl Strategy<Value = Framing> {
    prop_oneof![
        Just(Framing::Length),
        prop_oneof![0u64..100, Just(u64::MAX), Just(1 << 40)].prop_map(Framing::WrongLength),
        Just(Framing::Chunked),
        prop_oneof![
            Just("zz".to_string()),
            Just("ffffffffffffffffff".to_string()),
            "[0-9a-f;= ]{0,10}"
        ]
        .prop_map(Framing::BadChunked),
        Just(Framing::None),
    ]
}

fn request_bytes(
    host: &str,
    method: &str,
    target: &str,
    headers: &[(String, String)],
    body: &[u8],
    framing: &Framing,
) -> Vec<u8> {
    let mut out = format!("{method} {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    for (n, v) in headers {
        out.push_str(&format!("{n}: {v}\r\n"));
    }
    let mut bytes = match framing {
        Framing::Length => format!("{out}Content-Length: {}\r\n\r\n", body.len()).into_bytes(),
        Framing::WrongLength(n) => format!("{out}Content-Length: {n}\r\n\r\n").into_bytes(),
        Framing::Chunked | Framing::BadChunked(_) => {
            format!("{out}Transfer-Encoding: chunked\r\n\r\n").into_bytes()
        }
        Framing::None => format!("{out}\r\n").into_bytes(),
    };
    match framing {
        Framing::Chunked => {
            if !body.is_empty() {
                bytes.extend_from_slice(format!("{:x}\r\n", body.len()).as_bytes());
                bytes.extend_from_slice(body);
                bytes.extend_from_slice(b"\r\n");
            }
            bytes.extend_from_slice(b"0\r\n\r\n");
        }
        Framing::BadChunked(size) => {
            bytes.extend_from_slice(format!("{size}\r\n").as_bytes());
            bytes.extend_from_slice(body);
            bytes.extend_from_slice(b"\r\n0\r\n\r\n");
        }
        Framing::None => {}
        _ => bytes.extend_from_slice(body),
    }
    bytes
}

/// What a correctly signed request may have one part of changed to.
#[derive(Debug, Clone)]
enum Mutation {
    Nothing,
    Method(String),
    Path(String),
    Header(String, String),
    DropHeader(usize),
    Body(Vec<u8>),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => Just(Mutation::Nothing),
        1 => token().prop_map(Mutation::Method),
        1 => path().prop_map(Mutation::Path),
        1 => header().prop_map(|(n, v)| Mutation::Header(n, v)),
        1 => (0usize..6).prop_map(Mutation::DropHeader),
        1 => prop::collection::vec(any::<u8>(), 0..64).prop_map(Mutation::Body),
    ]
}

proptest! {
    #![proptest_config(fuzz::config(2000, REGRESSIONS))]

    #[test]
    fn raw_bytes_are_answered_or_closed(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let got = fuzz::within(LIMIT, move || exchange(&bytes));
        check_answer(got)?;
    }

    #[test]
    fn generated_requests_are_answered_without_a_5xx(
        method in token(),
        path in path(),
        query in query(),
        headers in prop::collection::vec(header(), 0..6),
        body in prop::collection::vec(any::<u8>(), 0..256),
        framing in framing(),
    ) {
        let target = match &query { Some(q) => format!("{path}?{q}"), None => path };
        let bytes = request_bytes("fuzz", &method, &target, &headers, &body, &framing);
        let got = fuzz::within(LIMIT, move || exchange(&bytes));
        check_answer(got)?;
    }

    #[test]
    fn signed_requests_pass_unless_mutated(
        method in prop_oneof![Just("GET"), Just("POST"), Just("DELETE"), Just("PUT")],
        tail in prop::collection::vec(path_segment(), 1..4),
        query in query(),
        body in prop::collection::vec(any::<u8>(), 0..256),
        unsigned in any::<bool>(),
        chunked in any::<bool>(),
        mutation in mutation(),
    ) {
        // Only requests the URL parser takes can be signed (the others are the previous
        // target's business).
        let target = match &query {
            Some(q) => format!("/test/echo/{}?{q}", tail.join("/")),
            None => format!("/test/echo/{}", tail.join("/")),
        };
        let Ok(mut req) = WireRequest::from_url(method, &format!("http://{}{target}", gateway())) else {
            return Ok(());
        };
        req.body = body.clone().into();
        let mut settings = SigningSettings::for_service("us-east-1", "execute-api");
        if unsigned {
            // UNSIGNED-PAYLOAD is announced in a (signed) header, as S3 wants it.
            settings.payload = PayloadMode::Unsigned;
            req.headers.push(("x-amz-content-sha256".into(), "UNSIGNED-PAYLOAD".into()));
        }
        let creds = Credentials::new(DEMO_ACCESS_KEY_ID, DEMO_SECRET_ACCESS_KEY, None, "fuzz");
        let Ok(signed) = sign(&req, &creds, &settings, SystemTime::now()) else { return Ok(()) };
        let mut wire = signed.request;
        let mut body = body;
        match &mutation {
            Mutation::Nothing => {}
            Mutation::Method(m) => wire.method = m.clone(),
            Mutation::Path(p) => wire.path = p.clone(),
            Mutation::Header(n, v) => wire.headers.push((n.clone(), v.clone())),
            Mutation::DropHeader(i) => {
                if *i < wire.headers.len() {
                    wire.headers.remove(*i);
                }
            }
            Mutation::Body(b) => body = b.clone(),
        }
        let headers: Vec<(String, String)> = wire
            .headers
            .iter()
            .filter(|(n, _)| !n.eq_ignore_ascii_case("host"))
            .cloned()
            .collect();
        let bytes = request_bytes(
            &wire.authority,
            &wire.method,
            &wire.target(),
            &headers,
            &body,
            if chunked { &Framing::Chunked } else { &Framing::Length },
        );
        let got = fuzz::within(LIMIT, move || exchange(&bytes));
        let text = got
            .as_deref()
            .map(|g| String::from_utf8_lossy(g).into_owned())
            .unwrap_or_default();
        check_answer(got)?;
        // X-Amz-* query parameters make it a (broken) presigned request: refused rightly.
        let auth_in_query = query.as_deref().is_some_and(|q| q.contains("X-Amz-"));
        if matches!(mutation, Mutation::Nothing) && !auth_in_query {
            // Refused for a route that does not exist (an empty segment) is fine; refused
            // for the signature is not.
            let lower = text.to_ascii_lowercase();
            prop_assert!(
                !lower.contains("signatureexception") && !lower.contains("unrecognizedclient"),
                "a signed request was refused: {}",
                text
            );
        }
    }
}

#[test]
fn zz_the_gateway_is_still_up_and_no_task_panicked() {
    let mut req = WireRequest::from_url("GET", &format!("http://{}/test/pets", gateway())).unwrap();
    req.body = Default::default();
    let creds = Credentials::new(DEMO_ACCESS_KEY_ID, DEMO_SECRET_ACCESS_KEY, None, "fuzz");
    let signed = sign(
        &req,
        &creds,
        &SigningSettings::for_service("us-east-1", "execute-api"),
        SystemTime::now(),
    )
    .unwrap();
    let mut head = "GET /test/pets HTTP/1.1\r\nConnection: close\r\n".to_string();
    for (n, v) in &signed.request.headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    if !head.to_ascii_lowercase().contains("\r\nhost:") {
        head.push_str(&format!("Host: {}\r\n", signed.request.authority));
    }
    head.push_str("\r\n");
    let got = exchange(head.as_bytes()).unwrap();
    assert_eq!(
        statuses(&got).first(),
        Some(&200),
        "{}",
        String::from_utf8_lossy(&got)
    );
    assert_eq!(fuzz::panics(), 0);
    eprintln!("fuzz_gateway peak allocation: {} bytes", fuzz::peak_bytes());
}
