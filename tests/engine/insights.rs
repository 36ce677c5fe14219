//! `insights.md`: breakdowns (§1), backtest (§2), preview (§3), percentile scoring (§4),
//! coverage (§5), renewals (§6) and notes (§7), on hand-checked small cases and on the
//! demo company.

use crate::fixture::*;
use cspulse_engine::demo::{self, DemoOptions};
use cspulse_engine::error::{Error, Lang};
use cspulse_engine::insights::breakdown::{self, Breakdown, Dim, GroupKind};
use cspulse_engine::kpi::Status;
use cspulse_engine::model::Data;
use cspulse_engine::store::Store;
use cspulse_engine::Settings;

fn by(data: &Data, month: &str, dim: Dim) -> Result<Breakdown, Error> {
    let s = Settings::default();
    let sc = scores(data, month);
    breakdown::compute(data.clone(), m(month), &s, &sc, dim, Lang::En)
}

fn group<'a>(b: &'a Breakdown, key: &str) -> &'a breakdown::BreakdownGroup {
    b.groups
        .iter()
        .find(|g| g.key == key)
        .unwrap_or_else(|| panic!("no group {key}"))
}

fn val(g: &breakdown::BreakdownGroup, id: &str) -> Option<f64> {
    g.kpis.iter().find(|k| k.id == id).and_then(|k| k.value)
}

/// Two segments, an account without one, revenue of an id in no accounts batch, an
/// anonymous survey and a ticket only one group has.
fn small() -> Data {
    Fx::new()
        .account_with("A", |a| a.segment = Some("SMB".into()))
        .account_with("B", |a| a.segment = Some("SMB".into()))
        .account_with("C", |a| a.segment = Some("Enterprise".into()))
        .account_with("D", |a| a.segment = Some("  ".into()))
        .account_with("E", |a| a.segment = Some("Enterprise".into()))
        .mrr_series("A", "2026-02", &[100.0, 100.0])
        .mrr_series("B", "2026-02", &[50.0, 0.0]) // churned in March
        .mrr_series("C", "2026-02", &[300.0, 330.0])
        .mrr_series("D", "2026-02", &[20.0, 20.0])
        .mrr_series("X", "2026-02", &[10.0, 10.0]) // in no accounts batch
        .nps(Some("A"), "2026-03-05", 10)
        .nps(None, "2026-03-06", 0) // anonymous: company only
        .ticket("2026-03-10 09:00", |t| t.account_id = Some("C".into()))
        .build()
}

#[test]
fn breakdown_groups_rows_by_the_accounts_field_with_none_and_unknown() {
    let data = small();
    let b = by(&data, "2026-03", Dim::Segment).unwrap();
    let keys: Vec<&str> = b.groups.iter().map(|g| g.key.as_str()).collect();
    // mrr descending: Enterprise 330, SMB 100, (none) 20, (unknown) 10
    assert_eq!(keys, ["Enterprise", "SMB", "(none)", "(unknown)"]);
    let kinds: Vec<GroupKind> = b.groups.iter().map(|g| g.kind).collect();
    assert_eq!(
        kinds,
        [
            GroupKind::Value,
            GroupKind::Value,
            GroupKind::None,
            GroupKind::Unknown
        ]
    );
    // accounts with the value, active or not (E never had revenue; B churned)
    assert_eq!(group(&b, "Enterprise").accounts, 2);
    assert_eq!(group(&b, "SMB").accounts, 2);
    assert_eq!(group(&b, "(none)").accounts, 1);
    assert_eq!(group(&b, "(unknown)").accounts, 1);
    let smb = group(&b, "SMB");
    assert_eq!(val(smb, "mrr"), Some(100.0));
    assert_eq!(val(smb, "customers_churned"), Some(1.0));
    assert_close(
        val(smb, "logo_churn_rate").unwrap(),
        50.0,
        "1 of 2 SMB churned",
    );
    assert_close(val(smb, "mrr_churned").unwrap(), 50.0, "B's 50");
    // the anonymous survey is in no group: SMB's NPS is A's promoter alone
    assert_eq!(val(smb, "nps"), Some(100.0));
    // Enterprise has no survey in a month the company has surveys for: undefined, not no_data
    let ent = group(&b, "Enterprise");
    let nps = ent.kpis.iter().find(|k| k.id == "nps").unwrap();
    assert_eq!(nps.status, Status::Undefined);
    assert_eq!(val(ent, "tickets_created"), Some(1.0));
    // SMB has no ticket in a month the company has tickets for: 0, not no_data
    assert_eq!(val(smb, "tickets_created"), Some(0.0));
    assert_close(val(ent, "mrr_expansion").unwrap(), 30.0, "C grew by 30");
    // company-only KPIs are absent
    for g in &b.groups {
        for id in breakdown::COMPANY_ONLY {
            assert!(g.kpis.iter().all(|k| k.id != id), "{id} in {}", g.key);
        }
    }
    // German group names
    let s = Settings::default();
    let de = breakdown::compute(
        data.clone(),
        m("2026-03"),
        &s,
        &scores(&data, "2026-03"),
        Dim::Segment,
        Lang::De,
    )
    .unwrap();
    assert!(de.groups.iter().any(|g| g.key == "(ohne)"));
    assert!(de.groups.iter().any(|g| g.key == "(unbekannt)"));
}

#[test]
fn a_dimension_with_fewer_than_two_groups_is_not_offered() {
    let data = small();
    // nobody has a plan and every id is known: one group, (none)... plus (unknown) for X
    let b = by(&data, "2026-03", Dim::Plan);
    assert!(b.is_ok(), "(none) and (unknown) are two groups");
    let one = Fx::new()
        .account_with("A", |a| a.plan = Some("Pro".into()))
        .account_with("B", |a| a.plan = Some("Pro".into()))
        .mrr_series("A", "2026-02", &[100.0, 100.0])
        .build();
    match by(&one, "2026-03", Dim::Plan) {
        Err(Error::DimensionNotOffered { groups: 1, .. }) => {}
        other => panic!(
            "expected not offered, got {:?}",
            other.map(|b| b.groups.len())
        ),
    }
    assert_eq!(breakdown::offered(&one, Lang::En), vec![]);
    assert!(matches!(Dim::parse("colour"), Err(Error::BadDimension(_))));
}

/// Σ over groups of the additive KPIs is the company value, on the demo company, for
/// every dimension offered.
#[test]
fn additive_kpis_add_up_to_the_company_value() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("cs.db")).unwrap();
    demo::load(&mut store, &DemoOptions::default()).unwrap();
    let month = store.latest_month().unwrap().unwrap();
    let company = cspulse_engine::overview::month_report(&store, Some(month))
        .unwrap()
        .unwrap();
    let additive = [
        "mrr",
        "mrr_new",
        "mrr_expansion",
        "mrr_reactivation",
        "mrr_contraction",
        "mrr_churned",
        "customers",
        "customers_new",
        "customers_churned",
        "tickets_created",
        "touchpoints",
        "mrr_at_risk",
    ];
    let mut dims = 0;
    for dim in Dim::ALL {
        let Ok(Some(b)) = breakdown::from_store(&store, Some(month), dim, Lang::En) else {
            continue;
        };
        dims += 1;
        assert!(b.groups.len() >= 2);
        for id in additive {
            let total = company.kpis.value(id).unwrap_or_else(|| panic!("{id}"));
            let sum: f64 = b.groups.iter().map(|g| val(g, id).unwrap_or(0.0)).sum();
            assert!(
                (sum - total).abs() <= 1e-6 * total.abs().max(1.0),
                "{id} by {dim:?}: groups {sum}, company {total}"
            );
        }
        // sorted by mrr descending
        let mrrs: Vec<f64> = b.groups.iter().map(|g| val(g, "mrr").unwrap()).collect();
        assert!(mrrs.windows(2).all(|w| w[0] >= w[1]), "{mrrs:?}");
    }
    assert!(
        dims >= 2,
        "the demo company has segments, owners, plans, regions"
    );
}

// -- backtest (§2) ---------------------------------------------------------------------------

use cspulse_engine::insights::backtest::{self, BacktestStatus};

#[test]
fn auc_counts_ties_as_half() {
    // churned {10, 30}, retained {20, 10}: (10<20) 1 + (10=10) ½ + (30>20) 0 + (30>10) 0
    let got = backtest::auc(vec![
        (10.0, true),
        (20.0, false),
        (10.0, false),
        (30.0, true),
    ]);
    assert_close(got.unwrap(), 1.5 / 4.0, "ties count half");
    assert_eq!(backtest::auc(vec![(1.0, false), (2.0, false)]), None);
    assert_eq!(backtest::auc(vec![(1.0, true)]), None);
    // every churner below every retained account
    assert_eq!(
        backtest::auc(vec![(1.0, true), (2.0, true), (3.0, false)]),
        Some(1.0)
    );
}

/// Revenue of 100 a month from 2025-01 to `last`.
fn revenue_until(mut fx: Fx, id: &str, last: &str) -> Fx {
    let mut mo = m("2025-01");
    while mo <= m(last) {
        fx = fx.revenue(id, &mo.to_string(), 100.0);
        mo = mo.plus(1);
    }
    fx
}

/// Three touchpoints in every month 2025-01..2026-03 (engagement 100).
fn engaged(mut fx: Fx, id: &str) -> Fx {
    let mut mo = m("2025-01");
    while mo <= m("2026-03") {
        for day in [3, 12, 21] {
            fx = fx.touch(id, &format!("{mo}-{day:02}"));
        }
        mo = mo.plus(1);
    }
    fx
}

#[test]
fn backtest_of_three_accounts_is_insufficient_and_shows_the_counts() {
    // A green (engagement 100, health 100), B and C yellow (engagement 0: 50); B churns
    // after 2025-12
    let mut fx = Fx::new();
    fx = revenue_until(fx, "A", "2026-03");
    fx = revenue_until(fx, "B", "2025-12");
    fx = engaged(fx, "A");
    let mut fx2 = revenue_until(fx, "C", "2026-03");
    fx2 = fx2.account("A").account("B").account("C");
    let data = fx2.build();
    let bt = backtest::compute(&data, m("2026-03"), 1, &Settings::default());
    let months: Vec<String> = (3..=14)
        .map(|k| m("2025-01").plus(k - 1).to_string())
        .collect();
    assert_eq!(bt.observation_months, months, "2025-03 … 2026-02");
    assert_eq!(bt.status, BacktestStatus::Insufficient);
    assert_eq!(
        (bt.lights.green.observations, bt.lights.green.churned),
        (12, 0)
    );
    // B: 2025-03..2025-12 (10), C: 12
    assert_eq!(
        (bt.lights.yellow.observations, bt.lights.yellow.churned),
        (22, 1)
    );
    assert_close(
        bt.lights.yellow.churn_rate.unwrap(),
        100.0 / 22.0,
        "1 of 22",
    );
    assert_close(bt.lights.yellow.mrr, 2200.0, "22 account-months of 100");
    assert_close(bt.lights.yellow.mrr_churned, 100.0, "B's 100");
    assert_eq!(bt.lights.red.observations, 0);
    assert_eq!(bt.lights.red.churn_rate, None, "no observations: null");
    assert_eq!(bt.lights.red.revenue_churn_rate, None, "mrr 0: null");
    assert_eq!(
        (bt.lift, bt.auc),
        (None, None),
        "no verdict when insufficient"
    );
    assert_eq!(bt.components.engagement, None);
    assert_eq!((bt.accounts_observed, bt.accounts_churned), (3, 1));
}

/// 30 green accounts (one churns after 2025-09) and 10 red ones (five churn after
/// 2025-06), horizon 1, M = 2026-03, yellow threshold 60 (an engagement of 0 gives 50: red).
fn forty() -> (Data, Settings) {
    let mut fx = Fx::new();
    for k in 0..30 {
        let id = format!("G{k}");
        fx = revenue_until(fx, &id, if k == 0 { "2025-09" } else { "2026-03" });
        fx = engaged(fx, &id).account(&id);
    }
    for k in 0..10 {
        let id = format!("R{k}");
        fx = revenue_until(fx, &id, if k < 5 { "2025-06" } else { "2026-03" }).account(&id);
    }
    (fx.build(), settings(&[("threshold.yellow", "60")]))
}

#[test]
fn backtest_with_enough_history_gives_lift_and_auc() {
    let (data, s) = forty();
    let bt = backtest::compute(&data, m("2026-03"), 1, &s);
    assert_eq!(bt.status, BacktestStatus::Ok);
    // green: G0 7 observations (2025-03..09), G1..29 12 each; 1 churned
    assert_eq!(
        (bt.lights.green.observations, bt.lights.green.churned),
        (355, 1)
    );
    // red: R0..4 4 each (2025-03..06), R5..9 12 each; 5 churned
    assert_eq!((bt.lights.red.observations, bt.lights.red.churned), (80, 5));
    assert_close(bt.lights.red.churn_rate.unwrap(), 6.25, "5 of 80");
    assert_close(bt.lift.unwrap(), 6.25 / (100.0 / 355.0), "red / green");
    // churners: five at 50, one at 100; retained: 75 at 50, 354 at 100
    // (5 × (354 + ½·75) + 1 × ½·354) / (6 × 429)
    let auc = (5.0 * (354.0 + 37.5) + 177.0) / (6.0 * 429.0);
    assert_close(bt.auc.unwrap(), auc, "auc with ties");
    assert_close(bt.components.engagement.unwrap(), auc, "engagement alone");
    assert_close(
        bt.components.account_health.unwrap(),
        0.5,
        "all 100: all ties",
    );
    assert_eq!(bt.components.usage, None, "no usage data");
    assert_close(
        bt.lights.red.revenue_churn_rate.unwrap(),
        6.25,
        "500 of 8000",
    );
}

#[test]
fn lift_is_undefined_when_green_never_churns() {
    let (mut data, s) = forty();
    // G0 keeps paying: green churns 0 %
    data.revenue.retain(|r| r.account_id != "G0");
    let mut fx = Fx { data };
    fx = revenue_until(fx, "G0", "2026-03");
    let data = fx.build();
    let bt = backtest::compute(&data, m("2026-03"), 1, &s);
    assert_eq!(bt.status, BacktestStatus::Ok);
    assert_eq!(bt.lights.green.churn_rate, Some(0.0));
    assert_eq!(bt.lift, None, "green's churn rate is 0");
    assert!(bt.auc.is_some());
}

// -- renewals (§6) ---------------------------------------------------------------------------

use cspulse_engine::insights::renewals;
use cspulse_engine::model::Outcome;

#[test]
fn renewals_without_a_renewals_dataset_come_from_the_accounts() {
    let (mut data, s) = forty();
    for a in &mut data.accounts {
        a.renewal_date = match a.account_id.as_str() {
            "G1" => Some(d("2026-04-01")), // first day after M
            "R5" => Some(d("2026-06-30")), // last day of M+3
            "G2" => Some(d("2026-07-01")), // too late
            "R0" => Some(d("2026-05-10")), // churned: not scored, value 0
            "G3" => Some(d("2026-03-31")), // in M: not due after M
            _ => None,
        };
        a.owner = Some(format!("owner of {}", a.account_id));
    }
    let month = m("2026-03");
    let sc = score::compute(&data, month, &s);
    let bt = backtest::compute(&data, month, renewals::HORIZON, &s);
    let o = renewals::compute(&data, month, &s, &sc, &bt);
    assert_eq!((o.from, o.to), (d("2026-04-01"), d("2026-06-30")));
    let ids: Vec<&str> = o.renewals.iter().map(|r| r.account_id.as_str()).collect();
    assert_eq!(ids, ["G1", "R0", "R5"], "sorted by due date");
    assert_eq!(o.lights.green.count, 1);
    assert_close(o.lights.green.value, 1200.0, "MRR 100 × 12");
    assert_eq!((o.lights.red.count, o.lights.not_scored.count), (1, 1));
    assert_close(o.lights.not_scored.value, 0.0, "not active in M, no amount");
    assert_close(o.value_at_risk, 1200.0, "R5");
    assert_close(o.value_watch, 0.0, "no yellow");
    assert_eq!(o.renewals[0].owner.as_deref(), Some("owner of G1"));
    let rate = |l: Option<f64>| 1.0 - l.unwrap() / 100.0;
    let expected =
        1200.0 * rate(bt.lights.green.churn_rate) + 1200.0 * rate(bt.lights.red.churn_rate);
    assert_eq!(bt.status, BacktestStatus::Ok);
    assert_close(o.expected_value.unwrap(), expected, "scored renewals only");
    // R5's biggest lever is engagement (0 of 100), as on the account page
    assert_eq!(
        o.renewals[2].lever,
        Some(cspulse_engine::settings::Component::Engagement)
    );

    // with a renewals dataset only its rows count, with their amounts
    let data = Fx { data }
        .renewal("G4", "2026-05-02", Outcome::Open)
        .build();
    let mut data = data;
    data.renewals[0].amount = Some(5000.0);
    let o = renewals::compute(&data, month, &s, &sc, &bt);
    assert_eq!(o.renewals.len(), 1);
    assert_close(o.lights.green.value, 5000.0, "the amount");
}

#[test]
fn renewals_expected_value_is_null_when_the_backtest_is_insufficient() {
    let data = Fx::new()
        .account_with("A", |a| a.renewal_date = Some(d("2026-04-15")))
        .mrr_series("A", "2026-02", &[100.0, 100.0])
        .touch("A", "2026-03-01")
        .build();
    let s = Settings::default();
    let sc = score::compute(&data, m("2026-03"), &s);
    let bt = backtest::compute(&data, m("2026-03"), 3, &s);
    let o = renewals::compute(&data, m("2026-03"), &s, &sc, &bt);
    assert_eq!(o.status, BacktestStatus::Insufficient);
    assert_eq!(o.expected_value, None);
    assert_eq!(o.renewals.len(), 1);
}

// -- percentile (§4) -------------------------------------------------------------------------

#[test]
fn percentile_scoring_uses_mid_ranks_among_peers() {
    // touchpoints 0, 3, 3, 6 in the window; revenue flat (health raw 1.0 for all: 50)
    let mut fx = Fx::new();
    for (id, n, seg) in [("A", 0, "S"), ("B", 3, "S"), ("C", 3, "T"), ("D", 6, "T")] {
        fx = fx
            .account_with(id, |a| a.segment = Some(seg.into()))
            .mrr_series(id, "2026-02", &[100.0, 100.0]);
        for k in 0..n {
            fx = fx.touch(id, &format!("2026-03-{:02}", k + 1));
        }
    }
    let data = fx.build();
    let s = settings(&[("score.method", "percentile")]);
    let r = score::compute(&data, m("2026-03"), &s);
    let eng = |id: &str| account(&r, id).components.engagement.unwrap();
    assert_close(eng("A"), 12.5, "(0 + ½) / 4");
    assert_close(eng("B"), 50.0, "(1 + ½·2) / 4");
    assert_close(eng("C"), 50.0, "tie");
    assert_close(eng("D"), 87.5, "(3 + ½) / 4");
    assert_close(
        account(&r, "A").components.account_health.unwrap(),
        50.0,
        "all equal",
    );
    // score: equal weights 10/10 of engagement and health
    assert_close(account(&r, "D").score.unwrap(), (87.5 + 50.0) / 2.0, "mean");
    assert_close(account(&r, "D").raw.engagement.unwrap(), 6.0, "raw input");
    // peers by segment: S = {A 0, B 3}, T = {C 3, D 6}
    let s = settings(&[("score.method", "percentile"), ("score.peers", "segment")]);
    let r = score::compute(&data, m("2026-03"), &s);
    let eng = |id: &str| account(&r, id).components.engagement.unwrap();
    assert_close(eng("A"), 25.0, "(0 + ½) / 2");
    assert_close(eng("B"), 75.0, "(1 + ½) / 2");
    assert_close(eng("C"), 25.0, "lowest of T");
    assert_close(eng("D"), 75.0, "highest of T");
    assert_close(
        account(&r, "D").coverage.unwrap(),
        100.0 * 2.0 / 6.0,
        "2 of 6",
    );
}

// -- preview (§3) and coverage (§5) on the demo company ---------------------------------------

use cspulse_engine::insights::{coverage, preview};
use cspulse_engine::score;

#[test]
fn preview_writes_nothing_and_reports_before_and_after() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cs.db");
    let mut store = Store::open(&path).unwrap();
    demo::load(&mut store, &DemoOptions::default()).unwrap();
    drop(store);
    let bytes = |p: &std::path::Path| {
        let mut all = Vec::new();
        for suffix in ["", "-wal"] {
            let mut name = p.as_os_str().to_owned();
            name.push(suffix);
            all.push(std::fs::read(std::path::PathBuf::from(name)).unwrap_or_default());
        }
        all
    };
    let before = bytes(&path);
    let store = Store::open(&path).unwrap();
    let saved = store.settings().unwrap();
    let candidate =
        cspulse_engine::insights::with_overrides(saved.clone(), &["threshold.green=85".into()])
            .unwrap();
    let p = preview::compute(&store, None, &candidate).unwrap().unwrap();
    assert_eq!(
        p.cs_score.before, p.cs_score.after,
        "thresholds do not move scores"
    );
    assert!(
        !p.changes.is_empty(),
        "a higher green threshold turns greens yellow"
    );
    for c in &p.changes {
        assert_eq!(c.before, Some(score::Light::Green), "{}", c.account_id);
        assert_eq!(c.after, Some(score::Light::Yellow), "{}", c.account_id);
        assert!(c.score_after.unwrap() < 85.0 && c.score_after.unwrap() >= 70.0);
    }
    assert_eq!(p.moves.len(), 1);
    assert_eq!(p.moves[0].count as usize, p.changes.len());
    assert_eq!(p.auc.before, p.backtest_before.auc);
    let with = preview::scores_with(&store, None, &["weight.usage=50".into()])
        .unwrap()
        .unwrap();
    assert!(with.cs_score.is_some());
    assert_eq!(store.settings().unwrap(), saved, "settings unchanged");
    drop(store);
    assert!(
        bytes(&path) == before,
        "the database is byte-for-byte unchanged"
    );
}

#[test]
fn coverage_counts_components_and_datasets() {
    // touchpoints and revenue for both, a survey only for A
    let data = Fx::new()
        .account("A")
        .account("B")
        .mrr_series("A", "2026-02", &[100.0, 100.0])
        .mrr_series("B", "2026-02", &[100.0, 100.0])
        .touch("A", "2026-03-02")
        .nps(Some("A"), "2026-01-10", 9)
        .build();
    let month = m("2026-03");
    let sc = score::compute(&data, month, &Settings::default());
    let c = coverage::compute(&data, month, &sc);
    // A: engagement, health, sentiment = 3 of 6; B: engagement 0, health = 2 of 6
    assert_eq!(c.accounts_scored, 2);
    assert_close(
        c.score.unwrap(),
        (50.0 + 100.0 / 3.0) / 2.0,
        "mean of 3/6 and 2/6",
    );
    let ds = |k: cspulse_engine::Kind| c.datasets.iter().find(|d| d.dataset == k).unwrap();
    assert_eq!(ds(cspulse_engine::Kind::Revenue).share, Some(100.0));
    assert_eq!(
        ds(cspulse_engine::Kind::Surveys).share,
        Some(50.0),
        "90-day window"
    );
    assert_eq!(
        ds(cspulse_engine::Kind::Tickets).share,
        None,
        "no rows: no_data"
    );
    let comp = |k: cspulse_engine::settings::Component| {
        c.components
            .iter()
            .find(|x| x.component == k)
            .unwrap()
            .share
    };
    assert_eq!(
        comp(cspulse_engine::settings::Component::Sentiment),
        Some(50.0)
    );
    assert_eq!(comp(cspulse_engine::settings::Component::Usage), Some(0.0));
}

// -- notes (§7) --------------------------------------------------------------------------------

use cspulse_engine::store::NoteKey;

#[test]
fn notes_are_kept_per_month_and_untouched_by_undo_and_imports() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("cs.db")).unwrap();
    let batches = demo::load(&mut store, &DemoOptions::default()).unwrap();
    let month = store.latest_month().unwrap().unwrap();
    let acc = NoteKey::parse("account:DEMO-10001").unwrap();
    store
        .set_note(
            month,
            &NoteKey::Summary,
            "  Churn is down; =SUM(A1) stays text ",
            None,
            None,
        )
        .unwrap();
    store
        .set_note(
            month,
            &NoteKey::parse("kpi:nps").unwrap(),
            "Survey wave late",
            Some(" Mia "),
            None,
        )
        .unwrap();
    store
        .set_note(
            month,
            &acc,
            "Call the CFO",
            Some("Lea"),
            Some(d("2026-11-30")),
        )
        .unwrap();
    store
        .set_note(month.plus(-1), &NoteKey::Summary, "last month", None, None)
        .unwrap();
    let notes = store.notes(Some(month)).unwrap();
    let keys: Vec<&str> = notes.iter().map(|n| n.key.as_str()).collect();
    assert_eq!(keys, ["account:DEMO-10001", "kpi:nps", "summary"]);
    assert_eq!(
        notes[2].text, "Churn is down; =SUM(A1) stays text",
        "trimmed, kept as text"
    );
    assert_eq!(
        notes[1].owner.as_deref(),
        Some("Mia"),
        "an owner is kept (trimmed) on every note, never silently dropped"
    );
    assert_eq!(notes[2].owner, None);
    assert_eq!(notes[0].owner.as_deref(), Some("Lea"));
    assert_eq!(notes[0].due_date, Some(d("2026-11-30")));
    assert_eq!(store.notes(None).unwrap().len(), 4);
    // replaced, not added
    store
        .set_note(month, &acc, "Call the CEO", None, None)
        .unwrap();
    let n = store.note(month, &acc).unwrap().unwrap();
    assert_eq!((n.text.as_str(), n.owner), ("Call the CEO", None));
    // undo of every batch and take-back leave the notes alone
    for b in &batches {
        store.undo(b.batch.batch_id).unwrap();
    }
    assert_eq!(store.notes(None).unwrap().len(), 4);
    let ids: Vec<i64> = batches.iter().map(|b| b.batch.batch_id).collect();
    store.take_back(&ids).unwrap();
    assert_eq!(store.notes(None).unwrap().len(), 4);
    // an empty text clears; clear says whether there was one
    store.set_note(month, &acc, "  ", None, None).unwrap();
    assert!(store.note(month, &acc).unwrap().is_none());
    assert!(store.clear_note(month, &NoteKey::Summary).unwrap());
    assert!(!store.clear_note(month, &NoteKey::Summary).unwrap());
    assert!(matches!(
        NoteKey::parse("kpi:nope"),
        Err(Error::BadNoteKey(_))
    ));
    assert!(matches!(
        NoteKey::parse("account:"),
        Err(Error::BadNoteKey(_))
    ));
    assert!(matches!(NoteKey::parse("title"), Err(Error::BadNoteKey(_))));
}

#[test]
fn an_action_for_an_account_nobody_imported_is_refused_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("cs.db")).unwrap();
    let batches = demo::load(&mut store, &DemoOptions::default()).unwrap();
    let month = store.latest_month().unwrap().unwrap();
    let unknown = NoteKey::parse("account:K-1001").unwrap();
    let e = store
        .set_note(month, &unknown, "Call the CFO", Some("Lea"), None)
        .unwrap_err();
    assert!(
        matches!(&e, Error::UnknownAccount(id) if id == "K-1001"),
        "{e:?}"
    );
    for lang in [Lang::En, Lang::De] {
        assert!(e.message(lang).contains("K-1001"), "{}", e.message(lang));
    }
    assert!(store.notes(None).unwrap().is_empty(), "nothing was written");
    // a known account (in the accounts list) is accepted; once every batch is undone it
    // is no longer known
    let known = NoteKey::parse("account:DEMO-10001").unwrap();
    store.set_note(month, &known, "Call", None, None).unwrap();
    assert!(store.knows_account("DEMO-10001").unwrap());
    for b in &batches {
        store.undo(b.batch.batch_id).unwrap();
    }
    assert!(!store.knows_account("DEMO-10001").unwrap());
    assert!(matches!(
        store.set_note(month, &known, "Call again", None, None),
        Err(Error::UnknownAccount(_))
    ));
    // clearing the action of an unknown account stays possible
    assert!(store.clear_note(month, &known).unwrap());
    // an id only in revenue (no accounts list) is a customer too
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("r.db")).unwrap();
    store
        .import_bytes(
            std::path::Path::new("umsatz.csv"),
            b"Kundennummer;Monat;MRR\nK-7;10/2026;100\n",
            &cspulse_engine::import::Options::default(),
            false,
            cspulse_engine::store::Origin::File,
        )
        .unwrap();
    let m = store.latest_month().unwrap().unwrap();
    store
        .set_note(
            m,
            &NoteKey::parse("account:K-7").unwrap(),
            "Upsell",
            None,
            None,
        )
        .unwrap();
    assert!(store
        .set_note(m, &NoteKey::parse("account:K-8").unwrap(), "x", None, None)
        .is_err());
}
