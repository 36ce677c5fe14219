//! The command boundary: whatever goes wrong inside a command reaches the UI as a
//! `CommandError` (a plain message it can show), never as a promise that does not settle or
//! a white window. Failures are logged by code only: messages may quote the user's data.

use crate::error::CommandError;
use cspulse_engine::error::Lang;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Runs one command's body; a panic becomes `CommandError::internal`. Safe because every
/// change to the database is one transaction: a body that unwinds rolls its change back.
pub fn guard<T>(
    command: &'static str,
    lang: Lang,
    body: impl FnOnce() -> Result<T, CommandError>,
) -> Result<T, CommandError> {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => {
            log::warn!("{command}: failed with {}", e.code);
            Err(e)
        }
        Err(_) => {
            log::error!("{command}: internal error (panic), answered with code internal");
            Err(CommandError::internal(lang))
        }
    }
}

/// Runs a command's body on a thread for blocking work, off the async runtime's few threads
/// (as many as cores): a command that waits for the store's mutex, for SQLite or for a dialog
/// never holds up the commands behind it. A body that panics is caught by its [`guard`]; a
/// task that could not run at all answers `internal`.
pub async fn blocking<T: Send + 'static>(
    lang: Lang,
    body: impl FnOnce() -> Result<T, CommandError> + Send + 'static,
) -> Result<T, CommandError> {
    tauri::async_runtime::spawn_blocking(body)
        .await
        .unwrap_or_else(|_| Err(CommandError::internal(lang)))
}
