// What the first window says about each number: labels, formatted values, hints.
// Pure (texts and data in, strings out), so the unit tests cover it without a window.
import { numberFormat, formatList, formatValue, neededDatasets, scoreLight, type Light } from "./format";
import type { Texts } from "./i18n";
import type { Dashboard, Kpi } from "./ipc";
import { betterOf, unitOf, type Unit } from "./kpis";

export interface KpiText {
  label: string;
  /** The value as shown: a formatted number, or "—" when there is none. */
  value: string;
  /** Why there is no value (no_data: which import; undefined: division by zero). */
  hint?: string;
}

export const DASH = "—";

export function kpiLabel(id: string, texts: Texts): string {
  const key = `kpis.${id}`;
  return texts.i18n.exists(key) ? texts.t(key) : id;
}

/** Formats values of a unit in the UI's locale and the data's currency. */
export function formatter(texts: Texts, currency: string): (value: number, unit: Unit) => string {
  const labels = { hours: texts.t("unit.hours"), minutes: texts.t("unit.minutes"), days: texts.t("unit.days") };
  return (value, unit) => formatValue(value, unit, texts.locale, currency, labels);
}

export function describeKpi(kpi: Kpi, texts: Texts, currency: string): KpiText {
  const label = kpiLabel(kpi.id, texts);
  if (kpi.status === "ok" && kpi.value !== null) {
    return { label, value: formatter(texts, currency)(kpi.value, unitOf(kpi.id)) };
  }
  if (kpi.status === "no_data") {
    const names = neededDatasets(kpi.needs).map((d) =>
      texts.i18n.exists(`dataset.${d}`) ? texts.t(`dataset.${d}`) : d,
    );
    // "revenue.previous_month": the data is there, only the month before is not
    const previous = (kpi.needs ?? []).some((n) => n.endsWith(".previous_month"));
    const hint = names.length
      ? texts.t(previous ? "kpi.needsPrevious" : "kpi.needs", { what: formatList(names, texts.locale) })
      : texts.t("kpi.needsSome");
    return { label, value: DASH, hint };
  }
  return { label, value: DASH, hint: texts.t("kpi.undefined") };
}

export interface ScoreText {
  value: string;
  light: Light | null;
  lightLabel: string | null;
  accounts: string;
  unweighted: string | null;
}

export function describeScore(d: Dashboard, texts: Texts): ScoreText {
  const format = formatter(texts, d.currency);
  const fmt = (v: number) => format(v, "score");
  const light = scoreLight(d.cs_score, d.cs_light);
  return {
    value: d.cs_score === null ? DASH : fmt(d.cs_score),
    light,
    lightLabel: light ? texts.t(`light.${light}`) : null,
    accounts: texts.t("score.accounts", { count: d.accounts_scored }),
    unweighted:
      d.cs_score_unweighted === null ? null : texts.t("score.unweighted", { value: fmt(d.cs_score_unweighted) }),
  };
}

export interface SplitRow {
  light: Light;
  label: string;
  accounts: string;
  mrr: string;
}

/** The numbers behind the chart, as a table row per light. */
export function splitRows(d: Dashboard, texts: Texts): SplitRow[] {
  const s = d.split;
  const total = s.green + s.yellow + s.red;
  const totalMrr = s.mrr_green + s.mrr_yellow + s.mrr_red;
  const format = formatter(texts, d.currency);
  const pct = (part: number, whole: number) => (whole > 0 ? ` (${format((part / whole) * 100, "percent")})` : "");
  const row = (light: Light, n: number, mrr: number): SplitRow => ({
    light,
    label: texts.t(`light.${light}`),
    accounts: format(n, "count") + pct(n, total),
    mrr: format(mrr, "money") + pct(mrr, totalMrr),
  });
  return [row("green", s.green, s.mrr_green), row("yellow", s.yellow, s.mrr_yellow), row("red", s.red, s.mrr_red)];
}

/** A change against an earlier value: percentage points for percent KPIs, the unit's own
 * format otherwise; `null` when either value is missing. */
export function formatChange(
  value: number | null,
  before: number | null,
  unit: Unit,
  texts: Texts,
  currency: string,
): string | null {
  if (value === null || before === null) return null;
  const d = value - before;
  const sign = d > 0 ? "+" : d < 0 ? "−" : "±";
  const abs = Math.abs(d);
  if (unit === "percent") {
    const n = numberFormat(texts.locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(abs);
    return `${sign}${n}\u00a0${texts.t("unit.pp")}`;
  }
  return `${sign}${formatter(texts, currency)(abs, unit === "nps" ? "count" : unit)}`;
}

/** Whether up is good for a KPI (for colouring changes and sparklines): from its target's
 * direction, else from the catalogue's; `null` when neither is better. */
export function goodDirection(id: string, direction: "higher" | "lower" | null | undefined): "up" | "down" | null {
  const better = direction ?? betterOf(id);
  if (better === "lower") return "down";
  if (better === null) return null;
  return "up";
}

/** A dataset column in plain words ("Account ID", "Kunden-ID"); the id when unknown. */
export function fieldLabel(kind: string, field: string, texts: Texts): string {
  for (const key of [`fieldOf.${kind}.${field}`, `field.${field}`]) {
    if (texts.i18n.exists(key)) return texts.t(key);
  }
  return field;
}
