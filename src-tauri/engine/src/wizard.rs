//! What the desktop's import wizard sends and gets besides the import itself: the user's
//! choices as one serialisable value ([`ImportOptions`], turned into the import's
//! [`Options`]), a batch's stored issues in the user's language, and those issues saved as
//! a workbook the user can filter and fix their export by.

use crate::error::{Error, Lang, Result};
use crate::import::convert::SlashOrder;
use crate::import::{Options, TableOptions};
use crate::model::{Kind, Overlap};
use crate::report::{cut_to_cell, looks_like_formula};
use crate::store::{Batch, Store};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// How to read dates such as `03/04/2026` in a column whose values do not tell (the answer
/// to an assumption's question; the same words as `Assumption::assumed`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DateOrder {
    DayFirst,
    MonthFirst,
}

impl From<DateOrder> for SlashOrder {
    fn from(o: DateOrder) -> SlashOrder {
        match o {
            DateOrder::DayFirst => SlashOrder::DayFirst,
            DateOrder::MonthFirst => SlashOrder::MonthFirst,
        }
    }
}

/// What the user chose in the wizard for a file. Every part may be left out: the import
/// then finds the header row, recognises the kind and maps the columns itself.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default)]
#[ts(export)]
pub struct ImportOptions {
    /// Only this sheet of a workbook (a hidden one too); else every visible sheet.
    #[ts(optional = nullable)]
    pub sheet: Option<String>,
    /// For every table (unless it has an entry in `tables`): the kind of data.
    #[ts(optional = nullable)]
    pub kind: Option<Kind>,
    /// For every table: the header's row number as the user sees it (1-based).
    #[ts(optional = nullable)]
    pub header_row: Option<u32>,
    /// For every table: field id → column name (as in `TablePreview.columns`); an empty
    /// column name leaves the field unmapped.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[ts(type = "Record<string, string>")]
    pub map: BTreeMap<String, String>,
    /// For every table: the answer to the date-order question.
    #[ts(optional = nullable)]
    pub date_order: Option<DateOrder>,
    /// Choices for single tables; an entry replaces `kind`, `header_row`, `map` and
    /// `date_order` for its table.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tables: Vec<TableChoice>,
    /// Where the file overlaps earlier imports of its kind: its rows replace theirs
    /// (`supersede`, the default) or are added to them (`add`); stored with the batch.
    #[ts(optional = nullable)]
    pub overlap: Option<Overlap>,
    /// The import replaces the sample company (its batches undone in the import's commit;
    /// the wizard asks once, at the first own import).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub replace_sample: bool,
    /// The import profile these choices were taken from, unchanged (its use is recorded);
    /// `null`: the user's own choices, saved as the profile of the file's shape.
    #[ts(optional = nullable)]
    pub profile: Option<String>,
}

/// What the user chose for one table.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default)]
#[ts(export)]
pub struct TableChoice {
    /// The sheet's name; `null` for the one table of a CSV/text file.
    #[ts(optional = nullable)]
    pub sheet: Option<String>,
    #[ts(optional = nullable)]
    pub kind: Option<Kind>,
    #[ts(optional = nullable)]
    pub header_row: Option<u32>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[ts(type = "Record<string, string>")]
    pub map: BTreeMap<String, String>,
    #[ts(optional = nullable)]
    pub date_order: Option<DateOrder>,
    /// Do not import this table (listed as skipped, reason `not_chosen`). A hidden sheet
    /// with an entry that does not skip it is imported.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub skip: bool,
    /// The user's words for a coded field or a score of this table: field id → (the file's
    /// word → what it means), e.g. `outcome` → `Verlängert` → `renewed`
    /// (`TablePreview.unknown_words` asks).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[ts(type = "Record<string, Record<string, string>>")]
    pub values: BTreeMap<String, BTreeMap<String, String>>,
}

fn pairs(map: &BTreeMap<String, String>) -> Vec<String> {
    map.iter().map(|(f, c)| format!("{f}={c}")).collect()
}

impl ImportOptions {
    /// The import's options (default budgets).
    pub fn to_options(&self) -> Options {
        Options {
            kind: self.kind,
            sheet: self.sheet.clone(),
            header_row: self.header_row,
            map: pairs(&self.map),
            date_order: self.date_order.map(Into::into),
            tables: self
                .tables
                .iter()
                .map(|t| TableOptions {
                    sheet: t.sheet.clone(),
                    kind: t.kind,
                    header_row: t.header_row,
                    map: pairs(&t.map),
                    date_order: t.date_order.map(Into::into),
                    skip: t.skip,
                })
                .collect(),
            // file-wide in the import's options (each names its field)
            values: self
                .tables
                .iter()
                .flat_map(|t| t.values.iter())
                .flat_map(|(f, words)| words.iter().map(move |(w, v)| format!("{f}:{w}={v}")))
                .collect(),
            overlap: self.overlap.unwrap_or_default(),
            replace_sample: self.replace_sample,
            ..Options::default()
        }
    }
}

/// One stored issue with its reason in the user's language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct IssueLine {
    pub sheet: Option<String>,
    /// The row number as the user sees it in Excel (or the text file's line).
    pub row: u32,
    pub column: String,
    pub value: String,
    pub reason: String,
}

/// A batch with the issues stored with it.
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct BatchIssues {
    pub batch: Batch,
    /// The first 10,000 of the batch's table (`batch.rows_skipped` counts every skipped row).
    pub issues: Vec<IssueLine>,
}

/// The issues of `batch_id` with reasons in `lang`.
pub fn batch_issues(store: &Store, batch_id: i64, lang: Lang) -> Result<BatchIssues> {
    let batch = store.batch(batch_id)?;
    let issues = store
        .batch_issues(batch_id)?
        .into_iter()
        .map(|i| IssueLine {
            sheet: i.sheet,
            row: i.row,
            column: i.column,
            value: i.value,
            reason: lang.pick(i.reason, i.reason_de),
        })
        .collect();
    Ok(BatchIssues { batch, issues })
}

/// What [`save_issues`] wrote.
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct SavedIssues {
    pub file: String,
    /// Issue rows written (below the header row).
    pub issues: u32,
}

/// Writes the issues of `batch_id` as a workbook to `out` (a path the user chose): columns
/// sheet, row, column, value, reason with headers in `lang`, bold, frozen and filterable.
/// Imported text is written as text (quote-prefixed when it starts like a formula, cut at
/// Excel's cell limit). Written to a temporary file next to `out` and renamed, so a failure
/// leaves nothing behind.
pub fn save_issues(store: &Store, batch_id: i64, lang: Lang, out: &Path) -> Result<SavedIssues> {
    let found = batch_issues(store, batch_id, lang)?;
    let bytes = issues_workbook(&found.issues, lang)?;
    crate::report::save(out, &bytes)?;
    Ok(SavedIssues {
        file: out.display().to_string(),
        issues: found.issues.len() as u32,
    })
}

/// The issues workbook as bytes.
pub fn issues_workbook(issues: &[IssueLine], lang: Lang) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, FormatAlign, Workbook};
    let xlsx = |e: rust_xlsxwriter::XlsxError| Error::Report(e.to_string());
    let de = lang == Lang::De;
    let titles: [&str; 5] = if de {
        ["Blatt", "Zeile", "Spalte", "Wert", "Grund"]
    } else {
        ["Sheet", "Row", "Column", "Value", "Reason"]
    };
    let cut = crate::report::text::texts(lang).cut;
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let quoted = Format::new().set_num_format("@").set_quote_prefix();
    let number = Format::new().set_align(FormatAlign::Right);
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(if de { "Probleme" } else { "Issues" })
        .map_err(xlsx)?;
    for (c, t) in titles.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *t, &bold)
            .map_err(xlsx)?;
    }
    for (c, w) in [18.0, 8.0, 24.0, 32.0, 60.0].into_iter().enumerate() {
        ws.set_column_width(c as u16, w).map_err(xlsx)?;
    }
    for (i, issue) in issues.iter().enumerate() {
        let r = i as u32 + 1;
        let mut put = |c: u16, s: &str| {
            let long = cut_to_cell(s, cut);
            let s = long.as_deref().unwrap_or(s);
            let f = if looks_like_formula(s) {
                &quoted
            } else {
                &text
            };
            ws.write_string_with_format(r, c, s, f).map(|_| ())
        };
        put(0, issue.sheet.as_deref().unwrap_or("")).map_err(xlsx)?;
        put(2, &issue.column).map_err(xlsx)?;
        put(3, &issue.value).map_err(xlsx)?;
        put(4, &issue.reason).map_err(xlsx)?;
        ws.write_number_with_format(r, 1, f64::from(issue.row), &number)
            .map_err(xlsx)?;
    }
    ws.set_freeze_panes(1, 0).map_err(xlsx)?;
    ws.autofilter(0, 0, issues.len() as u32, 4).map_err(xlsx)?;
    wb.save_to_buffer().map_err(xlsx)
}
