// Figure 9 of `make bench` (BENCHMARKS.md): team sync through the CouchDB-protocol test peer,
// behind the same `/couch/` proxy as the deployment. With the bench workspace (10,000 numbers,
// 1,000 documents, 2,250 scans) already in the app's IndexedDB of `context`:
//   - the first push of the whole workspace;
//   - the initial pull into an empty browser, to "Up to date";
//   - the same pull by PouchDB in a page of the same browser, from the same server (the ratio);
//   - one change on A visible on B (median of `runs`);
//   - a sync round with nothing to do (median).
// Timings are recorded, never checked.
import { peerAdmin } from "../tests/e2e/support.mjs";

const USER = { name: "bench", password: "bench-password" };
const DB = "bench";

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}
const r1 = (x) => Math.round(x * 10) / 10;

/// Signs in on the team page and resolves with the ms from the click to "Up to date".
async function signIn(page, url) {
  await page.goto(`${url}/team`);
  await page.locator("#team-database").fill(DB);
  await page.locator("#team-user").fill(USER.name);
  await page.locator("#team-password").fill(USER.password);
  const t0 = Date.now();
  await page.getByRole("button", { name: "Sign in and share" }).click();
  // The state passes through Connecting, Sending and Receiving before it is up to date.
  await page.getByTestId("sync-status").getByText("Up to date").waitFor({ timeout: 30 * 60_000 });
  return Date.now() - t0;
}

export async function syncFigures({ browser, context, server, peer, runs, log }) {
  const admin = (m, p, b) => peerAdmin(peer, m, p, b);
  await admin("PUT", `/_users/org.couchdb.user:${USER.name}`, { ...USER, roles: [], type: "user" });
  await admin("PUT", `/${DB}`);
  await admin("PUT", `/${DB}/_security`, { admins: { names: [], roles: [] }, members: { names: [USER.name], roles: [] } });
  const out = {};

  const a = await context.newPage();
  out.first_push_ms = await signIn(a, server.url);
  const info = await admin("GET", `/${DB}`);
  out.server_docs = info.doc_count;
  log(`bench: first push: ${out.server_docs} documents in ${out.first_push_ms} ms`);

  const bContext = await browser.newContext({ serviceWorkers: "allow" });
  const b = await bContext.newPage();
  await b.goto(`${server.url}/`);
  out.pull_ms = await signIn(b, server.url);
  await b.goto(`${server.url}/`);
  out.pulled_numbers = (await b.locator(".card.stat", { hasText: /^[\d,]+ numbers?$/ }).first().textContent()).trim();
  log(`bench: initial pull: ${out.pull_ms} ms, B shows "${out.pulled_numbers}"`);

  const pContext = await browser.newContext();
  const p = await pContext.newPage();
  await p.goto(`${server.url}/bench/pouch.html`);
  const pouch = await p.evaluate(({ db, name, password }) => window.pull(db, name, password), { db: DB, ...USER });
  out.pouchdb_pull_ms = r1(pouch.ms);
  out.pouchdb_docs = pouch.doc_count;
  out.pull_ratio = out.pull_ms / pouch.ms;
  log(`bench: PouchDB pull: ${r1(pouch.ms)} ms, ${pouch.doc_count} documents`);
  await pContext.close();

  // One change on A visible on B: an address renamed on A, until B's open list shows it.
  await a.goto(`${server.url}/addresses`);
  await b.goto(`${server.url}/addresses`);
  const latencies = [];
  for (let i = 0; i < runs; i++) {
    const name = `Bench rename ${Date.now()}`;
    await a.locator("li.card").first().getByRole("button", { name: "Edit" }).click();
    await a.locator("#friendly_name").fill(name);
    const seen = b.waitForFunction(
      (n) => [...document.querySelectorAll("li.card")].some((c) => c.textContent.includes(n)) && Date.now(),
      name,
      { polling: "raf", timeout: 60_000 },
    );
    const t0 = await a.evaluate(() => Date.now());
    await a.getByRole("button", { name: "Save address" }).click();
    latencies.push((await (await seen).jsonValue()) - t0);
    await a.locator("li.card", { hasText: name }).waitFor();
  }
  out.change_median_ms = median(latencies);
  out.change_all_ms = latencies;
  log(`bench: change A to B: ${latencies.join(", ")} ms`);

  // A round with nothing to do, on B: "Sync now" to the last request of the round answered.
  await b.goto(`${server.url}/team`);
  await b.getByTestId("sync-status").getByText("Up to date").waitFor();
  const rounds = [];
  for (let i = 0; i < runs; i++) {
    const t0 = await b.evaluate(() => {
      performance.clearResourceTimings();
      return performance.now();
    });
    await b.getByRole("button", { name: "Sync now" }).click();
    await b.waitForTimeout(1500);
    const end = await b.evaluate(
      (start) =>
        performance
          .getEntriesByType("resource")
          .filter((e) => e.name.includes("/couch/") && !e.name.includes("feed=longpoll") && e.startTime >= start)
          .reduce((m, e) => Math.max(m, e.responseEnd), start),
      t0,
    );
    rounds.push(end - t0);
  }
  out.noop_round_median_ms = r1(median(rounds));
  out.noop_round_all_ms = rounds.map(r1);
  log(`bench: no-op round: ${out.noop_round_all_ms.join(", ")} ms`);
  await bContext.close();
  await a.close();
  return out;
}
