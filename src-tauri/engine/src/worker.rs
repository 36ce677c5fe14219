//! Reading workbooks in a child process with limits, for the CLI and the desktop app.
//!
//! calamine can still abort the process on some hostile files (an allocation it cannot
//! make is an abort, not an error; see `fuzz/artifacts`). So a workbook is read by a child
//! process — the same executable started again with [`WORKER_ENV`] set — under an
//! address-space and CPU limit and a wall-clock timeout. The child imports in one
//! transaction on its own connection; if it dies or is killed, nothing was committed, and
//! the parent says in plain words why.
//!
//! - The CLI re-runs its own command line ([`rerun_self`]); the child prints as the CLI does.
//! - The desktop app sends the child one job ([`import`], [`inspect`]) as a JSON line on
//!   stdin and reads JSON lines back on stdout: progress, the commit handshake, the result
//!   or the error. Before it commits, the child asks the parent (`commit`) and waits for
//!   `go`: a cancel that arrives before that point kills the child (nothing written), one
//!   that arrives after it is refused ([`CancelSwitch`]), so "cancelled" always means that
//!   nothing was imported. CSV and text files are read in the app's process (our own
//!   reader, fuzzed), on a database connection of their own.

use crate::error::{Error, ErrorCode, Lang, Limit};
use crate::import::ImportOptions;
use crate::import::{self, Control, Input, Inspection, Progress};
use crate::store::overlap::TableOverlap;
use crate::store::{self, Imported, Origin, Store};
use serde::{Deserialize, Serialize};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

mod limits;
#[cfg(windows)]
mod windows;

/// Set in the child's environment: it is the worker and must not spawn another.
pub const WORKER_ENV: &str = "CSPULSE_IMPORT_WORKER";

/// Memory the worker may map, in MiB (`CSPULSE_IMPORT_MEMORY_MB`, default 4096).
fn memory_mb() -> u64 {
    std::env::var("CSPULSE_IMPORT_MEMORY_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4096)
}

/// Wall-clock seconds the worker may take (`CSPULSE_IMPORT_TIMEOUT_S`, default 300).
pub fn timeout() -> Duration {
    Duration::from_secs(
        std::env::var("CSPULSE_IMPORT_TIMEOUT_S")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(300),
    )
}

/// Is this process a worker?
pub fn is_worker() -> bool {
    std::env::var_os(WORKER_ENV).is_some()
}

/// Set by the parent in the worker's environment: the parent's process id, so that the
/// worker can tell whether its parent died before it asked to die with it.
const PARENT_ENV: &str = "CSPULSE_IMPORT_PARENT";

/// In the worker: limits for this process: address space and CPU time (Unix); a Job
/// Object's memory and CPU-time limits (Windows, `worker/windows.rs`); a memory watchdog
/// where those do not hold (macOS, Wine; `worker/limits.rs`). The worker dies with its
/// parent: on Linux by `PR_SET_PDEATHSIG` (here), on Windows by the parent's kill-on-close
/// job ([`tie`]): quitting the app or killing the CLI never leaves a worker behind that
/// still holds the import's lock.
pub fn limit_self() {
    #[cfg(unix)]
    {
        let bytes = memory_mb() << 20;
        let _ = rlimit::setrlimit(rlimit::Resource::AS, bytes, bytes);
        let cpu = timeout().as_secs();
        let _ = rlimit::setrlimit(rlimit::Resource::CPU, cpu, cpu + 5);
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{getppid, set_parent_process_death_signal, Signal};
        let _ = set_parent_process_death_signal(Some(Signal::KILL));
        // the parent may have died before the line above: then this process was handed to
        // another parent already, and no signal will come
        let parent: Option<i32> = std::env::var(PARENT_ENV).ok().and_then(|p| p.parse().ok());
        let now = getppid().map(|p| p.as_raw_nonzero().get());
        if parent.is_some_and(|p| Some(p) != now) {
            std::process::exit(1);
        }
    }
    #[cfg(windows)]
    let _ = windows::limit_self(memory_mb() << 20, timeout());
    #[cfg(any(windows, target_os = "macos"))]
    limits::watchdog(memory_mb() << 20);
}

/// Held by the parent while a worker runs. On Windows the worker is in a kill-on-close job
/// whose only handle this holds: when the parent ends in any way, so does the worker.
struct Tie {
    #[cfg(windows)]
    _job: Option<windows::Job>,
}

fn tie(_worker: &Child) -> Tie {
    Tie {
        #[cfg(windows)]
        _job: windows::kill_on_close(_worker).ok(),
    }
}

/// Whether the file is a workbook (zip or OLE container), by its first bytes.
pub fn is_workbook(file: &Path) -> bool {
    use std::io::Read;
    // a pipe or device is not opened here (opening a pipe waits for a writer); the import
    // refuses it with its own message
    if !std::fs::metadata(file).is_ok_and(|m| m.is_file()) {
        return false;
    }
    let mut head = [0u8; 4];
    std::fs::File::open(file)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|_| head == *b"PK\x03\x04" || head == [0xD0, 0xCF, 0x11, 0xE0])
}

/// `exe` as a worker: the marker variable, and one malloc arena (under an address-space
/// limit, per-thread arenas fail to map).
pub fn command(exe: &Path) -> Command {
    let mut c = Command::new(exe);
    c.env(WORKER_ENV, "1")
        .env(PARENT_ENV, std::process::id().to_string())
        .env("MALLOC_ARENA_MAX", "1");
    c
}

/// How a worker ended: `Ok(code)` when it exited by itself with one of the CLI's codes
/// (0–3), else why it died, in words for the user: the memory limit (an allocation that
/// fails under the address-space limit aborts: SIGABRT, or SIGSEGV when it was the stack),
/// the processor-time limit (SIGXCPU), or any other signal (SIGKILL from the system's
/// out-of-memory killer or a user, SIGTERM, …), each with its own message. A full disk is no
/// signal: the worker says so itself ([`in_worker`]).
pub fn ended(status: ExitStatus, file: &Path) -> Result<u8, Error> {
    // the memory watchdog, or Windows ending a worker (worker/limits.rs)
    if let Some(limit) = status.code().and_then(limits::exit_limit) {
        return Err(Error::TooLarge {
            file: file.into(),
            limit,
        });
    }
    match status.code() {
        Some(code @ 0..=3) => return Ok(code as u8),
        // a panic (101) or any other end the worker did not choose
        Some(_) => {
            return Err(Error::Corrupt {
                file: file.into(),
                detail: "the reader stopped unexpectedly".into(),
            })
        }
        None => {}
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        let too_large = |limit| Error::TooLarge {
            file: file.into(),
            limit,
        };
        Err(match status.signal() {
            Some(SIGXCPU) => too_large(Limit::Cpu),
            Some(SIGABRT | SIGSEGV | SIGBUS) => too_large(Limit::Memory),
            Some(signal) => Error::Stopped {
                file: file.into(),
                signal,
            },
            None => too_large(Limit::Memory),
        })
    }
    #[cfg(not(unix))]
    Err(Error::TooLarge {
        file: file.into(),
        limit: Limit::Memory,
    })
}

/// Signal numbers (the same on Linux and macOS for these; Unix only).
#[cfg(unix)]
const SIGABRT: i32 = 6;
#[cfg(unix)]
const SIGBUS: i32 = if cfg!(target_os = "linux") { 7 } else { 10 };
#[cfg(unix)]
const SIGSEGV: i32 = 11;
#[cfg(unix)]
const SIGXCPU: i32 = 24;

/// In the worker, SQLite failing to map its files or to allocate is the address-space
/// limit at work: said as "needs more memory than allowed". A full disk (SQLite's
/// `SQLITE_FULL`, from `ENOSPC`) keeps its own message ("the disk is full").
pub fn in_worker(e: Error, file: &Path) -> Error {
    if !is_worker() {
        return e;
    }
    // memory that could not be had (an allocation, a mapping), not the disk
    const MEMORY_IO_ERRORS: [std::ffi::c_int; 4] = [
        rusqlite::ffi::SQLITE_IOERR_NOMEM,
        rusqlite::ffi::SQLITE_IOERR_SHMMAP,
        rusqlite::ffi::SQLITE_IOERR_SHMSIZE,
        rusqlite::ffi::SQLITE_IOERR_MMAP,
    ];
    let memory = match &e {
        Error::Database { detail, .. } => {
            detail.contains("disk I/O error") || detail.contains("out of memory")
        }
        Error::Sqlite(rusqlite::Error::SqliteFailure(err, _)) => {
            err.code == store::SqliteErrorCode::OutOfMemory
                || (err.code == store::SqliteErrorCode::SystemIoFailure
                    && MEMORY_IO_ERRORS.contains(&err.extended_code))
        }
        _ => false,
    };
    if memory {
        Error::TooLarge {
            file: file.into(),
            limit: Limit::Memory,
        }
    } else {
        e
    }
}

/// The CLI: runs this command line again as the worker; `Ok(code)` is the worker's own exit
/// code (it printed its own output), `Err` says why it died. `None`: no child could be
/// started.
pub fn rerun_self(file: &Path) -> Option<Result<u8, Error>> {
    let exe = std::env::current_exe().ok()?;
    let mut child = command(&exe)
        .args(std::env::args_os().skip(1))
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    let _tie = tie(&child);
    // the worker's own messages are passed on when it ends by itself; a dying worker's
    // ("memory allocation failed", backtraces) are replaced by one plain line
    let mut stderr = child.stderr.take()?;
    let collected = std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stderr, &mut text);
        text
    });
    let started = Instant::now();
    let limit = timeout() + Duration::from_secs(5);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                let end = ended(status, file);
                if end.is_ok() {
                    if let Ok(text) = collected.join() {
                        let _ = std::io::stderr().write_all(&text);
                    }
                }
                return Some(end);
            }
            Ok(None) if started.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                return Some(Err(Error::TooLarge {
                    file: file.into(),
                    limit: Limit::Time,
                }));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(_) => return None,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Cancel

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Running,
    Cancelled,
    Committing,
}

/// The cancel button of one import. A cancel either stops the import before its commit
/// (nothing is written) or, once the commit has begun, is refused: never both.
pub struct CancelSwitch {
    flag: Arc<AtomicBool>,
    phase: Mutex<Phase>,
}

impl Default for CancelSwitch {
    fn default() -> Self {
        CancelSwitch {
            flag: Arc::new(AtomicBool::new(false)),
            phase: Mutex::new(Phase::Running),
        }
    }
}

impl CancelSwitch {
    pub fn new() -> CancelSwitch {
        CancelSwitch::default()
    }

    fn phase(&self) -> std::sync::MutexGuard<'_, Phase> {
        self.phase.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Asks the import to stop. `true`: it stops and writes nothing; `false`: too late, it
    /// is already committing (it completes).
    pub fn cancel(&self) -> bool {
        let mut phase = self.phase();
        if *phase == Phase::Committing {
            return false;
        }
        *phase = Phase::Cancelled;
        self.flag.store(true, Ordering::Relaxed);
        true
    }

    pub fn is_cancelled(&self) -> bool {
        *self.phase() == Phase::Cancelled
    }

    /// The point of no return: `true` when the import may commit (a cancel from now on is
    /// refused), `false` when it was cancelled.
    pub fn enter_commit(&self) -> bool {
        let mut phase = self.phase();
        if *phase == Phase::Cancelled {
            return false;
        }
        *phase = Phase::Committing;
        true
    }

    /// The flag the reader checks between rows.
    pub fn flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.flag)
    }
}

// ---------------------------------------------------------------------------------------
// Desktop jobs

/// What a running import reports.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    Progress(Progress),
    /// All rows are read and written; the import commits now and can no longer be
    /// cancelled.
    Committing,
}

/// Receives the events of an import (called from the import's threads).
pub type EventFn = Arc<dyn Fn(Event) + Send + Sync>;

/// A job's failure: the engine's error (here, or why the worker died), or the error the
/// worker reported, already in the user's language and worded by the worker's front end.
#[derive(Debug)]
pub enum JobError {
    Engine(Error),
    Worker { code: ErrorCode, message: String },
}

impl JobError {
    /// The stable code (`Error::code`).
    pub fn code(&self) -> &'static str {
        self.error_code().as_str()
    }
    /// [`JobError::code`] as its type.
    pub fn error_code(&self) -> ErrorCode {
        match self {
            JobError::Engine(e) => e.error_code(),
            JobError::Worker { code, .. } => *code,
        }
    }
    /// The engine's own message ([`Error::message`]); a worker's message as it said it.
    pub fn message(&self, lang: Lang) -> String {
        self.worded(lang, Error::message)
    }
    /// The message, worded by `word` (the front end's wording of an [`Error`]); a worker's
    /// message is in the language its job was given, worded by the worker already.
    pub fn worded(&self, lang: Lang, word: Wording) -> String {
        match self {
            JobError::Engine(e) => word(e, lang),
            JobError::Worker { message, .. } => message.clone(),
        }
    }
}

impl From<Error> for JobError {
    fn from(e: Error) -> JobError {
        JobError::Engine(e)
    }
}

/// One import for [`import`].
#[derive(Clone, Debug)]
pub struct ImportJob<'a> {
    /// The database file (the app's store; the import opens a connection of its own).
    pub db: &'a Path,
    pub file: &'a Path,
    pub options: &'a ImportOptions,
    /// Replace an earlier import of the same file (same SHA-256).
    pub replace: bool,
    pub lang: Lang,
    /// The worker executable for workbooks (the app itself); `None` reads them here.
    pub worker: Option<&'a Path>,
}

fn lang_tag(lang: Lang) -> String {
    match lang {
        Lang::De => "de".into(),
        Lang::En => "en".into(),
    }
}

/// Imports one file into the database at `job.db`, reporting progress to `on_event`: a
/// workbook in a worker process when `job.worker` is given, a text file here. `switch`
/// cancels it (see [`CancelSwitch`]).
pub fn import(
    job: &ImportJob<'_>,
    switch: &Arc<CancelSwitch>,
    on_event: EventFn,
) -> Result<Imported, JobError> {
    if let (Some(exe), true) = (job.worker, is_workbook(job.file)) {
        let request = Request::Import {
            db: job.db.into(),
            file: job.file.into(),
            options: job.options.clone(),
            replace: job.replace,
            lang: lang_tag(job.lang),
        };
        let value = run_job(exe, &request, job.file, Some(switch), &*on_event)?;
        return decode(value, job.file);
    }
    let mut store = Store::open(job.db)?;
    let gate = {
        let (switch, on_event) = (Arc::clone(switch), Arc::clone(&on_event));
        let file = job.file.to_path_buf();
        Arc::new(move || {
            if switch.enter_commit() {
                on_event(Event::Committing);
                Ok(())
            } else {
                Err(Error::Cancelled { file: file.clone() })
            }
        })
    };
    let control = Control {
        progress: Some(Arc::new(move |p: &Progress| {
            on_event(Event::Progress(p.clone()))
        })),
        cancel: Some(switch.flag()),
        before_commit: Some(gate),
    };
    Ok(import_remembering(
        &mut store,
        job.file,
        job.options,
        &control,
        job.replace,
    )?)
}

/// The wizard's import ([`Store::import`]) and then its profile: the use of the profile the
/// choices came from (`options.profile`) is recorded, or the user's own choices are saved
/// as the profile of the file's shape ([`Store::remember_profile`]). The import is
/// committed first: a profile that cannot be saved is not a failure.
fn import_remembering(
    store: &mut Store,
    file: &Path,
    options: &ImportOptions,
    control: &Control,
    replace: bool,
) -> Result<Imported, Error> {
    let opts = options.to_options();
    let used = match options.profile.as_deref() {
        Some(name) => store.profile(name).ok(),
        None => None,
    };
    let mut imported = store.import(
        file,
        Input::File(file.into()),
        &opts,
        control,
        replace,
        Origin::File,
    )?;
    // (a profile that cannot be saved leaves `profile_saved` empty: the wizard then says
    // nothing was saved, and the next file of this shape asks again)
    if let Ok(saved) = store.remember_profile(file, Input::File(file.into()), &opts, used.as_ref())
    {
        imported.profile_saved = saved.map(|p| p.name);
    }
    imported.profile = used.map(|p| p.name);
    Ok(imported)
}

/// What the wizard shows of `file` ([`import::inspect`]): a workbook is read in a worker
/// process when `worker` is given, a text file here.
pub fn inspect(
    file: &Path,
    options: &ImportOptions,
    lang: Lang,
    worker: Option<&Path>,
) -> Result<Inspection, JobError> {
    if let (Some(exe), true) = (worker, is_workbook(file)) {
        let request = Request::Inspect {
            file: file.into(),
            options: options.clone(),
            lang: lang_tag(lang),
        };
        let value = run_job(exe, &request, file, None, &|_: Event| {})?;
        return decode(value, file);
    }
    // read here, on a thread with the time budget: a hung read ends as an error
    let opts = options.to_options();
    let (path, time) = (file.to_path_buf(), opts.budget.time);
    Ok(import::within_budget(file, time, move || {
        import::inspect(&path, Input::File(path.clone()), &opts, lang)
    })?)
}

/// Which earlier imports `file` overlaps, per table, read with the wizard's `options`
/// ([`Store::overlaps`]; writes nothing): a workbook in a worker process when `worker` is
/// given, a text file here (with the time budget).
pub fn overlaps(
    db: &Path,
    file: &Path,
    options: &ImportOptions,
    lang: Lang,
    worker: Option<&Path>,
) -> Result<Vec<TableOverlap>, JobError> {
    if let (Some(exe), true) = (worker, is_workbook(file)) {
        let request = Request::Overlaps {
            db: db.into(),
            file: file.into(),
            options: options.clone(),
            lang: lang_tag(lang),
        };
        let value = run_job(exe, &request, file, None, &|_: Event| {})?;
        return decode(value, file);
    }
    let opts = options.to_options();
    let (path, db, time) = (file.to_path_buf(), db.to_path_buf(), opts.budget.time);
    Ok(import::within_budget(file, time, move || {
        let store = Store::open(&db)?;
        store.overlaps(
            &path,
            Input::File(path.clone()),
            &opts,
            &Control::default(),
            opts.overlap,
        )
    })?)
}

fn decode<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
    file: &Path,
) -> Result<T, JobError> {
    serde_json::from_value(value).map_err(|_| {
        JobError::Engine(Error::Corrupt {
            file: file.into(),
            detail: "the reader stopped unexpectedly".into(),
        })
    })
}

/// A job for the worker (one JSON line on its stdin).
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "job", rename_all = "snake_case")]
enum Request {
    Inspect {
        #[serde(with = "os_path")]
        file: PathBuf,
        options: ImportOptions,
        lang: String,
    },
    Import {
        #[serde(with = "os_path")]
        db: PathBuf,
        #[serde(with = "os_path")]
        file: PathBuf,
        options: ImportOptions,
        replace: bool,
        lang: String,
    },
    /// The overlap preview ([`Store::overlaps`]): reads the file, writes nothing.
    Overlaps {
        #[serde(with = "os_path")]
        db: PathBuf,
        #[serde(with = "os_path")]
        file: PathBuf,
        options: ImportOptions,
        lang: String,
    },
}

/// A path in a job, exactly as the OS spells it: a file name need not be UTF-8 (Linux), so
/// it travels as its bytes (Unix) or UTF-16 units (Windows), never as a lossy string.
mod os_path {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::path::{Path, PathBuf};

    #[cfg(unix)]
    pub fn serialize<S: Serializer>(p: &Path, s: S) -> Result<S::Ok, S::Error> {
        use std::os::unix::ffi::OsStrExt;
        p.as_os_str().as_bytes().serialize(s)
    }

    #[cfg(unix)]
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<PathBuf, D::Error> {
        use std::os::unix::ffi::OsStringExt;
        Ok(PathBuf::from(std::ffi::OsString::from_vec(
            Vec::<u8>::deserialize(d)?,
        )))
    }

    #[cfg(windows)]
    pub fn serialize<S: Serializer>(p: &Path, s: S) -> Result<S::Ok, S::Error> {
        use std::os::windows::ffi::OsStrExt;
        p.as_os_str()
            .encode_wide()
            .collect::<Vec<u16>>()
            .serialize(s)
    }

    #[cfg(windows)]
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<PathBuf, D::Error> {
        use std::os::windows::ffi::OsStringExt;
        Ok(PathBuf::from(std::ffi::OsString::from_wide(
            &Vec::<u16>::deserialize(d)?,
        )))
    }
}

impl Request {
    fn file(&self) -> &Path {
        match self {
            Request::Inspect { file, .. }
            | Request::Import { file, .. }
            | Request::Overlaps { file, .. } => file,
        }
    }
    fn lang(&self) -> Lang {
        match self {
            Request::Inspect { lang, .. }
            | Request::Import { lang, .. }
            | Request::Overlaps { lang, .. } => Lang::from_tag(lang),
        }
    }
}

/// What the worker says (one JSON line each on its stdout).
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "msg", rename_all = "snake_case")]
enum Message {
    Progress {
        progress: Progress,
    },
    /// Ready to commit: the parent answers `go` (or closes stdin / kills the worker).
    Commit,
    Done {
        result: serde_json::Value,
    },
    Failed {
        code: ErrorCode,
        message: String,
    },
}

/// The parent's answer to [`Message::Commit`].
const GO: &str = "go";

/// Runs `request` in a worker and waits for its result, passing its events on.
fn run_job(
    exe: &Path,
    request: &Request,
    file: &Path,
    switch: Option<&Arc<CancelSwitch>>,
    on_event: &(dyn Fn(Event) + Send + Sync),
) -> Result<serde_json::Value, JobError> {
    if is_worker() {
        // a worker never starts another (a test binary re-run by mistake would otherwise
        // start itself again and again)
        return Err(JobError::Engine(Error::Io(std::io::Error::other(
            "the import worker cannot start another worker",
        ))));
    }
    let mut child = command(exe)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(Error::Io)?;
    let _tie = tie(&child);
    let mut stdin = child.stdin.take();
    if let Some(input) = stdin.as_mut() {
        let line = serde_json::to_string(request).unwrap_or_default();
        // a worker that died at once is reported below, from its exit status
        let _ = writeln!(input, "{line}").and_then(|()| input.flush());
    }
    let (send, receive) = mpsc::channel::<Message>();
    let reader = child.stdout.take().map(|out| {
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines() {
                let Ok(line) = line else { break };
                // anything else on stdout is not ours to interpret
                if let Ok(msg) = serde_json::from_str::<Message>(&line) {
                    if send.send(msg).is_err() {
                        break;
                    }
                }
            }
        })
    });
    let kill = |child: &mut Child, e: Error| -> Result<serde_json::Value, JobError> {
        let _ = child.kill();
        let _ = child.wait();
        Err(JobError::Engine(e))
    };
    let started = Instant::now();
    let limit = timeout() + Duration::from_secs(5);
    let mut committing = false;
    let mut result: Option<Result<serde_json::Value, JobError>> = None;
    let mut handle = |msg: Message,
                      stdin: &mut Option<std::process::ChildStdin>,
                      committing: &mut bool|
     -> Option<()> {
        match msg {
            Message::Progress { progress } => on_event(Event::Progress(progress)),
            Message::Commit => {
                if !switch.is_none_or(|s| s.enter_commit()) {
                    return None;
                }
                *committing = true;
                on_event(Event::Committing);
                if let Some(input) = stdin.as_mut() {
                    let _ = writeln!(input, "{GO}").and_then(|()| input.flush());
                }
            }
            Message::Done { result: value } => result = Some(Ok(value)),
            Message::Failed { code, message } => {
                result = Some(Err(JobError::Worker { code, message }))
            }
        }
        Some(())
    };
    let status = loop {
        match receive.recv_timeout(Duration::from_millis(20)) {
            Ok(msg) => {
                if handle(msg, &mut stdin, &mut committing).is_none() {
                    // cancelled before the commit: the worker dies with its transaction
                    return kill(&mut child, Error::Cancelled { file: file.into() });
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            // stdout closed: the worker is ending
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                std::thread::sleep(Duration::from_millis(20))
            }
        }
        if !committing && switch.is_some_and(|s| s.is_cancelled()) {
            return kill(&mut child, Error::Cancelled { file: file.into() });
        }
        if !committing && started.elapsed() > limit {
            return kill(
                &mut child,
                Error::TooLarge {
                    file: file.into(),
                    limit: Limit::Time,
                },
            );
        }
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => {}
            Err(e) => return kill(&mut child, Error::Io(e)),
        }
    };
    drop(stdin);
    if let Some(r) = reader {
        let _ = r.join();
    }
    for msg in receive.try_iter() {
        if let Message::Done { .. } | Message::Failed { .. } = msg {
            handle(msg, &mut None, &mut committing);
        }
    }
    match result {
        Some(r) => r,
        None => {
            ended(status, file)?;
            Err(JobError::Engine(Error::Corrupt {
                file: file.into(),
                detail: "the reader stopped unexpectedly".into(),
            }))
        }
    }
}

/// The worker's stdout, one JSON line per message.
fn say(msg: &Message) {
    if let Ok(line) = serde_json::to_string(msg) {
        let mut out = std::io::stdout().lock();
        // the parent went away: nothing left to tell
        let _ = writeln!(out, "{line}").and_then(|()| out.flush());
    }
}

/// A front end's wording of an engine error ([`Error::message`] or its own words for the
/// same facts): the worker words its failure as the program that started it would.
pub type Wording = fn(&Error, Lang) -> String;

/// The desktop app's worker: reads one job from stdin, does it under the limits, answers on
/// stdout (a failure worded by `word`); returns the process's exit code. Called first thing
/// in `main` when [`is_worker`] (before any window exists).
pub fn serve(word: Wording) -> i32 {
    limit_self();
    store::set_mmap_bytes(0);
    // the parent explains a worker that dies; no backtrace noise
    std::panic::set_hook(Box::new(|_| {}));
    let mut line = String::new();
    let stdin = std::io::stdin();
    if stdin.lock().read_line(&mut line).is_err() {
        return 1;
    }
    let Ok(request) = serde_json::from_str::<Request>(&line) else {
        return 1;
    };
    let (file, lang) = (request.file().to_path_buf(), request.lang());
    let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(request)));
    let failed = |e: Error| {
        let e = in_worker(e, &file);
        // the worker serves the desktop app only (the CLI reruns itself, `rerun_self`)
        say(&Message::Failed {
            code: e.error_code(),
            message: word(&e, lang),
        });
        2
    };
    match done {
        Ok(Ok(result)) => {
            say(&Message::Done { result });
            0
        }
        Ok(Err(e)) => failed(e),
        Err(_) => failed(Error::Corrupt {
            file: file.clone(),
            detail: "the reader stopped unexpectedly".into(),
        }),
    }
}

fn work(request: Request) -> Result<serde_json::Value, Error> {
    let json = |v: Result<serde_json::Value, serde_json::Error>| {
        v.map_err(|e| Error::Io(std::io::Error::other(e)))
    };
    match request {
        Request::Inspect {
            file,
            options,
            lang,
        } => {
            let found = import::inspect(
                &file,
                Input::File(file.clone()),
                &options.to_options(),
                Lang::from_tag(&lang),
            )?;
            json(serde_json::to_value(found))
        }
        Request::Import {
            db,
            file,
            options,
            replace,
            ..
        } => {
            let mut store = Store::open(&db)?;
            // progress at most every 50 ms (and each table's end): the pipe is not a log
            let last = Mutex::new(None::<Instant>);
            let progress = move |p: &Progress| {
                let mut last = last.lock().unwrap_or_else(PoisonError::into_inner);
                if p.fraction >= 1.0
                    || last.is_none_or(|t| t.elapsed() >= Duration::from_millis(50))
                {
                    *last = Some(Instant::now());
                    say(&Message::Progress {
                        progress: p.clone(),
                    });
                }
            };
            let gate_file = file.clone();
            let gate = move || {
                say(&Message::Commit);
                let mut answer = String::new();
                let _ = std::io::stdin().lock().read_line(&mut answer);
                if answer.trim() == GO {
                    Ok(())
                } else {
                    Err(Error::Cancelled {
                        file: gate_file.clone(),
                    })
                }
            };
            let control = Control {
                progress: Some(Arc::new(progress)),
                cancel: None,
                before_commit: Some(Arc::new(gate)),
            };
            let imported = import_remembering(&mut store, &file, &options, &control, replace)?;
            json(serde_json::to_value(imported))
        }
        Request::Overlaps {
            db, file, options, ..
        } => {
            let store = Store::open(&db)?;
            let opts = options.to_options();
            let found = store.overlaps(
                &file,
                Input::File(file.clone()),
                &opts,
                &Control::default(),
                opts.overlap,
            )?;
            json(serde_json::to_value(found))
        }
    }
}

// the tests of this file are Unix's (signals, non-UTF-8 names); Windows': worker/windows.rs
#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// How the worker ended, as the parent words it: each limit and any other signal with a
    /// message of its own.
    #[cfg(unix)]
    #[test]
    fn each_way_a_worker_dies_has_its_own_message() {
        use std::os::unix::process::ExitStatusExt;
        let file = Path::new("kunden.xlsx");
        // a wait status for "killed by signal N" is N itself
        let by = |signal: i32| ended(ExitStatus::from_raw(signal), file).unwrap_err();
        let cpu = by(SIGXCPU);
        assert!(
            matches!(
                cpu,
                Error::TooLarge {
                    limit: Limit::Cpu,
                    ..
                }
            ),
            "{cpu:?}"
        );
        let memory = by(SIGABRT);
        assert!(
            matches!(
                memory,
                Error::TooLarge {
                    limit: Limit::Memory,
                    ..
                }
            ),
            "{memory:?}"
        );
        let killed = by(9);
        assert!(
            matches!(killed, Error::Stopped { signal: 9, .. }),
            "{killed:?}"
        );
        let terminated = by(15);
        assert!(
            matches!(terminated, Error::Stopped { signal: 15, .. }),
            "{terminated:?}"
        );
        let disk_full = Error::Sqlite(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL),
            None,
        ));
        assert_eq!(disk_full.code(), "disk_full");
        let messages: Vec<String> = [&cpu, &memory, &killed, &terminated, &disk_full]
            .iter()
            .map(|e| e.message(Lang::En))
            .collect();
        for (i, a) in messages.iter().enumerate() {
            for b in &messages[i + 1..] {
                assert_ne!(a, b);
            }
        }
        assert!(messages[0].contains("processor time"), "{}", messages[0]);
        assert!(messages[1].contains("memory"), "{}", messages[1]);
        assert!(messages[4].contains("disk is full"), "{}", messages[4]);
        assert!(cpu.message(Lang::De).contains("Rechenzeit"));
        assert!(disk_full.message(Lang::De).contains("Datenträger ist voll"));
        // exit codes of its own are passed on; a panic is a damaged file
        assert_eq!(ended(ExitStatus::from_raw(3 << 8), file).unwrap(), 3);
        assert_eq!(
            ended(ExitStatus::from_raw(101 << 8), file)
                .unwrap_err()
                .code(),
            "corrupt_file"
        );
    }

    /// A job's paths reach the worker byte for byte, also when they are not UTF-8.
    #[cfg(unix)]
    #[test]
    fn a_job_carries_a_file_name_that_is_not_utf8() {
        use std::os::unix::ffi::OsStrExt;
        let file = PathBuf::from(std::ffi::OsStr::from_bytes(b"/tmp/Kunden-\xe4\xff.xlsx"));
        let request = Request::Import {
            db: PathBuf::from("/tmp/cs.db"),
            file: file.clone(),
            options: ImportOptions::default(),
            replace: false,
            lang: "de".into(),
        };
        let line = serde_json::to_string(&request).unwrap();
        let back: Request = serde_json::from_str(&line).unwrap();
        assert_eq!(back.file(), file.as_path());
        match back {
            Request::Import { db, .. } => assert_eq!(db, PathBuf::from("/tmp/cs.db")),
            other => panic!("{other:?}"),
        }
    }
}
