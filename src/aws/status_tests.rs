//! Statuses from files in a temporary home: tokens and cached role credentials written the
//! way the AWS CLI writes them.

use super::*;
use crate::aws::credentials::{Credentials, Secret};
use crate::aws::role_cache::{cache_path, write, Assumed};
use crate::aws::sso::cache::{token_path, write_token, SsoToken};
use std::time::Duration;

const CONFIG: &str = "[profile keys]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = s\n\
    [profile sso]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = Dev\n\
    [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n\
    [profile mfa]\nrole_arn = arn:aws:iam::1:role/mfa\nsource_profile = keys\nmfa_serial = arn:aws:iam::1:mfa/me\n\
    [profile outer]\nrole_arn = arn:aws:iam::1:role/outer\nsource_profile = mfa\n\
    [profile onsso]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = sso\n\
    [profile broken]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = gone\n";

fn now() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_000_000)
}

fn token(expires_at: SystemTime, refresh: bool) -> SsoToken {
    SsoToken {
        start_url: Some("https://corp.awsapps.com/start".into()),
        region: Some("us-east-1".into()),
        access_token: Secret::new("aoa"),
        expires_at,
        client_id: refresh.then(|| "cid".into()),
        client_secret: refresh.then(|| Secret::new("cs")),
        registration_expires_at: refresh.then(|| "2027-06-01T00:00:00Z".into()),
        refresh_token: refresh.then(|| Secret::new("aor")),
    }
}

#[test]
fn statuses_follow_tokens_and_caches() {
    let home = tempfile::tempdir().unwrap();
    let cfg = AwsConfig::parse(CONFIG, "");
    let status = |p: &str| profile_status(&cfg, p, home.path(), now());
    assert_eq!(status("keys").summary(), "ready (static keys)");

    // No token yet: login, for the SSO profile and the role on top of it.
    for p in ["sso", "onsso"] {
        assert!(matches!(
            status(p),
            ProfileStatus::NeedsLogin {
                expired_at: None,
                ..
            }
        ));
        assert_eq!(
            status(p).command(p).unwrap(),
            format!("sigscope login --profile {p}")
        );
    }
    let sso = cfg.plan("sso").unwrap().sso().cloned().unwrap();
    let path = token_path(home.path(), &sso);
    write_token(&path, &token(now() + Duration::from_secs(3600), false)).unwrap();
    assert_eq!(
        status("sso"),
        ProfileStatus::Ready {
            until: Some(now() + Duration::from_secs(3600)),
            what: "SSO token for sso-session corp (https://corp.awsapps.com/start)".into()
        }
    );
    assert_eq!(
        status("onsso").summary(),
        "ready until 2026-11-18T12:06:40Z (assumes arn:aws:iam::1:role/x when used, \
         SSO token for sso-session corp (https://corp.awsapps.com/start))"
    );
    // Expired without a refresh token: login again; with one: refreshed on use.
    write_token(&path, &token(now() - Duration::from_secs(60), false)).unwrap();
    assert_eq!(
        status("sso").summary(),
        "needs login: sso-session corp (https://corp.awsapps.com/start) expired at 2026-11-18T11:05:40Z"
    );
    write_token(&path, &token(now() - Duration::from_secs(60), true)).unwrap();
    assert_eq!(status("sso").state(), "ready");
    assert!(status("sso").summary().contains("refreshed when used"));

    // The MFA role, and a role on top of it: the code is needed until the role is cached.
    for p in ["mfa", "outer"] {
        match status(p) {
            ProfileStatus::NeedsMfa(c) => {
                assert_eq!(c.mfa_serial, "arn:aws:iam::1:mfa/me");
                assert_eq!(c.role_profile, "mfa");
                assert_eq!(c.profile, p);
            }
            other => panic!("{p}: {other:?}"),
        }
    }
    let mfa_link = cfg.plan("mfa").unwrap().roles[0].clone();
    let creds = Credentials::new("ASIAEXAMPLE000000000", "s", Some("t"), "test");
    write(
        &cache_path(home.path(), &mfa_link),
        &Assumed {
            credentials: &creds,
            expiration: now() + Duration::from_secs(1800),
            assumed_role_id: "AROA:x",
            arn: "arn:aws:sts::1:assumed-role/mfa/x",
        },
    )
    .unwrap();
    assert_eq!(
        status("mfa").summary(),
        "ready until 2026-11-18T11:36:40Z (cached credentials for arn:aws:iam::1:role/mfa)"
    );
    assert_eq!(
        status("outer").summary(),
        "ready (assumes arn:aws:iam::1:role/outer when used, from cached role credentials)"
    );
    assert_eq!(status("mfa").command("mfa"), None);

    match status("broken") {
        ProfileStatus::Broken(p) => assert!(p.to_string().contains("'gone'")),
        other => panic!("{other:?}"),
    }
    assert_eq!(StatusView::new("broken", &status("broken")).state, "broken");
}
