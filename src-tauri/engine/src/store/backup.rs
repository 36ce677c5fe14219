//! Copies of the whole database, made with SQLite's online backup API
//! (<https://sqlite.org/backup.html>): a consistent snapshot even while another process
//! (the desktop app, a CLI job) reads or writes it.
//!
//! - [`Store::backup_to`]: `cspulse backup FILE`, the app's "save a backup".
//! - [`Store::restore_from`]: `cspulse restore FILE`; the backup is checked first, the current
//!   data is kept in a safety copy, and the switch is one SQLite transaction (a crash leaves the
//!   old or the new data, never a mix).
//! - [`before_migration`]: the copy `<db>.backup-v<N>` that [`Store::open`] writes before it
//!   migrates a schema of version N.
//!
//! Every copy is written to a temporary file next to its destination, flushed to disk and then
//! renamed over it, so an existing copy is only replaced by a complete one.

use super::{Store, MIGRATIONS};
use crate::error::{BackupProblem, Error, Result};
use crate::model::Kind;
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What a backup file holds, as far as a restore needs to know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupInfo {
    /// Its schema version (`PRAGMA user_version`), 1..=the app's.
    pub schema_version: i64,
    /// How many import batches it holds.
    pub batches: i64,
}

impl Store {
    /// Writes a consistent copy of the whole database to `dest` (replacing a file there only
    /// once the copy is complete and on disk). The copy is a self-contained single file
    /// (rollback journal, no `-wal`), ready to be restored with [`Store::restore_from`].
    /// A file already at `dest` is replaced only when it is itself a CS Pulse database (an
    /// older backup): a mistyped name never overwrites a spreadsheet or a document.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        if same_file(dest, &self.path) {
            return Err(Error::BadBackup {
                file: dest.into(),
                problem: BackupProblem::IsTheDatabase,
            });
        }
        let occupied = std::fs::metadata(dest).is_ok_and(|m| m.is_file() && m.len() > 0);
        if occupied && check_backup(dest).is_err() {
            return Err(Error::CannotWrite {
                file: dest.into(),
                reason: std::io::ErrorKind::AlreadyExists,
            });
        }
        write_copy(&self.conn, dest)
    }

    /// Replaces everything in the database (batches, rows, settings) with the backup at `src`.
    ///
    /// `src` is checked first ([`check_backup`]: a CS Pulse database, intact, not from a newer
    /// version); then the current data is copied to `<db>.before-restore-<UTC time>` (returned,
    /// `None` when it held neither batches nor settings), and the backup is copied in with the backup
    /// API as one transaction. A backup of an older schema is migrated right after.
    pub fn restore_from(&mut self, src: &Path) -> Result<Option<PathBuf>> {
        if same_file(src, &self.path) {
            return Err(Error::BadBackup {
                file: src.into(),
                problem: BackupProblem::IsTheDatabase,
            });
        }
        check_backup(src)?;
        let source = open_read_only(src)?;
        let page_size =
            |c: &Connection| c.query_row("PRAGMA page_size", [], |r| r.get::<_, i64>(0));
        if page_size(&source)? != page_size(&self.conn)? {
            // a database in WAL mode cannot change its page size, so such a file is copied
            // through a temporary database of the right page size first
            let tmp = temp_path(&self.path, "restore");
            let _ = std::fs::remove_file(&tmp);
            source.execute("VACUUM INTO ?1", [tmp.to_string_lossy()])?;
            let result = self.restore_checked(&tmp);
            let _ = std::fs::remove_file(&tmp);
            return result;
        }
        drop(source);
        self.restore_checked(src)
    }

    fn restore_checked(&mut self, src: &Path) -> Result<Option<PathBuf>> {
        let settings: i64 = self
            .conn
            .query_row("SELECT count(*) FROM settings", [], |r| r.get(0))?;
        let safety = if self.has_data()? || settings > 0 {
            let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
            let p = sibling(&self.path, &format!("before-restore-{stamp}"));
            write_copy(&self.conn, &p)?;
            Some(p)
        } else {
            None
        };
        let source = open_read_only(src)?;
        {
            let b = Backup::new(&source, &mut self.conn)?;
            run(&b)?;
        }
        drop(source);
        // migrate an older backup (with its own migration copy) on a fresh connection
        *self = Store::open(&self.path)?;
        Ok(safety)
    }
}

/// Checks that `src` is a CS Pulse database this version can restore: readable, an SQLite
/// database that passes `PRAGMA integrity_check`, with the CS Pulse tables and a schema
/// version from 1 to this version's. Opens it read-only and changes nothing.
pub fn check_backup(src: &Path) -> Result<BackupInfo> {
    let problem = |problem| Error::BadBackup {
        file: src.into(),
        problem,
    };
    match std::fs::metadata(src) {
        Ok(m) if m.is_dir() => {
            return Err(Error::FileUnreadable {
                file: src.into(),
                reason: std::io::ErrorKind::IsADirectory,
            })
        }
        Ok(m) if m.len() == 0 => return Err(problem(BackupProblem::NotADatabase)),
        Ok(_) => {}
        Err(e) => {
            return Err(Error::FileUnreadable {
                file: src.into(),
                reason: e.kind(),
            })
        }
    }
    let conn = open_read_only(src)?;
    let not_db = |_| problem(BackupProblem::NotADatabase);
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(not_db)?;
    let check: Vec<String> = conn
        .prepare("PRAGMA integrity_check(20)")
        .and_then(|mut s| {
            s.query_map([], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<_>>()
        })
        .map_err(|e| problem(BackupProblem::Damaged(e.to_string())))?;
    if check != ["ok"] {
        return Err(problem(BackupProblem::Damaged(check.join("; "))));
    }
    let latest = MIGRATIONS.len() as i64;
    if version > latest {
        return Err(problem(BackupProblem::Newer { version, latest }));
    }
    let has_table = |name: &str| -> rusqlite::Result<bool> {
        conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1)",
            [name],
            |r| r.get(0),
        )
    };
    let mut ours = version >= 1;
    for t in ["batches", "settings"]
        .into_iter()
        .chain(Kind::ALL.iter().map(|k| k.id()))
    {
        ours = ours && has_table(t).map_err(not_db)?;
    }
    if !ours {
        return Err(problem(BackupProblem::NotCsPulse));
    }
    let batches = conn
        .query_row("SELECT count(*) FROM batches", [], |r| r.get(0))
        .map_err(not_db)?;
    Ok(BackupInfo {
        schema_version: version,
        batches,
    })
}

/// The copy [`Store::open`] writes before migrating a database of schema `version`:
/// `<db>.backup-v<version>`, made with the backup API. Returns its path.
pub(super) fn before_migration(conn: &Connection, path: &Path, version: i64) -> Result<PathBuf> {
    let dest = sibling(path, &format!("backup-v{version}"));
    write_copy(conn, &dest)?;
    Ok(dest)
}

/// `<db>.<suffix>` next to the database.
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

fn temp_path(dest: &Path, what: &str) -> PathBuf {
    sibling(dest, &format!("{what}-tmp-{}", std::process::id()))
}

fn open_read_only(src: &Path) -> Result<Connection> {
    Connection::open_with_flags(
        src,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|_| Error::BadBackup {
        file: src.into(),
        problem: BackupProblem::NotADatabase,
    })
}

/// Copies the database behind `conn` to `dest` through a temporary file: backup API, rollback
/// journal (one self-contained file), fsync, rename, fsync of the folder.
fn write_copy(conn: &Connection, dest: &Path) -> Result<()> {
    let unwritable = |e: std::io::Error| Error::CannotWrite {
        file: dest.into(),
        reason: e.kind(),
    };
    if dest.is_dir() {
        return Err(unwritable(std::io::ErrorKind::IsADirectory.into()));
    }
    let tmp = temp_path(dest, "backup");
    let _ = std::fs::remove_file(&tmp);
    let result = (|| -> Result<()> {
        // created here first so that a missing folder or a read-only one says so plainly
        std::fs::File::create(&tmp).map_err(unwritable)?;
        let mut out = Connection::open(&tmp)?;
        {
            let b = Backup::new(conn, &mut out)?;
            run(&b)?;
        }
        // the copy carries the source's WAL flag in its header; a backup is one plain file
        out.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
        out.close().map_err(|(_, e)| Error::Sqlite(e))?;
        // opened for writing: Windows refuses to flush a handle that was opened read-only
        std::fs::OpenOptions::new()
            .write(true)
            .open(&tmp)
            .and_then(|f| f.sync_all())
            .map_err(unwritable)?;
        std::fs::rename(&tmp, dest).map_err(unwritable)?;
        if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
            // the rename itself is on disk only once the folder is (ignored where folders
            // cannot be opened, as on Windows)
            let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// All pages in one step (one consistent snapshot, one transaction on the destination);
/// a source busy with another writer is retried for a while, never forever.
fn run(b: &Backup<'_, '_>) -> Result<()> {
    for _ in 0..100 {
        match b.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::More | StepResult::Busy | StepResult::Locked => {
                std::thread::sleep(Duration::from_millis(100))
            }
            _ => std::thread::sleep(Duration::from_millis(100)),
        }
    }
    Err(Error::Sqlite(rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
        Some("the database stayed busy; close other programs using it and try again".into()),
    )))
}

/// Do `a` and `b` name the same file (also through links)? Missing files are not the same.
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_copy_before_a_migration_is_a_complete_restorable_database() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("cs.db");
        let mut store = Store::open(&path).expect("open");
        store.set_setting("threshold.green", "77").expect("setting");
        let copy = before_migration(&store.conn, &path, 1).expect("copy");
        assert_eq!(copy, dir.path().join("cs.db.backup-v1"));
        let info = check_backup(&copy).expect("the copy is a CS Pulse database");
        assert_eq!(info.schema_version, crate::store::MIGRATIONS.len() as i64);
        let green: String = Connection::open(&copy)
            .expect("open copy")
            .query_row(
                "SELECT value FROM settings WHERE key = 'threshold.green'",
                [],
                |r| r.get(0),
            )
            .expect("setting in the copy");
        assert_eq!(green, "77");
        // no temporary file is left behind, and the copy is one file without a WAL
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .expect("list")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names
                .iter()
                .all(|n| !n.contains("-tmp-") && n != "cs.db.backup-v1-wal"),
            "{names:?}"
        );
    }

    #[test]
    fn a_newer_database_is_refused_before_anything_is_written() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("cs.db");
        drop(Store::open(&path).expect("open"));
        Connection::open(&path)
            .expect("raw")
            .execute_batch("PRAGMA user_version = 7; PRAGMA journal_mode = DELETE;")
            .expect("bump");
        let before = std::fs::read(&path).expect("read");
        match Store::open(&path) {
            Err(Error::DatabaseTooNew {
                version: 7, latest, ..
            }) => assert_eq!(latest, MIGRATIONS.len() as i64),
            Err(e) => panic!("unexpected error {e}"),
            Ok(_) => panic!("a newer database was opened"),
        }
        assert_eq!(std::fs::read(&path).expect("read"), before);
    }
}
