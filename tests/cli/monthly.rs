//! The monthly routine at the command line (issue 16): a second export that overlaps the
//! first supersedes it (`overlaps` in `import --json`), `--overlap add` adds, a file whose
//! kind is a question exits 2 naming the candidates, and import profiles.

use super::{close, Cli};

const ORDERS: &str = "Id,Name,Created at,Total,Email,Financial Status\n\
    5012,#1012,2026-10-01 10:15:00,99.90,A,paid\n\
    5013,#1013,2026-10-02 11:00:00,45.00,B,paid\n";
/// The next export: 5013 again with another total, 5014 new.
const ORDERS_NEXT: &str = "Id,Name,Created at,Total,Email,Financial Status\n\
    5013,#1013,2026-10-02 11:00:00,50.00,B,paid\n\
    5014,#1014,2026-10-20 09:00:00,10.00,A,paid\n";

#[test]
fn a_shops_orders_export_exits_2_naming_the_candidates_and_writes_nothing() {
    let cli = Cli::new();
    let p = cli.file("orders.csv", ORDERS);
    let o = cli.run(&["import", p.to_str().unwrap()]);
    let msg = o.assert_fails(2, "orders as tickets");
    assert!(
        msg.contains("support tickets (tickets)") && msg.contains("--kind"),
        "{msg}"
    );
    assert!(!cli.db.exists(), "no database written");
}

#[test]
fn choices_become_a_profile_the_next_export_imports_with_and_overlaps_supersede() {
    let cli = Cli::new();
    let first = cli.file("orders_2026-10.csv", ORDERS);
    let v = cli.json(&[
        "import",
        first.to_str().unwrap(),
        "--kind",
        "orders",
        "--map",
        "order_id=Id",
        "--map",
        "account_id=Email",
        "--map",
        "date=Created at",
        "--map",
        "amount=Total",
        "--json",
    ]);
    assert_eq!(v["profile"], serde_json::Value::Null);
    assert_eq!(v["profile_saved"], "orders");
    // the next month's file: same headers, no options, the profile decides
    let next = cli.file("orders_2026-11.csv", ORDERS_NEXT);
    let v = cli.json(&["import", next.to_str().unwrap(), "--json"]);
    assert_eq!(v["profile"], "orders");
    assert_eq!(v["batches"][0]["kind"], "orders");
    let overlaps = &v["batches"][0]["overlaps"];
    assert_eq!(overlaps.as_array().unwrap().len(), 1, "{overlaps}");
    assert_eq!(overlaps[0]["batch_id"], 1);
    assert_eq!(overlaps[0]["file"], "orders_2026-10.csv");
    assert_eq!(overlaps[0]["rows"], 1, "order 5013");
    assert_eq!(overlaps[0]["changed"], 1, "45.00 → 50.00");
    // effective rows: 5012 (99.90), 5013 (50.00, newer), 5014 (10.00)
    let b = cli.batches();
    assert_eq!(b[0]["superseded_rows"], 1, "{b}");
    assert_eq!(b[1]["overlap"], "supersede");
    let all = cli.json(&["profiles", "--json"]);
    let (own, tools): (Vec<_>, Vec<_>) = all
        .as_array()
        .unwrap()
        .iter()
        .partition(|p| p["built_in"] == false);
    assert_eq!(own.len(), 1);
    assert!(own[0]["used_at"].is_string(), "{all}");
    // the tools' built-in profiles are listed after the user's own
    assert!(
        tools
            .iter()
            .any(|p| p["name"] == "Stripe invoice line items")
            && tools
                .iter()
                .any(|p| p["name"] == "Salesforce accounts report"),
        "{all}"
    );

    // export, rename, import back, delete
    let file = cli.tmp.path("shop.json");
    let o = cli.run(&["profiles", "export", "orders", file.to_str().unwrap()]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(cli.run(&["profiles", "rename", "orders", "Shop"]).code, 0);
    assert_eq!(
        cli.run(&["profiles", "import", file.to_str().unwrap()])
            .code,
        0,
        "the exported profile comes back under its old name"
    );
    let names: Vec<String> = cli
        .json(&["profiles", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["built_in"] == false)
        .map(|p| p["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["Shop", "orders"]);
    cli.run(&["profiles", "import", file.to_str().unwrap()])
        .assert_fails(2, "a profile of that name exists");
    assert_eq!(cli.run(&["profiles", "delete", "orders"]).code, 0);
    cli.run(&["profiles", "delete", "orders"])
        .assert_fails(2, "no such profile");
    // a profile file given by path
    let third = cli.file(
        "orders_2026-12.csv",
        "Id,Name,Created at,Total,Email,Financial Status\n6001,#6001,2026-12-01 10:00:00,7.00,C,paid\n",
    );
    let v = cli.json(&[
        "import",
        third.to_str().unwrap(),
        "--profile",
        file.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(v["profile"], "orders");
    assert_eq!(v["batches"][0]["rows_imported"], 1);
}

#[test]
fn overlap_add_adds_the_rows_and_is_shown_in_the_lineage() {
    let cli = Cli::new();
    let rev = "account_id,month,mrr\nA,2026-10,100\nB,2026-10,200\n";
    cli.import("accounts.csv", "account_id,name\nA,Alpha\nB,Beta\n");
    cli.import("mrr_product1.csv", rev);
    let p = cli.file("mrr_product2.csv", "account_id,month,mrr\nA,2026-10,10\n");
    let v = cli.json(&["import", p.to_str().unwrap(), "--overlap", "add", "--json"]);
    assert_eq!(v["batches"][0]["overlap"], "add");
    assert_eq!(v["batches"][0]["overlaps"][0]["rows"], 1);
    let k = cli.json(&["kpis", "--month", "2026-10", "--json"]);
    close(&k["kpis"]["mrr"]["value"], 310.0, "100 + 10 added + 200");
    // the overlap mode alone is no profile: the next file supersedes by default
    // (A's October rows of both earlier batches give way to 20)
    let p = cli.file("mrr_fix.csv", "account_id,month,mrr\nA,2026-10,20\n");
    let o = cli.run(&["import", p.to_str().unwrap()]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout.contains("the newer values are used"),
        "{}",
        o.stdout
    );
    let k = cli.json(&["kpis", "--month", "2026-10", "--json"]);
    close(
        &k["kpis"]["mrr"]["value"],
        220.0,
        "A's October superseded: 20 + 200",
    );
    let batches = cli.batches();
    assert_eq!(batches[2]["overlap"], "add");
}

#[test]
fn an_import_beside_the_sample_company_says_so_unless_it_replaces_it() {
    let cli = Cli::new();
    assert_eq!(cli.run(&["demo"]).code, 0);
    let p = cli.file("accounts.csv", "account_id,name\nA,Alpha\n");
    let o = cli.run(&["import", p.to_str().unwrap()]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stderr.contains("--replace-sample"), "{}", o.stderr);
    let p = cli.file("accounts2.csv", "account_id,name\nB,Beta\n");
    let o = cli.run(&["import", p.to_str().unwrap(), "--replace-sample"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stderr.is_empty(), "{}", o.stderr);
    let b = cli.batches();
    let files: Vec<&str> = b
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        ["accounts.csv", "accounts2.csv"],
        "the sample's batches are gone"
    );
    assert!(b.as_array().unwrap().iter().all(|x| x["source"] == "file"));
}

/// `(account_id, month) → mrr` of a sample revenue export (canonical CSV, ids and months
/// without commas or quotes).
fn revenue_rows(path: &std::path::Path) -> std::collections::BTreeMap<(String, String), f64> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("account_id,month,mrr,currency"));
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            ((f[0].to_string(), f[1].to_string()), f[2].parse().unwrap())
        })
        .collect()
}

#[test]
fn the_sample_companys_next_month_imports_without_a_question_and_replaces_what_it_repeats() {
    let cli = Cli::new();
    let export = |month: &str| -> Vec<std::path::PathBuf> {
        let dir = cli.tmp.path(month);
        let o = cli.run(&[
            "--lang",
            "en",
            "demo",
            "--export",
            dir.to_str().unwrap(),
            "--month",
            month,
            "--accounts",
            "30",
            "--usage-rows",
            "2000",
        ]);
        assert_eq!(o.code, 0, "{}", o.stderr);
        // each file as printed; its name taken from the end (cspulse.exe under Wine joins
        // the folder given and the name with a backslash)
        let files: Vec<std::path::PathBuf> = o
            .stdout
            .lines()
            .map(str::trim)
            .filter(|l| l.ends_with(".csv"))
            .map(|l| dir.join(l.rsplit(['/', '\\']).next().unwrap()))
            .collect();
        assert_eq!(files.len(), 11, "{}", o.stdout);
        assert!(files.iter().all(|f| f.is_file()));
        files
    };
    let october = export("2026-10");
    assert!(!cli.db.exists(), "exporting opens no database");
    let november = export("2026-11");
    assert!(
        november[1].ends_with("sample-2026-11-revenue.csv"),
        "{november:?}"
    );
    // both rounds, each file without an option: no kind question, no mapping question
    for f in october.iter().chain(&november) {
        let v = cli.json(&["import", f.to_str().unwrap(), "--json"]);
        let name = f.file_name().unwrap().to_str().unwrap();
        let kind = name.trim_end_matches(".csv").rsplit('-').next().unwrap();
        assert_eq!(v["batches"][0]["kind"], kind, "{name}");
    }
    // the November revenue export repeats October's months: the effective rows are
    // November's where both have the account-month, October's elsewhere
    let mut effective = revenue_rows(&october[1]);
    let next = revenue_rows(&november[1]);
    let repeated = next.keys().filter(|k| effective.contains_key(*k)).count();
    assert!(
        repeated > 100,
        "the next export repeats earlier months ({repeated})"
    );
    effective.extend(next);
    for month in ["2026-10", "2026-11"] {
        let want: f64 = effective
            .iter()
            .filter(|((_, m), _)| m == month)
            .map(|(_, v)| v)
            .sum();
        let v = cli.json(&["kpis", "--month", month, "--json"]);
        let got = v["kpis"]["mrr"]["value"].as_f64().unwrap();
        assert!((got - want).abs() < 1e-6, "MRR {month}: {got} vs {want}");
    }
}

/// `--value FIELD:WORD=VALUE`: a word of the tool's that no rule covers is listed with how to
/// say what it means; the answer imports the rows and is remembered with the file's profile,
/// so the next export of that shape imports with no options.
#[test]
fn a_tools_own_words_are_answered_once_with_value_and_remembered() {
    let cli = Cli::new();
    let ren = "account_id,due_date,outcome\nA-1,2026-10-15,Verlängerung bestätigt\nA-2,2026-10-20,Gekündigt zum Laufzeitende\n";
    let first = cli.file("renewals_2026-10.csv", ren);
    let o = cli.run(&["import", first.to_str().unwrap(), "--kind", "renewals"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout.contains("0 rows imported, 2 skipped"),
        "{}",
        o.stdout
    );
    assert!(
        o.stdout.contains(
            "--value \"outcome:Verlängerung bestätigt=VALUE\" with VALUE one of renewed, churned, open"
        ),
        "{}",
        o.stdout
    );
    let v = cli.json(&[
        "import",
        first.to_str().unwrap(),
        "--kind",
        "renewals",
        "--value",
        "outcome:Verlängerung bestätigt=renewed",
        "--value",
        "outcome:Gekündigt zum Laufzeitende=churned",
        "--replace",
        "--json",
    ]);
    assert_eq!(v["batches"][0]["rows_imported"], 2, "{v}");
    let next = cli.file(
        "renewals_2026-11.csv",
        "account_id,due_date,outcome\nA-3,2026-11-15,Verlängerung bestätigt\nA-4,2026-11-20,Gekündigt zum Laufzeitende\n",
    );
    let v = cli.json(&["import", next.to_str().unwrap(), "--json"]);
    let b = &v["batches"][0];
    assert_eq!(b["rows_imported"], 2, "{v}");
    assert_eq!(b["rows_skipped"], 0, "{v}");
    let mapped = b["values_mapped"].as_array().unwrap();
    assert!(
        mapped
            .iter()
            .any(|m| m["from"] == "Gekündigt zum Laufzeitende" && m["to"] == "churned"),
        "{v}"
    );
}
