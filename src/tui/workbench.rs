//! The workbench-wide component: the actions that mean the same in every pane (send, doctor,
//! save, copy as curl, environment, profile, help, quit, cancel), the replies of the tasks
//! behind them, and the answers to the questions they ask. It draws nothing.

use super::component::{Component, Draw, Event, Flow, Input, PaneId};
use super::keymap::{Action, Context};
use super::messages::TextPurpose;
use super::messages::{Answer, Command, Confirm, Level, Message, Phase, Pick, Task};
use super::overlays::{help::Help, picker::Picker, prompt::TextPrompt};
use super::state::State;
use ratatui::layout::Rect;
use ratatui::Frame;

pub const WORKBENCH: PaneId = PaneId("workbench");

pub struct Workbench;

/// The environment list's last entries: not environments, ways to make and edit them.
const NEW_ENVIRONMENT: &str = "+ new environment…";
const EDIT_ENVIRONMENTS: &str = "✎ edit the environments…";

impl Workbench {
    fn environment(&self, st: &mut State) {
        let doc = st.selected_doc();
        let Some(d) = st.ws.docs.get(doc) else {
            return;
        };
        let mut items = vec!["(no environment)".to_string()];
        items.extend(d.loaded.collection.environments.keys().cloned());
        items.push(NEW_ENVIRONMENT.into());
        if !d.loaded.collection.environments.is_empty() {
            items.push(EDIT_ENVIRONMENTS.into());
        }
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

impl Workbench {
    /// The replies of the workbench's own tasks (imports, the demo, files moved).
    fn own_reply(
        &mut self,
        reply: Box<dyn std::any::Any + Send>,
        st: &mut State,
    ) -> Option<Message> {
        use super::state::collections::{DemoStarted, Imported};
        let reply = match reply.downcast::<Imported>() {
            Ok(done) => {
                st.imported(*done);
                return None;
            }
            Err(other) => other,
        };
        let reply = match reply.downcast::<super::state::watch::OnDisk>() {
            Ok(disk) => {
                st.on_disk(*disk);
                return None;
            }
            Err(other) => other,
        };
        let reply = match reply.downcast::<super::state::Indexed>() {
            Ok(done) => {
                st.indexed(*done);
                return None;
            }
            Err(other) => other,
        };
        let reply = match reply.downcast::<super::state::Opened>() {
            Ok(o) => {
                st.opened(*o);
                return None;
            }
            Err(other) => other,
        };
        let reply = match reply.downcast::<super::state::Compared>() {
            Ok(c) => {
                st.compared(*c);
                return None;
            }
            Err(other) => other,
        };
        let reply = match reply.downcast::<DemoStarted>() {
            Ok(started) => {
                st.demo_started(*started);
                return None;
            }
            Err(other) => other,
        };
        match reply.downcast::<String>() {
            Ok(text) => {
                st.notify(Level::Info, *text);
                None
            }
            Err(other) => Some(Message::Reply(other)),
        }
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
            Action::Why => st.why(),
            Action::Save => st.save(st.selected_doc(), false),
            Action::CopyCurl => st.copy_curl(),
            Action::CopyAs => super::overlays::copy_menu::open(st),
            Action::ImportAws => super::overlays::account_import::open(st),
            Action::NewCollection => st.new_collection_prompt(),
            Action::Import => st.import_prompt(),
            Action::OpenDemo => st.open_demo(),
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
            Message::SentToFile { id, exchange, file } => st.sent_to_file(id, exchange, file),
            Message::Checked { id, steps } => st.checked(id, steps),
            Message::WhyAnswered { id, lines } => st.why_answered(id, lines),
            Message::Saved { doc, seq, result } => st.saved(doc, seq, result),
            Message::Reloaded { doc, result } => st.reloaded(doc, result),
            Message::DraftFailed(e) => st.notify(Level::Warning, format!("no draft kept: {e}")),
            Message::FileHashed { path, result } => st.file_hashed(path, result),
            Message::Reply(reply) => return self.own_reply(reply, st),
            Message::FileChanged(path) => st.file_changed(path),
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
                (Confirm::ChangedOnDisk(doc), Action::Reload) => {
                    let path = st.ws.docs[doc].loaded.path.clone();
                    st.run(Command::Reload { doc, path });
                }
                (Confirm::ChangedOnDisk(_), Action::Keep | Action::Cancel) => st.notify(
                    Level::Warning,
                    "your edits are kept; saving will ask before it overwrites the file",
                ),
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
                let known = (st.ws.docs.get(doc))
                    .is_some_and(|d| d.loaded.collection.environments.contains_key(&item));
                if index > 0 && !known {
                    return environment_action(st, doc, &item);
                }
                if let Some(d) = st.ws.docs.get_mut(doc) {
                    d.env = (index > 0).then(|| item.clone());
                }
                st.notify(Level::Info, format!("environment: {item}"));
                st.refresh_preview();
            }
            Answer::Text {
                purpose: TextPurpose::NewEnvironment,
                phase: Phase::Accepted,
                text,
                node: Some(node),
            } => {
                let doc = node.doc();
                match st.ws.add_environment(doc, &text) {
                    Ok(()) => {
                        let name = text.trim().to_string();
                        if let Some(d) = st.ws.docs.get_mut(doc) {
                            d.env = Some(name.clone());
                        }
                        st.changed(doc, true);
                        st.select_node(&node);
                        st.emit(Event::EditEnvironment(name.clone()));
                        st.focus(super::panes::settings::ID);
                        st.notify(
                            Level::Info,
                            format!(
                                "environment '{}' added and in use: set its profile, region and variables here",
                                crate::text::visible_line(&name)
                            ),
                        );
                    }
                    Err(e) => st.notify(Level::Error, e),
                }
            }
            Answer::Picked {
                what: Pick::Profile,
                index,
                item,
            } => st.choose_profile((index > 0).then_some(item)),
            Answer::Text {
                purpose: TextPurpose::NewCollection,
                phase: Phase::Accepted,
                text,
                ..
            } => st.create_collection(&text),
            Answer::Text {
                purpose: TextPurpose::Import,
                phase: Phase::Accepted,
                text,
                ..
            } if text.trim() == "aws" => super::overlays::account_import::open(st),
            Answer::Text {
                purpose: TextPurpose::Import,
                phase: Phase::Accepted,
                text,
                ..
            } => st.import_file(&text),
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

/// The environment list's "new" and "edit" entries.
fn environment_action(st: &mut State, doc: usize, item: &str) {
    use crate::model::workspace::Node;
    if item == NEW_ENVIRONMENT {
        let p = TextPrompt::new(
            WORKBENCH,
            TextPurpose::NewEnvironment,
            "New environment: its name",
            "",
        )
        .node(Node::Collection(doc))
        .labels("creates it", "cancels");
        return st.open(p);
    }
    // The collection's settings, on its environments.
    st.select_node(&Node::Collection(doc));
    st.focus(super::panes::settings::ID);
    st.emit(Event::EditEnvironments);
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
