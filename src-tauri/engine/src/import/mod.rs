//! Import: a file's bytes in, validated rows per table out (nothing is written here; the
//! store commits each table as one batch). Steps: read cells → find the header row → guess
//! the kind and map columns → convert and validate each row, listing every bad cell.

pub mod convert;
pub mod fields;
pub mod read;

use crate::error::{Error, MappingProblem, Result};
use crate::model::Kind;
use convert::{convert_with, decimal_style, slash_order, Cell, Decimal, Reason, SlashOrder, Value};
use fields::{fields, header_key, matches, FieldType};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::Path;

/// What the user may force instead of the guesses.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub kind: Option<Kind>,
    pub sheet: Option<String>,
    /// The header's row number as the user sees it (1-based).
    pub header_row: Option<u32>,
    /// `FIELD=COLUMN` pairs.
    pub map: Vec<String>,
}

/// One rejected cell (or row), with the position a user can find in Excel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Issue {
    pub sheet: Option<String>,
    pub row: u32,
    pub column: String,
    pub value: String,
    /// In English.
    pub reason: String,
    pub reason_de: String,
}

/// A table ready to be stored as one batch.
#[derive(Clone, Debug)]
pub struct Prepared {
    pub sheet: Option<String>,
    pub kind: Kind,
    pub header_row: u32,
    /// (field id, column header) for every mapped field.
    pub mapping: Vec<(&'static str, String)>,
    /// (row number, values in `fields(kind)` order).
    pub rows: Vec<(u32, Vec<Value>)>,
    pub issues: Vec<Issue>,
    /// Rows not imported (each has at least one issue).
    pub skipped: usize,
}

const HEADER_SCAN_ROWS: usize = 30;

/// Reads and validates every table of the file.
pub fn prepare(path: &Path, bytes: &[u8], opts: &Options) -> Result<Vec<Prepared>> {
    prepare_all(path, bytes, opts).map(|(tables, _)| tables)
}

/// A sheet of a workbook that was not imported, and why (shown to the user).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct SkippedSheet {
    pub sheet: String,
    /// `no_table` (fewer than two rows with values) or `unknown_kind`.
    pub reason: String,
    /// The headers found, for `unknown_kind`.
    pub headers: Vec<String>,
}

/// As [`prepare`], also listing the sheets that were passed over.
pub fn prepare_all(
    path: &Path,
    bytes: &[u8],
    opts: &Options,
) -> Result<(Vec<Prepared>, Vec<SkippedSheet>)> {
    let mut tables = read::read(path, bytes)?;
    if let Some(want) = &opts.sheet {
        let names: Vec<String> = tables.iter().filter_map(|t| t.sheet.clone()).collect();
        tables.retain(|t| t.sheet.as_deref().is_none_or(|s| s == want));
        if tables.is_empty() {
            return Err(Error::NoSuchSheet {
                file: path.into(),
                sheet: want.clone(),
                sheets: names,
            });
        }
    }
    let mut skipped = Vec::new();
    let (with_data, without): (Vec<read::Table>, Vec<read::Table>) =
        tables.into_iter().partition(|t| {
            t.rows
                .iter()
                .filter(|(_, r)| r.iter().any(|c| !c.is_empty()))
                .count()
                >= 2
        });
    for t in without {
        if let Some(sheet) = t.sheet {
            skipped.push(SkippedSheet {
                sheet,
                reason: "no_table".into(),
                headers: vec![],
            });
        }
    }
    if with_data.is_empty() {
        return Err(Error::Empty {
            file: path.into(),
            sheet: opts.sheet.clone(),
        });
    }
    let single = with_data.len() == 1;
    let mut out = Vec::new();
    let mut first_error = None;
    for table in with_data {
        match prepare_table(path, table, opts) {
            Ok(p) => out.push(p),
            // a workbook's notes or cover sheets are skipped; one table must be recognised
            Err(Error::UnknownKind {
                file,
                sheet,
                headers,
            }) if !single => {
                skipped.push(SkippedSheet {
                    sheet: sheet.clone().unwrap_or_default(),
                    reason: "unknown_kind".into(),
                    headers: headers.clone(),
                });
                first_error.get_or_insert(Error::UnknownKind {
                    file,
                    sheet,
                    headers,
                });
            }
            Err(e) => return Err(e),
        }
    }
    match (out.is_empty(), first_error) {
        (true, Some(e)) => Err(e),
        _ => Ok((out, skipped)),
    }
}

/// Column index per field of `kind` (ids first, then synonyms), plus `--map` overrides.
fn map_columns(kind: Kind, keys: &[String]) -> Vec<Option<usize>> {
    let fs = fields(kind);
    let mut used = HashSet::new();
    let mut cols = vec![None; fs.len()];
    for (fi, f) in fs.iter().enumerate() {
        if let Some(ci) = keys.iter().position(|k| *k == header_key(f.id)) {
            used.insert(ci);
            cols[fi] = Some(ci);
        }
    }
    for (fi, f) in fs.iter().enumerate() {
        if cols[fi].is_none() {
            if let Some(ci) =
                (0..keys.len()).find(|ci| !used.contains(ci) && matches(f, &keys[*ci]))
            {
                used.insert(ci);
                cols[fi] = Some(ci);
            }
        }
    }
    cols
}

fn missing_required(kind: Kind, cols: &[Option<usize>]) -> Vec<&'static str> {
    let fs = fields(kind);
    let mut missing: Vec<&'static str> = fs
        .iter()
        .zip(cols)
        .filter(|(f, c)| f.required && c.is_none())
        .map(|(f, _)| f.id)
        .collect();
    if kind == Kind::Surveys {
        let has_score = fs
            .iter()
            .zip(cols)
            .any(|(f, c)| ["nps", "csat", "ces"].contains(&f.id) && c.is_some());
        if !has_score {
            missing.push("nps/csat/ces");
        }
    }
    missing
}

/// The kind whose required fields are all present with the most mapped fields; ties go to
/// the kind with fewer fields (the better coverage).
fn guess_kind(keys: &[String]) -> Option<Kind> {
    Kind::ALL
        .into_iter()
        .filter_map(|k| {
            let cols = map_columns(k, keys);
            missing_required(k, &cols).is_empty().then(|| {
                let n = cols.iter().filter(|c| c.is_some()).count();
                (k, n, fields(k).len())
            })
        })
        .max_by(|a, b| a.1.cmp(&b.1).then(b.2.cmp(&a.2)))
        .map(|(k, _, _)| k)
}

fn header_score(keys: &[String]) -> usize {
    keys.iter()
        .filter(|k| {
            Kind::ALL
                .iter()
                .any(|kind| fields(*kind).iter().any(|f| matches(f, k)))
        })
        .count()
}

fn prepare_table(path: &Path, table: read::Table, opts: &Options) -> Result<Prepared> {
    let read::Table {
        sheet,
        rows,
        decimal_hint,
    } = table;
    let keys_of =
        |r: &[Cell]| -> Vec<String> { r.iter().map(|c| header_key(&c.display())).collect() };
    let header_idx = match opts.header_row {
        Some(n) => rows
            .iter()
            .position(|(no, _)| *no == n)
            .ok_or_else(|| Error::Empty {
                file: path.into(),
                sheet: sheet.clone(),
            })?,
        None => {
            let first_non_empty = rows
                .iter()
                .position(|(_, r)| r.iter().any(|c| !c.is_empty()))
                .unwrap_or(0);
            (0..rows.len().min(HEADER_SCAN_ROWS))
                .map(|i| (i, header_score(&keys_of(&rows[i].1))))
                .filter(|(_, s)| *s > 0)
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
                .map_or(first_non_empty, |(i, _)| i)
        }
    };
    let header: Vec<String> = rows[header_idx]
        .1
        .iter()
        .map(|c| c.display().trim().to_owned())
        .collect();
    let keys = keys_of(&rows[header_idx].1);
    let kind = match opts.kind.or_else(|| guess_kind(&keys)) {
        Some(k) => k,
        None => {
            return Err(Error::UnknownKind {
                file: path.into(),
                sheet,
                headers: header.iter().filter(|h| !h.is_empty()).cloned().collect(),
            })
        }
    };
    let mut cols = map_columns(kind, &keys);
    for m in &opts.map {
        let (field, column) = m
            .split_once('=')
            .ok_or_else(|| Error::BadMapping(m.clone(), MappingProblem::Syntax))?;
        let fi = fields(kind)
            .iter()
            .position(|f| f.id == field.trim())
            .ok_or_else(|| Error::BadMapping(m.clone(), MappingProblem::UnknownField))?;
        let ci = header
            .iter()
            .position(|h| h == column.trim())
            .or_else(|| keys.iter().position(|k| *k == header_key(column)))
            .ok_or_else(|| Error::BadMapping(m.clone(), MappingProblem::UnknownColumn))?;
        for c in cols.iter_mut() {
            if *c == Some(ci) {
                *c = None;
            }
        }
        cols[fi] = Some(ci);
    }
    let missing = missing_required(kind, &cols);
    if !missing.is_empty() {
        return Err(Error::MissingRequired {
            file: path.into(),
            sheet,
            kind: kind.id().into(),
            fields: missing.into_iter().map(str::to_owned).collect(),
        });
    }
    let data = &rows[header_idx + 1..];
    let fs = fields(kind);
    // per-column reading of dd/mm vs mm/dd from all of the column's values; without
    // evidence, the file's locale decides (day first where the comma is the decimal mark)
    let slash_default = match decimal_hint {
        Decimal::Comma => SlashOrder::DayFirst,
        _ => SlashOrder::MonthFirst,
    };
    let orders: Vec<SlashOrder> = fs
        .iter()
        .zip(&cols)
        .map(|(f, c)| match (f.ty, c) {
            (FieldType::Date | FieldType::DateTime | FieldType::Month, Some(ci)) => {
                slash_order(data.iter().filter_map(|(_, r)| r.get(*ci)), slash_default)
            }
            _ => SlashOrder::MonthFirst,
        })
        .collect();
    // per-column decimal separator; a column without evidence follows the table's others
    let number_col = |ty: FieldType| matches!(ty, FieldType::Number | FieldType::Int { .. });
    let mut decimals: Vec<Decimal> = fs
        .iter()
        .zip(&cols)
        .map(|(f, c)| match c {
            Some(ci) if number_col(f.ty) => {
                decimal_style(data.iter().filter_map(|(_, r)| r.get(*ci)))
            }
            _ => Decimal::Unknown,
        })
        .collect();
    let table_style = decimals
        .iter()
        .copied()
        .find(|d| *d != Decimal::Unknown)
        .unwrap_or(decimal_hint);
    for d in decimals.iter_mut().filter(|d| **d == Decimal::Unknown) {
        *d = table_style;
    }
    let unique_field = match kind {
        Kind::Accounts => Some("account_id"),
        Kind::Tickets => Some("ticket_id"),
        Kind::Leads => Some("lead_id"),
        Kind::Orders => Some("order_id"),
        _ => None,
    };
    let unique_idx = unique_field.and_then(|u| fs.iter().position(|f| f.id == u));
    let mut seen: HashSet<String> = HashSet::new();
    let mut out_rows = Vec::with_capacity(data.len());
    let mut issues = Vec::new();
    let mut skipped = 0;
    for (row_no, cells) in data {
        if cells.iter().all(Cell::is_empty) {
            continue;
        }
        let mut values = Vec::with_capacity(fs.len());
        let mut bad = Vec::new();
        for (fi, f) in fs.iter().enumerate() {
            let Some(ci) = cols[fi] else {
                values.push(Value::Null);
                continue;
            };
            let cell = cells.get(ci).unwrap_or(&Cell::Empty);
            match convert_with(cell, f.ty, orders[fi], decimals[fi]) {
                Ok(Value::Null) if f.required => bad.push((ci, cell, Reason::Required)),
                Ok(Value::Real(v)) if v < 0.0 && !fields::may_be_negative(kind, f.id) => {
                    bad.push((
                        ci,
                        cell,
                        Reason::OutOfRange {
                            min: Some(0),
                            max: None,
                        },
                    ))
                }
                Ok(v) => values.push(v),
                Err(r) => bad.push((ci, cell, r)),
            }
            if values.len() < fi + 1 {
                values.push(Value::Null);
            }
        }
        if kind == Kind::Surveys && bad.is_empty() {
            let score_null = fs
                .iter()
                .enumerate()
                .filter(|(_, f)| ["nps", "csat", "ces"].contains(&f.id))
                .all(|(fi, _)| values[fi] == Value::Null);
            if score_null {
                let ci = fs
                    .iter()
                    .position(|f| f.id == "nps")
                    .and_then(|fi| cols[fi])
                    .unwrap_or(0);
                bad.push((ci, cells.get(ci).unwrap_or(&Cell::Empty), Reason::NoScore));
            }
        }
        if let (Some(ui), true) = (unique_idx, bad.is_empty()) {
            if let Value::Text(id) = &values[ui] {
                if !seen.insert(id.clone()) {
                    let ci = cols[ui].unwrap_or(0);
                    bad.push((ci, cells.get(ci).unwrap_or(&Cell::Empty), Reason::Duplicate));
                }
            }
        }
        if bad.is_empty() {
            out_rows.push((*row_no, values));
        } else {
            skipped += 1;
            for (ci, cell, reason) in bad {
                issues.push(Issue {
                    sheet: sheet.clone(),
                    row: *row_no,
                    column: header.get(ci).cloned().unwrap_or_default(),
                    value: cell.display(),
                    reason: reason.en(),
                    reason_de: reason.de(),
                });
            }
        }
    }
    let mapping = fs
        .iter()
        .zip(&cols)
        .filter_map(|(f, c)| c.map(|ci| (f.id, header.get(ci).cloned().unwrap_or_default())))
        .collect();
    Ok(Prepared {
        sheet,
        kind,
        header_row: rows[header_idx].0,
        mapping,
        rows: out_rows,
        issues,
        skipped,
    })
}
