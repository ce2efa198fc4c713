//! Where an MFA code comes from when a role in the chain has `mfa_serial` and no cached
//! credentials: nowhere (the caller is told to run `sigscope login`), a code given up front
//! (`--mfa-code`), a terminal prompt (the CLI), or a channel answered by a dialog (the
//! workbench: each `MfaAsk` is a question the view shows and answers).

use futures_util::future::BoxFuture;
use tokio::sync::{mpsc, oneshot};

/// What the code is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MfaChallenge {
    /// The profile being resolved (the one the user chose).
    pub profile: String,
    /// The profile whose role needs the code (a link of the chain).
    pub role_profile: String,
    pub role_arn: String,
    pub mfa_serial: String,
}

impl MfaChallenge {
    /// botocore's prompt text.
    pub fn prompt(&self) -> String {
        format!("Enter MFA code for {}: ", self.mfa_serial)
    }
}

/// Gives a code for a challenge, or `None` when there is none (declined, cancelled, no way to
/// ask).
pub trait MfaPrompt: Send + Sync {
    fn code<'a>(&'a self, challenge: &'a MfaChallenge) -> BoxFuture<'a, Option<String>>;
}

/// Never asks: a role behind MFA without cached credentials fails with "needs MFA".
pub struct NoPrompt;

impl MfaPrompt for NoPrompt {
    fn code<'a>(&'a self, _: &'a MfaChallenge) -> BoxFuture<'a, Option<String>> {
        Box::pin(async { None })
    }
}

/// A code given up front (`--mfa-code`).
pub struct FixedCode(pub String);

impl MfaPrompt for FixedCode {
    fn code<'a>(&'a self, _: &'a MfaChallenge) -> BoxFuture<'a, Option<String>> {
        let code = self.0.trim().to_string();
        Box::pin(async move { Some(code) })
    }
}

/// One question sent to whoever answers (the workbench's MFA dialog).
#[derive(Debug)]
pub struct MfaAsk {
    pub challenge: MfaChallenge,
    reply: oneshot::Sender<Option<String>>,
}

impl MfaAsk {
    /// The code typed, or `None` for cancel. Answering after the resolver gave up is harmless.
    pub fn answer(self, code: Option<String>) {
        let _ = self.reply.send(code.map(|c| c.trim().to_string()));
    }
}

/// Asks through a channel: the receiver gets one `MfaAsk` per code needed.
#[derive(Clone)]
pub struct ChannelPrompt(mpsc::UnboundedSender<MfaAsk>);

/// A prompt and the receiving end its questions arrive on.
pub fn channel_prompt() -> (ChannelPrompt, mpsc::UnboundedReceiver<MfaAsk>) {
    let (tx, rx) = mpsc::unbounded_channel();
    (ChannelPrompt(tx), rx)
}

impl MfaPrompt for ChannelPrompt {
    fn code<'a>(&'a self, challenge: &'a MfaChallenge) -> BoxFuture<'a, Option<String>> {
        Box::pin(async move {
            let (reply, answer) = oneshot::channel();
            self.0
                .send(MfaAsk {
                    challenge: challenge.clone(),
                    reply,
                })
                .ok()?;
            answer.await.ok().flatten()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn challenge() -> MfaChallenge {
        MfaChallenge {
            profile: "admin".into(),
            role_profile: "admin".into(),
            role_arn: "arn:aws:iam::123456789012:role/a".into(),
            mfa_serial: "arn:aws:iam::123456789012:mfa/me".into(),
        }
    }

    #[tokio::test]
    async fn a_channel_prompt_is_answered_by_the_receiver() {
        let (prompt, mut asks) = channel_prompt();
        let answering = tokio::spawn(async move {
            let ask = asks.recv().await.unwrap();
            assert_eq!(ask.challenge.mfa_serial, "arn:aws:iam::123456789012:mfa/me");
            ask.answer(Some(" 123456 ".into()));
            let ask = asks.recv().await.unwrap();
            ask.answer(None);
        });
        let c = challenge();
        assert_eq!(prompt.code(&c).await.as_deref(), Some("123456"));
        assert_eq!(prompt.code(&c).await, None);
        answering.await.unwrap();
        assert_eq!(NoPrompt.code(&c).await, None);
        assert_eq!(
            FixedCode("654321".into()).code(&c).await.as_deref(),
            Some("654321")
        );
        assert_eq!(
            c.prompt(),
            "Enter MFA code for arn:aws:iam::123456789012:mfa/me: "
        );
    }
}
