import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { start } from "./app";
import { initTexts } from "./i18n";
import { sampleDashboard } from "./test/fixtures";

// happy-dom has no canvas; the chart is decoration over the split table anyway.
vi.mock("./view/chart", () => ({ mountSplitChart: () => () => {} }));

const nbsp = "\u00a0";
let root: HTMLElement;
const text = (testid: string) => root.querySelector(`[data-testid="${testid}"]`)?.textContent ?? null;

beforeEach(() => {
  root = document.createElement("div");
  document.body.replaceChildren(root);
});
afterEach(() => clearMocks());

describe("the first window", () => {
  it("shows the score, the demo banner and the month's KPIs in English", async () => {
    const calls: unknown[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === "get_dashboard") return sampleDashboard();
    });
    await start(root, await initTexts("en-US"));

    expect(calls).toEqual([{ cmd: "get_dashboard", args: { month: null, lang: "en" } }]);
    expect(text("cs-score")).toBe("66.2");
    expect(root.querySelector(".score")?.classList.contains("light-yellow")).toBe(true);
    expect(text("demo-banner")).toContain("Sample data — import your own");
    expect(text("kpi-mrr")).toBe("MRR€48,211");
    expect(text("kpi-logo_churn_rate")).toContain(`2.5${nbsp}%`);
    expect(text("kpi-nps")).toContain("+40");
    expect(text("kpi-stickiness")).toContain("Import usage data to see this");
    expect(text("kpi-ndr")).toContain("for the month before");
    const clv = root.querySelector('[data-testid="kpi-clv"] .value');
    expect(clv?.textContent).toBe("—");
    expect(clv?.getAttribute("data-tip")).toMatch(/divide by zero/);
    expect(clv?.getAttribute("tabindex")).toBe("0");
    expect(text("kpi-brand_new_kpi")).toContain("brand_new_kpi");
    expect(text("split-green")).toContain("12");
    expect(root.querySelector("h2#kpis-title")?.textContent).toBe("KPIs of October 2026");
  });

  it("speaks German when the system does", async () => {
    mockIPC(() => sampleDashboard());
    await start(root, await initTexts("de-DE"));
    expect(text("cs-score")).toBe("66,2");
    expect(text("demo-banner")).toContain("Beispieldaten — importieren Sie Ihre eigenen");
    expect(text("kpi-mrr")).toBe(`MRR48.211${nbsp}€`);
    expect(text("kpi-stickiness")).toContain("Importieren Sie Nutzungsdaten, um dies zu sehen");
  });

  it("leaves out the demo banner for the user's own data", async () => {
    mockIPC(() => sampleDashboard({ is_demo: false }));
    await start(root, await initTexts("en"));
    expect(text("demo-banner")).toBeNull();
  });

  it("asks for another month when the user picks one", async () => {
    const months: unknown[] = [];
    mockIPC((_cmd, args) => {
      const month = (args as { month: string | null }).month;
      months.push(month);
      return sampleDashboard({ month: month ?? "2026-10" });
    });
    await start(root, await initTexts("en"));
    const select = root.querySelector<HTMLSelectElement>("#month");
    expect(select?.value).toBe("2026-10");
    select!.value = "2026-09";
    select!.dispatchEvent(new Event("change"));
    await vi.waitFor(() => expect(months).toEqual([null, "2026-09"]));
    await vi.waitFor(() => expect(root.querySelector("h2#kpis-title")?.textContent).toBe("KPIs of September 2026"));
  });

  it("shows a Rust error as a plain-language banner with a retry, never a blank window", async () => {
    let fail = true;
    mockIPC(() => {
      if (fail) throw { code: "database", message: "The database file is damaged." };
      return sampleDashboard();
    });
    await start(root, await initTexts("en"));
    expect(text("error-banner")).toContain("The database file is damaged.");
    expect(text("cs-score")).toBeNull();

    fail = false;
    root.querySelector<HTMLButtonElement>('[data-testid="error-banner"] button')!.click();
    await vi.waitFor(() => expect(text("cs-score")).toBe("66.2"));
  });

  it("shows a dash and an explanation when there is no company score", async () => {
    mockIPC(() => sampleDashboard({ cs_score: null, cs_light: null, cs_score_unweighted: null, accounts_scored: 0 }));
    await start(root, await initTexts("en"));
    expect(text("cs-score")).toBe("—");
    expect(root.querySelector(".score")?.textContent).toContain("Not enough data");
  });
});
