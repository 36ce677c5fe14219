//! Files the user chose, and only those (README "Security").
//!
//! The page never names a file by its path. Every file a command reads or writes came to the
//! Rust side from the user:
//!
//! - **Files to read** (to import, or a backup to restore) come from the native open dialog
//!   ([`Dialogs::open`]), a drop onto the window, or the app's command line ("Open with", a
//!   second start). Each is registered in [`Chosen`] and the page gets an opaque token with a
//!   display name ([`ChosenFile`]); `inspect_file`, `import_file` and `restore_database` take
//!   the token. A token the page was not handed is refused (`file_not_chosen`).
//! - **Files to write** (the board report, a batch's issues, a backup) are chosen in the
//!   native save dialog by the command that writes them ([`Dialogs::save`]); the dialog asks
//!   before it replaces a file. The page never holds a save target at all.
//!
//! Paths stay `PathBuf` from the OS to the engine, so a file whose name is not UTF-8 imports;
//! the page sees its name lossily, for display only.
//!
//! The dialogs are rfd's, run from Rust (the GTK dialog on the main thread, as the dialog
//! plugin does it). Tests answer them instead ([`Dialogs::script`]); an e2e build (cargo
//! feature `e2e`) reads the answers from the file named by `CSPULSE_E2E_PICKS`. Neither is
//! reachable from the page, and a shipped build has no such file seam.

use crate::error::{text, CommandError};
use cspulse_engine::error::Lang;
use serde::Serialize;
use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasher, RandomState};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use tauri::{AppHandle, Manager, Runtime};

fn locked<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A file the user chose, as the page knows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ChosenFile {
    /// What the commands take instead of a path; valid for this run of the app.
    pub token: String,
    /// The file's name for showing (lossy when it is not UTF-8).
    pub name: String,
    /// The folder it is in, for showing (lossy).
    pub folder: String,
}

/// The files the user handed to the app this session (dialog, drop, command line), by token.
pub struct Chosen {
    files: Mutex<HashMap<String, PathBuf>>,
    keys: RandomState,
    next: AtomicU64,
}

impl Default for Chosen {
    fn default() -> Self {
        Chosen {
            files: Mutex::new(HashMap::new()),
            keys: RandomState::new(),
            next: AtomicU64::new(1),
        }
    }
}

/// A path's file name and folder for showing.
pub fn display_name(path: &Path) -> (String, String) {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string_lossy().into_owned());
    let folder = path
        .parent()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default();
    (name, folder)
}

impl Chosen {
    /// Registers a file the user chose and returns its token (the same token for the same
    /// path, so the page can tell a file it already has).
    pub fn hand_over(&self, path: PathBuf) -> ChosenFile {
        let (name, folder) = display_name(&path);
        let mut files = locked(&self.files);
        let token = match files.iter().find(|(_, p)| **p == path) {
            Some((token, _)) => token.clone(),
            None => {
                let n = self.next.fetch_add(1, Ordering::Relaxed);
                // unpredictable across runs: a token from an earlier run names nothing
                let token = format!("f{n}-{:016x}", self.keys.hash_one(n));
                files.insert(token.clone(), path);
                token
            }
        };
        ChosenFile {
            token,
            name,
            folder,
        }
    }

    /// The path behind `token`; refused when the page was not handed it.
    pub fn path(&self, token: &str, lang: Lang) -> Result<PathBuf, CommandError> {
        locked(&self.files)
            .get(token)
            .cloned()
            .ok_or_else(|| not_chosen(lang))
    }
}

/// The error for a file the user did not choose in this window.
pub fn not_chosen(lang: Lang) -> CommandError {
    CommandError {
        code: crate::error::AppCode::FileNotChosen.into(),
        message: lang.pick(
            "CS Pulse only opens files you chose in this window (with a file dialog, by dropping them on the window, or with “Open with”). Choose the file again.".into(),
            "CS Pulse öffnet nur Dateien, die Sie in diesem Fenster ausgewählt haben (im Dateidialog, durch Ziehen auf das Fenster oder mit „Öffnen mit“). Wählen Sie die Datei erneut.".into(),
        ),
    }
}

/// What the user answered in a file dialog: the files, or `None` when cancelled.
pub type Answer = Option<Vec<PathBuf>>;

/// Which save dialog: its title, its filter and the name it suggests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveAs {
    Report,
    Issues,
    Backup,
    Profile,
}

/// Which open dialog.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpenFor {
    Import,
    Restore,
    Profile,
}

/// The native file dialogs, run from Rust.
#[derive(Default)]
pub struct Dialogs {
    /// Answers given in advance (tests); when set, no dialog is shown and an empty queue
    /// answers "cancelled".
    script: Mutex<Option<VecDeque<Answer>>>,
}

impl Dialogs {
    /// From now on, dialogs are not shown: each takes the next of `answers` (then
    /// "cancelled"). For tests on the mock runtime, which has no dialogs; only Rust code can
    /// call it.
    pub fn script(&self, answers: impl IntoIterator<Item = Answer>) {
        locked(&self.script)
            .get_or_insert_with(VecDeque::new)
            .extend(answers);
    }

    fn scripted(&self) -> Option<Answer> {
        #[cfg(feature = "e2e")]
        if let Some(answer) = e2e::next_answer() {
            return Some(answer);
        }
        let mut script = locked(&self.script);
        script.as_mut().map(|q| q.pop_front().flatten())
    }

    /// The open dialog (several files for an import, one backup for a restore); `[]` when
    /// cancelled.
    pub fn open<R: Runtime>(&self, app: &AppHandle<R>, why: OpenFor, lang: Lang) -> Vec<PathBuf> {
        if let Some(answer) = self.scripted() {
            return answer.unwrap_or_default();
        }
        let (title, filter, extensions): (String, String, &[&str]) = match why {
            OpenFor::Import => (
                text(
                    lang,
                    "Choose files to import",
                    "Dateien zum Importieren wählen",
                )
                .into(),
                text(lang, "Spreadsheets and CSV", "Tabellen und CSV").into(),
                crate::launch::OPENABLE,
            ),
            OpenFor::Restore => (
                text(
                    lang,
                    "Choose a CS Pulse backup",
                    "CS-Pulse-Sicherung wählen",
                )
                .into(),
                text(lang, "CS Pulse backup", "CS-Pulse-Sicherung").into(),
                &["db"],
            ),
            OpenFor::Profile => (
                text(lang, "Choose an import profile", "Importprofil wählen").into(),
                text(lang, "Import profile (JSON)", "Importprofil (JSON)").into(),
                &["json"],
            ),
        };
        let dialog = with_parent(app, rfd::AsyncFileDialog::new())
            .set_title(title)
            .add_filter(filter, extensions);
        let many = why == OpenFor::Import;
        native(app, move || async move {
            if many {
                dialog
                    .pick_files()
                    .await
                    .map(|fs| fs.into_iter().map(|f| f.path().to_path_buf()).collect())
            } else {
                dialog
                    .pick_file()
                    .await
                    .map(|f| vec![f.path().to_path_buf()])
            }
        })
        .unwrap_or_default()
    }

    /// The save dialog, suggesting `name`; it asks before replacing a file. `None` when
    /// cancelled.
    pub fn save<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        what: SaveAs,
        name: &str,
        lang: Lang,
    ) -> Option<PathBuf> {
        if let Some(answer) = self.scripted() {
            return answer.and_then(|a| a.into_iter().next());
        }
        let (title, filter, extension) = match what {
            SaveAs::Report => (
                text(lang, "Save the board report", "Vorstandsbericht speichern"),
                "Excel",
                "xlsx",
            ),
            SaveAs::Issues => (
                text(lang, "Save the issues", "Probleme speichern"),
                "Excel",
                "xlsx",
            ),
            SaveAs::Backup => (
                text(
                    lang,
                    "Save a backup of CS Pulse",
                    "Sicherung von CS Pulse speichern",
                ),
                text(lang, "CS Pulse backup", "CS-Pulse-Sicherung"),
                "db",
            ),
            SaveAs::Profile => (
                text(
                    lang,
                    "Export the import profile",
                    "Importprofil exportieren",
                ),
                text(lang, "Import profile (JSON)", "Importprofil (JSON)"),
                "json",
            ),
        };
        let dialog = with_parent(app, rfd::AsyncFileDialog::new())
            .set_title(title)
            .set_file_name(name)
            .add_filter(filter, &[extension]);
        native(app, move || async move {
            dialog
                .save_file()
                .await
                .map(|f| vec![f.path().to_path_buf()])
        })
        .and_then(|a| a.into_iter().next())
    }
}

/// The dialog belongs to the main window (modal over it).
fn with_parent<R: Runtime>(app: &AppHandle<R>, d: rfd::AsyncFileDialog) -> rfd::AsyncFileDialog {
    match app.get_webview_window("main") {
        Some(w) => d.set_parent(&w),
        None => d,
    }
}

/// Shows a dialog: created on the main thread (GTK wants it there), awaited on a thread of
/// its own, and waited for here (a command's blocking thread, never the main thread).
fn native<R, F, Fut>(app: &AppHandle<R>, make: F) -> Answer
where
    R: Runtime,
    F: FnOnce() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Answer> + Send + 'static,
{
    let (send, receive) = std::sync::mpsc::channel();
    let shown = app.run_on_main_thread(move || {
        let pending = make();
        std::thread::spawn(move || {
            let _ = send.send(tauri::async_runtime::block_on(pending));
        });
    });
    if shown.is_err() {
        log::error!("could not show a file dialog");
        return None;
    }
    receive.recv().ok().flatten()
}

/// A file name for a save dialog's suggestion: no folder, nothing hidden.
pub fn safe_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':') {
                '-'
            } else {
                c
            }
        })
        .collect();
    cleaned.trim_start_matches('.').to_owned()
}

/// The e2e build's seam (cargo feature `e2e`, never in a shipped build): the WebDriver tests
/// cannot click in a native dialog, so they write the answers, one JSON line each (`null`,
/// `"path"` or `["path", …]`), to the file named by `CSPULSE_E2E_PICKS`; each dialog takes
/// the first line. The page has no way to write that file.
#[cfg(feature = "e2e")]
mod e2e {
    use super::Answer;
    use std::path::PathBuf;

    pub(super) fn next_answer() -> Option<Answer> {
        let file = PathBuf::from(std::env::var_os("CSPULSE_E2E_PICKS")?);
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let mut lines = text.lines();
        let first = lines.next().unwrap_or("null");
        let rest: Vec<&str> = lines.collect();
        let _ = std::fs::write(
            &file,
            rest.iter().map(|l| format!("{l}\n")).collect::<String>(),
        );
        let value: serde_json::Value = serde_json::from_str(first).unwrap_or_default();
        Some(match value {
            serde_json::Value::String(p) => Some(vec![PathBuf::from(p)]),
            serde_json::Value::Array(ps) => Some(
                ps.iter()
                    .filter_map(|p| p.as_str().map(PathBuf::from))
                    .collect(),
            ),
            _ => None,
        })
    }
}
