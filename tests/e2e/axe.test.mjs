// axe-core, the standard accessibility checker, on every page of the release build with the
// demo data and an imported programme: 0 violations of WCAG 2.1 A and AA. Then the keyboard-only
// flow on My numbers: filter, select all matching, bulk map, undo, with no mouse.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { axeViolations as violations, eventually, launchBrowser, loadDemo, openSession, startServer, text } from "./support.mjs";

let browser, server;
before(async () => {
  browser = await launchBrowser();
  server = await startServer();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/// The demo, then 60 Berlin and 5 Munich numbers imported as a provider's CSV.
async function demoWithNumbers(s) {
  await s.goto(server.url + "/");
  await loadDemo(s.page);
  const rows = ["Phone Number,Friendly Name,Date Bought"];
  for (let i = 0; i < 60; i++) rows.push(`+4930${7_000_000 + i},Berlin ${i},2024-03-01`);
  for (let i = 0; i < 5; i++) rows.push(`+4989${7_000_000 + i},Munich ${i},2024-03-01`);
  await s.goto(server.url + "/workspace");
  await s.page.locator("#csv-file").setInputFiles({ name: "n.csv", mimeType: "text/csv", buffer: Buffer.from(rows.join("\n") + "\n") });
  await s.page.getByTestId("csv-import").click();
  await s.page.getByTestId("csv-result").getByText("Imported 65 numbers.").waitFor();
}

test("axe-core finds no WCAG 2.1 AA violation on any page", async (t) => {
  const s = await openSession(browser, t.name);
  const page = s.page;
  try {
    await s.step("the demo and 65 imported numbers", () => demoWithNumbers(s));
    const documentHref = async () => {
      await s.goto(server.url + "/documents");
      return page.locator("main tbody tr a").first().getAttribute("href");
    };
    const numberHref = async () => {
      await s.goto(server.url + "/numbers?compliance=noncompliant");
      await eventually(async () => assert.match(await text(page.locator("#numbers-count")), /^\d+ numbers$/));
      return page.locator("main tbody tr a").first().getAttribute("href");
    };
    const pages = [
      "/", "/documents", "/documents?status=expiring", "/documents/new?country=DE&type=local&area=4930", await documentHref(),
      "/addresses", "/addresses?new=1", "/buy", "/numbers", "/numbers?compliance=noncompliant&digits=030", await numberHref(),
      "/plan", "/search?q=berlin", "/search?q=nothing-here", "/activity", "/workspace", "/team", "/no-such-page",
    ];
    for (const path of pages) {
      await s.step(`axe on ${path}`, async () => {
        await s.goto(server.url + path);
        await page.waitForTimeout(600);
        assert.deepEqual(await violations(page), [], path);
      });
    }
    await s.step("axe with the bulk bar open and a bulk result shown", async () => {
      await s.goto(server.url + "/numbers?digits=030");
      await page.getByRole("button", { name: /^Select all \d+ matching$/ }).click();
      assert.deepEqual(await violations(page), [], "bulk bar");
      await page.getByRole("button", { name: "Apply to selected" }).click();
      await page.getByText("Choose an identity document, an address, or None to unmap.").waitFor();
      assert.deepEqual(await violations(page), [], "bulk bar with its problem");
    });
    s.assertNoConsoleErrors();
  } finally {
    await s.close();
  }
});

/// Presses Tab until the focused element matches `selector` (at most `max` presses).
async function tabTo(page, selector, max = 80) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${selector}`);
}

/// Presses ArrowDown on the focused select until its chosen option's text matches `label`.
async function arrowTo(page, label, max = 20) {
  for (let i = 0; i < max; i++) {
    const chosen = await page.evaluate(() => document.activeElement.selectedOptions?.[0]?.textContent ?? "");
    if (label.test(chosen)) return;
    await page.keyboard.press("ArrowDown");
  }
  throw new Error(`no option ${label}`);
}

test("keyboard only: filter My numbers, select all matching, bulk map, undo", async (t) => {
  const s = await openSession(browser, t.name);
  const page = s.page;
  try {
    await s.step("the demo and 65 imported numbers", async () => {
      await demoWithNumbers(s);
      await s.goto(server.url + "/numbers");
      await eventually(async () => assert.equal(await text(page.locator("#numbers-count")), "69 numbers"));
    });
    await s.step("type 030 in Digits", async () => {
      await tabTo(page, "#filter-digits");
      await page.keyboard.type("030");
      await eventually(async () => assert.equal(await text(page.locator("#numbers-count")), "61 numbers"));
    });
    await s.step("select all 61 matching", async () => {
      await tabTo(page, "#select-matching");
      await page.keyboard.press("Enter");
      await page.getByText("61 numbers selected").waitFor();
    });
    await s.step("choose the Berlin document and office, apply", async () => {
      await tabTo(page, "#bulk-identity");
      await arrowTo(page, /^Spree Logistik GmbH — DE local, Berlin \(Passed\)$/);
      await tabTo(page, "#bulk-address");
      await arrowTo(page, /^Berlin office/);
      await tabTo(page, ".bulk-actions button:not(.secondary)");
      await page.keyboard.press("Enter");
      await eventually(async () => assert.match(await text(page.locator("#bulk-result-notice")), /^Mapped 61 numbers/));
      assert.equal(await page.evaluate(() => document.activeElement?.id), "bulk-result-notice", "the result takes the focus");
    });
    await s.step("undo", async () => {
      await tabTo(page, "#bulk-undo");
      await page.keyboard.press("Enter");
      await eventually(async () => assert.equal(await text(page.locator("#bulk-result-notice p")), "Undone: 61 numbers are mapped as before."));
    });
    s.assertNoConsoleErrors();
  } finally {
    await s.close();
  }
});
