//! The terminal itself: entering and leaving the full-screen mode (also from a panic), the
//! clipboard through OSC 52, and handing the terminal to `$EDITOR` and back.

use base64::Engine;
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use std::io::Write;

/// Leaves the alternate screen, mouse and paste modes, and raw mode (errors ignored: the
/// terminal may be gone, as after SIGHUP).
pub fn restore() {
    let _ = disable_raw_mode();
    let _ = crossterm::execute!(
        std::io::stdout(),
        DisableMouseCapture,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}

/// The terminal's height in rows, if standard output is one.
pub fn rows() -> Option<u16> {
    crossterm::terminal::size().ok().map(|(_, h)| h)
}

pub fn enter() -> std::io::Result<()> {
    enable_raw_mode()?;
    crossterm::execute!(
        std::io::stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    )
}

/// crossterm's reader spins forever on a terminal that went away (crossterm-rs/crossterm#793:
/// a hung-up tty stays readable and `read` returns 0, and its loop retries at once), so the
/// event loop stuck inside it never sees the SIGHUP, nor a SIGTERM, and the orphaned process
/// burns a core. A thread of its own polls standard input for the hang-up: the loop then gets
/// a moment to end as a hangup does, and the process ends with 129 if it has not. Drafts are
/// written while typing pauses (400 ms), so little can be lost that way.
pub fn exit_when_hung_up() {
    #[cfg(unix)]
    {
        use std::io::IsTerminal;
        if !std::io::stdin().is_terminal() {
            return;
        }
        std::thread::spawn(|| loop {
            std::thread::sleep(std::time::Duration::from_millis(300));
            if hung_up() {
                std::thread::sleep(std::time::Duration::from_millis(1500));
                std::process::exit(129);
            }
        });
    }
}

/// Whether standard input's terminal has hung up (poll reports HUP; errors count as alive).
#[cfg(unix)]
pub fn hung_up() -> bool {
    use rustix::event::{poll, PollFd, PollFlags, Timespec};
    let stdin = std::io::stdin();
    let mut fds = [PollFd::new(&stdin, PollFlags::IN)];
    let now = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    matches!(poll(&mut fds, Some(&now)), Ok(n) if n > 0)
        && fds[0].revents().contains(PollFlags::HUP)
}

#[cfg(not(unix))]
pub fn hung_up() -> bool {
    false
}

/// A panic restores the terminal before its message is printed.
pub fn restore_on_panic() {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        default_hook(info);
    }));
}

/// The OSC 52 sequence that puts `text` on the clipboard of the terminal, even over SSH.
pub fn osc52(text: &str) -> String {
    format!(
        "\x1b]52;c;{}\x07",
        base64::engine::general_purpose::STANDARD.encode(text)
    )
}

pub fn copy(text: &str) {
    let mut out = std::io::stdout();
    let _ = out.write_all(osc52(text).as_bytes());
    let _ = out.flush();
}

/// Writes `text` to a private temporary file, opens `$VISUAL` / `$EDITOR` (vi when neither
/// is set) on it with the terminal handed over, and reads it back.
pub async fn edit_externally(text: &str, extension: &str) -> Result<String, String> {
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
