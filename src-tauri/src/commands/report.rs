//! The board report, exported from the desktop: the engine's `report::write_file`, to where
//! the user says in the native save dialog.

use super::dashboard::parse_month;
use crate::db::Db;
use crate::error::{text, ui_lang, CommandError};
use crate::files::{Dialogs, SaveAs};
use crate::guard::{blocking, guard};
use cspulse_engine::report::{self, Written};
use tauri::{AppHandle, Manager as _, Runtime};

/// Writes the board report of `month` (latest when absent) in `report_lang` (`de`/`en`)
/// where the user says in the native save dialog (which asks before replacing a file); `null`
/// when the dialog was cancelled. The same workbook as `cspulse report`; written to a
/// temporary file and renamed, so a failure leaves no half file.
#[tauri::command]
pub async fn export_report<R: Runtime>(
    app: AppHandle<R>,
    month: Option<String>,
    report_lang: String,
    lang: Option<String>,
) -> Result<Option<Written>, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        guard("export_report", lang, || {
            let month = parse_month(month, lang)?;
            let report_lang = ui_lang(Some(&report_lang));
            let db = app.state::<Db>();
            let shown = match month {
                Some(m) => Some(m),
                None => db
                    .lock(lang)?
                    .latest_month()
                    .map_err(|e| CommandError::new(&e, lang))?,
            };
            let name = format!(
                "{}-{}.xlsx",
                text(report_lang, "CS-report", "CS-Bericht"),
                shown.map(|m| m.to_string()).unwrap_or_default()
            );
            let Some(out) = app
                .state::<Dialogs>()
                .save(&app, SaveAs::Report, &name, lang)
            else {
                return Ok(None);
            };
            let store = db.lock(lang)?;
            let w = report::write_file(&store, month, report_lang, &out)
                .map_err(|e| CommandError::new(&e, lang))?;
            log::info!("report written ({} sheets)", w.sheets.len());
            Ok(Some(w))
        })
    })
    .await
}
