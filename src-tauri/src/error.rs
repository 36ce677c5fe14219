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
            message: e.app_message(lang),
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

/// One of two fixed texts in `lang` (`Lang::pick` takes owned strings).
pub fn text(lang: Lang, en: &'static str, de: &'static str) -> &'static str {
    match lang {
        Lang::De => de,
        Lang::En => en,
    }
}

/// The language the UI asked for (`de-DE`, `en`, ...); English when it did not say.
pub fn ui_lang(tag: Option<&str>) -> Lang {
    tag.map(Lang::from_tag).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use cspulse_engine::error::BackupProblem;
    use cspulse_engine::settings::SettingError;
    use std::path::PathBuf;

    #[test]
    fn messages_in_the_window_name_no_command_line_options() {
        let file = PathBuf::from("/home/u/Exporte/umsatz.xlsx");
        let errors = [
            Error::OnlyHiddenSheets {
                file: file.clone(),
                sheets: vec!["Daten".into()],
            },
            Error::UnknownKind {
                file: file.clone(),
                sheet: Some("Tabelle1".into()),
                headers: vec!["A".into(), "B\nC".into()],
            },
            Error::MissingRequired {
                file: file.clone(),
                sheet: None,
                kind: "revenue".into(),
                fields: vec!["account_id".into()],
            },
            Error::AlreadyImported {
                file: file.clone(),
                batch_id: 7,
            },
            Error::NoSuchBatch(9),
            Error::Setting(SettingError::UnknownKey("weight.x".into())),
            Error::BadBackup {
                file: file.clone(),
                problem: BackupProblem::NotADatabase,
            },
        ];
        for e in &errors {
            for lang in [Lang::En, Lang::De] {
                let engine = e.message(lang);
                assert!(
                    engine.contains("--") || engine.contains("cspulse"),
                    "the engine's own message names the CLI: {engine}"
                );
                let shown = CommandError::new(e, lang);
                assert_eq!(shown.code, e.code(), "the code stays the engine's");
                assert!(
                    !shown.message.contains("--") && !shown.message.contains("cspulse"),
                    "{}",
                    shown.message
                );
                assert!(!shown.message.contains('\n'), "{}", shown.message);
                assert!(
                    !shown.message.contains("/home/u"),
                    "only the file name: {}",
                    shown.message
                );
            }
        }
        let de = CommandError::new(&errors[2], Lang::De).message;
        assert!(
            de.contains("umsatz.xlsx") && de.contains("account_id") && de.contains("Importfenster"),
            "{de}"
        );
    }
}
