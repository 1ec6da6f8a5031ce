// The release build is split by route: a first visit to / fetches the main wasm, its JS and the
// split loader, and no page's chunk; another page's chunk is fetched when that page is first
// opened; every chunk and the loader are named by their content, and the main JS imports the
// loader by that name, so an old chunk can never meet a new main wasm.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { DIST, eventually, launchBrowser, openSession, startServer } from "./support.mjs";

let browser, server;
before(async () => {
  browser = await launchBrowser();
  server = await startServer();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const chunkRequests = (requests) =>
  requests.filter((r) => /^\/split\/.+\.wasm$/.test(new URL(r.url).pathname)).map((r) => new URL(r.url).pathname);

test("a first visit to / loads no page chunk; My numbers loads its chunk when opened", async (t) => {
  const s = await openSession(browser, t.name, { serviceWorkers: "block" });
  try {
    await s.step("open the overview", async () => {
      await s.goto(server.url + "/");
      // The overview is built (its heading shows): the background work waits 300 ms after that,
      // so what was requested until now is what the page itself needed.
      await s.page.locator("main h1", { hasText: "Overview" }).waitFor();
      const code = s.requests.map((r) => new URL(r.url).pathname).filter((p) => /\.(wasm|js)$/.test(p));
      assert.ok(code.some((p) => /^\/split\/__wasm_split-[0-9a-f]{16}\.js$/.test(p)), `the loader: ${code}`);
      assert.ok(code.some((p) => /_bg\.wasm$/.test(p)), `the main wasm: ${code}`);
      assert.deepEqual(chunkRequests(s.requests), [], "no page chunk before the overview shows");
    });
    const before = s.requests.length;
    await s.step("open My numbers from the navigation", async () => {
      await s.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "My numbers", exact: true }).click();
      await eventually(async () => assert.equal(await s.heading(), "My numbers"));
      const fetched = chunkRequests(s.requests.slice(before));
      assert.ok(fetched.length > 0, "the page's chunk came when the page was opened");
    });
    await s.step("no console errors", () => s.assertNoConsoleErrors());
  } finally {
    await s.close();
  }
});

test("every split file is named by its content, and the main JS imports the loader by name", () => {
  const dir = join(DIST, "split");
  const files = readdirSync(dir);
  assert.ok(files.filter((f) => f.endsWith(".wasm")).length > 5, `chunks: ${files.length}`);
  for (const f of files) {
    const m = f.match(/-([0-9a-f]{16})\.(wasm|js)$/);
    assert.ok(m, `${f} carries a content hash`);
    const digest = createHash("sha256").update(readFileSync(join(dir, f))).digest("hex").slice(0, 16);
    assert.equal(m[1], digest, `${f} is named by its bytes`);
  }
  const loader = files.find((f) => f.startsWith("__wasm_split-"));
  const mainJs = readdirSync(DIST).find((f) => /^regdesk-[0-9a-f]+\.js$/.test(f));
  assert.match(readFileSync(join(DIST, mainJs), "utf8"), new RegExp(`\\./split/${loader.replace(".", "\\.")}`));
  const loaderText = readFileSync(join(dir, loader), "utf8");
  assert.ok(loaderText.includes(`"../${mainJs}"`), "the loader imports this build's main JS");
  for (const chunk of files.filter((f) => f.endsWith(".wasm"))) {
    assert.ok(loaderText.includes(`"./${chunk}"`), `the loader names ${chunk}`);
  }
});
