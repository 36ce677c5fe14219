//! Import: a file in, validated rows out, streamed to a [`Sink`] (the store writes them in
//! one transaction; tests collect them). Nothing here writes to the database.
//!
//! Per table: read the first rows → find the header row → guess the kind and map columns
//! (or recognise one-column-per-month revenue and unpivot it) → decide each column's date
//! order and decimal separator from its values → convert and validate each row, listing
//! every bad cell. Rows stream through in constant memory; a column whose values only late
//! in the file show how it is written makes the table start again with that decision, so
//! the result is exactly as if every value had been looked at first.

pub mod convert;
pub mod fields;
mod inspect;
pub mod source;

pub use inspect::{inspect, FieldPreview, Inspection, PreviewRow, Problem, TablePreview};

use crate::error::{Error, MappingProblem, Result};
use crate::model::Kind;
use crate::month::Month;
use convert::{convert_with, Cell, Decimal, Reason, SlashOrder, Value};
use fields::{fields, header_key, matches, FieldType};
use serde::{Deserialize, Serialize};
pub use source::{Budget, Input};
use source::{Row, RowProblem, Rows, Source};
use std::borrow::Cow;
use std::collections::HashSet;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// What the user may force instead of the guesses.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub kind: Option<Kind>,
    pub sheet: Option<String>,
    /// The header's row number as the user sees it (1-based).
    pub header_row: Option<u32>,
    /// `FIELD=COLUMN` pairs.
    pub map: Vec<String>,
    /// How to read `03/04/2026` in a column whose values do not tell (the user's answer to
    /// the question the import asks); `None`: the file's locale decides.
    pub date_order: Option<SlashOrder>,
    pub budget: Budget,
    /// Choices for single tables (the import wizard): an entry replaces `kind`,
    /// `header_row`, `map` and `date_order` for its table, or skips it.
    pub tables: Vec<TableOptions>,
}

/// What the user chose for one table of a file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TableOptions {
    /// The sheet; `None` for the one table of a text file.
    pub sheet: Option<String>,
    pub kind: Option<Kind>,
    pub header_row: Option<u32>,
    /// `FIELD=COLUMN` pairs; `FIELD=` (no column) leaves the field unmapped.
    pub map: Vec<String>,
    pub date_order: Option<SlashOrder>,
    /// Not imported; listed as a skipped sheet with reason `not_chosen`. A hidden sheet with
    /// an entry that does not skip it is imported.
    pub skip: bool,
}

impl Options {
    fn table_choice(&self, sheet: Option<&str>) -> Option<&TableOptions> {
        self.tables.iter().find(|t| t.sheet.as_deref() == sheet)
    }

    /// The options the table on `sheet` (`None`: a text file's table) is read with: the
    /// file-wide ones, or those of its entry in `tables`.
    pub fn for_table(&self, sheet: Option<&str>) -> Cow<'_, Options> {
        match self.table_choice(sheet) {
            None => Cow::Borrowed(self),
            Some(t) => Cow::Owned(Options {
                kind: t.kind,
                sheet: self.sheet.clone(),
                header_row: t.header_row,
                map: t.map.clone(),
                date_order: t.date_order,
                budget: self.budget.clone(),
                tables: vec![],
            }),
        }
    }
}

/// Progress of a running import, for a progress bar.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Progress {
    pub sheet: Option<String>,
    /// Which of the file's tables is being read (0-based), of `tables`.
    pub table: u32,
    pub tables: u32,
    /// Rows read so far in this table.
    pub rows: u64,
    /// 0..=1 through this table.
    pub fraction: f64,
    pub rows_per_second: f64,
}

/// Called with the progress of a running import.
pub type ProgressFn = Arc<dyn Fn(&Progress) + Send + Sync>;

/// Called by the store right before it commits an import; an error (such as
/// [`Error::Cancelled`]) rolls the whole import back instead.
pub type CommitGate = Arc<dyn Fn() -> Result<()> + Send + Sync>;

/// The progress seam and the cancel switch of an import.
#[derive(Clone, Default)]
pub struct Control {
    pub progress: Option<ProgressFn>,
    pub cancel: Option<Arc<AtomicBool>>,
    /// The last word before the commit: a cancel that arrives while the rows are read stops
    /// the import at the next check; the gate closes the gap between the last check and the
    /// commit (see `worker::CancelSwitch`).
    pub before_commit: Option<CommitGate>,
}

impl std::fmt::Debug for Control {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Control").finish_non_exhaustive()
    }
}

/// One rejected cell (or row), with the position a user can find in Excel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Issue {
    pub sheet: Option<String>,
    pub row: u32,
    pub column: String,
    pub value: String,
    /// In English.
    pub reason: String,
    pub reason_de: String,
}

/// Something the import had to assume: the user is asked to confirm it (the desktop asks;
/// the CLI prints it with the option that changes it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Assumption {
    pub sheet: Option<String>,
    pub column: String,
    /// `date_order`: the column's dates such as `03/04/2026` fit both orders.
    pub question: String,
    /// What was assumed: `day_first` or `month_first`.
    pub assumed: String,
    /// E.g. `03/04/2026`.
    pub example: String,
}

/// What a table is, known before its rows are read.
#[derive(Clone, Debug)]
pub struct TableHead {
    pub sheet: Option<String>,
    pub kind: Kind,
    pub header_row: u32,
    /// (field id, column header) for every mapped field; for one-column-per-month revenue,
    /// `month` and `mrr` name the month columns' range, e.g. `Jan 2026 … Dez 2026`.
    pub mapping: Vec<(&'static str, String)>,
}

/// How many issues are kept per table; the count of skipped rows is always exact.
pub const MAX_LISTED_ISSUES: usize = 10_000;

/// What a table came to, after its last row.
#[derive(Clone, Debug, Default)]
pub struct TableEnd {
    pub rows: usize,
    /// Rows not imported (each has at least one issue).
    pub skipped: usize,
    /// The first [`MAX_LISTED_ISSUES`] issues.
    pub issues: Vec<Issue>,
    /// Issues beyond those listed.
    pub issues_not_listed: usize,
    pub assumptions: Vec<Assumption>,
}

/// Where the rows go. The import calls `begin`, `row`…, `end` per table; `restart` drops
/// the current table's rows when a column turned out to be written differently than its
/// first values suggested (the rows then come again).
pub trait Sink {
    fn begin(&mut self, head: &TableHead) -> Result<()>;
    /// One record, values in `fields(kind)` order (borrowed: the import reuses its buffers).
    fn row(&mut self, no: u32, values: &[Value]) -> Result<()>;
    fn restart(&mut self) -> Result<()>;
    fn end(&mut self, end: TableEnd) -> Result<()>;
}

/// A table read into memory (tests and small files; the store streams instead).
#[derive(Clone, Debug)]
pub struct Prepared {
    pub sheet: Option<String>,
    pub kind: Kind,
    pub header_row: u32,
    pub mapping: Vec<(&'static str, String)>,
    /// (row number, values in `fields(kind)` order).
    pub rows: Vec<(u32, Vec<Value>)>,
    pub issues: Vec<Issue>,
    /// Rows not imported (each has at least one issue).
    pub skipped: usize,
    pub issues_not_listed: usize,
    pub assumptions: Vec<Assumption>,
}

/// Collects tables in memory.
#[derive(Default)]
pub struct Collect(pub Vec<Prepared>);

impl Sink for Collect {
    fn begin(&mut self, h: &TableHead) -> Result<()> {
        self.0.push(Prepared {
            sheet: h.sheet.clone(),
            kind: h.kind,
            header_row: h.header_row,
            mapping: h.mapping.clone(),
            rows: vec![],
            issues: vec![],
            skipped: 0,
            issues_not_listed: 0,
            assumptions: vec![],
        });
        Ok(())
    }
    fn row(&mut self, no: u32, values: &[Value]) -> Result<()> {
        if let Some(p) = self.0.last_mut() {
            p.rows.push((no, values.to_vec()));
        }
        Ok(())
    }
    fn restart(&mut self) -> Result<()> {
        if let Some(p) = self.0.last_mut() {
            p.rows.clear();
        }
        Ok(())
    }
    fn end(&mut self, e: TableEnd) -> Result<()> {
        if let Some(p) = self.0.last_mut() {
            p.skipped = e.skipped;
            p.issues = e.issues;
            p.issues_not_listed = e.issues_not_listed;
            p.assumptions = e.assumptions;
        }
        Ok(())
    }
}

/// Rows of the header search: title rows, notes and blank rows above the header are skipped.
const HEADER_SCAN_ROWS: usize = 30;
/// Rows held back to decide how columns are written before the first row is passed on.
const DECIDE_ROWS: usize = 10_000;

/// Reads and validates every table of the file (in memory).
pub fn prepare(path: &Path, bytes: &[u8], opts: &Options) -> Result<Vec<Prepared>> {
    prepare_all(path, bytes, opts).map(|(tables, _)| tables)
}

/// A sheet of a workbook that was not imported, and why (shown to the user).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct SkippedSheet {
    pub sheet: String,
    /// `no_table` (fewer than two rows with values), `unknown_kind`, `hidden` (listed, not
    /// imported; `--sheet NAME` imports it), `not_a_worksheet` (a chart sheet) or
    /// `not_chosen` (the user skipped it).
    pub reason: String,
    /// The headers found, for `unknown_kind`.
    pub headers: Vec<String>,
}

/// As [`prepare`], also listing the sheets that were passed over.
pub fn prepare_all(
    path: &Path,
    bytes: &[u8],
    opts: &Options,
) -> Result<(Vec<Prepared>, Vec<SkippedSheet>)> {
    let mut sink = Collect::default();
    let skipped = run(
        path,
        Input::Bytes(bytes.into()),
        opts,
        &Control::default(),
        &mut sink,
    )?;
    Ok((sink.0, skipped))
}

/// What a file holds, without reading past the header rows: for checking a file (kinds,
/// mappings, unknown sheets) before anything is opened for writing.
pub fn probe(
    path: &Path,
    input: Input,
    opts: &Options,
) -> Result<(Vec<TableHead>, Vec<SkippedSheet>)> {
    struct Heads(Vec<TableHead>);
    impl Sink for Heads {
        fn begin(&mut self, h: &TableHead) -> Result<()> {
            self.0.push(h.clone());
            Ok(())
        }
        fn row(&mut self, _: u32, _: &[Value]) -> Result<()> {
            Ok(())
        }
        fn restart(&mut self) -> Result<()> {
            Ok(())
        }
        fn end(&mut self, _: TableEnd) -> Result<()> {
            Ok(())
        }
    }
    let mut heads = Heads(vec![]);
    let skipped = guarded(path, || {
        each_table(path, input, opts, &Control::default(), &mut heads, true)
    })?;
    Ok((heads.0, skipped))
}

/// Streams every table of the file into `sink`. On an error the sink has seen part of the
/// file: the caller discards it (the store rolls its transaction back).
pub fn run(
    path: &Path,
    input: Input,
    opts: &Options,
    control: &Control,
    sink: &mut dyn Sink,
) -> Result<Vec<SkippedSheet>> {
    guarded(path, || each_table(path, input, opts, control, sink, false))
}

/// Runs `read` (something that reads `file`) on a thread of its own and waits at most `time`
/// (the import's time budget) plus a little: a read that never returns — a network drive that
/// stops answering — ends with [`Error::TooLarge`] (`Limit::Time`) instead of blocking the
/// caller forever; the thread is left behind. The store's import has the same watchdog.
pub fn within_budget<T: Send + 'static>(
    file: &Path,
    time: std::time::Duration,
    read: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    let (send, receive) = std::sync::mpsc::sync_channel(1);
    std::thread::Builder::new()
        .name("cspulse-read".into())
        .spawn(move || {
            let _ = send.send(read());
        })?;
    let grace = (time / 10).min(std::time::Duration::from_secs(5));
    match receive.recv_timeout(time + grace) {
        Ok(result) => result,
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => Err(Error::TooLarge {
            file: file.into(),
            limit: crate::error::Limit::Time,
        }),
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => Err(Error::Corrupt {
            file: file.into(),
            detail: "the reader stopped unexpectedly".into(),
        }),
    }
}

/// A reader library that panics on a hostile file (calamine has known cases) must not take
/// the caller with it: the panic becomes "damaged file", and the caller discards the rows.
fn guarded<T>(path: &Path, f: impl FnOnce() -> Result<T>) -> Result<T> {
    let damaged = || Error::Corrupt {
        file: path.into(),
        detail: "the reader stopped unexpectedly".into(),
    };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(Err(Error::Corrupt { file, detail })) if file.as_os_str().is_empty() => {
            Err(Error::Corrupt {
                file: path.into(),
                detail,
            })
        }
        Ok(r) => r,
        Err(_) => Err(damaged()),
    }
}

/// The tables of the file to read (a sheet name each; `None` for a text file's one table)
/// and the sheets passed over: hidden sheets, chart sheets, sheets the user skipped.
fn choose_tables(
    path: &Path,
    src: &mut Source,
    opts: &Options,
) -> Result<(Vec<Option<String>>, Vec<SkippedSheet>)> {
    let mut skipped = Vec::new();
    if !src.is_workbook() {
        return Ok((vec![None], skipped));
    }
    let sheets = src.sheets()?;
    if let Some(want) = &opts.sheet {
        if !sheets.iter().any(|s| &s.name == want) {
            return Err(Error::NoSuchSheet {
                file: path.into(),
                sheet: want.clone(),
                sheets: sheets.into_iter().map(|s| s.name).collect(),
            });
        }
    }
    let mut names = Vec::new();
    for s in sheets {
        let only = opts.sheet.as_deref() == Some(s.name.as_str());
        if opts.sheet.is_some() && !only {
            continue;
        }
        let choice = opts.table_choice(Some(&s.name));
        let chosen = only || choice.is_some_and(|c| !c.skip);
        let reason = if s.not_a_worksheet {
            Some("not_a_worksheet")
        } else if choice.is_some_and(|c| c.skip) {
            Some("not_chosen")
        } else if s.hidden && !chosen {
            Some("hidden")
        } else {
            None
        };
        match reason {
            Some(r) => skipped.push(SkippedSheet {
                sheet: s.name,
                reason: r.into(),
                headers: vec![],
            }),
            None => names.push(Some(s.name)),
        }
    }
    Ok((names, skipped))
}

fn each_table(
    path: &Path,
    input: Input,
    opts: &Options,
    control: &Control,
    sink: &mut dyn Sink,
    probe_only: bool,
) -> Result<Vec<SkippedSheet>> {
    let mut src = Source::open(path, input, opts.budget.clone())?;
    let (tables, mut skipped) = choose_tables(path, &mut src, opts)?;
    let mut imported = 0;
    let mut first_unknown = None;
    let mut any_table = false;
    for (i, sheet) in tables.iter().enumerate() {
        let table_opts = opts.for_table(sheet.as_deref());
        let at = (i as u32, tables.len() as u32);
        match table(
            &mut src,
            sheet.as_deref(),
            &table_opts,
            control,
            sink,
            probe_only,
            at,
        ) {
            Ok(Outcome::Imported) => {
                imported += 1;
                any_table = true;
            }
            Ok(Outcome::NoTable) => {
                if let Some(s) = sheet {
                    skipped.push(SkippedSheet {
                        sheet: s.clone(),
                        reason: "no_table".into(),
                        headers: vec![],
                    });
                }
            }
            // a workbook's notes or cover sheets are skipped; one table must be recognised
            Err(Error::UnknownKind {
                file,
                sheet: Some(name),
                headers,
            }) if tables.len() > 1 => {
                any_table = true;
                skipped.push(SkippedSheet {
                    sheet: name.clone(),
                    reason: "unknown_kind".into(),
                    headers: headers.clone(),
                });
                first_unknown.get_or_insert(Error::UnknownKind {
                    file,
                    sheet: Some(name),
                    headers,
                });
            }
            Err(e) => return Err(e),
        }
    }
    let hidden: Vec<String> = skipped
        .iter()
        .filter(|s| s.reason == "hidden")
        .map(|s| s.sheet.clone())
        .collect();
    if imported == 0 && first_unknown.is_none() && !hidden.is_empty() {
        return Err(Error::OnlyHiddenSheets {
            file: path.into(),
            sheets: hidden,
        });
    }
    if imported == 0 {
        return Err(match (first_unknown, any_table) {
            (Some(e), _) => e,
            _ => Error::Empty {
                file: path.into(),
                sheet: opts.sheet.clone(),
            },
        });
    }
    Ok(skipped)
}

enum Outcome {
    Imported,
    NoTable,
}

/// Column index per field of `kind` (ids first, then synonyms), plus `--map` overrides.
fn map_columns(kind: Kind, keys: &[String]) -> Vec<Option<usize>> {
    let fs = fields(kind);
    let mut used = HashSet::new();
    let mut cols = vec![None; fs.len()];
    for (fi, f) in fs.iter().enumerate() {
        if let Some(ci) = keys.iter().position(|k| *k == header_key(f.id)) {
            used.insert(ci);
            cols[fi] = Some(ci);
        }
    }
    for (fi, f) in fs.iter().enumerate() {
        if cols[fi].is_none() {
            if let Some(ci) =
                (0..keys.len()).find(|ci| !used.contains(ci) && matches(f, &keys[*ci]))
            {
                used.insert(ci);
                cols[fi] = Some(ci);
            }
        }
    }
    cols
}

fn missing_required(kind: Kind, cols: &[Option<usize>]) -> Vec<&'static str> {
    let fs = fields(kind);
    let mut missing: Vec<&'static str> = fs
        .iter()
        .zip(cols)
        .filter(|(f, c)| f.required && c.is_none())
        .map(|(f, _)| f.id)
        .collect();
    if kind == Kind::Surveys {
        let has_score = fs
            .iter()
            .zip(cols)
            .any(|(f, c)| ["nps", "csat", "ces"].contains(&f.id) && c.is_some());
        if !has_score {
            missing.push("nps/csat/ces");
        }
    }
    missing
}

/// The kind whose required fields are all present with the most mapped fields; ties go to
/// the kind with fewer fields (the better coverage).
fn guess_kind(keys: &[String]) -> Option<Kind> {
    Kind::ALL
        .into_iter()
        .filter_map(|k| {
            let cols = map_columns(k, keys);
            missing_required(k, &cols).is_empty().then(|| {
                let n = cols.iter().filter(|c| c.is_some()).count();
                (k, n, fields(k).len())
            })
        })
        .max_by(|a, b| a.1.cmp(&b.1).then(b.2.cmp(&a.2)))
        .map(|(k, _, _)| k)
}

fn header_score(keys: &[String]) -> usize {
    keys.iter()
        .filter(|k| {
            Kind::ALL
                .iter()
                .any(|kind| fields(*kind).iter().any(|f| matches(f, k)))
        })
        .count()
}

/// How the rows of a table become records.
struct Plan {
    head: TableHead,
    /// Index of the header row among the rows read for the header search.
    header_idx: usize,
    /// Display name per column: its header, `Column C` when blank, `MRR (2)` when repeated.
    header: Vec<String>,
    /// Column per field of the kind.
    cols: Vec<Option<usize>>,
    /// One-column-per-month revenue: (column, month); empty for a long table.
    wide: Vec<(usize, Month)>,
    /// The field that identifies a record (`account_id`, `ticket_id`, …), for totals rows.
    id_field: Option<usize>,
}

fn column_letter(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// The header's cells as names a user can find: blank → `Column C`; repeated → `MRR (2)`.
fn header_names(cells: &[Cell]) -> Vec<String> {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    cells
        .iter()
        .enumerate()
        .map(|(i, c)| {
            // a date cell heading a month column reads as that month (Excel shows `Feb 26`)
            let text = match c {
                Cell::DateTime(d) if header_month(c).is_some() => {
                    use chrono::Datelike;
                    format!("{:04}-{:02}", d.year(), d.month())
                }
                _ => c.display().trim().to_owned(),
            };
            if text.is_empty() {
                return format!("Column {}", column_letter(i));
            }
            let n = seen.entry(text.to_lowercase()).or_insert(0);
            *n += 1;
            if *n == 1 {
                text
            } else {
                format!("{text} ({n})")
            }
        })
        .collect()
}

/// A header cell that names a month: a date cell, or a text such as `Jan 2026`, `2026-01`,
/// `Okt. 25`, `01/2026`.
fn header_month(cell: &Cell) -> Option<Month> {
    match cell {
        Cell::DateTime(d) => {
            use chrono::Datelike;
            Month::new(d.year(), d.month())
        }
        Cell::Text(t) if t.chars().any(|c| !c.is_ascii_digit()) && t.trim().len() <= 20 => {
            convert::month(cell, SlashOrder::DayFirst)
        }
        _ => None,
    }
}

fn month_columns(cells: &[Cell]) -> Vec<(usize, Month)> {
    cells
        .iter()
        .enumerate()
        .filter_map(|(i, c)| header_month(c).map(|m| (i, m)))
        .collect()
}

/// A row label of a totals or footer row.
fn is_totals_label(text: &str) -> bool {
    const WORDS: &[&str] = &[
        "total",
        "totals",
        "grand total",
        "sum",
        "sums",
        "summe",
        "summen",
        "gesamt",
        "gesamtsumme",
        "insgesamt",
        "gesamtergebnis",
        "ergebnis",
        "σ",
        "Σ",
        "∑",
    ];
    // called for every row's id: no allocation
    let t = text.trim().trim_end_matches(':').trim_end();
    WORDS
        .iter()
        .any(|w| w.len() == t.len() && t.eq_ignore_ascii_case(w))
}

fn starts_with_totals_word(text: &str) -> bool {
    let first = text.trim().split([' ', ':']).next().unwrap_or("");
    is_totals_label(first)
}

/// A table's header and mapping as far as they could be made out, with every problem
/// found on the way (in the order the import reports them: header row, kind, mapping,
/// required fields). The import stops at the first problem; the wizard (`inspect`) shows
/// them all.
struct Draft {
    header_idx: usize,
    /// Display name per column of the header row (as in [`Plan::header`]).
    header: Vec<String>,
    /// `None` when the kind is not known (neither chosen nor recognised).
    plan: Option<Plan>,
    problems: Vec<Error>,
}

/// The header row among `rows` that names the most fields (month columns count when it
/// also names a field): index into `rows`.
fn find_header(rows: &[Row]) -> usize {
    (0..rows.len().min(HEADER_SCAN_ROWS))
        .map(|i| {
            let keys: Vec<String> = rows[i]
                .cells
                .iter()
                .map(|c| header_key(&c.display()))
                .collect();
            let named = header_score(&keys);
            // month columns count for a header that also names a field (wide revenue)
            let months = if named > 0 {
                month_columns(&rows[i].cells).len()
            } else {
                0
            };
            (i, named + months)
        })
        .filter(|(_, s)| *s > 0)
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map_or(0, |(i, _)| i)
}

fn draft(path: &Path, sheet: Option<&str>, rows: &[Row], opts: &Options) -> Draft {
    let sheet_name = sheet.map(str::to_owned);
    let mut problems = Vec::new();
    let header_idx = match opts.header_row {
        Some(n) => rows.iter().position(|r| r.no == n).unwrap_or_else(|| {
            problems.push(Error::Empty {
                file: path.into(),
                sheet: sheet_name.clone(),
            });
            find_header(rows)
        }),
        None => find_header(rows),
    };
    let cells = &rows[header_idx].cells;
    let header = header_names(cells);
    let keys: Vec<String> = cells.iter().map(|c| header_key(&c.display())).collect();
    // one column per month (finance exports): revenue, unpivoted
    let months = month_columns(cells);
    let revenue_cols = map_columns(Kind::Revenue, &keys);
    let rf = fields(Kind::Revenue);
    let ri = |id: &str| rf.iter().position(|f| f.id == id).unwrap_or(0);
    let wide_fits = months.len() >= 2
        && revenue_cols[ri("account_id")].is_some_and(|c| !months.iter().any(|(m, _)| *m == c))
        && revenue_cols[ri("month")].is_none_or(|c| months.iter().any(|(m, _)| *m == c))
        && opts.kind.is_none_or(|k| k == Kind::Revenue);
    let kind = if wide_fits {
        Kind::Revenue
    } else {
        match opts.kind.or_else(|| guess_kind(&keys)) {
            Some(k) => k,
            None => {
                problems.push(Error::UnknownKind {
                    file: path.into(),
                    sheet: sheet_name,
                    headers: header
                        .iter()
                        .zip(cells)
                        .filter(|(_, c)| !c.is_empty())
                        .map(|(h, _)| h.clone())
                        .collect(),
                });
                return Draft {
                    header_idx,
                    header,
                    plan: None,
                    problems,
                };
            }
        }
    };
    let wide = if wide_fits { months } else { vec![] };
    let mut cols = map_columns(kind, &keys);
    if !wide.is_empty() {
        // the month columns hold month and amount; no other column may claim them
        for c in cols.iter_mut() {
            if c.is_some_and(|c| wide.iter().any(|(m, _)| *m == c)) {
                *c = None;
            }
        }
    }
    for m in &opts.map {
        let bad = |problem| Error::BadMapping(m.clone(), problem);
        let Some((field, column)) = m.split_once('=') else {
            problems.push(bad(MappingProblem::Syntax));
            continue;
        };
        let Some(fi) = fields(kind).iter().position(|f| f.id == field.trim()) else {
            problems.push(bad(MappingProblem::UnknownField));
            continue;
        };
        // `FIELD=` with no column: the field stays unmapped
        if column.trim().is_empty() {
            cols[fi] = None;
            continue;
        }
        let Some(ci) = header
            .iter()
            .position(|h| h == column.trim())
            .or_else(|| keys.iter().position(|k| *k == header_key(column)))
        else {
            problems.push(bad(MappingProblem::UnknownColumn));
            continue;
        };
        for c in cols.iter_mut() {
            if *c == Some(ci) {
                *c = None;
            }
        }
        cols[fi] = Some(ci);
    }
    let fs = fields(kind);
    let mut check = cols.clone();
    if !wide.is_empty() {
        for id in ["month", "mrr"] {
            if let Some(fi) = fs.iter().position(|f| f.id == id) {
                check[fi] = Some(usize::MAX);
            }
        }
    }
    let missing = missing_required(kind, &check);
    if !missing.is_empty() {
        problems.push(Error::MissingRequired {
            file: path.into(),
            sheet: sheet_name.clone(),
            kind: kind.id().into(),
            fields: missing.into_iter().map(str::to_owned).collect(),
        });
    }
    let mut mapping: Vec<(&'static str, String)> = fs
        .iter()
        .zip(&cols)
        .filter_map(|(f, c)| c.map(|ci| (f.id, header.get(ci).cloned().unwrap_or_default())))
        .collect();
    if let (Some(first), Some(last)) = (wide.first(), wide.last()) {
        let span = format!("{} … {}", header[first.0], header[last.0]);
        mapping.push(("month", span.clone()));
        mapping.push(("mrr", span));
    }
    let id_field = fs
        .iter()
        .position(|f| f.required && f.id.ends_with("_id"))
        .filter(|fi| cols[*fi].is_some());
    Draft {
        header_idx,
        header: header.clone(),
        plan: Some(Plan {
            head: TableHead {
                sheet: sheet_name,
                kind,
                header_row: rows[header_idx].no,
                mapping,
            },
            header_idx,
            header,
            cols,
            wide,
            id_field,
        }),
        problems,
    }
}

/// What the values of each field said so far about how they are written.
#[derive(Clone)]
struct Evidence {
    slash: Vec<Option<SlashOrder>>,
    /// A value such as `03/04/2026` that fits both orders (for the question to the user).
    ambiguous: Vec<Option<String>>,
    decimal: Vec<Option<Decimal>>,
    /// Fields whose values can show something: dates/months, numbers.
    relevant_slash: Vec<bool>,
    relevant_decimal: Vec<bool>,
}

/// How each field is read: its slash-date order and decimal separator.
#[derive(Clone, Debug, PartialEq)]
struct Decisions {
    orders: Vec<SlashOrder>,
    decimals: Vec<Decimal>,
}

impl Evidence {
    fn new(plan: &Plan) -> Evidence {
        let fs = fields(plan.head.kind);
        let wide_field = |id: &str| !plan.wide.is_empty() && (id == "mrr" || id == "month");
        let mapped = |fi: usize| plan.cols[fi].is_some() || wide_field(fs[fi].id);
        Evidence {
            slash: vec![None; fs.len()],
            ambiguous: vec![None; fs.len()],
            decimal: vec![None; fs.len()],
            relevant_slash: (0..fs.len())
                .map(|fi| {
                    mapped(fi)
                        && !wide_field(fs[fi].id)
                        && matches!(
                            fs[fi].ty,
                            FieldType::Date | FieldType::DateTime | FieldType::Month
                        )
                })
                .collect(),
            relevant_decimal: (0..fs.len())
                .map(|fi| {
                    mapped(fi) && matches!(fs[fi].ty, FieldType::Number | FieldType::Int { .. })
                })
                .collect(),
        }
    }

    fn look(&mut self, plan: &Plan, row: &Row) {
        let fs = fields(plan.head.kind);
        for (fi, f) in fs.iter().enumerate() {
            if self.relevant_slash[fi] && self.slash[fi].is_none() {
                if let Some(cell) = plan.cols[fi].and_then(|c| row.cells.get(c)) {
                    match convert::slash_evidence(cell) {
                        Some(o) => self.slash[fi] = Some(o),
                        None if self.ambiguous[fi].is_none()
                            && convert::slash_parts(cell).is_some() =>
                        {
                            self.ambiguous[fi] = Some(cell.display())
                        }
                        None => {}
                    }
                }
            }
            if self.relevant_decimal[fi] && self.decimal[fi].is_none() {
                if plan.wide.is_empty() || f.id != "mrr" {
                    if let Some(cell) = plan.cols[fi].and_then(|c| row.cells.get(c)) {
                        self.decimal[fi] = convert::decimal_evidence(cell);
                    }
                } else {
                    self.decimal[fi] = plan
                        .wide
                        .iter()
                        .filter_map(|(c, _)| row.cells.get(*c))
                        .find_map(convert::decimal_evidence);
                }
            }
        }
    }

    fn resolved(&self) -> bool {
        (0..self.slash.len()).all(|fi| {
            (!self.relevant_slash[fi] || self.slash[fi].is_some())
                && (!self.relevant_decimal[fi] || self.decimal[fi].is_some())
        })
    }

    /// Per column; a number column without evidence follows the table's others, else the
    /// file's locale; a date column without evidence follows the user's answer or the locale.
    fn decide(&self, opts: &Options, hint: Decimal) -> Decisions {
        let slash_default = opts.date_order.unwrap_or(match hint {
            Decimal::Comma => SlashOrder::DayFirst,
            _ => SlashOrder::MonthFirst,
        });
        let table_style = self
            .decimal
            .iter()
            .flatten()
            .copied()
            .next()
            .unwrap_or(hint);
        Decisions {
            orders: self
                .slash
                .iter()
                .map(|o| o.unwrap_or(slash_default))
                .collect(),
            decimals: self
                .decimal
                .iter()
                .map(|d| d.unwrap_or(table_style))
                .collect(),
        }
    }

    fn assumptions(&self, plan: &Plan, decisions: &Decisions, opts: &Options) -> Vec<Assumption> {
        if opts.date_order.is_some() {
            return vec![];
        }
        (0..self.slash.len())
            .filter(|&fi| self.slash[fi].is_none())
            .filter_map(|fi| {
                let example = self.ambiguous[fi].clone()?;
                let col = plan.cols[fi]?;
                Some(Assumption {
                    sheet: plan.head.sheet.clone(),
                    column: plan.header.get(col).cloned().unwrap_or_default(),
                    question: "date_order".into(),
                    assumed: match decisions.orders[fi] {
                        SlashOrder::DayFirst => "day_first",
                        SlashOrder::MonthFirst => "month_first",
                    }
                    .into(),
                    example,
                })
            })
            .collect()
    }
}

/// The running state of one table: ids seen, issues, counts.
struct TableState {
    seen: HashSet<String>,
    unique_idx: Option<usize>,
    end: TableEnd,
    /// The current row's values; its strings are reused from row to row.
    values: Vec<Value>,
}

/// Puts `text` into `slot`, reusing the slot's string when it has one.
fn set_text(slot: &mut Value, text: &str) {
    match slot {
        Value::Text(s) => {
            s.clear();
            s.push_str(text);
        }
        other => *other = Value::Text(text.to_owned()),
    }
}

impl TableState {
    fn new(kind: Kind) -> TableState {
        let unique_field = match kind {
            Kind::Accounts => Some("account_id"),
            Kind::Tickets => Some("ticket_id"),
            Kind::Leads => Some("lead_id"),
            Kind::Orders => Some("order_id"),
            _ => None,
        };
        TableState {
            seen: HashSet::new(),
            unique_idx: unique_field.and_then(|u| fields(kind).iter().position(|f| f.id == u)),
            end: TableEnd::default(),
            values: vec![Value::Null; fields(kind).len()],
        }
    }

    fn issue(&mut self, plan: &Plan, row: u32, column: usize, value: String, reason: &Reason) {
        if self.end.issues.len() >= MAX_LISTED_ISSUES {
            self.end.issues_not_listed += 1;
            return;
        }
        self.end.issues.push(Issue {
            sheet: plan.head.sheet.clone(),
            row,
            column: plan
                .header
                .get(column)
                .cloned()
                .unwrap_or_else(|| format!("Column {}", column_letter(column))),
            value,
            reason: reason.en(),
            reason_de: reason.de(),
        });
    }

    /// Converts one row (or, for wide revenue, one row per month column) and passes the
    /// valid records to the sink; a row with any bad cell is skipped and each cell listed.
    fn convert(
        &mut self,
        plan: &Plan,
        d: &Decisions,
        row: &Row,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        let kind = plan.head.kind;
        let fs = fields(kind);
        let empty = Cell::Empty;
        let cell_at = |ci: usize| row.cells.get(ci).unwrap_or(&empty);
        if let Some(problem) = row.problem {
            let (ci, reason) = match problem {
                RowProblem::MixedEncoding { column } => (column, Reason::MixedEncoding),
                RowProblem::UnclosedQuote { column } => (column, Reason::UnclosedQuote),
            };
            let mut value = cell_at(ci).display();
            if value.chars().count() > 200 {
                value = value.chars().take(200).collect::<String>() + "…";
            }
            self.end.skipped += 1;
            self.issue(plan, row.no, ci, value, &reason);
            return Ok(());
        }
        // a totals row: its label stands in the id column, or it has no id and a label
        if let Some(idf) = plan.id_field {
            let id_cell = plan.cols[idf].map(cell_at).unwrap_or(&empty);
            let label = match id_cell {
                Cell::Text(t) if is_totals_label(t) => Some(plan.cols[idf].unwrap_or(0)),
                c if c.is_empty() => row.cells.iter().position(|c| match c {
                    Cell::Text(t) => starts_with_totals_word(t),
                    _ => false,
                }),
                _ => None,
            };
            if let Some(ci) = label {
                self.end.skipped += 1;
                self.issue(plan, row.no, ci, cell_at(ci).display(), &Reason::TotalsRow);
                return Ok(());
            }
        }
        let mut bad: Vec<(usize, Reason)> = Vec::new();
        let mut values = std::mem::take(&mut self.values);
        let wide = !plan.wide.is_empty();
        for (fi, f) in fs.iter().enumerate() {
            let Some(ci) = plan.cols[fi] else {
                values[fi] = Value::Null;
                continue;
            };
            let cell = cell_at(ci);
            // text as it is (trimmed), without a new string per cell
            if let (FieldType::Text, Cell::Text(t)) = (f.ty, cell) {
                let t = t.trim();
                if !t.is_empty() {
                    set_text(&mut values[fi], t);
                    continue;
                }
            }
            values[fi] = match convert_with(cell, f.ty, d.orders[fi], d.decimals[fi]) {
                Ok(Value::Null) if f.required && !(wide && (f.id == "month" || f.id == "mrr")) => {
                    bad.push((ci, Reason::Required));
                    Value::Null
                }
                Ok(Value::Real(v)) if v < 0.0 && !fields::may_be_negative(kind, f.id) => {
                    bad.push((
                        ci,
                        Reason::OutOfRange {
                            min: Some(0),
                            max: None,
                        },
                    ));
                    Value::Null
                }
                Ok(v) => v,
                Err(r) => {
                    bad.push((ci, r));
                    Value::Null
                }
            };
        }
        if kind == Kind::Surveys && bad.is_empty() {
            let score_null = fs
                .iter()
                .enumerate()
                .filter(|(_, f)| ["nps", "csat", "ces"].contains(&f.id))
                .all(|(fi, _)| values[fi] == Value::Null);
            if score_null {
                let ci = fs
                    .iter()
                    .position(|f| f.id == "nps")
                    .and_then(|fi| plan.cols[fi])
                    .unwrap_or(0);
                bad.push((ci, Reason::NoScore));
            }
        }
        // wide revenue: one record per month column with an amount
        let mut records: Vec<Vec<Value>> = Vec::new();
        if wide {
            let mi = fs.iter().position(|f| f.id == "month").unwrap_or(1);
            let ai = fs.iter().position(|f| f.id == "mrr").unwrap_or(2);
            for (ci, month) in &plan.wide {
                let cell = cell_at(*ci);
                match convert_with(cell, fs[ai].ty, d.orders[ai], d.decimals[ai]) {
                    Ok(Value::Null) => {}
                    Ok(Value::Real(v)) if v < 0.0 && !fields::may_be_negative(kind, "mrr") => bad
                        .push((
                            *ci,
                            Reason::OutOfRange {
                                min: Some(0),
                                max: None,
                            },
                        )),
                    Ok(v) => {
                        let mut rec = values.clone();
                        rec[mi] = Value::Text(month.to_string());
                        rec[ai] = v;
                        records.push(rec);
                    }
                    Err(r) => bad.push((*ci, r)),
                }
            }
        }
        if let (Some(ui), true) = (self.unique_idx, bad.is_empty()) {
            if let Value::Text(id) = &values[ui] {
                if !self.seen.insert(id.clone()) {
                    let ci = plan.cols[ui].unwrap_or(0);
                    bad.push((ci, Reason::Duplicate));
                }
            }
        }
        let result = if !bad.is_empty() {
            self.end.skipped += 1;
            for (ci, reason) in bad {
                self.issue(plan, row.no, ci, cell_at(ci).display(), &reason);
            }
            Ok(())
        } else if wide {
            records.iter().try_for_each(|rec| {
                self.end.rows += 1;
                sink.row(row.no, rec)
            })
        } else {
            self.end.rows += 1;
            sink.row(row.no, &values)
        };
        self.values = values;
        result
    }
}

/// Blank cells between the header's first and last text: where a merged cell may be.
fn header_has_gaps(row: &Row) -> bool {
    let filled: Vec<bool> = row.cells.iter().map(|c| !c.is_empty()).collect();
    match (
        filled.iter().position(|f| *f),
        filled.iter().rposition(|f| *f),
    ) {
        (Some(a), Some(b)) => filled[a..=b].iter().any(|f| !f),
        _ => false,
    }
}

enum Pass {
    Done(Outcome),
    /// A column turned out to be written differently: read the table again, so decided.
    Again(Decisions),
}

fn table(
    src: &mut Source,
    sheet: Option<&str>,
    opts: &Options,
    control: &Control,
    sink: &mut dyn Sink,
    probe_only: bool,
    (table_no, tables): (u32, u32),
) -> Result<Outcome> {
    let mut forced: Option<Decisions> = None;
    let mut begun = false;
    let path = src.path().to_path_buf();
    // a restarted table reads its rows again: progress never goes back
    let reported = Arc::new(std::sync::Mutex::new((0u64, 0f64)));
    let monotone = Control {
        progress: control.progress.as_ref().map(|p| {
            let (p, reported) = (Arc::clone(p), Arc::clone(&reported));
            Arc::new(move |now: &Progress| {
                let (rows, fraction) = {
                    let mut last = reported.lock().unwrap_or_else(|e| e.into_inner());
                    last.0 = last.0.max(now.rows);
                    last.1 = last.1.max(now.fraction);
                    *last
                };
                p(&Progress {
                    rows,
                    fraction,
                    table: table_no,
                    tables,
                    ..now.clone()
                });
            }) as ProgressFn
        }),
        cancel: control.cancel.clone(),
        before_commit: control.before_commit.clone(),
    };
    let control = &monotone;
    loop {
        let pass = src.with_rows(sheet, |rows, notes| {
            one_pass(
                &path,
                sheet,
                rows,
                notes,
                opts,
                control,
                sink,
                forced.as_ref(),
                &mut begun,
                probe_only,
            )
        })?;
        match pass {
            Pass::Done(o) => return Ok(o),
            Pass::Again(d) => {
                sink.restart()?;
                forced = Some(d);
            }
        }
    }
}

/// [`draft`], with merged header cells taking their text: looked up when the header has
/// gaps a merged cell could fill, or when it is not understood without them.
fn draft_merged(
    path: &Path,
    sheet: Option<&str>,
    head: &mut [Row],
    notes: &source::TableNotes,
    opts: &Options,
) -> Draft {
    let d = draft(path, sheet, head, opts);
    if let Some(load) = &notes.merged {
        if !d.problems.is_empty() || header_has_gaps(&head[d.header_idx]) {
            let merged = load();
            if !merged.is_empty() {
                source::apply_merged(head, &merged);
                return draft(path, sheet, head, opts);
            }
        }
    }
    d
}

#[allow(clippy::too_many_arguments)]
fn one_pass(
    path: &Path,
    sheet: Option<&str>,
    rows: &mut dyn Rows,
    notes: &source::TableNotes,
    opts: &Options,
    control: &Control,
    sink: &mut dyn Sink,
    forced: Option<&Decisions>,
    begun: &mut bool,
    probe_only: bool,
) -> Result<Pass> {
    let mut row = Row::default();
    // the header search: the first rows with values (blank rows do not count)
    let mut head: Vec<Row> = Vec::new();
    loop {
        let enough = head.len() >= HEADER_SCAN_ROWS
            && opts
                .header_row
                .is_none_or(|n| head.last().is_some_and(|r| r.no >= n));
        if enough || head.len() >= DECIDE_ROWS {
            break;
        }
        if !rows.next_row(&mut row)? {
            break;
        }
        if !row.is_blank() || row.problem.is_some() {
            head.push(std::mem::take(&mut row));
        }
    }
    if head.len() < 2 {
        return Ok(Pass::Done(Outcome::NoTable));
    }
    let hint = notes.decimal_hint;
    let d = draft_merged(path, sheet, &mut head, notes, opts);
    let plan = match (d.problems.into_iter().next(), d.plan) {
        (Some(e), _) => return Err(e),
        (None, Some(p)) => p,
        (None, None) => return Ok(Pass::Done(Outcome::NoTable)),
    };
    if !*begun {
        sink.begin(&plan.head)?;
        *begun = true;
    }
    if probe_only {
        return Ok(Pass::Done(Outcome::Imported));
    }
    let mut pending: std::collections::VecDeque<Row> = head.drain(plan.header_idx + 1..).collect();
    drop(head);
    let mut ev = Evidence::new(&plan);
    for r in &pending {
        ev.look(&plan, r);
    }
    let decisions = match forced {
        Some(d) => d.clone(),
        None => {
            while !ev.resolved() && pending.len() < DECIDE_ROWS {
                if !rows.next_row(&mut row)? {
                    break;
                }
                if row.is_blank() && row.problem.is_none() {
                    continue;
                }
                ev.look(&plan, &row);
                pending.push_back(std::mem::take(&mut row));
            }
            ev.decide(opts, hint)
        }
    };
    let mut state = TableState::new(plan.head.kind);
    let started = Instant::now();
    let mut count: u64 = 0;
    let tick = |count: u64, rows: &dyn Rows| -> Result<()> {
        if !count.is_multiple_of(8192) {
            return Ok(());
        }
        if control
            .cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::Relaxed))
        {
            return Err(Error::Cancelled { file: path.into() });
        }
        if let Some(p) = &control.progress {
            let secs = started.elapsed().as_secs_f64().max(1e-6);
            p(&Progress {
                sheet: plan.head.sheet.clone(),
                table: 0,
                tables: 1,
                rows: count,
                fraction: rows.fraction(),
                rows_per_second: count as f64 / secs,
            });
        }
        Ok(())
    };
    for r in pending.drain(..) {
        state.convert(&plan, &decisions, &r, sink)?;
        count += 1;
        tick(count, rows)?;
    }
    while rows.next_row(&mut row)? {
        if row.is_blank() && row.problem.is_none() {
            continue;
        }
        ev.look(&plan, &row);
        state.convert(&plan, &decisions, &row, sink)?;
        count += 1;
        tick(count, rows)?;
    }
    if forced.is_none() {
        let last = ev.decide(opts, hint);
        if last != decisions {
            return Ok(Pass::Again(last));
        }
    }
    if let Some(p) = &control.progress {
        p(&Progress {
            sheet: plan.head.sheet.clone(),
            table: 0,
            tables: 1,
            rows: count,
            fraction: 1.0,
            rows_per_second: count as f64 / started.elapsed().as_secs_f64().max(1e-6),
        });
    }
    let mut end = state.end;
    end.assumptions = ev.assumptions(&plan, &decisions, opts);
    sink.end(end)?;
    Ok(Pass::Done(Outcome::Imported))
}
