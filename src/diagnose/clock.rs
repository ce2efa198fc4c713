//! The clock: how far a request's time is from the server's, said as people say durations,
//! and the warning shown on every exchange whose server `Date` drifts from our clock.

use crate::http::Response;

/// Seconds from the request time to the server time (`YYYYMMDDTHHMMSSZ`); positive when the
/// request is ahead.
pub fn skew(request_time: &str, server_time: &str) -> Option<i64> {
    let parse = |s: &str| crate::timestamp::parse_time(s).ok();
    let (a, b) = (parse(request_time)?, parse(server_time)?);
    Some(match a.duration_since(b) {
        Ok(d) => d.as_secs() as i64,
        Err(e) => -(e.duration().as_secs() as i64),
    })
}

pub(super) fn human_duration(secs: u64) -> String {
    if secs >= 3600 {
        format!("{}h{:02}m", secs / 3600, (secs % 3600) / 60)
    } else if secs >= 60 {
        format!("{}m{:02}s", secs / 60, secs % 60)
    } else {
        format!("{secs}s")
    }
}

/// A warning when our clock and the server's `Date` drift apart, checked on every exchange.
/// `window_secs` is 300 for API Gateway, 900 for most services.
pub fn clock_warning(
    response: &Response,
    sent_at: std::time::SystemTime,
    window_secs: u64,
) -> Option<String> {
    let date = httpdate::parse_http_date(response.header("date")?).ok()?;
    let (ahead, drift) = match sent_at.duration_since(date) {
        Ok(d) => (true, d.as_secs()),
        Err(e) => (false, e.duration().as_secs()),
    };
    // Date has a one-second resolution and the exchange takes time: allow a little.
    if drift < 60 {
        return None;
    }
    let direction = if ahead { "ahead of" } else { "behind" };
    Some(if drift >= window_secs {
        format!("your clock is {} {direction} the server's: signatures are outside its {}-minute window", human_duration(drift), window_secs / 60)
    } else {
        format!(
            "your clock is {} {direction} the server's; signatures fail past {} minutes",
            human_duration(drift),
            window_secs / 60
        )
    })
}
