//! Postman test scripts in their common shapes, turned into captures and assertions: no
//! JavaScript is run or kept as code. What is understood:
//!
//! ```text
//! pm.test("…", function () { … })  /  pm.test("…", () => …)     the wrapper (any name)
//! var json = pm.response.json();   (or JSON.parse(responseBody)) an alias for the body
//! pm.response.to.have.status(201)   pm.response.to.be.ok / .success / .notFound …
//! pm.expect(pm.response.code).to.eql(201)      .to.be.oneOf([200, 201])
//! pm.expect(json.a.b).to.eql(v)    .to.equal / .not.eql / .exist / .be.a("string")
//!                                  .have.lengthOf(3) / .be.above(1) / .be.below(5)
//! pm.expect(pm.response.responseTime).to.be.below(500)
//! pm.expect(pm.response.text()).to.include("x")
//! pm.response.to.have.header("X"[, "v"])   pm.expect(pm.response.headers.get("X")).to.eql("v")
//! pm.collectionVariables.set("x", json.a)  pm.environment.set / pm.variables.set / pm.globals.set
//!                                          (a body path, pm.response.headers.get("X"), pm.response.code)
//! ```
//!
//! Anything else (an `if`, a loop, a helper function, a statement not listed) is "not
//! understood": the importer keeps the whole script in the description and names the request.

use crate::flow::assertions::status;
use crate::model::checks::{
    Assertion, Capture, CaptureFrom, CaptureScope, Check, Compare, JsonTest, Op, StatusExpect,
    TextTest,
};
use serde_json::Value;
use std::collections::BTreeMap;

/// What a script became.
#[derive(Debug, Default, PartialEq)]
pub struct Converted {
    pub captures: Vec<Capture>,
    pub assertions: Vec<Assertion>,
    /// Statements that are not one of the shapes above, as written.
    pub not_understood: Vec<String>,
}

/// Skips a string literal starting at `i` (its quote); returns the index after it.
fn skip_string(b: &[u8], i: usize) -> usize {
    let q = b[i];
    let mut j = i + 1;
    while j < b.len() && b[j] != q {
        if b[j] == b'\\' {
            j += 1;
        }
        j += 1;
    }
    (j + 1).min(b.len())
}

/// Splits code into statements at `;` and line ends outside brackets and strings.
fn statements(code: &str) -> Vec<String> {
    let b = code.as_bytes();
    let mut out = Vec::new();
    let (mut depth, mut start, mut i) = (0i32, 0, 0);
    while i < b.len() {
        match b[i] {
            b'"' | b'\'' | b'`' => {
                i = skip_string(b, i);
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                // A line comment: up to the end of the line.
                let end = code[i..].find('\n').map_or(b.len(), |n| i + n);
                out.push(code[start..i].to_string());
                start = end;
                i = end;
                continue;
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth -= 1,
            b';' | b'\n' if depth <= 0 => {
                out.push(code[start..i].to_string());
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.push(code[start..].to_string());
    // A chain continued on the next line (`pm.expect(x)` then `  .to.eql(1)`) is one statement.
    let mut merged: Vec<String> = Vec::new();
    for s in out.into_iter().map(|s| s.trim().to_string()) {
        if s.is_empty() {
            continue;
        }
        match merged.last_mut() {
            Some(last) if s.starts_with('.') => last.push_str(&s),
            _ => merged.push(s),
        }
    }
    merged
}

/// The index of the bracket closing the one at `open`.
fn closing(b: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0;
    let mut i = open;
    while i < b.len() {
        match b[i] {
            b'"' | b'\'' | b'`' => {
                i = skip_string(b, i);
                continue;
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// `pm.test("name", function () { body })` (or an arrow) replaced by its body.
fn unwrap_tests(code: &str) -> String {
    let mut code = code.to_string();
    while let Some(at) = code.find("pm.test(") {
        let b = code.as_bytes();
        let open = at + "pm.test".len();
        let Some(close) = closing(b, open) else { break };
        let inner = &code[open + 1..close];
        // The name, then the function.
        let ib = inner.as_bytes();
        let mut i = 0;
        while i < ib.len() && ib[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < ib.len() && matches!(ib[i], b'"' | b'\'' | b'`') {
            i = skip_string(ib, i);
        }
        let rest = inner[i..].trim_start().trim_start_matches(',').trim_start();
        let rest = rest.strip_prefix("async").map_or(rest, str::trim_start);
        let body = if let Some(r) = rest.strip_prefix("function") {
            let r = r.trim_start();
            r.find('{').map(|p| &r[p..])
        } else {
            rest.find("=>").map(|p| rest[p + 2..].trim_start())
        };
        let body = body.unwrap_or(rest).trim();
        let body = match body.strip_prefix('{').and_then(|b| b.strip_suffix('}')) {
            Some(b) => b,
            None => body,
        };
        let replaced = format!("{};", body);
        let mut end = close + 1;
        if code.as_bytes().get(end) == Some(&b';') {
            end += 1;
        }
        code.replace_range(at..end, &replaced);
    }
    code
}

/// The statement without whitespace outside string literals.
fn compact(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' | b'\'' | b'`' => {
                let j = skip_string(b, i);
                out.push_str(&s[i..j]);
                i = j;
            }
            c if c.is_ascii_whitespace() => i += 1,
            _ => {
                let ch = s[i..].chars().next().expect("in bounds");
                out.push(ch);
                i += ch.len_utf8();
            }
        }
    }
    out
}

/// A JavaScript literal as JSON: numbers, `true`/`false`/`null`, strings in either quote,
/// arrays and objects written as JSON (single quotes allowed when no string holds one).
fn literal(js: &str) -> Option<Value> {
    let t = js.trim();
    if let Some(inner) = t.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')) {
        if !inner.contains('\'') {
            return Some(Value::String(inner.replace("\\'", "'")));
        }
    }
    serde_json::from_str(t)
        .ok()
        .or_else(|| serde_json::from_str(&t.replace('\'', "\"")).ok())
}

fn string_arg(js: &str) -> Option<String> {
    match literal(js)? {
        Value::String(s) => Some(s),
        _ => None,
    }
}

/// `pm.response.json().a.b[0]` or `alias.a["b-c"]` as a jq expression.
fn json_path(expr: &str, aliases: &BTreeMap<String, String>) -> Option<String> {
    let roots = [
        "pm.response.json()",
        "JSON.parse(responseBody)",
        "responseJson",
    ];
    let (base, mut rest) = roots
        .iter()
        .find_map(|r| expr.strip_prefix(r).map(|rest| (String::new(), rest)))
        .or_else(|| {
            aliases.iter().find_map(|(name, base)| {
                let rest = expr.strip_prefix(name.as_str())?;
                (rest.is_empty() || rest.starts_with(['.', '['])).then(|| (base.clone(), rest))
            })
        })?;
    let mut path = base;
    let mut length = false;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let end = r
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
                .unwrap_or(r.len());
            let ident = &r[..end];
            if ident.is_empty() {
                return None;
            }
            if ident == "length" && end == r.len() {
                length = true;
            } else {
                path.push('.');
                path.push_str(ident);
            }
            rest = &r[end..];
        } else if rest.starts_with('[') {
            let close = closing(rest.as_bytes(), 0)?;
            let inner = &rest[1..close];
            if inner.chars().all(|c| c.is_ascii_digit()) && !inner.is_empty() {
                if path.is_empty() {
                    path.push('.');
                }
                path.push_str(&format!("[{inner}]"));
            } else {
                let key = string_arg(inner)?;
                let plain = key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                    && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                if plain {
                    path.push('.');
                    path.push_str(&key);
                } else {
                    path.push_str(&format!(".[{}]", Value::String(key)));
                }
            }
            rest = &rest[close + 1..];
        } else {
            return None;
        }
    }
    let path = if path.is_empty() {
        ".".to_string()
    } else {
        path
    };
    Some(if length {
        format!("{path} | length")
    } else {
        path
    })
}

/// `call(args)` at the end of `s`, when `s` is `prefix` + that call: the argument text.
fn call<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    s.strip_prefix(prefix)?.strip_prefix('(')?.strip_suffix(')')
}

/// Splits `a, b` at its top-level comma.
fn two_args(args: &str) -> Option<(&str, &str)> {
    let b = args.as_bytes();
    let mut depth = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' | b'\'' | b'`' => {
                i = skip_string(b, i);
                continue;
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth -= 1,
            b',' if depth == 0 => return Some((&args[..i], &args[i + 1..])),
            _ => {}
        }
        i += 1;
    }
    None
}

fn check(c: Check) -> Assertion {
    Assertion {
        check: c,
        enabled: true,
    }
}

fn status_class(word: &str) -> Option<StatusExpect> {
    Some(match word {
        "ok" => StatusExpect::Exact(200),
        "success" => StatusExpect::Class(2),
        "accepted" => StatusExpect::Exact(202),
        "redirection" => StatusExpect::Class(3),
        "clientError" => StatusExpect::Class(4),
        "serverError" => StatusExpect::Class(5),
        "badRequest" => StatusExpect::Exact(400),
        "unauthorized" => StatusExpect::Exact(401),
        "forbidden" => StatusExpect::Exact(403),
        "notFound" => StatusExpect::Exact(404),
        "rateLimited" => StatusExpect::Exact(429),
        _ => return None,
    })
}

/// What `pm.expect(subject)` checks: `status`, `time`, `body`, a header or a body path.
enum Subject {
    Status,
    Time,
    Body,
    Header(String),
    Json(String),
}

fn subject(expr: &str, aliases: &BTreeMap<String, String>) -> Option<Subject> {
    Some(match expr {
        "pm.response.code" | "responseCode.code" => Subject::Status,
        "pm.response.responseTime" | "responseTime" => Subject::Time,
        "pm.response.text()" | "responseBody" => Subject::Body,
        _ => {
            if let Some(h) = call(expr, "pm.response.headers.get") {
                Subject::Header(string_arg(h)?)
            } else {
                Subject::Json(json_path(expr, aliases)?)
            }
        }
    })
}

fn number(js: &str) -> Option<f64> {
    literal(js)?.as_f64()
}

/// `.to.eql(v)` and the rest of a `pm.expect(...)` chain, for its subject.
fn expectation(subject: Subject, chain: &str) -> Option<Check> {
    let chain = chain.strip_prefix(".to")?;
    let (negated, chain) = match chain.strip_prefix(".not") {
        Some(c) => (true, c),
        None => (false, chain),
    };
    let chain = chain.strip_prefix(".deep").unwrap_or(chain);
    let chain = chain.strip_prefix(".be").unwrap_or(chain);
    let chain = chain.strip_prefix(".have").unwrap_or(chain);
    let arg = |name: &str| call(chain, name);
    let equal = ["eql", "equal", "eq", "equals"]
        .iter()
        .find_map(|n| arg(&format!(".{n}")));
    let cmp = [
        (".above", Op::Gt),
        (".gt", Op::Gt),
        (".greaterThan", Op::Gt),
        (".below", Op::Lt),
        (".lt", Op::Lt),
        (".lessThan", Op::Lt),
        (".at.least", Op::Ge),
        (".gte", Op::Ge),
        (".least", Op::Ge),
        (".at.most", Op::Le),
        (".lte", Op::Le),
        (".most", Op::Le),
    ]
    .iter()
    .find_map(|(n, op)| Some((*op, number(arg(n)?)?)));
    match subject {
        Subject::Status => {
            if negated {
                return None;
            }
            if let Some(v) = equal {
                return Some(Check::Status(StatusExpect::Exact(number(v)? as u16)));
            }
            let list = literal(arg(".oneOf")?)?;
            let codes: Option<Vec<u16>> = list
                .as_array()?
                .iter()
                .map(|v| v.as_u64().map(|c| c as u16))
                .collect();
            Some(Check::Status(StatusExpect::OneOf(codes?)))
        }
        Subject::Time => match cmp {
            Some((Op::Lt, ms)) if !negated => Some(Check::TimeBelowMs(ms as u64)),
            Some((Op::Le, ms)) if !negated => Some(Check::TimeBelowMs(ms as u64 + 1)),
            _ => None,
        },
        Subject::Body => {
            let text = ["include", "includes", "contain", "contains", "string"]
                .iter()
                .find_map(|n| arg(&format!(".{n}")))?;
            (!negated)
                .then(|| Check::BodyContains(string_arg(text).unwrap_or_default()))
                .filter(|c| !matches!(c, Check::BodyContains(s) if s.is_empty()))
        }
        Subject::Header(name) => {
            if negated {
                return None;
            }
            let test = if let Some(v) = equal {
                TextTest::Equals(string_arg(v)?)
            } else {
                let part = ["include", "includes", "contain", "contains"]
                    .iter()
                    .find_map(|n| arg(&format!(".{n}")))?;
                TextTest::Matches(regex_lite::escape(&string_arg(part)?))
            };
            Some(Check::Header { name, test })
        }
        Subject::Json(expression) => {
            let test = if let Some(v) = equal {
                let v = literal(v)?;
                if negated {
                    JsonTest::NotEquals(v)
                } else {
                    JsonTest::Equals(v)
                }
            } else if negated {
                match chain {
                    ".undefined" | ".null" => JsonTest::Exists(true),
                    ".exist" => JsonTest::Exists(false),
                    _ => return None,
                }
            } else if matches!(chain, ".exist" | ".ok") {
                JsonTest::Exists(true)
            } else if chain == ".null" {
                JsonTest::Equals(Value::Null)
            } else if chain == ".true" {
                JsonTest::Equals(Value::Bool(true))
            } else if chain == ".false" {
                JsonTest::Equals(Value::Bool(false))
            } else if let Some(t) = arg(".a").or_else(|| arg(".an")) {
                let t = string_arg(t)?;
                let t = match t.as_str() {
                    "string" | "number" | "array" | "object" | "boolean" | "null" => t,
                    _ => return None,
                };
                JsonTest::Type(t)
            } else if let Some(n) = arg(".lengthOf").or_else(|| arg(".length")) {
                JsonTest::Length(Compare {
                    op: Op::Eq,
                    value: number(n)?,
                })
            } else if let Some((op, value)) = cmp {
                JsonTest::Compare(Compare { op, value })
            } else if let Some(p) = ["include", "includes", "contain", "contains"]
                .iter()
                .find_map(|n| arg(&format!(".{n}")))
            {
                JsonTest::Matches(regex_lite::escape(&string_arg(p)?))
            } else {
                return None;
            };
            Some(Check::Json { expression, test })
        }
    }
}

/// One statement: `Some(())` when it was understood (and its check or capture added).
fn statement(raw: &str, aliases: &mut BTreeMap<String, String>, out: &mut Converted) -> Option<()> {
    let decl = regex_lite::Regex::new(r"^(?:var|let|const)\s+([A-Za-z_$][\w$]*)\s*=\s*(.+)$")
        .expect("static pattern");
    if let Some(c) = decl.captures(raw.trim()) {
        let value = compact(&c[2]);
        let path = json_path(&value, aliases)?;
        aliases.insert(
            c[1].to_string(),
            if path == "." { String::new() } else { path },
        );
        return Some(());
    }
    let s = compact(raw);
    if let Some(code) = call(&s, "pm.response.to.have.status") {
        out.assertions.push(status(number(code)? as u16));
        return Some(());
    }
    if let Some(word) = s.strip_prefix("pm.response.to.be.") {
        out.assertions
            .push(check(Check::Status(status_class(word)?)));
        return Some(());
    }
    if let Some(args) = call(&s, "pm.response.to.have.header") {
        let c = match two_args(args) {
            Some((n, v)) => Check::Header {
                name: string_arg(n)?,
                test: TextTest::Equals(string_arg(v)?),
            },
            None => Check::Header {
                name: string_arg(args)?,
                test: TextTest::Exists(true),
            },
        };
        out.assertions.push(check(c));
        return Some(());
    }
    if let Some(rest) = s.strip_prefix("pm.expect(") {
        let close = closing(s.as_bytes(), "pm.expect".len())?;
        let inner = &rest[..close - "pm.expect(".len()];
        let chain = &s[close + 1..];
        let c = expectation(subject(inner, aliases)?, chain)?;
        out.assertions.push(check(c));
        return Some(());
    }
    if let Some(rest) = s.strip_prefix("tests[") {
        // tests["…"] = responseCode.code === 200
        let (_, cond) = rest.split_once("]=")?;
        let code = cond
            .strip_prefix("responseCode.code===")
            .or_else(|| cond.strip_prefix("responseCode.code=="))?;
        out.assertions.push(status(number(code)? as u16));
        return Some(());
    }
    let setters = [
        ("pm.environment.set", CaptureScope::Environment),
        ("postman.setEnvironmentVariable", CaptureScope::Environment),
        ("pm.collectionVariables.set", CaptureScope::Run),
        ("pm.variables.set", CaptureScope::Run),
        ("pm.globals.set", CaptureScope::Run),
        ("postman.setGlobalVariable", CaptureScope::Run),
    ];
    for (setter, scope) in setters {
        let Some(args) = call(&s, setter) else {
            continue;
        };
        let (name, value) = two_args(args)?;
        let variable = string_arg(name)?;
        let from = if value == "pm.response.code" || value == "responseCode.code" {
            CaptureFrom::Status
        } else if let Some(h) = call(value, "pm.response.headers.get") {
            CaptureFrom::Header(string_arg(h)?)
        } else {
            CaptureFrom::Json(json_path(value, aliases)?)
        };
        if !crate::model::variables::valid_name(&variable) {
            return None;
        }
        out.captures.push(Capture {
            variable,
            from,
            scope,
            enabled: true,
        });
        return Some(());
    }
    None
}

/// Converts a Postman test script.
pub fn postman_tests(script: &str) -> Converted {
    let mut out = Converted::default();
    let mut aliases = BTreeMap::new();
    for s in statements(&unwrap_tests(script)) {
        if statement(&s, &mut aliases, &mut out).is_none() {
            out.not_understood.push(s);
        }
    }
    out
}

/// A Bruno `vars:post-response` value (`res.body.pet.id`, `res.headers["etag"]`,
/// `res.status`, `res("pet.id")`) as a capture source.
pub fn bruno_source(expr: &str) -> Option<CaptureFrom> {
    let e = compact(expr);
    if e == "res.status" || e == "res.getStatus()" {
        return Some(CaptureFrom::Status);
    }
    if let Some(h) = bruno_header(&e) {
        return Some(CaptureFrom::Header(h));
    }
    bruno_json(&e).map(CaptureFrom::Json)
}

fn bruno_header(e: &str) -> Option<String> {
    let rest = e.strip_prefix("res.headers")?;
    if let Some(name) = rest.strip_prefix('.') {
        return Some(name.to_string()).filter(|n| !n.is_empty());
    }
    string_arg(rest.strip_prefix('[')?.strip_suffix(']')?)
}

fn bruno_json(e: &str) -> Option<String> {
    if let Some(arg) = call(e, "res") {
        // res("pet.id"): Bruno's query helper over the body, dotted.
        let path = string_arg(arg)?;
        return json_path(
            &format!("res.body.{path}"),
            &BTreeMap::from([("res.body".to_string(), String::new())]),
        );
    }
    let aliases = BTreeMap::from([("res.body".to_string(), String::new())]);
    json_path(e, &aliases)
}

/// A Bruno `assert` row (`res.status: eq 200`, `res.body.id: isNumber`), or `None` when the
/// subject or the operator has no equivalent.
pub fn bruno_assert(subject: &str, test: &str) -> Option<Check> {
    let subject = compact(subject);
    let test = test.trim();
    let (op, arg) = match test.split_once(char::is_whitespace) {
        Some((op, arg)) => (op, arg.trim()),
        None => (test, ""),
    };
    let value = || literal(arg).unwrap_or_else(|| Value::String(arg.to_string()));
    let text = || match value() {
        Value::String(s) => s,
        v => v.to_string(),
    };
    let cmp = |op| {
        Some(Compare {
            op,
            value: value().as_f64()?,
        })
    };
    if subject == "res.status" || subject == "res.getStatus()" {
        return match op {
            "eq" => Some(Check::Status(StatusExpect::Exact(value().as_u64()? as u16))),
            "in" => {
                let list = arg.trim_start_matches('[').trim_end_matches(']');
                let codes: Option<Vec<u16>> =
                    list.split(',').map(|c| c.trim().parse().ok()).collect();
                Some(Check::Status(StatusExpect::OneOf(codes?)))
            }
            _ => None,
        };
    }
    if subject == "res.responseTime" || subject == "res.getResponseTime()" {
        return match op {
            "lt" => Some(Check::TimeBelowMs(value().as_u64()?)),
            "lte" => Some(Check::TimeBelowMs(value().as_u64()? + 1)),
            _ => None,
        };
    }
    if let Some(name) = bruno_header(&subject) {
        let test = match op {
            "eq" => TextTest::Equals(text()),
            "contains" => TextTest::Matches(regex_lite::escape(&text())),
            "matches" => TextTest::Matches(text()),
            "isDefined" => TextTest::Exists(true),
            "isUndefined" => TextTest::Exists(false),
            _ => return None,
        };
        return Some(Check::Header { name, test });
    }
    let expression = bruno_json(&subject)?;
    let test = match op {
        "eq" => JsonTest::Equals(value()),
        "neq" => JsonTest::NotEquals(value()),
        "gt" => JsonTest::Compare(cmp(Op::Gt)?),
        "gte" => JsonTest::Compare(cmp(Op::Ge)?),
        "lt" => JsonTest::Compare(cmp(Op::Lt)?),
        "lte" => JsonTest::Compare(cmp(Op::Le)?),
        "isNumber" => JsonTest::Type("number".into()),
        "isString" => JsonTest::Type("string".into()),
        "isBoolean" => JsonTest::Type("boolean".into()),
        "isArray" => JsonTest::Type("array".into()),
        "isJson" => JsonTest::Type("object".into()),
        "isNull" => JsonTest::Equals(Value::Null),
        "isDefined" | "isNotEmpty" => JsonTest::Exists(true),
        "isUndefined" => JsonTest::Exists(false),
        "isEmpty" => JsonTest::Length(Compare {
            op: Op::Eq,
            value: 0.0,
        }),
        "length" => JsonTest::Length(cmp(Op::Eq)?),
        "contains" => JsonTest::Matches(regex_lite::escape(&text())),
        "matches" => JsonTest::Matches(text()),
        "startsWith" => JsonTest::Matches(format!("^{}", regex_lite::escape(&text()))),
        "endsWith" => JsonTest::Matches(format!("{}$", regex_lite::escape(&text()))),
        _ => return None,
    };
    Some(Check::Json { expression, test })
}

#[cfg(test)]
#[path = "scripts_tests.rs"]
mod tests;
