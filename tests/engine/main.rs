//! Integration tests of the engine: hand-checked KPI and CS-score cases against
//! `shared/spec/kpis.md`. One module per engine module; `fixture` builds `Data` by hand.
#![allow(clippy::unwrap_used)]

mod billing;
mod browse;
mod case;
mod catalogue;
mod explain;
mod fixture;
mod identity;
mod import;
mod import_hostile;
mod import_messy;
mod insights;
mod kind;
mod kpi;
mod monthly;
mod properties;
mod regression;
mod report;
mod safety;
mod score;
mod store;
mod tools_wrap;
mod wizard;

/// The temporary folder, shared with the CLI's and the app's tests.
#[path = "../common/tmp.rs"]
mod tmp;
