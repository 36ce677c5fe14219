//! Crash safety of an import (issue 6): `cspulse import` of a 1,000,000-row usage file is
//! killed with SIGKILL at seeded random moments spread over the import (right at the start,
//! while the file is parsed, while rows are written, just before the commit). After every
//! kill the database must pass `PRAGMA integrity_check`, and every reader must see either the
//! whole batch or none of it (with its batch row consistent and the data imported before
//! untouched): rows the killed import had staged belong to a batch that is not `live`, which
//! no reader looks at. It must open and accept writes again; finally the same file imports
//! completely into a killed database, and the rows staged by the killed import are gone.
//!
//! The moments are calibrated at run time from one complete import, so the test does not
//! depend on how fast the import is. `CSPULSE_KILL_SEED` and `CSPULSE_KILL_TRIALS` (default
//! 8) repeat or extend a run; `CSPULSE_KILL_ROWS` shrinks the file for quick local runs.

use rusqlite::Connection;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// xorshift64*: a seeded generator is all the randomness this test needs.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in `[a, b)`.
    fn between(&mut self, a: Duration, b: Duration) -> Duration {
        let span = b.saturating_sub(a).as_micros().max(1) as u64;
        a + Duration::from_micros(self.next() % span)
    }
}

fn cspulse(db: &Path) -> Command {
    let mut c = crate::target::cspulse();
    c.env_remove("CSPULSE_DB")
        .env("LC_ALL", "en_US.UTF-8")
        .arg("--db")
        .arg(db)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}

fn succeeds(mut c: Command, what: &str) {
    let out = c.output().expect("cspulse runs");
    assert!(
        out.status.success(),
        "{what}: exit {:?}, stderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn wal(db: &Path) -> PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push("-wal");
    PathBuf::from(p)
}

/// The usage export: `rows` rows over the 3 imported accounts (a row of an account that is
/// not imported would be listed, not imported: sources.md §1) and a year of dates.
fn write_usage(path: &Path, rows: usize) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(
        f,
        "account_id,user_id,date,sessions,session_seconds,feature"
    )
    .unwrap();
    for i in 0..rows {
        writeln!(
            f,
            "A-{},U-{},2026-{:02}-{:02},{},{}.5,f{}",
            i % 3 + 1,
            i % 7919,
            i % 12 + 1,
            i % 28 + 1,
            i % 9,
            i % 3600,
            i % 13
        )
        .unwrap();
    }
    f.flush().unwrap();
}

/// Where a kill moment is counted from: the start of the process, or the moment its
/// database was opened (its WAL appeared), so that a machine slower now than during the
/// calibration still gets its kills while the rows are written.
#[derive(Clone, Copy, Debug)]
enum From {
    Start,
    DbOpen,
}

/// Polls a running import until `after` has passed since `from` (then kills it) or until it
/// exits by itself. Returns whether the WAL existed at the kill (the database was open) and
/// whether the process had already exited.
fn kill_after(child: &mut Child, db: &Path, from: From, after: Duration) -> (bool, bool) {
    let mut anchor = matches!(from, From::Start).then(Instant::now);
    loop {
        if child.try_wait().unwrap().is_some() {
            return (wal(db).exists(), true);
        }
        if anchor.is_none() && wal(db).exists() {
            anchor = Some(Instant::now());
        }
        if anchor.is_some_and(|a| a.elapsed() >= after) {
            let wal_seen = wal(db).exists();
            child.kill().unwrap(); // SIGKILL on Unix
            child.wait().unwrap();
            return (wal_seen, false);
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// What a database holds after a kill; panics when it is not intact and consistent.
fn inspect(db: &Path, rows: i64, what: &str) -> &'static str {
    let conn = Connection::open(db).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok", "{what}: integrity_check");
    let fk: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(fk, 0, "{what}: rows without their batch");
    let accounts: i64 = conn
        .query_row("SELECT count(*) FROM accounts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(accounts, 3, "{what}: the data imported before is untouched");
    // what readers see: the rows of live batches
    let usage: i64 = conn
        .query_row(
            "SELECT count(*) FROM usage WHERE batch_id IN (SELECT id FROM batches WHERE state = 'live')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let batches: Vec<(i64, i64)> = conn
        .prepare("SELECT id, rows_imported FROM batches WHERE kind = 'usage' AND state = 'live'")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    match usage {
        0 => {
            assert!(
                batches.is_empty(),
                "{what}: no rows but a batch {batches:?}"
            );
            "none"
        }
        n if n == rows => {
            assert_eq!(batches.len(), 1, "{what}: all rows, one batch");
            assert_eq!(batches[0].1, rows, "{what}: the batch counts its rows");
            let of_batch: i64 = conn
                .query_row(
                    "SELECT count(*) FROM usage WHERE batch_id = ?1",
                    [batches[0].0],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(of_batch, rows, "{what}: every row carries the batch id");
            "all"
        }
        n => panic!("{what}: half an import: {n} of {rows} usage rows"),
    }
}

#[test]
fn kill_9_at_random_moments_of_a_million_row_import_leaves_all_or_nothing() {
    let rows: usize = env_or("CSPULSE_KILL_ROWS", 1_000_000);
    let trials: usize = env_or("CSPULSE_KILL_TRIALS", 8).max(4);
    let seed: u64 = env_or("CSPULSE_KILL_SEED", 0x5EED_CAFE_u64);
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let usage = dir.path().join("usage.csv");
    write_usage(&usage, rows);

    // the data before: a small accounts import, copied fresh into every trial
    let base = dir.path().join("base.db");
    let accounts = dir.path().join("accounts.csv");
    std::fs::write(
        &accounts,
        "account_id,name,seats\nA-1,Alpha,3\nA-2,Beta,4\nA-3,Gamma,5\n",
    )
    .unwrap();
    let mut c = cspulse(&base);
    c.arg("import").arg(&accounts);
    succeeds(c, "the accounts import");
    assert!(
        !wal(&base).exists(),
        "a closed database leaves no WAL behind"
    );

    // calibration: one complete import; when does the database open, when does it end?
    let calib = dir.path().join("calibration.db");
    std::fs::copy(&base, &calib).unwrap();
    let mut c = cspulse(&calib);
    c.arg("import").arg(&usage);
    let t0 = Instant::now();
    let mut child = c.spawn().unwrap();
    let mut opened = None;
    while child.try_wait().unwrap().is_none() {
        if opened.is_none() && wal(&calib).exists() {
            opened = Some(t0.elapsed());
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let total = t0.elapsed();
    assert!(child.wait().unwrap().success(), "the calibration import");
    let opened = opened.unwrap_or(Duration::ZERO);
    assert_eq!(inspect(&calib, rows as i64, "calibration"), "all");
    eprintln!(
        "kill test: {rows} rows, seed {seed:#x}: import takes {total:.2?}, database opened after {opened:.2?}"
    );

    // the moments: at once, while parsing, while writing (most), just before the commit
    let mut rng = Rng(seed | 1);
    let writing = total.saturating_sub(opened);
    // the write phase varies with the machine's load more than the parse phase: most kills
    // in its first three quarters, one in the last quarter (the commit)
    let near_commit = writing.mul_f64(0.75);
    let mut moments = vec![
        (From::Start, Duration::ZERO),
        (From::Start, rng.between(Duration::ZERO, opened)),
    ];
    while moments.len() < trials - 1 {
        moments.push((From::DbOpen, rng.between(Duration::ZERO, near_commit)));
    }
    moments.push((From::DbOpen, rng.between(near_commit, writing)));

    let mut killed_while_writing = Vec::new();
    for (i, &(from, at)) in moments.iter().enumerate() {
        let db = dir.path().join(format!("trial-{i}.db"));
        std::fs::copy(&base, &db).unwrap();
        let mut c = cspulse(&db);
        c.arg("import").arg(&usage);
        let mut child = c.spawn().unwrap();
        let (wal_seen, finished) = kill_after(&mut child, &db, from, at);
        let what = format!("trial {i} (kill {at:.2?} after {from:?})");
        let outcome = inspect(&db, rows as i64, &what);
        eprintln!(
            "kill test: {what}: {}, database {} -> {outcome}",
            if finished { "had finished" } else { "killed" },
            if finished {
                "closed"
            } else if wal_seen {
                "open"
            } else {
                "not yet open"
            },
        );
        if !finished && wal_seen && outcome == "none" {
            killed_while_writing.push(db.clone());
        }
        // the app and the CLI start cleanly on it and can write
        let mut c = cspulse(&db);
        c.args(["settings", "threshold.green", "71"]);
        succeeds(c, &format!("{what}: a write after the crash"));
    }
    assert!(
        !killed_while_writing.is_empty(),
        "at least one kill landed while the import was writing (moments {moments:?})"
    );

    // the next import of the same file works on a database killed mid-import
    let db = killed_while_writing.last().unwrap();
    let mut c = cspulse(db);
    c.arg("import").arg(&usage);
    succeeds(c, "the import again after a kill");
    assert_eq!(inspect(db, rows as i64, "the import again"), "all");
    let stored: i64 = Connection::open(db)
        .unwrap()
        .query_row("SELECT count(*) FROM usage", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        stored, rows as i64,
        "the killed import's staged rows were removed"
    );
    eprintln!(
        "kill test: {} of {} kills left an intact database with all or nothing ({} while writing); {:.1?} in all",
        moments.len(),
        moments.len(),
        killed_while_writing.len(),
        started.elapsed()
    );
}
