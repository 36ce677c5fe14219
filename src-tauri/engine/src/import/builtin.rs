//! Built-in import profiles (`sources.md` §6): the common tools' exports recognised by the
//! shape of their header and imported with no questions the first time.
//!
//! A built-in profile is data, not a row in the `profiles` table: the header texts that
//! identify a tool's export ([`BuiltIn::must`], as written in the tool's documented export
//! format, `docs/profiles/SOURCES.md`), the kind, which column holds which field, and the
//! constants the tool implies (a Mailchimp export is e-mail). It is tried only when the user
//! chose nothing for the table (no kind, no mapping, no header row; a saved profile of the
//! user's applies those and so always wins). Where several match, the one that names most
//! headers wins. What each one maps is listed in `docs/profiles/README.md`.

use super::fields::{fields, header_key};
use super::source::FileRow;
use crate::model::Kind;

/// How a built-in profile names a column: its header text exactly (as a header key), or
/// `~a|b|…`: the first header whose key contains one of the alternatives (a survey's
/// question text, a product-analytics group property).
type Spec = &'static str;

/// A test on a cell's text: is the row a record of the profile's kind?
pub type RowTest = fn(&str) -> bool;

/// One tool's export.
#[derive(Debug)]
pub struct BuiltIn {
    /// What the user sees (`import --json` → `profile`).
    pub name: &'static str,
    pub tool: &'static str,
    /// Header texts that must all be there (with every exactly named column of `map`).
    pub must: &'static [Spec],
    /// `None`: the table is another view of data a sibling table holds (LinkedIn's "All
    /// posts" beside its daily "Metrics"): not imported, listed as passed over.
    pub kind: Option<Kind>,
    /// (field, column) pairs; a `~` column that is not found leaves its field unmapped.
    pub map: &'static [(&'static str, Spec)],
    /// Constants for fields no column holds (`channel = email`).
    pub set: &'static [(&'static str, &'static str)],
    /// The score column's field comes from another column's value in the first data row
    /// (Delighted: `Survey type` = nps/csat/ces): (type column, score column).
    pub score_by: Option<(Spec, Spec)>,
    /// Only rows whose value in this column passes the test are records of the kind (an
    /// opportunities report mixes new business with renewals): the others are passed over.
    pub keep: Option<(Spec, RowTest)>,
}

const fn p(
    name: &'static str,
    tool: &'static str,
    must: &'static [Spec],
    kind: Option<Kind>,
    map: &'static [(&'static str, Spec)],
    set: &'static [(&'static str, &'static str)],
) -> BuiltIn {
    BuiltIn {
        name,
        tool,
        must,
        kind,
        map,
        set,
        score_by: None,
        keep: None,
    }
}

/// The built-in profiles (billing exports — Stripe, Chargebee — are read by the billing
/// import, `sources/billing.rs`).
pub static BUILT_IN: &[BuiltIn] = &[
    p(
        "Salesforce accounts report",
        "Salesforce",
        &["Account Owner", "Account ID", "Account Name"],
        Some(Kind::Accounts),
        &[
            ("account_id", "Account ID"),
            ("name", "Account Name"),
            ("owner", "Account Owner"),
            ("segment", "~segment"),
            ("plan", "~plan"),
            ("region", "~billingcountry|country"),
            ("start_date", "~customersince"),
            ("churn_date", "~churndate"),
            ("seats", "~seats|licenses"),
        ],
        &[],
    ),
    BuiltIn {
        keep: Some(("~type", crate::sources::vocab::is_renewal_type)),
        ..p(
            "Salesforce opportunities",
            "Salesforce",
            &["Opportunity Name", "Stage", "Close Date", "Account Name"],
            Some(Kind::Renewals),
            &[
                ("account_id", "Account Name"),
                ("due_date", "Close Date"),
                ("outcome", "Stage"),
                ("amount", "~amount"),
            ],
            &[],
        )
    },
    p(
        "Salesforce activities",
        "Salesforce",
        &["Assigned", "Subject", "Company / Account", "Date"],
        Some(Kind::Touchpoints),
        &[
            ("account_id", "Company / Account"),
            ("date", "Date"),
            ("type", "~type"),
            ("owner", "Assigned"),
        ],
        &[],
    ),
    p(
        "HubSpot companies",
        "HubSpot",
        &["Record ID", "Company name", "Company Domain Name"],
        Some(Kind::Accounts),
        &[
            ("account_id", "Record ID"),
            ("name", "Company name"),
            ("owner", "~companyowner"),
            ("region", "~countryregion|country"),
        ],
        &[],
    ),
    p(
        "HubSpot contacts",
        "HubSpot",
        &["Record ID", "First Name", "Last Name", "Create Date"],
        Some(Kind::Leads),
        &[
            ("lead_id", "Record ID"),
            ("created_date", "Create Date"),
            ("converted_date", "~becameacustomerdate"),
        ],
        &[],
    ),
    p(
        "Zendesk tickets",
        "Zendesk",
        &[
            "Summation column",
            "Id",
            "Requester",
            "Created at",
            "Organization",
        ],
        Some(Kind::Tickets),
        &[
            ("ticket_id", "Id"),
            ("account_id", "Organization"),
            ("created_at", "Created at"),
            ("resolved_at", "~solvedat"),
            ("first_response_minutes", "~firstreplytimeinminutes"),
            ("contacts", "~replies"),
            ("channel", "~via"),
        ],
        &[],
    ),
    p(
        "Freshdesk tickets",
        "Freshdesk",
        &["Ticket ID", "Created time", "Resolved time", "Company Name"],
        Some(Kind::Tickets),
        &[
            ("ticket_id", "Ticket ID"),
            ("account_id", "Company Name"),
            ("created_at", "Created time"),
            ("resolved_at", "Resolved time"),
            ("contacts", "~agentinteractions"),
            ("channel", "~source"),
        ],
        &[],
    ),
    p(
        "Intercom conversations",
        "Intercom",
        &["Conversation ID", "Conversation started at (UTC)"],
        Some(Kind::Tickets),
        &[
            ("ticket_id", "Conversation ID"),
            ("account_id", "~companyid"),
            ("created_at", "Conversation started at (UTC)"),
            ("first_response_at", "~conversationfirstrepliedat"),
            ("resolved_at", "~conversationlastclosedat"),
            ("contacts", "~numberofrepliesbyteammates"),
        ],
        &[],
    ),
    p(
        "Typeform responses",
        "Typeform",
        &["#", "Submit Date (UTC)", "Network ID"],
        Some(Kind::Surveys),
        &[
            ("response_id", "#"),
            ("account_id", "~email"),
            ("date", "Submit Date (UTC)"),
            ("nps", "~recommend|empfehlen"),
            ("comment", "~reason|why|grund|warum"),
        ],
        &[],
    ),
    p(
        "SurveyMonkey responses",
        "SurveyMonkey",
        &["Respondent ID", "Collector ID", "End Date"],
        Some(Kind::Surveys),
        &[
            ("response_id", "Respondent ID"),
            ("account_id", "~emailaddress"),
            ("date", "End Date"),
            ("csat", "~satisfied|zufrieden"),
            ("nps", "~recommend|empfehlen"),
            ("ces", "~easy|effort|einfach"),
            ("comment", "~better|improve|why|reason|comment|besser|warum"),
        ],
        &[],
    ),
    BuiltIn {
        score_by: Some(("Survey type", "Score")),
        ..p(
            "Delighted responses",
            "Delighted",
            &[
                "Response ID",
                "Person ID",
                "Score",
                "Response timestamp",
                "Survey type",
            ],
            Some(Kind::Surveys),
            &[
                ("response_id", "Response ID"),
                ("account_id", "~email"),
                ("date", "Response timestamp"),
                ("comment", "~comment"),
            ],
            &[],
        )
    },
    p(
        "Mixpanel events",
        "Mixpanel",
        &["event", "time", "distinct_id", "$insert_id"],
        Some(Kind::Usage),
        &[
            (
                "account_id",
                "~workspace|company|account|organization|group",
            ),
            ("user_id", "distinct_id"),
            ("date", "time"),
            ("feature", "event"),
        ],
        &[],
    ),
    p(
        "Amplitude events",
        "Amplitude",
        &["event_time", "event_type", "user_id", "amplitude_id"],
        Some(Kind::Usage),
        &[
            ("account_id", "~groups"),
            ("user_id", "user_id"),
            ("date", "event_time"),
            ("feature", "event_type"),
        ],
        &[],
    ),
    p(
        "Pendo visitors",
        "Pendo",
        &["Visitor ID", "Account ID", "Last Visit", "Days Active"],
        Some(Kind::Usage),
        &[
            ("account_id", "Account ID"),
            ("user_id", "Visitor ID"),
            ("date", "Last Visit"),
            ("sessions", "Days Active"),
            ("session_seconds", "~timeonsite"),
        ],
        &[],
    ),
    p(
        "Mailchimp campaigns",
        "Mailchimp",
        &[
            "Title",
            "Send Date",
            "Successful Deliveries",
            "Unique Opens",
        ],
        Some(Kind::Campaigns),
        &[
            ("date", "Send Date"),
            ("name", "Title"),
            ("sent", "~totalrecipients"),
            ("delivered", "Successful Deliveries"),
            ("opened", "Unique Opens"),
            ("clicked", "~uniqueclicks"),
            ("unsubscribed", "~unsubscribes"),
        ],
        &[("channel", "email")],
    ),
    p(
        "GA4 pages and screens",
        "Google Analytics 4",
        &["Page path and screen class", "Views", "Sessions"],
        Some(Kind::Campaigns),
        &[
            ("date", "~date"),
            ("name", "Page path and screen class"),
            ("page_views", "Views"),
            ("sessions", "Sessions"),
        ],
        &[("channel", "web")],
    ),
    p(
        "LinkedIn page updates (daily metrics)",
        "LinkedIn",
        &["Date", "Impressions (organic)", "Reactions (total)"],
        Some(Kind::Campaigns),
        &[
            ("date", "Date"),
            ("likes", "Reactions (total)"),
            ("shares", "~repoststotal|sharestotal"),
            ("comments", "~commentstotal"),
            ("clicks", "~clickstotal"),
        ],
        &[("channel", "social")],
    ),
    p(
        "LinkedIn page updates (per post)",
        "LinkedIn",
        &["Post title", "Post link", "Posted by"],
        None,
        &[],
        &[],
    ),
    p(
        "Zoom webinar attendee report",
        "Zoom",
        &["Topic", "Webinar ID", "Actual Start Time", "Unique Viewers"],
        Some(Kind::Campaigns),
        &[
            ("date", "Actual Start Time"),
            ("name", "Topic"),
            ("registrations", "~registered"),
            ("attendees", "Unique Viewers"),
        ],
        &[("channel", "event")],
    ),
    p(
        "Zoom webinar registration report",
        "Zoom",
        &["Topic", "Webinar ID", "Scheduled Time", "# Registered"],
        Some(Kind::Campaigns),
        &[
            ("date", "Scheduled Time"),
            ("name", "Topic"),
            ("registrations", "# Registered"),
        ],
        &[("channel", "event")],
    ),
    p(
        "Shopify orders",
        "Shopify",
        &[
            "Name",
            "Financial Status",
            "Lineitem quantity",
            "Billing Company",
        ],
        Some(Kind::Orders),
        &[
            ("order_id", "Name"),
            ("account_id", "Billing Company"),
            ("date", "Created at"),
            ("amount", "Subtotal"),
        ],
        &[],
    ),
];

/// The column a spec names among the header keys.
fn find(spec: Spec, keys: &[String]) -> Option<usize> {
    match spec.strip_prefix('~') {
        Some(alts) => alts.split('|').find_map(|a| {
            let a = header_key(a);
            keys.iter().position(|k| !a.is_empty() && k.contains(&a))
        }),
        None => {
            // (`#`, Typeform's response id, has no key: compared as written by the caller)
            let k = header_key(spec);
            keys.iter().position(|h| !k.is_empty() && *h == k)
        }
    }
}

/// What a built-in profile decided for one table.
#[derive(Clone, Debug)]
pub struct Applied {
    pub profile: &'static BuiltIn,
    /// `FIELD=COLUMN` pairs, with the header texts as the file writes them.
    pub map: Vec<String>,
    /// `FIELD=VALUE` constants.
    pub set: Vec<String>,
    /// Rows are records only when this column's value passes the test.
    pub keep: Option<(usize, RowTest)>,
}

/// Does the header row `cells` (texts) match `b`?
fn matches(b: &BuiltIn, texts: &[String]) -> bool {
    let keys: Vec<String> = texts.iter().map(|t| header_key(t)).collect();
    let exact = |spec: &str| {
        let k = header_key(spec);
        if k.is_empty() {
            texts.iter().any(|t| t.trim() == spec)
        } else {
            keys.contains(&k)
        }
    };
    b.must.iter().all(|s| exact(s))
        && b.map
            .iter()
            .filter(|(_, c)| !c.starts_with('~'))
            .all(|(_, c)| exact(c))
}

/// The built-in profile for a header row (its display texts) and the data rows below it,
/// if one matches: the one naming most headers.
pub fn recognise(texts: &[String], data: &[FileRow]) -> Option<Applied> {
    let b = BUILT_IN
        .iter()
        .filter(|b| matches(b, texts))
        .max_by_key(|b| b.must.len())?;
    let keys: Vec<String> = texts.iter().map(|t| header_key(t)).collect();
    let column = |spec: Spec| -> Option<usize> {
        if header_key(spec).is_empty() && !spec.starts_with('~') {
            return texts.iter().position(|t| t.trim() == spec);
        }
        find(spec, &keys)
    };
    let mut used = Vec::new();
    let mut map = Vec::new();
    for (field, spec) in b.map {
        if let Some(ci) = column(spec).filter(|ci| !used.contains(ci)) {
            used.push(ci);
            map.push(format!("{field}={}", texts[ci]));
        }
    }
    if let (Some((ty, score)), Some(kind)) = (b.score_by, b.kind) {
        if let (Some(ti), Some(si)) = (column(ty), column(score)) {
            let said = data
                .iter()
                .find_map(|r| r.cells.get(ti).map(|c| header_key(&c.display())))
                .filter(|v| !v.is_empty());
            if let Some(field) = said.and_then(|v| {
                fields(kind)
                    .iter()
                    .find(|f| ["nps", "csat", "ces"].contains(&f.id) && f.id == v)
            }) {
                map.push(format!("{}={}", field.id, texts[si]));
            }
        }
    }
    let keep = b
        .keep
        .and_then(|(spec, test)| column(spec).map(|ci| (ci, test)));
    Some(Applied {
        profile: b,
        keep,
        map,
        set: b.set.iter().map(|(f, v)| format!("{f}={v}")).collect(),
    })
}

/// The tools' built-in profiles as the profile list shows them (Settings, `cspulse
/// profiles`): kind, the exactly named columns as the mapping, the constants; the billing
/// exports' too. Their signature (`built-in: <headers>`) is no file's, so the list never
/// applies them by signature: a file is recognised by its headers ([`recognise`]).
pub fn listed() -> Vec<super::profile::Profile> {
    use super::profile::{Choices, Profile, PROFILE_VERSION};
    let profile =
        |name: &str, must: Vec<&str>, kind: Option<Kind>, map: Vec<String>, set: Vec<String>| {
            Profile {
                version: PROFILE_VERSION,
                name: name.to_owned(),
                signature: format!("built-in: {}", must.join(", ")),
                built_in: true,
                saved_at: String::new(),
                used_at: None,
                choices: Choices {
                    kind,
                    map,
                    set,
                    ..Choices::default()
                },
            }
        };
    let mut out: Vec<Profile> = BUILT_IN
        .iter()
        .map(|b| {
            profile(
                b.name,
                b.must.to_vec(),
                b.kind,
                b.map
                    .iter()
                    .filter(|(_, c)| !c.starts_with('~'))
                    .map(|(f, c)| format!("{f}={c}"))
                    .collect(),
                b.set.iter().map(|(f, v)| format!("{f}={v}")).collect(),
            )
        })
        .collect();
    for (name, must, map) in super::billing::listed() {
        out.push(profile(name, must, Some(Kind::Revenue), map, vec![]));
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_profile_maps_fields_of_its_kind_once() {
        let mut names = std::collections::HashSet::new();
        for b in BUILT_IN {
            assert!(names.insert(b.name), "{} twice", b.name);
            let Some(kind) = b.kind else { continue };
            let ids: Vec<&str> = fields(kind).iter().map(|f| f.id).collect();
            let mut seen = std::collections::HashSet::new();
            for (f, _) in b.map.iter().chain(b.set.iter()) {
                assert!(ids.contains(f), "{}: {f} is no field of {kind:?}", b.name);
                assert!(seen.insert(*f), "{}: {f} twice", b.name);
            }
        }
    }

    #[test]
    fn a_header_with_the_tools_columns_is_recognised_and_others_are_not() {
        let t = |s: &[&str]| s.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
        let a = recognise(
            &t(&[
                "Title",
                "Send Date",
                "Successful Deliveries",
                "Unique Opens",
                "Unique Clicks",
            ]),
            &[],
        )
        .unwrap();
        assert_eq!(a.profile.name, "Mailchimp campaigns");
        assert!(
            a.map.contains(&"clicked=Unique Clicks".to_owned()),
            "{:?}",
            a.map
        );
        assert_eq!(a.set, vec!["channel=email".to_owned()]);
        assert!(recognise(&t(&["Title", "Send Date", "Opens"]), &[]).is_none());
        assert!(recognise(&t(&["account_id", "month", "mrr"]), &[]).is_none());
    }
}
