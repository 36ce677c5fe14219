//! Re-imports and overlapping exports (`datasets.md`, "Re-imports and overlapping exports"):
//! across imports of one kind, a later import's rows **supersede** the earlier imports' rows
//! with the same key, or — usage, touchpoints and surveys without a response id — the
//! earlier rows dated within its period (its first to its last day).
//!
//! A rule of reading, not a delete: every batch keeps its rows, and every reader (the month
//! load, the coverage, the data browser, the lineage) asks [`Precedence`] which rows are
//! effective. Undoing the later batch brings the earlier rows back by itself, because the
//! rule is applied to the live batches of the moment.
//!
//! - Within one batch rows add up (two revenue rows of one account-month are summed), and
//!   the sheets of one file are one import: they never supersede each other (`import_no`).
//! - A batch imported with [`Overlap::Add`] supersedes nothing (a later one may supersede it).
//! - The embedded sample company and the user's files are two companies: neither supersedes
//!   the other.
//! - Cost: one small query per read (the live batches). A kind in which no batch can
//!   supersede another (one import of it, or only `add`) is read exactly as before. Otherwise
//!   the keyed kinds (small tables) are filtered in Rust after loading, and usage rows are
//!   checked against a precomputed list of periods per batch while they are scanned.

use crate::model::Kind;
use rusqlite::types::ValueRef;
use rusqlite::Connection;
use rustc_hash::FxHashMap;

pub use crate::model::Overlap;

/// The columns whose values together identify a record of `kind` across imports; empty for
/// the kinds that follow the period rule alone. Surveys: the response id (rows without one
/// follow the period rule).
pub fn key_columns(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Accounts => &["account_id"],
        Kind::Revenue => &["account_id", "month"],
        Kind::Renewals => &["account_id", "due_date"],
        Kind::Surveys => &["response_id"],
        Kind::Tickets => &["ticket_id"],
        Kind::Orders => &["order_id"],
        Kind::Leads => &["lead_id"],
        Kind::Costs => &["month", "type", "category"],
        Kind::Campaigns => &["date", "channel", "name"],
        Kind::Usage | Kind::Touchpoints => &[],
    }
}

/// The dated column of the period rule: usage and touchpoints (every row), surveys (the rows
/// without a response id).
pub fn period_column(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Usage | Kind::Touchpoints | Kind::Surveys => Some("date"),
        _ => None,
    }
}

/// A record's key as bytes: per column a tag, then its value (text as its bytes with their
/// length, numbers by value). The same bytes from the import's values and from SQLite's.
pub(crate) fn push_key(buf: &mut Vec<u8>, v: ValueRef<'_>) {
    match v {
        ValueRef::Null => buf.push(0),
        ValueRef::Integer(i) => {
            buf.push(1);
            buf.extend_from_slice(&canonical(i as f64).to_le_bytes());
        }
        ValueRef::Real(r) => {
            buf.push(1);
            buf.extend_from_slice(&canonical(r).to_le_bytes());
        }
        ValueRef::Text(t) | ValueRef::Blob(t) => {
            buf.push(2);
            buf.extend_from_slice(&(t.len() as u32).to_le_bytes());
            buf.extend_from_slice(t);
        }
    }
}

/// A number's bits with `-0.0` as `0.0` (equal values, equal bytes).
fn canonical(x: f64) -> u64 {
    if x == 0.0 {
        0
    } else {
        x.to_bits()
    }
}

/// A day as `YYYY-MM-DD` bytes: the first ten bytes of a stored date or date-time.
pub(crate) type Day = [u8; 10];

pub(crate) fn day_of(text: &[u8]) -> Option<Day> {
    text.get(..10)?.try_into().ok()
}

/// One live batch as the rule sees it.
#[derive(Clone, Debug)]
struct Rank {
    id: i64,
    kind: Kind,
    /// The embedded sample company (its own group).
    demo: bool,
    import_no: i64,
    supersedes: bool,
    period: Option<(Day, Day)>,
}

/// The live batches and what they supersede: read once per read, inside the read's
/// transaction (as [`super::Hidden`]).
#[derive(Clone, Debug, Default)]
pub(crate) struct Precedence {
    ranks: Vec<Rank>,
}

impl Precedence {
    pub(crate) fn of(conn: &Connection) -> rusqlite::Result<Precedence> {
        let mut stmt = conn.prepare_cached(
            "SELECT id, kind, source, coalesce(import_no, id), overlap, period_first, period_last
             FROM batches WHERE state = 'live' ORDER BY id",
        )?;
        let mut rows = stmt.query([])?;
        let mut ranks = Vec::new();
        while let Some(r) = rows.next()? {
            let kind: String = r.get(1)?;
            let Some(kind) = Kind::parse(&kind) else {
                continue;
            };
            let day = |i: usize| -> rusqlite::Result<Option<Day>> {
                Ok(r.get_ref(i)?
                    .as_str_or_null()?
                    .and_then(|t| day_of(t.as_bytes())))
            };
            ranks.push(Rank {
                id: r.get(0)?,
                kind,
                demo: r.get_ref(2)?.as_str()? == "demo",
                import_no: r.get(3)?,
                supersedes: r.get_ref(4)?.as_str()? != "add",
                period: day(5)?.zip(day(6)?),
            });
        }
        Ok(Precedence { ranks })
    }

    fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &Rank> {
        self.ranks.iter().filter(move |r| r.kind == kind)
    }

    /// Is there a batch of `kind` that supersedes and an earlier import of the same company
    /// (`with_period`: one whose period is known)?
    fn can_supersede(&self, kind: Kind, with_period: bool) -> bool {
        self.of_kind(kind).any(|s| {
            s.supersedes
                && (!with_period || s.period.is_some())
                && self
                    .of_kind(kind)
                    .any(|b| b.demo == s.demo && b.import_no < s.import_no)
        })
    }

    /// The key rule of `kind`, or `None` when no row of it can be superseded by key.
    pub(crate) fn keys(&self, kind: Kind) -> Option<KeyRule> {
        if key_columns(kind).is_empty() || !self.can_supersede(kind, false) {
            return None;
        }
        Some(KeyRule {
            batches: self
                .of_kind(kind)
                .map(|r| (r.id, (r.demo, r.import_no, r.supersedes)))
                .collect(),
        })
    }

    /// The period rule of `kind`, or `None` when no row of it can be superseded by period.
    pub(crate) fn periods(&self, kind: Kind) -> Option<PeriodRule> {
        if period_column(kind).is_none() || !self.can_supersede(kind, true) {
            return None;
        }
        let mut per_batch = FxHashMap::default();
        for b in self.of_kind(kind) {
            let mut spans: Vec<(Day, Day)> = self
                .of_kind(kind)
                .filter(|s| s.supersedes && s.demo == b.demo && s.import_no > b.import_no)
                .filter_map(|s| s.period)
                .collect();
            if spans.is_empty() {
                continue;
            }
            spans.sort_unstable();
            let mut merged: Vec<(Day, Day)> = Vec::with_capacity(spans.len());
            for (a, z) in spans {
                match merged.last_mut() {
                    Some(last) if a <= last.1 => last.1 = last.1.max(z),
                    _ => merged.push((a, z)),
                }
            }
            per_batch.insert(b.id, merged);
        }
        Some(PeriodRule { per_batch })
    }

    /// Is any row of `kind` superseded, by key or by period?
    pub(crate) fn active(&self, kind: Kind) -> bool {
        (!key_columns(kind).is_empty() && self.can_supersede(kind, false))
            || (period_column(kind).is_some() && self.can_supersede(kind, true))
    }

    /// Is `batch` one of the embedded sample company's?
    pub(crate) fn sample(&self, batch: i64) -> bool {
        self.ranks.iter().any(|r| r.id == batch && r.demo)
    }

    /// The live batches of `kind` with their import number, oldest first.
    pub(crate) fn batches_of(&self, kind: Kind) -> Vec<(i64, i64)> {
        self.of_kind(kind).map(|r| (r.id, r.import_no)).collect()
    }
}

/// Which rows of a keyed kind are superseded: a row is, when a later import (of the same
/// company) that supersedes has a row with the same key.
#[derive(Clone, Debug)]
pub(crate) struct KeyRule {
    /// batch id → (sample company, import number, supersedes)
    batches: FxHashMap<i64, (bool, i64, bool)>,
}

impl KeyRule {
    /// Per row, given as (batch id, key), whether it is superseded.
    pub(crate) fn superseded<K: AsRef<[u8]>>(&self, rows: &[(i64, K)]) -> Vec<bool> {
        let mut latest: FxHashMap<(bool, &[u8]), i64> = FxHashMap::default();
        for (b, k) in rows {
            if let Some(&(demo, no, true)) = self.batches.get(b) {
                let e = latest.entry((demo, k.as_ref())).or_insert(no);
                *e = (*e).max(no);
            }
        }
        rows.iter()
            .map(|(b, k)| {
                self.batches.get(b).is_some_and(|&(demo, no, _)| {
                    latest.get(&(demo, k.as_ref())).is_some_and(|&m| no < m)
                })
            })
            .collect()
    }
}

/// Which rows of a period kind are superseded: per batch, the merged periods of the later
/// imports (of the same company) that supersede.
#[derive(Clone, Debug, Default)]
pub(crate) struct PeriodRule {
    per_batch: FxHashMap<i64, Vec<(Day, Day)>>,
}

impl PeriodRule {
    /// The periods within which `batch`'s rows are superseded (sorted, disjoint).
    pub(crate) fn periods(&self, batch: i64) -> &[(Day, Day)] {
        self.per_batch.get(&batch).map_or(&[], Vec::as_slice)
    }
}

/// Is the stored date (or date-time) `date` within one of `periods`?
pub(crate) fn within(periods: &[(Day, Day)], date: &[u8]) -> bool {
    if periods.is_empty() {
        return false;
    }
    let d = &date[..date.len().min(10)];
    periods
        .iter()
        .any(|(a, z)| a.as_slice() <= d && d <= z.as_slice())
}

/// What a reader of `kind`'s rows appends to its SELECT to apply the rule, and how the
/// extra columns are read: `None` when nothing of the kind is superseded.
pub(crate) struct Filter {
    keys: Option<KeyRule>,
    periods: Option<PeriodRule>,
    kind: Kind,
}

/// The extra values of one row (see [`Filter::extra_columns`]).
pub(crate) struct Extra {
    batch: i64,
    /// The key, when the row has one (surveys: a response id).
    key: Option<Vec<u8>>,
    day: Option<Day>,
}

impl Filter {
    pub(crate) fn of(prec: &Precedence, kind: Kind) -> Option<Filter> {
        let keys = prec.keys(kind);
        let periods = prec.periods(kind);
        (keys.is_some() || periods.is_some()).then_some(Filter {
            keys,
            periods,
            kind,
        })
    }

    /// `batch_id`, the key columns, and the period's date column (when the kind has one).
    pub(crate) fn extra_columns(&self) -> String {
        let mut cols = vec!["batch_id".to_owned()];
        cols.extend(key_columns(self.kind).iter().map(|c| format!("\"{c}\"")));
        if let Some(d) = period_column(self.kind) {
            cols.push(format!("\"{d}\""));
        }
        cols.join(", ")
    }

    /// How many columns [`Filter::extra_columns`] names.
    pub(crate) fn extra_len(&self) -> usize {
        1 + key_columns(self.kind).len() + usize::from(period_column(self.kind).is_some())
    }

    /// Reads the extra columns of `row`, starting at column `at`.
    pub(crate) fn extra(&self, row: &rusqlite::Row, at: usize) -> rusqlite::Result<Extra> {
        let batch: i64 = row.get(at)?;
        let keys = key_columns(self.kind);
        let key = if keys.is_empty() {
            None
        } else if self.kind == Kind::Surveys && row.get_ref(at + 1)? == ValueRef::Null {
            // a survey row without a response id follows the period rule
            None
        } else {
            let mut k = Vec::new();
            for i in 0..keys.len() {
                push_key(&mut k, row.get_ref(at + 1 + i)?);
            }
            Some(k)
        };
        let day = match period_column(self.kind) {
            Some(_) => row
                .get_ref(at + 1 + keys.len())?
                .as_str_or_null()?
                .and_then(|t| day_of(t.as_bytes())),
            None => None,
        };
        Ok(Extra { batch, key, day })
    }

    /// Per row, whether it is superseded.
    pub(crate) fn superseded(&self, rows: &[Extra]) -> Vec<bool> {
        let mut out = vec![false; rows.len()];
        if let Some(rule) = &self.keys {
            let keyed: Vec<(usize, (i64, &[u8]))> = rows
                .iter()
                .enumerate()
                .filter_map(|(i, e)| e.key.as_deref().map(|k| (i, (e.batch, k))))
                .collect();
            let pairs: Vec<(i64, &[u8])> = keyed.iter().map(|(_, p)| *p).collect();
            for ((i, _), s) in keyed.iter().zip(rule.superseded(&pairs)) {
                out[*i] = s;
            }
        }
        if let Some(rule) = &self.periods {
            for (i, e) in rows.iter().enumerate() {
                // surveys with a response id follow the key rule only
                if e.key.is_some() {
                    continue;
                }
                if let Some(d) = e.day {
                    out[i] |= within(rule.periods(e.batch), &d);
                }
            }
        }
        out
    }

    /// Keeps the effective ones of `rows` (each with its extra values).
    pub(crate) fn effective<T>(&self, rows: Vec<(T, Extra)>) -> Vec<T> {
        let (items, extras): (Vec<T>, Vec<Extra>) = rows.into_iter().unzip();
        let gone = self.superseded(&extras);
        items
            .into_iter()
            .zip(gone)
            .filter_map(|(t, g)| (!g).then_some(t))
            .collect()
    }
}

/// Calls `f(rowid, batch id)` for every superseded row of `kind` among the rows that
/// `hidden` leaves visible, in rowid order.
pub(crate) fn for_each_superseded(
    conn: &Connection,
    hidden: &super::Hidden,
    prec: &Precedence,
    kind: Kind,
    mut f: impl FnMut(i64, i64),
) -> crate::error::Result<()> {
    let Some(filter) = Filter::of(prec, kind) else {
        return Ok(());
    };
    let mut stmt = conn.prepare(&format!(
        "SELECT rowid, {} FROM {}{} ORDER BY rowid",
        filter.extra_columns(),
        kind.id(),
        hidden.where_()
    ))?;
    let mut rows = stmt.query([])?;
    if key_columns(kind).is_empty() {
        // the period rule alone: one pass, nothing kept (usage)
        let Some(rule) = &filter.periods else {
            return Ok(());
        };
        let mut last: Option<(i64, &[(Day, Day)])> = None;
        while let Some(r) = rows.next()? {
            let batch: i64 = r.get(1)?;
            let periods = match last {
                Some((b, p)) if b == batch => p,
                _ => {
                    let p = rule.periods(batch);
                    last = Some((batch, p));
                    p
                }
            };
            if periods.is_empty() {
                continue;
            }
            if let Some(d) = r
                .get_ref(2)?
                .as_str_or_null()
                .map_err(rusqlite::Error::from)?
            {
                if within(periods, d.as_bytes()) {
                    f(r.get(0)?, batch);
                }
            }
        }
        return Ok(());
    }
    let mut ids = Vec::new();
    let mut extras = Vec::new();
    while let Some(r) = rows.next()? {
        ids.push(r.get::<_, i64>(0)?);
        extras.push(filter.extra(r, 1)?);
    }
    for ((id, e), gone) in ids.iter().zip(&extras).zip(filter.superseded(&extras)) {
        if gone {
            f(*id, e.batch);
        }
    }
    Ok(())
}

/// How many rows of each live batch are superseded (batches with none are left out).
pub(crate) fn superseded_counts(
    conn: &Connection,
    hidden: &super::Hidden,
    prec: &Precedence,
) -> crate::error::Result<FxHashMap<i64, i64>> {
    let mut counts = FxHashMap::default();
    for kind in Kind::ALL {
        if prec.active(kind) {
            for_each_superseded(conn, hidden, prec, kind, |_, b| {
                *counts.entry(b).or_insert(0) += 1;
            })?;
        }
    }
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(t: &str) -> Day {
        day_of(t.as_bytes()).expect("a day")
    }

    /// id, kind, demo, import number, supersedes, period
    type RankRow<'a> = (i64, Kind, bool, i64, bool, Option<(&'a str, &'a str)>);

    fn prec(ranks: &[RankRow]) -> Precedence {
        Precedence {
            ranks: ranks
                .iter()
                .map(|&(id, kind, demo, import_no, supersedes, period)| Rank {
                    id,
                    kind,
                    demo,
                    import_no,
                    supersedes,
                    period: period.map(|(a, z)| (day(a), day(z))),
                })
                .collect(),
        }
    }

    #[test]
    fn a_later_import_supersedes_the_same_key_and_add_supersedes_nothing() {
        let p = prec(&[
            (1, Kind::Tickets, false, 1, true, None),
            (2, Kind::Tickets, false, 2, false, None),
            (3, Kind::Tickets, false, 3, true, None),
            (4, Kind::Tickets, true, 4, true, None), // the sample company's
        ]);
        let rule = p.keys(Kind::Tickets).expect("active");
        let rows = [
            (1, "a"),
            (1, "b"),
            (1, "c"),
            (2, "a"), // added by batch 2: superseded by 3's "a"
            (2, "b"), // batch 2 adds: batch 1's "b" stays
            (3, "a"),
            (4, "c"), // another company: batch 1's "c" stays
        ];
        assert_eq!(
            rule.superseded(&rows),
            [true, false, false, true, false, false, false]
        );
    }

    #[test]
    fn one_import_or_only_additions_cost_nothing() {
        let p = prec(&[
            (1, Kind::Revenue, false, 1, true, None),
            (2, Kind::Revenue, false, 1, true, None), // a second sheet of the same file
            (3, Kind::Revenue, false, 3, false, None),
            (
                4,
                Kind::Usage,
                false,
                4,
                true,
                Some(("2026-01-01", "2026-01-31")),
            ),
        ]);
        assert!(p.keys(Kind::Revenue).is_none());
        assert!(p.periods(Kind::Usage).is_none());
        assert!(!p.active(Kind::Revenue) && !p.active(Kind::Usage));
    }

    #[test]
    fn periods_of_later_imports_are_merged_per_batch() {
        let p = prec(&[
            (
                1,
                Kind::Usage,
                false,
                1,
                true,
                Some(("2026-08-01", "2026-09-30")),
            ),
            (
                2,
                Kind::Usage,
                false,
                2,
                true,
                Some(("2026-09-01", "2026-09-30")),
            ),
            (
                3,
                Kind::Usage,
                false,
                3,
                true,
                Some(("2026-10-01", "2026-10-31")),
            ),
            (
                4,
                Kind::Usage,
                false,
                4,
                false,
                Some(("2026-01-01", "2026-12-31")),
            ),
            (
                5,
                Kind::Usage,
                false,
                5,
                true,
                Some(("2026-09-10", "2026-09-20")),
            ),
        ]);
        let rule = p.periods(Kind::Usage).expect("active");
        // overlapping periods merge; adjacent ones stay two (both are looked at)
        assert_eq!(
            rule.periods(1),
            [
                (day("2026-09-01"), day("2026-09-30")),
                (day("2026-10-01"), day("2026-10-31"))
            ]
            .as_slice()
        );
        assert_eq!(
            rule.periods(2),
            [
                (day("2026-09-10"), day("2026-09-20")),
                (day("2026-10-01"), day("2026-10-31"))
            ]
            .as_slice()
        );
        let later = [(day("2026-09-10"), day("2026-09-20"))];
        assert_eq!((rule.periods(3), rule.periods(4)), (&later[..], &later[..]));
        assert!(rule.periods(5).is_empty());
        let p1 = rule.periods(1);
        assert!(!within(p1, b"2026-08-31 23:59:59"));
        assert!(within(p1, b"2026-09-01 00:00:00"));
        assert!(within(p1, b"2026-10-31"));
        assert!(!within(p1, b"2026-11-01"));
    }
}
