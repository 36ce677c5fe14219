//! Billing exports → MRR (`sources.md` §5), end to end through the store: the tools'
//! fixtures (`tests/fixtures/tools`, `EXPECTED.md` works every number out by hand) imported
//! with no options, the MRR derived from their lines, the lines kept for lineage, and every
//! KPI of October that the fifteen files of the canonical set determine.

use cspulse_engine::import::Options;
use cspulse_engine::kpi;
use cspulse_engine::store::Store;
use cspulse_engine::{score, Kind, Month, Settings};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../../tests/fixtures/tools/{rel}"))
}

fn expected() -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(fixture("expected.json")).unwrap()).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

/// Imports `rel` with no options; its one batch's id.
fn import(store: &mut Store, rel: &str) -> (i64, Kind) {
    let b = store
        .import_file(&fixture(rel), &Options::default(), false)
        .unwrap_or_else(|e| panic!("{rel}: {e:?}"));
    assert_eq!(b.len(), 1, "{rel}: one table");
    (b[0].batch.batch_id, b[0].batch.kind)
}

/// MRR per account and month as the KPIs read it (one revenue batch: its rows, summed).
fn mrr_by_account(db: &Path) -> BTreeMap<(String, String), f64> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT account_id, month, sum(mrr) FROM revenue GROUP BY account_id, month")
        .unwrap();
    let rows = stmt
        .query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<BTreeMap<_, _>>>()
        .unwrap();
    rows
}

/// The Stripe line ids of the invoice-line export by row number (row 1 is the header).
fn stripe_line_ids() -> BTreeMap<u32, String> {
    let mut rd = csv::Reader::from_path(fixture("stripe/Stripe_invoice_line_items.csv")).unwrap();
    let col = rd
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "line_item_id")
        .unwrap();
    rd.records()
        .enumerate()
        .map(|(i, r)| (i as u32 + 2, r.unwrap()[col].to_owned()))
        .collect()
}

#[test]
fn the_canonical_set_gives_every_kpi_of_october_worked_out_by_hand() {
    let e = expected();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cs.db");
    let mut store = Store::open(&db).unwrap();
    let mut stripe = None;
    for f in e["canonical"].as_array().unwrap() {
        let rel = f["file"].as_str().unwrap();
        let (id, kind) = import(&mut store, rel);
        assert_eq!(kind.id(), f["kind"].as_str().unwrap(), "{rel}");
        if rel.starts_with("stripe/") {
            stripe = Some(id);
        }
    }
    // MRR per account and month, Stripe's customer ids resolved to the CRM's accounts
    let got = mrr_by_account(&db);
    for (account, months) in e["mrr_by_account"].as_object().unwrap() {
        for (month, want) in months.as_object().unwrap() {
            let want = want.as_f64().unwrap();
            let have = got
                .get(&(account.clone(), month.clone()))
                .copied()
                .unwrap_or(0.0);
            assert!(close(have, want), "{account} {month}: {have} ≠ {want}");
        }
    }
    assert!(
        got.keys().all(|(a, _)| a.starts_with("0017Q")),
        "every revenue row is linked to a CRM account: {got:?}"
    );
    let s = Settings::default();
    for (month, want) in e["mrr_total"].as_object().unwrap() {
        let m = Month::parse(month).unwrap();
        let data = store.load(m).unwrap();
        let k = kpi::compute(&data, m, &s, &score::compute(&data, m, &s));
        let have = k.value("mrr").unwrap();
        assert!(close(have, want.as_f64().unwrap()), "mrr {month}: {have}");
    }
    // a yearly plan's MRR reaches into 2027; the month to report on is the exports' present
    let m = Month::parse("2026-10").unwrap();
    assert!(got.keys().any(|(_, month)| month.as_str() > "2027"));
    assert_eq!(store.latest_month().unwrap(), Some(m));
    assert_eq!(store.months().unwrap().last(), Some(&m));
    // every KPI the files determine, value and status
    let data = store.load(m).unwrap();
    let k = kpi::compute(&data, m, &s, &score::compute(&data, m, &s));
    let mut checked = 0;
    for (id, want) in e["kpis"].as_object().unwrap() {
        let got = k.get(id).unwrap_or_else(|| panic!("{id}: not computed"));
        let status = serde_json::to_value(got.status).unwrap();
        assert_eq!(status, want["status"], "{id}: {got:?}");
        match want["value"].as_f64() {
            Some(v) => assert!(
                got.value.is_some_and(|g| close(g, v)),
                "{id}: {got:?} ≠ {v}"
            ),
            None => assert_eq!(got.value, None, "{id}"),
        }
        checked += 1;
    }
    assert!(checked >= 60, "{checked} KPIs");

    // lineage: the 36 lines, and exactly the three the file's notes name make no MRR
    let stripe = stripe.unwrap();
    let lines = store.billing_lines(stripe).unwrap();
    assert_eq!(lines.len(), 36);
    let ids = stripe_line_ids();
    let not: BTreeMap<String, String> = lines
        .iter()
        .filter_map(|l| l.not_mrr.clone().map(|w| (ids[&l.row].clone(), w)))
        .collect();
    let mut want_not = BTreeMap::new();
    for (why, list) in e["canonical"][1]["lines_not_mrr"].as_object().unwrap() {
        for id in list.as_array().unwrap() {
            want_not.insert(id.as_str().unwrap().to_owned(), why.clone());
        }
    }
    assert_eq!(not, want_not);
    // the lines that count add up to the batch's MRR, month by month (cents ÷ 100)
    let total: f64 = lines
        .iter()
        .filter_map(|l| l.mrr_per_month.map(|p| p * l.months as f64))
        .sum();
    let rows: f64 = got.values().sum();
    assert!(close(total, rows), "{total} vs {rows}");
    let cafe = lines.iter().find(|l| ids[&l.row] == "il_1Q0009").unwrap();
    assert!(
        cafe.amount.is_some_and(|a| close(a, 390.0)),
        "net of tax, in euros: {cafe:?}"
    );

    // undo takes the derived MRR and the lines with it
    store.undo(stripe).unwrap();
    assert!(store.billing_lines(stripe).is_err());
    let data = store.load(m).unwrap();
    let k = kpi::compute(&data, m, &s, &score::compute(&data, m, &s));
    assert_eq!(k.value("mrr"), None);
}

/// The other billing exports of the same company, each after the accounts alone.
#[test]
fn subscriptions_invoices_and_chargebee_exports_become_mrr_too() {
    let cases: &[(&str, &str, usize, &[&str])] = &[
        // current periods only: monthly plans in their month, yearly ones over twelve
        (
            "stripe/Stripe_subscriptions.csv",
            "Stripe subscriptions",
            10,
            &[],
        ),
        (
            "stripe/Stripe_invoices.csv",
            "Stripe invoices",
            9,
            &["void", "draft"],
        ),
        (
            "chargebee/Chargebee_invoices.csv",
            "Chargebee invoices",
            3,
            &["void", "one_time"],
        ),
    ];
    for &(rel, profile, n, not) in cases {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("cs.db");
        let mut store = Store::open(&db).unwrap();
        import(&mut store, "salesforce/Salesforce_Accounts_formatted.xlsx");
        let b = store
            .import_file(&fixture(rel), &Options::default(), false)
            .unwrap();
        assert_eq!(b[0].batch.kind, Kind::Revenue, "{rel}");
        assert_eq!(b[0].profile.as_deref(), Some(profile), "{rel}");
        let lines = store.billing_lines(b[0].batch.batch_id).unwrap();
        assert_eq!(lines.len(), n, "{rel}");
        let mut whys: Vec<&str> = lines.iter().filter_map(|l| l.not_mrr.as_deref()).collect();
        whys.sort();
        let mut not = not.to_vec();
        not.sort();
        assert_eq!(whys, not, "{rel}");
        let got = mrr_by_account(&db);
        assert!(
            got.keys().all(|(a, _)| a.starts_with("0017Q")),
            "{rel}: every row linked: {got:?}"
        );
        // October, by hand from the files
        let oct = |a: &str| {
            got.get(&(a.to_owned(), "2026-10".to_owned()))
                .copied()
                .unwrap_or(0.0)
        };
        match rel {
            "stripe/Stripe_subscriptions.csv" => {
                // Müller 1,290 (monthly, Oct 1 → Nov 1); Acme 18,000 / 12 (yearly);
                // Café's Amount is its tax-inclusive price (no net column): 468
                assert!(close(oct("0017Q00000MUEL01AA"), 1290.0));
                assert!(close(oct("0017Q00000ACME05AA"), 1500.0));
                assert!(close(oct("0017Q00000CAFE03AA"), 468.0));
            }
            "stripe/Stripe_invoices.csv" => {
                // Subtotal is net: Café 390 (the Total 468 holds 78 of tax)
                assert!(close(oct("0017Q00000CAFE03AA"), 390.0));
                // the void invoice of Quokka is not counted, its re-issue is: once
                assert!(close(oct("0017Q00000QUOK10AA"), 450.0));
            }
            _ => {
                // Tessera by its company name; Quokka's voided invoice and Helios's
                // implementation fee (no service period) make no MRR
                assert!(close(oct("0017Q00000TESS08AA"), 1200.0));
                assert_eq!(oct("0017Q00000QUOK10AA"), 0.0);
                assert_eq!(oct("0017Q00000HELI09AA"), 0.0);
            }
        }
    }
}

/// An unknown tool's billing export (German headers, gross amounts with a tax column, a
/// yearly interval, a credit note): read by its headers, MRR derived.
#[test]
fn an_unknown_tools_billing_export_is_read_by_its_headers() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cs.db");
    let path = dir.path().join("Rechnungspositionen.csv");
    std::fs::write(
        &path,
        "Kundennummer;Rechnungsdatum;Leistungsbeginn;Abrechnungsintervall;Brutto;MwSt;Währung;Status;Art\n\
         K-1;01.10.2026;01.10.2026;monatlich;1.190,00;190,00;EUR;bezahlt;Abo\n\
         K-2;01.08.2026;01.08.2026;jährlich;14.280,00;2.280,00;EUR;bezahlt;Abo\n\
         K-1;05.10.2026;;;119,00;19,00;EUR;bezahlt;Einrichtungsgebühr\n\
         K-3;01.10.2026;01.10.2026;monatlich;595,00;95,00;EUR;storniert;Abo\n\
         K-2;15.10.2026;01.10.2026;monatlich;-119,00;-19,00;EUR;bezahlt;Gutschrift\n",
    )
    .unwrap();
    let mut store = Store::open(&db).unwrap();
    let b = store
        .import_file(&path, &Options::default(), false)
        .unwrap();
    assert_eq!(b[0].batch.kind, Kind::Revenue);
    assert_eq!(b[0].profile, None);
    let got = mrr_by_account(&db);
    let at = |a: &str, m: &str| got.get(&(a.into(), m.into())).copied().unwrap_or(0.0);
    // net = gross − tax: 1,000 a month; 12,000 a year = 1,000 a month for Aug … Jul
    assert!(close(at("K-1", "2026-10"), 1000.0));
    assert!(close(at("K-2", "2026-08"), 1000.0));
    assert!(close(at("K-2", "2027-07"), 1000.0));
    assert_eq!(at("K-2", "2027-08"), 0.0);
    // the credit for October: −100 net
    assert!(close(at("K-2", "2026-10"), 900.0));
    // the set-up fee has no period, the cancelled invoice does not count
    assert_eq!(at("K-3", "2026-10"), 0.0);
    let lines = store.billing_lines(b[0].batch.batch_id).unwrap();
    let whys: Vec<Option<&str>> = lines.iter().map(|l| l.not_mrr.as_deref()).collect();
    assert_eq!(
        whys,
        [None, None, Some("one_time"), Some("void"), None],
        "{lines:?}"
    );
}

/// The wizard's dropdowns on a billing export name which column holds which part: the lines
/// are still lines (periods spread, cents read as cents), with the user's column.
#[test]
fn a_mapping_the_user_chose_still_reads_the_lines() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cs.db");
    let mut store = Store::open(&db).unwrap();
    import(&mut store, "salesforce/Salesforce_Accounts_formatted.xlsx");
    let opts = Options {
        kind: Some(Kind::Revenue),
        map: vec!["mrr=amount".into()],
        ..Options::default()
    };
    let b = store
        .import_file(
            &fixture("stripe/Stripe_invoice_line_items.csv"),
            &opts,
            false,
        )
        .unwrap();
    assert_eq!(b[0].batch.mapping["mrr"], "amount");
    let got = mrr_by_account(&db);
    let oct = |a: &str| got[&(a.to_owned(), "2026-10".to_owned())];
    // the gross amount, as chosen: Café's 468.00 with its tax; Acme's yearly plan still
    // 1,500.00 a month, in euros not cents
    assert!(close(oct("0017Q00000CAFE03AA"), 468.0));
    assert!(close(oct("0017Q00000ACME05AA"), 1500.0));
    assert_eq!(store.billing_lines(b[0].batch.batch_id).unwrap().len(), 36);
}

/// The monthly routine with billing exports: November's export of invoice lines overlaps
/// October's in the account-months both reach; its derived MRR supersedes the older one
/// there (a corrected line: Müller's October plan re-invoiced at 1,390.00), the months only
/// the older export reaches keep their MRR, and undo of November's brings October's back.
#[test]
fn a_newer_billing_export_supersedes_the_account_months_it_reaches() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cs.db");
    let mut store = Store::open(&db).unwrap();
    import(&mut store, "salesforce/Salesforce_Accounts_formatted.xlsx");
    import(&mut store, "stripe/Stripe_invoice_line_items.csv");
    let text = std::fs::read_to_string(fixture("stripe/Stripe_invoice_line_items.csv")).unwrap();
    let header = text.lines().next().unwrap();
    let line = |id: &str| text.lines().find(|l| l.contains(id)).unwrap().to_owned();
    // Müller's October line corrected (139000 ¢) and November's lines of Müller and Nordwind
    let nov = [
        line("il_1Q0027").replace(",129000,129000,", ",139000,139000,"),
        line("il_1Q0027")
            .replace("in_1QM10", "in_1QM11")
            .replace("il_1Q0027", "il_1Q0037")
            .replace(
                "2026-10-01 00:00:00,2026-11-01 00:00:00",
                "2026-11-01 00:00:00,2026-12-01 00:00:00",
            ),
        line("il_1Q0036").replace(",draft,", ",paid,"),
    ];
    assert!(
        nov[1].contains("2026-11-01 00:00:00,2026-12-01"),
        "{}",
        nov[1]
    );
    let file = dir.path().join("Stripe_invoice_line_items_2026-11.csv");
    std::fs::write(&file, format!("{header}\n{}\n", nov.join("\n"))).unwrap();
    let b = store
        .import_file(&file, &Options::default(), false)
        .unwrap();
    let newer = b[0].batch.batch_id;
    let s = Settings::default();
    let mrr = |store: &Store, m: &str| {
        let m = Month::parse(m).unwrap();
        let data = store.load(m).unwrap();
        kpi::compute(&data, m, &s, &score::compute(&data, m, &s))
            .value("mrr")
            .unwrap()
    };
    // October: 11,750.00 with Müller's 1,290.00 replaced by 1,390.00; September untouched
    assert!(
        close(mrr(&store, "2026-10"), 11_850.0),
        "{}",
        mrr(&store, "2026-10")
    );
    assert!(close(mrr(&store, "2026-09"), 10_140.0));
    // November: the newer export's Müller and Nordwind, and the yearly plans of the older
    // one (Acme 1,500.00, Tessera 1,200.00), Schön's line of 10-15 → 11-15 (720.00)
    assert!(
        close(
            mrr(&store, "2026-11"),
            1_290.0 + 2_450.0 + 1_500.0 + 1_200.0 + 720.0
        ),
        "{}",
        mrr(&store, "2026-11")
    );
    assert_eq!(store.latest_month().unwrap(), Month::parse("2026-11"));
    store.undo(newer).unwrap();
    assert!(close(mrr(&store, "2026-10"), 11_750.0));
}
