//! The import wizard's commands: choose files, inspect a file, see what it overlaps, import it
//! with progress and cancel. The history of imports is `history.rs`, files dropped onto the
//! window `drops.rs`.
//!
//! Files come as tokens ([`crate::files`]): the page refers to a file the user chose in the
//! open dialog, dropped, or opened the app with; a token it was not handed is refused.
//!
//! Where the work happens (README "Import in the desktop app"): a workbook is read by a
//! worker process (this executable started again, see `main.rs` and the engine's
//! `worker`) under memory and CPU limits; a CSV/text file in this process. Either way the
//! import writes on a database connection of its own, in one transaction, and the store's
//! mutex ([`Db::lock`]) is held only for a moment (to learn the database's path), so the
//! dashboard keeps answering from the data as it was until the import commits (SQLite's
//! WAL lets readers go on beside the one writer). Imports run one at a time (a second one
//! waits for its turn, and can be cancelled while it waits); the file is opened (and checked
//! to be a regular file) before the turn is taken, on a thread of its own, so a pipe or a
//! network path that does not answer never holds the queue. Undo and clearing the sample data
//! refuse to run during an import (`import_running`) instead of waiting on the database's
//! lock. Quitting the app cancels every running import and waits until its worker is gone
//! ([`Imports::shutdown`]).

use crate::db::Db;
use crate::error::{ui_lang, AppCode, CommandError};
use crate::files::{Chosen, ChosenFile, Dialogs, OpenFor};
use crate::guard::{blocking, guard};
use cspulse_engine::error::{ErrorCode, Lang};
use cspulse_engine::import::profile::{self, Profile};
use cspulse_engine::import::ImportOptions;
use cspulse_engine::import::{Input, Inspection};
use cspulse_engine::store::overlap::TableOverlap;
use cspulse_engine::store::{Batch, Imported, Store};
use cspulse_engine::worker::{self, CancelSwitch, Event, ImportJob, JobError};
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager as _, Runtime};

/// What a running import tells the UI (through the `onEvent` channel of `import_file`).
#[derive(Clone, Debug, PartialEq, Serialize, ts_rs::TS)]
#[serde(tag = "event", rename_all = "snake_case")]
#[ts(export)]
pub enum ImportEvent {
    /// Sent first: `import_id` is what `cancel_import` takes. The import may still wait for
    /// the file to answer or for another import to finish.
    Started { import_id: u32, file: String },
    /// The import has its turn and reads the file now. `in_worker`: a workbook read by the
    /// worker process.
    Reading { import_id: u32, in_worker: bool },
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

/// The imports of this app: who may be cancelled, whose turn it is, which inspection of a
/// file is the latest, and which executable reads workbooks.
pub struct Imports(Arc<Inner>);

struct Inner {
    next_id: AtomicU32,
    running: Mutex<HashMap<u32, Arc<CancelSwitch>>>,
    /// Signalled when an import leaves `running`.
    ended: Condvar,
    /// Held by the import that runs (and by undo / clear / restore while they run).
    turn: Mutex<()>,
    worker: Mutex<Option<PathBuf>>,
    inspections: Inspections,
}

pub(crate) fn locked<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Imports {
    /// Workbooks are read by `worker` (this app's own executable); `None` reads them in
    /// this process.
    pub fn new(worker: Option<PathBuf>) -> Imports {
        Imports(Arc::new(Inner {
            next_id: AtomicU32::new(1),
            running: Mutex::new(HashMap::new()),
            ended: Condvar::new(),
            turn: Mutex::new(()),
            worker: Mutex::new(worker),
            inspections: Inspections::default(),
        }))
    }

    /// Another executable as the worker (tests run the app's binary, not the test's).
    pub fn set_worker(&self, worker: Option<PathBuf>) {
        *locked(&self.0.worker) = worker;
    }

    fn worker(&self) -> Option<PathBuf> {
        locked(&self.0.worker).clone()
    }

    /// How many imports run or wait for their turn.
    pub fn running(&self) -> usize {
        locked(&self.0.running).len()
    }

    /// On quitting: cancels every running import (a worker is killed, its transaction dies
    /// with it) and waits, at most `limit`, until each has ended, so that no worker is left
    /// holding the database's write transaction. An import already committing completes.
    /// Answers whether all ended in time.
    pub fn shutdown(&self, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        let mut running = locked(&self.0.running);
        let mut cancelled = 0;
        for switch in running.values() {
            cancelled += usize::from(switch.cancel());
        }
        if !running.is_empty() {
            log::info!(
                "quitting: {} imports running, {cancelled} cancelled",
                running.len()
            );
        }
        while !running.is_empty() {
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                log::warn!("quitting: {} imports did not end in time", running.len());
                return false;
            };
            running = self
                .0
                .ended
                .wait_timeout(running, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        true
    }
}

/// Removes an import from `running` when it ends, however it ends.
struct Registered {
    inner: Arc<Inner>,
    id: u32,
}

impl Drop for Registered {
    fn drop(&mut self) {
        locked(&self.inner.running).remove(&self.id);
        self.inner.ended.notify_all();
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

/// The latest inspection of each file (each table of it, when one is asked for): the wizard
/// reads a file again after every change, and only the latest answer counts. An inspection waits while an earlier one of the same file
/// runs, and gives up (`superseded`) as soon as a newer one is asked for, so changes in quick
/// succession start one reader at a time instead of one each.
#[derive(Default)]
struct Inspections {
    files: Mutex<HashMap<String, Slot>>,
    changed: Condvar,
}

#[derive(Default)]
struct Slot {
    latest: u64,
    running: bool,
}

/// The right to inspect a file, as the latest inspection of it.
struct InspectTurn<'a> {
    all: &'a Inspections,
    token: String,
    mine: u64,
}

impl Inspections {
    fn turn(&self, token: &str, lang: Lang) -> Result<InspectTurn<'_>, CommandError> {
        let mut files = locked(&self.files);
        let slot = files.entry(token.to_owned()).or_default();
        slot.latest += 1;
        let mine = slot.latest;
        self.changed.notify_all();
        loop {
            let slot = files.entry(token.to_owned()).or_default();
            if slot.latest != mine {
                return Err(superseded(lang));
            }
            if !slot.running {
                slot.running = true;
                return Ok(InspectTurn {
                    all: self,
                    token: token.to_owned(),
                    mine,
                });
            }
            files = self
                .changed
                .wait(files)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

impl InspectTurn<'_> {
    /// Whether a newer inspection of the file was asked for meanwhile.
    fn superseded(&self) -> bool {
        locked(&self.all.files)
            .get(&self.token)
            .is_some_and(|s| s.latest != self.mine)
    }
}

impl Drop for InspectTurn<'_> {
    fn drop(&mut self) {
        if let Some(slot) = locked(&self.all.files).get_mut(&self.token) {
            slot.running = false;
        }
        self.all.changed.notify_all();
    }
}

fn superseded(lang: Lang) -> CommandError {
    CommandError {
        code: AppCode::Superseded.into(),
        message: lang.pick(
            "A newer reading of this file replaced this one.".into(),
            "Ein neueres Einlesen dieser Datei hat dieses ersetzt.".into(),
        ),
    }
}

fn job_error(e: &JobError, lang: Lang) -> CommandError {
    CommandError {
        code: e.error_code().into(),
        message: e.worded(lang, crate::error::app_message),
    }
}

pub(crate) fn engine_error(e: &cspulse_engine::Error, lang: Lang) -> CommandError {
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
            code: ErrorCode::ImportRunning.into(),
            message: lang.pick(
                "An import is running. Wait until it has finished (or cancel it) and try again.".into(),
                "Ein Import läuft gerade. Warten Sie, bis er fertig ist (oder brechen Sie ihn ab), und versuchen Sie es dann erneut.".into(),
            ),
        }),
    }
}

/// How long a file may take to be opened before the import or inspection gives up on it.
const OPEN_LIMIT: Duration = Duration::from_secs(20);

/// Opens `file` far enough to know that it is a regular file and whether it is a workbook,
/// on a thread of its own: a FIFO is refused before it is opened, and a file that does not
/// answer (a hung network path) is given up on after [`OPEN_LIMIT`], or as soon as
/// `give_up` says so (a cancel), without holding the import queue or a runtime thread. The
/// thread that waits on the file is left to the kernel.
fn probe(
    file: &Path,
    give_up: &dyn Fn() -> Option<CommandError>,
    lang: Lang,
) -> Result<bool, CommandError> {
    let (send, answer) = std::sync::mpsc::channel();
    let path = file.to_path_buf();
    let spawned = std::thread::Builder::new()
        .name("open-file".into())
        .spawn(move || {
            // metadata does not open the file: a FIFO is known for one before it blocks
            let checked = std::fs::metadata(&path)
                .map(|m| m.is_file())
                .map(|regular| (regular, regular && worker::is_workbook(&path)));
            let _ = send.send(checked);
        });
    if spawned.is_err() {
        return Err(CommandError::internal(lang));
    }
    let started = Instant::now();
    loop {
        match answer.recv_timeout(Duration::from_millis(25)) {
            Ok(Ok((true, workbook))) => return Ok(workbook),
            Ok(Ok((false, _))) => {
                let e = if file.is_dir() {
                    cspulse_engine::Error::FileUnreadable {
                        file: file.to_path_buf(),
                        reason: std::io::ErrorKind::IsADirectory,
                    }
                } else {
                    cspulse_engine::Error::NotAFile {
                        file: file.to_path_buf(),
                    }
                };
                return Err(engine_error(&e, lang));
            }
            Ok(Err(e)) => {
                let e = cspulse_engine::Error::FileUnreadable {
                    file: file.to_path_buf(),
                    reason: e.kind(),
                };
                return Err(engine_error(&e, lang));
            }
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                return Err(CommandError::internal(lang))
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
        }
        if let Some(e) = give_up() {
            return Err(e);
        }
        if started.elapsed() > OPEN_LIMIT {
            return Err(no_answer(file, lang));
        }
    }
}

fn no_answer(file: &Path, lang: Lang) -> CommandError {
    let (name, _) = crate::files::display_name(file);
    let seconds = OPEN_LIMIT.as_secs();
    CommandError {
        code: AppCode::FileNotAnswering.into(),
        message: lang.pick(
            format!("{name} did not open within {seconds} seconds (a network drive that does not answer?). Copy it to this computer and try again."),
            format!("{name} ließ sich nicht innerhalb von {seconds} Sekunden öffnen (ein Netzlaufwerk, das nicht antwortet?). Kopieren Sie die Datei auf diesen Computer und versuchen Sie es erneut."),
        ),
    }
}

/// Files to import, chosen in the native open dialog (several at once): their tokens and
/// names; `[]` when the dialog was cancelled.
#[tauri::command]
pub async fn choose_import_files<R: Runtime>(
    app: AppHandle<R>,
    lang: Option<String>,
) -> Result<Vec<ChosenFile>, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        guard("choose_import_files", lang, || {
            let paths = app.state::<Dialogs>().open(&app, OpenFor::Import, lang);
            let chosen = app.state::<Chosen>();
            Ok(paths.into_iter().map(|p| chosen.hand_over(p)).collect())
        })
    })
    .await
}

/// What the wizard shows of the chosen `file` (a token from the open dialog or a drop): per
/// table the kind, header row, columns, mapping, the first rows, date-order questions and
/// problems. `options` are the user's choices so far (the same as for `import_file`); the
/// wizard calls this again after each change, and only the latest call for a file is
/// answered (an earlier one still waiting answers `superseded`). Nothing is written.
#[tauri::command]
pub async fn inspect_file<R: Runtime>(
    app: AppHandle<R>,
    file: String,
    options: Option<ImportOptions>,
    lang: Option<String>,
) -> Result<Inspection, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        guard("inspect_file", lang, || {
            let path = app.state::<Chosen>().path(&file, lang)?;
            let imports = app.state::<Imports>();
            let exe = imports.worker();
            let options = options.unwrap_or_default();
            // the wizard reads each table of a workbook on its own (`sheet`): those do not
            // replace one another, only a newer reading of the same table does
            let which = format!(
                "{file}\u{0}{}",
                options.sheet.as_deref().unwrap_or_default()
            );
            let turn = imports.0.inspections.turn(&which, lang)?;
            let give_up = || turn.superseded().then(|| superseded(lang));
            probe(&path, &give_up, lang)?;
            let found = worker::inspect(&path, &options, lang, exe.as_deref())
                .map_err(|e| job_error(&e, lang))?;
            if turn.superseded() {
                return Err(superseded(lang));
            }
            log::info!("inspected a file: {} tables", found.tables.len());
            Ok(found)
        })
    })
    .await
}

/// Which earlier imports the chosen `file` overlaps, per table it would import with the
/// wizard's `options` (and what the import would do there, `options.overlap`): the
/// engine's `Store::overlaps`, shown before anything is written. A workbook is read by the
/// worker process, like an inspection; the database is read on a connection of its own, so
/// the store's mutex is not held while the file is read. Only the latest call for a file
/// is answered (`superseded`).
#[tauri::command]
pub async fn import_overlaps<R: Runtime>(
    app: AppHandle<R>,
    file: String,
    options: Option<ImportOptions>,
    lang: Option<String>,
) -> Result<Vec<TableOverlap>, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        guard("import_overlaps", lang, || {
            let path = app.state::<Chosen>().path(&file, lang)?;
            let imports = app.state::<Imports>();
            let exe = imports.worker();
            let options = options.unwrap_or_default();
            let turn = imports
                .0
                .inspections
                .turn(&format!("{file}\u{0}\u{0}overlaps"), lang)?;
            let give_up = || turn.superseded().then(|| superseded(lang));
            probe(&path, &give_up, lang)?;
            let db_path = app.state::<Db>().lock(lang)?.path().to_path_buf();
            let found = worker::overlaps(&db_path, &path, &options, lang, exe.as_deref())
                .map_err(|e| job_error(&e, lang))?;
            if turn.superseded() {
                return Err(superseded(lang));
            }
            log::info!(
                "overlaps of a file: {} tables, {} earlier imports",
                found.len(),
                found.iter().map(|t| t.overlaps.len()).sum::<usize>()
            );
            Ok(found)
        })
    })
    .await
}

/// The earlier live import of exactly this `file` (same bytes; `sheet`: of that sheet), if
/// any: the wizard says "already imported on 7 Dec, 10:47 — nothing new" instead of
/// offering an import that would be refused. The engine's `Store::already_imported` (the
/// file is hashed, not parsed), on a database connection of its own.
#[tauri::command]
pub async fn already_imported<R: Runtime>(
    app: AppHandle<R>,
    file: String,
    sheet: Option<String>,
    lang: Option<String>,
) -> Result<Option<Batch>, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        guard("already_imported", lang, || {
            let path = app.state::<Chosen>().path(&file, lang)?;
            probe(&path, &|| None, lang)?;
            let db_path = app.state::<Db>().lock(lang)?.path().to_path_buf();
            let store = Store::open(&db_path).map_err(|e| engine_error(&e, lang))?;
            store
                .already_imported(&path, &Input::File(path.clone()), sheet.as_deref())
                .map_err(|e| engine_error(&e, lang))
        })
    })
    .await
}

/// The import profile saved for the shape of the chosen `file` (the user's own first, then
/// a built-in one), or `null`: the file is inspected with no options (a workbook in the
/// worker process) and its signature looked up (`profile::signature_of`,
/// `Store::profile_for`). The wizard then reads the file with the profile's choices.
#[tauri::command]
pub async fn find_profile<R: Runtime>(
    app: AppHandle<R>,
    file: String,
    lang: Option<String>,
) -> Result<Option<Profile>, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        guard("find_profile", lang, || {
            let path = app.state::<Chosen>().path(&file, lang)?;
            let exe = app.state::<Imports>().worker();
            probe(&path, &|| None, lang)?;
            // a file whose shape cannot be read has no profile: the inspection tells why
            let Ok(found) = worker::inspect(&path, &ImportOptions::default(), lang, exe.as_deref())
            else {
                return Ok(None);
            };
            let signature = profile::signature_of(&found);
            let db = app.state::<Db>();
            let p = db.lock(lang)?.profile_for(&signature);
            p.map_err(|e| engine_error(&e, lang))
        })
    })
    .await
}

/// Whether the sample company is among the data (`Store::has_demo`): the first own import
/// asks whether it replaces it.
#[tauri::command]
pub async fn has_sample<R: Runtime>(
    app: AppHandle<R>,
    lang: Option<String>,
) -> Result<bool, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        guard("has_sample", lang, || {
            let db = app.state::<Db>();
            let has = db.lock(lang)?.has_demo();
            has.map_err(|e| engine_error(&e, lang))
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

/// Imports the chosen `file` (a token; all its tables, or `options.sheet`) with the user's
/// `options`, all in one transaction; `replace` swaps an earlier import of the same file.
/// Events go to `on_event` (first `started` with the id `cancel_import` takes). The same
/// file imported before (same SHA-256) answers with code `already_imported`; a cancelled
/// import with code `cancelled` (nothing was written).
#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn import_file<R: Runtime>(
    app: AppHandle<R>,
    file: String,
    options: Option<ImportOptions>,
    replace: Option<bool>,
    on_event: Channel<ImportEvent>,
    lang: Option<String>,
) -> Result<Imported, CommandError> {
    let lang = ui_lang(lang.as_deref());
    let path = app.state::<Chosen>().path(&file, lang)?;
    let imports = app.state::<Imports>();
    let exe = imports.worker();
    let inner = Arc::clone(&imports.0);
    let import_id = inner.next_id.fetch_add(1, Ordering::Relaxed);
    let switch = Arc::new(CancelSwitch::new());
    locked(&inner.running).insert(import_id, Arc::clone(&switch));
    let registered = Registered {
        inner: Arc::clone(&inner),
        id: import_id,
    };
    let _ = on_event.send(ImportEvent::Started {
        import_id,
        file: crate::files::display_name(&path).0,
    });
    let events = emitter(on_event.clone(), import_id);
    blocking(lang, move || {
        let _registered = registered;
        guard("import_file", lang, || {
            let cancelled = || {
                let e = cspulse_engine::Error::Cancelled { file: path.clone() };
                engine_error(&e, lang)
            };
            // opened before the turn is taken: a file that does not answer holds no queue
            let give_up = || switch.is_cancelled().then(cancelled);
            let workbook = probe(&path, &give_up, lang)?;
            let Some(_turn) = inner.wait_turn(&switch) else {
                return Err(cancelled());
            };
            let db_path = app.state::<Db>().lock(lang)?.path().to_path_buf();
            let _ = on_event.send(ImportEvent::Reading {
                import_id,
                in_worker: exe.is_some() && workbook,
            });
            let options = options.unwrap_or_default();
            let job = ImportJob {
                db: &db_path,
                file: &path,
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
    .await
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
