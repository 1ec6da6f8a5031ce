// Every page with the demo data loaded: each form control has an accessible name (a <label>,
// aria-label or aria-labelledby), ids are unique (labels and aria-describedby point at one
// element), and the whole page can be walked with the Tab key, each stop showing a visible focus.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { acceptNextDialog, launchBrowser, openSession, startServer } from "./support.mjs";

let browser, server;
before(async () => {
  browser = await launchBrowser();
  server = await startServer();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const PAGES = ["/", "/documents", "/documents/new?country=DE&type=local&area=4930", "/addresses?new=1", "/buy", "/numbers", "/activity", "/workspace"];

test("every control is labelled, ids are unique and Tab reaches every control with a visible focus", async (t) => {
  const s = await openSession(browser, t.name);
  try {
    await s.step("load the demo data", async () => {
      await s.goto(server.url + "/");
      acceptNextDialog(s.page);
      await s.page.getByRole("button", { name: "Load demo data" }).click();
      await s.page.getByText("Demo workspace loaded.").waitFor();
    });
    for (const path of PAGES) {
      await s.step(`labels and ids on ${path}`, async () => {
        await s.goto(server.url + path);
        await s.page.waitForTimeout(500);
        const problems = await s.page.evaluate(() => {
          const out = [];
          for (const el of document.querySelectorAll("input, select, textarea")) {
            if (el.type === "hidden") continue;
            const named = el.labels?.length || el.getAttribute("aria-label") || el.getAttribute("aria-labelledby");
            if (!named) out.push(`unlabelled ${el.tagName.toLowerCase()}#${el.id || "?"}`);
          }
          const ids = [...document.querySelectorAll("[id]")].map((e) => e.id);
          for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) out.push(`duplicate id ${id}`);
          for (const el of document.querySelectorAll("[aria-describedby]")) {
            for (const id of el.getAttribute("aria-describedby").split(/\s+/).filter(Boolean)) {
              if (!document.getElementById(id)) out.push(`aria-describedby points at missing #${id}`);
            }
          }
          return out;
        });
        assert.deepEqual(problems, [], path);
      });
      await s.step(`keyboard on ${path}`, async () => {
        const controls = await s.page.evaluate(
          () => [...document.querySelectorAll("a[href], button:not([disabled]), input:not([disabled]), select:not([disabled])")].filter((e) => e.offsetParent !== null).length,
        );
        let visible = 0;
        for (let i = 0; i < Math.min(controls, 25); i++) {
          await s.page.keyboard.press("Tab");
          const outlined = await s.page.evaluate(() => {
            const el = document.activeElement;
            if (!el || el === document.body) return false;
            const style = getComputedStyle(el);
            return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
          });
          if (outlined) visible++;
        }
        assert.equal(visible, Math.min(controls, 25), `${path}: every Tab stop shows its focus`);
      });
    }
  } finally {
    await s.close();
  }
});
