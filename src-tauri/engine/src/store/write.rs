//! Writing an import: the file is hashed and read on a thread of its own (the
//! [`import::Sink`] there packs rows into [`Chunk`]s and sends them over a channel), while
//! this thread writes them as `staging` batches in short transactions ([`Writer`]) and makes
//! all of a file's batches `live` in one small final transaction. Also the purge of hidden
//! batches' rows, a window of rowids per short transaction.

use super::links::{LinkReport, Linked, Resolver, TableLinks};
use super::overlap::{self, Collector, Footprint};
use super::{lock, Batch, Imported, ImportedBatch, Origin, SqliteErrorCode, Store};
use crate::error::{Error, Result};
use crate::import::{self, convert::Value, fields::fields, Control, Input, Options, SkippedSheet};
use crate::model::{Kind, Overlap};
use rusqlite::{params, Connection};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long one of an import's transactions writes before it commits and lets a waiting
/// writer in (README "Durability": a setting changed during an import waits for at most
/// about this long).
const STAGE_TIME: Duration = Duration::from_millis(150);

/// Rows deleted per transaction when purging batches (by rowid range).
const PURGE_WINDOW: i64 = 100_000;

impl Store {
    /// Imports every table of the file as one batch each, all committed together.
    /// The same file (by SHA-256) is refused unless `replace`, which swaps its batches.
    pub fn import_file(
        &mut self,
        path: &Path,
        opts: &Options,
        replace: bool,
    ) -> Result<Vec<ImportedBatch>> {
        let input = Input::File(path.into());
        self.import(
            path,
            input,
            opts,
            &Control::default(),
            replace,
            Origin::File,
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
        origin: Origin,
    ) -> Result<Vec<ImportedBatch>> {
        let input = Input::Bytes(bytes.into());
        self.import(path, input, opts, &Control::default(), replace, origin)
            .map(|i| i.batches)
    }

    /// The import. The file is hashed and read on a thread of its own while this one writes
    /// the rows as `staging` batches, in transactions of about [`STAGE_TIME`] each (SQLite's
    /// write lock is free between them, and a waiting writer goes first: [`lock::Gate`]).
    /// Once every table is read, one small transaction checks that the file was not imported
    /// meanwhile (the unique index on file and sheet backs it up), retires what it replaces,
    /// purges undone batches and makes the new batches `live`: readers see all of the file
    /// or none of it, whatever happens when. Any error (or a cancel through `control`) marks
    /// the staged batches for purging and removes their rows.
    ///
    /// Imports of one database run one at a time, across processes ([`lock::ImportLock`]);
    /// the next import removes the staged rows of one that died.
    pub fn import(
        &mut self,
        path: &Path,
        input: Input,
        opts: &Options,
        control: &Control,
        replace: bool,
        origin: Origin,
    ) -> Result<Imported> {
        if let Input::File(p) = &input {
            import::source::check_file(path, p)?;
        }
        let lock = lock::ImportLock::acquire(&self.path);
        if lock.is_some() {
            // staged by an import that died: nobody else can be writing it now
            self.short_write(|tx| {
                Ok(tx.execute(
                    "UPDATE batches SET state = 'purging' WHERE state = 'staging'",
                    [],
                )?)
            })?;
            self.purge_rows()?;
        }
        // the staged rows need no sync of their own: the final commit syncs the WAL (FULL),
        // and with it every frame before it
        // and no checkpoint after each of them (each would sync the database file): the
        // WAL is copied into the database once, after the import, as a single transaction's
        // would be
        self.conn
            .execute_batch("PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0;")?;
        let result = self.import_staged(path, input, opts, control, replace, origin);
        // (cannot fail on an open connection; the import's outcome is what counts)
        let _ = self
            .conn
            .execute_batch("PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 1000;");
        let imported = result;
        if imported.is_ok() {
            // what the new batches replaced, and the undone batches, lose their rows now
            // (best effort: a failure leaves them hidden, and the next import tries again)
            let _ = self.purge_rows();
        }
        let _ = self
            .conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
        drop(lock);
        imported
    }

    fn import_staged(
        &mut self,
        path: &Path,
        input: Input,
        opts: &Options,
        control: &Control,
        replace: bool,
        origin: Origin,
    ) -> Result<Imported> {
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let imported_at = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
        // the kinds this file may overlap (earlier live imports of the same company): their
        // tables' keys and row digests are collected while reading, to tell the overlap
        let earlier: Vec<Kind> = {
            let mut stmt = self.conn.prepare(
                "SELECT DISTINCT kind FROM batches WHERE state = 'live' AND source = ?1",
            )?;
            let kinds = stmt
                .query_map([origin.id()], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            kinds.iter().filter_map(|k| Kind::parse(k)).collect()
        };
        // account columns resolve against the live accounts (and the user's answers), and
        // against this file's own accounts once its accounts table has passed
        // (a user's file against the user's own accounts, never the sample company's; the
        // sample company's own files are consistent and taken as written)
        let resolver = match origin {
            Origin::File => self.resolver(true)?,
            Origin::Demo => Resolver::new(Vec::new(), Vec::new()),
        };
        // the reading thread owns what it reads: if it hangs (a network drive that stops
        // answering), the import ends at its time budget and the thread is left behind
        let (send, receive) = std::sync::mpsc::sync_channel::<Msg>(8);
        {
            let (path, opts, control) = (path.to_path_buf(), opts.clone(), control.clone());
            std::thread::Builder::new()
                .name("cspulse-import-read".into())
                .spawn(move || {
                    let sha = hash_input(&path, &input);
                    let hashed = sha.is_ok();
                    if send.send(Msg::Hash(sha)).is_err() || !hashed {
                        return;
                    }
                    let mut sink = ChannelSink {
                        send,
                        buf: Chunk::default(),
                        earlier,
                        footprint: None,
                        resolver,
                        links: None,
                        new_accounts: Vec::new(),
                        accounts_table: false,
                    };
                    let read = import::run(&path, input, &opts, &control, &mut sink);
                    let _ = sink.send.send(Msg::Finished(read));
                })?;
        }
        // a little beyond the reader's own budget, which stops it with a closer reason; this
        // one stops a reader that hangs where it cannot look at the clock (a read that never
        // returns)
        let deadline =
            Instant::now() + opts.budget.time + (opts.budget.time / 10).min(Duration::from_secs(5));
        let too_slow = || Error::TooLarge {
            file: path.into(),
            limit: crate::error::Limit::Time,
        };
        let mut writer = Writer {
            conn: &self.conn,
            gate: &mut self.gate,
            in_tx: None,
            file_name,
            file_path: path.display().to_string(),
            sha: String::new(),
            imported_at,
            origin,
            overlap: opts.overlap,
            replace_sample: opts.replace_sample,
            import_no: None,
            footprint: None,
            footprints: Vec::new(),
            links: None,
            current: None,
            staged: Vec::new(),
            done: Vec::new(),
        };
        let written = (|| -> Result<Vec<SkippedSheet>> {
            loop {
                let left = deadline.saturating_duration_since(Instant::now());
                let msg = match receive.recv_timeout(left) {
                    Ok(msg) => msg,
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout) => return Err(too_slow()),
                    Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                        return Err(Error::Corrupt {
                            file: path.into(),
                            detail: "the reader stopped unexpectedly".into(),
                        })
                    }
                };
                match msg {
                    Msg::Hash(sha) => {
                        writer.sha = sha?;
                        if !replace {
                            if let Some(first) =
                                live_batches_of(writer.conn, &writer.sha, opts.sheet.as_deref())?
                                    .first()
                            {
                                return Err(Error::AlreadyImported {
                                    file: path.into(),
                                    batch_id: *first,
                                });
                            }
                        }
                    }
                    Msg::Finished(read) => return read,
                    msg => writer.apply(msg)?,
                }
            }
        })();
        // the reader stops at its next send once nobody listens
        drop(receive);
        let committed = written.and_then(|skipped| {
            writer.commit_tx()?;
            writer.tell_overlaps()?;
            if let Some(gate) = &control.before_commit {
                // the last chance to cancel
                gate()?;
            }
            writer.make_live(path, replace)?;
            Ok(skipped)
        });
        match committed {
            Ok(skipped_sheets) => Ok(Imported {
                batches: writer.done,
                skipped_sheets,
                profile: None,
                profile_saved: None,
            }),
            Err(e) => {
                writer.rollback();
                let staged = std::mem::take(&mut writer.staged);
                if !staged.is_empty() {
                    let ids = id_list(&staged);
                    let _ = self.short_write(|tx| {
                        Ok(tx.execute(
                            &format!("UPDATE batches SET state = 'purging' WHERE state = 'staging' AND id IN ({ids})"),
                            [],
                        )?)
                    });
                    let _ = self.purge_rows();
                }
                Err(e)
            }
        }
    }

    /// Deletes the rows of every batch marked `purging`, a window of rowids per short
    /// transaction (letting waiting writers pass between them), then marks those batches
    /// `purged`. Interrupted, it resumes at the next call.
    pub(super) fn purge_rows(&mut self) -> Result<()> {
        let ids: Vec<i64> = {
            let mut stmt = self
                .conn
                .prepare("SELECT id FROM batches WHERE state = 'purging' ORDER BY id")?;
            let ids = stmt
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            ids
        };
        if ids.is_empty() {
            return Ok(());
        }
        let list = id_list(&ids);
        for table in Kind::ALL.iter().map(|k| k.id()).chain(["billing_lines"]) {
            let (lo, hi): (Option<i64>, Option<i64>) = self.conn.query_row(
                &format!(
                    "SELECT (SELECT min(rowid) FROM {table}), (SELECT max(rowid) FROM {table})"
                ),
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let (Some(lo), Some(hi)) = (lo, hi) else {
                continue;
            };
            let mut at = lo;
            while at <= hi {
                let end = at.saturating_add(PURGE_WINDOW - 1).min(hi);
                self.short_write(|tx| {
                    Ok(tx.execute(
                        &format!("DELETE FROM {table} WHERE rowid BETWEEN ?1 AND ?2 AND batch_id IN ({list})"),
                        [at, end],
                    )?)
                })?;
                self.gate.let_others_pass();
                if end == hi {
                    break;
                }
                at = end + 1;
            }
        }
        self.short_write(|tx| {
            Ok(tx.execute(
                &format!("UPDATE batches SET state = 'purged', issues = '[]' WHERE state = 'purging' AND id IN ({list})"),
                [],
            )?)
        })?;
        Ok(())
    }
}

/// The live batches of a file (by SHA-256), or of one sheet of it, oldest first.
fn live_batches_of(conn: &Connection, sha: &str, sheet: Option<&str>) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM batches WHERE state = 'live' AND sha256 = ?1
            AND (?2 IS NULL OR coalesce(sheet, '') = ?2) ORDER BY id",
    )?;
    let ids = stmt
        .query_map(params![sha, sheet], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

fn id_list(ids: &[i64]) -> String {
    let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
    ids.join(",")
}

/// The content of a file the user chose, or why it cannot be read.
pub fn read_file(path: &Path) -> Result<Vec<u8>> {
    import::source::check_file(path, path)?;
    std::fs::read(path).map_err(|e| Error::FileUnreadable {
        file: path.into(),
        reason: e.kind(),
    })
}

/// The SHA-256 of a file's content as lowercase hex: how re-imports are recognised.
impl Store {
    /// The earlier live import of exactly this file (same bytes; `sheet`: of that sheet),
    /// if any: the wizard says "already imported on 7 Dec, 10:47 — nothing new" with it,
    /// before an import would be refused (`Error::AlreadyImported`). Reads the file once.
    pub fn already_imported(
        &self,
        path: &Path,
        input: &Input,
        sheet: Option<&str>,
    ) -> Result<Option<Batch>> {
        let sha = hash_input(path, input)?;
        let Some(first) = live_batches_of(&self.conn, &sha, sheet)?.first().copied() else {
            return Ok(None);
        };
        Ok(self.batches()?.into_iter().find(|b| b.batch_id == first))
    }
}

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
            import::source::check_file(path, p)?;
            let unreadable = |e: std::io::Error| Error::FileUnreadable {
                file: path.into(),
                reason: e.kind(),
            };
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
    /// The file's SHA-256 (first, before any table).
    Hash(Result<String>),
    Begin(import::TableHead),
    Rows(Chunk),
    Restart,
    /// The table's footprint (right before its end).
    Footprint(Footprint),
    /// How the table's account column was linked (right before its end).
    Links(LinkReport),
    /// A billing export's lines (right before its end).
    Billing(Vec<import::BillingLine>),
    End(import::TableEnd),
    /// The reader's outcome (last).
    Finished(Result<Vec<SkippedSheet>>),
}

/// Rows packed into one buffer (no allocation per value crosses the threads):
/// per row its number, then per value a tag and its bytes.
#[derive(Default)]
struct Chunk {
    buf: Vec<u8>,
    rows: usize,
}

impl Chunk {
    /// A record; `over`: (field, text) written in place of that field's value (an account
    /// column linked to its account id), so the record need not be copied for it.
    fn push(&mut self, no: u32, values: &[Value], over: Option<(usize, &str)>) {
        self.rows += 1;
        self.buf.extend_from_slice(&no.to_le_bytes());
        for (i, v) in values.iter().enumerate() {
            if let Some((_, t)) = over.filter(|(f, _)| *f == i) {
                self.buf.push(1);
                self.buf.extend_from_slice(&(t.len() as u32).to_le_bytes());
                self.buf.extend_from_slice(t.as_bytes());
                continue;
            }
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
    /// Kinds with earlier imports: their footprints are collected in full.
    earlier: Vec<Kind>,
    footprint: Option<Collector>,
    /// The accounts that account columns resolve against.
    resolver: Resolver,
    /// The current table's resolution (a kind with an account column, accounts known).
    links: Option<TableLinks>,
    /// The current accounts table's link fields, added to `resolver` at its end.
    new_accounts: Vec<crate::sources::identity::AccountLinks>,
    accounts_table: bool,
}

/// An accounts record's link fields (values in `fields(Accounts)` order).
fn account_links_of(values: &[Value]) -> Option<crate::sources::identity::AccountLinks> {
    let fs = fields(Kind::Accounts);
    let text = |id: &str| -> Option<String> {
        match fs
            .iter()
            .position(|f| f.id == id)
            .and_then(|i| values.get(i))
        {
            Some(Value::Text(t)) => Some(t.clone()),
            _ => None,
        }
    };
    Some(crate::sources::identity::AccountLinks {
        account_id: text("account_id")?,
        name: text("name").unwrap_or_default(),
        domain: text("domain"),
        aliases: super::links::parse_aliases(text("aliases").as_deref()),
    })
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
        let sheet = head.sheet.clone();
        self.footprint = Some(if self.earlier.contains(&head.kind) {
            Collector::new(head.kind, sheet)
        } else {
            Collector::period_only(head.kind, sheet)
        });
        self.new_accounts.clear();
        self.accounts_table = head.kind == Kind::Accounts;
        self.resolver.refresh();
        self.links = if self.resolver.active() {
            TableLinks::new(head)
        } else {
            None
        };
        self.send(Msg::Begin(head.clone()))
    }
    fn row(&mut self, no: u32, values: &[Value]) -> Result<()> {
        let over = match &mut self.links {
            Some(l) => match l.row(&self.resolver, no, values) {
                Linked::Keep => None,
                Linked::As(field, id) => Some((field, id)),
                Linked::Drop => return Ok(()),
            },
            None => {
                if self.accounts_table {
                    if let Some(a) = account_links_of(values) {
                        self.new_accounts.push(a);
                    }
                }
                None
            }
        };
        if let Some(f) = &mut self.footprint {
            f.row_with(values, over);
        }
        self.buf.push(no, values, over);
        if self.buf.rows >= CHUNK {
            self.flush()?;
        }
        Ok(())
    }
    fn restart(&mut self) -> Result<()> {
        self.buf = Chunk::default();
        self.new_accounts.clear();
        if let Some(l) = &mut self.links {
            *l = l.fresh();
        }
        if let Some(f) = &mut self.footprint {
            f.restart();
        }
        self.send(Msg::Restart)
    }
    fn billing(&mut self, lines: &[import::BillingLine]) -> Result<()> {
        self.flush()?;
        self.send(Msg::Billing(lines.to_vec()))
    }
    fn end(&mut self, end: import::TableEnd) -> Result<()> {
        let end = match self.links.take() {
            Some(l) => {
                let (end, report) = l.finish(&self.resolver, end);
                self.send(Msg::Links(report))?;
                end
            }
            None => end,
        };
        for a in self.new_accounts.drain(..) {
            self.resolver.add_account(a);
        }
        self.flush()?;
        if let Some(f) = self.footprint.take() {
            self.send(Msg::Footprint(f.finish()))?;
        }
        self.send(Msg::End(end))
    }
}

/// The writing end: one `staging` batch per table, written in short transactions.
struct Writer<'c> {
    conn: &'c Connection,
    gate: &'c mut lock::Gate,
    /// When the open transaction began (`None`: none is open).
    in_tx: Option<Instant>,
    file_name: String,
    file_path: String,
    sha: String,
    imported_at: String,
    origin: Origin,
    overlap: Overlap,
    replace_sample: bool,
    /// The first batch id of this import: its number among imports (`supersede`).
    import_no: Option<i64>,
    /// The current table's footprint, then every table's, by batch.
    footprint: Option<Footprint>,
    footprints: Vec<(i64, Footprint)>,
    /// The current table's link report (it comes right before the table's end).
    links: Option<LinkReport>,
    current: Option<(i64, import::TableHead, String)>,
    /// Every batch this import created (a table that started again has two).
    staged: Vec<i64>,
    done: Vec<ImportedBatch>,
}

impl Writer<'_> {
    fn begin_tx(&mut self) -> Result<()> {
        if self.in_tx.is_none() {
            self.conn.execute_batch("BEGIN IMMEDIATE")?;
            self.in_tx = Some(Instant::now());
        }
        Ok(())
    }

    fn commit_tx(&mut self) -> Result<()> {
        if self.in_tx.is_some() {
            self.conn.execute_batch("COMMIT")?;
            self.in_tx = None;
        }
        Ok(())
    }

    fn rollback(&mut self) {
        if self.in_tx.take().is_some() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }

    /// Commits once the open transaction has written for [`STAGE_TIME`], and lets a
    /// waiting writer go first.
    fn maybe_commit(&mut self) -> Result<()> {
        if self.in_tx.is_some_and(|t| t.elapsed() >= STAGE_TIME) {
            self.commit_tx()?;
            self.gate.let_others_pass();
        }
        Ok(())
    }

    fn new_batch(&mut self, head: &import::TableHead) -> Result<i64> {
        let mapping = mapping_json(&head.mapping);
        self.conn.execute(
            "INSERT INTO batches(file_name, file_path, sheet, kind, sha256, header_row, mapping, rows_imported, rows_skipped, issues, source, imported_at, state, overlap)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, 0, '[]', ?8, ?9, 'staging', ?10)",
            params![
                self.file_name,
                self.file_path,
                head.sheet,
                head.kind.id(),
                self.sha,
                head.header_row,
                serde_json::Value::Object(mapping).to_string(),
                self.origin.id(),
                self.imported_at,
                self.overlap.id(),
            ],
        )?;
        let id = self.conn.last_insert_rowid();
        self.staged.push(id);
        self.import_no.get_or_insert(id);
        Ok(id)
    }

    fn apply(&mut self, msg: Msg) -> Result<()> {
        match msg {
            Msg::Hash(_) | Msg::Finished(_) => {}
            Msg::Footprint(fp) => self.footprint = Some(fp),
            Msg::Links(l) => self.links = Some(l),
            Msg::Begin(head) => {
                if head.kind == Kind::Accounts && self.overlap == Overlap::Add {
                    return Err(Error::OverlapAddAccounts {
                        file: PathBuf::from(&self.file_path),
                    });
                }
                self.begin_tx()?;
                let id = self.new_batch(&head)?;
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
                let Some((id, head, _)) = &self.current else {
                    return Ok(());
                };
                let (id, n_values) = (*id, fields(head.kind).len());
                self.begin_tx()?;
                if let Some((_, _, sql)) = &self.current {
                    let mut stmt = self.conn.prepare_cached(sql)?;
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
                self.maybe_commit()?;
            }
            Msg::Billing(lines) => {
                let Some((id, _, _)) = &self.current else {
                    return Ok(());
                };
                let id = *id;
                self.begin_tx()?;
                let mut stmt = self.conn.prepare_cached(
                    "INSERT INTO billing_lines (batch_id, src_row, customer, amount, currency, period_start, period_end, status, line_type, not_mrr, months, mrr_per_month) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                )?;
                for l in &lines {
                    stmt.execute(rusqlite::params![
                        id,
                        l.row,
                        l.customer,
                        l.amount,
                        l.currency,
                        l.period_start,
                        l.period_end,
                        l.status,
                        l.line_type,
                        l.not_mrr,
                        l.months,
                        l.mrr_per_month
                    ])?;
                }
                self.maybe_commit()?;
            }
            Msg::Restart => {
                // the table starts again under a new batch; the rows written so far are
                // purged with the rest of a failed or replaced import
                if let Some((old, head, sql)) = self.current.take() {
                    self.begin_tx()?;
                    self.conn
                        .execute("UPDATE batches SET state = 'purging' WHERE id = ?1", [old])?;
                    let id = self.new_batch(&head)?;
                    self.current = Some((id, head, sql));
                }
            }
            Msg::End(end) => {
                let Some((batch_id, head, _)) = self.current.take() else {
                    return Ok(());
                };
                self.begin_tx()?;
                let footprint = self.footprint.take();
                let period = footprint.as_ref().and_then(Footprint::period);
                self.conn.execute(
                    "UPDATE batches SET rows_imported = ?1, rows_skipped = ?2, issues = ?3,
                            import_no = ?4, period_first = ?5, period_last = ?6 WHERE id = ?7",
                    params![
                        end.rows as i64,
                        end.skipped as i64,
                        serde_json::to_string(&end.issues).unwrap_or_else(|_| "[]".into()),
                        self.import_no.unwrap_or(batch_id),
                        period.as_ref().map(|p| &p.0),
                        period.as_ref().map(|p| &p.1),
                        batch_id
                    ],
                )?;
                if let Some(fp) = footprint.filter(|f| f.full) {
                    self.footprints.push((batch_id, fp));
                }
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
                        source: self.origin.id().into(),
                        overlap: self.overlap,
                        superseded_rows: 0,
                        period,
                    },
                    overlaps: Vec::new(),
                    issues: end.issues,
                    issues_not_listed: end.issues_not_listed,
                    assumptions: end.assumptions,
                    links: self.links.take(),
                    profile: head.profile.clone(),
                    notes: head.notes.clone(),
                    passed_over: end.passed_over,
                    values_mapped: end.values_mapped,
                });
            }
        }
        Ok(())
    }

    /// Each table's overlap with the earlier live imports of its kind (read while the new
    /// batches are still staged, so unseen), into the import's result.
    fn tell_overlaps(&mut self) -> Result<()> {
        if self.footprints.is_empty() {
            return Ok(());
        }
        let tx = self.conn.unchecked_transaction()?;
        for (id, fp) in &self.footprints {
            let told = overlap::compare(&tx, fp, self.overlap)?;
            if let Some(b) = self.done.iter_mut().find(|b| b.batch.batch_id == *id) {
                b.overlaps = told.overlaps;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The import's commit: one small transaction (synced, `synchronous = FULL`) that checks
    /// that no live batch holds the same file and sheet (or, with `replace`, retires it),
    /// purges the undone batches and makes the new batches live.
    fn make_live(&mut self, path: &Path, replace: bool) -> Result<()> {
        self.conn.execute_batch("PRAGMA synchronous = FULL;")?;
        let _turn = self.gate.turn();
        let tx = rusqlite::Transaction::new_unchecked(
            self.conn,
            rusqlite::TransactionBehavior::Immediate,
        )?;
        for b in &self.done {
            let earlier =
                live_batches_of(&tx, &self.sha, Some(b.batch.sheet.as_deref().unwrap_or("")))?;
            if let Some(&first) = earlier.first() {
                if !replace {
                    return Err(Error::AlreadyImported {
                        file: path.into(),
                        batch_id: first,
                    });
                }
                tx.execute(
                    &format!(
                        "UPDATE batches SET state = 'purging' WHERE id IN ({})",
                        id_list(&earlier)
                    ),
                    [],
                )?;
            }
        }
        tx.execute(
            "UPDATE batches SET state = 'purging' WHERE state = 'undone'",
            [],
        )?;
        if self.replace_sample && self.origin == Origin::File {
            // the first own import replaces the sample company: undone with this commit,
            // so that a take-back brings it back until the next import
            tx.execute(
                "UPDATE batches SET state = 'undone' WHERE state = 'live' AND source = 'demo'",
                [],
            )?;
        }
        let done: Vec<i64> = self.done.iter().map(|b| b.batch.batch_id).collect();
        let made_live = tx.execute(
            &format!(
                "UPDATE batches SET state = 'live' WHERE state = 'staging' AND id IN ({})",
                id_list(&done)
            ),
            [],
        );
        match made_live {
            Ok(_) => {}
            // the unique index: another import of the same file and sheet got there first
            Err(e) if e.sqlite_error_code() == Some(SqliteErrorCode::ConstraintViolation) => {
                let first = live_batches_of(&tx, &self.sha, None)?
                    .first()
                    .copied()
                    .unwrap_or(0);
                return Err(Error::AlreadyImported {
                    file: path.into(),
                    batch_id: first,
                });
            }
            Err(e) => return Err(e.into()),
        }
        tx.execute(
            &format!(
                "UPDATE batches SET state = 'purging' WHERE state = 'staging' AND id IN ({})",
                id_list(&self.staged)
            ),
            [],
        )?;
        tx.commit()?;
        self.staged.clear();
        Ok(())
    }
}

fn mapping_json(mapping: &[(&'static str, String)]) -> serde_json::Map<String, serde_json::Value> {
    mapping
        .iter()
        .map(|(f, c)| ((*f).to_owned(), serde_json::Value::String(c.clone())))
        .collect()
}
