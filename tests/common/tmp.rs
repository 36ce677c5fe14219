//! The temporary folder every test binary uses (engine, CLI, app: each includes this file
//! with `#[path]`): files written into it by name, the path of a database in it, a store on it.
//! Removed with everything in it when dropped.
#![allow(dead_code)]

use cspulse_engine::store::Store;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

pub struct Tmp {
    dir: TempDir,
}

impl Tmp {
    pub fn new() -> Tmp {
        Tmp {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// The folder itself.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// `name` in the folder (not created).
    pub fn path(&self, name: impl AsRef<Path>) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes `content` to `name` in the folder; its path.
    pub fn file(&self, name: impl AsRef<Path>, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, content).expect("write a test file");
        p
    }

    /// The database file of the test: `cs.db` in the folder.
    pub fn db(&self) -> PathBuf {
        self.path("cs.db")
    }

    /// A store on [`Tmp::db`], opened (and created) now.
    pub fn store(&self) -> Store {
        Store::open(&self.db()).expect("open the test database")
    }
}
