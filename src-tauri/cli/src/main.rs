//! `cspulse`: the headless front end of CS Pulse (`cli.md`). Thin: parse arguments, call
//! the engine, print. Exit codes: 0 ok, 2 unusable input, 3 already imported, 1 unexpected.

use clap::{Parser, Subcommand};
use cspulse_engine::error::{Error, Lang};
use cspulse_engine::import::convert::SlashOrder;
use cspulse_engine::import::{Control, Input, Options};
use cspulse_engine::kpi::Status;
use cspulse_engine::store::Store;
use cspulse_engine::{overview, Kind, Month};
use serde_json::{json, Map, Value};
use std::path::PathBuf;
use std::process::ExitCode;

use cspulse_engine::worker;

/// `println!` that stops quietly when the reader went away (`cspulse kpis | head`)
/// instead of panicking on the broken pipe.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

#[derive(Parser)]
#[command(
    name = "cspulse",
    version,
    about = "CS Pulse: customer-success KPIs, CS score and board report from your exports"
)]
struct Cli {
    /// Database file (default: $CSPULSE_DB, else the desktop app's database)
    #[arg(long, global = true, env = "CSPULSE_DB")]
    db: Option<PathBuf>,
    /// Language of messages: de or en (default: the settings, else the system language)
    #[arg(long, global = true)]
    lang: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Import one file (all sheets that hold data unless --sheet)
    Import {
        file: PathBuf,
        /// accounts, revenue, renewals, surveys, tickets, usage, touchpoints, campaigns, costs, leads, orders
        #[arg(long)]
        kind: Option<String>,
        #[arg(long)]
        sheet: Option<String>,
        /// Row number of the header row, as Excel shows it
        #[arg(long)]
        header_row: Option<u32>,
        /// FIELD=COLUMN, e.g. account_id=Kundennummer (repeatable)
        #[arg(long = "map")]
        map: Vec<String>,
        /// How to read dates such as 03/04/2026 when a column's values do not tell:
        /// dmy (day first) or mdy (month first); default: the file's locale
        #[arg(long, value_parser = ["dmy", "mdy"])]
        date_order: Option<String>,
        /// Replace an earlier import of the same file
        #[arg(long)]
        replace: bool,
        #[arg(long)]
        json: bool,
    },
    /// List import batches with their lineage
    Batches {
        #[arg(long)]
        json: bool,
    },
    /// Undo import batches: their rows disappear from every number at once and are kept
    /// until the next import, so that `undo --take-back` can bring them back
    Undo {
        #[arg(required = true)]
        batch_ids: Vec<i64>,
        /// Bring undone batches back (possible until the next import)
        #[arg(long)]
        take_back: bool,
    },
    /// All KPIs for a month (default: the latest month with data)
    Kpis {
        #[arg(long)]
        month: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Per-account CS scores and the company CS score
    Scores {
        #[arg(long)]
        month: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Write the formatted Excel board report (in the language of --lang)
    Report {
        /// Month to report on, YYYY-MM (default: the latest month with data)
        #[arg(long)]
        month: Option<String>,
        /// The workbook to write, e.g. board-2026-10.xlsx
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Show or change settings (weights, targets, thresholds, gross margin, lifetime, language)
    Settings {
        key: Option<String>,
        value: Option<String>,
        /// Put every setting back to its default
        #[arg(long, conflicts_with_all = ["key", "value"])]
        reset: bool,
        #[arg(long)]
        json: bool,
    },
    /// Write a backup copy of the whole database to FILE (safe while the app is open)
    Backup { file: PathBuf },
    /// Replace all data with the backup in FILE (the current data is kept as a safety copy)
    Restore { file: PathBuf },
    /// Load the embedded demo company (what the app shows on first start)
    Demo {
        /// Number of accounts (benchmarks use 10000 or more)
        #[arg(long)]
        accounts: Option<usize>,
        /// Target number of product-usage rows
        #[arg(long)]
        usage_rows: Option<usize>,
    },
}

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
                        let lang = lang.unwrap_or_else(system_lang);
                        eprintln!("cspulse: {}", e.message(lang));
                        ExitCode::from(e.exit_code() as u8)
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
            let lang = lang.unwrap_or_else(system_lang);
            eprintln!("cspulse: {}", e.message(lang));
            ExitCode::from(e.exit_code() as u8)
        }
        Err(_) => {
            eprintln!(
                "cspulse: {}",
                lang.unwrap_or_else(system_lang).pick(
                    "CS Pulse ran into an internal problem; nothing was changed. Please report it.".into(),
                    "CS Pulse hat ein internes Problem; es wurde nichts geändert. Bitte melden Sie es.".into(),
                )
            );
            ExitCode::from(1)
        }
    }
}

/// Removes a database file this command created before its import failed (and its WAL):
/// a failed first import leaves no trace.
fn remove_db(path: Option<&std::path::Path>) {
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

fn system_lang() -> Lang {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
        .map_or(Lang::En, |v| Lang::from_tag(&v))
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
        out!(
            "{}",
            lang.pick(
                "No data yet: import a file first.".into(),
                "Noch keine Daten: importieren Sie zuerst eine Datei.".into()
            )
        );
    }
    Ok(report)
}

fn print_json(v: &impl serde::Serialize) {
    out!(
        "{}",
        serde_json::to_string_pretty(v).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    );
}

fn fmt_value(v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), |x| format!("{x:.2}"))
}

/// Checks what can be checked without the database, so that a command that cannot work
/// writes nothing, not even a new empty database file.
fn validate(command: &Command) -> Result<(), Error> {
    match command {
        Command::Kpis { month, .. } | Command::Scores { month, .. } => {
            parse_month(month.clone()).map(|_| ())
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
        _ => Ok(()),
    }
}

fn run(cli: Cli, lang: &mut Option<Lang>) -> Result<(), Error> {
    validate(&cli.command)?;
    // an import's file is checked (format, sheets, headers, kinds, mapping) before the
    // database is opened
    let import = match &cli.command {
        Command::Import {
            file,
            kind,
            sheet,
            header_row,
            map,
            date_order,
            ..
        } => {
            let kind = kind
                .as_ref()
                .map(|k| Kind::parse(k).ok_or(Error::BadKind(k.clone())))
                .transpose()?;
            let opts = Options {
                kind,
                sheet: sheet.clone(),
                header_row: *header_row,
                map: map.clone(),
                date_order: date_order.as_deref().map(|o| match o {
                    "dmy" => SlashOrder::DayFirst,
                    _ => SlashOrder::MonthFirst,
                }),
                ..Options::default()
            };
            // (the worker child of a workbook import was checked by its parent)
            if !worker::is_worker() {
                // on a thread with the time budget: a read that hangs ends as an error
                let (path, probe_opts) = (file.clone(), opts.clone());
                cspulse_engine::import::within_budget(file, opts.budget.time, move || {
                    cspulse_engine::import::probe(&path, Input::File(path.clone()), &probe_opts)
                })?;
            }
            Some(opts)
        }
        _ => None,
    };
    let db_path = cli.db.clone().or_else(Store::default_path);
    let db_existed = db_path.as_ref().is_some_and(|p| p.exists());
    let mut store = Store::open_chosen(cli.db)?;
    if lang.is_none() {
        let configured = store.settings()?.language;
        if configured != "auto" {
            *lang = Some(Lang::from_tag(&configured));
        }
    }
    let lang = lang.unwrap_or_else(system_lang);
    match cli.command {
        Command::Import {
            file,
            replace,
            json,
            ..
        } => {
            let opts = import.unwrap_or_default();
            let imported = store.import(
                &file,
                Input::File(file.clone()),
                &opts,
                &Control::default(),
                replace,
                cspulse_engine::store::Source::File,
            );
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
            let (batches, skipped) = (imported.batches, imported.skipped_sheets);
            if json {
                print_json(&json!({ "batches": batches, "skipped_sheets": skipped }));
            } else {
                for s in &skipped {
                    let (en, de) = match s.reason.as_str() {
                        "no_table" => (
                            "holds no table".to_owned(),
                            "enthält keine Tabelle".to_owned(),
                        ),
                        "hidden" => ("is hidden".to_owned(), "ist ausgeblendet".to_owned()),
                        "not_a_worksheet" => (
                            "is a chart sheet".to_owned(),
                            "ist ein Diagrammblatt".to_owned(),
                        ),
                        _ => (
                            format!("not recognised from its headers ({})", s.headers.join(", ")),
                            format!(
                                "an den Überschriften nicht erkannt ({})",
                                s.headers.join(", ")
                            ),
                        ),
                    };
                    out!(
                        "{}",
                        lang.pick(
                            format!("sheet “{}” skipped: {en}; import it with --sheet and --kind", s.sheet),
                            format!("Blatt „{}“ übersprungen: {de}; importieren Sie es mit --sheet und --kind", s.sheet),
                        )
                    );
                }
                for b in &batches {
                    let sheet = b
                        .batch
                        .sheet
                        .as_deref()
                        .map(|s| format!(" [{s}]"))
                        .unwrap_or_default();
                    out!(
                        "{}",
                        lang.pick(
                            format!(
                                "batch {}: {}{} as {}: {} rows imported, {} skipped",
                                b.batch.batch_id,
                                b.batch.file,
                                sheet,
                                b.batch.kind,
                                b.batch.rows_imported,
                                b.batch.rows_skipped
                            ),
                            format!(
                                "Import {}: {}{} als {}: {} Zeilen importiert, {} übersprungen",
                                b.batch.batch_id,
                                b.batch.file,
                                sheet,
                                b.batch.kind,
                                b.batch.rows_imported,
                                b.batch.rows_skipped
                            ),
                        )
                    );
                    for i in &b.issues {
                        let reason = if lang == Lang::De {
                            &i.reason_de
                        } else {
                            &i.reason
                        };
                        let sheet = i
                            .sheet
                            .as_deref()
                            .map(|s| format!("{s}, "))
                            .unwrap_or_default();
                        out!(
                            "  {sheet}{} {}, {} “{}”: {reason}",
                            lang.pick("row".into(), "Zeile".into()),
                            i.row,
                            i.column,
                            i.value
                        );
                    }
                    if b.issues_not_listed > 0 {
                        out!(
                            "  {}",
                            lang.pick(
                                format!("… and {} more issues", b.issues_not_listed),
                                format!("… und {} weitere Probleme", b.issues_not_listed),
                            )
                        );
                    }
                    for a in &b.assumptions {
                        let (en, de) = if a.assumed == "day_first" {
                            ("day first", "Tag zuerst")
                        } else {
                            ("month first", "Monat zuerst")
                        };
                        out!(
                            "  {}",
                            lang.pick(
                                format!("column “{}”: dates such as {} fit both orders; read as {en}. If that is wrong, import again with --replace --date-order {}", a.column, a.example, if a.assumed == "day_first" { "mdy" } else { "dmy" }),
                                format!("Spalte „{}“: Datumsangaben wie {} passen zu beiden Reihenfolgen; gelesen als {de}. Falls das falsch ist, importieren Sie erneut mit --replace --date-order {}", a.column, a.example, if a.assumed == "day_first" { "mdy" } else { "dmy" }),
                            )
                        );
                    }
                }
            }
        }
        Command::Batches { json } => {
            let batches = store.batches()?;
            if json {
                print_json(&batches);
            } else {
                for b in batches {
                    out!(
                        "{:>4}  {:<12} {:>8} rows {:>5} skipped  {}{}  {}",
                        b.batch_id,
                        b.kind.id(),
                        b.rows_imported,
                        b.rows_skipped,
                        b.file,
                        b.sheet.map(|s| format!(" [{s}]")).unwrap_or_default(),
                        b.imported_at
                    );
                }
            }
        }
        Command::Undo {
            batch_ids,
            take_back: false,
        } => {
            for batch_id in batch_ids {
                let b = store.undo(batch_id)?;
                out!(
                    "{}",
                    lang.pick(
                        format!(
                            "undid batch {id} ({}, {} rows); until the next import, `cspulse undo --take-back {id}` brings it back",
                            b.file, b.rows_imported, id = b.batch_id
                        ),
                        format!(
                            "Import {id} rückgängig gemacht ({}, {} Zeilen); bis zum nächsten Import holt `cspulse undo --take-back {id}` ihn zurück",
                            b.file, b.rows_imported, id = b.batch_id
                        ),
                    )
                );
            }
        }
        Command::Undo {
            batch_ids,
            take_back: true,
        } => {
            for b in store.take_back(&batch_ids)? {
                out!(
                    "{}",
                    lang.pick(
                        format!(
                            "took back batch {} ({}, {} rows)",
                            b.batch_id, b.file, b.rows_imported
                        ),
                        format!(
                            "Import {} zurückgeholt ({}, {} Zeilen)",
                            b.batch_id, b.file, b.rows_imported
                        ),
                    )
                );
            }
        }
        Command::Kpis { month, json } => {
            let Some(r) = month_report(&store, month, lang)? else {
                return Ok(());
            };
            if json {
                let mut kpis = Map::new();
                for k in &r.kpis.kpis {
                    let mut o = json!({ "value": k.value, "status": k.status });
                    if !k.needs.is_empty() {
                        o["needs"] = json!(k.needs);
                    }
                    kpis.insert(k.id.clone(), o);
                }
                print_json(&json!({ "month": r.month, "kpis": Value::Object(kpis) }));
            } else {
                out!("{}", r.month);
                for k in &r.kpis.kpis {
                    let note = match k.status {
                        Status::Ok => String::new(),
                        Status::Undefined => lang.pick(
                            "undefined (division by zero)".into(),
                            "nicht definiert (Division durch null)".into(),
                        ),
                        Status::NoData => lang.pick(
                            format!("needs {}", k.needs.join(", ")),
                            format!("benötigt {}", k.needs.join(", ")),
                        ),
                    };
                    out!("{:<28} {:>16}  {note}", k.id, fmt_value(k.value));
                }
            }
        }
        Command::Scores { month, json } => {
            let Some(r) = month_report(&store, month, lang)? else {
                return Ok(());
            };
            if json {
                print_json(&r.scores);
            } else {
                let s = &r.scores;
                out!(
                    "{}  CS score {}  (unweighted {})",
                    r.month,
                    fmt_value(s.cs_score),
                    fmt_value(s.cs_score_unweighted)
                );
                out!(
                    "green {}  yellow {}  red {}",
                    s.split.green,
                    s.split.yellow,
                    s.split.red
                );
                for a in &s.accounts {
                    let light = |l: Option<cspulse_engine::score::Light>| {
                        l.map_or("-".to_owned(), |l| format!("{l:?}").to_lowercase())
                    };
                    out!(
                        "{:<12} {:<32} {:>7} {:<7} (was {})",
                        a.account_id,
                        a.name.as_deref().unwrap_or(""),
                        fmt_value(a.score),
                        light(a.light),
                        light(a.previous_light)
                    );
                }
            }
        }
        Command::Report { month, out, json } => {
            let w = cspulse_engine::report::write_file(&store, parse_month(month)?, lang, &out)?;
            if json {
                print_json(&w);
            } else {
                out!(
                    "{}",
                    lang.pick(
                        format!(
                            "board report for {} written to {} ({} sheets, {} accounts, {} KB)",
                            w.month,
                            w.file,
                            w.sheets.len(),
                            w.accounts,
                            w.bytes.div_ceil(1024)
                        ),
                        format!(
                            "Bericht für {} nach {} geschrieben ({} Blätter, {} Kunden, {} KB)",
                            w.month,
                            w.file,
                            w.sheets.len(),
                            w.accounts,
                            w.bytes.div_ceil(1024)
                        ),
                    )
                );
            }
        }
        Command::Settings {
            key,
            value,
            reset,
            json,
        } => {
            let settings = match (reset, key.as_deref(), value.as_deref()) {
                (true, _, _) => store.reset_settings()?,
                (false, Some(k), Some(v)) => store.set_setting(k, v)?,
                (false, Some(k), None) => {
                    let s = store.settings()?;
                    let v = s.get(k).ok_or_else(|| {
                        cspulse_engine::settings::SettingError::UnknownKey(k.to_owned())
                    })?;
                    out!("{v}");
                    return Ok(());
                }
                (false, None, _) => store.settings()?,
            };
            let entries = settings.entries();
            if json {
                print_json(
                    &entries
                        .into_iter()
                        .map(|(k, v)| (k, Value::String(v)))
                        .collect::<Map<_, _>>(),
                );
            } else {
                for (k, v) in entries {
                    out!("{k:<22} {v}");
                }
            }
        }
        Command::Backup { file } => {
            store.backup_to(&file)?;
            out!(
                "{}",
                lang.pick(
                    format!("backup written to {}", file.display()),
                    format!("Sicherung geschrieben: {}", file.display()),
                )
            );
        }
        Command::Restore { file } => {
            let safety = store.restore_from(&file)?;
            out!(
                "{}",
                lang.pick(
                    format!("restored from {}", file.display()),
                    format!("Wiederhergestellt aus {}", file.display()),
                )
            );
            if let Some(p) = safety {
                out!(
                    "{}",
                    lang.pick(
                        format!("the data before the restore is kept in {}", p.display()),
                        format!(
                            "Die Daten vor der Wiederherstellung liegen in {}",
                            p.display()
                        ),
                    )
                );
            }
        }
        Command::Demo {
            accounts,
            usage_rows,
        } => {
            let mut opts = cspulse_engine::demo::DemoOptions::default();
            if let Some(n) = accounts {
                opts.accounts = n;
            }
            opts.usage_rows = usage_rows.or(opts.usage_rows);
            let batches = cspulse_engine::demo::load(&mut store, &opts)?;
            let rows: i64 = batches.iter().map(|b| b.batch.rows_imported).sum();
            out!(
                "{}",
                lang.pick(
                    format!(
                        "demo company loaded: {} accounts, {} datasets, {rows} rows",
                        opts.accounts,
                        batches.len()
                    ),
                    format!(
                        "Demo-Firma geladen: {} Kunden, {} Datensätze, {rows} Zeilen",
                        opts.accounts,
                        batches.len()
                    ),
                )
            );
        }
    }
    Ok(())
}
