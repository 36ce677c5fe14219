//! The score's trust on the real app (mock runtime, the sample company): the backtest of the
//! "Does the score work?" view, a preview that writes nothing, and Apply that saves all
//! changes or none.

use super::{invoke, real_app, window};
use crate::tmp::Tmp;
use serde_json::{json, Value};

fn setting(settings: &Value, key: &str) -> String {
    settings
        .as_array()
        .expect("a list")
        .iter()
        .find(|e| e["key"] == key)
        .and_then(|e| e["value"].as_str())
        .unwrap_or_else(|| panic!("no setting {key}"))
        .to_owned()
}

#[test]
fn the_backtest_answers_per_horizon_and_refuses_a_bad_one() {
    let dir = Tmp::new();
    let app = real_app(&dir.db());
    let main = window(&app, "main");
    let call = |cmd: &str, args: Value| invoke(&main, cmd, args);

    let bt = call("get_backtest", json!({ "lang": "en" }))
        .unwrap_or_else(|e| panic!("get_backtest: {e}"));
    assert_eq!(bt["horizon"], 3, "the setting's default horizon");
    let months = bt["observation_months"].as_array().expect("months");
    assert!(!months.is_empty(), "the sample company has history: {bt}");
    let green = &bt["lights"]["green"];
    let red = &bt["lights"]["red"];
    assert!(green["observations"].as_u64() > Some(0), "{bt}");
    // both methods side by side (the view asks for them)
    assert!(bt["auc_by_method"].is_object(), "{bt}");
    if bt["status"] == "ok" {
        assert!(bt["auc"].as_f64().is_some_and(|a| (0.0..=1.0).contains(&a)));
        // red customers left more often than green ones in the sample company
        assert!(
            red["churn_rate"].as_f64() > green["churn_rate"].as_f64(),
            "{bt}"
        );
    }

    let six = call("get_backtest", json!({ "horizon": 6, "lang": "en" }))
        .unwrap_or_else(|e| panic!("get_backtest 6: {e}"));
    assert_eq!(six["horizon"], 6);
    assert_ne!(
        six["observation_months"], bt["observation_months"],
        "a longer horizon observes earlier months"
    );

    let refused = call("get_backtest", json!({ "horizon": 13, "lang": "de" }))
        .expect_err("a horizon of 13 months is refused");
    assert_eq!(refused["code"], "bad_setting", "{refused}");
}

#[test]
fn a_preview_writes_nothing_and_apply_saves_all_or_nothing() {
    let dir = Tmp::new();
    let app = real_app(&dir.db());
    let main = window(&app, "main");
    let call = |cmd: &str, args: Value| invoke(&main, cmd, args);
    let settings = || call("get_settings", json!({ "lang": "en" })).expect("settings");
    let score = || {
        call("get_dashboard", json!({ "lang": "en" })).expect("dashboard")["cs_score"]
            .as_f64()
            .expect("a score")
    };
    let before = settings();
    let score_before = score();

    let p = call(
        "preview_settings",
        json!({ "changes": ["weight.usage=90", "threshold.green=60"], "lang": "en" }),
    )
    .unwrap_or_else(|e| panic!("preview_settings: {e}"));
    assert_eq!(p["cs_score"]["before"].as_f64(), Some(score_before));
    assert_ne!(p["cs_score"]["after"], p["cs_score"]["before"], "{p}");
    let moved: u64 = p["moves"]
        .as_array()
        .expect("moves")
        .iter()
        .map(|m| m["count"].as_u64().expect("a count"))
        .sum();
    assert!(
        moved > 0,
        "a lower green threshold turns accounts green: {p}"
    );
    assert_eq!(p["changes"].as_array().map(Vec::len), Some(moved as usize));
    // nothing saved: settings and score as they were
    assert_eq!(settings(), before, "a preview writes nothing");
    assert_eq!(score(), score_before);

    // a bad value in the set: refused, and none of the set is saved
    let refused = call(
        "apply_settings",
        json!({ "changes": ["weight.usage=90", "threshold.yellow=99"], "lang": "de" }),
    )
    .expect_err("yellow above green is refused");
    assert_eq!(refused["code"], "bad_setting", "{refused}");
    assert_eq!(settings(), before, "nothing of a refused set is saved");
    let refused = call(
        "preview_settings",
        json!({ "changes": ["weight.usage=viel"], "lang": "en" }),
    )
    .expect_err("a bad preview is refused");
    assert_eq!(refused["code"], "bad_setting");

    // both thresholds moved above the saved green: green first keeps yellow ≤ green
    let applied = call(
        "apply_settings",
        json!({ "changes": ["weight.usage=90", "threshold.green=80", "threshold.yellow=75"], "lang": "en" }),
    )
    .unwrap_or_else(|e| panic!("apply_settings: {e}"));
    assert_eq!(setting(&applied, "weight.usage"), "90");
    assert_eq!(setting(&applied, "threshold.green"), "80");
    assert_eq!(setting(&applied, "threshold.yellow"), "75");
    assert_eq!(settings(), applied, "saved");
    assert_ne!(score(), score_before, "the score follows the saved weights");
}
