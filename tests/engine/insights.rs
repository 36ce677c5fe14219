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

fn group<'a>(b: &'a Breakdown, key: &str) -> &'a breakdown::Group {
    b.groups
        .iter()
        .find(|g| g.key == key)
        .unwrap_or_else(|| panic!("no group {key}"))
}

fn val(g: &breakdown::Group, id: &str) -> Option<f64> {
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
