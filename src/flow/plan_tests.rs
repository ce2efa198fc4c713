use super::*;

fn collection(v: serde_json::Value) -> Collection {
    serde_json::from_value(v).unwrap()
}

fn pets() -> Collection {
    collection(serde_json::json!({
        "version": 1, "name": "pets",
        "variables": {"base": "http://127.0.0.1:1", "unset": ""},
        "folders": [{"name": "flow", "requests": [
            {"name": "get", "method": "GET", "url": "{{base}}/pets/{{petId}}"},
            {"name": "create", "method": "POST", "url": "{{base}}/pets",
             "captures": [{"variable": "petId", "from": {"json": ".pet.id"}}]},
            {"name": "delete", "method": "DELETE", "url": "{{base}}/pets/{{petId}}"},
            {"name": "list", "method": "GET", "url": "{{base}}/pets?x={{$uuid}}"},
            {"name": "touch", "method": "PUT", "url": "{{base}}/pets/{{unset}}",
             "captures": [{"variable": "unsetOwner", "from": "status"}]}
        ]}]
    }))
}

fn names(c: &Collection, p: &Plan) -> Vec<String> {
    let walk = c.walk();
    p.steps
        .iter()
        .map(|s| walk[s.request].request.name.clone())
        .collect()
}

#[test]
fn a_request_needing_an_uncaptured_variable_runs_its_source_first() {
    let c = pets();
    let none = BTreeSet::new();
    let p = plan(&c, None, &[0, 1, 2, 3], &none).unwrap();
    assert_eq!(names(&c, &p), ["create", "get", "delete", "list"]);
    let note = p.steps[0].pulled.as_deref().unwrap();
    assert!(
        note.contains("'flow/create'") && note.contains("{{petId}}") && note.contains("'flow/get'"),
        "{note}"
    );
    assert!(p.steps[1..].iter().all(|s| s.pulled.is_none()));
    // Only `delete` selected: `create` is pulled in, `get` is not.
    let p = plan(&c, None, &[2], &none).unwrap();
    assert_eq!(names(&c, &p), ["create", "delete"]);
    // A value given from outside (a --data column) needs no source.
    let given = BTreeSet::from(["petId".to_string()]);
    let p = plan(&c, None, &[2], &given).unwrap();
    assert_eq!(names(&c, &p), ["delete"]);
}

#[test]
fn steps_wait_only_for_steps_touching_the_same_captured_variables() {
    let c = pets();
    let p = plan(&c, None, &[1, 0, 2, 3], &BTreeSet::new()).unwrap();
    assert_eq!(names(&c, &p), ["create", "get", "delete", "list"]);
    let after: Vec<Vec<usize>> = p.steps.iter().map(|s| s.after.clone()).collect();
    // get waits for create, delete for get (same {{petId}}), list for nobody.
    assert_eq!(after, [vec![], vec![0], vec![1], vec![]]);
}

#[test]
fn cycles_are_refused_with_their_path() {
    let c = collection(serde_json::json!({
        "version": 1, "name": "loop",
        "requests": [
            {"name": "a", "method": "GET", "url": "http://x/{{b}}",
             "captures": [{"variable": "a", "from": "status"}]},
            {"name": "b", "method": "GET", "url": "http://x/{{a}}",
             "captures": [{"variable": "b", "from": "status"}]},
            {"name": "self", "method": "GET", "url": "http://x/{{token}}",
             "captures": [{"variable": "token", "from": "status"}]}
        ]
    }));
    let e = plan(&c, None, &[0], &BTreeSet::new()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "a cycle of captured variables: 'a' needs {{b}} from 'b', 'b' needs {{a}} from 'a'; \
         define one of them (collection, environment or --data) to break it"
    );
    // Defining one of them breaks it.
    let given = BTreeSet::from(["a".to_string()]);
    let p = plan(&c, None, &[0], &given).unwrap();
    assert_eq!(names(&c, &p), ["b", "a"]);
    // A request capturing what it uses itself is not a cycle (it fails at send time).
    let p = plan(&c, None, &[2], &BTreeSet::new()).unwrap();
    assert_eq!(names(&c, &p), ["self"]);
}

#[test]
fn references_are_found_everywhere_a_request_is_built_from() {
    let c = collection(serde_json::json!({
        "version": 1, "name": "refs",
        "headers": [{"name": "X-Tenant", "value": "{{tenant}}"}],
        "auth": {"type": "aws-sigv4", "region": "{{region}}"},
        "requests": [{"name": "r", "method": "POST", "url": "{{base}}/{{ id }}",
            "query": [{"name": "q", "value": "{{q}}"}, {"name": "off", "value": "{{off}}", "enabled": false}],
            "body": {"type": "json", "content": {"a": "{{body}}", "b": "{{$uuid}}"}}}]
    }));
    let walk = c.walk();
    let got: Vec<String> = uses(&c, &walk[0]).into_iter().collect();
    assert_eq!(got, ["base", "body", "id", "q", "region", "tenant"]);
}
