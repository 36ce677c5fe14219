//! Smoke test of the desktop shell: the real `build_app` setup on Tauri's mock runtime.
//! `security` pins the capability set and the CSP; the tests below this one check the
//! command boundary (a panic answers with an error), the real ACL and backup/restore.
//!
//! The mock runtime has no file dialogs: a test answers them in advance
//! ([`cs_pulse_app::Dialogs::script`], Rust only), and the page's side gets tokens, as it
//! does from the real dialogs.

mod board;
mod browse;
mod desktop;
mod import;
mod links;
mod security;
mod startup;
mod trust;

/// The temporary folder, shared with the engine's and the CLI's tests.
#[path = "../common/tmp.rs"]
mod tmp;

use tmp::Tmp;

use serde_json::Value;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, INVOKE_KEY};
use tauri::webview::InvokeRequest;

/// The user picks `paths` in the open dialog of the import screen: the tokens the page gets.
fn choose(
    app: &tauri::App<tauri::test::MockRuntime>,
    main: &tauri::WebviewWindow<tauri::test::MockRuntime>,
    paths: &[&std::path::Path],
) -> Vec<String> {
    use tauri::Manager as _;
    app.state::<cs_pulse_app::Dialogs>()
        .script([Some(paths.iter().map(|p| p.to_path_buf()).collect())]);
    let chosen = invoke(
        main,
        "choose_import_files",
        serde_json::json!({ "lang": "en" }),
    )
    .unwrap_or_else(|e| panic!("choose_import_files: {e}"));
    let chosen = chosen.as_array().expect("an array");
    assert_eq!(chosen.len(), paths.len());
    chosen
        .iter()
        .map(|c| c["token"].as_str().expect("a token").to_owned())
        .collect()
}

/// The user answers the next file dialog with `path` (`None`: cancels it).
fn answer(app: &tauri::App<tauri::test::MockRuntime>, path: Option<&std::path::Path>) {
    use tauri::Manager as _;
    app.state::<cs_pulse_app::Dialogs>()
        .script([path.map(|p| vec![p.to_path_buf()])]);
}

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
    let dir = Tmp::new();
    // A folder that does not exist yet: the app creates it, as on a user's first start.
    let db = dir.path("profile").join("cspulse.db");
    let one = BUILD
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    std::env::set_var("CSPULSE_DB", &db);

    let app = cs_pulse_app::build_app(mock_builder())
        .build(mock_context(noop_assets()))
        .expect("the app's setup runs on the mock runtime");
    drop(one);
    let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("main window");

    let dash = invoke(
        &webview,
        "get_dashboard",
        serde_json::json!({ "lang": "en" }),
    )
    .unwrap_or_else(|e| panic!("get_dashboard failed: {e}"));
    // (it opens on a thread of its own while the window starts)
    assert!(db.exists(), "the database should be created at $CSPULSE_DB");
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
        dash["cards"].as_array().is_some_and(|k| !k.is_empty()),
        "the month has KPI cards"
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

/// Apps read `CSPULSE_DB` while they are built: one at a time.
static BUILD: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The real app (its real context: capabilities, ACL, CSP) on the mock runtime, with a
/// database at `db`.
fn real_app(db: &std::path::Path) -> tauri::App<tauri::test::MockRuntime> {
    let _one = BUILD
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    std::env::set_var("CSPULSE_DB", db);
    cs_pulse_app::build_app(mock_builder())
        .build(cs_pulse_app::context())
        .expect("the app builds with its real context")
}

fn window(
    app: &tauri::App<tauri::test::MockRuntime>,
    label: &str,
) -> tauri::WebviewWindow<tauri::test::MockRuntime> {
    tauri::WebviewWindowBuilder::new(app, label, Default::default())
        .build()
        .expect("window")
}

#[test]
fn only_the_main_window_may_call_the_apps_commands() {
    let dir = Tmp::new();
    let app = real_app(&dir.db());
    let main = window(&app, "main");
    invoke(&main, "get_dashboard", serde_json::json!({ "lang": "en" }))
        .unwrap_or_else(|e| panic!("main may: {e}"));

    let other = window(&app, "other");
    for cmd in [
        "get_dashboard",
        "backup_database",
        "choose_backup",
        "restore_database",
        "choose_import_files",
        "inspect_file",
        "import_file",
        "cancel_import",
        "list_batches",
        "undo_batch",
        "take_back",
        "batch_issues",
        "save_issues",
        "clear_demo",
        "watch_file_drops",
        "watch_menu",
        "app_info",
    ] {
        let refused = invoke(&other, cmd, serde_json::json!({ "path": "/tmp/x" }))
            .expect_err("another window may not call app commands");
        assert!(
            refused.to_string().contains("not allowed"),
            "{cmd}: refused by the ACL: {refused}"
        );
    }
    for cmd in [
        "plugin:fs|read_file",
        "plugin:shell|execute",
        "plugin:http|fetch",
        "plugin:log|log",
        "plugin:dialog|message",
        "plugin:dialog|open",
        "plugin:dialog|save",
    ] {
        invoke(&main, cmd, serde_json::json!({}))
            .expect_err("the page has no filesystem, shell, HTTP or log access");
    }
}

#[test]
fn a_panic_inside_a_command_answers_with_an_error_and_the_next_command_works() {
    let dir = Tmp::new();
    let app = real_app(&dir.db());
    let main = window(&app, "main");
    use tauri::Manager as _;
    let db = app.state::<cs_pulse_app::Db>();
    let lang = cspulse_engine::Lang::En;
    let got: Result<(), _> = cs_pulse_app::guard("test", lang, || {
        let _store = db.lock(lang)?;
        panic!("a bug while holding the store")
    });
    let err = got.expect_err("a panic becomes an error");
    assert_eq!(err.code, "internal");
    assert!(!err.message.is_empty());
    // the store lock was poisoned by the panic; the next command still gets its answer
    invoke(&main, "get_dashboard", serde_json::json!({ "lang": "en" }))
        .unwrap_or_else(|e| panic!("the app goes on after a panic: {e}"));
}

#[test]
fn backup_and_restore_from_the_desktop() {
    let dir = Tmp::new();
    let app = real_app(&dir.db());
    let main = window(&app, "main");
    let backup = dir.path("monday.cspulse");
    // the save dialog is cancelled: nothing written
    answer(&app, None);
    let none = invoke(
        &main,
        "backup_database",
        serde_json::json!({ "lang": "en" }),
    )
    .unwrap_or_else(|e| panic!("backup: {e}"));
    assert_eq!(none, Value::Null);
    answer(&app, Some(&backup));
    let saved = invoke(
        &main,
        "backup_database",
        serde_json::json!({ "lang": "en" }),
    )
    .unwrap_or_else(|e| panic!("backup: {e}"));
    assert!(backup.exists());
    assert_eq!(saved.as_str(), backup.to_str());

    // the backup to restore comes from the open dialog, as a token
    answer(&app, Some(&backup));
    let chosen = invoke(&main, "choose_backup", serde_json::json!({ "lang": "en" }))
        .unwrap_or_else(|e| panic!("choose_backup: {e}"));
    assert_eq!(chosen["name"], "monday.cspulse");
    assert!(
        chosen.get("path").is_none(),
        "the page gets no path: {chosen}"
    );
    let kept = invoke(
        &main,
        "restore_database",
        serde_json::json!({ "file": chosen["token"], "lang": "en" }),
    )
    .unwrap_or_else(|e| panic!("restore: {e}"));
    let kept = kept.as_str().expect("the path of the safety copy");
    assert!(std::path::Path::new(kept).exists(), "{kept}");
    let dash = invoke(&main, "get_dashboard", serde_json::json!({ "lang": "en" }))
        .unwrap_or_else(|e| panic!("after the restore: {e}"));
    assert_eq!(dash["is_demo"], Value::Bool(true));

    let not_a_backup = dir.path("notes.txt");
    std::fs::write(&not_a_backup, "hello").expect("write");
    answer(&app, Some(&not_a_backup));
    let chosen = invoke(&main, "choose_backup", serde_json::json!({ "lang": "de" }))
        .unwrap_or_else(|e| panic!("choose_backup: {e}"));
    let err = invoke(
        &main,
        "restore_database",
        serde_json::json!({ "file": chosen["token"], "lang": "de" }),
    )
    .expect_err("not a backup");
    assert_eq!(err["code"], "bad_backup", "{err}");
    assert!(
        err["message"]
            .as_str()
            .is_some_and(|m| m.contains("keine CS-Pulse-Sicherung")),
        "{err}"
    );
    answer(&app, None);
    let cancelled = invoke(&main, "choose_backup", serde_json::json!({ "lang": "en" }))
        .unwrap_or_else(|e| panic!("choose_backup: {e}"));
    assert_eq!(cancelled, Value::Null);
}

/// The accounts, explanation, settings and report commands as the screens use them.
#[test]
fn accounts_settings_and_report_commands_answer_the_screens() {
    let dir = Tmp::new();
    let app = real_app(&dir.db());
    let main = window(&app, "main");
    let call =
        |cmd: &str, args: Value| invoke(&main, cmd, args).unwrap_or_else(|e| panic!("{cmd}: {e}"));

    let list = call("list_accounts", serde_json::json!({ "lang": "en" }));
    let accounts = list["accounts"].as_array().expect("accounts");
    assert!(
        accounts.len() > 10,
        "the demo has accounts: {}",
        accounts.len()
    );
    let scored = accounts
        .iter()
        .find(|a| a["score"].is_number())
        .expect("a scored account");
    let id = scored["account_id"].as_str().expect("id");

    let why = call(
        "explain_account",
        serde_json::json!({ "accountId": id, "lang": "en" }),
    );
    assert_eq!(why["account"]["account_id"], *id);
    assert_eq!(
        why["account"]["score"], scored["score"],
        "the same score as the table"
    );
    let points: f64 = why["parts"]
        .as_array()
        .expect("parts")
        .iter()
        .filter_map(|p| p["points"].as_f64())
        .sum();
    let score = scored["score"].as_f64().expect("score");
    assert!(
        (points - score).abs() < 1e-9,
        "points add up to the score: {points} vs {score}"
    );
    assert_eq!(why["history"].as_array().map(Vec::len), Some(12));
    let unknown = invoke(
        &main,
        "explain_account",
        serde_json::json!({ "accountId": "NO-SUCH", "lang": "de" }),
    )
    .expect_err("an unknown account");
    assert_eq!(unknown["code"], "unknown_account", "{unknown}");

    let before = call("get_dashboard", serde_json::json!({ "lang": "en" }))["cs_score"]
        .as_f64()
        .expect("score");
    let settings = call("get_settings", serde_json::json!({ "lang": "en" }));
    let usage = settings
        .as_array()
        .expect("entries")
        .iter()
        .find(|e| e["key"] == "weight.usage")
        .expect("weight.usage");
    assert_eq!(usage["default"], "25");
    call(
        "set_setting",
        serde_json::json!({ "key": "weight.usage", "value": "80", "lang": "en" }),
    );
    let after = call("get_dashboard", serde_json::json!({ "lang": "en" }))["cs_score"]
        .as_f64()
        .expect("score");
    assert!(
        (after - before).abs() > 0.01,
        "a weight changes the score: {before} → {after}"
    );
    let bad = invoke(
        &main,
        "set_setting",
        serde_json::json!({ "key": "weight.usage", "value": "viel", "lang": "de" }),
    )
    .expect_err("not a number");
    assert_eq!(bad["code"], "bad_setting", "{bad}");
    call("reset_settings", serde_json::json!({ "lang": "en" }));
    let reset = call("get_dashboard", serde_json::json!({ "lang": "en" }))["cs_score"]
        .as_f64()
        .expect("score");
    assert!(
        (reset - before).abs() < 1e-9,
        "reset gives the first score back"
    );

    let out = dir.path("board.xlsx");
    answer(&app, Some(&out));
    let written = call(
        "export_report",
        serde_json::json!({ "reportLang": "de", "lang": "de" }),
    );
    assert!(out.exists(), "the report file exists");
    assert_eq!(written["file"].as_str(), out.to_str());
    assert_eq!(written["lang"], "de");
    assert!(
        written["sheets"].as_array().is_some_and(|s| s.len() >= 9),
        "{written}"
    );
}
