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
    is_totals_label(first)
}

/// The running state of one table: ids seen, issues, counts.
pub(super) struct TableState {
    pub(super) seen: HashSet<String>,
    pub(super) unique_idx: Option<usize>,
    pub(super) end: TableEnd,
    /// The current row's values; its strings are reused from row to row.
    pub(super) values: Vec<Value>,
    /// Accounts: the columns holding other tools' ids (worked out at the first row).
    alias_cols: Option<Vec<usize>>,
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
            seen: HashSet::new(),
            unique_idx: unique_field.and_then(|u| fields(kind).iter().position(|f| f.id == u)),
            end: TableEnd::default(),
            values: vec![Value::Null; fields(kind).len()],
            alias_cols: None,
        }
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
        for (fi, f) in fs.iter().enumerate() {
            let Some(ci) = plan.cols[fi] else {
                values[fi] = Value::Null;
                continue;
            };
            let cell = cell_at(ci);
            // text as it is (trimmed), without a new string per cell
            if let (FieldType::Text, FileCell::Text(t)) = (f.ty, cell) {
                let t = t.trim();
                if !t.is_empty() {
                    set_text(&mut values[fi], t);
                    continue;
                }
            }
            values[fi] = match convert_with(cell, f.ty, d.orders[fi], d.decimals[fi]) {
                Ok(Value::Null) if f.required && !(wide && (f.id == "month" || f.id == "mrr")) => {
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
                Err(r) => {
                    bad.push((ci, r));
                    Value::Null
                }
            };
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
            let mi = fs.iter().position(|f| f.id == "month").unwrap_or(1);
            let ai = fs.iter().position(|f| f.id == "mrr").unwrap_or(2);
            for (ci, month) in &plan.wide {
                let cell = cell_at(*ci);
                match convert_with(cell, fs[ai].ty, d.orders[ai], d.decimals[ai]) {
                    Ok(Value::Null) => {}
                    Ok(Value::Real(v)) if v < 0.0 && !fields::may_be_negative(kind, "mrr") => bad
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
