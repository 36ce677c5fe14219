// The main window freezes Object.prototype before the page's scripts run
// (src-tauri/src/page/freeze_prototype.js). Tauri's own freezePrototype breaks Preact, which
// copies its virtual nodes by assignment (their `constructor: undefined` meets the frozen,
// read-only Object.prototype.constructor); this script lets such assignments give the object
// a property of its own. Here: the same script, then the app must still render and work.
import { mockIPC } from "@tauri-apps/api/mocks";
import { fireEvent, render, screen } from "@testing-library/preact";
import fs from "node:fs";
import path from "node:path";
import { expect, it, vi } from "vitest";

vi.mock("./components/charts", async (actual) => ({
  ...(await actual<typeof import("./components/charts")>()),
  EChart: (p: { label: string; testid?: string }) => <div role="img" aria-label={p.label} data-testid={p.testid} />,
}));
import { App } from "./app";
import { initTexts } from "./i18n";
import { sampleDashboard } from "./test/fixtures";

it("freezes Object.prototype, and the app renders and works under it", async () => {
  const script = fs.readFileSync(path.join(__dirname, "../../src-tauri/src/page/freeze_prototype.js"), "utf8");
  new Function(script)();
  expect(Object.isFrozen(Object.prototype)).toBe(true);
  const proto = Object.prototype as unknown as Record<string, unknown>;
  expect(() => {
    proto.polluted = 1;
  }).toThrow(TypeError);
  expect(() => {
    proto.toString = () => "changed";
  }).toThrow(TypeError);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(String({})).toBe("[object Object]");
  // what Preact does to its nodes: an own property shadows the inherited one
  const node: { constructor?: unknown } = {};
  node.constructor = undefined;
  expect(node.constructor).toBeUndefined();
  expect(({}).constructor).toBe(Object);

  mockIPC((cmd) => {
    if (cmd === "get_dashboard") return sampleDashboard();
    if (cmd === "list_batches") return [];
    if (cmd === "get_settings") return [];
    return null;
  });
  location.hash = "#/";
  render(<App initial={await initTexts("en-US")} />);
  await screen.findByTestId("cs-score");
  fireEvent.click(screen.getByTestId("clear-demo"));
  await screen.findByTestId("confirm-dialog");
  fireEvent.click(screen.getByTestId("confirm-cancel"));
  location.hash = "#/import";
  await screen.findByTestId("dropzone");
});
