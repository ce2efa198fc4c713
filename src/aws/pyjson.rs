//! JSON text exactly as Python's `json.dumps` writes it (`", "` and `": "` separators, every
//! character outside printable ASCII escaped, keys optionally sorted), because botocore
//! derives cache file names from the SHA-1 of such text and writes its cache files with it:
//! the same bytes are what make a cache shared with the AWS CLI.

use serde_json::Value;

/// `json.dumps(value, sort_keys=sort_keys)`.
pub fn dumps(value: &Value, sort_keys: bool) -> String {
    let mut out = String::new();
    write_value(&mut out, value, sort_keys);
    out
}

/// `hashlib.sha1(text.encode('utf-8')).hexdigest()`.
pub fn sha1_hex(text: &str) -> String {
    use sha1::Digest;
    hex::encode(sha1::Sha1::digest(text.as_bytes()))
}

fn write_value(out: &mut String, value: &Value, sort_keys: bool) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_value(out, item, sort_keys);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            if sort_keys {
                // Python sorts str keys by code point; Rust's str order is the same.
                entries.sort_by(|a, b| a.0.cmp(b.0));
            }
            out.push('{');
            for (i, (k, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_string(out, k);
                out.push_str(": ");
                write_value(out, v, sort_keys);
            }
            out.push('}');
        }
    }
}

/// `ensure_ascii=True`: only ' '..='~' stay as they are; the rest is escaped, astral
/// characters as UTF-16 surrogate pairs.
fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            _ => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Expected texts and digests printed by CPython 3.11's json and hashlib.
    #[test]
    fn same_bytes_as_python() {
        let v = json!({"RoleArn": "a", "ExternalId": "ext-é\"\\/\u{7f}\u{1}\n😀"});
        assert_eq!(
            dumps(&v, true),
            r#"{"ExternalId": "ext-\u00e9\"\\/\u007f\u0001\n\ud83d\ude00", "RoleArn": "a"}"#
        );
        let registration = json!({
            "tool": "botocore", "startUrl": "https://demo.awsapps.com/start",
            "region": "us-east-1", "scopes": null, "session_name": null
        });
        let text = dumps(&registration, true);
        assert_eq!(
            text,
            r#"{"region": "us-east-1", "scopes": null, "session_name": null, "startUrl": "https://demo.awsapps.com/start", "tool": "botocore"}"#
        );
        assert_eq!(sha1_hex(&text), "e4c88b882f5368b08a7d834ad9cafef4dda3a76d");
        assert_eq!(sha1_hex("corp"), "ee0bfd2552fbd840c02cc48b6e823320543c450f");
        let unsorted = json!({"b": [1, 2], "a": true});
        assert_eq!(dumps(&unsorted, false), r#"{"b": [1, 2], "a": true}"#);
    }
}
