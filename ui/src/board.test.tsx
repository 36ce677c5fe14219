import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { render, screen, fireEvent, waitFor, cleanup, act } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("./components/charts", async (actual) => ({
  ...(await actual<typeof import("./components/charts")>()),
  EChart: (p: { label: string; testid?: string }) => <div role="img" aria-label={p.label} data-testid={p.testid} />,
}));
import { App } from "./app";
import { initTexts } from "./i18n";
import { account, sampleDashboard, sampleExplanation } from "./test/fixtures";
import type { BreakdownAnswer, BreakdownGroup, Coverage, DueRenewal, Note, Outlook, SettingEntry } from "./ipc";
import { groupBars, groupHref, groupOfQuery, kpiCoverage, sortBreakdown, sortRenewals } from "./board";
import { allDrafts, keepDraft, SAVE_AFTER_MS } from "./notes";

const nbsp = "\u00a0";

function group(key: string, kind: BreakdownGroup["kind"], accounts: number, kpis: Record<string, number | null>): BreakdownGroup {
  return {
    key,
    kind,
    accounts,
    kpis: Object.entries(kpis).map(([id, value]) => ({ id, value, status: value === null ? "no_data" : "ok" })),
  };
}

function breakdown(by: BreakdownAnswer["offered"][number] = "segment"): BreakdownAnswer {
  return {
    offered: ["segment", "owner"],
    breakdown: {
      month: "2026-10",
      by,
      groups: [
        group(by === "segment" ? "Enterprise" : "Lea", "value", 12, { mrr: 30000, logo_churn_rate: 0, nps: 45, health_green: 60, health_yellow: 30, health_red: 10 }),
        group(by === "segment" ? "SMB" : "Tom", "value", 30, { mrr: 15000, logo_churn_rate: 4, nps: null, health_red: 25 }),
        group(by === "segment" ? "(none)" : "(none)", "none", 3, { mrr: 3210.5, logo_churn_rate: 2 }),
      ],
    },
    targets: [{ logo_churn_rate: "met", nps: "met" }, { logo_churn_rate: "missed" }, { logo_churn_rate: "missed" }],
  };
}

function renewal(id: string, due: string, value: number, light: DueRenewal["light"], score: number | null): DueRenewal {
  return { account_id: id, name: `Name ${id}`, due_date: due, value, light, score, owner: "Lea", lever: light ? "usage" : null };
}

function outlook(over: Partial<Outlook> = {}): Outlook {
  return {
    month: "2026-10",
    from: "2026-11-01",
    to: "2027-01-31",
    status: "ok",
    lights: {
      green: { count: 1, value: 12000 },
      yellow: { count: 1, value: 6000 },
      red: { count: 1, value: 24000 },
      not_scored: { count: 0, value: 0 },
    },
    value_at_risk: 24000,
    value_watch: 6000,
    expected_value: 33000,
    renewals: [
      renewal("A-1", "2026-11-15", 12000, "green", 80),
      renewal("A-2", "2026-12-01", 24000, "red", 30),
      renewal("A-3", "2027-01-10", 6000, "yellow", 55),
    ],
    ...over,
  };
}

const settings: SettingEntry[] = [{ key: "language", value: "auto", default: "auto", direction: null }];

type Handler = (cmd: string, args: Record<string, unknown>) => unknown;
let calls: { cmd: string; args: Record<string, unknown> }[];
let stored: Note[];
function mock(extra: Handler = () => undefined) {
  calls = [];
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args: a });
    const answer = extra(cmd, a);
    if (answer !== undefined) return answer;
    if (cmd === "get_dashboard") return sampleDashboard();
    if (cmd === "get_settings") return settings;
    if (cmd === "get_breakdown") return breakdown((a.by as "segment" | "owner" | null) ?? "segment");
    if (cmd === "get_renewals") return outlook();
    if (cmd === "get_notes") return stored.filter((n) => n.month === a.month);
    if (cmd === "set_note") {
      stored = stored.filter((n) => !(n.month === a.month && n.key === a.key));
      if (String(a.text).trim() === "") return null;
      const note: Note = {
        month: String(a.month),
        key: String(a.key),
        text: String(a.text).trim(),
        owner: (a.owner as string | null) ?? null,
        due_date: (a.dueDate as string | null) ?? null,
      };
      stored.push(note);
      return note;
    }
    if (cmd === "plugin:event|listen") return 1;
    return null;
  });
}

async function start(hash = "#/", tag = "en-US") {
  location.hash = hash;
  render(<App initial={await initTexts(tag)} />);
  await screen.findByTestId("nav-dashboard");
}

beforeEach(() => {
  location.hash = "#/";
  stored = [];
  localStorage.clear();
  HTMLElement.prototype.getBoundingClientRect = () =>
    ({ x: 0, y: 0, top: 0, left: 0, width: 1000, height: 600, right: 1000, bottom: 600, toJSON: () => ({}) }) as DOMRect;
  Object.defineProperty(HTMLElement.prototype, "offsetHeight", { configurable: true, get: () => 600 });
  Object.defineProperty(HTMLElement.prototype, "offsetWidth", { configurable: true, get: () => 1000 });
  Object.defineProperty(HTMLElement.prototype, "clientHeight", { configurable: true, get: () => 600 });
  Object.defineProperty(HTMLElement.prototype, "clientWidth", { configurable: true, get: () => 1000 });
});
afterEach(() => {
  cleanup();
  clearMocks();
  vi.useRealTimers();
});

describe("the board's logic", () => {
  it("sorts breakdown groups by a column, missing values last both ways", () => {
    const a = breakdown();
    const keys = (col: Parameters<typeof sortBreakdown>[1], desc: boolean) => sortBreakdown(a, col, desc).map((r) => r.group.key);
    expect(keys(null, true)).toEqual(["Enterprise", "SMB", "(none)"]);
    expect(keys("logo_churn_rate", true)).toEqual(["SMB", "(none)", "Enterprise"]);
    expect(keys("logo_churn_rate", false)).toEqual(["Enterprise", "(none)", "SMB"]);
    expect(keys("nps", false)).toEqual(["Enterprise", "SMB", "(none)"]);
    expect(keys("nps", true)).toEqual(["Enterprise", "SMB", "(none)"]);
    expect(keys("accounts", true)).toEqual(["SMB", "Enterprise", "(none)"]);
    expect(keys("health", true)).toEqual(["SMB", "Enterprise", "(none)"]);
    // each row keeps its own target statuses
    expect(sortBreakdown(a, "accounts", true)[0]?.targets).toEqual({ logo_churn_rate: "missed" });
  });

  it("carries a group through the route, and refuses a made-up one", () => {
    const g = { by: "plan" as const, kind: "value" as const, key: "Pro & Co/1" };
    const q = new URLSearchParams(groupHref(g).split("?")[1]);
    expect(groupOfQuery(q)).toEqual(g);
    expect(groupOfQuery(new URLSearchParams("by=colour&kind=value&group=x"))).toBeNull();
    expect(groupOfQuery(new URLSearchParams("by=owner&kind=value"))).toBeNull();
  });

  it("gives each KPI card the coverage of the data it rests on", () => {
    const c: Coverage = {
      month: "2026-10",
      score: 71.4,
      accounts_scored: 20,
      components: [],
      datasets: [
        { dataset: "revenue", share: 95, accounts: 19, active: 20 },
        { dataset: "surveys", share: 40, accounts: 8, active: 20 },
        { dataset: "usage", share: null, accounts: 0, active: 20 },
      ],
    };
    expect(kpiCoverage("mrr", c)).toBe(95);
    expect(kpiCoverage("nps", c)).toBe(40);
    expect(kpiCoverage("stickiness", c)).toBeNull(); // usage not covered this month
    expect(kpiCoverage("cs_score", c)).toBe(71.4);
    expect(kpiCoverage("health_red", c)).toBe(71.4);
    expect(kpiCoverage("email_open_rate", c)).toBeNull(); // campaigns are not measured
    expect(kpiCoverage("mrr", null)).toBeNull();
  });

  it("sorts renewals by any column; no light or score goes last", () => {
    const list = [...outlook().renewals, renewal("A-0", "2026-11-15", 100, null, null)];
    const ids = (k: Parameters<typeof sortRenewals>[1], d: boolean) => sortRenewals(list, k, d, "en").map((r) => r.account_id);
    expect(ids("due_date", false)).toEqual(["A-0", "A-1", "A-2", "A-3"]);
    expect(ids("value", true)).toEqual(["A-2", "A-1", "A-3", "A-0"]);
    expect(ids("light", false)).toEqual(["A-2", "A-3", "A-1", "A-0"]);
    expect(ids("score", true)).toEqual(["A-1", "A-3", "A-2", "A-0"]);
  });
});

describe("the dashboard's breakdown", () => {
  it("switches the dimension, marks targets and opens a group's accounts", async () => {
    mock((cmd, a) => {
      if (cmd === "list_group_accounts") {
        return { month: "2026-10", months: ["2026-10"], accounts: [account("A-9", { owner: "Tom" })], currency: "EUR" };
      }
      return a && undefined;
    });
    await start();
    const table = await screen.findByTestId("breakdown-table");
    const rows = table.querySelectorAll("[data-testid=bd-row]");
    expect([...rows].map((r) => r.querySelector("th")?.textContent)).toEqual(["Enterprise", "SMB", "(none)"]);
    expect(rows[0]?.textContent).toContain("€30,000");
    const churn = rows[1]?.querySelector("[data-status=missed]");
    expect(churn?.textContent).toBe(`4.0${nbsp}% (Off target)`);
    // sortable
    fireEvent.click(screen.getByTestId("bd-sort-logo_churn_rate"));
    await waitFor(() =>
      expect([...table.querySelectorAll("[data-testid=bd-row] th")].map((t) => t.textContent)).toEqual(["SMB", "(none)", "Enterprise"]),
    );
    fireEvent.click(screen.getByTestId("bd-by-owner"));
    await waitFor(() => expect(calls.some((c) => c.cmd === "get_breakdown" && c.args.by === "owner")).toBe(true));
    await screen.findByText("Tom");
    expect(screen.getByTestId("bd-by-owner").getAttribute("aria-pressed")).toBe("true");
    fireEvent.click(screen.getByText("Tom"));
    await waitFor(() => expect(location.hash).toBe("#/accounts?by=owner&kind=value&group=Tom"));
    expect((await screen.findByTestId("group-filter")).textContent).toContain("Owner: Tom");
    const asked = calls.find((c) => c.cmd === "list_group_accounts");
    expect(asked?.args.group).toEqual({ by: "owner", kind: "value", key: "Tom" });
    expect(screen.getByTestId("accounts-count").textContent).toBe("1 of 1");
    fireEvent.click(screen.getByTestId("clear-group"));
    await waitFor(() => expect(location.hash).toBe("#/accounts"));
  }, 20000);

  it("gives a KPI card its value per group as bars: lengths against the largest, target colours, none for fewer than two groups", () => {
    const mrr = groupBars(breakdown(), "mrr");
    expect(mrr?.by).toBe("segment");
    expect(mrr?.bars.map((b) => [b.key, b.value, Number(b.share.toFixed(4))])).toEqual([
      ["Enterprise", 30000, 1],
      ["SMB", 15000, 0.5],
      ["(none)", 3210.5, 0.107],
    ]);
    const churn = groupBars(breakdown(), "logo_churn_rate");
    expect(churn?.bars.map((b) => b.status)).toEqual(["met", "missed", "missed"]);
    // NPS: one group has a value, nothing to compare
    expect(groupBars(breakdown(), "nps")).toBeNull();
    // a KPI the breakdown does not have, and no breakdown
    expect(groupBars(breakdown(), "cac")).toBeNull();
    expect(groupBars({ offered: [], breakdown: null, targets: [] }, "mrr")).toBeNull();
    expect(groupBars(null, "mrr")).toBeNull();
    // negative values: the length is the size, the sign stays with the value
    const b = breakdown();
    b.breakdown!.groups[0]!.kpis.push({ id: "mrr_growth", value: -4, status: "ok" });
    b.breakdown!.groups[1]!.kpis.push({ id: "mrr_growth", value: 2, status: "ok" });
    expect(groupBars(b, "mrr_growth")?.bars.map((x) => [x.value, x.share])).toEqual([
      [-4, 1],
      [2, 0.5],
    ]);
  });

  it("shows a KPI card's value by the breakdown's groups on a click, and back to the sparkline", async () => {
    mock();
    await start();
    const card = await screen.findByTestId("kpi-mrr");
    const toggle = await waitFor(() => {
      const t = card.querySelector<HTMLButtonElement>("[data-testid=kpi-by-group]");
      expect(t).not.toBeNull();
      return t!;
    });
    expect(toggle.textContent).toBe("By segment");
    expect(toggle.getAttribute("aria-pressed")).toBe("false");
    fireEvent.click(toggle);
    const bars = await waitFor(() => {
      const b = card.querySelector("[data-testid=group-bars]");
      expect(b).not.toBeNull();
      return b!;
    });
    expect(bars.getAttribute("aria-label")).toBe("MRR by Segment");
    expect([...bars.querySelectorAll("li")].map((li) => li.textContent)).toEqual(["Enterprise€30,000", "SMB€15,000", "(none)€3,211"]);
    expect(toggle.getAttribute("aria-pressed")).toBe("true");
    // the breakdown's switch moves the bars to the other dimension
    fireEvent.click(screen.getByTestId("bd-by-owner"));
    await waitFor(() => expect(toggle.textContent).toBe("By owner"));
    expect([...card.querySelectorAll("[data-testid=group-bar] .group-name")].map((n) => n.textContent)).toEqual(["Lea", "Tom", "(none)"]);
    fireEvent.click(toggle);
    expect(card.querySelector("[data-testid=group-bars]")).toBeNull();
    // a KPI the breakdown has no groups for offers no bars
    expect(screen.getByTestId("kpi-nps").querySelector("[data-testid=kpi-by-group]")).toBeNull();
  }, 20000);

  it("says so when no dimension has two groups, in German", async () => {
    mock((cmd) => (cmd === "get_breakdown" ? { offered: [], breakdown: null, targets: [] } : undefined));
    await start("#/", "de-DE");
    const card = await screen.findByTestId("breakdown");
    await waitFor(() => expect(card.textContent).toContain("keine Spalte mit mindestens zwei Gruppen"));
  });
});

describe("the renewal outlook", () => {
  it("shows what is due by light with value at risk and expected value, and lists it sortable", async () => {
    mock();
    await start();
    const card = await screen.findByTestId("renewals-card");
    await waitFor(() => expect(card.textContent).toContain("Due 11/01/2026 – 01/31/2027"));
    expect(screen.getByTestId("due-red").textContent).toBe("Red1€24,000");
    expect(screen.getByTestId("value-at-risk").textContent).toContain("€24,000");
    expect(screen.getByTestId("expected-value").textContent).toContain("€33,000");
    fireEvent.click(screen.getByTestId("open-renewals"));
    const table = await screen.findByTestId("renewals-table");
    const names = () => [...table.querySelectorAll("[data-testid=renewal-row] th")].map((t) => t.textContent);
    expect(names()).toEqual(["Name A-1", "Name A-2", "Name A-3"]);
    fireEvent.click(screen.getByTestId("rn-sort-value"));
    await waitFor(() => expect(names()).toEqual(["Name A-2", "Name A-1", "Name A-3"]));
    expect(table.textContent).toContain("Usage"); // the lever
    fireEvent.click(screen.getByText("Name A-2"));
    await waitFor(() => expect(location.hash).toBe("#/accounts/A-2"));
  });

  it("says it is loading, not that there is nothing, while the outlook is computed", async () => {
    mock((cmd) => (cmd === "get_renewals" ? new Promise(() => {}) : undefined));
    await start();
    const card = await screen.findByTestId("renewals-card");
    expect(card.textContent).toContain("Loading");
    expect(card.textContent).not.toContain("No data for a renewal outlook");
  });

  it("explains a missing expected value", async () => {
    mock((cmd) => (cmd === "get_renewals" ? outlook({ status: "insufficient", expected_value: null }) : undefined));
    await start("#/", "de-DE");
    const card = await screen.findByTestId("renewals-card");
    await waitFor(() => expect(card.textContent).toContain("Noch zu wenig Verlauf"));
    expect(screen.getByTestId("expected-value").textContent).toContain("—");
  });
});

describe("notes", () => {
  it("saves the summary after a pause, says so, and finds it again after a reload", async () => {
    mock();
    await start();
    const box = (await screen.findByTestId("summary-note-text")) as HTMLTextAreaElement;
    fireEvent.input(box, { target: { value: "Churn is down." } });
    expect(screen.getByTestId("summary-note-status").textContent).toBe("Not saved yet …");
    // kept at once, so a window closed now loses nothing
    expect(allDrafts()).toMatchObject([{ month: "2026-10", key: "summary", text: "Churn is down." }]);
    await waitFor(() => expect(screen.getByTestId("summary-note-status").textContent).toBe("Saved"), {
      timeout: SAVE_AFTER_MS + 2000,
    });
    expect(calls.filter((c) => c.cmd === "set_note").map((c) => c.args)).toEqual([
      { month: "2026-10", key: "summary", text: "Churn is down.", owner: null, dueDate: null, lang: "en" },
    ]);
    expect(allDrafts()).toEqual([]);
    cleanup();
    await start();
    expect(((await screen.findByTestId("summary-note-text")) as HTMLTextAreaElement).value).toBe("Churn is down.");
  });

  it("saves at once when the window is hidden or closed mid-typing", async () => {
    mock();
    await start();
    const box = (await screen.findByTestId("summary-note-text")) as HTMLTextAreaElement;
    fireEvent.input(box, { target: { value: "Half a sentence" } });
    await act(async () => {
      window.dispatchEvent(new Event("beforeunload"));
      await new Promise((r) => setTimeout(r, 50));
    });
    // at once, not after the pause
    expect(calls.some((c) => c.cmd === "set_note")).toBe(true);
    expect(calls.find((c) => c.cmd === "set_note")?.args.text).toBe("Half a sentence");
  });

  it("saves a draft a closed window left behind on the next start", async () => {
    keepDraft({ month: "2026-09", key: "account:A-1", text: "Call Anna", owner: "Lea", due: "2026-11-30" });
    mock();
    await start();
    await waitFor(() => expect(stored).toHaveLength(1));
    expect(stored[0]).toEqual({ month: "2026-09", key: "account:A-1", text: "Call Anna", owner: "Lea", due_date: "2026-11-30" });
    expect(allDrafts()).toEqual([]);
  });

  it("keeps the text and says why when a note is refused", async () => {
    mock((cmd) => {
      if (cmd === "set_note") throw { code: "bad_date", message: "„31.11.“ ist kein Datum." };
    });
    await start();
    const box = (await screen.findByTestId("summary-note-text")) as HTMLTextAreaElement;
    fireEvent.input(box, { target: { value: "Text" } });
    fireEvent.blur(box);
    await waitFor(() => expect(screen.getByTestId("summary-note-status").textContent).toBe("Not saved: „31.11.“ ist kein Datum."));
    expect(allDrafts()).toHaveLength(1);
  });

  it("adds a note to a KPI card", async () => {
    mock();
    await start();
    fireEvent.click(await screen.findByTestId("kpi-note-add-nps"));
    const box = (await screen.findByTestId("kpi-note-nps-text")) as HTMLTextAreaElement;
    fireEvent.input(box, { target: { value: "Survey in the field" } });
    fireEvent.blur(box);
    await waitFor(() => expect(stored.map((n) => n.key)).toEqual(["kpi:nps"]));
  });

  it("writes an account's action with owner and due date", async () => {
    stored = [];
    mock((cmd) => (cmd === "explain_account" ? sampleExplanation() : undefined));
    await start("#/accounts/A-1");
    const text = (await screen.findByTestId("account-action-text")) as HTMLTextAreaElement;
    fireEvent.input(text, { target: { value: "Call about usage" } });
    fireEvent.input(screen.getByTestId("account-action-owner"), { target: { value: "Lea" } });
    fireEvent.input(screen.getByTestId("account-action-due"), { target: { value: "2026-11-30" } });
    fireEvent.blur(screen.getByTestId("account-action-due"));
    await waitFor(() =>
      expect(stored).toEqual([{ month: "2026-10", key: "account:A-1", text: "Call about usage", owner: "Lea", due_date: "2026-11-30" }]),
    );
    expect(await screen.findByText("Saved")).toBeTruthy();
  });

  it("writes a mover's action in the movers list, and shows a stored one there", async () => {
    stored = [{ month: "2026-10", key: "account:A-2", text: "Renewal call", owner: "Tom", due_date: null }];
    const movers2 = sampleDashboard();
    movers2.movers.push({ account_id: "A-1", name: "Alpha AG", owner: "Lea", segment: "Enterprise", mrr: 4000, score: 72, light: "green", previous_light: "yellow" });
    mock((cmd) => (cmd === "get_dashboard" ? movers2 : undefined));
    await start();
    const movers = await screen.findByTestId("movers");
    // a stored action is shown as it is
    const kept = (await waitFor(() => {
      const t = movers.querySelector<HTMLTextAreaElement>("[data-testid=mover-action-A-2-text]");
      expect(t).not.toBeNull();
      return t!;
    })) as HTMLTextAreaElement;
    expect(kept.value).toBe("Renewal call");
    // another mover: "+ Action" opens the field, which saves with owner and due date
    fireEvent.click(screen.getByTestId("mover-action-add-A-1"));
    const text = (await screen.findByTestId("mover-action-A-1-text")) as HTMLTextAreaElement;
    fireEvent.input(text, { target: { value: "Check onboarding" } });
    fireEvent.input(screen.getByTestId("mover-action-A-1-owner"), { target: { value: "Lea" } });
    fireEvent.blur(screen.getByTestId("mover-action-A-1-owner"));
    await waitFor(() =>
      expect(stored.find((n) => n.key === "account:A-1")).toEqual({
        month: "2026-10",
        key: "account:A-1",
        text: "Check onboarding",
        owner: "Lea",
        due_date: null,
      }),
    );
  });
});
