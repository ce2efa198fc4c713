//! Helpers shared by the whole-program tests.
#![allow(dead_code)]

use std::process::{Command, Output};

pub fn sigscope() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sigscope"));
    // Never read the developer's real AWS set-up.
    cmd.env_remove("AWS_PROFILE")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .env("AWS_CONFIG_FILE", "/nonexistent/sigscope-test/config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/sigscope-test/credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env(
            "SIGSCOPE_DATA_DIR",
            std::env::temp_dir().join("sigscope-test-data"),
        );
    cmd
}

pub fn demo_env(cmd: &mut Command) -> &mut Command {
    cmd.env("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE").env(
        "AWS_SECRET_ACCESS_KEY",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    )
}

pub fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Starts `sigscope mock` with extra arguments; returns the child and its base URL.
pub fn start_mock(extra: &[&str]) -> (std::process::Child, String) {
    use std::io::BufRead;
    let mut child = sigscope()
        .arg("mock")
        .args(extra)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut reader = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    // Keep draining, so the gateway never writes into a closed pipe.
    std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
    let url = line.split_whitespace().last().unwrap().to_string();
    (child, url)
}

/// The text of a workbench screen drawn on a TestBackend (trailing spaces trimmed).
pub fn screen(app: &sigscope::tui::app::App, w: u16, h: u16) -> String {
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
    t.draw(|f| sigscope::tui::view::render(app, f)).unwrap();
    let buf = t.backend().buffer().clone();
    (0..h)
        .map(|y| {
            (0..w)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub mod tmux;
