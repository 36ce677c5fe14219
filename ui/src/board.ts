// The board's questions as the screens read them (insights.md §1, §5, §6): the breakdown
// table's columns and sorting, a KPI card's coverage, the renewals list's sorting and the
// route of a breakdown group. Pure (data in, data out), so Vitest covers it.
import type { BreakdownAnswer, BreakdownGroup, Coverage, Dim, DueRenewal, GroupFilter, Kind } from "./ipc";
import { KPI_CATALOGUE } from "./ipc/bindings/KPI_CATALOGUE";
import type { Light } from "./format";

/** The breakdown table's columns: `accounts`, the KPIs shown, and the health split (its
 * green, yellow and red shares in one column). */
export const BREAKDOWN_COLUMNS = [
  "accounts",
  "mrr",
  "mrr_new",
  "mrr_expansion",
  "mrr_contraction",
  "mrr_churned",
  "logo_churn_rate",
  "revenue_churn_rate",
  "ndr",
  "grr",
  "nps",
  "csat",
  "tickets_created",
  "stickiness",
  "cs_score",
  "health",
  "mrr_at_risk",
] as const;

export type BreakdownColumn = (typeof BREAKDOWN_COLUMNS)[number];

/** A group's value of a KPI; `null` when it has none. */
export function groupKpi(g: BreakdownGroup, id: string): number | null {
  const k = g.kpis.find((k) => k.id === id);
  return k && k.status === "ok" ? k.value : null;
}

/** What a column sorts by: the KPI, `accounts`, or the share of red accounts for the
 * health split. */
export function columnValue(g: BreakdownGroup, col: BreakdownColumn): number | null {
  if (col === "accounts") return g.accounts;
  if (col === "health") return groupKpi(g, "health_red");
  return groupKpi(g, col);
}

export interface BreakdownRow {
  group: BreakdownGroup;
  /** Target status per KPI id (the Rust side decided it with the saved targets). */
  targets: { [id: string]: "met" | "near" | "missed" | undefined };
}

/** The groups with their target statuses, sorted by `col` (missing values last in both
 * directions, then as the engine sorted them: MRR descending, then key). */
export function sortBreakdown(a: BreakdownAnswer, col: BreakdownColumn | null, descending: boolean): BreakdownRow[] {
  const rows = (a.breakdown?.groups ?? []).map((group, i) => ({ group, targets: a.targets[i] ?? {}, i }));
  if (col !== null) {
    rows.sort((x, y) => {
      const u = columnValue(x.group, col);
      const v = columnValue(y.group, col);
      if (u === null || v === null) return u === v ? x.i - y.i : u === null ? 1 : -1;
      return (descending ? v - u : u - v) || x.i - y.i;
    });
  }
  return rows.map(({ group, targets }) => ({ group, targets }));
}

/** One bar of a KPI card's chart by group. */
export interface GroupBar {
  /** The group's name as the breakdown table shows it. */
  key: string;
  value: number;
  /** |value| over the largest |value| of the chart, 0..1: the bar's length. */
  share: number;
  /** Where the KPI has a target: the group's status. */
  status?: "met" | "near" | "missed";
}

/** A KPI's value per group of the breakdown, for the card's small bar chart: the groups in
 * the breakdown's order (MRR descending) that have a value; `null` when fewer than two do
 * (nothing to compare) or the KPI is not account-based. */
export function groupBars(a: BreakdownAnswer | null, id: string): { by: Dim; bars: GroupBar[] } | null {
  const b = a?.breakdown;
  if (!a || !b) return null;
  const found: Omit<GroupBar, "share">[] = [];
  b.groups.forEach((g, i) => {
    const value = groupKpi(g, id);
    if (value === null || !Number.isFinite(value)) return;
    const status = a.targets[i]?.[id];
    found.push(status ? { key: g.key, value, status } : { key: g.key, value });
  });
  if (found.length < 2) return null;
  const largest = Math.max(...found.map((f) => Math.abs(f.value)));
  return { by: b.by, bars: found.map((f) => ({ ...f, share: largest > 0 ? Math.abs(f.value) / largest : 0 })) };
}

/** The Accounts screen's route for a group: `#/accounts?by=segment&kind=value&group=…`. */
export function groupHref(filter: GroupFilter): string {
  const q = new URLSearchParams({ by: filter.by, kind: filter.kind, group: filter.key });
  return `/accounts?${q.toString()}`;
}

/** The group a route asks for, or `null`. */
export function groupOfQuery(q: URLSearchParams): GroupFilter | null {
  const by = q.get("by");
  const kind = q.get("kind");
  const key = q.get("group");
  if (!by || !kind || key === null) return null;
  if (!["segment", "owner", "plan", "region"].includes(by)) return null;
  if (!["value", "none", "unknown"].includes(kind)) return null;
  return { by: by as GroupFilter["by"], kind: kind as GroupFilter["kind"], key };
}

const NEEDS = new Map<string, Kind[][]>(KPI_CATALOGUE.map((k) => [k.id, k.needs]));

/** How much of its data a KPI card stands on (insights.md §5): for each dataset list the
 * KPI needs, the coverage of the first dataset CS Pulse measures (revenue before accounts),
 * the lowest of those; the score's KPIs the mean account coverage. `null` when none of
 * its datasets is measured or covered this month. */
export function kpiCoverage(id: string, coverage: Coverage | null): number | null {
  if (!coverage) return null;
  if (id === "cs_score" || id === "cs_score_unweighted" || id.startsWith("health_")) return coverage.score;
  const needs = NEEDS.get(id);
  if (!needs) return null;
  let lowest: number | null = null;
  for (const oneOf of needs) {
    const share = oneOf
      .map((kind) => coverage.datasets.find((d) => d.dataset === kind)?.share)
      .find((s) => s !== undefined && s !== null);
    if (share !== undefined && share !== null) lowest = lowest === null ? share : Math.min(lowest, share);
  }
  return lowest;
}

export type RenewalSort = "account" | "due_date" | "value" | "light" | "score" | "owner" | "lever";

const LIGHT_RANK: Record<Light, number> = { red: 0, yellow: 1, green: 2 };

function renewalValue(r: DueRenewal, key: RenewalSort): number | string | null {
  switch (key) {
    case "account":
      return r.name ?? r.account_id;
    case "light":
      return r.light === null ? null : LIGHT_RANK[r.light];
    default:
      return r[key];
  }
}

/** The renewals sorted by `key` (missing values last in both directions; ties by due date,
 * then account id, as the engine lists them). */
export function sortRenewals(list: readonly DueRenewal[], key: RenewalSort, descending: boolean, locale: string): DueRenewal[] {
  const collator = new Intl.Collator(locale, { sensitivity: "base", numeric: true });
  const tie = (x: DueRenewal, y: DueRenewal) =>
    x.due_date.localeCompare(y.due_date) || x.account_id.localeCompare(y.account_id);
  return [...list].sort((x, y) => {
    const a = renewalValue(x, key);
    const b = renewalValue(y, key);
    if (a === null || b === null) return a === b ? tie(x, y) : a === null ? 1 : -1;
    const c = typeof a === "number" && typeof b === "number" ? a - b : collator.compare(String(a), String(b));
    return (descending ? -c : c) || tie(x, y);
  });
}
