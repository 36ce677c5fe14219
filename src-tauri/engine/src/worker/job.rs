//! The desktop app's side of the worker: one job ([`import`], [`inspect`], [`overlaps`]) sent
//! to the child as a JSON line, progress and the commit handshake read back ([`serve`] is the
//! child's loop), and the cancel switch that makes "cancelled" mean "nothing imported".

use super::*;

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

// Unix only (non-UTF-8 names)
#[cfg(all(test, unix))]
mod tests {
    use super::*;

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
