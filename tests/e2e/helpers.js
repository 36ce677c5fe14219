// What several specs do the same way: a screenshot into screenshots/, a click on an element
// scrolled to the middle of the window (the sticky top bar covers the top; WebKit's driver
// calls an element far below the fold "not displayed" until it is scrolled to), the text of
// an element, the import review's rows, and the data browser's row count of a dataset.
import fs from "node:fs";
import path from "node:path";
import { pick } from "./picks.js";
import { repoRoot } from "./wdio.conf.js";

const shots = path.join(repoRoot, "screenshots");

/** Saves what the window shows as screenshots/NAME.png, after the page settled. */
export async function shot(name) {
  fs.mkdirSync(shots, { recursive: true });
  await browser.pause(400);
  await browser.saveScreenshot(path.join(shots, `${name}.png`));
}

/** Clicks an element (a selector or an element) after scrolling it to the middle. */
export async function press(selOrEl) {
  const el = typeof selOrEl === "string" ? await $(selOrEl) : selOrEl;
  await el.waitForExist({ timeout: 30000 });
  await el.scrollIntoView({ block: "center" });
  await el.waitForDisplayed({ timeout: 30000 });
  await el.click();
}

/** What an element says (its text, also when WebKit's driver finds it not in view). */
export async function says(el) {
  await el.scrollIntoView({ block: "center" });
  return (await browser.execute((e) => e.textContent, el)).trim();
}

/** The import review's row of a file. */
export const fileRow = (name) => $(`[data-testid="file-card"][data-file="${name}"]`);

/** Waits until the review's row of a file has `status` (ready, needs_answer, imported, …). */
export async function waitForStatus(name, status, timeout = 30000) {
  await browser.waitUntil(async () => (await (await fileRow(name)).getAttribute("data-status")) === status, {
    timeout,
    timeoutMsg: `${name} is not ${status}`,
  });
}

/** The data browser's count of the effective rows of a dataset (`tickets`, `revenue`, …). */
export async function rowCount(kind) {
  await $('[data-testid="nav-data"]').click();
  const select = await $('[data-testid="data-kind"]');
  await select.waitForDisplayed({ timeout: 15000 });
  await select.selectByAttribute("value", kind);
  const count = await $('[data-testid="data-count"]');
  let text = "";
  await browser.waitUntil(
    async () => {
      text = await count.getText();
      return /\d/.test(text);
    },
    { timeout: 15000, timeoutMsg: `the data browser shows no row count for ${kind}` },
  );
  return Number(text.replace(/[^\d]/g, ""));
}

/** Opens the Import screen, picks `file` (a path) through the app's file dialog, and imports it
 * with "Import all"; waits until its row says imported. */
export async function importFile(file) {
  const nav = await $('[data-testid="nav-import"]');
  await nav.waitForDisplayed({ timeout: 60000 });
  await nav.click();
  pick([file]);
  await $('[data-testid="pick-files"]').click();
  const all = await $('[data-testid="import-all"]');
  await all.waitForEnabled({ timeout: 30000 });
  await all.click();
  await waitForStatus(path.basename(file), "imported", 120000);
}
