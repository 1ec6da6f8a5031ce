// Team sync on the release build, two browser profiles through the test peer (pouchdb-server,
// a real CouchDB-protocol server on 127.0.0.1) served at `/couch/` of the app's own origin:
// created on A appears on B, its scans byte for byte, and later changes live; both offline, both edit one address: the conflict is shown
// on both, resolved on A, and both end with the same record; a non-member is refused and keeps
// nothing; 20 documents submitted on A and B are decided once each, with one log entry each;
// 500 changes made offline reach the server although the server goes away in the
// middle of the push, each once; a document a script wrote that breaks a rule is set aside and
// shown; signing out can clear the browser's copy.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { acceptNextDialog, axeViolations, eventually, loadDemo, openSession, peerAdmin, startTeamSetup, text } from "./support.mjs";

let browser, peer, server, setup;
before(async () => {
  setup = await startTeamSetup();
  ({ browser, peer, server } = setup);
});
after(async () => {
  await setup?.close();
});

const admin = (method, path, body) => peerAdmin(peer, method, path, body);

/// Every document of the team database, with its conflicts.
async function serverDocs() {
  const all = await admin("GET", "/team/_all_docs?include_docs=true&conflicts=true");
  return all.rows.map((r) => r.doc);
}

/// Signs `user` in on the team page and waits until the header says the sync is up to date.
async function signIn(s, user) {
  await s.goto(server.url + "/team");
  await s.page.locator("#team-database").fill("team");
  await s.page.locator("#team-user").fill(user);
  await s.page.locator("#team-password").fill(`${user}-password`);
  await s.page.getByRole("button", { name: "Sign in and share" }).click();
  await upToDate(s.page);
}

/// Waits until the header says "Up to date".
async function upToDate(page, timeout = 30_000) {
  await page.getByTestId("sync-status").getByText("Up to date").waitFor({ timeout });
}

/// The overview's count of numbers.
async function numberCount(page) {
  return text(page.locator(".card.stat", { hasText: /^\d+ numbers?$/ }));
}

/// Every scan this browser stores: its name and the SHA-256 of its bytes, as the page computes it.
function storedScans(page) {
  return page.evaluate(async () => {
    const db = await new Promise((ok, fail) => {
      const open = indexedDB.open("regdesk");
      open.onsuccess = () => ok(open.result);
      open.onerror = () => fail(open.error);
    });
    const entries = await new Promise((ok, fail) => {
      const store = db.transaction("files").objectStore("files");
      const keys = store.getAllKeys();
      const values = store.getAll();
      values.onsuccess = () => ok(keys.result.map((k, i) => [k, values.result[i]]));
      values.onerror = () => fail(values.error);
    });
    db.close();
    const hex = (buf) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");
    const out = [];
    for (const [key, blob] of entries) out.push([key, hex(await crypto.subtle.digest("SHA-256", await blob.arrayBuffer()))]);
    return out.sort();
  });
}

/// Copies the demo's Berlin document (*Use as a starting point*) under `name` and submits it.
async function submitCopy(s, name) {
  await s.goto(server.url + "/documents");
  const row = s.page.locator("main tbody tr").filter({ has: s.page.locator(".badge.passed") });
  await row.getByRole("link", { name: "Spree Logistik GmbH — DE local, Berlin", exact: true }).click();
  await s.page.getByRole("link", { name: "Use as a starting point" }).click();
  await s.page.getByRole("group", { name: /^Scan 1: / }).locator("img").waitFor();
  await s.page.locator("#doc-name").fill(name);
  await eventually(async () => assert.equal(await s.page.locator("#doc-name").inputValue(), name));
  await s.page.getByRole("button", { name: "Submit for review" }).click();
  await s.page.waitForURL(/\/documents\/(?!new)[^/?]+$/);
}

/// Edits the demo's "Munich branch" address: its second street line.
async function editMunich(s, line) {
  await s.goto(server.url + "/addresses");
  await s.page.locator("li.card", { hasText: "Munich branch" }).getByRole("button", { name: "Edit" }).click();
  await s.page.locator("#street_secondary").fill(line);
  await s.page.getByRole("button", { name: "Save address" }).click();
  await s.page.getByRole("status").filter({ hasText: "Saved Munich branch." }).waitFor();
}

test("team sync: two profiles share a workspace through CouchDB, conflicts shown and resolved, a non-member refused, an interrupted push resumed", async (t) => {
  const a = await openSession(browser, `${t.name} A`);
  const b = await openSession(browser, `${t.name} B`);
  try {
    await a.step("a workspace database alice and bob are members of", async () => {
      await admin("PUT", "/team");
      for (const name of ["alice", "bob", "mallory"]) {
        await admin("PUT", `/_users/org.couchdb.user:${name}`, { name, password: `${name}-password`, roles: [], type: "user" });
      }
      await admin("PUT", "/team/_security", { admins: { names: [], roles: [] }, members: { names: ["alice", "bob"], roles: [] } });
    });

    await a.step("A loads the demo and shares it: its records reach the server", async () => {
      await a.goto(server.url + "/");
      await loadDemo(a.page);
      await signIn(a, "alice");
      const docs = await serverDocs();
      const numbers = docs.filter((d) => d._id.startsWith("number:"));
      assert.equal(numbers.length, 4);
      assert.ok(docs.some((d) => d._id.startsWith("address:") && d.friendly_name === "Munich branch"));
      assert.ok(docs.every((d) => !d._conflicts), "nothing conflicts");
      assert.equal(await a.page.evaluate(() => localStorage.getItem("regdesk.sync")).then((v) => /password/i.test(v)), false, "no password kept");
    });

    await b.step("B, empty, signs in as bob: A's workspace appears, compliance included", async () => {
      await b.goto(server.url + "/");
      await signIn(b, "bob");
      await b.goto(server.url + "/");
      await eventually(async () => assert.equal(await numberCount(b.page), "4 numbers"));
      await b.goto(server.url + "/addresses");
      await b.page.locator("li.card", { hasText: "Munich branch" }).waitFor();
      // The nav counts come from the stored compliance computed on arrival.
      assert.equal(await text(b.page.getByTestId("noncompliant-count")), await text(a.page.getByTestId("noncompliant-count")));
    });

    await a.step("A adds an address", async () => {
      await a.goto(server.url + "/addresses");
      await a.page.getByRole("button", { name: "Add address" }).click();
      await a.page.locator("#customer_name").fill("Spree Logistik GmbH");
      await a.page.locator("#street").fill("Jungfernstieg 1");
      await a.page.locator("#postal_code").fill("20354");
      await a.page.locator("#city").fill("Hamburg");
      await a.page.locator("#country").selectOption("DE");
      await a.page.locator("#friendly_name").fill("Hamburg office");
      await a.page.getByRole("button", { name: "Save address" }).click();
      await a.page.getByRole("status").filter({ hasText: "Saved Hamburg office." }).waitFor();
    });

    await b.step("the demo's scans are on B byte for byte, after two hops", async () => {
      const [onA, onB] = [await storedScans(a.page), await storedScans(b.page)];
      assert.ok(onA.length >= 1, `the demo has scans: ${onA.length}`);
      assert.deepEqual(onB, onA);
      assert.ok(onB.every(([name, digest]) => name === digest), "each named by its bytes");
      const files = (await serverDocs()).filter((d) => d._id.startsWith("file:"));
      assert.equal(files.length, onA.length, "each sent once");
    });

    await b.step("live: the address shows on B's open page without a reload", async () => {
      await b.page.locator("li.card", { hasText: "Hamburg office" }).waitFor({ timeout: 15_000 });
    });

    await b.step("both offline, both edit the Munich branch: each keeps working and says it is offline", async () => {
      await a.context.setOffline(true);
      await b.context.setOffline(true);
      await editMunich(a, "Floor 2");
      await editMunich(b, "Floor 5");
      for (const s of [a, b]) {
        await s.page.getByTestId("sync-status").getByText("Offline: changes are kept here").waitFor({ timeout: 15_000 });
      }
    });

    await b.step("back online: the conflict is shown on both, side by side", async () => {
      await a.context.setOffline(false);
      await upToDate(a.page);
      await b.context.setOffline(false);
      await upToDate(b.page);
      // A hears of B's version through its longpoll.
      for (const s of [a, b]) {
        await s.goto(server.url + "/team");
        await eventually(async () => assert.equal(await s.page.getByTestId("conflict").count(), 1), { timeout: 20_000 });
        const card = s.page.getByTestId("conflict");
        assert.match(await text(card.locator("h3")), /Munich branch/);
        const row = card.locator("tr", { has: s.page.locator("th", { hasText: /^Street secondary/ }) });
        assert.match(await text(row), /Floor 2/);
        assert.match(await text(row), /Floor 5/);
        assert.equal(await row.evaluate((r) => r.classList.contains("differs")), true);
      }
      const docs = await serverDocs();
      const munich = docs.find((d) => d.friendly_name === "Munich branch");
      assert.equal(munich._conflicts?.length, 1, "the server holds both too");
      assert.deepEqual(await axeViolations(a.page), [], "the team page with a conflict");
    });

    await a.step("A keeps B's floor: both end with one version, the same", async () => {
      const card = a.page.getByTestId("conflict");
      const headers = await card.locator("thead th").allTextContents();
      const row = card.locator("tr", { has: a.page.locator("th", { hasText: /^Street secondary/ }) });
      const cells = await row.locator("td").allTextContents();
      const column = cells.findIndex((c) => c.includes("Floor 5"));
      assert.ok(column >= 0, cells.join(" | "));
      assert.match(headers[column + 1], new RegExp(`^Version ${column + 1}`));
      await card.getByRole("button", { name: `Keep version ${column + 1}` }).click();
      await a.page.getByTestId("no-conflicts").waitFor();
      await upToDate(a.page);
    });

    await b.step("B receives the choice: one version on both, the same", async () => {
      await eventually(async () => assert.equal(await b.page.getByTestId("no-conflicts").count(), 1), { timeout: 20_000 });
      for (const s of [a, b]) {
        await s.goto(server.url + "/addresses");
        assert.match(await text(s.page.locator("li.card", { hasText: "Munich branch" })), /Floor 5/);
      }
      const munich = (await serverDocs()).find((d) => d.friendly_name === "Munich branch");
      assert.equal(munich.street_secondary, "Floor 5");
      assert.equal(munich._conflicts, undefined, "resolved on the server too");
    });

    await a.step("20 documents submitted on A and B at Instant speed: one decision and one log entry each", async () => {
      for (const s of [a, b]) {
        await s.goto(server.url + "/");
        await s.page.locator("#speed").selectOption({ label: "Instant" });
      }
      for (let i = 0; i < 10; i++) {
        await submitCopy(a, `Copy A${i}`);
        await submitCopy(b, `Copy B${i}`);
      }
      let copies;
      await eventually(
        async () => {
          copies = (await serverDocs()).filter((d) => d._id.startsWith("document:") && /^Copy [AB]\d$/.test(d.friendly_name ?? d.name ?? ""));
          assert.equal(copies.length, 20);
          assert.ok(copies.every((d) => d.status !== "pending"), copies.map((d) => d.status).join());
        },
        { timeout: 60_000 },
      );
      assert.ok(copies.every((d) => !d._conflicts), "no decision conflicts with another");
      const events = (await serverDocs()).filter((d) => d._id.startsWith("event:") && d.kind === "document-status");
      for (const copy of copies) {
        const sid = copy._id.slice("document:".length);
        const decided = events.filter((e) => e.subject === sid && !/→ Pending/.test(e.summary));
        assert.equal(decided.length, 1, `${copy._id}: ${decided.map((e) => e.summary).join(" | ")}`);
        assert.equal(copy.history.filter((h) => h.from === "pending").length, 1, "decided once");
      }
      await upToDate(a.page);
      await upToDate(b.page);
    });

    await a.step("mallory, not a member, is refused and nothing is kept", async () => {
      const m = await openSession(browser, `${t.name} M`);
      try {
        await m.goto(server.url + "/team");
        await m.page.locator("#team-database").fill("team");
        await m.page.locator("#team-user").fill("mallory");
        await m.page.locator("#team-password").fill("mallory-password");
        await m.page.getByRole("button", { name: "Sign in and share" }).click();
        await m.page.locator("#team-password-failure").getByText("not a member of the workspace “team”").waitFor();
        assert.equal(await m.page.evaluate(() => localStorage.getItem("regdesk.sync")), null);
        assert.equal(await m.page.getByTestId("sync-status").textContent(), "");
        await m.goto(server.url + "/");
        assert.equal(await numberCount(m.page), "0 numbers");
      } finally {
        await m.close();
      }
    });

    await b.step("B, offline, imports 500 numbers; the server goes away mid-push; B resumes and sends each once", async () => {
      await b.context.setOffline(true);
      const rows = ["Phone Number,Friendly Name,Date Bought"];
      for (let i = 0; i < 500; i++) rows.push(`+4930${6_000_000 + i},Week ${i},2024-03-01`);
      await b.goto(server.url + "/workspace");
      await b.page.locator("#csv-file").setInputFiles({ name: "week.csv", mimeType: "text/csv", buffer: Buffer.from(rows.join("\n") + "\n") });
      await b.page.getByTestId("csv-import").click();
      await b.page.getByTestId("csv-result").getByText("Imported 500 numbers.").waitFor();
      // The first _bulk_docs gets through; from then on the server is gone. A stays offline
      // meanwhile, so the one push let through is B's.
      await a.context.setOffline(true);
      let pushes = 0;
      server.setCouchGate((req) => {
        if (pushes > 0) return false;
        if (req.url.includes("/_bulk_docs")) pushes += 1;
        return true;
      });
      await b.context.setOffline(false);
      await b.page.getByTestId("sync-status").getByText(/Offline|cannot be reached/).waitFor({ timeout: 20_000 });
      const partial = (await serverDocs()).filter((d) => d._id.startsWith("number:")).length;
      assert.ok(partial > 4 && partial < 504, `part of the push arrived: ${partial}`);
      server.setCouchGate(null);
      await a.context.setOffline(false);
      await b.page.getByRole("link", { name: /Offline|Sync stopped/ }).click();
      await b.page.getByRole("button", { name: "Sync now" }).click();
      await upToDate(b.page, 60_000);
      const docs = await serverDocs();
      const numbers = docs.filter((d) => d._id.startsWith("number:"));
      assert.equal(numbers.length, 504, "every number once");
      assert.ok(numbers.every((d) => !d._conflicts && d._rev.startsWith("1-")), "none sent twice as another revision");
      await a.goto(server.url + "/");
      await eventually(async () => assert.equal(await numberCount(a.page), "504 numbers"), { timeout: 30_000 });
    });
    await b.step("a document a script wrote that breaks a record rule is set aside and shown, never applied", async () => {
      await admin("PUT", "/team/number:PN00000000000000000000000000000bad", {
        type: "number", sid: "PN00000000000000000000000000000bad", e164: "not a number", country: "DE",
      });
      await b.goto(server.url + "/");
      await b.page.getByTestId("quarantine-notice").getByText("1 stored record could not be read").waitFor({ timeout: 20_000 });
      assert.equal(await numberCount(b.page), "504 numbers", "nothing of it applied");
    });

    await b.step("B signs out and clears its copy: the team's stays on the server", async () => {
      await b.goto(server.url + "/team");
      await b.page.getByLabel(/Clear it from this browser/).check();
      const asked = acceptNextDialog(b.page);
      await b.page.getByRole("button", { name: "Sign out" }).click();
      assert.match(await asked, /Clear this browser's copy/);
      await b.page.getByRole("button", { name: "Sign in and share" }).waitFor();
      assert.equal(await b.page.getByTestId("sync-status").textContent(), "");
      assert.equal(await b.page.evaluate(() => localStorage.getItem("regdesk.sync")), null);
      await b.goto(server.url + "/");
      await eventually(async () => assert.equal(await numberCount(b.page), "0 numbers"));
      const numbers = (await serverDocs()).filter((d) => d._id.startsWith("number:"));
      assert.equal(numbers.length, 505, "the server keeps everything (the bad one included)");
    });

    // Requests made offline or to a server that went away are logged by Chromium; nothing else.
    for (const s of [a, b]) {
      const unexpected = s.consoleErrors.filter((e) => !/Failed to load resource|net::ERR_/.test(e));
      assert.deepEqual(unexpected, []);
    }
  } finally {
    server.setCouchGate(null);
    await a.close();
    await b.close();
  }
});
