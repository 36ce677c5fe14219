//! Reading workbooks in a child process with limits, for the CLI and the desktop app.
//!
//! calamine can still abort the process on some hostile files (an allocation it cannot
//! make is an abort, not an error; see `fuzz/artifacts`). So a workbook is read by a child
//! process — the same executable started again with [`WORKER_ENV`] set — under an
//! address-space and CPU limit and a wall-clock timeout. The child imports in one
//! transaction on its own connection; if it dies or is killed, nothing was committed, and
//! the parent says in plain words why.
//!
//! - The CLI re-runs its own command line ([`rerun_self`]); the child prints as the CLI does.
//! - The desktop app sends the child one job ([`import`], [`inspect`]) as a JSON line on
//!   stdin and reads JSON lines back on stdout: progress, the commit handshake, the result
//!   or the error. Before it commits, the child asks the parent (`commit`) and waits for
//!   `go`: a cancel that arrives before that point kills the child (nothing written), one
//!   that arrives after it is refused ([`CancelSwitch`]), so "cancelled" always means that
//!   nothing was imported. CSV and text files are read in the app's process (our own
//!   reader, fuzzed), on a database connection of their own.

use crate::error::{Error, ErrorCode, Lang, Limit};
use crate::import::ImportOptions;
use crate::import::{self, Control, Input, Inspection, Progress};
use crate::store::overlap::TableOverlap;
use crate::store::{self, Imported, Origin, Store};
use serde::{Deserialize, Serialize};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

mod job;
mod limits;
#[cfg(windows)]
mod windows;

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
pub fn timeout() -> Duration {
    Duration::from_secs(
        std::env::var("CSPULSE_IMPORT_TIMEOUT_S")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(300),
    )
}

/// Is this process a worker?
pub fn is_worker() -> bool {
    std::env::var_os(WORKER_ENV).is_some()
}

/// Set by the parent in the worker's environment: the parent's process id, so that the
/// worker can tell whether its parent died before it asked to die with it.
const PARENT_ENV: &str = "CSPULSE_IMPORT_PARENT";

/// In the worker: limits for this process: address space and CPU time (Unix); a Job
/// Object's memory and CPU-time limits (Windows, `worker/windows.rs`); a memory watchdog
/// where those do not hold (macOS, Wine; `worker/limits.rs`). The worker dies with its
/// parent: on Linux by `PR_SET_PDEATHSIG` (here), on Windows by the parent's kill-on-close
/// job ([`tie`]): quitting the app or killing the CLI never leaves a worker behind that
/// still holds the import's lock.
pub fn limit_self() {
    #[cfg(unix)]
    {
        let bytes = memory_mb() << 20;
        let _ = rlimit::setrlimit(rlimit::Resource::AS, bytes, bytes);
        let cpu = timeout().as_secs();
        let _ = rlimit::setrlimit(rlimit::Resource::CPU, cpu, cpu + 5);
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{getppid, set_parent_process_death_signal, Signal};
        let _ = set_parent_process_death_signal(Some(Signal::KILL));
        // the parent may have died before the line above: then this process was handed to
        // another parent already, and no signal will come
        let parent: Option<i32> = std::env::var(PARENT_ENV).ok().and_then(|p| p.parse().ok());
        let now = getppid().map(|p| p.as_raw_nonzero().get());
        if parent.is_some_and(|p| Some(p) != now) {
            std::process::exit(1);
        }
    }
    #[cfg(windows)]
    let _ = windows::limit_self(memory_mb() << 20, timeout());
    #[cfg(any(windows, target_os = "macos"))]
    limits::watchdog(memory_mb() << 20);
}

/// Held by the parent while a worker runs. On Windows the worker is in a kill-on-close job
/// whose only handle this holds: when the parent ends in any way, so does the worker.
struct Tie {
    #[cfg(windows)]
    _job: Option<windows::Job>,
}

fn tie(_worker: &Child) -> Tie {
    Tie {
        #[cfg(windows)]
        _job: windows::kill_on_close(_worker).ok(),
    }
}

/// Whether the file is a workbook (zip or OLE container), by its first bytes.
pub fn is_workbook(file: &Path) -> bool {
    use std::io::Read;
    // a pipe or device is not opened here (opening a pipe waits for a writer); the import
    // refuses it with its own message
    if !std::fs::metadata(file).is_ok_and(|m| m.is_file()) {
        return false;
    }
    let mut head = [0u8; 4];
    std::fs::File::open(file)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|_| head == *b"PK\x03\x04" || head == [0xD0, 0xCF, 0x11, 0xE0])
}

/// `exe` as a worker: the marker variable, and one malloc arena (under an address-space
/// limit, per-thread arenas fail to map).
pub fn command(exe: &Path) -> Command {
    let mut c = Command::new(exe);
    c.env(WORKER_ENV, "1")
        .env(PARENT_ENV, std::process::id().to_string())
        .env("MALLOC_ARENA_MAX", "1");
    c
}

/// How a worker ended: `Ok(code)` when it exited by itself with one of the CLI's codes
/// (0–3), else why it died, in words for the user: the memory limit (an allocation that
/// fails under the address-space limit aborts: SIGABRT, or SIGSEGV when it was the stack),
/// the processor-time limit (SIGXCPU), or any other signal (SIGKILL from the system's
/// out-of-memory killer or a user, SIGTERM, …), each with its own message. A full disk is no
/// signal: the worker says so itself ([`in_worker`]).
pub fn ended(status: ExitStatus, file: &Path) -> Result<u8, Error> {
    // the memory watchdog, or Windows ending a worker (worker/limits.rs)
    if let Some(limit) = status.code().and_then(limits::exit_limit) {
        return Err(Error::TooLarge {
            file: file.into(),
            limit,
        });
    }
    match status.code() {
        Some(code @ 0..=3) => return Ok(code as u8),
        // a panic (101) or any other end the worker did not choose
        Some(_) => {
            return Err(Error::Corrupt {
                file: file.into(),
                detail: "the reader stopped unexpectedly".into(),
            })
        }
        None => {}
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        let too_large = |limit| Error::TooLarge {
            file: file.into(),
            limit,
        };
        Err(match status.signal() {
            Some(SIGXCPU) => too_large(Limit::Cpu),
            Some(SIGABRT | SIGSEGV | SIGBUS) => too_large(Limit::Memory),
            Some(signal) => Error::Stopped {
                file: file.into(),
                signal,
            },
            None => too_large(Limit::Memory),
        })
    }
    #[cfg(not(unix))]
    Err(Error::TooLarge {
        file: file.into(),
        limit: Limit::Memory,
    })
}

/// Signal numbers (the same on Linux and macOS for these; Unix only).
#[cfg(unix)]
const SIGABRT: i32 = 6;
#[cfg(unix)]
const SIGBUS: i32 = if cfg!(target_os = "linux") { 7 } else { 10 };
#[cfg(unix)]
const SIGSEGV: i32 = 11;
#[cfg(unix)]
const SIGXCPU: i32 = 24;

/// In the worker, SQLite failing to map its files or to allocate is the address-space
/// limit at work: said as "needs more memory than allowed". A full disk (SQLite's
/// `SQLITE_FULL`, from `ENOSPC`) keeps its own message ("the disk is full").
pub fn in_worker(e: Error, file: &Path) -> Error {
    if !is_worker() {
        return e;
    }
    // memory that could not be had (an allocation, a mapping), not the disk
    const MEMORY_IO_ERRORS: [std::ffi::c_int; 4] = [
        rusqlite::ffi::SQLITE_IOERR_NOMEM,
        rusqlite::ffi::SQLITE_IOERR_SHMMAP,
        rusqlite::ffi::SQLITE_IOERR_SHMSIZE,
        rusqlite::ffi::SQLITE_IOERR_MMAP,
    ];
    let memory = match &e {
        Error::Database { detail, .. } => {
            detail.contains("disk I/O error") || detail.contains("out of memory")
        }
        Error::Sqlite(rusqlite::Error::SqliteFailure(err, _)) => {
            err.code == store::SqliteErrorCode::OutOfMemory
                || (err.code == store::SqliteErrorCode::SystemIoFailure
                    && MEMORY_IO_ERRORS.contains(&err.extended_code))
        }
        _ => false,
    };
    if memory {
        Error::TooLarge {
            file: file.into(),
            limit: Limit::Memory,
        }
    } else {
        e
    }
}

/// The CLI: runs this command line again as the worker; `Ok(code)` is the worker's own exit
/// code (it printed its own output), `Err` says why it died. `None`: no child could be
/// started.
pub fn rerun_self(file: &Path) -> Option<Result<u8, Error>> {
    let exe = std::env::current_exe().ok()?;
    let mut child = command(&exe)
        .args(std::env::args_os().skip(1))
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    let _tie = tie(&child);
    // the worker's own messages are passed on when it ends by itself; a dying worker's
    // ("memory allocation failed", backtraces) are replaced by one plain line
    let mut stderr = child.stderr.take()?;
    let collected = std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stderr, &mut text);
        text
    });
    let started = Instant::now();
    let limit = timeout() + Duration::from_secs(5);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                let end = ended(status, file);
                if end.is_ok() {
                    if let Ok(text) = collected.join() {
                        let _ = std::io::stderr().write_all(&text);
                    }
                }
                return Some(end);
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

pub use job::*;

// the tests of this file are Unix's (signals, non-UTF-8 names); Windows': worker/windows.rs
#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// How the worker ended, as the parent words it: each limit and any other signal with a
    /// message of its own.
    #[cfg(unix)]
    #[test]
    fn each_way_a_worker_dies_has_its_own_message() {
        use std::os::unix::process::ExitStatusExt;
        let file = Path::new("kunden.xlsx");
        // a wait status for "killed by signal N" is N itself
        let by = |signal: i32| ended(ExitStatus::from_raw(signal), file).unwrap_err();
        let cpu = by(SIGXCPU);
        assert!(
            matches!(
                cpu,
                Error::TooLarge {
                    limit: Limit::Cpu,
                    ..
                }
            ),
            "{cpu:?}"
        );
        let memory = by(SIGABRT);
        assert!(
            matches!(
                memory,
                Error::TooLarge {
                    limit: Limit::Memory,
                    ..
                }
            ),
            "{memory:?}"
        );
        let killed = by(9);
        assert!(
            matches!(killed, Error::Stopped { signal: 9, .. }),
            "{killed:?}"
        );
        let terminated = by(15);
        assert!(
            matches!(terminated, Error::Stopped { signal: 15, .. }),
            "{terminated:?}"
        );
        let disk_full = Error::Sqlite(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL),
            None,
        ));
        assert_eq!(disk_full.code(), "disk_full");
        let messages: Vec<String> = [&cpu, &memory, &killed, &terminated, &disk_full]
            .iter()
            .map(|e| e.message(Lang::En))
            .collect();
        for (i, a) in messages.iter().enumerate() {
            for b in &messages[i + 1..] {
                assert_ne!(a, b);
            }
        }
        assert!(messages[0].contains("processor time"), "{}", messages[0]);
        assert!(messages[1].contains("memory"), "{}", messages[1]);
        assert!(messages[4].contains("disk is full"), "{}", messages[4]);
        assert!(cpu.message(Lang::De).contains("Rechenzeit"));
        assert!(disk_full.message(Lang::De).contains("Datenträger ist voll"));
        // exit codes of its own are passed on; a panic is a damaged file
        assert_eq!(ended(ExitStatus::from_raw(3 << 8), file).unwrap(), 3);
        assert_eq!(
            ended(ExitStatus::from_raw(101 << 8), file)
                .unwrap_err()
                .code(),
            "corrupt_file"
        );
    }
}
