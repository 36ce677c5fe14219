//! Reading the stored rows back into the typed [`Data`] the KPI and score code reads.

use super::supersede::{within, Day, Filter, PeriodRule, Precedence};
use super::Hidden;
use crate::error::{Error, Result};
use crate::model::*;
use crate::month::Month;
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, Row};
use std::collections::HashMap;
use std::path::Path;

fn bad(what: &str, value: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Text,
        format!("stored {what} “{value}” is not valid").into(),
    )
}

/// `YYYY-MM-DD` (what the importer stores) without chrono's general format parser,
/// which dominated loading a month of usage rows.
fn iso_date(t: &str) -> Option<NaiveDate> {
    let b = t.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |s: &[u8]| -> Option<u32> {
        s.iter().try_fold(0u32, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(num(&b[0..4])? as i32, num(&b[5..7])?, num(&b[8..10])?)
}

fn date(r: &Row, i: usize) -> rusqlite::Result<NaiveDate> {
    let v = r.get_ref(i)?;
    let t = v.as_str()?;
    iso_date(t).ok_or_else(|| bad("date", t))
}

fn is_null(r: &Row, i: usize) -> rusqlite::Result<bool> {
    Ok(r.get_ref(i)? == rusqlite::types::ValueRef::Null)
}

fn opt_date(r: &Row, i: usize) -> rusqlite::Result<Option<NaiveDate>> {
    if is_null(r, i)? {
        return Ok(None);
    }
    date(r, i).map(Some)
}

fn datetime(r: &Row, i: usize) -> rusqlite::Result<NaiveDateTime> {
    let v = r.get_ref(i)?;
    let t = v.as_str()?;
    // `HH:MM:SS` (what the importer stores) without chrono's format parser
    let time = |s: &str| {
        let b = s.as_bytes();
        if b.len() != 8 || b[2] != b':' || b[5] != b':' {
            return chrono::NaiveTime::parse_from_str(s, "%H:%M:%S").ok();
        }
        let two = |i: usize| -> Option<u32> {
            let (x, y) = (b[i], b[i + 1]);
            (x.is_ascii_digit() && y.is_ascii_digit())
                .then(|| u32::from(x - b'0') * 10 + u32::from(y - b'0'))
        };
        chrono::NaiveTime::from_hms_opt(two(0)?, two(3)?, two(6)?)
    };
    match (iso_date(t), t.get(11..)) {
        (Some(d), None | Some("")) => Some(d.and_time(chrono::NaiveTime::MIN)),
        (Some(d), Some(rest)) => time(rest).map(|tm| d.and_time(tm)),
        _ => None,
    }
    .ok_or_else(|| bad("date-time", t))
}

fn opt_datetime(r: &Row, i: usize) -> rusqlite::Result<Option<NaiveDateTime>> {
    if is_null(r, i)? {
        return Ok(None);
    }
    datetime(r, i).map(Some)
}

fn month(r: &Row, i: usize) -> rusqlite::Result<Month> {
    let t = r.get_ref(i)?.as_str()?;
    Month::parse(t).ok_or_else(|| bad("month", t))
}

fn query<T>(
    conn: &Connection,
    sql: &str,
    params: &[&dyn rusqlite::ToSql],
    f: impl FnMut(&Row) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map(params, f)?;
    rows.collect::<rusqlite::Result<Vec<T>>>()
        .map_err(Error::from)
}

/// `SELECT {cols} FROM {kind's table}` over the visible rows, without the superseded ones
/// ([`super::supersede`]); in table order.
fn effective<T>(
    conn: &Connection,
    hidden: &Hidden,
    prec: &Precedence,
    kind: Kind,
    cols: &str,
    mut f: impl FnMut(&Row) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    let w = hidden.where_();
    let Some(filter) = Filter::of(prec, kind) else {
        return query(
            conn,
            &format!("SELECT {cols} FROM {}{w}", kind.id()),
            &[],
            f,
        );
    };
    let mut stmt = conn.prepare(&format!(
        "SELECT {cols}, {} FROM {}{w}",
        filter.extra_columns(),
        kind.id()
    ))?;
    let at = stmt.column_count() - filter.extra_len();
    let rows = stmt
        .query_map([], |r| Ok((f(r)?, filter.extra(r, at)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(filter.effective(rows))
}

/// First and last month per dated dataset, from all effective rows.
pub fn coverage(conn: &Connection, hidden: &Hidden) -> Result<Coverage> {
    let prec = Precedence::of(conn)?;
    let mut cov = Coverage::default();
    let spec = [
        (Kind::Revenue, "revenue", "month"),
        (Kind::Renewals, "renewals", "due_date"),
        (Kind::Surveys, "surveys", "date"),
        (Kind::Tickets, "tickets", "created_at"),
        (Kind::Usage, "usage", "date"),
        (Kind::Touchpoints, "touchpoints", "date"),
        (Kind::Campaigns, "campaigns", "date"),
        (Kind::Costs, "costs", "month"),
        (Kind::Leads, "leads", "created_date"),
        (Kind::Orders, "orders", "date"),
    ];
    for (kind, table, col) in spec {
        if Filter::of(&prec, kind).is_some() {
            // a record's later version may carry another date (a ticket's corrected
            // creation): the effective rows' dates, from the small tables
            let dates = effective(
                conn,
                hidden,
                &prec,
                kind,
                &format!("substr({col}, 1, 7)"),
                |r| r.get::<_, Option<String>>(0),
            )?;
            let months = dates.iter().flatten().filter_map(|t| Month::parse(t));
            let span = months.fold(None, |acc: Option<(Month, Month)>, m| match acc {
                None => Some((m, m)),
                Some((a, b)) => Some((a.min(m), b.max(m))),
            });
            if let Some((a, b)) = span {
                cov.set(kind, a, b);
            }
            continue;
        }
        if kind == Kind::Usage {
            // the usage table has millions of rows and no date index: its span comes from
            // the visible batches' periods (the first and last day among each batch's rows,
            // stored when the batch was written). A superseded row lies within the period
            // of the batch that supersedes it, so the periods' union is the span of the
            // effective rows. A batch with rows but no period (not expected) falls back to
            // the scan below.
            let visible = if hidden.0.is_empty() {
                String::new()
            } else {
                format!(" AND id NOT IN ({})", hidden.list())
            };
            let (unknown, first, last): (i64, Option<String>, Option<String>) = conn.query_row(
                &format!(
                    "SELECT count(*) FILTER (WHERE period_first IS NULL AND rows_imported > 0),
                            min(period_first), max(period_last)
                       FROM batches WHERE kind = 'usage'{visible}"
                ),
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            if unknown == 0 {
                let month_of =
                    |t: Option<String>| t.and_then(|t| t.get(..7).and_then(Month::parse));
                if let (Some(a), Some(b)) = (month_of(first), month_of(last)) {
                    cov.set(kind, a, b);
                }
                continue;
            }
        }
        // no date indexes: both in one scan
        let (first, last): (Option<String>, Option<String>) = conn.query_row(
            &format!(
                "SELECT min({col}), max({col}) FROM {table}{}",
                hidden.where_()
            ),
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let month_of = |t: Option<String>| t.and_then(|t| t.get(..7).and_then(Month::parse));
        let (a, b) = (month_of(first), month_of(last));
        if let (Some(a), Some(b)) = (a, b) {
            cov.set(kind, a, b);
        }
    }
    Ok(cov)
}

/// Which usage rows [`data`] loads.
#[derive(Clone, Copy, Debug)]
pub enum UsageMonths<'a> {
    All,
    /// The rows of `first..=last`; those of the `lean` months only counted for the CS
    /// score ([`UsageCounts`]), not loaded.
    Range {
        first: Month,
        last: Month,
        lean: &'a [Month],
    },
}

/// First and last stored usage date (text, as SQLite's min()/max() compare it).
type TextSpan = Option<(String, String)>;

/// Usage is read in this many rowid ranges, taken in turn by the connections that read.
const USAGE_CHUNKS: i64 = 32;

/// The rowid ranges of the usage table, in order (empty for an empty table).
fn usage_chunks(conn: &Connection) -> Result<Vec<(i64, i64)>> {
    // two subqueries, one b-tree descent each (`min(), max()` together would scan)
    let (lo, hi): (Option<i64>, Option<i64>) = conn.query_row(
        "SELECT (SELECT min(rowid) FROM usage), (SELECT max(rowid) FROM usage)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let (Some(lo), Some(hi)) = (lo, hi) else {
        return Ok(vec![]);
    };
    let (lo, hi) = (i128::from(lo), i128::from(hi));
    let step = (hi - lo) / i128::from(USAGE_CHUNKS) + 1;
    Ok((0..)
        .map(|k| lo + k * step)
        .take_while(|&a| a <= hi)
        // both ends lie within lo..=hi, so they fit an i64 again
        .map(|a| (a as i64, (a + step - 1).min(hi) as i64))
        .collect())
}

/// One connection's share of the usage table.
struct UsagePart<'a> {
    /// Loaded rows, range after range in the order they were read.
    rows: Vec<Usage>,
    /// The ranges read (position in the chunk list) and their number of loaded rows.
    runs: Vec<(usize, usize)>,
    counts: LeanCounts<'a>,
    span: TextSpan,
}

/// The rowid ranges not read yet: the first connection takes them from the front, the
/// second from the back, so each one's rows come in one piece of rowid order.
struct Queue(std::sync::Mutex<std::ops::Range<usize>>);

#[derive(Clone, Copy)]
enum End {
    Front,
    Back,
}

impl Queue {
    fn new(n: usize) -> Queue {
        Queue(std::sync::Mutex::new(0..n))
    }
    fn take(&self, end: End) -> Option<usize> {
        let mut left = self.0.lock().ok()?;
        match end {
            End::Front => left.next(),
            End::Back => left.next_back(),
        }
    }
}

/// Reads usage ranges of `chunks` (taken from `queue` at `end`) until none is left: the
/// rows of `months` (lean months only counted) and the first and last date of all rows.
fn usage_part<'a>(
    conn: &Connection,
    hidden: &Hidden,
    months: UsageMonths<'a>,
    chunks: &[(i64, i64)],
    queue: &Queue,
    end: End,
) -> Result<UsagePart<'a>> {
    // rows superseded by a later usage import's period (`supersede`): checked per row
    // against its batch's precomputed periods, only when there are any
    let periods: Option<PeriodRule> = Precedence::of(conn)?.periods(Kind::Usage);
    let (range, lean) = match months {
        UsageMonths::All => (None, &[][..]),
        UsageMonths::Range { first, last, lean } => (
            Some((
                first.first_day().to_string(),
                format!("{} 99", last.last_day()),
            )),
            lean,
        ),
    };
    // hidden batches (an undo, an import still writing) cost a condition only when there
    // are any
    let mut stmt = conn.prepare(&format!(
        "SELECT date, account_id, user_id, sessions, session_seconds, feature{} FROM usage
         WHERE rowid BETWEEN ?1 AND ?2{}",
        if periods.is_some() { ", batch_id" } else { "" },
        hidden.and()
    ))?;
    let mut last_batch: Option<(i64, &[(Day, Day)])> = None;
    let mut part = UsagePart {
        rows: Vec::new(),
        runs: Vec::new(),
        counts: LeanCounts::new(lean),
        span: None,
    };
    // each distinct account, user and feature text is allocated once per connection
    let mut ids = UsageIds::default();
    fn text<'r>(r: &'r Row, i: usize) -> rusqlite::Result<&'r str> {
        Ok(r.get_ref(i)?.as_str()?)
    }
    fn bytes<'r>(r: &'r Row, i: usize) -> rusqlite::Result<&'r [u8]> {
        Ok(r.get_ref(i)?.as_bytes()?)
    }
    while let Some(i) = queue.take(end) {
        let Some(&(a, b)) = chunks.get(i) else {
            break;
        };
        let mut rows = stmt.query([a, b])?;
        let loaded = part.rows.len();
        let (span, counts, out) = (&mut part.span, &mut part.counts, &mut part.rows);
        while let Some(r) = rows.next()? {
            let v = r.get_ref(0)?;
            if v == rusqlite::types::ValueRef::Null {
                continue; // min()/max() and the range skip NULL
            }
            let t = v.as_str().map_err(rusqlite::Error::from)?;
            if let Some(rule) = &periods {
                let batch: i64 = r.get(6)?;
                let superseded = match last_batch {
                    Some((b, p)) if b == batch => p,
                    _ => {
                        let p = rule.periods(batch);
                        last_batch = Some((batch, p));
                        p
                    }
                };
                if within(superseded, t.as_bytes()) {
                    continue;
                }
            }
            match span {
                None => *span = Some((t.to_owned(), t.to_owned())),
                Some((a, b)) => {
                    if t < a.as_str() {
                        *a = t.to_owned();
                    }
                    if t > b.as_str() {
                        *b = t.to_owned();
                    }
                }
            }
            if let Some((from, to)) = &range {
                if t < from.as_str() || t > to.as_str() {
                    continue;
                }
            }
            let d = iso_date(t).ok_or_else(|| bad("date", t))?;
            let m = Month::of(d);
            if let Some(k) = counts.slot(m) {
                use chrono::Datelike;
                counts.add(k, bytes(r, 1)?, bytes(r, 2)?, d.day())?;
                continue;
            }
            let feature = match r.get_ref(5)? {
                rusqlite::types::ValueRef::Null => None,
                v => Some(ids.features.id(v.as_str().map_err(rusqlite::Error::from)?)),
            };
            out.push(Usage {
                account_id: ids.accounts.id(text(r, 1)?),
                user_id: ids.users.id(text(r, 2)?),
                date: d,
                sessions: r.get(3)?,
                session_seconds: r.get(4)?,
                feature,
            });
        }
        part.runs.push((i, part.rows.len() - loaded));
    }
    Ok(part)
}

impl<'a> UsagePart<'a> {
    /// The rows, counts and date span of the whole table from the front part and the back
    /// part (if the second connection read one), as one scan in rowid order would have
    /// read them: the back part's ranges, read last to first, follow the front part's.
    /// The counts are merged on another thread meanwhile.
    fn finish(self, back: Option<UsagePart<'a>>) -> (Vec<Usage>, Vec<UsageCounts>, TextSpan) {
        let Some(back) = back else {
            return (self.rows, self.counts.finish(), self.span);
        };
        let UsagePart {
            mut rows,
            runs: front_runs,
            mut counts,
            span,
        } = self;
        let UsagePart {
            rows: mut back_rows,
            runs,
            counts: back_counts,
            span: back_span,
        } = back;
        debug_assert!(front_runs.windows(2).all(|w| w[0].0 < w[1].0));
        debug_assert!(runs.windows(2).all(|w| w[0].0 > w[1].0));
        debug_assert!(match (front_runs.last(), runs.last()) {
            (Some(front), Some(back)) => front.0 < back.0,
            _ => true,
        });
        std::thread::scope(|s| {
            let counts = s.spawn(move || {
                counts.merge(back_counts);
                counts.finish()
            });
            rows.reserve(back_rows.len());
            for &(_, n) in runs.iter().rev() {
                let start = back_rows.len() - n;
                rows.extend(back_rows.drain(start..));
            }
            let span = match (span, back_span) {
                (Some((a, b)), Some((c, d))) => Some((a.min(c), b.max(d))),
                (x, None) | (None, x) => x,
            };
            let counts = counts
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (rows, counts, span)
        })
    }
}

/// What the CS score needs of the lean months, counted while scanning: per (month,
/// account) the days with usage and the distinct users. Ids are interned (each distinct
/// text validated and copied once); consecutive rows of the same account or user (how
/// exports are usually sorted) skip the hash lookup.
struct LeanCounts<'a> {
    lean: &'a [Month],
    /// Month index − `base` → position in `lean`.
    base: i32,
    slots: Vec<Option<u8>>,
    rows: Vec<usize>,
    accounts: Interner,
    users: Interner,
    /// Per account and lean month (`account * lean.len() + k`): day bits, distinct users.
    per: Vec<(u32, u32)>,
    /// Per (account, user): the lean months in which it was seen (bit k).
    pairs: rustc_hash::FxHashMap<(u32, u32), u32>,
    last_pair: Option<((u32, u32), u32)>,
}

impl<'a> LeanCounts<'a> {
    fn new(lean: &'a [Month]) -> LeanCounts<'a> {
        // a month's bit in a u32: months past the 32nd are loaded in full instead
        let lean = &lean[..lean.len().min(32)];
        let base = lean.iter().map(|m| m.index()).min().unwrap_or(0);
        let top = lean.iter().map(|m| m.index()).max().unwrap_or(-1);
        let mut slots = vec![None; (top - base + 1).max(0) as usize];
        for (k, m) in lean.iter().enumerate().rev() {
            slots[(m.index() - base) as usize] = Some(k as u8); // the first of duplicates
        }
        LeanCounts {
            lean,
            base,
            slots,
            rows: vec![0; lean.len()],
            accounts: Interner::default(),
            users: Interner::default(),
            per: Vec::new(),
            pairs: Default::default(),
            last_pair: None,
        }
    }

    fn slot(&self, m: Month) -> Option<usize> {
        let i = usize::try_from(m.index() - self.base).ok()?;
        self.slots.get(i).copied().flatten().map(usize::from)
    }

    fn add(&mut self, k: usize, account: &[u8], user: &[u8], day: u32) -> rusqlite::Result<()> {
        self.rows[k] += 1;
        let a = self.accounts.id(account)?;
        let u = self.users.id(user)?;
        let n = self.lean.len();
        if self.per.len() <= a as usize * n {
            self.per.resize((a as usize + 1) * n, (0, 0));
        }
        let cell = &mut self.per[a as usize * n + k];
        cell.0 |= 1 << (day - 1);
        let bit = 1u32 << k;
        let seen = match self.last_pair {
            Some((p, mask)) if p == (a, u) => mask,
            _ => self.pairs.get(&(a, u)).copied().unwrap_or(0),
        };
        if seen & bit == 0 {
            cell.1 += 1;
            self.pairs.insert((a, u), seen | bit);
            self.last_pair = Some(((a, u), seen | bit));
        } else {
            self.last_pair = Some(((a, u), seen));
        }
        Ok(())
    }

    /// Adds the counts of another share of the rows (its own ids).
    fn merge(&mut self, other: LeanCounts) {
        for (k, rows) in other.rows.iter().enumerate() {
            self.rows[k] += rows;
        }
        let n = self.lean.len();
        let accounts: Vec<u32> = other
            .accounts
            .names
            .iter()
            .map(|s| self.accounts.insert(s))
            .collect();
        let users: Vec<u32> = other
            .users
            .names
            .iter()
            .map(|s| self.users.insert(s))
            .collect();
        let grow = (self.accounts.names.len() * n).max(self.per.len());
        self.per.resize(grow, (0, 0));
        for (i, &(bits, _)) in other.per.iter().enumerate() {
            let (a, k) = (accounts[i / n] as usize, i % n);
            self.per[a * n + k].0 |= bits;
        }
        for ((a, u), mask) in other.pairs {
            let key = (accounts[a as usize], users[u as usize]);
            let seen = self.pairs.entry(key).or_insert(0);
            let new = mask & !*seen;
            *seen |= mask;
            for k in 0..n {
                if new & (1 << k) != 0 {
                    self.per[key.0 as usize * n + k].1 += 1;
                }
            }
        }
        self.last_pair = None;
    }

    fn finish(self) -> Vec<UsageCounts> {
        let n = self.lean.len();
        let names = self.accounts.names;
        self.lean
            .iter()
            .zip(self.rows)
            .enumerate()
            .map(|(k, (&month, rows))| UsageCounts {
                month,
                rows,
                by_account: names
                    .iter()
                    .enumerate()
                    .filter_map(|(a, name)| {
                        let (bits, users) = self.per.get(a * n + k).copied()?;
                        (bits != 0).then(|| (name.clone(), (bits.count_ones(), users)))
                    })
                    .collect(),
            })
            .collect()
    }
}

/// The shared ids of loaded usage rows ([`Id`]).
#[derive(Default)]
struct UsageIds {
    accounts: Shared,
    users: Shared,
    features: Shared,
}

/// Text → its one shared [`Id`], with the last one remembered (exports are usually sorted
/// by account or user, so consecutive rows repeat it).
#[derive(Default)]
struct Shared {
    ids: rustc_hash::FxHashSet<Id>,
    last: Option<Id>,
}

impl Shared {
    fn id(&mut self, text: &str) -> Id {
        if let Some(last) = &self.last {
            if last.as_str() == text {
                return last.clone();
            }
        }
        let id = match self.ids.get(text) {
            Some(id) => id.clone(),
            None => {
                let id = Id::from(text);
                self.ids.insert(id.clone());
                id
            }
        };
        self.last = Some(id.clone());
        id
    }
}

/// Text → dense id, with the last id remembered.
#[derive(Default)]
struct Interner {
    ids: rustc_hash::FxHashMap<Box<[u8]>, u32>,
    names: Vec<String>,
    last: Option<u32>,
}

impl Interner {
    fn insert(&mut self, text: &str) -> u32 {
        match self.ids.get(text.as_bytes()) {
            Some(&i) => i,
            None => {
                let i = self.names.len() as u32;
                self.ids.insert(text.as_bytes().into(), i);
                self.names.push(text.to_owned());
                i
            }
        }
    }

    fn id(&mut self, text: &[u8]) -> rusqlite::Result<u32> {
        if let Some(i) = self.last {
            if self.names[i as usize].as_bytes() == text {
                return Ok(i);
            }
        }
        let i = match self.ids.get(text) {
            Some(&i) => i,
            None => {
                let s = std::str::from_utf8(text)
                    .map_err(rusqlite::Error::Utf8Error)?
                    .to_owned();
                let i = self.names.len() as u32;
                self.ids.insert(text.into(), i);
                self.names.push(s);
                i
            }
        };
        self.last = Some(i);
        Ok(i)
    }
}

/// Every dataset but usage: small next to it, read together.
struct Small {
    accounts: Vec<Account>,
    revenue: Vec<Revenue>,
    renewals: Vec<Renewal>,
    surveys: Vec<Survey>,
    tickets: Vec<Ticket>,
    touchpoints: Vec<Touchpoint>,
    campaigns: Vec<Campaign>,
    costs: Vec<Cost>,
    leads: Vec<Lead>,
    orders: Vec<Order>,
}

/// A second, read-only connection to the database file, for reading the small datasets
/// while the first scans usage; `None` (read everything on one connection) when the store
/// is not a plain file or the connection cannot be opened.
pub(super) fn second_connection(path: &Path) -> Option<Connection> {
    if !path.is_file() {
        return None;
    }
    let conn = Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .ok()?;
    super::harden(&conn).ok()?;
    conn.busy_timeout(std::time::Duration::from_secs(10)).ok()?;
    // no memory map: see [`Unmapped`]
    conn.execute_batch("PRAGMA mmap_size = 0; PRAGMA cache_size = -32000;")
        .ok()?;
    Some(conn)
}

/// The month load reads the whole usage table (it has no date index). Through a memory
/// map every page it touches stays in the process's resident memory until the process
/// ends: ~0.45 GB of a 0.7 GB database at 100k accounts, about as much as the loaded rows.
/// So the load's connections read through SQLite's own page cache (32 MB) instead; the scan
/// costs no more CPU that way (measured with sqlite3 on that database: 0.39 s user without
/// the map, 0.54 s with it). While this lives, `conn` does not map; afterwards it maps as
/// the store set it up.
struct Unmapped<'c>(&'c Connection);

impl<'c> Unmapped<'c> {
    fn new(conn: &'c Connection) -> Unmapped<'c> {
        // a tuning setting: if SQLite refuses it, the load reads as before
        let _ = conn.execute_batch("PRAGMA mmap_size = 0");
        Unmapped(conn)
    }
}

impl Drop for Unmapped<'_> {
    fn drop(&mut self) {
        let _ = self.0.execute_batch(&format!(
            "PRAGMA mmap_size = {}",
            super::MMAP_BYTES.load(std::sync::atomic::Ordering::Relaxed)
        ));
    }
}

/// `f` inside one read transaction (one snapshot of the database), unless `conn` is
/// already in a transaction.
fn in_read_transaction<T>(conn: &Connection, f: impl FnOnce() -> Result<T>) -> Result<T> {
    if !conn.is_autocommit() {
        return f();
    }
    let tx = conn.unchecked_transaction()?;
    let out = f()?;
    tx.commit()?;
    Ok(out)
}

/// All datasets; usage only for the months `first..=last` when a range is given.
///
/// Two connections read at once when the store is a file: this one and a second one
/// (`path`, read-only) share the usage table by rowid ranges, the second also reads the
/// small datasets. Each reads in one transaction; `PRAGMA data_version`, unchanged from
/// before the first read to after the last, shows that no write landed in between, so
/// both saw the same database. Otherwise (a write landed, the second connection failed,
/// or the store is not a plain file) everything is read on this connection, in one read
/// transaction.
pub fn data(conn: &Connection, path: &Path, usage_months: UsageMonths) -> Result<Data> {
    let _unmapped = Unmapped::new(conn);
    let version =
        || -> Result<i64> { Ok(conn.query_row("PRAGMA data_version", [], |r| r.get(0))?) };
    // `None` or an error: read on one connection (which reports any error there is)
    type Parts<'a> = (Small, UsagePart<'a>, Option<UsagePart<'a>>);
    let parallel = || -> Result<Option<Parts>> {
        let Some(second) = second_connection(path).filter(|_| conn.is_autocommit()) else {
            return Ok(None);
        };
        let before = version()?;
        let chunks = usage_chunks(conn)?;
        let queue = Queue::new(chunks.len());
        let (chunks, queue) = (&chunks, &queue);
        let read = std::thread::scope(|s| {
            let helper = s.spawn(move || {
                in_read_transaction(&second, || {
                    let hidden = Hidden::of(&second)?;
                    let small = small(&second, &hidden)?;
                    let back =
                        usage_part(&second, &hidden, usage_months, chunks, queue, End::Back)?;
                    Ok((small, back))
                })
            });
            let mine = in_read_transaction(conn, || {
                let hidden = Hidden::of(conn)?;
                usage_part(conn, &hidden, usage_months, chunks, queue, End::Front)
            });
            let theirs = helper
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            let (small, theirs) = theirs?;
            Ok::<_, Error>((small, mine?, Some(theirs)))
        })?;
        Ok((version()? == before).then_some(read))
    };
    let (small, front, back) = match parallel().ok().flatten() {
        Some(read) => read,
        None => in_read_transaction(conn, || {
            let chunks = usage_chunks(conn)?;
            let queue = Queue::new(chunks.len());
            let hidden = Hidden::of(conn)?;
            let small = small(conn, &hidden)?;
            let all = usage_part(conn, &hidden, usage_months, &chunks, &queue, End::Front)?;
            Ok((small, all, None))
        })?,
    };
    let (usage, usage_counts, usage_span) = front.finish(back);
    let Small {
        accounts,
        revenue,
        renewals,
        surveys,
        tickets,
        touchpoints,
        campaigns,
        costs,
        leads,
        orders,
    } = small;
    let mut data = Data {
        accounts,
        revenue,
        renewals,
        surveys,
        tickets,
        usage: Vec::new(),
        touchpoints,
        campaigns,
        costs,
        leads,
        orders,
        usage_counts,
        coverage: Coverage::default(),
    }
    .with_coverage_from_rows();
    data.usage = usage;
    // every row of the other datasets is loaded: their coverage comes from the rows (no
    // second scan); usage from the dates of all rows seen while scanning
    let month_of = |t: &str| t.get(..7).and_then(Month::parse);
    match usage_span.and_then(|(a, b)| Some((month_of(&a)?, month_of(&b)?))) {
        Some((a, b)) => data.coverage.set(Kind::Usage, a, b),
        None => data.coverage.spans.retain(|(k, _, _)| *k != Kind::Usage),
    }
    Ok(data)
}

/// Every dataset but usage (the visible rows).
fn small(conn: &Connection, hidden: &Hidden) -> Result<Small> {
    let w = hidden.where_();
    let prec = Precedence::of(conn)?;
    // one row per account: a later batch's row replaces an earlier one
    let mut accounts: Vec<Account> = Vec::new();
    let mut pos: HashMap<String, usize> = HashMap::new();
    for a in query(
        conn,
        &format!("SELECT account_id, name, segment, plan, owner, region, start_date, churn_date, renewal_date, seats, mrr, onboarded_date
         FROM accounts{w} ORDER BY batch_id, src_row"),
        &[],
        |r| {
            Ok(Account {
                account_id: r.get(0)?,
                name: r.get(1)?,
                segment: r.get(2)?,
                plan: r.get(3)?,
                owner: r.get(4)?,
                region: r.get(5)?,
                start_date: opt_date(r, 6)?,
                churn_date: opt_date(r, 7)?,
                renewal_date: opt_date(r, 8)?,
                seats: r.get(9)?,
                mrr: r.get(10)?,
                onboarded_date: opt_date(r, 11)?,
            })
        },
    )? {
        match pos.get(&a.account_id) {
            Some(&i) => accounts[i] = a,
            None => {
                pos.insert(a.account_id.clone(), accounts.len());
                accounts.push(a);
            }
        }
    }
    let revenue = effective(
        conn,
        hidden,
        &prec,
        Kind::Revenue,
        "account_id, month, mrr",
        |r| {
            Ok(Revenue {
                account_id: r.get(0)?,
                month: month(r, 1)?,
                mrr: r.get(2)?,
            })
        },
    )?;
    let renewals = effective(
        conn,
        hidden,
        &prec,
        Kind::Renewals,
        "account_id, due_date, outcome, amount",
        |r| {
            let o: String = r.get(2)?;
            Ok(Renewal {
                account_id: r.get(0)?,
                due_date: date(r, 1)?,
                outcome: match o.as_str() {
                    "renewed" => Outcome::Renewed,
                    "churned" => Outcome::Churned,
                    _ => Outcome::Open,
                },
                amount: r.get(3)?,
            })
        },
    )?;
    let surveys = effective(
        conn,
        hidden,
        &prec,
        Kind::Surveys,
        "account_id, date, nps, csat, ces, comment",
        |r| {
            Ok(Survey {
                account_id: r.get(0)?,
                date: date(r, 1)?,
                nps: r.get(2)?,
                csat: r.get(3)?,
                ces: r.get(4)?,
                comment: r.get(5)?,
            })
        },
    )?;
    let tickets = effective(
        conn,
        hidden,
        &prec,
        Kind::Tickets,
        "account_id, created_at, first_response_at, first_response_minutes, resolved_at, contacts, first_contact_resolution",
        |r| {
            Ok(Ticket {
                account_id: r.get(0)?,
                created_at: datetime(r, 1)?,
                first_response_at: opt_datetime(r, 2)?,
                first_response_minutes: r.get(3)?,
                resolved_at: opt_datetime(r, 4)?,
                contacts: r.get(5)?,
                first_contact_resolution: r.get::<_, Option<i64>>(6)?.map(|v| v != 0),
            })
        },
    )?;
    let touchpoints = effective(
        conn,
        hidden,
        &prec,
        Kind::Touchpoints,
        "account_id, date",
        |r| {
            Ok(Touchpoint {
                account_id: r.get(0)?,
                date: date(r, 1)?,
            })
        },
    )?;
    let campaigns = effective(
        conn,
        hidden,
        &prec,
        Kind::Campaigns,
        "date, channel, sent, delivered, opened, clicked, converted, unsubscribed, page_views, sessions,
                bounces, exits, duration_seconds, likes, shares, comments, clicks, registrations, attendees
        ",
        |r| {
            let ch: String = r.get(1)?;
            let n = |i: usize| r.get::<_, Option<f64>>(i);
            Ok(Campaign {
                date: date(r, 0)?,
                channel: match ch.as_str() {
                    "email" => Channel::Email,
                    "web" => Channel::Web,
                    "social" => Channel::Social,
                    "event" => Channel::Event,
                    _ => Channel::Other,
                },
                sent: n(2)?,
                delivered: n(3)?,
                opened: n(4)?,
                clicked: n(5)?,
                converted: n(6)?,
                unsubscribed: n(7)?,
                page_views: n(8)?,
                sessions: n(9)?,
                bounces: n(10)?,
                exits: n(11)?,
                duration_seconds: n(12)?,
                likes: n(13)?,
                shares: n(14)?,
                comments: n(15)?,
                clicks: n(16)?,
                registrations: n(17)?,
                attendees: n(18)?,
            })
        },
    )?;
    let costs = effective(
        conn,
        hidden,
        &prec,
        Kind::Costs,
        "month, type, amount",
        |r| {
            let t: String = r.get(1)?;
            Ok(Cost {
                month: month(r, 0)?,
                cost_type: if t == "acquisition" {
                    CostType::Acquisition
                } else {
                    CostType::Retention
                },
                amount: r.get(2)?,
            })
        },
    )?;
    let leads = effective(
        conn,
        hidden,
        &prec,
        Kind::Leads,
        "created_date, converted_date, type",
        |r| {
            Ok(Lead {
                created_date: date(r, 0)?,
                converted_date: opt_date(r, 1)?,
                trial: r.get::<_, Option<String>>(2)?.as_deref() == Some("trial"),
            })
        },
    )?;
    let orders = effective(
        conn,
        hidden,
        &prec,
        Kind::Orders,
        "account_id, date, amount",
        |r| {
            Ok(Order {
                account_id: r.get(0)?,
                date: date(r, 1)?,
                amount: r.get(2)?,
            })
        },
    )?;
    Ok(Small {
        accounts,
        revenue,
        renewals,
        surveys,
        tickets,
        touchpoints,
        campaigns,
        costs,
        leads,
        orders,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{self, DemoOptions};

    /// The two-connection read (rowid ranges shared, counts merged) gives what one
    /// connection reading everything in order gives.
    #[test]
    fn two_connections_read_what_one_reads() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("cs.db");
        let mut store = crate::store::Store::open(&path).expect("open");
        let opts = DemoOptions {
            usage_rows: Some(20_000),
            ..DemoOptions::default()
        };
        demo::load(&mut store, &opts).expect("demo");
        assert!(second_connection(&path).is_some());
        let month = store.latest_month().expect("month").expect("data");
        let lean: Vec<Month> = (-11..=-2).map(|k| month.plus(k)).collect();
        let ranges = [
            UsageMonths::All,
            UsageMonths::Range {
                first: month.plus(-12),
                last: month,
                lean: &lean,
            },
            UsageMonths::Range {
                first: month.plus(-1),
                last: month,
                lean: &[],
            },
        ];
        for months in ranges {
            let two = data(&store.conn, &path, months).expect("two connections");
            // not a file: everything on the one connection
            let one = data(&store.conn, Path::new(""), months).expect("one connection");
            assert!(!two.usage.is_empty());
            assert_eq!(two.usage, one.usage, "{months:?}");
            assert_eq!(two.usage_counts, one.usage_counts, "{months:?}");
            assert_eq!(two.accounts, one.accounts);
            assert_eq!(two.revenue, one.revenue);
            assert_eq!(two.tickets, one.tickets);
            assert_eq!(two.surveys, one.surveys);
            assert_eq!(two.touchpoints, one.touchpoints);
            for kind in Kind::ALL {
                assert_eq!(two.coverage.span(kind), one.coverage.span(kind));
            }
        }
    }

    /// `coverage` takes the usage span from the batches' stored periods; it is the span of
    /// the rows, and a usage batch without a period falls back to scanning them.
    #[test]
    fn the_usage_span_of_the_batch_periods_is_that_of_the_rows() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("cs.db");
        let mut store = crate::store::Store::open(&path).expect("open");
        let opts = DemoOptions {
            usage_rows: Some(5_000),
            ..DemoOptions::default()
        };
        demo::load(&mut store, &opts).expect("demo");
        let conn = &store.conn;
        let span = || {
            let hidden = Hidden::of(conn).expect("hidden");
            coverage(conn, &hidden).expect("coverage").span(Kind::Usage)
        };
        let scanned = data(conn, Path::new(""), UsageMonths::All)
            .expect("rows")
            .coverage
            .span(Kind::Usage);
        assert!(scanned.is_some());
        assert_eq!(span(), scanned);
        // the periods are what it reads: a wider stored period widens the span
        conn.execute_batch("UPDATE batches SET period_first = '2001-02-03' WHERE kind = 'usage'")
            .expect("period");
        assert_eq!(span().map(|s| s.0), Month::parse("2001-02"));
        // a batch with rows but no period: the rows are scanned
        conn.execute_batch("UPDATE batches SET period_first = NULL WHERE kind = 'usage'")
            .expect("no period");
        assert_eq!(span(), scanned);
    }

    #[test]
    fn usage_ranges_cover_the_rowids_once_in_order() {
        let conn = Connection::open_in_memory().expect("memory");
        conn.execute_batch("CREATE TABLE usage (x)").expect("table");
        assert!(usage_chunks(&conn).expect("empty").is_empty());
        for (lo, hi) in [
            (1, 1),
            (1, 31),
            (1, 1_000_003),
            (-5, 7),
            (i64::MIN, i64::MAX),
        ] {
            conn.execute_batch("DELETE FROM usage").expect("delete");
            conn.execute(
                "INSERT OR IGNORE INTO usage (rowid, x) VALUES (?1, 0), (?2, 0)",
                [lo, hi],
            )
            .expect("rows");
            let chunks = usage_chunks(&conn).expect("chunks");
            assert!(chunks.len() as i64 <= USAGE_CHUNKS + 1, "{lo}..{hi}");
            assert_eq!(chunks.first().map(|c| c.0), Some(lo));
            assert_eq!(chunks.last().map(|c| c.1), Some(hi));
            for w in chunks.windows(2) {
                assert!(w[0].0 <= w[0].1 && w[0].1.checked_add(1) == Some(w[1].0));
            }
        }
    }
}
