//! The numbers of one month as the front ends ask for them: the month's scores and KPIs
//! (the CLI's `kpis` and `scores`) and the dashboard. Both start from a
//! [`Window`](crate::window::Window). Shared by the CLI and the desktop app.

use crate::error::Result;
use crate::kpi::{self, Activity, KpiReport, Status};
use crate::month::Month;
use crate::score::{self, Light, LightSplit, ScoreReport};
use crate::settings::{KpiTarget, TargetStatus};
use crate::store::Store;
use crate::trends::{self, AccountLine, Cohort, MrrBridge};
use crate::window::{self, Span, Window};
use serde::{Deserialize, Serialize};

/// Scores and KPIs of one month.
pub struct MonthReport {
    pub month: Month,
    pub scores: ScoreReport,
    pub kpis: KpiReport,
}

/// Computes `month` (default: the latest month with data); `None` when the store is empty.
pub fn month_report(store: &Store, month: Option<Month>) -> Result<Option<MonthReport>> {
    let w = Window::open(store, month, Span::Month)?;
    Ok(w.month.map(|month| {
        let scores = score::compute(&w.data, month, &w.settings);
        let kpis = kpi::compute(&w.data, month, &w.settings, &scores);
        MonthReport {
            month,
            scores,
            kpis,
        }
    }))
}

/// One KPI card of the dashboard: the month's value with its state, the comparisons a CS
/// leader asks for first, a 12-month sparkline and the target status.
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct KpiCard {
    pub id: String,
    pub value: Option<f64>,
    pub status: Status,
    /// Datasets or `dataset.field`s whose absence makes this `no_data`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub needs: Vec<String>,
    /// The value of M−1 and of M−12 (same month last year), when they have one.
    pub previous: Option<f64>,
    pub year_ago: Option<f64>,
    /// M−11..M (the dashboard's `spark_months`), `None` where the month has no value.
    pub spark: Vec<Option<f64>>,
    /// The KPI's target as used, when it has one (settings `kpi_target.<id>`).
    pub target: Option<KpiTarget>,
    /// How the value compares to the target (the CS score: its traffic light).
    pub target_status: Option<TargetStatus>,
}

/// What the dashboard shows for a month.
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
    /// MRR of the red accounts (`None` without revenue data).
    pub mrr_at_risk: Option<f64>,
    /// Every KPI of the month, in the order of `kpis.md`.
    pub cards: Vec<KpiCard>,
    /// The months of every card's `spark`, M−11..M.
    pub spark_months: Vec<String>,
    /// Start → new, expansion, reactivation, contraction, churn → end (`None` in the first
    /// month of the data or without revenue).
    pub bridge: Option<MrrBridge>,
    /// Logo and revenue retention by start month (M−11..M).
    pub cohorts: Vec<Cohort>,
    /// Accounts whose light changed since M−1, worst light first, then by MRR.
    pub movers: Vec<AccountLine>,
    /// Only the embedded demo company is loaded.
    pub is_demo: bool,
    pub currency: String,
    pub threshold_green: f64,
    pub threshold_yellow: f64,
}

/// The dashboard of `month` (default: the latest month with data). Reads M−12..M once
/// ([`Span::Year`]) and computes every KPI of each of those months (for the sparklines and
/// the comparisons) on two threads with `window::year`, as the board report does, with the
/// same functions as `kpis`, so every number agrees with them.
pub fn dashboard(store: &Store, month: Option<Month>) -> Result<Dashboard> {
    let Window {
        settings,
        month,
        data,
    } = Window::open(store, month, Span::Year)?;
    let months: Vec<String> = store.months()?.iter().map(Month::to_string).collect();
    let is_demo = store.is_demo()?;
    let mut out = Dashboard {
        month: None,
        months,
        cs_score: None,
        cs_light: None,
        cs_score_unweighted: None,
        split: LightSplit::default(),
        accounts_scored: 0,
        mrr_at_risk: None,
        cards: vec![],
        spark_months: vec![],
        bridge: None,
        cohorts: vec![],
        movers: vec![],
        is_demo,
        currency: settings.currency.clone(),
        threshold_green: settings.threshold_green,
        threshold_yellow: settings.threshold_yellow,
    };
    let Some(month) = month else {
        return Ok(out);
    };
    let act = Activity::new(&data);
    // M in full (names, previous lights); the other months only for their KPIs
    let year = window::year(
        &data,
        &act,
        month,
        &settings,
        |m| window::all_kpis(&data, &act, m, &settings),
        |_| (),
    );
    // M−12, M−11, …, M−1
    let earlier: Vec<&KpiReport> = std::iter::once(&year.year_ago)
        .chain(&year.between)
        .chain(std::iter::once(&year.previous))
        .collect();
    let (year_ago, previous) = (earlier[0], earlier[earlier.len() - 1]);
    let (scores, kpis) = (&year.scores, &year.kpis);
    out.cards = kpis
        .kpis
        .iter()
        .map(|k| {
            let spark = earlier[1..]
                .iter()
                .map(|r| r.value(&k.id))
                .chain(std::iter::once(k.value))
                .collect();
            KpiCard {
                id: k.id.clone(),
                value: k.value,
                status: k.status,
                needs: k.needs.clone(),
                previous: previous.value(&k.id),
                year_ago: year_ago.value(&k.id),
                spark,
                target: settings.kpi_target(&k.id),
                target_status: k.value.and_then(|v| settings.kpi_status(&k.id, v)),
            }
        })
        .collect();
    out.spark_months = (1 - SPARK_MONTHS..=0)
        .map(|k| month.plus(k).to_string())
        .collect();
    out.month = Some(month.to_string());
    out.cs_score = scores.cs_score;
    out.cs_light = scores.cs_score.map(|v| score::light(v, &settings));
    out.cs_score_unweighted = scores.cs_score_unweighted;
    out.accounts_scored = scores.split.green + scores.split.yellow + scores.split.red;
    out.mrr_at_risk = kpis.value("mrr_at_risk");
    out.bridge = trends::bridge(kpis);
    out.cohorts = trends::cohorts(&act, month);
    out.movers = trends::movers(scores);
    out.split = scores.split.clone();
    Ok(out)
}

/// Months before M in the sparklines and comparisons (M−12 is "same month last year").
const SPARK_MONTHS: i32 = window::YEAR;
