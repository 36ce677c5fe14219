import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("./components/charts", async (actual) => ({
  ...(await actual<typeof import("./components/charts")>()),
  EChart: (p: { label: string }) => <div role="img" aria-label={p.label} />,
}));
import { App } from "./app";
import { initTexts } from "./i18n";
import type { Backtest, Preview, SettingEntry } from "./ipc";
import { sampleDashboard, sampleExplanation } from "./test/fixtures";
import { changeList, churnBars, isPreviewed, liftWords, missingWords, verdict } from "./trust";

const nbsp = "\u00a0";

function backtest(over: Partial<Backtest> = {}): Backtest {
  const light = (observations: number, churned: number) => ({
    observations,
    churned,
    churn_rate: observations ? (churned / observations) * 100 : null,
    mrr: observations * 100,
    mrr_churned: churned * 100,
    revenue_churn_rate: observations ? (churned / observations) * 100 : null,
  });
  return {
    month: "2026-10",
    horizon: 3,
    observation_months: ["2025-08", "2025-09", "2026-07"],
    status: "ok",
    lights: { green: light(200, 5), yellow: light(80, 8), red: light(20, 7) },
    lift: 14,
    auc: 0.78,
    components: { usage: 0.81, adoption: 0.62, sentiment: 0.55, engagement: 0.45, satisfaction: null, account_health: 0.7 },
    accounts_observed: 40,
    accounts_churned: 20,
    auc_by_method: { targets: 0.78, percentile: 0.74 },
    ...over,
  };
}

const entries = (over: Record<string, string> = {}): SettingEntry[] =>
  [
    ["weight.usage", "25"],
    ["threshold.green", "70"],
    ["threshold.yellow", "40"],
    ["score.method", "targets"],
    ["score.peers", "all"],
    ["backtest.horizon", "3"],
    ["company_name", ""],
    ["language", "auto"],
  ].map(([key, def]) => ({ key: key!, value: over[key!] ?? def!, default: def!, direction: null }));

function preview(): Preview {
  return {
    month: "2026-10",
    cs_score: { before: 66.24, after: 71.5 },
    moves: [
      { before: "yellow", after: "green", count: 2 },
      { before: "red", after: "yellow", count: 1 },
    ],
    changes: [
      { account_id: "A-1", name: "Acme AG", score_before: 65, score_after: 72, before: "yellow", after: "green" },
      { account_id: "B-2", name: "Beta GmbH", score_before: 68, score_after: 71, before: "yellow", after: "green" },
      { account_id: "C-3", name: null, score_before: 38, score_after: 41, before: "red", after: "yellow" },
    ],
    auc: { before: 0.78, after: 0.81 },
    lift: { before: 14, after: null },
    backtest_before: backtest(),
    backtest_after: backtest({ auc: 0.81, lift: null }),
  };
}

let calls: { cmd: string; args: Record<string, unknown> }[];
function mock(extra: (cmd: string, a: Record<string, unknown>) => unknown = () => undefined) {
  calls = [];
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args: a });
    const answer = extra(cmd, a);
    if (answer !== undefined) return answer;
    if (cmd === "get_dashboard") return sampleDashboard();
    if (cmd === "get_settings") return entries();
    if (cmd === "plugin:event|listen") return 1;
    return null;
  });
}
async function start(hash: string, tag = "en-US") {
  location.hash = hash;
  render(<App initial={await initTexts(tag)} />);
  await screen.findByTestId("nav-dashboard");
}

beforeEach(() => {
  location.hash = "#/";
});
afterEach(() => {
  cleanup();
  clearMocks();
});

describe("the score's trust in words", () => {
  it("judges an AUC as the user guide does", () => {
    expect([0.85, 0.7, 0.65, 0.6, 0.55, 0.5, 0.49].map(verdict)).toEqual([
      "strong",
      "strong",
      "some",
      "some",
      "chance",
      "chance",
      "wrong",
    ]);
  });

  it("says the lift, why there is none, and nothing without a verdict", async () => {
    const texts = await initTexts("en-US");
    expect(liftWords(backtest({ lift: 4.21 }), texts)).toBe("Red accounts left 4.2× as often as green ones.");
    const noGreenChurn = backtest({ lift: null });
    noGreenChurn.lights.green = { ...noGreenChurn.lights.green, churned: 0, churn_rate: 0 };
    expect(liftWords(noGreenChurn, texts)).toBe(`No green account left, so there is no ratio: red ones left in 35.0${nbsp}% of the cases.`);
    const noRed = backtest({ lift: null });
    noRed.lights.red = { ...noRed.lights.red, observations: 0, churned: 0, churn_rate: null };
    expect(liftWords(noRed, texts)).toContain("one of the two lights had no customers");
    expect(liftWords(backtest({ status: "insufficient", lift: null }), texts)).toBeNull();
    const de = await initTexts("de-DE");
    expect(liftWords(backtest({ lift: 4.21 }), de)).toBe("Rote Kunden haben 4,2-mal so oft gekündigt wie grüne.");
  });

  it("names what an insufficient backtest is missing", async () => {
    const texts = await initTexts("en-US");
    const b = backtest({ status: "insufficient", accounts_observed: 18, accounts_churned: 4, lift: null, auc: null });
    expect(missingWords(b, texts)).toContain("12 customers observed and 1 customer who left are missing");
    expect(missingWords(backtest({ status: "insufficient", accounts_observed: 50, accounts_churned: 2 }), texts)).toContain(
      "3 customers who left are missing",
    );
    expect(missingWords(backtest(), texts)).toBeNull();
  });

  it("draws churn bars relative to the highest rate", () => {
    const bars = churnBars(backtest());
    expect(bars.map((b) => b.light)).toEqual(["green", "yellow", "red"]);
    expect(bars[2]?.width).toBe(100); // red: 35 %
    expect(bars[0]?.width).toBeCloseTo((2.5 / 35) * 100);
    const empty = backtest();
    empty.lights.yellow = { ...empty.lights.yellow, observations: 0, churned: 0, churn_rate: null };
    expect(churnBars(empty)[1]).toMatchObject({ rate: null, width: 0 });
  });

  it("tries score settings out first and orders two thresholds so each step is valid", () => {
    expect(["weight.usage", "threshold.green", "target.usage_days", "score.method", "score.peers", "backtest.horizon"].every(isPreviewed)).toBe(true);
    expect(["language", "currency", "company_name", "kpi_target.nps", "gross_margin"].some(isPreviewed)).toBe(false);
    const saved = new Map([
      ["threshold.green", "70"],
      ["threshold.yellow", "40"],
    ]);
    const order = ["weight.usage", "threshold.green", "threshold.yellow"];
    // up: green first (80/40, then 80/75)
    expect(changeList({ "threshold.yellow": "75", "threshold.green": "80", "weight.usage": "9" }, saved, order)).toEqual([
      "weight.usage=9",
      "threshold.green=80",
      "threshold.yellow=75",
    ]);
    // down below the saved yellow: yellow first (70/20, then 30/20)
    expect(changeList({ "threshold.green": "30", "threshold.yellow": "20" }, saved, order)).toEqual([
      "threshold.yellow=20",
      "threshold.green=30",
    ]);
  });
});

describe("Does the score work?", () => {
  it("shows churn by light with counts, lift and AUC in words, each component, and switches the horizon", async () => {
    mock((cmd, a) => {
      if (cmd === "get_backtest") return backtest({ horizon: (a.horizon as number | null) ?? 3 });
    });
    await start("#/score-check");
    await screen.findByTestId("churn-by-light");
    expect(calls.find((c) => c.cmd === "get_backtest")?.args).toEqual({ month: null, horizon: null, lang: "en" });
    expect(screen.getByTestId("churn-red").textContent).toContain(`35.0${nbsp}%`);
    expect(screen.getByTestId("churn-red").textContent).toContain("7 of 20 left (customer-months)");
    expect(screen.getByTestId("churn-green").textContent).toContain("5 of 200 left (customer-months)");
    expect(screen.getByTestId("lift").textContent).toBe("Red accounts left 14.0× as often as green ones.");
    expect(screen.getByTestId("auc").textContent).toBe(
      `The score ranks a customer who left below one who stayed 78${nbsp}% of the time; 50 % would be chance.`,
    );
    expect(screen.getByTestId("auc-usage").textContent).toContain(`81${nbsp}%`);
    expect(screen.getByTestId("auc-usage").textContent).toContain("Useful in practice");
    expect(screen.getByTestId("auc-engagement").textContent).toContain("Points the wrong way");
    expect(screen.getByTestId("auc-satisfaction").textContent).toContain("not enough data");
    expect(screen.getByTestId("methods").textContent).toContain(`Against targets: 78${nbsp}%. As percentiles among peers: 74${nbsp}%`);
    expect(screen.getByTestId("observed").textContent).toBe("Observed August 2025 – July 2026: 40 customers, 20 of them left.");
    expect(screen.queryByTestId("insufficient")).toBeNull();
    fireEvent.change(screen.getByTestId("horizon"), { target: { value: "6" } });
    await waitFor(() => expect(calls.filter((c) => c.cmd === "get_backtest").slice(-1)[0]?.args.horizon).toBe(6));
    await waitFor(() => expect(screen.getByText(/left within the next 6 months/)).toBeTruthy());
  });

  it("explains an insufficient backtest in German instead of a verdict", async () => {
    mock((cmd) => {
      if (cmd === "get_backtest")
        return backtest({ status: "insufficient", lift: null, auc: null, accounts_observed: 25, accounts_churned: 2, auc_by_method: undefined,
          components: { usage: null, adoption: null, sentiment: null, engagement: null, satisfaction: null, account_health: null } });
    });
    await start("#/score-check", "de-DE");
    const why = await screen.findByTestId("insufficient");
    expect(why.textContent).toContain("Es fehlen 5 beobachtete Kunden und 3 Kunden, die gekündigt haben");
    expect(screen.queryByTestId("lift")).toBeNull();
    expect(screen.queryByTestId("auc")).toBeNull();
    expect(screen.getByTestId("churn-red").textContent).toContain("7 von 20 gekündigt (Kundenmonate)");
  });

  it("is reached from the dashboard's score card, which shows the coverage", async () => {
    mock((cmd) => {
      if (cmd === "get_dashboard")
        return sampleDashboard({ coverage: { month: "2026-10", score: 71.4, accounts_scored: 20, components: [], datasets: [] } });
    });
    await start("#/");
    expect((await screen.findByTestId("score-coverage")).textContent).toBe(`Based on 71${nbsp}% of the signals`);
    expect(screen.getByTestId("open-score-check").getAttribute("href")).toBe("#/score-check");
  });
});

describe("the settings preview", () => {
  function settingsMock() {
    let saved = entries();
    mock((cmd, a) => {
      if (cmd === "get_settings") return saved;
      if (cmd === "preview_settings") return preview();
      if (cmd === "apply_settings") {
        const over = Object.fromEntries((a.changes as string[]).map((c) => c.split("=")));
        saved = entries(over);
        return saved;
      }
    });
  }

  it("shows a change's effect before anything is saved; Cancel leaves the settings untouched", async () => {
    settingsMock();
    await start("#/settings");
    const input = (await screen.findByTestId("setting-weight-usage")) as HTMLInputElement;
    fireEvent.change(input, { target: { value: "40" } });
    const panel = await screen.findByTestId("preview-figures");
    expect(calls.find((c) => c.cmd === "preview_settings")?.args).toEqual({ changes: ["weight.usage=40"], month: null, lang: "en" });
    expect(screen.getByTestId("preview-score").textContent).toContain("66.271.5");
    expect(screen.getByTestId("preview-auc").textContent).toContain(`78${nbsp}%81${nbsp}%`);
    expect(screen.getByTestId("preview-lift").textContent).toContain(`14.0${nbsp}×—`);
    expect(panel).toBeTruthy();
    const moves = screen.getByTestId("preview-moves").textContent ?? "";
    expect(moves).toContain("2 accounts Yellow → Green");
    expect(moves).toContain("1 account Red → Yellow");
    expect(screen.getByTestId("preview-changes").textContent).toContain("Acme AG");
    expect(screen.getByTestId("preview-changes").textContent).toContain("C-3");
    expect(calls.some((c) => c.cmd === "set_setting" || c.cmd === "apply_settings")).toBe(false);
    fireEvent.click(screen.getByTestId("preview-cancel"));
    await waitFor(() => expect(screen.queryByTestId("preview")).toBeNull());
    expect(((await screen.findByTestId("setting-weight-usage")) as HTMLInputElement).value).toBe("25");
    expect(screen.getByTestId("settings-status").textContent).toBe("Nothing was changed.");
    expect(calls.some((c) => c.cmd === "set_setting" || c.cmd === "apply_settings")).toBe(false);
  });

  it("Apply saves every pending change at once and recomputes the dashboard", async () => {
    settingsMock();
    await start("#/settings");
    fireEvent.change(await screen.findByTestId("setting-weight-usage"), { target: { value: "40" } });
    fireEvent.change(screen.getByTestId("setting-score-method"), { target: { value: "percentile" } });
    await waitFor(() =>
      expect(calls.filter((c) => c.cmd === "preview_settings").slice(-1)[0]?.args.changes).toEqual([
        "weight.usage=40",
        "score.method=percentile",
      ]),
    );
    expect((screen.getByTestId("setting-score-peers") as HTMLSelectElement).disabled).toBe(false);
    const dashboards = calls.filter((c) => c.cmd === "get_dashboard").length;
    const apply = screen.getByTestId("preview-apply") as HTMLButtonElement;
    await waitFor(() => expect(apply.disabled).toBe(false));
    fireEvent.click(apply);
    await waitFor(() => expect(screen.queryByTestId("preview")).toBeNull());
    expect(calls.find((c) => c.cmd === "apply_settings")?.args).toEqual({
      changes: ["weight.usage=40", "score.method=percentile"],
      lang: "en",
    });
    expect(((await screen.findByTestId("setting-weight-usage")) as HTMLInputElement).value).toBe("40");
    expect(screen.getByText("Default: 25")).toBeTruthy();
    expect(screen.getByTestId("settings-status").textContent).toBe("Applied. Everything is recomputed.");
    await waitFor(() => expect(calls.filter((c) => c.cmd === "get_dashboard").length).toBeGreaterThan(dashboards));
  });

  it("shows a refused value and does not let it be applied; other settings save at once", async () => {
    mock((cmd) => {
      if (cmd === "preview_settings") throw { code: "bad_setting", message: "weight.usage: a number is expected" };
      if (cmd === "set_setting") return entries({ company_name: "Acme" });
    });
    await start("#/settings");
    fireEvent.change(await screen.findByTestId("setting-weight-usage"), { target: { value: "viel" } });
    expect((await screen.findByTestId("error-banner")).textContent).toContain("a number is expected");
    expect((screen.getByTestId("preview-apply") as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByTestId("setting-company_name"), { target: { value: "Acme" } });
    await waitFor(() =>
      expect(calls.find((c) => c.cmd === "set_setting")?.args).toEqual({ key: "company_name", value: "Acme", lang: "en" }),
    );
  });
});

describe("the account page", () => {
  it("says how much data and which method made the score", async () => {
    mock((cmd) => {
      if (cmd === "explain_account") {
        const e = sampleExplanation();
        e.account.coverage = 83.33;
        e.parts[5] = { ...e.parts[5]!, value: null, points: null, share: null, gain: null };
        return { ...e, method: "percentile", peers: "segment" };
      }
    });
    await start("#/accounts/A-1");
    expect((await screen.findByTestId("account-coverage")).textContent).toBe(`Based on 83${nbsp}% of the signals (5 of 6 components)`);
    expect(screen.getByTestId("account-method").textContent).toBe(
      "Each component is the account's percentile among the accounts of its segment.",
    );
    expect(screen.getByTestId("parts").textContent).toContain("Percentile (0–100)");
  });
});
