//! The store as Tauri state: opened once at start, shared behind a mutex.

use crate::error::CommandError;
use cspulse_engine::error::{Error, Lang};
use cspulse_engine::store::Store;
use cspulse_engine::Kind;
use std::panic::catch_unwind;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// The database the app works on, or why it could not be opened (reported by every
/// command in the UI's language instead of aborting the start). `Err(None)`: opening it
/// panicked, a bug.
pub struct Db(Result<Mutex<Store>, Option<Error>>, Opened);

/// What opening did, for the log (written once the log is set up).
#[derive(Clone, Copy)]
enum Opened {
    Existing,
    WithDemo,
    Failed,
}

impl Db {
    /// Opens `$CSPULSE_DB` (else the per-user default, the same rule as the CLI),
    /// creating and migrating it; an empty database gets the sample company.
    pub fn open_or_load_demo() -> Db {
        match catch_unwind(open_or_load_demo) {
            Ok(Ok((store, demo))) => Db(
                Ok(Mutex::new(store)),
                if demo {
                    Opened::WithDemo
                } else {
                    Opened::Existing
                },
            ),
            Ok(Err(e)) => Db(Err(Some(e)), Opened::Failed),
            Err(_) => Db(Err(None), Opened::Failed),
        }
    }

    /// Writes to the log how the start went: codes only, no paths or data.
    pub fn log_start(&self) {
        match (&self.0, self.1) {
            (Ok(_), Opened::WithDemo) => log::info!("database ready, demo company loaded"),
            (Ok(_), _) => log::info!("database ready"),
            (Err(Some(e)), _) => log::error!("database not usable: {}", e.code()),
            (Err(None), _) => log::error!("opening the database panicked"),
        }
    }

    /// The store for one command. A command that panicked while holding it leaves no half
    /// change behind (each change is one transaction), so a poisoned lock is taken over.
    pub fn lock(&self, lang: Lang) -> Result<MutexGuard<'_, Store>, CommandError> {
        match &self.0 {
            Ok(store) => Ok(store.lock().unwrap_or_else(PoisonError::into_inner)),
            Err(Some(e)) => Err(CommandError::new(e, lang)),
            Err(None) => Err(CommandError::internal(lang)),
        }
    }
}

fn open_or_load_demo() -> Result<(Store, bool), Error> {
    let chosen = std::env::var_os("CSPULSE_DB")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from);
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
