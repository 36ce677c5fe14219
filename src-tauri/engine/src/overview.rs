//! The numbers of one month as the front ends ask for them: resolves the month, loads the
//! data once, computes scores and KPIs. Shared by the CLI and the desktop app.

use crate::error::Result;
use crate::kpi::{self, Kpi, KpiReport};
use crate::month::Month;
use crate::score::{self, Light, LightSplit, ScoreReport};
use crate::store::Store;
use serde::{Deserialize, Serialize};

/// Scores and KPIs of one month.
pub struct MonthReport {
    pub month: Month,
    pub scores: ScoreReport,
    pub kpis: KpiReport,
}

/// Computes `month` (default: the latest month with data); `None` when the store is empty.
pub fn month_report(store: &Store, month: Option<Month>) -> Result<Option<MonthReport>> {
    let Some(month) = month.map_or_else(|| store.latest_month(), |m| Ok(Some(m)))? else {
        return Ok(None);
    };
    let settings = store.settings()?;
    let data = store.load(month)?;
    let scores = score::compute(&data, month, &settings);
    let kpis = kpi::compute(&data, month, &settings, &scores);
    Ok(Some(MonthReport {
        month,
        scores,
        kpis,
    }))
}

/// What the first window shows.
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Dashboard {
    /// The month shown, `YYYY-MM`; `None` when there is no data at all.
    pub month: Option<String>,
    /// Months that can be chosen, oldest first.
    pub months: Vec<String>,
    pub cs_score: Option<f64>,
    /// The company score's traffic light, with the thresholds from the settings.
    pub cs_light: Option<Light>,
    pub cs_score_unweighted: Option<f64>,
    pub split: LightSplit,
    pub accounts_scored: u32,
    pub kpis: Vec<Kpi>,
    /// Only the embedded demo company is loaded.
    pub is_demo: bool,
    pub currency: String,
}

pub fn dashboard(store: &Store, month: Option<Month>) -> Result<Dashboard> {
    let report = month_report(store, month)?;
    let settings = store.settings()?;
    let months = store.months()?.iter().map(Month::to_string).collect();
    let is_demo = store.is_demo()?;
    Ok(match report {
        None => Dashboard {
            month: None,
            months,
            cs_score: None,
            cs_light: None,
            cs_score_unweighted: None,
            split: LightSplit::default(),
            accounts_scored: 0,
            kpis: vec![],
            is_demo,
            currency: settings.currency,
        },
        Some(r) => Dashboard {
            month: Some(r.month.to_string()),
            months,
            cs_score: r.scores.cs_score,
            cs_light: r.scores.cs_score.map(|v| score::light(v, &settings)),
            cs_score_unweighted: r.scores.cs_score_unweighted,
            accounts_scored: r.split_total(),
            split: r.scores.split,
            kpis: r.kpis.kpis,
            is_demo,
            currency: settings.currency,
        },
    })
}

impl MonthReport {
    fn split_total(&self) -> u32 {
        let s = &self.scores.split;
        s.green + s.yellow + s.red
    }
}
