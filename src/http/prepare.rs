//! From a saved `RequestSpec` to a request ready to send: variables resolved, body encoded,
//! and the signing plan (credentials, settings, time) when the auth is aws-sigv4.

use crate::aws::credentials::{CredentialSpec, Credentials};
use crate::aws::endpoint;
use crate::model::{substitute, Auth, Body, RequestSpec};
use crate::sign::{self, Signed, SigningSettings, WireRequest};
use std::collections::BTreeMap;
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
}

/// Resolves variables and auth. Errors are shown before sending; nothing is sent.
pub fn prepare(spec: &RequestSpec, vars: &BTreeMap<String, String>) -> Result<Prepared, String> {
    let url = substitute(&spec.url, vars)?;
    let mut request = WireRequest::from_url(&spec.method, &url).map_err(|e| e.to_string())?;
    for h in spec.headers.iter().filter(|h| h.enabled) {
        let value = substitute(&h.value, vars)?;
        request
            .add_header_line(&format!("{}: {value}", h.name))
            .map_err(|e| e.to_string())?;
    }
    match &spec.body {
        Body::None => {}
        Body::Json { content } => {
            let text = substitute(&content.to_string(), vars)?;
            if request.header("content-type").is_none() {
                request
                    .headers
                    .push(("Content-Type".into(), "application/json".into()));
            }
            request.body = text.into();
        }
        Body::Text { content } => request.body = substitute(content, vars)?.into(),
    }
    let signing = match &spec.auth {
        Auth::None | Auth::Inherit => None,
        Auth::AwsSigv4 {
            profile,
            region,
            service,
            clock_offset_seconds,
        } => {
            let inferred = endpoint::infer(&request.authority, &request.path);
            let (region, service) = match (region, service, inferred) {
                (Some(r), Some(s), _) => (r.clone(), s.clone()),
                (r, s, Ok(e)) => (
                    r.clone().unwrap_or(e.region),
                    s.clone().unwrap_or(e.service),
                ),
                (_, _, Err(e)) => return Err(e.to_string()),
            };
            Some(SigningPlan {
                credentials: CredentialSpec::Chain {
                    profile: profile.clone(),
                },
                settings: SigningSettings::for_service(&region, &service),
                clock_offset_secs: clock_offset_seconds.unwrap_or(0),
            })
        }
    };
    Ok(Prepared { request, signing })
}

/// Signs with resolved credentials, applying the plan's clock offset.
pub fn sign_prepared(
    request: &WireRequest,
    plan: &SigningPlan,
    credentials: &Credentials,
    now: SystemTime,
) -> Result<Signed, sign::SignError> {
    let offset = Duration::from_secs(plan.clock_offset_secs.unsigned_abs());
    let time = if plan.clock_offset_secs < 0 {
        now - offset
    } else {
        now + offset
    };
    sign::sign(request, credentials, &plan.settings, time)
}
