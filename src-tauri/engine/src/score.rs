//! The CS score: six components per active account, a weighted mean, a traffic light, and
//! the company score (`kpis.md`, "The CS score"). Pure: data, a month and settings in.

use crate::kpi::score_usage;
use crate::kpi::{window_90, Activity, Miss, Val};
use crate::model::{Data, Survey};
use crate::month::Month;
use crate::settings::{Component, Peers, ScoreMethod, Settings};
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Light {
    Green,
    Yellow,
    Red,
}

/// Each component 0–100, or `None` when its data does not exist.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Components {
    pub usage: Option<f64>,
    pub adoption: Option<f64>,
    pub sentiment: Option<f64>,
    pub engagement: Option<f64>,
    pub satisfaction: Option<f64>,
    pub account_health: Option<f64>,
}

impl Components {
    pub fn get_mut(&mut self, c: Component) -> &mut Option<f64> {
        match c {
            Component::Usage => &mut self.usage,
            Component::Adoption => &mut self.adoption,
            Component::Sentiment => &mut self.sentiment,
            Component::Engagement => &mut self.engagement,
            Component::Satisfaction => &mut self.satisfaction,
            Component::AccountHealth => &mut self.account_health,
        }
    }
    pub fn get(&self, c: Component) -> Option<f64> {
        match c {
            Component::Usage => self.usage,
            Component::Adoption => self.adoption,
            Component::Sentiment => self.sentiment,
            Component::Engagement => self.engagement,
            Component::Satisfaction => self.satisfaction,
            Component::AccountHealth => self.account_health,
        }
    }
}

/// The raw inputs behind the components, so that a score can be explained
/// ("12 of 20 active days", "NPS +40 from 5 responses").
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Inputs {
    pub active_days: Option<u32>,
    pub users: Option<u32>,
    #[ts(type = "number | null")]
    pub seats: Option<i64>,
    pub nps: Option<f64>,
    pub nps_responses: u32,
    pub touchpoints_90d: Option<u32>,
    pub csat_responses: u32,
    pub ces_responses: u32,
    pub mrr: Option<f64>,
    pub mrr_base: Option<f64>,
    #[ts(type = "string | null")]
    pub mrr_base_month: Option<Month>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct AccountScore {
    pub account_id: String,
    pub name: Option<String>,
    pub owner: Option<String>,
    pub segment: Option<String>,
    /// MRR(a, M), when MRR is known.
    pub mrr: Option<f64>,
    /// `None`: fewer than two components ("insufficient data").
    pub score: Option<f64>,
    pub light: Option<Light>,
    pub previous_light: Option<Light>,
    pub components: Components,
    pub inputs: Inputs,
    /// Each present component's raw input, uncapped (`insights.md` §4): active days,
    /// users/seats, NPS, touchpoints, satisfaction share in %, MRR(M)/MRR(base). With
    /// `score.method = percentile` the component is this input's percentile among peers.
    pub raw: Components,
    /// Components present / 6 × 100 (`insights.md` §5) when scored: how much of the
    /// picture the score stands on.
    pub coverage: Option<f64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct LightSplit {
    pub green: u32,
    pub yellow: u32,
    pub red: u32,
    pub mrr_green: f64,
    pub mrr_yellow: f64,
    pub mrr_red: f64,
}

#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
pub struct ScoreReport {
    #[ts(type = "string")]
    pub month: Month,
    /// MRR-weighted mean over scored accounts (unweighted without MRR).
    pub cs_score: Option<f64>,
    pub cs_score_unweighted: Option<f64>,
    pub split: LightSplit,
    pub accounts: Vec<AccountScore>,
    /// Why there is no company score, when there is none.
    #[serde(skip)]
    #[ts(skip)]
    missing: Option<Miss>,
    /// Whether MRR is known (the company score is MRR-weighted then).
    #[serde(skip)]
    #[ts(skip)]
    has_mrr: bool,
    /// Whether some account of the company has an MRR in the month (else `mrr_at_risk`
    /// is `no_data`); a [`ScoreReport::subset`] keeps the company's answer.
    #[serde(skip)]
    #[ts(skip)]
    mrr_known: bool,
}

impl ScoreReport {
    /// The company-level KPIs that `kpis` lists, with their ids.
    pub fn company_kpis(&self) -> Vec<(&'static str, Val)> {
        let scored = (self.split.green + self.split.yellow + self.split.red) as f64;
        let guard = |v: Option<f64>| -> Val {
            match (&self.missing, v) {
                (Some(m), _) => Err(m.clone()),
                (None, Some(v)) => Ok(v),
                (None, None) => Err(Miss::Undefined),
            }
        };
        let share = |n: u32| guard((scored > 0.0).then(|| n as f64 / scored * 100.0));
        vec![
            ("cs_score", guard(self.cs_score)),
            ("cs_score_unweighted", guard(self.cs_score_unweighted)),
            ("health_green", share(self.split.green)),
            ("health_yellow", share(self.split.yellow)),
            ("health_red", share(self.split.red)),
            (
                "mrr_at_risk",
                match &self.missing {
                    Some(m) => Err(m.clone()),
                    None if self.mrr_known => Ok(self.split.mrr_red),
                    None => Err(Miss::NoData(vec!["revenue"])),
                },
            ),
        ]
    }

    /// The report of the accounts `keep` picks, with their scores as they are: the light
    /// split, company score and MRR at risk of a group of accounts (a breakdown's group).
    pub fn subset(&self, keep: impl Fn(&AccountScore) -> bool) -> ScoreReport {
        let accounts: Vec<AccountScore> =
            self.accounts.iter().filter(|a| keep(a)).cloned().collect();
        let (split, cs_score, cs_score_unweighted) = aggregate(&accounts, self.has_mrr);
        ScoreReport {
            month: self.month,
            cs_score,
            cs_score_unweighted,
            split,
            accounts,
            missing: self.missing.clone(),
            has_mrr: self.has_mrr,
            mrr_known: self.mrr_known,
        }
    }

    /// Accounts whose light changed since the month before.
    pub fn movers(&self) -> impl Iterator<Item = &AccountScore> {
        self.accounts.iter().filter(|a| {
            a.light.is_some() && a.previous_light.is_some() && a.light != a.previous_light
        })
    }
}

pub fn light(score: f64, s: &Settings) -> Light {
    if score >= s.threshold_green {
        Light::Green
    } else if score >= s.threshold_yellow {
        Light::Yellow
    } else {
        Light::Red
    }
}

/// Weighted mean of the components present; `None` with fewer than two, or no weight.
pub fn combine(c: &Components, s: &Settings) -> Option<f64> {
    let (mut sum, mut weights, mut n) = (0.0, 0.0, 0);
    for comp in Component::ALL {
        if let Some(v) = c.get(comp) {
            sum += s.weight(comp) * v;
            weights += s.weight(comp);
            n += 1;
        }
    }
    // a weighted mean of values in [0, 100] is in [0, 100]; the clamp only removes the last
    // bit of rounding (100 · w / w can be 100.00000000000001; found by tests/engine/properties)
    let score = sum / weights;
    (n >= 2 && weights > 0.0 && score.is_finite()).then(|| score.clamp(0.0, 100.0))
}

fn capped(x: f64, target: f64) -> f64 {
    (x / target).min(1.0) * 100.0
}

/// Scores of every account active in `month`, without previous lights; `named: false`
/// leaves name, owner and segment empty (for months whose accounts are not listed).
fn score_month(
    data: &Data,
    act: &Activity,
    month: Month,
    s: &Settings,
    named: bool,
) -> Vec<AccountScore> {
    if act.require(month).is_err() {
        return vec![];
    }
    let usage = score_usage(data, month);
    let (from, to) = window_90(month);
    let mut surveys: HashMap<&str, Vec<&Survey>> = HashMap::default();
    for r in data
        .surveys
        .iter()
        .filter(|r| r.date >= from && r.date <= to)
    {
        if let Some(a) = r.account_id.as_deref() {
            surveys.entry(a).or_default().push(r);
        }
    }
    let mut touch: HashMap<&str, u32> = HashMap::default();
    let mut any_touch = false;
    for t in data
        .touchpoints
        .iter()
        .filter(|t| t.date >= from && t.date <= to)
    {
        any_touch = true;
        *touch.entry(t.account_id.as_str()).or_default() += 1;
    }
    let mut out = Vec::new();
    // each account's peer group for percentiles: `None` all, else its segment
    let mut peers: Vec<Option<Option<String>>> = Vec::new();
    for i in act.active_in(month) {
        let id = act.id(i);
        let account = act.account(i);
        let mut c = Components::default();
        let mut inp = Inputs::default();
        if usage.rows > 0 {
            let (days, users) = usage.get(id).unwrap_or((0, 0));
            inp.active_days = Some(days);
            inp.users = Some(users);
            c.usage = Some(capped(days as f64, s.target_usage_days));
            if let Some(seats) = account.and_then(|a| a.seats).filter(|&n| n > 0) {
                inp.seats = Some(seats);
                c.adoption = Some(capped(users as f64, seats as f64));
            }
        }
        if let Some(rs) = surveys.get(id) {
            let rows = || rs.iter().copied();
            inp.nps_responses = rows().filter(|r| r.nps.is_some()).count() as u32;
            inp.csat_responses = rows().filter(|r| r.csat.is_some()).count() as u32;
            inp.ces_responses = rows().filter(|r| r.ces.is_some()).count() as u32;
            if let Ok(nps) = crate::kpi::nps(rows()) {
                inp.nps = Some(nps);
                c.sentiment = Some((nps + 100.0) / 2.0);
            }
            c.satisfaction = crate::kpi::csat(rows())
                .or_else(|_| crate::kpi::ces(rows()))
                .ok();
        }
        if any_touch {
            let n = touch.get(id).copied().unwrap_or(0);
            inp.touchpoints_90d = Some(n);
            c.engagement = Some(capped(n as f64, s.target_touchpoints));
        }
        if act.has_mrr() {
            let now = act.mrr(i, month);
            inp.mrr = Some(now);
            if let Some(b) = (-3..=0).map(|k| month.plus(k)).find(|&b| act.active(i, b)) {
                let base = act.mrr(i, b);
                inp.mrr_base = Some(base);
                inp.mrr_base_month = Some(b);
                if base > 0.0 {
                    c.account_health = Some((now / base).min(1.0) * 100.0);
                }
            }
        }
        let raw = Components {
            usage: c.usage.and(inp.active_days.map(f64::from)),
            adoption: c
                .adoption
                .and(inp.users.zip(inp.seats))
                .map(|(u, n)| u as f64 / n as f64),
            sentiment: c.sentiment.and(inp.nps),
            engagement: c.engagement.and(inp.touchpoints_90d.map(f64::from)),
            satisfaction: c.satisfaction,
            account_health: c
                .account_health
                .and(inp.mrr.zip(inp.mrr_base))
                .map(|(now, base)| now / base),
        };
        let score = combine(&c, s);
        let peer = match s.score_peers {
            Peers::All => None,
            Peers::Segment => Some(
                account
                    .and_then(|a| a.segment.as_deref())
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(str::to_owned),
            ),
        };
        peers.push(peer);
        let account = account.filter(|_| named);
        out.push(AccountScore {
            account_id: id.to_owned(),
            name: account.and_then(|a| a.name.clone()),
            owner: account.and_then(|a| a.owner.clone()),
            segment: account.and_then(|a| a.segment.clone()),
            mrr: inp.mrr,
            score,
            light: score.map(|v| light(v, s)),
            previous_light: None,
            components: c,
            inputs: inp,
            raw,
            coverage: None,
        });
        if let Some(a) = out.last_mut() {
            a.coverage = crate::insights::coverage::account(a);
        }
    }
    if s.score_method == ScoreMethod::Percentile {
        percentiles(&mut out, &peers, s);
    }
    out
}

/// The mid-rank percentile of `x` among `sorted` (which holds `x`):
/// (#{y < x} + ½·#{y = x}) / n × 100.
pub fn mid_rank(sorted: &[f64], x: f64) -> f64 {
    let below = sorted.partition_point(|y| *y < x);
    let upto = sorted.partition_point(|y| *y <= x);
    (below as f64 + 0.5 * (upto - below) as f64) / sorted.len() as f64 * 100.0
}

/// `score.method = percentile`: each present component becomes its raw input's mid-rank
/// percentile among the peers that have it (all accounts, or the same segment), then the
/// score and light are recombined with the same weights and thresholds.
fn percentiles(out: &mut [AccountScore], peers: &[Option<Option<String>>], s: &Settings) {
    let mut groups: HashMap<&Option<Option<String>>, Vec<usize>> = HashMap::default();
    for (i, p) in peers.iter().enumerate() {
        groups.entry(p).or_default().push(i);
    }
    for members in groups.values() {
        for comp in Component::ALL {
            let mut values: Vec<f64> = members
                .iter()
                .filter_map(|&i| out[i].raw.get(comp))
                .collect();
            values.sort_by(f64::total_cmp);
            for &i in members {
                if let Some(x) = out[i].raw.get(comp) {
                    *out[i].components.get_mut(comp) = Some(mid_rank(&values, x));
                }
            }
        }
    }
    for a in out.iter_mut() {
        a.score = combine(&a.components, s);
        a.light = a.score.map(|v| light(v, s));
    }
}

/// The CS score of every account active in `month` and of the company.
pub fn compute(data: &Data, month: Month, s: &Settings) -> ScoreReport {
    compute_with(data, &Activity::new(data), month, s, true)
}

/// As [`compute`] with the activity already derived; `previous: false` leaves every
/// `previous_light` empty and skips scoring the month before (for series of months).
pub fn compute_with(
    data: &Data,
    act: &Activity,
    month: Month,
    s: &Settings,
    previous: bool,
) -> ScoreReport {
    if previous {
        compute_after(
            data,
            act,
            month,
            s,
            &compute_unnamed(data, act, month.plus(-1), s),
        )
    } else {
        report(data, act, month, s, None, true)
    }
}

/// As [`compute_with`] with previous lights, taken from `before`: the month before's
/// report (from [`compute_unnamed`] or [`compute_with`]) when the caller has it already.
pub fn compute_after(
    data: &Data,
    act: &Activity,
    month: Month,
    s: &Settings,
    before: &ScoreReport,
) -> ScoreReport {
    report(data, act, month, s, Some(before), true)
}

/// As [`compute_with`] without previous lights and with every account's name, owner and
/// segment empty: the company numbers ([`ScoreReport::company_kpis`]) of a month whose
/// accounts are not listed (trend months), the same as [`compute_with`]'s.
pub fn compute_unnamed(data: &Data, act: &Activity, month: Month, s: &Settings) -> ScoreReport {
    report(data, act, month, s, None, false)
}

fn report(
    data: &Data,
    act: &Activity,
    month: Month,
    s: &Settings,
    before: Option<&ScoreReport>,
    named: bool,
) -> ScoreReport {
    let mut accounts = score_month(data, act, month, s, named);
    accounts.sort_by(|a, b| a.account_id.cmp(&b.account_id));
    if let Some(before) = before {
        // both sorted by account id
        for a in &mut accounts {
            a.previous_light = before
                .accounts
                .binary_search_by(|b| b.account_id.cmp(&a.account_id))
                .ok()
                .and_then(|i| before.accounts[i].light);
        }
    }

    let (split, cs_score, unweighted) = aggregate(&accounts, act.has_mrr());
    let mrr_known = accounts.iter().any(|a| a.mrr.is_some());
    ScoreReport {
        month,
        cs_score,
        cs_score_unweighted: unweighted,
        split,
        accounts,
        missing: act.require(month).err(),
        has_mrr: act.has_mrr(),
        mrr_known,
    }
}

/// The light split, the company score and the unweighted score of `accounts`.
fn aggregate(accounts: &[AccountScore], has_mrr: bool) -> (LightSplit, Option<f64>, Option<f64>) {
    let mut split = LightSplit::default();
    let (mut wsum, mut w, mut sum, mut n) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    for a in accounts {
        let (Some(score), Some(l)) = (a.score, a.light) else {
            continue;
        };
        let mrr = a.mrr.unwrap_or(0.0);
        match l {
            Light::Green => {
                split.green += 1;
                split.mrr_green += mrr;
            }
            Light::Yellow => {
                split.yellow += 1;
                split.mrr_yellow += mrr;
            }
            Light::Red => {
                split.red += 1;
                split.mrr_red += mrr;
            }
        }
        wsum += score * mrr;
        w += mrr;
        sum += score;
        n += 1.0;
    }
    // means of scores in [0, 100]; the clamp removes rounding only (see `combine`)
    let unweighted = (n > 0.0).then(|| (sum / n).clamp(0.0, 100.0));
    let cs_score = if has_mrr && w > 0.0 {
        Some((wsum / w).clamp(0.0, 100.0))
    } else {
        unweighted
    };
    (split, cs_score, unweighted)
}
