import { describe, expect, it } from "vitest";
import type { Kpi } from "./ipc";
import { initTexts } from "./i18n";
import { KPI_CATALOGUE } from "./ipc/bindings/KPI_CATALOGUE";
import { betterOf, groupKpis, GROUPS, unitOf } from "./kpis";
import { kpiLabel } from "./present";

const kpi = (id: string): Kpi => ({ id, value: 1, status: "ok", needs: [] });

describe("groupKpis", () => {
  it("puts KPIs in display groups in a fixed order and leaves out empty groups", () => {
    const groups = groupKpis(["nps", "tickets_created", "mrr", "customers", "cac"].map(kpi));
    expect(groups.map((g) => g.group)).toEqual(["revenue", "voice", "support", "growth"]);
    expect(groups[0].kpis.map((k) => k.id)).toEqual(["mrr", "customers"]);
  });

  it("orders KPIs within a group by the catalogue, not by arrival", () => {
    const [revenue] = groupKpis(["clv", "arpa", "mrr"].map(kpi));
    expect(revenue.kpis.map((k) => k.id)).toEqual(["mrr", "arpa", "clv"]);
  });

  it("keeps KPIs it does not know, under other", () => {
    const groups = groupKpis(["mrr", "new_thing"].map(kpi));
    expect(groups[groups.length - 1]).toEqual({ group: "other", kpis: [kpi("new_thing")] });
    expect(GROUPS[GROUPS.length - 1]).toBe("other");
  });

  it("knows how each kind of KPI reads", () => {
    expect(unitOf("mrr")).toBe("money");
    expect(unitOf("ndr")).toBe("percent");
    expect(unitOf("customers")).toBe("count");
    expect(unitOf("unknown")).toBe("decimal");
  });

  it("reads the engine's catalogue: groups in its order, names in both languages", async () => {
    expect(GROUPS).toEqual(["revenue", "voice", "support", "usage", "engagement", "growth", "health", "other"]);
    expect(betterOf("health_yellow")).toBe("lower");
    expect(betterOf("page_views")).toBeNull();
    expect(betterOf("unknown")).toBeUndefined();
    const [en, de] = [await initTexts("en-US"), await initTexts("de-DE")];
    expect(kpiLabel("logo_churn_rate", en)).toBe("Customer churn rate");
    expect(kpiLabel("tickets_created", de)).toBe("Neue Tickets");
    // a KPI without a name would show its id
    for (const k of KPI_CATALOGUE) {
      expect(kpiLabel(k.id, en), k.id).not.toBe(k.id);
      expect(kpiLabel(k.id, de), k.id).not.toBe(k.id);
    }
  });
});
