//! The engine's own wording of each [`Error`]: what happened and what to do, in words that
//! name neither a command-line option nor a window. The CLI (`cli/src/words.rs`) and the app
//! (`src-tauri/src/error.rs`) word a few of them their own way, with the same facts.

use super::words::{kept_before_restore, kind_list, name, schema_diff_words, sheet_part};
use super::{is_disk_full, BackupProblem, Error, FilterProblem, Lang, Limit, MappingProblem};

impl Error {
    /// One or two plain sentences: what happened and what to do, for any front end.
    pub fn message(&self, lang: Lang) -> String {
        use Error::*;
        match self {
            FileUnreadable { file, reason } => {
                use std::io::ErrorKind as K;
                match reason {
                    K::NotFound => lang.pick(
                        format!("The file {} does not exist. Check the name and the folder.", file.display()),
                        format!("Die Datei {} existiert nicht. Prüfen Sie den Namen und den Ordner.", file.display()),
                    ),
                    K::PermissionDenied => lang.pick(
                        format!("You have no permission to read {}. Copy it to a folder of your own and try again.", name(file)),
                        format!("Sie haben keine Berechtigung, {} zu lesen. Kopieren Sie die Datei in einen eigenen Ordner und versuchen Sie es erneut.", name(file)),
                    ),
                    K::IsADirectory => lang.pick(
                        format!("{} is a folder, not a file. Choose one of the files in it.", file.display()),
                        format!("{} ist ein Ordner, keine Datei. Wählen Sie eine der Dateien darin.", file.display()),
                    ),
                    _ => lang.pick(
                        format!("The file {} cannot be read. Check that it is not open in another program and try again.", name(file)),
                        format!("Die Datei {} lässt sich nicht lesen. Prüfen Sie, ob sie in einem anderen Programm geöffnet ist, und versuchen Sie es erneut.", name(file)),
                    ),
                }
            }
            UnsupportedFormat { file } => lang.pick(
                format!("{} is not a spreadsheet CS Pulse can read. Save it as .xlsx or .csv and try again.", name(file)),
                format!("{} ist keine Tabelle, die CS Pulse lesen kann. Speichern Sie sie als .xlsx oder .csv und versuchen Sie es erneut.", name(file)),
            ),
            Corrupt { file, detail } => lang.pick(
                format!("{} seems to be damaged and cannot be read ({detail}). Open it in Excel, save it again and retry.", name(file)),
                format!("{} scheint beschädigt zu sein und kann nicht gelesen werden ({detail}). Öffnen Sie sie in Excel, speichern Sie sie erneut und versuchen Sie es noch einmal.", name(file)),
            ),
            LockFile { file } => lang.pick(
                format!("{} is not a workbook but the lock file Excel writes while a workbook is open. Choose the file without “~$” in front of its name.", name(file)),
                format!("{} ist keine Arbeitsmappe, sondern die Sperrdatei, die Excel anlegt, solange eine Mappe geöffnet ist. Wählen Sie die Datei ohne „~$“ vor dem Namen.", name(file)),
            ),
            Encrypted { file } => lang.pick(
                format!("{} is protected with a password. Open it in Excel, remove the password (File → Info → Protect Workbook), save and import it again.", name(file)),
                format!("{} ist mit einem Kennwort geschützt. Öffnen Sie sie in Excel, entfernen Sie das Kennwort (Datei → Informationen → Arbeitsmappe schützen), speichern Sie und importieren Sie erneut.", name(file)),
            ),
            TooLarge { file, limit } => {
                let (en, de) = match limit {
                    Limit::Rows => ("it has more rows than CS Pulse imports from one sheet (5 million)", "sie hat mehr Zeilen, als CS Pulse aus einem Blatt importiert (5 Millionen)"),
                    Limit::Columns => ("a row has more than 16,384 columns, more than Excel allows", "eine Zeile hat mehr als 16.384 Spalten, mehr als Excel erlaubt"),
                    Limit::Cells => ("it has more cells than CS Pulse imports from one file (200 million)", "sie hat mehr Zellen, als CS Pulse aus einer Datei importiert (200 Millionen)"),
                    Limit::CellText => ("a cell holds more than a million characters", "eine Zelle enthält mehr als eine Million Zeichen"),
                    Limit::Inflated => ("its compressed content would unpack to far more than a spreadsheet holds", "ihr komprimierter Inhalt würde sich auf weit mehr entpacken, als eine Tabelle enthält"),
                    Limit::Time => ("reading it took longer than allowed", "das Lesen dauerte länger als erlaubt"),
                    Limit::Memory => ("reading it needed more memory than allowed", "das Lesen brauchte mehr Arbeitsspeicher als erlaubt"),
                    Limit::Cpu => ("reading it needed more processor time than allowed", "das Lesen brauchte mehr Rechenzeit als erlaubt"),
                };
                lang.pick(
                    format!("{} cannot be imported: {en}. It may be damaged; otherwise split it into smaller files. Nothing was imported.", name(file)),
                    format!("{} kann nicht importiert werden: {de}. Sie ist vielleicht beschädigt; sonst teilen Sie sie in kleinere Dateien auf. Es wurde nichts importiert.", name(file)),
                )
            }
            OnlyHiddenSheets { file, sheets } => lang.pick(
                format!("The tables of {} are on hidden sheets ({}), which are not imported unless you choose one. Choose the sheet “{}” to import it, or show the sheet in Excel.", name(file), sheets.join(", "), sheets[0]),
                format!("Die Tabellen von {} stehen auf ausgeblendeten Blättern ({}), die nur auf Wunsch importiert werden. Wählen Sie das Blatt „{}“, um es zu importieren, oder blenden Sie es in Excel ein.", name(file), sheets.join(", "), sheets[0]),
            ),
            Cancelled { file } => lang.pick(
                format!("The import of {} was cancelled. Nothing was imported.", name(file)),
                format!("Der Import von {} wurde abgebrochen. Es wurde nichts importiert.", name(file)),
            ),
            Empty { file, sheet } => lang.pick(
                format!("{}{} contains no table. Nothing was imported.", name(file), sheet_part(sheet, lang)),
                format!("{}{} enthält keine Tabelle. Es wurde nichts importiert.", name(file), sheet_part(sheet, lang)),
            ),
            NoSuchSheet { file, sheet, sheets } => lang.pick(
                format!("{} has no sheet named “{sheet}”. Its sheets are: {}.", name(file), sheets.join(", ")),
                format!("{} hat kein Blatt „{sheet}“. Vorhandene Blätter: {}.", name(file), sheets.join(", ")),
            ),
            UnknownKind { file, sheet, headers } => {
                let headers: Vec<String> =
                    headers.iter().map(|h| h.replace(['\n', '\r'], " ")).collect();
                lang.pick(
                format!("Cannot tell what {}{} contains from its column headers ({}). Say which kind of data it holds (e.g. revenue).", name(file), sheet_part(sheet, lang), headers.join(", ")),
                format!("Aus den Spaltenüberschriften von {}{} ({}) ist nicht erkennbar, welche Daten sie enthält. Geben Sie an, welche Datenart sie enthält (z. B. revenue).", name(file), sheet_part(sheet, lang), headers.join(", ")),
            )
            }
            KindUncertain { file, sheet, headers, .. } if crate::import::is_billing_export(headers) => {
                let headers: Vec<String> =
                    headers.iter().map(|h| h.replace(['\n', '\r'], " ")).collect();
                lang.pick(
                    format!("{}{} looks like a billing export: invoice or subscription lines with a service period or a billing interval (its column headers: {}). Its amounts are not MRR as they stand and its customers are not an accounts list, so CS Pulse does not import it on a guess. CS Pulse does not yet turn billing lines into MRR: export MRR per customer and month from your billing tool, or say the file holds revenue if each row already is one customer's MRR of one month. Nothing was imported.", name(file), sheet_part(sheet, lang), headers.join(", ")),
                    format!("{}{} sieht aus wie ein Abrechnungsexport: Rechnungs- oder Abonnementzeilen mit Leistungszeitraum oder Abrechnungsintervall (Spaltenüberschriften: {}). Die Beträge sind nicht ohne Weiteres MRR und die Kunden keine Kundenliste, daher importiert CS Pulse die Datei nicht auf Verdacht. CS Pulse rechnet Abrechnungszeilen noch nicht in MRR um: Exportieren Sie den MRR je Kunde und Monat aus Ihrem Abrechnungssystem, oder geben Sie an, dass die Datei Umsatz (revenue) enthält, wenn jede Zeile schon der MRR eines Kunden in einem Monat ist. Es wurde nichts importiert.", name(file), sheet_part(sheet, lang), headers.join(", ")),
                )
            }
            KindUncertain { file, sheet, candidates, headers } => {
                let headers: Vec<String> =
                    headers.iter().map(|h| h.replace(['\n', '\r'], " ")).collect();
                let first = candidates.first().map_or("revenue", |k| k.id());
                lang.pick(
                    format!("{}{} could be {} (its column headers: {}); CS Pulse does not import it on a guess. Say which kind of data it holds (e.g. {first}). Nothing was imported.", name(file), sheet_part(sheet, lang), kind_list(candidates, Lang::En), headers.join(", ")),
                    format!("{}{} könnte {} sein (Spaltenüberschriften: {}); CS Pulse importiert sie nicht auf Verdacht. Geben Sie an, welche Datenart sie enthält (z. B. {first}). Es wurde nichts importiert.", name(file), sheet_part(sheet, lang), kind_list(candidates, Lang::De), headers.join(", ")),
                )
            }
            OverlapAddAccounts { file } => lang.pick(
                format!("{} is a list of accounts: one record per customer, so it cannot be added as additional records. A later list always updates the earlier one (accounts it leaves out stay as they were). Import it as an update of the earlier list. Nothing was imported.", name(file)),
                format!("{} ist eine Kundenliste: ein Datensatz je Kunde, daher kann sie nicht als zusätzliche Datensätze hinzugefügt werden. Eine spätere Liste aktualisiert die frühere (Kunden, die darin fehlen, bleiben, wie sie waren). Importieren Sie sie als Aktualisierung der früheren Liste. Es wurde nichts importiert.", name(file)),
            ),
            NoSuchProfile(n) => lang.pick(
                format!("There is no import profile “{n}”."),
                format!("Es gibt kein Importprofil „{n}“."),
            ),
            ProfileExists(n) => lang.pick(
                format!("An import profile “{n}” exists already. Choose another name, or delete or rename that one first."),
                format!("Ein Importprofil „{n}“ gibt es schon. Wählen Sie einen anderen Namen, oder löschen oder benennen Sie jenes zuerst um."),
            ),
            BadProfile { file, detail } => lang.pick(
                format!("{} is not an import profile CS Pulse can use ({detail}). Use a profile exported by CS Pulse.", name(file)),
                format!("{} ist kein Importprofil, das CS Pulse verwenden kann ({detail}). Verwenden Sie ein von CS Pulse exportiertes Profil.", name(file)),
            ),
            BadKind(k) => lang.pick(
                format!("“{k}” is not a kind of data CS Pulse knows. Use one of: {}.", crate::Kind::ALL.map(|k| k.id()).join(", ")),
                format!("„{k}“ ist keine Datenart, die CS Pulse kennt. Möglich sind: {}.", crate::Kind::ALL.map(|k| k.id()).join(", ")),
            ),
            MissingRequired { file, sheet, kind, fields } => lang.pick(
                format!("{}{} looks like {kind} data, but no column holds {}. Add the column to the file or assign a column to the field. Nothing was imported.", name(file), sheet_part(sheet, lang), fields.join(", ")),
                format!("{}{} sieht nach {kind}-Daten aus, aber keine Spalte enthält {}. Ergänzen Sie die Spalte in der Datei oder ordnen Sie dem Feld eine Spalte zu. Es wurde nichts importiert.", name(file), sheet_part(sheet, lang), fields.join(", ")),
            ),
            BadMapping(m, problem) => match problem {
                MappingProblem::Syntax => lang.pick(
                    format!("“{m}” is not a mapping. Write it as FIELD=COLUMN, e.g. account_id=Kundennummer."),
                    format!("„{m}“ ist keine Zuordnung. Schreiben Sie FELD=SPALTE, z. B. account_id=Kundennummer."),
                ),
                MappingProblem::UnknownField => lang.pick(
                    format!("In “{m}” the field is not one of this kind's fields."),
                    format!("In „{m}“ ist das Feld keines der Felder dieser Datenart."),
                ),
                MappingProblem::UnknownColumn => lang.pick(
                    format!("In “{m}” the column is not in the file's header row."),
                    format!("In „{m}“ steht die Spalte nicht in der Kopfzeile der Datei."),
                ),
                MappingProblem::BadValue => lang.pick(
                    format!("In “{m}” the value is not one the field takes."),
                    format!("In „{m}“ ist der Wert keiner, den das Feld annimmt."),
                ),
            },
            AlreadyImported { file, batch_id } => lang.pick(
                format!("{} was already imported (batch {batch_id}). Nothing was changed. It can be imported again in place of that import.", name(file)),
                format!("{} wurde bereits importiert (Import {batch_id}). Es wurde nichts geändert. Sie kann an Stelle dieses Imports erneut importiert werden.", name(file)),
            ),
            NoSuchBatch(id) => lang.pick(
                format!("There is no import with number {id}."),
                format!("Es gibt keinen Import mit der Nummer {id}."),
            ),
            UndoGone(id) => lang.pick(
                format!("Import {id} can no longer be taken back: its rows were removed when the next import was saved. Import its file again if you need it."),
                format!("Import {id} kann nicht mehr zurückgeholt werden: Seine Zeilen wurden entfernt, als der nächste Import gespeichert wurde. Importieren Sie die Datei erneut, wenn Sie sie brauchen."),
            ),
            NotAFile { file } => lang.pick(
                format!("{} is not a regular file (it is a pipe, a device or a socket), so CS Pulse does not read it. Choose a spreadsheet or CSV file.", file.display()),
                format!("{} ist keine gewöhnliche Datei (sondern eine Pipe, ein Gerät oder ein Socket); CS Pulse liest sie daher nicht. Wählen Sie eine Tabelle oder CSV-Datei.", file.display()),
            ),
            Stopped { file, signal } => {
                let (en, de) = if *signal == 9 {
                    ("the system stopped it (signal 9), often because the computer ran out of memory", "das System hat ihn beendet (Signal 9), oft weil der Arbeitsspeicher des Computers nicht reichte")
                } else {
                    ("it was stopped from outside", "er wurde von außen beendet")
                };
                lang.pick(
                    format!("The import of {} did not finish: {en} (signal {signal}). Nothing was imported; please try again.", name(file)),
                    format!("Der Import von {} wurde nicht beendet: {de} (Signal {signal}). Es wurde nichts importiert; bitte versuchen Sie es erneut.", name(file)),
                )
            }
            RestoreFailed { safety, source } => format!("{} {}", source.message(lang), kept_before_restore(safety, lang)),
            ImportRunning => lang.pick(
                "An import is running. Wait until it has finished (or cancel it) and try again. Nothing was changed.".into(),
                "Ein Import läuft gerade. Warten Sie, bis er fertig ist (oder brechen Sie ihn ab), und versuchen Sie es dann erneut. Es wurde nichts geändert.".into(),
            ),
            BadMonth(m) => lang.pick(
                format!("“{m}” is not a month. Write it as YYYY-MM, e.g. 2026-10."),
                format!("„{m}“ ist kein Monat. Schreiben Sie JJJJ-MM, z. B. 2026-10."),
            ),
            UnknownAccount(a) => lang.pick(
                format!("The account “{a}” has no score in this month: it was not an active customer then. Pick another month or account."),
                format!("Der Kunde „{a}“ hat in diesem Monat keinen Score: Er war damals kein aktiver Kunde. Wählen Sie einen anderen Monat oder Kunden."),
            ),
            NoSuchAccount(a) => lang.pick(
                format!("No imported account has the id “{a}”. Link the value to an account id from your accounts file (`cspulse link VALUE` alone proposes similar accounts), or use --none if it is not a customer."),
                format!("Kein importierter Kunde hat die ID „{a}“. Verknüpfen Sie den Wert mit einer Kunden-ID aus Ihrer Kundenliste (`cspulse link WERT` allein schlägt ähnliche Kunden vor) oder verwenden Sie --none, wenn es kein Kunde ist."),
            ),
            EmptyLinkValue => lang.pick(
                "Nothing to link: the value is empty. Give the value exactly as the file writes it, e.g. cspulse link \"Schoen Consult\" 0017Q00000SCHO07AA.".to_owned(),
                "Nichts zu verknüpfen: Der Wert ist leer. Geben Sie den Wert so an, wie die Datei ihn schreibt, z. B. cspulse link \"Schoen Consult\" 0017Q00000SCHO07AA.".to_owned(),
            ),
            BadDimension(d) => lang.pick(
                format!("“{d}” is not something accounts can be grouped by. Use segment, owner, plan or region."),
                format!("Nach „{d}“ lassen sich Kunden nicht gruppieren. Verwenden Sie segment, owner, plan oder region."),
            ),
            DimensionNotOffered { dim, groups } => lang.pick(
                format!("The accounts fall into {groups} group(s) by {dim}, so there is nothing to compare. A breakdown needs at least two groups (import an accounts list with this column filled in)."),
                format!("Nach {dim} ergeben die Kunden nur {groups} Gruppe(n); es gibt nichts zu vergleichen. Eine Aufteilung braucht mindestens zwei Gruppen (importieren Sie eine Kundenliste, in der diese Spalte gefüllt ist)."),
            ),
            BadOverride(w) => lang.pick(
                format!("“{w}” is not a setting to try out. Write it as KEY=VALUE, e.g. weight.usage=50."),
                format!("„{w}“ ist keine Einstellung zum Ausprobieren. Schreiben Sie SCHLÜSSEL=WERT, z. B. weight.usage=50."),
            ),
            BadDate(d) => lang.pick(
                format!("“{d}” is not a date. Write it as YYYY-MM-DD, e.g. 2026-11-30."),
                format!("„{d}“ ist kein Datum. Schreiben Sie JJJJ-MM-TT, z. B. 2026-11-30."),
            ),
            BadNoteKey(k) => lang.pick(
                format!("“{k}” is not a note. Use summary, kpi:ID (e.g. kpi:nps) or account:ID (e.g. account:K-1001)."),
                format!("„{k}“ ist keine Notiz. Verwenden Sie summary, kpi:ID (z. B. kpi:nps) oder account:ID (z. B. account:K-1001)."),
            ),
            Setting(e) => match e {
                crate::settings::SettingError::UnknownKey(k) => lang.pick(
                    format!("There is no setting “{k}”."),
                    format!("Es gibt keine Einstellung „{k}“."),
                ),
                crate::settings::SettingError::BadValue { key, value, rule } => lang.pick(
                    format!("“{value}” cannot be used for {key}: {rule}."),
                    format!("„{value}“ ist für {key} nicht zulässig: {rule}."),
                ),
            },
            Database { path, detail } => lang.pick(
                format!("The database {} cannot be used ({detail}). Your data in it was not changed.", path.display()),
                format!("Die Datenbank {} kann nicht verwendet werden ({detail}). Ihre Daten darin wurden nicht verändert.", path.display()),
            ),
            NothingToReport => lang.pick(
                "There is no data to report on yet: import a file first. Nothing was written.".into(),
                "Es gibt noch keine Daten für einen Bericht: importieren Sie zuerst eine Datei. Es wurde nichts geschrieben.".into(),
            ),
            DatabaseTooNew { path, version, latest } => lang.pick(
                format!("The database {} was written by a newer version of CS Pulse (database version {version}, this app knows up to {latest}). Install the newer CS Pulse to open it; it was left unchanged.", path.display()),
                format!("Die Datenbank {} wurde von einer neueren CS-Pulse-Version geschrieben (Datenbankversion {version}, diese App kennt bis {latest}). Installieren Sie die neuere Version, um sie zu öffnen; sie wurde nicht verändert.", path.display()),
            ),
            BadBackup { file, problem } => match problem {
                BackupProblem::NotADatabase => lang.pick(
                    format!("{} is not a CS Pulse backup. Choose a file made with CS Pulse's backup. Nothing was changed.", name(file)),
                    format!("{} ist keine CS-Pulse-Sicherung. Wählen Sie eine Datei, die mit der Sicherung von CS Pulse erstellt wurde. Es wurde nichts geändert.", name(file)),
                ),
                BackupProblem::NotCsPulse => lang.pick(
                    format!("{} is a database, but not one of CS Pulse. Nothing was changed.", name(file)),
                    format!("{} ist eine Datenbank, aber keine von CS Pulse. Es wurde nichts geändert.", name(file)),
                ),
                BackupProblem::Damaged(detail) => lang.pick(
                    format!("The backup {} is damaged ({detail}). Choose another backup. Nothing was changed.", name(file)),
                    format!("Die Sicherung {} ist beschädigt ({detail}). Wählen Sie eine andere Sicherung. Es wurde nichts geändert.", name(file)),
                ),
                BackupProblem::Newer { version, latest } => lang.pick(
                    format!("The backup {} comes from a newer version of CS Pulse (database version {version}, this app knows up to {latest}). Install the newer CS Pulse to restore it. Nothing was changed.", name(file)),
                    format!("Die Sicherung {} stammt von einer neueren CS-Pulse-Version (Datenbankversion {version}, diese App kennt bis {latest}). Installieren Sie die neuere Version, um sie wiederherzustellen. Es wurde nichts geändert.", name(file)),
                ),
                BackupProblem::Schema { object, name: what, diff } => {
                    let (en, de) = schema_diff_words(object, what, *diff);
                    lang.pick(
                        format!("{} is not a backup as CS Pulse writes it: {en}. It is not restored; choose a file made with CS Pulse's backup. Nothing was changed.", name(file)),
                        format!("{} ist keine Sicherung, wie CS Pulse sie schreibt: {de}. Sie wird nicht wiederhergestellt; wählen Sie eine Datei, die mit der Sicherung von CS Pulse erstellt wurde. Es wurde nichts geändert.", name(file)),
                    )
                }
                BackupProblem::IsTheDatabase => lang.pick(
                    format!("{} is the database CS Pulse is using. Choose another file. Nothing was changed.", file.display()),
                    format!("{} ist die Datenbank, die CS Pulse gerade verwendet. Wählen Sie eine andere Datei. Es wurde nichts geändert.", file.display()),
                ),
            },
            CannotWrite { file, reason } => {
                use std::io::ErrorKind as K;
                match reason {
                    K::NotFound => lang.pick(
                        format!("The folder for {} does not exist. Choose an existing folder. Nothing was written.", file.display()),
                        format!("Der Ordner für {} existiert nicht. Wählen Sie einen vorhandenen Ordner. Es wurde nichts geschrieben.", file.display()),
                    ),
                    K::PermissionDenied | K::ReadOnlyFilesystem => lang.pick(
                        format!("You have no permission to write {}. Choose a folder of your own. Nothing was written.", file.display()),
                        format!("Sie haben keine Berechtigung, {} zu schreiben. Wählen Sie einen eigenen Ordner. Es wurde nichts geschrieben.", file.display()),
                    ),
                    K::StorageFull => lang.pick(
                        format!("The disk is full, so {} cannot be written. Free some space and try again. Nothing was written.", file.display()),
                        format!("Der Datenträger ist voll, daher kann {} nicht geschrieben werden. Schaffen Sie Platz und versuchen Sie es erneut. Es wurde nichts geschrieben.", file.display()),
                    ),
                    K::AlreadyExists => lang.pick(
                        format!("{} already exists and is not a CS Pulse backup, so it was not replaced. Choose another file name.", file.display()),
                        format!("{} existiert bereits und ist keine CS-Pulse-Sicherung; sie wurde daher nicht ersetzt. Wählen Sie einen anderen Dateinamen.", file.display()),
                    ),
                    K::IsADirectory => lang.pick(
                        format!("{} is a folder. Give a file name such as report.xlsx. Nothing was written.", file.display()),
                        format!("{} ist ein Ordner. Geben Sie einen Dateinamen wie bericht.xlsx an. Es wurde nichts geschrieben.", file.display()),
                    ),
                    _ => lang.pick(
                        format!("{} cannot be written. Check that it is not open in Excel and that the disk is not full. Nothing was written.", file.display()),
                        format!("{} kann nicht geschrieben werden. Prüfen Sie, ob die Datei in Excel geöffnet ist und ob der Datenträger voll ist. Es wurde nichts geschrieben.", file.display()),
                    ),
                }
            }
            Report(e) => lang.pick(
                format!("The report could not be written ({e}). Nothing was written; please try again."),
                format!("Der Bericht konnte nicht erstellt werden ({e}). Es wurde nichts geschrieben; bitte versuchen Sie es erneut."),
            ),
            UnknownColumn { kind, column } => lang.pick(
                format!("The {kind} table has no column “{column}”. Reload the table and try again."),
                format!("Die Tabelle {kind} hat keine Spalte „{column}“. Laden Sie die Tabelle neu und versuchen Sie es erneut."),
            ),
            BadFilter { column, problem } => match problem {
                FilterProblem::NotForColumn { op } => {
                    let (en, de) = match *op {
                        "contains" => ("“contains”", "„enthält“"),
                        "at_least" => ("“at least”", "„mindestens“"),
                        "at_most" => ("“at most”", "„höchstens“"),
                        "equals" => ("“equals”", "„ist gleich“"),
                        _ => ("this filter", "dieser Filter"),
                    };
                    lang.pick(
                        format!("The filter {en} cannot be used on the column “{column}”. Choose another filter for it."),
                        format!("Der Filter {de} passt nicht zur Spalte „{column}“. Wählen Sie einen anderen Filter dafür."),
                    )
                }
                FilterProblem::NeedsValue => lang.pick(
                    format!("The filter on “{column}” needs a value. Enter one or remove the filter."),
                    format!("Der Filter auf „{column}“ braucht einen Wert. Geben Sie einen ein oder entfernen Sie den Filter."),
                ),
                FilterProblem::NotANumber(v) => lang.pick(
                    format!("“{v}” is not a number, so the column “{column}” cannot be filtered by it. Enter a number such as 1234.5 or 1.234,5."),
                    format!("„{v}“ ist keine Zahl, daher kann die Spalte „{column}“ nicht danach gefiltert werden. Geben Sie eine Zahl wie 1234,5 oder 1234.5 ein."),
                ),
                FilterProblem::NotADate(v) => lang.pick(
                    format!("“{v}” is not a date, so the column “{column}” cannot be filtered by it. Enter a date such as 2026-10-31, 31.10.2026, a month such as 2026-10 or a year."),
                    format!("„{v}“ ist kein Datum, daher kann die Spalte „{column}“ nicht danach gefiltert werden. Geben Sie ein Datum wie 31.10.2026 oder 2026-10-31, einen Monat wie 2026-10 oder ein Jahr ein."),
                ),
                FilterProblem::NotABool(v) => lang.pick(
                    format!("“{v}” is not yes or no, so the column “{column}” cannot be filtered by it. Enter yes or no."),
                    format!("„{v}“ ist weder ja noch nein, daher kann die Spalte „{column}“ nicht danach gefiltert werden. Geben Sie ja oder nein ein."),
                ),
            },
            ViewStale => lang.pick(
                "The data changed since this table was opened (an import, an undo or a restore). Open it again to see the current data.".into(),
                "Die Daten haben sich geändert, seit diese Tabelle geöffnet wurde (ein Import, ein Rückgängigmachen oder eine Wiederherstellung). Öffnen Sie sie erneut, um die aktuellen Daten zu sehen.".into(),
            ),
            NoSuchView => lang.pick(
                "This table view was closed in the meantime. Open the table again.".into(),
                "Diese Tabellenansicht wurde inzwischen geschlossen. Öffnen Sie die Tabelle erneut.".into(),
            ),
            Sqlite(e) if is_disk_full(e) => lang.pick(
                "The disk is full, so CS Pulse could not save. Free some space and try again. Nothing was half-written.".into(),
                "Der Datenträger ist voll, daher konnte CS Pulse nicht speichern. Schaffen Sie Platz und versuchen Sie es erneut. Es wurde nichts halb geschrieben.".into(),
            ),
            Sqlite(e) => lang.pick(
                format!("An unexpected database problem occurred ({e}). Nothing was half-written; please try again."),
                format!("Ein unerwartetes Datenbankproblem ist aufgetreten ({e}). Es wurde nichts halb geschrieben; bitte versuchen Sie es erneut."),
            ),
            Io(e) => lang.pick(
                format!("An unexpected problem with a file occurred ({e})."),
                format!("Ein unerwartetes Problem mit einer Datei ist aufgetreten ({e})."),
            ),
        }
    }
}
