// The deployment a shared workspace needs, on the release build: the app and the team's CouchDB
// from one origin (the test peer behind `/couch/`, as a reverse proxy serves a real CouchDB).
// Under the app's own CSP (`connect-src 'self'`, not widened), a page reaches the database, a
// member signs in through CouchDB's session and gets an HttpOnly cookie scripts cannot read, a
// signed-out or non-member request is refused, and any other origin stays unreachable.
//
// This is the ground the replication will stand on (issue 17); the app's own sync is not built
// yet, so these requests are made by the test from inside the page.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { openSession, peerAdmin, startTeamSetup } from "./support.mjs";

let browser, peer, server, setup;
before(async () => {
  setup = await startTeamSetup();
  ({ browser, peer, server } = setup);
});
after(async () => {
  await setup?.close();
});

/// A request to the peer as its admin, straight (not through the page).
const admin = (method, path, body) => peerAdmin(peer, method, path, body);

/// A request made by the page, at its own origin: its status and JSON body.
function inPage(page, method, path, body) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const res = await fetch(path, {
        method,
        credentials: "same-origin",
        headers: body ? { "Content-Type": "application/json" } : {},
        body: body ? JSON.stringify(body) : undefined,
      });
      let json = null;
      try {
        json = await res.json();
      } catch {}
      return { status: res.status, body: json };
    },
    { method, path, body },
  );
}

test("one origin: the team's CouchDB under the app's CSP, a member's session, a non-member refused", async (t) => {
  const s = await openSession(browser, t.name);
  const page = s.page;
  try {
    await s.step("a workspace database only alice is a member of", async () => {
      await admin("PUT", "/team");
      for (const name of ["alice", "mallory"]) {
        await admin("PUT", `/_users/org.couchdb.user:${name}`, { name, password: `${name}-password`, roles: [], type: "user" });
      }
      await admin("PUT", "/team/_security", { admins: { names: [], roles: [] }, members: { names: ["alice"], roles: [] } });
      await admin("PUT", "/team/entity:IT00000000000000000000000000000001", { type: "entity" });
    });

    await s.step("the app loads with its CSP unchanged", async () => {
      const response = await page.goto(server.url + "/");
      const csp = (await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content")) ?? response.headers()["content-security-policy"];
      assert.match(csp, /connect-src 'self'/);
      assert.doesNotMatch(csp, /connect-src[^;]*(\*|https?:)/, "no other origin may be reached");
    });

    await s.step("signed out, the database answers nothing", async () => {
      const { status } = await inPage(page, "GET", "/couch/team");
      assert.equal(status, 401);
    });

    await s.step("alice signs in: a session cookie the page's scripts cannot read", async () => {
      const signIn = await inPage(page, "POST", "/couch/_session", { name: "alice", password: "alice-password" });
      assert.equal(signIn.status, 200);
      assert.equal(signIn.body.ok, true);
      const session = await inPage(page, "GET", "/couch/_session");
      assert.equal(session.body.userCtx.name, "alice");
      assert.doesNotMatch(await page.evaluate(() => document.cookie), /AuthSession/, "HttpOnly");
      const db = await inPage(page, "GET", "/couch/team");
      assert.equal(db.status, 200);
      assert.equal(db.body.db_name, "team");
      const doc = await inPage(page, "GET", "/couch/team/entity:IT00000000000000000000000000000001");
      assert.equal(doc.body.type, "entity");
    });

    await s.step("a wrong password is refused and signing out ends the session", async () => {
      const wrong = await inPage(page, "POST", "/couch/_session", { name: "alice", password: "guess" });
      assert.equal(wrong.status, 401);
      await inPage(page, "DELETE", "/couch/_session");
      assert.equal((await inPage(page, "GET", "/couch/team")).status, 401);
    });

    await s.step("mallory, signed in but not a member, gets nothing", async () => {
      const signIn = await inPage(page, "POST", "/couch/_session", { name: "mallory", password: "mallory-password" });
      assert.equal(signIn.status, 200);
      for (const path of ["/couch/team", "/couch/team/_all_docs", "/couch/team/_changes"]) {
        const { status } = await inPage(page, "GET", path);
        // CouchDB answers a signed-in non-member 403; the test peer 401 (tests/sync_peer.rs).
        assert.ok(status === 401 || status === 403, `${path}: ${status}`);
      }
      const write = await inPage(page, "PUT", "/couch/team/entity:IT00000000000000000000000000000002", { type: "entity" });
      assert.ok(write.status === 401 || write.status === 403, `a write: ${write.status}`);
    });
    // Chromium logs every refused request (the 401s and 403s above); nothing else may appear.
    const unexpected = s.consoleErrors.filter((e) => !/status of 40[13] \(/.test(e));
    assert.deepEqual(unexpected, []);

    await s.step("the CSP keeps every other origin out, the CouchDB's own included", async () => {
      const outcome = await page.evaluate(async (url) => {
        try {
          await fetch(url);
          return "fetched";
        } catch {
          return "blocked";
        }
      }, peer.url + "/");
      assert.equal(outcome, "blocked");
    });
  } finally {
    await s.close();
  }
});
