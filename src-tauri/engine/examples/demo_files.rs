//! Writes the demo company as canonical CSV files, e.g. for benchmarks:
//! `cargo run --release -p cspulse-engine --example demo_files -- DIR [ACCOUNTS] [USAGE_ROWS] [--xlsx]`.
//! With `--xlsx`, also `demo-usage.xlsx`: the usage rows as Excel saves them (shared
//! strings, date cells with a date format, numbers as numbers).

use cspulse_engine::demo::{self, DemoOptions};
use cspulse_engine::model::Kind;
use std::io::{BufRead, BufWriter, Write};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let xlsx = args.iter().any(|a| a == "--xlsx");
    let mut pos = args.iter().filter(|a| !a.starts_with("--"));
    let dir = std::path::PathBuf::from(
        pos.next()
            .ok_or("usage: demo_files DIR [ACCOUNTS] [USAGE_ROWS] [--xlsx]")?,
    );
    let accounts = pos.next().map(|a| a.parse()).transpose()?.unwrap_or(120);
    let usage_rows = pos.next().map(|a| a.parse()).transpose()?;
    let opts = DemoOptions {
        accounts,
        usage_rows,
        ..DemoOptions::default()
    };
    std::fs::create_dir_all(&dir)?;
    for kind in Kind::ALL {
        let path = dir.join(format!("demo-{}.csv", kind.id()));
        let mut out = BufWriter::new(std::fs::File::create(&path)?);
        demo::write_kind(&opts, kind, &mut out)?;
        out.flush()?;
        println!("{}", path.display());
    }
    if xlsx {
        let csv = dir.join("demo-usage.csv");
        let path = dir.join("demo-usage.xlsx");
        write_xlsx(&csv, &path)?;
        println!("{}", path.display());
    }
    Ok(())
}

/// The usage CSV as a workbook: text through the shared-strings table, `date` as a date
/// cell, counts as numbers.
fn write_xlsx(
    csv: &std::path::Path,
    out: &std::path::Path,
) -> Result<(), Box<dyn std::error::Error>> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let date_format = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    let reader = std::io::BufReader::new(std::fs::File::open(csv)?);
    for (r, line) in reader.lines().enumerate() {
        let line = line?;
        for (c, field) in line.split(',').enumerate() {
            let (r, c) = (r as u32, c as u16);
            if field.is_empty() {
                continue;
            }
            if r > 0 && c == 2 {
                let dt = ExcelDateTime::parse_from_str(field)?;
                ws.write_datetime_with_format(r, c, &dt, &date_format)?;
            } else if let (true, Ok(n)) = (r > 0, field.parse::<f64>()) {
                ws.write_number(r, c, n)?;
            } else {
                ws.write_string(r, c, field)?;
            }
        }
    }
    wb.save(out)?;
    Ok(())
}
