//! The one error shape every command returns: `{"code": "...", "message": "..."}`.
//! The UI switches on `code` (stable, from the engine) and shows `message` as it is.

use cspulse_engine::error::{name, sheet_part, Error, Lang};
use cspulse_engine::settings::SettingError;
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
            message: window_message(e, lang).unwrap_or_else(|| e.message(lang)),
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

/// The engine's message worded for the window, where the engine's own names a command-line
/// option (`--kind`, `--map`, `--sheet`, `--replace`) or command: the same facts, and what to
/// do in the app instead. `None`: the engine's message fits as it is.
fn window_message(e: &Error, lang: Lang) -> Option<String> {
    Some(match e {
        Error::OnlyHiddenSheets { file, sheets } => lang.pick(
            format!(
                "The tables of {} are on hidden sheets ({}), which are imported only when chosen. \
                 Choose the sheet in the import window, or show it in Excel.",
                name(file),
                sheets.join(", ")
            ),
            format!(
                "Die Tabellen von {} stehen auf ausgeblendeten Blättern ({}), die nur auf Wunsch \
                 importiert werden. Wählen Sie das Blatt im Importfenster, oder blenden Sie es in \
                 Excel ein.",
                name(file),
                sheets.join(", ")
            ),
        ),
        Error::UnknownKind {
            file,
            sheet,
            headers,
        } => {
            let headers: Vec<String> = headers
                .iter()
                .map(|h| h.replace(['\n', '\r'], " "))
                .collect();
            lang.pick(
                format!(
                    "Cannot tell what {}{} contains from its column headers ({}). Choose the kind \
                     of data in the import window.",
                    name(file),
                    sheet_part(sheet, lang),
                    headers.join(", ")
                ),
                format!(
                    "Aus den Spaltenüberschriften von {}{} ({}) ist nicht erkennbar, welche Daten \
                     sie enthält. Wählen Sie die Datenart im Importfenster.",
                    name(file),
                    sheet_part(sheet, lang),
                    headers.join(", ")
                ),
            )
        }
        Error::MissingRequired {
            file,
            sheet,
            kind,
            fields,
        } => lang.pick(
            format!(
                "{}{} looks like {kind} data, but no column holds {}. Assign a column to it in the \
                 import window, or add the column to the file. Nothing was imported.",
                name(file),
                sheet_part(sheet, lang),
                fields.join(", ")
            ),
            format!(
                "{}{} sieht nach {kind}-Daten aus, aber keine Spalte enthält {}. Ordnen Sie im \
                 Importfenster eine Spalte zu, oder ergänzen Sie die Spalte in der Datei. Es wurde \
                 nichts importiert.",
                name(file),
                sheet_part(sheet, lang),
                fields.join(", ")
            ),
        ),
        Error::AlreadyImported { file, batch_id } => lang.pick(
            format!(
                "{} was already imported (import {batch_id}). Nothing was changed. Tick “Replace \
                 the earlier import of this file” to import it again in its place.",
                name(file)
            ),
            format!(
                "{} wurde bereits importiert (Import {batch_id}). Es wurde nichts geändert. \
                 Kreuzen Sie „Den früheren Import dieser Datei ersetzen“ an, um sie an seiner Stelle erneut zu \
                 importieren.",
                name(file)
            ),
        ),
        Error::NoSuchBatch(id) => lang.pick(
            format!("There is no import with number {id}. The import history lists them."),
            format!("Es gibt keinen Import mit der Nummer {id}. Der Importverlauf listet sie auf."),
        ),
        Error::Setting(SettingError::UnknownKey(k)) => lang.pick(
            format!("There is no setting “{k}”."),
            format!("Es gibt keine Einstellung „{k}“."),
        ),
        _ => return None,
    })
}

/// The language the UI asked for (`de-DE`, `en`, ...); English when it did not say.
pub fn ui_lang(tag: Option<&str>) -> Lang {
    tag.map(Lang::from_tag).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
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
