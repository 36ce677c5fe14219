//! The monthly routine (`datasets.md`, "Re-imports and overlapping exports"): for every kind,
//! two overlapping rounds of small exports give exactly the effective rows (hand-checked),
//! undoing the second round brings the first round's rows back, `add` adds, rows of one
//! batch add up, and the overlap is told before anything is written and in the result.

use cspulse_engine::browse::{self, Query};
use cspulse_engine::import::{Control, Input, Options};
use cspulse_engine::model::{Data, Outcome};
use cspulse_engine::store::overlap::{BatchOverlap, TableOverlap};
use cspulse_engine::store::{ImportedBatch, Overlap, Store};
use cspulse_engine::{Kind, Month};
use std::path::PathBuf;
use tempfile::TempDir;

use crate::fixture::{close, kpis};

struct Db {
    dir: TempDir,
    store: Store,
}

impl Db {
    fn new() -> Db {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("cs.db")).unwrap();
        Db { dir, store }
    }

    fn file(&self, name: &str, content: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, content).unwrap();
        p
    }

    fn opts(overlap: Overlap) -> Options {
        Options {
            overlap,
            ..Options::default()
        }
    }

    /// What importing `content` would do, nothing written.
    fn preview(&self, name: &str, content: &str, overlap: Overlap) -> Vec<TableOverlap> {
        let p = self.file(name, content);
        self.store
            .overlaps(
                &p,
                Input::File(p.clone()),
                &Db::opts(overlap),
                &Control::default(),
                overlap,
            )
            .unwrap()
    }

    fn import(&mut self, name: &str, content: &str, overlap: Overlap) -> ImportedBatch {
        let p = self.file(name, content);
        let mut b = self
            .store
            .import_file(&p, &Db::opts(overlap), false)
            .unwrap();
        assert_eq!(b.len(), 1, "{name} is one batch");
        b.remove(0)
    }

    fn data(&self) -> Data {
        self.store.load_all().unwrap()
    }

    fn kpi(&self, id: &str, month: &str) -> Option<f64> {
        let data = self.store.load(Month::parse(month).unwrap()).unwrap();
        kpis(&data, month).value(id)
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Stage {
    /// After the first round only (and again after undoing the second).
    First,
    /// After the second round, superseding.
    Superseded,
    /// After the second round, imported with `add`.
    Added,
}

/// Imports `r1` then `r2` (superseding) and checks each stage, undoes `r2` and checks the
/// first stage again; then, in a new database, imports `r2` with `add`. Answers the second
/// round's overlaps (as the preview told them, and as the import did).
fn rounds(
    kind: Kind,
    r1: &str,
    r2: &str,
    check: impl Fn(&Db, Stage),
) -> (Vec<BatchOverlap>, Vec<BatchOverlap>) {
    let mut db = Db::new();
    let first = db.import("round1.csv", r1, Overlap::Supersede);
    assert_eq!(first.batch.kind, kind);
    assert!(first.overlaps.is_empty(), "nothing earlier to overlap");
    check(&db, Stage::First);
    let preview = db.preview("round2.csv", r2, Overlap::Supersede);
    assert_eq!(preview.len(), 1);
    assert_eq!(preview[0].overlap, Overlap::Supersede);
    let second = db.import("round2.csv", r2, Overlap::Supersede);
    assert_eq!(second.batch.overlap, Overlap::Supersede);
    check(&db, Stage::Superseded);
    // the lineage: the first round's rows that are superseded now
    let superseded: i64 = second.overlaps.iter().map(|o| o.rows as i64).sum();
    let listed = db.store.batches().unwrap();
    assert_eq!(listed[0].superseded_rows, superseded, "{kind}: lineage");
    assert_eq!(listed[1].superseded_rows, 0);
    db.store.undo(second.batch.batch_id).unwrap();
    check(&db, Stage::First);
    assert_eq!(db.store.batches().unwrap()[0].superseded_rows, 0);

    let mut db = Db::new();
    db.import("round1.csv", r1, Overlap::Supersede);
    let added = db.import("round2.csv", r2, Overlap::Add);
    assert_eq!(added.batch.overlap, Overlap::Add);
    let counts = |o: &[BatchOverlap]| -> Vec<(i64, u64, u64)> {
        o.iter().map(|o| (o.batch_id, o.rows, o.changed)).collect()
    };
    assert_eq!(
        counts(&added.overlaps),
        counts(&second.overlaps),
        "the overlap is told whatever is chosen"
    );
    check(&db, Stage::Added);
    assert!(db
        .store
        .batches()
        .unwrap()
        .iter()
        .all(|b| b.superseded_rows == 0));
    (preview[0].overlaps.clone(), second.overlaps)
}

/// One earlier batch overlapped: its rows and changed rows.
fn told(overlaps: &(Vec<BatchOverlap>, Vec<BatchOverlap>), rows: u64, changed: u64) {
    let (preview, imported) = overlaps;
    assert_eq!(preview, imported, "the preview tells what the import does");
    assert_eq!(imported.len(), 1, "{imported:?}");
    assert_eq!(
        (
            imported[0].file.as_str(),
            imported[0].rows,
            imported[0].changed
        ),
        ("round1.csv", rows, changed)
    );
}

fn sorted<T: PartialOrd>(mut v: Vec<T>) -> Vec<T> {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v
}

#[test]
fn accounts_later_lists_update_and_leave_the_others() {
    let r1 = "account_id,name,segment\nA1,Alpha,SMB\nA2,Beta,SMB\nA3,Gamma,Mid\n";
    let r2 = "account_id,name,segment\nA1,Alpha,Enterprise\nA4,Delta,SMB\n";
    let mut db = Db::new();
    db.import("round1.csv", r1, Overlap::Supersede);
    let segments = |db: &Db| {
        let mut v: Vec<(String, String)> = db
            .data()
            .accounts
            .into_iter()
            .map(|a| (a.account_id, a.segment.unwrap_or_default()))
            .collect();
        v.sort();
        v
    };
    let first = vec![
        ("A1".into(), "SMB".into()),
        ("A2".into(), "SMB".into()),
        ("A3".into(), "Mid".into()),
    ];
    assert_eq!(segments(&db), first);
    let second = db.import("round2.csv", r2, Overlap::Supersede);
    assert_eq!(second.overlaps.len(), 1);
    assert_eq!(
        (second.overlaps[0].rows, second.overlaps[0].changed),
        (1, 1)
    );
    assert_eq!(
        segments(&db),
        [
            ("A1".into(), "Enterprise".into()),
            ("A2".into(), "SMB".into()),
            ("A3".into(), "Mid".into()),
            ("A4".into(), "SMB".into())
        ]
    );
    db.store.undo(second.batch.batch_id).unwrap();
    assert_eq!(segments(&db), first);
    // accounts are one record per customer: "add" does not apply
    let p = db.file("round2b.csv", r2);
    let e = db
        .store
        .import_file(&p, &Db::opts(Overlap::Add), false)
        .unwrap_err();
    assert_eq!(e.code(), "overlap_add_accounts");
    assert!(db.store.batches().unwrap().len() == 1, "nothing written");
}

#[test]
fn revenue_account_months_are_replaced_and_rows_of_one_file_add_up() {
    let r1 = "account_id,month,mrr\nA1,2026-08,100\nA1,2026-09,100\nA2,2026-09,50\n";
    // two product lines of A1 in September (one file: summed), and October
    let r2 = "account_id,month,mrr\nA1,2026-09,120\nA1,2026-09,30\nA1,2026-10,110\n";
    let told_ = rounds(Kind::Revenue, r1, r2, |db, stage| {
        let (aug, sep, oct) = match stage {
            Stage::First => (100.0, 150.0, None),
            Stage::Superseded => (100.0, 200.0, Some(110.0)),
            Stage::Added => (100.0, 300.0, Some(110.0)),
        };
        assert!(close(db.kpi("mrr", "2026-08").unwrap(), aug), "{stage:?}");
        assert!(close(db.kpi("mrr", "2026-09").unwrap(), sep), "{stage:?}");
        let data = db.data();
        let oct_rows: f64 = data
            .revenue
            .iter()
            .filter(|r| r.month.to_string() == "2026-10")
            .map(|r| r.mrr)
            .sum();
        assert_eq!(oct.is_some(), oct_rows > 0.0, "{stage:?}");
        if let Some(o) = oct {
            assert!(close(oct_rows, o));
        }
    });
    // A1's September row: 100 before, 150 now
    told(&told_, 1, 1);
}

#[test]
fn renewals_by_account_and_due_date() {
    let r1 =
        "account_id,due_date,outcome,amount\nA1,2026-09-30,open,1200\nA2,2026-09-15,renewed,600\n";
    let r2 = "account_id,due_date,outcome,amount\nA1,2026-09-30,churned,1200\n";
    let told_ = rounds(Kind::Renewals, r1, r2, |db, stage| {
        let mut got: Vec<(String, String)> = db
            .data()
            .renewals
            .into_iter()
            .map(|r| (r.account_id, format!("{:?}", r.outcome)))
            .collect();
        got.sort();
        let want: Vec<(&str, Outcome)> = match stage {
            Stage::First => vec![("A1", Outcome::Open), ("A2", Outcome::Renewed)],
            Stage::Superseded => vec![("A1", Outcome::Churned), ("A2", Outcome::Renewed)],
            Stage::Added => vec![
                ("A1", Outcome::Churned),
                ("A1", Outcome::Open),
                ("A2", Outcome::Renewed),
            ],
        };
        let want: Vec<(String, String)> = want
            .into_iter()
            .map(|(a, o)| (a.to_owned(), format!("{o:?}")))
            .collect();
        assert_eq!(got, want, "{stage:?}");
    });
    told(&told_, 1, 1);
}

#[test]
fn surveys_by_response_id_and_by_period_without_one() {
    // with ids; without: Sep 1 and Sep 20
    let r1 = "response_id,account_id,date,nps\nR-1,A1,2026-09-05,9\nR-2,A2,2026-09-10,3\n,,2026-09-01,10\n,,2026-09-20,0\n";
    // R-2 again (changed); without ids: Sep 10 .. Sep 25, which covers Sep 20 (not Sep 1)
    // and R-2's date: a row with an id is never superseded by the period
    let r2 =
        "response_id,account_id,date,nps\nR-2,A2,2026-09-10,8\n,,2026-09-10,7\n,,2026-09-25,6\n";
    let told_ = rounds(Kind::Surveys, r1, r2, |db, stage| {
        let got = sorted(db.data().surveys.iter().map(|s| s.nps.unwrap()).collect());
        let want = match stage {
            Stage::First => vec![0, 3, 9, 10],
            Stage::Superseded => vec![6, 7, 8, 9, 10],
            Stage::Added => vec![0, 3, 6, 7, 8, 9, 10],
        };
        assert_eq!(got, want, "{stage:?}");
    });
    // R-2 (changed) and the Sep 20 response (no identical one in round 2)
    told(&told_, 2, 2);
}

#[test]
fn tickets_by_ticket_id() {
    let r1 = "ticket_id,account_id,created_at,resolved_at\nT1,A1,2026-09-01 10:00,2026-09-02 10:00\nT2,A2,2026-09-03 10:00,\n";
    let r2 = "ticket_id,account_id,created_at,resolved_at\nT2,A2,2026-09-03 10:00,2026-09-05 12:00\nT3,A1,2026-09-20 09:00,\n";
    let told_ = rounds(Kind::Tickets, r1, r2, |db, stage| {
        let data = db.data();
        let resolved = data
            .tickets
            .iter()
            .filter(|t| t.resolved_at.is_some())
            .count();
        let want = match stage {
            Stage::First => (2, 1),
            Stage::Superseded => (3, 2),
            Stage::Added => (4, 2),
        };
        assert_eq!((data.tickets.len(), resolved), want, "{stage:?}");
        assert_eq!(
            db.kpi("tickets_created", "2026-09"),
            Some(want.0 as f64),
            "{stage:?}"
        );
    });
    told(&told_, 1, 1);
}

#[test]
fn usage_rows_within_the_later_period_are_replaced() {
    let r1 = "account_id,user_id,date,session_seconds\nA1,u1,2026-08-31 10:00:00,60\nA1,u1,2026-09-01 10:00:00,60\nA1,u2,2026-09-15 10:00:00,60\nA1,u1,2026-09-30 17:00:00,60\n";
    // Sep 30 (complete now) .. Oct 1
    let r2 = "account_id,user_id,date,session_seconds\nA1,u1,2026-09-30 17:00:00,60\nA1,u1,2026-09-30 20:00:00,60\nA2,u3,2026-10-01 09:00:00,60\n";
    let told_ = rounds(Kind::Usage, r1, r2, |db, stage| {
        let data = db.data();
        let mut got: Vec<String> = data
            .usage
            .iter()
            .map(|u| format!("{} {}", u.date, u.user_id))
            .collect();
        got.sort();
        let want: &[&str] = match stage {
            Stage::First => &[
                "2026-08-31 u1",
                "2026-09-01 u1",
                "2026-09-15 u2",
                "2026-09-30 u1",
            ],
            Stage::Superseded => &[
                "2026-08-31 u1",
                "2026-09-01 u1",
                "2026-09-15 u2",
                "2026-09-30 u1",
                "2026-09-30 u1",
                "2026-10-01 u3",
            ],
            Stage::Added => &[
                "2026-08-31 u1",
                "2026-09-01 u1",
                "2026-09-15 u2",
                "2026-09-30 u1",
                "2026-09-30 u1",
                "2026-09-30 u1",
                "2026-10-01 u3",
            ],
        };
        assert_eq!(got, want, "{stage:?}");
        // the month's load (usage of M-1..M, scanned) reads the same rows
        let sep = db.store.load(Month::parse("2026-09").unwrap()).unwrap();
        let in_sep = data
            .usage
            .iter()
            .filter(|u| u.date.to_string().starts_with("2026-0"))
            .count();
        assert_eq!(sep.usage.len(), in_sep, "{stage:?}");
    });
    // Sep 30, 17:00: the same row again
    told(&told_, 1, 0);
}

#[test]
fn touchpoints_within_the_later_period_are_replaced() {
    let r1 = "account_id,date,type\nA1,2026-09-01,call\nA1,2026-09-10,meeting\nA1,2026-09-10,meeting\nA2,2026-09-20,qbr\n";
    let r2 = "account_id,date,type\nA1,2026-09-10,meeting\nA2,2026-10-02,qbr\n";
    let told_ = rounds(Kind::Touchpoints, r1, r2, |db, stage| {
        let want = match stage {
            Stage::First => (4, 4),
            Stage::Superseded => (3, 2),
            Stage::Added => (6, 5),
        };
        let data = db.data();
        let sep = data
            .touchpoints
            .iter()
            .filter(|t| t.date.to_string().starts_with("2026-09"))
            .count();
        assert_eq!((data.touchpoints.len(), sep), want, "{stage:?}");
        assert_eq!(db.kpi("touchpoints", "2026-09"), Some(want.1 as f64));
    });
    // Sep 10 twice (one of them is in round 2) and Sep 20
    told(&told_, 3, 2);
}

#[test]
fn campaigns_by_date_channel_and_name() {
    let r1 = "date,channel,name,sent,opened\n2026-09-01,email,News 1,100,20\n2026-09-08,email,News 2,100,10\n";
    let r2 = "date,channel,name,sent,opened\n2026-09-08,email,News 2,100,30\n2026-09-15,email,News 3,200,50\n";
    let told_ = rounds(Kind::Campaigns, r1, r2, |db, stage| {
        let got = sorted(
            db.data()
                .campaigns
                .iter()
                .map(|c| c.opened.unwrap())
                .collect(),
        );
        let want = match stage {
            Stage::First => vec![10.0, 20.0],
            Stage::Superseded => vec![20.0, 30.0, 50.0],
            Stage::Added => vec![10.0, 20.0, 30.0, 50.0],
        };
        assert_eq!(got, want, "{stage:?}");
    });
    told(&told_, 1, 1);
}

#[test]
fn costs_by_month_type_and_category_and_rows_of_one_file_add_up() {
    let r1 =
        "month,type,category,amount\n2026-09,retention,Team,1000\n2026-09,acquisition,Ads,500\n";
    // two invoices of one category in one file: 1100
    let r2 = "month,type,category,amount\n2026-09,retention,Team,600\n2026-09,retention,Team,500\n2026-10,retention,Team,1000\n";
    let told_ = rounds(Kind::Costs, r1, r2, |db, stage| {
        let sep: f64 = db
            .data()
            .costs
            .iter()
            .filter(|c| c.month.to_string() == "2026-09")
            .map(|c| c.amount)
            .sum();
        let want = match stage {
            Stage::First => 1500.0,
            Stage::Superseded => 1600.0,
            Stage::Added => 2600.0,
        };
        assert!(close(sep, want), "{stage:?}: {sep}");
    });
    told(&told_, 1, 1);
}

#[test]
fn leads_by_lead_id() {
    let r1 = "lead_id,created_date,converted_date\nL1,2026-09-01,\nL2,2026-09-02,\n";
    let r2 = "lead_id,created_date,converted_date\nL2,2026-09-02,2026-10-05\nL3,2026-10-01,\n";
    let told_ = rounds(Kind::Leads, r1, r2, |db, stage| {
        let data = db.data();
        let converted = data
            .leads
            .iter()
            .filter(|l| l.converted_date.is_some())
            .count();
        let want = match stage {
            Stage::First => (2, 0),
            Stage::Superseded => (3, 1),
            Stage::Added => (4, 1),
        };
        assert_eq!((data.leads.len(), converted), want, "{stage:?}");
    });
    told(&told_, 1, 1);
}

#[test]
fn orders_by_order_id() {
    let r1 = "order_id,account_id,date,amount\nO1,A1,2026-09-01,100\nO2,A2,2026-09-02,200\n";
    let r2 = "order_id,account_id,date,amount\nO2,A2,2026-09-02,250\nO3,A1,2026-10-01,300\n";
    let told_ = rounds(Kind::Orders, r1, r2, |db, stage| {
        let got = sorted(db.data().orders.iter().map(|o| o.amount).collect());
        let want = match stage {
            Stage::First => vec![100.0, 200.0],
            Stage::Superseded => vec![100.0, 250.0, 300.0],
            Stage::Added => vec![100.0, 200.0, 250.0, 300.0],
        };
        assert_eq!(got, want, "{stage:?}");
    });
    told(&told_, 1, 1);
}

#[test]
fn three_rounds_undo_the_middle_one_and_the_oldest_counts_again() {
    let mut db = Db::new();
    let rev = |mrr: u32| format!("account_id,month,mrr\nA1,2026-09,{mrr}\n");
    db.import("r1.csv", &rev(100), Overlap::Supersede);
    let b2 = db.import("r2.csv", &rev(200), Overlap::Supersede);
    let b3 = db.import("r3.csv", &rev(300), Overlap::Supersede);
    // only the effective rows are overlapped: round 3 replaces round 2's, not round 1's
    assert_eq!(b3.overlaps.len(), 1);
    assert_eq!(b3.overlaps[0].batch_id, b2.batch.batch_id);
    assert_eq!(db.kpi("mrr", "2026-09"), Some(300.0));
    db.store.undo(b2.batch.batch_id).unwrap();
    assert_eq!(db.kpi("mrr", "2026-09"), Some(300.0));
    db.store.undo(b3.batch.batch_id).unwrap();
    assert_eq!(db.kpi("mrr", "2026-09"), Some(100.0));
    db.store.take_back(&[b2.batch.batch_id]).unwrap();
    assert_eq!(db.kpi("mrr", "2026-09"), Some(200.0));
}

#[test]
fn the_data_browser_shows_superseded_rows_only_on_request_and_marks_them() {
    let mut db = Db::new();
    let r1 = db.import(
        "r1.csv",
        "account_id,user_id,date\nA1,u1,2026-09-01\nA1,u1,2026-09-30\nA1,u2,2026-10-01\n",
        Overlap::Supersede,
    );
    db.import(
        "r2.csv",
        "account_id,user_id,date\nA1,u1,2026-09-30\nA1,u3,2026-10-02\n",
        Overlap::Supersede,
    );
    let usage = browse::datasets(&db.store)
        .unwrap()
        .into_iter()
        .find(|d| d.kind == Kind::Usage)
        .unwrap();
    assert_eq!((usage.rows, usage.superseded_rows), (3, 2));
    assert_eq!(usage.batches[0].superseded, 2);
    let view = browse::open(&db.store, Kind::Usage, &Query::default()).unwrap();
    assert_eq!(view.total(), 3);
    let page = browse::page(&db.store, &view, 0, 100).unwrap();
    assert!(page.rows.iter().all(|r| !r.superseded));
    let all = Query {
        superseded: true,
        ..Query::default()
    };
    let view = browse::open(&db.store, Kind::Usage, &all).unwrap();
    assert_eq!(view.total(), 5);
    let page = browse::page(&db.store, &view, 0, 100).unwrap();
    let marked: Vec<bool> = page.rows.iter().map(|r| r.superseded).collect();
    assert_eq!(marked, [false, true, true, false, false]);
    // by key, too (a small table), filtered to the first batch
    let mut db2 = Db::new();
    db2.import(
        "t1.csv",
        "ticket_id,created_at\nT1,2026-09-01\nT2,2026-09-02\n",
        Overlap::Supersede,
    );
    db2.import(
        "t2.csv",
        "ticket_id,created_at\nT2,2026-09-02\n",
        Overlap::Supersede,
    );
    let q = Query {
        superseded: true,
        batch: Some(db2.store.batches().unwrap()[0].batch_id),
        ..Query::default()
    };
    let view = browse::open(&db2.store, Kind::Tickets, &q).unwrap();
    let page = browse::page(&db2.store, &view, 0, 100).unwrap();
    let marked: Vec<bool> = page.rows.iter().map(|r| r.superseded).collect();
    assert_eq!(marked, [false, true]);
    let _ = r1;
}

#[test]
fn the_sample_company_and_the_users_files_never_supersede_each_other() {
    use cspulse_engine::demo::{self, DemoOptions};
    let mut db = Db::new();
    demo::load(&mut db.store, &DemoOptions::default()).unwrap();
    let before = db.data();
    let sample_rows = before.usage.len();
    assert!(before
        .accounts
        .iter()
        .all(|a| a.account_id.starts_with("DEMO-")));
    // a user's usage file over the whole sample period
    let b = db.import(
        "usage.csv",
        "account_id,user_id,date\nK-1,u1,2020-01-01\nK-1,u1,2030-12-31\n",
        Overlap::Supersede,
    );
    assert!(b.overlaps.is_empty(), "{:?}", b.overlaps);
    assert_eq!(db.data().usage.len(), sample_rows + 2);
}

#[test]
fn the_reports_lineage_shows_each_batchs_overlap_mode_and_superseded_rows() {
    use calamine::{Data as Cell, Reader, Xlsx};
    let mut db = Db::new();
    db.import(
        "a.csv",
        "account_id,name\nA1,Alpha\nA2,Beta\n",
        Overlap::Supersede,
    );
    db.import(
        "mrr_1.csv",
        "account_id,month,mrr\nA1,2026-09,100\nA2,2026-09,50\n",
        Overlap::Supersede,
    );
    db.import(
        "mrr_2.csv",
        "account_id,month,mrr\nA1,2026-09,120\n",
        Overlap::Supersede,
    );
    db.import(
        "mrr_3.csv",
        "account_id,month,mrr\nA2,2026-09,5\n",
        Overlap::Add,
    );
    let out = db.dir.path().join("report.xlsx");
    cspulse_engine::report::write_file(&db.store, None, cspulse_engine::Lang::En, &out).unwrap();
    let mut wb: Xlsx<_> = calamine::open_workbook(&out).unwrap();
    let name = wb
        .sheet_names()
        .into_iter()
        .find(|n| n.contains("ineage"))
        .expect("a lineage sheet");
    let r = wb.worksheet_range(&name).unwrap();
    let text = |row: u32, col: u32| match r.get_value((row, col)) {
        Some(Cell::String(s)) => s.clone(),
        Some(Cell::Float(f)) => f.to_string(),
        Some(Cell::Int(i)) => i.to_string(),
        other => format!("{other:?}"),
    };
    let (start, _) = r.start().unwrap();
    let header = (start..=r.end().unwrap().0)
        .find(|&row| text(row, 0) == "Batch")
        .expect("the header row");
    assert_eq!(text(header, 10), "Overlap with earlier imports");
    assert_eq!(text(header, 11), "Rows superseded by later imports");
    let by_file: Vec<(String, String, String)> = (header + 1..=r.end().unwrap().0)
        .map(|row| (text(row, 1), text(row, 10), text(row, 11)))
        .collect();
    // mrr_1's A1 September row is superseded by mrr_2; mrr_3 was added
    for want in [
        ("a.csv", "newer values used", "0"),
        ("mrr_1.csv", "newer values used", "1"),
        ("mrr_2.csv", "newer values used", "0"),
        ("mrr_3.csv", "added", "0"),
    ] {
        let want = (want.0.to_owned(), want.1.to_owned(), want.2.to_owned());
        assert!(by_file.contains(&want), "{want:?} in {by_file:?}");
    }
}
