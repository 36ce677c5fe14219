import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { App } from "./app";
import { initTexts } from "./i18n";
import { sampleDashboard } from "./test/fixtures";

vi.mock("./components/charts", async (actual) => ({
  ...(await actual<typeof import("./components/charts")>()),
  EChart: (p: { label: string }) => <div role="img" aria-label={p.label} />,
}));

const batch = (id: number, skipped: number, issues: number) => ({
  batch_id: id,
  file: `export-${id}.csv`,
  file_path: `/tmp/export-${id}.csv`,
  sheet: null,
  kind: "tickets",
  rows_imported: 100,
  rows_skipped: skipped,
  issue_count: issues,
  sha256: "ab".repeat(32),
  imported_at: "2026-11-02T09:00:00Z",
  header_row: 1,
  mapping: {},
  source: "file",
  overlap: "supersede",
  superseded_rows: 0,
  period: null,
});

afterEach(() => {
  cleanup();
  clearMocks();
});

describe("the import history", () => {
  it("opens the problems of an earlier import below its row, and closes them", async () => {
    const asked: number[] = [];
    mockIPC((cmd, args) => {
      const a = (args ?? {}) as Record<string, unknown>;
      if (cmd === "get_dashboard") return sampleDashboard();
      if (cmd === "get_settings") return [{ key: "language", value: "auto", default: "auto", direction: null }];
      if (cmd === "list_batches") return [batch(1, 2, 2), batch(2, 0, 0)];
      if (cmd === "batch_issues") {
        asked.push(a.batchId as number);
        return {
          issues: [
            { sheet: null, row: 7, column: "Created at", value: "31.02.2026", reason: "not a date" },
            { sheet: null, row: 9, column: "Account", value: "", reason: "empty" },
          ],
        };
      }
      if (cmd === "plugin:event|listen") return 1;
      return null;
    });
    location.hash = "#/import";
    render(<App initial={await initTexts("en-US")} />);
    const open = await screen.findByTestId("history-issues-1");
    expect(open.textContent).toBe("2");
    expect(open.getAttribute("title")).toBe("Show its 2 problems (row, column, value, reason)");
    // an import without problems offers nothing to open
    expect(screen.queryByTestId("history-issues-2")).toBeNull();
    fireEvent.click(open);
    const table = await screen.findByTestId("issues");
    expect(asked).toEqual([1]);
    expect(table.textContent).toContain("31.02.2026");
    expect(table.textContent).toContain("not a date");
    expect(open.getAttribute("aria-expanded")).toBe("true");
    fireEvent.click(open);
    await waitFor(() => expect(screen.queryByTestId("issues")).toBeNull());
  });
});
