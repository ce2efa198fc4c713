//! A real terminal for whole-program tests: the binary in a detached tmux session, keys sent
//! as a user types them, the screen read back.

use std::time::Duration;

fn tmux(args: &[&str]) -> std::process::Output {
    std::process::Command::new("tmux")
        .args(args)
        .output()
        .expect("tmux is required (.ci/run installs it)")
}

/// A tmux session running one command; killed when dropped.
pub struct Session(String);

impl Session {
    /// Runs `cmd` in a `w`×`h` terminal with `env` added to tmux's environment.
    pub fn start(cmd: &str, env: &[(&str, &str)], w: u16, h: u16) -> Session {
        let name = format!(
            "sigscope-test-{}-{}",
            std::process::id(),
            uuid::Uuid::new_v4().simple()
        );
        let (w, h) = (w.to_string(), h.to_string());
        let mut args: Vec<String> = ["new-session", "-d", "-s", &name, "-x", &w, "-y", &h]
            .iter()
            .map(|s| s.to_string())
            .collect();
        for (k, v) in env {
            args.push("-e".into());
            args.push(format!("{k}={v}"));
        }
        args.push(format!("{cmd}; echo SIGSCOPE-EXITED $?; sleep 20"));
        let started = tmux(&args.iter().map(String::as_str).collect::<Vec<_>>());
        assert!(
            started.status.success(),
            "{}",
            String::from_utf8_lossy(&started.stderr)
        );
        Session(name)
    }

    pub fn capture(&self) -> String {
        String::from_utf8_lossy(&tmux(&["capture-pane", "-t", &self.0, "-p"]).stdout).into_owned()
    }

    /// Keys in tmux's names (`C-r`, `Enter`, `Escape`, `Down`) or literal text.
    pub fn send(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &self.0];
        args.extend(keys);
        tmux(&args);
    }

    /// The screen once `needle` is on it (15 s at most).
    pub fn wait_for(&self, needle: &str) -> String {
        self.wait_until(needle, |s| s.contains(needle))
    }

    /// The screen once `test` holds for it (15 s at most); `what` names it in the failure.
    pub fn wait_until(&self, what: &str, test: impl Fn(&str) -> bool) -> String {
        for _ in 0..150 {
            let s = self.capture();
            if test(&s) {
                return s;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("'{what}' never appeared:\n{}", self.capture());
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        tmux(&["kill-session", "-t", &self.0]);
    }
}
