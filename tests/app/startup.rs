//! The dashboard computed while the window starts (db.rs) answers the page's first question
//! only while nothing has changed since: a setting changed through the app or another
//! connection (an import) before that question is seen in the answer.

use super::{invoke, real_app, window};
use crate::tmp::Tmp;
use serde_json::{json, Value};

fn dashboard(main: &tauri::WebviewWindow<tauri::test::MockRuntime>, month: Option<&str>) -> Value {
    invoke(
        main,
        "get_dashboard",
        json!({ "month": month, "lang": "en" }),
    )
    .unwrap_or_else(|e| panic!("get_dashboard: {e}"))
}

fn score(d: &Value) -> f64 {
    d["cs_score"]
        .as_f64()
        .unwrap_or_else(|| panic!("no cs_score in {d}"))
}

#[test]
fn the_first_dashboard_is_the_one_computed_when_asked() {
    let dir = Tmp::new();
    let app = real_app(&dir.db());
    let main = window(&app, "main");
    let first = dashboard(&main, None);
    let month = first["month"].as_str().expect("a month").to_owned();
    assert_eq!(
        first,
        dashboard(&main, Some(&month)),
        "same answer, computed fresh"
    );
    assert_eq!(first, dashboard(&main, None), "and again");
}

#[test]
fn a_setting_changed_before_the_first_dashboard_is_in_it() {
    let dir = Tmp::new();
    let app = real_app(&dir.db());
    let main = window(&app, "main");
    invoke(
        &main,
        "set_setting",
        json!({ "key": "weight.usage", "value": "80", "lang": "en" }),
    )
    .unwrap_or_else(|e| panic!("set_setting: {e}"));
    let first = dashboard(&main, None);
    let month = first["month"].as_str().expect("a month").to_owned();
    assert_eq!(score(&first), score(&dashboard(&main, Some(&month))));

    // the same weights on a fresh start give the score the first answer had
    invoke(&main, "reset_settings", json!({ "lang": "en" })).expect("reset");
    let default = score(&dashboard(&main, None));
    assert!(
        (score(&first) - default).abs() > 0.01,
        "weight.usage 80 moves the score: {default} vs {}",
        score(&first)
    );
}

#[test]
fn a_change_by_another_connection_before_the_first_dashboard_is_in_it() {
    let dir = Tmp::new();
    let path = dir.db();
    let app = real_app(&path);
    let main = window(&app, "main");
    // waits until the database is open (and the first dashboard computed)
    invoke(&main, "get_settings", json!({ "lang": "en" })).expect("settings");
    let mut other =
        cspulse_engine::store::Store::open_chosen(Some(path)).expect("second connection");
    other
        .set_setting("weight.usage", "80")
        .expect("set through it");
    drop(other);
    let first = dashboard(&main, None);
    let month = first["month"].as_str().expect("a month").to_owned();
    let fresh = dashboard(&main, Some(&month));
    assert_eq!(
        first, fresh,
        "the first answer sees the other connection's change"
    );
    invoke(&main, "reset_settings", json!({ "lang": "en" })).expect("reset");
    let default = score(&dashboard(&main, None));
    assert!(
        (score(&first) - default).abs() > 0.01,
        "weight.usage 80 moves the score: {default} vs {}",
        score(&first)
    );
}

#[test]
fn the_precomputed_dashboard_is_served_once_and_only_while_nothing_changed() {
    use cspulse_engine::error::Lang;
    use tauri::Manager as _;
    let dir = Tmp::new();
    let path = dir.db();
    {
        let app = real_app(&path);
        let db = app.state::<cs_pulse_app::Db>();
        let store = db.lock(Lang::En).expect("the database opens");
        let served = db
            .take_first_dashboard(&store)
            .expect("computed while the window started, and nothing changed since");
        assert_eq!(served.month.as_deref(), Some("2026-10"));
        assert!(db.take_first_dashboard(&store).is_none(), "served once");
    }
    // the next start of the same database: a change before the first question
    let app = real_app(&path);
    let db = app.state::<cs_pulse_app::Db>();
    let mut store = db.lock(Lang::En).expect("the database opens");
    store
        .set_setting("weight.usage", "80")
        .expect("a weight changes");
    assert!(
        db.take_first_dashboard(&store).is_none(),
        "computed before the change: not served"
    );
}
