//! Every config shape, written to temporary files and read back, and each broken profile's
//! message.

use super::*;
use crate::aws::profiles::AwsFiles;

/// The two files in a temporary folder, loaded as the CLI loads them.
fn load(config: &str, credentials: &str) -> (tempfile::TempDir, AwsConfig) {
    let dir = tempfile::tempdir().unwrap();
    let files = AwsFiles {
        config: dir.path().join("config"),
        credentials: dir.path().join("credentials"),
    };
    std::fs::write(&files.config, config).unwrap();
    std::fs::write(&files.credentials, credentials).unwrap();
    let cfg = AwsConfig::load(&files);
    (dir, cfg)
}

fn problem(cfg: &AwsConfig, profile: &str) -> String {
    cfg.plan(profile).unwrap_err().to_string()
}

const KEYS: &str = "[base]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n";

#[test]
fn sso_session_profiles_take_the_session_and_its_scopes() {
    let (_d, cfg) = load(
        "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\n\
         [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n\
         sso_registration_scopes = sso:account:access, ,codewhisperer:completions\n",
        "",
    );
    let plan = cfg.plan("dev").unwrap();
    assert!(plan.roles.is_empty());
    let sso = plan.sso().unwrap();
    assert_eq!(sso.session_name.as_deref(), Some("corp"));
    assert_eq!(sso.cache_id(), "corp");
    assert_eq!(sso.start_url, "https://corp.awsapps.com/start");
    assert_eq!(sso.region, "eu-west-1");
    assert_eq!(
        sso.scopes.as_deref(),
        Some(
            &[
                "sso:account:access".to_string(),
                "codewhisperer:completions".into()
            ][..]
        )
    );
    assert_eq!(sso.account_id.as_deref(), Some("111122223333"));
    assert_eq!(sso.role_name.as_deref(), Some("Dev"));
}

#[test]
fn legacy_sso_profiles_are_keyed_by_their_start_url() {
    let (_d, cfg) = load(
        "[profile old]\nsso_start_url = https://old.awsapps.com/start\nsso_region = us-east-1\n\
         sso_account_id = 111122223333\nsso_role_name = ReadOnly\n",
        "",
    );
    let sso = cfg.plan("old").unwrap().sso().cloned().unwrap();
    assert_eq!(sso.session_name, None);
    assert_eq!(sso.scopes, None);
    assert_eq!(sso.cache_id(), "https://old.awsapps.com/start");
}

#[test]
fn keys_come_from_either_file_and_the_credentials_file_wins() {
    let (_d, cfg) = load(
        "[profile default]\nregion = eu-west-1\naws_access_key_id = AKIAFROMCONFEXAMPLE0\n",
        "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = s\n",
    );
    assert_eq!(
        cfg.plan("default").unwrap().leaf,
        Leaf::Static {
            profile: "default".into()
        }
    );
    let s = cfg.profile("default").unwrap();
    assert_eq!(s["aws_access_key_id"], "AKIAIOSFODNN7EXAMPLE");
    assert_eq!(s["region"], "eu-west-1");
}

#[test]
fn role_chains_apply_innermost_first_with_every_setting() {
    let (_d, cfg) = load(
        "[profile admin]\nrole_arn = arn:aws:iam::1:role/admin\nsource_profile = ops\n\
         mfa_serial = arn:aws:iam::1:mfa/me\nexternal_id = ext\nrole_session_name = me\nduration_seconds = 7200\n\
         [profile ops]\nrole_arn = arn:aws:iam::1:role/ops\nsource_profile = base\nduration_seconds = soon\n",
        KEYS,
    );
    let plan = cfg.plan("admin").unwrap();
    assert_eq!(
        plan.leaf,
        Leaf::Static {
            profile: "base".into()
        }
    );
    let arns: Vec<&str> = plan.roles.iter().map(|r| r.role_arn.as_str()).collect();
    assert_eq!(
        arns,
        ["arn:aws:iam::1:role/ops", "arn:aws:iam::1:role/admin"]
    );
    let admin = &plan.roles[1];
    assert_eq!(admin.mfa_serial.as_deref(), Some("arn:aws:iam::1:mfa/me"));
    assert_eq!(admin.external_id.as_deref(), Some("ext"));
    assert_eq!(admin.role_session_name.as_deref(), Some("me"));
    assert_eq!(admin.duration_seconds, Some(7200));
    // botocore drops a duration that is not a number.
    assert_eq!(plan.roles[0].duration_seconds, None);
}

#[test]
fn roles_on_sso_credential_sources_and_delegated_leaves() {
    let (_d, cfg) = load(
        "[profile dev]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = Dev\n\
         [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n\
         [profile deploy]\nrole_arn = arn:aws:iam::1:role/deploy\nsource_profile = dev\n\
         [profile ec2]\nrole_arn = arn:aws:iam::1:role/x\ncredential_source = Ec2InstanceMetadata\n\
         [profile env]\nrole_arn = arn:aws:iam::1:role/x\ncredential_source = Environment\n\
         [profile proc]\ncredential_process = /bin/creds\n\
         [profile ci]\nrole_arn = arn:aws:iam::1:role/ci\nweb_identity_token_file = /t\n\
         [profile self]\nrole_arn = arn:aws:iam::1:role/self\nsource_profile = self\n\
         aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = s\n",
        "",
    );
    let deploy = cfg.plan("deploy").unwrap();
    assert_eq!(deploy.sso().unwrap().session_name.as_deref(), Some("corp"));
    assert_eq!(deploy.roles.len(), 1);
    assert_eq!(
        cfg.plan("ec2").unwrap().leaf,
        Leaf::Source(RoleSource::Ec2InstanceMetadata)
    );
    assert_eq!(
        cfg.plan("env").unwrap().leaf,
        Leaf::Source(RoleSource::Environment)
    );
    assert!(matches!(
        cfg.plan("proc").unwrap().leaf,
        Leaf::Delegated {
            what: "credential_process",
            ..
        }
    ));
    let ci = cfg.plan("ci").unwrap();
    assert!(matches!(
        ci.leaf,
        Leaf::Delegated {
            what: "web identity",
            ..
        }
    ));
    assert!(
        ci.roles.is_empty(),
        "aws-config assumes web identity roles itself"
    );
    // A profile may source its own keys for its role (botocore allows exactly that).
    let own = cfg.plan("self").unwrap();
    assert_eq!(
        own.leaf,
        Leaf::Static {
            profile: "self".into()
        }
    );
    assert_eq!(own.roles.len(), 1);
}

#[test]
fn each_broken_profile_says_why() {
    let (_d, cfg) = load(
        "[profile orphan]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = gone\n\
         [profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n\
         [profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = c\n\
         [profile c]\nrole_arn = arn:aws:iam::1:role/c\nsource_profile = a\n\
         [profile me]\nrole_arn = arn:aws:iam::1:role/me\nsource_profile = me\n\
         [profile half]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n\
         [profile halfsecret]\naws_secret_access_key = s\n\
         [profile both]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = base\ncredential_source = Environment\n\
         [profile neither]\nrole_arn = arn:aws:iam::1:role/x\n\
         [profile badsource]\nrole_arn = arn:aws:iam::1:role/x\ncredential_source = Laptop\n\
         [profile nosession]\nsso_session = nope\nsso_account_id = 1\nsso_role_name = R\n\
         [profile thin]\nsso_session = thin\nsso_account_id = 1\nsso_role_name = R\n\
         [sso-session thin]\nsso_region = us-east-1\n\
         [profile legacy]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\nsso_role_name = R\n\
         [profile norole]\nsso_session = corp\nsso_account_id = 1\n\
         [profile clash]\nsso_session = corp\nsso_start_url = https://other.awsapps.com/start\nsso_account_id = 1\nsso_role_name = R\n\
         [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n\
         [profile settings]\nregion = us-east-1\n\
         [profile onsettings]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = settings\n",
        KEYS,
    );
    let cases = [
        ("orphan", "names source_profile 'gone', which does not exist"),
        ("a", "its source_profile chain loops (a → b → c → a)"),
        ("me", "its source_profile chain loops (me → me)"),
        ("half", "missing aws_secret_access_key: it has aws_access_key_id without its secret"),
        ("halfsecret", "missing aws_access_key_id"),
        ("both", "has both source_profile and credential_source"),
        ("neither", "has role_arn but neither source_profile nor credential_source"),
        ("badsource", "credential_source 'Laptop' is not Environment, Ec2InstanceMetadata or EcsContainer"),
        ("nosession", "names sso_session 'nope', but"),
        ("thin", "missing sso_start_url: add it to [sso-session thin]"),
        ("legacy", "missing sso_account_id: a profile with sso_start_url"),
        ("norole", "missing sso_role_name: it names an account"),
        ("clash", "sso_start_url is 'https://other.awsapps.com/start' in the profile but 'https://corp.awsapps.com/start' in [sso-session corp]"),
        ("settings", "has no credentials"),
        ("onsettings", "profile 'settings' has no credentials"),
        ("ghost", "profile 'ghost' does not exist in"),
    ];
    for (profile, expected) in cases {
        let message = problem(&cfg, profile);
        assert!(message.contains(expected), "{profile}: {message}");
    }
    assert!(matches!(
        cfg.plan("a").unwrap_err(),
        ProfileProblem::Cycle { chain, .. } if chain == ["a", "b", "c", "a"]
    ));
}
