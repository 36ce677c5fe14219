//! Import of messy real-world exports through the streaming pipeline: wide month columns,
//! title rows and merged cells, totals rows, formula errors, hidden and notes sheets,
//! duplicate and blank headers, late evidence for date order and decimal separator,
//! encodings, delimiters, unclosed quotes and the line numbers a user sees.
//! Every input is made here, in memory.

use cspulse_engine::import::convert::{SlashOrder, Value};
use cspulse_engine::import::{prepare, prepare_all, Options, Prepared};
use cspulse_engine::Kind;
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook, Worksheet};
use std::fmt::Write as _;
use std::path::Path;

use crate::import::{issue_at, mapped, text, val};

fn tables(name: &str, bytes: &[u8], opts: &Options) -> Vec<Prepared> {
    prepare(Path::new(name), bytes, opts)
        .unwrap_or_else(|e| panic!("{name} should import, got {e:?} ({})", e.code()))
}

fn one(name: &str, bytes: &[u8], opts: &Options) -> Prepared {
    let mut t = tables(name, bytes, opts);
    assert_eq!(t.len(), 1, "{name} holds exactly one table");
    t.remove(0)
}

/// (account_id, month, mrr) of every revenue record, in order.
fn revenue(p: &Prepared) -> Vec<(String, String, f64)> {
    assert_eq!(p.kind, Kind::Revenue);
    (0..p.rows.len())
        .map(|i| {
            let id = match val(p, i, "account_id") {
                Value::Text(t) => t,
                v => panic!("account_id is text, got {v:?}"),
            };
            let month = match val(p, i, "month") {
                Value::Text(t) => t,
                v => panic!("month is text, got {v:?}"),
            };
            let mrr = match val(p, i, "mrr") {
                Value::Real(r) => r,
                Value::Int(n) => n as f64,
                v => panic!("mrr is a number, got {v:?}"),
            };
            (id, month, mrr)
        })
        .collect()
}

fn rev(id: &str, month: &str, mrr: f64) -> (String, String, f64) {
    (id.into(), month.into(), mrr)
}

/// An xlsx built by `f` on a fresh workbook.
fn xlsx(f: impl FnOnce(&mut Workbook)) -> Vec<u8> {
    let mut wb = Workbook::new();
    f(&mut wb);
    wb.save_to_buffer().unwrap()
}

/// Writes `rows` from (row, 0); `""` leaves a cell empty, a text that parses as a number
/// is written as a number.
fn put_rows(ws: &mut Worksheet, first_row: u32, rows: &[&[&str]]) {
    for (r, cells) in rows.iter().enumerate() {
        for (c, v) in cells.iter().enumerate() {
            let (r, c) = (first_row + r as u32, c as u16);
            if v.is_empty() {
                continue;
            }
            match v.parse::<f64>() {
                Ok(n) => ws.write_number(r, c, n).unwrap(),
                Err(_) => ws.write_string(r, c, *v).unwrap(),
            };
        }
    }
}

// ---------------------------------------------------------------------------------------
// 1. Wide month columns

const WIDE_DATA: &[&[&str]] = &[
    &["K-1", "100", "200", "300", "600"],
    &["K-2", "50", "", "70", "120"],
    &["K-3", "10", "n/a", "30", "40"],
];

fn assert_wide_jan_to_mar(p: &Prepared, feb_header: &str) {
    assert_eq!(p.kind, Kind::Revenue, "month columns make revenue");
    assert_eq!(
        revenue(p),
        vec![
            rev("K-1", "2026-01", 100.0),
            rev("K-1", "2026-02", 200.0),
            rev("K-1", "2026-03", 300.0),
            rev("K-2", "2026-01", 50.0),
            rev("K-2", "2026-03", 70.0),
        ],
        "one record per non-empty month cell; `Summe` is no month"
    );
    assert_eq!(p.rows[0].0, 2, "records keep the sheet row");
    assert_eq!(p.skipped, 1, "K-3 with `n/a` is skipped");
    assert_eq!(p.issues.len(), 1, "{:#?}", p.issues);
    let i = issue_at(p, 4);
    assert_eq!(i.column, feb_header, "the issue names the month column");
    assert_eq!(i.value, "n/a");
    assert_eq!(i.reason, "not a number");
}

#[test]
fn wide_month_text_headers_unpivot_into_one_revenue_row_per_filled_month() {
    let bytes = xlsx(|wb| {
        let ws = wb.add_worksheet();
        put_rows(
            ws,
            0,
            &[&["Kundennummer", "Jan 2026", "Feb 2026", "Mär 2026", "Summe"]],
        );
        put_rows(ws, 1, WIDE_DATA);
    });
    let p = one("umsatz.xlsx", &bytes, &Options::default());
    assert_wide_jan_to_mar(&p, "Feb 2026");
    assert_eq!(mapped(&p, "account_id"), Some("Kundennummer"));
    assert_eq!(mapped(&p, "month"), Some("Jan 2026 … Mär 2026"));
}

#[test]
fn wide_month_date_cell_headers_unpivot_by_the_cells_month() {
    let bytes = xlsx(|wb| {
        let ws = wb.add_worksheet();
        let fmt = Format::new().set_num_format("mmm yyyy");
        ws.write_string(0, 0, "Kundennummer").unwrap();
        for m in 1..=3u8 {
            let d = ExcelDateTime::from_ymd(2026, m, 1).unwrap();
            ws.write_datetime_with_format(0, m as u16, &d, &fmt)
                .unwrap();
        }
        ws.write_string(0, 4, "Summe").unwrap();
        put_rows(ws, 1, WIDE_DATA);
    });
    let p = one("umsatz.xlsx", &bytes, &Options::default());
    // a date header is shown as the date it holds
    assert_wide_jan_to_mar(&p, "2026-02");
}

#[test]
fn wide_month_csv_with_german_month_abbreviations_and_euro_amounts() {
    let csv = "Kundennummer;Okt. 25;Nov. 25;Summe\n\
               K-1;1.200,50 €;900;2.100,50 €\n\
               K-2;;80,00 €;80\n\
               K-3;n/a;5;5\n";
    let p = one("umsatz.csv", csv.as_bytes(), &Options::default());
    assert_eq!(
        revenue(&p),
        vec![
            rev("K-1", "2025-10", 1200.5),
            rev("K-1", "2025-11", 900.0),
            rev("K-2", "2025-11", 80.0),
        ]
    );
    assert_eq!(p.skipped, 1);
    let i = issue_at(&p, 4);
    assert_eq!((i.column.as_str(), i.value.as_str()), ("Okt. 25", "n/a"));
}

// ---------------------------------------------------------------------------------------
// 2. Title rows, merged title, merged header

#[test]
fn header_is_found_below_title_rows_and_a_merged_header_cell_names_every_column_it_spans() {
    let bytes = xlsx(|wb| {
        let ws = wb.add_worksheet();
        ws.merge_range(0, 0, 0, 3, "Kundenliste – Export März 2026", &Format::new())
            .unwrap();
        ws.write_string(2, 0, "Stand: 31.03.2026").unwrap();
        ws.write_string(3, 0, "Kundennummer").unwrap();
        ws.merge_range(3, 1, 3, 2, "Firma", &Format::new()).unwrap();
        ws.write_string(3, 3, "Lizenzen").unwrap();
        put_rows(
            ws,
            4,
            &[
                &["K-1", "Alpha", "Pro", "10"],
                &["K-2", "Beta", "Basic", "5"],
            ],
        );
    });
    let p = one("kunden.xlsx", &bytes, &Options::default());
    assert_eq!(p.kind, Kind::Accounts);
    assert_eq!(p.header_row, 4, "title, blank and note rows are skipped");
    assert_eq!(mapped(&p, "account_id"), Some("Kundennummer"));
    assert_eq!(mapped(&p, "name"), Some("Firma"));
    assert_eq!(mapped(&p, "seats"), Some("Lizenzen"));
    assert_eq!(p.rows.len(), 2);
    assert_eq!(val(&p, 0, "name"), text("Alpha"));
    assert_eq!(val(&p, 1, "seats"), Value::Int(5));
    assert!(p.issues.is_empty(), "{:#?}", p.issues);

    // the merged header's second column carries the merged text too (`Firma (2)`, not
    // `Column C`): it can be mapped by that name
    let opts = Options {
        map: vec!["plan=Firma (2)".into()],
        ..Options::default()
    };
    let p = one("kunden.xlsx", &bytes, &opts);
    assert_eq!(mapped(&p, "plan"), Some("Firma (2)"));
    assert_eq!(val(&p, 0, "plan"), text("Pro"));
    assert_eq!(val(&p, 1, "plan"), text("Basic"));
}

// ---------------------------------------------------------------------------------------
// 3. Totals rows

#[test]
fn totals_rows_are_skipped_and_reported_but_an_account_called_total_is_kept() {
    let bytes = xlsx(|wb| {
        let ws = wb.add_worksheet();
        ws.set_name("Kunden").unwrap();
        put_rows(
            ws,
            0,
            &[
                &["Kundennummer", "Firma", "MRR"],
                &["K-1", "Alpha", "100"],
                &["K-2", "Total Energies", "200"],
                &["Gesamt", "", "12345"],
            ],
        );
        let ws = wb.add_worksheet();
        ws.set_name("Kunden2").unwrap();
        put_rows(
            ws,
            0,
            &[
                &["Kundennummer", "Firma", "MRR"],
                &["K-5", "Epsilon", "100"],
                &["K-6", "Total Energies", "200"],
                &["", "Summe", "12345"],
            ],
        );
    });
    let t = tables("kunden.xlsx", &bytes, &Options::default());
    assert_eq!(t.len(), 2);
    for (p, column, label) in [(&t[0], "Kundennummer", "Gesamt"), (&t[1], "Firma", "Summe")] {
        assert_eq!(p.kind, Kind::Accounts);
        assert_eq!(p.rows.len(), 2, "{:?}: the two accounts", p.sheet);
        assert_eq!(val(p, 1, "name"), text("Total Energies"));
        assert_eq!(val(p, 1, "mrr"), Value::Real(200.0));
        assert_eq!(
            p.skipped, 1,
            "{:?}: the totals row counts as skipped",
            p.sheet
        );
        assert_eq!(p.issues.len(), 1, "{:#?}", p.issues);
        let i = issue_at(p, 4);
        assert_eq!(i.column, column);
        assert_eq!(i.value, label);
        assert!(i.reason.contains("a totals row"), "{}", i.reason);
    }
}

// ---------------------------------------------------------------------------------------
// 4. Formula cells

fn formula_workbook() -> Vec<u8> {
    xlsx(|wb| {
        let ws = wb.add_worksheet();
        put_rows(
            ws,
            0,
            &[
                &["Kundennummer", "Firma", "Lizenzen"],
                &["K-1", "Alpha"],
                &["K-2", "Beta"],
                &["K-3", "Gamma"],
                &["K-4", "Delta", "7"],
            ],
        );
        ws.write_formula(1, 2, Formula::new("=10*5").set_result("50"))
            .unwrap();
        ws.write_formula(2, 2, Formula::new("=1/0").set_result("#DIV/0!"))
            .unwrap();
        ws.write_formula(3, 2, Formula::new("=NA()").set_result("#N/A"))
            .unwrap();
    })
}

#[test]
fn formula_errors_are_row_issues_and_cached_formula_values_are_used() {
    let p = one("kunden.xlsx", &formula_workbook(), &Options::default());
    assert_eq!(p.rows.len(), 2, "{:#?}", p.issues);
    assert_eq!(val(&p, 0, "account_id"), text("K-1"));
    assert_eq!(val(&p, 0, "seats"), Value::Int(50), "the cached result");
    assert_eq!(val(&p, 1, "account_id"), text("K-4"));
    assert_eq!(p.skipped, 2);
    for row in [3, 4] {
        let i = issue_at(&p, row);
        assert_eq!(i.column, "Lizenzen");
        assert!(i.reason.contains("formula error"), "{}", i.reason);
        assert!(i.value.starts_with('#'), "{}", i.value);
    }
}

#[test]
fn formula_error_issues_show_the_error_as_excel_shows_it() {
    let p = one("kunden.xlsx", &formula_workbook(), &Options::default());
    assert_eq!(issue_at(&p, 3).value, "#DIV/0!");
    assert_eq!(issue_at(&p, 4).value, "#N/A");
}

// ---------------------------------------------------------------------------------------
// 5. Hidden and notes sheets

#[test]
fn hidden_sheets_are_listed_not_imported_unless_chosen_and_notes_sheets_have_no_table() {
    let bytes = xlsx(|wb| {
        let ws = wb.add_worksheet();
        ws.set_name("Hinweise").unwrap();
        ws.write_string(0, 0, "Dieser Export enthält alle aktiven Kunden.")
            .unwrap();
        let ws = wb.add_worksheet();
        ws.set_name("Kunden").unwrap();
        put_rows(ws, 0, &[&["Kundennummer", "Firma"], &["K-1", "Alpha"]]);
        let ws = wb.add_worksheet();
        ws.set_name("Alt").unwrap();
        ws.set_hidden(true);
        put_rows(
            ws,
            0,
            &[
                &["Kundennummer", "Firma"],
                &["X-1", "Old"],
                &["X-2", "Older"],
            ],
        );
    });
    let (t, skipped) = prepare_all(Path::new("mappe.xlsx"), &bytes, &Options::default()).unwrap();
    assert_eq!(t.len(), 1);
    assert_eq!(t[0].sheet.as_deref(), Some("Kunden"));
    assert_eq!(t[0].rows.len(), 1);
    let reason = |name: &str| {
        skipped
            .iter()
            .find(|s| s.sheet == name)
            .map(|s| s.reason.clone())
    };
    assert_eq!(reason("Alt").as_deref(), Some("hidden"), "{skipped:?}");
    assert_eq!(
        reason("Hinweise").as_deref(),
        Some("no_table"),
        "{skipped:?}"
    );
    assert_eq!(skipped.len(), 2, "{skipped:?}");

    let opts = Options {
        sheet: Some("Alt".into()),
        ..Options::default()
    };
    let (t, skipped) = prepare_all(Path::new("mappe.xlsx"), &bytes, &opts).unwrap();
    assert_eq!(t.len(), 1);
    assert_eq!(t[0].sheet.as_deref(), Some("Alt"));
    assert_eq!(t[0].rows.len(), 2, "the chosen hidden sheet is imported");
    assert!(skipped.is_empty(), "{skipped:?}");
}

// ---------------------------------------------------------------------------------------
// 6. Duplicate and blank headers

#[test]
fn duplicate_and_blank_headers_map_deterministically_and_are_named_in_issues() {
    let csv = "Kundennummer,MRR,,MRR\nK-1,100,4,200\nK-2,abc,x,300.5\n";
    let p = one("kunden.csv", csv.as_bytes(), &Options::default());
    assert_eq!(p.kind, Kind::Accounts);
    assert_eq!(mapped(&p, "mrr"), Some("MRR"), "the first column wins");
    assert_eq!(val(&p, 0, "mrr"), Value::Real(100.0));
    assert_eq!(issue_at(&p, 3).column, "MRR");
    assert_eq!(issue_at(&p, 3).value, "abc");
    let again = one("kunden.csv", csv.as_bytes(), &Options::default());
    assert_eq!(again.mapping, p.mapping, "the same mapping every time");

    // a blank header is `Column C`, a repeated one `MRR (2)`
    let opts = Options {
        map: vec!["seats=Column C".into()],
        ..Options::default()
    };
    let p = one("kunden.csv", csv.as_bytes(), &opts);
    assert_eq!(mapped(&p, "seats"), Some("Column C"));
    assert_eq!(val(&p, 0, "seats"), Value::Int(4));
    assert!(
        p.issues
            .iter()
            .any(|i| i.row == 3 && i.column == "Column C" && i.value == "x"),
        "{:#?}",
        p.issues
    );

    let opts = Options {
        map: vec!["seats=MRR (2)".into()],
        ..Options::default()
    };
    let p = one("kunden.csv", csv.as_bytes(), &opts);
    assert_eq!(mapped(&p, "seats"), Some("MRR (2)"));
    assert_eq!(mapped(&p, "mrr"), Some("MRR"));
    assert_eq!(val(&p, 0, "seats"), Value::Int(200));
    assert!(
        p.issues
            .iter()
            .any(|i| i.row == 3 && i.column == "MRR (2)" && i.value == "300.5"),
        "{:#?}",
        p.issues
    );
}

// ---------------------------------------------------------------------------------------
// 7. Slash dates

#[test]
fn ambiguous_slash_dates_are_an_assumption_that_the_date_order_option_settles() {
    let csv = "account_id,start_date\nA1,03/04/2026\nA2,05/06/2026\n";
    let p = one("kunden.csv", csv.as_bytes(), &Options::default());
    assert_eq!(
        val(&p, 0, "start_date"),
        text("2026-03-04"),
        "comma file: US order"
    );
    assert_eq!(p.assumptions.len(), 1, "{:#?}", p.assumptions);
    let a = &p.assumptions[0];
    assert_eq!(a.question, "date_order");
    assert_eq!(a.column, "start_date");
    assert_eq!(a.assumed, "month_first");
    assert_eq!(a.example, "03/04/2026");

    let opts = Options {
        date_order: Some(SlashOrder::DayFirst),
        ..Options::default()
    };
    let p = one("kunden.csv", csv.as_bytes(), &opts);
    assert_eq!(val(&p, 0, "start_date"), text("2026-04-03"));
    assert_eq!(val(&p, 1, "start_date"), text("2026-06-05"));
    assert!(p.assumptions.is_empty(), "{:#?}", p.assumptions);
}

#[test]
fn late_day_first_evidence_after_ten_thousand_rows_rereads_every_row_day_first() {
    let mut csv = String::from("account_id,start_date\n");
    for i in 0..10_200 {
        writeln!(csv, "A{i},03/04/2026").unwrap();
    }
    csv.push_str("LATE,13/04/2026\n");
    let p = one("kunden.csv", csv.as_bytes(), &Options::default());
    assert_eq!(
        p.rows.len(),
        10_201,
        "every row once (the restart drops the first pass)"
    );
    assert_eq!(val(&p, 0, "account_id"), text("A0"));
    assert_eq!(
        val(&p, 0, "start_date"),
        text("2026-04-03"),
        "an early row, day first"
    );
    assert_eq!(val(&p, 10_199, "start_date"), text("2026-04-03"));
    assert_eq!(val(&p, 10_200, "start_date"), text("2026-04-13"));
    assert!(
        p.assumptions.is_empty(),
        "the column told: {:#?}",
        p.assumptions
    );
    assert!(
        p.issues.is_empty(),
        "{:#?}",
        &p.issues[..p.issues.len().min(3)]
    );
}

// ---------------------------------------------------------------------------------------
// 8. Decimal separator

#[test]
fn a_late_value_decides_the_decimal_separator_for_the_early_ones() {
    let mut csv = String::from("account_id,mrr\n");
    for i in 0..10_050 {
        writeln!(csv, "A{i},1.000").unwrap();
    }
    csv.push_str("LATE,\"1.234,56\"\n");
    let p = one("kunden.csv", csv.as_bytes(), &Options::default());
    assert_eq!(p.rows.len(), 10_051);
    assert_eq!(
        val(&p, 0, "mrr"),
        Value::Real(1000.0),
        "early 1.000 is a thousand"
    );
    assert_eq!(val(&p, 10_049, "mrr"), Value::Real(1000.0));
    assert_eq!(val(&p, 10_050, "mrr"), Value::Real(1234.56));
    assert!(p.issues.is_empty());
}

// ---------------------------------------------------------------------------------------
// 9.–13. Text files

const NAMES: &str = "account_id;name\nK-1;Müller GmbH\nK-2;Größe AG\n";

fn assert_names(p: &Prepared, what: &str) {
    assert_eq!(p.kind, Kind::Accounts, "{what}");
    assert_eq!(p.rows.len(), 2, "{what}: {:#?}", p.issues);
    assert_eq!(val(p, 0, "account_id"), text("K-1"), "{what}");
    assert_eq!(val(p, 0, "name"), text("Müller GmbH"), "{what}");
    assert_eq!(val(p, 1, "name"), text("Größe AG"), "{what}");
    assert!(p.issues.is_empty(), "{what}: {:#?}", p.issues);
}

#[test]
fn utf8_bom_utf16_with_and_without_bom_and_windows_1252_all_read_right() {
    let utf16le: Vec<u8> = NAMES.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let utf16be: Vec<u8> = NAMES.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let (cp1252, _, unmappable) = encoding_rs::WINDOWS_1252.encode(NAMES);
    assert!(!unmappable);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "utf-8 bom",
            [b"\xEF\xBB\xBF".as_slice(), NAMES.as_bytes()].concat(),
        ),
        ("utf-16le bom", [[0xFF, 0xFE].as_slice(), &utf16le].concat()),
        ("utf-16le", utf16le.clone()),
        ("utf-16be bom", [[0xFE, 0xFF].as_slice(), &utf16be].concat()),
        ("utf-16be", utf16be),
        ("windows-1252", cp1252.into_owned()),
    ];
    for (what, bytes) in cases {
        let p = one("kunden.csv", &bytes, &Options::default());
        assert_names(&p, what);
    }
}

#[test]
fn a_row_in_another_encoding_is_skipped_as_mixed_encoding_without_mojibake() {
    let mut bytes =
        b"account_id;name\nK-1;M\xC3\xBCller GmbH\nK-2;Gr\xC3\xB6\xC3\x9Fe AG\n".to_vec();
    bytes.extend_from_slice(b"K-3;J\xFCrgen KG\n");
    bytes.extend_from_slice("K-4;Straße AG\nK-5;Café Ü\n".as_bytes());
    let p = one("kunden.csv", &bytes, &Options::default());
    let names: Vec<Value> = (0..p.rows.len()).map(|i| val(&p, i, "name")).collect();
    assert_eq!(
        names,
        vec![
            text("Müller GmbH"),
            text("Größe AG"),
            text("Straße AG"),
            text("Café Ü")
        ],
        "the UTF-8 rows, read as UTF-8; issues: {:#?}",
        p.issues
    );
    assert_eq!(p.skipped, 1);
    let i = issue_at(&p, 4);
    assert_eq!(i.column, "name");
    assert!(i.reason.contains("mixed encodings"), "{}", i.reason);
}

#[test]
fn sep_line_pipe_and_tab_delimiters_and_a_one_column_file() {
    let p = one(
        "kunden.csv",
        b"sep=;\r\naccount_id;name;seats\r\nK-1;Alpha, Inc;5\r\nK-2;Beta;x\r\n",
        &Options::default(),
    );
    assert_eq!(p.header_row, 2, "the sep line is line 1");
    assert_eq!(val(&p, 0, "name"), text("Alpha, Inc"));
    assert_eq!(val(&p, 0, "seats"), Value::Int(5));
    assert_eq!(
        issue_at(&p, 4).column,
        "seats",
        "line numbers count the sep line"
    );

    for (what, csv) in [
        (
            "pipe",
            "account_id|name|seats\nK-1|Alpha, Inc|5\nK-2|Beta; Co|6\n",
        ),
        (
            "tab",
            "account_id\tname\tseats\nK-1\tAlpha, Inc\t5\nK-2\tBeta; Co\t6\n",
        ),
    ] {
        let p = one("kunden.txt", csv.as_bytes(), &Options::default());
        assert_eq!(p.rows.len(), 2, "{what}");
        assert_eq!(val(&p, 0, "name"), text("Alpha, Inc"), "{what}");
        assert_eq!(val(&p, 1, "name"), text("Beta; Co"), "{what}");
        assert_eq!(val(&p, 1, "seats"), Value::Int(6), "{what}");
    }

    let p = one(
        "ids.csv",
        b"Kundennummer\nK-1\nK 2\nK-3\n",
        &Options::default(),
    );
    assert_eq!(p.kind, Kind::Accounts);
    assert_eq!(p.mapping, vec![("account_id", "Kundennummer".to_string())]);
    let ids: Vec<Value> = (0..p.rows.len())
        .map(|i| val(&p, i, "account_id"))
        .collect();
    assert_eq!(ids, vec![text("K-1"), text("K 2"), text("K-3")]);
}

#[test]
fn an_unterminated_quote_at_the_end_is_an_issue_and_earlier_rows_import() {
    let csv = "account_id,name\nA0,ok\nA1,\"abc\nA2,x\nA3,y\n";
    let p = one("kunden.csv", csv.as_bytes(), &Options::default());
    assert_eq!(p.rows.len(), 1, "{:#?}", p.rows);
    assert_eq!(val(&p, 0, "account_id"), text("A0"));
    assert_eq!(p.skipped, 1);
    assert_eq!(p.issues.len(), 1, "{:#?}", p.issues);
    let i = issue_at(&p, 3);
    assert_eq!(i.column, "name");
    assert!(i.reason.contains("quote"), "{}", i.reason);
    assert!(i.value.starts_with("abc"), "{}", i.value);
}

#[test]
fn issue_line_numbers_count_blank_lines_crlf_and_multiline_cells() {
    // line 1 header; 2 blank; 3–4 a quoted two-line cell; 5 CRLF row; 6 blank (CRLF);
    // 7–9 a three-line cell; 10 the bad row; 11 blank; 12 another bad row
    let csv = "account_id,name,seats\n\
               \n\
               A,\"two\nlines\",1\n\
               B,Beta,2\r\n\
               \r\n\
               C,\"three\r\nlines\nhere\",3\n\
               D,Delta,x\n\
               \n\
               E,Eps,-1\n";
    let p = one("kunden.csv", csv.as_bytes(), &Options::default());
    assert_eq!(p.rows.len(), 3, "{:#?}", p.issues);
    let rows: Vec<u32> = p.rows.iter().map(|r| r.0).collect();
    assert_eq!(rows, vec![3, 5, 7]);
    assert_eq!(val(&p, 0, "name"), text("two\nlines"));
    assert_eq!(issue_at(&p, 10).value, "x");
    assert_eq!(issue_at(&p, 10).column, "seats");
    assert_eq!(issue_at(&p, 12).value, "-1");
    assert_eq!(p.issues.len(), 2, "{:#?}", p.issues);
}

/// `rows` UTF-8 rows with umlauts (about 30 bytes each).
fn utf8_rows(csv: &mut Vec<u8>, from: usize, rows: usize) {
    for i in from..from + rows {
        csv.extend_from_slice(format!("K-{i};Müller & Söhne {i}\n").as_bytes());
    }
}

#[test]
fn a_late_row_in_another_encoding_is_skipped_in_a_long_utf8_file() {
    let mut csv = b"account_id;name\n".to_vec();
    utf8_rows(&mut csv, 0, 4_000);
    csv.extend_from_slice(b"BAD;J\xFCrgen KG\n");
    utf8_rows(&mut csv, 4_000, 10);
    assert!(csv.len() > 64 * 1024, "the bad row is past the sample");
    let p = one("kunden.csv", &csv, &Options::default());
    assert_eq!(p.rows.len(), 4_010, "{:#?}", p.issues);
    assert_eq!(val(&p, 4_009, "name"), text("Müller & Söhne 4009"));
    assert_eq!(p.skipped, 1);
    let i = issue_at(&p, 4_002);
    assert!(i.reason.contains("mixed encodings"), "{}", i.reason);
}

#[test]
fn a_windows_1252_file_with_its_first_umlaut_after_64_kb_reads_right() {
    let mut plain = String::from("account_id;name\n");
    for i in 0..3_000 {
        writeln!(plain, "K-{i};Alpha Beta Gamma {i}").unwrap();
    }
    plain.push_str("K-M;Müller GmbH\nK-G;Größe AG\n");
    let (cp1252, _, _) = encoding_rs::WINDOWS_1252.encode(&plain);
    assert!(cp1252.iter().position(|&b| b >= 0x80).unwrap() > 64 * 1024);
    let p = one("kunden.csv", &cp1252, &Options::default());
    assert!(p.issues.is_empty(), "{:#?}", p.issues);
    assert_eq!(p.rows.len(), 3_002);
    assert_eq!(val(&p, 3_000, "name"), text("Müller GmbH"));
    assert_eq!(val(&p, 3_001, "name"), text("Größe AG"));
}

fn assert_semicolon_accounts_below_line_1(csv: &str) {
    let t = prepare(Path::new("kunden.csv"), csv.as_bytes(), &Options::default())
        .unwrap_or_else(|e| panic!("{e:?}"));
    let p = &t[0];
    assert_eq!(p.kind, Kind::Accounts);
    assert_eq!(p.header_row, 2);
    assert_eq!(val(p, 0, "name"), text("Alpha"));
    assert_eq!(val(p, 1, "seats"), Value::Int(7));
}

#[test]
fn the_delimiter_is_found_below_a_blank_first_line() {
    assert_semicolon_accounts_below_line_1(
        "\nKundennummer;Firma;Lizenzen\nK-1;Alpha;5\nK-2;Beta;7\n",
    );
}

#[test]
fn the_delimiter_is_found_below_a_title_line() {
    assert_semicolon_accounts_below_line_1(
        "Kundenexport vom 01.03.2026\nKundennummer;Firma;Lizenzen\nK-1;Alpha;5\nK-2;Beta;7\n",
    );
}

#[test]
fn a_literal_inch_mark_does_not_turn_a_final_multiline_cell_into_an_unclosed_quote() {
    // no newline after the last record, as many exports end
    let csv = "account_id,name\nA,24\" Monitor GmbH\nB,\"two\nlines\"";
    let p = one("kunden.csv", csv.as_bytes(), &Options::default());
    assert!(p.issues.is_empty(), "{:#?}", p.issues);
    assert_eq!(p.rows.len(), 2);
    assert_eq!(val(&p, 0, "name"), text("24\" Monitor GmbH"));
    assert_eq!(val(&p, 1, "name"), text("two\nlines"));
}

#[test]
fn a_totals_row_below_wide_month_columns_is_not_revenue() {
    let csv = "Kundennummer;Jan 2026;Feb 2026\nK-1;100;110\nK-2;50;55\nSumme;150;165\n";
    let p = one("umsatz.csv", csv.as_bytes(), &Options::default());
    assert_eq!(
        revenue(&p),
        vec![
            rev("K-1", "2026-01", 100.0),
            rev("K-1", "2026-02", 110.0),
            rev("K-2", "2026-01", 50.0),
            rev("K-2", "2026-02", 55.0),
        ]
    );
    assert_eq!(p.skipped, 1);
    let i = issue_at(&p, 4);
    assert_eq!(
        (i.column.as_str(), i.value.as_str()),
        ("Kundennummer", "Summe")
    );
    assert!(i.reason.contains("a totals row"), "{}", i.reason);
}

#[test]
fn issue_line_numbers_in_a_file_with_cr_line_ends() {
    let csv = "account_id,name,seats\rA,Alpha,1\rB,Beta,x\rC,Gamma,3\r";
    let p = one("kunden.csv", csv.as_bytes(), &Options::default());
    assert_eq!(p.rows.len(), 2);
    let rows: Vec<u32> = p.rows.iter().map(|r| r.0).collect();
    assert_eq!(rows, vec![2, 4]);
    assert_eq!(issue_at(&p, 3).value, "x");
}

#[test]
fn a_workbook_whose_only_table_is_hidden_says_so() {
    let bytes = xlsx(|wb| {
        let ws = wb.add_worksheet();
        ws.set_name("Info").unwrap();
        ws.write_string(0, 0, "Siehe Blatt Daten").unwrap();
        let ws = wb.add_worksheet();
        ws.set_name("Daten").unwrap();
        ws.set_hidden(true);
        put_rows(ws, 0, &[&["Kundennummer", "Firma"], &["K-1", "Alpha"]]);
    });
    let e = prepare(Path::new("mappe.xlsx"), &bytes, &Options::default()).unwrap_err();
    let msg = e.message(cspulse_engine::error::Lang::En);
    assert!(
        msg.contains("Daten") && msg.contains("hidden"),
        "names the hidden sheet to choose: {msg}"
    );
    // and choosing it imports it
    let opts = Options {
        sheet: Some("Daten".into()),
        ..Options::default()
    };
    assert_eq!(one("mappe.xlsx", &bytes, &opts).rows.len(), 1);
}
