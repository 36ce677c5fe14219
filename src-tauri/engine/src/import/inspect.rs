//! What the import wizard shows before anything is imported: per table (sheet) the kind, the
//! header row, every column, the mapping of each field, the first rows as the user sees
//! them, the date-order questions and what keeps the table from being imported.
//!
//! It reads what the import reads before its first row (the header search and the rows
//! that decide how columns are written, at most [`DECIDE_ROWS`]), never the whole file,
//! and honours the same [`Options`] as the import, so the wizard inspects again after
//! every change the user makes. A problem with one table (unknown kind, required field
//! without a column, a mapping naming no column, a header row that is blank) is data next
//! to that table, not an error; only a file that cannot be read at all is an error.

use super::convert::FileCell;
use super::fields::{fields, FieldType};
use super::header::Plan;
use super::*;
use crate::error::{Lang, MappingProblem};

/// Data rows shown per table.
pub const PREVIEW_ROWS: usize = 20;
/// Characters shown of one cell (a cell may hold a million).
const PREVIEW_CELL_CHARS: usize = 200;
/// Rows looked at past the preview to tell whether the table ends there.
const END_PEEK_ROWS: usize = 1000;

/// A file as the wizard shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Inspection {
    /// The file's name (without its folder).
    pub file: String,
    /// A workbook (sheets) rather than a text file (one table, `sheet` null).
    pub workbook: bool,
    /// One per table to import, in the workbook's order.
    pub tables: Vec<TablePreview>,
    /// Sheets that will not be imported, and why (`hidden`, `no_table`, `not_a_worksheet`,
    /// `not_chosen`).
    pub skipped_sheets: Vec<SkippedSheet>,
}

/// One table (a sheet, or a text file's one table).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct TablePreview {
    pub sheet: Option<String>,
    /// `null` when neither chosen nor recognised (a problem `unknown_kind` says so).
    pub kind: Option<Kind>,
    /// The user chose the kind (else it was recognised from the headers).
    pub kind_chosen: bool,
    /// The header row's number as the user sees it (1-based Excel row or text line).
    pub header_row: u32,
    /// Every column of the header row as the import names it: its text, `Column C` when
    /// blank, `MRR (2)` when repeated. These names are what a mapping refers to.
    pub columns: Vec<String>,
    /// Every field of the kind in order, with the column it is read from.
    pub fields: Vec<FieldPreview>,
    /// One-column-per-month revenue: the month columns (unpivoted into `month` and `mrr`).
    pub month_columns: Vec<String>,
    /// Per column of `columns`: what the import makes of it when no field is mapped to it
    /// by name, in the user's language — a month column: `Okt 2026 → MRR`; else `null`
    /// (the UI shows "not imported").
    pub column_labels: Vec<Option<String>>,
    /// Rows above the header row that hold something (titles, notes), for choosing another
    /// header row; each as wide as it is.
    pub rows_above: Vec<PreviewRow>,
    /// The first data rows below the header, one cell per column of `columns`.
    pub rows: Vec<PreviewRow>,
    /// Data rows in the table (blank rows not counted), when known: exact when the table
    /// ended within what was read, else the sheet's own size note (an estimate), else null.
    #[ts(type = "number | null")]
    pub data_rows: Option<u64>,
    pub data_rows_exact: bool,
    /// Columns whose dates fit both day/month orders (answer with `date_order`); judged from
    /// the rows the import decides by, so a later row may still settle it.
    pub assumptions: Vec<Assumption>,
    /// What the import would reject among the rows shown (empty while there are problems).
    pub issues: Vec<Issue>,
    /// What keeps this table from being imported; empty when it can be.
    pub problems: Vec<Problem>,
    /// Words of the file that no rule covers in a coded field or a score, among the rows
    /// shown: the question "what does it mean?" (`sources.md` §4; the answer is
    /// `TableChoice.values`, remembered with the profile).
    pub unknown_words: Vec<UnknownWord>,
    /// The built-in profile that recognised the table (`Stripe invoice line items`), if any.
    pub profile: Option<String>,
    /// How the table will be read beyond the mapping, in the user's language: constants,
    /// units, rates, combined header rows, business-hours columns left out, MRR derived
    /// from a billing export's lines.
    pub notes: Vec<String>,
}

/// A word of the file no rule covers, for a coded field or a score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct UnknownWord {
    pub field: String,
    pub column: String,
    /// As the file writes it.
    pub word: String,
    /// Rows among those shown.
    #[ts(type = "number")]
    pub rows: usize,
    /// What it may mean: the field's codes (`renewed`, `churned`, `open`) or scores.
    pub choices: Vec<String>,
}

/// The words among `issues` that a coded field or a score does not know.
fn unknown_words(plan: &Plan, issues: &[Issue]) -> Vec<UnknownWord> {
    use super::fields::FieldType;
    let fs = super::fields::fields(plan.head.kind);
    let mut out: Vec<UnknownWord> = Vec::new();
    for i in issues {
        let Some(ci) = plan.header.iter().position(|h| *h == i.column) else {
            continue;
        };
        let Some(fi) = plan.cols.iter().position(|c| *c == Some(ci)) else {
            continue;
        };
        let f = &fs[fi];
        let choices: Vec<String> = match (f.ty, f.id) {
            (FieldType::Coded(c), _) => super::fields::code_values(c)
                .split(", ")
                .map(str::to_owned)
                .collect(),
            (
                FieldType::Int {
                    min: Some(a),
                    max: Some(b),
                },
                "nps" | "csat" | "ces",
            ) => (a..=b).map(|n| n.to_string()).collect(),
            _ => continue,
        };
        if i.value.trim().is_empty() {
            continue;
        }
        match out
            .iter_mut()
            .find(|u| u.field == f.id && u.word == i.value)
        {
            Some(u) => u.rows += 1,
            None => out.push(UnknownWord {
                field: f.id.to_owned(),
                column: i.column.clone(),
                word: i.value.clone(),
                rows: 1,
                choices,
            }),
        }
    }
    out
}

/// One field of the kind and the column it is read from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct FieldPreview {
    /// The field id (`account_id`, `mrr`, …), also what a mapping names.
    pub field: String,
    pub required: bool,
    /// One of a group of which at least one is needed (surveys: `nps`, `csat`, `ces`).
    pub required_one_of: bool,
    /// `text`, `int`, `number`, `date`, `datetime`, `month`, `bool` or `code`.
    #[serde(rename = "type")]
    #[ts(rename = "type")]
    pub ty: String,
    /// The column's name as in `columns` (for wide revenue the month columns' range);
    /// `null` when unmapped.
    pub column: Option<String>,
    /// The column's position in `columns` (0-based); `null` when unmapped or a range.
    pub column_index: Option<u32>,
}

/// A row as the user sees it: its number and its cells' text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct PreviewRow {
    pub row: u32,
    pub cells: Vec<String>,
}

/// Why a table cannot be imported as it is, in the user's language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Problem {
    /// `unknown_kind`, `missing_required_field`, `bad_mapping` or `bad_header_row`.
    pub code: String,
    pub message: String,
    /// The fields concerned (missing required fields; the field of a bad mapping).
    pub fields: Vec<String>,
    /// The column concerned (a mapping's column that is not in the header row).
    pub column: Option<String>,
    /// `kind_uncertain`: the kinds the table could be, likeliest first (the question to
    /// ask: the kind is never taken on a guess).
    pub kinds: Vec<Kind>,
}

/// What `path` holds, as far as the wizard needs it (see the module documentation).
pub fn inspect(path: &Path, input: Input, opts: &Options, lang: Lang) -> Result<Inspection> {
    guarded(path, || inspect_tables(path, input, opts, lang))
}

fn inspect_tables(path: &Path, input: Input, opts: &Options, lang: Lang) -> Result<Inspection> {
    let mut src = OpenedFile::open(path, input, opts.budget.clone())?;
    let (tables, mut skipped) = choose_tables(path, &mut src, opts)?;
    let mut previews = Vec::new();
    for sheet in &tables {
        let table_opts = opts.for_table(sheet.as_deref());
        let preview = src.with_rows(sheet.as_deref(), |rows, notes| {
            preview_table(path, sheet.as_deref(), rows, notes, &table_opts, lang)
        })?;
        match (preview, sheet) {
            (Some(p), _) => previews.push(p),
            (None, Some(s)) => skipped.push(SkippedSheet {
                sheet: s.clone(),
                reason: "no_table".into(),
                headers: vec![],
                candidates: vec![],
            }),
            (None, None) => {}
        }
    }
    // nothing to show and nothing the user could choose instead: as the import says it
    let choosable = skipped
        .iter()
        .any(|s| s.reason == "hidden" || s.reason == "not_chosen");
    if previews.is_empty() && !choosable {
        return Err(Error::Empty {
            file: path.into(),
            sheet: opts.sheet.clone(),
        });
    }
    Ok(Inspection {
        file: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string()),
        workbook: src.is_workbook(),
        tables: previews,
        skipped_sheets: skipped,
    })
}

/// A cell's text as shown, cut to [`PREVIEW_CELL_CHARS`].
fn shown(cell: &FileCell) -> String {
    let text = cell.display();
    if text.chars().count() <= PREVIEW_CELL_CHARS {
        return text;
    }
    text.chars().take(PREVIEW_CELL_CHARS).collect::<String>() + "…"
}

/// A row with `width` cells (`None`: as wide as its last cell with a value).
fn preview_row(row: &FileRow, width: Option<usize>) -> PreviewRow {
    let width = width.unwrap_or_else(|| {
        row.cells
            .iter()
            .rposition(|c| !c.is_empty())
            .map_or(0, |i| i + 1)
    });
    PreviewRow {
        row: row.no,
        cells: (0..width)
            .map(|i| row.cells.get(i).map(shown).unwrap_or_default())
            .collect(),
    }
}

fn type_name(ty: FieldType) -> &'static str {
    match ty {
        FieldType::Text => "text",
        FieldType::Int { .. } => "int",
        FieldType::Number => "number",
        FieldType::Date => "date",
        FieldType::DateTime => "datetime",
        FieldType::Month => "month",
        FieldType::Bool => "bool",
        FieldType::Coded(_) => "code",
    }
}

/// Rows go nowhere: the preview only wants the issues.
struct Discard;

impl Sink for Discard {
    fn begin(&mut self, _: &TableHead) -> Result<()> {
        Ok(())
    }
    fn row(&mut self, _: u32, _: &[Value]) -> Result<()> {
        Ok(())
    }
    fn restart(&mut self) -> Result<()> {
        Ok(())
    }
    fn end(&mut self, _: TableEnd) -> Result<()> {
        Ok(())
    }
}

fn preview_table(
    path: &Path,
    sheet: Option<&str>,
    rows: &mut dyn Rows,
    notes: &source::TableNotes,
    opts: &Options,
    lang: Lang,
) -> Result<Option<TablePreview>> {
    let mut row = FileRow::default();
    let mut ended = false;
    // the header search, as the import does it
    let mut head: Vec<FileRow> = Vec::new();
    loop {
        let enough = head.len() >= HEADER_SCAN_ROWS
            && opts
                .header_row
                .is_none_or(|n| head.last().is_some_and(|r| r.no >= n));
        if enough || head.len() >= DECIDE_ROWS {
            break;
        }
        if !rows.next_row(&mut row)? {
            ended = true;
            break;
        }
        if !row.is_blank() || row.problem.is_some() {
            head.push(std::mem::take(&mut row));
        }
    }
    // (a notes sheet is read as a table only when the user says how: a header row, a kind)
    if head.len() < 2 || (opts.header_row.is_none() && opts.kind.is_none() && kind::is_notes(&head))
    {
        return Ok(None);
    }
    let hint = notes.decimal_hint;
    let mut d = draft_merged(path, sheet, &mut head, notes, opts);
    if d.passed_by.is_some() {
        return Ok(None);
    }
    let width = d.header.len();
    let header_row = head[d.header_idx].no;
    let rows_above: Vec<PreviewRow> = head[..d.header_idx]
        .iter()
        .map(|r| preview_row(r, None))
        .collect();
    let mut sample: Vec<FileRow> = head.drain(d.data_idx.min(head.len())..).collect();
    let mut seen = sample.len() as u64;
    let mut ev = d.plan.as_ref().map(Evidence::new);
    if let (Some(ev), Some(plan)) = (ev.as_mut(), d.plan.as_ref()) {
        for r in &sample {
            ev.look(plan, r);
        }
    }
    sample.truncate(PREVIEW_ROWS);
    // more rows: for the preview, and for the evidence the import would decide by
    while !ended {
        let want_rows = sample.len() < PREVIEW_ROWS;
        let want_evidence = ev.as_ref().is_some_and(|e| !e.resolved()) && seen < DECIDE_ROWS as u64;
        if !want_rows && !want_evidence {
            break;
        }
        if !rows.next_row(&mut row)? {
            ended = true;
            break;
        }
        if row.is_blank() && row.problem.is_none() {
            continue;
        }
        seen += 1;
        if let (Some(ev), Some(plan)) = (ev.as_mut(), d.plan.as_ref()) {
            ev.look(plan, &row);
        }
        if sample.len() < PREVIEW_ROWS {
            sample.push(std::mem::take(&mut row));
        }
    }
    // does the table end here? (blank rows at its end do not count)
    let mut peeked = 0;
    while !ended && peeked < END_PEEK_ROWS {
        if !rows.next_row(&mut row)? {
            ended = true;
        } else if !row.is_blank() || row.problem.is_some() {
            break;
        }
        peeked += 1;
    }
    let (data_rows, data_rows_exact) = if ended {
        (Some(seen), true)
    } else {
        let estimate = rows
            .last_row_hint()
            .map(|last| u64::from(last.saturating_sub(header_row)))
            .filter(|n| *n > seen);
        (estimate, false)
    };

    let problems: Vec<Problem> = d
        .problems
        .iter()
        .map(|e| problem(e, opts, header_row, lang))
        .collect();
    let mut column_labels: Vec<Option<String>> = vec![None; d.header.len()];
    if let Some(plan) = &d.plan {
        for (ci, month) in &plan.wide {
            if let Some(l) = column_labels.get_mut(*ci) {
                *l = Some(format!("{} → MRR", month_label(*month, lang)));
            }
        }
    }
    // as the import reads its first rows: the tools' words, the user's words, groups
    if let Some(plan) = d.plan.as_mut() {
        super::wrap::read_first_rows(plan, &sample);
    }
    let (kind, fields_shown, month_columns, assumptions, issues) = match (&d.plan, ev) {
        (Some(plan), Some(ev)) => {
            let decisions = ev.decide(opts, hint);
            let issues = if problems.is_empty() {
                let mut state = TableState::new(plan.head.kind);
                for r in &sample {
                    state.convert(plan, &decisions, r, &mut Discard)?;
                }
                state.end.issues
            } else {
                vec![]
            };
            (
                Some(plan.head.kind),
                field_previews(plan),
                plan.wide
                    .iter()
                    .map(|(ci, _)| plan.header.get(*ci).cloned().unwrap_or_default())
                    .collect(),
                ev.assumptions(plan, &decisions, opts),
                issues,
            )
        }
        _ => (None, vec![], vec![], vec![], vec![]),
    };
    Ok(Some(TablePreview {
        sheet: sheet.map(str::to_owned),
        kind,
        kind_chosen: opts.kind.is_some(),
        header_row,
        columns: d.header,
        fields: fields_shown,
        month_columns,
        column_labels,
        rows_above,
        rows: sample.iter().map(|r| preview_row(r, Some(width))).collect(),
        data_rows,
        data_rows_exact,
        assumptions,
        unknown_words: d
            .plan
            .as_ref()
            .map(|p| unknown_words(p, &issues))
            .unwrap_or_default(),
        issues,
        problems,
        profile: d.plan.as_ref().and_then(|p| p.head.profile.clone()),
        notes: d
            .plan
            .as_ref()
            .map(|p| {
                p.head
                    .notes
                    .iter()
                    .map(|n| lang.pick(n.en.clone(), n.de.clone()))
                    .collect()
            })
            .unwrap_or_default(),
    }))
}

/// `Okt 2026` / `Oct 2026`.
fn month_label(m: crate::Month, lang: Lang) -> String {
    const EN: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    const DE: [&str; 12] = [
        "Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez",
    ];
    let names = if lang == Lang::De { DE } else { EN };
    let i = (m.month() as usize).clamp(1, 12) - 1;
    format!("{} {}", names[i], m.year())
}

fn field_previews(plan: &Plan) -> Vec<FieldPreview> {
    let kind = plan.head.kind;
    fields(kind)
        .iter()
        .enumerate()
        .map(|(fi, f)| {
            let ci = plan.cols[fi];
            let column = match ci {
                Some(ci) => plan.header.get(ci).cloned(),
                // wide revenue: `month` and `mrr` come from the month columns
                None => plan
                    .head
                    .mapping
                    .iter()
                    .find(|(id, _)| *id == f.id)
                    .map(|(_, c)| c.clone()),
            };
            FieldPreview {
                field: f.id.into(),
                required: f.required,
                required_one_of: kind == Kind::Surveys && ["nps", "csat", "ces"].contains(&f.id),
                ty: type_name(f.ty).into(),
                column,
                column_index: ci.map(|c| c as u32),
            }
        })
        .collect()
}

/// A problem of the table in words for the wizard (the import's own messages point to the
/// command line's options).
fn problem(e: &Error, opts: &Options, header_row: u32, lang: Lang) -> Problem {
    let of = |code: &str, en: String, de: String| Problem {
        code: code.into(),
        message: lang.pick(en, de),
        fields: vec![],
        column: None,
        kinds: vec![],
    };
    match e {
        Error::Empty { .. } => {
            let asked = opts.header_row.unwrap_or(header_row);
            of(
                "bad_header_row",
                format!("Row {asked} is blank or beyond the end of the table, so it cannot be the header row; row {header_row} is used instead."),
                format!("Zeile {asked} ist leer oder liegt hinter dem Ende der Tabelle und kann daher nicht die Kopfzeile sein; stattdessen wird Zeile {header_row} verwendet."),
            )
        }
        Error::KindUncertain { candidates, .. } => {
            let names = |lang: Lang| -> String {
                let words: Vec<&str> = candidates
                    .iter()
                    .map(|k| crate::error::kind_name(*k, lang))
                    .collect();
                words.join(if lang == Lang::De { " oder " } else { " or " })
            };
            Problem {
                kinds: candidates.clone(),
                ..of(
                    "kind_uncertain",
                    format!("This could be {}: the column headers alone do not tell. Choose the kind of data.", names(Lang::En)),
                    format!("Das könnten {} sein: Die Spaltenüberschriften allein sagen es nicht. Wählen Sie die Datenart.", names(Lang::De)),
                )
            }
        }
        Error::UnknownKind { .. } => of(
            "unknown_kind",
            "The column headers do not show what kind of data this is. Choose the kind of data.".into(),
            "An den Spaltenüberschriften ist nicht zu erkennen, welche Daten das sind. Wählen Sie die Datenart.".into(),
        ),
        Error::MissingRequired { kind, fields, .. } => {
            let list = fields.join(", ");
            Problem {
                fields: fields.clone(),
                ..of(
                    "missing_required_field",
                    format!("No column is assigned to the required field(s) {list} of {kind}. Assign a column to each, or choose another kind."),
                    format!("Den Pflichtfeldern {list} von {kind} ist keine Spalte zugeordnet. Ordnen Sie jedem eine Spalte zu oder wählen Sie eine andere Datenart."),
                )
            }
        }
        Error::BadMapping(m, p) => {
            let (field, column) = m.split_once('=').unwrap_or((m.as_str(), ""));
            let (field, column) = (field.trim().to_owned(), column.trim().to_owned());
            let (en, de) = match p {
                MappingProblem::UnknownField => (
                    format!("“{field}” is not a field of this kind of data."),
                    format!("„{field}“ ist kein Feld dieser Datenart."),
                ),
                MappingProblem::UnknownColumn => (
                    format!("There is no column “{column}” in the header row (row {header_row}) for {field}."),
                    format!("Für {field} gibt es keine Spalte „{column}“ in der Kopfzeile (Zeile {header_row})."),
                ),
                MappingProblem::BadValue => (
                    format!("“{column}” is not a value {field} takes."),
                    format!("„{column}“ ist kein Wert, den {field} annimmt."),
                ),
                MappingProblem::Syntax => (
                    format!("“{m}” is not a mapping of a field to a column."),
                    format!("„{m}“ ist keine Zuordnung eines Felds zu einer Spalte."),
                ),
            };
            Problem {
                fields: vec![field],
                column: Some(column).filter(|c| !c.is_empty()),
                ..of("bad_mapping", en, de)
            }
        }
        other => of(other.code(), other.message(Lang::En), other.message(Lang::De)),
    }
}
