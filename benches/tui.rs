//! Workbench benchmarks (`cargo bench --bench tui`), against the targets of the TUI issue:
//! - first frame with a 5,000-request collection (load + state + first draw at 160×45);
//! - a 50 MB JSON response on loopback: send → shown (formatted, drawn), and resident memory;
//! - PageDown through it, per frame;
//! - a 1 GB response (streamed by the server, never held whole): resident memory while it
//!   is received, shown and paged, and the time to its first screen;
//! - a 1 MB bracketed paste into the body field (one message: insert, apply, preview);
//! - idle resident memory of the real binary in tmux (when tmux is installed).
//!
//! Timings are medians over repeated runs; memory is read from /proc (Linux).

use ratatui::backend::TestBackend;
use ratatui::Terminal;
use sigscope::tui::app::{Action, App, Message, RequestState};
use sigscope::tui::panes::response::{self, ResponsePane};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn rss_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn draw(t: &mut Terminal<TestBackend>, app: &mut App) {
    t.draw(|f| app.draw(f)).unwrap();
}

fn big_collection(dir: &std::path::Path) {
    let folders: Vec<serde_json::Value> = (0..50)
        .map(|f| {
            serde_json::json!({
                "name": format!("Service {f}"),
                "requests": (0..100).map(|r| serde_json::json!({
                    "name": format!("Operation {f}-{r}"),
                    "method": if r % 3 == 0 { "POST" } else { "GET" },
                    "url": format!("https://abc{f}.execute-api.eu-west-1.amazonaws.com/prod/items/{r}?limit=10"),
                    "headers": [{"name": "Accept", "value": "application/json"}],
                    "auth": {"type": "aws-sigv4"}
                })).collect::<Vec<_>>()
            })
        })
        .collect();
    let c = serde_json::json!({"version": 1, "name": "Five thousand", "folders": folders});
    std::fs::write(dir.join("big.json"), serde_json::to_vec_pretty(&c).unwrap()).unwrap();
}

fn first_frame() {
    let dir = tempfile::tempdir().unwrap();
    big_collection(dir.path());
    let mut times = Vec::new();
    for _ in 0..15 {
        let start = Instant::now();
        let (loaded, _) = sigscope::model::store::load_all(dir.path());
        let mut app = sigscope::cli::open_workbench(loaded, None);
        let mut t = Terminal::new(TestBackend::new(160, 45)).unwrap();
        draw(&mut t, &mut app);
        times.push(start.elapsed());
        let rows = &app.workspace().rows;
        assert_eq!(rows.iter().filter(|r| r.method.is_some()).count(), 5000);
    }
    println!(
        "first frame, 5,000 requests (load + state + draw 160x45): median {:.1} ms (target ≤ 50 ms)",
        median(times).as_secs_f64() * 1e3
    );
}

/// A loopback server that answers every request with `body` (Content-Length known).
async fn serve(body: bytes::Bytes) -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let body = body.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 8192];
                let _ = sock.read(&mut buf).await;
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                let _ = sock.write_all(head.as_bytes()).await;
                let _ = sock.write_all(&body).await;
            });
        }
    });
    port
}

fn big_json() -> bytes::Bytes {
    let mut s = String::with_capacity(52 << 20);
    s.push('[');
    let mut i = 0u64;
    while s.len() < 50 << 20 {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&format!(
            "{{\"id\":{i},\"name\":\"pet-{i}\",\"tags\":[\"a\",\"b\"],\"price\":{}.99,\"owner\":{{\"id\":{},\"email\":\"owner{i}@example.com\"}}}}",
            i % 500,
            i * 7
        ));
        i += 1;
    }
    s.push(']');
    bytes::Bytes::from(s)
}

async fn large_body() {
    let body = big_json();
    let size = body.len();
    let port = serve(body).await;
    let c: sigscope::model::Collection = serde_json::from_value(serde_json::json!({
        "version": 1, "name": "big",
        "requests": [{"name": "big", "method": "GET", "url": format!("http://127.0.0.1:{port}/big"), "auth": {"type": "none"}}]
    }))
    .unwrap();
    let client = sigscope::http::client(Duration::from_secs(30));
    let mut shown = Vec::new();
    let mut hwm_delta = 0;
    let mut rss_delta = 0;
    let mut frames = Vec::new();
    let mut search = Vec::new();
    let mut first_screen = Vec::new();
    for run in 0..5 {
        let mut app = App::new(c.clone());
        let mut t = Terminal::new(TestBackend::new(160, 45)).unwrap();
        draw(&mut t, &mut app);
        let base_rss = rss_kb("VmRSS:");
        let start = Instant::now();
        let mut pending = app.update(Message::Action(Action::Send));
        // The loop's path: each command is performed and its message fed back; the first
        // frame drawn with the body on it is the first screen (its head, formatted at once).
        let mut first = None;
        while let Some(cmd) = pending.pop() {
            if let Some(m) = sigscope::tui::tasks::perform(cmd, &client).await {
                pending.extend(app.update(m));
                if first.is_none() && matches!(app.request_state(), RequestState::Done { .. }) {
                    draw(&mut t, &mut app);
                    first = Some(start.elapsed());
                }
            }
        }
        first_screen.extend(first);
        draw(&mut t, &mut app);
        let elapsed = start.elapsed();
        let RequestState::Done { body, .. } = app.request_state() else {
            panic!("{:?}", app.request_state())
        };
        assert!(body.pretty.is_some(), "formatted");
        shown.push(elapsed);
        if run == 0 {
            rss_delta = rss_kb("VmRSS:").saturating_sub(base_rss);
            hwm_delta = rss_kb("VmHWM:").saturating_sub(base_rss);
            while app.focus() != response::ID {
                app.update(Message::Action(Action::NextPane));
            }
            for _ in 0..300 {
                let s = Instant::now();
                app.update(Message::Action(Action::PageDown));
                draw(&mut t, &mut app);
                frames.push(s.elapsed());
            }
            assert!(app.pane::<ResponsePane>().unwrap().view().scroll > 1000);
            // Search from the top for something near the end: lowercase needles match any
            // case (a byte-window scan), others exactly (memmem).
            if let RequestState::Done { body, .. } = app.request_state() {
                let lines = body.pretty.as_ref().unwrap();
                for needle in ["owner400000@", "Owner400000@"] {
                    let s = Instant::now();
                    let found = lines.find(needle, 0, false);
                    search.push((needle, s.elapsed(), found.is_some()));
                }
            }
        }
        drop(app);
    }
    let mean = frames.iter().sum::<Duration>() / frames.len() as u32;
    let max = frames.iter().max().unwrap();
    println!(
        "{:.1} MB JSON on loopback, send → formatted and drawn: median {:.0} ms (target ≤ 500 ms)",
        size as f64 / 1048576.0,
        median(shown).as_secs_f64() * 1e3
    );
    println!(
        "  send → first screen drawn (its head, before the whole is formatted): median {:.0} ms (target ≤ 300 ms)",
        median(first_screen).as_secs_f64() * 1e3
    );
    println!(
        "  resident memory held after it is shown: +{} MB; peak during the send: +{} MB (target ≤ 200 MB)",
        rss_delta / 1024,
        hwm_delta / 1024
    );
    for (needle, t, found) in &search {
        println!(
            "  search for '{needle}' from the top ({}): {:.0} ms",
            if *found { "found" } else { "absent" },
            t.as_secs_f64() * 1e3
        );
    }
    println!(
        "PageDown through it (update + draw 160x45): mean {:.2} ms, max {:.2} ms per frame (target < 16 ms)",
        mean.as_secs_f64() * 1e3,
        max.as_secs_f64() * 1e3
    );
}

/// A loopback server answering with `total` bytes of JSON lines, written chunk by chunk
/// (the same megabyte again and again): the server never holds the body.
async fn serve_streamed(total: u64) -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut chunk = String::with_capacity(1 << 20);
    let mut i = 0;
    while chunk.len() < (1 << 20) - 200 {
        chunk.push_str(&format!(
            "{{\"id\":{i},\"name\":\"pet-{i}\",\"tags\":[\"a\",\"b\"],\"owner\":\"owner{i}@example.com\"}}\n"
        ));
        i += 1;
    }
    let chunk = bytes::Bytes::from(chunk);
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let chunk = chunk.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 8192];
                let _ = sock.read(&mut buf).await;
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/x-ndjson\r\ncontent-length: {total}\r\nconnection: close\r\n\r\n"
                );
                let _ = sock.write_all(head.as_bytes()).await;
                let mut left = total;
                while left > 0 {
                    let n = left.min(chunk.len() as u64) as usize;
                    if sock.write_all(&chunk[..n]).await.is_err() {
                        return;
                    }
                    left -= n as u64;
                }
            });
        }
    });
    port
}

/// A 1 GB response: received into a file, shown, indexed and paged while the process's
/// resident memory is watched (its peak reset first: /proc/self/clear_refs).
async fn gigabyte_body() {
    let total: u64 = 1 << 30;
    let port = serve_streamed(total).await;
    let c: sigscope::model::Collection = serde_json::from_value(serde_json::json!({
        "version": 1, "name": "huge",
        "requests": [{"name": "huge", "method": "GET", "url": format!("http://127.0.0.1:{port}/huge"), "auth": {"type": "none"}}]
    }))
    .unwrap();
    let client = sigscope::http::client(Duration::from_secs(300));
    let mut app = App::new(c);
    let mut t = Terminal::new(TestBackend::new(160, 45)).unwrap();
    draw(&mut t, &mut app);
    let base = rss_kb("VmRSS:");
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let start = Instant::now();
    let mut pending = app.update(Message::Action(Action::Send));
    let mut first = None;
    while let Some(cmd) = pending.pop() {
        if let Some(m) = sigscope::tui::tasks::perform(cmd, &client).await {
            pending.extend(app.update(m));
            if first.is_none() && matches!(app.request_state(), RequestState::Done { .. }) {
                draw(&mut t, &mut app);
                first = Some(start.elapsed());
            }
        }
    }
    draw(&mut t, &mut app);
    let indexed = start.elapsed();
    let RequestState::Done { body, .. } = app.request_state() else {
        panic!("{:?}", app.request_state())
    };
    assert_eq!(body.size(), total);
    assert!(body.file_lines.is_some(), "read from disk");
    while app.focus() != response::ID {
        app.update(Message::Action(Action::NextPane));
    }
    let mut frames = Vec::new();
    for _ in 0..300 {
        let s = Instant::now();
        app.update(Message::Action(Action::PageDown));
        draw(&mut t, &mut app);
        frames.push(s.elapsed());
    }
    let s = Instant::now();
    app.update(Message::Action(Action::Bottom));
    draw(&mut t, &mut app);
    let bottom = s.elapsed();
    let held = rss_kb("VmRSS:").saturating_sub(base);
    let peak = rss_kb("VmHWM:").saturating_sub(base);
    let mean = frames.iter().sum::<Duration>() / frames.len() as u32;
    println!(
        "1 GB response (streamed to a file): first screen {:.0} ms, indexed and drawn {:.1} s; PageDown mean {:.2} ms, max {:.2} ms; to the last line {:.0} ms",
        first.unwrap_or_default().as_secs_f64() * 1e3,
        indexed.as_secs_f64(),
        mean.as_secs_f64() * 1e3,
        frames.iter().max().unwrap().as_secs_f64() * 1e3,
        bottom.as_secs_f64() * 1e3
    );
    println!(
        "  resident memory while viewing and paging: +{} MB; peak from the send on: +{} MB (target ≤ 150 MB)",
        held / 1024,
        peak / 1024
    );
}

/// A 1 MB bracketed paste into a text body being edited: the message handled (inserted,
/// applied to the request, previewed) and the next frame drawn.
fn paste() {
    let c: sigscope::model::Collection = serde_json::from_value(serde_json::json!({
        "version": 1, "name": "paste",
        "requests": [{"name": "p", "method": "POST", "url": "https://abc.execute-api.us-east-1.amazonaws.com/prod/x",
            "body": {"type": "text", "content": ""}, "auth": {"type": "aws-sigv4"}}]
    }))
    .unwrap();
    let text: String = (0..20_500)
        .map(|i| format!("line {i:05} {}\n", "x".repeat(40)))
        .collect();
    let mut times = Vec::new();
    for _ in 0..5 {
        let mut app = App::new(c.clone());
        app.set_fixed_credentials(sigscope::mock::demo_credentials);
        let mut t = Terminal::new(TestBackend::new(160, 45)).unwrap();
        for a in [
            Action::Enter,
            Action::NextTab,
            Action::NextTab,
            Action::NextTab,
            Action::Down,
            Action::Enter,
        ] {
            app.update(Message::Action(a));
        }
        assert!(app.wants_keys(), "editing the body");
        let start = Instant::now();
        app.update(Message::Paste(text.clone()));
        draw(&mut t, &mut app);
        times.push(start.elapsed());
        assert!(app.preview().is_some());
    }
    println!(
        "{:.1} MB bracketed paste into the body (one message + a frame): median {:.0} ms",
        text.len() as f64 / 1048576.0,
        median(times).as_secs_f64() * 1e3
    );
}

fn idle_rss() {
    let bin = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/sigscope");
    let has_tmux = std::process::Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok();
    if !bin.exists() || !has_tmux {
        println!(
            "idle RSS: skipped (needs tmux and target/release/sigscope: cargo build --release)"
        );
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let session = format!("sigscope-bench-{}", std::process::id());
    let dir = env!("CARGO_MANIFEST_DIR");
    let status = std::process::Command::new("tmux")
        .args([
            "new-session",
            "-d",
            "-s",
            &session,
            "-x",
            "160",
            "-y",
            "45",
            "-c",
            dir,
        ])
        .args([
            "-e",
            &format!("SIGSCOPE_DATA_DIR={}", data.path().display()),
        ])
        .args([
            "-e",
            &format!("SIGSCOPE_CONFIG_DIR={}", data.path().display()),
        ])
        .arg(format!("{} --collections collections", bin.display()))
        .status()
        .unwrap();
    assert!(status.success());
    std::thread::sleep(Duration::from_secs(3));
    let pid = String::from_utf8_lossy(
        &std::process::Command::new("tmux")
            .args(["list-panes", "-t", &session, "-F", "#{pane_pid}"])
            .output()
            .unwrap()
            .stdout,
    )
    .trim()
    .to_string();
    let rss = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .map(str::to_string)
        })
        .unwrap_or_default();
    let _ = std::process::Command::new("tmux")
        .args(["kill-session", "-t", &session])
        .status();
    println!("idle resident memory, the workbench over ./collections in tmux 160x45: {rss} (target ≤ 20 MB)");
}

fn main() {
    // `cargo test --benches` runs this too; only a real `cargo bench` measures.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    first_frame();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(large_body());
    rt.block_on(gigabyte_body());
    paste();
    idle_rss();
}
