//! IAM Identity Center: the token cache shared with the AWS CLI (`cache`), the device-flow
//! login (`login`), token refresh, the portal's account and role lists, and logout
//! (`portal`). The OIDC and portal calls go through aws-sdk-ssooidc and aws-sdk-sso, which
//! honour `AWS_ENDPOINT_URL_SSO_OIDC` and `AWS_ENDPOINT_URL_SSO` like every AWS SDK.

pub mod cache;
pub mod login;
pub mod portal;

use crate::aws::config::SsoConfig;
use crate::aws::credentials::{sdk_error, Secret};
use cache::{token_path, write_token, SsoToken};
use std::path::Path;
use std::time::{Duration, SystemTime};

/// An SDK configuration for calls made without AWS credentials (OIDC, the portal) or with
/// given ones (STS): the region is fixed, endpoints and retries come from the environment
/// and the config file as for any SDK client.
pub(crate) async fn sdk_config(
    region: &str,
    credentials: Option<aws_credential_types::Credentials>,
) -> aws_config::SdkConfig {
    let loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new(region.to_string()));
    match credentials {
        Some(c) => loader.credentials_provider(c),
        None => loader.no_credentials(),
    }
    .load()
    .await
}

/// Exchanges the refresh token for a new access token (CreateToken, grant `refresh_token`)
/// and writes it where it was, as botocore's SSOTokenProvider does.
pub async fn refresh(home: &Path, sso: &SsoConfig, token: &SsoToken) -> Result<SsoToken, String> {
    let (Some(client_id), Some(secret), Some(refresh_token)) =
        (&token.client_id, &token.client_secret, &token.refresh_token)
    else {
        return Err("the cached token has no refresh token".into());
    };
    let client = aws_sdk_ssooidc::Client::new(&sdk_config(&sso.region, None).await);
    let now = SystemTime::now();
    let out = client
        .create_token()
        .grant_type("refresh_token")
        .client_id(client_id)
        .client_secret(secret.expose())
        .refresh_token(refresh_token.expose())
        .send()
        .await
        .map_err(|e| format!("refreshing the SSO token failed: {}", sdk_error(&e)))?;
    let access_token = out
        .access_token
        .ok_or("CreateToken answered without an access token")?;
    let refreshed = SsoToken {
        start_url: Some(sso.start_url.clone()),
        region: Some(sso.region.clone()),
        access_token: Secret::new(access_token),
        expires_at: now + Duration::from_secs(out.expires_in.max(0) as u64),
        client_id: token.client_id.clone(),
        client_secret: token.client_secret.clone(),
        registration_expires_at: token.registration_expires_at.clone(),
        refresh_token: out
            .refresh_token
            .map(Secret::new)
            .or_else(|| token.refresh_token.clone()),
    };
    write_token(&token_path(home, sso), &refreshed)
        .map_err(|e| format!("writing {}: {e}", token_path(home, sso).display()))?;
    Ok(refreshed)
}
