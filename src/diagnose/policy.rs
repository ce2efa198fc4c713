//! IAM text for the advice: the execute-api ARN of a request, the account AWS masks in an
//! access-denied filled in from STS, and the statement that would allow a call.

use crate::sign::WireRequest;

/// The execute-api resource ARN of a request to an API Gateway URL.
pub fn execute_api_arn(req: &WireRequest, account: &str) -> Option<String> {
    let e = crate::aws::endpoint::infer(&req.authority, &req.path).ok()?;
    let api = e.api_id?;
    let stage = e.stage?;
    let rest = req
        .path
        .trim_start_matches('/')
        .split_once('/')
        .map(|(_, r)| r)
        .unwrap_or("");
    Some(format!(
        "arn:aws:execute-api:{}:{account}:{api}/{stage}/{}/{rest}",
        e.region, req.method
    ))
}

/// The minimal IAM statement that allows `action` on `resource`, ready to paste.
/// AWS masks the account in access-denied messages (`********9012`): with the caller's
/// account known (STS), the masked form is filled in when its visible digits agree.
pub fn fill_account(text: &str, account: &str) -> String {
    const MASKED_NOTE: &str =
        "The account id is masked in AWS's message: `sigscope whoami` shows yours.";
    if text == MASKED_NOTE {
        return format!("The account id AWS masks is yours: {account} (from STS).");
    }
    let Some(at) = text.find("********") else {
        return text.to_string();
    };
    let digits: String = text[at + 8..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    if account.len() == 12 && digits.len() == 4 && account.ends_with(&digits) {
        text.replace(&format!("********{digits}"), account)
    } else {
        text.to_string()
    }
}

pub fn policy_statement(action: &str, resource: &str) -> String {
    let statement = serde_json::json!({
        "Effect": "Allow",
        "Action": action,
        "Resource": resource,
    });
    serde_json::to_string_pretty(&statement).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_masked_account_is_filled_only_when_the_digits_agree() {
        let t = "arn:aws:execute-api:us-east-1:********9012:demoapi/test/GET/pets";
        assert_eq!(
            super::fill_account(t, "123456789012"),
            "arn:aws:execute-api:us-east-1:123456789012:demoapi/test/GET/pets"
        );
        assert_eq!(super::fill_account(t, "999999999999"), t);
        assert!(super::fill_account(
            "The account id is masked in AWS's message: `sigscope whoami` shows yours.",
            "123456789012"
        )
        .contains("123456789012"));
    }
}
