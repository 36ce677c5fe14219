import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { repoRoot } from "../wdio.conf.js";

const shots = path.join(repoRoot, "screenshots");

describe("first run and About", () => {
  it("announces the sample data with a way to import your own and to clear it", async () => {
    const banner = await $('[data-testid="demo-banner"]');
    await banner.waitForDisplayed({ timeout: 30000 });
    const text = await banner.getText();
    assert.match(text, /sample data/i, text);
    assert.ok(await banner.$("button").isExisting(), "a one-click way to clear it");
    fs.mkdirSync(shots, { recursive: true });
    await browser.saveScreenshot(path.join(shots, "first-run-banner.png"));
  });

  it("shows version, license and the third-party components", async () => {
    await browser.execute(() => (location.hash = "#/settings"));
    const open = await $('[data-testid="open-about"]');
    await open.waitForDisplayed({ timeout: 20000 });
    await open.click();
    const version = await $('[data-testid="about-version"]');
    await version.waitForDisplayed({ timeout: 20000 });
    assert.match(await version.getText(), /^Version \d+\.\d+\.\d+$/);
    const rows = await $$('[data-testid="third-party"] tbody tr');
    assert.ok(rows.length > 100, `${rows.length} components listed`);
    const about = await $('[data-testid="about"]');
    const license = await $('[data-testid="about-license"]').getText();
    assert.match(license, /^License: MIT · Copyright © \d{4} /, license);
    await browser.pause(200);
    await browser.saveScreenshot(path.join(shots, "about.png"));
    await browser.keys(["Escape"]);
    await about.waitForExist({ reverse: true, timeout: 5000 });
  });
});
