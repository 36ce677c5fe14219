//! The tools' own words for coded fields (`sources.md` §4).
//!
//! A [`Vocab`] maps a tool's labels to a field's values: built in (Salesforce opportunity
//! stages, survey answer labels, lead types — German and English), then the user's own
//! assignments on top (remembered by the import profile). Labels are compared as folded
//! text (case, accents, punctuation and spacing ignored). [`Vocab::unknown`] lists the
//! values no rule covers, with their counts, for the user to assign once.
//!
//! Helpdesk satisfaction (Zendesk `Good`/`Bad`, `Offered`) is **not** CSAT: no built-in
//! vocabulary maps it to `csat`, and [`helpdesk_rating`] reads it as its own thing.

use std::collections::HashMap;

use super::fold_words;

/// A coded value: the text a field stores (`renewed`, `trial`) or a score (`5`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum Code {
    Text(String),
    Score(i64),
}

/// Labels → values for one field.
#[derive(Clone, Debug, Default)]
pub struct Vocab {
    map: HashMap<String, Code>,
}

fn key(label: &str) -> String {
    fold_words(label).replace(' ', "")
}

impl Vocab {
    fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, Code)>) -> Vocab {
        let mut map = HashMap::new();
        for (label, code) in pairs {
            map.insert(key(label), code);
        }
        Vocab { map }
    }

    fn texts(pairs: &[(&str, &str)]) -> Vocab {
        Vocab::from_pairs(pairs.iter().map(|(l, v)| (*l, Code::Text((*v).to_owned()))))
    }

    fn scores(pairs: &[(&str, i64)]) -> Vocab {
        Vocab::from_pairs(pairs.iter().map(|(l, v)| (*l, Code::Score(*v))))
    }

    /// The user's assignment, remembered: it wins over the built-in one.
    pub fn assign(&mut self, label: &str, code: Code) {
        self.map.insert(key(label), code);
    }

    pub fn get(&self, label: &str) -> Option<&Code> {
        self.map.get(&key(label))
    }

    /// The distinct non-empty values no rule covers, with how many rows hold each (most
    /// first, then first seen).
    pub fn unknown<'a, I: IntoIterator<Item = &'a str>>(&self, values: I) -> Vec<(String, usize)> {
        let mut seen: Vec<(String, usize)> = Vec::new();
        let mut at: HashMap<String, usize> = HashMap::new();
        for v in values {
            let t = v.trim();
            if t.is_empty() || self.get(t).is_some() {
                continue;
            }
            let i = *at.entry(t.to_owned()).or_insert_with(|| {
                seen.push((t.to_owned(), 0));
                seen.len() - 1
            });
            seen[i].1 += 1;
        }
        seen.sort_by_key(|b| std::cmp::Reverse(b.1));
        seen
    }
}

/// Salesforce opportunity stages → renewal outcome (`renewed`, `churned`, `open`): Closed
/// Won = renewed, Closed Lost = churned, every other default stage = open; English and
/// Salesforce's German labels. Whether a row is a renewal at all is the opportunity `Type`'s
/// business ([`is_renewal_type`]): a won new-business deal renews nothing.
pub fn salesforce_stages() -> Vocab {
    Vocab::texts(&[
        ("Closed Won", "renewed"),
        ("Won", "renewed"),
        ("Geschlossen und gewonnen", "renewed"),
        ("Geschlossen/Gewonnen", "renewed"),
        ("Gewonnen", "renewed"),
        ("Closed Lost", "churned"),
        ("Lost", "churned"),
        ("Geschlossen und verloren", "churned"),
        ("Geschlossen/Verloren", "churned"),
        ("Verloren", "churned"),
        ("Prospecting", "open"),
        ("Qualification", "open"),
        ("Needs Analysis", "open"),
        ("Value Proposition", "open"),
        ("Id. Decision Makers", "open"),
        ("Perception Analysis", "open"),
        ("Proposal/Price Quote", "open"),
        ("Negotiation/Review", "open"),
        ("Interessent", "open"),
        ("Qualifizierung", "open"),
        ("Bedarfsanalyse", "open"),
        ("Wertangebot", "open"),
        ("Entscheidungsträger identifizieren", "open"),
        ("Wahrnehmungsanalyse", "open"),
        ("Angebot/Preisangebot", "open"),
        ("Verhandlung/Überprüfung", "open"),
    ])
}

/// An opportunity `Type` that makes the row a renewal (`Renewal`, `Verlängerung`,
/// `Existing Business - Renewal`).
pub fn is_renewal_type(text: &str) -> bool {
    let k = key(text);
    k.contains("renewal") || k.contains("verlaengerung")
}

/// 5-point satisfaction labels (SurveyMonkey, Qualtrics, German surveys) → CSAT 5 … 1.
pub fn csat_labels() -> Vocab {
    Vocab::scores(&[
        ("Very satisfied", 5),
        ("Extremely satisfied", 5),
        ("Completely satisfied", 5),
        ("Satisfied", 4),
        ("Somewhat satisfied", 4),
        ("Mostly satisfied", 4),
        ("Neither satisfied nor dissatisfied", 3),
        ("Neutral", 3),
        ("Somewhat dissatisfied", 2),
        ("Dissatisfied", 2),
        ("Very dissatisfied", 1),
        ("Extremely dissatisfied", 1),
        ("Sehr zufrieden", 5),
        ("Äußerst zufrieden", 5),
        ("Zufrieden", 4),
        ("Eher zufrieden", 4),
        ("Weder zufrieden noch unzufrieden", 3),
        ("Teils/teils", 3),
        ("Eher unzufrieden", 2),
        ("Unzufrieden", 2),
        ("Sehr unzufrieden", 1),
        ("Äußerst unzufrieden", 1),
    ])
}

/// The 7-point CES labels: Extremely easy … Extremely difficult = 7 … 1, and the 7-point
/// agreement scale of CES 2.0 ("The company made it easy …": Strongly agree … Strongly
/// disagree = 7 … 1).
const CES_7: &[(&str, i64)] = &[
    ("Extremely easy", 7),
    ("Very easy", 6),
    ("Somewhat easy", 5),
    ("Fairly easy", 5),
    ("Neither easy nor difficult", 4),
    ("Somewhat difficult", 3),
    ("Fairly difficult", 3),
    ("Very difficult", 2),
    ("Extremely difficult", 1),
    ("Äußerst einfach", 7),
    ("Extrem einfach", 7),
    ("Sehr einfach", 6),
    ("Eher einfach", 5),
    ("Weder einfach noch schwierig", 4),
    ("Eher schwierig", 3),
    ("Sehr schwierig", 2),
    ("Äußerst schwierig", 1),
    ("Extrem schwierig", 1),
    ("Strongly agree", 7),
    ("Agree", 6),
    ("Somewhat agree", 5),
    ("Neither agree nor disagree", 4),
    ("Somewhat disagree", 3),
    ("Disagree", 2),
    ("Strongly disagree", 1),
    ("Stimme voll und ganz zu", 7),
    ("Stimme zu", 6),
    ("Stimme eher zu", 5),
    ("Weder noch", 4),
    ("Stimme eher nicht zu", 3),
    ("Stimme nicht zu", 2),
    ("Stimme überhaupt nicht zu", 1),
];

/// The usual 5-point CES labels (Very easy, Easy, Neither, Difficult, Very difficult) on
/// the 1–7 field: the ends stay the ends and the middle stays the middle (7, 6, 4, 2, 1),
/// so the share of "easy" answers (`ces` = 5, 6 or 7, kpis.md) is the 5-point scale's
/// share of Very easy + Easy.
const CES_5: &[(&str, i64)] = &[
    ("Very easy", 7),
    ("Easy", 6),
    ("Neither easy nor difficult", 4),
    ("Neutral", 4),
    ("Difficult", 2),
    ("Very difficult", 1),
    ("Sehr einfach", 7),
    ("Einfach", 6),
    ("Weder einfach noch schwierig", 4),
    ("Schwierig", 2),
    ("Sehr schwierig", 1),
];

/// The CES vocabulary for a column, from the labels it holds: `Very easy` is 6 on the
/// 7-point scale and 7 (its top) on the 5-point one, so the scale is told by the column —
/// 7-point when any label only the 7-point scale has (Extremely …, Somewhat …, agreement)
/// is there or nothing tells, 5-point when a plain `Easy`/`Difficult` is there.
pub fn ces_labels<'a, I: IntoIterator<Item = &'a str>>(column: I) -> Vocab {
    let five_only: Vec<String> = ["Easy", "Difficult", "Einfach", "Schwierig", "Neutral"]
        .iter()
        .map(|l| key(l))
        .collect();
    let seven = Vocab::scores(CES_7);
    let mut five_seen = false;
    for v in column {
        let k = key(v);
        if five_only.contains(&k) {
            five_seen = true;
        } else if seven.map.contains_key(&k) && !CES_5.iter().any(|(l, _)| key(l) == k) {
            return seven;
        }
    }
    if five_seen {
        Vocab::scores(CES_5)
    } else {
        seven
    }
}

/// Lead types → `lead` / `trial` (datasets.md `leads.type`): Free Trial = trial.
pub fn lead_types() -> Vocab {
    Vocab::texts(&[
        ("Free Trial", "trial"),
        ("Trial", "trial"),
        ("Trial Signup", "trial"),
        ("Testphase", "trial"),
        ("Testversion", "trial"),
        ("Kostenlose Testversion", "trial"),
        ("Lead", "lead"),
        ("Marketing Qualified Lead", "lead"),
        ("Sales Qualified Lead", "lead"),
        ("MQL", "lead"),
        ("SQL", "lead"),
        ("Inbound", "lead"),
        ("Demo Request", "lead"),
        ("Demo-Anfrage", "lead"),
        ("Kontaktanfrage", "lead"),
    ])
}

/// Activity types of CRMs (Salesforce tasks and events, HubSpot engagements) → the
/// touchpoint types of datasets.md (meeting, call, qbr, email, training, event).
pub fn touchpoint_types() -> Vocab {
    Vocab::texts(&[
        ("Call", "call"),
        ("Phone Call", "call"),
        ("Anruf", "call"),
        ("Telefonat", "call"),
        ("Email", "email"),
        ("E-Mail", "email"),
        ("Send Letter", "email"),
        ("Meeting", "meeting"),
        ("Besprechung", "meeting"),
        ("Termin", "meeting"),
        ("Video Call", "meeting"),
        ("QBR", "qbr"),
        ("Quarterly Business Review", "qbr"),
        ("Business Review", "qbr"),
        ("EBR", "qbr"),
        ("Training", "training"),
        ("Schulung", "training"),
        ("Onboarding", "training"),
        ("Event", "event"),
        ("Webinar", "event"),
        ("Veranstaltung", "event"),
        ("Konferenz", "event"),
    ])
}

/// A helpdesk's own satisfaction rating (Zendesk `Satisfaction Score`): not a CSAT score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HelpdeskRating {
    Good,
    Bad,
    Offered,
    NotOffered,
}

pub fn helpdesk_rating(text: &str) -> Option<HelpdeskRating> {
    Some(match key(text).as_str() {
        "good" | "goodwithcomment" | "gut" => HelpdeskRating::Good,
        "bad" | "badwithcomment" | "schlecht" => HelpdeskRating::Bad,
        "offered" | "angeboten" => HelpdeskRating::Offered,
        "notoffered" | "unoffered" | "nichtangeboten" => HelpdeskRating::NotOffered,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(v: &Vocab, l: &str) -> Option<i64> {
        match v.get(l) {
            Some(Code::Score(n)) => Some(*n),
            _ => None,
        }
    }
    fn text(v: &Vocab, l: &str) -> Option<String> {
        match v.get(l) {
            Some(Code::Text(t)) => Some(t.clone()),
            _ => None,
        }
    }

    #[test]
    fn salesforce_stages_become_renewal_outcomes() {
        let v = salesforce_stages();
        assert_eq!(text(&v, "Closed Won").as_deref(), Some("renewed"));
        assert_eq!(text(&v, "closed won").as_deref(), Some("renewed"));
        assert_eq!(text(&v, "Closed Lost").as_deref(), Some("churned"));
        assert_eq!(text(&v, "Negotiation/Review").as_deref(), Some("open"));
        assert_eq!(
            text(&v, "Geschlossen und gewonnen").as_deref(),
            Some("renewed")
        );
        assert_eq!(text(&v, "Verhandlung/Überprüfung").as_deref(), Some("open"));
        assert_eq!(v.get("Signed, sealed"), None);
        assert!(is_renewal_type("Renewal"));
        assert!(is_renewal_type("Existing Business - Renewal"));
        assert!(is_renewal_type("Verlängerung"));
        assert!(!is_renewal_type("New Business"));
    }

    #[test]
    fn survey_labels_become_scores() {
        let c = csat_labels();
        for (l, n) in [
            ("Very satisfied", 5),
            ("Somewhat satisfied", 4),
            ("Neither satisfied nor dissatisfied", 3),
            ("Somewhat dissatisfied", 2),
            ("Very dissatisfied", 1),
            ("Sehr zufrieden", 5),
            ("sehr unzufrieden", 1),
        ] {
            assert_eq!(score(&c, l), Some(n), "{l}");
        }
        // helpdesk Good/Bad is not CSAT
        assert_eq!(c.get("Good"), None);
        assert_eq!(c.get("Bad"), None);
        assert_eq!(helpdesk_rating("Good"), Some(HelpdeskRating::Good));
        assert_eq!(
            helpdesk_rating("Not Offered"),
            Some(HelpdeskRating::NotOffered)
        );
        assert_eq!(helpdesk_rating("Very satisfied"), None);
    }

    #[test]
    fn crm_activity_types_become_touchpoint_types() {
        let v = touchpoint_types();
        for (l, want) in [
            ("Call", "call"),
            ("E-Mail", "email"),
            ("email", "email"),
            ("Meeting", "meeting"),
            ("Quarterly Business Review", "qbr"),
            ("Schulung", "training"),
            ("Webinar", "event"),
        ] {
            assert_eq!(text(&v, l).as_deref(), Some(want), "{l}");
        }
        // Salesforce's "Other" is the user's to assign
        assert_eq!(v.unknown(["Other", "Call"]), vec![("Other".to_owned(), 1)]);
    }

    #[test]
    fn the_ces_scale_is_told_by_the_column() {
        let seven = ces_labels(["Very easy", "Extremely easy", "Somewhat difficult"]);
        assert_eq!(score(&seven, "Extremely easy"), Some(7));
        assert_eq!(score(&seven, "Very easy"), Some(6));
        assert_eq!(score(&seven, "Extremely difficult"), Some(1));
        let five = ces_labels(["Very easy", "Easy", "Difficult", "Very easy"]);
        assert_eq!(score(&five, "Very easy"), Some(7));
        assert_eq!(score(&five, "Easy"), Some(6));
        assert_eq!(score(&five, "Neither easy nor difficult"), Some(4));
        assert_eq!(score(&five, "Very difficult"), Some(1));
        let agree = ces_labels(["Strongly agree", "Disagree"]);
        assert_eq!(score(&agree, "Strongly agree"), Some(7));
        assert_eq!(score(&agree, "Stimme eher zu"), Some(5));
    }

    #[test]
    fn lead_types_and_user_assignments_and_unknown_values() {
        let mut v = lead_types();
        assert_eq!(text(&v, "Free Trial").as_deref(), Some("trial"));
        assert_eq!(text(&v, "Kostenlose Testversion").as_deref(), Some("trial"));
        let col = [
            "Free Trial",
            "Partner referral",
            "Webinar",
            "Partner referral",
            "",
            "MQL",
        ];
        assert_eq!(
            v.unknown(col),
            vec![
                ("Partner referral".to_owned(), 2),
                ("Webinar".to_owned(), 1)
            ]
        );
        v.assign("Partner Referral", Code::Text("lead".into()));
        assert_eq!(text(&v, "partner referral").as_deref(), Some("lead"));
        assert_eq!(v.unknown(col), vec![("Webinar".to_owned(), 1)]);
        // an assignment overrides the built-in one
        v.assign("Trial", Code::Text("lead".into()));
        assert_eq!(text(&v, "Trial").as_deref(), Some("lead"));
    }
}
