import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";

vi.mock("./components/charts", async (actual) => ({
  ...(await actual<typeof import("./components/charts")>()),
  EChart: (p: { label: string }) => <div role="img" aria-label={p.label} />,
}));
import { App } from "./app";
import { initTexts } from "./i18n";
import type { AppInfo, MenuEvent } from "./ipc";
import { filterThirdParty } from "./screens/About";
import { sampleDashboard } from "./test/fixtures";

const info: AppInfo = {
  name: "CS Pulse",
  version: "0.1.0",
  license: "MIT",
  copyright: "Copyright © 2026 CS Pulse team",
  identifier: "app.cspulse.desktop",
  third_party: [
    { ecosystem: "rust", name: "calamine", version: "0.31.0", license: "MIT" },
    { ecosystem: "rust", name: "rusqlite", version: "0.37.0", license: "MIT" },
    { ecosystem: "npm", name: "echarts", version: "6.0.0", license: "Apache-2.0" },
  ],
};

afterEach(() => {
  cleanup();
  clearMocks();
});

/** Starts the app with the IPC mocked; returns a way to click the native menu. */
async function start(tag = "en-US", dashboard = sampleDashboard()) {
  let menu: ((e: MenuEvent) => void) | null = null;
  const picks: string[] = [];
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    if (cmd === "get_dashboard") return dashboard;
    if (cmd === "get_settings") return [];
    if (cmd === "app_info") return info;
    if (cmd === "list_batches") return [];
    if (cmd === "watch_menu") {
      menu = (a.onEvent as { onmessage: (e: MenuEvent) => void }).onmessage;
      return null;
    }
    // the import dialog is shown by Rust
    if (cmd === "choose_import_files") {
      picks.push(cmd);
      return [];
    }
    return null;
  });
  location.hash = "#/";
  render(<App initial={await initTexts(tag)} />);
  await screen.findByTestId("cs-score");
  await waitFor(() => expect(menu).not.toBeNull());
  return { click: (e: MenuEvent) => menu?.(e), picks };
}

describe("the About dialog", () => {
  it("filters the third-party list by name or license", () => {
    expect(filterThirdParty(info.third_party, "").length).toBe(3);
    expect(filterThirdParty(info.third_party, "RUSQ").map((c) => c.name)).toEqual(["rusqlite"]);
    expect(filterThirdParty(info.third_party, "apache").map((c) => c.name)).toEqual(["echarts"]);
    expect(filterThirdParty(info.third_party, "gpl")).toEqual([]);
  });

  it("opens from the menu with version, license and the components, in German", async () => {
    const app = await start("de-DE");
    app.click({ event: "about" });
    const dialog = await screen.findByTestId("about");
    expect(dialog.textContent).toContain("Über CS Pulse");
    expect((await screen.findByTestId("about-version")).textContent).toBe("Version 0.1.0");
    expect(dialog.textContent).toContain("Lizenz: MIT");
    expect(dialog.textContent).toContain("Komponenten von Dritten (3)");
    fireEvent.input(screen.getByRole("searchbox"), { target: { value: "echarts" } });
    const rows = screen.getByTestId("third-party").querySelectorAll("tbody tr");
    expect(rows.length).toBe(1);
    expect(rows[0].textContent).toContain("Apache-2.0");
    fireEvent.keyDown(document, { key: "Escape" });
    await waitFor(() => expect(screen.queryByTestId("about")).toBeNull());
  });
});

describe("the native menu", () => {
  it("opens the import screen with the file dialog, the settings and the report dialog", async () => {
    const app = await start();
    app.click({ event: "import" });
    await waitFor(() => expect(location.hash).toBe("#/import"));
    await waitFor(() => expect(app.picks.length).toBe(1));
    app.click({ event: "settings" });
    await waitFor(() => expect(location.hash).toBe("#/settings"));
    await waitFor(() => expect(screen.queryByTestId("dropzone")).toBeNull());
    // coming back to the import screen by its tab does not open the dialog again
    location.hash = "#/import";
    await screen.findByTestId("dropzone");
    await new Promise((r) => setTimeout(r, 50));
    expect(app.picks.length).toBe(1);
    app.click({ event: "import" });
    await waitFor(() => expect(app.picks.length).toBe(2));
    app.click({ event: "export" });
    expect(await screen.findByRole("dialog")).toBeTruthy();
  });

  it("offers no board report while there is no month with data", async () => {
    const app = await start("en-US", { ...sampleDashboard(), months: [] });
    app.click({ event: "export" });
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByRole("dialog")).toBeNull();
  });
});
