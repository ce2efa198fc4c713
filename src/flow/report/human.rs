//! The human reporter: one line per request as it finishes, and under a failure each failed
//! assertion with what was expected and what came back, failed captures, the diagnosis.
//!
//! ```text
//!   201     4ms  pets/create pet
//! ✗ 200     2ms  pets/get pet
//!       ✗ json .type == "cat"
//!           expected  == "cat"
//!           actual    "dog"
//! 3 requests, 1 failed · 8 assertions, 1 failed · 0 not sent, 0 transport errors · 0.01 s
//! ```

use super::super::runner::{Failure, StepResult, Summary};
use crate::text::visible_line;

/// The line (and failure details) of one finished request. `iterations` > 1 prefixes the
/// iteration's number.
pub fn step(r: &StepResult, iterations: usize) -> String {
    let mark = if r.passed() { ' ' } else { '✗' };
    let iteration = if iterations > 1 {
        format!("[{}] ", r.iteration + 1)
    } else {
        String::new()
    };
    let path = visible_line(&r.path);
    let mut out = match (&r.failure, r.status) {
        // No response: the transport diagnosis' kind, what happened, the first thing to try.
        (Some(Failure::Transport), _) if r.diagnosis.is_some() => {
            let d = r.diagnosis.as_ref().expect("checked");
            let mut line = format!(
                "{mark} ERR {:>7}  {iteration}{path}: no response ({}): {}",
                "-",
                d.kind,
                visible_line(&d.summary)
            );
            if let Some(step) = &d.next_step {
                line.push_str(&format!("\n      next: {}", visible_line(step)));
            }
            if let Some(note) = &r.pulled {
                line.push_str(&format!("\n      note: {}", visible_line(note)));
            }
            return line;
        }
        (Some(f), _) => {
            let what = match f {
                Failure::NotSent => "not sent",
                Failure::Credentials => "no credentials",
                Failure::Transport => "no response",
            };
            format!(
                "{mark} ERR {:>7}  {iteration}{path}: {what}: {}",
                "-",
                visible_line(r.error.as_deref().unwrap_or_default())
            )
        }
        (None, status) => format!(
            "{mark} {:<3} {:>7}  {iteration}{path}",
            status.map_or("-".into(), |s| s.to_string()),
            format!("{}ms", r.time_ms.unwrap_or(0)),
        ),
    };
    if let Some(d) = r.diagnosis.as_ref().filter(|_| !r.passed()) {
        out.push_str(&format!("  ({}: {})", d.kind, visible_line(&d.summary)));
    }
    if let Some(note) = &r.pulled {
        out.push_str(&format!("\n      note: {}", visible_line(note)));
    }
    if r.passed() {
        return out;
    }
    for a in r.assertions.iter().filter(|a| !a.passed) {
        out.push_str(&format!(
            "\n      ✗ {}\n          expected  {}\n          actual    {}",
            visible_line(&a.check),
            visible_line(&a.expected),
            visible_line(&a.actual)
        ));
    }
    for c in r.captures.iter().filter(|c| c.error.is_some()) {
        out.push_str(&format!(
            "\n      ✗ capture {} ← {}: {}",
            visible_line(&c.variable),
            visible_line(&c.source),
            visible_line(c.error.as_deref().unwrap_or_default())
        ));
    }
    out
}

/// The closing line. Its start, `N requests, M failed`, is what scripts grep for.
pub fn summary(s: &Summary) -> String {
    let mut line = format!(
        "{} requests, {} failed · {} assertions, {} failed",
        s.requests, s.failed, s.assertions, s.assertions_failed
    );
    if s.captures_failed > 0 {
        line.push_str(&format!(" · {} captures failed", s.captures_failed));
    }
    line.push_str(&format!(
        " · {} not sent, {} transport errors",
        s.not_sent, s.transport_errors
    ));
    if s.iterations > 1 {
        line.push_str(&format!(" · {} iterations", s.iterations));
    }
    if s.skipped > 0 {
        line.push_str(&format!(" · {} not run (--bail)", s.skipped));
    }
    line.push_str(&format!(" · {:.2} s", s.duration_ms as f64 / 1000.0));
    line
}
