//! Everything `cspulse` prints, and every text it prints in German and English: one function
//! per command's result. Nothing here reads the database or decides anything.

use cspulse_engine::error::{kind_list, Lang};
use cspulse_engine::import::profile::Profile;
use cspulse_engine::insights::backtest::{Backtest, BacktestStatus};
use cspulse_engine::insights::breakdown::Breakdown;
use cspulse_engine::insights::renewals::Outlook;
use cspulse_engine::kpi::Status;
use cspulse_engine::model::Overlap;
use cspulse_engine::overview::MonthReport;
use cspulse_engine::report::Written;
use cspulse_engine::score::{Light, ScoreReport};
use cspulse_engine::store::overlap::BatchOverlap;
use cspulse_engine::store::{Batch, Imported};
use serde_json::{json, Map, Value};
use std::path::Path;

/// `println!` that stops quietly when the reader went away (`cspulse kpis | head`)
/// instead of panicking on the broken pipe.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// One of two texts, in `lang`.
fn pick(lang: Lang, en: String, de: String) -> String {
    lang.pick(en, de)
}

pub fn json(v: &impl serde::Serialize) {
    out!(
        "{}",
        serde_json::to_string_pretty(v).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    );
}

fn value(v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), |x| format!("{x:.2}"))
}

/// An error on stderr, one line.
pub fn error(message: &str) {
    eprintln!("cspulse: {message}");
}

/// What a bug (a panic) says instead of a stack trace.
pub fn internal_problem(lang: Lang) -> String {
    pick(
        lang,
        "CS Pulse ran into an internal problem; nothing was changed. Please report it.".into(),
        "CS Pulse hat ein internes Problem; es wurde nichts geändert. Bitte melden Sie es.".into(),
    )
}

pub fn no_data(lang: Lang) {
    out!(
        "{}",
        pick(
            lang,
            "No data yet: import a file first.".into(),
            "Noch keine Daten: importieren Sie zuerst eine Datei.".into()
        )
    );
}

/// `import`: the sheets passed over, then per batch its rows, issues and assumptions.
pub fn imported(imported: &Imported, lang: Lang, as_json: bool) {
    let (batches, skipped) = (&imported.batches, &imported.skipped_sheets);
    if as_json {
        json(&json!({
            "batches": batches,
            "skipped_sheets": skipped,
            "profile": imported.profile,
            "profile_saved": imported.profile_saved,
        }));
        return;
    }
    if let Some(p) = &imported.profile {
        out!(
            "{}",
            pick(
                lang,
                format!("with import profile “{p}”"),
                format!("mit Importprofil „{p}“"),
            )
        );
    }
    if let Some(p) = &imported.profile_saved {
        out!(
            "{}",
            pick(
                lang,
                format!("your choices are saved as import profile “{p}”: the next file of this shape imports with them"),
                format!("Ihre Angaben sind als Importprofil „{p}“ gespeichert: Die nächste Datei dieser Form wird damit importiert"),
            )
        );
    }
    for s in skipped {
        let (en, de) = match s.reason.as_str() {
            "no_table" => (
                "holds no table".to_owned(),
                "enthält keine Tabelle".to_owned(),
            ),
            "hidden" => ("is hidden".to_owned(), "ist ausgeblendet".to_owned()),
            "same_data" => (
                format!(
                    "holds the same data as another sheet, per post ({}): not added twice",
                    s.headers.join(", ")
                ),
                format!(
                    "enthält dieselben Daten wie ein anderes Blatt, je Beitrag ({}): nicht doppelt gezählt",
                    s.headers.join(", ")
                ),
            ),
            "not_a_worksheet" => (
                "is a chart sheet".to_owned(),
                "ist ein Diagrammblatt".to_owned(),
            ),
            "kind_uncertain" => (
                format!(
                    "could be {} ({}); not imported on a guess",
                    kind_list(&s.candidates, Lang::En),
                    s.headers.join(", ")
                ),
                format!(
                    "könnte {} sein ({}); nicht auf Verdacht importiert",
                    kind_list(&s.candidates, Lang::De),
                    s.headers.join(", ")
                ),
            ),
            _ => (
                format!("not recognised from its headers ({})", s.headers.join(", ")),
                format!(
                    "an den Überschriften nicht erkannt ({})",
                    s.headers.join(", ")
                ),
            ),
        };
        out!(
            "{}",
            pick(
                lang,
                format!(
                    "sheet “{}” skipped: {en}; import it with --sheet and --kind",
                    s.sheet
                ),
                format!(
                    "Blatt „{}“ übersprungen: {de}; importieren Sie es mit --sheet und --kind",
                    s.sheet
                ),
            )
        );
    }
    for b in batches {
        let sheet = b
            .batch
            .sheet
            .as_deref()
            .map(|s| format!(" [{s}]"))
            .unwrap_or_default();
        out!(
            "{}",
            pick(
                lang,
                format!(
                    "batch {}: {}{} as {}: {} rows imported, {} skipped",
                    b.batch.batch_id,
                    b.batch.file,
                    sheet,
                    b.batch.kind,
                    b.batch.rows_imported,
                    b.batch.rows_skipped
                ),
                format!(
                    "Import {}: {}{} als {}: {} Zeilen importiert, {} übersprungen",
                    b.batch.batch_id,
                    b.batch.file,
                    sheet,
                    b.batch.kind,
                    b.batch.rows_imported,
                    b.batch.rows_skipped
                ),
            )
        );
        for o in &b.overlaps {
            out!("  {}", overlap_line(o, b.batch.overlap, lang));
        }
        if let Some(l) = &b.links {
            out!("  {}", links_line(l, lang));
        }
        for i in &b.issues {
            let reason = if lang == Lang::De {
                &i.reason_de
            } else {
                &i.reason
            };
            let sheet = i
                .sheet
                .as_deref()
                .map(|s| format!("{s}, "))
                .unwrap_or_default();
            out!(
                "  {sheet}{} {}, {} “{}”: {reason}",
                pick(lang, "row".into(), "Zeile".into()),
                i.row,
                i.column,
                i.value
            );
        }
        if b.issues_not_listed > 0 {
            out!(
                "  {}",
                pick(
                    lang,
                    format!("… and {} more issues", b.issues_not_listed),
                    format!("… und {} weitere Probleme", b.issues_not_listed),
                )
            );
        }
        // words of the tool no rule covers: how to say what each means, once
        let mut words: Vec<(String, &str, &str)> = Vec::new();
        for i in &b.issues {
            let Some(codes) = i
                .reason
                .strip_prefix("unknown value (expected one of: ")
                .and_then(|r| r.strip_suffix(')'))
            else {
                continue;
            };
            let field = b
                .batch
                .mapping
                .iter()
                .find(|(_, c)| c.as_str() == Some(i.column.as_str()))
                .map(|(f, _)| f.clone())
                .unwrap_or_else(|| i.column.clone());
            if !words.iter().any(|(f, w, _)| *f == field && *w == i.value) {
                words.push((field, i.value.as_str(), codes));
            }
        }
        for (field, word, codes) in words {
            out!(
                "  {}",
                pick(
                    lang,
                    format!("“{word}”: say once what it means, e.g. --value \"{field}:{word}=VALUE\" with VALUE one of {codes} (remembered for files of this shape)"),
                    format!("„{word}“: einmal sagen, was es bedeutet, z. B. --value \"{field}:{word}=WERT\" mit WERT aus {codes} (für Dateien dieser Form gemerkt)"),
                )
            );
        }
        for a in &b.assumptions {
            let (en, de, other) = if a.assumed == "day_first" {
                ("day first", "Tag zuerst", "mdy")
            } else {
                ("month first", "Monat zuerst", "dmy")
            };
            out!(
                "  {}",
                pick(
                    lang,
                    format!(
                        "column “{}”: dates such as {} fit both orders; read as {en}. If that is wrong, import again with --replace --date-order {other}",
                        a.column, a.example
                    ),
                    format!(
                        "Spalte „{}“: Datumsangaben wie {} passen zu beiden Reihenfolgen; gelesen als {de}. Falls das falsch ist, importieren Sie erneut mit --replace --date-order {other}",
                        a.column, a.example
                    ),
                )
            );
        }
    }
}

/// One earlier import that a new batch overlaps, and what happened there.
fn overlap_line(o: &BatchOverlap, mode: Overlap, lang: Lang) -> String {
    let sheet = o
        .sheet
        .as_deref()
        .map(|s| format!(" [{s}]"))
        .unwrap_or_default();
    match mode {
        Overlap::Supersede => pick(
            lang,
            format!(
                "overlaps batch {} ({}{sheet}) in {} records, {} with other values: the newer values are used (`--overlap add` adds them instead)",
                o.batch_id, o.file, o.rows, o.changed
            ),
            format!(
                "überschneidet sich mit Import {} ({}{sheet}) in {} Datensätzen, {} mit anderen Werten: Die neueren Werte gelten (`--overlap add` fügt sie stattdessen hinzu)",
                o.batch_id, o.file, o.rows, o.changed
            ),
        ),
        Overlap::Add => pick(
            lang,
            format!(
                "overlaps batch {} ({}{sheet}) in {} records: added to them as additional records (--overlap add)",
                o.batch_id, o.file, o.rows
            ),
            format!(
                "überschneidet sich mit Import {} ({}{sheet}) in {} Datensätzen: als zusätzliche Datensätze hinzugefügt (--overlap add)",
                o.batch_id, o.file, o.rows
            ),
        ),
    }
}

/// After an import into a database that still holds the sample company (stderr: the
/// numbers now mix the sample with the user's data).
pub fn sample_kept(lang: Lang) {
    eprintln!(
        "cspulse: {}",
        pick(
            lang,
            "note: the database still holds the sample company, so its numbers include the sample's accounts. To replace the sample with your data, import with --replace-sample (or undo the sample's batches, `cspulse batches` lists them).".into(),
            "Hinweis: Die Datenbank enthält noch die Beispielfirma, ihre Kennzahlen schließen deren Kunden ein. Um die Beispielfirma durch Ihre Daten zu ersetzen, importieren Sie mit --replace-sample (oder machen Sie die Importe der Beispielfirma rückgängig, `cspulse batches` listet sie).".into(),
        )
    );
}

/// `profiles`.
pub fn profiles(profiles: &[Profile], as_json: bool, lang: Lang) {
    if as_json {
        json(&profiles);
        return;
    }
    if profiles.iter().all(|p| p.built_in) {
        out!(
            "{}",
            pick(
                lang,
                "no import profiles yet: an import with --kind, --map, --sheet, --header-row or --date-order saves one".into(),
                "noch keine Importprofile: Ein Import mit --kind, --map, --sheet, --header-row oder --date-order legt eines an".into(),
            )
        );
    }
    for p in profiles {
        let c = &p.choices;
        let kinds: Vec<&str> = c
            .kind
            .iter()
            .chain(c.tables.iter().filter_map(|t| t.kind.as_ref()))
            .map(|k| k.id())
            .collect();
        out!(
            "{}  {}  {}{}",
            p.name,
            if kinds.is_empty() {
                "-".to_owned()
            } else {
                kinds.join(",")
            },
            p.used_at.as_deref().unwrap_or(&p.saved_at),
            if p.built_in { "  (built in)" } else { "" }
        );
    }
}

/// A profile command's result.
pub fn profile_done(name: &str, en: &str, de: &str, lang: Lang) {
    out!(
        "{}",
        pick(
            lang,
            format!("import profile “{name}” {en}"),
            format!("Importprofil „{name}“ {de}"),
        )
    );
}

/// `batches`.
pub fn batches(batches: &[Batch], as_json: bool) {
    if as_json {
        json(&batches);
        return;
    }
    for b in batches {
        out!(
            "{:>4}  {:<12} {:>8} rows {:>5} skipped  {}{}  {}  {}{}",
            b.batch_id,
            b.kind.id(),
            b.rows_imported,
            b.rows_skipped,
            b.file,
            b.sheet
                .as_ref()
                .map(|s| format!(" [{s}]"))
                .unwrap_or_default(),
            b.imported_at,
            b.overlap.id(),
            if b.superseded_rows > 0 {
                format!(" ({} superseded)", b.superseded_rows)
            } else {
                String::new()
            }
        );
    }
}

/// `undo ID`.
pub fn undone(b: &Batch, lang: Lang) {
    out!(
        "{}",
        pick(
            lang,
            format!(
                "undid batch {id} ({}, {} rows); until the next import, `cspulse undo --take-back {id}` brings it back",
                b.file, b.rows_imported, id = b.batch_id
            ),
            format!(
                "Import {id} rückgängig gemacht ({}, {} Zeilen); bis zum nächsten Import holt `cspulse undo --take-back {id}` ihn zurück",
                b.file, b.rows_imported, id = b.batch_id
            ),
        )
    );
}

/// `undo --take-back ID`.
pub fn taken_back(b: &Batch, lang: Lang) {
    out!(
        "{}",
        pick(
            lang,
            format!(
                "took back batch {} ({}, {} rows)",
                b.batch_id, b.file, b.rows_imported
            ),
            format!(
                "Import {} zurückgeholt ({}, {} Zeilen)",
                b.batch_id, b.file, b.rows_imported
            ),
        )
    );
}

/// `kpis`: the JSON of `cli.md` (`{month, kpis: {id: {value, status, needs?}}}`) or a table.
pub fn kpis(r: &MonthReport, lang: Lang, as_json: bool) {
    if as_json {
        json(&json!({ "month": r.month, "kpis": kpi_map(&r.kpis.kpis) }));
        return;
    }
    out!("{}", r.month);
    for k in &r.kpis.kpis {
        let note = match k.status {
            Status::Ok => String::new(),
            Status::Undefined => pick(
                lang,
                "undefined (division by zero)".into(),
                "nicht definiert (Division durch null)".into(),
            ),
            Status::NoData => pick(
                lang,
                format!("needs {}", k.needs.join(", ")),
                format!("benötigt {}", k.needs.join(", ")),
            ),
        };
        out!("{:<28} {:>16}  {note}", k.id, value(k.value));
    }
}

/// The `kpis` object of one KPI list: id → {value, status, needs}.
fn kpi_map(kpis: &[cspulse_engine::kpi::Kpi]) -> Value {
    let mut map = Map::new();
    for k in kpis {
        let mut o = json!({ "value": k.value, "status": k.status });
        if !k.needs.is_empty() {
            o["needs"] = json!(k.needs);
        }
        map.insert(k.id.clone(), o);
    }
    Value::Object(map)
}

/// `kpis --by`: every group's KPIs as JSON, or a table of the groups' main KPIs.
pub fn breakdown(b: &Breakdown, lang: Lang, as_json: bool) {
    if as_json {
        let groups: Vec<Value> = b
            .groups
            .iter()
            .map(|g| {
                json!({ "key": g.key, "kind": g.kind, "accounts": g.accounts,
                        "kpis": kpi_map(&g.kpis) })
            })
            .collect();
        json(&json!({ "month": b.month, "by": b.by, "groups": groups }));
        return;
    }
    const SHOWN: [&str; 8] = [
        "mrr",
        "logo_churn_rate",
        "revenue_churn_rate",
        "ndr",
        "nps",
        "tickets_created",
        "cs_score",
        "mrr_at_risk",
    ];
    out!(
        "{}  {} {}",
        b.month,
        pick(lang, "by".into(), "nach".into()),
        b.by.id()
    );
    let mut head = format!(
        "{:<24} {:>8}",
        "",
        pick(lang, "accounts".into(), "Kunden".into())
    );
    for id in SHOWN {
        head.push_str(&format!(" {id:>18}"));
    }
    out!("{head}");
    for g in &b.groups {
        let mut line = format!("{:<24} {:>8}", g.key, g.accounts);
        for id in SHOWN {
            let v = g.kpis.iter().find(|k| k.id == id).and_then(|k| k.value);
            line.push_str(&format!(" {:>18}", value(v)));
        }
        out!("{line}");
    }
}

/// `scores`: the score report as JSON, or the company score, the split and every account.
pub fn scores(s: &ScoreReport, as_json: bool) {
    if as_json {
        json(s);
        return;
    }
    out!(
        "{}  CS score {}  (unweighted {})",
        s.month,
        value(s.cs_score),
        value(s.cs_score_unweighted)
    );
    out!(
        "green {}  yellow {}  red {}",
        s.split.green,
        s.split.yellow,
        s.split.red
    );
    let light = |l: Option<Light>| l.map_or("-".to_owned(), |l| format!("{l:?}").to_lowercase());
    for a in &s.accounts {
        out!(
            "{:<12} {:<32} {:>7} {:<7} (was {})",
            a.account_id,
            a.name.as_deref().unwrap_or(""),
            value(a.score),
            light(a.light),
            light(a.previous_light)
        );
    }
}

/// `report`.
pub fn report_written(w: &Written, lang: Lang, as_json: bool) {
    if as_json {
        json(w);
        return;
    }
    out!(
        "{}",
        pick(
            lang,
            format!(
                "board report for {} written to {} ({} sheets, {} accounts, {} KB)",
                w.month,
                w.file,
                w.sheets.len(),
                w.accounts,
                w.bytes.div_ceil(1024)
            ),
            format!(
                "Bericht für {} nach {} geschrieben ({} Blätter, {} Kunden, {} KB)",
                w.month,
                w.file,
                w.sheets.len(),
                w.accounts,
                w.bytes.div_ceil(1024)
            ),
        )
    );
}

/// `settings KEY`: the value alone.
pub fn setting(value: &str) {
    out!("{value}");
}

/// `settings`: every key with its value.
pub fn settings(entries: Vec<(String, String)>, as_json: bool) {
    if as_json {
        json(
            &entries
                .into_iter()
                .map(|(k, v)| (k, Value::String(v)))
                .collect::<Map<_, _>>(),
        );
        return;
    }
    for (k, v) in entries {
        out!("{k:<22} {v}");
    }
}

/// `backup FILE`.
pub fn backup_written(file: &Path, lang: Lang) {
    out!(
        "{}",
        pick(
            lang,
            format!("backup written to {}", file.display()),
            format!("Sicherung geschrieben: {}", file.display()),
        )
    );
}

/// `restore FILE`, and where the data from before is kept.
pub fn restored(file: &Path, safety: Option<&Path>, lang: Lang) {
    out!(
        "{}",
        pick(
            lang,
            format!("restored from {}", file.display()),
            format!("Wiederhergestellt aus {}", file.display()),
        )
    );
    if let Some(p) = safety {
        out!(
            "{}",
            pick(
                lang,
                format!("the data before the restore is kept in {}", p.display()),
                format!(
                    "Die Daten vor der Wiederherstellung liegen in {}",
                    p.display()
                ),
            )
        );
    }
}

/// `demo`.
pub fn demo_loaded(accounts: usize, datasets: usize, rows: i64, lang: Lang) {
    out!(
        "{}",
        pick(
            lang,
            format!("demo company loaded: {accounts} accounts, {datasets} datasets, {rows} rows"),
            format!("Demo-Firma geladen: {accounts} Kunden, {datasets} Datensätze, {rows} Zeilen"),
        )
    );
}

/// `demo --export DIR`: the files written.
pub fn demo_exported(files: &[std::path::PathBuf], month: cspulse_engine::Month, lang: Lang) {
    out!(
        "{}",
        pick(
            lang,
            format!("the sample company's exports at the end of {month}:"),
            format!("Exporte der Demo-Firma zum Ende von {month}:"),
        )
    );
    for f in files {
        out!("  {}", f.display());
    }
}

/// `backtest`: the JSON of `insights.md` §2, or churn by light, lift and AUC in words.
pub fn backtest(b: &Backtest, lang: Lang, as_json: bool) {
    if as_json {
        json(b);
        return;
    }
    out!(
        "{}",
        pick(
            lang,
            format!(
                "{}: churn within {} months of {} observation months ({} accounts, {} churned)",
                b.month,
                b.horizon,
                b.observation_months.len(),
                b.accounts_observed,
                b.accounts_churned
            ),
            format!(
                "{}: Abwanderung binnen {} Monaten, {} Beobachtungsmonate ({} Kunden, {} abgewandert)",
                b.month,
                b.horizon,
                b.observation_months.len(),
                b.accounts_observed,
                b.accounts_churned
            ),
        )
    );
    for (name, l) in [
        ("green", &b.lights.green),
        ("yellow", &b.lights.yellow),
        ("red", &b.lights.red),
    ] {
        out!(
            "{name:<7} {:>6} / {:>6}  {:>7} %",
            l.churned,
            l.observations,
            value(l.churn_rate)
        );
    }
    if b.status == BacktestStatus::Insufficient {
        out!(
            "{}",
            pick(
                lang,
                "Too little history for a verdict: it needs at least 30 accounts observed and 5 that churned.".into(),
                "Zu wenig Verlauf für ein Urteil: Es braucht mindestens 30 beobachtete und 5 abgewanderte Kunden.".into(),
            )
        );
        return;
    }
    out!("lift {}   AUC {}", value(b.lift), value(b.auc));
    if let Some(m) = &b.auc_by_method {
        out!(
            "AUC targets {}   AUC percentile {}",
            value(m.targets),
            value(m.percentile)
        );
    }
}

/// `renewals`: the JSON of `insights.md` §6, or the totals by light and the list.
pub fn renewals(o: &Outlook, lang: Lang, as_json: bool) {
    if as_json {
        json(o);
        return;
    }
    out!(
        "{}",
        pick(
            lang,
            format!("Renewals due {} … {}", o.from, o.to),
            format!("Fällige Verlängerungen {} … {}", o.from, o.to),
        )
    );
    for (name, d) in [
        ("green", &o.lights.green),
        ("yellow", &o.lights.yellow),
        ("red", &o.lights.red),
        ("not_scored", &o.lights.not_scored),
    ] {
        out!("{name:<11} {:>5} {:>16}", d.count, value(Some(d.value)));
    }
    out!(
        "{} {}   {} {}   {} {}",
        pick(lang, "at risk".into(), "gefährdet".into()),
        value(Some(o.value_at_risk)),
        pick(lang, "watch".into(), "beobachten".into()),
        value(Some(o.value_watch)),
        pick(lang, "expected".into(), "erwartet".into()),
        value(o.expected_value)
    );
    let light = |l: Option<Light>| l.map_or("-".to_owned(), |l| format!("{l:?}").to_lowercase());
    for r in &o.renewals {
        out!(
            "{} {:<12} {:>14} {:<7} {:>7} {}",
            r.due_date,
            r.account_id,
            value(Some(r.value)),
            light(r.light),
            value(r.score),
            r.owner.as_deref().unwrap_or("")
        );
    }
}

/// `notes`: the notes as JSON, or one block per note.
pub fn notes(notes: &[cspulse_engine::store::Note], lang: Lang, as_json: bool) {
    if as_json {
        json(&json!({ "notes": notes }));
        return;
    }
    if notes.is_empty() {
        out!(
            "{}",
            pick(lang, "No notes.".into(), "Keine Notizen.".into())
        );
    }
    for n in notes {
        let mut extra = String::new();
        if let Some(o) = &n.owner {
            extra.push_str(&format!("  ({o})"));
        }
        if let Some(d) = n.due_date {
            extra.push_str(&format!(
                "  {} {d}",
                pick(lang, "due".into(), "fällig".into())
            ));
        }
        out!(
            "{} {}{extra}\n  {}",
            n.month,
            n.key,
            n.text.replace('\n', "\n  ")
        );
    }
}

/// How an import linked a table's customer column: "customers in “Organization”: 2 rows by
/// account id, 0 by alias, 5 by domain, 2 by name; 1 value matched no account".
fn links_line(l: &cspulse_engine::store::LinkReport, lang: Lang) -> String {
    let unmatched: u64 = l.unmatched.iter().map(|u| u.rows).sum();
    let ambiguous: u64 = l.ambiguous.iter().map(|u| u.rows).sum();
    pick(
        lang,
        format!(
            "customers in “{}”: rows linked by account id {}, by another tool's id {}, by domain {}, by name {}; not linked: {} rows (no account), {} rows (several accounts), {} rows (not a customer)",
            l.column, l.by_account_id, l.by_alias, l.by_domain, l.by_name, unmatched, ambiguous, l.not_a_customer
        ),
        format!(
            "Kunden in „{}“: Zeilen verknüpft über Kunden-ID {}, über die ID eines anderen Tools {}, über die Domain {}, über den Namen {}; nicht verknüpft: {} Zeilen (kein Kunde gefunden), {} Zeilen (mehrere Kunden), {} Zeilen (kein Kunde)",
            l.column, l.by_account_id, l.by_alias, l.by_domain, l.by_name, unmatched, ambiguous, l.not_a_customer
        ),
    )
}

/// `link VALUE ACCOUNT_ID` / `--none`: the answer stored.
pub fn link_stored(link: &cspulse_engine::store::Link, lang: Lang, as_json: bool) {
    if as_json {
        json(&json!(link));
        return;
    }
    out!(
        "{}",
        match &link.account_id {
            Some(a) => pick(
                lang,
                format!(
                    "“{}” is the account {a}: every later import links it",
                    link.value
                ),
                format!(
                    "„{}“ ist der Kunde {a}: Jeder spätere Import verknüpft ihn",
                    link.value
                ),
            ),
            None => pick(
                lang,
                format!(
                    "“{}” is not a customer: later imports skip its rows",
                    link.value
                ),
                format!(
                    "„{}“ ist kein Kunde: Spätere Importe überspringen seine Zeilen",
                    link.value
                ),
            ),
        }
    );
}

/// `link --remove VALUE`.
pub fn link_removed(value: &str, removed: bool, lang: Lang) {
    out!(
        "{}",
        if removed {
            pick(
                lang,
                format!("the answer for “{value}” is removed"),
                format!("die Antwort für „{value}“ ist entfernt"),
            )
        } else {
            pick(
                lang,
                format!("there was no answer for “{value}”"),
                format!("für „{value}“ gab es keine Antwort"),
            )
        }
    );
}

/// `link` alone: the stored answers.
pub fn links(links: &[cspulse_engine::store::Link], lang: Lang, as_json: bool) {
    if as_json {
        json(&json!(links));
        return;
    }
    if links.is_empty() {
        out!(
            "{}",
            pick(
                lang,
                "no answers stored (cspulse link VALUE ACCOUNT_ID stores one)".into(),
                "keine Antworten gespeichert (cspulse link WERT KUNDEN-ID speichert eine)".into(),
            )
        );
    }
    for l in links {
        let to = l
            .account_id
            .clone()
            .unwrap_or_else(|| pick(lang, "not a customer".into(), "kein Kunde".into()));
        out!("{}\t{to}\t{}", l.value, l.linked_at);
    }
}

/// `link VALUE` alone: what the value resolves to now, or the accounts proposed for it.
pub fn link_proposals(
    value: &str,
    now: Option<&(String, cspulse_engine::sources::identity::By)>,
    proposals: &[cspulse_engine::store::ProposedAccount],
    lang: Lang,
    as_json: bool,
) {
    if as_json {
        json(&json!({
            "value": value,
            "resolves_to": now.map(|(a, by)| json!({"account_id": a, "by": by})),
            "proposals": proposals,
        }));
        return;
    }
    if let Some((a, by)) = now {
        let by = serde_json::to_value(by)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        out!(
            "{}",
            pick(
                lang,
                format!("“{value}” links to the account {a} (by {by})"),
                format!("„{value}“ wird mit dem Kunden {a} verknüpft (über {by})"),
            )
        );
        return;
    }
    if proposals.is_empty() {
        out!(
            "{}",
            pick(
                lang,
                format!("“{value}” matches no account, and no account has a similar name. Link it with cspulse link \"{value}\" ACCOUNT_ID, or mark it with --none"),
                format!("„{value}“ passt zu keinem Kunden, und kein Kunde hat einen ähnlichen Namen. Verknüpfen Sie ihn mit cspulse link \"{value}\" KUNDEN-ID oder markieren Sie ihn mit --none"),
            )
        );
        return;
    }
    out!(
        "{}",
        pick(
            lang,
            format!("“{value}” matches no account; similar (link one with cspulse link \"{value}\" ACCOUNT_ID):"),
            format!("„{value}“ passt zu keinem Kunden; ähnlich (verknüpfen mit cspulse link \"{value}\" KUNDEN-ID):"),
        )
    );
    for p in proposals {
        out!("  {}\t{}\t{:.2}", p.account_id, p.name, p.similarity);
    }
}
