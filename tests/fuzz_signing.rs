//! Fuzzing the raw request parser and the canonicalizer (conventions: `tests/common/fuzz.rs`).
//!
//! - Raw requests, as arbitrary bytes and as request texts assembled from hostile pieces
//!   (raw spaces, UTF-8, fragments, folded lines, control characters, duplicate Host,
//!   Content-Length, many headers), go through `parse_raw`, `sendable` and `sign_raw`: no
//!   panic, no hang, and every error names a line that exists.
//! - Random requests (paths with unicode, reserved, pre-encoded characters and dot segments;
//!   queries with repeated, empty and valueless keys; header values with tabs and runs of
//!   spaces; every payload mode; presigned or not; with and without a session token) are
//!   signed, then verified by the local gateway's verifier as the wire would deliver them:
//!   every one is accepted.
//! - Canonicalization is idempotent on its own output (paths, S3 paths, header values,
//!   headers, queries).

#[path = "common/fuzz.rs"]
mod fuzz;

use proptest::prelude::*;
use sigscope::aws::credentials::Credentials;
use sigscope::mock::verify::{verify_for, Incoming};
use sigscope::mock::{MockConfig, MockKey, DEMO_ACCESS_KEY_ID, DEMO_SECRET_ACCESS_KEY};
use sigscope::sign::canonical::{
    canonical_headers, canonical_query, encoded_query_params, normalize_path, s3_path,
    trim_header_value,
};
use sigscope::sign::{self, Location, PayloadMode, SigningSettings, WireRequest};
use std::time::{Duration, SystemTime};

const LIMIT: Duration = Duration::from_secs(10);
const REGRESSIONS: &str = "tests/fuzz_signing.regressions";
const TOKEN: &str = "IQoJb3JpZ2luX2VjEXAMPLE+token/with==chars";

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9._~-]{1,6}",
        Just(" ".to_string()),
        Just("%20".to_string()),
        Just("%2F".to_string()),
        Just("%25".to_string()),
        Just("+".to_string()),
        Just("é".to_string()),
        Just("日本".to_string()),
        Just("!$&'()*,;=:@".to_string()),
        Just(".".to_string()),
        Just("..".to_string()),
        Just("".to_string()),
        Just("#frag".to_string()),
        Just("\t".to_string()),
        "\\PC{0,4}",
    ]
}

fn raw_line() -> impl Strategy<Value = String> {
    prop_oneof![
        ("[A-Za-z-]{1,12}", prop::collection::vec(piece(), 0..4))
            .prop_map(|(n, v)| format!("{n}:{}", v.concat())),
        Just("Host: second.example.com".to_string()),
        Just("Content-Length: 3".to_string()),
        Just("Content-Length: 99999999999999999999999".to_string()),
        Just("Transfer-Encoding: chunked".to_string()),
        Just("X-Amz-Security-Token: x".to_string()),
        Just("  folded continuation".to_string()),
        Just("no colon here".to_string()),
        Just("X-Ctl: a\u{1b}[2Jb".to_string()),
        "\\PC{0,20}",
    ]
}

fn raw_request() -> impl Strategy<Value = Vec<u8>> {
    (
        prop_oneof![
            Just("GET"),
            Just("POST"),
            Just("PUT"),
            Just("BAD METHOD"),
            Just("")
        ],
        prop::collection::vec(piece(), 0..6),
        prop_oneof![
            Just(" HTTP/1.1"),
            Just(" HTTP/1.0"),
            Just(" HTTP/9.9"),
            Just(""),
            Just(" HTTP/2")
        ],
        prop::bool::ANY,
        prop::collection::vec(raw_line(), 0..8),
        prop_oneof![Just("\n"), Just("\r\n")],
        prop::collection::vec(any::<u8>(), 0..32),
    )
        .prop_map(|(method, target, version, host, lines, eol, body)| {
            let mut text = format!("{method} /{}{version}{eol}", target.join("/"));
            if host {
                text.push_str(&format!(
                    "Host: abc.execute-api.us-east-1.amazonaws.com{eol}"
                ));
            }
            for line in lines {
                text.push_str(&line);
                text.push_str(eol);
            }
            text.push_str(eol);
            let mut bytes = text.into_bytes();
            bytes.extend(body);
            bytes
        })
}

fn keys() -> Credentials {
    Credentials::new(DEMO_ACCESS_KEY_ID, DEMO_SECRET_ACCESS_KEY, None, "fuzz")
}

fn check_raw(raw: Vec<u8>) {
    let lines = raw.iter().filter(|b| **b == b'\n').count() + 1;
    match WireRequest::parse_raw(&raw, "https") {
        Ok(req) => {
            let _ = req.sendable();
            let settings = SigningSettings::for_service("us-east-1", "execute-api");
            let _ = sign::sign_raw(&raw, &keys(), &settings, SystemTime::UNIX_EPOCH);
        }
        Err(sign::RequestError::InvalidRaw { line, .. }) => {
            assert!(line >= 1 && line <= lines, "line {line} of {lines}");
        }
        Err(other) => panic!("a raw request failed with a non-raw error: {other}"),
    }
}

/// A request for the gateway's verifier: its path and query as the wire carries them.
#[derive(Debug, Clone)]
struct Case {
    path: Vec<String>,
    query: Vec<(String, Option<String>)>,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    payload: PayloadMode,
    presign: Option<u64>,
    token: bool,
}

fn case() -> impl Strategy<Value = Case> {
    let value = prop::collection::vec(
        prop_oneof![
            "[a-zA-Z0-9]{1,5}",
            Just(" ".to_string()),
            Just("  ".to_string()),
            Just("\t".to_string()),
            Just(",".to_string()),
            Just("\"".to_string()),
        ],
        0..5,
    )
    .prop_map(|v| v.concat());
    (
        prop::collection::vec(piece(), 0..5),
        prop::collection::vec(
            (
                "[a-zA-Zé+% ]{0,4}",
                prop::option::of("[a-zA-Z0-9é+%/ =]{0,6}"),
            ),
            0..5,
        ),
        prop::collection::vec(
            (
                prop_oneof![
                    Just("X-Custom".to_string()),
                    Just("x-custom".to_string()),
                    Just("X-Other".to_string()),
                    Just("Content-Type".to_string()),
                    Just("Connection".to_string()),
                    Just("Cache-Control".to_string()),
                ],
                value,
            ),
            0..5,
        ),
        prop::collection::vec(any::<u8>(), 0..64),
        prop_oneof![
            Just(PayloadMode::Signed),
            Just(PayloadMode::Unsigned),
            Just(PayloadMode::SignedHeader)
        ],
        prop::option::of(1u64..=604_800),
        prop::bool::ANY,
    )
        .prop_map(
            |(path, query, headers, body, payload, presign, token)| Case {
                path,
                query,
                headers,
                body,
                payload,
                presign,
                token,
            },
        )
}

fn url_of(case: &Case) -> String {
    let path: Vec<String> = case
        .path
        .iter()
        .map(|p| percent_encoding::utf8_percent_encode(p, &SEGMENT).to_string())
        .collect();
    let query: Vec<String> = case
        .query
        .iter()
        .map(|(k, v)| {
            let enc = |s: &str| percent_encoding::utf8_percent_encode(s, &QUERY).to_string();
            match v {
                Some(v) => format!("{}={}", enc(k), enc(v)),
                None => enc(k),
            }
        })
        .collect();
    let mut url = format!(
        "http://127.0.0.1:4566/test/echo/{}",
        path.join("/").trim_start_matches('/')
    );
    if !query.is_empty() {
        url.push('?');
        url.push_str(&query.join("&"));
    }
    url
}

/// What a URL's path may not carry raw (the rest is left for the `url` crate to decide).
const SEGMENT: percent_encoding::AsciiSet = percent_encoding::CONTROLS
    .add(b' ')
    .add(b'#')
    .add(b'?')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/');
const QUERY: percent_encoding::AsciiSet = SEGMENT.add(b'&').add(b'=').add(b'%');

fn gateway_config() -> MockConfig {
    let mut cfg = MockConfig::default();
    cfg.keys.push(MockKey {
        access_key_id: "ASIAIOSFODNN7EXAMPLE".into(),
        secret_access_key: DEMO_SECRET_ACCESS_KEY.into(),
        principal: "arn:aws:sts::123456789012:assumed-role/demo/fuzz".into(),
        session_token: Some(TOKEN.into()),
    });
    cfg
}

fn check_verified(case: Case) {
    let Ok(mut req) = WireRequest::from_url("POST", &url_of(&case)) else {
        return;
    };
    for (n, v) in &case.headers {
        if req.add_header_line(&format!("{n}: {v}")).is_err() {
            return;
        }
    }
    req.body = case.body.clone().into();
    let mut settings = SigningSettings::for_service("us-east-1", "execute-api");
    settings.payload = case.payload;
    if let Some(expires_secs) = case.presign {
        settings.location = Location::Query { expires_secs };
    }
    let credentials = if case.token {
        Credentials::new(
            "ASIAIOSFODNN7EXAMPLE",
            DEMO_SECRET_ACCESS_KEY,
            Some(TOKEN),
            "fuzz",
        )
    } else {
        keys()
    };
    let now = SystemTime::now();
    let signed = sign::sign(&req, &credentials, &settings, now)
        .unwrap_or_else(|e| panic!("{e}\n{}", url_of(&case)));
    // As the HTTP client sends it: values trimmed, Host from the authority.
    let mut headers: Vec<(String, String)> = signed
        .request
        .headers
        .iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    headers.push(("host".into(), signed.request.host_header_value().into()));
    let incoming = Incoming {
        method: &signed.request.method,
        path: &signed.request.path,
        query: signed.request.query.as_deref(),
        headers: &headers,
        body: &signed.request.body,
    };
    if let Err(f) = verify_for(&gateway_config(), &incoming, now, "execute-api") {
        panic!(
            "the gateway refused a request sigscope signed: {}\nrequest:\n{}\nour canonical request:\n{}",
            f.body, signed.trace.signed_request, signed.trace.canonical_request
        );
    }
}

proptest! {
    #![proptest_config(fuzz::config(3000, REGRESSIONS))]

    #[test]
    fn arbitrary_bytes_never_panic_the_raw_parser(raw in prop::collection::vec(any::<u8>(), 0..256)) {
        fuzz::within(LIMIT, move || check_raw(raw));
    }

    #[test]
    fn hostile_raw_requests_are_parsed_or_refused_with_a_real_line(raw in raw_request()) {
        fuzz::within(LIMIT, move || check_raw(raw));
    }

    #[test]
    fn every_signed_request_is_accepted_by_the_gateway_verifier(case in case()) {
        fuzz::within(LIMIT, move || check_verified(case));
    }

    #[test]
    fn canonicalization_is_idempotent_on_its_own_output(
        path in prop::collection::vec(piece(), 0..6),
        values in prop::collection::vec("[ \ta-z,]{0,8}", 1..5),
        query in "[a-zA-Z0-9%+=&é ]{0,24}",
    ) {
        let path = format!("/{}", path.join("/"));
        let once = normalize_path(&path);
        prop_assert_eq!(normalize_path(&once), once.clone());
        let s3 = s3_path(&path).into_owned();
        prop_assert_eq!(s3_path(&s3).into_owned(), s3);
        let headers: Vec<(String, String)> =
            values.iter().map(|v| ("X-A".to_string(), v.clone())).collect();
        for (_, v) in &headers {
            let folded = trim_header_value(v).into_owned();
            prop_assert_eq!(trim_header_value(&folded).into_owned(), folded);
        }
        let canonical = canonical_headers(&headers);
        prop_assert_eq!(canonical_headers(&canonical), canonical.clone());
        let q = canonical_query(&encoded_query_params(&query));
        prop_assert_eq!(canonical_query(&encoded_query_params(&q)), q);
    }
}

#[test]
fn the_most_headers_sign_in_linear_time() {
    fuzz::limit_memory();
    let mut req =
        WireRequest::from_url("GET", "https://abc.execute-api.us-east-1.amazonaws.com/").unwrap();
    for i in 0..sign::MAX_HEADERS {
        req.headers
            .push((format!("X-H-{}", i % 97), format!("v {i}\t x")));
    }
    let settings = SigningSettings::for_service("us-east-1", "execute-api");
    let signed = fuzz::within(LIMIT, move || {
        sign::sign(&req, &keys(), &settings, SystemTime::now())
            .map(|s| s.trace.signed_headers.len())
    });
    assert_eq!(signed.unwrap(), 97 + 2);
    eprintln!("peak memory: {} bytes", fuzz::peak_bytes());
}
