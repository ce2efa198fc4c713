//! A browser's CORS preflight, asked and judged: the `OPTIONS` request a page's `fetch` sends
//! before a cross-origin call that is not "simple" (a signed request never is: it carries
//! `Authorization` and `X-Amz-Date`), and whether the answer lets the browser go on, by the
//! rules of the Fetch standard's CORS-preflight check.
//!
//! A preflight is never signed. An `AWS_IAM` route without a CORS configuration answers it
//! like any unsigned request (REST APIs: 403 `MissingAuthenticationToken`), which is why a
//! 403 on `OPTIONS` is about the API's CORS configuration, not about the signature.

use crate::http::Response;
use crate::sign::WireRequest;
use serde::Serialize;

/// What the browser asks in its preflight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PreflightAsk {
    pub origin: String,
    pub method: String,
    /// Lower-case names, sorted, as browsers send them.
    pub headers: Vec<String>,
}

/// The headers a signed request adds, all of which a preflight must let through.
pub const SIGV4_HEADERS: [&str; 3] = ["authorization", "x-amz-date", "x-amz-security-token"];

/// Headers the browser sets itself (never in `Access-Control-Request-Headers`).
const BROWSER_OWNED: [&str; 9] = [
    "host",
    "content-length",
    "connection",
    "accept-encoding",
    "user-agent",
    "origin",
    "referer",
    "cookie",
    "te",
];

/// A header a page may send cross-origin without asking (CORS-safelisted, by value too).
fn safelisted(name: &str, value: &str) -> bool {
    match name {
        "accept" | "accept-language" | "content-language" => true,
        "content-type" => {
            let essence = value
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            matches!(
                essence.as_str(),
                "application/x-www-form-urlencoded" | "multipart/form-data" | "text/plain"
            )
        }
        _ => false,
    }
}

/// Methods a browser never asks about.
fn safelisted_method(m: &str) -> bool {
    matches!(m, "GET" | "HEAD" | "POST")
}

impl PreflightAsk {
    /// The preflight a browser at `origin` sends before `request`: its method, and the names
    /// of its headers that need permission (plus the SigV4 headers when it is to be signed,
    /// and `x-amz-content-sha256` when that is signed too).
    pub fn for_request(
        origin: &str,
        request: &WireRequest,
        signed: bool,
        content_sha256: bool,
    ) -> PreflightAsk {
        let mut headers: Vec<String> = request
            .headers
            .iter()
            .map(|(n, v)| (n.to_ascii_lowercase(), v))
            .filter(|(n, v)| !BROWSER_OWNED.contains(&n.as_str()) && !safelisted(n, v))
            .map(|(n, _)| n)
            .collect();
        if signed {
            headers.extend(SIGV4_HEADERS.iter().map(|h| h.to_string()));
            if content_sha256 {
                headers.push("x-amz-content-sha256".into());
            }
        }
        headers.sort();
        headers.dedup();
        PreflightAsk {
            origin: origin.trim().trim_end_matches('/').to_string(),
            method: request.method.to_ascii_uppercase(),
            headers,
        }
    }

    /// The `OPTIONS` request itself, to the same URL, with no body and no signature.
    pub fn request(&self, to: &WireRequest) -> WireRequest {
        let mut r = WireRequest {
            method: "OPTIONS".into(),
            headers: Vec::new(),
            body: Default::default(),
            ..to.clone()
        };
        r.headers.push(("Origin".into(), self.origin.clone()));
        r.headers
            .push(("Access-Control-Request-Method".into(), self.method.clone()));
        if !self.headers.is_empty() {
            r.headers.push((
                "Access-Control-Request-Headers".into(),
                self.headers.join(","),
            ));
        }
        r
    }

    /// The ask a preflight request carries, if it is one.
    pub fn from_request(r: &WireRequest) -> Option<PreflightAsk> {
        if !r.method.eq_ignore_ascii_case("OPTIONS") {
            return None;
        }
        let method = r
            .header("access-control-request-method")?
            .trim()
            .to_string();
        let origin = r.header("origin").unwrap_or_default().trim().to_string();
        let headers = r
            .header("access-control-request-headers")
            .map(split_list)
            .unwrap_or_default()
            .into_iter()
            .map(|h| h.to_ascii_lowercase())
            .collect();
        Some(PreflightAsk {
            origin,
            method,
            headers,
        })
    }
}

fn split_list(v: &str) -> Vec<String> {
    v.split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// One rule of the check, passed or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CorsCheck {
    pub ok: bool,
    pub text: String,
}

/// Whether a browser would go on after this preflight, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CorsVerdict {
    pub allowed: bool,
    pub summary: String,
    pub checks: Vec<CorsCheck>,
    /// Requested headers that `Access-Control-Allow-Headers` does not list.
    pub missing_headers: Vec<String>,
    pub next_steps: Vec<String>,
}

/// Judges a preflight's answer as a browser does.
pub fn evaluate(ask: &PreflightAsk, response: &Response) -> CorsVerdict {
    let mut checks = Vec::new();
    let mut next_steps = Vec::new();
    let mut check = |ok: bool, text: String| checks.push(CorsCheck { ok, text });
    let credentials = response
        .header("access-control-allow-credentials")
        .is_some_and(|v| v.trim() == "true");

    let status_ok = (200..300).contains(&response.status);
    check(
        status_ok,
        format!(
            "status {}: {}",
            response.status,
            if status_ok {
                "an ok status (2xx)"
            } else {
                "a preflight must be answered 2xx"
            }
        ),
    );
    let allow_origin = response
        .header("access-control-allow-origin")
        .map(str::trim);
    let origin_ok = match allow_origin {
        Some("*") => true,
        Some(o) => o == ask.origin,
        None => false,
    };
    check(
        origin_ok,
        match allow_origin {
            Some(o) if origin_ok => {
                format!("Access-Control-Allow-Origin: {o} lets {} in", ask.origin)
            }
            Some(o) => format!(
                "Access-Control-Allow-Origin: {o} is not {} (nor *)",
                ask.origin
            ),
            None => "no Access-Control-Allow-Origin".into(),
        },
    );
    let methods = response
        .header("access-control-allow-methods")
        .map(split_list)
        .unwrap_or_default();
    let method_ok = safelisted_method(&ask.method)
        || methods.iter().any(|m| m == &ask.method)
        || (!credentials && methods.iter().any(|m| m == "*"));
    check(
        method_ok,
        if safelisted_method(&ask.method) {
            format!("{} needs no Access-Control-Allow-Methods", ask.method)
        } else if method_ok {
            format!("Access-Control-Allow-Methods allows {}", ask.method)
        } else {
            format!(
                "Access-Control-Allow-Methods ({}) lacks {}",
                if methods.is_empty() {
                    "absent".to_string()
                } else {
                    methods.join(", ")
                },
                ask.method
            )
        },
    );
    let allowed_headers: Vec<String> = response
        .header("access-control-allow-headers")
        .map(split_list)
        .unwrap_or_default()
        .into_iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    let wildcard = !credentials && allowed_headers.iter().any(|h| h == "*");
    // `*` never covers Authorization (Fetch standard).
    let missing: Vec<String> = ask
        .headers
        .iter()
        .filter(|h| !(allowed_headers.contains(h) || wildcard && h.as_str() != "authorization"))
        .cloned()
        .collect();
    if !ask.headers.is_empty() {
        check(
            missing.is_empty(),
            if missing.is_empty() {
                format!(
                    "Access-Control-Allow-Headers allows {}",
                    ask.headers.join(", ")
                )
            } else {
                format!(
                    "Access-Control-Allow-Headers ({}) lacks {}",
                    if allowed_headers.is_empty() {
                        "absent".to_string()
                    } else {
                        allowed_headers.join(", ")
                    },
                    missing.join(", ")
                )
            },
        );
    }
    let allowed = status_ok && origin_ok && method_ok && missing.is_empty();
    let from = format!("a page at {}", ask.origin);
    let summary = if allowed {
        format!(
            "{from} may send {}{}: the preflight allows it",
            ask.method,
            if ask.headers.is_empty() {
                String::new()
            } else {
                format!(" with {}", ask.headers.join(", "))
            }
        )
    } else if !status_ok {
        format!(
            "the browser would stop at the preflight: it was answered {}",
            response.status
        )
    } else if !origin_ok {
        format!(
            "the browser would refuse the call: {} is not an allowed origin",
            ask.origin
        )
    } else if !method_ok {
        format!(
            "the browser would refuse the call: {} is not an allowed method",
            ask.method
        )
    } else {
        format!(
            "the browser would refuse the call: {} missing from Access-Control-Allow-Headers",
            missing.join(", ")
        )
    };
    if !status_ok {
        if matches!(response.status, 401 | 403) {
            next_steps.push("A browser never signs a preflight: a 403 on OPTIONS means the API has no CORS configuration for this route, and API Gateway treated the preflight as an unsigned call to an AWS_IAM route. The fix is the CORS configuration, not the signature.".into());
            next_steps.push("REST API: enable CORS on the resource (an OPTIONS method with a MOCK integration and authorization NONE); HTTP API: set the API's corsConfiguration (allowOrigins, allowMethods, allowHeaders), which API Gateway answers before any authorization.".into());
        } else if response.status == 404 {
            next_steps.push("No OPTIONS route: HTTP APIs answer preflights themselves only when the API has a corsConfiguration.".into());
        } else {
            next_steps.push(
                "The preflight must be answered 2xx with the Access-Control-Allow-* headers."
                    .into(),
            );
        }
    }
    if status_ok && !origin_ok {
        next_steps.push(format!(
            "Add {} to the allowed origins (Access-Control-Allow-Origin).",
            ask.origin
        ));
    }
    if status_ok && !method_ok {
        next_steps.push(format!("Add {} to the allowed methods.", ask.method));
    }
    if status_ok && !missing.is_empty() {
        next_steps.push(format!(
            "Add {} to the allowed headers (Access-Control-Allow-Headers); a signed call sends {}.",
            missing.join(", "),
            SIGV4_HEADERS.join(", ")
        ));
    }
    if allowed {
        next_steps.push("The real request must also answer with Access-Control-Allow-Origin (error responses too, or the browser hides them: API Gateway's gateway responses need it set).".into());
    }
    CorsVerdict {
        allowed,
        summary,
        checks,
        missing_headers: missing,
        next_steps,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(raw: &str) -> Response {
        Response::parse_raw(raw.as_bytes()).unwrap()
    }

    fn signed_post() -> PreflightAsk {
        let mut r = WireRequest::from_url("POST", "https://api.example.com/test/pets").unwrap();
        r.headers
            .push(("Content-Type".into(), "application/json".into()));
        r.headers.push(("Accept".into(), "*/*".into()));
        PreflightAsk::for_request("https://app.example.com/", &r, true, false)
    }

    #[test]
    fn the_ask_lists_what_needs_permission_as_a_browser_does() {
        let ask = signed_post();
        assert_eq!(ask.origin, "https://app.example.com");
        assert_eq!(ask.method, "POST");
        assert_eq!(
            ask.headers,
            [
                "authorization",
                "content-type",
                "x-amz-date",
                "x-amz-security-token"
            ]
        );
        let to = WireRequest::from_url("POST", "https://api.example.com/test/pets").unwrap();
        let options = ask.request(&to);
        assert_eq!(options.method, "OPTIONS");
        assert_eq!(
            options.header("access-control-request-headers"),
            Some("authorization,content-type,x-amz-date,x-amz-security-token")
        );
        assert_eq!(PreflightAsk::from_request(&options), Some(ask));
    }

    #[test]
    fn a_missing_header_is_named() {
        let v = evaluate(
            &signed_post(),
            &response("HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: GET,POST,OPTIONS\r\nAccess-Control-Allow-Headers: Content-Type,X-Amz-Date,Authorization,X-Api-Key\r\n\r\n"),
        );
        assert!(!v.allowed);
        assert_eq!(v.missing_headers, ["x-amz-security-token"]);
        assert!(
            v.summary.contains("x-amz-security-token missing"),
            "{}",
            v.summary
        );
    }

    #[test]
    fn a_full_answer_passes_and_a_wildcard_never_covers_authorization() {
        let ok = evaluate(
            &signed_post(),
            &response("HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: https://app.example.com\r\nAccess-Control-Allow-Methods: POST\r\nAccess-Control-Allow-Headers: authorization,content-type,x-amz-date,x-amz-security-token\r\n\r\n"),
        );
        assert!(ok.allowed, "{ok:?}");
        let star = evaluate(
            &signed_post(),
            &response("HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: *\r\nAccess-Control-Allow-Headers: *\r\n\r\n"),
        );
        assert_eq!(star.missing_headers, ["authorization"]);
    }

    #[test]
    fn a_403_on_options_points_at_the_cors_configuration() {
        let v = evaluate(
            &signed_post(),
            &response("HTTP/1.1 403 Forbidden\r\nx-amzn-ErrorType: MissingAuthenticationTokenException\r\n\r\n{\"message\":\"Missing Authentication Token\"}"),
        );
        assert!(!v.allowed);
        assert!(
            v.next_steps[0].contains("not the signature"),
            "{:?}",
            v.next_steps
        );
        let wrong_origin = evaluate(
            &signed_post(),
            &response("HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: https://other.example\r\n\r\n"),
        );
        assert!(wrong_origin.summary.contains("not an allowed origin"));
    }
}
