//! Importing straight from an AWS account: pick a profile, say the region (and the methods
//! API Gateway's ANY routes become, as `--any-method`), see the APIs the
//! credentials can see (API Gateway REST and HTTP APIs with their stages, Lambda function
//! URLs), pick the ones to import; each becomes a collection file. The listing and the
//! import are `import::aws::discover` and `import::aws::import_api`, the functions behind
//! `sigscope import aws`: this dialog only shows and picks.

mod draw;

use crate::aws::credentials::{chain_region, resolve, CredentialSpec, Credentials};
use crate::import::aws::{self as account, AccountApi, AwsImportError};
use crate::import::Options;
use crate::text::visible_line;
use crate::tui::component::{Component, Draw, Flow, Hint, Input, PaneId};
use crate::tui::hits::Target;
use crate::tui::keymap::{Action, Context};
use crate::tui::messages::{Command, Level, Message, Task};
use crate::tui::state::State;
use crate::tui::tasks::blocking;
use crate::tui::text_field::TextField;
use ratatui::layout::Rect;
use ratatui::Frame;
use std::collections::BTreeSet;
use std::time::Duration;

pub const ACCOUNT_IMPORT: PaneId = PaneId("account import");

/// The first entry of the profile list: no profile named.
const DEFAULT_CHAIN: &str = "(default chain: environment variables, then the default profile)";

/// One row of the API list: an API and one of its stages (function URLs have none).
#[derive(Debug, Clone)]
struct Row {
    api: AccountApi,
    stage: Option<String>,
}

enum Step {
    /// Reading the AWS files for their profiles.
    Reading,
    Profile {
        /// `(name, region)`; the first is the default chain.
        profiles: Vec<(Option<String>, Option<String>)>,
        selected: usize,
    },
    /// The region, and the methods API Gateway's ANY routes become (Tab between them).
    Region {
        profile: Option<String>,
        field: Box<TextField>,
        methods: Box<TextField>,
        on_methods: bool,
    },
    /// Credentials resolving and the services listing.
    Listing {
        profile: Option<String>,
        region: String,
    },
    Apis {
        profile: Option<String>,
        region: String,
        credentials: Box<Credentials>,
        rows: Vec<Row>,
        problems: Vec<String>,
        selected: usize,
        picked: BTreeSet<usize>,
    },
    Importing {
        region: String,
        count: usize,
    },
}

pub struct AccountImport {
    step: Step,
    /// The last thing that went wrong, shown in the dialog.
    problem: Option<String>,
    /// The profile to start on (the session's choice, or the selected request's).
    preferred: Option<String>,
    /// One request per method for `x-amazon-apigateway-any-method` (as `--any-method`).
    any_methods: Vec<String>,
}

/// The replies of the dialog's own tasks.
enum Reply {
    Profiles(Vec<(Option<String>, Option<String>)>),
    Listed(Result<(Credentials, account::Discovery), String>),
    Imported(Vec<(String, Result<crate::import::Imported, String>)>),
}

/// Opens the dialog; the profiles are read in the background.
pub fn open(st: &mut State) {
    let preferred = st
        .profile
        .clone()
        .or_else(|| st.credential_choice().and_then(|c| c.profile));
    read_profiles(st);
    st.open(AccountImport {
        step: Step::Reading,
        problem: None,
        preferred,
        any_methods: vec!["GET".into()],
    });
}

/// `GET, post` → `["GET", "POST"]`: HTTP methods only, at least one.
fn any_methods(text: &str) -> Result<Vec<String>, String> {
    const KNOWN: [&str; 7] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
    let methods: Vec<String> = (text.split([',', ' ']))
        .map(|m| m.trim().to_ascii_uppercase())
        .filter(|m| !m.is_empty())
        .collect();
    if let Some(bad) = methods.iter().find(|m| !KNOWN.contains(&m.as_str())) {
        return Err(format!(
            "'{bad}' is not a method: ANY routes become one of {}",
            KNOWN.join(", ")
        ));
    }
    match methods.is_empty() {
        true => Err("name a method for ANY routes, such as GET".into()),
        false => Ok(methods),
    }
}

/// What went wrong in a call, with the start of the service's answer when it answered.
fn said(e: &AwsImportError) -> String {
    match e {
        AwsImportError::Rejected { service, exchange } => format!(
            "{service} answered {}: {}",
            exchange.response.status,
            String::from_utf8_lossy(&exchange.response.body)
                .chars()
                .take(200)
                .collect::<String>()
        ),
        other => other.to_string(),
    }
}

impl AccountImport {
    fn list(&mut self, profile: Option<String>, region: String, st: &mut State) {
        let given = st.fixed_for(profile.as_deref());
        self.problem = None;
        self.step = Step::Listing {
            profile: profile.clone(),
            region: region.clone(),
        };
        st.run(Command::Task(Task::new(async move {
            let credentials = match given {
                Some(c) => Ok(c),
                None => resolve(&CredentialSpec::Chain { profile })
                    .await
                    .map_err(|e| e.to_string()),
            };
            let result = match credentials {
                Ok(c) => {
                    let client = crate::http::client(Duration::from_secs(30));
                    let found = account::discover(&client, &c, &region).await;
                    Ok((c, found))
                }
                Err(e) => Err(format!("no credentials: {e}")),
            };
            Some(Message::Reply(Box::new(Reply::Listed(result))))
        })));
    }

    fn import(&mut self, st: &mut State) {
        let Step::Apis {
            profile,
            region,
            credentials,
            rows,
            selected,
            picked,
            ..
        } = &self.step
        else {
            return;
        };
        let chosen: Vec<Row> = match picked.is_empty() {
            true => rows.get(*selected).cloned().into_iter().collect(),
            false => picked
                .iter()
                .filter_map(|i| rows.get(*i).cloned())
                .collect(),
        };
        if chosen.is_empty() {
            return;
        }
        let (profile, region) = (profile.clone(), region.clone());
        let any_methods = self.any_methods.clone();
        let credentials = credentials.as_ref().clone();
        self.step = Step::Importing {
            region: region.clone(),
            count: chosen.len(),
        };
        st.run(Command::Task(Task::new(async move {
            let client = crate::http::client(Duration::from_secs(30));
            let options = Options {
                any_methods,
                name: None,
            };
            let mut out = Vec::new();
            for row in chosen {
                let stage = row.stage.as_deref();
                let what = match stage {
                    Some(s) => format!("{} ({s})", row.api.name),
                    None => row.api.name.clone(),
                };
                let r =
                    account::import_api(&client, &credentials, &region, &row.api, stage, &options)
                        .await
                        .map(|mut imported| {
                            // Signed as it was listed: with the profile picked here.
                            if let Some(p) = &profile {
                                account::sign_with_profile(&mut imported.collection, p);
                            }
                            imported
                        })
                        .map_err(|e| said(&e));
                out.push((what, r));
            }
            Some(Message::Reply(Box::new(Reply::Imported(out))))
        })));
    }

    fn replied(&mut self, reply: Reply, st: &mut State) {
        match reply {
            Reply::Profiles(profiles) => {
                let selected = (self.preferred.as_ref())
                    .and_then(|p| profiles.iter().position(|(n, _)| n.as_ref() == Some(p)))
                    .unwrap_or(0);
                self.step = Step::Profile { profiles, selected };
            }
            Reply::Listed(Err(e)) => {
                self.problem = Some(e);
                self.back_to_region();
            }
            Reply::Listed(Ok((credentials, found))) => {
                let Step::Listing { profile, region } = &self.step else {
                    return;
                };
                let rows = (found.apis.into_iter())
                    .flat_map(|api| match api.stages.is_empty() {
                        true => vec![Row { api, stage: None }],
                        false => (api.stages.clone().into_iter())
                            .map(|s| Row {
                                api: api.clone(),
                                stage: Some(s),
                            })
                            .collect(),
                    })
                    .collect();
                self.step = Step::Apis {
                    profile: profile.clone(),
                    region: region.clone(),
                    credentials: Box::new(credentials),
                    rows,
                    problems: found.problems,
                    selected: 0,
                    picked: BTreeSet::new(),
                };
            }
            Reply::Imported(results) => {
                let Step::Importing { region, .. } = &self.step else {
                    return;
                };
                let region = region.clone();
                let (mut done, mut failed, mut warned) = (Vec::new(), Vec::new(), Vec::new());
                for (what, r) in results {
                    match r {
                        Ok(imported) => {
                            let n = imported.collection.walk().len();
                            warned.extend(imported.warnings.iter().map(|w| format!("{what}: {w}")));
                            st.add_collection(imported.collection);
                            done.push(format!("{what}: {n} requests"));
                        }
                        Err(e) => failed.push(format!("{what}: {e}")),
                    }
                }
                let mut text = match done.is_empty() {
                    true => format!("nothing imported from {region}"),
                    false => format!("imported from {region}: {}", done.join(", ")),
                };
                if !failed.is_empty() {
                    text.push_str(&format!("; failed: {}", failed.join("; ")));
                }
                if !warned.is_empty() {
                    text.push_str(&format!("; note: {}", warned.join("; ")));
                }
                let level = match (failed.is_empty(), warned.is_empty()) {
                    (false, _) => Level::Error,
                    (true, false) => Level::Warning,
                    (true, true) => Level::Info,
                };
                st.notify(level, visible_line(&text).into_owned());
                st.close();
            }
        }
    }

    fn back_to_region(&mut self) {
        if let Step::Listing { profile, region } = &self.step {
            self.step = Step::Region {
                profile: profile.clone(),
                field: Box::new(TextField::new(region, false, true)),
                methods: Box::new(TextField::new(&self.any_methods.join(","), false, true)),
                on_methods: false,
            };
        }
    }

    fn list_input(&mut self, input: Input, st: &mut State) {
        let page = st.page();
        let (len, at) = match &self.step {
            Step::Profile { profiles, selected } => (profiles.len(), *selected),
            Step::Apis { rows, selected, .. } => (rows.len(), *selected),
            _ => return,
        };
        let to = match input {
            Input::Action(Action::Up) | Input::Wheel { down: false } => at.saturating_sub(1),
            Input::Action(Action::Down) | Input::Wheel { down: true } => at + 1,
            Input::Action(Action::PageUp) => at.saturating_sub(page),
            Input::Action(Action::PageDown) => at + page,
            Input::Action(Action::Top) => 0,
            Input::Action(Action::Bottom) => usize::MAX,
            Input::Click(Target::Row(i)) => i,
            Input::Action(Action::Toggle) => {
                if let Step::Apis { picked, .. } = &mut self.step {
                    if !picked.remove(&at) && at < len {
                        picked.insert(at);
                    }
                }
                return;
            }
            Input::Action(Action::Enter) => return self.choose(st),
            _ => return,
        };
        let to = to.min(len.saturating_sub(1));
        match &mut self.step {
            Step::Profile { selected, .. } | Step::Apis { selected, .. } => *selected = to,
            _ => {}
        }
    }

    fn choose(&mut self, st: &mut State) {
        match &self.step {
            Step::Profile { profiles, selected } => {
                let Some((profile, region)) = profiles.get(*selected).cloned() else {
                    return;
                };
                let region = region.unwrap_or_else(|| "us-east-1".into());
                self.step = Step::Region {
                    profile,
                    field: Box::new(TextField::new(&region, false, true)),
                    methods: Box::new(TextField::new(&self.any_methods.join(","), false, true)),
                    on_methods: false,
                };
            }
            Step::Apis { .. } => self.import(st),
            _ => {}
        }
    }
}

impl Component for AccountImport {
    fn id(&self) -> PaneId {
        ACCOUNT_IMPORT
    }

    fn context(&self) -> Context {
        match self.step {
            // Two fields: Tab moves between them, as in a table row.
            Step::Region { .. } => Context::Field,
            _ => Context::Account,
        }
    }

    fn mode(&self) -> &'static str {
        "INPUT"
    }

    fn input(&mut self, input: Input, st: &mut State) -> Flow {
        if let Step::Region {
            profile,
            field,
            methods,
            on_methods,
        } = &mut self.step
        {
            match input {
                Input::Action(Action::Enter) => {
                    let region = field.value().trim().to_string();
                    let any = any_methods(&methods.value());
                    match (region.is_empty(), any) {
                        (true, _) => self.problem = Some("a region, such as us-east-1".into()),
                        (false, Err(e)) => self.problem = Some(e),
                        (false, Ok(any)) => {
                            self.any_methods = any;
                            let profile = profile.clone();
                            self.list(profile, region, st);
                        }
                    }
                }
                Input::Action(Action::NextCell | Action::PrevCell) => *on_methods = !*on_methods,
                Input::Action(Action::Done | Action::Cancel) => {
                    // Back to the profiles (they are read again: cheap, and maybe edited).
                    self.preferred = profile.clone();
                    open_again(self, st);
                }
                other => {
                    match on_methods {
                        true => methods.input(&other),
                        false => field.input(&other),
                    };
                }
            }
            return Flow::Consumed;
        }
        match input {
            Input::Action(Action::Cancel) => st.close(),
            other => self.list_input(other, st),
        }
        Flow::Consumed
    }

    fn reply(&mut self, msg: Message, st: &mut State) -> Option<Message> {
        match msg {
            Message::Reply(r) => match r.downcast::<Reply>() {
                Ok(reply) => {
                    self.replied(*reply, st);
                    None
                }
                Err(other) => Some(Message::Reply(other)),
            },
            other => Some(other),
        }
    }

    fn hints(&self, _st: &State) -> Vec<Hint> {
        match self.step {
            Step::Region { .. } => vec![
                Hint::new(Action::Enter, "list the APIs"),
                Hint::new(Action::NextCell, "region / methods"),
                Hint::new(Action::Done, "back to the profiles"),
                Hint::of(Action::ClearField),
            ],
            Step::Apis { .. } => vec![
                Hint::new(Action::Toggle, "pick"),
                Hint::new(Action::Enter, "import"),
                Hint::new(Action::Cancel, "close"),
            ],
            _ => vec![
                Hint::new(Action::Enter, "choose"),
                Hint::new(Action::Cancel, "close"),
            ],
        }
    }

    /// The region typed so far, while it is.
    fn text(&self) -> Option<String> {
        match &self.step {
            Step::Region {
                field,
                methods,
                on_methods,
                ..
            } => Some(match on_methods {
                true => methods.value(),
                false => field.value(),
            }),
            _ => None,
        }
    }

    fn render(&self, f: &mut Frame, area: Rect, d: &mut Draw) {
        draw::render(self, f, area, d)
    }
}

/// Back to the profile list: read again, the last choice kept.
fn open_again(dialog: &mut AccountImport, st: &mut State) {
    dialog.step = Step::Reading;
    dialog.problem = None;
    read_profiles(st);
}

/// The profiles in the AWS files, each with its region, read off the loop.
fn read_profiles(st: &mut State) {
    st.run(Command::Task(Task::new(async {
        let listed = blocking(|| {
            let files = crate::aws::profiles::AwsFiles::from_env();
            let mut out = vec![(None, chain_region(None))];
            for p in crate::aws::profiles::list_profiles(&files) {
                let region = chain_region(Some(&p.name));
                out.push((Some(p.name), region));
            }
            out
        })
        .await?;
        Some(Message::Reply(Box::new(Reply::Profiles(listed))))
    })));
}
