// The board's questions in the real app (fresh profile, sample company): the dashboard's
// breakdown switch and a group's accounts, the renewal outlook and the Renewals screen, the
// executive summary saved while typing and found again after a reload; then the dashboard in
// German at 1280×800 with nothing wider than its card. Saves screenshots.
import assert from "node:assert/strict";
import { press, shot } from "../helpers.js";

const rows = async () => {
  const names = [];
  for (const b of await $$('[data-testid="bd-group"]')) names.push(await b.getText());
  return names;
};

/** Elements wider than their card (text cut or pushed out), as "what: how wide / room". */
function overflowing() {
  const out = [];
  const boxes = document.querySelectorAll(".card, .kpi-card");
  for (const box of boxes) {
    const room = box.getBoundingClientRect();
    for (const el of box.querySelectorAll("*")) {
      // a table scrolls inside its own scroller; hidden text for screen readers is 1 px
      if (el.closest(".table-scroll") || el.closest(".sr-only") || el.closest("svg") || el.closest("canvas")) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const cut = el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === "hidden";
      if (r.right > room.right + 1 || r.left < room.left - 1 || cut) {
        out.push(`${el.tagName.toLowerCase()}.${el.className} "${(el.textContent ?? "").trim().slice(0, 40)}" in ${box.className}: ${Math.round(r.left)}–${Math.round(r.right)} / ${Math.round(room.left)}–${Math.round(room.right)}`);
      }
    }
  }
  return out.slice(0, 20);
}

describe("the board's questions", () => {
  // what the window showed when a test failed
  afterEach(async function () {
    if (this.currentTest?.state === "failed") await shot(`failed-board-${this.currentTest.title.slice(0, 40).replace(/[^\w]+/g, "-")}`);
  });
  it("switches the breakdown and opens a group's accounts", async () => {
    await browser.setWindowSize(1280, 800).catch((e) => console.warn(`window size not set: ${e}`));
    await $('[data-testid="cs-score"]').waitForDisplayed({ timeout: 30000 });
    const table = await $('[data-testid="breakdown-table"]');
    await table.waitForDisplayed({ timeout: 30000 });
    const bySegment = await rows();
    assert.ok(bySegment.length >= 2, `groups: ${bySegment}`);
    assert.equal(await $('[data-testid="bd-by-segment"]').getAttribute("aria-pressed"), "true");
    await $('[data-testid="breakdown"]').scrollIntoView({ block: "center" });
    await shot("dashboard-breakdown");
    await press('[data-testid="bd-by-owner"]');
    await browser.waitUntil(async () => (await $('[data-testid="bd-by-owner"]').getAttribute("aria-pressed")) === "true", {
      timeoutMsg: "the switch did not change to owner",
    });
    await browser.waitUntil(async () => JSON.stringify(await rows()) !== JSON.stringify(bySegment), {
      timeoutMsg: "the owner breakdown shows the segments' rows",
    });
    // sort by CS score, twice (descending, then ascending), then open the first group
    await press('[data-testid="bd-sort-cs_score"]');
    await press('[data-testid="bd-sort-cs_score"]');
    await browser.pause(300);
    const owner = (await rows())[0];
    await press((await $$('[data-testid="bd-group"]'))[0]);
    const chip = await $('[data-testid="group-filter"]');
    await chip.waitForDisplayed({ timeout: 30000 });
    assert.ok((await chip.getText()).startsWith(`Owner: ${owner}`), await chip.getText());
    const count = await $('[data-testid="accounts-count"]').getText();
    const [shown, total] = count.match(/\d+/g).map(Number);
    assert.ok(shown > 0 && shown === total, count);
    // every account listed has this owner (the rows on screen; the list is virtualised)
    for (const row of await $$('[data-testid="account-row"]')) {
      const [ownerCell] = await row.$$(".c-text");
      // (textContent: the column may be scrolled out of view, where getText() answers "")
      assert.equal((await ownerCell.getProperty("textContent")).trim(), owner.startsWith("(") ? "" : owner);
    }
    await press('[data-testid="clear-group"]');
    await $('[data-testid="group-filter"]').waitForExist({ reverse: true, timeout: 15000 });
  });

  it("shows the renewal outlook and the Renewals screen, which opens an account", async () => {
    await press('[data-testid="nav-dashboard"]');
    const card = await $('[data-testid="renewals-card"]');
    await card.waitForDisplayed({ timeout: 30000 });
    // computed after the dashboard is on screen (it rests on the score check)
    await browser.waitUntil(async () => /Due \d\d\/\d\d\/\d{4} – \d\d\/\d\d\/\d{4}/.test(await card.getText()), {
      timeout: 30000,
      timeoutMsg: `the renewal card: ${await card.getText()}`,
    });
    assert.match(await $('[data-testid="value-at-risk"]').getText(), /Value at risk/);
    await press('[data-testid="open-renewals"]');
    const table = await $('[data-testid="renewals-table"]');
    await table.waitForDisplayed({ timeout: 30000 });
    const first = await $('[data-testid="renewal-row"] th').getText();
    await press('[data-testid="rn-sort-value"]');
    await browser.pause(300);
    await shot("renewals");
    const biggest = await $('[data-testid="renewal-row"] th button');
    const name = await biggest.getText();
    assert.ok(name.length > 0 && first.length > 0);
    await press(biggest);
    const title = await $("#account-title");
    await title.waitForDisplayed({ timeout: 30000 });
    assert.equal(await title.getText(), name);
  });

  it("saves the executive summary while typing and finds it after a reload", async () => {
    await press('[data-testid="nav-dashboard"]');
    const box = await $('[data-testid="summary-note-text"]');
    await box.waitForDisplayed({ timeout: 30000 });
    await box.setValue("Churn is down; two renewals in November need attention.");
    const status = await $('[data-testid="summary-note-status"]');
    await browser.waitUntil(async () => (await status.getText()) === "Saved", { timeout: 15000, timeoutMsg: "never saved" });
    // typed on, then the page reloads at once: nothing is lost
    await box.addValue(" Call Acme.");
    await browser.refresh();
    const again = await $('[data-testid="summary-note-text"]');
    await again.waitForDisplayed({ timeout: 30000 });
    await browser.waitUntil(
      async () => (await again.getValue()) === "Churn is down; two renewals in November need attention. Call Acme.",
      { timeout: 15000, timeoutMsg: `after the reload: "${await again.getValue()}"` },
    );
  });

  it("shows a KPI card's value by segment as bars, and writes a mover's action in the movers list", async () => {
    await press('[data-testid="nav-dashboard"]');
    const card = await $('[data-testid="kpi-mrr"]');
    // far below the fold: WebKit's driver calls it displayed once it is scrolled to
    await card.waitForExist({ timeout: 30000 });
    await card.scrollIntoView({ block: "center" });
    const toggle = await card.$('[data-testid="kpi-by-group"]');
    await toggle.waitForExist({ timeout: 30000 });
    await toggle.scrollIntoView({ block: "center" });
    assert.equal(await toggle.getText(), "By segment");
    await press(toggle);
    const bars = await card.$$('[data-testid="group-bar"]');
    assert.ok(bars.length >= 2, `bars: ${bars.length}`);
    // each bar names its group and its MRR, the largest first
    const values = [];
    for (const b of bars) {
      const text = (await b.$(".group-value").getText()).replace(/[^\d.-]/g, "");
      values.push(Number(text));
    }
    assert.deepEqual([...values].sort((x, y) => y - x), values, `MRR by segment: ${values}`);
    await card.scrollIntoView({ block: "center" });
    await shot("kpi-card-by-segment");
    await press(toggle);
    await card.$('[data-testid="group-bars"]').waitForExist({ reverse: true, timeout: 5000 });

    // a mover's next step, written in the movers list, is the account's action on its page
    const add = await $('[data-testid="movers"] .mover-action-add');
    await $('[data-testid="movers"]').scrollIntoView({ block: "center" });
    if (await add.isExisting()) {
      const id = (await add.getAttribute("data-testid")).replace("mover-action-add-", "");
      const li = await add.parentElement();
      await press(add);
      const text = await $(`[data-testid="mover-action-${id}-text"]`);
      await text.waitForDisplayed({ timeout: 15000 });
      await text.setValue("Call about the renewal");
      const status = await $(`[data-testid="mover-action-${id}-status"]`);
      await browser.waitUntil(async () => (await status.getText()) === "Saved", { timeout: 15000, timeoutMsg: "the action was not saved" });
      // the mover's name opens its page
      await press(await li.$("button.link"));
      const onPage = await $('[data-testid="account-action-text"]');
      await onPage.waitForDisplayed({ timeout: 30000 });
      await browser.waitUntil(async () => (await onPage.getValue()) === "Call about the renewal", {
        timeout: 15000,
        timeoutMsg: "the account page does not show the action written in the movers list",
      });
    }
  });

  it("fits the German dashboard into 1280×800 without anything wider than its card", async () => {
    await press('[data-testid="nav-settings"]');
    await $('[data-testid="setting-language"]').selectByAttribute("value", "de");
    await browser.waitUntil(async () => (await $('[data-testid="nav-settings"]').getText()) === "Einstellungen");
    await press('[data-testid="nav-dashboard"]');
    await $('[data-testid="breakdown-table"]').waitForDisplayed({ timeout: 30000 });
    await $('[data-testid="renewals-card"]').waitForDisplayed({ timeout: 30000 });
    await browser.pause(800);
    await shot("dashboard-de-1280");
    const kpis = await $('[data-testid="group-revenue"]');
    // one card shows its value by segment: the bars fit too
    const byGroup = await $('[data-testid="kpi-mrr"] [data-testid="kpi-by-group"]');
    await byGroup.waitForExist({ timeout: 30000 });
    await byGroup.scrollIntoView({ block: "center" });
    await byGroup.click();
    await $('[data-testid="kpi-mrr"] [data-testid="group-bars"]').waitForDisplayed({ timeout: 15000 });
    await kpis.scrollIntoView();
    await browser.pause(800);
    await shot("dashboard-de-1280-kpis");
    const over = await browser.execute(overflowing);
    assert.deepEqual(over, [], over.join("\n"));
  });
});
