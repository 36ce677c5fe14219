// WebdriverIO drives the real app: wdio → tauri-driver (a free port) → WebKitWebDriver → cs-pulse.
// Classic WebDriver only (WebKitWebDriver has no BiDi). Every run starts from an EMPTY profile:
// a fresh CSPULSE_DB, HOME and XDG folders in a temp dir, as on a user's first start.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, "../..");
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(repoRoot, "target");
const application = process.env.CSPULSE_APP ?? path.join(targetDir, "debug", "cs-pulse");
const counts = path.join(os.tmpdir(), `cspulse-e2e-${process.pid}.counts`);
let driver;
let profile;

function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => socket.end(resolve));
      socket.once("error", () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`tauri-driver did not listen on ${port}`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

function tauriDriver() {
  const cargoBin = path.join(os.homedir(), ".cargo", "bin", "tauri-driver");
  return fs.existsSync(cargoBin) ? cargoBin : "tauri-driver";
}

// The driver's ports: free ones picked once, by the launcher, and handed to its workers through
// the environment (they load this file again), so that a run never talks to another run's
// tauri-driver (a developer's, a second checkout's) on the usual 4444/4445.
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
process.env.CSPULSE_E2E_PORT ||= String(await freePort());
process.env.CSPULSE_E2E_NATIVE_PORT ||= String(await freePort());
const driverPort = Number(process.env.CSPULSE_E2E_PORT);
const nativePort = Number(process.env.CSPULSE_E2E_NATIVE_PORT);

export const config = {
  runner: "local",
  host: "127.0.0.1",
  port: driverPort,
  specs: ["./specs/**/*.spec.js"],
  // needs a file on the app's command line (tests/deb/run.sh gives one)
  exclude: process.env.CSPULSE_E2E_ARGS ? [] : ["./specs/open-file.spec.js"],
  maxInstances: 1,
  capabilities: [
    {
      maxInstances: 1,
      // CSPULSE_E2E_ARGS (a JSON array): the app's command line, as "Open with" passes files
      "tauri:options": { application, args: JSON.parse(process.env.CSPULSE_E2E_ARGS ?? "[]") },
      "wdio:enforceWebDriverClassic": true,
    },
  ],
  autoXvfb: false, // run.sh wraps the run in xvfb-run when there is no display
  logLevel: "warn",
  bail: 0,
  waitforTimeout: 30000,
  connectionRetryTimeout: 60000,
  connectionRetryCount: 1,
  framework: "mocha",
  reporters: ["spec"],
  mochaOpts: { ui: "bdd", timeout: 90000 },

  onPrepare() {
    if (!fs.existsSync(application)) {
      throw new Error(`No app binary at ${application}: build it first (cd ui && npm run tauri build -- --debug --no-bundle --features e2e).`);
    }
    fs.writeFileSync(counts, "");
    process.env.CSPULSE_E2E_COUNTS = counts;
  },

  async beforeSession() {
    profile = fs.mkdtempSync(path.join(os.tmpdir(), "cspulse-e2e-"));
    const dir = (name) => {
      const p = path.join(profile, name);
      fs.mkdirSync(p, { recursive: true });
      return p;
    };
    const env = {
      ...process.env,
      HOME: dir("home"),
      XDG_DATA_HOME: dir("data"),
      XDG_CONFIG_HOME: dir("config"),
      XDG_CACHE_HOME: dir("cache"),
      CSPULSE_DB: path.join(profile, "data", "cs-pulse", "cspulse.db"),
      // C.UTF-8 exists everywhere (en_US.UTF-8 may not be generated); the page then reads en-US.
      LANG: process.env.CSPULSE_E2E_LANG ?? "C.UTF-8",
      LANGUAGE: "",
      LC_ALL: "",
      // the e2e build's file dialogs take their answers from this file (picks.js): the
      // WebDriver cannot click in a native dialog, and the page cannot name files itself
      CSPULSE_E2E_PICKS: path.join(profile, "picks"),
    };
    fs.writeFileSync(env.CSPULSE_E2E_PICKS, "");
    process.env.CSPULSE_E2E_PICKS = env.CSPULSE_E2E_PICKS;
    // CSPULSE_E2E_DEFAULT_DB=1: the database goes where an installed app puts it (in XDG_DATA_HOME)
    // and the session bus is out of reach, so that the test's app never hands its files to
    // a copy of CS Pulse the user is running (it then starts as an instance of its own)
    if (process.env.CSPULSE_E2E_DEFAULT_DB === "1") {
      delete env.CSPULSE_DB;
      env.DBUS_SESSION_BUS_ADDRESS = "unix:path=/nonexistent/cspulse-e2e-bus";
    }
    driver = spawn(
      tauriDriver(),
      ["--port", String(driverPort), "--native-port", String(nativePort)],
      { env, stdio: ["ignore", "ignore", "inherit"] },
    );
    driver.on("error", (e) => console.error(`cannot start tauri-driver: ${e.message}`));
    await waitForPort(driverPort, 20000);
  },

  afterTest(_test, _context, { passed }) {
    fs.appendFileSync(process.env.CSPULSE_E2E_COUNTS ?? counts, passed ? "pass\n" : "fail\n");
  },

  afterSession() {
    // SIGTERM, not SIGKILL: a killed driver leaves WebKitWebDriver holding the pipe.
    driver?.kill("SIGTERM");
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
  },

  onComplete(exitCode) {
    const lines = fs.existsSync(counts) ? fs.readFileSync(counts, "utf8").split("\n") : [];
    fs.rmSync(counts, { force: true });
    const passed = lines.filter((l) => l === "pass").length;
    const failed = lines.filter((l) => l === "fail").length;
    // A session that never started counts as a failure too.
    console.log(`${passed} passed, ${failed + (exitCode !== 0 && failed === 0 ? 1 : 0)} failed`);
  },
};
