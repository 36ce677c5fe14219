//! Month over month: what the board report and the dashboard show beyond one month's
//! numbers. Twelve-month trends of the key KPIs and the CS score, the month's MRR
//! bridge, cohort retention by start month, movers (lights that changed), red accounts by
//! MRR, renewals due in the next 90 days and the month's survey comments.
//!
//! Pure like `kpi` and `score`: [`compute`] takes data that holds the usage rows of the
//! 13 months M−12..M (see [`load`], one read of the store, `window::Span::Trend`) and
//! gives numbers that equal `kpi::compute`'s for every month of the series; the months are
//! computed by `window::year`, as the dashboard's are.

use crate::error::Result;
use crate::kpi::{self, Activity, KpiReport};
use crate::model::{Data, Kind};
use crate::month::Month;
use crate::score::{self, AccountScore, Light, ScoreReport};
use crate::settings::Settings;
use crate::store::Store;
use crate::window::{self, Span, Window};
use serde::{Deserialize, Serialize};

/// Months in the trend series (M−11..M).
pub const TREND_MONTHS: i32 = window::YEAR;
/// Cohorts shown (start months M−11..M) and months since start followed (0..=12).
pub const COHORTS: i32 = 12;
/// Days after the end of the month in which a renewal counts as "due soon".
pub const RENEWAL_DAYS: i64 = 90;

/// The KPIs of the trend series, in display order.
pub const TREND_KPIS: [&str; 8] = [
    "mrr",
    "logo_churn_rate",
    "revenue_churn_rate",
    "ndr",
    "grr",
    "nps",
    "csat",
    "cs_score",
];

/// One month of the trend series; `None` where the KPI has no value that month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct TrendPoint {
    #[ts(type = "string")]
    pub month: Month,
    /// Values in [`TREND_KPIS`] order.
    pub values: Vec<Option<f64>>,
}

/// Start MRR → new, expansion, reactivation, contraction, churn → end MRR of one month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct MrrBridge {
    pub start: f64,
    pub new: f64,
    pub expansion: f64,
    pub reactivation: f64,
    /// Positive amounts; they reduce MRR.
    pub contraction: f64,
    pub churned: f64,
    pub end: f64,
}

/// Retention of the accounts that first became active in `start`, month by month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Cohort {
    #[ts(type = "string")]
    pub start: Month,
    pub accounts: u32,
    pub start_mrr: Option<f64>,
    /// Index k: % of the cohort's accounts active k months after `start` (up to M).
    pub logo: Vec<Option<f64>>,
    /// Index k: cohort MRR k months after `start` / its MRR in `start`, in %.
    pub revenue: Vec<Option<f64>>,
}

/// An account as the lists of the report show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct AccountLine {
    pub account_id: String,
    pub name: Option<String>,
    pub owner: Option<String>,
    pub segment: Option<String>,
    pub mrr: Option<f64>,
    pub score: Option<f64>,
    pub light: Option<Light>,
    pub previous_light: Option<Light>,
}

impl AccountLine {
    pub fn of(a: &AccountScore) -> AccountLine {
        AccountLine {
            account_id: a.account_id.clone(),
            name: a.name.clone(),
            owner: a.owner.clone(),
            segment: a.segment.clone(),
            mrr: a.mrr,
            score: a.score,
            light: a.light,
            previous_light: a.previous_light,
        }
    }
}

/// A renewal due within [`RENEWAL_DAYS`] after the end of the month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct RenewalDue {
    /// `YYYY-MM-DD`
    pub due_date: String,
    /// `open`, `renewed` or `churned` (from the renewals export; `open` from accounts).
    pub outcome: String,
    /// Contract value from the renewals export.
    pub amount: Option<f64>,
    pub account: AccountLine,
}

/// A survey comment of the month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Comment {
    /// `YYYY-MM-DD`
    pub date: String,
    pub account_id: Option<String>,
    pub name: Option<String>,
    pub nps: Option<i64>,
    /// NPS 0–6.
    pub detractor: bool,
    /// As imported: may start with `=`, `+`, `-` or `@` and must be shown as text.
    pub text: String,
}

/// Everything of month M and its history that the board report shows.
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Insights {
    #[ts(type = "string")]
    pub month: Month,
    pub scores: ScoreReport,
    pub kpis: KpiReport,
    /// The KPIs of M−1 and of M−12 (same month last year).
    pub kpis_previous: KpiReport,
    pub kpis_year_ago: KpiReport,
    /// M−11..M, oldest first.
    pub trend: Vec<TrendPoint>,
    /// `None` when M−1 is not covered (the first month of the data) or without MRR.
    pub bridge: Option<MrrBridge>,
    /// Start months M−11..M that have accounts, oldest first.
    pub cohorts: Vec<Cohort>,
    /// Accounts whose light changed since M−1, worst light first, then by MRR.
    pub movers: Vec<AccountLine>,
    /// Red accounts, highest MRR first.
    pub red: Vec<AccountLine>,
    /// Renewals due in the 90 days after M, earliest first.
    pub renewals: Vec<RenewalDue>,
    /// Comments of M: detractors first, then by date.
    pub comments: Vec<Comment>,
}

/// Loads M−12..M once (usage rows of those months only) and computes the insights;
/// `None` when the store has no data. `month` defaults to the latest month with data.
pub fn load(store: &Store, month: Option<Month>) -> Result<Option<(Insights, Data)>> {
    let w = Window::open(store, month, Span::Trend)?;
    Ok(w.month
        .map(|month| (compute(&w.data, month, &w.settings), w.data)))
}

/// The data [`compute`] needs for `month`, in one read of the store ([`Span::Trend`]):
/// usage rows of M−12, M−1 and M (their KPIs in full); of M−11..M−2 only what the CS
/// score reads (`Data::usage_counts`), counted while scanning instead of loading every row.
pub fn load_data(store: &Store, month: Month) -> Result<Data> {
    Span::Trend.load(store, month)
}

/// All insights of `month`. `data` must hold the usage rows of M−12..M for the trend's
/// CS score and the year-ago KPIs (fewer usage rows make those months' usage KPIs empty);
/// for M−11..M−2 their counts suffice (`Data::usage_counts`, see [`load_data`]).
pub fn compute(data: &Data, month: Month, s: &Settings) -> Insights {
    compute_then(data, month, s, |_| ()).0
}

/// As [`compute`], and `then(scores of M)` as soon as M is scored, on the same thread,
/// while the other months are computed (the board report writes its accounts sheet there).
pub fn compute_then<T: Send>(
    data: &Data,
    month: Month,
    s: &Settings,
    then: impl FnOnce(&ScoreReport) -> T + Send,
) -> (Insights, T) {
    compute_observing(data, month, s, then, |_, _, _| ())
}

/// As [`compute_then`], and `seen(m, activity, scores of m)` for each trend month
/// M−11..M−2 as soon as it is scored (`score::compute_unnamed` of `m` on `data`), on the
/// thread that scored it: the board report takes the backtest's observations of those
/// months from there instead of scoring them again.
pub fn compute_observing<T: Send>(
    data: &Data,
    month: Month,
    s: &Settings,
    then: impl FnOnce(&ScoreReport) -> T + Send,
    seen: impl Fn(Month, &Activity, &ScoreReport) + Sync,
) -> (Insights, T) {
    let act = Activity::new(data);
    // M, M−1 and M−12 in full; the older trend months lean (only their company numbers
    // are read, by the KPIs), on two threads
    let year = window::year(
        data,
        &act,
        month,
        s,
        |m| trend_values(data, &act, m, s, &seen),
        then,
    );
    let mut trend: Vec<TrendPoint> = ((1 - TREND_MONTHS)..=-2)
        .zip(year.between)
        .map(|(k, values)| TrendPoint {
            month: month.plus(k),
            values,
        })
        .collect();
    for (k, r) in [(-1, &year.previous), (0, &year.kpis)] {
        trend.push(TrendPoint {
            month: month.plus(k),
            values: TREND_KPIS.iter().map(|id| r.value(id)).collect(),
        });
    }
    let (scores, kpis) = (year.scores, year.kpis);

    let bridge = bridge(&kpis);
    let cohorts = cohorts(&act, month);
    let movers = movers(&scores);
    let mut red: Vec<AccountLine> = scores
        .accounts
        .iter()
        .filter(|a| a.light == Some(Light::Red))
        .map(AccountLine::of)
        .collect();
    red.sort_by(mrr_desc);

    let insights = Insights {
        month,
        renewals: renewals(data, &scores, month),
        comments: comments(data, month),
        scores,
        kpis,
        kpis_previous: year.previous,
        kpis_year_ago: year.year_ago,
        trend,
        bridge,
        cohorts,
        movers,
        red,
    };
    (insights, year.then)
}

/// Accounts whose light changed since M−1: worst light first, then by MRR (highest
/// first), then by account id. The dashboard's and the report's movers.
pub(crate) fn movers(scores: &ScoreReport) -> Vec<AccountLine> {
    let rank = |l: Option<Light>| match l {
        Some(Light::Red) => 0,
        Some(Light::Yellow) => 1,
        Some(Light::Green) => 2,
        None => 3,
    };
    let mut movers: Vec<AccountLine> = scores.movers().map(AccountLine::of).collect();
    movers.sort_by(|a, b| rank(a.light).cmp(&rank(b.light)).then(mrr_desc(a, b)));
    movers
}

/// Highest MRR first (no MRR as 0), then by account id.
fn mrr_desc(a: &AccountLine, b: &AccountLine) -> std::cmp::Ordering {
    b.mrr
        .unwrap_or(0.0)
        .total_cmp(&a.mrr.unwrap_or(0.0))
        .then_with(|| a.account_id.cmp(&b.account_id))
}

/// The trend KPIs of month `m` without computing all of its KPIs.
fn trend_values(
    data: &Data,
    act: &Activity,
    m: Month,
    s: &Settings,
    seen: &(impl Fn(Month, &Activity, &ScoreReport) + Sync),
) -> Vec<Option<f64>> {
    let ctx = kpi::Ctx {
        data,
        month: m,
        settings: s,
        activity: act,
    };
    let lean = kpi::trend_values(&ctx);
    let scores = score::compute_unnamed(data, act, m, s);
    seen(m, act, &scores);
    let company = scores.company_kpis();
    TREND_KPIS
        .iter()
        .map(|id| {
            if let Some((_, v)) = lean.iter().find(|(k, _)| k == id) {
                return *v;
            }
            company
                .iter()
                .find(|(k, _)| k == id)
                .and_then(|(_, v)| v.clone().ok())
                .filter(|v| v.is_finite())
                .map(|v| v + 0.0)
        })
        .collect()
}

pub(crate) fn bridge(k: &KpiReport) -> Option<MrrBridge> {
    let v = |id| k.value(id);
    let end = v("mrr")?;
    let (new, expansion, reactivation) =
        (v("mrr_new")?, v("mrr_expansion")?, v("mrr_reactivation")?);
    let (contraction, churned) = (v("mrr_contraction")?, v("mrr_churned")?);
    Some(MrrBridge {
        start: end - new - expansion - reactivation + contraction + churned,
        new,
        expansion,
        reactivation,
        contraction,
        churned,
        end,
    })
}

/// Cohorts by the month an account first became active. The first month of the data is
/// left out: its accounts may have started any time before.
pub(crate) fn cohorts(act: &Activity, month: Month) -> Vec<Cohort> {
    let first = month.plus(1 - COHORTS);
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); COHORTS as usize];
    for i in 0..act.len() {
        for (k, list) in members.iter_mut().enumerate() {
            let m = first.plus(k as i32);
            if act.require(m.plus(-1)).is_err() {
                continue;
            }
            if act.active(i, m) {
                if !act.active(i, m.plus(-1)) && !act.active_before(i, m.plus(-1)) {
                    list.push(i);
                }
                break;
            }
        }
    }
    let mut out = Vec::new();
    for (k, list) in members.into_iter().enumerate() {
        if list.is_empty() {
            continue;
        }
        let start = first.plus(k as i32);
        let n = list.len() as f64;
        let mrr = |m: Month| list.iter().map(|&i| act.mrr(i, m)).sum::<f64>();
        let start_mrr = act.has_mrr().then(|| mrr(start));
        let span = month.index() - start.index();
        let logo = (0..=span)
            .map(|d| {
                let m = start.plus(d);
                Some(list.iter().filter(|&&i| act.active(i, m)).count() as f64 / n * 100.0)
            })
            .collect();
        let revenue = (0..=span)
            .map(|d| match start_mrr {
                Some(base) if base > 0.0 => Some(mrr(start.plus(d)) / base * 100.0),
                _ => None,
            })
            .collect();
        out.push(Cohort {
            start,
            accounts: list.len() as u32,
            start_mrr,
            logo,
            revenue,
        });
    }
    out
}

fn renewals(data: &Data, scores: &ScoreReport, month: Month) -> Vec<RenewalDue> {
    let from = month.last_day();
    let to = from + chrono::Duration::days(RENEWAL_DAYS);
    let line = |id: &str| -> AccountLine {
        match scores
            .accounts
            .binary_search_by(|a| a.account_id.as_str().cmp(id))
        {
            Ok(p) => AccountLine::of(&scores.accounts[p]),
            Err(_) => {
                let acc = data.accounts.iter().find(|a| a.account_id == id);
                AccountLine {
                    account_id: id.to_owned(),
                    name: acc.and_then(|a| a.name.clone()),
                    owner: acc.and_then(|a| a.owner.clone()),
                    segment: acc.and_then(|a| a.segment.clone()),
                    mrr: None,
                    score: None,
                    light: None,
                    previous_light: None,
                }
            }
        }
    };
    let mut out: Vec<RenewalDue> = if data.coverage.span(Kind::Renewals).is_some() {
        data.renewals
            .iter()
            .filter(|r| r.due_date > from && r.due_date <= to)
            .map(|r| RenewalDue {
                due_date: r.due_date.to_string(),
                outcome: match r.outcome {
                    crate::model::Outcome::Renewed => "renewed",
                    crate::model::Outcome::Churned => "churned",
                    crate::model::Outcome::Open => "open",
                }
                .into(),
                amount: r.amount,
                account: line(&r.account_id),
            })
            .collect()
    } else {
        data.accounts
            .iter()
            .filter(|a| a.renewal_date.is_some_and(|d| d > from && d <= to))
            .filter(|a| a.churn_date.is_none_or(|c| c > from))
            .map(|a| RenewalDue {
                due_date: a.renewal_date.map(|d| d.to_string()).unwrap_or_default(),
                outcome: "open".into(),
                amount: None,
                account: line(&a.account_id),
            })
            .collect()
    };
    out.sort_by(|a, b| {
        a.due_date
            .cmp(&b.due_date)
            .then_with(|| a.account.account_id.cmp(&b.account.account_id))
    });
    out
}

fn comments(data: &Data, month: Month) -> Vec<Comment> {
    let names: rustc_hash::FxHashMap<&str, &str> = data
        .accounts
        .iter()
        .filter_map(|a| a.name.as_deref().map(|n| (a.account_id.as_str(), n)))
        .collect();
    let mut out: Vec<Comment> = data
        .surveys
        .iter()
        .filter(|r| month.contains(r.date))
        .filter_map(|r| {
            let text = r.comment.as_deref().filter(|t| !t.trim().is_empty())?;
            Some(Comment {
                date: r.date.to_string(),
                account_id: r.account_id.clone(),
                name: r
                    .account_id
                    .as_deref()
                    .and_then(|id| names.get(id))
                    .map(|n| (*n).to_owned()),
                nps: r.nps,
                detractor: r.nps.is_some_and(|n| n <= 6),
                text: text.to_owned(),
            })
        })
        .collect();
    // stable: equal keys keep the order of the export
    out.sort_by(|a, b| b.detractor.cmp(&a.detractor).then(a.date.cmp(&b.date)));
    out
}
