//! Reading the stored rows back into the typed [`Data`] the KPI and score code reads.

use crate::error::{Error, Result};
use crate::model::*;
use crate::month::Month;
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, Row};
use std::collections::HashMap;

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

/// First and last month per dated dataset, from all stored rows.
pub fn coverage(conn: &Connection) -> Result<Coverage> {
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
        // no date indexes: both in one scan
        let (first, last): (Option<String>, Option<String>) = conn.query_row(
            &format!("SELECT min({col}), max({col}) FROM {table}"),
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

/// The usage rows of `months`, in one scan of the table that also finds the first and
/// last date of all rows (the table has no index: a scan per question would cost more).
fn usage(
    conn: &Connection,
    months: UsageMonths,
) -> Result<(Vec<Usage>, Vec<UsageCounts>, TextSpan)> {
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
    let mut stmt = conn.prepare(
        "SELECT date, account_id, user_id, sessions, session_seconds, feature FROM usage",
    )?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    let mut span: TextSpan = None;
    // lean months: interned account and user ids, per (month, account) the day bits and
    // distinct users, the distinct (month, account, user) seen, the rows per month
    let mut acc_ids: rustc_hash::FxHashMap<String, u32> = Default::default();
    let mut user_ids: rustc_hash::FxHashMap<String, u32> = Default::default();
    let mut per: rustc_hash::FxHashMap<(i32, u32), (u32, u32)> = Default::default();
    let mut seen: rustc_hash::FxHashSet<(i32, u32, u32)> = Default::default();
    let mut lean_rows: Vec<usize> = vec![0; lean.len()];
    fn intern(ids: &mut rustc_hash::FxHashMap<String, u32>, s: &str) -> u32 {
        match ids.get(s) {
            Some(&i) => i,
            None => {
                let i = ids.len() as u32;
                ids.insert(s.to_owned(), i);
                i
            }
        }
    }
    fn text<'r>(r: &'r Row, i: usize) -> rusqlite::Result<&'r str> {
        Ok(r.get_ref(i)?.as_str()?)
    }
    while let Some(r) = rows.next()? {
        let v = r.get_ref(0)?;
        if v == rusqlite::types::ValueRef::Null {
            continue; // min()/max() and the range skip NULL
        }
        let t = v.as_str().map_err(rusqlite::Error::from)?;
        match &mut span {
            None => span = Some((t.to_owned(), t.to_owned())),
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
        if let Some(k) = lean.iter().position(|&l| l == m) {
            use chrono::Datelike;
            lean_rows[k] += 1;
            let a = intern(&mut acc_ids, text(r, 1)?);
            let u = intern(&mut user_ids, text(r, 2)?);
            let e = per.entry((m.index(), a)).or_default();
            e.0 |= 1 << (d.day() - 1);
            if seen.insert((m.index(), a, u)) {
                e.1 += 1;
            }
            continue;
        }
        out.push(Usage {
            account_id: r.get(1)?,
            user_id: r.get(2)?,
            date: d,
            sessions: r.get(3)?,
            session_seconds: r.get(4)?,
            feature: r.get(5)?,
        });
    }
    let mut names = vec![""; acc_ids.len()];
    for (s, &i) in &acc_ids {
        names[i as usize] = s.as_str();
    }
    let mut counts: Vec<UsageCounts> = lean
        .iter()
        .zip(lean_rows)
        .map(|(&month, rows)| UsageCounts {
            month,
            rows,
            by_account: Default::default(),
        })
        .collect();
    for ((mi, a), (bits, users)) in per {
        if let Some(c) = counts.iter_mut().find(|c| c.month.index() == mi) {
            c.by_account
                .insert(names[a as usize].to_owned(), (bits.count_ones(), users));
        }
    }
    Ok((out, counts, span))
}

/// All datasets; usage only for the months `first..=last` when a range is given.
pub fn data(conn: &Connection, usage_months: UsageMonths) -> Result<Data> {
    // one row per account: a later batch's row replaces an earlier one
    let mut accounts: Vec<Account> = Vec::new();
    let mut pos: HashMap<String, usize> = HashMap::new();
    for a in query(
        conn,
        "SELECT account_id, name, segment, plan, owner, region, start_date, churn_date, renewal_date, seats, mrr, onboarded_date
         FROM accounts ORDER BY batch_id, src_row",
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
    let revenue = query(
        conn,
        "SELECT account_id, month, mrr FROM revenue",
        &[],
        |r| {
            Ok(Revenue {
                account_id: r.get(0)?,
                month: month(r, 1)?,
                mrr: r.get(2)?,
            })
        },
    )?;
    let renewals = query(
        conn,
        "SELECT account_id, due_date, outcome, amount FROM renewals",
        &[],
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
    let surveys = query(
        conn,
        "SELECT account_id, date, nps, csat, ces, comment FROM surveys",
        &[],
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
    let tickets = query(
        conn,
        "SELECT account_id, created_at, first_response_at, first_response_minutes, resolved_at, contacts, first_contact_resolution FROM tickets",
        &[],
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
    let (usage, usage_counts, usage_span) = usage(conn, usage_months)?;
    let touchpoints = query(conn, "SELECT account_id, date FROM touchpoints", &[], |r| {
        Ok(Touchpoint {
            account_id: r.get(0)?,
            date: date(r, 1)?,
        })
    })?;
    let campaigns = query(
        conn,
        "SELECT date, channel, sent, delivered, opened, clicked, converted, unsubscribed, page_views, sessions,
                bounces, exits, duration_seconds, likes, shares, comments, clicks, registrations, attendees
         FROM campaigns",
        &[],
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
    let costs = query(conn, "SELECT month, type, amount FROM costs", &[], |r| {
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
    })?;
    let leads = query(
        conn,
        "SELECT created_date, converted_date, type FROM leads",
        &[],
        |r| {
            Ok(Lead {
                created_date: date(r, 0)?,
                converted_date: opt_date(r, 1)?,
                trial: r.get::<_, Option<String>>(2)?.as_deref() == Some("trial"),
            })
        },
    )?;
    let orders = query(
        conn,
        "SELECT account_id, date, amount FROM orders",
        &[],
        |r| {
            Ok(Order {
                account_id: r.get(0)?,
                date: date(r, 1)?,
                amount: r.get(2)?,
            })
        },
    )?;
    let mut data = Data {
        accounts,
        revenue,
        renewals,
        surveys,
        tickets,
        usage,
        touchpoints,
        campaigns,
        costs,
        leads,
        orders,
        usage_counts,
        coverage: Coverage::default(),
    }
    .with_coverage_from_rows();
    // every row of the other datasets is loaded: their coverage comes from the rows (no
    // second scan); usage from the dates of all rows seen while scanning
    let month_of = |t: &str| t.get(..7).and_then(Month::parse);
    match usage_span.and_then(|(a, b)| Some((month_of(&a)?, month_of(&b)?))) {
        Some((a, b)) => data.coverage.set(Kind::Usage, a, b),
        None => data.coverage.spans.retain(|(k, _, _)| *k != Kind::Usage),
    }
    Ok(data)
}
