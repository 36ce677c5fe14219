//! The only module that opens SQLite. Owns the schema (numbered migrations applied in one
//! place), import batches with their lineage, the dataset rows and the settings.
//! Invariant: one import = one transaction; deleting a batch deletes exactly its rows.

mod backup;
mod load;

pub use backup::{check_backup, BackupInfo};

use crate::error::{Error, Result};
use crate::import::{self, convert::Value, fields::fields, Issue, Options};
use crate::model::{Data, Kind};
use crate::month::Month;
use crate::settings::Settings;
use rusqlite::{params, Connection};
use rusqlite_migration::{Migrations, M};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

const MIGRATIONS: &[&str] = &[include_str!("migrations/0001_init.sql")];

fn migrations() -> Migrations<'static> {
    Migrations::new(MIGRATIONS.iter().map(|sql| M::up(sql)).collect())
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
}

/// One import batch with its lineage, as `batches --json` lists it.
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
pub struct Batch {
    pub batch_id: i64,
    pub file: String,
    pub sheet: Option<String>,
    pub kind: Kind,
    pub rows_imported: i64,
    pub rows_skipped: i64,
    pub sha256: String,
    pub imported_at: String,
    pub header_row: i64,
    #[ts(type = "Record<string, string>")]
    pub mapping: serde_json::Map<String, serde_json::Value>,
    pub source: String,
}

/// What one import did, per table of the file (`import --json`).
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
pub struct ImportedBatch {
    #[serde(flatten)]
    pub batch: Batch,
    pub issues: Vec<Issue>,
}

/// Where the import came from: a user's file, or the embedded demo company.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    File,
    Demo,
}

impl Store {
    /// The desktop app's database in the OS per-user data directory.
    pub fn default_path() -> Option<PathBuf> {
        directories::ProjectDirs::from("app", "CS Pulse", "CS Pulse")
            .map(|d| d.data_dir().join("cspulse.db"))
    }

    /// Opens `path` when given (the CLI's `--db`, the `CSPULSE_DB` variable), else the
    /// per-user default: the one rule the app and the CLI share.
    pub fn open_chosen(path: Option<PathBuf>) -> Result<Store> {
        let path = path
            .or_else(Store::default_path)
            .ok_or_else(|| Error::Database {
                path: PathBuf::from("?"),
                detail: "no per-user data folder; set CSPULSE_DB (or --db) to a database file"
                    .into(),
            })?;
        Store::open(&path)
    }

    /// Opens (creating if missing) and migrates the database at `path`. An older schema is
    /// copied to `<path>.backup-v<N>` before it is migrated.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let unusable = |detail: String| Error::Database {
            path: path.into(),
            detail,
        };
        let mut conn = Connection::open(path).map_err(|e| unusable(e.to_string()))?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.execute_batch("PRAGMA foreign_keys = ON;")?;
        // read-only checks first: a non-database file fails here, and a newer database is
        // refused before anything (such as the journal mode in its header) is changed
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| unusable(e.to_string()))?;
        let latest = MIGRATIONS.len() as i64;
        if version > latest {
            return Err(Error::DatabaseTooNew {
                path: path.into(),
                version,
                latest,
            });
        }
        // journal_mode answers with a row
        conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
            .map_err(|e| unusable(e.to_string()))?;
        // durability (README "Durability"): FULL syncs the WAL at every commit, so a finished
        // import survives a power cut, not only a crash; fullfsync matters on macOS only;
        // journal_size_limit gives the disk back after a big import's WAL is checkpointed.
        // memory-mapped reads: loading a month of usage is dominated by page reads otherwise
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA fullfsync = ON; PRAGMA journal_size_limit = 67108864; PRAGMA mmap_size = 268435456; PRAGMA cache_size = -32000;")?;
        if version > 0 && version < latest {
            backup::before_migration(&conn, path, version)?;
        }
        migrations()
            .to_latest(&mut conn)
            .map_err(|e| unusable(e.to_string()))?;
        Ok(Store {
            conn,
            path: path.into(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Is there any import batch at all?
    pub fn has_data(&self) -> Result<bool> {
        Ok(self
            .conn
            .query_row("SELECT EXISTS(SELECT 1 FROM batches)", [], |r| r.get(0))?)
    }

    /// Do all batches come from the embedded demo company?
    pub fn is_demo(&self) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM batches) AND NOT EXISTS(SELECT 1 FROM batches WHERE source <> 'demo')",
            [],
            |r| r.get(0),
        )?)
    }

    pub fn settings(&self) -> Result<Settings> {
        let mut s = Settings::default();
        let mut stmt = self.conn.prepare("SELECT key, value FROM settings")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (k, v) = row?;
            // a value this version cannot use keeps its default instead of failing
            let _ = s.set(&k, &v);
        }
        Ok(s)
    }

    /// Validates and stores one setting; returns the settings as they now are.
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<Settings> {
        let mut s = self.settings()?;
        s.set(key, value)?;
        let stored = s.get(key).unwrap_or_else(|| value.to_owned());
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO settings(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, stored],
        )?;
        // a threshold change may move the other threshold's validity: store both as used
        for (k, v) in s
            .entries()
            .into_iter()
            .filter(|(k, _)| k.starts_with("threshold."))
        {
            tx.execute(
                "INSERT INTO settings(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![k, v],
            )?;
        }
        tx.commit()?;
        Ok(s)
    }

    pub fn reset_settings(&mut self) -> Result<Settings> {
        self.conn.execute("DELETE FROM settings", [])?;
        self.settings()
    }

    /// Imports every table of the file as one batch each, all in one transaction.
    /// The same file (by SHA-256) is refused unless `replace`, which swaps its batches.
    pub fn import_file(
        &mut self,
        path: &Path,
        opts: &Options,
        replace: bool,
    ) -> Result<Vec<ImportedBatch>> {
        let bytes = read_file(path)?;
        self.import_bytes(path, &bytes, opts, replace, Source::File)
    }

    /// As [`Store::import_file`], with the content already in memory.
    pub fn import_bytes(
        &mut self,
        path: &Path,
        bytes: &[u8],
        opts: &Options,
        replace: bool,
        source: Source,
    ) -> Result<Vec<ImportedBatch>> {
        let sha = sha256(bytes);
        let earlier = self.batches_with_sha(&sha)?;
        if let (Some(&first), false) = (earlier.first(), replace) {
            return Err(Error::AlreadyImported {
                file: path.into(),
                batch_id: first,
            });
        }
        let prepared = import::prepare(path, bytes, opts)?;
        self.commit(path, &sha, prepared, &earlier, source)
    }

    /// Stores tables prepared by [`import::prepare`] from a file with content hash `sha`
    /// (see [`sha256`]): refused when that content was imported before unless `replace`.
    pub fn import_prepared(
        &mut self,
        path: &Path,
        sha: &str,
        prepared: Vec<import::Prepared>,
        replace: bool,
    ) -> Result<Vec<ImportedBatch>> {
        let earlier = self.batches_with_sha(sha)?;
        if let (Some(&first), false) = (earlier.first(), replace) {
            return Err(Error::AlreadyImported {
                file: path.into(),
                batch_id: first,
            });
        }
        self.commit(path, sha, prepared, &earlier, Source::File)
    }

    fn batches_with_sha(&self, sha: &str) -> Result<Vec<i64>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM batches WHERE sha256 = ?1 ORDER BY id")?;
        let ids = stmt
            .query_map([sha], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    /// One transaction: drop the `earlier` batches of the same content, insert the new ones.
    fn commit(
        &mut self,
        path: &Path,
        sha: &str,
        prepared: Vec<import::Prepared>,
        earlier: &[i64],
        source: Source,
    ) -> Result<Vec<ImportedBatch>> {
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let imported_at = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let tx = self.conn.transaction()?;
        for id in earlier {
            tx.execute("DELETE FROM batches WHERE id = ?1", [id])?;
        }
        let mut out = Vec::new();
        for p in prepared {
            let mapping: serde_json::Map<String, serde_json::Value> = p
                .mapping
                .iter()
                .map(|(f, c)| ((*f).to_owned(), serde_json::Value::String(c.clone())))
                .collect();
            tx.execute(
                "INSERT INTO batches(file_name, file_path, sheet, kind, sha256, header_row, mapping, rows_imported, rows_skipped, issues, source, imported_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                params![
                    file_name,
                    path.display().to_string(),
                    p.sheet,
                    p.kind.id(),
                    sha,
                    p.header_row,
                    serde_json::Value::Object(mapping.clone()).to_string(),
                    p.rows.len() as i64,
                    p.skipped as i64,
                    serde_json::to_string(&p.issues).unwrap_or_else(|_| "[]".into()),
                    match source {
                        Source::File => "file",
                        Source::Demo => "demo",
                    },
                    imported_at,
                ],
            )?;
            let batch_id = tx.last_insert_rowid();
            insert_rows(&tx, p.kind, batch_id, &p.rows)?;
            out.push(ImportedBatch {
                batch: Batch {
                    batch_id,
                    file: file_name.clone(),
                    sheet: p.sheet.clone(),
                    kind: p.kind,
                    rows_imported: p.rows.len() as i64,
                    rows_skipped: p.skipped as i64,
                    sha256: sha.to_owned(),
                    imported_at: imported_at.clone(),
                    header_row: p.header_row as i64,
                    mapping,
                    source: if source == Source::Demo {
                        "demo"
                    } else {
                        "file"
                    }
                    .into(),
                },
                issues: p.issues,
            });
        }
        tx.commit()?;
        Ok(out)
    }

    pub fn batches(&self) -> Result<Vec<Batch>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, file_name, sheet, kind, rows_imported, rows_skipped, sha256, imported_at, header_row, mapping, source
             FROM batches ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            let kind: String = r.get(3)?;
            let mapping: String = r.get(9)?;
            Ok(Batch {
                batch_id: r.get(0)?,
                file: r.get(1)?,
                sheet: r.get(2)?,
                kind: Kind::parse(&kind).unwrap_or(Kind::Accounts),
                rows_imported: r.get(4)?,
                rows_skipped: r.get(5)?,
                sha256: r.get(6)?,
                imported_at: r.get(7)?,
                header_row: r.get(8)?,
                mapping: serde_json::from_str(&mapping).unwrap_or_default(),
                source: r.get(10)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Deletes one batch and exactly its rows, in one transaction.
    pub fn undo(&mut self, batch_id: i64) -> Result<Batch> {
        let batch = self
            .batches()?
            .into_iter()
            .find(|b| b.batch_id == batch_id)
            .ok_or(Error::NoSuchBatch(batch_id))?;
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM batches WHERE id = ?1", [batch_id])?;
        tx.commit()?;
        Ok(batch)
    }

    /// Deletes every batch (used to clear the demo company).
    pub fn clear(&mut self, only_demo: bool) -> Result<usize> {
        let sql = if only_demo {
            "DELETE FROM batches WHERE source = 'demo'"
        } else {
            "DELETE FROM batches"
        };
        Ok(self.conn.execute(sql, [])?)
    }

    /// The months that can be reported on: those of revenue data, else of any dated
    /// dataset, else (only an accounts list) from the first to the last start or churn.
    fn span(&self) -> Result<Option<(Month, Month)>> {
        let cov = load::coverage(&self.conn)?;
        if let Some(s) = cov.span(Kind::Revenue) {
            return Ok(Some(s));
        }
        let first = cov.spans.iter().map(|(_, a, _)| *a).min();
        let last = cov.spans.iter().map(|(_, _, b)| *b).max();
        if let (Some(a), Some(b)) = (first, last) {
            return Ok(Some((a, b)));
        }
        let (a, b): (Option<String>, Option<String>) = self.conn.query_row(
            "SELECT min(start_date), max(max(coalesce(start_date, '')), max(coalesce(churn_date, ''))) FROM accounts",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let month = |t: Option<String>| t.and_then(|t| t.get(..7).and_then(Month::parse));
        Ok(match (month(a), month(b)) {
            (Some(a), Some(b)) => Some((a, b)),
            (None, Some(b)) => Some((b, b)),
            _ => None,
        })
    }

    /// The default reporting month: the last month with data (see [`Store::months`]).
    pub fn latest_month(&self) -> Result<Option<Month>> {
        Ok(self.span()?.map(|(_, b)| b))
    }

    /// Months that can be reported on, oldest first: those of revenue data, else of any
    /// dated dataset, else of the accounts' start and churn dates.
    pub fn months(&self) -> Result<Vec<Month>> {
        Ok(self.span()?.map_or_else(Vec::new, |(a, b)| {
            (a.index()..=b.index()).map(Month::from_index).collect()
        }))
    }

    /// Everything the KPIs and scores of `month` read. Usage rows (the big table) are
    /// loaded for `month` and the month before only; coverage always comes from all rows.
    pub fn load(&self, month: Month) -> Result<Data> {
        load::data(&self.conn, Some(month))
    }

    /// Every row of every dataset.
    pub fn load_all(&self) -> Result<Data> {
        load::data(&self.conn, None)
    }
}

/// The content of a file the user chose, or why it cannot be read.
pub fn read_file(path: &Path) -> Result<Vec<u8>> {
    let unreadable = |reason| Error::FileUnreadable {
        file: path.into(),
        reason,
    };
    if std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
        return Err(unreadable(std::io::ErrorKind::IsADirectory));
    }
    std::fs::read(path).map_err(|e| unreadable(e.kind()))
}

/// The SHA-256 of a file's content as lowercase hex: how re-imports are recognised.
pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn insert_rows(
    tx: &rusqlite::Transaction,
    kind: Kind,
    batch_id: i64,
    rows: &[(u32, Vec<Value>)],
) -> Result<()> {
    let fs = fields(kind);
    let cols: Vec<String> = fs.iter().map(|f| format!("\"{}\"", f.id)).collect();
    let marks: Vec<String> = (0..fs.len() + 2).map(|i| format!("?{}", i + 1)).collect();
    let sql = format!(
        "INSERT INTO {} (batch_id, src_row, {}) VALUES ({})",
        kind.id(),
        cols.join(", "),
        marks.join(", ")
    );
    let mut stmt = tx.prepare_cached(&sql)?;
    let mut params: Vec<rusqlite::types::Value> = Vec::with_capacity(fs.len() + 2);
    for (row_no, values) in rows {
        params.clear();
        params.push(batch_id.into());
        params.push((*row_no as i64).into());
        for v in values {
            params.push(match v {
                Value::Null => rusqlite::types::Value::Null,
                Value::Text(t) => rusqlite::types::Value::Text(t.clone()),
                Value::Int(i) => rusqlite::types::Value::Integer(*i),
                Value::Real(r) => rusqlite::types::Value::Real(*r),
            });
        }
        stmt.execute(rusqlite::params_from_iter(params.iter()))?;
    }
    Ok(())
}
