//! What the benchmarks share: settings from the environment and the median of rounds.

use std::time::Duration;

/// A number from the environment (e.g. `CSPULSE_BENCH_ACCOUNTS`), else `default`.
pub fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The middle of the measured rounds.
pub fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}
