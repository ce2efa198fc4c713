#![recursion_limit = "256"]
//! The workbench on networks as companies have them: "Why was I denied?" (the demo's denied
//! DELETE offers IAM's policy simulator, the key from the keymap asks it through our engine,
//! the local gateway's answer names the deciding statement); an encrypted client key for
//! mutual TLS asked for its passphrase (masked, in memory only), asked again when wrong.

#[path = "common/servers.rs"]
mod servers;

use crossterm::event::KeyCode;
use servers::Ca;
use sigscope::mock::{self, MockConfig};
use sigscope::tui::app::{Action, RequestState};
use sigscope::tui::harness::Harness;

fn next_steps(h: &Harness) -> Vec<String> {
    match h.app().request_state() {
        RequestState::Done {
            diagnosis: Some(d), ..
        } => d.next_steps.clone(),
        other => panic!("no diagnosis: {other:?}"),
    }
}

#[tokio::test]
async fn an_access_denied_offers_the_simulator_and_its_answer_names_the_deny() {
    let server = mock::start(MockConfig::default(), 0).await.unwrap();
    let mut h = Harness::demo(&server.base_url());
    h.select("Denied resource").await;
    h.act(Action::Send).await;
    let offered = next_steps(&h);
    assert!(
        offered
            .iter()
            .any(|s| s.starts_with("Why? W asks IAM's policy simulator")
                && s.contains("execute-api:Invoke")),
        "{offered:?}"
    );
    assert!(
        !offered.iter().any(|s| s.starts_with("why: ")),
        "{offered:?}"
    );

    h.act(Action::Why).await;
    let answered = next_steps(&h);
    assert!(
        answered
            .iter()
            .any(|s| s.starts_with("why: explicitDeny: a Deny statement decides")),
        "{answered:?}"
    );
    assert!(
        answered
            .iter()
            .any(|s| s.starts_with("why: deciding: sigscope-mock-policy (IAM Policy)")),
        "{answered:?}"
    );
    assert!(
        !answered.iter().any(|s| s.contains("asking")),
        "{answered:?}"
    );
    let screen = h.screen();
    assert!(screen.contains("explicitDeny"), "{screen}");

    // A request that is not denied has nothing to ask: no offer, and W changes nothing.
    h.select("List pets").await;
    h.act(Action::Send).await;
    assert!(matches!(
        h.app().request_state(),
        RequestState::Done {
            diagnosis: None,
            ..
        }
    ));
    h.act(Action::Why).await;
    assert!(matches!(
        h.app().request_state(),
        RequestState::Done {
            diagnosis: None,
            ..
        }
    ));
}

#[tokio::test]
async fn an_encrypted_client_key_is_asked_for_its_passphrase_and_asked_again_when_wrong() {
    let server_ca = Ca::new("Workbench Server CA");
    let client_ca = Ca::new("Workbench Client CA");
    let server = servers::https(
        &server_ca.server(&["localhost"], -1, 30),
        &[],
        Some(&client_ca),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let leaf = client_ca.client("workbench-client");
    let (cert, key) = (dir.path().join("client.pem"), dir.path().join("client.key"));
    std::fs::write(&cert, &leaf.pem).unwrap();
    std::fs::write(&key, servers::encrypt_key(&leaf.key, "open sesame")).unwrap();
    let c: sigscope::model::Collection = serde_json::from_value(serde_json::json!({
        "version": 1,
        "name": "partner",
        "network": {
            "caFile": server_ca.write(dir.path()).display().to_string(),
            "clientCert": cert.display().to_string(),
            "clientKey": key.display().to_string(),
            "proxy": "none"
        },
        "requests": [{"name": "over mTLS", "method": "GET",
                      "url": format!("https://localhost:{}/x", server.port)}]
    }))
    .unwrap();
    let mut h = Harness::new(sigscope::tui::app::App::new(c));
    h.select("over mTLS").await;
    h.act(Action::Send).await;
    let s = h.screen();
    assert!(
        s.contains("Client key passphrase") && s.contains("is encrypted"),
        "{s}"
    );
    assert_eq!(server.count(), 0, "nothing sent without the key");

    h.keys("wrong").await;
    assert!(!h.screen().contains("wrong"), "the passphrase is masked");
    h.key(KeyCode::Enter).await;
    let s = h.screen();
    assert!(
        s.contains("Client key passphrase") && s.contains("did not decrypt"),
        "a wrong passphrase asks again: {s}"
    );

    h.keys("open sesame").await;
    assert!(
        !h.screen().contains("open sesame"),
        "the passphrase is masked"
    );
    h.key(KeyCode::Enter).await;
    let RequestState::Done { exchange, .. } = h.app().request_state() else {
        panic!("{:?}", h.app().request_state())
    };
    let body = String::from_utf8_lossy(&exchange.response.body).to_string();
    assert!(body.contains("client certificate: true"), "{body}");
    assert!(!h.screen().contains("Client key passphrase"));

    // Kept for the session: the next send needs no dialog.
    h.act(Action::Send).await;
    assert!(matches!(h.app().request_state(), RequestState::Done { .. }));
}
