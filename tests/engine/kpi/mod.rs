//! KPI tests, one module per section of `kpis.md`, plus checks over the whole report:
//! every id of the spec is reported, and row order never changes a KPI.

mod engagement;
mod growth;
mod retention;
mod support;
mod usage;
mod voice;

use crate::fixture::*;
use cspulse_engine::kpi::{KpiReport, Status};
use cspulse_engine::model::{Channel, CostType, Data, Outcome};

/// Every KPI id of `kpis.md`, in the order of the spec.
pub const SPEC_IDS: [&str; 70] = [
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
    "renewal_rate",
    "clv",
    "nps",
    "nps_responses",
    "nps_3m",
    "csat",
    "ces",
    "ces_avg",
    "feedback_comments",
    "detractor_comments",
    "tickets_created",
    "fcr",
    "first_response_hours",
    "resolution_hours",
    "mau",
    "dau",
    "stickiness",
    "avg_session_minutes",
    "user_adoption",
    "feature_adoption",
    "product_usage_rate",
    "touchpoints",
    "touchpoints_per_account",
    "contact_coverage",
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
    "conversion_rate",
    "free_to_paid_rate",
    "onboarding_completion_rate",
    "time_to_onboard_days",
    "crc",
    "cac",
    "ltv_cac",
    "aov",
    "purchase_frequency",
    "repeat_purchase_rate",
    "clv_orders",
    "cs_score",
    "cs_score_unweighted",
    "health_green",
    "health_yellow",
    "health_red",
    "mrr_at_risk",
];

/// A dense pseudo-random data set around M = 2026-03 with every dataset kind, plus rows
/// that make every KPI defined (a churn, a new account, an expansion, …).
pub fn rich(seed: u64) -> Data {
    let mut rng = Rng::new(seed);
    let mut fx = Fx::new();
    let months: Vec<String> = (0..15).map(|k| m("2025-01").plus(k).to_string()).collect();
    for i in 0..10 {
        let id = format!("A{i}");
        let base = 50.0 + 10.0 * rng.below(10) as f64;
        for month in &months {
            if rng.chance(85) {
                let mrr = base + rng.below(5) as f64 * 5.0;
                fx = fx.revenue(&id, month, mrr);
            }
        }
        let start = format!("2026-02-{:02}", 1 + rng.below(28));
        let onboarded = d(&start) + chrono::Duration::days(rng.below(45) as i64);
        let seats = 1 + rng.below(6) as i64;
        let renewal = format!("2026-03-{:02}", 1 + rng.below(31));
        let churned = rng.chance(30);
        fx = fx.account_with(&id, |a| {
            a.seats = Some(seats);
            a.start_date = Some(d(&start));
            a.onboarded_date = Some(onboarded);
            a.renewal_date = Some(d(&renewal));
            a.churn_date = churned.then(|| d("2026-03-15"));
        });
    }
    // certain movements: steady S (with expansion), a churn C, a new N, a contraction K
    fx = fx
        .mrr_series("S", "2025-01", &[100.0; 14])
        .revenue("S", "2026-03", 130.0)
        .mrr_series("C", "2025-01", &[80.0; 14])
        .revenue("N", "2026-03", 60.0)
        .mrr_series("K", "2025-01", &[90.0; 14])
        .revenue("K", "2026-03", 40.0)
        .account_with("S", |a| a.seats = Some(3));
    let ids: Vec<String> = (0..10)
        .map(|i| format!("A{i}"))
        .chain(["S".into()])
        .collect();
    let pick = |rng: &mut Rng| ids[rng.below(ids.len() as u64) as usize].clone();
    let day = |rng: &mut Rng, month: &str| {
        let mo = m(month);
        format!("{month}-{:02}", 1 + rng.below(mo.days() as u64))
    };
    for _ in 0..40 {
        let month = ["2026-01", "2026-02", "2026-03", "2026-03"][rng.below(4) as usize];
        let date = day(&mut rng, month);
        let account = pick(&mut rng);
        let (nps, csat, ces) = (
            rng.below(11) as i64,
            1 + rng.below(5) as i64,
            1 + rng.below(7) as i64,
        );
        let comment = rng.chance(50);
        fx = fx.survey(&date, |s| {
            s.account_id = Some(account);
            s.nps = Some(nps);
            s.csat = Some(csat);
            s.ces = Some(ces);
            s.comment = comment.then(|| "text".to_owned());
        });
    }
    fx = fx
        .nps(Some("S"), "2026-03-02", 2)
        .survey("2026-03-03", |s| {
            s.nps = Some(1);
            s.comment = Some("detractor".into());
        });
    for k in 0..12 {
        let created = format!("{} {:02}:00", day(&mut rng, "2026-03"), rng.below(12));
        let contacts = rng.below(4) as i64;
        let fcr = rng.chance(50).then(|| rng.chance(50));
        let minutes = 5.0 + rng.below(300) as f64;
        let resolve_h = 1 + rng.below(200) as i64;
        fx = fx.ticket(&created, |t| {
            t.account_id = Some(format!("A{}", k % 10));
            t.contacts = Some(contacts);
            t.first_contact_resolution = fcr;
            t.first_response_minutes = Some(minutes);
            t.resolved_at = Some(t.created_at + chrono::Duration::hours(resolve_h));
        });
    }
    fx = fx.ticket("2026-03-01 08:00", |t| {
        t.resolved_at = Some(dt("2026-03-01 09:00"));
        t.first_response_at = Some(dt("2026-03-01 08:30"));
        t.contacts = Some(1);
    });
    for _ in 0..80 {
        let month = if rng.chance(70) { "2026-03" } else { "2026-02" };
        let date = day(&mut rng, month);
        let account = pick(&mut rng);
        let user = format!("u{}", rng.below(5));
        let feature = format!("f{}", rng.below(6));
        let secs = rng.below(3600) as f64;
        let sessions = 1 + rng.below(3) as i64;
        fx = fx.usage_with(&account, &user, &date, |u| {
            u.feature = Some(feature.into());
            u.session_seconds = Some(secs);
            u.sessions = Some(sessions);
        });
    }
    for _ in 0..25 {
        let month = ["2025-12", "2026-01", "2026-02", "2026-03"][rng.below(4) as usize];
        let date = day(&mut rng, month);
        fx = fx.touch(&pick(&mut rng), &date);
    }
    for _ in 0..3 {
        let date = day(&mut rng, "2026-03");
        let n = |rng: &mut Rng, k: u64| Some(1.0 + rng.below(k) as f64);
        let (sent, opened, clicked, conv, unsub) = (
            Some(1000.0),
            n(&mut rng, 400),
            n(&mut rng, 100),
            n(&mut rng, 20),
            n(&mut rng, 10),
        );
        fx = fx.campaign(&date, Channel::Email, |c| {
            c.sent = sent;
            c.delivered = Some(900.0);
            c.opened = opened;
            c.clicked = clicked;
            c.converted = conv;
            c.unsubscribed = unsub;
        });
        let (pv, bounces, exits, dur) = (
            Some(1000.0),
            n(&mut rng, 200),
            n(&mut rng, 300),
            n(&mut rng, 50000),
        );
        fx = fx.campaign(&date, Channel::Web, |c| {
            c.page_views = pv;
            c.sessions = Some(400.0);
            c.bounces = bounces;
            c.exits = exits;
            c.duration_seconds = dur;
        });
        let likes = n(&mut rng, 50);
        fx = fx.campaign(&date, Channel::Social, |c| {
            c.likes = likes;
            c.shares = Some(2.0);
            c.comments = Some(1.0);
            c.clicks = Some(3.0);
        });
        let att = n(&mut rng, 30);
        fx = fx.campaign(&date, Channel::Event, |c| {
            c.registrations = Some(40.0);
            c.attendees = att;
        });
    }
    fx = fx
        .cost(
            "2026-03",
            CostType::Retention,
            1000.0 + rng.below(1000) as f64,
        )
        .cost(
            "2026-03",
            CostType::Acquisition,
            2000.0 + rng.below(1000) as f64,
        )
        .cost("2026-02", CostType::Retention, 500.0);
    for _ in 0..10 {
        let created = day(&mut rng, "2026-03");
        let converted = rng.chance(50).then_some("2026-03-31");
        let trial = rng.chance(50);
        fx = fx.lead(&created, converted, trial);
    }
    fx = fx
        .lead("2026-03-01", Some("2026-03-02"), true)
        .lead("2026-03-01", None, true);
    for _ in 0..30 {
        let month = &months[3 + rng.below(12) as usize];
        let date = day(&mut rng, month);
        let amount = 10.0 + rng.below(500) as f64;
        fx = fx.order(&pick(&mut rng), &date, amount);
    }
    fx = fx
        .order("S", "2026-03-01", 100.0)
        .order("S", "2026-03-02", 120.0)
        .renewal("A0", "2026-03-05", Outcome::Renewed)
        .renewal("A1", "2026-03-06", Outcome::Churned)
        .renewal("A2", "2026-03-07", Outcome::Open);
    fx.build()
}

#[test]
fn the_report_lists_every_kpi_of_the_spec_once_in_spec_order() {
    let r = kpis(&Data::default(), "2026-03");
    let ids: Vec<&str> = r.kpis.iter().map(|k| k.id.as_str()).collect();
    assert_eq!(
        ids,
        SPEC_IDS.to_vec(),
        "the report lists exactly the kpis.md ids, in order"
    );
}

#[test]
fn an_empty_database_has_no_value_anywhere() {
    let r = kpis(&Data::default(), "2026-03");
    for k in &r.kpis {
        assert!(
            k.value.is_none(),
            "{} must not show a value without data",
            k.id
        );
        assert_eq!(
            k.status,
            Status::NoData,
            "{} is no_data without any data",
            k.id
        );
        assert!(!k.needs.is_empty(), "{} should say what it needs", k.id);
    }
}

#[test]
fn a_rich_data_set_defines_every_kpi() {
    let data = rich(7);
    let r = kpis(&data, "2026-03");
    let missing: Vec<String> = r
        .kpis
        .iter()
        .filter(|k| k.status != Status::Ok || k.value.is_none_or(|v| !v.is_finite()))
        .map(|k| format!("{} {:?} {:?}", k.id, k.status, k.needs))
        .collect();
    assert!(
        missing.is_empty(),
        "every KPI should be ok with every dataset present: {missing:?}"
    );
}

fn same_report(a: &KpiReport, b: &KpiReport) -> Result<(), String> {
    for (x, y) in a.kpis.iter().zip(&b.kpis) {
        let same = x.id == y.id
            && x.status == y.status
            && x.needs == y.needs
            && match (x.value, y.value) {
                (Some(p), Some(q)) => close(p, q),
                (None, None) => true,
                _ => false,
            };
        if !same {
            return Err(format!("{x:?} vs {y:?}"));
        }
    }
    if a.kpis.len() == b.kpis.len() {
        Ok(())
    } else {
        Err("different lengths".into())
    }
}

#[test]
fn shuffling_row_order_never_changes_any_kpi() {
    for seed in 0..25 {
        let data = rich(seed);
        let mut rng = Rng::new(1000 + seed);
        let mut shuffled = data.clone();
        rng.shuffle(&mut shuffled.accounts);
        rng.shuffle(&mut shuffled.revenue);
        rng.shuffle(&mut shuffled.renewals);
        rng.shuffle(&mut shuffled.surveys);
        rng.shuffle(&mut shuffled.tickets);
        rng.shuffle(&mut shuffled.usage);
        rng.shuffle(&mut shuffled.touchpoints);
        rng.shuffle(&mut shuffled.campaigns);
        rng.shuffle(&mut shuffled.costs);
        rng.shuffle(&mut shuffled.leads);
        rng.shuffle(&mut shuffled.orders);
        let shuffled = shuffled.with_coverage_from_rows();
        for month in ["2026-01", "2026-02", "2026-03"] {
            if let Err(e) = same_report(&kpis(&data, month), &kpis(&shuffled, month)) {
                panic!("seed {seed}, {month}: row order changed a KPI: {e}");
            }
        }
    }
}

#[test]
fn real_zeros_are_plain_zeros_never_negative_zero() {
    // Every dated dataset covers Feb..Apr but has no rows in March: the sums of March are
    // real zeros, and must not come out as −0.0 (shown as "-0", serialized as -0.0).
    let data = Fx::new()
        .mrr_series("A", "2026-02", &[100.0, 100.0, 100.0])
        .revenue("N", "2026-03", 50.0)
        .cost("2026-02", CostType::Retention, 1.0)
        .cost("2026-04", CostType::Acquisition, 1.0)
        .touch("A", "2026-02-01")
        .touch("A", "2026-04-01")
        .nps(Some("A"), "2026-02-01", 9)
        .nps(Some("A"), "2026-04-01", 9)
        .ticket("2026-02-01 08:00", |_| {})
        .ticket("2026-04-01 08:00", |_| {})
        .campaign("2026-02-01", Channel::Email, |c| c.delivered = Some(1.0))
        .campaign("2026-02-01", Channel::Web, |c| c.page_views = Some(1.0))
        .campaign("2026-02-01", Channel::Social, |c| c.likes = Some(1.0))
        .campaign("2026-02-01", Channel::Event, |c| {
            c.registrations = Some(1.0)
        })
        .campaign("2026-04-01", Channel::Event, |c| {
            c.registrations = Some(1.0)
        })
        .build();
    let r = kpis(&data, "2026-03");
    let negative: Vec<&str> = r
        .kpis
        .iter()
        .filter(|k| k.value.is_some_and(|v| v == 0.0 && v.is_sign_negative()))
        .map(|k| k.id.as_str())
        .collect();
    assert!(
        negative.is_empty(),
        "these KPIs report −0.0 instead of 0: {negative:?}"
    );
    assert_ok(&r, "page_views", 0.0, "no web rows in a covered month");
    assert_ok(&r, "crc", 0.0, "no retention cost in a covered month");
}
