// A new version: its worker installs beside the running one and waits; the page offers
// "Reload to update"; taking it loads the new version and deletes the old version's cache.
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { DIST, launchBrowser, openSession, startServer, waitForServiceWorker } from "./support.mjs";

/// The version marker of the page that is running: the `e2e-version` meta element, if any.
const marker = (page) =>
  page.evaluate(() => document.querySelector('meta[name="e2e-version"]')?.getAttribute("content") ?? null);

let browser, dir;
before(async () => {
  browser = await launchBrowser();
  dir = mkdtempSync(join(tmpdir(), "regdesk-e2e-"));
  cpSync(DIST, dir, { recursive: true });
});
after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

const cacheNames = (page) => page.evaluate(() => caches.keys());

test("a new version waits until the page's Reload to update, then replaces the old cache", async (t) => {
  const server = await startServer(dir);
  const s = await openSession(browser, t.name);
  try {
    await s.step("first visit installs version 1", async () => {
      await s.goto(server.url + "/activity");
      await waitForServiceWorker(s.page);
    });
    const [v1] = await cacheNames(s.page);
    assert.match(v1, /^regdesk-[0-9a-f]{16}$/);

    await s.step("deploy version 2 (a marker in the page, another build version)", () => {
      const html = join(dir, "index.html");
      // The app sets the title itself, so the marker is a meta element the app does not touch.
      const marked = readFileSync(html, "utf8").replace("<title>", '<meta name="e2e-version" content="2"><title>');
      assert.notEqual(marked, readFileSync(html, "utf8"));
      writeFileSync(html, marked);
      const sw = join(dir, "sw.js");
      writeFileSync(sw, readFileSync(sw, "utf8").replace(/"version":"[0-9a-f]{16}"/, '"version":"0123456789abcdef"'));
    });
    await s.step("the page notices and offers to reload", async () => {
      await s.page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
      await s.page.getByTestId("update-banner").waitFor({ timeout: 15_000 });
      assert.equal(await marker(s.page), null, "version 1 keeps running until asked");
    });
    await s.step("Reload to update loads version 2", async () => {
      await Promise.all([
        s.page.waitForEvent("load", { timeout: 15_000 }),
        s.page.getByRole("button", { name: "Reload to update" }).click(),
      ]);
      await s.page.locator("main h1").first().waitFor();
      assert.equal(await marker(s.page), "2");
      assert.equal(await s.heading(), "Activity");
      assert.deepEqual(await cacheNames(s.page), ["regdesk-0123456789abcdef"]);
      assert.equal(await s.page.getByTestId("update-banner").count(), 0);
    });
    await s.step("no console errors", () => s.assertNoConsoleErrors());
  } finally {
    await s.close();
    await server.close();
  }
});
