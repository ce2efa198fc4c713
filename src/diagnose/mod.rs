//! The 403 debugger: from an exchange (our request, our trace, the response) to a
//! `Diagnosis` — the cause by name, the evidence, a diff of canonical requests and what to do.

mod clock;
pub mod cors;
pub mod diff;
pub mod doctor;
pub mod extract;
mod mismatch;
mod policy;
pub mod simulate;
pub mod transport;

use clock::human_duration;
pub use clock::{clock_warning, skew};
pub use policy::{execute_api_arn, fill_account, policy_statement};

use crate::http::{Exchange, Response};
use crate::sign::{SigningTrace, WireRequest};
use extract::{access_denied, clock_times, read_error, scope_complaints};
use mismatch::signature_mismatch;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    MissingAuthenticationToken,
    SignatureMismatch,
    ClockSkew,
    InvalidCredentials,
    ExpiredCredentials,
    CredentialScope,
    IncompleteSignature,
    AccessDenied,
    Forbidden,
    /// S3's `PermanentRedirect`: the bucket lives at another endpoint (region).
    WrongEndpoint,
    /// A 407 from a proxy to a plain-HTTP request.
    ProxyAuthRequired,
    /// A CORS preflight a browser would accept, or refuse.
    CorsAllowed,
    CorsRefused,
    Unknown,
}

impl Kind {
    pub fn as_str(&self) -> &'static str {
        match self {
            Kind::MissingAuthenticationToken => "missing-authentication-token",
            Kind::SignatureMismatch => "signature-mismatch",
            Kind::ClockSkew => "clock-skew",
            Kind::InvalidCredentials => "invalid-credentials",
            Kind::ExpiredCredentials => "expired-credentials",
            Kind::CredentialScope => "credential-scope",
            Kind::IncompleteSignature => "incomplete-signature",
            Kind::AccessDenied => "access-denied",
            Kind::Forbidden => "forbidden",
            Kind::WrongEndpoint => "wrong-endpoint",
            Kind::ProxyAuthRequired => "proxy-auth-required",
            Kind::CorsAllowed => "cors-allowed",
            Kind::CorsRefused => "cors-refused",
            Kind::Unknown => "unknown",
        }
    }
}

/// What the diagnosis rests on. Field names are those of the AWS error fixtures' `expect`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Evidence {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_canonical_request: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_string_to_sign: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skew_seconds: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explicit_deny: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wanted_region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wanted_service: Option<String>,
    /// The region the server says it expects (S3's `AuthorizationHeaderMalformed`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_region: Option<String>,
    /// Where the server says to go instead (S3's `PermanentRedirect`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Diagnosis {
    pub kind: Kind,
    pub summary: String,
    #[serde(flatten)]
    pub evidence: Evidence,
    /// Our canonical request against the server's, when both are known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<diff::CanonicalDiff>,
    pub next_steps: Vec<String>,
    /// For a CORS preflight: each rule the browser checks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cors: Option<cors::CorsVerdict>,
}

/// The diagnosis an exchange deserves, if any: a preflight's verdict, a proxy's 407, an AWS
/// authentication or authorization failure, S3's redirect to the bucket's region.
pub fn of_exchange(x: &Exchange) -> Option<Diagnosis> {
    of_exchange_for(x, &Advice::default())
}

/// As `of_exchange`, advising for where the reader is (`diagnose_for`).
pub fn of_exchange_for(x: &Exchange, advice: &Advice) -> Option<Diagnosis> {
    if let Some(ask) = cors::PreflightAsk::from_request(&x.request) {
        let verdict = cors::evaluate(&ask, &x.response);
        let mut next_steps: Vec<String> = verdict
            .checks
            .iter()
            .map(|c| format!("{} {}", if c.ok { "ok:" } else { "NO:" }, c.text))
            .collect();
        next_steps.extend(verdict.next_steps.iter().cloned());
        return Some(Diagnosis {
            kind: if verdict.allowed {
                Kind::CorsAllowed
            } else {
                Kind::CorsRefused
            },
            summary: verdict.summary.clone(),
            evidence: Evidence {
                error_code: read_error(&x.response).code,
                ..Evidence::default()
            },
            diff: None,
            next_steps,
            cors: Some(verdict),
        });
    }
    if x.response.status == 407 {
        let d = transport::proxy_response(&x.response, &x.request.url())?;
        return Some(Diagnosis {
            kind: Kind::ProxyAuthRequired,
            summary: d.summary,
            evidence: Evidence::default(),
            diff: None,
            next_steps: d.next_steps,
            cors: None,
        });
    }
    let redirect = x.response.status == 301
        && read_error(&x.response).code.as_deref() == Some("PermanentRedirect");
    (is_auth_failure(&x.response) || redirect)
        .then(|| diagnose_for(&x.response, x.trace.as_ref(), Some(&x.request), advice))
}

/// Where the advice is read, so that it names what the reader can change there: the
/// workbench's fields ("Auth tab → Clock offset is -900 s") or the CLI's flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Place {
    #[default]
    Cli,
    Workbench,
}

/// What the advice knows of the request's set-up beyond the exchange itself.
#[derive(Debug, Clone, Default)]
pub struct Advice {
    pub place: Place,
    /// The profile the request signed with, and the environment that chose it, if one did.
    pub profile: Option<String>,
    pub environment: Option<String>,
    /// The clock offset the request signs with (workbench Auth tab, `clockOffsetSeconds`).
    pub clock_offset_secs: i64,
}

impl Advice {
    fn workbench(&self) -> bool {
        self.place == Place::Workbench
    }

    /// "profile 'dev' (chosen by environment 'staging')", or the default chain.
    fn whose_key(&self) -> String {
        let profile = match &self.profile {
            Some(p) => format!("profile '{p}'"),
            None => "the default credentials (AWS_PROFILE, the environment, [default])".into(),
        };
        match &self.environment {
            Some(e) if self.profile.is_some() => {
                format!("{profile}, the profile of environment '{e}'")
            }
            _ => profile,
        }
    }
}

/// Whether a response is an AWS authentication or authorization failure worth diagnosing.
pub fn is_auth_failure(response: &Response) -> bool {
    matches!(response.status, 401 | 403)
        || (response.status == 400
            && read_error(response).code.as_deref().is_some_and(|c| {
                c.contains("Signature")
                    || c.contains("Token")
                    || c.contains("Auth")
                    || c.contains("UnrecognizedClient")
                    || c == "RequestExpired"
                    || c == "RequestTimeTooSkewed"
            }))
}

fn contains(haystack: &Option<String>, needle: &str) -> bool {
    haystack.as_deref().is_some_and(|h| h.contains(needle))
}

/// Names the cause of a failed exchange, with advice for the CLI.
pub fn diagnose(
    response: &Response,
    trace: Option<&SigningTrace>,
    request: Option<&WireRequest>,
) -> Diagnosis {
    diagnose_for(response, trace, request, &Advice::default())
}

/// Names the cause of a failed exchange, with advice for where the reader is.
pub fn diagnose_for(
    response: &Response,
    trace: Option<&SigningTrace>,
    request: Option<&WireRequest>,
    advice: &Advice,
) -> Diagnosis {
    let wb = advice.workbench();
    let body = read_error(response);
    let msg = &body.message;
    let code = body.code.clone().unwrap_or_default();
    let mut ev = Evidence {
        error_code: body.code.clone(),
        message: body.message.clone(),
        server_canonical_request: body.server_canonical_request.clone(),
        server_string_to_sign: body.server_string_to_sign.clone(),
        ..Evidence::default()
    };
    let (mut wanted_region, wanted_service) =
        msg.as_deref().map(scope_complaints).unwrap_or_default();
    // S3: "the region 'us-east-1' is wrong; expecting 'eu-west-1'", with <Region>.
    let s3_region = (code == "AuthorizationHeaderMalformed")
        .then(|| {
            let expected = body
                .region
                .clone()
                .or_else(|| msg.as_deref().and_then(|m| quoted_after(m, "expecting ")));
            if wanted_region.is_none() {
                wanted_region = msg.as_deref().and_then(|m| quoted_after(m, "the region "));
            }
            expected
        })
        .flatten();
    let lambda_url = contains(msg, "Function URL");

    let kind = if code == "MissingAuthenticationTokenException"
        || contains(msg, "Missing Authentication Token")
    {
        Kind::MissingAuthenticationToken
    } else if code == "IncompleteSignatureException"
        || contains(msg, "Authorization header requires")
    {
        Kind::IncompleteSignature
    } else if wanted_region.is_some()
        || wanted_service.is_some()
        || s3_region.is_some()
        || contains(msg, "Credential should be scoped")
    {
        Kind::CredentialScope
    } else if code == "PermanentRedirect" {
        Kind::WrongEndpoint
    } else if contains(msg, "Signature expired")
        || contains(msg, "Signature not yet current")
        || code == "RequestTimeTooSkewed"
        || code == "RequestExpired"
    {
        Kind::ClockSkew
    } else if code.contains("ExpiredToken")
        || contains(msg, "token included in the request is expired")
    {
        Kind::ExpiredCredentials
    } else if code == "UnrecognizedClientException"
        || code == "InvalidClientTokenId"
        || code == "InvalidAccessKeyId"
        || contains(msg, "security token included in the request is invalid")
        || contains(msg, "Access Key Id you provided does not exist")
    {
        Kind::InvalidCredentials
    } else if code == "SignatureDoesNotMatch"
        || code == "InvalidSignatureException"
        || code == "InvalidSignature"
        || contains(msg, "signature we calculated does not match")
    {
        Kind::SignatureMismatch
    } else if lambda_url && !contains(msg, "is not authorized to perform") {
        Kind::Forbidden
    } else if code.starts_with("AccessDenied") || contains(msg, "is not authorized to perform") {
        Kind::AccessDenied
    } else if msg.as_deref().map(str::trim) == Some("Forbidden") {
        Kind::Forbidden
    } else {
        Kind::Unknown
    };

    let mut next_steps = Vec::new();
    let mut diff = None;
    let summary = match kind {
        Kind::MissingAuthenticationToken => {
            let signed = trace.is_some()
                || request.is_some_and(|r| {
                    r.header("authorization").is_some() || r.target().contains("X-Amz-Signature=")
                });
            let stage = request.and_then(|r| {
                crate::aws::endpoint::infer(&r.authority, &r.path)
                    .ok()
                    .and_then(|e| e.stage)
            });
            if signed {
                next_steps.push("The request was signed, so API Gateway found no such resource: check the stage, path and method (REST APIs answer 403 'Missing Authentication Token' for routes that don't exist, not 404).".into());
                if let Some(stage) = stage {
                    next_steps.push(format!("The path starts with stage '{stage}': make sure that stage is deployed and the resource exists under it (redeploy after adding routes)."));
                } else {
                    next_steps
                        .push("The path should start with the stage name, e.g. /prod/pets.".into());
                }
                "signed, but no such stage, route or method: API Gateway calls a missing route a missing token".into()
            } else {
                next_steps.push(match wb {
                    true => {
                        "Auth tab → Auth: choose aws-sigv4 — the route requires IAM authorization."
                            .into()
                    }
                    false => {
                        "Sign the request (auth aws-sigv4) — the route requires IAM authorization."
                            .into()
                    }
                });
                next_steps.push("If it was meant to be signed, check that the Authorization header survives your client or proxy.".into());
                "the request carried no SigV4 signature (or the route does not exist)".into()
            }
        }
        Kind::IncompleteSignature => {
            // API Gateway quotes the header it got: "... Authorization=Bearer eyJ...".
            let scheme = msg
                .as_deref()
                .and_then(|m| m.split("Authorization=").nth(1))
                .and_then(|rest| rest.split_whitespace().next())
                .map(str::to_string)
                .or_else(|| {
                    request
                        .and_then(|r| r.header("authorization"))
                        .and_then(|a| a.split_whitespace().next())
                        .map(str::to_string)
                })
                .filter(|s| s != "AWS4-HMAC-SHA256");
            match scheme.as_deref() {
                Some(s @ ("Bearer" | "bearer")) => {
                    next_steps.push(format!("A {s} token went to an AWS_IAM route: it expects a SigV4 signature. Sign the request (auth aws-sigv4), or give the route a JWT/Cognito authorizer if tokens are what callers have."));
                }
                Some(s) => next_steps.push(format!("The Authorization header was '{s} …', another scheme than SigV4: an AWS_IAM route reads it as a broken signature. Sign the request (auth aws-sigv4).")),
                None => {}
            }
            next_steps.push("The Authorization header must be 'AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...' and X-Amz-Date must be sent: let sigscope sign the request instead of setting Authorization by hand.".into());
            next_steps.push("Another Authorization scheme (Basic, Bearer) on an AWS_IAM route is read as a broken SigV4 header.".into());
            match scheme {
                Some(s) => format!("the Authorization header is '{s} …', not a SigV4 signature"),
                None => "the Authorization header is not a complete SigV4 signature".into(),
            }
        }
        Kind::CredentialScope if s3_region.is_some() => {
            ev.wanted_region = wanted_region.clone();
            ev.expected_region = s3_region.clone();
            let expected = s3_region.unwrap_or_default();
            next_steps.push(format!("Sign for region '{expected}', where the bucket is: --region {expected} (or the regional endpoint s3.{expected}.amazonaws.com)."));
            match &wanted_region {
                Some(r) => {
                    format!("S3 expects region '{expected}'; the request was signed for '{r}'")
                }
                None => format!("S3 expects region '{expected}'"),
            }
        }
        Kind::CredentialScope => {
            ev.wanted_region = wanted_region.clone();
            ev.wanted_service = wanted_service.clone();
            let mut parts = Vec::new();
            if let Some(r) = &wanted_region {
                parts.push(format!("region '{r}' is not the endpoint's region"));
                next_steps.push(match wb {
                    true => format!("Auth tab → Region: signed for '{r}'; set the endpoint's region there (a custom domain can't tell sigscope its region)."),
                    false => format!("Sign for the endpoint's region, not '{r}': pass --region (a custom domain can't tell sigscope its region)."),
                });
            }
            if let Some(s) = &wanted_service {
                parts.push(format!("the service must be '{s}'"));
                next_steps.push(match wb {
                    true => format!("Auth tab → Service: set it to '{s}'."),
                    false => format!("Sign for service '{s}' (--service {s})."),
                });
            }
            format!("the credential scope is wrong: {}", parts.join("; "))
        }
        Kind::ClockSkew => {
            // S3 says it in fields: <RequestTime>, <ServerTime>, <MaxAllowedSkewMilliseconds>.
            let s3_times = body
                .request_time
                .clone()
                .zip(body.server_time.clone())
                .map(|(a, b)| (a, b, 15));
            if let Some((req_time, server_time, window)) =
                msg.as_deref().and_then(clock_times).or(s3_times)
            {
                ev.skew_seconds = skew(&req_time, &server_time);
                ev.request_time = Some(req_time);
                ev.server_time = Some(server_time);
                if advice.clock_offset_secs == 0 {
                    next_steps.push(match wb {
                        true => format!("The request time must be within {window} minutes of the server's: sync your clock (e.g. `chronyc makestep` or enable NTP)."),
                        false => format!("The request time must be within {window} minutes of the server's: sync your clock (e.g. `chronyc makestep` or enable NTP) or sign with the right --at."),
                    });
                }
            } else if advice.clock_offset_secs == 0 {
                next_steps.push("Sync your clock with NTP and sign again.".into());
            }
            // The request asked to be signed off the clock: that is the cause to name.
            let off = advice.clock_offset_secs;
            if off != 0 {
                let when = format!(
                    "{} {}",
                    human_duration(off.unsigned_abs()),
                    if off < 0 {
                        "in the past"
                    } else {
                        "in the future"
                    }
                );
                next_steps.insert(0, match wb {
                    true => format!("Auth tab → Clock offset is {off} s: the request is signed {when}. Clear it to sign with your clock."),
                    false => format!("The request sets clockOffsetSeconds: {off} (signed {when}): remove it from the collection to sign with your clock."),
                });
            }
            match ev.skew_seconds {
                Some(s) => format!(
                    "the signing time is {} {} the server's clock",
                    human_duration(s.unsigned_abs()),
                    if s < 0 { "behind" } else { "ahead of" }
                ),
                None => "the signing time is outside the server's window".into(),
            }
        }
        Kind::ExpiredCredentials => {
            next_steps.push(
                "Refresh the credentials: `aws sso login`, re-assume the role, or export new keys."
                    .into(),
            );
            "the session token has expired".into()
        }
        Kind::InvalidCredentials => {
            next_steps.push(format!("The access key id (or session token) is not known to AWS: check {}, that the key was not deleted or rotated, and that the token belongs to these keys.", advice.whose_key()));
            next_steps.push("A session token sent with long-term (AKIA) keys, or temporary (ASIA) keys without their token, is rejected the same way.".into());
            if let Some(t) = trace {
                next_steps.push(format!("Signed with access key {}.", t.access_key_id));
            }
            "the access key id or session token is not valid".into()
        }
        Kind::SignatureMismatch => {
            signature_mismatch(&ev, trace, request, advice, &mut next_steps, &mut diff)
        }
        Kind::AccessDenied => {
            let parsed = msg.as_deref().and_then(access_denied);
            if let Some((principal, action, resource, _)) =
                parsed.clone().filter(|(p, ..)| p == "anonymous")
            {
                ev.principal = Some(principal);
                ev.action = Some(action.clone());
                ev.resource = resource;
                ev.explicit_deny = Some(false);
                next_steps.push("AWS saw no signature (User: anonymous): the resource policy does not let unsigned callers in. Sign the request (auth aws-sigv4, service execute-api) instead of changing the policy.".into());
                next_steps.push("If it was signed, the Authorization header was lost on the way (a proxy or CDN that drops it), or the method's authorization is NONE: set it to AWS_IAM so the signature is read.".into());
                next_steps.push("Only to open the API to everyone: allow Principal \"*\" in the API's resource policy.".into());
                "the request was not signed: AWS calls the caller 'anonymous', and the API's resource policy does not allow it".into()
            } else if let Some((principal, action, resource, explicit)) = parsed {
                ev.principal = Some(principal.clone());
                ev.action = Some(action.clone());
                ev.resource = resource.clone();
                ev.explicit_deny = Some(explicit);
                let arn = resource
                    .clone()
                    .or_else(|| request.and_then(|r| execute_api_arn(r, "*")));
                if explicit {
                    next_steps.push("An explicit Deny matched: no Allow can override it. Find the Deny in the identity policies, permission boundary, SCPs or the API's resource policy, and remove it or narrow it.".into());
                } else {
                    next_steps.push("No policy allows this call: attach an Allow to the principal (and check the API's resource policy).".into());
                }
                // An Allow cannot lift an explicit Deny: offering one would mislead.
                if let (Some(arn), true) = (&arn, explicit) {
                    next_steps.push(format!("Denied: {action} on\n{arn}"));
                }
                if let Some(arn) = arn.as_ref().filter(|_| !explicit) {
                    next_steps.push(format!(
                        "A statement that would allow it:\n{}",
                        policy_statement(&action, arn)
                    ));
                }
                if arn.as_ref().is_some_and(|a| a.contains("*****")) {
                    next_steps.push(
                        "The account id is masked in AWS's message: `sigscope whoami` shows yours."
                            .into(),
                    );
                }
                format!(
                    "{principal} may not {action}{}",
                    if explicit {
                        " (explicit deny)"
                    } else {
                        " (no allow)"
                    }
                )
            } else {
                next_steps.push(
                    "Check the identity policies and any resource policy for this API.".into(),
                );
                "access denied by IAM".into()
            }
        }
        Kind::Forbidden if lambda_url => {
            next_steps.push("A Lambda function URL with auth type AWS_IAM answers every IAM failure this way: sign for service 'lambda' and the function's region, and check the principal may lambda:InvokeFunctionUrl (identity policy or the function's resource-based policy).".into());
            next_steps.push("Behind CloudFront (origin access control) the body's hash must be sent as x-amz-content-sha256 (--sign-body).".into());
            next_steps.push("Run `sigscope doctor URL` to check each step in turn.".into());
            "Forbidden by a Lambda function URL (AWS_IAM): the signature or the permission, it does not say which".into()
        }
        Kind::WrongEndpoint => {
            ev.endpoint = body.endpoint.clone();
            let region = response.header("x-amz-bucket-region").map(str::to_string);
            match (&body.endpoint, &region) {
                (Some(e), _) => next_steps.push(format!("Send the request to https://{e}/… (the bucket's own endpoint){}.", region.as_ref().map(|r| format!(" and sign for region '{r}'")).unwrap_or_default())),
                (None, Some(r)) => next_steps.push(format!("Use the bucket's region '{r}': its regional endpoint, and sign for it.")),
                (None, None) => next_steps.push("Use the bucket's regional endpoint and sign for its region (`aws s3api get-bucket-location`).".into()),
            }
            next_steps.push("sigscope never follows a redirect with a signature: the request must be signed again for the new host.".into());
            match &body.endpoint {
                Some(e) => format!("the bucket must be addressed at {e}: it is in another region"),
                None => "the bucket must be addressed at another endpoint".into(),
            }
        }
        Kind::ProxyAuthRequired | Kind::CorsAllowed | Kind::CorsRefused => {
            // Made by `of_exchange`, never from an AWS body.
            next_steps.push("Read the response above.".into());
            format!("HTTP {}", response.status)
        }
        Kind::Forbidden => {
            next_steps.push("HTTP APIs and Lambda function URLs answer a bare 'Forbidden' for every IAM failure: check the request was signed (service 'execute-api' for HTTP APIs, 'lambda' for function URLs), the region, the clock, and that the principal has execute-api:Invoke / lambda:InvokeFunctionUrl.".into());
            next_steps.push(match wb {
                true => "Run the doctor on this request to check each step in turn.".into(),
                false => "Run `sigscope doctor URL` to check each step in turn.".into(),
            });
            "Forbidden, with no detail (HTTP API or Lambda function URL)".into()
        }
        Kind::Unknown => {
            next_steps
                .push("The error is not one sigscope recognises: read the body above.".into());
            format!("HTTP {} with no recognised AWS error", response.status)
        }
    };
    Diagnosis {
        kind,
        summary,
        evidence: ev,
        diff,
        next_steps,
        cors: None,
    }
}

/// The text between quotes after `marker` (`... expecting 'eu-west-1'` → `eu-west-1`).
fn quoted_after(message: &str, marker: &str) -> Option<String> {
    let rest = &message[message.find(marker)? + marker.len()..];
    let rest = rest.strip_prefix('\'')?;
    Some(rest[..rest.find('\'')?].to_string())
}
