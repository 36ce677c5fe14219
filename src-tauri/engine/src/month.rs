//! Calendar months (`YYYY-MM`) as one integer, so month arithmetic is plain addition.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A calendar month. Internally `year * 12 + (month - 1)`, so `m - 1` is the month before.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month(i32);

impl Month {
    /// `None` for a month number outside 1..=12.
    pub fn new(year: i32, month: u32) -> Option<Month> {
        (1..=12)
            .contains(&month)
            .then(|| Month(year * 12 + month as i32 - 1))
    }
    pub fn of(date: NaiveDate) -> Month {
        Month(date.year() * 12 + date.month0() as i32)
    }
    pub fn year(self) -> i32 {
        self.0.div_euclid(12)
    }
    /// 1..=12
    pub fn month(self) -> u32 {
        self.0.rem_euclid(12) as u32 + 1
    }
    pub fn index(self) -> i32 {
        self.0
    }
    pub fn from_index(i: i32) -> Month {
        Month(i)
    }
    pub fn plus(self, months: i32) -> Month {
        Month(self.0 + months)
    }
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year(), self.month(), 1).expect("valid month")
    }
    pub fn last_day(self) -> NaiveDate {
        self.plus(1).first_day().pred_opt().expect("valid date")
    }
    pub fn days(self) -> u32 {
        self.last_day().day()
    }
    pub fn contains(self, date: NaiveDate) -> bool {
        Month::of(date) == self
    }
    /// Parses the canonical `YYYY-MM` (what the CLI's `--month` takes).
    pub fn parse(text: &str) -> Option<Month> {
        let (y, m) = text.trim().split_once('-')?;
        if y.len() != 4 || m.is_empty() || m.len() > 2 {
            return None;
        }
        Month::new(y.parse().ok()?, m.parse().ok()?)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

impl Serialize for Month {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Month {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Month::parse(&text).ok_or_else(|| serde::de::Error::custom("expected YYYY-MM"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_crosses_year_boundaries() {
        let jan = Month::parse("2026-01").unwrap();
        assert_eq!(jan.plus(-1).to_string(), "2025-12");
        assert_eq!(jan.plus(-12).to_string(), "2025-01");
        assert_eq!(
            jan.last_day(),
            NaiveDate::from_ymd_opt(2026, 1, 31).unwrap()
        );
        assert_eq!(Month::parse("2024-02").unwrap().days(), 29);
    }

    #[test]
    fn rejects_bad_months() {
        for bad in ["2026-13", "2026-00", "26-10", "2026/10", "", "2026-1x"] {
            assert!(Month::parse(bad).is_none(), "{bad} should be rejected");
        }
    }
}
