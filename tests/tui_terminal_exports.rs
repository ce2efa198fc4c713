//! The real binary in a real terminal (tmux), from an empty folder: import the APIs of an
//! AWS account (the local gateway answering API Gateway and Lambda), send an imported
//! request, then copy it as Python through the copy menu and read the terminal's clipboard
//! back (tmux keeps what OSC 52 sets when `set-clipboard` is on). The tmux server is this
//! test's own (`-L`), so that option touches no other session.

mod common;

use std::time::Duration;

struct Tmux {
    socket: String,
}

impl Tmux {
    fn run(&self, args: &[&str]) -> std::process::Output {
        std::process::Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .output()
            .expect("tmux is required (.ci/run installs it)")
    }

    fn capture(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-t", "t", "-p"]).stdout).into_owned()
    }

    fn send(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "t"];
        args.extend(keys);
        self.run(&args);
    }

    fn wait_for(&self, needle: &str) -> String {
        for _ in 0..150 {
            let s = self.capture();
            if s.contains(needle) {
                return s;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("'{needle}' never appeared:\n{}", self.capture());
    }

    /// Tab until the pane titled `title` has the focus (its border is thick).
    fn focus(&self, title: &str) {
        for _ in 0..8 {
            if self.capture().contains(&format!("┏{title}")) {
                return;
            }
            self.send(&["Tab"]);
            std::thread::sleep(Duration::from_millis(200));
        }
        panic!("{title} never got the focus:\n{}", self.capture());
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.run(&["kill-server"]);
    }
}

#[test]
fn import_an_accounts_api_send_it_and_copy_it_as_python_in_a_real_terminal() {
    let (mut mock, url) = common::start_mock(&[]);
    let dir = tempfile::tempdir().unwrap();
    let (data, collections) = (dir.path().join("data"), dir.path().join("collections"));
    std::fs::create_dir_all(&collections).unwrap();
    let (config, credentials) = (dir.path().join("config"), dir.path().join("credentials"));
    std::fs::write(&config, "[profile demo]\nregion = us-east-1\n").unwrap();
    std::fs::write(
        &credentials,
        format!(
            "[demo]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
            sigscope::mock::DEMO_ACCESS_KEY_ID,
            sigscope::mock::DEMO_SECRET_ACCESS_KEY
        ),
    )
    .unwrap();
    let env: Vec<(&str, String)> = vec![
        ("SIGSCOPE_DATA_DIR", data.display().to_string()),
        ("SIGSCOPE_CONFIG_DIR", data.display().to_string()),
        ("AWS_CONFIG_FILE", config.display().to_string()),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            credentials.display().to_string(),
        ),
        ("AWS_EC2_METADATA_DISABLED", "true".into()),
        ("AWS_ENDPOINT_URL_STS", url.clone()),
        ("AWS_ENDPOINT_URL_APIGATEWAY", url.clone()),
        ("AWS_ENDPOINT_URL_APIGATEWAYV2", url.clone()),
        ("AWS_ENDPOINT_URL_LAMBDA", url.clone()),
    ];
    let t = Tmux {
        socket: format!("sigscope-exports-{}", std::process::id()),
    };
    let cmd = format!(
        "env -u AWS_PROFILE -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN \
         -u AWS_REGION -u AWS_DEFAULT_REGION -u AWS_ENDPOINT_URL {} --collections {}; sleep 20",
        env!("CARGO_BIN_EXE_sigscope"),
        collections.display()
    );
    let mut args = vec![
        "new-session".to_string(),
        "-d".into(),
        "-s".into(),
        "t".into(),
        "-x".into(),
        "160".into(),
        "-y".into(),
        "45".into(),
    ];
    for (k, v) in &env {
        args.push("-e".into());
        args.push(format!("{k}={v}"));
    }
    args.push(cmd);
    let started = t.run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(started.status.success(), "{started:?}");
    t.run(&["set", "-s", "set-clipboard", "on"]);

    // The account's APIs: the profile from the AWS files, its region, the list, the import.
    t.wait_for("Start here");
    t.send(&["O"]);
    t.wait_for("demo  (us-east-1)");
    t.send(&["Down", "Enter"]);
    t.wait_for("The region to list");
    t.send(&["Enter"]);
    let listed = t.wait_for("stage test");
    assert!(
        listed.contains("REST API") && listed.contains("demoapi"),
        "{listed}"
    );
    t.send(&["Enter"]);
    t.wait_for("imported from us-east-1: sigscope demo (test): 5 requests");
    let file = collections.join("sigscope-demo-test.json");
    let saved = sigscope::model::load(&file).unwrap().collection;
    assert_eq!(saved.walk().len(), 5);

    // Its first request (pets / GET /pets), sent: the profile picked signs it.
    t.focus("Collections");
    t.send(&["Down", "Down"]);
    t.wait_for("Request: GET /pets");
    t.send(&["C-r"]);
    t.wait_for("200 OK");

    // Copied as Python: on the terminal's clipboard, without a credential.
    t.send(&["Y"]);
    t.wait_for("Copy 'pets/GET /pets' as");
    t.send(&["j", "Enter"]);
    t.wait_for("python snippet (");
    let clipboard = String::from_utf8_lossy(&t.run(&["show-buffer"]).stdout).into_owned();
    assert!(
        clipboard.contains("SigV4Auth") && clipboard.contains(&format!("{url}/test/pets")),
        "{clipboard}"
    );
    for secret in [
        sigscope::mock::DEMO_SECRET_ACCESS_KEY,
        sigscope::mock::DEMO_ACCESS_KEY_ID,
    ] {
        assert!(!clipboard.contains(secret), "{clipboard}");
    }
    t.send(&["q"]);
    mock.kill().ok();
}
