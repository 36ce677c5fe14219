// The link step in the real app (issue 17): a helpdesk export names two customers in ways
// the accounts list does not (a misspelt name, a private e-mail). After its import the row
// says so; its details list the values with their rows; a proposal is confirmed, the
// e-mail marked "not a customer", and "Import the file again" brings in the linked rows.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileRow as row, importFile, press, rowCount, shot, waitForStatus } from "../helpers.js";
import { pick } from "../picks.js";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "cspulse-e2e-links-"));
const write = (name, text) => {
  fs.writeFileSync(path.join(work, name), text);
  return path.join(work, name);
};

describe("the link step", () => {
  it("links a misspelt customer once, leaves out a private e-mail, and imports the file again", async function () {
    this.timeout(300000);
    const accounts = write("accounts.csv", "account_id,name,domain\nK-1,Nordwind GmbH,nordwind.de\nK-2,Acme AG,acme.com\nK-3,Brightpath Ltd,brightpath.co.uk\n");
    const tickets = write(
      "tickets.csv",
      "ticket_id,account_id,created_at,resolved_at\n" +
        "T-1,K-1,2026-10-02,2026-10-03\n" +
        "T-2,Acme AG,2026-10-04,2026-10-04\n" +
        "T-3,Nordwnd Gmbh,2026-10-05,2026-10-06\n" +
        "T-4,Nordwnd Gmbh,2026-10-07,2026-10-07\n" +
        "T-5,jane@gmail.com,2026-10-08,\n",
    );
    // the accounts first: the tickets are matched against them
    await importFile(accounts);
    const nav = await $('[data-testid="nav-import"]');
    const all = await $('[data-testid="import-all"]');
    pick([tickets]);
    await $('[data-testid="pick-files"]').click();
    await waitForStatus("tickets.csv", "ready", 120000);
    await all.click();
    await waitForStatus("tickets.csv", "imported", 120000);
    const card = await row("tickets.csv");
    assert.match(await (await card.$('[data-testid="row-unlinked"]')).getText(), /2 customers not found/);
    assert.equal(await rowCount("tickets"), 2, "T-1 by id, T-2 by name");

    // the step in the file's details
    await nav.click();
    const details = await card.$('[data-testid="row-details"]');
    await press(details);
    const step = await card.$('[data-testid="link-step"]');
    await step.waitForDisplayed({ timeout: 15000 });
    assert.equal(
      await (await step.$("h3")).getText(),
      "2 customers in this file were not found: their 3 rows were not imported",
    );
    const nordwind = await step.$('[data-testid="link-value"][data-value="Nordwnd Gmbh"]');
    const offer = await nordwind.$('[data-testid="link-offer"]');
    assert.equal(await offer.getText(), "Is it Nordwind GmbH (K-1)?");
    await shot("link-step");
    await press(offer);
    await (await nordwind.$('[data-testid="link-answer"]')).waitForDisplayed({ timeout: 15000 });
    const jane = await step.$('[data-testid="link-value"][data-value="jane@gmail.com"]');
    await press(await jane.$('[data-testid="link-not-customer"]'));
    await (await jane.$('[data-testid="link-answer"]')).waitForDisplayed({ timeout: 15000 });

    // the file again, with the answers: T-3 and T-4 come in, T-5 stays out
    await press(await step.$('[data-testid="import-again"]'));
    await browser.waitUntil(async () => !(await (await row("tickets.csv")).$('[data-testid="row-unlinked"]').isExisting()), {
      timeout: 120000,
      timeoutMsg: "the import again still has customers not found",
    });
    await waitForStatus("tickets.csv", "imported", 120000);
    assert.equal(await rowCount("tickets"), 4);
  });
});
