//! The secret refusal: a collection that holds a literal AWS secret key, session token, or a
//! literal bearer/basic credential is not loaded, saved or kept as a draft. Found two ways:
//! by the name a value is given (`awsSecret`, `X-Amz-Security-Token`, `password`, in keys,
//! header/query/form rows and URL query parameters) and by the shape of the value anywhere
//! (a key or token inside a description or a body, a `user:password@` URL, a JWT).

use super::store::LoadError;
use serde_json::Value;

/// Words that make a `…token` name harmless: AWS pagination, idempotency and request
/// tokens (`NextToken`, `ClientRequestToken`, `continuation-token`).
const HARMLESS_TOKEN_WORDS: [&str; 11] = [
    "next",
    "continuation",
    "pagination",
    "page",
    "client",
    "idempotency",
    "sync",
    "start",
    "resume",
    "request",
    "cursor",
];

/// Endings that make a `secret…` or `password…` name about the secret, not the secret
/// itself (`SecretId`, `SecretArn`, `PasswordLength`: Secrets Manager and IAM requests).
const ABOUT_A_SECRET: [&str; 14] = [
    "id", "ids", "name", "names", "arn", "arns", "type", "length", "policy", "stage", "stages",
    "count", "required", "filter",
];

/// Compares a key with a lowercase alphanumeric name, ignoring case and punctuation
/// (`X-Amz-Security-Token` is `xamzsecuritytoken`), without allocating.
fn normalized_is(key: &str, name: &str) -> bool {
    key.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .eq(name.chars())
}

/// A name that says its value is a secret: anything with `secret`, `password`, `passwd` or
/// `passphrase` in it (`awsSecret`, `client_secret`, `SecretAccessKey`) unless it is about
/// one (`SecretId`), any `…token` but the pagination ones (`X-Amz-Security-Token`,
/// `sessionToken`, `access_token`), API keys and private keys.
pub fn is_secret_name(key: &str) -> bool {
    // Every string member of a collection is asked: a short name is lowered on the stack.
    let mut buf = [0u8; 64];
    let mut len = 0;
    for b in key.bytes().filter(u8::is_ascii_alphanumeric) {
        if len == buf.len() {
            return secret_normalized_name(
                &key.chars()
                    .filter(|c| c.is_ascii_alphanumeric())
                    .map(|c| c.to_ascii_lowercase())
                    .collect::<String>(),
            );
        }
        buf[len] = b.to_ascii_lowercase();
        len += 1;
    }
    secret_normalized_name(std::str::from_utf8(&buf[..len]).expect("ASCII"))
}

/// `is_secret_name` of a name already lowercase and alphanumeric.
fn secret_normalized_name(n: &str) -> bool {
    let about = ABOUT_A_SECRET.iter().any(|e| n.ends_with(e));
    (["secret", "password", "passwd", "passphrase"]
        .iter()
        .any(|w| n.contains(w))
        && !about)
        || (n.ends_with("token") && !HARMLESS_TOKEN_WORDS.iter().any(|w| n.contains(w)))
        || ["apikey", "xapikey", "privatekey", "sessionkey"].contains(&n)
}

/// `{{name}}` references only (whitespace allowed around them).
pub fn is_variable_reference(s: &str) -> bool {
    let t = s.trim();
    t.starts_with("{{") && t.ends_with("}}") && t[2..t.len() - 2].find("{{").is_none()
}

fn is_b64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'/' || b == b'+'
}

/// Maximal runs of `[A-Za-z0-9/+]` in `s`, as (start, end) byte offsets.
fn runs(s: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let b = s.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() && !is_b64(b[i]) {
            i += 1;
        }
        if i >= b.len() {
            return None;
        }
        let start = i;
        while i < b.len() && is_b64(b[i]) {
            i += 1;
        }
        Some((start, i))
    })
}

/// An AWS secret access key: 40 characters of base64 with upper and lower case and a digit,
/// standing alone (not part of a longer base64 blob, which would go on with `=` or more
/// characters). Inside longer text it must also hold a `/` or `+`, or follow the word
/// "secret" or "aws": 28% of real keys have neither `/` nor `+`, and a bare 40-letter run
/// in prose is more often something else. In a URL only runs without `/` count (a path
/// is not a key).
fn finds_secret_key(s: &str) -> bool {
    let b = s.as_bytes();
    runs(s).any(|(start, end)| {
        let run = &s[start..end];
        if run.len() != 40 || b.get(end) == Some(&b'=') {
            return false;
        }
        let has = |f: fn(&u8) -> bool| run.as_bytes().iter().any(f);
        if !(has(u8::is_ascii_uppercase) && has(u8::is_ascii_lowercase) && has(u8::is_ascii_digit))
        {
            return false;
        }
        let slash_or_plus = has(|c| *c == b'/' || *c == b'+');
        // Asked only of a 40-character run: every string of a collection comes through here.
        let url_like = find(s, "://").is_some() || s.starts_with('/') || s.starts_with("{{");
        if url_like && run.contains('/') {
            return false;
        }
        let before = s[..start].to_ascii_lowercase();
        let context = before
            .get(before.len().saturating_sub(40)..)
            .is_some_and(|t| t.contains("secret") || t.contains("aws"));
        run == s.trim() || slash_or_plus || context
    })
}

/// `str::find` for a short needle, without building a searcher for every string checked.
fn find(haystack: &str, needle: &str) -> Option<usize> {
    memchr::memmem::find(haystack.as_bytes(), needle.as_bytes())
}

/// An AWS session token: a base64 run that starts like STS's tokens do (`IQoJb3JpZ2lu…` is
/// "origin", `FwoGZXIvYXdz…` / `FQoGZXIvYXdz…` are "er/aws" after a protobuf tag).
fn finds_session_token(s: &str) -> bool {
    const PREFIXES: [&str; 5] = ["AQoDYXdz", "FQoDYXdz", "AQoEXAMPLE", "AgoDYXdz", "IQoDYXdz"];
    const MARKERS: [&str; 2] = ["ZXIvYXdz", "b3JpZ2lu"];
    runs(s).any(|(start, end)| {
        let run = &s[start..end];
        run.len() >= 16
            && (PREFIXES.iter().any(|p| run.starts_with(p))
                || run.get(4..12).is_some_and(|m| MARKERS.contains(&m)))
    })
}

/// A JSON Web Token (a bearer credential): `eyJ….eyJ….signature`.
fn finds_jwt(s: &str) -> bool {
    let b = s.as_bytes();
    let url_b64 = |c: u8| c.is_ascii_alphanumeric() || c == b'-' || c == b'_';
    let mut from = 0;
    while let Some(i) = find(&s[from..], "eyJ").map(|i| i + from) {
        let boundary = i == 0 || !url_b64(b[i - 1]);
        let parts: Vec<&str> = s[i..]
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.'))
            .next()
            .unwrap_or_default()
            .split('.')
            .collect();
        if boundary
            && parts.len() >= 3
            && parts[1].starts_with("eyJ")
            && parts[..3].iter().all(|p| p.len() >= 8)
        {
            return true;
        }
        from = i + 3;
    }
    false
}

/// A query parameter named like a secret with a literal value (`?X-Amz-Security-Token=…`).
fn secret_query_parameter(s: &str) -> Option<String> {
    let (_, query) = s.split_once('?')?;
    let query = query
        .split(|c: char| c == '#' || c.is_whitespace())
        .next()
        .unwrap_or_default();
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        let k = percent_encoding::percent_decode_str(k).decode_utf8_lossy();
        (is_secret_name(&k) && !v.is_empty() && !is_variable_reference(v)).then(|| k.into_owned())
    })
}

/// A password in a URL's user information (`https://user:password@host/`).
fn url_password(s: &str) -> bool {
    let Some(rest) = find(s, "://").map(|i| &s[i + 3..]) else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let Some((userinfo, _)) = authority.rsplit_once('@') else {
        return false;
    };
    let password = userinfo.split_once(':').map(|(_, p)| p).unwrap_or_default();
    !password.is_empty() && !is_variable_reference(password)
}

/// One step of a JSON path; the path is only spelled out when something is refused.
#[derive(Clone, Copy)]
enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

fn spell(path: &[Seg]) -> String {
    let mut out = String::from("$");
    for s in path {
        match s {
            Seg::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// What was found, where (relative to the node), and the fix.
pub(crate) type Finding = (Option<&'static str>, String, &'static str);

/// What `check` reads of a node: its text when it is a string, a member's text when it is an
/// object. The parsed tree (`Value`) and the loader's one-pass scan (`scan`) both answer it,
/// so both refuse the same things.
pub(crate) trait Node {
    fn text(&self) -> Option<&str>;
    fn field(&self, name: &str) -> Option<&str>;
}

impl Node for Value {
    fn text(&self) -> Option<&str> {
        self.as_str()
    }
    fn field(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(Value::as_str)
    }
}

const USE_PROFILE: &str = "Use an aws-sigv4 auth with a \"profile\" (keys stay in ~/.aws), or a reference such as {{$env.AWS_SECRET_ACCESS_KEY}}.";
const USE_ENV: &str = "Use a variable reference such as {{$env.API_TOKEN}}.";

/// False when no shape below can be in the text, in one pass over short strings (names,
/// methods, most URLs): a query needs a `?`, a URL password a `@`, a session token a base64
/// run of 16 or more (a secret key one of 40), a JWT `eyJ`.
fn may_hold_a_shape(text: &str) -> bool {
    let mut run = 0;
    for &b in text.as_bytes() {
        match b {
            b'?' | b'@' => return true,
            b if is_b64(b) => {
                run += 1;
                if run >= 16 {
                    return true;
                }
            }
            _ => run = 0,
        }
    }
    find(text, "eyJ").is_some()
}

/// What a text holds, by its shape alone, wherever it sits (a URL, a description, a body).
fn shape_finding(text: &str) -> Option<(String, &'static str)> {
    if !may_hold_a_shape(text) {
        return None;
    }
    if let Some(name) = secret_query_parameter(text) {
        return Some((
            format!("the URL's query parameter '{name}' holds a literal credential"),
            USE_PROFILE,
        ));
    }
    if url_password(text) {
        return Some((
            "the URL holds a password (user:password@host)".into(),
            USE_ENV,
        ));
    }
    if finds_session_token(text) {
        return Some(("this text holds an AWS session token".into(), USE_PROFILE));
    }
    if finds_secret_key(text) {
        return Some((
            "this text holds what looks like an AWS secret access key".into(),
            USE_PROFILE,
        ));
    }
    if finds_jwt(text) {
        return Some(("this text holds a JSON Web Token".into(), USE_ENV));
    }
    None
}

/// Checks one node (an object member `key` or an array item) for a literal credential.
pub(crate) fn check<N: Node + ?Sized>(key: Option<&str>, value: &N) -> Option<Finding> {
    // A header, query, form or variable row: its "name" is the key that matters.
    if let (Some(name), Some(text)) = (value.field("name"), value.field("value")) {
        let literal = !text.trim().is_empty() && !is_variable_reference(text);
        let lower = text.trim_start().to_ascii_lowercase();
        if literal && is_secret_name(name) {
            return Some((
                Some("value"),
                format!("the '{name}' value is a literal credential"),
                USE_PROFILE,
            ));
        }
        if literal
            && (normalized_is(name, "authorization") || normalized_is(name, "proxyauthorization"))
            && (lower.starts_with("bearer ") || lower.starts_with("basic "))
            && !text.contains("{{")
        {
            return Some((
                Some("value"),
                "a literal Authorization credential".into(),
                USE_ENV,
            ));
        }
    }
    // bearer/basic auth: the secret part must be a reference.
    if key == Some("auth") {
        let field = match value.field("type") {
            Some("bearer") => Some("token"),
            Some("basic") => Some("password"),
            _ => None,
        };
        if let Some(field) = field {
            if let Some(s) = value.field(field) {
                if !is_variable_reference(s) {
                    return Some((Some(field), format!("a literal {field}"), USE_ENV));
                }
            }
        }
    }
    let text = value.text()?;
    if let Some(k) = key {
        if is_secret_name(k) && !text.trim().is_empty() && !is_variable_reference(text) {
            return Some((
                None,
                format!("'{k}' holds a literal credential"),
                USE_PROFILE,
            ));
        }
    }
    shape_finding(text).map(|(what, fix)| (None, what, fix))
}

pub fn refuse_secrets(file: &str, root: &Value) -> Result<(), LoadError> {
    fn walk<'a>(v: &'a Value, path: &mut Vec<Seg<'a>>) -> Option<(String, String, &'static str)> {
        let found = |path: &mut Vec<Seg<'a>>, key: Option<&'a str>, child: &'a Value| {
            check(key, child).map(|(sub, what, fix)| {
                let mut p = path.clone();
                if let Some(s) = sub {
                    p.push(Seg::Key(s));
                }
                (spell(&p), what, fix)
            })
        };
        match v {
            Value::Object(map) => {
                for (k, child) in map {
                    path.push(Seg::Key(k));
                    let r = found(path, Some(k), child).or_else(|| walk(child, path));
                    path.pop();
                    if r.is_some() {
                        return r;
                    }
                }
                None
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    path.push(Seg::Index(i));
                    let r = found(path, None, child).or_else(|| walk(child, path));
                    path.pop();
                    if r.is_some() {
                        return r;
                    }
                }
                None
            }
            _ => None,
        }
    }
    match walk(root, &mut Vec::new()) {
        None => Ok(()),
        Some((path, what, fix)) => Err(LoadError::Secret {
            file: file.to_string(),
            path,
            what,
            fix: fix.to_string(),
        }),
    }
}

#[cfg(test)]
#[path = "secrets_tests.rs"]
mod tests;
