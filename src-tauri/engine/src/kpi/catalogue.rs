//! Every KPI's identity in one place: its id, the group it is shown in, its unit, which
//! direction is better, its default target, and the datasets its value rests on. The
//! report, the settings and the UI (through the generated `ui/src/ipc/bindings/
//! KPI_CATALOGUE.ts`) read it from here; names and definitions (de/en) are texts, keyed
//! by id in `report/text.rs`.
//!
//! Adding a KPI: its computation (one of the group modules beside this one), its entry
//! here, its name and definition in `report/text.rs` (English and German). Tests check
//! that every computed KPI has an entry and texts, and that `needs` is what the
//! computation really needs (`tests/engine/catalogue.rs`).

use crate::model::Kind;
use serde::Serialize;

/// Groups of KPIs, as CS leaders think (dashboard and report, in this order).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    Revenue,
    Voice,
    Support,
    Usage,
    Engagement,
    Growth,
    Health,
}

impl Group {
    pub const ALL: [Group; 7] = [
        Group::Revenue,
        Group::Voice,
        Group::Support,
        Group::Usage,
        Group::Engagement,
        Group::Growth,
        Group::Health,
    ];
}

/// How a KPI's value reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// In the data's currency.
    Money,
    /// 0–100 (a change is in percentage points).
    Percent,
    Count,
    Decimal,
    /// A multiple (×).
    Ratio,
    /// −100..100.
    Nps,
    /// The CS score, 0–100.
    Score,
    Hours,
    Minutes,
    Days,
}

/// Whether a higher or a lower value of a KPI is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Higher,
    Lower,
}

/// A KPI's default target (setting `kpi_target.<id>`, typical for a B2B SaaS business on
/// the monthly KPIs) and the miss, in the KPI's unit, that still counts as "near".
#[derive(Clone, Copy, Debug, PartialEq, Serialize, ts_rs::TS)]
pub struct DefaultTarget {
    pub target: f64,
    pub tolerance: f64,
}

/// One KPI of the catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct KpiInfo {
    pub id: &'static str,
    pub group: Group,
    pub unit: Unit,
    /// Which direction is better; none for a volume that is neither (tickets created).
    pub better: Option<Direction>,
    /// The default target, if the KPI has one. The CS score has none: its status
    /// is its traffic light (`threshold.green` / `threshold.yellow`).
    pub target: Option<DefaultTarget>,
    /// The datasets its value rests on: one of each list. `[["revenue", "accounts"]]`:
    /// who is a customer (and MRR) comes from revenue, else from the accounts' start and
    /// churn dates (and their MRR column).
    /// (A field the export lacks, or a month outside a dataset's rows, is named by the
    /// KPI's `needs` when it is computed.)
    pub needs: &'static [&'static [Kind]],
}

const fn kpi(
    id: &'static str,
    group: Group,
    unit: Unit,
    better: Option<Direction>,
    needs: &'static [&'static [Kind]],
) -> KpiInfo {
    KpiInfo {
        id,
        group,
        unit,
        better,
        target: None,
        needs,
    }
}

impl KpiInfo {
    /// With a default target and "near" tolerance.
    const fn target(self, target: f64, tolerance: f64) -> KpiInfo {
        KpiInfo {
            target: Some(DefaultTarget { target, tolerance }),
            ..self
        }
    }
}

/// What a KPI rests on: one dataset of each list.
type Needs = &'static [&'static [Kind]];

/// MRR: from revenue, else from the accounts' `mrr` column.
const MRR: Needs = &[&[Kind::Revenue, Kind::Accounts]];
/// Who is a customer: from revenue, else from the accounts' start and churn dates.
const CUSTOMERS: Needs = &[&[Kind::Revenue, Kind::Accounts]];
const ACCOUNTS: Needs = &[&[Kind::Accounts]];
/// The renewals export, else the accounts' renewal dates.
const RENEWALS: Needs = &[&[Kind::Renewals, Kind::Accounts]];
const SURVEYS: Needs = &[&[Kind::Surveys]];
const TICKETS: Needs = &[&[Kind::Tickets]];
const USAGE: Needs = &[&[Kind::Usage]];
/// Usage against the accounts' seats.
const USAGE_AND_SEATS: Needs = &[&[Kind::Usage], &[Kind::Accounts]];
const USAGE_OF_CUSTOMERS: Needs = &[&[Kind::Usage], &[Kind::Revenue, Kind::Accounts]];
const TOUCHPOINTS: Needs = &[&[Kind::Touchpoints]];
const TOUCHPOINTS_OF_CUSTOMERS: Needs = &[&[Kind::Touchpoints], &[Kind::Revenue, Kind::Accounts]];
const CAMPAIGNS: Needs = &[&[Kind::Campaigns]];
const LEADS: Needs = &[&[Kind::Leads]];
const COSTS_OF_CUSTOMERS: Needs = &[&[Kind::Costs], &[Kind::Revenue, Kind::Accounts]];
const COSTS_AND_MRR: Needs = &[&[Kind::Costs], &[Kind::Revenue, Kind::Accounts]];
const ORDERS: Needs = &[&[Kind::Orders]];

/// Every KPI of `kpis.md`, in display order (by group, then as listed).
pub const KPIS: &[KpiInfo] = {
    use Group::*;
    use Unit::*;
    const UP: Option<Direction> = Some(Direction::Higher);
    const DOWN: Option<Direction> = Some(Direction::Lower);
    const NEITHER: Option<Direction> = None;
    &[
        kpi("mrr", Revenue, Money, UP, MRR),
        kpi("mrr_new", Revenue, Money, UP, MRR),
        kpi("mrr_reactivation", Revenue, Money, UP, MRR),
        kpi("mrr_expansion", Revenue, Money, UP, MRR),
        kpi("mrr_contraction", Revenue, Money, DOWN, MRR),
        kpi("mrr_churned", Revenue, Money, DOWN, MRR),
        kpi("mrr_growth", Revenue, Percent, UP, MRR).target(1.0, 1.0),
        kpi("mrr_at_risk", Revenue, Money, DOWN, MRR),
        kpi("customers", Revenue, Count, UP, CUSTOMERS),
        kpi("customers_new", Revenue, Count, UP, CUSTOMERS),
        kpi("customers_churned", Revenue, Count, DOWN, CUSTOMERS),
        kpi("logo_churn_rate", Revenue, Percent, DOWN, CUSTOMERS).target(1.0, 0.5),
        kpi("revenue_churn_rate", Revenue, Percent, DOWN, MRR).target(1.0, 0.5),
        kpi("ndr", Revenue, Percent, UP, MRR).target(100.0, 1.0),
        kpi("grr", Revenue, Percent, UP, MRR).target(99.0, 1.0),
        kpi("ndr_12m", Revenue, Percent, UP, MRR).target(100.0, 5.0),
        kpi("arpa", Revenue, Money, UP, MRR),
        kpi("quick_ratio", Revenue, Ratio, UP, MRR).target(4.0, 1.0),
        kpi("renewal_rate", Revenue, Percent, UP, RENEWALS).target(90.0, 5.0),
        kpi("clv", Revenue, Money, UP, MRR),
        kpi("nps", Voice, Nps, UP, SURVEYS).target(30.0, 10.0),
        kpi("nps_3m", Voice, Nps, UP, SURVEYS),
        kpi("nps_responses", Voice, Count, NEITHER, SURVEYS),
        kpi("csat", Voice, Percent, UP, SURVEYS).target(80.0, 5.0),
        kpi("ces", Voice, Percent, UP, SURVEYS).target(70.0, 10.0),
        kpi("ces_avg", Voice, Decimal, NEITHER, SURVEYS),
        kpi("feedback_comments", Voice, Count, NEITHER, SURVEYS),
        kpi("detractor_comments", Voice, Count, DOWN, SURVEYS),
        kpi("tickets_created", Support, Count, NEITHER, TICKETS),
        kpi("fcr", Support, Percent, UP, TICKETS).target(70.0, 10.0),
        kpi("first_response_hours", Support, Hours, DOWN, TICKETS).target(4.0, 4.0),
        kpi("resolution_hours", Support, Hours, DOWN, TICKETS).target(24.0, 24.0),
        kpi("mau", Usage, Count, UP, USAGE),
        kpi("dau", Usage, Decimal, UP, USAGE),
        kpi("stickiness", Usage, Percent, UP, USAGE).target(20.0, 5.0),
        kpi("avg_session_minutes", Usage, Minutes, UP, USAGE),
        kpi("user_adoption", Usage, Percent, UP, USAGE_AND_SEATS).target(70.0, 10.0),
        kpi("feature_adoption", Usage, Percent, UP, USAGE_OF_CUSTOMERS).target(50.0, 10.0),
        kpi("product_usage_rate", Usage, Percent, UP, USAGE_OF_CUSTOMERS).target(90.0, 5.0),
        kpi("touchpoints", Engagement, Count, NEITHER, TOUCHPOINTS),
        kpi(
            "touchpoints_per_account",
            Engagement,
            Decimal,
            UP,
            TOUCHPOINTS_OF_CUSTOMERS,
        ),
        kpi(
            "contact_coverage",
            Engagement,
            Percent,
            UP,
            TOUCHPOINTS_OF_CUSTOMERS,
        )
        .target(80.0, 10.0),
        kpi("email_open_rate", Engagement, Percent, UP, CAMPAIGNS),
        kpi("email_ctr", Engagement, Percent, UP, CAMPAIGNS),
        kpi("email_conversion_rate", Engagement, Percent, UP, CAMPAIGNS),
        kpi("unsubscribe_rate", Engagement, Percent, DOWN, CAMPAIGNS),
        kpi("page_views", Engagement, Count, NEITHER, CAMPAIGNS),
        kpi("bounce_rate", Engagement, Percent, DOWN, CAMPAIGNS),
        kpi("exit_rate", Engagement, Percent, DOWN, CAMPAIGNS),
        kpi(
            "avg_web_session_minutes",
            Engagement,
            Minutes,
            UP,
            CAMPAIGNS,
        ),
        kpi("social_interactions", Engagement, Count, UP, CAMPAIGNS),
        kpi("event_registrations", Engagement, Count, UP, CAMPAIGNS),
        kpi("event_attendees", Engagement, Count, UP, CAMPAIGNS),
        kpi("event_attendance_rate", Engagement, Percent, UP, CAMPAIGNS),
        kpi("conversion_rate", Growth, Percent, UP, LEADS),
        kpi("free_to_paid_rate", Growth, Percent, UP, LEADS),
        kpi("onboarding_completion_rate", Growth, Percent, UP, ACCOUNTS).target(80.0, 10.0),
        kpi("time_to_onboard_days", Growth, Days, DOWN, ACCOUNTS).target(30.0, 10.0),
        kpi("crc", Growth, Money, DOWN, COSTS_OF_CUSTOMERS),
        kpi("cac", Growth, Money, DOWN, COSTS_OF_CUSTOMERS),
        kpi("ltv_cac", Growth, Ratio, UP, COSTS_AND_MRR).target(3.0, 0.5),
        kpi("aov", Growth, Money, UP, ORDERS),
        kpi("purchase_frequency", Growth, Decimal, UP, ORDERS),
        kpi("repeat_purchase_rate", Growth, Percent, UP, ORDERS),
        kpi("clv_orders", Growth, Money, UP, ORDERS),
        kpi("cs_score", Health, Score, UP, CUSTOMERS),
        kpi("cs_score_unweighted", Health, Score, UP, CUSTOMERS),
        kpi("health_green", Health, Percent, UP, CUSTOMERS),
        kpi("health_yellow", Health, Percent, DOWN, CUSTOMERS),
        kpi("health_red", Health, Percent, DOWN, CUSTOMERS).target(10.0, 5.0),
    ]
};

/// The catalogue's entry of KPI `id`.
pub fn get(id: &str) -> Option<&'static KpiInfo> {
    KPIS.iter().find(|k| k.id == id)
}

/// The KPIs with a default target, in catalogue order.
pub fn with_targets() -> impl Iterator<Item = (&'static KpiInfo, DefaultTarget)> {
    KPIS.iter().filter_map(|k| k.target.map(|t| (k, t)))
}

/// The TypeScript module the UI reads the catalogue from (`ui/src/kpis.ts`): every
/// [`KpiInfo`] in order, and every KPI's name in English and German from the report's text
/// tables (the same names on the dashboard and in the report). Written, as the ts-rs types
/// are, by the test `export_bindings_kpi_catalogue`; `.ci/check-bindings` fails when the
/// committed file is stale.
pub fn typescript() -> String {
    use crate::error::Lang;
    use crate::report::text::kpi_text;
    // one line of JSON (a KpiInfo or a string cannot fail to serialise)
    fn json<T: Serialize + ?Sized>(v: &T) -> String {
        serde_json::to_string(v).unwrap_or_default()
    }
    let mut out = String::from(
        "// This file was generated from src-tauri/engine/src/kpi/catalogue.rs (and the KPI names of\n\
         // src-tauri/engine/src/report/text.rs) by `cargo test export_bindings`. Do not edit this file manually.\n\
         import type { KpiInfo } from \"./KpiInfo\";\n\n\
         /** Every KPI in display order: group, unit, better direction, default target, datasets. */\n\
         export const KPI_CATALOGUE: readonly KpiInfo[] = [\n",
    );
    for k in KPIS {
        out.push_str(&format!("  {},\n", json(k)));
    }
    out.push_str("];\n\n/** Every KPI's name, in English and German. */\n");
    out.push_str("export const KPI_NAMES: { readonly [lang in \"en\" | \"de\"]: Readonly<Record<string, string>> } = {\n");
    for (tag, lang) in [("en", Lang::En), ("de", Lang::De)] {
        out.push_str(&format!("  {tag}: {{\n"));
        for k in KPIS {
            let (name, _) = kpi_text(lang, k.id);
            out.push_str(&format!("    {}: {},\n", k.id, json(name)));
        }
        out.push_str("  },\n");
    }
    out.push_str("};\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Named like ts-rs's own export tests, so that `.ci/check-bindings` runs it.
    #[test]
    fn export_bindings_kpi_catalogue() {
        let dir = std::env::var("TS_RS_EXPORT_DIR").unwrap_or_else(|_| "./bindings".into());
        let dir = std::path::Path::new(&dir);
        std::fs::create_dir_all(dir).expect("the bindings folder");
        std::fs::write(dir.join("KPI_CATALOGUE.ts"), typescript()).expect("KPI_CATALOGUE.ts");
    }

    #[test]
    fn ids_are_unique_and_every_target_has_a_direction() {
        for (i, k) in KPIS.iter().enumerate() {
            assert!(
                KPIS[..i].iter().all(|o| o.id != k.id),
                "{} listed twice",
                k.id
            );
            if k.target.is_some() {
                assert!(k.better.is_some(), "{}: a target needs a direction", k.id);
            }
            assert!(!k.needs.is_empty(), "{} rests on no dataset", k.id);
        }
        // display order: groups in `Group::ALL` order, each group's KPIs together
        let groups: Vec<Group> = KPIS.iter().map(|k| k.group).collect();
        let mut sorted = groups.clone();
        sorted.sort_by_key(|g| Group::ALL.iter().position(|x| x == g));
        assert_eq!(groups, sorted);
    }
}
