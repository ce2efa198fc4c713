//! `.http` / `.rest` files (VS Code REST Client, JetBrains HTTP Client, httpYac): requests
//! separated by `###`, `@name = value` variables, `# @name` request names, REST Client's
//! multi-line query (`?a=1` / `&b=2` lines), `< path` file bodies, and REST Client's
//! `Authorization: AWS <key> <secret> token:<t> region:<r> service:<s>` turned into aws-sigv4
//! auth with the keys dropped. `{{$processEnv X}}` / `{{$dotenv X}}` become `{{$env.X}}`.
//! JetBrains response handlers (`> {% … %}`) are kept in the description.

use super::{append_description, body_from_text, empty_collection, empty_request, sigv4, Imported};
use crate::model::{Auth, Body, NameValue, RequestSpec};

const METHODS: [&str; 9] = [
    "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "CONNECT",
];

/// REST Client's system variables that read the environment, in our spelling.
fn env_refs(s: &str) -> String {
    let mut out = s.to_string();
    for prefix in ["{{$processEnv ", "{{$dotenv ", "{{$env "] {
        while let Some(start) = out.find(prefix) {
            let Some(len) = out[start..].find("}}") else {
                break;
            };
            let name = out[start + prefix.len()..start + len]
                .trim()
                .trim_start_matches('%')
                .to_string();
            out.replace_range(start..start + len + 2, &format!("{{{{$env.{name}}}}}"));
        }
    }
    out
}

/// REST Client's AWS line: region and service kept, keys and token dropped.
fn aws_authorization(value: &str) -> Option<Auth> {
    let rest = value.trim().strip_prefix("AWS ")?;
    let mut region = None;
    let mut service = None;
    for word in rest.split_whitespace() {
        if let Some(r) = word.strip_prefix("region:") {
            region = Some(r.to_string()).filter(|r| !r.is_empty());
        } else if let Some(s) = word.strip_prefix("service:") {
            service = Some(s.to_string()).filter(|s| !s.is_empty());
        }
    }
    Some(sigv4(region, service))
}

fn request_line(line: &str) -> Option<(String, String)> {
    let mut words = line.split_whitespace();
    let first = words.next()?;
    if METHODS.contains(&first.to_ascii_uppercase().as_str()) {
        let url = words.next()?.to_string();
        Some((first.to_ascii_uppercase(), url))
    } else if first.contains("://") || first.starts_with("{{") || first.starts_with('/') {
        Some(("GET".into(), first.to_string()))
    } else {
        None
    }
}

fn block(
    lines: &[&str],
    title: Option<&str>,
    index: usize,
    warnings: &mut Vec<String>,
    variables: &mut Vec<(String, String)>,
) -> Option<RequestSpec> {
    let mut name = title
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string);
    let mut i = 0;
    let mut handler = String::new();
    // Comments, directives and variables before the request line.
    let (method, url) = loop {
        let line = lines.get(i)?.trim();
        i += 1;
        if line.is_empty() {
            continue;
        }
        if let Some(directive) = line.strip_prefix('#').or_else(|| line.strip_prefix("//")) {
            // `# @name` is REST Client's identifier: the `###` title, when there is one, is
            // the better name.
            if let Some(n) = directive.trim().strip_prefix("@name") {
                if name.is_none() {
                    name = Some(n.trim().trim_start_matches('=').trim().to_string());
                }
            }
            continue;
        }
        if let Some(var) = line.strip_prefix('@') {
            if let Some((k, v)) = var.split_once('=') {
                variables.push((k.trim().to_string(), env_refs(v.trim())));
            }
            continue;
        }
        break request_line(line)?;
    };
    let name = name.unwrap_or_else(|| {
        format!(
            "{} {method} {}",
            index + 1,
            url.rsplit('/').find(|s| !s.is_empty()).unwrap_or("/")
        )
    });
    let mut r = empty_request(&name, &method, &env_refs(&url));
    // REST Client: the query may continue on lines starting with ? or &.
    while let Some(line) = lines.get(i).map(|l| l.trim()) {
        if line.starts_with('?') || line.starts_with('&') {
            r.url.push_str(line);
            i += 1;
        } else {
            break;
        }
    }
    while let Some(line) = lines.get(i) {
        i += 1;
        if line.trim().is_empty() {
            break;
        }
        let t = line.trim();
        if t.starts_with('#') || t.starts_with("//") {
            continue;
        }
        let Some((n, v)) = t.split_once(':') else {
            warnings.push(format!(
                "{name}: '{t}' is not a header (Name: value): not carried over"
            ));
            continue;
        };
        let value = env_refs(v.trim());
        if n.trim().eq_ignore_ascii_case("authorization") {
            if let Some(auth) = aws_authorization(&value) {
                warnings.push(format!("{name}: the AWS Authorization line became aws-sigv4 auth; its keys are not imported (the request uses your AWS profile)"));
                r.auth = auth;
                continue;
            }
        }
        r.headers.push(NameValue {
            name: n.trim().to_string(),
            value,
            enabled: true,
        });
    }
    let mut body_lines: Vec<&str> = Vec::new();
    while let Some(line) = lines.get(i) {
        i += 1;
        if line.trim_start().starts_with("> {%") || line.trim_start().starts_with(">> ") {
            handler.push_str(line);
            handler.push('\n');
            for rest in lines.get(i..).into_iter().flatten() {
                handler.push_str(rest);
                handler.push('\n');
            }
            break;
        }
        body_lines.push(line);
    }
    while body_lines.last().is_some_and(|l| l.trim().is_empty()) {
        body_lines.pop();
    }
    let body = body_lines.join("\n");
    if let Some(path) = body
        .trim()
        .strip_prefix('<')
        .filter(|_| body_lines.len() == 1)
    {
        r.body = Body::File {
            path: path.trim().to_string(),
        };
    } else if !body.is_empty() {
        r.body = body_from_text(&env_refs(&body));
    }
    if !handler.trim().is_empty() {
        append_description(
            &mut r.description,
            &format!(
                "Response handler (not run by sigscope):\n{}",
                handler.trim_end()
            ),
        );
        warnings.push(format!("{name}: the response handler is kept in the description, not run (captures and assertions are not supported yet)"));
    }
    Some(r)
}

pub fn import(text: &str, name: &str) -> Result<Imported, String> {
    let mut c = empty_collection(name);
    let mut warnings = Vec::new();
    let mut variables = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut blocks: Vec<(Option<&str>, Vec<&str>)> = vec![(None, Vec::new())];
    for line in lines {
        if let Some(title) = line.strip_prefix("###") {
            blocks.push((Some(title), Vec::new()));
        } else if let Some(b) = blocks.last_mut() {
            b.1.push(line);
        }
    }
    for (i, (title, lines)) in blocks.iter().enumerate() {
        if let Some(r) = block(
            lines,
            *title,
            c.requests.len(),
            &mut warnings,
            &mut variables,
        ) {
            c.requests.push(r);
        } else if lines.iter().any(|l| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#') && !t.starts_with("//") && !t.starts_with('@')
        }) {
            warnings.push(format!(
                "block {}: no request line (METHOD URL): not carried over",
                i + 1
            ));
        }
    }
    if c.requests.is_empty() {
        return Err("no request in the file (a line such as GET https://…)".into());
    }
    c.variables.extend(variables);
    Ok(Imported {
        collection: c,
        warnings,
    })
}
