// The score's trust in the real app (fresh profile, sample company): "Does the score work?"
// from the dashboard's score card with its horizon switch, and the settings preview: Cancel
// leaves the settings and the score unchanged, Apply changes them; the percentile switch
// (method, then peers) previewed, applied and told on the account page. Saves screenshots.
import assert from "node:assert/strict";
import { press, shot } from "../helpers.js";

const score = async () => Number((await $('[data-testid="cs-score"]').getText()).replace(",", "."));
const usageWeight = async () => {
  const input = await $('[data-testid="setting-weight-usage"]');
  await input.waitForDisplayed();
  return input.getValue();
};
async function tryUsage(value) {
  const input = await $('[data-testid="setting-weight-usage"]');
  await input.setValue(value);
  await browser.keys(["Tab"]);
  const figures = await $('[data-testid="preview-figures"]');
  await figures.waitForDisplayed({ timeout: 30000 });
  return figures;
}

describe("the score's trust", () => {
  it("shows whether the score works, with churn by light, lift, AUC and a horizon switch", async () => {
    await $('[data-testid="cs-score"]').waitForDisplayed({ timeout: 30000 });
    assert.match(await $('[data-testid="score-coverage"]').getText(), /Based on \d+ % of the signals/);
    await $('[data-testid="open-score-check"]').click();
    const churn = await $('[data-testid="churn-by-light"]');
    await churn.waitForDisplayed({ timeout: 30000 });
    for (const light of ["green", "yellow", "red"]) {
      assert.match(await $(`[data-testid="churn-${light}"]`).getText(), /\d+ of \d+ left|no customer had this light/);
    }
    const observed = await $('[data-testid="observed"]').getText();
    // either a verdict in words or what is missing for one
    if (await $('[data-testid="insufficient"]').isExisting()) {
      assert.match(await $('[data-testid="insufficient"]').getText(), /are missing/);
    } else {
      assert.match(await $('[data-testid="auc"]').getText(), /\d+ % of the time; 50 % would be chance/);
      assert.match(await $('[data-testid="lift"]').getText(), /as often as green|no ratio|cannot be compared/);
    }
    assert.match(await $('[data-testid="auc-usage"]').getText(), /Usage/);
    await shot("score-check");
    await $('[data-testid="horizon"]').selectByAttribute("value", "6");
    await browser.waitUntil(async () => (await $('[data-testid="observed"]').getText()) !== observed, {
      timeout: 30000,
      timeoutMsg: "the horizon switch changed nothing",
    });
    assert.match(await $('[data-testid="score-check"]').getText(), /within the next 6 months/);
  });

  it("previews a weight change: Cancel leaves the settings and the score unchanged", async () => {
    await $('[data-testid="nav-dashboard"]').click();
    const before = await score();
    await $('[data-testid="nav-settings"]').click();
    assert.equal(await usageWeight(), "25");
    await tryUsage("90");
    const [was, would] = await Promise.all(
      ["td:nth-of-type(1)", "td:nth-of-type(2)"].map(async (td) =>
        Number((await $(`[data-testid="preview-score"] ${td}`).getText()).replace(",", ".")),
      ),
    );
    assert.equal(was, before, "before: the score as the dashboard shows it");
    assert.ok(Number.isFinite(would) && would !== was, `after: another score (${was} → ${would})`);
    assert.match(await $('[data-testid="preview-moves"]').getText(), /Accounts changing light/);
    await shot("settings-preview");
    await $('[data-testid="preview-cancel"]').click();
    await $('[data-testid="preview"]').waitForExist({ reverse: true, timeout: 5000 });
    assert.equal(await usageWeight(), "25", "Cancel: the field shows the saved weight");
    assert.equal(await $('[data-testid="settings-status"]').getText(), "Nothing was changed.");
    await $('[data-testid="nav-dashboard"]').click();
    await $('[data-testid="cs-score"]').waitForDisplayed();
    await browser.pause(500);
    assert.equal(await score(), before, "Cancel: the score is unchanged");
    // the settings as the database has them, read again
    await $('[data-testid="nav-settings"]').click();
    assert.equal(await usageWeight(), "25");
  });

  it("Apply saves the change and the score follows", async () => {
    await $('[data-testid="nav-dashboard"]').click();
    const before = await score();
    await $('[data-testid="nav-settings"]').click();
    await tryUsage("90");
    const after = Number((await $('[data-testid="preview-score"] td:nth-of-type(2)').getText()).replace(",", "."));
    const apply = await $('[data-testid="preview-apply"]');
    await apply.waitForEnabled();
    await apply.click();
    await $('[data-testid="preview"]').waitForExist({ reverse: true, timeout: 30000 });
    assert.match(await $('[data-testid="settings-status"]').getText(), /Applied/);
    assert.equal(await usageWeight(), "90");
    await $('[data-testid="nav-dashboard"]').click();
    await browser.waitUntil(async () => Math.abs((await score()) - before) > 0.05, {
      timeoutMsg: `the score stayed at ${before}`,
    });
    assert.equal(await score(), after, "the dashboard shows what the preview promised");
  });

  it("says on the account page how much data and which method made the score", async () => {
    await $('[data-testid="nav-accounts"]').click();
    const first = await $('[data-testid="account-row"] button.link');
    await first.waitForDisplayed();
    await first.click();
    await $('[data-testid="account-page"]').waitForDisplayed();
    assert.match(await $('[data-testid="account-coverage"]').getText(), /Based on \d+ % of the signals \([2-6] of 6 components\)/);
    assert.equal(await $('[data-testid="account-method"]').getText(), "Scored against the targets in Settings.");
    await shot("account-trust");
  });

  it("switches to percentile scoring among the segment's peers, and the account page says so", async () => {
    // the score check compares both methods side by side
    await $('[data-testid="nav-dashboard"]').click();
    await $('[data-testid="open-score-check"]').click();
    const methods = await $('[data-testid="methods"]');
    if (await methods.isExisting()) {
      assert.match(await methods.getText(), /^Against targets: .+\. As percentiles among peers: .+\./);
    }
    // the method: previewed first, then applied
    await $('[data-testid="nav-settings"]').click();
    const method = await $('[data-testid="setting-score-method"]');
    await method.waitForDisplayed();
    assert.equal(await method.getValue(), "targets");
    const peers = await $('[data-testid="setting-score-peers"]');
    assert.equal(await peers.isEnabled(), false, "peers only count for percentiles");
    await method.scrollIntoView({ block: "center" });
    await method.selectByAttribute("value", "percentile");
    await $('[data-testid="preview-figures"]').waitForDisplayed({ timeout: 30000 });
    await press('[data-testid="preview-apply"]');
    await $('[data-testid="preview"]').waitForExist({ reverse: true, timeout: 30000 });
    await browser.waitUntil(async () => (await peers.isEnabled()) === true, { timeout: 10000, timeoutMsg: "peers stay disabled" });
    // (in the middle of the window: the sticky top bar or the status line may cover its edge)
    await peers.scrollIntoView({ block: "center" });
    await peers.selectByAttribute("value", "segment");
    await $('[data-testid="preview-figures"]').waitForDisplayed({ timeout: 30000 });
    await press('[data-testid="preview-apply"]');
    await $('[data-testid="preview"]').waitForExist({ reverse: true, timeout: 30000 });
    assert.equal(await method.getValue(), "percentile");
    assert.equal(await peers.getValue(), "segment");

    // the account page: the method and peers that made the score, and the percentile column
    await $('[data-testid="nav-accounts"]').click();
    const first = await $('[data-testid="account-row"] button.link');
    await first.waitForDisplayed();
    await first.click();
    await $('[data-testid="account-page"]').waitForDisplayed();
    await browser.waitUntil(
      async () =>
        (await $('[data-testid="account-method"]').getText()) ===
        "Each component is the account's percentile among the accounts of its segment.",
      { timeout: 15000, timeoutMsg: "the account page does not name percentile scoring among the segment" },
    );
    assert.match(await $('[data-testid="parts"] thead').getText(), /Percentile \(0–100\)/);
    await shot("account-percentile");
  });
});
