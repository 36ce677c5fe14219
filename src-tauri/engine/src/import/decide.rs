//! How each column is written, decided from its values: the order of slash dates
//! (`03/04/2026`) and the decimal separator (`1.000` vs `1.234,56`). [`Evidence`] collects
//! what the values show; [`Evidence::decide`] turns it into [`Decisions`], falling back to
//! the user's answer or the file's locale, and lists what had to be assumed.

use super::convert::{self, Decimal, SlashOrder};
use super::fields::{fields, FieldType};
use super::header::Plan;
use super::source::FileRow;
use super::{Assumption, Options};

/// What the values of each field said so far about how they are written.
#[derive(Clone)]
pub(super) struct Evidence {
    pub(super) slash: Vec<Option<SlashOrder>>,
    /// A value such as `03/04/2026` that fits both orders (for the question to the user).
    pub(super) ambiguous: Vec<Option<String>>,
    pub(super) decimal: Vec<Option<Decimal>>,
    /// Fields whose values can show something: dates/months, numbers.
    pub(super) relevant_slash: Vec<bool>,
    pub(super) relevant_decimal: Vec<bool>,
}

/// How each field is read: its slash-date order and decimal separator.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Decisions {
    pub(super) orders: Vec<SlashOrder>,
    pub(super) decimals: Vec<Decimal>,
}

impl Evidence {
    pub(super) fn new(plan: &Plan) -> Evidence {
        let fs = fields(plan.head.kind);
        let wf = super::header::wide_fields(plan.head.kind);
        let wide_field = |id: &str| !plan.wide.is_empty() && (id == wf.1 || id == wf.0);
        let mapped = |fi: usize| plan.cols[fi].is_some() || wide_field(fs[fi].id);
        Evidence {
            slash: vec![None; fs.len()],
            ambiguous: vec![None; fs.len()],
            decimal: vec![None; fs.len()],
            relevant_slash: (0..fs.len())
                .map(|fi| {
                    mapped(fi)
                        && !wide_field(fs[fi].id)
                        && matches!(
                            fs[fi].ty,
                            FieldType::Date | FieldType::DateTime | FieldType::Month
                        )
                })
                .collect(),
            relevant_decimal: (0..fs.len())
                .map(|fi| {
                    mapped(fi) && matches!(fs[fi].ty, FieldType::Number | FieldType::Int { .. })
                })
                .collect(),
        }
    }

    pub(super) fn look(&mut self, plan: &Plan, row: &FileRow) {
        let fs = fields(plan.head.kind);
        for (fi, f) in fs.iter().enumerate() {
            if self.relevant_slash[fi] && self.slash[fi].is_none() {
                if let Some(cell) = plan.cols[fi].and_then(|c| row.cells.get(c)) {
                    match convert::slash_evidence(cell) {
                        Some(o) => self.slash[fi] = Some(o),
                        None if self.ambiguous[fi].is_none()
                            && convert::slash_parts(cell).is_some() =>
                        {
                            self.ambiguous[fi] = Some(cell.display())
                        }
                        None => {}
                    }
                }
            }
            if self.relevant_decimal[fi] && self.decimal[fi].is_none() {
                if plan.wide.is_empty() || f.id != super::header::wide_fields(plan.head.kind).1 {
                    if let Some(cell) = plan.cols[fi].and_then(|c| row.cells.get(c)) {
                        self.decimal[fi] = convert::decimal_evidence(cell);
                    }
                } else {
                    self.decimal[fi] = plan
                        .wide
                        .iter()
                        .filter_map(|(c, _)| row.cells.get(*c))
                        .find_map(convert::decimal_evidence);
                }
            }
        }
    }

    pub(super) fn resolved(&self) -> bool {
        (0..self.slash.len()).all(|fi| {
            (!self.relevant_slash[fi] || self.slash[fi].is_some())
                && (!self.relevant_decimal[fi] || self.decimal[fi].is_some())
        })
    }

    /// Per column; a number column without evidence follows the table's others, else the
    /// file's locale; a date column without evidence follows the user's answer or the locale.
    pub(super) fn decide(&self, opts: &Options, hint: Decimal) -> Decisions {
        let slash_default = opts.date_order.unwrap_or(match hint {
            Decimal::Comma => SlashOrder::DayFirst,
            _ => SlashOrder::MonthFirst,
        });
        let table_style = self
            .decimal
            .iter()
            .flatten()
            .copied()
            .next()
            .unwrap_or(hint);
        Decisions {
            orders: self
                .slash
                .iter()
                .map(|o| o.unwrap_or(slash_default))
                .collect(),
            decimals: self
                .decimal
                .iter()
                .map(|d| d.unwrap_or(table_style))
                .collect(),
        }
    }

    pub(super) fn assumptions(
        &self,
        plan: &Plan,
        decisions: &Decisions,
        opts: &Options,
    ) -> Vec<Assumption> {
        if opts.date_order.is_some() {
            return vec![];
        }
        (0..self.slash.len())
            .filter(|&fi| self.slash[fi].is_none())
            .filter_map(|fi| {
                let example = self.ambiguous[fi].clone()?;
                let col = plan.cols[fi]?;
                Some(Assumption {
                    sheet: plan.head.sheet.clone(),
                    column: plan.header.get(col).cloned().unwrap_or_default(),
                    question: "date_order".into(),
                    assumed: match decisions.orders[fi] {
                        SlashOrder::DayFirst => "day_first",
                        SlashOrder::MonthFirst => "month_first",
                    }
                    .into(),
                    example,
                })
            })
            .collect()
    }
}
