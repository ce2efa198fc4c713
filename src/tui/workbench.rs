//! The workbench-wide component: the actions that mean the same in every pane (send, doctor,
//! save, copy as curl, environment, profile, help, quit, cancel), the replies of the tasks
//! behind them, and the answers to the questions they ask. It draws nothing.

use super::component::{Component, Draw, Flow, Input, PaneId};
use super::keymap::{Action, Context};
use super::messages::TextPurpose;
use super::messages::{Answer, Command, Confirm, Level, Message, Phase, Pick, Task};
use super::overlays::{help::Help, picker::Picker};
use super::state::State;
use ratatui::layout::Rect;
use ratatui::Frame;

pub const WORKBENCH: PaneId = PaneId("workbench");

pub struct Workbench;

impl Workbench {
    fn environment(&self, st: &mut State) {
        let doc = st.selected_doc();
        let Some(d) = st.ws.docs.get(doc) else {
            return;
        };
        let mut items = vec!["(no environment)".to_string()];
        items.extend(d.loaded.collection.environments.keys().cloned());
        let selected = (d.env.as_ref())
            .and_then(|e| items.iter().position(|i| i == e))
            .unwrap_or(0);
        let title = format!("Environment of '{}'", d.loaded.collection.name);
        st.open(Picker::new(
            WORKBENCH,
            Pick::Environment(doc),
            title,
            items,
            selected,
        ));
    }
}

impl Component for Workbench {
    fn id(&self) -> PaneId {
        WORKBENCH
    }

    fn context(&self) -> Context {
        Context::Global
    }

    /// Who the selected request's credentials belong to, resolved in the background.
    fn init(&mut self, st: &mut State) {
        st.start_identities();
    }

    fn input(&mut self, input: Input, st: &mut State) -> Flow {
        let Input::Action(action) = input else {
            return Flow::Ignored;
        };
        match action {
            Action::Quit => st.quit(),
            Action::Help => st.open(Help::default()),
            Action::Cancel => st.cancel(),
            Action::Send | Action::Doctor => st.send(action == Action::Doctor),
            Action::Save => st.save(st.selected_doc(), false),
            Action::CopyCurl => st.copy_curl(),
            Action::Environment => self.environment(st),
            // The profiles in ~/.aws and their states (ready, needs login, needs MFA),
            // read off the loop; the list opens when they are in.
            Action::Profile => st.run(Command::Task(Task::new(async {
                let listed = super::tasks::blocking(profile_statuses);
                Some(Message::ProfileStatuses(listed.await?))
            }))),
            _ => return Flow::Ignored,
        }
        Flow::Consumed
    }

    fn reply(&mut self, msg: Message, st: &mut State) -> Option<Message> {
        match msg {
            Message::Tick => st.tick(),
            Message::Signal(signal) => st.signalled(signal),
            Message::Sent { id, result } => st.sent(id, result),
            Message::Checked { id, steps } => st.checked(id, steps),
            Message::Saved { doc, seq, result } => st.saved(doc, seq, result),
            Message::Reloaded { doc, result } => st.reloaded(doc, result),
            Message::DraftFailed(e) => st.notify(Level::Warning, format!("no draft kept: {e}")),
            Message::FileHashed { path, result } => st.file_hashed(path, result),
            Message::Identity { profile, result } => st.identity_resolved(profile, result),
            other => return Some(other),
        }
        None
    }

    fn answer(&mut self, answer: Answer, st: &mut State) {
        match answer {
            Answer::Confirmed { what, choice } => match (what, choice) {
                (Confirm::QuitUnsaved, Action::SaveAnswer) => st.save_all_then_quit(),
                (Confirm::QuitUnsaved, Action::Discard) => st.discard_and_quit(),
                (Confirm::Conflict(doc), Action::Overwrite) => st.save(doc, true),
                (Confirm::Conflict(doc), Action::Reload) => {
                    let path = st.ws.docs[doc].loaded.path.clone();
                    st.run(Command::Reload { doc, path });
                }
                _ => {}
            },
            Answer::Picked {
                what: Pick::Environment(doc),
                index,
                item,
            } => {
                if let Some(d) = st.ws.docs.get_mut(doc) {
                    d.env = (index > 0).then(|| item.clone());
                }
                st.notify(Level::Info, format!("environment: {item}"));
                st.refresh_preview();
            }
            Answer::Picked {
                what: Pick::Profile,
                index,
                item,
            } => st.choose_profile((index > 0).then_some(item)),
            Answer::Text {
                purpose: TextPurpose::SaveAs,
                phase,
                text,
                node,
            } => match (phase, node) {
                (Phase::Cancelled, _) => st.quit_after_save = false,
                (Phase::Accepted, Some(node)) => save_as(st, node.doc(), text.trim()),
                _ => {}
            },
            _ => {}
        }
    }

    fn render(&self, _f: &mut Frame, _area: Rect, _d: &mut Draw) {}
}

/// Each profile in the AWS files with its state, from the files alone.
fn profile_statuses() -> Vec<(String, String)> {
    let files = crate::aws::profiles::AwsFiles::from_env();
    let cfg = crate::aws::config::AwsConfig::load(&files);
    let (home, now) = (crate::aws::files::home_dir(), std::time::SystemTime::now());
    (crate::aws::profiles::list_profiles(&files).into_iter())
        .map(|p| {
            let status = crate::aws::status::profile_status(&cfg, &p.name, &home, now);
            (p.name, status.summary())
        })
        .collect()
}

/// Gives a collection without a file (the built-in demo) the path typed, then saves it (an
/// existing file is not overwritten without asking: the conflict question).
fn save_as(st: &mut State, doc: usize, path: &str) {
    if path.is_empty() {
        st.quit_after_save = false;
        return st.notify(Level::Error, "not saved: the file name is empty");
    }
    if let Some(d) = st.ws.docs.get_mut(doc) {
        d.loaded.path = std::path::PathBuf::from(path);
        d.persistent = true;
    }
    st.save(doc, false);
}
