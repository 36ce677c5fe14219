//! Hostile and unusable files, budgets and cancelling: each is refused with its own error
//! code, and an import through the store that fails leaves the database as it was.
//! Every input is made here, in memory or in a temporary folder.

use crate::case::Case;
use cspulse_engine::import::{prepare, Budget, Control, Input, Options, Progress};
use cspulse_engine::store::Origin;
use cspulse_engine::{Error, Kind};
use rust_xlsxwriter::Workbook;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const SEED: &str = "account_id,name,seats\nA,Alpha,10\nB,Beta,5\n";

/// (batch id, rows imported) per batch, and accounts/revenue rows in the store.
type Snapshot = (Vec<(i64, i64)>, usize, usize);

impl Case {
    /// A store that already holds one batch.
    fn seeded() -> Case {
        let mut t = Case::new();
        t.import("seed.csv", SEED);
        t
    }
    fn snapshot(&self) -> Snapshot {
        let batches = self
            .store
            .batches()
            .unwrap()
            .iter()
            .map(|b| (b.batch_id, b.rows_imported))
            .collect();
        let d = self.store.load_all().unwrap();
        (batches, d.accounts.len(), d.revenue.len())
    }
    /// `bytes` saved as `name` is refused with `code`, in memory and through the store,
    /// and the store is unchanged.
    fn assert_refused(&mut self, name: &str, bytes: &[u8], opts: &Options, code: &str) {
        let e = prepare(Path::new(name), bytes, opts).expect_err(name);
        assert_eq!(e.code(), code, "{name} in memory: {e:?}");
        let before = self.snapshot();
        assert_eq!(before.0.len(), 1, "the seed batch is there");
        let p = self.tmp.file(name, bytes);
        let e = self.store.import_file(&p, opts, false).expect_err(name);
        assert_eq!(e.code(), code, "{name} through the store: {e:?}");
        assert_eq!(self.snapshot(), before, "{name}: the store is unchanged");
    }
}

fn xlsx(f: impl FnOnce(&mut Workbook)) -> Vec<u8> {
    let mut wb = Workbook::new();
    f(&mut wb);
    wb.save_to_buffer().unwrap()
}

fn small_xlsx() -> Vec<u8> {
    xlsx(|wb| {
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "account_id").unwrap();
        ws.write_string(0, 1, "name").unwrap();
        for r in 1..200u32 {
            ws.write_string(r, 0, format!("K-{r}")).unwrap();
            ws.write_string(r, 1, format!("Firma Nummer {r}")).unwrap();
        }
    })
}

/// A zip with the given (name, content) entries, deflated.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in entries {
        w.start_file(*name, opts).unwrap();
        w.write_all(content).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn accounts_csv(rows: usize) -> String {
    let mut s = String::from("account_id,name,seats\n");
    for i in 0..rows {
        writeln!(s, "K-{i},Firma {i},{}", i % 50).unwrap();
    }
    s
}

// ---------------------------------------------------------------------------------------
// 14. Unusable files

#[test]
fn lock_files_are_refused_with_lock_file() {
    let mut t = Case::seeded();
    t.assert_refused(
        "~$Mappe.xlsx",
        &small_xlsx(),
        &Options::default(),
        "lock_file",
    );
}

#[test]
fn an_empty_file_is_refused_with_empty_file() {
    let mut t = Case::seeded();
    t.assert_refused("leer.csv", b"", &Options::default(), "empty_file");
}

#[test]
fn random_bytes_and_a_png_are_refused_with_unsupported_format() {
    let mut t = Case::seeded();
    // deterministic noise (an LCG), full of control bytes and zeros
    let mut x: u32 = 0x1234_5678;
    let noise: Vec<u8> = (0..4096)
        .map(|_| {
            x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (x >> 24) as u8
        })
        .collect();
    t.assert_refused(
        "daten.csv",
        &noise,
        &Options::default(),
        "unsupported_format",
    );
    let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00".to_vec();
    png.extend_from_slice(&[0u8; 64]);
    t.assert_refused(
        "kunden.xlsx",
        &png,
        &Options::default(),
        "unsupported_format",
    );
}

#[test]
fn a_word_document_is_refused_with_unsupported_format() {
    let mut t = Case::seeded();
    let docx = zip_of(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("word/document.xml", b"<w:document/>"),
    ]);
    t.assert_refused(
        "kunden.xlsx",
        &docx,
        &Options::default(),
        "unsupported_format",
    );
}

#[test]
fn a_truncated_workbook_is_refused_with_corrupt_file() {
    let mut t = Case::seeded();
    let full = small_xlsx();
    let half = &full[..full.len() / 2];
    t.assert_refused("kunden.xlsx", half, &Options::default(), "corrupt_file");
}

#[test]
fn an_encrypted_workbook_is_refused_with_encrypted_file() {
    let mut t = Case::seeded();
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.resize(1024, 0);
    for name in ["EncryptionInfo", "EncryptedPackage"] {
        ole.extend(name.encode_utf16().flat_map(u16::to_le_bytes));
        ole.resize(ole.len() + 128 - name.len() * 2, 0);
    }
    ole.resize(4096, 0);
    t.assert_refused("kunden.xlsx", &ole, &Options::default(), "encrypted_file");
}

// ---------------------------------------------------------------------------------------
// 15. A sparse sheet

#[test]
fn a_cell_at_xfd1048576_costs_no_dense_grid() {
    let bytes = xlsx(|wb| {
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "Kundenexport").unwrap();
        ws.write_string(2, 0, "account_id").unwrap();
        ws.write_string(2, 1, "name").unwrap();
        for (r, (id, name)) in [("K-1", "Alpha"), ("K-2", "Beta"), ("K-3", "Gamma")]
            .iter()
            .enumerate()
        {
            ws.write_string(3 + r as u32, 0, *id).unwrap();
            ws.write_string(3 + r as u32, 1, *name).unwrap();
        }
        ws.write_string(1_048_575, 16_383, "Ende").unwrap();
    });
    let started = Instant::now();
    let t = prepare(Path::new("kunden.xlsx"), &bytes, &Options::default()).unwrap();
    let took = started.elapsed();
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert_eq!(t.len(), 1);
    let p = &t[0];
    assert_eq!(p.kind, Kind::Accounts);
    assert_eq!(p.header_row, 3);
    assert_eq!(p.rows.len(), 3);
    let nos: Vec<u32> = p.rows.iter().map(|r| r.0).collect();
    assert_eq!(nos, vec![4, 5, 6]);
    // the far cell's row has no account id: reported, not imported
    assert_eq!(p.skipped, 1, "{:#?}", p.issues);
    assert_eq!(p.issues[0].row, 1_048_576);
    assert_eq!(p.issues[0].column, "account_id");
}

// ---------------------------------------------------------------------------------------
// 16. Zip bomb

#[test]
fn a_zip_bomb_is_refused_with_file_too_large_before_inflating() {
    let mut t = Case::seeded();
    let mut sheet = b"<worksheet><sheetData>".to_vec();
    sheet.resize(80 << 20, b' ');
    let bomb = zip_of(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("xl/workbook.xml", b"<workbook><sheets><sheet name=\"A\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"),
        ("xl/worksheets/sheet1.xml", &sheet),
    ]);
    drop(sheet);
    assert!(
        bomb.len() < (80 << 20) / 1000,
        "the test's bomb inflates > 1000:1 ({} bytes)",
        bomb.len()
    );
    t.assert_refused("kunden.xlsx", &bomb, &Options::default(), "file_too_large");
}

// ---------------------------------------------------------------------------------------
// 17. Budgets

/// A one-sheet OpenDocument spreadsheet (read by calamine's whole-sheet reader) with a
/// header and `rows` accounts.
fn accounts_ods(rows: usize) -> Vec<u8> {
    let cell = |t: &str| {
        format!(
            r#"<table:table-cell office:value-type="string"><text:p>{t}</text:p></table:table-cell>"#
        )
    };
    let mut table = String::new();
    let mut row = |cells: [String; 2]| {
        write!(
            table,
            "<table:table-row>{}{}</table:table-row>",
            cells[0], cells[1]
        )
        .unwrap()
    };
    row([cell("account_id"), cell("name")]);
    for i in 0..rows {
        row([cell(&format!("K-{i}")), cell(&format!("Firma {i}"))]);
    }
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Kunden">{table}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    zip_of(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("META-INF/manifest.xml", manifest.as_bytes()),
        ("content.xml", content.as_bytes()),
    ])
}

/// A text file streams: neither its rows nor its cells are limited (only the columns, the
/// cell text and the clock), so a file far over the row and cell budgets imports in full.
#[test]
fn a_text_file_over_the_row_and_cell_budgets_imports_every_row() {
    let mut t = Case::seeded();
    let opts = Options {
        budget: Budget {
            rows: 10,
            cells: 50,
            ..Budget::default()
        },
        ..Options::default()
    };
    let ok = prepare(Path::new("k.csv"), accounts_csv(500).as_bytes(), &opts).unwrap();
    assert_eq!(ok[0].rows.len(), 500);
    let p = t.tmp.file("kunden.csv", accounts_csv(500).as_bytes());
    t.store.import_file(&p, &opts, false).unwrap();
    let (batches, accounts, _) = t.snapshot();
    assert_eq!(batches.len(), 2, "{batches:?}");
    assert_eq!(batches[1].1, 500);
    assert_eq!(accounts, 502, "the seed's two accounts and the file's 500");
}

/// A workbook read whole (ods, xls) or cell by cell (xlsx) is still held to the row and
/// cell budgets, and a refused one writes nothing.
#[test]
fn a_workbook_over_the_row_or_cell_budget_is_refused_and_writes_nothing() {
    let mut t = Case::seeded();
    let rows = Options {
        budget: Budget {
            rows: 10,
            ..Budget::default()
        },
        ..Options::default()
    };
    let cells = Options {
        budget: Budget {
            cells: 50,
            ..Budget::default()
        },
        ..Options::default()
    };
    t.assert_refused("kunden.ods", &accounts_ods(100), &rows, "file_too_large");
    t.assert_refused("kunden.ods", &accounts_ods(100), &cells, "file_too_large");
    t.assert_refused("kunden.xlsx", &small_xlsx(), &rows, "file_too_large");
    t.assert_refused("kunden.xlsx", &small_xlsx(), &cells, "file_too_large");
    // within the budgets the same kind of file imports
    let ok = prepare(Path::new("k.ods"), &accounts_ods(5), &rows).unwrap();
    assert_eq!(ok[0].rows.len(), 5);
    let ok = prepare(Path::new("k.ods"), &accounts_ods(5), &cells).unwrap();
    assert_eq!(ok[0].rows.len(), 5);
}

#[test]
fn a_column_budget_stops_a_wider_table_and_writes_nothing() {
    let mut t = Case::seeded();
    let opts = Options {
        budget: Budget {
            columns: 3,
            ..Budget::default()
        },
        ..Options::default()
    };
    let wide = "account_id,name,seats,plan,region\nK-1,A,1,Pro,DE\nK-2,B,2,Pro,AT\n";
    t.assert_refused("kunden.csv", wide.as_bytes(), &opts, "file_too_large");
    let ok = prepare(Path::new("k.csv"), accounts_csv(5).as_bytes(), &opts).unwrap();
    assert_eq!(ok[0].rows.len(), 5, "three columns fit");
}

// ---------------------------------------------------------------------------------------
// 18. Cancel and progress

#[test]
fn cancelling_from_the_progress_callback_writes_nothing_and_the_file_imports_later() {
    let mut t = Case::seeded();
    let p = t.tmp.file("kunden.csv", accounts_csv(50_000).as_bytes());
    let before = t.snapshot();

    let cancel = Arc::new(AtomicBool::new(false));
    let calls = Arc::new(Mutex::new(0usize));
    let control = Control {
        progress: Some({
            let cancel = Arc::clone(&cancel);
            let calls = Arc::clone(&calls);
            Arc::new(move |_: &Progress| {
                *calls.lock().unwrap() += 1;
                cancel.store(true, Ordering::Relaxed);
            })
        }),
        cancel: Some(Arc::clone(&cancel)),
        ..Control::default()
    };
    let e = t
        .store
        .import(
            &p,
            Input::File(p.clone()),
            &Options::default(),
            &control,
            false,
            Origin::File,
        )
        .expect_err("cancelled");
    assert_eq!(e.code(), "cancelled", "{e:?}");
    assert!(matches!(e, Error::Cancelled { .. }));
    assert_eq!(*calls.lock().unwrap(), 1, "stopped at the next check");
    assert_eq!(t.snapshot(), before, "a cancelled import writes nothing");

    // the same file imports afterwards, reporting progress as it goes
    let seen: Arc<Mutex<Vec<Progress>>> = Arc::default();
    let control = Control {
        progress: Some({
            let seen = Arc::clone(&seen);
            Arc::new(move |p: &Progress| seen.lock().unwrap().push(p.clone()))
        }),
        cancel: Some(Arc::new(AtomicBool::new(false))),
        ..Control::default()
    };
    let done = t
        .store
        .import(
            &p,
            Input::File(p.clone()),
            &Options::default(),
            &control,
            false,
            Origin::File,
        )
        .unwrap();
    assert_eq!(done.batches.len(), 1);
    assert_eq!(done.batches[0].batch.rows_imported, 50_000);
    assert_eq!(t.snapshot().1, 2 + 50_000);
    let seen = seen.lock().unwrap();
    assert!(seen.len() >= 3, "{} reports", seen.len());
    for w in seen.windows(2) {
        assert!(w[1].rows >= w[0].rows, "rows only grow: {seen:?}");
    }
    assert!(seen.windows(2).any(|w| w[1].rows > w[0].rows));
    for p in seen.iter() {
        assert!((0.0..=1.0).contains(&p.fraction), "fraction {}", p.fraction);
        assert!(p.rows_per_second >= 0.0);
    }
    let last = seen.last().unwrap();
    assert_eq!((last.rows, last.fraction), (50_000, 1.0));
}

// ---------------------------------------------------------------------------------------
// 19. Idempotency, replace, undo

#[test]
fn the_streaming_import_is_idempotent_replaceable_and_undoable() {
    let mut t = Case::seeded();
    let seed = t.snapshot();
    let p = t.tmp.file("kunden.csv", accounts_csv(12_000).as_bytes());
    let first = t.store.import_file(&p, &Options::default(), false).unwrap();
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].batch.rows_imported, 12_000);
    assert_eq!(t.snapshot().1, 2 + 12_000);

    let e = t
        .store
        .import_file(&p, &Options::default(), false)
        .expect_err("the same file again");
    assert_eq!(e.code(), "already_imported");
    assert_eq!(t.snapshot().1, 2 + 12_000, "nothing doubled");

    let again = t.store.import_file(&p, &Options::default(), true).unwrap();
    assert_ne!(again[0].batch.batch_id, first[0].batch.batch_id);
    let snap = t.snapshot();
    assert_eq!(
        snap.0.len(),
        2,
        "the seed and the replacement: {:?}",
        snap.0
    );
    assert_eq!(snap.1, 2 + 12_000);

    t.store.undo(again[0].batch.batch_id).unwrap();
    assert_eq!(t.snapshot(), seed, "undo removes exactly the batch's rows");
}

#[test]
fn an_encrypted_workbook_with_its_directory_after_the_first_megabyte_is_encrypted_file() {
    let mut t = Case::seeded();
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    // the encrypted payload first, the directory (with the stream names) at the end
    ole.resize(3 << 20, 0x5A);
    for name in ["Root Entry", "EncryptionInfo", "EncryptedPackage"] {
        ole.extend(name.encode_utf16().flat_map(u16::to_le_bytes));
        ole.resize(ole.len() + 128 - name.len() * 2, 0);
    }
    t.assert_refused("gross.xlsx", &ole, &Options::default(), "encrypted_file");
}

/// Imports `bytes` (saved as `name`) into a fresh store and returns the progress reports.
fn progress_of(name: &str, bytes: &[u8]) -> Vec<Progress> {
    let t = Case::seeded();
    let p = t.tmp.file(name, bytes);
    let mut store = t.store;
    let seen: Arc<Mutex<Vec<Progress>>> = Arc::default();
    let control = Control {
        progress: Some({
            let seen = Arc::clone(&seen);
            Arc::new(move |p: &Progress| seen.lock().unwrap().push(p.clone()))
        }),
        cancel: None,
        ..Control::default()
    };
    store
        .import(
            &p,
            Input::File(p.clone()),
            &Options::default(),
            &control,
            false,
            Origin::File,
        )
        .unwrap();
    let seen = seen.lock().unwrap().clone();
    seen
}

#[test]
fn progress_never_goes_back_when_late_evidence_restarts_the_table() {
    let mut csv = String::from("account_id,mrr\n");
    for i in 0..30_000 {
        writeln!(csv, "A{i},1.000").unwrap();
    }
    csv.push_str("LATE,\"1.234,56\"\n");
    let seen = progress_of("kunden.csv", csv.as_bytes());
    assert!(seen.len() >= 4, "{seen:?}");
    for w in seen.windows(2) {
        assert!(
            w[1].rows >= w[0].rows && w[1].fraction >= w[0].fraction,
            "progress goes back: {:?} → {:?}",
            w[0],
            w[1]
        );
    }
}

#[test]
fn progress_of_a_utf16_file_reaches_near_the_end_before_the_last_report() {
    let csv = accounts_csv(50_000);
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(csv.encode_utf16().flat_map(u16::to_le_bytes));
    let seen = progress_of("kunden.csv", &bytes);
    let before_last = &seen[..seen.len() - 1];
    let max = before_last.iter().map(|p| p.fraction).fold(0.0, f64::max);
    let rows = before_last.last().map_or(0, |p| p.rows);
    // the reports before the last one come at 8192-row steps: 49,152 of 50,000 rows read
    assert!(rows >= 40_000, "{rows}");
    assert!(max > 0.8, "fraction {max} after {rows} of 50,000 rows");
}

/// Sets the uncompressed size that the local header and the central directory declare for
/// the entry `name` (a zip bomb that lies about its size).
fn declare_size(zip: &mut [u8], name: &str, size: u32) {
    let mut patched = 0;
    for i in 0..zip.len().saturating_sub(46 + name.len()) {
        let (size_at, name_at) = match &zip[i..i + 4] {
            b"PK\x03\x04" => (22, 30),
            b"PK\x01\x02" => (24, 46),
            _ => continue,
        };
        if zip.get(i + name_at..i + name_at + name.len()) == Some(name.as_bytes()) {
            zip[i + size_at..i + size_at + 4].copy_from_slice(&size.to_le_bytes());
            patched += 1;
        }
    }
    assert_eq!(patched, 2, "both headers of {name}");
}

/// The declared sizes pass the checks, but the reader stops at the declared size.
#[test]
fn a_zip_part_that_lies_about_its_size_is_refused_as_corrupt() {
    let mut t = Case::seeded();
    let mut sheet = br#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#.to_vec();
    sheet.resize(8 << 20, b' ');
    sheet.extend_from_slice(b"</sheetData></worksheet>");
    let mut bomb = zip_of(&[
        ("[Content_Types].xml", br#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#),
        ("_rels/.rels", br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
        ("xl/workbook.xml", br#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
        ("xl/_rels/workbook.xml.rels", br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#),
        ("xl/worksheets/sheet1.xml", &sheet),
    ]);
    drop(sheet);
    declare_size(&mut bomb, "xl/worksheets/sheet1.xml", 4096);
    t.assert_refused("kunden.xlsx", &bomb, &Options::default(), "corrupt_file");
}

fn cell_budget(chars: usize) -> Options {
    Options {
        budget: Budget {
            cell_chars: chars,
            ..Budget::default()
        },
        ..Options::default()
    }
}

#[test]
fn the_cell_text_budget_counts_characters_in_a_text_file() {
    let over = format!("account_id,name\nK-1,{}\n", "x".repeat(30));
    let e = prepare(Path::new("k.csv"), over.as_bytes(), &cell_budget(10)).expect_err("30 > 10");
    assert_eq!(e.code(), "file_too_large");
}

#[test]
fn the_cell_text_budget_counts_characters_in_a_workbook() {
    let bytes = xlsx(|wb| {
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "account_id").unwrap();
        ws.write_string(0, 1, "name").unwrap();
        ws.write_string(1, 0, "K-1").unwrap();
        ws.write_string(1, 1, "ÄÖÜäöüß").unwrap();
    });
    // 10 characters allowed: `account_id` and the 7 umlauts (14 bytes) fit
    let t = prepare(Path::new("k.xlsx"), &bytes, &cell_budget(10)).unwrap();
    assert_eq!(t[0].rows.len(), 1);
}
