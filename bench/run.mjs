#!/usr/bin/env node
// The browser half of `make bench` (see BENCHMARKS.md). Expects, from the Makefile:
//   target/bench/dist/            the release app (trunk build --release), with the bench page
//                                 copied into dist/bench/ (page.html, pkg/, workspace.json)
//   target/bench/native.json      figure 3 measured natively (examples/bench_data.rs)
// Serves the app on 127.0.0.1, runs the bench page in headless Chromium (figures 1, 3 in wasm,
// 5, 8, and seeding the app's database), then measures the app itself: cold start of /numbers with
// the full data set (2) and the Digits filter (4); reads the build's sizes (6). Writes
// target/bench/results.json and prints a table. Timings are medians; nothing here fails on them.
import { gzipSync } from "node:zlib";
import { readFileSync, readdirSync, statSync, writeFileSync, existsSync } from "node:fs";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { cpus, totalmem, release, platform } from "node:os";
import { serveDist } from "../scripts/serve-dist.mjs";
import { startPeer } from "../scripts/peer.mjs";
import { syncFigures } from "./sync.mjs";
import { chromium } from "playwright-core";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = resolve(ROOT, process.env.BENCH_OUT || "target/bench");
const DIST = join(OUT, "dist");
const RUNS = Number(process.env.BENCH_RUNS || 5);
// `BENCH_ONLY=sync`: the bench page (which seeds the workspace) and figure 9 only.
const ONLY_SYNC = process.env.BENCH_ONLY === "sync";

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}
const r1 = (x) => Math.round(x * 10) / 10;

function sizes(dir) {
  const split = existsSync(join(dir, "split")) ? readdirSync(join(dir, "split")).map((f) => `split/${f}`) : [];
  const files = [...readdirSync(dir), ...split].filter((f) => /\.(wasm|js)$/.test(f) && f !== "sw.js");
  const out = { files: [], raw: 0, gzip: 0 };
  for (const f of files) {
    const bytes = readFileSync(join(dir, f));
    const gz = gzipSync(bytes, { level: 9 }).length;
    out.files.push({ file: f, raw: bytes.length, gzip: gz });
    out.raw += bytes.length;
    out.gzip += gz;
  }
  return out;
}

// Chromium DevTools' "Slow 4G" (Lighthouse's mobile throttling): 150 ms round trip, 1.6 Mbit/s
// down, 750 kbit/s up.
const SLOW_4G = {
  offline: false, latency: 150,
  downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8,
};
/// Each route and what shows that its content is there.
const THROTTLED_ROUTES = [
  { route: "/", content: "main .cards" },
  { route: "/documents", content: "main tbody tr" },
  { route: "/documents/new", content: "main form" },
  { route: "/addresses", content: "main ul.list li" },
  { route: "/buy", content: "main form" },
  { route: "/numbers", content: "main tbody tr" },
  { route: "/activity", content: "main ol.log li" },
  { route: "/workspace", content: "main h1" },
];

// Records, in the page, when the numbers table first has rows (ms since navigation start).
const FIRST_ROWS = () => {
  const seen = () => document.querySelector("main tbody tr") !== null;
  const obs = new MutationObserver(() => {
    if (window.__firstRows === undefined && seen()) {
      window.__firstRows = performance.now();
      obs.disconnect();
    }
  });
  obs.observe(document, { childList: true, subtree: true });
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: !process.env.HEADED,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
});
// Compressed, as a production server sends the files: the throttled visits (figure 7) carry the
// real transfer sizes.
// The CouchDB-protocol test peer behind `/couch/`, for figure 9 (bench/sync.mjs).
const peer = await startPeer();
const server = await serveDist({ root: DIST, port: 0, gzip: true, couch: peer.url });
const results = {};
try {
  const context = await browser.newContext({ serviceWorkers: "allow" });
  const page = await context.newPage();
  page.on("console", (m) => { if (m.text().startsWith("bench:")) console.error(m.text()); });
  page.on("pageerror", (e) => console.error(`bench page error: ${e}`));

  // Figures 1, 3 (wasm), 5; seeds the app's database.
  console.error("bench: running the bench page (about a minute)");
  await page.goto(`${server.url}/bench/page.html`);
  await page.waitForFunction(() => window.__benchResult || window.__benchError, null, {
    timeout: 15 * 60_000, polling: 500,
  });
  const err = await page.evaluate(() => window.__benchError);
  if (err) throw new Error(`the bench page failed: ${err}`);
  Object.assign(results, JSON.parse(await page.evaluate(() => window.__benchResult)));

  if (!ONLY_SYNC) {
  // Figure 2: cold start of /numbers with the full data set in IndexedDB. The first visit has
  // no HTTP cache and no service worker; the following ones are reloads (as a user reopening
  // the tab), served by the service worker.
  await context.addInitScript(FIRST_ROWS);
  const starts = [];
  for (let i = 0; i <= RUNS; i++) {
    const p = await context.newPage();
    await p.goto(`${server.url}/numbers`);
    await p.waitForFunction(() => window.__firstRows !== undefined, null, { timeout: 60_000 });
    starts.push(await p.evaluate(() => window.__firstRows));
    const count = await p.locator("main p[role=status]").first().textContent();
    if (i === 0) console.error(`bench: /numbers shows "${count}"`);
    await p.close();
  }
  results.cold_start = {
    runs: RUNS, first_visit_ms: r1(starts[0]), median_ms: r1(median(starts.slice(1))),
    all_ms: starts.map(r1),
  };

  // Figure 4: keystroke in the Digits filter to updated rows (the count line changed and the
  // next frame started), from an empty filter over 10,000 numbers.
  const p = await context.newPage();
  await p.goto(`${server.url}/numbers`);
  await p.waitForFunction(() => window.__firstRows !== undefined, null, { timeout: 60_000 });
  // The first rows come before the whole list is read; the filter works on the whole list.
  await p.waitForFunction(() => !document.querySelector("main p[role=status]").textContent.startsWith("Reading"),
    null, { timeout: 60_000 });
  const status = p.locator("main p[role=status]").first();
  const full = await status.textContent();
  const filters = [];
  for (let i = 0; i < RUNS; i++) {
    const key = String(2 + i);
    await p.evaluate(() => {
      const input = document.querySelector("#filter-digits");
      const line = document.querySelector("main p[role=status]");
      const before = line.textContent;
      window.__filter = new Promise((resolve) => {
        let t0;
        input.addEventListener("keydown", (e) => { t0 = e.timeStamp; }, { once: true, capture: true });
        const obs = new MutationObserver(() => {
          if (line.textContent !== before) {
            obs.disconnect();
            requestAnimationFrame(() => resolve({ ms: performance.now() - t0, text: line.textContent }));
          }
        });
        obs.observe(line, { childList: true, characterData: true, subtree: true });
      });
    });
    await p.focus("#filter-digits");
    await p.keyboard.press(key);
    const r = await p.evaluate(() => window.__filter);
    filters.push(r.ms);
    if (i === 0) console.error(`bench: filter "${key}": "${full}" -> "${r.text}"`);
    await p.fill("#filter-digits", "");
    await p.waitForFunction((t) => document.querySelector("main p[role=status]").textContent === t, full);
  }
  results.filter = { runs: RUNS, median_ms: r1(median(filters)), all_ms: filters.map(r1), from: full };
  await p.close();

  // Figure 7: a cold visit to each route on a slow 4G connection, with the full data set in
  // IndexedDB: the HTTP cache cleared and the service worker bypassed (Chromium DevTools
  // protocol), so every file comes over the throttled network; from navigation start to the
  // route's first content (its first rows where it lists records).
  results.throttled = { profile: SLOW_4G, routes: [] };
  for (const { route, content } of THROTTLED_ROUTES) {
    const t = await context.newPage();
    const cdp = await context.newCDPSession(t);
    await cdp.send("Network.enable");
    await cdp.send("Network.clearBrowserCache");
    await cdp.send("Network.setBypassServiceWorker", { bypass: true });
    await cdp.send("Network.emulateNetworkConditions", SLOW_4G);
    let requests = 0;
    t.on("request", () => { requests += 1; });
    await t.addInitScript((selector) => {
      const obs = new MutationObserver(() => {
        if (window.__content === undefined && document.querySelector(selector)) {
          window.__content = performance.now();
          obs.disconnect();
        }
      });
      obs.observe(document, { childList: true, subtree: true });
    }, content);
    await t.goto(`${server.url}${route}`);
    await t.waitForFunction(() => window.__content !== undefined, null, { timeout: 120_000 });
    const ms = await t.evaluate(() => window.__content);
    results.throttled.routes.push({ route, content, ms: r1(ms), requests });
    console.error(`bench: slow 4G ${route}: ${r1(ms)} ms, ${requests} requests`);
    await t.close();
  }

  }

  // Figure 9: team sync, with the workspace seeded above.
  results.sync = await syncFigures({ browser, context, server, peer, runs: RUNS, log: (m) => console.error(m) });
  await context.close();
} finally {
  await server.close();
  await browser.close();
  await peer.stop();
}

// Figure 3 natively, and figure 6.
const nativePath = join(OUT, "native.json");
if (existsSync(nativePath)) Object.assign(results, JSON.parse(readFileSync(nativePath, "utf8")));
results.size = sizes(DIST);
const firstVisitPath = join(OUT, "first-visit.json");
if (existsSync(firstVisitPath)) results.first_visit = JSON.parse(readFileSync(firstVisitPath, "utf8"));
results.machine = {
  cpu: cpus()[0]?.model, cores: cpus().length, memory_gb: Math.round(totalmem() / 2 ** 30),
  os: `${platform()} ${release()}`, node: process.version, chromium: browser.version(),
};
results.date = new Date().toISOString();
writeFileSync(join(OUT, "results.json"), `${JSON.stringify(results, null, 2)}\n`);

// The table.
const w = results.write, m = results.wasm, n = results.native, pt = results.portable;
const scale = (x, s) => (x * (s.numbers / s.mapping_sample));
const rows = [
  ["1. bulk write, 10,000 numbers: store", `${r1(w.store_ms)} ms`],
  ["   same records, plain JS IndexedDB loop", `${r1(w.js_ms)} ms`],
  ["   ratio store / JS (target <= 1.5)", `${w.ratio.toFixed(2)}x`],
  ...(results.cold_start ? [
    ["2. cold start /numbers to first rows, first visit", `${results.cold_start.first_visit_ms} ms`],
    ["   reload (service worker), median", `${results.cold_start.median_ms} ms`],
  ] : []),
  ["3. compliance of 10,000 numbers (dashboard): wasm", `${r1(m.dashboard_ms)} ms`],
  ["   native", n ? `${r1(n.dashboard_ms)} ms` : "n/a"],
  [`   mapping options, all docs+addresses, 10,000 numbers: wasm`, `${Math.round(scale(m.mapping_naive_ms, m))} ms (${m.mapping_sample} measured)`],
  ["   native", n ? `${Math.round(scale(n.mapping_naive_ms, n))} ms` : "n/a"],
  ["   same through MappingIndex, every one of the 10,000 numbers: wasm", `${m.mapping_indexed_full_ms.toFixed(1)} ms`],
  ["   native", n ? `${n.mapping_indexed_full_ms.toFixed(1)} ms` : "n/a"],
  ...(results.filter ? [["4. Digits filter keystroke to updated rows", `${results.filter.median_ms} ms`]] : []),
  [`5. import (validate + write), ${(pt.file_bytes / 1e6).toFixed(1)} MB file`, `${r1(pt.validate_ms)} + ${r1(pt.import_ms)} ms`],
  ["   export", `${r1(pt.export_ms)} ms`],
  ...(results.programme ? (() => {
    const p = results.programme;
    return [
      [`8. programme of ${p.numbers.toLocaleString("en")} numbers: plan computed (target <= 50 ms)`, `${p.plan_ms.toFixed(1)} ms (${p.plan_groups} groups)`],
      ["   filter keystroke, the filter over every judged number (target <= 16 ms)", `${p.filter_ms.toFixed(1)} ms (${p.filtered} match 030)`],
      ["   search keystroke over the index (target <= 16 ms)", `${p.search_ms.toFixed(1)} ms (${p.search_found} found)`],
      [`   bulk change of ${p.bulk.toLocaleString("en")} numbers, one transaction`, `${r1(p.bulk_ms)} ms`],
      ["   same records, plain JS IndexedDB loop", `${r1(p.bulk_js_ms)} ms`],
      ["   ratio bulk / JS (target <= 1.5)", `${p.bulk_ratio.toFixed(2)}x`],
      [`   CSV report of every number (target <= 3 s)`, `${r1(p.report_ms)} ms (${(p.report_bytes / 1e6).toFixed(1)} MB)`],
    ];
  })() : []),
  ["6. release .wasm + .js, every file, raw", `${results.size.raw} B`],
  ["   gzip -9", `${results.size.gzip} B (${(results.size.gzip / 1024).toFixed(0)} KiB)`],
  ...(results.first_visit?.routes || []).map((r) => [
    `   first visit ${r.route} (budget for /: 250 KB)`,
    `${r.bytes} B (${(r.bytes / 1024).toFixed(0)} KiB), ${r.requests} requests`,
  ]),
  ...(results.throttled?.routes || []).map((r) => [`7. slow 4G cold visit ${r.route} to first content`, `${r.ms} ms (${r.requests} requests)`]),
  ...(results.sync ? (() => {
    const s = results.sync;
    return [
      [`9. first push of the workspace (${s.server_docs} documents)`, `${s.first_push_ms} ms`],
      ["   initial pull into an empty browser (target <= 10 s)", `${s.pull_ms} ms (${s.pulled_numbers})`],
      ["   the same pull by PouchDB 9.0.0 in the same browser", `${s.pouchdb_pull_ms} ms (${s.pouchdb_docs} documents)`],
      ["   ratio regdesk / PouchDB (target <= 1)", `${s.pull_ratio.toFixed(2)}x`],
      ["   one change on A visible on B, median (target <= 1 s)", `${s.change_median_ms} ms`],
      ["   a round with nothing to do, median", `${s.noop_round_median_ms} ms`],
    ];
  })() : []),
];
const width = Math.max(...rows.map((r) => r[0].length));
console.log(`\nregdesk benchmarks (medians), ${results.machine.cpu}, ${results.machine.chromium}`);
for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
console.log(`\nwritten: ${join(OUT, "results.json")}`);
