//! Files dragged onto the window and files the app was asked to open (its command line, a
//! second start, "open with"): the page gets tokens and names through `watch_file_drops`.

use super::import::locked;
use crate::error::{ui_lang, CommandError};
use crate::files::{Chosen, ChosenFile};
use crate::guard::guard;
use serde::Serialize;
use std::path::PathBuf;
use std::sync::Mutex;
use tauri::ipc::Channel;

/// Files dragged onto the window and files the app was asked to open: the page gets tokens
/// and names, never where the files live.
#[derive(Clone, Debug, PartialEq, Serialize, ts_rs::TS)]
#[serde(tag = "event", rename_all = "snake_case")]
#[ts(export)]
pub enum FileDropEvent {
    /// Files are dragged over the window (for highlighting the drop zone): how many.
    Enter { count: u32 },
    /// The files were dropped, or the app was asked to open them (its command line, a
    /// second start, "open with" in the file manager): inspect and import them.
    Drop { files: Vec<ChosenFile> },
    /// The drag left the window or was cancelled.
    Leave,
}

/// Where dropped files are reported: the channel of the last `watch_file_drops`, and the
/// files the app was asked to open before the page was listening.
#[derive(Default)]
pub struct FileDrops(Mutex<Drops>);

#[derive(Default)]
struct Drops {
    channel: Option<Channel<FileDropEvent>>,
    /// Files to open that arrived before the page called `watch_file_drops` (the app's own
    /// command line): handed over as one `drop` when it does.
    pending: Vec<ChosenFile>,
}

impl FileDrops {
    /// Passes a drag-and-drop event of the main window to the page; dropped files become
    /// files the user chose (`chosen`).
    pub fn report(&self, chosen: &Chosen, event: &tauri::DragDropEvent) {
        let out = match event {
            tauri::DragDropEvent::Enter { paths, .. } => FileDropEvent::Enter {
                count: u32::try_from(paths.len()).unwrap_or(u32::MAX),
            },
            tauri::DragDropEvent::Drop { paths, .. } => FileDropEvent::Drop {
                files: paths.iter().map(|p| chosen.hand_over(p.clone())).collect(),
            },
            tauri::DragDropEvent::Leave => FileDropEvent::Leave,
            _ => return,
        };
        if let Some(channel) = locked(&self.0).channel.as_ref() {
            let _ = channel.send(out);
        }
    }

    /// Files the app was asked to open (its command line, a second start, the system's "open
    /// with"): the page gets them as a `drop`, so they start the import flow like dropped
    /// files. Before the page listens they are kept and delivered when it calls
    /// `watch_file_drops`.
    pub fn open(&self, chosen: &Chosen, paths: &[PathBuf]) {
        if paths.is_empty() {
            return;
        }
        let files: Vec<ChosenFile> = paths.iter().map(|p| chosen.hand_over(p.clone())).collect();
        let mut drops = locked(&self.0);
        let sent = drops.channel.as_ref().is_some_and(|c| {
            c.send(FileDropEvent::Drop {
                files: files.clone(),
            })
            .is_ok()
        });
        if !sent {
            drops.pending.extend(files);
        }
    }

    /// Files waiting for the page (for the log and the tests).
    pub fn pending(&self) -> usize {
        locked(&self.0).pending.len()
    }
}

/// Reports files dragged onto the main window to `on_event` from now on (replacing an
/// earlier channel), and files the app was asked to open (command line, a second start,
/// "open with"). Files that arrived before the first call are sent at once as one `drop`.
/// No event permission is needed for it.
#[tauri::command]
pub async fn watch_file_drops(
    drops: tauri::State<'_, FileDrops>,
    on_event: Channel<FileDropEvent>,
    lang: Option<String>,
) -> Result<(), CommandError> {
    let lang = ui_lang(lang.as_deref());
    guard("watch_file_drops", lang, || {
        let mut d = locked(&drops.0);
        let pending = std::mem::take(&mut d.pending);
        if !pending.is_empty() {
            log::info!("handing {} files to open to the page", pending.len());
            if on_event
                .send(FileDropEvent::Drop {
                    files: pending.clone(),
                })
                .is_err()
            {
                d.pending = pending;
            }
        }
        d.channel = Some(on_event);
        Ok(())
    })
}
