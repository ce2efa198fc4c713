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
    assert!(
        w.contains("collection: the Postman prerequest script is kept in the description"),
        "{w}"
    );
    assert!(c
        .description
        .as_deref()
        .unwrap()
        .contains("pm.environment.set"));
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

// ---- Defects found on real files: one fixture of the same shape and one test each. ----

fn fixture_path(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/imports")
        .join(name)
}

fn import_file(name: &str) -> sigscope::import::Imported {
    sigscope::import::import_any(&fixture_path(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Compares a collection with its expected file field by field (the first difference is
/// named by its JSON path), then checks that it is written and loaded back unchanged.
fn assert_expected(imported: &sigscope::import::Imported, expected: &str) {
    let actual = serde_json::to_value(&imported.collection).unwrap();
    let want: serde_json::Value =
        serde_json::from_str(&fixture(&format!("expected/{expected}"))).unwrap();
    fn diff(path: &str, a: &serde_json::Value, b: &serde_json::Value) -> Option<String> {
        match (a, b) {
            (serde_json::Value::Object(x), serde_json::Value::Object(y)) => {
                for k in x.keys().chain(y.keys()) {
                    let (va, vb) = (
                        x.get(k).unwrap_or(&serde_json::Value::Null),
                        y.get(k).unwrap_or(&serde_json::Value::Null),
                    );
                    if let Some(d) = diff(&format!("{path}.{k}"), va, vb) {
                        return Some(d);
                    }
                }
                None
            }
            (serde_json::Value::Array(x), serde_json::Value::Array(y)) if x.len() == y.len() => x
                .iter()
                .zip(y)
                .enumerate()
                .find_map(|(i, (va, vb))| diff(&format!("{path}[{i}]"), va, vb)),
            _ if a == b => None,
            _ => Some(format!("{path}: got {a}, expected {b}")),
        }
    }
    if let Some(d) = diff("$", &actual, &want) {
        panic!("{expected}: {d}");
    }
    let text = store::to_text(&imported.collection);
    let loaded = store::parse(expected, &text).expect("the import loads again");
    assert_eq!(loaded, imported.collection);
    for secret in [
        "wJalrXUtnFEMI",
        "AKIAIOSFODNN7EXAMPLE",
        "hunter2",
        "s3cret",
        "IQoJ",
    ] {
        assert!(
            !text.contains(secret),
            "{expected}: '{secret}' was imported"
        );
    }
}

fn warned(imported: &sigscope::import::Imported, parts: &[&str]) {
    let all = imported.warnings.join("\n");
    assert!(
        imported
            .warnings
            .iter()
            .any(|w| parts.iter().all(|p| w.contains(p))),
        "no warning with {parts:?} in:\n{all}"
    );
}

#[test]
fn postman_v2_0_object_auth_keeps_region_and_service() {
    let imported = import_file("postman-v2.0-awsv4-object.postman_collection.json");
    let c = &imported.collection;
    assert_eq!(
        region_service(&c.auth),
        (Some("ap-southeast-2".into()), Some("execute-api".into()))
    );
    assert_eq!(
        region_service(&c.find("List items").unwrap().request.auth),
        (Some("eu-central-1".into()), Some("lambda".into()))
    );
    warned(&imported, &["collection", "accessKey", "literal"]);
}

#[test]
fn postman_url_from_its_parts_path_variables_and_the_api_wrapper() {
    let imported = import_file("postman-api-wrapper.json");
    let r = imported.collection.find("Get user").unwrap().request;
    assert_eq!(
        r.url,
        "https://api.example.com:8443/v1/users/{{userId}}/orders"
    );
    assert_eq!(r.variables["userId"], "42");
    // The empty row is gone; the disabled one stays disabled.
    let q: Vec<(&str, bool)> = r
        .query
        .iter()
        .map(|q| (q.name.as_str(), q.enabled))
        .collect();
    assert_eq!(q, [("expand", true), ("debug", false)]);
    let c = &imported.collection;
    assert_eq!(
        c.variables.get("legacyHost"),
        None,
        "a disabled variable became active"
    );
    assert!(c
        .description
        .as_deref()
        .unwrap()
        .contains("legacyHost = https://old.example.com"));
    warned(&imported, &["disabled variable", "legacyHost"]);
}

#[test]
fn postman_form_data_and_one_literal_credential_do_not_fail_the_import() {
    let imported = import_file("postman-formdata-credentials.postman_collection.json");
    let c = &imported.collection;
    let upload = c.find("Upload avatar").unwrap().request;
    match &upload.body {
        Body::FormUrlencoded { fields } => {
            let f: Vec<(&str, &str, bool)> = fields
                .iter()
                .map(|f| (f.name.as_str(), f.value.as_str(), f.enabled))
                .collect();
            assert_eq!(f, [("title", "me", true), ("draft", "yes", false)]);
        }
        b => panic!("{b:?}"),
    }
    let description = upload.description.as_deref().unwrap();
    assert!(
        description.contains("picture = file /home/alice/me.png"),
        "{description}"
    );
    // The test script was one of the common shapes: it became an assertion, not text.
    assert!(
        !description.contains("pm.test"),
        "the converted test script is not kept: {description}"
    );
    let checks: Vec<String> = upload.assertions.iter().map(|a| a.to_string()).collect();
    assert_eq!(checks, ["status 200"]);
    assert!(
        matches!(&upload.auth, Auth::Basic { username, password } if username == "alice" && password == "{{$env.BASIC_PASSWORD}}"),
        "{:?}",
        upload.auth
    );
    assert_eq!(upload.headers.len(), 1);
    assert_eq!(upload.headers[0].value, "{{$env.TRACE_ID}}");
    warned(&imported, &["Upload avatar", "Basic"]);
    for name in [
        "Signed with a placeholder token",
        "Signed with a shell token",
    ] {
        let r = c.find(name).unwrap().request;
        assert!(
            !r.headers
                .iter()
                .any(|h| h.name.eq_ignore_ascii_case("x-amz-security-token")),
            "{name}: {:?}",
            r.headers
        );
        warned(&imported, &[name, "session token from the credentials"]);
    }
    let shell = c.find("Signed with a shell token").unwrap().request;
    assert!(matches!(&shell.auth, Auth::Bearer { token } if token == "{{$env.API_TOKEN}}"));
    assert_eq!(c.walk().len(), 3, "every request imported");
    store::parse("x", &store::to_text(c)).unwrap();
}

#[test]
fn openapi_any_method_signing_name_region_placeholders_optional_headers_and_hash() {
    let text = fixture("openapi-any-method-region.yaml");
    let picked = sigscope::import::Options {
        any_methods: vec!["GET".into(), "POST".into()],
        name: None,
    };
    let imported = openapi::import_with(&text, &picked).unwrap();
    let c = &imported.collection;
    assert_eq!(
        c.variables["baseUrl"],
        "https://px123.execute-api.{{region}}.amazonaws.com/live"
    );
    assert_eq!(c.variables["region"], "");
    warned(&imported, &["set {{region}}"]);
    let all = c.walk();
    let proxies: Vec<&str> = all
        .iter()
        .filter(|l| l.request.url.contains("/items/"))
        .map(|l| l.request.method.as_str())
        .collect();
    assert_eq!(proxies, ["GET", "POST"]);
    warned(&imported, &["any-method", "GET, POST"]);
    let proxy = all
        .iter()
        .find(|l| l.request.url.contains("/items/"))
        .unwrap();
    assert_eq!(
        region_service(&proxy.request.auth).1.as_deref(),
        Some("execute-api")
    );
    let report = c.find("latestReport").unwrap().request;
    assert_eq!(report.url, "{{baseUrl}}/reports/%23latest");
    assert_eq!(region_service(&report.auth).1.as_deref(), Some("lambda"));
    let h: Vec<(&str, bool)> = report
        .headers
        .iter()
        .map(|h| (h.name.as_str(), h.enabled))
        .collect();
    assert_eq!(h, [("X-Request-Id", false), ("X-Tenant", true)]);
    // Without a choice: GET only.
    let default = openapi::import(&text).unwrap();
    assert_eq!(
        default
            .collection
            .walk()
            .iter()
            .filter(|l| l.request.url.contains("/items/"))
            .count(),
        1
    );
}

#[test]
fn openapi_without_servers_asks_for_base_url() {
    let imported = import_file("openapi-no-servers.json");
    let c = &imported.collection;
    assert!(!c.variables.contains_key("baseUrl"), "no made-up host");
    assert!(!store::to_text(c).contains("example.com"));
    warned(&imported, &["set {{baseUrl}}"]);
    assert_eq!(c.walk()[0].request.url, "{{baseUrl}}/ping");
}

#[test]
fn curl_attached_options_substitutions_and_shell_variables() {
    let imported = import_file("curl-defects.txt");
    let r = |i: usize| &imported.collection.requests[i];
    assert_eq!(r(0).method, "POST", "-XPOST");
    assert!(matches!(&r(0).body, Body::Json { content } if content["a"] == 1));
    assert_eq!(
        r(1).url,
        "https://api.example.com/v1/search?since={{shell_1}}&q=x"
    );
    assert_eq!(r(1).variables["shell_1"], "");
    warned(&imported, &["$(date +%s)", "not run", "{{shell_1}}"]);
    let headers: Vec<(&str, &str)> = r(2)
        .headers
        .iter()
        .map(|h| (h.name.as_str(), h.value.as_str()))
        .collect();
    assert_eq!(
        headers,
        [
            ("Authorization", "Bearer {{$env.API_TOKEN}}"),
            ("X-Literal", "$NOT_A_VAR"),
            ("X-Region", "{{$env.AWS_REGION}}")
        ]
    );
    assert_eq!(r(3).method, "PUT", "--request=PUT");
    assert_eq!(r(3).headers[0].name, "X-A");
}

#[test]
fn curl_user_with_a_stray_space_is_refused_not_imported_as_the_url() {
    let e = curl::parse("curl --user AKIAIOSFODNN7EXAMPLE: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY --aws-sigv4 aws:amz:us-east-1:execute-api https://x.execute-api.us-east-1.amazonaws.com/p").unwrap_err();
    assert!(
        e.contains("space after the colon") && !e.contains("wJalr"),
        "{e}"
    );
    // An empty password on purpose, followed by the URL, is fine.
    assert!(curl::parse("curl --user alice: https://example.com").is_ok());
}

#[test]
fn a_raw_postman_or_insomnia_file_in_the_collections_folder_is_named() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["postman-awsv4.postman_collection.json", "insomnia-v4.json"] {
        std::fs::copy(fixture_path(f), dir.path().join(f)).unwrap();
    }
    let out = common::sigscope()
        .arg("collections")
        .arg("--collections")
        .arg(dir.path())
        .output()
        .unwrap();
    let (stdout, _) = common::text(&out);
    assert!(!stdout.contains("unknown field"), "{stdout}");
    assert!(
        stdout.contains("(Postman collection), not a sigscope collection")
            && stdout.contains("(Insomnia export), not a sigscope collection"),
        "{stdout}"
    );
    assert!(stdout.contains("sigscope import"), "{stdout}");
}

#[test]
fn the_written_schema_reference_resolves() {
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("sub/orders.json");
    let out = common::sigscope()
        .arg("import")
        .arg(fixture_path("insomnia-v4.json"))
        .arg("-o")
        .arg(&out_file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", common::text(&out).1);
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out_file).unwrap()).unwrap();
    let reference = written["$schema"].as_str().unwrap();
    let schema = out_file.parent().unwrap().join(reference);
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&schema).unwrap()).unwrap();
    assert!(schema["properties"].get("requests").is_some(), "{schema}");
}

// ---- New importers, each compared with its expected collection. ----

#[test]
fn insomnia_v4_json() {
    let imported = import_file("insomnia-v4.json");
    assert_expected(&imported, "insomnia.json");
    warned(
        &imported,
        &["orders/Create order", "secretAccessKey", "literal"],
    );
    warned(&imported, &["orders/Create order", "after-response script"]);
    warned(&imported, &["Login form", "basic password"]);
}

#[test]
fn insomnia_v5_yaml_imports_like_its_v4_twin() {
    let imported = import_file("insomnia-v5.yaml");
    assert_expected(&imported, "insomnia.json");
}

#[test]
fn bruno_folder() {
    let imported = import_file("bruno-orders");
    assert_expected(&imported, "bruno.json");
    // Captures and assertions became data; only the row with no equivalent is left as text.
    warned(
        &imported,
        &[
            "Orders/List orders",
            "1 assertions (assert) row(s) have no equivalent",
        ],
    );
    assert!(
        !imported
            .warnings
            .iter()
            .any(|w| w.contains("vars:post-response")),
        "{:?}",
        imported.warnings
    );
    warned(&imported, &["Orders/Create order", "secretAccessKey"]);
    warned(&imported, &["environment dev", "apiKey"]);
}

#[test]
fn har_from_devtools() {
    let imported = import_file("devtools.har");
    assert_expected(&imported, "har.json");
    warned(
        &imported,
        &[
            "1 GET orders",
            "SigV4 Authorization header became aws-sigv4",
        ],
    );
    warned(&imported, &["3 GET report.csv", "presigned URL"]);
    warned(&imported, &["cookies"]);
}

#[test]
fn http_file() {
    let imported = import_file("requests.http");
    assert_expected(&imported, "http.json");
    warned(
        &imported,
        &[
            "List orders",
            "AWS Authorization line",
            "keys are not imported",
        ],
    );
    warned(&imported, &["createOrder", "response handler"]);
}

#[test]
fn import_cli_detects_the_format_by_content() {
    let dir = tempfile::tempdir().unwrap();
    for (fixture, kind, requests) in [
        ("insomnia-v5.yaml", "Insomnia export", 4),
        ("bruno-orders", "Bruno collection", 3),
        ("bruno-orders/bruno.json", "Bruno collection", 3),
        ("devtools.har", "HAR", 3),
        ("requests.http", ".http file", 3),
        ("curl-commands.txt", "curl commands", 12),
        ("apigateway-oas30.yaml", "OpenAPI", 4),
        ("postman-api-wrapper.json", "Postman collection", 1),
    ] {
        let out_file = dir
            .path()
            .join(format!("{}.json", fixture.replace('/', "-")));
        let out = common::sigscope()
            .arg("import")
            .arg(fixture_path(fixture))
            .arg("-o")
            .arg(&out_file)
            .output()
            .unwrap();
        let (stdout, stderr) = common::text(&out);
        assert!(out.status.success(), "{fixture}: {stderr}");
        assert!(stderr.contains(kind), "{fixture}: {stderr}");
        assert!(
            stdout.contains(&format!("imported {requests} requests")),
            "{fixture}: {stdout}"
        );
        store::load(&out_file).unwrap();
    }
    let junk = dir.path().join("notes.txt");
    std::fs::write(&junk, "hello world\n").unwrap();
    let out = common::sigscope()
        .arg("import")
        .arg(&junk)
        .output()
        .unwrap();
    let (_, stderr) = common::text(&out);
    assert!(
        !out.status.success()
            && stderr.contains("notes.txt")
            && stderr.contains("not a format sigscope reads"),
        "{stderr}"
    );
}

// ---- Straight from the account, against the local gateway. ----

fn aws_import(base: &str, extra: &[&str], out_file: Option<&Path>) -> (bool, String, String) {
    let mut cmd = common::sigscope();
    common::demo_env(&mut cmd)
        .env("AWS_ENDPOINT_URL_APIGATEWAY", base)
        .env("AWS_ENDPOINT_URL_APIGATEWAYV2", base)
        .env("AWS_ENDPOINT_URL_LAMBDA", base)
        .args(["import", "aws", "--region", "us-east-1"])
        .args(extra);
    if let Some(f) = out_file {
        cmd.arg("-o").arg(f);
    }
    let out = cmd.output().unwrap();
    let (stdout, stderr) = common::text(&out);
    (out.status.success(), stdout, stderr)
}

fn run_collection(file: &Path) -> (Option<i32>, String) {
    let out = common::demo_env(&mut common::sigscope())
        .arg("run")
        .arg(file)
        .output()
        .unwrap();
    (out.status.code(), common::text(&out).0)
}

#[test]
fn import_aws_lists_the_demo_rest_api_and_builds_a_collection_that_runs() {
    let (mut mock, base) = common::start_mock(&[]);
    let (ok, listing, stderr) = aws_import(&base, &[], None);
    assert!(ok, "{stderr}");
    assert!(
        listing.contains("REST API")
            && listing.contains("demoapi")
            && listing.contains("stages: test"),
        "{listing}"
    );
    assert!(
        listing.contains("import one with: sigscope import aws --region us-east-1 --api demoapi"),
        "{listing}"
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("demo.json");
    let (ok, stdout, stderr) = aws_import(
        &base,
        &["--api", "demoapi", "--any-method", "GET,POST"],
        Some(&file),
    );
    assert!(ok, "{stderr}");
    assert!(stdout.contains("imported 6 requests"), "{stdout}");
    let loaded = store::load(&file).unwrap();
    let c = &loaded.collection;
    assert_eq!(c.name, "sigscope demo (test)");
    assert_eq!(c.variables["baseUrl"], format!("{base}/test"));
    for l in c.walk() {
        assert_eq!(
            region_service(&l.request.auth),
            (Some("us-east-1".into()), Some("execute-api".into())),
            "{}",
            l.request.name
        );
    }
    let (code, out) = run_collection(&file);
    mock.kill().ok();
    // Every request passes the signature check; the demo policy denies DELETE on purpose.
    assert_eq!(code, Some(3), "{out}");
    assert!(out.contains("6 requests, 1 failed"), "{out}");
    assert!(
        out.contains("403") && out.contains("DELETE /pets/{petId}  (access-denied"),
        "{out}"
    );
    // Wrong keys: the listing call is refused by the gateway's verifier, and said so.
    let (mut mock, base) = common::start_mock(&[]);
    let out = common::sigscope()
        .env("AWS_ACCESS_KEY_ID", "AKIAI44QH8DHBEXAMPLE")
        .env(
            "AWS_SECRET_ACCESS_KEY",
            "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
        )
        .env("AWS_ENDPOINT_URL", &base)
        .args(["import", "aws", "--region", "us-east-1"])
        .output()
        .unwrap();
    mock.kill().ok();
    let (stdout, stderr) = common::text(&out);
    assert!(
        !out.status.success()
            && stderr.contains("GetRestApis: HTTP 403")
            && stderr.contains("The security token included in the request is invalid")
            && stderr.contains("nothing listed in us-east-1"),
        "{stdout}{stderr}"
    );
}

#[test]
fn import_aws_finds_http_apis_and_function_urls() {
    for (style, kind, api, requests) in [
        ("http-api", "HTTP API", "demoapi", 5),
        ("lambda-url", "function URL", "sigscope-demo", 1),
    ] {
        let (mut mock, base) = common::start_mock(&["--style", style]);
        let (ok, listing, stderr) = aws_import(&base, &[], None);
        assert!(
            ok && listing.contains(kind) && listing.contains(api),
            "{style}: {listing}{stderr}"
        );
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.json");
        let (ok, stdout, stderr) = aws_import(&base, &["--api", api], Some(&file));
        assert!(ok, "{style}: {stderr}");
        assert!(
            stdout.contains(&format!("imported {requests} requests")),
            "{style}: {stdout}"
        );
        let (code, out) = run_collection(&file);
        mock.kill().ok();
        // Signed right everywhere; the demo policy denies DELETE on purpose.
        let failed = if style == "http-api" { 1 } else { 0 };
        assert!(
            out.contains(&format!("{requests} requests, {failed} failed")),
            "{style}: {out}"
        );
        assert_eq!(
            code,
            Some(if failed == 0 { 0 } else { 3 }),
            "{style}: {out}"
        );
        let c = store::load(&file).unwrap().collection;
        let service = if style == "lambda-url" {
            "lambda"
        } else {
            "execute-api"
        };
        assert_eq!(
            region_service(&c.walk()[0].request.auth).1.as_deref(),
            Some(service)
        );
    }
}
