//! What the board asks after the KPIs (`insights.md` §1, §6, §7): the dashboard's
//! breakdown by segment, owner, plan or region (and the accounts of one group), the renewal
//! outlook, and the CS lead's notes. Thin calls of the engine's `insights::breakdown`,
//! `insights::renewals` and the store's notes; only `set_note` writes.

use crate::commands::dashboard::parse_month;
use crate::db::Db;
use crate::error::{ui_lang, CommandError};
use crate::guard::{blocking, guard};
use cspulse_engine::error::{Error, Lang};
use cspulse_engine::explain::AccountList;
use cspulse_engine::insights::breakdown::{self, Breakdown, Dim, GroupKind, Grouping};
use cspulse_engine::insights::renewals::{self, Outlook};
use cspulse_engine::settings::TargetStatus;
use cspulse_engine::store::{Note, NoteKey};
use cspulse_engine::window::{Span, Window};
use cspulse_engine::Month;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use tauri::{AppHandle, Manager as _, Runtime};

/// The dashboard's breakdown: the dimensions with at least two groups, and the breakdown
/// by the one asked for (else the first offered).
#[derive(Clone, Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct BreakdownAnswer {
    /// Dimensions with ≥ 2 groups in the month, in the order segment, owner, plan, region.
    pub offered: Vec<Dim>,
    /// `None` when no dimension is offered (or there is no data).
    pub breakdown: Option<Breakdown>,
    /// Per group (in the order of `breakdown.groups`): each KPI's target status, for
    /// the KPIs that have a target (with the saved targets and thresholds) and a value.
    pub targets: Vec<BTreeMap<String, TargetStatus>>,
}

/// One group of a breakdown, as the Accounts screen filters by it.
#[derive(Clone, Debug, Deserialize, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct GroupFilter {
    pub by: Dim,
    pub kind: GroupKind,
    /// The value (for `kind = value`); `(none)`/`(unknown)` are found by their kind, so a
    /// change of language keeps the filter.
    pub key: String,
}

fn engine(lang: Lang) -> impl Fn(Error) -> CommandError {
    move |e| CommandError::new(&e, lang)
}

/// The breakdown of `month` (the latest when absent) by `by` (the first dimension offered
/// when absent or not offered); group keys `(none)`/`(unknown)` in `lang`.
#[tauri::command]
pub async fn get_breakdown<R: Runtime>(
    app: AppHandle<R>,
    month: Option<String>,
    by: Option<Dim>,
    lang: Option<String>,
) -> Result<BreakdownAnswer, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        guard("get_breakdown", lang, || {
            let month = parse_month(month, lang)?;
            let db = app.state::<Db>();
            let store = db.lock(lang)?;
            let w = Window::open(&store, month, Span::Month).map_err(engine(lang))?;
            drop(store);
            let Some(month) = w.month else {
                return Ok(BreakdownAnswer {
                    offered: vec![],
                    breakdown: None,
                    targets: vec![],
                });
            };
            let offered: Vec<Dim> = breakdown::offered(&w.data, lang)
                .into_iter()
                .map(|(d, _)| d)
                .collect();
            let Some(dim) = by
                .filter(|d| offered.contains(d))
                .or_else(|| offered.first().copied())
            else {
                return Ok(BreakdownAnswer {
                    offered,
                    breakdown: None,
                    targets: vec![],
                });
            };
            let scores = cspulse_engine::score::compute(&w.data, month, &w.settings);
            let settings = w.settings;
            let b = breakdown::compute(w.data, month, &settings, &scores, dim, lang)
                .map_err(engine(lang))?;
            let targets = b
                .groups
                .iter()
                .map(|g| {
                    g.kpis
                        .iter()
                        .filter_map(|k| {
                            let status = settings.kpi_status(&k.id, k.value?)?;
                            Some((k.id.clone(), status))
                        })
                        .collect()
                })
                .collect();
            Ok(BreakdownAnswer {
                offered,
                breakdown: Some(b),
                targets,
            })
        })
    })
    .await
}

/// The accounts active in `month` that belong to `group` (as `list_accounts` lists them).
#[tauri::command]
pub async fn list_group_accounts<R: Runtime>(
    app: AppHandle<R>,
    month: Option<String>,
    group: GroupFilter,
    lang: Option<String>,
) -> Result<AccountList, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        guard("list_group_accounts", lang, || {
            let month = parse_month(month, lang)?;
            let db = app.state::<Db>();
            let store = db.lock(lang)?;
            let w = Window::open(&store, month, Span::Month).map_err(engine(lang))?;
            let months = store
                .months()
                .map_err(engine(lang))?
                .iter()
                .map(Month::to_string)
                .collect();
            drop(store);
            let mut accounts = vec![];
            if let Some(m) = w.month {
                let grouping = Grouping::new(&w.data, group.by, lang);
                let wanted = grouping.groups.iter().position(|(key, kind, _)| {
                    *kind == group.kind && (*kind != GroupKind::Value || *key == group.key)
                });
                if let Some(g) = wanted {
                    accounts = cspulse_engine::score::compute(&w.data, m, &w.settings).accounts;
                    accounts.retain(|a| grouping.of(&a.account_id) == Some(g));
                }
            }
            Ok(AccountList {
                month: w.month.map(|m| m.to_string()),
                months,
                accounts,
                currency: w.settings.currency,
            })
        })
    })
    .await
}

/// The renewal outlook after `month` (the latest when absent): what is due in the next
/// three months by light, value at risk, expected value and the list; `null` without data.
#[tauri::command]
pub async fn get_renewals<R: Runtime>(
    app: AppHandle<R>,
    month: Option<String>,
    lang: Option<String>,
) -> Result<Option<Outlook>, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        guard("get_renewals", lang, || {
            let month = parse_month(month, lang)?;
            let db = app.state::<Db>();
            let store = db.lock(lang)?;
            renewals::from_store(&store, month).map_err(engine(lang))
        })
    })
    .await
}

/// The notes of `month`: its executive summary, KPI notes and account actions.
#[tauri::command]
pub async fn get_notes<R: Runtime>(
    app: AppHandle<R>,
    month: String,
    lang: Option<String>,
) -> Result<Vec<Note>, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        guard("get_notes", lang, || {
            let month = parse_month(Some(month), lang)?;
            let db = app.state::<Db>();
            let store = db.lock(lang)?;
            store.notes(month).map_err(engine(lang))
        })
    })
    .await
}

/// Writes the note `key` (`summary`, `kpi:ID`, `account:ID`) of `month`; an action may
/// have an owner and a due date (`YYYY-MM-DD`). An empty text removes the note. Answers
/// the note as stored (`null` when removed).
#[tauri::command]
pub async fn set_note<R: Runtime>(
    app: AppHandle<R>,
    month: String,
    key: String,
    text: String,
    owner: Option<String>,
    due_date: Option<String>,
    lang: Option<String>,
) -> Result<Option<Note>, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        guard("set_note", lang, || {
            let month = Month::parse(&month)
                .ok_or(Error::BadMonth(month))
                .map_err(engine(lang))?;
            let key = NoteKey::parse(&key).map_err(engine(lang))?;
            let due = due_date
                .as_deref()
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(|d| {
                    chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                        .map_err(|_| Error::BadDate(d.to_owned()))
                })
                .transpose()
                .map_err(engine(lang))?;
            let db = app.state::<Db>();
            let mut store = db.lock(lang)?;
            store
                .set_note(month, &key, &text, owner.as_deref(), due)
                .map_err(engine(lang))?;
            store.note(month, &key).map_err(engine(lang))
        })
    })
    .await
}
