//! The spreadsheet path: calamine (xlsx/xlsm/xlsb/xls/ods, routed by the first bytes),
//! every sheet, header search, kind guess, mapping and conversion.
#![no_main]

use cspulse_engine::import::{prepare_all, Options};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let _ = prepare_all(Path::new("fuzz.xlsx"), data, &Options::default());
});
