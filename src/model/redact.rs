//! Redaction: the credentials of an exchange (the current secret access key, the session
//! token, bearer and basic credentials, a URL's password) replaced by markers in everything
//! sigscope writes down — history entries and logs, bodies and headers included.
//!
//! The value is searched for in every form a server is likely to echo it in: as sent, percent-
//! encoded (a query string), form-encoded, and JSON-escaped (`\/`). The secrets come from the
//! exchange itself (its trace's session token, its `Authorization` and `X-Amz-Security-Token`)
//! and from the credentials this process knows: those resolved by the CLI (`remember`), the
//! `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN` environment, and the static keys of the AWS
//! shared files (what the workbench signs with when it resolves a profile itself).

use crate::aws::credentials::Credentials;
use crate::http::Exchange;
use crate::sign::trace::{SigningTrace, REDACTED_TOKEN};
use base64::Engine as _;
use std::borrow::Cow;
use std::sync::Mutex;

pub const REDACTED_SECRET_KEY: &str = "<redacted-secret-key>";
pub const REDACTED_CREDENTIAL: &str = "<redacted-credential>";

/// Shorter values are not searched for in bodies: a three-letter password would blank out
/// every word that contains it. Their headers are still replaced whole.
const MIN_SEARCHED: usize = 4;

/// What a redacted value was, in the words the history entry uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    SecretKey,
    SessionToken,
    Credential,
}

impl Kind {
    pub fn describe(self) -> &'static str {
        match self {
            Kind::SecretKey => "secret access key",
            Kind::SessionToken => "session token",
            Kind::Credential => "bearer/basic credential",
        }
    }
    fn marker(self) -> &'static str {
        match self {
            Kind::SecretKey => REDACTED_SECRET_KEY,
            Kind::SessionToken => REDACTED_TOKEN,
            Kind::Credential => REDACTED_CREDENTIAL,
        }
    }
}

/// Secrets resolved in this process (the CLI adds the credentials it signs with).
static REMEMBERED: Mutex<Vec<(Kind, String)>> = Mutex::new(Vec::new());

/// Keeps the credentials' secret parts for redaction for the rest of the process.
pub fn remember(credentials: &Credentials) {
    let mut list = REMEMBERED.lock().unwrap_or_else(|e| e.into_inner());
    let mut add = |kind, value: &str| {
        if !value.is_empty() && !list.iter().any(|(_, v)| v == value) {
            list.push((kind, value.to_string()));
        }
    };
    add(Kind::SecretKey, credentials.secret_access_key.expose());
    if let Some(t) = &credentials.session_token {
        add(Kind::SessionToken, t.expose());
    }
}

/// A set of secret values and the forms they are searched in.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    /// (kind, form) pairs, longest form first so that a form never half-covers another.
    forms: Vec<(Kind, Vec<u8>)>,
}

/// What a scrub found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found(Vec<Kind>);

impl Found {
    fn add(&mut self, kind: Kind) {
        if !self.0.contains(&kind) {
            self.0.push(kind);
            self.0.sort();
        }
    }
    pub fn merge(&mut self, other: &Found) {
        for k in &other.0 {
            self.add(*k);
        }
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// `["session token", "secret access key"]`, for the history entry.
    pub fn descriptions(&self) -> Vec<String> {
        self.0.iter().map(|k| k.describe().to_string()).collect()
    }
}

impl Redactor {
    /// Adds a value in every form it is searched in.
    pub fn add(&mut self, kind: Kind, value: &str) {
        if value.len() < MIN_SEARCHED {
            return;
        }
        let mut forms = vec![value.to_string()];
        forms.push(crate::sign::canonical::encode_component(value));
        forms.push(url::form_urlencoded::byte_serialize(value.as_bytes()).collect());
        if let Ok(json) = serde_json::to_string(value) {
            forms.push(json[1..json.len() - 1].to_string());
        }
        forms.push(value.replace('/', "\\/"));
        for form in forms {
            let bytes = form.into_bytes();
            if !self.forms.iter().any(|(_, f)| *f == bytes) {
                self.forms.push((kind, bytes));
            }
        }
        self.forms.sort_by_key(|f| std::cmp::Reverse(f.1.len()));
    }

    /// The credentials this process knows of (see the module comment).
    pub fn known() -> Self {
        let mut r = Redactor::default();
        for (kind, value) in REMEMBERED.lock().unwrap_or_else(|e| e.into_inner()).iter() {
            r.add(*kind, value);
        }
        for (var, kind) in [
            ("AWS_SECRET_ACCESS_KEY", Kind::SecretKey),
            ("AWS_SESSION_TOKEN", Kind::SessionToken),
            ("AWS_SECURITY_TOKEN", Kind::SessionToken),
        ] {
            if let Ok(v) = std::env::var(var) {
                r.add(kind, v.trim());
            }
        }
        let files = crate::aws::profiles::AwsFiles::from_env();
        for profile in crate::aws::profiles::list_profiles(&files) {
            if let Some((_, secret, token)) =
                crate::aws::profiles::static_keys(&files, &profile.name)
            {
                r.add(Kind::SecretKey, &secret);
                if let Some(t) = token {
                    r.add(Kind::SessionToken, &t);
                }
            }
        }
        r
    }

    /// `known()` plus what the exchange itself carries.
    pub fn for_exchange(x: &Exchange) -> Self {
        let mut r = Redactor::known();
        if let Some(t) = x.trace.as_ref().and_then(|t| t.session_token.as_deref()) {
            r.add(Kind::SessionToken, t);
        }
        for (name, value) in &x.request.headers {
            r.add_header(name, value);
        }
        if let Some(q) = &x.request.query {
            for (k, v) in url::form_urlencoded::parse(q.as_bytes()) {
                if k.eq_ignore_ascii_case("X-Amz-Security-Token") {
                    r.add(Kind::SessionToken, &v);
                }
            }
        }
        r
    }

    /// The secret part of a request header, when it has one.
    pub fn add_header(&mut self, name: &str, value: &str) {
        let lower = name.to_ascii_lowercase();
        if lower == "x-amz-security-token" {
            self.add(Kind::SessionToken, value.trim());
        }
        if lower == "authorization" || lower == "proxy-authorization" {
            let value = value.trim();
            if value.starts_with("AWS4-") {
                return;
            }
            let (scheme, credential) = value.split_once(' ').unwrap_or(("", value));
            let credential = credential.trim();
            self.add(Kind::Credential, credential);
            if scheme.eq_ignore_ascii_case("basic") {
                if let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(credential) {
                    let decoded = String::from_utf8_lossy(&decoded).into_owned();
                    if let Some((_, password)) = decoded.split_once(':') {
                        self.add(Kind::Credential, password);
                    }
                    self.add(Kind::Credential, &decoded);
                }
            }
        }
    }

    /// Replaces every known secret in `bytes`.
    pub fn scrub_bytes<'a>(&self, bytes: &'a [u8], found: &mut Found) -> Cow<'a, [u8]> {
        let mut out: Cow<'a, [u8]> = Cow::Borrowed(bytes);
        for (kind, form) in &self.forms {
            let finder = memchr::memmem::Finder::new(form);
            if finder.find(&out).is_none() {
                continue;
            }
            found.add(*kind);
            let marker = kind.marker().as_bytes();
            let mut next = Vec::with_capacity(out.len());
            let mut rest: &[u8] = &out;
            while let Some(i) = finder.find(rest) {
                next.extend_from_slice(&rest[..i]);
                next.extend_from_slice(marker);
                rest = &rest[i + form.len()..];
            }
            next.extend_from_slice(rest);
            out = Cow::Owned(next);
        }
        out
    }

    pub fn scrub(&self, s: &str, found: &mut Found) -> String {
        match self.scrub_bytes(s.as_bytes(), found) {
            // Markers are ASCII and replace whole UTF-8 sequences: still valid UTF-8.
            Cow::Borrowed(_) => s.to_string(),
            Cow::Owned(b) => String::from_utf8_lossy(&b).into_owned(),
        }
    }

    /// The first `limit` bytes of `bytes` with every secret replaced, as text, and whether
    /// the body was longer. The scrub runs over `limit` plus the longest form, so a secret
    /// cut in two by the limit is still found.
    pub fn scrub_capped(&self, bytes: &[u8], limit: usize, found: &mut Found) -> (String, bool) {
        let longest = self.forms.first().map(|(_, f)| f.len()).unwrap_or(0);
        let window = &bytes[..bytes.len().min(limit.saturating_add(longest))];
        let scrubbed = self.scrub_bytes(window, found);
        let kept = &scrubbed[..scrubbed.len().min(limit)];
        (
            String::from_utf8_lossy(kept).into_owned(),
            bytes.len() > limit,
        )
    }

    /// A request header's value as written down: an `Authorization` other than SigV4 keeps
    /// only its scheme, a session token header only its marker.
    pub fn header_value(&self, name: &str, value: &str, found: &mut Found) -> String {
        let lower = name.to_ascii_lowercase();
        if lower == "x-amz-security-token" && !value.trim().is_empty() {
            found.add(Kind::SessionToken);
            return REDACTED_TOKEN.to_string();
        }
        if (lower == "authorization" || lower == "proxy-authorization")
            && !value.trim_start().starts_with("AWS4-")
            && !value.trim().is_empty()
        {
            found.add(Kind::Credential);
            let scheme = value.split_whitespace().next().unwrap_or_default();
            if value.trim() == scheme {
                return REDACTED_CREDENTIAL.to_string();
            }
            return format!("{scheme} {REDACTED_CREDENTIAL}");
        }
        self.scrub(value, found)
    }

    /// A trace with the session token and every known secret replaced.
    pub fn trace(&self, trace: &SigningTrace, found: &mut Found) -> SigningTrace {
        if trace
            .session_token
            .as_deref()
            .is_some_and(|t| !t.is_empty())
        {
            found.add(Kind::SessionToken);
        }
        let mut t = trace.redacted();
        let mut s = |v: &mut String| *v = self.scrub(v, found);
        s(&mut t.canonical_request);
        s(&mut t.canonical.query);
        for (_, v) in &mut t.canonical.headers {
            s(v);
        }
        s(&mut t.url);
        s(&mut t.signed_request);
        s(&mut t.string_to_sign);
        if let Some(q) = &mut t.presigned_query {
            for (_, v) in q.iter_mut() {
                s(v);
            }
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_echoed_form_of_a_secret_is_replaced() {
        let mut r = Redactor::default();
        r.add(Kind::SessionToken, "IQoJb3JpZ2lu/abc+def=");
        let mut found = Found::default();
        let text = "raw IQoJb3JpZ2lu/abc+def= url IQoJb3JpZ2lu%2Fabc%2Bdef%3D \
                    json IQoJb3JpZ2lu\\/abc+def=";
        let out = r.scrub(text, &mut found);
        assert!(!out.contains("IQoJb3JpZ2lu"), "{out}");
        assert_eq!(out.matches(REDACTED_TOKEN).count(), 3, "{out}");
        assert_eq!(found.descriptions(), vec!["session token"]);
    }

    #[test]
    fn a_secret_cut_by_the_body_cap_is_still_removed() {
        let mut r = Redactor::default();
        r.add(Kind::SecretKey, "SECRETSECRETSECRET");
        let body = b"0123456789SECRETSECRETSECRET tail";
        let mut found = Found::default();
        let (kept, cut) = r.scrub_capped(body, 14, &mut found);
        assert!(cut);
        assert!(!kept.contains("SECR"), "{kept}");
        assert!(!found.is_empty());
    }

    #[test]
    fn basic_credentials_are_decoded_to_find_the_password() {
        let mut r = Redactor::default();
        // "alice:s3cretpass"
        r.add_header("Authorization", "Basic YWxpY2U6czNjcmV0cGFzcw==");
        let mut found = Found::default();
        let out = r.scrub(
            "{\"pw\":\"s3cretpass\",\"h\":\"YWxpY2U6czNjcmV0cGFzcw==\"}",
            &mut found,
        );
        assert!(
            !out.contains("s3cretpass") && !out.contains("YWxpY2U6"),
            "{out}"
        );
        assert_eq!(
            r.header_value(
                "authorization",
                "Basic YWxpY2U6czNjcmV0cGFzcw==",
                &mut found
            ),
            "Basic <redacted-credential>"
        );
    }
}
