//! The overlap of a file with earlier imports, before anything is written and in the
//! import's result (`datasets.md`, "Re-imports"): per earlier live batch of the same kind,
//! how many of its (effective) records the file would supersede, and how many of those
//! have other values.
//!
//! A table's [`Footprint`] is collected from its validated rows as they stream past (keys
//! with a digest of their values; for the period rule the first and last day and a digest
//! per row), then compared with the stored rows in one scan of the kind's table.
//!
//! - Keyed kinds: a record is an earlier batch's rows with a key the file also has; it is
//!   *changed* when the file's rows of that key differ (revenue and costs: their amounts
//!   summed, since rows of one key add up within a batch; the other kinds: every value).
//! - Period rule: the earlier rows dated within the file's first..last day; a row is
//!   *changed* when the file has no row with the same values (each row of the file stands
//!   for one earlier row).

use super::supersede::{day_of, key_columns, period_column, push_key, Day, Filter, Precedence};
use super::Hidden;
use crate::error::Result;
use crate::import::convert::Value;
use crate::import::fields::fields;
use crate::model::Kind;
use rusqlite::types::ValueRef;
use rusqlite::Connection;
use rustc_hash::{FxHashMap, FxHasher};
use serde::{Deserialize, Serialize};
use std::hash::Hasher;

pub use super::supersede::Overlap;

/// An earlier import that a file overlaps (`import --json` → `overlaps`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct BatchOverlap {
    #[ts(type = "number")]
    pub batch_id: i64,
    /// The earlier import's file name and sheet.
    pub file: String,
    pub sheet: Option<String>,
    /// When it was imported (UTC, `YYYY-MM-DDTHH:MM:SSZ`).
    pub imported_at: String,
    /// Its records that the file would supersede (keys, or rows within the file's period).
    #[ts(type = "number")]
    pub rows: u64,
    /// Of those, the ones whose values the file changes.
    #[ts(type = "number")]
    pub changed: u64,
}

/// What one table of a file would do to the earlier imports of its kind.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct TableOverlap {
    pub sheet: Option<String>,
    pub kind: Kind,
    /// Rows the table would import.
    #[ts(type = "number")]
    pub rows: u64,
    /// What will happen where it overlaps: its rows are used instead of the earlier ones
    /// (`supersede`), or added to them (`add`).
    pub overlap: Overlap,
    /// The earlier live imports it overlaps, oldest first (empty: nothing in common).
    pub overlaps: Vec<BatchOverlap>,
    /// For the period rule (usage, touchpoints, surveys without response id): the first
    /// and last day among its rows (`YYYY-MM-DD`), within which earlier rows are replaced.
    pub period: Option<(String, String)>,
    /// The first and last month (`YYYY-MM`) among its rows' dates (the date the KPIs read
    /// the row by: a ticket's creation, a revenue row's month, …); `None` for accounts and
    /// when no row has one. What the review of many files shows as the file's months.
    pub months: Option<(String, String)>,
}

/// What a table's rows are, as far as the overlap with earlier imports goes.
#[derive(Clone, Debug)]
pub struct Footprint {
    pub sheet: Option<String>,
    pub kind: Kind,
    pub rows: u64,
    /// Keyed rows: key → their facts (summed over the rows of the key).
    keys: FxHashMap<Vec<u8>, Facts>,
    /// Rows of the period rule: their first and last day, and one digest per row (sorted
    /// once finished).
    period: Option<(Day, Day)>,
    /// The first and last month among the rows' dates (see [`month_field`]).
    months: Option<(Month, Month)>,
    digests: Vec<u64>,
    /// Keys and digests were collected (else only the rows and the period).
    pub(crate) full: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Facts {
    /// Order-independent digest of the rows' values (keys left out).
    digest: u64,
    /// Revenue and costs: the amounts summed.
    amount: f64,
}

/// A month as `YYYY-MM` bytes.
type Month = [u8; 7];

/// The field a row of the kind is dated by (the one its month is read from), if any.
fn month_field(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Accounts => None,
        Kind::Revenue | Kind::Costs => Some("month"),
        Kind::Renewals => Some("due_date"),
        Kind::Tickets => Some("created_at"),
        Kind::Leads => Some("created_date"),
        Kind::Surveys | Kind::Usage | Kind::Touchpoints | Kind::Campaigns | Kind::Orders => {
            Some("date")
        }
    }
}

impl Footprint {
    /// The first and last month among the rows' dates, as `YYYY-MM`.
    pub fn months(&self) -> Option<(String, String)> {
        self.months.map(|(a, z)| {
            (
                String::from_utf8_lossy(&a).into_owned(),
                String::from_utf8_lossy(&z).into_owned(),
            )
        })
    }

    /// The first and last day of the period rule's rows, as `YYYY-MM-DD`.
    pub fn period(&self) -> Option<(String, String)> {
        self.period.map(|(a, z)| {
            (
                String::from_utf8_lossy(&a).into_owned(),
                String::from_utf8_lossy(&z).into_owned(),
            )
        })
    }
}

/// The field that rows of one key add up in (revenue, costs).
fn amount_field(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Revenue => Some("mrr"),
        Kind::Costs => Some("amount"),
        _ => None,
    }
}

/// Where the columns the rule needs sit among the kind's fields.
#[derive(Clone, Debug)]
struct Layout {
    kind: Kind,
    keys: Vec<usize>,
    date: Option<usize>,
    /// The field the row's month is read from ([`month_field`]).
    month: Option<usize>,
    amount: Option<usize>,
    n: usize,
}

impl Layout {
    fn of(kind: Kind) -> Layout {
        let fs = fields(kind);
        let at = |id: &str| fs.iter().position(|f| f.id == id);
        Layout {
            kind,
            keys: key_columns(kind).iter().filter_map(|c| at(c)).collect(),
            date: period_column(kind).and_then(at),
            month: month_field(kind).and_then(at),
            amount: amount_field(kind).and_then(at),
            n: fs.len(),
        }
    }

    /// Does the row have a key (else it follows the period rule: usage, touchpoints, a
    /// survey without a response id)?
    fn keyed<'v>(&self, value: impl Fn(usize) -> ValueRef<'v>) -> bool {
        !self.keys.is_empty()
            && (self.kind != Kind::Surveys || value(self.keys[0]) != ValueRef::Null)
    }

    /// The row's key, or `None` when it follows the period rule.
    fn key<'v>(&self, value: impl Fn(usize) -> ValueRef<'v>) -> Option<Vec<u8>> {
        if !self.keyed(&value) {
            return None;
        }
        let mut k = Vec::new();
        for &i in &self.keys {
            push_key(&mut k, value(i));
        }
        Some(k)
    }

    /// A digest of the row's values (`keyed`: its key columns left out).
    fn digest<'v>(&self, keyed: bool, value: impl Fn(usize) -> ValueRef<'v>) -> u64 {
        let mut h = FxHasher::default();
        let mut buf = Vec::new();
        for i in 0..self.n {
            if keyed && self.keys.contains(&i) {
                continue;
            }
            buf.clear();
            push_key(&mut buf, value(i));
            h.write(&buf);
        }
        h.finish()
    }

    fn amount<'v>(&self, value: impl Fn(usize) -> ValueRef<'v>) -> f64 {
        match self.amount.map(value) {
            Some(ValueRef::Real(x)) => x,
            Some(ValueRef::Integer(i)) => i as f64,
            _ => 0.0,
        }
    }

    /// The row's month (`YYYY-MM`, the first 7 bytes of its stored date or month).
    fn month<'v>(&self, value: impl Fn(usize) -> ValueRef<'v>) -> Option<Month> {
        match self.month.map(value) {
            Some(ValueRef::Text(t)) => t.get(..7)?.try_into().ok(),
            _ => None,
        }
    }

    fn day<'v>(&self, value: impl Fn(usize) -> ValueRef<'v>) -> Option<Day> {
        match self.date.map(value) {
            Some(ValueRef::Text(t)) => day_of(t),
            _ => None,
        }
    }
}

fn value_ref(v: &Value) -> ValueRef<'_> {
    match v {
        Value::Null => ValueRef::Null,
        Value::Text(t) => ValueRef::Text(t.as_bytes()),
        Value::Int(i) => ValueRef::Integer(*i),
        Value::Real(r) => ValueRef::Real(*r),
    }
}

/// Collects a table's [`Footprint`] from its rows (values in `fields(kind)` order).
#[derive(Clone, Debug)]
pub struct Collector {
    layout: Layout,
    /// Keys and digests too (else only the rows and the period: what every import stores
    /// with its batch, at no cost worth measuring).
    full: bool,
    fp: Footprint,
}

impl Collector {
    pub fn new(kind: Kind, sheet: Option<String>) -> Collector {
        Collector::with(kind, sheet, true)
    }

    /// The rows and the period only: for a kind with no earlier import to overlap.
    pub fn period_only(kind: Kind, sheet: Option<String>) -> Collector {
        Collector::with(kind, sheet, false)
    }

    fn with(kind: Kind, sheet: Option<String>, full: bool) -> Collector {
        Collector {
            full,
            layout: Layout::of(kind),
            fp: Footprint {
                sheet,
                kind,
                rows: 0,
                keys: FxHashMap::default(),
                period: None,
                months: None,
                digests: Vec::new(),
                full,
            },
        }
    }

    pub fn row(&mut self, values: &[Value]) {
        self.row_with(values, None);
    }

    /// As [`Collector::row`], with `over`'s (field, text) in place of that field's value.
    pub fn row_with(&mut self, values: &[Value], over: Option<(usize, &str)>) {
        let value = |i: usize| match over {
            Some((f, t)) if f == i => ValueRef::Text(t.as_bytes()),
            _ => values.get(i).map_or(ValueRef::Null, value_ref),
        };
        self.fp.rows += 1;
        if let Some(m) = self.layout.month(value) {
            self.fp.months = Some(match self.fp.months {
                None => (m, m),
                Some((a, z)) => (a.min(m), z.max(m)),
            });
        }
        if !self.full {
            if !self.layout.keyed(value) {
                if let Some(day) = self.layout.day(value) {
                    self.fp.period = Some(match self.fp.period {
                        None => (day, day),
                        Some((a, z)) => (a.min(day), z.max(day)),
                    });
                }
            }
            return;
        }
        match self.layout.key(value) {
            Some(key) => {
                let d = self.layout.digest(true, value);
                let amount = self.layout.amount(value);
                let facts = self.fp.keys.entry(key).or_default();
                facts.digest = facts.digest.wrapping_add(d);
                facts.amount += amount;
            }
            None => {
                if let Some(day) = self.layout.day(value) {
                    self.fp.period = Some(match self.fp.period {
                        None => (day, day),
                        Some((a, z)) => (a.min(day), z.max(day)),
                    });
                }
                self.fp.digests.push(self.layout.digest(false, value));
            }
        }
    }

    /// Starts the table again (the import read it again with other decisions).
    pub fn restart(&mut self) {
        let (kind, sheet) = (self.fp.kind, self.fp.sheet.take());
        *self = Collector::with(kind, sheet, self.full);
    }

    pub fn finish(mut self) -> Footprint {
        self.fp.digests.sort_unstable();
        self.fp
    }
}

/// Two sums of amounts are the same when they differ by rounding only.
fn same_amount(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0)
}

/// The overlap of `fp` with the live batches (of the user's files) of its kind, read in
/// one scan of the kind's table. Rows already superseded by another import do not count.
pub(crate) fn compare(conn: &Connection, fp: &Footprint, overlap: Overlap) -> Result<TableOverlap> {
    let kind = fp.kind;
    let hidden = Hidden::of(conn)?;
    let prec = Precedence::of(conn)?;
    let layout = Layout::of(kind);
    let mut per_batch: FxHashMap<i64, (u64, u64)> = FxHashMap::default();
    let earlier: Vec<i64> = prec
        .batches_of(kind)
        .into_iter()
        .filter(|&(b, _)| !prec.sample(b))
        .map(|(b, _)| b)
        .collect();
    if !earlier.is_empty() && fp.rows > 0 {
        let filter = Filter::of(&prec, kind);
        let cols: Vec<String> = fields(kind)
            .iter()
            .map(|f| format!("\"{}\"", f.id))
            .collect();
        let extra = filter
            .as_ref()
            .map(|f| format!(", {}", f.extra_columns()))
            .unwrap_or_default();
        let mut stmt = conn.prepare(&format!(
            "SELECT batch_id, {}{extra} FROM {}{}",
            cols.join(", "),
            kind.id(),
            hidden.where_()
        ))?;
        let mut rows = stmt.query([])?;
        // keyed rows of earlier batches with a key of the file: (batch, key) → (rows, facts)
        let mut keyed: Vec<(i64, Vec<u8>, Facts)> = Vec::new();
        let mut keyed_extra = Vec::new();
        // period rows: (batch, digest), and whether each is superseded already
        let mut dated: Vec<(i64, u64)> = Vec::new();
        let mut dated_extra = Vec::new();
        let first = 1 + layout.n;
        while let Some(r) = rows.next()? {
            let batch: i64 = r.get(0)?;
            if prec.sample(batch) {
                continue;
            }
            let value = |i: usize| r.get_ref(1 + i).unwrap_or(ValueRef::Null);
            match layout.key(value) {
                Some(key) => {
                    if !fp.keys.contains_key(&key) {
                        continue;
                    }
                    let facts = Facts {
                        digest: layout.digest(true, value),
                        amount: layout.amount(value),
                    };
                    keyed.push((batch, key, facts));
                    if let Some(f) = &filter {
                        keyed_extra.push(f.extra(r, first)?);
                    }
                }
                None => {
                    let Some((a, z)) = fp.period else {
                        continue;
                    };
                    if !layout.day(value).is_some_and(|d| a <= d && d <= z) {
                        continue;
                    }
                    dated.push((batch, layout.digest(false, value)));
                    if let Some(f) = &filter {
                        dated_extra.push(f.extra(r, first)?);
                    }
                }
            }
        }
        let gone = |extras: &[super::supersede::Extra], n: usize| match &filter {
            Some(f) => f.superseded(extras),
            None => vec![false; n],
        };
        // keyed: per earlier batch and key, its rows and their facts summed
        let mut groups: FxHashMap<(i64, &[u8]), (u64, Facts)> = FxHashMap::default();
        for ((batch, key, facts), g) in keyed.iter().zip(gone(&keyed_extra, keyed.len())) {
            if g {
                continue;
            }
            let e = groups.entry((*batch, key.as_slice())).or_default();
            e.0 += 1;
            e.1.digest = e.1.digest.wrapping_add(facts.digest);
            e.1.amount += facts.amount;
        }
        for ((batch, key), (n, facts)) in groups {
            let Some(new) = fp.keys.get(key) else {
                continue;
            };
            let same = if layout.amount.is_some() {
                same_amount(facts.amount, new.amount)
            } else {
                facts.digest == new.digest
            };
            let e = per_batch.entry(batch).or_default();
            e.0 += n;
            if !same {
                e.1 += n;
            }
        }
        // period: each row of the file stands for one earlier row of each batch
        let mut used: FxHashMap<(i64, u64), usize> = FxHashMap::default();
        for ((batch, digest), g) in dated.iter().zip(gone(&dated_extra, dated.len())) {
            if g {
                continue;
            }
            let have = fp.digests.partition_point(|d| d <= digest)
                - fp.digests.partition_point(|d| d < digest);
            let u = used.entry((*batch, *digest)).or_insert(0);
            let e = per_batch.entry(*batch).or_default();
            e.0 += 1;
            if *u < have {
                *u += 1;
            } else {
                e.1 += 1;
            }
        }
    }
    let mut overlaps = Vec::new();
    let mut ids: Vec<i64> = per_batch.keys().copied().collect();
    ids.sort_unstable();
    for id in ids {
        let (rows, changed) = per_batch[&id];
        let (file, sheet, imported_at) = conn.query_row(
            "SELECT file_name, sheet, imported_at FROM batches WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        overlaps.push(BatchOverlap {
            batch_id: id,
            file,
            sheet,
            imported_at,
            rows,
            changed,
        });
    }
    Ok(TableOverlap {
        sheet: fp.sheet.clone(),
        kind,
        rows: fp.rows,
        overlap,
        overlaps,
        period: fp.period(),
        months: fp.months(),
    })
}

impl super::Store {
    /// Which earlier live imports the file overlaps, per table it would import, and what
    /// the import would do there (`overlap`): what the wizard shows before anything is
    /// written. Writes nothing; costs one read of the file (as the import reads it, with
    /// the same options) and one scan of each kind's table.
    pub fn overlaps(
        &self,
        path: &std::path::Path,
        input: crate::import::Input,
        opts: &crate::import::Options,
        control: &crate::import::Control,
        overlap: Overlap,
    ) -> Result<Vec<TableOverlap>> {
        let mut sink = Footprints::default();
        crate::import::run(path, input, opts, control, &mut sink)?;
        let tx = self.conn.unchecked_transaction()?;
        let out = sink
            .done
            .iter()
            .map(|fp| compare(&tx, fp, overlap))
            .collect::<Result<Vec<_>>>()?;
        tx.commit()?;
        Ok(out)
    }
}

/// Collects the footprints of every table of a file, nothing else (the overlap preview).
#[derive(Default)]
pub(crate) struct Footprints {
    pub(crate) done: Vec<Footprint>,
    current: Option<Collector>,
}

impl crate::import::Sink for Footprints {
    fn begin(&mut self, head: &crate::import::TableHead) -> Result<()> {
        self.current = Some(Collector::new(head.kind, head.sheet.clone()));
        Ok(())
    }
    fn row(&mut self, _: u32, values: &[Value]) -> Result<()> {
        if let Some(c) = &mut self.current {
            c.row(values);
        }
        Ok(())
    }
    fn restart(&mut self) -> Result<()> {
        if let Some(c) = &mut self.current {
            c.restart();
        }
        Ok(())
    }
    fn end(&mut self, _: crate::import::TableEnd) -> Result<()> {
        if let Some(c) = self.current.take() {
            self.done.push(c.finish());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> Value {
        Value::Text(t.into())
    }

    #[test]
    fn rows_of_one_key_add_up_and_the_period_spans_the_rows() {
        let mut c = Collector::new(Kind::Revenue, None);
        c.row(&[
            text("K-1"),
            text("2026-09"),
            Value::Real(100.0),
            Value::Null,
        ]);
        c.row(&[text("K-1"), text("2026-09"), Value::Real(50.0), Value::Null]);
        c.row(&[text("K-2"), text("2026-09"), Value::Int(7), Value::Null]);
        let fp = c.finish();
        assert_eq!((fp.rows, fp.keys.len()), (3, 2));
        let mut k = Vec::new();
        push_key(&mut k, ValueRef::Text(b"K-1"));
        push_key(&mut k, ValueRef::Text(b"2026-09"));
        assert!(same_amount(fp.keys[&k].amount, 150.0));
        assert_eq!(fp.period(), None);
        assert_eq!(fp.months(), Some(("2026-09".into(), "2026-09".into())));

        let mut c = Collector::new(Kind::Surveys, None);
        let survey = |id: Option<&str>, date: &str| {
            [
                id.map_or(Value::Null, text),
                Value::Null,
                text(date),
                Value::Int(9),
                Value::Null,
                Value::Null,
                Value::Null,
            ]
        };
        c.row(&survey(Some("R1"), "2026-01-05"));
        c.row(&survey(None, "2026-03-02"));
        c.row(&survey(None, "2026-02-10"));
        let fp = c.finish();
        // only the rows without a response id make the period
        assert_eq!(
            fp.period(),
            Some(("2026-02-10".into(), "2026-03-02".into()))
        );
        // every dated row makes the months, with a response id or without
        assert_eq!(fp.months(), Some(("2026-01".into(), "2026-03".into())));
        assert_eq!((fp.keys.len(), fp.digests.len()), (1, 2));
    }

    #[test]
    fn a_whole_number_and_the_same_real_digest_alike() {
        let l = Layout::of(Kind::Usage);
        let a = [
            text("K"),
            text("u"),
            text("2026-10-01"),
            Value::Int(2),
            Value::Int(60),
            Value::Null,
        ];
        let b = [
            text("K"),
            text("u"),
            text("2026-10-01"),
            Value::Int(2),
            Value::Real(60.0),
            Value::Null,
        ];
        let d = |v: &[Value]| l.digest(false, |i| value_ref(&v[i]));
        assert_eq!(d(&a), d(&b));
        let c = [
            text("K"),
            text("u"),
            text("2026-10-01"),
            Value::Int(2),
            Value::Real(61.0),
            Value::Null,
        ];
        assert_ne!(d(&a), d(&c));
    }
}
