//! The import worker's limits on Windows: Job Objects (kernel32, through `windows-sys`).
//!
//! - In the worker ([`limit_self`], first thing it does): a job of its own with a limit on
//!   committed memory and on CPU time, joined before any file is read, so there is no moment
//!   in which it runs unlimited. An allocation beyond the limit fails; Rust then aborts the
//!   worker, the parent reads the exit code ([`super::limits::exit_limit`]) and says the file
//!   needs more memory than allowed, as on Linux. Past the CPU time Windows ends it.
//!   `DIE_ON_UNHANDLED_EXCEPTION`: a crashing reader ends without an error dialog.
//! - In the parent ([`kill_on_close`], right after the start): a second job with
//!   kill-on-close, whose only handle the parent holds (not inheritable). When the parent
//!   ends in any way — closed, killed in the Task Manager, crashed — Windows closes the
//!   handle and ends the worker with it.
//!
//! A process may be in several nested jobs (Windows 8 and later); the stricter limit wins.
//! Both calls are best effort like `setrlimit` on Unix: a worker that cannot join its job
//! still has the memory watchdog ([`super::limits`]) and the parent's wall-clock limit.
//!
//! Wine (which CI runs the Windows build under) implements kill-on-close but accepts the
//! memory and CPU limits without enforcing them; the README says what is shown where.
//!
//! The only `unsafe` code of the workspace: four kernel32 calls whose arguments are a
//! handle we own, the process's own pseudo-handle or a child's handle from `std`, and a
//! plain-data struct passed with its size.
#![allow(unsafe_code)]

use std::io;
use std::os::windows::io::AsRawHandle;
use std::process::Child;
use std::time::Duration;
use windows_sys::Win32::Foundation::{CloseHandle, HANDLE};
use windows_sys::Win32::System::JobObjects::{
    AssignProcessToJobObject, CreateJobObjectW, JobObjectExtendedLimitInformation,
    SetInformationJobObject, JOBOBJECT_EXTENDED_LIMIT_INFORMATION,
    JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION, JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE,
    JOB_OBJECT_LIMIT_PROCESS_MEMORY, JOB_OBJECT_LIMIT_PROCESS_TIME,
};
use windows_sys::Win32::System::Threading::GetCurrentProcess;

/// An open job; dropping it closes the handle (with kill-on-close: ends what is in it).
#[derive(Debug)]
pub struct Job(HANDLE);

impl Drop for Job {
    fn drop(&mut self) {
        // SAFETY: the handle came from CreateJobObjectW and is closed only here
        unsafe { CloseHandle(self.0) };
    }
}

/// The limits of a job as Windows reports them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub kill_on_close: bool,
    /// Committed memory per process, in bytes.
    pub memory: Option<usize>,
    /// User-mode CPU time per process.
    pub cpu: Option<Duration>,
}

fn check(ok: i32) -> io::Result<()> {
    if ok == 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

impl Job {
    /// A new anonymous job with `limits`.
    pub fn new(limits: Limits) -> io::Result<Job> {
        // SAFETY: no security attributes (so the handle is not inherited), no name
        let handle = unsafe { CreateJobObjectW(std::ptr::null(), std::ptr::null()) };
        if handle.is_null() {
            return Err(io::Error::last_os_error());
        }
        let job = Job(handle);
        let mut info = JOBOBJECT_EXTENDED_LIMIT_INFORMATION::default();
        let basic = &mut info.BasicLimitInformation;
        if limits.kill_on_close {
            basic.LimitFlags |= JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
        }
        if let Some(bytes) = limits.memory {
            basic.LimitFlags |= JOB_OBJECT_LIMIT_PROCESS_MEMORY;
            info.ProcessMemoryLimit = bytes;
        }
        if let Some(cpu) = limits.cpu {
            let basic = &mut info.BasicLimitInformation;
            basic.LimitFlags |=
                JOB_OBJECT_LIMIT_PROCESS_TIME | JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION;
            // in 100-nanosecond ticks
            basic.PerProcessUserTimeLimit = i64::try_from(cpu.as_nanos() / 100).unwrap_or(i64::MAX);
        }
        // SAFETY: `info` is an initialised JOBOBJECT_EXTENDED_LIMIT_INFORMATION, passed with
        // its size for the matching information class; the handle is ours
        check(unsafe {
            SetInformationJobObject(
                job.0,
                JobObjectExtendedLimitInformation,
                (&raw const info).cast(),
                size_of::<JOBOBJECT_EXTENDED_LIMIT_INFORMATION>() as u32,
            )
        })?;
        Ok(job)
    }

    /// Puts `child` into this job.
    pub fn assign(&self, child: &Child) -> io::Result<()> {
        // SAFETY: both handles are open: ours, and the child's, which `child` owns
        check(unsafe { AssignProcessToJobObject(self.0, child.as_raw_handle() as HANDLE) })
    }

    /// The limits Windows holds for this job.
    #[cfg(test)]
    pub fn limits(&self) -> io::Result<Limits> {
        query(self.0)
    }
}

#[cfg(test)]
fn query(job: HANDLE) -> io::Result<Limits> {
    let mut info = JOBOBJECT_EXTENDED_LIMIT_INFORMATION::default();
    // SAFETY: `info` is writable and its size is passed; a null job handle means the job
    // of the calling process (an error when it is in none)
    check(unsafe {
        windows_sys::Win32::System::JobObjects::QueryInformationJobObject(
            job,
            JobObjectExtendedLimitInformation,
            (&raw mut info).cast(),
            size_of::<JOBOBJECT_EXTENDED_LIMIT_INFORMATION>() as u32,
            std::ptr::null_mut(),
        )
    })?;
    let flags = info.BasicLimitInformation.LimitFlags;
    Ok(Limits {
        kill_on_close: flags & JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE != 0,
        memory: (flags & JOB_OBJECT_LIMIT_PROCESS_MEMORY != 0).then_some(info.ProcessMemoryLimit),
        cpu: (flags & JOB_OBJECT_LIMIT_PROCESS_TIME != 0).then(|| {
            let ticks = info.BasicLimitInformation.PerProcessUserTimeLimit;
            Duration::from_nanos(u64::try_from(ticks).unwrap_or(0).saturating_mul(100))
        }),
    })
}

/// In the worker: joins a job that limits its committed memory to `memory` bytes and its
/// CPU time to `cpu`. The job stays open as long as the process lives.
pub fn limit_self(memory: u64, cpu: Duration) -> io::Result<()> {
    let job = Job::new(Limits {
        kill_on_close: false,
        memory: Some(usize::try_from(memory).unwrap_or(usize::MAX)),
        cpu: Some(cpu),
    })?;
    // SAFETY: the job handle is ours; GetCurrentProcess is this process's pseudo-handle
    check(unsafe { AssignProcessToJobObject(job.0, GetCurrentProcess()) })?;
    // the job stays as long as this process is in it (closing the last handle of a job
    // without kill-on-close would change nothing, but its limits are then no longer
    // queryable)
    std::mem::forget(job);
    Ok(())
}

/// In the parent: a kill-on-close job holding `child`; keep it as long as the child may run.
pub fn kill_on_close(child: &Child) -> io::Result<Job> {
    let job = Job::new(Limits {
        kill_on_close: true,
        memory: None,
        cpu: None,
    })?;
    job.assign(child)?;
    Ok(job)
}

/// The limits of the (innermost) job this process is in.
#[cfg(test)]
pub fn own_limits() -> io::Result<Limits> {
    query(std::ptr::null_mut())
}

#[cfg(test)]
mod tests {
    //! Run on Windows, or under Wine in CI (`.ci/test`: these tests built for
    //! x86_64-pc-windows-gnu with `wine` as the runner and `CSPULSE_UNDER_WINE=1`).
    use super::*;
    use std::process::{Command, Stdio};
    use std::time::Instant;

    /// Wine 8 accepts a job's memory and CPU limits but keeps only kill-on-close, and it
    /// answers a query for the limits with none at all. Set by tests/windows/wine-env.
    fn under_wine() -> bool {
        std::env::var_os("CSPULSE_UNDER_WINE").is_some()
    }

    const NONE: Limits = Limits {
        kill_on_close: false,
        memory: None,
        cpu: None,
    };

    /// Windows reports `set` back; Wine reports nothing.
    fn assert_reported(got: Limits, set: Limits) {
        if under_wine() && got == NONE {
            println!("Wine reports no limits (set: {set:?})");
            return;
        }
        assert_eq!(got, set);
    }

    #[test]
    fn a_job_keeps_the_limits_it_was_given() {
        let limits = Limits {
            kill_on_close: true,
            memory: Some(64 << 20),
            cpu: Some(Duration::from_secs(7)),
        };
        assert_reported(Job::new(limits).unwrap().limits().unwrap(), limits);
        assert_eq!(Job::new(NONE).unwrap().limits().unwrap(), NONE);
    }

    /// A child that would run for a minute: `ping` waits a second between its echoes.
    fn long_child() -> Child {
        Command::new("ping")
            .args(["-n", "60", "127.0.0.1"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    }

    fn ends_within(child: &mut Child, limit: Duration) -> bool {
        let start = Instant::now();
        while start.elapsed() < limit {
            if child.try_wait().unwrap().is_some() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    #[test]
    fn the_child_ends_when_the_last_handle_of_its_kill_on_close_job_closes() {
        let mut child = long_child();
        let job = kill_on_close(&child).unwrap();
        assert!(
            !ends_within(&mut child, Duration::from_millis(300)),
            "still runs"
        );
        drop(job);
        let ended = ends_within(&mut child, Duration::from_secs(10));
        if !ended {
            let _ = child.kill();
        }
        assert!(ended, "closing the job ended the child");
    }

    #[test]
    fn without_kill_on_close_the_child_outlives_the_handle() {
        let mut child = long_child();
        let job = Job::new(Limits {
            kill_on_close: false,
            memory: Some(256 << 20),
            cpu: None,
        })
        .unwrap();
        job.assign(&child).unwrap();
        drop(job);
        let ended = ends_within(&mut child, Duration::from_millis(500));
        let _ = child.kill();
        let _ = child.wait();
        assert!(
            !ended,
            "a job without kill-on-close leaves its process alone"
        );
    }

    /// The same test binary started again to play one part (`CSPULSE_JOB_TEST`); the
    /// test `name` runs in it alone.
    fn part(name: &str, role: &str) -> Command {
        let mut c = Command::new(std::env::current_exe().unwrap());
        c.args(["--exact", name, "--nocapture", "--test-threads", "1"])
            .env("CSPULSE_JOB_TEST", role);
        c
    }

    fn role() -> Option<String> {
        std::env::var("CSPULSE_JOB_TEST").ok()
    }

    const WORKER_LIMITS: Limits = Limits {
        kill_on_close: false,
        memory: Some(3 << 30),
        cpu: Some(Duration::from_secs(300)),
    };

    fn join_as_worker() {
        let (memory, cpu) = (WORKER_LIMITS.memory, WORKER_LIMITS.cpu);
        limit_self(memory.unwrap() as u64, cpu.unwrap()).unwrap();
    }

    #[test]
    fn the_worker_joins_a_job_with_its_memory_and_cpu_limits() {
        const NAME: &str =
            "worker::windows::tests::the_worker_joins_a_job_with_its_memory_and_cpu_limits";
        if role().as_deref() == Some("worker") {
            join_as_worker();
            let limits = own_limits().unwrap();
            println!("joined: {limits:?}");
            assert_reported(limits, WORKER_LIMITS);
            return;
        }
        // in a process of its own: the job would hold every other test of this one
        let out = part(NAME, "worker").output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{text}");
        assert!(text.contains("joined: "), "the part ran: {text}");
    }

    /// The worker (a heartbeat written to a file every 50 ms, in its own limited job as
    /// `limit_self` makes it) started by a parent that ties it with [`kill_on_close`],
    /// `late`: only after the worker has joined its own job (nested the other way round).
    /// The parent is killed; the worker must stop beating.
    fn worker_dies_with_killed_parent(late: bool) {
        const NAME: &str = "worker::windows::tests::the_worker_ends_when_its_parent_is_killed";
        let dir = tempfile::tempdir().unwrap();
        let beat = dir.path().join("beat");
        let role = if late { "parent-late" } else { "parent" };
        let mut parent = part(NAME, &format!("{role}:{}", beat.display()))
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let read = || std::fs::read_to_string(&beat).unwrap_or_default();
        let start = Instant::now();
        while read().parse::<u32>().unwrap_or(0) < 5 {
            let waited = start.elapsed();
            if waited > Duration::from_secs(30) {
                let _ = parent.kill();
                panic!("the worker does not beat");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        parent.kill().unwrap();
        parent.wait().unwrap();
        // the worker ends with its parent: soon its heart stands still (it beats every
        // 50 ms; a second without a beat is an end), well before its own minute is over
        let killed = Instant::now();
        let mut last = (read(), Instant::now());
        loop {
            std::thread::sleep(Duration::from_millis(100));
            let now = read();
            if now != last.0 {
                last = (now, Instant::now());
            } else if last.1.elapsed() >= Duration::from_secs(1) {
                break;
            }
            assert!(
                killed.elapsed() < Duration::from_secs(15),
                "the worker still beats 15 s after its parent was killed (late: {late})"
            );
        }
    }

    #[test]
    fn the_worker_ends_when_its_parent_is_killed() {
        const NAME: &str = "worker::windows::tests::the_worker_ends_when_its_parent_is_killed";
        let role = role();
        let part_of = |prefix: &str| role.as_deref().and_then(|r| r.strip_prefix(prefix));
        if let Some(file) = part_of("heartbeat:") {
            // the worker: limited as the real one, beats until it is ended (or a minute)
            join_as_worker();
            for n in 0..1200u32 {
                if std::fs::write(file, n.to_string()).is_err() {
                    break; // the test is over
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            return;
        }
        let (parent, late) = match (part_of("parent:"), part_of("parent-late:")) {
            (Some(file), _) => (Some(file), false),
            (_, Some(file)) => (Some(file), true),
            _ => (None, false),
        };
        if let Some(file) = parent {
            // the parent: starts the worker as the CLI and the app do, then waits to be killed
            let mut worker = part(NAME, &format!("heartbeat:{file}"))
                .stdout(Stdio::null())
                .spawn()
                .unwrap();
            if late {
                while !std::path::Path::new(file).exists() {
                    std::thread::sleep(Duration::from_millis(5));
                }
            }
            let _job = kill_on_close(&worker).unwrap();
            // killed during this sleep by the test
            std::thread::sleep(Duration::from_secs(60));
            let _ = worker.kill();
            let _ = worker.wait();
            return;
        }
        worker_dies_with_killed_parent(false);
        worker_dies_with_killed_parent(true);
    }
}
