//! The board's questions on the real app (mock runtime, the sample company): the
//! dashboard's breakdown and the accounts of one group, the renewal outlook, and the CS
//! lead's notes (written, read back, cleared, refused, untouched by clearing the sample).

use super::{invoke, real_app, window};
use crate::tmp::Tmp;
use serde_json::{json, Value};

fn kpi(kpis: &Value, id: &str) -> Option<f64> {
    kpis.as_array()
        .expect("kpis")
        .iter()
        .find(|k| k["id"] == id)
        .and_then(|k| k["value"].as_f64())
}

#[test]
fn the_breakdown_adds_up_and_its_groups_filter_the_accounts() {
    let dir = Tmp::new();
    let app = real_app(&dir.db());
    let main = window(&app, "main");
    let call = |cmd: &str, args: Value| invoke(&main, cmd, args);

    let dash = call("get_dashboard", json!({ "lang": "en" })).expect("dashboard");
    let month = dash["month"].as_str().expect("a month").to_owned();
    let company_mrr = kpi(&dash["cards"], "mrr").expect("company MRR");

    // no dimension asked: the first offered
    let first = call("get_breakdown", json!({ "lang": "en" }))
        .unwrap_or_else(|e| panic!("get_breakdown: {e}"));
    let offered = first["offered"].as_array().expect("offered");
    assert!(offered.contains(&json!("segment")), "{offered:?}");
    assert!(offered.contains(&json!("owner")), "{offered:?}");
    assert_eq!(first["breakdown"]["by"], offered[0]);
    assert_eq!(first["breakdown"]["month"], month.as_str());

    let all = call("list_accounts", json!({ "lang": "en" })).expect("accounts");
    let active = all["accounts"].as_array().expect("accounts").len();
    assert!(active > 10, "the sample company has accounts: {active}");

    for by in ["segment", "owner"] {
        let b = call("get_breakdown", json!({ "by": by, "lang": "de" }))
            .unwrap_or_else(|e| panic!("get_breakdown {by}: {e}"));
        let groups = b["breakdown"]["groups"].as_array().expect("groups");
        assert_eq!(b["breakdown"]["by"], by);
        assert!(groups.len() >= 2, "{by}: {groups:?}");
        // MRR is additive: the groups add up to the company
        let mrr: f64 = groups.iter().filter_map(|g| kpi(&g["kpis"], "mrr")).sum();
        assert!(
            (mrr - company_mrr).abs() < 0.01,
            "{by}: Σ groups {mrr} ≠ company {company_mrr}"
        );
        // sorted by MRR descending
        let mrrs: Vec<f64> = groups
            .iter()
            .map(|g| kpi(&g["kpis"], "mrr").unwrap_or(f64::NEG_INFINITY))
            .collect();
        assert!(mrrs.windows(2).all(|w| w[0] >= w[1]), "{by}: {mrrs:?}");
        // company-only KPIs are left out
        assert!(kpi(&groups[0]["kpis"], "cac").is_none());

        // every active account is in exactly one group's list
        let mut listed = 0;
        for g in groups {
            let filter = json!({ "by": by, "kind": g["kind"], "key": g["key"] });
            let list = call(
                "list_group_accounts",
                json!({ "month": month, "group": filter, "lang": "de" }),
            )
            .unwrap_or_else(|e| panic!("list_group_accounts {filter}: {e}"));
            let accounts = list["accounts"].as_array().expect("accounts");
            assert!(
                accounts.len() as u64 <= g["accounts"].as_u64().expect("a count"),
                "{filter}: only the group's accounts"
            );
            if g["kind"] == "value" {
                for a in accounts {
                    assert_eq!(a[by], g["key"], "{filter}: {}", a["account_id"]);
                }
            }
            listed += accounts.len();
        }
        assert_eq!(listed, active, "{by}: the groups split the accounts");
    }

    // a group that does not exist lists nobody; a month that is not one is refused
    let nobody = call(
        "list_group_accounts",
        json!({ "group": { "by": "segment", "kind": "value", "key": "Nirgendwo" }, "lang": "en" }),
    )
    .expect("an unknown group");
    assert_eq!(nobody["accounts"], json!([]));
    let refused = call("get_breakdown", json!({ "month": "2026-13", "lang": "de" }))
        .expect_err("a bad month");
    assert_eq!(refused["code"], "bad_month", "{refused}");
}

#[test]
fn the_renewal_outlook_counts_and_values_what_is_due() {
    let dir = Tmp::new();
    let app = real_app(&dir.db());
    let main = window(&app, "main");
    let call = |cmd: &str, args: Value| invoke(&main, cmd, args);

    let o = call("get_renewals", json!({ "month": "2026-06", "lang": "en" }))
        .unwrap_or_else(|e| panic!("get_renewals: {e}"));
    assert_eq!(
        (o["from"].as_str(), o["to"].as_str()),
        (Some("2026-07-01"), Some("2026-09-30"))
    );
    let list = o["renewals"].as_array().expect("renewals");
    assert!(!list.is_empty(), "the sample company has renewals due: {o}");
    let (mut count, mut value) = (0, 0.0);
    for l in ["green", "yellow", "red", "not_scored"] {
        count += o["lights"][l]["count"].as_u64().expect("a count");
        value += o["lights"][l]["value"].as_f64().expect("a value");
    }
    assert_eq!(count, list.len() as u64);
    let listed: f64 = list
        .iter()
        .map(|r| r["value"].as_f64().expect("value"))
        .sum();
    assert!((listed - value).abs() < 0.01, "{listed} ≠ {value}");
    assert_eq!(o["value_at_risk"], o["lights"]["red"]["value"]);
    assert_eq!(o["value_watch"], o["lights"]["yellow"]["value"]);
    for r in list {
        let due = r["due_date"].as_str().expect("a date");
        assert!(("2026-07-01"..="2026-09-30").contains(&due), "{due}");
    }
    // the latest month when none is asked
    let latest = call("get_renewals", json!({ "lang": "en" })).expect("latest");
    let dash = call("get_dashboard", json!({ "lang": "en" })).expect("dashboard");
    assert_eq!(latest["month"], dash["month"]);
}

#[test]
fn notes_are_written_read_cleared_and_outlive_clearing_the_sample() {
    let dir = Tmp::new();
    let app = real_app(&dir.db());
    let main = window(&app, "main");
    let call = |cmd: &str, args: Value| invoke(&main, cmd, args);
    let notes = |month: &str| {
        call("get_notes", json!({ "month": month, "lang": "en" }))
            .unwrap_or_else(|e| panic!("get_notes: {e}"))
    };
    assert_eq!(notes("2026-10"), json!([]));

    let set = |key: &str, text: &str, owner: Value, due: Value| {
        call(
            "set_note",
            json!({ "month": "2026-10", "key": key, "text": text, "owner": owner, "dueDate": due, "lang": "de" }),
        )
    };
    let s = set(
        "summary",
        "  Churn ist gesunken.  ",
        Value::Null,
        Value::Null,
    )
    .unwrap_or_else(|e| panic!("set summary: {e}"));
    assert_eq!(s["text"], "Churn ist gesunken.", "trimmed, as stored");
    set(
        "kpi:nps",
        "=SUMME(A1) bleibt Text",
        json!("Lea"),
        json!("2026-11-30"),
    )
    .expect("a KPI note");
    let a = set(
        "account:DEMO-10008",
        "Anrufen",
        json!("Lea"),
        json!("2026-11-30"),
    )
    .expect("an action");
    assert_eq!(
        (a["owner"].as_str(), a["due_date"].as_str()),
        (Some("Lea"), Some("2026-11-30"))
    );

    let got = notes("2026-10");
    let keys: Vec<&str> = got
        .as_array()
        .expect("notes")
        .iter()
        .map(|n| n["key"].as_str().expect("key"))
        .collect();
    assert_eq!(keys, ["account:DEMO-10008", "kpi:nps", "summary"]);
    let nps = &got[1];
    assert_eq!(nps["text"], "=SUMME(A1) bleibt Text");
    assert_eq!(
        nps["owner"], "Lea",
        "a KPI note keeps its owner (printed in the report)"
    );
    assert_eq!(notes("2026-09"), json!([]), "kept with their month");

    // an edit replaces, an empty text removes
    set(
        "summary",
        "Churn ist stark gesunken.",
        Value::Null,
        Value::Null,
    )
    .expect("edit");
    assert_eq!(notes("2026-10")[2]["text"], "Churn ist stark gesunken.");
    let gone = set("kpi:nps", "   ", Value::Null, Value::Null).expect("clear");
    assert_eq!(gone, Value::Null);
    assert_eq!(notes("2026-10").as_array().map(Vec::len), Some(2));

    // refused with the reason, nothing written
    let e = set("account:K-10008", "x", Value::Null, Value::Null).expect_err("unknown account");
    assert_eq!(e["code"], "unknown_account", "{e}");
    let e = set("kpi:gibtsnicht", "x", Value::Null, Value::Null).expect_err("bad key");
    assert_eq!(e["code"], "bad_note_key", "{e}");
    let e = set("account:DEMO-10001", "x", Value::Null, json!("30.11.2026")).expect_err("bad date");
    assert_eq!(e["code"], "bad_date", "{e}");
    assert!(
        e["message"]
            .as_str()
            .is_some_and(|m| m.contains("JJJJ-MM-TT")),
        "{e}"
    );
    let e = call(
        "set_note",
        json!({ "month": "Oktober", "key": "summary", "text": "x", "lang": "en" }),
    )
    .expect_err("bad month");
    assert_eq!(e["code"], "bad_month", "{e}");
    assert_eq!(notes("2026-10").as_array().map(Vec::len), Some(2));

    // clearing the sample company (an undo of its imports) leaves the notes alone
    call("clear_demo", json!({ "lang": "en" })).expect("clear_demo");
    assert_eq!(notes("2026-10").as_array().map(Vec::len), Some(2));
}
