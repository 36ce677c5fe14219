//! The benchmark's data-browser step (bench/run.py): on a database with the demo company,
//! opens the usage table as the desktop's data browser does (unfiltered, and sorted by a
//! text column, whose rows then lie all over the table) and times 100-row pages at the
//! start, the middle and the end. `browse_page DB [PAGES]` prints, as `key value` lines:
//! the rows, the time to open each view and the slowest page position's median (ms).
use cspulse_engine::browse::{self, Query, SortBy};
use cspulse_engine::store::Store;
use cspulse_engine::Kind;
use std::time::{Duration, Instant};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let db = args.next().ok_or("usage: browse_page DB [PAGES]")?;
    let pages: usize = args.next().map(|n| n.parse()).transpose()?.unwrap_or(20);
    let store = Store::open(std::path::Path::new(&db))?;
    let sorted = Query {
        sort: Some(SortBy {
            column: "user_id".into(),
            descending: false,
        }),
        ..Query::default()
    };
    let mut slowest = Duration::ZERO;
    for (name, query) in [("unfiltered", Query::default()), ("sorted", sorted)] {
        let t = Instant::now();
        let view = browse::open(&store, Kind::Usage, &query)?;
        println!("open_{name}_ms {:.1}", t.elapsed().as_secs_f64() * 1e3);
        let total = view.total();
        println!("rows {total}");
        for offset in [0, total / 2, total.saturating_sub(100)] {
            let mut times: Vec<Duration> = (0..pages.max(1))
                .map(|_| {
                    let t = Instant::now();
                    browse::page(&store, &view, offset, 100).map(|_| t.elapsed())
                })
                .collect::<Result<_, _>>()?;
            times.sort();
            slowest = slowest.max(times[times.len() / 2]);
        }
    }
    println!("page_ms {:.3}", slowest.as_secs_f64() * 1e3);
    Ok(())
}
