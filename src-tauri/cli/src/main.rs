//! `cspulse`: the headless front end of CS Pulse (`cli.md`). Thin: parse the arguments
//! (`args`), call the engine, print the result (`print`, every text in German and English).
//! Exit codes: 0 ok, 2 unusable input, 3 already imported, 1 unexpected.

mod args;
mod exit;
mod print;
mod words;

use args::{Cli, Command, NoteAction, ProfileAction};
use clap::Parser;
use cspulse_engine::error::{Error, Lang};
use cspulse_engine::import::convert::SlashOrder;
use cspulse_engine::import::profile::Profile;
use cspulse_engine::import::{Control, Input, Options};
use cspulse_engine::store::{ProfileChoice, Store};
use cspulse_engine::{overview, worker, Kind, Month};
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut lang = cli.lang.as_deref().map(Lang::from_tag);
    if let Command::Import { file, .. } = &cli.command {
        if worker::is_worker() {
            worker::limit_self();
            cspulse_engine::store::set_mmap_bytes(0);
            // the parent explains a worker that dies; no backtrace noise for the user
            std::panic::set_hook(Box::new(|_| {}));
        } else if worker::is_workbook(file) {
            // a workbook is read by a child process with limits (the engine's `worker`)
            let db = cli.db.clone().or_else(Store::default_path);
            let existed = db.as_ref().is_some_and(|p| p.exists());
            if let Some(done) = worker::rerun_self(file) {
                return match done {
                    Ok(code) => {
                        if code != 0 && !existed {
                            remove_db(db.as_deref());
                        }
                        ExitCode::from(code)
                    }
                    Err(e) => {
                        if !existed {
                            remove_db(db.as_deref());
                        }
                        let lang = lang.unwrap_or_else(Lang::system);
                        print::error(&words::message(&e, lang));
                        ExitCode::from(exit::exit_code(&e))
                    }
                };
            }
        }
    }
    let import_file = match &cli.command {
        Command::Import { file, .. } => Some(file.clone()),
        _ => None,
    };
    // a bug must not greet the user with a stack trace: one plain line, exit 1 (every
    // database change is one transaction, so an interrupted command wrote nothing)
    // (CSPULSE_DEBUG=1 keeps Rust's panic report on stderr for developers)
    if std::env::var_os("CSPULSE_DEBUG").is_none() {
        std::panic::set_hook(Box::new(|_| {}));
    }
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(cli, &mut lang)));
    match result {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(e)) => {
            // under the worker's address-space limit, SQLite failing to map its files or
            // to allocate is the limit at work
            let e = match import_file {
                Some(file) => worker::in_worker(e, &file),
                None => e,
            };
            let lang = lang.unwrap_or_else(Lang::system);
            print::error(&words::message(&e, lang));
            ExitCode::from(exit::exit_code(&e))
        }
        Err(_) => {
            print::error(&print::internal_problem(lang.unwrap_or_else(Lang::system)));
            ExitCode::from(1)
        }
    }
}

/// Removes a database file this command created before its import failed (and its WAL):
/// a failed first import leaves no trace.
fn remove_db(path: Option<&Path>) {
    if let Some(p) = path {
        for suffix in ["", "-wal", "-shm"] {
            let mut name = p.as_os_str().to_owned();
            name.push(suffix);
            let _ = std::fs::remove_file(name);
        }
        for lock in cspulse_engine::store::lock::lock_files(p) {
            let _ = std::fs::remove_file(lock);
        }
    }
}

fn parse_month(m: Option<String>) -> Result<Option<Month>, Error> {
    m.map(|t| Month::parse(&t).ok_or(Error::BadMonth(t)))
        .transpose()
}

/// The month's numbers, or `None` after telling the user there is nothing to compute yet.
fn month_report(
    store: &Store,
    month: Option<String>,
    lang: Lang,
) -> Result<Option<overview::MonthReport>, Error> {
    let report = overview::month_report(store, parse_month(month)?)?;
    if report.is_none() {
        print::no_data(lang);
    }
    Ok(report)
}

/// Checks what can be checked without the database, so that a command that cannot work
/// writes nothing, not even a new empty database file.
fn validate(command: &Command) -> Result<(), Error> {
    match command {
        Command::Kpis { month, by, .. } => {
            parse_month(month.clone())?;
            by.as_deref()
                .map(cspulse_engine::insights::breakdown::Dim::parse)
                .transpose()
                .map(|_| ())
        }
        Command::Renewals { month, .. } => parse_month(month.clone()).map(|_| ()),
        Command::Notes { month, action, .. } => {
            parse_month(month.clone())?;
            match action {
                Some(NoteAction::Set { key, due, .. }) => {
                    cspulse_engine::store::NoteKey::parse(key)?;
                    parse_due(due.as_deref()).map(|_| ())
                }
                Some(NoteAction::Clear { key }) => {
                    cspulse_engine::store::NoteKey::parse(key).map(|_| ())
                }
                None => Ok(()),
            }
        }
        Command::Scores { month, with, .. } => {
            parse_month(month.clone())?;
            cspulse_engine::insights::with_overrides(cspulse_engine::Settings::default(), with)
                .map(|_| ())
        }
        Command::Backtest {
            month,
            horizon,
            with,
            ..
        } => {
            parse_month(month.clone())?;
            let mut s = cspulse_engine::insights::with_overrides(
                cspulse_engine::Settings::default(),
                with,
            )?;
            if let Some(h) = horizon {
                s.set("backtest.horizon", &h.to_string())?;
            }
            Ok(())
        }
        Command::Report { month, out, .. } => {
            parse_month(month.clone())?;
            let dir = out.parent().filter(|d| !d.as_os_str().is_empty());
            if dir.is_some_and(|d| !d.is_dir()) {
                return Err(Error::CannotWrite {
                    file: out.clone(),
                    reason: std::io::ErrorKind::NotFound,
                });
            }
            if out.is_dir() {
                return Err(Error::CannotWrite {
                    file: out.clone(),
                    reason: std::io::ErrorKind::IsADirectory,
                });
            }
            Ok(())
        }
        Command::Settings {
            key: Some(k),
            value: Some(v),
            ..
        } => Ok(cspulse_engine::Settings::default().set(k, v)?),
        Command::Restore { file } => cspulse_engine::store::check_backup(file).map(|_| ()),
        Command::Demo { month, .. } => parse_month(month.clone()).map(|_| ()),
        Command::Link { value: Some(v), .. } if v.trim().is_empty() => Err(Error::EmptyLinkValue),
        _ => Ok(()),
    }
}

/// The import's options from its flags (checked before the database is opened).
fn import_options(command: &Command, db_exists: bool) -> Result<Option<Options>, Error> {
    let Command::Import {
        file,
        kind,
        sheet,
        header_row,
        map,
        set,
        value,
        date_order,
        overlap,
        replace_sample,
        profile,
        ..
    } = command
    else {
        return Ok(None);
    };
    let kind = kind
        .as_ref()
        .map(|k| Kind::parse(k).ok_or(Error::BadKind(k.clone())))
        .transpose()?;
    let opts = Options {
        kind,
        sheet: sheet.clone(),
        header_row: *header_row,
        map: map.clone(),
        set: set.clone(),
        values: value.clone(),
        date_order: date_order.as_deref().map(|o| match o {
            "dmy" => SlashOrder::DayFirst,
            _ => SlashOrder::MonthFirst,
        }),
        // (clap allows only the two words)
        overlap: cspulse_engine::model::Overlap::parse(overlap).unwrap_or_default(),
        replace_sample: *replace_sample,
        ..Options::default()
    };
    // (the worker child of a workbook import was checked by its parent)
    if !worker::is_worker() {
        // on a thread with the time budget: a read that hangs ends as an error
        let (path, probe_opts) = (file.clone(), opts.clone());
        let probed = cspulse_engine::import::within_budget(file, opts.budget.time, move || {
            cspulse_engine::import::probe(&path, Input::File(path.clone()), &probe_opts)
        });
        match probed {
            Ok(_) => {}
            // what an import profile decides (the kind, the mapping) is checked by the
            // import with the profile's options: one named, or one saved in the database
            Err(
                Error::KindUncertain { .. }
                | Error::UnknownKind { .. }
                | Error::MissingRequired { .. },
            ) if profile.is_some() || db_exists => {}
            Err(e) => return Err(e),
        }
    }
    Ok(Some(opts))
}

fn run(cli: Cli, lang: &mut Option<Lang>) -> Result<(), Error> {
    validate(&cli.command)?;
    // an import's file is checked (format, sheets, headers, kinds, mapping) before the
    // database is opened
    let db_path = cli.db.clone().or_else(Store::default_path);
    let db_existed = db_path.as_ref().is_some_and(|p| p.exists());
    let import = import_options(&cli.command, db_existed)?;
    // the sample company's exports are files, not data: no database is opened
    if let Command::Demo {
        export: Some(dir),
        month,
        accounts,
        usage_rows,
    } = &cli.command
    {
        let opts = demo_options(*accounts, *usage_rows, parse_month(month.clone())?);
        let files = cspulse_engine::demo::export(&opts, dir)?;
        let lang = (*lang).unwrap_or_else(|| {
            cspulse_engine::lang::decide(None, None, cspulse_engine::lang::system_tag().as_deref())
        });
        print::demo_exported(&files, opts.last_month, lang);
        return Ok(());
    }
    let mut store = Store::open_chosen(cli.db)?;
    // the one language rule (engine `lang`): --lang, else the setting, else the system's
    let lang = match *lang {
        Some(asked) => asked,
        None => {
            let decided = cspulse_engine::lang::decide(
                None,
                Some(&store.settings()?.language),
                cspulse_engine::lang::system_tag().as_deref(),
            );
            *lang = Some(decided);
            decided
        }
    };
    match cli.command {
        Command::Import {
            file,
            replace,
            profile,
            json,
            ..
        } => {
            let opts = import.unwrap_or_default();
            // the sample company and the user's data never mix in silence
            let sample = !opts.replace_sample && store.has_demo()?;
            let imported = import_file(&mut store, &file, &opts, profile.as_deref(), replace);
            let imported = match imported {
                Ok(i) => i,
                Err(e) => {
                    drop(store);
                    if !db_existed {
                        remove_db(db_path.as_deref());
                    }
                    return Err(e);
                }
            };
            print::imported(&imported, lang, json);
            if sample {
                print::sample_kept(lang);
            }
        }
        Command::Batches { json } => print::batches(&store.batches()?, json),
        Command::Undo {
            batch_ids,
            take_back: false,
        } => {
            for batch_id in batch_ids {
                print::undone(&store.undo(batch_id)?, lang);
            }
        }
        Command::Undo {
            batch_ids,
            take_back: true,
        } => {
            for b in store.take_back(&batch_ids)? {
                print::taken_back(&b, lang);
            }
        }
        Command::Kpis {
            month,
            by: Some(by),
            json,
        } => {
            let dim = cspulse_engine::insights::breakdown::Dim::parse(&by)?;
            match cspulse_engine::insights::breakdown::from_store(
                &store,
                parse_month(month)?,
                dim,
                lang,
            )? {
                Some(b) => print::breakdown(&b, lang, json),
                None => print::no_data(lang),
            }
        }
        Command::Kpis {
            month,
            by: None,
            json,
        } => {
            if let Some(r) = month_report(&store, month, lang)? {
                print::kpis(&r, lang, json);
            }
        }
        Command::Scores { month, with, json } if !with.is_empty() => {
            match cspulse_engine::insights::preview::scores_with(
                &store,
                parse_month(month)?,
                &with,
            )? {
                Some(r) => print::scores(&r, json),
                None => print::no_data(lang),
            }
        }
        Command::Scores { month, json, .. } => {
            if let Some(r) = month_report(&store, month, lang)? {
                print::scores(&r.scores, json);
            }
        }
        Command::Notes {
            month,
            json,
            action,
        } => notes(&mut store, parse_month(month)?, action, lang, json)?,
        Command::Renewals { month, json } => {
            match cspulse_engine::insights::renewals::from_store(&store, parse_month(month)?)? {
                Some(o) => print::renewals(&o, lang, json),
                None => print::no_data(lang),
            }
        }
        Command::Backtest {
            month,
            horizon,
            with,
            compare_methods,
            json,
        } => match cspulse_engine::insights::backtest::from_store(
            &store,
            parse_month(month)?,
            horizon,
            &with,
            compare_methods,
        )? {
            Some(b) => print::backtest(&b, lang, json),
            None => print::no_data(lang),
        },
        Command::Report { month, out, json } => {
            let w = cspulse_engine::report::write_file(&store, parse_month(month)?, lang, &out)?;
            print::report_written(&w, lang, json);
        }
        Command::Settings {
            key,
            value,
            reset,
            json,
        } => settings(&mut store, key, value, reset, json)?,
        Command::Backup { file } => {
            store.backup_to(&file)?;
            print::backup_written(&file, lang);
        }
        Command::Restore { file } => {
            let safety = store.restore_from(&file)?;
            print::restored(&file, safety.as_deref(), lang);
        }
        Command::Profiles { action, json } => profiles(&mut store, action, json, lang)?,
        Command::Link {
            value,
            account_id,
            none,
            remove,
            json,
        } => match value {
            None => print::links(&store.links()?, lang, json),
            Some(v) if remove => {
                let removed = store.unlink(&v)?;
                print::link_removed(&v, removed, lang);
            }
            Some(v) if none || account_id.is_some() => {
                let l = store.link(&v, account_id.as_deref())?;
                print::link_stored(&l, lang, json);
            }
            Some(v) => {
                let now = store.resolve_value(&v)?;
                let proposals = if now.is_none() {
                    store.unmatched_proposals(&v, 5)?
                } else {
                    vec![]
                };
                print::link_proposals(&v, now.as_ref(), &proposals, lang, json);
            }
        },
        Command::Demo {
            accounts,
            usage_rows,
            ..
        } => {
            let opts = demo_options(accounts, usage_rows, None);
            let batches = cspulse_engine::demo::load(&mut store, &opts)?;
            let rows: i64 = batches.iter().map(|b| b.batch.rows_imported).sum();
            print::demo_loaded(opts.accounts, batches.len(), rows, lang);
        }
    }
    Ok(())
}

/// The sample company's options: the app's, with the benchmarks' sizes or another month.
fn demo_options(
    accounts: Option<usize>,
    usage_rows: Option<usize>,
    month: Option<Month>,
) -> cspulse_engine::demo::DemoOptions {
    let mut opts = cspulse_engine::demo::DemoOptions::default();
    if let Some(n) = accounts {
        opts.accounts = n;
    }
    opts.usage_rows = usage_rows.or(opts.usage_rows);
    if let Some(m) = month {
        opts.last_month = m;
    }
    opts
}

/// `import FILE`: with the profile named or found for the file's shape; the user's choices
/// are saved as a profile when no profile was used.
fn import_file(
    store: &mut Store,
    file: &Path,
    opts: &Options,
    profile: Option<&str>,
    replace: bool,
) -> Result<cspulse_engine::store::Imported, Error> {
    let input = || Input::File(file.to_path_buf());
    let chosen = profile.map(ProfileChoice::parse);
    let (opts, used) = store.profile_options(file, input(), opts, chosen.as_ref())?;
    let mut imported = store.import(
        file,
        input(),
        &opts,
        &Control::default(),
        replace,
        cspulse_engine::store::Origin::File,
    )?;
    // the import is committed: a profile that cannot be saved is a note, not a failure
    match store.remember_profile(file, input(), &opts, used.as_ref()) {
        Ok(saved) => imported.profile_saved = saved.map(|p| p.name),
        Err(e) => print::error(&words::message(&e, Lang::En)),
    }
    imported.profile = used.map(|p| p.name);
    Ok(imported)
}

/// `profiles [export NAME FILE | import FILE | rename OLD NEW | delete NAME]`.
fn profiles(
    store: &mut Store,
    action: Option<ProfileAction>,
    json: bool,
    lang: Lang,
) -> Result<(), Error> {
    match action {
        None => print::profiles(&store.profiles()?, json, lang),
        Some(ProfileAction::Export { name, file }) => {
            let p = store.profile(&name)?;
            std::fs::write(&file, p.to_json() + "\n").map_err(|e| Error::CannotWrite {
                file: file.clone(),
                reason: e.kind(),
            })?;
            print::profile_done(&p.name, "exported", "exportiert", lang);
        }
        Some(ProfileAction::Import { file }) => {
            let p = Profile::read(&file)?;
            store.add_profile(&p)?;
            print::profile_done(&p.name, "added", "hinzugefügt", lang);
        }
        Some(ProfileAction::Rename { old, new }) => {
            let p = store.rename_profile(&old, &new)?;
            print::profile_done(&p.name, "renamed", "umbenannt", lang);
        }
        Some(ProfileAction::Delete { name }) => {
            let p = store.delete_profile(&name)?;
            print::profile_done(&p.name, "deleted", "gelöscht", lang);
        }
    }
    Ok(())
}

/// `settings [KEY [VALUE]] [--reset]`.
fn settings(
    store: &mut Store,
    key: Option<String>,
    value: Option<String>,
    reset: bool,
    json: bool,
) -> Result<(), Error> {
    let settings = match (reset, key.as_deref(), value.as_deref()) {
        (true, _, _) => store.reset_settings()?,
        (false, Some(k), Some(v)) => store.set_setting(k, v)?,
        (false, Some(k), None) => {
            let s = store.settings()?;
            let v = s
                .get(k)
                .ok_or_else(|| cspulse_engine::settings::SettingError::UnknownKey(k.to_owned()))?;
            print::setting(&v);
            return Ok(());
        }
        (false, None, _) => store.settings()?,
    };
    print::settings(settings.entries(), json);
    Ok(())
}

/// A due date `YYYY-MM-DD`.
fn parse_due(due: Option<&str>) -> Result<Option<chrono::NaiveDate>, Error> {
    due.map(|d| {
        chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d")
            .map_err(|_| Error::BadDate(d.to_owned()))
    })
    .transpose()
}

/// `notes [--month M] [--json]`, `notes --month M set KEY TEXT`, `notes --month M clear KEY`.
fn notes(
    store: &mut Store,
    month: Option<Month>,
    action: Option<NoteAction>,
    lang: Lang,
    json: bool,
) -> Result<(), Error> {
    let Some(action) = action else {
        print::notes(&store.notes(month)?, lang, json);
        return Ok(());
    };
    let month = match month {
        Some(m) => m,
        None => match store.latest_month()? {
            Some(m) => m,
            None => return Err(Error::NothingToReport),
        },
    };
    match action {
        NoteAction::Set {
            key,
            text,
            owner,
            due,
        } => {
            let key = cspulse_engine::store::NoteKey::parse(&key)?;
            store.set_note(
                month,
                &key,
                &text,
                owner.as_deref(),
                parse_due(due.as_deref())?,
            )?;
        }
        NoteAction::Clear { key } => {
            store.clear_note(month, &cspulse_engine::store::NoteKey::parse(&key)?)?;
        }
    }
    print::notes(&store.notes(Some(month))?, lang, json);
    Ok(())
}
