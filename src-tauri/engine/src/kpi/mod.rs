//! Every KPI of `kpis.md` for one month: pure functions, data and a month in, numbers out.
//!
//! Each KPI is written as a function returning [`Val`], `Result<f64, Miss>`: `?` carries a
//! missing input (`no_data`, with what it needs) or a division by zero (`undefined`) from
//! one KPI into every KPI built on it, so `ltv_cac` is undefined exactly when `cac` is.
//!
//! Which KPIs there are, with their group, unit, better direction, default target and the
//! datasets they rest on: [`catalogue`].

mod activity;
pub mod catalogue;
mod engagement;
mod growth;
mod retention;
mod support;
mod usage;
mod voice;

pub use activity::Activity;
pub use catalogue::{Direction, Group, KpiInfo, Unit};
pub use retention::{flows, Flows};
pub use usage::month_usage as usage_of_month;
pub use usage::score_usage;
pub use voice::{ces, csat, nps};

use crate::model::{Data, Kind};
use crate::month::Month;
use crate::score::ScoreReport;
use crate::settings::Settings;
use serde::{Deserialize, Serialize};

/// The state of one KPI value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Ok,
    /// An input dataset or field is missing for this month (`needs` says which).
    NoData,
    /// The formula divides by zero (e.g. churn rate of a month without customers).
    Undefined,
}

/// One KPI: `value` is `None` unless `status` is `Ok`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Kpi {
    pub id: String,
    pub value: Option<f64>,
    pub status: Status,
    /// Datasets or `dataset.field`s whose absence makes this `no_data`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub needs: Vec<String>,
}

/// All KPIs of a month, in the order of `kpis.md`.
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
pub struct KpiReport {
    #[ts(type = "string")]
    pub month: Month,
    pub kpis: Vec<Kpi>,
}

impl KpiReport {
    pub fn get(&self, id: &str) -> Option<&Kpi> {
        self.kpis.iter().find(|k| k.id == id)
    }
    pub fn value(&self, id: &str) -> Option<f64> {
        self.get(id).and_then(|k| k.value)
    }
}

/// Why a KPI has no value.
#[derive(Clone, Debug, PartialEq)]
pub enum Miss {
    NoData(Vec<&'static str>),
    Undefined,
}

pub type Val = Result<f64, Miss>;

pub(crate) fn no_data(needs: &'static str) -> Miss {
    Miss::NoData(vec![needs])
}

/// `a / b`, undefined when `b` is 0.
pub(crate) fn ratio(a: f64, b: f64) -> Val {
    if b == 0.0 {
        Err(Miss::Undefined)
    } else {
        Ok(a / b)
    }
}

pub(crate) fn pct(a: f64, b: f64) -> Val {
    ratio(a, b).map(|v| v * 100.0)
}

/// Median; mean of the two middle values for an even count; undefined for none.
pub(crate) fn median(mut xs: Vec<f64>) -> Val {
    if xs.is_empty() {
        return Err(Miss::Undefined);
    }
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    Ok(if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    })
}

/// `no_data` unless `kind`'s rows cover month `m`.
pub(crate) fn covered(data: &Data, kind: Kind, m: Month) -> Result<(), Miss> {
    if data.coverage.covers(kind, m) {
        Ok(())
    } else {
        Err(Miss::NoData(vec![kind.id()]))
    }
}

/// What every KPI function gets: the data, the month, the settings, and the account
/// activity derived once from revenue (or accounts).
pub struct Ctx<'a> {
    pub data: &'a Data,
    pub month: Month,
    pub settings: &'a Settings,
    pub activity: &'a Activity<'a>,
}

/// The 90-day window of month `m`: its last day and the 89 days before.
pub fn window_90(m: Month) -> (chrono::NaiveDate, chrono::NaiveDate) {
    let end = m.last_day();
    (end - chrono::Duration::days(89), end)
}

/// Computes every KPI of `kpis.md` for `month`, including the company-level score KPIs
/// taken from `scores` (computed by [`crate::score::compute`] for the same month).
pub fn compute(data: &Data, month: Month, settings: &Settings, scores: &ScoreReport) -> KpiReport {
    compute_with(data, &Activity::new(data), month, settings, scores)
}

/// As [`compute`] with the activity already derived (for series of months).
pub fn compute_with<'a>(
    data: &'a Data,
    activity: &'a Activity<'a>,
    month: Month,
    settings: &'a Settings,
    scores: &ScoreReport,
) -> KpiReport {
    let ctx = Ctx {
        data,
        month,
        settings,
        activity,
    };
    let mut out = Vec::with_capacity(80);
    let mut push = |id: &str, v: Val| out.push(to_kpi(id, v));
    retention::all(&ctx, &mut push);
    voice::all(&ctx, &mut push);
    support::all(&ctx, &mut push);
    usage::all(&ctx, &mut push);
    engagement::all(&ctx, &mut push);
    growth::all(&ctx, &mut push);
    for (id, v) in scores.company_kpis() {
        push(id, v);
    }
    KpiReport { month, kpis: out }
}

/// Only the KPIs of a month's trend point (`mrr`, `logo_churn_rate`,
/// `revenue_churn_rate`, `ndr`, `grr`, `nps`, `csat`), with the same expressions as
/// [`compute`] (tests check that they agree) but without the other 60-odd KPIs.
pub fn trend_values(ctx: &Ctx) -> Vec<(&'static str, Option<f64>)> {
    let m = ctx.month;
    let act = ctx.activity;
    let f = flows(ctx, m);
    let mrr_f = |g: fn(&Flows) -> f64| -> Val {
        act.require_mrr(m)?;
        f.as_ref().map(g).map_err(Clone::clone)
    };
    let count_f = |g: fn(&Flows) -> f64| -> Val { f.as_ref().map(g).map_err(Clone::clone) };
    let cov = covered(ctx.data, Kind::Surveys, m);
    let (a, b) = (m.first_day(), m.last_day());
    let month = || {
        ctx.data
            .surveys
            .iter()
            .filter(move |s| s.date >= a && s.date <= b)
    };
    let vals: [(&'static str, Val); 7] = [
        ("mrr", act.total_mrr(m)),
        (
            "logo_churn_rate",
            count_f(|f| f.customers_churned).and_then(|x| pct(x, count_f(|f| f.customers_prev)?)),
        ),
        (
            "revenue_churn_rate",
            mrr_f(|f| f.mrr_churned + f.mrr_contraction)
                .and_then(|x| pct(x, mrr_f(|f| f.mrr_prev)?)),
        ),
        (
            "ndr",
            mrr_f(|f| f.mrr_prev + f.mrr_expansion - f.mrr_contraction - f.mrr_churned)
                .and_then(|x| pct(x, mrr_f(|f| f.mrr_prev)?)),
        ),
        (
            "grr",
            mrr_f(|f| f.mrr_prev - f.mrr_contraction - f.mrr_churned)
                .and_then(|x| pct(x, mrr_f(|f| f.mrr_prev)?)),
        ),
        ("nps", cov.clone().and(nps(month()))),
        ("csat", cov.and(csat(month()))),
    ];
    vals.into_iter()
        .map(|(id, v)| (id, to_kpi(id, v).value))
        .collect()
}

fn to_kpi(id: &str, v: Val) -> Kpi {
    match v {
        Ok(x) if x.is_finite() => Kpi {
            id: id.to_owned(),
            // an empty float sum is -0.0: a real zero is shown as 0
            value: Some(x + 0.0),
            status: Status::Ok,
            needs: vec![],
        },
        Ok(_) | Err(Miss::Undefined) => Kpi {
            id: id.to_owned(),
            value: None,
            status: Status::Undefined,
            needs: vec![],
        },
        Err(Miss::NoData(needs)) => {
            let mut needs: Vec<String> = needs.into_iter().map(str::to_owned).collect();
            needs.dedup();
            Kpi {
                id: id.to_owned(),
                value: None,
                status: Status::NoData,
                needs,
            }
        }
    }
}
