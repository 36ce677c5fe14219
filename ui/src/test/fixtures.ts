import type { AccountScore, Dashboard, Explanation, KpiCard } from "../ipc";

const spark = (last: number | null): (number | null)[] => [...Array.from({ length: 11 }, (_, i) => (last === null ? null : last - 11 + i)), last];

function card(id: string, value: number | null, over: Partial<KpiCard> = {}): KpiCard {
  return {
    id,
    value,
    status: value === null ? "no_data" : "ok",
    previous: value === null ? null : value - 1,
    year_ago: value === null ? null : value - 11,
    spark: spark(value),
    target: null,
    target_status: null,
    ...over,
  };
}

/** A dashboard as the engine sends it (needs omitted when empty). */
export function sampleDashboard(over: Partial<Dashboard> = {}): Dashboard {
  return {
    month: "2026-10",
    months: ["2026-08", "2026-09", "2026-10"],
    cs_score: 66.24,
    cs_light: "yellow",
    cs_score_unweighted: 63.9,
    split: { green: 12, yellow: 6, red: 2, mrr_green: 30000, mrr_yellow: 14000, mrr_red: 4210.5 },
    accounts_scored: 20,
    mrr_at_risk: 4210.5,
    cards: [
      card("mrr", 48210.5, { previous: 47000, year_ago: 40000 }),
      card("logo_churn_rate", 2.5, {
        previous: 3.0,
        target: { kpi: "logo_churn_rate", target: 1, direction: "lower", tolerance: 0.5 },
        target_status: "missed",
      }),
      card("nps", 40, { target: { kpi: "nps", target: 30, direction: "higher", tolerance: 10 }, target_status: "met" }),
      card("stickiness", null, { needs: ["usage"] }),
      card("clv", null, { status: "undefined" }),
      card("ndr", null, { needs: ["revenue.previous_month"] }),
      card("cs_score", 66.24),
      card("brand_new_kpi", 3),
    ],
    spark_months: Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, "0")}`),
    bridge: { start: 47000, new: 2000, expansion: 800, reactivation: 100, contraction: 500, churned: 1189.5, end: 48210.5 },
    cohorts: [{ start: "2026-09", accounts: 3, start_mrr: 900, logo: [100, 66.7], revenue: [100, 80] }],
    movers: [
      { account_id: "A-2", name: "Beta GmbH", owner: "Ute", segment: "SMB", mrr: 900, score: 35, light: "red", previous_light: "yellow" },
    ],
    is_demo: true,
    currency: "EUR",
    threshold_green: 70,
    threshold_yellow: 40,
    coverage: null,
    ...over,
  };
}

export function account(id: string, over: Partial<AccountScore> = {}): AccountScore {
  return {
    account_id: id,
    name: `Name ${id}`,
    owner: "Ute",
    segment: "SMB",
    mrr: 100,
    score: 50,
    light: "yellow",
    previous_light: "yellow",
    components: { usage: 50, adoption: 50, sentiment: 50, engagement: 50, satisfaction: 50, account_health: 50 },
    inputs: {
      active_days: 10,
      users: 2,
      seats: 4,
      nps: 0,
      nps_responses: 3,
      touchpoints_90d: 2,
      csat_responses: 2,
      ces_responses: 0,
      mrr: 100,
      mrr_base: 125,
      mrr_base_month: "2026-07",
    },
    raw: { usage: 10, adoption: 0.5, sentiment: 0, engagement: 2, satisfaction: 50, account_health: 0.8 },
    coverage: 100,
    ...over,
  };
}

export function sampleExplanation(): Explanation {
  const a = account("A-1", { name: "Acme AG", score: 54.67 });
  return {
    month: "2026-10",
    account: a,
    parts: [
      { component: "usage", value: 50, weight: 25, share: 25, points: 12.5, gain: 12.5 },
      { component: "adoption", value: 50, weight: 20, share: 20, points: 10, gain: 10 },
      { component: "sentiment", value: 50, weight: 20, share: 20, points: 10, gain: 10 },
      { component: "engagement", value: 66.67, weight: 10, share: 10, points: 6.667, gain: 3.333 },
      { component: "satisfaction", value: 50, weight: 15, share: 15, points: 7.5, gain: 7.5 },
      { component: "account_health", value: 80, weight: 10, share: 10, points: 8, gain: 2 },
    ],
    best: "usage",
    history: Array.from({ length: 12 }, (_, i) => ({
      month: `2025-${String(i + 1).padStart(2, "0")}`,
      score: 40 + i,
      light: "yellow",
    })),
    threshold_green: 70,
    threshold_yellow: 40,
    target_usage_days: 20,
    target_touchpoints: 3,
    currency: "EUR",
    method: "targets",
    peers: "all",
  };
}
