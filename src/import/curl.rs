//! `curl ...` command lines into requests: -X, -H, -d/--data-raw/--data-binary, --url-query,
//! -u/--user, -G, and --aws-sigv4 "aws:amz:REGION:SERVICE". Short options take attached
//! values (`-XPOST`), long ones `=` (`--request=POST`). Shell variables outside single quotes
//! become `{{$env.VAR}}`; a command substitution `$(…)` is never run: it becomes a variable to
//! set, with a warning. Words are split by the `shlex` crate.

use super::{empty_collection, sigv4, Imported};
use crate::model::{Auth, Body, NameValue, RequestSpec};

/// What the shell would expand, rewritten before splitting: `$VAR`/`${VAR}` outside single
/// quotes into `{{$env.VAR}}`, `$(…)` and backquotes into `{{shell_N}}` variables. shlex
/// splits words but keeps no trace of which quotes a `$` was in, so this one pass tracks the
/// quoting itself (single quotes: literal; double quotes and bare words: expanded).
fn expand(line: &str, substitutions: &mut Vec<String>) -> Result<String, String> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let (mut single, mut double) = (false, false);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            // A line continuation is removed, as the shell does (shlex would leave an empty
            // word in its place).
            '\\' if !single && chars.get(i + 1) == Some(&'\n') => {
                i += 2;
                continue;
            }
            '\\' if !single
                && chars.get(i + 1) == Some(&'\r')
                && chars.get(i + 2) == Some(&'\n') =>
            {
                i += 3;
                continue;
            }
            '\\' if !single => {
                out.push(c);
                if let Some(&n) = chars.get(i + 1) {
                    out.push(n);
                }
                i += 2;
                continue;
            }
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            '$' if !single && chars.get(i + 1) == Some(&'(') => {
                let mut depth = 0usize;
                let mut j = i + 1;
                while j < chars.len() {
                    match chars[j] {
                        '(' => depth += 1,
                        ')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    j += 1;
                }
                if j >= chars.len() {
                    return Err("unterminated $( command substitution".into());
                }
                substitutions.push(chars[i..=j].iter().collect());
                out.push_str(&format!("{{{{shell_{}}}}}", substitutions.len()));
                i = j + 1;
                continue;
            }
            '`' if !single => {
                let Some(end) = chars[i + 1..].iter().position(|&c| c == '`') else {
                    return Err("unterminated ` command substitution".into());
                };
                substitutions.push(chars[i..=i + 1 + end].iter().collect());
                out.push_str(&format!("{{{{shell_{}}}}}", substitutions.len()));
                i += end + 2;
                continue;
            }
            '$' if !single => {
                let braced = chars.get(i + 1) == Some(&'{');
                let start = i + 1 + usize::from(braced);
                let mut end = start;
                while end < chars.len()
                    && (chars[end].is_ascii_alphanumeric() || chars[end] == '_')
                    && !(end == start && chars[end].is_ascii_digit())
                {
                    end += 1;
                }
                if end > start && (!braced || chars.get(end) == Some(&'}')) {
                    let name: String = chars[start..end].iter().collect();
                    out.push_str(&format!("{{{{$env.{name}}}}}"));
                    i = end + usize::from(braced);
                    continue;
                }
            }
            _ => {}
        }
        out.push(c);
        i += 1;
    }
    Ok(out)
}

/// Splits a shell command line into words (quotes, escapes, line continuations), after
/// `expand`. An unbalanced quote is an error.
pub fn shell_words(line: &str) -> Result<Vec<String>, String> {
    let mut subs = Vec::new();
    let expanded = expand(line, &mut subs)?;
    shlex::split(&expanded).ok_or_else(|| "unbalanced quotes in the command".to_string())
}

/// Options that take a value (short and long), for the attached forms.
const WITH_VALUE: [&str; 17] = [
    "-X",
    "--request",
    "-H",
    "--header",
    "-d",
    "--data",
    "--data-raw",
    "--data-ascii",
    "--data-binary",
    "--data-urlencode",
    "--json",
    "--url-query",
    "-u",
    "--user",
    "--aws-sigv4",
    "--url",
    "-A",
];

/// `-XPOST` into (`-X`, `POST`), `--request=POST` into (`--request`, `POST`): only for a word
/// in an option's place (a value such as `--data-raw '-d x'` stays whole).
fn attached(word: &str) -> Option<(String, String)> {
    if let Some((opt, value)) = word
        .split_once('=')
        .filter(|(o, _)| o.starts_with("--") && WITH_VALUE.contains(o))
    {
        return Some((opt.to_string(), value.to_string()));
    }
    (word.len() > 2
        && word.starts_with('-')
        && !word.starts_with("--")
        && word.is_char_boundary(2)
        && WITH_VALUE.contains(&&word[..2]))
    .then(|| (word[..2].to_string(), word[2..].to_string()))
}

/// One curl command into a request.
pub fn parse(command: &str) -> Result<(RequestSpec, Vec<String>), String> {
    let mut substitutions = Vec::new();
    let expanded = expand(command, &mut substitutions)?;
    let words = shlex::split(&expanded).ok_or("unbalanced quotes in the command")?;
    let mut it: std::collections::VecDeque<String> = words.into();
    if it.front().map(String::as_str) == Some("curl") {
        it.pop_front();
    }
    let (mut method, mut url, mut headers, mut data, mut query) =
        (None, None, Vec::new(), Vec::<String>::new(), Vec::new());
    let (mut auth, mut get, mut warnings, mut binary_file) = (Auth::None, false, Vec::new(), None);
    let mut user: Option<String> = None;
    // The word after `--user NAME:` (a space after the colon puts the secret there).
    let mut after_empty_password = false;
    let mut url_from_split_user = false;
    let mut network = crate::model::network::Network::default();
    while let Some(mut arg) = it.pop_front() {
        if let Some((option, value)) = attached(&arg) {
            it.push_front(value);
            arg = option;
        }
        let split_user = std::mem::take(&mut after_empty_password);
        let mut value = |name: &str| it.pop_front().ok_or(format!("{name} needs a value"));
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
            "-u" | "--user" => {
                let u = value(&arg)?;
                after_empty_password = u.ends_with(':');
                user = Some(u);
            }
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
            "-k" | "--insecure" => warnings.push(
                "-k/--insecure is not carried over: certificates are verified (set insecure in the network settings to skip that knowingly; the workbench then warns in red)".into(),
            ),
            "--cacert" => network.ca_file = Some(value(&arg)?),
            "-E" | "--cert" => {
                let v = value(&arg)?;
                // curl's `--cert FILE:PASSWORD`: the passphrase is never stored.
                let file = match v.rsplit_once(':') {
                    Some((file, _)) if !file.is_empty() && !v.starts_with("pkcs11:") => {
                        warnings.push("the --cert passphrase is not stored: set $CLIENT_KEY_PASSPHRASE".into());
                        network.client_key_passphrase =
                            Some("{{$env.CLIENT_KEY_PASSPHRASE}}".into());
                        file.to_string()
                    }
                    _ => v,
                };
                network.client_cert = Some(file);
            }
            "--key" => network.client_key = Some(value(&arg)?),
            "--pass" => {
                value(&arg)?;
                warnings.push("the --pass passphrase is not stored: set $CLIENT_KEY_PASSPHRASE".into());
                network.client_key_passphrase = Some("{{$env.CLIENT_KEY_PASSPHRASE}}".into());
            }
            "-x" | "--proxy" => network.proxy = Some(value(&arg)?),
            "-U" | "--proxy-user" => {
                let v = value(&arg)?;
                let name = v.split(':').next().unwrap_or_default().to_string();
                warnings.push(format!(
                    "the proxy password is not stored: set $PROXY_PASSWORD for proxy user '{name}'"
                ));
                network.proxy_username = Some(name);
                network.proxy_password = Some("{{$env.PROXY_PASSWORD}}".into());
            }
            "--noproxy" => network.no_proxy = Some(value(&arg)?),
            "--resolve" => network.resolve.push(value(&arg)?),
            "--http1.1" => {
                network.http_version = Some(crate::model::network::HttpVersion::Http1)
            }
            "--http2" | "--http2-prior-knowledge" => {
                network.http_version = Some(crate::model::network::HttpVersion::Http2)
            }
            "--connect-timeout" | "-m" | "--max-time" => {
                let v = value(&arg)?;
                let secs: f64 = v
                    .parse()
                    .map_err(|_| format!("{arg} '{v}' is not a number of seconds"))?;
                if arg == "--connect-timeout" {
                    network.connect_timeout_seconds = Some(secs);
                } else {
                    network.timeout_seconds = Some(secs);
                }
            }
            a if a.starts_with('-') => {
                warnings.push(format!("option {a} is not carried over"));
                if it
                    .front()
                    .is_some_and(|n| !n.starts_with('-') && !n.contains("://"))
                {
                    it.pop_front();
                }
            }
            _ => {
                if url.is_some() {
                    warnings.push(format!(
                        "a second URL '{arg}' is not carried over: one request per command"
                    ));
                    continue;
                }
                url_from_split_user = split_user;
                url = Some(arg)
            }
        }
    }
    let url = url.ok_or("no URL in the curl command")?;
    if url_from_split_user && !url.contains("://") {
        return Err(
            "--user ends with ':' and the next word was taken as the URL: is there a \
                    space after the colon? Nothing imported (the secret would have become the \
                    URL); write --user \"ID:SECRET\" as one word"
                .into(),
        );
    }
    for (i, s) in substitutions.iter().enumerate() {
        warnings.push(format!(
            "the command substitution {s} is not run: it became {{{{shell_{}}}}}, a variable to set",
            i + 1
        ));
    }
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
            variables: (1..=substitutions.len())
                .map(|i| (format!("shell_{i}"), String::new()))
                .collect(),
            network: Box::new(network),
            preflight: None,
            captures: Vec::new(),
            assertions: Vec::new(),
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

/// A file of curl commands: each starts with `curl` (or `$ curl`) on its own line; backslash
/// continuations are joined; blank lines and `#` comments separate them.
pub fn import_text(text: &str, name: &str) -> Result<Imported, String> {
    let joined = text.replace("\\\r\n", " ").replace("\\\n", " ");
    let mut commands: Vec<String> = Vec::new();
    for line in joined.lines() {
        let t = line.trim();
        let t = t.strip_prefix("$ ").unwrap_or(t);
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if t.starts_with("curl ") || t == "curl" || commands.is_empty() {
            commands.push(t.to_string());
        } else if let Some(last) = commands.last_mut() {
            last.push(' ');
            last.push_str(t);
        }
    }
    if commands.is_empty() {
        return Err("no curl command in the file".into());
    }
    let mut collection = empty_collection(name);
    let mut warnings = Vec::new();
    for (i, command) in commands.iter().enumerate() {
        let (request, w) = parse(command).map_err(|e| format!("command {}: {e}", i + 1))?;
        warnings.extend(w.into_iter().map(|w| format!("{}: {w}", request.name)));
        collection.requests.push(request);
    }
    Ok(Imported {
        collection,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_flags_become_the_requests_network_settings_without_secrets() {
        let (r, warnings) = parse(
            "curl --cacert corp.pem -E client.pem:hunter2 --key client.key -x http://proxy:3128 \
             -U alice:s3cret --noproxy localhost --resolve api.internal:443:10.0.0.7 --http1.1 \
             --connect-timeout 5 -m 30 -k https://api.internal/x",
        )
        .unwrap();
        let n = &r.network;
        assert_eq!(n.ca_file.as_deref(), Some("corp.pem"));
        assert_eq!(n.client_cert.as_deref(), Some("client.pem"));
        assert_eq!(n.client_key.as_deref(), Some("client.key"));
        assert_eq!(
            n.client_key_passphrase.as_deref(),
            Some("{{$env.CLIENT_KEY_PASSPHRASE}}")
        );
        assert_eq!(n.proxy.as_deref(), Some("http://proxy:3128"));
        assert_eq!(n.proxy_username.as_deref(), Some("alice"));
        assert_eq!(n.proxy_password.as_deref(), Some("{{$env.PROXY_PASSWORD}}"));
        assert_eq!(n.resolve, ["api.internal:443:10.0.0.7"]);
        assert_eq!(
            (n.connect_timeout_seconds, n.timeout_seconds),
            (Some(5.0), Some(30.0))
        );
        assert_eq!(n.insecure, None, "-k is never carried over");
        let json = serde_json::to_string(&r).unwrap();
        assert!(
            !json.contains("hunter2") && !json.contains("s3cret"),
            "{json}"
        );
        assert!(warnings.iter().any(|w| w.contains("insecure")));
    }
}
