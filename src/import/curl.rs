//! `curl ...` command lines into requests: -X, -H, -d/--data-raw/--data-binary, --url-query,
//! -u/--user, -G, and --aws-sigv4 "aws:amz:REGION:SERVICE".

use super::{empty_collection, sigv4, Imported};
use crate::model::{Auth, Body, NameValue, RequestSpec};

/// Splits a shell command line: quotes, backslash escapes and line continuations.
pub fn shell_words(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(ch) => cur.push(ch),
                        None => return Err("unterminated single quote".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(n @ ('"' | '\\' | '$' | '`')) => cur.push(n),
                            Some('\n') => {}
                            Some(n) => {
                                cur.push('\\');
                                cur.push(n)
                            }
                            None => return Err("unterminated double quote".into()),
                        },
                        Some(ch) => cur.push(ch),
                        None => return Err("unterminated double quote".into()),
                    }
                }
            }
            '\\' => match chars.next() {
                Some('\n') | Some('\r') => {}
                Some(n) => {
                    in_word = true;
                    cur.push(n)
                }
                None => {}
            },
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c)
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

/// One curl command into a request.
pub fn parse(command: &str) -> Result<(RequestSpec, Vec<String>), String> {
    let words = shell_words(command)?;
    let mut it = words.into_iter().peekable();
    if it.peek().map(String::as_str) == Some("curl") {
        it.next();
    }
    let (mut method, mut url, mut headers, mut data, mut query) =
        (None, None, Vec::new(), Vec::<String>::new(), Vec::new());
    let (mut auth, mut get, mut warnings, mut binary_file) = (Auth::None, false, Vec::new(), None);
    let mut user: Option<String> = None;
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "-X" | "--request" => method = Some(value(&arg)?),
            "-H" | "--header" => {
                let h = value(&arg)?;
                let (n, v) = h
                    .split_once(':')
                    .ok_or(format!("header '{h}' has no ':'"))?;
                headers.push(NameValue {
                    name: n.trim().into(),
                    value: v.trim().into(),
                    enabled: true,
                });
            }
            "-d" | "--data" | "--data-raw" | "--data-ascii" | "--data-binary"
            | "--data-urlencode" | "--json" => {
                let d = value(&arg)?;
                if arg == "--json" {
                    headers.push(NameValue {
                        name: "Content-Type".into(),
                        value: "application/json".into(),
                        enabled: true,
                    });
                }
                match d.strip_prefix('@') {
                    Some(file) if arg != "--data-raw" => binary_file = Some(file.to_string()),
                    _ => data.push(d),
                }
            }
            "--url-query" => query.push(value(&arg)?),
            "-u" | "--user" => user = Some(value(&arg)?),
            "--aws-sigv4" => {
                let spec = value(&arg)?;
                let parts: Vec<&str> = spec.split(':').collect();
                auth = sigv4(
                    parts.get(2).map(|s| s.to_string()),
                    parts.get(3).map(|s| s.to_string()),
                );
                if parts.len() < 4 {
                    warnings.push(format!("--aws-sigv4 '{spec}' names no region or service: sigscope will infer them from the host"));
                }
            }
            "-G" | "--get" => get = true,
            "--url" => url = Some(value(&arg)?),
            "-s" | "--silent" | "-S" | "--show-error" | "-i" | "--include" | "-v" | "--verbose"
            | "--compressed" | "-L" | "--location" => {
                if matches!(arg.as_str(), "-L" | "--location") {
                    warnings
                        .push("-L: sigscope never follows redirects with a signed request".into());
                }
            }
            "-k" | "--insecure" => {
                warnings.push("-k/--insecure is not carried over: TLS is always verified".into())
            }
            a if a.starts_with('-') => {
                warnings.push(format!("option {a} is not carried over"));
                if it
                    .peek()
                    .is_some_and(|n| !n.starts_with('-') && !n.contains("://"))
                {
                    it.next();
                }
            }
            _ => url = Some(arg),
        }
    }
    let url = url.ok_or("no URL in the curl command")?;
    if let Some(u) = user {
        if matches!(auth, Auth::AwsSigv4 { .. }) {
            warnings.push("--user with --aws-sigv4 carries AWS keys: not imported; the request uses your AWS profile".into());
        } else {
            let name = u.split(':').next().unwrap_or_default().to_string();
            warnings.push(format!(
                "--user password is not stored: set $BASIC_PASSWORD for user '{name}'"
            ));
            auth = Auth::Basic {
                username: name,
                password: "{{$env.BASIC_PASSWORD}}".into(),
            };
        }
    }
    let mut query_list: Vec<NameValue> = query
        .iter()
        .map(|q| {
            let (n, v) = q.split_once('=').unwrap_or((q, ""));
            NameValue {
                name: n.into(),
                value: v.into(),
                enabled: true,
            }
        })
        .collect();
    let body_text = data.join("&");
    let body = if get && !body_text.is_empty() {
        query_list.extend(body_text.split('&').map(|p| {
            let (n, v) = p.split_once('=').unwrap_or((p, ""));
            NameValue {
                name: n.into(),
                value: v.into(),
                enabled: true,
            }
        }));
        Body::None
    } else if let Some(file) = binary_file {
        Body::File { path: file }
    } else if body_text.is_empty() {
        Body::None
    } else if let Ok(v) = serde_json::from_str::<serde_json::Value>(&body_text)
        .map_err(|_| ())
        .and_then(|v| {
            if v.is_object() || v.is_array() {
                Ok(v)
            } else {
                Err(())
            }
        })
    {
        Body::Json { content: v }
    } else {
        Body::Text { content: body_text }
    };
    let has_body = !matches!(body, Body::None);
    let method = method.unwrap_or_else(|| {
        if has_body {
            "POST".into()
        } else {
            "GET".into()
        }
    });
    if has_body
        && !get
        && !headers
            .iter()
            .any(|h| h.name.eq_ignore_ascii_case("content-type"))
        && matches!(body, Body::Text { .. })
    {
        headers.push(NameValue {
            name: "Content-Type".into(),
            value: "application/x-www-form-urlencoded".into(),
            enabled: true,
        });
    }
    let name = format!(
        "{method} {}",
        url.split('?')
            .next()
            .unwrap_or(&url)
            .rsplit('/')
            .find(|s| !s.is_empty())
            .unwrap_or("/")
    );
    Ok((
        RequestSpec {
            id: None,
            name,
            description: None,
            method,
            url,
            query: query_list,
            headers,
            body,
            auth,
            variables: Default::default(),
        },
        warnings,
    ))
}

/// A collection holding one request per curl command.
pub fn import(commands: &[String], name: &str) -> Result<Imported, String> {
    let mut collection = empty_collection(name);
    let mut warnings = Vec::new();
    for command in commands {
        let (request, w) = parse(command)?;
        warnings.extend(w.into_iter().map(|w| format!("{}: {w}", request.name)));
        collection.requests.push(request);
    }
    Ok(Imported {
        collection,
        warnings,
    })
}
