//! Billing exports: MRR derived, not guessed (`sources.md` §5).
//!
//! Rows of an invoice-line or subscription export become [`Line`]s (customer, amount,
//! currency, service period or interval, status, line type); [`derive_mrr`] turns them into
//! MRR per customer and month, exactly:
//!
//! - a recurring line contributes amount / n to each of the n months m with
//!   `period_start ≤ first day of m < period_end` (a yearly line: amount/12 in each of its
//!   12 months; a monthly line anchored on the 15th counts in the month whose first day it
//!   covers);
//! - an interval (month, year, quarter; with a count) and a date make the period
//!   `[date, date + interval)`;
//! - one-time lines (no period, start = end, a one-time type) are not MRR;
//! - lines of void and draft invoices do not count; credit lines count negatively;
//! - amounts are net of tax (the net column is preferred: [`net_amount_column`]; a gross
//!   amount with a tax column is reduced by it), in minor units (cents) when the profile or
//!   the user says so, by the currency's own exponent (JPY has none).
//!
//! Every line's outcome is returned with it, for lineage: which lines made which MRR, and
//! why the others did not count.

use chrono::{Datelike, Months, NaiveDateTime};

use crate::Month;

/// How a line's amount is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AmountUnit {
    /// `1290.00` (Stripe Dashboard exports, Chargebee CSV, finance sheets).
    #[default]
    Major,
    /// `129000` (Stripe API/Sigma, Chargebee API): divided by 10^exponent of the currency.
    Minor,
}

/// The service period of a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    /// None given: a one-time line.
    None,
    /// `[start, end)`.
    Span {
        start: NaiveDateTime,
        end: NaiveDateTime,
    },
    /// `count` × `unit` from `start` (a subscription's interval and its period start).
    Interval {
        start: NaiveDateTime,
        unit: IntervalUnit,
        count: u32,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IntervalUnit {
    Month,
    Quarter,
    HalfYear,
    Year,
}

impl IntervalUnit {
    fn months(self) -> u32 {
        match self {
            IntervalUnit::Month => 1,
            IntervalUnit::Quarter => 3,
            IntervalUnit::HalfYear => 6,
            IntervalUnit::Year => 12,
        }
    }
}

/// A billing interval as exports write it: `month`, `monthly`, `year`, `annual`,
/// `quarterly`, `monatlich`, `jährlich`, `Quartal`, … (Stripe `Interval`, Chargebee
/// `billing_period_unit`). Weeks and days are not months: `None`, and the line is listed.
pub fn interval_unit(text: &str) -> Option<IntervalUnit> {
    let k = crate::import::fields::header_key(text);
    Some(match k.as_str() {
        "month" | "months" | "monthly" | "mo" | "monat" | "monate" | "monatlich" | "mtl" => {
            IntervalUnit::Month
        }
        "quarter" | "quarterly" | "quartal" | "quartalsweise" | "vierteljaehrlich" => {
            IntervalUnit::Quarter
        }
        "halfyear" | "halfyearly" | "semiannual" | "semiannually" | "halbjahr"
        | "halbjaehrlich" => IntervalUnit::HalfYear,
        "year" | "years" | "yearly" | "annual" | "annually" | "yr" | "jahr" | "jaehrlich"
        | "jahresweise" => IntervalUnit::Year,
        _ => return None,
    })
}

/// The invoice status of a line, as far as MRR cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Issued (paid, open, past due, uncollectible …): counts.
    Counts,
    /// Void / voided / storniert.
    Void,
    /// Draft / pending (not issued yet) / Entwurf; a subscription that never started
    /// (`incomplete`, `incomplete_expired`).
    Draft,
    /// A subscription in its free trial (`trialing`): no revenue yet.
    Trial,
}

/// Stripe (draft, open, paid, uncollectible, void), Chargebee (paid, posted, payment_due,
/// not_paid, voided, pending), German (bezahlt, offen, storniert, Entwurf). An unknown or
/// empty status counts (an export without a status column only holds issued invoices).
/// A *canceled subscription* counts: its last period was billed (the period ends its MRR).
pub fn status(text: &str) -> Status {
    match crate::import::fields::header_key(text).as_str() {
        "void" | "voided" | "deleted" | "storniert" | "storno" | "annulliert" | "ungueltig" => {
            Status::Void
        }
        "draft" | "pending" | "entwurf" | "incomplete" | "incompleteexpired" => Status::Draft,
        "trialing" | "trial" | "intrial" | "testphase" => Status::Trial,
        _ => Status::Counts,
    }
}

/// A line's type, as far as MRR cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineType {
    /// Subscription / plan / add-on lines, or a type that says nothing (`invoiceitem`):
    /// the period decides.
    Recurring,
    /// Setup fees, one-off charges: never MRR.
    OneTime,
    /// A credit (note): counts negatively.
    Credit,
}

/// Stripe (`subscription`, `invoiceitem`), Chargebee (`plan_item_price`,
/// `addon_item_price`, `charge_item_price`, `credit_note`), and plain words.
pub fn line_type(text: &str) -> LineType {
    match crate::import::fields::header_key(text).as_str() {
        "onetime"
        | "oneoff"
        | "once"
        | "charge"
        | "chargeitemprice"
        | "setup"
        | "setupfee"
        | "einmalig"
        | "einmalzahlung"
        | "einrichtungsgebuehr" => LineType::OneTime,
        "credit" | "creditnote" | "refund" | "gutschrift" | "erstattung" => LineType::Credit,
        _ => LineType::Recurring,
    }
}

/// One invoice or subscription line.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// The row it came from (for lineage and messages).
    pub row: u32,
    /// The customer reference as written (an alias, a name …): resolved by `identity`.
    pub customer: String,
    /// Net of tax where the export has a net column; see `tax`.
    pub amount: f64,
    /// Tax included in `amount`, subtracted (a gross column with a tax column beside it).
    pub tax: Option<f64>,
    /// ISO 4217 code (`eur` is fine).
    pub currency: Option<String>,
    pub unit: AmountUnit,
    pub period: Period,
    pub status: Status,
    pub line_type: LineType,
}

/// Why a line made no MRR.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotMrr {
    Void,
    Draft,
    /// A subscription in its free trial.
    Trial,
    /// One-time type, no period, or start = end.
    OneTime,
    /// A period that covers no first day of a month (a short proration): contributes
    /// nothing under the §5 rule.
    NoMonthStart,
    /// The period ends before it starts.
    PeriodBackwards,
    /// `Minor` units with a currency code that is not ISO 4217.
    UnknownCurrency,
}

impl NotMrr {
    /// Why a billing line made no MRR, for the import's list of lines.
    pub fn en(self) -> &'static str {
        match self {
            NotMrr::Void => "line of a void invoice",
            NotMrr::Draft => "line of a draft invoice (not issued)",
            NotMrr::Trial => "a subscription in its free trial (no revenue yet)",
            NotMrr::OneTime => "one-time charge (no service period), not recurring revenue",
            NotMrr::NoMonthStart => {
                "its service period contains no first day of a month, so it adds to no month's MRR"
            }
            NotMrr::PeriodBackwards => "its service period ends before it starts",
            NotMrr::UnknownCurrency => "amount in cents, but the currency is not an ISO 4217 code",
        }
    }
    pub fn de(self) -> &'static str {
        match self {
            NotMrr::Void => "Position einer stornierten Rechnung",
            NotMrr::Draft => "Position eines Rechnungsentwurfs (nicht gestellt)",
            NotMrr::Trial => "ein Abonnement in seiner kostenlosen Testphase (noch kein Umsatz)",
            NotMrr::OneTime => {
                "einmalige Gebühr (kein Leistungszeitraum), kein wiederkehrender Umsatz"
            }
            NotMrr::NoMonthStart => {
                "ihr Leistungszeitraum enthält keinen Monatsersten und zählt daher zu keinem Monat"
            }
            NotMrr::PeriodBackwards => "ihr Leistungszeitraum endet vor seinem Beginn",
            NotMrr::UnknownCurrency => "Betrag in Cent, aber die Währung ist kein ISO-4217-Code",
        }
    }
}

/// What became of one line.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Spread over these months, `per_month` each (in major units, negative for credits).
    Mrr {
        months: Vec<Month>,
        per_month: f64,
    },
    Not(NotMrr),
}

/// MRR of one customer in one month and currency, with the lines it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct MrrRow {
    pub customer: String,
    pub month: Month,
    pub currency: Option<String>,
    pub mrr: f64,
    /// Rows of the lines that contributed (lineage).
    pub lines: Vec<u32>,
}

/// The derivation: MRR rows (by customer, then month) and every line's outcome.
#[derive(Clone, Debug, PartialEq)]
pub struct Derived {
    pub rows: Vec<MrrRow>,
    pub outcomes: Vec<(u32, Outcome)>,
}

/// The months m with `start ≤ first day of m < end`.
pub fn months_covered(start: NaiveDateTime, end: NaiveDateTime) -> Vec<Month> {
    let mut out = Vec::new();
    // the first month start at or after `start`
    let mut first = start.date().with_day(1).unwrap_or(start.date());
    if first.and_time(chrono::NaiveTime::MIN) < start {
        first = match first.checked_add_months(Months::new(1)) {
            Some(d) => d,
            None => return out,
        };
    }
    let mut d = first;
    while d.and_time(chrono::NaiveTime::MIN) < end {
        out.push(Month::of(d));
        d = match d.checked_add_months(Months::new(1)) {
            Some(n) => n,
            None => break,
        };
        if out.len() > 1200 {
            break;
        }
    }
    out
}

/// The amount of a line in major units, net of tax, signed (credits negative).
pub fn major_amount(line: &Line) -> Result<f64, NotMrr> {
    let mut a = line.amount - line.tax.unwrap_or(0.0);
    if line.unit == AmountUnit::Minor {
        let code = line.currency.as_deref().unwrap_or("").trim().to_uppercase();
        let exp = iso_currency::Currency::from_code(&code)
            .ok_or(NotMrr::UnknownCurrency)?
            .exponent()
            .unwrap_or(0);
        a /= 10f64.powi(exp as i32);
    }
    if line.line_type == LineType::Credit && a > 0.0 {
        a = -a;
    }
    Ok(a)
}

/// The end of `count` × `unit` from `start` (`None` past the calendar's end).
pub fn interval_end(start: NaiveDateTime, unit: IntervalUnit, count: u32) -> Option<NaiveDateTime> {
    let months = unit.months().saturating_mul(count.max(1));
    start.checked_add_months(Months::new(months))
}

/// What one line contributes.
pub fn outcome(line: &Line) -> Outcome {
    match line.status {
        Status::Void => return Outcome::Not(NotMrr::Void),
        Status::Draft => return Outcome::Not(NotMrr::Draft),
        Status::Trial => return Outcome::Not(NotMrr::Trial),
        Status::Counts => {}
    }
    if line.line_type == LineType::OneTime {
        return Outcome::Not(NotMrr::OneTime);
    }
    let (start, end) = match line.period {
        Period::None => return Outcome::Not(NotMrr::OneTime),
        Period::Span { start, end } => (start, end),
        Period::Interval { start, unit, count } => match interval_end(start, unit, count) {
            Some(end) => (start, end),
            None => return Outcome::Not(NotMrr::PeriodBackwards),
        },
    };
    if start == end {
        return Outcome::Not(NotMrr::OneTime);
    }
    if end < start {
        return Outcome::Not(NotMrr::PeriodBackwards);
    }
    let amount = match major_amount(line) {
        Ok(a) => a,
        Err(why) => return Outcome::Not(why),
    };
    let months = months_covered(start, end);
    if months.is_empty() {
        return Outcome::Not(NotMrr::NoMonthStart);
    }
    let per_month = amount / months.len() as f64;
    Outcome::Mrr { months, per_month }
}

/// MRR per customer, month and currency from billing lines (`sources.md` §5).
pub fn derive_mrr(lines: &[Line]) -> Derived {
    use std::collections::BTreeMap;
    /// (customer, month, currency) → (MRR, rows of the lines)
    type Acc = BTreeMap<(String, Month, Option<String>), (f64, Vec<u32>)>;
    let mut acc: Acc = BTreeMap::new();
    let mut outcomes = Vec::with_capacity(lines.len());
    for line in lines {
        let o = outcome(line);
        if let Outcome::Mrr { months, per_month } = &o {
            let currency = line.currency.as_deref().map(|c| c.trim().to_uppercase());
            for m in months {
                let e = acc
                    .entry((line.customer.trim().to_owned(), *m, currency.clone()))
                    .or_default();
                e.0 += per_month;
                e.1.push(line.row);
            }
        }
        outcomes.push((line.row, o));
    }
    let rows = acc
        .into_iter()
        .map(|((customer, month, currency), (mrr, lines))| MrrRow {
            customer,
            month,
            currency,
            // sums of cents divided by whole months: rounded to a millionth of a unit so
            // that 0.1 + 0.2 reads 0.3 (far below a cent, far above f64's error)
            mrr: (mrr * 1e6).round() / 1e6,
            lines,
        })
        .collect();
    Derived { rows, outcomes }
}

/// The amount column to take among a billing export's headers: the net one when there is
/// one (`amount_excluding_tax`, `Subtotal`, `Net`, `Netto`, …), else a plain amount
/// (`amount`, `Amount`, `Betrag`), else a total (`Total`, `Brutto`: tax included). The
/// second value says whether the chosen column includes tax.
pub fn net_amount_column(headers: &[&str]) -> Option<(usize, bool)> {
    const NET: &[&str] = &[
        "amountexcludingtax",
        "amountexcltax",
        "amountnet",
        "netamount",
        "net",
        "subtotal",
        "subtotalexcludingtax",
        "netto",
        "nettobetrag",
        "betragnetto",
        "zwischensumme",
    ];
    const PLAIN: &[&str] = &["amount", "betrag", "price", "preis", "mrr", "linetotal"];
    const GROSS: &[&str] = &[
        "total",
        "amountincludingtax",
        "gross",
        "grossamount",
        "brutto",
        "bruttobetrag",
        "gesamt",
        "gesamtbetrag",
    ];
    let keys: Vec<String> = headers
        .iter()
        .map(|h| crate::import::fields::header_key(h))
        .collect();
    let find = |set: &[&str]| keys.iter().position(|k| set.contains(&k.as_str()));
    find(NET)
        .map(|i| (i, false))
        .or_else(|| find(PLAIN).map(|i| (i, false)))
        .or_else(|| find(GROSS).map(|i| (i, true)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::convert::{date_time, FileCell, SlashOrder};

    fn at(t: &str) -> NaiveDateTime {
        date_time(&FileCell::Text(t.into()), SlashOrder::MonthFirst).expect(t)
    }

    fn line(customer: &str, amount: f64, start: &str, end: &str) -> Line {
        Line {
            row: 0,
            customer: customer.into(),
            amount,
            tax: None,
            currency: Some("eur".into()),
            unit: AmountUnit::Minor,
            period: Period::Span {
                start: at(start),
                end: at(end),
            },
            status: Status::Counts,
            line_type: LineType::Recurring,
        }
    }

    fn m(t: &str) -> Month {
        Month::parse(t).expect(t)
    }

    #[test]
    fn a_yearly_line_is_spread_over_the_twelve_months_whose_first_day_it_covers() {
        let o = outcome(&line("A", 1_800_000.0, "2026-03-15", "2027-03-15"));
        let Outcome::Mrr { months, per_month } = o else {
            panic!("{o:?}")
        };
        assert_eq!(per_month, 1500.0);
        assert_eq!(months.len(), 12);
        assert_eq!(months[0], m("2026-04"));
        assert_eq!(months[11], m("2027-03"));
        // anchored on the 15th: counts in the month whose first day it holds
        assert_eq!(
            months_covered(at("2026-06-15"), at("2026-07-15")),
            vec![m("2026-07")]
        );
        // a period starting on the 1st includes that month, ends exclusive
        assert_eq!(
            months_covered(at("2026-10-01"), at("2026-11-01")),
            vec![m("2026-10")]
        );
        // a short proration covers no month start: no MRR (noted in docs/notes/tools.md)
        assert_eq!(
            outcome(&line("A", 5000.0, "2026-10-10", "2026-10-31")),
            Outcome::Not(NotMrr::NoMonthStart)
        );
    }

    #[test]
    fn void_draft_one_time_and_credit_lines() {
        let mut l = line("A", 150_000.0, "2026-10-01", "2026-10-01");
        assert_eq!(outcome(&l), Outcome::Not(NotMrr::OneTime));
        l.period = Period::None;
        assert_eq!(outcome(&l), Outcome::Not(NotMrr::OneTime));
        let mut l = line("A", 45_000.0, "2026-10-01", "2026-11-01");
        l.status = status("void");
        assert_eq!(outcome(&l), Outcome::Not(NotMrr::Void));
        l.status = status("Entwurf");
        assert_eq!(outcome(&l), Outcome::Not(NotMrr::Draft));
        l.status = status("uncollectible");
        assert!(matches!(outcome(&l), Outcome::Mrr { per_month, .. } if per_month == 450.0));
        l.line_type = line_type("charge_item_price");
        assert_eq!(outcome(&l), Outcome::Not(NotMrr::OneTime));
        // a credit written positive under a credit type, or negative: both reduce MRR
        l.line_type = line_type("Gutschrift");
        assert!(matches!(outcome(&l), Outcome::Mrr { per_month, .. } if per_month == -450.0));
        l.line_type = line_type("invoiceitem");
        l.amount = -15_000.0;
        assert!(matches!(outcome(&l), Outcome::Mrr { per_month, .. } if per_month == -150.0));
    }

    #[test]
    fn cents_by_the_currencys_exponent_gross_minus_tax_and_intervals() {
        let mut l = line("A", 46_800.0, "2026-10-01", "2026-11-01");
        l.tax = Some(7_800.0);
        assert!(matches!(outcome(&l), Outcome::Mrr { per_month, .. } if per_month == 390.0));
        let mut l = line("A", 12_000.0, "2026-10-01", "2026-11-01");
        l.currency = Some("JPY".into());
        assert!(matches!(outcome(&l), Outcome::Mrr { per_month, .. } if per_month == 12_000.0));
        l.currency = Some("XXQ".into());
        assert_eq!(outcome(&l), Outcome::Not(NotMrr::UnknownCurrency));
        let l = Line {
            unit: AmountUnit::Major,
            currency: Some("eur".into()),
            amount: 14_400.0,
            period: Period::Interval {
                start: at("2026-08-01 00:00"),
                unit: interval_unit("year").unwrap(),
                count: 1,
            },
            ..line("T", 0.0, "2026-01-01", "2026-01-02")
        };
        let Outcome::Mrr { months, per_month } = outcome(&l) else {
            panic!()
        };
        assert_eq!((months.len(), per_month), (12, 1200.0));
        assert_eq!(months[0], m("2026-08"));
        assert_eq!(interval_unit("jährlich"), Some(IntervalUnit::Year));
        assert_eq!(interval_unit("Monthly"), Some(IntervalUnit::Month));
        assert_eq!(interval_unit("week"), None);
    }

    #[test]
    fn the_net_column_is_preferred_to_a_total_with_tax() {
        let h = ["invoice_id", "amount", "amount_excluding_tax", "currency"];
        assert_eq!(net_amount_column(&h), Some((2, false)));
        assert_eq!(
            net_amount_column(&["Total", "Subtotal", "Tax"]),
            Some((1, false))
        );
        assert_eq!(net_amount_column(&["Id", "Total"]), Some((1, true)));
        assert_eq!(net_amount_column(&["Id", "Name"]), None);
    }

    /// The research's Stripe *subscriptions* export (Dashboard: major units, `Interval` and
    /// only the current period): October's MRR by the §5 rule, hand-checked from the file —
    /// Schön's current period starts 10-15 (its first month start is 1 Nov), Fjord's ended
    /// 10-01, Café's `Amount` is the tax-inclusive price (the export has no net column).
    #[test]
    fn stripe_subscriptions_by_interval_and_current_period() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/tools/stripe/Stripe_subscriptions.csv"
        );
        let mut rd = csv::Reader::from_path(path).expect("fixture");
        let head: Vec<String> = rd
            .headers()
            .expect("header")
            .iter()
            .map(str::to_owned)
            .collect();
        let col = |n: &str| head.iter().position(|h| h == n).expect(n);
        let lines: Vec<Line> = rd
            .records()
            .enumerate()
            .map(|(i, r)| {
                let r = r.expect("row");
                Line {
                    row: i as u32 + 2,
                    customer: r[col("Customer ID")].to_owned(),
                    amount: r[col("Amount")].parse().expect("amount"),
                    tax: None,
                    currency: Some(r[col("Currency")].to_owned()),
                    unit: AmountUnit::Major,
                    period: Period::Interval {
                        start: at(&r[col("Current Period Start (UTC)")]),
                        unit: interval_unit(&r[col("Interval")]).expect("interval"),
                        count: 1,
                    },
                    status: status(&r[col("Status")]),
                    line_type: LineType::Recurring,
                }
            })
            .collect();
        let d = derive_mrr(&lines);
        let oct: Vec<(&str, f64)> = d
            .rows
            .iter()
            .filter(|r| r.month == m("2026-10"))
            .map(|r| (r.customer.as_str(), r.mrr))
            .collect();
        assert_eq!(
            oct,
            vec![
                ("cus_Pm1MuellerGmbH", 1290.0),
                ("cus_Pm2Nordwind", 2450.0),
                ("cus_Pm3CafeLumiere", 468.0),
                ("cus_Pm4Brightpath", 1800.0),
                ("cus_Pm5AcmeAnalytics", 1500.0),
                ("cus_Pm8Tessera", 1200.0),
                ("cus_Pm9HeliosEnergie", 2100.0),
                ("cus_PmAQuokka", 450.0),
            ]
        );
        // the canceled subscription still counts for its last period
        assert!(d.rows.iter().any(|r| r.customer == "cus_Pm6FjordData"
            && r.month == m("2026-09")
            && r.mrr == 640.0));
    }

    /// The research's Stripe invoice-line export (tests/fixtures/tools/stripe), read as a
    /// profile would map it; MRR hand-checked in EXPECTED.md §Revenue.
    #[test]
    fn stripe_invoice_lines_give_the_hand_checked_mrr() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/tools/stripe/Stripe_invoice_line_items.csv"
        );
        let mut rd = csv::Reader::from_path(path).expect("fixture");
        let head: Vec<String> = rd
            .headers()
            .expect("header")
            .iter()
            .map(str::to_owned)
            .collect();
        let col = |n: &str| head.iter().position(|h| h == n).expect(n);
        let hs: Vec<&str> = head.iter().map(String::as_str).collect();
        let (amount_col, gross) = net_amount_column(&hs).expect("amount column");
        assert_eq!(
            (head[amount_col].as_str(), gross),
            ("amount_excluding_tax", false)
        );
        let mut lines = Vec::new();
        for (i, r) in rd.records().enumerate() {
            let r = r.expect("row");
            let amount: f64 = r[amount_col].parse().expect("amount");
            lines.push(Line {
                row: i as u32 + 2,
                customer: r[col("customer_id")].to_owned(),
                amount,
                tax: None,
                currency: Some(r[col("currency")].to_owned()),
                unit: AmountUnit::Minor,
                period: Period::Span {
                    start: at(&r[col("period_start")]),
                    end: at(&r[col("period_end")]),
                },
                status: status(&r[col("invoice_status")]),
                line_type: line_type(&r[col("type")]),
            });
        }
        assert_eq!(lines.len(), 36);
        let d = derive_mrr(&lines);
        let mrr = |cus: &str, month: &str| -> f64 {
            d.rows
                .iter()
                .filter(|r| r.customer == cus && r.month == m(month))
                .map(|r| r.mrr)
                .sum()
        };
        let total = |month: &str| -> f64 {
            d.rows
                .iter()
                .filter(|r| r.month == m(month))
                .map(|r| r.mrr)
                .sum()
        };
        // EXPECTED.md: per account and month
        for (cus, want) in [
            ("cus_Pm1MuellerGmbH", [990.0, 990.0, 990.0, 1290.0]),
            ("cus_Pm2Nordwind", [2450.0; 4]),
            ("cus_Pm3CafeLumiere", [390.0; 4]),
            ("cus_Pm4Brightpath", [1800.0, 1800.0, 1800.0, 1650.0]),
            ("cus_Pm5AcmeAnalytics", [1500.0; 4]),
            ("cus_Pm6FjordData", [640.0, 640.0, 640.0, 0.0]),
            ("cus_Pm7SchoenPartner", [720.0; 4]),
            ("cus_Pm8Tessera", [1100.0, 1200.0, 1200.0, 1200.0]),
            ("cus_Pm9HeliosEnergie", [0.0, 0.0, 0.0, 2100.0]),
            ("cus_PmAQuokka", [450.0; 4]),
        ] {
            for (month, w) in ["2026-07", "2026-08", "2026-09", "2026-10"]
                .iter()
                .zip(want)
            {
                assert_eq!(mrr(cus, month), w, "{cus} {month}");
            }
        }
        assert_eq!(total("2026-07"), 10_040.0);
        assert_eq!(total("2026-08"), 10_140.0);
        assert_eq!(total("2026-09"), 10_140.0);
        assert_eq!(total("2026-10"), 11_750.0);
        // Acme's yearly line also fills Apr–Jun; nobody else has revenue before July
        assert_eq!(total("2026-04"), 1500.0);
        assert_eq!(total("2026-06"), 1500.0);
        assert_eq!(total("2026-03"), 0.0);
        // the three lines that are not MRR, and why
        let not: Vec<NotMrr> = d
            .outcomes
            .iter()
            .filter_map(|(_, o)| match o {
                Outcome::Not(w) => Some(*w),
                _ => None,
            })
            .collect();
        let mut not_sorted = not.clone();
        not_sorted.sort_by_key(|w| format!("{w:?}"));
        assert_eq!(
            not_sorted,
            vec![NotMrr::Draft, NotMrr::OneTime, NotMrr::Void]
        );
        // lineage: Acme's October MRR comes from the one yearly line (row 2)
        let acme_oct = d
            .rows
            .iter()
            .find(|r| r.customer == "cus_Pm5AcmeAnalytics" && r.month == m("2026-10"))
            .expect("acme");
        assert_eq!(acme_oct.lines, vec![2]);
        assert_eq!(acme_oct.currency.as_deref(), Some("EUR"));
    }
}
