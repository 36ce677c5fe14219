//! The data browser: every imported dataset as a table, searched, filtered and sorted by
//! the engine (`cspulse_engine::browse`) and paged from SQLite as the UI scrolls.
//!
//! `browse_open` runs a query and keeps its rows (rowids) here as a view; `browse_page`
//! reads a page of a view; `browse_close` forgets it. At most [`MAX_VIEWS`] views are kept:
//! opening one more sets the oldest aside (its pages then answer `no_such_view`). A page of
//! a view whose data changed since (import, undo, restore) answers `view_stale`; the UI
//! opens the view again in both cases.

use crate::db::Db;
use crate::error::{ui_lang, CommandError};
use crate::guard::{blocking, guard};
use cspulse_engine::browse::{self, Column, DatasetInfo, Page, Query, View};
use cspulse_engine::error::Error;
use cspulse_engine::Kind;
use serde::Serialize;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use tauri::{AppHandle, Manager as _, Runtime};

/// Views kept at once (a 1M-row view holds 8 MB of rowids).
pub const MAX_VIEWS: usize = 8;

/// The open views, newest last. Managed as app state (`build_app`).
#[derive(Default)]
pub struct Views {
    last_id: u32,
    open: VecDeque<(u32, Arc<View>)>,
}

impl Views {
    fn insert(&mut self, view: View) -> u32 {
        self.last_id = self.last_id.checked_add(1).unwrap_or(1);
        while self.open.len() >= MAX_VIEWS {
            self.open.pop_front();
        }
        self.open.push_back((self.last_id, Arc::new(view)));
        self.last_id
    }
    fn get(&self, id: u32) -> Option<Arc<View>> {
        self.open
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, v)| Arc::clone(v))
    }
    fn remove(&mut self, id: u32) {
        self.open.retain(|(i, _)| *i != id);
    }
}

/// A command that panicked while holding the views left nothing half-changed in them.
fn lock(views: &Mutex<Views>) -> MutexGuard<'_, Views> {
    views.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What `browse_open` answers: the view to page through, its row count and its columns
/// (each page's cells follow them).
#[derive(Clone, Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct OpenedView {
    pub view_id: u32,
    #[ts(type = "number")]
    pub total: u64,
    pub columns: Vec<Column>,
}

/// Every imported dataset that has rows: kind, row count, columns with their types, and
/// its import batches (to filter by).
#[tauri::command]
pub async fn browse_datasets<R: Runtime>(
    app: AppHandle<R>,
    lang: Option<String>,
) -> Result<Vec<DatasetInfo>, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        guard("browse_datasets", lang, || {
            let db = app.state::<Db>();
            let store = db.lock(lang)?;
            browse::datasets(&store).map_err(|e| CommandError::new(&e, lang))
        })
    })
    .await
}

/// Opens a view of dataset `kind` (`accounts`, `usage`, …) with `query` (search, sort,
/// filters, batch; everything when absent).
#[tauri::command]
pub async fn browse_open<R: Runtime>(
    app: AppHandle<R>,
    kind: String,
    query: Option<Query>,
    lang: Option<String>,
) -> Result<OpenedView, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        guard("browse_open", lang, || {
            let kind =
                Kind::parse(&kind).ok_or_else(|| CommandError::new(&Error::BadKind(kind), lang))?;
            let view = {
                let db = app.state::<Db>();
                let store = db.lock(lang)?;
                browse::open(&store, kind, &query.unwrap_or_default())
                    .map_err(|e| CommandError::new(&e, lang))?
            };
            let (total, columns) = (view.total(), view.columns());
            let view_id = lock(&app.state::<Mutex<Views>>()).insert(view);
            Ok(OpenedView {
                view_id,
                total,
                columns,
            })
        })
    })
    .await
}

/// Rows `offset..offset + limit` of a view (`limit` at most 500; past the end: no rows).
#[tauri::command]
pub async fn browse_page<R: Runtime>(
    app: AppHandle<R>,
    view_id: u32,
    offset: u64,
    limit: u32,
    lang: Option<String>,
) -> Result<Page, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        guard("browse_page", lang, || {
            let views = app.state::<Mutex<Views>>();
            let view = lock(&views)
                .get(view_id)
                .ok_or_else(|| CommandError::new(&Error::NoSuchView, lang))?;
            let page = {
                let db = app.state::<Db>();
                let store = db.lock(lang)?;
                browse::page(&store, &view, offset, limit)
            };
            page.map_err(|e| {
                if matches!(e, Error::ViewStale) {
                    // its rows are of no use any more; the UI opens a new view
                    lock(&views).remove(view_id);
                }
                CommandError::new(&e, lang)
            })
        })
    })
    .await
}

/// Forgets a view (closing one that is already gone is not an error).
#[tauri::command]
pub async fn browse_close(
    views: tauri::State<'_, Mutex<Views>>,
    view_id: u32,
    lang: Option<String>,
) -> Result<(), CommandError> {
    let lang = ui_lang(lang.as_deref());
    guard("browse_close", lang, || {
        lock(&views).remove(view_id);
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(store: &cspulse_engine::store::Store) -> View {
        browse::open(store, Kind::Accounts, &Query::default()).expect("a view")
    }

    #[test]
    fn views_keep_the_newest_eight() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = cspulse_engine::store::Store::open(&dir.path().join("cs.db")).expect("store");
        let mut views = Views::default();
        let ids: Vec<u32> = (0..10).map(|_| views.insert(view(&store))).collect();
        assert_eq!(ids, (1..=10).collect::<Vec<u32>>(), "ids are never reused");
        assert!(
            views.get(1).is_none() && views.get(2).is_none(),
            "oldest set aside"
        );
        assert!((3..=10).all(|id| views.get(id).is_some()));
        views.remove(5);
        assert!(views.get(5).is_none());
        views.remove(5);
        assert_eq!(views.open.len(), 7);
    }
}
