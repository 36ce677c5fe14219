//! The settings screen: every setting with its value and default, changing one, and
//! resetting them all (the engine's `settings` validates).

use crate::db::Db;
use crate::error::{ui_lang, CommandError};
use crate::guard::{blocking, guard};
use cspulse_engine::settings::{Direction, Settings};
use serde::Serialize;
use tauri::{AppHandle, Manager as _, Runtime};

/// One setting as the settings screen edits it.
#[derive(Clone, Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct SettingEntry {
    /// `weight.usage`, `threshold.green`, `kpi_target.nps`, `currency`, …
    pub key: String,
    pub value: String,
    /// The value "reset to defaults" gives.
    pub default: String,
    /// For `kpi_target.*`: whether a higher value is better (`higher`) or a lower one.
    pub direction: Option<String>,
}

fn entries(s: &Settings) -> Vec<SettingEntry> {
    let defaults = Settings::default();
    s.entries()
        .into_iter()
        .map(|(key, value)| SettingEntry {
            default: defaults.get(&key).unwrap_or_default(),
            direction: key
                .strip_prefix("kpi_target.")
                .and_then(|id| s.kpi_target(id))
                .map(|t| {
                    match t.direction {
                        Direction::Higher => "higher",
                        Direction::Lower => "lower",
                    }
                    .to_owned()
                }),
            key,
            value,
        })
        .collect()
}

/// Every setting with its value and default, in a stable order.
#[tauri::command]
pub async fn get_settings<R: Runtime>(
    app: AppHandle<R>,
    lang: Option<String>,
) -> Result<Vec<SettingEntry>, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        guard("get_settings", lang, || {
            let db = app.state::<Db>();
            let store = db.lock(lang)?;
            let s = store.settings().map_err(|e| CommandError::new(&e, lang))?;
            Ok(entries(&s))
        })
    })
    .await
}

/// Changes one setting (validated by the engine: a bad value is refused with the reason)
/// and returns all of them; the UI then recomputes what it shows. A new `language` also
/// relabels the native menu.
#[tauri::command]
pub async fn set_setting<R: Runtime>(
    app: AppHandle<R>,
    key: String,
    value: String,
    lang: Option<String>,
) -> Result<Vec<SettingEntry>, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        let all = guard("set_setting", lang, || {
            let db = app.state::<Db>();
            let mut store = db.lock(lang)?;
            let s = store
                .set_setting(&key, &value)
                .map_err(|e| CommandError::new(&e, lang))?;
            Ok(entries(&s))
        })?;
        if key == "language" {
            crate::menu::refresh(&app);
        }
        Ok(all)
    })
    .await
}

/// Saves several settings at once (`KEY=VALUE`, what the preview showed): all are checked
/// first, in order, as the preview checked them, and none is saved when one is refused.
/// Returns all settings; the UI then recomputes what it shows.
#[tauri::command]
pub async fn apply_settings<R: Runtime>(
    app: AppHandle<R>,
    changes: Vec<String>,
    lang: Option<String>,
) -> Result<Vec<SettingEntry>, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        guard("apply_settings", lang, || {
            let db = app.state::<Db>();
            let mut store = db.lock(lang)?;
            let err = |e| CommandError::new(&e, lang);
            let saved = store.settings().map_err(err)?;
            // the whole set is valid in this order before the first one is written
            cspulse_engine::insights::with_overrides(saved.clone(), &changes).map_err(err)?;
            let mut now = saved;
            for change in &changes {
                if let Some((key, value)) = change.split_once('=') {
                    now = store.set_setting(key.trim(), value).map_err(err)?;
                }
            }
            Ok(entries(&now))
        })
    })
    .await
}

/// Every setting back to its default (the menu follows the system language again).
#[tauri::command]
pub async fn reset_settings<R: Runtime>(
    app: AppHandle<R>,
    lang: Option<String>,
) -> Result<Vec<SettingEntry>, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        let all = guard("reset_settings", lang, || {
            let db = app.state::<Db>();
            let mut store = db.lock(lang)?;
            let s = store
                .reset_settings()
                .map_err(|e| CommandError::new(&e, lang))?;
            Ok(entries(&s))
        })?;
        crate::menu::refresh(&app);
        Ok(all)
    })
    .await
}
