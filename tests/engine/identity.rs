//! One customer, many names, through the store (`sources.md` §1): accounts with their link
//! fields (domain, other tools' ids), every other dataset's account column resolved at
//! import (account id → alias → domain → normalised name), ambiguity refused, unmatched
//! values listed grouped and skipped, and the user's answers (`link`) used by every later
//! import. The company is the research's (tests/fixtures/tools/EXPECTED.md).

use super::case::Case;
use cspulse_engine::error::Error;
use cspulse_engine::import::Options;
use cspulse_engine::sources::identity::By;
use cspulse_engine::store::ImportedBatch;

/// The CRM's ten accounts as a plain CSV, with the four tool-id columns of the Salesforce
/// report (EXPECTED.md, "The customers").
const ACCOUNTS: &str = "\
Account ID,Account Name,Website,Stripe Customer ID,Workspace ID,Zendesk Organization ID,HubSpot Record ID,Seats,Account Owner
0017Q00000MUEL01AA,Müller GmbH,https://www.mueller-gmbh.de,cus_Pm1MuellerGmbH,ws_4101,360001001,9101,10,Anna Becker
0017Q00000CAFE03AA,Café Lumière SARL,cafe-lumiere.fr,cus_Pm3CafeLumiere,ws_4103,360001003,9103,3,Anna Becker
0017Q00000SCHO07AA,Schön & Partner GmbH & Co. KG,www.schoen-partner.de,cus_Pm7SchoenPartner,ws_4107,360001007,9107,5,Anna Becker
0017Q00000NORD02AA,Nordwind Logistik AG,nordwind-logistik.de,cus_Pm2Nordwind,ws_4102,360001002,9102,25,Jonas Weber
0017Q00000BRIG04AA,Brightpath Ltd,http://www.brightpath.co.uk/,cus_Pm4Brightpath,ws_4104,360001004,9104,10,Jonas Weber
0017Q00000TESS08AA,Tessera B.V.,tessera.nl,cus_Pm8Tessera,ws_4108,360001008,9108,8,Jonas Weber
0017Q00000QUOK10AA,Quokka Software Pty Ltd,quokka.com.au,cus_PmAQuokka,ws_4110,360001010,9110,5,Jonas Weber
0017Q00000ACME05AA,Acme Analytics Inc.,acme-analytics.com,cus_Pm5AcmeAnalytics,ws_4105,360001005,9105,20,Lea Schmidt
0017Q00000FJOR06AA,Fjord Data AS,fjorddata.no,cus_Pm6FjordData,ws_4106,360001006,9106,4,Lea Schmidt
0017Q00000HELI09AA,Helios Energie SE,helios-energie.de,cus_Pm9HeliosEnergie,ws_4109,360001009,9109,15,Lea Schmidt
";

const MUELLER: &str = "0017Q00000MUEL01AA";
const NORDWIND: &str = "0017Q00000NORD02AA";
const SCHOEN: &str = "0017Q00000SCHO07AA";

/// Touchpoints whose customer column holds every kind of reference a tool writes.
const TOUCHPOINTS: &str = "\
Account,Date,Type
0017Q00000MUEL01AA,2026-10-01,call
cus_Pm2Nordwind,2026-10-02,call
ws_4103,2026-10-03,meeting
billing@brightpath.co.uk,2026-10-04,email
https://www.tessera.nl/en,2026-10-05,email
MÜLLER GMBH,2026-10-06,call
Schoen & Partner,2026-10-07,meeting
Schönconsult Ltd,2026-10-08,call
Schönconsult Ltd,2026-10-09,call
max.peters@gmail.com,2026-10-10,email
Schönconsult Ltd,2026-10-11,call
Nordwnd Logistik,2026-10-12,call
";

fn fixture(rel: &str) -> String {
    let p = format!(
        "{}/../../tests/fixtures/tools/{rel}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(p).unwrap()
}

fn touchpoint_accounts(t: &Case) -> Vec<(String, String)> {
    let data = t.store.load_all().unwrap();
    data.touchpoints
        .iter()
        .map(|r| (r.date.to_string(), r.account_id.clone()))
        .collect()
}

#[test]
fn accounts_keep_their_domain_and_other_tools_ids() {
    let mut t = Case::new();
    let b = t.import_with("accounts.csv", ACCOUNTS, &Options::default());
    assert_eq!(b.batch.rows_imported, 10);
    assert_eq!(
        b.batch.mapping.get("domain").and_then(|v| v.as_str()),
        Some("Website")
    );
    assert_eq!(
        b.batch.mapping.get("aliases").and_then(|v| v.as_str()),
        Some("Stripe Customer ID + Workspace ID + Zendesk Organization ID + HubSpot Record ID")
    );
    assert!(b.links.is_none(), "accounts are not resolved");
    let links = t.store.account_links().unwrap();
    assert_eq!(links.len(), 10);
    let m = &links[0];
    assert_eq!(m.account_id, MUELLER);
    assert_eq!(m.domain.as_deref(), Some("https://www.mueller-gmbh.de"));
    assert_eq!(
        m.aliases,
        vec!["cus_Pm1MuellerGmbH", "ws_4101", "360001001", "9101"]
    );
}

#[test]
fn every_reference_resolves_by_the_first_rule_and_the_rest_is_listed_not_imported() {
    let mut t = Case::new();
    t.import("accounts.csv", ACCOUNTS);
    let b = t.import_with("touchpoints.csv", TOUCHPOINTS, &Options::default());
    assert_eq!(b.batch.rows_imported, 7);
    assert_eq!(
        b.batch.rows_skipped, 5,
        "3 + 1 + 1 rows of unmatched values"
    );
    let l = b.links.as_ref().expect("a link report");
    assert_eq!(l.column, "Account");
    assert_eq!(
        (l.by_account_id, l.by_alias, l.by_domain, l.by_name),
        (1, 2, 2, 2)
    );
    // the stored rows carry our account ids
    let got = touchpoint_accounts(&t);
    assert_eq!(
        got,
        vec![
            ("2026-10-01".into(), MUELLER.into()),
            ("2026-10-02".into(), NORDWIND.into()),
            ("2026-10-03".into(), "0017Q00000CAFE03AA".into()),
            ("2026-10-04".into(), "0017Q00000BRIG04AA".into()),
            ("2026-10-05".into(), "0017Q00000TESS08AA".into()),
            ("2026-10-06".into(), MUELLER.into()),
            ("2026-10-07".into(), SCHOEN.into()),
        ]
    );
    // the values linked, by what
    let made: Vec<(&str, &str, By)> = l
        .links
        .iter()
        .map(|m| (m.value.as_str(), m.account_id.as_str(), m.by))
        .collect();
    assert!(made.contains(&("cus_Pm2Nordwind", NORDWIND, By::Alias)));
    assert!(made.contains(&("MÜLLER GMBH", MUELLER, By::Name)));
    assert!(made.contains(&("billing@brightpath.co.uk", "0017Q00000BRIG04AA", By::Domain)));
    assert_eq!(
        made.len(),
        6,
        "the account id itself is no link made: {made:?}"
    );
    // unmatched: grouped by value, most rows first, with the first row
    let un: Vec<(&str, u64, u32, bool)> = l
        .unmatched
        .iter()
        .map(|u| (u.value.as_str(), u.rows, u.first_row, u.free_mail))
        .collect();
    assert_eq!(
        un,
        vec![
            ("Schönconsult Ltd", 3, 9, false),
            ("max.peters@gmail.com", 1, 11, true),
            ("Nordwnd Logistik", 1, 13, false),
        ]
    );
    // a typo gets a proposal (never applied); free mail none
    assert_eq!(l.unmatched[2].proposals[0].account_id, NORDWIND);
    assert!(l.unmatched[1].proposals.is_empty());
    // one issue per value, in both languages, at its first row
    let issues: Vec<(u32, &str, &str)> = b
        .issues
        .iter()
        .map(|i| (i.row, i.column.as_str(), i.value.as_str()))
        .collect();
    assert_eq!(
        issues,
        vec![
            (9, "Account", "Schönconsult Ltd"),
            (11, "Account", "max.peters@gmail.com"),
            (13, "Account", "Nordwnd Logistik"),
        ]
    );
    assert!(b.issues[0]
        .reason
        .starts_with("3 rows for 'Schönconsult Ltd' match no account; not imported"));
    assert!(b.issues[0]
        .reason_de
        .starts_with("3 Zeilen für „Schönconsult Ltd“ passen zu keinem Kunden"));
    assert!(
        b.issues[2].reason.contains("Nordwind Logistik AG"),
        "{}",
        b.issues[2].reason
    );
    assert!(b.issues[1].reason_de.contains("Freemail"));
}

#[test]
fn two_accounts_under_one_name_are_ambiguous_and_never_guessed() {
    let mut t = Case::new();
    t.import(
        "accounts.csv",
        "account_id,name,website\nM1,Müller GmbH,mueller-gmbh.de\nM2,Mueller AG,mueller.ch\nN1,Nordwind AG,nordwind.de\n",
    );
    let b = t.import_with(
        "touchpoints.csv",
        "account_id,date,type\nMüller,2026-10-01,call\nmüller gmbh,2026-10-02,call\ninfo@nordwind.de,2026-10-03,call\n",
        &Options::default(),
    );
    assert_eq!(b.batch.rows_imported, 1);
    assert_eq!(b.batch.rows_skipped, 2);
    let l = b.links.unwrap();
    let amb: Vec<(&str, By, Vec<String>)> = l
        .ambiguous
        .iter()
        .map(|a| (a.value.as_str(), a.by, a.candidates.clone()))
        .collect();
    assert_eq!(
        amb,
        vec![
            ("Müller", By::Name, vec!["M1".to_owned(), "M2".to_owned()]),
            (
                "müller gmbh",
                By::Name,
                vec!["M1".to_owned(), "M2".to_owned()]
            ),
        ]
    );
    assert!(b.issues[0].reason.contains("fits 2 accounts (M1, M2)"));
    assert!(b.issues[0].reason_de.contains("passt zu 2 Kunden (M1, M2)"));
    assert_eq!(
        touchpoint_accounts(&t),
        vec![("2026-10-03".into(), "N1".into())]
    );
}

#[test]
fn answers_are_stored_and_used_by_every_later_import() {
    let mut t = Case::new();
    t.import("accounts.csv", ACCOUNTS);
    let first = t.import_with("touchpoints.csv", TOUCHPOINTS, &Options::default());
    assert_eq!(first.batch.rows_imported, 7);
    // what the link step offers for a listed value
    let p = t.store.unmatched_proposals("Nordwnd Logistik", 3).unwrap();
    assert_eq!(p[0].name, "Nordwind Logistik AG");
    assert!(t
        .store
        .unmatched_proposals("Zebra Holdings", 3)
        .unwrap()
        .is_empty());
    // the answers
    t.store.link("Schönconsult Ltd", Some(SCHOEN)).unwrap();
    t.store.link(" Nordwnd Logistik ", Some(NORDWIND)).unwrap();
    let none = t.store.link("max.peters@gmail.com", None).unwrap();
    assert_eq!(none.account_id, None);
    assert_eq!(t.store.links().unwrap().len(), 3);
    // an account that does not exist, or an empty value, is refused
    let err = t.store.link("X", Some("NOPE")).unwrap_err();
    assert!(matches!(err, Error::NoSuchAccount(ref a) if a == "NOPE"));
    assert_eq!(err.code(), "no_such_account");
    assert!(matches!(
        t.store.link("  ", None),
        Err(Error::EmptyLinkValue)
    ));
    // the same file again: everything links now, the gmail row is skipped as not a customer
    let path = t.tmp.file("touchpoints.csv", TOUCHPOINTS);
    let again: ImportedBatch = t
        .store
        .import_file(&path, &Options::default(), true)
        .unwrap()
        .remove(0);
    assert_eq!(again.batch.rows_imported, 11);
    assert_eq!(again.batch.rows_skipped, 1);
    let l = again.links.unwrap();
    assert!(l.unmatched.is_empty());
    assert_eq!(l.not_a_customer, 1);
    assert_eq!(l.by_alias, 2 + 4, "the linked values count as aliases");
    assert!(again.issues[0]
        .reason
        .contains("not a customer (your answer)"));
    let got = touchpoint_accounts(&t);
    assert_eq!(got.iter().filter(|(_, a)| a == SCHOEN).count(), 4);
    assert_eq!(got.iter().filter(|(_, a)| a == NORDWIND).count(), 2);
    // the account's other names include the answers
    let links = t.store.account_links().unwrap();
    let schoen = links.iter().find(|a| a.account_id == SCHOEN).unwrap();
    assert!(schoen.aliases.contains(&"Schönconsult Ltd".to_owned()));
    // an answer can be changed and removed
    assert_eq!(
        t.store.resolve_value("Schönconsult Ltd").unwrap(),
        Some((SCHOEN.to_owned(), By::Alias))
    );
    assert!(t.store.unlink("Schönconsult Ltd").unwrap());
    assert!(!t.store.unlink("Schönconsult Ltd").unwrap());
    assert_eq!(t.store.resolve_value("Schönconsult Ltd").unwrap(), None);
}

#[test]
fn without_accounts_the_column_is_taken_as_written() {
    let mut t = Case::new();
    let b = t.import_with("touchpoints.csv", TOUCHPOINTS, &Options::default());
    assert_eq!(b.batch.rows_imported, 12);
    assert!(b.links.is_none());
    assert_eq!(touchpoint_accounts(&t)[1].1, "cus_Pm2Nordwind");
}

#[test]
fn the_research_s_zendesk_tickets_link_by_organization_name() {
    // tests/fixtures/tools/zendesk/Zendesk_tickets.csv: Organization holds names
    // (EXPECTED.md, "How each file's customer reference resolves"). The kind is given: that
    // the file is tickets by itself is the Zendesk profile's part (wrap side)
    let mut t = Case::new();
    t.import("accounts.csv", ACCOUNTS);
    let b = t.import_with(
        "Zendesk_tickets.csv",
        &fixture("zendesk/Zendesk_tickets.csv"),
        &Options {
            kind: Some(cspulse_engine::Kind::Tickets),
            ..Options::default()
        },
    );
    assert_eq!(b.batch.kind.id(), "tickets");
    assert_eq!(b.batch.rows_imported, 9, "{:?}", b.issues);
    let l = b.links.unwrap();
    assert_eq!(l.column, "Organization");
    assert_eq!(l.by_name, 8, "every organization name links; 1005 has none");
    assert!(l.unmatched.is_empty() && l.ambiguous.is_empty());
    // the tickets in file order: 999, 1001 … 1008
    let data = t.store.load_all().unwrap();
    let of = |i: usize| data.tickets[i].account_id.as_deref();
    assert_eq!(of(0), Some(MUELLER), "999: Mueller GmbH");
    assert_eq!(
        of(4),
        Some("0017Q00000BRIG04AA"),
        "1004: Brightpath Limited"
    );
    assert_eq!(of(5), None, "1005 has no organization");
    assert_eq!(of(8), Some(SCHOEN), "1008: Schoen & Partner");
}
