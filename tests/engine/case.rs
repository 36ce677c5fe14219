//! A temporary folder with an open store in it ([`Case`]): where the store, safety, browse
//! and hostile-import tests start. Each of those modules adds the helpers only it needs
//! (its own `impl Case` block).
#![allow(dead_code)]

use crate::tmp::Tmp;
use cspulse_engine::import::Options;
use cspulse_engine::store::{Batch, ImportedBatch, Store};

pub struct Case {
    pub tmp: Tmp,
    pub store: Store,
}

impl Case {
    /// An empty store in a new folder.
    pub fn new() -> Case {
        let tmp = Tmp::new();
        let store = tmp.store();
        Case { tmp, store }
    }

    /// Writes `content` as `name` and imports it with `opts`: its one batch (a text file
    /// is one table).
    pub fn import_with(&mut self, name: &str, content: &str, opts: &Options) -> ImportedBatch {
        let p = self.tmp.file(name, content);
        let mut b = self.store.import_file(&p, opts, false).unwrap();
        assert_eq!(b.len(), 1, "{name} is one batch");
        b.remove(0)
    }

    /// [`Case::import_with`] the default options (kind from the headers): the batch.
    pub fn import(&mut self, name: &str, content: &str) -> Batch {
        self.import_with(name, content, &Options::default()).batch
    }
}
