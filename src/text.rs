//! Text that came from a file or the network, made safe to draw or print.
//!
//! A collection name or a response body can hold terminal control sequences (`ESC ]0;title BEL`
//! retitles the terminal, `ESC [2J` wipes it). Everything the CLI prints and the workbench draws
//! from such a source goes through `visible_text` (multi-line text) or `visible_line` (one
//! line), which show control characters as caret escapes the way `cat -v` and `less` do:
//! `ESC` is `^[`, `BEL` is `^G`, DEL is `^?`, and the C1 controls (U+0080–U+009F, which some
//! terminals also obey) are `<U+009B>`.

use std::borrow::Cow;

fn is_control(c: char, keep_layout: bool) -> bool {
    match c {
        '\n' | '\t' => !keep_layout,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        _ => false,
    }
}

fn escape(s: &str, keep_layout: bool) -> Cow<'_, str> {
    if !s.chars().any(|c| is_control(c, keep_layout)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !is_control(c, keep_layout) {
            out.push(c);
            continue;
        }
        match c {
            '\u{7f}' => out.push_str("^?"),
            '\u{0}'..='\u{1f}' => {
                out.push('^');
                out.push(char::from(c as u8 + b'@'));
            }
            _ => out.push_str(&format!("<U+{:04X}>", c as u32)),
        }
    }
    Cow::Owned(out)
}

/// Multi-line text (a body, an error message): newlines and tabs kept, every other control
/// character shown as an escape. A CR is escaped too: `\r` alone moves the cursor back over
/// what was printed.
pub fn visible_text(s: &str) -> Cow<'_, str> {
    if s.contains("\r\n") {
        return Cow::Owned(escape(&s.replace("\r\n", "\n"), true).into_owned());
    }
    escape(s, true)
}

/// One line (a name, a header value, a status line): every control character escaped,
/// newlines and tabs included.
pub fn visible_line(s: &str) -> Cow<'_, str> {
    escape(s, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_sequences_become_visible_escapes() {
        let hostile = "pets\u{1b}]0;owned\u{7}\u{1b}[2J";
        assert_eq!(visible_line(hostile), "pets^[]0;owned^G^[[2J");
        assert_eq!(visible_text("a\u{9b}31mb\u{7f}"), "a<U+009B>31mb^?");
    }

    #[test]
    fn layout_is_kept_in_text_but_not_in_a_line() {
        assert_eq!(visible_text("a\n\tb\r\nc"), "a\n\tb\nc");
        assert_eq!(visible_text("over\rwrite"), "over^Mwrite");
        assert_eq!(visible_line("a\nb\tc"), "a^Jb^Ic");
    }

    #[test]
    fn clean_text_is_borrowed() {
        assert!(matches!(visible_text("plain ü ✓"), Cow::Borrowed(_)));
        assert!(matches!(visible_line("plain"), Cow::Borrowed(_)));
    }
}
