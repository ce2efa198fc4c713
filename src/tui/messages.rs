//! The vocabulary of the workbench: the messages `App::update` takes (terminal input, task
//! replies, signals), the commands it gives back for the loop (or a test) to run, the answers
//! overlays give, and the states a send goes through.

use super::keymap::Action;
use super::panes::response::Shown;
use crate::aws::credentials::{Credentials, Remedy};
use crate::body::Lines;
use crate::diagnose::transport::TransportDiagnosis;
use crate::diagnose::Diagnosis;
use crate::http::prepare::Prepared;
use crate::http::{Exchange, TransportError};
use crate::model::history::Entry;
use crate::model::workspace::{Node, ReqRef};
use crate::model::Loaded;
use crossterm::event::{KeyEvent, MouseEvent};
use std::path::PathBuf;
use std::time::{Instant, SystemTime};

#[derive(Debug)]
pub enum Message {
    /// An action without a key (tests, and the loop's own).
    Action(Action),
    /// A key as pressed: the keymap turns it into an action for the context that has the
    /// keyboard, or it is text.
    Key(KeyEvent),
    /// A bracketed paste, inserted in one step.
    Paste(String),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// Redraw (the spinner) and see whether a pause in typing calls for a draft.
    Tick,
    /// SIGINT, SIGTERM or SIGHUP: keep the edits, then end.
    Signal(Signal),
    Sent {
        id: u64,
        result: Result<Box<Exchange>, SendError>,
    },
    /// A response too large for memory: its first part in the exchange, the whole of it in
    /// `file`.
    SentToFile {
        id: u64,
        exchange: Box<Exchange>,
        file: std::sync::Arc<crate::body::file::BodyFile>,
    },
    Checked {
        id: u64,
        steps: Vec<crate::diagnose::doctor::Step>,
    },
    /// IAM's policy simulator's answer, explained (`diagnose::simulate::explain`).
    WhyAnswered {
        id: u64,
        lines: Vec<String>,
    },
    Formatted {
        id: u64,
        lines: Lines,
    },
    JqDone {
        id: u64,
        filter: String,
        result: Result<Lines, String>,
    },
    Found {
        id: u64,
        needle: String,
        /// The line of each match, in order.
        lines: Vec<usize>,
    },
    Saved {
        doc: usize,
        seq: u64,
        result: Result<[u8; 32], SaveFailure>,
    },
    Reloaded {
        doc: usize,
        result: Result<Loaded, String>,
    },
    DraftFailed(String),
    History {
        name: String,
        entries: Vec<Entry>,
    },
    Identity {
        profile: Option<String>,
        result: Result<Identity, NoCredentials>,
    },
    Profiles(Vec<String>),
    /// The profiles with their state from the files (`ready until T`, `needs login`...).
    ProfileStatuses(Vec<(String, String)>),
    /// A component's own reply to its own `Task` (a login dialog's progress): the component
    /// that knows the type takes it.
    Reply(Box<dyn std::any::Any + Send>),
    /// A `file` body's SHA-256 (hex), for the preview.
    FileHashed {
        path: String,
        result: Result<String, String>,
    },
    /// The external editor closed.
    Edited(Result<String, String>),
    /// A watched collection file changed on disk (or was replaced).
    FileChanged(PathBuf),
}

#[derive(Debug, Clone)]
pub enum SaveFailure {
    Conflict,
    Other(String),
}

/// Who the credentials belong to (resolved in the background).
#[derive(Debug, Clone)]
pub struct Identity {
    pub arn: Option<String>,
    pub account: Option<String>,
    pub key: String,
    pub expiry: Option<SystemTime>,
    pub source: String,
    /// The profile's region (the AWS CLI's), when it has one.
    pub region: Option<String>,
    /// Why the ARN is unknown (STS unreachable), when it is.
    pub note: Option<String>,
    pub credentials: Option<Credentials>,
}

/// Why a profile has no credentials now, and what would get it some (a login, an MFA code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoCredentials {
    pub message: String,
    pub remedy: Option<Remedy>,
}

impl std::fmt::Display for NoCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// In the workbench's words: what is missing, without the CLI's "run `sigscope login`" (the
/// workbench offers the login or the code itself).
impl From<&crate::aws::credentials::CredentialError> for NoCredentials {
    fn from(e: &crate::aws::credentials::CredentialError) -> Self {
        use crate::aws::credentials::CredentialError as E;
        let message = match e {
            E::SsoLogin { profile, detail } => {
                format!("the IAM Identity Center login of profile '{profile}' is missing or expired ({detail})")
            }
            E::NeedsMfa(c) => format!(
                "profile '{}' assumes {} with MFA ({}) and has no cached credentials",
                c.profile, c.role_arn, c.mfa_serial
            ),
            other => other.to_string(),
        };
        NoCredentials {
            message,
            remedy: e.remedy(),
        }
    }
}

/// Work for the loop to do.
#[derive(Debug)]
pub enum Command {
    Send {
        id: u64,
        prepared: Box<Prepared>,
        credentials: Option<Credentials>,
        /// Record the exchange in this history folder, filed under this request.
        record: Option<Record>,
    },
    Doctor {
        id: u64,
        prepared: Box<Prepared>,
        credentials: Option<Credentials>,
        /// What the advice can name (the profile, its environment, the clock offset).
        advice: Box<crate::diagnose::Advice>,
    },
    /// Ask IAM's policy simulator about an access-denied, signed with the request's
    /// credentials (resolved first when not in hand), at `endpoint`.
    Why {
        id: u64,
        ask: Box<crate::diagnose::simulate::SimulationAsk>,
        credentials: Option<Credentials>,
        spec: crate::aws::credentials::CredentialSpec,
        endpoint: String,
    },
    Format {
        id: u64,
        shown: Box<Shown>,
    },
    Jq {
        id: u64,
        filter: String,
        body: bytes::Bytes,
    },
    Search {
        id: u64,
        lines: Box<Lines>,
        needle: String,
    },
    Save {
        doc: usize,
        seq: u64,
        loaded: Box<Loaded>,
        overwrite: bool,
    },
    Reload {
        doc: usize,
        path: PathBuf,
    },
    WriteDraft {
        dir: PathBuf,
        loaded: Box<Loaded>,
    },
    /// Hash a `file` body for the preview.
    HashFile {
        path: String,
    },
    RemoveDraft {
        dir: PathBuf,
        path: PathBuf,
    },
    LoadHistory {
        dir: PathBuf,
        /// The request's `folder/name`, and its id (entries are filed under it).
        name: String,
        id: Option<String>,
    },
    Identity {
        profile: Option<String>,
    },
    /// Work a component starts itself, without a variant of its own here: the loop runs the
    /// future and feeds back the message it ends with.
    Task(Task),
    EditExternally {
        text: String,
        extension: &'static str,
    },
    /// Put text on the clipboard with OSC 52.
    Copy(String),
    /// Watch these collection files for changes made elsewhere (replaces the last list).
    Watch(Vec<PathBuf>),
    /// Stop the send or doctor run in flight.
    CancelSend,
    /// End the workbench once the commands given before this one have finished.
    Quit,
    /// As `Quit`, with this process exit code (a signal's).
    Exit(i32),
}

/// Where a send is recorded: the history folder, the request's `folder/name` and id.
#[derive(Debug, Clone)]
pub struct Record {
    pub dir: PathBuf,
    pub name: String,
    pub id: Option<String>,
}

/// A component's background work: a future that ends with the message to feed back.
pub struct Task(pub std::pin::Pin<Box<dyn std::future::Future<Output = Option<Message>> + Send>>);

impl Task {
    pub fn new(work: impl std::future::Future<Output = Option<Message>> + Send + 'static) -> Task {
        Task(Box::pin(work))
    }
}

impl std::fmt::Debug for Task {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Task")
    }
}

/// The signals that end the workbench, with their conventional exit codes (128 + number).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    Interrupt,
    Terminate,
    Hangup,
}

impl Signal {
    pub fn exit_code(self) -> i32 {
        match self {
            Signal::Hangup => 129,
            Signal::Interrupt => 130,
            Signal::Terminate => 143,
        }
    }
}

/// Why a send produced no exchange, by the step that stopped it.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SendError {
    /// Variables, URL, headers or the body file: nothing was sent.
    #[error("not sent: {0}")]
    Prepare(String),
    #[error("not sent: no credentials: {0}")]
    Credentials(String),
    /// The profile needs a login or an MFA code first: the workbench offers it, then sends
    /// again.
    #[error("not sent: {0}")]
    CredentialsNeeded(NoCredentials),
    #[error("not sent: signing failed: {0}")]
    Sign(String),
    /// The client key is encrypted and no passphrase is known for it: the workbench asks
    /// for one (kept in memory only), then sends again.
    #[error("not sent: {message}")]
    Passphrase { key: String, message: String },
    /// Sent, but no response came back.
    #[error("no response: {error}")]
    Transport { url: String, error: TransportError },
}

#[derive(Debug)]
pub enum RequestState {
    Idle,
    Sending {
        id: u64,
        started: Instant,
    },
    Done {
        exchange: Box<Exchange>,
        diagnosis: Option<Box<Diagnosis>>,
        body: Box<Shown>,
        /// Reopened from history rather than just sent.
        from_history: Option<String>,
    },
    Failed {
        error: SendError,
        /// For a transport failure: what it means and what to try.
        diagnosis: Option<Box<TransportDiagnosis>>,
    },
    Cancelled,
    /// The stepper's results, shown in place of a response.
    Checked(Vec<crate::diagnose::doctor::Step>),
    /// Two exchanges compared: what each is, and the differences.
    Compared {
        old: String,
        new: String,
        diff: Box<crate::http::compare::ExchangeDiff>,
    },
}

/// Profile name → credentials, for the demo and tests (`~/.aws` is not read).
pub type CredentialResolver = fn(Option<&str>) -> Option<Credentials>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextPurpose {
    Filter,
    Search,
    Jq,
    Rename,
    /// A file for a collection that has none (the built-in demo); the node is its collection.
    SaveAs,
    /// The value of the variable on the editor's selected Vars row.
    VarValue,
    /// `name=value`, a new variable in the environment (else the collection).
    VarAdd,
    NewEnvironment,
    RenameEnvironment,
    /// The name of a new collection (a file in the collections folder).
    NewCollection,
    /// The path of a file to import.
    Import,
}

/// A question with lettered answers, by what it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirm {
    QuitUnsaved,
    Delete(Node),
    /// The variable on the editor's selected Vars row.
    DeleteVariable,
    Conflict(usize),
    DeleteEnvironment(usize, String),
    /// A collection and its file.
    DeleteCollection(usize),
    /// The file changed on disk while its collection has unsaved edits.
    ChangedOnDisk(usize),
}

#[derive(Debug, Clone)]
pub enum Pick {
    Environment(usize),
    Profile,
    Move(ReqRef, Vec<(usize, Vec<usize>)>),
}

/// How far a text prompt has got: live filters see every keystroke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Typing,
    Accepted,
    Cancelled,
}

/// What an overlay hands back to the component that opened it.
#[derive(Debug, Clone)]
pub enum Answer {
    Text {
        purpose: TextPurpose,
        text: String,
        node: Option<Node>,
        phase: Phase,
    },
    /// The answer's action (`Cancel` when dismissed).
    Confirmed { what: Confirm, choice: Action },
    Picked {
        what: Pick,
        index: usize,
        item: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warning,
    Error,
}
