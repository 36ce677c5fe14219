import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { repoRoot } from "../wdio.conf.js";

const shots = path.join(repoRoot, "screenshots");

describe("first start with an empty profile", () => {
  it("shows the sample company's CS score, its MRR and the demo banner", async () => {
    const score = await $('[data-testid="cs-score"]');
    await score.waitForDisplayed({ timeout: 30000, timeoutMsg: "no CS score on the first window" });
    const text = await score.getText();
    const value = Number(text.replace(",", "."));
    assert.ok(Number.isFinite(value) && value >= 0 && value <= 100, `CS score "${text}" is not a number 0–100`);

    const mrr = await $('[data-testid="kpi-mrr"] .value').getText();
    assert.match(mrr, /\d/, `MRR shows "${mrr}", not a value`);

    assert.ok(await $('[data-testid="demo-banner"]').isDisplayed(), "the sample data is announced");
    assert.equal(await $('[data-testid="error-banner"]').isExisting(), false, "no error on a first start");
    assert.equal(await browser.getTitle(), "CS Pulse");

    fs.mkdirSync(shots, { recursive: true });
    await browser.pause(300); // let the chart paint
    await browser.saveScreenshot(path.join(shots, "first-window.png"));
  });

  it("reaches the screens and the month picker with the keyboard", async () => {
    await browser.execute(() => (document.activeElement instanceof HTMLElement ? document.activeElement.blur() : undefined));
    const seen = [];
    for (let i = 0; i < 8; i++) {
      await browser.keys(["Tab"]);
      seen.push(await browser.execute(() => document.activeElement?.id || document.activeElement?.getAttribute("data-testid") || ""));
    }
    assert.equal(seen[0], "nav-dashboard", `Tab first reaches the screens: ${seen}`);
    assert.ok(seen.includes("month"), `Tab reaches the month picker: ${seen}`);
  });
});
