import type { Dashboard } from "../ipc";

/** A dashboard as the engine sends it (needs omitted when empty). */
export function sampleDashboard(over: Partial<Dashboard> = {}): Dashboard {
  return {
    month: "2026-10",
    months: ["2026-08", "2026-09", "2026-10"],
    cs_score: 66.24,
    cs_light: "yellow",
    cs_score_unweighted: 63.9,
    split: { green: 12, yellow: 6, red: 2, mrr_green: 30000, mrr_yellow: 14000, mrr_red: 4210.5 },
    kpis: [
      { id: "mrr", value: 48210.5, status: "ok" },
      { id: "logo_churn_rate", value: 2.5, status: "ok" },
      { id: "nps", value: 40, status: "ok" },
      { id: "stickiness", value: null, status: "no_data", needs: ["usage"] },
      { id: "clv", value: null, status: "undefined" },
      { id: "ndr", value: null, status: "no_data", needs: ["revenue.previous_month"] },
      { id: "cs_score", value: 66.24, status: "ok" },
      { id: "brand_new_kpi", value: 3, status: "ok" },
    ],
    accounts_scored: 20,
    is_demo: true,
    currency: "EUR",
    ...over,
  };
}
