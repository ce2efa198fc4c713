//! The AWS SigV4 test suite (tests/fixtures/sigv4-suite, see its NOTICE): every case, signed
//! into headers and into the query, through `sign::sign_raw` (the code path of
//! `sigscope sign --raw`), compared byte for byte.

use sigscope::aws::credentials::Credentials;
use sigscope::sign::{sign_raw, Location, PayloadMode, SessionTokenMode, SigningSettings};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sigv4-suite")
}

struct Case {
    name: String,
    dir: PathBuf,
    context: serde_json::Value,
}

fn cases() -> Vec<Case> {
    let mut out: Vec<Case> = std::fs::read_dir(suite_dir())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| {
            let dir = e.path();
            let context: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(dir.join("context.json")).unwrap())
                    .unwrap();
            Case {
                name: e.file_name().to_string_lossy().into(),
                dir,
                context,
            }
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap()
}

fn run(case: &Case, query: bool) -> Result<(), String> {
    let ctx = &case.context;
    let creds = &ctx["credentials"];
    let credentials = Credentials::new(
        creds["access_key_id"].as_str().unwrap(),
        creds["secret_access_key"].as_str().unwrap(),
        creds["token"].as_str(),
        "suite",
    );
    let mut settings = SigningSettings::for_service(
        ctx["region"].as_str().unwrap(),
        ctx["service"].as_str().unwrap(),
    );
    settings.normalize_path = ctx["normalize"].as_bool().unwrap_or(true);
    if ctx["sign_body"].as_bool().unwrap_or(false) {
        settings.payload = PayloadMode::SignedHeader;
    }
    if ctx["omit_session_token"].as_bool().unwrap_or(false) {
        settings.session_token = SessionTokenMode::AppendedAfterSigning;
    }
    let prefix = if query {
        settings.location = Location::Query {
            expires_secs: ctx["expiration_in_seconds"].as_u64().unwrap(),
        };
        "query"
    } else {
        "header"
    };
    let time: SystemTime = time::OffsetDateTime::parse(
        ctx["timestamp"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap()
    .into();
    let raw = std::fs::read(case.dir.join("request.txt")).unwrap();
    let signed = sign_raw(&raw, &credentials, &settings, time).map_err(|e| e.to_string())?;
    let t = &signed.trace;
    let checks = [
        ("canonical-request", &t.canonical_request),
        ("string-to-sign", &t.string_to_sign),
        ("signature", &t.signature),
        ("signed-request", &t.signed_request),
    ];
    for (what, actual) in checks {
        let expected = read(&case.dir, &format!("{prefix}-{what}.txt"));
        if expected.trim_end_matches('\n') != actual.trim_end_matches('\n') {
            return Err(format!(
                "{} ({prefix}) {what} differs:\n--- expected\n{expected}\n--- actual\n{actual}",
                case.name
            ));
        }
    }
    Ok(())
}

#[test]
fn every_case_signed_into_headers_matches_the_suite() {
    let cases = cases();
    assert!(
        cases.len() >= 25,
        "suite not found: {}",
        suite_dir().display()
    );
    let failures: Vec<String> = cases.iter().filter_map(|c| run(c, false).err()).collect();
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_case_presigned_into_the_query_matches_the_suite() {
    let failures: Vec<String> = cases().iter().filter_map(|c| run(c, true).err()).collect();
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
