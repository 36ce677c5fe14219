//! Breakdowns (`insights.md` §1): every account-based KPI per segment, owner, plan or
//! region. The month's data is loaded once, scored once for the company, then split by
//! group (each row moves to its account's group, nothing is copied) and each group's KPIs
//! are the ordinary [`kpi::compute_with`] on its rows, with the company deciding whether a
//! dataset or field exists (`Coverage::company_fields`) and the company's scores of the
//! group's accounts.

use crate::error::{Error, Lang, Result};
use crate::kpi::catalogue::{self, KpiInfo};
use crate::kpi::{self, Activity, Kpi};
use crate::model::{Account, Data, UsageCounts};
use crate::month::Month;
use crate::score::ScoreReport;
use crate::settings::Settings;
use crate::store::Store;
use crate::window::{on_two_threads, Span, Window};
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};

/// What accounts are grouped by: their field in the accounts dataset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Dim {
    Segment,
    Owner,
    Plan,
    Region,
}

impl Dim {
    pub const ALL: [Dim; 4] = [Dim::Segment, Dim::Owner, Dim::Plan, Dim::Region];

    pub fn id(self) -> &'static str {
        match self {
            Dim::Segment => "segment",
            Dim::Owner => "owner",
            Dim::Plan => "plan",
            Dim::Region => "region",
        }
    }

    pub fn parse(text: &str) -> Result<Dim> {
        let t = text.trim().to_lowercase();
        Dim::ALL
            .into_iter()
            .find(|d| d.id() == t)
            .ok_or_else(|| Error::BadDimension(text.to_owned()))
    }

    /// The account's value, `None` when empty.
    pub fn of(self, a: &Account) -> Option<&str> {
        let v = match self {
            Dim::Segment => &a.segment,
            Dim::Owner => &a.owner,
            Dim::Plan => &a.plan,
            Dim::Region => &a.region,
        };
        v.as_deref().map(str::trim).filter(|v| !v.is_empty())
    }
}

/// A value of the dimension, the accounts without one, or the rows of accounts that are
/// in no accounts batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum GroupKind {
    Value,
    /// `(none)` / `(ohne)`
    None,
    /// `(unknown)` / `(unbekannt)`
    Unknown,
}

/// One group's KPIs.
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct BreakdownGroup {
    /// The value, or `(none)`/`(unknown)` in the language asked for (`kind` tells which).
    pub key: String,
    pub kind: GroupKind,
    /// Accounts with this value, active or not (`Unknown`: distinct account ids of its rows).
    pub accounts: u32,
    /// Every account-based KPI (`kpis.md` order), company-only ones left out.
    pub kpis: Vec<Kpi>,
}

/// A month's KPIs per group of one dimension, groups sorted by MRR descending, then key.
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Breakdown {
    #[ts(type = "string")]
    pub month: Month,
    pub by: Dim,
    pub groups: Vec<BreakdownGroup>,
}

/// KPIs without an account: company-only, never in a breakdown. Derived from the KPI
/// catalogue: a KPI is company-only when one of the dataset lists it rests on holds only
/// datasets whose rows carry no account ([`crate::model::Kind::per_account`]: campaigns,
/// costs, leads).
pub const COMPANY_ONLY: [&str; company_only_count()] = company_only_ids();

/// Does the catalogue's KPI `k` rest on a dataset that has no account?
const fn is_company_only(k: &KpiInfo) -> bool {
    let mut i = 0;
    while i < k.needs.len() {
        let one_of = k.needs[i];
        let mut j = 0;
        let mut any_per_account = false;
        while j < one_of.len() {
            if one_of[j].per_account() {
                any_per_account = true;
            }
            j += 1;
        }
        if !any_per_account {
            return true;
        }
        i += 1;
    }
    false
}

const fn company_only_count() -> usize {
    let (mut i, mut n) = (0, 0);
    while i < catalogue::KPIS.len() {
        if is_company_only(&catalogue::KPIS[i]) {
            n += 1;
        }
        i += 1;
    }
    n
}

const fn company_only_ids() -> [&'static str; company_only_count()] {
    let mut out = [""; company_only_count()];
    let (mut i, mut n) = (0, 0);
    while i < catalogue::KPIS.len() {
        if is_company_only(&catalogue::KPIS[i]) {
            out[n] = catalogue::KPIS[i].id;
            n += 1;
        }
        i += 1;
    }
    out
}

/// The `dataset.field`s (and datasets) the KPI code asks about, as the company's data
/// answers: the same predicates as the KPI code's own (`Coverage::has_field`).
pub fn company_fields(d: &Data) -> Vec<&'static str> {
    let t = &d.tickets;
    let a = &d.accounts;
    let checks: [(&'static str, bool); 9] = [
        (
            "tickets.contacts",
            t.iter()
                .any(|t| t.first_contact_resolution.is_some() || t.contacts.is_some()),
        ),
        (
            "tickets.first_response_at",
            t.iter()
                .any(|t| t.first_response_at.is_some() || t.first_response_minutes.is_some()),
        ),
        (
            "tickets.resolved_at",
            t.iter().any(|t| t.resolved_at.is_some()),
        ),
        (
            "tickets.first_contact_resolution",
            t.iter().any(|t| t.first_contact_resolution.is_some()),
        ),
        (
            "accounts.seats",
            a.iter().any(|a| a.seats.is_some_and(|s| s > 0)),
        ),
        ("renewals", !d.renewals.is_empty()),
        (
            "accounts.renewal_date",
            a.iter().any(|a| a.renewal_date.is_some()),
        ),
        ("accounts", !a.is_empty()),
        (
            "accounts.onboarded_date",
            a.iter().any(|a| a.onboarded_date.is_some()),
        ),
    ];
    checks
        .into_iter()
        .filter_map(|(f, has)| has.then_some(f))
        .collect()
}

fn none_key(lang: Lang) -> String {
    lang.pick("(none)".into(), "(ohne)".into())
}

fn unknown_key(lang: Lang) -> String {
    lang.pick("(unknown)".into(), "(unbekannt)".into())
}

/// Which group each account id belongs to.
pub struct Grouping {
    pub dim: Dim,
    /// Group keys (values, then `(none)`, then `(unknown)` if any), with their kinds and
    /// account counts.
    pub groups: Vec<(String, GroupKind, u32)>,
    of: HashMap<String, usize>,
    unknown: Option<usize>,
}

impl Grouping {
    /// The groups of `dim` in `data` (the accounts' latest rows; rows of ids in no
    /// accounts batch form `(unknown)`).
    pub fn new(data: &Data, dim: Dim, lang: Lang) -> Grouping {
        // the latest row of each account id
        let mut latest: HashMap<&str, &Account> = HashMap::default();
        for a in &data.accounts {
            latest.insert(a.account_id.as_str(), a);
        }
        let mut values: Vec<&str> = latest.values().filter_map(|a| dim.of(a)).collect();
        values.sort_unstable();
        values.dedup();
        let mut groups: Vec<(String, GroupKind, u32)> = values
            .iter()
            .map(|v| ((*v).to_owned(), GroupKind::Value, 0))
            .collect();
        let none = latest.values().any(|a| dim.of(a).is_none()).then(|| {
            groups.push((none_key(lang), GroupKind::None, 0));
            groups.len() - 1
        });
        let mut of: HashMap<String, usize> = HashMap::default();
        for (id, a) in &latest {
            let g = match dim.of(a) {
                Some(v) => values.binary_search(&v).unwrap_or(0),
                None => none.unwrap_or(0),
            };
            groups[g].2 += 1;
            of.insert((*id).to_owned(), g);
        }
        let mut g = Grouping {
            dim,
            groups,
            of,
            unknown: None,
        };
        // ids of rows that are in no accounts batch
        let ids = data
            .revenue
            .iter()
            .map(|r| Some(r.account_id.as_str()))
            .chain(data.renewals.iter().map(|r| Some(r.account_id.as_str())))
            .chain(data.surveys.iter().map(|r| r.account_id.as_deref()))
            .chain(data.tickets.iter().map(|r| r.account_id.as_deref()))
            .chain(data.usage.iter().map(|r| Some(r.account_id.as_str())))
            .chain(data.touchpoints.iter().map(|r| Some(r.account_id.as_str())))
            .chain(data.orders.iter().map(|r| Some(r.account_id.as_str())))
            .chain(
                data.usage_counts
                    .iter()
                    .flat_map(|c| c.by_account.keys().map(|k| Some(k.as_str()))),
            );
        let mut unknown: Vec<&str> = ids
            .flatten()
            .filter(|id| !id.is_empty() && !g.of.contains_key(*id))
            .collect();
        unknown.sort_unstable();
        unknown.dedup();
        if !unknown.is_empty() {
            g.groups
                .push((unknown_key(lang), GroupKind::Unknown, unknown.len() as u32));
            g.unknown = Some(g.groups.len() - 1);
        }
        g
    }

    /// The group of an account id; `None` for an empty id (company value only).
    pub fn of(&self, id: &str) -> Option<usize> {
        if id.is_empty() {
            return None;
        }
        self.of.get(id).copied().or(self.unknown)
    }

    /// `data`'s rows, moved into one `Data` per group (campaigns, costs and leads stay
    /// with no group). Each group keeps the company's coverage and answers whether a
    /// dataset or field exists as the company does.
    pub fn split(&self, data: Data) -> Vec<Data> {
        let mut coverage = data.coverage.clone();
        coverage.company_fields = Some(company_fields(&data));
        let mut out: Vec<Data> = (0..self.groups.len())
            .map(|_| Data {
                coverage: coverage.clone(),
                ..Data::default()
            })
            .collect();
        macro_rules! move_rows {
            ($field:ident, $r:ident => $id:expr) => {
                for $r in data.$field {
                    let g = $id.and_then(|id: &str| self.of(id));
                    if let Some(g) = g {
                        out[g].$field.push($r);
                    }
                }
            };
        }
        move_rows!(accounts, r => Some(r.account_id.as_str()));
        move_rows!(revenue, r => Some(r.account_id.as_str()));
        move_rows!(renewals, r => Some(r.account_id.as_str()));
        move_rows!(surveys, r => r.account_id.as_deref());
        move_rows!(tickets, r => r.account_id.as_deref());
        move_rows!(usage, r => Some(r.account_id.as_str()));
        move_rows!(touchpoints, r => Some(r.account_id.as_str()));
        move_rows!(orders, r => Some(r.account_id.as_str()));
        for c in data.usage_counts {
            let mut parts: Vec<UsageCounts> = (0..out.len())
                .map(|_| UsageCounts {
                    month: c.month,
                    rows: 0,
                    by_account: HashMap::default(),
                })
                .collect();
            for (id, v) in c.by_account {
                if let Some(g) = self.of(&id) {
                    // rows per group are not known from the counts: a group with
                    // accounts counts as having rows (what `rows > 0` asks)
                    parts[g].rows = c.rows;
                    parts[g].by_account.insert(id, v);
                }
            }
            for (g, p) in parts.into_iter().enumerate() {
                out[g].usage_counts.push(p);
            }
        }
        out
    }
}

/// The dimensions with at least two groups in `data`, with their group counts.
pub fn offered(data: &Data, lang: Lang) -> Vec<(Dim, usize)> {
    Dim::ALL
        .into_iter()
        .map(|d| (d, Grouping::new(data, d, lang).groups.len()))
        .filter(|(_, n)| *n >= 2)
        .collect()
}

/// The breakdown of `month` by `dim` of `data` (consumed: its rows move into the groups),
/// with `scores` the company's scores of `month`.
pub fn compute(
    data: Data,
    month: Month,
    settings: &Settings,
    scores: &ScoreReport,
    dim: Dim,
    lang: Lang,
) -> Result<Breakdown> {
    let grouping = Grouping::new(&data, dim, lang);
    if grouping.groups.len() < 2 {
        return Err(Error::DimensionNotOffered {
            dim: dim.id().to_owned(),
            groups: grouping.groups.len(),
        });
    }
    let shape = Activity::new(&data).shape();
    let parts = grouping.split(data);
    let group_of = |id: &str| grouping.of(id);
    let groups = on_two_threads(parts.len(), |g| {
        let d = &parts[g];
        let act = Activity::like(d, shape);
        let sub = scores.subset(|a| group_of(&a.account_id) == Some(g));
        let mut k = kpi::compute_with(d, &act, month, settings, &sub);
        k.kpis.retain(|k| !COMPANY_ONLY.contains(&k.id.as_str()));
        let (key, kind, accounts) = grouping.groups[g].clone();
        BreakdownGroup {
            key,
            kind,
            accounts,
            kpis: k.kpis,
        }
    });
    let mut groups = groups;
    let mrr = |g: &BreakdownGroup| {
        g.kpis
            .iter()
            .find(|k| k.id == "mrr")
            .and_then(|k| k.value)
            .unwrap_or(f64::NEG_INFINITY)
    };
    groups.sort_by(|a, b| mrr(b).total_cmp(&mrr(a)).then_with(|| a.key.cmp(&b.key)));
    Ok(Breakdown {
        month,
        by: dim,
        groups,
    })
}

/// The breakdown of `month` (default: the latest with data) by `dim`, from the store;
/// `None` when the store holds no data.
pub fn from_store(
    store: &Store,
    month: Option<Month>,
    dim: Dim,
    lang: Lang,
) -> Result<Option<Breakdown>> {
    let w = Window::open(store, month, Span::Month)?;
    let Some(month) = w.month else {
        return Ok(None);
    };
    let scores = crate::score::compute(&w.data, month, &w.settings);
    compute(w.data, month, &w.settings, &scores, dim, lang).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn company_only_kpis_are_those_of_campaigns_leads_and_costs() {
        // the list this derivation replaced, in catalogue order
        let before = [
            "email_open_rate",
            "email_ctr",
            "email_conversion_rate",
            "unsubscribe_rate",
            "page_views",
            "bounce_rate",
            "exit_rate",
            "avg_web_session_minutes",
            "social_interactions",
            "event_registrations",
            "event_attendees",
            "event_attendance_rate",
            "conversion_rate",
            "free_to_paid_rate",
            "crc",
            "cac",
            "ltv_cac",
        ];
        assert_eq!(COMPANY_ONLY, before);
        // KPIs of datasets whose rows have an account stay in the breakdown
        assert!(!COMPANY_ONLY.contains(&"mrr"));
        assert!(!COMPANY_ONLY.contains(&"aov"));
    }
}
