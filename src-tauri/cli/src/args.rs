//! The command line as `cspulse --help` shows it (clap's derive): global options and one
//! subcommand each, as `cli.md` specifies them.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "cspulse",
    version,
    about = "CS Pulse: customer-success KPIs, CS score and board report from your exports"
)]
pub struct Cli {
    /// Database file (default: $CSPULSE_DB, else the desktop app's database)
    #[arg(long, global = true, env = "CSPULSE_DB")]
    pub db: Option<PathBuf>,
    /// Language of messages: de or en (default: the settings, else the system language)
    #[arg(long, global = true)]
    pub lang: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
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
        /// FIELD=VALUE: a field no column holds, the same for every row of the file,
        /// e.g. channel=email for a newsletter tool's export (repeatable)
        #[arg(long = "set")]
        set: Vec<String>,
        /// FIELD:WORD=VALUE: what a word of the file means for a coded field or a score,
        /// e.g. outcome:Verlängert=renewed or csat:Top=5 (repeatable; remembered with the
        /// file's profile)
        #[arg(long = "value")]
        value: Vec<String>,
        /// How to read dates such as 03/04/2026 when a column's values do not tell:
        /// dmy (day first) or mdy (month first); default: the file's locale
        #[arg(long, value_parser = ["dmy", "mdy"])]
        date_order: Option<String>,
        /// Replace an earlier import of the same file
        #[arg(long)]
        replace: bool,
        /// Where the file overlaps earlier imports of its kind: supersede (its rows are used
        /// instead of the earlier ones) or add (its rows are additional records)
        #[arg(long, value_parser = ["supersede", "add"], default_value = "supersede")]
        overlap: String,
        /// The first own import into a database that holds the sample company: the sample's
        /// batches are undone in the same commit (without it the sample stays, with a note)
        #[arg(long)]
        replace_sample: bool,
        /// Import with this import profile (its name, or a profile's JSON file); without
        /// it and without choices, the profile saved for files of this shape is used
        #[arg(long)]
        profile: Option<String>,
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
        /// Every account-based KPI per group: segment, owner, plan or region
        #[arg(long)]
        by: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Per-account CS scores and the company CS score
    Scores {
        #[arg(long)]
        month: Option<String>,
        /// Try a setting without saving it: KEY=VALUE, e.g. weight.usage=50 (repeatable)
        #[arg(long = "with")]
        with: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Does the score predict churn? Churn by light, lift and AUC over the past year
    Backtest {
        #[arg(long)]
        month: Option<String>,
        /// Months after each observation in which churn counts, 1–12 (default: the setting
        /// backtest.horizon, 3)
        #[arg(long)]
        horizon: Option<u32>,
        /// Try a setting without saving it: KEY=VALUE (repeatable)
        #[arg(long = "with")]
        with: Vec<String>,
        /// Also the AUC of both scoring methods (targets, percentile) side by side
        #[arg(long)]
        compare_methods: bool,
        #[arg(long)]
        json: bool,
    },
    /// Renewals due in the three months after the month, by light, with the expected value
    Renewals {
        #[arg(long)]
        month: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The CS lead's notes: summary, kpi:ID, account:ID (list, set, clear)
    Notes {
        /// Month of the notes, YYYY-MM (listing: all months when not given; set and clear:
        /// the latest month with data)
        #[arg(long, global = true)]
        month: Option<String>,
        #[arg(long, global = true)]
        json: bool,
        #[command(subcommand)]
        action: Option<NoteAction>,
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
    /// Import profiles: what was chosen for a file, applied to the next file of its shape
    Profiles {
        #[command(subcommand)]
        action: Option<ProfileAction>,
        #[arg(long)]
        json: bool,
    },
    /// Say which account a customer name, e-mail or other tool's id is (a value an import
    /// listed as matching no account), or that it is not a customer; every later import
    /// uses the answer. Without ACCOUNT_ID: what VALUE links to now, or similar accounts.
    /// Without VALUE: the stored answers
    Link {
        /// The value as the file writes it, e.g. "Schoen Consult" or max@example.com
        value: Option<String>,
        /// The account it is (an account id from your accounts file)
        account_id: Option<String>,
        /// VALUE is not a customer: its rows are skipped without asking again
        #[arg(long, conflicts_with_all = ["account_id", "remove"])]
        none: bool,
        /// Forget the answer stored for VALUE
        #[arg(long, conflicts_with = "account_id")]
        remove: bool,
        #[arg(long)]
        json: bool,
    },
    /// Load the embedded demo company (what the app shows on first start)
    Demo {
        /// Number of accounts (benchmarks use 10000 or more)
        #[arg(long)]
        accounts: Option<usize>,
        /// Target number of product-usage rows
        #[arg(long)]
        usage_rows: Option<usize>,
        /// Write the sample company's exports (one CSV per kind) into DIR instead of
        /// loading them: files to try the import, or the monthly routine, with
        #[arg(long, value_name = "DIR")]
        export: Option<PathBuf>,
        /// With --export: the month the exports are made at the end of (18 months up to it;
        /// default 2026-10, the month the app's sample company shows)
        #[arg(long, requires = "export")]
        month: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum NoteAction {
    /// Write a note: KEY is summary, kpi:ID or account:ID
    Set {
        key: String,
        text: String,
        /// An account action's owner
        #[arg(long)]
        owner: Option<String>,
        /// An account action's due date, YYYY-MM-DD
        #[arg(long)]
        due: Option<String>,
    },
    /// Remove a note
    Clear { key: String },
}

#[derive(Subcommand)]
pub enum ProfileAction {
    /// Write the profile NAME to FILE.json (to share it, or keep it)
    Export { name: String, file: PathBuf },
    /// Add the profile in FILE.json
    Import { file: PathBuf },
    /// Rename the profile OLD to NEW
    Rename { old: String, new: String },
    /// Delete the profile NAME
    Delete { name: String },
}
