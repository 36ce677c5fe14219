//! Benchmark: all KPIs and CS scores of one month on a large demo company.
//!
//! `cargo bench -p cspulse-engine --bench month` (defaults: 10,000 accounts, 1,000,000
//! usage rows). Override with `CSPULSE_BENCH_ACCOUNTS` / `CSPULSE_BENCH_USAGE_ROWS`.
//! Prints the time to load the month from SQLite and to compute, as median of rounds.
//! A benchmark, not a test: it reports, it does not fail on a slow machine.

use cspulse_engine::{kpi, overview, score, Kind};
use std::time::{Duration, Instant};

mod common;
use common::{demo_store, env_usize, median};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let accounts = env_usize("CSPULSE_BENCH_ACCOUNTS", 10_000);
    let usage_rows = env_usize("CSPULSE_BENCH_USAGE_ROWS", 1_000_000);
    let rounds = env_usize("CSPULSE_BENCH_ROUNDS", 5);
    let (mut store, _dir) = demo_store("cspulse-bench")?;
    let month = store.latest_month()?.ok_or("no month")?;
    let settings = store.settings()?;
    let (mut load, mut compute, mut total) = (vec![], vec![], vec![]);
    let mut last = None;
    for _ in 0..rounds {
        let t0 = Instant::now();
        let data = store.load(month)?;
        let t1 = Instant::now();
        let scores = score::compute(&data, month, &settings);
        let kpis = kpi::compute(&data, month, &settings, &scores);
        let t2 = Instant::now();
        load.push(t1 - t0);
        compute.push(t2 - t1);
        let t3 = Instant::now();
        let r = overview::month_report(&store, Some(month))?.ok_or("no report")?;
        total.push(t3.elapsed());
        last = Some((
            data.usage.len(),
            scores.accounts.len(),
            kpis.kpis.len(),
            r.scores.cs_score,
        ));
    }
    let (usage_loaded, scored, n_kpis, cs) = last.ok_or("no rounds")?;
    println!("month {month}: {accounts} accounts, {usage_rows} usage rows in the database ({usage_loaded} loaded for M−1..M)");
    println!("{n_kpis} KPIs, {scored} accounts scored, company CS score {cs:.1?}");
    println!("load from SQLite   median {:>9.2?}", median(load));
    println!("compute (pure)     median {:>9.2?}", median(compute));
    let t = median(total);
    println!(
        "all KPIs + scores  median {:>9.2?}  (target ≤ 1 s: {})",
        t,
        if t <= Duration::from_secs(1) {
            "met"
        } else {
            "MISSED"
        }
    );
    // the same load with one (small) batch undone: what a read pays while batches are hidden
    // (an undo not yet purged, an import still writing); then taken back
    if let Some(costs) = store.batches()?.into_iter().find(|b| b.kind == Kind::Costs) {
        store.undo(costs.batch_id)?;
        let mut hidden = vec![];
        for _ in 0..rounds {
            let t0 = Instant::now();
            let data = store.load(month)?;
            hidden.push(t0.elapsed());
            assert!(data.costs.is_empty());
        }
        store.take_back(&[costs.batch_id])?;
        println!("load, one batch hidden median {:>9.2?}", median(hidden));
    }
    Ok(())
}
