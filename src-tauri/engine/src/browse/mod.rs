//! The offline data browser: every imported dataset as a table, searched, filtered and
//! sorted, paged from SQLite.
//!
//! Opening a [`Query`] on a dataset materialises the matching rowids in display order (a
//! [`View`]: 8 bytes per row); a [`page`] reads its rows by rowid, ~1 ms for 100 rows
//! whatever the table's size. The UI scrolls by asking for the pages it shows.
//!
//! - **No user text in SQL.** Column names come from the static field lists
//!   (`import::fields`, the schema's column names) after an exact match; values are bound
//!   parameters or compared in Rust.
//! - **Text matching in Rust** (search, `contains`, `equals` on text columns):
//!   case-insensitive for every script (`Ä` = `ä`, `ẞ`/`ß` = `ss`), and `%`, `_`, `\` or
//!   quotes are plain characters (no `LIKE`, whose case folding is ASCII-only).
//! - **Sorting in Rust.** The `usage` table has no index (migration 0002 says why), and for
//!   a million rows SQLite's `ORDER BY` sorter took ~0.9 s where reading the keys and
//!   sorting them here takes a fraction of it. Numbers sort numerically, text
//!   case-insensitively with umlauts next to their base letter (`Äpfel` by `Apfel`), dates
//!   (ISO text) chronologically; empty cells come last in either direction; ties keep the
//!   import order (rowid).
//! - **Superseded rows** (a later import's rows replace them: `store::supersede`) are left
//!   out, as every other reader leaves them out, unless the query asks for them
//!   ([`Query::superseded`]); then each row says whether it is ([`Row::superseded`]).
//! - **Staleness.** A view remembers the version of its dataset (a digest of the kind's
//!   import batches: id, SHA-256, time, rows); an import, undo, replace or restore changes
//!   it, and [`page`] then answers [`Error::ViewStale`] so the UI reopens the view. The
//!   version and the rows are read in one transaction (one snapshot, also while a `cspulse`
//!   job writes).

use crate::error::{Error, FilterProblem, Result};
use crate::import::convert::{self, SlashOrder};
use crate::import::fields::{fields, FieldType};
use crate::model::Kind;
use crate::month::Month;
use crate::store::Store;
use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::OptionalExtension as _;
use serde::{Deserialize, Serialize};
use std::hash::{Hash, Hasher};

mod plan;
mod sort;

use plan::Plan;

/// The most rows one page returns (a larger `limit` is clamped to it).
pub const MAX_PAGE: u32 = 500;

/// How the UI shows and filters a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ColumnType {
    /// Free text and coded values (channel, outcome, type).
    Text,
    /// Whole and decimal numbers (and the lineage columns).
    Number,
    /// Dates, date-times and months, as ISO text (`2026-10-31`, `2026-10-31 14:05:00`,
    /// `2026-10`).
    Date,
    /// Yes/no.
    Bool,
}

/// One column of a dataset's table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Column {
    /// The field id (`account_id`), or `batch_id` / `src_row` for the lineage columns.
    pub id: String,
    #[serde(rename = "type")]
    pub ty: ColumnType,
    /// `batch_id` (which import) and `src_row` (which row of its file, as the user sees it).
    pub lineage: bool,
}

/// One import batch of a dataset, to filter the table by.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct BatchInfo {
    #[ts(type = "number")]
    pub id: i64,
    pub file: String,
    pub sheet: Option<String>,
    /// Rows it imported.
    #[ts(type = "number")]
    pub rows: i64,
    /// Of those, rows that later imports supersede (not read by the KPIs).
    #[ts(type = "number")]
    pub superseded: i64,
    /// How it meets earlier imports of the kind.
    pub overlap: crate::store::Overlap,
    /// UTC, ISO 8601.
    pub imported_at: String,
    /// A billing export: the lines its revenue rows were derived from
    /// ([`Store::billing_lines`]); 0 for any other batch.
    #[ts(type = "number")]
    pub billing_lines: i64,
}

/// A dataset that has rows: what the browser lists.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct DatasetInfo {
    pub kind: Kind,
    /// Rows in the table now that are read (superseded rows not counted).
    #[ts(type = "number")]
    pub rows: i64,
    /// Rows superseded by later imports (kept, shown on request: [`Query::superseded`]).
    #[ts(type = "number")]
    pub superseded_rows: i64,
    /// The kind's fields in their order, then `batch_id` and `src_row`.
    pub columns: Vec<Column>,
    /// Its import batches, oldest first.
    pub batches: Vec<BatchInfo>,
}

/// What a view shows: rows matching the search, every filter and the batch, in sort order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Query {
    /// Case-insensitive substring of any text column; blank = no search.
    #[serde(default)]
    #[ts(optional)]
    pub search: Option<String>,
    /// Import order when absent.
    #[serde(default)]
    #[ts(optional)]
    pub sort: Option<SortBy>,
    /// All must hold.
    #[serde(default)]
    pub filters: Vec<Filter>,
    /// Only the rows of this import batch.
    #[serde(default)]
    #[ts(optional, as = "Option<f64>")]
    pub batch: Option<i64>,
    /// Also the rows that later imports supersede (marked [`Row::superseded`]); by default
    /// only the rows the KPIs read.
    #[serde(default)]
    #[ts(optional, as = "Option<bool>")]
    pub superseded: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct SortBy {
    pub column: String,
    #[serde(default)]
    pub descending: bool,
}

/// A condition on one column.
///
/// - `equals`: text case-insensitively; numbers numerically; dates by the value's
///   precision (`2026-10` matches every day of October, `2026-10-31` every time of that
///   day); yes/no (`yes`/`no`, `ja`/`nein`, `true`/`false`, `1`/`0`).
/// - `contains`: a case-insensitive substring of a text or date column.
/// - `at_least` / `at_most`: numbers and dates, inclusive (`at_most 2026-10` includes
///   October 31st).
/// - `is_empty` / `not_empty`: any column, no value.
///
/// Numbers may be written as `1234.5`, `1.234,5` or `12,5 %`; dates as `2026-10-31`,
/// `31.10.2026`, a month `2026-10` or a year `2026`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Filter {
    pub column: String,
    pub op: FilterOp,
    #[serde(default)]
    #[ts(optional)]
    pub value: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum FilterOp {
    Equals,
    Contains,
    AtLeast,
    AtMost,
    IsEmpty,
    NotEmpty,
}

impl FilterOp {
    pub fn id(self) -> &'static str {
        match self {
            FilterOp::Equals => "equals",
            FilterOp::Contains => "contains",
            FilterOp::AtLeast => "at_least",
            FilterOp::AtMost => "at_most",
            FilterOp::IsEmpty => "is_empty",
            FilterOp::NotEmpty => "not_empty",
        }
    }
}

/// One cell as the UI gets it: `null`, a number, text (dates as ISO text) or a boolean.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(untagged)]
#[ts(export)]
pub enum Cell {
    Null,
    Bool(bool),
    Number(f64),
    Text(String),
}

/// One row of a page: its cells in the order of the dataset's columns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Row {
    /// The row's SQLite rowid: stable while the view is.
    #[ts(type = "number")]
    pub row_id: i64,
    pub cells: Vec<Cell>,
    /// A later import supersedes this row: it is kept, but not read by the KPIs (shown only
    /// when the query asks for superseded rows).
    pub superseded: bool,
}

/// Rows `offset..offset + limit` of a view.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Page {
    pub rows: Vec<Row>,
    /// Rows in the whole view.
    #[ts(type = "number")]
    pub total: u64,
}

/// An opened query: the matching rowids in display order and the data version they belong
/// to. Held by the front end between pages (the desktop app keeps a few per window).
#[derive(Clone, Debug)]
pub struct View {
    kind: Kind,
    version: u64,
    rows: Vec<i64>,
    /// The superseded rows among `rows`, by rowid (sorted).
    superseded: Vec<i64>,
    page_sql: String,
}

impl View {
    pub fn kind(&self) -> Kind {
        self.kind
    }
    /// Rows in the view.
    pub fn total(&self) -> u64 {
        self.rows.len() as u64
    }
    /// The columns every row's cells follow.
    pub fn columns(&self) -> Vec<Column> {
        columns(self.kind)
    }
}

/// A column of the schema: its name is one of the static field ids.
#[derive(Clone, Copy, Debug)]
struct Col {
    id: &'static str,
    ty: ColumnType,
    lineage: bool,
}

fn column_type(ty: FieldType) -> ColumnType {
    match ty {
        FieldType::Text | FieldType::Coded(_) => ColumnType::Text,
        FieldType::Int { .. } | FieldType::Number => ColumnType::Number,
        FieldType::Date | FieldType::DateTime | FieldType::Month => ColumnType::Date,
        FieldType::Bool => ColumnType::Bool,
    }
}

fn cols(kind: Kind) -> Vec<Col> {
    fields(kind)
        .iter()
        .map(|f| Col {
            id: f.id,
            ty: column_type(f.ty),
            lineage: false,
        })
        .chain(["batch_id", "src_row"].map(|id| Col {
            id,
            ty: ColumnType::Number,
            lineage: true,
        }))
        .collect()
}

/// The columns of `kind`'s table: its fields in order, then `batch_id` and `src_row`.
pub fn columns(kind: Kind) -> Vec<Column> {
    cols(kind)
        .into_iter()
        .map(|c| Column {
            id: c.id.to_owned(),
            ty: c.ty,
            lineage: c.lineage,
        })
        .collect()
}

fn find_col(kind: Kind, name: &str) -> Result<Col> {
    cols(kind)
        .into_iter()
        .find(|c| c.id == name)
        .ok_or_else(|| Error::UnknownColumn {
            kind,
            column: name.to_owned(),
        })
}

/// Every dataset that has rows, in the order of the kinds, with its columns and batches.
pub fn datasets(store: &Store) -> Result<Vec<DatasetInfo>> {
    let tx = store.conn().unchecked_transaction()?;
    let mut batches: Vec<(String, BatchInfo)> = Vec::new();
    {
        let mut stmt = tx.prepare(
            "SELECT kind, id, file_name, sheet, rows_imported, imported_at, overlap FROM batches
             WHERE state = 'live' ORDER BY id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            batches.push((
                r.get(0)?,
                BatchInfo {
                    id: r.get(1)?,
                    file: r.get(2)?,
                    sheet: r.get(3)?,
                    rows: r.get(4)?,
                    superseded: 0,
                    overlap: crate::store::Overlap::parse(r.get::<_, String>(6)?.as_str())
                        .unwrap_or_default(),
                    imported_at: r.get(5)?,
                    billing_lines: 0,
                },
            ));
        }
    }
    let hidden = crate::store::Hidden::of(&tx)?;
    let prec = crate::store::supersede::Precedence::of(&tx)?;
    let superseded = crate::store::supersede::superseded_counts(&tx, &hidden, &prec)?;
    let mut lines = std::collections::HashMap::new();
    {
        let mut stmt =
            tx.prepare("SELECT batch_id, count(*) FROM billing_lines GROUP BY batch_id")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            lines.insert(r.get::<_, i64>(0)?, r.get::<_, i64>(1)?);
        }
    }
    for (_, b) in batches.iter_mut() {
        b.superseded = superseded.get(&b.id).copied().unwrap_or(0);
        b.billing_lines = lines.get(&b.id).copied().unwrap_or(0);
    }
    let mut out = Vec::new();
    for kind in Kind::ALL {
        let all: i64 = tx.query_row(
            &format!("SELECT count(*) FROM {}{}", kind.id(), hidden.where_()),
            [],
            |r| r.get(0),
        )?;
        if all == 0 {
            continue;
        }
        let superseded_rows: i64 = batches
            .iter()
            .filter(|(k, _)| k == kind.id())
            .map(|(_, b)| b.superseded)
            .sum();
        out.push(DatasetInfo {
            kind,
            rows: all - superseded_rows,
            superseded_rows,
            columns: columns(kind),
            batches: batches
                .iter()
                .filter(|(k, _)| k == kind.id())
                .map(|(_, b)| b.clone())
                .collect(),
        });
    }
    Ok(out)
}

/// Runs `query` on `kind`'s table: checks its columns and values, then collects the
/// matching rowids in order. Nothing is kept open; the view is plain data.
pub fn open(store: &Store, kind: Kind, query: &Query) -> Result<View> {
    let mut plan = Plan::new(kind, query)?;
    let tx = store.conn().unchecked_transaction()?;
    let version = data_version(&tx, kind)?;
    let hidden = crate::store::Hidden::of(&tx)?;
    let prec = crate::store::supersede::Precedence::of(&tx)?;
    let (rows, superseded) = plan.run(&tx, &hidden, &prec, query.superseded)?;
    let all: Vec<String> = cols(kind).iter().map(|c| format!("\"{}\"", c.id)).collect();
    Ok(View {
        kind,
        version,
        rows,
        superseded,
        page_sql: format!(
            "SELECT {} FROM {} WHERE rowid = ?1",
            all.join(", "),
            kind.id()
        ),
    })
}

/// Rows `offset..offset + limit` of `view` (`limit` at most [`MAX_PAGE`]; an offset past
/// the end gives an empty page). [`Error::ViewStale`] when the dataset changed since the
/// view was opened.
pub fn page(store: &Store, view: &View, offset: u64, limit: u32) -> Result<Page> {
    let tx = store.conn().unchecked_transaction()?;
    if data_version(&tx, view.kind)? != view.version {
        return Err(Error::ViewStale);
    }
    let total = view.rows.len();
    let start = usize::try_from(offset).unwrap_or(usize::MAX).min(total);
    let end = start
        .saturating_add(limit.min(MAX_PAGE) as usize)
        .min(total);
    let types: Vec<ColumnType> = cols(view.kind).iter().map(|c| c.ty).collect();
    let mut stmt = tx.prepare_cached(&view.page_sql)?;
    let mut rows = Vec::with_capacity(end - start);
    for &row_id in &view.rows[start..end] {
        let cells = stmt
            .query_row([row_id], |r| {
                types
                    .iter()
                    .enumerate()
                    .map(|(i, ty)| r.get_ref(i).map(|v| cell(v, *ty)))
                    .collect::<rusqlite::Result<Vec<Cell>>>()
            })
            .optional()?;
        // a row of the view that is gone means the data changed under the same version
        let cells = cells.ok_or(Error::ViewStale)?;
        let superseded = view.superseded.binary_search(&row_id).is_ok();
        rows.push(Row {
            row_id,
            cells,
            superseded,
        });
    }
    Ok(Page {
        rows,
        total: total as u64,
    })
}

fn cell(v: ValueRef<'_>, ty: ColumnType) -> Cell {
    match v {
        ValueRef::Null | ValueRef::Blob(_) => Cell::Null,
        ValueRef::Integer(i) if ty == ColumnType::Bool => Cell::Bool(i != 0),
        ValueRef::Integer(i) => Cell::Number(i as f64),
        ValueRef::Real(r) => Cell::Number(r),
        ValueRef::Text(t) => Cell::Text(String::from_utf8_lossy(t).into_owned()),
    }
}

/// The version of `kind`'s data: a digest of its import batches. Every change of a
/// dataset's rows is an import, a replace, an undo or a restore, and each changes this list:
/// ids are never handed out twice in one database, and a restored older database that
/// reuses an id has another file (SHA-256) or import time under it.
fn data_version(conn: &rusqlite::Connection, kind: Kind) -> Result<u64> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, sha256, imported_at, rows_imported FROM batches
         WHERE kind = ?1 AND state = 'live' ORDER BY id",
    )?;
    let mut rows = stmt.query([kind.id()])?;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    while let Some(r) = rows.next()? {
        r.get::<_, i64>(0)?.hash(&mut h);
        r.get::<_, String>(1)?.hash(&mut h);
        r.get::<_, String>(2)?.hash(&mut h);
        r.get::<_, i64>(3)?.hash(&mut h);
    }
    Ok(h.finish())
}
