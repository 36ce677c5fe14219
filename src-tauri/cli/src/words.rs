//! The CLI's wording of engine errors: where the engine's neutral message leaves out what
//! to do, the CLI names its own options and commands (`--kind`, `--map`, `--sheet`,
//! `--replace`, `cspulse batches`). The same facts; the code (and exit code) stays the same.

use cspulse_engine::error::words::{kept_before_restore, kind_list, name, sheet_part};
use cspulse_engine::error::{BackupProblem, Error, Lang};
use cspulse_engine::settings::SettingError;

/// The message `cspulse` prints for `e`.
pub fn message(e: &Error, lang: Lang) -> String {
    if let Error::RestoreFailed { safety, source } = e {
        return format!(
            "{} {}",
            message(source, lang),
            kept_before_restore(safety, lang)
        );
    }
    cli_wording(e, lang).unwrap_or_else(|| e.message(lang))
}

/// `None`: the engine's message fits the command line as it is.
fn cli_wording(e: &Error, lang: Lang) -> Option<String> {
    use Error::*;
    Some(match e {
            OnlyHiddenSheets { file, sheets } => lang.pick(
                format!("The tables of {} are on hidden sheets ({}), which are not imported unless you choose one. Import it with --sheet \"{}\" or show the sheet in Excel.", name(file), sheets.join(", "), sheets[0]),
                format!("Die Tabellen von {} stehen auf ausgeblendeten Blättern ({}), die nur auf Wunsch importiert werden. Importieren Sie eines mit --sheet \"{}\" oder blenden Sie das Blatt in Excel ein.", name(file), sheets.join(", "), sheets[0]),
            ),
            UnknownKind { file, sheet, headers } => {
                let headers: Vec<String> =
                    headers.iter().map(|h| h.replace(['\n', '\r'], " ")).collect();
                lang.pick(
                format!("Cannot tell what {}{} contains from its column headers ({}). Choose the kind of data with --kind (e.g. --kind revenue).", name(file), sheet_part(sheet, lang), headers.join(", ")),
                format!("Aus den Spaltenüberschriften von {}{} ({}) ist nicht erkennbar, welche Daten sie enthält. Wählen Sie die Datenart mit --kind (z. B. --kind revenue).", name(file), sheet_part(sheet, lang), headers.join(", ")),
            )
            }
            KindUncertain { file, sheet, candidates, headers } => {
                let headers: Vec<String> =
                    headers.iter().map(|h| h.replace(['\n', '\r'], " ")).collect();
                let first = candidates.first().map_or("revenue", |k| k.id());
                lang.pick(
                    format!("{}{} could be {} (its column headers: {}); CS Pulse does not import it on a guess. Choose the kind of data with --kind (e.g. --kind {first}). Nothing was imported.", name(file), sheet_part(sheet, lang), kind_list(candidates, Lang::En), headers.join(", ")),
                    format!("{}{} könnte {} sein (Spaltenüberschriften: {}); CS Pulse importiert sie nicht auf Verdacht. Wählen Sie die Datenart mit --kind (z. B. --kind {first}). Es wurde nichts importiert.", name(file), sheet_part(sheet, lang), kind_list(candidates, Lang::De), headers.join(", ")),
                )
            }
            OverlapAddAccounts { file } => lang.pick(
                format!("{} is a list of accounts: one record per customer, so it cannot be added as additional records. A later list always updates the earlier one (accounts it leaves out stay as they were). Import it without --overlap add. Nothing was imported.", name(file)),
                format!("{} ist eine Kundenliste: ein Datensatz je Kunde, daher kann sie nicht als zusätzliche Datensätze hinzugefügt werden. Eine spätere Liste aktualisiert die frühere (Kunden, die darin fehlen, bleiben, wie sie waren). Importieren Sie sie ohne --overlap add. Es wurde nichts importiert.", name(file)),
            ),
            NoSuchProfile(n) => lang.pick(
                format!("There is no import profile “{n}”. `cspulse profiles` lists them."),
                format!("Es gibt kein Importprofil „{n}“. `cspulse profiles` listet sie auf."),
            ),
            BadProfile { file, detail } => lang.pick(
                format!("{} is not an import profile CS Pulse can use ({detail}). Export profiles with `cspulse profiles export` or from the settings.", name(file)),
                format!("{} ist kein Importprofil, das CS Pulse verwenden kann ({detail}). Profile exportieren Sie mit `cspulse profiles export` oder in den Einstellungen.", name(file)),
            ),
            MissingRequired { file, sheet, kind, fields } => lang.pick(
                format!("{}{} looks like {kind} data, but no column holds {}. Add the column or assign it with --map FIELD=COLUMN. Nothing was imported.", name(file), sheet_part(sheet, lang), fields.join(", ")),
                format!("{}{} sieht nach {kind}-Daten aus, aber keine Spalte enthält {}. Ergänzen Sie die Spalte oder ordnen Sie sie mit --map FELD=SPALTE zu. Es wurde nichts importiert.", name(file), sheet_part(sheet, lang), fields.join(", ")),
            ),
            AlreadyImported { file, batch_id } => lang.pick(
                format!("{} was already imported (batch {batch_id}). Nothing was changed. Use --replace to import it again in place of that batch.", name(file)),
                format!("{} wurde bereits importiert (Import {batch_id}). Es wurde nichts geändert. Mit --replace ersetzt der neue Import den alten.", name(file)),
            ),
            NoSuchBatch(id) => lang.pick(
                format!("There is no import with number {id}. `cspulse batches` lists them."),
                format!("Es gibt keinen Import mit der Nummer {id}. `cspulse batches` listet sie auf."),
            ),
            Setting(SettingError::UnknownKey(k)) => lang.pick(
                format!("There is no setting “{k}”. `cspulse settings` lists them."),
                format!("Es gibt keine Einstellung „{k}“. `cspulse settings` listet sie auf."),
            ),
            BadBackup { file, problem: BackupProblem::NotADatabase } => lang.pick(
                format!("{} is not a CS Pulse backup. Choose a file made with “cspulse backup” or the app's backup. Nothing was changed.", name(file)),
                format!("{} ist keine CS-Pulse-Sicherung. Wählen Sie eine Datei, die mit „cspulse backup“ oder der Sicherung der App erstellt wurde. Es wurde nichts geändert.", name(file)),
            ),
            _ => return None,
    })
}
