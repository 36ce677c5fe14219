//! Conversion & onboarding, costs and orders.

use super::retention::churning;
use crate::fixture::*;
use cspulse_engine::model::CostType;

#[test]
fn conversion_rate_counts_leads_created_in_m_that_converted() {
    let data = Fx::new()
        .lead("2026-03-01", Some("2026-03-10"), false)
        .lead("2026-03-02", None, false)
        .lead("2026-03-03", Some("2026-04-20"), true) // converted later: still converted
        .lead("2026-03-04", None, true)
        .lead("2026-03-31", None, true)
        .lead("2026-02-27", Some("2026-03-02"), false) // created in February
        .build();
    let r = kpis(&data, "2026-03");
    assert_ok(&r, "conversion_rate", 40.0, "2 of 5 March leads converted");
    assert_ok(
        &r,
        "free_to_paid_rate",
        100.0 / 3.0,
        "1 of 3 March trials converted",
    );
}

#[test]
fn free_to_paid_rate_is_undefined_without_trials_in_m() {
    let data = Fx::new()
        .lead("2026-03-01", Some("2026-03-10"), false)
        .lead("2026-02-01", None, true)
        .build();
    let r = kpis(&data, "2026-03");
    assert_ok(&r, "conversion_rate", 100.0, "the one lead converted");
    assert_undefined(&r, "free_to_paid_rate", "no trial created in March");
}

#[test]
fn conversion_rate_is_undefined_without_leads_in_a_covered_month() {
    let data = Fx::new()
        .lead("2026-02-01", None, false)
        .lead("2026-04-01", None, true)
        .build();
    let r = kpis(&data, "2026-03");
    assert_undefined(&r, "conversion_rate", "no lead created in March");
    assert_undefined(&r, "free_to_paid_rate", "no trial created in March");
}

#[test]
fn lead_kpis_are_no_data_without_leads_or_outside_coverage() {
    let none = Fx::new().account("A").build();
    let covered = Fx::new().lead("2026-01-01", None, true).build();
    for (data, why) in [
        (&none, "no leads dataset"),
        (&covered, "March is after the last lead"),
    ] {
        let r = kpis(data, "2026-03");
        assert_no_data(&r, "conversion_rate", "leads", why);
        assert_no_data(&r, "free_to_paid_rate", "leads", why);
    }
}

/// M = 2026-03, M−1 = February:
/// - A start Feb 1, onboarded Mar 3 (30 days: within)
/// - B start Feb 10, onboarded Mar 14 (32 days: too late)
/// - C start Feb 20, not onboarded
/// - D start Feb 28, onboarded Mar 10 (10 days)
/// - E start Jan 15, onboarded Mar 1 (45 days; not a February start)
/// - F start Mar 1, onboarded Mar 5 (4 days)
fn onboarding() -> Fx {
    let acc = |fx: Fx, id: &str, start: &str, onboarded: Option<&str>| {
        fx.account_with(id, |a| {
            a.start_date = Some(d(start));
            a.onboarded_date = onboarded.map(d);
        })
    };
    let fx = Fx::new();
    let fx = acc(fx, "A", "2026-02-01", Some("2026-03-03"));
    let fx = acc(fx, "B", "2026-02-10", Some("2026-03-14"));
    let fx = acc(fx, "C", "2026-02-20", None);
    let fx = acc(fx, "D", "2026-02-28", Some("2026-03-10"));
    let fx = acc(fx, "E", "2026-01-15", Some("2026-03-01"));
    acc(fx, "F", "2026-03-01", Some("2026-03-05"))
}

#[test]
fn onboarding_completion_rate_counts_february_starts_onboarded_within_30_days() {
    let r = kpis(&onboarding().build(), "2026-03");
    assert_ok(
        &r,
        "onboarding_completion_rate",
        50.0,
        "A and D of A, B, C, D",
    );
}

#[test]
fn time_to_onboard_days_is_the_median_over_accounts_onboarded_in_m() {
    let r = kpis(&onboarding().build(), "2026-03");
    // A 30, B 32, D 10, E 45, F 4 → sorted 4, 10, 30, 32, 45
    assert_ok(&r, "time_to_onboard_days", 30.0, "middle of five");
    let mut data = onboarding().build();
    data.accounts.retain(|a| a.account_id != "E");
    // 4, 10, 30, 32 → (10 + 30) / 2
    assert_ok(
        &kpis(&data, "2026-03"),
        "time_to_onboard_days",
        20.0,
        "even count: mean of middle two",
    );
}

#[test]
fn onboarding_kpis_are_undefined_without_starts_or_onboardings() {
    let r = kpis(&onboarding().build(), "2026-06");
    assert_undefined(&r, "onboarding_completion_rate", "nobody started in May");
    assert_undefined(&r, "time_to_onboard_days", "nobody onboarded in June");
}

#[test]
fn onboarding_kpis_are_no_data_without_accounts_or_onboarded_dates() {
    let none = Fx::new().revenue("A", "2026-03", 10.0).build();
    let r = kpis(&none, "2026-03");
    assert_no_data(
        &r,
        "onboarding_completion_rate",
        "accounts",
        "no accounts dataset",
    );
    assert_no_data(
        &r,
        "time_to_onboard_days",
        "accounts",
        "no accounts dataset",
    );
    let no_field = Fx::new()
        .account_dates("A", "2026-02-03", None, None)
        .build();
    let r = kpis(&no_field, "2026-03");
    assert_no_data(
        &r,
        "onboarding_completion_rate",
        "accounts.onboarded_date",
        "no onboarded dates",
    );
    assert_no_data(
        &r,
        "time_to_onboard_days",
        "accounts.onboarded_date",
        "no onboarded dates",
    );
}

#[test]
fn crc_and_cac_divide_costs_by_customers_and_new_customers() {
    // churning(): March customers A, B, E (3); new: E (1); clv = 350
    let data = churning()
        .cost("2026-03", CostType::Retention, 400.0)
        .cost("2026-03", CostType::Retention, 200.0)
        .cost("2026-03", CostType::Acquisition, 700.0)
        .cost("2026-02", CostType::Acquisition, 9999.0)
        .build();
    let r = kpis(&data, "2026-03");
    assert_ok(&r, "crc", 200.0, "600 retention cost / 3 customers");
    assert_ok(&r, "cac", 700.0, "700 acquisition cost / 1 new customer");
    assert_ok(&r, "ltv_cac", 0.5, "clv 350 / cac 700");
}

#[test]
fn costs_inside_coverage_without_rows_are_a_real_zero() {
    let data = churning()
        .cost("2026-01", CostType::Retention, 10.0)
        .cost("2026-04", CostType::Acquisition, 10.0)
        .build();
    let r = kpis(&data, "2026-03");
    assert_ok(&r, "crc", 0.0, "no retention cost in a covered month is 0");
    assert_ok(
        &r,
        "cac",
        0.0,
        "no acquisition cost in a covered month is 0",
    );
}

#[test]
fn cac_is_undefined_without_new_customers() {
    // February of churning(): nobody new (A, B, C continue; D churned)
    let data = churning()
        .cost("2026-02", CostType::Acquisition, 500.0)
        .build();
    let r = kpis(&data, "2026-02");
    assert_undefined(&r, "cac", "500 / 0 new customers");
    assert_undefined(&r, "ltv_cac", "cac is undefined");
}

#[test]
fn ltv_cac_is_undefined_when_clv_is_undefined() {
    // no churn at all: clv undefined
    let data = Fx::new()
        .mrr_series("A", "2026-01", &[100.0, 100.0, 100.0])
        .revenue("B", "2026-03", 100.0)
        .cost("2026-03", CostType::Acquisition, 300.0)
        .build();
    let r = kpis(&data, "2026-03");
    assert_ok(&r, "cac", 300.0, "B is new");
    assert_undefined(&r, "ltv_cac", "clv has c = 0");
}

#[test]
fn crc_is_undefined_without_customers() {
    let data = Fx::new()
        .revenue("A", "2026-01", 100.0)
        .revenue("A", "2026-04", 100.0)
        .cost("2026-03", CostType::Retention, 50.0)
        .build();
    assert_undefined(&kpis(&data, "2026-03"), "crc", "no customer in March");
}

#[test]
fn cost_kpis_are_no_data_without_costs_or_outside_coverage() {
    let none = churning().build();
    let covered = churning()
        .cost("2026-01", CostType::Retention, 10.0)
        .build();
    for (data, why) in [
        (&none, "no costs dataset"),
        (&covered, "March is after the last cost month"),
    ] {
        let r = kpis(data, "2026-03");
        for id in ["crc", "cac", "ltv_cac"] {
            assert_no_data(&r, id, "costs", why);
        }
    }
}

/// Orders, M = 2026-03, window 2025-04-01..2026-03-31:
/// - A: Mar 5 100, Mar 20 50, 2025-10-01 150
/// - B: Mar 10 200
/// - C: 2025-04-01 60 (first day of the window), 2025-03-31 999 (outside)
/// - D: 2026-01-15 40
fn orders() -> Fx {
    Fx::new()
        .order("A", "2026-03-05", 100.0)
        .order("A", "2026-03-20", 50.0)
        .order("A", "2025-10-01", 150.0)
        .order("B", "2026-03-10", 200.0)
        .order("C", "2025-04-01", 60.0)
        .order("C", "2025-03-31", 999.0)
        .order("D", "2026-01-15", 40.0)
}

#[test]
fn aov_is_the_mean_amount_of_orders_in_m() {
    let r = kpis(&orders().build(), "2026-03");
    assert_ok(&r, "aov", 350.0 / 3.0, "(100 + 50 + 200) / 3");
}

#[test]
fn purchase_frequency_and_repeat_rate_use_the_last_twelve_months() {
    let r = kpis(&orders().build(), "2026-03");
    // 6 orders (A 3, B 1, C 1, D 1) over 4 accounts
    assert_ok(&r, "purchase_frequency", 1.5, "orders per ordering account");
    assert_ok(
        &r,
        "repeat_purchase_rate",
        25.0,
        "only A ordered twice or more",
    );
}

#[test]
fn clv_orders_uses_the_lifetime_setting_without_subscription_data() {
    let r = kpis(&orders().build(), "2026-03");
    // (600 / 6) × 1.5 × 3 years
    assert_ok(&r, "clv_orders", 450.0, "default lifetime 3 years");
    let s = settings(&[("lifetime_years", "2")]);
    let r = kpis_with(&orders().build(), "2026-03", &s);
    assert_ok(&r, "clv_orders", 300.0, "lifetime setting 2 years");
}

#[test]
fn clv_orders_uses_the_lifetime_from_churn_with_subscription_data() {
    // churning(): c = 2/7 per month → lifetime 1 / (12 × 2/7) = 7/24 years
    let mut fx = churning();
    fx.data.orders = orders().data.orders;
    let r = kpis(&fx.build(), "2026-03");
    // 100 × 1.5 × 7/24
    assert_ok(
        &r,
        "clv_orders",
        150.0 * 7.0 / 24.0,
        "lifetime from the churn rate",
    );
}

#[test]
fn order_kpis_are_undefined_without_orders_in_a_covered_window() {
    // covered 2024-01..2026-06, nothing in 2025-04..2026-03
    let data = Fx::new()
        .order("A", "2024-01-10", 10.0)
        .order("A", "2026-06-10", 10.0)
        .build();
    let r = kpis(&data, "2026-03");
    assert_undefined(&r, "aov", "no order in March");
    assert_undefined(&r, "purchase_frequency", "no ordering account in 12 months");
    assert_undefined(
        &r,
        "repeat_purchase_rate",
        "no ordering account in 12 months",
    );
    assert_undefined(&r, "clv_orders", "no order in 12 months");
}

#[test]
fn order_kpis_are_no_data_without_orders_or_outside_coverage() {
    let none = Fx::new().account("A").build();
    let covered = orders().build();
    for (data, month, why) in [
        (&none, "2026-03", "no orders dataset"),
        (&covered, "2026-05", "May is after the last order"),
    ] {
        let r = kpis(data, month);
        for id in [
            "aov",
            "purchase_frequency",
            "repeat_purchase_rate",
            "clv_orders",
        ] {
            assert_no_data(&r, id, "orders", why);
        }
    }
}
