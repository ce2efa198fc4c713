//! Times as people and AWS write them: RFC 3339 (`2026-11-22T10:15:00Z`) or SigV4's basic
//! format (`20261122T101500Z`, the `X-Amz-Date` header). Core code (the 403 diagnosis, the
//! local gateway's verifier) and the CLI's `--at` share this one parser.

use std::time::SystemTime;

/// A text that is neither form of time.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a time: use RFC 3339 (2026-11-22T10:15:00Z) or 20261122T101500Z")]
pub struct TimeError(pub String);

/// RFC 3339 or `YYYYMMDDTHHMMSSZ`.
pub fn parse_time(s: &str) -> Result<SystemTime, TimeError> {
    if let Ok(t) = time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339) {
        return Ok(t.into());
    }
    let basic = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    time::PrimitiveDateTime::parse(s, &basic)
        .map(|t| t.assume_utc().into())
        .map_err(|_| TimeError(s.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn both_forms_name_the_same_instant() {
        let suite = SystemTime::UNIX_EPOCH + Duration::from_secs(1_440_938_160);
        assert_eq!(parse_time("20150830T123600Z"), Ok(suite));
        assert_eq!(parse_time("2015-08-30T12:36:00Z"), Ok(suite));
        assert_eq!(parse_time("2015-08-30T14:36:00+02:00"), Ok(suite));
    }

    #[test]
    fn anything_else_says_what_to_write() {
        let e = parse_time("yesterday").unwrap_err();
        assert!(e.to_string().contains("'yesterday' is not a time"), "{e}");
        assert!(parse_time("20150830T1236Z").is_err());
        assert!(parse_time("").is_err());
    }
}
