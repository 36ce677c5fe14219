// The KPI catalogue as the screens read it: which group each KPI belongs to, how its value
// reads and which way is better. It is the engine's (`kpi/catalogue.rs`), generated into
// ./ipc/bindings/KPI_CATALOGUE.ts; unknown ids still show, under "other".
import type { Kpi } from "./ipc";
import { KPI_CATALOGUE } from "./ipc/bindings/KPI_CATALOGUE";
import type { Group as CatalogueGroup } from "./ipc/bindings/Group";
import type { KpiInfo } from "./ipc/bindings/KpiInfo";
import type { Unit } from "./ipc/bindings/Unit";

export type { Unit } from "./ipc/bindings/Unit";
export type Group = CatalogueGroup | "other";

const INDEX = new Map<string, KpiInfo & { order: number }>(
  KPI_CATALOGUE.map((k, order) => [k.id, { ...k, order }]),
);

/** The catalogue's groups in display order, then "other". */
export const GROUPS: readonly Group[] = [...new Set<Group>(KPI_CATALOGUE.map((k) => k.group)), "other"];

export function groupOf(id: string): Group {
  return INDEX.get(id)?.group ?? "other";
}

export function unitOf(id: string): Unit {
  return INDEX.get(id)?.unit ?? "decimal";
}

/** Which way is better for a KPI: `undefined` when the catalogue does not know it, `null`
 * when neither is (a volume such as tickets created). */
export function betterOf(id: string): KpiInfo["better"] | undefined {
  return INDEX.get(id)?.better;
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
