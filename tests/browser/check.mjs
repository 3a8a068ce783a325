// Loads one HTML file in the system's headless Chromium and prints, as JSON, what the web edition's
// test checks: axe-core's WCAG 2.2 A/AA violations, horizontal overflow and the smallest text of
// paragraphs, list items and table cells at a desktop's and two phones' widths, and every request that left the file.
// The page is loaded once and its viewport resized from width to width (CSS is laid out again at each;
// a load per width cost Chromium about 0.4 s of CPU more).
// Usage: node check.mjs FILE.html [--shots DIR]     (CHROMIUM overrides /usr/bin/chromium)
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import path from "node:path";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const axeSource = require("fs").readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const file = path.resolve(process.argv[2]);
const shots = process.argv[3] === "--shots" ? process.argv[4] : null;
const url = pathToFileURL(file).href;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
  ],
});
const report = { requests: [], widths: {}, violations: [], scripts: 0, handlers: 0 };
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("request", (r) => { if (r.url() !== url) report.requests.push(r.url()); });
  // recorded above, then refused: nothing leaves the machine even if the page asks for it
  await page.route("**/*", (route) => (route.request().url() === url ? route.continue() : route.abort()));
  await page.goto(url, { waitUntil: "load" });
  // every "Show the data" table open: checked as a reader who opens them sees them
  await page.evaluate(() => document.querySelectorAll("details").forEach((d) => { d.open = true; }));
  for (const width of [1280, 375, 360]) {
    await page.setViewportSize({ width, height: 900 });
    report.widths[width] = await page.evaluate(() => {
      const sizes = [...document.querySelectorAll("p, li, td, th")]
        .filter((e) => e.getClientRects().length)
        .map((e) => parseFloat(getComputedStyle(e).fontSize));
      const body = document.querySelector("main section > p:not([class])");
      const probe = document.createElement("span");  // one "ch": the width of a digit in the body's font
      probe.style.cssText = "display:inline-block;width:1ch";
      body.appendChild(probe);
      const ch = probe.getBoundingClientRect().width;
      probe.remove();
      return {
        measure: body.getBoundingClientRect().width / ch,
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
        smallestText: Math.min(...sizes),
        bodyText: parseFloat(getComputedStyle(body).fontSize),
      };
    });
    if (shots) await page.screenshot({ path: path.join(shots, `page-${width}.png`), fullPage: true });
    if (width === 1280) {
      const counts = await page.evaluate(() => ({
        scripts: document.querySelectorAll("script").length,
        handlers: [...document.querySelectorAll("*")].filter((e) =>
          [...e.attributes].some((a) => a.name.toLowerCase().startsWith("on"))).length,
      }));
      Object.assign(report, counts);
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(() => window.axe.run(document, {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
      }));
      report.violations = result.violations.map((v) => ({
        id: v.id, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
      }));
      report.passes = result.passes.length;
    }
  }
  await page.close();
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(report) + "\n");
