// A billing export in the real app (issue 17, sources.md §5): Stripe's invoice line items
// (cents, a yearly plan, a void and a draft invoice, a set-up fee) after the CRM's accounts
// report. Before the import the file's details say which export it is and that its MRR is
// derived from the lines; after it, the data browser shows the MRR rows and, for that import,
// the 36 lines with what each made.
import assert from "node:assert/strict";
import path from "node:path";
import { repoRoot } from "../wdio.conf.js";
import { fileRow as row, importFile, press, rowCount, says, shot, waitForStatus } from "../helpers.js";
import { pick } from "../picks.js";

const tools = path.join(repoRoot, "tests", "fixtures", "tools");
const accounts = path.join(tools, "salesforce", "Salesforce_Accounts_formatted.xlsx");
const lines = path.join(tools, "stripe", "Stripe_invoice_line_items.csv");

describe("a billing export", () => {
  it("becomes MRR from its lines, and the lines stay beside it", async function () {
    this.timeout(300000);
    await importFile(accounts);
    const all = await $('[data-testid="import-all"]');

    pick([lines]);
    await $('[data-testid="pick-files"]').click();
    await waitForStatus("Stripe_invoice_line_items.csv", "ready", 120000);
    // what the file is and how it will be read, before anything is written
    const card = await row("Stripe_invoice_line_items.csv");
    await press(await card.$('[data-testid="row-details"]'));
    const notes = await card.$('[data-testid="table-notes"]');
    await notes.waitForExist({ timeout: 30000 });
    const text = await says(notes);
    assert.match(text, /Recognised as the export “Stripe invoice line items”/);
    assert.match(text, /MRR is derived from its lines/);
    assert.match(text, /Amounts are in cents/);
    await shot("billing-wizard");
    await press(all);
    await waitForStatus("Stripe_invoice_line_items.csv", "imported", 120000);

    // the data browser: the import's MRR rows, then its lines
    await $('[data-testid="nav-data"]').click();
    const kind = await $('[data-testid="data-kind"]');
    await kind.waitForDisplayed({ timeout: 15000 });
    await kind.selectByAttribute("value", "revenue");
    const batch = await $('[data-testid="data-batch"]');
    await batch.waitForDisplayed({ timeout: 15000 });
    const options = await batch.$$("option");
    let value = "";
    for (const o of options) if ((await o.getText()).includes("Stripe_invoice_line_items.csv")) value = await o.getAttribute("value");
    assert.ok(value, "the Stripe import is listed");
    await batch.selectByAttribute("value", value);
    const toggle = await $('[data-testid="billing-lines"]');
    await toggle.waitForDisplayed({ timeout: 15000 });
    assert.equal(await toggle.getText(), "Show the 36 billing lines");
    await press(toggle);
    await browser.waitUntil(async () => (await $$('[data-testid="billing-line"]')).length === 36, {
      timeout: 15000,
      timeoutMsg: "the 36 lines are not shown",
    });
    const texts = await browser.execute(() =>
      [...document.querySelectorAll('[data-testid="billing-line"]')].map((r) => r.textContent),
    );
    // the yearly plan: 18,000.00 a year = 1,500.00 a month; the void and draft lines and
    // the set-up fee made none
    assert.ok(texts.some((t) => t.includes("18,000.00 EUR") && t.includes("1,500.00 a month for 12 months")), texts.join("\n"));
    assert.equal(texts.filter((t) => t.includes("not MRR: void invoice")).length, 1);
    assert.equal(texts.filter((t) => t.includes("not MRR: draft invoice")).length, 1);
    assert.equal(texts.filter((t) => t.includes("not MRR: one-time charge")).length, 1);
    await shot("billing-lines");
  });
});

describe("a word of the tool's that CS Pulse does not know", () => {
  // (after the test above: the accounts of the Salesforce report are in)
  it("is asked once in the file's details, and the rows are read with the answer", async function () {
    this.timeout(300000);
    const fs = await import("node:fs");
    const os = await import("node:os");
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "cspulse-e2e-words-"));
    const file = path.join(work, "renewals.csv");
    fs.writeFileSync(
      file,
      "Account ID,Renewal date,Outcome\n0017Q00000MUEL01AA,2026-10-15,Vertrag läuft weiter\n0017Q00000NORD02AA,2026-10-20,Vertrag läuft weiter\n0017Q00000CAFE03AA,2026-10-28,Closed Lost\n",
    );
    const nav = await $('[data-testid="nav-import"]');
    await nav.click();
    pick([file]);
    await $('[data-testid="pick-files"]').click();
    const card = await row("renewals.csv");
    await card.waitForExist({ timeout: 30000 });
    // words that are no outcome make the kind a question first: renewals, says the user
    await waitForStatus("renewals.csv", "needs_answer", 60000);
    await press(await card.$('[data-testid="row-kind-choice-renewals"]'));
    await press(await card.$('[data-testid="row-details"]'));
    const word = await card.$('[data-testid="unknown-word"][data-word="Vertrag läuft weiter"]');
    await word.waitForExist({ timeout: 30000 });
    assert.match(await says(word), /“Vertrag läuft weiter” in Outcome \(2 rows shown\)/);
    await shot("unknown-word");
    await (await word.$("select")).selectByAttribute("value", "renewed");
    await browser.waitUntil(async () => !(await card.$('[data-testid="unknown-words"]').isExisting()), {
      timeout: 30000,
      timeoutMsg: "the question stays after the answer",
    });
    await waitForStatus("renewals.csv", "ready", 60000);
    await press('[data-testid="import-all"]');
    await waitForStatus("renewals.csv", "imported", 120000);
    assert.equal(await rowCount("renewals"), 3, "every row read, none skipped");
  });
});
