//! Reading a file into rows of cells: CSV/text (csv crate, encoding_rs) and workbooks
//! (calamine: xlsx, xlsm, xlsb, xls, ods), routed by the file's first bytes.

use super::convert::Cell;
use crate::error::{Error, Result};
use calamine::{Data, Reader};
use std::io::Cursor;
use std::path::Path;

/// One table to import: a CSV file or one sheet of a workbook.
pub struct Table {
    /// The sheet name; `None` for CSV/text files.
    pub sheet: Option<String>,
    /// Rows with the row number a user sees (Excel row, or CSV line).
    pub rows: Vec<(u32, Vec<Cell>)>,
    /// The file's own hint at its number spelling: a `;`-separated text file comes from a
    /// locale whose decimal separator is the comma (Excel uses `;` exactly there).
    pub decimal_hint: super::convert::Decimal,
}

/// Reads every table of the file at `path` (`bytes` is its content).
pub fn read(path: &Path, bytes: &[u8]) -> Result<Vec<Table>> {
    if bytes.is_empty() {
        return Err(Error::Empty {
            file: path.into(),
            sheet: None,
        });
    }
    let is_zip = bytes.starts_with(b"PK\x03\x04");
    let is_ole = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    if is_zip || is_ole {
        return read_workbook(path, bytes);
    }
    if bytes.iter().take(4096).filter(|&&b| b == 0).count() > 0 && !has_utf16_shape(bytes) {
        return Err(Error::UnsupportedFormat { file: path.into() });
    }
    Ok(vec![read_text(path, bytes)?])
}

fn has_utf16_shape(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF])
}

/// Decodes text: UTF-8 (BOM stripped), UTF-16 with BOM, else Windows-1252.
fn decode(bytes: &[u8]) -> String {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return text.into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    }
}

fn sniff_delimiter(first_line: &str) -> u8 {
    let mut best = (b',', 0);
    for d in [b',', b';', b'\t', b'|'] {
        let mut in_quotes = false;
        let mut n = 0;
        for c in first_line.bytes() {
            if c == b'"' {
                in_quotes = !in_quotes;
            } else if c == d && !in_quotes {
                n += 1;
            }
        }
        if n > best.1 {
            best = (d, n);
        }
    }
    best.0
}

fn read_text(path: &Path, bytes: &[u8]) -> Result<Table> {
    let text = decode(bytes);
    let mut body = text.as_str();
    let mut line_offset = 0;
    let mut delimiter = None;
    // Excel's "sep=;" first line
    if let Some(first) = body.lines().next() {
        let f = first.trim().trim_matches('"');
        if let Some(sep) = f.strip_prefix("sep=").filter(|s| s.len() == 1) {
            delimiter = Some(sep.as_bytes()[0]);
            // drop exactly that line: blank lines below it still count as lines
            let rest = &body[first.len()..];
            body = rest
                .strip_prefix("\r\n")
                .or_else(|| rest.strip_prefix('\n'))
                .unwrap_or(rest);
            line_offset = 1;
        }
    }
    let delimiter = delimiter.unwrap_or_else(|| {
        sniff_delimiter(body.lines().find(|l| !l.trim().is_empty()).unwrap_or(""))
    });
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(body.as_bytes());
    let mut rows = Vec::new();
    // the line a user sees, counted from the record's first byte: the csv crate's own
    // position starts at the blank lines it skipped before the record
    let (mut counted_to, mut line_at) = (0usize, 1u32);
    for record in reader.records() {
        let record = record.map_err(|e| Error::Corrupt {
            file: path.into(),
            detail: e.to_string(),
        })?;
        let from = record
            .position()
            .map_or(counted_to, |p| p.byte() as usize)
            .max(counted_to);
        let start = from
            + body.as_bytes()[from..]
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count();
        line_at += body.as_bytes()[counted_to..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u32;
        counted_to = start;
        let line = line_at + line_offset;
        let cells = record
            .iter()
            .map(|t| {
                if t.is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(t.to_owned())
                }
            })
            .collect();
        rows.push((line, cells));
    }
    // Excel writes `;` where the comma is the decimal separator, `,` where the point is
    let decimal_hint = match delimiter {
        b';' => super::convert::Decimal::Comma,
        b',' => super::convert::Decimal::Point,
        _ => super::convert::Decimal::Unknown,
    };
    Ok(Table {
        sheet: None,
        rows,
        decimal_hint,
    })
}

fn cell(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        // calamine's conversion panics far outside Excel's date range (years 1900–9999):
        // only a serial within it becomes a date; any other stays a number and is reported
        Data::DateTime(dt) if dt.is_duration() || !(1.0..2_958_466.0).contains(&dt.as_f64()) => {
            Cell::Number(dt.as_f64())
        }
        Data::DateTime(dt) => dt
            .as_datetime()
            .map_or(Cell::Number(dt.as_f64()), Cell::DateTime),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(format!("#{e:?}")),
    }
}

fn read_workbook(path: &Path, bytes: &[u8]) -> Result<Vec<Table>> {
    let corrupt = |e: calamine::Error| Error::Corrupt {
        file: path.into(),
        detail: e.to_string(),
    };
    let mut wb = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(corrupt)?;
    let mut tables = Vec::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).map_err(corrupt)?;
        let (row0, col0) = range.start().unwrap_or((0, 0));
        let rows = range
            .rows()
            .enumerate()
            .map(|(i, r)| {
                let mut cells: Vec<Cell> =
                    std::iter::repeat_n(Cell::Empty, col0 as usize).collect();
                cells.extend(r.iter().map(cell));
                (row0 + i as u32 + 1, cells)
            })
            .collect();
        tables.push(Table {
            sheet: Some(name),
            rows,
            decimal_hint: super::convert::Decimal::Unknown,
        });
    }
    Ok(tables)
}
