// Running a compliance programme on the release build: 120 imported numbers on top of the demo.
// My numbers says what each non-compliant number lacks; the filters (030 is Berlin as dialled,
// not every number with 30 in it) and the page survive a reload and Back from a number; "Select
// all N matching" reaches across pages; one bulk mapping maps them all and its Undo restores
// them; an undo after a later change is refused, naming the number, and changes nothing.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { eventually, launchBrowser, loadDemo, openSession, startServer, text } from "./support.mjs";

let browser, server;
before(async () => {
  browser = await launchBrowser();
  server = await startServer();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const BERLIN_DOC = "Spree Logistik GmbH — DE local, Berlin";

/// 100 Berlin numbers labelled "Berlin batch", 19 in Munich and a mobile whose digits contain
/// "030": what a provider's export of a programme looks like.
function programmeCsv() {
  const rows = ["Phone Number,Friendly Name,Date Bought"];
  for (let i = 0; i < 100; i++) rows.push(`+4930${String(5_000_000 + i)},Berlin batch ${i},2024-03-01`);
  for (let i = 0; i < 19; i++) rows.push(`+4989${String(5_000_000 + i)},Munich ${i},2024-03-01`);
  rows.push("+4915703012345,Field phone,2024-03-01");
  return rows.join("\n") + "\n";
}

const count = (page) => text(page.locator("#numbers-count"));

/// The demo with the programme's 120 numbers imported.
async function programme(s) {
  const page = s.page;
  await s.goto(server.url + "/");
  await loadDemo(page);
  await s.goto(server.url + "/workspace");
  await page.locator("#csv-file").setInputFiles({ name: "numbers.csv", mimeType: "text/csv", buffer: Buffer.from(programmeCsv()) });
  await page.getByTestId("csv-import").click();
  await page.getByTestId("csv-result").getByText("Imported 120 numbers.").waitFor();
}

test("programme: why on every row, filters in the URL, select all matching, bulk map, undo, refused undo", async (t) => {
  const s = await openSession(browser, t.name);
  const page = s.page;
  try {
    await s.step("the demo plus 120 imported numbers", () => programme(s));

    await s.step("each non-compliant row says what it lacks", async () => {
      await s.goto(server.url + "/numbers?compliance=noncompliant");
      await eventually(async () => assert.equal(await count(page), "124 numbers"));
      const row = page.locator("tbody tr", { hasText: "+49 30 5000000" });
      assert.equal(await text(row.locator(".why")), "needs a DE local business document for Berlin");
      assert.match(await text(row), /Berlin batch 0/);
    });

    await s.step("030 is Berlin as dialled: not the mobile with 030 in it, not Munich", async () => {
      await page.locator("#filter-digits").fill("030");
      await eventually(async () => assert.equal(await count(page), "101 numbers"));
      assert.match(page.url(), /digits=030/);
      assert.equal(await page.locator("tbody tr", { hasText: "+49 157" }).count(), 0);
      await page.locator("#filter-missing").selectOption("document");
      await eventually(async () => assert.match(page.url(), /missing=document/));
    });

    await s.step("a reload keeps the filters; Back from a number on page 3 returns to page 3", async () => {
      await page.reload();
      await eventually(async () => assert.equal(await count(page), "101 numbers"));
      assert.equal(await page.locator("#filter-digits").inputValue(), "030");
      assert.equal(await page.locator("#filter-missing").inputValue(), "document");
      await page.getByRole("button", { name: "Next", exact: true }).click();
      await page.getByRole("button", { name: "Next", exact: true }).click();
      await page.getByText("Page 3 of 3").waitFor();
      const first = page.locator("tbody tr a").first();
      const name = await text(first);
      await first.click();
      await eventually(async () => assert.equal(await s.heading(), name));
      await page.goBack();
      await page.getByText("Page 3 of 3").waitFor();
      assert.equal(await page.locator("#filter-digits").inputValue(), "030");
      await eventually(async () => assert.equal(await text(page.locator("tbody tr a").first()), name));
    });

    await s.step("a number's page: back to the same list, Next non-compliant in it, its label and history", async () => {
      await page.getByRole("button", { name: "Previous", exact: true }).click();
      await page.getByRole("button", { name: "Previous", exact: true }).click();
      await page.getByText("Page 1 of 3").waitFor();
      await page.getByRole("link", { name: "+49 30 2345678", exact: true }).click();
      await eventually(async () => assert.equal(await s.heading(), "+49 30 2345678"));
      await page.getByRole("link", { name: "Next non-compliant →" }).click();
      await eventually(async () => assert.equal(await s.heading(), "+49 30 5000000"));
      assert.match(page.url(), /digits=030/);
      await page.locator("#number-label").fill("Berlin hotline, 2nd floor");
      await page.getByRole("button", { name: "Save label" }).click();
      await page.getByText("Label saved.").waitFor();
      await eventually(async () => assert.match(await text(page.getByTestId("number-history")), /relabelled from “Berlin batch 0” to “Berlin hotline, 2nd floor”/));
      await page.locator("#number-label").fill("x".repeat(65));
      await page.getByRole("button", { name: "Save label" }).click();
      await page.getByText("A label has at most 64 characters; this one has 65.").waitFor();
      await page.getByRole("link", { name: "← My numbers" }).click();
      await eventually(async () => assert.equal(await count(page), "101 numbers"));
      assert.equal(await page.locator("#filter-digits").inputValue(), "030");
      await page.locator("tbody tr", { hasText: "Berlin hotline, 2nd floor" }).waitFor();
    });

    await s.step("the CSV report of the list: one row per number, as the page says", async () => {
      const download = page.waitForEvent("download");
      await page.getByRole("button", { name: "Export 101 numbers as a CSV report" }).click();
      const file = await (await download).path();
      const lines = readFileSync(file, "utf8").replace(/^\uFEFF/, "").trim().split(/\r?\n/);
      assert.equal(lines.length, 102, "a header and 101 rows");
      assert.match(lines[0], /^Number,Number as written,Label,Country,Type,Local area,Compliance,What is missing,/);
      const shown = await page.locator("tbody tr").evaluateAll((rows) =>
        rows.map((r) => [r.querySelector("td[data-label=Number] a").textContent.trim(), r.querySelector(".why")?.textContent.trim() ?? ""]));
      for (const [i, [number, why]] of shown.entries()) {
        const cells = lines[i + 1].split(",");
        assert.equal(cells[1], number, `row ${i + 1}`);
        assert.ok(lines[i + 1].includes(`,Non-compliant,${why},`), `row ${i + 1}: ${lines[i + 1]}`);
      }
      await page.getByTestId("report-said").getByText("Report saved: 101 numbers.").waitFor();
    });

    await s.step("select all 101 matching across pages, and map them in one go", async () => {
      await page.getByRole("button", { name: "Select all 101 matching" }).click();
      await page.getByText("101 numbers selected").waitFor();
      await page.locator("#bulk-identity").selectOption({ label: `${BERLIN_DOC} (Passed)` });
      await page.locator("#bulk-address").selectOption({ label: "Berlin office (10117 Berlin)" });
      await page.getByRole("button", { name: "Apply to selected" }).click();
      const notice = page.locator("#bulk-result-notice");
      await eventually(async () => assert.match(await text(notice), /^Mapped 101 numbers to “Spree Logistik GmbH — DE local, Berlin” and Berlin office\./));
      // Mapped, they lack nothing: the filtered list is empty now.
      await eventually(async () => assert.equal(await count(page), "0 numbers"));
    });

    await s.step("Undo restores every mapping", async () => {
      await page.locator("#bulk-undo").click();
      await eventually(async () => assert.equal(await text(page.locator("#bulk-result-notice p")), "Undone: 101 numbers are mapped as before."));
      await eventually(async () => assert.equal(await count(page), "101 numbers"));
    });

    await s.step("map again, change one number afterwards: the log's Undo is refused and names it", async () => {
      await page.getByRole("button", { name: "Select all 101 matching" }).click();
      await page.locator("#bulk-identity").selectOption({ label: `${BERLIN_DOC} (Passed)` });
      await page.locator("#bulk-address").selectOption({ label: "Berlin office (10117 Berlin)" });
      await page.getByRole("button", { name: "Apply to selected" }).click();
      await eventually(async () => assert.equal(await count(page), "0 numbers"));
      // One number's address unmapped by a later bulk action.
      await s.goto(server.url + "/numbers?digits=%2B49305000007");
      await eventually(async () => assert.equal(await count(page), "1 number"));
      await page.getByRole("checkbox", { name: "Select +49 30 5000007" }).check();
      await page.locator("#bulk-address").selectOption({ label: "None (unmap)" });
      await page.getByRole("button", { name: "Apply to selected" }).click();
      await eventually(async () => assert.match(await text(page.locator("#bulk-result-notice")), /^Unmapped the address of 1 number\./));

      await s.goto(server.url + "/activity");
      const entry = page.locator(".log li", { hasText: "Mapped 101 numbers" }).filter({ has: page.getByRole("button", { name: "Undo" }) });
      await entry.getByRole("button", { name: "Undo" }).click();
      const refusal = page.locator("#bulk-result-notice");
      await eventually(async () => assert.match(await text(refusal), /Nothing was undone: 1 number changed after this mapping \(\+49 30 5000007\)/));
      // Nothing changed: the 100 others are still mapped.
      await s.goto(server.url + "/numbers?digits=030&compliance=compliant");
      await eventually(async () => assert.equal(await count(page), "100 numbers"));
    });

    await s.step("the log finds a bulk-mapped number and expands the entry to its numbers", async () => {
      await s.goto(server.url + "/activity");
      await page.locator("#activity-filter").fill("+49 30 5000042");
      const entries = page.locator(".log li");
      await eventually(async () => assert.ok((await entries.count()) >= 2, "both bulk mappings and the undo"));
      const bulk = entries.filter({ hasText: "Mapped 101 numbers" }).first();
      await bulk.locator("summary").click();
      await bulk.getByRole("link", { name: "+49 30 5000042" }).waitFor();
    });

    await s.step("the log filters by source and exports every entry as CSV and JSON", async () => {
      await page.locator("#activity-filter").fill("");
      await page.locator("#activity-source").selectOption("Import");
      await eventually(async () => assert.ok(await page.locator(".log li", { hasText: "Imported 120 numbers" }).count() === 1));
      assert.equal(await page.locator(".log li", { hasText: "Mapped 101 numbers" }).count(), 0);
      const csv = page.waitForEvent("download");
      await page.getByRole("button", { name: "Export the log (CSV)" }).click();
      const lines = readFileSync(await (await csv).path(), "utf8").replace(/^\uFEFF/, "").trim().split(/\r?\n/);
      assert.match(lines[0], /^Time \(UTC\),Kind,Source,Record,Summary,Numbers changed,Entry SID$/);
      assert.ok(lines.some((l) => /,Number mapped,User,.*Mapped 101 numbers.*,101,EV/.test(l)), "the bulk entry with its 101 numbers");
      const json = page.waitForEvent("download");
      await page.getByRole("button", { name: "Export the log (JSON)" }).click();
      const entries = JSON.parse(readFileSync(await (await json).path(), "utf8"));
      assert.equal(entries.length, lines.length - 1, "the same entries");
      assert.ok(entries.some((e) => e.bulk?.changes?.length === 101));
    });
    s.assertNoConsoleErrors();
  } finally {
    await s.close();
  }
});

test("plan: groups by what fixes them, map all in one click, create a document prefilled, a past deadline refused", async (t) => {
  const s = await openSession(browser, t.name);
  const page = s.page;
  try {
    await s.step("the demo plus 120 imported numbers; the overview leads to the plan", async () => {
      await programme(s);
      await s.goto(server.url + "/");
      await page.getByRole("link", { name: /The compliance plan/ }).click();
      await eventually(async () => assert.equal(await s.heading(), "Compliance plan"));
    });

    const berlin = () => page.locator(".plan-group", { hasText: "Germany Local · Berlin (+4930)" });
    await s.step("the Berlin group: 101 numbers, one click maps them all", async () => {
      await eventually(async () => assert.match(await text(page.getByTestId("plan-figures")), /^124 left to fix/));
      assert.match(await text(berlin()), /No identity document\s*101 numbers/);
      assert.match(await text(berlin()), /Map all 101 to “Spree Logistik GmbH — DE local, Berlin” and Berlin office\./);
      await berlin().getByRole("button", { name: "Map all 101" }).click();
      await eventually(async () => assert.match(await text(page.locator("#bulk-result-notice")), /^Mapped 101 numbers to/));
      await eventually(async () => assert.equal(await berlin().count(), 0));
      assert.match(await text(page.getByTestId("plan-figures")), /^23 left to fix/);
      assert.match(await text(page.locator(".plan-share")), /^81 % compliant — 101 of 124 regulated numbers\./);
    });

    await s.step("the group's link lists exactly its numbers in My numbers", async () => {
      const munich = page.locator(".plan-group", { hasText: "Germany Local · München (+4989)" });
      const listed = await text(munich.getByRole("link", { name: /numbers$/ }));
      await munich.getByRole("link", { name: /numbers$/ }).click();
      await eventually(async () => assert.equal(await count(page), listed));
      assert.match(page.url(), /country=DE&type=local&area=4989&compliance=noncompliant|compliance=noncompliant&country=DE&type=local&area=4989/);
      await page.goBack();
      await eventually(async () => assert.equal(await s.heading(), "Compliance plan"));
    });

    await s.step("“Create a … document for München” opens the form for that area", async () => {
      const create = page.getByRole("link", { name: /^Create a DE local business document for München$/ });
      await create.click();
      await eventually(async () => assert.equal(await s.heading(), "Add new identity document"));
      assert.equal(await page.locator("#doc-area").inputValue(), "+4989");
      await page.goBack();
    });

    await s.step("a deadline in the past is refused and changes nothing; a future one counts down", async () => {
      await eventually(async () => assert.equal(await s.heading(), "Compliance plan"));
      await page.locator("#plan-deadline").fill("2020-01-01");
      await page.getByRole("button", { name: "Set deadline" }).click();
      await eventually(async () => assert.match(await text(page.locator("#plan-deadline-error")), /^2020-01-01 is in the past/));
      assert.doesNotMatch(await text(page.getByTestId("plan-figures")), /to the deadline/);
      const soon = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
      await page.locator("#plan-deadline").fill(soon);
      await page.getByRole("button", { name: "Set deadline" }).click();
      await eventually(async () => assert.match(await text(page.getByTestId("plan-figures")), /30 days to the deadline/));
      await page.reload();
      await eventually(async () => assert.match(await text(page.getByTestId("plan-figures")), /30 days to the deadline/));
    });
    s.assertNoConsoleErrors();
  } finally {
    await s.close();
  }
});

test("search: / focuses the header's field; numbers however written, labels, cities, SIDs; Enter opens the first; markup and nothing find nothing", async (t) => {
  const s = await openSession(browser, t.name);
  const page = s.page;
  const field = page.locator("#site-search");
  try {
    await s.step("the demo plus 120 imported numbers", () => programme(s));

    await s.step("/ jumps to the search field from anywhere outside a field", async () => {
      await s.goto(server.url + "/documents");
      await page.locator("h1").click();
      await page.keyboard.press("/");
      await eventually(async () => assert.equal(await page.evaluate(() => document.activeElement?.id), "site-search"));
    });

    await s.step("a label, a number as dialled, a city: grouped by kind", async () => {
      await page.keyboard.type("berlin batch 42");
      await eventually(async () => assert.equal(await s.heading(), "Search"));
      const numbers = page.locator("section", { has: page.getByRole("heading", { name: /^Numbers/ }) });
      await eventually(async () => assert.equal(await text(numbers.locator("h2")), "Numbers (1)"));
      await numbers.getByRole("link", { name: "+49 30 5000042" }).waitFor();
      await field.fill("089 500 0001");
      await eventually(async () => assert.equal(await text(numbers.locator("h2")), "Numbers (1)"));
      await numbers.getByRole("link", { name: "+49 89 5000001" }).waitFor();
      await field.fill("munchen");
      const addresses = page.locator("section", { has: page.getByRole("heading", { name: /^Addresses/ }) });
      await addresses.getByRole("link", { name: "Munich branch" }).waitFor();
      await eventually(async () => assert.equal(await text(numbers.locator("h2")), "Numbers (20)"));
    });

    await s.step("a document's SID finds it; Enter opens the first result", async () => {
      await s.goto(server.url + "/documents");
      const href = await page.locator("main tbody tr a").first().getAttribute("href");
      const sid = href.split("/").pop();
      await field.fill(sid.slice(0, 12));
      const documents = page.locator("section", { has: page.getByRole("heading", { name: /^Identity documents/ }) });
      await eventually(async () => assert.equal(await text(documents.locator("h2")), "Identity documents (1)"));
      await field.fill("030 5000042");
      await field.press("Enter");
      await eventually(async () => assert.equal(await s.heading(), "+49 30 5000042"));
    });

    await s.step("markup is text, and finds nothing; an empty search asks for something", async () => {
      await field.fill("<b>bold</b>");
      await eventually(async () => assert.equal(await text(page.locator("main p.empty")), "Nothing matches “<b>bold</b>”."));
      assert.equal(await page.locator("main b").count(), 0);
      await field.fill("");
      await eventually(async () => assert.match(await text(page.locator("main p.empty")), /^Type a number, a label, a name, a SID or a city/));
    });
    s.assertNoConsoleErrors();
  } finally {
    await s.close();
  }
});

test("numbers as each country writes them; “Not in the catalog” and “Unknown type” where that is the fact; the burndown", async (t) => {
  const s = await openSession(browser, t.name);
  const page = s.page;
  const csv = [
    "Phone Number,Friendly Name,Date Bought",
    "+393640268658,Milano mobile,2024-03-01",
    "+447713421146,London mobile,2024-03-01",
    "+436641234567,Wien mobile,2024-03-01",
    "+436501234567,Wien 650,2024-03-01",
    "+4910123456,Odd one,2024-03-01",
    "+4930123456,Berlin desk,2024-03-01",
  ].join("\n") + "\n";
  try {
    await s.step("six numbers imported, the Austrian 650 and the unknown one included", async () => {
      await s.goto(server.url + "/workspace");
      await page.locator("#csv-file").setInputFiles({ name: "numbers.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
      await page.getByTestId("csv-import").click();
      await page.getByTestId("csv-result").getByText("Imported 6 numbers.").waitFor();
    });

    const row = (label) => page.locator("tbody tr", { hasText: label });
    await s.step("grouped as Italy and Britain write them; each row says what it is", async () => {
      await s.goto(server.url + "/numbers");
      await eventually(async () => assert.equal(await count(page), "6 numbers"));
      assert.match(await text(row("Milano mobile")), /\+39 364 026 8658/);
      assert.match(await text(row("London mobile")), /\+44 7713 421146/);
      for (const label of ["Wien mobile", "Wien 650"]) {
        assert.match(await text(row(label)), /Austria Mobile/);
        assert.equal(await text(row(label).locator(".badge")), "Not in the catalog");
        assert.equal(await text(row(label).locator(".why")), "the catalog has no AT mobile regulation");
      }
      assert.match(await text(row("Odd one")), /Germany Unknown/);
      assert.equal(await text(row("Odd one").locator(".badge")), "Unknown type");
      assert.equal(await text(row("Odd one").locator(".why")), "in no range of the Germany numbering plan");
      assert.equal(await page.locator("tbody .badge", { hasText: "Not regulated" }).count(), 0);
    });

    await s.step("the compliance filter finds them", async () => {
      await page.locator("#filter-compliance").selectOption("not-in-catalog");
      await eventually(async () => assert.equal(await count(page), "2 numbers"));
      await page.locator("#filter-compliance").selectOption("unknown-type");
      await eventually(async () => assert.equal(await count(page), "1 number"));
    });

    await s.step("the plan names them apart and draws the burndown once a deadline is set", async () => {
      await s.goto(server.url + "/plan");
      await eventually(async () => assert.match(await text(page.getByTestId("plan-figures")), /^3 left to fix/));
      assert.match(await text(page.locator(".plan-unplaced").first()), /^2 numbers of a type the catalog has no regulation for/);
      assert.match(await text(page.locator(".plan-unplaced").nth(1)), /^1 number in no range of their country's numbering plan/);
      await eventually(async () => assert.match(await text(page.locator(".burndown")), /two days to draw/));
      const soon = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
      const today = new Date().toISOString().slice(0, 10);
      await page.locator("#plan-deadline").fill(soon);
      await page.getByRole("button", { name: "Set deadline" }).click();
      const chart = page.getByRole("img", { name: /^Numbers left to fix/ });
      await eventually(async () => assert.equal(await chart.getAttribute("aria-label"),
        `Numbers left to fix: 3 on ${today}; the line aims at none left by ${soon}.`));
      await page.locator(".burndown summary").click();
      assert.deepEqual(await page.locator(".burndown-days tbody td").allTextContents(), [today, "3", "3"]);
    });
    s.assertNoConsoleErrors();
  } finally {
    await s.close();
  }
});
