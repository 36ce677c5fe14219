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
//! - Budgets for columns, cell text, a workbook's rows and cells, its inflated size and the
//!   time stop a hostile file early with a clear reason instead of letting it take the
//!   machine. A text file streams (one row in memory at a time, bounded by the column and
//!   cell-text budgets), so how many rows or cells it has is no danger: only the clock
//!   limits it.
//!
//! This file: opening a file and routing it, the rows and budgets both readers share, and
//! the thread that reads ahead; `workbook` and `text` are the two readers.

mod text;
mod workbook;

use super::convert::{Decimal, FileCell};
use crate::error::{Error, Result};
use calamine::{Reader, SheetType, SheetVisible};
use std::io::{BufReader, Cursor, Read, Seek};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use text::TextRows;

/// Limits for one import. The defaults are far above any real export (Excel itself stops at
/// 1,048,576 rows × 16,384 columns) and far below what would exhaust a laptop.
#[derive(Clone, Debug)]
pub struct Budget {
    /// Rows per sheet of a workbook. A text file's rows stream and are not limited.
    pub rows: u32,
    /// Columns per row.
    pub columns: u32,
    /// Characters in one cell (Excel's own limit is 32,767).
    pub cell_chars: usize,
    /// Cells in the whole workbook (all sheets, all passes of the reader); a text file's
    /// cells stream and are not limited.
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
pub struct FileRow {
    pub no: u32,
    pub cells: Vec<FileCell>,
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

impl FileRow {
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(FileCell::is_empty)
    }
}

/// Streams the rows of one table.
pub trait Rows {
    /// Fills `row` with the next row; `false` at the end of the table.
    fn next_row(&mut self, row: &mut FileRow) -> Result<bool>;
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
pub fn apply_merged(rows: &mut [FileRow], merged: &[Region]) {
    for &((r0, c0), (r1, c1)) in merged {
        let Some(top) = rows.iter().find(|r| r.no == r0 + 1) else {
            continue;
        };
        let value = top
            .cells
            .get(c0 as usize)
            .cloned()
            .unwrap_or(FileCell::Empty);
        if value.is_empty() {
            continue;
        }
        let c1 = c1.min(c0 + 1024) as usize;
        for row in rows.iter_mut().filter(|r| r.no > r0 && r.no <= r1 + 1) {
            if row.cells.len() <= c1 {
                row.cells.resize(c1 + 1, FileCell::Empty);
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

/// Which workbook a zip holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ZipKind {
    Xlsx,
    Xlsb,
    Ods,
}

/// An opened file: the list of its tables and a way to stream each.
pub struct OpenedFile {
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

impl OpenedFile {
    /// Opens `input` (the file the user chose is `path`) and checks what can be checked
    /// before reading: lock files, empty files, encrypted workbooks, zip bombs.
    pub fn open(path: &Path, input: Input, budget: Budget) -> Result<OpenedFile> {
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
        let src = OpenedFile {
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
    let (send, receive) = mpsc::sync_channel::<Result<Vec<FileRow>>>(4);
    let (recycle, recycled) = mpsc::channel::<Vec<FileRow>>();
    std::thread::scope(|scope| {
        let fraction = &fraction;
        let reading = scope.spawn(move || loop {
            let mut batch = recycled.try_recv().unwrap_or_default();
            batch.resize_with(PREFETCH, FileRow::default);
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
    receive: std::sync::mpsc::Receiver<Result<Vec<FileRow>>>,
    recycle: std::sync::mpsc::Sender<Vec<FileRow>>,
    batch: Vec<FileRow>,
    at: usize,
    fraction: &'f std::sync::atomic::AtomicU64,
    done: bool,
    last_row_hint: Option<u32>,
}

impl Rows for Prefetched<'_> {
    fn next_row(&mut self, row: &mut FileRow) -> Result<bool> {
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
    /// Counts one cell of a workbook against the cell budget; checks the clock every 64k
    /// cells.
    fn cell(&mut self) -> Result<()> {
        if self.cells >= self.budget.cells {
            return Err(self.too_large(crate::error::Limit::Cells));
        }
        self.streamed_cell()
    }
    /// Counts one cell of a text file, which streams: only the clock limits it (checked
    /// every 64k cells).
    fn streamed_cell(&mut self) -> Result<()> {
        self.cells = self.cells.saturating_add(1);
        if self.cells.trailing_zeros() >= 16 && self.started.elapsed() > self.budget.time {
            return Err(self.too_large(crate::error::Limit::Time));
        }
        Ok(())
    }
}
