//! Product usage: MAU, DAU, stickiness, session length, user/feature adoption, usage rate.

use super::{no_data, pct, ratio, Ctx, Miss, Val};
use crate::month::Month;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// Usage of one month, per account index of the activity (`None`: not a known account).
#[derive(Default)]
pub struct MonthUsage<'a> {
    pub rows: usize,
    /// Distinct (account, user).
    pub users: HashSet<(&'a str, &'a str)>,
    /// Per account id: distinct users, distinct days, distinct features.
    pub by_account: HashMap<&'a str, AccountUsage<'a>>,
    pub day_users: f64,
    pub features: HashSet<&'a str>,
    pub session_seconds: f64,
    pub sessions_timed: f64,
    pub any_timed: bool,
}

#[derive(Default)]
pub struct AccountUsage<'a> {
    pub users: HashSet<&'a str>,
    pub days: HashSet<u32>,
    pub features: HashSet<&'a str>,
}

/// Everything usage-based KPIs and the score need from month `m`, in one pass.
pub fn month_usage<'a>(data: &'a crate::model::Data, m: Month) -> MonthUsage<'a> {
    month_usage_with(data, m, true)
}

/// What the CS score reads of a month's usage.
pub struct ScoreUsage<'a> {
    pub rows: usize,
    by_account: ByAccount<'a>,
}

/// Per account id: (distinct days, distinct users); the loaded counts as they are.
enum ByAccount<'a> {
    Counted(&'a HashMap<String, (u32, u32)>),
    Scanned(HashMap<&'a str, (u32, u32)>),
}

impl ScoreUsage<'_> {
    /// (distinct days, distinct users) of account `id`; `None` without usage rows.
    pub fn get(&self, id: &str) -> Option<(u32, u32)> {
        match &self.by_account {
            ByAccount::Counted(m) => m.get(id).copied(),
            ByAccount::Scanned(m) => m.get(id).copied(),
        }
    }
}

/// Only what the CS score reads: `rows` and each account's distinct users and days
/// (no company-wide sets, features or session times), about half the hashing; from
/// `data.usage_counts` when the month's rows were only counted while loading.
pub fn score_usage<'a>(data: &'a crate::model::Data, m: Month) -> ScoreUsage<'a> {
    if let Some(c) = data.usage_counts.iter().find(|c| c.month == m) {
        return ScoreUsage {
            rows: c.rows,
            by_account: ByAccount::Counted(&c.by_account),
        };
    }
    let u = month_usage_with(data, m, false);
    ScoreUsage {
        rows: u.rows,
        by_account: ByAccount::Scanned(
            u.by_account
                .into_iter()
                .map(|(k, a)| (k, (a.days.len() as u32, a.users.len() as u32)))
                .collect(),
        ),
    }
}

fn month_usage_with<'a>(data: &'a crate::model::Data, m: Month, all: bool) -> MonthUsage<'a> {
    let (first, last) = (m.first_day(), m.last_day());
    let mut u = MonthUsage::default();
    let mut day_users: HashSet<(u32, &str, &str)> = HashSet::default();
    for r in data
        .usage
        .iter()
        .filter(|r| r.date >= first && r.date <= last)
    {
        use chrono::Datelike;
        u.rows += 1;
        let (a, user) = (r.account_id.as_str(), r.user_id.as_str());
        let acc = u.by_account.entry(a).or_default();
        acc.users.insert(user);
        acc.days.insert(r.date.day());
        if !all {
            continue;
        }
        u.users.insert((a, user));
        day_users.insert((r.date.day(), a, user));
        if let Some(f) = r.feature.as_deref() {
            acc.features.insert(f);
            u.features.insert(f);
        }
        if let Some(s) = r.session_seconds {
            u.any_timed = true;
            u.session_seconds += s;
            u.sessions_timed += r.sessions.unwrap_or(1) as f64;
        }
    }
    u.day_users = day_users.len() as f64;
    u
}

pub(super) fn all(c: &Ctx, push: &mut impl FnMut(&str, Val)) {
    let m = c.month;
    let u = month_usage(c.data, m);
    let has = if u.rows == 0 {
        Err(no_data("usage"))
    } else {
        Ok(())
    };
    let guard = |v: Val| -> Val { has.clone().and(v) };
    let mau = u.users.len() as f64;
    let dau = u.day_users / m.days() as f64;
    push("mau", guard(Ok(mau)));
    push("dau", guard(Ok(dau)));
    push("stickiness", guard(pct(dau, mau)));
    push(
        "avg_session_minutes",
        guard(if u.any_timed {
            ratio(u.session_seconds, u.sessions_timed).map(|s| s / 60.0)
        } else {
            Err(no_data("usage.session_seconds"))
        }),
    );

    let act = &c.activity;
    let active: Result<Vec<usize>, Miss> = act.require(m).map(|_| act.active_in(m).collect());
    let user_adoption = || -> Val {
        let active = active.clone()?;
        if !c.data.coverage.has_field("accounts.seats", || {
            c.data
                .accounts
                .iter()
                .any(|a| a.seats.is_some_and(|s| s > 0))
        }) {
            return Err(no_data("accounts.seats"));
        }
        let seats: HashMap<&str, i64> = c
            .data
            .accounts
            .iter()
            .filter_map(|a| {
                a.seats
                    .filter(|s| *s > 0)
                    .map(|s| (a.account_id.as_str(), s))
            })
            .collect();
        let (mut used, mut total) = (0.0, 0.0);
        for i in active {
            if let Some(&s) = seats.get(act.id(i)) {
                let users = u.by_account.get(act.id(i)).map_or(0, |a| a.users.len()) as i64;
                used += users.min(s) as f64;
                total += s as f64;
            }
        }
        pct(used, total)
    };
    push("user_adoption", guard(user_adoption()));
    let feature_adoption = || -> Val {
        let active = active.clone()?;
        if u.features.is_empty() {
            return Err(no_data("usage.feature"));
        }
        let all = u.features.len() as f64;
        let shares: Vec<f64> = active
            .iter()
            .map(|&i| u.by_account.get(act.id(i)).map_or(0, |a| a.features.len()) as f64 / all)
            .collect();
        pct(shares.iter().sum(), shares.len() as f64)
    };
    push("feature_adoption", guard(feature_adoption()));
    let usage_rate = || -> Val {
        let active = active.clone()?;
        let using = active
            .iter()
            .filter(|&&i| u.by_account.contains_key(act.id(i)))
            .count();
        pct(using as f64, active.len() as f64)
    };
    push("product_usage_rate", guard(usage_rate()));
}
