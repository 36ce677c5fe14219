//! The store as Tauri state: opened once at start, shared behind a mutex.

use crate::error::CommandError;
use cspulse_engine::error::{Error, Lang};
use cspulse_engine::store::Store;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

/// The database the app works on, or why it could not be opened (reported by every
/// command in the UI's language instead of aborting the start).
pub struct Db(Result<Mutex<Store>, Error>);

impl Db {
    /// Opens `$CSPULSE_DB` (else the per-user default, the same rule as the CLI),
    /// creating and migrating it; an empty database gets the sample company.
    pub fn open_or_load_demo() -> Db {
        Db(open_or_load_demo().map(Mutex::new))
    }

    /// The store for one command.
    pub fn lock(&self, lang: Lang) -> Result<MutexGuard<'_, Store>, CommandError> {
        match &self.0 {
            Ok(store) => store.lock().map_err(|_| CommandError::internal(lang)),
            Err(e) => Err(CommandError::new(e, lang)),
        }
    }
}

fn open_or_load_demo() -> Result<Store, Error> {
    let chosen = std::env::var_os("CSPULSE_DB")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from);
    let mut store = Store::open_chosen(chosen)?;
    if !store.has_data()? {
        cspulse_engine::demo::load_default(&mut store)?;
    }
    Ok(store)
}
