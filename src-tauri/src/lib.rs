//! The desktop shell of CS Pulse: the only Rust code that knows Tauri.
//!
//! It opens the store, loads the sample company on a first start, and exposes thin
//! commands over the engine (`cspulse_engine`), which knows nothing of windows or IPC.
//!
//! Security (README "Security"): the page has no filesystem, shell or HTTP access; it never
//! names a file by its path: files are chosen in native dialogs run from Rust, dropped, or
//! given on the command line, and the page refers to them by token ([`files`]). Every command
//! has a permission granted to the main window only; the window navigates only within the
//! app's own origin ([`main_window`]); every command body runs in [`guard::guard`], so a bug
//! answers with an error instead of a window that never updates, and every command that
//! touches the database or a file runs off the async runtime's threads ([`guard::blocking`]).
//!
//! As a desktop app (README "Install"): one running copy per database, which a second start
//! brings to the front and hands its files to ([`launch`]); the window's size and position
//! are remembered; files opened with the app start the import flow; a native menu in German
//! or English ([`menu`]).

mod commands;
mod db;
mod error;
pub mod files;
mod guard;
pub mod launch;
pub mod menu;
pub mod platform;

pub use commands::about::{third_party, AppInfo, ThirdParty, THIRD_PARTY_JSON};
pub use commands::drops::FileDrops;
pub use commands::import::Imports;
pub use db::Db;
pub use error::{app_message, AppCode, Code, CommandError};
pub use files::{Chosen, ChosenFile, Dialogs};
pub use guard::guard;
pub use menu::{MenuEvent, Menus};

use std::time::Duration;
use tauri::webview::NewWindowResponse;
use tauri::{AppHandle, Builder, Manager as _, Runtime, Url, WebviewWindow, WebviewWindowBuilder};
use tauri_plugin_log::{RotationStrategy, Target, TargetKind};
use tauri_plugin_window_state::StateFlags;

/// Everything the app adds to a Tauri builder: the store as managed state, the files the user
/// chose and the native dialogs, the menu and the commands. Generic over the runtime so
/// `tests/app` starts the same setup on `tauri::test::mock_builder()`. The main window is
/// created by [`main_window`].
///
/// The store starts opening here, on a thread of its own, while the window starts; a command
/// that comes before it is open waits for it (db.rs). A store that cannot be opened is not
/// fatal: every command then answers with the reason, and the window shows a plain-language
/// message instead of nothing.
pub fn build_app<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    let mut builder = builder;
    for plugin in app_plugins() {
        builder = builder.plugin(plugin);
    }
    builder
        // workbooks are read by this executable started again as a worker (main.rs)
        .manage(Imports::new(std::env::current_exe().ok()))
        .manage(commands::drops::FileDrops::default())
        .manage(files::Chosen::default())
        .manage(files::Dialogs::default())
        .manage(menu::Menus::default())
        .on_window_event(|window, event| {
            if let (tauri::WindowEvent::DragDrop(drop), "main") = (event, window.label()) {
                window
                    .state::<commands::drops::FileDrops>()
                    .report(&window.state::<files::Chosen>(), drop);
            }
        })
        .manage(std::sync::Mutex::new(commands::browse::Views::default()))
        .on_menu_event(|app, event| menu::clicked(app, event.id().as_ref()))
        .invoke_handler(tauri::generate_handler![
            commands::dashboard::get_dashboard,
            commands::dashboard::list_accounts,
            commands::dashboard::explain_account,
            commands::settings::get_settings,
            commands::settings::set_setting,
            commands::settings::reset_settings,
            commands::settings::apply_settings,
            commands::trust::get_backtest,
            commands::trust::preview_settings,
            commands::board::get_breakdown,
            commands::board::list_group_accounts,
            commands::board::get_renewals,
            commands::board::get_notes,
            commands::board::set_note,
            commands::report::export_report,
            commands::database::backup_database,
            commands::database::choose_backup,
            commands::database::restore_database,
            commands::import::choose_import_files,
            commands::import::inspect_file,
            commands::import::import_file,
            commands::import::cancel_import,
            commands::history::list_batches,
            commands::history::undo_batch,
            commands::history::take_back,
            commands::history::batch_issues,
            commands::history::billing_lines,
            commands::history::save_issues,
            commands::history::clear_demo,
            commands::import::import_overlaps,
            commands::import::already_imported,
            commands::import::has_sample,
            commands::import::find_profile,
            commands::profiles::list_profiles,
            commands::profiles::rename_profile,
            commands::profiles::delete_profile,
            commands::profiles::export_profile,
            commands::profiles::import_profile,
            commands::links::link_book,
            commands::links::link_proposals,
            commands::links::link_value,
            commands::links::unlink_value,
            commands::drops::watch_file_drops,
            commands::browse::browse_datasets,
            commands::browse::browse_open,
            commands::browse::browse_page,
            commands::browse::browse_close,
            commands::about::app_info,
            menu::watch_menu,
        ])
}

/// What the running app does once its event loop starts (Tauri's setup hook, where it would
/// create the configured window): the main window with its guards ([`main_window`]) and the
/// native menu. Not part of [`build_app`]: the mock runtime has no menus, and the tests create
/// their own windows.
pub fn setup<R: Runtime>(app: &mut tauri::App<R>) -> Result<(), Box<dyn std::error::Error>> {
    // the database opens on its own thread meanwhile (db.rs); not waited for here, so that the
    // window is not held up
    log::info!("CS Pulse {} started", env!("CARGO_PKG_VERSION"));
    main_window(app.handle())?;
    menu::set_at_start(app.handle());
    Ok(())
}

/// The plugins of the desktop process around [`build_app`], in the order they are added:
/// first the single-instance plugin, so that a second start hands over its files and exits
/// before the database is opened, the window created or anything else set up; then the log
/// and the window state. None of them adds a script to the page or a command it may call
/// (`tests/app/security.rs`).
pub fn desktop_plugins<R: Runtime>(identifier: &str) -> Vec<tauri::plugin::TauriPlugin<R>> {
    let mut all = Vec::new();
    all.extend(launch::single_instance(identifier));
    all.push(logging());
    all.push(window_state());
    all
}

/// The plugins [`build_app`] adds: the database opening and the imports' end on quitting.
pub fn app_plugins<R: Runtime>() -> Vec<tauri::plugin::TauriPlugin<R>> {
    vec![database(), quit()]
}

/// Starts opening the store (db.rs) in a plugin's setup, which `build()` runs in the order
/// the plugins were added: after the single-instance plugin `run` adds first, so that a
/// second start hands over its files and exits before it touches the database, and before
/// the window is created, so the database still opens while WebKit starts.
fn database<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri::plugin::Builder::new("cspulse-database")
        .setup(|app, _api| {
            app.manage(db::Db::open_or_load_demo());
            Ok(())
        })
        .build()
}

/// On quitting (the window closed, File → Quit): every running import is cancelled and its
/// worker killed before the process exits, so that no worker is left holding the database's
/// write transaction ([`Imports::shutdown`]).
fn quit<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri::plugin::Builder::new("cspulse-quit")
        .on_event(|app, event| {
            if let tauri::RunEvent::Exit = event {
                if let Some(imports) = app.try_state::<Imports>() {
                    imports.shutdown(Duration::from_secs(30));
                }
            }
        })
        .build()
}

/// Whether `url` is the app's own page: `tauri://localhost` (Linux, macOS),
/// `http(s)://tauri.localhost` (Windows), and in a development build the dev server
/// (`dev_url`). Anything else (another site, `file:`, `data:`, `javascript:`) is not.
pub fn is_own_origin(url: &Url, dev_url: Option<&Url>) -> bool {
    let same = |a: &Url, b: &Url| a.origin() == b.origin() && a.origin().is_tuple();
    match url.scheme() {
        "tauri" => url.host_str() == Some("localhost") && url.port().is_none(),
        "http" | "https" => {
            (url.host_str() == Some("tauri.localhost") && url.port().is_none())
                || dev_url.is_some_and(|d| same(d, url))
        }
        _ => false,
    }
}

/// The script that freezes `Object.prototype` before the page's scripts run, in a way Preact
/// survives (see the script; Tauri's own `freezePrototype` breaks the page, so it is off).
pub const FREEZE_PROTOTYPE: &str = include_str!("page/freeze_prototype.js");

/// The page's part of the one language rule (`cspulse_engine::lang`): the system's language
/// as the CLI and the menu read it (`sys-locale`: the user's locale on Windows and macOS,
/// `LANG` and the like on Linux), given to the page before its scripts run as
/// `window.__CSPULSE_SYSTEM_LOCALE__` (read-only; `null` when the system says none). The page
/// does not ask the web view (`navigator.language` is WebView2's display language on
/// Windows, which may not be the user's locale the menu follows).
pub fn system_locale_script() -> String {
    let tag = serde_json::to_string(&cspulse_engine::lang::system_tag())
        .unwrap_or_else(|_| "null".to_owned());
    format!(
        "Object.defineProperty(window, \"__CSPULSE_SYSTEM_LOCALE__\", {{ value: {tag}, writable: false, configurable: false }});"
    )
}

/// The main window, as `tauri.conf.json` describes it (which does not create it), with what
/// the configuration cannot say: it navigates only within the app's own origin
/// ([`is_own_origin`]; the dev server only in a development build), it opens no other window
/// (`window.open` is refused), `Object.prototype` is frozen before the page's scripts run
/// ([`FREEZE_PROTOTYPE`]), the system's language is given to the page
/// ([`system_locale_script`]), and its developer tools are off in release builds.
pub fn main_window<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<WebviewWindow<R>> {
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == "main")
        .cloned()
        .ok_or_else(|| tauri::Error::WindowNotFound)?;
    let dev_url = if tauri::is_dev() {
        app.config().build.dev_url.clone()
    } else {
        None
    };
    WebviewWindowBuilder::from_config(app, &config)?
        .on_navigation(move |url| {
            let ok = is_own_origin(url, dev_url.as_ref());
            if !ok {
                log::warn!(
                    "refused to navigate away from the app ({} URL)",
                    url.scheme()
                );
            }
            ok
        })
        .on_new_window(|_url, _features| {
            log::warn!("refused to open a new window");
            NewWindowResponse::Deny
        })
        .initialization_script(system_locale_script())
        .initialization_script(FREEZE_PROTOTYPE)
        .devtools(cfg!(debug_assertions))
        .build()
}

/// The app's configuration, assets and resolved capabilities (`tauri.conf.json` and
/// `src-tauri/permissions/`), for any runtime: `tests/app` checks the real ACL with it.
pub fn context<R: Runtime>() -> tauri::Context<R> {
    tauri::generate_context!()
}

/// A rotating log file in the app's log folder (`…/app.cspulse.desktop/logs/cs-pulse.log`
/// on Linux): at most 1 MB per file, the last 5 files kept. It records events, error codes
/// and counts, never a cell value, a file's content or an error message (messages may quote
/// the user's data). The page cannot write to it (no `log:` permission).
fn logging<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri_plugin_log::Builder::new()
        .clear_targets()
        .target(Target::new(TargetKind::LogDir {
            file_name: Some("cs-pulse".into()),
        }))
        .max_file_size(1_000_000)
        .rotation_strategy(RotationStrategy::KeepSome(5))
        .level(log::LevelFilter::Info)
        .build()
}

/// The window's size, position and maximised state, saved on exit and restored at the next
/// start (`.window-state.json` in the app's config folder). Used from Rust only: the page has
/// no window-state permission.
fn window_state<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri_plugin_window_state::Builder::new()
        .with_state_flags(StateFlags::SIZE | StateFlags::POSITION | StateFlags::MAXIMIZED)
        .build()
}

/// Starts the desktop app (called by `main`, never in the import worker).
pub fn run() {
    // a panic's message may quote data; the log gets where it happened, not what it said
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        log::error!("panic at {at}");
        if cfg!(debug_assertions) {
            default_hook(info);
        }
    }));
    let context = context();
    let mut builder = Builder::default();
    for plugin in desktop_plugins(&context.config().identifier) {
        builder = builder.plugin(plugin);
    }
    let app = build_app(builder)
        .setup(setup)
        .build(context)
        .unwrap_or_else(|e| {
            log::error!("could not start");
            eprintln!("CS Pulse could not start: {e}");
            std::process::exit(1)
        });
    let files = launch::startup_files();
    if !files.is_empty() {
        log::info!("started with {} files to open", files.len());
        app.state::<FileDrops>()
            .open(&app.state::<files::Chosen>(), &files);
    }
    app.run(|_app, _event| {
        #[cfg(target_os = "macos")]
        if let tauri::RunEvent::Opened { urls } = &_event {
            launch::opened(_app, urls);
        }
    });
}
