//! Product usage KPIs (April 2026: 30 days).

use crate::fixture::*;

/// Accounts A (5 seats), B (2 seats), C (no seats), D (4 seats, no usage); no dates, so all
/// are active. April usage:
/// - A: u1 on Apr 1 (twice) and Apr 2; u2 on Apr 1
/// - B: u1 (a different person than A's u1), u2, u3 on Apr 3
/// - C: u9 on Apr 4
/// - A: u7 on Mar 31 (not April)
fn april() -> Fx {
    Fx::new()
        .account_with("A", |a| a.seats = Some(5))
        .account_with("B", |a| a.seats = Some(2))
        .account("C")
        .account_with("D", |a| a.seats = Some(4))
        .usage("A", "u1", "2026-04-01")
        .usage("A", "u1", "2026-04-01")
        .usage("A", "u1", "2026-04-02")
        .usage("A", "u2", "2026-04-01")
        .usage("B", "u1", "2026-04-03")
        .usage("B", "u2", "2026-04-03")
        .usage("B", "u3", "2026-04-03")
        .usage("C", "u9", "2026-04-04")
        .usage("A", "u7", "2026-03-31")
}

#[test]
fn mau_counts_distinct_account_user_pairs() {
    let r = kpis(&april().build(), "2026-04");
    // A{u1,u2} + B{u1,u2,u3} + C{u9}
    assert_ok(&r, "mau", 6.0, "u1 of A and u1 of B are different users");
}

#[test]
fn dau_averages_distinct_users_per_day_over_the_days_of_the_month() {
    let r = kpis(&april().build(), "2026-04");
    // Apr 1: 2, Apr 2: 1, Apr 3: 3, Apr 4: 1 → 7 / 30 days
    assert_ok(&r, "dau", 7.0 / 30.0, "Σ daily distinct users / 30");
    // dau / mau × 100
    assert_ok(&r, "stickiness", 7.0 / 30.0 / 6.0 * 100.0, "DAU over MAU");
}

#[test]
fn user_adoption_caps_users_at_seats_and_skips_accounts_without_seats() {
    let r = kpis(&april().build(), "2026-04");
    // A min(2,5)=2, B min(3,2)=2, D min(0,4)=0, C no seats → 4 / 11
    assert_ok(
        &r,
        "user_adoption",
        400.0 / 11.0,
        "Σ min(users, seats) / Σ seats",
    );
}

#[test]
fn product_usage_rate_is_the_share_of_active_accounts_with_usage() {
    let r = kpis(&april().build(), "2026-04");
    assert_ok(
        &r,
        "product_usage_rate",
        75.0,
        "A, B, C of A, B, C, D used the product",
    );
}

#[test]
fn feature_adoption_is_the_mean_share_of_all_features_used_in_m() {
    let data = Fx::new()
        .account("A")
        .account("B")
        .account("C")
        .account("D")
        .feature("A", "u1", "2026-04-01", "f1")
        .feature("A", "u1", "2026-04-02", "f2")
        .feature("A", "u2", "2026-04-02", "f2")
        .feature("B", "u1", "2026-04-03", "f2")
        .feature("B", "u1", "2026-04-03", "f3")
        .usage("C", "u1", "2026-04-03") // no feature
        .feature("D", "u1", "2026-03-03", "f4") // March: not an April feature
        .build();
    let r = kpis(&data, "2026-04");
    // all features {f1, f2, f3}: A 2/3, B 2/3, C 0, D 0 → mean 1/3
    assert_ok(
        &r,
        "feature_adoption",
        100.0 / 3.0,
        "mean over active accounts",
    );
}

#[test]
fn avg_session_minutes_divides_seconds_by_sessions_counting_one_per_row_when_unmapped() {
    let data = Fx::new()
        .account("A")
        .usage_with("A", "u1", "2026-04-01", |u| {
            u.sessions = Some(2);
            u.session_seconds = Some(600.0);
        })
        .usage_with("A", "u2", "2026-04-02", |u| u.session_seconds = Some(300.0))
        .build();
    // 900 s / 3 sessions / 60
    assert_ok(
        &kpis(&data, "2026-04"),
        "avg_session_minutes",
        5.0,
        "Σ seconds / Σ sessions",
    );
}

#[test]
fn usage_kpis_are_no_data_without_usage_rows_in_m() {
    let none = april().build();
    let mut none = none;
    none.usage.clear();
    let none = none.with_coverage_from_rows();
    // usage in March and May only: April is inside the coverage but has no rows
    let gap = Fx::new()
        .account_with("A", |a| a.seats = Some(3))
        .usage("A", "u1", "2026-03-10")
        .usage("A", "u1", "2026-05-10")
        .build();
    for (data, why) in [
        (&none, "no usage dataset"),
        (&gap, "no usage rows in April"),
    ] {
        let r = kpis(data, "2026-04");
        for id in [
            "mau",
            "dau",
            "stickiness",
            "avg_session_minutes",
            "user_adoption",
            "feature_adoption",
            "product_usage_rate",
        ] {
            assert_no_data(&r, id, "usage", why);
        }
    }
}

#[test]
fn user_adoption_is_no_data_without_seats() {
    let data = Fx::new()
        .account("A")
        .usage("A", "u1", "2026-04-01")
        .build();
    assert_no_data(
        &kpis(&data, "2026-04"),
        "user_adoption",
        "accounts.seats",
        "no account has seats",
    );
}

#[test]
fn feature_adoption_is_no_data_without_features() {
    let r = kpis(&april().build(), "2026-04");
    assert_no_data(
        &r,
        "feature_adoption",
        "usage.feature",
        "no usage row has a feature",
    );
}

#[test]
fn avg_session_minutes_is_no_data_without_session_durations() {
    let r = kpis(&april().build(), "2026-04");
    assert_no_data(
        &r,
        "avg_session_minutes",
        "usage.session_seconds",
        "no durations",
    );
}

#[test]
fn user_adoption_and_usage_rate_are_undefined_without_active_accounts() {
    // revenue covers Mar..May with no April rows: nobody is active in April
    let data = Fx::new()
        .account_with("A", |a| a.seats = Some(3))
        .revenue("A", "2026-03", 100.0)
        .revenue("A", "2026-05", 100.0)
        .feature("A", "u1", "2026-04-02", "f1")
        .build();
    let r = kpis(&data, "2026-04");
    assert_ok(&r, "mau", 1.0, "usage itself is counted");
    assert_undefined(&r, "user_adoption", "no active account with seats");
    assert_undefined(&r, "product_usage_rate", "no active account");
    assert_undefined(&r, "feature_adoption", "mean over no active account");
}
