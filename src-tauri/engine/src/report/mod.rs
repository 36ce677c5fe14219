//! The board report: one Excel workbook per month, in German or English, written with
//! rust_xlsxwriter. The CLI's `report` and the desktop's export call [`write_file`].
//!
//! Sheets: summary, trends, MRR bridge, accounts, movers & risks, segments, renewals,
//! score check, voice of the customer, cohorts, definitions, data lineage (`summary`,
//! `series`, `lists`, `insights`, `reference`). All formats live in
//! `style.rs`, all texts in `text.rs`.
//!
//! Safety: every text that came from an import goes through [`Sheet::user_text`]: written
//! as a string (never a formula or hyperlink), with Excel's quote prefix when it starts
//! like a formula, cut with a visible marker at Excel's 32,767 characters. Sheet names go
//! through [`sheet_name`]. Deterministic: the document's creation time is the end of the
//! report month, so the same data gives byte-identical files.

pub mod insights;
pub mod issues;
mod lists;
mod reference;
mod series;
pub mod style;
mod summary;
pub mod text;

use crate::error::{Error, Lang, Result};
use crate::model::Data;
use crate::month::Month;
use crate::score::ScoreReport;
use crate::settings::Settings;
use crate::store::{Batch, Store};
use crate::trends::{self, Insights};
use crate::window::{Span, Window};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use style::Styles;
use text::Texts;

/// Excel's limit on the characters of one cell.
pub const CELL_LIMIT: usize = 32_767;
/// Excel's limit on a sheet name.
pub const SHEET_NAME_LIMIT: usize = 31;
/// Deflate level of the xlsx container (1 fastest … 9 smallest; Excel writes 3).
pub const ZIP_LEVEL: u8 = 3;
/// Accounts sheets longer than this are written in constant-memory mode.
pub const CONSTANT_MEMORY_ROWS: usize = 2_000;

/// What was written (`report --json`).
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Written {
    pub file: String,
    #[ts(type = "string")]
    pub month: Month,
    pub lang: String,
    pub sheets: Vec<String>,
    pub bytes: u64,
    pub accounts: u32,
    pub cs_score: Option<f64>,
}

/// Writes the report of `month` (default: the latest month with data) to `out`: to a
/// temporary file next to it first, renamed into place when complete, so a failure leaves
/// no half-written file.
pub fn write_file(store: &Store, month: Option<Month>, lang: Lang, out: &Path) -> Result<Written> {
    let Window {
        settings,
        month,
        data,
    } = Window::open(store, month, Span::Trend)?;
    let month = month.ok_or(Error::NothingToReport)?;
    let batches = store.batches()?;
    let page = Page::new(lang, &settings, month);
    let mut wb = new_workbook(&page)?;
    // the accounts sheet (most of the cells) is written as soon as M is scored, while the
    // other months are still being computed
    let notes = store.notes(Some(month))?;
    // the trend scores M−11..M−2; those of them the Score check and the renewals'
    // backtest observe (M0 = M−14..M−3) are kept as observations, not scored again
    let observed = std::sync::Mutex::new(insights::Observed::default());
    let (first, last) =
        crate::insights::backtest::observation_span(month, crate::insights::renewals::HORIZON);
    let (ins, accounts) = trends::compute_observing(
        &data,
        month,
        &settings,
        |scores| {
            let mut ws = accounts_worksheet(&mut wb, scores)?;
            lists::accounts(&mut ws, &page, scores, &page.names, &notes).map_err(report_error)?;
            Ok::<_, Error>(ws)
        },
        |m, act, scores| {
            if first <= m && m <= last {
                let o = crate::insights::backtest::observe(
                    act,
                    m,
                    crate::insights::renewals::HORIZON,
                    scores,
                );
                if let Ok(mut map) = observed.lock() {
                    map.insert(m, o);
                }
            }
        },
    );
    let observed = observed.into_inner().unwrap_or_default();
    let extras =
        insights::Extras::load_observed(store, &data, &ins, &settings, lang, notes, observed)?;
    let ctx = Ctx {
        page: &page,
        ins: &ins,
        data: &data,
        batches: &batches,
        extras: &extras,
    };
    let others = other_sheets(&ctx)?;
    add_sheets(&mut wb, accounts?, others);
    let sheets = page.sheet_order();
    let (month, accounts, cs_score) = (ins.month, ins.scores.accounts.len(), ins.scores.cs_score);
    // the loaded rows and the insights are freed on a thread nobody waits for (dropping
    // them costs as much as a tenth of the report); without a thread, right here
    let rest = (ins, data, extras);
    let _ = std::thread::Builder::new().spawn(move || drop(rest));
    let bytes = wb.save_to_buffer().map_err(report_error)?;
    save(out, &bytes)?;
    Ok(Written {
        file: out.display().to_string(),
        month,
        lang: match lang {
            Lang::De => "de",
            Lang::En => "en",
        }
        .into(),
        sheets,
        bytes: bytes.len() as u64,
        accounts: accounts as u32,
        cs_score,
    })
}

/// Writes `bytes` to `out` (a file the user named): to a temporary file created in the same
/// folder (an unpredictable name, created exclusively, never through a link: the `tempfile`
/// crate), flushed to disk, renamed into place, and the folder flushed. A failure leaves no
/// half-written file, and an earlier file at `out` stays as it was; a link at `out` is
/// replaced, never written through.
pub(crate) fn save(out: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match out.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let cannot = |e: std::io::Error| Error::CannotWrite {
        file: out.to_path_buf(),
        reason: e.kind(),
    };
    if !dir.is_dir() {
        return Err(Error::CannotWrite {
            file: out.to_path_buf(),
            reason: std::io::ErrorKind::NotFound,
        });
    }
    if out.is_dir() {
        return Err(Error::CannotWrite {
            file: out.to_path_buf(),
            reason: std::io::ErrorKind::IsADirectory,
        });
    }
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report.xlsx".into());
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        // as any new document: read and write for all, less the user's umask
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(&dir).map_err(cannot)?;
    use std::io::Write as _;
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(cannot)?;
    tmp.persist(out).map_err(|e| cannot(e.error))?;
    crate::store::sync_dir(&dir);
    Ok(())
}

/// The workbook as bytes, with the sheet names used. Pure apart from temporary files of
/// rust_xlsxwriter's constant-memory mode.
pub fn build(
    ins: &Insights,
    data: &Data,
    settings: &Settings,
    batches: &[Batch],
    extras: &insights::Extras,
    lang: Lang,
) -> Result<(Vec<u8>, Vec<String>)> {
    let page = Page::new(lang, settings, ins.month);
    let mut wb = new_workbook(&page)?;
    let ctx = Ctx {
        page: &page,
        ins,
        data,
        batches,
        extras,
    };
    // the accounts sheet (most of the cells) on a thread of its own while this one writes
    // the others
    let mut accounts = accounts_worksheet(&mut wb, &ins.scores)?;
    let others = std::thread::scope(|s| {
        let helper = s.spawn(|| {
            lists::accounts(
                &mut accounts,
                &page,
                &ins.scores,
                &page.names,
                &extras.notes,
            )
        });
        let others = other_sheets(&ctx);
        helper
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            .map_err(report_error)?;
        others
    })?;
    add_sheets(&mut wb, accounts, others);
    let bytes = wb.save_to_buffer().map_err(report_error)?;
    Ok((bytes, page.sheet_order()))
}

/// A workbook with the report's document properties (dated the end of the month, so the
/// same data gives the same bytes) and zip level, no sheets yet.
fn new_workbook(page: &Page) -> Result<Workbook> {
    let mut wb = Workbook::new();
    // Excel's own level: 3× less deflate time than the default 6 for a file ~14 % larger
    wb.set_zip_compression_level(ZIP_LEVEL);
    let end = page.month.last_day();
    use chrono::Datelike;
    let created = ExcelDateTime::from_ymd(end.year() as u16, end.month() as u8, end.day() as u8)
        .and_then(|d| d.and_hms(18, 0, 0))
        .map_err(report_error)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("{} – {}", page.t.title, page.month_label))
            .set_subject(page.t.subject)
            .set_author(&page.company)
            .set_company(&page.company)
            .set_manager("CS Pulse")
            .set_keywords("CS Pulse, customer success, KPI, CS score")
            .set_comment(page.month.to_string())
            .set_creation_datetime(&created),
    );
    Ok(wb)
}

/// The worksheet of the accounts sheet: in constant-memory mode when it is long.
fn accounts_worksheet(wb: &mut Workbook, scores: &ScoreReport) -> Result<Worksheet> {
    if scores.accounts.len() > CONSTANT_MEMORY_ROWS {
        wb.new_worksheet_with_constant_memory()
            .map_err(report_error)
    } else {
        Ok(Worksheet::new())
    }
}

/// The sheets before the accounts sheet and after it, written.
type Others = (Vec<Worksheet>, Vec<Worksheet>);

fn other_sheets(ctx: &Ctx) -> Result<Others> {
    type Write = fn(&mut Worksheet, &Ctx, &[String]) -> Result<(), XlsxError>;
    let sheets = |writers: &[Write]| -> Result<Vec<Worksheet>> {
        writers
            .iter()
            .map(|w| {
                let mut ws = Worksheet::new();
                w(&mut ws, ctx, &ctx.names).map_err(report_error)?;
                Ok(ws)
            })
            .collect()
    };
    Ok((
        sheets(&[summary::write, series::trends, series::bridge])?,
        sheets(&[
            lists::movers,
            insights::segments,
            insights::renewals,
            insights::score_check,
            lists::voice,
            series::cohorts,
            reference::definitions,
            reference::lineage,
        ])?,
    ))
}

/// Every sheet into the workbook, in sheet order.
fn add_sheets(wb: &mut Workbook, accounts: Worksheet, (before, after): Others) {
    for ws in before {
        wb.push_worksheet(ws);
    }
    wb.push_worksheet(accounts);
    for ws in after {
        wb.push_worksheet(ws);
    }
}

fn report_error(e: XlsxError) -> Error {
    Error::Report(e.to_string())
}

/// What the page of every sheet reads: texts, formats, settings, the month (and its
/// label), the company, the sheet names.
pub(crate) struct Page<'a> {
    pub t: &'static Texts,
    pub st: Styles,
    pub settings: &'a Settings,
    pub month: Month,
    pub month_label: String,
    pub company: String,
    pub names: Vec<String>,
}

impl<'a> Page<'a> {
    fn new(lang: Lang, settings: &'a Settings, month: Month) -> Page<'a> {
        let t = text::texts(lang);
        Page {
            t,
            st: Styles::new(t, &settings.currency),
            settings,
            month,
            month_label: month_label(t, month),
            company: settings.company_name.clone(),
            names: t
                .sheets
                .iter()
                .chain(&insights::tx(lang).sheets)
                .map(|s| sheet_name(s))
                .collect(),
        }
    }

    /// The sheet names in the workbook's order (the insight sheets, `names[9..12]`,
    /// follow Movers & risks).
    pub fn sheet_order(&self) -> Vec<String> {
        let n = &self.names;
        [0, 1, 2, 3, 4, 9, 10, 11, 5, 6, 7, 8]
            .iter()
            .map(|&i| n[i].clone())
            .collect()
    }
}

/// What every sheet writer reads: the page, and the month's insights, data and batches.
pub(crate) struct Ctx<'a> {
    pub page: &'a Page<'a>,
    pub ins: &'a Insights,
    pub data: &'a Data,
    pub batches: &'a [Batch],
    /// Breakdowns, renewal outlook, backtest, coverage and notes.
    pub extras: &'a insights::Extras,
}

impl<'a> std::ops::Deref for Ctx<'a> {
    type Target = Page<'a>;
    fn deref(&self) -> &Page<'a> {
        self.page
    }
}

/// "October 2026" / "Oktober 2026".
pub(crate) fn month_label(t: &Texts, m: Month) -> String {
    format!("{} {}", t.months[m.month() as usize - 1], m.year())
}

/// A valid, safe sheet name: no `[]:*?/\`, no leading or trailing apostrophe, at most
/// 31 characters, never empty.
pub fn sheet_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| match c {
            '[' | ']' | ':' | '*' | '?' | '/' | '\\' => '_',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let trimmed = cleaned.trim().trim_matches('\'').trim();
    let cut: String = trimmed.chars().take(SHEET_NAME_LIMIT).collect();
    let cut = cut.trim_end().to_owned();
    if cut.is_empty() {
        "Sheet".into()
    } else {
        cut
    }
}

/// Does Excel read `text` as a formula (or a command) when it is typed or edited?
pub fn looks_like_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// `text` cut to Excel's cell limit (counted in UTF-16 units, as Excel does) with a
/// visible marker at the end; `None` when it fits.
pub fn cut_to_cell(text: &str, marker: &str) -> Option<String> {
    if text.len() <= CELL_LIMIT || text.encode_utf16().count() <= CELL_LIMIT {
        return None;
    }
    let room = CELL_LIMIT - marker.encode_utf16().count();
    let mut used = 0;
    let mut out = String::with_capacity(CELL_LIMIT * 2);
    for c in text.chars() {
        used += c.len_utf16();
        if used > room {
            break;
        }
        out.push(c);
    }
    out.push_str(marker);
    Some(out)
}

/// The row height (points) that shows `text` wrapped in a column `width` characters wide;
/// `None` when one line is enough.
pub(crate) fn wrapped_height(text: &str, width: f64) -> Option<f64> {
    let per_line = (width * 1.3).max(1.0);
    let lines: f64 = text
        .split('\n')
        .map(|l| (l.chars().count() as f64 / per_line).ceil().max(1.0))
        .sum();
    (lines > 1.0).then(|| (lines.min(30.0) * 13.0 + 2.0).min(409.0))
}

/// A header row whose columns in `numeric` are right-aligned over their numbers.
pub(crate) fn header_row(
    ws: &mut Worksheet,
    ctx: &Page,
    row: u32,
    titles: &[&str],
    numeric: &[usize],
) -> Result<(), XlsxError> {
    for (i, h) in titles.iter().enumerate() {
        let f = if numeric.contains(&i) {
            &ctx.st.header_num
        } else {
            &ctx.st.header
        };
        ws.write_string_with_format(row, i as u16, *h, f)?;
    }
    Ok(())
}

/// Header cells of text columns right of a number column, written again indented (see
/// `Styles::indent`).
pub(crate) fn indent_headers(
    ws: &mut Worksheet,
    ctx: &Page,
    row: u32,
    titles: &[&str],
    cols: &[usize],
) -> Result<(), XlsxError> {
    for &c in cols {
        if let Some(h) = titles.get(c) {
            ws.write_string_with_format(row, c as u16, *h, &ctx.st.header_indent)?;
        }
    }
    Ok(())
}

/// Text in the header or footer: `&` is a control character there.
pub(crate) fn header_text(text: &str, max: usize) -> String {
    text.chars()
        .take(max)
        .collect::<String>()
        .replace('&', "&&")
}

/// Helpers on a worksheet shared by all sheet writers.
pub(crate) trait Sheet {
    /// Imported text, safely: as a string, quote-prefixed when it starts like a formula,
    /// cut at Excel's limit with a visible marker.
    fn user_text(
        &mut self,
        row: u32,
        col: u16,
        text: &str,
        ctx: &Page,
        wrap: bool,
    ) -> Result<(), XlsxError>;
    /// An optional number; empty cell for `None`.
    fn opt_num(&mut self, row: u32, col: u16, v: Option<f64>, f: &Format) -> Result<(), XlsxError>;
    /// A `YYYY-MM-DD` date as an Excel date.
    fn date(&mut self, row: u32, col: u16, iso: &str, f: &Format) -> Result<(), XlsxError>;
    /// A header row of column titles.
    fn headers(&mut self, row: u32, col: u16, titles: &[&str], f: &Format)
        -> Result<(), XlsxError>;
}

impl Sheet for Worksheet {
    fn user_text(
        &mut self,
        row: u32,
        col: u16,
        text: &str,
        ctx: &Page,
        wrap: bool,
    ) -> Result<(), XlsxError> {
        let cut = cut_to_cell(text, ctx.t.cut);
        let text = cut.as_deref().unwrap_or(text);
        let f = match (looks_like_formula(text), wrap) {
            (true, true) => &ctx.st.wrap_quoted,
            (true, false) => &ctx.st.text_quoted,
            (false, true) => &ctx.st.wrap,
            (false, false) => &ctx.st.text,
        };
        self.write_string_with_format(row, col, text, f)?;
        Ok(())
    }

    fn opt_num(&mut self, row: u32, col: u16, v: Option<f64>, f: &Format) -> Result<(), XlsxError> {
        match v {
            Some(x) if x.is_finite() => {
                self.write_number_with_format(row, col, x, f)?;
            }
            _ => {
                self.write_blank(row, col, f)?;
            }
        }
        Ok(())
    }

    fn date(&mut self, row: u32, col: u16, iso: &str, f: &Format) -> Result<(), XlsxError> {
        let parts: Vec<u32> = iso
            .get(..10)
            .unwrap_or("")
            .split('-')
            .filter_map(|p| p.parse().ok())
            .collect();
        match parts.as_slice() {
            [y, m, d] => {
                let dt = ExcelDateTime::from_ymd(*y as u16, *m as u8, *d as u8)?;
                self.write_datetime_with_format(row, col, &dt, f)?;
            }
            _ => {
                self.write_string(row, col, iso)?;
            }
        }
        Ok(())
    }

    fn headers(
        &mut self,
        row: u32,
        col: u16,
        titles: &[&str],
        f: &Format,
    ) -> Result<(), XlsxError> {
        for (i, h) in titles.iter().enumerate() {
            self.write_string_with_format(row, col + i as u16, *h, f)?;
        }
        Ok(())
    }
}

/// A4 landscape, one page wide, header and footer with company, month and page X of Y;
/// `repeat` repeats a header row on every printed page.
pub(crate) fn page_setup(
    ws: &mut Worksheet,
    ctx: &Page,
    sheet_title: &str,
    repeat: Option<u32>,
) -> Result<(), XlsxError> {
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_margins(0.5, 0.5, 0.75, 0.75, 0.3, 0.3);
    ws.set_print_center_horizontally(true);
    ws.set_screen_gridlines(false);
    ws.set_header(format!(
        "&L&\"Calibri,Bold\"{}&C{}&R{}",
        header_text(&ctx.company, 60),
        header_text(sheet_title, 60),
        header_text(&ctx.month_label, 30)
    ));
    ws.set_footer(format!(
        "&L{}&R{}",
        header_text(ctx.t.title, 80),
        ctx.t.page
    ));
    if let Some(r) = repeat {
        ws.set_repeat_rows(r, r)?;
    }
    Ok(())
}

/// Title and subtitle lines at the top of a sheet.
pub(crate) fn sheet_title(ws: &mut Worksheet, ctx: &Page, title: &str) -> Result<(), XlsxError> {
    ws.set_row_height(0, 27)?;
    ws.write_string_with_format(0, 0, title, &ctx.st.title)?;
    let sub = format!("{} · {}", ctx.company, ctx.month_label);
    ws.user_text(1, 0, &sub, ctx, false)?;
    ws.set_cell_format(1, 0, &ctx.st.subtitle)?;
    Ok(())
}

/// The light's label in the report's language.
pub(crate) fn light_label(t: &Texts, l: Option<crate::score::Light>) -> &'static str {
    match l {
        Some(crate::score::Light::Green) => t.lights[0],
        Some(crate::score::Light::Yellow) => t.lights[1],
        Some(crate::score::Light::Red) => t.lights[2],
        None => t.no_light,
    }
}

/// Green / yellow / red fills on the cells of `range` whose text is a light's label.
pub(crate) fn light_colours(
    ws: &mut Worksheet,
    ctx: &Page,
    (r1, c1, r2, c2): (u32, u16, u32, u16),
    labels: [&str; 3],
) -> Result<(), XlsxError> {
    use rust_xlsxwriter::{ConditionalFormatText, ConditionalFormatTextRule};
    if r2 < r1 {
        return Ok(());
    }
    for (label, f) in labels
        .iter()
        .zip([&ctx.st.green, &ctx.st.yellow, &ctx.st.red])
    {
        ws.add_conditional_format(
            r1,
            c1,
            r2,
            c2,
            &ConditionalFormatText::new()
                .set_rule(ConditionalFormatTextRule::BeginsWith((*label).to_owned()))
                .set_format(f),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_sanitised() {
        assert_eq!(sheet_name("a[b]:c*d?e/f\\g"), "a_b__c_d_e_f_g");
        assert_eq!(sheet_name("'quoted'"), "quoted");
        assert_eq!(sheet_name(""), "Sheet");
        assert_eq!(sheet_name(&"x".repeat(40)).chars().count(), 31);
        for t in [&text::EN, &text::DE] {
            for s in t.sheets {
                assert_eq!(sheet_name(s), s, "our own names need no change");
            }
        }
    }

    #[test]
    fn long_text_is_cut_with_a_marker() {
        assert_eq!(cut_to_cell("short", "…"), None);
        let long = "é".repeat(40_000);
        let cut = cut_to_cell(&long, " [cut]").unwrap();
        assert!(cut.ends_with(" [cut]"));
        assert_eq!(cut.encode_utf16().count(), CELL_LIMIT);
    }

    #[test]
    fn formula_starts_are_recognised() {
        for s in ["=1+1", "+1", "-- x", "@Support", "\tx", "\rx"] {
            assert!(looks_like_formula(s), "{s:?}");
        }
        assert!(!looks_like_formula("great"));
    }
}
