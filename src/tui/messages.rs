//! The vocabulary of the workbench: the messages `App::update` takes, the commands it gives
//! back for the loop (or a test) to run, and the states and prompts it shows.

use super::keymap::Action;
use super::response::Shown;
use super::workspace::{Node, ReqRef};
use crate::aws::credentials::Credentials;
use crate::body::Lines;
use crate::diagnose::Diagnosis;
use crate::http::prepare::Prepared;
use crate::http::Exchange;
use crate::model::history::Entry;
use crate::model::Loaded;
use crossterm::event::{KeyEvent, MouseEvent};
use std::path::PathBuf;
use std::time::{Instant, SystemTime};
use tui_textarea::TextArea;

#[derive(Debug)]
pub enum Message {
    Action(Action),
    /// A key for a text field or a prompt.
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// Redraw (the spinner).
    Tick,
    Sent {
        id: u64,
        result: Result<Box<Exchange>, String>,
    },
    Checked {
        id: u64,
        steps: Vec<crate::diagnose::doctor::Step>,
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
        line: Option<usize>,
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
        result: Result<Identity, String>,
    },
    Profiles(Vec<String>),
    /// A `file` body's SHA-256 (hex), for the preview.
    FileHashed {
        path: String,
        result: Result<String, String>,
    },
    /// The external editor closed.
    Edited(Result<String, String>),
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

/// Work for the loop to do.
#[derive(Debug)]
pub enum Command {
    Send {
        id: u64,
        prepared: Box<Prepared>,
        credentials: Option<Credentials>,
        /// Record the exchange in this history folder under this request name.
        record: Option<(PathBuf, String)>,
    },
    Doctor {
        id: u64,
        prepared: Box<Prepared>,
        credentials: Option<Credentials>,
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
        from: usize,
        backwards: bool,
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
        name: String,
    },
    Identity {
        profile: Option<String>,
    },
    ListProfiles,
    EditExternally {
        text: String,
        extension: &'static str,
    },
    /// Put text on the clipboard with OSC 52.
    Copy(String),
    Quit,
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
    Failed(String),
    /// The stepper's results, shown in place of a response.
    Checked(Vec<crate::diagnose::doctor::Step>),
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
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirm {
    QuitUnsaved,
    Delete(Node),
    /// The variable on the editor's selected Vars row.
    DeleteVariable,
    Conflict(usize),
}

#[derive(Debug, Clone)]
pub enum Pick {
    Environment(usize),
    Profile,
    Move(ReqRef, Vec<(usize, Vec<usize>)>),
}

/// A modal question or one-line input: keys go to it until it closes.
pub enum Prompt {
    Text {
        purpose: TextPurpose,
        area: Box<TextArea<'static>>,
        node: Option<Node>,
    },
    Confirm {
        what: Confirm,
        question: String,
    },
    Pick {
        what: Pick,
        title: String,
        items: Vec<String>,
        selected: usize,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warning,
    Error,
}
