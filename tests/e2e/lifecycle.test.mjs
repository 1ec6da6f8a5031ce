// Documents that last (issue 15), clicked through in the release build with the browser's clock
// moved by Playwright: expiry announced at 90, 30 and 7 days and Expired after; a renewal that
// passes in time moves the numbers with none non-compliant at any moment; an aged proof of address
// still counting a year later; a copy for another area; the purchase guard pointing at a Pending
// document; and the pre-check measuring stored scans.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import {
  eventually,
  fixture,
  launchBrowser,
  loadDemo,
  openSession,
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

const DAY = 86_400_000;
const BERLIN_DOC = "Spree Logistik GmbH — DE local, Berlin";
const BERLIN_NUMBER = "+49 30 2345678";

const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);

/// A session whose browser clock stands still at `t0` (timers keep running), so that days can be
/// skipped with `s.at(days)`.
async function clockedSession(t, t0) {
  const s = await openSession(browser, t.name);
  await s.context.clock.setFixedTime(new Date(t0));
  s.at = async (days) => {
    await s.context.clock.setFixedTime(new Date(t0 + days * DAY));
  };
  return s;
}

async function setSpeed(s, label) {
  await s.goto(server.url + "/");
  await s.page.locator("#speed").selectOption({ label });
}

async function openDocument(s, name, status) {
  await s.goto(server.url + "/documents");
  const row = s.page.locator("main tbody tr").filter({ has: s.page.locator(`.badge.${status}`) });
  await row.getByRole("link", { name, exact: true }).click();
  // A Failed document opens as its correction form, without a badge.
  if (status === "failed") return;
  await eventually(async () => assert.equal(await text(s.page.locator("main h1 .badge")), status[0].toUpperCase() + status.slice(1)));
}

/// Maps the demo's Berlin number to the Passed Berlin document and the Berlin office.
async function mapBerlinNumber(s) {
  await s.goto(server.url + "/numbers");
  await s.page.getByRole("link", { name: BERLIN_NUMBER, exact: true }).click();
  await eventually(async () => assert.equal(await s.heading(), BERLIN_NUMBER));
  await s.page.locator("#map-identity").selectOption({ label: `${BERLIN_DOC} (Passed)` });
  await s.page.locator("#map-address").selectOption({ label: "Berlin office" });
  await s.page.getByRole("button", { name: "Save", exact: true }).click();
  await s.page.getByTestId("compliant-notice").waitFor();
}

/// The Berlin number's page says it is compliant (after a reload, so nothing stale is shown).
async function berlinNumberCompliant(s) {
  await s.goto(server.url + "/numbers");
  await s.page.getByRole("link", { name: BERLIN_NUMBER, exact: true }).click();
  await eventually(async () => assert.equal(await s.heading(), BERLIN_NUMBER));
  await s.page.getByTestId("compliant-notice").waitFor();
  assert.match(await text(s.page.locator("dl.facts")), /Compliant/);
}

/// From a Passed document's page: Renew, give the copied scan an expiry date, submit.
async function renew(s, expiry) {
  await s.page.getByRole("link", { name: "Renew", exact: true }).click();
  await eventually(async () => assert.equal(await s.heading(), "Renew identity document"));
  await s.page.getByTestId("renewal-notice").waitFor();
  assert.equal(await s.page.locator("#doc-area").isDisabled(), true, "a renewal keeps its area");
  assert.equal(await s.page.locator("#doc-address").isDisabled(), true, "and its address");
  await s.page.locator("#scan0-expires").fill(expiry);
  await eventually(async () =>
    assert.equal(await text(s.page.locator(".precheck .notice")), "Nothing found that would make the review fail."),
  );
  await s.page.getByRole("button", { name: "Submit for review" }).click();
  await s.page.waitForURL(/\/documents\/(?!new)[^/?]+$/);
}

/// The overview's expiry notice, or "" when there is none.
async function overviewNotices(s) {
  await s.goto(server.url + "/");
  await s.page.getByTestId("overview-counts").waitFor();
  const notices = s.page.locator("main .notice.warning, main .notice.error");
  return (await notices.allTextContents()).map((t) => t.trim()).join(" | ");
}

test("expiry: a document's last day is announced at 90, 30 and 7 days, then it reads Expired and its number says why it is non-compliant", async (t) => {
  const t0 = Date.now();
  const s = await clockedSession(t, t0);
  const page = s.page;
  try {
    await s.step("demo at Instant speed; the Berlin number mapped to the Berlin document", async () => {
      await setSpeed(s, "Instant");
      await loadDemo(page);
      await mapBerlinNumber(s);
    });

    await s.step("renew the Berlin document with a scan that expires in 100 days: the number moves to it", async () => {
      await openDocument(s, BERLIN_DOC, "passed");
      assert.match(await text(page.getByTestId("validity")), /^Counts until 2028-08-31 \(its valid-until after the regulation change/);
      await renew(s, isoDay(t0 + 100 * DAY));
      await eventually(async () => assert.equal(await text(page.locator("main h1 .badge")), "Passed"));
      assert.equal(
        await text(page.getByTestId("validity")),
        `Counts until ${isoDay(t0 + 100 * DAY)} (the expiry date on its Commercial register excerpt), 100 days from today. From ${isoDay(t0 + 101 * DAY)} these become non-compliant unless it is renewed: ${BERLIN_NUMBER}.`,
      );
      assert.equal(await overviewNotices(s), "", "100 days ahead: no warning yet");
    });

    for (const [days, within] of [[15, 90], [75, 30], [95, 7]]) {
      await s.step(`${days} days later the overview warns: within ${within} days`, async () => {
        await s.at(days);
        const said = await overviewNotices(s);
        assert.match(said, new RegExp(`^1 Passed document stops counting within ${within} days\\.`), said);
        await s.goto(server.url + "/documents?status=expiring");
        await eventually(async () => assert.equal(await page.locator("main tbody tr").count(), 1));
        assert.equal(await selectedLabel(page, "#filter-status"), "Expiring within 90 days");
        assert.match(await text(page.locator("main tbody tr td.expiring")), new RegExp(`${isoDay(t0 + 100 * DAY)} \\(${100 - days} days?\\)`));
      });
    }

    await s.step("the day after its last day: Expired, counted as expired, and the number says why", async () => {
      await s.at(101);
      const said = await overviewNotices(s);
      assert.match(said, /^1 document has expired: the numbers mapped to them are non-compliant\./, said);
      await s.goto(server.url + "/documents?status=expired");
      await eventually(async () => assert.equal(await page.locator("main tbody tr").count(), 1));
      assert.equal(await text(page.locator("main tbody tr .badge")), "Expired");
      await page.locator("main tbody tr").getByRole("link").click();
      await eventually(async () => assert.equal(await text(page.locator("main h1 .badge")), "Expired"));
      assert.match(await text(page.getByTestId("validity")), new RegExp(`Expired after ${isoDay(t0 + 100 * DAY)}`));
      await s.goto(server.url + "/numbers");
      await page.getByRole("link", { name: BERLIN_NUMBER, exact: true }).click();
      await eventually(async () => assert.equal(await s.heading(), BERLIN_NUMBER));
      const missing = page.locator(".notice.error", { hasText: "What is missing:" });
      await missing.waitFor();
      assert.match(await text(missing), new RegExp(`It expired after ${isoDay(t0 + 100 * DAY)} \\(the expiry date on its Commercial register excerpt\\); renew it\\.`));
    });

    await s.step("no console errors", () => s.assertNoConsoleErrors());
  } finally {
    await s.close();
  }
});

test("renewal: a renewal under review leaves the original counting; when it passes the numbers move in one step, and no moment finds the number non-compliant", async (t) => {
  const t0 = Date.now();
  const s = await clockedSession(t, t0);
  const page = s.page;
  let firstRenewal;
  try {
    await s.step("demo; the Berlin number mapped; renewed once with a scan expiring in 100 days", async () => {
      await setSpeed(s, "Instant");
      await loadDemo(page);
      await mapBerlinNumber(s);
      await openDocument(s, BERLIN_DOC, "passed");
      await renew(s, isoDay(t0 + 100 * DAY));
      await eventually(async () => assert.equal(await text(page.locator("main h1 .badge")), "Passed"));
      firstRenewal = page.url();
      await berlinNumberCompliant(s);
    });

    await s.step("the original reads Replaced, and the log lists the number that moved", async () => {
      await s.goto(server.url + "/documents?status=replaced");
      await eventually(async () => assert.equal(await page.locator("main tbody tr").count(), 1));
      await page.locator("main tbody tr").getByRole("link").click();
      await page.getByTestId("replaced-by").waitFor();
      await s.goto(server.url + "/activity");
      await page.locator("main", { hasText: `renewed by` }).waitFor();
      assert.match(await text(page.locator("main")), new RegExp(`"${BERLIN_DOC}" renewed by RI[0-9a-f]+; 1 number moved: \\${BERLIN_NUMBER}`));
    });

    await s.step("95 days later (7-day warning), renew again at real-time speed: Pending, the number still compliant", async () => {
      await s.at(95);
      await setSpeed(s, "Real time (business hours)");
      await s.goto(firstRenewal);
      await eventually(async () => assert.equal(await text(page.locator("main h1 .badge")), "Passed"));
      await renew(s, isoDay(t0 + 465 * DAY));
      await eventually(async () => assert.equal(await text(page.locator("main h1 .badge")), "Pending"));
      assert.match(await text(page.getByTestId("renews")), /keeps counting meanwhile\. When this one passes, 1 number moves here\./);
      await berlinNumberCompliant(s);
      await s.goto(firstRenewal);
      await page.getByTestId("renewal-under-way").waitFor();
    });

    await s.step("a day later the review decides: Passed, the number moved, still compliant", async () => {
      await s.at(96);
      await s.goto(firstRenewal);
      await page.getByTestId("renewal-under-way").getByRole("link").click();
      await eventually(async () => assert.equal(await text(page.locator("main h1 .badge")), "Pending"));
      await page.getByRole("button", { name: "Decide now (demo)" }).click();
      await eventually(async () => assert.equal(await text(page.locator("main h1 .badge")), "Passed"));
      await berlinNumberCompliant(s);
      await s.goto(firstRenewal);
      await eventually(async () => assert.equal(await text(page.locator("main h1 .badge")), "Replaced"));
    });

    await s.step("past the first renewal's last day the number is still compliant, and nothing has expired", async () => {
      await s.at(101);
      await berlinNumberCompliant(s);
      assert.equal(await overviewNotices(s), "");
    });

    await s.step("no console errors", () => s.assertNoConsoleErrors());
  } finally {
    await s.close();
  }
});

test("age limit: a year and more later, a Passed document whose proof of address has aged still counts; a copy of it is judged at review", async (t) => {
  const t0 = Date.now();
  const s = await clockedSession(t, t0);
  const page = s.page;
  try {
    await s.step("demo; the Berlin number mapped and compliant", async () => {
      await setSpeed(s, "Instant");
      await loadDemo(page);
      await mapBerlinNumber(s);
    });

    await s.step("400 days later the number is still compliant and the document Passed", async () => {
      await s.at(400);
      await berlinNumberCompliant(s);
      await openDocument(s, BERLIN_DOC, "passed");
      assert.equal(await overviewNotices(s), "");
    });

    await s.step("a starting point copied from it: the pre-check says the scan is now too old (18022)", async () => {
      await openDocument(s, BERLIN_DOC, "passed");
      await page.getByRole("link", { name: "Use as a starting point" }).click();
      await page.getByTestId("copy-notice").waitFor();
      await eventually(async () => assert.match(await text(page.locator(".precheck")), /18022/));
    });

    await s.step("no console errors", () => s.assertNoConsoleErrors());
  } finally {
    await s.close();
  }
});

test("copy: a document used as a starting point for another area keeps holder, details and scan; it passes and buys a number there", async (t) => {
  const s = await openSession(browser, t.name);
  const page = s.page;
  try {
    await s.step("demo at Instant speed", async () => {
      await setSpeed(s, "Instant");
      await loadDemo(page);
    });

    await s.step("use the Berlin document as a starting point for München", async () => {
      await openDocument(s, BERLIN_DOC, "passed");
      await page.getByRole("link", { name: "Use as a starting point" }).click();
      await eventually(async () => assert.equal(await s.heading(), "Add new identity document"));
      assert.equal(await page.locator("#detail-business_name").inputValue(), "Spree Logistik GmbH");
      assert.equal(await page.locator("#doc-name").inputValue(), BERLIN_DOC);
      await page.locator("#doc-area").fill("089");
      await eventually(async () => assert.equal(await page.locator("#doc-name").inputValue(), "Spree Logistik GmbH — DE local, München"));
      await page.locator("#doc-address").selectOption({ label: "Munich branch" });
      const scan = page.getByRole("group", { name: /^Scan 1: / });
      await scan.locator("img").waitFor();
      await eventually(async () =>
        assert.equal(await text(page.locator(".precheck .notice")), "Nothing found that would make the review fail."),
      );
    });

    await s.step("submit: Passed, with the same scan stored for it", async () => {
      await page.getByRole("button", { name: "Submit for review" }).click();
      await page.waitForURL(/\/documents\/(?!new)[^/?]+$/);
      await eventually(async () => assert.equal(await text(page.locator("main h1")), "Spree Logistik GmbH — DE local, München Passed"));
      const size = await page.locator(".scans img").first().evaluate(async (img) => {
        await img.decode();
        return img.naturalWidth;
      });
      assert.ok(size > 0, "the copied scan's bytes are stored for the copy");
    });

    await s.step("a München number can now be bought", async () => {
      await s.goto(server.url + "/buy");
      await page.locator("#buy-type").selectOption("local");
      await page.locator("#buy-area").fill("089");
      const first = page.getByRole("button", { name: /^Buy \+49 89 / }).first();
      await first.click();
      await page.locator("tr.outcome .notice.ok", { hasText: "It is in My numbers." }).waitFor();
    });

    await s.step("no console errors", () => s.assertNoConsoleErrors());
  } finally {
    await s.close();
  }
});

test("guard: with a document for German mobile numbers Pending, buying one names it and when it is decided, and offers no second document", async (t) => {
  const s = await openSession(browser, t.name);
  const page = s.page;
  try {
    await s.step("demo at real-time speed: its mobile document stays Pending", async () => {
      await setSpeed(s, "Real time (business hours)");
      await loadDemo(page);
    });

    await s.step("buying a German mobile number is refused, pointing at the Pending document", async () => {
      await s.goto(server.url + "/buy");
      await page.locator("#buy-type").selectOption("mobile");
      const first = page.getByRole("button", { name: /^Buy \+49 1/ }).first();
      await first.click();
      const error = page.getByTestId("purchase-error");
      await error.waitFor();
      const said = await text(error);
      assert.match(said, /Error 21650/);
      assert.match(said, /"Spree Logistik GmbH — DE mobile" is Pending review and would satisfy this number, usually decided by \d{4}-\d\d-\d\d \d\d:\d\d/);
      assert.equal(await error.getByRole("link", { name: "Open the identity document" }).count(), 1);
      assert.equal(await error.getByRole("link", { name: /Add an identity document/ }).count(), 0);
    });

    await s.step("no console errors", () => s.assertNoConsoleErrors());
  } finally {
    await s.close();
  }
});

test("pre-check: a PNG saved as a PDF is 18024 before saving and still after reopening the draft", async (t) => {
  const s = await openSession(browser, t.name);
  const page = s.page;
  try {
    await s.step("a new document with a PNG named and typed as a PDF: 18024", async () => {
      await s.goto(server.url + "/documents/new?country=DE&type=local&area=4930");
      await page.locator("#detail-business_name").fill("Havel Handel GmbH");
      await page.locator("#doc-upload").setInputFiles({
        name: "excerpt.pdf",
        mimeType: "application/pdf",
        buffer: readFileSync(fixture("register-excerpt.png")),
      });
      await page.getByRole("group", { name: "Scan 1: excerpt.pdf" }).waitFor();
      await eventually(async () => assert.match(await text(page.locator(".precheck")), /18024/));
    });

    await s.step("save the draft and reopen it: the pre-check still measures the stored scan", async () => {
      await page.getByRole("button", { name: "Save draft" }).click();
      await page.waitForURL(/\/documents\/(?!new)[^/?]+$/);
      await s.reload();
      await eventually(async () => assert.equal(await s.heading(), "Edit identity document"));
      await eventually(async () => assert.match(await text(page.locator(".precheck")), /18024/));
    });

    await s.step("no console errors", () => s.assertNoConsoleErrors());
  } finally {
    await s.close();
  }
});

test("regulation change: the demo's Berlin document is valid until the change's grace ends, is warned about, rejected the day after with the log saying so, and passes again with what the new rules add", async (t) => {
  const t0 = Date.now();
  const s = await clockedSession(t, t0);
  const page = s.page;
  const day = (iso) => Date.parse(`${iso}T12:00:00Z`);
  try {
    await s.step("demo at Instant speed; the Berlin number mapped", async () => {
      await setSpeed(s, "Instant");
      await loadDemo(page);
      await mapBerlinNumber(s);
    });

    await s.step("the Berlin document counts until the change's grace ends, and says why", async () => {
      await openDocument(s, BERLIN_DOC, "passed");
      assert.match(await text(page.getByTestId("validity")), /^Counts until 2028-08-31 \(its valid-until after the regulation change of 2028-07-01\)/);
      assert.match(await text(page.getByTestId("regulation-change")), /authorised representative's own ID .* is required too\. Renew it under the new rules before then\./);
    });

    await s.step("three weeks before, the overview warns", async () => {
      await s.context.clock.setFixedTime(new Date(day("2028-08-10")));
      assert.match(await overviewNotices(s), /^1 Passed document stops counting within 30 days\./);
    });

    await s.step("the day after, it is rejected: Failed, in its history and the log, and the number is non-compliant", async () => {
      await s.context.clock.setFixedTime(new Date(day("2028-09-01")));
      await s.goto(server.url + "/activity");
      await eventually(async () => assert.match(await text(page.locator("main")), /rejected after valid-until: Passed → Failed \(18003\)/), { timeout: 15_000 });
      await s.goto(server.url + "/numbers");
      await page.getByRole("link", { name: BERLIN_NUMBER, exact: true }).click();
      const missing = page.locator(".notice.error", { hasText: "What is missing:" });
      await missing.waitFor();
      assert.match(await text(missing), /failed verification/);
    });

    await s.step("correct it under the new rules: a new excerpt and the representative's ID; it passes and the number is compliant again", async () => {
      await openDocument(s, BERLIN_DOC, "failed");
      await eventually(async () => assert.equal(await s.heading(), "Correct identity document"));
      assert.match(await text(page.locator("main .notice.error", { hasText: "This document failed verification." })), /regulation changed on 2028-07-01/);
      assert.match(await text(page.locator("ul.requirements")), /Authorised representative's ID: National ID card or Passport/);
      assert.match(await text(page.locator(".precheck")), /22216/);
      await page.getByRole("button", { name: "Remove scan" }).click();
      await eventually(async () => assert.equal(await page.locator("#scan0-name").count(), 0));
      await page.locator("#doc-upload").setInputFiles([fixture("register-excerpt.pdf"), fixture("register-excerpt.png")]);
      await page.getByRole("group", { name: "Scan 2: register-excerpt.png" }).waitFor();
      await page.locator("#scan0-type").selectOption({ label: "Commercial register excerpt" });
      await page.locator("#scan0-name").fill("Spree Logistik GmbH");
      await page.locator("#scan0-address").selectOption("on-file");
      await page.locator("#scan0-number").fill("HRB 123456 B");
      await page.locator("#scan0-issued").fill("2028-08-20");
      await page.locator("#scan1-type").selectOption({ label: "National ID card" });
      await page.locator("#scan1-name").fill("Jana Neumann");
      await page.locator("#scan1-number").fill("L01X00T47");
      await page.locator("#scan1-issued").fill("2025-03-01");
      await page.locator("#scan1-expires").fill("2035-02-28");
      await eventually(async () =>
        assert.equal(await text(page.locator(".precheck .notice")), "Nothing found that would make the review fail."),
      );
      await page.getByRole("button", { name: "Correct and resubmit" }).click();
      await page.waitForURL(/\/documents\/(?!new)[^/?]+$/);
      await eventually(async () => assert.equal(await text(page.locator("main h1 .badge")), "Passed"));
      assert.match(await text(page.getByTestId("validity")), /^Counts until 2035-02-28 \(the expiry date on its National ID card\)/);
      await berlinNumberCompliant(s);
    });

    await s.step("no console errors", () => s.assertNoConsoleErrors());
  } finally {
    await s.close();
  }
});

test("entity: a new document for the demo company is filled from its entity, typed once, and attaches the register excerpt its other documents hold without uploading", async (t) => {
  const s = await openSession(browser, t.name);
  const page = s.page;
  try {
    await s.step("demo at Instant speed", async () => {
      await setSpeed(s, "Instant");
      await loadDemo(page);
    });

    await s.step("the list filters by entity: the company's three documents", async () => {
      await s.goto(server.url + "/documents");
      await page.locator("#filter-entity").selectOption({ label: "Spree Logistik GmbH" });
      await eventually(async () => assert.equal(await text(page.getByTestId("documents-shown")), "Showing 3 of 3 documents."));
      assert.match(page.url(), /entity=IT[0-9a-f]{32}/);
    });

    await s.step("My numbers filters by entity: the number mapped to one of its documents", async () => {
      await mapBerlinNumber(s);
      await s.goto(server.url + "/numbers");
      await eventually(async () => assert.equal(await text(page.locator("#numbers-count")), "4 numbers"));
      await page.getByText("More filters").click();
      await page.locator("#filter-entity").selectOption({ label: "Spree Logistik GmbH" });
      await eventually(async () => assert.equal(await text(page.locator("#numbers-count")), "1 number"));
      assert.equal(await page.getByRole("link", { name: BERLIN_NUMBER, exact: true }).count(), 1);
    });

    await s.step("a new document picks the entity: its details are filled, nothing typed again", async () => {
      await s.goto(server.url + "/documents/new?country=DE&type=local&area=4989");
      await page.locator("#doc-entity").selectOption({ label: "Spree Logistik GmbH (Business)" });
      assert.equal(await page.locator("#detail-business_name").inputValue(), "Spree Logistik GmbH");
      assert.equal(await page.locator("#detail-business_registration_number").inputValue(), "HRB 123456 B");
      assert.equal(await page.locator("#detail-email").inputValue(), "jana.neumann@spree-logistik.example");
      assert.equal(await page.locator("#doc-name").inputValue(), "Spree Logistik GmbH — DE local, München");
      await page.locator("#doc-address").selectOption({ label: "Munich branch" });
    });

    await s.step("attach the register excerpt another of its documents holds: no upload", async () => {
      const options = await page.locator("#doc-stored-file option").allTextContents();
      assert.equal(options.length, 2, options.join(" | "));
      assert.match(options[1], /^Commercial register excerpt — handelsregisterauszug\.png \(from Spree Logistik GmbH — /);
      await page.locator("#doc-stored-file").selectOption({ index: 1 });
      const scan = page.getByRole("group", { name: "Scan 1: handelsregisterauszug.png" });
      await scan.waitFor();
      assert.equal(await page.locator("#scan0-name").inputValue(), "Spree Logistik GmbH");
      await eventually(async () =>
        assert.equal(await text(page.locator(".precheck .notice")), "Nothing found that would make the review fail."),
      );
      assert.equal(await page.locator("#doc-stored-file").count(), 0, "nothing else to attach");
    });

    await s.step("submit: Passed, with the file's bytes stored for it too", async () => {
      await page.getByRole("button", { name: "Submit for review" }).click();
      await page.waitForURL(/\/documents\/(?!new)[^/?]+$/);
      await eventually(async () => assert.equal(await text(page.locator("main h1")), "Spree Logistik GmbH — DE local, München Passed"));
      const width = await page.locator(".scans img").first().evaluate(async (img) => {
        await img.decode();
        return img.naturalWidth;
      });
      assert.ok(width > 0);
      assert.equal(await text(page.locator("dl.facts dd").first()), "Spree Logistik GmbH");
    });

    await s.step("no console errors", () => s.assertNoConsoleErrors());
  } finally {
    await s.close();
  }
});
