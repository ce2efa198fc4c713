//! The secret check on what it must refuse: credentials in header rows, and the widened
//! names and shapes (issue 12).

mod header_tests {
    use super::super::*;

    #[test]
    fn literal_credentials_in_header_rows_are_refused_with_their_path() {
        let c = serde_json::json!({"requests": [{"headers": [
            {"name": "Accept", "value": "application/json"},
            {"name": "X-Amz-Security-Token", "value": "IQoJb3JpZ2luEXAMPLE"}
        ]}]});
        match refuse_secrets("c.json", &c) {
            Err(LoadError::Secret { path, what, .. }) => {
                assert_eq!(path, "$.requests[0].headers[1].value");
                assert!(what.contains("X-Amz-Security-Token"), "{what}");
            }
            other => panic!("{other:?}"),
        }
        let bearer =
            serde_json::json!({"headers": [{"name": "Authorization", "value": "Bearer abc.def"}]});
        assert!(refuse_secrets("c.json", &bearer).is_err());
        let reference = serde_json::json!({"headers": [
            {"name": "Authorization", "value": "Bearer {{$env.TOKEN}}"},
            {"name": "x-amz-security-token", "value": "{{$env.AWS_SESSION_TOKEN}}"}
        ]});
        assert!(refuse_secrets("c.json", &reference).is_ok());
    }
}

mod widened_tests {
    use super::super::*;
    use serde_json::json;

    fn refused(v: &Value) -> Option<(String, String)> {
        let found = match refuse_secrets("c.json", v) {
            Err(LoadError::Secret { path, what, .. }) => Some((path, what)),
            Ok(()) => None,
            Err(e) => panic!("{e}"),
        };
        // The loader's one-pass scan refuses the same (it then takes the long way).
        assert_eq!(
            crate::model::scan::is_clean(&v.to_string()),
            found.is_none(),
            "{v}"
        );
        found
    }

    fn request(field: &str, value: Value) -> Value {
        let mut r = json!({"name": "r", "method": "GET", "url": "https://x/"});
        r[field] = value;
        json!({"version": 1, "name": "c", "requests": [r]})
    }

    /// Each case of issue 12, item 4.
    #[test]
    fn the_secrets_the_check_used_to_miss_are_refused() {
        let token = format!("IQoJb3JpZ2luX2VjEJr{}", "A".repeat(300));
        let cases = [
            (
                request(
                    "url",
                    json!(format!("https://x/pets?a=1&X-Amz-Security-Token={token}")),
                ),
                "$.requests[0].url",
                "X-Amz-Security-Token",
            ),
            (
                request("url", json!("https://alice:hunter22@api.example.com/v1")),
                "$.requests[0].url",
                "password",
            ),
            (
                json!({"version": 1, "name": "c",
                       "variables": {"awsSecret": "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY01"}}),
                "$.variables.awsSecret",
                "literal credential",
            ),
            (
                json!({"version": 1, "name": "c", "variables": {
                    "t": format!("FQoGZXIvYXdzEBYaDKw{}", "b".repeat(200))}}),
                "$.variables.t",
                "session token",
            ),
            (
                request(
                    "description",
                    json!("Use wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY when testing."),
                ),
                "$.requests[0].description",
                "secret access key",
            ),
            (
                request(
                    "body",
                    json!({"type": "text",
                           "content": "aws_secret_access_key = wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY01\n"}),
                ),
                "$.requests[0].body.content",
                "secret access key",
            ),
            (
                request(
                    "body",
                    json!({"type": "json", "content": {"creds": {"token": "abc123def456"}}}),
                ),
                "$.requests[0].body.content.creds.token",
                "literal credential",
            ),
            (
                request(
                    "headers",
                    json!([{"name": "X-Api-Key", "value": "k3y-v4lue-literal"}]),
                ),
                "$.requests[0].headers[0].value",
                "X-Api-Key",
            ),
            (
                request(
                    "description",
                    json!("token: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.c2lnbmF0dXJlLXZhbHVl"),
                ),
                "$.requests[0].description",
                "JSON Web Token",
            ),
        ];
        for (value, path, what) in cases {
            let (p, w) = refused(&value).unwrap_or_else(|| panic!("not refused: {value}"));
            assert_eq!(p, path, "{value}");
            assert!(w.contains(what), "{w} (wanted {what})");
        }
    }

    #[test]
    fn references_and_look_alikes_are_not_secrets() {
        let fine = [
            request(
                "url",
                json!(
                    "{{base}}/pets?X-Amz-Security-Token={{$env.AWS_SESSION_TOKEN}}&NextToken=abc"
                ),
            ),
            request("url", json!("https://alice@api.example.com/v1/")),
            request(
                "url",
                json!("https://{{user}}:{{$env.PW}}@api.example.com/"),
            ),
            request(
                "url",
                json!(
                    "https://abc.execute-api.us-east-1.amazonaws.com/prod/Users/Abc123/Items/Xyz9"
                ),
            ),
            request(
                "body",
                json!({"type": "json", "content": {
                    "SecretId": "prod/db", "NextToken": "eyJ2IjoxfQ", "ClientRequestToken": "r-1",
                    "MinimumPasswordLength": 14, "sha1": "da39a3ee5e6b4b0d3255bfef95601890afd80709",
                    "blob": "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo5ODc2NTQzMjEwYWJj==",
                    "maxTokens": "100"}}),
            ),
            json!({"version": 1, "name": "c", "variables": {
                "awsSecret": "{{$env.AWS_SECRET_ACCESS_KEY}}", "password": "",
                "profile": "demo-wrong-secret"}}),
        ];
        for v in fine {
            assert_eq!(refused(&v), None, "{v}");
        }
    }

    #[test]
    fn secret_names() {
        for n in [
            "awsSecret",
            "client_secret",
            "SecretAccessKey",
            "X-Amz-Security-Token",
            "sessionToken",
            "access_token",
            "password",
            "db-passwd",
            "X-API-Key",
            "SecretString",
        ] {
            assert!(is_secret_name(n), "{n}");
        }
        for n in [
            "NextToken",
            "continuation-token",
            "ClientRequestToken",
            "SecretId",
            "SecretArn",
            "PasswordLength",
            "name",
            "maxTokens",
            "tokenUrl",
        ] {
            assert!(!is_secret_name(n), "{n}");
        }
    }
}
