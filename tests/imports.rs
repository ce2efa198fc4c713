//! Imports from real exported shapes: Postman v2.1 with awsv4, API Gateway OpenAPI 3 and
//! Swagger 2 with AWS_IAM, and a dozen curl commands.

mod common;

use sigscope::import::{curl, openapi, postman};
use sigscope::model::{store, Auth, Body};
use std::path::Path;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/imports")
            .join(name),
    )
    .unwrap()
}

fn region_service(auth: &Auth) -> (Option<String>, Option<String>) {
    match auth {
        Auth::AwsSigv4 {
            region, service, ..
        } => (region.clone(), service.clone()),
        other => panic!("expected aws-sigv4, got {other:?}"),
    }
}

#[test]
fn postman_awsv4_becomes_sigv4_without_its_literal_keys() {
    let imported = postman::import(&fixture("postman-awsv4.postman_collection.json")).unwrap();
    let c = &imported.collection;
    assert_eq!(c.name, "Orders API (IAM)");
    assert_eq!(
        region_service(&c.auth),
        (Some("eu-west-1".into()), Some("execute-api".into()))
    );
    let create = c.find("orders/Create order").unwrap();
    assert!(matches!(create.request.body, Body::Json { .. }));
    let list = c.find("List orders").unwrap();
    assert_eq!(list.request.url, "{{baseUrl}}/orders");
    assert_eq!(list.request.query.len(), 2);
    assert!(!list.request.query[1].enabled);
    assert_eq!(
        c.variables["baseUrl"],
        "https://abc123.execute-api.eu-west-1.amazonaws.com/prod"
    );
    assert!(matches!(c.find("Health").unwrap().request.auth, Auth::None));
    let w = imported.warnings.join("\n");
    assert!(
        w.contains("orders/Create order") && w.contains("secretKey"),
        "{w}"
    );
    assert!(w.contains("scripts"), "{w}");
    let text = store::to_text(c);
    assert!(
        !text.contains("wJalrXUtnFEMI") && !text.contains("AKIAIOSFODNN7EXAMPLE"),
        "a key was imported"
    );
    store::parse("postman", &text).expect("the import loads again");
}

#[test]
fn openapi_3_export_with_iam_becomes_signed_requests() {
    let imported = openapi::import(&fixture("apigateway-oas30.json")).unwrap();
    let c = &imported.collection;
    assert_eq!(
        c.variables["baseUrl"],
        "https://abc123.execute-api.us-east-1.amazonaws.com/test"
    );
    let all = c.walk();
    assert_eq!(all.len(), 4);
    let get_pet = all
        .iter()
        .find(|l| l.request.url == "{{baseUrl}}/pets/{{petId}}")
        .unwrap();
    assert_eq!(
        region_service(&get_pet.request.auth).1.as_deref(),
        Some("execute-api")
    );
    assert_eq!(get_pet.request.variables["petId"], "1");
    let post = all.iter().find(|l| l.request.method == "POST").unwrap();
    assert!(matches!(post.request.auth, Auth::AwsSigv4 { .. }));
    match &post.request.body {
        Body::Json { content } => assert_eq!(content["type"], "dog"),
        b => panic!("{b:?}"),
    }
    let health = all
        .iter()
        .find(|l| l.request.url.ends_with("/health"))
        .unwrap();
    assert!(matches!(health.request.auth, Auth::None));
    store::parse("oas", &store::to_text(c)).unwrap();
}

#[test]
fn swagger_2_export_with_body_parameter() {
    let imported = openapi::import(&fixture("apigateway-swagger2.json")).unwrap();
    let c = &imported.collection;
    assert_eq!(
        c.variables["baseUrl"],
        "https://xyz987.execute-api.eu-west-1.amazonaws.com/prod"
    );
    let post = &c.walk()[0];
    match &post.request.body {
        Body::Json { content } => {
            assert_eq!(content, &serde_json::json!({"type": "dog", "price": 9.5}))
        }
        b => panic!("{b:?}"),
    }
    assert!(matches!(post.request.auth, Auth::AwsSigv4 { .. }));
}

#[test]
fn a_dozen_curl_commands() {
    let text = fixture("curl-commands.txt").replace("\\\n", " ");
    let commands: Vec<String> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    assert_eq!(commands.len(), 12);
    let parsed: Vec<_> = commands.iter().map(|c| curl::parse(c).unwrap()).collect();
    let r = |i: usize| &parsed[i].0;
    assert_eq!(r(0).method, "GET");
    assert_eq!(r(1).method, "POST");
    assert!(matches!(&r(1).body, Body::Json { content } if content["type"] == "dog"));
    assert_eq!(r(2).method, "PUT");
    assert_eq!(r(2).headers[0].value, "a b");
    assert!(matches!(&r(3).body, Body::Text { content } if content == "a=1&b=2"));
    assert!(matches!(&r(4).body, Body::File { path } if path == "payload.bin"));
    assert_eq!(r(5).method, "GET");
    assert_eq!(
        r(5).query
            .iter()
            .map(|q| q.name.as_str())
            .collect::<Vec<_>>(),
        ["q", "page"]
    );
    assert_eq!(r(6).query.len(), 2);
    assert!(
        matches!(&r(7).auth, Auth::Basic { username, password } if username == "alice" && password == "{{$env.BASIC_PASSWORD}}")
    );
    assert_eq!(
        region_service(&r(8).auth),
        (Some("eu-west-1".into()), Some("execute-api".into()))
    );
    assert!(parsed[8].1.iter().any(|w| w.contains("AWS keys")));
    assert!(parsed[9].1.iter().any(|w| w.contains("insecure")));
    assert_eq!(r(10).headers[0].name, "Accept");
    assert!(matches!(&r(11).body, Body::Json { .. }));
    let imported = curl::import(&commands, "curl").unwrap();
    let saved = store::to_text(&imported.collection);
    assert!(!saved.contains("s3cret"), "a password was imported");
    store::parse("curl", &saved).unwrap();
}

#[test]
fn import_cli_writes_a_collection_and_lists_what_it_left() {
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("orders.json");
    let out = common::sigscope()
        .args(["import", "postman"])
        .arg(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/imports/postman-awsv4.postman_collection.json"),
        )
        .arg("-o")
        .arg(&out_file)
        .output()
        .unwrap();
    let (stdout, stderr) = common::text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.contains("imported 3 requests") && stdout.contains("not carried over:"),
        "{stdout}"
    );
    assert!(store::load(&out_file).is_ok());
    let again = common::sigscope()
        .args(["import", "curl", "curl https://example.com", "-o"])
        .arg(&out_file)
        .output()
        .unwrap();
    assert!(
        !again.status.success(),
        "an existing file must not be replaced without --force"
    );
}

#[test]
fn a_yaml_export_imports_like_its_json_twin() {
    let json = openapi::import(&fixture("apigateway-oas30.json")).unwrap();
    let yaml = openapi::import(&fixture("apigateway-oas30.yaml")).unwrap();
    assert_eq!(
        serde_json::to_value(&yaml.collection).unwrap(),
        serde_json::to_value(&json.collection).unwrap()
    );
    let e = openapi::import("openapi: 3.0.1\ninfo: [unclosed\n").unwrap_err();
    assert!(e.starts_with("not valid YAML at line"), "{e}");
    let e = openapi::import("{\"openapi\": ").unwrap_err();
    assert!(e.starts_with("not valid JSON at line 1"), "{e}");
}
