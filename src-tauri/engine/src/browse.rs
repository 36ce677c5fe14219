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
                },
            ));
        }
    }
    let hidden = crate::store::Hidden::of(&tx)?;
    let prec = crate::store::supersede::Precedence::of(&tx)?;
    let superseded = crate::store::supersede::superseded_counts(&tx, &hidden, &prec)?;
    for (_, b) in batches.iter_mut() {
        b.superseded = superseded.get(&b.id).copied().unwrap_or(0);
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

/// A condition checked in Rust on a text value (Unicode case-insensitive).
enum TextTest {
    Equals(Vec<u8>),
    Contains(Box<memchr::memmem::Finder<'static>>),
}

/// A validated query: SQL for what SQLite can decide exactly (batch, numbers, dates,
/// yes/no, empty cells), Rust for text matching and sorting.
struct Plan {
    table: &'static str,
    /// Columns the scan reads after the rowid (column 0).
    read: Vec<&'static str>,
    conditions: Vec<String>,
    params: Vec<SqlValue>,
    tests: Vec<(usize, TextTest)>,
    /// Where the search looks (read indexes) and its folded needle.
    search: Option<(Vec<usize>, memchr::memmem::Finder<'static>)>,
    /// Read index, the column's type, descending.
    sort: Option<(usize, ColumnType, bool)>,
}

impl Plan {
    fn new(kind: Kind, q: &Query) -> Result<Plan> {
        let mut plan = Plan {
            table: kind.id(),
            read: Vec::new(),
            conditions: Vec::new(),
            params: Vec::new(),
            tests: Vec::new(),
            search: None,
            sort: None,
        };
        if let Some(batch) = q.batch {
            plan.params.push(SqlValue::Integer(batch));
            plan.conditions
                .push(format!("batch_id = ?{}", plan.params.len()));
        }
        for f in &q.filters {
            plan.filter(kind, f)?;
        }
        if let Some(text) = q.search.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            let at: Vec<usize> = cols(kind)
                .iter()
                .filter(|c| c.ty == ColumnType::Text)
                .map(|c| plan.read_index(c.id))
                .collect();
            let needle = fold(text.as_bytes(), &mut Vec::new()).to_vec();
            plan.search = Some((at, memchr::memmem::Finder::new(&needle).into_owned()));
        }
        if let Some(s) = &q.sort {
            let c = find_col(kind, &s.column)?;
            plan.sort = Some((plan.read_index(c.id), c.ty, s.descending));
        }
        Ok(plan)
    }

    fn read_index(&mut self, id: &'static str) -> usize {
        let at = self.read.iter().position(|r| *r == id).unwrap_or_else(|| {
            self.read.push(id);
            self.read.len() - 1
        });
        at + 1
    }

    /// `?N` for a new bound parameter.
    fn bind(&mut self, v: SqlValue) -> String {
        self.params.push(v);
        format!("?{}", self.params.len())
    }

    fn filter(&mut self, kind: Kind, f: &Filter) -> Result<()> {
        let c = find_col(kind, &f.column)?;
        let bad = |problem| Error::BadFilter {
            column: f.column.clone(),
            problem,
        };
        let id = c.id;
        match f.op {
            FilterOp::IsEmpty => {
                self.conditions
                    .push(format!("(\"{id}\" IS NULL OR \"{id}\" = '')"));
                return Ok(());
            }
            FilterOp::NotEmpty => {
                self.conditions
                    .push(format!("(\"{id}\" IS NOT NULL AND \"{id}\" <> '')"));
                return Ok(());
            }
            _ => {}
        }
        let value = f
            .value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| bad(FilterProblem::NeedsValue))?;
        let not_for = || bad(FilterProblem::NotForColumn { op: f.op.id() });
        match (c.ty, f.op) {
            (ColumnType::Text, FilterOp::Equals | FilterOp::Contains) => {
                let folded = fold(value.as_bytes(), &mut Vec::new()).to_vec();
                let test = if f.op == FilterOp::Equals {
                    TextTest::Equals(folded)
                } else {
                    TextTest::Contains(Box::new(memchr::memmem::Finder::new(&folded).into_owned()))
                };
                let at = self.read_index(id);
                self.tests.push((at, test));
            }
            (ColumnType::Number, FilterOp::Equals | FilterOp::AtLeast | FilterOp::AtMost) => {
                let n = match convert::number(&convert::FileCell::Text(value.to_owned())) {
                    Ok(Some(n)) => n,
                    _ => return Err(bad(FilterProblem::NotANumber(value.to_owned()))),
                };
                let p = self.bind(SqlValue::Real(n));
                let cmp = match f.op {
                    FilterOp::AtLeast => ">=",
                    FilterOp::AtMost => "<=",
                    _ => "=",
                };
                self.conditions.push(format!("\"{id}\" {cmp} {p}"));
            }
            (ColumnType::Date, FilterOp::Contains) => {
                // ISO dates are digits and dashes: no case to fold, `instr` matches literally
                let p = self.bind(SqlValue::Text(value.to_owned()));
                self.conditions.push(format!("instr(\"{id}\", {p}) > 0"));
            }
            (ColumnType::Date, FilterOp::Equals | FilterOp::AtLeast | FilterOp::AtMost) => {
                let d = date_value(value)
                    .ok_or_else(|| bad(FilterProblem::NotADate(value.to_owned())))?;
                let len = d.len() as i64;
                let p = self.bind(SqlValue::Text(d));
                // compared at the value's precision: a month holds its days, a day its times
                let cond = match f.op {
                    FilterOp::AtLeast => format!("\"{id}\" >= {p}"),
                    FilterOp::AtMost => {
                        let n = self.bind(SqlValue::Integer(len));
                        format!("substr(\"{id}\", 1, {n}) <= {p}")
                    }
                    _ => {
                        let n = self.bind(SqlValue::Integer(len));
                        format!("substr(\"{id}\", 1, {n}) = {p}")
                    }
                };
                self.conditions.push(cond);
            }
            (ColumnType::Bool, FilterOp::Equals) => {
                let b = convert::boolean(&convert::FileCell::Text(value.to_owned()))
                    .ok_or_else(|| bad(FilterProblem::NotABool(value.to_owned())))?;
                let p = self.bind(SqlValue::Integer(i64::from(b)));
                self.conditions.push(format!("\"{id}\" = {p}"));
            }
            _ => return Err(not_for()),
        }
        Ok(())
    }

    /// The matching rowids in display order (the rows of live batches only), and the
    /// superseded ones among them (sorted; none unless `with_superseded`, else left out).
    fn run(
        &mut self,
        conn: &rusqlite::Connection,
        hidden: &crate::store::Hidden,
        prec: &crate::store::supersede::Precedence,
        with_superseded: bool,
    ) -> Result<(Vec<i64>, Vec<i64>)> {
        use crate::store::supersede::{self, within};
        let kind = Kind::parse(self.table).unwrap_or(Kind::Accounts);
        // superseded rows: by key (small tables) from a pass of their own, sorted by rowid;
        // by period alone (usage, touchpoints) checked per row in this scan
        let mut by_key: Vec<i64> = Vec::new();
        let mut by_period = None;
        if supersede::key_columns(kind).is_empty() {
            if let Some(rule) = prec.periods(kind) {
                let at = (self.read_index("batch_id"), self.read_index("date"));
                by_period = Some((rule, at));
            }
        } else if prec.active(kind) {
            supersede::for_each_superseded(conn, hidden, prec, kind, |id, _| by_key.push(id))?;
        }
        let mut key_at = 0;
        let mut marked = Vec::new();
        let mut sql = String::from("SELECT rowid");
        for r in &self.read {
            sql.push_str(&format!(", \"{r}\""));
        }
        sql.push_str(&format!(" FROM {}", self.table));
        let conditions: Vec<String> = self
            .conditions
            .iter()
            .cloned()
            .chain(hidden.condition())
            .collect();
        if !conditions.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&conditions.join(" AND "));
        }
        sql.push_str(" ORDER BY rowid");
        let mut stmt = conn.prepare(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(self.params.iter()))?;
        let mut buf = Vec::new();
        let mut ids = Vec::new();
        let mut keys = Keys::default();
        'rows: while let Some(r) = rows.next()? {
            for (at, test) in &self.tests {
                let Some(text) = text_of(r.get_ref(*at)?, &mut buf) else {
                    continue 'rows;
                };
                let hit = match test {
                    TextTest::Equals(want) => text == want.as_slice(),
                    TextTest::Contains(finder) => finder.find(text).is_some(),
                };
                if !hit {
                    continue 'rows;
                }
            }
            if let Some((at, finder)) = &self.search {
                let mut hit = false;
                for i in at {
                    if text_of(r.get_ref(*i)?, &mut buf).is_some_and(|t| finder.find(t).is_some()) {
                        hit = true;
                        break;
                    }
                }
                if !hit {
                    continue;
                }
            }
            let row_id: i64 = r.get(0)?;
            let superseded = match &by_period {
                Some((rule, (b, d))) => {
                    let batch: i64 = r.get(*b)?;
                    let date = r.get_ref(*d)?;
                    match date {
                        ValueRef::Text(t) => within(rule.periods(batch), t),
                        _ => false,
                    }
                }
                None => {
                    // both in rowid order
                    while by_key.get(key_at).is_some_and(|&id| id < row_id) {
                        key_at += 1;
                    }
                    by_key.get(key_at) == Some(&row_id)
                }
            };
            if superseded {
                if !with_superseded {
                    continue;
                }
                marked.push(row_id);
            }
            match self.sort {
                None => ids.push(row_id),
                Some((at, ty, _)) => keys.push(r.get_ref(at)?, row_id, ty, &mut buf),
            }
        }
        let ids = match self.sort {
            None => ids,
            Some((_, _, descending)) => keys.sorted(descending),
        };
        // collected in rowid order: sorted
        Ok((ids, marked))
    }
}

/// A value as folded text for matching (numbers as SQLite writes them); `None` when empty.
fn text_of<'b>(v: ValueRef<'_>, buf: &'b mut Vec<u8>) -> Option<&'b [u8]> {
    match v {
        ValueRef::Text(t) => Some(fold(t, buf)),
        ValueRef::Integer(i) => {
            *buf = i.to_string().into_bytes();
            Some(buf)
        }
        ValueRef::Real(r) => {
            *buf = r.to_string().into_bytes();
            Some(buf)
        }
        ValueRef::Null | ValueRef::Blob(_) => None,
    }
}

/// Lower-cases `text` for case-insensitive matching into `buf`: ASCII directly, anything
/// else per character by Unicode's rules, with `ß` and `ẞ` as `ss` and final `ς` as `σ`.
pub(crate) fn fold<'b>(text: &[u8], buf: &'b mut Vec<u8>) -> &'b [u8] {
    buf.clear();
    if text.is_ascii() {
        buf.extend(text.iter().map(u8::to_ascii_lowercase));
        return buf;
    }
    let mut utf8 = [0u8; 4];
    for c in String::from_utf8_lossy(text).chars() {
        for l in c.to_lowercase() {
            match l {
                'ß' => buf.extend_from_slice(b"ss"),
                'ς' => buf.extend_from_slice('σ'.encode_utf8(&mut utf8).as_bytes()),
                l => buf.extend_from_slice(l.encode_utf8(&mut utf8).as_bytes()),
            }
        }
    }
    buf
}

/// The sort key of text: folded, and accents dropped (`Ä` sorts with `A`, as in a German
/// phone book, DIN 5007-1).
fn text_key<'b>(text: &[u8], buf: &'b mut Vec<u8>) -> std::borrow::Cow<'b, [u8]> {
    let folded = fold(text, buf);
    if folded.is_ascii() {
        return std::borrow::Cow::Borrowed(folded);
    }
    use unicode_normalization::UnicodeNormalization as _;
    std::borrow::Cow::Owned(
        String::from_utf8_lossy(folded)
            .nfd()
            .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
            .collect::<String>()
            .into_bytes(),
    )
}

/// The sort key of an ISO date, date-time or month: its digits (`2026-10-31 14:05:00` →
/// `20261031140500`), which order the same way and fit a [`TextKey`]'s prefix.
fn date_key<'b>(text: &'b [u8], buf: &'b mut Vec<u8>) -> &'b [u8] {
    if !text
        .iter()
        .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b':' | b' ' | b'T'))
    {
        return text;
    }
    buf.clear();
    buf.extend(text.iter().filter(|b| b.is_ascii_digit()));
    buf
}

/// Bytes of a text key held in [`TextKey::prefix`].
const PREFIX: usize = 15;
const SHORT: usize = usize::MAX;

/// A text sort key: its first 15 bytes and its length (0xFF when longer) as one integer,
/// so that most comparisons are one integer comparison; a longer key's bytes are kept in
/// [`Keys::long`] for ties of the prefix.
#[derive(Clone, Copy)]
struct TextKey {
    prefix: u128,
    /// Where a longer key's bytes start in [`Keys::long`] (a u32 length, then the bytes),
    /// or [`SHORT`].
    long: usize,
    row_id: i64,
}

/// Sort keys by kind of value: numbers before text (a column holds one or the other),
/// empty cells last.
#[derive(Default)]
struct Keys {
    numbers: Vec<(f64, i64)>,
    texts: Vec<TextKey>,
    long: Vec<u8>,
    empty: Vec<i64>,
}

impl Keys {
    fn push(&mut self, v: ValueRef<'_>, row_id: i64, ty: ColumnType, buf: &mut Vec<u8>) {
        match v {
            ValueRef::Integer(i) => self.numbers.push((i as f64, row_id)),
            ValueRef::Real(r) => self.numbers.push((r, row_id)),
            ValueRef::Text([]) => self.empty.push(row_id),
            ValueRef::Text(t) => {
                let key = match ty {
                    ColumnType::Text => text_key(t, buf),
                    ColumnType::Date => std::borrow::Cow::Borrowed(date_key(t, buf)),
                    _ => std::borrow::Cow::Borrowed(t),
                };
                let mut bytes = [0u8; 16];
                let n = key.len().min(PREFIX);
                bytes[..n].copy_from_slice(&key[..n]);
                let long = if key.len() <= PREFIX {
                    bytes[PREFIX] = key.len() as u8;
                    SHORT
                } else {
                    bytes[PREFIX] = 0xFF;
                    let at = self.long.len();
                    self.long
                        .extend_from_slice(&(key.len() as u32).to_le_bytes());
                    self.long.extend_from_slice(&key);
                    at
                };
                self.texts.push(TextKey {
                    prefix: u128::from_be_bytes(bytes),
                    long,
                    row_id,
                });
            }
            ValueRef::Null | ValueRef::Blob(_) => self.empty.push(row_id),
        }
    }

    /// Rowids in order; ties (and empty cells) in rowid order.
    fn sorted(mut self, descending: bool) -> Vec<i64> {
        let long = &self.long;
        let bytes = |at: usize| {
            let mut n = [0u8; 4];
            n.copy_from_slice(&long[at..at + 4]);
            &long[at + 4..at + 4 + u32::from_le_bytes(n) as usize]
        };
        // equal prefixes of long keys (length byte 0xFF) are decided by the whole key
        let by_key = |a: &TextKey, b: &TextKey| {
            a.prefix.cmp(&b.prefix).then_with(|| {
                if a.long == SHORT || b.long == SHORT {
                    std::cmp::Ordering::Equal
                } else {
                    bytes(a.long).cmp(bytes(b.long))
                }
            })
        };
        let mut out = Vec::with_capacity(self.numbers.len() + self.texts.len() + self.empty.len());
        if descending {
            self.numbers
                .sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            self.texts
                .sort_unstable_by(|a, b| by_key(b, a).then(a.row_id.cmp(&b.row_id)));
            out.extend(self.texts.iter().map(|k| k.row_id));
            out.extend(self.numbers.iter().map(|k| k.1));
        } else {
            self.numbers
                .sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            self.texts
                .sort_unstable_by(|a, b| by_key(a, b).then(a.row_id.cmp(&b.row_id)));
            out.extend(self.numbers.iter().map(|k| k.1));
            out.extend(self.texts.iter().map(|k| k.row_id));
        }
        // collected in rowid order
        out.extend(self.empty);
        out
    }
}

/// A date filter's value as the ISO prefix to compare with: a year `2026`, a month
/// `2026-10` (also `Okt 2026`), a day `2026-10-31` (also `31.10.2026`) or a date-time.
fn date_value(value: &str) -> Option<String> {
    let v = value.trim();
    if v.len() == 4 && v.bytes().all(|b| b.is_ascii_digit()) {
        return Some(v.to_owned());
    }
    if let Some(m) = Month::parse(v) {
        return Some(m.to_string());
    }
    let cell = convert::FileCell::Text(v.to_owned());
    if let Some(d) = convert::date_time(&cell, SlashOrder::DayFirst) {
        return Some(if d.time() == chrono::NaiveTime::MIN {
            d.format("%Y-%m-%d").to_string()
        } else {
            d.format("%Y-%m-%d %H:%M:%S").to_string()
        });
    }
    convert::month(&cell, SlashOrder::DayFirst).map(|m| m.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_is_unicode_case_insensitive() {
        let f = |s: &str| String::from_utf8(fold(s.as_bytes(), &mut Vec::new()).to_vec());
        assert_eq!(f("ÄÖÜ Straße").ok().as_deref(), Some("äöü strasse"));
        assert_eq!(f("GROẞ").ok().as_deref(), Some("gross"));
        assert_eq!(f("100% _x_ \\").ok().as_deref(), Some("100% _x_ \\"));
        assert_eq!(f("ΟΔΟΣ").ok().as_deref(), Some("οδοσ"));
    }

    fn order(values: &[Option<&str>], ty: ColumnType, descending: bool) -> Vec<i64> {
        let mut keys = Keys::default();
        let mut buf = Vec::new();
        for (i, v) in values.iter().enumerate() {
            let v = v.map_or(ValueRef::Null, |t| ValueRef::Text(t.as_bytes()));
            keys.push(v, i as i64 + 1, ty, &mut buf);
        }
        keys.sorted(descending)
    }

    #[test]
    fn long_text_keys_sort_by_their_whole_text() {
        let values = [
            Some("aaaaaaaaaaaaaaa-z"),
            Some("aaaaaaaaaaaaaaa-b-long"),
            Some("aaaaaaaaaaaaaaa"),
            Some("aaaaaaaaaaaaaa"),
            Some("AAAAAAAAAAAAAAA-B-LONG"),
            Some("b"),
            None,
            Some(""),
        ];
        assert_eq!(
            order(&values, ColumnType::Text, false),
            [4, 3, 2, 5, 1, 6, 7, 8]
        );
        assert_eq!(
            order(&values, ColumnType::Text, true),
            [6, 1, 2, 5, 3, 4, 7, 8]
        );
    }

    #[test]
    fn text_keys_sort_as_their_folded_text_would() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let alphabet: Vec<char> = "aAäÄz-_ 0ßé".chars().collect();
        let values: Vec<Option<String>> = (0..3000)
            .map(|_| {
                if rng.random_range(0..20) == 0 {
                    return None;
                }
                let shared = if rng.random_bool(0.5) {
                    "prefix-shared-by-many"
                } else {
                    ""
                };
                let n = rng.random_range(0..12);
                let tail: String = (0..n)
                    .map(|_| alphabet[rng.random_range(0..alphabet.len())])
                    .collect();
                Some(format!("{shared}{tail}"))
            })
            .collect();
        let refs: Vec<Option<&str>> = values.iter().map(|v| v.as_deref()).collect();
        for descending in [false, true] {
            let mut want: Vec<(Vec<u8>, i64)> = Vec::new();
            let mut empty = Vec::new();
            for (i, v) in refs.iter().enumerate() {
                match v {
                    Some(t) if !t.is_empty() => want.push((
                        text_key(t.as_bytes(), &mut Vec::new()).to_vec(),
                        i as i64 + 1,
                    )),
                    _ => empty.push(i as i64 + 1),
                }
            }
            want.sort_by(|a, b| {
                let by = if descending {
                    b.0.cmp(&a.0)
                } else {
                    a.0.cmp(&b.0)
                };
                by.then(a.1.cmp(&b.1))
            });
            let mut want: Vec<i64> = want.into_iter().map(|k| k.1).collect();
            want.extend(empty);
            assert_eq!(order(&refs, ColumnType::Text, descending), want);
        }
    }

    #[test]
    fn date_keys_keep_the_order_of_iso_text() {
        let values = [
            Some("2026-10-02"),
            Some("2026-10-01 08:00:00"),
            Some("2026-10"),
            Some("2026-10-01"),
            Some("2026-10-01 00:00:00"),
            Some("2025-12-31 23:59:59"),
        ];
        assert_eq!(order(&values, ColumnType::Date, false), [6, 3, 4, 5, 2, 1]);
        assert_eq!(
            date_key(b"2026-10-31 14:05:00", &mut Vec::new()),
            b"20261031140500"
        );
    }

    #[test]
    fn date_values_are_iso_prefixes() {
        assert_eq!(date_value("2026").as_deref(), Some("2026"));
        assert_eq!(date_value("2026-1").as_deref(), Some("2026-01"));
        assert_eq!(date_value("31.10.2026").as_deref(), Some("2026-10-31"));
        assert_eq!(date_value("2026-10-31").as_deref(), Some("2026-10-31"));
        assert_eq!(
            date_value("2026-10-31 14:05:00").as_deref(),
            Some("2026-10-31 14:05:00")
        );
        assert_eq!(date_value("Okt 2026").as_deref(), Some("2026-10"));
        assert_eq!(date_value("soon"), None);
    }
}
