//! The settings preview (`insights.md` §3): what a candidate change of weights, targets,
//! thresholds, method or peers would do, before anything is saved. One engine call for the
//! Settings screen: the company score, the accounts changing light and the backtest's AUC
//! and lift, each before → after. Nothing here writes.

use crate::error::Result;
use crate::insights::backtest::{self, Backtest};
use crate::month::Month;
use crate::score::{self, Light, ScoreReport};
use crate::settings::Settings;
use crate::store::Store;
use crate::window::{Span, Window};
use serde::{Deserialize, Serialize};

/// An account whose light changes with the candidate settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct LightChange {
    pub account_id: String,
    pub name: Option<String>,
    pub score_before: Option<f64>,
    pub score_after: Option<f64>,
    /// `None`: not scored (fewer than two components).
    pub before: Option<Light>,
    pub after: Option<Light>,
}

/// How many accounts go from one light to another (`None`: not scored).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct LightMove {
    pub before: Option<Light>,
    pub after: Option<Light>,
    pub count: u32,
}

/// A before → after pair.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct BeforeAfter {
    pub before: Option<f64>,
    pub after: Option<f64>,
}

/// What the Settings screen shows before Apply.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Preview {
    #[ts(type = "string")]
    pub month: Month,
    pub cs_score: BeforeAfter,
    /// Counts per (before, after) pair, only pairs that differ, largest first.
    pub moves: Vec<LightMove>,
    /// Every account whose light changes, by account id.
    pub changes: Vec<LightChange>,
    pub auc: BeforeAfter,
    pub lift: BeforeAfter,
    /// The backtests themselves (status, churn by light), before and after.
    pub backtest_before: Backtest,
    pub backtest_after: Backtest,
}

/// Compares two score reports of the same month.
pub fn light_changes(
    before: &ScoreReport,
    after: &ScoreReport,
) -> (Vec<LightMove>, Vec<LightChange>) {
    let mut changes = Vec::new();
    // both sorted by account id, same accounts (activity does not depend on settings)
    for (b, a) in before.accounts.iter().zip(&after.accounts) {
        debug_assert_eq!(b.account_id, a.account_id);
        if b.light != a.light {
            changes.push(LightChange {
                account_id: b.account_id.clone(),
                name: b.name.clone(),
                score_before: b.score,
                score_after: a.score,
                before: b.light,
                after: a.light,
            });
        }
    }
    let mut moves: Vec<LightMove> = Vec::new();
    for c in &changes {
        match moves
            .iter_mut()
            .find(|m| m.before == c.before && m.after == c.after)
        {
            Some(m) => m.count += 1,
            None => moves.push(LightMove {
                before: c.before,
                after: c.after,
                count: 1,
            }),
        }
    }
    moves.sort_by_key(|m| std::cmp::Reverse(m.count));
    (moves, changes)
}

/// The preview of `candidate` against the saved settings for `month` (default: the latest
/// with data); `None` when the store holds no data. Reads only.
pub fn compute(
    store: &Store,
    month: Option<Month>,
    candidate: &Settings,
) -> Result<Option<Preview>> {
    let w = Window::open(store, month, Span::Month)?;
    let Some(month) = w.month else {
        return Ok(None);
    };
    let saved = &w.settings;
    let before = score::compute(&w.data, month, saved);
    let after = score::compute(&w.data, month, candidate);
    drop(w.data);
    let (moves, changes) = light_changes(&before, &after);
    let data = backtest::load(store, month, saved.backtest_horizon)?;
    let bt_before = backtest::compute(&data, month, saved.backtest_horizon, saved);
    let bt_after = if candidate.backtest_horizon == saved.backtest_horizon {
        backtest::compute(&data, month, candidate.backtest_horizon, candidate)
    } else {
        let data = backtest::load(store, month, candidate.backtest_horizon)?;
        backtest::compute(&data, month, candidate.backtest_horizon, candidate)
    };
    Ok(Some(Preview {
        month,
        cs_score: BeforeAfter {
            before: before.cs_score,
            after: after.cs_score,
        },
        moves,
        changes,
        auc: BeforeAfter {
            before: bt_before.auc,
            after: bt_after.auc,
        },
        lift: BeforeAfter {
            before: bt_before.lift,
            after: bt_after.lift,
        },
        backtest_before: bt_before,
        backtest_after: bt_after,
    }))
}

/// The scores of `month` (default: the latest with data) with the saved settings and
/// `with`'s overrides, previous lights recomputed with them too; nothing saved.
pub fn scores_with(
    store: &Store,
    month: Option<Month>,
    with: &[String],
) -> Result<Option<ScoreReport>> {
    let Some((month, s)) = super::question(store, month, with)? else {
        return Ok(None);
    };
    let w = Window::open(store, Some(month), Span::Month)?;
    Ok(Some(score::compute(&w.data, month, &s)))
}
