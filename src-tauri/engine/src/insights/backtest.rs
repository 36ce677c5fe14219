//! The score backtest (`insights.md` §2): would today's score definition have seen the
//! churn coming on this company's own history? One load of the months needed (usage only
//! counted, as the score reads it), each observation month scored once (on two threads),
//! churn read from the same activity.

use crate::kpi::Activity;
use crate::model::Data;
use crate::month::Month;
use crate::score::{self, Components, Light};
use crate::settings::{Component, Settings};
use serde::{Deserialize, Serialize};

/// Months of observations: M0 = M−h−11 … M−h.
pub const LOOKBACK: i32 = 12;
/// `insufficient` below this many distinct accounts observed …
pub const MIN_ACCOUNTS: usize = 30;
/// … or this many distinct accounts churned.
pub const MIN_CHURNED: usize = 5;

/// One light's observations and what became of them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct LightOutcome {
    pub observations: u32,
    pub churned: u32,
    /// churned / observations × 100; `None` without observations.
    pub churn_rate: Option<f64>,
    /// Σ MRR(a, M0) over the observations (account-months).
    pub mrr: f64,
    pub mrr_churned: f64,
    /// mrr_churned / mrr × 100; `None` when mrr is 0.
    pub revenue_churn_rate: Option<f64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct LightOutcomes {
    pub green: LightOutcome,
    pub yellow: LightOutcome,
    pub red: LightOutcome,
}

impl LightOutcomes {
    pub fn get(&self, l: Light) -> &LightOutcome {
        match l {
            Light::Green => &self.green,
            Light::Yellow => &self.yellow,
            Light::Red => &self.red,
        }
    }
    fn get_mut(&mut self, l: Light) -> &mut LightOutcome {
        match l {
            Light::Green => &mut self.green,
            Light::Yellow => &mut self.yellow,
            Light::Red => &mut self.red,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum BacktestStatus {
    Ok,
    /// Fewer than 30 accounts observed or fewer than 5 churned: no verdict.
    Insufficient,
}

/// The backtest of month M: the figures of the "Does the score work?" view.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Backtest {
    #[ts(type = "string")]
    pub month: Month,
    pub horizon: u32,
    /// The months M0 observed, `YYYY-MM`, oldest first.
    pub observation_months: Vec<String>,
    pub status: BacktestStatus,
    pub lights: LightOutcomes,
    /// churn_rate(red) / churn_rate(green); `None` when undefined or insufficient.
    pub lift: Option<f64>,
    /// The chance that a churner scored below a retained account (ties half).
    pub auc: Option<f64>,
    /// The same per component, with the component's value as the score.
    pub components: Components,
    /// Distinct accounts observed and distinct accounts that churned (what
    /// `insufficient` is decided on; the view says how many are missing).
    pub accounts_observed: u32,
    pub accounts_churned: u32,
    /// Both scoring methods' AUC side by side (§4), when asked for
    /// ([`from_store`]'s `compare`), so the user can choose on evidence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auc_by_method: Option<MethodAucs>,
}

/// The AUC of the score with `score.method = targets` and with `percentile` (the other
/// settings as they are).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct MethodAucs {
    pub targets: Option<f64>,
    pub percentile: Option<f64>,
}

/// One (account, M0).
pub(crate) struct Observation {
    account: usize,
    score: f64,
    light: Light,
    components: Components,
    mrr: f64,
    churned: bool,
}

/// The AUC of `(score, churned)` pairs: Σ over (churned i, retained j) of [s_i < s_j] +
/// ½·[s_i = s_j], over churned · retained; `None` when either count is 0.
pub fn auc(mut xs: Vec<(f64, bool)>) -> Option<f64> {
    let churned = xs.iter().filter(|x| x.1).count() as f64;
    let retained = xs.len() as f64 - churned;
    if churned == 0.0 || retained == 0.0 {
        return None;
    }
    xs.sort_by(|a, b| a.0.total_cmp(&b.0));
    // walk groups of equal scores from the lowest: each churner beats every retained
    // account above its group and half of those in it
    let (mut wins, mut retained_below) = (0.0, 0.0);
    let mut i = 0;
    while i < xs.len() {
        let mut j = i;
        let (mut c, mut r) = (0.0, 0.0);
        while j < xs.len() && xs[j].0 == xs[i].0 {
            if xs[j].1 {
                c += 1.0;
            } else {
                r += 1.0;
            }
            j += 1;
        }
        let above = retained - retained_below - r;
        wins += c * above + 0.5 * c * r;
        retained_below += r;
        i = j;
    }
    Some(wins / (churned * retained))
}

fn pct(a: f64, b: f64) -> Option<f64> {
    (b != 0.0).then(|| a / b * 100.0)
}

/// The months whose activity data exists: revenue rows in the month (else an active
/// account), as month indices.
fn activity_months(data: &Data, act: &Activity, from: Month, to: Month) -> Vec<bool> {
    let n = (to.index() - from.index() + 1).max(0) as usize;
    let mut has = vec![false; n];
    if !data.revenue.is_empty() {
        for r in &data.revenue {
            if let Ok(k) = usize::try_from(r.month.index() - from.index()) {
                if k < n {
                    has[k] = true;
                }
            }
        }
    } else {
        for (k, h) in has.iter_mut().enumerate() {
            *h = act.active_in(from.plus(k as i32)).next().is_some();
        }
    }
    has
}

/// The data a backtest of `month` at `horizon` reads, from the store: revenue and the
/// other datasets in full, usage only counted, for the observation months.
pub fn load(store: &crate::store::Store, month: Month, horizon: u32) -> crate::error::Result<Data> {
    let (first, last) = observation_span(month, horizon);
    let lean: Vec<Month> = (0..=(last.index() - first.index()))
        .map(|k| first.plus(k))
        .collect();
    store.load_months_lean(first, last, &lean)
}

/// M−h−11 … M−h.
pub fn observation_span(month: Month, horizon: u32) -> (Month, Month) {
    let h = horizon as i32;
    (month.plus(-h - (LOOKBACK - 1)), month.plus(-h))
}

/// The backtest of `month` at `horizon` with settings `s` (their method, peers, weights
/// and thresholds: today's definition of the score).
pub fn compute(data: &Data, month: Month, horizon: u32, s: &Settings) -> Backtest {
    compute_reusing(data, month, horizon, s, Observed::default())
}

/// As [`compute`], with the observations of the months in `known` taken as they are
/// (computed by [`observe`] on the same data with the same settings and horizon): the
/// same backtest, fewer months scored.
pub(crate) fn compute_reusing(
    data: &Data,
    month: Month,
    horizon: u32,
    s: &Settings,
    mut known: Observed,
) -> Backtest {
    let act = Activity::new(data);
    let h = horizon as i32;
    let (first, last) = observation_span(month, horizon);
    let has = activity_months(data, &act, first, month);
    let covered = |m0: Month| {
        (0..=h).all(|k| {
            let i = m0.plus(k).index() - first.index();
            usize::try_from(i).ok().and_then(|i| has.get(i)).copied() == Some(true)
        })
    };
    let months: Vec<Month> = (0..=(last.index() - first.index()))
        .map(|k| first.plus(k))
        .filter(|&m0| covered(m0))
        .collect();
    // the months observed elsewhere already (the board report's trend) are not scored again
    let todo: Vec<Month> = months
        .iter()
        .copied()
        .filter(|m0| !known.contains_key(m0))
        .collect();
    let scored: Vec<Vec<Observation>> = crate::window::on_two_threads(todo.len(), |k| {
        let m0 = todo[k];
        observe(
            &act,
            m0,
            horizon,
            &score::compute_unnamed(data, &act, m0, s),
        )
    });
    let mut scored = todo.into_iter().zip(scored);
    let mut observation_months = Vec::new();
    let mut obs: Vec<Observation> = Vec::new();
    for m0 in months {
        let o = match known.remove(&m0) {
            Some(o) => o,
            None => match scored.next() {
                Some((m, o)) if m == m0 => o,
                _ => unreachable!("every month not known was scored, in order"),
            },
        };
        if !o.is_empty() {
            observation_months.push(m0.to_string());
            obs.extend(o);
        }
    }
    summarize(month, horizon, observation_months, &obs, act.len())
}

/// Month `m0`'s observations at `horizon` from its scores (`score::compute_unnamed` of
/// `m0` with the backtest's settings, on the data `act` was made from): each scored
/// account with its score, light, components, MRR, and whether it churned within the
/// horizon.
pub(crate) fn observe(
    act: &Activity,
    m0: Month,
    horizon: u32,
    scores: &score::ScoreReport,
) -> Vec<Observation> {
    let h = horizon as i32;
    scores
        .accounts
        .iter()
        .filter_map(|a| {
            let (score, light) = (a.score?, a.light?);
            let i = act.index_of(&a.account_id)?;
            let churned = (1..=h).any(|k| !act.active(i, m0.plus(k)));
            Some(Observation {
                account: i,
                score,
                light,
                components: a.components.clone(),
                mrr: act.mrr(i, m0),
                churned,
            })
        })
        .collect()
}

/// Observation months computed before the backtest, by month: what [`observe`] gave for
/// them with the same data, horizon and settings.
pub(crate) type Observed = rustc_hash::FxHashMap<Month, Vec<Observation>>;

fn summarize(
    month: Month,
    horizon: u32,
    observation_months: Vec<String>,
    obs: &[Observation],
    n_accounts: usize,
) -> Backtest {
    let mut lights = LightOutcomes::default();
    let (mut seen, mut churned_acc) = (vec![false; n_accounts], vec![false; n_accounts]);
    for o in obs {
        let l = lights.get_mut(o.light);
        l.observations += 1;
        l.mrr += o.mrr;
        if o.churned {
            l.churned += 1;
            l.mrr_churned += o.mrr;
            churned_acc[o.account] = true;
        }
        seen[o.account] = true;
    }
    for l in [&mut lights.green, &mut lights.yellow, &mut lights.red] {
        l.churn_rate = pct(l.churned as f64, l.observations as f64);
        l.revenue_churn_rate = pct(l.mrr_churned, l.mrr);
    }
    let accounts_observed = seen.iter().filter(|x| **x).count();
    let accounts_churned = churned_acc.iter().filter(|x| **x).count();
    let status = if accounts_observed < MIN_ACCOUNTS || accounts_churned < MIN_CHURNED {
        BacktestStatus::Insufficient
    } else {
        BacktestStatus::Ok
    };
    let ok = status == BacktestStatus::Ok;
    let lift = match (lights.red.churn_rate, lights.green.churn_rate) {
        (Some(r), Some(g)) if ok && g != 0.0 => Some(r / g),
        _ => None,
    };
    let auc_all = ok
        .then(|| auc(obs.iter().map(|o| (o.score, o.churned)).collect()))
        .flatten();
    let comp = |c: Component| -> Option<f64> {
        ok.then(|| {
            auc(obs
                .iter()
                .filter_map(|o| o.components.get(c).map(|v| (v, o.churned)))
                .collect())
        })
        .flatten()
    };
    Backtest {
        month,
        horizon,
        observation_months,
        status,
        lights,
        lift,
        auc: auc_all,
        components: Components {
            usage: comp(Component::Usage),
            adoption: comp(Component::Adoption),
            sentiment: comp(Component::Sentiment),
            engagement: comp(Component::Engagement),
            satisfaction: comp(Component::Satisfaction),
            account_health: comp(Component::AccountHealth),
        },
        accounts_observed: accounts_observed as u32,
        accounts_churned: accounts_churned as u32,
        auc_by_method: None,
    }
}

/// The backtest of `month` (default: the latest with data) at `horizon` (default: the
/// setting `backtest.horizon`), with the saved settings and `with`'s overrides (nothing
/// saved); `None` when the store holds no data.
pub fn from_store(
    store: &crate::store::Store,
    month: Option<Month>,
    horizon: Option<u32>,
    with: &[String],
    compare: bool,
) -> crate::error::Result<Option<Backtest>> {
    let Some((month, s)) = super::question(store, month, with)? else {
        return Ok(None);
    };
    let horizon = match horizon {
        Some(h) => {
            // validated as the setting is
            let mut check = s.clone();
            check.set("backtest.horizon", &h.to_string())?;
            h
        }
        None => s.backtest_horizon,
    };
    let data = load(store, month, horizon)?;
    let mut bt = compute(&data, month, horizon, &s);
    if compare {
        let other = |method| {
            let mut o = s.clone();
            o.score_method = method;
            if o.score_method == s.score_method {
                bt.auc
            } else {
                compute(&data, month, horizon, &o).auc
            }
        };
        bt.auc_by_method = Some(MethodAucs {
            targets: other(crate::settings::ScoreMethod::Targets),
            percentile: other(crate::settings::ScoreMethod::Percentile),
        });
    }
    Ok(Some(bt))
}
