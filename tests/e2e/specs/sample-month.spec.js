// The sample company's second month (issue 16): its eleven exports at the end of October
// 2026 are imported as a CS manager's own files, then its eleven exports at the end of
// November 2026, which repeat the months before (every record again, many with other
// values: a re-export). The second round asks nothing: every file is ready, with its kind
// and the earlier imports it replaces, and one click on "Import all" imports all eleven.
// The data browser then counts the effective rows — the union of both rounds' records,
// counted in this test from the files themselves — and the board report is offered for
// November 2026. The files come from `cspulse demo --export DIR --month M`.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "../wdio.conf.js";
import { fileRow as row, rowCount as count, says, shot } from "../helpers.js";
import { pick } from "../picks.js";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "cspulse-e2e-sample-month-"));
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(repoRoot, "target");

/** The CLI the tests build (`cargo test` builds it); built here when it is missing. */
function cspulse() {
  const bin = path.join(targetDir, "debug", process.platform === "win32" ? "cspulse.exe" : "cspulse");
  if (!fs.existsSync(bin)) {
    execFileSync("cargo", ["build", "--locked", "-p", "cspulse-cli", "--bin", "cspulse"], { cwd: repoRoot, stdio: "inherit" });
  }
  return bin;
}

/** The sample company's exports at the end of `month` (a small company: the test imports
 * it twice in a debug build), in `Kind::ALL` order. */
function exportsAt(month) {
  const dir = path.join(work, month);
  const out = execFileSync(
    cspulse(),
    ["demo", "--export", dir, "--month", month, "--accounts", "40", "--usage-rows", "6000", "--lang", "en"],
    { encoding: "utf8" },
  );
  const files = out
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.endsWith(".csv"));
  assert.equal(files.length, 11, `cspulse demo --export wrote ${files.length} files:\n${out}`);
  return files;
}

/** The distinct records of a kind over both rounds: the key is the file's first `width`
 * columns (tickets: ticket_id; revenue: account_id, month). The sample's ids and months
 * hold no comma or quote, and those columns come first. */
function distinct(files, width) {
  const keys = new Set();
  for (const f of files) {
    const lines = fs.readFileSync(f, "utf8").split("\n").slice(1);
    for (const l of lines) if (l.trim()) keys.add(l.split(",").slice(0, width).join(","));
  }
  return keys.size;
}



async function statuses(files) {
  const out = {};
  for (const f of files) {
    const card = await row(path.basename(f));
    out[path.basename(f)] = (await card.isExisting()) ? await card.getAttribute("data-status") : "missing";
  }
  return out;
}

async function waitForAll(files, status, timeout) {
  let seen = {};
  await browser
    .waitUntil(
      async () => {
        seen = await statuses(files);
        return Object.values(seen).every((s) => s === status);
      },
      { timeout, interval: 500 },
    )
    .catch(() => {
      throw new Error(`not every file is ${status}: ${JSON.stringify(seen)}`);
    });
}


describe("the sample company's second month", () => {
  it("imports next month's eleven overlapping exports with no question and one click", async function () {
    // two rounds of eleven imports in a debug build, on a busy machine
    this.timeout(600000);
    const october = exportsAt("2026-10");
    const november = exportsAt("2026-11");
    const nav = await $('[data-testid="nav-import"]');
    await nav.waitForDisplayed({ timeout: 60000 });

    // October, the first own import: the one question is whether it replaces the sample company
    await nav.click();
    pick(october);
    await $('[data-testid="pick-files"]').click();
    await $('[data-testid="sample-question"]').waitForDisplayed({ timeout: 30000 });
    await waitForAll(october, "ready", 120000);
    const all = await $('[data-testid="import-all"]');
    await browser.waitUntil(async () => (await says(all)) === "Import all (11 files)", {
      timeout: 15000,
      timeoutMsg: "Import all does not count 11 files",
    });
    await all.click();
    await waitForAll(october, "imported", 300000);

    // November: every file ready without a question, each replacing what it repeats
    pick(november);
    await $('[data-testid="pick-files"]').click();
    await waitForAll(november, "ready", 120000);
    assert.equal(await $('[data-testid="sample-question"]').isExisting(), false, "the sample question is asked once");
    for (const f of november) {
      const card = await row(path.basename(f));
      assert.equal(await card.$('[data-testid="row-question"]').isExisting(), false, `${path.basename(f)} asks a question`);
    }
    const tickets = await row("sample-2026-11-tickets.csv");
    assert.equal(await says(await tickets.$('[data-testid="row-kind"]')), "Tickets");
    assert.match(await says(await tickets.$('[data-testid="overlap-summary"]')), /records as in earlier imports .*— replaced$/);
    await browser.waitUntil(async () => (await says(all)) === "Import all (11 files)", {
      timeout: 15000,
      timeoutMsg: "Import all does not count November's 11 files",
    });
    await shot("sample-second-month-review");

    // one click
    await all.click();
    await waitForAll(november, "imported", 300000);
    const report = await $('[data-testid="board-report"]');
    await browser.waitUntil(async () => (await report.isExisting()) && (await says(report)) === "Board report for November 2026 …", {
      timeout: 30000,
      timeoutMsg: "no board report for November 2026",
    });

    // the effective rows: each record once, whichever round brought it
    assert.equal(await count("tickets"), distinct([...october, ...november].filter((f) => f.endsWith("-tickets.csv")), 1));
    assert.equal(await count("revenue"), distinct([...october, ...november].filter((f) => f.endsWith("-revenue.csv")), 2));
    assert.equal(await count("accounts"), distinct([...october, ...november].filter((f) => f.endsWith("-accounts.csv")), 1));
  });
});
