//! Units a column's header tells (`sources.md` §4), and rates turned into counts.
//!
//! The value parsers are in [`crate::import::convert`]: [`duration_seconds`] reads
//! `90`, `01:30:00`, `1 h 20 min`; `date_time` reads Unix seconds and milliseconds,
//! `Oct 03, 2026 09:30 am`, `10/14/2026 04:00:00 PM` and ISO with `Z`/offsets (→ UTC);
//! `month` reads `202610`; `number` reads money with ISO codes before or after and the
//! Swiss apostrophe. This module says *which unit* a column is in and whether it is
//! business-hours time, and turns a rate or an average into the count it is of.
//!
//! [`duration_seconds`]: crate::import::convert::duration_seconds

use crate::import::convert::DurationUnit;

/// The unit a duration column's header names: `(in hrs)`, `Time in Session (minutes)`,
/// `Dauer (s)`, `First reply time in minutes`, `Avg. handle time (sec)`, `Zeit [Std.]`.
/// `None` when the header names none (the tool's profile or the user says).
pub fn duration_unit(header: &str) -> Option<DurationUnit> {
    let lower = header.to_lowercase();
    // a bracketed unit wins: `Duration (s)`, `Dauer [Min.]`
    for (open, close) in [('(', ')'), ('[', ']')] {
        if let (Some(a), Some(b)) = (lower.rfind(open), lower.rfind(close)) {
            if a < b {
                let inner = lower[a + 1..b].trim();
                let inner = inner.strip_prefix("in ").unwrap_or(inner);
                if let Some(u) = DurationUnit::from_word(inner) {
                    return Some(u);
                }
            }
        }
    }
    // `… in minutes`, `… in hours within business hours`, `minutes`, `Minuten`
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric() && c != '.')
        .filter(|w| !w.is_empty())
        .collect();
    for (i, w) in words.iter().enumerate() {
        let after_in = i > 0 && words[i - 1] == "in";
        let long = w.trim_end_matches('.').len() >= 3;
        if after_in || long || words.len() == 1 {
            if let Some(u) = DurationUnit::from_word(w) {
                // `m`/`s`/`h` alone only right after "in" or as the whole header
                if long || after_in || words.len() == 1 {
                    return Some(u);
                }
            }
        }
    }
    None
}

/// Is the column business-hours time (`… within business hours`, Freshdesk's `bhrs`,
/// `Geschäftszeiten`)? Such metrics are not calendar time: not used where timestamps
/// exist, never mixed with calendar durations.
pub fn is_business_hours(header: &str) -> bool {
    let k = crate::import::fields::header_key(header);
    [
        "businesshour",
        "bhrs",
        "businesstime",
        "workinghour",
        "officehour",
        "geschaeftszeit",
        "arbeitszeit",
        "servicezeit",
        "buerozeit",
    ]
    .iter()
    .any(|w| k.contains(w))
}

/// An amount in minor units (cents) in major units, by the currency's ISO 4217 exponent
/// (EUR 2, JPY 0, KWD 3). `None` for a code that is not ISO 4217.
pub fn from_minor_units(amount: f64, currency: &str) -> Option<f64> {
    let c = iso_currency::Currency::from_code(&currency.trim().to_uppercase())?;
    Some(amount / 10f64.powi(c.exponent().unwrap_or(0) as i32))
}

/// A column that holds a rate or an average of a count field, and the count it gives with
/// its base (`sources.md` §4 "rates over a base").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateOf {
    /// The campaigns field the product gives (`bounces`, `duration_seconds`).
    pub field: &'static str,
    /// The field it is a rate or average of (`sessions`).
    pub base: &'static str,
    /// How its values read.
    pub scale: RateScale,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateScale {
    /// A share: `0.45`, `45 %` (the number parser already reads `45 %` as 0.45).
    Share,
    /// An average duration per base unit, in this unit (`110` seconds, `00:01:50`).
    Average(DurationUnit),
}

/// Rate and average columns of web analytics exports (GA4, Universal Analytics, Matomo;
/// English and German), by header key.
const RATE_COLUMNS: &[(&str, RateOf)] = &[
    (
        "bouncerate",
        RateOf {
            field: "bounces",
            base: "sessions",
            scale: RateScale::Share,
        },
    ),
    (
        "absprungrate",
        RateOf {
            field: "bounces",
            base: "sessions",
            scale: RateScale::Share,
        },
    ),
    (
        "exitrate",
        RateOf {
            field: "exits",
            base: "page_views",
            scale: RateScale::Share,
        },
    ),
    (
        "ausstiegsrate",
        RateOf {
            field: "exits",
            base: "page_views",
            scale: RateScale::Share,
        },
    ),
    (
        "averagesessionduration",
        RateOf {
            field: "duration_seconds",
            base: "sessions",
            scale: RateScale::Average(DurationUnit::Seconds),
        },
    ),
    (
        "avgsessionduration",
        RateOf {
            field: "duration_seconds",
            base: "sessions",
            scale: RateScale::Average(DurationUnit::Seconds),
        },
    ),
    (
        "durchschnittlichesitzungsdauer",
        RateOf {
            field: "duration_seconds",
            base: "sessions",
            scale: RateScale::Average(DurationUnit::Seconds),
        },
    ),
    (
        "avgtimeonpage",
        RateOf {
            field: "duration_seconds",
            base: "page_views",
            scale: RateScale::Average(DurationUnit::Seconds),
        },
    ),
];

/// Is the column headed `header` a rate or average of a count field?
pub fn rate_column(header: &str) -> Option<RateOf> {
    let k = crate::import::fields::header_key(header);
    RATE_COLUMNS.iter().find(|(h, _)| *h == k).map(|(_, r)| *r)
}

/// The count a rate or average stands for in one row: `rate × base`. A share above 1 is a
/// percentage written without its sign (`45.2` → 0.452); an average is in seconds.
pub fn count_from_rate(rate: RateOf, value: f64, base: f64) -> f64 {
    match rate.scale {
        RateScale::Share => {
            let share = if value > 1.0 { value / 100.0 } else { value };
            share * base
        }
        RateScale::Average(unit) => value * unit.seconds() * base,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::convert::{duration_seconds, number, FileCell};
    use DurationUnit::*;

    #[test]
    fn units_from_the_headers_the_tools_write() {
        for (h, want) in [
            ("First response time (in hrs)", Some(Hours)),
            ("Resolution time (in hrs)", Some(Hours)),
            ("Time in Session (minutes)", Some(Minutes)),
            ("Actual Duration (minutes)", Some(Minutes)),
            ("First reply time in minutes", Some(Minutes)),
            (
                "First reply time in minutes within business hours",
                Some(Minutes),
            ),
            ("Time on Site (Minutes)", Some(Minutes)),
            ("Dauer (s)", Some(Seconds)),
            ("Bearbeitungszeit [Std.]", Some(Hours)),
            ("Handle time (sec)", Some(Seconds)),
            ("Duration ms", None),
            ("minutes", Some(Minutes)),
            ("Resolution time", None),
            ("Messages (in total)", None),
            ("Sessions", None),
        ] {
            assert_eq!(duration_unit(h), want, "{h}");
        }
    }

    #[test]
    fn business_hours_columns_are_flagged() {
        assert!(is_business_hours(
            "First reply time in minutes within business hours"
        ));
        assert!(is_business_hours("first_res_time_bhrs"));
        assert!(is_business_hours("Reaktionszeit (Geschäftszeiten)"));
        assert!(!is_business_hours("First reply time in minutes"));
        assert!(!is_business_hours("Resolved time"));
    }

    #[test]
    fn freshdesk_and_zendesk_durations_read_with_their_header_unit() {
        // Freshdesk: hh:mm:ss under "(in hrs)"; Zendesk: plain minutes
        let u = duration_unit("First response time (in hrs)").unwrap();
        assert_eq!(
            duration_seconds(&FileCell::Text("04:30:00".into()), u),
            Ok(Some(16_200.0))
        );
        let u = duration_unit("First reply time in minutes").unwrap();
        assert_eq!(
            duration_seconds(&FileCell::Text("45".into()), u),
            Ok(Some(2_700.0))
        );
    }

    #[test]
    fn cents_by_the_currency() {
        assert_eq!(from_minor_units(129_000.0, "eur"), Some(1_290.0));
        assert_eq!(from_minor_units(5_000.0, "JPY"), Some(5_000.0));
        assert_eq!(from_minor_units(1_500.0, "KWD"), Some(1.5));
        assert_eq!(from_minor_units(100.0, "EURO"), None);
    }

    #[test]
    fn ga4_rates_and_averages_become_counts() {
        // GA4 row: 20261001,/pricing,400,200,0.45,120 (tests/fixtures/tools/ga4)
        let bounce = rate_column("Bounce rate").unwrap();
        assert_eq!((bounce.field, bounce.base), ("bounces", "sessions"));
        assert_eq!(count_from_rate(bounce, 0.45, 200.0), 90.0);
        // `45 %` reads as 0.45; `45.0` without the sign is a percentage too
        let pct = number(&FileCell::Text("45 %".into())).unwrap().unwrap();
        assert_eq!(count_from_rate(bounce, pct, 200.0), 90.0);
        assert_eq!(count_from_rate(bounce, 45.0, 200.0), 90.0);
        let dur = rate_column("Average session duration").unwrap();
        assert_eq!(dur.field, "duration_seconds");
        assert_eq!(count_from_rate(dur, 120.0, 200.0), 24_000.0);
        assert_eq!(
            rate_column("Absprungrate").map(|r| r.field),
            Some("bounces")
        );
        assert_eq!(rate_column("Sessions"), None);
    }
}
