//! Fuzzing the AWS error body parsers (conventions: `tests/common/fuzz.rs`): arbitrary bodies
//! and headers, bodies assembled from the phrases the parsers look for (API Gateway's JSON,
//! S3's and STS's XML, the canonical-string message, clock and access-denied messages), and
//! raw HTTP responses (`diagnose --response`) go through `read_error`, `diagnose` (with a
//! trace, so the canonical diff runs too) and `Response::parse_raw`. Nothing may panic, hang
//! or allocate without bound; a well-formed XML error gives back exactly its code and message.

#[path = "common/fuzz.rs"]
mod fuzz;

use proptest::prelude::*;
use sigscope::aws::credentials::Credentials;
use sigscope::diagnose::{diagnose, extract, is_auth_failure};
use sigscope::http::Response;
use sigscope::sign::{sign, SigningSettings, SigningTrace, WireRequest};
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

const LIMIT: Duration = Duration::from_secs(10);
const REGRESSIONS: &str = "tests/fuzz_aws_errors.regressions";

/// One signed request and its trace, for the diff against whatever the body claims.
fn signed() -> &'static (WireRequest, SigningTrace) {
    static SIGNED: OnceLock<(WireRequest, SigningTrace)> = OnceLock::new();
    SIGNED.get_or_init(|| {
        let mut req = WireRequest::from_url(
            "POST",
            "https://abc.execute-api.us-east-1.amazonaws.com/prod/pets?b=2&a=1",
        )
        .unwrap();
        req.body = "{\"type\":\"dog\"}".into();
        let creds = Credentials::new(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            None,
            "t",
        );
        let s = sign(
            &req,
            &creds,
            &SigningSettings::for_service("us-east-1", "execute-api"),
            SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000),
        )
        .unwrap();
        (s.request, s.trace)
    })
}

fn phrase() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,16}",
        "[\\x00-\\x1f'()\\n]{1,3}",
        Just("User: ".to_string()),
        Just(" is not authorized to perform: ".to_string()),
        Just(" on resource: ".to_string()),
        Just(" with an explicit deny".to_string()),
        Just(" because ".to_string()),
        Just("Signature expired: ".to_string()),
        Just(" is now earlier than ".to_string()),
        Just("Signature not yet current: ".to_string()),
        Just(" is still later than ".to_string()),
        Just("(20201027T130007Z - 5 min.)".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just("Credential should be scoped to a valid region, not '".to_string()),
        Just("Credential should be scoped to correct service: '".to_string()),
        Just("The Canonical String for this request should have been\n'".to_string()),
        Just("'\n\nThe String-to-Sign should have been\n'".to_string()),
        Just(
            "POST\n/prod/pets\na=1&b=2\nhost:abc.execute-api.us-east-1.amazonaws.com\n".to_string()
        ),
        Just("AWS4-HMAC-SHA256\n20231114T221320Z\n".to_string()),
        Just("20201027T123008Z".to_string()),
        Just("arn:aws:execute-api:us-east-1:********9012:abc/prod/GET/pets".to_string()),
        Just("é✓😀".to_string()),
    ]
}

fn message() -> impl Strategy<Value = String> {
    prop::collection::vec(phrase(), 0..8).prop_map(|v| v.concat())
}

fn xml_escape(s: &str) -> String {
    s.chars()
        .filter(|c| {
            matches!(c, '\t' | '\n' | '\r') || (*c >= ' ' && *c != '\u{fffe}' && *c != '\u{ffff}')
        })
        .collect::<String>()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\r', "&#13;")
}

/// A body in one of the shapes AWS answers with.
fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..1024),
        (message(), prop_oneof![Just("message"), Just("Message"), Just("errorMessage")], message())
            .prop_map(|(m, key, t)| serde_json::json!({ key: m, "__type": t }).to_string().into_bytes()),
        (message(), message(), prop::collection::vec(any::<u8>(), 0..40)).prop_map(|(code, m, raw)| {
            let hex: Vec<String> = raw.iter().map(|b| format!("{b:02x}")).collect();
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{}</Code><Message>{}</Message>\
                 <CanonicalRequestBytes>{}</CanonicalRequestBytes><StringToSign>{}</StringToSign></Error>",
                xml_escape(&code), xml_escape(&m), hex.join(" "), xml_escape(&m)
            )
            .into_bytes()
        }),
        message().prop_map(|m| format!("<ErrorResponse><Error><Code>{m}</Code></Error></ErrorResponse>").into_bytes()),
        message().prop_map(String::into_bytes),
    ]
}

fn headers() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::vec(
        (
            prop_oneof![
                Just("x-amzn-ErrorType".to_string()),
                Just("content-type".to_string()),
                Just("date".to_string()),
                "[a-z-]{1,10}",
            ],
            prop_oneof![
                message(),
                Just("AccessDeniedException:http://x/".to_string()),
                Just("Tue, 27 Oct 2020 13:00:07 GMT".to_string())
            ],
        ),
        0..4,
    )
}

fn response(status: u16, headers: Vec<(String, String)>, body: Vec<u8>) -> Response {
    Response {
        status,
        reason: String::new(),
        headers,
        body: body.into(),
    }
}

proptest! {
    #![proptest_config(fuzz::config(3000, REGRESSIONS))]

    #[test]
    fn error_bodies_never_panic(
        status in prop_oneof![Just(400u16), Just(401), Just(403), Just(500), 100u16..600],
        headers in headers(),
        body in body(),
        with_trace in any::<bool>(),
    ) {
        fuzz::within(LIMIT, move || {
            let r = response(status, headers, body);
            let _ = is_auth_failure(&r);
            let _ = extract::read_error(&r);
            let (req, trace) = signed();
            let d = if with_trace { diagnose(&r, Some(trace), Some(req)) } else { diagnose(&r, None, None) };
            assert!(!d.summary.is_empty());
        });
    }

    #[test]
    fn a_well_formed_xml_error_gives_back_its_code_and_message(code in message(), msg in message()) {
        let (code, msg) = (xml_escape(&code), xml_escape(&msg));
        let body = format!("<Error><Code>{code}</Code><Message>{msg}</Message></Error>");
        let read = fuzz::within(LIMIT, move || extract::read_error(&response(403, vec![], body.into_bytes())));
        let unescape = |s: &str| s.replace("&lt;", "<").replace("&gt;", ">").replace("&#13;", "\r").replace("&amp;", "&");
        // XML normalizes line ends in text (CR LF and lone CR become LF) unless written as &#13;.
        prop_assert_eq!(read.code.unwrap_or_default(), unescape(&code));
        prop_assert_eq!(read.message.unwrap_or_default(), unescape(&msg));
    }

    #[test]
    fn raw_responses_never_panic(
        head in prop::collection::vec(prop_oneof![
            Just("HTTP/1.1 403 Forbidden".to_string()), "HTTP/[0-9.]{0,4} [0-9]{0,6} \\PC{0,8}",
            "[A-Za-z-]{0,10}:\\PC{0,20}", "\\PC{0,20}"], 0..6),
        sep in prop_oneof![Just("\r\n"), Just("\n")],
        body in body(),
    ) {
        let mut raw = head.join(sep).into_bytes();
        raw.extend_from_slice(sep.as_bytes());
        raw.extend_from_slice(sep.as_bytes());
        raw.extend_from_slice(&body);
        fuzz::within(LIMIT, move || {
            if let Ok(r) = Response::parse_raw(&raw) {
                let _ = diagnose(&r, None, None);
            }
        });
    }

    #[test]
    fn messages_alone_never_panic(m in message()) {
        fuzz::within(LIMIT, move || {
            let _ = extract::clock_times(&m);
            let _ = extract::access_denied(&m);
            let _ = extract::scope_complaints(&m);
            let _ = sigscope::aws::sts::xml_texts(&m, ["Code", "Message"]);
        });
    }
}

#[test]
fn zz_peak_memory_is_reported() {
    eprintln!(
        "fuzz_aws_errors peak allocation: {} bytes",
        fuzz::peak_bytes()
    );
}
