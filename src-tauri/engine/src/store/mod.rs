//! The only module that opens SQLite. Owns the schema (numbered migrations applied in one
//! place), import batches with their lineage, the dataset rows and the settings.
//! Invariant: one import = one transaction; deleting a batch deletes exactly its rows.

mod backup;
mod load;

pub use backup::{check_backup, BackupInfo};

use crate::error::{Error, Result};
use crate::import::{
    self, convert::Value, fields::fields, Assumption, Control, Input, Issue, Options, SkippedSheet,
};
use crate::model::{Data, Kind};
use crate::month::Month;
use crate::settings::Settings;
use rusqlite::{params, Connection};
use rusqlite_migration::{Migrations, M};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_init.sql"),
    include_str!("migrations/0002_usage_scan.sql"),
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

pub struct Store {
    conn: Connection,
    path: PathBuf,
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
}

/// What one import did, per table of the file (`import --json`).
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ImportedBatch {
    #[serde(flatten)]
    pub batch: Batch,
    pub issues: Vec<Issue>,
    /// Issues beyond the first 10,000 of a table, counted but not listed.
    #[ts(type = "number")]
    pub issues_not_listed: usize,
    /// What the import had to assume (e.g. day/month order): to be confirmed by the user.
    pub assumptions: Vec<Assumption>,
}

/// What an import did: one batch per table, and the sheets passed over.
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Imported {
    pub batches: Vec<ImportedBatch>,
    pub skipped_sheets: Vec<SkippedSheet>,
}

/// Where the import came from: a user's file, or the embedded demo company.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    File,
    Demo,
}

impl Source {
    fn id(self) -> &'static str {
        match self {
            Source::File => "file",
            Source::Demo => "demo",
        }
    }
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

    /// A value that differs whenever the data may have changed since it was taken: through
    /// this connection (SQLite's total change count) or through any other, such as an import
    /// (`PRAGMA data_version`). For results kept to answer a later question.
    pub fn change_stamp(&self) -> Result<(u64, i64)> {
        let version = self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?;
        Ok((self.conn.total_changes(), version))
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
        if std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
            return Err(Error::FileUnreadable {
                file: path.into(),
                reason: std::io::ErrorKind::IsADirectory,
            });
        }
        let input = Input::File(path.into());
        self.import(
            path,
            input,
            opts,
            &Control::default(),
            replace,
            Source::File,
        )
        .map(|i| i.batches)
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
        let input = Input::Bytes(bytes.into());
        self.import(path, input, opts, &Control::default(), replace, source)
            .map(|i| i.batches)
    }

    /// The import: the file is read on a second thread while this one writes the rows, all
    /// in one transaction; any error (or a cancel through `control`) rolls everything back.
    pub fn import(
        &mut self,
        path: &Path,
        input: Input,
        opts: &Options,
        control: &Control,
        replace: bool,
        source: Source,
    ) -> Result<Imported> {
        let sha = hash_input(path, &input)?;
        let earlier = self.batches_with_sha(&sha)?;
        if let (Some(&first), false) = (earlier.first(), replace) {
            return Err(Error::AlreadyImported {
                file: path.into(),
                batch_id: first,
            });
        }
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let imported_at = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let tx = self.conn.transaction()?;
        for id in &earlier {
            tx.execute("DELETE FROM batches WHERE id = ?1", [id])?;
        }
        let mut writer = Writer {
            tx: &tx,
            file_name,
            file_path: path.display().to_string(),
            sha: sha.clone(),
            imported_at,
            source,
            current: None,
            done: Vec::new(),
        };
        let (send, receive) = std::sync::mpsc::sync_channel::<Msg>(8);
        let (read, written) = std::thread::scope(|scope| {
            let reader = scope.spawn(move || {
                let mut sink = ChannelSink {
                    send,
                    buf: Chunk::default(),
                };
                import::run(path, input, opts, control, &mut sink)
            });
            let mut written = Ok(());
            for msg in receive.iter() {
                if let Err(e) = writer.apply(msg) {
                    written = Err(e);
                    break;
                }
            }
            // the reader stops at its next send once nobody listens
            drop(receive);
            let read = reader.join().unwrap_or_else(|_| {
                Err(Error::Corrupt {
                    file: path.into(),
                    detail: "the reader stopped unexpectedly".into(),
                })
            });
            (read, written)
        });
        // a failed write explains a failed read ("nobody listens"), so it goes first
        written?;
        let skipped_sheets = read?;
        let batches = writer.done;
        if let Some(gate) = &control.before_commit {
            // the last chance to cancel; an error here drops (rolls back) the transaction
            gate()?;
        }
        tx.commit()?;
        Ok(Imported {
            batches,
            skipped_sheets,
        })
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

    /// Every batch with its lineage, oldest first.
    pub fn batches(&self) -> Result<Vec<Batch>> {
        self.batches_where("1", [])
    }

    /// One batch with its lineage.
    pub fn batch(&self, batch_id: i64) -> Result<Batch> {
        self.batches_where("id = ?1", [batch_id])?
            .pop()
            .ok_or(Error::NoSuchBatch(batch_id))
    }

    fn batches_where(&self, filter: &str, params: impl rusqlite::Params) -> Result<Vec<Batch>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT id, file_name, sheet, kind, rows_imported, rows_skipped, sha256, imported_at, header_row, mapping, source,
                    file_path, CASE WHEN json_valid(issues) THEN json_array_length(issues) ELSE 0 END
             FROM batches WHERE {filter} ORDER BY id"
        ))?;
        let rows = stmt.query_map(params, |r| {
            let kind: String = r.get(3)?;
            let mapping: String = r.get(9)?;
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
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The issues stored with a batch (the first 10,000 of its table), in file order.
    pub fn batch_issues(&self, batch_id: i64) -> Result<Vec<Issue>> {
        let issues: Option<String> = self
            .conn
            .query_row(
                "SELECT issues FROM batches WHERE id = ?1",
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

    /// Deletes one batch and exactly its rows, in one transaction.
    pub fn undo(&mut self, batch_id: i64) -> Result<Batch> {
        let batch = self.batch(batch_id)?;
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
    hex(&Sha256::digest(bytes))
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 of an import's input, streamed (a file is never read into memory whole).
pub fn hash_input(path: &Path, input: &Input) -> Result<String> {
    match input {
        Input::Bytes(b) => Ok(sha256(b)),
        Input::File(p) => {
            let unreadable = |e: std::io::Error| Error::FileUnreadable {
                file: path.into(),
                reason: e.kind(),
            };
            if std::fs::metadata(p).is_ok_and(|m| m.is_dir()) {
                return Err(Error::FileUnreadable {
                    file: path.into(),
                    reason: std::io::ErrorKind::IsADirectory,
                });
            }
            let mut f = std::fs::File::open(p).map_err(unreadable)?;
            let mut hasher = Sha256::new();
            std::io::copy(&mut f, &mut hasher).map_err(unreadable)?;
            Ok(hex(&hasher.finalize()))
        }
    }
}

/// Rows per message from the reading thread to the writing one.
const CHUNK: usize = 4096;

enum Msg {
    Begin(import::TableHead),
    Rows(Chunk),
    Restart,
    End(import::TableEnd),
}

/// Rows packed into one buffer (no allocation per value crosses the threads):
/// per row its number, then per value a tag and its bytes.
#[derive(Default)]
struct Chunk {
    buf: Vec<u8>,
    rows: usize,
}

impl Chunk {
    fn push(&mut self, no: u32, values: &[Value]) {
        self.rows += 1;
        self.buf.extend_from_slice(&no.to_le_bytes());
        for v in values {
            match v {
                Value::Null => self.buf.push(0),
                Value::Text(t) => {
                    self.buf.push(1);
                    self.buf.extend_from_slice(&(t.len() as u32).to_le_bytes());
                    self.buf.extend_from_slice(t.as_bytes());
                }
                Value::Int(n) => {
                    self.buf.push(2);
                    self.buf.extend_from_slice(&n.to_le_bytes());
                }
                Value::Real(r) => {
                    self.buf.push(3);
                    self.buf.extend_from_slice(&r.to_le_bytes());
                }
            }
        }
    }
}

/// Reads a [`Chunk`] back.
struct Unpack<'a> {
    buf: &'a [u8],
    at: usize,
}

impl<'a> Unpack<'a> {
    fn take<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        out.copy_from_slice(&self.buf[self.at..self.at + N]);
        self.at += N;
        out
    }
    fn row_no(&mut self) -> u32 {
        u32::from_le_bytes(self.take())
    }
    fn value(&mut self) -> rusqlite::types::ValueRef<'a> {
        use rusqlite::types::ValueRef;
        let tag = self.buf[self.at];
        self.at += 1;
        match tag {
            1 => {
                let n = u32::from_le_bytes(self.take()) as usize;
                let text = &self.buf[self.at..self.at + n];
                self.at += n;
                ValueRef::Text(text)
            }
            2 => ValueRef::Integer(i64::from_le_bytes(self.take())),
            3 => ValueRef::Real(f64::from_le_bytes(self.take())),
            _ => ValueRef::Null,
        }
    }
}

/// The reading thread's end of the channel.
struct ChannelSink {
    send: std::sync::mpsc::SyncSender<Msg>,
    buf: Chunk,
}

impl ChannelSink {
    fn send(&self, msg: Msg) -> Result<()> {
        // the writer stopped (its error is the one reported)
        self.send.send(msg).map_err(|_| Error::Cancelled {
            file: PathBuf::new(),
        })
    }
    fn flush(&mut self) -> Result<()> {
        if self.buf.rows > 0 {
            let rows = std::mem::take(&mut self.buf);
            self.send(Msg::Rows(rows))?;
        }
        Ok(())
    }
}

impl import::Sink for ChannelSink {
    fn begin(&mut self, head: &import::TableHead) -> Result<()> {
        self.send(Msg::Begin(head.clone()))
    }
    fn row(&mut self, no: u32, values: &[Value]) -> Result<()> {
        self.buf.push(no, values);
        if self.buf.rows >= CHUNK {
            self.flush()?;
        }
        Ok(())
    }
    fn restart(&mut self) -> Result<()> {
        self.buf = Chunk::default();
        self.send(Msg::Restart)
    }
    fn end(&mut self, end: import::TableEnd) -> Result<()> {
        self.flush()?;
        self.send(Msg::End(end))
    }
}

/// The writing end: one batch per table, inside the import's transaction.
struct Writer<'t> {
    tx: &'t rusqlite::Transaction<'t>,
    file_name: String,
    file_path: String,
    sha: String,
    imported_at: String,
    source: Source,
    current: Option<(i64, import::TableHead, String)>,
    done: Vec<ImportedBatch>,
}

impl Writer<'_> {
    fn apply(&mut self, msg: Msg) -> Result<()> {
        match msg {
            Msg::Begin(head) => {
                let mapping = mapping_json(&head.mapping);
                self.tx.execute(
                    "INSERT INTO batches(file_name, file_path, sheet, kind, sha256, header_row, mapping, rows_imported, rows_skipped, issues, source, imported_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, 0, '[]', ?8, ?9)",
                    params![
                        self.file_name,
                        self.file_path,
                        head.sheet,
                        head.kind.id(),
                        self.sha,
                        head.header_row,
                        serde_json::Value::Object(mapping).to_string(),
                        self.source.id(),
                        self.imported_at,
                    ],
                )?;
                let id = self.tx.last_insert_rowid();
                let fs = fields(head.kind);
                let cols: Vec<String> = fs.iter().map(|f| format!("\"{}\"", f.id)).collect();
                let marks: Vec<String> = (0..fs.len() + 2).map(|i| format!("?{}", i + 1)).collect();
                let sql = format!(
                    "INSERT INTO {} (batch_id, src_row, {}) VALUES ({})",
                    head.kind.id(),
                    cols.join(", "),
                    marks.join(", ")
                );
                self.current = Some((id, head, sql));
            }
            Msg::Rows(chunk) => {
                let Some((id, head, sql)) = &self.current else {
                    return Ok(());
                };
                let n_values = fields(head.kind).len();
                let mut stmt = self.tx.prepare_cached(sql)?;
                let mut rows = Unpack {
                    buf: &chunk.buf,
                    at: 0,
                };
                for _ in 0..chunk.rows {
                    stmt.raw_bind_parameter(1, id)?;
                    stmt.raw_bind_parameter(2, rows.row_no())?;
                    for i in 0..n_values {
                        stmt.raw_bind_parameter(
                            i + 3,
                            rusqlite::types::ToSqlOutput::Borrowed(rows.value()),
                        )?;
                    }
                    stmt.raw_execute()?;
                }
            }
            Msg::Restart => {
                if let Some((id, head, _)) = &self.current {
                    self.tx.execute(
                        &format!("DELETE FROM {} WHERE batch_id = ?1", head.kind.id()),
                        [id],
                    )?;
                }
            }
            Msg::End(end) => {
                let Some((batch_id, head, _)) = self.current.take() else {
                    return Ok(());
                };
                self.tx.execute(
                    "UPDATE batches SET rows_imported = ?1, rows_skipped = ?2, issues = ?3 WHERE id = ?4",
                    params![
                        end.rows as i64,
                        end.skipped as i64,
                        serde_json::to_string(&end.issues).unwrap_or_else(|_| "[]".into()),
                        batch_id
                    ],
                )?;
                self.done.push(ImportedBatch {
                    batch: Batch {
                        batch_id,
                        file: self.file_name.clone(),
                        file_path: self.file_path.clone(),
                        sheet: head.sheet.clone(),
                        kind: head.kind,
                        rows_imported: end.rows as i64,
                        rows_skipped: end.skipped as i64,
                        issue_count: end.issues.len() as i64,
                        sha256: self.sha.clone(),
                        imported_at: self.imported_at.clone(),
                        header_row: head.header_row as i64,
                        mapping: mapping_json(&head.mapping),
                        source: self.source.id().into(),
                    },
                    issues: end.issues,
                    issues_not_listed: end.issues_not_listed,
                    assumptions: end.assumptions,
                });
            }
        }
        Ok(())
    }
}

fn mapping_json(mapping: &[(&'static str, String)]) -> serde_json::Map<String, serde_json::Value> {
    mapping
        .iter()
        .map(|(f, c)| ((*f).to_owned(), serde_json::Value::String(c.clone())))
        .collect()
}
