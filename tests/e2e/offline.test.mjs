// Offline: after one visit the service worker has cached the build, so with the server stopped
// the app still opens, on every route, by reload and by deep link.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { DIST, ROUTES, launchBrowser, openSession, startServer, waitForServiceWorker } from "./support.mjs";

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test("after one visit the app and all its routes work with the server stopped", async (t) => {
  const server = await startServer();
  const s = await openSession(browser, t.name);
  try {
    await s.step("first visit", () => s.goto(server.url + "/numbers"));
    await s.step("the service worker controls the page", () => waitForServiceWorker(s.page));
    const cached = await s.page.evaluate(async () => {
      const names = await caches.keys();
      return names.length === 1 ? (await (await caches.open(names[0])).keys()).length : -names.length;
    });
    await s.step("stop the server", async () => {
      await server.close();
      const reachable = await fetch(server.url + "/").then(() => true, () => false);
      assert.equal(reachable, false, "the server is really gone");
    });
    await s.step("reload with no server", async () => {
      await s.reload();
      assert.equal(await s.heading(), "My numbers");
    });
    for (const { path, heading } of ROUTES) {
      await s.step(`deep link ${path} with no server`, async () => {
        await s.goto(server.url + path);
        assert.equal(await s.heading(), heading);
      });
    }
    await s.step("in-app navigation with no server", async () => {
      await s.page.getByRole("link", { name: "Addresses", exact: true }).click();
      assert.equal(await s.heading(), "Addresses");
    });
    await s.step("the whole build was cached at install, every page's chunk included", () => {
      const walk = (dir) => readdirSync(dir, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [e.name]));
      const built = walk(DIST).filter((f) => f !== "sw.js").length;
      assert.equal(cached, built, `${cached} cached of ${built} built files`);
    });
    await s.step("no console errors", () => s.assertNoConsoleErrors());
  } finally {
    await s.close();
    await server.close();
  }

  // The control: without the worker's cache the stopped server really cannot serve the app.
  const fresh = await openSession(browser, `${t.name} (control)`);
  try {
    await assert.rejects(fresh.page.goto(server.url + "/numbers"), /ERR_CONNECTION_REFUSED/);
  } finally {
    await fresh.close();
  }
});
