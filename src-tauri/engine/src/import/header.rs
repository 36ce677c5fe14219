//! The header of a table: which row it is (title and note rows above it are passed over),
//! what each column is called, which kind of data the table holds and which column holds
//! each field (by the field ids, their synonyms and the user's mapping), or that the table
//! is revenue with one column per month, to be unpivoted. What comes out is a [`Plan`]
//! (or, for the wizard, a [`Draft`] with every problem found on the way).

use super::convert::{self, FileCell, SlashOrder};
use super::fields::{self, fields, header_key, matches, FieldType};
use super::source::{self, FileRow};
use super::{builtin, Options, ReadNote, TableHead, HEADER_SCAN_ROWS};
use crate::error::{Error, MappingProblem};
use crate::model::Kind;
use crate::month::Month;
use crate::sources::{units, vocab, wrapping};
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
fn fitting_kinds(keys: &[String], set: &[&str]) -> Vec<Kind> {
    let mut fit: Vec<(Kind, usize, usize)> = Kind::ALL
        .into_iter()
        .filter(|k| set.iter().all(|id| fields(*k).iter().any(|f| f.id == *id)))
        .filter_map(|k| {
            let mut cols = map_columns(k, keys);
            for (fi, f) in fields(k).iter().enumerate() {
                if set.contains(&f.id) {
                    cols[fi] = Some(usize::MAX);
                }
            }
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
    /// Index of the first data row among the rows read (after one or two header rows).
    pub(super) data_idx: usize,
    /// Per field: the value every row gets (`--set FIELD=VALUE`, a built-in profile).
    pub(super) constants: Vec<Option<FileCell>>,
    /// Per field: a rate or average column and its base field: the count is their product.
    pub(super) rates: Vec<Option<(usize, units::RateOf, usize)>>,
    /// Per duration field: the unit its column is in, when not the field's own.
    pub(super) units: Vec<Option<convert::DurationUnit>>,
    /// Line-item export: continuation rows of a record are passed over.
    pub(super) line_items: bool,
    /// Per field: the tool's words for its values (set from the first rows).
    pub(super) vocab: Vec<Option<vocab::Vocab>>,
    /// Columns whose value is written once per group and filled down (set from the first rows).
    pub(super) fill: Vec<usize>,
    /// A built-in profile's row test (column, test): rows that fail it are not records.
    pub(super) keep: Option<(usize, builtin::RowTest)>,
    /// A billing export: its lines become the MRR records (`billing`).
    pub(super) billing: Option<super::billing::Cols>,
    /// The user's words (`--value FIELD:LABEL=VALUE`): (field, label, value), added to the
    /// field's vocabulary before the built-in words.
    pub(super) user_values: Vec<(usize, String, vocab::Code)>,
}

/// The user's words for the fields of `kind` (`FIELD:LABEL=VALUE`); entries for another
/// kind's fields are left for that kind's tables, a value the field cannot hold is a problem.
fn user_values(
    kind: Kind,
    opts: &Options,
    problems: &mut Vec<Error>,
) -> Vec<(usize, String, vocab::Code)> {
    let fs = fields(kind);
    let mut out = Vec::new();
    for v in &opts.values {
        let bad = |p| Error::BadMapping(v.clone(), p);
        let Some((field_label, value)) = v.rsplit_once('=') else {
            problems.push(bad(MappingProblem::Syntax));
            continue;
        };
        let Some((field, label)) = field_label.split_once(':') else {
            problems.push(bad(MappingProblem::Syntax));
            continue;
        };
        let Some(fi) = fs.iter().position(|f| f.id == field.trim()) else {
            continue;
        };
        let value = value.trim();
        let code = match fs[fi].ty {
            FieldType::Coded(c) => {
                fields::code_value(c, value).map(|t| vocab::Code::Text(t.to_owned()))
            }
            FieldType::Int { min, max } => value
                .parse::<i64>()
                .ok()
                .filter(|n| min.is_none_or(|m| *n >= m) && max.is_none_or(|m| *n <= m))
                .map(vocab::Code::Score),
            FieldType::Number => value.parse::<i64>().ok().map(vocab::Code::Score),
            _ => None,
        };
        match code {
            Some(c) if !label.trim().is_empty() => out.push((fi, label.trim().to_owned(), c)),
            _ => problems.push(bad(MappingProblem::BadValue)),
        }
    }
    out
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
    /// Index of the first data row.
    pub(super) data_idx: usize,
    /// A built-in profile says the table is another view of a sibling table's data.
    pub(super) passed_by: Option<&'static str>,
    /// Display name per column of the header row (as in [`Plan::header`]).
    pub(super) header: Vec<String>,
    /// `None` when the kind is not known (neither chosen nor recognised).
    pub(super) plan: Option<Plan>,
    pub(super) problems: Vec<Error>,
}

/// The header row among `rows` that names the most fields (month columns count when it
/// also names a field): index into `rows`. Title, filter and comment blocks above the
/// header are passed over (`sources.md` §3): only rows shaped like a header (texts, no
/// numbers, no repeats) from the first header-like row on compete, so a plain export's
/// row-1 header wins over data rows that happen to hold field words; a file with no such
/// row falls back to every row.
fn find_header(rows: &[FileRow]) -> usize {
    let scan = rows.len().min(HEADER_SCAN_ROWS);
    let score = |i: usize| {
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
        named + months
    };
    let best = |candidates: &mut dyn Iterator<Item = usize>| {
        candidates
            .map(|i| (i, score(i)))
            .filter(|(_, s)| *s > 0)
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
            .map(|(i, _)| i)
    };
    let cells: Vec<&[FileCell]> = rows[..scan].iter().map(|r| r.cells.as_slice()).collect();
    if let Some(from) = wrapping::header_like(&cells) {
        let mut shaped = (from..scan).filter(|&i| wrapping::header_shaped(&rows[i].cells));
        if let Some(i) = best(&mut shaped) {
            return i;
        }
    }
    best(&mut (0..scan)).unwrap_or(0)
}

/// The header rows' names at `i` (two header rows combined when they make one, §3) and the
/// index of the first data row.
fn names_at(rows: &[FileRow], i: usize) -> (Option<Vec<String>>, usize) {
    let cells: Vec<&[FileCell]> = rows.iter().map(|r| r.cells.as_slice()).collect();
    match wrapping::combined_header(&cells, i) {
        Some((top, names)) if top == i => (Some(names), i + 2),
        Some((_, names)) => (Some(names), i + 1),
        None => (None, i + 1),
    }
}

/// The first header-shaped row a built-in profile recognises (§6), with what it applies.
fn recognised_header(rows: &[FileRow]) -> Option<(usize, builtin::Applied)> {
    (0..rows.len().min(HEADER_SCAN_ROWS))
        .filter(|&i| wrapping::header_shaped(&rows[i].cells))
        .find_map(|i| {
            let (names, data) = names_at(rows, i);
            let texts =
                names.unwrap_or_else(|| rows[i].cells.iter().map(|c| c.display()).collect());
            builtin::recognise(&texts, rows.get(data..).unwrap_or(&[])).map(|a| (i, a))
        })
}

/// The duration fields, and the unit each is stored in.
const DURATIONS: &[(&str, convert::DurationUnit)] = &[
    ("session_seconds", convert::DurationUnit::Seconds),
    ("duration_seconds", convert::DurationUnit::Seconds),
    ("first_response_minutes", convert::DurationUnit::Minutes),
];

/// A duration field and the unit it is stored in.
pub(super) fn duration_field(id: &str) -> Option<(&'static str, convert::DurationUnit)> {
    DURATIONS.iter().find(|(f, _)| *f == id).copied()
}

fn note(what: &str, field: &str, column: &str, en: String, de: String) -> ReadNote {
    ReadNote {
        what: what.into(),
        field: field.into(),
        column: column.into(),
        en,
        de,
    }
}

fn draft(path: &Path, sheet: Option<&str>, rows: &[FileRow], opts: &Options) -> Draft {
    let sheet_name = sheet.map(str::to_owned);
    let mut problems = Vec::new();
    let mut notes: Vec<ReadNote> = Vec::new();
    // a tool's export, recognised by its header, when the user chose nothing (§6)
    let chosen_nothing = opts.kind.is_none() && opts.map.is_empty() && opts.header_row.is_none();
    let mut applied = None;
    let header_idx = match opts.header_row {
        Some(n) => rows.iter().position(|r| r.no == n).unwrap_or_else(|| {
            problems.push(Error::Empty {
                file: path.into(),
                sheet: sheet_name.clone(),
            });
            find_header(rows)
        }),
        None => match chosen_nothing.then(|| recognised_header(rows)).flatten() {
            Some((i, a)) => {
                applied = Some(a);
                i
            }
            None => find_header(rows),
        },
    };
    let (combined, data_idx) = names_at(rows, header_idx);
    let data_idx = data_idx.min(rows.len());
    let cells: std::borrow::Cow<[FileCell]> = match &combined {
        Some(names) => {
            notes.push(note(
                "header_rows_combined",
                "",
                "",
                "two header rows read as one (a group row over its columns)".into(),
                "zwei Kopfzeilen als eine gelesen (eine Gruppenzeile über ihren Spalten)".into(),
            ));
            names
                .iter()
                .map(|n| {
                    if n.is_empty() {
                        FileCell::Empty
                    } else {
                        FileCell::Text(n.clone())
                    }
                })
                .collect::<Vec<_>>()
                .into()
        }
        None => rows[header_idx].cells.as_slice().into(),
    };
    let cells: &[FileCell] = &cells;
    let header = header_names(cells);
    if let Some(a) = &applied {
        if a.profile.kind.is_none() {
            return Draft {
                header_idx,
                data_idx,
                header,
                plan: None,
                problems,
                passed_by: Some(a.profile.name),
            };
        }
    }
    // the profile's choices, under the user's own constants
    let eff: std::borrow::Cow<Options> = match &applied {
        Some(a) => {
            let mut set = a.set.clone();
            set.retain(|s| {
                let f = s.split('=').next().unwrap_or("");
                !opts.set.iter().any(|u| u.split('=').next() == Some(f))
            });
            set.extend(opts.set.iter().cloned());
            std::borrow::Cow::Owned(Options {
                kind: a.profile.kind,
                map: a.map.clone(),
                set,
                ..opts.clone()
            })
        }
        None => std::borrow::Cow::Borrowed(opts),
    };
    let opts: &Options = &eff;
    let set_fields: Vec<&str> = opts
        .set
        .iter()
        .filter_map(|s| s.split_once('=').map(|(f, _)| f.trim()))
        .collect();
    let keys: Vec<String> = cells.iter().map(|c| header_key(&c.display())).collect();
    let data_rows = rows.get(data_idx..).unwrap_or(&[]);
    // a billing export: MRR derived from its lines (§5), unless the user chose another kind;
    // a mapping the user chose says which columns the lines' parts are in
    let billing = (applied.is_none() && opts.kind.is_none_or(|k| k == Kind::Revenue))
        .then(|| super::billing::columns(&header, &keys, &opts.map))
        .flatten();
    if let Some(cols) = billing {
        let (mapping, note) = cols.describe(&header);
        notes.push(note);
        let n = fields(Kind::Revenue).len();
        return Draft {
            header_idx,
            data_idx,
            header: header.clone(),
            plan: Some(Plan {
                head: TableHead {
                    sheet: sheet_name,
                    kind: Kind::Revenue,
                    header_row: rows[header_idx].no,
                    mapping,
                    profile: cols.profile.map(str::to_owned),
                    notes,
                },
                header_idx,
                data_idx,
                header,
                cols: billing_field_cols(&cols),
                wide: vec![],
                id_field: None,
                constants: vec![None; n],
                rates: vec![None; n],
                units: vec![None; n],
                line_items: false,
                vocab: Vec::new(),
                fill: Vec::new(),
                keep: None,
                billing: Some(cols),
                user_values: vec![],
            }),
            problems,
            passed_by: None,
        };
    }
    // one column per month (finance exports): revenue or costs, unpivoted
    let months = month_columns(cells);
    let wide_kind = [Kind::Revenue, Kind::Costs].into_iter().find(|&k| {
        let (mf, af) = wide_fields(k);
        let kc = map_columns(k, &keys);
        let kf = fields(k);
        let fi = |id: &str| kf.iter().position(|f| f.id == id).unwrap_or(0);
        let in_months = |c: usize| months.iter().any(|(m, _)| *m == c);
        months.len() >= 2
            && kc[fi(mf)].is_none_or(in_months)
            // every other required field: a column that is no month, or a constant
            && kf.iter().enumerate().all(|(i, f)| {
                !f.required
                    || f.id == mf
                    || f.id == af
                    || kc[i].is_some_and(|c| !in_months(c))
                    || set_fields.contains(&f.id)
            })
            // revenue needs its customer column; costs a constant or column for the type
            && opts.kind.is_none_or(|want| want == k)
    });
    let wide_fits = wide_kind.is_some();
    let fitting = if wide_fits || opts.kind.is_some() {
        vec![]
    } else {
        fitting_kinds(&keys, &set_fields)
    };
    // a kind recognised from the headers alone must be sure (`kind`): else it is a question
    if let (Some(&guess), true) = (fitting.first(), opts.map.is_empty()) {
        let mut cols = map_columns(guess, &keys);
        let fixed: Vec<usize> = fields(guess)
            .iter()
            .enumerate()
            .filter(|(_, f)| set_fields.contains(&f.id))
            .map(|(i, _)| i)
            .collect();
        for &fi in &fixed {
            cols[fi] = None;
        }
        if let Some(doubt) = super::kind::doubt(guess, &keys, &cols, &fixed, cells, data_rows) {
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
                data_idx,
                header,
                plan: None,
                problems,
                passed_by: None,
            };
        }
    }
    let kind = if let Some(k) = wide_kind {
        k
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
                    data_idx,
                    header,
                    plan: None,
                    problems,
                    passed_by: None,
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
    let user_values = user_values(kind, opts, &mut problems);
    // constants: a field no column holds, the same for the whole file (`--set`, §4)
    let mut constants: Vec<Option<FileCell>> = vec![None; fs.len()];
    for s in &opts.set {
        let bad = |problem| Error::BadMapping(s.clone(), problem);
        let Some((field, value)) = s.split_once('=') else {
            problems.push(bad(MappingProblem::Syntax));
            continue;
        };
        let Some(fi) = fs.iter().position(|f| f.id == field.trim()) else {
            problems.push(bad(MappingProblem::UnknownField));
            continue;
        };
        let cell = FileCell::Text(value.trim().to_owned());
        let reads = matches!(
            convert::convert(&cell, fs[fi].ty, SlashOrder::DayFirst),
            Ok(v) if v != convert::Value::Null
        );
        if !reads {
            problems.push(bad(MappingProblem::BadValue));
            continue;
        }
        cols[fi] = None;
        constants[fi] = Some(cell);
        notes.push(note(
            "constant",
            fs[fi].id,
            "",
            format!(
                "{} = {} for every row (no column holds it)",
                fs[fi].id,
                value.trim()
            ),
            format!(
                "{} = {} für jede Zeile (keine Spalte enthält es)",
                fs[fi].id,
                value.trim()
            ),
        ));
    }
    let pos = |id: &str| fs.iter().position(|f| f.id == id);
    // durations: the unit from the header; business-hours time is not calendar time
    let mut units: Vec<Option<convert::DurationUnit>> = vec![None; fs.len()];
    for (id, native) in DURATIONS {
        let Some(fi) = pos(id) else { continue };
        let Some(ci) = cols[fi] else { continue };
        let h = &header[ci];
        if units::is_business_hours(h) {
            cols[fi] = None;
            notes.push(note(
                "business_hours",
                id,
                h,
                format!("'{h}' is business-hours time, not calendar time: not used for {id}"),
                format!("'{h}' ist Zeit in Geschäftszeiten, keine Kalenderzeit: nicht für {id} verwendet"),
            ));
            continue;
        }
        if let Some(u) = units::duration_unit(h).filter(|u| u != native) {
            units[fi] = Some(u);
            notes.push(note(
                "unit",
                id,
                h,
                format!("'{h}' is in {u:?} (from its header), converted for {id}").to_lowercase(),
                format!("'{h}' ist in {u:?} (laut Spaltenkopf), umgerechnet für {id}"),
            ));
        }
    }
    // rates and averages of a count: the count is rate × base, per row (§4)
    let mut rates: Vec<Option<(usize, units::RateOf, usize)>> = vec![None; fs.len()];
    for (ci, h) in header.iter().enumerate() {
        if cols.contains(&Some(ci)) {
            continue;
        }
        let Some(r) = units::rate_column(h) else {
            continue;
        };
        let (Some(fi), Some(bi)) = (pos(r.field), pos(r.base)) else {
            continue;
        };
        if cols[fi].is_some() || constants[fi].is_some() || rates[fi].is_some() {
            continue;
        }
        let Some(bc) = cols[bi] else { continue };
        rates[fi] = Some((ci, r, bi));
        notes.push(note(
            "rate",
            r.field,
            h,
            format!("{} = '{h}' × '{}' per row", r.field, header[bc]),
            format!("{} = '{h}' × '{}' je Zeile", r.field, header[bc]),
        ));
    }
    let mut check = cols.clone();
    for fi in 0..fs.len() {
        if constants[fi].is_some() || rates[fi].is_some() {
            check[fi] = Some(usize::MAX);
        }
    }
    if !wide.is_empty() {
        let (mf, af) = wide_fields(kind);
        for id in [mf, af] {
            if let Some(fi) = pos(id) {
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
    let mut mapping: Vec<(&'static str, String)> = Vec::new();
    for (fi, f) in fs.iter().enumerate() {
        if let Some(ci) = cols[fi] {
            mapping.push((f.id, header.get(ci).cloned().unwrap_or_default()));
        } else if let Some(c) = &constants[fi] {
            mapping.push((f.id, format!("= {}", c.display())));
        } else if let Some((ci, _, bi)) = rates[fi] {
            let base = cols[bi]
                .and_then(|c| header.get(c))
                .cloned()
                .unwrap_or_default();
            mapping.push((f.id, format!("{} × {base}", header[ci])));
        }
    }
    if let (Some(first), Some(last)) = (wide.first(), wide.last()) {
        let span = format!("{} … {}", header[first.0], header[last.0]);
        let (mf, af) = wide_fields(kind);
        mapping.push((mf, span.clone()));
        mapping.push((af, span));
    }
    let id_field = fs
        .iter()
        .position(|f| f.required && f.id.ends_with("_id"))
        .filter(|fi| cols[*fi].is_some());
    let line_items = {
        let texts: Vec<&str> = header.iter().map(String::as_str).collect();
        id_field.is_some() && wrapping::is_line_item_export(&texts)
    };
    let profile = applied.as_ref().map(|a| a.profile.name.to_owned());
    Draft {
        header_idx,
        data_idx,
        header: header.clone(),
        plan: Some(Plan {
            head: TableHead {
                sheet: sheet_name,
                kind,
                header_row: rows[header_idx].no,
                mapping,
                profile,
                notes,
            },
            header_idx,
            data_idx,
            header,
            cols,
            wide,
            id_field,
            constants,
            rates,
            units,
            line_items,
            vocab: Vec::new(),
            fill: Vec::new(),
            keep: applied.as_ref().and_then(|a| a.keep),
            billing: None,
            user_values,
        }),
        problems,
        passed_by: None,
    }
}

/// The revenue fields' columns of a billing export (for the wizard's preview of the file):
/// the customer, the period's start as the month, the amount, the currency.
fn billing_field_cols(b: &super::billing::Cols) -> Vec<Option<usize>> {
    fields(Kind::Revenue)
        .iter()
        .map(|f| match f.id {
            "account_id" => Some(b.customer),
            "month" => b.start,
            "mrr" => Some(b.amount),
            "currency" => b.currency,
            _ => None,
        })
        .collect()
}

/// The month and amount fields of a kind read from one column per month.
pub(super) fn wide_fields(kind: Kind) -> (&'static str, &'static str) {
    match kind {
        Kind::Costs => ("month", "amount"),
        _ => ("month", "mrr"),
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
