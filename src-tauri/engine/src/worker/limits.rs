//! How the worker's limits end it on systems without Unix's address-space limit, and how
//! the parent reads such an end.
//!
//! - **Windows**: the worker joins a Job Object with a memory and a CPU-time limit
//!   (`worker/windows.rs`). An allocation past the memory limit fails and Rust aborts the
//!   process (exit code `0xC0000409`, a fail-fast); past the CPU limit Windows ends it with
//!   `ERROR_NOT_ENOUGH_QUOTA`. [`exit_limit`] reads these codes as Linux reads SIGABRT /
//!   SIGSEGV (memory) and SIGXCPU (processor time).
//! - **macOS** ignores `RLIMIT_AS`, and **Wine** accepts a job's memory limit without
//!   enforcing it: there the [`watchdog`] thread checks the worker's resident memory every
//!   10 ms and ends the worker with [`EXIT_OVER_MEMORY`] when it is over the limit. On
//!   Windows it also stands in for a job the worker could not join.

use crate::error::Limit;

/// The worker's exit code when its watchdog found it over the memory limit (chosen outside
/// the CLI's 0–3 and the 101 of a panic).
pub const EXIT_OVER_MEMORY: i32 = 86;

/// The limit behind a worker's exit code (as `ExitStatus::code` gives it), if the code says
/// it hit one. On Unix only [`EXIT_OVER_MEMORY`] can match: the kernel's ends are signals.
pub fn exit_limit(code: i32) -> Option<Limit> {
    // Windows exit codes are NTSTATUS or Win32 error values (as u32)
    const QUOTA_EXCEEDED: u32 = 0xC000_0044; // STATUS_QUOTA_EXCEEDED
    const NOT_ENOUGH_QUOTA: u32 = 1816; // ERROR_NOT_ENOUGH_QUOTA: a job's time limit
    match code as u32 {
        _ if code == EXIT_OVER_MEMORY => Some(Limit::Memory),
        QUOTA_EXCEEDED | NOT_ENOUGH_QUOTA => Some(Limit::Cpu),
        // any other NTSTATUS error: the system ended the worker (abort() after a failed
        // allocation is 0xC0000409, STATUS_NO_MEMORY 0xC0000017, a stack overflow
        // 0xC00000FD), read as Linux reads any signal but SIGXCPU
        0xC000_0000.. => Some(Limit::Memory),
        _ => None,
    }
}

/// Starts the memory watchdog: a thread that ends this process with [`EXIT_OVER_MEMORY`]
/// once its resident memory is above `limit` bytes. Nothing is written by then: the import's
/// transaction dies with the process, as it does when the kernel stops a worker.
#[cfg(any(windows, target_os = "macos"))]
pub fn watchdog(limit: u64) {
    let spawned = std::thread::Builder::new()
        .name("memory-watchdog".into())
        .spawn(move || loop {
            if let Some(stats) = memory_stats::memory_stats() {
                if stats.physical_mem as u64 > limit {
                    std::process::exit(EXIT_OVER_MEMORY);
                }
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        });
    // without a thread the job (Windows) and the parent's wall-clock limit remain
    drop(spawned);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_of_the_limits_read_as_memory_or_time_and_others_as_nothing() {
        assert_eq!(exit_limit(EXIT_OVER_MEMORY), Some(Limit::Memory));
        // as std's ExitStatus::code gives them on Windows (i32)
        for status in [0xC000_0409_u32, 0xC000_0017, 0xC000_00FD, 0xC000_0005] {
            assert_eq!(
                exit_limit(status as i32),
                Some(Limit::Memory),
                "{status:#x}"
            );
        }
        assert_eq!(exit_limit(1816), Some(Limit::Cpu));
        assert_eq!(exit_limit(0xC000_0044_u32 as i32), Some(Limit::Cpu));
        // the CLI's own codes, a kill by the parent (1), a panic (101): not a limit
        for code in [0, 1, 2, 3, 101, 255] {
            assert_eq!(exit_limit(code), None, "{code:#x}");
        }
    }
}
