//! Engagement KPIs: touchpoints and contact coverage; email, web, social and event figures.

use crate::fixture::*;
use cspulse_engine::model::Channel;

/// Accounts A–D active (no dates), E churned 2026-02-01. M = 2026-03, window Jan 1..Mar 31.
/// - A: Mar 5, Mar 20
/// - B: 2026-01-01 (exactly 89 days before Mar 31: inside)
/// - C: 2025-12-31 (90 days before: outside)
/// - D: none
/// - E: Mar 10 (counts as a touchpoint, but E is not a customer)
fn touches() -> Fx {
    Fx::new()
        .account("A")
        .account("B")
        .account("C")
        .account("D")
        .account_with("E", |a| a.churn_date = Some(d("2026-02-01")))
        .touch("A", "2026-03-05")
        .touch("A", "2026-03-20")
        .touch("B", "2026-01-01")
        .touch("C", "2025-12-31")
        .touch("E", "2026-03-10")
}

#[test]
fn touchpoints_counts_those_dated_in_m_and_divides_by_customers() {
    let r = kpis(&touches().build(), "2026-03");
    assert_ok(&r, "touchpoints", 3.0, "A twice and E once in March");
    assert_ok(
        &r,
        "touchpoints_per_account",
        0.75,
        "3 touchpoints / 4 customers",
    );
}

#[test]
fn contact_coverage_window_includes_89_days_before_and_excludes_90() {
    let r = kpis(&touches().build(), "2026-03");
    // A (March), B (Jan 1, 89 days before Mar 31); not C (Dec 31, 90 days); E inactive
    assert_ok(
        &r,
        "contact_coverage",
        50.0,
        "2 of 4 customers touched in the window",
    );
}

#[test]
fn touchpoint_kpis_are_no_data_without_touchpoints_or_outside_coverage() {
    let none = Fx::new().account("A").build();
    let covered = touches().build();
    for (data, month, why) in [
        (&none, "2026-03", "no touchpoints dataset"),
        (&covered, "2026-05", "May is after the last touchpoint"),
    ] {
        let r = kpis(data, month);
        for id in ["touchpoints", "touchpoints_per_account", "contact_coverage"] {
            assert_no_data(&r, id, "touchpoints", why);
        }
    }
}

#[test]
fn touchpoints_per_account_and_coverage_are_undefined_without_customers() {
    let data = Fx::new()
        .account_with("A", |a| a.churn_date = Some(d("2026-01-15")))
        .touch("A", "2026-03-02")
        .build();
    let r = kpis(&data, "2026-03");
    assert_ok(&r, "touchpoints", 1.0, "the touchpoint itself counts");
    assert_undefined(&r, "touchpoints_per_account", "0 customers");
    assert_undefined(&r, "contact_coverage", "0 customers");
}

#[test]
fn email_rates_divide_by_delivered() {
    let data = Fx::new()
        .campaign("2026-03-03", Channel::Email, |c| {
            c.sent = Some(1000.0);
            c.delivered = Some(800.0);
            c.opened = Some(200.0);
            c.clicked = Some(40.0);
            c.converted = Some(8.0);
            c.unsubscribed = Some(4.0);
        })
        .campaign("2026-03-17", Channel::Email, |c| {
            c.sent = Some(250.0);
            c.delivered = Some(200.0);
            c.opened = Some(100.0);
            c.clicked = Some(10.0);
            c.converted = Some(2.0);
            c.unsubscribed = Some(1.0);
        })
        .campaign("2026-02-10", Channel::Email, |c| {
            c.delivered = Some(100.0);
            c.opened = Some(100.0);
        })
        .build();
    let r = kpis(&data, "2026-03");
    // base 800 + 200 = 1000 delivered
    assert_ok(&r, "email_open_rate", 30.0, "300 opened of 1000 delivered");
    assert_ok(&r, "email_ctr", 5.0, "50 clicked of 1000 delivered");
    assert_ok(
        &r,
        "email_conversion_rate",
        1.0,
        "10 converted of 1000 delivered",
    );
    assert_ok(
        &r,
        "unsubscribe_rate",
        0.5,
        "5 unsubscribed of 1000 delivered",
    );
}

#[test]
fn email_rates_fall_back_to_sent_when_delivered_is_not_mapped() {
    let data = Fx::new()
        .campaign("2026-03-03", Channel::Email, |c| {
            c.sent = Some(400.0);
            c.opened = Some(100.0);
            c.clicked = Some(20.0);
            c.converted = Some(4.0);
            c.unsubscribed = Some(2.0);
        })
        .campaign("2026-03-04", Channel::Email, |c| {
            c.sent = Some(100.0);
            c.opened = Some(25.0);
        })
        .build();
    let r = kpis(&data, "2026-03");
    // base 500 sent
    assert_ok(&r, "email_open_rate", 25.0, "125 of 500 sent");
    assert_ok(&r, "email_ctr", 4.0, "20 of 500 sent");
    assert_ok(&r, "email_conversion_rate", 0.8, "4 of 500 sent");
    assert_ok(&r, "unsubscribe_rate", 0.4, "2 of 500 sent");
}

#[test]
fn email_rates_are_undefined_without_email_rows_in_a_covered_month() {
    // campaigns cover Feb..Apr; email only in Feb
    let data = Fx::new()
        .campaign("2026-02-03", Channel::Email, |c| {
            c.delivered = Some(10.0);
            c.opened = Some(1.0);
            c.unsubscribed = Some(0.0);
        })
        .campaign("2026-04-03", Channel::Web, |c| c.page_views = Some(1.0))
        .build();
    let r = kpis(&data, "2026-03");
    assert_undefined(&r, "email_open_rate", "nothing delivered in March");
    assert_undefined(&r, "unsubscribe_rate", "nothing delivered in March");
}

#[test]
fn email_open_rate_is_no_data_when_opens_are_not_in_the_export() {
    // The export has deliveries but no "opened" column anywhere: the rate is unknown,
    // and "nothing is ever shown as 0 when it is really unknown".
    let data = Fx::new()
        .campaign("2026-03-03", Channel::Email, |c| {
            c.delivered = Some(800.0);
            c.clicked = Some(40.0);
        })
        .build();
    let r = kpis(&data, "2026-03");
    assert_ok(&r, "email_ctr", 5.0, "clicks are known");
    assert_no_data_like(
        &r,
        "email_open_rate",
        "campaigns",
        "no opened figure at all",
    );
}

#[test]
fn email_rates_are_no_data_when_neither_delivered_nor_sent_is_in_the_export() {
    let data = Fx::new()
        .campaign("2026-03-03", Channel::Email, |c| c.opened = Some(40.0))
        .build();
    assert_no_data_like(
        &kpis(&data, "2026-03"),
        "email_open_rate",
        "campaigns",
        "no base to divide by: a missing field, not a zero",
    );
}

#[test]
fn web_figures_sum_the_web_rows_of_m() {
    let data = Fx::new()
        .campaign("2026-03-01", Channel::Web, |c| {
            c.page_views = Some(1000.0);
            c.sessions = Some(400.0);
            c.bounces = Some(100.0);
            c.exits = Some(250.0);
            c.duration_seconds = Some(24000.0);
        })
        .campaign("2026-03-02", Channel::Web, |c| {
            c.page_views = Some(500.0);
            c.sessions = Some(100.0);
            c.bounces = Some(50.0);
            c.exits = Some(50.0);
            c.duration_seconds = Some(6000.0);
        })
        .campaign("2026-04-01", Channel::Web, |c| c.page_views = Some(7.0))
        .build();
    let r = kpis(&data, "2026-03");
    assert_ok(&r, "page_views", 1500.0, "Σ page views in March");
    assert_ok(&r, "bounce_rate", 30.0, "150 bounces / 500 sessions");
    assert_ok(&r, "exit_rate", 20.0, "300 exits / 1500 page views");
    assert_ok(
        &r,
        "avg_web_session_minutes",
        1.0,
        "30000 s / 500 sessions / 60",
    );
}

#[test]
fn web_rates_are_undefined_without_sessions_or_page_views() {
    // campaigns cover Feb..Apr; web rows only in Feb
    let data = Fx::new()
        .campaign("2026-02-01", Channel::Web, |c| {
            c.page_views = Some(10.0);
            c.sessions = Some(5.0);
            c.bounces = Some(2.0);
            c.exits = Some(1.0);
            c.duration_seconds = Some(300.0);
        })
        .campaign("2026-04-01", Channel::Email, |c| c.sent = Some(1.0))
        .build();
    let r = kpis(&data, "2026-03");
    assert_ok(&r, "page_views", 0.0, "a real 0 inside coverage");
    assert_undefined(&r, "bounce_rate", "0 sessions");
    assert_undefined(&r, "exit_rate", "0 page views");
    assert_undefined(&r, "avg_web_session_minutes", "0 sessions");
}

#[test]
fn avg_web_session_minutes_is_no_data_without_durations() {
    let data = Fx::new()
        .campaign("2026-03-01", Channel::Web, |c| {
            c.page_views = Some(100.0);
            c.sessions = Some(40.0);
        })
        .build();
    assert_no_data_like(
        &kpis(&data, "2026-03"),
        "avg_web_session_minutes",
        "campaigns",
        "duration_seconds is not in the export: unknown, not 0 minutes",
    );
}

#[test]
fn social_interactions_add_likes_shares_comments_and_clicks() {
    let data = Fx::new()
        .campaign("2026-03-01", Channel::Social, |c| {
            c.likes = Some(10.0);
            c.shares = Some(2.0);
            c.comments = Some(3.0);
            c.clicks = Some(5.0);
        })
        .campaign("2026-03-09", Channel::Social, |c| c.likes = Some(1.0))
        .campaign("2026-02-09", Channel::Social, |c| c.likes = Some(100.0))
        .build();
    assert_ok(
        &kpis(&data, "2026-03"),
        "social_interactions",
        21.0,
        "10+2+3+5+1",
    );
}

#[test]
fn event_figures_and_attendance_rate() {
    let data = Fx::new()
        .campaign("2026-03-05", Channel::Event, |c| {
            c.registrations = Some(50.0);
            c.attendees = Some(30.0);
        })
        .campaign("2026-03-25", Channel::Event, |c| {
            c.registrations = Some(20.0);
            c.attendees = Some(5.0);
        })
        .build();
    let r = kpis(&data, "2026-03");
    assert_ok(&r, "event_registrations", 70.0, "50 + 20");
    assert_ok(&r, "event_attendees", 35.0, "30 + 5");
    assert_ok(&r, "event_attendance_rate", 50.0, "35 / 70");
}

#[test]
fn event_attendance_rate_is_undefined_with_zero_registrations() {
    let data = Fx::new()
        .campaign("2026-03-05", Channel::Event, |c| {
            c.registrations = Some(0.0);
            c.attendees = Some(0.0);
        })
        .build();
    let r = kpis(&data, "2026-03");
    assert_ok(&r, "event_registrations", 0.0, "a real 0");
    assert_undefined(&r, "event_attendance_rate", "0 registrations");
}

#[test]
fn campaign_kpis_are_no_data_without_campaigns_outside_coverage_or_without_the_channel() {
    let none = Fx::new().account("A").build();
    let covered = Fx::new()
        .campaign("2026-01-05", Channel::Email, |c| c.sent = Some(1.0))
        .campaign("2026-01-05", Channel::Web, |c| c.page_views = Some(1.0))
        .campaign("2026-01-05", Channel::Social, |c| c.likes = Some(1.0))
        .campaign("2026-01-05", Channel::Event, |c| {
            c.registrations = Some(1.0)
        })
        .build();
    let ids = [
        "email_open_rate",
        "email_ctr",
        "email_conversion_rate",
        "unsubscribe_rate",
        "page_views",
        "bounce_rate",
        "exit_rate",
        "avg_web_session_minutes",
        "social_interactions",
        "event_registrations",
        "event_attendees",
        "event_attendance_rate",
    ];
    for (data, month, why) in [
        (&none, "2026-03", "no campaigns dataset"),
        (&covered, "2026-03", "March is after the last campaign row"),
    ] {
        let r = kpis(data, month);
        for id in ids {
            assert_no_data(&r, id, "campaigns", why);
        }
    }
    // email only: the other channels say nothing
    let email_only = Fx::new()
        .campaign("2026-03-05", Channel::Email, |c| {
            c.delivered = Some(10.0);
            c.opened = Some(5.0);
        })
        .build();
    let r = kpis(&email_only, "2026-03");
    assert_ok(&r, "email_open_rate", 50.0, "email rows exist");
    for id in [
        "page_views",
        "social_interactions",
        "event_registrations",
        "event_attendance_rate",
    ] {
        assert_no_data_like(
            &r,
            id,
            "campaigns",
            "the export has no rows of that channel",
        );
    }
}
