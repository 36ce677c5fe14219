//! A small builder for hand-made `Data`, plus assertion helpers for KPI reports.
//!
//! ```ignore
//! let data = Fx::new()
//!     .revenue("A", "2026-02", 100.0)
//!     .revenue("A", "2026-03", 120.0)
//!     .build();
//! let r = kpis(&data, "2026-03");
//! assert_ok(&r, "mrr_expansion", 20.0, "A grew by 20");
//! ```
#![allow(dead_code)]

use chrono::{NaiveDate, NaiveDateTime};
use cspulse_engine::kpi::{self, KpiReport, Status};
use cspulse_engine::model::{
    Account, Campaign, Channel, Cost, CostType, Data, Lead, Order, Outcome, Renewal, Revenue,
    Survey, Ticket, Touchpoint, Usage,
};
use cspulse_engine::score::{self, AccountScore, ScoreReport};
use cspulse_engine::{Month, Settings};

/// Tolerance for comparing computed floats with hand-computed ones.
pub const EPS: f64 = 1e-9;

/// `2026-03-15`
pub fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_else(|e| panic!("bad date {text}: {e}"))
}

/// `2026-03-15 10:30`
pub fn dt(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M")
        .unwrap_or_else(|e| panic!("bad datetime {text}: {e}"))
}

/// `2026-03`
pub fn m(text: &str) -> Month {
    Month::parse(text).unwrap_or_else(|| panic!("bad month {text}"))
}

/// Floats equal within an absolute-or-relative tolerance.
pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= EPS * (1.0 + a.abs().max(b.abs()))
}

pub fn assert_close(got: f64, expected: f64, msg: &str) {
    assert!(
        close(got, expected),
        "{msg}: expected {expected}, got {got}"
    );
}

/// A builder of `Data`; `build()` fills the coverage from the rows.
#[derive(Default, Clone)]
pub struct Fx {
    pub data: Data,
}

impl Fx {
    pub fn new() -> Fx {
        Fx::default()
    }

    /// A bare account (no dates: active in every month, started before any data).
    pub fn account(self, id: &str) -> Fx {
        self.account_with(id, |_| {})
    }

    /// An account, edited by `f`.
    pub fn account_with(mut self, id: &str, f: impl FnOnce(&mut Account)) -> Fx {
        let mut a = Account {
            account_id: id.to_owned(),
            ..Account::default()
        };
        f(&mut a);
        self.data.accounts.push(a);
        self
    }

    /// An account with start date, optional churn date and optional constant MRR.
    pub fn account_dates(self, id: &str, start: &str, churn: Option<&str>, mrr: Option<f64>) -> Fx {
        self.account_with(id, |a| {
            a.start_date = Some(d(start));
            a.churn_date = churn.map(d);
            a.mrr = mrr;
        })
    }

    pub fn revenue(mut self, id: &str, month: &str, mrr: f64) -> Fx {
        self.data.revenue.push(Revenue {
            account_id: id.to_owned(),
            month: m(month),
            mrr,
        });
        self
    }

    /// One revenue row per month from `first` on, one per value (0 rows are kept as 0).
    pub fn mrr_series(mut self, id: &str, first: &str, values: &[f64]) -> Fx {
        let first = m(first);
        for (k, v) in values.iter().enumerate() {
            self.data.revenue.push(Revenue {
                account_id: id.to_owned(),
                month: first.plus(k as i32),
                mrr: *v,
            });
        }
        self
    }

    pub fn renewal(mut self, id: &str, due: &str, outcome: Outcome) -> Fx {
        self.data.renewals.push(Renewal {
            account_id: id.to_owned(),
            due_date: d(due),
            outcome,
            amount: None,
        });
        self
    }

    /// A survey response, edited by `f` (account and all scores empty by default).
    pub fn survey(mut self, date: &str, f: impl FnOnce(&mut Survey)) -> Fx {
        let mut s = Survey {
            date: d(date),
            ..Survey::default()
        };
        f(&mut s);
        self.data.surveys.push(s);
        self
    }

    pub fn nps(self, account: Option<&str>, date: &str, v: i64) -> Fx {
        self.survey(date, |s| {
            s.account_id = account.map(str::to_owned);
            s.nps = Some(v);
        })
    }

    pub fn csat(self, account: Option<&str>, date: &str, v: i64) -> Fx {
        self.survey(date, |s| {
            s.account_id = account.map(str::to_owned);
            s.csat = Some(v);
        })
    }

    pub fn ces(self, account: Option<&str>, date: &str, v: i64) -> Fx {
        self.survey(date, |s| {
            s.account_id = account.map(str::to_owned);
            s.ces = Some(v);
        })
    }

    /// A ticket created at `created`, edited by `f` (everything else empty by default).
    pub fn ticket(mut self, created: &str, f: impl FnOnce(&mut Ticket)) -> Fx {
        let mut t = Ticket {
            account_id: None,
            created_at: dt(created),
            first_response_at: None,
            first_response_minutes: None,
            resolved_at: None,
            contacts: None,
            first_contact_resolution: None,
        };
        f(&mut t);
        self.data.tickets.push(t);
        self
    }

    /// One usage row (one session, no duration, no feature).
    pub fn usage(self, account: &str, user: &str, date: &str) -> Fx {
        self.usage_with(account, user, date, |_| {})
    }

    pub fn usage_with(
        mut self,
        account: &str,
        user: &str,
        date: &str,
        f: impl FnOnce(&mut Usage),
    ) -> Fx {
        let mut u = Usage {
            account_id: account.into(),
            user_id: user.into(),
            date: d(date),
            sessions: None,
            session_seconds: None,
            feature: None,
        };
        f(&mut u);
        self.data.usage.push(u);
        self
    }

    /// One usage row of `user` on each of `days` of `month`.
    pub fn usage_days(mut self, account: &str, user: &str, month: &str, days: &[u32]) -> Fx {
        let month = m(month);
        for &day in days {
            let date = NaiveDate::from_ymd_opt(month.year(), month.month(), day)
                .unwrap_or_else(|| panic!("bad day {day} of {month}"));
            self.data.usage.push(Usage {
                account_id: account.into(),
                user_id: user.into(),
                date,
                sessions: None,
                session_seconds: None,
                feature: None,
            });
        }
        self
    }

    pub fn feature(self, account: &str, user: &str, date: &str, feature: &str) -> Fx {
        self.usage_with(account, user, date, |u| u.feature = Some(feature.into()))
    }

    pub fn touch(mut self, account: &str, date: &str) -> Fx {
        self.data.touchpoints.push(Touchpoint {
            account_id: account.to_owned(),
            date: d(date),
        });
        self
    }

    /// A campaign row of `channel` on `date`, counts set by `f` (all `None` by default).
    pub fn campaign(mut self, date: &str, channel: Channel, f: impl FnOnce(&mut Campaign)) -> Fx {
        let mut c = Campaign {
            date: d(date),
            channel,
            sent: None,
            delivered: None,
            opened: None,
            clicked: None,
            converted: None,
            unsubscribed: None,
            page_views: None,
            sessions: None,
            bounces: None,
            exits: None,
            duration_seconds: None,
            likes: None,
            shares: None,
            comments: None,
            clicks: None,
            registrations: None,
            attendees: None,
        };
        f(&mut c);
        self.data.campaigns.push(c);
        self
    }

    pub fn cost(mut self, month: &str, cost_type: CostType, amount: f64) -> Fx {
        self.data.costs.push(Cost {
            month: m(month),
            cost_type,
            amount,
        });
        self
    }

    pub fn lead(mut self, created: &str, converted: Option<&str>, trial: bool) -> Fx {
        self.data.leads.push(Lead {
            created_date: d(created),
            converted_date: converted.map(d),
            trial,
        });
        self
    }

    pub fn order(mut self, account: &str, date: &str, amount: f64) -> Fx {
        self.data.orders.push(Order {
            account_id: account.to_owned(),
            date: d(date),
            amount,
        });
        self
    }

    /// The data, with the coverage computed from the rows.
    pub fn build(self) -> Data {
        self.data.with_coverage_from_rows()
    }
}

/// Scores and KPIs of `month` with default settings.
pub fn kpis(data: &Data, month: &str) -> KpiReport {
    kpis_with(data, month, &Settings::default())
}

pub fn kpis_with(data: &Data, month: &str, settings: &Settings) -> KpiReport {
    let month = m(month);
    let scores = score::compute(data, month, settings);
    kpi::compute(data, month, settings, &scores)
}

pub fn scores(data: &Data, month: &str) -> ScoreReport {
    score::compute(data, m(month), &Settings::default())
}

pub fn scores_with(data: &Data, month: &str, settings: &Settings) -> ScoreReport {
    score::compute(data, m(month), settings)
}

/// Settings changed from the defaults by `key=value` pairs.
pub fn settings(pairs: &[(&str, &str)]) -> Settings {
    let mut s = Settings::default();
    for (k, v) in pairs {
        s.set(k, v)
            .unwrap_or_else(|e| panic!("setting {k}={v}: {e}"));
    }
    s
}

/// The score of one account, which must be in the report.
pub fn account<'a>(r: &'a ScoreReport, id: &str) -> &'a AccountScore {
    r.accounts
        .iter()
        .find(|a| a.account_id == id)
        .unwrap_or_else(|| panic!("account {id} is not in the score report"))
}

fn kpi_of<'a>(r: &'a KpiReport, id: &str) -> &'a kpi::Kpi {
    r.get(id)
        .unwrap_or_else(|| panic!("KPI {id} is not in the report"))
}

/// `id` is `ok` with `expected` (within tolerance).
pub fn assert_ok(r: &KpiReport, id: &str, expected: f64, msg: &str) {
    let k = kpi_of(r, id);
    assert_eq!(
        k.status,
        Status::Ok,
        "{id} should be ok ({msg}); got {:?} needs {:?}",
        k.status,
        k.needs
    );
    let v = k
        .value
        .unwrap_or_else(|| panic!("{id}: ok without a value"));
    assert!(
        close(v, expected),
        "{id}: {msg}: expected {expected}, got {v}"
    );
}

/// `id` is `no_data`, without a value, and its `needs` contains `need`.
pub fn assert_no_data(r: &KpiReport, id: &str, need: &str, msg: &str) {
    let k = kpi_of(r, id);
    assert_eq!(
        k.status,
        Status::NoData,
        "{id} should be no_data ({msg}); got {:?} value {:?}",
        k.status,
        k.value
    );
    assert!(
        k.value.is_none(),
        "{id}: no_data must have no value ({msg})"
    );
    assert!(
        k.needs.iter().any(|n| n == need),
        "{id}: needs should name {need} ({msg}); got {:?}",
        k.needs
    );
}

/// `id` is `no_data` and its `needs` names something starting with `prefix`
/// (for fields whose exact id the spec leaves open).
pub fn assert_no_data_like(r: &KpiReport, id: &str, prefix: &str, msg: &str) {
    let k = kpi_of(r, id);
    assert_eq!(
        k.status,
        Status::NoData,
        "{id} should be no_data ({msg}); got {:?} value {:?}",
        k.status,
        k.value
    );
    assert!(
        k.needs.iter().any(|n| n.starts_with(prefix)),
        "{id}: needs should name a {prefix}… dataset/field ({msg}); got {:?}",
        k.needs
    );
}

/// `id` is `undefined` (a division by zero), without a value.
pub fn assert_undefined(r: &KpiReport, id: &str, msg: &str) {
    let k = kpi_of(r, id);
    assert_eq!(
        k.status,
        Status::Undefined,
        "{id} should be undefined ({msg}); got {:?} value {:?} needs {:?}",
        k.status,
        k.value,
        k.needs
    );
    assert!(
        k.value.is_none(),
        "{id}: undefined must have no value ({msg})"
    );
}

/// A tiny deterministic pseudo-random generator (xorshift64*) for property-style loops.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            v.swap(i, j);
        }
    }
}
