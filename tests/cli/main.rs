//! End-to-end tests of the `cspulse` binary (`cli.md`): JSON shapes, exit codes, one-line
//! plain-language errors that write nothing, settings, the demo company, `CSPULSE_DB`, and a
//! small hand-made company whose KPIs are checked by hand. Every file is made here.
#![allow(clippy::unwrap_used)]

mod backup;
mod hostile;
mod insights;
mod kill;
mod link;
mod monthly;
mod safety;
mod target;

/// The temporary folder, shared with the engine's and the app's tests.
#[path = "../common/tmp.rs"]
mod tmp;

use tmp::Tmp;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const ACCOUNTS: &str = "account_id,name,seats\nA,Alpha GmbH,10\nB,Beta AG,5\nC,Gamma KG,2\n";
/// A grows 100 → 120, B stays at 200, C (50) churns in October.
const REVENUE: &str = "Kundennummer;Monat;Umsatz\nA;Sep 2026;100,00\nA;Okt 2026;120,00\nB;Sep 2026;200\nB;Okt 2026;200\nC;Sep 2026;50\n";
/// A: two promoters; B: a detractor and a passive.
const SURVEYS: &str = "response_id,account_id,date,nps\nR1,A,2026-10-02,10\nR2,A,2026-10-09,9\nR3,B,2026-10-12,3\nR4,B,2026-10-20,7\n";

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Out {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is JSON ({e}): {}\nstderr: {}",
                self.stdout, self.stderr
            )
        })
    }
    /// Asserts a failure with exit code `code` and exactly one plain line on stderr.
    fn assert_fails(&self, code: i32, what: &str) -> &str {
        assert_eq!(
            self.code, code,
            "{what}: exit code; stderr: {}",
            self.stderr
        );
        let msg = self.stderr.trim_end();
        assert_eq!(
            msg.lines().count(),
            1,
            "{what}: one line on stderr, got:\n{msg}"
        );
        assert!(
            msg.starts_with("cspulse: "),
            "{what}: the line says who speaks: {msg}"
        );
        for technical in ["panicked", "Error {", "RUST_BACKTRACE", "{ kind:", "Os {"] {
            assert!(
                !msg.contains(technical),
                "{what}: no technical detail ({technical}) in: {msg}"
            );
        }
        msg
    }
}

/// A temporary folder with a database path in it.
struct Cli {
    tmp: Tmp,
    db: PathBuf,
}

fn bin() -> Command {
    let mut c = target::cspulse();
    // English messages. Under Wine the locale also decides how the arguments reach the
    // Windows program: one that is not installed (Debian has only C.UTF-8 by default) turns
    // `Verlängerung` into something else, so there the always-present C.UTF-8 is used (also
    // English; on Windows itself arguments are UTF-16 and arrive as typed)
    let locale = if std::env::var_os("CSPULSE_BIN_RUNNER").is_some() {
        "C.UTF-8"
    } else {
        "en_US.UTF-8"
    };
    c.env_remove("CSPULSE_DB")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .env("LC_ALL", locale);
    c
}

fn run(mut c: Command) -> Out {
    // Under Wine (`CSPULSE_BIN_RUNNER`), a process whose connection to the wineserver broke
    // ("wine client error: … Connection reset by peer": Wine's failure, not cspulse's; seen
    // once, in two tests of one run on a busy machine) is started again, up to twice; so is
    // one that ended non-zero without a word on stdout or stderr (seen once under Wine, exit
    // 1; the same test passed when run again): cspulse never fails silently, every error it
    // ends with is printed
    let under_runner = std::env::var_os("CSPULSE_BIN_RUNNER").is_some();
    let mut tries = 0;
    loop {
        let o = c.output().unwrap();
        let out = Out {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        };
        tries += 1;
        let silent = out.stdout.trim().is_empty() && out.stderr.trim().is_empty();
        let runner_failed = out.stderr.contains("wine client error") || (under_runner && silent);
        if out.code == 0 || tries == 3 || !runner_failed {
            return out;
        }
    }
}

impl Cli {
    fn new() -> Cli {
        let tmp = Tmp::new();
        let db = tmp.db();
        Cli { tmp, db }
    }
    fn file(&self, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
        self.tmp.file(name, content)
    }
    fn run(&self, args: &[&str]) -> Out {
        let mut c = bin();
        c.arg("--db").arg(&self.db).args(args);
        run(c)
    }
    /// Runs, asserts exit 0, parses stdout as JSON.
    fn json(&self, args: &[&str]) -> Value {
        let o = self.run(args);
        assert_eq!(o.code, 0, "{args:?} succeeds; stderr: {}", o.stderr);
        o.json()
    }
    fn import(&self, name: &str, content: &str) -> Value {
        let p = self.file(name, content);
        self.json(&["import", p.to_str().unwrap(), "--json"])
    }
    fn batches(&self) -> Value {
        self.json(&["batches", "--json"])
    }
    fn company(&self) {
        self.import("accounts.csv", ACCOUNTS);
        self.import("umsatz.csv", REVENUE);
        self.import("nps.csv", SURVEYS);
    }
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn close(got: &Value, want: f64, what: &str) {
    let g = got
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: expected a number, got {got}"));
    assert!((g - want).abs() < 1e-9, "{what}: expected {want}, got {g}");
}

#[test]
fn import_json_lists_each_batch_with_mapping_counts_and_issues() {
    let cli = Cli::new();
    let v = cli.import(
        "umsatz.csv",
        "Kundennummer;Monat;Umsatz\nK-1;Okt 2026;1.200,00\nK-2;Okt 2026;n/a\nK-3;Okt 2026;80\n",
    );
    let batches = v["batches"].as_array().expect("a `batches` array");
    assert_eq!(batches.len(), 1);
    let b = &batches[0];
    assert!(b["batch_id"].is_i64(), "batch_id is a number: {b}");
    assert_eq!(b["file"], "umsatz.csv");
    assert!(b["sheet"].is_null(), "a CSV has no sheet");
    assert_eq!(b["kind"], "revenue");
    assert_eq!(b["mapping"]["account_id"], "Kundennummer");
    assert_eq!(b["mapping"]["month"], "Monat");
    assert_eq!(b["mapping"]["mrr"], "Umsatz");
    assert_eq!(b["rows_imported"], 2);
    assert_eq!(b["rows_skipped"], 1);
    let issues = b["issues"].as_array().expect("an `issues` array");
    assert_eq!(issues.len(), 1);
    let i = &issues[0];
    assert!(
        i.get("sheet").is_some(),
        "an issue has a sheet key (null for CSV): {i}"
    );
    assert_eq!(i["row"], 3, "the line of K-2");
    assert_eq!(i["column"], "Umsatz");
    assert_eq!(i["value"], "n/a");
    assert_eq!(i["reason"], "not a number");
}

#[test]
fn import_json_names_the_built_in_profile_and_how_a_tools_export_was_read() {
    let cli = Cli::new();
    let ga4 = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/tools/ga4/GA4_exploration_pages.csv");
    let v = cli.json(&["import", path_str(&ga4), "--json"]);
    let b = &v["batches"][0];
    assert_eq!(b["kind"], "campaigns");
    assert_eq!(b["profile"], "GA4 pages and screens");
    assert_eq!(b["header_row"], 10);
    assert_eq!(b["mapping"]["channel"], "= web");
    assert_eq!(b["mapping"]["bounces"], "Bounce rate × Sessions");
    let comments = b["passed_over"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["what"] == "comment")
        .count();
    assert_eq!(comments, 9, "{b}");
    assert!(
        b["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["what"] == "rate" && n["field"] == "duration_seconds"),
        "{b}"
    );
    // a field no column holds, said once: saved with the file's profile
    let news = cli.file(
        "news.csv",
        "date,campaign,delivered,opened\n2026-10-06,Update,1000,400\n",
    );
    let v = cli.json(&[
        "import",
        path_str(&news),
        "--set",
        "channel=email",
        "--json",
    ]);
    assert_eq!(v["batches"][0]["mapping"]["channel"], "= email");
    assert_eq!(v["profile_saved"], "news");
    let o = cli.run(&[
        "import",
        path_str(&news),
        "--set",
        "colour=blue",
        "--replace",
    ]);
    assert_eq!(o.code, 2, "{}", o.stderr);
}

#[test]
fn import_without_json_prints_a_summary_and_the_skipped_rows() {
    let cli = Cli::new();
    let p = cli.file(
        "umsatz.csv",
        "account_id,month,mrr\nA,2026-10,1\nB,2026-10,n/a\n",
    );
    let o = cli.run(&["import", path_str(&p)]);
    assert_eq!(o.code, 0, "skipped rows are not a failure: {}", o.stderr);
    assert!(
        o.stdout.contains("1 rows imported, 1 skipped"),
        "{}",
        o.stdout
    );
    assert!(
        o.stdout.contains("row 3") && o.stdout.contains("not a number"),
        "{}",
        o.stdout
    );
}

#[test]
fn batches_json_lists_the_lineage_of_every_batch() {
    let cli = Cli::new();
    cli.company();
    let v = cli.batches();
    let list = v.as_array().expect("an array of batches");
    assert_eq!(list.len(), 3);
    let kinds: Vec<&str> = list.iter().map(|b| b["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        vec!["accounts", "revenue", "surveys"],
        "in import order"
    );
    for b in list {
        for key in [
            "batch_id",
            "file",
            "sheet",
            "kind",
            "rows_imported",
            "rows_skipped",
            "sha256",
            "imported_at",
        ] {
            assert!(b.get(key).is_some(), "batch has `{key}`: {b}");
        }
        assert_eq!(b["sha256"].as_str().unwrap().len(), 64, "a hex SHA-256");
        assert!(
            b["imported_at"].as_str().unwrap().starts_with("20"),
            "an ISO timestamp: {}",
            b["imported_at"]
        );
    }
    assert_eq!(list[1]["file"], "umsatz.csv");
    assert_eq!(list[1]["rows_imported"], 5);
}

#[test]
fn reimporting_a_file_exits_3_and_changes_nothing_until_replace() {
    let cli = Cli::new();
    let first = cli.import("umsatz.csv", REVENUE);
    let before = cli.batches();
    let p = cli.tmp.path("umsatz.csv");
    let o = cli.run(&["import", path_str(&p), "--json"]);
    let msg = o.assert_fails(3, "re-import");
    assert!(
        msg.contains("already imported") && msg.contains("--replace"),
        "says what to do: {msg}"
    );
    assert!(
        o.stdout.trim().is_empty(),
        "nothing on stdout: {}",
        o.stdout
    );
    assert_eq!(cli.batches(), before, "nothing changed");

    let replaced = cli.json(&["import", path_str(&p), "--replace", "--json"]);
    let after = cli.batches();
    assert_eq!(after.as_array().unwrap().len(), 1, "still one batch");
    assert_eq!(
        after[0]["batch_id"], replaced["batches"][0]["batch_id"],
        "the listed batch is the new one"
    );
    assert_eq!(after[0]["rows_imported"], 5, "same rows as before");
    assert_ne!(after[0]["imported_at"], Value::Null);
    assert_eq!(
        first["batches"][0]["sha256"], after[0]["sha256"],
        "same file, same hash"
    );
    let kpis = cli.json(&["kpis", "--json"]);
    close(
        &kpis["kpis"]["mrr"]["value"],
        320.0,
        "rows are not doubled by --replace",
    );
}

#[test]
fn replace_and_undo_never_hand_out_an_earlier_batch_id_again() {
    // A script that noted "batch 1" must not undo someone else's import later.
    let cli = Cli::new();
    let first = cli.import("umsatz.csv", REVENUE);
    let p = cli.tmp.path("umsatz.csv");
    let replaced = cli.json(&["import", path_str(&p), "--replace", "--json"]);
    assert_ne!(
        replaced["batches"][0]["batch_id"], first["batches"][0]["batch_id"],
        "the replacing batch has a new id"
    );
    let id = replaced["batches"][0]["batch_id"].as_i64().unwrap();
    assert_eq!(cli.run(&["undo", &id.to_string()]).code, 0);
    let next = cli.import("nps.csv", SURVEYS);
    assert_ne!(
        next["batches"][0]["batch_id"], id,
        "an undone batch's id is not reused"
    );
}

#[test]
fn undo_hides_one_batch_and_an_unknown_batch_exits_2() {
    let cli = Cli::new();
    cli.company();
    let before = cli.batches();
    let id = before[1]["batch_id"].as_i64().unwrap();
    let o = cli.run(&["undo", &id.to_string()]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout.contains(&format!("undid batch {id}")),
        "{}",
        o.stdout
    );
    let after = cli.batches();
    let kinds: Vec<&str> = after
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        vec!["accounts", "surveys"],
        "only the revenue batch is gone"
    );
    let kpis = cli.json(&["kpis", "--month", "2026-10", "--json"]);
    assert_eq!(
        kpis["kpis"]["nps"]["value"], 25.0,
        "the surveys batch still counts"
    );

    let o = cli.run(&["undo", &id.to_string()]);
    let msg = o.assert_fails(2, "undo of a removed batch");
    assert!(msg.contains("cspulse batches"), "points to the list: {msg}");
    assert_eq!(cli.batches(), after, "a failed undo changes nothing");
}

#[test]
fn unusable_input_exits_2_with_one_plain_line_and_writes_nothing() {
    let cli = Cli::new();
    cli.import("umsatz.csv", REVENUE);
    let before = cli.batches();
    let png = cli.file(
        "logo.png",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0",
    );
    let random = cli.file(
        "data.csv",
        (0..4096u32)
            .map(|i| (i * 7919 % 251) as u8)
            .collect::<Vec<u8>>(),
    );
    let empty = cli.file("leer.csv", "");
    let no_month = cli.file("ohne-monat.csv", "Kundennummer;Umsatz\nK-1;100\n");
    let good = cli.file("neu.csv", "account_id,month,mrr\nZ,2026-10,1\n");
    let missing = cli.tmp.path("gibt-es-nicht.csv");
    let cases: Vec<(Vec<&str>, &str, &str)> = vec![
        (
            vec!["import", path_str(&missing)],
            "gibt-es-nicht.csv",
            "missing file",
        ),
        (vec!["import", path_str(&png)], "logo.png", "a PNG"),
        (
            vec!["import", path_str(&random)],
            "data.csv",
            "random bytes",
        ),
        (
            vec!["import", path_str(&empty)],
            "leer.csv",
            "an empty file",
        ),
        (
            vec!["import", path_str(&good), "--kind", "customers"],
            "customers",
            "unknown --kind",
        ),
        (
            vec!["import", path_str(&no_month), "--kind", "revenue"],
            "month",
            "missing required column",
        ),
        (
            vec!["import", path_str(&good), "--map", "account_id"],
            "FIELD=COLUMN",
            "--map without =",
        ),
        (
            vec!["import", path_str(&good), "--map", "konto=account_id"],
            "konto",
            "--map with an unknown field",
        ),
        (
            vec!["import", path_str(&good), "--map", "mrr=Betrag"],
            "Betrag",
            "--map with an unknown column",
        ),
        (vec!["kpis", "--month", "2026-13"], "2026-13", "month 13"),
        (
            vec!["scores", "--month", "Oktober"],
            "Oktober",
            "a month name",
        ),
    ];
    for (args, mentions, what) in cases {
        let o = cli.run(&args);
        let msg = o.assert_fails(2, what);
        assert!(
            msg.contains(mentions),
            "{what}: the message names `{mentions}`: {msg}"
        );
        assert_eq!(cli.batches(), before, "{what}: nothing was written");
    }
}

#[test]
fn lang_de_gives_german_messages() {
    let cli = Cli::new();
    let missing = cli.tmp.path("fehlt.csv");
    let o = cli.run(&["--lang", "de", "import", path_str(&missing)]);
    let msg = o.assert_fails(2, "missing file in German");
    assert!(msg.contains("fehlt.csv existiert nicht"), "German: {msg}");

    let p = cli.file("umsatz.csv", REVENUE);
    cli.run(&["import", path_str(&p)]);
    let o = cli.run(&["import", path_str(&p), "--lang", "de"]);
    let msg = o.assert_fails(3, "re-import in German");
    assert!(msg.contains("wurde bereits importiert"), "German: {msg}");

    let o = cli.run(&["--lang", "de", "kpis", "--month", "2026-13"]);
    assert!(o.assert_fails(2, "bad month").contains("ist kein Monat"));

    let p = cli.file("k.csv", "account_id,seats\nA,-1\nB,2\n");
    let o = cli.run(&["--lang", "de", "import", path_str(&p)]);
    assert_eq!(o.code, 0);
    assert!(
        o.stdout.contains("Zeile 2") && o.stdout.contains("außerhalb des zulässigen Bereichs"),
        "{}",
        o.stdout
    );

    cli.run(&["settings", "language", "de"]);
    let o = cli.run(&["undo", "999"]);
    assert!(
        o.assert_fails(2, "the language setting")
            .contains("Es gibt keinen Import"),
        "the setting is used"
    );
    let o = cli.run(&["--lang", "en", "undo", "999"]);
    assert!(
        o.assert_fails(2, "--lang wins")
            .contains("There is no import"),
        "--lang beats the setting"
    );
}

#[test]
fn kpis_json_has_a_month_and_every_kpi_with_value_status_and_needs() {
    let cli = Cli::new();
    cli.import("umsatz.csv", REVENUE);
    let v = cli.json(&["kpis", "--json"]);
    assert_eq!(
        v["month"], "2026-10",
        "the latest month with data by default"
    );
    let kpis = v["kpis"]
        .as_object()
        .expect("kpis is an object keyed by id");
    assert!(
        kpis.len() > 40,
        "all KPIs of kpis.md are there: {}",
        kpis.len()
    );
    for (id, k) in kpis {
        let status = k["status"]
            .as_str()
            .unwrap_or_else(|| panic!("{id} has a status"));
        assert!(k.get("value").is_some(), "{id} has a value key");
        match status {
            "ok" => assert!(k["value"].is_number(), "{id} ok has a number"),
            "no_data" => {
                assert!(k["value"].is_null(), "{id} no_data has no value");
                assert!(
                    !k["needs"].as_array().unwrap().is_empty(),
                    "{id} says what it needs"
                );
            }
            "undefined" => assert!(k["value"].is_null(), "{id} undefined has no value"),
            other => panic!("{id}: unknown status {other}"),
        }
    }
    assert_eq!(kpis["mrr"]["status"], "ok");
    assert_eq!(
        kpis["fcr"]["status"], "no_data",
        "no tickets: fcr is no_data, not 0"
    );
    assert!(
        kpis["fcr"]["needs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n == "tickets"),
        "{}",
        kpis["fcr"]
    );
    assert!(
        kpis["nps"]["needs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n == "surveys"),
        "{}",
        kpis["nps"]
    );

    let v = cli.json(&["kpis", "--month", "2026-03", "--json"]);
    assert_eq!(v["month"], "2026-03");
    assert_eq!(
        v["kpis"]["mrr"]["status"], "no_data",
        "a month before the data is no_data, not 0"
    );
}

#[test]
fn kpis_and_scores_on_an_empty_database_say_there_is_no_data() {
    let cli = Cli::new();
    for cmd in ["kpis", "scores"] {
        let o = cli.run(&[cmd]);
        assert_eq!(o.code, 0, "{cmd} on an empty database is not an error");
        assert!(o.stdout.contains("No data yet"), "{cmd}: {}", o.stdout);
    }
}

#[test]
fn scores_json_has_company_scores_and_every_account_with_six_components() {
    let cli = Cli::new();
    cli.company();
    let v = cli.json(&["scores", "--json"]);
    assert_eq!(v["month"], "2026-10");
    assert!(v.get("cs_score").is_some() && v.get("cs_score_unweighted").is_some());
    let accounts = v["accounts"].as_array().unwrap();
    let ids: Vec<&str> = accounts
        .iter()
        .map(|a| a["account_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec!["A", "B"], "accounts active in October; C churned");
    for a in accounts {
        for key in [
            "account_id",
            "name",
            "score",
            "light",
            "previous_light",
            "components",
        ] {
            assert!(a.get(key).is_some(), "account has `{key}`: {a}");
        }
        let c = a["components"].as_object().unwrap();
        for key in [
            "usage",
            "adoption",
            "sentiment",
            "engagement",
            "satisfaction",
            "account_health",
        ] {
            assert!(c.contains_key(key), "components has `{key}`: {a}");
        }
    }
    assert_eq!(accounts[0]["name"], "Alpha GmbH");
    // A: sentiment (100+100)/2 = 100, account_health 100 → 100, green.
    // B: nps (0−1)/2×100 = −50 → sentiment 25; health 100 → (25×20 + 100×10)/30 = 50, yellow.
    close(&accounts[0]["score"], 100.0, "A's score");
    assert_eq!(accounts[0]["light"], "green");
    close(
        &accounts[1]["components"]["sentiment"],
        25.0,
        "B's sentiment",
    );
    close(&accounts[1]["score"], 50.0, "B's score");
    assert_eq!(accounts[1]["light"], "yellow");
    assert!(
        accounts[1]["components"]["usage"].is_null(),
        "no usage data: null, not 0"
    );
    assert!(
        accounts[1]["previous_light"].is_null(),
        "one component in September: no light"
    );
    // company: MRR-weighted (100×120 + 50×200)/320 = 68.75, unweighted 75
    close(&v["cs_score"], 68.75, "cs_score");
    close(&v["cs_score_unweighted"], 75.0, "cs_score_unweighted");
}

#[test]
fn a_hand_made_company_gives_hand_checked_kpis() {
    let cli = Cli::new();
    cli.company();
    let v = cli.json(&["kpis", "--month", "2026-10", "--json"]);
    let k = &v["kpis"];
    close(&k["mrr"]["value"], 320.0, "mrr = 120 + 200");
    close(
        &k["customers"]["value"],
        2.0,
        "A and B are active; C churned",
    );
    close(&k["customers_churned"]["value"], 1.0, "C");
    close(&k["mrr_churned"]["value"], 50.0, "C's September MRR");
    close(&k["mrr_expansion"]["value"], 20.0, "A grew by 20");
    close(&k["logo_churn_rate"]["value"], 100.0 / 3.0, "1 of 3");
    close(
        &k["ndr"]["value"],
        (350.0 + 20.0 - 50.0) / 350.0 * 100.0,
        "ndr",
    );
    close(&k["arpa"]["value"], 160.0, "320 / 2");
    close(
        &k["nps"]["value"],
        25.0,
        "(2 promoters − 1 detractor) / 4 × 100",
    );
    close(&k["nps_responses"]["value"], 4.0, "four answers");
    let sept = cli.json(&["kpis", "--month", "2026-09", "--json"]);
    close(
        &sept["kpis"]["mrr"]["value"],
        350.0,
        "September mrr = 100 + 200 + 50",
    );
    assert_eq!(
        sept["kpis"]["nps"]["status"], "no_data",
        "the surveys start in October"
    );
}

#[test]
fn settings_can_be_shown_set_read_and_reset() {
    let cli = Cli::new();
    let all = cli.json(&["settings", "--json"]);
    assert_eq!(all["gross_margin"], "1", "default gross margin");
    assert_eq!(all["threshold.green"], "70");
    assert!(all.get("weight.usage").is_some() && all.get("language").is_some());

    let o = cli.run(&["settings", "gross_margin", "0.8"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let o = cli.run(&["settings", "gross_margin"]);
    assert_eq!(
        (o.code, o.stdout.trim()),
        (0, "0.8"),
        "get prints the value alone"
    );

    let o = cli.run(&["settings", "gross_margin", "80"]);
    let msg = o.assert_fails(2, "gross margin 80");
    assert!(msg.contains("80") && msg.contains("gross_margin"), "{msg}");
    let o = cli.run(&["settings", "weight.usage", "viel"]);
    o.assert_fails(2, "a weight that is not a number");
    let o = cli.run(&["settings", "farbe", "blau"]);
    assert!(o.assert_fails(2, "unknown key").contains("farbe"));
    let o = cli.run(&["settings", "farbe"]);
    o.assert_fails(2, "get of an unknown key");
    assert_eq!(
        cli.run(&["settings", "gross_margin"]).stdout.trim(),
        "0.8",
        "bad values changed nothing"
    );

    let o = cli.run(&["settings", "--reset"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(
        cli.json(&["settings", "--json"])["gross_margin"],
        "1",
        "reset restores the default"
    );
}

#[test]
fn a_setting_changes_the_numbers() {
    let cli = Cli::new();
    cli.company();
    cli.run(&["settings", "threshold.green", "100"]);
    cli.run(&["settings", "threshold.yellow", "60"]);
    let v = cli.json(&["scores", "--json"]);
    assert_eq!(
        v["accounts"][0]["light"], "green",
        "A at 100 is still green"
    );
    assert_eq!(v["accounts"][1]["light"], "red", "B at 50 is red below 60");
}

#[test]
fn demo_then_kpis_gives_numbers() {
    let cli = Cli::new();
    let o = cli.run(&["demo"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("11 datasets"), "{}", o.stdout);
    let batches = cli.batches();
    assert_eq!(batches.as_array().unwrap().len(), 11, "one batch per kind");
    let v = cli.json(&["kpis", "--json"]);
    assert_eq!(v["month"], "2026-10");
    let kpis = v["kpis"].as_object().unwrap();
    let ok = kpis.values().filter(|k| k["status"] == "ok").count();
    assert!(
        ok * 10 >= kpis.len() * 9,
        "nearly every KPI has a number: {ok} of {}",
        kpis.len()
    );
    assert!(kpis["mrr"]["value"].as_f64().unwrap() > 0.0);
    let s = cli.json(&["scores", "--json"]);
    let cs = s["cs_score"].as_f64().expect("a company CS score");
    assert!((0.0..=100.0).contains(&cs), "cs_score {cs}");
}

#[test]
fn the_cspulse_db_variable_is_honoured_like_db() {
    let cli = Cli::new();
    let p = cli.file("umsatz.csv", REVENUE);
    let env_db = cli.tmp.path("aus-der-umgebung.db");
    let mut c = bin();
    c.env("CSPULSE_DB", &env_db)
        .args(["import", path_str(&p), "--json"]);
    let o = run(c);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        env_db.exists(),
        "the database named by CSPULSE_DB was created"
    );
    let mut c = bin();
    c.arg("--db").arg(&env_db).args(["batches", "--json"]);
    let listed = run(c).json();
    assert_eq!(
        listed.as_array().unwrap().len(),
        1,
        "the import went to the CSPULSE_DB database"
    );
    assert!(!cli.db.exists(), "nothing went anywhere else");

    let mut c = bin();
    c.env("CSPULSE_DB", &env_db)
        .arg("--db")
        .arg(&cli.db)
        .args(["batches", "--json"]);
    assert_eq!(
        run(c).json().as_array().unwrap().len(),
        0,
        "--db wins over CSPULSE_DB"
    );
}

#[test]
fn a_file_that_is_not_a_database_is_refused_and_left_alone() {
    let cli = Cli::new();
    let notes = cli.file(
        "notizen.db",
        "Das ist keine Datenbank, sondern eine Notiz.\n".repeat(50),
    );
    let before = std::fs::read(&notes).unwrap();
    let mut c = bin();
    c.arg("--db").arg(&notes).arg("batches");
    let o = run(c);
    let msg = o.assert_fails(2, "a text file as database");
    assert!(msg.contains("cannot be used"), "{msg}");
    assert!(
        std::fs::read(&notes).unwrap() == before,
        "the file is unchanged"
    );
}

#[test]
fn an_xlsx_import_reports_sheet_and_excel_row() {
    let cli = Cli::new();
    let p = cli.file("kunden.xlsx", minimal_xlsx());
    let v = cli.json(&["import", path_str(&p), "--json"]);
    let b = &v["batches"][0];
    assert_eq!(b["sheet"], "Kunden");
    assert_eq!(b["kind"], "accounts");
    assert_eq!(b["rows_imported"], 1);
    assert_eq!(b["issues"][0]["sheet"], "Kunden");
    assert_eq!(
        b["issues"][0]["row"], 4,
        "Excel row 4 below a title row and the header"
    );
    assert_eq!(b["issues"][0]["column"], "Lizenzen");
    let before = cli.batches();
    let o = cli.run(&["import", path_str(&p), "--sheet", "Umsatz", "--replace"]);
    assert!(
        o.assert_fails(2, "unknown sheet").contains("Kunden"),
        "lists the sheets"
    );
    assert_eq!(
        cli.batches(),
        before,
        "a failed --replace keeps the earlier batch"
    );
}

/// A one-sheet workbook "Kunden": title in A1, header in row 2, data in rows 3 and 4
/// (row 4 has "viele" licences). Written by hand as the smallest valid .xlsx (stored zip).
fn minimal_xlsx() -> Vec<u8> {
    let sheet = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>Kundenliste</t></is></c></row>
<row r="2"><c r="A2" t="inlineStr"><is><t>Kundennummer</t></is></c><c r="B2" t="inlineStr"><is><t>Lizenzen</t></is></c></row>
<row r="3"><c r="A3" t="inlineStr"><is><t>K-1</t></is></c><c r="B3"><v>12</v></c></row>
<row r="4"><c r="A4" t="inlineStr"><is><t>K-2</t></is></c><c r="B4" t="inlineStr"><is><t>viele</t></is></c></row>
</sheetData></worksheet>"#;
    one_sheet_xlsx("Kunden", sheet)
}

/// A workbook with one sheet called `name` whose XML is `sheet` (stored zip).
fn one_sheet_xlsx(name: &str, sheet: &str) -> Vec<u8> {
    let workbook = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>"#
    );
    let files: [(&str, &str); 5] = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        ("xl/workbook.xml", &workbook),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    stored_zip(&files)
}

/// A zip archive with every entry stored (no compression).
fn stored_zip(files: &[(&str, &str)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, content) in files {
        let data = content.as_bytes();
        let crc = crc32(data);
        let offset = out.len() as u32;
        let header = |sig: u32, central: bool| {
            let mut h = Vec::new();
            h.extend_from_slice(&sig.to_le_bytes());
            if central {
                h.extend_from_slice(&20u16.to_le_bytes()); // made by
            }
            h.extend_from_slice(&20u16.to_le_bytes()); // version needed
            h.extend_from_slice(&0u16.to_le_bytes()); // flags
            h.extend_from_slice(&0u16.to_le_bytes()); // stored
            h.extend_from_slice(&0u32.to_le_bytes()); // time, date
            h.extend_from_slice(&crc.to_le_bytes());
            h.extend_from_slice(&(data.len() as u32).to_le_bytes());
            h.extend_from_slice(&(data.len() as u32).to_le_bytes());
            h.extend_from_slice(&(name.len() as u16).to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes()); // extra
            if central {
                h.extend_from_slice(&[0; 6]); // comment len, disk, internal attrs
                h.extend_from_slice(&0u32.to_le_bytes()); // external attrs
                h.extend_from_slice(&offset.to_le_bytes());
            }
            h.extend_from_slice(name.as_bytes());
            h
        };
        out.extend(header(0x0403_4b50, false));
        out.extend_from_slice(data);
        central.extend(header(0x0201_4b50, true));
    }
    let cd_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

// ---------------------------------------------------------------------------------------
// The streaming import through the CLI: workbooks in a limited child process, hostile
// files, the date-order question.

/// The database file and its WAL/SHM companions that exist.
fn db_files(cli: &Cli) -> Vec<PathBuf> {
    ["", "-wal", "-shm"]
        .iter()
        .map(|s| PathBuf::from(format!("{}{s}", cli.db.display())))
        .filter(|p| p.exists())
        .collect()
}

/// An accounts sheet with `rows` records below the header (inline strings).
fn accounts_sheet_xml(rows: u32) -> String {
    let mut s = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>account_id</t></is></c><c r="B1" t="inlineStr"><is><t>name</t></is></c><c r="C1" t="inlineStr"><is><t>seats</t></is></c></row>
"#,
    );
    for i in 0..rows {
        let r = i + 2;
        s.push_str(&format!(
            r#"<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>K-{i}</t></is></c><c r="B{r}" t="inlineStr"><is><t>Firma {i}</t></is></c><c r="C{r}"><v>{}</v></c></row>
"#,
            i % 40
        ));
    }
    s.push_str("</sheetData></worksheet>");
    s
}

#[test]
fn a_truncated_workbook_fails_with_one_line_and_leaves_no_database_behind() {
    let cli = Cli::new();
    let full = one_sheet_xlsx("Kunden", &accounts_sheet_xml(300));
    let p = cli.file("kunden.xlsx", &full[..full.len() / 2]);
    assert!(!cli.db.exists());
    let o = cli.run(&["import", path_str(&p)]);
    let msg = o.assert_fails(2, "a truncated workbook");
    assert!(msg.contains("kunden.xlsx"), "names the file: {msg}");
    assert!(msg.contains("damaged"), "{msg}");
    assert_eq!(
        db_files(&cli),
        Vec::<PathBuf>::new(),
        "no database left behind"
    );

    // into an existing database: refused, nothing added
    cli.import("accounts.csv", ACCOUNTS);
    let before = cli.batches();
    let o = cli.run(&["import", path_str(&p), "--json"]);
    o.assert_fails(2, "a truncated workbook into an existing database");
    assert_eq!(cli.batches(), before);
    assert!(cli.db.exists(), "an existing database is kept");
}

/// Imports `p` with the worker's memory limit set to `mb`.
fn import_limited(cli: &Cli, p: &Path, mb: &str) -> Out {
    let mut c = bin();
    c.env("CSPULSE_IMPORT_MEMORY_MB", mb)
        .env_remove("MALLOC_ARENA_MAX")
        .arg("--db")
        .arg(&cli.db)
        .args(["import", path_str(p), "--json"]);
    run(c)
}

#[test]
fn a_workbook_is_read_by_a_memory_limited_worker_that_never_crashes_or_half_writes() {
    let cli = Cli::new();
    let p = cli.file(
        "kunden.xlsx",
        one_sheet_xlsx("Kunden", &accounts_sheet_xml(3_000)),
    );
    let o = import_limited(&cli, &p, "64");
    assert!(
        (0..128).contains(&o.code),
        "an exit code, not a crash: {} ({})",
        o.code,
        o.stderr
    );
    if o.code == 0 {
        let v = o.json();
        assert_eq!(v["batches"][0]["rows_imported"], 3_000);
        let b = cli.batches();
        assert_eq!(b.as_array().map(Vec::len), Some(1));
        assert_eq!(b[0]["rows_imported"], 3_000, "the whole batch");
    } else {
        assert_eq!(o.code, 2, "{}", o.stderr);
        let last = o.stderr.trim_end().lines().last().unwrap_or_default();
        assert!(last.starts_with("cspulse: "), "{}", o.stderr);
        assert!(last.contains("more memory than allowed"), "{last}");
        assert_eq!(
            db_files(&cli),
            Vec::<PathBuf>::new(),
            "no half batch, no database"
        );
    }

    // a limit no reader can live with: the worker dies, the parent explains (so the
    // workbook did go through the worker), nothing stays
    let cli = Cli::new();
    let p = cli.file("kunden.xlsx", minimal_xlsx());
    let o = import_limited(&cli, &p, "1");
    assert_eq!(o.code, 2, "{}", o.stderr);
    let last = o.stderr.trim_end().lines().last().unwrap_or_default();
    assert!(last.contains("more memory than allowed"), "{}", o.stderr);
    assert_eq!(
        db_files(&cli),
        Vec::<PathBuf>::new(),
        "no database left behind"
    );
}

#[test]
fn a_worker_out_of_memory_is_reported_in_one_plain_line() {
    let cli = Cli::new();
    let p = cli.file("kunden.xlsx", minimal_xlsx());
    let o = import_limited(&cli, &p, "1");
    let msg = o.assert_fails(2, "a worker without memory");
    assert!(msg.contains("more memory than allowed"), "{msg}");
}

#[test]
fn a_30k_row_workbook_fits_a_64_mb_worker() {
    let cli = Cli::new();
    let p = cli.file(
        "kunden.xlsx",
        one_sheet_xlsx("Kunden", &accounts_sheet_xml(30_000)),
    );
    let o = import_limited(&cli, &p, "64");
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.json()["batches"][0]["rows_imported"], 30_000);
}

#[test]
fn ambiguous_dates_print_the_assumption_and_date_order_dmy_reads_day_first() {
    let csv = "account_id,name,start_date\nA,Alpha,03/04/2026\nB,Beta,05/06/2026\n";

    let cli = Cli::new();
    let p = cli.file("kunden.csv", csv);
    let o = cli.run(&["import", path_str(&p)]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let line = o
        .stdout
        .lines()
        .find(|l| l.contains("fit both orders"))
        .unwrap_or_else(|| panic!("an assumption line in:\n{}", o.stdout));
    assert!(line.contains("start_date"), "{line}");
    assert!(line.contains("03/04/2026"), "{line}");
    assert!(line.contains("month first"), "{line}");
    assert!(line.contains("--date-order dmy"), "{line}");

    let v = cli.json(&["import", path_str(&p), "--replace", "--json"]);
    let a = &v["batches"][0]["assumptions"];
    assert_eq!(a.as_array().map(Vec::len), Some(1), "{v}");
    assert_eq!(a[0]["question"], "date_order");
    assert_eq!(a[0]["column"], "start_date");
    assert_eq!(a[0]["assumed"], "month_first");
    assert_eq!(a[0]["example"], "03/04/2026");

    let v = cli.json(&[
        "import",
        path_str(&p),
        "--replace",
        "--date-order",
        "dmy",
        "--json",
    ]);
    assert_eq!(v["batches"][0]["assumptions"], serde_json::json!([]), "{v}");
    assert_eq!(v["batches"][0]["rows_imported"], 2);
    let store = cspulse_engine::store::Store::open(&cli.db).unwrap();
    let d = store.load_all().unwrap();
    let a = d.accounts.iter().find(|a| a.account_id == "A").unwrap();
    assert_eq!(
        a.start_date.map(|d| d.to_string()).as_deref(),
        Some("2026-04-03"),
        "read day first"
    );

    let o = cli.run(&["import", path_str(&p), "--replace", "--date-order", "ymd"]);
    assert_eq!(o.code, 2, "an unknown order is refused: {}", o.stderr);
}

#[test]
fn report_writes_the_workbook_in_the_chosen_language_and_fails_plainly() {
    let cli = Cli::new();
    // nothing to report on yet: exit 2, nothing written
    let out = cli.tmp.path("board.xlsx");
    let o = cli.run(&["report", "--out", path_str(&out)]);
    o.assert_fails(2, "report on an empty database");
    assert!(!out.exists());

    cli.company();
    let v = cli.json(&["--lang", "de", "report", "--out", path_str(&out), "--json"]);
    assert_eq!(v["month"], "2026-10");
    assert_eq!(v["lang"], "de");
    assert_eq!(v["sheets"][0], "Übersicht");
    // nine, plus Segments, Renewals and Score check (insights.md)
    assert_eq!(v["sheets"].as_array().unwrap().len(), 12);
    assert_eq!(v["sheets"][5], "Segmente");
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"PK"), "an xlsx (zip) file");
    assert_eq!(v["bytes"].as_u64(), Some(bytes.len() as u64));
    let leftovers: Vec<_> = std::fs::read_dir(cli.tmp.dir())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary file left behind");

    let o = cli.run(&[
        "--lang",
        "en",
        "report",
        "--month",
        "2026-10",
        "--out",
        path_str(&out),
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout.contains("board report for 2026-10"),
        "{}",
        o.stdout
    );
    assert!(std::fs::read(&out).unwrap() != bytes, "English now");

    let missing = cli.tmp.path("nope").join("board.xlsx");
    let msg = cli
        .run(&["report", "--out", path_str(&missing)])
        .assert_fails(2, "a folder that does not exist")
        .to_owned();
    assert!(msg.contains("does not exist"), "{msg}");
    assert!(!missing.exists());
    cli.run(&["report", "--month", "2026-13", "--out", path_str(&out)])
        .assert_fails(2, "a bad month");
}
