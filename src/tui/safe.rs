//! Drawing text that came from a file or the network: names, URLs, headers and bodies go
//! through `crate::text::visible_line` / `visible_text` where they are drawn, session tokens
//! are masked, and as a last guard `scrub` clears any control character left in a frame
//! before it reaches the terminal (a widget drawing raw text, the text field being edited).

use ratatui::buffer::Buffer;
use std::borrow::Cow;

/// Shown in place of a session token until it is revealed.
pub const MASK: &str = "••••••";

/// Replaces control characters in the frame's cells: nothing drawn can retitle, clear or
/// reprogram the terminal.
pub fn scrub(buf: &mut Buffer) {
    for cell in buf.content.iter_mut() {
        if cell.symbol().chars().any(char::is_control) {
            let clean: String = cell
                .symbol()
                .chars()
                .map(|c| if c.is_control() { '?' } else { c })
                .collect();
            cell.set_symbol(&clean);
        }
    }
}

/// `text` with a session token (raw or URL-encoded) masked, unless `reveal`.
pub fn mask_token<'a>(text: &'a str, token: Option<&str>, reveal: bool) -> Cow<'a, str> {
    let Some(token) = token.filter(|t| !t.is_empty() && !reveal) else {
        return Cow::Borrowed(text);
    };
    let encoded = crate::sign::canonical::encode_component(token);
    if !text.contains(token) && !text.contains(encoded.as_str()) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.replace(token, MASK).replace(encoded.as_str(), MASK))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 4, 1));
        buf[(0, 0)].set_symbol("a\u{1b}");
        buf[(1, 0)].set_symbol("\u{7}");
        scrub(&mut buf);
        assert_eq!(buf[(0, 0)].symbol(), "a?");
        assert_eq!(buf[(1, 0)].symbol(), "?");
    }

    #[test]
    fn tokens_are_masked_raw_and_encoded_until_revealed() {
        let token = "IQoJb3Jp/Z2luX2VjE+abc=";
        let line = format!("x-amz-security-token:{token}");
        assert_eq!(
            mask_token(&line, Some(token), false),
            "x-amz-security-token:••••••"
        );
        let query = "X-Amz-Security-Token=IQoJb3Jp%2FZ2luX2VjE%2Babc%3D&x=1";
        assert_eq!(
            mask_token(query, Some(token), false),
            "X-Amz-Security-Token=••••••&x=1"
        );
        assert_eq!(mask_token(&line, Some(token), true), line);
        assert_eq!(mask_token(&line, None, false), line);
    }
}
