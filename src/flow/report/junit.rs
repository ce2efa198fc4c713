//! The JUnit XML reporter, in the shape Jenkins, GitLab and GitHub's test reporters read (the
//! Ant/Jenkins schema): `<testsuites>`, one `<testsuite>` per iteration, one `<testcase>` per
//! request with a `<failure>` (assertions or captures that failed, expected against actual)
//! or an `<error>` (nothing sent, or no response).

use super::super::runner::{Failure, Report, StepResult};
use super::Context;
use std::fmt::Write;

/// Text as XML character data or an attribute value: markup escaped, and the characters XML
/// 1.0 cannot hold at all (most controls) shown as escapes instead.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' => out.push_str("&#9;"),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {
                let _ = write!(out, "\\u{{{:04x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// The `classname` of a request: the collection and its folders, dot-separated.
fn classname(collection: &str, path: &str) -> String {
    let mut parts: Vec<&str> = path.split('/').collect();
    parts.pop();
    std::iter::once(collection)
        .chain(parts)
        .collect::<Vec<_>>()
        .join(".")
}

fn failure_text(r: &StepResult) -> (String, String) {
    let mut lines = Vec::new();
    let mut first = None;
    for a in r.assertions.iter().filter(|a| !a.passed) {
        first.get_or_insert_with(|| format!("{}: actual {}", a.check, a.actual));
        lines.push(format!(
            "✗ {}\n    expected  {}\n    actual    {}",
            a.check, a.expected, a.actual
        ));
    }
    for c in r.captures.iter().filter(|c| c.error.is_some()) {
        let e = c.error.as_deref().unwrap_or_default();
        first.get_or_insert_with(|| format!("capture {}: {e}", c.variable));
        lines.push(format!("✗ capture {} ← {}: {e}", c.variable, c.source));
    }
    if let Some(d) = &r.diagnosis {
        lines.push(format!("diagnosis: {}: {}", d.kind, d.summary));
    }
    (first.unwrap_or_default(), lines.join("\n"))
}

fn testcase(out: &mut String, collection: &str, r: &StepResult) {
    let _ = write!(
        out,
        "    <testcase name=\"{}\" classname=\"{}\" time=\"{:.3}\"",
        escape(&format!("{} {}", r.method, r.path)),
        escape(&classname(collection, &r.path)),
        r.seconds()
    );
    if r.passed() {
        out.push_str("/>\n");
        return;
    }
    out.push_str(">\n");
    match &r.failure {
        Some(f) => {
            let kind = match f {
                Failure::NotSent => "not-sent",
                Failure::Credentials => "credentials",
                Failure::Transport => "transport",
            };
            let error = r.error.as_deref().unwrap_or_default();
            let _ = writeln!(
                out,
                "      <error message=\"{}\" type=\"{kind}\">{}</error>",
                escape(error),
                escape(&format!("{} {}\n{error}", r.method, r.url))
            );
        }
        None => {
            let (message, text) = failure_text(r);
            let _ = writeln!(
                out,
                "      <failure message=\"{}\" type=\"assertion\">{}</failure>",
                escape(&message),
                escape(&text)
            );
        }
    }
    out.push_str("    </testcase>\n");
}

pub fn render(report: &Report, cx: &Context) -> String {
    let s = &report.summary;
    let errors = |rs: &[&StepResult]| rs.iter().filter(|r| r.failure.is_some()).count();
    let failures = |rs: &[&StepResult]| {
        rs.iter()
            .filter(|r| r.failure.is_none() && !r.passed())
            .count()
    };
    let all: Vec<&StepResult> = report.results.iter().collect();
    let timestamp = time::OffsetDateTime::from(report.started)
        .format(&time::macros::format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second]"
        ))
        .unwrap_or_default();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{:.3}\">",
        escape(&format!("sigscope run {}", cx.collection)),
        all.len(),
        failures(&all),
        errors(&all),
        s.duration_ms as f64 / 1000.0
    );
    let iterations = s.iterations.max(1);
    for i in 0..iterations {
        let rs: Vec<&StepResult> = all.iter().copied().filter(|r| r.iteration == i).collect();
        if rs.is_empty() && i > 0 {
            continue;
        }
        let name = if iterations > 1 {
            format!("{} (iteration {})", cx.collection, i + 1)
        } else {
            cx.collection.to_string()
        };
        let time: f64 = rs.iter().map(|r| r.seconds()).sum();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\" time=\"{time:.3}\" timestamp=\"{timestamp}\" id=\"{i}\">",
            escape(&name),
            rs.len(),
            failures(&rs),
            errors(&rs),
        );
        if let Some(env) = cx.environment {
            let _ = writeln!(
                out,
                "    <properties>\n      <property name=\"environment\" value=\"{}\"/>\n    </properties>",
                escape(env)
            );
        }
        for r in rs {
            testcase(&mut out, cx.collection, r);
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_xml() {
        assert_eq!(
            escape("a<b>&\"c\"'\n\u{1b}[2J"),
            "a&lt;b&gt;&amp;&quot;c&quot;&apos;&#10;\\u{001b}[2J"
        );
        assert_eq!(classname("pets", "flow/sub/get"), "pets.flow.sub");
        assert_eq!(classname("pets", "get"), "pets");
    }
}
