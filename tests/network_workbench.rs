#![recursion_limit = "256"]
//! "Why was I denied?" in the workbench: the demo's denied DELETE offers IAM's policy
//! simulator under its diagnosis, the key (from the keymap) asks it through our engine, and
//! the local gateway's answer names the statement that decides.

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
