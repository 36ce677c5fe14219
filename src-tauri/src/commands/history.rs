//! The history of imports: every batch with its lineage, undo and take-back, a batch's issues
//! (listed, and saved as a workbook where the user says) and billing lines, and clearing the
//! sample company. Undo and clearing refuse to run during an import (`import_running`).

use super::import::{engine_error, no_import_running, Imports};
use crate::db::Db;
use crate::error::{text, ui_lang, CommandError};
use crate::files::{Dialogs, SaveAs};
use crate::guard::{blocking, guard};
use cspulse_engine::report::issues::{save_issues as write_issues, SavedIssues};
use cspulse_engine::store::issues::{batch_issues as issues_of, BatchIssues};
use cspulse_engine::store::Batch;
use tauri::{AppHandle, Manager as _, Runtime};

/// Every import batch with its lineage (file, sheet, kind, SHA-256, rows imported and
/// skipped, issues, time, source `file` or `demo`), oldest first.
#[tauri::command]
pub async fn list_batches<R: Runtime>(
    app: AppHandle<R>,
    lang: Option<String>,
) -> Result<Vec<Batch>, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        guard("list_batches", lang, || {
            let db = app.state::<Db>();
            let batches = db.lock(lang)?.batches();
            batches.map_err(|e| engine_error(&e, lang))
        })
    })
    .await
}

/// Undoes one batch: exactly its rows leave everything the app shows at once. They are kept
/// until the next import, so `take_back` can bring them back. Answers with the batch as it
/// was.
#[tauri::command]
pub async fn undo_batch<R: Runtime>(
    app: AppHandle<R>,
    batch_id: i64,
    lang: Option<String>,
) -> Result<Batch, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        guard("undo_batch", lang, || {
            let imports = app.state::<Imports>();
            let _turn = no_import_running(&imports, lang)?;
            let db = app.state::<Db>();
            let batch = db
                .lock(lang)?
                .undo(batch_id)
                .map_err(|e| engine_error(&e, lang))?;
            log::info!("undid a batch of {} rows", batch.rows_imported);
            Ok(batch)
        })
    })
    .await
}

/// Brings back batches undone by `undo_batch` or `clear_demo` (all of them or none), as long
/// as no import has committed since (`undo_gone` after that). Answers with the batches back.
/// Refused while an import runs, like undo.
#[tauri::command]
pub async fn take_back<R: Runtime>(
    app: AppHandle<R>,
    batch_ids: Vec<i64>,
    lang: Option<String>,
) -> Result<Vec<Batch>, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        guard("take_back", lang, || {
            let imports = app.state::<Imports>();
            let _turn = no_import_running(&imports, lang)?;
            let db = app.state::<Db>();
            let back = db
                .lock(lang)?
                .take_back(&batch_ids)
                .map_err(|e| engine_error(&e, lang))?;
            log::info!("took back {} batches", back.len());
            Ok(back)
        })
    })
    .await
}

/// The issues stored with a batch, reasons in the user's language.
#[tauri::command]
pub async fn batch_issues<R: Runtime>(
    app: AppHandle<R>,
    batch_id: i64,
    lang: Option<String>,
) -> Result<BatchIssues, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        guard("batch_issues", lang, || {
            let db = app.state::<Db>();
            let store = db.lock(lang)?;
            issues_of(&store, batch_id, lang).map_err(|e| engine_error(&e, lang))
        })
    })
    .await
}

/// The billing lines a batch's revenue was derived from (`sources.md` §5), for the data
/// browser: empty for a batch that is not a billing export.
#[tauri::command]
pub async fn billing_lines<R: Runtime>(
    app: AppHandle<R>,
    batch_id: i64,
    lang: Option<String>,
) -> Result<Vec<cspulse_engine::import::BillingLine>, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        guard("billing_lines", lang, || {
            let db = app.state::<Db>();
            let store = db.lock(lang)?;
            store
                .billing_lines(batch_id)
                .map_err(|e| engine_error(&e, lang))
        })
    })
    .await
}

/// Saves a batch's issues as an Excel workbook where the user says in the native save dialog
/// (which asks before replacing a file): sheet, row, column, value, reason, headers in the
/// user's language. `null` when the dialog was cancelled.
#[tauri::command]
pub async fn save_issues<R: Runtime>(
    app: AppHandle<R>,
    batch_id: i64,
    lang: Option<String>,
) -> Result<Option<SavedIssues>, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        guard("save_issues", lang, || {
            let name = format!("{}-{batch_id}.xlsx", text(lang, "issues", "Probleme"));
            let Some(out) = app
                .state::<Dialogs>()
                .save(&app, SaveAs::Issues, &name, lang)
            else {
                return Ok(None);
            };
            let db = app.state::<Db>();
            let store = db.lock(lang)?;
            let saved =
                write_issues(&store, batch_id, lang, &out).map_err(|e| engine_error(&e, lang))?;
            log::info!("saved {} issues", saved.issues);
            Ok(Some(saved))
        })
    })
    .await
}

/// Removes the sample company (every batch from the embedded demo) from everything the app
/// shows; the user's own imports stay. Answers with the ids of the batches undone, which
/// `take_back` brings back until the next import.
#[tauri::command]
pub async fn clear_demo<R: Runtime>(
    app: AppHandle<R>,
    lang: Option<String>,
) -> Result<Vec<i64>, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        guard("clear_demo", lang, || {
            let imports = app.state::<Imports>();
            let _turn = no_import_running(&imports, lang)?;
            let db = app.state::<Db>();
            let undone = db
                .lock(lang)?
                .clear(true)
                .map_err(|e| engine_error(&e, lang))?;
            log::info!("cleared the sample data: {} batches", undone.len());
            Ok(undone)
        })
    })
    .await
}
