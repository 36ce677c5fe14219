import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { cleanup, render, screen } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";

vi.mock("./components/charts", async (actual) => ({
  ...(await actual<typeof import("./components/charts")>()),
  EChart: (p: { label: string }) => <div role="img" aria-label={p.label} />,
}));
import { App } from "./app";
import { initTexts } from "./i18n";
import { askFirstDashboard, takeFirstDashboard, within } from "./startup";
import { sampleDashboard } from "./test/fixtures";

afterEach(() => {
  cleanup();
  clearMocks();
});

function count() {
  const asked: string[] = [];
  mockIPC((cmd) => {
    asked.push(cmd);
    if (cmd === "get_dashboard") return sampleDashboard();
    if (cmd === "get_settings") return [];
    return null;
  });
  return asked;
}

describe("the first dashboard", () => {
  it("is asked for once and taken once, for the latest month in the same language", async () => {
    const asked = count();
    const answer = askFirstDashboard("en");
    expect(takeFirstDashboard("2026-09", "en")).toBeNull();
    expect(takeFirstDashboard(null, "de")).toBeNull();
    expect(takeFirstDashboard(null, "en")).toBe(answer);
    expect(takeFirstDashboard(null, "en")).toBeNull();
    await answer;
    expect(asked.filter((c) => c === "get_dashboard")).toHaveLength(1);
  });

  it("is waited for only so long, and an error counts as not there", async () => {
    await expect(within(Promise.resolve(7), 50)).resolves.toBe(7);
    await expect(within(Promise.reject(new Error("no")), 50)).resolves.toBeNull();
    await expect(within(new Promise(() => {}), 10)).resolves.toBeNull();
  });

  it("that came with the start is drawn at once and not asked for again", async () => {
    const asked = count();
    location.hash = "#/";
    render(<App initial={await initTexts("en-US")} first={sampleDashboard()} />);
    // drawn in the first render, before any answer could arrive
    expect(screen.getByTestId("cs-score")).toBeTruthy();
    await new Promise((r) => setTimeout(r, 50));
    expect(asked).not.toContain("get_dashboard");
  });

  it("still being computed is waited for instead of asked again", async () => {
    const asked = count();
    askFirstDashboard("en");
    location.hash = "#/";
    render(<App initial={await initTexts("en-US")} first={null} />);
    await screen.findByTestId("cs-score");
    expect(asked.filter((c) => c === "get_dashboard")).toHaveLength(1);
  });
});
