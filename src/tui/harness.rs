//! Driving the whole workbench as the loop does, for tests and benchmarks: keys as a user
//! presses them (through the keymap), pastes, clicks where the last frame drew something,
//! replies from the same task code the loop runs, and the screen read back. State is read
//! through accessors (`App` and `State`), never set field by field.

use super::app::{Action, App, Command, Message};
use super::component::PaneId;
use super::hits::Target;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use ratatui::Terminal;
use std::time::Duration;

pub struct Harness {
    app: App,
    terminal: Terminal<TestBackend>,
    client: reqwest::Client,
}

/// The app's accessors (and the state's) read straight through the harness.
impl std::ops::Deref for Harness {
    type Target = App;
    fn deref(&self) -> &App {
        &self.app
    }
}

impl Harness {
    /// The app on a 160×45 screen.
    pub fn new(app: App) -> Harness {
        Harness::sized(app, 160, 45)
    }

    pub fn sized(mut app: App, w: u16, h: u16) -> Harness {
        app.update(Message::Resize(w, h));
        Harness {
            app,
            terminal: Terminal::new(TestBackend::new(w, h)).expect("a test terminal"),
            client: crate::http::client(Duration::from_secs(5)),
        }
    }

    /// The demo collection, signed with the local gateway's keys, sent to `base_url`.
    pub fn demo(base_url: &str) -> Harness {
        let c = serde_json::from_str(include_str!("../../collections/demo.json"))
            .expect("the demo collection parses");
        let mut app = App::new(c);
        app.set_override("baseUrl", base_url);
        app.set_fixed_credentials(crate::mock::demo_credentials);
        Harness::new(app)
    }

    pub fn app(&self) -> &App {
        &self.app
    }

    pub fn app_mut(&mut self) -> &mut App {
        &mut self.app
    }

    pub fn into_app(self) -> App {
        self.app
    }

    pub fn resize(&mut self, w: u16, h: u16) {
        self.terminal.backend_mut().resize(w, h);
        self.app.update(Message::Resize(w, h));
    }

    /// Draws a frame (its hit map is what the next click is tested against) and returns
    /// the text on the screen, one line per row, trailing spaces trimmed.
    pub fn screen(&mut self) -> String {
        let app = &mut self.app;
        self.terminal.draw(|f| app.draw(f)).expect("drawing");
        let buf = self.terminal.backend().buffer();
        let (w, h) = (buf.area.width, buf.area.height);
        (0..h)
            .map(|y| {
                let row: String = (0..w).map(|x| buf[(x, y)].symbol()).collect();
                row.trim_end().to_string()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The last frame's cells, for colours and styles.
    pub fn buffer(&self) -> &ratatui::buffer::Buffer {
        self.terminal.backend().buffer()
    }

    /// One message; its commands are returned, not run.
    pub fn update(&mut self, msg: Message) -> Vec<Command> {
        self.app.update(msg)
    }

    /// Runs commands the way the loop does, feeding the replies back, until none are left;
    /// returns those only a terminal runs (copy, editor, cancel, quit).
    pub async fn drive(&mut self, mut pending: Vec<Command>) -> Vec<Command> {
        let mut terminal_only = Vec::new();
        while let Some(cmd) = pending.pop() {
            if matches!(
                cmd,
                Command::Copy(_)
                    | Command::Watch(_)
                    | Command::EditExternally { .. }
                    | Command::CancelSend
                    | Command::Quit
                    | Command::Exit(_)
            ) {
                terminal_only.push(cmd);
                continue;
            }
            if let Some(m) = super::tasks::perform(cmd, &self.client).await {
                pending.extend(self.app.update(m));
            }
        }
        terminal_only
    }

    /// Runs these commands once each, as the loop does, feeding their replies back, and
    /// returns the commands the replies ask for without running them: for work that goes on
    /// until something outside happens (a login waiting for its approval).
    pub async fn step(&mut self, pending: Vec<Command>) -> Vec<Command> {
        let mut next = Vec::new();
        for cmd in pending {
            if let Some(m) = super::tasks::perform(cmd, &self.client).await {
                next.extend(self.app.update(m));
            }
        }
        next
    }

    pub async fn send(&mut self, msg: Message) -> Vec<Command> {
        let cmds = self.app.update(msg);
        self.drive(cmds).await
    }

    pub async fn act(&mut self, action: Action) -> Vec<Command> {
        self.send(Message::Action(action)).await
    }

    /// A key as pressed: the keymap decides what it means where the keyboard is.
    pub async fn press(&mut self, key: KeyEvent) -> Vec<Command> {
        self.send(Message::Key(key)).await
    }

    pub async fn key(&mut self, code: KeyCode) -> Vec<Command> {
        self.press(KeyEvent::from(code)).await
    }

    pub async fn ctrl(&mut self, c: char) -> Vec<Command> {
        self.press(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
            .await
    }

    /// Types `text`, one key per character.
    pub async fn keys(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c)).await;
        }
    }

    /// A bracketed paste.
    pub async fn paste(&mut self, text: &str) -> Vec<Command> {
        self.send(Message::Paste(text.to_string())).await
    }

    fn mouse(kind: MouseEventKind, x: u16, y: u16) -> Message {
        Message::Mouse(MouseEvent {
            kind,
            column: x,
            row: y,
            modifiers: KeyModifiers::NONE,
        })
    }

    /// A left click at a cell of the screen as it is now (a frame is drawn first).
    pub async fn click(&mut self, x: u16, y: u16) -> Vec<Command> {
        self.screen();
        let m = Self::mouse(MouseEventKind::Down(MouseButton::Left), x, y);
        self.send(m).await
    }

    pub async fn wheel(&mut self, x: u16, y: u16, down: bool) -> Vec<Command> {
        self.screen();
        let kind = match down {
            true => MouseEventKind::ScrollDown,
            false => MouseEventKind::ScrollUp,
        };
        self.send(Self::mouse(kind, x, y)).await
    }

    /// Where a component drew a target on the screen as it is now.
    pub fn find(&mut self, owner: PaneId, target: Target) -> Option<Rect> {
        self.screen();
        self.app.hits().find(owner, target)
    }

    /// Tabs through the panes until `pane` has the focus.
    pub async fn focus_on(&mut self, pane: PaneId) {
        for _ in 0..10 {
            if self.app.focus() == pane {
                return;
            }
            self.act(Action::NextPane).await;
        }
        panic!("{pane:?} never got the focus");
    }

    /// Selects a request by `folder/name` in the tree, as a user would.
    pub async fn select(&mut self, path: &str) {
        self.focus_on(super::panes::tree::ID).await;
        self.act(Action::Top).await;
        for _ in 0..self.app.workspace().rows.len() {
            if self.app.selected_path().as_deref() == Some(path) {
                return;
            }
            self.act(Action::Down).await;
        }
        panic!("no request '{path}'");
    }
}
