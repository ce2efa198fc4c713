//! The IAM Identity Center portal, as the gateway answers it for its demo user: GetRoleCredentials
//! (temporary credentials the gateway accepts), ListAccounts, ListAccountRoles and Logout, all
//! authorized by the `x-amz-sso_bearer_token` header.

use super::sessions::{issue_session, DEMO_SSO_ROLES, ROLE_CREDENTIALS_LIFETIME};
use super::sso_oidc::{user_of, SsoState};
use crate::mock::verify::Incoming;
use crate::mock::{respond, MockConfig};
use bytes::Bytes;
use http_body_util::Full;
use serde_json::json;
use std::time::SystemTime;

type Response = hyper::Response<Full<Bytes>>;

pub(super) fn matches(req: &Incoming) -> bool {
    matches!(
        (req.method, req.path),
        (
            "GET",
            "/federation/credentials" | "/assignment/accounts" | "/assignment/roles"
        ) | ("POST", "/logout")
    )
}

fn query(req: &Incoming, key: &str) -> Option<String> {
    req.query.unwrap_or_default().split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == key).then(|| {
            percent_encoding::percent_decode_str(v)
                .decode_utf8_lossy()
                .into_owned()
        })
    })
}

pub(super) fn answer(cfg: &MockConfig, state: &SsoState, req: &Incoming) -> Response {
    let token = req
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("x-amz-sso_bearer_token"))
        .map(|(_, v)| v.as_str())
        .unwrap_or_default();
    let Some(user) = user_of(state, token) else {
        return respond(
            401,
            Some("UnauthorizedException"),
            json!({"message": "Session token not found or invalid"}).to_string(),
        );
    };
    let account = cfg.account.as_str();
    match req.path {
        "/logout" => {
            state.revoke(token);
            respond(200, None, String::new())
        }
        "/assignment/accounts" => respond(
            200,
            None,
            json!({"accountList": [{
                "accountId": account,
                "accountName": "sigscope demo",
                "emailAddress": "demo@example.com",
            }]})
            .to_string(),
        ),
        "/assignment/roles" => {
            let roles: Vec<_> = if query(req, "account_id").as_deref() == Some(account) {
                DEMO_SSO_ROLES
                    .iter()
                    .map(|r| json!({"roleName": r, "accountId": account}))
                    .collect()
            } else {
                Vec::new()
            };
            respond(200, None, json!({"roleList": roles}).to_string())
        }
        _ => {
            let role = query(req, "role_name").unwrap_or_default();
            if query(req, "account_id").as_deref() != Some(account)
                || !DEMO_SSO_ROLES.contains(&role.as_str())
            {
                return respond(
                    403,
                    Some("ForbiddenException"),
                    json!({"message": "No access"}).to_string(),
                );
            }
            let expires = SystemTime::now() + ROLE_CREDENTIALS_LIFETIME;
            let principal = format!(
                "arn:aws:sts::{account}:assumed-role/AWSReservedSSO_{role}_5e1d6a7c3b9f0d21/{user}"
            );
            let key = issue_session(&principal, expires);
            let millis = expires
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap_or_default()
                .as_millis() as u64;
            respond(
                200,
                None,
                json!({"roleCredentials": {
                    "accessKeyId": key.access_key_id,
                    "secretAccessKey": key.secret_access_key,
                    "sessionToken": key.session_token,
                    "expiration": millis,
                }})
                .to_string(),
            )
        }
    }
}
