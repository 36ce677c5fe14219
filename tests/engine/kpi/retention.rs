//! Revenue & retention KPIs (`kpis.md`, "Customer activity" and "Revenue & retention").

use crate::fixture::*;
use cspulse_engine::model::Outcome;

/// Revenue Dec 2025..Mar 2026, M = 2026-03:
/// - A: Feb 100 → Mar 120 (expansion 20)
/// - B: Feb 200 → Mar 150 (contraction 50)
/// - C: Feb 80 → Mar none (churned 80)
/// - D: Mar 40 only (new)
/// - E: Dec 60, then nothing until Mar 70 (reactivated: active before M−1)
/// - F: Feb 50 → Mar 30 + 30 in two rows, summed to 60 (expansion 10)
/// - G: a Mar row of 0 (not active)
///
/// mrr(M) = 120+150+40+70+60 = 440; mrr(M−1) = 100+200+80+50 = 430.
fn movements() -> Fx {
    Fx::new()
        .revenue("A", "2026-02", 100.0)
        .revenue("A", "2026-03", 120.0)
        .revenue("B", "2026-02", 200.0)
        .revenue("B", "2026-03", 150.0)
        .revenue("C", "2026-02", 80.0)
        .revenue("D", "2026-03", 40.0)
        .revenue("E", "2025-12", 60.0)
        .revenue("E", "2026-03", 70.0)
        .revenue("F", "2026-02", 50.0)
        .revenue("F", "2026-03", 30.0)
        .revenue("F", "2026-03", 30.0)
        .revenue("G", "2026-03", 0.0)
}

#[test]
fn mrr_sums_the_revenue_rows_of_the_month() {
    let r = kpis(&movements().build(), "2026-03");
    // 120 + 150 + 40 + 70 + (30 + 30) + 0
    assert_ok(&r, "mrr", 440.0, "MRR is the sum of all revenue rows of M");
}

#[test]
fn mrr_movements_split_into_new_reactivation_expansion_contraction_and_churn() {
    let r = kpis(&movements().build(), "2026-03");
    assert_ok(&r, "mrr_new", 40.0, "only D was never active before");
    assert_ok(
        &r,
        "mrr_reactivation",
        70.0,
        "E was active in Dec, not in Feb",
    );
    // A +20, F +10 (its two March rows are summed to 60 before comparing with 50)
    assert_ok(&r, "mrr_expansion", 30.0, "A and F grew");
    assert_ok(&r, "mrr_contraction", 50.0, "B shrank from 200 to 150");
    assert_ok(&r, "mrr_churned", 80.0, "C's February MRR is lost");
}

#[test]
fn mrr_growth_compares_with_the_month_before() {
    let r = kpis(&movements().build(), "2026-03");
    // (440 − 430) / 430 × 100
    assert_ok(
        &r,
        "mrr_growth",
        10.0 / 430.0 * 100.0,
        "growth in percent of M−1",
    );
}

#[test]
fn customer_counts_follow_activity_from_revenue() {
    let r = kpis(&movements().build(), "2026-03");
    assert_ok(
        &r,
        "customers",
        5.0,
        "A, B, D, E, F have MRR > 0; G's 0 row is not activity",
    );
    assert_ok(
        &r,
        "customers_new",
        1.0,
        "D is new; E is reactivated, not new",
    );
    assert_ok(&r, "customers_churned", 1.0, "C churned");
    // 1 churned of 4 active in Feb (A, B, C, F)
    assert_ok(&r, "logo_churn_rate", 25.0, "churned over active at start");
}

#[test]
fn revenue_churn_ndr_grr_arpa_and_quick_ratio_by_hand() {
    let r = kpis(&movements().build(), "2026-03");
    // (80 + 50) / 430
    assert_ok(
        &r,
        "revenue_churn_rate",
        130.0 / 430.0 * 100.0,
        "churn + contraction over mrr(M−1)",
    );
    // (430 + 30 − 50 − 80) / 430: new and reactivated MRR excluded
    assert_ok(
        &r,
        "ndr",
        330.0 / 430.0 * 100.0,
        "NDR excludes new and reactivation",
    );
    // (430 − 50 − 80) / 430
    assert_ok(&r, "grr", 300.0 / 430.0 * 100.0, "GRR without expansion");
    // 440 / 5
    assert_ok(&r, "arpa", 88.0, "ARPA = MRR per active account");
    // (40 + 70 + 30) / (50 + 80)
    assert_ok(&r, "quick_ratio", 140.0 / 130.0, "gains over losses");
}

#[test]
fn reactivation_needs_activity_before_the_previous_month() {
    // X: Jan 50, Feb nothing, Mar 60 → reactivated; Y: only Mar → new. Jan..Mar covered.
    let data = Fx::new()
        .revenue("X", "2026-01", 50.0)
        .revenue("X", "2026-03", 60.0)
        .revenue("Y", "2026-03", 25.0)
        .build();
    let r = kpis(&data, "2026-03");
    assert_ok(&r, "mrr_reactivation", 60.0, "X was active in Jan (M−2)");
    assert_ok(&r, "mrr_new", 25.0, "Y was never active before");
    assert_ok(&r, "customers_new", 1.0, "a reactivated account is not new");
    assert_ok(&r, "mrr_churned", 0.0, "nobody was active in Feb");
}

#[test]
fn several_revenue_rows_of_one_account_and_month_are_summed() {
    // Feb: 40 + 60 = 100; Mar: 100 in one row → no movement at all
    let data = Fx::new()
        .revenue("A", "2026-02", 40.0)
        .revenue("A", "2026-02", 60.0)
        .revenue("A", "2026-03", 100.0)
        .build();
    let r = kpis(&data, "2026-03");
    assert_ok(&r, "mrr", 100.0, "one row in March");
    assert_ok(&r, "mrr_expansion", 0.0, "Feb rows sum to the same 100");
    assert_ok(&r, "mrr_contraction", 0.0, "Feb rows sum to the same 100");
    assert_ok(&r, "ndr", 100.0, "flat MRR is 100 % NDR");
    assert_undefined(
        &r,
        "quick_ratio",
        "no contraction and no churn: division by zero",
    );
}

#[test]
fn a_month_inside_revenue_coverage_without_rows_is_a_real_zero() {
    // coverage Jan..Mar; no rows in Feb
    let data = Fx::new()
        .revenue("A", "2026-01", 100.0)
        .revenue("B", "2026-03", 50.0)
        .build();
    let r = kpis(&data, "2026-02");
    assert_ok(
        &r,
        "mrr",
        0.0,
        "February is covered, so its MRR is 0, not unknown",
    );
    assert_ok(&r, "customers", 0.0, "nobody is active in February");
    assert_ok(&r, "mrr_churned", 100.0, "A churned in February");
    assert_undefined(&r, "arpa", "no customers: MRR per account divides by zero");
}

#[test]
fn churn_rates_and_ndr_are_undefined_without_customers_last_month() {
    // Feb is covered (Jan..Mar) but has no rows: nobody active at the start of March
    let data = Fx::new()
        .revenue("A", "2026-01", 100.0)
        .revenue("B", "2026-03", 50.0)
        .build();
    let r = kpis(&data, "2026-03");
    assert_undefined(&r, "logo_churn_rate", "no customers in M−1");
    assert_undefined(&r, "mrr_growth", "mrr(M−1) = 0");
    assert_undefined(&r, "revenue_churn_rate", "mrr(M−1) = 0");
    assert_undefined(&r, "ndr", "mrr(M−1) = 0");
    assert_undefined(&r, "grr", "mrr(M−1) = 0");
    assert_undefined(&r, "quick_ratio", "no contraction or churn");
    assert_ok(&r, "mrr_new", 50.0, "B is new in March");
}

#[test]
fn logo_churn_rate_is_undefined_without_customers_last_month() {
    let data = Fx::new()
        .revenue("A", "2026-01", 100.0)
        .revenue("B", "2026-03", 50.0)
        .build();
    let r = kpis(&data, "2026-03");
    assert_undefined(&r, "logo_churn_rate", "0 churned of 0 active at start");
    assert_ok(&r, "customers_churned", 0.0, "the count itself is a real 0");
}

#[test]
fn revenue_kpis_are_no_data_without_revenue_or_accounts() {
    let data = Fx::new().nps(None, "2026-03-10", 9).build();
    let r = kpis(&data, "2026-03");
    for id in [
        "mrr",
        "mrr_new",
        "mrr_reactivation",
        "mrr_expansion",
        "mrr_contraction",
        "mrr_churned",
        "mrr_growth",
        "customers",
        "customers_new",
        "customers_churned",
        "logo_churn_rate",
        "revenue_churn_rate",
        "ndr",
        "grr",
        "ndr_12m",
        "arpa",
        "quick_ratio",
        "clv",
    ] {
        assert_no_data(
            &r,
            id,
            "revenue",
            "neither revenue nor accounts were imported",
        );
    }
    assert_no_data(
        &r,
        "renewal_rate",
        "renewals",
        "no renewals and no renewal dates",
    );
}

#[test]
fn revenue_kpis_are_no_data_outside_the_revenue_coverage() {
    // revenue covers Jan..Mar 2026 only
    let data = Fx::new()
        .mrr_series("A", "2026-01", &[100.0, 100.0, 100.0])
        .build();
    let r = kpis(&data, "2026-05");
    assert_no_data(&r, "mrr", "revenue", "May is after the last revenue month");
    assert_no_data(
        &r,
        "customers",
        "revenue",
        "activity is unknown after the data",
    );
    assert_no_data(
        &r,
        "logo_churn_rate",
        "revenue",
        "activity is unknown after the data",
    );
    let r = kpis(&data, "2025-11");
    assert_no_data(
        &r,
        "mrr",
        "revenue",
        "November is before the first revenue month",
    );
}

#[test]
fn movements_are_no_data_in_the_first_month_of_revenue() {
    // Jan is the first covered month: M−1 is unknown, so churn cannot be told
    let data = Fx::new()
        .mrr_series("A", "2026-01", &[100.0, 120.0])
        .build();
    let r = kpis(&data, "2026-01");
    assert_ok(&r, "mrr", 100.0, "January's own MRR is known");
    assert_ok(&r, "customers", 1.0, "January's own activity is known");
    assert_no_data(
        &r,
        "mrr_churned",
        "revenue.previous_month",
        "December is outside the data",
    );
    assert_no_data(
        &r,
        "logo_churn_rate",
        "revenue.previous_month",
        "December is outside the data",
    );
    assert_no_data(
        &r,
        "ndr",
        "revenue.previous_month",
        "December is outside the data",
    );
}

/// Accounts only (no revenue dataset), M = 2026-03:
/// - A: since 2025-01-10, MRR 100 → active
/// - B: 2025-06-01 .. churn 2026-03-15, MRR 200 → churned in March
/// - C: start 2026-03-05, MRR 50 → new
/// - D: no start date, MRR 300 → active in every month
/// - E: churned 2026-02-10, MRR 70 → neither in Feb nor in Mar
/// - F: start 2026-03-31 (last day of M), MRR 20 → new (start ≤ last day)
/// - G: churn 2026-03-31, MRR 10 → churned in March (churn_date must be > last day)
fn accounts_only() -> Fx {
    Fx::new()
        .account_dates("A", "2025-01-10", None, Some(100.0))
        .account_dates("B", "2025-06-01", Some("2026-03-15"), Some(200.0))
        .account_dates("C", "2026-03-05", None, Some(50.0))
        .account_with("D", |a| a.mrr = Some(300.0))
        .account_dates("E", "2025-02-01", Some("2026-02-10"), Some(70.0))
        .account_dates("F", "2026-03-31", None, Some(20.0))
        .account_dates("G", "2025-01-01", Some("2026-03-31"), Some(10.0))
}

#[test]
fn without_revenue_activity_comes_from_start_and_churn_dates() {
    let r = kpis(&accounts_only().build(), "2026-03");
    assert_ok(&r, "customers", 4.0, "A, C, D, F are active in March");
    assert_ok(&r, "customers_new", 2.0, "C and F started in March");
    assert_ok(&r, "customers_churned", 2.0, "B and G churned within March");
    // Feb active: A, B, D, G
    assert_ok(&r, "logo_churn_rate", 50.0, "2 of 4 active at start");
}

#[test]
fn without_revenue_accounts_mrr_is_constant_over_active_months() {
    let r = kpis(&accounts_only().build(), "2026-03");
    // A 100 + C 50 + D 300 + F 20
    assert_ok(&r, "mrr", 470.0, "accounts.mrr of the accounts active in M");
    assert_ok(&r, "mrr_new", 70.0, "C 50 + F 20");
    assert_ok(&r, "mrr_churned", 210.0, "B 200 + G 10");
    assert_ok(&r, "mrr_expansion", 0.0, "constant MRR never expands");
    assert_ok(&r, "mrr_contraction", 0.0, "constant MRR never contracts");
    // Feb: A 100 + B 200 + D 300 + G 10 = 610
    assert_ok(
        &r,
        "mrr_growth",
        (470.0 - 610.0) / 610.0 * 100.0,
        "against Feb 610",
    );
    assert_ok(&r, "ndr", 400.0 / 610.0 * 100.0, "(610 − 210) / 610");
    assert_ok(&r, "arpa", 470.0 / 4.0, "MRR per active account");
}

#[test]
fn without_revenue_or_accounts_mrr_the_mrr_kpis_are_no_data_but_counts_are_ok() {
    let data = Fx::new()
        .account_dates("A", "2025-01-10", None, None)
        .account_dates("B", "2026-03-02", None, None)
        .build();
    let r = kpis(&data, "2026-03");
    assert_ok(&r, "customers", 2.0, "activity from dates needs no MRR");
    assert_ok(&r, "customers_new", 1.0, "B started in March");
    assert_no_data(&r, "mrr", "revenue", "no revenue and no accounts.mrr");
    assert_no_data(&r, "arpa", "revenue", "no MRR to divide");
    assert_no_data(&r, "ndr", "revenue", "no MRR");
}

#[test]
fn ndr_12m_follows_the_accounts_active_twelve_months_ago() {
    // M−12 = 2025-03: A 100, B 200 active. M = 2026-03: A 150, B gone, C new 500.
    let data = Fx::new()
        .revenue("A", "2025-03", 100.0)
        .revenue("B", "2025-03", 200.0)
        .revenue("A", "2026-03", 150.0)
        .revenue("C", "2026-03", 500.0)
        .build();
    let r = kpis(&data, "2026-03");
    // (150 + 0) / (100 + 200) × 100; C is not in the cohort
    assert_ok(&r, "ndr_12m", 50.0, "cohort of M−12 only");
}

#[test]
fn ndr_12m_is_no_data_when_twelve_months_ago_is_not_covered() {
    let data = Fx::new().mrr_series("A", "2025-06", &[100.0; 10]).build();
    let r = kpis(&data, "2026-03");
    assert_no_data(
        &r,
        "ndr_12m",
        "revenue",
        "2025-03 is before the revenue data",
    );
}

#[test]
fn ndr_12m_is_undefined_without_customers_twelve_months_ago() {
    // coverage 2025-02..2026-03; nobody in 2025-03
    let data = Fx::new()
        .revenue("A", "2025-02", 100.0)
        .revenue("A", "2026-03", 100.0)
        .build();
    let r = kpis(&data, "2026-03");
    assert_undefined(&r, "ndr_12m", "Σ MRR(M−12) = 0");
}

#[test]
fn renewal_rate_from_the_renewals_dataset_ignores_open_renewals() {
    let data = Fx::new()
        .renewal("A", "2026-03-10", Outcome::Renewed)
        .renewal("B", "2026-03-20", Outcome::Churned)
        .renewal("C", "2026-03-25", Outcome::Open)
        .renewal("D", "2026-04-02", Outcome::Renewed)
        .renewal("E", "2026-02-27", Outcome::Renewed)
        .build();
    let r = kpis(&data, "2026-03");
    // due in March and decided: A renewed, B churned → 1 / 2
    assert_ok(
        &r,
        "renewal_rate",
        50.0,
        "renewed over renewed + churned, due in M",
    );
}

#[test]
fn renewal_rate_is_undefined_when_only_open_renewals_are_due() {
    let data = Fx::new()
        .renewal("A", "2026-02-10", Outcome::Renewed)
        .renewal("B", "2026-03-20", Outcome::Open)
        .renewal("C", "2026-04-20", Outcome::Churned)
        .build();
    let r = kpis(&data, "2026-03");
    assert_undefined(&r, "renewal_rate", "no decided renewal due in March");
}

#[test]
fn renewal_rate_is_no_data_outside_the_renewals_coverage() {
    let data = Fx::new()
        .renewal("A", "2026-03-10", Outcome::Renewed)
        .build();
    let r = kpis(&data, "2026-06");
    assert_no_data(
        &r,
        "renewal_rate",
        "renewals",
        "June is after the renewals data",
    );
}

#[test]
fn renewal_rate_falls_back_to_accounts_renewal_dates() {
    let data = Fx::new()
        // renewed: no churn date
        .account_with("A", |a| a.renewal_date = Some(d("2026-03-10")))
        // churned: churn on the renewal date is not after it
        .account_with("B", |a| {
            a.renewal_date = Some(d("2026-03-15"));
            a.churn_date = Some(d("2026-03-15"));
        })
        // renewed: churns only later
        .account_with("C", |a| {
            a.renewal_date = Some(d("2026-03-20"));
            a.churn_date = Some(d("2026-05-01"));
        })
        // not due in March
        .account_with("D", |a| a.renewal_date = Some(d("2026-04-01")))
        .build();
    let r = kpis(&data, "2026-03");
    assert_ok(
        &r,
        "renewal_rate",
        200.0 / 3.0,
        "A and C of A, B, C renewed",
    );
}

#[test]
fn renewal_rate_from_accounts_is_undefined_without_renewals_due() {
    let data = Fx::new()
        .account_with("A", |a| a.renewal_date = Some(d("2026-04-10")))
        .build();
    let r = kpis(&data, "2026-03");
    assert_undefined(&r, "renewal_rate", "nobody's renewal date is in March");
}

#[test]
fn renewal_rate_is_no_data_without_renewals_or_renewal_dates() {
    let data = accounts_only().build();
    let r = kpis(&data, "2026-03");
    assert_no_data(
        &r,
        "renewal_rate",
        "renewals",
        "no renewals dataset, no renewal_date",
    );
}

/// Revenue Jan..Mar 2026 (100 each while active):
/// A, B: Jan–Mar; C: Jan–Feb; D: Jan; E: Mar only.
/// Feb: 1 churned (D) of 4 at start; Mar: 1 churned (C) of 3 at start; Jan is skipped
/// (December is outside the data). c = 2 / 7. arpa(Mar) = 300 / 3 = 100.
pub(crate) fn churning() -> Fx {
    Fx::new()
        .mrr_series("A", "2026-01", &[100.0, 100.0, 100.0])
        .mrr_series("B", "2026-01", &[100.0, 100.0, 100.0])
        .mrr_series("C", "2026-01", &[100.0, 100.0])
        .revenue("D", "2026-01", 100.0)
        .revenue("E", "2026-03", 100.0)
}

#[test]
fn clv_divides_arpa_by_the_twelve_month_churn_rate() {
    let r = kpis(&churning().build(), "2026-03");
    // 100 × 1.0 / (2/7)
    assert_ok(&r, "clv", 350.0, "arpa × gross margin / c");
}

#[test]
fn clv_uses_the_gross_margin_setting() {
    let s = settings(&[("gross_margin", "0.8")]);
    let r = kpis_with(&churning().build(), "2026-03", &s);
    // 100 × 0.8 / (2/7)
    assert_ok(&r, "clv", 280.0, "gross margin 80 %");
}

#[test]
fn clv_is_undefined_without_churn() {
    let data = Fx::new()
        .mrr_series("A", "2026-01", &[100.0, 100.0, 100.0])
        .mrr_series("B", "2026-01", &[50.0, 60.0, 70.0])
        .build();
    let r = kpis(&data, "2026-03");
    assert_undefined(&r, "clv", "c = 0: nobody churned in 12 months");
}

#[test]
fn clv_is_no_data_without_revenue_or_accounts() {
    let data = Fx::new().order("A", "2026-03-01", 10.0).build();
    let r = kpis(&data, "2026-03");
    assert_no_data(&r, "clv", "revenue", "no subscription data at all");
}

#[test]
fn accounts_without_start_date_are_active_before_the_earliest_known_start() {
    // A has no start date: "counts as started before any data", so it is a customer in
    // March even though the only known start date (L) is in April.
    let data = Fx::new()
        .account_with("A", |a| a.mrr = Some(100.0))
        .account_with("L", |a| {
            a.start_date = Some(d("2026-04-01"));
            a.mrr = Some(50.0);
        })
        .build();
    let r = kpis(&data, "2026-03");
    assert_ok(
        &r,
        "customers",
        1.0,
        "A without start date is active in March",
    );
    assert_ok(&r, "mrr", 100.0, "A's accounts.mrr in March");
    let r = kpis(&data, "2026-04");
    assert_ok(&r, "customers_new", 1.0, "L starts in April");
    assert_ok(&r, "mrr_new", 50.0, "L's MRR is new in April");
}
