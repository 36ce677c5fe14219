//! Revenue & retention: MRR and its movements, customers, churn, NDR/GRR, ARPA, renewals, CLV.

use super::{covered, no_data, pct, ratio, Ctx, Miss, Val};
use crate::model::{Kind, Outcome};
use crate::month::Month;

/// The month's MRR movements against the month before (`kpis.md`, revenue & retention).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Flows {
    pub mrr: f64,
    pub mrr_prev: f64,
    pub mrr_new: f64,
    pub mrr_reactivation: f64,
    pub mrr_expansion: f64,
    pub mrr_contraction: f64,
    pub mrr_churned: f64,
    pub customers: f64,
    pub customers_prev: f64,
    pub customers_new: f64,
    pub customers_churned: f64,
    pub customers_reactivated: f64,
}

/// Flows of month `m`; `no_data` unless activity is known for `m` and `m − 1`.
pub fn flows(c: &Ctx, m: Month) -> Result<Flows, Miss> {
    let act = &c.activity;
    act.require(m)?;
    // the month itself is known but not the one before (the first month of the data)
    act.require(m.plus(-1)).map_err(|_| match act.basis {
        super::activity::Basis::Accounts => no_data("accounts.previous_month"),
        _ => no_data("revenue.previous_month"),
    })?;
    let prev = m.plus(-1);
    let mut f = Flows::default();
    for i in 0..act.len() {
        let (now_on, prev_on) = (act.active(i, m), act.active(i, prev));
        let (now, before) = (act.mrr(i, m), act.mrr(i, prev));
        f.mrr += now;
        f.mrr_prev += before;
        if now_on {
            f.customers += 1.0;
        }
        if prev_on {
            f.customers_prev += 1.0;
        }
        match (prev_on, now_on) {
            (true, true) => {
                f.mrr_expansion += (now - before).max(0.0);
                f.mrr_contraction += (before - now).max(0.0);
            }
            (true, false) => {
                f.customers_churned += 1.0;
                f.mrr_churned += before;
            }
            (false, true) if act.active_before(i, prev) => {
                f.customers_reactivated += 1.0;
                f.mrr_reactivation += now;
            }
            (false, true) => {
                f.customers_new += 1.0;
                f.mrr_new += now;
            }
            (false, false) => {}
        }
    }
    Ok(f)
}

/// Accounts active in `m`.
pub fn customers(c: &Ctx, m: Month) -> Val {
    c.activity.require(m)?;
    Ok(c.activity.active_in(m).count() as f64)
}

/// The monthly churn rate `c` of `clv`: churned over active-at-start, summed over the 12
/// months M−11..M; months without data on both sides are skipped.
pub fn churn_rate_12m(c: &Ctx) -> Val {
    let (mut churned, mut at_start, mut months) = (0.0, 0.0, 0);
    for k in -11..=0 {
        if let Ok(f) = flows(c, c.month.plus(k)) {
            churned += f.customers_churned;
            at_start += f.customers_prev;
            months += 1;
        }
    }
    if months == 0 {
        return Err(no_data(match c.activity.basis {
            super::activity::Basis::Accounts => "accounts",
            _ => "revenue",
        }));
    }
    let rate = ratio(churned, at_start)?;
    if rate == 0.0 {
        Err(Miss::Undefined)
    } else {
        Ok(rate)
    }
}

pub fn arpa(c: &Ctx) -> Val {
    c.activity.require_mrr(c.month)?;
    ratio(c.activity.total_mrr(c.month)?, customers(c, c.month)?)
}

pub fn clv(c: &Ctx) -> Val {
    let arpa = arpa(c)?;
    Ok(arpa * c.settings.gross_margin / churn_rate_12m(c)?)
}

fn renewal_rate(c: &Ctx) -> Val {
    let m = c.month;
    if !c.data.renewals.is_empty() {
        covered(c.data, Kind::Renewals, m)?;
        let due = c.data.renewals.iter().filter(|r| m.contains(r.due_date));
        let (mut renewed, mut decided) = (0.0, 0.0);
        for r in due {
            match r.outcome {
                Outcome::Renewed => {
                    renewed += 1.0;
                    decided += 1.0;
                }
                Outcome::Churned => decided += 1.0,
                Outcome::Open => {}
            }
        }
        return pct(renewed, decided);
    }
    if !c.data.accounts.iter().any(|a| a.renewal_date.is_some()) {
        return Err(Miss::NoData(vec!["renewals"]));
    }
    let (mut renewed, mut due) = (0.0, 0.0);
    for a in &c.data.accounts {
        if let Some(r) = a.renewal_date.filter(|d| m.contains(*d)) {
            due += 1.0;
            if a.churn_date.is_none_or(|ch| ch > r) {
                renewed += 1.0;
            }
        }
    }
    pct(renewed, due)
}

fn ndr_12m(c: &Ctx) -> Val {
    let act = &c.activity;
    let (m, base) = (c.month, c.month.plus(-12));
    act.require_mrr(m)?;
    act.require_mrr(base)?;
    let (mut now, mut then) = (0.0, 0.0);
    for i in act.active_in(base) {
        now += act.mrr(i, m);
        then += act.mrr(i, base);
    }
    pct(now, then)
}

pub(super) fn all(c: &Ctx, push: &mut impl FnMut(&str, Val)) {
    let m = c.month;
    let f = flows(c, m);
    let mrr_f = |g: fn(&Flows) -> f64| -> Val {
        c.activity.require_mrr(m)?;
        f.as_ref().map(g).map_err(Clone::clone)
    };
    let count_f = |g: fn(&Flows) -> f64| -> Val { f.as_ref().map(g).map_err(Clone::clone) };
    push("mrr", c.activity.total_mrr(m));
    push("mrr_new", mrr_f(|f| f.mrr_new));
    push("mrr_reactivation", mrr_f(|f| f.mrr_reactivation));
    push("mrr_expansion", mrr_f(|f| f.mrr_expansion));
    push("mrr_contraction", mrr_f(|f| f.mrr_contraction));
    push("mrr_churned", mrr_f(|f| f.mrr_churned));
    push(
        "mrr_growth",
        mrr_f(|f| f.mrr - f.mrr_prev).and_then(|d| pct(d, mrr_f(|f| f.mrr_prev)?)),
    );
    push("customers", customers(c, m));
    push("customers_new", count_f(|f| f.customers_new));
    push("customers_churned", count_f(|f| f.customers_churned));
    push(
        "logo_churn_rate",
        count_f(|f| f.customers_churned).and_then(|x| pct(x, count_f(|f| f.customers_prev)?)),
    );
    push(
        "revenue_churn_rate",
        mrr_f(|f| f.mrr_churned + f.mrr_contraction).and_then(|x| pct(x, mrr_f(|f| f.mrr_prev)?)),
    );
    push(
        "ndr",
        mrr_f(|f| f.mrr_prev + f.mrr_expansion - f.mrr_contraction - f.mrr_churned)
            .and_then(|x| pct(x, mrr_f(|f| f.mrr_prev)?)),
    );
    push(
        "grr",
        mrr_f(|f| f.mrr_prev - f.mrr_contraction - f.mrr_churned)
            .and_then(|x| pct(x, mrr_f(|f| f.mrr_prev)?)),
    );
    push("ndr_12m", ndr_12m(c));
    push("arpa", arpa(c));
    push(
        "quick_ratio",
        mrr_f(|f| f.mrr_new + f.mrr_reactivation + f.mrr_expansion)
            .and_then(|x| ratio(x, mrr_f(|f| f.mrr_contraction + f.mrr_churned)?)),
    );
    push("renewal_rate", renewal_rate(c));
    push("clv", clv(c));
}
