//! The desktop's import wizard in the engine: `inspect` (what a file holds, honouring the
//! user's choices exactly as the import does), choices per table, the stored issues and
//! the issues workbook, undo and clearing the sample company, and an import with progress
//! and cancel on its own connection (`worker::import` for a text file; the worker process
//! for workbooks is tested with the app's binary in `tests/app`). Every file is made here.

use crate::tmp::Tmp;
use calamine::Reader;
use cspulse_engine::demo::{self, DemoOptions};
use cspulse_engine::import::{
    inspect, Budget, Input, Inspection, Options, TableOptions, TablePreview,
};
use cspulse_engine::import::{DateOrder, ImportOptions, TableChoice};
use cspulse_engine::report::issues::{issues_workbook, save_issues};
use cspulse_engine::store::issues::{batch_issues, IssueLine};
use cspulse_engine::worker::{self, CancelSwitch, Event, ImportJob};
use cspulse_engine::{Kind, Lang};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::fmt::Write as _;
use std::io::Read as _;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// A title row, a blank line, then a header with a blank and a repeated column.
const TITLED: &str = "Kundenliste Oktober\n\naccount_id,name,seats,,seats\n";

fn titled(rows: usize) -> String {
    let mut s = String::from(TITLED);
    for i in 0..rows {
        writeln!(s, "K-{i},Firma {i},{},note {i},{}", i % 50, i % 7).unwrap();
    }
    s
}

fn look(path: &Path, opts: &Options) -> Inspection {
    inspect(path, Input::File(path.into()), opts, Lang::En)
        .unwrap_or_else(|e| panic!("{} should be inspected: {e:?}", path.display()))
}

fn only(i: &Inspection) -> &TablePreview {
    assert_eq!(i.tables.len(), 1, "one table: {i:#?}");
    &i.tables[0]
}

fn column_of<'a>(t: &'a TablePreview, field: &str) -> Option<&'a str> {
    t.fields
        .iter()
        .find(|f| f.field == field)
        .unwrap_or_else(|| panic!("{field} is no field of {:?}", t.kind))
        .column
        .as_deref()
}

fn map(pairs: &[(&str, &str)]) -> Vec<String> {
    pairs.iter().map(|(f, c)| format!("{f}={c}")).collect()
}

#[test]
fn inspect_shows_header_kind_columns_mapping_and_the_first_rows_as_in_the_file() {
    let t = Tmp::new();
    let p = t.file("kunden.csv", titled(25).as_bytes());
    let i = look(&p, &Options::default());
    assert_eq!(i.file, "kunden.csv");
    assert!(!i.workbook);
    assert!(i.skipped_sheets.is_empty());
    let tp = only(&i);
    assert_eq!(tp.sheet, None);
    assert_eq!(tp.kind, Some(Kind::Accounts));
    assert!(!tp.kind_chosen);
    assert_eq!(tp.header_row, 3, "below the title and the blank line");
    assert_eq!(
        tp.columns,
        ["account_id", "name", "seats", "Column D", "seats (2)"],
        "every column as the import names it"
    );
    assert_eq!(column_of(tp, "account_id"), Some("account_id"));
    assert_eq!(column_of(tp, "seats"), Some("seats"));
    assert_eq!(column_of(tp, "mrr"), None);
    let account = tp.fields.iter().find(|f| f.field == "account_id").unwrap();
    assert!(account.required);
    assert_eq!(account.ty, "text");
    assert_eq!(account.column_index, Some(0));
    let seats = tp.fields.iter().find(|f| f.field == "seats").unwrap();
    assert_eq!((seats.ty.as_str(), seats.required), ("int", false));
    assert_eq!(
        tp.fields.len(),
        cspulse_engine::import::fields::fields(Kind::Accounts).len()
    );
    // the rows above the header, for choosing another header row
    assert_eq!(tp.rows_above.len(), 1);
    assert_eq!(tp.rows_above[0].row, 1);
    assert_eq!(tp.rows_above[0].cells, ["Kundenliste Oktober"]);
    // the first 20 data rows, each cell as in the file
    assert_eq!(tp.rows.len(), 20);
    let text = titled(25);
    let lines: Vec<&str> = text.lines().skip(3).collect();
    for (k, r) in tp.rows.iter().enumerate() {
        assert_eq!(r.row, 4 + k as u32, "the line a user sees");
        let cells: Vec<&str> = lines[k].split(',').collect();
        assert_eq!(r.cells, cells, "row {}", r.row);
    }
    assert_eq!(
        (tp.data_rows, tp.data_rows_exact),
        (Some(25), true),
        "a small file is counted"
    );
    assert!(tp.problems.is_empty(), "{:?}", tp.problems);
    assert!(tp.issues.is_empty(), "{:?}", tp.issues);
}

#[test]
fn overrides_change_kind_header_row_and_mapping_exactly_as_the_import_reads_them() {
    let t = Tmp::new();
    let p = t.file("kunden.csv", titled(5).as_bytes());

    // another kind: its fields, and what it lacks as a problem (not an error)
    let leads = only(&look(
        &p,
        &Options {
            kind: Some(Kind::Leads),
            ..Options::default()
        },
    ))
    .clone();
    assert_eq!(leads.kind, Some(Kind::Leads));
    assert!(leads.kind_chosen);
    assert_eq!(leads.fields[0].field, "lead_id");
    assert_eq!(leads.problems.len(), 1, "{:?}", leads.problems);
    assert_eq!(leads.problems[0].code, "missing_required_field");
    assert_eq!(leads.problems[0].fields, ["lead_id", "created_date"]);
    assert!(
        leads.problems[0].message.contains("lead_id"),
        "{}",
        leads.problems[0].message
    );
    assert_eq!(leads.rows.len(), 5, "the rows are still shown");

    // another header row: the title row becomes the header, nothing is recognised
    let titled_header = only(&look(
        &p,
        &Options {
            header_row: Some(1),
            ..Options::default()
        },
    ))
    .clone();
    assert_eq!(titled_header.header_row, 1);
    assert_eq!(titled_header.columns, ["Kundenliste Oktober"]);
    assert_eq!(titled_header.kind, None);
    assert!(titled_header.fields.is_empty());
    assert_eq!(titled_header.problems[0].code, "unknown_kind");
    assert_eq!(titled_header.rows[0].row, 3, "the old header is now data");
    assert_eq!(titled_header.rows[0].cells, ["account_id"]);

    // a blank header row: said, and the header found automatically instead
    let blank = only(&look(
        &p,
        &Options {
            header_row: Some(2),
            ..Options::default()
        },
    ))
    .clone();
    assert_eq!(blank.header_row, 3);
    assert_eq!(blank.problems[0].code, "bad_header_row");
    assert!(blank.problems[0].message.contains("Row 2"));

    // the mapping: a column chosen, a field left unmapped
    let opts = Options {
        map: map(&[("seats", "seats (2)"), ("name", "")]),
        ..Options::default()
    };
    let mapped = only(&look(&p, &opts)).clone();
    assert!(mapped.problems.is_empty(), "{:?}", mapped.problems);
    assert_eq!(column_of(&mapped, "seats"), Some("seats (2)"));
    let seats = mapped.fields.iter().find(|f| f.field == "seats").unwrap();
    assert_eq!(seats.column_index, Some(4));
    assert_eq!(column_of(&mapped, "name"), None);
    // the import reads exactly that
    let tables = cspulse_engine::import::prepare(&p, titled(5).as_bytes(), &opts).unwrap();
    let fs = cspulse_engine::import::fields::fields(Kind::Accounts);
    let at = |id: &str| fs.iter().position(|f| f.id == id).unwrap();
    use cspulse_engine::import::convert::Value;
    assert_eq!(
        tables[0].rows[1].1[at("seats")],
        Value::Int(1),
        "K-1: i % 7"
    );
    assert_eq!(tables[0].rows[1].1[at("name")], Value::Null);

    // a mapping to a column the file does not have, and a field the kind does not have
    let bad = only(&look(
        &p,
        &Options {
            map: map(&[("seats", "Lizenzen"), ("umsatz", "seats")]),
            ..Options::default()
        },
    ))
    .clone();
    let codes: Vec<&str> = bad.problems.iter().map(|p| p.code.as_str()).collect();
    assert_eq!(codes, ["bad_mapping", "bad_mapping"], "{:?}", bad.problems);
    assert_eq!(bad.problems[0].column.as_deref(), Some("Lizenzen"));
    assert_eq!(bad.problems[0].fields, ["seats"]);
    assert_eq!(bad.problems[1].fields, ["umsatz"]);
    assert!(
        bad.issues.is_empty(),
        "no issues while the mapping is wrong"
    );

    // unmapping a required field is a problem; the import refuses it the same way
    let opts = Options {
        map: map(&[("account_id", "")]),
        ..Options::default()
    };
    let unmapped = only(&look(&p, &opts)).clone();
    assert_eq!(unmapped.problems[0].code, "missing_required_field");
    let e = cspulse_engine::import::prepare(&p, titled(5).as_bytes(), &opts).unwrap_err();
    assert_eq!(e.code(), "missing_required_field");
}

#[test]
fn the_date_order_question_its_answer_and_the_issues_of_the_rows_shown() {
    let t = Tmp::new();
    let csv = "account_id,start_date,seats\nA,03/04/2026,10\nB,05/06/2026,zehn\nC,,-3\n";
    let p = t.file("kunden.csv", csv.as_bytes());
    let asked = only(&look(&p, &Options::default())).clone();
    assert_eq!(asked.assumptions.len(), 1, "{:?}", asked.assumptions);
    let a = &asked.assumptions[0];
    assert_eq!(
        (a.column.as_str(), a.question.as_str(), a.example.as_str()),
        ("start_date", "date_order", "03/04/2026")
    );
    assert_eq!(
        asked.rows[0].cells,
        ["A", "03/04/2026", "10"],
        "shown as written"
    );
    // what the import would reject among the rows shown
    let rows: Vec<(u32, &str)> = asked
        .issues
        .iter()
        .map(|i| (i.row, i.column.as_str()))
        .collect();
    assert_eq!(rows, [(3, "seats"), (4, "seats")], "{:?}", asked.issues);
    assert_eq!(asked.issues[0].value, "zehn");

    let answered = only(&look(
        &p,
        &Options {
            date_order: Some(cspulse_engine::import::convert::SlashOrder::DayFirst),
            ..Options::default()
        },
    ))
    .clone();
    assert!(answered.assumptions.is_empty(), "answered");
}

fn sheet_rows(ws: &mut rust_xlsxwriter::Worksheet, rows: &[&[&str]]) {
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
    }
}

/// Kunden (accounts with numbers and dates), Umsatz (one column per month), Notizen (no
/// kind), Leer (blank), Geheim (hidden accounts).
fn workbook() -> Vec<u8> {
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("dd.mm.yyyy");
    let ws = wb.add_worksheet().set_name("Kunden").unwrap();
    sheet_rows(
        ws,
        &[&["Kundennummer", "Firma", "Lizenzen", "Vertragsbeginn", "MRR"]],
    );
    for r in 1..=30u32 {
        ws.write_string(r, 0, format!("K-{r}")).unwrap();
        ws.write_string(r, 1, format!("Firma {r}")).unwrap();
        ws.write_number(r, 2, f64::from(r)).unwrap();
        let d = ExcelDateTime::from_ymd(2026, 1, (r % 28 + 1) as u8).unwrap();
        ws.write_datetime_with_format(r, 3, &d, &date).unwrap();
        ws.write_number(r, 4, f64::from(r) * 1.5).unwrap();
    }
    let ws = wb.add_worksheet().set_name("Umsatz").unwrap();
    sheet_rows(
        ws,
        &[
            &["Kundennummer", "Jan 2026", "Feb 2026", "Summe"],
            &["K-1", "100", "120", "220"],
            &["K-2", "", "80", "80"],
        ],
    );
    let ws = wb.add_worksheet().set_name("Notizen").unwrap();
    sheet_rows(ws, &[&["Hinweis", "Wer"], &["Bitte prüfen", "Anna"]]);
    wb.add_worksheet().set_name("Leer").unwrap();
    let ws = wb.add_worksheet().set_name("Geheim").unwrap();
    sheet_rows(ws, &[&["account_id", "name"], &["X-1", "Geheim AG"]]);
    ws.set_hidden(true);
    wb.save_to_buffer().unwrap()
}

#[test]
fn a_workbook_shows_every_sheet_and_lists_what_it_passes_over() {
    let t = Tmp::new();
    let p = t.file("export.xlsx", workbook());
    let i = look(&p, &Options::default());
    assert!(i.workbook);
    let names: Vec<Option<&str>> = i.tables.iter().map(|t| t.sheet.as_deref()).collect();
    assert_eq!(names, [Some("Kunden"), Some("Umsatz"), Some("Notizen")]);
    let skipped: Vec<(&str, &str)> = i
        .skipped_sheets
        .iter()
        .map(|s| (s.sheet.as_str(), s.reason.as_str()))
        .collect();
    assert_eq!(skipped, [("Geheim", "hidden"), ("Leer", "no_table")]);

    let kunden = &i.tables[0];
    assert_eq!(kunden.kind, Some(Kind::Accounts));
    assert_eq!(column_of(kunden, "seats"), Some("Lizenzen"));
    assert_eq!(column_of(kunden, "start_date"), Some("Vertragsbeginn"));
    assert_eq!(kunden.rows.len(), 20);
    assert_eq!(kunden.rows[0].row, 2);
    assert_eq!(
        kunden.rows[0].cells,
        ["K-1", "Firma 1", "1", "2026-01-02", "1.5"]
    );
    assert_eq!(
        kunden.rows[1].cells[4], "3",
        "a whole number as Excel shows it"
    );
    assert!(kunden.issues.is_empty(), "{:?}", kunden.issues);
    assert_eq!((kunden.data_rows, kunden.data_rows_exact), (Some(30), true));

    let umsatz = &i.tables[1];
    assert_eq!(umsatz.kind, Some(Kind::Revenue));
    assert_eq!(umsatz.month_columns, ["Jan 2026", "Feb 2026"]);
    assert_eq!(column_of(umsatz, "month"), Some("Jan 2026 … Feb 2026"));
    assert_eq!(column_of(umsatz, "account_id"), Some("Kundennummer"));
    assert_eq!(umsatz.rows[1].cells, ["K-2", "", "80", "80"]);

    let notizen = &i.tables[2];
    assert_eq!(notizen.kind, None);
    assert_eq!(notizen.problems[0].code, "unknown_kind");
    assert_eq!(notizen.columns, ["Hinweis", "Wer"]);
    assert_eq!(notizen.rows[0].cells, ["Bitte prüfen", "Anna"]);

    // choices per table: skip the notes, take the hidden sheet, read Umsatz's header as
    // given; the import takes all of it in one go
    let opts = Options {
        tables: vec![
            TableOptions {
                sheet: Some("Notizen".into()),
                skip: true,
                ..TableOptions::default()
            },
            TableOptions {
                sheet: Some("Geheim".into()),
                kind: Some(Kind::Accounts),
                ..TableOptions::default()
            },
        ],
        ..Options::default()
    };
    let chosen = look(&p, &opts);
    let names: Vec<Option<&str>> = chosen.tables.iter().map(|t| t.sheet.as_deref()).collect();
    assert_eq!(names, [Some("Kunden"), Some("Umsatz"), Some("Geheim")]);
    assert!(chosen.tables[2].kind_chosen);
    let skipped: Vec<(&str, &str)> = chosen
        .skipped_sheets
        .iter()
        .map(|s| (s.sheet.as_str(), s.reason.as_str()))
        .collect();
    assert_eq!(skipped, [("Notizen", "not_chosen"), ("Leer", "no_table")]);
    let mut store = t.store();
    let batches = store.import_file(&p, &opts, false).unwrap();
    let got: Vec<(Option<&str>, Kind, i64)> = batches
        .iter()
        .map(|b| {
            (
                b.batch.sheet.as_deref(),
                b.batch.kind,
                b.batch.rows_imported,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (Some("Kunden"), Kind::Accounts, 30),
            (Some("Umsatz"), Kind::Revenue, 3),
            (Some("Geheim"), Kind::Accounts, 1),
        ]
    );

    // one sheet only
    let one = look(
        &p,
        &Options {
            sheet: Some("Umsatz".into()),
            ..Options::default()
        },
    );
    assert_eq!(only(&one).sheet.as_deref(), Some("Umsatz"));
    assert!(one.skipped_sheets.is_empty());
}

#[test]
fn a_large_workbook_is_estimated_from_its_size_note_not_read() {
    let t = Tmp::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    sheet_rows(ws, &[&["account_id", "name"]]);
    for r in 1..=5000u32 {
        ws.write_string(r, 0, format!("K-{r}")).unwrap();
        ws.write_string(r, 1, "Firma").unwrap();
    }
    let p = t.file("gross.xlsx", wb.save_to_buffer().unwrap());
    let tp = only(&look(&p, &Options::default())).clone();
    assert_eq!(tp.rows.len(), 20);
    assert_eq!((tp.data_rows, tp.data_rows_exact), (Some(5000), false));
}

#[test]
fn inspect_reads_only_what_the_preview_needs() {
    // a cell over the cell-text budget in the file's last row: the import, which reads
    // every row, is refused; the preview, which does not get that far, is not
    let t = Tmp::new();
    // (the import decides how `seats` is written from up to 10,000 rows; the preview reads
    // what the import reads before its first row, and no more)
    let mut text = titled(40_000);
    writeln!(text, "K-last,{},1,note,1", "x".repeat(80)).unwrap();
    let p = t.file("kunden.csv", text.as_bytes());
    let opts = Options {
        budget: Budget {
            cell_chars: 50,
            ..Budget::default()
        },
        ..Options::default()
    };
    let tp = only(&look(&p, &opts)).clone();
    assert_eq!(tp.kind, Some(Kind::Accounts));
    assert_eq!(tp.rows.len(), 20);
    assert_eq!(tp.data_rows, None, "not counted");
    assert!(!tp.data_rows_exact);
    let e = t
        .store()
        .import_file(&p, &opts, false)
        .expect_err("the import reads every row");
    assert_eq!(e.code(), "file_too_large");
}

#[test]
fn unreadable_empty_and_hostile_files_are_plain_errors() {
    let t = Tmp::new();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("leer.csv", vec![], "empty_file"),
        (
            "eine-zeile.csv",
            b"account_id,name\n".to_vec(),
            "empty_file",
        ),
        (
            "bild.csv",
            vec![0x89, b'P', b'N', b'G', 0, 0, 0, 13, 0, 1, 2, 3],
            "unsupported_format",
        ),
        ("~$mappe.xlsx", b"x".to_vec(), "lock_file"),
        (
            "kaputt.xlsx",
            b"PK\x03\x04 not really a zip".to_vec(),
            "corrupt_file",
        ),
    ];
    for (name, bytes, code) in cases {
        let p = t.file(name, &bytes);
        let e = inspect(&p, Input::File(p.clone()), &Options::default(), Lang::De).expect_err(name);
        assert_eq!(e.code(), code, "{name}: {e:?}");
        assert!(!e.message(Lang::De).is_empty());
    }
    let missing = t.path("fehlt.csv");
    let e = inspect(
        &missing,
        Input::File(missing.clone()),
        &Options::default(),
        Lang::En,
    )
    .expect_err("missing");
    assert_eq!(e.code(), "file_unreadable");
    let e = inspect(
        t.dir(),
        Input::File(t.dir().into()),
        &Options::default(),
        Lang::En,
    )
    .expect_err("a folder");
    assert_eq!(e.code(), "file_unreadable");
    // workbooks the fuzzer found make calamine panic: a plain error, no panic
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/artifacts/workbook_import");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with("crash-") {
            continue;
        }
        seen += 1;
        if let Err(e) = inspect(
            &path,
            Input::File(path.clone()),
            &Options::default(),
            Lang::En,
        ) {
            assert!(
                !e.message(Lang::En).contains("panicked"),
                "{name}: {}",
                e.message(Lang::En)
            );
        }
    }
    assert!(seen > 0);
}

#[test]
fn the_wizards_options_arrive_as_the_imports_options() {
    let json = r#"{"kind":"accounts","header_row":3,"map":{"seats":"seats (2)","name":""},
        "date_order":"day_first","tables":[{"sheet":"Notizen","skip":true},
        {"sheet":"Geheim","kind":"leads","map":{"lead_id":"account_id"}}]}"#;
    let o: ImportOptions = serde_json::from_str(json).unwrap();
    let opts = o.to_options();
    assert_eq!(opts.kind, Some(Kind::Accounts));
    assert_eq!(opts.header_row, Some(3));
    assert_eq!(opts.map, ["name=", "seats=seats (2)"]);
    assert_eq!(
        opts.date_order,
        Some(cspulse_engine::import::convert::SlashOrder::DayFirst)
    );
    assert_eq!(opts.tables.len(), 2);
    assert!(opts.tables[0].skip);
    assert_eq!(opts.tables[1].kind, Some(Kind::Leads));
    assert_eq!(opts.tables[1].map, ["lead_id=account_id"]);
    let geheim = opts.for_table(Some("Geheim"));
    assert_eq!(
        (geheim.kind, geheim.header_row),
        (Some(Kind::Leads), None),
        "a table's entry replaces the file-wide choices"
    );
    assert_eq!(opts.for_table(Some("Kunden")).kind, Some(Kind::Accounts));
    // nothing chosen at all
    let none: ImportOptions = serde_json::from_str("{}").unwrap();
    assert_eq!(none, ImportOptions::default());
    assert_eq!(
        serde_json::to_value(TableChoice {
            sheet: None,
            date_order: Some(DateOrder::MonthFirst),
            ..TableChoice::default()
        })
        .unwrap(),
        serde_json::json!({"sheet": null, "kind": null, "header_row": null, "date_order": "month_first"})
    );
    let bad: Result<ImportOptions, _> = serde_json::from_str(r#"{"kind":"kunden"}"#);
    assert!(bad.is_err(), "kinds are checked");
}

const WITH_ISSUES: &str =
    "account_id,name,seats\nA,=HYPERLINK(\"x\"),10\nB,Beta,zehn\nC,Gamma,-1\nD,Delta,4\n";

#[test]
fn stored_issues_in_the_users_language_saved_as_a_workbook() {
    let t = Tmp::new();
    let mut store = t.store();
    let p = t.file("kunden.csv", WITH_ISSUES.as_bytes());
    let b = store.import_file(&p, &Options::default(), false).unwrap();
    let id = b[0].batch.batch_id;
    assert_eq!(b[0].batch.issue_count, 2);
    let listed = store.batches().unwrap();
    assert_eq!(listed[0].issue_count, 2);
    assert_eq!(listed[0].file, "kunden.csv");
    assert_eq!(listed[0].file_path, p.display().to_string());
    assert_eq!(listed[0].source, "file");

    let de = batch_issues(&store, id, Lang::De).unwrap();
    assert_eq!(de.batch.batch_id, id);
    let got: Vec<(u32, &str, &str, &str)> = de
        .issues
        .iter()
        .map(|i| {
            (
                i.row,
                i.column.as_str(),
                i.value.as_str(),
                i.reason.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (3, "seats", "zehn", "keine Zahl"),
            (4, "seats", "-1", "außerhalb des zulässigen Bereichs ≥ 0"),
        ]
    );
    let en = batch_issues(&store, id, Lang::En).unwrap();
    assert_eq!(en.issues[0].reason, "not a number");
    assert_eq!(
        batch_issues(&store, 999, Lang::En).unwrap_err().code(),
        "no_such_batch"
    );

    // saved, and read back as a user's Excel would
    let out = t.path("probleme.xlsx");
    let saved = save_issues(&store, id, Lang::De, &out).unwrap();
    assert_eq!(saved.issues, 2);
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&out).unwrap();
    assert_eq!(wb.sheet_names(), ["Probleme"]);
    let range = wb.worksheet_range("Probleme").unwrap();
    let cells: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(
        cells,
        [
            vec!["Blatt", "Zeile", "Spalte", "Wert", "Grund"],
            vec!["", "3", "seats", "zehn", "keine Zahl"],
            vec![
                "",
                "4",
                "seats",
                "-1",
                "außerhalb des zulässigen Bereichs ≥ 0"
            ],
        ]
    );
    assert!(
        matches!(
            range.get((1, 1)),
            Some(calamine::Data::Float(_) | calamine::Data::Int(_))
        ),
        "the row number is a number"
    );
    let formulas = wb.worksheet_formula("Probleme").unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no formulas"
    );
    // frozen, filterable header; `-1` (starts like a formula) written as quoted text
    let sheet = zip_part(&out, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains(r#"<autoFilter ref="A1:E3"/>"#), "{sheet}");
    assert!(sheet.contains(r#"state="frozen""#), "{sheet}");
    let styles = zip_part(&out, "xl/styles.xml");
    assert!(styles.contains("<b/>"), "bold header");
    assert!(styles.contains(r#"quotePrefix="1""#), "quote prefix");
    let no_temp = std::fs::read_dir(t.dir())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        })
        .count();
    assert_eq!(no_temp, 0, "no temporary file left");

    // a folder that does not exist: nothing written
    let nowhere = t.path("fehlt").join("x.xlsx");
    let e = save_issues(&store, id, Lang::En, &nowhere).unwrap_err();
    assert_eq!(e.code(), "cannot_write");
    assert!(!nowhere.exists());
}

fn zip_part(file: &Path, part: &str) -> String {
    let mut z = zip::ZipArchive::new(std::fs::File::open(file).unwrap()).unwrap();
    let mut text = String::new();
    z.by_name(part).unwrap().read_to_string(&mut text).unwrap();
    text
}

#[test]
fn formula_like_values_stay_text_in_the_issues_workbook() {
    let issues = vec![IssueLine {
        sheet: Some("=Blatt".into()),
        row: 7,
        column: "@Spalte".into(),
        value: "=HYPERLINK(\"http://x\")".into(),
        reason: "not a number".into(),
    }];
    let bytes = issues_workbook(&issues, Lang::En).unwrap();
    let mut wb = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let range = wb.worksheet_range("Issues").unwrap();
    assert_eq!(range.get((1, 0)).unwrap().to_string(), "=Blatt");
    assert_eq!(range.get((1, 2)).unwrap().to_string(), "@Spalte");
    assert_eq!(
        range.get((1, 3)).unwrap().to_string(),
        "=HYPERLINK(\"http://x\")"
    );
    let formulas = wb.worksheet_formula("Issues").unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));
}

#[test]
fn undo_removes_exactly_a_batch_and_clearing_the_sample_keeps_the_users_imports() {
    let t = Tmp::new();
    let mut store = t.store();
    let small = DemoOptions {
        accounts: 12,
        usage_rows: Some(300),
        ..DemoOptions::default()
    };
    demo::load(&mut store, &small).unwrap();
    let demo_batches = store.batches().unwrap();
    assert!(demo_batches.iter().all(|b| b.source == "demo"));
    let p = t.file("kunden.csv", WITH_ISSUES.as_bytes());
    let own = store.import_file(&p, &Options::default(), false).unwrap();
    let own_id = own[0].batch.batch_id;
    let accounts = store.load_all().unwrap().accounts.len();

    let undone = store.undo(own_id).unwrap();
    assert_eq!(undone.rows_imported, 2);
    assert_eq!(store.load_all().unwrap().accounts.len(), accounts - 2);
    assert_eq!(store.undo(own_id).unwrap_err().code(), "no_such_batch");

    let own = store.import_file(&p, &Options::default(), false).unwrap();
    let removed = store.clear(true).unwrap();
    assert_eq!(removed.len(), demo_batches.len());
    let left = store.batches().unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].batch_id, own[0].batch.batch_id);
    let data = store.load_all().unwrap();
    assert_eq!(data.accounts.len(), 2, "only the user's own rows");
    assert!(data.usage.is_empty());
}

/// Usage rows for the progress and cancel tests.
fn usage_csv(rows: usize) -> String {
    let mut s = String::from("account_id,user_id,date,sessions\n");
    for i in 0..rows {
        writeln!(s, "K-{},u{},2026-10-{:02},1", i % 500, i % 3000, i % 28 + 1).unwrap();
    }
    s
}

#[test]
fn an_import_with_progress_commits_once_and_a_cancel_mid_way_writes_nothing() {
    let t = Tmp::new();
    // (revenue, not accounts: the usage rows' ids K-0 … K-499 are then taken as written)
    let seed = t.file("seed.csv", b"account_id,month,mrr\nA,2026-10,1\n");
    t.store()
        .import_file(&seed, &Options::default(), false)
        .unwrap();
    let p = t.file("usage.csv", usage_csv(120_000).as_bytes());
    let options = ImportOptions::default();
    let job = ImportJob {
        db: &t.db(),
        file: &p,
        options: &options,
        replace: false,
        lang: Lang::De,
        worker: None,
    };

    // cancelled at the first progress report, half-way through the rows
    let switch = Arc::new(CancelSwitch::new());
    let events: Arc<Mutex<Vec<Event>>> = Arc::default();
    let on_event = {
        let (switch, events) = (Arc::clone(&switch), Arc::clone(&events));
        Arc::new(move |e: Event| {
            if let Event::Progress(p) = &e {
                assert!(p.fraction < 1.0, "mid-way: {p:?}");
                assert!(switch.cancel(), "a cancel before the commit is accepted");
            }
            events.lock().unwrap().push(e);
        })
    };
    let e = worker::import(&job, &switch, on_event).expect_err("cancelled");
    assert_eq!(e.code(), "cancelled");
    assert!(
        e.message(Lang::De).contains("abgebrochen"),
        "{}",
        e.message(Lang::De)
    );
    assert!(
        !events.lock().unwrap().contains(&Event::Committing),
        "never reached the commit"
    );
    let store = t.store();
    assert_eq!(store.batches().unwrap().len(), 1, "no batch");
    assert!(store.load_all().unwrap().usage.is_empty(), "no rows");
    drop(store);

    // the same file: progress grows, then the commit; a cancel then is refused
    let switch = Arc::new(CancelSwitch::new());
    let events: Arc<Mutex<Vec<Event>>> = Arc::default();
    let on_event = {
        let (switch, events) = (Arc::clone(&switch), Arc::clone(&events));
        Arc::new(move |e: Event| {
            if e == Event::Committing {
                assert!(!switch.cancel(), "too late once committing");
            }
            events.lock().unwrap().push(e);
        })
    };
    let done = worker::import(&job, &switch, on_event).unwrap();
    assert_eq!(done.batches[0].batch.rows_imported, 120_000);
    let events = events.lock().unwrap();
    assert_eq!(events.last(), Some(&Event::Committing));
    let progress: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            Event::Progress(p) => Some(p.clone()),
            Event::Committing => None,
        })
        .collect();
    assert!(progress.len() >= 3, "{progress:?}");
    assert!(progress.windows(2).all(|w| w[1].rows >= w[0].rows));
    let last = progress.last().unwrap();
    assert_eq!(
        (last.rows, last.fraction, last.table, last.tables),
        (120_000, 1.0, 0, 1)
    );
    assert_eq!(t.store().load_all().unwrap().usage.len(), 120_000);

    // the same file again: refused with its own code
    let e = worker::import(&job, &Arc::new(CancelSwitch::new()), Arc::new(|_| {}))
        .expect_err("a duplicate");
    assert_eq!(e.code(), "already_imported");
}

#[test]
fn a_cancel_switch_is_either_a_cancel_or_a_commit() {
    let s = CancelSwitch::new();
    assert!(!s.is_cancelled());
    assert!(s.cancel());
    assert!(s.cancel(), "twice is still cancelled");
    assert!(s.is_cancelled());
    assert!(s.flag().load(std::sync::atomic::Ordering::Relaxed));
    assert!(!s.enter_commit(), "a cancelled import does not commit");

    let s = CancelSwitch::new();
    assert!(s.enter_commit());
    assert!(!s.cancel(), "committing: too late");
    assert!(!s.is_cancelled());
    assert!(!s.flag().load(std::sync::atomic::Ordering::Relaxed));
}

#[test]
fn a_text_file_is_inspected_here_even_with_a_worker_given() {
    // a worker that is not there: a text file never needs it
    let t = Tmp::new();
    let p = t.file("kunden.csv", titled(3).as_bytes());
    let nowhere = t.path("no-such-worker");
    let i = worker::inspect(&p, &ImportOptions::default(), Lang::En, Some(&nowhere)).unwrap();
    assert_eq!(only(&i).kind, Some(Kind::Accounts));
    // a workbook does, and a worker that cannot start is a plain error
    let x = t.file("export.xlsx", workbook());
    let e = worker::inspect(&x, &ImportOptions::default(), Lang::En, Some(&nowhere))
        .expect_err("no worker");
    assert_eq!(e.code(), "io_error");
}

/// A stand-in for the worker executable: a shell script (the real worker, the app's own
/// binary, is tested in `tests/app`).
#[cfg(unix)]
fn fake_worker(t: &Tmp, script: &str) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt as _;
    let p = t.path("worker.sh");
    std::fs::write(&p, format!("#!/bin/sh\n{script}\n")).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    p
}

#[cfg(unix)]
#[test]
fn a_worker_that_dies_or_hangs_is_a_plain_error_and_never_a_half_import() {
    let t = Tmp::new();
    let book = t.file("export.xlsx", workbook());
    let options = ImportOptions::default();
    let run = |worker: &Path, switch: Arc<CancelSwitch>, events: worker::EventFn| {
        let job = ImportJob {
            db: &t.db(),
            file: &book,
            options: &options,
            replace: false,
            lang: Lang::En,
            worker: Some(worker),
        };
        worker::import(&job, &switch, events)
    };
    let quiet = || -> worker::EventFn { Arc::new(|_| {}) };
    // its memory limit (a failed allocation aborts), its CPU limit, or killed by the OS or
    // a user: each said apart
    for (signal, code, words) in [
        ("ABRT", "file_too_large", "more memory"),
        ("XCPU", "file_too_large", "more processor time"),
        ("KILL", "import_stopped", "stopped it (signal 9)"),
        ("TERM", "import_stopped", "stopped from outside (signal 15)"),
    ] {
        let w = fake_worker(&t, &format!("read job; kill -{signal} $$"));
        let e = run(&w, Arc::new(CancelSwitch::new()), quiet()).expect_err(signal);
        assert_eq!(e.code(), code, "{signal}: {e:?}");
        let m = e.message(Lang::En);
        assert!(
            m.contains(words) && m.contains("export.xlsx"),
            "{signal}: {m}"
        );
    }
    // ends without an answer, or answers what is not ours
    let w = fake_worker(&t, "read job; echo 'not json'; exit 0");
    let e = run(&w, Arc::new(CancelSwitch::new()), quiet()).expect_err("no answer");
    assert_eq!(e.code(), "corrupt_file", "{e:?}");
    // reports its own error: passed on as it is
    let w = fake_worker(
        &t,
        r#"read job; echo '{"msg":"failed","code":"encrypted_file","message":"locked"}'; exit 2"#,
    );
    let e = run(&w, Arc::new(CancelSwitch::new()), quiet()).expect_err("its error");
    assert_eq!(
        (e.code(), e.message(Lang::De).as_str()),
        ("encrypted_file", "locked")
    );
    // hangs after some progress: a cancel kills it at once
    let w = fake_worker(
        &t,
        r#"read job; echo '{"msg":"progress","progress":{"sheet":"Kunden","table":0,"tables":2,"rows":8192,"fraction":0.25,"rows_per_second":1000.0}}'; exec sleep 600"#,
    );
    let switch = Arc::new(CancelSwitch::new());
    let events: Arc<Mutex<Vec<Event>>> = Arc::default();
    let on_event = {
        let (switch, events) = (Arc::clone(&switch), Arc::clone(&events));
        Arc::new(move |e: Event| {
            events.lock().unwrap().push(e);
            assert!(switch.cancel());
        })
    };
    let started = std::time::Instant::now();
    let e = run(&w, switch, on_event).expect_err("cancelled");
    assert_eq!(e.code(), "cancelled");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "killed, not waited for"
    );
    let events = events.lock().unwrap();
    assert!(
        matches!(&events[..], [Event::Progress(p)] if p.rows == 8192 && p.tables == 2),
        "{events:?}"
    );
    // asks to commit after a cancel: refused, the worker is stopped
    let w = fake_worker(
        &t,
        r#"read job; echo '{"msg":"commit"}'; read answer; echo '{"msg":"done","result":{"batches":[],"skipped_sheets":[]}}'"#,
    );
    let switch = Arc::new(CancelSwitch::new());
    assert!(switch.cancel());
    let e = run(&w, switch, quiet()).expect_err("cancelled before its commit");
    assert_eq!(e.code(), "cancelled");
    // and when not cancelled, the answer `go` lets it finish
    let w = fake_worker(
        &t,
        r#"read job; echo '{"msg":"commit"}'; read answer; [ "$answer" = go ] && echo '{"msg":"done","result":{"batches":[],"skipped_sheets":[]}}'"#,
    );
    let done = run(&w, Arc::new(CancelSwitch::new()), quiet()).unwrap();
    assert!(done.batches.is_empty());
    assert!(!t.db().exists(), "the fakes never touched the database");
}
