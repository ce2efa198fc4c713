//! Printing for the CLI. `println!` panics when standard output is a closed pipe
//! (`sigscope collections | head -1`); these end the program quietly instead, with status 0,
//! as ripgrep does. Any other write error on standard output (a full disk) is reported once
//! and exits 1. Writes to standard error never fail the program: there is nowhere left to
//! say anything.
//!
//! Text that came from a file or the network is passed through `crate::text::visible_line` /
//! `visible_text` by the callers before it reaches these.

use std::io::Write;

/// Ends the program after a failed write to standard output.
pub fn stdout_failed(e: &std::io::Error) -> ! {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(super::exit::OK);
    }
    let _ = writeln!(std::io::stderr(), "error: writing to standard output: {e}");
    std::process::exit(super::exit::USAGE);
}

pub fn stdout_fmt(args: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args) {
        stdout_failed(&e);
    }
}

pub fn stdout_bytes(bytes: &[u8]) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(bytes) {
        stdout_failed(&e);
    }
}

pub fn stderr_fmt(args: std::fmt::Arguments<'_>) {
    let _ = std::io::stderr().lock().write_fmt(args);
}

/// `println!` that ends quietly on a closed pipe.
macro_rules! outln {
    () => { $crate::cli::out::stdout_fmt(format_args!("\n")) };
    ($($arg:tt)*) => {
        $crate::cli::out::stdout_fmt(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `print!` that ends quietly on a closed pipe.
macro_rules! out {
    ($($arg:tt)*) => { $crate::cli::out::stdout_fmt(format_args!($($arg)*)) };
}

/// `eprintln!` that never panics.
macro_rules! errln {
    () => { $crate::cli::out::stderr_fmt(format_args!("\n")) };
    ($($arg:tt)*) => {
        $crate::cli::out::stderr_fmt(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `eprint!` that never panics.
macro_rules! err {
    ($($arg:tt)*) => { $crate::cli::out::stderr_fmt(format_args!($($arg)*)) };
}

/// Standard output as a `Write` whose closed pipe ends the program quietly (for streaming a
/// body), optionally showing control characters as escapes (when it is a terminal).
pub struct Stdout {
    escape: bool,
    /// An incomplete UTF-8 sequence or a CR left from the last chunk.
    carry: Vec<u8>,
}

impl Stdout {
    /// `escape`: show control characters as visible escapes (stdout is a terminal).
    pub fn new(escape: bool) -> Self {
        Self {
            escape,
            carry: Vec::new(),
        }
    }

    fn emit(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        if bytes.is_empty() {
            return Ok(());
        }
        let mut out = std::io::stdout().lock();
        if !self.escape {
            return out.write_all(bytes);
        }
        let text = String::from_utf8_lossy(bytes);
        out.write_all(crate::text::visible_text(&text).as_bytes())
    }
}

/// How many bytes at the end of `bytes` may be the start of a UTF-8 sequence or of a CRLF.
fn unfinished_tail(bytes: &[u8]) -> usize {
    if bytes.last() == Some(&b'\r') {
        return 1;
    }
    for back in 1..=3.min(bytes.len()) {
        let b = bytes[bytes.len() - back];
        if b & 0b1100_0000 == 0b1100_0000 {
            let needed = if b >= 0xf0 {
                4
            } else if b >= 0xe0 {
                3
            } else {
                2
            };
            return if needed > back { back } else { 0 };
        }
        if b & 0b1100_0000 != 0b1000_0000 {
            return 0;
        }
    }
    0
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let result = if self.escape {
            let mut bytes = std::mem::take(&mut self.carry);
            bytes.extend_from_slice(buf);
            let keep = unfinished_tail(&bytes);
            self.carry = bytes.split_off(bytes.len() - keep);
            self.emit(&bytes)
        } else {
            self.emit(buf)
        };
        if let Err(e) = result {
            stdout_failed(&e);
        }
        Ok(buf.len())
    }

    /// Called once, at the end of the body: writes what was held back.
    fn flush(&mut self) -> std::io::Result<()> {
        let rest = std::mem::take(&mut self.carry);
        if let Err(e) = self
            .emit(&rest)
            .and_then(|()| std::io::stdout().lock().flush())
        {
            stdout_failed(&e);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::unfinished_tail;

    #[test]
    fn a_split_utf8_sequence_or_crlf_waits_for_the_next_chunk() {
        assert_eq!(unfinished_tail("aé".as_bytes()), 0);
        assert_eq!(unfinished_tail(&"aé".as_bytes()[..2]), 1);
        assert_eq!(unfinished_tail(&"a✓".as_bytes()[..3]), 2);
        assert_eq!(unfinished_tail(b"line\r"), 1);
        assert_eq!(unfinished_tail(b"plain"), 0);
    }
}
