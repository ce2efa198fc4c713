//! A small IAM policy evaluator: Allow/Deny statements over actions and resources with `*`
//! and `?` wildcards. An explicit Deny wins; otherwise something must Allow.

use serde::Deserialize;

/// Where a statement starts and ends in a policy document: (line, column) pairs, 1-based.
pub type StatementSpan = ((usize, usize), (usize, usize));

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    ExplicitDeny,
    NoAllow,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn items(&self) -> Vec<&str> {
        match self {
            OneOrMany::One(s) => vec![s.as_str()],
            OneOrMany::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Statement {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    pub effect: String,
    pub action: OneOrMany,
    pub resource: OneOrMany,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Policy {
    #[serde(default = "policy_version")]
    pub version: String,
    pub statement: Vec<Statement>,
}

fn policy_version() -> String {
    "2012-10-17".into()
}

/// IAM wildcard match: `*` any run of characters, `?` one character.
pub fn wildcard(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi].eq_ignore_ascii_case(&t[ti]) && p[pi] != '*') {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

impl Policy {
    /// The demo policy: invoke anything in stage `test`, except deleting pets; and ask IAM's
    /// policy simulator about the account's users and roles (so "why was I denied?" answers).
    pub fn demo(account: &str, api: &str) -> Self {
        serde_json::from_value(serde_json::json!({
            "Statement": [
                {"Sid": "InvokeTestStage", "Effect": "Allow", "Action": "execute-api:Invoke",
                 "Resource": format!("arn:aws:execute-api:*:{account}:{api}/test/*")},
                {"Sid": "NeverDeletePets", "Effect": "Deny", "Action": "execute-api:Invoke",
                 "Resource": format!("arn:aws:execute-api:*:{account}:{api}/test/DELETE/pets/*")},
                {"Sid": "SimulateOwnPolicies", "Effect": "Allow", "Action": "iam:SimulatePrincipalPolicy",
                 "Resource": format!("arn:aws:iam::{account}:*")}
            ]
        }))
        .expect("the demo policy is valid")
    }

    pub fn evaluate(&self, action: &str, resource: &str) -> Decision {
        self.decide(action, resource).0
    }

    /// The decision and the statements that make it (the Denies that matched, else the
    /// Allows; none for no allow), by index.
    pub fn decide(&self, action: &str, resource: &str) -> (Decision, Vec<usize>) {
        let matches = |s: &Statement| {
            s.action.items().iter().any(|a| wildcard(a, action))
                && s.resource.items().iter().any(|r| wildcard(r, resource))
        };
        let with = |effect: &str| -> Vec<usize> {
            (self.statement.iter().enumerate())
                .filter(|(_, s)| s.effect == effect && matches(s))
                .map(|(i, _)| i)
                .collect()
        };
        let denies = with("Deny");
        if !denies.is_empty() {
            return (Decision::ExplicitDeny, denies);
        }
        let allows = with("Allow");
        if !allows.is_empty() {
            return (Decision::Allow, allows);
        }
        (Decision::NoAllow, Vec::new())
    }

    /// The policy document as the gateway shows it, and where each statement starts and ends
    /// in it (line, column; 1-based), as IAM's simulator reports positions.
    pub fn document(&self) -> (String, Vec<StatementSpan>) {
        let text = serde_json::to_string_pretty(self).unwrap_or_default();
        let position = |offset: usize| {
            let before = &text[..offset];
            let line = before.matches('\n').count() + 1;
            let column = offset - before.rfind('\n').map_or(0, |i| i + 1) + 1;
            (line, column)
        };
        // Statements are the objects nested one level inside the "Statement" array.
        let mut spans = Vec::new();
        let start = text.find("\"Statement\"").unwrap_or(0);
        let (mut depth, mut open) = (0usize, 0usize);
        let mut in_string = false;
        let mut escaped = false;
        for (i, c) in text.char_indices().skip_while(|(i, _)| *i < start) {
            if in_string {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '"' => in_string = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_string = true,
                '[' | '{' => {
                    depth += 1;
                    if depth == 2 && c == '{' {
                        open = i;
                    }
                }
                ']' | '}' => {
                    if depth == 2 && c == '}' {
                        spans.push((position(open), position(i)));
                    }
                    if depth == 1 {
                        break;
                    }
                    depth -= 1;
                }
                _ => {}
            }
        }
        (text, spans)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        assert!(wildcard("arn:*:a/test/*", "arn:x:a/test/GET/pets"));
        assert!(wildcard("execute-api:*", "execute-api:Invoke"));
        assert!(wildcard("a?c", "abc"));
        assert!(!wildcard("a/test/*", "a/prod/GET"));
    }

    #[test]
    fn statement_positions_point_at_their_objects() {
        let p = Policy::demo("1", "api");
        let (text, spans) = p.document();
        assert_eq!(spans.len(), 3);
        let lines: Vec<&str> = text.lines().collect();
        for ((line, column), _) in &spans {
            assert_eq!(&lines[line - 1][column - 1..*column], "{");
        }
        let ((l, _), _) = spans[1];
        assert!(lines[l].contains("NeverDeletePets"), "{}", lines[l]);
        assert_eq!(
            p.decide(
                "execute-api:Invoke",
                "arn:aws:execute-api:us-east-1:1:api/test/DELETE/pets/1"
            ),
            (Decision::ExplicitDeny, vec![1])
        );
    }

    #[test]
    fn deny_beats_allow_and_nothing_is_no_allow() {
        let p = Policy::demo("1", "api");
        assert_eq!(
            p.evaluate(
                "execute-api:Invoke",
                "arn:aws:execute-api:us-east-1:1:api/test/GET/pets"
            ),
            Decision::Allow
        );
        assert_eq!(
            p.evaluate(
                "execute-api:Invoke",
                "arn:aws:execute-api:us-east-1:1:api/test/DELETE/pets/1"
            ),
            Decision::ExplicitDeny
        );
        assert_eq!(
            p.evaluate(
                "execute-api:Invoke",
                "arn:aws:execute-api:us-east-1:1:api/prod/GET/pets"
            ),
            Decision::NoAllow
        );
    }
}
