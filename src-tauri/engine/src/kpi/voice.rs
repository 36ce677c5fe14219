//! Voice of the customer: NPS, CSAT, CES and comments from survey responses.

use super::{covered, pct, ratio, Ctx, Val};
use crate::model::{Kind, Survey};
use crate::month::Month;

/// NPS of the responses that have an nps value: % promoters (9–10) − % detractors (0–6).
pub fn nps<'a>(rows: impl Iterator<Item = &'a Survey>) -> Val {
    let (mut promoters, mut detractors, mut n) = (0.0, 0.0, 0.0);
    for v in rows.filter_map(|s| s.nps) {
        n += 1.0;
        if v >= 9 {
            promoters += 1.0;
        } else if v <= 6 {
            detractors += 1.0;
        }
    }
    pct(promoters - detractors, n)
}

/// Share of responses with csat 4 or 5, in %.
pub fn csat<'a>(rows: impl Iterator<Item = &'a Survey>) -> Val {
    share(rows.filter_map(|s| s.csat), |v| v >= 4)
}

/// Share of responses with ces 5, 6 or 7 ("easy"), in %.
pub fn ces<'a>(rows: impl Iterator<Item = &'a Survey>) -> Val {
    share(rows.filter_map(|s| s.ces), |v| v >= 5)
}

fn share(values: impl Iterator<Item = i64>, hit: impl Fn(i64) -> bool) -> Val {
    let (mut hits, mut n) = (0.0, 0.0);
    for v in values {
        n += 1.0;
        if hit(v) {
            hits += 1.0;
        }
    }
    pct(hits, n)
}

fn in_months<'a>(c: &Ctx<'a>, first: Month, last: Month) -> impl Iterator<Item = &'a Survey> + 'a {
    let (a, b) = (first.first_day(), last.last_day());
    c.data
        .surveys
        .iter()
        .filter(move |s| s.date >= a && s.date <= b)
}

fn with_comment(s: &Survey) -> bool {
    s.comment.as_deref().is_some_and(|t| !t.trim().is_empty())
}

pub(super) fn all(c: &Ctx, push: &mut impl FnMut(&str, Val)) {
    let m = c.month;
    let cov = covered(c.data, Kind::Surveys, m);
    let month = || in_months(c, m, m);
    let guard = |v: Val| -> Val { cov.clone().and(v) };
    push("nps", guard(nps(month())));
    push(
        "nps_responses",
        guard(Ok(month().filter(|s| s.nps.is_some()).count() as f64)),
    );
    push("nps_3m", guard(nps(in_months(c, m.plus(-2), m))));
    push("csat", guard(csat(month())));
    push("ces", guard(ces(month())));
    let ces_values: Vec<f64> = month().filter_map(|s| s.ces).map(|v| v as f64).collect();
    push(
        "ces_avg",
        guard(ratio(ces_values.iter().sum(), ces_values.len() as f64)),
    );
    push(
        "feedback_comments",
        guard(Ok(month().filter(|s| with_comment(s)).count() as f64)),
    );
    push(
        "detractor_comments",
        guard(Ok(month()
            .filter(|s| with_comment(s) && s.nps.is_some_and(|v| v <= 6))
            .count() as f64)),
    );
}
