//! Whether the score can be trusted (`insights.md` §2, §3): the backtest of the "Does the
//! score work?" view and the preview of candidate settings before Settings applies them.
//! Thin calls of the engine's `insights::backtest` and `insights::preview`; nothing here
//! writes (Apply is `settings::apply_settings`). Coverage comes with the dashboard.

use crate::commands::dashboard::parse_month;
use crate::db::Db;
use crate::error::{ui_lang, CommandError};
use crate::guard::{blocking, guard};
use cspulse_engine::insights::backtest::{self, Backtest};
use cspulse_engine::insights::preview::{self, Preview};
use cspulse_engine::insights::with_overrides;
use tauri::{AppHandle, Manager as _, Runtime};

/// The backtest of `month` (the latest with data when absent) at `horizon` months (1–12;
/// the setting `backtest.horizon` when absent), with the saved settings, and both scoring
/// methods' AUC side by side; `null` when there is no data. A horizon outside 1–12 is
/// refused with the reason.
#[tauri::command]
pub async fn get_backtest<R: Runtime>(
    app: AppHandle<R>,
    month: Option<String>,
    horizon: Option<u32>,
    lang: Option<String>,
) -> Result<Option<Backtest>, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        guard("get_backtest", lang, || {
            let month = parse_month(month, lang)?;
            let db = app.state::<Db>();
            let store = db.lock(lang)?;
            backtest::from_store(&store, month, horizon, &[], true)
                .map_err(|e| CommandError::new(&e, lang))
        })
    })
    .await
}

/// What the settings with `changes` (`KEY=VALUE`, each validated as `set_setting` would)
/// would do in `month` (the latest when absent): company score, accounts changing light,
/// backtest AUC and lift, each before → after. Writes nothing; `null` without data.
#[tauri::command]
pub async fn preview_settings<R: Runtime>(
    app: AppHandle<R>,
    changes: Vec<String>,
    month: Option<String>,
    lang: Option<String>,
) -> Result<Option<Preview>, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        guard("preview_settings", lang, || {
            let month = parse_month(month, lang)?;
            let db = app.state::<Db>();
            let store = db.lock(lang)?;
            let candidate = store
                .settings()
                .and_then(|s| with_overrides(s, &changes))
                .map_err(|e| CommandError::new(&e, lang))?;
            preview::compute(&store, month, &candidate).map_err(|e| CommandError::new(&e, lang))
        })
    })
    .await
}
