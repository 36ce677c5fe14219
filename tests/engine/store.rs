//! The store: batches with lineage, SHA-256 idempotency, replace and undo, all-or-nothing
//! imports, settings, refusing unusable databases, months and loading, the demo company.

use crate::case::Case;
use cspulse_engine::demo::{self, DemoOptions};
use cspulse_engine::import::Options;
use cspulse_engine::kpi::Status;
use cspulse_engine::model::Data;
use cspulse_engine::store::Store;
use cspulse_engine::{overview, Error, Kind, Month};
use std::path::Path;

const ACCOUNTS: &str = "account_id,name,seats\nA,Alpha,10\nB,Beta,5\nC,Gamma,2\n";
const REVENUE: &str = "account_id,month,mrr\nA,2026-08,100\nB,2026-08,200\nA,2026-09,100\nB,2026-09,200\nA,2026-10,120\nB,2026-10,200\n";
const REVENUE_C: &str = "account_id,month,mrr\nC,2026-08,50\nC,2026-09,50\nC,2026-10,50\n";

impl Case {
    fn counts(&self) -> Counts {
        counts(&self.store.load_all().unwrap())
    }
    fn batch_ids(&self) -> Vec<i64> {
        self.store
            .batches()
            .unwrap()
            .iter()
            .map(|b| b.batch_id)
            .collect()
    }
}

/// Rows per dataset.
#[derive(Debug, PartialEq)]
struct Counts {
    accounts: usize,
    revenue: usize,
    surveys: usize,
    usage: usize,
    touchpoints: usize,
}

fn counts(d: &Data) -> Counts {
    Counts {
        accounts: d.accounts.len(),
        revenue: d.revenue.len(),
        surveys: d.surveys.len(),
        usage: d.usage.len(),
        touchpoints: d.touchpoints.len(),
    }
}

fn m(text: &str) -> Month {
    Month::parse(text).unwrap()
}

#[test]
fn an_import_stores_its_lineage() {
    let mut t = Case::new();
    let b = t.import("umsatz.csv", REVENUE);
    assert_eq!(b.file, "umsatz.csv");
    assert_eq!(b.sheet, None);
    assert_eq!(b.kind, Kind::Revenue);
    assert_eq!((b.rows_imported, b.rows_skipped), (6, 0));
    assert_eq!(b.sha256.len(), 64, "a hex SHA-256");
    assert_eq!(b.source, "file");
    assert_eq!(b.header_row, 1);
    assert_eq!(b.mapping.get("mrr").and_then(|v| v.as_str()), Some("mrr"));
    let listed = t.store.batches().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].batch_id, b.batch_id);
    assert_eq!(listed[0].sha256, b.sha256);
    assert_eq!(listed[0].imported_at, b.imported_at);
    assert_eq!(
        listed[0].mapping, b.mapping,
        "the mapping is stored as it was used"
    );
    assert!(t.store.has_data().unwrap());
    assert!(
        !t.store.is_demo().unwrap(),
        "a user's file is not demo data"
    );
}

#[test]
fn importing_the_same_file_twice_is_refused_as_already_imported() {
    let mut t = Case::new();
    let first = t.import("umsatz.csv", REVENUE);
    let before = t.counts();
    let path = t.tmp.file("umsatz.csv", REVENUE);
    let err = t
        .store
        .import_file(&path, &Options::default(), false)
        .unwrap_err();
    match &err {
        Error::AlreadyImported { batch_id, .. } => {
            assert_eq!(*batch_id, first.batch_id, "names the earlier batch")
        }
        other => panic!("expected AlreadyImported, got {other:?}"),
    }
    assert_eq!(err.code(), "already_imported");
    let renamed = t.tmp.file("umsatz-kopie.csv", REVENUE);
    assert!(
        matches!(
            t.store.import_file(&renamed, &Options::default(), false),
            Err(Error::AlreadyImported { .. })
        ),
        "the same content under another name is the same file (SHA-256)"
    );
    assert_eq!(t.counts(), before, "nothing changed");
    assert_eq!(t.batch_ids(), vec![first.batch_id]);
}

#[test]
fn replace_swaps_the_batch_of_the_same_file() {
    let mut t = Case::new();
    t.import("accounts.csv", ACCOUNTS);
    let first = t.import("umsatz.csv", REVENUE);
    let before = t.counts();
    let path = t.tmp.file("umsatz.csv", REVENUE);
    let replaced = t
        .store
        .import_file(&path, &Options::default(), true)
        .unwrap();
    assert_eq!(replaced.len(), 1);
    let new_id = replaced[0].batch.batch_id;
    assert_eq!(
        t.counts(),
        before,
        "row counts stay the same: the old rows are gone"
    );
    let listed = t.store.batches().unwrap();
    assert_eq!(listed.len(), 2, "accounts and the new revenue batch");
    assert_eq!(
        listed[1].batch_id, new_id,
        "the listed revenue batch is the replacing one"
    );
    assert_eq!(listed[1].sha256, first.sha256);
    assert_eq!(listed[1].rows_imported, 6);
}

#[test]
fn batch_ids_are_never_handed_out_again_after_replace_or_undo() {
    // lineage and `undo N` in scripts rely on an id naming one import forever
    let mut t = Case::new();
    let first = t.import("umsatz.csv", REVENUE);
    let path = t.tmp.file("umsatz.csv", REVENUE);
    let replaced = t
        .store
        .import_file(&path, &Options::default(), true)
        .unwrap();
    assert_ne!(
        replaced[0].batch.batch_id, first.batch_id,
        "--replace gives the batch a new id"
    );
    let undone = t.import("umsatz-c.csv", REVENUE_C);
    t.store.undo(undone.batch_id).unwrap();
    let next = t.import("accounts.csv", ACCOUNTS);
    assert_ne!(
        next.batch_id, undone.batch_id,
        "an undone batch's id is not reused"
    );
}

#[test]
fn undo_removes_exactly_that_batchs_rows() {
    let mut t = Case::new();
    let acc = t.import("accounts.csv", ACCOUNTS);
    let rev = t.import("umsatz.csv", REVENUE);
    let rev_c = t.import("umsatz-c.csv", REVENUE_C);
    assert_eq!(t.counts().revenue, 9);
    let undone = t.store.undo(rev.batch_id).unwrap();
    assert_eq!(
        undone.batch_id, rev.batch_id,
        "undo returns the removed batch"
    );
    let data = t.store.load_all().unwrap();
    assert_eq!(
        data.revenue.len(),
        3,
        "only the other revenue batch's rows remain"
    );
    assert!(
        data.revenue.iter().all(|r| r.account_id == "C"),
        "the remaining rows are C's"
    );
    assert_eq!(data.accounts.len(), 3, "the accounts batch is untouched");
    assert_eq!(t.batch_ids(), vec![acc.batch_id, rev_c.batch_id]);

    for id in [rev.batch_id, 999] {
        let err = t.store.undo(id).unwrap_err();
        assert!(
            matches!(err, Error::NoSuchBatch(n) if n == id),
            "undo {id}: {err:?}"
        );
        assert_eq!(err.code(), "no_such_batch");
    }
    assert_eq!(
        t.batch_ids(),
        vec![acc.batch_id, rev_c.batch_id],
        "a failed undo changes nothing"
    );
}

#[test]
fn undo_then_reimport_of_the_same_file_is_allowed() {
    let mut t = Case::new();
    let b = t.import("umsatz.csv", REVENUE);
    t.store.undo(b.batch_id).unwrap();
    let again = t.import("umsatz.csv", REVENUE);
    assert_eq!(
        again.rows_imported, 6,
        "after undo the file is not 'already imported'"
    );
}

#[test]
fn a_failed_import_leaves_the_database_unchanged() {
    let mut t = Case::new();
    t.import("accounts.csv", ACCOUNTS);
    t.import("umsatz.csv", REVENUE);
    let before = (t.counts(), t.batch_ids());
    let bad_files = [
        (
            "missing-month.csv",
            "account_id,mrr,currency\nA,1,EUR\n",
            Some(Kind::Revenue),
            "missing_required_field",
        ),
        ("what.csv", "foo,bar\n1,2\n", None, "unknown_kind"),
        ("empty.csv", "", None, "empty_file"),
    ];
    for (name, content, kind, code) in bad_files {
        let p = t.tmp.file(name, content);
        let err = t
            .store
            .import_file(
                &p,
                &Options {
                    kind,
                    ..Options::default()
                },
                false,
            )
            .unwrap_err();
        assert_eq!(err.code(), code, "{name}");
        assert_eq!(
            (t.counts(), t.batch_ids()),
            before,
            "{name}: nothing was written"
        );
    }
    let err = t
        .store
        .import_file(
            &t.tmp.path("does-not-exist.csv"),
            &Options::default(),
            false,
        )
        .unwrap_err();
    assert_eq!(err.code(), "file_unreadable");
    let err = t
        .store
        .import_file(t.tmp.dir(), &Options::default(), false)
        .unwrap_err();
    assert_eq!(err.code(), "file_unreadable", "a folder is not a file");
    assert_eq!((t.counts(), t.batch_ids()), before, "nothing was written");
}

#[test]
fn a_batch_with_skipped_rows_keeps_the_valid_ones_and_stores_the_issues() {
    let mut t = Case::new();
    let p = t.tmp.file(
        "umsatz.csv",
        "account_id,month,mrr\nA,2026-10,100\nB,2026-10,n/a\n",
    );
    let b = t.store.import_file(&p, &Options::default(), false).unwrap();
    assert_eq!((b[0].batch.rows_imported, b[0].batch.rows_skipped), (1, 1));
    assert_eq!(b[0].issues.len(), 1);
    assert_eq!(b[0].issues[0].row, 3);
    assert_eq!(t.counts().revenue, 1);
}

#[test]
fn settings_persist_across_reopen_and_invalid_ones_are_not_stored() {
    let mut t = Case::new();
    let s = t.store.set_setting("gross_margin", "0,8").unwrap();
    assert_eq!(
        s.gross_margin, 0.8,
        "the returned settings have the new value"
    );
    t.store.set_setting("weight.usage", "40").unwrap();
    t.store.set_setting("language", "de").unwrap();
    drop(t.store);
    let mut store = Store::open(&t.tmp.path("cs.db")).unwrap();
    let s = store.settings().unwrap();
    assert_eq!(s.gross_margin, 0.8, "gross margin survives reopening");
    assert_eq!(s.weights[0], 40.0, "weight survives reopening");
    assert_eq!(s.language, "de");

    for (k, v) in [
        ("gross_margin", "80"),
        ("weight.usage", "-1"),
        ("threshold.yellow", "90"),
        ("language", "fr"),
        ("currency", "Euro"),
        ("no.such.key", "1"),
    ] {
        let err = store.set_setting(k, v).unwrap_err();
        assert_eq!(err.code(), "bad_setting", "{k}={v}");
        assert!(!err.message(cspulse_engine::Lang::En).is_empty());
    }
    drop(store);
    let mut store = Store::open(&t.tmp.path("cs.db")).unwrap();
    let s = store.settings().unwrap();
    assert_eq!(
        (s.gross_margin, s.weights[0], s.threshold_yellow),
        (0.8, 40.0, 40.0),
        "nothing invalid was stored"
    );
    assert_eq!(s.language, "de");
    let reset = store.reset_settings().unwrap();
    assert_eq!(
        reset,
        cspulse_engine::Settings::default(),
        "reset brings back the defaults"
    );
}

#[test]
fn a_file_that_is_not_a_database_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.db");
    let content: Vec<u8> = "These are my meeting notes, not a database.\n"
        .repeat(100)
        .into_bytes();
    std::fs::write(&path, &content).unwrap();
    let err = Store::open(&path)
        .err()
        .expect("a text file is not a database");
    assert!(matches!(err, Error::Database { .. }), "{err:?}");
    assert_eq!(err.code(), "database_unusable");
    assert!(err
        .message(cspulse_engine::Lang::En)
        .contains("was not changed"));
    assert!(
        std::fs::read(&path).unwrap() == content,
        "the file is byte-for-byte unchanged"
    );
}

/// Bytes of a database file; `None` if it does not exist.
fn bytes(p: &Path) -> Option<Vec<u8>> {
    std::fs::read(p).ok()
}

#[test]
fn a_database_from_a_newer_version_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE future(x); INSERT INTO future VALUES (1); PRAGMA user_version = 99;",
        )
        .unwrap();
    }
    let before = bytes(&path).unwrap();
    let err = Store::open(&path)
        .err()
        .expect("schema 99 is newer than this version");
    assert_eq!(err.code(), "database_too_new");
    assert!(
        err.message(cspulse_engine::Lang::En).contains("newer"),
        "{}",
        err.message(cspulse_engine::Lang::En)
    );
    assert!(
        bytes(&path).unwrap() == before,
        "the newer database is byte-for-byte unchanged"
    );
    let conn = rusqlite::Connection::open(&path).unwrap();
    let v: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, 99, "its schema version is untouched");
}

#[test]
fn a_database_written_by_this_version_opens_again() {
    let mut t = Case::new();
    t.import("umsatz.csv", REVENUE);
    let db = t.tmp.db();
    drop(t.store);
    let store = Store::open(&db).unwrap();
    assert_eq!(store.batches().unwrap().len(), 1, "data survives reopening");
}

#[test]
fn latest_month_prefers_revenue_and_months_spans_it() {
    let mut t = Case::new();
    assert_eq!(
        t.store.latest_month().unwrap(),
        None,
        "an empty store has no month"
    );
    assert!(t.store.months().unwrap().is_empty());
    t.import("touch.csv", "account_id,date\nA,2026-05-03\nA,2026-07-30\n");
    assert_eq!(
        t.store.latest_month().unwrap(),
        Some(m("2026-07")),
        "without revenue: the last dated month"
    );
    assert_eq!(
        t.store.months().unwrap(),
        vec![m("2026-05"), m("2026-06"), m("2026-07")]
    );
    t.import("touch-late.csv", "account_id,date\nA,2026-11-02\n");
    t.import("umsatz.csv", REVENUE);
    assert_eq!(
        t.store.latest_month().unwrap(),
        Some(m("2026-10")),
        "with revenue the last revenue month, even if touchpoints go further"
    );
    assert_eq!(
        t.store.months().unwrap(),
        vec![m("2026-08"), m("2026-09"), m("2026-10")]
    );
}

#[test]
fn load_of_a_month_reads_usage_for_that_month_and_the_one_before_only() {
    let mut t = Case::new();
    t.import(
        "usage.csv",
        "account_id,user_id,date\n\
         A,u1,2026-07-31 23:59:59\n\
         A,u1,2026-08-01 00:00:00\n\
         A,u2,2026-08-15\n\
         A,u1,2026-09-01 08:00\n\
         A,u1,2026-09-30 23:59:59\n\
         A,u1,2026-10-01 00:00:00\n",
    );
    t.import("umsatz.csv", REVENUE);
    let data = t.store.load(m("2026-09")).unwrap();
    let mut dates: Vec<String> = data.usage.iter().map(|u| u.date.to_string()).collect();
    dates.sort();
    assert_eq!(
        dates,
        vec!["2026-08-01", "2026-08-15", "2026-09-01", "2026-09-30"],
        "usage of 2026-08 and 2026-09 only, including the first and last second"
    );
    assert_eq!(
        data.coverage.span(Kind::Usage),
        Some((m("2026-07"), m("2026-10"))),
        "coverage comes from all usage rows"
    );
    assert_eq!(data.revenue.len(), 6, "other datasets are loaded whole");
    assert_eq!(
        t.store.load_all().unwrap().usage.len(),
        6,
        "load_all reads every usage row"
    );
}

#[test]
fn the_demo_company_loads_all_eleven_kinds_and_gives_a_dashboard() {
    let mut t = Case::new();
    let dash = overview::dashboard(&t.store, None).unwrap();
    assert_eq!(dash.month, None, "no data: no month");
    assert!(!t.store.is_demo().unwrap(), "an empty store is not demo");

    let batches = demo::load(&mut t.store, &DemoOptions::default()).unwrap();
    let mut kinds: Vec<Kind> = batches.iter().map(|b| b.batch.kind).collect();
    kinds.sort();
    assert_eq!(kinds, Kind::ALL.to_vec(), "one batch per kind");
    assert!(batches
        .iter()
        .all(|b| b.batch.source == "demo" && b.batch.rows_imported > 0));
    assert!(
        batches.iter().all(|b| b.issues.is_empty()),
        "the demo data is valid throughout"
    );
    assert!(t.store.is_demo().unwrap());

    let dash = overview::dashboard(&t.store, None).unwrap();
    assert_eq!(
        dash.month.as_deref(),
        Some("2026-10"),
        "the demo's current month"
    );
    assert!(dash.is_demo);
    let score = dash.cs_score.expect("the demo has a CS score");
    assert!(
        (0.0..=100.0).contains(&score),
        "cs_score {score} is within 0..100"
    );
    assert!(dash.accounts_scored > 0);
    assert!(!dash.cards.is_empty());
    for k in &dash.cards {
        match k.status {
            Status::Ok => assert!(
                k.value.is_some_and(f64::is_finite),
                "{} is ok with a finite value",
                k.id
            ),
            Status::NoData => assert!(
                k.value.is_none() && !k.needs.is_empty(),
                "{} says what it needs",
                k.id
            ),
            Status::Undefined => {
                assert!(k.value.is_none(), "{} is undefined without a value", k.id)
            }
        }
    }
    let ok = dash.cards.iter().filter(|k| k.status == Status::Ok).count();
    assert!(
        ok * 10 >= dash.cards.len() * 9,
        "the demo fills nearly every KPI: {ok} of {}",
        dash.cards.len()
    );

    let again = demo::load(&mut t.store, &DemoOptions::default()).unwrap();
    assert_eq!(
        t.store.batches().unwrap().len(),
        11,
        "loading the demo again replaces it"
    );
    assert_eq!(again.len(), 11);

    t.import("umsatz.csv", REVENUE);
    assert!(
        !t.store.is_demo().unwrap(),
        "a user's import ends demo mode"
    );
    assert!(!overview::dashboard(&t.store, None).unwrap().is_demo);
}

#[test]
fn the_report_load_counts_the_older_trend_months_exactly_as_their_rows_score() {
    let t = Case::new();
    let mut store = t.store;
    let opts = DemoOptions {
        usage_rows: Some(20_000),
        ..DemoOptions::default()
    };
    demo::load(&mut store, &opts).unwrap();
    let month = store.latest_month().unwrap().unwrap();
    let first = month.plus(-cspulse_engine::trends::TREND_MONTHS);
    let full = store.load_months(first, month).unwrap();
    let lean = cspulse_engine::trends::load_data(&store, month).unwrap();
    let settings = store.settings().unwrap();
    assert_eq!(lean.usage_counts.len(), 10);
    assert!(lean.usage_counts.iter().all(|c| c.rows > 0));
    // the fully loaded months keep their rows, in the same order
    let kept: Vec<_> = full
        .usage
        .iter()
        .filter(|r| {
            let m = Month::of(r.date);
            m == first || m == month || m == month.plus(-1)
        })
        .cloned()
        .collect();
    assert_eq!(lean.usage, kept);
    for k in -TREND..=0 {
        let m = month.plus(k);
        let a = cspulse_engine::score::compute(&full, m, &settings);
        let b = cspulse_engine::score::compute(&lean, m, &settings);
        assert_eq!(a.accounts, b.accounts, "{m}");
        assert_eq!(a.cs_score, b.cs_score, "{m}");
        assert!(a.accounts.iter().any(|s| s.inputs.active_days > Some(0)));
    }
    for kind in Kind::ALL {
        assert_eq!(full.coverage.span(kind), lean.coverage.span(kind));
    }
    assert_eq!(
        full.coverage.span(Kind::Usage),
        store.load_all().unwrap().coverage.span(Kind::Usage)
    );
}

const TREND: i32 = cspulse_engine::trends::TREND_MONTHS;
