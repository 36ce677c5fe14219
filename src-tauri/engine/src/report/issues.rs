//! A batch's issues saved as a workbook the user can filter and fix their export by.

use super::{cut_to_cell, looks_like_formula};
use crate::error::{Error, Lang, Result};
use crate::store::issues::{batch_issues, IssueLine};
use crate::store::Store;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// What [`save_issues`] wrote.
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct SavedIssues {
    pub file: String,
    /// Issue rows written (below the header row).
    pub issues: u32,
}

/// Writes the issues of `batch_id` as a workbook to `out` (a path the user chose): columns
/// sheet, row, column, value, reason with headers in `lang`, bold, frozen and filterable.
/// Imported text is written as text (quote-prefixed when it starts like a formula, cut at
/// Excel's cell limit). Written to a temporary file next to `out` and renamed, so a failure
/// leaves nothing behind.
pub fn save_issues(store: &Store, batch_id: i64, lang: Lang, out: &Path) -> Result<SavedIssues> {
    let found = batch_issues(store, batch_id, lang)?;
    let bytes = issues_workbook(&found.issues, lang)?;
    crate::report::save(out, &bytes)?;
    Ok(SavedIssues {
        file: out.display().to_string(),
        issues: found.issues.len() as u32,
    })
}

/// The issues workbook as bytes.
pub fn issues_workbook(issues: &[IssueLine], lang: Lang) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, FormatAlign, Workbook};
    let xlsx = |e: rust_xlsxwriter::XlsxError| Error::Report(e.to_string());
    let de = lang == Lang::De;
    let titles: [&str; 5] = if de {
        ["Blatt", "Zeile", "Spalte", "Wert", "Grund"]
    } else {
        ["Sheet", "Row", "Column", "Value", "Reason"]
    };
    let cut = crate::report::text::texts(lang).cut;
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let quoted = Format::new().set_num_format("@").set_quote_prefix();
    let number = Format::new().set_align(FormatAlign::Right);
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(if de { "Probleme" } else { "Issues" })
        .map_err(xlsx)?;
    for (c, t) in titles.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *t, &bold)
            .map_err(xlsx)?;
    }
    for (c, w) in [18.0, 8.0, 24.0, 32.0, 60.0].into_iter().enumerate() {
        ws.set_column_width(c as u16, w).map_err(xlsx)?;
    }
    for (i, issue) in issues.iter().enumerate() {
        let r = i as u32 + 1;
        let mut put = |c: u16, s: &str| {
            let long = cut_to_cell(s, cut);
            let s = long.as_deref().unwrap_or(s);
            let f = if looks_like_formula(s) {
                &quoted
            } else {
                &text
            };
            ws.write_string_with_format(r, c, s, f).map(|_| ())
        };
        put(0, issue.sheet.as_deref().unwrap_or("")).map_err(xlsx)?;
        put(2, &issue.column).map_err(xlsx)?;
        put(3, &issue.value).map_err(xlsx)?;
        put(4, &issue.reason).map_err(xlsx)?;
        ws.write_number_with_format(r, 1, f64::from(issue.row), &number)
            .map_err(xlsx)?;
    }
    ws.set_freeze_panes(1, 0).map_err(xlsx)?;
    ws.autofilter(0, 0, issues.len() as u32, 4).map_err(xlsx)?;
    wb.save_to_buffer().map_err(xlsx)
}
