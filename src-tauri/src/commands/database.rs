use crate::commands::import::{no_import_running, Imports};
use crate::db::Db;
use crate::error::{ui_lang, CommandError};
use crate::guard::guard;
use std::path::Path;

/// Writes a backup of the whole database to `path`, a file the user chose in the native save
/// dialog (settings screen). Safe while the data is in use; an existing file at `path` is only
/// replaced when it is itself a CS Pulse database.
#[tauri::command]
pub async fn backup_database(
    db: tauri::State<'_, Db>,
    path: String,
    lang: Option<String>,
) -> Result<(), CommandError> {
    let lang = ui_lang(lang.as_deref());
    guard("backup_database", lang, || {
        let store = db.lock(lang)?;
        store
            .backup_to(Path::new(&path))
            .map_err(|e| CommandError::new(&e, lang))?;
        log::info!("backup written");
        Ok(())
    })
}

/// Replaces all data with the backup at `path`, a file the user chose in the native open
/// dialog (settings screen). The file is checked first; the data it replaces is kept in a
/// safety copy next to the database, whose path is returned (`null` when there was no data).
/// Refused while an import runs. The UI reloads the dashboard afterwards.
#[tauri::command]
pub async fn restore_database(
    db: tauri::State<'_, Db>,
    imports: tauri::State<'_, Imports>,
    path: String,
    lang: Option<String>,
) -> Result<Option<String>, CommandError> {
    let lang = ui_lang(lang.as_deref());
    guard("restore_database", lang, || {
        // an import running meanwhile would write into the data the backup replaces
        let _turn = no_import_running(&imports, lang)?;
        let mut store = db.lock(lang)?;
        db.forget_first_dashboard();
        let safety = store
            .restore_from(Path::new(&path))
            .map_err(|e| CommandError::new(&e, lang))?;
        log::info!("database restored from a backup");
        Ok(safety.map(|p| p.display().to_string()))
    })
}
