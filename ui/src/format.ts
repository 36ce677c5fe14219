// Display formatting for the locale. Values arrive exact; rounding happens only here.
import type { Unit } from "./kpis";

export type Light = "green" | "yellow" | "red";

const NBSP = "\u00a0";

// Building an Intl formatter costs far more than using one (WebKit loads ICU data for it);
// a dashboard formats hundreds of values, so each (locale, options) is built once.
const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** A cached `Intl.NumberFormat` (throws like the constructor on a bad currency code). */
export function numberFormat(locale: string, opts: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(opts)}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, opts);
    numberFormats.set(key, f);
  }
  return f;
}

/** A cached `Intl.DateTimeFormat`. */
export function dateFormat(locale: string, opts: Intl.DateTimeFormatOptions = {}): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(opts)}`;
  let f = dateFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, opts);
    dateFormats.set(key, f);
  }
  return f;
}

function number(locale: string, value: number, digits: number, opts: Intl.NumberFormatOptions = {}): string {
  return numberFormat(locale, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    ...opts,
  }).format(value);
}

/** Money in the data's currency: whole units from 100 up and for whole amounts, else cents. */
export function formatMoney(value: number, locale: string, currency: string): string {
  const digits = Math.abs(value) >= 100 || Number.isInteger(value) ? 0 : 2;
  try {
    return numberFormat(locale, {
      style: "currency",
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(value);
  } catch {
    // Not an ISO 4217 code (e.g. a symbol from the data): the number and the text as given.
    return `${number(locale, value, digits)}${NBSP}${currency}`.trim();
  }
}

export interface UnitLabels {
  hours: string;
  minutes: string;
  days: string;
}

/** One KPI value: percent with one decimal and " %", money with the currency, counts whole. */
export function formatValue(
  value: number,
  unit: Unit,
  locale: string,
  currency: string,
  labels: UnitLabels,
): string {
  switch (unit) {
    case "money":
      return formatMoney(value, locale, currency);
    case "percent":
      return `${number(locale, value, 1)}${NBSP}%`;
    case "count":
      return number(locale, value, 0);
    case "score":
      return number(locale, value, 1);
    case "nps":
      return number(locale, value, 0, { signDisplay: "exceptZero" });
    case "ratio":
      return `${number(locale, value, 1)}${NBSP}×`;
    case "hours":
      return `${number(locale, value, 1)}${NBSP}${labels.hours}`;
    case "minutes":
      return `${number(locale, value, 1)}${NBSP}${labels.minutes}`;
    case "days":
      return `${number(locale, value, 0)}${NBSP}${labels.days}`;
    case "decimal":
      return number(locale, value, value % 1 === 0 ? 0 : 1);
  }
}

/** "2026-10" as "October 2026" / "Oktober 2026". */
export function formatMonth(month: string, locale: string): string {
  const [y, m] = month.split("-").map(Number);
  if (!y || !m) return month;
  return dateFormat(locale, { month: "long", year: "numeric", timeZone: "UTC" }).format(
    new Date(Date.UTC(y, m - 1, 1)),
  );
}

/** "2026-11-30" as "11/30/2026" / "30.11.2026". */
export function formatDate(date: string, locale: string): string {
  const [y, m, d] = date.split("-").map(Number);
  if (!y || !m || !d) return date;
  return dateFormat(locale, { day: "2-digit", month: "2-digit", year: "numeric", timeZone: "UTC" }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

/** The datasets a `no_data` KPI needs ("usage", "accounts.seats" → "usage", "accounts"), once each. */
export function neededDatasets(needs: readonly string[] | undefined): string[] {
  return [...new Set((needs ?? []).map((n) => n.split(".")[0]).filter((n) => n.length > 0))];
}

/** Joins names as the locale does ("survey and usage" / "Umfragen und Nutzungsdaten"). */
export function formatList(items: readonly string[], locale: string): string {
  return new Intl.ListFormat(locale, { style: "long", type: "conjunction" }).format(items);
}

/** The company score's light: the engine's when it sends one, else the default thresholds
 * of spec/kpis.md (green ≥ 70, yellow ≥ 40). */
export function scoreLight(score: number | null, engineLight?: Light | null): Light | null {
  if (score === null) return null;
  if (engineLight) return engineLight;
  return score >= 70 ? "green" : score >= 40 ? "yellow" : "red";
}
