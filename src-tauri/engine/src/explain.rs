//! The accounts screen and an account's explanation: why an account has its CS score.
//!
//! For each of the six components: its value, the raw input behind it (from
//! [`crate::score::Inputs`]), its weight as set and its share of the score (weights are
//! renormalised over the components that have data, `kpis.md`), the points it contributes,
//! and how many points the score would gain if that component reached 100. The component
//! with the largest gain is the one to work on. Plus the account's score over 12 months.
//!
//! Pure arithmetic on top of `score::compute`: the numbers here add up to the score the
//! dashboard, the CLI and the report show (tests/engine/explain.rs checks that).

use crate::error::{Error, Result};
use crate::kpi::Activity;
use crate::month::Month;
use crate::score::{self, AccountScore, Light, ScoreReport};
use crate::settings::{Component, Settings};
use crate::store::Store;
use crate::window::{self, Span, Window};
use serde::{Deserialize, Serialize};

/// Months of an account's score history (M−11..M).
pub const HISTORY_MONTHS: i32 = window::YEAR;

/// Every account active in the month, for the accounts table.
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct AccountList {
    /// `None` when there is no data at all.
    pub month: Option<String>,
    pub months: Vec<String>,
    /// Sorted by account id; the table sorts and filters on its own.
    pub accounts: Vec<AccountScore>,
    pub currency: String,
}

/// The accounts of `month` (default: the latest month with data) with their scores,
/// lights (and last month's), components, MRR, owner and segment.
pub fn accounts(store: &Store, month: Option<Month>) -> Result<AccountList> {
    let w = Window::open(store, month, Span::Month)?;
    let months = store.months()?.iter().map(Month::to_string).collect();
    let accounts = match w.month {
        None => vec![],
        Some(m) => score::compute(&w.data, m, &w.settings).accounts,
    };
    Ok(AccountList {
        month: w.month.map(|m| m.to_string()),
        months,
        accounts,
        currency: w.settings.currency,
    })
}

/// One component of one account's score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Part {
    pub component: Component,
    /// 0–100; `None` when the account has no data for it (it then does not count).
    pub value: Option<f64>,
    /// The weight as set (settings `weight.<component>`).
    pub weight: f64,
    /// Its share of the score in %: its weight over the weights of the components with data.
    pub share: Option<f64>,
    /// Points of the score it contributes: share × value / 100.
    pub points: Option<f64>,
    /// Points the score would gain if this component were 100 (the others unchanged).
    pub gain: Option<f64>,
    /// What is missing when there is no value: datasets or `dataset.field`s to import.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub needs: Vec<String>,
}

/// One month of an account's score history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct ScorePoint {
    pub month: String,
    pub score: Option<f64>,
    pub light: Option<Light>,
}

/// Why an account has its score.
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Explanation {
    pub month: String,
    /// The account as the accounts table shows it, with the raw inputs.
    pub account: AccountScore,
    /// The six components in display order.
    pub parts: Vec<Part>,
    /// The component whose improvement lifts the score most (`None` without a score or
    /// when every component is already 100).
    pub best: Option<Component>,
    /// M−11..M, oldest first; months where the account was not active have no score.
    pub history: Vec<ScorePoint>,
    pub threshold_green: f64,
    pub threshold_yellow: f64,
    pub target_usage_days: f64,
    pub target_touchpoints: f64,
    pub currency: String,
    /// How the components were scored (`score.method`) and among whom (`score.peers`,
    /// for percentiles).
    pub method: crate::settings::ScoreMethod,
    pub peers: crate::settings::Peers,
}

/// The explanation of `account_id`'s score in `month` (default: the latest month).
/// `Error::UnknownAccount` when the account is not active that month.
pub fn explain(store: &Store, account_id: &str, month: Option<Month>) -> Result<Explanation> {
    // the score of earlier months reads only usage counts: one lean read for all 12
    let Window {
        settings,
        month,
        data,
    } = Window::open(store, month, Span::Scores)?;
    let month = month.ok_or_else(|| Error::UnknownAccount(account_id.to_owned()))?;
    let act = Activity::new(&data);
    let score_of = |r: ScoreReport| r.accounts.into_iter().find(|a| a.account_id == account_id);
    // M−1 gives M's previous lights and the history's M−1
    let before = score::compute_unnamed(&data, &act, month.plus(-1), &settings);
    let scores = score::compute_after(&data, &act, month, &settings, &before);
    let account = score_of(scores).ok_or_else(|| Error::UnknownAccount(account_id.to_owned()))?;
    // M−11..M−2 on two threads, then M−1 and M
    let earlier = window::on_two_threads((HISTORY_MONTHS - 2) as usize, |i| {
        let m = month.plus(i as i32 + 1 - HISTORY_MONTHS);
        score_of(score::compute_unnamed(&data, &act, m, &settings)).and_then(|a| a.score)
    });
    let history = earlier
        .into_iter()
        .chain([score_of(before).and_then(|a| a.score), account.score])
        .enumerate()
        .map(|(i, score)| ScorePoint {
            month: month.plus(i as i32 + 1 - HISTORY_MONTHS).to_string(),
            score,
            light: score.map(|v| score::light(v, &settings)),
        })
        .collect();
    let parts = parts(&account, &settings);
    let best = best_of(&parts);
    Ok(Explanation {
        month: month.to_string(),
        account,
        parts,
        best,
        history,
        threshold_green: settings.threshold_green,
        threshold_yellow: settings.threshold_yellow,
        target_usage_days: settings.target_usage_days,
        target_touchpoints: settings.target_touchpoints,
        method: settings.score_method,
        peers: settings.score_peers,
        currency: settings.currency,
    })
}

/// The component with the largest possible gain: the biggest lever.
fn best_of(parts: &[Part]) -> Option<Component> {
    parts
        .iter()
        .filter_map(|p| p.gain.filter(|g| *g > 1e-9).map(|g| (p.component, g)))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(c, _)| c)
}

/// The biggest lever of an account's score (as on the account page): the component whose
/// rise to 100 would gain the most points; `None` when nothing can be gained.
pub fn lever(a: &AccountScore, s: &Settings) -> Option<Component> {
    best_of(&parts(a, s))
}

/// Each component's share, points and possible gain, from the weights in `s`.
pub fn parts(a: &AccountScore, s: &Settings) -> Vec<Part> {
    let c = &a.components;
    let present: f64 = Component::ALL
        .iter()
        .filter(|&&k| c.get(k).is_some())
        .map(|&k| s.weight(k))
        .sum();
    let scored = a.score.is_some() && present > 0.0;
    Component::ALL
        .iter()
        .map(|&k| {
            let value = c.get(k);
            let weight = s.weight(k);
            let share = value.filter(|_| scored).map(|_| weight / present * 100.0);
            let points = value.zip(share).map(|(v, sh)| v * sh / 100.0);
            // lifting this component to 100 with the others unchanged
            let gain = value.zip(share).map(|(v, sh)| (100.0 - v) * sh / 100.0);
            Part {
                component: k,
                value,
                weight,
                share,
                points,
                gain,
                needs: if value.is_some() { vec![] } else { needs(k, a) },
            }
        })
        .collect()
}

/// What an account's missing component needs.
fn needs(k: Component, a: &AccountScore) -> Vec<String> {
    let inp = &a.inputs;
    let v: &[&str] = match k {
        Component::Usage => &["usage"],
        Component::Adoption if inp.active_days.is_none() => &["usage", "accounts.seats"],
        Component::Adoption => &["accounts.seats"],
        Component::Sentiment => &["surveys.nps"],
        Component::Engagement => &["touchpoints"],
        Component::Satisfaction => &["surveys.csat"],
        Component::AccountHealth => &["revenue"],
    };
    v.iter().map(|s| (*s).to_owned()).collect()
}
