//! The import wizard's commands: inspect a file (kinds, header rows, mappings, first rows),
//! import it with progress and cancel, the history with lineage and undo, the issues of a
//! batch (also as a spreadsheet), and clearing the sample company.
//!
//! An import runs on its own connection to the database (SQLite's WAL lets the dashboard
//! keep reading meanwhile) and in one transaction: a cancel or an error leaves no rows.

use crate::db::Db;
use crate::error::{ui_lang, CommandError};
use crate::guard::guard;
use cspulse_engine::error::{Error, Lang};
use cspulse_engine::import::convert::SlashOrder;
use cspulse_engine::import::{Control, Input, Issue, Options, Progress};
use cspulse_engine::store::{Batch, Imported, Source, Store};
use cspulse_engine::wizard::{self, Inspection};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use tauri::ipc::Channel;

/// The user's choices for one file (or one sheet of it); absent = the import's guess.
#[derive(Clone, Debug, Default, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ImportChoices {
    #[serde(default)]
    #[ts(optional)]
    pub sheet: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub kind: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub header_row: Option<u32>,
    /// `FIELD=COLUMN` pairs.
    #[serde(default)]
    #[ts(as = "Option<Vec<String>>", optional)]
    pub map: Vec<String>,
    /// `day_first` or `month_first` for slash dates no value decides.
    #[serde(default)]
    #[ts(optional)]
    pub date_order: Option<String>,
    /// Replace an earlier import of the same file.
    #[serde(default)]
    #[ts(as = "Option<bool>", optional)]
    pub replace: bool,
}

impl ImportChoices {
    fn options(&self) -> Result<Options, Error> {
        Ok(Options {
            kind: self.kind.as_deref().map(wizard::parse_kind).transpose()?,
            sheet: self.sheet.clone(),
            header_row: self.header_row,
            map: self.map.clone(),
            date_order: self.date_order.as_deref().map(|o| match o {
                "day_first" | "dmy" => SlashOrder::DayFirst,
                _ => SlashOrder::MonthFirst,
            }),
            ..Options::default()
        })
    }
}

/// Cancel switches of the imports that are running, by the id the UI gave them.
#[derive(Default)]
pub struct Imports(Mutex<HashMap<String, Arc<AtomicBool>>>);

impl Imports {
    fn start(&self, id: &str) -> Arc<AtomicBool> {
        let flag = Arc::new(AtomicBool::new(false));
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id.to_owned(), Arc::clone(&flag));
        flag
    }
    fn end(&self, id: &str) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(id);
    }
    fn cancel(&self, id: &str) -> bool {
        match self
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(id)
        {
            Some(flag) => {
                flag.store(true, Ordering::Relaxed);
                true
            }
            None => false,
        }
    }
}

fn err(lang: Lang) -> impl Fn(Error) -> CommandError {
    move |e| CommandError::new(&e, lang)
}

/// The tables of the file at `path` with `choices` applied: kind, header row, columns,
/// mapping, the kind's fields, the first rows, what is missing.
#[tauri::command]
pub async fn inspect_file(
    path: String,
    choices: Option<ImportChoices>,
    lang: Option<String>,
) -> Result<Inspection, CommandError> {
    let lang = ui_lang(lang.as_deref());
    guard("inspect_file", lang, || {
        let opts = choices.unwrap_or_default().options().map_err(err(lang))?;
        wizard::inspect(Path::new(&path), &opts).map_err(err(lang))
    })
}

/// Imports the file at `path` with `choices`, sending progress (rows, fraction, rows/s) to
/// `on_progress` about ten times a second; `cancel_import(import_id)` stops it with
/// nothing written. Returns the batches made (with their issues) and the skipped sheets.
#[tauri::command]
pub async fn import_file(
    db: tauri::State<'_, Db>,
    imports: tauri::State<'_, Imports>,
    path: String,
    import_id: String,
    choices: Option<ImportChoices>,
    on_progress: Channel<Progress>,
    lang: Option<String>,
) -> Result<Imported, CommandError> {
    let lang = ui_lang(lang.as_deref());
    let cancel = imports.start(&import_id);
    let result = guard("import_file", lang, || {
        let choices = choices.unwrap_or_default();
        let opts = choices.options().map_err(err(lang))?;
        let file = PathBuf::from(&path);
        // the import gets its own connection: the store lock is held only to find the file
        let db_path = db.lock(lang)?.path().to_path_buf();
        let mut store = Store::open(&db_path).map_err(err(lang))?;
        let last = Mutex::new(Instant::now() - Duration::from_secs(1));
        let control = Control {
            progress: Some(Arc::new(move |p: &Progress| {
                let mut at = last.lock().unwrap_or_else(PoisonError::into_inner);
                if at.elapsed() >= Duration::from_millis(100) || p.fraction >= 1.0 {
                    *at = Instant::now();
                    let _ = on_progress.send(p.clone());
                }
            })),
            cancel: Some(Arc::clone(&cancel)),
        };
        let imported = store
            .import(
                &file,
                Input::File(file.clone()),
                &opts,
                &control,
                choices.replace,
                Source::File,
            )
            .map_err(err(lang))?;
        log::info!("import: {} table(s)", imported.batches.len());
        Ok(imported)
    });
    imports.end(&import_id);
    result
}

/// Stops the running import `import_id` (its transaction rolls back); `false` when no such
/// import is running (it may have just finished).
#[tauri::command]
pub async fn cancel_import(
    imports: tauri::State<'_, Imports>,
    import_id: String,
) -> Result<bool, CommandError> {
    Ok(imports.cancel(&import_id))
}

/// Every import batch with its lineage, oldest first.
#[tauri::command]
pub async fn list_batches(
    db: tauri::State<'_, Db>,
    lang: Option<String>,
) -> Result<Vec<Batch>, CommandError> {
    let lang = ui_lang(lang.as_deref());
    guard("list_batches", lang, || {
        db.lock(lang)?.batches().map_err(err(lang))
    })
}

/// Deletes batch `batch_id` and exactly its rows.
#[tauri::command]
pub async fn undo_batch(
    db: tauri::State<'_, Db>,
    batch_id: i64,
    lang: Option<String>,
) -> Result<Batch, CommandError> {
    let lang = ui_lang(lang.as_deref());
    guard("undo_batch", lang, || {
        db.lock(lang)?.undo(batch_id).map_err(err(lang))
    })
}

/// The validation issues of batch `batch_id` (row, column, value, reason in de and en).
#[tauri::command]
pub async fn batch_issues(
    db: tauri::State<'_, Db>,
    batch_id: i64,
    lang: Option<String>,
) -> Result<Vec<Issue>, CommandError> {
    let lang = ui_lang(lang.as_deref());
    guard("batch_issues", lang, || {
        let store = db.lock(lang)?;
        wizard::batch_issues(&store, batch_id).map_err(err(lang))
    })
}

/// Writes the issues of batch `batch_id` as a spreadsheet to `path` (chosen in the native
/// save dialog), in the user's language.
#[tauri::command]
pub async fn save_issues(
    db: tauri::State<'_, Db>,
    batch_id: i64,
    path: String,
    lang: Option<String>,
) -> Result<(), CommandError> {
    let lang = ui_lang(lang.as_deref());
    guard("save_issues", lang, || {
        let store = db.lock(lang)?;
        let issues = wizard::batch_issues(&store, batch_id).map_err(err(lang))?;
        drop(store);
        wizard::write_issues(&issues, lang, Path::new(&path)).map_err(err(lang))
    })
}

/// Removes the sample company (only batches that came from the demo); returns how many
/// batches were removed.
#[tauri::command]
pub async fn clear_demo(
    db: tauri::State<'_, Db>,
    lang: Option<String>,
) -> Result<u32, CommandError> {
    let lang = ui_lang(lang.as_deref());
    guard("clear_demo", lang, || {
        let n = db.lock(lang)?.clear(true).map_err(err(lang))?;
        log::info!("sample data cleared ({n} batches)");
        Ok(n as u32)
    })
}
