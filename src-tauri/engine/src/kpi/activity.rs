//! Which accounts are active in which month, and their MRR: from the revenue dataset when
//! there is one, else from the accounts' start and churn dates (`kpis.md`, "Customer activity").

use super::{Miss, Val};
use crate::model::{Account, Data, Kind};
use crate::month::Month;
use rustc_hash::FxHashMap as HashMap;

/// What activity is decided from: revenue rows (MRR > 0), else the accounts' start and churn
/// dates, else nothing (no data).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Basis {
    Revenue,
    Accounts,
    Nothing,
}

pub struct Activity<'a> {
    pub basis: Basis,
    ids: Vec<&'a str>,
    index: HashMap<&'a str, usize>,
    /// Revenue source: per account, the month index of its first revenue row and the
    /// summed MRR of every month from there to its last row (0 where it has none).
    mrr_by: Vec<(i32, Vec<f64>)>,
    /// Accounts source: the account row of each id.
    rows: Vec<&'a Account>,
    /// The accounts row of each id (the last one of an id), whatever the source.
    account_rows: Vec<Option<&'a Account>>,
    span: Option<(Month, Month)>,
    has_mrr: bool,
}

impl<'a> Activity<'a> {
    pub fn new(data: &'a Data) -> Activity<'a> {
        let mut ids: Vec<&'a str> = Vec::new();
        let mut index: HashMap<&'a str, usize> = HashMap::default();
        if !data.revenue.is_empty() {
            let mut mrr_by: Vec<Vec<(i32, f64)>> = Vec::new();
            for r in &data.revenue {
                let i = *index.entry(r.account_id.as_str()).or_insert_with(|| {
                    ids.push(r.account_id.as_str());
                    mrr_by.push(Vec::new());
                    ids.len() - 1
                });
                mrr_by[i].push((r.month.index(), r.mrr));
            }
            for v in &mut mrr_by {
                v.sort_by_key(|(m, _)| *m);
                // several rows for the same account and month are summed
                v.dedup_by(|later, kept| {
                    if later.0 == kept.0 {
                        kept.1 += later.1;
                        true
                    } else {
                        false
                    }
                });
            }
            // dense by month: MRR(a, m) is read for every account and month many times
            let mrr_by = mrr_by
                .into_iter()
                .map(|v| {
                    let first = v.first().map_or(0, |(m, _)| *m);
                    let last = v.last().map_or(first - 1, |(m, _)| *m);
                    let mut dense = vec![0.0; (last - first + 1) as usize];
                    for (m, x) in v {
                        dense[(m - first) as usize] = x;
                    }
                    (first, dense)
                })
                .collect();
            return Activity {
                basis: Basis::Revenue,
                ids,
                index,
                mrr_by,
                rows: vec![],
                account_rows: vec![],
                span: data.coverage.span(Kind::Revenue),
                has_mrr: true,
            }
            .with_account_rows(data);
        }
        if data.accounts.is_empty() {
            return Activity {
                basis: Basis::Nothing,
                ids,
                index,
                mrr_by: vec![],
                rows: vec![],
                account_rows: vec![],
                span: None,
                has_mrr: false,
            };
        }
        let mut rows = Vec::new();
        for a in &data.accounts {
            if index.contains_key(a.account_id.as_str()) {
                continue; // the store keeps one row per account id; be safe anyway
            }
            index.insert(a.account_id.as_str(), ids.len());
            ids.push(a.account_id.as_str());
            rows.push(a);
        }
        // Accounts without a start date count as started before any data; the dataset has
        // no end, so it covers every month from the earliest start on.
        let first = if data.accounts.iter().any(|a| a.start_date.is_none()) {
            Month::from_index(0)
        } else {
            data.accounts
                .iter()
                .filter_map(|a| a.start_date)
                .min()
                .map_or(Month::from_index(0), Month::of)
        };
        Activity {
            basis: Basis::Accounts,
            has_mrr: data.accounts.iter().any(|a| a.mrr.is_some()),
            ids,
            index,
            mrr_by: vec![],
            rows,
            account_rows: vec![],
            span: Some((first, Month::from_index(i32::MAX / 2))),
        }
        .with_account_rows(data)
    }

    fn with_account_rows(mut self, data: &'a Data) -> Activity<'a> {
        self.account_rows = vec![None; self.ids.len()];
        for a in &data.accounts {
            if let Some(&i) = self.index.get(a.account_id.as_str()) {
                self.account_rows[i] = Some(a);
            }
        }
        self
    }

    /// The accounts row of account `i` (the last one with its id), if there is one.
    pub fn account(&self, i: usize) -> Option<&'a Account> {
        self.account_rows.get(i).copied().flatten()
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
    pub fn id(&self, i: usize) -> &'a str {
        self.ids[i]
    }
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }
    pub fn has_mrr(&self) -> bool {
        self.has_mrr
    }

    fn needs(&self) -> &'static str {
        match self.basis {
            Basis::Accounts => "accounts",
            _ => "revenue",
        }
    }

    /// `no_data` unless activity is known for month `m`.
    pub fn require(&self, m: Month) -> Result<(), Miss> {
        match self.span {
            Some((a, b)) if a <= m && m <= b => Ok(()),
            _ if self.basis == Basis::Nothing => Err(Miss::NoData(vec!["revenue", "accounts"])),
            _ => Err(Miss::NoData(vec![self.needs()])),
        }
    }

    /// `no_data` unless MRR is known for month `m`.
    pub fn require_mrr(&self, m: Month) -> Result<(), Miss> {
        self.require(m)?;
        if self.has_mrr {
            Ok(())
        } else {
            Err(Miss::NoData(vec!["revenue"]))
        }
    }

    /// MRR(a, m); 0 when absent or not active.
    pub fn mrr(&self, i: usize, m: Month) -> f64 {
        match self.basis {
            Basis::Revenue => {
                let (first, v) = &self.mrr_by[i];
                usize::try_from(m.index() - first)
                    .ok()
                    .and_then(|k| v.get(k))
                    .copied()
                    .unwrap_or(0.0)
            }
            Basis::Accounts if self.active(i, m) => self.rows[i].mrr.unwrap_or(0.0),
            _ => 0.0,
        }
    }

    pub fn active(&self, i: usize, m: Month) -> bool {
        match self.basis {
            Basis::Revenue => self.mrr(i, m) > 0.0,
            Basis::Accounts => {
                let a = self.rows[i];
                let last = m.last_day();
                a.start_date.is_none_or(|s| s <= last) && a.churn_date.is_none_or(|c| c > last)
            }
            Basis::Nothing => false,
        }
    }

    /// Active in some month before `m`.
    pub fn active_before(&self, i: usize, m: Month) -> bool {
        match self.basis {
            Basis::Revenue => {
                let (first, v) = &self.mrr_by[i];
                let before = (m.index() - first).clamp(0, v.len() as i32) as usize;
                v[..before].iter().any(|x| *x > 0.0)
            }
            Basis::Accounts => match self.rows[i].start_date {
                // started before any data: active in the months before unless churned
                None => true,
                Some(s) => Month::of(s) < m && self.active(i, Month::of(s)),
            },
            Basis::Nothing => false,
        }
    }

    /// The indices of accounts active in `m`.
    pub fn active_in(&self, m: Month) -> impl Iterator<Item = usize> + '_ {
        (0..self.len()).filter(move |&i| self.active(i, m))
    }

    /// MRR of month `m` summed over all accounts.
    pub fn total_mrr(&self, m: Month) -> Val {
        self.require_mrr(m)?;
        Ok((0..self.len()).map(|i| self.mrr(i, m)).sum())
    }
}
