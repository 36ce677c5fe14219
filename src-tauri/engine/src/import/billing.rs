//! Billing exports read as revenue (`sources.md` §5): invoice-line and subscription exports
//! are not MRR as they stand, so their rows become [`billing::Line`]s and the revenue
//! records the import passes on are the MRR derived from them ([`billing::derive_mrr`]):
//! one record per customer reference, month and currency, the line rows it came from kept
//! for lineage ([`Sink::billing`]). Lines that make no MRR (void, draft, one-time, a trial)
//! are listed as passed over with the reason.
//!
//! Which column holds what comes from a billing profile (Stripe's three exports, Chargebee's
//! invoices: `docs/profiles/SOURCES.md`) or, for an unknown tool's billing export, from the
//! header texts. A table is read this way when its headers name a service period or a
//! billing interval beside an amount ([`super::kind::is_billing_export`]) or a billing
//! profile knows it, and the user chose no other kind and no mapping.
//!
//! The lines are held until the table's end (billing exports are invoice lines, not event
//! streams): the date order and the decimal separator of each column are then decided from
//! all of its values, as the rest of the import does.

use super::convert::{self, Decimal, FileCell, SlashOrder, Value};
use super::source::FileRow;
use super::{Issue, PassedOver, ReadNote, Sink, TableEnd, MAX_LISTED_ISSUES};
use crate::sources::billing::{self as b, AmountUnit, Line, LineType, NotMrr, Outcome, Period};
use serde::{Deserialize, Serialize};

/// Which column holds what in a billing export.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Cols {
    pub customer: usize,
    pub amount: usize,
    /// The amount column includes tax: the tax column is subtracted.
    pub gross: bool,
    pub tax: Option<usize>,
    pub currency: Option<usize>,
    pub start: Option<usize>,
    pub end: Option<usize>,
    pub interval: Option<usize>,
    pub count: Option<usize>,
    pub status: Option<usize>,
    pub line_type: Option<usize>,
    /// A subscription's amount is per unit (Stripe's price × quantity).
    pub quantity: Option<usize>,
    pub unit: AmountUnit,
    pub profile: Option<&'static str>,
}

/// A tool's billing export: header keys ([`header_key`]) that identify it and the column of
/// each part (`""`: none).
struct Profile {
    name: &'static str,
    must: &'static [&'static str],
    customer: &'static str,
    /// Alternatives, the first present wins (the net column first).
    amount: &'static [&'static str],
    currency: &'static str,
    start: &'static str,
    end: &'static str,
    interval: &'static str,
    status: &'static str,
    line_type: &'static str,
    quantity: &'static str,
    unit: AmountUnit,
}

/// The formats, as `docs/profiles/SOURCES.md` documents them.
const PROFILES: &[Profile] = &[
    // API/Sigma field names: amounts are integers in cents, `amount_excluding_tax` is net
    Profile {
        name: "Stripe invoice line items",
        must: &[
            "invoiceid",
            "customerid",
            "periodstart",
            "periodend",
            "amount",
        ],
        customer: "customerid",
        amount: &["amountexcludingtax", "amount"],
        currency: "currency",
        start: "periodstart",
        end: "periodend",
        interval: "",
        status: "invoicestatus",
        line_type: "type",
        quantity: "",
        unit: AmountUnit::Minor,
    },
    // the Dashboard's invoices export: major units, one row per invoice; `Subtotal` is net
    Profile {
        name: "Stripe invoices",
        must: &[
            "customer",
            "amountdue",
            "minimumlineitemperiodstartutc",
            "maximumlineitemperiodendutc",
        ],
        customer: "customer",
        amount: &["subtotal", "total"],
        currency: "currency",
        start: "minimumlineitemperiodstartutc",
        end: "maximumlineitemperiodendutc",
        interval: "",
        status: "status",
        line_type: "",
        quantity: "",
        unit: AmountUnit::Major,
    },
    // the Dashboard's subscriptions export: major units, the current period; `Amount` is
    // the price per unit (the API's "$10/user/month × quantity")
    Profile {
        name: "Stripe subscriptions",
        must: &[
            "customerid",
            "interval",
            "amount",
            "currentperiodstartutc",
            "currentperiodendutc",
        ],
        customer: "customerid",
        amount: &["amount"],
        currency: "currency",
        start: "currentperiodstartutc",
        end: "currentperiodendutc",
        interval: "interval",
        status: "status",
        line_type: "",
        quantity: "quantity",
        unit: AmountUnit::Major,
    },
    // Chargebee's invoices export (inferred, SOURCES.md): the company is the customer's name
    Profile {
        name: "Chargebee invoices",
        must: &[
            "invoicenumber",
            "customercompany",
            "lineitemdatefrom",
            "lineitemdateto",
            "lineitemamount",
        ],
        customer: "customercompany",
        amount: &["lineitemamount"],
        currency: "currency",
        start: "lineitemdatefrom",
        end: "lineitemdateto",
        interval: "",
        status: "status",
        line_type: "lineitementitytype",
        quantity: "",
        unit: AmountUnit::Major,
    },
];

/// The billing profiles for the profile list: name, the headers that identify the export,
/// and the revenue fields' columns (`account_id`, `mrr`, `month`: the period's start).
pub(super) fn listed() -> Vec<(&'static str, Vec<&'static str>, Vec<String>)> {
    PROFILES
        .iter()
        .map(|p| {
            let map = [
                ("account_id", p.customer),
                ("mrr", p.amount[0]),
                ("month", p.start),
                ("currency", p.currency),
            ]
            .iter()
            .filter(|(_, c)| !c.is_empty())
            .map(|(f, c)| format!("{f}={c}"))
            .collect();
            (p.name, p.must.to_vec(), map)
        })
        .collect()
}

const CUSTOMER: &[&str] = &[
    "customerid",
    "customer",
    "customerno",
    "customernumber",
    "kundennummer",
    "kundenid",
    "kundennr",
    "kunde",
    "accountid",
    "account",
    "customername",
    "customercompany",
    "company",
    "kundenname",
    "firma",
];
const TAX: &[&str] = &[
    "tax",
    "taxamount",
    "vat",
    "mwst",
    "ust",
    "steuer",
    "steuerbetrag",
];
const CURRENCY: &[&str] = &["currency", "waehrung", "currencycode"];
const INTERVAL: &[&str] = &[
    "interval",
    "billinginterval",
    "billingperiodunit",
    "abrechnungsintervall",
];
const COUNT: &[&str] = &["intervalcount", "billingperiod", "billingintervalcount"];
const STATUS: &[&str] = &["invoicestatus", "status", "rechnungsstatus"];
const LINE_TYPE: &[&str] = &[
    "linetype",
    "lineitementitytype",
    "itemtype",
    "type",
    "chargetype",
    "positionstyp",
    "art",
];

/// The billing columns of a header row (`header`: display texts, `keys`: their keys), or
/// `None` when it is no billing export. `map`: the user's `FIELD=COLUMN` choices for the
/// revenue fields (the wizard's dropdowns): `account_id` names the customer column, `mrr`
/// the (net) amount, `month` the period's start, `currency` the currency; the lines are
/// still read as lines.
pub(super) fn columns(header: &[String], keys: &[String], map: &[String]) -> Option<Cols> {
    let mut cols = detect(header, keys)?;
    for m in map {
        let Some((field, column)) = m.split_once('=') else {
            continue;
        };
        let column = column.trim();
        let ci = header.iter().position(|h| h == column).or_else(|| {
            keys.iter()
                .position(|k| *k == super::fields::header_key(column))
        });
        match (field.trim(), ci) {
            ("account_id", Some(c)) => cols.customer = c,
            ("mrr", Some(c)) => {
                cols.amount = c;
                cols.gross = false;
                cols.tax = None;
            }
            ("month", Some(c)) => cols.start = Some(c),
            ("currency", c) => cols.currency = c,
            _ => {}
        }
    }
    Some(cols)
}

fn detect(header: &[String], keys: &[String]) -> Option<Cols> {
    let at = |k: &str| {
        (!k.is_empty())
            .then(|| keys.iter().position(|h| h == k))
            .flatten()
    };
    let first = |set: &[&str]| set.iter().find_map(|k| at(k));
    let cents = |ci: usize| {
        let h = header[ci].to_lowercase();
        h.contains("cent") || h.contains("minor unit")
    };
    if let Some(p) = PROFILES
        .iter()
        .find(|p| p.must.iter().all(|k| at(k).is_some()))
    {
        let amount = p.amount.iter().find_map(|k| at(k))?;
        return Some(Cols {
            customer: at(p.customer)?,
            amount,
            gross: false,
            tax: None,
            currency: at(p.currency),
            start: at(p.start),
            end: at(p.end),
            interval: at(p.interval),
            count: None,
            status: at(p.status),
            line_type: at(p.line_type),
            quantity: at(p.quantity),
            unit: p.unit,
            profile: Some(p.name),
        });
    }
    if !super::kind::is_billing_export(keys) {
        return None;
    }
    let texts: Vec<&str> = header.iter().map(String::as_str).collect();
    let (amount, gross) = b::net_amount_column(&texts)?;
    let customer = first(CUSTOMER)?;
    let find = |pat: &[&str]| keys.iter().position(|k| pat.iter().any(|p| k.contains(p)));
    Some(Cols {
        customer,
        amount,
        gross,
        tax: if gross { first(TAX) } else { None },
        currency: first(CURRENCY),
        start: find(&[
            "periodstart",
            "datefrom",
            "servicestart",
            "leistungsbeginn",
            "von",
        ]),
        end: find(&["periodend", "dateto", "serviceend", "leistungsende", "bis"]),
        interval: first(INTERVAL),
        count: first(COUNT),
        status: first(STATUS),
        line_type: first(LINE_TYPE),
        quantity: None,
        unit: if cents(amount) {
            AmountUnit::Minor
        } else {
            AmountUnit::Major
        },
        profile: None,
    })
}

impl Cols {
    /// The revenue mapping shown for the table, and how it was read.
    pub(super) fn describe(&self, header: &[String]) -> (Vec<(&'static str, String)>, ReadNote) {
        let h = |c: usize| header.get(c).cloned().unwrap_or_default();
        let period = match (self.start, self.end, self.interval) {
            (Some(s), Some(e), _) => format!("{} → {}", h(s), h(e)),
            (Some(s), None, Some(i)) => format!("{} + {}", h(s), h(i)),
            (Some(s), _, _) => h(s),
            _ => String::new(),
        };
        let mut amount = h(self.amount);
        if let (true, Some(t)) = (self.gross, self.tax) {
            amount = format!("{amount} − {}", h(t));
        }
        if let Some(q) = self.quantity {
            amount = format!("{amount} × {}", h(q));
        }
        let mut mapping = vec![("account_id", h(self.customer)), ("month", period.clone())];
        mapping.push(("mrr", amount.clone()));
        if let Some(c) = self.currency {
            mapping.push(("currency", h(c)));
        }
        let cents_en = if self.unit == AmountUnit::Minor {
            " Amounts are in cents (minor units of the currency)."
        } else {
            ""
        };
        let cents_de = if self.unit == AmountUnit::Minor {
            " Beträge in Cent (Untereinheit der Währung)."
        } else {
            ""
        };
        let note = ReadNote {
            what: "billing".into(),
            field: "mrr".into(),
            column: h(self.amount),
            en: format!(
                "A billing export: MRR is derived from its lines, each line's net amount ('{amount}') spread over the months of its service period ({period}); void, draft and one-time lines do not count, credits reduce MRR.{cents_en}"
            ),
            de: format!(
                "Ein Abrechnungsexport: der MRR wird aus seinen Positionen abgeleitet, der Nettobetrag jeder Position ('{amount}') auf die Monate ihres Leistungszeitraums ({period}) verteilt; stornierte, Entwurfs- und einmalige Positionen zählen nicht, Gutschriften mindern den MRR.{cents_de}"
            ),
        };
        (mapping, note)
    }
}

/// One line as the batch keeps it (lineage: which lines made which MRR, and why the others
/// did not count). Amounts in major units, net of tax, credits negative.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct BillingLine {
    pub row: u32,
    /// The customer reference as written in the file.
    pub customer: String,
    pub amount: Option<f64>,
    pub currency: Option<String>,
    /// ISO dates (`2026-10-01`); none for a line without a service period.
    pub period_start: Option<String>,
    pub period_end: Option<String>,
    /// `counts`, `void`, `draft`, `trial`.
    pub status: String,
    /// `recurring`, `one_time`, `credit`.
    pub line_type: String,
    /// `None`: the line makes MRR; else why not (`void`, `draft`, `one_time`, `trial`, …).
    pub not_mrr: Option<String>,
    /// The months it is spread over and its MRR in each.
    pub months: u32,
    pub mrr_per_month: Option<f64>,
}

fn snake<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The cells of one row that the lines need, kept until the table's end.
struct Raw {
    no: u32,
    cells: Vec<FileCell>,
}

/// The cell a line holds for column `c` of the file (`used`: the columns kept, in order).
fn cell_of<'a>(r: &'a Raw, used: &[usize], c: Option<usize>) -> Option<&'a FileCell> {
    let s = used.iter().position(|&u| Some(u) == c)?;
    r.cells.get(s)
}

/// Reads the billing table's rows (`pending`: rows already read, then the rest of `rows`),
/// passes the derived MRR records on to `sink` and ends the table.
#[allow(clippy::too_many_arguments)]
pub(super) fn read(
    cols: &Cols,
    sheet: Option<&str>,
    header: &[String],
    pending: Vec<FileRow>,
    rows: &mut dyn super::source::Rows,
    tick: &mut dyn FnMut(u64, &dyn super::source::Rows) -> crate::error::Result<()>,
    sink: &mut dyn Sink,
    mut end: TableEnd,
) -> crate::error::Result<()> {
    let used: Vec<usize> = [
        Some(cols.customer),
        Some(cols.amount),
        cols.tax,
        cols.currency,
        cols.start,
        cols.end,
        cols.interval,
        cols.count,
        cols.status,
        cols.line_type,
        cols.quantity,
    ]
    .into_iter()
    .flatten()
    .collect();
    let keep = |r: &FileRow| Raw {
        no: r.no,
        cells: used
            .iter()
            .map(|&c| r.cells.get(c).cloned().unwrap_or(FileCell::Empty))
            .collect(),
    };
    let slot = |c: usize| used.iter().position(|&u| u == c);
    let mut raws: Vec<Raw> = Vec::new();
    let mut count = 0u64;
    for r in &pending {
        if !r.is_blank() {
            raws.push(keep(r));
        }
        count += 1;
        tick(count, rows)?;
    }
    let mut row = FileRow::default();
    while rows.next_row(&mut row)? {
        if row.is_blank() {
            continue;
        }
        raws.push(keep(&row));
        count += 1;
        tick(count, rows)?;
    }
    // each column's writing, decided from all of its values
    let order_of = |c: Option<usize>| {
        c.and_then(slot).map_or(SlashOrder::DayFirst, |s| {
            convert::slash_order(raws.iter().map(|r| &r.cells[s]), SlashOrder::MonthFirst)
        })
    };
    let decimal_of = |c: Option<usize>| {
        c.and_then(slot).map_or(Decimal::Unknown, |s| {
            convert::decimal_style(raws.iter().map(|r| &r.cells[s]))
        })
    };
    let (start_order, end_order) = (order_of(cols.start), order_of(cols.end));
    let (amount_dec, tax_dec) = (decimal_of(Some(cols.amount)), decimal_of(cols.tax));
    let text = |r: &Raw, c: Option<usize>| {
        cell_of(r, &used, c)
            .map(|v| v.display().trim().to_owned())
            .filter(|t| !t.is_empty())
    };
    let issue = |end: &mut TableEnd, r: &Raw, c: usize, reason: convert::Reason| {
        if end.issues.len() >= MAX_LISTED_ISSUES {
            end.issues_not_listed += 1;
            return;
        }
        end.issues.push(Issue {
            sheet: sheet.map(str::to_owned),
            row: r.no,
            column: header.get(c).cloned().unwrap_or_default(),
            value: cell_of(r, &used, Some(c))
                .map(FileCell::display)
                .unwrap_or_default(),
            reason: reason.en(),
            reason_de: reason.de(),
        });
    };
    let mut lines: Vec<Line> = Vec::with_capacity(raws.len());
    for r in &raws {
        let Some(customer) = text(r, Some(cols.customer)) else {
            issue(&mut end, r, cols.customer, convert::Reason::Required);
            end.skipped += 1;
            continue;
        };
        let num = |c: usize, d: Decimal| {
            cell_of(r, &used, Some(c)).map_or(Ok(None), |v| convert::number_with(v, d))
        };
        let amount = match num(cols.amount, amount_dec) {
            Ok(Some(a)) => a,
            Ok(None) => {
                issue(&mut end, r, cols.amount, convert::Reason::Required);
                end.skipped += 1;
                continue;
            }
            Err(why) => {
                issue(&mut end, r, cols.amount, why);
                end.skipped += 1;
                continue;
            }
        };
        let quantity = match cols.quantity.map(|q| (q, num(q, Decimal::Unknown))) {
            Some((_, Ok(Some(q)))) => q,
            Some((_, Ok(None))) | None => 1.0,
            Some((q, Err(why))) => {
                issue(&mut end, r, q, why);
                end.skipped += 1;
                continue;
            }
        };
        let tax = match cols
            .tax
            .filter(|_| cols.gross)
            .map(|t| (t, num(t, tax_dec)))
        {
            Some((_, Ok(t))) => t,
            None => None,
            Some((t, Err(why))) => {
                issue(&mut end, r, t, why);
                end.skipped += 1;
                continue;
            }
        };
        let date = |c: Option<usize>, order| -> Result<_, usize> {
            match (c, cell_of(r, &used, c)) {
                (Some(_), Some(v)) if !v.is_empty() => {
                    convert::date_time(v, order).map(Some).ok_or(c.unwrap_or(0))
                }
                _ => Ok(None),
            }
        };
        let (start, stop) = match (date(cols.start, start_order), date(cols.end, end_order)) {
            (Ok(s), Ok(e)) => (s, e),
            (Err(c), _) | (_, Err(c)) => {
                issue(&mut end, r, c, convert::Reason::NotADate);
                end.skipped += 1;
                continue;
            }
        };
        let interval = text(r, cols.interval).and_then(|t| b::interval_unit(&t));
        let n = text(r, cols.count)
            .and_then(|t| t.parse::<u32>().ok())
            .unwrap_or(1);
        let period = match (start, stop, interval) {
            (Some(start), Some(end), _) => Period::Span { start, end },
            (Some(start), None, Some(unit)) => Period::Interval {
                start,
                unit,
                count: n,
            },
            _ => Period::None,
        };
        lines.push(Line {
            row: r.no,
            customer,
            amount: amount * quantity,
            tax: tax.map(|t| t * quantity),
            currency: text(r, cols.currency),
            unit: cols.unit,
            period,
            status: text(r, cols.status).map_or(b::Status::Counts, |t| b::status(&t)),
            line_type: text(r, cols.line_type).map_or(LineType::Recurring, |t| b::line_type(&t)),
        });
    }
    let derived = b::derive_mrr(&lines);
    // the records: one per customer reference, month and currency
    let mut values: Vec<Value> = Vec::with_capacity(4);
    for m in &derived.rows {
        values.clear();
        values.push(Value::Text(m.customer.clone()));
        values.push(Value::Text(m.month.to_string()));
        values.push(Value::Real(m.mrr));
        values.push(m.currency.clone().map_or(Value::Null, Value::Text));
        sink.row(m.lines.first().copied().unwrap_or(0), &values)?;
    }
    end.rows = derived.rows.len();
    // lineage, and the lines that made no MRR listed
    let mut kept = Vec::with_capacity(lines.len());
    for (line, (_, outcome)) in lines.iter().zip(&derived.outcomes) {
        let iso = |d: chrono::NaiveDateTime| d.date().to_string();
        let (start, stop) = match line.period {
            Period::None => (None, None),
            Period::Span { start, end } => (Some(iso(start)), Some(iso(end))),
            Period::Interval { start, unit, count } => (
                Some(iso(start)),
                b::interval_end(start, unit, count).map(iso),
            ),
        };
        let (not_mrr, months, per_month) = match outcome {
            Outcome::Mrr { months, per_month } => (None, months.len() as u32, Some(*per_month)),
            Outcome::Not(why) => (Some(*why), 0, None),
        };
        if let Some(why) = not_mrr {
            end.passed_over.push(PassedOver {
                sheet: sheet.map(str::to_owned),
                row: line.row,
                what: "not_mrr".into(),
                text: line.customer.chars().take(60).collect(),
                en: format!("not MRR: {}", why.en()),
                de: format!("kein MRR: {}", why.de()),
            });
        }
        kept.push(BillingLine {
            row: line.row,
            customer: line.customer.clone(),
            amount: b::major_amount(line).ok(),
            currency: line.currency.as_deref().map(|c| c.trim().to_uppercase()),
            period_start: start,
            period_end: stop,
            status: snake(&line.status),
            line_type: snake(&line.line_type),
            not_mrr: not_mrr.map(|w: NotMrr| snake(&w)),
            months,
            mrr_per_month: per_month,
        });
    }
    sink.billing(&kept)?;
    sink.end(end)
}
