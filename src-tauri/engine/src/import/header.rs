//! The header of a table: which row it is (title and note rows above it are passed over),
//! what each column is called, which kind of data the table holds and which column holds
//! each field (by the field ids, their synonyms and the user's mapping), or that the table
//! is revenue with one column per month, to be unpivoted. What comes out is a [`Plan`]
//! (or, for the wizard, a [`Draft`] with every problem found on the way).

use super::convert::{self, FileCell, SlashOrder};
use super::fields::{fields, header_key, matches};
use super::source::{self, FileRow};
use super::{Options, TableHead, HEADER_SCAN_ROWS};
use crate::error::{Error, MappingProblem};
use crate::model::Kind;
use crate::month::Month;
use std::collections::HashSet;
use std::path::Path;

/// Column index per field of `kind` (ids first, then synonyms), plus `--map` overrides.
pub(super) fn map_columns(kind: Kind, keys: &[String]) -> Vec<Option<usize>> {
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

/// The kinds whose required fields are all present, likeliest first: the most mapped
/// fields; ties go to the kind with fewer fields (the better coverage).
fn fitting_kinds(keys: &[String]) -> Vec<Kind> {
    let mut fit: Vec<(Kind, usize, usize)> = Kind::ALL
        .into_iter()
        .filter_map(|k| {
            let cols = map_columns(k, keys);
            missing_required(k, &cols).is_empty().then(|| {
                let n = cols.iter().filter(|c| c.is_some()).count();
                (k, n, fields(k).len())
            })
        })
        .collect();
    // stable: among equals, the order of the kinds
    fit.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    fit.into_iter().map(|(k, _, _)| k).collect()
}

/// Does a header text name a field of any kind?
pub(super) fn names_a_field(text: &str) -> bool {
    header_score(&[header_key(text)]) > 0
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

/// How the rows of a table become records.
pub(super) struct Plan {
    pub(super) head: TableHead,
    /// Index of the header row among the rows read for the header search.
    pub(super) header_idx: usize,
    /// Display name per column: its header, `Column C` when blank, `MRR (2)` when repeated.
    pub(super) header: Vec<String>,
    /// Column per field of the kind.
    pub(super) cols: Vec<Option<usize>>,
    /// One-column-per-month revenue: (column, month); empty for a long table.
    pub(super) wide: Vec<(usize, Month)>,
    /// The field that identifies a record (`account_id`, `ticket_id`, …), for totals rows.
    pub(super) id_field: Option<usize>,
}

pub(super) fn column_letter(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// The header's cells as names a user can find: blank → `Column C`; repeated → `MRR (2)`.
fn header_names(cells: &[FileCell]) -> Vec<String> {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    cells
        .iter()
        .enumerate()
        .map(|(i, c)| {
            // a date cell heading a month column reads as that month (Excel shows `Feb 26`)
            let text = match c {
                FileCell::DateTime(d) if header_month(c).is_some() => {
                    use chrono::Datelike;
                    format!("{:04}-{:02}", d.year(), d.month())
                }
                _ => c.display().trim().to_owned(),
            };
            if text.is_empty() {
                return format!("Column {}", column_letter(i));
            }
            let n = seen.entry(text.to_lowercase()).or_insert(0);
            *n += 1;
            if *n == 1 {
                text
            } else {
                format!("{text} ({n})")
            }
        })
        .collect()
}

/// A header cell that names a month: a date cell, or a text such as `Jan 2026`, `2026-01`,
/// `Okt. 25`, `01/2026`.
fn header_month(cell: &FileCell) -> Option<Month> {
    match cell {
        FileCell::DateTime(d) => {
            use chrono::Datelike;
            Month::new(d.year(), d.month())
        }
        FileCell::Text(t) if t.chars().any(|c| !c.is_ascii_digit()) && t.trim().len() <= 20 => {
            convert::month(cell, SlashOrder::DayFirst)
        }
        _ => None,
    }
}

fn month_columns(cells: &[FileCell]) -> Vec<(usize, Month)> {
    cells
        .iter()
        .enumerate()
        .filter_map(|(i, c)| header_month(c).map(|m| (i, m)))
        .collect()
}

/// A table's header and mapping as far as they could be made out, with every problem
/// found on the way (in the order the import reports them: header row, kind, mapping,
/// required fields). The import stops at the first problem; the wizard (`inspect`) shows
/// them all.
pub(super) struct Draft {
    pub(super) header_idx: usize,
    /// Display name per column of the header row (as in [`Plan::header`]).
    pub(super) header: Vec<String>,
    /// `None` when the kind is not known (neither chosen nor recognised).
    pub(super) plan: Option<Plan>,
    pub(super) problems: Vec<Error>,
}

/// The header row among `rows` that names the most fields (month columns count when it
/// also names a field): index into `rows`.
fn find_header(rows: &[FileRow]) -> usize {
    (0..rows.len().min(HEADER_SCAN_ROWS))
        .map(|i| {
            let keys: Vec<String> = rows[i]
                .cells
                .iter()
                .map(|c| header_key(&c.display()))
                .collect();
            let named = header_score(&keys);
            // month columns count for a header that also names a field (wide revenue)
            let months = if named > 0 {
                month_columns(&rows[i].cells).len()
            } else {
                0
            };
            (i, named + months)
        })
        .filter(|(_, s)| *s > 0)
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map_or(0, |(i, _)| i)
}

fn draft(path: &Path, sheet: Option<&str>, rows: &[FileRow], opts: &Options) -> Draft {
    let sheet_name = sheet.map(str::to_owned);
    let mut problems = Vec::new();
    let header_idx = match opts.header_row {
        Some(n) => rows.iter().position(|r| r.no == n).unwrap_or_else(|| {
            problems.push(Error::Empty {
                file: path.into(),
                sheet: sheet_name.clone(),
            });
            find_header(rows)
        }),
        None => find_header(rows),
    };
    let cells = &rows[header_idx].cells;
    let header = header_names(cells);
    let keys: Vec<String> = cells.iter().map(|c| header_key(&c.display())).collect();
    // one column per month (finance exports): revenue, unpivoted
    let months = month_columns(cells);
    let revenue_cols = map_columns(Kind::Revenue, &keys);
    let rf = fields(Kind::Revenue);
    let ri = |id: &str| rf.iter().position(|f| f.id == id).unwrap_or(0);
    let wide_fits = months.len() >= 2
        && revenue_cols[ri("account_id")].is_some_and(|c| !months.iter().any(|(m, _)| *m == c))
        && revenue_cols[ri("month")].is_none_or(|c| months.iter().any(|(m, _)| *m == c))
        && opts.kind.is_none_or(|k| k == Kind::Revenue);
    let fitting = if wide_fits || opts.kind.is_some() {
        vec![]
    } else {
        fitting_kinds(&keys)
    };
    // a kind recognised from the headers alone must be sure (`kind`): else it is a question
    if let (Some(&guess), true) = (fitting.first(), opts.map.is_empty()) {
        let cols = map_columns(guess, &keys);
        if let Some(doubt) = super::kind::doubt(guess, &keys, &cols, cells, &rows[header_idx + 1..])
        {
            let mut candidates = fitting.clone();
            if doubt == super::kind::Doubt::MonthColumns {
                candidates.retain(|k| *k != Kind::Revenue);
                candidates.insert(0, Kind::Revenue);
            }
            problems.push(Error::KindUncertain {
                file: path.into(),
                sheet: sheet_name,
                candidates,
                headers: header
                    .iter()
                    .zip(cells)
                    .filter(|(_, c)| !c.is_empty())
                    .map(|(h, _)| h.clone())
                    .collect(),
            });
            return Draft {
                header_idx,
                header,
                plan: None,
                problems,
            };
        }
    }
    let kind = if wide_fits {
        Kind::Revenue
    } else {
        match opts.kind.or_else(|| fitting.first().copied()) {
            Some(k) => k,
            None => {
                problems.push(Error::UnknownKind {
                    file: path.into(),
                    sheet: sheet_name,
                    headers: header
                        .iter()
                        .zip(cells)
                        .filter(|(_, c)| !c.is_empty())
                        .map(|(h, _)| h.clone())
                        .collect(),
                });
                return Draft {
                    header_idx,
                    header,
                    plan: None,
                    problems,
                };
            }
        }
    };
    let wide = if wide_fits { months } else { vec![] };
    let mut cols = map_columns(kind, &keys);
    if !wide.is_empty() {
        // the month columns hold month and amount; no other column may claim them
        for c in cols.iter_mut() {
            if c.is_some_and(|c| wide.iter().any(|(m, _)| *m == c)) {
                *c = None;
            }
        }
    }
    for m in &opts.map {
        let bad = |problem| Error::BadMapping(m.clone(), problem);
        let Some((field, column)) = m.split_once('=') else {
            problems.push(bad(MappingProblem::Syntax));
            continue;
        };
        let Some(fi) = fields(kind).iter().position(|f| f.id == field.trim()) else {
            problems.push(bad(MappingProblem::UnknownField));
            continue;
        };
        // `FIELD=` with no column: the field stays unmapped
        if column.trim().is_empty() {
            cols[fi] = None;
            continue;
        }
        let Some(ci) = header
            .iter()
            .position(|h| h == column.trim())
            .or_else(|| keys.iter().position(|k| *k == header_key(column)))
        else {
            problems.push(bad(MappingProblem::UnknownColumn));
            continue;
        };
        for c in cols.iter_mut() {
            if *c == Some(ci) {
                *c = None;
            }
        }
        cols[fi] = Some(ci);
    }
    let fs = fields(kind);
    let mut check = cols.clone();
    if !wide.is_empty() {
        for id in ["month", "mrr"] {
            if let Some(fi) = fs.iter().position(|f| f.id == id) {
                check[fi] = Some(usize::MAX);
            }
        }
    }
    let missing = missing_required(kind, &check);
    if !missing.is_empty() {
        problems.push(Error::MissingRequired {
            file: path.into(),
            sheet: sheet_name.clone(),
            kind: kind.id().into(),
            fields: missing.into_iter().map(str::to_owned).collect(),
        });
    }
    let mut mapping: Vec<(&'static str, String)> = fs
        .iter()
        .zip(&cols)
        .filter_map(|(f, c)| c.map(|ci| (f.id, header.get(ci).cloned().unwrap_or_default())))
        .collect();
    if let (Some(first), Some(last)) = (wide.first(), wide.last()) {
        let span = format!("{} … {}", header[first.0], header[last.0]);
        mapping.push(("month", span.clone()));
        mapping.push(("mrr", span));
    }
    let id_field = fs
        .iter()
        .position(|f| f.required && f.id.ends_with("_id"))
        .filter(|fi| cols[*fi].is_some());
    Draft {
        header_idx,
        header: header.clone(),
        plan: Some(Plan {
            head: TableHead {
                sheet: sheet_name,
                kind,
                header_row: rows[header_idx].no,
                mapping,
            },
            header_idx,
            header,
            cols,
            wide,
            id_field,
        }),
        problems,
    }
}

/// Blank cells between the header's first and last text: where a merged cell may be.
pub(super) fn header_has_gaps(row: &FileRow) -> bool {
    let filled: Vec<bool> = row.cells.iter().map(|c| !c.is_empty()).collect();
    match (
        filled.iter().position(|f| *f),
        filled.iter().rposition(|f| *f),
    ) {
        (Some(a), Some(b)) => filled[a..=b].iter().any(|f| !f),
        _ => false,
    }
}

/// [`draft`], with merged header cells taking their text: looked up when the header has
/// gaps a merged cell could fill, or when it is not understood without them.
pub(super) fn draft_merged(
    path: &Path,
    sheet: Option<&str>,
    head: &mut [FileRow],
    notes: &source::TableNotes,
    opts: &Options,
) -> Draft {
    let d = draft(path, sheet, head, opts);
    if let Some(load) = &notes.merged {
        if !d.problems.is_empty() || header_has_gaps(&head[d.header_idx]) {
            let merged = load();
            if !merged.is_empty() {
                source::apply_merged(head, &merged);
                return draft(path, sheet, head, opts);
            }
        }
    }
    d
}
