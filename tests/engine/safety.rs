//! Nothing destructive, nothing lost (issue 14), the engine's part: restore checks what it
//! restores; undo and clearing the sample data can be taken back; an import is seen whole or
//! not at all and never stalls a setting; duplicates at once; replace by sheet; files written
//! through safe temporary files; paths that are no regular files; a reader that hangs;
//! file names that are not UTF-8.

use crate::case::Case;
use cspulse_engine::error::{BackupProblem, Lang, SchemaDiff};
use cspulse_engine::import::{Budget, Control, Input, Options, Progress};
use cspulse_engine::store::{Origin, Store};
use cspulse_engine::{browse, overview, Error, Kind};
use rusqlite::Connection;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

const ACCOUNTS: &str = "account_id,name,seats\nA,Alpha,10\nB,Beta,5\nC,Gamma,2\n";
const REVENUE: &str = "account_id,month,mrr\nA,2026-08,100\nB,2026-08,200\nA,2026-09,100\nB,2026-09,200\nA,2026-10,120\nB,2026-10,200\n";
const SURVEYS: &str = "response_id,account_id,date,nps\nR1,A,2026-10-02,10\nR2,B,2026-10-09,3\n";

impl Case {
    /// What every reader sees: (live batch ids, accounts, revenue, surveys, usage rows).
    fn seen(&self) -> (Vec<i64>, usize, usize, usize, usize) {
        let d = self.store.load_all().unwrap();
        let ids = self
            .store
            .batches()
            .unwrap()
            .iter()
            .map(|b| b.batch_id)
            .collect();
        (
            ids,
            d.accounts.len(),
            d.revenue.len(),
            d.surveys.len(),
            d.usage.len(),
        )
    }
    fn names(&self) -> Vec<String> {
        let mut n: Vec<String> = std::fs::read_dir(self.tmp.dir())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        n.sort();
        n
    }
}

fn usage_csv(path: &Path, rows: usize) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(f, "account_id,user_id,date,sessions").unwrap();
    for i in 0..rows {
        writeln!(
            f,
            "A-{},U-{},2026-10-{:02},{}",
            i % 997,
            i % 5003,
            i % 28 + 1,
            i % 9
        )
        .unwrap();
    }
    f.flush().unwrap();
}

// ---------------------------------------------------------------------------------------
// Restore

/// A real backup of a store with data, for the tests to tamper with.
fn backup_with_data(t: &mut Case, name: &str) -> PathBuf {
    t.import("kunden.csv", ACCOUNTS);
    t.store.set_setting("threshold.green", "75").unwrap();
    let p = t.tmp.path(name);
    t.store.backup_to(&p).unwrap();
    p
}

fn tamper(p: &Path, sql: &str) {
    let c = Connection::open(p).unwrap();
    c.execute_batch(sql).unwrap();
}

/// The restore of `file` is refused with `problem`, in both languages, and the database, its
/// settings and its folder are as they were (no safety copy either).
fn refused(t: &mut Case, file: &Path, want: impl Fn(&BackupProblem) -> bool, says: &[&str]) {
    let before = (t.seen(), t.store.settings().unwrap().entries(), t.names());
    let e = t.store.restore_from(file).unwrap_err();
    match &e {
        Error::BadBackup { problem, .. } if want(problem) => {}
        other => panic!("{}: unexpected {other:?}", file.display()),
    }
    assert_eq!(e.code(), "bad_backup");
    let (en, de) = (e.message(Lang::En), e.message(Lang::De));
    for s in says {
        assert!(en.contains(s) || de.contains(s), "“{s}” in:\n{en}\n{de}");
    }
    assert!(en.contains("Nothing was changed"), "{en}");
    assert!(de.contains("Es wurde nichts geändert"), "{de}");
    let after = (t.seen(), t.store.settings().unwrap().entries(), t.names());
    assert_eq!(after, before, "{}: nothing changed", file.display());
}

#[test]
fn restore_refuses_a_backup_with_a_planted_trigger_a_changed_column_or_a_view() {
    let mut t = Case::new();
    let good = backup_with_data(&mut t, "good.db");
    // the live database now differs from the backups
    t.import("umsatz.csv", REVENUE);

    let trigger = t.tmp.path("trigger.db");
    std::fs::copy(&good, &trigger).unwrap();
    tamper(
        &trigger,
        "CREATE TRIGGER wipe AFTER INSERT ON settings BEGIN DELETE FROM batches; END;",
    );
    refused(
        &mut t,
        &trigger,
        |p| {
            matches!(p, BackupProblem::Schema { object, name, diff: SchemaDiff::Unexpected }
                if object == "trigger" && name == "wipe")
        },
        &["trigger “wipe”", "Trigger „wipe“"],
    );

    let column = t.tmp.path("column.db");
    std::fs::copy(&good, &column).unwrap();
    tamper(&column, "ALTER TABLE accounts ADD COLUMN note TEXT;");
    refused(
        &mut t,
        &column,
        |p| {
            matches!(p, BackupProblem::Schema { object, name, diff: SchemaDiff::Changed }
                if object == "table" && name == "accounts")
        },
        &["table “accounts”", "Tabelle „accounts“"],
    );

    // a table of the right name rebuilt with another column type
    let retyped = t.tmp.path("retyped.db");
    std::fs::copy(&good, &retyped).unwrap();
    tamper(
        &retyped,
        "DROP TABLE costs;
         CREATE TABLE costs (batch_id INTEGER, src_row INTEGER, month TEXT, type TEXT,
                             category TEXT, amount TEXT);
         CREATE INDEX costs_batch ON costs(batch_id);",
    );
    refused(
        &mut t,
        &retyped,
        |p| matches!(p, BackupProblem::Schema { name, diff: SchemaDiff::Changed, .. } if name == "costs"),
        &["“costs”"],
    );

    let view = t.tmp.path("view.db");
    std::fs::copy(&good, &view).unwrap();
    tamper(&view, "CREATE VIEW everything AS SELECT * FROM accounts;");
    refused(
        &mut t,
        &view,
        |p| {
            matches!(p, BackupProblem::Schema { object, diff: SchemaDiff::Unexpected, .. }
                if object == "view")
        },
        &["view “everything”", "Sicht „everything“"],
    );

    let missing_index = t.tmp.path("index.db");
    std::fs::copy(&good, &missing_index).unwrap();
    tamper(&missing_index, "DROP INDEX accounts_batch;");
    refused(
        &mut t,
        &missing_index,
        |p| {
            matches!(
                p,
                BackupProblem::Schema {
                    diff: SchemaDiff::Missing,
                    ..
                }
            )
        },
        &["is missing"],
    );

    // a foreign SQLite database: none of CS Pulse's tables
    let foreign = t.tmp.path("foreign.db");
    tamper(
        &foreign,
        "CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT); PRAGMA user_version = 1;",
    );
    refused(
        &mut t,
        &foreign,
        |p| matches!(p, BackupProblem::NotCsPulse),
        &["not one of CS Pulse"],
    );

    // the untouched backup restores, and its data is back
    let safety = t.store.restore_from(&good).unwrap();
    assert!(safety.is_some());
    assert_eq!(
        t.seen().2,
        0,
        "the revenue imported after the backup is gone"
    );
    assert_eq!(t.seen().1, 3);
    assert_eq!(t.store.settings().unwrap().threshold_green, 75.0);
}

#[test]
fn a_backup_of_an_older_version_or_another_page_size_restores() {
    let mut t = Case::new();
    // schema version 2, as CS Pulse wrote it, with one batch
    let v2 = t.tmp.path("v2.db");
    tamper(
        &v2,
        &format!(
            "{} {} PRAGMA user_version = 2;
             INSERT INTO batches(file_name, file_path, kind, sha256, header_row, mapping,
                                 rows_imported, rows_skipped, issues, imported_at)
             VALUES ('kunden.csv', '/x/kunden.csv', 'accounts', 'ab', 1, '{{}}', 1, 0, '[]',
                     '2026-11-01T00:00:00Z');
             INSERT INTO accounts(batch_id, src_row, account_id, name) VALUES (1, 2, 'A', 'Alpha');",
            include_str!("../../src-tauri/engine/src/store/migrations/0001_init.sql"),
            include_str!("../../src-tauri/engine/src/store/migrations/0002_usage_scan.sql"),
        ),
    );
    assert_eq!(
        cspulse_engine::store::check_backup(&v2)
            .unwrap()
            .schema_version,
        2
    );
    t.store.restore_from(&v2).unwrap();
    assert_eq!(
        t.seen().0.len(),
        1,
        "the old batch is live after the migration"
    );
    assert_eq!(t.seen().1, 1);
    // a backup with another page size is copied through a temporary database
    // the restored backup knows only the account A: B's rows match no account and are
    // listed, not imported (sources.md §1)
    let b = t.import("umsatz.csv", REVENUE);
    assert_eq!((b.rows_imported, b.rows_skipped), (3, 3));
    let big_pages = t.tmp.path("pages.db");
    t.store.backup_to(&big_pages).unwrap();
    tamper(&big_pages, "PRAGMA page_size = 8192; VACUUM;");
    let page: i64 = Connection::open(&big_pages)
        .unwrap()
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .unwrap();
    assert_eq!(page, 8192);
    t.store.set_setting("threshold.green", "66").unwrap();
    t.store.restore_from(&big_pages).unwrap();
    assert_eq!(t.seen().2, 3);
    assert_eq!(t.store.settings().unwrap().threshold_green, 70.0);
    assert!(
        t.names().iter().all(|n| !n.ends_with(".tmp")),
        "{:?}",
        t.names()
    );
}

#[test]
fn a_restore_while_an_import_runs_is_refused_instead_of_waiting() {
    let mut t = Case::new();
    let backup = backup_with_data(&mut t, "backup.db");
    t.import("umsatz.csv", REVENUE);
    let before = (t.seen(), t.names());
    // an import of this database in another process holds the import lock
    let running = cspulse_engine::store::lock::ImportLock::acquire(&t.tmp.db()).unwrap();
    let started = Instant::now();
    let e = t.store.restore_from(&backup).unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(e.code(), "import_running");
    assert!(e.message(Lang::De).contains("Ein Import läuft gerade"));
    assert_eq!((t.seen(), t.names()), before, "nothing changed");
    drop(running);
    t.store.restore_from(&backup).unwrap();
    assert_eq!(t.seen().2, 0);
}

#[test]
fn the_safety_copy_is_a_db_file_named_in_messages_and_only_the_last_three_are_kept() {
    let mut t = Case::new();
    let backup = backup_with_data(&mut t, "backup.db");
    let mut copies = Vec::new();
    for i in 0..5 {
        t.store
            .set_setting("lifetime_years", &(i + 2).to_string())
            .unwrap();
        let safety = t.store.restore_from(&backup).unwrap().unwrap();
        let name = safety.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.starts_with("cs.before-restore-") && name.ends_with(".db"),
            "{name}"
        );
        assert_eq!(safety.parent(), Some(t.tmp.dir()));
        // the safety copy holds the data as it was before the restore
        let kept: String = Connection::open(&safety)
            .unwrap()
            .query_row(
                "SELECT value FROM settings WHERE key = 'lifetime_years'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(kept, (i + 2).to_string());
        copies.push(safety);
    }
    let left: Vec<String> = t
        .names()
        .into_iter()
        .filter(|n| n.contains("before-restore"))
        .collect();
    // compared as sorted names: within one second the copies are `…Z.db`, `…Z-2.db`, …, and
    // `-` sorts before `.`, so name order is not creation order then (`names` sorts by name)
    let mut newest: Vec<String> = copies[2..]
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    newest.sort();
    assert_eq!(left, newest, "the last three safety copies are kept");
}

#[test]
fn a_restore_that_fails_after_the_safety_copy_names_it_and_keeps_the_data() {
    let mut t = Case::new();
    t.import("kunden.csv", ACCOUNTS);
    t.store.set_setting("threshold.green", "75").unwrap();
    // a backup of schema version 1, exactly as the first CS Pulse wrote it
    let v1 = t.tmp.path("v1.db");
    tamper(
        &v1,
        &format!(
            "{} PRAGMA user_version = 1;",
            include_str!("../../src-tauri/engine/src/store/migrations/0001_init.sql")
        ),
    );
    assert_eq!(
        cspulse_engine::store::check_backup(&v1)
            .unwrap()
            .schema_version,
        1
    );
    // its migration after the restore cannot write its migration copy: a folder is there
    std::fs::create_dir(t.tmp.path("cs.db.backup-v1")).unwrap();
    let before = t.seen();
    let e = t.store.restore_from(&v1).unwrap_err();
    let Error::RestoreFailed { safety, .. } = &e else {
        panic!("{e:?}")
    };
    assert!(safety.exists(), "{}", safety.display());
    let shown = safety.display().to_string();
    assert!(
        e.message(Lang::En).contains(&shown),
        "{}",
        e.message(Lang::En)
    );
    assert!(
        e.message(Lang::De).contains(&shown),
        "{}",
        e.message(Lang::De)
    );
    // the data from before is back in place
    let store = Store::open(&t.tmp.db()).unwrap();
    assert_eq!(store.settings().unwrap().threshold_green, 75.0);
    assert_eq!(store.batches().unwrap().len(), before.0.len());
    assert_eq!(store.load_all().unwrap().accounts.len(), 3);
}

// ---------------------------------------------------------------------------------------
// Undo, take back, clear, purge

#[test]
fn an_undone_batch_is_hidden_from_every_reader_and_can_be_taken_back_until_the_next_import() {
    let mut t = Case::new();
    let acc = t.import("kunden.csv", ACCOUNTS).batch_id;
    let rev = t.import("umsatz.csv", REVENUE).batch_id;
    let before = t.seen();
    let kpis = |store: &Store| {
        overview::month_report(store, None)
            .unwrap()
            .map(|r| serde_json::to_value(&r.kpis).unwrap())
    };
    let kpis_before = kpis(&t.store);
    assert!(kpis_before.is_some());
    let datasets_before = browse::datasets(&t.store).unwrap();

    let undone = t.store.undo(rev).unwrap();
    assert_eq!(undone.rows_imported, 6);
    assert_eq!(
        t.seen(),
        (vec![acc], 3, 0, 0, 0),
        "hidden from load and batches"
    );
    assert_eq!(t.store.undone_batches().unwrap()[0].batch_id, rev);
    // the data browser, the months and the duplicate check do not see it either
    let datasets = browse::datasets(&t.store).unwrap();
    assert!(
        datasets.iter().all(|d| d.kind != Kind::Revenue),
        "{datasets:?}"
    );
    assert_eq!(t.store.batch(rev).unwrap_err().code(), "no_such_batch");
    assert_eq!(t.store.undo(rev).unwrap_err().code(), "no_such_batch");
    assert_eq!(
        t.store.batch_issues(rev).unwrap_err().code(),
        "no_such_batch"
    );
    assert_eq!(
        kpis(&t.store),
        None,
        "no month to report on without the revenue"
    );

    // taken back: exactly as before
    let back = t.store.take_back(&[rev]).unwrap();
    assert_eq!(back[0].batch_id, rev);
    assert_eq!(t.seen(), before);
    assert_eq!(kpis(&t.store), kpis_before);
    assert_eq!(browse::datasets(&t.store).unwrap(), datasets_before);
    // taking back a live batch changes nothing
    assert_eq!(t.store.take_back(&[rev]).unwrap()[0].batch_id, rev);

    // undone again, then an import commits: the rows are gone for good
    t.store.undo(rev).unwrap();
    t.import("umfrage.csv", SURVEYS);
    let e = t.store.take_back(&[rev]).unwrap_err();
    assert_eq!(e.code(), "undo_gone");
    assert!(matches!(e, Error::UndoGone(id) if id == rev));
    assert!(e.message(Lang::En).contains("can no longer be taken back"));
    assert!(e.message(Lang::De).contains("nicht mehr zurückgeholt"));
    assert_eq!(
        t.store.take_back(&[9999]).unwrap_err().code(),
        "no_such_batch"
    );
    let rows: i64 = Connection::open(t.tmp.db())
        .unwrap()
        .query_row("SELECT count(*) FROM revenue", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 0, "the purged batch's rows are deleted");
}

#[test]
fn clearing_the_sample_data_answers_with_the_batches_and_can_be_taken_back() {
    let mut t = Case::new();
    let opts = cspulse_engine::demo::DemoOptions {
        accounts: 12,
        usage_rows: Some(300),
        ..Default::default()
    };
    cspulse_engine::demo::load(&mut t.store, &opts).unwrap();
    let own = t
        .import("kunden-eigen.csv", "account_id,name\nX-1,Eigene GmbH\n")
        .batch_id;
    let demo: Vec<i64> = t
        .store
        .batches()
        .unwrap()
        .iter()
        .filter(|b| b.source == "demo")
        .map(|b| b.batch_id)
        .collect();
    let before = t.seen();
    let cleared = t.store.clear(true).unwrap();
    assert_eq!(cleared, demo, "the ids of the batches it undid");
    assert_eq!(t.seen().0, vec![own]);
    assert_eq!(t.seen().4, 0, "no usage rows seen");
    assert!(!t.store.is_demo().unwrap());
    let back = t.store.take_back(&cleared).unwrap();
    assert_eq!(back.len(), demo.len());
    assert_eq!(t.seen(), before, "everything back as it was");
    // purged explicitly: gone, and their rows deleted
    t.store.clear(true).unwrap();
    assert_eq!(t.store.purge().unwrap(), demo.len());
    assert_eq!(t.store.take_back(&cleared).unwrap_err().code(), "undo_gone");
    let usage: i64 = Connection::open(t.tmp.db())
        .unwrap()
        .query_row("SELECT count(*) FROM usage", [], |r| r.get(0))
        .unwrap();
    assert_eq!(usage, 0);
}

// ---------------------------------------------------------------------------------------
// Imports: all or nothing as readers see it, no stall, duplicates, replace by sheet

#[test]
fn a_setting_changed_during_a_large_import_takes_effect_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cs.db");
    let csv = dir.path().join("usage.csv");
    let rows = 600_000;
    usage_csv(&csv, rows);
    drop(Store::open(&db).unwrap());
    let (writing, written) = mpsc::channel::<()>();
    let importing = {
        let (db, csv) = (db.clone(), csv.clone());
        std::thread::spawn(move || {
            let said = AtomicBool::new(false);
            let control = Control {
                progress: Some(Arc::new(move |p: &Progress| {
                    if p.rows >= 50_000 && !said.swap(true, Ordering::SeqCst) {
                        let _ = writing.send(());
                    }
                })),
                ..Control::default()
            };
            Store::open(&db).unwrap().import(
                &csv,
                Input::File(csv.clone()),
                &Options::default(),
                &control,
                false,
                Origin::File,
            )
        })
    };
    written
        .recv_timeout(Duration::from_secs(120))
        .expect("the import writes");
    // a reader sees nothing of the import yet
    let mut other = Store::open(&db).unwrap();
    assert!(other.batches().unwrap().is_empty());
    assert!(other.load_all().unwrap().usage.is_empty());
    let t = Instant::now();
    let settings = other.set_setting("threshold.green", "71").unwrap();
    let took = t.elapsed();
    let during = !importing.is_finished();
    eprintln!("set_setting during a {rows}-row import took {took:?}");
    assert_eq!(settings.threshold_green, 71.0);
    assert!(during, "the setting was changed while the import ran");
    assert!(took < Duration::from_secs(2), "took {took:?}");
    let t = Instant::now();
    other.reset_settings().unwrap();
    assert!(t.elapsed() < Duration::from_secs(2));
    let imported = importing.join().unwrap().unwrap();
    assert_eq!(imported.batches[0].batch.rows_imported, rows as i64);
    assert_eq!(other.load_all().unwrap().usage.len(), rows);
}

#[test]
fn rows_left_by_an_import_that_died_are_never_seen_and_the_next_import_removes_them() {
    let mut t = Case::new();
    t.import("kunden.csv", ACCOUNTS);
    // what an import killed while writing leaves: a staging batch with some rows
    {
        let c = Connection::open(t.tmp.db()).unwrap();
        c.execute_batch(
            "INSERT INTO batches(file_name, file_path, sheet, kind, sha256, header_row, mapping,
                                 rows_imported, rows_skipped, issues, source, imported_at, state)
             VALUES ('umsatz.csv', '/x/umsatz.csv', NULL, 'revenue', 'abc', 1, '{}', 0, 0, '[]',
                     'file', '2026-12-01T00:00:00Z', 'staging');
             INSERT INTO revenue(batch_id, src_row, account_id, month, mrr)
             VALUES (last_insert_rowid(), 2, 'A', '2026-10', 999);",
        )
        .unwrap();
    }
    assert_eq!(t.seen(), (t.seen().0, 3, 0, 0, 0));
    assert_eq!(t.store.batches().unwrap().len(), 1);
    t.import("umfrage.csv", SURVEYS);
    let (staged, rows): (i64, i64) = Connection::open(t.tmp.db())
        .unwrap()
        .query_row(
            "SELECT (SELECT count(*) FROM batches WHERE state = 'staging'),
                    (SELECT count(*) FROM revenue)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((staged, rows), (0, 0), "removed by the next import");
}

#[test]
fn a_failed_or_cancelled_import_leaves_no_rows_behind() {
    let mut t = Case::new();
    // (no accounts: the usage rows' ids A-0 … A-996 are then taken as written)
    t.import("umsatz.csv", REVENUE);
    let csv = t.tmp.path("usage.csv");
    usage_csv(&csv, 30_000);
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&cancel);
    let control = Control {
        progress: Some(Arc::new(move |p: &Progress| {
            if p.rows >= 10_000 {
                flag.store(true, Ordering::SeqCst);
            }
        })),
        cancel: Some(Arc::clone(&cancel)),
        ..Control::default()
    };
    let e = t
        .store
        .import(
            &csv,
            Input::File(csv.clone()),
            &Options::default(),
            &control,
            false,
            Origin::File,
        )
        .unwrap_err();
    assert_eq!(e.code(), "cancelled");
    let (usage, states): (i64, String) = Connection::open(t.tmp.db())
        .unwrap()
        .query_row(
            "SELECT (SELECT count(*) FROM usage),
                    (SELECT group_concat(state) FROM batches WHERE kind = 'usage')",
            [],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                ))
            },
        )
        .unwrap();
    assert_eq!(usage, 0, "no rows of the cancelled import are left");
    assert!(
        states.split(',').all(|s| s.is_empty() || s == "purged"),
        "{states}"
    );
    // and it imports afterwards
    t.store
        .import_file(&csv, &Options::default(), false)
        .unwrap();
    assert_eq!(t.seen().4, 30_000);
}

fn two_sheets(a_rows: &[(&str, &str)], b_rows: &[(&str, &str)]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (name, rows) in [("Kunden", a_rows), ("Mehr Kunden", b_rows)] {
        let ws = wb.add_worksheet();
        ws.set_name(name).unwrap();
        ws.write_string(0, 0, "account_id").unwrap();
        ws.write_string(0, 1, "name").unwrap();
        for (i, (id, n)) in rows.iter().enumerate() {
            ws.write_string(i as u32 + 1, 0, *id).unwrap();
            ws.write_string(i as u32 + 1, 1, *n).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

#[test]
fn replace_retires_only_the_batches_of_the_sheets_imported_now() {
    let mut t = Case::new();
    let file = t.tmp.file(
        "kunden.xlsx",
        two_sheets(&[("A", "Alpha"), ("B", "Beta")], &[("C", "Gamma")]),
    );
    let first = t
        .store
        .import_file(&file, &Options::default(), false)
        .unwrap();
    assert_eq!(first.len(), 2);
    let sheet_b = first
        .iter()
        .find(|b| b.batch.sheet.as_deref() == Some("Mehr Kunden"))
        .unwrap()
        .batch
        .batch_id;
    // the same file, only its first sheet, again
    let only_a = Options {
        sheet: Some("Kunden".into()),
        ..Options::default()
    };
    assert_eq!(
        t.store
            .import_file(&file, &only_a, false)
            .unwrap_err()
            .code(),
        "already_imported"
    );
    let again = t.store.import_file(&file, &only_a, true).unwrap();
    assert_eq!(again.len(), 1);
    let ids: Vec<i64> = t
        .store
        .batches()
        .unwrap()
        .iter()
        .map(|b| b.batch_id)
        .collect();
    assert_eq!(
        ids,
        vec![sheet_b, again[0].batch.batch_id],
        "sheet B's batch stays"
    );
    assert_eq!(t.seen().1, 3, "A, B and C once each");
}

#[test]
fn the_same_file_cannot_be_live_twice_even_past_the_early_check() {
    // the unique index on (file, sheet) of live batches is the last word, whatever the
    // order two imports commit in
    let mut t = Case::new();
    t.import("kunden.csv", ACCOUNTS);
    let c = Connection::open(t.tmp.db()).unwrap();
    let e = c
        .execute_batch(
            "INSERT INTO batches(file_name, file_path, sheet, kind, sha256, header_row, mapping,
                                 rows_imported, rows_skipped, issues, source, imported_at)
             SELECT file_name, file_path, sheet, kind, sha256, header_row, mapping, rows_imported,
                    rows_skipped, issues, source, imported_at FROM batches",
        )
        .unwrap_err();
    assert_eq!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::ConstraintViolation)
    );
}

// ---------------------------------------------------------------------------------------
// Files: what is read, what is written

/// Runs `f` on a thread and fails the test when it has not returned within `limit`
/// (instead of hanging the test run).
fn within<T: Send + 'static>(limit: Duration, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(f());
    });
    receive
        .recv_timeout(limit)
        .unwrap_or_else(|_| panic!("still blocked after {limit:?}"))
}

#[cfg(unix)]
#[test]
fn a_pipe_a_device_or_a_folder_is_refused_before_it_is_opened() {
    let t = Case::new();
    let fifo = t.tmp.path("export.csv");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    for (path, code) in [
        (fifo.clone(), "not_a_file"),
        (PathBuf::from("/dev/zero"), "not_a_file"),
        (t.tmp.dir().to_path_buf(), "file_unreadable"),
    ] {
        let db = t.tmp.db();
        let p = path.clone();
        let e = within(Duration::from_secs(10), move || {
            let mut store = Store::open(&db).unwrap();
            store
                .import_file(&p, &Options::default(), false)
                .unwrap_err()
        });
        assert_eq!(e.code(), code, "{}: {e:?}", path.display());
        let p = path.clone();
        let e = within(Duration::from_secs(10), move || {
            cspulse_engine::import::inspect(
                &p,
                Input::File(p.clone()),
                &Options::default(),
                Lang::En,
            )
            .unwrap_err()
        });
        assert_eq!(e.code(), code, "inspect {}", path.display());
        if code == "not_a_file" {
            assert!(e.message(Lang::En).contains("not a regular file"));
            assert!(e.message(Lang::De).contains("keine gewöhnliche Datei"));
        }
    }
}

#[test]
fn a_reader_that_hangs_ends_at_the_time_budget() {
    let t = Case::new();
    let csv = t.tmp.file("kunden.csv", ACCOUNTS);
    let db = t.tmp.db();
    let started = Instant::now();
    let e = within(Duration::from_secs(30), move || {
        // a reader stuck where it cannot look at the clock, as in a read from a network
        // drive that no longer answers: its progress call never returns
        let control = Control {
            progress: Some(Arc::new(|_: &Progress| loop {
                std::thread::sleep(Duration::from_secs(3600));
            })),
            ..Control::default()
        };
        let opts = Options {
            budget: Budget {
                time: Duration::from_secs(1),
                ..Budget::default()
            },
            ..Options::default()
        };
        Store::open(&db)
            .unwrap()
            .import(
                &csv,
                Input::File(csv.clone()),
                &opts,
                &control,
                false,
                Origin::File,
            )
            .unwrap_err()
    });
    assert!(
        matches!(
            e,
            Error::TooLarge {
                limit: cspulse_engine::error::Limit::Time,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(Store::open(&t.tmp.db())
        .unwrap()
        .batches()
        .unwrap()
        .is_empty());
    // the same watchdog for what the wizard and the CLI read before an import
    let started = Instant::now();
    let e = cspulse_engine::import::within_budget(
        Path::new("kunden.csv"),
        Duration::from_millis(300),
        || {
            std::thread::sleep(Duration::from_secs(3600));
            Ok(())
        },
    )
    .unwrap_err();
    assert_eq!(e.code(), "file_too_large");
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[cfg(unix)]
#[test]
fn the_report_is_written_through_an_unguessable_temp_file_and_never_through_a_link() {
    let mut t = Case::new();
    t.import("kunden.csv", ACCOUNTS);
    t.import("umsatz.csv", REVENUE);
    let victim = t.tmp.file("victim.txt", "keep me");
    let out = t.tmp.path("bericht.xlsx");
    // the temporary name of earlier versions, planted as a link to another file
    let planted = t
        .tmp
        .path(format!(".bericht.xlsx.{}.tmp", std::process::id()));
    std::os::unix::fs::symlink(&victim, &planted).unwrap();
    // and the destination itself a link: it is replaced, not written through
    let elsewhere = t.tmp.file("elsewhere.xlsx", "old");
    std::os::unix::fs::symlink(&elsewhere, &out).unwrap();
    cspulse_engine::report::write_file(&t.store, None, Lang::En, &out).unwrap();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "old");
    assert!(!std::fs::symlink_metadata(&out).unwrap().is_symlink());
    assert!(std::fs::read(&out).unwrap().starts_with(b"PK"));
    let leftovers: Vec<String> = t
        .names()
        .into_iter()
        .filter(|n| {
            n.ends_with(".tmp") && !n.starts_with(&format!(".bericht.xlsx.{}", std::process::id()))
        })
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_imports() {
    use std::os::unix::ffi::OsStrExt;
    let mut t = Case::new();
    let name = std::ffi::OsStr::from_bytes(b"Kunden-\xe4\xff.csv");
    let path = t.tmp.path(name);
    std::fs::write(&path, ACCOUNTS).unwrap();
    let b = t
        .store
        .import_file(&path, &Options::default(), false)
        .unwrap();
    assert_eq!(b[0].batch.rows_imported, 3);
    assert!(b[0].batch.file.starts_with("Kunden-"));
    let e = t
        .store
        .import_file(&path, &Options::default(), false)
        .unwrap_err();
    assert_eq!(e.code(), "already_imported");
    let found = cspulse_engine::import::inspect(
        &path,
        Input::File(path.clone()),
        &Options::default(),
        Lang::De,
    )
    .unwrap();
    assert_eq!(found.tables.len(), 1);
}
