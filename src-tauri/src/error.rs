//! The one error shape every command returns: `{"code": "...", "message": "..."}`.
//! The UI switches on `code` (stable, from the engine) and shows `message` as it is.

use cspulse_engine::error::{Error, Lang};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct CommandError {
    /// Stable machine code, e.g. `file_unreadable`, `bad_month`, `internal`.
    pub code: String,
    /// Plain-language message in the UI's language.
    pub message: String,
}

impl CommandError {
    pub fn new(e: &Error, lang: Lang) -> CommandError {
        CommandError {
            code: e.code().to_owned(),
            message: e.message(lang),
        }
    }

    /// A state no user action causes (a panic while holding the store).
    pub fn internal(lang: Lang) -> CommandError {
        CommandError {
            code: "internal".to_owned(),
            message: lang.pick(
                "CS Pulse ran into an internal problem. Please restart the app.".to_owned(),
                "CS Pulse hat ein internes Problem. Bitte starten Sie die App neu.".to_owned(),
            ),
        }
    }
}

/// The language the UI asked for (`de-DE`, `en`, ...); English when it did not say.
pub fn ui_lang(tag: Option<&str>) -> Lang {
    tag.map(Lang::from_tag).unwrap_or_default()
}
