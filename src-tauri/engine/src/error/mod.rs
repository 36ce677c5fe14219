//! One error type for the engine. Every variant says when it happens, carries the position
//! it refers to, has a stable machine `code` (the UI switches on it) and a plain-language
//! message in German and English for people who have never seen a stack trace.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

pub use crate::lang::Lang;

mod message;
pub mod words;
pub use words::{kind_list, kind_name};

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

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Every [`Error::code`], as a type: exported to TypeScript (`ErrorCode.ts`, a union of
/// string literals) so the UI switches on codes that exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    FileUnreadable,
    UnsupportedFormat,
    CorruptFile,
    LockFile,
    EncryptedFile,
    FileTooLarge,
    Cancelled,
    OnlyHiddenSheets,
    EmptyFile,
    NoSuchSheet,
    UnknownKind,
    BadKind,
    KindUncertain,
    OverlapAddAccounts,
    NoSuchProfile,
    ProfileExists,
    BadProfile,
    MissingRequiredField,
    BadMapping,
    AlreadyImported,
    NoSuchBatch,
    UndoGone,
    ImportRunning,
    NotAFile,
    ImportStopped,
    BadMonth,
    UnknownAccount,
    NoSuchAccount,
    EmptyLinkValue,
    BadDimension,
    DimensionNotOffered,
    BadOverride,
    BadNoteKey,
    BadDate,
    BadSetting,
    DatabaseUnusable,
    NothingToReport,
    CannotWrite,
    ReportError,
    DatabaseTooNew,
    BadBackup,
    UnknownColumn,
    BadFilter,
    ViewStale,
    NoSuchView,
    DiskFull,
    DatabaseError,
    IoError,
}

impl ErrorCode {
    /// Every code, in the order of [`Error`]'s variants.
    pub const ALL: [ErrorCode; 48] = [
        ErrorCode::FileUnreadable,
        ErrorCode::UnsupportedFormat,
        ErrorCode::CorruptFile,
        ErrorCode::LockFile,
        ErrorCode::EncryptedFile,
        ErrorCode::FileTooLarge,
        ErrorCode::Cancelled,
        ErrorCode::OnlyHiddenSheets,
        ErrorCode::EmptyFile,
        ErrorCode::NoSuchSheet,
        ErrorCode::UnknownKind,
        ErrorCode::BadKind,
        ErrorCode::KindUncertain,
        ErrorCode::OverlapAddAccounts,
        ErrorCode::NoSuchProfile,
        ErrorCode::ProfileExists,
        ErrorCode::BadProfile,
        ErrorCode::MissingRequiredField,
        ErrorCode::BadMapping,
        ErrorCode::AlreadyImported,
        ErrorCode::NoSuchBatch,
        ErrorCode::UndoGone,
        ErrorCode::ImportRunning,
        ErrorCode::NotAFile,
        ErrorCode::ImportStopped,
        ErrorCode::BadMonth,
        ErrorCode::UnknownAccount,
        ErrorCode::NoSuchAccount,
        ErrorCode::EmptyLinkValue,
        ErrorCode::BadDimension,
        ErrorCode::DimensionNotOffered,
        ErrorCode::BadOverride,
        ErrorCode::BadNoteKey,
        ErrorCode::BadDate,
        ErrorCode::BadSetting,
        ErrorCode::DatabaseUnusable,
        ErrorCode::NothingToReport,
        ErrorCode::CannotWrite,
        ErrorCode::ReportError,
        ErrorCode::DatabaseTooNew,
        ErrorCode::BadBackup,
        ErrorCode::UnknownColumn,
        ErrorCode::BadFilter,
        ErrorCode::ViewStale,
        ErrorCode::NoSuchView,
        ErrorCode::DiskFull,
        ErrorCode::DatabaseError,
        ErrorCode::IoError,
    ];

    /// The code as the UI and scripts see it (its serde name).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::FileUnreadable => "file_unreadable",
            ErrorCode::UnsupportedFormat => "unsupported_format",
            ErrorCode::CorruptFile => "corrupt_file",
            ErrorCode::LockFile => "lock_file",
            ErrorCode::EncryptedFile => "encrypted_file",
            ErrorCode::FileTooLarge => "file_too_large",
            ErrorCode::Cancelled => "cancelled",
            ErrorCode::OnlyHiddenSheets => "only_hidden_sheets",
            ErrorCode::EmptyFile => "empty_file",
            ErrorCode::NoSuchSheet => "no_such_sheet",
            ErrorCode::UnknownKind => "unknown_kind",
            ErrorCode::BadKind => "bad_kind",
            ErrorCode::KindUncertain => "kind_uncertain",
            ErrorCode::OverlapAddAccounts => "overlap_add_accounts",
            ErrorCode::NoSuchProfile => "no_such_profile",
            ErrorCode::ProfileExists => "profile_exists",
            ErrorCode::BadProfile => "bad_profile",
            ErrorCode::MissingRequiredField => "missing_required_field",
            ErrorCode::BadMapping => "bad_mapping",
            ErrorCode::AlreadyImported => "already_imported",
            ErrorCode::NoSuchBatch => "no_such_batch",
            ErrorCode::UndoGone => "undo_gone",
            ErrorCode::ImportRunning => "import_running",
            ErrorCode::NotAFile => "not_a_file",
            ErrorCode::ImportStopped => "import_stopped",
            ErrorCode::BadMonth => "bad_month",
            ErrorCode::UnknownAccount => "unknown_account",
            ErrorCode::NoSuchAccount => "no_such_account",
            ErrorCode::EmptyLinkValue => "empty_link_value",
            ErrorCode::BadDimension => "bad_dimension",
            ErrorCode::DimensionNotOffered => "dimension_not_offered",
            ErrorCode::BadOverride => "bad_override",
            ErrorCode::BadNoteKey => "bad_note_key",
            ErrorCode::BadDate => "bad_date",
            ErrorCode::BadSetting => "bad_setting",
            ErrorCode::DatabaseUnusable => "database_unusable",
            ErrorCode::NothingToReport => "nothing_to_report",
            ErrorCode::CannotWrite => "cannot_write",
            ErrorCode::ReportError => "report_error",
            ErrorCode::DatabaseTooNew => "database_too_new",
            ErrorCode::BadBackup => "bad_backup",
            ErrorCode::UnknownColumn => "unknown_column",
            ErrorCode::BadFilter => "bad_filter",
            ErrorCode::ViewStale => "view_stale",
            ErrorCode::NoSuchView => "no_such_view",
            ErrorCode::DiskFull => "disk_full",
            ErrorCode::DatabaseError => "database_error",
            ErrorCode::IoError => "io_error",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where an error points ([`Error::place`]); `None` where it is about no file, sheet or
/// column. (Rows are never an error's: a bad row is an import issue, `import::Issue`.)
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Place<'a> {
    pub file: Option<&'a Path>,
    pub sheet: Option<&'a str>,
    pub column: Option<&'a str>,
}

impl Error {
    /// Stable machine code; the UI and scripts switch on it, never on the message.
    pub fn code(&self) -> &'static str {
        self.error_code().as_str()
    }

    /// [`Error::code`] as its type (a failed restore has the code of why it failed).
    pub fn error_code(&self) -> ErrorCode {
        match self {
            Error::FileUnreadable { .. } => ErrorCode::FileUnreadable,
            Error::UnsupportedFormat { .. } => ErrorCode::UnsupportedFormat,
            Error::Corrupt { .. } => ErrorCode::CorruptFile,
            Error::LockFile { .. } => ErrorCode::LockFile,
            Error::Encrypted { .. } => ErrorCode::EncryptedFile,
            Error::TooLarge { .. } => ErrorCode::FileTooLarge,
            Error::Cancelled { .. } => ErrorCode::Cancelled,
            Error::OnlyHiddenSheets { .. } => ErrorCode::OnlyHiddenSheets,
            Error::Empty { .. } => ErrorCode::EmptyFile,
            Error::NoSuchSheet { .. } => ErrorCode::NoSuchSheet,
            Error::UnknownKind { .. } => ErrorCode::UnknownKind,
            Error::BadKind(_) => ErrorCode::BadKind,
            Error::KindUncertain { .. } => ErrorCode::KindUncertain,
            Error::OverlapAddAccounts { .. } => ErrorCode::OverlapAddAccounts,
            Error::NoSuchProfile(_) => ErrorCode::NoSuchProfile,
            Error::ProfileExists(_) => ErrorCode::ProfileExists,
            Error::BadProfile { .. } => ErrorCode::BadProfile,
            Error::MissingRequired { .. } => ErrorCode::MissingRequiredField,
            Error::BadMapping(..) => ErrorCode::BadMapping,
            Error::AlreadyImported { .. } => ErrorCode::AlreadyImported,
            Error::NoSuchBatch(_) => ErrorCode::NoSuchBatch,
            Error::UndoGone(_) => ErrorCode::UndoGone,
            Error::ImportRunning => ErrorCode::ImportRunning,
            Error::NotAFile { .. } => ErrorCode::NotAFile,
            Error::Stopped { .. } => ErrorCode::ImportStopped,
            Error::RestoreFailed { source, .. } => source.error_code(),
            Error::BadMonth(_) => ErrorCode::BadMonth,
            Error::UnknownAccount(_) => ErrorCode::UnknownAccount,
            Error::NoSuchAccount(_) => ErrorCode::NoSuchAccount,
            Error::EmptyLinkValue => ErrorCode::EmptyLinkValue,
            Error::BadDimension(_) => ErrorCode::BadDimension,
            Error::DimensionNotOffered { .. } => ErrorCode::DimensionNotOffered,
            Error::BadOverride(_) => ErrorCode::BadOverride,
            Error::BadNoteKey(_) => ErrorCode::BadNoteKey,
            Error::BadDate(_) => ErrorCode::BadDate,
            Error::Setting(_) => ErrorCode::BadSetting,
            Error::Database { .. } => ErrorCode::DatabaseUnusable,
            Error::NothingToReport => ErrorCode::NothingToReport,
            Error::CannotWrite { .. } => ErrorCode::CannotWrite,
            Error::Report(_) => ErrorCode::ReportError,
            Error::DatabaseTooNew { .. } => ErrorCode::DatabaseTooNew,
            Error::BadBackup { .. } => ErrorCode::BadBackup,
            Error::UnknownColumn { .. } => ErrorCode::UnknownColumn,
            Error::BadFilter { .. } => ErrorCode::BadFilter,
            Error::ViewStale => ErrorCode::ViewStale,
            Error::NoSuchView => ErrorCode::NoSuchView,
            Error::Sqlite(e) if is_disk_full(e) => ErrorCode::DiskFull,
            Error::Sqlite(_) => ErrorCode::DatabaseError,
            Error::Io(_) => ErrorCode::IoError,
        }
    }

    /// Where the error points in the user's data, as facts (the messages say the same in
    /// words): the file, its sheet, a column when the error is about one. What the
    /// CLI and the app build their own words from.
    pub fn place(&self) -> Place<'_> {
        use Error::*;
        let mut at = Place::default();
        match self {
            FileUnreadable { file, .. }
            | UnsupportedFormat { file }
            | Corrupt { file, .. }
            | LockFile { file }
            | Encrypted { file }
            | TooLarge { file, .. }
            | OnlyHiddenSheets { file, .. }
            | Cancelled { file }
            | OverlapAddAccounts { file }
            | BadProfile { file, .. }
            | AlreadyImported { file, .. }
            | NotAFile { file }
            | Stopped { file, .. }
            | CannotWrite { file, .. }
            | BadBackup { file, .. } => at.file = Some(file),
            Empty { file, sheet }
            | UnknownKind { file, sheet, .. }
            | KindUncertain { file, sheet, .. }
            | MissingRequired { file, sheet, .. } => {
                at.file = Some(file);
                at.sheet = sheet.as_deref();
            }
            NoSuchSheet { file, sheet, .. } => {
                at.file = Some(file);
                at.sheet = Some(sheet);
            }
            Database { path, .. } | DatabaseTooNew { path, .. } => at.file = Some(path),
            RestoreFailed { source, .. } => return source.place(),
            UnknownColumn { column, .. } | BadFilter { column, .. } => at.column = Some(column),
            _ => {}
        }
        at
    }
}

/// SQLite's "database or disk is full" (`ENOSPC` while writing).
fn is_disk_full(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ts_rs::TS;

    /// The code a script or the UI sees is the serde name of its [`ErrorCode`], each listed
    /// once in `ALL`, and `ALL` holds every variant (the TypeScript union has as many).
    #[test]
    fn every_code_is_its_serde_name_and_all_are_listed() {
        for (i, c) in ErrorCode::ALL.iter().enumerate() {
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
            let back: ErrorCode = serde_json::from_value(c.as_str().into()).unwrap();
            assert_eq!(back, *c);
            assert!(!ErrorCode::ALL[..i].contains(c), "{c} twice");
        }
        let union = ErrorCode::decl(&ts_rs::Config::default());
        assert_eq!(
            union.matches('"').count(),
            2 * ErrorCode::ALL.len(),
            "{union}"
        );
    }

    /// Errors point at the file, sheet and column they are about; a failed restore at what
    /// it failed on.
    #[test]
    fn an_error_names_its_place_as_facts() {
        let e = Error::MissingRequired {
            file: "umsatz.xlsx".into(),
            sheet: Some("Daten".into()),
            kind: "revenue".into(),
            fields: vec!["month".into()],
        };
        let at = e.place();
        assert_eq!(at.file, Some(Path::new("umsatz.xlsx")));
        assert_eq!(at.sheet, Some("Daten"));
        assert_eq!(at.column, None);
        let restore = Error::RestoreFailed {
            safety: "cs.db.safety".into(),
            source: Box::new(Error::Corrupt {
                file: "alt.db".into(),
                detail: "x".into(),
            }),
        };
        assert_eq!(restore.place().file, Some(Path::new("alt.db")));
        assert_eq!(restore.error_code(), ErrorCode::CorruptFile);
        let filter = Error::BadFilter {
            column: "mrr".into(),
            problem: FilterProblem::NeedsValue,
        };
        assert_eq!(filter.place().column, Some("mrr"));
        assert_eq!(Error::NoSuchView.place(), Place::default());
    }
}
