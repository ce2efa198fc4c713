//! SigV4 canonicalization, written out so that the trace can show every line.
//!
//! These functions compute what AWS computes on the server side. `sign()` checks on every
//! signing that the string-to-sign built from them, under the derived key, gives the same
//! signature as `aws-sigv4`; the mock gateway uses them to verify requests the way API
//! Gateway does.

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::fmt::Write as _;

/// Everything but the unreserved characters `A-Z a-z 0-9 - . _ ~` is encoded.
pub const SIGV4_ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');
/// As `SIGV4_ENCODE`, keeping `/` (path separators).
pub const SIGV4_PATH_ENCODE: &AsciiSet = &SIGV4_ENCODE.remove(b'/');
/// Bytes that can't appear raw in a request target; used to make a raw target sendable and,
/// for S3, to encode only what is not already encoded.
pub const WIRE_PATH_ENCODE: &AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\\')
    .add(b'^')
    .add(b'|');

pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
pub const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Lowercase hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    lower_hex(&Sha256::digest(bytes))
}

/// Lowercase hex, by table (`hex::encode` goes through a char iterator, which showed in the
/// signing profile).
pub fn lower_hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    push_hex(&mut out, bytes);
    out
}

/// Appends `bytes` in lowercase hex.
pub fn push_hex(out: &mut String, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
}

/// The canonical URI.
///
/// `double_encode` (every service but S3): the path as it appears on the wire is URI-encoded
/// once more, so `%3D` becomes `%253D` and a raw space `%20`. Without it (S3) the path is in
/// S3's form, `s3_path`: escapes kept, everything else but unreserved bytes and `/` encoded.
pub fn canonical_path(path: &str, normalize: bool, double_encode: bool) -> String {
    let path = if normalize {
        normalize_path(path)
    } else if path.is_empty() {
        "/".to_string()
    } else {
        path.to_string()
    };
    if double_encode {
        // Most paths need no escape: then the path is the canonical path, without a copy.
        match Cow::from(utf8_percent_encode(&path, SIGV4_PATH_ENCODE)) {
            Cow::Owned(encoded) => encoded,
            Cow::Borrowed(_) => path,
        }
    } else {
        s3_path(&path).into_owned()
    }
}

/// A path in the form S3 canonicalizes: S3 decodes the path it receives and URI-encodes the key
/// once (every byte but `A-Z a-z 0-9 - . _ ~` and `/`), so `(1)!'*`, `=;,:@` and `$&` sent raw
/// are signed by S3 as `%281%29%21%27%2A`... while the SDKs, which put that form on the wire,
/// sign the wire path as it is. `sign` sends this form, so that the two readings agree. An
/// existing escape is kept (hex in upper case), so the form is idempotent; a `%` that starts
/// no escape is `%25`.
pub fn s3_path(path: &str) -> std::borrow::Cow<'_, str> {
    let bytes = path.as_bytes();
    let is_hex = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_hexdigit);
    let keep = |b: u8| b.is_ascii_alphanumeric() || b"-._~/".contains(&b);
    let already = bytes.iter().enumerate().all(|(i, &b)| {
        keep(b)
            || (b == b'%'
                && is_hex(i + 1)
                && is_hex(i + 2)
                && !bytes[i + 1..i + 3].iter().any(u8::is_ascii_lowercase))
    });
    if already {
        return std::borrow::Cow::Borrowed(path);
    }
    let mut out = String::with_capacity(path.len() + 16);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if keep(b) {
            out.push(char::from(b));
        } else if b == b'%' && is_hex(i + 1) && is_hex(i + 2) {
            out.push('%');
            out.push(char::from(bytes[i + 1].to_ascii_uppercase()));
            out.push(char::from(bytes[i + 2].to_ascii_uppercase()));
            i += 2;
        } else {
            let _ = write!(out, "%{b:02X}");
        }
        i += 1;
    }
    std::borrow::Cow::Owned(out)
}

/// RFC 3986 remove-dot-segments, with empty segments (duplicate slashes) removed as AWS
/// requires; a trailing slash is kept.
///
/// A trailing dot segment keeps its slash: `/a/.` is `/a/`, as RFC 3986 §5.2.4 (2.B) says, as
/// AWS's SigV4 documentation asks ("normalize URI paths according to RFC 3986"), and as
/// aws-sigv4 (the Rust SDK, which every signing is cross-checked against) and the Java SDK v2
/// compute. botocore (`posixpath.normpath`) and `@smithy/signature-v4` give `/a`. The case
/// never reaches the wire from sigscope: URLs are parsed by the `url` crate (WHATWG), which
/// resolves `/a/.` to `/a/` before signing, and `send --raw` does the same (`sendable`); curl
/// and browsers resolve it too. The local gateway canonicalizes with this same function.
pub fn normalize_path(path: &str) -> String {
    if path.is_empty() {
        return "/".to_string();
    }
    if !(path.contains('.') || path.contains("//")) && path.starts_with('/') {
        return path.to_string();
    }
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    let mut out = String::with_capacity(path.len());
    out.push('/');
    out.push_str(&segments.join("/"));
    let ends_with_slash = ["/", "/.", "/./", "/..", "/../"]
        .iter()
        .any(|s| path.ends_with(s));
    if ends_with_slash && !out.ends_with('/') {
        out.push('/');
    }
    out
}

/// One query parameter, decoded and re-encoded the SigV4 way.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct QueryParam {
    pub key: String,
    pub value: String,
}

/// Splits a raw query into SigV4-encoded pairs, in their original order.
///
/// A literal `+` is a plus (canonical `%2B`), not a space: AWS decodes percent escapes only.
/// A parameter without `=` has an empty value.
pub fn encoded_query_params(query: &str) -> Vec<QueryParam> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            QueryParam {
                key: sigv4_reencode(k).into_owned(),
                value: sigv4_reencode(v).into_owned(),
            }
        })
        .collect()
}

fn sigv4_reencode(raw: &str) -> Cow<'_, str> {
    if raw
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
    {
        return Cow::Borrowed(raw);
    }
    let decoded = percent_decode_str(raw).collect::<Vec<u8>>();
    Cow::Owned(percent_encoding::percent_encode(&decoded, SIGV4_ENCODE).to_string())
}

/// SigV4-encodes a decoded string (for parameters added by the signer).
pub fn encode_component(value: &str) -> String {
    utf8_percent_encode(value, SIGV4_ENCODE).to_string()
}

/// The canonical query string: pairs sorted by encoded key, then value, `key=value` joined
/// with `&` (`key=` for an empty value).
pub fn canonical_query(params: &[QueryParam]) -> String {
    let mut sorted: Vec<(&str, &str)> = params
        .iter()
        .map(|p| (p.key.as_str(), p.value.as_str()))
        .collect();
    sorted.sort_unstable();
    join_query(&sorted)
}

/// `canonical_query(&encoded_query_params(query))`, borrowing the parameters that need no
/// re-encoding (most do not) instead of copying each one. A query already in canonical form
/// (unreserved bytes, every pair with its `=`, pairs in order) is its own canonical query.
pub fn canonical_query_of(query: &str) -> String {
    let unreserved = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
    };
    let mut previous: Option<(&str, &str)> = None;
    let canonical = query.split('&').all(|pair| {
        let Some((k, v)) = pair.split_once('=') else {
            return false;
        };
        let in_order = previous.is_none_or(|p| p <= (k, v));
        previous = Some((k, v));
        in_order && unreserved(k) && unreserved(v)
    });
    if canonical {
        return query.to_string();
    }
    let mut pairs: Vec<(Cow<'_, str>, Cow<'_, str>)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (sigv4_reencode(k), sigv4_reencode(v))
        })
        .collect();
    // Equal pairs are interchangeable, so an unstable sort gives the same text.
    pairs.sort_unstable();
    join_query(&pairs)
}

fn join_query<K: AsRef<str>, V: AsRef<str>>(sorted: &[(K, V)]) -> String {
    let len = sorted
        .iter()
        .map(|(k, v)| k.as_ref().len() + v.as_ref().len() + 2)
        .sum();
    let mut out = String::with_capacity(len);
    for (i, (k, v)) in sorted.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k.as_ref());
        out.push('=');
        out.push_str(v.as_ref());
    }
    out
}

/// A header value as every SigV4 implementation canonicalizes it: leading and trailing
/// whitespace trimmed and every inner run of spaces and tabs folded to one space.
///
/// AWS's documentation says "sequential spaces"; botocore, the AWS JS SDK (`@smithy/signature-v4`)
/// and the services themselves (moto and S3 implementations reject anything else) fold tabs
/// too. aws-sigv4 folds spaces only, so `sign` hands it values already folded, and sends them
/// folded, so that the three agree on the wire.
pub fn trim_header_value(value: &str) -> std::borrow::Cow<'_, str> {
    let is_ws = |b: u8| b == b' ' || b == b'\t';
    let bytes = value.as_bytes();
    let clean = !bytes.first().is_some_and(|b| is_ws(*b))
        && !bytes.last().is_some_and(|b| is_ws(*b))
        && !bytes.contains(&b'\t')
        && memchr::memmem::find(bytes, b"  ").is_none();
    if clean {
        return std::borrow::Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len());
    for word in value.split([' ', '\t']).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    std::borrow::Cow::Owned(out)
}

/// Canonical headers: names lowercased and sorted, values trimmed and folded, repeated
/// headers joined with commas in the order they appear. Linear after the sort.
pub fn canonical_headers<N: AsRef<str>, V: AsRef<str>>(
    headers: &[(N, V)],
) -> Vec<(String, String)> {
    let mut merged: Vec<(String, String)> = headers
        .iter()
        .map(|(name, value)| {
            let value = trim_header_value(value.as_ref()).into_owned();
            (name.as_ref().to_ascii_lowercase(), value)
        })
        .collect();
    // A stable sort keeps repeated headers in the order they appear.
    merged.sort_by(|a, b| a.0.cmp(&b.0));
    merged.dedup_by(|next, kept| {
        let same = next.0 == kept.0;
        if same {
            kept.1.push(',');
            kept.1.push_str(&next.1);
        }
        same
    });
    merged
}

/// The parts of a canonical request, kept apart so that each line can be labelled.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CanonicalRequest {
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub signed_headers: Vec<String>,
    pub payload_hash: String,
}

impl CanonicalRequest {
    /// The text that is hashed into the string-to-sign, written in one allocation (it is
    /// built on every signing).
    pub fn to_text(&self) -> String {
        let head: usize = self
            .headers
            .iter()
            .map(|(n, v)| n.len() + v.len() + 2)
            .sum();
        let names: usize = self.signed_headers.iter().map(|n| n.len() + 1).sum();
        let mut out = String::with_capacity(
            self.method.len() + self.path.len() + self.query.len() + head + names + 68,
        );
        for part in [&self.method, &self.path, &self.query] {
            out.push_str(part);
            out.push('\n');
        }
        for (name, value) in &self.headers {
            out.push_str(name);
            out.push(':');
            out.push_str(value);
            out.push('\n');
        }
        out.push('\n');
        for (i, name) in self.signed_headers.iter().enumerate() {
            if i > 0 {
                out.push(';');
            }
            out.push_str(name);
        }
        out.push('\n');
        out.push_str(&self.payload_hash);
        out
    }
}

/// `YYYYMMDD/region/service/aws4_request`.
pub fn credential_scope(date: &str, region: &str, service: &str) -> String {
    [date, "/", region, "/", service, "/aws4_request"].concat()
}

/// The string-to-sign for a canonical request text.
pub fn string_to_sign(amz_date: &str, scope: &str, canonical_request: &str) -> String {
    let mut out = String::with_capacity(ALGORITHM.len() + amz_date.len() + scope.len() + 67);
    for part in [ALGORITHM, amz_date, scope] {
        out.push_str(part);
        out.push('\n');
    }
    push_hex(&mut out, &Sha256::digest(canonical_request.as_bytes()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_is_encoded_once_more_for_non_s3() {
        assert_eq!(canonical_path("/a%3Db", true, true), "/a%253Db");
        assert_eq!(
            canonical_path("/example space/", true, true),
            "/example%20space/"
        );
        assert_eq!(canonical_path("/ሴ", true, true), "/%E1%88%B4");
    }

    #[test]
    fn s3_paths_take_the_form_s3_signs() {
        assert_eq!(s3_path("/b/k(1)!'*"), "/b/k%281%29%21%27%2A");
        assert_eq!(s3_path("/b/=;,:@$&~"), "/b/%3D%3B%2C%3A%40%24%26~");
        assert_eq!(s3_path("/b/a%2bb%20c+d"), "/b/a%2Bb%20c%2Bd");
        assert_eq!(s3_path("/b/100%"), "/b/100%25");
        assert_eq!(s3_path(&s3_path("/b/k(1) ü")), s3_path("/b/k(1) ü"));
        assert!(matches!(
            s3_path("/b/dir/key.txt"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn s3_path_is_not_encoded_twice_or_normalized() {
        assert_eq!(
            canonical_path("/bucket/a%3Db", false, false),
            "/bucket/a%3Db"
        );
        assert_eq!(
            canonical_path("/bucket//a/../b", false, false),
            "/bucket//a/../b"
        );
    }

    #[test]
    fn dot_segments_and_duplicate_slashes_are_normalized() {
        assert_eq!(normalize_path("/example/.."), "/");
        assert_eq!(normalize_path("//example//"), "/example/");
        assert_eq!(normalize_path("/./example"), "/example");
        assert_eq!(normalize_path("/a/b/../c/"), "/a/c/");
        assert_eq!(normalize_path(""), "/");
    }

    #[test]
    fn query_plus_is_a_plus_and_params_sort_by_key_then_value() {
        let params = encoded_query_params("b=2&a=x+y&a=%41&c&d=");
        assert_eq!(canonical_query(&params), "a=A&a=x%2By&b=2&c=&d=");
        assert_eq!(
            canonical_query_of("b=2&a=x+y&a=%41&c&d="),
            "a=A&a=x%2By&b=2&c=&d="
        );
    }

    #[test]
    fn query_sorts_on_encoded_keys() {
        let params = encoded_query_params("Param-3=Value3&Param=Value2&%E1%88%B4=Value1");
        assert_eq!(
            canonical_query(&params),
            "%E1%88%B4=Value1&Param=Value2&Param-3=Value3"
        );
    }

    /// The borrowing form gives the same text as the parameter list on awkward queries.
    #[test]
    fn canonical_query_of_agrees_with_the_parameter_list() {
        for q in [
            "",
            "&&",
            "a=1&a=1&A=0&a=",
            "k=%7e~%2f/&k=%20 +&%E1%88%B4=%e1%88%b4&z",
            "x=a%3Db&x=a=b&empty=&=v&%=%zz",
            "limit=10&type=dog",
            "a=1&b=2&b=2&c=",
            "b=1&a=2",
            "a=2&a=1",
            "a=1&&b=2",
            "a&b=1",
            "a=b=c&d=1",
        ] {
            assert_eq!(
                canonical_query_of(q),
                canonical_query(&encoded_query_params(q)),
                "{q}"
            );
        }
    }

    #[test]
    fn tabs_and_runs_of_whitespace_fold_to_one_space() {
        assert_eq!(trim_header_value("a\tb"), "a b");
        assert_eq!(trim_header_value("\tv"), "v");
        assert_eq!(trim_header_value(" \t a \t\t b \t"), "a b");
        assert!(matches!(
            trim_header_value("plain value"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(trim_header_value(" \t "), "");
    }

    #[test]
    fn a_trailing_dot_segment_keeps_its_slash() {
        assert_eq!(normalize_path("/a/."), "/a/");
        assert_eq!(normalize_path("/a/b/.."), "/a/");
    }

    #[test]
    fn header_values_are_trimmed_and_repeats_joined() {
        let headers = vec![
            ("My-Header1".to_string(), "  a   b  ".to_string()),
            ("host".to_string(), "h".to_string()),
            ("my-header1".to_string(), "c".to_string()),
        ];
        assert_eq!(
            canonical_headers(&headers),
            vec![
                ("host".to_string(), "h".to_string()),
                ("my-header1".to_string(), "a b,c".to_string())
            ]
        );
    }
}
