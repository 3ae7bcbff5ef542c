// page-check.mjs: the sitrep analyst page, checked in a real headless Chromium.
//
//   node page-check.mjs BASE_URL OUT_DIR
//
// BASE_URL is a running `sitrep serve` (e.g. http://127.0.0.1:8080) whose store holds
// the merge example plus the hostile article of ../tests/data/hostile.jsonl;
// crates/sitrep-serve/tests/browser.rs starts one and runs this script. Chromium is
// /usr/bin/chromium unless SITREP_CHROMIUM names another binary; playwright-core only
// drives it (no browser is ever downloaded).
//
// What it checks, in two browser contexts:
//  1. The page as served (its Content-Security-Policy on): the timeline lists facts and
//     the map draws countries and markers; clicking a timeline fact opens the evidence
//     panel with the article text and a non-empty highlighted <mark>; the hostile
//     article's title, outlet, quote, claim and text show up as literal characters
//     (`<script>…`, `<img … onerror=…>`, `" onmouseover="…`) and nothing of them runs or
//     becomes an element.
//  2. The same hostile views with the CSP lifted, so that only the page's own escaping
//     (text nodes, never HTML parsing) stands between the data and the DOM.
// Any console error, uncaught page error, failed request or CSP violation fails the
// run. Screenshots (PNG) go to OUT_DIR: page.png (the whole page once loaded),
// evidence.png (after clicking a fact) and hostile.png (the hostile article's evidence).
//
// Exit status: 0 when every check passed, 1 when one failed (each failure is printed
// on stderr), 2 on bad arguments.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";

const [base, outDir] = process.argv.slice(2);
if (!base || !outDir || !/^https?:\/\//.test(base)) {
  console.error("usage: node page-check.mjs BASE_URL OUT_DIR");
  process.exit(2);
}
const origin = new URL(base).origin;
const executablePath = process.env.SITREP_CHROMIUM || "/usr/bin/chromium";
const WAIT_MS = 20_000;

// A hard stop, whatever hangs.
setTimeout(() => {
  console.error("FAIL: the check did not finish within 150 s");
  process.exit(1);
}, 150_000).unref();

// The hostile article's payloads, exactly as they must read on the page.
const SCRIPT_TITLE = "<script>window.__pwned = 1</script>";
const IMG_PAYLOAD = '<img src=x onerror="window.__pwned=1">';
const ATTR_PAYLOAD = '" onmouseover="window.__pwned=1';
const HOSTILE_OUTLET = "Dnieper Dispatch <img src=x onerror=";

const failures = [];
function check(ok, what) {
  if (ok) console.log(`ok: ${what}`);
  else {
    failures.push(what);
    console.error(`FAIL: ${what}`);
  }
}

// Everything that went wrong on the pages while they were used.
const problems = [];
function watch(page, label) {
  page.on("console", (msg) => {
    if (msg.type() === "error") {
      const where = msg.location()?.url;
      problems.push(`${label}: console error: ${msg.text()}${where ? ` (${where})` : ""}`);
    }
  });
  page.on("pageerror", (err) => problems.push(`${label}: page error: ${err.message}`));
  page.on("requestfailed", (req) =>
    problems.push(`${label}: request failed: ${req.url()} (${req.failure()?.errorText})`)
  );
  page.on("response", (res) => {
    if (res.status() >= 400) problems.push(`${label}: ${res.status()} for ${res.url()}`);
  });
}

// Runs in the page before its own scripts: keeps every CSP violation the page reports.
function recordViolations() {
  window.__violations = [];
  document.addEventListener("securitypolicyviolation", (e) => {
    window.__violations.push(`${e.violatedDirective}: ${e.blockedURI} ${e.sample}`);
  });
}

async function openPage(context, label) {
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  watch(page, label);
  await page.addInitScript(recordViolations);
  await page.goto(`${origin}/`, { waitUntil: "load" });
  // Loaded means the lists were fetched and drawn: timeline items and map markers.
  await page.waitForFunction(
    () =>
      document.querySelectorAll("#timeline li.fact").length > 0 &&
      document.querySelectorAll("#map circle.marker").length > 0,
    null,
    { timeout: WAIT_MS }
  );
  return page;
}

// Clicks `item` and waits until the evidence panel is open and its (first) article
// has loaded; what it shows is checked by the callers.
async function openEvidence(page, item) {
  await item.click();
  await page.waitForFunction(
    () => {
      const panel = document.getElementById("evidence");
      const article = document.querySelector("#ev-body pre.article");
      return panel && !panel.hidden && article && !article.textContent.startsWith("Loading the article");
    },
    null,
    { timeout: WAIT_MS }
  );
}

async function closeEvidence(page) {
  await page.locator("#ev-close").click();
  check(await page.locator("#evidence").isHidden(), "the close button hides the evidence panel");
}

function hostileItem(page) {
  return page.locator("#timeline li.fact", { hasText: "Kherson" }).first();
}

// Nothing of the hostile data ran, and none of it became an element or an attribute.
async function assertInert(page, label) {
  const found = await page.evaluate((origin) => {
    const scripts = [...document.querySelectorAll("script")];
    const handlers = [];
    for (const node of document.querySelectorAll("*")) {
      for (const attr of node.attributes) {
        if (attr.name.toLowerCase().startsWith("on")) handlers.push(`${node.tagName} ${attr.name}`);
      }
    }
    return {
      pwned: typeof window.__pwned,
      foreignScripts: scripts
        .filter((s) => !s.src.startsWith(`${origin}/assets/`) || s.textContent.trim() !== "")
        .map((s) => s.outerHTML.slice(0, 120)),
      images: document.querySelectorAll("img").length,
      imgOnerror: document.querySelectorAll("img[onerror]").length,
      handlers,
      violations: window.__violations || [],
    };
  }, origin);
  check(found.pwned === "undefined", `${label}: window.__pwned is undefined (it is ${found.pwned})`);
  check(
    found.foreignScripts.length === 0,
    `${label}: only the page's own /assets/ scripts exist${found.foreignScripts.length ? `; also ${found.foreignScripts.join(" | ")}` : ""}`
  );
  // The page itself has no images: any <img> would have come from the data.
  check(found.images === 0 && found.imgOnerror === 0, `${label}: no img element (${found.images}, with onerror ${found.imgOnerror})`);
  check(found.handlers.length === 0, `${label}: no inline event-handler attribute${found.handlers.length ? `; found ${found.handlers.join(", ")}` : ""}`);
  check(found.violations.length === 0, `${label}: no CSP violation${found.violations.length ? `; got ${found.violations.join(" | ")}` : ""}`);
}

// The payloads are on screen as the characters they are.
async function assertShownAsText(page, label) {
  const evidence = await page.locator("#ev-body").innerText();
  const claims = await page.locator("#claims").innerText();
  const quotes = await page.locator("#quotes").innerText();
  check(evidence.includes(SCRIPT_TITLE), `${label}: the evidence panel shows the title's ${SCRIPT_TITLE}`);
  check(evidence.includes(HOSTILE_OUTLET), `${label}: the evidence panel shows the outlet ${HOSTILE_OUTLET}…`);
  check(evidence.includes(IMG_PAYLOAD), `${label}: the article text shows ${IMG_PAYLOAD}`);
  check(evidence.includes(ATTR_PAYLOAD), `${label}: the article text shows ${ATTR_PAYLOAD}`);
  check(claims.includes(IMG_PAYLOAD), `${label}: the claims list shows ${IMG_PAYLOAD}`);
  check(quotes.includes("<img src=x onerror="), `${label}: the quotes list shows <img src=x onerror=`);
}

async function checkServedPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await openPage(context, "served page");

  const counts = await page.evaluate(() => ({
    timeline: document.querySelectorAll("#timeline li.fact").length,
    markers: document.querySelectorAll("#map circle.marker").length,
    countries: document.querySelectorAll("#map path.country").length,
    people: document.querySelectorAll("#people tr.fact-row").length,
    quotes: document.querySelectorAll("#quotes li.fact").length,
    claims: document.querySelectorAll("#claims li.fact").length,
    status: document.getElementById("status").textContent,
    statusIsError: document.getElementById("status").classList.contains("error"),
  }));
  check(counts.timeline > 0, `the timeline shows ${counts.timeline} facts`);
  check(counts.markers > 0, `the map shows ${counts.markers} markers`);
  check(counts.countries > 100, `the map draws ${counts.countries} country outlines`);
  check(counts.people > 0 && counts.quotes > 0 && counts.claims > 0,
    `people, quotes and claims are listed (${counts.people}, ${counts.quotes}, ${counts.claims})`);
  check(!counts.statusIsError && !counts.status.startsWith("Loading"), `the status line reads "${counts.status}"`);
  await page.screenshot({ path: path.join(outDir, "page.png"), fullPage: true });

  // The first fact of the timeline: its evidence is the article, highlighted.
  const first = page.locator("#timeline li.fact").first();
  const label = (await first.locator(".label").innerText()).trim();
  await openEvidence(page, first);
  const shown = await page.evaluate(() => {
    const article = document.querySelector("#ev-body pre.article");
    const marks = [...document.querySelectorAll("#ev-body pre.article mark")].map((m) => m.textContent);
    return {
      heading: document.querySelector("#ev-body > h3").textContent,
      text: article.textContent,
      marks,
      selected: document.querySelectorAll("#timeline li.fact.selected").length,
    };
  });
  check(shown.heading.trim() === label, `the evidence panel is about "${label}" (it reads "${shown.heading}")`);
  check(shown.marks.length > 0 && shown.marks.every((m) => m.trim() !== ""),
    `the article has ${shown.marks.length} non-empty highlighted span(s): "${(shown.marks[0] || "").slice(0, 60)}…"`);
  const markedChars = shown.marks.reduce((n, m) => n + m.length, 0);
  check(!shown.text.startsWith("The article could not be loaded") && shown.text.length > markedChars,
    `the article text is shown around the highlights (${shown.text.length} characters)`);
  check(shown.selected === 1, "the clicked fact is marked as selected");
  await page.screenshot({ path: path.join(outDir, "evidence.png") });

  // The panel covers the right of the page: close it as a reader would.
  await closeEvidence(page);

  // A person: what they said and the meetings they took part in, each opening its own
  // evidence.
  await openEvidence(page, page.locator("#people tr.fact-row", { hasText: "Vladimir Medinsky" }).first());
  const person = await page.evaluate(() =>
    [...document.querySelectorAll("#ev-body > h3")].map((h) => h.textContent.trim())
  );
  check(person.some((h) => h.startsWith("Said (")) && person.some((h) => h.startsWith("Met (")),
    `a person's panel lists what they said and whom they met (${person.join(" | ")})`);
  await openEvidence(page, page.locator("#ev-body ul.over-time li.fact", { hasText: "talks in Istanbul" }).first());
  const meeting = await page.evaluate(() => document.querySelector("#ev-body > h3").textContent.trim());
  check(meeting === "talks in Istanbul", `a meeting in a person's panel opens its own evidence ("${meeting}")`);
  await closeEvidence(page);

  // The hostile article: its event on the timeline, its evidence, its quote and claim.
  const hostile = hostileItem(page);
  check((await hostile.count()) === 1, "the hostile article's event is on the timeline");
  await openEvidence(page, hostile);
  await page.locator("#ev-body pre.article").hover();
  await assertShownAsText(page, "served page");
  await assertInert(page, "served page");
  await page.screenshot({ path: path.join(outDir, "hostile.png") });
  await closeEvidence(page);
  // The claim carrying the payload, and a hover over its highlighted evidence.
  await openEvidence(page, page.locator("#claims li.fact", { hasText: "The fire burned for hours" }).first());
  await page.locator("#ev-body pre.article mark").first().hover();
  await assertInert(page, "served page, the claim's evidence");

  await context.close();
}

async function checkWithoutCsp(browser) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, bypassCSP: true });
  const page = await openPage(context, "CSP lifted");
  await openEvidence(page, hostileItem(page));
  await page.locator("#ev-body pre.article").hover();
  await assertShownAsText(page, "CSP lifted");
  await assertInert(page, "CSP lifted");
  await context.close();
}

async function main() {
  mkdirSync(outDir, { recursive: true });
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    // Each context is checked even when the other one threw.
    for (const run of [checkServedPage, checkWithoutCsp]) {
      try {
        await run(browser);
      } catch (err) {
        check(false, `${run.name} stopped: ${err && err.stack ? err.stack : err}`);
      }
    }
    check(problems.length === 0, `no console error, page error or failed request${problems.length ? `:\n  ${problems.join("\n  ")}` : ""}`);
  } finally {
    await browser.close();
  }
}

try {
  await main();
} catch (err) {
  failures.push(String(err && err.stack ? err.stack : err));
  console.error(`FAIL: ${err && err.stack ? err.stack : err}`);
}
if (failures.length > 0) {
  console.error(`page-check: ${failures.length} check(s) failed`);
  process.exit(1);
}
console.log(`page-check: all checks passed; screenshots in ${outDir}`);
