//! Benchmark: the data browser on the large demo company's usage table.
//!
//! `cargo bench -p cspulse-engine --bench browse` (defaults: 10,000 accounts, 1,000,000
//! usage rows; `CSPULSE_BENCH_ACCOUNTS` / `CSPULSE_BENCH_USAGE_ROWS` / `CSPULSE_BENCH_ROUNDS`).
//! Prints the median of: listing the datasets, opening the unfiltered usage view, a
//! 100-row page at the start, the middle and the end of it (target ≤ 50 ms), and opening
//! sorted, searched and filtered views (and a page of a sorted one, whose rows lie all over
//! the table). A benchmark, not a test: it reports, it does not fail on a slow machine.

use cspulse_engine::browse::{self, Filter, FilterOp, Query, SortBy};
use cspulse_engine::Kind;
use std::time::{Duration, Instant};

mod common;
use common::{demo_store, env_usize, median};

fn time<T>(
    rounds: usize,
    mut f: impl FnMut() -> Result<T, cspulse_engine::Error>,
) -> Result<(Duration, T), cspulse_engine::Error> {
    let mut times = Vec::with_capacity(rounds);
    let mut last = None;
    for _ in 0..rounds {
        let t = Instant::now();
        let v = f()?;
        times.push(t.elapsed());
        last = Some(v);
    }
    let v = last.ok_or(cspulse_engine::Error::NothingToReport)?;
    Ok((median(times), v))
}

fn sort(column: &str, descending: bool) -> Option<SortBy> {
    Some(SortBy {
        column: column.into(),
        descending,
    })
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let rounds = env_usize("CSPULSE_BENCH_ROUNDS", 5);
    let (store, _dir) = demo_store("cspulse-bench")?;

    let (t, list) = time(rounds, || browse::datasets(&store))?;
    let usage = list
        .iter()
        .find(|d| d.kind == Kind::Usage)
        .ok_or("no usage rows")?;
    println!(
        "usage table: {} rows; {} datasets listed       median {:>9.2?}",
        usage.rows,
        list.len(),
        t
    );

    let (t, all) = time(rounds, || {
        browse::open(&store, Kind::Usage, &Query::default())
    })?;
    println!(
        "(a) open the unfiltered usage view ({:>7} rows) median {:>9.2?}",
        all.total(),
        t
    );

    let total = all.total();
    let mut worst = Duration::ZERO;
    for (name, offset) in [
        ("start", 0),
        ("middle", total / 2),
        ("end", total.saturating_sub(100)),
    ] {
        let (t, p) = time(rounds.max(20), || browse::page(&store, &all, offset, 100))?;
        worst = worst.max(t);
        println!(
            "(b) 100-row page at the {name:<6} ({:>3} rows)          median {:>9.2?}",
            p.rows.len(),
            t
        );
    }

    let views = [
        (
            "(c) sorted by date desc + searched \"demo-1000\"",
            Query {
                search: Some("demo-1000".into()),
                sort: sort("date", true),
                ..Query::default()
            },
        ),
        (
            "    sorted by date desc (all rows)",
            Query {
                sort: sort("date", true),
                ..Query::default()
            },
        ),
        (
            "    sorted by user_id (text, all rows)",
            Query {
                sort: sort("user_id", false),
                ..Query::default()
            },
        ),
        (
            "    sorted by session_seconds (number, all rows)",
            Query {
                sort: sort("session_seconds", false),
                ..Query::default()
            },
        ),
        (
            "    searched \"dashboard\" (no sort)",
            Query {
                search: Some("dashboard".into()),
                ..Query::default()
            },
        ),
        (
            "    filtered date = 2026-10, ≥ 10 min, by account",
            Query {
                sort: sort("account_id", false),
                filters: vec![
                    Filter {
                        column: "date".into(),
                        op: FilterOp::Equals,
                        value: Some("2026-10".into()),
                    },
                    Filter {
                        column: "session_seconds".into(),
                        op: FilterOp::AtLeast,
                        value: Some("600".into()),
                    },
                ],
                ..Query::default()
            },
        ),
    ];
    let mut sorted_page = Duration::ZERO;
    for (name, q) in &views {
        let (t, v) = time(rounds, || browse::open(&store, Kind::Usage, q))?;
        println!("{name:<48} median {t:>9.2?}  ({} rows)", v.total());
        if name.contains("user_id") {
            let (t, _) = time(rounds.max(20), || {
                browse::page(&store, &v, v.total() / 2, 100)
            })?;
            sorted_page = t;
        }
    }
    println!("    100-row page in the middle of the user_id sort   median {sorted_page:>9.2?}");
    worst = worst.max(sorted_page);
    println!(
        "data-browser page on {total} rows: {:.2?} (target ≤ 50 ms: {})",
        worst,
        if worst <= Duration::from_millis(50) {
            "met"
        } else {
            "NOT MET"
        }
    );
    Ok(())
}
