// The score's trust in words (insights.md §2, §3, §5): lift, AUC, the verdict per
// component, what an `insufficient` backtest is missing, and which settings the Settings
// screen tries out before it saves them. Pure (texts and data in, strings out).
import { formatMonth, numberFormat, type Light } from "./format";
import type { Texts } from "./i18n";
import type { Backtest, Components } from "./ipc";

/** The six components in display order. */
export const COMPONENTS: (keyof Components)[] = [
  "usage",
  "adoption",
  "sentiment",
  "engagement",
  "satisfaction",
  "account_health",
];

/** Below these the backtest gives no verdict (the engine's MIN_ACCOUNTS, MIN_CHURNED). */
export const MIN_ACCOUNTS = 30;
export const MIN_CHURNED = 5;

/** Settings whose change moves scores or the backtest: Settings previews them and saves
 * them only on Apply. The rest (money, language, KPI targets) is saved at once. */
export function isPreviewed(key: string): boolean {
  return (
    key.startsWith("weight.") ||
    key.startsWith("threshold.") ||
    key.startsWith("target.") ||
    key === "score.method" ||
    key === "score.peers" ||
    key === "backtest.horizon"
  );
}

/** An AUC (0..1) as a percentage ("78 %"). */
export function formatAuc(auc: number, texts: Texts): string {
  return `${numberFormat(texts.locale, { maximumFractionDigits: 0 }).format(auc * 100)}\u00a0%`;
}

/** A share (0..100) as a whole percentage ("71 %"), as coverage is shown. */
export function formatShare(share: number, texts: Texts): string {
  return `${numberFormat(texts.locale, { maximumFractionDigits: 0 }).format(share)}\u00a0%`;
}

/** A percentage (0..100) with one decimal. */
export function formatRate(rate: number, texts: Texts): string {
  return `${numberFormat(texts.locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(rate)}\u00a0%`;
}

/** A lift ("4.2"). */
export function formatLift(lift: number, texts: Texts): string {
  return numberFormat(texts.locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(lift);
}

export type Verdict = "strong" | "some" | "chance" | "wrong";

/** How good an AUC is in plain words: ≥ 70 % useful in practice, ≥ 60 % some signal,
 * ≥ 50 % hardly better than chance, below 50 % the wrong way (docs/USER-GUIDE.md). */
export function verdict(auc: number): Verdict {
  if (auc >= 0.7) return "strong";
  if (auc >= 0.6) return "some";
  if (auc >= 0.5) return "chance";
  return "wrong";
}

/** "Red accounts left 4.2× as often as green ones", or why there is no ratio. `null` for an
 * insufficient backtest (no verdict). */
export function liftWords(b: Backtest, texts: Texts): string | null {
  if (b.status === "insufficient") return null;
  if (b.lift !== null) return texts.t("trust.lift", { lift: formatLift(b.lift, texts) });
  const { green, red } = b.lights;
  if (green.observations > 0 && red.observations > 0 && green.churn_rate === 0 && red.churn_rate !== null)
    return texts.t("trust.liftNoGreenChurn", { red: formatRate(red.churn_rate, texts) });
  return texts.t("trust.liftUndefined");
}

/** "The score ranks a customer who left below one who stayed 78 % of the time; 50 % would
 * be chance", or why it cannot be judged; `null` for an insufficient backtest. */
export function aucWords(b: Backtest, texts: Texts): string | null {
  if (b.status === "insufficient") return null;
  if (b.auc === null) return texts.t("trust.aucUndefined");
  return texts.t("trust.auc", { auc: formatAuc(b.auc, texts) });
}

/** What an insufficient backtest is missing ("12 customers observed and 3 customers who
 * left"); `null` when it has a verdict. */
export function missingWords(b: Backtest, texts: Texts): string | null {
  if (b.status !== "insufficient") return null;
  const parts: string[] = [];
  const accounts = Math.max(0, MIN_ACCOUNTS - b.accounts_observed);
  const churned = Math.max(0, MIN_CHURNED - b.accounts_churned);
  if (accounts > 0) parts.push(texts.t("trust.missingAccounts", { count: accounts }));
  if (churned > 0) parts.push(texts.t("trust.missingChurned", { count: churned }));
  const missing = new Intl.ListFormat(texts.locale, { style: "long", type: "conjunction" }).format(parts);
  return texts.t("trust.insufficient", { missing });
}

/** "Observed October 2025 – July 2026: 120 customers, 9 of them left." (`null` without
 * observation months). */
export function observedWords(b: Backtest, texts: Texts): string | null {
  const months = b.observation_months;
  if (months.length === 0) return null;
  const n = numberFormat(texts.locale, { maximumFractionDigits: 0 });
  return texts.t("trust.observed", {
    from: formatMonth(months[0] ?? "", texts.locale),
    to: formatMonth(months[months.length - 1] ?? "", texts.locale),
    accounts: n.format(b.accounts_observed),
    churned: n.format(b.accounts_churned),
  });
}

export interface ChurnBar {
  light: Light;
  observations: number;
  churned: number;
  /** 0..100, `null` without observations. */
  rate: number | null;
  /** The bar's width in % of the widest (the highest churn rate is 100). */
  width: number;
}

/** Churn rate by light as bars, green, yellow, red. */
export function churnBars(b: Backtest): ChurnBar[] {
  const lights: Light[] = ["green", "yellow", "red"];
  const max = Math.max(0, ...lights.map((l) => b.lights[l].churn_rate ?? 0));
  return lights.map((light) => {
    const o = b.lights[light];
    return {
      light,
      observations: o.observations,
      churned: o.churned,
      rate: o.churn_rate,
      width: o.churn_rate === null || max === 0 ? 0 : (o.churn_rate / max) * 100,
    };
  });
}

/** The pending changes as `KEY=VALUE`, in an order the engine accepts one by one: the
 * settings screen's order, except that of two new thresholds the one that keeps yellow ≤
 * green on the way comes first. */
export function changeList(pending: Record<string, string>, saved: Map<string, string>, order: string[]): string[] {
  const keys = Object.keys(pending).sort((a, b) => {
    const ia = order.indexOf(a);
    const ib = order.indexOf(b);
    return (ia < 0 ? order.length : ia) - (ib < 0 ? order.length : ib);
  });
  const green = pending["threshold.green"];
  const yellow = pending["threshold.yellow"];
  if (green !== undefined && yellow !== undefined) {
    // green first keeps (new green, saved yellow) valid when saved yellow ≤ new green
    const greenFirst = Number(saved.get("threshold.yellow")) <= Number(green);
    const first = greenFirst ? "threshold.green" : "threshold.yellow";
    const second = greenFirst ? "threshold.yellow" : "threshold.green";
    const rest = keys.filter((k) => k !== first && k !== second);
    const at = keys.findIndex((k) => k.startsWith("threshold."));
    rest.splice(at, 0, first, second);
    return rest.map((k) => `${k}=${pending[k]}`);
  }
  return keys.map((k) => `${k}=${pending[k]}`);
}
