//! Turning one cell into a typed value (`datasets.md`, "Types"), or saying why not.

use super::fields::{code_value, code_values, Code, FieldType};
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};

/// A cell as a reader delivers it.
#[derive(Clone, Debug, PartialEq)]
pub enum FileCell {
    Empty,
    Text(String),
    Number(f64),
    /// An Excel date/time cell (already converted from its serial and date system).
    DateTime(NaiveDateTime),
    Bool(bool),
    /// A formula error such as `#DIV/0!` or `#N/A`.
    Error(String),
}

impl FileCell {
    pub fn is_empty(&self) -> bool {
        match self {
            FileCell::Empty => true,
            FileCell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }
    /// The cell as the user sees it (for headers and issue reports).
    pub fn display(&self) -> String {
        match self {
            FileCell::Empty => String::new(),
            FileCell::Text(t) => t.clone(),
            FileCell::Number(n) => format_number(*n),
            FileCell::DateTime(d) if d.time() == NaiveTime::MIN => d.date().to_string(),
            FileCell::DateTime(d) => d.format("%Y-%m-%d %H:%M:%S").to_string(),
            FileCell::Bool(b) => b.to_string(),
            FileCell::Error(e) => e.clone(),
        }
    }
}

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A converted value, ready for SQLite.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Text(String),
    Int(i64),
    Real(f64),
}

/// Why a cell was rejected; each reason has a German and an English text.
#[derive(Clone, Debug, PartialEq)]
pub enum Reason {
    Required,
    NotANumber,
    NotAWholeNumber,
    OutOfRange {
        min: Option<i64>,
        max: Option<i64>,
    },
    NotADate,
    NotAMonth,
    NotYesNo,
    UnknownCode(Code),
    FormulaError,
    NoScore,
    Duplicate,
    /// A totals or footer row (no id, a word like "Total" or "Summe"): not a customer.
    TotalsRow,
    /// The cell is not text in the file's encoding: the file mixes encodings.
    MixedEncoding,
    /// A quote opened in this row is never closed: the rest of the file became one cell.
    UnclosedQuote,
}

impl Reason {
    pub fn en(&self) -> String {
        match self {
            Reason::Required => "required value is missing".into(),
            Reason::NotANumber => "not a number".into(),
            Reason::NotAWholeNumber => "not a whole number".into(),
            Reason::OutOfRange { min, max } => {
                format!("outside the allowed range {}", range(*min, *max))
            }
            Reason::NotADate => "not a date".into(),
            Reason::NotAMonth => "not a month".into(),
            Reason::NotYesNo => "not yes/no".into(),
            Reason::UnknownCode(c) => {
                format!("unknown value (expected one of: {})", code_values(*c))
            }
            Reason::FormulaError => "the cell holds a formula error".into(),
            Reason::NoScore => "the response has no NPS, CSAT or CES value".into(),
            Reason::Duplicate => "the same id appears earlier in the file".into(),
            Reason::TotalsRow => "a totals row, not a record: skipped".into(),
            Reason::MixedEncoding => {
                "the text is in a different encoding than the rest of the file (mixed encodings); save the file again as UTF-8".into()
            }
            Reason::UnclosedQuote => {
                "a quote opened here is never closed, so the rest of the file ended up in this cell".into()
            }
        }
    }
    pub fn de(&self) -> String {
        match self {
            Reason::Required => "Pflichtwert fehlt".into(),
            Reason::NotANumber => "keine Zahl".into(),
            Reason::NotAWholeNumber => "keine ganze Zahl".into(),
            Reason::OutOfRange { min, max } => {
                format!("außerhalb des zulässigen Bereichs {}", range(*min, *max))
            }
            Reason::NotADate => "kein Datum".into(),
            Reason::NotAMonth => "kein Monat".into(),
            Reason::NotYesNo => "nicht ja/nein".into(),
            Reason::UnknownCode(c) => format!("unbekannter Wert (erwartet: {})", code_values(*c)),
            Reason::FormulaError => "die Zelle enthält einen Formelfehler".into(),
            Reason::NoScore => "die Antwort hat weder NPS- noch CSAT- noch CES-Wert".into(),
            Reason::Duplicate => "dieselbe ID steht weiter oben in der Datei".into(),
            Reason::TotalsRow => "eine Summenzeile, kein Datensatz: übersprungen".into(),
            Reason::MixedEncoding => {
                "der Text ist anders kodiert als der Rest der Datei (gemischte Kodierungen); speichern Sie die Datei erneut als UTF-8".into()
            }
            Reason::UnclosedQuote => {
                "ein hier geöffnetes Anführungszeichen wird nie geschlossen, daher landete der Rest der Datei in dieser Zelle".into()
            }
        }
    }
}

fn range(min: Option<i64>, max: Option<i64>) -> String {
    match (min, max) {
        (Some(a), Some(b)) => format!("{a}–{b}"),
        (Some(a), None) => format!("≥ {a}"),
        (None, Some(b)) => format!("≤ {b}"),
        (None, None) => String::new(),
    }
}

/// How a column writes dates like `03/04/2026`: decided per column from all its values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SlashOrder {
    #[default]
    MonthFirst,
    DayFirst,
}

/// Looks at every text value of a column: a first part above 12 means day-first, a second
/// part above 12 month-first; without evidence, `default`.
pub fn slash_order<'a>(
    mut values: impl Iterator<Item = &'a FileCell>,
    default: SlashOrder,
) -> SlashOrder {
    values.find_map(slash_evidence).unwrap_or(default)
}

/// What one value says about its column's slash order: `None` when it says nothing
/// (`03/04/2026` could be either; `2026-04-03` is not a slash date).
pub fn slash_evidence(cell: &FileCell) -> Option<SlashOrder> {
    let (a, b) = slash_parts(cell)?;
    if a > 12 && b <= 12 {
        Some(SlashOrder::DayFirst)
    } else if b > 12 && a <= 12 {
        Some(SlashOrder::MonthFirst)
    } else {
        None
    }
}

/// The first two parts of a slash date such as `03/04/2026`.
pub fn slash_parts(cell: &FileCell) -> Option<(u32, u32)> {
    let FileCell::Text(t) = cell else { return None };
    let t = t.trim();
    if !t.contains('/') {
        return None;
    }
    let mut parts = t.split(['/', ' ']);
    let (a, b) = (parts.next()?, parts.next()?);
    parts.next()?;
    if a.len() > 2 || b.len() > 2 {
        return None;
    }
    Some((a.parse().ok()?, b.parse().ok()?))
}

/// Which character a column uses as decimal separator, decided from all its values (a
/// lone `1.000` is a thousand in a column that also holds `1.234,56`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Decimal {
    #[default]
    Unknown,
    Point,
    Comma,
}

/// The first value that shows the separator decides; `Unknown` without evidence.
pub fn decimal_style<'a>(mut values: impl Iterator<Item = &'a FileCell>) -> Decimal {
    values
        .find_map(decimal_evidence)
        .unwrap_or(Decimal::Unknown)
}

/// What one value says about its column's decimal separator (`None`: nothing, as `1.000`).
pub fn decimal_evidence(cell: &FileCell) -> Option<Decimal> {
    let FileCell::Text(t) = cell else { return None };
    let (mut dots, mut commas, mut last_dot, mut last_comma) = (0, 0, None, None);
    let mut digits_after = 0;
    for (i, c) in t
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
        .enumerate()
    {
        match c {
            '.' => {
                dots += 1;
                last_dot = Some(i);
                digits_after = 0;
            }
            ',' => {
                commas += 1;
                last_comma = Some(i);
                digits_after = 0;
            }
            _ => digits_after += 1,
        }
    }
    match (dots, commas) {
        (0, 0) => None,
        (d, c) if d > 0 && c > 0 => Some(if last_dot > last_comma {
            Decimal::Point
        } else {
            Decimal::Comma
        }),
        (1, 0) if digits_after != 3 => Some(Decimal::Point),
        (0, 1) if digits_after != 3 => Some(Decimal::Comma),
        (d, 0) if d > 1 => Some(Decimal::Comma),
        (0, c) if c > 1 => Some(Decimal::Point),
        _ => None,
    }
}

/// Converts one cell to the field type. `Ok(Value::Null)` for an empty cell.
pub fn convert(cell: &FileCell, ty: FieldType, order: SlashOrder) -> Result<Value, Reason> {
    convert_with(cell, ty, order, Decimal::Unknown)
}

/// As [`convert`], with the column's decimal separator.
pub fn convert_with(
    cell: &FileCell,
    ty: FieldType,
    order: SlashOrder,
    decimal: Decimal,
) -> Result<Value, Reason> {
    if cell.is_empty() {
        return Ok(Value::Null);
    }
    if let FileCell::Error(_) = cell {
        return Err(Reason::FormulaError);
    }
    match ty {
        FieldType::Text => Ok(Value::Text(match cell {
            FileCell::Text(t) => t.trim().to_owned(),
            other => other.display(),
        })),
        FieldType::Number => number_with(cell, decimal).map(|n| n.map_or(Value::Null, Value::Real)),
        FieldType::Int { min, max } => {
            // a score or count is written plainly: `100 %`, `€ 4` or `(9)` is not one
            if let FileCell::Text(t) = cell {
                if t.contains(['%', '€', '$', '£', '(', ')']) {
                    return Err(Reason::NotAWholeNumber);
                }
            }
            let Some(n) = number_with(cell, decimal)? else {
                return Ok(Value::Null);
            };
            if n.fract() != 0.0 || n.abs() > 9e15 {
                return Err(Reason::NotAWholeNumber);
            }
            let n = n as i64;
            if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
                return Err(Reason::OutOfRange { min, max });
            }
            Ok(Value::Int(n))
        }
        FieldType::Date => date_time(cell, order)
            .map(|d| Value::Text(iso_date(d.date())))
            .ok_or(Reason::NotADate),
        FieldType::DateTime => date_time(cell, order)
            .map(|d| {
                use chrono::Timelike;
                let mut s = iso_date(d.date());
                let t = d.time();
                s.push(' ');
                push_digits(&mut s, t.hour(), 2);
                s.push(':');
                push_digits(&mut s, t.minute(), 2);
                s.push(':');
                push_digits(&mut s, t.second(), 2);
                Value::Text(s)
            })
            .ok_or(Reason::NotADate),
        FieldType::Month => month(cell, order)
            .map(|m| Value::Text(m.to_string()))
            .ok_or(Reason::NotAMonth),
        FieldType::Bool => boolean(cell)
            .map(|b| Value::Int(b as i64))
            .ok_or(Reason::NotYesNo),
        FieldType::Coded(code) => code_value(code, &cell.display())
            .map(|v| Value::Text(v.to_owned()))
            .ok_or(Reason::UnknownCode(code)),
    }
}

/// Parses German and English number spellings; `Ok(None)` for `-` (missing). A single
/// separator is a decimal one (`1,5`, `1.5`) unless the column says otherwise.
pub fn number(cell: &FileCell) -> Result<Option<f64>, Reason> {
    number_with(cell, Decimal::Unknown)
}

/// As [`number`], with the column's decimal separator (`1.000` = 1000 in a `Comma` column).
pub fn number_with(cell: &FileCell, decimal: Decimal) -> Result<Option<f64>, Reason> {
    let text = match cell {
        FileCell::Number(n) if n.is_finite() => return Ok(Some(*n)),
        FileCell::Number(_) => return Err(Reason::NotANumber),
        FileCell::Bool(_) | FileCell::DateTime(_) => return Err(Reason::NotANumber),
        FileCell::Text(t) => t.trim(),
        _ => return Ok(None),
    };
    if text == "-" || text == "–" {
        return Ok(None);
    }
    // the common case, a plain whole number, without the general path's allocations
    if !text.is_empty() && text.len() < 16 && text.bytes().all(|b| b.is_ascii_digit()) {
        return text
            .parse::<u64>()
            .map(|n| Some(n as f64))
            .map_err(|_| Reason::NotANumber);
    }
    let mut s = text.to_owned();
    let mut negative = false;
    if s.starts_with('(') && s.ends_with(')') {
        negative = true;
        s = s[1..s.len() - 1].to_owned();
    }
    let percent = s.contains('%');
    s.retain(|c| {
        !matches!(
            c,
            '%' | '€' | '$' | '£' | ' ' | '\u{a0}' | '\u{202f}' | '\''
        )
    });
    for code in ["EUR", "USD", "CHF", "GBP"] {
        s = s.replace(code, "");
    }
    if let Some(rest) = s.strip_prefix('-') {
        negative = !negative;
        s = rest.to_owned();
    } else if let Some(rest) = s.strip_prefix('+') {
        s = rest.to_owned();
    }
    if s.is_empty()
        || !s
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return Err(Reason::NotANumber);
    }
    let (dots, commas) = (s.matches('.').count(), s.matches(',').count());
    let normalized = match (dots, commas) {
        (0, 0) => s,
        // both: the last one is the decimal separator
        (_, _) if dots > 0 && commas > 0 => {
            let (thousands, decimal) = if s.rfind('.') > s.rfind(',') {
                (',', '.')
            } else {
                ('.', ',')
            };
            if s.matches(decimal).count() > 1 || !grouped(&s.replace(decimal, "#"), thousands) {
                return Err(Reason::NotANumber);
            }
            s.replace(thousands, "").replace(decimal, ".")
        }
        (1, 0) if decimal == Decimal::Comma && grouped(&s, '.') => s.replace('.', ""),
        (0, 1) if decimal == Decimal::Point && grouped(&s, ',') => s.replace(',', ""),
        (1, 0) => s,
        (0, 1) => s.replace(',', "."),
        // several of one kind: thousands separators (1.234.567 / 1,234,567)
        (_, 0) if grouped(&s, '.') => s.replace('.', ""),
        (0, _) if grouped(&s, ',') => s.replace(',', ""),
        _ => return Err(Reason::NotANumber),
    };
    let mut v: f64 = normalized.parse().map_err(|_| Reason::NotANumber)?;
    if !v.is_finite() {
        return Err(Reason::NotANumber);
    }
    if percent {
        v /= 100.0;
    }
    Ok(Some(if negative { -v } else { v }))
}

/// Groups after the first separator have three digits (before an optional `#` decimal part).
fn grouped(s: &str, sep: char) -> bool {
    let int_part = s.split('#').next().unwrap_or("");
    let mut groups = int_part.split(sep);
    let first = groups.next().unwrap_or("");
    !first.is_empty() && first.len() <= 3 && groups.all(|g| g.len() == 3)
}

const MONTHS: &[(&[&str], u32)] = &[
    (&["jan", "january", "januar", "jaenner", "jän", "jänner"], 1),
    (&["feb", "february", "februar"], 2),
    (&["mar", "march", "mär", "maerz", "märz", "mrz"], 3),
    (&["apr", "april"], 4),
    (&["may", "mai"], 5),
    (&["jun", "june", "juni"], 6),
    (&["jul", "july", "juli"], 7),
    (&["aug", "august"], 8),
    (&["sep", "sept", "september"], 9),
    (&["oct", "october", "okt", "oktober"], 10),
    (&["nov", "november"], 11),
    (&["dec", "december", "dez", "dezember"], 12),
];

/// A month's name alone (`Jan`, `Okt.`, `März`, `October`): a column heading of a sheet with
/// one column per month whose year stands elsewhere.
pub fn is_month_name(text: &str) -> bool {
    month_name(text.trim()).is_some()
}

fn month_name(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_lowercase();
    MONTHS
        .iter()
        .find(|(names, _)| names.contains(&w.as_str()))
        .map(|(_, m)| *m)
}

/// A four-digit year, or a two-digit one read the way Excel does (00–29 → 20xx, 30–99 → 19xx).
fn year(text: &str) -> Option<i32> {
    let t = text.trim_start_matches('\'');
    if !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: i32 = t.parse().ok()?;
    match t.len() {
        4 if y >= 1000 => Some(y),
        2 if y < 30 => Some(2000 + y),
        2 => Some(1900 + y),
        _ => None,
    }
}

/// Dates and date-times: Excel cells and serials, ISO, German `31.10.2026`, US/UK slashes.
pub fn date_time(cell: &FileCell, order: SlashOrder) -> Option<NaiveDateTime> {
    match cell {
        FileCell::DateTime(d) => Some(*d),
        FileCell::Number(n) => excel_serial(*n),
        FileCell::Text(t) => {
            let t = t.trim();
            iso_fast(t).or_else(|| parse_date_text(t, order))
        }
        _ => None,
    }
}

/// `YYYY-MM-DD` (in any year chrono can hold, written with four digits).
fn iso_date(d: NaiveDate) -> String {
    let mut s = String::with_capacity(19);
    let y = d.year();
    if (0..=9999).contains(&y) {
        push_digits(&mut s, y as u32, 4);
    } else {
        s.push_str(&format!("{y:04}"));
    }
    s.push('-');
    push_digits(&mut s, d.month(), 2);
    s.push('-');
    push_digits(&mut s, d.day(), 2);
    s
}

/// `n` with exactly `width` digits (zero-padded; `n` has at most that many).
fn push_digits(s: &mut String, n: u32, width: u32) {
    for i in (0..width).rev() {
        s.push(char::from(b'0' + (n / 10u32.pow(i) % 10) as u8));
    }
}

/// The canonical forms `2026-10-31` and `2026-10-31 14:05:00`, read without the general
/// parser (most exports of a million rows are written this way).
fn iso_fast(t: &str) -> Option<NaiveDateTime> {
    let b = t.as_bytes();
    if !(b.len() == 10 || b.len() == 19) || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + (c - b'0') as u32)
        })
    };
    let date = NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)?;
    if b.len() == 10 {
        return Some(date.and_time(NaiveTime::MIN));
    }
    if b[10] != b' ' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let time = NaiveTime::from_hms_opt(num(11..13)?, num(14..16)?, num(17..19)?)?;
    Some(date.and_time(time))
}

/// An Excel serial day number in the 1900 date system (the readers convert 1904 files).
pub fn excel_serial(n: f64) -> Option<NaiveDateTime> {
    if !(1.0..2_958_466.0).contains(&n) {
        return None;
    }
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?.and_time(NaiveTime::MIN);
    let ms = (n * 86_400_000.0).round() as i64;
    base.checked_add_signed(chrono::Duration::milliseconds(ms))
}

fn parse_date_text(t: &str, order: SlashOrder) -> Option<NaiveDateTime> {
    let (date_part, time_part) = match t.split_once(['T', ' ']) {
        Some((d, rest)) => (d, Some(rest.trim())),
        None => (t, None),
    };
    let date = parse_date_only(date_part, order)?;
    let time = match time_part {
        None | Some("") => NaiveTime::MIN,
        Some(tp) => {
            // a zone suffix (Z, +02:00, -0700) is dropped: times are kept as the export's
            // local wall-clock time, the same for either sign
            let tp = tp.trim_end_matches('Z');
            let tp = match tp.rfind(['+', '-']) {
                Some(i) if i >= 5 => tp[..i].trim_end(),
                _ => tp,
            };
            [
                "%H:%M:%S%.f",
                "%H:%M:%S",
                "%H:%M",
                "%I:%M:%S %p",
                "%I:%M %p",
            ]
            .iter()
            .find_map(|f| NaiveTime::parse_from_str(tp, f).ok())?
        }
    };
    Some(date.and_time(time))
}

fn parse_date_only(d: &str, order: SlashOrder) -> Option<NaiveDate> {
    let ymd = |y: i32, m: u32, day: u32| NaiveDate::from_ymd_opt(y, m, day);
    if let Some(parts) = split3(d, '-') {
        if parts[0].len() == 4 {
            return ymd(
                parts[0].parse().ok()?,
                parts[1].parse().ok()?,
                parts[2].parse().ok()?,
            );
        }
        // 31-Oct-2026
        if let Some(m) = month_name(parts[1]) {
            return ymd(year(parts[2])?, m, parts[0].parse().ok()?);
        }
        return None;
    }
    if let Some(parts) = split3(d, '.') {
        return ymd(
            year(parts[2])?,
            parts[1].parse().ok()?,
            parts[0].parse().ok()?,
        );
    }
    if let Some(parts) = split3(d, '/') {
        if parts[0].len() == 4 {
            return ymd(
                parts[0].parse().ok()?,
                parts[1].parse().ok()?,
                parts[2].parse().ok()?,
            );
        }
        let (a, b): (u32, u32) = (parts[0].parse().ok()?, parts[1].parse().ok()?);
        let (m, day) = match order {
            SlashOrder::MonthFirst => (a, b),
            SlashOrder::DayFirst => (b, a),
        };
        return ymd(year(parts[2])?, m, day);
    }
    None
}

fn split3(s: &str, sep: char) -> Option<[&str; 3]> {
    let mut it = s.split(sep);
    let parts = [it.next()?, it.next()?, it.next()?];
    (it.next().is_none() && parts.iter().all(|p| !p.is_empty())).then_some(parts)
}

/// Months: `2026-10`, `Okt 2026`, `Mär. 2026`, `Oct-26`, `10/2026`, or any date: its month.
pub fn month(cell: &FileCell, order: SlashOrder) -> Option<crate::Month> {
    if let FileCell::Text(t) = cell {
        let t = t.trim();
        if let Some(m) = crate::Month::parse(t) {
            return Some(m);
        }
        let words: Vec<&str> = t
            .split([' ', '-', '/', '.'])
            .filter(|w| !w.is_empty())
            .collect();
        if words.len() == 2 {
            if let (Some(m), Some(y)) = (month_name(words[0]), year(words[1])) {
                return crate::Month::new(y, m);
            }
            if let (Ok(m), Some(y)) = (words[0].parse::<u32>(), year(words[1])) {
                if words[1].len() == 4 {
                    return crate::Month::new(y, m);
                }
            }
        }
    }
    // finance exports write periods as the number 202610
    if let FileCell::Number(n) = cell {
        if n.fract() == 0.0 && (190_001.0..=999_912.0).contains(n) {
            let n = *n as i32;
            return crate::Month::new(n / 100, (n % 100) as u32);
        }
    }
    date_time(cell, order).and_then(|d| crate::Month::new(d.year(), d.month()))
}

pub fn boolean(cell: &FileCell) -> Option<bool> {
    match cell {
        FileCell::Bool(b) => Some(*b),
        FileCell::Number(n) if *n == 0.0 || *n == 1.0 => Some(*n == 1.0),
        FileCell::Text(t) => match t.trim().to_lowercase().as_str() {
            "yes" | "y" | "ja" | "j" | "true" | "wahr" | "x" | "1" => Some(true),
            "no" | "n" | "nein" | "false" | "falsch" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(t: &str) -> Result<Option<f64>, Reason> {
        number(&FileCell::Text(t.into()))
    }

    #[test]
    fn numbers_in_german_and_english_spelling() {
        for (text, want) in [
            ("1234.5", 1234.5),
            ("1,234.5", 1234.5),
            ("1.234,5", 1234.5),
            ("1 234,5", 1234.5),
            ("12,5 %", 0.125),
            ("€ 1.200,00", 1200.0),
            ("1.200,00 €", 1200.0),
            ("(1.234,56)", -1234.56),
            ("-7", -7.0),
            ("1.234.567", 1234567.0),
        ] {
            assert_eq!(num(text), Ok(Some(want)), "{text}");
        }
        assert_eq!(num("-"), Ok(None));
        for bad in ["n/a", "12abc", "1.2.3,4,5", "--"] {
            assert_eq!(num(bad), Err(Reason::NotANumber), "{bad}");
        }
    }

    #[test]
    fn a_columns_decimal_separator_decides_lone_thousands() {
        let col = [
            FileCell::Text("1.000".into()),
            FileCell::Text("1.234,56".into()),
        ];
        let style = decimal_style(col.iter());
        assert_eq!(style, Decimal::Comma);
        assert_eq!(number_with(&col[0], style), Ok(Some(1000.0)));
        let col = [
            FileCell::Text("1,234".into()),
            FileCell::Text("12.5".into()),
        ];
        assert_eq!(
            number_with(&col[0], decimal_style(col.iter())),
            Ok(Some(1234.0))
        );
        assert_eq!(
            decimal_style([FileCell::Text("1.000".into())].iter()),
            Decimal::Unknown
        );
    }

    #[test]
    fn dates_in_the_spellings_exports_use() {
        let d = |t: &str| {
            date_time(&FileCell::Text(t.into()), SlashOrder::MonthFirst).map(|d| d.to_string())
        };
        assert_eq!(d("2026-10-31").as_deref(), Some("2026-10-31 00:00:00"));
        assert_eq!(d("31.10.2026").as_deref(), Some("2026-10-31 00:00:00"));
        assert_eq!(d("31.10.26").as_deref(), Some("2026-10-31 00:00:00"));
        assert_eq!(d("10/31/2026").as_deref(), Some("2026-10-31 00:00:00"));
        assert_eq!(
            d("2026-10-31 14:05:00").as_deref(),
            Some("2026-10-31 14:05:00")
        );
        assert_eq!(
            d("2026-10-31T14:05").as_deref(),
            Some("2026-10-31 14:05:00")
        );
        assert_eq!(d("2026-02-30"), None);
        assert_eq!(d("soon"), None);
        assert_eq!(
            date_time(&FileCell::Number(46326.5), SlashOrder::MonthFirst)
                .map(|d| d.to_string())
                .as_deref(),
            Some("2026-10-31 12:00:00")
        );
    }

    #[test]
    fn years_are_digits_and_two_digit_years_pivot_like_excel() {
        let d = |t: &str| {
            date_time(&FileCell::Text(t.into()), SlashOrder::MonthFirst)
                .map(|d| d.date().to_string())
        };
        assert_eq!(d("31.12.99").as_deref(), Some("1999-12-31"));
        assert_eq!(d("31.12.29").as_deref(), Some("2029-12-31"));
        assert_eq!(d("31.12.-999"), None);
        assert_eq!(d("1.1.-5"), None);
        assert_eq!(
            d("2026-10-31T14:05:00-07:00").as_deref(),
            Some("2026-10-31")
        );
        assert_eq!(
            d("2026-10-31T23:30:00+05:00").as_deref(),
            Some("2026-10-31")
        );
    }

    #[test]
    fn non_finite_and_decorated_numbers_are_rejected_where_they_do_not_belong() {
        assert_eq!(number(&FileCell::Number(f64::NAN)), Err(Reason::NotANumber));
        assert_eq!(num(&"9".repeat(400)), Err(Reason::NotANumber));
        let int = FieldType::Int {
            min: Some(0),
            max: Some(10),
        };
        for bad in ["100 %", "€ 4", "(9)"] {
            assert_eq!(
                convert(&FileCell::Text(bad.into()), int, SlashOrder::MonthFirst),
                Err(Reason::NotAWholeNumber),
                "{bad}"
            );
        }
        assert_eq!(
            month(&FileCell::Number(202610.0), SlashOrder::MonthFirst)
                .map(|m| m.to_string())
                .as_deref(),
            Some("2026-10")
        );
    }

    #[test]
    fn slash_dates_are_resolved_per_column() {
        let col = [
            FileCell::Text("03/04/2026".into()),
            FileCell::Text("25/04/2026".into()),
        ];
        assert_eq!(
            slash_order(col.iter(), SlashOrder::MonthFirst),
            SlashOrder::DayFirst
        );
        let col = [
            FileCell::Text("03/04/2026".into()),
            FileCell::Text("04/25/2026".into()),
        ];
        assert_eq!(
            slash_order(col.iter(), SlashOrder::DayFirst),
            SlashOrder::MonthFirst
        );
    }

    #[test]
    fn months_in_german_and_english() {
        let m = |t: &str| {
            month(&FileCell::Text(t.into()), SlashOrder::MonthFirst).map(|m| m.to_string())
        };
        for (t, want) in [
            ("2026-10", "2026-10"),
            ("Okt 2026", "2026-10"),
            ("Mär 2026", "2026-03"),
            ("Mär. 2026", "2026-03"),
            ("Oct-26", "2026-10"),
            ("10/2026", "2026-10"),
            ("Okt. 25", "2025-10"),
            ("2026-10-31", "2026-10"),
        ] {
            assert_eq!(m(t).as_deref(), Some(want), "{t}");
        }
        assert_eq!(m("Q4 2026"), None);
    }

    #[test]
    fn formula_looking_text_stays_text() {
        let v = convert(
            &FileCell::Text("=SUM(A1)".into()),
            FieldType::Text,
            SlashOrder::MonthFirst,
        );
        assert_eq!(v, Ok(Value::Text("=SUM(A1)".into())));
    }
}
