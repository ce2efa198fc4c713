//! From a saved `RequestSpec` to a request ready to send: variables resolved, body encoded,
//! and the signing plan (credentials, settings, time) when the auth is aws-sigv4.

use super::client::ClientSettings;
use crate::aws::credentials::{CredentialSpec, Credentials};
use crate::aws::endpoint;
use crate::diagnose::cors::PreflightAsk;
use crate::model::{scope, substitute, Auth, Body, Collection, Environment, Located, NameValue};
use crate::sign::Location;
use crate::sign::{self, Signed, SigningSettings, WireRequest};
use std::time::{Duration, SystemTime};

/// How to sign a prepared request.
#[derive(Debug, Clone)]
pub struct SigningPlan {
    pub credentials: CredentialSpec,
    pub settings: SigningSettings,
    pub clock_offset_secs: i64,
}

#[derive(Debug, Clone)]
pub struct Prepared {
    pub request: WireRequest,
    pub signing: Option<SigningPlan>,
    /// The connection settings: collection, environment and request levels merged, with
    /// their variables resolved (the CLI's flags go on top).
    pub network: ClientSettings,
    /// For a request of type preflight: what the browser asks (the request is its OPTIONS).
    pub preflight: Option<PreflightAsk>,
    /// The path of a `file` body. Prepared with `FileBodies::Defer`, its bytes are not in
    /// `request.body` until `load_body` reads them.
    pub body_file: Option<String>,
}

/// When a `file` body is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileBodies {
    /// While preparing (the CLI).
    Read,
    /// Later, by `Prepared::load_body`, off the caller's thread (the TUI's loop never
    /// touches the disk).
    Defer,
}

impl Prepared {
    /// Reads a deferred `file` body into the request (no-op when there is none or it is
    /// already read).
    pub fn load_body(&mut self) -> Result<(), String> {
        if let Some(path) = &self.body_file {
            if self.request.body.is_empty() {
                self.request.body = read_body_file(path)?.into();
            }
        }
        Ok(())
    }
}

fn read_body_file(path: &str) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("body file '{path}': {e}"))
}

fn enabled(items: &[NameValue]) -> impl Iterator<Item = &NameValue> {
    items.iter().filter(|n| n.enabled)
}

/// Resolves variables, inherited headers and auth for a request of `collection`. Errors are
/// shown before sending; nothing is sent.
pub fn prepare(
    collection: &Collection,
    env: Option<&Environment>,
    located: &Located,
) -> Result<Prepared, String> {
    prepare_with(collection, env, located, FileBodies::Read)
}

/// As `prepare`, choosing when a `file` body is read.
pub fn prepare_with(
    collection: &Collection,
    env: Option<&Environment>,
    located: &Located,
    files: FileBodies,
) -> Result<Prepared, String> {
    let vars = scope(collection, env, located);
    let spec = located.request;
    let mut url = substitute(&spec.url, &vars)?;
    let query: Vec<String> = enabled(&spec.query)
        .map(|q| -> Result<String, String> {
            let enc = |s: &str| crate::sign::canonical::encode_component(s);
            Ok(format!(
                "{}={}",
                enc(&substitute(&q.name, &vars)?),
                enc(&substitute(&q.value, &vars)?)
            ))
        })
        .collect::<Result<_, _>>()?;
    if !query.is_empty() {
        url.push(if url.contains('?') { '&' } else { '?' });
        url.push_str(&query.join("&"));
    }
    let mut request = WireRequest::from_url(&spec.method, &url).map_err(|e| e.to_string())?;
    let inherited = collection
        .headers
        .iter()
        .chain(located.folders.iter().flat_map(|f| f.headers.iter()));
    for h in enabled(&inherited.cloned().collect::<Vec<_>>()).chain(enabled(&spec.headers)) {
        let value = substitute(&h.value, &vars)?;
        request.remove_header(&h.name);
        request
            .add_header_line(&format!("{}: {value}", h.name))
            .map_err(|e| e.to_string())?;
    }
    let mut body_file = None;
    match &spec.body {
        Body::None => {}
        Body::Json { content } => {
            let text = substitute(&serde_json::to_string(content).unwrap_or_default(), &vars)?;
            if request.header("content-type").is_none() {
                request
                    .headers
                    .push(("Content-Type".into(), "application/json".into()));
            }
            request.body = text.into();
        }
        Body::Text { content } => request.body = substitute(content, &vars)?.into(),
        Body::FormUrlencoded { fields } => {
            let enc = |s: &str| {
                percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC)
                    .to_string()
            };
            let form: Vec<String> = enabled(fields)
                .map(|f| {
                    Ok::<_, String>(format!(
                        "{}={}",
                        enc(&substitute(&f.name, &vars)?),
                        enc(&substitute(&f.value, &vars)?)
                    ))
                })
                .collect::<Result<_, _>>()?;
            if request.header("content-type").is_none() {
                request.headers.push((
                    "Content-Type".into(),
                    "application/x-www-form-urlencoded".into(),
                ));
            }
            request.body = form.join("&").into();
        }
        Body::File { path } => {
            let path = substitute(path, &vars)?;
            if path.trim().is_empty() {
                return Err("the body file has no path".into());
            }
            if files == FileBodies::Read {
                request.body = read_body_file(&path)?.into();
            }
            body_file = Some(path);
        }
    }
    // The nearest auth that is not `inherit`: request, folders (innermost first), collection.
    let auth = std::iter::once(&spec.auth)
        .chain(located.folders.iter().rev().map(|f| &f.auth))
        .chain(std::iter::once(&collection.auth))
        .find(|a| !a.is_inherit())
        .cloned()
        .unwrap_or(Auth::None);
    let signing = match auth {
        Auth::None | Auth::Inherit => None,
        Auth::Bearer { token } => {
            let token = substitute(&token, &vars)?;
            request
                .headers
                .push(("Authorization".into(), format!("Bearer {token}")));
            None
        }
        Auth::Basic { username, password } => {
            use base64::Engine;
            let pair = format!(
                "{}:{}",
                substitute(&username, &vars)?,
                substitute(&password, &vars)?
            );
            let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
            request
                .headers
                .push(("Authorization".into(), format!("Basic {encoded}")));
            None
        }
        Auth::AwsSigv4 {
            profile,
            region,
            service,
            payload,
            location,
            expires_seconds,
            normalize_path,
            clock_offset_seconds,
            sign_headers,
        } => {
            // Every text field of the auth resolves {{variables}} like the URL and headers do
            // (an imported Postman auth holds `{{awsRegion}}`); an empty result means "infer".
            let resolve = |field: Option<String>| -> Result<Option<String>, String> {
                match field {
                    Some(text) => Ok(Some(substitute(&text, &vars)?.trim().to_string())
                        .filter(|v| !v.is_empty() && v != "auto")),
                    None => Ok(None),
                }
            };
            let profile = resolve(profile)?;
            let region = resolve(region)?.or_else(|| env.and_then(|e| e.region.clone()));
            let service = resolve(service)?;
            let inferred = endpoint::infer(&request.authority, &request.path);
            let (region, service) = match (region, service, inferred) {
                (Some(r), Some(s), _) => (r, s),
                (r, s, Ok(e)) => (r.unwrap_or(e.region), s.unwrap_or(e.service)),
                (_, _, Err(e)) => return Err(e.to_string()),
            };
            let mut settings = SigningSettings::for_service(&region, &service);
            if let Some(p) = payload {
                settings.payload = p;
            }
            if location == Some(crate::model::collection::SignatureIn::Query) {
                settings.location = Location::Query {
                    expires_secs: expires_seconds.unwrap_or(900),
                };
            }
            if let Some(n) = normalize_path {
                settings.normalize_path = n;
            }
            settings.included_headers = sign_headers
                .iter()
                .map(|h| h.trim().to_ascii_lowercase())
                .collect();
            Some(SigningPlan {
                credentials: CredentialSpec::Chain {
                    profile: profile.or_else(|| env.and_then(|e| e.profile.clone())),
                },
                settings,
                clock_offset_secs: clock_offset_seconds.unwrap_or(0),
            })
        }
    };
    let mut network = ClientSettings::default();
    let levels = [
        (Some(&collection.network), "the collection"),
        (env.map(|e| &e.network), "the environment"),
        (Some(&spec.network), "the request"),
    ];
    for (n, from) in levels {
        let Some(n) = n.filter(|n| !n.is_empty()) else {
            continue;
        };
        let n = n.map_text(|t| {
            substitute(t, &vars).map_err(|e| format!("network settings of {from}: {e}"))
        })?;
        network.apply_network(&n, from).map_err(|e| e.to_string())?;
    }
    if let Some(SigningPlan {
        credentials: CredentialSpec::Chain { profile },
        ..
    }) = &signing
    {
        network.aws_profile = Some(profile.clone());
    }
    let network = network.for_url(&request.url());
    // A preflight is the browser's OPTIONS before this request: never signed, no body.
    let (request, signing, body_file, preflight) = match &spec.preflight {
        None => (request, signing, body_file, None),
        Some(p) => {
            let origin = substitute(&p.origin, &vars)?;
            let content_sha256 = signing.as_ref().is_some_and(|plan| {
                plan.settings.payload == crate::sign::PayloadMode::SignedHeader
            });
            let mut ask =
                PreflightAsk::for_request(&origin, &request, signing.is_some(), content_sha256);
            if let Some(m) = &p.method {
                ask.method = substitute(m, &vars)?.trim().to_ascii_uppercase();
            }
            if let Some(h) = &p.headers {
                let mut headers: Vec<String> = h
                    .iter()
                    .map(|h| substitute(h, &vars).map(|h| h.trim().to_ascii_lowercase()))
                    .collect::<Result<_, _>>()?;
                headers.sort();
                headers.dedup();
                ask.headers = headers;
            }
            (ask.request(&request), None, None, Some(ask))
        }
    };
    Ok(Prepared {
        request,
        signing,
        body_file,
        network,
        preflight,
    })
}

/// The most a clock offset may move the signing time (the loader refuses more in a file; an
/// edit in the workbench can still type any number).
const MAX_CLOCK_OFFSET_SECS: u64 = 10 * 366 * 24 * 3600;

/// `now` moved by the plan's clock offset.
fn signing_time(plan: &SigningPlan, now: SystemTime) -> Result<SystemTime, sign::SignError> {
    let secs = plan.clock_offset_secs;
    if secs.unsigned_abs() > MAX_CLOCK_OFFSET_SECS {
        return Err(sign::SignError::ClockOffset(secs));
    }
    let offset = Duration::from_secs(secs.unsigned_abs());
    let moved = if secs < 0 {
        now.checked_sub(offset)
    } else {
        now.checked_add(offset)
    };
    moved.ok_or(sign::SignError::ClockOffset(secs))
}

/// Signs with resolved credentials, applying the plan's clock offset.
pub fn sign_prepared(
    request: &WireRequest,
    plan: &SigningPlan,
    credentials: &Credentials,
    now: SystemTime,
) -> Result<Signed, sign::SignError> {
    let time = signing_time(plan, now)?;
    sign::sign(request, credentials, &plan.settings, time)
}

/// As `sign_prepared`, for a body not in hand whose SHA-256 (hex) is known: the preview of
/// a `file` body hashed in the background.
pub fn sign_prepared_hashed(
    request: &WireRequest,
    plan: &SigningPlan,
    credentials: &Credentials,
    now: SystemTime,
    body_sha256: &str,
) -> Result<Signed, sign::SignError> {
    let time = signing_time(plan, now)?;
    let payload_hash = match plan.settings.payload {
        sign::PayloadMode::Unsigned => sign::canonical::UNSIGNED_PAYLOAD.to_string(),
        _ => body_sha256.to_string(),
    };
    sign::sign_with_payload_hash(request, credentials, &plan.settings, time, payload_hash)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clock_offset_typed_past_ten_years_is_an_error_not_a_panic() {
        let request =
            WireRequest::from_url("GET", "https://abc.execute-api.us-east-1.amazonaws.com/")
                .unwrap();
        let credentials = Credentials::new("AKIAIOSFODNN7EXAMPLE", "secret", None, "test");
        for offset in [i64::MAX, i64::MIN, 400_000_000] {
            let plan = SigningPlan {
                credentials: CredentialSpec::Chain { profile: None },
                settings: SigningSettings::for_service("us-east-1", "execute-api"),
                clock_offset_secs: offset,
            };
            let err = sign_prepared(&request, &plan, &credentials, SystemTime::now()).unwrap_err();
            assert!(err.to_string().contains("clock offset"), "{err}");
        }
    }
}
