use super::*;
use serde_json::json;

fn assertion(v: Value) -> Result<Assertion, String> {
    serde_json::from_value(v).map_err(|e| e.to_string())
}

#[test]
fn every_assertion_shape_reads_and_writes_back_the_same() {
    for v in [
        json!({"status": 201}),
        json!({"status": "2xx"}),
        json!({"status": [200, 204]}),
        json!({"header": "content-type", "matches": "json"}),
        json!({"header": "x-amzn-requestid", "exists": true}),
        json!({"header": "etag", "exists": false}),
        json!({"header": "content-type", "equals": "application/json"}),
        json!({"json": ".pet.type", "equals": "dog"}),
        json!({"json": ".pet.owner", "equals": null}),
        json!({"json": ".pet.id", "notEquals": 0}),
        json!({"json": ".pet.type", "matches": "^d"}),
        json!({"json": ".pet.id", "exists": true}),
        json!({"json": ".pets", "type": "array"}),
        json!({"json": ".pets", "length": 3}),
        json!({"json": ".pets", "length": ">= 1"}),
        json!({"json": ".price", "compare": "< 300"}),
        json!({"bodyContains": "success"}),
        json!({"timeBelowMs": 500}),
        json!({"diagnosis": "access-denied", "enabled": false}),
    ] {
        let a = assertion(v.clone()).unwrap_or_else(|e| panic!("{v}: {e}"));
        assert_eq!(serde_json::to_value(&a).unwrap(), v);
        // The text form reads back to the same assertion.
        let again =
            Assertion::parse(&a.subject(), &a.expectation()).unwrap_or_else(|e| panic!("{a}: {e}"));
        assert_eq!(again, a.check, "{a}");
    }
}

#[test]
fn malformed_assertions_say_what_is_wrong() {
    for (v, want) in [
        (json!({}), "names one subject"),
        (
            json!({"status": 200, "json": ".a"}),
            "this one names status, json",
        ),
        (json!({"json": ".a"}), "has one test"),
        (
            json!({"json": ".a", "exists": true, "type": "string"}),
            "this one has exists, type",
        ),
        (
            json!({"status": 200, "equals": 200}),
            "does not apply to `status`",
        ),
        (json!({"status": 999}), "not an HTTP status"),
        (json!({"status": "6xx"}), "not a status"),
        (json!({"json": ".a", "type": "int"}), "not a JSON type"),
        (json!({"json": ".a", "matches": "("}), "does not compile"),
        (
            json!({"json": ".a", "length": "about 3"}),
            "not a comparison",
        ),
        (json!({"diagnosis": "denied"}), "access-denied"),
        (json!({"status": 200, "colour": "red"}), "unknown field"),
    ] {
        let e = assertion(v.clone()).unwrap_err();
        assert!(e.contains(want), "{v}: {e}");
    }
}

#[test]
fn captures_read_write_and_refuse_bad_names_and_patterns() {
    for v in [
        json!({"variable": "petId", "from": {"json": ".pet.id"}}),
        json!({"variable": "etag", "from": {"header": "ETag"}, "scope": "environment"}),
        json!({"variable": "code", "from": "status", "enabled": false}),
        json!({"variable": "token", "from": {"regex": "token=(\\w+)"}}),
    ] {
        let c: Capture = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(serde_json::to_value(&c).unwrap(), v);
        let (variable, scope) = Capture::parse_target(&c.target_text()).unwrap();
        assert_eq!((variable, scope), (c.variable.clone(), c.scope));
        assert_eq!(Capture::parse_source(&c.source_text()).unwrap(), c.from);
    }
    for (v, want) in [
        (
            json!({"variable": "pet id", "from": "status"}),
            "not a variable name",
        ),
        (
            json!({"variable": "t", "from": {"regex": "(("}}),
            "does not compile",
        ),
        (
            json!({"variable": "t", "from": {"xml": "/a"}}),
            "unknown variant",
        ),
        (json!({"variable": "t", "from": {"json": " "}}), "empty"),
    ] {
        let e = serde_json::from_value::<Capture>(v.clone())
            .unwrap_err()
            .to_string();
        assert!(e.contains(want), "{v}: {e}");
    }
}

#[test]
fn the_text_form_reads_what_people_type() {
    let parse = |s: &str, e: &str| Assertion::parse(s, e).unwrap();
    assert_eq!(
        parse("status", "200,204"),
        Check::Status(StatusExpect::OneOf(vec![200, 204]))
    );
    assert_eq!(
        parse("json .name", "dog"),
        Check::Json {
            expression: ".name".into(),
            test: JsonTest::Equals(json!("dog"))
        }
    );
    assert_eq!(
        parse("json .n", "== 3"),
        Check::Json {
            expression: ".n".into(),
            test: JsonTest::Equals(json!(3))
        }
    );
    assert_eq!(
        parse("json .n", ">= 3").to_owned(),
        Check::Json {
            expression: ".n".into(),
            test: JsonTest::Compare(Compare {
                op: Op::Ge,
                value: 3.0
            })
        }
    );
    assert_eq!(parse("time", "500"), Check::TimeBelowMs(500));
    assert_eq!(
        parse("body", "success"),
        Check::BodyContains("success".into())
    );
    assert!(Assertion::parse("status", "ok")
        .unwrap_err()
        .contains("not a status"));
    assert!(Assertion::parse("cookie x", "1")
        .unwrap_err()
        .contains("not a subject"));
    // A new subject keeps the expectation when it fits, else takes the subject's template.
    let a = Assertion {
        check: parse("json .a", "== 201"),
        enabled: true,
    };
    assert_eq!(
        a.with_subject("status").unwrap(),
        Check::Status(StatusExpect::Exact(201))
    );
    let a = Assertion {
        check: parse("json .a", "type string"),
        enabled: true,
    };
    assert_eq!(
        a.with_subject("status").unwrap(),
        Check::Status(StatusExpect::Exact(200))
    );
    assert!(Capture::parse_target("env:petId").unwrap().1 == CaptureScope::Environment);
    assert!(Capture::parse_source("cookie a").is_err());
}

#[test]
fn the_schema_lists_the_same_diagnoses_and_types() {
    let schema: Value =
        serde_json::from_str(include_str!("../../../collections/sigscope.schema.json")).unwrap();
    let defs = &schema["$defs"]["assertion"]["oneOf"];
    let enums: Vec<Vec<String>> = defs
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| {
            ["diagnosis", "type"]
                .iter()
                .filter_map(|k| d["properties"][k]["enum"].as_array())
                .map(|e| e.iter().map(|v| v.as_str().unwrap().to_string()).collect())
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(enums.contains(&JSON_TYPES.iter().map(|s| s.to_string()).collect()));
    assert!(enums.contains(&DIAGNOSIS_KINDS.iter().map(|s| s.to_string()).collect()));
    // Every diagnosis kind the engine names can be expected.
    for k in [
        crate::diagnose::Kind::MissingAuthenticationToken,
        crate::diagnose::Kind::SignatureMismatch,
        crate::diagnose::Kind::ClockSkew,
        crate::diagnose::Kind::InvalidCredentials,
        crate::diagnose::Kind::ExpiredCredentials,
        crate::diagnose::Kind::CredentialScope,
        crate::diagnose::Kind::IncompleteSignature,
        crate::diagnose::Kind::AccessDenied,
        crate::diagnose::Kind::Forbidden,
        crate::diagnose::Kind::Unknown,
    ] {
        assert!(DIAGNOSIS_KINDS.contains(&k.as_str()), "{}", k.as_str());
    }
}
