//! Workbooks (xlsx, xlsm, xlsb, xls, ods) through calamine: the container checked before
//! anything is inflated (zip bombs, encrypted workbooks, OLE files that hold no workbook),
//! then a sheet's cells in row-major order, assembled into rows under the budgets. xlsx and
//! xlsb are streamed cell by cell; xls and ods only have calamine's whole-sheet range.

use super::{
    prefetched, Budgeted, FileRow, Format, OpenedFile, ReadSeek, Rows, TableNotes, ZipKind,
};
use crate::error::{Error, Result};
use crate::import::convert::{Decimal, FileCell};
use calamine::{Data, DataRef, Reader};
use std::io::{Read, Seek};
use std::path::Path;

impl OpenedFile {
    fn corrupt(&self, detail: impl ToString) -> Error {
        corrupt(&self.path, detail.to_string())
    }

    /// Reads the zip's central directory (no inflating) and refuses archives that are not
    /// workbooks or that declare more than the budget once inflated.
    pub(super) fn check_zip(&self) -> Result<()> {
        let reader = self.input.open(&self.path)?;
        let mut zip = zip::ZipArchive::new(reader).map_err(|e| self.corrupt(e))?;
        let mut total: u64 = 0;
        let mut is_workbook = false;
        let mut encrypted = false;
        for i in 0..zip.len() {
            let entry = zip.by_index_raw(i).map_err(|e| self.corrupt(e))?;
            let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
            total = total.saturating_add(entry.size());
            encrypted |= entry.encrypted();
            match name.as_str() {
                "xl/workbook.xml" => is_workbook = true,
                "xl/workbook.bin" => {
                    is_workbook = true;
                    self.zip_kind.set(ZipKind::Xlsb);
                }
                "content.xml" => {
                    is_workbook = true;
                    self.zip_kind.set(ZipKind::Ods);
                }
                _ => {}
            }
            // a part that inflates more than 1000-fold is a bomb, not a spreadsheet
            if entry.size() > 64 << 20 && entry.size() / entry.compressed_size().max(1) > 1000 {
                return Err(Error::TooLarge {
                    file: self.path.clone(),
                    limit: crate::error::Limit::Inflated,
                });
            }
        }
        if encrypted {
            return Err(Error::Encrypted {
                file: self.path.clone(),
            });
        }
        if !is_workbook {
            return Err(Error::UnsupportedFormat {
                file: self.path.clone(),
            });
        }
        if total > self.budget.inflated_bytes {
            return Err(Error::TooLarge {
                file: self.path.clone(),
                limit: crate::error::Limit::Inflated,
            });
        }
        Ok(())
    }

    /// An OLE file is an old `.xls`, or an encrypted (password-protected) new workbook,
    /// which Excel stores as OLE streams `EncryptionInfo` + `EncryptedPackage`.
    pub(super) fn check_ole(&self) -> Result<()> {
        // the directory can be anywhere in the file: scan all of it, in chunks
        let utf16 = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(u16::to_le_bytes).collect() };
        let needles = [
            utf16("EncryptedPackage"),
            utf16("EncryptionInfo"),
            utf16("Workbook"),
            utf16("Book"),
        ];
        let mut found = [false; 4];
        let mut reader = self.input.open(&self.path)?;
        let mut buf = vec![0u8; 1 << 20];
        let mut keep = 0;
        loop {
            let n = reader
                .read(&mut buf[keep..])
                .map_err(|e| Error::FileUnreadable {
                    file: self.path.clone(),
                    reason: e.kind(),
                })?;
            if n == 0 {
                break;
            }
            let chunk = &buf[..keep + n];
            for (i, needle) in needles.iter().enumerate() {
                found[i] |= memchr::memmem::find(chunk, needle).is_some();
            }
            // the last bytes may start a name that continues in the next chunk
            keep = 64.min(chunk.len());
            let tail = chunk.len() - keep;
            buf.copy_within(tail..tail + keep, 0);
        }
        let has = |i: usize| found[i];
        if has(0) || has(1) {
            return Err(Error::Encrypted {
                file: self.path.clone(),
            });
        }
        if !has(2) && !has(3) {
            // a Word document, an msi, …: an OLE file without a workbook stream
            return Err(Error::UnsupportedFormat {
                file: self.path.clone(),
            });
        }
        Ok(())
    }
    pub(super) fn workbook(&self) -> Result<calamine::Sheets<Box<dyn ReadSeek>>> {
        let reader = self.input.open(&self.path)?;
        open_workbook(&self.path, reader, self.format, self.zip_kind.get())
    }

    pub(super) fn with_sheet_rows<T>(
        &mut self,
        name: &str,
        f: impl FnOnce(&mut dyn Rows, &TableNotes) -> Result<T>,
    ) -> Result<T> {
        let (input, path, zip_kind, format, sheet) = (
            self.input.clone(),
            self.path.clone(),
            self.zip_kind.get(),
            self.format,
            name.to_owned(),
        );
        let notes = TableNotes {
            decimal_hint: Decimal::Unknown,
            merged: Some(Box::new(move || {
                let Ok(reader) = input.open(&path) else {
                    return vec![];
                };
                let wb = open_workbook(&path, reader, format, zip_kind);
                wb.map(|mut wb| merged_regions(&mut wb, &sheet))
                    .unwrap_or_default()
                    .into_iter()
                    .map(|d| (d.start, d.end))
                    .collect()
            })),
        };
        let mut wb = match self.wb.take() {
            Some(wb) => wb,
            None => self.workbook()?,
        };
        let budget = Budgeted {
            path: self.path.clone(),
            budget: self.budget.clone(),
            started: self.started,
            cells: self.cells,
        };
        let corrupt = |e: &dyn std::fmt::Display| self.corrupt(e);
        // xlsx and xlsb have calamine's streaming cell reader (one macro: the xlsb reader's
        // type is not exported, so the two cannot share a function)
        macro_rules! streamed {
            ($x:expr) => {{
                let mut reader = $x.worksheet_cells_reader(name).map_err(|e| corrupt(&e))?;
                let rows_hint = reader.dimensions().end.0.saturating_add(1);
                let next = move || match reader.next_cell() {
                    Ok(Some(c)) => {
                        let (r, col) = c.get_position();
                        Ok(Some((r, col, piece(c.get_value().clone()))))
                    }
                    Ok(None) => Ok(None),
                    Err(e) => Err(e.to_string()),
                };
                let mut rows = CellRows::new(FnCells { next, rows_hint }, budget);
                let out = prefetched(&mut rows, &notes, f);
                (out, rows.budget.cells)
            }};
        }
        let (out, cells) = match &mut wb {
            calamine::Sheets::Xlsx(x) => streamed!(x),
            calamine::Sheets::Xlsb(x) => streamed!(x),
            other => {
                let range = other.worksheet_range(name).map_err(|e| corrupt(&e))?;
                let mut rows = CellRows::new(RangeCells::new(range), budget);
                let out = prefetched(&mut rows, &notes, f);
                (out, rows.budget.cells)
            }
        };
        self.cells = cells;
        self.wb = Some(wb);
        out
    }
}

fn open_workbook(
    path: &Path,
    reader: Box<dyn ReadSeek>,
    format: Format,
    zip_kind: ZipKind,
) -> Result<calamine::Sheets<Box<dyn ReadSeek>>> {
    let corrupt = |e: &dyn std::fmt::Display| corrupt(path, e.to_string());
    Ok(match (format, zip_kind) {
        (Format::Ole, _) => {
            calamine::Sheets::Xls(calamine::Xls::new(reader).map_err(|e| corrupt(&e))?)
        }
        (_, ZipKind::Xlsb) => {
            calamine::Sheets::Xlsb(calamine::Xlsb::new(reader).map_err(|e| corrupt(&e))?)
        }
        (_, ZipKind::Ods) => {
            calamine::Sheets::Ods(calamine::Ods::new(reader).map_err(|e| corrupt(&e))?)
        }
        _ => calamine::Sheets::Xlsx(calamine::Xlsx::new(reader).map_err(|e| corrupt(&e))?),
    })
}

/// Merged cells of a sheet, where the format tells them (xlsx, xls); empty otherwise.
fn merged_regions<RS: Read + Seek>(
    wb: &mut calamine::Sheets<RS>,
    name: &str,
) -> Vec<calamine::Dimensions> {
    match wb {
        calamine::Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
        calamine::Sheets::Xls(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
        _ => vec![],
    }
}

/// A cell stream: (0-based row, 0-based column, cell).
trait CellStream<'a> {
    fn next(&mut self) -> std::result::Result<Option<(u32, u32, Piece<'a>)>, String>;
    fn rows_hint(&self) -> u32;
}

/// A cell from a reader: a shared string is borrowed (copied into a reused buffer).
enum Piece<'a> {
    Shared(&'a str),
    Owned(FileCell),
}

fn piece(d: DataRef<'_>) -> Piece<'_> {
    match d {
        DataRef::SharedString(s) => Piece::Shared(s),
        other => Piece::Owned(cell_ref(other)),
    }
}

/// A cell stream from a closure (for readers whose type calamine does not export).
struct FnCells<F> {
    next: F,
    rows_hint: u32,
}

impl<'a, F> CellStream<'a> for FnCells<F>
where
    F: FnMut() -> std::result::Result<Option<(u32, u32, Piece<'a>)>, String>,
{
    fn next(&mut self) -> std::result::Result<Option<(u32, u32, Piece<'a>)>, String> {
        (self.next)()
    }
    fn rows_hint(&self) -> u32 {
        self.rows_hint
    }
}

/// xls and ods: calamine's whole-sheet range, walked cell by cell (non-empty cells only).
struct RangeCells {
    range: calamine::Range<Data>,
    pos: usize,
}

impl RangeCells {
    fn new(range: calamine::Range<Data>) -> Self {
        RangeCells { range, pos: 0 }
    }
}

impl CellStream<'static> for RangeCells {
    fn next(&mut self) -> std::result::Result<Option<(u32, u32, Piece<'static>)>, String> {
        let (row0, col0) = self.range.start().unwrap_or((0, 0));
        let width = self.range.width().max(1);
        let cells = self.range.get_size().0 * self.range.get_size().1;
        while self.pos < cells {
            let i = self.pos;
            self.pos += 1;
            let (r, c) = (i / width, i % width);
            if let Some(d) = self.range.get((r, c)) {
                if *d != Data::Empty {
                    return Ok(Some((
                        row0 + r as u32,
                        col0 + c as u32,
                        Piece::Owned(cell(d)),
                    )));
                }
            }
        }
        Ok(None)
    }
    fn rows_hint(&self) -> u32 {
        self.range.end().map_or(0, |e| e.0 + 1)
    }
}

struct CellRows<'a, S: CellStream<'a>> {
    cells: S,
    /// Strings of earlier rows, reused for the next rows' text cells.
    pool: Vec<String>,
    /// Rows read (for the row budget).
    rows: u32,
    budget: Budgeted,
    /// The next cell, read ahead: it belongs to a later row.
    pending: Option<(u32, u32, Piece<'a>)>,
    done: bool,
    last_row: u32,
}

impl<'a, S: CellStream<'a>> CellRows<'a, S> {
    fn new(cells: S, budget: Budgeted) -> Self {
        CellRows {
            cells,
            pool: Vec::new(),
            rows: 0,
            budget,
            pending: None,
            done: false,
            last_row: 0,
        }
    }
}

impl<'a, S: CellStream<'a>> Rows for CellRows<'a, S> {
    fn next_row(&mut self, row: &mut FileRow) -> Result<bool> {
        for c in row.cells.drain(..) {
            if let FileCell::Text(s) = c {
                self.pool.push(s);
            }
        }
        row.problem = None;
        if self.done {
            return Ok(false);
        }
        let first = match self.pending.take() {
            Some(c) => c,
            None => match self
                .cells
                .next()
                .map_err(|e| corrupt(&self.budget.path, e))?
            {
                Some(c) => c,
                None => {
                    self.done = true;
                    return Ok(false);
                }
            },
        };
        let r = first.0;
        self.rows += 1;
        if self.rows > self.budget.budget.rows {
            return Err(self.budget.too_large(crate::error::Limit::Rows));
        }
        row.no = r + 1;
        self.last_row = r;
        let put = |row: &mut FileRow,
                   col: u32,
                   p: Piece<'a>,
                   budget: &mut Budgeted,
                   pool: &mut Vec<String>|
         -> Result<()> {
            budget.cell()?;
            if col >= budget.budget.columns {
                return Err(budget.too_large(crate::error::Limit::Columns));
            }
            let c = match p {
                Piece::Shared(t) => {
                    let mut s = pool.pop().unwrap_or_default();
                    s.clear();
                    s.push_str(t);
                    FileCell::Text(s)
                }
                Piece::Owned(c) => c,
            };
            if let FileCell::Text(t) = &c {
                if t.len() > budget.budget.cell_chars
                    && t.chars().count() > budget.budget.cell_chars
                {
                    return Err(budget.too_large(crate::error::Limit::CellText));
                }
            }
            let col = col as usize;
            if row.cells.len() <= col {
                row.cells.resize(col + 1, FileCell::Empty);
            }
            row.cells[col] = c;
            Ok(())
        };
        put(row, first.1, first.2, &mut self.budget, &mut self.pool)?;
        loop {
            match self
                .cells
                .next()
                .map_err(|e| corrupt(&self.budget.path, e))?
            {
                Some(c) if c.0 == r => put(row, c.1, c.2, &mut self.budget, &mut self.pool)?,
                Some(c) => {
                    self.pending = Some(c);
                    break;
                }
                None => {
                    self.done = true;
                    break;
                }
            }
        }
        Ok(true)
    }
    fn fraction(&self) -> f64 {
        let hint = self.cells.rows_hint();
        if hint == 0 {
            0.0
        } else {
            (self.last_row as f64 / hint as f64).min(1.0)
        }
    }
    fn last_row_hint(&self) -> Option<u32> {
        Some(self.cells.rows_hint()).filter(|h| *h > 0)
    }
}

/// A reader's complaint in plain words: what calamine reports as an error string becomes
/// the matching error (password, size), anything else "damaged".
pub(super) fn corrupt(path: &Path, detail: String) -> Error {
    let lower = detail.to_lowercase();
    if lower.contains("password") || lower.contains("encrypt") {
        Error::Encrypted { file: path.into() }
    } else if lower.contains("cell limit exceeded") {
        Error::TooLarge {
            file: path.into(),
            limit: crate::error::Limit::Cells,
        }
    } else {
        Error::Corrupt {
            file: path.into(),
            detail,
        }
    }
}

/// A calamine cell as ours. calamine's date conversion panics far outside Excel's date
/// range (years 1900–9999): only a serial within it becomes a date; any other stays a
/// number and is reported by the conversion.
fn date_cell(dt: &calamine::ExcelDateTime) -> FileCell {
    if dt.is_duration() || !(1.0..2_958_466.0).contains(&dt.as_f64()) {
        return FileCell::Number(dt.as_f64());
    }
    dt.as_datetime()
        .map_or(FileCell::Number(dt.as_f64()), FileCell::DateTime)
}

fn cell(d: &Data) -> FileCell {
    match d {
        Data::Empty => FileCell::Empty,
        Data::String(s) => FileCell::Text(s.clone()),
        Data::Int(i) => FileCell::Number(*i as f64),
        Data::Float(f) => FileCell::Number(*f),
        Data::Bool(b) => FileCell::Bool(*b),
        Data::DateTime(dt) => date_cell(dt),
        Data::DateTimeIso(s) | Data::DurationIso(s) => FileCell::Text(s.clone()),
        Data::Error(e) => FileCell::Error(e.to_string()),
    }
}

fn cell_ref(d: DataRef<'_>) -> FileCell {
    match d {
        DataRef::Empty => FileCell::Empty,
        DataRef::String(s) => FileCell::Text(s),
        DataRef::SharedString(s) => FileCell::Text(s.to_owned()),
        DataRef::Int(i) => FileCell::Number(i as f64),
        DataRef::Float(f) => FileCell::Number(f),
        DataRef::Bool(b) => FileCell::Bool(b),
        DataRef::DateTime(dt) => date_cell(&dt),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => FileCell::Text(s),
        DataRef::Error(e) => FileCell::Error(e.to_string()),
    }
}
