#!/usr/bin/env node
// What a first-time visitor downloads before each page of a release build is on screen, measured
// in the browser: for every route, a fresh Chromium context (empty HTTP cache, service workers
// blocked, so nothing is fetched ahead) opens the route and waits for the page's heading; the
// .wasm and .js files requested until then are that route's first visit, weighed as `gzip -9`
// of the built files (what a compressing server sends). Also the requests of each visit (every
// file, HTML, CSS and icons included) and the total of every file of the build.
//
// The background work (review worker, compliance refresh, offline worker) starts only after the
// first page is built (src/ui/startup.rs), so it is not counted here: it never delays the page.
//
// Usage: node scripts/first-visit.mjs [dist=dist] [budget_kb_for_/]
//   With a budget, exits 1 when the first visit to / is over it (1 KB = 1024 B): `make test`
//   enforces the 250 KB budget this way (Makefile, size-budget).
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { launchBrowser } from "../tests/e2e/support.mjs";
import { serveDist } from "./serve-dist.mjs";

const dist = resolve(process.argv[2] || "dist");
const budgetKb = process.argv[3] ? Number(process.argv[3]) : null;

/// Every route, with a SID-shaped path for the record pages (the page shows "not found" in its
/// heading; its code is the same).
const ROUTES = [
  "/",
  "/documents",
  "/documents/new",
  "/documents/RI00000000000000000000000000000000",
  "/addresses",
  "/buy",
  "/numbers",
  "/numbers/PN00000000000000000000000000000000",
  "/activity",
  "/workspace",
];

const gz = new Map();
function gzipped(file) {
  if (!gz.has(file)) gz.set(file, gzipSync(readFileSync(file), { level: 9 }).length);
  return gz.get(file);
}
function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}

const server = await serveDist({ root: dist, port: 0 });
const browser = await launchBrowser();
const rows = [];
try {
  for (const route of ROUTES) {
    const context = await browser.newContext({ serviceWorkers: "block" });
    const page = await context.newPage();
    const seen = [];
    page.on("request", (r) => seen.push(new URL(r.url()).pathname));
    await page.goto(server.url + route);
    await page.locator("main h1").first().waitFor({ state: "visible", timeout: 30_000 });
    const requested = [...seen];
    await context.close();
    let bytes = 0;
    let code = 0;
    for (const path of new Set(requested)) {
      if (!/\.(wasm|js)$/.test(path)) continue;
      const file = join(dist, decodeURIComponent(path));
      bytes += gzipped(file);
      code += 1;
    }
    rows.push({ route, bytes, code, requests: requested.length });
  }
} finally {
  await browser.close();
  await server.close();
}

const files = walk(dist).filter((f) => !f.endsWith("/sw.js"));
const all = files.reduce((n, f) => n + gzipped(f), 0);
const raw = files.reduce((n, f) => n + statSync(f).size, 0);
const code = files.filter((f) => /\.(wasm|js)$/.test(f));
const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
console.log(`first visit of each route (gzip -9 of the .wasm + .js fetched before its heading shows):`);
console.log(`${"route".padEnd(44)} ${"wasm + js".padStart(12)} ${"code files".padStart(10)} ${"requests".padStart(9)}`);
for (const r of rows) {
  console.log(`${r.route.padEnd(44)} ${`${r.bytes} B`.padStart(12)} ${String(r.code).padStart(10)} ${String(r.requests).padStart(9)}  (${kb(r.bytes)})`);
}
console.log(
  `every file of the build: ${files.length} files (${code.length} .wasm/.js), ${raw} B raw, ${all} B gzip -9 (${kb(all)}); ` +
    `.wasm/.js alone ${code.reduce((n, f) => n + gzipped(f), 0)} B gzip -9`,
);
const json = process.env.FIRST_VISIT_JSON;
if (json) {
  const { writeFileSync } = await import("node:fs");
  writeFileSync(json, JSON.stringify({ routes: rows, files: files.length, gzip_all: all, raw_all: raw }, null, 2));
}
if (budgetKb !== null) {
  const landing = rows.find((r) => r.route === "/");
  if (landing.bytes > budgetKb * 1024) {
    console.error(`first-visit: / needs ${landing.bytes} B (${kb(landing.bytes)}), over the ${budgetKb} KB budget`);
    process.exit(1);
  }
  console.log(`first-visit: / needs ${landing.bytes} B (${kb(landing.bytes)}), within the ${budgetKb} KB budget`);
}
