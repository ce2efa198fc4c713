//! Shell quoting for the command-line exports (curl, awscurl, HTTPie): every argument that
//! comes from a request goes through `quote`, so no method, URL, header or body can end a
//! quote, start a command substitution or expand a variable. The quoting is the `shlex`
//! crate's (POSIX sh, bash and zsh, interactive `!` and `^` included).

use super::ExportError;

/// One argument, quoted for a POSIX shell, always: a word shlex would leave bare (letters,
/// digits and `+-./:@]_` only) is single-quoted too, so every argument from a request reads
/// the same way. A NUL byte cannot be passed as an argument by any shell: that is the only
/// refusal.
pub fn quote(arg: &str) -> Result<String, ExportError> {
    let quoted = shlex::try_quote(arg).map_err(|_| ExportError::Unsupported {
        format: "shell",
        reason: "a NUL byte cannot be passed as a command-line argument".into(),
    })?;
    Ok(if quoted == arg {
        format!("'{arg}'")
    } else {
        quoted.into_owned()
    })
}

/// Joins words already quoted (or our own fixed shell text) into a command, one option per
/// continuation line when it is long.
pub fn join_lines(words: &[String]) -> String {
    let one_line = words.join(" ");
    if one_line.len() <= 100 {
        return one_line;
    }
    let mut out = String::new();
    let mut i = 0;
    while i < words.len() {
        if i > 0 {
            out.push_str(" \\\n  ");
        }
        out.push_str(&words[i]);
        // An option and its value stay on one line.
        if words[i].starts_with('-') && i + 1 < words.len() && !words[i + 1].starts_with('-') {
            out.push(' ');
            out.push_str(&words[i + 1]);
            i += 1;
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a POSIX shell makes of the quoted word, through shlex's own splitter (the real
    /// shell runs in tests/exports.rs).
    fn round_trip(s: &str) -> Vec<String> {
        shlex::split(&quote(s).unwrap()).unwrap()
    }

    #[test]
    fn hostile_strings_come_back_as_one_word_unchanged() {
        let hostile = [
            "X'",
            "'",
            "\"",
            "$(touch$IFS$HOME/pwned)",
            "`id`",
            "${HOME}",
            "a b\tc\nd",
            "'; rm -rf / #",
            "\\",
            "\\'",
            "!!",
            "^foo^bar",
            "*",
            "~",
            "{a,b}",
            "",
            "-X",
            "@~/.aws/credentials",
            "é\u{202e}漢字",
            "a\rb",
            "\x1b]0;title\x07",
        ];
        for s in hostile {
            assert_eq!(round_trip(s), vec![s.to_string()], "{s:?}");
            let q = quote(s).unwrap();
            assert!(q.starts_with('\'') || q.starts_with('"'), "{s:?} -> {q}");
        }
        assert!(quote("a\0b").is_err());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 3_000,
            failure_persistence: None,
            ..Default::default()
        })]

        /// Any argument without NUL comes back from the shell's splitting as itself.
        #[test]
        fn every_quoted_argument_splits_back_to_itself(s in "[^\\x00]{0,40}") {
            proptest::prop_assert_eq!(round_trip(&s), vec![s.clone()]);
        }
    }

    #[test]
    fn long_commands_break_between_options() {
        let words: Vec<String> = ["curl", "-X", "POST", "-H", &"a".repeat(100), "url"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let text = join_lines(&words);
        assert!(text.contains("-X POST \\\n"), "{text}");
        assert_eq!(
            crate::import::curl::shell_words(&text).unwrap(),
            words,
            "the continuation lines split back into the same words"
        );
    }
}
