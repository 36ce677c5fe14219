//! Opening an untrusted file and streaming its rows, one table at a time.
//!
//! - Routed by content (magic bytes), never only by the extension: zip → xlsx/xlsm/xlsb/ods,
//!   OLE → xls (or an encrypted workbook), anything else → text.
//! - Text: UTF-8 (with or without BOM), UTF-16 LE/BE (with or without BOM, decoded while
//!   streaming by `encoding_rs_io`), legacy code pages guessed by `chardetng` (Windows-1252 in
//!   practice). Delimiter sniffed from the first line, or Excel's `sep=;` line.
//! - Workbooks: xlsx and xlsb are read cell by cell by calamine's streaming cell reader, so a
//!   sheet with one cell at A1 and one at XFD1048576 costs two cells, not a dense grid. The
//!   zip's declared sizes are checked before anything is inflated. xls and ods only have
//!   calamine's whole-sheet reader; their size is bounded by the budgets below and, in the
//!   CLI, by a child process with memory and time limits.
//! - Budgets for rows, columns, cell text and time stop a hostile file early with a clear
//!   reason instead of letting it take the machine.

use super::convert::{Cell, Decimal};
use crate::error::{Error, Result};
use calamine::{Data, DataRef, Reader, SheetType, SheetVisible};
use std::io::{BufReader, Cursor, Read, Seek};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Limits for one import. The defaults are far above any real export (Excel itself stops at
/// 1,048,576 rows × 16,384 columns) and far below what would exhaust a laptop.
#[derive(Clone, Debug)]
pub struct Budget {
    /// Rows per table.
    pub rows: u32,
    /// Columns per row.
    pub columns: u32,
    /// Characters in one cell (Excel's own limit is 32,767).
    pub cell_chars: usize,
    /// Cells in the whole file (all tables, all passes of the reader).
    pub cells: u64,
    /// Uncompressed size of a workbook's parts, as the zip declares them.
    pub inflated_bytes: u64,
    /// Wall-clock time for reading the whole file.
    pub time: Duration,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            rows: 5_000_000,
            columns: 16_384,
            cell_chars: 1_000_000,
            cells: 200_000_000,
            inflated_bytes: 4 << 30,
            time: Duration::from_secs(600),
        }
    }
}

/// Where the bytes come from. A file is read from disk each time a table is (re)started,
/// so even a 1 GB export is never held in memory.
#[derive(Clone, Debug)]
pub enum Input {
    File(PathBuf),
    Bytes(Arc<[u8]>),
}

trait ReadSeek: Read + Seek + Send {}
impl<T: Read + Seek + Send> ReadSeek for T {}

impl Input {
    fn open(&self, path: &Path) -> Result<Box<dyn ReadSeek>> {
        Ok(match self {
            Input::File(p) => {
                let f = std::fs::File::open(p).map_err(|e| Error::FileUnreadable {
                    file: path.into(),
                    reason: e.kind(),
                })?;
                Box::new(BufReader::with_capacity(256 * 1024, f))
            }
            Input::Bytes(b) => Box::new(Cursor::new(Arc::clone(b))),
        })
    }
    /// Total size in bytes (for progress).
    pub fn len(&self) -> u64 {
        match self {
            Input::File(p) => std::fs::metadata(p).map_or(0, |m| m.len()),
            Input::Bytes(b) => b.len() as u64,
        }
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn head(&self, path: &Path, n: usize) -> Result<Vec<u8>> {
        let mut r = self.open(path)?;
        let mut buf = Vec::with_capacity(n);
        r.by_ref()
            .take(n as u64)
            .read_to_end(&mut buf)
            .map_err(|e| Error::FileUnreadable {
                file: path.into(),
                reason: e.kind(),
            })?;
        Ok(buf)
    }
}

/// Refuses what is not a regular file before anything opens it: a folder, a pipe (opening a
/// FIFO waits until something writes to it), a device, a socket. Links are followed. `file`
/// is the path as the user named it (for the message), `actual` the one to look at.
pub fn check_file(file: &Path, actual: &Path) -> Result<()> {
    let meta = std::fs::metadata(actual).map_err(|e| Error::FileUnreadable {
        file: file.into(),
        reason: e.kind(),
    })?;
    if meta.is_dir() {
        return Err(Error::FileUnreadable {
            file: file.into(),
            reason: std::io::ErrorKind::IsADirectory,
        });
    }
    if !meta.is_file() {
        return Err(Error::NotAFile { file: file.into() });
    }
    Ok(())
}

/// A row as the user sees it: its number (Excel row or text line) and its cells.
#[derive(Clone, Debug, Default)]
pub struct Row {
    pub no: u32,
    pub cells: Vec<Cell>,
    /// The reader could not read this row cleanly; the import skips and reports it.
    pub problem: Option<RowProblem>,
}

/// Why a text row cannot be trusted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowProblem {
    /// The cell in this column is not text in the file's encoding: the file mixes encodings.
    MixedEncoding { column: usize },
    /// A quote opened in this row is never closed: the rest of the file became one cell.
    UnclosedQuote { column: usize },
}

impl Row {
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(Cell::is_empty)
    }
}

/// Streams the rows of one table.
pub trait Rows {
    /// Fills `row` with the next row; `false` at the end of the table.
    fn next_row(&mut self, row: &mut Row) -> Result<bool>;
    /// How far through the table (0..=1), for progress.
    fn fraction(&self) -> f64;
    /// The table's last row number as the file declares it (a workbook's sheet dimension),
    /// when it does: a cheap estimate of its size, not a promise.
    fn last_row_hint(&self) -> Option<u32> {
        None
    }
}

/// What the reader knows about a table beyond its rows.
#[derive(Default)]
pub struct TableNotes {
    /// The file's own hint at its number spelling (a `;`-separated text file comes from a
    /// locale whose decimal separator is the comma).
    pub decimal_hint: Decimal,
    /// The sheet's merged regions, for the header search. Costs a second pass over an xlsx
    /// sheet (calamine finds them after the cells), so it is asked for only when the header
    /// has gaps a merged cell could fill.
    pub merged: Option<MergedLoader>,
}

/// A merged region: its top-left and bottom-right (row, column), 0-based.
pub type Region = ((u32, u32), (u32, u32));

/// Loads a sheet's merged regions.
pub type MergedLoader = Box<dyn Fn() -> Vec<Region>>;

/// Fills every cell of a merged region among `rows` with the region's top-left value
/// (only regions whose top-left cell is among them; at most 1024 columns wide).
pub fn apply_merged(rows: &mut [Row], merged: &[Region]) {
    for &((r0, c0), (r1, c1)) in merged {
        let Some(top) = rows.iter().find(|r| r.no == r0 + 1) else {
            continue;
        };
        let value = top.cells.get(c0 as usize).cloned().unwrap_or(Cell::Empty);
        if value.is_empty() {
            continue;
        }
        let c1 = c1.min(c0 + 1024) as usize;
        for row in rows.iter_mut().filter(|r| r.no > r0 && r.no <= r1 + 1) {
            if row.cells.len() <= c1 {
                row.cells.resize(c1 + 1, Cell::Empty);
            }
            for c in c0 as usize..=c1 {
                if row.cells[c].is_empty() {
                    row.cells[c] = value.clone();
                }
            }
        }
    }
}

/// What kind of file it is, found from its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Zip,
    Ole,
    Text,
}

/// A sheet of a workbook as listed in it.
#[derive(Clone, Debug)]
pub struct SheetInfo {
    pub name: String,
    pub hidden: bool,
    /// A chart sheet, dialog or macro sheet: no cells to import.
    pub not_a_worksheet: bool,
}

/// An opened file: the list of its tables and a way to stream each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ZipKind {
    Xlsx,
    Xlsb,
    Ods,
}

pub struct Source {
    /// The opened workbook, kept between tables (opening parses its shared strings).
    wb: Option<calamine::Sheets<Box<dyn ReadSeek>>>,
    zip_kind: std::cell::Cell<ZipKind>,
    path: PathBuf,
    input: Input,
    format: Format,
    budget: Budget,
    started: Instant,
    cells: u64,
}

impl Source {
    /// Opens `input` (the file the user chose is `path`) and checks what can be checked
    /// before reading: lock files, empty files, encrypted workbooks, zip bombs.
    pub fn open(path: &Path, input: Input, budget: Budget) -> Result<Source> {
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if file_name.starts_with("~$") {
            return Err(Error::LockFile { file: path.into() });
        }
        if let Input::File(p) = &input {
            check_file(path, p)?;
        }
        if input.is_empty() {
            return Err(Error::Empty {
                file: path.into(),
                sheet: None,
            });
        }
        let head = input.head(path, 8)?;
        let format = if head.starts_with(b"PK\x03\x04") {
            Format::Zip
        } else if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            Format::Ole
        } else if head.starts_with(b"PK\x05\x06") || head.starts_with(b"PK\x07\x08") {
            // an empty or spanned zip: no workbook inside
            return Err(Error::Corrupt {
                file: path.into(),
                detail: "empty zip archive".into(),
            });
        } else {
            Format::Text
        };
        let src = Source {
            wb: None,
            zip_kind: std::cell::Cell::new(ZipKind::Xlsx),
            path: path.into(),
            input,
            format,
            budget,
            started: Instant::now(),
            cells: 0,
        };
        match format {
            Format::Zip => src.check_zip()?,
            Format::Ole => src.check_ole()?,
            Format::Text => src.check_text()?,
        }
        Ok(src)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn is_workbook(&self) -> bool {
        self.format != Format::Text
    }

    fn corrupt(&self, detail: impl ToString) -> Error {
        corrupt(&self.path, detail.to_string())
    }

    /// Reads the zip's central directory (no inflating) and refuses archives that are not
    /// workbooks or that declare more than the budget once inflated.
    fn check_zip(&self) -> Result<()> {
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
    fn check_ole(&self) -> Result<()> {
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

    /// Binary files that are not text (PDF, images, executables) are refused up front.
    fn check_text(&self) -> Result<()> {
        let head = self.input.head(&self.path, 8192)?;
        if utf16_order(&head).is_some() {
            return Ok(());
        }
        let nul = head.iter().filter(|&&b| b == 0).count();
        let control = head
            .iter()
            .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1A))
            .count();
        if nul > 0 || control * 20 > head.len() {
            return Err(Error::UnsupportedFormat {
                file: self.path.clone(),
            });
        }
        Ok(())
    }

    /// The tables of the file: one for a text file (sheet `None`), one per sheet of a
    /// workbook, in the workbook's order.
    pub fn sheets(&mut self) -> Result<Vec<SheetInfo>> {
        if self.format == Format::Text {
            return Ok(vec![]);
        }
        let wb = match self.wb.take() {
            Some(wb) => wb,
            None => self.workbook()?,
        };
        let sheets = wb
            .sheets_metadata()
            .iter()
            .map(|s| SheetInfo {
                name: s.name.clone(),
                hidden: s.visible != SheetVisible::Visible,
                not_a_worksheet: s.typ != SheetType::WorkSheet,
            })
            .collect();
        self.wb = Some(wb);
        Ok(sheets)
    }

    fn workbook(&self) -> Result<calamine::Sheets<Box<dyn ReadSeek>>> {
        let reader = self.input.open(&self.path)?;
        open_workbook(&self.path, reader, self.format, self.zip_kind.get())
    }

    /// Streams the rows of one table to `f` (`sheet` is `None` for a text file). `f` may be
    /// called again for the same table by the caller; each call reads from the start.
    pub fn with_rows<T>(
        &mut self,
        sheet: Option<&str>,
        f: impl FnOnce(&mut dyn Rows, &TableNotes) -> Result<T>,
    ) -> Result<T> {
        match (self.format, sheet) {
            (Format::Text, _) | (_, None) => {
                let mut text = TextRows::open(self)?;
                let notes = TableNotes {
                    decimal_hint: text.decimal_hint,
                    merged: None,
                };
                let out = prefetched(&mut text, &notes, f);
                self.cells = text.budget.cells;
                out
            }
            (_, Some(name)) => self.with_sheet_rows(name, f),
        }
    }

    fn with_sheet_rows<T>(
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

/// Rows per batch from the reading thread.
const PREFETCH: usize = 512;

/// Reads `rows` on a thread of its own while `f` works on the rows already read: parsing
/// the file (csv, or calamine's XML) and converting rows run side by side.
fn prefetched<T>(
    rows: &mut (dyn Rows + Send),
    notes: &TableNotes,
    f: impl FnOnce(&mut dyn Rows, &TableNotes) -> Result<T>,
) -> Result<T> {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::mpsc;
    let fraction = AtomicU64::new(0f64.to_bits());
    let last_row_hint = rows.last_row_hint();
    let (send, receive) = mpsc::sync_channel::<Result<Vec<Row>>>(4);
    let (recycle, recycled) = mpsc::channel::<Vec<Row>>();
    std::thread::scope(|scope| {
        let fraction = &fraction;
        let reading = scope.spawn(move || loop {
            let mut batch = recycled.try_recv().unwrap_or_default();
            batch.resize_with(PREFETCH, Row::default);
            let mut n = 0;
            let mut failed = None;
            while n < PREFETCH {
                match rows.next_row(&mut batch[n]) {
                    Ok(true) => n += 1,
                    Ok(false) => break,
                    Err(e) => {
                        failed = Some(e);
                        break;
                    }
                }
            }
            batch.truncate(n);
            fraction.store(rows.fraction().to_bits(), Ordering::Relaxed);
            let last = n < PREFETCH || failed.is_some();
            if n > 0 && send.send(Ok(batch)).is_err() {
                return;
            }
            if let Some(e) = failed {
                let _ = send.send(Err(e));
            }
            if last {
                return;
            }
        });
        let mut reader = Prefetched {
            receive,
            recycle,
            batch: Vec::new(),
            at: 0,
            fraction,
            done: false,
            last_row_hint,
        };
        // when `f` returns (also early, on an error), dropping the reader stops the thread
        let out = f(&mut reader, notes);
        drop(reader);
        // a reader that panicked (a library's bug on a hostile file) ended the rows early:
        // the table is not complete, so the file is reported as damaged
        match reading.join() {
            Ok(()) => out,
            Err(_) => Err(Error::Corrupt {
                file: PathBuf::new(),
                detail: "the reader stopped unexpectedly".into(),
            }),
        }
    })
}

struct Prefetched<'f> {
    receive: std::sync::mpsc::Receiver<Result<Vec<Row>>>,
    recycle: std::sync::mpsc::Sender<Vec<Row>>,
    batch: Vec<Row>,
    at: usize,
    fraction: &'f std::sync::atomic::AtomicU64,
    done: bool,
    last_row_hint: Option<u32>,
}

impl Rows for Prefetched<'_> {
    fn next_row(&mut self, row: &mut Row) -> Result<bool> {
        while self.at == self.batch.len() {
            if self.done {
                return Ok(false);
            }
            let used = std::mem::take(&mut self.batch);
            if !used.is_empty() {
                let _ = self.recycle.send(used);
            }
            self.at = 0;
            match self.receive.recv() {
                Ok(Ok(batch)) => self.batch = batch,
                Ok(Err(e)) => {
                    self.done = true;
                    return Err(e);
                }
                Err(_) => {
                    self.done = true;
                    return Ok(false);
                }
            }
        }
        // the caller gets the row; its old buffers go back to the reader for reuse
        std::mem::swap(row, &mut self.batch[self.at]);
        self.at += 1;
        Ok(true)
    }
    fn fraction(&self) -> f64 {
        f64::from_bits(self.fraction.load(std::sync::atomic::Ordering::Relaxed))
    }
    fn last_row_hint(&self) -> Option<u32> {
        self.last_row_hint
    }
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

/// The budget of a reader, counted as it goes.
struct Budgeted {
    path: PathBuf,
    budget: Budget,
    started: Instant,
    cells: u64,
}

impl Budgeted {
    fn too_large(&self, limit: crate::error::Limit) -> Error {
        Error::TooLarge {
            file: self.path.clone(),
            limit,
        }
    }
    /// Counts one cell; checks the clock every 64k cells.
    fn cell(&mut self) -> Result<()> {
        self.cells += 1;
        if self.cells > self.budget.cells {
            return Err(self.too_large(crate::error::Limit::Cells));
        }
        if self.cells.trailing_zeros() >= 16 && self.started.elapsed() > self.budget.time {
            return Err(self.too_large(crate::error::Limit::Time));
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// Workbooks: cells in row-major order, assembled into rows.

/// A cell stream: (0-based row, 0-based column, cell).
trait CellStream<'a> {
    fn next(&mut self) -> std::result::Result<Option<(u32, u32, Piece<'a>)>, String>;
    fn rows_hint(&self) -> u32;
}

/// A cell from a reader: a shared string is borrowed (copied into a reused buffer).
enum Piece<'a> {
    Shared(&'a str),
    Owned(Cell),
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
    fn next_row(&mut self, row: &mut Row) -> Result<bool> {
        for c in row.cells.drain(..) {
            if let Cell::Text(s) = c {
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
        let put = |row: &mut Row,
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
                    Cell::Text(s)
                }
                Piece::Owned(c) => c,
            };
            if let Cell::Text(t) = &c {
                if t.len() > budget.budget.cell_chars
                    && t.chars().count() > budget.budget.cell_chars
                {
                    return Err(budget.too_large(crate::error::Limit::CellText));
                }
            }
            let col = col as usize;
            if row.cells.len() <= col {
                row.cells.resize(col + 1, Cell::Empty);
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
fn corrupt(path: &Path, detail: String) -> Error {
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
fn date_cell(dt: &calamine::ExcelDateTime) -> Cell {
    if dt.is_duration() || !(1.0..2_958_466.0).contains(&dt.as_f64()) {
        return Cell::Number(dt.as_f64());
    }
    dt.as_datetime()
        .map_or(Cell::Number(dt.as_f64()), Cell::DateTime)
}

fn cell(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => date_cell(dt),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

fn cell_ref(d: DataRef<'_>) -> Cell {
    match d {
        DataRef::Empty => Cell::Empty,
        DataRef::String(s) => Cell::Text(s),
        DataRef::SharedString(s) => Cell::Text(s.to_owned()),
        DataRef::Int(i) => Cell::Number(i as f64),
        DataRef::Float(f) => Cell::Number(f),
        DataRef::Bool(b) => Cell::Bool(b),
        DataRef::DateTime(dt) => date_cell(&dt),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::Text(s),
        DataRef::Error(e) => Cell::Error(e.to_string()),
    }
}

// ---------------------------------------------------------------------------------------
// Text files.

/// UTF-16 without a BOM, told by where the zero bytes are in mostly-ASCII text.
fn utf16_order(head: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    if head.starts_with(&[0xFF, 0xFE]) {
        return Some(encoding_rs::UTF_16LE);
    }
    if head.starts_with(&[0xFE, 0xFF]) {
        return Some(encoding_rs::UTF_16BE);
    }
    let pairs = head.len() / 2;
    if pairs < 2 {
        return None;
    }
    let (mut even0, mut odd0) = (0, 0);
    for p in head.chunks_exact(2) {
        even0 += (p[0] == 0) as usize;
        odd0 += (p[1] == 0) as usize;
    }
    if odd0 * 10 >= pairs * 7 && even0 * 10 < pairs {
        Some(encoding_rs::UTF_16LE)
    } else if even0 * 10 >= pairs * 7 && odd0 * 10 < pairs {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// The text encoding: BOM, else UTF-16 by shape, else UTF-8 when the sample is valid UTF-8,
/// else chardetng's guess among the legacy code pages.
fn text_encoding(sample: &[u8], complete: bool) -> &'static encoding_rs::Encoding {
    if let Some((enc, _)) = encoding_rs::Encoding::for_bom(sample) {
        return enc;
    }
    if let Some(enc) = utf16_order(sample) {
        return enc;
    }
    let valid_up_to = match std::str::from_utf8(sample) {
        Ok(_) => sample.len(),
        Err(e) => e.valid_up_to(),
    };
    // a sample cut inside a multi-byte character is still UTF-8
    if valid_up_to == sample.len() || (!complete && sample.len() - valid_up_to < 4) {
        return encoding_rs::UTF_8;
    }
    // valid multi-byte UTF-8 next to a few stray bytes: a UTF-8 file with some rows in
    // another encoding (those rows are reported), not a legacy file
    if has_utf8_multibyte(sample) {
        return encoding_rs::UTF_8;
    }
    let mut det = chardetng::EncodingDetector::new();
    det.feed(sample, complete);
    let enc = det.guess(None, true);
    if enc == encoding_rs::UTF_8 {
        // invalid UTF-8 after all: the most common legacy code page of spreadsheet exports
        encoding_rs::WINDOWS_1252
    } else {
        enc
    }
}

/// Whether `bytes` hold at least one valid multi-byte UTF-8 character.
fn has_utf8_multibyte(bytes: &[u8]) -> bool {
    bytes.utf8_chunks().any(|c| !c.valid().is_ascii())
}

/// Whether a record's raw bytes end inside a quoted field (csv's quoting rules: a field
/// that starts with `"` is quoted until a `"` not followed by another `"`).
fn ends_inside_quotes(raw: &[u8], delimiter: u8) -> bool {
    let (mut quoted, mut field_start) = (false, true);
    let mut i = 0;
    while i < raw.len() {
        let b = raw[i];
        if quoted {
            if b == b'"' {
                if raw.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    quoted = false;
                }
            }
        } else if field_start && b == b'"' {
            quoted = true;
        } else {
            field_start = b == delimiter || b == b'\n' || b == b'\r';
            i += 1;
            continue;
        }
        field_start = false;
        i += 1;
    }
    quoted
}

fn sniff_delimiter(first_line: &[u8]) -> u8 {
    let mut best = (b',', 0);
    for d in [b',', b';', b'\t', b'|'] {
        let mut in_quotes = false;
        let mut n = 0;
        for &c in first_line {
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

/// Counts what the csv parser consumed: bytes, quotes, the last byte, end of input; keeps
/// the bytes not yet passed by a record (the csv parser reads ahead), to count lines.
///
/// It also bounds one record while it is read: the csv parser buffers a whole record before
/// it hands it over, so a quote opened near the top and never closed would make it (and the
/// line window) hold the rest of the file. Past `record_limit` bytes since the current
/// record began, reading fails, and the row reader says "a cell is too large".
struct Counting<R> {
    inner: R,
    bytes: u64,
    quotes: u64,
    last: u8,
    eof: bool,
    window: Vec<u8>,
    window_start: u64,
    /// Where the record being read began (the parser's position after the last record).
    record_start: u64,
    record_limit: u64,
    /// The limit was hit.
    over: bool,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.bytes.saturating_sub(self.record_start) > self.record_limit {
            self.over = true;
            return Err(std::io::Error::other(
                "a record is larger than the cell budget",
            ));
        }
        let n = self.inner.read(buf)?;
        if n == 0 {
            self.eof = true;
        } else {
            self.bytes += n as u64;
            self.quotes += buf[..n].iter().filter(|&&b| b == b'"').count() as u64;
            self.last = buf[n - 1];
            self.window.extend_from_slice(&buf[..n]);
        }
        Ok(n)
    }
}

/// Counts the bytes read from the file itself.
struct RawCount {
    inner: Box<dyn ReadSeek>,
    read: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl Read for RawCount {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read
            .fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(n)
    }
}

impl Seek for RawCount {
    fn seek(&mut self, pos: std::io::SeekFrom) -> std::io::Result<u64> {
        let at = self.inner.seek(pos)?;
        self.read.store(at, std::sync::atomic::Ordering::Relaxed);
        Ok(at)
    }
}

type TextReader = csv::Reader<Counting<Box<dyn Read + Send>>>;

struct TextRows {
    path: PathBuf,
    reader: TextReader,
    record: csv::ByteRecord,
    encoding: &'static encoding_rs::Encoding,
    /// The stream is UTF-8 (the file, or UTF-16 decoded to it while streaming).
    utf8: bool,
    utf16: bool,
    /// Some text so far was non-ASCII UTF-8: the file is UTF-8 for sure.
    saw_multibyte: bool,
    /// Bytes of the file read so far (before any decoding), for progress.
    raw_read: std::sync::Arc<std::sync::atomic::AtomicU64>,
    line_offset: u32,
    decimal_hint: Decimal,
    delimiter: u8,
    total: u64,
    budget: Budgeted,
    cells: u64,
    rows: u32,
    /// Line counting: the byte up to which lines are counted, and the line there.
    counted_to: u64,
    line_at: u32,
}

impl TextRows {
    fn open(src: &Source) -> Result<TextRows> {
        let sample = src.input.head(&src.path, 64 * 1024)?;
        let complete = sample.len() as u64 >= src.input.len();
        let encoding = text_encoding(&sample, complete);
        let raw_read = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let mut raw = RawCount {
            inner: src.input.open(&src.path)?,
            read: std::sync::Arc::clone(&raw_read),
        };
        let unreadable = |e: std::io::Error| Error::FileUnreadable {
            file: src.path.clone(),
            reason: e.kind(),
        };
        // skip a UTF-8 BOM; UTF-16 is decoded (BOM included) by encoding_rs_io
        let is_utf16 = encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE;
        let mut stream: Box<dyn Read + Send> = if is_utf16 {
            Box::new(
                encoding_rs_io::DecodeReaderBytesBuilder::new()
                    .encoding(Some(encoding))
                    .bom_override(true)
                    .build(raw),
            )
        } else {
            if sample.starts_with(b"\xEF\xBB\xBF") {
                raw.seek(std::io::SeekFrom::Start(3)).map_err(unreadable)?;
            }
            Box::new(raw)
        };
        // the first lines decide the delimiter (title and blank lines above the header do
        // not count: the line with the most of one delimiter does); Excel's `sep=;` first
        // line names it. Line ends may be LF, CRLF or CR.
        let mut head = Vec::new();
        let mut lines: Vec<(usize, usize)> = Vec::new();
        let mut line_start = 0;
        let mut byte = [0u8; 1];
        let mut read = |stream: &mut Box<dyn Read + Send>| -> Result<Option<u8>> {
            match stream.read(&mut byte).map_err(unreadable)? {
                0 => Ok(None),
                _ => Ok(Some(byte[0])),
            }
        };
        while head.len() < 64 * 1024 && lines.len() < 20 {
            let Some(b) = read(&mut stream)? else { break };
            head.push(b);
            if b == b'\n' || b == b'\r' {
                if b == b'\r' {
                    if let Some(next) = read(&mut stream)? {
                        head.push(next);
                        if next != b'\n' {
                            lines.push((line_start, head.len() - 1));
                            line_start = head.len() - 1;
                            continue;
                        }
                    }
                }
                lines.push((line_start, head.len()));
                line_start = head.len();
            }
        }
        if line_start < head.len() {
            lines.push((line_start, head.len()));
        }
        let first = lines.first().map_or(&head[..0], |&(a, b)| &head[a..b]);
        let first_trimmed: Vec<u8> = first
            .iter()
            .copied()
            .filter(|b| !matches!(b, b'\r' | b'\n' | b'"'))
            .collect();
        let sep_line = first_trimmed
            .strip_prefix(b"sep=")
            .filter(|s| s.len() == 1)
            .map(|s| s[0]);
        let (delimiter, line_offset, replay) = match sep_line {
            Some(d) => {
                let after = lines.first().map_or(0, |l| l.1);
                (d, 1, head[after..].to_vec())
            }
            None => {
                let best = lines
                    .iter()
                    .map(|&(a, b)| {
                        let line = &head[a..b];
                        let d = sniff_delimiter(line);
                        let n = line.iter().filter(|&&c| c == d).count();
                        (d, n)
                    })
                    .max_by_key(|&(_, n)| n)
                    .map_or(b',', |(d, n)| if n == 0 { b',' } else { d });
                (best, 0, head)
            }
        };
        let chained: Box<dyn Read + Send> = Box::new(Cursor::new(replay).chain(stream));
        let counting = Counting {
            inner: chained,
            bytes: 0,
            quotes: 0,
            last: b'\n',
            eof: false,
            window: Vec::new(),
            window_start: 0,
            record_start: 0,
            // a record may hold one cell of the largest size (4 bytes per character at most)
            // and more besides; far beyond any real row, and a few MB at most by default
            record_limit: (src.budget.cell_chars as u64)
                .saturating_mul(4)
                .saturating_add(4 << 20),
            over: false,
        };
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .buffer_capacity(256 * 1024)
            .from_reader(counting);
        let decimal_hint = match delimiter {
            b';' => Decimal::Comma,
            b',' => Decimal::Point,
            _ => Decimal::Unknown,
        };
        Ok(TextRows {
            path: src.path.clone(),
            reader,
            record: csv::ByteRecord::new(),
            encoding,
            utf8: encoding == encoding_rs::UTF_8 || is_utf16,
            utf16: is_utf16,
            saw_multibyte: has_utf8_multibyte(&sample),
            raw_read,
            line_offset,
            decimal_hint,
            delimiter,
            total: src.input.len(),
            budget: Budgeted {
                path: src.path.clone(),
                budget: src.budget.clone(),
                started: src.started,
                cells: src.cells,
            },
            cells: src.cells,
            rows: 0,
            counted_to: 0,
            line_at: 1,
        })
    }

    /// Decodes one field; `None` when it is not text in the file's encoding.
    fn decode(&self, field: &[u8]) -> Option<String> {
        if self.utf8 {
            return std::str::from_utf8(field).ok().map(str::to_owned);
        }
        if field.is_ascii() {
            // ASCII is the same in every code page
            return Some(String::from_utf8_lossy(field).into_owned());
        }
        // valid multi-byte UTF-8 in a file read as a code page: the file mixes encodings
        if std::str::from_utf8(field).is_ok() && field.iter().any(|&b| b >= 0xC2) {
            return None;
        }
        let (text, _, had_errors) = self.encoding.decode(field);
        (!had_errors).then(|| text.into_owned())
    }
}

impl Rows for TextRows {
    fn next_row(&mut self, row: &mut Row) -> Result<bool> {
        let ok = self
            .reader
            .read_byte_record(&mut self.record)
            .map_err(|e| match e.kind() {
                csv::ErrorKind::Io(_) if self.reader.get_ref().over => {
                    self.budget.too_large(crate::error::Limit::CellText)
                }
                csv::ErrorKind::Io(io) => Error::FileUnreadable {
                    file: self.path.clone(),
                    reason: io.kind(),
                },
                _ => Error::Corrupt {
                    file: self.path.clone(),
                    detail: e.to_string(),
                },
            })?;
        if !ok {
            self.cells = self.budget.cells;
            return Ok(false);
        }
        let next_record = self.reader.position().byte();
        self.reader.get_mut().record_start = next_record;
        self.rows += 1;
        if self.rows > self.budget.budget.rows {
            return Err(self.budget.too_large(crate::error::Limit::Rows));
        }
        if self.record.len() > self.budget.budget.columns as usize {
            return Err(self.budget.too_large(crate::error::Limit::Columns));
        }
        // the line a user sees, counted from the record's first byte: the csv parser's own
        // position starts at the blank lines it skipped before the record
        let counting = self.reader.get_ref();
        let at_end = counting.eof && self.reader.position().byte() >= counting.bytes;
        let from = self
            .record
            .position()
            .map_or(self.counted_to, |p| p.byte())
            .max(self.counted_to);
        let window = &counting.window;
        let rel = |b: u64| ((b - counting.window_start) as usize).min(window.len());
        let lead = window[rel(from)..]
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count() as u64;
        let start = from + lead;
        let span = &window[rel(self.counted_to)..rel(start)];
        self.line_at += span
            .iter()
            .enumerate()
            .filter(|&(i, &b)| {
                b == b'\n' || (b == b'\r' && span.get(i + 1).is_none_or(|&n| n != b'\n'))
            })
            .count() as u32;
        self.counted_to = start;
        let start = self.line_at;
        if self.counted_to - counting.window_start > 1 << 20 {
            let cut = self.counted_to;
            let c = self.reader.get_mut();
            let n = (cut - c.window_start) as usize;
            c.window.drain(..n);
            c.window_start = cut;
        }
        let counting = self.reader.get_ref();
        row.no = start + self.line_offset;
        row.problem = None;
        // the row's cells keep their strings from the row before: no allocation per cell
        let n = self.record.len();
        row.cells.truncate(n);
        for ci in 0..n {
            let field = &self.record[ci];
            self.budget.cell()?;
            if field.len() > self.budget.budget.cell_chars
                && String::from_utf8_lossy(field).chars().count() > self.budget.budget.cell_chars
            {
                return Err(self.budget.too_large(crate::error::Limit::CellText));
            }
            if ci == row.cells.len() {
                row.cells.push(Cell::Empty);
            }
            let slot = &mut row.cells[ci];
            if field.is_empty() {
                *slot = Cell::Empty;
                continue;
            }
            // the first non-ASCII text of a file that looked like plain ASCII (and so was
            // taken as UTF-8) decides: not UTF-8 means the file's legacy code page, and as
            // every byte before was ASCII, nothing read so far changes
            if self.utf8 && !self.utf16 && !self.saw_multibyte && !field.is_ascii() {
                if std::str::from_utf8(field).is_ok() {
                    self.saw_multibyte = true;
                } else {
                    self.utf8 = false;
                    let mut det = chardetng::EncodingDetector::new();
                    det.feed(field, true);
                    let guess = det.guess(None, true);
                    self.encoding = if guess == encoding_rs::UTF_8 {
                        encoding_rs::WINDOWS_1252
                    } else {
                        guess
                    };
                }
            }
            let text: std::borrow::Cow<'_, str> = if self.utf8 || field.is_ascii() {
                match std::str::from_utf8(field) {
                    Ok(t) => t.into(),
                    Err(_) => {
                        row.problem
                            .get_or_insert(RowProblem::MixedEncoding { column: ci });
                        // shown as a legacy code page would show it
                        encoding_rs::WINDOWS_1252.decode(field).0
                    }
                }
            } else {
                match self.decode(field) {
                    Some(t) => t.into(),
                    None => {
                        row.problem
                            .get_or_insert(RowProblem::MixedEncoding { column: ci });
                        String::from_utf8_lossy(field)
                    }
                }
            };
            match slot {
                Cell::Text(s) => {
                    s.clear();
                    s.push_str(&text);
                }
                other => *other = Cell::Text(text.into_owned()),
            }
        }
        // a quote that is never closed swallows the rest of the file into the last record
        let raw_from = (self.counted_to.saturating_sub(counting.window_start) as usize)
            .min(counting.window.len());
        let raw = &counting.window[raw_from..];
        if at_end && counting.quotes % 2 == 1 && ends_inside_quotes(raw, self.delimiter) {
            if let Some(ci) = self.record.iter().position(|f| f.contains(&b'\n')) {
                row.problem = Some(RowProblem::UnclosedQuote { column: ci });
            }
        }
        Ok(true)
    }
    fn fraction(&self) -> f64 {
        if self.total == 0 {
            return 0.0;
        }
        let read = self.raw_read.load(std::sync::atomic::Ordering::Relaxed);
        (read as f64 / self.total as f64).min(1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_without_bom_is_told_by_its_zero_bytes() {
        let le: Vec<u8> = "a,b\n1,2\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let be: Vec<u8> = "a,b\n1,2\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(utf16_order(&le), Some(encoding_rs::UTF_16LE));
        assert_eq!(utf16_order(&be), Some(encoding_rs::UTF_16BE));
        assert_eq!(utf16_order(b"a,b\n1,2\n"), None);
    }

    #[test]
    fn legacy_text_is_guessed_not_assumed() {
        assert_eq!(
            text_encoding("Größe;Müller\n".as_bytes(), true),
            encoding_rs::UTF_8
        );
        let (cp, _, _) = encoding_rs::WINDOWS_1252.encode("Größe;Müller;Straße\n");
        assert_eq!(text_encoding(&cp, true), encoding_rs::WINDOWS_1252);
    }
}
