//! Every AWS error fixture (tests/fixtures/aws-errors) gets its expected kind and evidence.

use sigscope::diagnose::diagnose;
use sigscope::http::Response;
use std::path::Path;

#[test]
fn every_fixture_is_diagnosed_as_expected() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/aws-errors");
    let mut checked = 0;
    let mut failures = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let fixture: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let response = Response {
            status: fixture["status"].as_u64().unwrap() as u16,
            reason: String::new(),
            headers: fixture["headers"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                .collect(),
            body: fixture["body"].as_str().unwrap().to_string().into(),
        };
        let d = diagnose(&response, None, None);
        let got = serde_json::to_value(&d).unwrap();
        for (key, expected) in fixture["expect"].as_object().unwrap() {
            if &got[key] != expected {
                failures.push(format!(
                    "{}: {key} expected {expected}, got {}",
                    path.file_name().unwrap().to_string_lossy(),
                    got[key]
                ));
            }
        }
        assert!(!d.summary.is_empty() && !d.next_steps.is_empty());
        checked += 1;
    }
    assert!(
        checked >= 10,
        "only {checked} fixtures found in {}",
        dir.display()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
