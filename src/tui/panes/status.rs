//! The status line: the environment, the credentials the selected request will really use
//! (its profile and where that choice comes from, the `P` override shown as one), who they
//! belong to and how long they last (counting down), and the region and service it signs
//! for.

use crate::aws::credentials::Remedy;
use crate::text::visible_line;
use crate::tui::component::{Component, Draw, PaneId};
use crate::tui::keymap::{Action, Context};
use crate::tui::messages::Identity;
use crate::tui::state::creds::{time_left, ProfileFrom};
use crate::tui::state::State;
use crate::tui::theme::Role;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

pub const STATUS: PaneId = PaneId("status");

/// Cuts a line to at most `max` characters.
fn clip(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

pub struct Status;

impl Component for Status {
    fn id(&self) -> PaneId {
        STATUS
    }

    fn context(&self) -> Context {
        Context::Global
    }

    fn render(&self, f: &mut Frame, area: Rect, d: &mut Draw) {
        let st = d.st;
        let t = &st.theme;
        let mut spans = vec![Span::styled(
            " sigscope ",
            t.fg(Role::Accent).add_modifier(Modifier::BOLD),
        )];
        if let Some(doc) = st.selected_node().and_then(|n| st.ws.docs.get(n.doc())) {
            let env = doc.env.as_deref().unwrap_or("none");
            spans.push(Span::raw(format!("env: {} ", visible_line(env))));
        }
        spans.extend(credentials(st));
        if let Some((region, service)) = &st.scope {
            spans.push(Span::styled(
                format!("· {}/{} ", visible_line(region), visible_line(service)),
                t.fg(Role::Muted),
            ));
        }
        f.render_widget(Paragraph::new(Line::from(spans)), area);
    }
}

/// What the AWS CLI chain uses when nobody names a profile, and why: keys in the
/// environment, else AWS_PROFILE's profile, else `default`.
fn chain_default() -> (String, &'static str) {
    let set = |v: &str| std::env::var(v).ok().filter(|s| !s.is_empty());
    if set("AWS_ACCESS_KEY_ID").is_some() && set("AWS_SECRET_ACCESS_KEY").is_some() {
        return ("environment keys".into(), "AWS CLI chain");
    }
    match set("AWS_PROFILE") {
        Some(p) => (format!("profile {}", visible_line(&p)), "AWS_PROFILE"),
        None => ("default profile".into(), "AWS CLI chain"),
    }
}

/// The selected request's credentials: the profile and where it comes from, then who.
fn credentials(st: &State) -> Vec<Span<'static>> {
    let t = &st.theme;
    let Some(choice) = st.credential_choice() else {
        let mut out = Vec::new();
        if st.selected_request().is_some() && st.prepare_error.is_none() {
            out.push(Span::styled("· not signed ", t.fg(Role::Muted)));
        }
        // The override stays in sight while it applies to nothing here.
        if let Some(p) = &st.profile {
            out.push(Span::styled(
                format!(
                    "· session override: profile {} ({} changes or clears) ",
                    visible_line(p),
                    st.key(Action::Profile)
                ),
                t.fg(Role::Warning),
            ));
        }
        return out;
    };
    let (name, from) = match (&choice.profile, &choice.from) {
        (None, ProfileFrom::Chain) => {
            let (name, why) = chain_default();
            (name, why.to_string())
        }
        (Some(p), from) => (format!("profile {}", visible_line(p)), from.describe()),
        (None, from) => ("default profile".into(), from.describe()),
    };
    let mut out = vec![Span::raw(format!("· {name} "))];
    out.push(match choice.from {
        ProfileFrom::Override => Span::styled(
            format!(
                "(session override: {} changes or clears) ",
                st.key(Action::Profile)
            ),
            t.fg(Role::Warning),
        ),
        _ => Span::styled(format!("({from}) "), t.fg(Role::Muted)),
    });
    let profile = &choice.profile;
    let fixed = st.fixed_for(profile.as_deref());
    match (st.known_identity(profile), fixed) {
        (Some(Ok(id)), _) => out.extend(identity(st, id, profile)),
        (_, Some(c)) => out.push(Span::styled(
            format!("· {} ({}) ", c.masked_access_key(), visible_line(&c.source)),
            t.fg(Role::Ok),
        )),
        (Some(Err(f)), None) => {
            let (text, role) = match &f.remedy {
                Some(Remedy::Login { .. }) => (
                    format!(
                        "· needs an SSO login ({} or {} offers it) ",
                        st.key(Action::Send),
                        st.key(Action::Profile)
                    ),
                    Role::Warning,
                ),
                Some(Remedy::MfaCode(_)) => (
                    format!(
                        "· needs an MFA code ({} asks for it) ",
                        st.key(Action::Send)
                    ),
                    Role::Warning,
                ),
                None => (
                    format!(
                        "· no credentials: {} ",
                        clip(
                            &visible_line(f.message.lines().next().unwrap_or_default()),
                            70
                        )
                    ),
                    Role::Error,
                ),
            };
            out.push(Span::styled(text, t.fg(role)));
        }
        (None, None) if st.resolving_identity(profile) => {
            out.push(Span::styled("· resolving identity… ", t.fg(Role::Muted)))
        }
        (None, None) => out.push(Span::styled("· resolved when sent ", t.fg(Role::Muted))),
    }
    out
}

/// How long the credentials last (first: it must stay in sight), who they belong to, and
/// the profile's region.
fn identity(st: &State, id: &Identity, profile: &Option<String>) -> Vec<Span<'static>> {
    let t = &st.theme;
    let mut out = Vec::new();
    if let Some(exp) = id.expiry {
        match time_left(st.now(), exp) {
            Some(left) => out.push(Span::styled(
                format!("· expires in {left} "),
                t.fg(Role::Warning),
            )),
            None => out.push(Span::styled(
                format!("· EXPIRED ({} renews them) ", st.key(Action::Send)),
                t.fg(Role::Error),
            )),
        }
        if let Some(f) = st.refresh_failure(profile) {
            let why = match &f.remedy {
                Some(Remedy::MfaCode(_)) => "needs an MFA code".to_string(),
                Some(Remedy::Login { .. }) => "needs an SSO login".to_string(),
                None => clip(&visible_line(&f.message), 50),
            };
            out.push(Span::styled(
                format!("· no refresh: {why} "),
                t.fg(Role::Warning),
            ));
        }
    }
    let who = (id.arn.clone()).unwrap_or_else(|| format!("{} ({})", id.key, id.source));
    out.push(Span::styled(
        format!("· {} ", visible_line(&who)),
        t.fg(Role::Ok),
    ));
    if let Some(r) = &id.region {
        out.push(Span::raw(format!("· profile region {} ", visible_line(r))));
    }
    if let Some(n) = &id.note {
        out.push(Span::styled(
            format!("· {} ", clip(&visible_line(n), 60)),
            t.fg(Role::Warning),
        ));
    }
    out
}
