//! Issue 12, the gateway under hostile clients: auth is checked before a body is read, bodies
//! are capped, a malformed chunked body is a 400, idle and trickling connections are closed,
//! an exhausted file-descriptor table does not make the accept loop spin, and an absurd
//! clock skew does not panic.

mod common;

use sigscope::aws::credentials::Credentials;
use sigscope::mock::{self, MockConfig, DEMO_ACCESS_KEY_ID, DEMO_SECRET_ACCESS_KEY};
use sigscope::sign::{sign, PayloadMode, SigningSettings, WireRequest};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant, SystemTime};

fn demo_creds() -> Credentials {
    Credentials::new(DEMO_ACCESS_KEY_ID, DEMO_SECRET_ACCESS_KEY, None, "test")
}

/// The head of a request signed for the gateway, as raw HTTP/1.1 lines (no blank line).
fn signed_head(addr: &str, method: &str, path: &str, body: &[u8], unsigned: bool) -> String {
    let mut req = WireRequest::from_url(method, &format!("http://{addr}{path}")).unwrap();
    req.body = body.to_vec().into();
    let mut settings = SigningSettings::for_service("us-east-1", "execute-api");
    if unsigned {
        settings.payload = PayloadMode::Unsigned;
    }
    let signed = sign(&req, &demo_creds(), &settings, SystemTime::now()).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\n");
    for (n, v) in &signed.request.headers {
        if !n.eq_ignore_ascii_case("host") {
            head.push_str(&format!("{n}: {v}\r\n"));
        }
    }
    head
}

/// Reads until the end of the response head (or EOF / timeout); returns what came.
fn read_head(s: &mut TcpStream, limit: Duration) -> String {
    s.set_read_timeout(Some(limit)).unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while !got.windows(4).any(|w| w == b"\r\n\r\n") {
        match s.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
        }
    }
    String::from_utf8_lossy(&got).into_owned()
}

/// Item 14: a 300 MB body without a signature is refused at once, before it is read, and
/// the gateway's memory does not grow with it (peak RSS of the real `sigscope mock`).
#[test]
fn an_unsigned_300_mb_body_is_refused_before_it_is_read() {
    let (mut child, url) = common::start_mock(&[]);
    let addr = url.trim_start_matches("http://").to_string();
    let mut s = TcpStream::connect(&addr).unwrap();
    let size: usize = 300 * 1024 * 1024;
    write!(
        s,
        "POST /test/pets HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {size}\r\n\r\n"
    )
    .unwrap();
    let started = Instant::now();
    let head = read_head(&mut s, Duration::from_secs(5));
    assert!(
        head.starts_with("HTTP/1.1 403"),
        "no early answer: {head:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(3));
    // Now send the 300 MB anyway: the gateway throws it away as it comes.
    let mut writer = s.try_clone().unwrap();
    let sender = std::thread::spawn(move || {
        let chunk = vec![b'x'; 1 << 20];
        let mut sent = 0;
        while sent < size {
            if writer.write_all(&chunk).is_err() {
                break;
            }
            sent += chunk.len();
        }
        sent
    });
    let sent = sender.join().unwrap();
    let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap();
    child.kill().ok();
    child.wait().ok();
    let peak_kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap();
    assert!(sent > 100 * 1024 * 1024, "only {sent} bytes went through");
    assert!(
        peak_kb < 100 * 1024,
        "the gateway's peak RSS reached {peak_kb} kB for a body it refused"
    );
}

/// Item 14: a signed body over the cap is 413, whatever its declared size.
#[tokio::test]
async fn bodies_over_the_cap_are_413() {
    let server = mock::start(
        MockConfig {
            max_body_bytes: 1000,
            ..MockConfig::default()
        },
        0,
    )
    .await
    .unwrap();
    let addr = server.addr.to_string();
    let body = vec![b'a'; 5000];
    let head = signed_head(&addr, "POST", "/test/echo/big", &body, false);
    let answer = tokio::task::spawn_blocking(move || {
        let mut s = TcpStream::connect(&addr).unwrap();
        // Declared, then chunked (no length to read ahead of time).
        write!(s, "{head}Content-Length: 5000\r\n\r\n").unwrap();
        s.write_all(&body).unwrap();
        let declared = read_head(&mut s, Duration::from_secs(5));
        let mut s = TcpStream::connect(&addr).unwrap();
        write!(s, "{head}Transfer-Encoding: chunked\r\n\r\n").unwrap();
        write!(s, "1388\r\n").unwrap();
        s.write_all(&body).unwrap();
        s.write_all(b"\r\n0\r\n\r\n").unwrap();
        (declared, read_head(&mut s, Duration::from_secs(5)))
    })
    .await
    .unwrap();
    assert!(answer.0.starts_with("HTTP/1.1 413"), "{:?}", answer.0);
    assert!(answer.1.starts_with("HTTP/1.1 413"), "{:?}", answer.1);
}

/// Item 15: a malformed chunked body is a 400, not an empty body.
#[tokio::test]
async fn a_malformed_chunked_body_is_400() {
    let server = mock::start(MockConfig::default(), 0).await.unwrap();
    let addr = server.addr.to_string();
    let head = signed_head(&addr, "POST", "/test/echo/chunked", b"", true);
    let sts = format!("POST / HTTP/1.1\r\nHost: {addr}\r\n");
    let answers = tokio::task::spawn_blocking(move || {
        [head, sts].map(|head| {
            let mut s = TcpStream::connect(&addr).unwrap();
            write!(
                s,
                "{head}Transfer-Encoding: chunked\r\n\r\nzz-not-hex\r\nhello\r\n0\r\n\r\n"
            )
            .unwrap();
            read_head(&mut s, Duration::from_secs(5))
        })
    })
    .await
    .unwrap();
    for a in answers {
        assert!(a.starts_with("HTTP/1.1 400"), "{a:?}");
    }
}

/// Item 15: an idle connection and a client trickling its head are closed after the idle
/// timeout; a trickling body gets 408.
#[tokio::test]
async fn idle_and_trickling_connections_are_closed() {
    let server = mock::start(
        MockConfig {
            idle_timeout: Duration::from_millis(400),
            body_timeout: Duration::from_millis(600),
            ..MockConfig::default()
        },
        0,
    )
    .await
    .unwrap();
    let addr = server.addr.to_string();
    let head = signed_head(&addr, "POST", "/test/echo/slow", b"0123456789", false);
    tokio::task::spawn_blocking(move || {
        let closed_within = |s: &mut TcpStream, limit: Duration| {
            let started = Instant::now();
            s.set_read_timeout(Some(Duration::from_millis(100)))
                .unwrap();
            let mut buf = [0u8; 1024];
            let mut got = Vec::new();
            while started.elapsed() < limit {
                match s.read(&mut buf) {
                    Ok(0) => return (true, got),
                    Ok(n) => got.extend_from_slice(&buf[..n]),
                    Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {
                        return (true, got)
                    }
                    Err(_) => {}
                }
            }
            (false, got)
        };
        // Idle: connects and says nothing.
        let mut idle = TcpStream::connect(&addr).unwrap();
        assert!(
            closed_within(&mut idle, Duration::from_secs(3)).0,
            "idle kept open"
        );
        // Slowloris: a header byte every 100 ms, never a blank line.
        let mut slow = TcpStream::connect(&addr).unwrap();
        slow.write_all(b"GET /test/pets HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            .unwrap();
        let started = Instant::now();
        let mut closed = false;
        while started.elapsed() < Duration::from_secs(3) {
            if slow.write_all(b"a").is_err() {
                closed = true;
                break;
            }
            let (c, _) = closed_within(&mut slow, Duration::from_millis(100));
            if c {
                closed = true;
                break;
            }
        }
        assert!(closed, "a trickled head kept the connection open");
        // A body that never finishes: 408 after the body timeout.
        let mut s = TcpStream::connect(&addr).unwrap();
        write!(s, "{head}Content-Length: 10\r\n\r\n01234").unwrap();
        let (_, got) = closed_within(&mut s, Duration::from_secs(3));
        let got = String::from_utf8_lossy(&got);
        assert!(got.starts_with("HTTP/1.1 408"), "{got:?}");
    })
    .await
    .unwrap();
}

/// Item 8 for the library: a skew no clock can hold answers instead of panicking.
#[tokio::test]
async fn an_absurd_clock_skew_does_not_panic_the_gateway() {
    for skew in [i64::MAX, i64::MIN] {
        let server = mock::start(
            MockConfig {
                clock_skew_secs: skew,
                ..MockConfig::default()
            },
            0,
        )
        .await
        .unwrap();
        let addr = server.addr.to_string();
        let head = signed_head(&addr, "GET", "/test/pets", b"", false);
        let got = tokio::task::spawn_blocking(move || {
            let mut s = TcpStream::connect(&addr).unwrap();
            write!(s, "{head}\r\n").unwrap();
            read_head(&mut s, Duration::from_secs(5))
        })
        .await
        .unwrap();
        assert!(got.starts_with("HTTP/1.1 "), "skew {skew}: {got:?}");
    }
}

/// Item 15: with the file-descriptor limit reached, the accept loop waits instead of
/// spinning, and serves again once descriptors are free.
#[cfg(target_os = "linux")]
#[test]
fn an_exhausted_descriptor_table_does_not_make_the_accept_loop_spin() {
    use std::process::{Command, Stdio};
    if Command::new("prlimit").arg("--version").output().is_err() {
        panic!("prlimit (util-linux) is needed for this test");
    }
    let mut child = Command::new("prlimit")
        .args(["--nofile=48:48", "--"])
        .arg(env!("CARGO_BIN_EXE_sigscope"))
        .args(["mock", "--idle-timeout", "60"])
        .env(
            "SIGSCOPE_DATA_DIR",
            std::env::temp_dir().join("sigscope-test-data"),
        )
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut reader = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    std::io::BufRead::read_line(&mut reader, &mut line).unwrap();
    std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
    let addr = line
        .split_whitespace()
        .last()
        .unwrap()
        .trim_start_matches("http://")
        .to_string();
    // More connections than the gateway has descriptors left: the last ones wait in the
    // listen backlog with `accept` failing (EMFILE).
    let held: Vec<TcpStream> = (0..80)
        .filter_map(|_| TcpStream::connect(&addr).ok())
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let cpu = |pid: u32| -> u64 {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
        let fields: Vec<&str> = stat
            .rsplit(')')
            .next()
            .unwrap()
            .split_whitespace()
            .collect();
        fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
    };
    let before = cpu(child.id());
    std::thread::sleep(Duration::from_secs(1));
    let ticks = cpu(child.id()) - before;
    drop(held);
    // Served again once the descriptors are free.
    std::thread::sleep(Duration::from_millis(300));
    let mut s = TcpStream::connect(&addr).unwrap();
    write!(s, "GET /test/pets HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
    let head = read_head(&mut s, Duration::from_secs(5));
    child.kill().ok();
    child.wait().ok();
    assert!(
        ticks < 20,
        "the gateway used {ticks} clock ticks of CPU in one idle second at the descriptor limit"
    );
    assert!(head.starts_with("HTTP/1.1 403"), "{head:?}");
}

/// Found by fuzzing (`fuzz_gateway`): a client that shuts its side after the request
/// (half-close, as `nc -q` and some proxies do) sometimes got no answer at all, because
/// hyper closes the connection at the read EOF unless half-close is allowed.
#[tokio::test]
async fn a_half_closed_client_still_gets_its_answer() {
    let server = mock::start(MockConfig::default(), 0).await.unwrap();
    let addr = server.addr.to_string();
    let got = tokio::task::spawn_blocking(move || {
        (0..300)
            .map(|i| {
                let head = signed_head(&addr, "POST", &format!("/test/echo/{i}"), b"{}", false);
                let mut s = TcpStream::connect(&addr).unwrap();
                write!(s, "{head}Content-Length: 2\r\n\r\n{{}}").unwrap();
                s.shutdown(std::net::Shutdown::Write).unwrap();
                read_head(&mut s, Duration::from_secs(5))
            })
            .filter(|h| !h.starts_with("HTTP/1.1 200"))
            .count()
    })
    .await
    .unwrap();
    assert_eq!(got, 0, "{got} of 300 half-closed requests got no 200");
}
