//! The last step of every import: one literal credential never fails the whole import. Each
//! is dropped or turned into a reference, with a warning naming the request:
//!
//! - a session-token header goes (the signer sends the token of the credentials in use);
//! - `Authorization: AWS4-HMAC-SHA256 Credential=…/region/service/…` becomes aws-sigv4 auth
//!   (its `X-Amz-Date` and `X-Amz-Content-Sha256` go with it);
//! - a literal `Basic` or `Bearer` Authorization becomes basic or bearer auth whose secret is
//!   `{{$env.BASIC_PASSWORD}}` / `{{$env.API_TOKEN}}`;
//! - `$VAR` and `${VAR}` in header values become `{{$env.VAR}}`;
//! - whatever the collection loader would still refuse is emptied, by its path.

use crate::model::{Auth, Collection, Folder, NameValue, RequestSpec};

fn is_session_token_header(name: &str) -> bool {
    let n: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    matches!(
        n.as_str(),
        "xamzsecuritytoken" | "sessiontoken" | "awssessiontoken" | "securitytoken"
    )
}

/// `$VAR` and `${VAR}` into `{{$env.VAR}}`.
pub fn shell_vars_to_env(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = String::with_capacity(value.len());
    let mut i = 0;
    while i < bytes.len() {
        // A `{{…}}` reference is left as it is (`{{$env.X}}` holds a `$` too).
        if value[i..].starts_with("{{") {
            if let Some(len) = value[i..].find("}}") {
                out.push_str(&value[i..i + len + 2]);
                i += len + 2;
                continue;
            }
        }
        if bytes[i] == b'$' {
            let braced = bytes.get(i + 1) == Some(&b'{');
            let start = i + 1 + usize::from(braced);
            let mut end = start;
            while end < bytes.len()
                && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_')
                && !(end == start && bytes[end].is_ascii_digit())
            {
                end += 1;
            }
            let closed = !braced || bytes.get(end) == Some(&b'}');
            if end > start && closed {
                out.push_str(&format!("{{{{$env.{}}}}}", &value[start..end]));
                i = end + usize::from(braced);
                continue;
            }
        }
        let ch = value[i..].chars().next().expect("i is on a char boundary");
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

/// Region and service from a SigV4 Authorization header's credential scope.
pub fn sigv4_scope(authorization: &str) -> Option<(String, String)> {
    let rest = authorization.trim().strip_prefix("AWS4-HMAC-SHA256")?;
    let cred = rest
        .split([',', ' '])
        .find_map(|p| p.trim().strip_prefix("Credential="))?;
    let parts: Vec<&str> = cred.split('/').collect();
    (parts.len() >= 5).then(|| (parts[2].to_string(), parts[3].to_string()))
}

/// What the sanitizer may rewrite.
#[derive(Clone, Copy)]
pub(super) struct Rules {
    /// `$VAR` in header values into `{{$env.VAR}}`: not for curl, whose importer already
    /// expanded what the shell would (a single-quoted `$` is literal).
    pub shell_vars: bool,
}

fn headers(
    context: &str,
    rows: &mut Vec<NameValue>,
    auth: &mut Auth,
    warnings: &mut Vec<String>,
    rules: Rules,
) {
    let mut sigv4_seen = false;
    let mut kept = Vec::with_capacity(rows.len());
    for mut h in std::mem::take(rows) {
        let literal = !crate::model::secrets::is_variable_reference(&h.value);
        if is_session_token_header(&h.name) {
            warnings.push(format!(
                "{context}: the {} header is dropped: the request uses the session token from the credentials",
                h.name
            ));
            continue;
        }
        if h.name.eq_ignore_ascii_case("authorization") && literal && !h.value.contains("{{") {
            let value = h.value.trim();
            let lower = value.to_ascii_lowercase();
            if let Some((region, service)) = sigv4_scope(value) {
                warnings.push(format!(
                    "{context}: a recorded SigV4 Authorization header became aws-sigv4 auth ({service}, {region}); the signature is made anew at each send"
                ));
                if matches!(auth, Auth::Inherit | Auth::None) {
                    *auth = super::sigv4(Some(region), Some(service));
                }
                sigv4_seen = true;
                continue;
            }
            if let Some(token) = lower.strip_prefix("bearer ").map(|_| value[7..].trim()) {
                let reference = if token.starts_with('$') {
                    shell_vars_to_env(token)
                } else {
                    "{{$env.API_TOKEN}}".to_string()
                };
                warnings.push(format!(
                    "{context}: the literal bearer token is not imported: bearer auth reads {reference}"
                ));
                *auth = Auth::Bearer { token: reference };
                continue;
            }
            if let Some(encoded) = lower.strip_prefix("basic ").map(|_| value[6..].trim()) {
                use base64::Engine;
                let username = base64::engine::general_purpose::STANDARD
                    .decode(encoded)
                    .ok()
                    .and_then(|b| String::from_utf8(b).ok())
                    .and_then(|pair| pair.split(':').next().map(str::to_string))
                    .unwrap_or_default();
                warnings.push(format!(
                    "{context}: the literal Basic Authorization header is not imported: basic auth for '{username}' reads the password from $BASIC_PASSWORD"
                ));
                *auth = Auth::Basic {
                    username,
                    password: "{{$env.BASIC_PASSWORD}}".into(),
                };
                continue;
            }
        }
        if rules.shell_vars && h.value.contains('$') && literal {
            let converted = shell_vars_to_env(&h.value);
            if converted != h.value {
                warnings.push(format!(
                    "{context}: the {} header's shell variables are read from the environment: {converted}",
                    h.name
                ));
                h.value = converted;
            }
        }
        kept.push(h);
    }
    if sigv4_seen {
        kept.retain(|h| {
            !h.name.eq_ignore_ascii_case("x-amz-date")
                && !h.name.eq_ignore_ascii_case("x-amz-content-sha256")
        });
    }
    *rows = kept;
}

fn request(context: &str, r: &mut RequestSpec, warnings: &mut Vec<String>, rules: Rules) {
    headers(context, &mut r.headers, &mut r.auth, warnings, rules);
}

fn folder(path: &str, f: &mut Folder, warnings: &mut Vec<String>, rules: Rules) {
    let here = if path.is_empty() {
        f.name.clone()
    } else {
        format!("{path}/{}", f.name)
    };
    headers(&here, &mut f.headers, &mut f.auth, warnings, rules);
    for r in &mut f.requests {
        request(&format!("{here}/{}", r.name), r, warnings, rules);
    }
    for sub in &mut f.folders {
        folder(&here, sub, warnings, rules);
    }
}

/// Walks a JSON path as the loader spells it (`$.requests[0].headers[1].value`).
fn at_path<'a>(root: &'a mut serde_json::Value, path: &str) -> Option<&'a mut serde_json::Value> {
    let mut node = root;
    for part in path
        .trim_start_matches('$')
        .split('.')
        .filter(|p| !p.is_empty())
    {
        let (key, indexes) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            node = node.get_mut(key)?;
        }
        for index in indexes.split('[').filter(|s| !s.is_empty()) {
            node = node.get_mut(index.trim_end_matches(']').parse::<usize>().ok()?)?;
        }
    }
    Some(node)
}

pub(super) fn sanitize(c: &mut Collection, warnings: &mut Vec<String>, rules: Rules) {
    headers("collection", &mut c.headers, &mut c.auth, warnings, rules);
    for r in &mut c.requests {
        let name = r.name.clone();
        request(&name, r, warnings, rules);
    }
    for f in &mut c.folders {
        folder("", f, warnings, rules);
    }
    // Whatever the loader would still refuse: emptied where it is, and said.
    let Ok(mut value) = serde_json::to_value(&*c) else {
        return;
    };
    let mut changed = false;
    for _ in 0..10_000 {
        let Err(crate::model::LoadError::Secret { path, what, .. }) =
            crate::model::secrets::refuse_secrets("import", &value)
        else {
            break;
        };
        match at_path(&mut value, &path) {
            Some(node) if node.is_string() => {
                *node = serde_json::Value::String(String::new());
                warnings.push(format!("{path}: {what}: not imported (emptied)"));
                changed = true;
            }
            _ => break,
        }
    }
    if changed {
        if let Ok(clean) = serde_json::from_value(value) {
            *c = clean;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_variables_become_environment_references() {
        assert_eq!(
            shell_vars_to_env("$AWS_SESSION_TOKEN"),
            "{{$env.AWS_SESSION_TOKEN}}"
        );
        assert_eq!(
            shell_vars_to_env("a ${TOKEN}b $5 $"),
            "a {{$env.TOKEN}}b $5 $"
        );
        assert_eq!(shell_vars_to_env("${unclosed"), "${unclosed");
        assert_eq!(
            shell_vars_to_env("Bearer {{$env.API_TOKEN}} $X"),
            "Bearer {{$env.API_TOKEN}} {{$env.X}}"
        );
    }

    #[test]
    fn a_sigv4_scope_names_region_and_service() {
        assert_eq!(
            sigv4_scope("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=abc"),
            Some(("us-east-1".into(), "iam".into()))
        );
        assert_eq!(sigv4_scope("Bearer x"), None);
    }
}
