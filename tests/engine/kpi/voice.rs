//! Survey KPIs: NPS on the 0–10 scale, CSAT, CES and comments.

use crate::fixture::*;

/// March: nps 10, 9 (promoters), 8, 7 (passives), 6, 5, 0 (detractors); a csat-only row;
/// a February 10 that must not count.
fn march_nps() -> Fx {
    let mut fx = Fx::new();
    for (day, v) in [(1, 10), (2, 9), (3, 8), (4, 7), (5, 6), (6, 5), (7, 0)] {
        fx = fx.nps(Some("A"), &format!("2026-03-{day:02}"), v);
    }
    fx.csat(Some("A"), "2026-03-08", 5)
        .nps(None, "2026-02-28", 10)
}

#[test]
fn nps_counts_9_and_10_as_promoters_and_0_to_6_as_detractors() {
    let r = kpis(&march_nps().build(), "2026-03");
    // (2 − 3) / 7 × 100
    assert_ok(
        &r,
        "nps",
        -100.0 / 7.0,
        "promoters minus detractors over responses",
    );
    assert_ok(
        &r,
        "nps_responses",
        7.0,
        "responses with an nps value in March",
    );
}

#[test]
fn nps_is_100_with_only_promoters_and_minus_100_with_only_detractors() {
    let data = Fx::new()
        .nps(None, "2026-03-01", 9)
        .nps(None, "2026-03-02", 10)
        .nps(None, "2026-04-01", 0)
        .nps(None, "2026-04-02", 6)
        .build();
    assert_ok(&kpis(&data, "2026-03"), "nps", 100.0, "all promoters");
    assert_ok(
        &kpis(&data, "2026-04"),
        "nps",
        -100.0,
        "0 and 6 are both detractors",
    );
}

#[test]
fn nps_treats_7_and_8_as_passives() {
    let data = Fx::new()
        .nps(None, "2026-03-01", 7)
        .nps(None, "2026-03-02", 8)
        .nps(None, "2026-03-03", 10)
        .nps(None, "2026-03-04", 1)
        .build();
    // (1 − 1) / 4
    assert_ok(&kpis(&data, "2026-03"), "nps", 0.0, "passives only dilute");
}

#[test]
fn nps_3m_covers_the_two_months_before_and_m() {
    let data = Fx::new()
        .nps(None, "2025-12-31", 0) // outside: before M−2
        .nps(None, "2026-01-01", 10)
        .nps(None, "2026-01-31", 10)
        .nps(None, "2026-02-15", 0)
        .nps(None, "2026-03-20", 9)
        .nps(None, "2026-03-31", 6)
        .build();
    let r = kpis(&data, "2026-03");
    // promoters 3 (Jan, Jan, Mar 9), detractors 2 (Feb 0, Mar 6), n = 5
    assert_ok(&r, "nps_3m", 20.0, "M−2..M responses");
    // March alone: (1 − 1) / 2
    assert_ok(&r, "nps", 0.0, "March alone");
}

#[test]
fn nps_is_undefined_with_zero_responses_inside_coverage() {
    // surveys cover Jan..Apr, nothing in March
    let data = Fx::new()
        .nps(None, "2026-01-10", 9)
        .nps(None, "2026-04-10", 3)
        .build();
    let r = kpis(&data, "2026-03");
    assert_undefined(&r, "nps", "no response in March");
    assert_ok(&r, "nps_responses", 0.0, "the count is a real 0");
    assert_undefined(&r, "csat", "no csat response in March");
    assert_undefined(&r, "ces", "no ces response in March");
    assert_undefined(&r, "ces_avg", "mean of nothing");
    assert_ok(&r, "feedback_comments", 0.0, "a real 0 inside coverage");
    assert_ok(&r, "detractor_comments", 0.0, "a real 0 inside coverage");
    // Jan: 1 promoter → 100
    assert_ok(
        &r,
        "nps_3m",
        100.0,
        "the January response is in the 3-month window",
    );
}

#[test]
fn nps_is_undefined_when_march_responses_have_no_nps_value() {
    let data = Fx::new().csat(None, "2026-03-05", 4).build();
    let r = kpis(&data, "2026-03");
    assert_undefined(&r, "nps", "csat-only responses have no nps value");
    assert_ok(&r, "nps_responses", 0.0, "no nps value");
    assert_ok(&r, "csat", 100.0, "the one csat is 4");
}

#[test]
fn survey_kpis_are_no_data_without_surveys_or_outside_coverage() {
    let none = Fx::new().revenue("A", "2026-03", 1.0).build();
    let covered = Fx::new().nps(None, "2026-01-10", 9).build();
    for (data, month, why) in [
        (&none, "2026-03", "no surveys dataset"),
        (&covered, "2026-03", "March is after the last survey"),
        (&covered, "2025-12", "December is before the first survey"),
    ] {
        let r = kpis(data, month);
        for id in [
            "nps",
            "nps_responses",
            "nps_3m",
            "csat",
            "ces",
            "ces_avg",
            "feedback_comments",
            "detractor_comments",
        ] {
            assert_no_data(&r, id, "surveys", why);
        }
    }
}

#[test]
fn csat_is_the_share_of_4_and_5() {
    let data = Fx::new()
        .csat(None, "2026-03-01", 5)
        .csat(None, "2026-03-02", 4)
        .csat(None, "2026-03-03", 3)
        .csat(None, "2026-03-04", 1)
        .nps(None, "2026-03-05", 10) // no csat value: not in the base
        .build();
    assert_ok(
        &kpis(&data, "2026-03"),
        "csat",
        50.0,
        "2 of 4 csat responses are 4–5",
    );
}

#[test]
fn ces_is_the_share_of_5_to_7_and_ces_avg_the_mean() {
    let data = Fx::new()
        .ces(None, "2026-03-01", 7)
        .ces(None, "2026-03-02", 5)
        .ces(None, "2026-03-03", 4)
        .ces(None, "2026-03-04", 1)
        .ces(None, "2026-03-05", 6)
        .csat(None, "2026-03-06", 2) // no ces value
        .build();
    let r = kpis(&data, "2026-03");
    assert_ok(&r, "ces", 60.0, "7, 5, 6 of 5 responses are easy");
    assert_ok(&r, "ces_avg", 23.0 / 5.0, "(7+5+4+1+6)/5");
}

#[test]
fn comments_count_non_empty_ones_and_detractor_comments_those_with_nps_0_to_6() {
    let data = Fx::new()
        .survey("2026-03-01", |s| {
            s.nps = Some(10);
            s.comment = Some("great".into());
        })
        .survey("2026-03-02", |s| {
            s.nps = Some(3);
            s.comment = Some("bad".into());
        })
        .survey("2026-03-03", |s| {
            s.nps = Some(2);
            s.comment = Some("   ".into()); // blank: not a comment
        })
        .survey("2026-03-04", |s| {
            s.csat = Some(3);
            s.comment = Some("meh".into()); // no nps: not a detractor
        })
        .survey("2026-03-05", |s| {
            s.nps = Some(7);
            s.comment = Some("ok".into()); // passive
        })
        .survey("2026-03-06", |s| s.nps = Some(0)) // detractor without comment
        .survey("2026-02-27", |s| {
            s.nps = Some(1);
            s.comment = Some("last month".into());
        })
        .build();
    let r = kpis(&data, "2026-03");
    assert_ok(&r, "feedback_comments", 4.0, "great, bad, meh, ok");
    assert_ok(
        &r,
        "detractor_comments",
        1.0,
        "only 'bad' has nps 0–6 and a comment",
    );
}
