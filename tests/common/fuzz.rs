//! The conventions every fuzz target follows (one `tests/fuzz_<area>.rs` per area, each
//! including this file with `#[path = "common/fuzz.rs"] mod fuzz;`):
//!
//! - Property tests with `proptest`, on the stable toolchain, inside `cargo test`: a few
//!   thousand cases per target by default (`config(n)`), so CI finds the shallow bugs.
//! - The longer local run: `SIGSCOPE_FUZZ_CASES=200000 cargo test --release --test
//!   fuzz_<area>` (every target of the file gets that many cases; `PROPTEST_MAX_SHRINK_ITERS`
//!   and the other proptest variables work as usual). A failure is shrunk and its seed saved
//!   by proptest in `tests/fuzz_<area>.regressions`; commit that file with the fix so the
//!   case is replayed first from then on.
//! - No panic: a target calls the code under test directly (a panic fails the case); code
//!   that runs on other threads (the gateway's connection tasks) is watched by
//!   `count_panics`.
//! - No hang: each case runs under `within(limit, ..)`, which fails the case when it takes
//!   longer than the limit (the thread is left behind; the test fails anyway).
//! - No unbounded allocation: the test binary's allocator is `cap::Cap`, limited by
//!   `limit_memory()` to `MEMORY_LIMIT` for the whole process; an allocation past it aborts
//!   the binary, which fails the run loudly. Each file's `zz_…` test prints `peak_bytes()`;
//!   run with `-- --test-threads=1 --nocapture` for it to come last and cover every target.
#![allow(dead_code)]

use std::alloc::System;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Once;
use std::time::Duration;

#[global_allocator]
static ALLOCATOR: cap::Cap<System> = cap::Cap::new(System, usize::MAX);

/// What a fuzz binary may hold at once, every thread together: far above what any input of
/// these generators needs, far below what an allocation sized by an input's number (a
/// `Content-Length`, a header count) would take.
pub const MEMORY_LIMIT: usize = 1024 * 1024 * 1024;

pub fn limit_memory() {
    let _ = ALLOCATOR.set_limit(MEMORY_LIMIT);
}

/// The most the binary held at once so far.
pub fn peak_bytes() -> usize {
    ALLOCATOR.max_allocated()
}

/// The proptest configuration: `default_cases`, or `SIGSCOPE_FUZZ_CASES`; failing seeds are
/// kept in `regressions` (a path from the crate root, `tests/fuzz_<area>.regressions`).
pub fn config(default_cases: u32, regressions: &'static str) -> proptest::test_runner::Config {
    limit_memory();
    let cases = std::env::var("SIGSCOPE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default_cases);
    proptest::test_runner::Config {
        cases,
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::Direct(regressions),
        )),
        ..proptest::test_runner::Config::default()
    }
}

/// Runs `f` on its own thread and returns its result, or panics when it takes longer than
/// `limit` (a hang) or panicked (the panic's message is passed on).
pub fn within<T: Send + 'static>(limit: Duration, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
        let _ = tx.send(result);
    });
    match rx.recv_timeout(limit) {
        Ok(Ok(v)) => v,
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        Err(_) => panic!("hang: no result within {limit:?}"),
    }
}

static PANICS: AtomicUsize = AtomicUsize::new(0);
static HOOK: Once = Once::new();

/// Counts panics from now on on the threads whose name starts with `prefix` (a runtime's
/// workers: the gateway's tasks swallow their panics; the test's own failures are not
/// counted); the default hook still prints them all.
pub fn count_panics(prefix: &'static str) {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current()
                .name()
                .is_some_and(|n| n.starts_with(prefix))
            {
                PANICS.fetch_add(1, Ordering::SeqCst);
            }
            previous(info);
        }));
    });
}

pub fn panics() -> usize {
    PANICS.load(Ordering::SeqCst)
}
