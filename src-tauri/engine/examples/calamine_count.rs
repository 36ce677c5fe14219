//! The benchmark's anchor for workbooks: calamine's bare streaming parse of every sheet,
//! counting cells and storing nothing. `calamine_count FILE.xlsx`
use calamine::{open_workbook_auto, Reader, Sheets};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: calamine_count FILE")?;
    let mut cells: u64 = 0;
    match open_workbook_auto(&path)? {
        Sheets::Xlsx(mut wb) => {
            for name in wb.sheet_names() {
                let mut reader = wb.worksheet_cells_reader(&name)?;
                while reader.next_cell()?.is_some() {
                    cells += 1;
                }
            }
        }
        mut other => {
            for name in other.sheet_names() {
                cells += other.worksheet_range(&name)?.used_cells().count() as u64;
            }
        }
    }
    println!("{cells}");
    Ok(())
}
