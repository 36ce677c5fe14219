//! Growth & costs: lead conversion, onboarding, retention/acquisition costs, orders.

use super::retention::{churn_rate_12m, clv, customers, flows};
use super::{covered, median, no_data, pct, ratio, Ctx, Miss, Val};
use crate::model::{CostType, Kind};
use rustc_hash::FxHashMap as HashMap;

fn conversion(c: &Ctx, trial_only: bool) -> Val {
    let m = c.month;
    covered(c.data, Kind::Leads, m)?;
    let (mut converted, mut n) = (0.0, 0.0);
    for l in c
        .data
        .leads
        .iter()
        .filter(|l| m.contains(l.created_date) && (l.trial || !trial_only))
    {
        n += 1.0;
        if l.converted_date.is_some() {
            converted += 1.0;
        }
    }
    pct(converted, n)
}

fn onboarding(c: &Ctx) -> (Val, Val) {
    let accounts = &c.data.accounts;
    if !c
        .data
        .coverage
        .has_field("accounts", || !accounts.is_empty())
    {
        return (Err(no_data("accounts")), Err(no_data("accounts")));
    }
    if !c.data.coverage.has_field("accounts.onboarded_date", || {
        accounts.iter().any(|a| a.onboarded_date.is_some())
    }) {
        let miss = || Err(Miss::NoData(vec!["accounts.onboarded_date"]));
        return (miss(), miss());
    }
    let prev = c.month.plus(-1);
    let (mut done, mut started) = (0.0, 0.0);
    for a in accounts {
        if let Some(s) = a.start_date.filter(|s| prev.contains(*s)) {
            started += 1.0;
            if a.onboarded_date
                .is_some_and(|o| o >= s && (o - s).num_days() <= 30)
            {
                done += 1.0;
            }
        }
    }
    let days: Vec<f64> = accounts
        .iter()
        .filter_map(|a| match (a.start_date, a.onboarded_date) {
            (Some(s), Some(o)) if c.month.contains(o) => Some((o - s).num_days() as f64),
            _ => None,
        })
        .collect();
    (pct(done, started), median(days))
}

fn costs(c: &Ctx, t: CostType) -> Val {
    covered(c.data, Kind::Costs, c.month)?;
    Ok(c.data
        .costs
        .iter()
        .filter(|r| r.month == c.month && r.cost_type == t)
        .map(|r| r.amount)
        .sum())
}

/// Orders of M−11..M: (Σ amount, number of orders, orders per account).
fn orders_12m<'a>(c: &Ctx<'a>) -> Result<(f64, f64, HashMap<&'a str, u32>), Miss> {
    covered(c.data, Kind::Orders, c.month)?;
    let (from, to) = (c.month.plus(-11).first_day(), c.month.last_day());
    let (mut amount, mut n) = (0.0, 0.0);
    let mut per: HashMap<&str, u32> = HashMap::default();
    for o in c
        .data
        .orders
        .iter()
        .filter(|o| o.date >= from && o.date <= to)
    {
        amount += o.amount;
        n += 1.0;
        *per.entry(o.account_id.as_str()).or_default() += 1;
    }
    Ok((amount, n, per))
}

fn purchase_frequency(c: &Ctx) -> Val {
    let (_, n, per) = orders_12m(c)?;
    ratio(n, per.len() as f64)
}

/// Expected customer lifetime in years: from the subscription churn rate when there is
/// subscription data, else the setting.
fn lifetime_years(c: &Ctx) -> Val {
    match churn_rate_12m(c) {
        Ok(rate) => ratio(1.0, 12.0 * rate),
        Err(Miss::NoData(_)) => Ok(c.settings.lifetime_years),
        Err(e) => Err(e),
    }
}

pub(super) fn all(c: &Ctx, push: &mut impl FnMut(&str, Val)) {
    push("conversion_rate", conversion(c, false));
    push("free_to_paid_rate", conversion(c, true));
    let (rate, days) = onboarding(c);
    push("onboarding_completion_rate", rate);
    push("time_to_onboard_days", days);

    push(
        "crc",
        costs(c, CostType::Retention).and_then(|x| ratio(x, customers(c, c.month)?)),
    );
    let cac =
        || costs(c, CostType::Acquisition).and_then(|x| ratio(x, flows(c, c.month)?.customers_new));
    push("cac", cac());
    push("ltv_cac", clv(c).and_then(|v| ratio(v, cac()?)));

    let m = c.month;
    let month_orders = || -> Result<(f64, f64), Miss> {
        covered(c.data, Kind::Orders, m)?;
        Ok(c.data
            .orders
            .iter()
            .filter(|o| m.contains(o.date))
            .fold((0.0, 0.0), |(s, n), o| (s + o.amount, n + 1.0)))
    };
    push("aov", month_orders().and_then(|(s, n)| ratio(s, n)));
    push("purchase_frequency", purchase_frequency(c));
    push(
        "repeat_purchase_rate",
        orders_12m(c).and_then(|(_, _, per)| {
            pct(
                per.values().filter(|&&k| k >= 2).count() as f64,
                per.len() as f64,
            )
        }),
    );
    let clv_orders = || -> Val {
        let (amount, n, _) = orders_12m(c)?;
        Ok(ratio(amount, n)? * purchase_frequency(c)? * lifetime_years(c)?)
    };
    push("clv_orders", clv_orders());
}
