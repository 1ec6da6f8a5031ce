// The release build's shell: every route opens by deep link and by reload, the navigation moves
// between them, and nothing goes to the console. Also checks what the build ships for offline
// use (manifest, worker) is what the page links.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { NAV, ROUTES, eventually, launchBrowser, openSession, startServer } from "./support.mjs";

let browser, server;
before(async () => {
  browser = await launchBrowser();
  server = await startServer();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test("every route renders by deep link and after a reload, with no console errors", async (t) => {
  const s = await openSession(browser, t.name);
  try {
    for (const { path, heading } of ROUTES) {
      await s.step(`deep link ${path}`, async () => {
        await s.goto(server.url + path);
        assert.equal(await s.heading(), heading);
        // The tab title names the page (it was "regdesk" everywhere).
        assert.equal(await s.page.title(), `${heading} — regdesk`);
      });
      await s.step(`reload ${path}`, async () => {
        await s.reload();
        assert.equal(await s.heading(), heading);
        assert.equal(new URL(s.page.url()).pathname, path);
      });
    }
    await s.step("no console errors", () => s.assertNoConsoleErrors());
  } finally {
    await s.close();
  }
});

test("the navigation reaches every page and marks the current one", async (t) => {
  const s = await openSession(browser, t.name);
  try {
    await s.step("open the overview", () => s.goto(server.url + "/"));
    for (const { name, path } of NAV) {
      await s.step(`follow ${name}`, async () => {
        const nav = s.page.getByRole("navigation", { name: "Main" });
        await nav.getByRole("link", { name, exact: true }).click();
        await s.page.waitForURL(server.url + path);
        const { heading } = ROUTES.find((r) => r.path === path);
        assert.equal(await s.heading(), heading);
        await eventually(async () => assert.equal(await s.page.title(), `${heading} — regdesk`));
        // The focus moved to the new page's content, not left on the clicked link.
        await eventually(async () => assert.equal(await s.page.evaluate(() => document.activeElement?.id), "main"));
        const current = nav.locator('a[aria-current="page"]');
        assert.equal((await current.textContent()).trim(), name);
      });
    }
    await s.step("no console errors", () => s.assertNoConsoleErrors());
  } finally {
    await s.close();
  }
});

test("the build ships a manifest and a service worker that are what they claim", async () => {
  const manifest = await fetch(server.url + "/manifest.webmanifest");
  assert.equal(manifest.status, 200);
  const m = await manifest.json();
  assert.equal(m.start_url, "/");
  for (const icon of m.icons) {
    const r = await fetch(new URL(icon.src, server.url));
    assert.equal(r.status, 200, icon.src);
    assert.equal(r.headers.get("content-type"), icon.type, icon.src);
  }
  const sw = await fetch(server.url + "/sw.js");
  assert.equal(sw.status, 200);
  assert.match(sw.headers.get("content-type"), /javascript/);
  const text = await sw.text();
  assert.doesNotMatch(text, /^\s*</, "sw.js must be JavaScript, not the SPA fallback page");
  const build = JSON.parse(text.match(/const BUILD = (\{.*?\});/)[1]);
  assert.match(build.version, /^[0-9a-f]{16}$/);
  assert.ok(build.files.includes("/index.html"));
  for (const ext of [".wasm", ".js", ".css"]) {
    // Trunk's hash is hex without leading zeros (a CSS built here was main-5a1862165db69f5.css).
    assert.ok(build.files.some((f) => f.endsWith(ext) && /-[0-9a-f]{8,16}(_bg)?\.[a-z]+$/.test(f)), `precaches a hashed ${ext}`);
  }
  for (const f of build.files) assert.equal((await fetch(server.url + f)).status, 200, f);
  // A missing file is a 404, not the app's page (a missing sw.js must not register as HTML).
  assert.equal((await fetch(server.url + "/missing.js")).status, 404);
});
