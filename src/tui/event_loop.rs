//! The loop: it only moves messages. Terminal input, task replies, the clock and signals
//! become `Message`s for `App::update`; the commands it returns are run here in order (tasks
//! spawned, the clipboard written, the editor started); the screen is drawn once the queue is
//! drained. Quitting is a command like the others: what was asked before it finishes first.

use super::app::{App, Command, Message, Signal};
use super::{tasks, terminal};
use crossterm::event::{Event, EventStream, KeyEventKind};
use futures_util::StreamExt;
use ratatui::backend::{Backend, CrosstermBackend};
use ratatui::Terminal;
use std::time::Duration;
use tokio::task::JoinHandle;

/// Runs the workbench until the user quits. The terminal is restored and the session kept on
/// every way out; a signal ends the process with its conventional code (130, 143, 129) once
/// that is done.
pub async fn run(app: App) -> anyhow::Result<()> {
    run_after(|| None, || app).await
}

/// `run`, with a first screen drawn before the app is built: `first`, called once the terminal
/// is set up, gives what the app will show at start (built from the head of big collection
/// files, `cli::first_screen`) while `app` parses them whole. Nothing is read from the
/// keyboard before the app is there.
pub async fn run_after(
    first: impl FnOnce() -> Option<App>,
    app: impl FnOnce() -> App,
) -> anyhow::Result<()> {
    terminal::restore_on_panic();
    terminal::enter()?;
    // A frame goes out in one write, not a write per line buffer (1 KiB): the terminal gets
    // it whole, and the first frame is up sooner (ratatui flushes after every draw).
    let stdout = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout());
    let mut out = Terminal::new(CrosstermBackend::new(stdout))?;
    if let Some(mut first) = first() {
        let size = out.size()?;
        first.update(Message::Resize(size.width, size.height));
        // As the app's own first frame: initialized, its tasks never started.
        drop(first.init());
        draw(&mut out, &mut first, &mut Vec::new())?;
        if exit_after_first_frame() {
            terminal::restore();
            return Ok(());
        }
    }
    let mut app = app();
    let result = event_loop(&mut out, &mut app).await;
    terminal::restore();
    // ratatui's own clean-up shows the cursor again, and panics when it cannot say it could
    // not (standard error is gone with the terminal after a hang-up): `restore` did it.
    std::mem::forget(out);
    if let Some(path) = &app.session_file {
        let session = super::session::capture(&app);
        if let Err(e) = super::session::save(path, &session) {
            eprintln!(
                "warning: the session was not kept ({}): {e}",
                path.display()
            );
        }
    }
    match result? {
        0 => Ok(()),
        code => std::process::exit(code),
    }
}

/// For measuring start-up (`SIGSCOPE_EXIT_AFTER_FIRST_FRAME`): the workbench ends once its
/// first frame is on the screen, whether the first screen's or the app's.
fn exit_after_first_frame() -> bool {
    std::env::var_os("SIGSCOPE_EXIT_AFTER_FIRST_FRAME").is_some()
}

/// SIGINT, SIGTERM and SIGHUP as a stream of `Signal`s.
struct Signals {
    #[cfg(unix)]
    kinds: [(tokio::signal::unix::Signal, Signal); 3],
}

impl Signals {
    fn new() -> std::io::Result<Signals> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            Ok(Signals {
                kinds: [
                    (signal(SignalKind::interrupt())?, Signal::Interrupt),
                    (signal(SignalKind::terminate())?, Signal::Terminate),
                    (signal(SignalKind::hangup())?, Signal::Hangup),
                ],
            })
        }
        #[cfg(not(unix))]
        Ok(Signals {})
    }

    async fn next(&mut self) -> Signal {
        #[cfg(unix)]
        {
            let [(a, sa), (b, sb), (c, sc)] = &mut self.kinds;
            tokio::select! {
                _ = a.recv() => *sa,
                _ = b.recv() => *sb,
                _ = c.recv() => *sc,
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
            Signal::Interrupt
        }
    }
}

/// Watches collection files: a stat of each a second, a message when one's size or time
/// changes (no message, so no redraw, while nothing does).
async fn watch(paths: Vec<std::path::PathBuf>, tx: tokio::sync::mpsc::UnboundedSender<Message>) {
    let stamp = |p: &std::path::Path| {
        std::fs::metadata(p)
            .ok()
            .map(|m| (m.len(), m.modified().ok()))
    };
    let mut seen: Vec<_> = paths.iter().map(|p| stamp(p)).collect();
    let second = Duration::from_secs(1);
    let mut every = tokio::time::interval_at(tokio::time::Instant::now() + second, second);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        every.tick().await;
        for (p, last) in paths.iter().zip(seen.iter_mut()) {
            let now = stamp(p);
            if now != *last {
                *last = now;
                if tx.send(Message::FileChanged(p.clone())).is_err() {
                    return;
                }
            }
        }
    }
}

/// Returns the exit code: 0 for a quit, a signal's otherwise.
async fn event_loop<B: Backend>(terminal: &mut Terminal<B>, app: &mut App) -> anyhow::Result<i32> {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Message>();
    let mut events = EventStream::new();
    let mut tick = tokio::time::interval(Duration::from_millis(120));
    let mut signals = Signals::new()?;
    let mut in_flight: Option<JoinHandle<()>> = None;
    let mut watcher: Option<JoinHandle<()>> = None;
    let size = terminal.size()?;
    app.update(Message::Resize(size.width, size.height));
    let mut pending: Vec<Command> = app.init();
    draw(terminal, app, &mut pending)?;
    if exit_after_first_frame() {
        return Ok(0);
    }
    // Started once the first frame is out, as everything the first frame does not need.
    terminal::exit_when_hung_up();
    // Built by the first task that needs it: the TLS client loads the root certificates.
    let client = tasks::LazyClient::default();
    loop {
        let mut started: Vec<JoinHandle<()>> = Vec::new();
        for command in pending.drain(..) {
            let spawn = |cmd| {
                let (tx, client) = (tx.clone(), client.clone());
                tokio::spawn(async move {
                    if let Some(m) = tasks::perform(cmd, &client).await {
                        let _ = tx.send(m);
                    }
                })
            };
            match command {
                Command::Quit | Command::Exit(_) => {
                    // Saves, drafts and removals asked for on the way out finish first.
                    for task in started {
                        let _ = tokio::time::timeout(Duration::from_secs(5), task).await;
                    }
                    return Ok(if let Command::Exit(code) = command {
                        code
                    } else {
                        0
                    });
                }
                Command::Copy(text) => terminal::copy(&text),
                Command::Watch(paths) => {
                    if let Some(h) = watcher.replace(tokio::spawn(watch(paths, tx.clone()))) {
                        h.abort();
                    }
                }
                Command::EditExternally { text, extension } => {
                    let result = terminal::edit_externally(&text, extension).await;
                    terminal.clear()?;
                    let _ = tx.send(Message::Edited(result));
                }
                Command::CancelSend => {
                    if let Some(h) = in_flight.take() {
                        h.abort();
                    }
                }
                // One send in flight at a time: a new one ends the last.
                cmd @ (Command::Send { .. } | Command::Doctor { .. }) => {
                    if let Some(h) = in_flight.replace(spawn(cmd)) {
                        h.abort();
                    }
                }
                cmd => started.push(spawn(cmd)),
            }
        }
        let msg = tokio::select! {
            Some(input) = next_input(&mut events) => match input {
                Input::HungUp => Message::Signal(Signal::Hangup),
                Input::Event(Event::Key(k)) if k.kind == KeyEventKind::Press => Message::Key(k),
                Input::Event(Event::Mouse(m)) => Message::Mouse(m),
                Input::Event(Event::Resize(w, h)) => Message::Resize(w, h),
                Input::Event(Event::Paste(text)) => Message::Paste(text),
                Input::Event(_) => continue,
            },
            Some(m) = rx.recv() => m,
            _ = tick.tick(), if app.wants_ticks() => Message::Tick,
            signal = signals.next() => Message::Signal(signal),
        };
        pending.extend(app.update(msg));
        // Drain what else is queued before drawing once.
        while let Ok(m) = rx.try_recv() {
            pending.extend(app.update(m));
        }
        draw(terminal, app, &mut pending)?;
    }
}

enum Input {
    Event(Event),
    /// The terminal is gone (with or without a SIGHUP: a process in a session of its own
    /// gets none): the app goes out as on SIGHUP.
    HungUp,
}

/// The next terminal event, or its hang-up, which is never handed to crossterm: its reader
/// spins on a hung-up terminal holding its lock (crossterm#793), so asking it would hang this
/// loop until the watchdog of `terminal::exit_when_hung_up` ended the process, without the
/// session or the drafts. `None` when crossterm fails or ends.
async fn next_input(events: &mut EventStream) -> Option<Input> {
    std::future::poll_fn(|cx| {
        if terminal::hung_up() {
            return std::task::Poll::Ready(Some(Input::HungUp));
        }
        events
            .poll_next_unpin(cx)
            .map(|e| e.and_then(Result::ok).map(Input::Event))
    })
    .await
}

/// Draws the app, unless it is on its way out: after a hang-up the terminal is gone and a
/// draw fails, and what was asked before the exit (the drafts of the last edits) must still
/// run. A draw that fails because the terminal hung up ends the app as SIGHUP does (its
/// commands join `pending`); any other failure is an error.
fn draw<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    pending: &mut Vec<Command>,
) -> anyhow::Result<()> {
    if (pending.iter()).any(|c| matches!(c, Command::Quit | Command::Exit(_))) {
        return Ok(());
    }
    match terminal.draw(|f| app.draw(f)) {
        Ok(_) => Ok(()),
        Err(_) if terminal::hung_up() => {
            pending.extend(app.update(Message::Signal(Signal::Hangup)));
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}
