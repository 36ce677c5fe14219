//! `cspulse backup FILE` and `cspulse restore FILE` (issue 6): a backup restores exactly the
//! data it was made from, the data it replaces is kept, and a file that is no backup, a
//! damaged one or one from a newer version is refused with one plain line, changing nothing.

use rusqlite::Connection;
use std::path::Path;

/// Through the CLI tests' one runner (`crate::run`: English messages, and under Wine a run
/// that Wine broke is started again).
fn cspulse(db: &Path, args: &[&str]) -> (i32, String, String) {
    let mut c = crate::bin();
    c.arg("--db").arg(db).args(args);
    let o = crate::run(c);
    (o.code, o.stdout, o.stderr)
}

fn ok(db: &Path, args: &[&str]) -> String {
    let (code, out, err) = cspulse(db, args);
    assert_eq!(code, 0, "{args:?}: {err}");
    out
}

fn refused(db: &Path, args: &[&str], code: i32, says: &str) {
    let (got, _, err) = cspulse(db, args);
    assert_eq!(got, code, "{args:?} exit code; stderr: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(err.contains(says), "{args:?} says “{says}”: {err}");
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn a_backup_restores_exactly_its_data_and_the_replaced_data_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cs.db");
    let file = dir.path().join("a.csv");
    std::fs::write(&file, "account_id,name\nA,Alpha\nB,Beta\n").unwrap();
    ok(&db, &["import", s(&file)]);
    ok(&db, &["settings", "threshold.green", "75"]);
    let backup = dir.path().join("monday.cspulse");
    ok(&db, &["backup", s(&backup)]);
    assert!(
        !dir.path().join("monday.cspulse-wal").exists(),
        "a backup is one self-contained file"
    );
    let before = ok(&db, &["batches", "--json"]);

    // later changes, then the restore brings Monday back
    ok(&db, &["undo", "1"]);
    ok(&db, &["settings", "threshold.green", "60"]);
    let out = ok(&db, &["restore", s(&backup)]);
    assert!(out.contains("restored"), "{out}");
    assert!(
        out.contains("the data before the restore is kept in"),
        "{out}"
    );
    assert_eq!(ok(&db, &["batches", "--json"]), before);
    assert_eq!(ok(&db, &["settings", "threshold.green"]).trim(), "75");

    // the data that was replaced is kept next to the database as a .db file (the restore
    // dialog shows it), named in the output, and restorable too
    let kept: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().contains("before-restore"))
        .collect();
    assert_eq!(kept.len(), 1, "one safety copy: {kept:?}");
    let name = kept[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("cs.before-restore-") && name.ends_with(".db"),
        "{name}"
    );
    // by its name: the folder is written the system's way (Windows: `\` before the name)
    assert!(out.contains(&name), "{out}");
    let conn = Connection::open(&kept[0]).unwrap();
    let green: String = conn
        .query_row(
            "SELECT value FROM settings WHERE key = 'threshold.green'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        green, "60",
        "the safety copy holds the data before the restore"
    );
}

#[test]
fn restore_refuses_what_is_no_usable_backup_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cs.db");
    let file = dir.path().join("a.csv");
    std::fs::write(&file, "account_id,name\nA,Alpha\n").unwrap();
    ok(&db, &["import", s(&file)]);
    let batches = ok(&db, &["batches", "--json"]);

    refused(&db, &["restore", s(&file)], 2, "is not a CS Pulse backup");
    refused(
        &db,
        &["restore", s(&dir.path().join("missing.db"))],
        2,
        "does not exist",
    );
    refused(
        &db,
        &["restore", s(&db)],
        2,
        "is the database CS Pulse is using",
    );

    let other = dir.path().join("other.sqlite");
    Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
        .unwrap();
    refused(&db, &["restore", s(&other)], 2, "not one of CS Pulse");

    let newer = dir.path().join("newer.cspulse");
    ok(&db, &["backup", s(&newer)]);
    Connection::open(&newer)
        .unwrap()
        .execute_batch("PRAGMA user_version = 99;")
        .unwrap();
    refused(&db, &["restore", s(&newer)], 2, "newer version of CS Pulse");

    let damaged = dir.path().join("damaged.cspulse");
    ok(&db, &["backup", s(&damaged)]);
    let mut bytes = std::fs::read(&damaged).unwrap();
    let last_page = bytes.len() - 4096;
    bytes[last_page..last_page + 64].fill(0xA5);
    std::fs::write(&damaged, bytes).unwrap();
    let (code, _, err) = cspulse(&db, &["restore", s(&damaged)]);
    assert_eq!(code, 2, "a truncated backup is refused: {err}");

    assert_eq!(ok(&db, &["batches", "--json"]), batches, "nothing changed");
    let no_db = dir.path().join("fresh.db");
    refused(
        &no_db,
        &["restore", s(&file)],
        2,
        "is not a CS Pulse backup",
    );
    assert!(!no_db.exists(), "a refused restore creates no database");
}

#[test]
fn backup_to_a_folder_that_does_not_exist_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cs.db");
    let target = dir.path().join("no").join("such").join("b.cspulse");
    refused(&db, &["backup", s(&target)], 2, "does not exist");
    refused(&db, &["backup", s(dir.path())], 2, "is a folder");
}

#[test]
fn backup_replaces_an_older_backup_but_never_another_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cs.db");
    let sheet = dir.path().join("umsatz.xlsx");
    std::fs::write(&sheet, b"PK\x03\x04 not really a workbook").unwrap();
    refused(
        &db,
        &["backup", s(&sheet)],
        2,
        "is not a CS Pulse backup, so it was not replaced",
    );
    assert_eq!(
        std::fs::read(&sheet).unwrap(),
        b"PK\x03\x04 not really a workbook"
    );
    let backup = dir.path().join("b.cspulse");
    ok(&db, &["backup", s(&backup)]);
    ok(&db, &["settings", "threshold.green", "80"]);
    ok(&db, &["backup", s(&backup)]);
    let green: String = Connection::open(&backup)
        .unwrap()
        .query_row(
            "SELECT value FROM settings WHERE key = 'threshold.green'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(green, "80", "the older backup was replaced");
}

#[test]
fn a_database_from_a_newer_version_is_refused_and_left_byte_for_byte_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cs.db");
    ok(&db, &["settings", "threshold.green", "75"]);
    Connection::open(&db)
        .unwrap()
        .execute_batch("PRAGMA user_version = 99; PRAGMA journal_mode = DELETE;")
        .unwrap();
    let before = std::fs::read(&db).unwrap();
    for args in [
        &["batches"][..],
        &["settings", "threshold.green", "60"],
        &["demo"],
    ] {
        refused(&db, args, 2, "was written by a newer version of CS Pulse");
    }
    assert_eq!(std::fs::read(&db).unwrap(), before, "not altered");
    assert!(
        !dir.path().join("cs.db-wal").exists(),
        "not even put in WAL mode"
    );
}

#[test]
fn restore_refuses_a_backup_with_a_planted_trigger_in_plain_words() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cs.db");
    let file = dir.path().join("a.csv");
    std::fs::write(&file, "account_id,name\nA,Alpha\n").unwrap();
    ok(&db, &["import", s(&file)]);
    let planted = dir.path().join("planted.cspulse");
    ok(&db, &["backup", s(&planted)]);
    Connection::open(&planted)
        .unwrap()
        .execute_batch(
            "CREATE TRIGGER wipe AFTER INSERT ON settings BEGIN DELETE FROM batches; END;",
        )
        .unwrap();
    let batches = ok(&db, &["batches", "--json"]);
    let files = || std::fs::read_dir(dir.path()).unwrap().count();
    let before = files();
    refused(
        &db,
        &["restore", s(&planted)],
        2,
        "it has a trigger “wipe” that CS Pulse never creates",
    );
    refused(
        &db,
        &["--lang", "de", "restore", s(&planted)],
        2,
        "sie enthält einen Trigger „wipe“, den CS Pulse nie anlegt",
    );
    assert_eq!(ok(&db, &["batches", "--json"]), batches, "nothing changed");
    assert_eq!(files(), before, "no safety copy either");
}
