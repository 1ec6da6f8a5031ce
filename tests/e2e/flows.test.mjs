// The user flows, clicked through in the release build as a person would: buy a regulated
// number by first getting the identity document it needs, map a demo number, correct a failed
// document, and see a decision made in one tab show up in another. Each flow has its own browser
// context, so its own empty IndexedDB and localStorage.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  ARTEFACTS,
  eventually,
  fixture,
  launchBrowser,
  loadDemo,
  openSession,
  openTab,
  selectedLabel,
  startServer,
  text,
} from "./support.mjs";

let browser, server;
before(async () => {
  browser = await launchBrowser();
  server = await startServer();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

// ---- small helpers on a session -------------------------------------------------------------

/// The demo's documents, by the names they are given (who — regulation, area).
const BERLIN_DOC = "Spree Logistik GmbH — DE local, Berlin";
const MUNICH_DOC = "Spree Logistik GmbH — DE local, München";


/// An ISO date `days` before today, as a date input takes it.
function daysAgo(days) {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

/// Follows a link of the main navigation and waits for the page's heading.
async function nav(page, name, heading = name) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true }).click();
  await eventually(async () => assert.equal(await text(page.locator("main h1").first()), heading));
}

/// Every option label of a <select>.
const optionLabels = (page, selector) =>
  page.locator(`${selector} option`).evaluateAll((os) => os.map((o) => o.textContent.trim()));

/// On the overview: choose the demo review speed (it is stored in localStorage, for every tab).
async function setSpeed(s, label) {
  await s.goto(server.url + "/");
  await s.page.locator("#speed").selectOption({ label });
  assert.equal(await selectedLabel(s.page, "#speed"), label);
}

/// The status badge in a document page's heading.
const headingBadge = (page) => page.locator("main h1 .badge");

/// Waits until the document page's heading shows `status`.
async function documentStatusIs(page, status, timeout = 10_000) {
  await eventually(async () => assert.equal(await text(headingBadge(page)), status), { timeout });
}

/// The row of the identity documents table whose status badge is `status`.
const documentRow = (page, status) =>
  page.locator("main tbody tr").filter({ has: page.locator(`.badge.${status.toLowerCase()}`) });

/// Fills a scan's "what it shows" fields.
async function describeScan(page, i, { name, address = "on-file", number, issued }) {
  await page.locator(`#scan${i}-type`).selectOption({ label: "Commercial register excerpt" });
  await page.locator(`#scan${i}-name`).fill(name);
  await page.locator(`#scan${i}-address`).selectOption(address);
  await page.locator(`#scan${i}-number`).fill(number);
  await page.locator(`#scan${i}-issued`).fill(issued);
}

/// The form's live pre-check says the review would pass.
async function precheckClean(page) {
  await eventually(async () =>
    assert.equal(await text(page.locator(".precheck .notice")), "Nothing found that would make the review fail."),
  );
}

/// Clicks Save on a number's Regulatory Information and waits for the save to land (the page
/// re-renders from the database), then checks the "Saved." confirmation survived that re-render
/// (regression: it used to vanish with the redrawn form).
async function saveMapping(t, page, what) {
  await page.evaluate(() => {
    window.__formBeforeSave = document.querySelector("main form.card");
  });
  await page.getByRole("button", { name: "Save", exact: true }).click();
  // The save publishes a change; the page reloads its data and renders the form anew.
  await page
    .waitForFunction(() => !document.contains(window.__formBeforeSave), null, { timeout: 3000 })
    .catch(() => {});
  await page.locator("#map-address").waitFor();
  await page.getByRole("status").filter({ hasText: /^Saved\.$/ }).waitFor({ timeout: 3000 });
  const confirmed = await page.getByRole("status").filter({ hasText: /^Saved\.$/ }).count();
  assert.equal(confirmed, 1, `the number page confirms the save ("Saved."): ${what}`);
}

// ---- flow 1 -----------------------------------------------------------------------------------

test("flow 1: a Berlin local number is refused (21650), the fix link leads to a document that passes, then the number is bought and compliant", async (t) => {
  const s = await openSession(browser, t.name);
  const page = s.page;
  const company = {
    business_name: "Havel Handel GmbH",
    business_registration_number: "HRB 765432 B",
    business_website: "havel-handel.example",
    first_name: "Lena",
    last_name: "Vogel",
    email: "lena.vogel@havel-handel.example",
  };
  let e164;
  try {
    await s.step("set the demo speed to Instant", () => setSpeed(s, "Instant"));

    await s.step("search German local numbers in Berlin", async () => {
      await nav(page, "Buy a number");
      await page.locator("#buy-country").selectOption("DE");
      await page.locator("#buy-type").selectOption("local");
      await page.locator("#buy-area").fill("Berlin");
      const first = page.getByRole("button", { name: /^Buy \+49 30 / }).first();
      await first.waitFor();
      // The number as the page writes it everywhere: grouped, "+49 30 1234567".
      e164 = (await first.getAttribute("aria-label")).replace(/^Buy /, "");
      // The area search matches names containing "Berlin" too (Neuenhagen bei Berlin, …); the
      // +4930 numbers are Berlin's own.
      const localities = await page.locator("main tbody tr td:nth-child(3)").allTextContents();
      assert.ok(localities.length > 0 && localities.every((l) => l.includes("Berlin")), localities.join(", "));
      const row = page.locator("main tbody tr").filter({ has: page.getByRole("button", { name: `Buy ${e164}`, exact: true }) });
      assert.equal(await text(row.locator("td:nth-child(3)")), "Berlin");
      assert.match(await text(row.locator("td:nth-child(4)")), /Business: verified identity document/);
    });

    await s.step("buying it with no documents is refused with 21650", async () => {
      await page.getByRole("button", { name: `Buy ${e164}`, exact: true }).click();
      const error = page.getByTestId("purchase-error");
      await error.waitFor();
      const said = await text(error);
      assert.match(said, /Error 21650/);
      assert.ok(said.includes(`Cannot buy ${e164}`), said);
    });

    await s.step("the error's link opens the document form preset for this number", async () => {
      await page.getByTestId("purchase-error").getByRole("link", { name: "Add an identity document for this number" }).click();
      await page.waitForURL(/\/documents\/new\?/);
      assert.equal(await s.heading(), "Add new identity document");
      const q = new URL(page.url()).searchParams;
      assert.deepEqual([q.get("country"), q.get("type"), q.get("area")], ["DE", "local", "4930"]);
      assert.equal(await page.locator("#doc-country").inputValue(), "DE");
      assert.equal(await page.locator("#doc-type").inputValue(), "local");
      assert.equal(await page.locator("#doc-enduser").inputValue(), "business");
      assert.equal(await page.locator("#doc-area").inputValue(), "+4930");
      assert.equal(await text(page.locator("#doc-area-hint")), "Local area: Berlin (+4930)");
      assert.deepEqual(await optionLabels(page, "#doc-address"), ["Choose an address"]);
    });

    await s.step("the form's 'Add an address' link opens a new tab that adds a Berlin address", async () => {
      await page.locator("#detail-business_name").fill(company.business_name);
      const link = page.locator("#doc-address-hint").getByRole("link", { name: /^Add an address/ });
      const [tab] = await Promise.all([s.context.waitForEvent("page"), link.click()]);
      await tab.waitForURL(/\/addresses\?new=1&country=DE&area=4930$/);
      await eventually(async () => assert.equal(await text(tab.locator("main h1").first()), "Addresses"));
      await tab.locator(".notice.info", { hasText: "needs an address in the Berlin local area" }).waitFor();
      assert.equal(await tab.locator("#country").inputValue(), "DE");
      await tab.locator("#customer_name").fill(company.business_name);
      await tab.locator("#street").fill("Karl-Marx-Allee 90");
      await tab.locator("#postal_code").fill("10243");
      await tab.locator("#city").fill("Berlin");
      await tab.locator("#friendly_name").fill("Berlin HQ");
      await tab.getByRole("button", { name: "Save address" }).click();
      await tab.getByRole("status").filter({ hasText: "Saved Berlin HQ." }).waitFor();
      const card = tab.locator("li.card", { hasText: "Berlin HQ" });
      assert.match(await text(card), /Satisfies local areas: Berlin \(\+4930\)/);
      await tab.close();
    });

    await s.step("back in the form: what was typed is kept and the new address is offered, without a reload", async () => {
      await page.bringToFront();
      assert.equal(await s.heading(), "Add new identity document");
      assert.equal(await page.locator("#detail-business_name").inputValue(), company.business_name);
      await eventually(async () => assert.deepEqual(await optionLabels(page, "#doc-address"), ["Choose an address", "Berlin HQ"]));
    });

    await s.step("fill every mandatory field and choose the address", async () => {
      assert.equal(await page.locator("#doc-area").inputValue(), "+4930");
      const mandatory = await page.locator('[id^="detail-"][required]').evaluateAll((es) => es.map((e) => e.id));
      assert.ok(mandatory.length >= 5, mandatory.join(", "));
      for (const id of mandatory) {
        const name = id.replace(/^detail-/, "");
        assert.ok(name in company, `a value for the mandatory field ${name}`);
      }
      for (const [name, value] of Object.entries(company)) await page.locator(`#detail-${name}`).fill(value);
      await page.locator("#doc-address").selectOption({ label: "Berlin HQ" });
      assert.equal(await selectedLabel(page, "#doc-address"), "Berlin HQ");
    });

    await s.step("upload the PNG scan and say what it shows", async () => {
      await page.locator("#doc-upload").setInputFiles(fixture("register-excerpt.png"));
      const scan = page.getByRole("group", { name: "Scan 1: register-excerpt.png" });
      await scan.waitFor();
      const size = await scan.locator("img").evaluate(async (img) => {
        await img.decode();
        return [img.naturalWidth, img.naturalHeight];
      });
      assert.deepEqual(size, [640, 800], "the preview is the decoded fixture");
      assert.equal(await text(page.locator("#doc-upload-error")), "");
      await describeScan(page, 0, {
        name: company.business_name,
        number: company.business_registration_number,
        issued: daysAgo(30),
      });
      await precheckClean(page);
    });

    await s.step("submit for review: Pending, then decided Passed", async () => {
      await page.getByRole("button", { name: "Submit for review" }).click();
      await page.waitForURL(/\/documents\/(?!new)[^/?]+$/);
      await documentStatusIs(page, "Passed");
      assert.equal(await text(page.locator("main h1")), `${company.business_name} — DE local, Berlin Passed`);
      const history = await text(page.locator("ol.log"));
      assert.match(history, /Draft → Pending/);
      assert.match(history, /Pending → Passed/);
      assert.equal(await page.getByTestId("pending-count").count(), 0);
    });

    await s.step("buy the same number again: bought", async () => {
      await nav(page, "Buy a number");
      await page.locator("#buy-type").selectOption("local");
      await page.locator("#buy-area").fill("Berlin");
      await page.getByRole("button", { name: `Buy ${e164}`, exact: true }).click();
      await page.locator("tr.outcome .notice.ok", { hasText: `Bought ${e164}. It is in My numbers.` }).waitFor();
      assert.equal(await page.getByTestId("purchase-error").count(), 0);
      // Owned now: its row links to My numbers instead of offering it again.
      await eventually(async () =>
        assert.equal(await page.getByRole("button", { name: `Buy ${e164}`, exact: true }).count(), 0),
      );
      assert.equal(await page.locator("main tbody tr").getByRole("link", { name: "Owned" }).count(), 1);
    });

    await s.step("it is in My numbers, compliant, mapped to the document and the address", async () => {
      await nav(page, "My numbers");
      await page.locator("#filter-digits").fill(e164.replace(/\D/g, ""));
      await eventually(async () => assert.equal(await page.locator("main tbody tr").count(), 1));
      const row = page.locator("main tbody tr");
      assert.equal(await text(row.locator("td:nth-child(5)")), "Compliant");
      assert.equal(await text(row.locator("td:nth-child(6)")), `${company.business_name} — DE local, Berlin`);
      await row.getByRole("link").click();
      await page.getByTestId("compliant-notice").waitFor();
      assert.equal(await selectedLabel(page, "#map-identity"), `${company.business_name} — DE local, Berlin (Passed)`);
      assert.equal(await selectedLabel(page, "#map-address"), "Berlin HQ");
    });

    await s.step("no console errors", () => s.assertNoConsoleErrors());
  } finally {
    await s.close();
  }
});

// ---- flow 2 -----------------------------------------------------------------------------------

test("flow 2: the demo's Munich number offers only the Munich address (Berlin excluded, 21615); mapped address alone is not compliant; with the corrected document it is, and stays so after a reload", async (t) => {
  const s = await openSession(browser, t.name);
  const page = s.page;
  const munich = "+49 89 2345678";
  let numberUrl;
  try {
    // Real time: the demo's Pending review stays Pending while this flow runs.
    await s.step("load the demo data (review speed: real time)", async () => {
      await setSpeed(s, "Real time (business hours)");
      await loadDemo(page);
    });

    await s.step("open the Munich number from My numbers", async () => {
      await nav(page, "My numbers");
      await page.getByRole("link", { name: munich, exact: true }).click();
      await eventually(async () => assert.equal(await s.heading(), munich));
      numberUrl = page.url();
      assert.match(await text(page.locator("dl.facts")), /München \(\+4989\)/);
      assert.match(await text(page.locator("dl.facts")), /Non-compliant/);
    });

    await s.step("the Berlin address is excluded with 21615, the Munich one is offered", async () => {
      const addresses = await optionLabels(page, "#map-address");
      assert.ok(addresses.includes("Munich branch"), addresses.join(" | "));
      assert.ok(!addresses.includes("Berlin office"), addresses.join(" | "));
      const excluded = page.locator("details.excluded li", { hasText: "Berlin office" });
      assert.match(await text(excluded), /\(21615\)/);
      // No document fits yet: the Berlin one is for another area, the Munich one Failed, the
      // third is for mobile numbers.
      assert.deepEqual(await optionLabels(page, "#map-identity"), ["None"]);
      await page.locator("details.excluded li", { hasText: `${MUNICH_DOC} (Failed)` }).waitFor();
    });

    await s.step("map the address only and save: honestly still non-compliant", async () => {
      await page.locator("#map-address").selectOption({ label: "Munich branch" });
      await saveMapping(t, page, "the address alone");
      await eventually(async () => assert.equal(await selectedLabel(page, "#map-address"), "Munich branch"));
      const missing = page.locator(".notice.error", { hasText: "What is missing:" });
      await missing.waitFor();
      assert.match(await text(missing), /identity/i);
      assert.equal(await page.getByTestId("compliant-notice").count(), 0);
      assert.match(await text(page.locator("dl.facts")), /Non-compliant/);
    });

    await s.step("reload: the address is still mapped", async () => {
      await s.reload();
      await eventually(async () => assert.equal(await selectedLabel(page, "#map-address"), "Munich branch"));
      assert.equal(await page.getByTestId("compliant-notice").count(), 0);
    });

    await s.step("correct the Failed Munich document with a new PDF excerpt", async () => {
      await nav(page, "Identity documents");
      await documentRow(page, "Failed").getByRole("link").click();
      await eventually(async () => assert.equal(await s.heading(), "Correct identity document"));
      await page.getByRole("button", { name: "Remove scan" }).click();
      await eventually(async () => assert.equal(await page.locator("#scan0-name").count(), 0));
      await page.locator("#doc-upload").setInputFiles(fixture("register-excerpt.pdf"));
      const scan = page.getByRole("group", { name: "Scan 1: register-excerpt.pdf" });
      await scan.waitFor();
      assert.equal(await text(scan.locator(".placeholder")), "PDF");
      await describeScan(page, 0, { name: "Spree Logistik GmbH", number: "HRB 123456 B", issued: daysAgo(10) });
      await precheckClean(page);
      await page.getByRole("button", { name: "Correct and resubmit" }).click();
      await page.waitForURL(/\/documents\/(?!new)[^/?]+$/);
      await documentStatusIs(page, "Pending");
    });

    await s.step("Decide now (demo): Passed", async () => {
      await page.getByRole("button", { name: "Decide now (demo)" }).click();
      await documentStatusIs(page, "Passed");
      await page.locator("main", { hasText: "Commercial register excerpt — register-excerpt.pdf" }).waitFor();
    });

    await s.step("map the Passed document too: compliant", async () => {
      await nav(page, "My numbers");
      await page.getByRole("link", { name: munich, exact: true }).click();
      await eventually(async () => assert.equal(await s.heading(), munich));
      assert.deepEqual(await optionLabels(page, "#map-identity"), ["None", `${MUNICH_DOC} (Passed)`]);
      assert.equal(await selectedLabel(page, "#map-address"), "Munich branch");
      await page.locator("#map-identity").selectOption({ label: `${MUNICH_DOC} (Passed)` });
      await saveMapping(t, page, "the document and the address");
      await page.getByTestId("compliant-notice").waitFor();
      assert.match(await text(page.locator("dl.facts")), /Compliant/);
      assert.equal(await page.locator(".notice.error", { hasText: "What is missing:" }).count(), 0);
    });

    await s.step("reload: still mapped and compliant", async () => {
      await s.reload();
      assert.equal(page.url(), numberUrl);
      await page.getByTestId("compliant-notice").waitFor();
      assert.equal(await selectedLabel(page, "#map-identity"), `${MUNICH_DOC} (Passed)`);
      assert.equal(await selectedLabel(page, "#map-address"), "Munich branch");
    });

    await s.step("no console errors", () => s.assertNoConsoleErrors());
  } finally {
    await s.close();
  }
});

// ---- flow 3 -----------------------------------------------------------------------------------

test("flow 3: a scan showing another name failed with 18008; declaring the same file shows the right name is refused again; a new scan passes", async (t) => {
  const s = await openSession(browser, t.name);
  const page = s.page;
  try {
    await s.step("load the demo data (review speed: Instant)", async () => {
      await setSpeed(s, "Instant");
      await loadDemo(page);
    });

    await s.step("the Failed document says 18008 and the scan shows another name", async () => {
      await nav(page, "Identity documents");
      await documentRow(page, "Failed").getByRole("link").click();
      await eventually(async () => assert.equal(await s.heading(), "Correct identity document"));
      const why = page.locator("main .notice.error", { hasText: "This document failed verification." });
      assert.match(await text(why), /18008/);
      assert.equal(await page.locator("#scan0-name").inputValue(), "Spree Logistics Ltd");
      assert.equal(await page.locator("#detail-business_name").inputValue(), "Spree Logistik GmbH");
      assert.match(await text(page.locator(".precheck")), /18008/);
    });

    await s.step("resubmitting it unchanged is refused by the pre-check", async () => {
      const before = page.url();
      await page.getByRole("button", { name: "Correct and resubmit" }).click();
      await page.getByRole("alert").filter({ hasText: "The review would fail for the reasons listed." }).waitFor();
      assert.equal(page.url(), before);
    });

    await s.step("declaring that the same scan shows the right name is refused: it needs a new file", async () => {
      await page.locator("#scan0-name").fill("Spree Logistik GmbH");
      await eventually(async () => assert.match(await text(page.locator(".precheck")), /is the file the review refused on .*Upload a new scan/));
      assert.match(await text(page.locator(".precheck")), /18008/);
    });

    await s.step("replace the scan with a new one showing the right name and resubmit: it passes", async () => {
      await page.getByRole("button", { name: "Remove scan" }).click();
      await eventually(async () => assert.equal(await page.locator("#scan0-name").count(), 0));
      await page.locator("#doc-upload").setInputFiles(fixture("register-excerpt.png"));
      await page.getByRole("group", { name: "Scan 1: register-excerpt.png" }).waitFor();
      await describeScan(page, 0, { name: "Spree Logistik GmbH", number: "HRB 123456 B", issued: daysAgo(10) });
      await precheckClean(page);
      await page.getByRole("button", { name: "Correct and resubmit" }).click();
      await page.waitForURL(/\/documents\/(?!new)[^/?]+$/);
      await documentStatusIs(page, "Passed");
      const history = await text(page.locator("ol.log"));
      assert.match(history, /Pending → Failed[\s\S]*18008/);
      assert.match(history, /Failed → Pending/);
      assert.match(history, /Pending → Passed/);
    });

    await s.step("the documents list has no Failed document left", async () => {
      await nav(page, "Identity documents");
      await eventually(async () => assert.equal(await page.locator("main tbody tr").count(), 3));
      assert.equal(await documentRow(page, "Failed").count(), 0);
    });

    await s.step("no console errors", () => s.assertNoConsoleErrors());
  } finally {
    await s.close();
  }
});

// ---- flow 4 -----------------------------------------------------------------------------------

test("flow 4: a document decided in one tab updates the other tab's badge and list without a reload", async (t) => {
  const s = await openSession(browser, t.name);
  const a = s.page;
  let b;
  try {
    await s.step("tab A: load the demo data (review speed: real time)", async () => {
      await setSpeed(s, "Real time (business hours)");
      await loadDemo(a);
    });

    await s.step("tab B: the documents list shows one Pending", async () => {
      b = await openTab(s, server.url + "/documents");
      assert.equal(await text(b.locator("main h1")), "Identity documents");
      assert.equal(await text(b.getByTestId("pending-count")), "1");
      assert.equal(await documentRow(b, "Pending").count(), 1);
      await b.evaluate(() => {
        window.__sameDocument = true;
      });
    });

    let decided;
    await s.step("tab A: Decide now (demo) on the Pending document", async () => {
      await a.bringToFront();
      await nav(a, "Identity documents");
      await documentRow(a, "Pending").getByRole("link").click();
      await documentStatusIs(a, "Pending");
      await a.getByRole("button", { name: "Decide now (demo)" }).click();
      await eventually(async () => assert.notEqual(await text(headingBadge(a)), "Pending"));
      decided = await text(headingBadge(a));
      assert.ok(["Passed", "Failed"].includes(decided), decided);
      assert.equal(await a.getByTestId("pending-count").count(), 0);
    });

    await s.step("tab B: badge and list updated, with no reload", async () => {
      await eventually(async () => assert.equal(await b.getByTestId("pending-count").count(), 0));
      await eventually(async () => assert.equal(await documentRow(b, "Pending").count(), 0));
      // The demo had one Passed and one Failed: the decided one joins its kind.
      assert.equal(await documentRow(b, decided).count(), 2);
      assert.equal(await b.evaluate(() => window.__sameDocument), true, "tab B was not reloaded");
      assert.equal(new URL(b.url()).pathname, "/documents");
    });

    await s.step("no console errors", () => s.assertNoConsoleErrors());
  } catch (err) {
    // The session's artefacts show tab A; keep tab B's view of the failure too.
    if (b) await b.screenshot({ path: join(ARTEFACTS, "flow-4-tab-b.png"), fullPage: true }).catch(() => {});
    throw err;
  } finally {
    await s.close();
  }
});

test("flow 5: a half-filled identity-document form keeps what was typed when another tab changes the workspace (flow 3 covers the form giving way to the view once submitted)", async (t) => {
  const s = await openSession(browser, t.name);
  const a = s.page;
  let b;
  try {
    await s.step("tab A: start a new document and type a business name", async () => {
      await s.goto(server.url + "/documents/new");
      await a.locator("#detail-business_name").fill("Half Typed GmbH");
    });

    await s.step("tab B: load the demo data (every record changes)", async () => {
      b = await openTab(s, server.url + "/");
      await loadDemo(b);
    });

    await s.step("tab A: the form and its input are still there", async () => {
      await a.bringToFront();
      // The change has reached tab A: its header counts the demo's Pending document.
      await eventually(async () => assert.equal(await text(a.getByTestId("pending-count")), "1"));
      assert.equal(await a.locator("#detail-business_name").inputValue(), "Half Typed GmbH");
      assert.equal(await text(a.locator("main h1").first()), "Add new identity document");
    });

    await s.step("no console errors", () => s.assertNoConsoleErrors());
  } finally {
    await s.close();
  }
});

// ---- flow 6 -----------------------------------------------------------------------------------

test("flow 6: a number's unsaved mapping choice survives another tab's change; when that change makes the choice ineligible, the form says so and Save stores nothing", async (t) => {
  const s = await openSession(browser, t.name);
  const a = s.page;
  const munich = "+49 89 2345678";
  let b;
  /// In tab B: edits the "Munich branch" address.
  const editMunichBranch = async (fill) => {
    await b.goto(server.url + "/addresses");
    await b.locator("li.card", { hasText: "Munich branch" }).getByRole("button", { name: "Edit" }).click();
    await b.locator("#friendly_name").waitFor();
    await fill();
    await b.getByRole("button", { name: "Save address" }).click();
    await eventually(async () => assert.equal(await b.locator("#street_secondary").count(), 0));
  };
  try {
    await s.step("load the demo data (review speed: real time)", async () => {
      await setSpeed(s, "Real time (business hours)");
      await loadDemo(a);
    });

    await s.step("tab A: on the Munich number, choose the Munich address without saving", async () => {
      await nav(a, "My numbers");
      await a.getByRole("link", { name: munich, exact: true }).click();
      await eventually(async () => assert.equal(await s.heading(), munich));
      await a.locator("#map-address").selectOption({ label: "Munich branch" });
      b = await openTab(s, server.url + "/addresses");
    });

    await s.step("tab B renames the address: tab A shows the new name and keeps the choice", async () => {
      await editMunichBranch(() => b.locator("#friendly_name").fill("Munich branch, 2nd floor"));
      // Tab A redraws its drop-downs from the new data; the choice made there stays chosen.
      await eventually(async () => assert.equal(await selectedLabel(a, "#map-address"), "Munich branch, 2nd floor"));
    });

    await s.step("tab B moves the address to Hamburg: tab A marks the choice as not offered", async () => {
      await editMunichBranch(async () => {
        await b.locator("#postal_code").fill("20095");
        await b.locator("#city").fill("Hamburg");
      });
      const excluded = a.locator("details.excluded li", { hasText: "Munich branch, 2nd floor" });
      await eventually(async () => assert.match(await text(excluded), /\(21615\)/));
      assert.equal(await selectedLabel(a, "#map-address"), "Munich branch, 2nd floor — not offered (see below)");
    });

    await s.step("tab A: Save is refused with the reason, and nothing was stored", async () => {
      await a.getByRole("button", { name: "Save", exact: true }).click();
      const refused = a.getByRole("alert").filter({ hasText: "Not saved: a choice is no longer offered." });
      await refused.waitFor();
      assert.match(await text(refused), /München/);
      await s.reload();
      await a.locator("#map-address").waitFor();
      assert.equal(await selectedLabel(a, "#map-address"), "None");
    });

    await s.step("no console errors", () => s.assertNoConsoleErrors());
  } finally {
    await s.close();
  }
});

// ---- flow 7 -----------------------------------------------------------------------------------

test("flow 7: two tabs map the same number: the address saved in one tab joins the document chosen, not yet saved, in the other", async (t) => {
  const s = await openSession(browser, t.name);
  const a = s.page;
  const berlin = "+49 30 2345678";
  const passed = `${BERLIN_DOC} (Passed)`;
  let b;
  try {
    await s.step("load the demo data (review speed: real time)", async () => {
      await setSpeed(s, "Real time (business hours)");
      await loadDemo(a);
    });

    await s.step("tab A: on the Berlin number, choose the Passed document without saving", async () => {
      await nav(a, "My numbers");
      await a.getByRole("link", { name: berlin, exact: true }).click();
      await eventually(async () => assert.equal(await s.heading(), berlin));
      await a.locator("#map-identity").selectOption({ label: passed });
    });

    await s.step("tab B: the same number, map the Berlin office and save", async () => {
      b = await openTab(s, a.url());
      await b.locator("#map-address").selectOption({ label: "Berlin office" });
      await b.getByRole("button", { name: "Save", exact: true }).click();
      await b.getByRole("status").filter({ hasText: /^Saved\.$/ }).waitFor();
    });

    await s.step("tab A: shows the saved address and still the chosen document; saving makes it compliant", async () => {
      await a.bringToFront();
      await eventually(async () => assert.equal(await selectedLabel(a, "#map-address"), "Berlin office"));
      assert.equal(await selectedLabel(a, "#map-identity"), passed);
      assert.equal(await a.getByRole("alert").count(), 0, "nothing chosen in tab A was replaced");
      await saveMapping(t, a, "the document chosen here and the address saved in tab B");
      await a.getByTestId("compliant-notice").waitFor();
    });

    await s.step("no console errors", () => s.assertNoConsoleErrors());
  } finally {
    await s.close();
  }
});

// ---- flow 8 -----------------------------------------------------------------------------------

test("flow 8: deleting a document or an address asks first, and a record that cannot go says why on its disabled button", async (t) => {
  const s = await openSession(browser, t.name);
  const page = s.page;
  /// Clicks `button` and answers the confirmation it raises; returns the question.
  const answer = (button, accept) =>
    new Promise((resolve, reject) => {
      page.once("dialog", async (dialog) => {
        const question = dialog.message();
        await (accept ? dialog.accept() : dialog.dismiss());
        resolve(question);
      });
      button.click().catch(reject);
    });
  try {
    await s.step("load the demo data (review speed: real time)", async () => {
      await setSpeed(s, "Real time (business hours)");
      await loadDemo(page);
    });

    await s.step("addresses held by documents cannot be deleted, and say which documents", async () => {
      await nav(page, "Addresses");
      const munich = page.locator("li.card", { hasText: "Munich branch" });
      const button = munich.getByRole("button", { name: "Delete" });
      assert.equal(await button.isDisabled(), true);
      const why = await button.evaluate((b) => document.getElementById(b.getAttribute("aria-describedby"))?.textContent);
      assert.match(why, /identity document of Spree Logistik GmbH — DE local, München \(Failed\)/);
    });

    await s.step("the Pending document's Delete is disabled with the reason", async () => {
      await nav(page, "Identity documents");
      await documentRow(page, "Pending").getByRole("link").click();
      await documentStatusIs(page, "Pending");
      assert.equal(await page.getByRole("button", { name: "Delete" }).isDisabled(), true);
      assert.match(await text(page.locator("#delete-why")), /under review/);
    });

    await s.step("the Passed document: Delete asks, Cancel keeps it, OK deletes it", async () => {
      await nav(page, "Identity documents");
      await documentRow(page, "Passed").getByRole("link").click();
      await documentStatusIs(page, "Passed");
      const url = page.url();
      const button = page.getByRole("button", { name: "Delete" });
      const question = await answer(button, false);
      assert.match(question, /^Delete the identity document "Spree Logistik GmbH — DE local, Berlin"\? It has passed verification/);
      await s.reload();
      await documentStatusIs(page, "Passed");
      assert.equal(page.url(), url);
      await answer(page.getByRole("button", { name: "Delete" }), true);
      await page.waitForURL(/\/documents$/);
      await eventually(async () => assert.equal(await documentRow(page, "Passed").count(), 0));
    });

    await s.step("a Failed document is deleted from its correction form (it had no Delete)", async () => {
      await documentRow(page, "Failed").getByRole("link").click();
      await eventually(async () => assert.equal(await s.heading(), "Correct identity document"));
      const question = await answer(page.getByRole("button", { name: "Delete" }), true);
      assert.match(question, /^Delete the identity document "Spree Logistik GmbH — DE local, München"\? This cannot be undone\.$/);
      await page.waitForURL(/\/documents$/);
      await eventually(async () => assert.equal(await documentRow(page, "Failed").count(), 0));
    });

    await s.step("no console errors", () => s.assertNoConsoleErrors());
  } finally {
    await s.close();
  }
});
