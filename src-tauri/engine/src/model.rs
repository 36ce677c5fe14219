//! The eleven dataset kinds as typed rows: what the KPI and score code reads.
//!
//! Rows are already validated (the importer rejects what does not parse), so the types here
//! say exactly what may be missing: `Option` is "the export had no value".

use crate::month::Month;
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// One of the eleven dataset kinds of `datasets.md`.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Accounts,
    Revenue,
    Renewals,
    Surveys,
    Tickets,
    Usage,
    Touchpoints,
    Campaigns,
    Costs,
    Leads,
    Orders,
}

impl Kind {
    pub const ALL: [Kind; 11] = [
        Kind::Accounts,
        Kind::Revenue,
        Kind::Renewals,
        Kind::Surveys,
        Kind::Tickets,
        Kind::Usage,
        Kind::Touchpoints,
        Kind::Campaigns,
        Kind::Costs,
        Kind::Leads,
        Kind::Orders,
    ];

    /// The canonical id, also the SQLite table name.
    pub fn id(self) -> &'static str {
        match self {
            Kind::Accounts => "accounts",
            Kind::Revenue => "revenue",
            Kind::Renewals => "renewals",
            Kind::Surveys => "surveys",
            Kind::Tickets => "tickets",
            Kind::Usage => "usage",
            Kind::Touchpoints => "touchpoints",
            Kind::Campaigns => "campaigns",
            Kind::Costs => "costs",
            Kind::Leads => "leads",
            Kind::Orders => "orders",
        }
    }

    pub fn parse(text: &str) -> Option<Kind> {
        let t = text.trim().to_lowercase();
        Kind::ALL.into_iter().find(|k| k.id() == t)
    }

    /// Do this dataset's rows belong to an account (carry an account id)? Campaigns,
    /// costs and leads are the company's alone: their KPIs are never split by account
    /// group.
    pub const fn per_account(self) -> bool {
        !matches!(self, Kind::Campaigns | Kind::Costs | Kind::Leads)
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// How an import's rows meet the rows of earlier imports of the same kind (stored with
/// the batch, chosen before the import; `cspulse import --overlap`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Overlap {
    /// Where the file overlaps earlier imports, its rows are used instead of theirs.
    #[default]
    Supersede,
    /// Its rows are additional records: they replace nothing (a second product line's
    /// revenue for the same months, a usage export of other accounts).
    Add,
}

impl Overlap {
    pub fn id(self) -> &'static str {
        match self {
            Overlap::Supersede => "supersede",
            Overlap::Add => "add",
        }
    }

    pub fn parse(text: &str) -> Option<Overlap> {
        match text.trim().to_ascii_lowercase().as_str() {
            "supersede" => Some(Overlap::Supersede),
            "add" => Some(Overlap::Add),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Account {
    pub account_id: String,
    pub name: Option<String>,
    pub segment: Option<String>,
    pub plan: Option<String>,
    pub owner: Option<String>,
    pub region: Option<String>,
    pub start_date: Option<NaiveDate>,
    pub churn_date: Option<NaiveDate>,
    pub renewal_date: Option<NaiveDate>,
    pub seats: Option<i64>,
    pub mrr: Option<f64>,
    pub onboarded_date: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Revenue {
    pub account_id: String,
    pub month: Month,
    pub mrr: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Renewed,
    Churned,
    Open,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Renewal {
    pub account_id: String,
    pub due_date: NaiveDate,
    pub outcome: Outcome,
    pub amount: Option<f64>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Survey {
    pub account_id: Option<String>,
    pub date: NaiveDate,
    pub nps: Option<i64>,
    pub csat: Option<i64>,
    pub ces: Option<i64>,
    pub comment: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Ticket {
    pub account_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub first_response_at: Option<NaiveDateTime>,
    pub first_response_minutes: Option<f64>,
    pub resolved_at: Option<NaiveDateTime>,
    pub contacts: Option<i64>,
    /// `Some` only when the export had a first-contact-resolution column with a value.
    pub first_contact_resolution: Option<bool>,
}

/// A text value that many rows repeat (an account, user or feature id of the usage rows):
/// one shared allocation per distinct value, 16 bytes per row, instead of a `String` (24
/// bytes and an allocation) per row. Compares, hashes and orders as its text.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Id(std::sync::Arc<str>);

impl Id {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for Id {
    fn default() -> Id {
        Id::from("")
    }
}

impl std::ops::Deref for Id {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Id {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Id {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Id {
    fn from(s: &str) -> Id {
        Id(s.into())
    }
}

impl From<String> for Id {
    fn from(s: String) -> Id {
        Id(s.into())
    }
}

impl From<&String> for Id {
    fn from(s: &String) -> Id {
        Id(s.as_str().into())
    }
}

impl PartialEq<str> for Id {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Id {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Id {
    fn eq(&self, other: &String) -> bool {
        &*self.0 == other.as_str()
    }
}

impl std::fmt::Debug for Id {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*self.0, f)
    }
}

impl std::fmt::Display for Id {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One usage row. The store loads up to millions of them for a month's window, so the ids
/// are shared [`Id`]s (interned while loading) and the row is 88 bytes with no allocation
/// of its own.
#[derive(Clone, Debug, PartialEq)]
pub struct Usage {
    pub account_id: Id,
    pub user_id: Id,
    pub date: NaiveDate,
    /// `None`: the column was not mapped; the row counts as one session.
    pub sessions: Option<i64>,
    pub session_seconds: Option<f64>,
    pub feature: Option<Id>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Touchpoint {
    pub account_id: String,
    pub date: NaiveDate,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    Email,
    Web,
    Social,
    Event,
    Other,
}

/// One campaign/page/post/event row; counts not in the export are `None`.
#[derive(Clone, Debug, PartialEq)]
pub struct Campaign {
    pub date: NaiveDate,
    pub channel: Channel,
    pub sent: Option<f64>,
    pub delivered: Option<f64>,
    pub opened: Option<f64>,
    pub clicked: Option<f64>,
    pub converted: Option<f64>,
    pub unsubscribed: Option<f64>,
    pub page_views: Option<f64>,
    pub sessions: Option<f64>,
    pub bounces: Option<f64>,
    pub exits: Option<f64>,
    pub duration_seconds: Option<f64>,
    pub likes: Option<f64>,
    pub shares: Option<f64>,
    pub comments: Option<f64>,
    pub clicks: Option<f64>,
    pub registrations: Option<f64>,
    pub attendees: Option<f64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CostType {
    Retention,
    Acquisition,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Cost {
    pub month: Month,
    pub cost_type: CostType,
    pub amount: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Lead {
    pub created_date: NaiveDate,
    pub converted_date: Option<NaiveDate>,
    pub trial: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Order {
    pub account_id: String,
    pub date: NaiveDate,
    pub amount: f64,
}

/// What the CS score reads of one month's usage rows: how many there are and, per
/// account id, its distinct active days and distinct users.
#[derive(Clone, Debug, PartialEq)]
pub struct UsageCounts {
    pub month: Month,
    pub rows: usize,
    /// Account id → (distinct days, distinct users) in the month.
    pub by_account: rustc_hash::FxHashMap<String, (u32, u32)>,
}

/// Everything the KPI and score code reads. Built by the store (or by tests by hand).
#[derive(Clone, Debug, Default)]
pub struct Data {
    pub accounts: Vec<Account>,
    pub revenue: Vec<Revenue>,
    pub renewals: Vec<Renewal>,
    pub surveys: Vec<Survey>,
    pub tickets: Vec<Ticket>,
    pub usage: Vec<Usage>,
    pub touchpoints: Vec<Touchpoint>,
    pub campaigns: Vec<Campaign>,
    pub costs: Vec<Cost>,
    pub leads: Vec<Lead>,
    pub orders: Vec<Order>,
    /// Months whose usage rows were not loaded into `usage` but only counted for the CS score
    /// (the older trend months of the board report; see `Store::load_months_lean`).
    pub usage_counts: Vec<UsageCounts>,
    /// Months (inclusive) covered by each dated dataset, from all of its rows, even when only
    /// part of the rows were loaded (the store loads usage only for the months it needs).
    pub coverage: Coverage,
}

/// First and last month with rows, per dataset kind. Outside this range a dataset says
/// nothing (KPIs are `no_data`), inside it a month without rows is a real zero.
#[derive(Clone, Debug, Default)]
pub struct Coverage {
    pub spans: Vec<(Kind, Month, Month)>,
    /// The `dataset.field`s (and datasets) the *company's* data has, when these rows are
    /// one group's part of it (a breakdown, `insights::breakdown`): whether a dataset or
    /// field exists is decided for the company. `None`: decided from the rows themselves.
    pub company_fields: Option<Vec<&'static str>>,
}

impl Coverage {
    pub fn span(&self, kind: Kind) -> Option<(Month, Month)> {
        self.spans
            .iter()
            .find(|(k, _, _)| *k == kind)
            .map(|(_, a, b)| (*a, *b))
    }
    pub fn covers(&self, kind: Kind, m: Month) -> bool {
        self.span(kind).is_some_and(|(a, b)| a <= m && m <= b)
    }
    /// Whether the data has `field` (`dataset.field` or a dataset): the company's answer
    /// when these are one group's rows, else `own()`, the answer of the rows themselves.
    pub fn has_field(&self, field: &'static str, own: impl FnOnce() -> bool) -> bool {
        match &self.company_fields {
            Some(fields) => fields.contains(&field),
            None => own(),
        }
    }
    pub fn set(&mut self, kind: Kind, first: Month, last: Month) {
        self.spans.retain(|(k, _, _)| *k != kind);
        self.spans.push((kind, first, last));
    }
}

impl Data {
    /// Computes the coverage from the rows themselves (used by tests and the demo).
    pub fn with_coverage_from_rows(mut self) -> Data {
        fn span<I: Iterator<Item = Month>>(it: I) -> Option<(Month, Month)> {
            it.fold(None, |acc, m| match acc {
                None => Some((m, m)),
                Some((a, b)) => Some((a.min(m), b.max(m))),
            })
        }
        let spans = [
            (Kind::Revenue, span(self.revenue.iter().map(|r| r.month))),
            (
                Kind::Renewals,
                span(self.renewals.iter().map(|r| Month::of(r.due_date))),
            ),
            (
                Kind::Surveys,
                span(self.surveys.iter().map(|r| Month::of(r.date))),
            ),
            (
                Kind::Tickets,
                span(self.tickets.iter().map(|r| Month::of(r.created_at.date()))),
            ),
            (
                Kind::Usage,
                span(self.usage.iter().map(|r| Month::of(r.date))),
            ),
            (
                Kind::Touchpoints,
                span(self.touchpoints.iter().map(|r| Month::of(r.date))),
            ),
            (
                Kind::Campaigns,
                span(self.campaigns.iter().map(|r| Month::of(r.date))),
            ),
            (Kind::Costs, span(self.costs.iter().map(|r| r.month))),
            (
                Kind::Leads,
                span(self.leads.iter().map(|r| Month::of(r.created_date))),
            ),
            (
                Kind::Orders,
                span(self.orders.iter().map(|r| Month::of(r.date))),
            ),
        ];
        for (kind, s) in spans {
            if let Some((a, b)) = s {
                self.coverage.set(kind, a, b);
            }
        }
        self
    }
}
