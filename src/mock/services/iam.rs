//! IAM, as far as "why was I denied?" needs it: `SimulatePrincipalPolicy` answered from the
//! gateway's own policy file (the policy every key and session of the gateway has), with
//! the matching statements' positions in that document, as IAM's simulator reports them.
//! The caller must be allowed `iam:SimulatePrincipalPolicy` on the principal by the same
//! policy; otherwise IAM's AccessDenied.

use super::sts::{escape, form, param, refused, xml};
use crate::mock::policy::Decision;
use crate::mock::verify::Incoming;
use crate::mock::MockConfig;
use bytes::Bytes;
use http_body_util::Full;
use std::time::SystemTime;

type Response = hyper::Response<Full<Bytes>>;

/// The name the simulator gives the gateway's policy.
pub const POLICY_ID: &str = "sigscope-mock-policy";

/// A POST to `/` signed for service `iam` (read from the head: the body comes later).
pub(super) fn matches(req: &Incoming) -> bool {
    req.method == "POST"
        && req.path == "/"
        && req.headers.iter().any(|(n, v)| {
            n.eq_ignore_ascii_case("authorization") && v.contains("/iam/aws4_request")
        })
}

fn error(status: u16, code: &str, message: &str) -> Response {
    xml(
        status,
        format!(
            "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error>\
             <Type>Sender</Type><Code>{code}</Code><Message>{}</Message></Error>\
             <RequestId>{}</RequestId></ErrorResponse>",
            escape(message),
            uuid::Uuid::new_v4()
        ),
    )
}

/// The `Name.member.N` values of a form, in order.
fn members(form: &[(String, String)], name: &str) -> Vec<String> {
    let prefix = format!("{name}.member.");
    let mut found: Vec<(u32, String)> = form
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix(&prefix)?.parse().ok()?, v.clone())))
        .collect();
    found.sort();
    found.into_iter().map(|(_, v)| v).collect()
}

pub(super) fn answer(cfg: &MockConfig, req: &Incoming) -> Response {
    let caller = match crate::mock::verify::verify_for(cfg, req, SystemTime::now(), "iam") {
        Ok(v) => v.principal,
        Err(f) => return refused(f),
    };
    let form = form(req.body);
    match param(&form, "Action") {
        Some("SimulatePrincipalPolicy") => {}
        Some(other) => {
            return error(
                400,
                "InvalidAction",
                &format!("The action {other} is not valid for this web service (the local gateway answers SimulatePrincipalPolicy)."),
            )
        }
        None => return error(400, "MissingAction", "Missing Action"),
    }
    let Some(source) = param(&form, "PolicySourceArn") else {
        return error(
            400,
            "ValidationError",
            "1 validation error detected: Value null at 'policySourceArn' failed to satisfy constraint: Member must not be null",
        );
    };
    if cfg.policy.evaluate("iam:SimulatePrincipalPolicy", source) != Decision::Allow {
        return error(
            403,
            "AccessDenied",
            &format!("User: {caller} is not authorized to perform: iam:SimulatePrincipalPolicy on resource: {source}"),
        );
    }
    let known = source.starts_with(&format!("arn:aws:iam::{}:", cfg.account));
    if !known {
        return error(
            404,
            "NoSuchEntity",
            &format!(
                "The principal {source} is not in the gateway's account {}.",
                cfg.account
            ),
        );
    }
    let actions = members(&form, "ActionNames");
    if actions.is_empty() {
        return error(400, "ValidationError", "ActionNames must not be empty");
    }
    let mut resources = members(&form, "ResourceArns");
    if resources.is_empty() {
        resources.push("*".into());
    }
    let (_, spans) = cfg.policy.document();
    let mut results = String::new();
    for action in &actions {
        for resource in &resources {
            let (decision, statements) = cfg.policy.decide(action, resource);
            let decision = match decision {
                Decision::Allow => "allowed",
                Decision::ExplicitDeny => "explicitDeny",
                Decision::NoAllow => "implicitDeny",
            };
            let matched: String = statements
                .iter()
                .filter_map(|i| spans.get(*i))
                .map(|((l1, c1), (l2, c2))| {
                    format!(
                        "<member><SourcePolicyId>{POLICY_ID}</SourcePolicyId><SourcePolicyType>IAM Policy</SourcePolicyType>\
                         <StartPosition><Line>{l1}</Line><Column>{c1}</Column></StartPosition>\
                         <EndPosition><Line>{l2}</Line><Column>{c2}</Column></EndPosition></member>"
                    )
                })
                .collect();
            results.push_str(&format!(
                "<member><EvalActionName>{}</EvalActionName><EvalResourceName>{}</EvalResourceName>\
                 <EvalDecision>{decision}</EvalDecision><MatchedStatements>{matched}</MatchedStatements>\
                 <MissingContextValues/></member>",
                escape(action),
                escape(resource)
            ));
        }
    }
    xml(
        200,
        format!(
            "<SimulatePrincipalPolicyResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">\
             <SimulatePrincipalPolicyResult><IsTruncated>false</IsTruncated>\
             <EvaluationResults>{results}</EvaluationResults></SimulatePrincipalPolicyResult>\
             <ResponseMetadata><RequestId>{}</RequestId></ResponseMetadata>\
             </SimulatePrincipalPolicyResponse>",
            uuid::Uuid::new_v4()
        ),
    )
}
