fn main() {
    let p = std::env::args().nth(1).unwrap_or_default();
    let store = cspulse_engine::store::Store::open(std::path::Path::new(&p)).expect("open");
    for _ in 0..3 {
        let t = std::time::Instant::now();
        let d = cspulse_engine::overview::dashboard(&store, None).expect("dash");
        println!("dashboard {:?} ({} cards)", t.elapsed(), d.cards.len());
        let t = std::time::Instant::now();
        let m = store.latest_month().expect("m").expect("m");
        let data = store.load_months(m.plus(-12), m).expect("load");
        println!("  load {:?} usage rows {}", t.elapsed(), data.usage.len());
    }
}
