//! Import: a file in, validated rows out, streamed to a [`Sink`] (the store writes them as
//! staged batches and makes them live together; tests collect them). Nothing here writes to
//! the database.
//!
//! Per table, in pipeline order: [`source`] opens the file and streams its rows → `header`
//! finds the header row, guesses the kind and maps columns (or recognises one-column-per-month
//! revenue and unpivots it) → `decide` decides each column's date order and decimal
//! separator from its values → `validate` converts and validates each row, listing every bad
//! cell ([`convert`] reads one value, [`fields`] knows the kinds and their fields). Rows
//! stream through in constant memory; a column whose values only late in the file show how
//! it is written makes the table start again with that decision, so the result is exactly as
//! if every value had been looked at first. This file holds the API types and the driver
//! (the file's tables, each table's passes); `inspect` is what the import wizard shows
//! before anything is imported.

mod billing;
pub mod builtin;
pub mod choices;
pub mod convert;
mod decide;
pub mod fields;
mod header;
mod inspect;
mod kind;
pub mod profile;
pub mod source;
mod validate;
mod wrap;

pub use billing::BillingLine;
pub use choices::{DateOrder, ImportOptions, TableChoice};
pub use inspect::{inspect, FieldPreview, Inspection, PreviewRow, Problem, TablePreview};

use crate::error::{Error, Result};

/// Do these header texts (as a file heads its columns) make a billing export: invoice or
/// subscription lines with a service period or a billing interval (`sources.md` §5)? Such
/// a file's kind is always a question; its messages say why.
pub fn is_billing_export(headers: &[String]) -> bool {
    let keys: Vec<String> = headers.iter().map(|h| fields::header_key(h)).collect();
    kind::is_billing_export(&keys)
}
use crate::model::Kind;
use convert::{SlashOrder, Value};
use decide::{Decisions, Evidence};
use header::draft_merged;
use serde::{Deserialize, Serialize};
pub use source::{Budget, Input};
use source::{FileRow, OpenedFile, Rows};
use std::borrow::Cow;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;
use validate::TableState;

/// What the user may force instead of the guesses.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub kind: Option<Kind>,
    pub sheet: Option<String>,
    /// The header's row number as the user sees it (1-based).
    pub header_row: Option<u32>,
    /// `FIELD=COLUMN` pairs.
    pub map: Vec<String>,
    /// `FIELD=VALUE` pairs: a field no column holds, the same for every row of the file
    /// (`--set channel=email`, `sources.md` §4 "Constants").
    pub set: Vec<String>,
    /// `FIELD:LABEL=VALUE`: the user's word for a coded field or a score (`outcome:Verlängert=renewed`,
    /// `csat:Sehr zufrieden=5`), read before the built-in vocabularies (`sources.md` §4
    /// "Vocabularies": values no rule covers are shown; the user assigns each once).
    pub values: Vec<String>,
    /// How to read `03/04/2026` in a column whose values do not tell (the user's answer to
    /// the question the import asks); `None`: the file's locale decides.
    pub date_order: Option<SlashOrder>,
    pub budget: Budget,
    /// Choices for single tables (the import wizard): an entry replaces `kind`,
    /// `header_row`, `map` and `date_order` for its table, or skips it.
    pub tables: Vec<TableOptions>,
    /// Where the file overlaps earlier imports of its kind, its rows replace theirs
    /// (`supersede`, the default) or are added to them (`datasets.md`, "Re-imports").
    pub overlap: crate::model::Overlap,
    /// The import replaces the embedded sample company: its batches are undone in the
    /// import's own commit (and can be taken back until the next import).
    pub replace_sample: bool,
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
                set: self.set.clone(),
                values: self.values.clone(),
                date_order: t.date_order,
                budget: self.budget.clone(),
                tables: vec![],
                overlap: self.overlap,
                replace_sample: self.replace_sample,
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
    /// `month` and `mrr` name the month columns' range, e.g. `Jan 2026 … Dez 2026`; a
    /// constant is `= VALUE`, a count from a rate `Bounce rate × Sessions`.
    pub mapping: Vec<(&'static str, String)>,
    /// The built-in profile that recognised the table (`sources.md` §6).
    pub profile: Option<String>,
    /// How the table was read beyond the mapping: constants, units, rates, combined
    /// header rows, business-hours columns left out (for the wizard and `import --json`).
    pub notes: Vec<ReadNote>,
}

/// One decision about how a table was read (`sources.md`: "every decision the import made
/// visible").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct ReadNote {
    /// `constant`, `unit`, `rate`, `business_hours`, `header_rows_combined`, `fill_down`,
    /// `vocabulary`, `line_items`.
    pub what: String,
    /// The field concerned (empty when the note is about the table).
    pub field: String,
    /// The column concerned (empty when none).
    pub column: String,
    pub en: String,
    pub de: String,
}

/// A row that is not data: title/filter/comment lines above the header, footers, another
/// section of the report, a line item's continuation row (`sources.md` §3). Not imported,
/// not an error: listed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct PassedOver {
    pub sheet: Option<String>,
    pub row: u32,
    /// `blank`, `comment`, `title`, `filter`, `grand_totals`, `confidential`, `copyright`,
    /// `generated_by`, `footer`, `section`, `line_item`, `header`.
    pub what: String,
    /// The row's first text (shortened).
    pub text: String,
    pub en: String,
    pub de: String,
}

/// A tool's word read as a code or score (`Closed Won` → `renewed`), with how many rows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct MappedValue {
    pub field: String,
    pub from: String,
    pub to: String,
    #[ts(type = "number")]
    pub rows: usize,
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
    /// Rows that are not data (titles, footers, sections, continuation rows): listed.
    pub passed_over: Vec<PassedOver>,
    /// The tools' words read as codes or scores.
    pub values_mapped: Vec<MappedValue>,
}

/// Where the rows go. The import calls `begin`, `row`…, `end` per table; `restart` drops
/// the current table's rows when a column turned out to be written differently than its
/// first values suggested (the rows then come again).
pub trait Sink {
    fn begin(&mut self, head: &TableHead) -> Result<()>;
    /// One record, values in `fields(kind)` order (borrowed: the import reuses its buffers).
    fn row(&mut self, no: u32, values: &[Value]) -> Result<()>;
    fn restart(&mut self) -> Result<()>;
    /// A billing export's lines, for lineage (`sources.md` §5): called once, after the
    /// table's derived revenue records and before its `end`.
    fn billing(&mut self, _lines: &[BillingLine]) -> Result<()> {
        Ok(())
    }
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
    /// The built-in profile used, and how the table was read.
    pub profile: Option<String>,
    pub notes: Vec<ReadNote>,
    pub passed_over: Vec<PassedOver>,
    pub values_mapped: Vec<MappedValue>,
    /// A billing export's lines (its `rows` are the MRR derived from them).
    pub billing: Vec<BillingLine>,
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
            profile: h.profile.clone(),
            notes: h.notes.clone(),
            passed_over: vec![],
            values_mapped: vec![],
            billing: vec![],
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
    fn billing(&mut self, lines: &[BillingLine]) -> Result<()> {
        if let Some(p) = self.0.last_mut() {
            p.billing = lines.to_vec();
        }
        Ok(())
    }
    fn end(&mut self, e: TableEnd) -> Result<()> {
        if let Some(p) = self.0.last_mut() {
            p.skipped = e.skipped;
            p.issues = e.issues;
            p.issues_not_listed = e.issues_not_listed;
            p.assumptions = e.assumptions;
            p.passed_over = e.passed_over;
            p.values_mapped = e.values_mapped;
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
    /// `no_table` (fewer than two rows with values, or notes: one cell per row and no
    /// field named), `unknown_kind`, `kind_uncertain` (it could be one of `candidates`:
    /// imported only when chosen), `hidden` (listed, not imported; `--sheet NAME` imports
    /// it), `not_a_worksheet` (a chart sheet) or `not_chosen` (the user skipped it).
    pub reason: String,
    /// The headers found, for `unknown_kind` and `kind_uncertain`.
    pub headers: Vec<String>,
    /// For `kind_uncertain`: the kinds it could be, likeliest first.
    #[serde(default)]
    pub candidates: Vec<Kind>,
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
    src: &mut OpenedFile,
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
                candidates: vec![],
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
    let mut src = OpenedFile::open(path, input, opts.budget.clone())?;
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
            Ok(Outcome::PassedBy(profile)) => {
                if let Some(s) = sheet {
                    skipped.push(SkippedSheet {
                        sheet: s.clone(),
                        reason: "same_data".into(),
                        headers: vec![profile.to_owned()],
                        candidates: vec![],
                    });
                }
            }
            Ok(Outcome::NoTable) => {
                if let Some(s) = sheet {
                    skipped.push(SkippedSheet {
                        sheet: s.clone(),
                        reason: "no_table".into(),
                        headers: vec![],
                        candidates: vec![],
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
                    candidates: vec![],
                });
                first_unknown.get_or_insert(Error::UnknownKind {
                    file,
                    sheet: Some(name),
                    headers,
                });
            }
            // a sheet whose kind is a question is not imported on a guess
            Err(Error::KindUncertain {
                file,
                sheet: Some(name),
                candidates,
                headers,
            }) if tables.len() > 1 => {
                any_table = true;
                skipped.push(SkippedSheet {
                    sheet: name.clone(),
                    reason: "kind_uncertain".into(),
                    headers: headers.clone(),
                    candidates: candidates.clone(),
                });
                first_unknown.get_or_insert(Error::KindUncertain {
                    file,
                    sheet: Some(name),
                    candidates,
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
    /// A built-in profile knows the table as another view of a sibling's data.
    PassedBy(&'static str),
}

enum Pass {
    Done(Outcome),
    /// A column turned out to be written differently: read the table again, so decided.
    Again(Decisions),
}

fn table(
    src: &mut OpenedFile,
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

/// Every 8192 rows: the cancel switch looked at, progress reported (rows read, how far
/// through the table, rows per second since the ticker was made).
fn ticker<'a>(
    control: &'a Control,
    path: &'a Path,
    sheet: Option<String>,
) -> impl Fn(u64, &dyn Rows) -> Result<()> + 'a {
    let started = Instant::now();
    move |count: u64, rows: &dyn Rows| -> Result<()> {
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
                sheet: sheet.clone(),
                table: 0,
                tables: 1,
                rows: count,
                fraction: rows.fraction(),
                rows_per_second: count as f64 / secs,
            });
        }
        Ok(())
    }
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
    let mut row = FileRow::default();
    // the header search: the first rows with values (blank rows do not count)
    let mut head: Vec<FileRow> = Vec::new();
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
    // (a notes sheet is read as a table only when the user says how: a header row, a kind)
    if head.len() < 2 || (opts.header_row.is_none() && opts.kind.is_none() && kind::is_notes(&head))
    {
        return Ok(Pass::Done(Outcome::NoTable));
    }
    let hint = notes.decimal_hint;
    let d = draft_merged(path, sheet, &mut head, notes, opts);
    if let Some(name) = d.passed_by {
        return Ok(Pass::Done(Outcome::PassedBy(name)));
    }
    let mut plan = match (d.problems.into_iter().next(), d.plan) {
        (Some(e), _) => return Err(e),
        (None, Some(p)) => p,
        (None, None) => return Ok(Pass::Done(Outcome::NoTable)),
    };
    // accounts: other tools' id columns are the account's aliases (sources.md §1)
    let alias_cols = validate::alias_columns(&plan);
    if !alias_cols.is_empty() {
        let named: Vec<&str> = alias_cols
            .iter()
            .map(|&c| plan.header[c].as_str())
            .collect();
        let named = named.join(" + ");
        match plan.head.mapping.iter_mut().find(|(f, _)| *f == "aliases") {
            Some((_, col)) => *col = format!("{col} + {named}"),
            None => plan.head.mapping.push(("aliases", named)),
        }
    }
    let first_data = plan.data_idx.min(head.len());
    wrap::read_first_rows(&mut plan, &head[first_data..]);
    if !*begun {
        sink.begin(&plan.head)?;
        *begun = true;
    }
    if probe_only {
        return Ok(Pass::Done(Outcome::Imported));
    }
    if let Some(cols) = plan.billing.take() {
        let pending: Vec<FileRow> = head.drain(plan.data_idx.min(head.len())..).collect();
        let mut tick = ticker(control, path, plan.head.sheet.clone());
        let mut end = TableEnd::default();
        let mut tail = wrap::Tail::new(&plan);
        tail.above(&plan, &head[..plan.data_idx.min(head.len())]);
        end.passed_over = tail.passed;
        billing::read(
            &cols,
            sheet,
            &plan.header,
            pending,
            rows,
            &mut tick,
            sink,
            end,
        )?;
        return Ok(Pass::Done(Outcome::Imported));
    }
    let mut tail = wrap::Tail::new(&plan);
    tail.above(&plan, &head[..plan.data_idx.min(head.len())]);
    let mut pending: std::collections::VecDeque<FileRow> =
        head.drain(plan.data_idx.min(head.len())..).collect();
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
    let tick = ticker(control, path, plan.head.sheet.clone());
    for mut r in pending.drain(..) {
        tail.feed(&plan, &decisions, &mut state, &mut r, sink)?;
        count += 1;
        tick(count, rows)?;
    }
    while rows.next_row(&mut row)? {
        if row.is_blank() && row.problem.is_none() {
            continue;
        }
        ev.look(&plan, &row);
        tail.feed(&plan, &decisions, &mut state, &mut row, sink)?;
        count += 1;
        tick(count, rows)?;
    }
    tail.finish(&plan, &decisions, &mut state, sink)?;
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
    let mut end = state.finish();
    end.passed_over.splice(0..0, tail.passed);
    end.assumptions = ev.assumptions(&plan, &decisions, opts);
    sink.end(end)?;
    Ok(Pass::Done(Outcome::Imported))
}
