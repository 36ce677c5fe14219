//! The only module that opens SQLite. Owns the schema (numbered migrations applied in one
//! place), import batches with their lineage, the dataset rows and the settings.
//!
//! Invariants:
//! - A batch's rows carry its id, and readers see only the rows of `live` batches
//!   ([`Hidden`]): an import's rows are written as a `staging` batch in short transactions
//!   and made `live` by one small final transaction, all of a file's tables together; an undo
//!   hides a batch (`undone`) until the next import commits; nothing else is ever visible.
//! - Every connection is opened defensively ([`harden`]).
//! - Writers take turns through the locks of [`lock`]: one import at a time, and a short
//!   writer never waits for more than one of an import's short transactions.
//!
//! This file: opening and migrating, settings, batches, undo and take-back, the months with
//! data. `write` writes an import (and purges hidden rows), `load` reads the live rows into
//! [`Data`], `backup` backs up and restores, `lock` the import lock and the write gate.

mod backup;
pub mod issues;
mod links;
pub use links::{
    AmbiguousValue, Link, LinkBook, LinkMade, LinkReport, ProposedAccount, UnmatchedValue,
    LISTED_VALUES,
};
mod load;
pub mod lock;
mod notes;
pub mod overlap;
mod profiles;
pub use profiles::ProfileChoice;
pub mod supersede;
mod write;

pub(crate) use backup::sync_dir;
pub use backup::{check_backup, BackupInfo};
pub use notes::{Note, NoteKey};
pub use supersede::Overlap;
pub use write::{hash_input, read_file, sha256};

use crate::error::{Error, Result};
use crate::import::{Assumption, Issue, MappedValue, PassedOver, ReadNote, SkippedSheet};
use crate::model::{Data, Kind};
use crate::month::Month;
use crate::settings::Settings;
use rusqlite::{params, Connection};
use rusqlite_migration::{Migrations, M};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_init.sql"),
    include_str!("migrations/0002_usage_scan.sql"),
    include_str!("migrations/0003_batch_states.sql"),
    include_str!("migrations/0004_supersede.sql"),
    include_str!("migrations/0005_profiles.sql"),
    include_str!("migrations/0006_notes.sql"),
    include_str!("migrations/0007_identity.sql"),
    include_str!("migrations/0008_billing_lines.sql"),
];

fn migrations() -> Migrations<'static> {
    Migrations::new(MIGRATIONS.iter().map(|sql| M::up(sql)).collect())
}

/// SQLite's error codes, for front ends that tell them apart.
pub use rusqlite::ErrorCode as SqliteErrorCode;

/// How much of the database file SQLite maps into memory for reading (default 256 MB).
static MMAP_BYTES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(256 << 20);

/// Sets how much of the database later opened stores map into memory; 0 turns mapping off
/// (the CLI's import worker runs under an address-space limit that a mapping would eat).
pub fn set_mmap_bytes(bytes: u64) {
    MMAP_BYTES.store(bytes, std::sync::atomic::Ordering::Relaxed);
}

/// What every connection the store opens gets before its first statement: defensive mode
/// (no SQL that can corrupt the file on purpose: `writable_schema`, `journal_mode = OFF`,
/// writes to shadow tables, …; <https://sqlite.org/c3ref/c_dbconfig_defensive.html>) and an
/// untrusted schema (functions with side effects and virtual tables cannot be used from
/// triggers, views or defaults stored in a file: <https://sqlite.org/pragma.html#pragma_trusted_schema>).
/// A backup is only ever opened this way, before anything in it is read.
pub(crate) fn harden(conn: &Connection) -> rusqlite::Result<()> {
    use rusqlite::config::DbConfig;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    conn.execute_batch("PRAGMA trusted_schema = OFF;")
}

/// The batches whose rows no reader may see (staging, undone, being purged), decided once
/// per read, inside the read's transaction. Empty (and free) in the usual case.
#[derive(Clone, Debug, Default)]
pub(crate) struct Hidden(Vec<i64>);

impl Hidden {
    pub(crate) fn of(conn: &Connection) -> rusqlite::Result<Hidden> {
        let mut stmt = conn.prepare_cached(
            "SELECT id FROM batches WHERE state IN ('staging', 'undone', 'purging') ORDER BY id",
        )?;
        let ids = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Hidden(ids))
    }

    fn list(&self) -> String {
        let ids: Vec<String> = self.0.iter().map(i64::to_string).collect();
        ids.join(",")
    }

    /// ` AND batch_id NOT IN (…)`, or nothing.
    pub(crate) fn and(&self) -> String {
        if self.0.is_empty() {
            String::new()
        } else {
            format!(" AND batch_id NOT IN ({})", self.list())
        }
    }

    /// ` WHERE batch_id NOT IN (…)`, or nothing.
    pub(crate) fn where_(&self) -> String {
        if self.0.is_empty() {
            String::new()
        } else {
            format!(" WHERE batch_id NOT IN ({})", self.list())
        }
    }

    /// `batch_id NOT IN (…)` as a condition among others, or `None`.
    pub(crate) fn condition(&self) -> Option<String> {
        (!self.0.is_empty()).then(|| format!("batch_id NOT IN ({})", self.list()))
    }
}

/// Billing exports spread a prepaid period over the months it covers, so their MRR reaches
/// months that have not happened yet (a yearly plan invoiced in March: MRR until next
/// February). Those months are contracted revenue, not data to report on: where billing lines
/// are among the live batches, the revenue months end at the later of the billing exports'
/// present (the month of their latest counting line's period start) and the last month of
/// revenue from other files. `None` when there are no billing lines.
fn billing_present(conn: &Connection, hidden: &Hidden) -> Result<Option<Month>> {
    let billed: Option<String> = conn.query_row(
        &format!(
            "SELECT max(period_start) FROM billing_lines WHERE not_mrr IS NULL{}",
            hidden.and()
        ),
        [],
        |r| r.get(0),
    )?;
    let Some(billed) = billed.and_then(|t| t.get(..7).and_then(Month::parse)) else {
        return Ok(None);
    };
    let other: Option<String> = conn.query_row(
        &format!(
            "SELECT max(month) FROM revenue WHERE batch_id NOT IN (SELECT DISTINCT batch_id FROM billing_lines){}",
            hidden.and()
        ),
        [],
        |r| r.get(0),
    )?;
    let other = other.and_then(|t| Month::parse(&t));
    Ok(Some(other.map_or(billed, |o| o.max(billed))))
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
    gate: lock::Gate,
}

/// One import batch with its lineage, as `batches --json` lists it.
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Batch {
    #[ts(type = "number")]
    pub batch_id: i64,
    /// The file's name.
    pub file: String,
    /// Where the file was imported from (the embedded demo: its file name).
    pub file_path: String,
    pub sheet: Option<String>,
    pub kind: Kind,
    #[ts(type = "number")]
    pub rows_imported: i64,
    #[ts(type = "number")]
    pub rows_skipped: i64,
    /// Issues stored with the batch (at most 10,000 per table; `rows_skipped` is exact).
    #[ts(type = "number")]
    pub issue_count: i64,
    pub sha256: String,
    /// UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    pub imported_at: String,
    #[ts(type = "number")]
    pub header_row: i64,
    /// Field id → column header.
    #[ts(type = "Record<string, string>")]
    pub mapping: serde_json::Map<String, serde_json::Value>,
    /// `file` or `demo` (the embedded sample company).
    pub source: String,
    /// Where it overlaps earlier imports of its kind: its rows replace theirs
    /// (`supersede`) or were added to them (`add`), as chosen before the import.
    pub overlap: Overlap,
    /// Its rows that later imports supersede (kept, not read: `datasets.md`, "Re-imports").
    #[ts(type = "number")]
    pub superseded_rows: i64,
    /// Usage, touchpoints, surveys without response id: the first and last day among its
    /// rows (`YYYY-MM-DD`), within which it supersedes earlier imports' rows.
    pub period: Option<(String, String)>,
}

/// What one import did, per table of the file (`import --json`).
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ImportedBatch {
    #[serde(flatten)]
    pub batch: Batch,
    /// The earlier live imports of the kind that this table overlaps, with how many of
    /// their records it supersedes (or, with `overlap: add`, adds to) and how many of
    /// those have other values (`import --json` → `overlaps`).
    pub overlaps: Vec<overlap::BatchOverlap>,
    pub issues: Vec<Issue>,
    /// Issues beyond the first 10,000 of a table, counted but not listed.
    #[ts(type = "number")]
    pub issues_not_listed: usize,
    /// What the import had to assume (e.g. day/month order): to be confirmed by the user.
    pub assumptions: Vec<Assumption>,
    /// How the table's account column was linked to the accounts (`sources.md` §1): rows
    /// by rule, the values linked, and those that matched no account or several. `None`
    /// for accounts, for kinds without an account column, and while no accounts are
    /// imported (the column is then taken as written).
    #[serde(default)]
    pub links: Option<LinkReport>,
    /// The built-in profile that recognised the table (a tool's export, `sources.md` §6).
    #[serde(default)]
    pub profile: Option<String>,
    /// How the table was read beyond the mapping: constants, units, rates, header rows
    /// combined, values filled down, business-hours columns left out.
    #[serde(default)]
    pub notes: Vec<ReadNote>,
    /// Rows that are not data (titles, footers, sections, line-item continuations).
    #[serde(default)]
    pub passed_over: Vec<PassedOver>,
    /// The tools' words read as codes or scores (`Closed Won` → `renewed`).
    #[serde(default)]
    pub values_mapped: Vec<MappedValue>,
}

/// What an import did: one batch per table, and the sheets passed over.
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Imported {
    pub batches: Vec<ImportedBatch>,
    pub skipped_sheets: Vec<SkippedSheet>,
    /// The import profile the import ran with (named, or found by the file's signature).
    #[serde(default)]
    pub profile: Option<String>,
    /// The profile the user's choices were saved as, for the next file of this shape.
    #[serde(default)]
    pub profile_saved: Option<String>,
}

/// Where an import came from: a user's file, or the embedded demo company (a batch's
/// `source`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    File,
    Demo,
}

impl Origin {
    fn id(self) -> &'static str {
        match self {
            Origin::File => "file",
            Origin::Demo => "demo",
        }
    }
}

impl Store {
    /// The desktop app's database in the OS per-user data directory:
    /// `~/.local/share/cspulse/` on Linux, `%APPDATA%\CS Pulse\data\` on Windows (no
    /// organisation folder: "CS Pulse\CS Pulse" read as a mistake to users).
    pub fn default_path() -> Option<PathBuf> {
        directories::ProjectDirs::from("app", "", "CS Pulse")
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
        harden(&conn).map_err(|e| unusable(e.to_string()))?;
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
        conn.execute_batch(&format!(
            "PRAGMA synchronous = FULL; PRAGMA fullfsync = ON; PRAGMA journal_size_limit = 67108864; PRAGMA mmap_size = {}; PRAGMA cache_size = -32000;",
            MMAP_BYTES.load(std::sync::atomic::Ordering::Relaxed)
        ))?;
        if version > 0 && version < latest {
            backup::before_migration(&conn, path, version)?;
        }
        migrations()
            .to_latest(&mut conn)
            .map_err(|e| unusable(e.to_string()))?;
        Ok(Store {
            conn,
            path: path.into(),
            gate: lock::Gate::new(path),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The open connection, for the engine's read-only views of the schema (`browse`);
    /// everything that writes stays in this module.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// A short write: the write gate held (an import lets it pass between two of its
    /// transactions), one immediate transaction.
    ///
    /// While an import runs, the commit does not checkpoint: SQLite's automatic checkpoint
    /// would copy the import's staged rows from the WAL into the database inside this short
    /// write (the import checkpoints them itself when it is done).
    fn short_write<T>(
        &mut self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        let _turn = self.gate.turn();
        let importing = lock::ImportLock::try_acquire(&self.path).is_err();
        let auto: Option<i64> = if importing {
            let n = self
                .conn
                .query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0))?;
            self.conn.execute_batch("PRAGMA wal_autocheckpoint = 0;")?;
            Some(n)
        } else {
            None
        };
        let written = (|| {
            let tx = self
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let out = f(&tx)?;
            tx.commit()?;
            Ok(out)
        })();
        if let Some(n) = auto {
            let _ = self
                .conn
                .execute_batch(&format!("PRAGMA wal_autocheckpoint = {n};"));
        }
        written
    }

    /// A value that differs whenever the data may have changed since it was taken: through
    /// this connection (SQLite's total change count) or through any other, such as an import
    /// (`PRAGMA data_version`). For results kept to answer a later question.
    pub fn change_stamp(&self) -> Result<(u64, i64)> {
        let version = self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?;
        Ok((self.conn.total_changes(), version))
    }

    /// Is there any (live) import batch at all?
    pub fn has_data(&self) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM batches WHERE state = 'live')",
            [],
            |r| r.get(0),
        )?)
    }

    /// Do all (live) batches come from the embedded demo company?
    pub fn is_demo(&self) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM batches WHERE state = 'live')
                AND NOT EXISTS(SELECT 1 FROM batches WHERE state = 'live' AND source <> 'demo')",
            [],
            |r| r.get(0),
        )?)
    }

    /// Does the database hold the embedded sample company (any live batch of it)? The app
    /// asks once, at the first own import, whether that import replaces it
    /// ([`import::Options::replace_sample`]).
    pub fn has_demo(&self) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM batches WHERE state = 'live' AND source = 'demo')",
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
        self.short_write(|tx| {
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
            Ok(())
        })?;
        Ok(s)
    }

    pub fn reset_settings(&mut self) -> Result<Settings> {
        self.short_write(|tx| Ok(tx.execute("DELETE FROM settings", [])?))?;
        self.settings()
    }

    /// Every live batch with its lineage, oldest first.
    pub fn batches(&self) -> Result<Vec<Batch>> {
        self.batches_where("state = 'live'", [])
    }

    /// The undone batches, oldest first: hidden, and can be taken back
    /// ([`Store::take_back`]) until the next import commits.
    pub fn undone_batches(&self) -> Result<Vec<Batch>> {
        self.batches_where("state = 'undone'", [])
    }

    /// One live batch with its lineage.
    pub fn batch(&self, batch_id: i64) -> Result<Batch> {
        self.batches_where("id = ?1 AND state = 'live'", [batch_id])?
            .pop()
            .ok_or(Error::NoSuchBatch(batch_id))
    }

    /// The billing lines a live batch's revenue was derived from (`sources.md` §5), in file
    /// order; empty for a batch that is not a billing export.
    pub fn billing_lines(&self, batch_id: i64) -> Result<Vec<crate::import::BillingLine>> {
        self.batch(batch_id)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT src_row, customer, amount, currency, period_start, period_end, status, line_type, not_mrr, months, mrr_per_month
             FROM billing_lines WHERE batch_id = ?1 ORDER BY rowid",
        )?;
        let lines = stmt
            .query_map([batch_id], |r| {
                Ok(crate::import::BillingLine {
                    row: r.get(0)?,
                    customer: r.get(1)?,
                    amount: r.get(2)?,
                    currency: r.get(3)?,
                    period_start: r.get(4)?,
                    period_end: r.get(5)?,
                    status: r.get(6)?,
                    line_type: r.get(7)?,
                    not_mrr: r.get(8)?,
                    months: r.get(9)?,
                    mrr_per_month: r.get(10)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(lines)
    }

    fn batches_where(&self, filter: &str, params: impl rusqlite::Params) -> Result<Vec<Batch>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT id, file_name, sheet, kind, rows_imported, rows_skipped, sha256, imported_at, header_row, mapping, source,
                    file_path, CASE WHEN json_valid(issues) THEN json_array_length(issues) ELSE 0 END,
                    overlap, period_first, period_last
             FROM batches WHERE {filter} ORDER BY id"
        ))?;
        let tx = self.conn.unchecked_transaction()?;
        // what later imports supersede of each live batch (a scan only of the kinds where
        // one import supersedes another)
        let superseded = {
            let hidden = Hidden::of(&tx)?;
            let prec = supersede::Precedence::of(&tx)?;
            supersede::superseded_counts(&tx, &hidden, &prec)?
        };
        let rows = stmt.query_map(params, |r| {
            let kind: String = r.get(3)?;
            let mapping: String = r.get(9)?;
            let id: i64 = r.get(0)?;
            let period: (Option<String>, Option<String>) = (r.get(14)?, r.get(15)?);
            Ok(Batch {
                batch_id: r.get(0)?,
                file: r.get(1)?,
                file_path: r.get(11)?,
                sheet: r.get(2)?,
                kind: Kind::parse(&kind).unwrap_or(Kind::Accounts),
                rows_imported: r.get(4)?,
                rows_skipped: r.get(5)?,
                issue_count: r.get(12)?,
                sha256: r.get(6)?,
                imported_at: r.get(7)?,
                header_row: r.get(8)?,
                mapping: serde_json::from_str(&mapping).unwrap_or_default(),
                source: r.get(10)?,
                overlap: Overlap::parse(&r.get::<_, String>(13)?).unwrap_or_default(),
                superseded_rows: superseded.get(&id).copied().unwrap_or(0),
                period: match period {
                    (Some(a), Some(z)) => Some((a, z)),
                    _ => None,
                },
            })
        })?;
        let out = rows.collect::<rusqlite::Result<_>>()?;
        tx.commit()?;
        Ok(out)
    }

    /// The issues stored with a live batch (the first 10,000 of its table), in file order.
    pub fn batch_issues(&self, batch_id: i64) -> Result<Vec<Issue>> {
        let issues: Option<String> = self
            .conn
            .query_row(
                "SELECT issues FROM batches WHERE id = ?1 AND state = 'live'",
                [batch_id],
                |r| r.get(0),
            )
            .map(Some)
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                e => Err(e),
            })?;
        let issues = issues.ok_or(Error::NoSuchBatch(batch_id))?;
        Ok(serde_json::from_str(&issues).unwrap_or_default())
    }

    /// Undoes one batch: its rows are hidden from every reader at once (one transaction)
    /// and kept until the next import commits, so that [`Store::take_back`] can bring them
    /// back. Answers with the batch as it was.
    pub fn undo(&mut self, batch_id: i64) -> Result<Batch> {
        let batch = self.batch(batch_id)?;
        self.short_write(|tx| {
            let n = tx.execute(
                "UPDATE batches SET state = 'undone' WHERE id = ?1 AND state = 'live'",
                [batch_id],
            )?;
            if n == 0 {
                return Err(Error::NoSuchBatch(batch_id));
            }
            Ok(())
        })?;
        Ok(batch)
    }

    /// Brings undone batches back, all of them or none (one transaction); a batch that is
    /// live already stays as it is. [`Error::UndoGone`] when one was purged meanwhile (an
    /// import committed since), [`Error::AlreadyImported`] when its file and sheet were
    /// imported again since.
    pub fn take_back(&mut self, batch_ids: &[i64]) -> Result<Vec<Batch>> {
        self.short_write(|tx| {
            for &id in batch_ids {
                let state: Option<String> = tx
                    .query_row("SELECT state FROM batches WHERE id = ?1", [id], |r| {
                        r.get(0)
                    })
                    .map(Some)
                    .or_else(|e| match e {
                        rusqlite::Error::QueryReturnedNoRows => Ok(None),
                        e => Err(e),
                    })?;
                match state.as_deref() {
                    Some("undone") => {
                        let made_live = tx.execute(
                            "UPDATE batches SET state = 'live' WHERE id = ?1 AND state = 'undone'",
                            [id],
                        );
                        if let Err(e) = made_live {
                            if e.sqlite_error_code() == Some(SqliteErrorCode::ConstraintViolation) {
                                let (file, other): (String, i64) = tx.query_row(
                                    "SELECT b.file_name, o.id FROM batches b JOIN batches o
                                       ON o.sha256 = b.sha256 AND coalesce(o.sheet, '') = coalesce(b.sheet, '')
                                      AND o.state = 'live' WHERE b.id = ?1",
                                    [id],
                                    |r| Ok((r.get(0)?, r.get(1)?)),
                                )?;
                                return Err(Error::AlreadyImported {
                                    file: file.into(),
                                    batch_id: other,
                                });
                            }
                            return Err(e.into());
                        }
                    }
                    Some("live") => {}
                    Some("purging" | "purged") => return Err(Error::UndoGone(id)),
                    _ => return Err(Error::NoSuchBatch(id)),
                }
            }
            Ok(())
        })?;
        batch_ids.iter().map(|&id| self.batch(id)).collect()
    }

    /// Undoes every live batch, or every one of the embedded demo company (clearing the
    /// sample data), in one transaction; answers with the batch ids undone. As with
    /// [`Store::undo`], [`Store::take_back`] brings them back until the next import commits.
    pub fn clear(&mut self, only_demo: bool) -> Result<Vec<i64>> {
        let sql = if only_demo {
            "UPDATE batches SET state = 'undone' WHERE state = 'live' AND source = 'demo' RETURNING id"
        } else {
            "UPDATE batches SET state = 'undone' WHERE state = 'live' RETURNING id"
        };
        let mut ids = self.short_write(|tx| {
            let mut stmt = tx.prepare(sql)?;
            let ids = stmt
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<i64>>>()?;
            Ok(ids)
        })?;
        ids.sort_unstable();
        Ok(ids)
    }

    /// Removes the rows of every undone batch for good (they can no longer be taken back);
    /// answers with their number. An import's commit does the same.
    pub fn purge(&mut self) -> Result<usize> {
        let n = self.short_write(|tx| {
            Ok(tx.execute(
                "UPDATE batches SET state = 'purging' WHERE state = 'undone'",
                [],
            )?)
        })?;
        self.purge_rows()?;
        Ok(n)
    }

    /// The months that can be reported on: those of revenue data, else of any dated
    /// dataset, else (only an accounts list) from the first to the last start or churn.
    fn span(&self) -> Result<Option<(Month, Month)>> {
        let tx = self.conn.unchecked_transaction()?;
        let hidden = Hidden::of(&tx)?;
        let cov = load::coverage(&tx, &hidden)?;
        if let Some((a, b)) = cov.span(Kind::Revenue) {
            return Ok(Some((
                a,
                billing_present(&tx, &hidden)?.map_or(b, |p| p.min(b)),
            )));
        }
        let first = cov.spans.iter().map(|(_, a, _)| *a).min();
        let last = cov.spans.iter().map(|(_, _, b)| *b).max();
        if let (Some(a), Some(b)) = (first, last) {
            return Ok(Some((a, b)));
        }
        let (a, b): (Option<String>, Option<String>) = tx.query_row(
            &format!(
                "SELECT min(start_date), max(max(coalesce(start_date, '')), max(coalesce(churn_date, ''))) FROM accounts{}",
                hidden.where_()
            ),
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
        self.load_months(month.plus(-1), month)
    }

    /// As [`Store::load`], with the usage rows of the months `first..=last` (what a
    /// series of months, such as the board report's trends, reads in one go).
    pub fn load_months(&self, first: Month, last: Month) -> Result<Data> {
        self.load_months_lean(first, last, &[])
    }

    /// As [`Store::load_months`], but the usage rows of the `lean` months are only counted
    /// for the CS score (`Data::usage_counts`), not loaded: their usage KPIs are empty.
    pub fn load_months_lean(&self, first: Month, last: Month, lean: &[Month]) -> Result<Data> {
        load::data(
            &self.conn,
            &self.path,
            load::UsageMonths::Range { first, last, lean },
        )
    }

    /// Every row of every dataset.
    pub fn load_all(&self) -> Result<Data> {
        load::data(&self.conn, &self.path, load::UsageMonths::All)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::config::DbConfig;

    fn is_defensive(conn: &Connection) -> bool {
        let trusted: i64 = conn
            .query_row("PRAGMA trusted_schema", [], |r| r.get(0))
            .expect("pragma");
        let defensive = conn
            .db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE)
            .expect("db_config");
        trusted == 0 && defensive
    }

    #[test]
    fn every_connection_the_store_opens_is_defensive() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("cs.db");
        let store = Store::open(&path).expect("open");
        assert!(is_defensive(&store.conn));
        assert!(is_defensive(
            &load::second_connection(&path).expect("second")
        ));
        // defensive: the schema cannot be written around SQLite's back
        store
            .conn
            .execute_batch("PRAGMA writable_schema = ON;")
            .expect("accepted, without effect");
        let e = store
            .conn
            .execute(
                "UPDATE sqlite_schema SET sql = 'x' WHERE name = 'settings'",
                [],
            )
            .expect_err("refused in defensive mode");
        assert!(e.to_string().contains("may not be modified"), "{e}");
        let copy = dir.path().join("copy.db");
        store.backup_to(&copy).expect("backup");
        let read = backup::open_read_only_for_tests(&copy);
        assert!(is_defensive(&read));
    }

    #[test]
    fn readers_see_live_batches_only_and_pay_nothing_without_hidden_ones() {
        let conn = Connection::open_in_memory().expect("memory");
        conn.execute_batch("CREATE TABLE batches (id INTEGER PRIMARY KEY, state TEXT)")
            .expect("table");
        let none = Hidden::of(&conn).expect("hidden");
        assert_eq!(
            (none.and(), none.where_(), none.condition()),
            (String::new(), String::new(), None)
        );
        conn.execute_batch(
            "INSERT INTO batches VALUES (1, 'live'), (2, 'undone'), (3, 'staging'), (4, 'purging'), (5, 'purged')",
        )
        .expect("rows");
        let h = Hidden::of(&conn).expect("hidden");
        assert_eq!(h.where_(), " WHERE batch_id NOT IN (2,3,4)");
        assert_eq!(h.and(), " AND batch_id NOT IN (2,3,4)");
    }
}
