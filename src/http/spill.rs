//! A response read into memory up to a limit and into a file past it (the workbench's
//! sends): a body of a gigabyte costs the file, not the memory. The file is private (0600,
//! in a 0700 folder under the temporary directory) and removed when its last holder drops it.

use super::{send_to, Exchange, SendToError, TransportError, STREAM_KEEP};
use crate::body::file::BodyFile;
use crate::sign::{SigningTrace, WireRequest};
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

/// Bodies above this go to a file (`SIGSCOPE_BODY_IN_MEMORY` bytes overrides it).
pub const IN_MEMORY: usize = 64 << 20;

/// A limit set by the program itself (tests, benchmarks): it wins over the environment.
static LIMIT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

pub fn set_in_memory_limit(bytes: usize) {
    LIMIT.store(bytes, std::sync::atomic::Ordering::Relaxed);
}

pub fn in_memory_limit() -> usize {
    match LIMIT.load(std::sync::atomic::Ordering::Relaxed) {
        0 => std::env::var("SIGSCOPE_BODY_IN_MEMORY")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(IN_MEMORY),
        n => n,
    }
}

struct Spill {
    mem: Vec<u8>,
    limit: usize,
    file: Option<(std::fs::File, PathBuf)>,
    len: u64,
}

fn private_file() -> std::io::Result<(std::fs::File, PathBuf)> {
    let dir = std::env::temp_dir().join("sigscope-bodies");
    std::fs::create_dir_all(&dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
    }
    let path = dir.join(uuid::Uuid::new_v4().simple().to_string());
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    Ok((options.open(&path)?, path))
}

impl Write for Spill {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.len += buf.len() as u64;
        if self.file.is_none() && self.mem.len() + buf.len() > self.limit {
            let (mut f, path) = private_file()?;
            f.write_all(&self.mem)?;
            self.mem = Vec::new();
            self.file = Some((f, path));
        }
        match &mut self.file {
            Some((f, _)) => f.write_all(buf)?,
            None => self.mem.extend_from_slice(buf),
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.file {
            Some((f, _)) => f.flush(),
            None => Ok(()),
        }
    }
}

/// Sends a (signed) request; a body above `limit` bytes is written to a file as it arrives
/// (the exchange then holds its first `STREAM_KEEP` bytes, at most `limit`) and returned with it.
pub async fn send_spilling(
    client: &reqwest::Client,
    request: WireRequest,
    trace: Option<SigningTrace>,
    limit: usize,
) -> Result<(Exchange, Option<Arc<BodyFile>>), TransportError> {
    let mut spill = Spill {
        mem: Vec::new(),
        limit,
        file: None,
        len: 0,
    };
    let streamed = send_to(
        client,
        request,
        trace,
        &mut |_| Ok(()),
        &mut spill,
        STREAM_KEEP.min(limit),
    )
    .await;
    let streamed = match streamed {
        Ok(s) => s,
        Err(SendToError::Transport(e)) => return Err(e),
        Err(SendToError::Write(e)) => {
            return Err(TransportError::other(
                "the body could not be written to a temporary file".into(),
                e.to_string(),
            ))
        }
    };
    let mut exchange = streamed.exchange;
    match spill.file {
        None => {
            exchange.response.body = bytes::Bytes::from(spill.mem);
            Ok((exchange, None))
        }
        Some((mut f, path)) => {
            let _ = f.flush();
            let file = Arc::new(BodyFile {
                path,
                len: spill.len,
            });
            Ok((exchange, Some(file)))
        }
    }
}
