//! Reading a workbook in a child process with limits.
//!
//! calamine can still abort the process on some hostile files (an allocation it cannot
//! make is an abort, not an error). So `cspulse import` of a workbook runs the same command
//! again as a child with an address-space and CPU limit and a wall-clock timeout. The child
//! imports in one transaction; if it dies, nothing was committed, and the parent says in
//! plain words why, with exit code 2.

use cspulse_engine::error::{Error, Limit};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Set in the child's environment: it is the worker and must not spawn another.
pub const WORKER_ENV: &str = "CSPULSE_IMPORT_WORKER";

/// Memory the worker may map, in MiB (`CSPULSE_IMPORT_MEMORY_MB`, default 4096).
fn memory_mb() -> u64 {
    std::env::var("CSPULSE_IMPORT_MEMORY_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4096)
}

/// Wall-clock seconds the worker may take (`CSPULSE_IMPORT_TIMEOUT_S`, default 300).
fn timeout() -> Duration {
    Duration::from_secs(
        std::env::var("CSPULSE_IMPORT_TIMEOUT_S")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(300),
    )
}

pub fn is_worker() -> bool {
    std::env::var_os(WORKER_ENV).is_some()
}

/// In the worker: limits for this process.
pub fn limit_self() {
    #[cfg(unix)]
    {
        let bytes = memory_mb() << 20;
        let _ = rlimit::setrlimit(rlimit::Resource::AS, bytes, bytes);
        let cpu = timeout().as_secs();
        let _ = rlimit::setrlimit(rlimit::Resource::CPU, cpu, cpu + 5);
    }
}

/// Whether the file is a workbook (zip or OLE container), by its first bytes.
pub fn is_workbook(file: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 4];
    std::fs::File::open(file)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|_| head == *b"PK\x03\x04" || head == [0xD0, 0xCF, 0x11, 0xE0])
}

/// Runs this command again as the worker; `Ok(code)` is the worker's own exit code (it
/// printed its own output), `Err` says why it died. `None`: no child could be started.
pub fn run_child(file: &Path) -> Option<Result<u8, Error>> {
    let exe = std::env::current_exe().ok()?;
    let mut child = Command::new(exe)
        .args(std::env::args_os().skip(1))
        .env(WORKER_ENV, "1")
        // one malloc arena: under an address-space limit, per-thread arenas fail to map
        .env("MALLOC_ARENA_MAX", "1")
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    // the worker's own messages are passed on when it ends by itself; a dying worker's
    // ("memory allocation failed", backtraces) are replaced by one plain line
    let mut stderr = child.stderr.take()?;
    let collected = std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stderr, &mut text);
        text
    });
    let forward = move || {
        if let Ok(text) = collected.join() {
            use std::io::Write as _;
            let _ = std::io::stderr().write_all(&text);
        }
    };
    let started = Instant::now();
    let limit = timeout() + Duration::from_secs(5);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                match status.code() {
                    Some(code @ 0..=3) => {
                        forward();
                        return Some(Ok(code as u8));
                    }
                    // a panic (101) or any other end the worker did not choose
                    Some(_) => {
                        return Some(Err(Error::Corrupt {
                            file: file.into(),
                            detail: "the reader stopped unexpectedly".into(),
                        }))
                    }
                    None => {}
                }
                #[cfg(unix)]
                {
                    use std::os::unix::process::ExitStatusExt;
                    let limit = match status.signal() {
                        Some(24) => Limit::Time, // SIGXCPU
                        _ => Limit::Memory,
                    };
                    return Some(Err(Error::TooLarge {
                        file: file.into(),
                        limit,
                    }));
                }
                #[cfg(not(unix))]
                return Some(Err(Error::TooLarge {
                    file: file.into(),
                    limit: Limit::Memory,
                }));
            }
            Ok(None) if started.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                return Some(Err(Error::TooLarge {
                    file: file.into(),
                    limit: Limit::Time,
                }));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(_) => return None,
        }
    }
}
