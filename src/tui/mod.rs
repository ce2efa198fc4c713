//! The full-screen workbench: the only module that knows ratatui or crossterm.
//!
//! Elm-shaped: `app::App` is the state, `app::Message` the events, `App::update` the only
//! place state changes, `view::render` reads it. The loop `select!`s over terminal input and
//! task messages and draws when the queue is drained; work runs in `tasks`.

pub mod actions;
pub mod app;
pub mod config;
pub mod editor;
pub mod input;
pub mod keymap;
pub mod messages;
pub mod response;
pub mod session;
pub mod tasks;
pub mod theme;
pub mod view;
pub mod workspace;

use app::{App, Command, Message};
use base64::Engine;
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event,
    EventStream, KeyEventKind,
};
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use futures_util::StreamExt;
use ratatui::backend::{Backend, CrosstermBackend};
use ratatui::Terminal;
use std::io::Write;
use std::time::Duration;

fn restore() {
    let _ = disable_raw_mode();
    let _ = crossterm::execute!(
        std::io::stdout(),
        DisableMouseCapture,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}

fn enter() -> std::io::Result<()> {
    enable_raw_mode()?;
    crossterm::execute!(
        std::io::stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    )
}

/// The OSC 52 sequence that puts `text` on the clipboard of the terminal, even over SSH.
pub fn osc52(text: &str) -> String {
    format!(
        "\x1b]52;c;{}\x07",
        base64::engine::general_purpose::STANDARD.encode(text)
    )
}

/// Runs the workbench until the user quits; the terminal is restored on quit, panic,
/// Ctrl-C and SIGTERM.
pub async fn run(mut app: App) -> anyhow::Result<()> {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        default_hook(info);
    }));
    enter()?;
    let terminal = Terminal::new(CrosstermBackend::new(std::io::stdout()))?;
    let result = event_loop(terminal, &mut app).await;
    restore();
    if let Some(path) = &app.session_file {
        if let Err(e) = session::save(path, &session::capture(&app)) {
            eprintln!(
                "warning: the session was not kept ({}): {e}",
                path.display()
            );
        }
    }
    result
}

/// Writes `text` to a private temporary file, opens `$VISUAL` / `$EDITOR` (vi when neither
/// is set) on it with the terminal handed over, and reads it back.
async fn edit_externally(text: &str, extension: &str) -> Result<String, String> {
    let path = std::env::temp_dir().join(format!(
        "sigscope-body-{}.{extension}",
        uuid::Uuid::new_v4().simple()
    ));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(&path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let set = |name| {
        std::env::var(name)
            .ok()
            .filter(|v: &String| !v.trim().is_empty())
    };
    let editor = set("VISUAL")
        .or_else(|| set("EDITOR"))
        .unwrap_or_else(|| "vi".into());
    restore();
    // The editor may take arguments ("code --wait"): the shell splits them.
    let status = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(&path)
        .status()
        .await;
    let _ = enter();
    let result = match status {
        Ok(s) if s.success() => std::fs::read_to_string(&path).map_err(|e| e.to_string()),
        Ok(s) => Err(format!("{editor} exited with {s}; the body is unchanged")),
        Err(e) => Err(format!("could not start {editor}: {e}")),
    };
    let _ = std::fs::remove_file(&path);
    result
}

async fn event_loop<B: Backend>(mut terminal: Terminal<B>, app: &mut App) -> anyhow::Result<()> {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Message>();
    let mut events = EventStream::new();
    let mut tick = tokio::time::interval(Duration::from_millis(120));
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    let mut in_flight: Option<tokio::task::JoinHandle<()>> = None;
    let size = terminal.size()?;
    app.update(Message::Resize(size.width, size.height));
    let mut pending: Vec<Command> = app.init();
    terminal.draw(|f| view::render(app, f))?;
    if std::env::var_os("SIGSCOPE_EXIT_AFTER_FIRST_FRAME").is_some() {
        // For measuring start-up: the first frame is on the screen.
        return Ok(());
    }
    // After the first frame: building the TLS client loads the root certificates.
    let client = crate::http::client(Duration::from_secs(30));
    loop {
        for command in pending.drain(..) {
            let (tx, client) = (tx.clone(), client.clone());
            match command {
                Command::Quit => return Ok(()),
                Command::Copy(text) => {
                    let mut out = std::io::stdout();
                    let _ = out.write_all(osc52(&text).as_bytes());
                    let _ = out.flush();
                }
                Command::EditExternally { text, extension } => {
                    let result = edit_externally(&text, extension).await;
                    terminal.clear()?;
                    let _ = tx.send(Message::Edited(result));
                }
                cmd @ (Command::Send { .. } | Command::Doctor { .. }) => {
                    // One send in flight at a time: a new one, or Esc, ends the last.
                    if let Some(h) = in_flight.take() {
                        h.abort();
                    }
                    in_flight = Some(tokio::spawn(async move {
                        if let Some(m) = tasks::perform(cmd, &client).await {
                            let _ = tx.send(m);
                        }
                    }));
                }
                cmd => {
                    tokio::spawn(async move {
                        if let Some(m) = tasks::perform(cmd, &client).await {
                            let _ = tx.send(m);
                        }
                    });
                }
            }
        }
        #[cfg(unix)]
        let sigterm = term.recv();
        #[cfg(not(unix))]
        let sigterm = std::future::pending::<Option<()>>();
        let msg = tokio::select! {
            Some(Ok(ev)) = events.next() => match ev {
                Event::Key(k) if k.kind == KeyEventKind::Press => Some(if app.wants_keys() {
                    Message::Key(k)
                } else {
                    match app.keymap.action(k, app.context()) {
                        Some(a) => Message::Action(a),
                        None => continue,
                    }
                }),
                Event::Mouse(m) => Some(Message::Mouse(m)),
                Event::Resize(w, h) => Some(Message::Resize(w, h)),
                Event::Paste(s) if app.wants_keys() => {
                    for c in s.chars() {
                        let k = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char(c));
                        pending.extend(app.update(Message::Key(k)));
                    }
                    Some(Message::Tick)
                }
                _ => None,
            },
            Some(m) = rx.recv() => Some(m),
            _ = tick.tick(), if app.wants_ticks() => Some(Message::Tick),
            _ = sigterm => {
                // No prompt on SIGTERM: unsaved edits go to drafts and are offered next time.
                for d in app.ws.docs.iter().filter(|d| d.dirty && d.persistent) {
                    if let Some(dir) = &app.drafts_dir {
                        let _ = crate::model::drafts::write(dir, &d.loaded);
                    }
                }
                return Ok(());
            }
        };
        let Some(msg) = msg else { continue };
        let cancel = matches!(msg, Message::Action(app::Action::Cancel));
        pending.extend(app.update(msg));
        // Drain what else is queued before drawing once.
        while let Ok(m) = rx.try_recv() {
            pending.extend(app.update(m));
        }
        if cancel {
            if let Some(h) = in_flight.take() {
                h.abort();
            }
        }
        if app.should_quit {
            // Saves asked for on the way out still run before the loop ends.
            if pending
                .iter()
                .all(|c| matches!(c, Command::Quit | Command::RemoveDraft { .. }))
            {
                for c in pending.drain(..) {
                    if let Command::RemoveDraft { dir, path } = c {
                        crate::model::drafts::remove(&dir, &path);
                    }
                }
                return Ok(());
            }
        }
        terminal.draw(|f| view::render(app, f))?;
    }
}
