//! Issue 12, "nothing crashes, nothing hangs", the CLI and the files: bad numbers, closed
//! pipes, FIFOs and devices among the collections, saves through links, and the smaller
//! items (exit codes, cut bodies, ambiguous names, versions, duplicate keys, corrupt
//! history, byte-order marks). Each runs the binary as a user would.

mod common;

use common::{demo_env, sigscope, text};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs a command, killing it (and failing) when it takes longer than `limit`.
fn run_within(cmd: &mut Command, limit: Duration) -> Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if started.elapsed() > limit {
            child.kill().ok();
            let out = child.wait_with_output().unwrap();
            panic!(
                "still running after {limit:?}; stderr: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn no_panic(out: &Output) {
    let (_, stderr) = text(out);
    assert_ne!(out.status.code(), Some(101), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

fn write_collection(dir: &Path, file: &str, name: &str, url: &str) {
    std::fs::write(
        dir.join(file),
        format!(
            r#"{{"version": 1, "name": "{name}", "requests": [{{"name": "r", "method": "GET", "url": "{url}"}}]}}"#
        ),
    )
    .unwrap();
}

/// Item 8: every numeric option is checked; none panics, none is silently accepted.
#[test]
fn numeric_options_out_of_range_are_usage_errors() {
    for bad in [
        "inf",
        "1e20",
        "1e300",
        "18446744073709551616",
        "NaN",
        "0",
        "-5",
    ] {
        let out = sigscope()
            .args([
                "send",
                "--no-sign",
                &format!("--timeout={bad}"),
                "http://127.0.0.1:9/",
            ])
            .output()
            .unwrap();
        no_panic(&out);
        assert_eq!(
            out.status.code(),
            Some(2),
            "--timeout {bad}: {}",
            text(&out).1
        );
        assert!(text(&out).1.contains("--timeout"), "{}", text(&out).1);
        let out = sigscope()
            .args(["run", "x.json", &format!("--timeout={bad}")])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "run --timeout {bad}");
    }
    for args in [
        &["mock", "--clock-skew", "9223372036854775807"][..],
        &["mock", "--clock-skew=-9223372036854775808"],
        &["mock", "--fail-rate", "2"],
        &["mock", "--fail-rate", "NaN"],
        &["mock", "--fail-rate=-0.5"],
        &["mock", "--latency", "18446744073709551615"],
        &["mock", "--idle-timeout", "0"],
        &["sign", "--presign", "0", "https://sts.amazonaws.com/"],
        &[
            "sign",
            "--presign",
            "18446744073709551615",
            "https://sts.amazonaws.com/",
        ],
    ] {
        let out = sigscope().args(args).output().unwrap();
        no_panic(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out).1);
    }
}

/// Item 9: a reader that goes away (`| head -1`) ends the command quietly.
#[test]
fn a_closed_pipe_ends_each_command_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let requests: Vec<String> = (0..50)
        .map(|i| format!(r#"{{"name": "r{i}", "method": "GET", "url": "http://127.0.0.1:9/{i}"}}"#))
        .collect();
    std::fs::write(
        dir.path().join("big.json"),
        format!(
            r#"{{"version": 1, "name": "big", "requests": [{}]}}"#,
            requests.join(",")
        ),
    )
    .unwrap();
    for i in 0..30 {
        write_collection(
            dir.path(),
            &format!("c{i}.json"),
            &format!("c{i}"),
            "http://x/",
        );
    }
    let collections = dir.path().to_str().unwrap().to_string();
    let big = dir.path().join("big.json").to_str().unwrap().to_string();
    for args in [
        vec!["collections", "--collections", &collections],
        vec!["run", &big, "--timeout", "1"],
        vec!["completions", "bash"],
        vec!["profiles"],
    ] {
        // The read end is closed before the first write: every write fails with EPIPE.
        let mut child = sigscope()
            .env("SIGSCOPE_DATA_DIR", dir.path().join("data"))
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        no_panic(&out);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", text(&out).1);
        assert!(text(&out).1.is_empty(), "{args:?} said: {}", text(&out).1);
    }
}

/// Item 10: a FIFO named like a collection, a link to /dev/zero and an oversized file are
/// each skipped with a reason; start-up neither blocks nor fills the memory.
#[cfg(unix)]
#[test]
fn fifos_devices_and_huge_files_among_the_collections_are_skipped_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new("mkfifo")
        .arg(dir.path().join("x.json"))
        .status()
        .unwrap();
    assert!(status.success());
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.json")).unwrap();
    std::fs::write(
        dir.path().join("huge.json"),
        format!(
            r#"{{"version": 1, "name": "huge", "description": "{}"}}"#,
            "x".repeat(5000)
        ),
    )
    .unwrap();
    write_collection(dir.path(), "ok.json", "fine", "http://x/");
    let out = run_within(
        sigscope()
            .env("SIGSCOPE_MAX_COLLECTION_BYTES", "4096")
            .args(["collections", "--collections"])
            .arg(dir.path()),
        Duration::from_secs(20),
    );
    no_panic(&out);
    let (stdout, _) = text(&out);
    assert!(stdout.contains("fine"), "{stdout}");
    for (file, why) in [
        ("x.json", "FIFO"),
        ("zero.json", "a device"),
        ("huge.json", "over the 4096-byte limit"),
    ] {
        assert!(
            stdout
                .lines()
                .any(|l| l.contains(file) && l.contains("skipped") && l.contains(why)),
            "{file}: {stdout}"
        );
    }
    assert_eq!(out.status.code(), Some(1));
}

/// Item 13: a save through a symbolic link edits the link's target and leaves the link; the
/// file keeps its 0600 mode; invalid UTF-8 is refused with its offset and never rewritten.
#[cfg(unix)]
#[test]
fn saves_go_through_links_keep_the_mode_and_refuse_invalid_utf8() {
    use std::os::unix::fs::PermissionsExt;
    let real_dir = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let real = real_dir.path().join("real.json");
    // Not in canonical form, so `--format` rewrites it.
    std::fs::write(&real, r#"{"name": "linked", "version": 1}"#).unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).unwrap();
    let link = dir.path().join("linked.json");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let bad = dir.path().join("latin1.json");
    let mut bytes = br#"{"version": 1, "name": "caf"#.to_vec();
    bytes.push(0xe9);
    bytes.extend_from_slice(b"\"}\n");
    std::fs::write(&bad, &bytes).unwrap();

    let out = sigscope()
        .args(["collections", "--format", "--collections"])
        .arg(dir.path())
        .output()
        .unwrap();
    no_panic(&out);
    let (stdout, _) = text(&out);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link was replaced by a file"
    );
    let saved = std::fs::read_to_string(&real).unwrap();
    assert!(
        saved.starts_with("{\n  \"version\": 1"),
        "the target was not saved: {saved}"
    );
    assert_eq!(
        std::fs::metadata(&real).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert!(
        stdout.contains("latin1.json:1:28: not UTF-8 (byte offset 27)"),
        "{stdout}"
    );
    assert_eq!(
        std::fs::read(&bad).unwrap(),
        bytes,
        "the bad file was rewritten"
    );
}

/// Item 16: `doctor` with no response exits 4 (transport), not 3 (HTTP error).
#[test]
fn doctor_without_any_response_exits_with_the_transport_code() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = demo_env(&mut sigscope())
        .args([
            "doctor",
            "--region",
            "us-east-1",
            "--service",
            "execute-api",
        ])
        .arg(format!("http://127.0.0.1:{port}/test/pets"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", text(&out).0);
}

/// Item 16: a body cut short after the headers is not "failed before any response".
#[test]
fn a_body_cut_short_after_the_headers_says_so() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        if let Ok((mut s, _)) = listener.accept() {
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly ten b");
        }
    });
    let out = sigscope()
        .args(["send", "--no-sign"])
        .arg(format!("http://{addr}/x"))
        .output()
        .unwrap();
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(
        stderr.contains("cut short")
            && stderr.contains("answered 200")
            && stderr.contains("10 bytes"),
        "{stderr}"
    );
    assert!(!stderr.contains("before any response"), "{stderr}");
}

/// Item 16: two collections with one name, an unknown version, duplicate keys, a BOM.
#[test]
fn ambiguous_names_versions_duplicate_keys_and_byte_order_marks() {
    let dir = tempfile::tempdir().unwrap();
    write_collection(dir.path(), "a.json", "same", "http://127.0.0.1:9/a");
    write_collection(dir.path(), "b.json", "same", "http://127.0.0.1:9/b");
    let out = sigscope()
        .args(["run", "same", "--collections"])
        .arg(dir.path())
        .output()
        .unwrap();
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("2 collections are named 'same'")
            && stderr.contains("a.json")
            && stderr.contains("b.json"),
        "{stderr}"
    );
    // A file named after the argument still wins.
    let out = sigscope()
        .args(["run", "a", "--timeout", "1", "--collections"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(text(&out).0.contains("1 requests"), "{}", text(&out).1);

    let other = tempfile::tempdir().unwrap();
    std::fs::write(
        other.path().join("v2.json"),
        r#"{"version": 2, "name": "future"}"#,
    )
    .unwrap();
    std::fs::write(
        other.path().join("dup.json"),
        r#"{"version": 1, "name": "first", "requests": [
            {"name": "r", "method": "GET", "url": "http://127.0.0.1:9/", "method": "POST"}], "name": "second"}"#,
    )
    .unwrap();
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(br#"{"version": 1, "name": "with a bom"}"#);
    std::fs::write(other.path().join("bom.json"), bom).unwrap();
    let out = sigscope()
        .args(["collections", "--collections"])
        .arg(other.path())
        .output()
        .unwrap();
    let (stdout, _) = text(&out);
    assert!(
        stdout.contains("v2.json: at $.version: version 2 is not a collection format"),
        "{stdout}"
    );
    assert!(stdout.contains("with a bom"), "{stdout}");
    assert!(
        stdout.contains("dup.json: at $.requests[0]: the key \"method\" is given twice")
            && stdout.contains("dup.json: at $: the key \"name\" is given twice"),
        "{stdout}"
    );
    let out = sigscope()
        .args(["run", "second", "--timeout", "1", "--collections"])
        .arg(other.path())
        .output()
        .unwrap();
    assert!(
        text(&out).1.contains("warning:") && text(&out).1.contains("given twice"),
        "{}",
        text(&out).1
    );
}

/// Item 16: corrupt history files are named, not skipped silently.
#[test]
fn corrupt_history_files_are_named() {
    let data = tempfile::tempdir().unwrap();
    let history = data.path().join("history");
    std::fs::create_dir_all(&history).unwrap();
    std::fs::write(history.join("1700000000000-deadbeef.json"), "{ torn").unwrap();
    let out = sigscope()
        .env("SIGSCOPE_DATA_DIR", data.path())
        .args(["history", "list"])
        .output()
        .unwrap();
    let (_, stderr) = text(&out);
    assert!(
        stderr.contains("1700000000000-deadbeef.json") && stderr.contains("not a history entry"),
        "{stderr}"
    );
}

/// Item 8, in a collection: a `clockOffsetSeconds` no clock can hold made `run` panic while
/// signing; it is refused at load with its path.
#[test]
fn an_absurd_clock_offset_in_a_collection_is_refused_at_load() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("skew.json");
    std::fs::write(
        &file,
        r#"{"version": 1, "name": "skew", "folders": [{"name": "f", "requests": [
            {"name": "r", "method": "GET", "url": "http://127.0.0.1:9/",
             "auth": {"type": "aws-sigv4", "region": "us-east-1", "service": "execute-api",
                      "clockOffsetSeconds": 9223372036854775807}}]}]}"#,
    )
    .unwrap();
    let out = demo_env(&mut sigscope())
        .args(["run", file.to_str().unwrap(), "--timeout", "1"])
        .output()
        .unwrap();
    no_panic(&out);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("$.folders[0].requests[0].auth.clockOffsetSeconds")
            && stderr.contains("out of range"),
        "{stderr}"
    );
}
