//! How the app is started with files, and one running copy per database.
//!
//! - **Command line.** A file manager's "Open with CS Pulse" runs `cs-pulse FILE…` (the
//!   desktop file says `Exec=cs-pulse %F`; Windows passes the file the same way). The files
//!   that can be imported are kept until the page listens (`watch_file_drops`) and then start
//!   its import flow as a `drop`.
//! - **A second start** (single-instance plugin) does not open a second window: the running
//!   copy comes to the front and receives the second start's files; the second one exits.
//! - **macOS** hands files to a running or starting app as an "opened" event, not on the
//!   command line ([`opened`]).
//!
//! The import worker (this executable started again, `main.rs`) returns before any of this.

use crate::commands::drops::FileDrops;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use tauri::{AppHandle, Manager, Runtime};

/// The extensions of files the app opens for import (case does not matter).
pub const OPENABLE: &[&str] = &["xlsx", "xlsm", "xlsb", "xls", "ods", "csv", "txt", "tsv"];

/// Whether `path` is an existing file with an extension the import reads.
pub fn is_openable(path: &Path) -> bool {
    let ext_ok = path
        .extension()
        .and_then(OsStr::to_str)
        .is_some_and(|e| OPENABLE.iter().any(|o| o.eq_ignore_ascii_case(e)));
    ext_ok && path.is_file()
}

/// The files to import named on a command line: `argv` as the process got it (the first
/// element is the program and is skipped), relative paths taken from `cwd` (the directory
/// the command was started in, which for a second start is not ours). Options (`-x`,
/// `--flag`, `-psn_…` from macOS) are skipped; after `--` everything is a path. `file://`
/// URLs are accepted. Only existing files with an [`OPENABLE`] extension are kept, each once,
/// in the order given.
pub fn spreadsheet_paths<S: AsRef<OsStr>>(argv: &[S], cwd: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = Vec::new();
    let mut options_end = false;
    for arg in argv.iter().skip(1).map(AsRef::as_ref) {
        if arg.is_empty() {
            continue;
        }
        if !options_end {
            if arg == "--" {
                options_end = true;
                continue;
            }
            if arg.as_encoded_bytes().first() == Some(&b'-') {
                continue;
            }
        }
        let path = match arg.to_str().filter(|a| a.starts_with("file://")) {
            Some(url) => match tauri::Url::parse(url)
                .ok()
                .and_then(|u| u.to_file_path().ok())
            {
                Some(p) => p,
                None => continue,
            },
            None => cwd.join(arg),
        };
        if is_openable(&path) && !out.contains(&path) {
            out.push(path);
        }
    }
    out
}

/// The files on this process's own command line (none in the import worker).
pub fn startup_files() -> Vec<PathBuf> {
    if cspulse_engine::worker::is_worker() {
        return Vec::new();
    }
    let argv: Vec<_> = std::env::args_os().collect();
    let cwd = std::env::current_dir().unwrap_or_default();
    spreadsheet_paths(&argv, &cwd)
}

/// The name the running copy is found by (the D-Bus name on Linux, before the plugin's
/// `.SingleInstance`): one copy per database. The default database gets the app's
/// `identifier`; another one (`CSPULSE_DB`, as the tests and a second company use) gets a
/// name of its own derived from its path, so a test's app never hands its files to the
/// user's running copy, nor two databases share one window.
pub fn instance_id(identifier: &str, db: Option<&Path>) -> String {
    match db {
        None => identifier.to_owned(),
        Some(path) => {
            // FNV-1a: stable across builds and platforms (std's hasher is not)
            let hash = path
                .as_os_str()
                .as_encoded_bytes()
                .iter()
                .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                    (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
                });
            format!("{identifier}.db{hash:016x}")
        }
    }
}

/// The database this process will open when it is not the default (`CSPULSE_DB`), as an
/// absolute path when it exists, so that two starts from different folders agree.
pub fn chosen_db() -> Option<PathBuf> {
    let path = PathBuf::from(std::env::var_os("CSPULSE_DB").filter(|p| !p.is_empty())?);
    Some(std::fs::canonicalize(&path).unwrap_or(path))
}

/// The single-instance plugin for this start, scoped to its database. On Linux the D-Bus
/// name carries the database ([`instance_id`]); on Windows and macOS the plugin can only use
/// the app's identifier, so a start with `CSPULSE_DB` set runs without it there.
pub fn single_instance<R: Runtime>(identifier: &str) -> Option<tauri::plugin::TauriPlugin<R>> {
    let db = chosen_db();
    let builder = tauri_plugin_single_instance::Builder::new().callback(second_start::<R>);
    if cfg!(target_os = "linux") {
        return Some(
            builder
                .dbus_id(instance_id(identifier, db.as_deref()))
                .build(),
        );
    }
    db.is_none().then(|| builder.build())
}

/// Brings the main window to the front (unminimised, shown, focused).
fn to_front<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// The app was started a second time with `argv` in `cwd` (called by the single-instance
/// plugin in the running copy; the second process exits): the window comes to the front and
/// the files on that command line go to the page's import flow.
pub fn second_start<R: Runtime>(app: &AppHandle<R>, argv: Vec<String>, cwd: String) {
    let files = spreadsheet_paths(&argv, Path::new(&cwd));
    log::info!(
        "second start: window to the front, {} files to open",
        files.len()
    );
    to_front(app);
    app.state::<FileDrops>()
        .open(&app.state::<crate::files::Chosen>(), &files);
}

/// Files the system asked the app to open (macOS "Open with", a double-click in Finder).
pub fn opened<R: Runtime>(app: &AppHandle<R>, urls: &[tauri::Url]) {
    let files: Vec<PathBuf> = urls
        .iter()
        .filter_map(|u| u.to_file_path().ok())
        .filter(|p| is_openable(p))
        .collect();
    log::info!("opened by the system: {} files to open", files.len());
    to_front(app);
    app.state::<FileDrops>()
        .open(&app.state::<crate::files::Chosen>(), &files);
}
