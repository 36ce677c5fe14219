//! What the board asks after the KPIs (`insights.md`): where the numbers come from
//! ([`breakdown`]), whether the score can be trusted ([`backtest`], [`preview`],
//! [`coverage`]), what is coming ([`renewals`]) and what the CS lead says about it (notes,
//! in the store). Pure computations over a [`Window`](crate::window::Window)'s data, like
//! `kpi` and `score`; the `from_store` functions open the window.

pub mod backtest;
pub mod breakdown;
pub mod coverage;
pub mod preview;
pub mod renewals;

use crate::error::{Error, Result};
use crate::month::Month;
use crate::settings::Settings;
use crate::store::Store;

/// `settings` with `KEY=VALUE` overrides applied (each validated as `settings KEY VALUE`
/// would be); nothing is saved.
pub fn with_overrides(mut settings: Settings, with: &[String]) -> Result<Settings> {
    for w in with {
        let (k, v) = w
            .split_once('=')
            .filter(|(k, _)| !k.trim().is_empty())
            .ok_or_else(|| Error::BadOverride(w.clone()))?;
        settings.set(k.trim(), v)?;
    }
    Ok(settings)
}

/// The month asked for (else the latest with data) and the saved settings with `with`
/// applied; `None` when the store holds no data.
pub fn question(
    store: &Store,
    month: Option<Month>,
    with: &[String],
) -> Result<Option<(Month, Settings)>> {
    let settings = with_overrides(store.settings()?, with)?;
    let month = match month {
        Some(m) => Some(m),
        None => store.latest_month()?,
    };
    Ok(month.map(|m| (m, settings)))
}
