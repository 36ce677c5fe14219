//! The accounts screen's explanation and the dashboard's cards: hand-checked shares,
//! points and gains; and on the demo company, numbers that agree with `kpis` and `scores`.

use crate::fixture::*;
use crate::score::one_account;
use cspulse_engine::demo::{self, DemoOptions};
use cspulse_engine::explain::{self, parts};
use cspulse_engine::overview;
use cspulse_engine::settings::Component;
use cspulse_engine::store::Store;
use cspulse_engine::Settings;

/// The account of tests/engine/score.rs: usage 50, adoption 50, sentiment 50, engagement
/// 66.67, satisfaction 50, account health 80 with the default weights 25/20/20/10/15/10.
#[test]
fn shares_points_and_gains_add_up_by_hand() {
    let r = scores(&one_account().build(), "2026-03");
    let a = r.accounts.iter().find(|a| a.account_id == "A").unwrap();
    let p = parts(a, &Settings::default());
    let by = |c: Component| p.iter().find(|x| x.component == c).unwrap();
    // all six have data: each share is its weight (the weights sum to 100)
    assert_close(by(Component::Usage).share.unwrap(), 25.0, "usage share");
    assert_close(by(Component::Usage).points.unwrap(), 12.5, "25 % of 50");
    assert_close(
        by(Component::Engagement).points.unwrap(),
        20.0 / 3.0,
        "10 % of 66.67",
    );
    assert_close(
        by(Component::AccountHealth).points.unwrap(),
        8.0,
        "10 % of 80",
    );
    let total: f64 = p.iter().filter_map(|x| x.points).sum();
    assert_close(total, a.score.unwrap(), "the points are the score");
    // raising usage from 50 to 100 at 25 % gains 12.5 points, the most of all
    assert_close(by(Component::Usage).gain.unwrap(), 12.5, "usage gain");
    assert_close(by(Component::Adoption).gain.unwrap(), 10.0, "adoption gain");
    assert_close(
        by(Component::AccountHealth).gain.unwrap(),
        2.0,
        "health gain",
    );
}

/// Without touchpoints, engagement has no value and the other five share 90 weight points:
/// usage's share is 25 / 90.
#[test]
fn a_missing_component_renormalises_the_shares_and_says_what_it_needs() {
    let settings = Settings::default(); // weights 25/20/20/10/15/10
    let r = scores_with(&one_account().build(), "2026-03", &settings);
    let mut a = r
        .accounts
        .iter()
        .find(|a| a.account_id == "A")
        .unwrap()
        .clone();
    a.components.engagement = None;
    a.score = cspulse_engine::score::combine(&a.components, &settings);
    let p = parts(&a, &settings);
    let e = p
        .iter()
        .find(|x| x.component == Component::Engagement)
        .unwrap();
    assert_eq!((e.share, e.points, e.gain), (None, None, None));
    assert_eq!(e.needs, vec!["touchpoints".to_owned()]);
    let u = p.iter().find(|x| x.component == Component::Usage).unwrap();
    assert_close(u.share.unwrap(), 25.0 / 90.0 * 100.0, "25 of 90");
    let total: f64 = p.iter().filter_map(|x| x.points).sum();
    assert_close(total, a.score.unwrap(), "the points are the score");
    let shares: f64 = p.iter().filter_map(|x| x.share).sum();
    assert_close(shares, 100.0, "the shares are the whole score");
}

fn demo_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("cs.db")).unwrap();
    demo::load(&mut store, &DemoOptions::default()).unwrap();
    (dir, store)
}

#[test]
fn the_explanation_agrees_with_the_scores_of_the_month() {
    let (_dir, store) = demo_store();
    let list = explain::accounts(&store, None).unwrap();
    assert_eq!(list.month.as_deref(), Some("2026-10"));
    let a = list.accounts.iter().find(|a| a.score.is_some()).unwrap();
    let why = explain::explain(&store, &a.account_id, None).unwrap();
    assert_eq!(why.account, *a, "the same account as the table shows");
    assert_eq!(why.history.len(), 12);
    assert_eq!(why.history[11].month, "2026-10");
    assert_eq!(why.history[11].score, a.score);
    // an earlier month's point is that month's score of the account
    let m = cspulse_engine::Month::parse("2026-06").unwrap();
    let june = explain::accounts(&store, Some(m)).unwrap();
    let then = june.accounts.iter().find(|x| x.account_id == a.account_id);
    assert_eq!(why.history[7].month, "2026-06");
    assert_eq!(why.history[7].score, then.and_then(|x| x.score));
    let best = why.best.expect("a lever");
    let top = why
        .parts
        .iter()
        .filter_map(|p| p.gain)
        .fold(f64::MIN, f64::max);
    let best_gain = why.parts.iter().find(|p| p.component == best).unwrap().gain;
    assert_eq!(best_gain, Some(top), "the best lever has the largest gain");
    let err = explain::explain(&store, "NO-SUCH-ACCOUNT", None).unwrap_err();
    assert_eq!(err.code(), "unknown_account");
}

#[test]
fn dashboard_cards_compare_with_the_kpis_of_last_month_and_last_year() {
    let (_dir, store) = demo_store();
    let dash = overview::dashboard(&store, None).unwrap();
    let month = cspulse_engine::Month::parse("2026-10").unwrap();
    let kpis = |m| {
        overview::month_report(&store, Some(m))
            .unwrap()
            .unwrap()
            .kpis
    };
    let (now, before, year_ago) = (kpis(month), kpis(month.plus(-1)), kpis(month.plus(-12)));
    assert_eq!(dash.spark_months.len(), 12);
    assert_eq!(dash.spark_months[11], "2026-10");
    assert_eq!(dash.cards.len(), now.kpis.len());
    for c in &dash.cards {
        assert_eq!(c.value, now.value(&c.id), "{}", c.id);
        assert_eq!(c.previous, before.value(&c.id), "{} previous", c.id);
        assert_eq!(c.year_ago, year_ago.value(&c.id), "{} year ago", c.id);
        assert_eq!(c.spark.len(), 12);
        assert_eq!(
            c.spark[11], c.value,
            "{}: the sparkline ends at the value",
            c.id
        );
        assert_eq!(c.spark[10], c.previous, "{}", c.id);
    }
    let grr = dash.cards.iter().find(|c| c.id == "grr").unwrap();
    assert!(grr.target.is_some() && grr.target_status.is_some());
    let bridge = dash.bridge.as_ref().expect("the demo has a bridge");
    let end = bridge.start + bridge.new + bridge.expansion + bridge.reactivation
        - bridge.contraction
        - bridge.churned;
    assert_close(end, bridge.end, "the bridge adds up");
    assert_close(bridge.end, now.value("mrr").unwrap(), "it ends at the MRR");
    assert_eq!(dash.mrr_at_risk, now.value("mrr_at_risk"));
    assert!(!dash.cohorts.is_empty());
}
