//! How Windows users keep their files, checked on Windows (CI: under Wine, in the engine's
//! unit tests built for x86_64-pc-windows-gnu):
//! - a workbook that is open in Excel can still be imported: Excel holds it with write access
//!   and lets others only read (share mode "read"); std opens files for reading with
//!   read/write/delete sharing, which fits that;
//! - paths with drive letters, spaces and the `\\?\` prefix (what `canonicalize` gives on
//!   Windows), for the database, the imported file and a backup;
//! - CRLF line ends and Windows-1252 text, as Excel writes "CSV (semicolon separated)" on a
//!   German Windows.
//!
//! Excel's `~$` lock files are refused on every system (`import::source`, tested in
//! tests/engine and, for the Windows build, by tests/windows/installer.sh).
#![allow(clippy::unwrap_used)]

use crate::import::{Control, Input, Options};
use crate::store::{Origin, Store};
use std::fs::OpenOptions;
use std::os::windows::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

const FILE_SHARE_READ: u32 = 0x1;

/// "Kundennummer;Firmenname;Ort" and two rows in Windows-1252 with CRLF, as Excel saves it.
const KUNDEN_CP1252: &[u8] =
    b"Kundennummer;Firmenname;Ort\r\nK-1;M\xfcller & S\xf6hne GmbH;K\xf6ln\r\nK-2;Beta AG;Graz\r\n";

fn import(store: &mut Store, file: &Path) -> crate::error::Result<i64> {
    let imported = store.import(
        file,
        Input::File(file.into()),
        &Options::default(),
        &Control::default(),
        false,
        Origin::File,
    )?;
    Ok(imported.batches.iter().map(|b| b.batch.rows_imported).sum())
}

fn workbook(path: &Path) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sheet = wb.add_worksheet();
    for (row, cells) in [
        ["Kundennummer", "Firmenname"],
        ["K-1", "Alpha GmbH"],
        ["K-2", "Beta AG"],
        ["K-3", "Gamma KG"],
    ]
    .iter()
    .enumerate()
    {
        for (col, text) in cells.iter().enumerate() {
            sheet.write_string(row as u32, col as u16, *text).unwrap();
        }
    }
    wb.save(path).unwrap();
}

#[test]
fn a_workbook_open_in_excel_is_imported() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("Kunden.xlsx");
    workbook(&file);
    // as Excel holds an open workbook: read and write access, others may only read
    let excel = OpenOptions::new()
        .read(true)
        .write(true)
        .share_mode(FILE_SHARE_READ)
        .open(&file)
        .unwrap();
    let mut store = Store::open(&dir.path().join("cs.db")).unwrap();
    assert_eq!(import(&mut store, &file).unwrap(), 3);
    drop(excel);
}

#[test]
fn a_file_locked_by_another_program_is_refused_in_plain_words() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("Kunden.csv");
    std::fs::write(&file, KUNDEN_CP1252).unwrap();
    // a program that lets nobody else open the file at all
    let holder = OpenOptions::new()
        .read(true)
        .write(true)
        .share_mode(0)
        .open(&file)
        .unwrap();
    let mut store = Store::open(&dir.path().join("cs.db")).unwrap();
    let err = import(&mut store, &file).unwrap_err();
    let (en, de) = (
        err.message(crate::error::Lang::En),
        err.message(crate::error::Lang::De),
    );
    println!("{en}\n{de}");
    assert!(en.contains("Kunden.csv"), "names the file: {en}");
    assert!(de.contains("Kunden.csv"), "names the file: {de}");
    assert!(store.batches().unwrap().is_empty(), "nothing imported");
    drop(holder);
    // once it lets go, the same file imports
    assert_eq!(import(&mut store, &file).unwrap(), 2);
}

#[test]
fn drive_letters_spaces_and_verbatim_paths_work_for_database_files_and_backups() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    assert!(
        root.to_string_lossy().chars().nth(1) == Some(':'),
        "the temporary folder has a drive letter: {}",
        root.display()
    );
    let exports = root.join("Meine Exporte");
    let data = root.join("Daten mit Leerzeichen");
    std::fs::create_dir_all(&exports).unwrap();
    std::fs::create_dir_all(&data).unwrap();
    let csv = exports.join("Kunden Liste.csv");
    std::fs::write(&csv, KUNDEN_CP1252).unwrap();

    // the database behind a verbatim path (\\?\C:\...), the file by its plain one
    let verbatim: PathBuf = std::fs::canonicalize(&data).unwrap().join("cs.db");
    assert!(
        verbatim.to_string_lossy().starts_with(r"\\?\"),
        "{}",
        verbatim.display()
    );
    let mut store = Store::open(&verbatim).unwrap();
    assert_eq!(import(&mut store, &csv).unwrap(), 2);
    let batches = store.batches().unwrap();
    assert_eq!(batches[0].file, "Kunden Liste.csv");
    drop(store);

    // the same database by its plain path: the same data
    let store = Store::open(&data.join("cs.db")).unwrap();
    assert_eq!(store.batches().unwrap().len(), 1);
    // a backup into a folder with spaces, by a verbatim path
    let backup = std::fs::canonicalize(&exports)
        .unwrap()
        .join("Sicherung März.cspulse");
    store.backup_to(&backup).unwrap();
    drop(store);
    let copy = Store::open(&exports.join("Sicherung März.cspulse")).unwrap();
    assert_eq!(copy.batches().unwrap()[0].rows_imported, 2);
}
