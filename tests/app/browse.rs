//! The data browser's commands on the real app (mock runtime): datasets, a sorted and
//! filtered view of the demo's usage table, pages (limit clamped), refused input, a view
//! that goes stale after a restore, closed and set-aside views.

use super::{answer, invoke, real_app, window};
use crate::tmp::Tmp;
use serde_json::{json, Value};

#[test]
fn the_data_browser_lists_opens_pages_and_closes_views() {
    let dir = Tmp::new();
    let app = real_app(&dir.db());
    let main = window(&app, "main");
    let call = |cmd: &str, args: Value| invoke(&main, cmd, args);

    let sets = call("browse_datasets", json!({ "lang": "en" }))
        .unwrap_or_else(|e| panic!("browse_datasets: {e}"));
    let sets = sets.as_array().expect("a list");
    assert_eq!(sets.len(), 11, "the demo has all eleven kinds");
    let usage = sets
        .iter()
        .find(|d| d["kind"] == "usage")
        .expect("usage is listed");
    let usage_rows = usage["rows"].as_u64().expect("a row count");
    assert!(usage_rows > 100_000, "the demo's usage rows: {usage_rows}");
    assert_eq!(
        usage["batches"][0]["rows"].as_u64(),
        Some(usage_rows),
        "all from one batch"
    );
    assert_eq!(
        usage["columns"][0],
        json!({ "id": "account_id", "type": "text", "lineage": false })
    );
    assert_eq!(usage["batches"].as_array().map(Vec::len), Some(1));

    // the newest month's usage, latest first
    let query = json!({
        "sort": { "column": "date", "descending": true },
        "filters": [{ "column": "date", "op": "equals", "value": "2026-10" }],
    });
    let opened = call(
        "browse_open",
        json!({ "kind": "usage", "query": query, "lang": "en" }),
    )
    .unwrap_or_else(|e| panic!("browse_open: {e}"));
    let view = opened["view_id"].as_u64().expect("a view id");
    let total = opened["total"].as_u64().expect("a total");
    assert!(total > 500, "a month of usage: {total}");
    let cols = opened["columns"].as_array().expect("columns");
    let ids: Vec<&str> = cols.iter().filter_map(|c| c["id"].as_str()).collect();
    assert_eq!(
        ids,
        [
            "account_id",
            "user_id",
            "date",
            "sessions",
            "session_seconds",
            "feature",
            "batch_id",
            "src_row"
        ]
    );

    let page = call(
        "browse_page",
        json!({ "viewId": view, "offset": 0, "limit": 10_000, "lang": "en" }),
    )
    .unwrap_or_else(|e| panic!("browse_page: {e}"));
    assert_eq!(page["total"].as_u64(), Some(total));
    let rows = page["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 500, "the limit is clamped");
    let dates: Vec<&str> = rows
        .iter()
        .map(|r| r["cells"][2].as_str().expect("a date is text"))
        .collect();
    assert!(dates.iter().all(|d| d.starts_with("2026-10")));
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "latest first");
    assert!(rows[0]["row_id"].is_i64());
    assert!(rows[0]["cells"][3].is_number(), "sessions is a number");

    let end = call(
        "browse_page",
        json!({ "viewId": view, "offset": total, "limit": 100, "lang": "en" }),
    )
    .unwrap_or_else(|e| panic!("past the end: {e}"));
    assert_eq!(end["rows"], json!([]));

    // refused input, in the language asked for
    let err =
        call("browse_open", json!({ "kind": "umsatz", "lang": "de" })).expect_err("not a kind");
    assert_eq!(err["code"], "bad_kind", "{err}");
    let err = call(
        "browse_open",
        json!({ "kind": "usage", "query": { "sort": { "column": "date; DROP TABLE usage" } }, "lang": "de" }),
    )
    .expect_err("not a column");
    assert_eq!(err["code"], "unknown_column", "{err}");
    assert!(
        err["message"]
            .as_str()
            .is_some_and(|m| m.contains("keine Spalte")),
        "{err}"
    );
    let err = call(
        "browse_open",
        json!({ "kind": "usage", "query": { "filters": [{ "column": "sessions", "op": "at_least", "value": "viele" }] }, "lang": "en" }),
    )
    .expect_err("not a number");
    assert_eq!(err["code"], "bad_filter", "{err}");

    // everything when there is no query
    let all = call("browse_open", json!({ "kind": "usage", "lang": "en" }))
        .unwrap_or_else(|e| panic!("browse_open without a query: {e}"));
    assert_eq!(all["total"].as_u64(), Some(usage_rows));

    // closing: its pages are gone, closing again is fine
    let id = all["view_id"].clone();
    call("browse_close", json!({ "viewId": id })).unwrap_or_else(|e| panic!("close: {e}"));
    call("browse_close", json!({ "viewId": id })).unwrap_or_else(|e| panic!("close again: {e}"));
    let err = call(
        "browse_page",
        json!({ "viewId": id, "offset": 0, "limit": 10, "lang": "en" }),
    )
    .expect_err("closed");
    assert_eq!(err["code"], "no_such_view", "{err}");

    // a ninth view sets the oldest aside
    let mut ids = Vec::new();
    for _ in 0..9 {
        let v = call("browse_open", json!({ "kind": "costs", "lang": "en" }))
            .unwrap_or_else(|e| panic!("open: {e}"));
        ids.push(v["view_id"].clone());
    }
    let page = |id: &Value| {
        call(
            "browse_page",
            json!({ "viewId": id, "offset": 0, "limit": 5, "lang": "en" }),
        )
    };
    let err = page(&ids[0]).expect_err("the oldest was set aside");
    assert_eq!(err["code"], "no_such_view", "{err}");
    page(&ids[8]).unwrap_or_else(|e| panic!("the newest is there: {e}"));

    // data changes under an open view: stale, then reopened
    let backup = dir.path("b.cspulse");
    answer(&app, Some(&backup));
    call("backup_database", json!({ "lang": "en" })).unwrap_or_else(|e| panic!("backup: {e}"));
    answer(&app, Some(&backup));
    let chosen =
        call("choose_backup", json!({ "lang": "en" })).unwrap_or_else(|e| panic!("choose: {e}"));
    call(
        "restore_database",
        json!({ "file": chosen["token"], "lang": "en" }),
    )
    .unwrap_or_else(|e| panic!("restore: {e}"));
    // a restore of the same data keeps the batches: the view still holds
    page(&ids[8]).unwrap_or_else(|e| panic!("same data after the restore: {e}"));
    {
        use tauri::Manager as _;
        let db = app.state::<cs_pulse_app::Db>();
        let mut store = db.lock(cspulse_engine::Lang::En).expect("store");
        let costs = store
            .batches()
            .expect("batches")
            .into_iter()
            .find(|b| b.kind == cspulse_engine::Kind::Costs)
            .expect("a costs batch");
        store.undo(costs.batch_id).expect("undo");
    }
    let err = page(&ids[8]).expect_err("the costs changed");
    assert_eq!(err["code"], "view_stale", "{err}");
    assert!(
        err["message"]
            .as_str()
            .is_some_and(|m| m.contains("changed")),
        "{err}"
    );
    let err = page(&ids[8]).expect_err("a stale view is dropped");
    assert_eq!(err["code"], "no_such_view", "{err}");
    let again = call("browse_open", json!({ "kind": "costs", "lang": "en" }))
        .unwrap_or_else(|e| panic!("reopen: {e}"));
    assert_eq!(again["total"], 0, "no costs any more");
}

#[test]
fn only_the_main_window_may_browse() {
    let dir = Tmp::new();
    let app = real_app(&dir.db());
    let other = window(&app, "other");
    for cmd in [
        "browse_datasets",
        "browse_open",
        "browse_page",
        "browse_close",
    ] {
        let refused = invoke(
            &other,
            cmd,
            json!({ "kind": "usage", "viewId": 1, "offset": 0, "limit": 10 }),
        )
        .expect_err("another window may not browse");
        assert!(
            refused.to_string().contains("not allowed"),
            "{cmd}: refused by the ACL: {refused}"
        );
    }
}
