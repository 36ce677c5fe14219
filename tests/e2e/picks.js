// The answers of the app's next native file dialogs. The app built for these tests (cargo
// feature `e2e`, never a shipped build) reads each dialog's answer from the file named by
// CSPULSE_E2E_PICKS, one JSON line each: a path, a list of paths, or null (cancelled).
import fs from "node:fs";

/** Queues the answer of the next file dialog: a path, several, or `null` to cancel it. */
export function pick(answer) {
  const file = process.env.CSPULSE_E2E_PICKS;
  if (!file) throw new Error("CSPULSE_E2E_PICKS is not set (wdio.conf.js sets it per session)");
  fs.appendFileSync(file, `${JSON.stringify(answer)}\n`);
}
