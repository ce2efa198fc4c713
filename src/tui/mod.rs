//! The full-screen workbench: the only module that knows ratatui or crossterm.
//!
//! Elm-shaped: `app::App` is the state, `app::Message` the events, `App::update` the only
//! place state changes, `view::render` reads it. The loop `select!`s over terminal input and
//! task messages and draws when the queue is drained; sends run in spawned tasks.

pub mod app;
pub mod keymap;
pub mod view;

use app::{App, Command, Message};
use crossterm::event::{Event, EventStream};
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use futures_util::StreamExt;
use ratatui::backend::{Backend, CrosstermBackend};
use ratatui::Terminal;
use std::time::Duration;

fn restore() {
    let _ = disable_raw_mode();
    let _ = crossterm::execute!(
        std::io::stdout(),
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}

/// Runs the workbench until the user quits; the terminal is restored on quit, panic,
/// Ctrl-C and SIGTERM.
pub async fn run(app: App) -> anyhow::Result<()> {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        default_hook(info);
    }));
    enable_raw_mode()?;
    crossterm::execute!(std::io::stdout(), EnterAlternateScreen)?;
    let terminal = Terminal::new(CrosstermBackend::new(std::io::stdout()))?;
    let result = event_loop(terminal, app).await;
    restore();
    result
}

async fn event_loop<B: Backend>(mut terminal: Terminal<B>, mut app: App) -> anyhow::Result<()> {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Message>();
    let client = crate::http::client(Duration::from_secs(30));
    let mut events = EventStream::new();
    let mut tick = tokio::time::interval(Duration::from_millis(120));
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    let mut in_flight: Option<tokio::task::JoinHandle<()>> = None;
    terminal.draw(|f| view::render(&app, f))?;
    loop {
        #[cfg(unix)]
        let sigterm = term.recv();
        #[cfg(not(unix))]
        let sigterm = std::future::pending::<Option<()>>();
        let msg = tokio::select! {
            Some(Ok(ev)) = events.next() => match ev {
                Event::Key(k) if k.kind == crossterm::event::KeyEventKind::Press => keymap::action_for(k).map(Message::Action),
                Event::Resize(..) => Some(Message::Resize),
                _ => None,
            },
            Some(m) = rx.recv() => Some(m),
            _ = tick.tick(), if matches!(app.state, app::RequestState::Sending { .. }) => Some(Message::Resize),
            _ = sigterm => Some(Message::Action(app::Action::Quit)),
        };
        let Some(msg) = msg else { continue };
        let cancel = matches!(msg, Message::Action(app::Action::Cancel));
        let command = app.update(msg);
        if cancel || matches!(command, Some(Command::Send { .. } | Command::Doctor { .. })) {
            // One piece of work in flight at a time: a new one, or Esc, ends the last.
            if let Some(h) = in_flight.take() {
                h.abort();
            }
        }
        let (tx, client) = (tx.clone(), client.clone());
        match command {
            Some(Command::Quit) => break,
            Some(Command::Send {
                id,
                prepared,
                credentials,
            }) => {
                in_flight = Some(tokio::spawn(async move {
                    let result = app::execute_send(&client, *prepared, credentials).await;
                    let _ = tx.send(Message::Sent { id, result });
                }));
            }
            Some(Command::Doctor {
                id,
                prepared,
                credentials,
            }) => {
                in_flight = Some(tokio::spawn(async move {
                    let steps = app::execute_doctor(&client, *prepared, credentials).await;
                    let _ = tx.send(Message::Checked { id, steps });
                }));
            }
            None => {}
        }
        terminal.draw(|f| view::render(&app, f))?;
    }
    Ok(())
}
