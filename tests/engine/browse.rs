//! The data browser (`browse`): datasets with columns and batches, sorting (numbers
//! numerically, text case- and umlaut-aware, empty cells last), search (Unicode
//! case-insensitive, wildcard characters literal), each filter, the batch filter, paging
//! bounds, stale views, refused columns and filters. Expected rows are worked out by hand
//! from the small files below; the demo company is checked against SQLite directly.

use crate::case::Case;
use cspulse_engine::browse::{
    self, Cell, ColumnType, Filter, FilterOp, Query, SortBy, View, MAX_PAGE,
};
use cspulse_engine::demo::{self, DemoOptions};
use cspulse_engine::import::Options;
use cspulse_engine::store::Batch;
use cspulse_engine::{Error, Kind, Lang};

/// Six accounts: ties, gaps, umlauts, wildcard characters, quotes and a backslash.
/// Rows as the user sees them: header 1, A1 = row 2 … A6 = row 7.
const ACCOUNTS: &str = "account_id,name,segment,seats,mrr,start_date,churn_date
A1,Müller GmbH,SMB,10,100.5,2026-01-15,
A2,ÄRZTE Verbund,,2,,2025-12-01,
A3,100% Bio_Markt,Enterprise,100,20,2026-02-28,2026-10-31
A4,\"Back\\slash \"\"Quote\"\" O'Brien\",SMB,,5,,
A5,apfel & co,Mid,9,1000,2026-01-01,
A6,Zebra_X,mid,10,0,2026-03-05,
";

const MORE_ACCOUNTS: &str = "account_id,name\nB1,Beta\nB2,Gamma\n";

const TICKETS: &str = "ticket_id,created_at,first_contact_resolution
T1,2026-10-01 09:30:00,yes
T2,2026-10-02 10:00:00,no
T3,2026-10-03 11:15:00,
";

impl Case {
    /// Imports `content` as `name`; the kind from the file name's first word.
    fn import_named(&mut self, name: &str, content: &str) -> Batch {
        let kind = if name.starts_with("tickets") {
            Kind::Tickets
        } else {
            Kind::Accounts
        };
        let opts = Options {
            kind: Some(kind),
            ..Options::default()
        };
        let b = self.import_with(name, content, &opts);
        assert_eq!(b.batch.rows_skipped, 0, "{name}: {:?}", b.issues);
        b.batch
    }
    fn with_accounts() -> (Case, Batch) {
        let mut t = Case::new();
        let b = t.import_named("accounts.csv", ACCOUNTS);
        assert_eq!(b.kind, Kind::Accounts);
        (t, b)
    }
    fn open(&self, kind: Kind, q: &Query) -> View {
        browse::open(&self.store, kind, q).unwrap()
    }
    /// The first cell (the id) of every row of the view, in order.
    fn ids(&self, kind: Kind, q: &Query) -> Vec<String> {
        let v = self.open(kind, q);
        let p = browse::page(&self.store, &v, 0, MAX_PAGE).unwrap();
        assert_eq!(p.total as usize, p.rows.len());
        p.rows
            .iter()
            .map(|r| match &r.cells[0] {
                Cell::Text(t) => t.clone(),
                other => panic!("an id is text: {other:?}"),
            })
            .collect()
    }
    fn accounts(&self, q: &Query) -> Vec<String> {
        self.ids(Kind::Accounts, q)
    }
}

fn sorted(column: &str, descending: bool) -> Query {
    Query {
        sort: Some(SortBy {
            column: column.into(),
            descending,
        }),
        ..Query::default()
    }
}

fn search(text: &str) -> Query {
    Query {
        search: Some(text.into()),
        ..Query::default()
    }
}

fn filter(column: &str, op: FilterOp, value: Option<&str>) -> Filter {
    Filter {
        column: column.into(),
        op,
        value: value.map(str::to_owned),
    }
}

fn filtered(filters: Vec<Filter>) -> Query {
    Query {
        filters,
        ..Query::default()
    }
}

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn datasets_lists_kinds_with_rows_their_columns_and_batches() {
    let (mut t, accounts) = Case::with_accounts();
    let tickets = t.import_named("tickets.csv", TICKETS);
    let list = browse::datasets(&t.store).unwrap();
    let kinds: Vec<Kind> = list.iter().map(|d| d.kind).collect();
    assert_eq!(
        kinds,
        vec![Kind::Accounts, Kind::Tickets],
        "only kinds with rows"
    );
    let a = &list[0];
    assert_eq!(a.rows, 6);
    let cols: Vec<(&str, ColumnType, bool)> = a
        .columns
        .iter()
        .map(|c| (c.id.as_str(), c.ty, c.lineage))
        .collect();
    use ColumnType::*;
    assert_eq!(
        cols,
        vec![
            ("account_id", Text, false),
            ("name", Text, false),
            ("segment", Text, false),
            ("plan", Text, false),
            ("owner", Text, false),
            ("region", Text, false),
            ("start_date", Date, false),
            ("churn_date", Date, false),
            ("renewal_date", Date, false),
            ("seats", Number, false),
            ("mrr", Number, false),
            ("onboarded_date", Date, false),
            ("domain", Text, false),
            ("aliases", Text, false),
            ("batch_id", Number, true),
            ("src_row", Number, true),
        ]
    );
    assert_eq!(a.batches.len(), 1);
    assert_eq!(a.batches[0].id, accounts.batch_id);
    assert_eq!(a.batches[0].file, "accounts.csv");
    assert_eq!(a.batches[0].sheet, None);
    assert_eq!(a.batches[0].rows, 6);
    let tk = &list[1];
    assert_eq!(tk.rows, 3);
    assert_eq!(tk.batches[0].id, tickets.batch_id);
    let fcr = tk
        .columns
        .iter()
        .find(|c| c.id == "first_contact_resolution")
        .unwrap();
    assert_eq!(fcr.ty, Bool);
    let created = tk.columns.iter().find(|c| c.id == "created_at").unwrap();
    assert_eq!(created.ty, Date);

    // after undoing its only batch a kind is no longer listed
    t.store.undo(tickets.batch_id).unwrap();
    let kinds: Vec<Kind> = browse::datasets(&t.store)
        .unwrap()
        .iter()
        .map(|d| d.kind)
        .collect();
    assert_eq!(kinds, vec![Kind::Accounts]);
}

#[test]
fn a_page_carries_every_cell_typed_in_column_order_with_lineage() {
    let (t, b) = Case::with_accounts();
    let v = t.open(Kind::Accounts, &Query::default());
    assert_eq!(v.total(), 6);
    assert_eq!(v.columns().len(), 16);
    let p = browse::page(&t.store, &v, 0, 2).unwrap();
    assert_eq!(p.total, 6);
    assert_eq!(p.rows.len(), 2);
    let bid = b.batch_id as f64;
    let text = |s: &str| Cell::Text(s.into());
    assert_eq!(
        p.rows[0].cells,
        vec![
            text("A1"),
            text("Müller GmbH"),
            text("SMB"),
            Cell::Null,
            Cell::Null,
            Cell::Null,
            text("2026-01-15"),
            Cell::Null,
            Cell::Null,
            Cell::Number(10.0),
            Cell::Number(100.5),
            Cell::Null,
            Cell::Null,
            Cell::Null,
            Cell::Number(bid),
            Cell::Number(2.0),
        ]
    );
    assert_eq!(p.rows[1].cells[0], text("A2"));
    assert_eq!(p.rows[1].cells[10], Cell::Null, "no mrr");
    assert_eq!(
        p.rows[1].cells[15],
        Cell::Number(3.0),
        "src_row as the user sees it"
    );
    assert_ne!(p.rows[0].row_id, p.rows[1].row_id);

    // JSON as the UI gets it: null, numbers, text
    let json = serde_json::to_value(&p.rows[0]).unwrap();
    assert_eq!(json["cells"][0], "A1");
    assert_eq!(json["cells"][3], serde_json::Value::Null);
    assert_eq!(json["cells"][10], 100.5);
    assert!(json["row_id"].is_i64());

    // booleans as true/false, empty as null
    let mut t = t;
    t.import_named("tickets.csv", TICKETS);
    let v = t.open(Kind::Tickets, &Query::default());
    let p = browse::page(&t.store, &v, 0, 10).unwrap();
    let at = |id: &str| {
        browse::columns(Kind::Tickets)
            .iter()
            .position(|c| c.id == id)
            .unwrap()
    };
    let fcr: Vec<&Cell> = p
        .rows
        .iter()
        .map(|r| &r.cells[at("first_contact_resolution")])
        .collect();
    assert_eq!(fcr, [&Cell::Bool(true), &Cell::Bool(false), &Cell::Null]);
    assert_eq!(
        p.rows[0].cells[at("created_at")],
        text("2026-10-01 09:30:00")
    );
    let json = serde_json::to_value(&p.rows[0].cells[at("first_contact_resolution")]).unwrap();
    assert_eq!(json, serde_json::Value::Bool(true));
}

#[test]
fn without_a_sort_rows_come_in_import_order() {
    let (t, _) = Case::with_accounts();
    assert_eq!(
        t.accounts(&Query::default()),
        ids(&["A1", "A2", "A3", "A4", "A5", "A6"])
    );
}

#[test]
fn numbers_sort_numerically_with_empty_cells_last_and_ties_in_import_order() {
    let (t, _) = Case::with_accounts();
    // seats: A1 10, A2 2, A3 100, A4 empty, A5 9, A6 10 (as text, "10" < "100" < "2" < "9")
    assert_eq!(
        t.accounts(&sorted("seats", false)),
        ids(&["A2", "A5", "A1", "A6", "A3", "A4"])
    );
    assert_eq!(
        t.accounts(&sorted("seats", true)),
        ids(&["A3", "A1", "A6", "A5", "A2", "A4"]),
        "descending: ties still in import order, empty still last"
    );
    // mrr: A1 100.5, A2 empty, A3 20, A4 5, A5 1000, A6 0
    assert_eq!(
        t.accounts(&sorted("mrr", false)),
        ids(&["A6", "A4", "A3", "A1", "A5", "A2"])
    );
    // lineage: src_row descending is the file read bottom-up
    assert_eq!(
        t.accounts(&sorted("src_row", true)),
        ids(&["A6", "A5", "A4", "A3", "A2", "A1"])
    );
}

#[test]
fn text_sorts_case_insensitively_with_umlauts_by_their_base_letter() {
    let (t, _) = Case::with_accounts();
    // folded keys: "100% bio_markt" < "apfel & co" < "arzte verbund" (Ä by A)
    //   < "back\slash …" < "muller gmbh" < "zebra_x" (not before "apfel" as in ASCII)
    assert_eq!(
        t.accounts(&sorted("name", false)),
        ids(&["A3", "A5", "A2", "A4", "A1", "A6"])
    );
    assert_eq!(
        t.accounts(&sorted("name", true)),
        ids(&["A6", "A1", "A4", "A2", "A5", "A3"])
    );
    // segment: "Enterprise", "Mid"/"mid" (a tie: import order), "SMB" ×2, then empty (A2)
    assert_eq!(
        t.accounts(&sorted("segment", false)),
        ids(&["A3", "A5", "A6", "A1", "A4", "A2"])
    );
    assert_eq!(
        t.accounts(&sorted("segment", true)),
        ids(&["A1", "A4", "A5", "A6", "A3", "A2"])
    );
}

#[test]
fn dates_sort_chronologically_with_empty_last() {
    let (t, _) = Case::with_accounts();
    assert_eq!(
        t.accounts(&sorted("start_date", false)),
        ids(&["A2", "A5", "A1", "A3", "A6", "A4"])
    );
    assert_eq!(
        t.accounts(&sorted("start_date", true)),
        ids(&["A6", "A3", "A1", "A5", "A2", "A4"])
    );
}

#[test]
fn search_is_case_insensitive_for_umlauts_too() {
    let (t, _) = Case::with_accounts();
    assert_eq!(t.accounts(&search("müller")), ids(&["A1"]));
    assert_eq!(t.accounts(&search("MÜLLER")), ids(&["A1"]));
    assert_eq!(
        t.accounts(&search("ärzte")),
        ids(&["A2"]),
        "stored as ÄRZTE"
    );
    assert_eq!(t.accounts(&search("Ärz")), ids(&["A2"]));
    assert_eq!(
        t.accounts(&search("muller")),
        Vec::<String>::new(),
        "ü is not u"
    );
    assert_eq!(t.accounts(&search("GMBH")), ids(&["A1"]));
    // every text column: segment and the id too
    assert_eq!(t.accounts(&search("MID")), ids(&["A5", "A6"]));
    assert_eq!(t.accounts(&search("a4")), ids(&["A4"]));
    assert_eq!(t.accounts(&search("enterprise")), ids(&["A3"]));
    // numbers and dates are not searched: only A3's name holds "100"
    assert_eq!(t.accounts(&search("100")), ids(&["A3"]));
    assert_eq!(t.accounts(&search("2026")), Vec::<String>::new());
    // blank is no search; surrounding spaces do not count
    assert_eq!(t.accounts(&search("   ")).len(), 6);
    assert_eq!(t.accounts(&search("  zebra ")), ids(&["A6"]));
}

#[test]
fn search_takes_wildcards_quotes_and_backslashes_literally() {
    let (t, _) = Case::with_accounts();
    assert_eq!(t.accounts(&search("%")), ids(&["A3"]));
    assert_eq!(t.accounts(&search("0%")), ids(&["A3"]));
    assert_eq!(t.accounts(&search("_")), ids(&["A3", "A6"]));
    assert_eq!(t.accounts(&search("a_x")), ids(&["A6"]));
    assert_eq!(
        t.accounts(&search("%_")),
        Vec::<String>::new(),
        "not LIKE's 'anything'"
    );
    assert_eq!(t.accounts(&search("\\")), ids(&["A4"]));
    assert_eq!(t.accounts(&search("k\\s")), ids(&["A4"]));
    assert_eq!(t.accounts(&search("\"quote\"")), ids(&["A4"]));
    assert_eq!(t.accounts(&search("o'brien")), ids(&["A4"]));
    assert_eq!(t.accounts(&search("'")), ids(&["A4"]));
    assert_eq!(
        t.accounts(&search("'; DROP TABLE accounts; --")),
        Vec::<String>::new()
    );
    assert_eq!(t.accounts(&Query::default()).len(), 6, "still there");
}

#[test]
fn text_filters_equals_and_contains_ignore_case() {
    let (t, _) = Case::with_accounts();
    let q = |col, op, v| t.accounts(&filtered(vec![filter(col, op, Some(v))]));
    assert_eq!(q("name", FilterOp::Equals, "MÜLLER GMBH"), ids(&["A1"]));
    assert_eq!(
        q("name", FilterOp::Equals, "müller"),
        Vec::<String>::new(),
        "equals is the whole value"
    );
    assert_eq!(q("segment", FilterOp::Equals, "mid"), ids(&["A5", "A6"]));
    assert_eq!(q("name", FilterOp::Contains, "_"), ids(&["A3", "A6"]));
    assert_eq!(q("name", FilterOp::Contains, "ZEBRA"), ids(&["A6"]));
    assert_eq!(
        q("segment", FilterOp::Contains, "b"),
        ids(&["A1", "A4"]),
        "SMB, not the names"
    );
    assert_eq!(q("name", FilterOp::Contains, "%"), ids(&["A3"]));
}

#[test]
fn number_filters_compare_numerically_in_german_or_english_spelling() {
    let (t, _) = Case::with_accounts();
    let q = |col, op, v| t.accounts(&filtered(vec![filter(col, op, Some(v))]));
    assert_eq!(
        q("seats", FilterOp::AtLeast, "10"),
        ids(&["A1", "A3", "A6"])
    );
    assert_eq!(q("seats", FilterOp::AtMost, "9"), ids(&["A2", "A5"]));
    assert_eq!(q("seats", FilterOp::Equals, "10"), ids(&["A1", "A6"]));
    assert_eq!(q("mrr", FilterOp::AtLeast, "100,5"), ids(&["A1", "A5"]));
    assert_eq!(
        q("mrr", FilterOp::AtMost, "1.000,00"),
        ids(&["A1", "A3", "A4", "A5", "A6"])
    );
    assert_eq!(q("mrr", FilterOp::Equals, "0"), ids(&["A6"]));
    assert_eq!(
        q("src_row", FilterOp::AtLeast, "6"),
        ids(&["A5", "A6"]),
        "lineage columns filter too"
    );
}

#[test]
fn date_filters_compare_at_the_precision_of_the_value() {
    let (t, _) = Case::with_accounts();
    let q = |col, op, v| t.accounts(&filtered(vec![filter(col, op, Some(v))]));
    // start: A1 2026-01-15, A2 2025-12-01, A3 2026-02-28, A4 none, A5 2026-01-01, A6 2026-03-05
    assert_eq!(
        q("start_date", FilterOp::Equals, "2026-01"),
        ids(&["A1", "A5"])
    );
    assert_eq!(
        q("start_date", FilterOp::Equals, "15.01.2026"),
        ids(&["A1"])
    );
    assert_eq!(
        q("start_date", FilterOp::AtMost, "2026-01"),
        ids(&["A1", "A2", "A5"]),
        "at most January includes the 15th"
    );
    assert_eq!(
        q("start_date", FilterOp::AtLeast, "2026-02"),
        ids(&["A3", "A6"])
    );
    assert_eq!(
        q("start_date", FilterOp::AtLeast, "2026"),
        ids(&["A1", "A3", "A5", "A6"])
    );
    assert_eq!(
        q("start_date", FilterOp::AtLeast, "2026-03-05"),
        ids(&["A6"]),
        "inclusive"
    );
    assert_eq!(
        q("start_date", FilterOp::AtMost, "2025-12-01"),
        ids(&["A2"]),
        "inclusive"
    );
    assert_eq!(
        q("start_date", FilterOp::AtMost, "2026-01-14"),
        ids(&["A2", "A5"])
    );
    assert_eq!(q("start_date", FilterOp::Contains, "-03-"), ids(&["A6"]));

    // date-times: a day holds its times
    let mut t = t;
    t.import_named("tickets.csv", TICKETS);
    let tq = |op, v| {
        t.ids(
            Kind::Tickets,
            &filtered(vec![filter("created_at", op, Some(v))]),
        )
    };
    assert_eq!(tq(FilterOp::Equals, "2026-10-02"), ids(&["T2"]));
    assert_eq!(tq(FilterOp::AtMost, "2026-10-02"), ids(&["T1", "T2"]));
    assert_eq!(tq(FilterOp::AtLeast, "2026-10-02"), ids(&["T2", "T3"]));
    assert_eq!(tq(FilterOp::AtLeast, "2026-10-02 10:00:01"), ids(&["T3"]));
}

#[test]
fn empty_and_not_empty_and_yes_no_filters() {
    let (mut t, _) = Case::with_accounts();
    let q = |t: &Case, col, op| t.accounts(&filtered(vec![filter(col, op, None)]));
    assert_eq!(q(&t, "mrr", FilterOp::IsEmpty), ids(&["A2"]));
    assert_eq!(q(&t, "segment", FilterOp::IsEmpty), ids(&["A2"]));
    assert_eq!(q(&t, "start_date", FilterOp::IsEmpty), ids(&["A4"]));
    assert_eq!(q(&t, "churn_date", FilterOp::NotEmpty), ids(&["A3"]));
    assert_eq!(q(&t, "plan", FilterOp::NotEmpty), Vec::<String>::new());
    assert_eq!(
        q(&t, "seats", FilterOp::NotEmpty),
        ids(&["A1", "A2", "A3", "A5", "A6"])
    );
    // all filters must hold, with the search and the sort
    let both = Query {
        search: Some("gmbh".into()),
        sort: Some(SortBy {
            column: "seats".into(),
            descending: true,
        }),
        filters: vec![
            filter("segment", FilterOp::Equals, Some("smb")),
            filter("seats", FilterOp::AtLeast, Some("1")),
        ],
        batch: None,
        superseded: false,
    };
    assert_eq!(t.accounts(&both), ids(&["A1"]));
    let both = Query {
        filters: vec![filter("segment", FilterOp::Equals, Some("smb"))],
        ..sorted("seats", false)
    };
    assert_eq!(t.accounts(&both), ids(&["A1", "A4"]));

    t.import_named("tickets.csv", TICKETS);
    let fcr = |op, v: Option<&str>| {
        t.ids(
            Kind::Tickets,
            &filtered(vec![filter("first_contact_resolution", op, v)]),
        )
    };
    assert_eq!(fcr(FilterOp::Equals, Some("ja")), ids(&["T1"]));
    assert_eq!(fcr(FilterOp::Equals, Some("yes")), ids(&["T1"]));
    assert_eq!(fcr(FilterOp::Equals, Some("FALSE")), ids(&["T2"]));
    assert_eq!(fcr(FilterOp::IsEmpty, None), ids(&["T3"]));
    assert_eq!(fcr(FilterOp::NotEmpty, None), ids(&["T1", "T2"]));
}

#[test]
fn the_batch_filter_shows_one_import() {
    let (mut t, first) = Case::with_accounts();
    let second = t.import_named("more.csv", MORE_ACCOUNTS);
    let tickets = t.import_named("tickets.csv", TICKETS);
    let in_batch = |id| {
        t.accounts(&Query {
            batch: Some(id),
            ..Query::default()
        })
    };
    assert_eq!(in_batch(second.batch_id), ids(&["B1", "B2"]));
    assert_eq!(in_batch(first.batch_id).len(), 6);
    assert_eq!(
        in_batch(tickets.batch_id),
        Vec::<String>::new(),
        "another kind's batch"
    );
    assert_eq!(in_batch(9999), Vec::<String>::new());
    assert_eq!(t.accounts(&Query::default()).len(), 8);
    let q = Query {
        batch: Some(second.batch_id),
        ..sorted("account_id", true)
    };
    assert_eq!(t.accounts(&q), ids(&["B2", "B1"]));
}

#[test]
fn paging_stops_at_the_end_and_clamps_the_limit() {
    let mut t = Case::new();
    let mut csv = String::from("account_id,seats\n");
    for i in 0..700 {
        csv.push_str(&format!("K{i:04},{i}\n"));
    }
    t.import_named("big.csv", &csv);
    let v = t.open(Kind::Accounts, &sorted("seats", true));
    assert_eq!(v.total(), 700);
    let p = browse::page(&t.store, &v, 0, 10_000).unwrap();
    assert_eq!(p.rows.len(), MAX_PAGE as usize, "limit clamped");
    assert_eq!(MAX_PAGE, 500);
    assert_eq!(p.total, 700);
    assert_eq!(p.rows[0].cells[0], Cell::Text("K0699".into()));
    let p = browse::page(&t.store, &v, 650, 100).unwrap();
    assert_eq!(p.rows.len(), 50, "the last rows");
    assert_eq!(p.rows[0].cells[0], Cell::Text("K0049".into()));
    assert_eq!(p.rows[49].cells[0], Cell::Text("K0000".into()));
    let p = browse::page(&t.store, &v, 700, 100).unwrap();
    assert!(p.rows.is_empty(), "offset at the end");
    assert_eq!(p.total, 700);
    let p = browse::page(&t.store, &v, u64::MAX, 100).unwrap();
    assert!(p.rows.is_empty(), "offset far past the end");
    let p = browse::page(&t.store, &v, 3, 0).unwrap();
    assert!(p.rows.is_empty(), "limit 0");
    // consecutive pages cover the view exactly once
    let mut seen = Vec::new();
    let mut offset = 0;
    loop {
        let p = browse::page(&t.store, &v, offset, 128).unwrap();
        if p.rows.is_empty() {
            break;
        }
        offset += p.rows.len() as u64;
        seen.extend(p.rows.into_iter().map(|r| r.row_id));
    }
    assert_eq!(seen.len(), 700);
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 700);

    let empty = t.open(
        Kind::Accounts,
        &filtered(vec![filter("seats", FilterOp::AtLeast, Some("5000"))]),
    );
    assert_eq!(empty.total(), 0);
    assert!(browse::page(&t.store, &empty, 0, 10)
        .unwrap()
        .rows
        .is_empty());
    let none = t.open(Kind::Usage, &Query::default());
    assert_eq!(none.total(), 0, "a kind without data is an empty view");
}

fn assert_stale(t: &Case, v: &View) {
    let err = browse::page(&t.store, v, 0, 10).unwrap_err();
    assert!(matches!(err, Error::ViewStale), "{err:?}");
    assert_eq!(err.code(), "view_stale");
    let (de, en) = (err.message(Lang::De), err.message(Lang::En));
    assert!(en.contains("changed"), "{en}");
    assert!(de.contains("geändert"), "{de}");
}

#[test]
fn a_view_goes_stale_when_its_data_changes() {
    let (mut t, first) = Case::with_accounts();
    let v = t.open(Kind::Accounts, &sorted("name", false));
    assert_eq!(browse::page(&t.store, &v, 0, 10).unwrap().total, 6);

    // another kind's import leaves it alone
    let tickets = t.import_named("tickets.csv", TICKETS);
    assert_eq!(browse::page(&t.store, &v, 0, 10).unwrap().rows.len(), 6);
    t.store.undo(tickets.batch_id).unwrap();
    assert_eq!(browse::page(&t.store, &v, 0, 10).unwrap().rows.len(), 6);

    // an import of the same kind
    let second = t.import_named("more.csv", MORE_ACCOUNTS);
    assert_stale(&t, &v);
    let v = t.open(Kind::Accounts, &Query::default());
    assert_eq!(browse::page(&t.store, &v, 0, 10).unwrap().total, 8);

    // an undo
    t.store.undo(second.batch_id).unwrap();
    assert_stale(&t, &v);
    let v = t.open(Kind::Accounts, &Query::default());
    assert_eq!(browse::page(&t.store, &v, 0, 10).unwrap().total, 6);

    // a replace of the same file (new batch, same content)
    let p = t.tmp.path("accounts.csv");
    let opts = Options {
        kind: Some(Kind::Accounts),
        ..Options::default()
    };
    t.store.import_file(&p, &opts, true).unwrap();
    assert_stale(&t, &v);

    // a restore of a backup taken before
    let v = t.open(Kind::Accounts, &Query::default());
    let backup = t.tmp.path("backup.db");
    t.store.backup_to(&backup).unwrap();
    let more = t.import_named("more.csv", MORE_ACCOUNTS);
    assert_stale(&t, &v);
    let v8 = t.open(Kind::Accounts, &Query::default());
    assert_eq!(v8.total(), 8);
    t.store.restore_from(&backup).unwrap();
    assert_stale(&t, &v8);
    let v = t.open(Kind::Accounts, &Query::default());
    assert_eq!(v.total(), 6);
    assert!(t
        .store
        .batches()
        .unwrap()
        .iter()
        .all(|b| b.batch_id != more.batch_id));
    assert_ne!(first.batch_id, more.batch_id);
}

#[test]
fn unknown_columns_and_unusable_filters_are_refused() {
    let (t, _) = Case::with_accounts();
    let err = |q: &Query| browse::open(&t.store, Kind::Accounts, q).unwrap_err();

    for q in [
        sorted("nope", false),
        sorted("name\"; DROP TABLE accounts; --", false),
        sorted("rowid", false),
        sorted("NAME", false),
        filtered(vec![filter("ticket_id", FilterOp::IsEmpty, None)]),
    ] {
        let e = err(&q);
        assert_eq!(e.code(), "unknown_column", "{q:?}");
        assert!(matches!(
            e,
            Error::UnknownColumn {
                kind: Kind::Accounts,
                ..
            }
        ));
    }
    let e = err(&sorted("nope", false));
    assert!(
        e.message(Lang::En).contains("“nope”"),
        "{}",
        e.message(Lang::En)
    );
    assert!(
        e.message(Lang::De).contains("„nope“"),
        "{}",
        e.message(Lang::De)
    );
    assert_eq!(t.accounts(&Query::default()).len(), 6, "nothing dropped");

    for (f, what) in [
        (
            filter("seats", FilterOp::Contains, Some("1")),
            "contains on a number",
        ),
        (
            filter("name", FilterOp::AtLeast, Some("a")),
            "at least on text",
        ),
        (
            filter("name", FilterOp::AtMost, Some("a")),
            "at most on text",
        ),
        (
            filter("seats", FilterOp::AtLeast, Some("viele")),
            "not a number",
        ),
        (
            filter("start_date", FilterOp::AtLeast, Some("soon")),
            "not a date",
        ),
        (filter("name", FilterOp::Equals, None), "no value"),
        (
            filter("seats", FilterOp::Equals, Some("  ")),
            "a blank value",
        ),
    ] {
        let e = err(&filtered(vec![f]));
        assert_eq!(e.code(), "bad_filter", "{what}");
        assert!(!e.message(Lang::De).is_empty() && e.message(Lang::De) != e.message(Lang::En));
    }
    let e = err(&filtered(vec![filter(
        "seats",
        FilterOp::AtLeast,
        Some("viele"),
    )]));
    assert!(e.message(Lang::En).contains("“viele” is not a number"));
    assert!(e.message(Lang::De).contains("„viele“ ist keine Zahl"));
}

#[test]
fn a_query_arrives_as_json_with_snake_case_names_and_defaults() {
    let q: Query = serde_json::from_str(
        r#"{"search":"x","sort":{"column":"seats","descending":true},
            "filters":[{"column":"seats","op":"at_least","value":"10"},{"column":"mrr","op":"is_empty"}],
            "batch":3}"#,
    )
    .unwrap();
    assert_eq!(q.search.as_deref(), Some("x"));
    assert_eq!(q.sort.as_ref().map(|s| s.descending), Some(true));
    assert_eq!(q.filters[0].op, FilterOp::AtLeast);
    assert_eq!(q.filters[1].op, FilterOp::IsEmpty);
    assert_eq!(q.filters[1].value, None);
    assert_eq!(q.batch, Some(3));
    let empty: Query = serde_json::from_str("{}").unwrap();
    assert_eq!(empty, Query::default());
    let ops: Vec<FilterOp> = serde_json::from_str(
        r#"["equals","contains","at_least","at_most","is_empty","not_empty"]"#,
    )
    .unwrap();
    assert_eq!(ops.len(), 6);
    assert!(serde_json::from_str::<FilterOp>(r#""like""#).is_err());
}

/// The demo company's usage table, checked against SQLite itself (its data is ASCII, so
/// `LIKE` folds case as the browser does).
#[test]
fn on_the_demo_company_views_agree_with_sqlite() {
    let mut t = Case::new();
    demo::load(
        &mut t.store,
        &DemoOptions {
            accounts: 40,
            usage_rows: Some(6_000),
            ..DemoOptions::default()
        },
    )
    .unwrap();
    let sql = rusqlite::Connection::open(t.tmp.path("cs.db")).unwrap();
    let count = |q: &str| -> u64 { sql.query_row(q, [], |r| r.get::<_, i64>(0)).unwrap() as u64 };

    let list = browse::datasets(&t.store).unwrap();
    assert_eq!(list.len(), 11, "the demo has all eleven kinds");
    let usage = list.iter().find(|d| d.kind == Kind::Usage).unwrap();
    assert_eq!(usage.rows as u64, count("SELECT count(*) FROM usage"));

    let all = t.open(Kind::Usage, &Query::default());
    assert_eq!(all.total(), count("SELECT count(*) FROM usage"));

    let needle = "DEMO-1000"; // the first accounts' ids, and their users' e-mail domains
    let v = t.open(Kind::Usage, &search(&needle.to_lowercase()));
    let want = count(&format!(
        "SELECT count(*) FROM usage WHERE account_id LIKE '%{needle}%' OR user_id LIKE '%{needle}%' OR feature LIKE '%{needle}%'"
    ));
    assert!(want > 0);
    assert_eq!(v.total(), want);

    // sorted by date, descending, filtered to one month: dates never increase across pages
    let q = Query {
        sort: Some(SortBy {
            column: "date".into(),
            descending: true,
        }),
        filters: vec![filter("date", FilterOp::Equals, Some("2026-09"))],
        ..Query::default()
    };
    let v = t.open(Kind::Usage, &q);
    assert_eq!(
        v.total(),
        count("SELECT count(*) FROM usage WHERE date LIKE '2026-09%'")
    );
    assert!(v.total() > 100);
    let date_at = usage.columns.iter().position(|c| c.id == "date").unwrap();
    let mut dates = Vec::new();
    let mut offset = 0;
    while offset < v.total() {
        let p = browse::page(&t.store, &v, offset, 97).unwrap();
        offset += p.rows.len() as u64;
        dates.extend(p.rows.into_iter().map(|r| match &r.cells[date_at] {
            Cell::Text(d) => d.clone(),
            other => panic!("a date is text: {other:?}"),
        }));
    }
    assert_eq!(dates.len() as u64, v.total());
    assert!(dates.iter().all(|d| d.starts_with("2026-09")));
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "descending");
    let max: String = sql
        .query_row(
            "SELECT max(date) FROM usage WHERE date LIKE '2026-09%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(dates[0], max);

    // sessions numerically, ascending: pages agree with SQLite's own order of the values
    let v = t.open(Kind::Usage, &sorted("session_seconds", false));
    let ours: Vec<Cell> = browse::page(&t.store, &v, 0, 50)
        .unwrap()
        .rows
        .into_iter()
        .map(|r| {
            r.cells[usage
                .columns
                .iter()
                .position(|c| c.id == "session_seconds")
                .unwrap()]
            .clone()
        })
        .collect();
    let mut stmt = sql
        .prepare("SELECT session_seconds FROM usage WHERE session_seconds IS NOT NULL ORDER BY session_seconds, rowid LIMIT 50")
        .unwrap();
    let theirs: Vec<Cell> = stmt
        .query_map([], |r| r.get::<_, f64>(0))
        .unwrap()
        .map(|x| Cell::Number(x.unwrap()))
        .collect();
    assert_eq!(ours, theirs);
}
