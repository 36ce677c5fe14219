//! The import's options as the desktop app sends them ([`ImportOptions`]: the user's choices
//! per file and per table, JSON with ts-rs types), turned into the import's [`Options`] in
//! one place ([`ImportOptions::to_options`]); the CLI builds the same [`Options`] from its
//! flags.

use super::convert::SlashOrder;
use super::{Options, TableOptions};
use crate::model::{Kind, Overlap};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
