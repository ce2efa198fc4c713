//! A workbench whose terminal goes away must end, not spin. crossterm's reader loops forever
//! on a hung-up terminal (it stays readable and `read` returns 0: crossterm-rs/crossterm#793);
//! a workbench in a session of its own gets no SIGHUP from the kernel, so before the fix it
//! was left orphaned at 100% CPU (seen after test runs whose tmux server went away).

use std::time::{Duration, Instant};

fn tmux(socket: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new("tmux")
        .arg("-L")
        .arg(socket)
        .args(args)
        .output()
        .expect("tmux is required (.ci/run installs it)")
}

fn alive(pid: &str) -> bool {
    std::path::Path::new("/proc").join(pid).exists()
}

#[test]
fn a_workbench_whose_terminal_hangs_up_ends() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("collections")).unwrap();
    std::fs::write(
        dir.path().join("collections/c.json"),
        r#"{"version": 1, "name": "c", "requests": [{"name": "r", "method": "GET", "url": "http://127.0.0.1:9/"}]}"#,
    )
    .unwrap();
    let pid_file = dir.path().join("pid");
    let data = dir.path().join("data");
    // setsid: the workbench leads a session of its own, so the terminal's hang-up sends it no
    // SIGHUP (as for a process started with nohup, or re-parented); only its input dies.
    let cmd = format!(
        "setsid -w sh -c 'echo $$ > {}; exec {} --collections {}'; sleep 30",
        pid_file.display(),
        env!("CARGO_BIN_EXE_sigscope"),
        dir.path().join("collections").display()
    );
    let socket = format!("sigscope-hangup-{}", std::process::id());
    let data_env = format!("SIGSCOPE_DATA_DIR={}", data.display());
    let config_env = format!("SIGSCOPE_CONFIG_DIR={}", data.display());
    let started = tmux(
        &socket,
        &[
            "new-session",
            "-d",
            "-x",
            "120",
            "-y",
            "35",
            "-e",
            &data_env,
            "-e",
            &config_env,
            "-e",
            "AWS_EC2_METADATA_DISABLED=true",
            "-e",
            "AWS_CONFIG_FILE=/nonexistent/config",
            "-e",
            "AWS_SHARED_CREDENTIALS_FILE=/nonexistent/credentials",
            &cmd,
        ],
    );
    assert!(started.status.success(), "{started:?}");
    let deadline = Instant::now() + Duration::from_secs(15);
    let screen = loop {
        let screen = tmux(&socket, &["capture-pane", "-p"]);
        let screen = String::from_utf8_lossy(&screen.stdout).into_owned();
        if screen.contains("Collections (1") || Instant::now() > deadline {
            break screen;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(screen.contains("Collections (1"), "{screen}");
    let pid = std::fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .to_string();
    assert!(alive(&pid));

    // The terminal goes away: tmux's server and the pane's pseudo-terminal with it.
    tmux(&socket, &["kill-server"]);
    let gone_by = Instant::now() + Duration::from_secs(10);
    while alive(&pid) && Instant::now() < gone_by {
        std::thread::sleep(Duration::from_millis(100));
    }
    let still = alive(&pid);
    if still {
        let _ = std::process::Command::new("kill")
            .args(["-9", &pid])
            .status();
    }
    assert!(!still, "the workbench outlived its terminal (pid {pid})");
}

/// The usual hang-up (a terminal window closed, a tmux session killed): the workbench leads
/// the terminal's session, so the kernel sends it SIGHUP. It ends as a signal does, with 129
/// (the README's code), the session kept and the last edits drafted; before, it drew on the
/// dead terminal first, the draw failed, and what was asked on the way out never ran.
#[cfg(target_os = "linux")]
#[test]
fn a_hang_up_ends_the_workbench_with_129() {
    use rustix::pty::{grantpt, openpt, ptsname, unlockpt, OpenptFlags};
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("c.json"),
        r#"{"version": 1, "name": "c", "requests": [{"name": "r", "method": "GET", "url": "http://127.0.0.1:9/"}]}"#,
    )
    .unwrap();
    // A pseudo-terminal of the test's own, 120×35.
    let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY | OpenptFlags::CLOEXEC).unwrap();
    grantpt(&master).unwrap();
    unlockpt(&master).unwrap();
    let name = ptsname(&master, Vec::new()).unwrap();
    let slave = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(name.to_str().unwrap())
        .unwrap();
    let size = rustix::termios::Winsize {
        ws_row: 35,
        ws_col: 120,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    rustix::termios::tcsetwinsize(&slave, size).unwrap();
    // setsid -c: a session of its own with this terminal as its controlling one; -w: its
    // exit code is the workbench's.
    let data = dir.path().join("data");
    let mut child = std::process::Command::new("setsid")
        .args(["-c", "-w", env!("CARGO_BIN_EXE_sigscope"), "--collections"])
        .arg(dir.path())
        .env("SIGSCOPE_DATA_DIR", &data)
        .env("SIGSCOPE_CONFIG_DIR", &data)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/nonexistent/config")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials")
        .env("TERM", "xterm-256color")
        .stdin(slave.try_clone().unwrap())
        .stdout(slave.try_clone().unwrap())
        .stderr(slave)
        .spawn()
        .expect("setsid (util-linux) is required");
    // Read the screen until the workbench is up, then close the terminal: a hang-up.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut master = std::fs::File::from(master);
        let (mut seen, mut buf) = (Vec::new(), [0u8; 4096]);
        while let Ok(n) = master.read(&mut buf) {
            if n == 0 {
                break;
            }
            seen.extend_from_slice(&buf[..n]);
            if String::from_utf8_lossy(&seen).contains("Collections") {
                let _ = tx.send(());
                break;
            }
        }
        // `master` is dropped here: the terminal is gone.
    });
    let up = rx.recv_timeout(Duration::from_secs(15));
    if up.is_err() {
        let _ = child.kill();
    }
    assert!(up.is_ok(), "the workbench never drew its screen");
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the workbench outlived its terminal");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(129), "{status:?}");
    // The way out of a signal, not the watchdog's exit (which has no time to): the session
    // is kept.
    let session = std::fs::read_to_string(data.join("session.json"));
    assert!(session.is_ok_and(|s| s.contains("\"request\": \"r\"")));
}
