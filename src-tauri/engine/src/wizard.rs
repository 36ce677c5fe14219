//! What the desktop's import wizard shows before anything is written: per table of a file,
//! the detected kind, header row and mapping, every column's name, the kind's fields and
//! the first rows, with the user's choices applied exactly as the import applies them.
//! Reads only up to the header search (the first ~30 rows of each sheet), so it is quick
//! on any file size. And the issues of a stored batch, for the wizard's issue list.

use crate::error::{Error, Result};
use crate::import::fields::fields;
use crate::import::{self, Input, Issue, Options, SkippedSheet, TableHead};
use crate::store::Store;
use crate::Kind;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// A field of a kind, for the mapping dropdowns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct FieldInfo {
    pub id: String,
    pub required: bool,
}

/// A column mapped to a field.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Mapped {
    pub field: String,
    pub column: String,
}

/// One table of the file as the import would read it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct TablePreview {
    /// `None` for a CSV file.
    pub sheet: Option<String>,
    pub kind: Kind,
    /// `false`: the headers match no kind; the user must choose one.
    pub recognised: bool,
    /// 1-based, as in Excel.
    pub header_row: u32,
    /// Every column's name (`Column C` for a blank header, `MRR (2)` for a repeated one).
    pub columns: Vec<String>,
    pub mapping: Vec<Mapped>,
    /// The kind's fields in their order.
    pub fields: Vec<FieldInfo>,
    /// Required fields with no column: the import would refuse the table.
    pub missing: Vec<String>,
    /// The first rows below the header, each cell as shown in Excel.
    pub preview: Vec<Vec<String>>,
}

/// A file as the wizard shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Inspection {
    pub file_name: String,
    pub tables: Vec<TablePreview>,
    pub skipped_sheets: Vec<SkippedSheet>,
}

fn preview_of(h: TableHead) -> TablePreview {
    TablePreview {
        sheet: h.sheet,
        kind: h.kind,
        recognised: h.recognised,
        header_row: h.header_row,
        columns: h.columns,
        mapping: h
            .mapping
            .into_iter()
            .map(|(field, column)| Mapped {
                field: field.to_owned(),
                column,
            })
            .collect(),
        fields: fields(h.kind)
            .iter()
            .map(|f| FieldInfo {
                id: f.id.to_owned(),
                required: f.required,
            })
            .collect(),
        missing: h.missing.iter().map(|f| (*f).to_owned()).collect(),
        preview: h.preview,
    }
}

/// The tables of `path` with the user's choices in `opts` (kind, sheet, header row,
/// `FIELD=COLUMN` mappings) applied. A workbook's sheets whose headers match no kind are
/// listed as skipped, as the import skips them, unless the file has only that one table.
pub fn inspect(path: &Path, opts: &Options) -> Result<Inspection> {
    let opts = Options {
        lenient: true,
        ..opts.clone()
    };
    let (heads, mut skipped) = import::probe(path, Input::File(path.to_path_buf()), &opts)?;
    let several = heads.len() > 1;
    let mut tables = Vec::new();
    for h in heads {
        if several && !h.recognised {
            skipped.push(SkippedSheet {
                sheet: h.sheet.clone().unwrap_or_default(),
                reason: "unknown_kind".into(),
                headers: h.columns.clone(),
            });
        } else {
            tables.push(preview_of(h));
        }
    }
    Ok(Inspection {
        file_name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string()),
        tables,
        skipped_sheets: skipped,
    })
}

/// The issues stored with batch `id` (the first 10,000 of its table).
pub fn batch_issues(store: &Store, id: i64) -> Result<Vec<Issue>> {
    let json = store.batch_issues_json(id)?.ok_or(Error::NoSuchBatch(id))?;
    Ok(serde_json::from_str(&json).unwrap_or_default())
}

/// Whether `kind` names one of the eleven kinds (`accounts`, …).
pub fn parse_kind(kind: &str) -> Result<Kind> {
    Kind::parse(kind).ok_or_else(|| Error::BadKind(kind.to_owned()))
}

/// The issues as a workbook: sheet, row, column, value, reason in `lang`; bold frozen
/// header with a filter; every value written as text (never as a formula).
pub fn write_issues(issues: &[Issue], lang: crate::Lang, out: &Path) -> Result<()> {
    use rust_xlsxwriter::{Format, Workbook};
    let pick = |en: &str, de: &str| lang.pick(en.to_owned(), de.to_owned());
    let bad = |e: rust_xlsxwriter::XlsxError| Error::Report(e.to_string());
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(pick("Issues", "Probleme")).map_err(bad)?;
    let bold = Format::new().set_bold();
    let text = Format::new();
    let quoted = Format::new().set_quote_prefix();
    let heads = [
        pick("Sheet", "Blatt"),
        pick("Row", "Zeile"),
        pick("Column", "Spalte"),
        pick("Value", "Wert"),
        pick("Reason", "Grund"),
    ];
    for (c, h) in heads.iter().enumerate() {
        sheet
            .write_string_with_format(0, c as u16, h, &bold)
            .map_err(bad)?;
    }
    let cell = |s: &str| -> (String, bool) {
        let s = crate::report::cut_to_cell(s, " … [cut]").unwrap_or_else(|| s.to_owned());
        let f = crate::report::looks_like_formula(&s);
        (s, f)
    };
    for (i, issue) in issues.iter().enumerate() {
        let r = i as u32 + 1;
        let reason = match lang {
            crate::Lang::De => &issue.reason_de,
            crate::Lang::En => &issue.reason,
        };
        for (c, v) in [
            issue.sheet.as_deref().unwrap_or(""),
            "",
            issue.column.as_str(),
            issue.value.as_str(),
            reason.as_str(),
        ]
        .iter()
        .enumerate()
        {
            if c == 1 {
                sheet
                    .write_number(r, 1, f64::from(issue.row))
                    .map_err(bad)?;
                continue;
            }
            let (s, formula_like) = cell(v);
            let f = if formula_like { &quoted } else { &text };
            sheet
                .write_string_with_format(r, c as u16, &s, f)
                .map_err(bad)?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(bad)?;
    sheet
        .autofilter(0, 0, issues.len() as u32, 4)
        .map_err(bad)?;
    for (c, w) in [14.0, 8.0, 24.0, 28.0, 60.0].iter().enumerate() {
        sheet.set_column_width(c as u16, *w).map_err(bad)?;
    }
    let bytes = book.save_to_buffer().map_err(bad)?;
    crate::report::write_atomically(out, &bytes)
}
