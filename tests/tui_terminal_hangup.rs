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
