// What a page that runs someone else's script could try, in the real app: navigate away
// (to a file, another site), open a window, name a file the user never chose, or change
// Object.prototype. Each is refused and the app goes on.
import assert from "node:assert/strict";

const invoke = (cmd, args) =>
  browser.executeAsync(
    (cmd, args, done) =>
      window.__TAURI_INTERNALS__.invoke(cmd, args).then(
        (v) => done({ ok: v }),
        (e) => done({ err: e }),
      ),
    cmd,
    args,
  );

describe("the page is held to what the user chose", () => {
  it("does not navigate away from the app's own origin, nor open a window", async () => {
    await $('[data-testid="cs-score"]').waitForDisplayed({ timeout: 30000 });
    const origin = await browser.execute(() => location.origin);
    for (const target of ["file:///etc/hostname", "https://example.com/", "data:text/html,<p>x</p>"]) {
      await browser.execute((t) => {
        location.href = t;
      }, target);
      await browser.pause(800);
      assert.equal(await browser.execute(() => location.origin), origin, `navigated to ${target}`);
    }
    assert.ok(await $('[data-testid="cs-score"]').isDisplayed(), "the app is still there");
    await browser.execute(() => {
      window.open("https://example.com/", "_blank");
    });
    await browser.pause(800);
    assert.equal((await browser.getWindowHandles()).length, 1, "no second window");
  });

  it("refuses a file the user did not choose", async () => {
    for (const [cmd, args] of [
      ["inspect_file", { file: "/etc/passwd", lang: "en" }],
      ["restore_database", { file: "f1-0000000000000000", lang: "en" }],
    ]) {
      const got = await invoke(cmd, args);
      assert.equal(got.err?.code, "file_not_chosen", `${cmd}: ${JSON.stringify(got)}`);
    }
    const old = await invoke("inspect_file", { path: "/etc/passwd", lang: "en" });
    assert.ok(old.err, `a path is no argument: ${JSON.stringify(old)}`);
    const plugin = await invoke("plugin:dialog|open", {});
    assert.ok(plugin.err, "no dialog plugin to call");
  });

  it("has Object.prototype frozen and the real window.confirm", async () => {
    const state = await browser.execute(() => ({
      frozen: Object.isFrozen(Object.prototype),
      confirm: String(window.confirm).includes("[native code]"),
    }));
    assert.deepEqual(state, { frozen: true, confirm: true });
  });
});
