// The accounts table's logic: search, filters and sorting, pure so Vitest covers it.
import type { AccountScore, Component } from "./ipc";
import type { Light } from "./format";

export const COMPONENTS: Component[] = ["usage", "adoption", "sentiment", "engagement", "satisfaction", "account_health"];

export type SortKey = "name" | "score" | "mrr" | "owner" | "segment" | Component;

export interface AccountFilter {
  search: string;
  light: Light | "none" | "all";
  owner: string;
  segment: string;
  moversOnly: boolean;
}

export const NO_FILTER: AccountFilter = { search: "", light: "all", owner: "", segment: "", moversOnly: false };

/** Lower-cased without accents: "muller" and "MÜLLER" both find "Müller". */
export function fold(text: string): string {
  return text.toLocaleLowerCase().normalize("NFKD").replace(/\p{M}/gu, "");
}

export function filterAccounts(all: readonly AccountScore[], f: AccountFilter): AccountScore[] {
  const needle = fold(f.search.trim());
  return all.filter((a) => {
    if (f.light === "none" ? a.light !== null : f.light !== "all" && a.light !== f.light) return false;
    if (f.owner && a.owner !== f.owner) return false;
    if (f.segment && a.segment !== f.segment) return false;
    if (f.moversOnly && !(a.light && a.previous_light && a.light !== a.previous_light)) return false;
    if (!needle) return true;
    return [a.account_id, a.name, a.owner, a.segment].some((v) => v !== null && fold(v).includes(needle));
  });
}

function sortValue(a: AccountScore, key: SortKey): number | string | null {
  switch (key) {
    case "name":
      return a.name ?? a.account_id;
    case "score":
      return a.score;
    case "mrr":
      return a.mrr;
    case "owner":
      return a.owner;
    case "segment":
      return a.segment;
    default:
      return a.components[key];
  }
}

/** Sorted by `key`; missing values last in both directions; ties by account id. */
export function sortAccounts(rows: readonly AccountScore[], key: SortKey, descending: boolean, locale: string): AccountScore[] {
  const collator = new Intl.Collator(locale, { sensitivity: "base", numeric: true });
  return [...rows].sort((x, y) => {
    const a = sortValue(x, key);
    const b = sortValue(y, key);
    if (a === null || b === null) {
      if (a === b) return x.account_id.localeCompare(y.account_id);
      return a === null ? 1 : -1;
    }
    const c = typeof a === "number" && typeof b === "number" ? a - b : collator.compare(String(a), String(b));
    return (descending ? -c : c) || x.account_id.localeCompare(y.account_id);
  });
}

/** The distinct non-empty values of a column, sorted, for a filter dropdown. */
export function distinct(rows: readonly AccountScore[], pick: (a: AccountScore) => string | null, locale: string): string[] {
  const set = new Set<string>();
  for (const a of rows) {
    const v = pick(a);
    if (v) set.add(v);
  }
  return [...set].sort(new Intl.Collator(locale).compare);
}
