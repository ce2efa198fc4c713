//! The workbench's start-up path with 5,000 requests, phase by phase (`cargo bench --bench
//! load`): parsing the collection (the one-pass fast path next to the long way through a
//! tree), the file load (read, UTF-8, parse, fingerprint), the workspace and state (request
//! ids, tree rows, preview, theme and keymap), and the first draw at 160×45. The collection
//! has the shape of tuibench's `5k` (50 folders of 100 GETs); a second one carries SigV4
//! auth, headers and query rows on every request, as a real API's collection would.
//! Issue 14's target is the first frame of the real binary in tmux (≤ 50 ms there, tmux
//! included): these phases are where that time goes.

use criterion::{criterion_group, BatchSize, Criterion};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use sigscope::model::store;
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

/// tuibench's `5k`: 50 folders of 100 `GET /items/N`, no auth.
fn plain(dir: &Path) -> std::path::PathBuf {
    let folders: Vec<serde_json::Value> = (0..50)
        .map(|f| {
            serde_json::json!({
                "name": format!("folder-{f:02}"),
                "requests": (0..100).map(|r| {
                    let n = f * 100 + r;
                    serde_json::json!({
                        "name": format!("req-{n:05}"),
                        "method": "GET",
                        "url": format!("http://127.0.0.1:8765/items/{n}"),
                        "auth": {"type": "none"}
                    })
                }).collect::<Vec<_>>()
            })
        })
        .collect();
    write(dir, "plain.json", folders)
}

/// The same count, each request signed, with a header, a query row and a variable.
fn signed(dir: &Path) -> std::path::PathBuf {
    let folders: Vec<serde_json::Value> = (0..50)
        .map(|f| {
            serde_json::json!({
                "name": format!("Service {f}"),
                "auth": {"type": "aws-sigv4", "profile": "dev", "region": "eu-west-1"},
                "requests": (0..100).map(|r| serde_json::json!({
                    "name": format!("Operation {f}-{r}"),
                    "method": if r % 3 == 0 { "POST" } else { "GET" },
                    "url": format!("https://abc{f}.execute-api.eu-west-1.amazonaws.com/prod/items/{r}"),
                    "query": [{"name": "limit", "value": "{{limit}}"}],
                    "headers": [{"name": "Accept", "value": "application/json"}],
                    "variables": {"limit": "10"},
                    "auth": {"type": "inherit"}
                })).collect::<Vec<_>>()
            })
        })
        .collect();
    write(dir, "signed.json", folders)
}

fn write(dir: &Path, name: &str, folders: Vec<serde_json::Value>) -> std::path::PathBuf {
    let c = serde_json::json!({"version": 1, "name": "Bench", "folders": folders});
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_vec_pretty(&c).unwrap()).unwrap();
    path
}

fn phases(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    // Drafts, history and the config are read from here, never from the user's folders.
    std::env::set_var("SIGSCOPE_DATA_DIR", dir.path().join("data"));
    std::env::set_var("SIGSCOPE_CONFIG_DIR", dir.path().join("config"));
    let (plain_dir, signed_dir) = (dir.path().join("plain"), dir.path().join("signed"));
    std::fs::create_dir_all(&plain_dir).unwrap();
    std::fs::create_dir_all(&signed_dir).unwrap();
    for (label, folder, path) in [
        ("plain", &plain_dir, plain(&plain_dir)),
        ("signed", &signed_dir, signed(&signed_dir)),
    ] {
        let text = std::fs::read_to_string(&path).unwrap();
        let file = path.display().to_string();
        let mut g = c.benchmark_group(format!("load 5k {label}"));
        g.sample_size(20)
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(3));
        g.bench_function("parse (fast path)", |b| {
            b.iter(|| store::parse_checked(&file, black_box(&text)).unwrap())
        });
        g.bench_function("parse (long way: tree, checks, schema)", |b| {
            b.iter(|| store::parse_tree(&file, black_box(&text)).unwrap())
        });
        g.bench_function("file load (read, decode, parse, fingerprint)", |b| {
            b.iter(|| store::load_checked(black_box(&path)).unwrap())
        });
        let loaded = store::load(&path).unwrap();
        g.bench_function("workspace and state (ids, rows, preview, config)", |b| {
            b.iter_batched(
                || vec![loaded.clone()],
                |docs| sigscope::cli::open_workbench(docs, None),
                BatchSize::LargeInput,
            )
        });
        g.bench_function("first draw 160x45", |b| {
            b.iter_batched(
                || sigscope::cli::open_workbench(vec![loaded.clone()], None),
                |mut app| {
                    let mut t = Terminal::new(TestBackend::new(160, 45)).unwrap();
                    t.draw(|f| app.draw(f)).unwrap();
                    app
                },
                BatchSize::LargeInput,
            )
        });
        g.bench_function("head (200 requests kept, the rest counted)", |b| {
            let bytes = std::fs::read(&path).unwrap();
            b.iter(|| sigscope::model::head::from_bytes(&path, black_box(&bytes), 200).unwrap())
        });
        let none = sigscope::tui::session::Session::default();
        g.bench_function("first screen from heads (state, no draw)", |b| {
            b.iter(|| {
                let mut left = Default::default();
                sigscope::cli::first_screen::build(folder, None, &none, 45, &mut left).unwrap()
            })
        });
        g.bench_function("first frame (all of the above)", |b| {
            b.iter(|| {
                let (loaded, _) = store::load_all(folder);
                let mut app = sigscope::cli::open_workbench(loaded, None);
                let mut t = Terminal::new(TestBackend::new(160, 45)).unwrap();
                t.draw(|f| app.draw(f)).unwrap();
                app
            })
        });
        g.finish();
    }
}

criterion_group!(benches, phases);

fn main() {
    // `cargo test --benches` runs this too; only a real `cargo bench` measures.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
