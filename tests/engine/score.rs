//! The CS score (`kpis.md`, "The CS score"): components, caps, missing vs 0, weighted
//! mean, lights, settings, previous light, company score; plus property-style checks.

use crate::fixture::*;
use crate::kpi::rich;
use cspulse_engine::kpi::Status;
use cspulse_engine::score::{combine, light, Components, Light};
use cspulse_engine::settings::Component;
use cspulse_engine::Settings;

/// Account A (4 seats), M = 2026-03, 90-day window 2026-01-01..2026-03-31:
/// - revenue Jan 100, Feb 100, Mar 80 → account_health 80 / 100 = 80 (base Jan: Dec is
///   before the revenue data, so A is not active then)
/// - usage: u1 on Mar 1..10, u2 on Mar 1 → 10 active days → usage 50; 2 users / 4 seats
///   → adoption 50
/// - nps 10 (Jan 5), 6 (Feb 10), 8 (Mar 1) → NPS 0 → sentiment 50; nps 0 on 2025-12-31
///   is outside the window
/// - csat 5 (Mar 2), 3 (Feb 2) → 50 % → satisfaction 50
/// - touchpoints 2026-01-01 and 2026-03-15 → 2 / 3 → engagement 66.67; 2025-12-31 outside
///
/// score = (25·50 + 20·50 + 20·50 + 10·66.67 + 15·50 + 10·80) / 100 = 54.67 → yellow
pub(crate) fn one_account() -> Fx {
    Fx::new()
        .account_with("A", |a| {
            a.seats = Some(4);
            a.name = Some("Acme".into());
        })
        .mrr_series("A", "2026-01", &[100.0, 100.0, 80.0])
        .usage_days("A", "u1", "2026-03", &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
        .usage("A", "u2", "2026-03-01")
        .nps(Some("A"), "2026-01-05", 10)
        .nps(Some("A"), "2026-02-10", 6)
        .nps(Some("A"), "2026-03-01", 8)
        .nps(Some("A"), "2025-12-31", 0)
        .csat(Some("A"), "2026-03-02", 5)
        .csat(Some("A"), "2026-02-02", 3)
        .touch("A", "2026-01-01")
        .touch("A", "2026-03-15")
        .touch("A", "2025-12-31")
}

const ONE_ACCOUNT_SCORE: f64 = (1250.0 + 1000.0 + 1000.0 + 2000.0 / 3.0 + 750.0 + 800.0) / 100.0;

fn days(n: u32) -> Vec<u32> {
    (1..=n).collect()
}

#[test]
fn each_component_follows_its_formula() {
    let r = scores(&one_account().build(), "2026-03");
    let a = account(&r, "A");
    let c = &a.components;
    assert_close(c.usage.unwrap(), 50.0, "usage: 10 of 20 active days");
    assert_close(c.adoption.unwrap(), 50.0, "adoption: 2 users of 4 seats");
    assert_close(c.sentiment.unwrap(), 50.0, "sentiment: (NPS 0 + 100) / 2");
    assert_close(
        c.engagement.unwrap(),
        200.0 / 3.0,
        "engagement: 2 of 3 touchpoints",
    );
    assert_close(c.satisfaction.unwrap(), 50.0, "satisfaction: csat 1 of 2");
    assert_close(c.account_health.unwrap(), 80.0, "account health: 80 / 100");
    assert_close(
        a.score.unwrap(),
        ONE_ACCOUNT_SCORE,
        "weighted mean with default weights",
    );
    assert_eq!(a.light, Some(Light::Yellow), "54.67 is between 40 and 70");
    assert_eq!(
        a.name.as_deref(),
        Some("Acme"),
        "the account's name is carried along"
    );
}

#[test]
fn inputs_explain_each_component() {
    let r = scores(&one_account().build(), "2026-03");
    let i = &account(&r, "A").inputs;
    assert_eq!(i.active_days, Some(10), "10 active days");
    assert_eq!(i.users, Some(2), "2 distinct users");
    assert_eq!(i.seats, Some(4), "4 seats");
    assert_close(i.nps.unwrap(), 0.0, "NPS of the window");
    assert_eq!(i.nps_responses, 3, "three nps responses in the window");
    assert_eq!(i.csat_responses, 2, "two csat responses in the window");
    assert_eq!(i.touchpoints_90d, Some(2), "two touchpoints in the window");
    assert_eq!(i.mrr, Some(80.0), "MRR of M");
    assert_eq!(i.mrr_base, Some(100.0), "MRR of the base month");
    assert_eq!(
        i.mrr_base_month,
        Some(m("2026-01")),
        "Jan is the first active month of M−3..M"
    );
}

#[test]
fn components_are_capped_at_100() {
    let data = Fx::new()
        .account_with("A", |a| a.seats = Some(4))
        .mrr_series("A", "2026-01", &[100.0, 150.0, 200.0])
        .usage_days("A", "u1", "2026-03", &days(25))
        .usage("A", "u2", "2026-03-01")
        .usage("A", "u3", "2026-03-01")
        .usage("A", "u4", "2026-03-01")
        .usage("A", "u5", "2026-03-01")
        .usage("A", "u6", "2026-03-01")
        .touch("A", "2026-01-10")
        .touch("A", "2026-02-10")
        .touch("A", "2026-03-01")
        .touch("A", "2026-03-02")
        .touch("A", "2026-03-03")
        .build();
    let r = scores(&data, "2026-03");
    let c = &account(&r, "A").components;
    assert_close(
        c.usage.unwrap(),
        100.0,
        "25 active days exceed the target of 20",
    );
    assert_close(c.adoption.unwrap(), 100.0, "6 users on 4 seats");
    assert_close(
        c.engagement.unwrap(),
        100.0,
        "5 touchpoints exceed the target of 3",
    );
    assert_close(c.account_health.unwrap(), 100.0, "MRR grew from 100 to 200");
}

#[test]
fn sentiment_spans_0_to_100_from_nps_minus_100_to_100() {
    let data = Fx::new()
        .revenue("P", "2026-03", 10.0)
        .revenue("D", "2026-03", 10.0)
        .nps(Some("P"), "2026-03-01", 9)
        .nps(Some("P"), "2026-02-01", 10)
        .nps(Some("D"), "2026-03-01", 0)
        .nps(Some("D"), "2026-01-15", 6)
        .build();
    let r = scores(&data, "2026-03");
    assert_close(
        account(&r, "P").components.sentiment.unwrap(),
        100.0,
        "NPS 100",
    );
    assert_close(
        account(&r, "D").components.sentiment.unwrap(),
        0.0,
        "NPS −100",
    );
}

#[test]
fn satisfaction_falls_back_to_ces_without_csat() {
    let data = Fx::new()
        .revenue("A", "2026-03", 10.0)
        .ces(Some("A"), "2026-03-01", 7)
        .ces(Some("A"), "2026-03-02", 6)
        .ces(Some("A"), "2026-02-01", 5)
        .ces(Some("A"), "2026-01-01", 1)
        .build();
    let r = scores(&data, "2026-03");
    let a = account(&r, "A");
    assert_close(
        a.components.satisfaction.unwrap(),
        75.0,
        "3 of 4 ces are 5–7",
    );
    assert_eq!(
        a.components.sentiment, None,
        "no nps response: sentiment missing"
    );
}

#[test]
fn satisfaction_prefers_csat_over_ces() {
    let data = Fx::new()
        .revenue("A", "2026-03", 10.0)
        .csat(Some("A"), "2026-03-01", 2)
        .ces(Some("A"), "2026-03-02", 7)
        .build();
    let r = scores(&data, "2026-03");
    assert_close(
        account(&r, "A").components.satisfaction.unwrap(),
        0.0,
        "csat 2 is not satisfied",
    );
}

#[test]
fn usage_and_adoption_are_missing_when_the_usage_dataset_has_no_rows_in_m() {
    let mut fx = one_account();
    fx.data.usage.clear();
    let data = fx.usage_days("A", "u1", "2026-02", &days(20)).build();
    let r = scores(&data, "2026-03");
    let c = &account(&r, "A").components;
    assert_eq!(
        c.usage, None,
        "no usage rows at all in March: missing, not 0"
    );
    assert_eq!(
        c.adoption, None,
        "no usage rows at all in March: missing, not 0"
    );
}

#[test]
fn usage_and_adoption_are_zero_when_others_have_usage_but_the_account_has_none() {
    let mut fx = one_account();
    fx.data.usage.clear();
    let data = fx
        .revenue("B", "2026-03", 10.0)
        .usage("B", "u1", "2026-03-05")
        .build();
    let r = scores(&data, "2026-03");
    let a = account(&r, "A");
    assert_eq!(
        a.components.usage,
        Some(0.0),
        "usage data exists, A has none: that is the signal"
    );
    assert_eq!(a.components.adoption, Some(0.0), "no user of A's 4 seats");
    assert_eq!(a.inputs.active_days, Some(0), "0 active days");
}

#[test]
fn adoption_is_missing_without_seats() {
    let mut fx = one_account();
    fx.data.accounts[0].seats = None;
    let r = scores(&fx.build(), "2026-03");
    let c = &account(&r, "A").components;
    assert!(c.usage.is_some(), "usage does not need seats");
    assert_eq!(c.adoption, None, "adoption needs seats > 0");
}

#[test]
fn engagement_is_missing_for_everyone_without_touchpoints_in_the_window() {
    let mut fx = one_account();
    fx.data.touchpoints.retain(|t| t.date < d("2026-01-01"));
    let data = fx.revenue("B", "2026-03", 10.0).build();
    let r = scores(&data, "2026-03");
    assert_eq!(
        account(&r, "A").components.engagement,
        None,
        "no touchpoints in the window"
    );
    assert_eq!(
        account(&r, "B").components.engagement,
        None,
        "no touchpoints in the window"
    );
}

#[test]
fn engagement_is_zero_when_others_have_touchpoints_but_the_account_has_none() {
    let data = one_account().revenue("B", "2026-03", 10.0).build();
    let r = scores(&data, "2026-03");
    assert_eq!(
        account(&r, "B").components.engagement,
        Some(0.0),
        "A was touched, B not"
    );
    assert_eq!(
        account(&r, "B").inputs.touchpoints_90d,
        Some(0),
        "0 touchpoints"
    );
}

#[test]
fn sentiment_and_satisfaction_are_missing_without_responses_in_the_window() {
    let data = one_account()
        .revenue("B", "2026-03", 10.0)
        .nps(Some("B"), "2025-12-31", 10)
        .csat(Some("B"), "2025-12-31", 5)
        .build();
    let r = scores(&data, "2026-03");
    let c = &account(&r, "B").components;
    assert_eq!(
        c.sentiment, None,
        "B's only response is 90 days before the end of March"
    );
    assert_eq!(
        c.satisfaction, None,
        "B's only response is outside the window"
    );
}

#[test]
fn account_health_compares_with_the_earliest_active_month_of_the_last_four() {
    // Dec 200, Jan 150, Feb 120, Mar 100 → base Dec (M−3) → 50
    let data = Fx::new()
        .mrr_series("A", "2025-12", &[200.0, 150.0, 120.0, 100.0])
        .revenue("N", "2026-03", 70.0)
        .mrr_series("R", "2025-11", &[10.0, 0.0, 0.0, 40.0, 30.0])
        .build();
    let r = scores(&data, "2026-03");
    assert_close(
        account(&r, "A").components.account_health.unwrap(),
        50.0,
        "100 / 200",
    );
    assert_close(
        account(&r, "N").components.account_health.unwrap(),
        100.0,
        "new in M: base is M",
    );
    // R: Nov 10 is before the window; Dec, Jan 0; base Feb 40; Mar 30 → 75
    assert_close(
        account(&r, "R").components.account_health.unwrap(),
        75.0,
        "30 / 40",
    );
    assert_eq!(
        account(&r, "R").inputs.mrr_base_month,
        Some(m("2026-02")),
        "Feb is the base"
    );
}

#[test]
fn account_health_is_missing_without_mrr() {
    let data = Fx::new()
        .account("A")
        .usage("A", "u1", "2026-03-02")
        .touch("A", "2026-03-02")
        .build();
    let r = scores(&data, "2026-03");
    assert_eq!(
        account(&r, "A").components.account_health,
        None,
        "no revenue, no accounts.mrr"
    );
    assert_eq!(account(&r, "A").mrr, None, "MRR is unknown");
}

#[test]
fn the_score_is_the_weighted_mean_over_present_components_only() {
    // usage 10 days → 50; account_health 100; nothing else exists
    let data = Fx::new()
        .mrr_series("A", "2026-02", &[100.0, 100.0])
        .usage_days("A", "u1", "2026-03", &days(10))
        .build();
    let r = scores(&data, "2026-03");
    let a = account(&r, "A");
    // (25·50 + 10·100) / (25 + 10)
    assert_close(
        a.score.unwrap(),
        2250.0 / 35.0,
        "missing components do not count as 0",
    );
    assert_eq!(a.light, Some(Light::Yellow), "64.29 is yellow");
}

#[test]
fn fewer_than_two_components_give_no_score_and_no_light() {
    let data = Fx::new()
        .mrr_series("A", "2026-02", &[100.0, 100.0])
        .build();
    let r = scores(&data, "2026-03");
    let a = account(&r, "A");
    assert!(
        a.components.account_health.is_some(),
        "account health exists"
    );
    assert_eq!(a.score, None, "one component is insufficient data");
    assert_eq!(a.light, None, "no score, no light");
}

#[test]
fn lights_at_the_exact_thresholds() {
    let s = Settings::default();
    assert_eq!(light(70.0, &s), Light::Green, "70 is green");
    assert_eq!(light(69.99, &s), Light::Yellow, "69.99 is yellow");
    assert_eq!(light(40.0, &s), Light::Yellow, "40 is yellow");
    assert_eq!(light(39.99, &s), Light::Red, "39.99 is red");
    assert_eq!(light(100.0, &s), Light::Green, "100 is green");
    assert_eq!(light(0.0, &s), Light::Red, "0 is red");
}

/// Account A with 10 seats, `days` active days (u1) and `users` distinct users; no MRR,
/// no surveys, no touchpoints: only usage and adoption exist.
fn usage_only(active_days: u32, users: u32) -> Fx {
    let mut fx = Fx::new()
        .account_with("A", |a| a.seats = Some(10))
        .usage_days("A", "u1", "2026-03", &days(active_days));
    for u in 2..=users {
        fx = fx.usage("A", &format!("u{u}"), "2026-03-01");
    }
    fx
}

#[test]
fn a_score_of_exactly_70_is_green_and_exactly_40_is_yellow() {
    // usage 14/20 = 70, adoption 7/10 = 70 → 70
    let r = scores(&usage_only(14, 7).build(), "2026-03");
    let a = account(&r, "A");
    assert_close(a.score.unwrap(), 70.0, "both components are 70");
    assert_eq!(a.light, Some(Light::Green), "a score of 70 is green");
    // usage 8/20 = 40, adoption 4/10 = 40 → 40
    let r = scores(&usage_only(8, 4).build(), "2026-03");
    let a = account(&r, "A");
    assert_close(a.score.unwrap(), 40.0, "both components are 40");
    assert_eq!(a.light, Some(Light::Yellow), "a score of 40 is yellow");
}

#[test]
fn a_score_of_39_99_is_red() {
    // usage 8/20 = 40 (weight 999), adoption 3/10 = 30 (weight 1) → 39.99
    let s = settings(&[("weight.usage", "999"), ("weight.adoption", "1")]);
    let r = scores_with(&usage_only(8, 3).build(), "2026-03", &s);
    let a = account(&r, "A");
    assert_close(a.score.unwrap(), 39.99, "(999·40 + 30) / 1000");
    assert_eq!(a.light, Some(Light::Red), "39.99 is red");
}

#[test]
fn changed_weights_change_the_score() {
    let data = Fx::new()
        .mrr_series("A", "2026-02", &[100.0, 100.0])
        .usage_days("A", "u1", "2026-03", &days(10))
        .build();
    let s = settings(&[("weight.usage", "50")]);
    let r = scores_with(&data, "2026-03", &s);
    // (50·50 + 10·100) / 60
    assert_close(
        account(&r, "A").score.unwrap(),
        3500.0 / 60.0,
        "usage weight 50",
    );
    let s = settings(&[("weight.account_health", "0")]);
    let r = scores_with(&data, "2026-03", &s);
    assert_close(
        account(&r, "A").score.unwrap(),
        50.0,
        "account health weighs nothing",
    );
}

#[test]
fn changed_thresholds_change_the_light() {
    let data = one_account().build();
    let s = settings(&[("threshold.green", "50")]);
    let r = scores_with(&data, "2026-03", &s);
    assert_eq!(account(&r, "A").light, Some(Light::Green), "54.67 ≥ 50");
    let s = settings(&[("threshold.green", "90"), ("threshold.yellow", "60")]);
    let r = scores_with(&data, "2026-03", &s);
    assert_eq!(account(&r, "A").light, Some(Light::Red), "54.67 < 60");
}

#[test]
fn changed_targets_change_the_components() {
    let data = one_account().build();
    let s = settings(&[("target.usage_days", "10"), ("target.touchpoints", "4")]);
    let r = scores_with(&data, "2026-03", &s);
    let c = &account(&r, "A").components;
    assert_close(c.usage.unwrap(), 100.0, "10 of 10 days");
    assert_close(c.engagement.unwrap(), 50.0, "2 of 4 touchpoints");
}

/// A: green in Feb (usage 20 days → 100, health 100), red in Mar (usage 2 days → 10,
/// health 80 → (250 + 800) / 35 = 30). N: new in March, green (usage 20 days, health 100).
fn movers() -> Fx {
    Fx::new()
        .mrr_series("A", "2026-01", &[100.0, 100.0, 80.0])
        .usage_days("A", "u1", "2026-02", &days(20))
        .usage_days("A", "u1", "2026-03", &[1, 2])
        .revenue("N", "2026-03", 50.0)
        .usage_days("N", "u1", "2026-03", &days(20))
}

#[test]
fn previous_light_comes_from_the_month_before() {
    let r = scores(&movers().build(), "2026-03");
    let a = account(&r, "A");
    assert_close(a.score.unwrap(), 30.0, "(25·10 + 10·80) / 35");
    assert_eq!(a.light, Some(Light::Red), "30 is red");
    assert_eq!(
        a.previous_light,
        Some(Light::Green),
        "February's score was 100"
    );
    let n = account(&r, "N");
    assert_eq!(n.light, Some(Light::Green), "N scores 100");
    assert_eq!(n.previous_light, None, "N was not active in February");
    let moved: Vec<&str> = r.movers().map(|a| a.account_id.as_str()).collect();
    assert_eq!(moved, vec!["A"], "only A changed its light");
}

/// Revenue Jan..Mar constant: A 100, B 300, C 200. March usage: A 20 days → 100,
/// B 2 days → 10, C 6 days → 30; health 100 for all.
/// A (2500 + 1000) / 35 = 100 green; B 1250 / 35 = 35.71 red; C 1750 / 35 = 50 yellow.
fn company() -> Fx {
    Fx::new()
        .mrr_series("A", "2026-01", &[100.0; 3])
        .mrr_series("B", "2026-01", &[300.0; 3])
        .mrr_series("C", "2026-01", &[200.0; 3])
        .usage_days("A", "u1", "2026-03", &days(20))
        .usage_days("B", "u1", "2026-03", &[1, 2])
        .usage_days("C", "u1", "2026-03", &days(6))
}

#[test]
fn the_company_score_is_mrr_weighted_and_also_given_unweighted() {
    let data = company().build();
    let r = scores(&data, "2026-03");
    let b = 1250.0 / 35.0;
    // (100·100 + b·300 + 50·200) / 600
    let weighted = (10000.0 + b * 300.0 + 10000.0) / 600.0;
    let unweighted = (100.0 + b + 50.0) / 3.0;
    assert_close(r.cs_score.unwrap(), weighted, "MRR-weighted mean");
    assert_close(r.cs_score_unweighted.unwrap(), unweighted, "plain mean");
    assert_eq!(
        (r.split.green, r.split.yellow, r.split.red),
        (1, 1, 1),
        "one of each light"
    );

    let k = kpis(&data, "2026-03");
    assert_ok(
        &k,
        "cs_score",
        weighted,
        "the KPI repeats the company score",
    );
    assert_ok(
        &k,
        "cs_score_unweighted",
        unweighted,
        "the KPI repeats the plain mean",
    );
    assert_ok(
        &k,
        "health_green",
        100.0 / 3.0,
        "1 of 3 scored accounts is green",
    );
    assert_ok(
        &k,
        "health_yellow",
        100.0 / 3.0,
        "1 of 3 scored accounts is yellow",
    );
    assert_ok(
        &k,
        "health_red",
        100.0 / 3.0,
        "1 of 3 scored accounts is red",
    );
    assert_ok(&k, "mrr_at_risk", 300.0, "B's MRR is at risk");
}

#[test]
fn mrr_at_risk_sums_the_mrr_of_all_red_accounts() {
    // D: no usage → usage 0, health 100 → 1000 / 35 = 28.57 red, MRR 50
    let data = company().mrr_series("D", "2026-01", &[50.0; 3]).build();
    let k = kpis(&data, "2026-03");
    assert_ok(&k, "mrr_at_risk", 350.0, "B 300 + D 50");
    assert_ok(&k, "health_red", 50.0, "2 of 4 are red");
}

#[test]
fn accounts_with_insufficient_data_are_left_out_of_the_company_score() {
    // A: sentiment 100 + health 100 → 100; B: health only → unscored
    let data = Fx::new()
        .mrr_series("A", "2026-02", &[100.0, 100.0])
        .mrr_series("B", "2026-02", &[900.0, 900.0])
        .nps(Some("A"), "2026-03-03", 10)
        .build();
    let r = scores(&data, "2026-03");
    assert_eq!(account(&r, "B").score, None, "B has one component");
    let k = kpis(&data, "2026-03");
    assert_ok(&k, "cs_score", 100.0, "only A is scored");
    assert_ok(&k, "health_green", 100.0, "A is the only scored account");
    assert_ok(&k, "mrr_at_risk", 0.0, "no red account");
}

#[test]
fn the_company_score_is_unweighted_without_mrr() {
    // accounts without MRR: A usage 100 + adoption 100; B 10 days → 50, 1 of 2 seats → 50
    let data = Fx::new()
        .account_with("A", |a| a.seats = Some(2))
        .account_with("B", |a| a.seats = Some(2))
        .usage_days("A", "u1", "2026-03", &days(20))
        .usage("A", "u2", "2026-03-01")
        .usage_days("B", "u1", "2026-03", &days(10))
        .build();
    let k = kpis(&data, "2026-03");
    assert_ok(&k, "cs_score", 75.0, "plain mean of 100 and 50 without MRR");
    assert_ok(&k, "cs_score_unweighted", 75.0, "plain mean");
    assert_ok(&k, "health_yellow", 50.0, "B is yellow");
    assert_no_data(&k, "mrr_at_risk", "revenue", "no MRR known");
}

#[test]
fn company_score_kpis_are_no_data_without_accounts_or_revenue() {
    let data = Fx::new().usage("A", "u1", "2026-03-01").build();
    let k = kpis(&data, "2026-03");
    for id in [
        "cs_score",
        "cs_score_unweighted",
        "health_green",
        "health_yellow",
        "health_red",
        "mrr_at_risk",
    ] {
        assert_no_data(&k, id, "revenue", "no account is known to be active");
    }
}

#[test]
fn company_score_has_no_value_when_no_account_is_scored() {
    let data = Fx::new()
        .mrr_series("A", "2026-02", &[100.0, 100.0])
        .build();
    let k = kpis(&data, "2026-03");
    let cs = k.get("cs_score").unwrap();
    assert_eq!(cs.value, None, "no scored account: no company score");
    assert_ne!(cs.status, Status::Ok, "no scored account: not ok");
}

fn set(c: &mut Components, comp: Component, v: Option<f64>) {
    match comp {
        Component::Usage => c.usage = v,
        Component::Adoption => c.adoption = v,
        Component::Sentiment => c.sentiment = v,
        Component::Engagement => c.engagement = v,
        Component::Satisfaction => c.satisfaction = v,
        Component::AccountHealth => c.account_health = v,
    }
}

fn random_settings(rng: &mut Rng) -> Settings {
    let mut s = Settings::default();
    for comp in Component::ALL {
        let w = 1 + rng.below(50);
        s.set(&format!("weight.{}", comp.id()), &w.to_string())
            .unwrap();
    }
    s.set("target.usage_days", &(1 + rng.below(25)).to_string())
        .unwrap();
    s.set("target.touchpoints", &(1 + rng.below(6)).to_string())
        .unwrap();
    s
}

#[test]
fn scores_and_components_always_stay_within_0_and_100() {
    for seed in 0..30 {
        let data = rich(seed);
        let mut rng = Rng::new(seed);
        let s = if seed % 2 == 0 {
            Settings::default()
        } else {
            random_settings(&mut rng)
        };
        for month in ["2026-01", "2026-02", "2026-03"] {
            let r = scores_with(&data, month, &s);
            for a in &r.accounts {
                for comp in Component::ALL {
                    if let Some(v) = a.components.get(comp) {
                        assert!(
                            (0.0..=100.0).contains(&v),
                            "seed {seed} {month} {} {comp:?} = {v}",
                            a.account_id
                        );
                    }
                }
                if let Some(v) = a.score {
                    assert!(
                        (0.0..=100.0).contains(&v),
                        "seed {seed} {month} {} score {v}",
                        a.account_id
                    );
                }
            }
            for v in [r.cs_score, r.cs_score_unweighted].into_iter().flatten() {
                assert!(
                    (0.0..=100.0).contains(&v),
                    "seed {seed} {month}: company score {v}"
                );
            }
        }
    }
}

#[test]
fn raising_one_component_never_lowers_the_score() {
    let mut rng = Rng::new(42);
    for _ in 0..2000 {
        let s = random_settings(&mut rng);
        let mut c = Components::default();
        for comp in Component::ALL {
            let v = rng.chance(70).then(|| rng.below(1001) as f64 / 10.0);
            set(&mut c, comp, v);
        }
        let before = combine(&c, &s);
        for comp in Component::ALL {
            if let Some(v) = c.get(comp) {
                let mut up = c.clone();
                let raised = (v + rng.below(1001) as f64 / 10.0).min(100.0);
                set(&mut up, comp, Some(raised));
                let after = combine(&up, &s);
                if let (Some(b), Some(a)) = (before, after) {
                    assert!(
                        a >= b - 1e-9,
                        "raising {comp:?} {v} → {raised} lowered {b} to {a}"
                    );
                }
                assert_eq!(
                    before.is_some(),
                    after.is_some(),
                    "raising a value never drops the score"
                );
            }
        }
    }
}

#[test]
fn more_activity_of_an_account_never_lowers_its_score() {
    for seed in 0..20 {
        let data = rich(seed);
        let before = scores(&data, "2026-03");
        for a in before.accounts.iter().filter(|a| a.score.is_some()) {
            let id = a.account_id.as_str();
            // one more touchpoint, one more active day of an existing user
            let mut more = data.clone();
            more.touchpoints.push(cspulse_engine::model::Touchpoint {
                account_id: id.to_owned(),
                date: d("2026-03-31"),
            });
            if let Some(u) = more
                .usage
                .iter()
                .find(|u| u.account_id == id && m("2026-03").contains(u.date))
            {
                let mut u = u.clone();
                u.date = d("2026-03-31");
                more.usage.push(u);
            }
            let after = scores(&more, "2026-03");
            let (b, x) = (a.score.unwrap(), account(&after, id).score.unwrap());
            assert!(
                x >= b - 1e-9,
                "seed {seed}: more activity of {id} lowered {b} to {x}"
            );
        }
    }
}

#[test]
fn only_accounts_active_in_m_are_scored() {
    // accounts without revenue: E churned in February, L starts in April
    let data = Fx::new()
        .account_with("A", |a| a.start_date = Some(d("2025-01-01")))
        .account_with("E", |a| a.churn_date = Some(d("2026-02-10")))
        .account_with("L", |a| a.start_date = Some(d("2026-04-01")))
        .usage_days("A", "u1", "2026-03", &days(4))
        .usage_days("E", "u1", "2026-03", &days(4))
        .touch("A", "2026-03-03")
        .build();
    let r = scores(&data, "2026-03");
    let ids: Vec<&str> = r.accounts.iter().map(|a| a.account_id.as_str()).collect();
    assert_eq!(
        ids,
        vec!["A"],
        "E churned and L has not started: neither is scored"
    );
    // usage 4/20 = 20, engagement 1/3 = 33.33 → (25·20 + 10·33.33) / 35
    assert_close(
        account(&r, "A").score.unwrap(),
        (500.0 + 1000.0 / 3.0) / 35.0,
        "usage and engagement only",
    );
}
