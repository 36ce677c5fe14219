//! # CS Pulse engine
//!
//! Everything CS Pulse computes, with no knowledge of windows, IPC or the UI:
//!
//! ```text
//!  file ──▶ import (read cells, find header, guess kind, map + convert + validate)
//!              │  rows + issues
//!              ▼
//!          store (SQLite: one import batch = one transaction, lineage, settings)
//!              │  Data for a month
//!              ▼
//!          window (the month asked for or the latest, the settings, the data of its
//!              │   span: one read; the months M−12..M on two threads)
//!              ▼
//!          kpi::compute ◀── score::compute     (pure: data + month + settings → numbers)
//!              │
//!              ▼
//!          overview / explain / trends / report ─▶ CLI / desktop app
//! ```
//!
//! Invariants: KPI and score code never reads the clock or does IO; only `store` opens
//! SQLite; an import is all-or-nothing.

pub mod browse;
pub mod demo;
pub mod kpi;
pub mod lang;
pub mod model;
pub mod month;
pub mod score;
pub mod settings;
pub mod sources;

pub use model::{Data, Kind};
pub use month::Month;
pub use settings::Settings;
pub mod error;
pub mod import;
pub mod insights;
pub mod store;

pub use error::{Error, Lang};
pub mod explain;
pub mod overview;
pub mod report;
pub mod trends;
pub mod window;
pub mod worker;

// Windows users' files: open in Excel, drive letters, \\?\ paths (tests, Windows only)
#[cfg(all(test, windows))]
mod windows_habits;
