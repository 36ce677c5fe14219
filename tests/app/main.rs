//! Smoke test of the desktop shell: the real `build_app` setup on Tauri's mock runtime.

use serde_json::Value;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, INVOKE_KEY};
use tauri::webview::InvokeRequest;

fn invoke(
    webview: &tauri::WebviewWindow<tauri::test::MockRuntime>,
    cmd: &str,
    args: Value,
) -> Result<Value, Value> {
    get_ipc_response(
        webview,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            // The app's own origin on Linux/macOS; anything else counts as remote content,
            // which Tauri refuses app commands.
            url: "tauri://localhost".parse().expect("valid url"),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().expect("JSON response"))
}

#[test]
fn first_start_with_an_empty_profile_loads_the_demo_and_shows_a_cs_score() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A folder that does not exist yet: the app creates it, as on a user's first start.
    let db = dir.path().join("profile").join("cspulse.db");
    std::env::set_var("CSPULSE_DB", &db);

    let app = cs_pulse_app::build_app(mock_builder())
        .build(mock_context(noop_assets()))
        .expect("the app's setup runs on the mock runtime");
    let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("main window");

    assert!(db.exists(), "the database should be created at $CSPULSE_DB");

    let dash = invoke(
        &webview,
        "get_dashboard",
        serde_json::json!({ "lang": "en" }),
    )
    .unwrap_or_else(|e| panic!("get_dashboard failed: {e}"));
    assert_eq!(
        dash["is_demo"],
        Value::Bool(true),
        "an empty profile gets the sample company"
    );
    let score = dash["cs_score"]
        .as_f64()
        .unwrap_or_else(|| panic!("no cs_score in {dash}"));
    assert!(
        (0.0..=100.0).contains(&score),
        "cs_score {score} is outside 0..100"
    );
    assert!(
        dash["kpis"].as_array().is_some_and(|k| !k.is_empty()),
        "the month has KPIs"
    );

    let bad = invoke(
        &webview,
        "get_dashboard",
        serde_json::json!({ "month": "2026-13", "lang": "de" }),
    )
    .expect_err("a month that does not exist is refused");
    assert_eq!(
        bad["code"], "bad_month",
        "errors carry a stable code: {bad}"
    );
    assert!(
        bad["message"].as_str().is_some_and(|m| !m.is_empty()),
        "and a message: {bad}"
    );
}
