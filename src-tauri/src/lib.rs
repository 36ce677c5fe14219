//! The desktop shell of CS Pulse: the only Rust code that knows Tauri.
//!
//! It opens the store, loads the sample company on a first start, and exposes thin
//! commands over the engine (`cspulse_engine`), which knows nothing of windows or IPC.

mod commands;
mod db;
mod error;

pub use error::CommandError;

use tauri::{Builder, Runtime};

/// Everything the app adds to a Tauri builder: the store as managed state and the
/// commands. Generic over the runtime so `tests/app` starts the same setup on
/// `tauri::test::mock_builder()`.
///
/// The store is opened here, before any window exists, so no command can run without it.
/// A store that cannot be opened is not fatal: every command then answers with the reason,
/// and the window shows a plain-language message instead of nothing.
pub fn build_app<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    builder
        .manage(db::Db::open_or_load_demo())
        .invoke_handler(tauri::generate_handler![commands::dashboard::get_dashboard])
}

/// Starts the desktop app (called by `main`).
pub fn run() {
    build_app(Builder::default())
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("CS Pulse could not start: {e}");
            std::process::exit(1)
        });
}
