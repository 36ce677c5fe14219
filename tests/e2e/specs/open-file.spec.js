// Run by tests/deb/run.sh with CSPULSE_E2E_ARGS naming a CSV file: the app started with a
// file on its command line ("Open with CS Pulse") opens the import flow for it.
import assert from "node:assert/strict";

const file = JSON.parse(process.env.CSPULSE_E2E_ARGS ?? "[]")[0];

describe("a file on the command line", () => {
  it("starts the import flow for it", async function () {
    if (!file) this.skip();
    await browser.waitUntil(async () => (await browser.execute(() => location.hash)) === "#/import", {
      timeout: 30000,
      timeoutMsg: "the import screen did not open",
    });
    const name = file.split("/").pop();
    const card = await $(`//*[contains(@class, "file-card")]//*[contains(text(), "${name}")]`);
    await card.waitForDisplayed({ timeout: 30000, timeoutMsg: `${name} is not in the import` });
    assert.ok(await card.isDisplayed());
  });
});
