//! Regressions found in review, one test each, named after the bug.

use cspulse_engine::import::convert::Value;
use cspulse_engine::import::{prepare, prepare_all, Options};
use cspulse_engine::score::{combine, Components};
use cspulse_engine::store::Store;
use cspulse_engine::Settings;
use rust_xlsxwriter::Workbook;
use std::path::Path;

fn csv(name: &str, text: &str) -> Vec<cspulse_engine::import::Prepared> {
    prepare(Path::new(name), text.as_bytes(), &Options::default()).unwrap()
}

// See: review finding 6, a weight of 1e308 turned every score into NaN, classed red.
#[test]
fn huge_weights_are_refused_and_a_non_finite_score_is_no_score() {
    let mut s = Settings::default();
    assert!(
        s.set("weight.usage", "1e308").is_err(),
        "weights are capped"
    );
    s.weights[0] = f64::MAX;
    s.weights[1] = f64::MAX;
    let c = Components {
        usage: Some(50.0),
        adoption: Some(50.0),
        ..Components::default()
    };
    assert_eq!(
        combine(&c, &s),
        None,
        "an overflowing mean is no score, not NaN"
    );
}

// See: review finding 4, a negative accounts.mrr made the company score 2285.
#[test]
fn negative_amounts_are_rejected_where_they_cannot_be() {
    let p = csv("a.csv", "account_id,mrr\nA1,-99\nA2,100\n");
    assert_eq!(p[0].rows.len(), 1, "the negative MRR row is skipped");
    assert!(p[0].issues[0].reason.contains("range"), "{:?}", p[0].issues);
    let r = csv("r.csv", "account_id,month,mrr\nA1,2026-10,-50\n");
    assert_eq!(r[0].rows.len(), 1, "revenue may carry credits");
}

// See: review finding 5, "1,500" in a comma-separated file became 1.5.
#[test]
fn a_lone_thousands_comma_in_a_comma_separated_file_is_a_thousand() {
    let p = csv("r.csv", "account_id,month,mrr\nA1,2026-10,\"1,500\"\n");
    assert_eq!(p[0].rows[0].1[2], Value::Real(1500.0));
}

// See: review finding 7, ambiguous 03/04/2026 in a German (;) file was read month-first.
#[test]
fn ambiguous_slash_dates_in_a_semicolon_file_are_day_first() {
    let p = csv("t.csv", "account_id;date\nA1;03/04/2026\n");
    assert_eq!(p[0].rows[0].1[1], Value::Text("2026-04-03".into()));
}

// See: review finding 1, a date cell of -1e300 made calamine panic.
#[test]
fn a_date_cell_far_outside_excels_range_is_an_issue_not_a_crash() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    ws.write(0, 0, "account_id").unwrap();
    ws.write(0, 1, "start_date").unwrap();
    ws.write(1, 0, "A1").unwrap();
    ws.write_number_with_format(1, 1, -1e300, &date).unwrap();
    ws.write(2, 0, "A2").unwrap();
    ws.write_number_with_format(2, 1, 46326.0, &date).unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let p = prepare(Path::new("a.xlsx"), &bytes, &Options::default()).unwrap();
    assert_eq!(p[0].rows.len(), 1);
    assert_eq!(p[0].issues[0].row, 2, "{:?}", p[0].issues);
}

// See: review finding 12, a sheet that was not recognised vanished without a word.
#[test]
fn sheets_that_are_not_imported_are_listed() {
    let mut wb = Workbook::new();
    let a = wb.add_worksheet().set_name("Kunden").unwrap();
    a.write(0, 0, "account_id").unwrap();
    a.write(1, 0, "A1").unwrap();
    let b = wb.add_worksheet().set_name("Notizen").unwrap();
    b.write(0, 0, "Ticket").unwrap();
    b.write(0, 1, "Agent").unwrap();
    b.write(1, 0, "x").unwrap();
    b.write(1, 1, "y").unwrap();
    wb.add_worksheet().set_name("Leer").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let (tables, skipped) = prepare_all(Path::new("k.xlsx"), &bytes, &Options::default()).unwrap();
    assert_eq!(tables.len(), 1);
    let names: Vec<(&str, &str)> = skipped
        .iter()
        .map(|s| (s.sheet.as_str(), s.reason.as_str()))
        .collect();
    assert_eq!(
        names,
        [("Notizen", "unknown_kind"), ("Leer", "no_table")],
        "in the workbook's order"
    );
}

// See: review finding 11, with only an accounts list `kpis` said "no data yet".
#[test]
fn an_accounts_list_alone_has_a_latest_month() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("x.db")).unwrap();
    let file = dir.path().join("a.csv");
    std::fs::write(
        &file,
        "account_id,start_date,churn_date,mrr\nA1,2025-01-10,,100\nA2,2025-03-01,2026-02-15,50\n",
    )
    .unwrap();
    store
        .import_file(&file, &Options::default(), false)
        .unwrap();
    assert_eq!(
        store
            .latest_month()
            .unwrap()
            .map(|m| m.to_string())
            .as_deref(),
        Some("2026-02")
    );
}
