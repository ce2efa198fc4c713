//! The JSON reporter: the summary, then every request's result (status, time, each assertion
//! with expected and actual, each capture, the diagnosis), for scripts and dashboards.

use super::super::runner::Report;
use super::Context;

pub fn render(report: &Report, cx: &Context) -> String {
    let started = time::OffsetDateTime::from(report.started)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let doc = serde_json::json!({
        "collection": cx.collection,
        "environment": cx.environment,
        "started": started,
        "summary": report.summary,
        "passed": report.summary.failed == 0,
        "results": report.results,
        "environmentCaptures": report.environment_captures,
        "warnings": report.warnings,
    });
    let mut text = serde_json::to_string_pretty(&doc).expect("a report always serializes");
    text.push('\n');
    text
}
