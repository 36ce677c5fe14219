//! Benchmark: customer identity resolution (sources.md §1, issue 17's anchor: 100k
//! unmatched-name rows against 10k accounts ≤ 1 s).
//!
//! `cargo bench -p cspulse-engine --bench identity` (defaults: 10,000 accounts, 100,000
//! rows; `CSPULSE_BENCH_ACCOUNTS` / `CSPULSE_BENCH_ROWS` / `CSPULSE_BENCH_ROUNDS`).
//! Prints the median of: building the index from the accounts; resolving a column of
//! 100k **distinct** names that match no account (the worst case: no value repeats, every
//! one goes through every rule); a column of 100k mixed references that all match (ids,
//! tool aliases, e-mails, websites, names spelled differently); and the similar-name
//! proposals for the 20 largest unmatched groups. A benchmark, not a test: it reports, it
//! does not fail on a slow machine.

use cspulse_engine::sources::identity::{AccountLinks, Directory, Resolution};
use rand::{Rng, SeedableRng};
use std::time::{Duration, Instant};

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn time<T>(rounds: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::with_capacity(rounds);
    let mut last = None;
    for _ in 0..rounds.max(1) {
        let t = Instant::now();
        let v = f();
        times.push(t.elapsed());
        last = Some(v);
    }
    (median(times), last.expect("one round"))
}

const FIRST: &[&str] = &[
    "Müller",
    "Nordwind",
    "Brightpath",
    "Tessera",
    "Quokka",
    "Helios",
    "Fjord",
    "Schön",
    "Café",
    "Acme",
    "Aurora",
    "Berg",
    "Cedar",
    "Delta",
    "Elbe",
    "Falke",
    "Granit",
    "Hafen",
    "Iris",
    "Jade",
    "Kiefer",
    "Lumen",
    "Mosel",
    "Nebel",
    "Orion",
    "Polar",
    "Quelle",
    "Rhein",
];
const SECOND: &[&str] = &[
    "Logistik",
    "Analytics",
    "Software",
    "Energie",
    "Data",
    "Partner",
    "Consulting",
    "Systems",
    "Digital",
    "Services",
    "Technik",
    "Solutions",
    "Labs",
    "Media",
    "Finance",
];
const FORM: &[&str] = &[
    "GmbH",
    "AG",
    "GmbH & Co. KG",
    "Ltd",
    "Inc.",
    "SARL",
    "B.V.",
    "Pty Ltd",
    "SE",
    "AS",
    "LLC",
];

fn main() {
    let n_accounts = env_usize("CSPULSE_BENCH_ACCOUNTS", 10_000);
    let n_rows = env_usize("CSPULSE_BENCH_ROWS", 100_000);
    let rounds = env_usize("CSPULSE_BENCH_ROUNDS", 5);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(17);

    let accounts: Vec<AccountLinks> = (0..n_accounts)
        .map(|i| {
            let name = format!(
                "{} {} {} {}",
                FIRST[i % FIRST.len()],
                SECOND[(i / FIRST.len()) % SECOND.len()],
                i,
                FORM[i % FORM.len()]
            );
            AccountLinks {
                account_id: format!("0017Q{i:08}AA"),
                name,
                domain: Some(format!("https://www.customer-{i}.example.com/")),
                aliases: vec![format!("cus_{i:08}"), format!("ws_{i}")],
            }
        })
        .collect();

    let (t_build, dir) = time(rounds, || Directory::build(&accounts));
    println!(
        "index of {n_accounts} accounts (ids, aliases, domains, names)      median {t_build:>9.2?}"
    );

    // (a) distinct names that match nobody: every value is new to the cache
    let unmatched: Vec<String> = (0..n_rows)
        .map(|j| {
            format!(
                "{} {} Prospect {} {}",
                FIRST[rng.random_range(0..FIRST.len())],
                SECOND[rng.random_range(0..SECOND.len())],
                j,
                FORM[rng.random_range(0..FORM.len())]
            )
        })
        .collect();
    let (t_a, col) = time(rounds, || {
        dir.resolve_column(unmatched.iter().map(String::as_str))
    });
    assert_eq!(col.unmatched.len(), n_rows);
    println!(
        "(a) {n_rows} distinct unmatched names, grouped              median {t_a:>9.2?}  (target ≤ 1 s: {})",
        if t_a <= Duration::from_secs(1) { "met" } else { "MISSED" }
    );

    // (b) mixed references that all match
    let mixed: Vec<String> = (0..n_rows)
        .map(|j| {
            let i = rng.random_range(0..n_accounts);
            match j % 5 {
                0 => format!("0017Q{i:08}AA"),
                1 => format!("ws_{i}"),
                2 => format!("someone.{j}@customer-{i}.example.com"),
                3 => format!("customer-{i}.example.com"),
                _ => accounts[i]
                    .name
                    .to_uppercase()
                    .replace("GMBH & CO. KG", "")
                    .replace(" LTD", " Limited"),
            }
        })
        .collect();
    let (t_b, col) = time(rounds, || {
        dir.resolve_column(mixed.iter().map(String::as_str))
    });
    let linked = (0..col.len())
        .filter(|&r| matches!(col.get(r), Resolution::Account { .. }))
        .count();
    println!(
        "(b) {n_rows} mixed references (id/alias/e-mail/web/name)    median {t_b:>9.2?}  ({linked} linked)"
    );

    // (c) proposals for the largest unmatched groups (what the link dialog shows)
    let (t_c, n) = time(rounds, || {
        unmatched
            .iter()
            .take(20)
            .map(|v| dir.proposals(v, 3).len())
            .sum::<usize>()
    });
    println!("(c) similar-name proposals for 20 unmatched values         median {t_c:>9.2?}  ({n} proposed)");
}
