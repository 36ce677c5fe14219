//! The import wizard's commands: inspect a file, import it with progress and cancel, the
//! history of imports with lineage, undo, a batch's issues (listed and saved as a
//! workbook), clearing the sample company, and files dropped onto the window.
//!
//! Where the work happens (README "Import in the desktop app"): a workbook is read by a
//! worker process (this executable started again, see `main.rs` and the engine's
//! `worker`) under memory and CPU limits; a CSV/text file in this process. Either way the
//! import writes on a database connection of its own, in one transaction, and the store's
//! mutex ([`Db::lock`]) is held only for a moment (to learn the database's path), so the
//! dashboard keeps answering from the data as it was until the import commits (SQLite's
//! WAL lets readers go on beside the one writer). Imports run one at a time (a second one
//! waits for its turn, and can be cancelled while it waits); undo and clearing the sample
//! data refuse to run during an import (`import_running`) instead of waiting on the
//! database's lock.

use crate::db::Db;
use crate::error::{ui_lang, CommandError};
use crate::guard::guard;
use cspulse_engine::error::Lang;
use cspulse_engine::import::Inspection;
use cspulse_engine::store::{Batch, Imported};
use cspulse_engine::wizard::{self, BatchIssues, ImportOptions, SavedIssues};
use cspulse_engine::worker::{self, CancelSwitch, Event, ImportJob, JobError};
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};
use tauri::ipc::Channel;

/// What a running import tells the UI (through the `onEvent` channel of `import_file`).
#[derive(Clone, Debug, PartialEq, Serialize, ts_rs::TS)]
#[serde(tag = "event", rename_all = "snake_case")]
#[ts(export)]
pub enum ImportEvent {
    /// Sent first: `import_id` is what `cancel_import` takes. `in_worker`: a workbook read
    /// by the worker process. The import may still wait for another one to finish.
    Started {
        import_id: u32,
        file: String,
        in_worker: bool,
    },
    /// At most about ten a second, and at the end of each table.
    Progress {
        import_id: u32,
        /// The sheet being read (`null` for a text file).
        sheet: Option<String>,
        /// Which table (0-based) of how many the file has.
        table: u32,
        tables: u32,
        /// Rows read so far in this table.
        #[ts(type = "number")]
        rows: u64,
        /// 0..=1 through this table.
        fraction: f64,
        /// 0..=1 through the whole file (tables weighed alike).
        file_fraction: f64,
        rows_per_second: f64,
    },
    /// Every row is read and written; the import commits now and can no longer be
    /// cancelled (`cancel_import` answers `false`).
    Committing { import_id: u32 },
}

/// The imports of this app: who may be cancelled, whose turn it is, and which executable
/// reads workbooks.
pub struct Imports(Arc<Inner>);

struct Inner {
    next_id: AtomicU32,
    running: Mutex<HashMap<u32, Arc<CancelSwitch>>>,
    /// Held by the import that runs (and by undo / clear while they run).
    turn: Mutex<()>,
    worker: Mutex<Option<PathBuf>>,
}

fn locked<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Imports {
    /// Workbooks are read by `worker` (this app's own executable); `None` reads them in
    /// this process.
    pub fn new(worker: Option<PathBuf>) -> Imports {
        Imports(Arc::new(Inner {
            next_id: AtomicU32::new(1),
            running: Mutex::new(HashMap::new()),
            turn: Mutex::new(()),
            worker: Mutex::new(worker),
        }))
    }

    /// Another executable as the worker (tests run the app's binary, not the test's).
    pub fn set_worker(&self, worker: Option<PathBuf>) {
        *locked(&self.0.worker) = worker;
    }

    fn worker(&self) -> Option<PathBuf> {
        locked(&self.0.worker).clone()
    }
}

impl Inner {
    /// Waits for this import's turn; `None` when it was cancelled while waiting.
    fn wait_turn(&self, switch: &CancelSwitch) -> Option<MutexGuard<'_, ()>> {
        loop {
            if switch.is_cancelled() {
                return None;
            }
            match self.turn.try_lock() {
                Ok(g) => return Some(g),
                Err(std::sync::TryLockError::Poisoned(p)) => return Some(p.into_inner()),
                Err(std::sync::TryLockError::WouldBlock) => {
                    std::thread::sleep(Duration::from_millis(20))
                }
            }
        }
    }
}

fn job_error(e: &JobError, lang: Lang) -> CommandError {
    CommandError {
        code: e.code().to_owned(),
        message: e.message(lang),
    }
}

fn engine_error(e: &cspulse_engine::Error, lang: Lang) -> CommandError {
    CommandError::new(e, lang)
}

/// Undo, clearing the sample data and restoring a backup take the import's turn: not while
/// an import runs.
pub(crate) fn no_import_running(
    imports: &Imports,
    lang: Lang,
) -> Result<MutexGuard<'_, ()>, CommandError> {
    match imports.0.turn.try_lock() {
        Ok(g) => Ok(g),
        Err(std::sync::TryLockError::Poisoned(p)) => Ok(p.into_inner()),
        Err(std::sync::TryLockError::WouldBlock) => Err(CommandError {
            code: "import_running".into(),
            message: lang.pick(
                "An import is running. Wait until it has finished (or cancel it) and try again.".into(),
                "Ein Import läuft gerade. Warten Sie, bis er fertig ist (oder brechen Sie ihn ab), und versuchen Sie es dann erneut.".into(),
            ),
        }),
    }
}

/// Runs a long command body off the async runtime's threads.
async fn blocking<T: Send + 'static>(
    lang: Lang,
    body: impl FnOnce() -> Result<T, CommandError> + Send + 'static,
) -> Result<T, CommandError> {
    tauri::async_runtime::spawn_blocking(body)
        .await
        .unwrap_or_else(|_| Err(CommandError::internal(lang)))
}

/// What the wizard shows of the file at `path` (chosen in the native dialog or dropped):
/// per table the kind, header row, columns, mapping, the first rows, date-order questions
/// and problems. `options` are the user's choices so far (the same as for `import_file`);
/// the wizard calls this again after each change. Nothing is written.
#[tauri::command]
pub async fn inspect_file(
    imports: tauri::State<'_, Imports>,
    path: String,
    options: Option<ImportOptions>,
    lang: Option<String>,
) -> Result<Inspection, CommandError> {
    let lang = ui_lang(lang.as_deref());
    let exe = imports.worker();
    blocking(lang, move || {
        guard("inspect_file", lang, || {
            let options = options.unwrap_or_default();
            let found = worker::inspect(Path::new(&path), &options, lang, exe.as_deref())
                .map_err(|e| job_error(&e, lang))?;
            log::info!("inspected a file: {} tables", found.tables.len());
            Ok(found)
        })
    })
    .await
}

/// Sends events to the UI: progress at most every 100 ms (and at each table's end).
fn emitter(channel: Channel<ImportEvent>, import_id: u32) -> worker::EventFn {
    let last: Mutex<Option<(Instant, u32)>> = Mutex::new(None);
    Arc::new(move |e: Event| {
        let event = match e {
            Event::Progress(p) => {
                let mut last = locked(&last);
                let due = match *last {
                    None => true,
                    Some((at, table)) => {
                        table != p.table
                            || p.fraction >= 1.0
                            || at.elapsed() >= Duration::from_millis(100)
                    }
                };
                if !due {
                    return;
                }
                *last = Some((Instant::now(), p.table));
                let tables = p.tables.max(1);
                ImportEvent::Progress {
                    import_id,
                    sheet: p.sheet,
                    table: p.table,
                    tables,
                    rows: p.rows,
                    fraction: p.fraction,
                    file_fraction: ((f64::from(p.table) + p.fraction) / f64::from(tables))
                        .clamp(0.0, 1.0),
                    rows_per_second: p.rows_per_second,
                }
            }
            Event::Committing => ImportEvent::Committing { import_id },
        };
        // a window that went away does not stop the import
        let _ = channel.send(event);
    })
}

/// Imports the file at `path` (all its tables, or `options.sheet`) with the user's
/// `options`, all in one transaction; `replace` swaps an earlier import of the same file.
/// Events go to `on_event` (first `started` with the id `cancel_import` takes). The same
/// file imported before (same SHA-256) answers with code `already_imported`; a cancelled
/// import with code `cancelled` (nothing was written).
#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn import_file(
    db: tauri::State<'_, Db>,
    imports: tauri::State<'_, Imports>,
    path: String,
    options: Option<ImportOptions>,
    replace: Option<bool>,
    on_event: Channel<ImportEvent>,
    lang: Option<String>,
) -> Result<Imported, CommandError> {
    let lang = ui_lang(lang.as_deref());
    let db_path = guard("import_file", lang, || {
        Ok(db.lock(lang)?.path().to_path_buf())
    })?;
    let exe = imports.worker();
    let inner = Arc::clone(&imports.0);
    let import_id = inner.next_id.fetch_add(1, Ordering::Relaxed);
    let switch = Arc::new(CancelSwitch::new());
    locked(&inner.running).insert(import_id, Arc::clone(&switch));
    let file = PathBuf::from(&path);
    let _ = on_event.send(ImportEvent::Started {
        import_id,
        file: file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.clone()),
        in_worker: exe.is_some() && worker::is_workbook(&file),
    });
    let events = emitter(on_event, import_id);
    let running = Arc::clone(&inner);
    let result = blocking(lang, move || {
        guard("import_file", lang, || {
            let Some(_turn) = running.wait_turn(&switch) else {
                let e = cspulse_engine::Error::Cancelled { file: file.clone() };
                return Err(engine_error(&e, lang));
            };
            let options = options.unwrap_or_default();
            let job = ImportJob {
                db: &db_path,
                file: &file,
                options: &options,
                replace: replace.unwrap_or(false),
                lang,
                worker: exe.as_deref(),
            };
            let imported =
                worker::import(&job, &switch, events).map_err(|e| job_error(&e, lang))?;
            log::info!(
                "imported a file: {} batches, {} rows",
                imported.batches.len(),
                imported
                    .batches
                    .iter()
                    .map(|b| b.batch.rows_imported)
                    .sum::<i64>()
            );
            Ok(imported)
        })
    })
    .await;
    locked(&inner.running).remove(&import_id);
    result
}

/// Cancels a running (or waiting) import. `true`: it stops and nothing is written;
/// `false`: too late (it is committing or done) or no such import.
#[tauri::command]
pub async fn cancel_import(
    imports: tauri::State<'_, Imports>,
    import_id: u32,
    lang: Option<String>,
) -> Result<bool, CommandError> {
    let lang = ui_lang(lang.as_deref());
    guard("cancel_import", lang, || {
        let switch = locked(&imports.0.running).get(&import_id).cloned();
        Ok(switch.is_some_and(|s| s.cancel()))
    })
}

/// Every import batch with its lineage (file, sheet, kind, SHA-256, rows imported and
/// skipped, issues, time, source `file` or `demo`), oldest first.
#[tauri::command]
pub async fn list_batches(
    db: tauri::State<'_, Db>,
    lang: Option<String>,
) -> Result<Vec<Batch>, CommandError> {
    let lang = ui_lang(lang.as_deref());
    guard("list_batches", lang, || {
        db.lock(lang)?.batches().map_err(|e| engine_error(&e, lang))
    })
}

/// Deletes one batch and exactly its rows; answers with the batch as it was.
#[tauri::command]
pub async fn undo_batch(
    db: tauri::State<'_, Db>,
    imports: tauri::State<'_, Imports>,
    batch_id: i64,
    lang: Option<String>,
) -> Result<Batch, CommandError> {
    let lang = ui_lang(lang.as_deref());
    guard("undo_batch", lang, || {
        let _turn = no_import_running(&imports, lang)?;
        let batch = db
            .lock(lang)?
            .undo(batch_id)
            .map_err(|e| engine_error(&e, lang))?;
        log::info!("undid a batch of {} rows", batch.rows_imported);
        Ok(batch)
    })
}

/// The issues stored with a batch, reasons in the user's language.
#[tauri::command]
pub async fn batch_issues(
    db: tauri::State<'_, Db>,
    batch_id: i64,
    lang: Option<String>,
) -> Result<BatchIssues, CommandError> {
    let lang = ui_lang(lang.as_deref());
    guard("batch_issues", lang, || {
        let store = db.lock(lang)?;
        wizard::batch_issues(&store, batch_id, lang).map_err(|e| engine_error(&e, lang))
    })
}

/// Saves a batch's issues as an Excel workbook at `path`, a file the user chose in the
/// native save dialog (sheet, row, column, value, reason; headers in the user's language).
#[tauri::command]
pub async fn save_issues(
    db: tauri::State<'_, Db>,
    batch_id: i64,
    path: String,
    lang: Option<String>,
) -> Result<SavedIssues, CommandError> {
    let lang = ui_lang(lang.as_deref());
    guard("save_issues", lang, || {
        let store = db.lock(lang)?;
        let saved = wizard::save_issues(&store, batch_id, lang, Path::new(&path))
            .map_err(|e| engine_error(&e, lang))?;
        log::info!("saved {} issues", saved.issues);
        Ok(saved)
    })
}

/// Removes the sample company (every batch from the embedded demo); the user's own
/// imports stay. Answers with the number of batches removed.
#[tauri::command]
pub async fn clear_demo(
    db: tauri::State<'_, Db>,
    imports: tauri::State<'_, Imports>,
    lang: Option<String>,
) -> Result<u32, CommandError> {
    let lang = ui_lang(lang.as_deref());
    guard("clear_demo", lang, || {
        let _turn = no_import_running(&imports, lang)?;
        let removed = db
            .lock(lang)?
            .clear(true)
            .map_err(|e| engine_error(&e, lang))?
            .len();
        log::info!("cleared the sample data: {removed} batches");
        Ok(removed as u32)
    })
}

/// Files dragged onto the window, as the OS reports them (the page itself only sees that
/// something was dropped, not where it lives), and files the app was asked to open.
#[derive(Clone, Debug, PartialEq, Serialize, ts_rs::TS)]
#[serde(tag = "event", rename_all = "snake_case")]
#[ts(export)]
pub enum FileDropEvent {
    /// Files are dragged over the window (for highlighting the drop zone).
    Enter { paths: Vec<String> },
    /// The files were dropped, or the app was asked to open them (its command line, a
    /// second start, "open with" in the file manager): inspect and import them.
    Drop { paths: Vec<String> },
    /// The drag left the window or was cancelled.
    Leave,
}

/// Where dropped files are reported: the channel of the last `watch_file_drops`, and the
/// files the app was asked to open before the page was listening.
#[derive(Default)]
pub struct FileDrops(Mutex<Drops>);

#[derive(Default)]
struct Drops {
    channel: Option<Channel<FileDropEvent>>,
    /// Files to open that arrived before the page called `watch_file_drops` (the app's own
    /// command line): handed over as one `drop` when it does.
    pending: Vec<String>,
}

fn strings(paths: &[PathBuf]) -> Vec<String> {
    paths.iter().map(|p| p.display().to_string()).collect()
}

impl FileDrops {
    /// Passes a drag-and-drop event of the main window to the page.
    pub fn report(&self, event: &tauri::DragDropEvent) {
        let out = match event {
            tauri::DragDropEvent::Enter { paths, .. } => FileDropEvent::Enter {
                paths: strings(paths),
            },
            tauri::DragDropEvent::Drop { paths, .. } => FileDropEvent::Drop {
                paths: strings(paths),
            },
            tauri::DragDropEvent::Leave => FileDropEvent::Leave,
            _ => return,
        };
        if let Some(channel) = locked(&self.0).channel.as_ref() {
            let _ = channel.send(out);
        }
    }

    /// Files the app was asked to open (its command line, a second start, the system's "open
    /// with"): the page gets them as a `drop`, so they start the import flow like dropped
    /// files. Before the page listens they are kept and delivered when it calls
    /// `watch_file_drops`.
    pub fn open(&self, paths: &[PathBuf]) {
        if paths.is_empty() {
            return;
        }
        let paths = strings(paths);
        let mut drops = locked(&self.0);
        let sent = drops.channel.as_ref().is_some_and(|c| {
            c.send(FileDropEvent::Drop {
                paths: paths.clone(),
            })
            .is_ok()
        });
        if !sent {
            drops.pending.extend(paths);
        }
    }

    /// Files waiting for the page (for the log and the tests).
    pub fn pending(&self) -> usize {
        locked(&self.0).pending.len()
    }
}

/// Reports files dragged onto the main window to `on_event` from now on (replacing an
/// earlier channel), and files the app was asked to open (command line, a second start,
/// "open with"). Files that arrived before the first call are sent at once as one `drop`.
/// No event permission is needed for it.
#[tauri::command]
pub async fn watch_file_drops(
    drops: tauri::State<'_, FileDrops>,
    on_event: Channel<FileDropEvent>,
    lang: Option<String>,
) -> Result<(), CommandError> {
    let lang = ui_lang(lang.as_deref());
    guard("watch_file_drops", lang, || {
        let mut d = locked(&drops.0);
        let pending = std::mem::take(&mut d.pending);
        if !pending.is_empty() {
            log::info!("handing {} files to open to the page", pending.len());
            if on_event
                .send(FileDropEvent::Drop {
                    paths: pending.clone(),
                })
                .is_err()
            {
                d.pending = pending;
            }
        }
        d.channel = Some(on_event);
        Ok(())
    })
}
