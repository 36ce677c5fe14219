//! Data coverage (`insights.md` §5): how much of the picture the numbers stand on. Per
//! account (components present of six), per dataset (share of the accounts active in M
//! with a row in the window the KPIs use), and for the company (mean account coverage,
//! and per component the share of scored accounts that have it).

use crate::kpi::{score_usage, window_90, Activity};
use crate::model::{Data, Kind};
use crate::month::Month;
use crate::score::{AccountScore, ScoreReport};
use crate::settings::Component;
use rustc_hash::FxHashSet as HashSet;
use serde::{Deserialize, Serialize};

/// One dataset's coverage in M.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct DatasetCoverage {
    pub dataset: Kind,
    /// % of the accounts active in M with at least one row in the window; `None`
    /// (`no_data`) when the dataset has no row at all in that window.
    pub share: Option<f64>,
    /// The accounts active in M with a row, and all accounts active in M.
    pub accounts: u32,
    pub active: u32,
}

/// One score component's coverage: % of the scored accounts that have it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ComponentCoverage {
    pub component: Component,
    pub share: Option<f64>,
}

/// The coverage of month M ("score based on 71 % of the signals").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Coverage {
    #[ts(type = "string")]
    pub month: Month,
    /// Mean account coverage over the accounts scored in M; `None` when none is.
    pub score: Option<f64>,
    pub accounts_scored: u32,
    pub components: Vec<ComponentCoverage>,
    /// revenue, tickets, usage, orders (rows in M), surveys, touchpoints (90-day window).
    pub datasets: Vec<DatasetCoverage>,
}

/// The datasets whose coverage is shown, in this order.
pub const DATASETS: [Kind; 6] = [
    Kind::Revenue,
    Kind::Surveys,
    Kind::Tickets,
    Kind::Usage,
    Kind::Touchpoints,
    Kind::Orders,
];

/// An account's coverage: components present / 6 × 100; `None` when not scored.
pub fn account(a: &AccountScore) -> Option<f64> {
    a.score?;
    let present = Component::ALL
        .iter()
        .filter(|&&c| a.components.get(c).is_some())
        .count();
    Some(present as f64 / Component::ALL.len() as f64 * 100.0)
}

fn pct(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64 * 100.0)
}

/// The coverage of `month` from its data and its scores.
pub fn compute(data: &Data, month: Month, scores: &ScoreReport) -> Coverage {
    let scored: Vec<&AccountScore> = scores
        .accounts
        .iter()
        .filter(|a| a.score.is_some())
        .collect();
    let covs: Vec<f64> = scored.iter().filter_map(|a| account(a)).collect();
    let components = Component::ALL
        .iter()
        .map(|&c| ComponentCoverage {
            component: c,
            share: pct(
                scored
                    .iter()
                    .filter(|a| a.components.get(c).is_some())
                    .count(),
                scored.len(),
            ),
        })
        .collect();
    let act = Activity::new(data);
    let active: Vec<&str> = if act.require(month).is_ok() {
        act.active_in(month).map(|i| act.id(i)).collect()
    } else {
        vec![]
    };
    let (a, b) = (month.first_day(), month.last_day());
    let (w0, w1) = window_90(month);
    let datasets = DATASETS
        .iter()
        .map(|&kind| {
            // (any row in the window, the account ids with one)
            let (any, ids): (bool, HashSet<&str>) = match kind {
                Kind::Revenue => {
                    let ids: HashSet<&str> = data
                        .revenue
                        .iter()
                        .filter(|r| r.month == month)
                        .map(|r| r.account_id.as_str())
                        .collect();
                    (!ids.is_empty(), ids)
                }
                Kind::Tickets => {
                    let rows = data
                        .tickets
                        .iter()
                        .filter(|t| month.contains(t.created_at.date()));
                    let mut any = false;
                    let ids = rows
                        .inspect(|_| any = true)
                        .filter_map(|t| t.account_id.as_deref())
                        .collect();
                    (any, ids)
                }
                Kind::Orders => {
                    let ids: HashSet<&str> = data
                        .orders
                        .iter()
                        .filter(|o| o.date >= a && o.date <= b)
                        .map(|o| o.account_id.as_str())
                        .collect();
                    (!ids.is_empty(), ids)
                }
                Kind::Usage => {
                    let u = score_usage(data, month);
                    let ids = active
                        .iter()
                        .copied()
                        .filter(|id| u.get(id).is_some_and(|(days, _)| days > 0))
                        .collect();
                    (u.rows > 0, ids)
                }
                Kind::Surveys => {
                    let mut any = false;
                    let ids = data
                        .surveys
                        .iter()
                        .filter(|s| s.date >= w0 && s.date <= w1)
                        .inspect(|_| any = true)
                        .filter_map(|s| s.account_id.as_deref())
                        .collect();
                    (any, ids)
                }
                _ => {
                    let ids: HashSet<&str> = data
                        .touchpoints
                        .iter()
                        .filter(|t| t.date >= w0 && t.date <= w1)
                        .map(|t| t.account_id.as_str())
                        .collect();
                    (!ids.is_empty(), ids)
                }
            };
            let with = active.iter().filter(|id| ids.contains(*id)).count();
            DatasetCoverage {
                dataset: kind,
                share: if any { pct(with, active.len()) } else { None },
                accounts: with as u32,
                active: active.len() as u32,
            }
        })
        .collect();
    Coverage {
        month,
        score: (!covs.is_empty()).then(|| covs.iter().sum::<f64>() / covs.len() as f64),
        accounts_scored: scored.len() as u32,
        components,
        datasets,
    }
}
