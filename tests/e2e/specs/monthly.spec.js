// The monthly routine in the import wizard (issue 16): a month's tickets export, then next
// month's export that repeats part of it. The wizard shows the overlap before anything is
// written ("overlaps the import of … : 20 records, 5 with other values — they will be
// replaced"), the data browser then counts the effective tickets (80, not 100), and undo of
// the second import brings back the first one's 50. The first own import asks whether it
// replaces the sample company.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "../wdio.conf.js";
import { pick } from "../picks.js";

const shots = path.join(repoRoot, "screenshots");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "cspulse-e2e-monthly-"));
const shot = async (name) => {
  fs.mkdirSync(shots, { recursive: true });
  await browser.pause(300);
  await browser.saveScreenshot(path.join(shots, `${name}.png`));
};

/** Tickets `from`..`to` (T-0001 …), created in October; `changed` ids get another channel. */
function tickets(file, from, to, changed = new Set()) {
  const lines = ["Ticket ID,Account ID,Created at,Resolved at,Channel"];
  for (let i = from; i <= to; i++) {
    const id = `T-${String(i).padStart(4, "0")}`;
    const day = String(1 + (i % 28)).padStart(2, "0");
    lines.push(`${id},A-${(i % 7) + 1},2026-10-${day},2026-10-${day},${changed.has(i) ? "phone" : "email"}`);
  }
  fs.writeFileSync(path.join(work, file), `${lines.join("\n")}\n`);
  return path.join(work, file);
}

/** The newest file card of the import screen. */
const lastCard = async () => {
  const cards = await $$('[data-testid="file-card"]');
  return cards[cards.length - 1];
};

async function ticketCount() {
  await $('[data-testid="nav-data"]').click();
  const kind = await $('[data-testid="data-kind"]');
  await kind.waitForDisplayed({ timeout: 15000 });
  await kind.selectByAttribute("value", "tickets");
  const count = await $('[data-testid="data-count"]');
  let text = "";
  await browser.waitUntil(
    async () => {
      text = await count.getText();
      return /\d/.test(text);
    },
    { timeout: 15000, timeoutMsg: "the data browser shows no row count" },
  );
  return Number(text.replace(/[^\d]/g, ""));
}

describe("the monthly routine", () => {
  it("imports a month, shows the overlap of the next month's export before importing, counts the effective rows and undoes", async function () {
    // two imports, the second of which purges the sample company's rows (over 100,000
    // usage rows) that the first one replaced, and four readings of the data browser: more
    // than the default 90 s on a busy machine
    this.timeout(300000);
    // the window's shell (the first dashboard may take a while on a busy machine)
    const nav = await $('[data-testid="nav-import"]');
    try {
      await nav.waitForDisplayed({ timeout: 60000 });
    } catch (e) {
      await shot("monthly-start-failed");
      throw e;
    }
    const october = tickets("tickets-oct.csv", 1, 50);
    const november = tickets("tickets-nov.csv", 31, 80, new Set([31, 32, 33, 34, 35]));

    await $('[data-testid="nav-import"]').click();
    pick([october]);
    await $('[data-testid="pick-files"]').click();
    // the first own import asks, once, whether it replaces the sample company (yes by default)
    const question = await $('[data-testid="sample-question"]');
    await question.waitForDisplayed({ timeout: 30000 });
    assert.equal(await $('[data-testid="sample-replace"]').isSelected(), true);
    const first = await $('[data-testid="start-import"]');
    await first.waitForEnabled({ timeout: 30000 });
    await first.click();
    await $('[data-testid="import-results"]').waitForDisplayed({ timeout: 30000 });
    assert.equal(await ticketCount(), 50);

    await $('[data-testid="nav-import"]').click();
    pick([november]);
    await $('[data-testid="pick-files"]').click();
    await browser.waitUntil(async () => (await $$('[data-testid="file-card"]')).length >= 1, { timeout: 15000 });
    const card = await lastCard();
    const line = await card.$('[data-testid="overlap-line"]');
    await line.waitForDisplayed({ timeout: 30000 });
    const text = await line.getText();
    assert.match(text, /tickets-oct\.csv/);
    assert.match(text, /\b20\b/, `20 records in common: ${text}`);
    assert.match(text, /\b5\b/, `5 of them changed: ${text}`);
    // the sample question is not asked again
    assert.equal(await card.$('[data-testid="sample-question"]').isExisting(), false);
    await shot("import-overlap");
    const start = await card.$('[data-testid="start-import"]');
    await start.waitForEnabled({ timeout: 30000 });
    await start.click();
    await card.$('[data-testid="result-overlap"]').waitForDisplayed({ timeout: 30000 });

    // the repeated 20 tickets count once: 50 + 50 - 20
    assert.equal(await ticketCount(), 80);

    // undo of November's import brings October's 50 back
    await $('[data-testid="nav-import"]').click();
    // the history loads after the screen is shown: wait for its rows
    await $('[data-testid="history-row"]').waitForExist({ timeout: 15000 });
    const rows = await $$('[data-testid="history-row"]');
    const newest = await rows[0].getAttribute("data-batch");
    await $(`[data-testid="undo-${newest}"]`).click();
    await $('[data-testid="confirm-ok"]').click();
    await $(`[data-testid="undo-${newest}"]`).waitForExist({ reverse: true, timeout: 15000 });
    assert.equal(await ticketCount(), 50);
  });
});
