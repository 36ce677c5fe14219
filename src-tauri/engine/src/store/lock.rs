//! Who may write when, across connections and processes (the app, its import worker, the
//! CLI): two advisory file locks next to the database, besides SQLite's own write lock.
//!
//! - **The import lock** (`<db>-import.lock`, exclusive, held for a whole import): imports
//!   run one at a time. Whoever holds it knows that a batch still `staging` that is not its
//!   own was left by an import that died (killed, crashed, its machine lost power), and may
//!   remove it.
//! - **The write gate** (`<db>-write.lock`): an import writes its rows in short transactions
//!   (about 0.1 s each). A short writer (a setting, an undo, a restore) holds the gate
//!   *shared* while it waits for SQLite's write lock and writes; between two of its
//!   transactions the import checks the gate and, when someone holds it, waits until they are
//!   done. Without it, a writer polling for SQLite's lock could keep missing the moments
//!   between the import's transactions until its busy timeout ran out.
//!
//! Both are advisory (`flock` on Unix, `LockFileEx` on Windows, through `std::fs::File`).
//! Where a lock file cannot be created or locked (a read-only folder, a file system without
//! locks), the store goes on without it: SQLite's own locking still keeps every transaction
//! whole; only the fairness above and the clean-up of dead imports are lost.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

fn lock_path(db: &Path, suffix: &str) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The lock files that belong to the database at `db` (for removing a database whole).
pub fn lock_files(db: &Path) -> [PathBuf; 2] {
    [lock_path(db, "-import.lock"), lock_path(db, "-write.lock")]
}

fn open_lock_file(path: &Path) -> Option<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .ok()
}

/// Held for a whole import; released when dropped (or when the process ends, however).
pub struct ImportLock {
    _file: File,
}

impl ImportLock {
    /// Waits until no other import of this database runs. `None`: locking is not possible
    /// here (see the module's notes).
    pub fn acquire(db: &Path) -> Option<ImportLock> {
        let file = open_lock_file(&lock_path(db, "-import.lock"))?;
        file.lock().ok()?;
        Some(ImportLock { _file: file })
    }

    /// The lock when no import runs now; `Err(())` when one does; `Ok(None)` when locking
    /// is not possible here.
    #[allow(clippy::result_unit_err)]
    pub fn try_acquire(db: &Path) -> Result<Option<ImportLock>, ()> {
        let Some(file) = open_lock_file(&lock_path(db, "-import.lock")) else {
            return Ok(None);
        };
        match file.try_lock() {
            Ok(()) => Ok(Some(ImportLock { _file: file })),
            Err(TryLockError::WouldBlock) => Err(()),
            Err(TryLockError::Error(_)) => Ok(None),
        }
    }
}

/// A store's handle on the write gate.
pub struct Gate {
    path: PathBuf,
    file: Option<File>,
}

/// A short writer's turn: the gate held shared until dropped.
pub struct Turn<'g> {
    file: Option<&'g File>,
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        if let Some(f) = self.file {
            let _ = f.unlock();
        }
    }
}

impl Gate {
    pub fn new(db: &Path) -> Gate {
        Gate {
            path: lock_path(db, "-write.lock"),
            file: None,
        }
    }

    fn file(&mut self) -> Option<&File> {
        if self.file.is_none() {
            self.file = open_lock_file(&self.path);
        }
        self.file.as_ref()
    }

    /// A short writer announces itself (shared: writers do not wait for each other here,
    /// SQLite orders them); an import between two transactions then lets it pass.
    pub fn turn(&mut self) -> Turn<'_> {
        let file = self.file().filter(|f| f.lock_shared().is_ok());
        Turn { file }
    }

    /// Called by a long writer (an import) between two of its transactions: when a short
    /// writer is waiting, waits until it is done.
    pub fn let_others_pass(&mut self) {
        let Some(f) = self.file() else { return };
        match f.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                // blocks until every short writer holding the gate has written
                if f.lock().is_err() {
                    return;
                }
            }
            Err(TryLockError::Error(_)) => return,
        }
        let _ = f.unlock();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    #[test]
    fn a_long_writer_waits_while_a_short_writer_holds_the_gate() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("cs.db");
        let mut short = Gate::new(&db);
        let mut long = Gate::new(&db);
        // nobody waiting: passes at once
        let t = Instant::now();
        long.let_others_pass();
        assert!(t.elapsed() < Duration::from_secs(1));
        let released = Arc::new(AtomicBool::new(false));
        let passed = std::thread::scope(|s| {
            let turn = short.turn();
            let r = Arc::clone(&released);
            let waiter = s.spawn(move || {
                long.let_others_pass();
                r.load(Ordering::SeqCst)
            });
            std::thread::sleep(Duration::from_millis(200));
            released.store(true, Ordering::SeqCst);
            drop(turn);
            waiter.join().expect("waiter")
        });
        assert!(
            passed,
            "the long writer went on only after the short one was done"
        );
    }

    #[test]
    fn imports_take_turns() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("cs.db");
        let first = ImportLock::acquire(&db).expect("first import");
        assert!(
            ImportLock::try_acquire(&db).is_err(),
            "a second import waits"
        );
        drop(first);
        assert!(matches!(ImportLock::try_acquire(&db), Ok(Some(_))));
    }
}
