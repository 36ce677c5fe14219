//! The desktop conventions on the real app (mock runtime): the About data and its
//! third-party list (and that the committed list matches the lock files), the files the app is
//! asked to open (command line, second start) reaching the page's import flow, one running copy
//! per database, and the native menu (labels in German and English, clicks to the page).
#![allow(clippy::unwrap_used)]

use super::{invoke, window, BUILD};
use crate::tmp::Tmp;
use cs_pulse_app::launch::{instance_id, is_openable, second_start, spreadsheet_paths};
use cs_pulse_app::ThirdParty;
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tauri::ipc::InvokeResponseBody;
use tauri::test::{mock_builder, MockRuntime};
use tauri::Manager as _;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The real app with a database at `db`; every channel message is recorded.
fn app(db: &Path) -> (tauri::App<MockRuntime>, Arc<Mutex<Vec<Value>>>) {
    let sent = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&sent);
    let builder = mock_builder().channel_interceptor(move |_, _, _, body| {
        if let InvokeResponseBody::Json(text) = body {
            record
                .lock()
                .unwrap()
                .push(serde_json::from_str(text).unwrap());
        }
        true
    });
    let _one = BUILD
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    std::env::set_var("CSPULSE_DB", db);
    let app = cs_pulse_app::build_app(builder)
        .build(cs_pulse_app::context())
        .expect("the app builds with its real context");
    (app, sent)
}

// --- About -------------------------------------------------------------------------------

#[test]
fn app_info_names_version_license_and_every_third_party_license() {
    let dir = Tmp::new();
    let (app, _) = app(&dir.db());
    let main = window(&app, "main");
    let info = invoke(&main, "app_info", json!({ "lang": "de" }))
        .unwrap_or_else(|e| panic!("app_info: {e}"));
    assert_eq!(info["name"], "CS Pulse");
    assert_eq!(
        info["version"],
        env!("CARGO_PKG_VERSION"),
        "the version comes from Cargo.toml"
    );
    assert_eq!(info["license"], "MIT");
    assert_eq!(info["identifier"], "app.cspulse.desktop");
    let conf: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tauri.conf.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        info["copyright"], conf["bundle"]["copyright"],
        "the installers' copyright line"
    );
    assert!(
        info["copyright"]
            .as_str()
            .is_some_and(|c| c.contains("CS Pulse")),
        "{}",
        info["copyright"]
    );
    let third: Vec<ThirdParty> = serde_json::from_value(info["third_party"].clone()).unwrap();
    assert!(third.len() > 100, "{} components", third.len());
    for (ecosystem, name) in [
        ("rust", "tauri"),
        ("rust", "rusqlite"),
        ("rust", "calamine"),
        ("npm", "preact"),
        ("npm", "echarts"),
    ] {
        let found = third
            .iter()
            .find(|t| t.ecosystem == ecosystem && t.name == name)
            .unwrap_or_else(|| panic!("{ecosystem} {name} is not in the About list"));
        assert!(
            found.license.contains("MIT") || found.license.contains("Apache"),
            "{name}: {}",
            found.license
        );
        assert!(!found.version.is_empty());
    }
    assert!(
        third.iter().all(|t| !t.license.trim().is_empty()),
        "every component has a license"
    );
    assert!(
        !third
            .iter()
            .any(|t| t.name.starts_with("cspulse") || t.name == "cs-pulse"),
        "our own crates are not third-party"
    );
    let lockfile_versions = cargo_lock_versions();
    let tauri = third.iter().find(|t| t.name == "tauri").unwrap();
    assert!(
        lockfile_versions.contains(&("tauri".into(), tauri.version.clone())),
        "the About list names the tauri of Cargo.lock"
    );
}

/// `name version` of every package in Cargo.lock.
fn cargo_lock_versions() -> HashSet<(String, String)> {
    let text = std::fs::read_to_string(root().join("Cargo.lock")).unwrap();
    let mut out = HashSet::new();
    let mut name = None;
    for line in text.lines() {
        if let Some(n) = line.strip_prefix("name = ") {
            name = Some(n.trim_matches('"').to_owned());
        } else if let (Some(v), Some(n)) = (line.strip_prefix("version = "), name.take()) {
            out.insert((n, v.trim_matches('"').to_owned()));
        }
    }
    out
}

/// The Rust crates the app is built from: every package reached from `cs-pulse` through
/// normal (not dev, not build) dependencies, on any platform, without our own crates.
fn rust_crates() -> Vec<ThirdParty> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = std::process::Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--locked",
            "--manifest-path",
        ])
        .arg(root().join("Cargo.toml"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "cargo metadata: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: Value = serde_json::from_slice(&out.stdout).unwrap();
    let packages: HashMap<&str, &Value> = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p))
        .collect();
    let ours: HashSet<&str> = meta["workspace_members"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let nodes: HashMap<&str, &Value> = meta["resolve"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["id"].as_str().unwrap(), n))
        .collect();
    let app = packages
        .values()
        .find(|p| p["name"] == "cs-pulse" && ours.contains(p["id"].as_str().unwrap()))
        .expect("the app package")["id"]
        .as_str()
        .unwrap();
    let mut seen = HashSet::from([app]);
    let mut todo = vec![app];
    while let Some(id) = todo.pop() {
        for dep in nodes[id]["deps"].as_array().into_iter().flatten() {
            let normal = dep["dep_kinds"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|k| k["kind"].is_null());
            let dep_id = dep["pkg"].as_str().unwrap();
            if normal && seen.insert(dep_id) {
                todo.push(dep_id);
            }
        }
    }
    seen.into_iter()
        .filter(|id| !ours.contains(id))
        .map(|id| {
            let p = packages[id];
            let license = match (p["license"].as_str(), p["license_file"].as_str()) {
                (Some(l), _) => l.to_owned(),
                (None, Some(f)) => format!("see {f} in the crate"),
                (None, None) => "not stated".to_owned(),
            };
            ThirdParty {
                ecosystem: "rust".into(),
                name: p["name"].as_str().unwrap().into(),
                version: p["version"].as_str().unwrap().into(),
                license,
            }
        })
        .collect()
}

/// The page's production npm packages (`ui/package-lock.json` without dev-only ones).
fn npm_packages() -> Vec<ThirdParty> {
    let text = std::fs::read_to_string(root().join("ui/package-lock.json")).unwrap();
    let lock: Value = serde_json::from_str(&text).unwrap();
    lock["packages"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(key, p)| {
            key.starts_with("node_modules/")
                && p["dev"] != true
                && p["devOptional"] != true
                && p["link"] != true
        })
        .map(|(key, p)| ThirdParty {
            ecosystem: "npm".into(),
            name: key.rsplit("node_modules/").next().unwrap().into(),
            version: p["version"].as_str().unwrap().into(),
            license: p["license"].as_str().unwrap_or("not stated").into(),
        })
        .collect()
}

/// The list as `scripts/third-party` writes it: Rust crates first, then npm, each by name
/// and version; one component per line, so a dependency update is a readable diff.
fn third_party_json() -> String {
    let mut all: Vec<ThirdParty> = rust_crates();
    all.extend(npm_packages());
    all.sort_by(|a, b| {
        (a.ecosystem != "rust", &a.name, &a.version).cmp(&(
            b.ecosystem != "rust",
            &b.name,
            &b.version,
        ))
    });
    let lines: Vec<String> = all
        .iter()
        .map(|t| format!("  {}", serde_json::to_string(t).unwrap()))
        .collect();
    format!("[\n{}\n]\n", lines.join(",\n"))
}

/// Fails when `src-tauri/third_party.json` no longer matches Cargo.lock and
/// ui/package-lock.json (a dependency was added, removed or updated): run
/// `scripts/third-party` and commit the file. With `CSPULSE_WRITE_THIRD_PARTY=1` (what the
/// script sets) the test writes the file instead.
#[test]
fn the_third_party_list_matches_cargo_lock_and_package_lock() {
    let want = third_party_json();
    let path = root().join("src-tauri/third_party.json");
    if std::env::var_os("CSPULSE_WRITE_THIRD_PARTY").is_some() {
        std::fs::write(&path, &want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap();
    let parse = |t: &str| -> BTreeSet<ThirdParty> {
        serde_json::from_str::<Vec<ThirdParty>>(t)
            .unwrap()
            .into_iter()
            .collect()
    };
    let (want_set, have_set) = (parse(&want), parse(&have));
    let missing: Vec<_> = want_set
        .difference(&have_set)
        .map(|t| format!("{} {}", t.name, t.version))
        .collect();
    let extra: Vec<_> = have_set
        .difference(&want_set)
        .map(|t| format!("{} {}", t.name, t.version))
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "src-tauri/third_party.json is stale: run scripts/third-party and commit it.\n\
         missing: {missing:?}\nno longer used: {extra:?}"
    );
    assert_eq!(
        have, want,
        "src-tauri/third_party.json: run scripts/third-party (order or format)"
    );
    assert_eq!(
        cs_pulse_app::THIRD_PARTY_JSON,
        have,
        "the app embeds the committed list"
    );
}

// --- files to open -------------------------------------------------------------------------

#[test]
fn spreadsheet_paths_keeps_existing_importable_files_and_skips_options() {
    let dir = Tmp::new();
    let d = dir.dir();
    for f in [
        "a.xlsx",
        "B.CSV",
        "c.Ods",
        "d.xlsb",
        "e.xls",
        "f.txt",
        "g.tsv",
        "notes.pdf",
        "-dash.csv",
        "mit leer.csv",
    ] {
        std::fs::write(d.join(f), "x").unwrap();
    }
    std::fs::create_dir(d.join("folder.xlsx")).unwrap();
    let url = tauri::Url::from_file_path(d.join("mit leer.csv")).unwrap();
    assert!(url.as_str().contains("%20"), "{url}");
    let b = d.join("B.CSV");
    let argv: Vec<std::ffi::OsString> = [
        "/usr/bin/cs-pulse",
        "--flag",
        "-psn_0_12345",
        "a.xlsx",
        b.to_str().unwrap(),
        "c.Ods",
        "notes.pdf",
        "folder.xlsx",
        "missing.xlsx",
        "",
        "a.xlsx",
        "d.xlsb",
        "e.xls",
        "f.txt",
        "g.tsv",
        url.as_str(),
        "-dash.csv",
        "--",
        "-dash.csv",
    ]
    .iter()
    .map(Into::into)
    .collect();
    let got = spreadsheet_paths(&argv, d);
    let want: Vec<PathBuf> = [
        "a.xlsx",
        "B.CSV",
        "c.Ods",
        "d.xlsb",
        "e.xls",
        "f.txt",
        "g.tsv",
        "mit leer.csv",
        "-dash.csv",
    ]
    .iter()
    .map(|f| d.join(f))
    .collect();
    assert_eq!(got, want);
    // the program itself is never a file to open, relative paths are the caller's
    assert!(spreadsheet_paths(&[d.join("a.xlsx")], Path::new("/")).is_empty());
    assert!(spreadsheet_paths(&["cs-pulse", "a.xlsx"], Path::new("/nonexistent")).is_empty());
    assert!(is_openable(&d.join("a.xlsx")));
    assert!(
        !is_openable(&d.join("folder.xlsx")),
        "a folder is not a file"
    );
}

#[test]
fn one_running_copy_per_database() {
    let id = "app.cspulse.desktop";
    assert_eq!(
        instance_id(id, None),
        id,
        "the default database: the identifier"
    );
    let a = instance_id(id, Some(Path::new("/home/anna/acme.db")));
    let b = instance_id(id, Some(Path::new("/home/anna/globex.db")));
    assert_ne!(a, b, "two databases, two copies");
    assert_ne!(a, id);
    assert_eq!(
        a,
        instance_id(id, Some(Path::new("/home/anna/acme.db"))),
        "stable"
    );
    // a valid D-Bus well-known name once the plugin adds `.SingleInstance`
    let name = format!("{a}.SingleInstance");
    assert!(name.len() <= 255);
    for element in name.split('.') {
        assert!(!element.is_empty(), "{name}");
        assert!(!element.starts_with(|c: char| c.is_ascii_digit()), "{name}");
        assert!(
            element
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'),
            "{name}"
        );
    }
}

#[test]
fn files_to_open_wait_for_the_page_and_a_second_start_hands_over_its_files() {
    let dir = Tmp::new();
    let (app, sent) = app(&dir.db());
    let main = window(&app, "main");
    let first = dir.path("kunden.xlsx");
    let second = dir.path("tickets.csv");
    std::fs::write(&first, "x").unwrap();
    std::fs::write(&second, "x").unwrap();

    // the app's own command line, before the page listens: kept
    let drops = app.state::<cs_pulse_app::FileDrops>();
    let chosen = app.state::<cs_pulse_app::Chosen>();
    drops.open(&chosen, std::slice::from_ref(&first));
    assert_eq!(drops.pending(), 1);
    assert!(sent.lock().unwrap().is_empty());

    // the page starts listening: delivered at once, as a drop, as tokens and names only
    invoke(
        &main,
        "watch_file_drops",
        json!({ "onEvent": "__CHANNEL__:5" }),
    )
    .unwrap_or_else(|e| panic!("watch_file_drops: {e}"));
    assert_eq!(drops.pending(), 0);
    let dropped = |i: usize| -> Value { sent.lock().unwrap()[i].clone() };
    let folder = dir.dir().display().to_string();
    let first_drop = dropped(0);
    assert_eq!(first_drop["event"], "drop");
    assert_eq!(first_drop["files"][0]["name"], "kunden.xlsx");
    assert_eq!(first_drop["files"][0]["folder"], folder.as_str());
    // the token is what the import commands take: this file, and no other
    let token = first_drop["files"][0]["token"].as_str().unwrap().to_owned();
    assert_eq!(
        chosen.path(&token, cspulse_engine::Lang::En).unwrap(),
        first
    );

    // a second start in another folder with a relative path, an option and a PDF
    std::fs::write(dir.path("notes.pdf"), "x").unwrap();
    second_start(
        app.handle(),
        vec![
            "cs-pulse".into(),
            "--verbose".into(),
            "tickets.csv".into(),
            "notes.pdf".into(),
        ],
        dir.dir().display().to_string(),
    );
    let second_drop = dropped(1);
    assert_eq!(second_drop["files"].as_array().map(Vec::len), Some(1));
    assert_eq!(second_drop["files"][0]["name"], "tickets.csv");
    let token = second_drop["files"][0]["token"].as_str().unwrap();
    assert_eq!(
        chosen.path(token, cspulse_engine::Lang::En).unwrap(),
        second
    );
    // a second start without files only brings the window to the front
    second_start(app.handle(), vec!["cs-pulse".into()], "/".into());
    assert_eq!(sent.lock().unwrap().len(), 2);
}

// --- menu --------------------------------------------------------------------------------

/// The labels of the menu bar's submenus and their items, `&` removed.
fn labels(app: &tauri::App<MockRuntime>) -> Vec<String> {
    let menu = app.menu().expect("the app has a menu");
    let mut out = Vec::new();
    for item in menu.items().unwrap() {
        if let Some(sub) = item.as_submenu() {
            out.push(sub.text().unwrap().replace('&', ""));
            for i in sub.items().unwrap() {
                if let Some(m) = i.as_menuitem() {
                    out.push(m.text().unwrap().replace('&', ""));
                }
            }
        }
    }
    out
}

#[test]
fn the_menu_follows_the_language_setting_and_sends_clicks_to_the_page() {
    let dir = Tmp::new();
    let (app, sent) = app(&dir.db());
    // what the setup hook does when the app runs (a mock app is built, never run)
    cs_pulse_app::menu::set_at_start(app.handle());
    let main = window(&app, "main");

    invoke(
        &main,
        "set_setting",
        json!({ "key": "language", "value": "de", "lang": "de" }),
    )
    .unwrap_or_else(|e| panic!("set_setting: {e}"));
    let de = labels(&app);
    for l in [
        "Datei",
        "Importieren…",
        "Vorstandsbericht…",
        "Einstellungen…",
        "CS Pulse beenden",
        "Bearbeiten",
        "Hilfe",
        "Über CS Pulse",
    ] {
        assert!(de.iter().any(|x| x == l), "{l} in {de:?}");
    }
    invoke(
        &main,
        "set_setting",
        json!({ "key": "language", "value": "en", "lang": "en" }),
    )
    .unwrap_or_else(|e| panic!("set_setting: {e}"));
    let en = labels(&app);
    for l in [
        "File",
        "Import…",
        "Board report…",
        "Settings…",
        "Quit CS Pulse",
        "Edit",
        "Help",
        "About CS Pulse",
    ] {
        assert!(en.iter().any(|x| x == l), "{l} in {en:?}");
    }

    // clicks before the page listens are not queued; after watch_menu they arrive
    cs_pulse_app::menu::clicked(app.handle(), "import");
    assert!(sent.lock().unwrap().is_empty());
    invoke(&main, "watch_menu", json!({ "onEvent": "__CHANNEL__:3" }))
        .unwrap_or_else(|e| panic!("watch_menu: {e}"));
    for id in ["import", "export", "settings", "about", "no-such-item"] {
        cs_pulse_app::menu::clicked(app.handle(), id);
    }
    assert_eq!(
        *sent.lock().unwrap(),
        [
            json!({ "event": "import" }),
            json!({ "event": "export" }),
            json!({ "event": "settings" }),
            json!({ "event": "about" }),
        ]
    );
}
