//! TLS as companies have it, against real local servers: a private CA (the certificate a
//! TLS-inspecting proxy presents) refused with the unknown-CA diagnosis and accepted once the
//! CA file is configured; a certificate for other names; an expired one; a server that
//! wants a client certificate, refusing without and accepting with (an encrypted key too).

mod common;
#[path = "common/servers.rs"]
mod servers;

use servers::{settings, Ca};
use sigscope::diagnose::transport::TransportDiagnosis;
use sigscope::http::client::{build, ClientSettings};
use sigscope::http::{TransportError, TransportKind};

/// The body of a GET that succeeds; a failure with its diagnosis.
async fn get(
    s: &ClientSettings,
    url: &str,
) -> Result<String, (TransportError, TransportDiagnosis)> {
    let x = servers::get(s, url).await?;
    Ok(String::from_utf8_lossy(&x.response.body).into_owned())
}

fn evidence<'a>(d: &'a TransportDiagnosis, what: &str) -> &'a str {
    d.evidence
        .iter()
        .find(|(k, _)| k == what)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no '{what}' in {:?}", d.evidence))
}

#[tokio::test]
async fn a_private_ca_is_refused_with_its_issuer_named_then_trusted_with_the_ca_file() {
    let ca = Ca::new("Example Corp Inspection CA");
    let server = servers::https(&ca.server(&["localhost"], -1, 30), &[], None).await;
    let url = format!("https://localhost:{}/test/pets", server.port);

    let (e, d) = get(&settings(), &url).await.unwrap_err();
    assert_eq!(e.kind, TransportKind::TlsUnknownCa, "{e}");
    assert_eq!(d.kind, TransportKind::TlsUnknownCa);
    assert!(
        d.summary.contains("Example Corp Inspection CA"),
        "the issuer is named: {}",
        d.summary
    );
    assert!(evidence(&d, "issuer").contains("CN=Example Corp Inspection CA"));
    assert!(
        d.next_steps[0].contains("your network re-signs TLS")
            && d.next_steps[0].contains("AWS_CA_BUNDLE")
            && d.next_steps[0].contains("caFile"),
        "{:?}",
        d.next_steps
    );

    let dir = tempfile::tempdir().unwrap();
    let mut trusted = settings();
    trusted.ca_files = vec![(
        ca.write(dir.path()).display().to_string(),
        "caFile in the collection".into(),
    )];
    let body = get(&trusted, &url).await.expect("trusted with the CA file");
    assert!(body.starts_with("hello over"), "{body}");
}

#[tokio::test]
async fn aws_ca_bundle_is_honoured_like_the_aws_cli() {
    // Read through a child process's environment: the variable is process-wide.
    let ca = Ca::new("Bundle Test CA");
    let server = servers::https(&ca.server(&["localhost"], -1, 30), &[], None).await;
    let dir = tempfile::tempdir().unwrap();
    let bundle = ca.write(dir.path());
    let url = format!("https://localhost:{}/x", server.port);
    let data = dir.path().join("data");
    let run = move |bundle: Option<&std::path::Path>| {
        let mut cmd = common::sigscope();
        cmd.args(["send", "--no-sign", &url])
            .env("SIGSCOPE_DATA_DIR", &data);
        if let Some(b) = bundle {
            cmd.env("AWS_CA_BUNDLE", b);
        }
        cmd.output().unwrap()
    };
    let bundle_path = bundle.clone();
    let (without, with) = tokio::task::spawn_blocking(move || (run(None), run(Some(&bundle_path))))
        .await
        .unwrap();
    let err = String::from_utf8_lossy(&without.stderr);
    assert_eq!(without.status.code(), Some(4), "{err}");
    assert!(
        err.contains("tls-unknown-ca") && err.contains("Bundle Test CA"),
        "{err}"
    );
    assert_eq!(
        with.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&with.stderr)
    );
    assert!(String::from_utf8_lossy(&with.stdout).starts_with("hello over"));
}

#[tokio::test]
async fn a_certificate_for_other_names_is_a_hostname_mismatch_naming_them() {
    let ca = Ca::new("Names Test CA");
    let server = servers::https(
        &ca.server(&["api.internal.example", "other.internal.example"], -1, 30),
        &[],
        None,
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let mut s = settings();
    s.ca_files = vec![(
        ca.write(dir.path()).display().to_string(),
        "--cacert".into(),
    )];
    let url = format!("https://localhost:{}/", server.port);
    let (e, d) = get(&s, &url).await.unwrap_err();
    assert_eq!(e.kind, TransportKind::TlsHostname, "{e}");
    assert!(
        d.summary
            .contains("api.internal.example, other.internal.example")
            && d.summary.contains("not for localhost"),
        "{}",
        d.summary
    );
    // --resolve: the private name goes to this machine and the certificate fits.
    s.resolve = vec![format!("api.internal.example:{}:127.0.0.1", server.port)
        .parse()
        .unwrap()];
    let body = get(
        &s,
        &format!("https://api.internal.example:{}/", server.port),
    )
    .await
    .expect("--resolve reaches the server by its certificate's name");
    assert!(body.contains("host: api.internal.example"), "{body}");
}

#[tokio::test]
async fn an_expired_certificate_is_named_with_its_dates() {
    let ca = Ca::new("Expiry Test CA");
    let server = servers::https(&ca.server(&["localhost"], -60, -2), &[], None).await;
    let dir = tempfile::tempdir().unwrap();
    let mut s = settings();
    s.ca_files = vec![(
        ca.write(dir.path()).display().to_string(),
        "--cacert".into(),
    )];
    let url = format!("https://localhost:{}/", server.port);
    let (e, d) = get(&s, &url).await.unwrap_err();
    assert_eq!(e.kind, TransportKind::TlsExpired, "{e}");
    let cert = e.facts.certificate.as_ref().expect("the certificate seen");
    let expired_on = (time::OffsetDateTime::now_utc() - time::Duration::days(2)).date();
    assert!(
        cert.not_after.starts_with(&expired_on.to_string()),
        "{} vs {expired_on}",
        cert.not_after
    );
    assert!(
        d.summary.contains("expired on") && d.summary.contains(&cert.not_after),
        "{}",
        d.summary
    );
    assert!(evidence(&d, "valid").contains(" to "));
}

#[tokio::test]
async fn mutual_tls_refuses_without_a_client_certificate_and_accepts_with_one() {
    let server_ca = Ca::new("Server CA");
    let client_ca = Ca::new("Partner Client CA");
    let server = servers::https(
        &server_ca.server(&["localhost"], -1, 30),
        &[],
        Some(&client_ca),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let mut s = settings();
    s.ca_files = vec![(
        server_ca.write(dir.path()).display().to_string(),
        "--cacert".into(),
    )];
    let url = format!("https://localhost:{}/", server.port);

    let (e, d) = get(&s, &url).await.unwrap_err();
    assert_eq!(e.kind, TransportKind::MtlsRequired, "{e}: {:?}", e.facts);
    assert!(
        d.summary.contains("asked for a client certificate"),
        "{}",
        d.summary
    );
    assert!(
        evidence(&d, "server accepts certificates from").contains("Partner Client CA"),
        "{:?}",
        d.evidence
    );
    assert!(d.next_steps[0].contains("--cert"), "{:?}", d.next_steps);

    let leaf = client_ca.client("partner-app");
    let cert = dir.path().join("client.pem");
    let key = dir.path().join("client.key");
    std::fs::write(&cert, &leaf.pem).unwrap();
    std::fs::write(&key, &leaf.key_pem).unwrap();
    s.client_cert = Some((cert.display().to_string(), key.display().to_string(), None));
    let body = get(&s, &url)
        .await
        .expect("accepted with the client certificate");
    assert!(body.contains("client certificate: true"), "{body}");

    // The same key, encrypted: asked for, refused when wrong, used when right.
    let encrypted = dir.path().join("client-encrypted.key");
    std::fs::write(&encrypted, servers::encrypt_key(&leaf.key, "open sesame")).unwrap();
    let mut enc = s.clone();
    enc.client_cert = Some((
        cert.display().to_string(),
        encrypted.display().to_string(),
        None,
    ));
    let needed = build(&enc).unwrap_err();
    assert_eq!(
        needed.passphrase_needed(),
        Some(encrypted.to_str().unwrap())
    );
    enc.client_cert = Some((
        cert.display().to_string(),
        encrypted.display().to_string(),
        Some("wrong".into()),
    ));
    assert!(build(&enc)
        .unwrap_err()
        .to_string()
        .contains("did not decrypt"));
    enc.client_cert = Some((
        cert.display().to_string(),
        encrypted.display().to_string(),
        Some("open sesame".into()),
    ));
    let body = get(&enc, &url).await.expect("the decrypted key works");
    assert!(body.contains("client certificate: true"), "{body}");
}

#[tokio::test]
async fn a_client_certificate_from_another_ca_is_refused_and_said_so() {
    let server_ca = Ca::new("Server CA 2");
    let trusted_client_ca = Ca::new("Trusted Client CA");
    let other_ca = Ca::new("Some Other CA");
    let server = servers::https(
        &server_ca.server(&["localhost"], -1, 30),
        &[],
        Some(&trusted_client_ca),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let leaf = other_ca.client("stranger");
    let (cert, key) = (dir.path().join("c.pem"), dir.path().join("k.pem"));
    std::fs::write(&cert, &leaf.pem).unwrap();
    std::fs::write(&key, &leaf.key_pem).unwrap();
    let mut s = settings();
    s.ca_files = vec![(
        server_ca.write(dir.path()).display().to_string(),
        "--cacert".into(),
    )];
    s.client_cert = Some((cert.display().to_string(), key.display().to_string(), None));
    let url = format!("https://localhost:{}/", server.port);
    let (e, d) = get(&s, &url).await.unwrap_err();
    assert_eq!(e.kind, TransportKind::MtlsRequired, "{e}");
    assert!(
        d.summary.contains("refused the client certificate"),
        "{}",
        d.summary
    );
}

#[tokio::test]
async fn http_version_is_chosen_per_request() {
    let ca = Ca::new("Version CA");
    let server = servers::https(&ca.server(&["localhost"], -1, 30), &[], None).await;
    let dir = tempfile::tempdir().unwrap();
    let mut s = settings();
    s.ca_files = vec![(
        ca.write(dir.path()).display().to_string(),
        "--cacert".into(),
    )];
    let url = format!("https://localhost:{}/", server.port);
    assert!(
        get(&s, &url).await.unwrap().contains("HTTP/2.0"),
        "auto offers h2"
    );
    s.http_version = sigscope::model::network::HttpVersion::Http1;
    assert!(get(&s, &url).await.unwrap().contains("HTTP/1.1"));
    s.http_version = sigscope::model::network::HttpVersion::Http2;
    assert!(get(&s, &url).await.unwrap().contains("HTTP/2.0"));
}

#[tokio::test]
async fn the_doctor_diagnoses_an_unknown_ca_and_passes_with_cacert() {
    let ca = Ca::new("Doctor Test CA");
    let server = servers::https(&ca.server(&["localhost"], -1, 30), &[], None).await;
    let dir = tempfile::tempdir().unwrap();
    let ca_file = ca.write(dir.path());
    let url = format!("https://localhost:{}/test/pets", server.port);
    let data = dir.path().join("data");
    let run = move |cacert: Option<&std::path::Path>| {
        let mut cmd = common::sigscope();
        common::demo_env(&mut cmd)
            .args([
                "doctor",
                "--skip-identity",
                "--region",
                "us-east-1",
                "--service",
                "execute-api",
            ])
            .env("SIGSCOPE_DATA_DIR", &data);
        if let Some(c) = cacert {
            cmd.arg("--cacert").arg(c);
        }
        cmd.arg(&url).output().unwrap()
    };
    let (without, with) =
        tokio::task::spawn_blocking(move || (run(None), run(Some(ca_file.as_path()))))
            .await
            .unwrap();
    let out = String::from_utf8_lossy(&without.stdout);
    assert_eq!(without.status.code(), Some(4), "{out}");
    assert!(
        out.contains("FAIL our clock vs the server's: no response (tls-unknown-ca)")
            && out.contains("Doctor Test CA")
            && out.contains("- your network re-signs TLS"),
        "{out}"
    );
    let out = String::from_utf8_lossy(&with.stdout);
    assert!(!out.contains("no response"), "trusted with --cacert: {out}");
    assert!(out.contains("ok   our clock vs the server's"), "{out}");
}

/// The operating system's store (read through `SSL_CERT_FILE`, which rustls-native-certs
/// honours as OpenSSL does) and a profile's `ca_bundle` each make a private CA trusted; a
/// child process each, as both are read from the environment.
#[tokio::test]
async fn the_system_store_and_a_profiles_ca_bundle_are_trusted() {
    let ca = Ca::new("System Store CA");
    let server = servers::https(&ca.server(&["localhost"], -1, 30), &[], None).await;
    let dir = tempfile::tempdir().unwrap();
    let ca_file = ca.write(dir.path());
    let config = dir.path().join("config");
    std::fs::write(
        &config,
        format!(
            "[profile corp]\nregion = us-east-1\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nca_bundle = {}\n\n[profile plain]\nregion = us-east-1\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
            ca_file.display()
        ),
    )
    .unwrap();
    let url = format!("https://localhost:{}/x", server.port);
    let data = dir.path().join("data");
    let run = move |args: &[&str], ssl_cert_file: Option<&std::path::Path>| {
        let mut cmd = common::sigscope();
        cmd.arg("send")
            .args(args)
            .arg(&url)
            .env("AWS_CONFIG_FILE", &config)
            .env("SIGSCOPE_DATA_DIR", &data)
            .env_remove("SSL_CERT_DIR");
        match ssl_cert_file {
            Some(f) => cmd.env("SSL_CERT_FILE", f),
            None => cmd.env("SSL_CERT_FILE", "/nonexistent/sigscope-test/certs.pem"),
        };
        cmd.output().unwrap()
    };
    let ca_for_system = ca_file.clone();
    let (system, plain, profile) = tokio::task::spawn_blocking(move || {
        (
            run(&["--no-sign"], Some(&ca_for_system)),
            run(&["--profile", "plain", "--service", "execute-api"], None),
            run(&["--profile", "corp", "--service", "execute-api"], None),
        )
    })
    .await
    .unwrap();
    let text = |o: &std::process::Output| {
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    };
    assert_eq!(system.status.code(), Some(0), "{}", text(&system));
    assert!(text(&system).contains("hello over"), "{}", text(&system));
    assert_eq!(plain.status.code(), Some(4), "{}", text(&plain));
    assert!(text(&plain).contains("tls-unknown-ca"), "{}", text(&plain));
    assert_eq!(profile.status.code(), Some(0), "{}", text(&profile));
    assert!(text(&profile).contains("hello over"), "{}", text(&profile));
}
