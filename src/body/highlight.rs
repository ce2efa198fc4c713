//! Token kinds for one visible line of JSON or XML: the view colours them from the theme.
//! Only visible lines are ever tokenized, so the cost does not grow with the body.

use super::BodyKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token {
    Plain,
    Key,
    String,
    Number,
    Literal,
    Punctuation,
    Tag,
    Attribute,
}

/// Splits `line` into (kind, byte range) spans that cover it.
pub fn spans(kind: BodyKind, line: &str) -> Vec<(Token, std::ops::Range<usize>)> {
    match kind {
        BodyKind::Json => json(line),
        BodyKind::Xml => xml(line),
        _ => vec![(Token::Plain, 0..line.len())],
    }
}

fn json(line: &str) -> Vec<(Token, std::ops::Range<usize>)> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let start = i;
        let token = match b[i] {
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(b.len());
                let rest = line[i..].trim_start();
                if rest.starts_with(':') {
                    Token::Key
                } else {
                    Token::String
                }
            }
            b'-' | b'0'..=b'9' => {
                while i < b.len() && matches!(b[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                {
                    i += 1;
                }
                Token::Number
            }
            b't' | b'f' | b'n'
                if b[i..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphabetic())
                    .count()
                    > 0 =>
            {
                while i < b.len() && b[i].is_ascii_alphabetic() {
                    i += 1;
                }
                Token::Literal
            }
            b'{' | b'}' | b'[' | b']' | b',' | b':' => {
                i += 1;
                Token::Punctuation
            }
            _ => {
                while i < b.len()
                    && !matches!(
                        b[i],
                        b'"' | b'{' | b'}' | b'[' | b']' | b',' | b':' | b'-' | b'0'
                            ..=b'9' | b't' | b'f' | b'n'
                    )
                {
                    i += 1;
                }
                if i == start {
                    i += 1;
                }
                Token::Plain
            }
        };
        let i_char = ceil_char(line, i);
        i = i_char;
        push(&mut out, token, start..i);
    }
    out
}

fn xml(line: &str) -> Vec<(Token, std::ops::Range<usize>)> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let start = i;
        if b[i] == b'<' {
            // The tag name, then attributes and their values, then the close.
            while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                i += 1;
            }
            push(&mut out, Token::Tag, start..i);
            while i < b.len() && b[i] != b'>' {
                let s = i;
                if b[i] == b'"' || b[i] == b'\'' {
                    let q = b[i];
                    i += 1;
                    while i < b.len() && b[i] != q {
                        i += 1;
                    }
                    i = (i + 1).min(b.len());
                    push(&mut out, Token::String, s..ceil_char(line, i));
                } else {
                    while i < b.len() && !matches!(b[i], b'"' | b'\'' | b'>') {
                        i += 1;
                    }
                    push(&mut out, Token::Attribute, s..ceil_char(line, i));
                }
                i = ceil_char(line, i);
            }
            if i < b.len() {
                push(&mut out, Token::Tag, i..i + 1);
                i += 1;
            }
        } else {
            while i < b.len() && b[i] != b'<' {
                i += 1;
            }
            push(&mut out, Token::Plain, start..ceil_char(line, i));
            i = ceil_char(line, i);
        }
    }
    out
}

fn ceil_char(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i.min(s.len())
}

fn push(out: &mut Vec<(Token, std::ops::Range<usize>)>, t: Token, r: std::ops::Range<usize>) {
    if r.is_empty() {
        return;
    }
    match out.last_mut() {
        Some((last, prev)) if *last == t && prev.end == r.start => prev.end = r.end,
        _ => out.push((t, r)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(kind: BodyKind, line: &str) -> Vec<(Token, &str)> {
        spans(kind, line)
            .into_iter()
            .map(|(t, r)| (t, &line[r]))
            .filter(|(_, s)| !s.trim().is_empty())
            .collect()
    }

    #[test]
    fn json_lines_are_split_into_keys_strings_numbers_and_literals() {
        assert_eq!(
            kinds(
                BodyKind::Json,
                r#"  "name": "Fido \"2\"", "age": -3.5e2, "ok": true,"#
            ),
            vec![
                (Token::Key, r#""name""#),
                (Token::Punctuation, ":"),
                (Token::String, r#""Fido \"2\"""#),
                (Token::Punctuation, ","),
                (Token::Key, r#""age""#),
                (Token::Punctuation, ":"),
                (Token::Number, "-3.5e2"),
                (Token::Punctuation, ","),
                (Token::Key, r#""ok""#),
                (Token::Punctuation, ":"),
                (Token::Literal, "true"),
                (Token::Punctuation, ","),
            ]
        );
        // Spans cover the line exactly, multi-byte characters included.
        let line = r#"{"é": "ü"}"#;
        let covered: usize = spans(BodyKind::Json, line)
            .iter()
            .map(|(_, r)| r.len())
            .sum();
        assert_eq!(covered, line.len());
    }

    #[test]
    fn xml_lines_show_tags_attributes_and_text() {
        assert_eq!(
            kinds(BodyKind::Xml, r#"<Error code="x">Denied</Error>"#),
            vec![
                (Token::Tag, "<Error"),
                (Token::Attribute, " code="),
                (Token::String, "\"x\""),
                (Token::Tag, ">"),
                (Token::Plain, "Denied"),
                (Token::Tag, "</Error>"),
            ]
        );
    }
}
