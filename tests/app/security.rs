//! The desktop's security surface, pinned (issue 6). Fails when the effective capability set
//! or the Content Security Policy grows beyond the allowlists below, so that every widening
//! is a reviewed change of this file:
//!
//! - `tauri.conf.json`: CSP and dev CSP directive by directive, no remote URL, asset protocol
//!   off, no global `__TAURI__`, the brownfield pattern (README "Security" says why not the
//!   isolation pattern), no `dangerous*` switches;
//! - the capabilities (inline in `tauri.conf.json`; no `capabilities/` folder): main window
//!   only, local content only, the listed permissions only;
//! - the effective commands: each granted permission expanded through the ACL manifests that
//!   tauri-build generated for this build (plugins' and the app's `src-tauri/permissions/`),
//!   compared with the list of commands the page may call;
//! - the real runtime authority: a window other than `main` cannot call the app's commands;
//! - what plugins add to the page: no plugin in use injects a script (the dialog plugin's
//!   replaced `window.confirm`, which is how the confirmations stopped asking), and none
//!   registers a command beyond the allowlist;
//! - `Object.prototype` frozen before the page's scripts run; no developer tools in release builds; the Cargo features of `tauri`
//!   pinned (no `devtools`, no `protocol-asset`, …); the e2e build's dialog seam is a feature
//!   no shipped build has;
//! - navigation: only the app's own origin ([`cs_pulse_app::is_own_origin`]).

use crate::tmp::Tmp;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The only commands the page may call, as `plugin|command` (`app` = our own).
const ALLOWED_COMMANDS: &[&str] = &[
    "app|already_imported",
    "app|app_info",
    "app|apply_settings",
    "app|backup_database",
    "app|batch_issues",
    "app|billing_lines",
    "app|browse_close",
    "app|browse_datasets",
    "app|browse_open",
    "app|browse_page",
    "app|cancel_import",
    "app|choose_backup",
    "app|choose_import_files",
    "app|clear_demo",
    "app|delete_profile",
    "app|explain_account",
    "app|export_profile",
    "app|export_report",
    "app|find_profile",
    "app|get_backtest",
    "app|get_breakdown",
    "app|get_dashboard",
    "app|get_notes",
    "app|get_renewals",
    "app|get_settings",
    "app|has_sample",
    "app|import_file",
    "app|import_overlaps",
    "app|import_profile",
    "app|inspect_file",
    "app|link_book",
    "app|link_proposals",
    "app|link_value",
    "app|list_accounts",
    "app|list_batches",
    "app|list_group_accounts",
    "app|list_profiles",
    "app|preview_settings",
    "app|rename_profile",
    "app|reset_settings",
    "app|restore_database",
    "app|save_issues",
    "app|set_note",
    "app|set_setting",
    "app|take_back",
    "app|undo_batch",
    "app|unlink_value",
    "app|watch_file_drops",
    "app|watch_menu",
];

/// The only permissions a capability may grant.
const ALLOWED_PERMISSIONS: &[&str] = &[
    "allow-already-imported",
    "allow-app-info",
    "allow-apply-settings",
    "allow-backup-database",
    "allow-batch-issues",
    "allow-billing-lines",
    "allow-browse-close",
    "allow-browse-datasets",
    "allow-browse-open",
    "allow-browse-page",
    "allow-cancel-import",
    "allow-choose-backup",
    "allow-choose-import-files",
    "allow-clear-demo",
    "allow-delete-profile",
    "allow-explain-account",
    "allow-export-profile",
    "allow-export-report",
    "allow-find-profile",
    "allow-get-backtest",
    "allow-get-breakdown",
    "allow-get-dashboard",
    "allow-get-notes",
    "allow-get-renewals",
    "allow-get-settings",
    "allow-has-sample",
    "allow-import-file",
    "allow-import-overlaps",
    "allow-import-profile",
    "allow-inspect-file",
    "allow-link-book",
    "allow-link-proposals",
    "allow-link-value",
    "allow-list-accounts",
    "allow-list-batches",
    "allow-list-group-accounts",
    "allow-list-profiles",
    "allow-preview-settings",
    "allow-rename-profile",
    "allow-reset-settings",
    "allow-restore-database",
    "allow-save-issues",
    "allow-set-note",
    "allow-set-setting",
    "allow-take-back",
    "allow-undo-batch",
    "allow-unlink-value",
    "allow-watch-file-drops",
    "allow-watch-menu",
];

/// Each CSP directive with the sources it may have (the production policy).
const CSP: &[(&str, &str)] = &[
    ("default-src", "'self'"),
    ("script-src", "'self'"),
    ("style-src", "'self'"),
    ("img-src", "'self' data:"),
    ("font-src", "'self'"),
    ("connect-src", "ipc: http://ipc.localhost"),
    ("frame-src", "'none'"),
    ("worker-src", "'none'"),
    ("media-src", "'none'"),
    ("manifest-src", "'none'"),
    ("object-src", "'none'"),
    ("base-uri", "'none'"),
    ("form-action", "'none'"),
    ("frame-ancestors", "'none'"),
];

/// `tauri dev` only: Vite's dev server and its injected styles.
const DEV_CSP: &[(&str, &str)] = &[
    ("default-src", "'self'"),
    ("script-src", "'self'"),
    ("style-src", "'self' 'unsafe-inline'"),
    ("img-src", "'self' data:"),
    ("font-src", "'self'"),
    (
        "connect-src",
        "ipc: http://ipc.localhost ws://localhost:1420",
    ),
    ("object-src", "'none'"),
    ("base-uri", "'none'"),
];

/// The URLs the configuration may name: its schema, the IPC origin, the dev server.
const ALLOWED_URLS: &[&str] = &[
    "https://schema.tauri.app/config/2",
    "http://ipc.localhost",
    "http://localhost:1420",
    "ws://localhost:1420",
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn config() -> Value {
    let text = std::fs::read_to_string(root().join("tauri.conf.json")).expect("tauri.conf.json");
    serde_json::from_str(&text).expect("tauri.conf.json is JSON")
}

fn directives(csp: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let split = |s: &str| s.split_whitespace().map(str::to_owned).collect();
    match csp {
        Value::Object(m) => m
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    split(v.as_str().expect("a directive is a string")),
                )
            })
            .collect(),
        Value::String(s) => s
            .split(';')
            .filter_map(|d| {
                let mut parts = d.split_whitespace();
                let name = parts.next()?.to_owned();
                Some((name, parts.map(str::to_owned).collect()))
            })
            .collect(),
        other => panic!("a CSP is a string or an object, got {other}"),
    }
}

fn assert_csp(csp: &Value, allowed: &[(&str, &str)], which: &str) {
    let got = directives(csp);
    let want: BTreeMap<String, BTreeSet<String>> = allowed
        .iter()
        .map(|(k, v)| {
            (
                k.to_string(),
                v.split_whitespace().map(str::to_owned).collect(),
            )
        })
        .collect();
    for (name, sources) in &got {
        let Some(ok) = want.get(name) else {
            panic!("{which}: directive {name} is not in the allowlist");
        };
        let extra: Vec<_> = sources.difference(ok).collect();
        assert!(extra.is_empty(), "{which}: {name} grew by {extra:?}");
    }
    // a missing directive falls back to default-src; a missing restrictive one is a widening
    for (name, sources) in &want {
        assert_eq!(
            got.get(name),
            Some(sources),
            "{which}: {name} must stay exactly {sources:?}"
        );
    }
}

fn strings<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::String(s) => out.push(s),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(m) => m.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

#[test]
fn the_content_security_policy_stays_within_its_allowlist() {
    let c = config();
    let sec = &c["app"]["security"];
    assert_csp(&sec["csp"], CSP, "csp");
    assert_csp(&sec["devCsp"], DEV_CSP, "devCsp");
}

#[test]
fn the_configuration_names_no_remote_url_and_turns_off_what_widens_the_page() {
    let c = config();
    let mut all = Vec::new();
    strings(&c, &mut all);
    for s in all {
        for scheme in ["http://", "https://", "ws://", "wss://"] {
            for (i, _) in s.match_indices(scheme) {
                let url = s[i..].split([' ', ';', '"']).next().unwrap_or_default();
                assert!(
                    ALLOWED_URLS.contains(&url),
                    "tauri.conf.json names {url}, which is not in ALLOWED_URLS"
                );
            }
        }
    }
    let sec = &c["app"]["security"];
    assert_eq!(
        sec["assetProtocol"]["enable"],
        Value::Bool(false),
        "asset protocol off"
    );
    assert!(sec["assetProtocol"]["scope"].is_null(), "no asset scope");
    assert_eq!(
        sec["pattern"]["use"], "brownfield",
        "the pattern is a decision (README Security)"
    );
    assert_ne!(
        c["app"]["withGlobalTauri"],
        Value::Bool(true),
        "no global __TAURI__"
    );
    for key in [
        "dangerousDisableAssetCspModification",
        "dangerousRemoteDomainIpcAccess",
    ] {
        assert!(sec[key].is_null(), "{key} is set");
    }
    // Object.prototype is frozen by the main window's own first script instead: Tauri's plain
    // Object.freeze breaks Preact (the override mistake, README "Security")
    assert_eq!(
        sec["freezePrototype"],
        Value::Bool(false),
        "Tauri's freezePrototype would run first and keep the page from rendering"
    );
    let freeze = cs_pulse_app::FREEZE_PROTOTYPE;
    assert!(
        freeze.contains("Object.freeze(proto);"),
        "the window's script freezes Object.prototype"
    );
    let lib = std::fs::read_to_string(root().join("src-tauri/src/lib.rs")).expect("lib.rs");
    assert!(
        lib.contains(".initialization_script(FREEZE_PROTOTYPE)"),
        "main_window installs the freeze"
    );
    // the one language rule's system part, as data the page cannot change (a JSON string
    // or null, so no locale text can become code)
    assert!(lib.contains(".initialization_script(system_locale_script())"));
    let script = cs_pulse_app::system_locale_script();
    let value = script
        .strip_prefix("Object.defineProperty(window, \"__CSPULSE_SYSTEM_LOCALE__\", { value: ")
        .and_then(|r| r.strip_suffix(", writable: false, configurable: false });"))
        .unwrap_or_else(|| panic!("the script's shape: {script}"));
    let tag: Option<String> = serde_json::from_str(value).expect("a JSON string or null");
    assert_eq!(tag, cspulse_engine::lang::system_tag());
    let windows = c["app"]["windows"].as_array().expect("windows");
    assert_eq!(windows.len(), 1, "one window");
    for w in windows {
        assert!(
            w["url"].is_null(),
            "a window loads only the app's own page: {w}"
        );
        assert_eq!(
            w["create"],
            Value::Bool(false),
            "the main window is created by main_window(), with its navigation guard: {w}"
        );
        assert_ne!(w["devtools"], Value::Bool(true), "no devtools switch: {w}");
    }
}

#[test]
fn capabilities_grant_only_the_allowlisted_permissions_to_the_main_window() {
    assert!(
        !root().join("capabilities").exists(),
        "capabilities live inline in tauri.conf.json; a capabilities/ folder is not checked here"
    );
    let c = config();
    let caps = c["app"]["security"]["capabilities"]
        .as_array()
        .expect("inline capabilities");
    assert!(!caps.is_empty());
    for cap in caps {
        let id = &cap["identifier"];
        assert_eq!(
            cap["windows"],
            serde_json::json!(["main"]),
            "{id}: main only"
        );
        assert!(cap["webviews"].is_null(), "{id}: no webview wildcards");
        assert!(cap["remote"].is_null(), "{id}: no remote content");
        for p in cap["permissions"].as_array().expect("permissions") {
            let p = p
                .as_str()
                .expect("a permission is a plain identifier, no scope");
            assert!(
                ALLOWED_PERMISSIONS.contains(&p),
                "{id} grants {p}, which is not in ALLOWED_PERMISSIONS"
            );
        }
    }
}

/// The key of the app's own manifest in `acl-manifests.json` (`tauri_utils::acl::APP_ACL_KEY`).
const APP: &str = "__app-acl__";

/// The manifests tauri-build resolved for this very build (plugins and the app's).
fn acl_manifests() -> Value {
    let path = Path::new(env!("OUT_DIR")).join("acl-manifests.json");
    serde_json::from_str(&std::fs::read_to_string(&path).expect("acl-manifests.json"))
        .expect("JSON")
}

/// `plugin|command` for every command a permission (or set, or `default`) allows.
fn expand(manifests: &Value, id: &str, out: &mut BTreeSet<String>, depth: u32) {
    assert!(depth < 16, "permission sets nest too deep at {id}");
    let (plugin, name) = match id.rsplit_once(':') {
        Some((plugin, name)) => (plugin, name),
        None => (APP, id),
    };
    let m = &manifests[plugin];
    assert!(
        m.is_object(),
        "no ACL manifest for {plugin} (permission {id})"
    );
    let qualify = |p: &str| {
        if plugin == APP || p.contains(':') {
            p.to_owned()
        } else {
            format!("{plugin}:{p}")
        }
    };
    if name == "default" {
        for p in m["default_permission"]["permissions"]
            .as_array()
            .into_iter()
            .flatten()
        {
            expand(
                manifests,
                &qualify(p.as_str().unwrap_or_default()),
                out,
                depth + 1,
            );
        }
    } else if let Some(set) = m["permission_sets"].get(name) {
        for p in set["permissions"].as_array().into_iter().flatten() {
            expand(
                manifests,
                &qualify(p.as_str().unwrap_or_default()),
                out,
                depth + 1,
            );
        }
    } else if let Some(perm) = m["permissions"].get(name) {
        for c in perm["commands"]["allow"].as_array().into_iter().flatten() {
            let plugin = if plugin == APP { "app" } else { plugin };
            out.insert(format!("{plugin}|{}", c.as_str().unwrap_or_default()));
        }
        let scope = &perm["scope"]["allow"];
        assert!(
            scope.is_null() || scope.as_array().is_some_and(|a| a.is_empty()),
            "{id} carries a scope: {scope}"
        );
    } else {
        panic!("{id}: no such permission in the ACL manifests");
    }
}

#[test]
fn the_effective_command_set_is_exactly_the_allowlist() {
    let manifests = acl_manifests();
    let c = config();
    let mut effective = BTreeSet::new();
    for cap in c["app"]["security"]["capabilities"]
        .as_array()
        .expect("capabilities")
    {
        for p in cap["permissions"].as_array().expect("permissions") {
            expand(
                &manifests,
                p.as_str().expect("identifier"),
                &mut effective,
                0,
            );
        }
    }
    let allowed: BTreeSet<String> = ALLOWED_COMMANDS.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        effective, allowed,
        "the commands the page can call changed; review and update ALLOWED_COMMANDS"
    );
    // every permission the app defines allows only allowlisted commands
    let mut app_defined = BTreeSet::new();
    for (name, _) in manifests[APP]["permissions"]
        .as_object()
        .expect("the app has an ACL manifest (src-tauri/permissions)")
    {
        expand(&manifests, name, &mut app_defined, 0);
    }
    assert!(
        app_defined.is_subset(&allowed),
        "src-tauri/permissions defines {app_defined:?}"
    );
}

// --- what plugins add to the page ------------------------------------------------------------

#[test]
fn no_plugin_in_use_injects_a_script_into_the_page() {
    use tauri::plugin::Plugin as _;
    let mut names = Vec::new();
    let plugins = cs_pulse_app::desktop_plugins::<tauri::test::MockRuntime>("app.cspulse.desktop")
        .into_iter()
        .chain(cs_pulse_app::app_plugins());
    for plugin in plugins {
        names.push(plugin.name());
        assert_eq!(
            plugin.initialization_script(),
            None,
            "plugin {} injects a script into the page",
            plugin.name()
        );
        assert!(
            plugin.initialization_script_2().is_none(),
            "plugin {} injects a script into the page",
            plugin.name()
        );
    }
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "cspulse-database",
            "cspulse-quit",
            "log",
            "single-instance",
            "window-state"
        ],
        "the plugins in use (a new one is reviewed here)"
    );
}

#[test]
fn no_plugin_brings_a_command_outside_the_allowlist() {
    let manifests = acl_manifests();
    let plugins: BTreeSet<&str> = manifests
        .as_object()
        .expect("manifests")
        .keys()
        .map(String::as_str)
        .filter(|k| *k != APP && !k.starts_with("core"))
        .collect();
    // the plugins whose commands exist at all (none granted): log's, the window state's
    assert_eq!(
        plugins,
        BTreeSet::from(["log", "window-state"]),
        "a plugin with commands was added: review its permissions and init script"
    );
    let allowed: BTreeSet<String> = ALLOWED_COMMANDS.iter().map(|s| s.to_string()).collect();
    let c = config();
    for cap in c["app"]["security"]["capabilities"]
        .as_array()
        .expect("capabilities")
    {
        for p in cap["permissions"].as_array().expect("permissions") {
            let p = p.as_str().expect("identifier");
            assert!(
                !p.contains(':'),
                "{p}: no plugin or core permission is granted"
            );
            let mut got = BTreeSet::new();
            expand(&manifests, p, &mut got, 0);
            assert!(got.is_subset(&allowed), "{p} grants {got:?}");
        }
    }
}

// --- build: tauri's features, devtools, the e2e seam ---------------------------------------

/// The features of the `tauri` crate as Cargo resolves them for this workspace (`test` comes
/// from the dev-dependency of `tests/app`).
const TAURI_FEATURES: &[&str] = &[
    "common-controls-v6",
    "compression",
    "dbus",
    "default",
    "dynamic-acl",
    "tauri-runtime-wry",
    "test",
    "webkit2gtk",
    "webview2-com",
    "wry",
    "x11",
];

/// Features of `tauri` that widen the page or the app and must never be on.
const FORBIDDEN_TAURI_FEATURES: &[&str] = &[
    "devtools",
    "protocol-asset",
    "isolation",
    "macos-private-api",
    "unstable",
    "tray-icon",
    "webview-data-url",
    "specta",
    "image-ico",
    "image-png",
];

#[test]
fn tauris_features_are_pinned_and_devtools_stay_out_of_release_builds() {
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
    let meta: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let tauri = meta["resolve"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .find(|n| {
            n["id"]
                .as_str()
                .is_some_and(|id| id.contains("#tauri@") || id.ends_with("/tauri#2"))
        })
        .expect("tauri in the resolve graph");
    let got: BTreeSet<&str> = tauri["features"]
        .as_array()
        .expect("features")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for f in FORBIDDEN_TAURI_FEATURES {
        assert!(!got.contains(f), "tauri's feature {f} is on");
    }
    assert_eq!(
        got,
        TAURI_FEATURES.iter().copied().collect(),
        "tauri's features changed: review and update TAURI_FEATURES"
    );

    // our own features: custom-protocol (what `tauri build` passes) and the e2e seam, no more
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).expect("Cargo.toml");
    let features = manifest
        .split("\n[features]\n")
        .nth(1)
        .expect("a [features] table")
        .split("\n[")
        .next()
        .unwrap_or_default();
    let declared: Vec<&str> = features
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    assert_eq!(
        declared,
        ["custom-protocol = [\"tauri/custom-protocol\"]", "e2e = []"],
        "the app's features: nothing turns on more of tauri, no default features"
    );
    // the window's developer tools: only in debug builds (main_window), never by config
    let lib = std::fs::read_to_string(root().join("src-tauri/src/lib.rs")).expect("lib.rs");
    assert!(lib.contains(".devtools(cfg!(debug_assertions))"));
    let conf = config();
    assert!(
        conf["build"]["features"].is_null(),
        "tauri build passes no features of its own (the e2e seam stays out of shipped builds)"
    );
}

#[test]
fn the_window_navigates_only_within_the_apps_own_origin() {
    let url = |s: &str| tauri::Url::parse(s).expect("a URL");
    let dev = url("http://localhost:1420/");
    for ok in [
        "tauri://localhost",
        "tauri://localhost/index.html#/import",
        "http://tauri.localhost/",
        "https://tauri.localhost/index.html",
    ] {
        assert!(cs_pulse_app::is_own_origin(&url(ok), None), "{ok}");
    }
    assert!(cs_pulse_app::is_own_origin(
        &url("http://localhost:1420/#/"),
        Some(&dev)
    ));
    for refused in [
        "https://example.com/",
        "http://localhost:1420/",
        "http://tauri.localhost.evil.example/",
        "http://tauri.localhost:8080/",
        "tauri://evil.example/",
        "file:///etc/passwd",
        "data:text/html,<script>alert(1)</script>",
        "javascript:alert(1)",
        "blob:tauri://localhost/1234",
        "about:blank",
        "ipc://localhost/get_dashboard",
        "asset://localhost/etc/passwd",
    ] {
        assert!(
            !cs_pulse_app::is_own_origin(&url(refused), None),
            "{refused} must be refused (the dev server only in a dev build)"
        );
    }
}

#[test]
fn the_main_window_is_built_from_its_configuration_with_the_guards() {
    let dir = Tmp::new();
    let app = crate::real_app(&dir.db());
    let main = cs_pulse_app::main_window(app.handle()).expect("the main window");
    assert_eq!(main.label(), "main");
    use tauri::Manager as _;
    assert!(app.get_webview_window("main").is_some());
}
