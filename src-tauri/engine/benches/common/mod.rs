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

/// The demo company at the scale the environment asks for (`CSPULSE_BENCH_ACCOUNTS`,
/// `CSPULSE_BENCH_USAGE_ROWS`), in a database under the temp dir that later runs reuse.
/// Returns the store and its folder.
pub fn demo_store(
    name: &str,
) -> Result<(cspulse_engine::store::Store, std::path::PathBuf), Box<dyn std::error::Error>> {
    use cspulse_engine::demo::{self, DemoOptions};
    let accounts = env_usize("CSPULSE_BENCH_ACCOUNTS", 10_000);
    let usage_rows = env_usize("CSPULSE_BENCH_USAGE_ROWS", 1_000_000);
    let dir = std::env::temp_dir().join(format!("{name}-{accounts}-{usage_rows}"));
    std::fs::create_dir_all(&dir)?;
    let mut store = cspulse_engine::store::Store::open(&dir.join("bench.db"))?;
    if !store.has_data()? {
        let opts = DemoOptions {
            accounts,
            usage_rows: Some(usage_rows),
            ..DemoOptions::default()
        };
        let t = std::time::Instant::now();
        let batches = demo::load(&mut store, &opts)?;
        let rows: i64 = batches.iter().map(|b| b.batch.rows_imported).sum();
        println!(
            "setup: demo company imported ({rows} rows) in {:.2?}",
            t.elapsed()
        );
    }
    Ok((store, dir))
}
