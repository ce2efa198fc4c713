//! Pretty-printing by re-indenting the text in one pass, never building a tree: the output
//! keeps every scalar byte for byte (numbers are not re-rounded, key order is kept), and a
//! 50 MB body costs one output buffer.

/// Re-indents JSON with two spaces. `None` when the text is not one well-nested JSON value
/// (the caller then shows it as received).
pub fn json(input: &[u8]) -> Option<Vec<u8>> {
    format_json(input, false)
}

/// The first lines of `input` re-indented as `json` would, from at most `max_in` bytes of it:
/// a large body's first screen, shown while the whole of it is formatted. Only whole lines;
/// `None` when that part is already not JSON.
pub fn json_head(input: &[u8], max_in: usize) -> Option<Vec<u8>> {
    let mut out = format_json(&input[..input.len().min(max_in)], true)?;
    if input.len() > max_in {
        // The last line may be cut mid-value: keep whole lines only.
        let end = memchr::memrchr(b'\n', &out).unwrap_or(0);
        out.truncate(end);
    }
    Some(out)
}

fn format_json(input: &[u8], partial: bool) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(input.len() + input.len() / 2);
    let mut depth: usize = 0;
    let mut stack: Vec<u8> = Vec::new();
    let mut i = 0;
    let n = input.len();
    // After `{` or `[`: the next value goes on a new line unless the container is empty.
    let mut just_opened = false;
    let mut seen_value = false;
    let newline = |out: &mut Vec<u8>, depth: usize| {
        out.push(b'\n');
        out.resize(out.len() + depth * 2, b' ');
    };
    while i < n {
        let b = input[i];
        match b {
            b' ' | b'\t' | b'\r' | b'\n' => {
                i += 1;
                continue;
            }
            b'{' | b'[' => {
                if just_opened {
                    newline(&mut out, depth);
                }
                if stack.is_empty() && seen_value {
                    return None;
                }
                out.push(b);
                stack.push(if b == b'{' { b'}' } else { b']' });
                depth += 1;
                just_opened = true;
                i += 1;
                continue;
            }
            b'}' | b']' => {
                if stack.pop() != Some(b) {
                    return None;
                }
                depth -= 1;
                if !just_opened {
                    newline(&mut out, depth);
                }
                out.push(b);
                just_opened = false;
                seen_value = true;
                i += 1;
                continue;
            }
            _ => {}
        }
        if just_opened {
            newline(&mut out, depth);
            just_opened = false;
        }
        match b {
            b',' => {
                if stack.is_empty() {
                    return None;
                }
                out.push(b',');
                newline(&mut out, depth);
                i += 1;
            }
            b':' => {
                if stack.last() != Some(&b'}') {
                    return None;
                }
                out.extend_from_slice(b": ");
                i += 1;
            }
            b'"' => {
                // Copy the string, escapes included, in chunks between quotes and backslashes.
                let start = i;
                i += 1;
                loop {
                    match memchr::memchr2(b'"', b'\\', &input[i..]) {
                        None if partial => return Some(out),
                        None => return None,
                        Some(k) if input[i + k] == b'\\' => i += k + 2,
                        Some(k) => {
                            i += k + 1;
                            break;
                        }
                    }
                    if i > n {
                        return partial.then_some(out);
                    }
                }
                if stack.is_empty() && seen_value {
                    return None;
                }
                out.extend_from_slice(&input[start..i]);
                seen_value = true;
            }
            b'-' | b'0'..=b'9' | b't' | b'f' | b'n' => {
                let start = i;
                while i < n
                    && matches!(input[i], b'-' | b'+' | b'.' | b'0'..=b'9' | b'a'..=b'z' | b'E')
                {
                    i += 1;
                }
                let word = &input[start..i];
                let scalar = matches!(word, b"true" | b"false" | b"null")
                    || (word[0] != b't'
                        && word[0] != b'f'
                        && word[0] != b'n'
                        && word
                            .iter()
                            .all(|c| matches!(c, b'-' | b'+' | b'.' | b'0'..=b'9' | b'e' | b'E')));
                if !scalar || (stack.is_empty() && seen_value) {
                    return None;
                }
                out.extend_from_slice(word);
                seen_value = true;
            }
            _ => return None,
        }
    }
    (partial || (stack.is_empty() && seen_value)).then_some(out)
}

/// Indents XML by element nesting; an element holding only text stays on one line.
/// `None` when the text does not look like XML or its tags do not nest.
pub fn xml(input: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(input).ok()?;
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut depth: usize = 0;
    let mut rest = text.trim();
    let mut open: Vec<&str> = Vec::new();
    while !rest.is_empty() {
        if rest.starts_with('<') {
            let end = if rest.starts_with("<!--") {
                rest.find("-->")? + 3
            } else if rest.starts_with("<![CDATA[") {
                rest.find("]]>")? + 3
            } else {
                rest.find('>')? + 1
            };
            let tag = &rest[..end];
            rest = rest[end..].trim_start();
            if let Some(name) = tag.strip_prefix("</") {
                let name = name.trim_end_matches('>').trim();
                if open.pop()? != name {
                    return None;
                }
                depth = depth.saturating_sub(1);
                indent(&mut out, depth);
                out.push_str(tag);
                continue;
            }
            indent(&mut out, depth);
            out.push_str(tag);
            let opens = !(tag.ends_with("/>") || tag.starts_with("<?") || tag.starts_with("<!"));
            if opens {
                let name = tag[1..tag.len() - 1]
                    .split(|c: char| c.is_whitespace() || c == '/')
                    .next()
                    .unwrap_or_default();
                // `<Code>text</Code>` stays on one line.
                let close = format!("</{name}>");
                if let Some(text_end) = rest.find('<') {
                    if rest[text_end..].starts_with(&close) {
                        out.push_str(rest[..text_end].trim_end());
                        out.push_str(&close);
                        rest = rest[text_end + close.len()..].trim_start();
                        continue;
                    }
                }
                open.push(name);
                depth += 1;
            }
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            indent(&mut out, depth);
            out.push_str(rest[..end].trim_end());
            rest = &rest[end..];
        }
    }
    if !open.is_empty() || out.is_empty() {
        return None;
    }
    Some(out.trim_start().as_bytes().to_vec())
}

fn indent(out: &mut String, depth: usize) {
    out.push('\n');
    for _ in 0..depth {
        out.push_str("  ");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pretty(s: &str) -> Option<String> {
        json(s.as_bytes()).map(|v| String::from_utf8(v).unwrap())
    }

    #[test]
    fn json_is_reindented_and_agrees_with_serde() {
        let input = r#"{"a":[1,2.50,{"b":"x\"y,:{"}],"e":{},"f":[],"g":null,"h":-1e5,"i":true}"#;
        let ours = pretty(input).unwrap();
        let v: serde_json::Value = serde_json::from_str(input).unwrap();
        // serde re-renders 2.50 as 2.5; we keep the bytes as sent.
        assert_eq!(
            ours.replace("2.50", "2.5").replace("-1e5", "-100000.0"),
            serde_json::to_string_pretty(&v).unwrap()
        );
        assert!(ours.contains("\"b\": \"x\\\"y,:{\""), "{ours}");
    }

    #[test]
    fn the_head_of_a_large_body_is_the_start_of_its_whole_form() {
        let items: Vec<String> = (0..2000)
            .map(|i| format!("{{\"id\":{i},\"name\":\"pet \\\"{i}\\\"\",\"tags\":[\"a\"]}}"))
            .collect();
        let body = format!("[{}]", items.join(","));
        let whole = json(body.as_bytes()).unwrap();
        for cut in [10, 999, 4096, 65_536] {
            let head = json_head(body.as_bytes(), cut).unwrap();
            assert!(whole.starts_with(&head), "cut at {cut}");
            assert!(
                head.is_empty() || whole[head.len()] == b'\n',
                "whole lines only"
            );
        }
        assert_eq!(json_head(body.as_bytes(), usize::MAX).unwrap(), whole);
        assert_eq!(json_head(b"not json at all", 8), None);
    }

    #[test]
    fn broken_json_is_refused() {
        for bad in [
            "{",
            "[1,2",
            "{\"a\":1]",
            "\"open",
            "1 2",
            "{} {}",
            "hello",
            "",
            "[tru]",
        ] {
            assert_eq!(pretty(bad), None, "{bad}");
        }
        assert_eq!(pretty(" 42 ").as_deref(), Some("42"));
    }

    #[test]
    fn xml_nests_and_keeps_text_elements_on_one_line() {
        let x = r#"<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message><Empty/></Error>"#;
        let p = String::from_utf8(xml(x.as_bytes()).unwrap()).unwrap();
        assert_eq!(
            p,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <Code>AccessDenied</Code>\n  <Message>Access Denied</Message>\n  <Empty/>\n</Error>"
        );
        assert_eq!(xml(b"<a><b></a>"), None);
        assert_eq!(xml(b"not xml <"), None);
    }
}
