//! Validation: each row of a table converted field by field as decided, every bad cell an
//! [`Issue`] (sheet, row, column, value, reason in English and German), totals and footer
//! rows and duplicate ids skipped and listed, the valid records passed to the [`Sink`]
//! (wide revenue: one record per month column with an amount).

use super::convert::{convert_with, FileCell, Reason, Value};
use super::decide::Decisions;
use super::fields::{self, fields, FieldType};
use super::header::{column_letter, Plan};
use super::source::{FileRow, RowProblem};
use super::{Issue, Sink, TableEnd, MAX_LISTED_ISSUES};
use crate::error::Result;
use crate::model::Kind;
use std::collections::HashSet;

/// A row label of a totals or footer row.
fn is_totals_label(text: &str) -> bool {
    const WORDS: &[&str] = &[
        "total",
        "totals",
        "grand total",
        "sum",
        "sums",
        "summe",
        "summen",
        "gesamt",
        "gesamtsumme",
        "insgesamt",
        "gesamtergebnis",
        "ergebnis",
        "σ",
        "Σ",
        "∑",
    ];
    // called for every row's id: no allocation
    let t = text.trim().trim_end_matches(':').trim_end();
    WORDS
        .iter()
        .any(|w| w.len() == t.len() && t.eq_ignore_ascii_case(w))
}

fn starts_with_totals_word(text: &str) -> bool {
    let first = text.trim().split([' ', ':']).next().unwrap_or("");
    is_totals_label(first) || crate::sources::wrapping::is_totals_text(first)
}

fn fields_of(s: &TableState) -> &'static [fields::Field] {
    s.kind.map(fields).unwrap_or(&[])
}

/// A tool's word for a coded field or a score (`Closed Won`, `Very satisfied`).
fn from_vocab(
    vocab: &crate::sources::vocab::Vocab,
    ty: FieldType,
    cell: &FileCell,
) -> Option<Value> {
    use crate::sources::vocab::Code as V;
    match (vocab.get(&cell.display())?, ty) {
        (V::Text(t), FieldType::Coded(code)) => {
            fields::code_value(code, t).map(|v| Value::Text(v.to_owned()))
        }
        (V::Score(n), FieldType::Int { min, max }) => {
            (min.is_none_or(|m| *n >= m) && max.is_none_or(|m| *n <= m)).then_some(Value::Int(*n))
        }
        (V::Score(n), FieldType::Number) => Some(Value::Real(*n as f64)),
        _ => None,
    }
}

/// The running state of one table: ids seen, issues, counts.
pub(super) struct TableState {
    kind: Option<Kind>,
    pub(super) seen: HashSet<String>,
    pub(super) unique_idx: Option<usize>,
    pub(super) end: TableEnd,
    /// The current row's values; its strings are reused from row to row.
    pub(super) values: Vec<Value>,
    /// Accounts: the columns holding other tools' ids (worked out at the first row).
    alias_cols: Option<Vec<usize>>,
    /// Grouped columns filled down (`sources.md` §3).
    fill: Option<crate::sources::wrapping::FillDown>,
    /// (field, tool's word) → (code, rows).
    mapped: std::collections::BTreeMap<(usize, String), (String, usize)>,
}

/// The columns of an accounts table that hold other tools' ids for the account
/// (`sources.md` §1): headers of known tools' id columns ("Stripe Customer ID", "Workspace
/// ID", …) that no field is mapped to. Empty for other kinds.
pub(super) fn alias_columns(plan: &Plan) -> Vec<usize> {
    use crate::sources::identity::{alias_column, AliasColumn};
    if plan.head.kind != Kind::Accounts {
        return Vec::new();
    }
    (0..plan.header.len())
        .filter(|ci| !plan.cols.contains(&Some(*ci)))
        .filter(|ci| matches!(alias_column(&plan.header[*ci]), Some(AliasColumn::Known(_))))
        .collect()
}

/// The `aliases` value of an accounts row: the mapped `aliases` column's values (split at
/// `;`) and the alias columns' values, as a JSON array; `Null` when there is none.
fn aliases_value(mapped: &Value, cells: &[FileCell], alias_cols: &[usize]) -> Value {
    let mut all: Vec<String> = Vec::new();
    if let Value::Text(t) = mapped {
        all.extend(
            t.split(';')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_owned),
        );
    }
    for &ci in alias_cols {
        let v = cells.get(ci).map(FileCell::display).unwrap_or_default();
        let v = v.trim();
        if !v.is_empty() && !all.iter().any(|a| a == v) {
            all.push(v.to_owned());
        }
    }
    if all.is_empty() {
        Value::Null
    } else {
        Value::Text(serde_json::to_string(&all).unwrap_or_default())
    }
}

/// Puts `text` into `slot`, reusing the slot's string when it has one.
fn set_text(slot: &mut Value, text: &str) {
    match slot {
        Value::Text(s) => {
            s.clear();
            s.push_str(text);
        }
        other => *other = Value::Text(text.to_owned()),
    }
}

impl TableState {
    pub(super) fn new(kind: Kind) -> TableState {
        let unique_field = match kind {
            Kind::Accounts => Some("account_id"),
            Kind::Tickets => Some("ticket_id"),
            Kind::Leads => Some("lead_id"),
            Kind::Orders => Some("order_id"),
            _ => None,
        };
        TableState {
            kind: Some(kind),
            seen: HashSet::new(),
            unique_idx: unique_field.and_then(|u| fields(kind).iter().position(|f| f.id == u)),
            end: TableEnd::default(),
            values: vec![Value::Null; fields(kind).len()],
            alias_cols: None,
            fill: None,
            mapped: Default::default(),
        }
    }

    /// The table's end, with the tools' words that were read as codes or scores.
    pub(super) fn finish(mut self) -> TableEnd {
        let fs = fields_of(&self);
        self.end.values_mapped = std::mem::take(&mut self.mapped)
            .into_iter()
            .map(|((fi, from), (to, rows))| super::MappedValue {
                field: fs.get(fi).map(|f| f.id.to_owned()).unwrap_or_default(),
                from,
                to,
                rows,
            })
            .collect();
        self.end
    }

    pub(super) fn issue(
        &mut self,
        plan: &Plan,
        row: u32,
        column: usize,
        value: String,
        reason: &Reason,
    ) {
        if self.end.issues.len() >= MAX_LISTED_ISSUES {
            self.end.issues_not_listed += 1;
            return;
        }
        self.end.issues.push(Issue {
            sheet: plan.head.sheet.clone(),
            row,
            column: plan
                .header
                .get(column)
                .cloned()
                .unwrap_or_else(|| format!("Column {}", column_letter(column))),
            value,
            reason: reason.en(),
            reason_de: reason.de(),
        });
    }

    /// Converts one row (or, for wide revenue, one row per month column) and passes the
    /// valid records to the sink; a row with any bad cell is skipped and each cell listed.
    pub(super) fn convert(
        &mut self,
        plan: &Plan,
        d: &Decisions,
        row: &FileRow,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        let kind = plan.head.kind;
        let fs = fields(kind);
        let empty = FileCell::Empty;
        // grouped values written once per group: filled down (a totals row ends the group)
        let filled_row;
        let row = if plan.fill.is_empty() || row.problem.is_some() {
            row
        } else {
            let fill = self
                .fill
                .get_or_insert_with(|| crate::sources::wrapping::FillDown::new(plan.fill.clone()));
            if crate::sources::wrapping::totals_label(&row.cells).is_some() {
                fill.end_group();
                row
            } else {
                let mut r = row.clone();
                fill.row(&mut r.cells);
                filled_row = r;
                &filled_row
            }
        };
        let cell_at = |ci: usize| row.cells.get(ci).unwrap_or(&empty);
        if let Some(problem) = row.problem {
            let (ci, reason) = match problem {
                RowProblem::MixedEncoding { column } => (column, Reason::MixedEncoding),
                RowProblem::UnclosedQuote { column } => (column, Reason::UnclosedQuote),
            };
            let mut value = cell_at(ci).display();
            if value.chars().count() > 200 {
                value = value.chars().take(200).collect::<String>() + "…";
            }
            self.end.skipped += 1;
            self.issue(plan, row.no, ci, value, &reason);
            return Ok(());
        }
        // a totals row: its label stands in the id column, or it has no id and a label
        if let Some(idf) = plan.id_field {
            let id_cell = plan.cols[idf].map(cell_at).unwrap_or(&empty);
            let label = match id_cell {
                FileCell::Text(t) if is_totals_label(t) => Some(plan.cols[idf].unwrap_or(0)),
                c if c.is_empty() => row.cells.iter().position(|c| match c {
                    FileCell::Text(t) => starts_with_totals_word(t),
                    _ => false,
                }),
                _ => None,
            };
            if let Some(ci) = label {
                self.end.skipped += 1;
                self.issue(plan, row.no, ci, cell_at(ci).display(), &Reason::TotalsRow);
                return Ok(());
            }
        }
        let mut bad: Vec<(usize, Reason)> = Vec::new();
        let mut values = std::mem::take(&mut self.values);
        let wide = !plan.wide.is_empty();
        let wf = super::header::wide_fields(kind);
        for (fi, f) in fs.iter().enumerate() {
            let Some(ci) = plan.cols[fi] else {
                // (a constant was checked when the table's plan was made)
                values[fi] = match &plan.constants[fi] {
                    Some(c) => {
                        convert_with(c, f.ty, d.orders[fi], d.decimals[fi]).unwrap_or(Value::Null)
                    }
                    None => Value::Null,
                };
                continue;
            };
            let cell = cell_at(ci);
            // a duration in the unit its header names, or written as a clock or in words
            let unit = plan.units.get(fi).copied().flatten();
            let worded = || {
                matches!(cell, FileCell::Text(t)
                    if t.contains(':') || t.trim().chars().any(|c| c.is_alphabetic()))
            };
            if unit.is_some() || (f.ty == FieldType::Number && worded()) {
                if let Some((_, native)) = super::header::duration_field(f.id) {
                    values[fi] =
                        match super::convert::duration_seconds(cell, unit.unwrap_or(native)) {
                            Ok(Some(secs)) => Value::Real(secs / native.seconds()),
                            Ok(None) => Value::Null,
                            Err(r) => {
                                bad.push((ci, r));
                                Value::Null
                            }
                        };
                    continue;
                }
            }
            // text as it is (trimmed), without a new string per cell
            if let (FieldType::Text, FileCell::Text(t)) = (f.ty, cell) {
                let t = t.trim();
                if !t.is_empty() {
                    set_text(&mut values[fi], t);
                    continue;
                }
            }
            values[fi] = match convert_with(cell, f.ty, d.orders[fi], d.decimals[fi]) {
                Ok(Value::Null) if f.required && !(wide && (f.id == wf.0 || f.id == wf.1)) => {
                    bad.push((ci, Reason::Required));
                    Value::Null
                }
                Ok(Value::Real(v)) if v < 0.0 && !fields::may_be_negative(kind, f.id) => {
                    bad.push((
                        ci,
                        Reason::OutOfRange {
                            min: Some(0),
                            max: None,
                        },
                    ));
                    Value::Null
                }
                Ok(v) => v,
                Err(r) => match plan
                    .vocab
                    .get(fi)
                    .and_then(Option::as_ref)
                    .and_then(|voc| from_vocab(voc, f.ty, cell))
                {
                    Some(v) => {
                        let to = match &v {
                            Value::Text(t) => t.clone(),
                            Value::Int(n) => n.to_string(),
                            other => format!("{other:?}"),
                        };
                        let e = self
                            .mapped
                            .entry((fi, cell.display().trim().to_owned()))
                            .or_insert((to, 0));
                        e.1 += 1;
                        v
                    }
                    None => {
                        bad.push((ci, r));
                        Value::Null
                    }
                },
            };
        }
        // counts from a rate or an average over a base: rate × base (GA4's bounce rate)
        for (fi, rate) in plan.rates.iter().enumerate() {
            let Some((ci, r, bi)) = rate else { continue };
            let base = match values.get(*bi) {
                Some(Value::Real(b)) => *b,
                Some(Value::Int(b)) => *b as f64,
                _ => continue,
            };
            let cell = cell_at(*ci);
            let v = match r.scale {
                crate::sources::units::RateScale::Share => super::convert::number(cell),
                crate::sources::units::RateScale::Average(u) => {
                    super::convert::duration_seconds(cell, u).map(|s| s.map(|s| s / u.seconds()))
                }
            };
            match v {
                Ok(Some(v)) => {
                    values[fi] = Value::Real(crate::sources::units::count_from_rate(*r, v, base))
                }
                Ok(None) => values[fi] = Value::Null,
                Err(reason) => bad.push((*ci, reason)),
            }
        }
        if kind == Kind::Accounts {
            if let Some(ai) = fs.iter().position(|f| f.id == "aliases") {
                let cols = self.alias_cols.get_or_insert_with(|| alias_columns(plan));
                values[ai] = aliases_value(&values[ai], &row.cells, cols);
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
                    .and_then(|fi| plan.cols[fi])
                    .unwrap_or(0);
                bad.push((ci, Reason::NoScore));
            }
        }
        // wide revenue: one record per month column with an amount
        let mut records: Vec<Vec<Value>> = Vec::new();
        if wide {
            let mi = fs.iter().position(|f| f.id == wf.0).unwrap_or(1);
            let ai = fs.iter().position(|f| f.id == wf.1).unwrap_or(2);
            for (ci, month) in &plan.wide {
                let cell = cell_at(*ci);
                match convert_with(cell, fs[ai].ty, d.orders[ai], d.decimals[ai]) {
                    Ok(Value::Null) => {}
                    Ok(Value::Real(v)) if v < 0.0 && !fields::may_be_negative(kind, wf.1) => bad
                        .push((
                            *ci,
                            Reason::OutOfRange {
                                min: Some(0),
                                max: None,
                            },
                        )),
                    Ok(v) => {
                        let mut rec = values.clone();
                        rec[mi] = Value::Text(month.to_string());
                        rec[ai] = v;
                        records.push(rec);
                    }
                    Err(r) => bad.push((*ci, r)),
                }
            }
        }
        if let (Some(ui), true) = (self.unique_idx, bad.is_empty()) {
            if let Value::Text(id) = &values[ui] {
                if !self.seen.insert(id.clone()) {
                    let ci = plan.cols[ui].unwrap_or(0);
                    bad.push((ci, Reason::Duplicate));
                }
            }
        }
        let result = if !bad.is_empty() {
            self.end.skipped += 1;
            for (ci, reason) in bad {
                self.issue(plan, row.no, ci, cell_at(ci).display(), &reason);
            }
            Ok(())
        } else if wide {
            records.iter().try_for_each(|rec| {
                self.end.rows += 1;
                sink.row(row.no, rec)
            })
        } else {
            self.end.rows += 1;
            sink.row(row.no, &values)
        };
        self.values = values;
        result
    }
}
