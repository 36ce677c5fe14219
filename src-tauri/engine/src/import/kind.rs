//! Never the wrong kind in silence (`sources.md` §2, `datasets.md` "Kind"): a kind is chosen
//! by itself only when
//! - its required fields are matched by at least one **specific** header (generic headers
//!   such as `Id`, `Name`, `Date`, `Created at`, `Amount`, `Status`, `Total` alone never
//!   decide: a shop's orders export `Id, Created at, Total` is not a ticket list),
//! - the first rows' values of its required fields **parse** as that kind's (an invoice
//!   export whose `Created` holds Unix seconds is not a list of leads), and
//! - no **month columns** would be dropped (a controller's sheet with one column per month
//!   is not a list of accounts because it also has a customer number).
//!
//! Otherwise the kind is a question: the wizard asks with the candidate kinds, the CLI
//! refuses with exit 2 and names them ([`crate::Error::KindUncertain`]). A kind the user
//! chose (`--kind`, the wizard, a profile) or a mapping they gave is never second-guessed.

use super::convert::{self, convert_with, Decimal, FileCell, SlashOrder, Value};
use super::fields::{fields, FieldType};
use super::source::FileRow;
use crate::model::Kind;

/// Header texts (as header keys: lower case, no accents, punctuation or spaces) that name
/// something every export has: they never decide a kind alone. English and German.
const GENERIC: &[&str] = &[
    "id",
    "nr",
    "no",
    "number",
    "nummer",
    "name",
    "date",
    "datum",
    "createdat",
    "created",
    "createddate",
    "erstellt",
    "erstelltam",
    "amount",
    "betrag",
    "status",
    "total",
    "summe",
    "gesamt",
    "value",
    "wert",
];

/// Is this header key one that names something every export has?
pub(super) fn is_generic(key: &str) -> bool {
    GENERIC.contains(&key)
}

/// Data rows looked at for the values rule.
const SAMPLE_ROWS: usize = 20;

/// Why a recognised kind is not taken by itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Doubt {
    /// Only generic headers name its required fields.
    GenericHeaders,
    /// Fewer than half of the first rows read as that kind.
    Values,
    /// Columns named by months would be dropped.
    MonthColumns,
    /// A billing export (invoice or subscription lines with a service period or a billing
    /// interval): its amounts are not MRR as they stand and its customers are not an
    /// accounts list (`sources.md` §5) — never read as any kind by itself.
    Billing,
}

/// Does the header row name a service period (start and end) or a billing interval, as
/// invoice-line and subscription exports do (Stripe `period_start`/`period_end`,
/// `Interval`, `Current Period Start (UTC)`; Chargebee `Line Item Date From`/`To`,
/// `billing_period_unit`)? `keys`: the header keys.
pub(super) fn is_billing_export(keys: &[String]) -> bool {
    let any = |f: &dyn Fn(&str) -> bool| keys.iter().any(|k| f(k));
    let period = any(&|k| k.contains("periodstart") || k.contains("datefrom"))
        && any(&|k| k.contains("periodend") || k.contains("dateto"));
    let interval = any(&|k| {
        matches!(
            k,
            "interval" | "billinginterval" | "billingperiodunit" | "abrechnungsintervall"
        )
    });
    let money = any(&|k| {
        [
            "amount", "betrag", "total", "brutto", "netto", "subtotal", "gross",
        ]
        .iter()
        .any(|w| k.contains(w))
    });
    (period || interval) && money
}

/// The fields that must be there for `kind` (surveys: one of the scores counts).
fn needed(kind: Kind) -> impl Iterator<Item = (usize, &'static super::fields::Field)> {
    fields(kind).iter().enumerate().filter(move |(_, f)| {
        f.required || (kind == Kind::Surveys && ["nps", "csat", "ces"].contains(&f.id))
    })
}

/// Is the kind's choice by its headers safe (see the module documentation)? `keys`: the
/// header row's keys, `cols`: the column per field of `kind`, `header`: the header row's
/// cells, `data`: rows below it.
pub(super) fn doubt(
    kind: Kind,
    keys: &[String],
    cols: &[Option<usize>],
    fixed: &[usize],
    header: &[FileCell],
    data: &[FileRow],
) -> Option<Doubt> {
    if is_billing_export(keys) {
        return Some(Doubt::Billing);
    }
    // a constant the user set for a field of the kind is as specific as a header
    let specific = needed(kind).any(|(fi, _)| {
        fixed.contains(&fi)
            || cols[fi]
                .and_then(|ci| keys.get(ci))
                .is_some_and(|k| !is_generic(k))
    });
    if !specific {
        return Some(Doubt::GenericHeaders);
    }
    let month_named = header
        .iter()
        .enumerate()
        .filter(|(ci, _)| !cols.contains(&Some(*ci)))
        .filter(|(_, c)| match c {
            FileCell::DateTime(_) => true,
            FileCell::Text(t) => {
                convert::is_month_name(t)
                    || (t.chars().any(|c| !c.is_ascii_digit())
                        && t.trim().len() <= 20
                        && convert::month(c, SlashOrder::DayFirst).is_some())
            }
            _ => false,
        })
        .count();
    if month_named >= 2 {
        return Some(Doubt::MonthColumns);
    }
    let (mut looked, mut fit) = (0usize, 0usize);
    for row in data.iter().filter(|r| !r.is_blank()).take(SAMPLE_ROWS) {
        looked += 1;
        if row_fits(kind, cols, fixed, row) {
            fit += 1;
        }
    }
    (looked > 0 && fit * 2 < looked).then_some(Doubt::Values)
}

fn is_measure(ty: FieldType) -> bool {
    matches!(ty, FieldType::Number | FieldType::Int { .. })
}

/// Do the row's required cells read as the kind's values (dates as dates in either order,
/// codes as codes; measures are left to the row's checks)?
fn row_fits(kind: Kind, cols: &[Option<usize>], fixed: &[usize], row: &FileRow) -> bool {
    let empty = FileCell::Empty;
    let reads = |fi: usize, ty: FieldType| -> bool {
        let Some(cell) = cols[fi].map(|ci| row.cells.get(ci).unwrap_or(&empty)) else {
            return false;
        };
        [SlashOrder::DayFirst, SlashOrder::MonthFirst]
            .into_iter()
            .flat_map(|o| [(o, Decimal::Point), (o, Decimal::Comma)])
            .any(|(o, d)| matches!(convert_with(cell, ty, o, d), Ok(v) if v != Value::Null))
    };
    // measures (numbers) that do not read are the row's issues, not a sign of another kind:
    // ids, codes, dates and months tell the kind
    let required = needed(kind)
        .filter(|(fi, f)| f.required && !is_measure(f.ty) && !fixed.contains(fi))
        .all(|(fi, f)| reads(fi, f.ty));
    // surveys: a score column is there (its values, measures, are the row's checks)
    let score = kind != Kind::Surveys
        || needed(kind)
            .filter(|(_, f)| !f.required)
            .any(|(fi, _)| cols[fi].is_some());
    required && score
}

/// A sheet of notes rather than data: no cell of the rows read names a field, and no row
/// has more than one cell (a title and a line of text, "Hinweise" with one sentence).
pub(super) fn is_notes(rows: &[FileRow]) -> bool {
    rows.iter().all(|r| {
        let filled: Vec<&FileCell> = r.cells.iter().filter(|c| !c.is_empty()).collect();
        filled.len() <= 1
            && filled
                .iter()
                .all(|c| !super::header::names_a_field(&c.display()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(no: u32, cells: &[&str]) -> FileRow {
        FileRow {
            no,
            cells: cells.iter().map(|c| FileCell::Text((*c).into())).collect(),
            ..FileRow::default()
        }
    }

    #[test]
    fn generic_headers_never_decide() {
        for k in [
            "id",
            "name",
            "date",
            "createdat",
            "amount",
            "status",
            "total",
        ] {
            assert!(is_generic(k), "{k}");
        }
        for k in ["ticketid", "orderid", "kundennummer", "mrr", "nps", "month"] {
            assert!(!is_generic(k), "{k}");
        }
    }

    #[test]
    fn a_shops_orders_are_no_tickets() {
        let header = row(1, &["Id", "Created at", "Total", "Customer"]);
        let keys: Vec<String> = ["id", "createdat", "total", "customer"]
            .map(String::from)
            .to_vec();
        let cols = super::super::header::map_columns(Kind::Tickets, &keys);
        let data = [row(2, &["1001", "2026-10-01 10:00", "99.90", "Anna"])];
        assert_eq!(
            doubt(Kind::Tickets, &keys, &cols, &[], &header.cells, &data),
            Some(Doubt::GenericHeaders)
        );
    }

    #[test]
    fn values_that_do_not_read_as_the_kind_leave_it_open() {
        let header = row(1, &["Lead ID", "Created"]);
        let keys: Vec<String> = ["leadid", "created"].map(String::from).to_vec();
        let cols = super::super::header::map_columns(Kind::Leads, &keys);
        let unix: Vec<FileRow> = (2..8).map(|n| row(n, &["in_1", "1790000000x"])).collect();
        assert_eq!(
            doubt(Kind::Leads, &keys, &cols, &[], &header.cells, &unix),
            Some(Doubt::Values)
        );
        let fine: Vec<FileRow> = (2..8).map(|n| row(n, &["L-1", "2026-10-01"])).collect();
        assert_eq!(
            doubt(Kind::Leads, &keys, &cols, &[], &header.cells, &fine),
            None
        );
    }

    #[test]
    fn notes_are_one_cell_per_row_and_name_no_field() {
        assert!(is_notes(&[
            row(1, &["Hinweise"]),
            row(3, &["Die Zahlen sind vorläufig."])
        ]));
        assert!(!is_notes(&[
            row(1, &["Kunde", "Umsatz"]),
            row(2, &["A", "1"])
        ]));
        assert!(!is_notes(&[row(1, &["mrr"]), row(2, &["10"])]));
    }
}
