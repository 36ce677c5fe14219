//! One error type for the engine. Every variant says when it happens, carries the position
//! it refers to, has a stable machine `code` (the UI switches on it) and a plain-language
//! message in German and English for people who have never seen a stack trace.

use std::path::PathBuf;

/// The language of user-facing messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    De,
    #[default]
    En,
}

impl Lang {
    /// From a BCP 47 tag or setting (`de`, `de-DE`, `en_US.UTF-8`); anything else is English.
    pub fn from_tag(tag: &str) -> Lang {
        if tag.trim().to_lowercase().starts_with("de") {
            Lang::De
        } else {
            Lang::En
        }
    }
    pub fn pick(self, en: String, de: String) -> String {
        match self {
            Lang::De => de,
            Lang::En => en,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file cannot be opened or read (missing, no permission, a folder).
    #[error("cannot read {file}: {reason:?}")]
    FileUnreadable {
        file: PathBuf,
        reason: std::io::ErrorKind,
    },
    /// The file is neither CSV/text nor a workbook format we read.
    #[error("unsupported file type: {file}")]
    UnsupportedFormat { file: PathBuf },
    /// The workbook or text is damaged, truncated or not what its name says.
    #[error("damaged file {file}: {detail}")]
    Corrupt { file: PathBuf, detail: String },
    /// Excel's lock file (`~$Book.xlsx`), written while the real workbook is open.
    #[error("{file} is an Excel lock file")]
    LockFile { file: PathBuf },
    /// A password-protected workbook.
    #[error("{file} is encrypted")]
    Encrypted { file: PathBuf },
    /// The file goes beyond one of the import's budgets (see `import::Budget`).
    #[error("{file} is too large ({limit:?})")]
    TooLarge { file: PathBuf, limit: Limit },
    /// The workbook's only tables are on hidden sheets (hidden sheets are not imported
    /// unless chosen).
    #[error("{file}: only hidden sheets hold tables")]
    OnlyHiddenSheets { file: PathBuf, sheets: Vec<String> },
    /// The user cancelled the import; nothing was written.
    #[error("import cancelled")]
    Cancelled { file: PathBuf },
    /// The file (or the chosen sheet) holds no table at all.
    #[error("no data in {file}")]
    Empty {
        file: PathBuf,
        sheet: Option<String>,
    },
    /// `--sheet NAME` names no sheet of the workbook.
    #[error("no sheet named {sheet} in {file}")]
    NoSuchSheet {
        file: PathBuf,
        sheet: String,
        sheets: Vec<String>,
    },
    /// The headers match none of the eleven dataset kinds well enough.
    #[error("cannot tell what kind of data {file} holds")]
    UnknownKind {
        file: PathBuf,
        sheet: Option<String>,
        headers: Vec<String>,
    },
    /// The headers fit a kind only through generic headers (`Id`, `Date`, `Amount`, …), or
    /// the first rows' values do not read as that kind, or month columns would be dropped:
    /// never imported as a guess (`sources.md` §2). `candidates`: the kinds it could be,
    /// likeliest first.
    #[error("{file}: the kind of data is not clear ({candidates:?})")]
    KindUncertain {
        file: PathBuf,
        sheet: Option<String>,
        candidates: Vec<crate::Kind>,
        headers: Vec<String>,
    },
    /// `--overlap add` for an accounts list: accounts are one record per customer.
    #[error("{file}: accounts cannot be added as additional records")]
    OverlapAddAccounts { file: PathBuf },
    /// No import profile of that name.
    #[error("no import profile {0}")]
    NoSuchProfile(String),
    /// An import profile of that name exists already.
    #[error("an import profile {0} exists already")]
    ProfileExists(String),
    /// A file that is not an import profile CS Pulse can use.
    #[error("{file} is not an import profile: {detail}")]
    BadProfile { file: PathBuf, detail: String },
    /// `--kind` names no dataset kind.
    #[error("unknown kind {0}")]
    BadKind(String),
    /// A required field of the kind has no column.
    #[error("{file}: no column for the required field(s) {fields:?} of {kind}")]
    MissingRequired {
        file: PathBuf,
        sheet: Option<String>,
        kind: String,
        fields: Vec<String>,
    },
    /// `--map FIELD=COLUMN` names an unknown field or a column the file does not have.
    #[error("bad mapping {0}")]
    BadMapping(String, MappingProblem),
    /// The same file (same SHA-256) was imported before; `--replace` swaps the batch.
    #[error("{file} was already imported (batch {batch_id})")]
    AlreadyImported { file: PathBuf, batch_id: i64 },
    /// `undo N` for a batch that does not exist.
    #[error("no import batch {0}")]
    NoSuchBatch(i64),
    /// A take-back of an undone batch whose rows were removed since (an import committed,
    /// or the undone batches were purged).
    #[error("import batch {0} can no longer be taken back")]
    UndoGone(i64),
    /// The path names something that is not a regular file (a pipe, a device, a socket):
    /// refused before it is opened, as opening a pipe waits for a writer.
    #[error("{file} is not a regular file")]
    NotAFile { file: PathBuf },
    /// A reader process was ended by a signal the import did not send itself (other than
    /// the memory and processor-time limits, which are [`Error::TooLarge`]).
    #[error("the import of {file} was stopped by signal {signal}")]
    Stopped { file: PathBuf, signal: i32 },
    /// A month argument is not `YYYY-MM`.
    #[error("not a month: {0}")]
    BadMonth(String),
    /// No account with this id is active in the month asked for.
    #[error("unknown account: {0}")]
    UnknownAccount(String),
    /// `cspulse link VALUE ACCOUNT_ID` with an account id no imported account has.
    #[error("no account with the id {0}")]
    NoSuchAccount(String),
    /// `cspulse link` with an empty value.
    #[error("nothing to link: the value is empty")]
    EmptyLinkValue,
    /// A breakdown dimension that is not segment, owner, plan or region.
    #[error("not a breakdown dimension: {0}")]
    BadDimension(String),
    /// A breakdown dimension whose accounts have fewer than two groups.
    #[error("fewer than two groups by {dim}")]
    DimensionNotOffered { dim: String, groups: usize },
    /// A `--with` that is not KEY=VALUE.
    #[error("not KEY=VALUE: {0}")]
    BadOverride(String),
    /// A date argument is not `YYYY-MM-DD`.
    #[error("not a date: {0}")]
    BadDate(String),
    /// A note key that is not summary, kpi:ID or account:ID.
    #[error("not a note key: {0}")]
    BadNoteKey(String),
    /// A setting key or value was rejected.
    #[error(transparent)]
    Setting(#[from] crate::settings::SettingError),
    /// The database file is not a CS Pulse database or is from a newer version.
    #[error("database {path}: {detail}")]
    Database { path: PathBuf, detail: String },
    /// A report was asked for, but the database holds no data at all.
    #[error("no data to report on")]
    NothingToReport,
    /// The database was written by a newer CS Pulse (its schema version is above ours); it
    /// is left exactly as it is.
    #[error("database {path} has schema {version}, this version knows {latest}")]
    DatabaseTooNew {
        path: PathBuf,
        version: i64,
        latest: i64,
    },
    /// `restore FILE` (or the app's restore) was given a file that cannot be restored.
    #[error("cannot restore from {file}: {problem:?}")]
    BadBackup {
        file: PathBuf,
        problem: BackupProblem,
    },
    /// A restore was asked for while an import of the same database runs (in the app, its
    /// worker or the CLI).
    #[error("an import is running")]
    ImportRunning,
    /// A restore failed after the data it was to replace had been copied aside: the
    /// message is `source`'s, with where that copy is.
    #[error("{source} (the data from before the restore is kept in {safety})")]
    RestoreFailed { safety: PathBuf, source: Box<Error> },
    /// A file CS Pulse was asked to write (a report, a backup) cannot be written there
    /// (missing folder, no permission).
    #[error("cannot write {file}: {reason:?}")]
    CannotWrite {
        file: PathBuf,
        reason: std::io::ErrorKind,
    },
    /// The workbook writer failed (not the user's doing).
    #[error("report error: {0}")]
    Report(String),
    /// The data browser was asked for a column its dataset does not have.
    #[error("{kind} has no column {column}")]
    UnknownColumn { kind: crate::Kind, column: String },
    /// A data-browser filter cannot be applied (wrong operation for the column, or a value
    /// that is not a number, date or yes/no).
    #[error("bad filter on {column}: {problem:?}")]
    BadFilter {
        column: String,
        problem: FilterProblem,
    },
    /// A data-browser view was opened before the data changed (import, undo, restore): its
    /// rows are no longer what it lists. The UI opens it again.
    #[error("the view is out of date")]
    ViewStale,
    /// A data-browser view that was closed (or set aside for newer views).
    #[error("no such view")]
    NoSuchView,
    /// Anything SQLite reports that is not the user's doing.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// Anything the OS reports that is not the user's doing.
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
}

/// Which budget of an import a file went beyond.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    Rows,
    Columns,
    Cells,
    CellText,
    /// The workbook's parts would inflate beyond the budget (a zip bomb, or a giant file).
    Inflated,
    Time,
    /// The reader needed more memory than the import may use (CLI child process).
    Memory,
    /// The reader used more processor time than the import may (worker process: SIGXCPU).
    Cpu,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MappingProblem {
    Syntax,
    UnknownField,
    UnknownColumn,
    /// `--set FIELD=VALUE` with a value the field cannot take (`channel=fax`).
    BadValue,
}

/// Why a data-browser filter cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilterProblem {
    /// The operation does not apply to the column's type (e.g. "at least" on a text column).
    NotForColumn {
        op: &'static str,
    },
    /// The operation compares with a value, but none was given.
    NeedsValue,
    NotANumber(String),
    NotADate(String),
    NotABool(String),
}

/// Why a file cannot be restored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BackupProblem {
    /// Not an SQLite database at all (a spreadsheet, an empty file, ...).
    NotADatabase,
    /// An SQLite database, but not one of CS Pulse.
    NotCsPulse,
    /// `PRAGMA integrity_check` found damage (its first findings).
    Damaged(String),
    /// Written by a newer CS Pulse.
    Newer { version: i64, latest: i64 },
    /// The file is the database itself.
    IsTheDatabase,
    /// A CS Pulse database by its tables' names, but its schema is not the one its version
    /// of CS Pulse writes (other columns, triggers, views, indexes …): what differs first.
    Schema {
        /// `table`, `index`, `view` or `trigger` (SQLite's `sqlite_schema.type`).
        object: String,
        name: String,
        diff: SchemaDiff,
    },
}

/// How a backup's schema object differs from what CS Pulse writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaDiff {
    /// CS Pulse never makes it (a trigger, a view, another table or index).
    Unexpected,
    /// CS Pulse makes it, the file lacks it.
    Missing,
    /// Defined otherwise (other columns, types, constraints, conditions).
    Changed,
}

/// `(en, de)`: what differs in a backup's schema, as part of a sentence.
fn schema_diff_words(object: &str, name: &str, diff: SchemaDiff) -> (String, String) {
    // German needs the object's gender
    let (en, de, masculine) = match object {
        "table" => ("table", "Tabelle", false),
        "view" => ("view", "Sicht", false),
        "trigger" => ("trigger", "Trigger", true),
        "index" => ("index", "Index", true),
        other => (other, other, false),
    };
    match diff {
        SchemaDiff::Unexpected => (
            format!("it has a {en} “{name}” that CS Pulse never creates"),
            if masculine {
                format!("sie enthält einen {de} „{name}“, den CS Pulse nie anlegt")
            } else {
                format!("sie enthält eine {de} „{name}“, die CS Pulse nie anlegt")
            },
        ),
        SchemaDiff::Missing => (
            format!("its {en} “{name}” is missing"),
            format!(
                "ihr fehlt {} {de} „{name}“",
                if masculine { "der" } else { "die" }
            ),
        ),
        SchemaDiff::Changed => (
            format!("its {en} “{name}” is defined differently (other columns, types or rules)"),
            format!(
                "{} {de} „{name}“ ist anders definiert (andere Spalten, Typen oder Regeln)",
                if masculine { "der" } else { "die" }
            ),
        ),
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A file as messages name it: its file name.
fn name(p: &std::path::Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string())
}

/// A kind of data as a user names it.
pub fn kind_name(kind: crate::Kind, lang: Lang) -> &'static str {
    use crate::Kind::*;
    let (en, de) = match kind {
        Accounts => ("accounts", "Kunden"),
        Revenue => ("revenue", "Umsatz"),
        Renewals => ("renewals", "Verlängerungen"),
        Surveys => ("survey responses", "Umfrageantworten"),
        Tickets => ("support tickets", "Support-Tickets"),
        Usage => ("product usage", "Produktnutzung"),
        Touchpoints => ("touchpoints", "Kundenkontakte"),
        Campaigns => ("campaigns", "Kampagnen"),
        Costs => ("costs", "Kosten"),
        Leads => ("leads", "Leads"),
        Orders => ("orders", "Bestellungen"),
    };
    if lang == Lang::De {
        de
    } else {
        en
    }
}

/// `revenue (--kind revenue) or accounts (--kind accounts)`, in the user's words.
pub fn kind_list(kinds: &[crate::Kind], lang: Lang) -> String {
    let words: Vec<String> = kinds
        .iter()
        .map(|k| format!("{} ({})", kind_name(*k, lang), k.id()))
        .collect();
    let or = if lang == Lang::De { " oder " } else { " or " };
    match words.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{}{or}{last}", rest.join(", ")),
    }
}

/// `revenue or accounts`, in the user's words (no command-line option).
fn kind_names(kinds: &[crate::Kind], lang: Lang) -> String {
    let words: Vec<&str> = kinds.iter().map(|k| kind_name(*k, lang)).collect();
    let or = if lang == Lang::De { " oder " } else { " or " };
    match words.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{}{or}{last}", rest.join(", ")),
    }
}

/// `, sheet “NAME”` after a file's name in a message, or nothing.
fn sheet_part(sheet: &Option<String>, lang: Lang) -> String {
    match (sheet, lang) {
        (Some(s), Lang::De) => format!(", Blatt „{s}“"),
        (Some(s), Lang::En) => format!(", sheet “{s}”"),
        (None, _) => String::new(),
    }
}

impl Error {
    /// Stable machine code; the UI and scripts switch on it, never on the message.
    pub fn code(&self) -> &'static str {
        match self {
            Error::FileUnreadable { .. } => "file_unreadable",
            Error::UnsupportedFormat { .. } => "unsupported_format",
            Error::Corrupt { .. } => "corrupt_file",
            Error::LockFile { .. } => "lock_file",
            Error::Encrypted { .. } => "encrypted_file",
            Error::TooLarge { .. } => "file_too_large",
            Error::Cancelled { .. } => "cancelled",
            Error::OnlyHiddenSheets { .. } => "only_hidden_sheets",
            Error::Empty { .. } => "empty_file",
            Error::NoSuchSheet { .. } => "no_such_sheet",
            Error::UnknownKind { .. } => "unknown_kind",
            Error::BadKind(_) => "bad_kind",
            Error::KindUncertain { .. } => "kind_uncertain",
            Error::OverlapAddAccounts { .. } => "overlap_add_accounts",
            Error::NoSuchProfile(_) => "no_such_profile",
            Error::ProfileExists(_) => "profile_exists",
            Error::BadProfile { .. } => "bad_profile",
            Error::MissingRequired { .. } => "missing_required_field",
            Error::BadMapping(..) => "bad_mapping",
            Error::AlreadyImported { .. } => "already_imported",
            Error::NoSuchBatch(_) => "no_such_batch",
            Error::UndoGone(_) => "undo_gone",
            Error::ImportRunning => "import_running",
            Error::NotAFile { .. } => "not_a_file",
            Error::Stopped { .. } => "import_stopped",
            Error::RestoreFailed { source, .. } => source.code(),
            Error::BadMonth(_) => "bad_month",
            Error::UnknownAccount(_) => "unknown_account",
            Error::NoSuchAccount(_) => "no_such_account",
            Error::EmptyLinkValue => "empty_link_value",
            Error::BadDimension(_) => "bad_dimension",
            Error::DimensionNotOffered { .. } => "dimension_not_offered",
            Error::BadOverride(_) => "bad_override",
            Error::BadNoteKey(_) => "bad_note_key",
            Error::BadDate(_) => "bad_date",
            Error::Setting(_) => "bad_setting",
            Error::Database { .. } => "database_unusable",
            Error::NothingToReport => "nothing_to_report",
            Error::CannotWrite { .. } => "cannot_write",
            Error::Report(_) => "report_error",
            Error::DatabaseTooNew { .. } => "database_too_new",
            Error::BadBackup { .. } => "bad_backup",
            Error::UnknownColumn { .. } => "unknown_column",
            Error::BadFilter { .. } => "bad_filter",
            Error::ViewStale => "view_stale",
            Error::NoSuchView => "no_such_view",
            Error::Sqlite(e) if is_disk_full(e) => "disk_full",
            Error::Sqlite(_) => "database_error",
            Error::Io(_) => "io_error",
        }
    }

    /// The message for the desktop app: [`Error::message`], except where that names a
    /// command-line option or command, which the app words as what to do in its windows
    /// (the same facts; the code stays the same).
    pub fn app_message(&self, lang: Lang) -> String {
        if let Error::RestoreFailed { safety, source } = self {
            return format!(
                "{} {}",
                source.app_message(lang),
                kept_before_restore(safety, lang)
            );
        }
        app_wording(self, lang).unwrap_or_else(|| self.message(lang))
    }

    /// One or two plain sentences: what happened and what to do.
    pub fn message(&self, lang: Lang) -> String {
        use Error::*;
        match self {
            FileUnreadable { file, reason } => {
                use std::io::ErrorKind as K;
                match reason {
                    K::NotFound => lang.pick(
                        format!("The file {} does not exist. Check the name and the folder.", file.display()),
                        format!("Die Datei {} existiert nicht. Prüfen Sie den Namen und den Ordner.", file.display()),
                    ),
                    K::PermissionDenied => lang.pick(
                        format!("You have no permission to read {}. Copy it to a folder of your own and try again.", name(file)),
                        format!("Sie haben keine Berechtigung, {} zu lesen. Kopieren Sie die Datei in einen eigenen Ordner und versuchen Sie es erneut.", name(file)),
                    ),
                    K::IsADirectory => lang.pick(
                        format!("{} is a folder, not a file. Choose one of the files in it.", file.display()),
                        format!("{} ist ein Ordner, keine Datei. Wählen Sie eine der Dateien darin.", file.display()),
                    ),
                    _ => lang.pick(
                        format!("The file {} cannot be read. Check that it is not open in another program and try again.", name(file)),
                        format!("Die Datei {} lässt sich nicht lesen. Prüfen Sie, ob sie in einem anderen Programm geöffnet ist, und versuchen Sie es erneut.", name(file)),
                    ),
                }
            }
            UnsupportedFormat { file } => lang.pick(
                format!("{} is not a spreadsheet CS Pulse can read. Save it as .xlsx or .csv and try again.", name(file)),
                format!("{} ist keine Tabelle, die CS Pulse lesen kann. Speichern Sie sie als .xlsx oder .csv und versuchen Sie es erneut.", name(file)),
            ),
            Corrupt { file, detail } => lang.pick(
                format!("{} seems to be damaged and cannot be read ({detail}). Open it in Excel, save it again and retry.", name(file)),
                format!("{} scheint beschädigt zu sein und kann nicht gelesen werden ({detail}). Öffnen Sie sie in Excel, speichern Sie sie erneut und versuchen Sie es noch einmal.", name(file)),
            ),
            LockFile { file } => lang.pick(
                format!("{} is not a workbook but the lock file Excel writes while a workbook is open. Choose the file without “~$” in front of its name.", name(file)),
                format!("{} ist keine Arbeitsmappe, sondern die Sperrdatei, die Excel anlegt, solange eine Mappe geöffnet ist. Wählen Sie die Datei ohne „~$“ vor dem Namen.", name(file)),
            ),
            Encrypted { file } => lang.pick(
                format!("{} is protected with a password. Open it in Excel, remove the password (File → Info → Protect Workbook), save and import it again.", name(file)),
                format!("{} ist mit einem Kennwort geschützt. Öffnen Sie sie in Excel, entfernen Sie das Kennwort (Datei → Informationen → Arbeitsmappe schützen), speichern Sie und importieren Sie erneut.", name(file)),
            ),
            TooLarge { file, limit } => {
                let (en, de) = match limit {
                    Limit::Rows => ("it has more rows than CS Pulse imports from one sheet (5 million)", "sie hat mehr Zeilen, als CS Pulse aus einem Blatt importiert (5 Millionen)"),
                    Limit::Columns => ("a row has more than 16,384 columns, more than Excel allows", "eine Zeile hat mehr als 16.384 Spalten, mehr als Excel erlaubt"),
                    Limit::Cells => ("it has more cells than CS Pulse imports from one file (200 million)", "sie hat mehr Zellen, als CS Pulse aus einer Datei importiert (200 Millionen)"),
                    Limit::CellText => ("a cell holds more than a million characters", "eine Zelle enthält mehr als eine Million Zeichen"),
                    Limit::Inflated => ("its compressed content would unpack to far more than a spreadsheet holds", "ihr komprimierter Inhalt würde sich auf weit mehr entpacken, als eine Tabelle enthält"),
                    Limit::Time => ("reading it took longer than allowed", "das Lesen dauerte länger als erlaubt"),
                    Limit::Memory => ("reading it needed more memory than allowed", "das Lesen brauchte mehr Arbeitsspeicher als erlaubt"),
                    Limit::Cpu => ("reading it needed more processor time than allowed", "das Lesen brauchte mehr Rechenzeit als erlaubt"),
                };
                lang.pick(
                    format!("{} cannot be imported: {en}. It may be damaged; otherwise split it into smaller files. Nothing was imported.", name(file)),
                    format!("{} kann nicht importiert werden: {de}. Sie ist vielleicht beschädigt; sonst teilen Sie sie in kleinere Dateien auf. Es wurde nichts importiert.", name(file)),
                )
            }
            OnlyHiddenSheets { file, sheets } => lang.pick(
                format!("The tables of {} are on hidden sheets ({}), which are not imported unless you choose one. Import it with --sheet \"{}\" or show the sheet in Excel.", name(file), sheets.join(", "), sheets[0]),
                format!("Die Tabellen von {} stehen auf ausgeblendeten Blättern ({}), die nur auf Wunsch importiert werden. Importieren Sie eines mit --sheet \"{}\" oder blenden Sie das Blatt in Excel ein.", name(file), sheets.join(", "), sheets[0]),
            ),
            Cancelled { file } => lang.pick(
                format!("The import of {} was cancelled. Nothing was imported.", name(file)),
                format!("Der Import von {} wurde abgebrochen. Es wurde nichts importiert.", name(file)),
            ),
            Empty { file, sheet } => lang.pick(
                format!("{}{} contains no table. Nothing was imported.", name(file), sheet_part(sheet, lang)),
                format!("{}{} enthält keine Tabelle. Es wurde nichts importiert.", name(file), sheet_part(sheet, lang)),
            ),
            NoSuchSheet { file, sheet, sheets } => lang.pick(
                format!("{} has no sheet named “{sheet}”. Its sheets are: {}.", name(file), sheets.join(", ")),
                format!("{} hat kein Blatt „{sheet}“. Vorhandene Blätter: {}.", name(file), sheets.join(", ")),
            ),
            UnknownKind { file, sheet, headers } => {
                let headers: Vec<String> =
                    headers.iter().map(|h| h.replace(['\n', '\r'], " ")).collect();
                lang.pick(
                format!("Cannot tell what {}{} contains from its column headers ({}). Choose the kind of data with --kind (e.g. --kind revenue).", name(file), sheet_part(sheet, lang), headers.join(", ")),
                format!("Aus den Spaltenüberschriften von {}{} ({}) ist nicht erkennbar, welche Daten sie enthält. Wählen Sie die Datenart mit --kind (z. B. --kind revenue).", name(file), sheet_part(sheet, lang), headers.join(", ")),
            )
            }
            KindUncertain { file, sheet, candidates, headers } => {
                let headers: Vec<String> =
                    headers.iter().map(|h| h.replace(['\n', '\r'], " ")).collect();
                let first = candidates.first().map_or("revenue", |k| k.id());
                lang.pick(
                    format!("{}{} could be {} (its column headers: {}); CS Pulse does not import it on a guess. Choose the kind of data with --kind (e.g. --kind {first}). Nothing was imported.", name(file), sheet_part(sheet, lang), kind_list(candidates, Lang::En), headers.join(", ")),
                    format!("{}{} könnte {} sein (Spaltenüberschriften: {}); CS Pulse importiert sie nicht auf Verdacht. Wählen Sie die Datenart mit --kind (z. B. --kind {first}). Es wurde nichts importiert.", name(file), sheet_part(sheet, lang), kind_list(candidates, Lang::De), headers.join(", ")),
                )
            }
            OverlapAddAccounts { file } => lang.pick(
                format!("{} is a list of accounts: one record per customer, so it cannot be added as additional records. A later list always updates the earlier one (accounts it leaves out stay as they were). Import it without --overlap add. Nothing was imported.", name(file)),
                format!("{} ist eine Kundenliste: ein Datensatz je Kunde, daher kann sie nicht als zusätzliche Datensätze hinzugefügt werden. Eine spätere Liste aktualisiert die frühere (Kunden, die darin fehlen, bleiben, wie sie waren). Importieren Sie sie ohne --overlap add. Es wurde nichts importiert.", name(file)),
            ),
            NoSuchProfile(n) => lang.pick(
                format!("There is no import profile “{n}”. `cspulse profiles` lists them."),
                format!("Es gibt kein Importprofil „{n}“. `cspulse profiles` listet sie auf."),
            ),
            ProfileExists(n) => lang.pick(
                format!("An import profile “{n}” exists already. Choose another name, or delete or rename that one first."),
                format!("Ein Importprofil „{n}“ gibt es schon. Wählen Sie einen anderen Namen, oder löschen oder benennen Sie jenes zuerst um."),
            ),
            BadProfile { file, detail } => lang.pick(
                format!("{} is not an import profile CS Pulse can use ({detail}). Export profiles with `cspulse profiles export` or from the settings.", name(file)),
                format!("{} ist kein Importprofil, das CS Pulse verwenden kann ({detail}). Profile exportieren Sie mit `cspulse profiles export` oder in den Einstellungen.", name(file)),
            ),
            BadKind(k) => lang.pick(
                format!("“{k}” is not a kind of data CS Pulse knows. Use one of: {}.", crate::Kind::ALL.map(|k| k.id()).join(", ")),
                format!("„{k}“ ist keine Datenart, die CS Pulse kennt. Möglich sind: {}.", crate::Kind::ALL.map(|k| k.id()).join(", ")),
            ),
            MissingRequired { file, sheet, kind, fields } => lang.pick(
                format!("{}{} looks like {kind} data, but no column holds {}. Add the column or assign it with --map FIELD=COLUMN. Nothing was imported.", name(file), sheet_part(sheet, lang), fields.join(", ")),
                format!("{}{} sieht nach {kind}-Daten aus, aber keine Spalte enthält {}. Ergänzen Sie die Spalte oder ordnen Sie sie mit --map FELD=SPALTE zu. Es wurde nichts importiert.", name(file), sheet_part(sheet, lang), fields.join(", ")),
            ),
            BadMapping(m, problem) => match problem {
                MappingProblem::Syntax => lang.pick(
                    format!("“{m}” is not a mapping. Write it as FIELD=COLUMN, e.g. account_id=Kundennummer."),
                    format!("„{m}“ ist keine Zuordnung. Schreiben Sie FELD=SPALTE, z. B. account_id=Kundennummer."),
                ),
                MappingProblem::UnknownField => lang.pick(
                    format!("In “{m}” the field is not one of this kind's fields."),
                    format!("In „{m}“ ist das Feld keines der Felder dieser Datenart."),
                ),
                MappingProblem::UnknownColumn => lang.pick(
                    format!("In “{m}” the column is not in the file's header row."),
                    format!("In „{m}“ steht die Spalte nicht in der Kopfzeile der Datei."),
                ),
                MappingProblem::BadValue => lang.pick(
                    format!("In “{m}” the value is not one the field takes."),
                    format!("In „{m}“ ist der Wert keiner, den das Feld annimmt."),
                ),
            },
            AlreadyImported { file, batch_id } => lang.pick(
                format!("{} was already imported (batch {batch_id}). Nothing was changed. Use --replace to import it again in place of that batch.", name(file)),
                format!("{} wurde bereits importiert (Import {batch_id}). Es wurde nichts geändert. Mit --replace ersetzt der neue Import den alten.", name(file)),
            ),
            NoSuchBatch(id) => lang.pick(
                format!("There is no import with number {id}. `cspulse batches` lists them."),
                format!("Es gibt keinen Import mit der Nummer {id}. `cspulse batches` listet sie auf."),
            ),
            UndoGone(id) => lang.pick(
                format!("Import {id} can no longer be taken back: its rows were removed when the next import was saved. Import its file again if you need it."),
                format!("Import {id} kann nicht mehr zurückgeholt werden: Seine Zeilen wurden entfernt, als der nächste Import gespeichert wurde. Importieren Sie die Datei erneut, wenn Sie sie brauchen."),
            ),
            NotAFile { file } => lang.pick(
                format!("{} is not a regular file (it is a pipe, a device or a socket), so CS Pulse does not read it. Choose a spreadsheet or CSV file.", file.display()),
                format!("{} ist keine gewöhnliche Datei (sondern eine Pipe, ein Gerät oder ein Socket); CS Pulse liest sie daher nicht. Wählen Sie eine Tabelle oder CSV-Datei.", file.display()),
            ),
            Stopped { file, signal } => {
                let (en, de) = if *signal == 9 {
                    ("the system stopped it (signal 9), often because the computer ran out of memory", "das System hat ihn beendet (Signal 9), oft weil der Arbeitsspeicher des Computers nicht reichte")
                } else {
                    ("it was stopped from outside", "er wurde von außen beendet")
                };
                lang.pick(
                    format!("The import of {} did not finish: {en} (signal {signal}). Nothing was imported; please try again.", name(file)),
                    format!("Der Import von {} wurde nicht beendet: {de} (Signal {signal}). Es wurde nichts importiert; bitte versuchen Sie es erneut.", name(file)),
                )
            }
            RestoreFailed { safety, source } => format!("{} {}", source.message(lang), kept_before_restore(safety, lang)),
            ImportRunning => lang.pick(
                "An import is running. Wait until it has finished (or cancel it) and try again. Nothing was changed.".into(),
                "Ein Import läuft gerade. Warten Sie, bis er fertig ist (oder brechen Sie ihn ab), und versuchen Sie es dann erneut. Es wurde nichts geändert.".into(),
            ),
            BadMonth(m) => lang.pick(
                format!("“{m}” is not a month. Write it as YYYY-MM, e.g. 2026-10."),
                format!("„{m}“ ist kein Monat. Schreiben Sie JJJJ-MM, z. B. 2026-10."),
            ),
            UnknownAccount(a) => lang.pick(
                format!("The account “{a}” has no score in this month: it was not an active customer then. Pick another month or account."),
                format!("Der Kunde „{a}“ hat in diesem Monat keinen Score: Er war damals kein aktiver Kunde. Wählen Sie einen anderen Monat oder Kunden."),
            ),
            NoSuchAccount(a) => lang.pick(
                format!("No imported account has the id “{a}”. Link the value to an account id from your accounts file (`cspulse link VALUE` alone proposes similar accounts), or use --none if it is not a customer."),
                format!("Kein importierter Kunde hat die ID „{a}“. Verknüpfen Sie den Wert mit einer Kunden-ID aus Ihrer Kundenliste (`cspulse link WERT` allein schlägt ähnliche Kunden vor) oder verwenden Sie --none, wenn es kein Kunde ist."),
            ),
            EmptyLinkValue => lang.pick(
                "Nothing to link: the value is empty. Give the value exactly as the file writes it, e.g. cspulse link \"Schoen Consult\" 0017Q00000SCHO07AA.".to_owned(),
                "Nichts zu verknüpfen: Der Wert ist leer. Geben Sie den Wert so an, wie die Datei ihn schreibt, z. B. cspulse link \"Schoen Consult\" 0017Q00000SCHO07AA.".to_owned(),
            ),
            BadDimension(d) => lang.pick(
                format!("“{d}” is not something accounts can be grouped by. Use segment, owner, plan or region."),
                format!("Nach „{d}“ lassen sich Kunden nicht gruppieren. Verwenden Sie segment, owner, plan oder region."),
            ),
            DimensionNotOffered { dim, groups } => lang.pick(
                format!("The accounts fall into {groups} group(s) by {dim}, so there is nothing to compare. A breakdown needs at least two groups (import an accounts list with this column filled in)."),
                format!("Nach {dim} ergeben die Kunden nur {groups} Gruppe(n); es gibt nichts zu vergleichen. Eine Aufteilung braucht mindestens zwei Gruppen (importieren Sie eine Kundenliste, in der diese Spalte gefüllt ist)."),
            ),
            BadOverride(w) => lang.pick(
                format!("“{w}” is not a setting to try out. Write it as KEY=VALUE, e.g. weight.usage=50."),
                format!("„{w}“ ist keine Einstellung zum Ausprobieren. Schreiben Sie SCHLÜSSEL=WERT, z. B. weight.usage=50."),
            ),
            BadDate(d) => lang.pick(
                format!("“{d}” is not a date. Write it as YYYY-MM-DD, e.g. 2026-11-30."),
                format!("„{d}“ ist kein Datum. Schreiben Sie JJJJ-MM-TT, z. B. 2026-11-30."),
            ),
            BadNoteKey(k) => lang.pick(
                format!("“{k}” is not a note. Use summary, kpi:ID (e.g. kpi:nps) or account:ID (e.g. account:K-1001)."),
                format!("„{k}“ ist keine Notiz. Verwenden Sie summary, kpi:ID (z. B. kpi:nps) oder account:ID (z. B. account:K-1001)."),
            ),
            Setting(e) => match e {
                crate::settings::SettingError::UnknownKey(k) => lang.pick(
                    format!("There is no setting “{k}”. `cspulse settings` lists them."),
                    format!("Es gibt keine Einstellung „{k}“. `cspulse settings` listet sie auf."),
                ),
                crate::settings::SettingError::BadValue { key, value, rule } => lang.pick(
                    format!("“{value}” cannot be used for {key}: {rule}."),
                    format!("„{value}“ ist für {key} nicht zulässig: {rule}."),
                ),
            },
            Database { path, detail } => lang.pick(
                format!("The database {} cannot be used ({detail}). Your data in it was not changed.", path.display()),
                format!("Die Datenbank {} kann nicht verwendet werden ({detail}). Ihre Daten darin wurden nicht verändert.", path.display()),
            ),
            NothingToReport => lang.pick(
                "There is no data to report on yet: import a file first. Nothing was written.".into(),
                "Es gibt noch keine Daten für einen Bericht: importieren Sie zuerst eine Datei. Es wurde nichts geschrieben.".into(),
            ),
            DatabaseTooNew { path, version, latest } => lang.pick(
                format!("The database {} was written by a newer version of CS Pulse (database version {version}, this app knows up to {latest}). Install the newer CS Pulse to open it; it was left unchanged.", path.display()),
                format!("Die Datenbank {} wurde von einer neueren CS-Pulse-Version geschrieben (Datenbankversion {version}, diese App kennt bis {latest}). Installieren Sie die neuere Version, um sie zu öffnen; sie wurde nicht verändert.", path.display()),
            ),
            BadBackup { file, problem } => match problem {
                BackupProblem::NotADatabase => lang.pick(
                    format!("{} is not a CS Pulse backup. Choose a file made with “cspulse backup” or the app's backup. Nothing was changed.", name(file)),
                    format!("{} ist keine CS-Pulse-Sicherung. Wählen Sie eine Datei, die mit „cspulse backup“ oder der Sicherung der App erstellt wurde. Es wurde nichts geändert.", name(file)),
                ),
                BackupProblem::NotCsPulse => lang.pick(
                    format!("{} is a database, but not one of CS Pulse. Nothing was changed.", name(file)),
                    format!("{} ist eine Datenbank, aber keine von CS Pulse. Es wurde nichts geändert.", name(file)),
                ),
                BackupProblem::Damaged(detail) => lang.pick(
                    format!("The backup {} is damaged ({detail}). Choose another backup. Nothing was changed.", name(file)),
                    format!("Die Sicherung {} ist beschädigt ({detail}). Wählen Sie eine andere Sicherung. Es wurde nichts geändert.", name(file)),
                ),
                BackupProblem::Newer { version, latest } => lang.pick(
                    format!("The backup {} comes from a newer version of CS Pulse (database version {version}, this app knows up to {latest}). Install the newer CS Pulse to restore it. Nothing was changed.", name(file)),
                    format!("Die Sicherung {} stammt von einer neueren CS-Pulse-Version (Datenbankversion {version}, diese App kennt bis {latest}). Installieren Sie die neuere Version, um sie wiederherzustellen. Es wurde nichts geändert.", name(file)),
                ),
                BackupProblem::Schema { object, name: what, diff } => {
                    let (en, de) = schema_diff_words(object, what, *diff);
                    lang.pick(
                        format!("{} is not a backup as CS Pulse writes it: {en}. It is not restored; choose a file made with CS Pulse's backup. Nothing was changed.", name(file)),
                        format!("{} ist keine Sicherung, wie CS Pulse sie schreibt: {de}. Sie wird nicht wiederhergestellt; wählen Sie eine Datei, die mit der Sicherung von CS Pulse erstellt wurde. Es wurde nichts geändert.", name(file)),
                    )
                }
                BackupProblem::IsTheDatabase => lang.pick(
                    format!("{} is the database CS Pulse is using. Choose another file. Nothing was changed.", file.display()),
                    format!("{} ist die Datenbank, die CS Pulse gerade verwendet. Wählen Sie eine andere Datei. Es wurde nichts geändert.", file.display()),
                ),
            },
            CannotWrite { file, reason } => {
                use std::io::ErrorKind as K;
                match reason {
                    K::NotFound => lang.pick(
                        format!("The folder for {} does not exist. Choose an existing folder. Nothing was written.", file.display()),
                        format!("Der Ordner für {} existiert nicht. Wählen Sie einen vorhandenen Ordner. Es wurde nichts geschrieben.", file.display()),
                    ),
                    K::PermissionDenied | K::ReadOnlyFilesystem => lang.pick(
                        format!("You have no permission to write {}. Choose a folder of your own. Nothing was written.", file.display()),
                        format!("Sie haben keine Berechtigung, {} zu schreiben. Wählen Sie einen eigenen Ordner. Es wurde nichts geschrieben.", file.display()),
                    ),
                    K::StorageFull => lang.pick(
                        format!("The disk is full, so {} cannot be written. Free some space and try again. Nothing was written.", file.display()),
                        format!("Der Datenträger ist voll, daher kann {} nicht geschrieben werden. Schaffen Sie Platz und versuchen Sie es erneut. Es wurde nichts geschrieben.", file.display()),
                    ),
                    K::AlreadyExists => lang.pick(
                        format!("{} already exists and is not a CS Pulse backup, so it was not replaced. Choose another file name.", file.display()),
                        format!("{} existiert bereits und ist keine CS-Pulse-Sicherung; sie wurde daher nicht ersetzt. Wählen Sie einen anderen Dateinamen.", file.display()),
                    ),
                    K::IsADirectory => lang.pick(
                        format!("{} is a folder. Give a file name such as report.xlsx. Nothing was written.", file.display()),
                        format!("{} ist ein Ordner. Geben Sie einen Dateinamen wie bericht.xlsx an. Es wurde nichts geschrieben.", file.display()),
                    ),
                    _ => lang.pick(
                        format!("{} cannot be written. Check that it is not open in Excel and that the disk is not full. Nothing was written.", file.display()),
                        format!("{} kann nicht geschrieben werden. Prüfen Sie, ob die Datei in Excel geöffnet ist und ob der Datenträger voll ist. Es wurde nichts geschrieben.", file.display()),
                    ),
                }
            }
            Report(e) => lang.pick(
                format!("The report could not be written ({e}). Nothing was written; please try again."),
                format!("Der Bericht konnte nicht erstellt werden ({e}). Es wurde nichts geschrieben; bitte versuchen Sie es erneut."),
            ),
            UnknownColumn { kind, column } => lang.pick(
                format!("The {kind} table has no column “{column}”. Reload the table and try again."),
                format!("Die Tabelle {kind} hat keine Spalte „{column}“. Laden Sie die Tabelle neu und versuchen Sie es erneut."),
            ),
            BadFilter { column, problem } => match problem {
                FilterProblem::NotForColumn { op } => {
                    let (en, de) = match *op {
                        "contains" => ("“contains”", "„enthält“"),
                        "at_least" => ("“at least”", "„mindestens“"),
                        "at_most" => ("“at most”", "„höchstens“"),
                        "equals" => ("“equals”", "„ist gleich“"),
                        _ => ("this filter", "dieser Filter"),
                    };
                    lang.pick(
                        format!("The filter {en} cannot be used on the column “{column}”. Choose another filter for it."),
                        format!("Der Filter {de} passt nicht zur Spalte „{column}“. Wählen Sie einen anderen Filter dafür."),
                    )
                }
                FilterProblem::NeedsValue => lang.pick(
                    format!("The filter on “{column}” needs a value. Enter one or remove the filter."),
                    format!("Der Filter auf „{column}“ braucht einen Wert. Geben Sie einen ein oder entfernen Sie den Filter."),
                ),
                FilterProblem::NotANumber(v) => lang.pick(
                    format!("“{v}” is not a number, so the column “{column}” cannot be filtered by it. Enter a number such as 1234.5 or 1.234,5."),
                    format!("„{v}“ ist keine Zahl, daher kann die Spalte „{column}“ nicht danach gefiltert werden. Geben Sie eine Zahl wie 1234,5 oder 1234.5 ein."),
                ),
                FilterProblem::NotADate(v) => lang.pick(
                    format!("“{v}” is not a date, so the column “{column}” cannot be filtered by it. Enter a date such as 2026-10-31, 31.10.2026, a month such as 2026-10 or a year."),
                    format!("„{v}“ ist kein Datum, daher kann die Spalte „{column}“ nicht danach gefiltert werden. Geben Sie ein Datum wie 31.10.2026 oder 2026-10-31, einen Monat wie 2026-10 oder ein Jahr ein."),
                ),
                FilterProblem::NotABool(v) => lang.pick(
                    format!("“{v}” is not yes or no, so the column “{column}” cannot be filtered by it. Enter yes or no."),
                    format!("„{v}“ ist weder ja noch nein, daher kann die Spalte „{column}“ nicht danach gefiltert werden. Geben Sie ja oder nein ein."),
                ),
            },
            ViewStale => lang.pick(
                "The data changed since this table was opened (an import, an undo or a restore). Open it again to see the current data.".into(),
                "Die Daten haben sich geändert, seit diese Tabelle geöffnet wurde (ein Import, ein Rückgängigmachen oder eine Wiederherstellung). Öffnen Sie sie erneut, um die aktuellen Daten zu sehen.".into(),
            ),
            NoSuchView => lang.pick(
                "This table view was closed in the meantime. Open the table again.".into(),
                "Diese Tabellenansicht wurde inzwischen geschlossen. Öffnen Sie die Tabelle erneut.".into(),
            ),
            Sqlite(e) if is_disk_full(e) => lang.pick(
                "The disk is full, so CS Pulse could not save. Free some space and try again. Nothing was half-written.".into(),
                "Der Datenträger ist voll, daher konnte CS Pulse nicht speichern. Schaffen Sie Platz und versuchen Sie es erneut. Es wurde nichts halb geschrieben.".into(),
            ),
            Sqlite(e) => lang.pick(
                format!("An unexpected database problem occurred ({e}). Nothing was half-written; please try again."),
                format!("Ein unerwartetes Datenbankproblem ist aufgetreten ({e}). Es wurde nichts halb geschrieben; bitte versuchen Sie es erneut."),
            ),
            Io(e) => lang.pick(
                format!("An unexpected problem with a file occurred ({e})."),
                format!("Ein unerwartetes Problem mit einer Datei ist aufgetreten ({e})."),
            ),
        }
    }
}

/// SQLite's "database or disk is full" (`ENOSPC` while writing).
fn is_disk_full(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull)
}

/// The sentence every message about a failed restore ends with.
fn kept_before_restore(safety: &std::path::Path, lang: Lang) -> String {
    lang.pick(
        format!(
            "Your data from before the restore is kept in {}.",
            safety.display()
        ),
        format!(
            "Ihre Daten von vor der Wiederherstellung liegen in {}.",
            safety.display()
        ),
    )
}

/// [`Error::app_message`]'s wording, where [`Error::message`] names a command-line option
/// (`--kind`, `--map`, `--sheet`, `--replace`) or a `cspulse` command. `None`: the message
/// fits the app as it is.
fn app_wording(e: &Error, lang: Lang) -> Option<String> {
    Some(match e {
        Error::OnlyHiddenSheets { file, sheets } => lang.pick(
            format!(
                "The tables of {} are on hidden sheets ({}), which are imported only when chosen. \
                 Choose the sheet in the import window, or show it in Excel.",
                name(file),
                sheets.join(", ")
            ),
            format!(
                "Die Tabellen von {} stehen auf ausgeblendeten Blättern ({}), die nur auf Wunsch \
                 importiert werden. Wählen Sie das Blatt im Importfenster, oder blenden Sie es in \
                 Excel ein.",
                name(file),
                sheets.join(", ")
            ),
        ),
        Error::UnknownKind {
            file,
            sheet,
            headers,
        } => {
            let headers: Vec<String> = headers
                .iter()
                .map(|h| h.replace(['\n', '\r'], " "))
                .collect();
            lang.pick(
                format!(
                    "Cannot tell what {}{} contains from its column headers ({}). Choose the kind \
                     of data in the import window.",
                    name(file),
                    sheet_part(sheet, lang),
                    headers.join(", ")
                ),
                format!(
                    "Aus den Spaltenüberschriften von {}{} ({}) ist nicht erkennbar, welche Daten \
                     sie enthält. Wählen Sie die Datenart im Importfenster.",
                    name(file),
                    sheet_part(sheet, lang),
                    headers.join(", ")
                ),
            )
        }
        Error::KindUncertain {
            file,
            sheet,
            candidates,
            ..
        } => lang.pick(
            format!(
                "{}{} could be {}. Choose the kind of data in the import window; CS Pulse does \
                 not import it on a guess.",
                name(file),
                sheet_part(sheet, lang),
                kind_names(candidates, Lang::En)
            ),
            format!(
                "{}{} könnte {} sein. Wählen Sie die Datenart im Importfenster; CS Pulse \
                 importiert sie nicht auf Verdacht.",
                name(file),
                sheet_part(sheet, lang),
                kind_names(candidates, Lang::De)
            ),
        ),
        Error::OverlapAddAccounts { file } => lang.pick(
            format!(
                "{} is a list of accounts: a later list always updates the earlier one, so it \
                 cannot be added as additional records. Nothing was imported.",
                name(file)
            ),
            format!(
                "{} ist eine Kundenliste: Eine spätere Liste aktualisiert immer die frühere, daher \
                 kann sie nicht als zusätzliche Datensätze hinzugefügt werden. Es wurde nichts \
                 importiert.",
                name(file)
            ),
        ),
        Error::MissingRequired {
            file,
            sheet,
            kind,
            fields,
        } => lang.pick(
            format!(
                "{}{} looks like {kind} data, but no column holds {}. Assign a column to it in the \
                 import window, or add the column to the file. Nothing was imported.",
                name(file),
                sheet_part(sheet, lang),
                fields.join(", ")
            ),
            format!(
                "{}{} sieht nach {kind}-Daten aus, aber keine Spalte enthält {}. Ordnen Sie im \
                 Importfenster eine Spalte zu, oder ergänzen Sie die Spalte in der Datei. Es wurde \
                 nichts importiert.",
                name(file),
                sheet_part(sheet, lang),
                fields.join(", ")
            ),
        ),
        Error::AlreadyImported { file, batch_id } => lang.pick(
            format!(
                "{} was already imported (import {batch_id}). Nothing was changed. Tick “Replace \
                 the earlier import of this file” to import it again in its place.",
                name(file)
            ),
            format!(
                "{} wurde bereits importiert (Import {batch_id}). Es wurde nichts geändert. \
                 Kreuzen Sie „Den früheren Import dieser Datei ersetzen“ an, um sie an seiner Stelle erneut zu \
                 importieren.",
                name(file)
            ),
        ),
        Error::NoSuchBatch(id) => lang.pick(
            format!("There is no import with number {id}. The import history lists them."),
            format!("Es gibt keinen Import mit der Nummer {id}. Der Importverlauf listet sie auf."),
        ),
        Error::Setting(crate::settings::SettingError::UnknownKey(k)) => lang.pick(
            format!("There is no setting “{k}”."),
            format!("Es gibt keine Einstellung „{k}“."),
        ),
        Error::BadBackup {
            file,
            problem: BackupProblem::NotADatabase,
        } => lang.pick(
            format!(
                "{} is not a CS Pulse backup. Choose a file made with “Back up …” in the settings. \
                 Nothing was changed.",
                name(file)
            ),
            format!(
                "{} ist keine CS-Pulse-Sicherung. Wählen Sie eine Datei, die mit „Sichern …“ in den \
                 Einstellungen erstellt wurde. Es wurde nichts geändert.",
                name(file)
            ),
        ),
        _ => return None,
    })
}
