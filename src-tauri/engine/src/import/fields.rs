//! The fields of the eleven dataset kinds with their types and header synonyms
//! (`datasets.md`). The same ids are the SQLite column names.

use crate::model::Kind;
use unicode_normalization::UnicodeNormalization;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    Outcome,
    CostType,
    Channel,
    LeadType,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    Text,
    Int { min: Option<i64>, max: Option<i64> },
    Number,
    Date,
    DateTime,
    Month,
    Bool,
    Coded(Code),
}

#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub id: &'static str,
    pub ty: FieldType,
    pub required: bool,
    pub synonyms: &'static [&'static str],
}

const fn f(
    id: &'static str,
    ty: FieldType,
    required: bool,
    synonyms: &'static [&'static str],
) -> Field {
    Field {
        id,
        ty,
        required,
        synonyms,
    }
}

use FieldType::*;
const INT: FieldType = Int {
    min: Some(0),
    max: None,
};

const ACCOUNT_ID: &[&str] = &[
    "account id",
    "customer id",
    "customer number",
    "client id",
    "organization",
    "org id",
    "kundennummer",
    "kunden-nr",
    "kundennr",
    "kunden-id",
    "kunde id",
    "debitor",
    "debitorennummer",
    "account",
];

const ACCOUNTS: &[Field] = &[
    f("account_id", Text, true, ACCOUNT_ID),
    f(
        "name",
        Text,
        false,
        &[
            "account name",
            "customer",
            "company",
            "customer name",
            "kunde",
            "firma",
            "kundenname",
            "unternehmen",
        ],
    ),
    f(
        "segment",
        Text,
        false,
        &["segment", "tier", "size", "kundensegment", "kategorie"],
    ),
    f(
        "plan",
        Text,
        false,
        &[
            "plan",
            "product",
            "package",
            "subscription",
            "tarif",
            "paket",
            "produkt",
        ],
    ),
    f(
        "owner",
        Text,
        false,
        &[
            "csm",
            "owner",
            "account manager",
            "customer success manager",
            "betreuer",
            "kundenbetreuer",
            "verantwortlich",
        ],
    ),
    f("region", Text, false, &["region", "country", "land"]),
    f(
        "start_date",
        Date,
        false,
        &[
            "start date",
            "customer since",
            "contract start",
            "signup date",
            "vertragsbeginn",
            "kunde seit",
            "startdatum",
        ],
    ),
    f(
        "churn_date",
        Date,
        false,
        &[
            "churn date",
            "cancellation date",
            "end date",
            "cancelled at",
            "kündigungsdatum",
            "vertragsende",
            "gekündigt am",
            "enddatum",
        ],
    ),
    f(
        "renewal_date",
        Date,
        false,
        &[
            "renewal date",
            "next renewal",
            "contract end",
            "verlängerungsdatum",
            "nächste verlängerung",
            "laufzeitende",
        ],
    ),
    f(
        "seats",
        INT,
        false,
        &[
            "seats",
            "licenses",
            "licensed users",
            "lizenzen",
            "anzahl lizenzen",
            "nutzerlizenzen",
        ],
    ),
    f(
        "mrr",
        Number,
        false,
        &[
            "mrr",
            "monthly revenue",
            "monthly fee",
            "monatsumsatz",
            "monatliche gebühr",
        ],
    ),
    f(
        "onboarded_date",
        Date,
        false,
        &[
            "onboarding completed",
            "go live",
            "onboarded at",
            "onboarding abgeschlossen",
            "go-live",
        ],
    ),
    // link fields (sources.md §1): what other tools' files may call the account by
    f(
        "domain",
        Text,
        false,
        &[
            "domain",
            "website",
            "web",
            "webseite",
            "homepage",
            "company domain name",
            "domain name",
            "email domain",
        ],
    ),
    // other tools' ids: filled from the columns `identity::alias_column` knows (a column
    // headed `aliases` may hold more, separated by `;`); stored as a JSON array
    f("aliases", Text, false, &["aliases", "alias", "aliasse"]),
];

const REVENUE: &[Field] = &[
    f("account_id", Text, true, ACCOUNT_ID),
    f(
        "month",
        Month,
        true,
        &[
            "month",
            "period",
            "date",
            "billing month",
            "monat",
            "periode",
            "zeitraum",
            "abrechnungsmonat",
        ],
    ),
    f(
        "mrr",
        Number,
        true,
        &[
            "mrr",
            "revenue",
            "recurring revenue",
            "amount",
            "umsatz",
            "wiederkehrender umsatz",
            "betrag",
        ],
    ),
    f("currency", Text, false, &["currency", "währung"]),
];

const RENEWALS: &[Field] = &[
    f("account_id", Text, true, ACCOUNT_ID),
    f(
        "due_date",
        Date,
        true,
        &[
            "renewal date",
            "due date",
            "contract end",
            "verlängerungsdatum",
            "fällig am",
            "vertragsende",
        ],
    ),
    f(
        "outcome",
        Coded(Code::Outcome),
        true,
        &["outcome", "status", "result", "ergebnis"],
    ),
    f(
        "amount",
        Number,
        false,
        &["amount", "arr", "value", "betrag", "wert"],
    ),
];

const SURVEYS: &[Field] = &[
    f(
        "response_id",
        Text,
        false,
        &["response id", "id", "antwort-id"],
    ),
    f("account_id", Text, false, ACCOUNT_ID),
    f(
        "date",
        Date,
        true,
        &[
            "date",
            "submitted at",
            "response date",
            "datum",
            "beantwortet am",
        ],
    ),
    f(
        "nps",
        Int {
            min: Some(0),
            max: Some(10),
        },
        false,
        &[
            "nps",
            "likelihood to recommend",
            "recommend score",
            "weiterempfehlung",
            "empfehlungswahrscheinlichkeit",
            "nps-wert",
        ],
    ),
    f(
        "csat",
        Int {
            min: Some(1),
            max: Some(5),
        },
        false,
        &[
            "csat",
            "satisfaction",
            "satisfaction score",
            "zufriedenheit",
            "kundenzufriedenheit",
        ],
    ),
    f(
        "ces",
        Int {
            min: Some(1),
            max: Some(7),
        },
        false,
        &[
            "ces",
            "effort",
            "customer effort score",
            "aufwand",
            "kundenaufwand",
        ],
    ),
    f(
        "comment",
        Text,
        false,
        &[
            "comment",
            "feedback",
            "reason",
            "verbatim",
            "kommentar",
            "anmerkung",
            "begründung",
            "freitext",
        ],
    ),
];

const TICKETS: &[Field] = &[
    f(
        "ticket_id",
        Text,
        true,
        &[
            "ticket id",
            "id",
            "case number",
            "ticket-nr",
            "ticketnummer",
            "fallnummer",
        ],
    ),
    f(
        "account_id",
        Text,
        false,
        &[
            "organization",
            "account",
            "customer",
            "organisation",
            "kunde",
            "kundennummer",
            "account id",
            "customer id",
        ],
    ),
    f(
        "created_at",
        DateTime,
        true,
        &["created at", "created", "opened", "erstellt am", "eröffnet"],
    ),
    f(
        "first_response_at",
        DateTime,
        false,
        &["first response at", "first reply at", "erste antwort am"],
    ),
    f(
        "first_response_minutes",
        Number,
        false,
        &[
            "first reply time in minutes",
            "first response minutes",
            "erste antwortzeit (min)",
        ],
    ),
    f(
        "resolved_at",
        DateTime,
        false,
        &[
            "solved at",
            "resolved at",
            "closed at",
            "gelöst am",
            "geschlossen am",
        ],
    ),
    f(
        "contacts",
        INT,
        false,
        &[
            "replies",
            "agent replies",
            "contacts",
            "interactions",
            "antworten",
            "kontakte",
            "interaktionen",
        ],
    ),
    f(
        "first_contact_resolution",
        Bool,
        false,
        &[
            "fcr",
            "resolved on first contact",
            "one touch",
            "beim erstkontakt gelöst",
        ],
    ),
    f("channel", Text, false, &["channel", "via", "kanal"]),
];

const USAGE: &[Field] = &[
    f("account_id", Text, true, ACCOUNT_ID),
    f(
        "user_id",
        Text,
        true,
        &[
            "user id",
            "user",
            "email",
            "benutzer",
            "nutzer",
            "benutzer-id",
        ],
    ),
    f(
        "date",
        DateTime,
        true,
        &[
            "date",
            "timestamp",
            "event time",
            "event date",
            "datum",
            "zeitpunkt",
        ],
    ),
    f("sessions", INT, false, &["sessions", "sitzungen"]),
    f(
        "session_seconds",
        Number,
        false,
        &[
            "session duration",
            "session duration (s)",
            "duration (s)",
            "seconds",
            "sitzungsdauer",
            "sitzungsdauer (s)",
            "dauer (s)",
        ],
    ),
    f(
        "feature",
        Text,
        false,
        &[
            "feature", "event", "module", "funktion", "ereignis", "modul",
        ],
    ),
];

const TOUCHPOINTS: &[Field] = &[
    f("account_id", Text, true, ACCOUNT_ID),
    f("date", Date, true, &["date", "activity date", "datum"]),
    f(
        "type",
        Text,
        false,
        &["type", "activity type", "art", "aktivität"],
    ),
    f("owner", Text, false, &["csm", "owner", "betreuer"]),
];

const CAMPAIGNS: &[Field] = &[
    f(
        "date",
        Date,
        true,
        &["date", "send date", "datum", "versanddatum"],
    ),
    f("channel", Coded(Code::Channel), true, &["channel", "kanal"]),
    f(
        "name",
        Text,
        false,
        &[
            "campaign",
            "page",
            "post",
            "event",
            "kampagne",
            "seite",
            "beitrag",
            "veranstaltung",
        ],
    ),
    f("sent", INT, false, &["sent", "gesendet"]),
    f("delivered", INT, false, &["delivered", "zugestellt"]),
    f("opened", INT, false, &["opened", "opens", "geöffnet"]),
    f("clicked", INT, false, &["clicked", "geklickt"]),
    f(
        "converted",
        INT,
        false,
        &["converted", "conversions", "konvertiert"],
    ),
    f("unsubscribed", INT, false, &["unsubscribed", "abgemeldet"]),
    f(
        "page_views",
        Number,
        false,
        &["page views", "pageviews", "seitenaufrufe"],
    ),
    f(
        "sessions",
        Number,
        false,
        &["sessions", "visits", "sitzungen"],
    ),
    f("bounces", Number, false, &["bounces", "absprünge"]),
    f("exits", Number, false, &["exits", "ausstiege"]),
    f(
        "duration_seconds",
        Number,
        false,
        &["duration (s)", "duration", "dauer (s)"],
    ),
    f("likes", INT, false, &["likes", "gefällt mir"]),
    f("shares", INT, false, &["shares", "geteilt"]),
    f("comments", INT, false, &["comments", "kommentare"]),
    f("clicks", INT, false, &["clicks", "klicks"]),
    f(
        "registrations",
        INT,
        false,
        &["registrations", "anmeldungen"],
    ),
    f("attendees", INT, false, &["attendees", "teilnehmer"]),
    f(
        "interactions",
        INT,
        false,
        &["interactions", "interaktionen"],
    ),
];

const COSTS: &[Field] = &[
    f("month", Month, true, &["month", "period", "monat"]),
    f(
        "type",
        Coded(Code::CostType),
        true,
        &["type", "cost type", "art", "kostenart"],
    ),
    f(
        "category",
        Text,
        false,
        &["category", "cost center", "kategorie", "kostenstelle"],
    ),
    f(
        "amount",
        Number,
        true,
        &["amount", "cost", "betrag", "kosten"],
    ),
];

const LEADS: &[Field] = &[
    f(
        "lead_id",
        Text,
        true,
        &["lead id", "trial id", "id", "lead-id"],
    ),
    f(
        "created_date",
        Date,
        true,
        &["created", "signup date", "erstellt", "registriert am"],
    ),
    f(
        "converted_date",
        Date,
        false,
        &[
            "converted",
            "became customer",
            "paid since",
            "konvertiert am",
            "kunde seit",
        ],
    ),
    f("type", Coded(Code::LeadType), false, &["type", "typ"]),
];

const ORDERS: &[Field] = &[
    f(
        "order_id",
        Text,
        true,
        &[
            "order id",
            "invoice number",
            "bestellnummer",
            "rechnungsnummer",
        ],
    ),
    f("account_id", Text, true, ACCOUNT_ID),
    f(
        "date",
        Date,
        true,
        &["order date", "date", "bestelldatum", "datum"],
    ),
    f(
        "amount",
        Number,
        true,
        &["amount", "total", "revenue", "betrag", "summe", "umsatz"],
    ),
];

/// The fields of `kind`, in table-column order.
pub fn fields(kind: Kind) -> &'static [Field] {
    match kind {
        Kind::Accounts => ACCOUNTS,
        Kind::Revenue => REVENUE,
        Kind::Renewals => RENEWALS,
        Kind::Surveys => SURVEYS,
        Kind::Tickets => TICKETS,
        Kind::Usage => USAGE,
        Kind::Touchpoints => TOUCHPOINTS,
        Kind::Campaigns => CAMPAIGNS,
        Kind::Costs => COSTS,
        Kind::Leads => LEADS,
        Kind::Orders => ORDERS,
    }
}

/// Amounts that may be negative (credits, refunds, reversals); every other number is ≥ 0.
pub fn may_be_negative(kind: Kind, field: &str) -> bool {
    matches!(
        (kind, field),
        (Kind::Revenue, "mrr")
            | (Kind::Orders, "amount")
            | (Kind::Costs, "amount")
            | (Kind::Renewals, "amount")
    )
}

/// The header-matching key: lowercase, umlauts spelled out (ä = ae), accents dropped,
/// whitespace and punctuation removed (`Kunden-Nr.` → `kundennr`).
pub fn header_key(text: &str) -> String {
    let lower = text.to_lowercase();
    let spelled = lower
        .replace('ä', "ae")
        .replace('ö', "oe")
        .replace('ü', "ue")
        .replace('ß', "ss");
    spelled
        .nfd()
        .filter(|c| c.is_alphanumeric() && !unicode_normalization::char::is_combining_mark(*c))
        .collect()
}

/// Does `header` name `field` (its id or a synonym)?
pub fn matches(field: &Field, header_key_text: &str) -> bool {
    !header_key_text.is_empty()
        && known_keys().get(header_key_text).is_some_and(|ids| {
            ids.iter()
                .any(|(id, syn)| *id == field.id && *syn == field.synonyms)
        })
}

/// Every field id's and synonym's header key, computed once: header key → the fields
/// (id, synonym list) it names. The header search compares every cell of 30 rows with
/// every synonym of every kind.
type FieldRef = (&'static str, &'static [&'static str]);
fn known_keys() -> &'static std::collections::HashMap<String, Vec<FieldRef>> {
    static KEYS: std::sync::OnceLock<std::collections::HashMap<String, Vec<FieldRef>>> =
        std::sync::OnceLock::new();
    KEYS.get_or_init(|| {
        let mut map: std::collections::HashMap<String, Vec<FieldRef>> =
            std::collections::HashMap::new();
        for kind in Kind::ALL {
            for f in fields(kind) {
                for name in std::iter::once(&f.id).chain(f.synonyms.iter()) {
                    let e = map.entry(header_key(name)).or_default();
                    if !e.iter().any(|(id, syn)| *id == f.id && *syn == f.synonyms) {
                        e.push((f.id, f.synonyms));
                    }
                }
            }
        }
        map
    })
}

/// Coded values: the canonical spelling of `text`, if it is one of the code's values.
pub fn code_value(code: Code, text: &str) -> Option<&'static str> {
    let k = header_key(text);
    let table: &[(&str, &[&str])] = match code {
        Code::Outcome => &[
            ("renewed", &["renewed", "verlaengert", "won", "renewal"]),
            (
                "churned",
                &[
                    "churned",
                    "cancelled",
                    "canceled",
                    "gekuendigt",
                    "lost",
                    "churn",
                ],
            ),
            ("open", &["open", "pending", "offen", "in progress"]),
        ],
        Code::CostType => &[
            (
                "retention",
                &[
                    "retention",
                    "bindung",
                    "customer success",
                    "support",
                    "cs",
                    "kundenbindung",
                ],
            ),
            (
                "acquisition",
                &[
                    "acquisition",
                    "akquise",
                    "sales",
                    "vertrieb",
                    "marketing",
                    "akquisition",
                ],
            ),
        ],
        Code::Channel => &[
            ("email", &["email", "e-mail", "mail", "newsletter"]),
            ("web", &["web", "website", "webseite"]),
            ("social", &["social", "social media"]),
            ("event", &["event", "events", "webinar", "veranstaltung"]),
        ],
        Code::LeadType => &[
            ("lead", &["lead", "leads"]),
            ("trial", &["trial", "free trial", "testphase", "test"]),
        ],
    };
    table
        .iter()
        .find(|(_, names)| names.iter().any(|n| header_key(n) == k))
        .map(|(canon, _)| *canon)
}

pub fn code_values(code: Code) -> &'static str {
    match code {
        Code::Outcome => "renewed, churned, open",
        Code::CostType => "retention, acquisition",
        Code::Channel => "email, web, social, event",
        Code::LeadType => "lead, trial",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_keys_ignore_case_umlauts_and_punctuation() {
        assert_eq!(header_key("Kunden-Nr."), "kundennr");
        assert_eq!(
            header_key("Kündigungsdatum"),
            header_key("kuendigungsdatum")
        );
        assert_eq!(header_key(" Page Views "), "pageviews");
        assert_eq!(header_key("Währung"), "waehrung");
        assert_eq!(header_key("Café"), "cafe");
    }

    #[test]
    fn coded_values_match_in_both_languages() {
        assert_eq!(code_value(Code::Outcome, "Verlängert"), Some("renewed"));
        assert_eq!(code_value(Code::Outcome, "gekündigt"), Some("churned"));
        assert_eq!(code_value(Code::CostType, "Vertrieb"), Some("acquisition"));
        assert_eq!(code_value(Code::Channel, "E-Mail"), Some("email"));
        assert_eq!(code_value(Code::Outcome, "maybe"), None);
    }
}
