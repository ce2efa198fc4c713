//! Property tests (proptest, inside `cargo test`) for the importers that read what people
//! paste or download: the curl command parser, Postman, OpenAPI, and the `.http` and `.bru`
//! text parsers. Properties: no panic; whatever imports is a collection that saves and loads
//! again (the secret refusal included); the output stays proportional to the input (no
//! unbounded allocation); a command built from known parts parses back to those parts.
//!
//! Cases per target: `CASES` (3,000). A longer local run: `PROPTEST_CASES=200000 cargo test
//! --lib import::fuzz` (proptest reads the variable).

use super::{curl, finish, finish_curl, http_file, openapi, postman, Imported, Options};
use crate::model::store;
use proptest::prelude::*;
use serde_json::Value;

const CASES: u32 = 3_000;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(CASES),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// What a finished import must be: savable, loadable, the same after loading, and not much
/// larger than what it came from.
fn check_output(imported: Imported, input_len: usize) -> Result<(), TestCaseError> {
    let text = store::to_text(&imported.collection);
    let loaded = store::parse("fuzz", &text)
        .map_err(|e| TestCaseError::fail(format!("the import does not load again: {e}\n{text}")))?;
    prop_assert_eq!(&loaded, &imported.collection);
    // JSON escaping is at most 6 bytes a character; variables and names add a bounded amount.
    prop_assert!(
        text.len() <= 64 * input_len + 64 * 1024,
        "output {} bytes for {} bytes of input",
        text.len(),
        input_len
    );
    Ok(())
}

/// Text made of what curl command lines are made of: options, quotes, escapes, `$`,
/// substitutions, URLs, unicode.
fn curlish() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "curl ",
        "-X",
        "POST",
        " ",
        "-H",
        "'",
        "\"",
        "\\",
        "$",
        "(",
        ")",
        "`",
        "{",
        "}",
        "$HOME",
        "${X}",
        "$(date)",
        "--user",
        "AK:",
        "SK",
        ":",
        "-d",
        "@",
        "@file",
        "--data-raw",
        "--aws-sigv4",
        "aws:amz:us-east-1:execute-api",
        "https://x.example.com/a?b=c&d",
        "http://127.0.0.1:8080/",
        "--url-query",
        "a=b",
        "-G",
        "--json",
        "{\"a\":1}",
        "\n",
        "\\\n",
        "é",
        "漢",
        "\t",
        "--request=",
        "-XPUT",
        "--",
        "-",
        "=",
        "#",
        "&",
        "|",
        ";",
    ]);
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

/// JSON values whose keys come from a format's vocabulary, so the importer walks deep.
fn json_with(keys: &'static [&'static str]) -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        prop::sample::select(vec![
            "",
            "GET",
            "post",
            "{{baseUrl}}",
            "https://a.example.com/p/:id",
            "v2.1",
            "v2.0",
            "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
            "awsv4",
            "execute-api",
            "us-east-1",
            "AWS_IAM",
            "awsSigv4",
            "file",
            "raw",
            "formdata",
            "urlencoded",
            "text",
            "application/json",
            "#/components/schemas/A",
            "object",
            "array",
            "string",
            "header",
            "query",
            "path",
            "body",
            "Basic YWxpY2U6cw==",
            "Bearer x",
            "$AWS_SESSION_TOKEN",
            "<string>",
            "{region}",
            "/{basePath}",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "é\u{0}\u{1b}]0;x\u{7}",
        ])
        .prop_map(|s| Value::String(s.to_string())),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 96, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(keys.to_vec()), inner), 0..8).prop_map(
                |pairs| Value::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
            ),
        ]
    })
}

const POSTMAN_KEYS: &[&str] = &[
    "info",
    "schema",
    "name",
    "_postman_id",
    "item",
    "request",
    "url",
    "raw",
    "protocol",
    "host",
    "port",
    "path",
    "query",
    "variable",
    "key",
    "value",
    "disabled",
    "auth",
    "type",
    "awsv4",
    "bearer",
    "basic",
    "header",
    "body",
    "mode",
    "formdata",
    "urlencoded",
    "file",
    "src",
    "graphql",
    "event",
    "listen",
    "script",
    "exec",
    "description",
    "content",
    "collection",
    "method",
];

const OPENAPI_KEYS: &[&str] = &[
    "openapi",
    "swagger",
    "info",
    "title",
    "servers",
    "url",
    "variables",
    "default",
    "paths",
    "/a",
    "/b/{id}",
    "/c#d",
    "get",
    "post",
    "x-amazon-apigateway-any-method",
    "parameters",
    "in",
    "name",
    "required",
    "schema",
    "$ref",
    "type",
    "properties",
    "items",
    "example",
    "requestBody",
    "content",
    "application/json",
    "security",
    "components",
    "schemas",
    "A",
    "securitySchemes",
    "sigv4",
    "x-amazon-apigateway-authtype",
    "x-aws-signingName",
    "x-amazon-apigateway-auth",
    "host",
    "basePath",
    "schemes",
    "operationId",
    "tags",
    "summary",
    "enum",
];

proptest! {
    #![proptest_config(config())]

    #[test]
    fn curl_parser_never_panics_and_what_it_imports_loads(line in curlish()) {
        if let Ok((request, warnings)) = curl::parse(&line) {
            let mut c = super::empty_collection("fuzz");
            c.requests.push(request);
            check_output(finish_curl(Imported { collection: c, warnings }), line.len())?;
        }
    }

    #[test]
    fn a_curl_command_built_from_parts_parses_back_to_them(
        method in "[A-Z]{1,7}",
        path in "[a-zA-Z0-9 $'\"`\\\\(){}!*?é-]{0,20}",
        header_value in "[ -~é]{0,30}",
        body in "[ -~é\n]{1,40}",
    ) {
        let url = format!("https://api.example.com/{}", path.replace('#', ""));
        let header = format!("X-Test: {}", header_value.trim());
        let command = format!(
            "curl -X {} \\\n {} -H {} \\\n  --data-raw {}",
            shlex::try_quote(&method).unwrap(),
            shlex::try_quote(&url).unwrap(),
            shlex::try_quote(&header).unwrap(),
            shlex::try_quote(&body).unwrap(),
        );
        let (r, _) = curl::parse(&command).map_err(TestCaseError::fail)?;
        prop_assert_eq!(&r.method, &method);
        prop_assert_eq!(&r.url, &url);
        prop_assert_eq!(&r.headers[0].value, header_value.trim());
        let sent = match &r.body {
            crate::model::Body::Json { content } => serde_json::from_str::<Value>(&body).ok() == Some(content.clone()),
            crate::model::Body::Text { content } => content == &body,
            _ => false,
        };
        prop_assert!(sent, "{:?} for {:?}", r.body, body);
    }

    #[test]
    fn postman_import_never_panics_and_what_it_imports_loads(v in json_with(POSTMAN_KEYS)) {
        let text = v.to_string();
        if let Ok(imported) = postman::import(&text) {
            check_output(finish(imported), text.len())?;
        }
    }

    #[test]
    fn postman_shaped_collections_import(v in json_with(POSTMAN_KEYS)) {
        // Wrapped as a real collection, so the walk reaches items and requests every time.
        let doc = serde_json::json!({
            "info": {"name": "f", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
            "item": [v.clone(), {"name": "r", "request": v}],
        });
        let text = doc.to_string();
        let imported = postman::import(&text).map_err(TestCaseError::fail)?;
        check_output(finish(imported), text.len())?;
    }

    #[test]
    fn openapi_import_never_panics_and_what_it_imports_loads(v in json_with(OPENAPI_KEYS)) {
        let mut doc = v;
        if let Value::Object(m) = &mut doc {
            m.insert("openapi".into(), "3.0.1".into());
        }
        let text = doc.to_string();
        let options = Options { any_methods: vec!["GET".into(), "PUT".into()], name: None };
        if let Ok(imported) = openapi::import_with(&text, &options) {
            check_output(finish(imported), text.len())?;
        }
    }

    #[test]
    fn http_file_parser_never_panics(text in "(###|GET |POST |@a = |# @name |Authorization: AWS |< |\\?a=1|&b|\n|[ -~é])*") {
        if let Ok(imported) = http_file::import(&text, "fuzz") {
            check_output(finish(imported), text.len())?;
        }
    }

    #[test]
    fn bru_parser_never_panics(text in "(meta \\{|get \\{|\\}|\\]|vars:secret \\[|  url: |  ~a: b|\n|[ -~])*") {
        let _ = super::bruno::parse_bru(&text, "fuzz.bru");
    }
}

#[test]
fn a_self_referencing_schema_makes_a_bounded_example() {
    // 40 properties each referring back to the schema: 40^7 nodes without a budget.
    let properties: serde_json::Map<String, Value> = (0..40)
        .map(|i| {
            (
                format!("p{i}"),
                serde_json::json!({"$ref": "#/components/schemas/Node"}),
            )
        })
        .collect();
    let doc = serde_json::json!({
        "openapi": "3.0.1",
        "paths": {"/n": {"post": {"requestBody": {"content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Node"}}}}}}},
        "components": {"schemas": {"Node": {"type": "object", "properties": properties}}},
    });
    let text = doc.to_string();
    let imported = openapi::import(&text).unwrap();
    let body = serde_json::to_string(&imported.collection).unwrap();
    assert!(body.len() < 400_000, "{} bytes", body.len());
}
