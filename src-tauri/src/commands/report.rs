use super::dashboard::parse_month;
use crate::db::Db;
use crate::error::{ui_lang, CommandError};
use crate::guard::guard;
use cspulse_engine::report::{self, Written};
use std::path::Path;

/// Writes the board report of `month` (latest when absent) in `report_lang` (`de`/`en`) to
/// `path`, a file the user chose in the native save dialog. The same workbook as `cspulse
/// report`; written to a temporary file and renamed, so a failure leaves no half file.
#[tauri::command]
pub async fn export_report(
    db: tauri::State<'_, Db>,
    month: Option<String>,
    report_lang: String,
    path: String,
    lang: Option<String>,
) -> Result<Written, CommandError> {
    let lang = ui_lang(lang.as_deref());
    guard("export_report", lang, || {
        let month = parse_month(month, lang)?;
        let store = db.lock(lang)?;
        let w = report::write_file(&store, month, ui_lang(Some(&report_lang)), Path::new(&path))
            .map_err(|e| CommandError::new(&e, lang))?;
        log::info!("report written ({} sheets)", w.sheets.len());
        Ok(w)
    })
}
