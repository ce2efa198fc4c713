//! "Why was I denied?": for an access-denied whose principal, action and resource are known,
//! ask IAM's policy simulator (`iam:SimulatePrincipalPolicy`, signed and sent by our own
//! engine) which statement decides, and say it, or say that the caller may not ask the
//! simulator either.
//!
//! The simulator reads the principal's identity policies (and boundaries); an API's own
//! resource policy is not part of its answer unless given, which the explanation says.

use super::{Diagnosis, Kind};
use crate::aws::credentials::Credentials;
use crate::http::{self, Exchange};
use crate::sign::{self, SigningSettings, WireRequest};
use serde::Serialize;
use std::time::SystemTime;

/// What to ask the simulator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SimulationAsk {
    /// The IAM user or role whose policies are simulated (an assumed-role session's role).
    pub policy_source_arn: String,
    /// The principal as AWS named it in the denial.
    pub principal: String,
    pub action: String,
    pub resource: String,
}

/// The IAM entity whose policies apply to a principal: a user or role ARN as it is; an
/// assumed-role session's role (`arn:aws:sts::A:assumed-role/R/s` → `arn:aws:iam::A:role/R`,
/// the role's path is not in the session ARN and the simulator accepts the plain name);
/// `None` for what the simulator cannot take (root, anonymous, federated users).
pub fn policy_source(principal: &str) -> Option<String> {
    let arn: Vec<&str> = principal.splitn(6, ':').collect();
    let [_, partition, service, _, account, resource] = arn.as_slice() else {
        return None;
    };
    match *service {
        "iam" if resource.starts_with("user/") || resource.starts_with("role/") => {
            Some(principal.to_string())
        }
        "sts" => {
            let role = resource.strip_prefix("assumed-role/")?.split('/').next()?;
            Some(format!("arn:{partition}:iam::{account}:role/{role}"))
        }
        _ => None,
    }
}

impl SimulationAsk {
    /// The question an access-denied diagnosis raises, if it names enough; a masked account
    /// in the resource (`********9012`) is filled from `account` when given.
    pub fn from_diagnosis(d: &Diagnosis, account: Option<&str>) -> Option<SimulationAsk> {
        if d.kind != Kind::AccessDenied {
            return None;
        }
        let principal = d.evidence.principal.clone()?;
        let action = d.evidence.action.clone()?;
        let resource = d.evidence.resource.clone().unwrap_or_else(|| "*".into());
        // AWS masks the account in the message; the principal's ARN has it in full.
        let principal_account = principal.split(':').nth(4).filter(|a| a.len() == 12);
        let resource = match account.or(principal_account) {
            Some(a) => super::fill_account(&resource, a),
            None => resource,
        };
        Some(SimulationAsk {
            policy_source_arn: policy_source(&principal)?,
            principal,
            action,
            resource,
        })
    }

    /// The query-protocol call, unsigned, to `endpoint`.
    pub fn request(&self, endpoint: &str) -> Result<WireRequest, sign::RequestError> {
        let mut req = WireRequest::from_url("POST", endpoint)?;
        req.headers.push((
            "Content-Type".into(),
            "application/x-www-form-urlencoded; charset=utf-8".into(),
        ));
        let enc = |s: &str| crate::sign::canonical::encode_component(s);
        req.body = format!(
            "Action=SimulatePrincipalPolicy&Version=2010-05-08&PolicySourceArn={}&ActionNames.member.1={}&ResourceArns.member.1={}",
            enc(&self.policy_source_arn),
            enc(&self.action),
            enc(&self.resource)
        )
        .into();
        Ok(req)
    }
}

/// IAM's endpoint: `AWS_ENDPOINT_URL_IAM`, `AWS_ENDPOINT_URL`, else the global one.
pub fn endpoint() -> String {
    std::env::var("AWS_ENDPOINT_URL_IAM")
        .or_else(|_| std::env::var("AWS_ENDPOINT_URL"))
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "https://iam.amazonaws.com/".into())
}

/// A statement the simulator says matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatchedStatement {
    pub policy: String,
    pub policy_type: String,
    /// Line and column where the statement starts in the policy document.
    pub start: Option<(u32, u32)>,
}

/// The simulator's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum Simulation {
    /// `allowed`, `explicitDeny` or `implicitDeny`, with the statements that decided.
    Decided {
        decision: String,
        statements: Vec<MatchedStatement>,
        missing_context: Vec<String>,
    },
    /// The caller may not use the simulator (iam:SimulatePrincipalPolicy denied).
    SimulatorDenied { message: String },
    /// Anything else: the simulator's own error, or no answer.
    Failed { reason: String },
}

/// Reads the simulator's response.
pub fn read(x: &Exchange) -> Simulation {
    let body = String::from_utf8_lossy(&x.response.body);
    if x.response.status != 200 {
        let e = super::extract::read_error(&x.response);
        let message = e
            .message
            .unwrap_or_else(|| format!("HTTP {}", x.response.status));
        let code = e.code.unwrap_or_default();
        if code.starts_with("AccessDenied") || message.contains("iam:SimulatePrincipalPolicy") {
            return Simulation::SimulatorDenied { message };
        }
        return Simulation::Failed {
            reason: format!("{code}: {message}"),
        };
    }
    let Ok(doc) = roxmltree::Document::parse(body.trim()) else {
        return Simulation::Failed {
            reason: "the simulator's answer is not XML".into(),
        };
    };
    let child_text = |n: roxmltree::Node, name: &str| -> Option<String> {
        n.children()
            .find(|c| c.is_element() && c.tag_name().name() == name)
            .map(|c| c.text().unwrap_or_default().trim().to_string())
    };
    let Some(result) = doc
        .descendants()
        .find(|n| n.is_element() && n.tag_name().name() == "EvaluationResults")
        .and_then(|r| r.children().find(|c| c.is_element()))
    else {
        return Simulation::Failed {
            reason: "no EvaluationResults in the simulator's answer".into(),
        };
    };
    let decision = child_text(result, "EvalDecision").unwrap_or_default();
    let members = |list: &str| -> Vec<roxmltree::Node> {
        result
            .children()
            .find(|c| c.is_element() && c.tag_name().name() == list)
            .map(|l| l.children().filter(|c| c.is_element()).collect())
            .unwrap_or_default()
    };
    let statements = members("MatchedStatements")
        .into_iter()
        .map(|m| {
            let start = m
                .children()
                .find(|c| c.is_element() && c.tag_name().name() == "StartPosition")
                .and_then(|p| {
                    Some((
                        child_text(p, "Line")?.parse().ok()?,
                        child_text(p, "Column")?.parse().ok()?,
                    ))
                });
            MatchedStatement {
                policy: child_text(m, "SourcePolicyId").unwrap_or_default(),
                policy_type: child_text(m, "SourcePolicyType").unwrap_or_default(),
                start,
            }
        })
        .collect();
    let missing_context = members("MissingContextValues")
        .into_iter()
        .filter_map(|m| m.text().map(|t| t.trim().to_string()))
        .collect();
    Simulation::Decided {
        decision,
        statements,
        missing_context,
    }
}

/// Asks the simulator, signing for IAM (`us-east-1`, service `iam`) with `credentials`.
pub async fn ask(
    client: &reqwest::Client,
    credentials: &Credentials,
    endpoint: &str,
    question: &SimulationAsk,
) -> Simulation {
    let req = match question.request(endpoint) {
        Ok(r) => r,
        Err(e) => {
            return Simulation::Failed {
                reason: e.to_string(),
            }
        }
    };
    let settings = SigningSettings::for_service("us-east-1", "iam");
    let signed = match sign::sign(&req, credentials, &settings, SystemTime::now()) {
        Ok(s) => s,
        Err(e) => {
            return Simulation::Failed {
                reason: e.to_string(),
            }
        }
    };
    match http::send(client, signed.request, Some(signed.trace)).await {
        Ok(x) => read(&x),
        Err(e) => Simulation::Failed {
            reason: format!("the simulator did not answer: {e}"),
        },
    }
}

/// The answer in words.
pub fn explain(q: &SimulationAsk, s: &Simulation) -> Vec<String> {
    let mut out = vec![format!(
        "IAM's policy simulator, for {} doing {} on {}:",
        q.policy_source_arn, q.action, q.resource
    )];
    match s {
        Simulation::Decided {
            decision,
            statements,
            missing_context,
        } => {
            let place = |m: &MatchedStatement| {
                format!(
                    "{} ({}){}",
                    m.policy,
                    m.policy_type,
                    m.start
                        .map(|(l, c)| format!(", statement at line {l}, column {c}"))
                        .unwrap_or_default()
                )
            };
            match decision.as_str() {
                "explicitDeny" => {
                    out.push(
                        "explicitDeny: a Deny statement decides; no Allow can override it.".into(),
                    );
                    out.extend(
                        statements
                            .iter()
                            .map(|m| format!("  deciding: {}", place(m))),
                    );
                }
                "implicitDeny" => {
                    out.push("implicitDeny: no statement allows it. Attach an Allow for this action and resource.".into());
                }
                "allowed" => {
                    out.push("allowed: the identity policies allow it, so the denial comes from elsewhere: the API's resource policy, a permissions boundary or SCP not simulated, or a session policy.".into());
                    out.extend(
                        statements
                            .iter()
                            .map(|m| format!("  allowing: {}", place(m))),
                    );
                }
                other => out.push(other.to_string()),
            }
            if !missing_context.is_empty() {
                out.push(format!(
                    "  conditions it could not evaluate without values: {}",
                    missing_context.join(", ")
                ));
            }
        }
        Simulation::SimulatorDenied { message } => {
            out.push(format!(
                "the simulator itself is not allowed for these credentials: {message}"
            ));
            out.push("ask for iam:SimulatePrincipalPolicy on the principal, or run it with an administrator's profile".into());
        }
        Simulation::Failed { reason } => out.push(format!("no answer: {reason}")),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_are_simulated_as_their_role() {
        assert_eq!(
            policy_source("arn:aws:sts::123456789012:assumed-role/Deployer/alice").as_deref(),
            Some("arn:aws:iam::123456789012:role/Deployer")
        );
        assert_eq!(
            policy_source("arn:aws:iam::123456789012:user/demo").as_deref(),
            Some("arn:aws:iam::123456789012:user/demo")
        );
        assert_eq!(policy_source("anonymous"), None);
        assert_eq!(policy_source("arn:aws:iam::123456789012:root"), None);
    }

    #[test]
    fn an_answer_names_the_deciding_statement() {
        let x = Exchange {
            request: WireRequest::from_url("POST", "https://iam.amazonaws.com/").unwrap(),
            trace: None,
            response: http::Response::parse_raw(br#"HTTP/1.1 200 OK

<SimulatePrincipalPolicyResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><SimulatePrincipalPolicyResult><IsTruncated>false</IsTruncated><EvaluationResults><member><EvalActionName>execute-api:Invoke</EvalActionName><EvalResourceName>arn:aws:execute-api:us-east-1:123456789012:demoapi/test/DELETE/pets/1</EvalResourceName><EvalDecision>explicitDeny</EvalDecision><MatchedStatements><member><SourcePolicyId>demo-policy</SourcePolicyId><SourcePolicyType>IAM Policy</SourcePolicyType><StartPosition><Line>1</Line><Column>120</Column></StartPosition><EndPosition><Line>1</Line><Column>240</Column></EndPosition></member></MatchedStatements><MissingContextValues/></member></EvaluationResults></SimulatePrincipalPolicyResult></SimulatePrincipalPolicyResponse>"#).unwrap(),
            timing: http::Timing {
                started: SystemTime::now(),
                total: std::time::Duration::ZERO,
            },
        };
        let s = read(&x);
        let Simulation::Decided {
            decision,
            statements,
            ..
        } = &s
        else {
            panic!("{s:?}")
        };
        assert_eq!(decision, "explicitDeny");
        assert_eq!(statements[0].policy, "demo-policy");
        assert_eq!(statements[0].start, Some((1, 120)));
        let q = SimulationAsk {
            policy_source_arn: "arn:aws:iam::123456789012:user/demo".into(),
            principal: "arn:aws:iam::123456789012:user/demo".into(),
            action: "execute-api:Invoke".into(),
            resource: "r".into(),
        };
        let text = explain(&q, &s).join("\n");
        assert!(
            text.contains("deciding: demo-policy (IAM Policy), statement at line 1, column 120"),
            "{text}"
        );
    }
}
