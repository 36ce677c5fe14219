//! The renewal outlook (`insights.md` §6): what renews in the three months after M, how
//! much it is worth, how safe it is by the account's light, and what it is expected to
//! bring given how each light churned in the backtest at horizon 3.

use crate::explain;
use crate::insights::backtest::{self, Backtest, BacktestStatus};
use crate::kpi::Activity;
use crate::model::Data;
use crate::month::Month;
use crate::score::{Light, ScoreReport};
use crate::settings::{Component, Settings};
use chrono::NaiveDate;
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};

/// The backtest horizon whose churn rates make the expected value.
pub const HORIZON: u32 = 3;

/// Count and value of the renewals of one light.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Due {
    pub count: u32,
    pub value: f64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct DueByLight {
    pub green: Due,
    pub yellow: Due,
    pub red: Due,
    pub not_scored: Due,
}

/// One renewal due.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct DueRenewal {
    pub account_id: String,
    pub name: Option<String>,
    #[ts(type = "string")]
    pub due_date: NaiveDate,
    /// The renewal's amount, else MRR(a, M) × 12.
    pub value: f64,
    /// `None`: not scored in M.
    pub light: Option<Light>,
    pub score: Option<f64>,
    pub owner: Option<String>,
    /// The component with the largest possible gain, as on the account page.
    pub lever: Option<Component>,
}

/// The renewal outlook of month M.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Outlook {
    #[ts(type = "string")]
    pub month: Month,
    #[ts(type = "string")]
    pub from: NaiveDate,
    #[ts(type = "string")]
    pub to: NaiveDate,
    /// The status of the backtest the expected value rests on.
    pub status: BacktestStatus,
    pub lights: DueByLight,
    pub value_at_risk: f64,
    pub value_watch: f64,
    /// Σ value × (1 − churn rate of the light at horizon 3), over scored accounts;
    /// `None` when the backtest is insufficient or a needed light's churn rate undefined.
    pub expected_value: Option<f64>,
    /// Sorted by due date, then account id.
    pub renewals: Vec<DueRenewal>,
}

/// The outlook of `month` from its data (`scores`: the month's scores with the same
/// settings) and the backtest of `month` at horizon 3.
pub fn compute(
    data: &Data,
    month: Month,
    s: &Settings,
    scores: &ScoreReport,
    bt: &Backtest,
) -> Outlook {
    let from = month.last_day() + chrono::Duration::days(1);
    let to = month.plus(3).last_day();
    let act = Activity::new(data);
    let mut accounts: HashMap<&str, &crate::model::Account> = HashMap::default();
    for a in &data.accounts {
        accounts.insert(a.account_id.as_str(), a);
    }
    let in_range = |d: NaiveDate| from <= d && d <= to;
    // with a renewals dataset only its rows count
    let due: Vec<(&str, NaiveDate, Option<f64>)> = if !data.renewals.is_empty() {
        data.renewals
            .iter()
            .filter(|r| in_range(r.due_date))
            .map(|r| (r.account_id.as_str(), r.due_date, r.amount))
            .collect()
    } else {
        data.accounts
            .iter()
            .filter_map(|a| {
                a.renewal_date
                    .filter(|d| in_range(*d))
                    .map(|d| (a.account_id.as_str(), d, None))
            })
            .collect()
    };
    let mut lights = DueByLight::default();
    let mut renewals = Vec::with_capacity(due.len());
    let mut expected = Some(0.0);
    for (id, due_date, amount) in due {
        let value =
            amount.unwrap_or_else(|| act.index_of(id).map_or(0.0, |i| act.mrr(i, month)) * 12.0);
        let sc = scores
            .accounts
            .binary_search_by(|a| a.account_id.as_str().cmp(id))
            .ok()
            .map(|k| &scores.accounts[k]);
        let light = sc.and_then(|a| a.light);
        let slot = match light {
            Some(Light::Green) => &mut lights.green,
            Some(Light::Yellow) => &mut lights.yellow,
            Some(Light::Red) => &mut lights.red,
            None => &mut lights.not_scored,
        };
        slot.count += 1;
        slot.value += value;
        if let Some(l) = light {
            expected = match (expected, bt.lights.get(l).churn_rate) {
                (Some(e), Some(rate)) => Some(e + value * (1.0 - rate / 100.0)),
                _ => None,
            };
        }
        let account = accounts.get(id);
        renewals.push(DueRenewal {
            account_id: id.to_owned(),
            name: account.and_then(|a| a.name.clone()),
            due_date,
            value,
            light,
            score: sc.and_then(|a| a.score),
            owner: account.and_then(|a| a.owner.clone()),
            lever: sc.and_then(|a| explain::lever(a, s)),
        });
    }
    renewals.sort_by(|a, b| {
        a.due_date
            .cmp(&b.due_date)
            .then_with(|| a.account_id.cmp(&b.account_id))
    });
    if bt.status == BacktestStatus::Insufficient {
        expected = None;
    }
    Outlook {
        month,
        from,
        to,
        status: bt.status,
        value_at_risk: lights.red.value,
        value_watch: lights.yellow.value,
        lights,
        expected_value: expected,
        renewals,
    }
}

/// The outlook of `month` (default: the latest with data), from the store; `None` when
/// the store holds no data.
pub fn from_store(
    store: &crate::store::Store,
    month: Option<Month>,
) -> crate::error::Result<Option<Outlook>> {
    let Some((month, settings)) = super::question(store, month, &[])? else {
        return Ok(None);
    };
    // one read: the backtest's months with usage counted, M−2..M in full (M's scores)
    let (first, last) = backtest::observation_span(month, HORIZON);
    let counted: Vec<Month> = (0..=(last.index() - first.index()))
        .map(|k| first.plus(k))
        .collect();
    let data = store.load_months_lean(first, month, &counted)?;
    let scores = crate::score::compute(&data, month, &settings);
    let bt = backtest::compute(&data, month, HORIZON, &settings);
    Ok(Some(compute(&data, month, &settings, &scores, &bt)))
}
