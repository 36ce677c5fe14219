//! Backup and restore from the settings screen. The backup is written where the user says in
//! the native save dialog; the backup to restore is a file the user chose in the open dialog
//! (`choose_backup`), named by its token.

use crate::commands::import::{no_import_running, Imports};
use crate::db::Db;
use crate::error::{ui_lang, CommandError};
use crate::files::{Chosen, ChosenFile, Dialogs, OpenFor, SaveAs};
use crate::guard::{blocking, guard};
use tauri::{AppHandle, Manager as _, Runtime};

/// Writes a backup of the whole database where the user says in the native save dialog
/// (which asks before replacing a file). Safe while the data is in use; an existing file is
/// only replaced when it is itself a CS Pulse database. Answers with the file's path for
/// showing, `null` when the dialog was cancelled.
#[tauri::command]
pub async fn backup_database<R: Runtime>(
    app: AppHandle<R>,
    lang: Option<String>,
) -> Result<Option<String>, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        guard("backup_database", lang, || {
            let today = chrono::Local::now().format("%Y-%m-%d");
            let name = format!("cs-pulse-backup-{today}.db");
            let Some(out) = app
                .state::<Dialogs>()
                .save(&app, SaveAs::Backup, &name, lang)
            else {
                return Ok(None);
            };
            let db = app.state::<Db>();
            let store = db.lock(lang)?;
            store
                .backup_to(&out)
                .map_err(|e| CommandError::new(&e, lang))?;
            log::info!("backup written");
            Ok(Some(out.to_string_lossy().into_owned()))
        })
    })
    .await
}

/// A backup to restore, chosen in the native open dialog: its token and name (for the
/// confirmation), `null` when the dialog was cancelled.
#[tauri::command]
pub async fn choose_backup<R: Runtime>(
    app: AppHandle<R>,
    lang: Option<String>,
) -> Result<Option<ChosenFile>, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        guard("choose_backup", lang, || {
            let path = app
                .state::<Dialogs>()
                .open(&app, OpenFor::Restore, lang)
                .into_iter()
                .next();
            Ok(path.map(|p| app.state::<Chosen>().hand_over(p)))
        })
    })
    .await
}

/// Replaces all data with the chosen backup `file` (a token from `choose_backup`). The file
/// is checked first; the data it replaces is kept in a safety copy next to the database,
/// whose path is returned (`null` when there was no data). Refused while an import runs. The
/// UI reloads the dashboard afterwards.
#[tauri::command]
pub async fn restore_database<R: Runtime>(
    app: AppHandle<R>,
    file: String,
    lang: Option<String>,
) -> Result<Option<String>, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        guard("restore_database", lang, || {
            let path = app.state::<Chosen>().path(&file, lang)?;
            // an import running meanwhile would write into the data the backup replaces
            let imports = app.state::<Imports>();
            let _turn = no_import_running(&imports, lang)?;
            let db = app.state::<Db>();
            let mut store = db.lock(lang)?;
            db.forget_first_dashboard();
            let safety = store
                .restore_from(&path)
                .map_err(|e| CommandError::new(&e, lang))?;
            log::info!("database restored from a backup");
            Ok(safety.map(|p| p.to_string_lossy().into_owned()))
        })
    })
    .await
}
