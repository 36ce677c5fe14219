//! The store as Tauri state: opened once, on a thread of its own while the window starts,
//! then shared behind a mutex.
//!
//! Start-up order (README "Cold start"): the `cspulse-database` plugin's setup (lib.rs, run
//! by `build()` after the single-instance plugin and before the window is created) starts
//! opening the database (and, on a first start, loading the sample company) on a thread of
//! its own ([`Db::open_or_load_demo`]), which then computes the dashboard the window will
//! ask for first. WebKit needs about a second to show the page, so by the time
//! the page asks, its answer is waiting. A command that comes earlier waits for the open.

use crate::error::CommandError;
use cspulse_engine::error::{Error, Lang};
use cspulse_engine::overview::{self, Dashboard};
use cspulse_engine::store::Store;
use cspulse_engine::Kind;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};
use std::thread::JoinHandle;

/// The database the app works on, being opened or opened.
pub struct Db {
    opening: Mutex<Option<JoinHandle<Opened>>>,
    opened: OnceLock<Opened>,
}

/// The database once opened, or why it could not be (reported by every command in the UI's
/// language instead of aborting the start). `Err(None)`: opening it panicked, a bug.
struct Opened {
    store: Result<Mutex<Store>, Option<Error>>,
    how: How,
    /// The latest month's dashboard, computed right after opening for the page's first
    /// question, with the store's change stamp at that moment. Taken by the first
    /// `get_dashboard`; served only while the stamp still holds.
    first_dashboard: Mutex<Option<((u64, i64), Dashboard)>>,
}

/// What opening did, for the log (written once the log is set up).
#[derive(Clone, Copy)]
enum How {
    Existing,
    WithDemo,
    Failed,
}

impl Db {
    /// Starts opening `$CSPULSE_DB` (else the per-user default, the same rule as the CLI) on
    /// a thread of its own: creating and migrating it, loading the sample company into an
    /// empty one, and computing the latest month's dashboard.
    pub fn open_or_load_demo() -> Db {
        let chosen = std::env::var_os("CSPULSE_DB")
            .filter(|p| !p.is_empty())
            .map(PathBuf::from);
        let spawned = std::thread::Builder::new()
            .name("open-database".into())
            .spawn({
                let chosen = chosen.clone();
                move || open(chosen)
            });
        match spawned {
            Ok(handle) => Db {
                opening: Mutex::new(Some(handle)),
                opened: OnceLock::new(),
            },
            // no thread to be had: open it here and now
            Err(_) => {
                let opened = open(chosen);
                opened.log();
                Db {
                    opening: Mutex::new(None),
                    opened: OnceLock::from(opened),
                }
            }
        }
    }

    /// The opened database, waiting for the opening thread the first time (which writes to
    /// the log how the opening went).
    fn opened(&self) -> &Opened {
        self.opened.get_or_init(|| {
            let handle = self
                .opening
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
            let opened = handle
                .and_then(|h| h.join().ok())
                .unwrap_or_else(|| Opened::failed(None));
            opened.log();
            opened
        })
    }

    /// The store for one command. A command that panicked while holding it leaves no half
    /// change behind (each change is one transaction), so a poisoned lock is taken over.
    pub fn lock(&self, lang: Lang) -> Result<MutexGuard<'_, Store>, CommandError> {
        match &self.opened().store {
            Ok(store) => Ok(store.lock().unwrap_or_else(PoisonError::into_inner)),
            Err(Some(e)) => Err(CommandError::new(e, lang)),
            Err(None) => Err(CommandError::internal(lang)),
        }
    }

    /// The latest month's dashboard computed at start, once, if nothing has changed since
    /// (`store` is the locked store, so nothing can change while it is checked).
    pub fn take_first_dashboard(&self, store: &Store) -> Option<Dashboard> {
        let (stamp, dashboard) = self
            .opened()
            .first_dashboard
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()?;
        (store.change_stamp().ok()? == stamp).then_some(dashboard)
    }

    /// Drops the dashboard computed at start (the data was replaced wholesale).
    pub fn forget_first_dashboard(&self) {
        self.opened()
            .first_dashboard
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
    }
}

impl Opened {
    fn failed(error: Option<Error>) -> Opened {
        Opened {
            store: Err(error),
            how: How::Failed,
            first_dashboard: Mutex::new(None),
        }
    }

    /// Codes only, no paths or data.
    fn log(&self) {
        match (&self.store, self.how) {
            (Ok(_), How::WithDemo) => log::info!("database ready, demo company loaded"),
            (Ok(_), _) => log::info!("database ready"),
            (Err(Some(e)), _) => log::error!("database not usable: {}", e.code()),
            (Err(None), _) => log::error!("opening the database panicked"),
        }
    }
}

/// Opens the store, loads the demo into an empty one, and computes the first dashboard.
fn open(chosen: Option<PathBuf>) -> Opened {
    let (store, demo) = match catch_unwind(move || open_or_load_demo(chosen)) {
        Ok(Ok(opened)) => opened,
        Ok(Err(e)) => return Opened::failed(Some(e)),
        Err(_) => return Opened::failed(None),
    };
    // a dashboard that cannot be computed now is computed (and its error shown) when asked
    let first = catch_unwind(AssertUnwindSafe(|| {
        let stamp = store.change_stamp().ok()?;
        overview::dashboard(&store, None).ok().map(|d| (stamp, d))
    }))
    .ok()
    .flatten();
    Opened {
        store: Ok(Mutex::new(store)),
        how: if demo { How::WithDemo } else { How::Existing },
        first_dashboard: Mutex::new(first),
    }
}

fn open_or_load_demo(chosen: Option<PathBuf>) -> Result<(Store, bool), Error> {
    let mut store = Store::open_chosen(chosen)?;
    // the demo is loaded kind by kind: a start that was killed half-way through it left
    // only some kinds, which the next start completes (loading the demo replaces the demo)
    let partial_demo = store.is_demo()? && store.batches()?.len() < Kind::ALL.len();
    let demo = !store.has_data()? || partial_demo;
    if demo {
        cspulse_engine::demo::load_default(&mut store)?;
    }
    Ok((store, demo))
}
