//! A small IAM policy evaluator: Allow/Deny statements over actions and resources with `*`
//! and `?` wildcards. An explicit Deny wins; otherwise something must Allow.

use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    ExplicitDeny,
    NoAllow,
}

#[derive(Debug, Clone, Deserialize)]
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

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Statement {
    pub effect: String,
    pub action: OneOrMany,
    pub resource: OneOrMany,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Policy {
    pub statement: Vec<Statement>,
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
    /// The demo policy: invoke anything in stage `test`, except deleting pets.
    pub fn demo(account: &str, api: &str) -> Self {
        serde_json::from_value(serde_json::json!({
            "Statement": [
                {"Effect": "Allow", "Action": "execute-api:Invoke",
                 "Resource": format!("arn:aws:execute-api:*:{account}:{api}/test/*")},
                {"Effect": "Deny", "Action": "execute-api:Invoke",
                 "Resource": format!("arn:aws:execute-api:*:{account}:{api}/test/DELETE/pets/*")}
            ]
        }))
        .expect("the demo policy is valid")
    }

    pub fn evaluate(&self, action: &str, resource: &str) -> Decision {
        let matches = |s: &Statement| {
            s.action.items().iter().any(|a| wildcard(a, action))
                && s.resource.items().iter().any(|r| wildcard(r, resource))
        };
        if self
            .statement
            .iter()
            .any(|s| s.effect == "Deny" && matches(s))
        {
            Decision::ExplicitDeny
        } else if self
            .statement
            .iter()
            .any(|s| s.effect == "Allow" && matches(s))
        {
            Decision::Allow
        } else {
            Decision::NoAllow
        }
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
