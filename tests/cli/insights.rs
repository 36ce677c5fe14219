//! `insights.md` through the CLI: `kpis --by`, `backtest`, `scores --with`, `renewals`,
//! `notes` — their JSON shapes, refusals (exit 2, one plain line) and that a preview
//! writes nothing.

use super::*;

fn demo() -> Cli {
    let cli = Cli::new();
    assert_eq!(cli.run(&["demo"]).code, 0);
    cli
}

#[test]
fn kpis_by_segment_gives_groups_whose_mrr_adds_up() {
    let cli = demo();
    let v = cli.json(&["kpis", "--month", "2026-10", "--by", "segment", "--json"]);
    assert_eq!(
        (v["month"].as_str(), v["by"].as_str()),
        (Some("2026-10"), Some("segment"))
    );
    let groups = v["groups"].as_array().unwrap();
    assert!(groups.len() >= 2);
    let company = cli.json(&["kpis", "--month", "2026-10", "--json"]);
    let total = company["kpis"]["mrr"]["value"].as_f64().unwrap();
    let mut sum = 0.0;
    let mut last = f64::INFINITY;
    for g in groups {
        assert!(g["key"].is_string() && g["accounts"].as_u64().unwrap() > 0);
        let mrr = g["kpis"]["mrr"]["value"].as_f64().unwrap();
        assert!(mrr <= last, "sorted by mrr descending");
        last = mrr;
        sum += mrr;
        assert!(g["kpis"]["cs_score"]["status"].is_string());
        assert!(
            g["kpis"].get("cac").is_none(),
            "company-only KPIs are absent"
        );
    }
    assert!((sum - total).abs() < 1e-6 * total, "{sum} vs {total}");
    let o = cli.run(&["kpis", "--by", "colour"]);
    assert!(o
        .assert_fails(2, "--by colour")
        .contains("segment, owner, plan or region"));
}

#[test]
fn a_dimension_with_one_group_is_refused() {
    let cli = Cli::new();
    cli.company(); // no segment anywhere: one group "(none)"
    let o = cli.run(&["kpis", "--by", "segment", "--json"]);
    assert!(o
        .assert_fails(2, "one group")
        .contains("at least two groups"));
}

#[test]
fn backtest_json_has_lights_lift_auc_and_components() {
    let cli = demo();
    let v = cli.json(&["backtest", "--month", "2026-10", "--json"]);
    assert_eq!(v["horizon"], 3);
    assert_eq!(v["observation_months"].as_array().unwrap().len(), 12);
    assert!(["ok", "insufficient"].contains(&v["status"].as_str().unwrap()));
    for l in ["green", "yellow", "red"] {
        for f in [
            "observations",
            "churned",
            "churn_rate",
            "mrr",
            "mrr_churned",
            "revenue_churn_rate",
        ] {
            assert!(v["lights"][l].get(f).is_some(), "{l}.{f}");
        }
    }
    assert!(v.get("lift").is_some() && v.get("auc").is_some());
    assert_eq!(v["components"].as_object().unwrap().len(), 6);
    let six = cli.json(&["backtest", "--month", "2026-10", "--horizon", "6", "--json"]);
    assert_eq!(six["horizon"], 6);
    let both = cli.json(&["backtest", "--compare-methods", "--json"]);
    assert!(both["auc_by_method"].get("percentile").is_some());
    cli.run(&["backtest", "--horizon", "13"])
        .assert_fails(2, "horizon 13");
    cli.run(&["backtest", "--with", "weight.usage"])
        .assert_fails(2, "not KEY=VALUE");
    cli.run(&["backtest", "--with", "nope=1"])
        .assert_fails(2, "unknown key");
}

#[test]
fn scores_with_an_override_change_the_numbers_and_write_nothing() {
    let cli = demo();
    let files = || -> Vec<Vec<u8>> {
        // (the -shm file is SQLite's shared-memory index, rewritten by any reader)
        db_files(&cli)
            .iter()
            .filter(|p| !p.to_string_lossy().ends_with("-shm"))
            .map(|p| std::fs::read(p).unwrap())
            .collect()
    };
    let settings = cli.json(&["settings", "--json"]);
    let before = files();
    let plain = cli.json(&["scores", "--json"]);
    let tried = cli.json(&[
        "scores",
        "--with",
        "weight.usage=80",
        "--with",
        "threshold.green=90",
        "--json",
    ]);
    assert_ne!(plain["cs_score"], tried["cs_score"], "the override is used");
    let greens = |v: &Value| {
        v["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["light"] == "green")
            .count()
    };
    assert!(
        greens(&tried) < greens(&plain),
        "a higher green threshold: fewer greens"
    );
    cli.json(&["backtest", "--with", "weight.usage=80", "--json"]);
    assert_eq!(cli.json(&["settings", "--json"]), settings);
    assert!(
        files() == before,
        "the database files are byte-for-byte unchanged"
    );
    assert_eq!(
        cli.json(&["scores", "--json"])["cs_score"],
        plain["cs_score"]
    );
    cli.run(&["scores", "--with", "threshold.green=150"])
        .assert_fails(2, "bad value");
}

#[test]
fn renewals_json_lists_what_is_due_by_light() {
    let cli = demo();
    let v = cli.json(&["renewals", "--month", "2026-06", "--json"]);
    assert_eq!(
        (v["from"].as_str(), v["to"].as_str()),
        (Some("2026-07-01"), Some("2026-09-30"))
    );
    let mut count = 0;
    for l in ["green", "yellow", "red", "not_scored"] {
        count += v["lights"][l]["count"].as_u64().unwrap();
        assert!(v["lights"][l]["value"].is_number());
    }
    let list = v["renewals"].as_array().unwrap();
    assert_eq!(list.len() as u64, count);
    let dues: Vec<&str> = list
        .iter()
        .map(|r| r["due_date"].as_str().unwrap())
        .collect();
    let mut sorted = dues.clone();
    sorted.sort();
    assert_eq!(dues, sorted, "sorted by due date");
    for r in list {
        for f in [
            "account_id",
            "due_date",
            "value",
            "light",
            "score",
            "owner",
            "lever",
        ] {
            assert!(r.get(f).is_some(), "{f}");
        }
    }
    assert!(v.get("expected_value").is_some() && v["value_at_risk"].is_number());
}

#[test]
fn notes_are_set_listed_and_cleared() {
    let cli = demo();
    let set = |args: &[&str]| {
        let mut a = vec!["notes", "--month", "2026-10", "set"];
        a.extend_from_slice(args);
        a.push("--json");
        cli.json(&a)
    };
    set(&["summary", "=HYPERLINK(\"x\") churn is down"]);
    set(&["kpi:nps", "Survey wave was late"]);
    let v = set(&[
        "account:DEMO-10008",
        "Call the CFO",
        "--owner",
        "Lea",
        "--due",
        "2026-11-30",
    ]);
    let notes = v["notes"].as_array().unwrap();
    assert_eq!(notes.len(), 3);
    assert_eq!(notes[0]["key"], "account:DEMO-10008");
    assert_eq!(notes[0]["owner"], "Lea");
    assert_eq!(notes[0]["due_date"], "2026-11-30");
    assert_eq!(notes[2]["text"], "=HYPERLINK(\"x\") churn is down");
    let all = cli.json(&["notes", "--json"]);
    assert_eq!(all["notes"].as_array().unwrap().len(), 3);
    let v = cli.json(&["notes", "--month", "2026-10", "clear", "kpi:nps", "--json"]);
    assert_eq!(v["notes"].as_array().unwrap().len(), 2);
    assert_eq!(
        cli.json(&["notes", "--month", "2026-09", "--json"])["notes"],
        Value::Array(vec![])
    );
    let o = cli.run(&["notes", "--month", "2026-10", "set", "kpi:nope", "x"]);
    assert!(o.assert_fails(2, "unknown KPI").contains("is not a note"));
    // an action for an account no import holds: refused, the id named, nothing written
    let o = cli.run(&[
        "notes",
        "--month",
        "2026-10",
        "set",
        "account:K-10008",
        "Call the CFO",
    ]);
    assert!(o.assert_fails(2, "unknown account").contains("K-10008"));
    assert_eq!(
        cli.json(&["notes", "--json"])["notes"]
            .as_array()
            .unwrap()
            .len(),
        2,
        "the refused action was not added"
    );
    cli.run(&[
        "notes",
        "--month",
        "2026-10",
        "set",
        "account:A",
        "x",
        "--due",
        "30.11.2026",
    ])
    .assert_fails(2, "bad date");
    // an undo leaves the notes alone
    let batches = cli.batches();
    let id = batches[0]["batch_id"].as_i64().unwrap().to_string();
    assert_eq!(cli.run(&["undo", &id]).code, 0);
    assert_eq!(
        cli.json(&["notes", "--json"])["notes"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}
