// The KPI catalogue of the first window: which group each KPI belongs to and how its
// value reads. Ids are the engine's (spec/kpis.md); unknown ids still show, under "other".
import type { Kpi } from "./ipc";

export type Unit =
  | "money"
  | "percent"
  | "count"
  | "decimal"
  | "ratio"
  | "nps"
  | "score"
  | "hours"
  | "minutes"
  | "days";

export const GROUPS = [
  "revenue",
  "voice",
  "support",
  "usage",
  "engagement",
  "growth",
  "health",
  "other",
] as const;
export type Group = (typeof GROUPS)[number];

const CATALOGUE: Record<Group, Record<string, Unit>> = {
  revenue: {
    mrr: "money",
    mrr_new: "money",
    mrr_reactivation: "money",
    mrr_expansion: "money",
    mrr_contraction: "money",
    mrr_churned: "money",
    mrr_growth: "percent",
    mrr_at_risk: "money",
    customers: "count",
    customers_new: "count",
    customers_churned: "count",
    logo_churn_rate: "percent",
    revenue_churn_rate: "percent",
    ndr: "percent",
    grr: "percent",
    ndr_12m: "percent",
    arpa: "money",
    quick_ratio: "ratio",
    renewal_rate: "percent",
    clv: "money",
  },
  voice: {
    nps: "nps",
    nps_3m: "nps",
    nps_responses: "count",
    csat: "percent",
    ces: "percent",
    ces_avg: "decimal",
    feedback_comments: "count",
    detractor_comments: "count",
  },
  support: {
    tickets_created: "count",
    fcr: "percent",
    first_response_hours: "hours",
    resolution_hours: "hours",
  },
  usage: {
    mau: "count",
    dau: "decimal",
    stickiness: "percent",
    avg_session_minutes: "minutes",
    user_adoption: "percent",
    feature_adoption: "percent",
    product_usage_rate: "percent",
  },
  engagement: {
    touchpoints: "count",
    touchpoints_per_account: "decimal",
    contact_coverage: "percent",
    email_open_rate: "percent",
    email_ctr: "percent",
    email_conversion_rate: "percent",
    unsubscribe_rate: "percent",
    page_views: "count",
    bounce_rate: "percent",
    exit_rate: "percent",
    avg_web_session_minutes: "minutes",
    social_interactions: "count",
    event_registrations: "count",
    event_attendees: "count",
    event_attendance_rate: "percent",
  },
  growth: {
    conversion_rate: "percent",
    free_to_paid_rate: "percent",
    onboarding_completion_rate: "percent",
    time_to_onboard_days: "days",
    crc: "money",
    cac: "money",
    ltv_cac: "ratio",
    aov: "money",
    purchase_frequency: "decimal",
    repeat_purchase_rate: "percent",
    clv_orders: "money",
  },
  health: {
    cs_score: "score",
    cs_score_unweighted: "score",
    health_green: "percent",
    health_yellow: "percent",
    health_red: "percent",
  },
  other: {},
};

const INDEX = new Map<string, { group: Group; unit: Unit; order: number }>();
for (const group of GROUPS) {
  Object.entries(CATALOGUE[group]).forEach(([id, unit], order) =>
    INDEX.set(id, { group, unit, order }),
  );
}

export function groupOf(id: string): Group {
  return INDEX.get(id)?.group ?? "other";
}

export function unitOf(id: string): Unit {
  return INDEX.get(id)?.unit ?? "decimal";
}

export interface KpiGroup<K extends Kpi = Kpi> {
  group: Group;
  kpis: K[];
}

/** The month's KPIs in display groups (in `GROUPS` order, catalogue order within a group);
 * empty groups are left out, KPIs the catalogue does not know go to "other" in engine order. */
export function groupKpis<K extends Kpi>(kpis: readonly K[]): KpiGroup<K>[] {
  const byGroup = new Map<Group, K[]>();
  for (const kpi of kpis) {
    const group = groupOf(kpi.id);
    byGroup.set(group, [...(byGroup.get(group) ?? []), kpi]);
  }
  const rank = (k: K) => INDEX.get(k.id)?.order ?? Number.MAX_SAFE_INTEGER;
  return GROUPS.filter((g) => byGroup.has(g)).map((group) => ({
    group,
    kpis: [...(byGroup.get(group) ?? [])].sort((a, b) => rank(a) - rank(b)),
  }));
}
