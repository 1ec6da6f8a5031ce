// The app talks to no one: every request of a whole session (pages and service worker) goes to
// the origin that served it.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { NAV, ROUTES, launchBrowser, openSession, startServer, waitForServiceWorker } from "./support.mjs";

let browser, server;
before(async () => {
  browser = await launchBrowser();
  server = await startServer();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test("a whole session makes no request to any host but its own origin", async (t) => {
  const s = await openSession(browser, t.name);
  const origin = new URL(server.url).origin;
  try {
    await s.step("visit, install the worker, wander through every page", async () => {
      await s.goto(server.url + "/");
      await waitForServiceWorker(s.page);
      for (const { name } of NAV) {
        await s.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true }).click();
        await s.page.locator("main h1").first().waitFor();
      }
      for (const { path } of ROUTES) await s.goto(server.url + path);
      await s.reload();
      // Give anything deferred (timers, the worker's precache) a moment to go out.
      await s.page.waitForTimeout(1000);
    });
    await s.step("every request went to the app's own origin", () => {
      const foreign = s.requests.filter((r) => {
        const u = new URL(r.url);
        return !["data:", "blob:"].includes(u.protocol) && u.origin !== origin;
      });
      assert.deepEqual(foreign, []);
      assert.ok(s.requests.length > 10, `recorded ${s.requests.length} requests`);
      assert.ok(s.requests.some((r) => r.serviceWorker), "the worker's own requests are recorded too");
    });
    await s.step("no console errors", () => s.assertNoConsoleErrors());
  } finally {
    await s.close();
  }
});
