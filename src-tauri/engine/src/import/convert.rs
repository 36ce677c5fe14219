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
    /// Not a duration (`90`, `01:30:00`, `1 h 30 min`).
    NotADuration,
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
            Reason::NotADuration => "not a duration (e.g. 90, 01:30:00 or 1 h 30 min)".into(),
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
            Reason::NotADuration => "keine Dauer (z. B. 90, 01:30:00 oder 1 h 30 min)".into(),
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
            '%' | '€' | '$' | '£' | '¥' | ' ' | '\u{a0}' | '\u{202f}' | '\'' | '’'
        )
    });
    strip_currency_code(&mut s);
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

/// Removes an ISO 4217 code written before or after the number (`EUR12.345,00`,
/// `1,234.50USD`, `CHF1234.50`; spaces are already gone). Only real codes, in capitals:
/// `12ABC` stays not a number.
fn strip_currency_code(s: &mut String) {
    let is_code = |c: &str| {
        c.len() == 3
            && c.bytes().all(|b| b.is_ascii_uppercase())
            && iso_currency::Currency::from_code(c).is_some()
    };
    // after a minus sign too: `-GBP5.00`
    let off = usize::from(s.starts_with('-'));
    if s.len() > off + 3 && s.is_char_boundary(off + 3) && is_code(&s[off..off + 3]) {
        s.drain(off..off + 3);
    }
    let n = s.len();
    if n > 3 && s.is_char_boundary(n - 3) && is_code(&s[n - 3..]) {
        s.truncate(n - 3);
    }
}

/// The ISO 4217 code a money text names (`EUR 12.345,00`, `1,234.50 USD`, `€ 5`, `£5`):
/// for a revenue row without a currency column.
pub fn money_currency(text: &str) -> Option<&'static str> {
    let t = text
        .trim()
        .trim_start_matches(['-', '('])
        .trim_end_matches(')')
        .trim();
    let code = |c: &str| iso_currency::Currency::from_code(c).map(|c| c.code());
    let head: String = t.chars().take(3).collect();
    let tail: String = {
        let mut v: Vec<char> = t.chars().rev().take(3).collect();
        v.reverse();
        v.into_iter().collect()
    };
    for part in [head, tail] {
        if part.len() == 3 && part.bytes().all(|b| b.is_ascii_uppercase()) {
            if let Some(c) = code(&part) {
                return Some(c);
            }
        }
    }
    if t.contains('€') {
        Some("EUR")
    } else if t.contains('£') {
        Some("GBP")
    } else {
        None
    }
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
///
/// Also the tools' own spellings (sources.md §4): Unix seconds and milliseconds
/// (`1782981431`, `1782981431000`, UTC), compact `20261001`, month names
/// (`Oct 03, 2026 09:30 am`, `Mar 22, 2025 19:13:27`, `3. Oktober 2026`), 12-hour clocks
/// (`10/14/2026 04:00:00 PM`). A time with a zone (`Z`, `UTC`, `+02:00`, `-0400`) is
/// converted to UTC; a time without one is kept as written.
pub fn date_time(cell: &FileCell, order: SlashOrder) -> Option<NaiveDateTime> {
    match cell {
        FileCell::DateTime(d) => Some(*d),
        FileCell::Number(n) => excel_serial(*n)
            .or_else(|| compact_date(*n))
            .or_else(|| unix_time(*n)),
        FileCell::Text(t) => {
            let t = t.trim();
            iso_fast(t)
                .or_else(|| parse_date_text(t, order))
                .or_else(|| digits_date(t))
                .or_else(|| named_month_date(t))
        }
        _ => None,
    }
}

/// The Unix times taken as dates: 1990-01-01 up to 2100-01-01 (nothing else in a date
/// column has 9–10 or 12–13 digits).
const UNIX_SECONDS: std::ops::Range<f64> = 631_152_000.0..4_102_444_800.0;

/// Unix seconds (`1782981431`, also with a fraction) or milliseconds (`1782981431000`), UTC.
pub fn unix_time(n: f64) -> Option<NaiveDateTime> {
    let ms = if UNIX_SECONDS.contains(&n) {
        (n * 1000.0).round()
    } else if (UNIX_SECONDS.start * 1000.0..UNIX_SECONDS.end * 1000.0).contains(&n) {
        n.round()
    } else {
        return None;
    };
    chrono::DateTime::from_timestamp_millis(ms as i64).map(|d| d.naive_utc())
}

/// `20261001` (GA4's date dimension, finance systems): year, month, day as one number.
fn compact_date(n: f64) -> Option<NaiveDateTime> {
    if n.fract() != 0.0 || !(19_000_101.0..=29_991_231.0).contains(&n) {
        return None;
    }
    let n = n as u32;
    NaiveDate::from_ymd_opt((n / 10_000) as i32, n / 100 % 100, n % 100)
        .map(|d| d.and_time(NaiveTime::MIN))
}

/// A text of digits: `20261001`, Unix seconds or milliseconds.
fn digits_date(t: &str) -> Option<NaiveDateTime> {
    let int = t.split_once('.').map_or(t, |(i, _)| i);
    if int.is_empty() || int.len() > 13 || !int.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: f64 = t.parse().ok()?;
    if int.len() == 8 {
        compact_date(n)
    } else {
        unix_time(n)
    }
}

/// `Oct 03, 2026 09:30 am`, `October 3, 2026`, `Mar 22, 2025 19:13:27`, `3 Oct 2026`,
/// `3. Oktober 2026 14:00`: a month name, a day and a year, then an optional time.
fn named_month_date(t: &str) -> Option<NaiveDateTime> {
    if !t.as_bytes().first()?.is_ascii_alphanumeric() {
        return None;
    }
    let cleaned = t.replace(',', " ");
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    if words.len() < 3 {
        return None;
    }
    let day = |w: &str| -> Option<u32> {
        let w = w.trim_end_matches('.');
        let w = ["st", "nd", "rd", "th"]
            .iter()
            .find_map(|s| w.strip_suffix(s))
            .unwrap_or(w);
        (w.len() <= 2).then(|| w.parse().ok()).flatten()
    };
    let (m, d) = match (month_name(words[0]), month_name(words[1])) {
        (Some(m), _) => (m, day(words[1])?),
        (None, Some(m)) => (m, day(words[0])?),
        _ => return None,
    };
    let y = year(words[2]).filter(|_| words[2].len() == 4)?;
    let date = NaiveDate::from_ymd_opt(y, m, d)?;
    let rest = words[3..].join(" ");
    if rest.is_empty() {
        return Some(date.and_time(NaiveTime::MIN));
    }
    let (time, offset) = parse_time(&rest)?;
    Some(to_utc(date.and_time(time), offset))
}

/// A time of day with an optional zone: `14:05`, `14:05:00.120`, `9:30 am`, `04:00:00 PM`,
/// `10:15:22 +0200`, `07:12:33 UTC`, `14:05:00Z`. The zone is the offset in seconds east
/// of UTC.
fn parse_time(tp: &str) -> Option<(NaiveTime, Option<i32>)> {
    let (tp, offset) = split_zone(tp.trim());
    let time = [
        "%H:%M:%S%.f",
        "%H:%M:%S",
        "%H:%M",
        "%I:%M:%S %p",
        "%I:%M %p",
        "%I:%M:%S%p",
        "%I:%M%p",
    ]
    .iter()
    .find_map(|f| NaiveTime::parse_from_str(tp, f).ok())?;
    Some((time, offset))
}

/// Splits a zone off the end of a time: `Z`, ` UTC`/` GMT`, `+02:00`, `+0200`, `+02`, `-0400`.
fn split_zone(tp: &str) -> (&str, Option<i32>) {
    if let Some(rest) = tp.strip_suffix('Z') {
        return (rest.trim_end(), Some(0));
    }
    for name in ["UTC", "GMT", "utc", "gmt"] {
        if let Some(rest) = tp.strip_suffix(name) {
            return (rest.trim_end(), Some(0));
        }
    }
    let Some(i) = tp.rfind(['+', '-']) else {
        return (tp, None);
    };
    // a sign after the clock (`10:15:22 +0200`); `-` inside a date is not here
    if i < 4 {
        return (tp, None);
    }
    let zone = &tp[i + 1..];
    let digits: String = zone.chars().filter(|c| *c != ':').collect();
    if !(digits.len() == 2 || digits.len() == 4) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return (tp, None);
    }
    let h: i32 = digits[..2].parse().unwrap_or(0);
    let m: i32 = digits.get(2..).map_or(0, |m| m.parse().unwrap_or(0));
    if h > 14 || m > 59 {
        return (tp, None);
    }
    let sign = if tp.as_bytes()[i] == b'-' { -1 } else { 1 };
    (tp[..i].trim_end(), Some(sign * (h * 3600 + m * 60)))
}

fn to_utc(local: NaiveDateTime, offset: Option<i32>) -> NaiveDateTime {
    match offset {
        Some(secs) => local - chrono::Duration::seconds(secs as i64),
        None => local,
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
    match time_part {
        None | Some("") => Some(date.and_time(NaiveTime::MIN)),
        // a zone (Z, UTC, +02:00, -0700) converts the time to UTC (sources.md §4)
        Some(tp) => parse_time(tp).map(|(time, offset)| to_utc(date.and_time(time), offset)),
    }
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
            // 2026/10
            if let (Some(y), Ok(m)) = (year(words[0]), words[1].parse::<u32>()) {
                if words[0].len() == 4 && words[1].len() <= 2 {
                    return crate::Month::new(y, m);
                }
            }
        }
        // finance exports write periods as `202610`
        if t.len() == 6 && t.bytes().all(|b| b.is_ascii_digit()) {
            let n: i32 = t.parse().ok()?;
            if n >= 190_001 {
                return crate::Month::new(n / 100, (n % 100) as u32);
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

/// The unit a duration column's plain numbers are in (from its header or the tool's
/// profile: `sources::units::duration_unit`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DurationUnit {
    Milliseconds,
    Seconds,
    Minutes,
    Hours,
    Days,
}

impl DurationUnit {
    pub fn seconds(self) -> f64 {
        match self {
            DurationUnit::Milliseconds => 0.001,
            DurationUnit::Seconds => 1.0,
            DurationUnit::Minutes => 60.0,
            DurationUnit::Hours => 3600.0,
            DurationUnit::Days => 86_400.0,
        }
    }

    /// A unit word as exports write it, English or German: `h`, `hrs`, `Std.`, `min`,
    /// `Minuten`, `s`, `sec`, `Sekunden`, `ms`, `days`, `Tage`.
    pub fn from_word(word: &str) -> Option<DurationUnit> {
        let w = word.trim().trim_end_matches('.').to_lowercase();
        Some(match w.as_str() {
            "ms" | "msec" | "millisecond" | "milliseconds" | "millisekunde" | "millisekunden" => {
                DurationUnit::Milliseconds
            }
            "s" | "sec" | "secs" | "second" | "seconds" | "sek" | "sekunde" | "sekunden" => {
                DurationUnit::Seconds
            }
            "m" | "min" | "mins" | "minute" | "minutes" | "minuten" => DurationUnit::Minutes,
            "h" | "hr" | "hrs" | "hour" | "hours" | "std" | "stunde" | "stunden" => {
                DurationUnit::Hours
            }
            "d" | "day" | "days" | "tag" | "tage" | "tagen" => DurationUnit::Days,
            _ => return None,
        })
    }
}

/// A duration in seconds (sources.md §4): a plain number in `unit` (`90`, `1,5`), a clock
/// `hh:mm:ss` or `h:mm` (hours may pass 24: `100:30:00`), or numbers with unit words
/// (`1 h 20 min`, `1h20m`, `2 hrs`, `45 Min.`, `1 Std. 30 Min.`, `2 days 3 hours`).
/// `Ok(None)` for an empty cell, `-` and `--` (Zoom's "did not attend").
pub fn duration_seconds(cell: &FileCell, unit: DurationUnit) -> Result<Option<f64>, Reason> {
    let text = match cell {
        FileCell::Empty => return Ok(None),
        FileCell::Number(n) if n.is_finite() && *n >= 0.0 => return Ok(Some(n * unit.seconds())),
        // a time-formatted Excel cell: the time since Excel's day 0
        FileCell::DateTime(d)
            if d.date() < NaiveDate::from_ymd_opt(1900, 3, 1).unwrap_or(d.date()) =>
        {
            let zero = NaiveDate::from_ymd_opt(1899, 12, 30)
                .ok_or(Reason::NotADuration)?
                .and_time(NaiveTime::MIN);
            return Ok(Some((*d - zero).num_milliseconds() as f64 / 1000.0));
        }
        FileCell::Text(t) => t.trim(),
        _ => return Err(Reason::NotADuration),
    };
    if text.is_empty() || text == "-" || text == "--" || text == "–" {
        return Ok(None);
    }
    if text.contains(':') {
        return clock_duration(text).map(Some).ok_or(Reason::NotADuration);
    }
    if let Ok(Some(n)) = number(&FileCell::Text(text.to_owned())) {
        if n < 0.0 || text.contains('%') {
            return Err(Reason::NotADuration);
        }
        return Ok(Some(n * unit.seconds()));
    }
    worded_duration(text).map(Some).ok_or(Reason::NotADuration)
}

/// `hh:mm:ss`, `h:mm`, `hh:mm:ss.fff`.
fn clock_duration(t: &str) -> Option<f64> {
    let parts: Vec<&str> = t.split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return None;
    }
    let whole = |p: &str| -> Option<f64> {
        (!p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let h = whole(parts[0])?;
    let m = whole(parts[1])?;
    let s = match parts.get(2) {
        None => 0.0,
        Some(p) => {
            let (int, frac) = p.split_once('.').unwrap_or((p, ""));
            let mut v = whole(int)?;
            if !frac.is_empty() {
                v += format!("0.{frac}").parse::<f64>().ok()?;
            }
            v
        }
    };
    (m < 60.0 && s < 60.0).then_some(h * 3600.0 + m * 60.0 + s)
}

/// `1 h 20 min`, `1h20m`, `2 hrs`, `1,5 Std.`, `2 days 3 hours`: number–unit pairs.
fn worded_duration(t: &str) -> Option<f64> {
    let mut total = 0.0;
    let mut pairs = 0;
    let chars: Vec<char> = t.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        if i == chars.len() {
            break;
        }
        let start = i;
        while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.' || chars[i] == ',') {
            i += 1;
        }
        let num: String = chars[start..i].iter().collect();
        let n: f64 = num.replace(',', ".").parse().ok()?;
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        let ustart = i;
        while i < chars.len() && (chars[i].is_alphabetic() || chars[i] == '.') {
            i += 1;
        }
        let word: String = chars[ustart..i].iter().collect();
        total += n * DurationUnit::from_word(&word)?.seconds();
        pairs += 1;
    }
    (pairs > 0).then_some(total)
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

    fn dt(t: &str) -> Option<String> {
        date_time(&FileCell::Text(t.into()), SlashOrder::MonthFirst).map(|d| d.to_string())
    }

    #[test]
    fn times_with_a_zone_are_converted_to_utc() {
        // Shopify writes the shop's offset, Zendesk the account's, Delighted says UTC
        assert_eq!(
            dt("2026-10-03 10:15:22 +0200").as_deref(),
            Some("2026-10-03 08:15:22")
        );
        assert_eq!(
            dt("2026-10-15 11:30:00 -0400").as_deref(),
            Some("2026-10-15 15:30:00")
        );
        assert_eq!(
            dt("2026-10-01 00:30:00 +02:00").as_deref(),
            Some("2026-09-30 22:30:00")
        );
        assert_eq!(
            dt("2026-10-04 07:12:33 UTC").as_deref(),
            Some("2026-10-04 07:12:33")
        );
        assert_eq!(
            dt("2026-10-31T14:05:00.250Z").as_deref(),
            Some("2026-10-31 14:05:00.250")
        );
        assert_eq!(
            dt("2026-10-31T14:05:00-07:00").as_deref(),
            Some("2026-10-31 21:05:00")
        );
        // no zone: as written
        assert_eq!(
            dt("2026-10-06 08:15:22.120000").as_deref(),
            Some("2026-10-06 08:15:22.120")
        );
    }

    #[test]
    fn the_tools_own_date_spellings() {
        // Mailchimp, Zoom, Pendo, SurveyMonkey, Salesforce
        for (text, want) in [
            ("Oct 03, 2026 09:30 am", "2026-10-03 09:30:00"),
            ("Oct 13, 2026 02:00 pm", "2026-10-13 14:00:00"),
            ("Mar 22, 2025 7:13 PM", "2025-03-22 19:13:00"),
            ("Mar 22, 2025 19:13:27", "2025-03-22 19:13:27"),
            ("Oct 3, 2026", "2026-10-03 00:00:00"),
            ("October 3rd, 2026", "2026-10-03 00:00:00"),
            ("3 Oct 2026", "2026-10-03 00:00:00"),
            ("3. Oktober 2026 14:00", "2026-10-03 14:00:00"),
            ("10/14/2026 04:00:00 PM", "2026-10-14 16:00:00"),
            ("10/05/2026 09:14:22 AM", "2026-10-05 09:14:22"),
            ("10/15/2026 9:14 AM", "2026-10-15 09:14:00"),
            ("20261001", "2026-10-01 00:00:00"),
        ] {
            assert_eq!(dt(text).as_deref(), Some(want), "{text}");
        }
        for bad in ["Oct 32, 2026", "Okt 2026 9:30", "May the 4th", "20261301"] {
            assert_eq!(dt(bad), None, "{bad}");
        }
    }

    #[test]
    fn unix_seconds_and_milliseconds_are_utc() {
        // Mixpanel's `time`: 2026-09-30 23:30 UTC is a September event
        assert_eq!(dt("1790811000").as_deref(), Some("2026-09-30 23:30:00"));
        assert_eq!(
            dt("1790811000517").as_deref(),
            Some("2026-09-30 23:30:00.517")
        );
        assert_eq!(
            date_time(&FileCell::Number(1_790_811_000.0), SlashOrder::MonthFirst)
                .map(|d| d.to_string())
                .as_deref(),
            Some("2026-09-30 23:30:00")
        );
        // GA4's date dimension as an Excel number
        assert_eq!(
            date_time(&FileCell::Number(20_261_015.0), SlashOrder::MonthFirst)
                .map(|d| d.to_string())
                .as_deref(),
            Some("2026-10-15 00:00:00")
        );
        // too small or too large to be a time of this era: not a date
        assert_eq!(dt("12345678901"), None);
        assert_eq!(dt("99999"), None);
    }

    #[test]
    fn months_as_finance_systems_write_them() {
        let m = |t: &str| {
            month(&FileCell::Text(t.into()), SlashOrder::MonthFirst).map(|m| m.to_string())
        };
        assert_eq!(m("202610").as_deref(), Some("2026-10"));
        assert_eq!(m("2026/10").as_deref(), Some("2026-10"));
        assert_eq!(m("202613"), None);
    }

    #[test]
    fn money_with_iso_codes_and_swiss_apostrophes() {
        for (text, want) in [
            ("EUR 12.345,00", 12345.0),
            ("1,234.50 USD", 1234.5),
            ("CHF 1'234.50", 1234.5),
            ("CHF 1’234.50", 1234.5),
            ("12.345,00EUR", 12345.0),
            ("-GBP 5.00", -5.0),
            ("SEK 1 234,50", 1234.5),
        ] {
            assert_eq!(num(text), Ok(Some(want)), "{text}");
        }
        for bad in ["12ABC", "EUR", "XYZ 5", "12 eur"] {
            assert_eq!(num(bad), Err(Reason::NotANumber), "{bad}");
        }
        assert_eq!(money_currency("CHF 1'234.50"), Some("CHF"));
        assert_eq!(money_currency("1,234.50 USD"), Some("USD"));
        assert_eq!(money_currency("1.200,00 €"), Some("EUR"));
        assert_eq!(money_currency("1234"), None);
        assert_eq!(money_currency("-GBP 5.00"), Some("GBP"));
        assert_eq!(money_currency("(1.234,56 EUR)"), Some("EUR"));
    }

    #[test]
    fn durations_in_every_spelling_exports_use() {
        let sec = |t: &str, u| duration_seconds(&FileCell::Text(t.into()), u);
        use DurationUnit::*;
        for (text, unit, want) in [
            ("90", Minutes, 5400.0),
            ("1,5", Hours, 5400.0),
            ("01:00:00", Hours, 3600.0),
            ("24:00:00", Minutes, 86_400.0),
            ("100:30:00", Seconds, 361_800.0),
            ("1:30", Seconds, 5400.0),
            ("1 h 20 min", Seconds, 4800.0),
            ("1h20m", Seconds, 4800.0),
            ("2 hrs", Seconds, 7200.0),
            ("45 Min.", Seconds, 2700.0),
            ("1 Std. 30 Min.", Seconds, 5400.0),
            ("2 days 3 hours", Seconds, 183_600.0),
            ("30 s", Minutes, 30.0),
            ("1500 ms", Minutes, 1.5),
        ] {
            assert_eq!(sec(text, unit), Ok(Some(want)), "{text}");
        }
        for empty in ["", "-", "--"] {
            assert_eq!(sec(empty, Minutes), Ok(None), "{empty}");
        }
        for bad in ["soon", "1 h 20", "01:75:00", "-5", "12 %", "3 parsecs"] {
            assert_eq!(sec(bad, Minutes), Err(Reason::NotADuration), "{bad}");
        }
        assert_eq!(
            duration_seconds(&FileCell::Number(120.0), Minutes),
            Ok(Some(7200.0))
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
