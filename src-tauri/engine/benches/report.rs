//! Benchmark: the board report of one month on a large demo company.
//!
//! `cargo bench -p cspulse-engine --bench report` (defaults: 10,000 accounts, 1,000,000
//! usage rows; the database is built once in the temp folder). Override with
//! `CSPULSE_BENCH_ACCOUNTS` / `CSPULSE_BENCH_USAGE_ROWS` / `CSPULSE_BENCH_ROUNDS`.
//! Prints the median of each step and of the whole report (load M−12..M once, compute the
//! month with its history, write the workbook to a file). A benchmark, not a test.

use cspulse_engine::error::Lang;
use cspulse_engine::{report, trends};
use std::time::{Duration, Instant};

mod common;
use common::{demo_store, env_usize, median};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let accounts = env_usize("CSPULSE_BENCH_ACCOUNTS", 10_000);
    let usage_rows = env_usize("CSPULSE_BENCH_USAGE_ROWS", 1_000_000);
    let rounds = env_usize("CSPULSE_BENCH_ROUNDS", 5);
    let (store, dir) = demo_store("cspulse-report-bench")?;
    let month = store.latest_month()?.ok_or("no month")?;
    let settings = store.settings()?;
    let batches = store.batches()?;
    let out = dir.join("board.xlsx");
    let (mut load, mut compute, mut write, mut total) = (vec![], vec![], vec![], vec![]);
    let mut last = None;
    for _ in 0..rounds {
        let t0 = Instant::now();
        let data = trends::load_data(&store, month)?;
        let t1 = Instant::now();
        let ins = trends::compute(&data, month, &settings);
        let t2 = Instant::now();
        let (bytes, _) = report::build(&ins, &data, &settings, &batches, Lang::En)?;
        let t3 = Instant::now();
        load.push(t1 - t0);
        compute.push(t2 - t1);
        write.push(t3 - t2);
        let t4 = Instant::now();
        let w = report::write_file(&store, Some(month), Lang::En, &out)?;
        total.push(t4.elapsed());
        last = Some((
            data.usage.len(),
            ins.scores.accounts.len(),
            bytes.len(),
            w.bytes,
        ));
    }
    let (usage_loaded, scored, built, written) = last.ok_or("no rounds")?;
    println!("month {month}: {accounts} accounts, {usage_rows} usage rows in the database ({usage_loaded} loaded for M−12, M−1, M; M−11..M−2 counted)");
    println!("{scored} accounts on the accounts sheet, workbook {built} bytes ({written} written)");
    println!("load M−12..M        median {:>9.2?}", median(load));
    println!("compute (13 months) median {:>9.2?}", median(compute));
    println!("build the workbook  median {:>9.2?}", median(write));
    let t = median(total);
    println!(
        "whole report (file) median {:>9.2?}  (target ≤ 0.5 s: {})",
        t,
        if t <= Duration::from_millis(500) {
            "met"
        } else {
            "MISSED"
        }
    );
    Ok(())
}
