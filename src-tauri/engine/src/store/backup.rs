//! Copies of the whole database, made with SQLite's online backup API
//! (<https://sqlite.org/backup.html>): a consistent snapshot even while another process
//! (the desktop app, a CLI job) reads or writes it.
//!
//! - [`Store::backup_to`]: `cspulse backup FILE`, the app's "save a backup".
//! - [`Store::restore_from`]: `cspulse restore FILE`; the backup is checked first
//!   ([`check_backup`]: its schema must be exactly the one CS Pulse writes for its version,
//!   nothing more), the current data is kept in a safety copy
//!   (`<db name>.before-restore-<UTC time>.db`, the last three kept), and the switch is one
//!   SQLite transaction (a crash leaves the old or the new data, never a mix).
//! - [`before_migration`]: the copy `<db>.backup-v<N>` that [`Store::open`] writes before it
//!   migrates a schema of version N.
//!
//! Every copy is written to a temporary file created in its destination's folder (an
//! unpredictable name, created exclusively, never through a link: the `tempfile` crate),
//! flushed to disk and then renamed over the destination, and the folder is flushed: an
//! existing copy is only ever replaced by a complete one.

use super::{harden, lock, migrations, Store, MIGRATIONS};
use crate::error::{BackupProblem, Error, Result, SchemaDiff};
use crate::model::Kind;
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What a backup file holds, as far as a restore needs to know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupInfo {
    /// Its schema version (`PRAGMA user_version`), 1..=the app's.
    pub schema_version: i64,
    /// How many live import batches it holds.
    pub batches: i64,
}

/// How many safety copies of earlier restores are kept next to the database.
const SAFETY_COPIES_KEPT: usize = 3;

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
        let occupied = std::fs::symlink_metadata(dest).is_ok_and(|m| !m.is_file() || m.len() > 0);
        if occupied && !dest.is_dir() && check_backup(dest).is_err() {
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
    /// version, its schema exactly as CS Pulse writes it); a running import is waited for;
    /// then the current data is copied to `<db name>.before-restore-<UTC time>.db` next to the
    /// database (returned; `None` when it held neither batches nor settings; only the last
    /// three such copies are kept), and the backup is copied in with the backup API as one
    /// transaction. A backup of an older schema is migrated right after. Any failure after the
    /// safety copy was written is [`Error::RestoreFailed`], which names the copy.
    pub fn restore_from(&mut self, src: &Path) -> Result<Option<PathBuf>> {
        if same_file(src, &self.path) {
            return Err(Error::BadBackup {
                file: src.into(),
                problem: BackupProblem::IsTheDatabase,
            });
        }
        check_backup(src)?;
        // an import writing meanwhile would write into the data the backup replaces; waiting
        // for it could take minutes, so the restore is refused instead
        let _no_import =
            lock::ImportLock::try_acquire(&self.path).map_err(|()| Error::ImportRunning)?;
        let source = open_read_only(src)?;
        let page_size =
            |c: &Connection| c.query_row("PRAGMA page_size", [], |r| r.get::<_, i64>(0));
        let ours = page_size(&self.conn)?;
        if page_size(&source)? != ours {
            // a database in WAL mode cannot change its page size, so such a file is copied
            // into a temporary database first (the backup API, from the read-only file), which
            // is then rebuilt with this database's page size
            let tmp = temp_file(&self.path, "restore")?;
            {
                let mut out = Connection::open(tmp.path())?;
                harden(&out)?;
                {
                    let b = Backup::new(&source, &mut out)?;
                    run(&b)?;
                }
                out.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
                out.execute_batch(&format!("PRAGMA page_size = {ours}; VACUUM;"))?;
                out.close().map_err(|(_, e)| Error::Sqlite(e))?;
            }
            drop(source);
            return self.restore_checked(tmp.path());
        }
        drop(source);
        self.restore_checked(src)
    }

    fn restore_checked(&mut self, src: &Path) -> Result<Option<PathBuf>> {
        let settings: i64 = self
            .conn
            .query_row("SELECT count(*) FROM settings", [], |r| r.get(0))?;
        let batches: i64 = self.conn.query_row(
            "SELECT count(*) FROM batches WHERE state <> 'purged'",
            [],
            |r| r.get(0),
        )?;
        let safety = if batches > 0 || settings > 0 {
            let p = safety_copy_path(&self.path);
            write_copy(&self.conn, &p)?;
            prune_safety_copies(&self.path, SAFETY_COPIES_KEPT);
            Some(p)
        } else {
            None
        };
        let switched = self.copy_in(src);
        match (switched, safety) {
            (Ok(()), safety) => Ok(safety),
            (Err(e), Some(safety)) => {
                // the backup may be in but unusable (its migration failed): the data from
                // before goes back in, and stays in the safety copy either way
                if Store::open(&self.path).is_err() {
                    let _ = self.copy_in(&safety);
                }
                Err(Error::RestoreFailed {
                    safety,
                    source: Box::new(e),
                })
            }
            (Err(e), None) => Err(e),
        }
    }

    /// Copies the database at `src` over this one (one transaction), then opens it again
    /// (migrating an older one, with its own migration copy).
    fn copy_in(&mut self, src: &Path) -> Result<()> {
        let source = open_read_only(src)?;
        {
            let _turn = self.gate.turn();
            let b = Backup::new(&source, &mut self.conn)?;
            run(&b)?;
        }
        drop(source);
        *self = Store::open(&self.path)?;
        Ok(())
    }
}

/// Checks that `src` is a CS Pulse database this version can restore, without changing it:
/// a regular file; an SQLite database (opened read-only and defensively, [`harden`]) whose
/// schema version is from 1 to this version's; with exactly the schema CS Pulse writes for
/// that version — the same tables with the same columns and constraints, the same indexes,
/// and nothing else: no trigger, no view, no other table (compared with a database migrated
/// to that version, statement by statement, comments and spacing aside); and intact
/// (`PRAGMA integrity_check`).
pub fn check_backup(src: &Path) -> Result<BackupInfo> {
    let problem = |problem| Error::BadBackup {
        file: src.into(),
        problem,
    };
    crate::import::source::check_file(src, src)?;
    if std::fs::metadata(src).is_ok_and(|m| m.len() == 0) {
        return Err(problem(BackupProblem::NotADatabase));
    }
    let conn = open_read_only(src)?;
    let not_db = |_| problem(BackupProblem::NotADatabase);
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(not_db)?;
    let latest = MIGRATIONS.len() as i64;
    if version > latest {
        return Err(problem(BackupProblem::Newer { version, latest }));
    }
    let found = schema_of(&conn).map_err(not_db)?;
    // a foreign database: none of CS Pulse's tables, or no schema version of ours
    let ours = ["batches", "settings"]
        .into_iter()
        .chain(Kind::ALL.iter().map(|k| k.id()))
        .all(|t| found.contains_key(&("table".to_owned(), t.to_owned())));
    if version < 1 || !ours {
        return Err(problem(BackupProblem::NotCsPulse));
    }
    let expected = expected_schema(version)?;
    if let Some((object, name, diff)) = schema_difference(&expected, &found) {
        return Err(problem(BackupProblem::Schema { object, name, diff }));
    }
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
    let live = if version >= 3 {
        " WHERE state = 'live'"
    } else {
        ""
    };
    let batches = conn
        .query_row(&format!("SELECT count(*) FROM batches{live}"), [], |r| {
            r.get(0)
        })
        .map_err(not_db)?;
    Ok(BackupInfo {
        schema_version: version,
        batches,
    })
}

/// A database's schema: (type, name) → (table, its SQL normalised).
type Schema = BTreeMap<(String, String), (String, String)>;

fn schema_of(conn: &Connection) -> rusqlite::Result<Schema> {
    let mut stmt = conn.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema")?;
    let rows = stmt.query_map([], |r| {
        let sql: Option<String> = r.get(3)?;
        Ok((
            (r.get(0)?, r.get(1)?),
            (r.get(2)?, normalise_sql(sql.as_deref().unwrap_or(""))),
        ))
    })?;
    rows.collect()
}

/// The schema CS Pulse writes for `version`: an empty database migrated to it.
fn expected_schema(version: i64) -> Result<Schema> {
    let mut conn = Connection::open_in_memory()?;
    harden(&conn)?;
    migrations()
        .to_version(&mut conn, usize::try_from(version).unwrap_or(0))
        .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
    Ok(schema_of(&conn)?)
}

/// The first difference between what CS Pulse writes and what a file holds: (object type,
/// name, how). Objects the file has beyond the expected ones come first (a trigger or a
/// view planted in an otherwise faithful copy is the case this check exists for).
fn schema_difference(expected: &Schema, found: &Schema) -> Option<(String, String, SchemaDiff)> {
    let named = |(t, n): &(String, String), diff| Some((t.clone(), n.clone(), diff));
    // triggers and views first: they are what runs code
    let extra = found
        .keys()
        .filter(|k| !expected.contains_key(*k))
        .min_by_key(|(t, _)| match t.as_str() {
            "trigger" => 0,
            "view" => 1,
            _ => 2,
        });
    if let Some(k) = extra {
        return named(k, SchemaDiff::Unexpected);
    }
    for (k, want) in expected {
        match found.get(k) {
            None => return named(k, SchemaDiff::Missing),
            Some(have) if have != want => return named(k, SchemaDiff::Changed),
            Some(_) => {}
        }
    }
    None
}

/// SQL as stored in `sqlite_schema`, without comments and with runs of white space as one
/// space (outside quotes): how CS Pulse's own migrations compare, whatever the layout of
/// the file that wrote them.
fn normalise_sql(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    let mut space = false;
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' | '`' | '[' => {
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                let close = if c == '[' { ']' } else { c };
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    if d == close {
                        break;
                    }
                }
            }
            '-' if chars.peek() == Some(&'-') => {
                for d in chars.by_ref() {
                    if d == '\n' {
                        break;
                    }
                }
                space = true;
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for d in chars.by_ref() {
                    if last == '*' && d == '/' {
                        break;
                    }
                    last = d;
                }
                space = true;
            }
            c if c.is_whitespace() => space = true,
            c => {
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                out.push(c);
            }
        }
    }
    out
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

/// The start of a safety copy's file name: `<db name without extension>.before-restore-`.
fn safety_prefix(db: &Path) -> std::ffi::OsString {
    let mut prefix = db
        .file_stem()
        .map(|s| s.to_owned())
        .unwrap_or_else(|| "cspulse".into());
    prefix.push(".before-restore-");
    prefix
}

/// `<db name without extension>.before-restore-<UTC time>.db` next to the database (a
/// `.db` file, so that the restore dialog's filter shows it); `-2`, `-3` … after the highest
/// number of the same second already there, so that a newer copy always sorts after the
/// older ones (and pruning never takes the newest).
fn safety_copy_path(db: &Path) -> PathBuf {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
    let dir = match db.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut base = safety_prefix(db);
    base.push(&stamp);
    let base = base.to_string_lossy().into_owned();
    let highest = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let rest = name.strip_prefix(&base)?.strip_suffix(".db")?.to_owned();
            match rest.strip_prefix('-') {
                None if rest.is_empty() => Some(1),
                Some(n) => n.parse::<u32>().ok(),
                None => None,
            }
        })
        .max();
    let name = match highest {
        None => format!("{base}.db"),
        Some(n) => format!("{base}-{}.db", n + 1),
    };
    dir.join(name)
}

/// Removes all but the newest `keep` safety copies of earlier restores next to `db` (also
/// those named as before, `<db>.before-restore-<UTC time>`, without `.db`). Best effort.
fn prune_safety_copies(db: &Path, keep: usize) {
    let dir = match db.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let prefix = safety_prefix(db).to_string_lossy().into_owned();
    let legacy = {
        let mut p = db.file_name().unwrap_or_default().to_owned();
        p.push(".before-restore-");
        p.to_string_lossy().into_owned()
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    // (stamp, n, path): the UTC stamps sort as the times do, `-n` within a second
    let mut copies: Vec<(String, u32, PathBuf)> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let stamp = if let Some(rest) = name.strip_prefix(&prefix) {
                rest.strip_suffix(".db")?.to_owned()
            } else {
                name.strip_prefix(&legacy)?.to_owned()
            };
            let (time, n) = match stamp.split_once('-') {
                Some((time, n)) => (time.to_owned(), n.parse().ok()?),
                None => (stamp, 1),
            };
            let well_formed = time.len() == 16
                && time.as_bytes()[8] == b'T'
                && time.ends_with('Z')
                && time[..8].bytes().all(|b| b.is_ascii_digit());
            well_formed.then(|| (time, n, e.path()))
        })
        .collect();
    copies.sort();
    let excess = copies.len().saturating_sub(keep);
    for (_, _, p) in copies.into_iter().take(excess) {
        let _ = std::fs::remove_file(p);
    }
}

/// An empty temporary file in `near`'s folder (random name, created exclusively).
fn temp_file(near: &Path, what: &str) -> Result<tempfile::NamedTempFile> {
    let dir = match near.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = near
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    tempfile::Builder::new()
        .prefix(&format!(".{name}.{what}-"))
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| Error::CannotWrite {
            file: near.into(),
            reason: e.kind(),
        })
}

fn open_read_only(src: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        src,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .and_then(|c| harden(&c).map(|()| c))
    .map_err(|_| Error::BadBackup {
        file: src.into(),
        problem: BackupProblem::NotADatabase,
    })?;
    Ok(conn)
}

#[cfg(test)]
pub(super) fn open_read_only_for_tests(src: &Path) -> Connection {
    open_read_only(src).expect("opens")
}

/// Copies the database behind `conn` to `dest` through a temporary file in its folder:
/// backup API, rollback journal (one self-contained file), fsync, rename, fsync of the folder.
fn write_copy(conn: &Connection, dest: &Path) -> Result<()> {
    let unwritable = |e: std::io::Error| Error::CannotWrite {
        file: dest.into(),
        reason: e.kind(),
    };
    if dest.is_dir() {
        return Err(unwritable(std::io::ErrorKind::IsADirectory.into()));
    }
    let dir = match dest.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(unwritable(std::io::ErrorKind::NotFound.into()));
    }
    // created here first (exclusively, with a name nobody can guess) so that a read-only
    // folder says so plainly; SQLite then writes into the empty file
    let tmp = temp_file(dest, "backup")?;
    {
        let mut out = Connection::open(tmp.path())?;
        harden(&out)?;
        {
            let b = Backup::new(conn, &mut out)?;
            run(&b)?;
        }
        // the copy carries the source's WAL flag in its header; a backup is one plain file
        out.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
        out.close().map_err(|(_, e)| Error::Sqlite(e))?;
    }
    tmp.as_file().sync_all().map_err(unwritable)?;
    tmp.persist(dest).map_err(|e| unwritable(e.error))?;
    sync_dir(&dir);
    Ok(())
}

/// Flushes a folder, so that a rename in it is on disk (ignored where folders cannot be
/// opened, as on Windows).
pub(crate) fn sync_dir(dir: &Path) {
    let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
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
                .all(|n| !n.ends_with(".tmp") && n != "cs.db.backup-v1-wal"),
            "{names:?}"
        );
    }

    #[test]
    fn a_newer_database_is_refused_before_anything_is_written() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("cs.db");
        drop(Store::open(&path).expect("open"));
        // one version beyond this build's latest migration
        let newer = MIGRATIONS.len() as i64 + 1;
        Connection::open(&path)
            .expect("raw")
            .execute_batch(&format!(
                "PRAGMA user_version = {newer}; PRAGMA journal_mode = DELETE;"
            ))
            .expect("bump");
        let before = std::fs::read(&path).expect("read");
        match Store::open(&path) {
            Err(Error::DatabaseTooNew {
                version, latest, ..
            }) => {
                assert_eq!(version, newer);
                assert_eq!(latest, MIGRATIONS.len() as i64);
            }
            Err(e) => panic!("unexpected error {e}"),
            Ok(_) => panic!("a newer database was opened"),
        }
        assert_eq!(std::fs::read(&path).expect("read"), before);
    }
}
