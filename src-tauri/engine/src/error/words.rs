//! Pieces of sentences every error message (the engine's, the CLI's, the app's) is built
//! from: a file as messages name it, a sheet after it, kinds of data in the user's words.

use super::{Lang, SchemaDiff};

/// A file as messages name it: its file name.
pub fn name(p: &std::path::Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string())
}

/// A kind of data as a user names it.
pub fn kind_name(kind: crate::Kind, lang: Lang) -> &'static str {
    use crate::Kind::*;
    let (en, de) = match kind {
        Accounts => ("accounts", "Kunden"),
        Revenue => ("revenue", "Umsatz"),
        Renewals => ("renewals", "Verlängerungen"),
        Surveys => ("survey responses", "Umfrageantworten"),
        Tickets => ("support tickets", "Support-Tickets"),
        Usage => ("product usage", "Produktnutzung"),
        Touchpoints => ("touchpoints", "Kundenkontakte"),
        Campaigns => ("campaigns", "Kampagnen"),
        Costs => ("costs", "Kosten"),
        Leads => ("leads", "Leads"),
        Orders => ("orders", "Bestellungen"),
    };
    if lang == Lang::De {
        de
    } else {
        en
    }
}

/// `revenue (--kind revenue) or accounts (--kind accounts)`, in the user's words.
pub fn kind_list(kinds: &[crate::Kind], lang: Lang) -> String {
    let words: Vec<String> = kinds
        .iter()
        .map(|k| format!("{} ({})", kind_name(*k, lang), k.id()))
        .collect();
    let or = if lang == Lang::De { " oder " } else { " or " };
    match words.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{}{or}{last}", rest.join(", ")),
    }
}

/// `revenue or accounts`, in the user's words (no command-line option).
pub fn kind_names(kinds: &[crate::Kind], lang: Lang) -> String {
    let words: Vec<&str> = kinds.iter().map(|k| kind_name(*k, lang)).collect();
    let or = if lang == Lang::De { " oder " } else { " or " };
    match words.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{}{or}{last}", rest.join(", ")),
    }
}

/// `, sheet “NAME”` after a file's name in a message, or nothing.
pub fn sheet_part(sheet: &Option<String>, lang: Lang) -> String {
    match (sheet, lang) {
        (Some(s), Lang::De) => format!(", Blatt „{s}“"),
        (Some(s), Lang::En) => format!(", sheet “{s}”"),
        (None, _) => String::new(),
    }
}

/// The sentence every message about a failed restore ends with.
pub fn kept_before_restore(safety: &std::path::Path, lang: Lang) -> String {
    lang.pick(
        format!(
            "Your data from before the restore is kept in {}.",
            safety.display()
        ),
        format!(
            "Ihre Daten von vor der Wiederherstellung liegen in {}.",
            safety.display()
        ),
    )
}

/// `(en, de)`: what differs in a backup's schema, as part of a sentence.
pub fn schema_diff_words(object: &str, name: &str, diff: SchemaDiff) -> (String, String) {
    // German needs the object's gender
    let (en, de, masculine) = match object {
        "table" => ("table", "Tabelle", false),
        "view" => ("view", "Sicht", false),
        "trigger" => ("trigger", "Trigger", true),
        "index" => ("index", "Index", true),
        other => (other, other, false),
    };
    match diff {
        SchemaDiff::Unexpected => (
            format!("it has a {en} “{name}” that CS Pulse never creates"),
            if masculine {
                format!("sie enthält einen {de} „{name}“, den CS Pulse nie anlegt")
            } else {
                format!("sie enthält eine {de} „{name}“, die CS Pulse nie anlegt")
            },
        ),
        SchemaDiff::Missing => (
            format!("its {en} “{name}” is missing"),
            format!(
                "ihr fehlt {} {de} „{name}“",
                if masculine { "der" } else { "die" }
            ),
        ),
        SchemaDiff::Changed => (
            format!("its {en} “{name}” is defined differently (other columns, types or rules)"),
            format!(
                "{} {de} „{name}“ ist anders definiert (andere Spalten, Typen oder Regeln)",
                if masculine { "der" } else { "die" }
            ),
        ),
    }
}
