// Every destructive action asks first, in the page's own confirmation, and only its action
// button goes on: for each, Cancel changes nothing, then the action does it. (The dialog
// plugin's window.confirm answered with a promise, always truthy: undo, reset, restore and
// clearing the sample data ran at once, on a misclick.) Also backup and restore through the
// app's own (Rust) file dialogs.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "../wdio.conf.js";
import { pick } from "../picks.js";

const shots = path.join(repoRoot, "screenshots");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "cspulse-e2e-confirm-"));
const shot = async (name) => {
  fs.mkdirSync(shots, { recursive: true });
  await browser.pause(300);
  await browser.saveScreenshot(path.join(shots, `${name}.png`));
};

/** Waits for the confirmation, checks it starts on Cancel, returns its text. */
async function confirmation() {
  const dialog = await $('[data-testid="confirm-dialog"]');
  await dialog.waitForDisplayed({ timeout: 15000 });
  const focused = await browser.execute(() => document.activeElement?.getAttribute("data-testid"));
  assert.equal(focused, "confirm-cancel", "focus starts on Cancel");
  return dialog.getText();
}
async function answer(yes) {
  await $(`[data-testid="${yes ? "confirm-ok" : "confirm-cancel"}"]`).click();
  await $('[data-testid="confirm-dialog"]').waitForExist({ reverse: true, timeout: 5000 });
}
const historyIds = () =>
  browser.execute(() => [...document.querySelectorAll('[data-testid="history-row"]')].map((r) => r.getAttribute("data-batch")));
const usageWeight = async () => {
  const input = await $('[data-testid="setting-weight-usage"]');
  await input.waitForDisplayed();
  return input.getValue();
};
async function setUsage(value) {
  const input = await $('[data-testid="setting-weight-usage"]');
  await input.setValue(value);
  await browser.keys(["Tab"]);
  // a weight is tried out first and saved on Apply
  const apply = await $('[data-testid="preview-apply"]');
  await apply.waitForEnabled({ timeout: 30000 });
  await apply.click();
  await $('[data-testid="preview"]').waitForExist({ reverse: true, timeout: 30000 });
  await browser.waitUntil(async () => (await usageWeight()) === value, { timeoutMsg: `weight not ${value}` });
  await browser.waitUntil(async () => (await $('[data-testid="settings-status"]').getText()).length > 0);
}

describe("confirmations that confirm, and what can be taken back", () => {
  it("undo of an import: Cancel (and Escape) leave the batch, Undo import removes it", async () => {
    await $('[data-testid="cs-score"]').waitForDisplayed({ timeout: 30000 });
    await $('[data-testid="nav-import"]').click();
    await browser.waitUntil(async () => (await historyIds()).length === 11, { timeoutMsg: "the sample's 11 imports" });
    const before = await historyIds();
    const id = before[0];
    const undo = await $(`[data-testid="undo-${id}"]`);
    await undo.click();
    const text = await confirmation();
    assert.match(text, /Undo import of .+: [\d,]+ rows/, text);
    await shot("confirm-en");
    await answer(false);
    await browser.pause(500);
    assert.deepEqual(await historyIds(), before, "Cancel: the batch is still there");
    await undo.click();
    await confirmation();
    await browser.keys(["Escape"]);
    await $('[data-testid="confirm-dialog"]').waitForExist({ reverse: true, timeout: 5000 });
    await browser.pause(500);
    assert.deepEqual(await historyIds(), before, "Escape: the batch is still there");
    await undo.click();
    await confirmation();
    await answer(true);
    await browser.waitUntil(async () => !(await historyIds()).includes(id), { timeoutMsg: "the batch was not undone" });
    assert.equal((await historyIds()).length, 10);
    // and taken back from the notice
    const notice = await $('[data-testid="undone-notice"]');
    await notice.waitForDisplayed({ timeout: 5000 });
    assert.match(await notice.getText(), /undone/);
    await shot("undone-notice");
    await $('[data-testid="take-back"]').click();
    await browser.waitUntil(async () => (await historyIds()).includes(id), { timeoutMsg: "the batch did not come back" });
    await notice.waitForExist({ reverse: true, timeout: 5000 });
  });

  it("reset of the settings: Cancel keeps the change, Reset settings resets", async () => {
    await $('[data-testid="nav-settings"]').click();
    await setUsage("90");
    await $('[data-testid="settings-reset"]').click();
    assert.match(await confirmation(), /1 setting differs from its default/);
    await answer(false);
    await browser.pause(500);
    assert.equal(await usageWeight(), "90", "Cancel: the weight stays");
    await $('[data-testid="settings-reset"]').click();
    await confirmation();
    await answer(true);
    await browser.waitUntil(async () => (await usageWeight()) === "25", { timeoutMsg: "not reset to 25" });
  });

  it("backup, then restore: Cancel keeps today's data, Replace with backup restores it", async () => {
    const backup = path.join(work, "montag.db");
    pick(backup);
    await $('[data-testid="backup"]').click();
    await browser.waitUntil(async () => (await $('[data-testid="settings-status"]').getText()).includes("montag.db"), {
      timeoutMsg: "no backup notice",
    });
    assert.ok(fs.statSync(backup).size > 10000, "the backup file is written");
    await setUsage("60");
    pick(backup);
    await $('[data-testid="restore"]').click();
    assert.match(await confirmation(), /Replace all data with the backup montag\.db\?/);
    await answer(false);
    await browser.pause(500);
    assert.equal(await usageWeight(), "60", "Cancel: nothing restored");
    pick(backup);
    await $('[data-testid="restore"]').click();
    await confirmation();
    await answer(true);
    await browser.waitUntil(async () => (await usageWeight()) === "25", { timeoutMsg: "the backup's weight is not back" });
    assert.match(await $('[data-testid="settings-status"]').getText(), /Restored/);
    // a cancelled file dialog does nothing at all
    pick(null);
    await $('[data-testid="restore"]').click();
    await browser.pause(800);
    assert.equal(await $('[data-testid="confirm-dialog"]').isExisting(), false);
  });

  it("clearing the sample data, in German: Abbrechen keeps it, Beispieldaten entfernen clears it", async () => {
    await $('[data-testid="setting-language"]').selectByAttribute("value", "de");
    await browser.waitUntil(async () => (await $('[data-testid="nav-settings"]').getText()) === "Einstellungen");
    const clear = await $('[data-testid="clear-demo"]');
    await clear.click();
    const text = await confirmation();
    assert.match(text, /Beispieldaten entfernen: \d+ Importe, [\d.]+ Zeilen\?/, text);
    assert.equal(await $('[data-testid="confirm-cancel"]').getText(), "Abbrechen");
    await shot("confirm-de");
    await answer(false);
    await browser.pause(500);
    assert.ok(await $('[data-testid="demo-banner"]').isDisplayed(), "Abbrechen: the sample stays");
    await clear.click();
    await confirmation();
    await answer(true);
    await $('[data-testid="demo-banner"]').waitForExist({ reverse: true, timeout: 15000 });
    assert.match(await $('[data-testid="undone-notice"]').getText(), /Beispieldaten entfernt/);
    await $('[data-testid="take-back"]').click();
    await $('[data-testid="demo-banner"]').waitForDisplayed({ timeout: 15000 });
  });
});
