//! The value parsers: numbers (German/English, currencies, percent, brackets), dates,
//! date-times, Excel serials, months, booleans and codes, as text and as numeric cells.
#![no_main]

use cspulse_engine::import::convert::{self, FileCell, Decimal, SlashOrder};
use cspulse_engine::import::fields::{Code, FieldType};
use libfuzzer_sys::fuzz_target;

const TYPES: [FieldType; 11] = [
    FieldType::Text,
    FieldType::Number,
    FieldType::Int {
        min: None,
        max: None,
    },
    FieldType::Int {
        min: Some(0),
        max: Some(10),
    },
    FieldType::Date,
    FieldType::DateTime,
    FieldType::Month,
    FieldType::Bool,
    FieldType::Coded(Code::Outcome),
    FieldType::Coded(Code::CostType),
    FieldType::Coded(Code::Channel),
];

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let mut cells = vec![FileCell::Text(text)];
    if data.len() >= 8 {
        let mut b = [0u8; 8];
        b.copy_from_slice(&data[..8]);
        let n = f64::from_le_bytes(b);
        cells.push(FileCell::Number(n));
        let _ = convert::excel_serial(n);
    }
    let decimal = convert::decimal_style(cells.iter());
    let order = convert::slash_order(cells.iter(), SlashOrder::MonthFirst);
    for cell in &cells {
        let _ = convert::number(cell);
        for d in [Decimal::Unknown, Decimal::Point, Decimal::Comma, decimal] {
            let _ = convert::number_with(cell, d);
        }
        for o in [SlashOrder::MonthFirst, SlashOrder::DayFirst, order] {
            let _ = convert::date_time(cell, o);
            let _ = convert::month(cell, o);
            for ty in TYPES {
                let _ = convert::convert_with(cell, ty, o, decimal);
            }
        }
        let _ = convert::boolean(cell);
        let _ = cell.display();
    }
});
