//! `x-amz-date` text (`YYYYMMDDTHHMMSSZ`), written on every signing.

use std::time::{SystemTime, UNIX_EPOCH};

/// `YYYYMMDDTHHMMSSZ`, in UTC.
pub fn amz_date(time: SystemTime) -> String {
    let (year, month, day, seconds_of_day) = match civil_utc(time) {
        Some(parts) => parts,
        None => {
            let t = time::OffsetDateTime::from(time);
            let year = u32::try_from(t.year()).unwrap_or(0).min(9999);
            let seconds =
                u32::from(t.hour()) * 3600 + u32::from(t.minute()) * 60 + u32::from(t.second());
            (
                year,
                u32::from(u8::from(t.month())),
                u32::from(t.day()),
                seconds,
            )
        }
    };
    let mut out = String::with_capacity(16);
    push_digits(&mut out, year, 4);
    push_digits(&mut out, month, 2);
    push_digits(&mut out, day, 2);
    out.push('T');
    push_digits(&mut out, seconds_of_day / 3600, 2);
    push_digits(&mut out, seconds_of_day / 60 % 60, 2);
    push_digits(&mut out, seconds_of_day % 60, 2);
    out.push('Z');
    out
}

/// Year, month, day and second of the day of a time from 1970 to 9999, by integer arithmetic
/// (Howard Hinnant's `civil_from_days`): converting through `time::OffsetDateTime` showed in
/// the signing profile. `None` outside that range (the caller falls back to `time`).
fn civil_utc(time: SystemTime) -> Option<(u32, u32, u32, u32)> {
    let secs = time.duration_since(UNIX_EPOCH).ok()?.as_secs();
    if secs >= 253_402_300_800 {
        return None; // 10000-01-01
    }
    let days = secs / 86_400;
    let seconds_of_day = (secs % 86_400) as u32;
    // Days since 0000-03-01, in 400-year eras of 146,097 days.
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (year_of_era + era * 400 + u64::from(month <= 2)) as u32;
    Some((year, month, day, seconds_of_day))
}

/// `n` as exactly `width` decimal digits (runs on every signing; `format!` padding is slow).
fn push_digits(out: &mut String, n: u32, width: u32) {
    for place in (0..width).rev() {
        let digit = (n / 10u32.pow(place)) % 10;
        out.push(char::from(b'0' + digit as u8));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// What `time` gives, the reference the arithmetic must agree with.
    fn by_time_crate(time: SystemTime) -> String {
        let t = time::OffsetDateTime::from(time);
        format!(
            "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        )
    }

    #[test]
    fn the_arithmetic_agrees_with_the_time_crate() {
        let at = |secs: u64| UNIX_EPOCH + Duration::from_secs(secs);
        assert_eq!(amz_date(at(1_440_938_160)), "20150830T123600Z");
        assert_eq!(amz_date(at(0)), "19700101T000000Z");
        assert_eq!(amz_date(at(253_402_300_799)), "99991231T235959Z");
        // Every day boundary around leap days, centuries (2000 is a leap year, 2100 is not)
        // and the era edge, plus a spread of times across the whole range.
        let mut samples: Vec<u64> = Vec::new();
        for year_start in [951_868_800u64, 4_107_542_400, 4_102_444_800, 13_569_465_600] {
            for day in 0..800 {
                let t = year_start - 400 * 86_400 + day * 86_400;
                samples.extend([t, t + 86_399, t + 43_210]);
            }
        }
        samples.extend((0..20_000u64).map(|i| i * 12_670_000_037 % 253_402_300_800));
        for secs in samples {
            assert_eq!(amz_date(at(secs)), by_time_crate(at(secs)), "{secs}");
        }
    }

    #[test]
    fn times_outside_the_fast_range_use_the_time_crate() {
        let before = UNIX_EPOCH - Duration::from_secs(86_400 * 365 + 1);
        assert_eq!(amz_date(before), by_time_crate(before));
        assert_eq!(amz_date(before), "19681231T235959Z");
    }
}
