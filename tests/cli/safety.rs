//! Nothing destructive, nothing lost (issue 14), through the `cspulse` binary: a setting
//! changed from another process during a large import takes effect at once; the same file
//! imported twice at once gives one batch and one "already imported"; the import worker dies
//! with its parent; undo can be taken back until the next import; a pipe is refused at once;
//! an unclosed quote near the top of a 200 MB file ends at bounded memory; a file name that
//! is not UTF-8 imports.

use rusqlite::{Connection, OpenFlags};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn cspulse(db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_cspulse"));
    c.env_remove("CSPULSE_DB")
        .env_remove("CSPULSE_DEBUG")
        .env("LC_ALL", "en_US.UTF-8")
        .arg("--db")
        .arg(db);
    c
}

fn output(mut c: Command) -> (i32, String, String) {
    let o: Output = c.output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn ok(db: &Path, args: &[&str]) -> String {
    let mut c = cspulse(db);
    c.args(args);
    let (code, out, err) = output(c);
    assert_eq!(code, 0, "{args:?}: {err}");
    out
}

fn usage_csv(path: &Path, rows: usize) {
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
            i % 1000,
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

/// Polls `what` every 10 ms until it holds or `limit` has passed.
fn wait_for(limit: Duration, mut what: impl FnMut() -> bool) -> bool {
    let t = Instant::now();
    while t.elapsed() < limit {
        if what() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    false
}

/// How many batches of each state the database holds (read-only, never waits).
fn staged(db: &Path) -> i64 {
    let Ok(c) = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY) else {
        return 0;
    };
    c.query_row(
        "SELECT count(*) FROM batches WHERE state = 'staging'",
        [],
        |r| r.get(0),
    )
    .unwrap_or(0)
}

fn wait_child(child: &mut Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let t = Instant::now();
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return Some(s);
        }
        if t.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn a_setting_changed_from_another_process_during_a_large_import_takes_effect_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cs.db");
    let csv = dir.path().join("usage.csv");
    let rows = 1_000_000;
    usage_csv(&csv, rows);
    ok(&db, &["settings", "threshold.green", "70"]);
    let mut import = cspulse(&db);
    import
        .arg("import")
        .arg(&csv)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = import.spawn().unwrap();
    // writing: rows staged, or (as an import that holds one long transaction would show it)
    // its WAL past a megabyte
    let wal = {
        let mut p = db.as_os_str().to_owned();
        p.push("-wal");
        PathBuf::from(p)
    };
    assert!(
        wait_for(Duration::from_secs(120), || staged(&db) > 0
            || std::fs::metadata(&wal).is_ok_and(|m| m.len() > 1 << 20)),
        "the import starts writing"
    );
    let t = Instant::now();
    ok(&db, &["settings", "threshold.green", "71"]);
    let took = t.elapsed();
    let during = child.try_wait().unwrap().is_none();
    eprintln!("cspulse settings during a {rows}-row import took {took:?}");
    assert!(during, "the setting was changed while the import ran");
    assert!(took < Duration::from_secs(2), "took {took:?}");
    assert_eq!(ok(&db, &["settings", "threshold.green"]).trim(), "71");
    let status = wait_child(&mut child, Duration::from_secs(600)).expect("the import ends");
    assert!(status.success());
    let batches: serde_json::Value =
        serde_json::from_str(&ok(&db, &["batches", "--json"])).unwrap();
    assert_eq!(batches[0]["rows_imported"], rows as i64);
}

#[test]
fn the_same_file_imported_twice_at_once_gives_one_batch_and_one_already_imported() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cs.db");
    let csv = dir.path().join("usage.csv");
    usage_csv(&csv, 200_000);
    ok(&db, &["settings", "threshold.green", "70"]);
    let spawn = || {
        let mut c = cspulse(&db);
        c.arg("import")
            .arg(&csv)
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        c.spawn().unwrap()
    };
    let (mut a, mut b) = (spawn(), spawn());
    let mut codes: Vec<i32> = [&mut a, &mut b]
        .into_iter()
        .map(|c| {
            wait_child(c, Duration::from_secs(600))
                .and_then(|s| s.code())
                .unwrap_or(-1)
        })
        .collect();
    codes.sort_unstable();
    assert_eq!(codes, vec![0, 3], "one imported, one already imported");
    let batches: serde_json::Value =
        serde_json::from_str(&ok(&db, &["batches", "--json"])).unwrap();
    assert_eq!(batches.as_array().unwrap().len(), 1, "{batches}");
    let rows: i64 = Connection::open(&db)
        .unwrap()
        .query_row("SELECT count(*) FROM usage", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 200_000, "no second copy of the rows either");
}

/// The processes whose parent is `pid` (from /proc).
#[cfg(target_os = "linux")]
fn children_of(pid: u32) -> Vec<u32> {
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(p) = e.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{p}/stat")) else {
            continue;
        };
        // pid (comm) state ppid …; comm may hold spaces, so split after the last ')'
        let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
        let ppid = rest.split_whitespace().nth(1).and_then(|x| x.parse().ok());
        if ppid == Some(pid) {
            out.push(p);
        }
    }
    out
}

/// Gone, or a zombie nobody has reaped yet: either way no longer running.
#[cfg(target_os = "linux")]
fn is_dead(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => stat
            .rsplit_once(')')
            .and_then(|(_, r)| r.split_whitespace().next())
            .is_some_and(|s| s == "Z" || s == "X"),
    }
}

#[cfg(target_os = "linux")]
#[test]
fn the_import_worker_dies_with_its_parent() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cs.db");
    let xlsx = dir.path().join("usage.xlsx");
    {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet_with_constant_memory().unwrap();
        for (c, h) in ["account_id", "user_id", "date", "sessions"]
            .iter()
            .enumerate()
        {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        for r in 1..=300_000u32 {
            ws.write_string(r, 0, format!("A-{}", r % 1000)).unwrap();
            ws.write_string(r, 1, format!("U-{}", r % 7919)).unwrap();
            ws.write_string(r, 2, format!("2026-10-{:02}", r % 28 + 1))
                .unwrap();
            ws.write_number(r, 3, f64::from(r % 9)).unwrap();
        }
        wb.save(&xlsx).unwrap();
    }
    ok(&db, &["settings", "threshold.green", "70"]);
    let mut c = cspulse(&db);
    c.arg("import")
        .arg(&xlsx)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut parent = c.spawn().unwrap();
    let mut worker = None;
    assert!(
        wait_for(Duration::from_secs(60), || {
            worker = children_of(parent.id()).first().copied();
            worker.is_some()
        }),
        "the parent starts its worker"
    );
    let worker = worker.unwrap();
    // let it read for a moment, then the parent dies (as the app does on Quit or a crash)
    std::thread::sleep(Duration::from_millis(300));
    assert!(!is_dead(worker), "the worker is still importing");
    parent.kill().unwrap();
    parent.wait().unwrap();
    let t = Instant::now();
    assert!(
        wait_for(Duration::from_secs(5), || is_dead(worker)),
        "the worker outlived its parent"
    );
    eprintln!("the worker ended {:?} after its parent", t.elapsed());
    // nothing of the import is seen, and the next import is not blocked by it
    let batches = ok(&db, &["batches", "--json"]);
    assert_eq!(batches.trim(), "[]");
    let small = dir.path().join("kunden.csv");
    std::fs::write(&small, "account_id,name\nA,Alpha\n").unwrap();
    let mut c = cspulse(&db);
    c.arg("import").arg(&small);
    let mut child = c.spawn().unwrap();
    let status = wait_child(&mut child, Duration::from_secs(30)).expect("not blocked");
    assert!(status.success());
}

#[test]
fn undo_says_how_to_take_it_back_and_take_back_works_until_the_next_import() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cs.db");
    let a = dir.path().join("kunden.csv");
    std::fs::write(&a, "account_id,name\nA,Alpha\nB,Beta\n").unwrap();
    let b = dir.path().join("umfrage.csv");
    std::fs::write(&b, "response_id,account_id,date,nps\nR1,A,2026-10-02,10\n").unwrap();
    ok(&db, &["import", a.to_str().unwrap()]);
    let before = ok(&db, &["batches", "--json"]);
    let out = ok(&db, &["undo", "1"]);
    assert!(out.contains("undid batch 1 (kunden.csv, 2 rows)"), "{out}");
    assert!(out.contains("cspulse undo --take-back 1"), "{out}");
    let mut de = cspulse(&db);
    de.args(["--lang", "de", "undo", "--take-back", "1"]);
    let (code, out, err) = output(de);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("Import 1 zurückgeholt (kunden.csv, 2 Zeilen)"),
        "{out}"
    );
    assert_eq!(ok(&db, &["batches", "--json"]), before);
    ok(&db, &["undo", "1"]);
    assert_eq!(ok(&db, &["batches", "--json"]).trim(), "[]");
    ok(&db, &["import", b.to_str().unwrap()]);
    let mut c = cspulse(&db);
    c.args(["undo", "--take-back", "1"]);
    let (code, _, err) = output(c);
    assert_eq!(code, 2, "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("can no longer be taken back"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_pipe_is_refused_at_once_with_a_plain_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cs.db");
    let fifo = dir.path().join("export.csv");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let mut c = cspulse(&db);
    c.arg("import")
        .arg(&fifo)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    let status = wait_child(&mut child, Duration::from_secs(20)).expect("not blocked on the pipe");
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert_eq!(status.code(), Some(2), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("is not a regular file"), "{err}");
    assert!(!db.exists(), "nothing written");
}

/// Peak resident memory of a running process (VmHWM, kB), while it runs.
#[cfg(target_os = "linux")]
fn peak_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

#[cfg(target_os = "linux")]
#[test]
fn an_unclosed_quote_near_the_top_of_a_200_mb_file_ends_at_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cs.db");
    let csv = dir.path().join("kunden.csv");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&csv).unwrap());
        writeln!(f, "account_id,name,seats").unwrap();
        writeln!(f, "A-1,\"Alpha GmbH,10").unwrap();
        let line = b"A-2,Beta AG with a rather long name to fill the file quickly,5\n";
        for _ in 0..(200 << 20) / line.len() {
            f.write_all(line).unwrap();
        }
        f.flush().unwrap();
    }
    let mut c = cspulse(&db);
    c.arg("import")
        .arg(&csv)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    let mut peak = 0;
    let t = Instant::now();
    let status = loop {
        if let Some(kb) = peak_kb(child.id()) {
            peak = peak.max(kb);
        }
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(t.elapsed() < Duration::from_secs(300), "still running");
        std::thread::sleep(Duration::from_millis(2));
    };
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    eprintln!(
        "unclosed quote in a 200 MB file: peak {} MB, {:?}",
        peak / 1024,
        t.elapsed()
    );
    assert_eq!(status.code(), Some(2), "{err}");
    assert!(
        err.contains("a cell holds more than a million characters"),
        "{err}"
    );
    assert!(peak > 0, "measured");
    assert!(peak < 100 * 1024, "peak {} MB", peak / 1024);
    assert!(!db.exists(), "nothing written");
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_imports() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cs.db");
    let file: PathBuf = dir
        .path()
        .join(std::ffi::OsStr::from_bytes(b"Kunden-\xe4\xff.csv"));
    std::fs::write(&file, "account_id,name\nA,Alpha\n").unwrap();
    let mut c = cspulse(&db);
    c.arg("import").arg(&file).arg("--json");
    let (code, out, err) = output(c);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["batches"][0]["rows_imported"], 1);
    let mut again = cspulse(&db);
    again.arg("import").arg(&file);
    assert_eq!(output(again).0, 3, "the same file, recognised");
}
