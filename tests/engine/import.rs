//! Import: reading CSV/text and workbooks, finding the header row, guessing the kind and
//! mapping, converting and validating every cell (`datasets.md`, "Rules every import
//! follows"). Every fixture is made here, in memory or in a temporary folder.

use cspulse_engine::import::convert::Value;
use cspulse_engine::import::fields::{fields, Code, FieldType};
use cspulse_engine::import::{prepare, Issue, Options, Prepared};
use cspulse_engine::store::Store;
use cspulse_engine::{Error, Kind};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::path::Path;

/// Prepares `bytes` as if read from a file called `name`.
fn prep(name: &str, bytes: &[u8], opts: &Options) -> Result<Vec<Prepared>, Error> {
    prepare(Path::new(name), bytes, opts)
}

/// Prepares a text file that must hold exactly one table.
fn one(name: &str, text: &str, opts: &Options) -> Prepared {
    one_bytes(name, text.as_bytes(), opts)
}

fn one_bytes(name: &str, bytes: &[u8], opts: &Options) -> Prepared {
    let mut tables =
        prep(name, bytes, opts).unwrap_or_else(|e| panic!("{name} should import, got {e:?}"));
    assert_eq!(tables.len(), 1, "{name} should give exactly one table");
    tables.remove(0)
}

fn opts() -> Options {
    Options::default()
}

/// The value of `field` in the `i`-th imported row.
pub(crate) fn val(p: &Prepared, i: usize, field: &str) -> Value {
    let fi = fields(p.kind)
        .iter()
        .position(|f| f.id == field)
        .unwrap_or_else(|| panic!("{field} is no field of {}", p.kind));
    p.rows[i].1[fi].clone()
}

pub(crate) fn text(s: &str) -> Value {
    Value::Text(s.into())
}

/// The column header `field` was mapped to.
pub(crate) fn mapped<'a>(p: &'a Prepared, field: &str) -> Option<&'a str> {
    p.mapping
        .iter()
        .find(|(f, _)| *f == field)
        .map(|(_, c)| c.as_str())
}

pub(crate) fn issue_at(p: &Prepared, row: u32) -> &Issue {
    p.issues
        .iter()
        .find(|i| i.row == row)
        .unwrap_or_else(|| panic!("expected an issue on row {row}, issues: {:#?}", p.issues))
}

/// A valid cell text for a field type (for files built from the field list).
fn sample(ty: FieldType) -> &'static str {
    match ty {
        FieldType::Text => "X-1",
        FieldType::Int { min, .. } => match min {
            Some(1) => "4",
            _ => "9",
        },
        FieldType::Number => "12.5",
        FieldType::Date => "2026-10-05",
        FieldType::DateTime => "2026-10-05 10:30:00",
        FieldType::Month => "2026-10",
        FieldType::Bool => "yes",
        FieldType::Coded(Code::Outcome) => "renewed",
        FieldType::Coded(Code::CostType) => "retention",
        FieldType::Coded(Code::Channel) => "email",
        FieldType::Coded(Code::LeadType) => "trial",
    }
}

// ---------------------------------------------------------------------------------------
// Kind detection

#[test]
fn every_kind_is_recognised_from_its_canonical_field_ids() {
    for kind in Kind::ALL {
        let fs = fields(kind);
        let header: Vec<&str> = fs.iter().map(|f| f.id).collect();
        let row: Vec<&str> = fs.iter().map(|f| sample(f.ty)).collect();
        let csv = format!("{}\n{}\n", header.join(","), row.join(","));
        let p = one(&format!("{}.csv", kind.id()), &csv, &opts());
        assert_eq!(
            p.kind, kind,
            "a file with the canonical headers of {kind} is {kind}"
        );
        assert_eq!(
            p.mapping.len(),
            fs.len(),
            "every canonical header of {kind} is mapped"
        );
        for f in fs {
            assert_eq!(
                mapped(&p, f.id),
                Some(f.id),
                "{kind}.{} maps to its own id",
                f.id
            );
        }
        assert!(
            p.issues.is_empty(),
            "{kind}: the sample row is valid, issues: {:?}",
            p.issues
        );
        assert_eq!(p.rows.len(), 1, "{kind}: the one data row is imported");
        assert_eq!(p.header_row, 1, "{kind}: the header is line 1");
    }
}

/// (kind, header line, data line) in the spelling German exports use.
const GERMAN: &[(Kind, &str, &str)] = &[
    (Kind::Accounts, "Kunden-Nr.;Firma;Kundensegment;Tarif;Kundenbetreuer;Land;Kunde seit;Kündigungsdatum;Lizenzen;Monatsumsatz", "K-1;Nordwind GmbH;Mittelstand;Pro;Anna;DE;01.02.2024;31.10.2026;25;1.234,56"),
    (Kind::Revenue, "Kundennummer;Monat;Umsatz;Währung", "K-1;Okt 2026;1.234,56;EUR"),
    (Kind::Renewals, "Kundennummer;Fällig am;Ergebnis;Betrag", "K-1;31.10.2026;Verlängert;12.000,00"),
    (Kind::Surveys, "Antwort-ID;Kunden-Nr.;Datum;Weiterempfehlung;Zufriedenheit;Kommentar", "A-1;K-1;15.10.2026;9;5;Sehr gut"),
    (Kind::Tickets, "Ticketnummer;Kunde;Erstellt am;Erste Antwort am;Gelöst am;Kontakte;Kanal", "T-1;K-1;01.10.2026 09:00;01.10.2026 09:30;02.10.2026 12:00;2;E-Mail"),
    (Kind::Usage, "Kundennummer;Benutzer;Zeitpunkt;Sitzungen;Sitzungsdauer (s);Funktion", "K-1;anna@example.com;05.10.2026 08:15;2;600;Berichte"),
    (Kind::Touchpoints, "Kundennummer;Datum;Art;Betreuer", "K-1;07.10.2026;QBR;Anna"),
    (Kind::Campaigns, "Versanddatum;Kanal;Kampagne;Gesendet;Zugestellt;Geöffnet;Geklickt;Abgemeldet", "01.10.2026;E-Mail;Newsletter Oktober;1.000;980;400;120;3"),
    (Kind::Costs, "Monat;Kostenart;Kostenstelle;Kosten", "Okt 2026;Vertrieb;Außendienst;5.000,00"),
    (Kind::Leads, "Lead-ID;Erstellt;Konvertiert am;Typ", "L-1;01.10.2026;20.10.2026;Testphase"),
    (Kind::Orders, "Bestellnummer;Kundennummer;Bestelldatum;Summe", "B-1;K-1;12.10.2026;249,90"),
];

/// (kind, header line, data line) with English synonyms (no canonical id among them).
const ENGLISH: &[(Kind, &str, &str)] = &[
    (Kind::Accounts, "Customer Number,Company,Tier,Package,Account Manager,Country,Customer Since,Cancellation Date,Licenses,Monthly Fee", "C-1,Acme Inc,Enterprise,Pro,Bob,US,02/01/2024,,25,\"1,234.56\""),
    (Kind::Revenue, "Customer ID,Billing Month,Recurring Revenue,Currency", "C-1,Oct 2026,\"1,234.56\",USD"),
    (Kind::Renewals, "Customer ID,Due Date,Result,ARR", "C-1,10/31/2026,Cancelled,12000"),
    (Kind::Surveys, "Response ID,Customer ID,Submitted At,Likelihood to Recommend,Verbatim", "R-1,C-1,2026-10-15,9,Great"),
    (Kind::Tickets, "Case Number,Organization,Opened,First Reply At,Solved At,Agent Replies,One Touch,Via", "T-1,C-1,2026-10-01 09:00,2026-10-01 09:30,2026-10-02 12:00,1,yes,email"),
    (Kind::Usage, "Org ID,User ID,Timestamp,Sessions,Session Duration (s),Module", "C-1,u1,2026-10-05T08:15:00,2,600,Reports"),
    (Kind::Touchpoints, "Client ID,Activity Date,Activity Type,CSM", "C-1,2026-10-07,QBR,Bob"),
    (Kind::Campaigns, "Send Date,Channel,Campaign,Sent,Delivered,Opens,Clicked,Unsubscribed", "2026-10-01,Newsletter,October news,1000,980,400,120,3"),
    (Kind::Costs, "Period,Cost Type,Cost Center,Cost", "2026-10,Customer Success,CS team,5000"),
    (Kind::Leads, "Trial ID,Signup Date,Became Customer,Type", "L-1,2026-10-01,2026-10-20,Free Trial"),
    (Kind::Orders, "Invoice Number,Customer ID,Order Date,Total", "I-1,C-1,2026-10-12,249.90"),
];

#[test]
fn every_kind_is_recognised_from_german_headers() {
    for (kind, header, row) in GERMAN {
        let p = one("export.csv", &format!("{header}\n{row}\n"), &opts());
        assert_eq!(p.kind, *kind, "German headers `{header}` are {kind}");
        assert!(
            p.issues.is_empty(),
            "{kind}: the German row `{row}` is valid, issues: {:?}",
            p.issues
        );
        assert_eq!(p.rows.len(), 1, "{kind}: the row is imported");
        let n_cols = header.split(';').count();
        assert_eq!(
            p.mapping.len(),
            n_cols,
            "{kind}: every German header is mapped: {:?}",
            p.mapping
        );
    }
}

#[test]
fn every_kind_is_recognised_from_english_synonyms() {
    for (kind, header, row) in ENGLISH {
        let p = one("export.csv", &format!("{header}\n{row}\n"), &opts());
        assert_eq!(p.kind, *kind, "English headers `{header}` are {kind}");
        assert!(
            p.issues.is_empty(),
            "{kind}: the row `{row}` is valid, issues: {:?}",
            p.issues
        );
        assert_eq!(p.rows.len(), 1, "{kind}: the row is imported");
        let n_cols = header.split(',').count();
        assert_eq!(
            p.mapping.len(),
            n_cols,
            "{kind}: every English header is mapped: {:?}",
            p.mapping
        );
    }
}

#[test]
fn german_values_are_converted_to_canonical_ones() {
    let accounts = one(
        "k.csv",
        &format!("{}\n{}\n", GERMAN[0].1, GERMAN[0].2),
        &opts(),
    );
    assert_eq!(val(&accounts, 0, "account_id"), text("K-1"));
    assert_eq!(
        mapped(&accounts, "account_id"),
        Some("Kunden-Nr."),
        "`Kunden-Nr.` is the account id"
    );
    assert_eq!(
        mapped(&accounts, "churn_date"),
        Some("Kündigungsdatum"),
        "`Kündigungsdatum` is the churn date"
    );
    assert_eq!(
        val(&accounts, 0, "start_date"),
        text("2024-02-01"),
        "31.10.2026-style dates are day first"
    );
    assert_eq!(val(&accounts, 0, "churn_date"), text("2026-10-31"));
    assert_eq!(val(&accounts, 0, "seats"), Value::Int(25));
    assert_eq!(
        val(&accounts, 0, "mrr"),
        Value::Real(1234.56),
        "`1.234,56` is 1234.56"
    );

    let renewals = one(
        "r.csv",
        &format!("{}\n{}\n", GERMAN[2].1, GERMAN[2].2),
        &opts(),
    );
    assert_eq!(
        val(&renewals, 0, "outcome"),
        text("renewed"),
        "`Verlängert` is renewed"
    );
    assert_eq!(val(&renewals, 0, "amount"), Value::Real(12000.0));

    let costs = one(
        "c.csv",
        &format!("{}\n{}\n", GERMAN[8].1, GERMAN[8].2),
        &opts(),
    );
    assert_eq!(
        val(&costs, 0, "month"),
        text("2026-10"),
        "`Okt 2026` is 2026-10"
    );
    assert_eq!(
        val(&costs, 0, "type"),
        text("acquisition"),
        "`Vertrieb` is acquisition"
    );

    let campaigns = one(
        "m.csv",
        &format!("{}\n{}\n", GERMAN[7].1, GERMAN[7].2),
        &opts(),
    );
    assert_eq!(
        val(&campaigns, 0, "channel"),
        text("email"),
        "`E-Mail` is the email channel"
    );
    assert_eq!(val(&campaigns, 0, "delivered"), Value::Int(980));

    let tickets = one(
        "t.csv",
        &format!("{}\n{}\n", GERMAN[4].1, GERMAN[4].2),
        &opts(),
    );
    assert_eq!(val(&tickets, 0, "created_at"), text("2026-10-01 09:00:00"));
    assert_eq!(
        val(&tickets, 0, "account_id"),
        text("K-1"),
        "`Kunde` in a ticket export is the account"
    );

    let leads = one(
        "l.csv",
        &format!("{}\n{}\n", GERMAN[9].1, GERMAN[9].2),
        &opts(),
    );
    assert_eq!(
        val(&leads, 0, "type"),
        text("trial"),
        "`Testphase` is a trial"
    );
}

#[test]
fn english_values_are_converted_to_canonical_ones() {
    let accounts = one(
        "a.csv",
        &format!("{}\n{}\n", ENGLISH[0].1, ENGLISH[0].2),
        &opts(),
    );
    assert_eq!(
        val(&accounts, 0, "mrr"),
        Value::Real(1234.56),
        "`1,234.56` is 1234.56"
    );
    assert_eq!(
        val(&accounts, 0, "churn_date"),
        Value::Null,
        "an empty cell is missing, not an error"
    );
    let renewals = one(
        "r.csv",
        &format!("{}\n{}\n", ENGLISH[2].1, ENGLISH[2].2),
        &opts(),
    );
    assert_eq!(
        val(&renewals, 0, "due_date"),
        text("2026-10-31"),
        "10/31/2026 is month first"
    );
    assert_eq!(
        val(&renewals, 0, "outcome"),
        text("churned"),
        "`Cancelled` is churned"
    );
    let tickets = one(
        "t.csv",
        &format!("{}\n{}\n", ENGLISH[4].1, ENGLISH[4].2),
        &opts(),
    );
    assert_eq!(
        val(&tickets, 0, "first_contact_resolution"),
        Value::Int(1),
        "`yes` is true"
    );
    let costs = one(
        "c.csv",
        &format!("{}\n{}\n", ENGLISH[8].1, ENGLISH[8].2),
        &opts(),
    );
    assert_eq!(
        val(&costs, 0, "type"),
        text("retention"),
        "`Customer Success` is a retention cost"
    );
}

#[test]
fn semicolon_csv_with_decimal_commas_is_read() {
    let p = one(
        "umsatz.csv",
        "Kunden-Nr.;Monat;Umsatz\r\nK-1;Okt 2026;1.234,56\r\nK-2;Mär 2026;99,5\r\nK-3;10/2026;(1.000,00)\r\n",
        &opts(),
    );
    assert_eq!(p.kind, Kind::Revenue, "Kunden-Nr./Monat/Umsatz is revenue");
    assert_eq!(p.rows.len(), 3, "all three rows are valid: {:?}", p.issues);
    assert_eq!(val(&p, 0, "mrr"), Value::Real(1234.56));
    assert_eq!(val(&p, 1, "mrr"), Value::Real(99.5));
    assert_eq!(
        val(&p, 2, "mrr"),
        Value::Real(-1000.0),
        "(1.000,00) is negative"
    );
    assert_eq!(val(&p, 0, "month"), text("2026-10"));
    assert_eq!(val(&p, 1, "month"), text("2026-03"), "`Mär 2026` is March");
    assert_eq!(val(&p, 2, "month"), text("2026-10"));
}

#[test]
fn german_thousands_separators_without_decimals_are_not_read_as_decimal_points() {
    // A semicolon file whose amounts are written `1.234,56` writes a thousand as `1.000`;
    // reading it as 1.0 would silently turn 1000 into 1.
    let p = one(
        "umsatz.csv",
        "Kundennummer;Monat;Umsatz\nK-1;2026-10;1.234,56\nK-2;2026-10;1.000\n",
        &opts(),
    );
    let k2 = p.rows.iter().position(|r| r.0 == 3);
    assert!(
        k2.is_none_or(|i| val(&p, i, "mrr") == Value::Real(1000.0)),
        "`1.000` next to `1.234,56` is a thousand (or reported as ambiguous), got {:?}",
        k2.map(|i| val(&p, i, "mrr"))
    );
    let campaigns = one(
        "m.csv",
        &format!("{}\n{}\n", GERMAN[7].1, GERMAN[7].2),
        &opts(),
    );
    let sent = campaigns.rows.first().map(|_| val(&campaigns, 0, "sent"));
    assert!(
        sent.is_none() || sent == Some(Value::Int(1000)),
        "`1.000` e-mails sent in a German file are a thousand, not 1: {sent:?}"
    );
}

#[test]
fn blank_lines_below_a_sep_line_keep_line_numbers_right() {
    let p = one(
        "umsatz.csv",
        "sep=;\r\n\r\nKundennummer;Monat;Umsatz\r\nK-1;2026-10;x\r\n",
        &opts(),
    );
    assert_eq!(
        p.header_row, 3,
        "sep line, blank line, then the header on line 3"
    );
    assert_eq!(issue_at(&p, 4).value, "x", "the bad row is line 4");
}

#[test]
fn an_excel_sep_line_sets_the_delimiter_and_still_counts_as_a_line() {
    let p = one(
        "umsatz.csv",
        "sep=;\nKundennummer;Monat;Umsatz\nK-1;2026-10;100,5\nK-2;2026-10;abc\n",
        &opts(),
    );
    assert_eq!(p.kind, Kind::Revenue);
    assert_eq!(p.header_row, 2, "the header is on line 2, below `sep=;`");
    assert_eq!(
        val(&p, 0, "mrr"),
        Value::Real(100.5),
        "the comma is the decimal separator with sep=;"
    );
    let i = issue_at(&p, 4);
    assert_eq!(
        (i.column.as_str(), i.value.as_str()),
        ("Umsatz", "abc"),
        "the bad cell is on line 4"
    );
}

#[test]
fn a_utf8_bom_does_not_spoil_the_first_header() {
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice("Kundennummer,Monat,Umsatz\nK-1,2026-10,100\n".as_bytes());
    let p = one_bytes("bom.csv", &bytes, &opts());
    assert_eq!(p.kind, Kind::Revenue);
    assert_eq!(
        mapped(&p, "account_id"),
        Some("Kundennummer"),
        "the BOM is not part of the header text"
    );
    assert_eq!(val(&p, 0, "account_id"), text("K-1"));
}

#[test]
fn windows_1252_files_are_decoded() {
    // "Kundennummer;Kündigungsdatum;Firma" + "K-1;31.10.2026;Müller & Söhne" in cp1252
    let mut bytes = b"Kundennummer;K\xFCndigungsdatum;Firma\r\n".to_vec();
    bytes.extend_from_slice(b"K-1;31.10.2026;M\xFCller & S\xF6hne\r\n");
    let p = one_bytes("kunden.csv", &bytes, &opts());
    assert_eq!(p.kind, Kind::Accounts);
    assert_eq!(
        mapped(&p, "churn_date"),
        Some("Kündigungsdatum"),
        "ü in cp1252 is decoded as ü"
    );
    assert_eq!(val(&p, 0, "churn_date"), text("2026-10-31"));
    assert_eq!(
        val(&p, 0, "name"),
        text("Müller & Söhne"),
        "umlauts in values are decoded too"
    );
}

#[test]
fn tab_delimited_text_is_read() {
    let p = one(
        "usage.txt",
        "account_id\tuser_id\tdate\tsessions\nA\tu1\t2026-10-05 08:00\t3\nA\tu2\t2026-10-06\t1\n",
        &opts(),
    );
    assert_eq!(p.kind, Kind::Usage);
    assert_eq!(p.rows.len(), 2);
    assert_eq!(val(&p, 0, "sessions"), Value::Int(3));
    assert_eq!(val(&p, 1, "date"), text("2026-10-06 00:00:00"));
}

// ---------------------------------------------------------------------------------------
// Header row and overrides

#[test]
fn the_header_row_is_found_below_title_and_blank_rows() {
    let csv = "Umsatzbericht 2026\n\nStand: 31.10.2026\n\nKundennummer,Monat,Umsatz\nK-1,2026-10,100\n\n\"K-\n2\",2026-10,n/a\nK-3,2026-10,x\n";
    let p = one("bericht.csv", csv, &opts());
    assert_eq!(p.kind, Kind::Revenue);
    assert_eq!(
        p.header_row, 5,
        "the header is on line 5 below the title, the date and blank lines"
    );
    assert_eq!(p.rows.len(), 1);
    assert_eq!(p.rows[0].0, 6, "the first data row is line 6");
    assert_eq!(
        issue_at(&p, 8).value,
        "n/a",
        "the row after a blank line is line 8 as an editor shows it"
    );
    assert_eq!(
        issue_at(&p, 10).value,
        "x",
        "a quoted line break makes the next row line 10"
    );
}

#[test]
fn header_row_option_overrides_the_guess() {
    let csv = "account_id,month,mrr\nKundennummer,Monat,Umsatz\nK-1,2026-10,100\n";
    let guessed = one("zwei.csv", csv, &opts());
    assert_eq!(
        guessed.header_row, 1,
        "without the option the first plausible header wins"
    );
    let p = one(
        "zwei.csv",
        csv,
        &Options {
            header_row: Some(2),
            ..opts()
        },
    );
    assert_eq!(p.header_row, 2, "--header-row 2 is used");
    assert_eq!(mapped(&p, "account_id"), Some("Kundennummer"));
    assert!(
        p.issues.is_empty(),
        "with the right header nothing is bad: {:?}",
        p.issues
    );
    assert_eq!(p.rows.len(), 1);
}

#[test]
fn map_option_assigns_columns_the_guess_missed_or_got_wrong() {
    let csv = "Kd,Monat,Umsatz,Netto\nK-1,2026-10,119,100\n";
    assert!(
        matches!(
            prep("x.csv", csv.as_bytes(), &opts()),
            Err(Error::UnknownKind { .. })
        ),
        "without an account column the kind cannot be guessed"
    );
    let p = one(
        "x.csv",
        csv,
        &Options {
            kind: Some(Kind::Revenue),
            map: vec!["account_id=Kd".into(), "mrr=Netto".into()],
            ..opts()
        },
    );
    assert_eq!(mapped(&p, "account_id"), Some("Kd"), "--map account_id=Kd");
    assert_eq!(
        mapped(&p, "mrr"),
        Some("Netto"),
        "--map mrr=Netto replaces the guessed Umsatz"
    );
    assert_eq!(
        val(&p, 0, "mrr"),
        Value::Real(100.0),
        "mrr is read from Netto"
    );
    assert_eq!(val(&p, 0, "account_id"), text("K-1"));
}

#[test]
fn kind_option_overrides_the_guess() {
    let csv = "order_id,account_id,date,amount\nO-1,A,2026-10-05,99\n";
    assert_eq!(
        one("o.csv", csv, &opts()).kind,
        Kind::Orders,
        "guessed as orders"
    );
    let p = one(
        "o.csv",
        csv,
        &Options {
            kind: Some(Kind::Revenue),
            ..opts()
        },
    );
    assert_eq!(p.kind, Kind::Revenue, "--kind revenue wins");
    assert_eq!(
        mapped(&p, "month"),
        Some("date"),
        "`date` is a month synonym"
    );
    assert_eq!(
        val(&p, 0, "month"),
        text("2026-10"),
        "a date gives its month"
    );
    let err = prep(
        "o.csv",
        csv.as_bytes(),
        &Options {
            kind: Some(Kind::Usage),
            ..opts()
        },
    )
    .unwrap_err();
    match err {
        Error::MissingRequired { kind, fields, .. } => {
            assert_eq!(kind, "usage");
            assert_eq!(
                fields,
                vec!["user_id".to_owned()],
                "usage needs a user column"
            );
        }
        other => panic!("forcing usage onto an orders file is MissingRequired, got {other:?}"),
    }
}

#[test]
fn bad_map_options_are_rejected_with_the_problem() {
    use cspulse_engine::error::MappingProblem;
    let csv = "Kundennummer,Monat,Umsatz\nK-1,2026-10,100\n";
    for (m, want) in [
        ("account_id", MappingProblem::Syntax),
        ("kundennummer=Kundennummer", MappingProblem::UnknownField),
        ("account_id=Nope", MappingProblem::UnknownColumn),
    ] {
        match prep(
            "x.csv",
            csv.as_bytes(),
            &Options {
                map: vec![m.into()],
                ..opts()
            },
        ) {
            Err(e @ Error::BadMapping(_, p)) => {
                assert_eq!(p, want, "--map {m}");
                assert_eq!(e.code(), "bad_mapping");
            }
            other => panic!("--map {m} should be a bad mapping, got {other:?}"),
        }
    }
}

#[test]
fn files_that_cannot_be_used_give_plain_errors() {
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.csv", vec![], "empty_file"),
        (
            "only-header.csv",
            b"account_id,month,mrr\n".to_vec(),
            "empty_file",
        ),
        (
            "picture.png",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01".to_vec(),
            "unsupported_format",
        ),
        (
            "random.bin",
            (0..=255u8).cycle().take(2000).collect(),
            "unsupported_format",
        ),
        (
            "broken.xlsx",
            b"PK\x03\x04 this is not really a zip".to_vec(),
            "corrupt_file",
        ),
        ("what.csv", b"foo,bar,baz\n1,2,3\n".to_vec(), "unknown_kind"),
    ];
    for (name, bytes, code) in cases {
        let err = prep(name, &bytes, &opts())
            .err()
            .unwrap_or_else(|| panic!("{name} must not import"));
        assert_eq!(err.code(), code, "{name}: {err:?}");
        for lang in [cspulse_engine::Lang::En, cspulse_engine::Lang::De] {
            let msg = err.message(lang);
            assert!(
                !msg.contains('\n'),
                "{name}: the message is one line: {msg}"
            );
            assert!(
                msg.contains(name),
                "{name}: the message names the file: {msg}"
            );
        }
    }
}

#[test]
fn a_missing_required_column_names_the_field() {
    let err = prep(
        "rev.csv",
        b"account_id,mrr,currency\nA,1,EUR\n",
        &Options {
            kind: Some(Kind::Revenue),
            ..opts()
        },
    )
    .unwrap_err();
    match &err {
        Error::MissingRequired { fields, kind, .. } => {
            assert_eq!(kind, "revenue");
            assert_eq!(fields, &vec!["month".to_owned()]);
        }
        other => panic!("expected MissingRequired, got {other:?}"),
    }
    assert!(
        err.message(cspulse_engine::Lang::En).contains("month"),
        "the message names the field"
    );
    assert!(
        err.message(cspulse_engine::Lang::De)
            .contains("Es wurde nichts importiert"),
        "German message"
    );
}

// ---------------------------------------------------------------------------------------
// Bad values: reported per row, skipped, never coerced

#[test]
fn bad_survey_values_are_reported_and_skipped_never_coerced() {
    let csv = "\
response_id,account_id,date,nps,comment
R1,A,2026-10-01,9,fine
R2,A,2026-10-02,11,too high
R3,B,2026-10-03,7.5,half
R4,B,,8,no date
R5,C,2026-10-05,,no score
R6,C,someday,-1,two problems
R7,C,2026-10-07,0,lowest
";
    let p = one("nps.csv", csv, &opts());
    assert_eq!(p.kind, Kind::Surveys);
    assert_eq!(p.rows.len(), 2, "only R1 and R7 are valid");
    assert_eq!(
        p.rows.iter().map(|r| r.0).collect::<Vec<_>>(),
        vec![2, 8],
        "valid rows keep their line numbers"
    );
    assert_eq!(p.skipped, 5, "five rows are skipped");
    assert_eq!(val(&p, 1, "nps"), Value::Int(0), "nps 0 is valid");

    let r2 = issue_at(&p, 3);
    assert_eq!(r2.sheet, None, "CSV files have no sheet");
    assert_eq!((r2.column.as_str(), r2.value.as_str()), ("nps", "11"));
    assert_eq!(
        r2.reason, "outside the allowed range 0–10",
        "nps 11 is not clamped to 10"
    );
    assert_eq!(r2.reason_de, "außerhalb des zulässigen Bereichs 0–10");

    let r3 = issue_at(&p, 4);
    assert_eq!(
        (r3.value.as_str(), r3.reason.as_str(), r3.reason_de.as_str()),
        ("7.5", "not a whole number", "keine ganze Zahl")
    );

    let r4 = issue_at(&p, 5);
    assert_eq!((r4.column.as_str(), r4.value.as_str()), ("date", ""));
    assert_eq!(
        (r4.reason.as_str(), r4.reason_de.as_str()),
        ("required value is missing", "Pflichtwert fehlt")
    );

    let r5 = issue_at(&p, 6);
    assert!(
        r5.reason.contains("no NPS, CSAT or CES"),
        "a response without any score: {}",
        r5.reason
    );

    let r6: Vec<&Issue> = p.issues.iter().filter(|i| i.row == 7).collect();
    assert_eq!(r6.len(), 2, "both bad cells of row 7 are listed: {r6:?}");
    assert!(r6
        .iter()
        .any(|i| i.column == "date" && i.reason == "not a date" && i.reason_de == "kein Datum"));
    assert!(r6
        .iter()
        .any(|i| i.column == "nps" && i.value == "-1" && i.reason.starts_with("outside")));
}

#[test]
fn bad_revenue_values_are_reported_with_the_users_column_header() {
    let csv = "Kundennummer;Monat;Umsatz\nK-1;Okt 2026;1.200,00\nK-2;Okt 2026;n/a\n;Okt 2026;50\nK-4;Q4 2026;10\nK-5;Okt 2026;-\n";
    let p = one("umsatz.csv", csv, &opts());
    assert_eq!(p.rows.len(), 1, "only K-1 is valid: {:?}", p.issues);
    assert_eq!(p.skipped, 4);
    let na = issue_at(&p, 3);
    assert_eq!(
        (
            na.column.as_str(),
            na.value.as_str(),
            na.reason.as_str(),
            na.reason_de.as_str()
        ),
        ("Umsatz", "n/a", "not a number", "keine Zahl"),
        "n/a in the revenue column is not a number, not 0"
    );
    let no_id = issue_at(&p, 4);
    assert_eq!(
        (no_id.column.as_str(), no_id.reason.as_str()),
        ("Kundennummer", "required value is missing")
    );
    let q = issue_at(&p, 5);
    assert_eq!(
        (q.column.as_str(), q.value.as_str(), q.reason.as_str()),
        ("Monat", "Q4 2026", "not a month")
    );
    let dash = issue_at(&p, 6);
    assert_eq!(
        (dash.column.as_str(), dash.reason.as_str()),
        ("Umsatz", "required value is missing"),
        "`-` is missing, and mrr is required"
    );
}

#[test]
fn unknown_coded_values_and_negative_counts_are_reported() {
    let p = one(
        "renewals.csv",
        "account_id,due_date,outcome\nA,2026-10-01,renewed\nB,2026-10-02,maybe\n",
        &opts(),
    );
    let i = issue_at(&p, 3);
    assert_eq!(i.value, "maybe");
    assert!(i.reason.starts_with("unknown value"), "{}", i.reason);
    assert!(
        i.reason_de.starts_with("unbekannter Wert"),
        "{}",
        i.reason_de
    );

    let p = one("accounts.csv", "account_id,seats\nA,-3\nB,4\n", &opts());
    assert_eq!(
        issue_at(&p, 2).reason,
        "outside the allowed range ≥ 0",
        "negative seats are not made 0"
    );
    assert_eq!(p.rows.len(), 1);
}

#[test]
fn duplicate_ids_are_reported_and_the_first_row_kept() {
    let csv = "account_id,name\nA,First\nB,Bee\nA,Second\n";
    let p = one("accounts.csv", csv, &opts());
    assert_eq!(p.rows.len(), 2);
    assert_eq!(val(&p, 0, "name"), text("First"), "the first A is kept");
    let dup = issue_at(&p, 4);
    assert_eq!(
        (dup.column.as_str(), dup.value.as_str()),
        ("account_id", "A")
    );
    assert_eq!(dup.reason, "the same id appears earlier in the file");
    assert_eq!(dup.reason_de, "dieselbe ID steht weiter oben in der Datei");

    let p = one(
        "tickets.csv",
        "ticket_id,created_at\n7,2026-10-01\n7,2026-10-02\n",
        &opts(),
    );
    assert_eq!(
        (p.rows.len(), p.skipped),
        (1, 1),
        "duplicate ticket ids are reported too"
    );
}

#[test]
fn formula_looking_text_is_kept_as_text() {
    let p = one("accounts.csv", "account_id,name\n=1+1,@SUM(A1)\n", &opts());
    assert_eq!(val(&p, 0, "account_id"), text("=1+1"));
    assert_eq!(val(&p, 0, "name"), text("@SUM(A1)"));
}

// ---------------------------------------------------------------------------------------
// Workbooks

/// (id, name, start date, churn date, seats, mrr) as written to the workbook.
type CustomerRow = (
    &'static str,
    &'static str,
    (u16, u8, u8),
    Option<(u16, u8, u8)>,
    Option<f64>,
    f64,
);

/// Cover sheet with notes (no table), then "Kunden": a title row, a blank row, the header
/// on Excel row 3, data from row 4 with real date cells and numbers; row 7 has a bad cell.
pub fn customer_workbook() -> Vec<u8> {
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("dd.mm.yyyy");
    let money = Format::new().set_num_format("#,##0.00 €");
    {
        let notes = wb.add_worksheet();
        notes.set_name("Hinweise").unwrap();
        notes
            .write_string(0, 0, "Dieser Export stammt aus dem CRM.")
            .unwrap();
        notes.write_string(1, 0, "Stand: Oktober 2026").unwrap();
        notes.write_string(3, 0, "Fragen an: Vertrieb").unwrap();
    }
    let ws = wb.add_worksheet();
    ws.set_name("Kunden").unwrap();
    ws.write_string(0, 0, "Kundenliste Oktober 2026").unwrap();
    for (c, h) in [
        "Kundennummer",
        "Firma",
        "Kunde seit",
        "Kündigungsdatum",
        "Lizenzen",
        "Monatsumsatz",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    let rows: [CustomerRow; 4] = [
        (
            "K-1001",
            "Nordwind GmbH",
            (2024, 2, 1),
            None,
            Some(25.0),
            1234.56,
        ),
        (
            "K-1002",
            "Südstern AG",
            (2025, 11, 15),
            Some((2026, 10, 31)),
            Some(5.0),
            99.5,
        ),
        ("K-1003", "=Formel & Co", (2023, 1, 2), None, None, 0.0),
        (
            "K-1005",
            "Ostwind KG",
            (2026, 10, 1),
            None,
            Some(12.0),
            480.0,
        ),
    ];
    let mut r = 3;
    for (i, (id, name, start, churn, seats, mrr)) in rows.iter().enumerate() {
        if i == 3 {
            // Excel row 7: seats "n/a"
            ws.write_string(r, 0, "K-1004").unwrap();
            ws.write_string(r, 1, "Kaputt GmbH").unwrap();
            ws.write_datetime_with_format(
                r,
                2,
                ExcelDateTime::from_ymd(2024, 5, 5).unwrap(),
                &date,
            )
            .unwrap();
            ws.write_string(r, 4, "n/a").unwrap();
            ws.write_number_with_format(r, 5, 10.0, &money).unwrap();
            r += 1;
        }
        ws.write_string(r, 0, *id).unwrap();
        ws.write_string(r, 1, *name).unwrap();
        let (y, m, d) = *start;
        ws.write_datetime_with_format(r, 2, ExcelDateTime::from_ymd(y, m, d).unwrap(), &date)
            .unwrap();
        if let Some((y, m, d)) = churn {
            ws.write_datetime_with_format(
                r,
                3,
                ExcelDateTime::from_ymd(*y, *m, *d).unwrap(),
                &date,
            )
            .unwrap();
        }
        if let Some(s) = seats {
            ws.write_number(r, 4, *s).unwrap();
        }
        ws.write_number_with_format(r, 5, *mrr, &money).unwrap();
        r += 1;
    }
    wb.save_to_buffer().unwrap()
}

#[test]
fn an_xlsx_with_a_notes_sheet_and_a_title_row_is_imported_with_excel_row_numbers() {
    let bytes = customer_workbook();
    let tables = prep("kunden.xlsx", &bytes, &opts()).unwrap();
    assert_eq!(
        tables.len(),
        1,
        "the notes sheet is skipped, the customer sheet imported"
    );
    let p = &tables[0];
    assert_eq!(p.sheet.as_deref(), Some("Kunden"));
    assert_eq!(p.kind, Kind::Accounts);
    assert_eq!(
        p.header_row, 3,
        "the header is on Excel row 3 below the title and a blank row"
    );
    assert_eq!(
        p.rows.iter().map(|r| r.0).collect::<Vec<_>>(),
        vec![4, 5, 6, 8],
        "Excel row numbers"
    );
    assert_eq!(p.issues.len(), 1, "{:?}", p.issues);
    let i = &p.issues[0];
    assert_eq!(
        i.sheet.as_deref(),
        Some("Kunden"),
        "the issue names its sheet"
    );
    assert_eq!(i.row, 7, "the issue names the Excel row");
    assert_eq!(
        (i.column.as_str(), i.value.as_str(), i.reason.as_str()),
        ("Lizenzen", "n/a", "not a number")
    );
    assert_eq!(
        val(p, 0, "start_date"),
        text("2024-02-01"),
        "a date cell is a date"
    );
    assert_eq!(val(p, 1, "churn_date"), text("2026-10-31"));
    assert_eq!(
        val(p, 0, "seats"),
        Value::Int(25),
        "a number cell 25 is the integer 25"
    );
    assert_eq!(val(p, 0, "mrr"), Value::Real(1234.56));
    assert_eq!(
        val(p, 2, "name"),
        text("=Formel & Co"),
        "formula-looking text stays text"
    );
}

#[test]
fn sheet_option_picks_one_sheet_and_an_unknown_sheet_is_named() {
    let bytes = customer_workbook();
    let p = prep(
        "kunden.xlsx",
        &bytes,
        &Options {
            sheet: Some("Kunden".into()),
            ..opts()
        },
    )
    .unwrap();
    assert_eq!(p.len(), 1);
    match prep(
        "kunden.xlsx",
        &bytes,
        &Options {
            sheet: Some("Umsatz".into()),
            ..opts()
        },
    ) {
        Err(Error::NoSuchSheet { sheets, .. }) => {
            assert_eq!(
                sheets,
                vec!["Hinweise".to_owned(), "Kunden".to_owned()],
                "the error lists the sheets"
            )
        }
        other => panic!("an unknown sheet is NoSuchSheet, got {other:?}"),
    }
    assert!(
        matches!(
            prep(
                "kunden.xlsx",
                &bytes,
                &Options {
                    sheet: Some("Hinweise".into()),
                    ..opts()
                }
            ),
            // a notes sheet (one line of text per row) is no table at all
            Err(Error::Empty { .. })
        ),
        "the notes sheet alone holds no recognisable table"
    );
}

#[test]
fn a_workbook_read_back_from_the_store_equals_what_was_written() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kunden.xlsx");
    std::fs::write(&file, customer_workbook()).unwrap();
    let mut store = Store::open(&dir.path().join("cs.db")).unwrap();
    let batches = store.import_file(&file, &opts(), false).unwrap();
    assert_eq!(batches.len(), 1);
    assert_eq!(batches[0].batch.sheet.as_deref(), Some("Kunden"));
    assert_eq!(
        (
            batches[0].batch.rows_imported,
            batches[0].batch.rows_skipped
        ),
        (4, 1)
    );
    let data = store.load_all().unwrap();
    let d = |y, m, day| chrono::NaiveDate::from_ymd_opt(y, m, day);
    let got: Vec<_> = data
        .accounts
        .iter()
        .map(|a| {
            (
                a.account_id.as_str(),
                a.name.as_deref(),
                a.start_date,
                a.churn_date,
                a.seats,
                a.mrr,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "K-1001",
                Some("Nordwind GmbH"),
                d(2024, 2, 1),
                None,
                Some(25),
                Some(1234.56)
            ),
            (
                "K-1002",
                Some("Südstern AG"),
                d(2025, 11, 15),
                d(2026, 10, 31),
                Some(5),
                Some(99.5)
            ),
            (
                "K-1003",
                Some("=Formel & Co"),
                d(2023, 1, 2),
                None,
                None,
                Some(0.0)
            ),
            (
                "K-1005",
                Some("Ostwind KG"),
                d(2026, 10, 1),
                None,
                Some(12),
                Some(480.0)
            ),
        ],
        "the stored accounts are exactly the valid rows of the workbook"
    );
}
