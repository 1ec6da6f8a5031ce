// Helpers for regdesk's end-to-end tests: a release build (dist/) served on 127.0.0.1 by
// scripts/serve-dist.mjs, driven in Debian's Chromium by playwright-core, with Node's own test
// runner (`node --test tests/e2e/`). A flow test needs only:
//
//   const browser = await launchBrowser();
//   const server = await startServer();
//   const s = await openSession(browser, t.name);
//   await s.step("open the numbers page", async () => { await s.goto(server.url + "/numbers"); … });
//   s.assertNoConsoleErrors();
//   await s.close(); await server.close(); await browser.close();
//
// A failing step saves a screenshot and the browser's console log (with every request) as
// target/e2e/<test>--<step>.{png,log} before the error goes on to the test runner.
//
// Environment: HEADED=1 shows the browser (needs a display; SLOWMO=ms slows each action),
// CHROMIUM=/path picks the browser, E2E_DIST=dir serves another build.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { serveDist } from "../../scripts/serve-dist.mjs";
import { startPeer } from "../../scripts/peer.mjs";

// Lets the context's request events include the service worker's own fetches (install-time
// precaching), so "every request of a session" really is every request. Playwright reads it when
// the browser starts; set here before playwright-core is loaded.
process.env.PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS ??= "1";
const { chromium } = await import("playwright-core");

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const DIST = resolve(ROOT, process.env.E2E_DIST || "dist");
export const ARTEFACTS = join(ROOT, "target", "e2e");
export const HEADED = !!process.env.HEADED && process.env.HEADED !== "0";

/// Every route of the shell and the heading its page shows.
export const ROUTES = [
  { path: "/", heading: "Overview" },
  { path: "/documents", heading: "Identity documents" },
  { path: "/addresses", heading: "Addresses" },
  { path: "/buy", heading: "Buy a number" },
  { path: "/numbers", heading: "My numbers" },
  { path: "/plan", heading: "Compliance plan" },
  { path: "/activity", heading: "Activity" },
  { path: "/team", heading: "Team sync" },
  { path: "/no-such-page", heading: "Page not found" },
];

/// The navigation's links, in order, and where each goes.
export const NAV = [
  { name: "Identity documents", path: "/documents" },
  { name: "Addresses", path: "/addresses" },
  { name: "Buy a number", path: "/buy" },
  { name: "My numbers", path: "/numbers" },
  { name: "Plan", path: "/plan" },
  { name: "Activity", path: "/activity" },
  { name: "Team", path: "/team" },
];

const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: !HEADED,
    slowMo: Number(process.env.SLOWMO || (HEADED ? 150 : 0)),
    args: FLAGS,
  });
}

/// Serves `root` (default: the release build) on 127.0.0.1 at a free port. `close()` stops it
/// for good, kept-alive connections included.
/// The release build on a port of its own; with `couch` (a CouchDB URL, the test peer's), that
/// database at `/couch/` of the same origin, as the documented deployment serves it.
export function startServer(root = DIST, { couch = null } = {}) {
  return serveDist({ root, port: 0, couch });
}

function slug(text) {
  return String(text).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 80);
}

/// A fresh browser context (empty storage, service workers allowed) with one page, recording
/// the console, page errors and every request of the context (pages and service worker).
export async function openSession(browser, name, contextOptions = {}) {
  const context = await browser.newContext({ serviceWorkers: "allow", ...contextOptions });
  const log = [];
  const consoleErrors = [];
  const requests = [];
  const at = () => new Date().toISOString().slice(11, 23);
  const watchPage = (page) => {
    page.on("console", (m) => {
      log.push(`${at()} console.${m.type()}: ${m.text()}`);
      if (m.type() === "error") consoleErrors.push(m.text());
    });
    page.on("pageerror", (e) => {
      log.push(`${at()} pageerror: ${e.stack || e}`);
      consoleErrors.push(`uncaught: ${e.message}`);
    });
  };
  context.on("page", watchPage);
  context.on("request", (r) => {
    const sw = r.serviceWorker() ? " (service worker)" : "";
    requests.push({ url: r.url(), method: r.method(), serviceWorker: !!sw });
    log.push(`${at()} request${sw}: ${r.method()} ${r.url()}`);
  });
  context.on("requestfailed", (r) => log.push(`${at()} request failed: ${r.url()} ${r.failure()?.errorText}`));
  context.on("weberror", (e) => log.push(`${at()} weberror: ${e.error()}`));
  const page = await context.newPage();

  const session = {
    context,
    page,
    log,
    consoleErrors,
    requests,
    /// Runs one named step; on failure saves target/e2e/<name>--<step>.png and .log, rethrows.
    async step(stepName, fn) {
      log.push(`${at()} --- step: ${stepName}`);
      try {
        return await fn();
      } catch (err) {
        await session.saveArtefacts(stepName, err);
        throw err;
      }
    },
    async saveArtefacts(stepName, err) {
      mkdirSync(ARTEFACTS, { recursive: true });
      const base = join(ARTEFACTS, `${slug(name)}--${slug(stepName)}`);
      try {
        await session.page.screenshot({ path: `${base}.png`, fullPage: true, timeout: 5000 });
      } catch (e) {
        log.push(`(no screenshot: ${e.message})`);
      }
      writeFileSync(`${base}.log`, `${log.join("\n")}\n\nfailed step: ${stepName}\n${err?.stack || err}\n`);
      console.error(`e2e: artefacts of the failed step saved as ${base}.{png,log}`);
    },
    /// Navigates and waits for the app to have started and shown a page heading.
    async goto(url) {
      await session.page.goto(url);
      await waitForApp(session.page);
    },
    async reload() {
      await session.page.reload();
      await waitForApp(session.page);
    },
    /// Text of the page's <h1> (inside <main>).
    heading() {
      return session.page.locator("main h1").first().textContent({ timeout: 10_000 });
    },
    assertNoConsoleErrors() {
      if (consoleErrors.length) {
        throw new Error(`the browser console has errors:\n  ${consoleErrors.join("\n  ")}`);
      }
    },
    close: () => context.close(),
  };
  return session;
}

/// Trunk's loader sets window.wasmBindings once the wasm is initialised; then the router renders.
export async function waitForApp(page) {
  await page.waitForFunction(() => !!window.wasmBindings, null, { timeout: 15_000 });
  await page.locator("main h1").first().waitFor({ timeout: 10_000 });
}

/// Waits until a service worker is active and controls this page (the worker claims the page at
/// its first activation, so no reload is needed).
export async function waitForServiceWorker(page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 15_000 });
}

/// The flow tests' fixture files (a real PNG and PDF scan), made by tests/e2e/fixtures/make-fixtures.py.
export const FIXTURES = join(ROOT, "tests", "e2e", "fixtures");

/// The path of one fixture file.
export function fixture(name) {
  return join(FIXTURES, name);
}

/// Opens another tab (page) in the session's browser context at `url` and waits for the app. Its
/// console and errors are recorded with the session's (the context's pages are all watched).
export async function openTab(session, url) {
  const page = await session.context.newPage();
  await page.goto(url);
  await waitForApp(page);
  return page;
}

/// Accepts the next `confirm()` the page asks (such as "Load demo data"), and returns its text.
export function acceptNextDialog(page) {
  return new Promise((resolve) => {
    page.once("dialog", async (dialog) => {
      const message = dialog.message();
      await dialog.accept();
      resolve(message);
    });
  });
}

/// Retries `check` (an async function that throws while its condition does not hold yet) until it
/// passes or `timeout` ms have gone by; then its last error goes on. For what the app updates on
/// its own (a decision, a change from another tab).
export async function eventually(check, { timeout = 10_000, interval = 100 } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > end) throw err;
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

/// An element's text, trimmed ("" when it has none).
export const text = async (locator) => ((await locator.textContent({ timeout: 10_000 })) ?? "").trim();

/// The label of the option a <select> has selected now.
export const selectedLabel = (page, selector) =>
  page.locator(selector).evaluate((el) => el.selectedOptions[0]?.textContent.trim() ?? null);

/// On the overview: "Load demo data", accepting its confirmation, until its four numbers count.
export async function loadDemo(page) {
  const asked = acceptNextDialog(page);
  await page.getByRole("button", { name: "Load demo data" }).click();
  if (!/Spree Logistik GmbH/.test(await asked)) throw new Error("the demo's question names another company");
  await page.locator(".toast", { hasText: "Demo workspace loaded." }).waitFor();
  await eventually(async () => {
    const shown = await text(page.locator(".card.stat", { hasText: /^\d+ numbers$/ }));
    if (shown !== "4 numbers") throw new Error(`the overview counts ${shown}`);
  });
}

/// A request to the test peer as its server admin, straight (not through a page): its JSON answer.
export async function peerAdmin(peer, method, path, body) {
  const auth = Buffer.from(`${peer.admin.name}:${peer.admin.password}`).toString("base64");
  const res = await fetch(peer.url + path, {
    method,
    headers: { Authorization: `Basic ${auth}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${answer}`);
  return answer ? JSON.parse(answer) : null;
}

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/// axe-core's WCAG 2.1 A/AA violations on the page, one line each with the elements.
export async function axeViolations(page) {
  await page.evaluate(AXE + "\n;undefined");
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
  });
}

/// For a test file's `before`: the browser, the CouchDB-protocol test peer, and the release build
/// with the peer at `/couch/` of the same origin (the documented deployment). `close()` stops
/// all three, for its `after`.
export async function startTeamSetup() {
  const browser = await launchBrowser();
  const peer = await startPeer();
  const server = await startServer(undefined, { couch: peer.url });
  return {
    browser,
    peer,
    server,
    close: async () => {
      await browser.close();
      await server.close();
      await peer.stop();
    },
  };
}
