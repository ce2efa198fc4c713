//! Every AWS error fixture (tests/fixtures/aws-errors) gets its expected kind and evidence,
//! including the shapes seen in the wild (loose JSON, Python dicts, SP-API's `errors` list,
//! S3's region and clock fields); none is left "unknown".

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
        let text = format!("{}\n{}", d.summary, d.next_steps.join("\n"));
        let name = path.file_name().unwrap().to_string_lossy();
        for wanted in fixture["expect_text"].as_array().into_iter().flatten() {
            let wanted = wanted.as_str().unwrap();
            if !text.contains(wanted) {
                failures.push(format!("{name}: '{wanted}' not in:\n{text}"));
            }
        }
        for unwanted in fixture["expect_no_text"].as_array().into_iter().flatten() {
            let unwanted = unwanted.as_str().unwrap();
            if text.contains(unwanted) {
                failures.push(format!("{name}: '{unwanted}' should not be in:\n{text}"));
            }
        }
        assert!(!d.summary.is_empty() && !d.next_steps.is_empty());
        if d.kind == sigscope::diagnose::Kind::Unknown {
            failures.push(format!("{name}: diagnosed unknown"));
        }
        checked += 1;
    }
    assert!(
        checked >= 22,
        "only {checked} fixtures found in {}",
        dir.display()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
