//! Writes the seed corpus of the fuzz targets into `fuzz/seeds/<target>/` from the demo
//! company (small), hand-written messy exports and workbooks made with rust_xlsxwriter.
//! `scripts/fuzz` runs it when `fuzz/seeds` is missing; the output is committed.
#![allow(clippy::unwrap_used)]

use cspulse_engine::demo::{generate, DemoOptions};
use cspulse_engine::Kind;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::fs;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    for t in ["csv_import", "workbook_import", "values"] {
        fs::create_dir_all(root.join(t)).unwrap();
    }
    let write = |target: &str, name: &str, bytes: &[u8]| {
        fs::write(root.join(target).join(name), bytes).unwrap();
    };

    // csv_import: the first byte picks --kind (index into Kind::ALL; 11 = guess)
    let guess = Kind::ALL.len() as u8;
    let opts = DemoOptions {
        accounts: 4,
        months: 3,
        usage_rows: Some(40),
        ..DemoOptions::default()
    };
    for f in generate(&opts) {
        let k = Kind::ALL.iter().position(|&k| k == f.kind).unwrap() as u8;
        let text = String::from_utf8(f.csv).unwrap();
        let short: String = text.lines().take(12).map(|l| format!("{l}\n")).collect();
        write(
            "csv_import",
            &format!("demo-{}", f.kind),
            &[&[k], short.as_bytes()].concat(),
        );
        write(
            "csv_import",
            &format!("guess-{}", f.kind),
            &[&[guess], short.as_bytes()].concat(),
        );
    }
    let messy: &[(&str, &[u8])] = &[
        ("de-semicolon", "Kundennummer;Monat;Umsatz\nK-1;Okt 2026;1.200,00 €\nK-2;Nov. 2026;n/a\nK-3;10/2026;(80,5)\n".as_bytes()),
        ("title-rows", "Export vom 31.10.2026\n\nKunde,Kündigungsdatum,Start\nA,31.10.2026,01/02/2025\nB,,2025-13-01\n".as_bytes()),
        ("tabs-quotes", b"ticket_id\taccount_id\tcreated_at\tresolved_at\n\"T-1\"\tA\t2026-10-01 10:00\t\"2026-10-02\n11:00\"\nT-2\tB\t45000.5\t\n"),
        ("pipes", b"account_id|date|nps|csat|ces\nA|2026-10-01|10|5|2\nB|1.10.26|11|-1|x\n"),
        ("cp1252", b"Kunde;Betrag;Datum\nM\xfcller;12,5;01.10.2026\nG\xf6rz;1.000;32.10.2026\n"),
        ("utf8-bom", b"\xef\xbb\xbfaccount_id,month,mrr\nA,2026-10,100\nA,2026-11,1e400\n"),
        ("empty-lines", b"\n\n\n,,,\naccount_id\n\n"),
        ("ragged", b"a,b,c\n1\n1,2,3,4,5\n\"unterminated\n"),
    ];
    for (name, bytes) in messy {
        write("csv_import", name, &[&[guess], *bytes].concat());
    }
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "account_id\tmonth\tmrr\r\nA\t2026-10\t100,5\r\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    write(
        "csv_import",
        "utf16le",
        &[&[guess], utf16.as_slice()].concat(),
    );

    // workbook_import
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let ws = wb.add_worksheet().set_name("Kunden").unwrap();
    for (c, h) in ["account_id", "name", "seats", "start_date"]
        .iter()
        .enumerate()
    {
        ws.write(0, c as u16, *h).unwrap();
    }
    for r in 1..6u32 {
        ws.write(r, 0, format!("K-{r}")).unwrap();
        ws.write(r, 1, format!("Firma {r}")).unwrap();
        ws.write(r, 2, r * 3).unwrap();
        ws.write_with_format(
            r,
            3,
            &ExcelDateTime::from_ymd(2025, r as u8, 1).unwrap(),
            &date,
        )
        .unwrap();
    }
    let ws = wb.add_worksheet().set_name("MRR").unwrap();
    ws.write(0, 0, "Umsatz nach Monat").unwrap();
    for (c, h) in ["Kundennummer", "Monat", "Umsatz"].iter().enumerate() {
        ws.write(2, c as u16, *h).unwrap();
    }
    for r in 3..8u32 {
        ws.write(r, 0, format!("K-{}", r - 2)).unwrap();
        ws.write(r, 1, "Okt 2026").unwrap();
        ws.write(r, 2, 100.5 * r as f64).unwrap();
    }
    ws.write_formula(8, 2, "=SUM(C4:C8)").unwrap();
    wb.add_worksheet().set_name("Leer").unwrap();
    write(
        "workbook_import",
        "two-sheets.xlsx",
        &wb.save_to_buffer().unwrap(),
    );

    // values: one cell each
    let values = [
        "1.234,56 €",
        "1,234.56",
        "(9)",
        "12 %",
        "-",
        "1e308",
        "-0",
        "NaN",
        "∞",
        "45000",
        "45000.75",
        "2026-10-31",
        "31.10.2026",
        "03/04/2026",
        "13/04/26",
        "2026-10-31 14:05:00",
        "31.10.2026 14:05",
        "Okt 2026",
        "Oct-26",
        "2026-10",
        "10/2026",
        "März 2026",
        "ja",
        "nein",
        "TRUE",
        "won",
        "lost",
        "email",
        "  ",
        "9999-12-31",
        "0000-01-01",
        "1.000",
    ];
    for (i, v) in values.iter().enumerate() {
        write("values", &format!("v{i:02}"), v.as_bytes());
    }
    write("values", "f64-bytes", &45000.5f64.to_le_bytes());
}
