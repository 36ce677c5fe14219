//! Thin `#[tauri::command]`s, one file per feature: parse, call the engine, map the error.
//! Every body runs inside [`crate::guard::guard`], and every command has a permission in
//! `src-tauri/permissions/` granted to the main window only (tauri.conf.json).

pub mod about;
pub mod board;
pub mod browse;
pub mod dashboard;
pub mod database;
pub mod drops;
pub mod history;
pub mod import;
pub mod links;
pub mod profiles;
pub mod report;
pub mod settings;
pub mod trust;
