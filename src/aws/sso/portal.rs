//! The IAM Identity Center portal with a token: the accounts and roles a login gives
//! (ListAccounts, ListAccountRoles), and logout, which invalidates tokens (Logout) and clears
//! the caches the way `aws sso logout` does.

use super::cache::{read_token, token_path};
use super::sdk_config;
use crate::aws::config::SsoConfig;
use crate::aws::credentials::sdk_error;
use crate::aws::files::{cli_cache_dir, sso_cache_dir};
use std::path::{Path, PathBuf};

/// An account the user can sign in to, and the roles there.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AccountRoles {
    pub account_id: String,
    pub account_name: Option<String>,
    pub roles: Vec<String>,
}

/// Every account and role the token gives access to (all pages).
pub async fn accounts_and_roles(
    region: &str,
    access_token: &str,
) -> Result<Vec<AccountRoles>, String> {
    let client = aws_sdk_sso::Client::new(&sdk_config(region, None).await);
    let mut accounts = Vec::new();
    let mut next = None;
    loop {
        let page = client
            .list_accounts()
            .access_token(access_token)
            .set_next_token(next.take())
            .send()
            .await
            .map_err(|e| format!("ListAccounts: {}", sdk_error(&e)))?;
        accounts.extend(page.account_list.unwrap_or_default());
        next = page.next_token;
        if next.is_none() {
            break;
        }
    }
    let mut out = Vec::new();
    for account in accounts {
        let Some(id) = account.account_id else {
            continue;
        };
        let mut roles = Vec::new();
        let mut next = None;
        loop {
            let page = client
                .list_account_roles()
                .access_token(access_token)
                .account_id(&id)
                .set_next_token(next.take())
                .send()
                .await
                .map_err(|e| format!("ListAccountRoles {id}: {}", sdk_error(&e)))?;
            roles.extend(
                page.role_list
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|r| r.role_name),
            );
            next = page.next_token;
            if next.is_none() {
                break;
            }
        }
        out.push(AccountRoles {
            account_id: id,
            account_name: account.account_name,
            roles,
        });
    }
    Ok(out)
}

/// What a logout removed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct LoggedOut {
    pub tokens: Vec<PathBuf>,
    pub credentials: Vec<PathBuf>,
    /// Tokens the portal could not invalidate (expired already, unreachable): removed anyway.
    pub warnings: Vec<String>,
}

/// `aws sso logout`: every cached token is invalidated (Logout, in the token's region) and
/// removed, and so is every cached credential the AWS CLI got with one (`ProviderType`
/// `sso` in `~/.aws/cli/cache`).
pub async fn logout_all(home: &Path) -> LoggedOut {
    let mut out = LoggedOut::default();
    for (path, json) in json_files(&sso_cache_dir(home)) {
        let Some(token) = json.get("accessToken").and_then(|t| t.as_str()) else {
            continue;
        };
        if let Some(region) = json.get("region").and_then(|r| r.as_str()) {
            if let Err(e) = invalidate(region, token).await {
                out.warnings.push(format!("{}: {e}", path.display()));
            }
        }
        if std::fs::remove_file(&path).is_ok() {
            out.tokens.push(path);
        }
    }
    for (path, json) in json_files(&cli_cache_dir(home)) {
        if json.get("ProviderType").and_then(|p| p.as_str()) == Some("sso")
            && std::fs::remove_file(&path).is_ok()
        {
            out.credentials.push(path);
        }
    }
    out
}

/// Logs out of one SSO session (or legacy start URL): its token invalidated and removed.
pub async fn logout_session(home: &Path, sso: &SsoConfig) -> LoggedOut {
    let mut out = LoggedOut::default();
    let path = token_path(home, sso);
    match read_token(&path) {
        Ok(Some(token)) => {
            if let Err(e) = invalidate(&sso.region, token.access_token.expose()).await {
                out.warnings.push(e);
            }
        }
        Ok(None) => return out,
        Err(e) => out.warnings.push(e),
    }
    if std::fs::remove_file(&path).is_ok() {
        out.tokens.push(path);
    }
    out
}

async fn invalidate(region: &str, access_token: &str) -> Result<(), String> {
    let client = aws_sdk_sso::Client::new(&sdk_config(region, None).await);
    client
        .logout()
        .access_token(access_token)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| format!("Logout: {}", sdk_error(&e)))
}

fn json_files(dir: &Path) -> Vec<(PathBuf, serde_json::Value)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .filter_map(|p| {
            let json = serde_json::from_str(&std::fs::read_to_string(&p).ok()?).ok()?;
            Some((p, json))
        })
        .collect()
}
