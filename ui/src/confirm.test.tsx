// Every destructive action asks first, in the page's own confirmation: it names the action and
// its object, starts on Cancel, and only the action's button goes on. (The dialog plugin used
// to replace window.confirm with a function whose answer was a promise, always truthy: undo,
// reset, restore and clearing the sample data ran at once.)
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("./components/charts", async (actual) => ({
  ...(await actual<typeof import("./components/charts")>()),
  EChart: (p: { label: string; testid?: string }) => <div role="img" aria-label={p.label} data-testid={p.testid} />,
}));
import { App } from "./app";
import { initTexts } from "./i18n";
import { sampleDashboard } from "./test/fixtures";
import type { Batch, SettingEntry } from "./ipc";

const batch = (id: number, over: Partial<Batch> = {}): Batch => ({
  batch_id: id,
  file: "kunden.xlsx",
  file_path: "/home/u/kunden.xlsx",
  sheet: "Kunden",
  kind: "accounts",
  rows_imported: 320,
  rows_skipped: 0,
  issue_count: 0,
  sha256: "a".repeat(64),
  imported_at: "2026-11-02T09:00:00Z",
  header_row: 1,
  mapping: {},
  source: "file",
  overlap: "supersede",
  superseded_rows: 0,
  period: null,
  ...over,
});
const settings = (usage: string): SettingEntry[] => [
  { key: "weight.usage", value: usage, default: "25", direction: null },
  { key: "language", value: "auto", default: "auto", direction: null },
];

let calls: { cmd: string; args: Record<string, unknown> }[];
function mock(extra: (cmd: string, a: Record<string, unknown>) => unknown = () => undefined) {
  calls = [];
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args: a });
    const answer = extra(cmd, a);
    if (answer !== undefined) return answer;
    if (cmd === "get_dashboard") return sampleDashboard();
    if (cmd === "get_settings") return settings("40");
    if (cmd === "list_batches") return [batch(12), batch(1, { source: "demo", file: "demo-usage.csv", rows_imported: 1000 })];
    return null;
  });
}
const called = (cmd: string) => calls.filter((c) => c.cmd === cmd);

async function start(hash: string, tag = "en-US") {
  location.hash = hash;
  render(<App initial={await initTexts(tag)} />);
  await screen.findByTestId("nav-dashboard");
}

/** Opens the confirmation with `click`, checks what it says, answers it. */
async function confirmation(click: () => unknown): Promise<HTMLElement> {
  await click();
  const dialog = await screen.findByTestId("confirm-dialog");
  expect(dialog.getAttribute("role")).toBe("alertdialog");
  expect(document.activeElement).toBe(screen.getByTestId("confirm-cancel"));
  return dialog;
}
const gone = () => waitFor(() => expect(screen.queryByTestId("confirm-dialog")).toBeNull());

beforeEach(() => {
  location.hash = "#/";
});
afterEach(() => {
  cleanup();
  clearMocks();
});

describe("confirmations", () => {
  it("undo names the file and its rows; Cancel and Escape change nothing, the action undoes", async () => {
    mock((cmd) => (cmd === "undo_batch" ? batch(12) : undefined));
    await start("#/import");
    const undo = await screen.findByTestId("undo-12");
    const dialog = await confirmation(() => fireEvent.click(undo));
    expect(dialog.textContent).toContain("Undo import of kunden.xlsx · Kunden: 320 rows");
    expect(screen.getByTestId("confirm-ok").textContent).toBe("Undo import");
    fireEvent.click(screen.getByTestId("confirm-cancel"));
    await gone();
    await confirmation(() => fireEvent.click(undo));
    fireEvent.keyDown(document, { key: "Escape" });
    await gone();
    // Enter on the focused Cancel does not undo either
    await confirmation(() => fireEvent.click(undo));
    fireEvent.click(document.activeElement as HTMLElement);
    await gone();
    expect(called("undo_batch")).toHaveLength(0);
    await confirmation(() => fireEvent.click(undo));
    fireEvent.click(screen.getByTestId("confirm-ok"));
    await waitFor(() => expect(called("undo_batch")).toHaveLength(1));
    expect(called("undo_batch")[0]?.args).toMatchObject({ batchId: 12 });
    // a calm notice offers to take it back
    const notice = await screen.findByTestId("undone-notice");
    expect(notice.textContent).toContain("Import of kunden.xlsx · Kunden undone.");
    expect(notice.getAttribute("role")).toBe("status");
    fireEvent.click(screen.getByTestId("take-back"));
    await waitFor(() => expect(called("take_back")).toHaveLength(1));
    expect(called("take_back")[0]?.args).toEqual({ batchIds: [12], lang: "en" });
    await waitFor(() => expect(screen.queryByTestId("undone-notice")).toBeNull());
  });

  it("a take-back that is too late says why", async () => {
    mock((cmd) => {
      if (cmd === "undo_batch") return batch(12);
      if (cmd === "take_back")
        throw { code: "undo_gone", message: "Import 12 kann nicht mehr zurückgeholt werden." };
    });
    await start("#/import", "de-DE");
    await confirmation(async () => fireEvent.click(await screen.findByTestId("undo-12")));
    fireEvent.click(screen.getByTestId("confirm-ok"));
    expect((await screen.findByTestId("undone-notice")).textContent).toContain("Import von kunden.xlsx · Kunden rückgängig gemacht.");
    fireEvent.click(screen.getByTestId("take-back"));
    const error = await screen.findByTestId("error-banner");
    expect(error.getAttribute("data-code")).toBe("undo_gone");
    expect(screen.queryByTestId("undone-notice")).toBeNull();
  });

  it("Tab stays inside the confirmation", async () => {
    mock();
    await start("#/import");
    await confirmation(() => fireEvent.click(screen.getByTestId("undo-12")));
    fireEvent.keyDown(document, { key: "Tab" });
    expect(document.activeElement).toBe(screen.getByTestId("confirm-ok"));
    fireEvent.keyDown(document, { key: "Tab" });
    expect(document.activeElement).toBe(screen.getByTestId("confirm-cancel"));
  });

  it("clearing the sample data counts what goes, in German", async () => {
    mock((cmd) => (cmd === "clear_demo" ? [1] : cmd === "take_back" ? [batch(1)] : undefined));
    await start("#/", "de-DE");
    const dialog = await confirmation(() => fireEvent.click(screen.getByTestId("clear-demo")));
    expect(dialog.textContent).toContain("Beispieldaten entfernen: 1 Import, 1.000 Zeilen?");
    expect(screen.getByTestId("confirm-cancel").textContent).toBe("Abbrechen");
    fireEvent.click(screen.getByTestId("confirm-cancel"));
    await gone();
    expect(called("clear_demo")).toHaveLength(0);
    await confirmation(() => fireEvent.click(screen.getByTestId("clear-demo")));
    fireEvent.click(screen.getByTestId("confirm-ok"));
    await waitFor(() => expect(called("clear_demo")).toHaveLength(1));
    expect((await screen.findByTestId("undone-notice")).textContent).toContain("Beispieldaten entfernt.");
    fireEvent.click(screen.getByTestId("take-back"));
    await waitFor(() => expect(called("take_back")[0]?.args).toEqual({ batchIds: [1], lang: "de" }));
  });

  it("resetting the settings says how many differ; restoring names the backup", async () => {
    mock((cmd) => {
      if (cmd === "reset_settings") return settings("25");
      if (cmd === "choose_backup") return { token: "f7-xyz", name: "montag.db", folder: "/home/u" };
      if (cmd === "restore_database") return "/home/u/.local/share/cspulse.before-restore.db";
    });
    await start("#/settings");
    await screen.findByTestId("setting-weight-usage");
    let dialog = await confirmation(() => fireEvent.click(screen.getByTestId("settings-reset")));
    expect(dialog.textContent).toContain("Reset all settings to their defaults?");
    expect(dialog.textContent).toContain("1 setting differs from its default");
    fireEvent.click(screen.getByTestId("confirm-cancel"));
    await gone();
    expect(called("reset_settings")).toHaveLength(0);
    await confirmation(() => fireEvent.click(screen.getByTestId("settings-reset")));
    fireEvent.click(screen.getByTestId("confirm-ok"));
    await waitFor(() => expect(called("reset_settings")).toHaveLength(1));

    dialog = await confirmation(() => fireEvent.click(screen.getByTestId("restore")));
    expect(dialog.textContent).toContain("Replace all data with the backup montag.db?");
    fireEvent.click(screen.getByTestId("confirm-cancel"));
    await gone();
    expect(called("restore_database")).toHaveLength(0);
    await confirmation(() => fireEvent.click(screen.getByTestId("restore")));
    fireEvent.click(screen.getByTestId("confirm-ok"));
    await waitFor(() => expect(called("restore_database")).toHaveLength(1));
    expect(called("restore_database")[0]?.args).toEqual({ file: "f7-xyz", lang: "en" });
  });

  it("no screen calls window.confirm, alert or prompt", () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name)) files.push(p);
      }
    };
    walk(path.join(__dirname));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const code = fs.readFileSync(f, "utf8").replace(/\/\/.*$/gm, "").replace(/\/\*[\s\S]*?\*\//g, "");
      expect(code, f).not.toMatch(/(^|[^.\w])(confirm|alert|prompt)\s*\(|window\.(confirm|alert|prompt)/);
    }
  });
});
