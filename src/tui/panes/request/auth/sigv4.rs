//! AWS SigV4: profile, region and service (empty: inferred, shown as what they resolve to),
//! how the payload is signed, where the signature goes (headers or a presigned query) and
//! for how long, path normalization, a clock offset to show skew, and the headers a proxy may
//! change (sent, not signed) that this request signs all the same.

use super::AuthKind;
use crate::model::collection::SignatureIn;
use crate::model::Auth;
use crate::sign::PayloadMode;
use crate::tui::panes::request::RowKind;
use crate::tui::state::State;

const PROFILE: RowKind = RowKind::Field(1);
const REGION: RowKind = RowKind::Field(2);
const SERVICE: RowKind = RowKind::Field(3);
const PAYLOAD: RowKind = RowKind::Choice(4);
const LOCATION: RowKind = RowKind::Choice(5);
const EXPIRES: RowKind = RowKind::Field(6);
const NORMALIZE: RowKind = RowKind::Choice(7);
const CLOCK_OFFSET: RowKind = RowKind::Field(8);
const SIGN_HEADERS: RowKind = RowKind::Field(9);

pub struct Sigv4;

/// The next of `all` after `now` (the first when `now` is not among them).
fn next<T: PartialEq + Clone>(all: &[T], now: &T) -> T {
    let i = all
        .iter()
        .position(|x| x == now)
        .map(|i| i + 1)
        .unwrap_or(0);
    all[i % all.len()].clone()
}

fn seconds(s: &str) -> Result<Option<i64>, String> {
    match s.trim() {
        "" => Ok(None),
        t => t
            .parse()
            .map(Some)
            .map_err(|_| format!("'{t}' is not a whole number of seconds")),
    }
}

impl AuthKind for Sigv4 {
    fn name(&self) -> &'static str {
        "aws-sigv4"
    }

    fn is(&self, auth: &Auth) -> bool {
        matches!(auth, Auth::AwsSigv4 { .. })
    }

    fn fresh(&self) -> Auth {
        Auth::AwsSigv4 {
            profile: None,
            region: None,
            service: None,
            payload: None,
            location: None,
            expires_seconds: None,
            normalize_path: None,
            clock_offset_seconds: None,
            sign_headers: Vec::new(),
        }
    }

    fn rows(&self) -> Vec<RowKind> {
        vec![
            PROFILE,
            REGION,
            SERVICE,
            PAYLOAD,
            LOCATION,
            EXPIRES,
            NORMALIZE,
            CLOCK_OFFSET,
            SIGN_HEADERS,
        ]
    }

    fn label(&self, row: RowKind) -> &'static str {
        match row {
            PROFILE => "Profile",
            REGION => "Region",
            SERVICE => "Service",
            PAYLOAD => "Payload",
            LOCATION => "Signature in",
            EXPIRES => "Expires (s)",
            NORMALIZE => "Normalize path",
            SIGN_HEADERS => "Sign headers",
            _ => "Clock offset (s)",
        }
    }

    fn get(&self, auth: &Auth, row: RowKind) -> String {
        let Auth::AwsSigv4 {
            profile,
            region,
            service,
            expires_seconds,
            clock_offset_seconds,
            sign_headers,
            ..
        } = auth
        else {
            return String::new();
        };
        let text = |o: &Option<String>| o.clone().unwrap_or_default();
        match row {
            SIGN_HEADERS => sign_headers.join(", "),
            PROFILE => text(profile),
            REGION => text(region),
            SERVICE => text(service),
            EXPIRES => expires_seconds.map(|n| n.to_string()).unwrap_or_default(),
            CLOCK_OFFSET => clock_offset_seconds
                .map(|n| n.to_string())
                .unwrap_or_default(),
            _ => String::new(),
        }
    }

    fn set(&self, auth: &mut Auth, row: RowKind, value: &str) -> Result<(), String> {
        let Auth::AwsSigv4 {
            profile,
            region,
            service,
            expires_seconds,
            clock_offset_seconds,
            sign_headers,
            ..
        } = auth
        else {
            return Ok(());
        };
        let some = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
        match row {
            PROFILE => *profile = some(value),
            REGION => *region = some(value),
            SERVICE => *service = some(value),
            EXPIRES => {
                let n = seconds(value)?;
                if matches!(n, Some(n) if !(1..=604_800).contains(&n)) {
                    return Err("a presigned URL lasts 1 to 604800 seconds (7 days)".into());
                }
                *expires_seconds = n.map(|n| n as u64);
            }
            CLOCK_OFFSET => *clock_offset_seconds = seconds(value)?,
            SIGN_HEADERS => *sign_headers = header_names(value)?,
            _ => {}
        }
        Ok(())
    }

    fn cycle(&self, auth: &mut Auth, row: RowKind) {
        let Auth::AwsSigv4 {
            payload,
            location,
            normalize_path,
            ..
        } = auth
        else {
            return;
        };
        match row {
            PAYLOAD => {
                *payload = next(
                    &[
                        None,
                        Some(PayloadMode::Signed),
                        Some(PayloadMode::Unsigned),
                        Some(PayloadMode::SignedHeader),
                    ],
                    payload,
                )
            }
            LOCATION => {
                *location = next(
                    &[None, Some(SignatureIn::Headers), Some(SignatureIn::Query)],
                    location,
                )
            }
            NORMALIZE => *normalize_path = next(&[None, Some(true), Some(false)], normalize_path),
            _ => {}
        }
    }

    fn choice_text(&self, auth: &Auth, row: RowKind) -> String {
        let Auth::AwsSigv4 {
            payload,
            location,
            normalize_path,
            ..
        } = auth
        else {
            return String::new();
        };
        let text = match row {
            PAYLOAD => payload.map(|p| match p {
                PayloadMode::Signed => "signed",
                PayloadMode::Unsigned => "unsigned",
                PayloadMode::SignedHeader => "signed + x-amz-content-sha256",
            }),
            LOCATION => location.map(|l| match l {
                SignatureIn::Headers => "headers",
                SignatureIn::Query => "presigned query",
            }),
            _ => normalize_path.map(|n| if n { "yes" } else { "no (S3 style)" }),
        };
        text.unwrap_or("default").to_string()
    }

    /// Empty region and service are inferred; an empty profile is the chosen one or the
    /// chain's.
    fn hint(&self, row: RowKind, st: &State) -> Option<String> {
        match row {
            REGION | SERVICE => st
                .scope
                .as_ref()
                .map(|(r, s)| format!("auto → {}", if row == REGION { r } else { s })),
            PROFILE => Some(format!(
                "default → {}",
                (st.profile.as_deref()).unwrap_or("the environment's, else the AWS CLI chain")
            )),
            // What a name typed here would sign: the headers sent, not signed, now.
            SIGN_HEADERS => Some(match st.trace().map(|t| &t.unsigned_headers) {
                Some(names) if !names.is_empty() => {
                    format!("none (unsigned: {})", names.join(", "))
                }
                _ => "none (e.g. connection)".into(),
            }),
            _ => None,
        }
    }
}

/// `Connection, te` → `["connection", "te"]`: names split on commas or spaces, lowercased,
/// each once.
fn header_names(value: &str) -> Result<Vec<String>, String> {
    let mut names: Vec<String> = Vec::new();
    for name in value
        .split([',', ' '])
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        if !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
        {
            return Err(format!("'{name}' is not a header name"));
        }
        let name = name.to_ascii_lowercase();
        if !names.contains(&name) {
            names.push(name);
        }
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_checked_and_choices_cycle() {
        let mut a = Sigv4.fresh();
        assert!(Sigv4.set(&mut a, EXPIRES, "9999999").is_err());
        assert!(Sigv4.set(&mut a, CLOCK_OFFSET, "soon").is_err());
        Sigv4.set(&mut a, CLOCK_OFFSET, "-600").unwrap();
        Sigv4.set(&mut a, REGION, " eu-west-1 ").unwrap();
        assert_eq!(Sigv4.get(&a, REGION), "eu-west-1");
        assert_eq!(Sigv4.get(&a, CLOCK_OFFSET), "-600");
        Sigv4.cycle(&mut a, LOCATION);
        assert_eq!(Sigv4.choice_text(&a, LOCATION), "headers");
        Sigv4.cycle(&mut a, LOCATION);
        assert_eq!(Sigv4.choice_text(&a, LOCATION), "presigned query");
        assert_eq!(Sigv4.choice_text(&a, NORMALIZE), "default");
        Sigv4
            .set(&mut a, SIGN_HEADERS, "Connection, te  connection")
            .unwrap();
        assert_eq!(Sigv4.get(&a, SIGN_HEADERS), "connection, te");
        assert!(Sigv4.set(&mut a, SIGN_HEADERS, "x-a: b").is_err());
        assert_eq!(
            Sigv4.get(&a, SIGN_HEADERS),
            "connection, te",
            "a bad list is not applied"
        );
        Sigv4.set(&mut a, SIGN_HEADERS, " ").unwrap();
        assert_eq!(Sigv4.get(&a, SIGN_HEADERS), "");
    }
}
