//! Thin `#[tauri::command]`s, one file per feature: parse, call the engine, map the error.

pub mod dashboard;
