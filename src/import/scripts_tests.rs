use super::*;

fn texts(c: &Converted) -> (Vec<String>, Vec<String>) {
    (
        c.captures.iter().map(|c| c.to_string()).collect(),
        c.assertions.iter().map(|a| a.to_string()).collect(),
    )
}

#[test]
fn the_common_postman_shapes_become_checks_and_captures() {
    let script = r#"
pm.test("Status code is 201", function () {
    pm.response.to.have.status(201);
});
pm.test("code", () => pm.expect(pm.response.code).to.eql(201));
var jsonData = pm.response.json();
pm.test("type", function () {
    pm.expect(jsonData.pet.type).to.eql("dog");
    pm.expect(jsonData.pet.price).to.be.below(300);
    pm.expect(jsonData.tags).to.have.lengthOf(2);
    pm.expect(jsonData.pet).to.be.an('object');
    pm.expect(jsonData["message"])
        .to.equal('success');
});
// a comment
pm.expect(pm.response.responseTime).to.be.below(500);
pm.response.to.have.header("Content-Type");
pm.expect(pm.response.headers.get("Content-Type")).to.include("json");
pm.expect(pm.response.text()).to.include("success");
pm.collectionVariables.set("petId", pm.response.json().pet.id);
pm.environment.set("firstTag", jsonData.tags[0]);
pm.variables.set("etag", pm.response.headers.get("ETag"));
pm.response.to.be.success;
"#;
    let c = postman_tests(script);
    assert!(c.not_understood.is_empty(), "{:?}", c.not_understood);
    let (captures, assertions) = texts(&c);
    assert_eq!(
        captures,
        [
            "petId ← json .pet.id",
            "env:firstTag ← json .tags[0]",
            "etag ← header ETag"
        ]
    );
    assert_eq!(
        assertions,
        [
            "status 201",
            "status 201",
            "json .pet.type == \"dog\"",
            "json .pet.price < 300",
            "json .tags length == 2",
            "json .pet type object",
            "json .message == \"success\"",
            "time < 500 ms",
            "header Content-Type exists",
            "header Content-Type ~ json",
            "body contains success",
            "status 2xx",
        ]
    );
}

#[test]
fn what_is_not_understood_is_listed_as_written() {
    let c = postman_tests(
        "if (pm.response.code === 200) { pm.environment.set(\"x\", 1) }\n\
         pm.expect(pm.response.code).to.eql(200);\n\
         const helper = require('lodash');\n\
         pm.expect(jsonData.a).to.satisfy(fn);",
    );
    assert_eq!(c.assertions.len(), 1);
    assert_eq!(c.not_understood.len(), 3, "{:?}", c.not_understood);
    assert!(c.not_understood[0].starts_with("if (pm.response.code"));
    assert!(c.not_understood[1].contains("require('lodash')"));
}

#[test]
fn bruno_rows_map_to_the_same_checks() {
    for (subject, test, want) in [
        ("res.status", "eq 201", "status 201"),
        ("res.status", "in 200, 201", "status 200, 201"),
        ("res.body.pet.id", "isNumber", "json .pet.id type number"),
        ("res.body.pet.type", "eq dog", "json .pet.type == \"dog\""),
        ("res.body.pet.price", "lt 300", "json .pet.price < 300"),
        ("res.body.items", "length 3", "json .items length == 3"),
        (
            "res.headers.content-type",
            "contains json",
            "header content-type ~ json",
        ),
        ("res.headers['etag']", "isDefined", "header etag exists"),
        ("res.responseTime", "lt 500", "time < 500 ms"),
        ("res.body.name", "startsWith Re", "json .name ~ ^Re"),
    ] {
        let c = bruno_assert(subject, test).unwrap_or_else(|| panic!("{subject}: {test}"));
        let a = Assertion {
            check: c,
            enabled: true,
        };
        assert_eq!(a.to_string(), want);
    }
    assert!(bruno_assert("res.body.x", "isTruthy").is_none());
    assert!(bruno_assert("res.status", "gte 200").is_none());
    assert_eq!(
        bruno_source("res.body.pet.id"),
        Some(CaptureFrom::Json(".pet.id".into()))
    );
    assert_eq!(
        bruno_source("res(\"pet.id\")"),
        Some(CaptureFrom::Json(".pet.id".into()))
    );
    assert_eq!(
        bruno_source("res.headers[\"x-id\"]"),
        Some(CaptureFrom::Header("x-id".into()))
    );
    assert_eq!(bruno_source("res.status"), Some(CaptureFrom::Status));
    assert_eq!(bruno_source("Date.now()"), None);
}
