//! The one error shape every command returns: `{"code": "...", "message": "..."}`.
//! The UI switches on `code` (stable: the engine's [`ErrorCode`] or the app's own
//! [`AppCode`], a union of string literals in TypeScript) and shows `message` as it is.
//! The app's wording of engine errors lives here, not in the engine ([`app_message`]).

use cspulse_engine::error::words::{kept_before_restore, kind_names, name, sheet_part};
use cspulse_engine::error::{BackupProblem, Error, ErrorCode, Lang};
use cspulse_engine::settings::SettingError;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct CommandError {
    /// Stable machine code, e.g. `file_unreadable`, `bad_month`, `internal`.
    pub code: Code,
    /// Plain-language message in the UI's language.
    pub message: String,
}

/// The codes of failures that are the app's own, not the engine's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AppCode {
    /// A state no user action causes (a panic while holding the store).
    Internal,
    /// A newer reading of the same file replaced this one.
    Superseded,
    /// A file the user did not choose in this window.
    FileNotChosen,
    /// A file that did not open in time (a network path that does not answer).
    FileNotAnswering,
    /// The UI's own, never sent by the app: a call that failed before it reached a command
    /// (`ui/src/ipc/index.ts`).
    Ipc,
}

/// A command's error code: the engine's or the app's (in TypeScript `ErrorCode | AppCode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(untagged)]
#[ts(export)]
pub enum Code {
    Engine(ErrorCode),
    App(AppCode),
}

impl From<ErrorCode> for Code {
    fn from(c: ErrorCode) -> Code {
        Code::Engine(c)
    }
}

impl From<AppCode> for Code {
    fn from(c: AppCode) -> Code {
        Code::App(c)
    }
}

/// `err.code == "internal"`: the code as the UI sees it.
impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        serde_json::to_value(self).is_ok_and(|v| v == *other)
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::String(s)) => f.write_str(&s),
            _ => f.write_str("internal"),
        }
    }
}

impl CommandError {
    pub fn new(e: &Error, lang: Lang) -> CommandError {
        CommandError {
            code: e.error_code().into(),
            message: app_message(e, lang),
        }
    }

    /// A state no user action causes (a panic while holding the store).
    pub fn internal(lang: Lang) -> CommandError {
        CommandError {
            code: AppCode::Internal.into(),
            message: lang.pick(
                "CS Pulse ran into an internal problem. Please restart the app.".to_owned(),
                "CS Pulse hat ein internes Problem. Bitte starten Sie die App neu.".to_owned(),
            ),
        }
    }
}

/// The message the app shows for `e`: the engine's, except where the app says what to do
/// in its own windows (the same facts; the code stays the engine's). Also the worker's
/// wording (`worker::serve`), so a workbook's failure reads the same as a text file's.
pub fn app_message(e: &Error, lang: Lang) -> String {
    if let Error::RestoreFailed { safety, source } = e {
        return format!(
            "{} {}",
            app_message(source, lang),
            kept_before_restore(safety, lang)
        );
    }
    app_wording(e, lang).unwrap_or_else(|| e.message(lang))
}

/// The app's own wording where the engine's neutral [`Error::message`] leaves out what to
/// do in the app (which window, which tick box). `None`: the engine's message fits as it is.
fn app_wording(e: &Error, lang: Lang) -> Option<String> {
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
        Error::KindUncertain {
            file,
            sheet,
            headers,
            ..
        } if cspulse_engine::import::is_billing_export(headers) => lang.pick(
            format!(
                "{}{} looks like a billing export (invoice or subscription lines): its amounts \
                 are not MRR as they stand, and CS Pulse does not yet turn billing lines into \
                 MRR. Export MRR per customer and month from your billing tool, or choose \
                 Revenue if each row already is one customer's MRR of one month.",
                name(file),
                sheet_part(sheet, lang)
            ),
            format!(
                "{}{} sieht aus wie ein Abrechnungsexport (Rechnungs- oder Abonnementzeilen): \
                 Die Beträge sind nicht ohne Weiteres MRR, und CS Pulse rechnet \
                 Abrechnungszeilen noch nicht in MRR um. Exportieren Sie den MRR je Kunde und \
                 Monat aus Ihrem Abrechnungssystem, oder wählen Sie Umsatz, wenn jede Zeile schon \
                 der MRR eines Kunden in einem Monat ist.",
                name(file),
                sheet_part(sheet, lang)
            ),
        ),
        Error::KindUncertain {
            file,
            sheet,
            candidates,
            ..
        } => lang.pick(
            format!(
                "{}{} could be {}. Choose the kind of data in the import window; CS Pulse does \
                 not import it on a guess.",
                name(file),
                sheet_part(sheet, lang),
                kind_names(candidates, Lang::En)
            ),
            format!(
                "{}{} könnte {} sein. Wählen Sie die Datenart im Importfenster; CS Pulse \
                 importiert sie nicht auf Verdacht.",
                name(file),
                sheet_part(sheet, lang),
                kind_names(candidates, Lang::De)
            ),
        ),
        Error::OverlapAddAccounts { file } => lang.pick(
            format!(
                "{} is a list of accounts: a later list always updates the earlier one, so it \
                 cannot be added as additional records. Nothing was imported.",
                name(file)
            ),
            format!(
                "{} ist eine Kundenliste: Eine spätere Liste aktualisiert immer die frühere, daher \
                 kann sie nicht als zusätzliche Datensätze hinzugefügt werden. Es wurde nichts \
                 importiert.",
                name(file)
            ),
        ),
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
        Error::BadBackup {
            file,
            problem: BackupProblem::NotADatabase,
        } => lang.pick(
            format!(
                "{} is not a CS Pulse backup. Choose a file made with “Back up …” in the settings. \
                 Nothing was changed.",
                name(file)
            ),
            format!(
                "{} ist keine CS-Pulse-Sicherung. Wählen Sie eine Datei, die mit „Sichern …“ in den \
                 Einstellungen erstellt wurde. Es wurde nichts geändert.",
                name(file)
            ),
        ),
        _ => return None,
    })
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
                    !engine.contains("--")
                        && !engine.contains("cspulse")
                        && !engine.contains("Importfenster")
                        && !engine.contains("import window"),
                    "the engine's own message names neither the CLI nor a window: {engine}"
                );
                let shown = CommandError::new(e, lang);
                assert_eq!(shown.code, e.code(), "the code stays the engine's");
                assert_eq!(shown.code, Code::Engine(e.error_code()));
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

    /// A failed restore is worded as why it failed, plus where the data from before is:
    /// in the app's words, with the engine's code.
    #[test]
    fn a_failed_restore_says_where_the_data_from_before_is() {
        let safety = PathBuf::from("/home/u/cs.db.before-restore");
        let e = Error::RestoreFailed {
            safety: safety.clone(),
            source: Box::new(Error::BadBackup {
                file: "alt.db".into(),
                problem: BackupProblem::NotADatabase,
            }),
        };
        for lang in [Lang::En, Lang::De] {
            let shown = CommandError::new(&e, lang);
            assert_eq!(shown.code, "bad_backup");
            assert!(shown.message.contains(&safety.display().to_string()));
            assert!(
                shown.message.starts_with(&app_message(
                    &Error::BadBackup {
                        file: "alt.db".into(),
                        problem: BackupProblem::NotADatabase,
                    },
                    lang
                )),
                "{}",
                shown.message
            );
        }
    }

    /// The code travels as the plain string the UI switches on, the engine's and the app's
    /// alike (TypeScript: `ErrorCode | AppCode`).
    #[test]
    fn codes_serialize_as_their_strings() {
        for code in ErrorCode::ALL {
            let v = serde_json::to_value(Code::from(code)).unwrap();
            assert_eq!(v, code.as_str());
            assert_eq!(Code::from(code), code.as_str());
        }
        let internal = serde_json::to_value(CommandError::internal(Lang::En)).unwrap();
        assert_eq!(internal["code"], "internal");
        assert_eq!(
            Code::from(AppCode::FileNotChosen).to_string(),
            "file_not_chosen"
        );
        // app codes never shadow an engine code
        for app in [
            AppCode::Internal,
            AppCode::Superseded,
            AppCode::FileNotChosen,
            AppCode::FileNotAnswering,
            AppCode::Ipc,
        ] {
            let s = Code::from(app).to_string();
            assert!(ErrorCode::ALL.iter().all(|c| c.as_str() != s), "{s}");
        }
    }
}
