//! The benchmark's Settings-preview step (bench/run.py): on a database with the demo
//! company, times the one engine call the app's Settings screen makes for a change
//! (`insights::preview::compute`: the company score and lights before → after, the
//! accounts changing light, the backtest before → after), as the app's command does it:
//! the database already open, the candidate settings = the saved ones with `CHANGE`.
//! `settings_preview DB [ROUNDS] [CHANGE]` prints `preview_ms` (the median) and each round.
use cspulse_engine::insights::{preview, with_overrides};
use cspulse_engine::store::Store;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let db = args
        .next()
        .ok_or("usage: settings_preview DB [ROUNDS] [CHANGE]")?;
    let rounds: usize = args.next().map(|n| n.parse()).transpose()?.unwrap_or(5);
    let change = args.next().unwrap_or_else(|| "weight.usage=50".into());
    let store = Store::open(std::path::Path::new(&db))?;
    let candidate = with_overrides(store.settings()?, &[change])?;
    let mut times = Vec::new();
    for _ in 0..rounds.max(1) {
        let t = Instant::now();
        let p = preview::compute(&store, None, &candidate)?;
        let ms = t.elapsed().as_secs_f64() * 1e3;
        if p.is_none() {
            return Err("the database holds no data".into());
        }
        println!("round_ms {ms:.1}");
        times.push(ms);
    }
    times.sort_by(f64::total_cmp);
    println!("preview_ms {:.1}", times[times.len() / 2]);
    Ok(())
}
