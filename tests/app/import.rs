//! The import wizard's commands on the real app (its real context and ACL, on Tauri's mock
//! runtime), with the app's own binary as the worker process that reads workbooks: inspect,
//! import with progress events, duplicate and replace, history, issues (listed and saved),
//! undo, clearing the sample company, cancel while the worker runs, dropped files.
#![allow(clippy::unwrap_used)]

use super::{invoke, window, BUILD};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};
use tauri::ipc::InvokeResponseBody;
use tauri::test::{mock_builder, MockRuntime};
use tauri::Manager as _;

/// Messages sent on any channel, in the order sent.
#[derive(Default)]
struct Sent {
    messages: Mutex<Vec<Value>>,
    arrived: Condvar,
}

impl Sent {
    fn all(&self) -> Vec<Value> {
        self.messages.lock().unwrap().clone()
    }
    /// Waits until a message satisfies `pred` (at most `limit`).
    fn wait_for(&self, limit: Duration, pred: impl Fn(&Value) -> bool) -> Option<Value> {
        let deadline = Instant::now() + limit;
        let mut got = self.messages.lock().unwrap();
        loop {
            if let Some(v) = got.iter().find(|v| pred(v)) {
                return Some(v.clone());
            }
            let left = deadline.checked_duration_since(Instant::now())?;
            got = self.arrived.wait_timeout(got, left).unwrap().0;
        }
    }
}

/// The real app with a database at `db`, the app's binary as the import worker, and every
/// channel message recorded.
fn app(db: &Path) -> (tauri::App<MockRuntime>, Arc<Sent>) {
    let sent = Arc::new(Sent::default());
    let record = Arc::clone(&sent);
    let builder = mock_builder().channel_interceptor(move |_, _, _, body| {
        if let InvokeResponseBody::Json(text) = body {
            let v: Value = serde_json::from_str(text).expect("a channel message is JSON");
            record.messages.lock().unwrap().push(v);
            record.arrived.notify_all();
        }
        true
    });
    let app = {
        let _one = BUILD
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        std::env::set_var("CSPULSE_DB", db);
        cs_pulse_app::build_app(builder)
            .build(cs_pulse_app::context())
            .expect("the app builds with its real context")
    };
    app.state::<cs_pulse_app::Imports>()
        .set_worker(Some(PathBuf::from(env!("CARGO_BIN_EXE_cs-pulse"))));
    (app, sent)
}

fn path_arg(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

/// Kunden: 30 accounts, one with a seat count that is not a number; Notizen: no kind.
fn kunden_xlsx(path: &Path) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet().set_name("Kunden").unwrap();
    for (c, h) in ["Kundennummer", "Firma", "Lizenzen"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for r in 1..=30u32 {
        ws.write_string(r, 0, format!("K-{r}")).unwrap();
        ws.write_string(r, 1, format!("Firma {r}")).unwrap();
        if r == 7 {
            ws.write_string(r, 2, "viele").unwrap();
        } else {
            ws.write_number(r, 2, f64::from(r)).unwrap();
        }
    }
    let ws = wb.add_worksheet().set_name("Notizen").unwrap();
    ws.write_string(0, 0, "Hinweis").unwrap();
    ws.write_string(1, 0, "Bitte prüfen").unwrap();
    wb.save(path).unwrap();
}

fn batches(w: &tauri::WebviewWindow<MockRuntime>) -> Vec<Value> {
    invoke(w, "list_batches", json!({ "lang": "en" }))
        .unwrap_or_else(|e| panic!("list_batches: {e}"))
        .as_array()
        .expect("an array")
        .clone()
}

#[test]
fn a_workbook_is_inspected_and_imported_by_the_worker_with_progress_history_issues_and_undo() {
    let dir = tempfile::tempdir().unwrap();
    let (app, sent) = app(&dir.path().join("cs.db"));
    let main = window(&app, "main");
    let file = dir.path().join("kunden.xlsx");
    kunden_xlsx(&file);
    let demo = batches(&main);
    assert_eq!(demo.len(), 11, "the sample company, one batch per kind");

    // what the wizard shows
    let seen = invoke(
        &main,
        "inspect_file",
        json!({ "path": path_arg(&file), "lang": "de" }),
    )
    .unwrap_or_else(|e| panic!("inspect_file: {e}"));
    assert_eq!(seen["file"], "kunden.xlsx");
    assert_eq!(seen["workbook"], true);
    let tables = seen["tables"].as_array().unwrap();
    assert_eq!(tables.len(), 2);
    assert_eq!(tables[0]["sheet"], "Kunden");
    assert_eq!(tables[0]["kind"], "accounts");
    assert_eq!(tables[0]["header_row"], 1);
    assert_eq!(
        tables[0]["columns"],
        json!(["Kundennummer", "Firma", "Lizenzen"])
    );
    assert_eq!(
        tables[0]["rows"][0],
        json!({ "row": 2, "cells": ["K-1", "Firma 1", "1"] })
    );
    assert_eq!(
        tables[0]["issues"][0]["row"], 8,
        "the bad row among those shown"
    );
    assert_eq!(tables[1]["kind"], Value::Null);
    assert_eq!(tables[1]["problems"][0]["code"], "unknown_kind");
    assert!(
        tables[1]["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Datenart"),
        "in the user's language: {}",
        tables[1]["problems"][0]
    );
    // choices: re-inspected with the notes skipped
    let options = json!({ "tables": [{ "sheet": "Notizen", "skip": true }] });
    let again = invoke(
        &main,
        "inspect_file",
        json!({ "path": path_arg(&file), "options": options, "lang": "de" }),
    )
    .unwrap_or_else(|e| panic!("inspect_file: {e}"));
    assert_eq!(again["tables"].as_array().unwrap().len(), 1);
    assert_eq!(again["skipped_sheets"][0]["reason"], "not_chosen");

    // the import, in the worker, with events on the channel
    let done = invoke(
        &main,
        "import_file",
        json!({ "path": path_arg(&file), "options": options, "onEvent": "__CHANNEL__:7", "lang": "de" }),
    )
    .unwrap_or_else(|e| panic!("import_file: {e}"));
    let b = &done["batches"][0];
    assert_eq!(done["batches"].as_array().unwrap().len(), 1);
    assert_eq!(
        (b["kind"].as_str(), b["sheet"].as_str()),
        (Some("accounts"), Some("Kunden"))
    );
    assert_eq!(
        (b["rows_imported"].as_i64(), b["rows_skipped"].as_i64()),
        (Some(29), Some(1))
    );
    assert_eq!(b["issues"][0]["row"], 8);
    assert_eq!(b["issues"][0]["reason_de"], "keine Zahl");
    assert_eq!(done["skipped_sheets"][0]["sheet"], "Notizen");
    let events = sent.all();
    let kinds: Vec<&str> = events.iter().filter_map(|e| e["event"].as_str()).collect();
    assert_eq!(kinds.first(), Some(&"started"), "{events:?}");
    assert_eq!(kinds.last(), Some(&"committing"), "{events:?}");
    assert!(kinds.contains(&"progress"), "{events:?}");
    let id = &events[0]["import_id"];
    assert_eq!(events[0]["in_worker"], true);
    assert_eq!(events[0]["file"], "kunden.xlsx");
    assert!(events.iter().all(|e| &e["import_id"] == id));
    let last_progress = events
        .iter()
        .rev()
        .find(|e| e["event"] == "progress")
        .unwrap();
    assert_eq!(last_progress["sheet"], "Kunden");
    assert_eq!(last_progress["fraction"], 1.0);
    assert_eq!(last_progress["file_fraction"], 1.0);

    // the same file again: its own code, so the UI can offer to replace it
    let dup = invoke(
        &main,
        "import_file",
        json!({ "path": path_arg(&file), "options": options, "onEvent": "__CHANNEL__:8", "lang": "de" }),
    )
    .expect_err("already imported");
    assert_eq!(dup["code"], "already_imported", "{dup}");
    assert!(
        dup["message"]
            .as_str()
            .unwrap()
            .contains("bereits importiert"),
        "{dup}"
    );
    let replaced = invoke(
        &main,
        "import_file",
        json!({ "path": path_arg(&file), "options": options, "replace": true, "onEvent": "__CHANNEL__:9", "lang": "en" }),
    )
    .unwrap_or_else(|e| panic!("replace: {e}"));
    let batch_id = replaced["batches"][0]["batch_id"].as_i64().unwrap();
    assert_ne!(Some(batch_id), b["batch_id"].as_i64());

    // the history with lineage
    let list = batches(&main);
    assert_eq!(
        list.len(),
        12,
        "the sample and the one import (replaced, not doubled)"
    );
    let mine = list.iter().find(|b| b["source"] == "file").unwrap();
    assert_eq!(mine["batch_id"], batch_id);
    assert_eq!(mine["file"], "kunden.xlsx");
    assert_eq!(mine["file_path"], path_arg(&file));
    assert_eq!(mine["issue_count"], 1);
    assert_eq!(mine["rows_skipped"], 1);
    assert_eq!(mine["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(mine["mapping"]["account_id"], "Kundennummer");

    // its issues, listed and saved
    let issues = invoke(
        &main,
        "batch_issues",
        json!({ "batchId": batch_id, "lang": "de" }),
    )
    .unwrap_or_else(|e| panic!("batch_issues: {e}"));
    assert_eq!(
        issues["issues"],
        json!([{ "sheet": "Kunden", "row": 8, "column": "Lizenzen", "value": "viele", "reason": "keine Zahl" }])
    );
    let out = dir.path().join("probleme.xlsx");
    let saved = invoke(
        &main,
        "save_issues",
        json!({ "batchId": batch_id, "path": path_arg(&out), "lang": "de" }),
    )
    .unwrap_or_else(|e| panic!("save_issues: {e}"));
    assert_eq!(saved["issues"], 1);
    use calamine::Reader as _;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&out).unwrap();
    let range = wb.worksheet_range("Probleme").unwrap();
    assert_eq!(range.get((0, 4)).unwrap().to_string(), "Grund");
    assert_eq!(range.get((1, 3)).unwrap().to_string(), "viele");

    // undo: exactly that batch
    let undone = invoke(
        &main,
        "undo_batch",
        json!({ "batchId": batch_id, "lang": "en" }),
    )
    .unwrap_or_else(|e| panic!("undo_batch: {e}"));
    assert_eq!(undone["batch_id"], batch_id);
    assert_eq!(batches(&main), demo);
    let gone = invoke(
        &main,
        "undo_batch",
        json!({ "batchId": batch_id, "lang": "de" }),
    )
    .expect_err("no longer there");
    assert_eq!(gone["code"], "no_such_batch");

    // the sample company, cleared in one click
    let removed = invoke(&main, "clear_demo", json!({ "lang": "en" }))
        .unwrap_or_else(|e| panic!("clear_demo: {e}"));
    assert_eq!(removed, 11);
    assert!(batches(&main).is_empty());
    let dash = invoke(&main, "get_dashboard", json!({ "lang": "en" }))
        .unwrap_or_else(|e| panic!("dashboard: {e}"));
    assert_eq!(dash["is_demo"], false);
}

/// Usage rows: enough to be cancelled while the worker reads them.
fn usage_xlsx(path: &Path, rows: u32) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet_with_constant_memory();
    for (c, h) in ["account_id", "user_id", "date", "sessions"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for r in 1..=rows {
        ws.write_string(r, 0, format!("K-{}", r % 500)).unwrap();
        ws.write_string(r, 1, format!("u{}", r % 3000)).unwrap();
        ws.write_string(r, 2, format!("2026-10-{:02}", r % 28 + 1))
            .unwrap();
        ws.write_number(r, 3, 1.0).unwrap();
    }
    wb.save(path).unwrap();
}

#[test]
fn a_cancelled_workbook_import_stops_the_worker_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cs.db");
    let (app, sent) = app(&db);
    let main = window(&app, "main");
    let file = dir.path().join("usage.xlsx");
    usage_xlsx(&file, 200_000);
    let before = batches(&main);
    let usage_before = cspulse_engine::store::Store::open(&db)
        .unwrap()
        .load_all()
        .unwrap()
        .usage
        .len();

    let importing = {
        let main = main.clone();
        let file = file.clone();
        std::thread::spawn(move || {
            invoke(
                &main,
                "import_file",
                json!({ "path": path_arg(&file), "onEvent": "__CHANNEL__:1", "lang": "en" }),
            )
        })
    };
    let progress = sent
        .wait_for(Duration::from_secs(120), |e| {
            e["event"] == "progress" && e["rows"].as_u64().is_some_and(|r| r > 0)
        })
        .expect("the worker reports progress");
    assert!(progress["fraction"].as_f64().unwrap() < 1.0, "{progress}");
    // while it runs: the dashboard and a backup answer; undo, clearing the sample and a
    // restore wait their turn
    invoke(&main, "get_dashboard", json!({ "lang": "en" }))
        .unwrap_or_else(|e| panic!("the dashboard answers during an import: {e}"));
    let busy = invoke(&main, "undo_batch", json!({ "batchId": 1, "lang": "en" }))
        .expect_err("not during an import");
    assert_eq!(busy["code"], "import_running", "{busy}");
    let busy = invoke(&main, "clear_demo", json!({ "lang": "de" })).expect_err("not now");
    assert_eq!(busy["code"], "import_running", "{busy}");
    let backup = dir.path().join("before.cspulse");
    invoke(
        &main,
        "backup_database",
        json!({ "path": path_arg(&backup), "lang": "en" }),
    )
    .unwrap_or_else(|e| panic!("a backup can be made during an import: {e}"));
    let busy = invoke(
        &main,
        "restore_database",
        json!({ "path": path_arg(&backup), "lang": "en" }),
    )
    .expect_err("a restore would replace what the import writes into");
    assert_eq!(busy["code"], "import_running", "{busy}");

    // a second import waits for its turn, and can be cancelled while it waits
    let csv = dir.path().join("kunden.csv");
    std::fs::write(&csv, "account_id,name\nZ-1,Zeta\n").unwrap();
    let waiting = {
        let main = main.clone();
        let csv = csv.clone();
        std::thread::spawn(move || {
            invoke(
                &main,
                "import_file",
                json!({ "path": path_arg(&csv), "onEvent": "__CHANNEL__:2", "lang": "en" }),
            )
        })
    };
    let second = sent
        .wait_for(Duration::from_secs(60), |e| {
            e["event"] == "started" && e["file"] == "kunden.csv"
        })
        .expect("the second import is accepted");
    std::thread::sleep(Duration::from_millis(300));
    assert!(!waiting.is_finished(), "it waits while the first one runs");
    assert!(
        !sent
            .all()
            .iter()
            .any(|e| e["import_id"] == second["import_id"] && e["event"] != "started"),
        "and has not started reading"
    );
    let stop = json!({ "importId": second["import_id"], "lang": "en" });
    assert_eq!(invoke(&main, "cancel_import", stop).unwrap(), true);
    let e = waiting
        .join()
        .unwrap()
        .expect_err("cancelled while waiting");
    assert_eq!(e["code"], "cancelled", "{e}");
    assert!(!importing.is_finished(), "the first import goes on");

    let id = progress["import_id"].clone();
    let cancelled = invoke(
        &main,
        "cancel_import",
        json!({ "importId": id, "lang": "en" }),
    )
    .unwrap_or_else(|e| panic!("cancel_import: {e}"));
    assert_eq!(cancelled, true, "cancelled before the commit");
    let e = importing
        .join()
        .unwrap()
        .expect_err("the import ends as cancelled");
    assert_eq!(e["code"], "cancelled", "{e}");
    assert!(
        !sent.all().iter().any(|e| e["event"] == "committing"),
        "it never reached its commit"
    );
    assert_eq!(batches(&main), before, "no batch");
    let store = cspulse_engine::store::Store::open(&db).unwrap();
    assert_eq!(
        store.load_all().unwrap().usage.len(),
        usage_before,
        "no rows"
    );
    // the import is over: cancelling it again does nothing, undo works again
    let late = invoke(
        &main,
        "cancel_import",
        json!({ "importId": id, "lang": "en" }),
    )
    .unwrap();
    assert_eq!(late, false);
    let first = before[0]["batch_id"].clone();
    invoke(
        &main,
        "undo_batch",
        json!({ "batchId": first, "lang": "en" }),
    )
    .unwrap_or_else(|e| panic!("undo after the import: {e}"));
}

#[test]
fn the_wizards_errors_are_plain_and_in_the_users_language() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = app(&dir.path().join("cs.db"));
    let main = window(&app, "main");
    let missing = dir.path().join("fehlt.csv");
    let e = invoke(
        &main,
        "inspect_file",
        json!({ "path": path_arg(&missing), "lang": "de" }),
    )
    .expect_err("missing");
    assert_eq!(e["code"], "file_unreadable");
    assert!(
        e["message"].as_str().unwrap().contains("existiert nicht"),
        "{e}"
    );
    let e = invoke(
        &main,
        "import_file",
        json!({ "path": path_arg(&missing), "onEvent": "__CHANNEL__:2", "lang": "en" }),
    )
    .expect_err("missing");
    assert_eq!(e["code"], "file_unreadable");
    // a workbook that makes the reader panic: the worker answers with a plain error
    let crash = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/artifacts/workbook_import/crash-005809a3e1d59a88c88f4dea6e894e7639ec63a5");
    let copy = dir.path().join("export.xls");
    std::fs::copy(&crash, &copy).unwrap();
    for cmd in ["inspect_file", "import_file"] {
        let e = invoke(
            &main,
            cmd,
            json!({ "path": path_arg(&copy), "onEvent": "__CHANNEL__:3", "lang": "en" }),
        )
        .expect_err("a damaged workbook");
        let message = e["message"].as_str().unwrap();
        assert!(
            !message.is_empty() && !message.contains("panicked"),
            "{cmd}: {e}"
        );
        assert_ne!(e["code"], "internal", "{cmd}: {e}");
    }
    // errors are worded for the window, never with the CLI's options, whether the file is
    // read here (text) or by the worker (workbooks)
    let odd_csv = dir.path().join("notizen.csv");
    std::fs::write(&odd_csv, "Farbe,Form\nrot,rund\n").unwrap();
    let odd_xlsx = dir.path().join("notizen.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_row(0, 0, ["Farbe", "Form"]).unwrap();
    ws.write_row(1, 0, ["rot", "rund"]).unwrap();
    wb.save(&odd_xlsx).unwrap();
    for (file, channel) in [(&odd_csv, 5), (&odd_xlsx, 6)] {
        let e = invoke(
            &main,
            "import_file",
            json!({ "path": path_arg(file), "onEvent": format!("__CHANNEL__:{channel}"), "lang": "de" }),
        )
        .expect_err("no kind can be told from these headers");
        assert_eq!(e["code"], "unknown_kind", "{e}");
        let message = e["message"].as_str().unwrap();
        assert!(
            message.contains("Importfenster") && !message.contains("--"),
            "{}: {message}",
            file.display()
        );
    }
    // a kind that does not exist is refused before anything runs
    let csv = dir.path().join("k.csv");
    std::fs::write(&csv, "account_id,name\nA,B\n").unwrap();
    invoke(
        &main,
        "inspect_file",
        json!({ "path": path_arg(&csv), "options": { "kind": "kunden" }, "lang": "en" }),
    )
    .expect_err("no such kind");
    assert_eq!(
        invoke(&main, "cancel_import", json!({ "importId": 4242 })).unwrap(),
        false,
        "no such import"
    );
    let e = invoke(
        &main,
        "save_issues",
        json!({ "batchId": 1, "path": path_arg(&dir.path().join("fehlt/x.xlsx")), "lang": "en" }),
    )
    .expect_err("no such folder");
    assert_eq!(e["code"], "cannot_write", "{e}");
}

#[test]
fn files_dropped_onto_the_window_reach_the_page_through_its_channel() {
    let dir = tempfile::tempdir().unwrap();
    let (app, sent) = app(&dir.path().join("cs.db"));
    let main = window(&app, "main");
    invoke(
        &main,
        "watch_file_drops",
        json!({ "onEvent": "__CHANNEL__:5" }),
    )
    .unwrap_or_else(|e| panic!("watch_file_drops: {e}"));
    let drops = app.state::<cs_pulse_app::FileDrops>();
    let position = tauri::PhysicalPosition::new(10.0, 20.0);
    let paths = vec![dir.path().join("a.xlsx"), dir.path().join("b.csv")];
    drops.report(&tauri::DragDropEvent::Enter {
        paths: paths.clone(),
        position,
    });
    drops.report(&tauri::DragDropEvent::Over { position });
    drops.report(&tauri::DragDropEvent::Drop {
        paths: paths.clone(),
        position,
    });
    drops.report(&tauri::DragDropEvent::Leave);
    let as_text: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    assert_eq!(
        sent.all(),
        [
            json!({ "event": "enter", "paths": as_text }),
            json!({ "event": "drop", "paths": as_text }),
            json!({ "event": "leave" }),
        ]
    );
}
