//! The CSV/text path: encoding detection, delimiter sniffing, parsing, header search, kind
//! guess, mapping and conversion of every cell. The first byte picks `--kind` (or the
//! guess), so that every kind's converters are reached even when the headers are noise.
#![no_main]

use cspulse_engine::import::{prepare_all, Options};
use cspulse_engine::Kind;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let kind = Kind::ALL
        .get(pick as usize % (Kind::ALL.len() + 1))
        .copied();
    let opts = Options {
        kind,
        ..Options::default()
    };
    // Any outcome but a panic, abort or hang is fine: rows, issues or a plain error.
    let _ = prepare_all(Path::new("fuzz.csv"), bytes, &opts);
});
