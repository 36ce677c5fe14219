// The monthly routine on the import screen (issue 16): a month's tickets export, then next
// month's files at once — a tickets export that repeats part of the first one, and a
// helpdesk export whose generic headers make its kind a question. The review lists both
// files with kind, months, rows and overlap before anything is written; the question is
// answered in the file's row; "Import all" imports both; the data browser then counts the
// effective tickets (50 + 50 − 20 repeated + 3 = 83, not 103); the board report is offered
// for the month the files reach; the queue survives a look at the dashboard; and undo of
// the second tickets import brings back the first one's numbers.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileRow as row, rowCount, says, shot, waitForStatus } from "../helpers.js";
import { pick } from "../picks.js";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "cspulse-e2e-monthly-"));

/** Tickets `from`..`to` (T-0001 …): up to T-0050 created in October, later ones in
 * November; `changed` ids get another channel. */
function tickets(file, from, to, changed = new Set()) {
  const lines = ["Ticket ID,Account ID,Created at,Resolved at,Channel"];
  for (let i = from; i <= to; i++) {
    const id = `T-${String(i).padStart(4, "0")}`;
    const month = i <= 50 ? "10" : "11";
    const day = String(1 + (i % 28)).padStart(2, "0");
    const date = `2026-${month}-${day}`;
    lines.push(`${id},A-${(i % 7) + 1},${date},${date},${changed.has(i) ? "phone" : "email"}`);
  }
  fs.writeFileSync(path.join(work, file), `${lines.join("\n")}\n`);
  return path.join(work, file);
}





describe("the monthly routine", () => {
  it("reviews next month's files at once, answers a question in its row, imports all, counts the effective rows and undoes", async function () {
    // three imports (the first purging the replaced sample company's rows) and four
    // readings of the data browser: more than the default 90 s on a busy machine
    this.timeout(300000);
    const nav = await $('[data-testid="nav-import"]');
    try {
      await nav.waitForDisplayed({ timeout: 60000 });
    } catch (e) {
      await shot("monthly-start-failed");
      throw e;
    }
    const october = tickets("tickets-oct.csv", 1, 50);
    const november = tickets("tickets-nov.csv", 31, 80, new Set([31, 32, 33, 34, 35]));
    const helpdesk = path.join(work, "helpdesk-nov.csv");
    fs.writeFileSync(helpdesk, "Id,Created at,Status,Subject\n101,2026-11-02,open,Login fails\n102,2026-11-03,solved,Invoice copy\n103,2026-11-05,solved,Export\n");

    // October: one file; the first own import asks, once, whether it replaces the sample company
    await nav.click();
    pick([october]);
    await $('[data-testid="pick-files"]').click();
    await $('[data-testid="sample-question"]').waitForDisplayed({ timeout: 30000 });
    assert.equal(await $('[data-testid="sample-replace"]').isSelected(), true);
    const all = await $('[data-testid="import-all"]');
    await all.waitForEnabled({ timeout: 30000 });
    assert.equal(await says(all), "Import 1 file");
    await all.click();
    await waitForStatus("tickets-oct.csv", "imported", 120000);
    assert.equal(await rowCount("tickets"), 50);

    // the imported file stays on the list while the screen was left; November's two files join it
    await nav.click();
    await (await row("tickets-oct.csv")).waitForExist({ timeout: 15000 });
    pick([november, helpdesk]);
    await $('[data-testid="pick-files"]').click();
    await waitForStatus("tickets-nov.csv", "ready");
    await waitForStatus("helpdesk-nov.csv", "needs_answer");
    assert.equal(await $('[data-testid="sample-question"]').isExisting(), false, "the sample question is not asked again");
    await shot("import-review");
    const nov = await row("tickets-nov.csv");
    assert.equal(await says(await nov.$('[data-testid="row-kind"]')), "Tickets");
    assert.equal(await says(await nov.$('[data-testid="row-months"]')), "October 2026 – November 2026");
    assert.equal(await says(await nov.$('[data-testid="row-rows"]')), "50 rows");
    assert.equal(await says(await nov.$('[data-testid="overlap-summary"]')), "20 records as in earlier imports (5 changed) — replaced");
    // its details name the earlier import
    await nov.$('[data-testid="row-details"]').click();
    const line = await nov.$('[data-testid="overlap-line"]');
    await line.waitForDisplayed({ timeout: 15000 });
    assert.match(await says(line), /tickets-oct\.csv/);
    // the opened details may have pushed the toggle under the sticky top bar
    const hide = await nov.$('[data-testid="row-details"]');
    await hide.scrollIntoView({ block: "center" });
    await hide.click();
    const help = await row("helpdesk-nov.csv");
    assert.match(await says(await help.$('[data-testid="row-question"]')), /What does it hold\?/);
    assert.equal(await says(all), "Import 1 file");

    // the queue survives a look at the dashboard
    await $('[data-testid="nav-dashboard"]').click();
    await $('[data-testid="review"]').waitForExist({ reverse: true, timeout: 15000 });
    await nav.click();
    await waitForStatus("helpdesk-nov.csv", "needs_answer");
    await waitForStatus("tickets-nov.csv", "ready");

    // the question answered in the row; then one click imports both
    await (await row("helpdesk-nov.csv")).$('[data-testid="row-kind-choice-tickets"]').click();
    await waitForStatus("helpdesk-nov.csv", "ready");
    await browser.waitUntil(async () => (await says(all)) === "Import all (2 files)", { timeout: 15000, timeoutMsg: "Import all does not count 2 files" });
    // where the button is on the page (its right edge and top): the list below may change, it
    // does not move. In page coordinates: WebKit's driver gives an element's place in the
    // window, and once the history below grows the page can scroll (a run here: toolbar,
    // drop zone and list head kept their heights; the window had scrolled 39 px)
    const place = () =>
      browser.execute((e) => {
        const r = e.getBoundingClientRect();
        return { right: Math.round(r.right + window.scrollX), top: Math.round(r.top + window.scrollY) };
      }, all);
    const before = await place();
    await all.click();
    await waitForStatus("tickets-nov.csv", "imported", 120000);
    await waitForStatus("helpdesk-nov.csv", "imported", 120000);
    // nothing moved above the list: Import all's place did not become something else
    const report = await $('[data-testid="board-report"]');
    await report.waitForDisplayed({ timeout: 30000 });
    // (the dashboard's months reload after the import: the month follows)
    await browser.waitUntil(async () => (await says(report)) === "Board report for November 2026 …", {
      timeout: 30000,
      timeoutMsg: "no board report for November 2026",
    });
    assert.deepEqual(await place(), before);
    await shot("import-review-done");
    await report.click();
    await $('[data-testid="export-dialog"]').waitForDisplayed({ timeout: 15000 });
    await browser.keys("Escape");
    await $('[data-testid="export-dialog"]').waitForExist({ reverse: true, timeout: 15000 });

    // the repeated 20 tickets count once: 50 + 50 − 20, and the helpdesk's 3
    assert.equal(await rowCount("tickets"), 83);

    // undo of November's tickets import brings October's values back
    await nav.click();
    await $('[data-testid="history-row"]').waitForExist({ timeout: 15000 });
    const rows = await $$('[data-testid="history-row"]');
    let batch = null;
    for (const r of rows) if ((await says(r)).includes("tickets-nov.csv")) batch = await r.getAttribute("data-batch");
    assert.ok(batch, "November's tickets import is in the history");
    await $(`[data-testid="undo-${batch}"]`).click();
    await $('[data-testid="confirm-ok"]').click();
    await $(`[data-testid="undo-${batch}"]`).waitForExist({ reverse: true, timeout: 15000 });
    assert.equal(await rowCount("tickets"), 53);
  });
});
