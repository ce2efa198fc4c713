//! Arguments shared by `sign`, `send` and `doctor`: a curl-like request and the signing options.

use crate::aws::credentials::{
    chain_region, resolve_with, CredentialError, CredentialSpec, Credentials,
};
use crate::aws::endpoint;
use crate::sign::{Location, PayloadMode, SessionTokenMode, SigningSettings, WireRequest};
use anyhow::{bail, Context, Result};
use clap::Args;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

#[derive(Debug, Args, Clone)]
pub struct RequestArgs {
    /// The URL (not needed with --raw).
    pub url: Option<String>,
    /// HTTP method (default GET, or POST when a body is given).
    #[arg(short = 'X', long = "request")]
    pub method: Option<String>,
    /// A header, 'Name: value'. Repeatable.
    #[arg(short = 'H', long = "header")]
    pub headers: Vec<String>,
    /// Body text, or @FILE to read a file.
    #[arg(short = 'd', long = "data")]
    pub data: Option<String>,
    /// Body bytes exactly as given, or @FILE.
    #[arg(long = "data-binary")]
    pub data_binary: Option<String>,
    /// Read the whole request from a raw HTTP/1.1 text file ('-' for stdin): request line,
    /// headers (Host required), blank line, body.
    #[arg(long, conflicts_with_all = ["url", "method", "data", "data_binary"])]
    pub raw: Option<PathBuf>,
    /// Scheme to assume for --raw requests.
    #[arg(long, default_value = "https", requires = "raw")]
    pub scheme: String,
}

#[derive(Debug, Args, Clone, Default)]
pub struct SigningArgs {
    /// Signing region (default: inferred from the host, else AWS_REGION / the profile's region).
    #[arg(long)]
    pub region: Option<String>,
    /// Signing service name, e.g. execute-api, lambda, s3 (default: inferred from the host).
    #[arg(long)]
    pub service: Option<String>,
    /// AWS profile (default: AWS_PROFILE, then the default chain).
    #[arg(long)]
    pub profile: Option<String>,
    /// Signing time: RFC 3339 or YYYYMMDDTHHMMSSZ (default: now).
    #[arg(long)]
    pub at: Option<String>,
    /// Send and sign an x-amz-content-sha256 header with the body hash.
    #[arg(long, conflicts_with = "unsigned_payload")]
    pub sign_body: bool,
    /// Use UNSIGNED-PAYLOAD instead of the body hash.
    #[arg(long)]
    pub unsigned_payload: bool,
    /// Don't normalize the path (dot segments, duplicate slashes) in the canonical request.
    #[arg(long)]
    pub no_normalize_path: bool,
    /// Append the session token after signing instead of signing it.
    #[arg(long)]
    pub omit_session_token: bool,
    /// Presign into the query string, valid for SECONDS (1 to 604800, SigV4's 7 days).
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=MAX_PRESIGN_SECS))]
    pub presign: Option<u64>,
    /// A header to send without signing it. Repeatable.
    #[arg(long = "unsigned-header", value_name = "NAME")]
    pub unsigned_headers: Vec<String>,
    /// Sign a header that is normally sent unsigned because proxies change it (Connection,
    /// Cache-Control, Expect, proxy-*, ...). Repeatable.
    #[arg(long = "sign-header", value_name = "NAME")]
    pub sign_headers: Vec<String>,
    /// Show the session token in output instead of a redaction marker.
    #[arg(long)]
    pub show_token: bool,
    /// MFA code for a profile's role behind MFA (asked on a terminal when not given; not
    /// needed while the AWS CLI's cached credentials for the role last).
    #[arg(long, value_name = "CODE")]
    pub mfa_code: Option<String>,
}

/// SigV4 presigned URLs are valid for at most 7 days.
pub const MAX_PRESIGN_SECS: u64 = 7 * 24 * 3600;
/// The longest `--timeout`: a day.
pub const MAX_TIMEOUT_SECS: f64 = 24.0 * 3600.0;

/// A `--timeout`, checked: a finite number of seconds from 0.001 to a day.
#[derive(Debug, Clone, Copy)]
pub struct Timeout(pub Duration);

/// Parses a `--timeout`. `inf`, `NaN`, `1e300`, `0` and `-5` are refused with a message;
/// `Duration::from_secs_f64` would panic on the first ones.
pub fn parse_timeout(s: &str) -> std::result::Result<Timeout, String> {
    let secs: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("'{s}' is not a number of seconds (e.g. 30 or 2.5)"))?;
    if !secs.is_finite() || !(0.001..=MAX_TIMEOUT_SECS).contains(&secs) {
        return Err(format!(
            "'{s}' is out of range: give a number of seconds from 0.001 to {MAX_TIMEOUT_SECS} (a day)"
        ));
    }
    Ok(Timeout(Duration::from_secs_f64(secs)))
}

fn read_data(arg: &str) -> Result<Vec<u8>> {
    if let Some(path) = arg.strip_prefix('@') {
        if path == "-" {
            let mut buf = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf)?;
            return Ok(buf);
        }
        return std::fs::read(path).with_context(|| format!("reading body file '{path}'"));
    }
    Ok(arg.as_bytes().to_vec())
}

impl RequestArgs {
    /// The request as it will go on the wire, for `send` and `doctor`: a raw request's target
    /// in the form the HTTP client writes it (`WireRequest::sendable`), with a note when that
    /// changed it.
    pub fn build_for_send(&self) -> Result<(WireRequest, Option<String>)> {
        let request = self.build()?;
        if self.raw.is_none() {
            return Ok((request, None));
        }
        Ok(request.sendable()?)
    }

    /// The request in wire form; a raw request exactly as written.
    pub fn build(&self) -> Result<WireRequest> {
        if let Some(path) = &self.raw {
            let raw = if path.as_os_str() == "-" {
                let mut buf = Vec::new();
                std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf)?;
                buf
            } else {
                std::fs::read(path).with_context(|| format!("reading {}", path.display()))?
            };
            return WireRequest::parse_raw(&raw, &self.scheme)
                .with_context(|| format!("in {}", path.display()));
        }
        let Some(url) = &self.url else {
            bail!("give a URL, or --raw FILE");
        };
        let body = match (&self.data, &self.data_binary) {
            (Some(d), _) => Some(read_data(d)?),
            (None, Some(d)) => Some(read_data(d)?),
            _ => None,
        };
        let method = self
            .method
            .clone()
            .unwrap_or_else(|| if body.is_some() { "POST" } else { "GET" }.into());
        let mut req = WireRequest::from_url(&method, url)?;
        for h in &self.headers {
            req.add_header_line(h)?;
        }
        if let Some(body) = body {
            if self.data.is_some() && req.header("content-type").is_none() {
                req.headers.push((
                    "Content-Type".into(),
                    "application/x-www-form-urlencoded".into(),
                ));
            }
            req.body = body.into();
        }
        Ok(req)
    }
}

impl SigningArgs {
    pub fn credential_spec(&self) -> CredentialSpec {
        CredentialSpec::Chain {
            profile: self.profile.clone(),
        }
    }

    /// The credentials, asking for an MFA code (`--mfa-code`, else the terminal) if a role
    /// needs one.
    pub async fn resolve(&self) -> Result<Credentials, CredentialError> {
        let options = super::login::resolve_options(self.mfa_code.as_deref());
        resolve_with(&self.credential_spec(), &options).await
    }

    /// Settings for this request: flags first, then what the host says, then the chain's
    /// region. A custom domain without --region/--service is an error, never a guess.
    pub fn settings(&self, req: &WireRequest) -> Result<SigningSettings> {
        let inferred = endpoint::infer(&req.authority, &req.path);
        let (region, service) = match (&self.region, &self.service, &inferred) {
            (Some(r), Some(s), _) => (r.clone(), s.clone()),
            (r, s, Ok(e)) => (
                r.clone().unwrap_or_else(|| e.region.clone()),
                s.clone().unwrap_or_else(|| e.service.clone()),
            ),
            (r, Some(s), Err(_)) => {
                match r.clone().or_else(|| chain_region(self.profile.as_deref())) {
                    Some(r) => (r, s.clone()),
                    None => bail!(
                        "no region: pass --region (the host '{}' doesn't name one)",
                        req.host()
                    ),
                }
            }
            (_, None, Err(e)) => bail!("{e}"),
        };
        let mut settings = SigningSettings::for_service(&region, &service);
        if self.sign_body {
            settings.payload = PayloadMode::SignedHeader;
        }
        if self.unsigned_payload {
            settings.payload = PayloadMode::Unsigned;
        }
        if self.no_normalize_path {
            settings.normalize_path = false;
        }
        if self.omit_session_token {
            settings.session_token = SessionTokenMode::AppendedAfterSigning;
        }
        if let Some(secs) = self.presign {
            settings.location = Location::Query { expires_secs: secs };
        }
        settings.excluded_headers = self
            .unsigned_headers
            .iter()
            .map(|h| h.to_ascii_lowercase())
            .collect();
        settings.included_headers = self
            .sign_headers
            .iter()
            .map(|h| h.to_ascii_lowercase())
            .collect();
        Ok(settings)
    }

    pub fn time(&self) -> Result<SystemTime> {
        match &self.at {
            None => Ok(SystemTime::now()),
            Some(s) => Ok(parse_time(s)?),
        }
    }
}

/// The core's time parser, for `--at` and the other time options.
pub use crate::timestamp::parse_time;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_are_finite_positive_and_bounded() {
        for bad in [
            "inf",
            "-inf",
            "NaN",
            "1e20",
            "1e300",
            "18446744073709551616",
            "0",
            "-5",
            "0.0001",
            "",
            "ten",
        ] {
            assert!(parse_timeout(bad).is_err(), "{bad} accepted");
        }
        assert_eq!(parse_timeout("2.5").unwrap().0, Duration::from_millis(2500));
        assert_eq!(
            parse_timeout("86400").unwrap().0,
            Duration::from_secs(86400)
        );
    }
}
