//! The KPI catalogue says the truth about the computation: every computed KPI has an
//! entry and its texts, every entry is computed, and `needs` is what the computation
//! really needs (taking each dataset, and revenue with accounts, away from the demo
//! company makes exactly the KPIs that rest on it `no_data`).

use cspulse_engine::demo::{self, DemoOptions};
use cspulse_engine::error::Lang;
use cspulse_engine::kpi::{self, catalogue, KpiReport, Status};
use cspulse_engine::model::Data;
use cspulse_engine::report::text::kpi_text;
use cspulse_engine::store::Store;
use cspulse_engine::{score, Kind, Month, Settings};

fn kpis(data: &Data, month: Month) -> KpiReport {
    let s = Settings::default();
    let scores = score::compute(data, month, &s);
    kpi::compute(data, month, &s, &scores)
}

#[test]
fn every_computed_kpi_is_in_the_catalogue_with_its_texts_and_no_other() {
    let month = Month::parse("2026-10").unwrap();
    let computed: Vec<String> = kpis(&Data::default(), month)
        .kpis
        .into_iter()
        .map(|k| k.id)
        .collect();
    let mut listed: Vec<String> = catalogue::KPIS.iter().map(|k| k.id.to_owned()).collect();
    let mut sorted = computed.clone();
    sorted.sort();
    listed.sort();
    assert_eq!(sorted, listed, "computed KPIs = catalogue");
    for k in catalogue::KPIS {
        for lang in [Lang::En, Lang::De] {
            // an id the text tables lack gives the id and no definition
            let (name, definition) = kpi_text(lang, k.id);
            assert!(!name.is_empty(), "{}: no {lang:?} name", k.id);
            assert!(!definition.is_empty(), "{}: no {lang:?} definition", k.id);
        }
    }
}

/// `data` without the rows of `kinds` (and so without their coverage).
fn without(data: &Data, kinds: &[Kind]) -> Data {
    let mut d = data.clone();
    for k in kinds {
        match k {
            Kind::Accounts => d.accounts.clear(),
            Kind::Revenue => d.revenue.clear(),
            Kind::Renewals => d.renewals.clear(),
            Kind::Surveys => d.surveys.clear(),
            Kind::Tickets => d.tickets.clear(),
            Kind::Usage => {
                d.usage.clear();
                d.usage_counts.clear();
            }
            Kind::Touchpoints => d.touchpoints.clear(),
            Kind::Campaigns => d.campaigns.clear(),
            Kind::Costs => d.costs.clear(),
            Kind::Leads => d.leads.clear(),
            Kind::Orders => d.orders.clear(),
        }
        d.coverage.spans.retain(|(kind, _, _)| kind != k);
    }
    d
}

#[test]
fn what_a_kpi_needs_is_what_its_computation_needs() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("cs.db")).unwrap();
    demo::load(&mut store, &DemoOptions::default()).unwrap();
    let month = store.latest_month().unwrap().unwrap();
    let data = store.load(month).unwrap();
    let all = kpis(&data, month);
    // every KPI has a value (or divides by zero) on the demo company: each one can be seen
    // to lose it
    for k in &all.kpis {
        assert_ne!(k.status, Status::NoData, "{} on the demo company", k.id);
    }
    let mut takeaways: Vec<Vec<Kind>> = Kind::ALL.iter().map(|k| vec![*k]).collect();
    takeaways.push(vec![Kind::Revenue, Kind::Accounts]);
    let mut wrong = Vec::new();
    for gone in &takeaways {
        let after = kpis(&without(&data, gone), month);
        for info in catalogue::KPIS {
            // no data exactly when one of its lists is all gone
            let expected = info
                .needs
                .iter()
                .any(|one_of| one_of.iter().all(|k| gone.contains(k)));
            let status = after.get(info.id).unwrap().status;
            if (status == Status::NoData) != expected {
                wrong.push(format!(
                    "{} without {gone:?}: {status:?}, catalogue needs {:?}",
                    info.id, info.needs
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
