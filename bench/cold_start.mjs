// Cold start to a rendered dashboard, measured in the real app: the time from the app
// process's start (the kernel's start time of the process) to the moment the page has
// painted its first dashboard (performance.timeOrigin + window.__cspulseRendered). The
// WebDriver session that launches the app is not counted.
//
//   node bench/cold_start.mjs APP_BINARY [ROUNDS]
//
// Each round starts the app twice in a fresh profile: "first start" (empty database: the
// sample company is created) and "start" (the database exists). Prints one line per
// measurement and the medians as `cold_first_ms N` / `cold_start_ms N`. Needs a display
// (bench/run wraps it in xvfb-run when there is none), tauri-driver and WebKitWebDriver.
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(path.join(root, "tests/e2e/package.json"));
const { remote } = await import(pathToFileURL(require.resolve("webdriverio")).href);

const app = path.resolve(process.argv[2] ?? "");
const rounds = Number(process.argv[3] ?? 5);
if (!fs.existsSync(app)) {
  console.error(`cold_start: no app binary at ${app}`);
  process.exit(2);
}
const PORT = 4455;

function waitForPort(port, ms) {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const s = net.connect(port, "127.0.0.1");
      s.once("connect", () => s.end(resolve));
      s.once("error", () => {
        s.destroy();
        if (Date.now() > deadline) reject(new Error("tauri-driver did not start"));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/** Epoch ms at which process `pid` started (from /proc, 10 ms resolution). */
function processStart(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[19]); // field 22 of stat: starttime
  const hz = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
  const btime = Number(/^btime (\d+)$/m.exec(fs.readFileSync("/proc/stat", "utf8"))[1]);
  return btime * 1000 + (ticks / hz) * 1000;
}

function appPid() {
  const out = execFileSync("pgrep", ["-n", "-f", `^${app}`]).toString().trim();
  return Number(out.split("\n").pop());
}

async function once(profile) {
  const env = {
    ...process.env,
    HOME: path.join(profile, "home"),
    XDG_DATA_HOME: path.join(profile, "data"),
    XDG_CONFIG_HOME: path.join(profile, "config"),
    XDG_CACHE_HOME: path.join(profile, "cache"),
    CSPULSE_DB: path.join(profile, "data", "cspulse.db"),
    LANG: "C.UTF-8",
  };
  for (const d of ["home", "data", "config", "cache"]) fs.mkdirSync(path.join(profile, d), { recursive: true });
  const cargoBin = path.join(os.homedir(), ".cargo", "bin", "tauri-driver");
  const driver = spawn(fs.existsSync(cargoBin) ? cargoBin : "tauri-driver", ["--port", String(PORT)], {
    env,
    stdio: "ignore",
  });
  try {
    await waitForPort(PORT, 20000);
    const browser = await remote({
      hostname: "127.0.0.1",
      port: PORT,
      logLevel: "error",
      capabilities: { "tauri:options": { application: app }, "wdio:enforceWebDriverClassic": true },
    });
    try {
      const started = processStart(appPid());
      await browser.waitUntil(() => browser.execute(() => window.__cspulseRendered !== undefined), {
        timeout: 30000,
        interval: 20,
      });
      const [origin, rendered] = await browser.execute(() => [performance.timeOrigin, window.__cspulseRendered ?? 0]);
      if (process.env.COLD_START_DETAIL) {
        const marks = await browser.execute(() =>
          performance.getEntriesByType("mark").map((m) => `${m.name.replace("cspulse:", "")} ${m.startTime.toFixed(0)}`),
        );
        console.log(`  page loaded after ${(origin - started).toFixed(0)} ms; then (ms): ${marks.join(", ")}, painted ${rendered.toFixed(0)}`);
      }
      return origin + rendered - started;
    } finally {
      await browser.deleteSession().catch(() => {});
    }
  } finally {
    driver.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 300));
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const first = [];
const again = [];
for (let r = 0; r < rounds; r++) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "cspulse-cold-"));
  try {
    first.push(await once(profile));
    again.push(await once(profile));
    console.log(`round ${r + 1}: first start ${first.at(-1).toFixed(0)} ms, start ${again.at(-1).toFixed(0)} ms`);
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}
console.log(`cold_first_ms ${median(first).toFixed(1)}`);
console.log(`cold_start_ms ${median(again).toFixed(1)}`);
