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
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        // Tests share tmux's default server, which exits with its last session: a session
        // started at that moment meets a server on its way out ("server exited
        // unexpectedly"), and the next attempt starts a new one.
        let mut started = tmux(&args);
        for _ in 0..3 {
            let lost = String::from_utf8_lossy(&started.stderr).contains("server exited");
            if started.status.success() || !lost {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
            started = tmux(&args);
        }
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

    /// A tmux format of the pane (`#{alternate_on}`, `#{mouse_any_flag}`).
    pub fn pane(&self, format: &str) -> String {
        let out = tmux(&["display-message", "-p", "-t", &self.0, format]).stdout;
        String::from_utf8_lossy(&out).trim().to_string()
    }

    /// Pastes `text` as a terminal does when the program asked for bracketed paste.
    pub fn paste(&self, text: &str) {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), text).unwrap();
        let buffer = format!("{}-paste", self.0);
        let path = file.path().to_str().unwrap();
        assert!(tmux(&["load-buffer", "-b", &buffer, path]).status.success());
        let pasted = tmux(&["paste-buffer", "-p", "-d", "-b", &buffer, "-t", &self.0]);
        assert!(pasted.status.success(), "{pasted:?}");
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
