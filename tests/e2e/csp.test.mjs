// Content-Security-Policy: the page runs only its own scripts. An injected inline script, an
// inline event handler, and markup typed into an input do nothing.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ROUTES, eventually, launchBrowser, openSession, startServer } from "./support.mjs";

let browser, server;
before(async () => {
  browser = await launchBrowser();
  server = await startServer();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test("the served page carries the policy", async (t) => {
  const s = await openSession(browser, t.name);
  try {
    await s.goto(server.url + "/");
    const csp = await s.page.getAttribute('meta[http-equiv="Content-Security-Policy"]', "content");
    const d = Object.fromEntries(
      csp.split(";").map((p) => p.trim().split(/\s+/)).map(([k, ...v]) => [k, v]),
    );
    assert.deepEqual(d["default-src"], ["'self'"]);
    assert.deepEqual(d["connect-src"], ["'self'"]);
    assert.deepEqual(d["img-src"], ["'self'", "blob:", "data:"]);
    assert.deepEqual(d["object-src"], ["'none'"]);
    assert.deepEqual(d["base-uri"], ["'none'"]);
    const [self, wasm, ...hashes] = d["script-src"];
    assert.deepEqual([self, wasm], ["'self'", "'wasm-unsafe-eval'"]);
    assert.ok(hashes.length >= 1 && hashes.every((h) => /^'sha256-[A-Za-z0-9+/]{43}='$/.test(h)), csp);
    assert.ok(!csp.includes("unsafe-inline") && !/'unsafe-eval'/.test(csp), csp);
    s.assertNoConsoleErrors();
  } finally {
    await s.close();
  }
});

test("an injected inline script and an inline event handler do not run", async (t) => {
  const s = await openSession(browser, t.name);
  try {
    await s.step("open the app", () => s.goto(server.url + "/documents"));
    const result = await s.step("inject", () =>
      s.page.evaluate(async () => {
        const violations = [];
        document.addEventListener("securitypolicyviolation", (e) => violations.push(e.violatedDirective));
        const script = document.createElement("script");
        script.textContent = "window.__injected = true;";
        document.body.append(script);
        const box = document.createElement("div");
        box.innerHTML = '<img src="data:," onerror="window.__handler = true" onload="window.__handler = true">';
        document.body.append(box);
        await new Promise((r) => setTimeout(r, 300));
        return { injected: window.__injected, handler: window.__handler, violations };
      }),
    );
    await s.step("nothing ran and the browser says why", () => {
      assert.equal(result.injected, undefined);
      assert.equal(result.handler, undefined);
      assert.ok(result.violations.some((v) => v.startsWith("script-src")), JSON.stringify(result.violations));
    });
    await s.step("the app still works", async () => {
      await s.page.getByRole("link", { name: "My numbers", exact: true }).click();
      // The page's chunk loads first; the overview stays until it has.
      await eventually(async () => assert.equal(await s.heading(), "My numbers"));
    });
  } finally {
    await s.close();
  }
});

test("markup typed into a text input stays text", async (t) => {
  const s = await openSession(browser, t.name);
  const payload = '<img src=x onerror="window.__xss=1">';
  try {
    // The first page with a text field, wherever the pages put one.
    let field = null;
    for (const { path } of ROUTES) {
      await s.goto(server.url + path);
      const candidate = s.page
        .locator('main input:is([type="text"], [type="search"], :not([type])), main textarea')
        .filter({ visible: true })
        .first();
      if (await candidate.count()) {
        field = candidate;
        break;
      }
    }
    if (!field) {
      t.skip("no text input on any page yet: this test runs as soon as one exists");
      return;
    }
    await s.step("type markup", async () => {
      await field.fill(payload);
      await field.press("Tab");
      await s.page.waitForTimeout(300);
    });
    await s.step("it stays text", async () => {
      assert.equal(await field.inputValue(), payload);
      assert.equal(await s.page.evaluate(() => window.__xss), undefined);
      assert.equal(await s.page.locator('img[src="x"]').count(), 0);
    });
    await s.step("no console errors", () => s.assertNoConsoleErrors());
  } finally {
    await s.close();
  }
});
