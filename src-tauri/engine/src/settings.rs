//! User settings that every computation reads: score weights, targets, light thresholds,
//! gross margin, expected lifetime, currency, language. Stored as key/value rows in SQLite
//! (see `store`); this module owns the keys, their defaults and their validation.

use crate::kpi::catalogue;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The six CS-score components, in display order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Component {
    Usage,
    Adoption,
    Sentiment,
    Engagement,
    Satisfaction,
    AccountHealth,
}

impl Component {
    pub const ALL: [Component; 6] = [
        Component::Usage,
        Component::Adoption,
        Component::Sentiment,
        Component::Engagement,
        Component::Satisfaction,
        Component::AccountHealth,
    ];
    pub fn id(self) -> &'static str {
        match self {
            Component::Usage => "usage",
            Component::Adoption => "adoption",
            Component::Sentiment => "sentiment",
            Component::Engagement => "engagement",
            Component::Satisfaction => "satisfaction",
            Component::AccountHealth => "account_health",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Settings {
    /// Weights in `Component::ALL` order.
    pub weights: [f64; 6],
    /// Active days in the month that make `usage` 100.
    pub target_usage_days: f64,
    /// Touchpoints in the 90-day window that make `engagement` 100.
    pub target_touchpoints: f64,
    /// Score at or above which an account is green.
    pub threshold_green: f64,
    /// Score at or above which an account is yellow (below: red).
    pub threshold_yellow: f64,
    /// Gross margin as a fraction (1.0 = 100 %), used by `clv`.
    pub gross_margin: f64,
    /// Expected customer lifetime in years, used by `clv_orders` without subscription data.
    pub lifetime_years: f64,
    /// ISO currency code for display (the data's own units are never converted).
    pub currency: String,
    /// `auto` (follow the OS), `de` or `en`.
    pub language: String,
    /// Company name printed on the board report (`company_name`).
    pub company_name: String,
    /// Target per KPI id (`kpi_target.<id>`), for the KPIs with a default target in the
    /// catalogue (`kpi::catalogue`).
    pub kpi_targets: BTreeMap<String, f64>,
    /// How the components are scored (`score.method`, `insights.md` §4).
    pub score_method: ScoreMethod,
    /// Whose values a percentile is taken among (`score.peers`).
    pub score_peers: Peers,
    /// Months after an observation in which churn counts (`backtest.horizon`, 1–12).
    pub backtest_horizon: u32,
}

/// How a component's value is made from the account's raw input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ScoreMethod {
    /// The raw input against a target, capped at 100 (`kpis.md`).
    Targets,
    /// The mid-rank percentile of the raw input among the peers.
    Percentile,
}

/// The peers of a percentile: every account active in the month, or those of the same
/// segment (`(none)` is a segment).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Peers {
    All,
    Segment,
}

impl ScoreMethod {
    pub fn id(self) -> &'static str {
        match self {
            ScoreMethod::Targets => "targets",
            ScoreMethod::Percentile => "percentile",
        }
    }
}

impl Peers {
    pub fn id(self) -> &'static str {
        match self {
            Peers::All => "all",
            Peers::Segment => "segment",
        }
    }
}

pub use crate::kpi::catalogue::Direction;

/// How a KPI's value compares to its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum TargetStatus {
    /// At or better than the target.
    Met,
    /// Missed by no more than the KPI's tolerance.
    Near,
    /// Missed by more than the tolerance.
    Missed,
}

/// A KPI's target as used: the value (a setting), the direction and the tolerance within
/// which a miss counts as "near" (fixed per KPI, in the KPI's unit).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct KpiTarget {
    pub kpi: String,
    pub target: f64,
    pub direction: Direction,
    pub tolerance: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            weights: [25.0, 20.0, 20.0, 10.0, 15.0, 10.0],
            target_usage_days: 20.0,
            target_touchpoints: 3.0,
            threshold_green: 70.0,
            threshold_yellow: 40.0,
            gross_margin: 1.0,
            lifetime_years: 3.0,
            currency: "EUR".into(),
            language: "auto".into(),
            company_name: "CS Pulse".into(),
            kpi_targets: catalogue::with_targets()
                .map(|(k, t)| (k.id.to_owned(), t.target))
                .collect(),
            score_method: ScoreMethod::Targets,
            score_peers: Peers::All,
            backtest_horizon: 3,
        }
    }
}

/// Why a setting could not be changed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SettingError {
    /// The key is none of [`Settings::keys`].
    #[error("unknown setting “{0}”")]
    UnknownKey(String),
    /// The value does not fit the key (not a number, out of range, unknown language).
    #[error("“{value}” is not a valid value for {key}: {rule}")]
    BadValue {
        key: String,
        value: String,
        rule: &'static str,
    },
}

impl Settings {
    pub fn weight(&self, c: Component) -> f64 {
        self.weights[c as usize]
    }

    /// Every key with its current value as text, in a stable order.
    pub fn entries(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Component::ALL
            .iter()
            .map(|c| (format!("weight.{}", c.id()), fmt_num(self.weight(*c))))
            .collect();
        out.push(("target.usage_days".into(), fmt_num(self.target_usage_days)));
        out.push((
            "target.touchpoints".into(),
            fmt_num(self.target_touchpoints),
        ));
        out.push(("threshold.green".into(), fmt_num(self.threshold_green)));
        out.push(("threshold.yellow".into(), fmt_num(self.threshold_yellow)));
        out.push(("gross_margin".into(), fmt_num(self.gross_margin)));
        out.push(("lifetime_years".into(), fmt_num(self.lifetime_years)));
        out.push(("currency".into(), self.currency.clone()));
        out.push(("language".into(), self.language.clone()));
        out.push(("company_name".into(), self.company_name.clone()));
        out.push(("score.method".into(), self.score_method.id().into()));
        out.push(("score.peers".into(), self.score_peers.id().into()));
        out.push(("backtest.horizon".into(), self.backtest_horizon.to_string()));
        for (k, default) in catalogue::with_targets() {
            let v = self
                .kpi_targets
                .get(k.id)
                .copied()
                .unwrap_or(default.target);
            out.push((format!("kpi_target.{}", k.id), fmt_num(v)));
        }
        out
    }

    /// The target of KPI `id` as used, or `None` when the KPI has none.
    pub fn kpi_target(&self, id: &str) -> Option<KpiTarget> {
        let kpi = catalogue::get(id)?;
        let (default, direction) = (kpi.target?, kpi.better?);
        Some(KpiTarget {
            kpi: id.to_owned(),
            target: self.kpi_targets.get(id).copied().unwrap_or(default.target),
            direction,
            tolerance: default.tolerance,
        })
    }

    /// How `value` of KPI `id` compares to its target; the CS score's status follows its
    /// traffic light. `None` for a KPI without a target.
    pub fn kpi_status(&self, id: &str, value: f64) -> Option<TargetStatus> {
        if id == "cs_score" || id == "cs_score_unweighted" {
            return Some(if value >= self.threshold_green {
                TargetStatus::Met
            } else if value >= self.threshold_yellow {
                TargetStatus::Near
            } else {
                TargetStatus::Missed
            });
        }
        let t = self.kpi_target(id)?;
        // how far the value is on the good side of the target (negative: missed)
        let margin = match t.direction {
            Direction::Higher => value - t.target,
            Direction::Lower => t.target - value,
        };
        Some(if margin >= 0.0 {
            TargetStatus::Met
        } else if margin >= -t.tolerance {
            TargetStatus::Near
        } else {
            TargetStatus::Missed
        })
    }

    pub fn keys() -> Vec<String> {
        Settings::default()
            .entries()
            .into_iter()
            .map(|(k, _)| k)
            .collect()
    }

    pub fn get(&self, key: &str) -> Option<String> {
        self.entries()
            .into_iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// Sets one key from text, validating it; the settings stay unchanged on error.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), SettingError> {
        let bad = |rule| SettingError::BadValue {
            key: key.to_owned(),
            value: value.to_owned(),
            rule,
        };
        let num = || -> Result<f64, SettingError> {
            let v: f64 = value
                .trim()
                .replace(',', ".")
                .parse()
                .map_err(|_| bad("a number is expected"))?;
            if v.is_finite() && v >= 0.0 {
                Ok(v)
            } else {
                Err(bad("a number of 0 or more is expected"))
            }
        };
        if let Some(c) = key
            .strip_prefix("weight.")
            .and_then(|id| Component::ALL.into_iter().find(|c| c.id() == id))
        {
            let v = num()?;
            if v > 1000.0 {
                return Err(bad("a weight between 0 and 1000 is expected"));
            }
            self.weights[c as usize] = v;
            return Ok(());
        }
        match key {
            "target.usage_days" | "target.touchpoints" => {
                let v = num()?;
                if v <= 0.0 || v > 1e6 {
                    return Err(bad("a target must be greater than 0"));
                }
                if key == "target.usage_days" {
                    self.target_usage_days = v;
                } else {
                    self.target_touchpoints = v;
                }
            }
            "threshold.green" | "threshold.yellow" => {
                let v = num()?;
                if v > 100.0 {
                    return Err(bad("a threshold is between 0 and 100"));
                }
                let (green, yellow) = if key == "threshold.green" {
                    (v, self.threshold_yellow)
                } else {
                    (self.threshold_green, v)
                };
                if yellow > green {
                    return Err(bad("the yellow threshold cannot be above the green one"));
                }
                self.threshold_green = green;
                self.threshold_yellow = yellow;
            }
            "gross_margin" => {
                let v = num()?;
                if v > 1.0 {
                    return Err(bad("a fraction between 0 and 1 is expected (0.8 = 80 %)"));
                }
                self.gross_margin = v;
            }
            "lifetime_years" => {
                let v = num()?;
                if v <= 0.0 || v > 1000.0 {
                    return Err(bad("a lifetime must be greater than 0"));
                }
                self.lifetime_years = v;
            }
            "currency" => {
                let v = value.trim().to_uppercase();
                if v.len() != 3 || !v.chars().all(|c| c.is_ascii_alphabetic()) {
                    return Err(bad("a three-letter currency code such as EUR is expected"));
                }
                self.currency = v;
            }
            "company_name" => {
                let v = value.trim();
                if v.is_empty() || v.chars().count() > 100 {
                    return Err(bad("a name of 1 to 100 characters is expected"));
                }
                self.company_name = v.to_owned();
            }
            _ if key
                .strip_prefix("kpi_target.")
                .and_then(catalogue::get)
                .is_some_and(|k| k.target.is_some()) =>
            {
                // any finite number: an NPS target may be negative
                let v: f64 = value
                    .trim()
                    .replace(',', ".")
                    .parse()
                    .map_err(|_| bad("a number is expected"))?;
                if !v.is_finite() || v.abs() > 1e12 {
                    return Err(bad("a number is expected"));
                }
                self.kpi_targets
                    .insert(key["kpi_target.".len()..].to_owned(), v);
            }
            "score.method" => {
                self.score_method = match value.trim().to_lowercase().as_str() {
                    "targets" => ScoreMethod::Targets,
                    "percentile" => ScoreMethod::Percentile,
                    _ => return Err(bad("targets or percentile")),
                };
            }
            "score.peers" => {
                self.score_peers = match value.trim().to_lowercase().as_str() {
                    "all" => Peers::All,
                    "segment" => Peers::Segment,
                    _ => return Err(bad("all or segment")),
                };
            }
            "backtest.horizon" => {
                self.backtest_horizon = match value.trim().parse::<u32>() {
                    Ok(h) if (1..=12).contains(&h) => h,
                    _ => return Err(bad("a whole number of months from 1 to 12")),
                };
            }
            "language" => {
                let v = value.trim().to_lowercase();
                if !["auto", "de", "en"].contains(&v.as_str()) {
                    return Err(bad("auto, de or en"));
                }
                self.language = v;
            }
            _ => return Err(SettingError::UnknownKey(key.to_owned())),
        }
        Ok(())
    }
}

fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_round_trips_through_text() {
        let mut s = Settings::default();
        for (k, v) in Settings::default().entries() {
            s.set(&k, &v).unwrap_or_else(|e| panic!("{k}={v}: {e}"));
        }
        assert_eq!(s, Settings::default());
    }

    #[test]
    fn invalid_values_leave_settings_unchanged() {
        let mut s = Settings::default();
        assert!(s.set("weight.usage", "-1").is_err());
        assert!(
            s.set("threshold.yellow", "80").is_err(),
            "yellow above green"
        );
        assert!(s.set("gross_margin", "80").is_err());
        assert!(s.set("language", "fr").is_err());
        assert!(s.set("score.method", "median").is_err());
        assert!(s.set("score.peers", "owner").is_err());
        assert!(s.set("backtest.horizon", "13").is_err());
        assert!(s.set("backtest.horizon", "0").is_err());
        assert!(s.set("backtest.horizon", "2.5").is_err());
        assert!(matches!(
            s.set("nope", "1"),
            Err(SettingError::UnknownKey(_))
        ));
        assert_eq!(s, Settings::default());
        s.set("gross_margin", "0,8").unwrap();
        assert_eq!(s.gross_margin, 0.8);
    }

    #[test]
    fn kpi_targets_have_a_direction_and_a_near_band() {
        let mut s = Settings::default();
        assert_eq!(s.kpi_status("grr", 99.5), Some(TargetStatus::Met));
        assert_eq!(s.kpi_status("grr", 98.5), Some(TargetStatus::Near));
        assert_eq!(s.kpi_status("grr", 90.0), Some(TargetStatus::Missed));
        assert_eq!(
            s.kpi_status("logo_churn_rate", 0.4),
            Some(TargetStatus::Met)
        );
        assert_eq!(
            s.kpi_status("logo_churn_rate", 1.4),
            Some(TargetStatus::Near)
        );
        assert_eq!(
            s.kpi_status("logo_churn_rate", 3.0),
            Some(TargetStatus::Missed)
        );
        assert_eq!(s.kpi_status("mrr", 1.0), None, "no target");
        s.set("kpi_target.nps", "-10").unwrap();
        assert_eq!(s.kpi_target("nps").unwrap().target, -10.0);
        assert_eq!(s.get("kpi_target.nps").as_deref(), Some("-10"));
        assert!(s.set("kpi_target.mrr", "5").is_err(), "mrr has no target");
        assert!(s.set("kpi_target.grr", "viel").is_err());
    }
}
