//! Never the wrong kind in silence (`sources.md` §2): exports of one kind that could pass
//! for another are refused with the candidate kinds (nothing written), and imported as
//! what the user says they are; notes sheets are left out.

use cspulse_engine::import::{self, Input, Options};
use cspulse_engine::store::Store;
use cspulse_engine::{Error, Kind, Lang};
use rust_xlsxwriter::Workbook;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

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
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    fn csv(&self, name: &str, content: &str) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, content).unwrap();
        p
    }
    fn import(&mut self, p: &Path, opts: &Options) -> Result<Vec<Kind>, Error> {
        self.store
            .import_file(p, opts, false)
            .map(|b| b.iter().map(|b| b.batch.kind).collect())
    }
}

/// The error of an import refused because its kind is a question: its candidates.
fn candidates(e: &Error) -> Vec<Kind> {
    match e {
        Error::KindUncertain { candidates, .. } => candidates.clone(),
        other => panic!("expected kind_uncertain, got {other:?}"),
    }
}

#[test]
fn a_shops_orders_export_is_not_imported_as_tickets() {
    let mut db = Db::new();
    let p = db.csv(
        "orders_export.csv",
        "Id,Name,Created at,Total,Email,Financial Status\n\
         5012,#1012,2026-10-01 10:15:00,99.90,anna@kunde.example,paid\n\
         5013,#1013,2026-10-02 11:00:00,45.00,ben@firma.example,paid\n\
         5014,#1014,2026-10-03 09:30:00,120.50,anna@kunde.example,refunded\n",
    );
    let e = db.import(&p, &Options::default()).unwrap_err();
    assert_eq!(e.code(), "kind_uncertain");
    assert!(candidates(&e).contains(&Kind::Tickets), "{e:?}");
    let msg = e.message(Lang::En);
    // the engine's own words name no command-line option (the CLI adds `--kind`,
    // tests/cli/monthly.rs; the app its import window)
    assert!(
        msg.contains("support tickets (tickets)") && !msg.contains("--"),
        "{msg}"
    );
    assert!(e.message(Lang::De).contains("Support-Tickets (tickets)"));
    assert!(db.store.batches().unwrap().is_empty(), "nothing written");
    // as what the user says it is
    let opts = Options {
        kind: Some(Kind::Orders),
        map: vec![
            "order_id=Id".into(),
            "account_id=Email".into(),
            "date=Created at".into(),
            "amount=Total".into(),
        ],
        ..Options::default()
    };
    assert_eq!(db.import(&p, &opts).unwrap(), [Kind::Orders]);
    assert_eq!(db.store.load_all().unwrap().orders.len(), 3);
}

#[test]
fn an_invoice_export_is_not_an_empty_leads_batch() {
    let mut db = Db::new();
    // generic headers only: Id, Created, Amount, Status
    let p = db.csv(
        "invoices.csv",
        "Id,Created,Customer,Amount,Status\n\
         in_1Q2w3E,1790000000,cus_A1,1200.00,paid\n\
         in_4R5t6Z,1790100000,cus_B2,300.00,void\n",
    );
    let e = db.import(&p, &Options::default()).unwrap_err();
    let c = candidates(&e);
    assert!(
        c.contains(&Kind::Leads) && c.contains(&Kind::Tickets),
        "{c:?}"
    );
    // a specific header, but values that are no dates: still a question
    let p = db.csv(
        "invoices2.csv",
        "Lead ID,Created\nin_1Q2w3E,1790000000x\nin_4R5t6Z,1790100000x\nin_7U8i9O,1790200000x\n",
    );
    let e = db.import(&p, &Options::default()).unwrap_err();
    assert_eq!(candidates(&e), [Kind::Leads]);
    assert!(db.store.batches().unwrap().is_empty());
}

/// The billing exports of `tests/fixtures/tools` (Stripe, Chargebee): invoice and subscription
/// lines, whose customers are not an accounts list and whose amounts are not MRR as they
/// stand (`sources.md` §5). They were once imported silently as accounts; they are revenue
/// derived from their lines (`tests/engine/billing.rs` checks the numbers).
#[test]
fn billing_exports_are_revenue_from_their_lines_never_an_accounts_list() {
    let tools = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/tools");
    for rel in [
        "stripe/Stripe_invoice_line_items.csv",
        "stripe/Stripe_subscriptions.csv",
        "stripe/Stripe_invoices.csv",
        "chargebee/Chargebee_invoices.csv",
    ] {
        let mut db = Db::new();
        assert_eq!(
            db.import(&tools.join(rel), &Options::default()).unwrap(),
            [Kind::Revenue],
            "{rel}"
        );
        let b = db.store.batches().unwrap();
        assert!(
            !db.store.billing_lines(b[0].batch_id).unwrap().is_empty(),
            "{rel}: the lines kept"
        );
    }
    // a billing export whose customer column cannot be told is a question, never a guess,
    // and the question says what the file is and why, in both languages
    let mut db = Db::new();
    let p = db.csv(
        "positions.csv",
        "Name,Period Start,Period End,Amount\nGrowth plan,2026-10-01,2026-11-01,1200\nStarter,2026-10-01,2026-11-01,450\n",
    );
    let e = db.import(&p, &Options::default()).unwrap_err();
    assert!(
        ["kind_uncertain", "unknown_kind"].contains(&e.code()),
        "{e:?}"
    );
    assert!(db.store.batches().unwrap().is_empty(), "nothing written");
    if e.code() == "kind_uncertain" {
        let en = e.message(Lang::En);
        assert!(en.contains("looks like a billing export"), "{en}");
        assert!(en.contains("not MRR as they stand"), "{en}");
        let de = e.message(Lang::De);
        assert!(de.contains("Abrechnungsexport"), "{de}");
    }
    // an accounts list with a contract period and its value stays an accounts list
    let mut db = Db::new();
    let p = db.csv(
        "accounts.csv",
        "Kundennummer,Firmenname,Kunde seit,Segment\nK-1,Alpha GmbH,2024-01-01,SMB\nK-2,Beta AG,2025-03-01,Enterprise\n",
    );
    assert_eq!(
        db.import(&p, &Options::default()).unwrap(),
        [Kind::Accounts]
    );
}

/// A controller's sheet: a title, one column per month (names without the year, which
/// stands in the title), subtotal rows per segment and a grand total.
fn controller_sheet(path: &Path) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("MRR 2026").unwrap();
    ws.write_string(0, 0, "MRR nach Kunden 2026 (Controlling)")
        .unwrap();
    let months = [
        "Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez",
    ];
    let mut header = vec!["Kundennummer", "Kunde", "Segment"];
    header.extend(months);
    header.push("Summe");
    for (c, h) in header.iter().enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    let rows = [
        ("K-1001", "Nordwind GmbH", "SMB", 100.0),
        ("K-1002", "Südlicht AG", "SMB", 200.0),
        ("", "Summe SMB", "", 300.0),
        ("K-1003", "Ostwerk KG", "Enterprise", 1000.0),
        ("", "Summe Enterprise", "", 1000.0),
        ("", "Gesamt", "", 1300.0),
    ];
    for (i, (id, name, seg, mrr)) in rows.iter().enumerate() {
        let r = 3 + i as u32;
        ws.write_string(r, 0, *id).unwrap();
        ws.write_string(r, 1, *name).unwrap();
        ws.write_string(r, 2, *seg).unwrap();
        for m in 0..12u16 {
            ws.write_number(r, 3 + m, *mrr).unwrap();
        }
        ws.write_number(r, 15, mrr * 12.0).unwrap();
    }
    wb.save(path).unwrap();
}

#[test]
fn a_controllers_wide_mrr_sheet_is_not_imported_as_accounts() {
    let mut db = Db::new();
    let p = db.path("MRR_Controlling_2026.xlsx");
    controller_sheet(&p);
    let e = db.import(&p, &Options::default()).unwrap_err();
    let c = candidates(&e);
    assert_eq!(c.first(), Some(&Kind::Revenue), "{c:?}");
    assert!(c.contains(&Kind::Accounts), "{c:?}");
    assert!(db.store.batches().unwrap().is_empty());
    // the wizard asks the same question instead of showing accounts
    let inspection =
        import::inspect(&p, Input::File(p.clone()), &Options::default(), Lang::De).unwrap();
    let t = &inspection.tables[0];
    assert_eq!(t.kind, None);
    assert_eq!(t.problems[0].code, "kind_uncertain");
    assert_eq!(t.problems[0].kinds, c);
    assert!(
        t.problems[0].message.contains("Umsatz oder Kunden"),
        "{}",
        t.problems[0].message
    );
}

#[test]
fn exports_with_specific_headers_are_still_recognised() {
    let mut db = Db::new();
    let files = [
        (
            "t.csv",
            "Ticket ID,Created at,Organization\nT1,2026-10-01 10:00,K-1\n",
            Kind::Tickets,
        ),
        (
            "o.csv",
            "Order ID,Customer ID,Date,Amount\nO1,K-1,2026-10-01,10\n",
            Kind::Orders,
        ),
        (
            "tp.csv",
            "Kundennummer,Datum,Art\nK-1,01.10.2026,Call\n",
            Kind::Touchpoints,
        ),
        ("n.csv", "Date,NPS\n2026-10-01,9\n", Kind::Surveys),
        (
            "c.csv",
            "Month,Type,Amount\n2026-10,retention,100\n",
            Kind::Costs,
        ),
    ];
    for (name, content, kind) in files {
        let p = db.csv(name, content);
        assert_eq!(
            db.import(&p, &Options::default()).unwrap(),
            [kind],
            "{name}"
        );
    }
}

#[test]
fn a_notes_sheet_is_left_out_and_blocks_nothing() {
    let mut db = Db::new();
    let p = db.path("tickets_mit_hinweisen.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Tickets").unwrap();
    for (c, h) in ["ticket_id", "created_at"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "T1").unwrap();
    ws.write_string(1, 1, "2026-10-01").unwrap();
    let notes = wb.add_worksheet().set_name("Hinweise").unwrap();
    notes.write_string(0, 0, "Hinweise zum Export").unwrap();
    notes
        .write_string(2, 0, "Die Zahlen des laufenden Monats sind vorläufig.")
        .unwrap();
    wb.save(&p).unwrap();
    let inspection =
        import::inspect(&p, Input::File(p.clone()), &Options::default(), Lang::En).unwrap();
    assert_eq!(inspection.tables.len(), 1);
    assert!(inspection.tables[0].problems.is_empty());
    let skipped: Vec<(&str, &str)> = inspection
        .skipped_sheets
        .iter()
        .map(|s| (s.sheet.as_str(), s.reason.as_str()))
        .collect();
    assert_eq!(skipped, [("Hinweise", "no_table")]);
    assert_eq!(db.import(&p, &Options::default()).unwrap(), [Kind::Tickets]);
}

#[test]
fn in_a_workbook_a_sheet_whose_kind_is_a_question_is_skipped_and_named() {
    let mut db = Db::new();
    let p = db.path("export.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Kunden").unwrap();
    for (c, h) in ["account_id", "name"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "K-1").unwrap();
    ws.write_string(1, 1, "Nordwind").unwrap();
    let shop = wb.add_worksheet().set_name("Shop").unwrap();
    for (c, h) in ["Id", "Created at", "Total"].iter().enumerate() {
        shop.write_string(0, c as u16, *h).unwrap();
    }
    shop.write_string(1, 0, "5012").unwrap();
    shop.write_string(1, 1, "2026-10-01 10:00").unwrap();
    shop.write_number(1, 2, 99.9).unwrap();
    wb.save(&p).unwrap();
    let imported = db
        .store
        .import(
            &p,
            Input::File(p.clone()),
            &Options::default(),
            &Default::default(),
            false,
            cspulse_engine::store::Origin::File,
        )
        .unwrap();
    assert_eq!(imported.batches.len(), 1);
    assert_eq!(imported.batches[0].batch.kind, Kind::Accounts);
    let s = &imported.skipped_sheets;
    assert_eq!(s.len(), 1);
    assert_eq!(
        (s[0].sheet.as_str(), s[0].reason.as_str()),
        ("Shop", "kind_uncertain")
    );
    assert_eq!(s[0].candidates, [Kind::Tickets]);
}

#[test]
fn the_wizard_labels_month_columns_with_what_they_become() {
    let db = Db::new();
    let p = db.csv(
        "mrr.csv",
        "Kundennummer;Kunde;Okt 2026;Nov 2026\nK-1;Nordwind;100;110\nK-2;Südlicht;50;50\n",
    );
    let i = import::inspect(&p, Input::File(p.clone()), &Options::default(), Lang::De).unwrap();
    let t = &i.tables[0];
    assert_eq!(t.kind, Some(Kind::Revenue));
    assert_eq!(
        t.column_labels,
        [
            None,
            None,
            Some("Okt 2026 → MRR".to_owned()),
            Some("Nov 2026 → MRR".to_owned())
        ]
    );
    let en = import::inspect(&p, Input::File(p.clone()), &Options::default(), Lang::En).unwrap();
    assert_eq!(
        en.tables[0].column_labels[2].as_deref(),
        Some("Oct 2026 → MRR")
    );
}

#[test]
fn already_imported_is_a_calm_answer_with_the_earlier_batch() {
    let mut db = Db::new();
    let p = db.csv("accounts.csv", "account_id,name\nK-1,Nordwind\n");
    let input = Input::File(p.clone());
    assert!(db
        .store
        .already_imported(&p, &input, None)
        .unwrap()
        .is_none());
    db.import(&p, &Options::default()).unwrap();
    let earlier = db
        .store
        .already_imported(&p, &input, None)
        .unwrap()
        .expect("the earlier batch");
    assert_eq!(earlier.batch_id, 1);
    assert_eq!(earlier.file, "accounts.csv");
    assert!(earlier.imported_at.ends_with('Z'));
    // another file's bytes: not imported
    let q = db.csv("accounts2.csv", "account_id,name\nK-2,Ostwerk\n");
    assert!(db
        .store
        .already_imported(&q, &Input::File(q.clone()), None)
        .unwrap()
        .is_none());
}
