//! `cspulse link` and `import --json`'s `links` (sources.md §1): customers under other names
//! resolved at import, unmatched values listed and skipped, answers stored and used.

use super::{Cli, ACCOUNTS};

/// Accounts with a website and a Stripe id beside the ones of `ACCOUNTS`.
const LINKED: &str = "account_id,name,website,Stripe Customer ID\nA,Alpha GmbH,alpha.de,cus_A\nB,Beta AG,beta.com,cus_B\n";
const TOUCHPOINTS: &str = "Account,Date,Type\ncus_A,2026-10-01,call\njane@beta.com,2026-10-02,call\nALPHA gmbh,2026-10-03,call\nAlpha Gmb,2026-10-04,call\nAlpha Gmb,2026-10-05,call\n";

#[test]
fn import_json_says_how_rows_were_linked_and_link_stores_the_answer() {
    let cli = Cli::new();
    cli.import("accounts.csv", LINKED);
    let v = cli.import("tp.csv", TOUCHPOINTS);
    let b = &v["batches"][0];
    assert_eq!(b["rows_imported"], 3);
    assert_eq!(b["rows_skipped"], 2);
    let l = &b["links"];
    assert_eq!(l["column"], "Account");
    assert_eq!(
        (
            &l["by_account_id"],
            &l["by_alias"],
            &l["by_domain"],
            &l["by_name"]
        ),
        (&0.into(), &1.into(), &1.into(), &1.into())
    );
    assert_eq!(l["unmatched"][0]["value"], "Alpha Gmb");
    assert_eq!(l["unmatched"][0]["rows"], 2);
    assert_eq!(l["unmatched"][0]["first_row"], 5);
    assert_eq!(l["unmatched"][0]["proposals"][0]["account_id"], "A");
    assert_eq!(b["issues"][0]["row"], 5);

    // `link VALUE` alone proposes; nothing is stored
    let p = cli.json(&["link", "Alpha Gmb", "--json"]);
    assert!(p["resolves_to"].is_null());
    assert_eq!(p["proposals"][0]["name"], "Alpha GmbH");
    assert_eq!(cli.json(&["link", "--json"]), serde_json::json!([]));
    // the answer, then the same file again links every row
    let s = cli.json(&["link", "Alpha Gmb", "A", "--json"]);
    assert_eq!(
        (&s["value"], &s["account_id"]),
        (&"Alpha Gmb".into(), &"A".into())
    );
    let p = cli.file("tp.csv", TOUCHPOINTS);
    let again = cli.json(&["import", p.to_str().unwrap(), "--replace", "--json"]);
    assert_eq!(again["batches"][0]["rows_imported"], 5);
    assert_eq!(again["batches"][0]["links"]["by_alias"], 3);
    let now = cli.json(&["link", "Alpha Gmb", "--json"]);
    assert_eq!(now["resolves_to"]["account_id"], "A");
    assert_eq!(now["resolves_to"]["by"], "alias");
    // not a customer, listed, removed
    let n = cli.json(&["link", "jane@beta.com", "--none", "--json"]);
    assert!(n["account_id"].is_null());
    assert_eq!(cli.json(&["link", "--json"]).as_array().unwrap().len(), 2);
    let o = cli.run(&["--lang", "en", "link", "Alpha Gmb", "--remove"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("removed"), "{}", o.stdout);
    assert_eq!(cli.json(&["link", "--json"]).as_array().unwrap().len(), 1);
}

#[test]
fn linking_to_an_unknown_account_or_an_empty_value_exits_2_with_one_line() {
    let cli = Cli::new();
    cli.import("accounts.csv", ACCOUNTS);
    let o = cli.run(&["--lang", "en", "link", "Zeta", "NOPE"]);
    let msg = o.assert_fails(2, "unknown account");
    assert!(msg.contains("NOPE") && msg.contains("--none"), "{msg}");
    let o = cli.run(&["--lang", "de", "link", "Zeta", "NOPE"]);
    let msg = o.assert_fails(2, "unknown account, German");
    assert!(msg.contains("Kein importierter Kunde"), "{msg}");
    let o = cli.run(&["link", " ", "--none"]);
    o.assert_fails(2, "empty value");
    assert_eq!(cli.json(&["link", "--json"]), serde_json::json!([]));
}

#[test]
fn the_import_summary_names_the_unmatched_value_in_both_languages() {
    let cli = Cli::new();
    cli.import("accounts.csv", LINKED);
    let p = cli.file("tp.csv", TOUCHPOINTS);
    let o = cli.run(&["--lang", "de", "import", p.to_str().unwrap()]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout
            .contains("2 Zeilen für „Alpha Gmb“ passen zu keinem Kunden"),
        "{}",
        o.stdout
    );
    assert!(o.stdout.contains("über die Domain 1"), "{}", o.stdout);
}
